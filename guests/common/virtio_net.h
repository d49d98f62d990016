/*
 * A minimal driver for a modern virtio-mmio virtio-net device (virtio 1.2,
 * 4.2 and 5.1): features VERSION_1 and MAC only, queue 0 receiveq1 and
 * queue 1 transmitq1, rings and buffers in the guest's own memory (static
 * arrays), one descriptor per frame (12-byte header + frame). Everything the
 * device returns is checked: used ids below num and in flight, lengths
 * within the buffer, the used index not beyond num. Polled; the SPI from the
 * DT is for a caller that waits in WFI (vnet_irq_enable).
 *
 * The rings are public so that a hostile driver (testguest's nethostile.c)
 * can break their rules on purpose.
 */
#ifndef GUEST_VIRTIO_NET_H
#define GUEST_VIRTIO_NET_H

#include "dt.h"

#define VNET_MAX_DEVS 2
#define VNET_QUEUE_MAX 64   /* descriptors per ring (a hostile chain needs more than 32) */
#define VNET_QUEUE_NUM 16   /* the queue size a driver asks for: min(QueueNumMax, 16) */
#define VNET_HDR_LEN 12     /* struct virtio_net_hdr with num_buffers (5.1.6: VERSION_1) */
#define VNET_FRAME_MAX 1514 /* Ethernet header + MTU 1500, no VLAN */
#define VNET_FRAME_MIN 14
#define VNET_BUF_LEN (VNET_HDR_LEN + VNET_FRAME_MAX)
#define VNET_MAC_LEN 6

/* virtio 1.2, 2.1: device status bits */
#define VIRTIO_STATUS_ACKNOWLEDGE 0x01
#define VIRTIO_STATUS_DRIVER 0x02
#define VIRTIO_STATUS_DRIVER_OK 0x04
#define VIRTIO_STATUS_FEATURES_OK 0x08
#define VIRTIO_STATUS_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED 0x80
/* 4.2.2: InterruptStatus bits */
#define VIRTIO_INT_USED 0x1
#define VIRTIO_INT_CONFIG 0x2
/* 4.2.2: QueueNotify register offset (hostile tests notify by hand) */
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050

/* 2.7.5 */
#define VNET_DESC_F_NEXT 1
#define VNET_DESC_F_WRITE 2
#define VNET_DESC_F_INDIRECT 4
/* 2.7.6 and 2.7.8: avail.flags, used.flags */
#define VNET_AVAIL_F_NO_INTERRUPT 1
#define VNET_USED_F_NO_NOTIFY 1

struct vnet_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};

struct vnet_used_elem {
	u32 id;
	u32 len;
};

/* One split virtqueue (2.7) and its buffers; all in the guest's RAM. */
struct vnet_queue {
	struct vnet_desc desc[VNET_QUEUE_MAX] __attribute__((aligned(16)));
	struct {
		u16 flags;
		u16 idx;
		u16 ring[VNET_QUEUE_MAX];
		u16 used_event;
	} avail __attribute__((aligned(2)));
	struct {
		u16 flags;
		u16 idx;
		struct vnet_used_elem ring[VNET_QUEUE_MAX];
		u16 avail_event;
	} used __attribute__((aligned(4)));
	u8 buf[VNET_QUEUE_NUM][VNET_BUF_LEN] __attribute__((aligned(64)));
	u16 num;       /* QueueNum */
	u16 avail_idx; /* free-running: the next avail slot */
	u16 last_used; /* free-running: the next used entry to read */
	bool inflight[VNET_QUEUE_MAX];
};

enum { VNET_RXQ = 0, VNET_TXQ = 1 };

struct vnet_dev {
	u64 base;   /* the virtio-mmio page */
	u32 intid;  /* its SPI as an INTID */
	u8 mac[VNET_MAC_LEN];
	bool live;  /* set up, DRIVER_OK, nothing wrong seen */
	const char *err; /* why not live (a fixed string), NULL while live */
	struct vnet_queue q[2];
	/* TX completions carry used len 0, sent or dropped: nothing is written into them (2.7.8). */
	u64 tx_frames, tx_completed, rx_frames, rx_bad;
	u64 irqs;   /* InterruptStatus acknowledged with a bit set */
	u64 tx_notifies, tx_notify_ticks, tx_notify_max; /* the TX QueueNotify writes, timed (CNTVCT) */
	u64 tx_wait_us; /* vnet_send() on a full ring: reap for this long first (0: fail at once) */
	u32 isr_seen; /* every InterruptStatus bit acknowledged since the last set-up */
};

/*
 * Finds the "virtio,mmio" nodes of @info's DT whose DeviceID is 1 (net;
 * QEMU's own DT has 32 transports, most with DeviceID 0), at most
 * VNET_MAX_DEVS. Returns how many; *err gets why a node could not be used.
 * The DT is read once: later calls return the first call's answer.
 */
unsigned int vnet_probe(const struct dt_info *info, const char **err);
struct vnet_dev *vnet_at(unsigned int idx);

/*
 * The init sequence of 4.2.3 / 3.1.1: reset, ACKNOWLEDGE, DRIVER, features
 * VERSION_1 | MAC, FEATURES_OK read back, the MAC from the config space, the
 * queues (rx with min(QueueNumMax, 16) entries, tx with min(QueueNumMax,
 * @tx_num)), every RX buffer posted, DRIVER_OK. NULL or why not.
 */
const char *vnet_setup(struct vnet_dev *d, u16 tx_num);

/* Writes Status 0 and waits for it to read 0 (4.2.3.1). */
void vnet_reset(struct vnet_dev *d);

/*
 * Queues one frame (@len bytes from the Ethernet header, VNET_FRAME_MIN..
 * VNET_FRAME_MAX) behind a zeroed header and notifies. False when the TX
 * ring is still full after d->tx_wait_us (a device may complete TX later
 * than the notify: QEMU's does) or the device is not live.
 */
bool vnet_send(struct vnet_dev *d, const void *frame, u32 len);

/*
 * Takes back completed TX buffers and the next received frame, reposting
 * its buffer: its length (without the header) copied into @frame (at most
 * VNET_FRAME_MAX bytes), or 0 when none. Checks what the device returned;
 * a breach makes the device not live (d->err says why).
 */
u32 vnet_recv(struct vnet_dev *d, void *frame);

/* Takes back completed TX buffers; returns how many. */
unsigned int vnet_reap_tx(struct vnet_dev *d);

/* Reads InterruptStatus and acknowledges it (InterruptACK); returns the bits. */
u32 vnet_ack(struct vnet_dev *d);
/* The device's Status register. */
u32 vnet_status(struct vnet_dev *d);

/*
 * Publishes @count avail entries of queue @qi (already written to
 * avail.ring by the caller) by moving avail.idx, then notifies the queue:
 * the barrier discipline of 2.7.13 for hand-made rings.
 */
void vnet_publish(struct vnet_dev *d, unsigned int qi, u16 count);

/* The device's SPI: Group 1, edge, routed here, enabled (gic_init() done). NULL or why not. */
const char *vnet_irq_enable(struct vnet_dev *d);

/* The device with SPI @intid, or NULL. */
struct vnet_dev *vnet_by_intid(u32 intid);

#endif
