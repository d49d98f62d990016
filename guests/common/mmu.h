/*
 * The guest's EL1 stage 1 identity map: one level-1 table of 1 GiB blocks
 * over a 39-bit VA space. Normal Write-Back memory where the guest's RAM and
 * DTB are, Device-nGnRE everywhere else.
 */
#ifndef GUEST_MMU_H
#define GUEST_MMU_H

#include "guest.h"

/*
 * Called from start.S with the MMU off, before any C touches the DTB: maps
 * the 1 GiB blocks holding the image and the DTB (up to 2 MiB from @dtb)
 * Normal, the rest Device, and turns on the MMU and the caches.
 */
void mmu_enable(u64 dtb);

/*
 * For a CPU started later (PSCI CPU_ON), MMU still off: the same table, its
 * MMU and caches on. It uses no stack, which is not coherent yet.
 */
void mmu_enable_secondary(void);

/*
 * With the MMU on: makes every 1 GiB block overlapping [base, base+size)
 * Normal (break-before-make on blocks that change). Returns false when the
 * range goes beyond the 39-bit map.
 */
bool mmu_map_normal(u64 base, u64 size);

/* True when @pa lies in a block mapped Normal. */
bool mmu_is_normal(u64 pa);

#endif
