/*
 * Unit tests for the SMMUv3 driver's pure parts, built on the host: the STE
 * and CD encodings, the stream table (hyp/drivers/smmu/smmuv3_strtab.c) and
 * event record decoding (smmuv3_event.c). Expected descriptor words are
 * literal numbers worked from IHI 0070 5.2 and 5.4, not from the driver's
 * constants, so a wrong constant fails here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <arch/pgtable.h>
#include <string.h>

#include "../../hyp/drivers/smmu/smmuv3.h"

#define POOL 4

static struct strtab_l2 tables[POOL];
static struct strtab_pool pool;
static u64 l1[STRTAB_L1_MAX] __aligned(STRTAB_L1_MAX * 8);
static struct strtab st;

static const u64 CD_A = 0x40300040, CD_B = 0x40300080;
static u64 ste_a[STE_WORDS], ste_b[STE_WORDS];

static void fresh(unsigned int pool_tables, unsigned int sid_bits, bool two_level)
{
	memset(tables, 0x5a, sizeof(tables)); /* garbage: every word must be written */
	pool = (struct strtab_pool){ tables, pool_tables, 0 };
	assert_true(strtab_init(&st, &pool, l1, sid_bits, two_level));
	ste_s1(ste_a, CD_A, 1, false);
	ste_s1(ste_b, CD_B, 2, false);
}

static u64 w0(u32 sid)
{
	const u64 *ste = strtab_ste(&st, sid);

	assert_non_null(ste);
	return ste[0];
}

static u64 addr(const void *p)
{
	return (u64)(uintptr_t)p;
}

/* ---------------------------------------------------------------- descriptors */

static void test_ste(void **state)
{
	u64 ste[STE_WORDS];

	(void)state;
	ste_s1(ste, 0x40300040, 1, false);
	/* V, Config 0b101 (S1 translate), S1ContextPtr */
	assert_int_equal(ste[0], 0x4030004b);
	/* S1CIR 0b01, S1COR 0b01, S1CSH 0b11, SHCFG 0b01 (incoming) */
	assert_int_equal(ste[1], 0x1000000000d4ULL);
	assert_int_equal(ste[2], 1); /* S2VMID */
	for (unsigned int i = 3; i < STE_WORDS; i++)
		assert_int_equal(ste[i], 0);
	ste_s1(ste, 0x40300040, 1, true);
	assert_int_equal(ste[0], 0x40300041); /* Config 0b000: abort */
}

static void test_cd(void **state)
{
	u64 cd[CD_WORDS];

	(void)state;
	cd_s1(cd, 0x40400000, 1, 4);
	/*
	 * T0SZ 25, TG0 4 KiB, IR0/OR0 WBWA, SH0 inner, EPD1, V, IPS 44 bits,
	 * AA64, R, A, ASET, ASID 1.
	 */
	assert_int_equal(cd[0], 0x0001e204c0003519ULL);
	assert_int_equal(cd[1], 0x40400000);
	assert_int_equal(cd[2], 0);
	assert_int_equal(cd[3], 0xff04); /* MAIR: attribute 1 Normal WB, 0 Device-nGnRE */
	for (unsigned int i = 4; i < CD_WORDS; i++)
		assert_int_equal(cd[i], 0);
}

/* ---------------------------------------------------------------- stream table */

static void test_init_two_level(void **state)
{
	(void)state;
	fresh(POOL, 16, true);
	assert_int_equal(pool.used, 1); /* the shared abort table only */
	assert_int_equal(strtab_base(&st), BIT(62) | addr(l1));
	/* LOG2SIZE 16, SPLIT 8, FMT 2-level */
	assert_int_equal(strtab_base_cfg(&st), 0x10210);
	for (unsigned int i = 0; i < STRTAB_L1_MAX; i++)
		assert_int_equal(l1[i], addr(&tables[0]) | 9); /* Span 9: 256 STEs */
	for (u32 sid = 0; sid < 0x10000; sid += 0x111)
		assert_int_equal(w0(sid), 1); /* V, Config abort */
	assert_null(strtab_ste(&st, 0x10000));

	/* More stream ID bits than 256 L1 descriptors reach: capped, the rest out of range. */
	fresh(POOL, 20, true);
	assert_int_equal(strtab_base_cfg(&st), 0x10210);
}

static void test_init_linear(void **state)
{
	(void)state;
	fresh(POOL, 5, true); /* 32 streams: one table is enough */
	assert_int_equal(pool.used, 2);
	assert_int_equal(strtab_base(&st), BIT(62) | addr(&tables[1]));
	assert_int_equal(strtab_base_cfg(&st), 5);
	assert_int_equal(strtab_attach(&st, 0, 32, ste_a, 0), STRTAB_OK);
	assert_int_equal(w0(31), ste_a[0]);
	assert_int_equal(strtab_attach(&st, 31, 2, ste_a, 0), STRTAB_ERANGE);
	assert_int_equal(w0(0), ste_a[0]);
	assert_int_equal(tables[0].ste[0][0], 1); /* the abort table is never written */

	fresh(POOL, 16, false); /* no 2-level support: 256 streams linear, the rest abort */
	assert_int_equal(strtab_base_cfg(&st), 8);
	assert_int_equal(strtab_attach(&st, 0xff, 1, ste_a, 0), STRTAB_OK);
	assert_int_equal(strtab_attach(&st, 0x100, 1, ste_a, 0), STRTAB_ERANGE);
}

/* A PCI host bridge's whole iommu-map (64 Ki streams) costs one table. */
static void test_whole_range_shared(void **state)
{
	(void)state;
	fresh(POOL, 16, true);
	assert_int_equal(strtab_attach(&st, 0, 0x10000, ste_a, 0), STRTAB_OK);
	assert_int_equal(pool.used, 2);
	for (unsigned int i = 0; i < STRTAB_L1_MAX; i++)
		assert_int_equal(l1[i], addr(&tables[1]) | 9);
	for (u32 sid = 0; sid < 0x10000; sid += 0x101)
		assert_memory_equal(strtab_ste(&st, sid), ste_a, sizeof(ste_a));
	assert_int_equal(tables[0].ste[5][0], 1);
}

static void test_split_spans(void **state)
{
	(void)state;
	fresh(POOL, 16, true);
	/* Streams 0x8-0xf (one device on bus 0): a private copy of the abort table. */
	assert_int_equal(strtab_attach(&st, 0x8, 8, ste_a, 0), STRTAB_OK);
	assert_int_equal(pool.used, 2);
	assert_int_equal(l1[0], addr(&tables[1]) | 9);
	assert_int_equal(l1[1], addr(&tables[0]) | 9);
	assert_int_equal(w0(0x7), 1);
	assert_memory_equal(strtab_ste(&st, 0x8), ste_a, sizeof(ste_a));
	assert_int_equal(w0(0xf), ste_a[0]);
	assert_int_equal(w0(0x10), 1);
	/* Another owner in the same span: no new table. */
	assert_int_equal(strtab_attach(&st, 0x10, 1, ste_b, 1), STRTAB_OK);
	assert_int_equal(pool.used, 2);
	assert_int_equal(w0(0x10), ste_b[0]);
	/* Whole spans 0x100-0x2ff: one shared table for both, then the tail privately. */
	assert_int_equal(strtab_attach(&st, 0x100, 0x280, ste_b, 1), STRTAB_OK);
	assert_int_equal(pool.used, 4);
	assert_int_equal(l1[1], l1[2]);
	assert_int_equal(l1[3], addr(&tables[3]) | 9);
	assert_int_equal(w0(0x37f), ste_b[0]);
	assert_int_equal(w0(0x380), 1);
	assert_int_equal(w0(0x400), 1);
}

static void test_refusals(void **state)
{
	u64 before[2][STRTAB_L1_MAX];

	(void)state;
	fresh(2, 16, true); /* the abort table and one more */
	assert_int_equal(strtab_attach(&st, 0xffff, 2, ste_a, 0), STRTAB_ERANGE);
	assert_int_equal(strtab_attach(&st, 0x10000, 1, ste_a, 0), STRTAB_ERANGE);
	assert_int_equal(strtab_attach(&st, 0, 0, ste_a, 0), STRTAB_ERANGE);
	assert_int_equal(strtab_attach(&st, 0, 1, ste_a, CONFIG_MAX_VMS), STRTAB_ERANGE);
	assert_int_equal(strtab_attach(&st, 0x8, 1, ste_a, 0), STRTAB_OK);
	/* Two more split spans need two tables: refused whole, nothing written. */
	memcpy(before[0], l1, sizeof(l1));
	memcpy(before[1], tables[1].ste, sizeof(before[1]));
	assert_int_equal(strtab_attach(&st, 0x1ff, 2, ste_a, 0), STRTAB_ENOMEM);
	assert_memory_equal(before[0], l1, sizeof(l1));
	assert_int_equal(pool.used, 2);
	assert_int_equal(w0(0x1ff), 1);
}

static void test_block(void **state)
{
	(void)state;
	fresh(POOL, 16, true);
	assert_int_equal(strtab_attach(&st, 0x8, 1, ste_a, 0), STRTAB_OK);
	assert_int_equal(strtab_attach(&st, 0x9, 1, ste_b, 1), STRTAB_OK);
	assert_int_equal(strtab_attach(&st, 0x100, 0x100, ste_a, 0), STRTAB_OK);

	strtab_block(&st, CD_A, true);
	assert_int_equal(w0(0x8), CD_A | 1);       /* V, Config abort, the CD kept */
	assert_int_equal(w0(0x1ab), CD_A | 1);
	assert_int_equal(w0(0x9), ste_b[0]);       /* another VM's stream goes on */
	assert_int_equal(w0(0x7), 1);
	assert_int_equal(tables[0].ste[0][0], 1);
	strtab_block(&st, CD_A, false);
	assert_int_equal(w0(0x8), ste_a[0]);
	assert_int_equal(w0(0x1ab), ste_a[0]);
}

/* ---------------------------------------------------------------- events */

static void test_events(void **state)
{
	/* F_TRANSLATION from stream 8, a write (RnW = 0) to 0x52100000. */
	const u64 translation[EVT_WORDS] = { 0x0000000800000010ULL, 0, 0x52100000, 0 };
	/* F_PERMISSION, a read (RnW, bit 35 of word 1). */
	const u64 permission[EVT_WORDS] = { 0x0000001000000013ULL, BIT(35), 0x58000000, 0 };
	const u64 bad_sid[EVT_WORDS] = { 0x0001000000000002ULL, 0, 0xdead, 0 };
	const u64 unknown[EVT_WORDS] = { 0x0000000300000077ULL, 0, 0, 0 };
	struct iommu_fault f;

	(void)state;
	smmuv3_event_decode(translation, &f);
	assert_int_equal(f.sid, 8);
	assert_string_equal(f.what, "translation fault");
	assert_true(f.has_addr && f.has_dir && f.write);
	assert_int_equal(f.addr, 0x52100000);

	smmuv3_event_decode(permission, &f);
	assert_int_equal(f.sid, 0x10);
	assert_string_equal(f.what, "permission fault");
	assert_false(f.write);

	smmuv3_event_decode(bad_sid, &f);
	assert_int_equal(f.sid, 0x10000);
	assert_string_equal(f.what, "stream ID out of range");
	assert_false(f.has_addr || f.has_dir);
	assert_int_equal(f.addr, 0);

	smmuv3_event_decode(unknown, &f);
	assert_int_equal(f.sid, 3);
	assert_string_equal(f.what, "unknown event");
	assert_false(f.has_addr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ste),
		cmocka_unit_test(test_cd),
		cmocka_unit_test(test_init_two_level),
		cmocka_unit_test(test_init_linear),
		cmocka_unit_test(test_whole_range_shared),
		cmocka_unit_test(test_split_spans),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_block),
		cmocka_unit_test(test_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
