/*
 * The hypervisor's own address space: identity mapped (VA == PA), W^X.
 * Text is read-only executable, rodata (with the payload) read-only, data and
 * bss read-write; devices and VM memory read-write, never executable.
 */
#ifndef TESSERA_MMU_H
#define TESSERA_MMU_H

#include <arch/pgtable.h>
#include <tessera/types.h>

/* Boot CPU, MMU off: map the image and the DTB window, turn the MMU on. */
void mmu_boot_enable(u64 dtb);
/* Boot CPU: start the final EL2 tables (image only) in place of the boot ones. */
void mmu_init(void);
/* Add to the final EL2 tables; 0 or a negative enum pt_err. */
int mmu_map_device(u64 base, u64 size);
int mmu_map_ram(u64 base, u64 size);
/* Boot CPU: switch to the final tables and publish them for secondaries. */
void mmu_activate(void);
/* Table pages for the stage-2 tables of VMs (boot time only). */
extern struct pt_pool pt_pool_boot;

/* Translation registers secondaries load in head.S: mair, tcr, ttbr0, sctlr. */
extern u64 mmu_boot_regs[4];

/* The hypervisor's own footprint in memory, from the linker script. */
struct mem_range mmu_image_range(void);

#endif
