/*
 * test=rt (rt.h). The handler does all the accounting and closes each second
 * into a small ring; the main loop, with IRQs masked, prints what the ring
 * holds and waits in WFI. A line is printed just after the tick that closes
 * its second, so it overlaps no deadline as long as printing it takes less
 * than one period.
 *
 * Deadlines are absolute: deadline k = start + k * period, whatever the
 * handler's latency. Second s holds the deadlines in (start + (s-1) s,
 * start + s s]. A handler that finds the next deadline already past counts
 * the deadlines it skips as missed (in the second it runs in) and programs
 * the first future one.
 */
#include <stdio.h>
#include <string.h>

#include "gic.h"
#include "irq.h"
#include "nettest.h"
#include "rt.h"
#include "timer.h"

#define RT_PERIOD_US_MAX 1000000 /* at most one second: a tick closes at most one second */
#define RT_RING 8
#define RT_PROBE_WAIT_US 1000000
#define RT_US_TEXT 32 /* "<u64>.<3 digits>" */
#define RT_HIST 24      /* latency buckets: [0, 1 us), then [2^(k-1), 2^k) us; the last is open */

struct rt_second {
	u64 sec;      /* 1-based */
	u64 ticks;
	u64 max_lat;  /* counter ticks, this second */
	u64 missed;
	u64 spurious; /* timer interrupts taken before the deadline */
	u64 worst;    /* counter ticks, since the start, when the second closed */
	u64 gap;      /* counter ticks, longest interval between handler entries since the start */
};

/* Written by the handler only; read by the main loop with IRQs masked. */
static struct {
	u64 period, freq, seconds;
	u64 next;       /* the programmed deadline */
	u64 sec_end;    /* last counter value of the current second */
	u64 last_entry; /* counter at the previous handler entry, 0 before the first */
	u64 worst, gap, total, total_missed, dropped;
	u64 hist[RT_HIST];
	struct rt_second cur;
	struct rt_second ring[RT_RING];
	unsigned int head, tail;
	bool done;
} rt;

static void close_second(void)
{
	u64 sec = rt.cur.sec + 1;

	rt.cur.worst = rt.worst;
	rt.cur.gap = rt.gap;
	if (rt.head - rt.tail < RT_RING)
		rt.ring[rt.head++ % RT_RING] = rt.cur;
	else
		rt.dropped++;
	memset(&rt.cur, 0, sizeof(rt.cur));
	rt.cur.sec = sec;
	rt.sec_end += rt.freq;
	if (rt.seconds && sec > rt.seconds) {
		rt.done = true;
		timer_stop();
	}
}

/* The bucket of a latency of @ticks: 0 below 1 us, k for [2^(k-1), 2^k) us. */
static unsigned int hist_bucket(u64 ticks)
{
	u64 us = timer_ticks_to_ns(ticks) / 1000;
	unsigned int k = 0;

	while (us && k < RT_HIST - 1) {
		us >>= 1;
		k++;
	}
	return k;
}

static void rt_tick(u32 intid)
{
	u64 now = timer_count(), lat, next;

	(void)intid;
	if (rt.done)
		return;
	if (now < rt.next) {
		rt.cur.spurious++;
		return;
	}
	lat = now - rt.next;
	if (rt.last_entry && now - rt.last_entry > rt.gap)
		rt.gap = now - rt.last_entry;
	rt.last_entry = now;
	rt.cur.ticks++;
	rt.total++;
	if (lat > rt.cur.max_lat)
		rt.cur.max_lat = lat;
	if (lat > rt.worst)
		rt.worst = lat;
	rt.hist[hist_bucket(lat)]++;

	next = rt.next + rt.period;
	if (next <= now) {
		u64 skipped = (now - next) / rt.period + 1;

		next += skipped * rt.period;
		rt.cur.missed += skipped;
		rt.total_missed += skipped;
	}
	rt.next = next;
	timer_irq_next(next);
	while (next > rt.sec_end && !rt.done)
		close_second();
}

/*
 * @ticks of the counter as microseconds with three decimals ("1234.567"): one
 * unit for every figure of the report, exact to the nanosecond.
 */
static const char *us_text(char buf[RT_US_TEXT], u64 ticks)
{
	u64 ns = timer_ticks_to_ns(ticks);

	snprintf(buf, RT_US_TEXT, "%llu.%03llu", (unsigned long long)(ns / 1000),
		 (unsigned long long)(ns % 1000));
	return buf;
}

static void print_second(const struct rt_second *s)
{
	char extra[64] = ""; /* two ", <word> <u64>" fit */
	char lat[RT_US_TEXT], worst[RT_US_TEXT], gap[RT_US_TEXT];
	size_t n = 0;

	if (s->missed)
		n += (size_t)snprintf(extra, sizeof(extra), ", missed %llu",
				      (unsigned long long)s->missed);
	if (s->spurious)
		snprintf(extra + n, sizeof(extra) - n, ", spurious %llu",
			 (unsigned long long)s->spurious);
	say("rt: second %llu: %llu ticks, latency max %s us, worst %s us, longest gap %s us%s",
	    (unsigned long long)s->sec, (unsigned long long)s->ticks, us_text(lat, s->max_lat),
	    us_text(worst, s->worst), us_text(gap, s->gap), extra);
}

/* ------------------------------------------------------------------ probe */

static volatile bool probe_taken;

static void probe_tick(u32 intid)
{
	(void)intid;
	timer_stop(); /* drops the (level) PPI before the interrupt is ended */
	probe_taken = true;
}

/* One deadline 1 ms ahead, polled with IRQ windows, so that a PPI that never arrives is reported. */
static bool probe(u32 intid)
{
	u64 deadline = timer_count() + timer_us_to_ticks(1000);
	u64 give_up = deadline + timer_us_to_ticks(RT_PROBE_WAIT_US);

	probe_taken = false;
	irq_set_handler(intid, probe_tick);
	timer_irq_start(deadline);
	while (!probe_taken && timer_count() < give_up)
		irq_window();
	irq_set_handler(intid, NULL);
	if (probe_taken)
		return true;
	say("rt: FAILED (INTID %u not taken within 1 s of its deadline: CNTV_CTL_EL0.ISTATUS %u, "
	    "GICR_ISPENDR0 0x%08x)",
	    intid, timer_irq_pending() ? 1 : 0, gic_pending_private());
	timer_stop();
	return false;
}

/* ------------------------------------------------------------------- run */

const char *vtimer_irq_setup(const struct dt_info *info)
{
	const char *err = gic_init(&info->gic);

	if (err)
		return err;
	if (!info->vtimer_intid)
		return info->vtimer_err;
	gic_enable_private(info->vtimer_intid, GIC_PRIO_DEFAULT);
	return NULL;
}

static const char *rt_setup(const struct dt_info *info, u64 period_us)
{
	if (period_us == 0 || period_us > RT_PERIOD_US_MAX)
		return "period_us must be 1 to 1000000";
	if (!timer_freq() || !timer_us_to_ticks(period_us))
		return "the period is shorter than one counter tick";
	return vtimer_irq_setup(info);
}

/* The net options' pinger, started before the ticks; NULL when not asked for or it cannot run. */
static struct netping *net_start_rt(const struct dt_info *info, const struct net_args *net)
{
	static struct netping ping;
	const char *err;

	if (!net || !net->given)
		return NULL;
	err = net->err ? net->err : !net->peer_ip ? "net_peer= is needed" : NULL;
	if (!err)
		err = net_start(info, 0, net, VNET_QUEUE_NUM, &ping);
	if (err) {
		say("net: FAILED (%s)", err);
		return NULL;
	}
	net_say_start(0, &ping);
	return &ping;
}

static void net_report(const struct netping *p)
{
	char peer[16];

	say("net: sent %u echo requests to %s, %u replies (%u ARP requests sent, %u answered; %llu "
	    "frames received)%s%s",
	    p->sent, netping_ip_text(p->peer_ip, peer), p->replies, p->arp_sent, p->arp_answered,
	    (unsigned long long)p->dev->rx_frames, p->dev->live ? "" : "; device stopped: ",
	    p->dev->live ? "" : p->dev->err);
}

bool test_rt(const struct dt_info *info, u64 period_us, u64 seconds, const struct net_args *net)
{
	const char *err = rt_setup(info, period_us);
	char length[32] = "forever", worst[RT_US_TEXT];
	struct netping *ping;
	u64 start;

	if (err) {
		say("rt: FAILED (%s)", err);
		return false;
	}
	if (seconds)
		snprintf(length, sizeof(length), "%llu s", (unsigned long long)seconds);
	/* The guest cannot tell whether QEMU runs with icount: the line says what each case means. */
	say("rt: all figures in us of guest virtual time (CNTVCT_EL0): instruction-driven under "
	    "QEMU icount; without icount they include the host's scheduling of QEMU");
	say("rt: virtual timer INTID %u, period %llu us (%llu counter ticks at %llu Hz), %s",
	    info->vtimer_intid, (unsigned long long)period_us,
	    (unsigned long long)timer_us_to_ticks(period_us), (unsigned long long)timer_freq(),
	    length);
	if (!probe(info->vtimer_intid))
		return false;
	ping = net_start_rt(info, net);

	memset(&rt, 0, sizeof(rt));
	rt.period = timer_us_to_ticks(period_us);
	rt.freq = timer_freq();
	rt.seconds = seconds;
	rt.cur.sec = 1;
	start = timer_count();
	rt.sec_end = start + rt.freq;
	rt.next = start + rt.period;
	irq_set_handler(info->vtimer_intid, rt_tick);
	timer_irq_start(rt.next);

	for (;;) {
		while (rt.tail != rt.head)
			print_second(&rt.ring[rt.tail++ % RT_RING]);
		if (rt.done)
			break;
		if (ping)
			netping_poll(ping, timer_count());
		irq_wait();
	}
	timer_stop();
	irq_set_handler(info->vtimer_intid, NULL);

	if (ping)
		net_report(ping);
	if (rt.dropped)
		say("rt: %llu per-second lines lost (printing fell behind)",
		    (unsigned long long)rt.dropped);
	/* One line per non-empty bucket: the latency histogram (bench/interference-report.sh). */
	for (unsigned int k = 0; k < RT_HIST; k++) {
		if (!rt.hist[k])
			continue;
		if (k == RT_HIST - 1)
			say("rt: histogram %llu us and more: %llu", 1ULL << (k - 1),
			    (unsigned long long)rt.hist[k]);
		else
			say("rt: histogram %llu-%llu us: %llu", k ? 1ULL << (k - 1) : 0ULL, 1ULL << k,
			    (unsigned long long)rt.hist[k]);
	}
	us_text(worst, rt.worst);
	if (rt.total_missed)
		say("rt: done, %llu ticks, worst latency %s us, missed %llu",
		    (unsigned long long)rt.total, worst, (unsigned long long)rt.total_missed);
	else
		say("rt: done, %llu ticks, worst latency %s us", (unsigned long long)rt.total, worst);
	return true;
}
