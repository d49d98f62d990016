/*
 * The ID registers a guest reads (hyp/arch/arm64/id_regs.c): the mask table
 * and the caps, field by field, against DDI 0487 D19.2 (ID_AA64PFR0_EL1,
 * ID_AA64PFR1_EL1, ID_AA64DFR0_EL1, ID_AA64MMFR0_EL1, ID_AA64ZFR0/SMFR0_EL1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../hyp/arch/arm64/id_regs.c"

#define ID_REG(crm, op2) SYSREG(3, 0, 0, crm, op2)
#define ID_AA64PFR0 ID_REG(4, 0)
#define ID_AA64PFR1 ID_REG(4, 1)
#define ID_AA64ZFR0 ID_REG(4, 4)
#define ID_AA64SMFR0 ID_REG(4, 5)
#define ID_AA64DFR0 ID_REG(5, 0)
#define ID_AA64MMFR0 ID_REG(7, 0)

/* The value a guest reads for @enc when the hardware has @hw (0 when the table has no row). */
static u64 guest_reads(u32 enc, u64 hw)
{
	const struct id_reg_view *view = id_reg_find(enc);

	return view ? id_reg_guest_value(view, hw) : 0;
}

static u64 field(u64 v, u64 mask)
{
	return ID_FIELD(v, mask);
}

/* ID_AA64PFR0_EL1 as a Cortex-A78AE-like CPU with SVE, MPAM, AMU, SEL2 and EL2 shows it. */
static void test_pfr0_hides_what_the_vm_cannot_use(void **state)
{
	/* CSV3 1, CSV2 1, DIT 1, AMU 1, MPAM 1, SEL2 1, SVE 1, RAS 2, GIC 1, AdvSIMD 1, FP 1, EL3..EL0 2/2/2/2 */
	u64 hw = 0x1101111121112222ULL;
	u64 v = guest_reads(ID_AA64PFR0, hw);

	(void)state;
	assert_int_equal(field(v, ID_AA64PFR0_SVE), 0);
	assert_int_equal(field(v, ID_AA64PFR0_MPAM), 0);
	assert_int_equal(field(v, ID_AA64PFR0_AMU), 0);
	assert_int_equal(field(v, ID_AA64PFR0_SEL2), 0);
	/* EL1-EL3 AArch64 only (the VM's EL1 is AArch64: HCR_EL2.RW); EL2 stays: HVC reaches it. */
	assert_int_equal(field(v, ID_AA64PFR0_FIELD_EL1), 1);
	assert_int_equal(field(v, ID_AA64PFR0_FIELD_EL2), 1);
	assert_int_equal(field(v, ID_AA64PFR0_FIELD_EL3), 1);
	/* Everything else is the hardware's: CSV3, CSV2, DIT, RAS, GIC, AdvSIMD, FP, EL0 (AArch32 too). */
	assert_int_equal(v, 0x1101000021111112ULL);
	/* No EL3 stays no EL3: caps only lower. */
	assert_int_equal(field(guest_reads(ID_AA64PFR0, 0x0222ULL), ID_AA64PFR0_FIELD_EL3), 0);
	/* All ones shows the mask: the hidden fields 0, EL1-EL3 lowered to 1. */
	assert_int_equal(guest_reads(ID_AA64PFR0, ~0ULL),
			 (~(ID_AA64PFR0_SVE | ID_AA64PFR0_SEL2 | ID_AA64PFR0_MPAM | ID_AA64PFR0_AMU |
			    ID_AA64PFR0_RME | GENMASK(15, 4))) | 0x1110ULL);
}

/* ID_AA64PFR1_EL1: only BT, SSBS, RAS_frac and CSV2_frac; no SME, MTE, MPAM_frac, NMI, GCS. */
static void test_pfr1_allow_list(void **state)
{
	u64 hw = ID_AA64PFR1_BT | ID_AA64PFR1_SSBS | ID_AA64PFR1_MTE | ID_AA64PFR1_SME |
		 ID_AA64PFR1_MPAM_FRAC | ID_AA64PFR1_RAS_FRAC | ID_AA64PFR1_CSV2_FRAC | GENMASK(63, 36);

	(void)state;
	assert_int_equal(guest_reads(ID_AA64PFR1, hw),
			 ID_AA64PFR1_BT | ID_AA64PFR1_SSBS | ID_AA64PFR1_RAS_FRAC | ID_AA64PFR1_CSV2_FRAC);
	assert_int_equal(field(guest_reads(ID_AA64PFR1, 0x2000021ULL), ID_AA64PFR1_SME), 0);
}

/* The SVE and SME feature registers read as 0 whatever the CPU has (QEMU's max has both). */
static void test_sve_sme_registers_zero(void **state)
{
	(void)state;
	assert_non_null(id_reg_find(ID_AA64ZFR0));
	assert_non_null(id_reg_find(ID_AA64SMFR0));
	assert_int_equal(guest_reads(ID_AA64ZFR0, ~0ULL), 0);
	assert_int_equal(guest_reads(ID_AA64SMFR0, ~0ULL), 0);
}

/* ID_AA64DFR0_EL1: debug and the PMU are the guest's; SPE, trace, TRF, TRBE, BRBE are not. */
static void test_dfr0(void **state)
{
	/* HPMN0 1, BRBE 1, MTPMU 1, TraceBuffer 1, TraceFilt 1, DoubleLock 0, PMSVer 3,
	 * CTX_CMPs 1, WRPs 3, BRPs 5, PMUVer 6 (PMUv3p5), TraceVer 1, DebugVer 9 */
	u64 hw = 0x1011110310305619ULL;
	u64 v = guest_reads(ID_AA64DFR0, hw);

	(void)state;
	assert_int_equal(field(v, ID_AA64DFR0_PMSVER), 0);
	assert_int_equal(field(v, ID_AA64DFR0_TRACEVER), 0);
	assert_int_equal(field(v, ID_AA64DFR0_TRACEFILT), 0);
	assert_int_equal(field(v, ID_AA64DFR0_TRACEBUFFER), 0);
	assert_int_equal(field(v, ID_AA64DFR0_BRBE), 0);
	assert_int_equal(field(v, ID_AA64DFR0_PMUVER), 6);
	assert_int_equal(field(v, ID_AA64DFR0_DEBUGVER), 9);
	assert_int_equal(field(v, ID_AA64DFR0_BRPS), 5);
	assert_int_equal(field(v, ID_AA64DFR0_WRPS), 3);
	assert_int_equal(field(v, ID_AA64DFR0_CTX_CMPS), 1);
	assert_int_equal(field(v, ID_AA64DFR0_MTPMU), 1);
	assert_int_equal(field(v, ID_AA64DFR0_HPMN0), 1);
}

/* ID_AA64MMFR0_EL1: PARange lowered to 40 bits (the 39-bit IPA space), ECV to 1, stage-2 granules and FGT hidden. */
static void test_mmfr0_caps(void **state)
{
	/* ECV 2, FGT 1, TGran4_2 2, TGran64_2 2, TGran16_2 2, TGran4 0, TGran64 0, TGran16 1,
	 * BigEndEL0 0, SNSMem 1, BigEnd 1, ASIDBits 2, PARange 5 (48 bits) */
	u64 v = guest_reads(ID_AA64MMFR0, 0x2100022200101125ULL);

	(void)state;
	assert_int_equal(field(v, ID_AA64MMFR0_PARANGE_MASK), ID_AA64MMFR0_PARANGE_40);
	assert_int_equal(field(v, ID_AA64MMFR0_ECV), 1);
	assert_int_equal(field(v, ID_AA64MMFR0_FGT), 0);
	assert_int_equal(v & ID_AA64MMFR0_TGRAN_2, 0);
	assert_int_equal(v, 0x1000000000101122ULL);
	/* A smaller PARange (36 bits) and no ECV stay as they are: caps only lower. */
	assert_int_equal(guest_reads(ID_AA64MMFR0, 0x00101121ULL), 0x00101121ULL);
}

/* Every row is in the TID3 space, once; reserved encodings have no row and read as 0. */
static void test_table_shape(void **state)
{
	static const struct { unsigned int crm, op2; } reserved[] = {
		{ 3, 3 }, { 3, 7 }, { 4, 3 }, { 4, 6 }, { 5, 3 }, { 5, 6 }, { 5, 7 },
		{ 6, 4 }, { 6, 7 }, { 7, 5 }, { 7, 7 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(id_regs); i++) {
		assert_true(id_reg_in_space(id_regs[i].enc));
		assert_ptr_equal(id_reg_find(id_regs[i].enc), &id_regs[i]);
		/* Caps apply only to fields the row keeps. */
		assert_int_equal(id_regs[i].cap_mask & ~id_regs[i].keep, 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(reserved); i++) {
		assert_null(id_reg_find(ID_REG(reserved[i].crm, reserved[i].op2)));
		assert_true(id_reg_in_space(ID_REG(reserved[i].crm, reserved[i].op2)));
	}
}

/* The TID3 space: op0 3, op1 0, CRn 0, CRm 1-7; not MIDR_EL1's CRm 0, not CCSIDR_EL1 (op1 1). */
static void test_space(void **state)
{
	(void)state;
	assert_true(id_reg_in_space(SYSREG(3, 0, 0, 1, 0)));
	assert_true(id_reg_in_space(SYSREG(3, 0, 0, 7, 7)));
	assert_false(id_reg_in_space(SYSREG(3, 0, 0, 0, 0)));  /* MIDR_EL1 */
	assert_false(id_reg_in_space(SYSREG(3, 0, 0, 0, 5)));  /* MPIDR_EL1 */
	assert_false(id_reg_in_space(SYSREG(3, 1, 0, 0, 0)));  /* CCSIDR_EL1 */
	assert_false(id_reg_in_space(SYSREG(3, 0, 1, 0, 1)));  /* ACTLR_EL1 */
	assert_false(id_reg_in_space(SYSREG(3, 0, 0, 8, 0)));
	assert_false(id_reg_in_space(SYSREG(2, 0, 0, 1, 0)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pfr0_hides_what_the_vm_cannot_use),
		cmocka_unit_test(test_pfr1_allow_list),
		cmocka_unit_test(test_sve_sme_registers_zero),
		cmocka_unit_test(test_dfr0),
		cmocka_unit_test(test_mmfr0_caps),
		cmocka_unit_test(test_table_shape),
		cmocka_unit_test(test_space),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
