/*
 * VMs and vCPUs. A VM owns a fixed set of physical CPUs (one vCPU each, for
 * its whole life), one RAM region mapped by its stage-2 tables, and its
 * emulated devices. Everything is set up at boot from the configuration;
 * nothing is allocated afterwards.
 *
 * Locking (docs/architecture.md, "Concurrency"). vm->lock guards the VM's
 * lifecycle: vm->state and each vCPU's powered_on, start_pc and start_x0 are
 * written only under it (taken by the VM's own CPUs, the console's, the
 * manager VM's and an IOMMU fault's), and every decision that must hold for the life it acts on
 * (a vCPU entering, an interrupt sampled and injected from another CPU) is
 * taken under it with vm_running_locked(). A restart (vm_lifecycle.c) changes the
 * state under it before it waits for the VM's CPUs to leave and rewrites the
 * VM; the rewrite runs while the state is not VM_RUNNING, so such a step
 * lands whole in the old life (and is wiped) or whole in the new one.
 * Nesting, outer first: vm->lock, then console_lock (vPL011 sampling) or
 * vm->vgic.lock; vpci->lock, then vm->vgic.lock. No lock is taken inside
 * vm->vgic.lock or console_lock. Read without a lock, and why that is safe:
 * in_guest (atomic; published under vm->lock, cleared by its own CPU when it
 * parks); vm->state by cpu_handle_msgs (the sender changed it before the
 * message, and a restart waits for this CPU, so it cannot change back
 * meanwhile) and by the console (a hint: the console's own lock orders it
 * with console_vm_reset); restart_count and the console's VM list
 * (informational).
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
#include <tessera/vm_stats.h>
#include <virt/vgic.h>
#include <virt/vpl011.h>
#include <virt/vwdt.h>

/* vPL011, GICD, a GICR frame per vCPU, watchdog frames, doorbells or ECAMs, network devices */
#define VM_MAX_EMUL (PLATFORM_MAX_CPUS + 6 + 8 + CONFIG_MAX_NETWORKS)

struct vm;

struct vcpu {
	struct vm *vm;
	unsigned int index;      /* vCPU number; its virtual MPIDR is vcpu_affinity(index) */
	unsigned int pcpu;       /* the physical CPU it always runs on */
	struct guest_regs *regs; /* the frame at the top of that CPU's stack */
	/* PSCI power state, under vm->lock: vCPU 0 starts on; others on CPU_ON. */
	bool powered_on;
	u64 start_pc, start_x0; /* under vm->lock: where CPU_ON (or VM start) enters it */
	/*
	 * Its CPU is between vcpu_try_start and parking. Set true only under
	 * vm->lock with the VM running and the vCPU on; set false by its own
	 * CPU; read without a lock (atomic acquire) by a CPU that has changed
	 * vm->state under the lock and waits for the VM's CPUs to leave.
	 */
	bool in_guest;
	struct vgic_cpu vgic;
	/* Traps from the guest by ESR_EL2.EC, written by its own CPU only (vm_stats.h). */
	u64 exits[VM_STATS_EC_COUNT];
};

/*
 * On the way back to the guest, own CPU: queued interrupts into list
 * registers. Inline: the common case, nothing queued, is a load and a branch.
 */
static inline void vgic_flush(struct vcpu *vcpu)
{
	/* A plain single-copy-atomic byte load (one LDRB with its offset; the relaxed atomic took two). */
	if (READ_ONCE(vcpu->vgic.any_queued))
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
	/* Near the start: every trapped MMIO access looks here (small offsets, one instruction). */
	struct emul_device emul[VM_MAX_EMUL];
	unsigned int emul_count;
	struct vgic_dist vgic; /* its lock and nr_irqs first, then the SPIs */
	struct pgtable s2;
	struct vcpu vcpus[PLATFORM_MAX_CPUS];
	unsigned int vcpu_count;
	u64 entry; /* IPA of the first instruction */
	u64 dtb;   /* IPA of the guest device tree */
	struct vpl011 vuart;
	struct vwdt wdt; /* its SBSA Generic Watchdog, when cfg->watchdog.present */
	u64 cntvoff;                /* CNTVOFF_EL2: guest time starts at 0 at each (re)start */
	unsigned int restart_count; /* PSCI SYSTEM_RESETs so far; in the guest DT */
	struct vm_console con; /* under the console lock */
	struct spinlock lock;  /* state and the vCPUs' power state: see the top of this file */
	enum vm_state state;   /* written under lock; see the top of this file for unlocked reads */
	/*
	 * A restart asked from anywhere runs on vCPU 0's CPU (vm_lifecycle.c):
	 * under lock, set with the state going to VM_RESETTING, claimed (cleared)
	 * by that CPU no earlier than rebuild_not_before (CNTPCT_EL0; back-off).
	 */
	bool rebuild_pending;
	u64 rebuild_not_before;
	struct vm_stats stats;
	unsigned int unknown_calls_reported; /* console notes, rate-limited per VM */
	unsigned int undef_reported;
	unsigned int abort_reported;
};

/*
 * The virtual MPIDR rule, the one place it is written: vCPU @index of a VM
 * has affinity Aff0 = index, Aff1-Aff3 = 0 (MPIDR_EL1 layout, MPIDR_AFF_MASK;
 * DDI 0487 J.a D19.2.104), whatever physical CPU it runs on. VMPIDR_EL2, the
 * guest DT's cpu nodes and GICR_TYPER give it; PSCI, SGI and GICD_IROUTER
 * targets are decoded with vm_vcpu_by_affinity().
 */
static inline u64 vcpu_affinity(unsigned int index)
{
	return index;
}

/*
 * The vCPU of @vm whose affinity is @aff, or NULL: any bit set outside the
 * affinity fields matches none.
 */
static inline struct vcpu *vm_vcpu_by_affinity(struct vm *vm, u64 aff)
{
	for (unsigned int i = 0; i < vm->vcpu_count; i++)
		if (vcpu_affinity(i) == aff)
			return &vm->vcpus[i];
	return NULL;
}

extern struct vm vms[CONFIG_MAX_VMS];
extern unsigned int vm_count;

/* Parses and checks the config, builds every valid VM. Boot CPU, MMU on. */
void vms_create(const struct platform *plat, const void *config_blob);
/* Adds an emulated device to @vm (boot time); false when it has too many. */
bool vm_add_emul(struct vm *vm, const char *name, u64 base, u64 size, void *dev,
		 enum mmio_result (*access)(void *dev, struct mmio_access *acc));
/* The device covering @ipa in @vm, or NULL. */
const struct emul_device *vm_find_emul(const struct vm *vm, u64 ipa);
/*
 * @vm->lock held: true when @vm is running, so what is decided now (a vCPU
 * entering, an interrupt injected) belongs to the life that runs, not to one
 * being stopped or reset (it cannot change until the lock is released).
 */
static inline bool vm_running_locked(const struct vm *vm)
{
	spin_assert_held(&vm->lock);
	return vm->state == VM_RUNNING;
}
/*
 * A parked CPU: enters @vcpu's guest from its start state (never returns)
 * when its VM is running and it is powered on; returns when it may not.
 */
void vcpu_try_start(struct vcpu *vcpu);
/* PSCI SYSTEM_RESET from one of @vm's vCPUs: its on-reset policy (vm_event). Never returns. */
void vm_reset(struct vm *vm) __noreturn;
/* "running", "restarting", "stopped" or "faulted" (stopped by a fault or its watchdog). */
const char *vm_state_name(const struct vm *vm);

#endif
