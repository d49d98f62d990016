/*
 * Spectre-BHB: branch history left by a guest could steer EL2's speculative
 * indirect branches (Arm, "Spectre-BHB: Branch History Injection", 2022,
 * and its list of affected cores; CVE-2022-23960). Every exception from a
 * lower EL first scrubs the history, in the vector slot itself, before any
 * indirect branch (vectors.S). The choice, in order:
 *  - FEAT_ECBHB (ID_AA64MMFR1_EL1.ECBHB) or FEAT_CSV2_3 (ID_AA64PFR0_EL1.CSV2
 *    = 3): the CPU keeps history from steering across exception levels;
 *    nothing to do.
 *  - FEAT_CLRBHB (ID_AA64ISAR2_EL1.CLRBHB): one CLRBHB instruction, the
 *    architected and cheapest way, where the CPU says it has it.
 *  - Otherwise a loop of k taken branches overwrites the history, k per
 *    core from Arm's white paper (the same numbers as Linux's
 *    arch/arm64/kernel/proton-pack.c): 32 on Cortex-A78AE (Jetson Orin).
 *  - Cores Arm lists as not affected (Cortex-A35/A53/A55/A510/A520): none.
 *  - A core in no list and claiming no feature: the longest loop Arm lists
 *    (132): safe whatever the core, only slower.
 * The ID fields are read on each CPU, so a mixed system gets each core's own.
 */
#include <arch/spectre_bhb.h>
#include <arch/sysregs.h>

struct bhb_core {
	u16 part; /* MIDR_EL1.PartNum, implementer Arm (0x41) */
	u8 mitigation;
};

static const struct bhb_core bhb_cores[] = {
	{ 0xd03, BHB_NONE },     /* Cortex-A53 */
	{ 0xd04, BHB_NONE },     /* Cortex-A35 */
	{ 0xd05, BHB_NONE },     /* Cortex-A55 */
	{ 0xd07, BHB_LOOP_8 },   /* Cortex-A57 */
	{ 0xd08, BHB_LOOP_8 },   /* Cortex-A72 */
	{ 0xd0b, BHB_LOOP_24 },  /* Cortex-A76 */
	{ 0xd0c, BHB_LOOP_24 },  /* Neoverse N1 */
	{ 0xd0d, BHB_LOOP_24 },  /* Cortex-A77 */
	{ 0xd0e, BHB_LOOP_24 },  /* Cortex-A76AE */
	{ 0xd40, BHB_LOOP_32 },  /* Neoverse V1 */
	{ 0xd41, BHB_LOOP_32 },  /* Cortex-A78 */
	{ 0xd42, BHB_LOOP_32 },  /* Cortex-A78AE: Jetson Orin */
	{ 0xd44, BHB_LOOP_32 },  /* Cortex-X1 */
	{ 0xd47, BHB_LOOP_32 },  /* Cortex-A710 */
	{ 0xd48, BHB_LOOP_32 },  /* Cortex-X2 */
	{ 0xd49, BHB_LOOP_32 },  /* Neoverse N2 */
	{ 0xd46, BHB_NONE },     /* Cortex-A510 */
	{ 0xd4b, BHB_LOOP_32 },  /* Cortex-A78C */
	{ 0xd4c, BHB_LOOP_32 },  /* Cortex-X1C */
	{ 0xd4d, BHB_LOOP_38 },  /* Cortex-A715 */
	{ 0xd4e, BHB_LOOP_132 }, /* Cortex-X3 */
	{ 0xd4f, BHB_LOOP_132 }, /* Neoverse V2 */
	{ 0xd80, BHB_NONE },     /* Cortex-A520 */
	{ 0xd81, BHB_LOOP_38 },  /* Cortex-A720 */
};

enum bhb_mitigation spectre_bhb_choose(u64 midr, u64 pfr0, u64 mmfr1, u64 isar2)
{
	if (ID_FIELD(mmfr1, ID_AA64MMFR1_ECBHB) ||
	    ID_FIELD(pfr0, ID_AA64PFR0_CSV2) >= ID_AA64PFR0_CSV2_3)
		return BHB_NONE;
	if (ID_FIELD(isar2, ID_AA64ISAR2_CLRBHB))
		return BHB_CLRBHB;
	if (MIDR_IMPLEMENTER(midr) == MIDR_IMPLEMENTER_ARM)
		for (size_t i = 0; i < ARRAY_SIZE(bhb_cores); i++)
			if (bhb_cores[i].part == MIDR_PARTNUM(midr))
				return (enum bhb_mitigation)bhb_cores[i].mitigation;
	return BHB_LOOP_132;
}

const char *spectre_bhb_name(enum bhb_mitigation m)
{
	static const char *const names[BHB_MITIGATION_COUNT] = {
		[BHB_NONE] = "none needed",
		[BHB_CLRBHB] = "CLRBHB",
		[BHB_LOOP_8] = "branch loop k=8",
		[BHB_LOOP_24] = "branch loop k=24",
		[BHB_LOOP_32] = "branch loop k=32",
		[BHB_LOOP_38] = "branch loop k=38",
		[BHB_LOOP_132] = "branch loop k=132",
	};

	return (unsigned int)m < BHB_MITIGATION_COUNT ? names[m] : "?";
}
