/*
 * EL2 exception vectors (DDI 0487 D1.10.2) and the guest entry/exit path.
 *
 * From a lower EL the guest's x0-x30, ELR_EL2 and SPSR_EL2 are saved into the
 * frame at the top of this CPU's stack (arch/cpu_regs.h) and nothing else:
 * with one vCPU per physical CPU no EL1 state needs switching. The handler
 * gets the frame in x0 (and a synchronous one ESR_EL2 in x1); when it returns,
 * the frame is restored and we eret.
 * An IRQ, an HVC and a trapped SMC save only what C may clobber (x0-x18, x30):
 * their handlers never read or write the guest's x19-x29 (an IRQ's never look
 * at the guest's registers; SMCCC passes arguments and results in x0-x17 only,
 * DEN 0028 2.6 and 2.7), and x19-x29 survive the call (AAPCS64). A handler
 * that does not return (the vCPU stops) leaves the frame to be rewritten by
 * the next start, which restores all of it (guest_enter).
 * Exceptions taken at EL2 itself are hypervisor bugs: they are reported with
 * the registers and the CPU halts.
 */
#include <arch/cpu_regs.h>
#include "asm_macros.h"

#define VEC_SYNC 0
#define VEC_IRQ 1
#define VEC_FIQ 2
#define VEC_SERROR 3

/* The registers C may clobber (AAPCS64 caller-saved) and the return state; x0 = frame. */
/* x0 and x1 are saved by the vector slot; x1 is left as it is (ESR_EL2 on a sync entry). */
.macro save_caller_frame
	stp	x2, x3, [sp, #GREGS_X(2)]
	stp	x4, x5, [sp, #GREGS_X(4)]
	stp	x6, x7, [sp, #GREGS_X(6)]
	stp	x8, x9, [sp, #GREGS_X(8)]
	stp	x10, x11, [sp, #GREGS_X(10)]
	stp	x12, x13, [sp, #GREGS_X(12)]
	stp	x14, x15, [sp, #GREGS_X(14)]
	stp	x16, x17, [sp, #GREGS_X(16)]
	mrs	x0, elr_el2
	stp	x30, x0, [sp, #GREGS_X(30)]
	str	x18, [sp, #GREGS_X(18)]
	mrs	x2, spsr_el2
	str	x2, [sp, #GREGS_SPSR]
	mov	x0, sp
.endm

/* The whole frame: handlers may read or write any guest register. */
.macro save_frame
	save_caller_frame
	stp	x19, x20, [sp, #GREGS_X(19)]
	stp	x21, x22, [sp, #GREGS_X(21)]
	stp	x23, x24, [sp, #GREGS_X(23)]
	stp	x25, x26, [sp, #GREGS_X(25)]
	stp	x27, x28, [sp, #GREGS_X(27)]
	str	x29, [sp, #GREGS_X(29)]
.endm

/* Vector slot: 32 instructions at most, so the body lives out of line. */
.macro ventry target
	.balign 0x80
	sub	sp, sp, #GREGS_SIZE
	stp	x0, x1, [sp, #GREGS_X(0)]
	b	\target
.endm

#define BHB_SCRUB_CLRBHB (-1)

/*
 * Spectre-BHB (spectre_bhb.c): scrub the branch history a guest left before
 * EL2 executes any indirect branch. @bhb: 0 nothing, BHB_SCRUB_CLRBHB the CLRBHB
 * instruction (HINT #22, FEAT_CLRBHB) then ISB, or k: a loop of k taken
 * branches, then DSB NSH; ISB so nothing after it runs speculatively on the
 * old history (Arm's Spectre-BHB white paper). Clobbers x0 (already saved).
 */
.macro bhb_scrub bhb
.if \bhb == BHB_SCRUB_CLRBHB
	hint	#22
	isb
.elseif \bhb > 0
	mov	x0, #\bhb
1:	b	. + 4
	subs	x0, x0, #1
	b.ne	1b
	dsb	nsh
	isb
.endif
.endm

/* A slot for an exception from a lower EL: the scrub runs in the slot itself. */
.macro ventry_lower target, bhb
	.balign 0x80
	sub	sp, sp, #GREGS_SIZE
	stp	x0, x1, [sp, #GREGS_X(0)]
	bhb_scrub \bhb
	b	\target
.endm

.macro hyp_fault_entry kind
	save_frame
	mov	x1, #\kind
	bl	hyp_fault
	b	.
.endm

/*
 * One vector table (VBAR_EL2: 2 KiB aligned) per Spectre-BHB mitigation;
 * cpu_init_el2() installs this CPU's. hyp_vectors (no scrub) is also the
 * table from the first instruction of every entry until then (el2_entry.S),
 * when no guest has run on the CPU.
 */
.macro vector_table name, bhb
	.balign 0x800
func \name
	/* Current EL with SP_EL0: never used (EL2 runs on SP_EL2). */
	ventry	el2_sync
	ventry	el2_irq
	ventry	el2_fiq
	ventry	el2_serror
	/* Current EL with SP_EL2. */
	ventry	el2_sync
	ventry	el2_irq
	ventry	el2_fiq
	ventry	el2_serror
	/* Lower EL, AArch64. */
	ventry_lower	lower_sync, \bhb
	ventry_lower	lower_irq, \bhb
	ventry_lower	lower_fiq, \bhb
	ventry_lower	lower_serror, \bhb
	/* Lower EL, AArch32: HCR_EL2.RW = 1 makes this unreachable. */
	ventry	el2_sync
	ventry	el2_irq
	ventry	el2_fiq
	ventry	el2_serror
endfunc \name
.endm

	.text
	vector_table hyp_vectors, 0
	vector_table hyp_vectors_clrbhb, BHB_SCRUB_CLRBHB
	vector_table hyp_vectors_bhb_loop8, 8
	vector_table hyp_vectors_bhb_loop24, 24
	vector_table hyp_vectors_bhb_loop32, 32
	vector_table hyp_vectors_bhb_loop38, 38
	vector_table hyp_vectors_bhb_loop132, 132

el2_sync:	hyp_fault_entry VEC_SYNC
el2_irq:	hyp_fault_entry VEC_IRQ
el2_fiq:	hyp_fault_entry VEC_FIQ
el2_serror:	hyp_fault_entry VEC_SERROR

/*
 * ESR_EL2.EC (D19.2.40) of the classes whose handlers use x0-x17 of the frame
 * only: HVC and trapped SMC (SMCCC). They skip x19-x29 both ways; every other
 * class may read or write any register (a data abort's or a system register's
 * Rt), so it gets the whole frame and trap_lower_sync()'s table; HVC and SMC go
 * straight to trap_lower_smccc().
 */
#define EC_HVC64 0x16
#define EC_SMC64 0x17 /* EC_HVC64 | 1 */

lower_sync:
	mrs	x1, esr_el2
	/* EC is ESR_EL2[31:26] (ISS2 above it): EC[5:1] = 0b01011 is 0x16 or 0x17, nothing else. */
	ubfx	x0, x1, #27, #5
	cmp	x0, #(EC_HVC64 >> 1)
	b.eq	lower_sync_smccc
	save_frame
	bl	trap_lower_sync
	b	guest_resume

lower_sync_smccc:
	save_caller_frame
	bl	trap_lower_smccc
	b	guest_resume_caller

lower_irq:
	save_caller_frame
	bl	trap_lower_irq
	b	guest_resume_caller

lower_fiq:
	save_frame
	mov	x1, #VEC_FIQ
	bl	trap_lower_async
	b	guest_resume

lower_serror:
	save_frame
	mov	x1, #VEC_SERROR
	bl	trap_lower_async
	b	guest_resume

/*
 * guest_enter(frame): run the guest from the frame at the top of this CPU's
 * stack; everything below it on the stack is abandoned. Never returns.
 */
func guest_enter
	mov	sp, x0
	b	guest_resume
endfunc guest_enter

/* Restore the whole frame at sp and return to the guest. */
guest_resume:
	ldp	x19, x20, [sp, #GREGS_X(19)]
	ldp	x21, x22, [sp, #GREGS_X(21)]
	ldp	x23, x24, [sp, #GREGS_X(23)]
	ldp	x25, x26, [sp, #GREGS_X(25)]
	ldp	x27, x28, [sp, #GREGS_X(27)]
	ldr	x29, [sp, #GREGS_X(29)]
	/* fall through */

/* Restore what save_caller_frame saved (x19-x29 are live) and return to the guest. */
guest_resume_caller:
	ldr	x1, [sp, #GREGS_SPSR]
	ldp	x30, x0, [sp, #GREGS_X(30)]
	msr	elr_el2, x0
	msr	spsr_el2, x1
	ldp	x0, x1, [sp, #GREGS_X(0)]
	ldp	x2, x3, [sp, #GREGS_X(2)]
	ldp	x4, x5, [sp, #GREGS_X(4)]
	ldp	x6, x7, [sp, #GREGS_X(6)]
	ldp	x8, x9, [sp, #GREGS_X(8)]
	ldp	x10, x11, [sp, #GREGS_X(10)]
	ldp	x12, x13, [sp, #GREGS_X(12)]
	ldp	x14, x15, [sp, #GREGS_X(14)]
	ldp	x16, x17, [sp, #GREGS_X(16)]
	ldr	x18, [sp, #GREGS_X(18)]
	add	sp, sp, #GREGS_SIZE
	eret
	dsb	nsh			/* no speculation past eret */
	isb
