/* Host unit tests: a stand-in for the hypervisor's spinlock. Include before any hypervisor header. */
#ifndef TESTS_FAKE_SPINLOCK_H
#define TESTS_FAKE_SPINLOCK_H

/*
 * tessera/spinlock.h waits with the AArch64 `yield` instruction, which a host
 * compiler cannot assemble. This stand-in takes its place (same guard) and
 * checks the discipline instead: never taken twice by one CPU, released only
 * by its holder, held where the code says a rule requires it
 * (spin_assert_held). One CPU unless a test simulates several
 * (tests/unit/sim_cpus.h): then a lock another CPU holds makes this one wait
 * while the others run, and every acquisition is a point where another CPU
 * may run first.
 */
#define TESSERA_SPINLOCK_H
struct spinlock {
	int held;
	int owner; /* the simulated CPU holding it */
};

struct fake_spin_sim {
	int (*cpu)(void);         /* the simulated CPU that runs now */
	void (*wait)(void);       /* this CPU cannot go on: let the others run */
	void (*race_point)(void); /* another CPU may run before this step */
};

static inline struct fake_spin_sim *fake_spin_sim(void)
{
	static struct fake_spin_sim sim; /* all unset: one CPU */

	return &sim;
}

static inline int fake_spin_cpu(void)
{
	return fake_spin_sim()->cpu ? fake_spin_sim()->cpu() : 0;
}

static inline void cpu_relax(void)
{
	if (fake_spin_sim()->wait)
		fake_spin_sim()->wait();
}

static inline void spin_lock(struct spinlock *l)
{
	if (fake_spin_sim()->race_point)
		fake_spin_sim()->race_point();
	/* A second acquire on one CPU would deadlock on hardware. */
	assert_false(l->held && l->owner == fake_spin_cpu());
	while (l->held) {
		assert_non_null(fake_spin_sim()->wait); /* one CPU: nobody could release it */
		fake_spin_sim()->wait();
	}
	l->held = 1;
	l->owner = fake_spin_cpu();
}

static inline void spin_unlock(struct spinlock *l)
{
	assert_int_equal(l->held, 1);
	assert_int_equal(l->owner, fake_spin_cpu());
	l->held = 0;
}

/* Held by the CPU that runs now. */
static inline int spin_is_held(const struct spinlock *l)
{
	return l->held && l->owner == fake_spin_cpu();
}

#define spin_assert_held(l) assert_true(spin_is_held(l))

#endif
