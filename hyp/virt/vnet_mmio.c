/*
 * The virtio-mmio register page of a network device (virtio 1.2, 4.2.2,
 * Version 2 only), table-driven through emul.c: what the driver reads and
 * writes to find, negotiate, set up and reset the device. Frames move in
 * vnet.c; every callback runs under the port's lock, but QueueNotify, which
 * moves frames and takes the locks itself.
 */
#include <tessera/console.h>
#include <tessera/spinlock.h>

#include "vnet_internal.h"

/* virtio-mmio registers, virtio 1.2 4.2.2, table "MMIO Device Register Layout". */
#define VIRTIO_MMIO_MAGIC_VALUE 0x000
#define VIRTIO_MMIO_VERSION 0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MMIO_VENDOR_ID 0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL 0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM 0x038
#define VIRTIO_MMIO_QUEUE_READY 0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW 0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW 0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH 0x0a4
#define VIRTIO_MMIO_SHM_SEL 0x0ac
#define VIRTIO_MMIO_SHM_LEN_LOW 0x0b0
#define VIRTIO_MMIO_SHM_BASE_HIGH 0x0bc
#define VIRTIO_MMIO_CONFIG_GENERATION 0x0fc
#define VIRTIO_MMIO_CONFIG 0x100

#define VIRTIO_MMIO_MAGIC 0x74726976U /* "virt" */
#define VIRTIO_MMIO_MODERN 2
#define VIRTIO_ID_NET 1              /* virtio 1.2, 5 "Device Types" */
#define VNET_VENDOR_ID 0x41525354U   /* "TSRA" */

/* Register callbacks, under the port's lock (emul_regs_access_locked). */

static struct virtq *selected(struct vnet_port *p)
{
	return p->queue_sel < VNET_QUEUES ? &p->q[p->queue_sel] : NULL;
}

/* The selected queue, when the driver may still write its configuration (4.2.3.2). */
static struct virtq *selected_unready(struct vnet_port *p)
{
	struct virtq *q = selected(p);

	return q && !q->ready ? q : NULL;
}

static u64 read_ident(void *dev, u32 offset)
{
	(void)dev;
	switch (offset) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION:
		return VIRTIO_MMIO_MODERN;
	case VIRTIO_MMIO_DEVICE_ID:
		return VIRTIO_ID_NET;
	default:
		return VNET_VENDOR_ID;
	}
}

static u64 read_device_features(void *dev, u32 offset)
{
	struct vnet_port *p = dev;

	(void)offset;
	return p->device_features_sel < 2 ? (u32)(VNET_FEATURES >> (32 * p->device_features_sel)) : 0;
}

static void write_select(void *dev, u32 offset, u64 value)
{
	struct vnet_port *p = dev;

	if (offset == VIRTIO_MMIO_DEVICE_FEATURES_SEL)
		p->device_features_sel = (u32)value;
	else if (offset == VIRTIO_MMIO_DRIVER_FEATURES_SEL)
		p->driver_features_sel = (u32)value;
	else
		p->queue_sel = (u32)value;
}

/* Taken until FEATURES_OK only (3.1.1: the driver writes them before). */
static void write_driver_features(void *dev, u32 offset, u64 value)
{
	struct vnet_port *p = dev;
	unsigned int shift = 32 * p->driver_features_sel;

	(void)offset;
	if (p->status & VIRTIO_STATUS_FEATURES_OK || p->driver_features_sel > 1)
		return;
	p->driver_features = (p->driver_features & ~(0xffffffffULL << shift)) | (value << shift);
}

static u64 read_queue_num_max(void *dev, u32 offset)
{
	(void)offset;
	return selected(dev) ? VIRTQ_MAX_SIZE : 0; /* 0: no such queue (4.2.2) */
}

static void write_queue_num(void *dev, u32 offset, u64 value)
{
	struct virtq *q = selected_unready(dev);

	(void)offset;
	if (q)
		q->num = (u32)value;
}

/* QueueDesc, QueueDriver, QueueDevice: the low or high half of an IPA. */
static void write_queue_area(void *dev, u32 offset, u64 value)
{
	struct virtq *q = selected_unready(dev);
	unsigned int shift = offset & 4 ? 32 : 0;
	u64 *area;

	if (!q)
		return;
	if (offset < VIRTIO_MMIO_QUEUE_DRIVER_LOW)
		area = &q->desc;
	else if (offset < VIRTIO_MMIO_QUEUE_DEVICE_LOW)
		area = &q->driver;
	else
		area = &q->device;
	*area = (*area & ~(0xffffffffULL << shift)) | (value << shift);
}

static u64 read_queue_ready(void *dev, u32 offset)
{
	struct virtq *q = selected(dev);

	(void)offset;
	return q && q->ready;
}

static void write_queue_ready(void *dev, u32 offset, u64 value)
{
	struct vnet_port *p = dev;
	struct virtq *q = selected(p);
	const char *why;

	(void)offset;
	if (!q)
		return;
	if (!(value & 1)) {
		virtq_reset(q);
		p->generation++;
		return;
	}
	if (q->ready)
		return;
	why = virtq_enable(q, &p->mem);
	if (why && vnet_device_fail(p))
		p->pending_report = why;
	/*
	 * Receive buffers are read when a frame comes, never on a notify (a
	 * frame with none posted is lost, not queued): the driver need not
	 * notify. The flag is only advice; a driver may notify anyway.
	 */
	if (!why && q == &p->q[VNET_RXQ])
		virtq_suppress_notify(q, &p->mem);
}

static u64 read_interrupt_status(void *dev, u32 offset)
{
	(void)offset;
	return ((struct vnet_port *)dev)->interrupt_status;
}

static void write_interrupt_ack(void *dev, u32 offset, u64 value)
{
	struct vnet_port *p = dev;

	(void)offset;
	p->interrupt_status &= ~(u32)value;
}

static u64 read_status(void *dev, u32 offset)
{
	(void)offset;
	return ((struct vnet_port *)dev)->status;
}

/*
 * The feature sets FEATURES_OK is kept for: offered ones only, VERSION_1
 * among them (a version 2 transport needs it, 4.2.3.1.1), and the
 * dependencies of 5.1.3.1 (TSO needs the checksum feature of its side). A
 * driver taking GUEST_TSO must take MRG_RXBUF too: without it Linux posts
 * "big" receive chains of MAX_SKB_FRAGS + 2 pages, past VIRTQ_MAX_CHAIN
 * with room to spare on other kernels (3.1.1 lets a device refuse a
 * combination).
 */
static bool features_acceptable(u64 f)
{
	u64 guest_tso = BIT(VIRTIO_NET_F_GUEST_TSO4) | BIT(VIRTIO_NET_F_GUEST_TSO6);
	u64 host_tso = BIT(VIRTIO_NET_F_HOST_TSO4) | BIT(VIRTIO_NET_F_HOST_TSO6);

	if ((f & ~VNET_FEATURES) || !(f & BIT(VIRTIO_F_VERSION_1)))
		return false;
	if ((f & guest_tso) &&
	    !((f & BIT(VIRTIO_NET_F_GUEST_CSUM)) && (f & BIT(VIRTIO_NET_F_MRG_RXBUF))))
		return false;
	return !(f & host_tso) || (f & BIT(VIRTIO_NET_F_CSUM));
}

/*
 * 2.1 and 3.1.1: 0 resets the device; otherwise the driver's bits, with
 * FEATURES_OK kept only for an acceptable feature set. DEVICE_NEEDS_RESET
 * stays until the reset.
 */
static void write_status(void *dev, u32 offset, u64 value)
{
	struct vnet_port *p = dev;
	u32 status = (u32)value & VIRTIO_STATUS_DRIVER_BITS;

	(void)offset;
	if (!value) {
		vnet_device_reset(p);
		return;
	}
	if ((status & VIRTIO_STATUS_FEATURES_OK) && !(p->status & VIRTIO_STATUS_FEATURES_OK) &&
	    !features_acceptable(p->driver_features))
		status &= ~VIRTIO_STATUS_FEATURES_OK;
	p->status = status | (p->status & VIRTIO_STATUS_NEEDS_RESET);
}

/* No shared memory regions (4.2.2: a region that does not exist reads length and base -1). */
static u64 read_shm(void *dev, u32 offset)
{
	(void)dev;
	(void)offset;
	return 0xffffffffU;
}

/* Configuration space, 5.1.4: mac (6 bytes), then status (VIRTIO_NET_F_STATUS not offered: 0). */
static u64 read_config(void *dev, u32 offset)
{
	const u8 *mac = ((struct vnet_port *)dev)->macs[((struct vnet_port *)dev)->member];

	if (offset == VIRTIO_MMIO_CONFIG)
		return mac[0] | (u32)mac[1] << 8 | (u32)mac[2] << 16 | (u32)mac[3] << 24;
	return mac[4] | (u32)mac[5] << 8;
}

#define R32(off, rd, wr) { (off), 4, EMUL_W32, 0, 0, (rd), (wr) }
#define C32(off, rd) { (off), 4, EMUL_W32, 0, EMUL_CONST, (rd), NULL }

/*
 * 4.2.2.2: the driver uses 32-bit accesses for the registers and the field's
 * own width in the configuration space (EMUL_LANES); anything else is
 * answered as emul.c answers a width a device lacks. QueueNotify is taken
 * before this table (vnet_access), outside the lock.
 */
static const struct emul_reg vnet_regs[] = {
	C32(VIRTIO_MMIO_MAGIC_VALUE, read_ident),
	C32(VIRTIO_MMIO_VERSION, read_ident),
	C32(VIRTIO_MMIO_DEVICE_ID, read_ident),
	C32(VIRTIO_MMIO_VENDOR_ID, read_ident),
	R32(VIRTIO_MMIO_DEVICE_FEATURES, read_device_features, NULL),
	R32(VIRTIO_MMIO_DEVICE_FEATURES_SEL, NULL, write_select),
	R32(VIRTIO_MMIO_DRIVER_FEATURES, NULL, write_driver_features),
	R32(VIRTIO_MMIO_DRIVER_FEATURES_SEL, NULL, write_select),
	R32(VIRTIO_MMIO_QUEUE_SEL, NULL, write_select),
	R32(VIRTIO_MMIO_QUEUE_NUM_MAX, read_queue_num_max, NULL),
	R32(VIRTIO_MMIO_QUEUE_NUM, NULL, write_queue_num),
	R32(VIRTIO_MMIO_QUEUE_READY, read_queue_ready, write_queue_ready),
	R32(VIRTIO_MMIO_QUEUE_NOTIFY, NULL, NULL),
	R32(VIRTIO_MMIO_INTERRUPT_STATUS, read_interrupt_status, NULL),
	R32(VIRTIO_MMIO_INTERRUPT_ACK, NULL, write_interrupt_ack),
	R32(VIRTIO_MMIO_STATUS, read_status, write_status),
	R32(VIRTIO_MMIO_QUEUE_DESC_LOW, NULL, write_queue_area),
	R32(VIRTIO_MMIO_QUEUE_DESC_HIGH, NULL, write_queue_area),
	R32(VIRTIO_MMIO_QUEUE_DRIVER_LOW, NULL, write_queue_area),
	R32(VIRTIO_MMIO_QUEUE_DRIVER_HIGH, NULL, write_queue_area),
	R32(VIRTIO_MMIO_QUEUE_DEVICE_LOW, NULL, write_queue_area),
	R32(VIRTIO_MMIO_QUEUE_DEVICE_HIGH, NULL, write_queue_area),
	R32(VIRTIO_MMIO_SHM_SEL, NULL, NULL),
	{ VIRTIO_MMIO_SHM_LEN_LOW, VIRTIO_MMIO_SHM_BASE_HIGH + 4 - VIRTIO_MMIO_SHM_LEN_LOW, EMUL_W32, 0,
	  EMUL_CONST, read_shm, NULL },
	C32(VIRTIO_MMIO_CONFIG_GENERATION, NULL), /* the configuration never changes */
	{ VIRTIO_MMIO_CONFIG, 8, EMUL_W8 | EMUL_W16 | EMUL_W32, 0, EMUL_CONST | EMUL_LANES, read_config,
	  NULL },
};

enum mmio_result vnet_access(void *dev, struct mmio_access *acc)
{
	struct vnet_port *p = dev;
	enum mmio_result r;
	const char *why;

	if (acc->offset == VIRTIO_MMIO_QUEUE_NOTIFY && acc->is_write && acc->size == 4) {
		/* 4.2.2: the queue's index (VIRTIO_F_NOTIFICATION_DATA not offered). Buffers posted to
		 * the receive queue need nothing now: frames take them as they come. */
		if ((u32)acc->value == VNET_TXQ)
			vnet_transmit(p);
		return MMIO_OK;
	}
	r = emul_regs_access_locked(vnet_regs, ARRAY_SIZE(vnet_regs), p, acc, &p->lock);
	if (!READ_ONCE(p->pending_report))
		return r;
	spin_lock(&p->lock);
	why = p->pending_report;
	p->pending_report = NULL;
	spin_unlock(&p->lock);
	if (why)
		vnet_report_failure(p, why);
	return r;
}

