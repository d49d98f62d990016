/*
 * The first EL2 state of every entry: the cold boot (head.S primary_entry)
 * and each PSCI warm entry (CPU_ON: secondary_entry). A warm entry starts
 * with EL2 state lost: PSCI (DEN 0022 6.4.3, "CPU_ON", and 6.4.2 on
 * CPU_SUSPEND powerdown) only fixes the entry EL, the MMU and caches being
 * off and the endianness; the other EL2 system registers are UNKNOWN, and
 * NVIDIA's Tegra234 TF-A keeps only CNTHP_CTL_EL2. So before any instruction
 * depends on them, this sets the registers that change how the following
 * code itself runs; everything else is set in C by cpu_init_el2() and
 * gic_cpu_init() (core/cpu.c cpu_main, run by every CPU on every entry).
 * No stack, no C, callable before relocation.
 */
#include "asm_macros.h"

/*
 * HCR_EL2 (DDI 0487 D19.2.48): RW = 1 and nothing else. E2H = 0 and TGE = 0
 * give the non-VHE EL2 register layout head.S and mmu.c program (TCR_EL2,
 * TTBR0_EL2 formats); a stale E2H would make them mean something else.
 */
#define HCR_EL2_BOOT 0x80000000
/*
 * SCTLR_EL2 (D19.2.118): its RES1 bits only: MMU, caches and alignment
 * checks off, little-endian (EE = 0), WXN off until the tables exist.
 */
#define SCTLR_EL2_BOOT 0x30c50830

	.text
func el2_reset_state
	mov	x9, #HCR_EL2_BOOT
	msr	hcr_el2, x9
	ldr	x9, =SCTLR_EL2_BOOT
	msr	sctlr_el2, x9
	msr	spsel, #1		/* run on SP_EL2 */
	adr_l	x9, hyp_vectors		/* a fault from here on is reported, not lost */
	msr	vbar_el2, x9
	isb
	ret
endfunc el2_reset_state
	.ltorg
