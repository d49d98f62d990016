/*
 * test=rt: the virtual timer by interrupt through the GIC, on absolute
 * deadlines @period_us apart, with the wake-up latency of every tick
 * (CNTVCT_EL0 at the handler's entry minus the deadline). One line per
 * second, for @seconds seconds (0: forever). Returns false when it could not
 * run (no GIC, no timer PPI in the DT, a bad period, no interrupt arrives).
 */
#ifndef TESTGUEST_RT_H
#define TESTGUEST_RT_H

#include "dt.h"

struct net_args;

#define RT_PERIOD_US_DEFAULT 1000
#define RT_SECONDS_DEFAULT 10

/*
 * With @net (net_ip= given), the background loop also pings net_peer over
 * the first virtio-net device (nettest.h): between ticks, never in the
 * handler; the device's SPI stays disabled (polled after each wake-up).
 */
bool test_rt(const struct dt_info *info, u64 period_us, u64 seconds, const struct net_args *net);

/*
 * The GIC set up and the virtual timer's PPI (from the DT) enabled, for a
 * wait by interrupt (irq.h); NULL, or why not.
 */
const char *vtimer_irq_setup(const struct dt_info *info);

#endif
