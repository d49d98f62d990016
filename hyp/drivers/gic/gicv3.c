/*
 * GICv3 driver for Tessera's own use: every SPI starts disabled in group 1,
 * redistributors are found by walking GICR_TYPER (gicv3_rdist.c), and the
 * CPU interface is driven through system registers.
 */
#include <arch/sysregs.h>
#include <drivers/gicv3.h>
#include <drivers/gicv3_vcpuif.h>
#include <tessera/console.h>
#include <tessera/cpu.h>
#include <mmio.h>

static u64 gicd_base;
static u32 gicd_lines; /* INTIDs the distributor implements, GICD_TYPER.ITLinesNumber */

/*
 * ICC_SGI1R_EL1's routing fields (IHI 0069H 12.2.22: Aff3, Aff2, Aff1, RS and
 * the target list bit) for each CPU of the platform, built once by gic_init():
 * a cross-CPU message then only adds the INTID.
 */
static u64 sgi_route[PLATFORM_MAX_CPUS];

static u64 sgi1r_route(u64 target_mpidr)
{
	u64 aff0 = target_mpidr & 0xff;

	return BIT(aff0 & 0xf) | ((target_mpidr >> 8) & 0xff) << ICC_SGI1R_AFF1_SHIFT |
	       ((target_mpidr >> 16) & 0xff) << ICC_SGI1R_AFF2_SHIFT |
	       (aff0 >> 4) << ICC_SGI1R_RS_SHIFT |
	       ((target_mpidr >> 32) & 0xff) << ICC_SGI1R_AFF3_SHIFT;
}

static void gicd_wait_rwp(void)
{
	while (mmio_read32(gicd_base + GICD_CTLR) & GICD_CTLR_RWP)
		;
}

void gic_init(const struct platform *plat)
{
	unsigned int lines;

	for (unsigned int i = 0; i < plat->cpu_count; i++)
		sgi_route[i] = sgi1r_route(plat->cpu_mpidr[i]);
	gicd_base = plat->gicd.base;
	mmio_write32(gicd_base + GICD_CTLR, 0);
	gicd_wait_rwp();

	lines = (GICD_TYPER_ITLINES(mmio_read32(gicd_base + GICD_TYPER)) + 1) * 32;
	if (lines > 1020)
		lines = 1020;
	gicd_lines = lines;
	for (unsigned int i = GIC_PRIVATE_COUNT; i < lines; i += 32) {
		mmio_write32(gicd_base + GICD_ICENABLER + i / 8, ~0u);
		mmio_write32(gicd_base + GICD_ICPENDR + i / 8, ~0u);
		mmio_write32(gicd_base + GICD_ICACTIVER + i / 8, ~0u);
		mmio_write32(gicd_base + GICD_IGROUPR + i / 8, ~0u);
	}
	for (unsigned int i = GIC_PRIVATE_COUNT; i < lines; i += 4)
		mmio_write32(gicd_base + GICD_IPRIORITYR + i, GIC_PRIORITY_DEFAULT * 0x01010101u);
	gicd_wait_rwp();

	mmio_write32(gicd_base + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1);
	gicd_wait_rwp();
}

static u64 gicr_read_typer(u64 rd_base)
{
	return mmio_read64(rd_base + GICR_TYPER);
}

int gic_cpu_init(const struct platform *plat, u64 mpidr)
{
	u64 rd = gicr_find(plat, mpidr, gicr_read_typer);
	u64 sgi;

	if (!rd)
		return -1;
	this_cpu()->gicr = rd;
	sgi = rd + GICR_SGI_BASE;

	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP);
	while (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)
		;

	mmio_write32(sgi + GICR_ICENABLER0, ~0u);
	mmio_write32(sgi + GICR_ICPENDR0, ~0u);
	mmio_write32(sgi + GICR_ICACTIVER0, ~0u);
	mmio_write32(sgi + GICR_IGROUPR0, ~0u);
	for (unsigned int i = 0; i < GIC_PRIVATE_COUNT; i += 4)
		mmio_write32(sgi + GICR_IPRIORITYR + i, GIC_PRIORITY_DEFAULT * 0x01010101u);
	mmio_write32(sgi + GICR_ISENABLER0, BIT(SGI_CPU_MSG));

	write_sysreg(icc_sre_el2, ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB | ICC_SRE_ENABLE);
	isb();
	ich_reset(); /* stale list registers would otherwise be taken for a previous life's (vgic.c) */
	write_sysreg(icc_pmr_el1, 0xff); /* let every priority through */
	write_sysreg(icc_bpr1_el1, 0);
	/* ICC_CTLR_EL1.EOImode = 1: forwarded interrupts stay active until the guest deactivates them. */
	write_sysreg(icc_ctlr_el1, ICC_CTLR_EOIMODE);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
	return 0;
}

void gic_send_sgi(unsigned int cpu, unsigned int intid)
{
	u64 v = sgi_route[cpu] | (u64)(intid & 0xf) << ICC_SGI1R_INTID_SHIFT;

	dsb(ishst);
	write_sysreg(icc_sgi1r_el1, v);
	isb();
}

void gic_deactivate(u32 intid)
{
	write_sysreg(icc_dir_el1, intid);
	isb();
}

void gic_eoi(u32 intid)
{
	write_sysreg(icc_eoir1_el1, intid);
	write_sysreg(icc_dir_el1, intid);
	isb();
}

/* This CPU's redistributor, found once in gic_cpu_init(). */
static u64 this_gicr(void)
{
	return this_cpu()->gicr;
}

void gic_enable_private(u32 intid)
{
	u64 sgi = this_gicr() + GICR_SGI_BASE;

	mmio_write32(sgi + GICR_ISENABLER0, BIT(intid));
}

void gic_disable_private(u32 intid)
{
	u64 sgi = this_gicr() + GICR_SGI_BASE;

	mmio_write32(sgi + GICR_ICENABLER0, BIT(intid));
}

bool gic_spi_implemented(u32 intid)
{
	return intid >= GIC_PRIVATE_COUNT && intid < gicd_lines;
}

void gic_enable_spi(u32 intid, u64 mpidr)
{
	u64 route = ((mpidr >> 32) & 0xff) << 32 | (mpidr & 0xffffff);

	mmio_write64(gicd_base + GICD_IROUTER + 8ULL * intid, route);
	mmio_write32(gicd_base + GICD_ISENABLER + (intid / 32) * 4, BIT(intid % 32));
}

void gic_set_spi_trigger(u32 intid, bool edge)
{
	u64 reg = gicd_base + GICD_ICFGR + (intid / 16) * 4;
	unsigned int shift = (intid % 16) * 2 + 1; /* Int_config[1]: 1 = edge (12.9.10) */
	u32 v = mmio_read32(reg);

	mmio_write32(reg, edge ? v | BIT(shift) : v & ~BIT(shift));
}

void gic_disable_spi(u32 intid)
{
	mmio_write32(gicd_base + GICD_ICENABLER + (intid / 32) * 4, BIT(intid % 32));
	gicd_wait_rwp();
}

void gic_clear_active_spi(u32 intid)
{
	gic_irq_clear_active(0, intid);
}

/* The register of the bank holding @intid: GICR SGI frame for SGIs and PPIs, else GICD. */
static u64 irq_bank_reg(u64 gicr, u32 intid, u32 gicd_off, u32 gicr_off)
{
	if (intid < GIC_PRIVATE_COUNT)
		return gicr + GICR_SGI_BASE + gicr_off;
	return gicd_base + gicd_off + (intid / 32) * 4;
}

bool gic_irq_pending(u64 gicr, u32 intid)
{
	return mmio_read32(irq_bank_reg(gicr, intid, GICD_ISPENDR, GICR_ISPENDR0)) & BIT(intid % 32);
}

void gic_irq_set_pending(u64 gicr, u32 intid, bool pending)
{
	mmio_write32(pending ? irq_bank_reg(gicr, intid, GICD_ISPENDR, GICR_ISPENDR0)
			     : irq_bank_reg(gicr, intid, GICD_ICPENDR, GICR_ICPENDR0),
		     BIT(intid % 32));
}

void gic_irq_clear_active(u64 gicr, u32 intid)
{
	mmio_write32(irq_bank_reg(gicr, intid, GICD_ICACTIVER, GICR_ICACTIVER0), BIT(intid % 32));
}

bool gic_spi_active(u32 intid)
{
	return mmio_read32(gicd_base + GICD_ISACTIVER + (intid / 32) * 4) & BIT(intid % 32);
}
