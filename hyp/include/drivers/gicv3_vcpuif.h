/*
 * The GICv3 virtual CPU interface control registers (ICH_*_EL2), IHI 0069H
 * 12.4. Only the CPU that owns them touches them. A host build of the vGIC
 * links a fake of these functions instead (tests/unit/fake_ich.c).
 */
#ifndef DRIVERS_GICV3_VCPUIF_H
#define DRIVERS_GICV3_VCPUIF_H

#include <tessera/types.h>

/* ICH_LR<n>_EL2, 12.4.7 */
#define ICH_LR_VINTID_MASK 0xffffffffULL
#define ICH_LR_PINTID_SHIFT 32
#define ICH_LR_PINTID_MASK (0x1fffULL << 32)
#define ICH_LR_EOI BIT(41) /* HW = 0: maintenance interrupt on deactivation */
#define ICH_LR_PRIORITY_SHIFT 48
#define ICH_LR_GROUP1 BIT(60)
#define ICH_LR_HW BIT(61)
#define ICH_LR_STATE_PENDING BIT(62)
#define ICH_LR_STATE_ACTIVE BIT(63)
#define ICH_LR_STATE_MASK (ICH_LR_STATE_PENDING | ICH_LR_STATE_ACTIVE)

/* ICH_HCR_EL2, 12.4.4 */
#define ICH_HCR_EN BIT(0)
#define ICH_HCR_UIE BIT(1) /* maintenance interrupt when at most one LR is valid */
#define ICH_HCR_TALL1 BIT(12) /* EL1's Group 1 ICC_* accesses (IAR1, EOIR1, HPPIR1, ...) trap */

/* ICH_VMCR_EL2, 12.4.10: the guest's ICC_PMR_EL1 and group enables, as the virtual interface sees them */
#define ICH_VMCR_VENG0 BIT(0)
#define ICH_VMCR_VENG1 BIT(1)
#define ICH_VMCR_VPMR_SHIFT 24
#define ICH_VMCR_VPMR(v) (((v) >> ICH_VMCR_VPMR_SHIFT) & 0xff)

/* ICH_VTR_EL2.ListRegs [4:0]: number of LRs minus one, 12.4.11 */
#define ICH_VTR_LISTREGS(v) (((v) & 0x1f) + 1)

unsigned int ich_nr_lrs(void);
u64 ich_read_lr(unsigned int n);
void ich_write_lr(unsigned int n, u64 value);
u32 ich_elrsr(void); /* bit n set: LR n holds no pending or active interrupt */
u32 ich_eisr(void);  /* bit n set: LR n was deactivated with EOI set (maintenance pending) */
u64 ich_read_hcr(void);
void ich_write_hcr(u64 value);
u64 ich_read_vmcr(void);
void ich_write_vmcr(u64 value);
void ich_write_ap1r0(u64 value);
/*
 * On CPU entry, after ICC_SRE_EL2.SRE: every ICH_* register Tessera uses to a
 * known value (they are UNKNOWN after a warm reset): the interface off, no
 * active priorities, every list register empty (12.4).
 */
void ich_reset(void);

#endif
