/* Host unit tests: a stand-in for the hypervisor's spinlock. Include before any hypervisor header. */
#ifndef TESTS_FAKE_SPINLOCK_H
#define TESTS_FAKE_SPINLOCK_H

/*
 * tessera/spinlock.h waits with the AArch64 `yield` instruction, which a host
 * compiler cannot assemble. This stand-in takes its place (same guard) and
 * checks the discipline instead: never taken twice, never released unheld.
 */
#define TESSERA_SPINLOCK_H
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
