/*
 * The virtual BPMP's HSP registers (virt/vhsp.h says what Linux expects of
 * them and where that is read). Tessera's model of the doorbell:
 *  - RAW holds the masters that rang the CCPLEX doorbell; PENDING reads
 *    those whose ENABLE bit is set, and a write of 1 to a PENDING bit
 *    clears that ring (the write-back tegra_hsp_doorbell_irq does);
 *  - the doorbell interrupt is asserted while PENDING is not zero, so a
 *    guest that leaves a ring uncleared keeps its line up (level);
 *  - a write to the BPMP doorbell's TRIGGER is a ring of the BPMP, whatever
 *    the value (the hardware takes the write itself as the event);
 *  - every other register of the block reads as zero and ignores writes:
 *    doorbells other than these two, the BPMP doorbell's own ENABLE, RAW
 *    and PENDING (the BPMP's side), the CCPLEX doorbell's TRIGGER (the
 *    guest ringing itself: no channel uses it). All are 32-bit registers.
 */
#include <tessera/compiler.h>
#include <virt/vhsp.h>

static u64 read_dimensioning(void *dev, u32 offset)
{
	(void)dev;
	(void)offset;
	return VHSP_DIMENSIONING_VALUE;
}

static u64 read_enable(void *dev, u32 offset)
{
	(void)offset;
	return ((struct vhsp *)dev)->ccplex_enable;
}

static void write_enable(void *dev, u32 offset, u64 value)
{
	(void)offset;
	((struct vhsp *)dev)->ccplex_enable = (u32)value;
}

static u64 read_raw(void *dev, u32 offset)
{
	(void)offset;
	return ((struct vhsp *)dev)->ccplex_raw;
}

static u64 read_pending(void *dev, u32 offset)
{
	const struct vhsp *hsp = dev;

	(void)offset;
	return hsp->ccplex_raw & hsp->ccplex_enable;
}

static void write_pending(void *dev, u32 offset, u64 value)
{
	(void)offset;
	((struct vhsp *)dev)->ccplex_raw &= ~(u32)value;
}

static void write_bpmp_trigger(void *dev, u32 offset, u64 value)
{
	(void)offset;
	(void)value;
	((struct vhsp *)dev)->rang = true;
}

/* Sorted by offset (emul.h). */
static const struct emul_reg vhsp_regs[] = {
	{ HSP_DIMENSIONING, 4, EMUL_W32, 0, EMUL_CONST, read_dimensioning, NULL },
	{ VHSP_DB_REG(HSP_DB_CCPLEX, HSP_DB_ENABLE), 4, EMUL_W32, 0, 0, read_enable, write_enable },
	{ VHSP_DB_REG(HSP_DB_CCPLEX, HSP_DB_RAW), 4, EMUL_W32, 0, 0, read_raw, NULL },
	{ VHSP_DB_REG(HSP_DB_CCPLEX, HSP_DB_PENDING), 4, EMUL_W32, 0, 0, read_pending, write_pending },
	{ VHSP_DB_REG(HSP_DB_BPMP, HSP_DB_TRIGGER), 4, EMUL_W32, 0, 0, NULL, write_bpmp_trigger },
};

void vhsp_reset(struct vhsp *hsp)
{
	*hsp = (struct vhsp){ 0 };
}

enum mmio_result vhsp_access(struct vhsp *hsp, struct mmio_access *acc)
{
	return emul_regs_access(vhsp_regs, ARRAY_SIZE(vhsp_regs), hsp, acc);
}

void vhsp_ring_ccplex(struct vhsp *hsp, u32 master)
{
	if (master < 32)
		hsp->ccplex_raw |= (u32)BIT(master);
}

bool vhsp_line(const struct vhsp *hsp)
{
	return (hsp->ccplex_raw & hsp->ccplex_enable) != 0;
}

bool vhsp_take_ring(struct vhsp *hsp)
{
	bool rang = hsp->rang;

	hsp->rang = false;
	return rang;
}
