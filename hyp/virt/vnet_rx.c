/*
 * A frame into a receiving network device (virt/vnet_internal.h): placed in
 * the receiver's posted buffers as its driver negotiated (virtio 1.2,
 * 5.1.6.3 and 5.1.6.4). A receiver that took the offloads gets a large TCP
 * frame whole and a partial checksum as it is; one that did not gets what a
 * NIC would put on the wire: MTU-sized segments with complete checksums
 * (vnet_offload.c). Everything here runs under the receiver's lock, which
 * guards its queues and every write into its buffers.
 */
#include <tessera/cpu.h>
#include <tessera/spinlock.h>
#include <virt/vnet_offload.h>

#include "vnet_internal.h"

/* Each CPU's segment being built for a receiver without TSO. */
static u8 segment[PLATFORM_MAX_CPUS][ETH_MAX_FRAME] __attribute__((aligned(64)));

/* Writes bytes [@at, @at + @n) of the received frame (@hdr then @eth) into @c's buffers from @off. */
static void write_span(const struct vnet_port *d, const struct virtq_chain *c, u32 off,
		       const struct vnet_hdr *hdr, const u8 *eth, u32 at, u32 n)
{
	if (at < VNET_HDR_LEN) {
		u32 h = n < VNET_HDR_LEN - at ? n : VNET_HDR_LEN - at;

		virtq_chain_write(&d->mem, c, off, (const u8 *)hdr + at, h);
		off += h;
		at += h;
		n -= h;
	}
	if (n)
		virtq_chain_write(&d->mem, c, off, eth + (at - VNET_HDR_LEN), n);
}

/*
 * Lock held, @d running: @hdr and the frame into @d's receive queue. One
 * buffer without VIRTIO_NET_F_MRG_RXBUF; with it as many as the frame needs
 * (at most VNET_MAX_MERGE), num_buffers saying how many, all returned at
 * once. Not enough buffers: the ones taken are given back untouched in the
 * ring's view (virtq_unpop) and the frame is lost. *why: @d broke a rule.
 */
static bool place(struct vnet_port *d, struct vnet_hdr *hdr, const u8 *eth, u32 len, const char **why)
{
	struct virtq *q = &d->q[VNET_RXQ];
	struct virtq_used_elem used[VNET_MAX_MERGE];
	struct virtq_chain chains[2]; /* the first buffer's (num_buffers is written into it), the current */
	u32 total = VNET_HDR_LEN + len, done = 0;
	bool merge = vnet_has(d, VIRTIO_NET_F_MRG_RXBUF);
	u16 count = 0;

	hdr->num_buffers = 1;
	while (done < total) {
		struct virtq_chain *chain = &chains[count ? 1 : 0];
		enum virtq_pop_result r;
		u32 n;

		if (count == (merge ? VNET_MAX_MERGE : 1) || !q->ready ||
		    (r = virtq_pop(q, &d->mem, chain, why)) == VIRTQ_EMPTY) {
			virtq_unpop(q, count);
			return false;
		}
		if (r == VIRTQ_BROKEN)
			return false;
		if (chain->nr_out) {
			*why = "a receive buffer is device-readable (virtio 1.2, 5.1.6.3)";
			return false;
		}
		/*
		 * The first buffer holds the header whole (5.1.6.3.1: buffers are at
		 * least that big), or, without MRG_RXBUF, the whole frame. One that
		 * does not is returned empty and the frame is lost. A later one may
		 * be of any size: an empty one is returned with the frame, counted
		 * in num_buffers, and the bound above still holds.
		 */
		if (!count && chain->in_len < (merge ? VNET_HDR_LEN : total)) {
			if (!virtq_push(q, &d->mem, chain->head, 0))
				*why = "its used ring cannot be written";
			return false;
		}
		n = chain->in_len < total - done ? chain->in_len : total - done;
		write_span(d, chain, 0, hdr, eth, done, n);
		used[count++] = (struct virtq_used_elem){ .id = chain->head, .len = n };
		done += n;
	}
	if (count > 1) {
		hdr->num_buffers = count;
		virtq_chain_write(&d->mem, &chains[0], offsetof(struct vnet_hdr, num_buffers),
				  &hdr->num_buffers, sizeof(hdr->num_buffers));
	}
	if (!virtq_push_many(q, &d->mem, used, count)) {
		*why = "its used ring cannot be written";
		return false;
	}
	return true;
}

/* The GUEST_TSO feature a TSO frame of @gso_type needs its receiver to have taken. */
static unsigned int guest_tso_bit(u8 gso_type)
{
	return (gso_type & ~VIRTIO_NET_HDR_GSO_ECN) == VIRTIO_NET_HDR_GSO_TCPV6 ? VIRTIO_NET_F_GUEST_TSO6
										 : VIRTIO_NET_F_GUEST_TSO4;
}

/* @d's driver negotiated what @hdr asks of it (lock held: the features cannot change meanwhile). */
static bool takes(const struct vnet_port *d, const struct vnet_hdr *hdr)
{
	return (!(hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) || vnet_has(d, VIRTIO_NET_F_GUEST_CSUM)) &&
	       (hdr->gso_type == VIRTIO_NET_HDR_GSO_NONE || vnet_has(d, guest_tso_bit(hdr->gso_type)));
}

/* Under @d's lock: place, count, interrupt, or the failure to report. */
static bool place_counted(struct vnet_port *d, struct vnet_hdr *hdr, const u8 *eth, u32 len)
{
	const char *why = NULL;
	bool placed = false, report = false;

	spin_lock(&d->lock);
	/*
	 * Only what the driver took (the sender's side decided from the features
	 * read without this lock: a driver renegotiating meanwhile loses the frame).
	 */
	if (vnet_running(d) && takes(d, hdr))
		placed = place(d, hdr, eth, len, &why);
	if (placed) {
		d->rx_frames++;
		if (virtq_wants_interrupt(&d->q[VNET_RXQ], &d->mem))
			vnet_raise_irq(d, VIRTIO_MMIO_INT_VRING);
	} else {
		d->rx_dropped++;
		if (why)
			report = vnet_device_fail(d);
	}
	spin_unlock(&d->lock);
	if (report)
		vnet_report_failure(d, why);
	return placed;
}

struct segment_ctx {
	struct vnet_port *d;
	unsigned int placed;
};

static void deliver_segment(void *ctx, const u8 *seg, u32 len)
{
	struct segment_ctx *s = ctx;
	struct vnet_hdr plain = { 0 };

	s->placed += place_counted(s->d, &plain, seg, len);
}

bool vnet_deliver(struct vnet_port *d, const struct vnet_hdr *hdr, const u8 *eth, u32 len)
{
	struct vnet_hdr copy = *hdr;
	struct segment_ctx s = { d, 0 };

	/*
	 * A TCP frame larger than the MTU to a driver that did not take it:
	 * segmented here. The feature is read without the lock: a driver that
	 * renegotiates meanwhile gets plain segments, which any driver takes.
	 */
	if (hdr->gso_type == VIRTIO_NET_HDR_GSO_NONE || vnet_has(d, guest_tso_bit(hdr->gso_type)))
		return place_counted(d, &copy, eth, len);
	return vnet_tso_segment(eth, len, hdr->gso_type, hdr->gso_size, segment[this_cpu()->index],
				deliver_segment, &s) > 0 &&
	       s.placed;
}
