/* The single-purpose tests selected by test=escape, test=smccc and test=undef. */
#ifndef TESTGUEST_TESTS_H
#define TESTGUEST_TESTS_H

#include "dt.h"
#include "guest.h"

/*
 * Stores to @addr, outside the guest's RAM. Under Tessera the VM stops there
 * with fault-policy "stop"; else the store takes an external abort, which this
 * test does not catch (test=faults does).
 */
void test_escape(u64 addr);

/* Unknown SMCCC function IDs via HVC, then SMC: each must return NOT_SUPPORTED (-1). */
bool test_smccc(void);
/* test=manage: the management calls answer NOT_SUPPORTED to this VM (not the manager); then test=rt. */
bool test_manage(u64 self);

/* An IMPLEMENTATION DEFINED system register read must UNDEF at EL1 (EC 0). */
bool test_undef(void);
/*
 * test=suspend: PSCI CPU_SUSPEND, standby then powerdown, each woken by the
 * virtual timer's interrupt (needs the GIC and the timer PPI).
 */
bool test_suspend(const struct dt_info *info);
/*
 * test=suspend-reset: CPU 1 started into CPU_SUSPEND with nothing to wake it,
 * then SYSTEM_RESET; after the restart (tessera,restart-count 1) says so.
 */
bool test_suspend_reset(const struct dt_info *info);
/*
 * test=memhog: a bare-metal CPU and memory hog for @seconds of virtual time (0:
 * until stopped), never waiting and never trapping: the control neighbour for
 * the rt guest's interference runs (bench/interference.sh), Linux's boot
 * without Linux's traps, console, PSCI or GIC work.
 */
void test_memhog(const struct dt_info *info, u64 seconds);
/* test=echo: read one line from the console and print it back. */
void test_echo(void);

#endif
