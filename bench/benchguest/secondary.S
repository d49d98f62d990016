/*
 * Entry of the second vCPU, started by PSCI CPU_ON for the IPI benchmark
 * (ipi.c): EL1h, MMU off, x0 = the context id = the top of its stack
 * (Arm DEN 0022, CPU_ON). The same identity map as vCPU 0 (mmu.c), the common
 * vectors until ipi_secondary_main() installs the stamping ones.
 */
	.text
	.globl	secondary_entry
secondary_entry:
	msr	daifset, #0xf
	msr	spsel, #1
	mov	sp, x0
	adrp	x9, vectors
	add	x9, x9, :lo12:vectors
	msr	vbar_el1, x9
	isb
	bl	mmu_enable_secondary
	bl	ipi_secondary_main
1:	wfi			/* ipi_secondary_main() does not return */
	b	1b
