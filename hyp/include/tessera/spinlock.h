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

static inline void spin_lock(struct spinlock *l)
{
	u16 ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket) {
#ifdef __aarch64__
		__asm__ volatile("yield");
#endif
	}
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, (u16)(l->owner + 1), __ATOMIC_RELEASE);
}

#endif
