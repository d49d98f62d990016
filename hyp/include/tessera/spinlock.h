/*
 * Ticket spinlock. Used only off the hot paths (console lines, cross-CPU
 * requests); each is named where it is declared with what it protects.
 * Needs the MMU on (exclusives/atomics on Normal memory).
 */
#ifndef TESSERA_SPINLOCK_H
#define TESSERA_SPINLOCK_H

#include <tessera/types.h>

struct spinlock {
	u16 owner;
	u16 next;
};

/* In a busy-wait: let the other hardware thread (or an emulator's other vCPU) run. */
static inline void cpu_relax(void)
{
#ifdef __aarch64__
	__asm__ volatile("yield");
#endif
}

static inline void spin_lock(struct spinlock *l)
{
	u16 ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, (u16)(l->owner + 1), __ATOMIC_RELEASE);
}

/*
 * The caller holds @l: where a locking rule requires it. Nothing at EL2 (a
 * ticket lock does not know its holder); the host tests' stand-in
 * (tests/unit/fake_spinlock.h) checks it, on the simulated CPU that runs.
 */
#define spin_assert_held(l) ((void)(l))

#endif
