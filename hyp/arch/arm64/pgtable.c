/*
 * Translation table builder for EL2 stage 1, stage 2 and DMA stage 1 (see arch/pgtable.h).
 * Pure logic: it stores descriptors and touches no system register, so the
 * unit tests build this file on the host unchanged.
 */
#include <arch/pgtable.h>

#define PT_IA_SIZE BIT(PT_IA_BITS)
#define PT_OA_SIZE BIT(PT_OA_BITS)
#define PT_PROT_ALL (PT_R | PT_W | PT_X | PT_DEV)

/* Each descriptor is read and written with one 64-bit access: the walker may be live. */
static inline u64 pt_read(const u64 *slot)
{
	return *(const volatile u64 *)slot;
}

static inline void pt_write(u64 *slot, u64 desc)
{
	*(volatile u64 *)slot = desc;
}

static unsigned int pt_shift(unsigned int level)
{
	return 12 + 9 * (PT_LAST_LEVEL - level);
}

static unsigned int pt_index(u64 va, unsigned int level)
{
	return (va >> pt_shift(level)) & (PT_ENTRIES - 1);
}

static bool pt_is_table(u64 desc, unsigned int level)
{
	return level < PT_LAST_LEVEL && (desc & PTE_TYPE_MASK) == PTE_TYPE_TABLE;
}

/* Valid and, at level 3, a page (0b01 there is reserved and faults). */
static bool pt_is_valid(u64 desc, unsigned int level)
{
	if (level == PT_LAST_LEVEL)
		return (desc & PTE_TYPE_MASK) == PTE_TYPE_PAGE;
	return desc & PTE_VALID;
}

static u64 *pt_next_table(u64 desc)
{
	return (u64 *)(uintptr_t)(desc & PTE_OA_MASK);
}

/* Leaf attributes for @prot, or PT_EPROT. */
static int pt_leaf_attrs(enum pt_regime regime, unsigned int prot, u64 *attrs)
{
	bool dev = prot & PT_DEV;
	u64 a = PTE_AF | (dev ? 0 : PTE_SH_INNER);

	if ((prot & ~PT_PROT_ALL) || !(prot & PT_R) || (dev && (prot & PT_X)))
		return PT_EPROT;

	if (regime == PT_EL2) {
		if ((prot & PT_W) && (prot & PT_X))
			return PT_EPROT; /* W^X for the hypervisor's own mappings */
		a |= PTE_S1_ATTRIDX(dev ? PT_MAIR_IDX_DEVICE : PT_MAIR_IDX_NORMAL) | PTE_S1_AP1;
		a |= (prot & PT_W) ? 0 : PTE_S1_AP_RO;
		a |= (prot & PT_X) ? 0 : PTE_S1_XN;
	} else if (regime == PT_S1_DMA) {
		if (prot & PT_X)
			return PT_EPROT; /* a device never executes what it reads */
		a |= PTE_S1_ATTRIDX(dev ? PT_MAIR_IDX_DEVICE : PT_MAIR_IDX_NORMAL) | PTE_S1_AP1 |
		     PTE_S1_NG | PTE_S1_PXN | PTE_S1_XN;
		a |= (prot & PT_W) ? 0 : PTE_S1_AP_RO;
	} else {
		a |= dev ? PTE_S2_MEMATTR_DEVICE : PTE_S2_MEMATTR_NORMAL_WB;
		a |= PTE_S2_S2AP_R | ((prot & PT_W) ? PTE_S2_S2AP_W : 0);
		a |= (prot & PT_X) ? 0 : PTE_S2_XN;
	}
	*attrs = a;
	return PT_OK;
}

/* The PT_* rights a leaf descriptor grants: the inverse of pt_leaf_attrs(). */
static unsigned int pt_leaf_prot(enum pt_regime regime, u64 desc)
{
	unsigned int prot = 0;

	if (regime == PT_EL2 || regime == PT_S1_DMA) {
		prot |= PT_R;
		prot |= (desc & PTE_S1_AP_RO) ? 0 : PT_W;
		prot |= (desc & PTE_S1_XN) ? 0 : PT_X;
		if ((desc & PTE_S1_ATTRIDX_MASK) == PTE_S1_ATTRIDX(PT_MAIR_IDX_DEVICE))
			prot |= PT_DEV;
	} else {
		prot |= (desc & PTE_S2_S2AP_R) ? PT_R : 0;
		prot |= (desc & PTE_S2_S2AP_W) ? PT_W : 0;
		prot |= (desc & PTE_S2_XN_MASK) ? 0 : PT_X;
		if ((desc & PTE_S2_MEMATTR_MASK) == PTE_S2_MEMATTR_DEVICE)
			prot |= PT_DEV;
	}
	return prot;
}

/* A zeroed table page from the pool, or NULL when it is empty. */
static u64 *pt_alloc(struct pt_pool *pool)
{
	u64 *table;

	if (pool->used >= pool->count)
		return NULL;
	table = pool->pages[pool->used++];
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		pt_write(&table[i], 0);
	return table;
}

/*
 * Maps [va, va + size), which lies within one entry of the parent table, into
 * @table at @level. Two passes share this walk. The dry run (!commit) writes
 * nothing, refuses any overlap and adds to *need the pages the tables it would
 * create take; @table is NULL there for a table not created yet (all entries
 * invalid). The commit pass, run only when the dry run passed and the pool
 * has *need pages, cannot fail.
 */
static int pt_walk_map(const struct pgtable *pt, u64 *table, unsigned int level, u64 va, u64 pa,
		       u64 size, u64 attrs, bool commit, unsigned int *need)
{
	const u64 span = BIT(pt_shift(level));
	const u64 type = level == PT_LAST_LEVEL ? PTE_TYPE_PAGE : PTE_TYPE_BLOCK;
	const u64 end = va + size;

	while (va < end) {
		u64 *slot = table ? &table[pt_index(va, level)] : NULL;
		u64 desc = slot ? pt_read(slot) : 0;
		u64 chunk = ALIGN_DOWN(va, span) + span - va;
		u64 *next;
		int ret;

		if (chunk > end - va)
			chunk = end - va;

		if (chunk == span && IS_ALIGNED(pa, span) &&
		    (level == PT_LAST_LEVEL || !pt->pages_only)) {
			/* A whole entry and a suitably aligned pa: one leaf. */
			if (pt_is_valid(desc, level))
				return PT_EEXIST;
			if (commit)
				pt_write(slot, pa | attrs | type);
			va += chunk;
			pa += chunk;
			continue;
		}

		/* Part of an entry: descend (never from level 3, where all is 4 KiB aligned). */
		if (pt_is_table(desc, level)) {
			next = pt_next_table(desc);
		} else if (desc & PTE_VALID) {
			return PT_EEXIST;
		} else if (commit) {
			next = pt_alloc(pt->pool);
			if (!next)
				return PT_ENOMEM; /* unreachable after the dry run */
		} else {
			next = NULL;
			(*need)++;
		}
		ret = pt_walk_map(pt, next, level + 1, va, pa, chunk, attrs, commit, need);
		if (ret)
			return ret;
		if (commit && !(desc & PTE_VALID)) {
			/* The new table is filled before the store that links it in. */
			__atomic_thread_fence(__ATOMIC_RELEASE);
			pt_write(slot, (u64)(uintptr_t)next | PTE_TYPE_TABLE);
		}
		va += chunk;
		pa += chunk;
	}
	return PT_OK;
}

int pt_init(struct pgtable *pt, enum pt_regime regime, struct pt_pool *pool)
{
	uintptr_t base = (uintptr_t)pool->pages;

	if ((regime != PT_EL2 && regime != PT_STAGE2 && regime != PT_S1_DMA) ||
	    !IS_ALIGNED(base, PT_PAGE_SIZE) || pool->used > pool->count || base > PT_OA_SIZE ||
	    (u64)pool->count * PT_PAGE_SIZE > PT_OA_SIZE - base)
		return PT_EINVAL;

	pt->regime = regime;
	pt->pool = pool;
	pt->pages_only = false;
	pt->root = pt_alloc(pool);
	return pt->root ? PT_OK : PT_ENOMEM;
}

int pt_map(struct pgtable *pt, u64 va, u64 pa, u64 size, unsigned int prot)
{
	unsigned int need = 0;
	u64 attrs;
	int ret;

	if (!size || !IS_ALIGNED(va | pa | size, PT_PAGE_SIZE) || size > PT_IA_SIZE ||
	    va > PT_IA_SIZE - size || pa > PT_OA_SIZE - size)
		return PT_EINVAL;
	ret = pt_leaf_attrs(pt->regime, prot, &attrs);
	if (ret)
		return ret;

	ret = pt_walk_map(pt, pt->root, PT_START_LEVEL, va, pa, size, attrs, false, &need);
	if (ret)
		return ret;
	if (need > pt->pool->count - pt->pool->used)
		return PT_ENOMEM;
	return pt_walk_map(pt, pt->root, PT_START_LEVEL, va, pa, size, attrs, true, &need);
}

int pt_init_pages(struct pgtable *pt, enum pt_regime regime, struct pt_pool *pool)
{
	int ret = pt_init(pt, regime, pool);

	if (ret == PT_OK)
		pt->pages_only = true;
	return ret;
}

int pt_copy_range(struct pgtable *dst, const struct pgtable *src, u64 va, u64 size)
{
	u64 run_va = va, run_pa = 0, pa = 0;
	unsigned int run_prot = 0, prot = 0;
	int ret;

	if (dst->regime != src->regime || !size || !IS_ALIGNED(va | size, PT_PAGE_SIZE) ||
	    size > PT_IA_SIZE || va > PT_IA_SIZE - size)
		return PT_EINVAL;
	for (u64 off = 0; off < size; off += PT_PAGE_SIZE)
		if (!pt_lookup(src, va + off, NULL, NULL, NULL))
			return PT_EINVAL;
	/* Runs of pages contiguous in pa with the same rights: one pt_map() each. */
	for (u64 off = 0; off <= size; off += PT_PAGE_SIZE) {
		bool more = off < size;
		bool extends;

		if (more)
			pt_lookup(src, va + off, &pa, &prot, NULL);
		extends = more && off && pa == run_pa + (va + off - run_va) && prot == run_prot;
		if (extends)
			continue;
		if (off) {
			ret = pt_map(dst, run_va, run_pa, va + off - run_va, run_prot);
			if (ret)
				return ret;
		}
		run_va = va + off;
		run_pa = pa;
		run_prot = prot;
	}
	return PT_OK;
}

bool pt_lookup(const struct pgtable *pt, u64 va, u64 *pa, unsigned int *prot, unsigned int *level)
{
	const u64 *table = pt->root;

	if (va >= PT_IA_SIZE)
		return false;
	for (unsigned int lvl = PT_START_LEVEL; lvl <= PT_LAST_LEVEL; lvl++) {
		u64 desc = pt_read(&table[pt_index(va, lvl)]);
		u64 span = BIT(pt_shift(lvl));

		if (!pt_is_valid(desc, lvl))
			return false;
		if (pt_is_table(desc, lvl)) {
			table = pt_next_table(desc);
			continue;
		}
		if (pa)
			*pa = (desc & PTE_OA_MASK & ~(span - 1)) | (va & (span - 1));
		if (prot)
			*prot = pt_leaf_prot(pt->regime, desc);
		if (level)
			*level = lvl;
		return true;
	}
	return false;
}

u64 pt_root_pa(const struct pgtable *pt)
{
	return (u64)(uintptr_t)pt->root;
}
