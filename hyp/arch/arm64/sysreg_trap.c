/*
 * Trapped system-register accesses (EC 0x18): one table of the registers
 * Tessera answers, and the ID register space (id_regs.c). Anything else
 * becomes an Undefined Instruction exception in the guest (traps.c).
 * DDI 0487 D19.2.40 gives the ISS layout.
 */
#include <arch/esr.h>
#include <arch/id_regs.h>
#include <arch/pmu_el2.h>
#include <arch/sysregs.h>
#include <arch/traps.h>
#include <tessera/cpu.h>
#include <tessera/vm.h>
#include <virt/vgic.h>

struct sysreg_trap {
	u32 enc;
	u64 (*read)(struct vcpu *vcpu);         /* NULL: reads as zero */
	void (*write)(struct vcpu *vcpu, u64 v); /* NULL: writes ignored */
};

/*
 * ACTLR_EL1 (HCR_EL2.TACR): its contents are IMPLEMENTATION DEFINED (D19.2,
 * ACTLR_EL1). The guest reads this CPU's value, as under KVM (access_actlr:
 * the host's value, writes ignored): a VM may not change implementation-
 * defined behaviour of a CPU that outlives it (restart), so writes are
 * ignored.
 */
static u64 read_actlr(struct vcpu *vcpu)
{
	(void)vcpu;
	return read_sysreg(actlr_el1);
}

/* PMCR_EL0, trapped (MDCR_EL2.TPMCR) on a CPU whose last PMU counter is EL2's only (pmu_el2.c). */
static u64 read_pmcr(struct vcpu *vcpu)
{
	(void)vcpu;
	return pmu_el2_guest_pmcr_read();
}

static void write_pmcr(struct vcpu *vcpu, u64 v)
{
	(void)vcpu;
	pmu_el2_guest_pmcr_write(v);
}

static void write_sgi1r(struct vcpu *vcpu, u64 v)
{
	vgic_send_sgi(vcpu, v);
}

static const struct sysreg_trap sysreg_traps[] = {
	/* GIC SGI generation traps with HCR_EL2.IMO (IHI 0069H 12.2.22); group 0 and the
	 * other-security-state alias have nowhere to go in a VM with one security state. */
	{ SYSREG(3, 0, 12, 11, 5), NULL, write_sgi1r }, /* ICC_SGI1R_EL1 */
	{ SYSREG(3, 0, 12, 11, 6), NULL, NULL },        /* ICC_ASGI1R_EL1 */
	{ SYSREG(3, 0, 12, 11, 7), NULL, NULL },        /* ICC_SGI0R_EL1 */
	/* No CNTP_* rows: the EL1 physical timer is the guest's, untrapped (el2_init.c). */
	{ SYSREG(3, 0, 1, 0, 1), read_actlr, NULL }, /* ACTLR_EL1 */
	/*
	 * RAS error records (HCR_EL2.TERR): the guest sees a RAS implementation
	 * with no records of its own (ERRIDR_EL1.NUM = 0), so a VM never reads or
	 * clears the CPU's or the DSU's shared records, which belong to firmware
	 * and Tessera. With NUM = 0 the ERX* registers select nothing: RAZ/WI,
	 * as KVM answers. D19.2, ERRIDR_EL1, ERRSELR_EL1, ERX*_EL1 (FEAT_RAS,
	 * FEAT_RASv1p1 for ERXMISC2/3 and ERXPFG*). An MSR to the read-only
	 * ERRIDR, ERXFR and ERXPFGF is UNDEFINED at EL1 and never traps.
	 */
	{ SYSREG(3, 0, 5, 3, 0), NULL, NULL }, /* ERRIDR_EL1 */
	{ SYSREG(3, 0, 5, 3, 1), NULL, NULL }, /* ERRSELR_EL1 */
	{ SYSREG(3, 0, 5, 4, 0), NULL, NULL }, /* ERXFR_EL1 */
	{ SYSREG(3, 0, 5, 4, 1), NULL, NULL }, /* ERXCTLR_EL1 */
	{ SYSREG(3, 0, 5, 4, 2), NULL, NULL }, /* ERXSTATUS_EL1 */
	{ SYSREG(3, 0, 5, 4, 3), NULL, NULL }, /* ERXADDR_EL1 */
	{ SYSREG(3, 0, 5, 4, 4), NULL, NULL }, /* ERXPFGF_EL1 */
	{ SYSREG(3, 0, 5, 4, 5), NULL, NULL }, /* ERXPFGCTL_EL1 */
	{ SYSREG(3, 0, 5, 4, 6), NULL, NULL }, /* ERXPFGCDN_EL1 */
	{ SYSREG(3, 0, 5, 5, 0), NULL, NULL }, /* ERXMISC0_EL1 */
	{ SYSREG(3, 0, 5, 5, 1), NULL, NULL }, /* ERXMISC1_EL1 */
	{ SYSREG(3, 0, 5, 5, 2), NULL, NULL }, /* ERXMISC2_EL1 */
	{ SYSREG(3, 0, 5, 5, 3), NULL, NULL }, /* ERXMISC3_EL1 */
	/* Last: it traps only on a CPU with a bandwidth budget (TPMCR), so no other lookup walks past it. */
	{ SYSREG(3, 3, 9, 12, 0), read_pmcr, write_pmcr }, /* PMCR_EL0 */
};

/*
 * The ID space (HCR_EL2.TID3): reads get the table's view of the hardware
 * value. Its registers are read-only, so an MSR there is UNDEFINED at EL1
 * and never traps; should one arrive, it is answered as UNDEFINED.
 */
static bool id_reg_emulate(struct guest_regs *regs, u64 esr, u32 enc, unsigned int rt)
{
	const struct id_reg_view *view = id_reg_find(enc);
	u64 v = 0;

	if (!ESR_SYS_READ(esr))
		return false;
	if (view && view->keep)
		v = id_reg_guest_value(view, id_reg_read_hw(SYSREG_CRM(enc), SYSREG_OP2(enc)));
	if (rt != 31)
		regs->x[rt] = v;
	return true;
}

/*
 * The ISS of an MSR to ICC_SGI1R_EL1 (D19.2.40, ISS for EC 0x18: Op0 [21:20],
 * Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1], Direction [0],
 * 0 for a write), and the mask that leaves Rt out.
 */
#define ISS_SYS_MASK_NO_RT (0x3fffffULL & ~(0x1fULL << 5))
#define ISS_MSR_ICC_SGI1R (3ULL << 20 | 5ULL << 17 | 0ULL << 14 | 12ULL << 10 | 11ULL << 1)

/*
 * Every virtual IPI comes this way: ICC_SGI1R_EL1 is matched by one compare,
 * before anything else trap_sysreg() looks at, and does what its row in
 * sysreg_traps does (write_sgi1r).
 */
bool sysreg_trap_sgi1r(struct guest_regs *regs, u64 esr)
{
	unsigned int rt = (unsigned int)ESR_SYS_RT(esr);

	if ((esr & ISS_SYS_MASK_NO_RT) != ISS_MSR_ICC_SGI1R)
		return false;
	vgic_send_sgi(this_cpu()->vcpu, rt == 31 ? 0 : regs->x[rt]);
	return true;
}

bool sysreg_trap_emulate(struct guest_regs *regs, u64 esr)
{
	u32 enc = (u32)SYSREG(ESR_SYS_OP0(esr), ESR_SYS_OP1(esr), ESR_SYS_CRN(esr),
			      ESR_SYS_CRM(esr), ESR_SYS_OP2(esr));
	unsigned int rt = (unsigned int)ESR_SYS_RT(esr);
	struct vcpu *vcpu = this_cpu()->vcpu;

	if (id_reg_in_space(enc))
		return id_reg_emulate(regs, esr, enc, rt);
	for (size_t i = 0; i < ARRAY_SIZE(sysreg_traps); i++) {
		const struct sysreg_trap *t = &sysreg_traps[i];

		if (t->enc != enc)
			continue;
		if (ESR_SYS_READ(esr)) {
			u64 v = t->read ? t->read(vcpu) : 0;

			if (rt != 31)
				regs->x[rt] = v;
		} else if (t->write) {
			t->write(vcpu, rt == 31 ? 0 : regs->x[rt]);
		}
		return true;
	}
	return false;
}
