/*
 * AArch64 system registers used by Tessera at EL2: accessors and the fields we
 * program. Section numbers refer to the Arm ARM, DDI 0487 (K.a/L.a), chapter
 * D19 (AArch64 system register descriptions) unless stated otherwise.
 * Registers are named as the assembler knows them (icc_iar1_el1,
 * ich_lr3_el2), not by their S3_* encodings; host tests see the same names
 * (tests/fake/include/arch/sysregs.h).
 */
#ifndef ARCH_SYSREGS_H
#define ARCH_SYSREGS_H

#include <tessera/types.h>

#ifndef __ASSEMBLY__
#define read_sysreg(reg)                                             \
	({                                                           \
		u64 __v;                                             \
		__asm__ volatile("mrs %0, " #reg : "=r"(__v));       \
		__v;                                                 \
	})
#define write_sysreg(reg, v) __asm__ volatile("msr " #reg ", %x0" ::"rZ"((u64)(v)))
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")
#define wfe() __asm__ volatile("wfe" ::: "memory")
#define sev() __asm__ volatile("sev" ::: "memory")
#endif

/* HCR_EL2, D19.2.48 */
#define HCR_VM BIT(0)    /* stage-2 translation on */
#define HCR_SWIO BIT(1)  /* set/way invalidate becomes clean+invalidate */
#define HCR_FMO BIT(3)   /* physical FIQ to EL2, virtual FIQ to EL1 */
#define HCR_IMO BIT(4)   /* physical IRQ to EL2, virtual IRQ to EL1 */
#define HCR_AMO BIT(5)   /* physical SError to EL2 */
#define HCR_VSE BIT(8)  /* a virtual SError is pending for EL1 (with AMO); cleared when taken */
#define HCR_FB BIT(9)    /* broadcast TLB/cache maintenance to the inner shareable domain */
#define HCR_BSU_IS (1ULL << 10) /* barriers upgraded to inner shareable */
#define HCR_TSC BIT(19)  /* trap SMC from EL1 */
#define HCR_TIDCP BIT(20) /* trap IMPLEMENTATION DEFINED system registers */
#define HCR_TID3 BIT(18) /* trap reads of the ID register space (op0 3, op1 0, CRn 0, CRm 1-7) */
#define HCR_TACR BIT(21)  /* trap ACTLR_EL1 */
#define HCR_RW BIT(31)   /* EL1 is AArch64 */
#define HCR_TERR BIT(36) /* FEAT_RAS: trap the error record registers (ERRIDR_EL1, ERRSELR_EL1, ERX*_EL1) */
#define HCR_TEA BIT(37)  /* FEAT_RAS: route synchronous External aborts from EL0/EL1 to EL2 */
#define HCR_APK BIT(40)  /* do not trap pointer-authentication key registers */
#define HCR_API BIT(41)  /* do not trap pointer-authentication instructions */

/* SCTLR_EL2 (non-VHE), D19.2.118 */
#define SCTLR_EL2_M BIT(0)
#define SCTLR_EL2_A BIT(1)
#define SCTLR_EL2_C BIT(2)
#define SCTLR_EL2_SA BIT(3)
#define SCTLR_EL2_I BIT(12)
#define SCTLR_EL2_WXN BIT(19)
#define SCTLR_EL2_RES1 (BIT(4) | BIT(5) | BIT(11) | BIT(16) | BIT(18) | BIT(22) | BIT(23) | BIT(28) | BIT(29))

/* SCTLR_EL1 reset value for a guest: MMU and caches off, RES1 bits set. D19.2.117 */
#define SCTLR_EL1_RES1 (BIT(11) | BIT(20) | BIT(22) | BIT(23) | BIT(28) | BIT(29))
#define SCTLR_EL1_SPAN BIT(23)  /* 0: PSTATE.PAN is set on an exception to EL1 (FEAT_PAN) */
#define SCTLR_EL1_DSSBS BIT(44) /* PSTATE.SSBS on an exception to EL1 (FEAT_SSBS) */

/* TCR_EL2 (non-VHE), D19.2.139 */
#define TCR_EL2_T0SZ(n) ((u64)(n) << 0)
#define TCR_EL2_IRGN0_WBWA (1ULL << 8)
#define TCR_EL2_ORGN0_WBWA (1ULL << 10)
#define TCR_EL2_SH0_INNER (3ULL << 12)
#define TCR_EL2_TG0_4K (0ULL << 14)
#define TCR_EL2_PS_SHIFT 16
#define TCR_EL2_RES1 (BIT(23) | BIT(31))

/* VTCR_EL2, D19.2.161 */
#define VTCR_T0SZ(n) ((u64)(n) << 0)
#define VTCR_SL0_L1 (1ULL << 6)
#define VTCR_IRGN0_WBWA (1ULL << 8)
#define VTCR_ORGN0_WBWA (1ULL << 10)
#define VTCR_SH0_INNER (3ULL << 12)
#define VTCR_TG0_4K (0ULL << 14)
#define VTCR_PS_SHIFT 16
#define VTCR_RES1 BIT(31)

#define VTTBR_VMID_SHIFT 48

/* ID_AA64MMFR0_EL1.PARange, D19.2.64: encodes the PA size; same encoding as TCR.PS. */
#define ID_AA64MMFR0_PARANGE_MASK 0xfULL
#define ID_AA64MMFR0_PARANGE_40 2ULL /* 40 bits: the smallest size that covers the 39-bit IPA space */

/*
 * ID register fields (D19.2 register descriptions; D17.1.3 "Principles of the
 * ID scheme for fields in ID registers": a 4-bit field, 0 = not implemented
 * unless stated). ID_FIELD(reg, name) extracts one.
 */
#define ID_FIELD(v, mask) (((v) & (mask)) >> __builtin_ctzll(mask))
/* ID_AA64PFR0_EL1 (D19.2, "ID_AA64PFR0_EL1") */
/* EL0-EL3 [15:0]: 1 = AArch64 only, 2 = AArch64 and AArch32 */
#define ID_AA64PFR0_FIELD_EL1 GENMASK(7, 4)
#define ID_AA64PFR0_FIELD_EL2 GENMASK(11, 8)
#define ID_AA64PFR0_FIELD_EL3 GENMASK(15, 12)
#define ID_AA64PFR0_EL1_TO_EL3_AARCH64_ONLY 0x1110ULL
#define ID_AA64PFR0_RAS GENMASK(31, 28)
#define ID_AA64PFR0_SVE GENMASK(35, 32)
#define ID_AA64PFR0_SEL2 GENMASK(39, 36)
#define ID_AA64PFR0_MPAM GENMASK(43, 40)
#define ID_AA64PFR0_AMU GENMASK(47, 44)
#define ID_AA64PFR0_DIT GENMASK(51, 48)
#define ID_AA64PFR0_RME GENMASK(55, 52)
#define ID_AA64PFR0_CSV2 GENMASK(59, 56)
#define ID_AA64PFR0_CSV3 GENMASK(63, 60)
#define ID_AA64PFR0_CSV2_3 3ULL /* FEAT_CSV2_3: branch history cannot steer speculation */
/* ID_AA64PFR1_EL1 */
#define ID_AA64PFR1_BT GENMASK(3, 0)
#define ID_AA64PFR1_SSBS GENMASK(7, 4)
#define ID_AA64PFR1_MTE GENMASK(11, 8)
#define ID_AA64PFR1_RAS_FRAC GENMASK(15, 12)
#define ID_AA64PFR1_MPAM_FRAC GENMASK(19, 16)
#define ID_AA64PFR1_SME GENMASK(27, 24)
#define ID_AA64PFR1_CSV2_FRAC GENMASK(35, 32)
/* ID_AA64DFR0_EL1 */
#define ID_AA64DFR0_DEBUGVER GENMASK(3, 0)
#define ID_AA64DFR0_TRACEVER GENMASK(7, 4)
#define ID_AA64DFR0_PMUVER GENMASK(11, 8)
#define ID_AA64DFR0_BRPS GENMASK(15, 12)
#define ID_AA64DFR0_WRPS GENMASK(23, 20)
#define ID_AA64DFR0_CTX_CMPS GENMASK(31, 28)
#define ID_AA64DFR0_PMSVER GENMASK(35, 32)
#define ID_AA64DFR0_DOUBLELOCK GENMASK(39, 36)
#define ID_AA64DFR0_TRACEFILT GENMASK(43, 40)
#define ID_AA64DFR0_TRACEBUFFER GENMASK(47, 44)
#define ID_AA64DFR0_MTPMU GENMASK(51, 48)
#define ID_AA64DFR0_BRBE GENMASK(55, 52)
#define ID_AA64DFR0_HPMN0 GENMASK(63, 60)
#define ID_AA64DFR0_PMUVER_3P1 4ULL  /* FEAT_PMUv3p1: MDCR_EL2.HPMD */
#define ID_AA64DFR0_PMUVER_3P5 6ULL  /* FEAT_PMUv3p5: MDCR_EL2.HCCD */
#define ID_AA64DFR0_PMUVER_IMPDEF 0xfULL
/* ID_AA64ISAR0_EL1, D19.2.61: TME [27:24] (transactional memory) */
#define ID_AA64ISAR0_TME GENMASK(27, 24)
/* ID_AA64ISAR1_EL1, D19.2.62: LS64 [63:60] (64-byte device loads/stores: no syndrome to emulate) */
#define ID_AA64ISAR1_LS64 GENMASK(63, 60)
/* ID_AA64ISAR2_EL1, D19.2.63 */
#define ID_AA64ISAR2_WFXT GENMASK(3, 0)
#define ID_AA64ISAR2_RPRES GENMASK(7, 4)
#define ID_AA64ISAR2_GPA3 GENMASK(11, 8)
#define ID_AA64ISAR2_APA3 GENMASK(15, 12)
#define ID_AA64ISAR2_MOPS GENMASK(19, 16)
#define ID_AA64ISAR2_BC GENMASK(23, 20)
#define ID_AA64ISAR2_PAC_FRAC GENMASK(27, 24)
#define ID_AA64ISAR2_CLRBHB GENMASK(31, 28)
#define ID_AA64ISAR2_RPRFM GENMASK(51, 48)
#define ID_AA64ISAR2_CSSC GENMASK(55, 52)
/* ID_AA64MMFR0_EL1, D19.2.64 */
#define ID_AA64MMFR0_TGRAN_2 GENMASK(43, 32) /* TGran4_2, TGran64_2, TGran16_2: stage 2 */
#define ID_AA64MMFR0_FGT GENMASK(59, 56)
#define ID_AA64MMFR0_ECV GENMASK(63, 60)
#define ID_AA64MMFR0_ECV_1 (1ULL << 60) /* EL0/EL1 self-synchronised counters; 2 adds CNTPOFF_EL2 */
/* ID_AA64MMFR1_EL1 */
#define ID_AA64MMFR1_VMIDBITS GENMASK(7, 4)
#define ID_AA64MMFR1_VH GENMASK(11, 8)
#define ID_AA64MMFR1_PAN GENMASK(23, 20)
#define ID_AA64MMFR1_XNX GENMASK(31, 28)
#define ID_AA64MMFR1_TWED GENMASK(35, 32)
#define ID_AA64MMFR1_HCX GENMASK(43, 40)
#define ID_AA64MMFR1_ECBHB GENMASK(63, 60)
/* ID_AA64MMFR2_EL1 */
#define ID_AA64MMFR2_NV GENMASK(27, 24)
#define ID_AA64MMFR2_FWB GENMASK(43, 40)
#define ID_AA64MMFR2_EVT GENMASK(59, 56)
/* AArch32 views: ID_PFR0_EL1, ID_PFR1_EL1, ID_DFR0_EL1, ID_MMFR4_EL1 */
#define ID_PFR0_AMU GENMASK(23, 20)
#define ID_PFR1_VIRTUALIZATION GENMASK(15, 12)
#define ID_PFR1_VIRT_FRAC GENMASK(27, 24)
#define ID_DFR0_COPTRC GENMASK(15, 12)
#define ID_DFR0_MMAPTRC GENMASK(19, 16)
#define ID_DFR0_TRACEFILT GENMASK(31, 28)
#define ID_MMFR4_EVT GENMASK(31, 28)

/* MIDR_EL1 (D19.2, "MIDR_EL1"): Implementer [31:24], PartNum [15:4]. */
#define MIDR_IMPLEMENTER(m) (((m) >> 24) & 0xff)
#define MIDR_PARTNUM(m) (((m) >> 4) & 0xfff)
#define MIDR_IMPLEMENTER_ARM 0x41
/* ID_AA64ISAR1_EL1 APA [7:4], API [11:8], GPA [27:24], GPI [31:28], D19.2.62 */
#define ID_AA64ISAR1_PAUTH_MASK (GENMASK(11, 4) | GENMASK(31, 24))
/* ID_AA64ISAR2_EL1 GPA3 [11:8], APA3 [15:12] (FEAT_PACQARMA3), D19.2.63; named for old assemblers */
#define ID_AA64ISAR2_EL1 S3_0_C0_C6_2
#define ID_AA64ISAR2_PAUTH_MASK GENMASK(15, 8)


#ifndef __ASSEMBLY__
/*
 * FEAT_PAuth by any algorithm (QARMA5, IMPLEMENTATION DEFINED, QARMA3):
 * only then are HCR_EL2.API and APK defined; without it they are RES0.
 */
static inline bool pauth_implemented(u64 isar1, u64 isar2)
{
	return (isar1 & ID_AA64ISAR1_PAUTH_MASK) || (isar2 & ID_AA64ISAR2_PAUTH_MASK);
}
#endif

/*
 * CPTR_EL2 (non-VHE), D19.2.31: RES1 bits; TFP (bit 10) clear = FP/SIMD not
 * trapped. Bits 8 (TZ, FEAT_SVE) and 12 (TSM, FEAT_SME) are RES1 without
 * those features and trap SVE and SME with them: both stay set.
 */
#define CPTR_EL2_RES1 (GENMASK(9, 0) | BIT(12) | BIT(13))
#define CPTR_EL2_TTA BIT(20) /* trap System register access to the trace unit */
#define CPTR_EL2_TAM BIT(30) /* FEAT_AMUv1: trap the activity monitors */

/* CNTHCTL_EL2 (non-VHE), D19.12.4: EL1 may read the physical counter and use the physical timer. */
#define CNTHCTL_EL1PCTEN BIT(0)
#define CNTHCTL_EL1PCEN BIT(1)

/* ISR_EL1.A, D19.2.73: a physical SError is pending (at EL2, whatever HCR_EL2.AMO says). */
#define ISR_EL1_A BIT(8)

/* MDCR_EL2, D19.3.15: HPMN [4:0] = counters available to EL1/EL0. */
#define MDCR_EL2_HPMN_MASK 0x1fULL
#define MDCR_EL2_TPMCR BIT(5) /* trap PMCR_EL0 from EL1/EL0 */
#define MDCR_EL2_HPME BIT(7)  /* counters [HPMN, N) enabled (EL2's) */
#define MDCR_EL2_HLP BIT(26)  /* FEAT_PMUv3p5: counters [HPMN, N) overflow at 64 bits */
#define MDCR_EL2_TPMS BIT(14) /* FEAT_SPE: trap the sampling controls PMS*_EL1 */
#define MDCR_EL2_HPMD BIT(17) /* FEAT_PMUv3p1: event counters [0, HPMN) do not count at EL2 */
#define MDCR_EL2_TTRF BIT(19) /* FEAT_TRF: trap TRFCR_EL1 */
#define MDCR_EL2_HCCD BIT(23) /* FEAT_PMUv3p5: PMCCNTR_EL0 does not count at EL2 */
/* PMCR_EL0.N [15:11], D19.4.16 */
#define PMCR_N(v) (((v) >> 11) & 0x1f)

/* SPSR_EL2 / PSTATE, C5.2.19 */
#define PSR_MODE_EL0t 0x0ULL
#define PSR_MODE_EL1t 0x4ULL
#define PSR_MODE_EL1h 0x5ULL
#define PSR_MODE_MASK 0xfULL
#define PSR_MODE_RW BIT(4) /* 1 = AArch32 */
#define PSR_F BIT(6)
#define PSR_I BIT(7)
#define PSR_A BIT(8)
#define PSR_D BIT(9)
#define PSR_DAIF (PSR_D | PSR_A | PSR_I | PSR_F)
#define PSR_SSBS BIT(12)
#define PSR_PAN BIT(22)  /* the same bit from AArch32 */
#define PSR_DIT BIT(24)
#define PSR_TCO BIT(25)
#define PSR_NZCV GENMASK(31, 28)
#define PSR_A32_DIT BIT(21) /* SPSR of an exception from AArch32, C5.2.18 */

/* VMPIDR_EL2, D19.2.159: bit 31 RES1 */
#define VMPIDR_RES1 BIT(31)

/* Exception vector offsets, D1.10.2: from the current EL with SP_ELx, from a lower EL (AArch64). */
#define VECTOR_CURRENT_SP0 0x000
#define VECTOR_CURRENT_SPX 0x200
#define VECTOR_LOWER_A64 0x400
#define VECTOR_LOWER_A32 0x600

#endif
