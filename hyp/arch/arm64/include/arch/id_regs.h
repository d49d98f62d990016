/*
 * The ID register space a guest reads: HCR_EL2.TID3 traps every read of
 * op0 3, op1 0, CRn 0, CRm 1-7 (DDI 0487 D19.2, HCR_EL2.TID3; the reserved
 * encodings in that space included), and Tessera answers from one table of
 * the hardware's value with a mask per register (id_regs.c).
 */
#ifndef ARCH_ID_REGS_H
#define ARCH_ID_REGS_H

#include <tessera/types.h>

/* The system register an MRS/MSR names (the ISS of EC 0x18 carries the same fields). */
#define SYSREG(op0, op1, crn, crm, op2) \
	((u32)(op0) << 14 | (u32)(op1) << 11 | (u32)(crn) << 7 | (u32)(crm) << 3 | (u32)(op2))
#define SYSREG_CRM(enc) (((enc) >> 3) & 0xf)
#define SYSREG_OP2(enc) ((enc) & 0x7)

/* What a guest sees of one ID register. */
struct id_reg_view {
	u32 enc;
	u64 keep;     /* fields passed on from the hardware; every other bit reads as 0 */
	u64 cap_mask; /* 4-bit unsigned fields lowered to at most the value in cap */
	u64 cap;
};

/* True for an encoding in the TID3 space (op0 3, op1 0, CRn 0, CRm 1-7). */
bool id_reg_in_space(u32 enc);

/* The table's row for @enc, or NULL: the register reads as zero (reserved, or hidden). */
const struct id_reg_view *id_reg_find(u32 enc);

/* What the guest reads, from the hardware's value @hw. */
u64 id_reg_guest_value(const struct id_reg_view *view, u64 hw);

/* The hardware value of op0 3, op1 0, CRn 0, @crm (1-7), @op2, read at EL2 (id_regs_read.S). */
u64 id_reg_read_hw(unsigned int crm, unsigned int op2);

#endif
