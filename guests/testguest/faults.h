/* test=faults (faults.c). */
#ifndef TESTGUEST_FAULTS_H
#define TESTGUEST_FAULTS_H

#include "dt.h"
#include "guest.h"

/*
 * Loads, stores, a fetch and DC ZVA at @addr (where this guest has no memory),
 * then, when the DT has a GIC, a load pair and unsupported widths at its
 * distributor: each must arrive at this guest's handler as a synchronous
 * external abort with the architectural ESR_EL1, FAR_EL1 and ELR_EL1.
 * Prints "check faults: ok (...)" or "check faults: FAILED (...)".
 */
bool test_faults(const struct dt_info *info, u64 addr);

#endif
