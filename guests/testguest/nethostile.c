/*
 * test=nethostile (nettest.h): a virtio-net driver that breaks one rule of
 * the split virtqueue (virtio 1.2, 2.7) per case on its TX queue. The device
 * must stop (Status DEVICE_NEEDS_RESET and InterruptStatus bit 1, 2.1.2 and
 * 4.2.2) and work again after a reset and a new set-up. An oversized frame
 * in a valid buffer is merely dropped (used len 0, the device still live).
 * Last, a valid frame: an ARP request for net_peer, answered.
 */
#include <string.h>

#include "nettest.h"
#include "rt.h"
#include "timer.h"

#define HOSTILE_WAIT_US 100000  /* for the device's answer to a notify */
#define HOSTILE_START_US 1000000 /* the other members are talking by then */
#define HOSTILE_TX_NUM VNET_QUEUE_MAX
#define HOSTILE_HEAD 16          /* hand-made descriptors: above the driver's own 16 buffers */
#define HOSTILE_CHAIN 17         /* one more than a chain may hold (VIRTQ_MAX_CHAIN) */
#define OVERSIZED 2000
#define ETHERTYPE_LOCAL 0x88b5   /* IEEE 802 local experimental */

/* A valid frame (header, then a 60-byte broadcast), an oversized one, an indirect table. */
static u8 frame[VNET_HDR_LEN + 60] __attribute__((aligned(64)));
static u8 big[VNET_HDR_LEN + OVERSIZED] __attribute__((aligned(64)));
static struct vnet_desc indirect[1] __attribute__((aligned(16)));

struct hostile_case {
	const char *name;
	bool stops; /* the device must stop; otherwise drop the frame and stay live */
	void (*run)(struct vnet_dev *d, const struct dt_info *info);
};

static void fill_frames(const u8 *mac)
{
	memset(frame, 0, sizeof(frame));
	memset(frame + VNET_HDR_LEN, 0xff, VNET_MAC_LEN);
	memcpy(frame + VNET_HDR_LEN + VNET_MAC_LEN, mac, VNET_MAC_LEN);
	frame[VNET_HDR_LEN + 12] = ETHERTYPE_LOCAL >> 8;
	frame[VNET_HDR_LEN + 13] = ETHERTYPE_LOCAL & 0xff;
	memset(big, 0, sizeof(big));
	memcpy(big, frame, VNET_HDR_LEN + 14);
}

/* Descriptor @idx of the TX table, in flight. */
static void put_desc(struct vnet_dev *d, u16 idx, u64 addr, u32 len, u16 flags, u16 next)
{
	struct vnet_queue *q = &d->q[VNET_TXQ];

	q->desc[idx] = (struct vnet_desc){ addr, len, flags, next };
	q->inflight[idx] = true;
}

/* Chain @head made available (one avail entry) and notified. */
static void offer(struct vnet_dev *d, u16 head)
{
	struct vnet_queue *q = &d->q[VNET_TXQ];

	q->avail.ring[q->avail_idx % q->num] = head;
	vnet_publish(d, VNET_TXQ, 1);
}

static void outside_ram(struct vnet_dev *d, const struct dt_info *info)
{
	put_desc(d, HOSTILE_HEAD, info->memory.base + info->memory.size + SZ_16M, sizeof(frame), 0, 0);
	offer(d, HOSTILE_HEAD);
}

static void looping_chain(struct vnet_dev *d, const struct dt_info *info)
{
	(void)info;
	put_desc(d, HOSTILE_HEAD, (uintptr_t)frame, VNET_HDR_LEN, VNET_DESC_F_NEXT, HOSTILE_HEAD + 1);
	put_desc(d, HOSTILE_HEAD + 1, (uintptr_t)frame + VNET_HDR_LEN, 60, VNET_DESC_F_NEXT,
		 HOSTILE_HEAD);
	offer(d, HOSTILE_HEAD);
}

/* Header, then the frame in 16 pieces of 4 bytes: valid but for its length. */
static void long_chain(struct vnet_dev *d, const struct dt_info *info)
{
	u16 first = HOSTILE_TX_NUM - HOSTILE_CHAIN;

	(void)info;
	put_desc(d, first, (uintptr_t)frame, VNET_HDR_LEN, VNET_DESC_F_NEXT, first + 1);
	for (u16 k = 1; k < HOSTILE_CHAIN; k++)
		put_desc(d, first + k, (uintptr_t)frame + VNET_HDR_LEN + 4U * (k - 1U), 4,
			 k + 1 < HOSTILE_CHAIN ? VNET_DESC_F_NEXT : 0, first + k + 1);
	offer(d, first);
}

static void huge_length(struct vnet_dev *d, const struct dt_info *info)
{
	(void)info;
	put_desc(d, HOSTILE_HEAD, (uintptr_t)frame, 0xffffffffU, 0, 0);
	offer(d, HOSTILE_HEAD);
}

/* Every avail entry a valid frame, but avail.idx moved num + 1 at once. */
static void avail_jump(struct vnet_dev *d, const struct dt_info *info)
{
	struct vnet_queue *q = &d->q[VNET_TXQ];

	(void)info;
	put_desc(d, HOSTILE_HEAD, (uintptr_t)frame, sizeof(frame), 0, 0);
	for (u16 i = 0; i < q->num; i++)
		q->avail.ring[i] = HOSTILE_HEAD;
	vnet_publish(d, VNET_TXQ, (u16)(q->num + 1));
}

/* VIRTIO_F_INDIRECT_DESC is not offered (2.7.5.3.1: the driver MUST NOT set INDIRECT then). */
static void indirect_desc(struct vnet_dev *d, const struct dt_info *info)
{
	(void)info;
	indirect[0] = (struct vnet_desc){ (uintptr_t)frame, sizeof(frame), 0, 0 };
	put_desc(d, HOSTILE_HEAD, (uintptr_t)indirect, sizeof(indirect), VNET_DESC_F_INDIRECT, 0);
	offer(d, HOSTILE_HEAD);
}

static void oversized(struct vnet_dev *d, const struct dt_info *info)
{
	(void)info;
	put_desc(d, HOSTILE_HEAD, (uintptr_t)big, sizeof(big), 0, 0);
	offer(d, HOSTILE_HEAD);
}

static const struct hostile_case cases[] = {
	{ "descriptor outside its RAM", true, outside_ram },
	{ "looping chain", true, looping_chain },
	{ "chain of 17 descriptors", true, long_chain },
	{ "length 0xffffffff", true, huge_length },
	{ "avail idx advanced by num+1", true, avail_jump },
	{ "INDIRECT descriptor", true, indirect_desc },
	{ "oversized frame (2000 bytes)", false, oversized },
};

/* Waits for the device's answer to a case; NULL when it is the one wanted, else what was seen. */
static const char *judge(struct vnet_dev *d, const struct dt_info *info, bool stops, u32 *status,
			 u32 *isr)
{
	struct vnet_queue *q = &d->q[VNET_TXQ];
	u64 end = timer_count() + timer_us_to_ticks(HOSTILE_WAIT_US);
	u32 bits = 0;

	for (;;) {
		u16 used = *(volatile u16 *)&q->used.idx;

		*status = vnet_status(d);
		bits |= vnet_ack(d);
		*isr = bits;
		if (stops && (*status & VIRTIO_STATUS_NEEDS_RESET))
			return bits & VIRTIO_INT_CONFIG ? NULL : "DEVICE_NEEDS_RESET without InterruptStatus bit 1";
		if (!stops && used != q->last_used) {
			struct vnet_used_elem e = q->used.ring[q->last_used % q->num];

			if (*status & VIRTIO_STATUS_NEEDS_RESET)
				return "the device stopped";
			return e.id == HOSTILE_HEAD && e.len == 0 ? NULL : "completed with a length or id not wanted";
		}
		if (timer_count() >= end)
			return stops ? "the device did not stop" : "not completed";
		net_sleep(info, 1000);
	}
}

/* The last case: a valid ARP request for the peer, answered within 5 s. */
static bool valid_frame(const struct dt_info *info, struct netping *p)
{
	u64 end = timer_count() + timer_us_to_ticks(5000000);

	p->frames = 0;
	while (!p->have_peer && timer_count() < end) {
		netping_poll(p, timer_count());
		net_sleep(info, 10000);
	}
	return p->have_peer && p->dev->live;
}

bool test_nethostile(const struct dt_info *info, const struct net_args *a)
{
	static struct netping ping;
	const char *err = a->err ? a->err : !a->given || !a->peer_ip ? "net_ip= and net_peer= are needed"
								    : vtimer_irq_setup(info);
	unsigned int passed = 0, total = ARRAY_SIZE(cases) + 1;
	char peer[16];

	if (!err)
		err = net_start(info, 0, a, HOSTILE_TX_NUM, &ping);
	if (err) {
		say("nethostile: FAILED (%s)", err);
		return false;
	}
	net_say_start(0, &ping);
	fill_frames(ping.dev->mac);
	net_sleep(info, HOSTILE_START_US);
	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct hostile_case *c = &cases[i];
		u32 status = 0, isr = 0;
		const char *why = vnet_setup(ping.dev, HOSTILE_TX_NUM);

		if (!why && c->run == long_chain && ping.dev->q[VNET_TXQ].num < HOSTILE_TX_NUM)
			why = "QueueNumMax below 32: no room for the chain";
		if (!why) {
			c->run(ping.dev, info);
			why = judge(ping.dev, info, c->stops, &status, &isr);
		}
		if (why)
			say("nethostile: %s: FAILED (%s; Status 0x%x, InterruptStatus 0x%x)", c->name, why,
			    status, isr);
		else if (c->stops)
			say("nethostile: %s: device stopped (Status 0x%x, InterruptStatus 0x%x); reset",
			    c->name, status, isr);
		else
			say("nethostile: %s: dropped (used len 0), device live (Status 0x%x)", c->name,
			    status);
		passed += !why;
	}
	err = vnet_setup(ping.dev, VNET_QUEUE_NUM);
	if (!err && valid_frame(info, &ping)) {
		say("nethostile: valid frame: ARP request for %s answered",
		    netping_ip_text(ping.peer_ip, peer));
		passed++;
	} else {
		say("nethostile: valid frame: FAILED (%s)", err ? err : ping.dev->live ? "no ARP reply within 5 s"
										 : ping.dev->err);
	}
	vnet_reset(ping.dev); /* leaves the network quietly */
	say("nethostile: %u of %u cases as expected", passed, total);
	say("check nethostile: %s", passed == total ? "ok" : "FAILED");
	return passed == total;
}
