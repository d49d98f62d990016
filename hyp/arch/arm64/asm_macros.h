/* Assembly helpers. */
#ifndef ARCH_ASM_MACROS_H
#define ARCH_ASM_MACROS_H

/* PC-relative address of a symbol: valid with the MMU off and at any load address. */
.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

.macro func name
	.globl \name
	.type \name, %function
\name:
.endm

.macro endfunc name
	.size \name, . - \name
.endm

#endif
