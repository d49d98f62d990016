/*
 * Split virtqueues from the device's side (virt/virtq.h; virtio 1.2, 2.7).
 * Each value the driver wrote is copied into Tessera's memory once, with
 * guest_mem_read, and only the copy is checked and used: a driver that
 * changes its rings or descriptors meanwhile changes nothing the device
 * decided. Little-endian (2.7: "le16", "le32", "le64") is native on arm64
 * and on the hosts the unit tests run on.
 */
#include <virt/virtq.h>

/* 2.7.6: struct virtq_avail { le16 flags; le16 idx; le16 ring[num]; le16 used_event; } */
#define AVAIL_FLAGS 0
#define AVAIL_IDX 2
#define AVAIL_RING 4
/* 2.7.8: struct virtq_used { le16 flags; le16 idx; struct virtq_used_elem ring[num]; le16 avail_event; } */
#define USED_FLAGS 0
#define USED_IDX 2
#define USED_RING 4

void virtq_reset(struct virtq *q)
{
	q->ready = false;
	q->last_avail = 0;
	q->used_idx = 0;
}

const char *virtq_enable(struct virtq *q, const struct guest_mem *m)
{
	u64 num = q->num;

	/* 2.7: Queue Size is a power of 2; QueueNumMax bounds it (4.2.2). */
	if (num == 0 || num > VIRTQ_MAX_SIZE || (num & (num - 1)))
		return "queue size is not a power of two up to 256";
	/* 2.7, "Virtqueue Part / Alignment / Size": 16, 2 and 4 bytes. */
	if (!IS_ALIGNED(q->desc, 16) || !IS_ALIGNED(q->driver, 2) || !IS_ALIGNED(q->device, 4))
		return "a queue area is misaligned";
	if (!guest_mem_contains(m, q->desc, 16 * num) || !guest_mem_contains(m, q->driver, 6 + 2 * num) ||
	    !guest_mem_contains(m, q->device, 6 + 8 * num))
		return "a queue area is outside the VM's RAM";
	q->ready = true;
	return NULL;
}

bool virtq_suppress_notify(const struct virtq *q, const struct guest_mem *m)
{
	u16 flags = VIRTQ_USED_F_NO_NOTIFY;

	return q->ready && guest_mem_write(m, q->device + USED_FLAGS, &flags, sizeof(flags));
}

/* Reads one little-endian u16 of the driver's rings: false when it cannot. */
static bool read_u16(const struct guest_mem *m, u64 ipa, u16 *val)
{
	return guest_mem_read(m, ipa, val, sizeof(*val));
}

/* Takes the chain from @head (already below num) into @chain: NULL, or why not. */
static const char *walk_chain(const struct virtq *q, const struct guest_mem *m, u16 head,
			      struct virtq_chain *chain)
{
	u64 out_len = 0, in_len = 0;
	u16 idx = head;

	chain->head = head;
	chain->nr_out = chain->nr_in = 0;
	/* A loop repeats descriptors forever: the bound catches it with over-long chains. */
	for (unsigned int n = 0;; n++) {
		struct virtq_desc d;

		if (n == VIRTQ_MAX_CHAIN)
			return "a descriptor chain is longer than 32 descriptors (or loops)";
		if (!guest_mem_read(m, q->desc + 16ULL * idx, &d, sizeof(d)))
			return "the descriptor table is not readable";
		/* VIRTIO_F_INDIRECT_DESC is not offered (2.7.5.3.1: the driver MUST NOT set INDIRECT). */
		if (d.flags & VIRTQ_DESC_F_INDIRECT)
			return "an indirect descriptor (not offered)";
		/* 2.7.4.2: device-writable descriptors come after every device-readable one. */
		if (!(d.flags & VIRTQ_DESC_F_WRITE) && chain->nr_in)
			return "a readable descriptor after a writable one";
		if (!guest_mem_contains(m, d.addr, d.len))
			return "a buffer outside the VM's RAM";
		if (d.flags & VIRTQ_DESC_F_WRITE) {
			in_len += d.len;
			chain->nr_in++;
		} else {
			out_len += d.len;
			chain->nr_out++;
		}
		if (out_len > 0xffffffffULL || in_len > 0xffffffffULL)
			return "a chain's length does not fit in 32 bits";
		chain->buf[n] = (struct virtq_buf){ .addr = d.addr, .len = d.len };
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			break;
		/* 2.7.5: next is an index into the descriptor table. */
		if (d.next >= q->num)
			return "a descriptor's next index is not below the queue size";
		idx = d.next;
	}
	chain->out_len = (u32)out_len;
	chain->in_len = (u32)in_len;
	return NULL;
}

enum virtq_pop_result virtq_pop(struct virtq *q, const struct guest_mem *m, struct virtq_chain *chain,
				const char **why)
{
	u16 avail_idx, head;

	*why = NULL;
	if (!q->ready)
		return VIRTQ_EMPTY;
	if (!read_u16(m, q->driver + AVAIL_IDX, &avail_idx)) {
		*why = "the available ring is not readable";
		return VIRTQ_BROKEN;
	}
	/* 2.7.6: idx is free-running; the driver never has more than num chains out. */
	if ((u16)(avail_idx - q->last_avail) > q->num) {
		*why = "the available index moved more than the queue size";
		return VIRTQ_BROKEN;
	}
	if (avail_idx == q->last_avail)
		return VIRTQ_EMPTY;
	/* 2.7.13.3.1: the driver writes the ring entry before idx; read them in that order. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (!read_u16(m, q->driver + AVAIL_RING + 2ULL * (q->last_avail & (q->num - 1)), &head)) {
		*why = "the available ring is not readable";
		return VIRTQ_BROKEN;
	}
	if (head >= q->num) {
		*why = "a chain's head index is not below the queue size";
		return VIRTQ_BROKEN;
	}
	*why = walk_chain(q, m, head, chain);
	if (*why)
		return VIRTQ_BROKEN;
	q->last_avail++;
	return VIRTQ_CHAIN;
}

bool virtq_push_many(struct virtq *q, const struct guest_mem *m, const struct virtq_used_elem *elems,
		     unsigned int n)
{
	u16 idx = q->used_idx;

	if (!q->ready || n > q->num)
		return false;
	for (unsigned int i = 0; i < n; i++, idx++) {
		u64 slot = q->device + USED_RING + 8ULL * (idx & (q->num - 1));

		if (elems[i].id >= q->num || !guest_mem_write(m, slot, &elems[i], sizeof(elems[i])))
			return false;
	}
	/* 2.7.8.2 / 2.7.13.3: the elements and the buffers' contents before idx. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	if (!guest_mem_write(m, q->device + USED_IDX, &idx, sizeof(idx)))
		return false;
	q->used_idx = idx;
	return true;
}

bool virtq_push(struct virtq *q, const struct guest_mem *m, u16 head, u32 written)
{
	const struct virtq_used_elem elem = { .id = head, .len = written };

	return virtq_push_many(q, m, &elem, 1);
}

void virtq_unpop(struct virtq *q, u16 n)
{
	q->last_avail = (u16)(q->last_avail - n);
}

bool virtq_wants_interrupt(const struct virtq *q, const struct guest_mem *m)
{
	u16 flags;

	/*
	 * 2.7.7.2: used->idx written, then a full barrier, then avail->flags
	 * read; the driver clears NO_INTERRUPT, then a full barrier, then reads
	 * used->idx (Linux's virtqueue_enable_cb and virtqueue_poll). Either it
	 * sees the new entries or Tessera sees the flag cleared.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!read_u16(m, q->driver + AVAIL_FLAGS, &flags))
		return true;
	return !(flags & VIRTQ_AVAIL_F_NO_INTERRUPT);
}

/* Copies between @host and the chain's buffers buf[first, first + count), from @offset on. */
static u32 chain_copy(const struct guest_mem *m, const struct virtq_chain *c, unsigned int first,
		      unsigned int count, u32 offset, u8 *to_host, const u8 *from_host, u32 len)
{
	u32 done = 0;

	for (unsigned int i = first; i < first + count && i < VIRTQ_MAX_CHAIN && done < len; i++) {
		const struct virtq_buf *b = &c->buf[i];
		u32 n;

		if (offset >= b->len) {
			offset -= b->len;
			continue;
		}
		n = b->len - offset;
		if (n > len - done)
			n = len - done;
		if (to_host ? !guest_mem_read(m, b->addr + offset, to_host + done, n)
			    : !guest_mem_write(m, b->addr + offset, from_host + done, n))
			break;
		done += n;
		offset = 0;
	}
	return done;
}

u32 virtq_chain_read(const struct guest_mem *m, const struct virtq_chain *c, u32 offset, void *dst,
		     u32 len)
{
	return chain_copy(m, c, 0, c->nr_out, offset, dst, NULL, len);
}

u32 virtq_chain_write(const struct guest_mem *m, const struct virtq_chain *c, u32 offset,
		      const void *src, u32 len)
{
	return chain_copy(m, c, c->nr_out, c->nr_in, offset, NULL, src, len);
}
