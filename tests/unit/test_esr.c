/* Syndrome decoding used in fault reports (DDI 0487 D19.2.40). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../../hyp/arch/arm64/esr.c"

static void expect(u64 esr, const char *text)
{
	char buf[160];

	esr_describe(esr, buf, sizeof(buf));
	assert_string_equal(buf, text);
}

static void test_data_abort(void **state)
{
	(void)state;
	/* EC 0x24, IL, ISV, SAS=3, SRT=0, SF, WnR, DFSC translation level 2 */
	expect(0x93c08046, "ESR 0x93c08046: EC 0x24 data abort from a lower EL, translation fault level 2, write");
	/* read, permission fault level 3, S1PTW */
	expect(0x9200008f, "ESR 0x9200008f: EC 0x24 data abort from a lower EL, permission fault level 3, read during a stage-1 walk");
}

static void test_other_classes(void **state)
{
	(void)state;
	expect(0x5a000000, "ESR 0x5a000000: EC 0x16 HVC");
	expect(0x02000000, "ESR 0x2000000: EC 0x00 unknown reason");
	expect(0x86000010, "ESR 0x86000010: EC 0x21 instruction abort at EL2, FSC 0x10");
	expect(0xfc000000, "ESR 0xfc000000: EC 0x3f unexpected class");
}

/* SError: IDS, AET with DFSC 0b010001, and the uncategorized DFSC 0 (D19.2.40). */
static void test_serror(void **state)
{
	(void)state;
	expect(0xbe000011, "ESR 0xbe000011: EC 0x2f SError, asynchronous error, uncontainable (UC)");
	expect(0xbe000411, "ESR 0xbe000411: EC 0x2f SError, asynchronous error, unrecoverable (UEU)");
	expect(0xbe001811, "ESR 0xbe001811: EC 0x2f SError, asynchronous error, corrected (CE)");
	expect(0xbe001011, "ESR 0xbe001011: EC 0x2f SError, asynchronous error, reserved AET");
	expect(0xbf000002, "ESR 0xbf000002: EC 0x2f SError, IMPLEMENTATION DEFINED syndrome 0x2");
	expect(0xbe000000, "ESR 0xbe000000: EC 0x2f SError, uncategorized");
}

static void test_truncation(void **state)
{
	char buf[12];

	(void)state;
	esr_describe(0x93c08046, buf, sizeof(buf));
	assert_string_equal(buf, "ESR 0x93c08");
}

/* The abort injected for a stage 2 abort (esr_external_abort, D19.2.40). */
static void test_external_abort(void **state)
{
	(void)state;
	/* 64-bit load with a valid syndrome, from EL1: EC 0x25, IL, ISV 0, FSC 0x10 */
	assert_int_equal(esr_external_abort(0x93c08006, true), 0x96000010);
	/* the same store: WnR kept */
	assert_int_equal(esr_external_abort(0x93c08046, true), 0x96000050);
	/* DC ZVA as QEMU reports it: ISV 0, WnR 1, CM 0 */
	assert_int_equal(esr_external_abort(0x92000046, true), 0x96000050);
	/* cache maintenance: CM and WnR kept */
	assert_int_equal(esr_external_abort(0x92000146, true), 0x96000150);
	/* from EL0: "from a lower EL" */
	assert_int_equal(esr_external_abort(0x92000006, false), 0x92000010);
	/* FnV kept; EA, S1PTW and the level dropped */
	assert_int_equal(esr_external_abort(0x92000406, true), 0x96000410);
	assert_int_equal(esr_external_abort(0x92000287, true), 0x96000010);
	/* instruction aborts: EC 0x21 from EL1, 0x20 from EL0; no WnR/CM there */
	assert_int_equal(esr_external_abort(0x82000006, true), 0x86000010);
	assert_int_equal(esr_external_abort(0x82000006, false), 0x82000010);
	assert_int_equal(esr_external_abort(0x82000146, true), 0x86000010);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_abort),
		cmocka_unit_test(test_other_classes),
		cmocka_unit_test(test_serror),
		cmocka_unit_test(test_external_abort),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
