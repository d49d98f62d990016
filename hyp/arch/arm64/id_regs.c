/*
 * The ID registers a guest reads (HCR_EL2.TID3, vcpu.c): the hardware's
 * value with only the features Tessera gives a VM, from one table with a
 * mask per register. DDI 0487 D19.2 (each register's description) and
 * D17.1.3 (the ID scheme: 4-bit fields, 0 = not implemented unless stated).
 *
 * Rules, applied per field:
 *  - A feature a guest cannot use reads as not implemented: SVE and SME
 *    (trapped by CPTR_EL2.TZ/TSM), the activity monitors (CPTR_EL2.TAM),
 *    statistical profiling, the trace unit, trace filtering and the trace
 *    buffer (MDCR_EL2.TPMS/E2PB, CPTR_EL2.TTA, MDCR_EL2.TTRF/E2TB), MPAM,
 *    MTE, transactional memory, MOPS (needs HCRX_EL2, never set), LS64
 *    (no syndrome for an emulated device), everything in ID_AA64PFR2,
 *    ID_AA64ISAR3, ID_AA64MMFR3/4, ID_AA64FPFR0, ID_AA64DFR1/2, and the
 *    IMPLEMENTATION DEFINED ID_AFR0/ID_AA64AFR0/1 (KVM gives 0 too).
 *  - EL2 features describe Tessera's level, not the guest's: Secure EL2,
 *    RME, VHE, nested virtualisation, FWB, stage-2 granules, fine-grained
 *    traps, HCRX, TWED, EVT, XNX, VMID size: all 0. EL2 itself stays
 *    implemented (HVC reaches it; with EL2 absent HVC would be UNDEFINED).
 *  - Sizes are lowered to what the VM has: EL1, EL2 and EL3 to AArch64 only
 *    (HCR_EL2.RW = 1: the VM's EL1 is AArch64, and then the architecture
 *    has every higher EL AArch64 only; KVM gives the same), PARange to 40
 *    bits (the 39-bit IPA space, VTCR_EL2.T0SZ = 25, rounded up to an
 *    encodable size) and ECV to 1 (CNTPOFF_EL2 is EL2's).
 *  - Fields not named in a row's mask read as 0: a feature added to the
 *    architecture later stays hidden until someone decides to give it.
 * Everything else, the instruction set, the memory model, debug and the
 * PMU (the guest owns every counter: MDCR_EL2.HPMN = PMCR_EL0.N), is the
 * hardware's, as the vCPU runs alone on its CPU.
 */
#include <arch/id_regs.h>
#include <arch/sysregs.h>

#define ID(crm, op2) SYSREG(3, 0, 0, crm, op2)
#define AA32 GENMASK(31, 0) /* AArch32 ID registers: bits [63:32] are RES0 */

static const struct id_reg_view id_regs[] = {
	/* AArch32 views, for an AArch32 EL0 where the CPU has one: the hardware's, less EL2 and trace. */
	{ ID(1, 0), AA32 & ~ID_PFR0_AMU, 0, 0 },                               /* ID_PFR0_EL1 */
	{ ID(1, 1), AA32 & ~(ID_PFR1_VIRTUALIZATION | ID_PFR1_VIRT_FRAC), 0, 0 }, /* ID_PFR1_EL1 */
	{ ID(1, 2), AA32 & ~(ID_DFR0_COPTRC | ID_DFR0_MMAPTRC | ID_DFR0_TRACEFILT), 0, 0 }, /* ID_DFR0_EL1 */
	{ ID(1, 3), 0, 0, 0 },    /* ID_AFR0_EL1: IMPLEMENTATION DEFINED */
	{ ID(1, 4), AA32, 0, 0 }, /* ID_MMFR0_EL1 */
	{ ID(1, 5), AA32, 0, 0 }, /* ID_MMFR1_EL1 */
	{ ID(1, 6), AA32, 0, 0 }, /* ID_MMFR2_EL1 */
	{ ID(1, 7), AA32, 0, 0 }, /* ID_MMFR3_EL1 */
	{ ID(2, 0), AA32, 0, 0 }, /* ID_ISAR0_EL1 */
	{ ID(2, 1), AA32, 0, 0 }, /* ID_ISAR1_EL1 */
	{ ID(2, 2), AA32, 0, 0 }, /* ID_ISAR2_EL1 */
	{ ID(2, 3), AA32, 0, 0 }, /* ID_ISAR3_EL1 */
	{ ID(2, 4), AA32, 0, 0 }, /* ID_ISAR4_EL1 */
	{ ID(2, 5), AA32, 0, 0 }, /* ID_ISAR5_EL1 */
	{ ID(2, 6), AA32 & ~ID_MMFR4_EVT, 0, 0 }, /* ID_MMFR4_EL1 */
	{ ID(2, 7), AA32, 0, 0 },             /* ID_ISAR6_EL1 */
	{ ID(3, 0), AA32, 0, 0 },             /* MVFR0_EL1 */
	{ ID(3, 1), AA32, 0, 0 },             /* MVFR1_EL1 */
	{ ID(3, 2), GENMASK(7, 0), 0, 0 },    /* MVFR2_EL1 */
	{ ID(3, 4), GENMASK(11, 0), 0, 0 },   /* ID_PFR2_EL1: CSV3, SSBS, RAS_frac */
	{ ID(3, 5), GENMASK(7, 0), 0, 0 },    /* ID_DFR1_EL1: MTPMU, HPMN0 */
	{ ID(3, 6), GENMASK(7, 0), 0, 0 },    /* ID_MMFR5_EL1: ETS, nTLBPA */
	/* AArch64 */
	{ ID(4, 0), ~(ID_AA64PFR0_SVE | ID_AA64PFR0_SEL2 | ID_AA64PFR0_MPAM | ID_AA64PFR0_AMU |
		      ID_AA64PFR0_RME),
	  ID_AA64PFR0_FIELD_EL1 | ID_AA64PFR0_FIELD_EL2 | ID_AA64PFR0_FIELD_EL3,
	  ID_AA64PFR0_EL1_TO_EL3_AARCH64_ONLY }, /* ID_AA64PFR0_EL1 */
	{ ID(4, 1), ID_AA64PFR1_BT | ID_AA64PFR1_SSBS | ID_AA64PFR1_RAS_FRAC | ID_AA64PFR1_CSV2_FRAC,
	  0, 0 },                 /* ID_AA64PFR1_EL1 */
	{ ID(4, 2), 0, 0, 0 },    /* ID_AA64PFR2_EL1 */
	{ ID(4, 4), 0, 0, 0 },    /* ID_AA64ZFR0_EL1: SVE hidden */
	{ ID(4, 5), 0, 0, 0 },    /* ID_AA64SMFR0_EL1: SME hidden */
	{ ID(4, 7), 0, 0, 0 },    /* ID_AA64FPFR0_EL1: FP8 needs FPMR, not given */
	{ ID(5, 0), ID_AA64DFR0_DEBUGVER | ID_AA64DFR0_PMUVER | ID_AA64DFR0_BRPS | ID_AA64DFR0_WRPS |
		    ID_AA64DFR0_CTX_CMPS | ID_AA64DFR0_DOUBLELOCK | ID_AA64DFR0_MTPMU |
		    ID_AA64DFR0_HPMN0, 0, 0 }, /* ID_AA64DFR0_EL1 */
	{ ID(5, 1), 0, 0, 0 },    /* ID_AA64DFR1_EL1 */
	{ ID(5, 2), 0, 0, 0 },    /* ID_AA64DFR2_EL1 */
	{ ID(5, 4), 0, 0, 0 },    /* ID_AA64AFR0_EL1: IMPLEMENTATION DEFINED */
	{ ID(5, 5), 0, 0, 0 },    /* ID_AA64AFR1_EL1: IMPLEMENTATION DEFINED */
	{ ID(6, 0), ~(GENMASK(3, 0) | ID_AA64ISAR0_TME), 0, 0 }, /* ID_AA64ISAR0_EL1 */
	{ ID(6, 1), ~ID_AA64ISAR1_LS64, 0, 0 },                  /* ID_AA64ISAR1_EL1 */
	{ ID(6, 2), ID_AA64ISAR2_WFXT | ID_AA64ISAR2_RPRES | ID_AA64ISAR2_GPA3 | ID_AA64ISAR2_APA3 |
		    ID_AA64ISAR2_BC | ID_AA64ISAR2_PAC_FRAC | ID_AA64ISAR2_CLRBHB |
		    ID_AA64ISAR2_RPRFM | ID_AA64ISAR2_CSSC, 0, 0 }, /* ID_AA64ISAR2_EL1 */
	{ ID(6, 3), 0, 0, 0 }, /* ID_AA64ISAR3_EL1 */
	{ ID(7, 0), ~(GENMASK(55, 48) | ID_AA64MMFR0_TGRAN_2 | ID_AA64MMFR0_FGT),
	  ID_AA64MMFR0_PARANGE_MASK | ID_AA64MMFR0_ECV,
	  ID_AA64MMFR0_PARANGE_40 | ID_AA64MMFR0_ECV_1 }, /* ID_AA64MMFR0_EL1 */
	{ ID(7, 1), ~(ID_AA64MMFR1_VMIDBITS | ID_AA64MMFR1_VH | ID_AA64MMFR1_XNX | ID_AA64MMFR1_TWED |
		      ID_AA64MMFR1_HCX), 0, 0 }, /* ID_AA64MMFR1_EL1 */
	{ ID(7, 2), ~(GENMASK(47, 44) | ID_AA64MMFR2_NV | ID_AA64MMFR2_FWB | ID_AA64MMFR2_EVT), 0,
	  0 },                 /* ID_AA64MMFR2_EL1 */
	{ ID(7, 3), 0, 0, 0 }, /* ID_AA64MMFR3_EL1 */
	{ ID(7, 4), 0, 0, 0 }, /* ID_AA64MMFR4_EL1 */
};

bool id_reg_in_space(u32 enc)
{
	return (enc & ~(u32)(GENMASK(6, 3) | GENMASK(2, 0))) == SYSREG(3, 0, 0, 0, 0) &&
	       SYSREG_CRM(enc) >= 1 && SYSREG_CRM(enc) <= 7;
}

const struct id_reg_view *id_reg_find(u32 enc)
{
	for (size_t i = 0; i < ARRAY_SIZE(id_regs); i++)
		if (id_regs[i].enc == enc)
			return &id_regs[i];
	return NULL;
}

u64 id_reg_guest_value(const struct id_reg_view *view, u64 hw)
{
	u64 v = hw & view->keep;

	for (unsigned int shift = 0; shift < 64; shift += 4) {
		u64 field = 0xfULL << shift;

		if ((view->cap_mask & field) && (v & field) > (view->cap & field))
			v = (v & ~field) | (view->cap & field);
	}
	return v;
}
