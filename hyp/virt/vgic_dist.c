/*
 * The emulated GICv3 distributor (IHI 0069H 12.9), one per VM.
 *
 * What the guest sees: a GIC with one security state (GICD_CTLR.DS = 1) and
 * affinity routing always on (ARE = 1), vgic.nr_irqs INTIDs (SGIs, PPIs and
 * SPIs from 32: at least up to 127, and up to the VM's highest passed-through
 * SPI, at most 1019), no LPIs, no ITS, no extended SPI range. With affinity
 * routing the distributor's registers for INTIDs 0-31 are RAZ/WI (12.9): the
 * private interrupts live in each vCPU's redistributor (vgic_redist.c).
 *
 * The register table is dispatched by core/emul.c, which checks width,
 * alignment and range before any callback runs; offsets no entry covers,
 * are RAZ/WI there; so are per-interrupt registers beyond the VM's INTIDs
 * (vgic_get_irq gives no state for them).
 * Accesses are 32-bit, plus 8-bit for IPRIORITYR and 64-bit for IROUTER.
 */
#include <tessera/vm.h>
#include <virt/vgic.h>

#include "vgic_mmio.h"

/* ---- GICD_CTLR: EnableGrp0, EnableGrp1; ARE and DS read as one, RWP as zero */

static u64 gicd_read_ctlr(void *dev, u32 offset)
{
	const struct vgic_mmio_ctx *ctx = dev;
	const struct vgic_dist *dist = &ctx->vm->vgic;

	(void)offset;
	return (dist->enabled_grp0 ? GICD_CTLR_ENABLE_G0 : 0) |
	       (dist->enabled_grp1 ? GICD_CTLR_ENABLE_G1 : 0) | GICD_CTLR_ARE | GICD_CTLR_DS;
}

static void gicd_write_ctlr(void *dev, u32 offset, u64 value)
{
	const struct vgic_mmio_ctx *ctx = dev;
	struct vm *vm = ctx->vm;
	bool grp0 = value & GICD_CTLR_ENABLE_G0;
	bool grp1 = value & GICD_CTLR_ENABLE_G1;

	(void)offset;
	if (grp0 == vm->vgic.enabled_grp0 && grp1 == vm->vgic.enabled_grp1)
		return;
	vm->vgic.enabled_grp0 = grp0;
	vm->vgic.enabled_grp1 = grp1;
	/* Every interrupt's deliverability may have changed: let the queues follow. */
	for (u32 intid = VGIC_NR_PRIVATE; intid < vm->vgic.nr_irqs; intid++)
		vgic_irq_changed(vm, NULL, intid);
	for (unsigned int v = 0; v < vm->vcpu_count; v++)
		for (u32 intid = 0; intid < VGIC_NR_PRIVATE; intid++)
			vgic_irq_changed(vm, &vm->vcpus[v], intid);
}

/* ---- GICD_TYPER */

static u64 gicd_read_typer(void *dev, u32 offset)
{
	const struct vgic_mmio_ctx *ctx = dev;

	(void)offset;
	/*
	 * ITLinesNumber [4:0] = INTIDs / 32 - 1, covering every SPI of the VM
	 * (IHI 0069H 12.9.38); CPUNumber [7:5] = 0 (affinity routing); IDbits
	 * [23:19] = 9, 10 INTID bits; No1N: 1 of N routing is not offered.
	 * SecurityExtn, MBIS, LPIS, ESPI, A3V all 0.
	 */
	return (ctx->vm->vgic.nr_irqs / 32 - 1) | (9ULL << GICD_TYPER_IDBITS_SHIFT) |
	       GICD_TYPER_NO1N;
}

/* ---- GICD_IROUTER<n>, n = 32 .. nr_irqs - 1: 64-bit, 32-bit halves accepted */

#define GICD_IROUTER_SPI (GICD_IROUTER + 8 * VGIC_NR_PRIVATE) /* IROUTER<0..31> are reserved */

static struct vgic_irq *irouter_irq(const struct vgic_mmio_ctx *ctx, u32 offset)
{
	return vgic_get_irq(ctx->vm, NULL, (offset - GICD_IROUTER) / 8);
}

/*
 * The vCPU an SPI is delivered to. Interrupt_Routing_Mode (1 of N) picks
 * vCPU 0: GICD_TYPER.No1N tells the guest not to use it, but it costs
 * nothing to honour. An affinity that names no vCPU of this VM routes
 * nowhere: the SPI stays pending and is never delivered.
 */
static u8 irouter_target(struct vm *vm, u64 irouter)
{
	const struct vcpu *vcpu;

	if (irouter & GICD_IROUTER_IRM)
		return 0;
	vcpu = vgic_vcpu_by_affinity(vm, irouter);
	return vcpu ? (u8)vcpu->index : VGIC_NO_TARGET;
}

static u64 gicd_read_irouter(void *dev, u32 offset)
{
	const struct vgic_irq *irq = irouter_irq(dev, offset);

	if (!irq)
		return 0; /* not one of this VM's SPIs: RAZ/WI */
	return offset & 4 ? irq->irouter >> 32 : irq->irouter;
}

static void gicd_write_irouter(void *dev, u32 offset, u64 value)
{
	const struct vgic_mmio_ctx *ctx = dev;
	struct vgic_irq *irq = irouter_irq(ctx, offset);
	u64 irouter = value;

	if (!irq)
		return;
	if (ctx->size == 4)
		irouter = offset & 4 ? (irq->irouter & 0xffffffffULL) | value << 32
				     : (irq->irouter & ~0xffffffffULL) | value;
	irq->irouter = irouter & GICD_IROUTER_MASK;
	irq->target = irouter_target(ctx->vm, irq->irouter);
	vgic_irq_changed(ctx->vm, NULL, (offset - GICD_IROUTER) / 8);
}

/* The register file covers the most INTIDs any VM has; vgic_get_irq bounds each VM. */
#define GICD_BYTES(bits_per_irq) (VGIC_MAX_IRQS * (bits_per_irq) / 8)

static const struct emul_reg gicd_regs[] = {
	{ GICD_CTLR, 4, EMUL_W32, 0, 0, gicd_read_ctlr, gicd_write_ctlr },
	{ GICD_TYPER, 4, EMUL_W32, 0, EMUL_CONST, gicd_read_typer, NULL },
	{ GICD_IIDR, 4, EMUL_W32, 0, EMUL_CONST, vgic_mmio_read_iidr, NULL },
	{ GICD_TYPER2, 4, EMUL_W32, 0, EMUL_CONST, NULL, NULL },  /* no extended features */
	{ GICD_STATUSR, 4, EMUL_W32, 0, EMUL_CONST, NULL, NULL }, /* no errors to report */
	{ GICD_IGROUPR, GICD_BYTES(1), EMUL_W32, 1, 0,
	  vgic_mmio_read_group, vgic_mmio_write_group },
	{ GICD_ISENABLER, GICD_BYTES(1), EMUL_W32, 1, 0,
	  vgic_mmio_read_enable, vgic_mmio_write_senable },
	{ GICD_ICENABLER, GICD_BYTES(1), EMUL_W32, 1, 0,
	  vgic_mmio_read_enable, vgic_mmio_write_cenable },
	{ GICD_ISPENDR, GICD_BYTES(1), EMUL_W32, 1, 0,
	  vgic_mmio_read_pending, vgic_mmio_write_spending },
	{ GICD_ICPENDR, GICD_BYTES(1), EMUL_W32, 1, 0,
	  vgic_mmio_read_pending, vgic_mmio_write_cpending },
	{ GICD_ISACTIVER, GICD_BYTES(1), EMUL_W32, 1, 0,
	  vgic_mmio_read_active, vgic_mmio_write_sactive },
	{ GICD_ICACTIVER, GICD_BYTES(1), EMUL_W32, 1, 0,
	  vgic_mmio_read_active, vgic_mmio_write_cactive },
	{ GICD_IPRIORITYR, GICD_BYTES(8), EMUL_W8 | EMUL_W32, 8, 0,
	  vgic_mmio_read_priority, vgic_mmio_write_priority },
	{ GICD_ICFGR, GICD_BYTES(2), EMUL_W32, 2, 0,
	  vgic_mmio_read_config, vgic_mmio_write_config },
	{ GICD_IGRPMODR, GICD_BYTES(1), EMUL_W32, 1, EMUL_CONST, NULL, NULL }, /* DS = 1: no modifier */
	{ GICD_IROUTER_SPI, 8 * (VGIC_MAX_IRQS - VGIC_NR_PRIVATE), EMUL_W32 | EMUL_W64, 0, 0,
	  gicd_read_irouter, gicd_write_irouter },
	{ GICD_IDREGS, GICD_IDREGS_SIZE, EMUL_W32, 0, EMUL_CONST, vgic_mmio_read_id, NULL },
};

_Static_assert(GICD_IDREGS + GICD_IDREGS_SIZE == VGIC_GICD_SIZE, "the ID registers end the GICD frame");

/* Every guest's GICD access looks its register up here (emul.h): the table indexed, not searched. */
static u16 gicd_first[VGIC_GICD_SIZE >> EMUL_INDEX_SHIFT];
static const struct emul_index gicd_index = {
	.regs = gicd_regs,
	.count = ARRAY_SIZE(gicd_regs),
	.first = gicd_first,
	.granules = ARRAY_SIZE(gicd_first),
};
static bool gicd_index_built;

/*
 * Called by every vgic_init_vm(); the first is at boot, on the boot CPU before
 * any other runs (vms_create), so a restart finds the index built and nothing
 * writes it while a guest reads it.
 */
void vgicd_index_init(void)
{
	if (gicd_index_built)
		return;
	emul_index_build(&gicd_index);
	gicd_index_built = true;
}

enum mmio_result vgicd_access(void *dev, struct mmio_access *acc)
{
	struct vm *vm = dev;
	/* No vCPU: the private INTIDs are not the distributor's (RAZ/WI). */
	struct vgic_mmio_ctx ctx = { .vm = vm, .vcpu = NULL, .size = acc->size };

	return emul_index_access_locked(&gicd_index, &ctx, acc, &vm->vgic.lock);
}
