/*
 * The benchmark guest's EL1 vector tables (VBAR_EL1, DDI 0487 J.a D19.2):
 * every entry branches to the same entry of the common table
 * (guests/common/vectors.S) but "IRQ, current EL with SP_ELx", the one the
 * guest takes interrupts on, which first stores the PMU event counter and
 * CNTVCT_EL0 into this CPU's struct bench_cpu (TPIDR_EL1, percpu.h) and then
 * goes on as the common entry does. The counter is read by the third
 * instruction of the vector, CNTVCT_EL0 by the fourth.
 * Two tables: one reads the PMU, one stores 0 instead (no usable PMU: the
 * read could be UNDEFINED).
 */
#include "percpu.h"

.macro forward n
	.balign	128
	b	vectors + 128 * \n
.endm

.macro stamp_irq pmu
	.balign	128
	sub	sp, sp, #32
	stp	x0, x1, [sp]
	.if \pmu
	mrs	x0, pmevcntr0_el0
	.else
	mov	x0, xzr
	.endif
	mrs	x1, cntvct_el0
	str	x2, [sp, #16]
	mrs	x2, tpidr_el1
	stp	x0, x1, [x2, #CPU_ENTRY_PMU]
	ldr	x2, [sp, #16]
	ldp	x0, x1, [sp]
	add	sp, sp, #32
	b	irq_entry
.endm

.macro table name, pmu
	.balign	2048
	.globl	\name
\name:
	forward	0	/* current EL, SP_EL0 */
	forward	1
	forward	2
	forward	3
	forward	4	/* current EL, SP_ELx: sync */
	stamp_irq \pmu	/* IRQ */
	forward	6
	forward	7
	forward	8	/* lower EL, AArch64 */
	forward	9
	forward	10
	forward	11
	forward	12	/* lower EL, AArch32 */
	forward	13
	forward	14
	forward	15
.endm

	.text
	table	bench_vectors_pmu, 1
	table	bench_vectors_nopmu, 0
