/*
 * Fake arch (tests/fake/README.md): the hypervisor's spinlock on the host.
 * tessera/spinlock.h waits with the AArch64 `yield` instruction, which a host
 * compiler cannot assemble. This stand-in takes its place (same guard, found
 * first on the include path) and checks the discipline instead: never taken
 * twice, never released unheld. Tests read `held` to check a lock rule.
 */
#ifndef TESSERA_SPINLOCK_H
#define TESSERA_SPINLOCK_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

struct spinlock {
	int held;
};

static inline void spin_lock(struct spinlock *l)
{
	assert_int_equal(l->held, 0); /* a second acquire would deadlock on hardware */
	l->held = 1;
}

static inline void spin_unlock(struct spinlock *l)
{
	assert_int_equal(l->held, 1);
	l->held = 0;
}

#endif
