/*
 * The hostile guest's faulting instructions. Every one of them lives in the
 * section "hostile_ops" (or in the generated stub page, calls.c): a
 * synchronous exception whose return address is anywhere else is not one the
 * campaign caused, and the guest reports it and powers off (campaign.c).
 */
#ifndef HOSTILE_ACCESS_H
#define HOSTILE_ACCESS_H

#include "guest.h"

#define HOSTILE_OPS __attribute__((noinline, section("hostile_ops")))

/* Bounds of the section, from the linker (an orphan section with a C name). */
extern char __start_hostile_ops[], __stop_hostile_ops[];

/*
 * One load or store instruction. The first AF_SYNDROME_FORMS forms are single
 * accesses a data abort describes fully (ESR_ELx.ISV = 1, DDI 0487 J.a
 * D19.2.37: size, sign extension, register, acquire/release); the rest give
 * ISV = 0 (pairs, writeback, exclusives and atomics): a hypervisor cannot
 * emulate them from the syndrome.
 */
enum access_form {
	AF_LDRB, AF_LDRH, AF_LDRW, AF_LDRX,
	AF_LDRSB, AF_LDRSH, AF_LDRSW, AF_LDRSBW, /* sign-extending loads (to X, and LDRSB to W) */
	AF_LDR_XZR,                              /* loaded value discarded (Rt = 31) */
	AF_STRB, AF_STRH, AF_STRW, AF_STRX,
	AF_STR_WZR,                              /* stores zero from WZR */
	AF_LDARW, AF_STLRX,
	AF_SYNDROME_FORMS,
	AF_LDPW = AF_SYNDROME_FORMS, AF_LDPX, AF_STPW, AF_STPX,
	AF_LDR_POST, AF_STR_PRE,                 /* writeback */
	AF_LDXRW, AF_STXRW, AF_LDADDW, AF_SWPX, AF_CASX,
	AF_FORMS
};

/* The bytes @form touches at its address. */
unsigned int access_size(enum access_form form);
bool access_is_write(enum access_form form);

/* Performs @form at @addr (stores write @val); returns what a load read (0 for stores). */
u64 access_do(u64 addr, enum access_form form, u64 val);

/* Cache maintenance and zeroing by address (DC ZVA, CIVAC, CVAC, IVAC). */
enum cache_form { CF_ZVA, CF_CIVAC, CF_CVAC, CF_IVAC, CF_FORMS };
void access_cache(u64 addr, enum cache_form form);

/*
 * Branches to @target; the exception the fetch takes (an instruction abort,
 * or whatever the fetched bytes do) resumes after the branch through
 * hostile_resume_pc, the only way back.
 */
void access_fetch(u64 target);

/* Set while a fetch is outstanding: where the exception hook resumes. */
extern volatile u64 hostile_resume_pc;

/*
 * Calls the generated stub @stub (calls.c) with x0-x17 from regs[0..17] and
 * stores x0-x17 back there afterwards (stub.S).
 */
void stub_call(u64 regs[18], u64 stub);

#endif
