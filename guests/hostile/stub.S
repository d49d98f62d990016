/*
 * stub_call(regs, stub) (access.h): x0-x17 from regs[], BLR to the generated
 * stub (one instruction and a RET, calls.c), x0-x17 back into regs[]. An
 * SMCCC call must preserve x4-x17 (DEN 0028 D, 2.7 "Register use in AArch64
 * SMC and HVC calls", SMCCC v1.1 and later); the caller compares.
 */
	.section hostile_ops, "ax"
	.globl	stub_call
stub_call:
	stp	x29, x30, [sp, #-32]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	mov	x19, x0
	mov	x20, x1
	ldp	x0, x1, [x19, #0]
	ldp	x2, x3, [x19, #16]
	ldp	x4, x5, [x19, #32]
	ldp	x6, x7, [x19, #48]
	ldp	x8, x9, [x19, #64]
	ldp	x10, x11, [x19, #80]
	ldp	x12, x13, [x19, #96]
	ldp	x14, x15, [x19, #112]
	ldp	x16, x17, [x19, #128]
	blr	x20
	stp	x0, x1, [x19, #0]
	stp	x2, x3, [x19, #16]
	stp	x4, x5, [x19, #32]
	stp	x6, x7, [x19, #48]
	stp	x8, x9, [x19, #64]
	stp	x10, x11, [x19, #80]
	stp	x12, x13, [x19, #96]
	stp	x14, x15, [x19, #112]
	stp	x16, x17, [x19, #128]
	ldp	x19, x20, [sp, #16]
	ldp	x29, x30, [sp], #32
	ret
