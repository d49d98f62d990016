/*
 * What the network device's two files share (hyp/virt/vnet.c: ports, frames,
 * lifecycle; vnet_mmio.c: the virtio-mmio registers). Not for other files.
 */
#ifndef VIRT_VNET_INTERNAL_H
#define VIRT_VNET_INTERNAL_H

#include <tessera/config.h>
#include <tessera/emul.h>
#include <tessera/guest_mem.h>
#include <tessera/spinlock.h>
#include <virt/virtq.h>
#include <virt/vnet_switch.h>

struct vm;

/* InterruptStatus bits, 4.2.2. */
#define VIRTIO_MMIO_INT_VRING BIT(0)
#define VIRTIO_MMIO_INT_CONFIG BIT(1)

/* Device status bits, 2.1. */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED 0x80
#define VIRTIO_STATUS_DRIVER_BITS \
	(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_DRIVER_OK | \
	 VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_FAILED)

/* Feature bits: 6 (reserved, device-independent) and 5.1.3 (network). */
#define VIRTIO_NET_F_MAC 5
#define VIRTIO_F_VERSION_1 32
#define VNET_FEATURES (BIT(VIRTIO_F_VERSION_1) | BIT(VIRTIO_NET_F_MAC))

/* Queues, 5.1.2: receiveq1, transmitq1; no control queue (VIRTIO_NET_F_CTRL_VQ not offered). */
#define VNET_RXQ 0
#define VNET_TXQ 1
#define VNET_QUEUES 2

/*
 * struct virtio_net_hdr, 5.1.6: with VIRTIO_F_VERSION_1 it is 12 bytes
 * (num_buffers included). Without offloads the driver sends it zeroed and
 * the device writes it zeroed but for num_buffers = 1 (5.1.6.4).
 */
#define VNET_HDR_LEN 12
#define VNET_HDR_NUM_BUFFERS 10
#define VNET_MAX_TX (VNET_HDR_LEN + ETH_MAX_FRAME)

/* Device failures reported per port and VM life; more would let a driver flood the console. */
#define VNET_REPORTS_MAX 8

struct vnet_port {
	struct spinlock lock; /* everything below but the constants: see the top of this file */
	/* Constant after vnets_create: */
	struct vm *vm;
	const struct network_config *net;
	const u8 (*macs)[CONFIG_MAC_LEN]; /* the network's members' MACs, by member index */
	unsigned int member; /* its index in net->member[], its bit in a route */
	struct vnet_port *peers[CONFIG_MAX_NET_MEMBERS]; /* by member index, NULL for itself */
	struct guest_mem mem;
	u32 intid;
	/* The device, reset by the driver (Status = 0) and by vnet_vm_reset: */
	u32 status;
	u32 device_features_sel, driver_features_sel, queue_sel;
	u64 driver_features;
	u32 interrupt_status;
	u32 generation;       /* bumped by each reset: a chain taken before it is not returned after */
	struct virtq q[VNET_QUEUES];
	/* Counters for the life of the VM: */
	u64 tx_frames, rx_frames, tx_dropped, rx_dropped;
	unsigned int reports;
	const char *pending_report; /* a failure found in a register write, printed after the lock */
};


/* Lock held: the driver has the device running and no rule broken. */
bool vnet_running(const struct vnet_port *p);
/* Lock held: the device to its reset state (2.1, 4.2.3.1); chains taken before are not returned. */
void vnet_device_reset(struct vnet_port *p);
/*
 * Lock held: the driver broke a rule: DEVICE_NEEDS_RESET (2.1.2). True when
 * the caller should report it (vnet_report_failure, after the lock).
 */
bool vnet_device_fail(struct vnet_port *p);
void vnet_report_failure(const struct vnet_port *p, const char *why);
/* QueueNotify of the transmit queue, without the lock. */
void vnet_transmit(struct vnet_port *p);
/* The device's page (vnet_mmio.c), registered by vnets_create. */
enum mmio_result vnet_access(void *dev, struct mmio_access *acc);

#endif
