/*
 * CPU-feature decisions Tessera makes at EL2, on the host: set/way cache
 * maintenance over every level CLIDR_EL1 reports (hyp/arch/arm64/cache.c),
 * with Jetson Orin's three levels (tegra234.dtsi: L1D 64 KiB 4-way, L2
 * 256 KiB 8-way, L3 2 MiB 16-way per cluster, 64-byte lines) in both CCSIDR
 * layouts; and when pointer authentication exists, so that HCR_EL2.API/APK
 * are set (arch/sysregs.h pauth_implemented). Register layouts: DDI 0487,
 * CLIDR_EL1, CCSIDR_EL1, the DC CISW operand, ID_AA64ISAR1/2_EL1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <arch/cache.h>
#include <arch/sysregs.h>

/* CLIDR_EL1: Ctype<n> at [3n-1:3n-3], LoC at [26:24]. */
#define CTYPE_SEPARATE 3
#define CTYPE_UNIFIED 4
#define CLIDR(c1, c2, c3, loc) ((u64)(c1) | (u64)(c2) << 3 | (u64)(c3) << 6 | (u64)(loc) << 24)

/* CCSIDR_EL1 for @ways x @sets of 64-byte lines (LineSize 2), both layouts. */
static u64 ccsidr32(u32 ways, u32 sets)
{
	return (u64)(sets - 1) << 13 | (u64)(ways - 1) << 3 | 2;
}

static u64 ccsidr64(u32 ways, u32 sets)
{
	return (u64)(sets - 1) << 32 | (u64)(ways - 1) << 3 | 2;
}

static bool ccidx_layout;
static unsigned int ccsidr_reads[8];

static u64 orin_ccsidr(unsigned int level)
{
	static const u32 ways[] = { 0, 4, 8, 16 }, sets[] = { 0, 256, 512, 2048 };

	assert_true(level >= 1 && level <= 3);
	ccsidr_reads[level]++;
	return ccidx_layout ? ccsidr64(ways[level], sets[level]) : ccsidr32(ways[level], sets[level]);
}

/* What the walk asked for, per level (operand bits [3:1]). */
static unsigned int ops_at[8];
static u64 first_op[8], last_op[8];

static void record_op(u64 operand)
{
	unsigned int level = (unsigned int)((operand >> 1) & 7) + 1;

	if (!ops_at[level])
		first_op[level] = operand;
	last_op[level] = operand;
	ops_at[level]++;
}

static void reset_records(void)
{
	memset(ops_at, 0, sizeof(ops_at));
	memset(ccsidr_reads, 0, sizeof(ccsidr_reads));
}

static void check_orin_walk(void)
{
	/* L1 I+D, L2 and L3 unified, LoC = 3 (the DSU's L3 is inside the CPU's coherence). */
	u64 clidr = CLIDR(CTYPE_SEPARATE, CTYPE_UNIFIED, CTYPE_UNIFIED, 3);

	reset_records();
	assert_int_equal(cache_setway_walk(clidr, ccidx_layout, orin_ccsidr, record_op), 3);
	assert_int_equal(ops_at[1], 4 * 256);
	assert_int_equal(ops_at[2], 8 * 512);
	assert_int_equal(ops_at[3], 16 * 2048); /* the level a fixed two-level walk forgets */
	/* Way in the top bits (32 - log2(ways)), set above the 64-byte line, level - 1 at [3:1]. */
	assert_int_equal(first_op[1], 0);
	assert_int_equal(last_op[1], 3ULL << 30 | 255ULL << 6);
	assert_int_equal(last_op[2], 7ULL << 29 | 511ULL << 6 | 1ULL << 1);
	assert_int_equal(last_op[3], 15ULL << 28 | 2047ULL << 6 | 2ULL << 1);
}

static void test_orin_three_levels(void **state)
{
	(void)state;
	ccidx_layout = false;
	check_orin_walk();
	ccidx_layout = true; /* FEAT_CCIDX: NumSets at [55:32], Associativity at [23:3] */
	check_orin_walk();
}

/* LoC bounds the walk, not a fixed level count; instruction-only and absent levels are skipped. */
static void test_loc_and_types(void **state)
{
	(void)state;
	ccidx_layout = false;
	reset_records();
	assert_int_equal(cache_setway_walk(CLIDR(CTYPE_SEPARATE, CTYPE_UNIFIED, CTYPE_UNIFIED, 2),
					   false, orin_ccsidr, record_op),
			 2);
	assert_int_equal(ops_at[3], 0);
	assert_int_equal(ccsidr_reads[3], 0);
	reset_records();
	/* Level 1 instruction-only (Ctype 1): nothing to clean there. */
	assert_int_equal(cache_setway_walk(CLIDR(1, CTYPE_UNIFIED, 0, 3), false, orin_ccsidr,
					   record_op),
			 1);
	assert_int_equal(ops_at[1], 0);
	assert_int_equal(ops_at[2], 8 * 512);
	assert_int_equal(ops_at[3], 0);
	reset_records();
	assert_int_equal(cache_setway_walk(0, false, orin_ccsidr, record_op), 0); /* LoC 0 */
}

/* A direct-mapped cache has no Way field; a 3-way one needs 2 bits (rounded up). */
static void test_operand_edges(void **state)
{
	struct cache_geometry g;

	(void)state;
	ccsidr_decode(ccsidr32(1, 128), false, &g);
	assert_int_equal(g.ways, 1);
	assert_int_equal(setway_operand(1, 0, 127, &g), 127ULL << 6);
	ccsidr_decode(ccsidr32(3, 64), false, &g);
	assert_int_equal(setway_operand(2, 2, 1, &g), 2ULL << 30 | 1ULL << 6 | 1ULL << 1);
	/* Line sizes: LineSize 0 is 16 bytes. */
	ccsidr_decode(0, false, &g);
	assert_int_equal(g.line_shift, 4);
}

/* HCR_EL2.API/APK only where some pointer authentication algorithm exists. */
static void test_pauth_detection(void **state)
{
	(void)state;
	assert_false(pauth_implemented(0, 0));
	assert_true(pauth_implemented(1ULL << 4, 0));  /* ISAR1.APA: QARMA5 (Cortex-A78AE) */
	assert_true(pauth_implemented(1ULL << 8, 0));  /* ISAR1.API: IMPLEMENTATION DEFINED */
	assert_true(pauth_implemented(1ULL << 24, 0)); /* ISAR1.GPA */
	assert_true(pauth_implemented(0, 1ULL << 12)); /* ISAR2.APA3: QARMA3 only */
	assert_true(pauth_implemented(0, 1ULL << 8));  /* ISAR2.GPA3 */
	/* Other fields of those registers say nothing about it. */
	assert_false(pauth_implemented(0xf000ULL /* ISAR1.JSCVT */, 0xffULL /* ISAR2.WFxT, RPRES */));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orin_three_levels),
		cmocka_unit_test(test_loc_and_types),
		cmocka_unit_test(test_operand_edges),
		cmocka_unit_test(test_pauth_detection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
