/*
 * id_reg_read_hw(crm, op2): MRS of S3_0_C0_C<crm>_<op2>, crm 1-7, op2 0-7.
 * The register is part of the instruction, so there is one MRS per
 * encoding: two-instruction entries, entered by index (crm & 7) * 8 + op2;
 * crm 0 (MIDR_EL1 and its neighbours, outside the TID3 space) returns 0.
 * Only rows of the id_regs.c table are read, never an encoding the CPU
 * might not decode.
 */
#include "asm_macros.h"

	.text
func id_reg_read_hw
	and	x0, x0, #7
	and	x1, x1, #7
	add	x0, x1, x0, lsl #3
	adr	x1, 1f
	add	x1, x1, x0, lsl #3
	br	x1
1:
	.rept 8
	mov	x0, #0
	ret
	.endr
	.irp crm, 1, 2, 3, 4, 5, 6, 7
	.irp op2, 0, 1, 2, 3, 4, 5, 6, 7
	mrs	x0, S3_0_C0_C\crm\()_\op2
	ret
	.endr
	.endr
endfunc id_reg_read_hw
