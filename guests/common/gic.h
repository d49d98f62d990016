/*
 * A minimal GICv3 driver for the guest: the distributor's global enables,
 * each CPU's redistributor (SGIs and PPIs only) and the system-register CPU
 * interface; Group 1 only, EOImode 0 (ICC_EOIR1_EL1 drops the priority and
 * deactivates). Names and sections: GICv3/v4 Architecture Specification,
 * Arm IHI 0069H.
 */
#ifndef GUEST_GIC_H
#define GUEST_GIC_H

#include "dt.h"

/* INTID ranges (2.2): SGIs 0-15, PPIs 16-31; 1020-1023 are special (2.2.1), 1023 spurious. */
#define GIC_SGI_COUNT 16
#define GIC_PRIVATE_COUNT 32
#define GIC_INTID_SPECIAL 1020

/* Priority for the guest's interrupts: anything below ICC_PMR_EL1 = 0xff is signalled. */
#define GIC_PRIO_DEFAULT 0x80

/*
 * Enables affinity routing and Group 1 in the distributor, then
 * gic_cpu_init() for the calling CPU. Returns NULL, or why the GIC cannot be
 * used (a fixed string).
 */
const char *gic_init(const struct dt_gic *dt);

/*
 * The calling CPU's part, for a CPU started after gic_init() ran on another:
 * finds and wakes its redistributor, turns on its CPU interface. CPUs call it
 * one after the other, never at the same time.
 */
const char *gic_cpu_init(const struct dt_gic *dt);

/* An SGI or PPI of the calling CPU: Group 1, priority @prio, enabled. After gic_cpu_init(). */
void gic_enable_private(u32 intid, u8 prio);

/* An SGI or PPI of the calling CPU disabled (GICR_ICENABLER0); RWP awaited. */
void gic_disable_private(u32 intid);

/*
 * SPI @intid: disabled, Group 1, priority @prio, edge-triggered or
 * level-sensitive, routed to the calling CPU (GICD_IROUTER), enabled. After
 * gic_init(). NULL, or why it cannot be (a fixed string).
 */
const char *gic_enable_spi(u32 intid, u8 prio, bool edge);

/* The ICC_SGI1R_EL1 value (12.2.22) that sends SGI @intid to the CPU of affinity @mpidr alone. */
u64 gic_sgi1r(u32 intid, u64 mpidr);

/* Sends SGI @intid to this CPU alone (ICC_SGI1R_EL1, target list = its Aff0). */
void gic_sgi_self(u32 intid);

/* GICR_ISPENDR0 of the calling CPU: which SGIs and PPIs are pending (for reports). */
u32 gic_pending_private(void);
/* Sets SGI or PPI @intid of the calling CPU pending by software (GICR_ISPENDR0). */
void gic_set_pending_private(u32 intid);

/* ICC_IAR1_EL1: the INTID acknowledged, >= GIC_INTID_SPECIAL when none. */
u32 gic_ack(void);

/* ICC_EOIR1_EL1 for an INTID gic_ack() returned. */
void gic_eoi(u32 intid);

#endif
