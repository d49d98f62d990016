/*
 * Entry points. Tessera is loaded as an arm64 Linux Image (QEMU -kernel,
 * U-Boot booti): entered at EL2, MMU off, x0 = physical address of the DTB
 * (Documentation/arch/arm64/booting.rst). It is linked at address 0 as a
 * position-independent executable and relocates itself here, so it runs
 * wherever the loader put it, identity mapped (VA == PA).
 *
 * The same file is a PE32+ EFI application (UEFI 2.10 section 2.1.1; PE
 * format: the Microsoft PE/COFF specification): "MZ" at 0, the PE header's
 * offset at 0x3c (the Image header's res5), the sections below. UEFI enters
 * efi_entry (efi_entry.S); it ends in primary_entry as a booti would.
 */
#include <arch/cpu_regs.h>
#include "asm_macros.h"
#include "pe.h"

#define R_AARCH64_RELATIVE 1027
#define IMAGE_FLAGS 0xa /* little endian, 4 KiB pages, placed anywhere (booting.rst) */

	.section .text.head, "ax"
func _start
	/*
	 * code0: "MZ" (the PE/COFF DOS signature), as an instruction that does
	 * nothing: ccmp x18, #0, #0xd, pl (Linux's EFI stub uses the same one).
	 */
	.long	PE_MZ_NOP
	b	primary_entry		/* code1 */
	.quad	0			/* text_offset */
	.quad	__image_end - _start	/* image_size, bss included (PC-relative: no dynamic reloc) */
	.quad	IMAGE_FLAGS
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	pe_header - _start	/* res5: PE header offset */
endfunc _start

/*
 * The PE header. Its offsets are differences from a symbol in this section,
 * which the assembler turns into PC-relative relocations resolved at link
 * time, and its other sizes absolute symbols from tessera.lds: no dynamic
 * relocation (the Makefile checks), whatever the load address.
 * Firmware may load the image anywhere: ImageBase is 0 and the base
 * relocation directory is empty without IMAGE_FILE_RELOCS_STRIPPED, which
 * edk2's PeCoffLoaderRelocateImage accepts as "nothing to fix up"; Tessera
 * relocates itself (relocate below).
 */
pe_header:
	.ascii	"PE\0\0"
	.short	PE_MACHINE_ARM64
	.short	2			/* NumberOfSections */
	.long	0, 0, 0			/* TimeDateStamp, PointerToSymbolTable, NumberOfSymbols */
	.short	pe_sections - pe_optional /* SizeOfOptionalHeader */
	.short	PE_FILE_EXECUTABLE_IMAGE | PE_FILE_LINE_NUMS_STRIPPED | PE_FILE_DEBUG_STRIPPED
pe_optional:
	.short	PE_OPT_MAGIC_PE32PLUS
	.byte	0, 0			/* linker version */
	.long	__text_end - efi_text_start /* SizeOfCode */
	.long	__pe_data_size		/* SizeOfInitializedData */
	.long	0			/* SizeOfUninitializedData */
	.long	efi_entry - _start	/* AddressOfEntryPoint */
	.long	efi_text_start - _start	/* BaseOfCode */
	.quad	0			/* ImageBase */
	.long	PE_SECTION_ALIGN
	.long	PE_FILE_ALIGN
	.short	0, 0, 0, 0, 0, 0	/* OS, image and subsystem versions */
	.long	0			/* Win32VersionValue */
	.long	__image_end - _start	/* SizeOfImage */
	.long	efi_text_start - _start	/* SizeOfHeaders */
	.long	0			/* CheckSum */
	.short	PE_SUBSYSTEM_EFI_APPLICATION
	.short	0			/* DllCharacteristics */
	.quad	0, 0, 0, 0		/* stack and heap reserve and commit */
	.long	0			/* LoaderFlags */
	.long	(pe_sections - pe_directories) / 8 /* NumberOfRvaAndSizes */
pe_directories:
	.quad	0, 0, 0, 0, 0		/* export, import, resource, exception, certificate */
	.quad	0			/* base relocations: none (see above) */
pe_sections:
	.ascii	".text\0\0\0"
	.long	__text_end - efi_text_start /* VirtualSize */
	.long	efi_text_start - _start	/* VirtualAddress */
	.long	__text_end - efi_text_start /* SizeOfRawData */
	.long	efi_text_start - _start	/* PointerToRawData */
	.long	0, 0			/* PointerToRelocations, PointerToLinenumbers */
	.short	0, 0			/* NumberOfRelocations, NumberOfLinenumbers */
	.long	PE_SCN_CNT_CODE | PE_SCN_MEM_EXECUTE | PE_SCN_MEM_READ
	/* rodata, data and bss: bss is VirtualSize beyond the file, zeroed by the loader. */
	.ascii	".data\0\0\0"
	.long	__pe_data_size		/* VirtualSize */
	.long	__text_end - _start	/* VirtualAddress */
	.long	__pe_data_file_size	/* SizeOfRawData */
	.long	__text_end - _start	/* PointerToRawData */
	.long	0, 0
	.short	0, 0
	.long	PE_SCN_CNT_INITIALIZED_DATA | PE_SCN_MEM_READ | PE_SCN_MEM_WRITE

	/* The headers end here: SizeOfHeaders is one page, code starts on the next. */
	.balign	PE_SECTION_ALIGN
efi_text_start:

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
