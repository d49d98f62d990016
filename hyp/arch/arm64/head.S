/*
 * Entry points. Tessera is loaded as an arm64 Linux Image (QEMU -kernel,
 * U-Boot booti): entered at EL2, MMU off, x0 = physical address of the DTB
 * (Documentation/arch/arm64/booting.rst). It is linked at address 0 as a
 * position-independent executable and relocates itself here, so it runs
 * wherever the loader put it, identity mapped (VA == PA).
 */
#include <arch/cpu_regs.h>
#include "asm_macros.h"

#define R_AARCH64_RELATIVE 1027
#define IMAGE_FLAGS 0xa /* little endian, 4 KiB pages, placed anywhere (booting.rst) */

	.section .text.head, "ax"
func _start
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	__image_end - _start	/* image_size, bss included (PC-relative: no dynamic reloc) */
	.quad	IMAGE_FLAGS
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 (PE header offset) */
endfunc _start

	.text
func primary_entry
	msr	daifset, #0xf
	bl	el2_reset_state		/* el2_entry.S: the same on every entry */
	mov	x21, x0			/* DTB, kept across the calls below */
	adr	x0, _start
	bl	relocate

	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
	adr_l	x0, boot_stack_top
	mov	sp, x0
	mov	x0, x21
	bl	mmu_boot_enable		/* C with the MMU off: aligned stores only */
	mov	x0, x21
	bl	boot_main
	b	.
endfunc primary_entry

/*
 * relocate(base): apply the R_AARCH64_RELATIVE entries of .rela.dyn, the only
 * kind a -static-pie link leaves (the Makefile checks). Runs before any C.
 */
func relocate
	adr_l	x1, __rela_start
	adr_l	x2, __rela_end
1:	cmp	x1, x2
	b.hs	2f
	ldp	x3, x4, [x1], #16	/* r_offset, r_info */
	ldr	x5, [x1], #8		/* r_addend */
	cmp	w4, #R_AARCH64_RELATIVE
	b.ne	.			/* cannot happen: the build refuses other kinds */
	add	x5, x5, x0
	str	x5, [x0, x3]
	b	1b
2:	ret
endfunc relocate

/*
 * Secondary CPUs arrive here from PSCI CPU_ON with x0 = their CPU index,
 * at EL2, MMU off, EL2 state lost (el2_entry.S). The boot CPU published the
 * final translation registers in mmu_boot_regs and cleaned them to the
 * point of coherency.
 */
func secondary_entry
	msr	daifset, #0xf
	bl	el2_reset_state
	mov	x19, x0
	adr_l	x1, mmu_boot_regs
	ldp	x2, x3, [x1]		/* mair, tcr */
	msr	mair_el2, x2
	msr	tcr_el2, x3
	ldp	x2, x3, [x1, #16]	/* ttbr0, sctlr */
	msr	ttbr0_el2, x2
	isb
	tlbi	alle2
	dsb	nsh
	isb
	msr	sctlr_el2, x3
	isb
	mov	x0, x19
	b	cpu_enter
endfunc secondary_entry

/*
 * cpu_enter(index): switch to this CPU's own stack (whose top is its guest
 * register frame) and continue in cpu_main(index). Never returns.
 */
func cpu_enter
	adr_l	x1, cpus
	mov	x2, #CPU_STRUCT_SIZE
	madd	x1, x0, x2, x1
	msr	tpidr_el2, x1
	add	x2, x1, #CPU_STACK_SIZE
	mov	sp, x2
	mov	x29, xzr
	mov	x30, xzr
	b	cpu_main
endfunc cpu_enter

/* dcache_inval_poc(start, end): invalidate data cache lines by VA to PoC. */
func dcache_inval_poc
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4		/* DminLine: log2(words) */
	mov	x2, #4
	lsl	x2, x2, x3
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	dc	ivac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret
endfunc dcache_inval_poc

/* dcache_clean_poc(start, end): clean data cache lines by VA to PoC. */
func dcache_clean_poc
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4
	mov	x2, #4
	lsl	x2, x2, x3
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	dc	cvac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret
endfunc dcache_clean_poc

	.section .bss.boot_stack, "aw", %nobits
	.balign 16
boot_stack:
	.skip	0x4000
boot_stack_top:
