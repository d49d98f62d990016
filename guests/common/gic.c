/*
 * GICv3 for the guest (gic.h). Section numbers are from Arm IHI 0069H.
 *
 * Every MMIO access is one LDR/STR of the register's width with a plain base
 * register: under a hypervisor these accesses fault to stage 2 and must carry
 * a valid syndrome (ESR_EL2.ISV), which writeback addressing modes do not.
 */
#include "gic.h"
#include <mmio.h>
#include "sysreg.h"

/* GICD_CTLR (12.9.4), as seen with one Security state (DS = 1) or Non-secure. */
#define GICD_CTLR 0x0000
#define GICD_CTLR_RWP (1U << 31)       /* register write pending */
#define GICD_CTLR_ARE (1U << 4)        /* ARE (DS = 1) / ARE_NS */
#define GICD_CTLR_ENABLE_GRP1 (1U << 1) /* EnableGrp1 (DS = 1) / EnableGrp1A */

/* Redistributor frames (12.10): RD_base, then SGI_base 64 KiB on. */
#define GICR_TYPER 0x0008              /* 12.11.37, 64-bit */
#define GICR_TYPER_VLPIS (1ULL << 1)   /* two more frames: VLPI_base and a reserved one */
#define GICR_TYPER_LAST (1ULL << 4)    /* last redistributor of its region */
#define GICR_TYPER_AFF_SHIFT 32        /* Affinity_Value: Aff3.Aff2.Aff1.Aff0 */
#define GICR_WAKER 0x0014              /* 12.11.42 */
#define GICR_WAKER_PROCESSOR_SLEEP (1U << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1U << 2)
#define GICR_STRIDE 0x20000ULL         /* RD_base + SGI_base */
#define GICR_STRIDE_VLPIS 0x40000ULL   /* + VLPI_base + reserved (GICv4) */
#define GICR_SGI_BASE 0x10000ULL
#define GICR_IGROUPR0 0x0080           /* 12.11.12, SGI_base */
#define GICR_ISENABLER0 0x0100         /* 12.11.25, SGI_base */
#define GICR_ISPENDR0 0x0200           /* 12.11.27, SGI_base */
#define GICR_IPRIORITYR 0x0400         /* 12.11.21, SGI_base, one byte per INTID */
#define GICR_ICENABLER0 0x0180         /* 12.11.7, SGI_base */
#define GICR_CTLR 0x0000               /* 12.11.2, RD_base */
#define GICR_CTLR_RWP (1U << 3)

/* Distributor SPI registers (12.9). */
#define GICD_TYPER 0x0004          /* 12.9.38: ITLinesNumber in [4:0] */
#define GICD_TYPER_ITLINES_MASK 0x1fU
#define GICD_IGROUPR 0x0080        /* 12.9.15: one bit per INTID */
#define GICD_ISENABLER 0x0100      /* 12.9.29 */
#define GICD_ICENABLER 0x0180      /* 12.9.9 */
#define GICD_IPRIORITYR 0x0400     /* 12.9.18: one byte per INTID */
#define GICD_ICFGR 0x0c00          /* 12.9.11: two bits per INTID, [1] = edge */
#define GICD_IROUTER 0x6000        /* 12.9.21: 64 bits per INTID, Aff3 [39:32], Aff2-0 [23:0] */
#define IROUTER_AFF_MASK 0xff00ffffffULL /* the MPIDR_EL1 affinity fields, IRM = 0 */

/* CPU interface system registers (12.2). */
#define ICC_SRE_EL1_SRE (1ULL << 0)         /* 12.2.23: system-register interface */
#define ICC_CTLR_EL1_EOIMODE (1ULL << 1)    /* 12.2.6: 0 = EOIR also deactivates */
#define ICC_PMR_EL1_ALL 0xffULL             /* 12.2.19: priority mask, let all through */
#define ICC_BPR1_EL1_ALL 0ULL               /* 12.2.5: smallest binary point */
#define ICC_IGRPEN1_EL1_ENABLE (1ULL << 0)  /* 12.2.16 */
#define ICC_IAR1_EL1_INTID_MASK 0xffffffULL /* 12.2.14: INTID in [23:0] */
#define ICC_SGI1R_AFF1_SHIFT 16             /* 12.2.22; TargetList in [15:0] */
#define ICC_SGI1R_INTID_SHIFT 24
#define ICC_SGI1R_AFF2_SHIFT 32
#define ICC_SGI1R_RS_SHIFT 44               /* range selector: Aff0 / 16 */
#define ICC_SGI1R_AFF3_SHIFT 48

#define GIC_SPIN_MAX 10000000 /* polls before a RWP or ChildrenAsleep wait gives up */

/* At most this many CPUs call gic_cpu_init(). */
#define GIC_CPUS_MAX 8

static u64 gicd;

/* Each CPU's SGI_base, registered by gic_cpu_init() on that CPU, found by its affinity. */
static struct {
	u64 aff;
	u64 sgi_base;
} gic_cpus[GIC_CPUS_MAX];
static unsigned int gic_cpu_count;

/* Polls until (reg & mask) == 0; false when it never is. */
static bool wait_clear(u64 addr, u32 mask)
{
	for (unsigned int i = 0; i < GIC_SPIN_MAX; i++)
		if (!(mmio_read32(addr) & mask))
			return true;
	return false;
}

/* @mpidr's affinity as GICR_TYPER.Affinity_Value lays it out: Aff3.Aff2.Aff1.Aff0. */
static u64 affinity(u64 mpidr)
{
	return MPIDR_AFF3(mpidr) << 24 | MPIDR_AFF2(mpidr) << 16 | MPIDR_AFF1(mpidr) << 8 |
	       MPIDR_AFF0(mpidr);
}

/* SGI_base of the calling CPU's redistributor, 0 before gic_cpu_init() on it. */
static u64 this_sgi_base(void)
{
	u64 aff = affinity(read_sysreg(mpidr_el1));
	unsigned int n = __atomic_load_n(&gic_cpu_count, __ATOMIC_ACQUIRE);

	for (unsigned int i = 0; i < n && i < GIC_CPUS_MAX; i++)
		if (gic_cpus[i].aff == aff)
			return gic_cpus[i].sgi_base;
	return 0;
}

/* RD_base of the redistributor whose GICR_TYPER.Affinity_Value is @mpidr's, or 0. */
static u64 gicr_find(const struct dt_gic *dt, u64 mpidr)
{
	u64 aff = affinity(mpidr);

	for (unsigned int r = 0; r < dt->redist_count; r++) {
		u64 rd = dt->redist[r].base, end = rd + dt->redist[r].size;

		while (rd + GICR_STRIDE <= end) {
			u64 typer = mmio_read64(rd + GICR_TYPER);

			if (typer >> GICR_TYPER_AFF_SHIFT == aff)
				return rd;
			if (typer & GICR_TYPER_LAST)
				break;
			rd += typer & GICR_TYPER_VLPIS ? GICR_STRIDE_VLPIS : GICR_STRIDE;
		}
	}
	return 0;
}

const char *gic_init(const struct dt_gic *dt)
{
	if (!dt->present)
		return "no arm,gic-v3 node in the DT";
	if (dt->err)
		return dt->err;

	gicd = dt->dist.base;
	mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
	if (!wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP))
		return "GICD_CTLR.RWP stays set";
	if ((mmio_read32(gicd + GICD_CTLR) & (GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1)) !=
	    (GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1))
		return "GICD_CTLR.ARE or EnableGrp1 does not read back 1";
	return gic_cpu_init(dt);
}

const char *gic_cpu_init(const struct dt_gic *dt)
{
	u64 mpidr = read_sysreg(mpidr_el1), rd;

	if (!dt->present)
		return "no arm,gic-v3 node in the DT";
	if (dt->err)
		return dt->err;

	/* Without SRE every other ICC_* access would trap: check it first. */
	write_sysreg(icc_sre_el1, read_sysreg(icc_sre_el1) | ICC_SRE_EL1_SRE);
	isb();
	if (!(read_sysreg(icc_sre_el1) & ICC_SRE_EL1_SRE))
		return "ICC_SRE_EL1.SRE reads 0: no system-register CPU interface";

	rd = gicr_find(dt, mpidr);
	if (!rd)
		return "no redistributor's GICR_TYPER affinity matches MPIDR_EL1";
	if (!this_sgi_base()) {
		unsigned int slot = __atomic_load_n(&gic_cpu_count, __ATOMIC_RELAXED);

		if (slot >= GIC_CPUS_MAX)
			return "more CPUs than the guest's GIC driver keeps (8)";
		gic_cpus[slot].aff = affinity(mpidr);
		gic_cpus[slot].sgi_base = rd + GICR_SGI_BASE;
		/* Only CPUs that start one after the other register: a store suffices. */
		__atomic_store_n(&gic_cpu_count, slot + 1, __ATOMIC_RELEASE);
	}
	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP);
	if (!wait_clear(rd + GICR_WAKER, GICR_WAKER_CHILDREN_ASLEEP))
		return "GICR_WAKER.ChildrenAsleep stays set";

	write_sysreg(icc_pmr_el1, ICC_PMR_EL1_ALL);
	write_sysreg(icc_bpr1_el1, ICC_BPR1_EL1_ALL);
	write_sysreg(icc_ctlr_el1, read_sysreg(icc_ctlr_el1) & ~ICC_CTLR_EL1_EOIMODE);
	write_sysreg(icc_igrpen1_el1, ICC_IGRPEN1_EL1_ENABLE);
	isb();
	return NULL;
}

void gic_enable_private(u32 intid, u8 prio)
{
	u64 sgi_base = this_sgi_base();
	u64 prio_reg = sgi_base + GICR_IPRIORITYR + (intid & ~3U);
	unsigned int shift = (intid & 3) * 8;
	u32 bit = 1U << intid;

	if (!sgi_base)
		return;
	/* Word accesses only: byte access to IPRIORITYR is allowed, but not every emulation has it. */
	mmio_write32(sgi_base + GICR_IGROUPR0, mmio_read32(sgi_base + GICR_IGROUPR0) | bit);
	mmio_write32(prio_reg, (mmio_read32(prio_reg) & ~(0xffU << shift)) | (u32)prio << shift);
	mmio_write32(sgi_base + GICR_ISENABLER0, bit);
}

u64 gic_sgi1r(u32 intid, u64 mpidr)
{
	u64 aff0 = MPIDR_AFF0(mpidr);

	return 1ULL << (aff0 & 15) | MPIDR_AFF1(mpidr) << ICC_SGI1R_AFF1_SHIFT |
	       (u64)(intid & 15) << ICC_SGI1R_INTID_SHIFT |
	       MPIDR_AFF2(mpidr) << ICC_SGI1R_AFF2_SHIFT | (aff0 >> 4) << ICC_SGI1R_RS_SHIFT |
	       MPIDR_AFF3(mpidr) << ICC_SGI1R_AFF3_SHIFT;
}

void gic_sgi_self(u32 intid)
{
	dsb(ishst); /* what the handler will read is written before the SGI goes out */
	write_sysreg(icc_sgi1r_el1, gic_sgi1r(intid, read_sysreg(mpidr_el1)));
	isb();
}

u32 gic_pending_private(void)
{
	u64 sgi_base = this_sgi_base();

	return sgi_base ? mmio_read32(sgi_base + GICR_ISPENDR0) : 0;
}

void gic_set_pending_private(u32 intid)
{
	u64 sgi_base = this_sgi_base();

	if (sgi_base)
		mmio_write32(sgi_base + GICR_ISPENDR0, 1U << intid);
}

u32 gic_ack(void)
{
	return (u32)(read_sysreg(icc_iar1_el1) & ICC_IAR1_EL1_INTID_MASK);
}

void gic_eoi(u32 intid)
{
	write_sysreg(icc_eoir1_el1, intid);
	isb();
}

void gic_disable_private(u32 intid)
{
	u64 sgi_base = this_sgi_base();

	if (!sgi_base)
		return;
	mmio_write32(sgi_base + GICR_ICENABLER0, 1U << intid);
	/* GICR_CTLR.RWP (12.11.2) covers the disable in the RD_base frame, 64 KiB below. */
	wait_clear(sgi_base - GICR_SGI_BASE + GICR_CTLR, GICR_CTLR_RWP);
}

const char *gic_enable_spi(u32 intid, u8 prio, bool edge)
{
	u32 bit = 1U << (intid % 32), word = intid / 32 * 4;
	u64 prio_reg = gicd + GICD_IPRIORITYR + (intid & ~3U), cfg = gicd + GICD_ICFGR + intid / 16 * 4;
	unsigned int pshift = (intid & 3) * 8, cshift = (intid % 16) * 2 + 1;

	if (intid < GIC_PRIVATE_COUNT || intid >= GIC_INTID_SPECIAL)
		return "not an SPI";
	if (intid >= (((mmio_read32(gicd + GICD_TYPER) & GICD_TYPER_ITLINES_MASK) + 1) * 32))
		return "beyond GICD_TYPER.ITLinesNumber";
	mmio_write32(gicd + GICD_ICENABLER + word, bit);
	if (!wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP))
		return "GICD_CTLR.RWP stays set after disabling it";
	mmio_write32(gicd + GICD_IGROUPR + word, mmio_read32(gicd + GICD_IGROUPR + word) | bit);
	mmio_write32(prio_reg, (mmio_read32(prio_reg) & ~(0xffU << pshift)) | (u32)prio << pshift);
	mmio_write32(cfg, edge ? mmio_read32(cfg) | 1U << cshift : mmio_read32(cfg) & ~(1U << cshift));
	mmio_write64(gicd + GICD_IROUTER + 8ULL * intid, read_sysreg(mpidr_el1) & IROUTER_AFF_MASK);
	mmio_write32(gicd + GICD_ISENABLER + word, bit);
	return NULL;
}
