/*
 * channel_rtt: one round trip over an inter-VM channel (guests/common/channel.h)
 * with the ring protocol every end uses (guests/common/chanproto.h): request k
 * filled, checksummed, published and rung; the peer VM woken by its doorbell
 * interrupt, the request verified, reply k written and rung; this end woken,
 * the reply verified. Both VMs run bench=channel; the one whose name sorts
 * first measures, the other answers. Window: the whole exchange, between two
 * counter reads (the PMU counts EL1 and EL2; under QEMU icount it is the
 * machine's instruction count, so the peer VM and the hypervisor are in it).
 * Payloads cycle through every length from 1 to 240 bytes, so the figures
 * are a distribution over lengths.
 */
#include <stdio.h>

#include "bench.h"
#include "channel.h"
#include "chanproto.h"
#include "pmu.h"
#include "report.h"
#include "timer.h"

#define CHANNEL_WARMUP 16 /* exchanges before the first sample */

/* Both counters, in program order around the code between two calls. */
static inline void counters(u64 *ticks, u32 *pmu)
{
	__asm__ volatile("isb" : : : "memory");
	*ticks = timer_count();
	*pmu = pmu_read();
	__asm__ volatile("isb" : : : "memory");
}

static void io_ring(void *ctx)
{
	channel_ring(ctx);
}

static const char *io_wait(void *ctx, u64 timeout_us)
{
	return channel_wait(ctx, timeout_us) ? NULL : "none in time";
}


static void unavailable(const char *why)
{
	report_unavailable("channel_rtt", pmu_unit(), "%s", why);
	report_unavailable("channel_rtt", "ticks", "%s", why);
}

void bench_channel(const struct bench_ctx *ctx)
{
	u32 *pmu = bench_samples[BUF_A_PMU], *ticks = bench_samples[BUF_A_TICKS];
	const char *err = channel_probe(ctx->dt), *self = channel_self_name(ctx->dt);
	struct channel *ch = channel_at(0);
	struct chproto_io io = { .ring = io_ring, .wait = io_wait, .now_us = channel_io_now_us,
				 .idle = channel_io_idle };
	struct chproto p;
	u32 total = CHANNEL_WARMUP + ctx->samples;

	if (!err && !ch)
		err = "no tessera,channel node in the DT";
	if (!err && !self)
		err = "no VM name (/model is not \"Tessera VM <name>\")";
	if (!err)
		err = channel_open(ctx->dt, ch);
	if (err) {
		unavailable(err);
		return;
	}
	io.ctx = ch;
	if (!chproto_init(&p, (void *)(uintptr_t)ch->shm.base, ch->shm.size,
			  chproto_role(self, ch->peer), &io) ||
	    !chproto_handshake(&p)) {
		unavailable(p.why);
		return;
	}
	say("channel %s: %s is the %s, %u exchanges", ch->name, self, chproto_role_name(p.role),
	    total);

	for (u32 k = 0; k < total; k++) {
		u64 t0, t1;
		u32 p0, p1;

		counters(&t0, &p0);
		if (!chproto_exchange(&p, k)) {
			unavailable(p.why);
			return;
		}
		counters(&t1, &p1);
		if (k >= CHANNEL_WARMUP) {
			pmu[k - CHANNEL_WARMUP] = p1 - p0;
			ticks[k - CHANNEL_WARMUP] = (u32)(t1 - t0);
		}
	}
	if (p.role == CHPROTO_RESPONDER) {
		say("channel %s: %u exchanges answered, measured by %s", ch->name, total, ch->peer);
		return;
	}
	report_pmu("channel_rtt", pmu, ctx->samples, 1, NULL);
	report("channel_rtt", "ticks", ticks, ctx->samples, 1, NULL);
}
