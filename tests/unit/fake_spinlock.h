/*
 * Host unit tests that #include hypervisor .c files: the fake arch's spinlock
 * (tests/fake/include/tessera/spinlock.h). Include before any hypervisor header.
 */
#include "../fake/include/tessera/spinlock.h"
