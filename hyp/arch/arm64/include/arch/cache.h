/* Data cache maintenance by set/way over every level to the LoC (arch/arm64/cache.c). */
#ifndef ARCH_CACHE_H
#define ARCH_CACHE_H

#include <tessera/types.h>

/* One cache level, from CCSIDR_EL1. */
struct cache_geometry {
	unsigned int line_shift; /* log2 of the line length in bytes */
	u32 ways, sets;
};

/* CCSIDR_EL1 in the 32-bit layout, or the 64-bit one with FEAT_CCIDX (@ccidx). */
void ccsidr_decode(u64 ccsidr, bool ccidx, struct cache_geometry *g);
/* The DC *SW operand for @way and @set of cache @level (1-based). */
u64 setway_operand(unsigned int level, u32 way, u32 set, const struct cache_geometry *g);
/*
 * Calls @op with every set/way operand of every data or unified cache level
 * from 1 to CLIDR_EL1.LoC, reading each level's CCSIDR_EL1 with
 * @read_ccsidr. Returns the number of levels walked.
 */
unsigned int cache_setway_walk(u64 clidr, bool ccidx, u64 (*read_ccsidr)(unsigned int level),
			       void (*op)(u64 operand));
/*
 * Clean and invalidate this CPU's data caches by set/way, every level to the
 * LoC: for a CPU turning its caches off without knowing what it wrote. Not
 * broadcast; by-VA maintenance (dcache_clean_poc) is what keeps memory
 * coherent for others, and what the EFI exit uses. No caller yet.
 */
void dcache_clean_inval_all(void);

#endif
