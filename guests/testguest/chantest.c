/*
 * test=channel and test=channel-ro (chantest.h). The VM whose name sorts
 * first is the initiator; a channel whose peer is the VM itself (a native
 * loopback, README.md) plays both roles in turn on the one CPU.
 */
#include <string.h>

#include "chanproto.h"
#include "chantest.h"
#include "timer.h"

#define HANDSHAKE_US 10000000 /* the peer VM may still be booting */
#define DOORBELL_US 2000000

enum role { INITIATOR, RESPONDER, LOOPBACK };

static const char *const role_names[] = { "initiator", "responder", "initiator and responder" };

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

/* Polls shared memory (no doorbell in the handshake) for at most HANDSHAKE_US. */
static bool poll_until(bool (*seen)(struct chproto *), struct chproto *p)
{
	u64 deadline = timer_count() + timer_us_to_ticks(HANDSHAKE_US);

	while (!seen(p))
		if (timer_count() > deadline)
			return false;
	return true;
}

static bool ready_seen(struct chproto *p)
{
	return chproto_ready_seen(p);
}

static bool handshake(struct chproto *p, enum role role)
{
	if (role != RESPONDER)
		chproto_hello(p, (u32)timer_count() | 1);
	if (role != INITIATOR) {
		if (!poll_until(chproto_hello_seen, p))
			return fail("no hello from the initiator within 10 s");
		chproto_ready(p);
	}
	if (role != RESPONDER && !poll_until(ready_seen, p))
		return fail("no ready from the responder within 10 s");
	return true;
}

static bool wait_doorbell(struct channel *ch, const char *what, u32 k)
{
	if (channel_wait(ch, DOORBELL_US))
		return true;
	say("channel: FAILED (no doorbell for %s %u within 2 s; %llu received)", what, k,
	    (unsigned long long)ch->doorbells);
	return false;
}

/* One exchange, this end's part of it. */
static bool exchange(struct channel *ch, struct chproto *p, enum role role, u32 k)
{
	if (role != RESPONDER) {
		chproto_send_request(p, k);
		channel_ring(ch);
	}
	if (role != INITIATOR) {
		if (!wait_doorbell(ch, "request", k))
			return false;
		if (!chproto_check_request(p, k))
			return fail(p->why);
		chproto_send_reply(p, k);
		channel_ring(ch);
	}
	if (role != RESPONDER) {
		if (!wait_doorbell(ch, "reply", k))
			return false;
		if (!chproto_check_reply(p, k))
			return fail(p->why);
	}
	return true;
}

bool test_channel(const struct dt_info *info, u32 messages)
{
	struct channel *ch = start(info, "channel");
	const char *self = channel_self_name(info);
	struct chproto p;
	enum role role;
	int order;

	if (!ch)
		return false;
	if (!self)
		return fail("no VM name: /model is not \"Tessera VM <name>\"");
	if (ch->read_only)
		return fail("this end is read-only; test=channel writes to the shared memory");
	if (!chproto_init(&p, ch))
		return fail(p.why);
	order = strcmp(self, ch->peer);
	role = order < 0 ? INITIATOR : order > 0 ? RESPONDER : LOOPBACK;
	say("channel %s: %s is the %s", ch->name, self, role_names[role]);

	if (!handshake(&p, role))
		return false;
	for (u32 k = 0; k < messages; k++)
		if (!exchange(ch, &p, role, k))
			return false;
	say("channel: %u messages each way verified, %llu doorbells received", messages,
	    (unsigned long long)ch->doorbells);
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
