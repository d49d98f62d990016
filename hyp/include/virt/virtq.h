/*
 * Split virtqueues (virtio 1.2, 2.7) from the device's side, for a driver
 * that may be hostile. Everything the driver wrote is read once into
 * Tessera's memory before it is checked, and checked before it is used:
 * ring indices, descriptor indices, flags, addresses and lengths. A driver
 * that breaks a rule breaks its queue (VIRTQ_BROKEN): the device stops using
 * it until the driver resets the device (virtio 1.2, 2.1.1, DEVICE_NEEDS_RESET).
 * Bounded: a pop reads at most VIRTQ_MAX_CHAIN descriptors; a notify handles at
 * most num chains (the caller's loop).
 */
#ifndef VIRT_VIRTQ_H
#define VIRT_VIRTQ_H

#include <tessera/guest_mem.h>
#include <tessera/types.h>

#define VIRTQ_MAX_SIZE 256 /* QueueNumMax: the largest queue a driver may set up */
/*
 * Descriptors in one chain. Linux's virtio_net transmits a frame with
 * scatter-gather (VIRTIO_NET_F_CSUM) as its header, linear part and up to
 * MAX_SKB_FRAGS (17) pages: 19 descriptors without indirect ones.
 */
#define VIRTQ_MAX_CHAIN 32

/* virtio 1.2, 2.7.5 (struct virtq_desc.flags) */
#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_DESC_F_INDIRECT 4
/* 2.7.6: struct virtq_avail.flags */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
/* 2.7.8: struct virtq_used.flags */
#define VIRTQ_USED_F_NO_NOTIFY 1

/* Layout in guest memory (2.7.5-2.7.8), little-endian. */
struct virtq_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};

struct virtq_used_elem {
	u32 id;
	u32 len;
};

struct virtq {
	/* Written by the driver through the transport while !ready: */
	u32 num;                   /* QueueNum */
	u64 desc, driver, device;  /* IPAs: descriptor table, available ring, used ring */
	/* The device's: */
	bool ready;                /* enabled by virtq_enable and not reset since */
	u16 last_avail;            /* free-running index of the next available entry to take */
	u16 used_idx;              /* free-running index the device last published in used->idx */
};

/* One buffer of a chain: IPA and length, checked to lie inside the VM's RAM. */
struct virtq_buf {
	u64 addr;
	u32 len;
};

/*
 * A chain as the device took it: the readable buffers first (nr_out), then
 * the writable ones (nr_in), as 2.7.4.2 requires of the driver.
 */
struct virtq_chain {
	u16 head;
	u16 nr_out, nr_in;
	u32 out_len, in_len; /* totals of each part */
	struct virtq_buf buf[VIRTQ_MAX_CHAIN];
};

enum virtq_pop_result {
	VIRTQ_EMPTY,  /* no chain available */
	VIRTQ_CHAIN,  /* *chain filled */
	VIRTQ_BROKEN, /* the driver broke a rule: *why says which; do not use the queue again */
};

/* Device reset or a queue written again: not ready, indices back to 0. */
void virtq_reset(struct virtq *q);
/*
 * QueueReady written 1 (virtio 1.2, 4.2.3.2): NULL and the queue is ready,
 * or why not (num not a power of two in 1..VIRTQ_MAX_SIZE, an area not
 * aligned as 2.7 requires or not inside the VM's RAM).
 */
const char *virtq_enable(struct virtq *q, const struct guest_mem *m);
/*
 * A ready queue whose available buffers the device only reads when it needs
 * one: VIRTQ_USED_F_NO_NOTIFY into the used ring's flags (virtio 1.2,
 * 2.7.10: without VIRTIO_F_EVENT_IDX the device MAY set it), so a driver
 * that honours it spares the exit of each notify. False when the ring
 * cannot be written.
 */
bool virtq_suppress_notify(const struct virtq *q, const struct guest_mem *m);
/*
 * The next available chain. Checks, in order: avail->idx has not moved more
 * than num past last_avail; the head and every next index are below num; no
 * INDIRECT flag (not offered); no readable buffer after a writable one; each
 * buffer inside the VM's RAM; at most VIRTQ_MAX_CHAIN descriptors (a loop is
 * longer); totals fit in 32 bits.
 */
enum virtq_pop_result virtq_pop(struct virtq *q, const struct guest_mem *m, struct virtq_chain *chain,
				const char **why);
/*
 * Hands the chain at @head back with @written bytes written into its
 * writable part: the used element, then used->idx (release: the element
 * and the buffers' contents before the index; 2.7.8). False when the used
 * ring cannot be written (the queue is then broken; cannot happen after
 * virtq_enable unless the VM's memory changed).
 */
bool virtq_push(struct virtq *q, const struct guest_mem *m, u16 head, u32 written);
/*
 * Hands @n chains back at once (VIRTIO_NET_F_MRG_RXBUF: one frame in
 * several buffers): every element, then used->idx once, so the driver never
 * sees part of them. False as virtq_push.
 */
bool virtq_push_many(struct virtq *q, const struct guest_mem *m, const struct virtq_used_elem *elems,
		     unsigned int n);
/* Gives back the last @n chains popped and not pushed: they are available again, as the driver left them. */
void virtq_unpop(struct virtq *q, u16 n);
/*
 * After pushes: whether the driver wants an interrupt for them, from
 * avail->flags (VIRTQ_AVAIL_F_NO_INTERRUPT, 2.7.7; VIRTIO_F_EVENT_IDX is not
 * offered), read after a full barrier so a driver re-enabling interrupts
 * after its last look at the used ring is never missed.
 */
bool virtq_wants_interrupt(const struct virtq *q, const struct guest_mem *m);
/*
 * Copies from the chain's readable part, starting @offset bytes into it, or
 * into its writable part; returns the bytes copied (short at the part's end).
 */
u32 virtq_chain_read(const struct guest_mem *m, const struct virtq_chain *c, u32 offset, void *dst,
		     u32 len);
u32 virtq_chain_write(const struct guest_mem *m, const struct virtq_chain *c, u32 offset,
		      const void *src, u32 len);

#endif
