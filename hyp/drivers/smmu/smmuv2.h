/*
 * Arm SMMUv2 (MMU-500) registers Tessera's driver uses, named as Arm IHI
 * 0062D "ARM System Memory Management Unit Architecture Specification,
 * SMMUv1 and SMMUv2" names them, each under its register: global register
 * space 0 (GR0), global register space 1 (GR1) and the translation context
 * bank registers; the MMU-500 TRM (DDI 0517) gives the sizes it implements.
 * Section numbers are still to be added from the spec itself (this slice was
 * written without it at hand; offsets and fields agree with other drivers'
 * definitions, not copied).
 */
#ifndef HYP_DRIVERS_SMMU_SMMUV2_H
#define HYP_DRIVERS_SMMU_SMMUV2_H

#include <tessera/types.h>

/* GR0, at the start of the SMMU's address space. */
#define SMMU2_SCR0 0x000               /* sCR0 */
#define SCR0_CLIENTPD BIT(0)           /* 1: every client bypasses the SMMU */
#define SCR0_GFRE BIT(1)               /* global fault report */
#define SCR0_GFIE BIT(2)               /* global fault interrupt */
#define SCR0_GCFGFRE BIT(4)            /* global configuration fault report */
#define SCR0_GCFGFIE BIT(5)            /* global configuration fault interrupt */
#define SCR0_USFCFG BIT(10)            /* unmatched streams fault rather than bypass */
#define SCR0_PTM BIT(12)               /* private TLB maintenance: broadcast TLBIs ignored */
#define SMMU2_SIDR0 0x020              /* sIDR0 */
#define SIDR0_NUMSMRG(v) ((v) & 0xff)  /* stream match register groups */
#define SIDR0_S2TS BIT(29)             /* stage 2 translation supported */
#define SIDR0_SMS BIT(27)              /* stream matching supported */
#define SMMU2_SIDR1 0x024              /* sIDR1 */
#define SIDR1_NUMCB(v) ((v) & 0xff)    /* translation context banks */
#define SIDR1_NUMPAGENDXB(v) (((v) >> 28) & 0x7)
#define SIDR1_PAGESIZE BIT(31)         /* 1: 64 KiB register pages, else 4 KiB */
#define SMMU2_SGFSR 0x048              /* sGFSR: global fault status, write 1 to clear */
#define SMMU2_SGFSYNR0 0x050           /* sGFSYNR0 */
#define SMMU2_SGFSYNR1 0x054           /* sGFSYNR1: [15:0] the faulting stream ID */
#define SMMU2_TLBIVMID 0x064           /* TLBIVMID: [7:0] VMID */
#define SMMU2_TLBIALLNSNH 0x068        /* TLBIALLNSNH */
#define SMMU2_STLBGSYNC 0x070          /* sTLBGSYNC */
#define SMMU2_STLBGSTATUS 0x074        /* sTLBGSTATUS */
#define STLBGSTATUS_GSACTIVE BIT(0)
#define SMMU2_SMR(n) (0x800 + 4 * (n)) /* SMRn */
#define SMR_VALID BIT(31)
#define SMR_MASK(m) (((u32)(m) & 0x7fff) << 16)
#define SMR_ID(id) ((u32)(id) & 0x7fff)
#define SMR_ID_MAX 0x7fff
#define SMMU2_S2CR(n) (0xc00 + 4 * (n)) /* S2CRn */
#define S2CR_CBNDX(n) ((u32)(n) & 0xff)
#define S2CR_TYPE_TRANS (0U << 16)
#define S2CR_TYPE_BYPASS (1U << 16)
#define S2CR_TYPE_FAULT (2U << 16)
#define S2CR_TYPE_MASK (3U << 16)

/* GR1, the register page after GR0. */
#define SMMU2_CBAR(n) (0x000 + 4 * (n)) /* CBARn */
#define CBAR_VMID(v) ((u32)(v) & 0xff)
#define CBAR_TYPE_S2 (0U << 16)         /* stage 2 context */
#define CBAR_TYPE_MASK (3U << 16)
#define SMMU2_CBFRSYNRA(n) (0x400 + 4 * (n)) /* CBFRSYNRAn: [15:0] faulting stream ID */
#define SMMU2_CBA2R(n) (0x800 + 4 * (n)) /* CBA2Rn */
#define CBA2R_VA64 BIT(0)               /* AArch64 translation table format */

/* A translation context bank: one register page each, after the global space. */
#define SMMU2_CB_SCTLR 0x000 /* SCTLR */
#define CB_SCTLR_M BIT(0)    /* translation enabled */
#define CB_SCTLR_TRE BIT(1)
#define CB_SCTLR_AFE BIT(2)
#define CB_SCTLR_CFRE BIT(5) /* context fault report: abort the transaction */
#define CB_SCTLR_CFIE BIT(6) /* context fault interrupt */
#define SMMU2_CB_TTBR0 0x020 /* TTBR0, 64-bit: the stage-2 table base */
#define SMMU2_CB_TCR 0x030   /* TCR, stage-2 (VTCR_EL2-like) format */
#define CB_TCR_T0SZ(v) ((u32)(v) & 0x3f)
#define CB_TCR_SL0(v) (((u32)(v) & 0x3) << 6)
#define CB_TCR_IRGN0_WBWA (1U << 8)
#define CB_TCR_ORGN0_WBWA (1U << 10)
#define CB_TCR_SH0_INNER (3U << 12)
#define CB_TCR_TG0_4K (0U << 14)
#define CB_TCR_PASIZE_48 (5U << 16)
#define SMMU2_CB_FSR 0x058   /* FSR: write 1 to clear */
#define CB_FSR_TF BIT(1)     /* translation fault */
#define CB_FSR_PF BIT(3)     /* permission fault */
#define CB_FSR_FAULTS 0x1feU /* TF .. TLBLKF, the bits that report a fault */
#define SMMU2_CB_FAR 0x060   /* FAR, 64-bit: the faulting input address */
#define SMMU2_CB_FSYNR0 0x068
#define CB_FSYNR0_WNR BIT(4)

#endif
