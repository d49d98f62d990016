/* The single-purpose tests selected by test=escape, test=smccc and test=undef. */
#ifndef TESTGUEST_TESTS_H
#define TESTGUEST_TESTS_H

#include "guest.h"

/*
 * Stores to @addr, outside the guest's RAM. Under Tessera the VM stops there
 * with fault-policy "stop"; else the store takes an external abort, which this
 * test does not catch (test=faults does).
 */
void test_escape(u64 addr);

/* Unknown SMCCC function IDs via HVC, then SMC: each must return NOT_SUPPORTED (-1). */
bool test_smccc(void);

/* An IMPLEMENTATION DEFINED system register read must UNDEF at EL1 (EC 0). */
bool test_undef(void);
/* test=echo: read one line from the console and print it back. */
void test_echo(void);

#endif
