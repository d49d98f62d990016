/*
 * Exceptions taken to EL1. Unexpected ones are reported (ESR/ELR/FAR) and
 * the guest powers off. A test that provokes one on purpose arms a catch
 * first: the next synchronous exception from EL1 is recorded and execution
 * resumes after the faulting instruction (or, for a fetch from a branch with
 * link, at the link register).
 */
#ifndef GUEST_EXC_H
#define GUEST_EXC_H

#include "guest.h"

/* Saved by vectors.S; the layout is fixed there. */
struct exc_frame {
	u64 x[31];
	u64 elr;
	u64 spsr;
	u64 esr;
	u64 far;
	u64 kind; /* vector index 0-15: (source << 2) | type */
};

_Static_assert(sizeof(struct exc_frame) == 288, "vectors.S FRAME_SIZE");

struct exc_caught {
	bool taken;
	u64 esr;
	u64 elr;
	u64 far;
	u64 spsr;
	bool pan; /* PSTATE.PAN in the handler (false without FEAT_PAN) */
};

/* Arms the catch for one synchronous exception at EL1. */
void exc_catch_arm(void);

/* The same for an instruction fetch reached by BLR: execution resumes at x30. */
void exc_catch_arm_return(void);

/* Disarms it; returns what was caught (taken == false when nothing was). */
struct exc_caught exc_catch_disarm(void);

/*
 * A guest that resumes from exceptions itself (guests/hostile) installs a
 * hook: exc_handle() calls it first for every exception but the IRQ at EL1,
 * and it returns true when it has handled @f (ELR moved as it wants).
 */
typedef bool (*exc_hook_fn)(struct exc_frame *f);
void exc_set_hook(exc_hook_fn hook);

/* ESR_ELx.EC of @esr. */
unsigned int esr_ec(u64 esr);

void exc_handle(struct exc_frame *f);

#endif
