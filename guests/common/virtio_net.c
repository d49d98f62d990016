/*
 * virtio-net over virtio-mmio, modern interface (virtio_net.h). Register
 * offsets: virtio 1.2, 4.2.2 (Table "MMIO Device Register Layout"). Every
 * register access is one 32-bit LDR/STR (4.2.2.2), the config space's MAC
 * 8-bit wide, so a hypervisor's stage-2 fault has a valid syndrome.
 */
#include <libfdt.h>
#include <string.h>

#include <mmio.h>
#include "gic.h"
#include "sysreg.h"
#include "timer.h"
#include "virtio_net.h"

#define MMIO_MAGIC 0x000
#define MMIO_VERSION 0x004
#define MMIO_DEVICE_ID 0x008
#define MMIO_DEVICE_FEATURES 0x010
#define MMIO_DEVICE_FEATURES_SEL 0x014
#define MMIO_DRIVER_FEATURES 0x020
#define MMIO_DRIVER_FEATURES_SEL 0x024
#define MMIO_QUEUE_SEL 0x030
#define MMIO_QUEUE_NUM_MAX 0x034
#define MMIO_QUEUE_NUM 0x038
#define MMIO_QUEUE_READY 0x044
#define MMIO_INTERRUPT_STATUS 0x060
#define MMIO_INTERRUPT_ACK 0x064
#define MMIO_STATUS 0x070
#define MMIO_QUEUE_DESC_LOW 0x080
#define MMIO_QUEUE_DRIVER_LOW 0x090
#define MMIO_QUEUE_DEVICE_LOW 0x0a0
#define MMIO_CONFIG_GENERATION 0x0fc
#define MMIO_CONFIG 0x100 /* struct virtio_net_config: mac[6] first (5.1.4) */

#define VIRTIO_MAGIC 0x74726976 /* "virt" */
#define VIRTIO_ID_NET 1
/* Feature bits: VIRTIO_NET_F_MAC (5.1.3), VIRTIO_F_VERSION_1 (6) = bit 0 of word 1. */
#define FEAT_MAC_BIT (1U << 5)
#define FEAT_VERSION_1_HI (1U << 0)

#define DT_SPI 0
#define SPI_BASE 32
#define SPI_LAST 1019
#define RESET_POLLS 1000000

static struct vnet_dev devs[VNET_MAX_DEVS] __attribute__((aligned(4096)));
static unsigned int ndevs;

static u32 rd(const struct vnet_dev *d, u32 off)
{
	return mmio_read32(d->base + off);
}

static void wr(const struct vnet_dev *d, u32 off, u32 v)
{
	mmio_write32(d->base + off, v);
}

/* ------------------------------------------------------------------ probe */

static const char *parse_node(const void *fdt, int node, struct vnet_dev *d)
{
	const fdt32_t *irq;
	struct range reg;
	int len;

	if (!dt_reg(fdt, node, 0, &reg) || reg.size < 0x200)
		return "reg is not one page";
	irq = fdt_getprop(fdt, node, "interrupts", &len);
	if (!irq || len != 3 * (int)sizeof(*irq) || fdt32_ld(irq) != DT_SPI ||
	    fdt32_ld(irq + 1) > SPI_LAST - SPI_BASE)
		return "interrupts is not one SPI <0 N flags>";
	memset(d, 0, sizeof(*d));
	d->base = reg.base;
	d->intid = SPI_BASE + fdt32_ld(irq + 1);
	d->err = "not set up";
	return NULL;
}

unsigned int vnet_probe(const struct dt_info *info, const char **err)
{
	const void *fdt = (const void *)(uintptr_t)info->fdt;
	static const char *probe_err;
	static bool probed;
	int node = -1;

	if (probed) {
		*err = probe_err;
		return ndevs;
	}
	probed = true;
	while (ndevs < VNET_MAX_DEVS &&
	       (node = fdt_node_offset_by_compatible(fdt, node, "virtio,mmio")) >= 0) {
		struct vnet_dev *d = &devs[ndevs];
		const char *why = parse_node(fdt, node, d);

		if (why) {
			probe_err = why;
			continue;
		}
		/* 4.2.3.1.1: check MagicValue and Version; DeviceID 0 is an empty transport. */
		if (rd(d, MMIO_MAGIC) != VIRTIO_MAGIC || rd(d, MMIO_DEVICE_ID) != VIRTIO_ID_NET)
			continue;
		if (rd(d, MMIO_VERSION) != 2) {
			probe_err = "a virtio-net transport is not version 2 (legacy)";
			continue;
		}
		ndevs++;
	}
	*err = probe_err;
	return ndevs;
}

struct vnet_dev *vnet_at(unsigned int idx)
{
	return idx < ndevs ? &devs[idx] : NULL;
}

struct vnet_dev *vnet_by_intid(u32 intid)
{
	for (unsigned int i = 0; i < ndevs; i++)
		if (devs[i].intid == intid)
			return &devs[i];
	return NULL;
}

const char *vnet_irq_enable(struct vnet_dev *d)
{
	return gic_enable_spi(d->intid, GIC_PRIO_DEFAULT, true);
}

/* ------------------------------------------------------------------ setup */

void vnet_reset(struct vnet_dev *d)
{
	d->live = false;
	wr(d, MMIO_STATUS, 0);
	/* 4.2.3.1: after writing 0 the driver waits for Status to read 0. */
	for (unsigned int i = 0; i < RESET_POLLS && rd(d, MMIO_STATUS); i++)
		;
}

static void write64(struct vnet_dev *d, u32 low, u64 v)
{
	wr(d, low, (u32)v);
	wr(d, low + 4, (u32)(v >> 32));
}

static const char *queue_setup(struct vnet_dev *d, unsigned int qi, u16 want)
{
	struct vnet_queue *q = &d->q[qi];
	u32 max;

	wr(d, MMIO_QUEUE_SEL, qi);
	if (rd(d, MMIO_QUEUE_READY))
		return "QueueReady reads 1 after reset";
	max = rd(d, MMIO_QUEUE_NUM_MAX);
	if (!max)
		return "QueueNumMax is 0: queue not available";
	memset(q, 0, sizeof(*q));
	q->num = (u16)(max < want ? max : want);
	wr(d, MMIO_QUEUE_NUM, q->num);
	write64(d, MMIO_QUEUE_DESC_LOW, (u64)(uintptr_t)q->desc);
	write64(d, MMIO_QUEUE_DRIVER_LOW, (u64)(uintptr_t)&q->avail);
	write64(d, MMIO_QUEUE_DEVICE_LOW, (u64)(uintptr_t)&q->used);
	dsb(ish); /* the zeroed rings are visible before the device may look at them */
	wr(d, MMIO_QUEUE_READY, 1);
	return NULL;
}

static void post_rx_all(struct vnet_dev *d)
{
	struct vnet_queue *q = &d->q[VNET_RXQ];
	u16 n = q->num < VNET_QUEUE_NUM ? q->num : VNET_QUEUE_NUM;

	for (u16 i = 0; i < n; i++) {
		q->desc[i] = (struct vnet_desc){ (u64)(uintptr_t)q->buf[i], VNET_BUF_LEN,
						 VNET_DESC_F_WRITE, 0 };
		q->avail.ring[i] = i;
		q->inflight[i] = true;
	}
	q->avail_idx = n;
}

static void read_mac(struct vnet_dev *d)
{
	u32 gen;

	/* 4.2.2.2 / 2.5.1: re-read while ConfigGeneration changes under the read. */
	do {
		gen = rd(d, MMIO_CONFIG_GENERATION);
		for (unsigned int i = 0; i < VNET_MAC_LEN; i++)
			d->mac[i] = mmio_read8(d->base + MMIO_CONFIG + i);
	} while (gen != rd(d, MMIO_CONFIG_GENERATION));
}

const char *vnet_setup(struct vnet_dev *d, u16 tx_num)
{
	u32 lo, hi, status;
	const char *err;

	vnet_reset(d);
	if (rd(d, MMIO_STATUS))
		return d->err = "Status does not read 0 after reset";
	d->err = "set up failed";
	d->isr_seen = 0;
	status = VIRTIO_STATUS_ACKNOWLEDGE;
	wr(d, MMIO_STATUS, status);
	status |= VIRTIO_STATUS_DRIVER;
	wr(d, MMIO_STATUS, status);
	wr(d, MMIO_DEVICE_FEATURES_SEL, 0);
	lo = rd(d, MMIO_DEVICE_FEATURES);
	wr(d, MMIO_DEVICE_FEATURES_SEL, 1);
	hi = rd(d, MMIO_DEVICE_FEATURES);
	if (!(hi & FEAT_VERSION_1_HI) || !(lo & FEAT_MAC_BIT))
		return d->err = "the device does not offer VERSION_1 and MAC";
	wr(d, MMIO_DRIVER_FEATURES_SEL, 0);
	wr(d, MMIO_DRIVER_FEATURES, FEAT_MAC_BIT);
	wr(d, MMIO_DRIVER_FEATURES_SEL, 1);
	wr(d, MMIO_DRIVER_FEATURES, FEAT_VERSION_1_HI);
	status |= VIRTIO_STATUS_FEATURES_OK;
	wr(d, MMIO_STATUS, status);
	/* 3.1.1 step 6: FEATURES_OK must still be set, else the subset is refused. */
	if (!(rd(d, MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK)) {
		wr(d, MMIO_STATUS, status | VIRTIO_STATUS_FAILED);
		return d->err = "FEATURES_OK not kept";
	}
	read_mac(d);
	err = queue_setup(d, VNET_RXQ, VNET_QUEUE_NUM);
	if (!err)
		err = queue_setup(d, VNET_TXQ, tx_num > VNET_QUEUE_MAX ? VNET_QUEUE_MAX : tx_num);
	if (err) {
		wr(d, MMIO_STATUS, status | VIRTIO_STATUS_FAILED);
		return d->err = err;
	}
	post_rx_all(d);
	/*
	 * Sent buffers are reaped by polling (each send and receive): no
	 * interrupt for them (2.7.7), so the SPI only says a frame came or the
	 * device stopped.
	 */
	d->q[VNET_TXQ].avail.flags = VNET_AVAIL_F_NO_INTERRUPT;
	status |= VIRTIO_STATUS_DRIVER_OK;
	wr(d, MMIO_STATUS, status);
	d->live = true;
	d->err = NULL;
	vnet_publish(d, VNET_RXQ, 0); /* avail.idx = every posted buffer */
	return NULL;
}

/* ---------------------------------------------------------------- rings */

void vnet_publish(struct vnet_dev *d, unsigned int qi, u16 count)
{
	struct vnet_queue *q = &d->q[qi];

	q->avail_idx = (u16)(q->avail_idx + count);
	/* 2.7.13.3: descriptors and ring entries before the index... */
	dsb(ishst);
	*(volatile u16 *)&q->avail.idx = q->avail_idx;
	/* ...and the index before the notify (2.7.13.4: a full barrier). */
	dsb(ish);
	if (qi == VNET_TXQ) {
		/* The notify's cost: under Tessera, the whole switch of the frames it hands over. */
		u64 t0 = timer_count(), t;

		wr(d, VIRTIO_MMIO_QUEUE_NOTIFY, qi);
		t = timer_count() - t0;
		d->tx_notifies++;
		d->tx_notify_ticks += t;
		if (t > d->tx_notify_max)
			d->tx_notify_max = t;
		return;
	}
	/* 2.7.10: the device may say it needs no notify (Tessera does, for receive buffers). */
	if (!(*(volatile u16 *)&q->used.flags & VNET_USED_F_NO_NOTIFY))
		wr(d, VIRTIO_MMIO_QUEUE_NOTIFY, qi);
}

static void broken(struct vnet_dev *d, const char *why)
{
	d->live = false;
	d->err = why;
}

/*
 * The next used element of queue @qi, checked: the used index moved at
 * most num past what was read, the id below num and in flight. False when
 * none (or the device broke a rule: d->live is then false).
 */
static bool take_used(struct vnet_dev *d, unsigned int qi, struct vnet_used_elem *e)
{
	struct vnet_queue *q = &d->q[qi];
	u16 idx = *(volatile u16 *)&q->used.idx;

	if (idx == q->last_used)
		return false;
	if ((u16)(idx - q->last_used) > q->num) {
		broken(d, "used index moved more than num");
		return false;
	}
	dsb(ishld); /* 2.7.14: the element is read after the index */
	*e = *(volatile struct vnet_used_elem *)&q->used.ring[q->last_used % q->num];
	q->last_used++;
	if (e->id >= q->num || !q->inflight[e->id]) {
		broken(d, "used id out of range or not in flight");
		return false;
	}
	q->inflight[e->id] = false;
	return true;
}

unsigned int vnet_reap_tx(struct vnet_dev *d)
{
	struct vnet_used_elem e;
	unsigned int n = 0;

	while (d->live && take_used(d, VNET_TXQ, &e)) {
		d->tx_completed++;
		n++;
	}
	return n;
}

bool vnet_send(struct vnet_dev *d, const void *frame, u32 len)
{
	struct vnet_queue *q = &d->q[VNET_TXQ];
	u16 slot, nbuf = q->num < VNET_QUEUE_NUM ? q->num : VNET_QUEUE_NUM;

	vnet_reap_tx(d);
	if (!d->live || len < VNET_FRAME_MIN || len > VNET_FRAME_MAX)
		return false;
	slot = q->avail_idx % nbuf;
	if (q->inflight[slot] && d->tx_wait_us) {
		u64 end = timer_count() + timer_us_to_ticks(d->tx_wait_us);

		while (q->inflight[slot] && d->live && timer_count() < end)
			vnet_reap_tx(d);
	}
	if (q->inflight[slot] || !d->live)
		return false; /* ring full */
	memset(q->buf[slot], 0, VNET_HDR_LEN); /* 5.1.6.2: no offloads, all zero */
	memcpy(q->buf[slot] + VNET_HDR_LEN, frame, len);
	q->desc[slot] = (struct vnet_desc){ (u64)(uintptr_t)q->buf[slot], VNET_HDR_LEN + len, 0, 0 };
	q->avail.ring[q->avail_idx % q->num] = slot;
	q->inflight[slot] = true;
	vnet_publish(d, VNET_TXQ, 1);
	d->tx_frames++;
	return true;
}

u32 vnet_recv(struct vnet_dev *d, void *frame)
{
	struct vnet_queue *q = &d->q[VNET_RXQ];
	struct vnet_used_elem e;
	u32 len;

	vnet_reap_tx(d);
	for (;;) {
		if (!d->live || !take_used(d, VNET_RXQ, &e))
			return 0;
		if (e.len > VNET_BUF_LEN) {
			broken(d, "used length beyond the RX buffer");
			return 0;
		}
		len = e.len >= VNET_HDR_LEN + VNET_FRAME_MIN ? e.len - VNET_HDR_LEN : 0;
		if (len)
			memcpy(frame, q->buf[e.id] + VNET_HDR_LEN, len);
		else
			d->rx_bad++;
		/* The buffer goes back at once: its descriptor is unchanged. */
		q->avail.ring[q->avail_idx % q->num] = (u16)e.id;
		q->inflight[e.id] = true;
		vnet_publish(d, VNET_RXQ, 1);
		if (len) {
			d->rx_frames++;
			return len;
		}
	}
}

u32 vnet_ack(struct vnet_dev *d)
{
	u32 bits = rd(d, MMIO_INTERRUPT_STATUS);

	if (bits) {
		wr(d, MMIO_INTERRUPT_ACK, bits);
		d->isr_seen |= bits;
		d->irqs++;
	}
	return bits;
}

u32 vnet_status(struct vnet_dev *d)
{
	return rd(d, MMIO_STATUS);
}
