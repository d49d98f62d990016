/*
 * EL1 stage 1 identity map with 1 GiB blocks (see mmu.h). Runs first with
 * the MMU off, where every access is Device-nGnRnE: only aligned accesses
 * here. Debian's libfdt does unaligned loads, which is why the DTB must be
 * Normal memory before it is parsed.
 */
#include "mmu.h"
#include "sysreg.h"

#define VA_BITS 39
#define L1_SHIFT 30 /* a level-1 entry maps 1 GiB with the 4 KiB granule */
#define L1_ENTRIES 512

/* VMSAv8-64 stage 1 Block descriptor, DDI 0487 J.a D8.3 (descriptor formats). */
#define DESC_BLOCK 0x1ULL                  /* bits [1:0] = 0b01 at level 1 */
#define DESC_ATTRINDX(i) ((u64)(i) << 2)   /* MAIR_EL1 index */
#define DESC_SH_INNER (3ULL << 8)          /* Inner Shareable */
#define DESC_AF (1ULL << 10)               /* Access flag: no faults on first use */
#define DESC_PXN (1ULL << 53)              /* privileged execute-never */
#define DESC_UXN (1ULL << 54)              /* unprivileged execute-never */

#define DTB_MAX_SIZE SZ_2M /* booting.rst: the DTB must not exceed 2 MiB */

static u64 l1_table[L1_ENTRIES] __attribute__((aligned(4096)));

static u64 block_desc(unsigned int idx, bool normal)
{
	u64 desc = ((u64)idx << L1_SHIFT) | DESC_BLOCK | DESC_AF;

	if (normal)
		return desc | DESC_ATTRINDX(MAIR_IDX_NORMAL) | DESC_SH_INNER;
	/* Device memory is never executable. */
	return desc | DESC_ATTRINDX(MAIR_IDX_DEVICE) | DESC_PXN | DESC_UXN;
}

static bool desc_is_normal(u64 desc)
{
	return (desc & DESC_ATTRINDX(7)) == DESC_ATTRINDX(MAIR_IDX_NORMAL);
}

/* Marks the blocks of [base, base+size) Normal in the table; no TLB work. */
static bool table_set_normal(u64 base, u64 size, bool live)
{
	if (size == 0)
		return true;
	if (base >> VA_BITS || (base + size - 1) >> VA_BITS)
		return false;

	for (u64 i = base >> L1_SHIFT; i <= (base + size - 1) >> L1_SHIFT; i++) {
		if (desc_is_normal(l1_table[i]))
			continue;
		if (live) {
			/* Break-before-make: invalidate, flush the TLB, then write. */
			l1_table[i] = 0;
			dsb(ishst);
			__asm__ volatile("tlbi vmalle1" : : : "memory");
			dsb(nsh);
			isb();
		}
		l1_table[i] = block_desc((unsigned int)i, true);
	}
	if (live) {
		dsb(ishst);
		isb();
	}
	return true;
}

/* Points this CPU's translation registers at l1_table and turns on the MMU and caches. */
static void mmu_on(void)
{
	u64 parange = read_sysreg(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK;
	u64 ips = parange < TCR_EL1_IPS_MAX ? parange : TCR_EL1_IPS_MAX;

	write_sysreg(mair_el1, MAIR_EL1_VALUE);
	write_sysreg(tcr_el1, ((64ULL - VA_BITS) << TCR_EL1_T0SZ_SHIFT) | TCR_EL1_IRGN0_WBWA |
				      TCR_EL1_ORGN0_WBWA | TCR_EL1_SH0_INNER | TCR_EL1_TG0_4K |
				      TCR_EL1_EPD1 | (ips << TCR_EL1_IPS_SHIFT));
	write_sysreg(ttbr0_el1, (u64)(uintptr_t)l1_table);
	isb();
	__asm__ volatile("tlbi vmalle1\n\tic iallu" : : : "memory");
	dsb(nsh);
	isb();
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1 | SCTLR_EL1_M | SCTLR_EL1_C | SCTLR_EL1_SA |
					SCTLR_EL1_SA0 | SCTLR_EL1_I);
	isb();
}

void mmu_enable(u64 dtb)
{
	u64 image = (u64)(uintptr_t)_start;

	for (unsigned int i = 0; i < L1_ENTRIES; i++)
		l1_table[i] = block_desc(i, false);
	table_set_normal(image, (u64)(uintptr_t)_end - image, false);
	if (dtb)
		table_set_normal(dtb, DTB_MAX_SIZE, false);

	dsb(sy); /* the table is in memory before the walker may read it */
	mmu_on();
}

void mmu_enable_secondary(void)
{
	mmu_on();
}

bool mmu_map_normal(u64 base, u64 size)
{
	return table_set_normal(base, size, true);
}

bool mmu_is_normal(u64 pa)
{
	return !(pa >> VA_BITS) && desc_is_normal(l1_table[pa >> L1_SHIFT]);
}
