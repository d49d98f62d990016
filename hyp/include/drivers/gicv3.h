/*
 * GICv3 physical interrupt controller: distributor, redistributors and the
 * system-register CPU interface. Register names and sections follow the
 * GICv3/v4 Architecture Specification, IHI 0069H.
 */
#ifndef DRIVERS_GICV3_H
#define DRIVERS_GICV3_H

#include <arch/sysregs.h>
#include <tessera/platform.h>
#include <tessera/types.h>

/* Distributor, 12.9: one 64 KiB frame (GICD_* offsets end at 0xffff) */
#define GICD_SIZE SZ_64K
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_ISENABLER 0x0100
#define GICD_IROUTER 0x6000

#define GICD_CTLR_RWP BIT(31)
#define GICD_CTLR_ARE BIT(4)       /* ARE_NS in the Non-secure view, ARE when DS = 1 */
#define GICD_CTLR_ENABLE_G1 BIT(1) /* EnableGrp1A (NS view) / EnableGrp1 (DS = 1) */
#define GICD_TYPER_ITLINES(t) ((t) & 0x1f) /* (N + 1) * 32 INTIDs */

/* Redistributor RD_base frame, 12.10 */
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_TYPER_VLPIS BIT(1)
#define GICR_TYPER_LAST BIT(4)
#define GICR_TYPER_AFF_SHIFT 32
#define GICR_WAKER_PROCESSOR_SLEEP BIT(1)
#define GICR_WAKER_CHILDREN_ASLEEP BIT(2)
#define GICR_FRAME_SIZE (2 * SZ_64K)    /* RD_base + SGI_base */
#define GICR_FRAME_SIZE_VLPI 0x40000ULL /* + VLPI_base + reserved (GICv4) */

/* GICR_TYPER.Affinity_Value [63:32] is Aff3.Aff2.Aff1.Aff0 (MPIDR [39:32], [23:0]), 12.10.33. */
static inline u64 gicr_typer_affinity(u64 mpidr)
{
	return ((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff);
}

/* Redistributor SGI_base frame (RD_base + 64 KiB), 12.11 */
#define GICR_SGI_BASE 0x10000
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0 0x0200
#define GICR_ICPENDR0 0x0280
#define GICR_ICACTIVER0 0x0380
#define GICR_IPRIORITYR 0x0400

/* ICC_SRE_EL2, 12.2.19 */
#define ICC_SRE_SRE BIT(0)
#define ICC_SRE_DFB BIT(1)
#define ICC_SRE_DIB BIT(2)
#define ICC_SRE_ENABLE BIT(3) /* EL1 may use ICC_SRE_EL1 */

/* ICC_CTLR_EL1, 12.2.6 */
#define ICC_CTLR_EOIMODE BIT(1)

/* ICC_SGI1R_EL1, 12.2.22 */
#define ICC_SGI1R_TARGETS_MASK 0xffffULL
#define ICC_SGI1R_AFF1_SHIFT 16
#define ICC_SGI1R_INTID_SHIFT 24
#define ICC_SGI1R_AFF2_SHIFT 32
#define ICC_SGI1R_RS_SHIFT 44
#define ICC_SGI1R_AFF3_SHIFT 48

#define GIC_INTID_SPURIOUS 1023
#define GIC_SGI_COUNT 16
#define GIC_PRIVATE_COUNT 32
#define GIC_PRIORITY_DEFAULT 0xa0

/* The SGI Tessera uses for cross-CPU messages (cpu_send_msg). */
#define SGI_CPU_MSG 0

void gic_init(const struct platform *plat);
/*
 * The RD_base of the redistributor whose GICR_TYPER affinity is @mpidr's, or
 * 0; @read_typer(rd_base) reads that frame's GICR_TYPER (gicv3_rdist.c).
 */
u64 gicr_find(const struct platform *plat, u64 mpidr, u64 (*read_typer)(u64 rd_base));
/* Per-CPU: find and wake this CPU's redistributor, enable the CPU interface. */
int gic_cpu_init(const struct platform *plat, u64 mpidr);
/* SGI @intid to CPU @cpu (an index of platform.cpu_mpidr; routed as gic_init() found it). */
void gic_send_sgi(unsigned int cpu, unsigned int intid);
/* Acknowledge the highest pending interrupt: its INTID, or GIC_INTID_SPURIOUS. */
/* On the interrupt path, so inline. ICC_IAR1_EL1, 12.2.13. */
static inline u32 gic_ack(void)
{
	u32 intid = (u32)read_sysreg(icc_iar1_el1) & 0xffffff;

	dsb(sy);
	return intid;
}

/* EOImode 1 (ICC_CTLR_EL1.EOImode): priority drop (ICC_EOIR1_EL1) and deactivation are separate. */
static inline void gic_priority_drop(u32 intid)
{
	write_sysreg(icc_eoir1_el1, intid);
	isb();
}
void gic_deactivate(u32 intid);
/* Priority drop and deactivation: an interrupt Tessera handles itself. */
void gic_eoi(u32 intid);
/* Enable a private interrupt on this CPU's redistributor, or an SPI routed to @mpidr. */
void gic_enable_private(u32 intid);
void gic_disable_private(u32 intid);
void gic_enable_spi(u32 intid, u64 mpidr);
/* True when @intid is an SPI this distributor has (GICD_TYPER.ITLinesNumber, 12.9.38). */
bool gic_spi_implemented(u32 intid);
/* The SPI is active (IHI 0069H, GICD_ISACTIVER<n>): acknowledged and not yet deactivated. */
bool gic_spi_active(u32 intid);
/* SPIs given to VMs: trigger (while disabled), masking, and clearing a stale active state. */
void gic_set_spi_trigger(u32 intid, bool edge);
void gic_disable_spi(u32 intid);
void gic_clear_active_spi(u32 intid);
/*
 * The state of a physical interrupt forwarded to a guest (irq_hw.c): @gicr is
 * the RD_base of the CPU whose SGI or PPI @intid is (unused for an SPI).
 * Pending reads GICD_ISPENDR / GICR_ISPENDR0: for a level-sensitive
 * interrupt, its line or a software latch (IHI 0069H 4.1, level-sensitive interrupts). Clearing the
 * active state through GICD/GICR_ICACTIVER works from any CPU and does
 * nothing to an inactive interrupt.
 */
bool gic_irq_pending(u64 gicr, u32 intid);
void gic_irq_set_pending(u64 gicr, u32 intid, bool pending);
void gic_irq_clear_active(u64 gicr, u32 intid);

#endif
