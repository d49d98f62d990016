/*
 * ESR_ELx: exception class and the ISS fields Tessera decodes.
 * DDI 0487, D19.2.40 (ESR_EL2) and D17.2.37.
 */
#ifndef ARCH_ESR_H
#define ARCH_ESR_H

#include <tessera/types.h>

#define ESR_EC_SHIFT 26
#define ESR_EC_MASK 0x3fULL
#define ESR_EC(esr) (((esr) >> ESR_EC_SHIFT) & ESR_EC_MASK)
#define ESR_EC_COUNT 64
#define ESR_IL BIT(25) /* 32-bit instruction */
#define ESR_ISS_MASK GENMASK(24, 0)

#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_WFX 0x01
#define ESR_EC_FP_ASIMD 0x07
#define ESR_EC_ILLEGAL 0x0e
#define ESR_EC_SVC64 0x15
#define ESR_EC_HVC64 0x16
#define ESR_EC_SMC64 0x17
#define ESR_EC_SYS64 0x18
#define ESR_EC_SVE 0x19
#define ESR_EC_PAC 0x1c
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_DABT_LOW 0x24
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_SP_ALIGN 0x26
#define ESR_EC_SERROR 0x2f
#define ESR_EC_BRK64 0x3c

/* Data abort ISS, D19.2.40 "ISS encoding for an exception from a Data Abort" */
#define ESR_DABT_ISV BIT(24)       /* bits [23:14] hold a valid syndrome */
#define ESR_DABT_SAS_SHIFT 22      /* access size: 0 byte .. 3 doubleword */
#define ESR_DABT_SAS_MASK 0x3ULL
#define ESR_DABT_SSE BIT(21)       /* sign-extend the loaded value */
#define ESR_DABT_SRT_SHIFT 16      /* register number Rt */
#define ESR_DABT_SRT_MASK 0x1fULL
#define ESR_DABT_SF BIT(15)        /* Rt is 64-bit */
#define ESR_xABT_FNV BIT(10)       /* FAR not valid (instruction and data aborts) */
#define ESR_DABT_EA BIT(9)         /* external abort */
#define ESR_DABT_CM BIT(8)         /* cache maintenance or address translation (not DC ZVA) */
#define ESR_DABT_S1PTW BIT(7)      /* fault on a stage-1 table walk */
#define ESR_DABT_WNR BIT(6)        /* write */
#define ESR_xABT_FSC_MASK 0x3fULL  /* DFSC / IFSC */

/* ISS of an SError interrupt (EC 0x2f), D19.2.40 */
#define ESR_SERROR_IDS BIT(24)         /* bits [23:0] are IMPLEMENTATION DEFINED */
#define ESR_SERROR_AET_SHIFT 10        /* AET [12:10]: how bad (FEAT_RAS) */
#define ESR_SERROR_AET_MASK (0x7ULL << 10)
#define ESR_SERROR_DFSC_ASYNC 0x11     /* DFSC: asynchronous SError interrupt */

/* Fault status codes (low 6 bits), D19.2.40 DFSC */
#define FSC_TYPE_MASK 0x3c
#define FSC_ADDRESS_SIZE 0x00
#define FSC_TRANSLATION 0x04
#define FSC_ACCESS_FLAG 0x08
#define FSC_PERMISSION 0x0c
#define FSC_LEVEL(fsc) ((fsc) & 0x3)
#define FSC_SYNC_EXTERNAL 0x10 /* synchronous external abort, not on a table walk */

/* HPFAR_EL2.FIPA [43:4] holds IPA[51:12], D19.2.49 */
#define HPFAR_FIPA_MASK GENMASK(43, 4)
#define HPFAR_TO_IPA(hpfar) (((hpfar) & HPFAR_FIPA_MASK) << 8)

/* System register trap ISS (EC 0x18), D19.2.40: Op0 [21:20], Op2 [19:17], Op1 [16:14],
 * CRn [13:10], Rt [9:5], CRm [4:1], Direction [0] (1 = read). */
#define ESR_SYS_OP0(esr) (((esr) >> 20) & 0x3)
#define ESR_SYS_OP2(esr) (((esr) >> 17) & 0x7)
#define ESR_SYS_OP1(esr) (((esr) >> 14) & 0x7)
#define ESR_SYS_CRN(esr) (((esr) >> 10) & 0xf)
#define ESR_SYS_RT(esr) (((esr) >> 5) & 0x1f)
#define ESR_SYS_CRM(esr) (((esr) >> 1) & 0xf)
#define ESR_SYS_READ(esr) ((esr) & 1)

/*
 * ESR_EL1 of the synchronous external abort a guest takes for the stage 2
 * instruction or data abort @esr_el2 (EC 0x20 or 0x24), from EL1 or from EL0.
 */
u64 esr_external_abort(u64 esr_el2, bool from_el1);

/* A short name for an exception class, for reports. */
const char *esr_class_name(u64 esr);
/* One line describing the ESR (class, IL, decoded ISS where known) into buf. */
void esr_describe(u64 esr, char *buf, size_t size);

#endif
