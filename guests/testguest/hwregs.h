/* test=hwregs: the registers a CPU answers that a hypervisor must answer as hardware does. */
#ifndef TESTGUEST_HWREGS_H
#define TESTGUEST_HWREGS_H

#include "guest.h"

/*
 * ACTLR_EL1 reads without an exception; a RAS implementation shows no error
 * records (ERRIDR_EL1 = 0, ERRSELR_EL1 and ERXSTATUS_EL1 RAZ/WI); the ID
 * registers show no feature the VM cannot use (SVE, SME, AMU, MPAM,
 * SPE, trace) and an SVE instruction is UNDEFINED. Prints
 * "check hwregs: ok" or FAILED lines.
 */
bool test_hwregs(void);

#endif
