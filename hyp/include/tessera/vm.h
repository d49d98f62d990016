/*
 * VMs and vCPUs. A VM owns a fixed set of physical CPUs (one vCPU each, for
 * its whole life), one RAM region mapped by its stage-2 tables, and its
 * emulated devices. Everything is set up at boot from the configuration;
 * nothing is allocated afterwards.
 */
#ifndef TESSERA_VM_H
#define TESSERA_VM_H

#include <arch/cpu_regs.h>
#include <arch/pgtable.h>
#include <tessera/compiler.h>
#include <tessera/config.h>
#include <tessera/console.h>
#include <tessera/emul.h>
#include <tessera/spinlock.h>
#include <virt/vgic.h>
#include <virt/vpl011.h>

#define VM_MAX_EMUL (PLATFORM_MAX_CPUS + 4 + 8) /* vPL011, GICD, a GICR frame per vCPU, doorbells or ECAMs */

struct vm;

struct vcpu {
	struct vm *vm;
	unsigned int index;      /* vCPU number; its virtual MPIDR has Aff0 = index */
	unsigned int pcpu;       /* the physical CPU it always runs on */
	struct guest_regs *regs; /* the frame at the top of that CPU's stack */
	/* PSCI power state, under vm->lock: vCPU 0 starts on; others on CPU_ON. */
	bool powered_on;
	u64 start_pc, start_x0; /* where CPU_ON (or VM start) enters it */
	bool in_guest;          /* its CPU is between vcpu_start and parking */
	struct vgic_cpu vgic;
};

/*
 * On the way back to the guest, own CPU: queued interrupts into list
 * registers. Inline: the common case, nothing queued, is a load and a branch.
 */
static inline void vgic_flush(struct vcpu *vcpu)
{
	if (__atomic_load_n(&vcpu->vgic.any_queued, __ATOMIC_RELAXED))
		vgic_flush_queued(vcpu);
}

enum vm_state {
	VM_RUNNING,
	VM_RESETTING,
	VM_STOPPED,
};

struct vm {
	const struct vm_config *cfg;
	const char *name;
	unsigned int vmid;
	u64 vttbr;
	struct pgtable s2;
	struct vcpu vcpus[PLATFORM_MAX_CPUS];
	unsigned int vcpu_count;
	u64 entry; /* IPA of the first instruction */
	u64 dtb;   /* IPA of the guest device tree */
	struct emul_device emul[VM_MAX_EMUL];
	unsigned int emul_count;
	struct vpl011 vuart;
	struct vgic_dist vgic;
	u64 cntvoff;                /* CNTVOFF_EL2: guest time starts at 0 at each (re)start */
	unsigned int restart_count; /* PSCI SYSTEM_RESETs so far; in the guest DT */
	struct vm_console con; /* under the console lock */
	struct spinlock lock;  /* state; taken only by this VM's own CPUs and vm_stop() */
	enum vm_state state;
	unsigned int unknown_calls_reported; /* console notes, rate-limited per VM */
	unsigned int undef_reported;
	unsigned int abort_reported;
};

extern struct vm vms[CONFIG_MAX_VMS];
extern unsigned int vm_count;

/* Parses and checks the config, builds every valid VM. Boot CPU, MMU on. */
void vms_create(const struct platform *plat, const void *config_blob);
/* Adds an emulated device to @vm (boot time); false when it has too many. */
bool vm_add_emul(struct vm *vm, const char *name, u64 base, u64 size, void *dev,
		 enum mmio_result (*access)(void *dev, struct mmio_access *acc));
/* The device covering @ipa in @vm, or NULL. */
const struct emul_device *vm_find_emul(const struct vm *vm, u64 ipa);
/* Starts (or restarts) a vCPU from its VM's reset state. Never returns. */
void vcpu_start(struct vcpu *vcpu) __noreturn;
/*
 * Stops @vm for @reason (reported on the console) and parks the calling CPU.
 * Its other vCPUs are told to stop; when the last VM stops, the machine is
 * powered off.
 */
void vm_stop(struct vm *vm, const char *reason) __noreturn;
/*
 * Stops @vm from any CPU, e.g. in an interrupt that is not the VM's own
 * (an IOMMU fault), and returns; every CPU of the VM, this one included,
 * parks when it takes the message SGI.
 */
void vm_stop_async(struct vm *vm, const char *reason);
/* Restarts @vm alone from a fresh memory image (PSCI SYSTEM_RESET). Never returns. */
void vm_reset(struct vm *vm) __noreturn;

#endif
