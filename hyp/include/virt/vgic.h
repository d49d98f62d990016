/*
 * Virtual GICv3 (IHI 0069H): an emulated distributor and redistributors per
 * VM, and the hardware virtual CPU interface (ICH_* list registers) for
 * delivery. No ITS, no LPIs. Split by concern:
 *   vgic.c       interrupt state machine, list registers, injection
 *   vgic_hw.c    forwarded (HW-bit) interrupts: pending state, the physical side
 *   vgic_dist.c  GICD register file          (table-driven, core/emul.c)
 *   vgic_redist.c GICR RD and SGI frames     (table-driven, core/emul.c)
 *   vgic_sgi.c   ICC_SGI1R_EL1 (trapped SGI generation)
 * Locking: vm->vgic.lock guards every vgic_irq of the VM (SPIs and each
 * vCPU's private ones), the distributor's enables and each vgic_cpu's queue,
 * lr_intid, lr_used and sleeping. Its holders: the VM's own CPUs (GICD/GICR
 * accesses, SGIs, the virtual timer, flush, maintenance, vgic_cpu_enter), and
 * other CPUs that inject: the console's (vPL011 input, vpl011_update_irq
 * under vm->lock), a peer VM's (doorbells; PCI INTx under vpci->lock), the
 * CPU a device SPI is routed to (device_irq_forward under vm->lock), and a
 * restart's (vgic_init_vm rewrites everything under it, so an injection is
 * never half in the old state and half in the new). Outer locks are taken
 * before it (tessera/vm.h); none inside it: a kick only posts a message.
 * Read without it: any_queued (see vgic_cpu); gicd_base, gicr_base and
 * nr_irqs, fixed when the VM is built (a restart writes the same values).
 * List registers belong to the CPU that runs the vCPU and are touched only
 * there.
 */
#ifndef VIRT_VGIC_H
#define VIRT_VGIC_H

#include <drivers/gicv3.h>
#include <tessera/emul.h>
#include <tessera/spinlock.h>
#include <tessera/types.h>

struct vm;
struct vcpu;

/*
 * INTIDs a VM's distributor covers: a multiple of 32 (GICD_TYPER.ITLinesNumber,
 * IHI 0069H 12.9.38), at least VGIC_MIN_IRQS (its vUART, channels and emulated
 * devices use SPIs up to 127), more when a passed-through device's SPI is
 * higher (Orin's reach INTID ~600), at most 1024 (SPIs end at 1019; 1020-1023
 * are special INTIDs and have no state). State for the maximum is kept for
 * every VM, so an INTID indexes it directly on every path.
 */
#define VGIC_MIN_IRQS 128
#define VGIC_MAX_IRQS 1024
#define VGIC_SPI_END 1020 /* first INTID past the SPIs, IHI 0069H 2.2.1 */
#define VGIC_NR_PRIVATE 32
#define VGIC_NR_SGIS 16
#define VGIC_MAX_SPIS (VGIC_SPI_END - VGIC_NR_PRIVATE)
#define VGIC_MAX_LRS 16
#define VGIC_NO_LR 0xff
#define VGIC_NO_TARGET 0xff
#define VGIC_PRIORITY_RESET 0xa0 /* what Linux programs; the reset value is IMPLEMENTATION DEFINED */

#define VGIC_GICD_SIZE GICD_SIZE
#define VGIC_GICR_FRAME_SIZE GICR_FRAME_SIZE /* RD_base + SGI_base per vCPU: no VLPI frames */

struct vgic_irq {
	u64 irouter;        /* SPIs: GICD_IROUTER as written */
	u8 priority;
	u8 target;          /* vCPU index it is delivered to, or VGIC_NO_TARGET */
	u8 lr;              /* list register holding it on the target, or VGIC_NO_LR */
	bool enabled;
	bool edge;          /* GICD_ICFGR: edge-triggered (SGIs always) */
	bool group1;
	bool pending_latch; /* an edge, a software write to ISPENDR, or an SGI */
	bool line_level;    /* input line of a level-sensitive emulated device */
	bool active;        /* set by software (ISACTIVER); hardware-held state lives in the LR */
	bool hw;            /* backed by a physical interrupt: the LR's HW bit */
	/*
	 * hw: EL2 acknowledged the physical interrupt and holds its active
	 * state for the guest, in no list register yet. Only such an
	 * activation is ever handed to an LR with the HW bit, so the guest's
	 * deactivation always meets an active physical interrupt; one EL2
	 * gives up (the line fell first) it deactivates itself.
	 */
	bool hw_active;
	u16 hw_intid;
};

/* Per vCPU: its private interrupts, redistributor state and list registers. */
struct vgic_cpu {
	struct vgic_irq priv[VGIC_NR_PRIVATE];
	u32 queued[VGIC_MAX_IRQS / 32]; /* INTIDs needing delivery work on this vCPU */
	u32 queued_words;               /* bit w: queued[w] is not zero, so no word is scanned idly */
	/*
	 * Set under the lock after the queue bits; read without it on the exit
	 * path: a stale false is followed by the kick (CPU_MSG_VGIC) that
	 * the setter sends, and the flush itself re-reads under the lock.
	 */
	bool any_queued;
	bool sleeping;                 /* GICR_WAKER.ProcessorSleep */
	u16 lr_intid[VGIC_MAX_LRS];
	u32 lr_used; /* LRs Tessera filled and has not yet seen emptied */
	/*
	 * LRs holding a forwarded level SPI put there for its line: resampled
	 * when the guest acknowledges (ICH_HCR_EL2.TALL1 while non-zero).
	 */
	u32 lr_resample;
	/*
	 * Set by vgic_init_vm for vgic_cpu_enter, which deactivates on the
	 * vCPU's own CPU: forwarded private interrupts EL2 held active in no LR
	 * (bit = INTID), and whether the VM's forwarded SPIs were released
	 * already (devices_vm_reset), so the LRs' stale copies are not.
	 */
	u32 hw_release;
	bool spis_released;
};

/* Per VM: the distributor and its lock. */
struct vgic_dist {
	struct spinlock lock; /* see the top of this file */
	bool enabled_grp1; /* GICD_CTLR.EnableGrp1 */
	bool enabled_grp0;
	u64 gicd_base, gicr_base; /* guest IPAs */
	u32 nr_irqs;              /* INTIDs 0 .. nr_irqs - 1 exist; vgic_nr_irqs() */
	struct vgic_irq spi[VGIC_MAX_SPIS];
};

/* The INTIDs a VM whose highest SPI is @max_spi gets: VGIC_MIN_IRQS up to VGIC_MAX_IRQS. */
u32 vgic_nr_irqs(u32 max_spi);
/* VM construction and reset (boot CPU or the resetting CPU; the VM is not running); takes the lock. */
void vgic_init_vm(struct vm *vm, u64 gicd_base, u64 gicr_base, u32 nr_irqs);
/* On the vCPU's own CPU, before it (re)enters the guest: clean list registers. */
void vgic_cpu_enter(struct vcpu *vcpu);

/* Interrupt state, lock held. */
struct vgic_irq *vgic_get_irq(struct vm *vm, struct vcpu *vcpu, u32 intid);
/* Lock held: re-evaluate @intid after any change to its state (queue, kick). */
void vgic_irq_changed(struct vm *vm, struct vcpu *vcpu, u32 intid);
/* Ready for delivery: pending, or for a forwarded interrupt, held active by EL2 (hw_active). */
bool vgic_irq_pending(const struct vgic_irq *irq);
/*
 * Lock held: the pending state a guest's GICD_ISPENDR/GICR_ISPENDR0 read sees,
 * and its ISPENDR (@pending) / ICPENDR write. A forwarded level interrupt's
 * pending state is its line (IHI 0069H 4.1, level-sensitive interrupts), sampled now.
 */
bool vgic_read_pending(struct vm *vm, struct vcpu *vcpu, u32 intid);
/*
 * Lock held, vgic_hw.c: a forwarded level interrupt's line, read now. When it
 * has fallen and nothing else keeps the interrupt pending, an activation EL2
 * still holds for it is stale: ended, so the line can interrupt again.
 */
bool vgic_hw_resample(struct vcpu *vcpu, u32 intid, struct vgic_irq *irq);
void vgic_write_pending(struct vm *vm, struct vcpu *vcpu, u32 intid, bool pending);

/* Injection. vgic_inject pends an edge (or SGI); vgic_set_level drives a level line. */
void vgic_inject(struct vm *vm, struct vcpu *target, u32 intid);
void vgic_set_level(struct vm *vm, u32 intid, bool level);
/*
 * A physical private interrupt of this CPU forwarded to its vCPU with the HW
 * bit; by the time it returns the interrupt is in a list register or queued
 * and flushed (no vgic_flush needed after it).
 */
void vgic_inject_hw(struct vcpu *vcpu, u32 intid);
/* A physical SPI of a device the VM owns (same INTID), pended with the HW bit; any CPU. */
void vgic_inject_hw_spi(struct vm *vm, u32 intid);

/* Exit path, own CPU: move queued interrupts into list registers (vgic_flush() in vm.h). */
void vgic_flush_queued(struct vcpu *vcpu);
/*
 * Own CPU, after vgic_flush: a list register holds an interrupt the virtual
 * CPU interface signals to @vcpu, the event that completes its WFI.
 */
bool vgic_wakeup_pending(struct vcpu *vcpu);
/* Maintenance interrupt, own CPU. */
void vgic_maintenance(struct vcpu *vcpu);
/*
 * Own CPU, on the guest's trapped Group 1 ICC_* access: when
 * ICH_HCR_EL2.TALL1 trapped it (vcpu->vgic.lr_resample was set), the
 * forwarded level SPIs in its LRs whose line has fallen since are withdrawn,
 * TALL1 is cleared, and true says the access is to run again, on the
 * hardware interface (traps.c). False: not a TALL1 trap.
 */
bool vgic_resample_lrs(struct vcpu *vcpu);
/* ICC_SGI1R_EL1 written by @vcpu (trapped). */
void vgic_send_sgi(struct vcpu *vcpu, u64 sgi1r);
/* The vCPU whose virtual affinity (vm_vcpu_by_affinity) is @mpidr's affinity fields, or NULL. */
struct vcpu *vgic_vcpu_by_affinity(struct vm *vm, u64 mpidr);

/*
 * MMIO emulation, vgic_dist.c / vgic_redist.c. For GICD @dev is the VM; for
 * GICR it is the vCPU that owns the redistributor frame.
 */
enum mmio_result vgicd_access(void *dev, struct mmio_access *acc);
enum mmio_result vgicr_access(void *dev, struct mmio_access *acc);

/* Provided by the CPU layer (core/cpu.c; a fake in unit tests): make @vcpu's CPU run vgic_flush soon. */
void cpu_kick_vcpu(struct vcpu *vcpu);
/* Also: the physical side of forwarded interrupts, irq_hw_*() in tessera/irq.h (core/irq_hw.c). */

#endif
