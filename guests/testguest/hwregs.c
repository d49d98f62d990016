/*
 * test=hwregs (hwregs.h). What a guest must see of the CPU, from the Arm ARM
 * (DDI 0487): ACTLR_EL1 is a legal EL1 register (D19.2, ACTLR_EL1); a RAS
 * implementation without error records has ERRIDR_EL1.NUM = 0 (D19.2,
 * ERRIDR_EL1); a VM that cannot use SVE, SME, the activity monitors, MPAM,
 * statistical profiling or the trace unit reads those ID fields as 0, and
 * one whose EL1 is AArch64 only sees EL1-EL3 AArch64 only (D19.2, ID_AA64PFR0/PFR1/ZFR0/SMFR0/DFR0_EL1), and SVE
 * instructions are UNDEFINED (EC 0), as on a CPU without SVE.
 */
#include "exc.h"
#include "hwregs.h"
#include "sysreg.h"
#include "uart.h"

/* ID register fields: DDI 0487 D19.2. */
#define FIELD(v, shift) (((v) >> (shift)) & 0xf)
#define PFR0_EL1 4
#define PFR0_EL2 8
#define PFR0_EL3 12
#define PFR0_RAS 28
#define PFR0_SVE 32
#define PFR0_MPAM 40
#define PFR0_AMU 44
#define PFR1_SME 24
#define DFR0_TRACEVER 4
#define DFR0_PMSVER 32
#define MMFR0_PARANGE 0
#define PARANGE_40 2 /* the VM's IPA space is 39 bits */

#define ERRIDR_EL1 "s3_0_c5_c3_0"
#define ERRSELR_EL1 "s3_0_c5_c3_1"
#define ERXSTATUS_EL1 "s3_0_c5_c4_2"

static bool failed(const char *what, u64 v)
{
	say("check hwregs: FAILED (%s: 0x%llx)", what, (unsigned long long)v);
	return false;
}

/* ACTLR_EL1 must read without an exception. */
static bool check_actlr(void)
{
	struct exc_caught exc;
	u64 v;

	exc_catch_arm();
	__asm__ volatile("mrs %0, actlr_el1" : "=r"(v) : : "memory");
	exc = exc_catch_disarm();
	if (exc.taken)
		return failed("ACTLR_EL1 read raised an exception, ESR", exc.esr);
	say("ACTLR_EL1 reads 0x%llx", (unsigned long long)v);
	return true;
}

/*
 * With ERRIDR_EL1.NUM = 0, ERRSELR_EL1 and the ERX* registers select no
 * record: RAZ/WI, or UNDEFINED (D19.2, ERRSELR_EL1: both are permitted;
 * Tessera, like KVM, answers RAZ/WI; QEMU's CPU UNDEFs). True when @v reads 0
 * or the access took an Undefined Instruction exception.
 */
static bool raz_or_undefined(const char *what, u64 v, struct exc_caught exc)
{
	if (exc.taken && esr_ec(exc.esr) != ESR_EC_UNKNOWN)
		return failed(what, exc.esr);
	say("%s: %s", what, exc.taken ? "UNDEFINED" : v ? "not zero" : "reads 0");
	return exc.taken || v == 0;
}

/* With FEAT_RAS: no error records of the VM's own. */
static bool check_ras(u64 pfr0)
{
	struct exc_caught exc;
	u64 num, v = 0;
	bool ok;

	if (!FIELD(pfr0, PFR0_RAS)) {
		say("no FEAT_RAS: error record registers not checked");
		return true;
	}
	__asm__ volatile("mrs %0, " ERRIDR_EL1 : "=r"(num));
	say("ERRIDR_EL1 0x%llx", (unsigned long long)num);
	if (num != 0)
		return failed("ERRIDR_EL1 is not 0", num);
	exc_catch_arm();
	__asm__ volatile("msr " ERRSELR_EL1 ", %0\n\tisb" : : "r"(1ULL) : "memory");
	exc = exc_catch_disarm();
	if (exc.taken && esr_ec(exc.esr) != ESR_EC_UNKNOWN)
		return failed("ERRSELR_EL1 write, ESR", exc.esr);
	exc_catch_arm();
	__asm__ volatile("mrs %0, " ERRSELR_EL1 : "+r"(v) : : "memory");
	exc = exc_catch_disarm();
	ok = raz_or_undefined("ERRSELR_EL1 after writing 1", v, exc);
	v = 0;
	exc_catch_arm();
	__asm__ volatile("mrs %0, " ERXSTATUS_EL1 : "+r"(v) : : "memory");
	exc = exc_catch_disarm();
	return raz_or_undefined("ERXSTATUS_EL1", v, exc) && ok;
}

/*
 * RDVL X0, #1 (an SVE instruction) with CPACR_EL1.ZEN and FPEN = 0b11, so
 * that EL1 does not trap it itself (EC 0x19 or 0x07 to EL1, D19.2,
 * CPACR_EL1): on a CPU without SVE it is UNDEFINED (EC 0).
 */
#define CPACR_EL1_ZEN (3ULL << 16)
#define CPACR_EL1_FPEN (3ULL << 20)

static bool check_sve_undefined(void)
{
	u64 cpacr = read_sysreg(cpacr_el1);
	struct exc_caught exc;

	write_sysreg(cpacr_el1, cpacr | CPACR_EL1_ZEN | CPACR_EL1_FPEN);
	isb();
	exc_catch_arm();
	__asm__ volatile(".inst 0x04bf5020" : : : "x0", "memory");
	exc = exc_catch_disarm();
	write_sysreg(cpacr_el1, cpacr);
	isb();
	if (!exc.taken)
		return failed("RDVL executed", 0);
	if (esr_ec(exc.esr) != ESR_EC_UNKNOWN)
		return failed("RDVL: not an Undefined Instruction exception, ESR", exc.esr);
	say("RDVL is UNDEFINED");
	return true;
}

bool test_hwregs(void)
{
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1), pfr1 = read_sysreg(id_aa64pfr1_el1);
	u64 zfr0 = read_sysreg(s3_0_c0_c4_4), smfr0 = read_sysreg(s3_0_c0_c4_5);
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1), mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	bool ok;

	say("ID_AA64PFR0_EL1 0x%llx PFR1 0x%llx ZFR0 0x%llx SMFR0 0x%llx DFR0 0x%llx MMFR0 0x%llx",
	    (unsigned long long)pfr0, (unsigned long long)pfr1, (unsigned long long)zfr0,
	    (unsigned long long)smfr0, (unsigned long long)dfr0, (unsigned long long)mmfr0);
	ok = check_actlr();
	ok = check_ras(pfr0) && ok;
	if (FIELD(pfr0, PFR0_SVE) || zfr0)
		ok = failed("SVE shown: ID_AA64PFR0_EL1.SVE/ID_AA64ZFR0_EL1", pfr0);
	if (FIELD(pfr1, PFR1_SME) || smfr0)
		ok = failed("SME shown: ID_AA64PFR1_EL1.SME/ID_AA64SMFR0_EL1", pfr1);
	/* The VM's EL1 is AArch64 only, and then so is every higher EL (EL2 exists: HVC reaches it). */
	if (FIELD(pfr0, PFR0_EL1) != 1 || FIELD(pfr0, PFR0_EL2) != 1 || FIELD(pfr0, PFR0_EL3) > 1)
		ok = failed("EL1-EL3 not AArch64 only: ID_AA64PFR0_EL1", pfr0);
	if (FIELD(pfr0, PFR0_AMU) || FIELD(pfr0, PFR0_MPAM))
		ok = failed("AMU or MPAM shown: ID_AA64PFR0_EL1", pfr0);
	if (FIELD(dfr0, DFR0_PMSVER) || FIELD(dfr0, DFR0_TRACEVER))
		ok = failed("SPE or the trace unit shown: ID_AA64DFR0_EL1", dfr0);
	if (FIELD(mmfr0, MMFR0_PARANGE) > PARANGE_40)
		ok = failed("PARange beyond the VM's 40 bits: ID_AA64MMFR0_EL1", mmfr0);
	ok = check_sve_undefined() && ok;
	if (ok)
		say("check hwregs: ok");
	return ok;
}
