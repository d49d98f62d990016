/*
 * EL1 system registers the bare-metal guests touch, and their fields.
 * Section numbers are from the Arm ARM, DDI 0487 J.a.
 * Included from C and from assembly (start.S): keep it to #defines there.
 */
#ifndef GUEST_SYSREG_H
#define GUEST_SYSREG_H

#ifdef __ASSEMBLY__
#define SR_BIT(n) (1 << (n))
#else
#define SR_BIT(n) (1ULL << (n))
#endif

/* CurrentEL (C5.2.2): the Exception level in bits [3:2]. */
#define CURRENTEL_EL_SHIFT 2
#define CURRENTEL_EL_MASK 0x3

/* SCTLR_EL1 (D19.2.124). */
#define SCTLR_EL1_M SR_BIT(0)      /* stage 1 MMU enable */
#define SCTLR_EL1_A SR_BIT(1)      /* alignment check: kept 0, libfdt is unaligned */
#define SCTLR_EL1_C SR_BIT(2)      /* data cacheability */
#define SCTLR_EL1_SA SR_BIT(3)     /* SP alignment check at EL1 */
#define SCTLR_EL1_SA0 SR_BIT(4)    /* SP alignment check at EL0 */
#define SCTLR_EL1_EOS SR_BIT(11)   /* exception exit is context synchronizing */
#define SCTLR_EL1_I SR_BIT(12)     /* instruction cacheability */
#define SCTLR_EL1_TSCXT SR_BIT(20) /* RES1 without FEAT_CSV2_2 */
#define SCTLR_EL1_EIS SR_BIT(22)   /* exception entry is context synchronizing */
#define SCTLR_EL1_SPAN SR_BIT(23)  /* RES1 without FEAT_PAN */
#define SCTLR_EL1_NTLSMD SR_BIT(28) /* RES1 without FEAT_LSMAOC */
#define SCTLR_EL1_LSMAOE SR_BIT(29) /* RES1 without FEAT_LSMAOC */
/* The bits that are RES1 in Armv8.0 and harmless to set on later PEs. */
#define SCTLR_EL1_RES1                                                                   \
	(SCTLR_EL1_EOS | SCTLR_EL1_TSCXT | SCTLR_EL1_EIS | SCTLR_EL1_SPAN |              \
	 SCTLR_EL1_NTLSMD | SCTLR_EL1_LSMAOE)

/* PAN (C5.2.12), s3_0_c4_c2_3: PSTATE.PAN in bit 22. */
#define PSTATE_PAN SR_BIT(22)

/* TCR_EL1 (D19.2.139). */
#define TCR_EL1_T0SZ_SHIFT 0
#define TCR_EL1_IRGN0_WBWA (1ULL << 8)  /* inner Write-Back Read/Write-Allocate walks */
#define TCR_EL1_ORGN0_WBWA (1ULL << 10) /* outer Write-Back Read/Write-Allocate walks */
#define TCR_EL1_SH0_INNER (3ULL << 12)  /* Inner Shareable walks */
#define TCR_EL1_TG0_4K (0ULL << 14)     /* 4 KiB granule for TTBR0 */
#define TCR_EL1_EPD1 (1ULL << 23)       /* no walks through TTBR1_EL1 */
#define TCR_EL1_IPS_SHIFT 32
#define TCR_EL1_IPS_MAX 5 /* 48 bits: the largest size a 4 KiB granule reaches without DS */

/* ID_AA64MMFR0_EL1 (D19.2.64): PARange in bits [3:0], same encoding as TCR_EL1.IPS. */
#define ID_AA64MMFR0_PARANGE_MASK 0xfULL

/* MAIR_EL1 (D19.2.100): attribute encodings of Attr<n>, one byte each. */
#define MAIR_ATTR_DEVICE_NGNRE 0x04ULL
#define MAIR_ATTR_NORMAL_WB 0xffULL /* inner/outer Write-Back Non-transient, R/W-Allocate */
#define MAIR_IDX_DEVICE 0
#define MAIR_IDX_NORMAL 1
#define MAIR_EL1_VALUE                                                                   \
	((MAIR_ATTR_DEVICE_NGNRE << (8 * MAIR_IDX_DEVICE)) |                             \
	 (MAIR_ATTR_NORMAL_WB << (8 * MAIR_IDX_NORMAL)))

/* CTR_EL0 (D19.2.34): DminLine, log2 of the smallest D-cache line in words, bits [19:16]. */
#define CTR_EL0_DMINLINE_SHIFT 16
#define CTR_EL0_DMINLINE_MASK 0xf

/* ESR_EL1 (D19.2.37): exception class and the classes the guest names. */
#define ESR_EC_SHIFT 26
#define ESR_EC_MASK 0x3fULL
#define ESR_EC_UNKNOWN 0x00 /* includes UNDEFINED instructions */
#define ESR_EC_HVC64 0x16
#define ESR_EC_SMC64 0x17
#define ESR_EC_SYS64 0x18
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_SERROR 0x2f
#define ESR_IL SR_BIT(25)
/* Instruction and Data Abort ISS (D19.2.37) */
#define ESR_DABT_ISV SR_BIT(24)
#define ESR_xABT_FNV SR_BIT(10)
#define ESR_DABT_CM SR_BIT(8)
#define ESR_DABT_WNR SR_BIT(6)
#define ESR_xABT_FSC_MASK 0x3fULL
#define FSC_SEA 0x10 /* synchronous external abort, not on a table walk */

/* ISR_EL1 (D19.2.80): an SError, IRQ or FIQ is pending. */
#define ISR_EL1_F SR_BIT(6)
#define ISR_EL1_I SR_BIT(7)
#define ISR_EL1_A SR_BIT(8)

/* MPIDR_EL1 (D19.2.104): Aff0-Aff2 in bits [23:0], Aff3 in [39:32]. */
#define MPIDR_AFF0(m) ((m) & 0xffULL)
#define MPIDR_AFF1(m) (((m) >> 8) & 0xffULL)
#define MPIDR_AFF2(m) (((m) >> 16) & 0xffULL)
#define MPIDR_AFF3(m) (((m) >> 32) & 0xffULL)

/* CNTV_CTL_EL0 (D19.12.25). */
#define CNTV_CTL_ENABLE SR_BIT(0)
#define CNTV_CTL_IMASK SR_BIT(1)
#define CNTV_CTL_ISTATUS SR_BIT(2)

#ifndef __ASSEMBLY__
#include <stdint.h>

#define read_sysreg(reg)                                                                 \
	({                                                                               \
		uint64_t __rval;                                                         \
		__asm__ volatile("mrs %0, " #reg : "=r"(__rval));                        \
		__rval;                                                                  \
	})

#define write_sysreg(reg, val)                                                           \
	do {                                                                             \
		uint64_t __wval = (uint64_t)(val); /* apart from __rval: they nest */    \
		__asm__ volatile("msr " #reg ", %0" : : "r"(__wval) : "memory");         \
	} while (0)

#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")
#endif

#endif
