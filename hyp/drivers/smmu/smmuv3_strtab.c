/*
 * SMMUv3 stream table and the two descriptors Tessera writes: the STE of a
 * stream translating with one context descriptor, and that CD (IHI 0070
 * 5.1, 5.2, 5.4). Pure data-structure logic: no register access, so the
 * unit tests build it on the host.
 *
 * With a 2-level table (SPLIT 8: 256 STEs per level-2 table, one PCI bus)
 * memory stays small however many streams the SMMU has: every L1 descriptor
 * starts at one shared all-abort table, and every 256-stream span that
 * belongs wholly to one VM points at that VM's one shared table (an STE
 * does not name its stream, so one table serves them all). Only a span
 * split between owners gets a private table. A linear table (an SMMU
 * without 2-level support, or with at most 256 streams) is one private
 * level-2-sized table.
 */
#include <arch/pgtable.h>
#include <string.h>

#include "smmuv3.h"

/* One 64-bit store per word: the SMMU may be reading the table. */
static void put(u64 *word, u64 v)
{
	*(volatile u64 *)word = v;
}

void ste_s1(u64 ste[STE_WORDS], u64 cd_pa, u16 vmid, bool blocked)
{
	memset(ste, 0, STE_WORDS * sizeof(u64));
	ste[0] = STE_0_V | (blocked ? STE_0_CONFIG_ABORT : STE_0_CONFIG_S1) |
		 (cd_pa & STE_0_S1CTXPTR_MASK);
	/* CD fetches: write-back read-allocate, inner shareable; memory attributes as the device asks. */
	ste[1] = STE_1_S1CIR(1) | STE_1_S1COR(1) | STE_1_S1CSH(3) | STE_1_SHCFG_INCOMING;
	ste[2] = STE_2_S2VMID(vmid);
}

void cd_s1(u64 cd[CD_WORDS], u64 ttb0, u16 asid, unsigned int ips)
{
	memset(cd, 0, CD_WORDS * sizeof(u64));
	cd[0] = CD_0_T0SZ(PT_T0SZ) | CD_0_TG0_4K | CD_0_IR0_WBWA | CD_0_OR0_WBWA | CD_0_SH0_ISH |
		CD_0_EPD1 | CD_0_V | CD_0_IPS(ips) | CD_0_AA64 | CD_0_R | CD_0_A | CD_0_ASET |
		CD_0_ASID(asid);
	cd[1] = ttb0 & CD_1_TTB0_MASK;
	cd[3] = PT_MAIR_EL2; /* the AttrIndx values pgtable.c writes */
}

static struct strtab_l2 *pool_take(struct strtab_pool *pool)
{
	return pool->used < pool->count ? &pool->tables[pool->used++] : NULL;
}

/* The all-abort table: the pool's first, made once, never written again. */
static struct strtab_l2 *abort_table(struct strtab_pool *pool)
{
	struct strtab_l2 *t;

	if (pool->used)
		return &pool->tables[0];
	t = pool_take(pool);
	if (!t)
		return NULL;
	memset(t, 0, sizeof(*t));
	for (unsigned int i = 0; i < STRTAB_L2_STES; i++)
		t->ste[i][0] = STE_0_V | STE_0_CONFIG_ABORT;
	return t;
}

static u64 l1_desc(const struct strtab_l2 *t)
{
	return ((u64)(uintptr_t)t & L1STD_L2PTR_MASK) | L1STD_SPAN(STRTAB_SPLIT);
}

bool strtab_init(struct strtab *st, struct strtab_pool *pool, u64 *l1, unsigned int sid_bits,
		 bool two_level)
{
	struct strtab_l2 *abort = abort_table(pool);

	memset(st, 0, sizeof(*st));
	st->pool = pool;
	st->l1 = l1;
	if (!abort)
		return false;
	st->two_level = two_level && sid_bits > STRTAB_SPLIT;
	if (st->two_level) {
		st->log2size = sid_bits < STRTAB_MAX_LOG2 ? sid_bits : STRTAB_MAX_LOG2;
		for (unsigned int i = 0; i < STRTAB_L1_MAX; i++) {
			st->l2[i] = abort;
			put(&l1[i], i < (1U << (st->log2size - STRTAB_SPLIT)) ? l1_desc(abort) : 0);
		}
		return true;
	}
	st->log2size = sid_bits < STRTAB_SPLIT ? sid_bits : STRTAB_SPLIT;
	st->l2[0] = pool_take(pool);
	if (!st->l2[0])
		return false;
	memcpy(st->l2[0], abort, sizeof(*abort));
	return true;
}

u64 strtab_base(const struct strtab *st)
{
	u64 table = st->two_level ? (u64)(uintptr_t)st->l1 : (u64)(uintptr_t)st->l2[0];

	return STRTAB_BASE_RA | (table & STRTAB_BASE_ADDR_MASK);
}

u32 strtab_base_cfg(const struct strtab *st)
{
	u32 cfg = STRTAB_BASE_CFG_LOG2SIZE(st->log2size);

	if (st->two_level)
		cfg |= STRTAB_BASE_CFG_FMT_2LVL | STRTAB_BASE_CFG_SPLIT(STRTAB_SPLIT);
	return cfg;
}

/* Tables other L1 descriptors may point at too: written only by init and full-span attaches. */
static bool table_is_shared(const struct strtab *st, const struct strtab_l2 *t)
{
	if (t == &st->pool->tables[0])
		return true;
	for (unsigned int i = 0; i < CONFIG_MAX_VMS; i++)
		if (st->full[i] == t)
			return true;
	return false;
}

/* Writes @ste into slot @slot of @t, the word holding V and Config last. */
static void ste_write(struct strtab_l2 *t, unsigned int slot, const u64 ste[STE_WORDS])
{
	for (unsigned int w = STE_WORDS - 1; w > 0; w--)
		put(&t->ste[slot][w], ste[w]);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	put(&t->ste[slot][0], ste[0]);
}

/* Level-2 tables [sid, sid + count) needs that it does not have yet. */
static unsigned int tables_needed(const struct strtab *st, u32 sid, u32 count, unsigned int owner)
{
	unsigned int need = 0;
	bool full_made = st->full[owner] != NULL;

	for (u64 i = sid >> STRTAB_SPLIT; i <= ((u64)sid + count - 1) >> STRTAB_SPLIT; i++) {
		bool whole = (u64)sid <= i << STRTAB_SPLIT &&
			     (u64)sid + count >= (i + 1) << STRTAB_SPLIT;

		if (whole && !full_made) {
			need++;
			full_made = true;
		} else if (!whole && table_is_shared(st, st->l2[i])) {
			need++;
		}
	}
	return need;
}

/* Points L1 descriptor @i at @t. */
static void l1_set(struct strtab *st, u64 i, struct strtab_l2 *t)
{
	__atomic_thread_fence(__ATOMIC_RELEASE); /* the table is written before it is linked */
	st->l2[i] = t;
	put(&st->l1[i], l1_desc(t));
}

int strtab_attach(struct strtab *st, u32 sid, u32 count, const u64 ste[STE_WORDS],
		  unsigned int owner)
{
	const u64 end = (u64)sid + count;

	if (!count || end > BIT(st->log2size) || owner >= CONFIG_MAX_VMS)
		return STRTAB_ERANGE;
	if (!st->two_level) {
		for (u64 s = sid; s < end; s++)
			ste_write(st->l2[0], (unsigned int)s, ste);
		return STRTAB_OK;
	}
	if (tables_needed(st, sid, count, owner) > st->pool->count - st->pool->used)
		return STRTAB_ENOMEM;

	for (u64 i = sid >> STRTAB_SPLIT; i <= (end - 1) >> STRTAB_SPLIT; i++) {
		u64 lo = i << STRTAB_SPLIT, hi = (i + 1) << STRTAB_SPLIT;
		struct strtab_l2 *t = st->l2[i];

		if (sid <= lo && end >= hi) {
			if (!st->full[owner]) {
				st->full[owner] = pool_take(st->pool);
				for (unsigned int s = 0; s < STRTAB_L2_STES; s++)
					memcpy(st->full[owner]->ste[s], ste, STE_WORDS * sizeof(u64));
			}
			l1_set(st, i, st->full[owner]);
			continue;
		}
		if (table_is_shared(st, t)) {
			struct strtab_l2 *copy = pool_take(st->pool);

			memcpy(copy, t, sizeof(*t));
			t = copy;
		}
		for (u64 s = sid > lo ? sid : lo; s < end && s < hi; s++)
			ste_write(t, (unsigned int)(s - lo), ste);
		if (t != st->l2[i])
			l1_set(st, i, t);
	}
	return STRTAB_OK;
}

void strtab_block(struct strtab *st, u64 cd_pa, bool blocked)
{
	const u64 config = blocked ? STE_0_CONFIG_ABORT : STE_0_CONFIG_S1;

	/* Every table of the pool: an STE of another stream table names another CD. */
	for (unsigned int t = 0; t < st->pool->used; t++) {
		for (unsigned int i = 0; i < STRTAB_L2_STES; i++) {
			u64 *w0 = &st->pool->tables[t].ste[i][0];
			u64 v = *(volatile u64 *)w0;

			if ((v & STE_0_V) && (v & STE_0_S1CTXPTR_MASK) == cd_pa)
				put(w0, (v & ~STE_0_CONFIG_MASK) | config);
		}
	}
}

const u64 *strtab_ste(const struct strtab *st, u32 sid)
{
	if ((u64)sid >= BIT(st->log2size))
		return NULL;
	if (!st->two_level)
		return st->l2[0]->ste[sid];
	return st->l2[sid >> STRTAB_SPLIT]->ste[sid & (STRTAB_L2_STES - 1)];
}
