/*
 * Per-interrupt register fields shared by the distributor (12.9) and the
 * redistributor SGI frame (12.11): one getter and one setter per field, run
 * over the INTIDs an access covers. Every callback runs with vm->vgic.lock
 * held (vgicd_access / vgicr_access take it around the whole access).
 *
 * Set-enable/clear-enable, set-pending/clear-pending and
 * set-active/clear-active are write-1-to-act, 0 has no effect. Whenever a
 * field changes, vgic_irq_changed() re-evaluates the interrupt, so a newly
 * deliverable one is queued on its vCPU.
 *
 * What the register file cannot see: an interrupt's state in a list
 * register lives in the ICH_LR<n>_EL2 of the CPU that runs its vCPU, and is
 * only read back there (vgic.c). So once an interrupt has been moved into a
 * list register, pending and active read as Tessera last recorded them:
 * pending is what has not yet been handed to a list register (an edge the
 * guest has not been shown yet, or a level line that is high; for a
 * forwarded level interrupt, its physical line read now), active is
 * what software set through ISACTIVER. Clearing pending or active here does
 * not reach into a list register either; the guest completes such an
 * interrupt as usual.
 */
#include <drivers/gicv3.h>
#include <tessera/vm.h>
#include <virt/vgic.h>

#include "vgic_mmio.h"

/* The interrupt @intid as this register file sees it; NULL reads as zero, ignores writes. */
static struct vgic_irq *mmio_irq(const struct vgic_mmio_ctx *ctx, u32 intid)
{
	return vgic_get_irq(ctx->vm, ctx->vcpu, intid);
}

static u64 read_fields(const struct vgic_mmio_ctx *ctx, u32 intid, unsigned int bits,
		       u64 (*get)(const struct vgic_irq *irq))
{
	unsigned int count = ctx->size * 8 / bits;
	u64 value = 0;

	for (unsigned int i = 0; i < count; i++) {
		const struct vgic_irq *irq = mmio_irq(ctx, intid + i);

		if (irq)
			value |= get(irq) << (i * bits);
	}
	return value;
}

/* @set stores one field and returns true when the interrupt's state changed. */
static void write_fields(const struct vgic_mmio_ctx *ctx, u32 intid, unsigned int bits, u64 value,
			 bool (*set)(struct vgic_irq *irq, u32 intid, u64 field))
{
	unsigned int count = ctx->size * 8 / bits;
	u64 mask = (1ULL << bits) - 1;

	for (unsigned int i = 0; i < count; i++) {
		struct vgic_irq *irq = mmio_irq(ctx, intid + i);

		if (irq && set(irq, intid + i, (value >> (i * bits)) & mask))
			vgic_irq_changed(ctx->vm, ctx->vcpu, intid + i);
	}
}

/* A boolean field written with a plain value (IGROUPR) or write-1-to-set/clear. */
static bool store_flag(bool *flag, bool value)
{
	bool changed = *flag != value;

	*flag = value;
	return changed;
}

/* ---- IGROUPR: 1 = Group 1 */

static u64 get_group(const struct vgic_irq *irq)
{
	return irq->group1;
}

static bool set_group(struct vgic_irq *irq, u32 intid, u64 field)
{
	(void)intid;
	return store_flag(&irq->group1, field);
}

u64 vgic_mmio_read_group(void *dev, u32 intid)
{
	return read_fields(dev, intid, 1, get_group);
}

void vgic_mmio_write_group(void *dev, u32 intid, u64 value)
{
	write_fields(dev, intid, 1, value, set_group);
}

/* ---- ISENABLER / ICENABLER */

static u64 get_enable(const struct vgic_irq *irq)
{
	return irq->enabled;
}

static bool set_enable(struct vgic_irq *irq, u32 intid, u64 field)
{
	(void)intid;
	return field && store_flag(&irq->enabled, true);
}

static bool clear_enable(struct vgic_irq *irq, u32 intid, u64 field)
{
	(void)intid;
	return field && store_flag(&irq->enabled, false);
}

u64 vgic_mmio_read_enable(void *dev, u32 intid)
{
	return read_fields(dev, intid, 1, get_enable);
}

void vgic_mmio_write_senable(void *dev, u32 intid, u64 value)
{
	write_fields(dev, intid, 1, value, set_enable);
}

void vgic_mmio_write_cenable(void *dev, u32 intid, u64 value)
{
	write_fields(dev, intid, 1, value, clear_enable);
}

/*
 * ---- ISPENDR / ICPENDR: the software latch; a level line stays as its device
 * drives it. Forwarded interrupts have their physical side (vgic.c).
 */

u64 vgic_mmio_read_pending(void *dev, u32 intid)
{
	const struct vgic_mmio_ctx *ctx = dev;
	u64 value = 0;

	for (unsigned int i = 0; i < ctx->size * 8; i++)
		if (vgic_read_pending(ctx->vm, ctx->vcpu, intid + i))
			value |= 1ULL << i;
	return value;
}

static void write_pending(const struct vgic_mmio_ctx *ctx, u32 intid, u64 value, bool pending)
{
	for (unsigned int i = 0; i < ctx->size * 8; i++)
		if (value & (1ULL << i))
			vgic_write_pending(ctx->vm, ctx->vcpu, intid + i, pending);
}

void vgic_mmio_write_spending(void *dev, u32 intid, u64 value)
{
	write_pending(dev, intid, value, true);
}

void vgic_mmio_write_cpending(void *dev, u32 intid, u64 value)
{
	write_pending(dev, intid, value, false);
}

/* ---- ISACTIVER / ICACTIVER: the software-set state (see the file comment) */

static u64 get_active(const struct vgic_irq *irq)
{
	return irq->active;
}

static bool set_active(struct vgic_irq *irq, u32 intid, u64 field)
{
	(void)intid;
	return field && store_flag(&irq->active, true);
}

static bool clear_active(struct vgic_irq *irq, u32 intid, u64 field)
{
	(void)intid;
	return field && store_flag(&irq->active, false);
}

u64 vgic_mmio_read_active(void *dev, u32 intid)
{
	return read_fields(dev, intid, 1, get_active);
}

void vgic_mmio_write_sactive(void *dev, u32 intid, u64 value)
{
	write_fields(dev, intid, 1, value, set_active);
}

void vgic_mmio_write_cactive(void *dev, u32 intid, u64 value)
{
	write_fields(dev, intid, 1, value, clear_active);
}

/* ---- IPRIORITYR: one byte per interrupt, byte accessible */

static u64 get_priority(const struct vgic_irq *irq)
{
	return irq->priority;
}

static bool set_priority(struct vgic_irq *irq, u32 intid, u64 field)
{
	u8 priority = (u8)(field & VGIC_PRIORITY_MASK);
	bool changed = irq->priority != priority;

	(void)intid;
	irq->priority = priority;
	return changed;
}

u64 vgic_mmio_read_priority(void *dev, u32 intid)
{
	return read_fields(dev, intid, 8, get_priority);
}

void vgic_mmio_write_priority(void *dev, u32 intid, u64 value)
{
	write_fields(dev, intid, 8, value, set_priority);
}

/*
 * ---- ICFGR: two bits per interrupt, of which only bit 1 is meaningful
 * (1 = edge-triggered). SGIs are always edge-triggered: 0b10, writes ignored.
 */
#define ICFGR_EDGE 0x2U

static u64 get_config(const struct vgic_irq *irq)
{
	return irq->edge ? ICFGR_EDGE : 0;
}

static bool set_config(struct vgic_irq *irq, u32 intid, u64 field)
{
	if (intid < VGIC_NR_SGIS)
		return false;
	return store_flag(&irq->edge, field & ICFGR_EDGE);
}

u64 vgic_mmio_read_config(void *dev, u32 intid)
{
	return read_fields(dev, intid, 2, get_config);
}

void vgic_mmio_write_config(void *dev, u32 intid, u64 value)
{
	write_fields(dev, intid, 2, value, set_config);
}

/* ---- Identification */

u64 vgic_mmio_read_iidr(void *dev, u32 offset)
{
	(void)dev;
	(void)offset;
	return VGIC_IIDR;
}

/* The PIDR/CIDR block at 0xffd0-0xfffc of GICD and GICR RD_base: only PIDR2 says anything. */
u64 vgic_mmio_read_id(void *dev, u32 offset)
{
	(void)dev;
	return offset == GICD_PIDR2 ? VGIC_PIDR2 : 0;
}
