/*
 * chanuser: the Linux end of a Tessera inter-VM channel (guests/linux/README.md,
 * "test=channel"). It runs the ring protocol every end shares
 * (guests/common/chanproto.h) over a channel's PCI function, bound to
 * uio_pci_generic (uio.h): handshake, then N exchanges, each request and
 * reply verified end to end.
 *
 *   chanuser [-n messages] [-c channel] [-w handshake_s] [-x corrupt]
 *
 * -n  exchanges (default 1000); -c  the channel's tessera,name (default: the
 * first channel); -w  seconds each side of the handshake waits (default 10);
 * -x  spoil message k after checksumming it (a test of the peer's checks).
 * Every line starts with "chanuser: "; a failure prints "chanuser: FAILED (<why>)"
 * and exits 1.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "chanproto.h"
#include "uio.h"

#define MESSAGES_DEFAULT 1000
#define HANDSHAKE_S_DEFAULT 10
#define IDLE_NS 1000000 /* between two handshake polls */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	fputs("chanuser: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static int fail(const char *why)
{
	say("FAILED (%s)", why);
	return 1;
}

static void io_ring(void *ctx)
{
	uio_channel_ring(ctx);
}

static const char *io_wait(void *ctx, uint64_t timeout_us)
{
	return uio_channel_wait(ctx, timeout_us);
}

static uint64_t io_now_us(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void io_idle(void *ctx)
{
	struct timespec ts = { 0, IDLE_NS };

	(void)ctx;
	nanosleep(&ts, NULL);
}

/* A non-negative decimal option value, or -1. */
static long number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s && !*end && v >= 0 ? v : -1;
}

int main(int argc, char **argv)
{
	long messages = MESSAGES_DEFAULT, handshake_s = HANDSHAKE_S_DEFAULT, corrupt = -1;
	const char *name = NULL, *self, *err;
	struct uio_channel c;
	struct chproto_io io = { .ctx = &c, .ring = io_ring, .wait = io_wait, .now_us = io_now_us,
				 .idle = io_idle };
	struct chproto p;
	uint64_t t0, us;
	int opt;

	while ((opt = getopt(argc, argv, "n:c:w:x:")) != -1) {
		switch (opt) {
		case 'n': messages = number(optarg); break;
		case 'c': name = optarg; break;
		case 'w': handshake_s = number(optarg); break;
		case 'x': corrupt = number(optarg); break;
		default: messages = -1; break;
		}
	}
	if (messages < 0 || messages > UINT32_MAX || handshake_s < 0 || optind != argc ||
	    (corrupt < 0 && corrupt != -1) || corrupt >= UINT32_MAX) {
		fprintf(stderr, "usage: chanuser [-n messages] [-c channel] [-w handshake_s] [-x corrupt]\n");
		return 2;
	}

	self = uio_vm_name();
	if (!self)
		return fail("no VM name: /sys/firmware/devicetree/base/model is not \"Tessera VM <name>\"");
	err = uio_channel_open(&c, name);
	if (err)
		return fail(err);
	say("channel %s on %s (PCI %s): peer %s, shm 0x%llx+0x%llx (BAR 0)%s", c.name, c.dev, c.pci,
	    c.peer, (unsigned long long)c.shm_addr, (unsigned long long)c.shm_size,
	    c.read_only ? ", read-only" : "");
	if (c.read_only)
		return fail("this end is read-only; the protocol writes to the shared memory");
	if (!chproto_init(&p, c.shm, c.shm_size, chproto_role(self, c.peer), &io))
		return fail(p.why);
	p.handshake_us = (uint64_t)handshake_s * 1000000;
	if (corrupt >= 0)
		p.corrupt = (uint32_t)corrupt;
	say("channel %s: %s is the %s", c.name, self, chproto_role_name(p.role));

	if (!chproto_handshake(&p))
		return fail(p.why);
	t0 = io_now_us(NULL);
	for (uint32_t k = 0; k < (uint32_t)messages; k++) {
		if (!chproto_exchange(&p, k)) {
			say("sent %u received %u messages, 1 error", k + (p.role != CHPROTO_RESPONDER),
			    k);
			return fail(p.why);
		}
	}
	us = io_now_us(NULL) - t0;
	say("sent %ld received %ld messages, 0 errors; %llu doorbells received", messages,
	    messages, (unsigned long long)c.doorbells);
	say("%ld round trips in %llu us (%llu ns each)", messages, (unsigned long long)us,
	    messages ? (unsigned long long)(us * 1000 / (uint64_t)messages) : 0ULL);
	return 0;
}
