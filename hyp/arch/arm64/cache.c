/*
 * Data cache maintenance by set/way, over every cache level that CLIDR_EL1
 * reports up to the Level of Coherence, never a fixed number of levels:
 * Jetson Orin has a third level, a 2 MiB L3 per cluster (DSU). Set/way
 * operations act on this CPU's view of each level only and are not
 * broadcast (DDI 0487, cache maintenance by set/way): they are for a CPU
 * about to turn its caches off without knowing what it wrote (a CPU leaving
 * for good), not for coherency between agents. Nothing calls
 * dcache_clean_inval_all yet: the EFI exit knows its ranges (the image, the
 * DTB) and cleans them by VA (dcache_clean_poc), which is what the
 * architecture guarantees. Guests' own set/way operations stay harmless to
 * other VMs sharing a cluster's L3: HCR_EL2.SWIO turns invalidate into
 * clean+invalidate (vcpu.c), so no one's dirty data is discarded.
 *
 * The walk is pure (cache_setway_walk): the caller reads the ID registers and
 * issues the operation, so the host tests check every level's operands.
 * Registers: CLIDR_EL1, CCSIDR_EL1 (two layouts: FEAT_CCIDX,
 * which Orin's A78AE may have, widens NumSets and Associativity),
 * CSSELR_EL1, and DC CISW (its operand: Way, Set, Level), DDI 0487 chapters
 * D19 and C5.3.
 */
#include <arch/cache.h>
#include <arch/sysregs.h>

#define CLIDR_LOC(c) (((c) >> 24) & 0x7)
#define CLIDR_CTYPE(c, level) (((c) >> (3 * ((level) - 1))) & 0x7)
#define CTYPE_DATA_OR_UNIFIED 2 /* 0b010 data, 0b011 separate I and D, 0b100 unified */

void ccsidr_decode(u64 ccsidr, bool ccidx, struct cache_geometry *g)
{
	g->line_shift = (unsigned int)(ccsidr & 0x7) + 4; /* LineSize: log2(bytes) - 4 */
	if (ccidx) {
		g->ways = (u32)((ccsidr >> 3) & 0x1fffff) + 1;  /* Associativity [23:3] */
		g->sets = (u32)((ccsidr >> 32) & 0xffffff) + 1; /* NumSets [55:32] */
	} else {
		g->ways = (u32)((ccsidr >> 3) & 0x3ff) + 1;   /* Associativity [12:3] */
		g->sets = (u32)((ccsidr >> 13) & 0x7fff) + 1; /* NumSets [27:13] */
	}
}

/* ceil(log2(n)) for n >= 1: the width of the Way field. */
static unsigned int bits_for(u32 n)
{
	unsigned int b = 0;

	while ((1ULL << b) < n)
		b++;
	return b;
}

/* DC CISW/CSW/ISW operand: Way in [31:32-A], Set in [L+S-1:L], Level - 1 in [3:1]. */
u64 setway_operand(unsigned int level, u32 way, u32 set, const struct cache_geometry *g)
{
	unsigned int a = bits_for(g->ways);
	u64 op = (u64)set << g->line_shift | (u64)(level - 1) << 1;

	return a ? op | (u64)way << (32 - a) : op;
}

unsigned int cache_setway_walk(u64 clidr, bool ccidx, u64 (*read_ccsidr)(unsigned int level),
			       void (*op)(u64 operand))
{
	unsigned int levels = 0;

	for (unsigned int level = 1; level <= CLIDR_LOC(clidr); level++) {
		struct cache_geometry g;

		if (CLIDR_CTYPE(clidr, level) < CTYPE_DATA_OR_UNIFIED)
			continue; /* no cache, or instructions only: nothing to write back */
		ccsidr_decode(read_ccsidr(level), ccidx, &g);
		for (u32 way = 0; way < g.ways; way++)
			for (u32 set = 0; set < g.sets; set++)
				op(setway_operand(level, way, set, &g));
		levels++;
	}
	return levels;
}

#ifdef __aarch64__
/* ID_AA64MMFR2_EL1.CCIDX [23:20]: CCSIDR_EL1 has the 64-bit layout. */
#define ID_AA64MMFR2_CCIDX(v) (((v) >> 20) & 0xf)

static u64 read_ccsidr(unsigned int level)
{
	write_sysreg(csselr_el1, (u64)(level - 1) << 1); /* InD = 0: data or unified */
	isb();
	return read_sysreg(ccsidr_el1);
}

static void dc_cisw(u64 operand)
{
	__asm__ volatile("dc cisw, %0" ::"r"(operand) : "memory");
}

void dcache_clean_inval_all(void)
{
	bool ccidx = ID_AA64MMFR2_CCIDX(read_sysreg(id_aa64mmfr2_el1)) != 0;

	dsb(sy);
	cache_setway_walk(read_sysreg(clidr_el1), ccidx, read_ccsidr, dc_cisw);
	dsb(sy);
	isb();
}
#endif
