/*
 * Entry of a bare-metal guest: the arm64 Image header, self-relocation, bss, the
 * stack, the vector table, then the MMU (mmu.c) and C.
 *
 * Boot protocol: Linux Documentation/arch/arm64/booting.rst ("Call the kernel
 * image"): EL1h (or EL2), MMU off, x0 = physical address of the DTB, image
 * loaded at a 2 MiB-aligned base + text_offset. With the MMU off every data
 * access is Device-nGnRnE, so everything here is naturally aligned.
 */
#include "sysreg.h"

/* Image header flags: bit 0 little-endian (0), bits [2:1] 4 KiB pages (1),
 * bit 3 placement anywhere in RAM (1). */
#define IMAGE_FLAGS ((1 << 1) | (1 << 3))

/* ELF for the Arm 64-bit Architecture (IHI 0056), dynamic relocations. */
#define R_AARCH64_RELATIVE 1027

#define STACK_SIZE 0x4000

	.section .text.head, "ax"
	.globl	_start
_start:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	_end - _start		/* image_size: file, bss and stack (PC-relative: no dynamic reloc) */
	.quad	IMAGE_FLAGS		/* flags */
	.quad	0			/* res2 */
	.quad	0			/* res3 */
	.quad	0			/* res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5: no PE/COFF header */

	.text
primary_entry:
	msr	daifset, #0xf
	msr	spsel, #1
	mov	x19, x0			/* DTB physical address, kept for C */

	/* Relocate: linked at 0, so the load address is the offset to add. */
	adrp	x20, _start
	add	x20, x20, :lo12:_start
	adrp	x21, __rela_start
	add	x21, x21, :lo12:__rela_start
	adrp	x22, __rela_end
	add	x22, x22, :lo12:__rela_end
1:	cmp	x21, x22
	b.hs	2f
	ldp	x9, x10, [x21], #16	/* r_offset, r_info */
	ldr	x11, [x21], #8		/* r_addend */
	cmp	x10, #R_AARCH64_RELATIVE
	b.ne	1b			/* a static PIE has no other kind */
	add	x11, x11, x20
	str	x11, [x9, x20]
	b	1b

2:	/* Clear bss (16-byte aligned bounds, guest.lds). */
	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
3:	cmp	x9, x10
	b.hs	4f
	stp	xzr, xzr, [x9], #16
	b	3b

4:	/*
	 * The image was written with the caches off (relocations, bss): drop
	 * any stale lines for it before the caches come on. DC IVAC to the
	 * PoC, line size from CTR_EL0.DminLine (D19.2.34).
	 */
	mrs	x9, ctr_el0
	ubfx	x9, x9, #CTR_EL0_DMINLINE_SHIFT, #4
	mov	x10, #4
	lsl	x10, x10, x9		/* bytes per line */
	sub	x11, x10, #1
	bic	x9, x20, x11
	adrp	x12, _end
	add	x12, x12, :lo12:_end
5:	dc	ivac, x9
	add	x9, x9, x10
	cmp	x9, x12
	b.lo	5b
	dsb	sy

	adrp	x9, stack_top
	add	x9, x9, :lo12:stack_top
	mov	sp, x9
	adrp	x9, vectors
	add	x9, x9, :lo12:vectors
	msr	vbar_el1, x9
	isb

	mov	x0, x19
	bl	mmu_enable
	mov	x0, x19
	bl	guest_main
6:	wfi				/* guest_main does not return */
	b	6b

	.bss
	.balign	16
stack_bottom:
	.skip	STACK_SIZE
stack_top:
