/*
 * The vGIC register files' shared parts (private to hyp/virt/vgic_*.c).
 *
 * The distributor (vgic_dist.c) and the redistributor SGI frame
 * (vgic_redist.c) hold the same per-interrupt fields, so each field has one
 * pair of callbacks here, used by both register tables (KVM's design, as in
 * docs/architecture.md). Both devices hand emul_regs_access_locked() a
 * struct vgic_mmio_ctx as the callbacks' @dev and vm->vgic.lock: every
 * callback runs under that lock, except those of EMUL_CONST registers
 * (identification and type registers, fixed when the VM is built).
 *
 * Register offsets and fields not yet in drivers/gicv3.h, in its style.
 * Sections are those of the GICv3/v4 Architecture Specification IHI 0069H.
 */
#ifndef VIRT_VGIC_MMIO_H
#define VIRT_VGIC_MMIO_H

#include <drivers/gicv3.h>
#include <tessera/types.h>

struct vm;
struct vcpu;

/* Distributor, 12.9 */
#define GICD_IIDR 0x0008
#define GICD_TYPER2 0x000c
#define GICD_STATUSR 0x0010
#define GICD_ISACTIVER 0x0300
#define GICD_IGRPMODR 0x0d00
#define GICD_PIDR2 0xffe8
#define GICD_IDREGS 0xffd0 /* PIDR4 .. CIDR3 */
#define GICD_IDREGS_SIZE 0x30

#define GICD_CTLR_ENABLE_G0 BIT(0) /* GICD_CTLR.EnableGrp0, the DS = 1 layout */
#define GICD_CTLR_DS BIT(6)        /* Disable Security: one security state */
#define GICD_TYPER_IDBITS_SHIFT 19 /* GICD_TYPER.IDbits: INTID bits minus one */
#define GICD_TYPER_NO1N BIT(25)    /* GICD_TYPER.No1N: no 1 of N SPI routing */
#define GICD_IROUTER_IRM BIT(31)   /* GICD_IROUTER.Interrupt_Routing_Mode: 1 of N */
#define GICD_IROUTER_MASK (GENMASK(39, 32) | GICD_IROUTER_IRM | GENMASK(23, 0))

/* Redistributor RD_base frame, 12.10 */
#define GICR_IIDR 0x0004
#define GICR_STATUSR 0x0010
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GICR_TYPER_PROC_NUM_SHIFT 8 /* GICR_TYPER.Processor_Number [23:8] */

/* Redistributor SGI_base frame, 12.11 (offsets from SGI_base) */
#define GICR_ISACTIVER0 0x0300
#define GICR_ICFGR0 0x0c00 /* GICR_ICFGR1 at +4 */
#define GICR_IGRPMODR0 0x0d00
#define GICR_NSACR 0x0e00

/* GICD_IIDR / GICR_IIDR: ProductID [31:24], Implementer [11:0] = Arm (JEP106 0x43b). */
#define VGIC_IIDR ((0x54U << 24) | 0x43bU)
/* GICD_PIDR2 (12.9) / GICR_PIDR2 (12.10): ArchRev [7:4] = 3, GICv3. */
#define VGIC_PIDR2 0x30U

/*
 * Priority bits the guest can set: the top five, the least any GICv3 virtual
 * CPU interface implements (ICH_VTR_EL2.PRIbits); the others are
 * RAZ/WI, as unimplemented GICD_IPRIORITYR bits are (12.9).
 */
#define VGIC_PRIORITY_MASK 0xf8U

/* What a register callback sees: the VM, the private interrupts' owner, the access width. */
struct vgic_mmio_ctx {
	struct vm *vm;
	/*
	 * GICR: the frame's vCPU, whose INTIDs 0-31 the SGI frame holds. GICD:
	 * NULL, so INTIDs 0-31 are RAZ/WI there (affinity routing, 12.9: the
	 * banked private part lives in the redistributors).
	 */
	struct vcpu *vcpu;
	/* Access width in bytes: how many INTIDs a per-interrupt access covers. */
	unsigned int size;
};

/* Per-interrupt fields; @dev is a struct vgic_mmio_ctx, @intid the first INTID covered. */
u64 vgic_mmio_read_group(void *dev, u32 intid);
void vgic_mmio_write_group(void *dev, u32 intid, u64 value);
u64 vgic_mmio_read_enable(void *dev, u32 intid);
void vgic_mmio_write_senable(void *dev, u32 intid, u64 value);
void vgic_mmio_write_cenable(void *dev, u32 intid, u64 value);
u64 vgic_mmio_read_pending(void *dev, u32 intid);
void vgic_mmio_write_spending(void *dev, u32 intid, u64 value);
void vgic_mmio_write_cpending(void *dev, u32 intid, u64 value);
u64 vgic_mmio_read_active(void *dev, u32 intid);
void vgic_mmio_write_sactive(void *dev, u32 intid, u64 value);
void vgic_mmio_write_cactive(void *dev, u32 intid, u64 value);
u64 vgic_mmio_read_priority(void *dev, u32 intid);
void vgic_mmio_write_priority(void *dev, u32 intid, u64 value);
u64 vgic_mmio_read_config(void *dev, u32 intid);
void vgic_mmio_write_config(void *dev, u32 intid, u64 value);

/* Identification registers shared by GICD and GICR RD_base; @offset from the frame. */
u64 vgic_mmio_read_iidr(void *dev, u32 offset);
u64 vgic_mmio_read_id(void *dev, u32 offset);

/* The distributor table's index (vgic_dist.c), built by the first vgic_init_vm(). */
void vgicd_index_init(void);

#endif
