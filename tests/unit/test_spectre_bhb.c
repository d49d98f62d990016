/*
 * The Spectre-BHB mitigation each CPU's EL2 vectors run
 * (hyp/arch/arm64/spectre_bhb.c): features first (ECBHB, CSV2_3: none;
 * CLRBHB), then the loop count by core from Arm's list, the longest loop for
 * a core nobody lists. MIDR_EL1, ID_AA64PFR0_EL1.CSV2, ID_AA64MMFR1_EL1.ECBHB,
 * ID_AA64ISAR2_EL1.CLRBHB: DDI 0487 D19.2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../hyp/arch/arm64/spectre_bhb.c"

#define MIDR_A78AE 0x410fd421ULL  /* Jetson Orin's cores (r0p1) */
#define MIDR_A76 0x414fd0b1ULL    /* QEMU's cortex-a76 */
#define MIDR_A55 0x412fd050ULL
#define MIDR_QEMU_MAX 0x000f0510ULL
#define MIDR_NVIDIA_D42 0x4e0fd420ULL /* implementer NVIDIA: part numbers are not Arm's */
#define CSV2(n) ((u64)(n) << 56)
#define ECBHB (1ULL << 60)
#define CLRBHB (1ULL << 28)

static void test_a78ae_loop32(void **state)
{
	(void)state;
	assert_int_equal(spectre_bhb_choose(MIDR_A78AE, CSV2(1), 0, 0), BHB_LOOP_32);
	assert_string_equal(spectre_bhb_name(BHB_LOOP_32), "branch loop k=32");
}

/* The architected answers win over the core list, in this order. */
static void test_features_first(void **state)
{
	(void)state;
	assert_int_equal(spectre_bhb_choose(MIDR_A78AE, CSV2(1), 0, CLRBHB), BHB_CLRBHB);
	assert_int_equal(spectre_bhb_choose(MIDR_A78AE, CSV2(1), ECBHB, CLRBHB), BHB_NONE);
	assert_int_equal(spectre_bhb_choose(MIDR_A78AE, CSV2(3), 0, CLRBHB), BHB_NONE);
	assert_int_equal(spectre_bhb_choose(MIDR_A78AE, CSV2(2), 0, 0), BHB_LOOP_32);
}

static void test_core_list(void **state)
{
	(void)state;
	assert_int_equal(spectre_bhb_choose(MIDR_A76, CSV2(1), 0, 0), BHB_LOOP_24);
	assert_int_equal(spectre_bhb_choose(MIDR_A55, 0, 0, 0), BHB_NONE);
	assert_int_equal(spectre_bhb_choose(0x410fd080ULL, 0, 0, 0), BHB_LOOP_8);    /* A72 */
	assert_int_equal(spectre_bhb_choose(0x410fd4d0ULL, 0, 0, 0), BHB_LOOP_38);   /* A715 */
	assert_int_equal(spectre_bhb_choose(0x410fd4f0ULL, 0, 0, 0), BHB_LOOP_132);  /* V2 */
}

/* Nobody's list: the longest loop, never none. */
static void test_unknown_core(void **state)
{
	(void)state;
	assert_int_equal(spectre_bhb_choose(MIDR_QEMU_MAX, CSV2(1), 0, 0), BHB_LOOP_132);
	assert_int_equal(spectre_bhb_choose(MIDR_NVIDIA_D42, CSV2(1), 0, 0), BHB_LOOP_132);
}

static void test_every_mitigation_named(void **state)
{
	(void)state;
	for (int m = 0; m < BHB_MITIGATION_COUNT; m++)
		assert_true(strcmp(spectre_bhb_name((enum bhb_mitigation)m), "?") != 0);
	assert_string_equal(spectre_bhb_name(BHB_MITIGATION_COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a78ae_loop32),
		cmocka_unit_test(test_features_first),
		cmocka_unit_test(test_core_list),
		cmocka_unit_test(test_unknown_core),
		cmocka_unit_test(test_every_mitigation_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
