/* test=level: the EL1 physical timer, and level interrupts whose pending state follows the line. */
#ifndef TESTGUEST_LEVELTEST_H
#define TESTGUEST_LEVELTEST_H

#include "dt.h"

/*
 * Five checks, each printing `check <name>: ok` or `check <name>: FAILED
 * (<why>)`: ptimer, ptimer-vtimer, vtimer-stale, ispendr, level-spi (README.md).
 * True when all passed.
 */
bool test_level(const struct dt_info *info);

#endif
