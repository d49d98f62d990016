/*
 * UEFI entry (the PE header's AddressOfEntryPoint, head.S): efi_entry(image
 * handle, system table), AAPCS64, at EL2 (or EL1) with the MMU and caches on
 * and memory identity mapped (UEFI 2.10 section 2.3.6). efi_boot() does the
 * firmware work in C and exits boot services; then, as the arm64 boot
 * protocol requires (Documentation/arch/arm64/booting.rst), the image is
 * cleaned to the point of coherency, the MMU and caches go off, and the
 * normal boot path starts with x0 = the DTB.
 */
#include "asm_macros.h"

#define EFI_LOAD_ERROR 0x8000000000000001
#define SCTLR_EL2_M_C_I 0x1005 /* MMU, data cache, instruction cache (D19.2.119) */

	.text
func efi_entry
	stp	x29, x30, [sp, #-32]!
	mov	x29, sp
	stp	x0, x1, [sp, #16]
	/* The C below reads pointers from initialised data: relocate first (idempotent). */
	adr_l	x0, _start
	bl	relocate
	ldp	x0, x1, [sp, #16]
	bl	efi_boot		/* the DTB, after ExitBootServices; 0 if boot services still run */
	cbz	x0, 1f

	msr	daifset, #0xf
	mov	x19, x0
	adr_l	x0, _start
	adr_l	x1, __image_end
	bl	dcache_clean_poc	/* the DTB was cleaned by efi_boot */
	mrs	x0, sctlr_el2
	mov	x1, #SCTLR_EL2_M_C_I
	bic	x0, x0, x1
	msr	sctlr_el2, x0
	isb
	ic	iallu
	dsb	nsh
	isb
	mov	x0, x19
	b	primary_entry

1:	ldp	x29, x30, [sp], #32
	mov	x0, #EFI_LOAD_ERROR
	ret
endfunc efi_entry
