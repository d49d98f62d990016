/*
 * Registers and calls chosen at run time (calls.h): MRS/MSR of random
 * encodings, the GIC CPU interface, HVC and SMC with random function IDs.
 */
#include "access.h"
#include "calls.h"
#include "campaign.h"
#include "gic.h"
#include "psci.h"
#include "sysreg.h"

/* A64 encodings (DDI 0487 J.a C6.2: MRS, MSR (register), HVC, SMC, RET), Rt = x0. */
#define INSN_SYSREG(op0, op1, crn, crm, op2)                                                     \
	((((u32)(op0) & 1) << 19) | ((u32)(op1) << 16) | ((u32)(crn) << 12) | ((u32)(crm) << 8) | \
	 ((u32)(op2) << 5))
#define INSN_MRS 0xd5300000u
#define INSN_MSR 0xd5100000u
#define INSN_HVC(imm) (0xd4000002u | ((u32)(imm) << 5))
#define INSN_SMC(imm) (0xd4000003u | ((u32)(imm) << 5))
#define INSN_RET 0xd65f03c0u

/* The stub: RAM, so Normal and executable at stage 1 (guests/common/mmu.c). */
static u32 stub_page[1024] __attribute__((aligned(4096)));

bool stub_holds(u64 pc)
{
	u64 base = (u64)(uintptr_t)stub_page;

	return pc >= base && pc < base + 2 * sizeof(u32);
}

/* Writes @insn; RET and makes them visible to instruction fetch (D7.5.2, "Self-modifying code"). */
static u64 stub_set(u32 insn)
{
	u64 va = (u64)(uintptr_t)stub_page;

	stub_page[0] = insn;
	stub_page[1] = INSN_RET;
	__asm__ volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb"
			 :
			 : "r"(va)
			 : "memory");
	return va;
}

static u64 stub_run(u32 insn, u64 regs[18])
{
	TRACE("instruction 0x%08x, x0 0x%llx, x1 0x%llx", insn, (unsigned long long)regs[0],
	      (unsigned long long)regs[1]);
	stub_call(regs, stub_set(insn));
	return regs[0];
}

/*
 * Writes the guest keeps away from: they would take its own execution away
 * (translation, vectors, PSTATE, stack pointers, exception return state, the
 * EL1 control registers) or let hardware write its memory (SPE, TRBE).
 * Everything else may be written, ACTLR_EL1 included: to an encoding that is
 * UNDEFINED, hardware and the hypervisor must answer with an exception.
 */
static bool write_harmless(u32 op1, u32 crn, u32 crm, u32 op2)
{
	switch (crn) {
	case 1: return op1 == 0 && crm == 0 && op2 == 1; /* ACTLR_EL1 only */
	case 2: return false;                            /* TTBRx, TCR, pointer-auth keys, GCS */
	case 4: return false;                            /* SPSR, ELR, SP_EL0, SPSel, DAIF, NZCV... */
	case 9: return !(op1 == 0 && crm >= 9 && crm <= 11); /* SPE, TRBE */
	case 10: return crm != 2 && crm != 3;            /* MAIR, AMAIR (and PIR/POR) */
	case 12: return crm != 0;                        /* VBAR, RVBAR, RMR */
	default: return true;
	}
}

/*
 * Registers every Armv8.0-A PE has at EL1 (DDI 0487 J.a D19.2, D19.12): a
 * read must return a value, never UNDEFINED, whatever the hypervisor traps.
 */
static const struct {
	u8 op0, op1, crn, crm, op2;
	const char *name;
} architected[] = {
	{ 3, 0, 0, 0, 0, "MIDR_EL1" },	    { 3, 0, 0, 0, 5, "MPIDR_EL1" },
	{ 3, 0, 0, 0, 6, "REVIDR_EL1" },    { 3, 0, 0, 4, 0, "ID_AA64PFR0_EL1" },
	{ 3, 0, 0, 5, 0, "ID_AA64DFR0_EL1" }, { 3, 0, 0, 6, 0, "ID_AA64ISAR0_EL1" },
	{ 3, 0, 0, 7, 0, "ID_AA64MMFR0_EL1" }, { 3, 0, 1, 0, 0, "SCTLR_EL1" },
	{ 3, 0, 1, 0, 1, "ACTLR_EL1" },	    { 3, 0, 1, 0, 2, "CPACR_EL1" },
	{ 3, 0, 2, 0, 0, "TTBR0_EL1" },	    { 3, 0, 2, 0, 2, "TCR_EL1" },
	{ 3, 0, 5, 1, 0, "AFSR0_EL1" },	    { 3, 0, 5, 2, 0, "ESR_EL1" },
	{ 3, 0, 6, 0, 0, "FAR_EL1" },	    { 3, 0, 7, 4, 0, "PAR_EL1" },
	{ 3, 0, 10, 2, 0, "MAIR_EL1" },	    { 3, 0, 10, 3, 0, "AMAIR_EL1" },
	{ 3, 0, 12, 0, 0, "VBAR_EL1" },	    { 3, 0, 13, 0, 1, "CONTEXTIDR_EL1" },
	{ 3, 0, 13, 0, 4, "TPIDR_EL1" },    { 3, 0, 14, 1, 0, "CNTKCTL_EL1" },
	{ 3, 1, 0, 0, 0, "CCSIDR_EL1" },    { 3, 1, 0, 0, 1, "CLIDR_EL1" },
	{ 3, 2, 0, 0, 0, "CSSELR_EL1" },    { 3, 3, 0, 0, 1, "CTR_EL0" },
	{ 3, 3, 0, 0, 7, "DCZID_EL0" },	    { 3, 3, 13, 0, 2, "TPIDR_EL0" },
	{ 3, 3, 14, 0, 0, "CNTFRQ_EL0" },   { 3, 3, 14, 0, 1, "CNTPCT_EL0" },
	{ 3, 3, 14, 0, 2, "CNTVCT_EL0" },   { 3, 3, 14, 2, 1, "CNTP_CTL_EL0" },
	{ 3, 3, 14, 2, 2, "CNTP_CVAL_EL0" }, { 3, 3, 14, 3, 1, "CNTV_CTL_EL0" },
	{ 2, 0, 0, 2, 2, "MDSCR_EL1" },
};

/*
 * A read of an architected register that UNDEFINED: counted, the first
 * named, and a wrong answer: every one of these is a register an Armv8.0 PE
 * has at EL1 (ACTLR_EL1 included: Tessera answers it, sysreg_trap.c).
 */
static void read_architected(void)
{
	unsigned int i = (unsigned int)rnd_below(ARRAY_SIZE(architected));
	u64 regs[18] = { 0 }, before = campaign_exceptions();

	stub_run(INSN_MRS | INSN_SYSREG(architected[i].op0, architected[i].op1, architected[i].crn,
					architected[i].crm, architected[i].op2),
		 regs);
	if (campaign_exceptions() == before)
		return;
	if (!stats.architected_undef++)
		stats.architected_undef_first = architected[i].name;
	campaign_wrong("read of %s was UNDEFINED", architected[i].name);
}

/*
 * An MRS or MSR of a random encoding: op0 = 3 (EL0/EL1 registers, op1 0 or 3
 * mostly, the EL2/EL3 and other op1 values sometimes), or op0 = 2 (debug)
 * read only; one time in 8 a read of an architected register.
 */
void op_sysreg(void)
{
	u64 regs[18] = { 0 };
	u32 op0 = rnd_below(5) ? 3 : 2;
	u32 op1 = rnd_below(4) ? (rnd_below(2) ? 0 : 3) : (u32)rnd_below(8);
	u32 crn = (u32)rnd_below(16), crm = (u32)rnd_below(16), op2 = (u32)rnd_below(8);
	bool write = op0 == 3 && rnd_below(2) && write_harmless(op1, crn, crm, op2);

	if (!rnd_below(8)) {
		read_architected();
		return;
	}
	regs[0] = rnd_value();
	/*
	 * QEMU 7.2 (gt_recalc_timer) arms its virtual-timer event at CVAL +
	 * CNTVOFF_EL2 without checking for wrap: with Tessera's CNTVOFF_EL2
	 * (the count at VM start) a CVAL near 2^64 makes that sum small, the
	 * event fires at once, is re-armed the same, and QEMU's main loop spins
	 * there forever, every VM stopped. A negative TVAL early in the VM's
	 * life makes such a CVAL too (CVAL = CNTVCT + TVAL sign-extended).
	 * Hardware has no such problem: keep CNTV_CVAL_EL0 below 2^62 and
	 * CNTV_TVAL_EL0 non-negative so the campaign tests Tessera, not QEMU.
	 */
	if (write && op1 == 3 && crn == 14 && crm == 3 && op2 == 2)
		regs[0] &= (1ULL << 62) - 1;
	if (write && op1 == 3 && crn == 14 && crm == 3 && op2 == 0)
		regs[0] &= 0x7fffffffULL;
	stub_run((write ? INSN_MSR : INSN_MRS) | INSN_SYSREG(op0, op1, crn, crm, op2), regs);
}

/* The GICv3 CPU interface registers, op0 = 3, op1 = 0 (IHI 0069H 12.2). */
static const struct {
	u8 crn, crm, op2;
} icc_regs[] = {
	{ 4, 6, 0 },   /* ICC_PMR_EL1 */
	{ 12, 8, 0 },  /* ICC_IAR0_EL1 */
	{ 12, 8, 1 },  /* ICC_EOIR0_EL1 */
	{ 12, 8, 2 },  /* ICC_HPPIR0_EL1 */
	{ 12, 8, 3 },  /* ICC_BPR0_EL1 */
	{ 12, 8, 4 },  /* ICC_AP0R0_EL1 */
	{ 12, 8, 7 },  /* ICC_AP0R3_EL1 */
	{ 12, 9, 0 },  /* ICC_AP1R0_EL1 */
	{ 12, 9, 3 },  /* ICC_AP1R3_EL1 */
	{ 12, 9, 5 },  /* ICC_NMIAR1_EL1 */
	{ 12, 11, 1 }, /* ICC_DIR_EL1 */
	{ 12, 11, 3 }, /* ICC_RPR_EL1 */
	{ 12, 11, 5 }, /* ICC_SGI1R_EL1 */
	{ 12, 11, 6 }, /* ICC_ASGI1R_EL1 */
	{ 12, 11, 7 }, /* ICC_SGI0R_EL1 */
	{ 12, 12, 0 }, /* ICC_IAR1_EL1 */
	{ 12, 12, 1 }, /* ICC_EOIR1_EL1 */
	{ 12, 12, 2 }, /* ICC_HPPIR1_EL1 */
	{ 12, 12, 3 }, /* ICC_BPR1_EL1 */
	{ 12, 12, 4 }, /* ICC_CTLR_EL1 */
	{ 12, 12, 5 }, /* ICC_SRE_EL1 */
	{ 12, 12, 6 }, /* ICC_IGRPEN0_EL1 */
	{ 12, 12, 7 }, /* ICC_IGRPEN1_EL1 */
};

#define ICC_SGI1R 12 /* index of ICC_SGI1R_EL1 above */

/* One ICC register, read or written; SGI writes often aimed at this vCPU. */
void op_icc(void)
{
	unsigned int i = (unsigned int)rnd_below(ARRAY_SIZE(icc_regs));
	u64 regs[18] = { 0 };
	bool write = rnd_below(2);

	regs[0] = rnd_value();
	if (i == ICC_SGI1R && write && rnd_below(2))
		regs[0] = gic_sgi1r((u32)rnd_below(GIC_SGI_COUNT), read_sysreg(mpidr_el1));
	stub_run((write ? INSN_MSR : INSN_MRS) |
			 INSN_SYSREG(3, 0, icc_regs[i].crn, icc_regs[i].crm, icc_regs[i].op2),
		 regs);
}

/* Function IDs of the Standard Secure Service calls that power off, reset or suspend (DEN 0022). */
static bool fid_stops_the_vm(u32 fid)
{
	static const u32 stoppers[] = {
		0x84000001, /* CPU_SUSPEND */
		0x84000002, /* CPU_OFF */
		0x84000008, /* SYSTEM_OFF */
		0x84000009, /* SYSTEM_RESET */
		0x8400000b, /* CPU_FREEZE */
		0x8400000c, /* CPU_DEFAULT_SUSPEND */
		0x8400000e, /* SYSTEM_SUSPEND */
		0x84000012, /* SYSTEM_RESET2 */
		0x84000013, /* MEM_PROTECT */
	};
	u32 smc32 = fid & ~SMCCC_FID_SMC64;

	for (unsigned int i = 0; i < ARRAY_SIZE(stoppers); i++)
		if (smc32 == stoppers[i])
			return true;
	return false;
}

#define PSCI_FN_CPU_ON 0x84000003U

static bool own_cpu(const struct targets *t, u64 mpidr)
{
	for (unsigned int i = 0; i < t->cpu_count; i++)
		if ((mpidr & 0xff00ffffffULL) == t->own_mpidr[i])
			return true;
	return false;
}

static u64 rnd_fid(void)
{
	switch (rnd_below(5)) {
	case 0: /* a fast call of a random owner, a small function number */
		return 0x80000000U | (rnd_below(2) ? SMCCC_FID_SMC64 : 0) | (u32)rnd_below(64) << 24 |
		       (u32)rnd_below(0x20);
	case 1: /* the Arm Architecture and Standard Secure (PSCI) services */
		return 0x80000000U | (rnd_below(2) ? SMCCC_FID_SMC64 : 0) | (u32)rnd_below(5) << 24 |
		       (u32)rnd_below(0x40);
	case 2: /* anything in the upper half of X0 too (SMCCC: W0 is the ID) */
		return rnd_next();
	default:
		return (u32)rnd_next();
	}
}

/*
 * HVC or SMC (immediate 0 mostly) with a random function ID and arguments;
 * never one that stops, resets or suspends this VM, nor CPU_ON of its own
 * vCPUs (they would start at a random address). A call that returns without
 * an exception must have preserved x4-x17 (SMCCC v1.1 and later, which
 * Tessera's SMCCC_VERSION reports).
 */
void op_smccc(const struct targets *t)
{
	u64 regs[18], sent[18], before = campaign_exceptions();
	u64 fid;
	u32 insn, imm = rnd_below(8) ? 0 : (u32)rnd_below(0x10000);

	do
		fid = rnd_fid();
	while (fid_stops_the_vm((u32)fid));
	for (unsigned int i = 0; i < 18; i++)
		regs[i] = rnd_value();
	regs[0] = fid;
	if (((u32)fid & ~SMCCC_FID_SMC64) == PSCI_FN_CPU_ON)
		while (own_cpu(t, regs[1]))
			regs[1] = rnd_value();
	for (unsigned int i = 0; i < 18; i++)
		sent[i] = regs[i];
	insn = rnd_below(3) ? INSN_HVC(imm) : INSN_SMC(imm);
	stub_run(insn, regs);
	if (campaign_exceptions() != before)
		return;
	for (unsigned int i = 4; i < 18; i++)
		if (regs[i] != sent[i]) {
			campaign_wrong("%s #%u, x0 0x%llx: x%u changed from 0x%llx to 0x%llx",
				       insn == INSN_HVC(imm) ? "HVC" : "SMC", imm,
				       (unsigned long long)fid, i, (unsigned long long)sent[i],
				       (unsigned long long)regs[i]);
			return;
		}
}
