/*
 * test=channel and test=channel-ro (chantest.h). The VM whose name sorts
 * first is the initiator; a channel whose peer is the VM itself (a native
 * loopback, README.md) plays both roles in turn on the one CPU.
 */
#include <stdio.h>

#include "channel.h"
#include "chanproto.h"
#include "chantest.h"
#include "timer.h"


/* Probes, prints the first channel and opens it; NULL (after a FAILED line) when it cannot. */
static struct channel *start(const struct dt_info *info, const char *mode)
{
	const char *err = channel_probe(info);
	struct channel *ch = channel_at(0);

	if (!err && !ch)
		err = "no tessera,channel node in the DT";
	if (err) {
		say("%s: FAILED (%s)", mode, err);
		return NULL;
	}
	say("channel %s: peer %s, shm 0x%llx+0x%llx, doorbell 0x%llx, INTID %u%s", ch->name,
	    ch->peer, (unsigned long long)ch->shm.base, (unsigned long long)ch->shm.size,
	    (unsigned long long)ch->doorbell, ch->intid, ch->read_only ? ", read-only" : "");
	err = channel_open(info, ch);
	if (err) {
		say("%s: FAILED (channel %s: %s)", mode, ch->name, err);
		return NULL;
	}
	return ch;
}

static bool fail(const char *why)
{
	say("channel: FAILED (%s)", why);
	return false;
}

static void io_ring(void *ctx)
{
	channel_ring(ctx);
}

static const char *io_wait(void *ctx, u64 timeout_us)
{
	static char why[64];
	struct channel *ch = ctx;

	if (channel_wait(ch, timeout_us))
		return NULL;
	snprintf(why, sizeof(why), "none within %llu ms; %llu received",
		 (unsigned long long)(timeout_us / 1000), (unsigned long long)ch->doorbells);
	return why;
}


bool test_channel(const struct dt_info *info, u32 messages, u32 handshake_s, u32 corrupt)
{
	struct channel *ch = start(info, "channel");
	const char *self = channel_self_name(info);
	struct chproto_io io = { .ring = io_ring, .wait = io_wait, .now_us = channel_io_now_us,
				 .idle = channel_io_idle };
	struct chproto p;
	u64 t0;

	if (!ch)
		return false;
	if (!self)
		return fail("no VM name: /model is not \"Tessera VM <name>\"");
	if (ch->read_only)
		return fail("this end is read-only; test=channel writes to the shared memory");
	io.ctx = ch;
	if (!chproto_init(&p, (void *)(uintptr_t)ch->shm.base, ch->shm.size,
			  chproto_role(self, ch->peer), &io))
		return fail(p.why);
	p.handshake_us = (u64)handshake_s * 1000000;
	p.corrupt = corrupt;
	say("channel %s: %s is the %s", ch->name, self, chproto_role_name(p.role));

	if (!chproto_handshake(&p))
		return fail(p.why);
	t0 = timer_count();
	for (u32 k = 0; k < messages; k++)
		if (!chproto_exchange(&p, k))
			return fail(p.why);
	say("channel: %u messages each way verified, %llu doorbells received", messages,
	    (unsigned long long)ch->doorbells);
	say("channel: %u round trips in %llu us", messages,
	    (unsigned long long)timer_ticks_to_us(timer_count() - t0));
	if (channel_other_irqs())
		say("channel: %llu other interrupts acknowledged",
		    (unsigned long long)channel_other_irqs());
	return true;
}

bool test_channel_ro(const struct dt_info *info)
{
	struct channel *ch = start(info, "channel-ro");
	volatile u32 *shm;

	if (!ch)
		return false;
	if (!ch->read_only) {
		say("channel-ro: FAILED (this end of channel %s is not read-only)", ch->name);
		return false;
	}
	shm = (volatile u32 *)(uintptr_t)ch->shm.base;
	say("channel-ro: read 0x%08x at 0x%llx; storing there", *shm,
	    (unsigned long long)ch->shm.base);
	/* One STR without writeback: a stage-2 fault on it has a valid syndrome. */
	__asm__ volatile("str %w0, [%1]\n\tdsb sy" : : "r"(0x0badc0deU), "r"(shm) : "memory");
	say("channel-ro: store to read-only shared memory did not fault");
	return false;
}
