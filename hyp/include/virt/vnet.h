/*
 * Virtual LANs between VMs (docs/networks.md): each member VM of a network
 * has a virtio-net device over virtio-mmio (virtio 1.2, 4.2.2 and 5.1) that
 * Tessera emulates, and Tessera is the switch between them. A frame goes
 * from the sender's TX buffers straight into a posted RX buffer of each
 * destination, copied by Tessera at EL2: no VM maps another's memory.
 */
#ifndef VIRT_VNET_H
#define VIRT_VNET_H

#include <tessera/config.h>
#include <tessera/guest_fdt.h>

struct vm;

/*
 * Boot CPU, after every VM is built and before any is loaded: one port per
 * member of each valid network whose VM was built, its device placed in
 * that VM; the console says why any other network is not set up.
 */
void vnets_create(const struct system_config *cfg);
/* The devices vnets_create() gave @vm, for its guest DT; returns how many (at most @max). */
unsigned int vnets_of_vm(const struct vm *vm, struct guest_fdt_virtio *out, unsigned int max);
/*
 * @vm stops, or is about to be rewritten (restart): its ports go dead. When
 * this returns no frame is being or will be written into its memory and no
 * frame of it is read, until the guest sets its device up again.
 */
void vnet_vm_stop(struct vm *vm);
/* @vm (re)starts, after its vGIC's reset: its devices to their reset state. */
void vnet_vm_reset(struct vm *vm);

/* One device's state and counters, since its VM's last (re)start (the management interface). */
enum vnet_port_state {
	VNET_PORT_DOWN,   /* its driver has not set it running (or reset it) */
	VNET_PORT_UP,     /* DRIVER_OK: it sends and receives */
	VNET_PORT_FAILED, /* DEVICE_NEEDS_RESET (the driver broke a rule) or FAILED (it gave up), until a reset */
};
struct vnet_port_figures {
	const char *network; /* the network's name: the config's, never freed */
	u8 mac[CONFIG_MAC_LEN];
	enum vnet_port_state state;
	u64 tx_frames;  /* taken from its transmit queue and delivered to at least one member */
	u64 tx_dropped; /* taken and delivered to none: malformed, forged source, unknown unicast, no taker */
	u64 rx_frames;  /* placed in its receive buffers */
	u64 rx_dropped; /* routed to it but not placed: not running, no buffer, an offload it did not take */
};
/* @vm's devices, one per network it is on (at most @max), each read under its lock; returns how many. */
unsigned int vnet_figures_of_vm(const struct vm *vm, struct vnet_port_figures *out, unsigned int max);

#endif
