/*
 * The self-checks of test=selftest. Each prints one line,
 * "check <name>: ok" or "check <name>: FAILED (<why>)", and returns the verdict.
 */
#ifndef TESTGUEST_CHECKS_H
#define TESTGUEST_CHECKS_H

#include "dt.h"

bool check_memory(const struct dt_info *info);
bool check_uart(void);
bool check_timer(void);
/* Only with an arm,gic-v3 node in the DT; without one it prints nothing and passes. */
bool check_gic(const struct dt_info *info);
bool check_psci(const struct dt_info *info);

#endif
