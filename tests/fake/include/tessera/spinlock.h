/*
 * Fake arch (tests/fake/README.md): found first on the include path, so
 * hypervisor files compiled for the host get the checked stand-in of
 * tests/unit/fake_spinlock.h (same guard as the real tessera/spinlock.h,
 * whose `yield` a host compiler cannot assemble) instead. It asserts with
 * cmocka, whose headers come first.
 */
#ifndef FAKE_ARCH_SPINLOCK_H
#define FAKE_ARCH_SPINLOCK_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../../../unit/fake_spinlock.h"

#endif
