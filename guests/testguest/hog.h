/*
 * test=hog: a CPU hog that reports its achieved work rate per period of
 * guest time, for the memory-bandwidth regulator's scenario (bwreg-hog).
 * Work is loop iterations; its own PMU event counter 0 counts INST_RETIRED
 * at EL1 and EL0, the event the regulator budgets on QEMU, so the guest
 * also shows that its own counters work beside EL2's (and it prints
 * PMCR_EL0.N, the counters it is given). @busy_us > 0: a self-limited hog,
 * busy @busy_us of every @period_us and waiting in WFI for the rest (the
 * control run's neighbour: the same load, no regulator). @work > 0: at
 * most @work iterations per period, then WFI: a rate that can only drop
 * when the CPU is taken from it.
 */
#ifndef TESTGUEST_HOG_H
#define TESTGUEST_HOG_H

#include "dt.h"

bool test_hog(const struct dt_info *info, u64 period_us, u64 busy_us, u64 work, u64 seconds);

#endif
