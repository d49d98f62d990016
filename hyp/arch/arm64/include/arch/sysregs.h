/*
 * AArch64 system registers used by Tessera at EL2: accessors and the fields we
 * program. Section numbers refer to the Arm ARM, DDI 0487 (K.a/L.a), chapter
 * D19 (AArch64 system register descriptions) unless stated otherwise.
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
#define HCR_FB BIT(9)    /* broadcast TLB/cache maintenance to the inner shareable domain */
#define HCR_BSU_IS (1ULL << 10) /* barriers upgraded to inner shareable */
#define HCR_TSC BIT(19)  /* trap SMC from EL1 */
#define HCR_TIDCP BIT(20) /* trap IMPLEMENTATION DEFINED system registers */
#define HCR_TACR BIT(21)  /* trap ACTLR_EL1 */
#define HCR_RW BIT(31)   /* EL1 is AArch64 */
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
/* ID_AA64ISAR1_EL1 APA [7:4], API [11:8], GPA [27:24], GPI [31:28], D19.2.62 */
#define ID_AA64ISAR1_PAUTH_MASK (GENMASK(11, 4) | GENMASK(31, 24))
/* ID_AA64ISAR2_EL1 GPA3 [11:8], APA3 [15:12] (FEAT_PACQARMA3), D19.2.63; named for old assemblers */
#define ID_AA64ISAR2_EL1 S3_0_C0_C6_2
#define ID_AA64ISAR2_PAUTH_MASK GENMASK(15, 8)

/* An unsigned 4-bit ID register field (D19.1.3): 0 = not implemented. */
#define ID_FIELD(reg, shift) (((reg) >> (shift)) & 0xfULL)
#define ID_AA64MMFR1_PAN_SHIFT 20 /* D19.2.65 */
#define ID_AA64PFR1_SSBS_SHIFT 4  /* D19.2.67 */
#define ID_AA64PFR1_MTE_SHIFT 8

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

/* CPTR_EL2 (non-VHE), D19.2.31: RES1 bits; TFP (bit 10) clear = FP/SIMD not trapped. */
#define CPTR_EL2_RES1 (GENMASK(9, 0) | BIT(12) | BIT(13))

/* CNTHCTL_EL2 (non-VHE), D19.12.4: EL1 may read the physical counter and use the physical timer. */
#define CNTHCTL_EL1PCTEN BIT(0)
#define CNTHCTL_EL1PCEN BIT(1)

/* ISR_EL1.A, D19.2.73: a physical SError is pending (at EL2, whatever HCR_EL2.AMO says). */
#define ISR_EL1_A BIT(8)

/* MDCR_EL2, D19.3.15: HPMN [4:0] = counters available to EL1/EL0. */
#define MDCR_EL2_HPMN_MASK 0x1fULL
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
