/*
 * Inter-VM channels as Tessera describes them in the guest DT: a root child
 *
 *	channel@<shm> {
 *		compatible = "tessera,channel";
 *		reg = <shm size>, <doorbell 0x1000>;	(the root's cell sizes)
 *		interrupts = <0 N 1>;			(SPI N, edge rising: the peer rang)
 *		tessera,name = "ping";
 *		tessera,peer = "beta";
 *		tessera,read-only;			(optional)
 *	};
 *
 * The shared memory is RAM mapped in both VMs; a 32-bit store to the doorbell
 * rings the peer. This library finds the nodes, maps the memory Normal in the
 * guest's identity map (the doorbell stays Device), routes each channel's SPI
 * to the calling CPU and counts doorbells.
 *
 * Interrupts are acknowledged by the library itself, with IRQs masked, in
 * channel_poll() and channel_wait() (ICC_IAR1_EL1 then ICC_EOIR1_EL1): irq.c
 * dispatches SGIs and PPIs only. The virtual timer, when the DT names it, is
 * the wake-up for channel_wait()'s timeout; do not mix these waits with
 * test=rt's use of that timer.
 */
#ifndef GUEST_CHANNEL_H
#define GUEST_CHANNEL_H

#include "dt.h"

/* The most channel nodes taken from the DT. */
#define CHANNEL_MAX 4

struct channel {
	const char *name;  /* tessera,name */
	const char *peer;  /* tessera,peer */
	struct range shm;  /* reg[0] */
	u64 doorbell;      /* reg[1].base */
	u32 intid;         /* 32 + N: raised when the peer rings */
	bool read_only;    /* tessera,read-only: this end may not store to shm */
	bool open;         /* channel_open() succeeded */
	volatile u64 doorbells; /* counted by channel_irq() */
	u64 consumed;      /* doorbells channel_wait() has returned */
};

/*
 * Reads every "tessera,channel" node of @info's DT (at most CHANNEL_MAX).
 * Returns NULL, or why a node cannot be used (naming it: a fixed buffer,
 * valid until the next call).
 */
const char *channel_probe(const struct dt_info *info);

unsigned int channel_count(void);
/* Channel @idx < channel_count(), in DT order. */
struct channel *channel_at(unsigned int idx);

/*
 * The VM's own name, from /model = "Tessera VM <name>" (hyp/core/guest_fdt.c);
 * NULL when the model has no such prefix (e.g. natively).
 */
const char *channel_self_name(const struct dt_info *info);

/*
 * Makes @ch usable: its shared memory Normal (refused when that would make a
 * device Normal too: the map has only 1 GiB blocks), the GIC set up once, the
 * SPI in Group 1, edge-triggered, routed to this CPU and enabled; the virtual
 * timer's PPI enabled as the wake-up of channel_wait(). Returns NULL or why
 * not (a fixed buffer).
 */
const char *channel_open(const struct dt_info *info, struct channel *ch);

/*
 * Rings the peer: DSB (what this end wrote to the shared memory is visible
 * first), then one 32-bit store to the doorbell. The value is 1 << (own
 * INTID % 32): Tessera ignores it, and it lets a native loopback whose
 * doorbell is GICD_ISPENDR<INTID / 32> ring itself (see the README).
 */
void channel_ring(const struct channel *ch);

/*
 * Acknowledges whatever is pending at the CPU interface, counting channel
 * doorbells, without unmasking IRQs or waiting.
 */
void channel_poll(void);

/*
 * Waits until @ch has a doorbell that no earlier call returned, at most
 * @timeout_us: true when one arrived (and is now consumed). After it returns
 * true, what the peer published before ringing is visible (DSB after the
 * acknowledge).
 */
bool channel_wait(struct channel *ch, u64 timeout_us);

/*
 * Sleeps about @us in WFI (the virtual timer wakes it), counting doorbells
 * that arrive meanwhile; returns at once when the DT names no timer. For
 * polling loops: a spinning vCPU keeps a host CPU busy under QEMU and
 * starves the other vCPUs under -icount.
 */
void channel_sleep(u64 us);

/* Between two looks at the peer's ring header during the handshake. */
#define CHANNEL_HANDSHAKE_POLL_US 1000

/* The chproto_io idle and now_us callbacks of every bare-metal end (@ctx unused). */
void channel_io_idle(void *ctx);
u64 channel_io_now_us(void *ctx);

/* The handler for a channel's INTID: counts one doorbell on its channel. */
void channel_irq(u32 intid);

/* Interrupts channel_poll() acknowledged that were neither a channel nor the timer. */
u64 channel_other_irqs(void);

#endif
