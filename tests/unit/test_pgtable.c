/*
 * Unit tests for the translation table builder (hyp/arch/arm64/pgtable.c),
 * built on the host. Expected descriptors are written out as literal numbers
 * worked from the Arm ARM (DDI 0487 D8.3), not from the PTE_* constants, so a
 * wrong constant fails here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <arch/pgtable.h>

#define POOL_PAGES 16

static u64 pool_pages[POOL_PAGES][PT_ENTRIES] __attribute__((aligned(4096)));
static struct pt_pool pool;
static struct pgtable pt;

/* A fresh pool of @count pages, filled with garbage so missing zeroing shows. */
static void pool_reset(unsigned int count)
{
	memset(pool_pages, 0x5a, sizeof(pool_pages));
	pool = (struct pt_pool){ .pages = pool_pages, .count = count, .used = 0 };
}

static void init(enum pt_regime regime)
{
	pool_reset(POOL_PAGES);
	assert_int_equal(pt_init(&pt, regime, &pool), PT_OK);
	assert_ptr_equal(pt.root, pool_pages[0]);
	assert_int_equal(pool.used, 1);
}

static u64 addr(const void *p)
{
	return (u64)(uintptr_t)p;
}

/* Asserts that @va translates to @pa at @level with @prot. */
static void expect_map(u64 va, u64 pa, unsigned int level, unsigned int prot)
{
	u64 got_pa = 0;
	unsigned int got_prot = 0, got_level = 0;

	assert_true(pt_lookup(&pt, va, &got_pa, &got_prot, &got_level));
	assert_int_equal(got_pa, pa);
	assert_int_equal(got_level, level);
	assert_int_equal(got_prot, prot);
}

static void expect_unmapped(u64 va)
{
	assert_false(pt_lookup(&pt, va, NULL, NULL, NULL));
}

/* Checks the first, a middle and the last byte of [va, va + size). */
static void expect_range(u64 va, u64 pa, u64 size, unsigned int level, unsigned int prot)
{
	expect_map(va, pa, level, prot);
	expect_map(va + size / 2 + 0x123, pa + size / 2 + 0x123, level, prot);
	expect_map(va + size - 1, pa + size - 1, level, prot);
}

/* ---------------------------------------------------------------- geometry */

static void test_exports(void **state)
{
	(void)state;
	assert_int_equal(PT_T0SZ, 25);
	assert_int_equal(PT_START_LEVEL, 1);
	assert_int_equal(PT_VTCR_SL0, 1);
	assert_int_equal(PT_MAIR_EL2, 0xff04);
}

static void test_init(void **state)
{
	(void)state;
	init(PT_EL2);
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		assert_int_equal(pool_pages[0][i], 0);
	assert_int_equal(pt_root_pa(&pt), addr(pool_pages[0]));

	pool_reset(0);
	assert_int_equal(pt_init(&pt, PT_STAGE2, &pool), PT_ENOMEM);
	pool_reset(2);
	assert_int_equal(pt_init(&pt, (enum pt_regime)7, &pool), PT_EINVAL);
	pool.pages = (u64(*)[PT_ENTRIES])((char *)pool_pages + 8);
	assert_int_equal(pt_init(&pt, PT_STAGE2, &pool), PT_EINVAL);
}

/* ---------------------------------------------------------------- block selection */

static void test_block_1g(void **state)
{
	(void)state;
	init(PT_STAGE2);
	assert_int_equal(pt_map(&pt, 0x40000000, 0x80000000, SZ_1G, PT_R | PT_W), PT_OK);
	assert_int_equal(pool.used, 1); /* the root holds the block */
	expect_range(0x40000000, 0x80000000, SZ_1G, 1, PT_R | PT_W);
	expect_unmapped(0x3fffffff);
	expect_unmapped(0x80000000);
}

static void test_block_2m(void **state)
{
	(void)state;
	init(PT_STAGE2);
	assert_int_equal(pt_map(&pt, 0x200000, 0x40200000, 2 * SZ_2M, PT_R), PT_OK);
	assert_int_equal(pool.used, 2);
	expect_range(0x200000, 0x40200000, SZ_2M, 2, PT_R);
	expect_range(0x400000, 0x40400000, SZ_2M, 2, PT_R);
	expect_unmapped(0x1fffff);
	expect_unmapped(0x600000);
}

static void test_page_4k(void **state)
{
	(void)state;
	init(PT_STAGE2);
	assert_int_equal(pt_map(&pt, 0x1000, 0x2000, 2 * SZ_4K, PT_R), PT_OK);
	assert_int_equal(pool.used, 3);
	expect_range(0x1000, 0x2000, SZ_4K, 3, PT_R);
	expect_range(0x2000, 0x3000, SZ_4K, 3, PT_R);
	expect_unmapped(0x0fff);
	expect_unmapped(0x3000);
	/* The page written out: root[0] -> L2 (page 1), L2[0] -> L3 (page 2). */
	assert_int_equal(pool_pages[0][0], addr(pool_pages[1]) | 3);
	assert_int_equal(pool_pages[1][0], addr(pool_pages[2]) | 3);
	assert_int_equal(pool_pages[2][1] & 0x0000fffffffff000ULL, 0x2000);
	assert_int_equal(pool_pages[2][0], 0);
	assert_int_equal(pool_pages[2][3], 0);
}

/* 8 KiB below 1 GiB, 1 GiB, 2 MiB, 4 KiB: each part gets its own leaf size. */
static void test_mixed(void **state)
{
	const u64 va = SZ_1G - 2 * SZ_4K;

	(void)state;
	init(PT_STAGE2);
	assert_int_equal(pt_map(&pt, va, va, 2 * SZ_4K + SZ_1G + SZ_2M + SZ_4K, PT_R | PT_W | PT_X),
			 PT_OK);
	/* root, L2 + L3 below 1 GiB, L2 + L3 above 2 GiB */
	assert_int_equal(pool.used, 5);
	expect_range(va, va, 2 * SZ_4K, 3, PT_R | PT_W | PT_X);
	expect_range(SZ_1G, SZ_1G, SZ_1G, 1, PT_R | PT_W | PT_X);
	expect_range(2 * SZ_1G, 2 * SZ_1G, SZ_2M, 2, PT_R | PT_W | PT_X);
	expect_range(2 * SZ_1G + SZ_2M, 2 * SZ_1G + SZ_2M, SZ_4K, 3, PT_R | PT_W | PT_X);
	expect_unmapped(va - 1);
	expect_unmapped(2 * SZ_1G + SZ_2M + SZ_4K);
}

/* va 2 MiB aligned but pa only 4 KiB aligned: 4 KiB pages throughout. */
static void test_pa_misaligned_to_va(void **state)
{
	(void)state;
	init(PT_EL2);
	assert_int_equal(pt_map(&pt, 0x200000, 0x201000, SZ_2M, PT_R), PT_OK);
	assert_int_equal(pool.used, 3);
	expect_range(0x200000, 0x201000, SZ_2M, 3, PT_R);
	expect_unmapped(0x400000);

	/* pa 1 GiB aligned, va only 2 MiB aligned: 2 MiB blocks. */
	assert_int_equal(pt_map(&pt, SZ_1G + SZ_2M, 2 * SZ_1G, SZ_1G, PT_R), PT_OK);
	assert_int_equal(pool.used, 5); /* two L2 tables: 1 GiB..2 GiB and 2 GiB..3 GiB */
	expect_range(SZ_1G + SZ_2M, 2 * SZ_1G, SZ_1G, 2, PT_R);
}

/* ---------------------------------------------------------------- descriptor bits */

struct desc_case {
	unsigned int prot;
	u64 page; /* level-3 descriptor without the output address */
};

/*
 * EL2 stage 1: AttrIndx[4:2] (1 Normal, 0 Device), AP[1] bit 6 RES1, AP[2]
 * bit 7 read-only, SH[9:8] 0b11 for Normal, AF bit 10, XN bit 54.
 */
static const struct desc_case el2_cases[] = {
	{ PT_R, 0x00400000000007c7 },
	{ PT_R | PT_W, 0x0040000000000747 },
	{ PT_R | PT_X, 0x00000000000007c7 },
	{ PT_R | PT_DEV, 0x00400000000004c3 },
	{ PT_R | PT_W | PT_DEV, 0x0040000000000443 },
};

/*
 * Stage 2: MemAttr[5:2] 0b1111 Normal WB or 0b0001 Device-nGnRE, S2AP[7:6],
 * SH[9:8] 0b11 for Normal, AF bit 10, XN[54:53] 0b10 not executable.
 */
static const struct desc_case s2_cases[] = {
	{ PT_R, 0x004000000000077f },
	{ PT_R | PT_W, 0x00400000000007ff },
	{ PT_R | PT_X, 0x000000000000077f },
	{ PT_R | PT_W | PT_X, 0x00000000000007ff },
	{ PT_R | PT_DEV, 0x0040000000000447 },
	{ PT_R | PT_W | PT_DEV, 0x00400000000004c7 },
};

/*
 * EL1&0 stage 1 for DMA (an SMMU context's tables): AttrIndx[4:2], AP[1]
 * bit 6 (unprivileged access), AP[2] bit 7 read-only, SH[9:8] 0b11 for
 * Normal, AF bit 10, nG bit 11, PXN bit 53 and UXN bit 54 always.
 */
static const struct desc_case dma_cases[] = {
	{ PT_R, 0x0060000000000fc7 },
	{ PT_R | PT_W, 0x0060000000000f47 },
	{ PT_R | PT_DEV, 0x0060000000000cc3 },
	{ PT_R | PT_W | PT_DEV, 0x0060000000000c43 },
};

static void check_descs(enum pt_regime regime, const struct desc_case *cases, size_t n)
{
	const u64 page_pa = 0x0000fedcba987000ULL; /* 48-bit output address */
	const u64 block_pa = 0x0000fedcba800000ULL;

	for (size_t i = 0; i < n; i++) {
		init(regime);
		/* Page at L3[0] of page 2, 2 MiB block at L2[1] of page 1. */
		assert_int_equal(pt_map(&pt, 0, page_pa, SZ_4K, cases[i].prot), PT_OK);
		assert_int_equal(pt_map(&pt, SZ_2M, block_pa, SZ_2M, cases[i].prot), PT_OK);
		assert_int_equal(pool.used, 3);
		assert_int_equal(pool_pages[2][0], cases[i].page | page_pa);
		assert_int_equal(pool_pages[1][1], (cases[i].page & ~2ULL) | block_pa);
		expect_map(0x10, page_pa + 0x10, 3, cases[i].prot);
		expect_map(SZ_2M + 0x1234, block_pa + 0x1234, 2, cases[i].prot);
	}
}

static void test_desc_el2(void **state)
{
	(void)state;
	check_descs(PT_EL2, el2_cases, ARRAY_SIZE(el2_cases));
}

static void test_desc_stage2(void **state)
{
	(void)state;
	check_descs(PT_STAGE2, s2_cases, ARRAY_SIZE(s2_cases));
}

static void test_desc_dma(void **state)
{
	(void)state;
	check_descs(PT_S1_DMA, dma_cases, ARRAY_SIZE(dma_cases));
}

static void test_desc_1g_and_tables(void **state)
{
	(void)state;
	init(PT_STAGE2);
	assert_int_equal(pt_map(&pt, 3 * SZ_1G, SZ_1G, SZ_1G, PT_R | PT_W | PT_X), PT_OK);
	assert_int_equal(pool_pages[0][3], 0x00000000400007fdULL);
	assert_int_equal(pt_map(&pt, 0x7fc0000000ULL, 0x200000, SZ_2M, PT_R), PT_OK);
	assert_int_equal(pool_pages[0][511], addr(pool_pages[1]) | 3);
	assert_int_equal(pool_pages[1][0], 0x004000000020077dULL);
	expect_map(0x7fc01fffffULL, 0x3fffff, 2, PT_R);
}

/* ---------------------------------------------------------------- refusals */

/* Any map overlapping what is there fails and changes nothing. */
static void expect_refused(u64 va, u64 size, int err)
{
	u64 before[3][PT_ENTRIES];
	unsigned int used = pool.used;

	memcpy(before, pool_pages, sizeof(before));
	assert_int_equal(pt_map(&pt, va, va, size, PT_R), err);
	assert_int_equal(pool.used, used);
	assert_memory_equal(before, pool_pages, sizeof(before));
}

static void test_overlap(void **state)
{
	(void)state;
	init(PT_STAGE2);
	assert_int_equal(pt_map(&pt, SZ_1G, SZ_1G, SZ_1G, PT_R), PT_OK);       /* L1 block */
	assert_int_equal(pt_map(&pt, 0x200000, 0x200000, SZ_2M, PT_R), PT_OK); /* L2 block */
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, SZ_4K, PT_R), PT_OK);     /* L3 page */
	assert_int_equal(pool.used, 3);

	/* Inside a 1 GiB block, as a page, a block and the whole block. */
	expect_refused(SZ_1G + 0x5000, SZ_4K, PT_EEXIST);
	expect_refused(SZ_1G + SZ_2M, SZ_2M, PT_EEXIST);
	expect_refused(SZ_1G, SZ_1G, PT_EEXIST);
	/* Inside the 2 MiB block. */
	expect_refused(0x3ff000, SZ_4K, PT_EEXIST);
	expect_refused(0x200000, SZ_2M, PT_EEXIST);
	/* The page itself, and blocks that would cover its tables. */
	expect_refused(0x1000, SZ_4K, PT_EEXIST);
	expect_refused(0, SZ_2M, PT_EEXIST);
	expect_refused(0, SZ_1G, PT_EEXIST);
	/* Starting in free space and running into a mapping: nothing is written. */
	expect_refused(0x600000, SZ_1G - 0x600000 + SZ_4K, PT_EEXIST);
	expect_refused(2 * SZ_1G - SZ_4K, 2 * SZ_4K, PT_EEXIST);
	expect_unmapped(0x600000);
	expect_unmapped(2 * SZ_1G);

	/* The free neighbours are still free to map. */
	assert_int_equal(pt_map(&pt, 0x2000, 0x2000, SZ_4K, PT_R), PT_OK);
	assert_int_equal(pt_map(&pt, 0x400000, 0x400000, SZ_2M, PT_R), PT_OK);
	assert_int_equal(pt_map(&pt, 2 * SZ_1G, 2 * SZ_1G, SZ_1G, PT_R), PT_OK);
	assert_int_equal(pool.used, 3);
}

static void test_prot_refused(void **state)
{
	(void)state;
	init(PT_EL2);
	assert_int_equal(pt_map(&pt, 0, 0, SZ_4K, PT_R | PT_W | PT_X), PT_EPROT);
	assert_int_equal(pt_map(&pt, 0, 0, SZ_4K, PT_W), PT_EPROT);
	assert_int_equal(pt_map(&pt, 0, 0, SZ_4K, PT_X), PT_EPROT);
	assert_int_equal(pt_map(&pt, 0, 0, SZ_4K, 0), PT_EPROT);
	assert_int_equal(pt_map(&pt, 0, 0, SZ_4K, PT_R | PT_X | PT_DEV), PT_EPROT);
	assert_int_equal(pt_map(&pt, 0, 0, SZ_4K, PT_R | (1u << 4)), PT_EPROT);
	assert_int_equal(pool.used, 1);
	expect_unmapped(0);

	/* Stage 2 allows W+X (guest RAM) but still not executable Device memory. */
	init(PT_STAGE2);
	assert_int_equal(pt_map(&pt, 0, 0, SZ_4K, PT_W | PT_X), PT_EPROT);
	assert_int_equal(pt_map(&pt, 0, 0, SZ_4K, PT_R | PT_W | PT_X | PT_DEV), PT_EPROT);
	assert_int_equal(pt_map(&pt, 0, 0, SZ_4K, PT_R | PT_W | PT_X), PT_OK);

	/* DMA tables never grant execution, not even read-only. */
	init(PT_S1_DMA);
	assert_int_equal(pt_map(&pt, 0, 0, SZ_4K, PT_R | PT_X), PT_EPROT);
	assert_int_equal(pt_map(&pt, 0, 0, SZ_4K, PT_R | PT_W | PT_X), PT_EPROT);
	assert_int_equal(pt_map(&pt, 0, 0, SZ_4K, PT_W), PT_EPROT);
	assert_int_equal(pool.used, 1);
	expect_unmapped(0);
}

static void test_args_refused(void **state)
{
	(void)state;
	init(PT_STAGE2);
	/* Misalignment and zero size. */
	assert_int_equal(pt_map(&pt, 0x800, 0, SZ_4K, PT_R), PT_EINVAL);
	assert_int_equal(pt_map(&pt, 0, 0x10, SZ_4K, PT_R), PT_EINVAL);
	assert_int_equal(pt_map(&pt, 0, 0, 0x1800, PT_R), PT_EINVAL);
	assert_int_equal(pt_map(&pt, 0, 0, 0, PT_R), PT_EINVAL);
	/* Input addresses beyond 2^39, including wrap-around. */
	assert_int_equal(pt_map(&pt, BIT(39), 0, SZ_4K, PT_R), PT_EINVAL);
	assert_int_equal(pt_map(&pt, BIT(39) - SZ_4K, 0, 2 * SZ_4K, PT_R), PT_EINVAL);
	assert_int_equal(pt_map(&pt, SZ_4K, 0, ~0ULL & ~0xfffULL, PT_R), PT_EINVAL);
	/* Output addresses beyond 2^48. */
	assert_int_equal(pt_map(&pt, 0, BIT(48), SZ_4K, PT_R), PT_EINVAL);
	assert_int_equal(pt_map(&pt, 0, BIT(48) - SZ_4K, 2 * SZ_4K, PT_R), PT_EINVAL);
	assert_int_equal(pool.used, 1);
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		assert_int_equal(pool_pages[0][i], 0);

	/* The very top of both spaces is fine. */
	assert_int_equal(pt_map(&pt, BIT(39) - SZ_4K, BIT(48) - SZ_4K, SZ_4K, PT_R), PT_OK);
	expect_map(BIT(39) - 1, BIT(48) - 1, 3, PT_R);
	expect_unmapped(BIT(39));
}

static void test_pool_exhausted(void **state)
{
	struct pgtable other;

	(void)state;
	pool_reset(2); /* root + one table: a 4 KiB page needs two */
	assert_int_equal(pt_init(&pt, PT_EL2, &pool), PT_OK);
	expect_refused(0x1000, SZ_4K, PT_ENOMEM);
	expect_unmapped(0x1000);
	/* What fits still maps, then the pool is empty. */
	assert_int_equal(pt_map(&pt, 0x200000, 0x200000, SZ_2M, PT_R), PT_OK);
	assert_int_equal(pool.used, 2);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, SZ_4K, PT_R), PT_ENOMEM);

	/* One more page is enough. */
	pool_reset(3);
	assert_int_equal(pt_init(&pt, PT_EL2, &pool), PT_OK);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, SZ_4K, PT_R), PT_OK);
	assert_int_equal(pool.used, 3);

	/* Two page tables sharing a pool. */
	pool_reset(4);
	assert_int_equal(pt_init(&pt, PT_EL2, &pool), PT_OK);
	assert_int_equal(pt_init(&other, PT_STAGE2, &pool), PT_OK);
	assert_int_equal(pt_map(&pt, 0, 0, SZ_2M, PT_R), PT_OK);
	assert_int_equal(pt_map(&other, 0, 0, SZ_2M, PT_R), PT_OK);
	assert_int_equal(pt_map(&other, SZ_1G, 0, SZ_2M, PT_R), PT_ENOMEM);
	assert_true(pt_lookup(&pt, 0, NULL, NULL, NULL));
	assert_true(pt_lookup(&other, 0, NULL, NULL, NULL));
}

/* ---------------------------------------------------------------- a VM */

static void test_vm_identity_32m(void **state)
{
	const u64 base = 0x50000000, size = 32 * 1024 * 1024;
	unsigned int valid = 0;

	(void)state;
	init(PT_STAGE2);
	assert_int_equal(pt_map(&pt, base, base, size, PT_R | PT_W | PT_X), PT_OK);
	assert_int_equal(pool.used, 2); /* root + one L2 table of 16 x 2 MiB */
	expect_range(base, base, size, 2, PT_R | PT_W | PT_X);
	for (u64 a = base; a < base + size; a += SZ_2M)
		expect_map(a + SZ_2M - 8, a + SZ_2M - 8, 2, PT_R | PT_W | PT_X);
	expect_unmapped(base - 1);
	expect_unmapped(base - SZ_2M);
	expect_unmapped(base + size);
	expect_unmapped(0x40000000);
	expect_unmapped(0x7fffffff);
	expect_unmapped(0);
	expect_unmapped(BIT(39) - 1);
	expect_unmapped(BIT(39));
	/* Exactly 16 valid entries in the L2 table, one in the root. */
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		valid += (pool_pages[1][i] & 1) + (pool_pages[0][i] & 1);
	assert_int_equal(valid, 17);
}

/*
 * A VM's DMA view as core/iommu.c builds it: its RAM read-write, a channel's
 * memory read-only at another address, nothing else.
 */
static void test_dma_mirror(void **state)
{
	(void)state;
	init(PT_S1_DMA);
	assert_int_equal(pt_map(&pt, 0x50000000, 0x50000000, 32 * 1024 * 1024, PT_R | PT_W), PT_OK);
	assert_int_equal(pt_map(&pt, 0x70000000, 0x58000000, SZ_2M, PT_R), PT_OK);
	assert_int_equal(pool.used, 2); /* one L2 table holds both */
	expect_range(0x50000000, 0x50000000, 32 * 1024 * 1024, 2, PT_R | PT_W);
	expect_range(0x70000000, 0x58000000, SZ_2M, 2, PT_R);
	expect_unmapped(0x52000000);
	expect_unmapped(0x58000000);
	expect_unmapped(0x4fffffff);
	assert_int_equal(pool_pages[0][1], addr(pool_pages[1]) | 3);
	assert_int_equal(pool_pages[1][0x80], 0x0060000050000f45ULL);
	assert_int_equal(pool_pages[1][0x180], 0x0060000058000fc5ULL);
}

/*
 * The pages-only stage-2 mirror an MMU-500 walks: every leaf a 4 KiB page,
 * every page translating as in the source (blocks and pages), nothing more.
 */
static void test_s2_pages_mirror(void **state)
{
	const u64 va = 0x40000000, size = 2 * SZ_2M + 4 * SZ_4K;
	struct pgtable mirror;
	unsigned int used;

	(void)state;
	init(PT_STAGE2);
	assert_int_equal(pt_map(&pt, va, 0x80000000, 2 * SZ_2M, PT_R | PT_W | PT_X), PT_OK);
	assert_int_equal(pt_map(&pt, va + 2 * SZ_2M, 0x9000000, 2 * SZ_4K, PT_R), PT_OK);
	assert_int_equal(pt_map(&pt, va + 2 * SZ_2M + 2 * SZ_4K, 0x9002000, 2 * SZ_4K,
			       PT_R | PT_W | PT_DEV), PT_OK);
	expect_map(va, 0x80000000, 2, PT_R | PT_W | PT_X); /* the source has blocks */
	assert_int_equal(pt_init_pages(&mirror, PT_STAGE2, &pool), PT_OK);
	assert_true(mirror.pages_only);

	/* A hole in the source, or another regime: refused, nothing taken. */
	used = pool.used;
	assert_int_equal(pt_copy_range(&mirror, &pt, va, size + SZ_4K), PT_EINVAL);
	assert_int_equal(pool.used, used);
	assert_false(pt_lookup(&mirror, va, NULL, NULL, NULL));

	assert_int_equal(pt_copy_range(&mirror, &pt, va, size), PT_OK);
	/* Its level-2 table and one level-3 table per 2 MiB touched. */
	assert_int_equal(pool.used, used + 1 + 3);
	for (u64 off = 0; off < size; off += SZ_4K) {
		u64 src_pa = 0, pa = 0;
		unsigned int src_prot = 0, prot = 0, level = 0;

		assert_true(pt_lookup(&pt, va + off + 0x18, &src_pa, &src_prot, NULL));
		assert_true(pt_lookup(&mirror, va + off + 0x18, &pa, &prot, &level));
		assert_int_equal(level, 3);
		assert_int_equal(pa, src_pa);
		assert_int_equal(prot, src_prot);
	}
	assert_false(pt_lookup(&mirror, va - SZ_4K, NULL, NULL, NULL));
	assert_false(pt_lookup(&mirror, va + size, NULL, NULL, NULL));
	/* A leaf descriptor, worked from D8.3: page, AF, SH inner, MemAttr WB, S2AP RW. */
	{
		const u64 *l2 = (const u64 *)(uintptr_t)(mirror.root[1] & 0xfffffffff000ULL);
		const u64 *l3 = (const u64 *)(uintptr_t)(l2[0] & 0xfffffffff000ULL);

		assert_int_equal(l3[1], 0x80001000ULL | 0x400 | 0x300 | 0x3c | 0xc0 | 0x3);
	}
	/* Copying again: already mapped. */
	assert_int_equal(pt_copy_range(&mirror, &pt, va, SZ_4K), PT_EEXIST);
	/* A plain table still takes blocks. */
	assert_int_equal(pt_copy_range(&(struct pgtable){ 0 }, &pt, va, SZ_4K), PT_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exports),
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_block_1g),
		cmocka_unit_test(test_block_2m),
		cmocka_unit_test(test_page_4k),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_pa_misaligned_to_va),
		cmocka_unit_test(test_desc_el2),
		cmocka_unit_test(test_desc_stage2),
		cmocka_unit_test(test_desc_dma),
		cmocka_unit_test(test_desc_1g_and_tables),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_prot_refused),
		cmocka_unit_test(test_args_refused),
		cmocka_unit_test(test_pool_exhausted),
		cmocka_unit_test(test_vm_identity_32m),
		cmocka_unit_test(test_dma_mirror),
		cmocka_unit_test(test_s2_pages_mirror),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
