/*
 * EL1 exception vectors (VBAR_EL1, DDI 0487 J.a D19.2.157):
 * 16 entries of 128 bytes, 2 KiB aligned. Every entry but one saves the full
 * register frame (struct exc_frame, exc.h) and calls exc_handle(), which
 * either reports and powers off or, for an exception a test armed, moves
 * ELR_EL1 past the instruction; the frame is then restored and we ERET.
 *
 * The exception: IRQ at EL1 with SP_EL1 (how the guest runs) goes to
 * irq_entry, which saves only what a C call may clobber (x0-x18, x30) and
 * ELR/SPSR, and calls irq_handle() (irq.c). IRQs are unmasked only while the
 * guest waits for one (irq.h), so they never nest.
 */

#define FRAME_SIZE 288		/* sizeof(struct exc_frame) */
#define FRAME_ELR 248
#define FRAME_ESR 264
#define FRAME_KIND 280

#define IRQ_FRAME_SIZE 176	/* x0-x18, x30, ELR_EL1, SPSR_EL1 */
#define IRQ_FRAME_ELR 160

.macro ventry kind
	.balign	128
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	exc_entry
.endm

.macro ventry_irq
	.balign	128
	b	irq_entry
.endm

	.section .text.vectors, "ax"
	.balign	2048
	.globl	vectors
vectors:
	ventry	0		/* current EL, SP_EL0: sync */
	ventry	1		/* IRQ */
	ventry	2		/* FIQ */
	ventry	3		/* SError */
	ventry	4		/* current EL, SP_ELx: sync */
	ventry_irq		/* IRQ: the one the guest expects */
	ventry	6		/* FIQ */
	ventry	7		/* SError */
	ventry	8		/* lower EL, AArch64: sync */
	ventry	9		/* IRQ */
	ventry	10		/* FIQ */
	ventry	11		/* SError */
	ventry	12		/* lower EL, AArch32: sync */
	ventry	13		/* IRQ */
	ventry	14		/* FIQ */
	ventry	15		/* SError */

exc_entry:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mrs	x1, elr_el1
	mrs	x2, spsr_el1
	stp	x1, x2, [sp, #FRAME_ELR]
	mrs	x1, esr_el1
	mrs	x2, far_el1
	stp	x1, x2, [sp, #FRAME_ESR]
	str	x0, [sp, #FRAME_KIND]

	mov	x0, sp
	bl	exc_handle

	ldp	x1, x2, [sp, #FRAME_ELR]
	msr	elr_el1, x1
	msr	spsr_el1, x2
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	add	sp, sp, #FRAME_SIZE
	eret

	.globl	irq_entry	/* also the benchmark guest's, after it reads its counters */
irq_entry:
	sub	sp, sp, #IRQ_FRAME_SIZE
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x0, x1, [sp, #IRQ_FRAME_ELR]

	bl	irq_handle

	ldp	x0, x1, [sp, #IRQ_FRAME_ELR]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x30, [sp, #144]
	add	sp, sp, #IRQ_FRAME_SIZE
	eret
