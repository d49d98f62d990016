/*
 * The emulated GICv3 redistributors (IHI 0069H 12.10 RD_base, 12.11
 * SGI_base), one 128 KiB frame per vCPU. GICR_TYPER reports the frame's
 * vCPU's virtual affinity (vcpu_affinity), so that a guest finds its
 * redistributor by walking the frames.
 *
 * RD_base: no LPIs (GICR_CTLR, PROPBASER, PENDBASER RAZ/WI) and power
 * management through GICR_WAKER. SGI_base: the frame vCPU's SGIs and PPIs,
 * with the same per-interrupt callbacks as the distributor (vgic_mmio.c).
 * As there, core/emul.c checks widths and alignment before any callback
 * runs, and offsets no entry covers are RAZ/WI.
 */
#include <tessera/vm.h>
#include <virt/vgic.h>

#include "vgic_mmio.h"

/* ---- GICR_TYPER: 64-bit, 32-bit halves accepted */

static u64 gicr_read_typer(void *dev, u32 offset)
{
	const struct vgic_mmio_ctx *ctx = dev;
	u64 index = ctx->vcpu->index;
	/*
	 * Affinity_Value [63:32]: the vCPU's virtual affinity; Processor_Number
	 * [23:8] = index; Last: the VM's last frame. PLPIS, VLPIS, DirectLPI and
	 * the rest are 0.
	 */
	u64 typer = gicr_typer_affinity(vcpu_affinity((unsigned int)index)) << GICR_TYPER_AFF_SHIFT |
		    index << GICR_TYPER_PROC_NUM_SHIFT;

	if (index == ctx->vm->vcpu_count - 1)
		typer |= GICR_TYPER_LAST;
	return offset & 4 ? typer >> 32 : typer;
}

/* ---- GICR_WAKER: ProcessorSleep is the guest's; ChildrenAsleep follows it at once */

static u64 gicr_read_waker(void *dev, u32 offset)
{
	const struct vgic_mmio_ctx *ctx = dev;

	(void)offset;
	if (!ctx->vcpu->vgic.sleeping)
		return 0;
	return GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP;
}

static void gicr_write_waker(void *dev, u32 offset, u64 value)
{
	const struct vgic_mmio_ctx *ctx = dev;

	(void)offset;
	ctx->vcpu->vgic.sleeping = value & GICR_WAKER_PROCESSOR_SLEEP;
}

#define SGI_FRAME(reg) (GICR_SGI_BASE + (reg))
#define GICR_BYTES(bits_per_irq) (VGIC_NR_PRIVATE * (bits_per_irq) / 8)

static const struct emul_reg gicr_regs[] = {
	/* RD_base, 12.10 */
	{ GICR_CTLR, 4, EMUL_W32, 0, EMUL_CONST, NULL, NULL }, /* EnableLPIs and the rest: no LPIs */
	{ GICR_IIDR, 4, EMUL_W32, 0, EMUL_CONST, vgic_mmio_read_iidr, NULL },
	{ GICR_TYPER, 8, EMUL_W32 | EMUL_W64, 0, EMUL_CONST, gicr_read_typer, NULL },
	{ GICR_STATUSR, 4, EMUL_W32, 0, EMUL_CONST, NULL, NULL },
	{ GICR_WAKER, 4, EMUL_W32, 0, 0, gicr_read_waker, gicr_write_waker },
	{ GICR_PROPBASER, 8, EMUL_W32 | EMUL_W64, 0, EMUL_CONST, NULL, NULL },
	{ GICR_PENDBASER, 8, EMUL_W32 | EMUL_W64, 0, EMUL_CONST, NULL, NULL },
	{ GICD_IDREGS, GICD_IDREGS_SIZE, EMUL_W32, 0, 0, vgic_mmio_read_id, NULL }, /* same offsets */
	/* SGI_base, 12.11: INTIDs 0-31 of the frame's vCPU */
	{ SGI_FRAME(GICR_IGROUPR0), GICR_BYTES(1), EMUL_W32, 1, 0,
	  vgic_mmio_read_group, vgic_mmio_write_group },
	{ SGI_FRAME(GICR_ISENABLER0), GICR_BYTES(1), EMUL_W32, 1, 0,
	  vgic_mmio_read_enable, vgic_mmio_write_senable },
	{ SGI_FRAME(GICR_ICENABLER0), GICR_BYTES(1), EMUL_W32, 1, 0,
	  vgic_mmio_read_enable, vgic_mmio_write_cenable },
	{ SGI_FRAME(GICR_ISPENDR0), GICR_BYTES(1), EMUL_W32, 1, 0,
	  vgic_mmio_read_pending, vgic_mmio_write_spending },
	{ SGI_FRAME(GICR_ICPENDR0), GICR_BYTES(1), EMUL_W32, 1, 0,
	  vgic_mmio_read_pending, vgic_mmio_write_cpending },
	{ SGI_FRAME(GICR_ISACTIVER0), GICR_BYTES(1), EMUL_W32, 1, 0,
	  vgic_mmio_read_active, vgic_mmio_write_sactive },
	{ SGI_FRAME(GICR_ICACTIVER0), GICR_BYTES(1), EMUL_W32, 1, 0,
	  vgic_mmio_read_active, vgic_mmio_write_cactive },
	{ SGI_FRAME(GICR_IPRIORITYR), GICR_BYTES(8), EMUL_W8 | EMUL_W32, 8, 0,
	  vgic_mmio_read_priority, vgic_mmio_write_priority },
	/* ICFGR0 (SGIs: edge, fixed) and ICFGR1 (PPIs) */
	{ SGI_FRAME(GICR_ICFGR0), GICR_BYTES(2), EMUL_W32, 2, 0,
	  vgic_mmio_read_config, vgic_mmio_write_config },
	{ SGI_FRAME(GICR_IGRPMODR0), 4, EMUL_W32, 0, 0, NULL, NULL }, /* DS = 1: no modifier */
	{ SGI_FRAME(GICR_NSACR), 4, EMUL_W32, 0, 0, NULL, NULL },     /* one security state */
};

_Static_assert(GICR_SGI_BASE + SZ_64K == VGIC_GICR_FRAME_SIZE, "RD_base and SGI_base make the frame");

enum mmio_result vgicr_access(void *dev, struct mmio_access *acc)
{
	struct vcpu *vcpu = dev;
	struct vm *vm = vcpu->vm;
	struct vgic_mmio_ctx ctx = { .vm = vm, .vcpu = vcpu, .size = acc->size };

	return emul_regs_access_locked(gicr_regs, ARRAY_SIZE(gicr_regs), &ctx, acc, &vm->vgic.lock);
}
