/*
 * PSCI 1.1 for guests (Arm DEN 0022). A VM sees only its own vCPUs, by their
 * virtual MPIDRs (vcpu_affinity()); SYSTEM_OFF stops that VM alone and
 * SYSTEM_RESET restarts it alone.
 */
#include <arch/cpu_regs.h>
#include <arch/sysregs.h>
#include <arch/traps.h>
#include <drivers/psci.h>
#include <tessera/cpu.h>
#include <tessera/hypercall.h>
#include <tessera/vm.h>
#include <virt/vgic.h>

#define AFFINITY_ON 0
#define AFFINITY_OFF 1

/*
 * CPU_SUSPEND's power_state, original format (DEN 0022D 5.4.2): StateID
 * [15:0], StateType [16] (1: powerdown), PowerLevel [25:24], the rest
 * reserved, zero.
 */
#define POWER_STATE_LEVEL_SHIFT 24
#define POWER_STATE_LEVEL_MASK (0x3u << POWER_STATE_LEVEL_SHIFT)
#define POWER_STATE_RESERVED (GENMASK(31, 26) | GENMASK(23, 17))

/*
 * PSCI_FEATURES: the PSCI calls here, and SMCCC_VERSION (which says SMCCC >=
 * 1.1, DEN 0028 7.1). Its answer for each is SUCCESS (0); for CPU_SUSPEND 0
 * is also its feature flags (DEN 0022D 5.15.2): bit 1 clear, power_state in
 * the original format; bit 0 clear, platform-coordinated mode only.
 */
static bool psci_implemented(u32 fid)
{
	switch (fid) {
	case SMCCC_VERSION:
	case PSCI_VERSION:
	case PSCI_FEATURES:
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_CPU_OFF:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		return true;
	default:
		return false;
	}
}

/* The vCPU target_cpu @mpidr names: its affinity fields, every other bit zero (DEN 0022 5.1). */
static struct vcpu *vcpu_by_mpidr(struct vm *vm, u64 mpidr)
{
	return vm_vcpu_by_affinity(vm, mpidr);
}

static s64 cpu_on(struct vm *vm, u64 mpidr, u64 entry, u64 context)
{
	struct vcpu *target = vcpu_by_mpidr(vm, mpidr);
	s64 ret = PSCI_RET_SUCCESS;

	if (!target)
		return PSCI_RET_INVALID_PARAMS;
	spin_lock(&vm->lock);
	if (target->powered_on) {
		ret = PSCI_RET_ALREADY_ON;
	} else {
		target->start_pc = entry;
		target->start_x0 = context;
		WRITE_ONCE(target->powered_on, true);
	}
	spin_unlock(&vm->lock);
	if (ret == PSCI_RET_SUCCESS)
		cpu_send_msg(target->pcpu, CPU_MSG_WAKE);
	return ret;
}

static void __noreturn cpu_off(struct vcpu *vcpu)
{
	spin_lock(&vcpu->vm->lock);
	WRITE_ONCE(vcpu->powered_on, false);
	spin_unlock(&vcpu->vm->lock);
	cpu_park();
}

/* Its PSCI power state, read under the lock that guards it (tessera/vm.h). */
static bool vcpu_powered_on(struct vcpu *vcpu)
{
	bool on;

	spin_lock(&vcpu->vm->lock);
	on = vcpu->powered_on;
	spin_unlock(&vcpu->vm->lock);
	return on;
}

static s64 affinity_info(struct vm *vm, u64 mpidr, u64 lowest_level)
{
	struct vcpu *target = vcpu_by_mpidr(vm, mpidr);

	if (!target || lowest_level != 0)
		return PSCI_RET_INVALID_PARAMS;
	/*
	 * OFF only once its CPU has left the guest, so the caller may reuse its
	 * stack. in_guest is read after the lock: a CPU_OFF seen under it came
	 * after the entry that set it, so this sees it set or its CPU's park.
	 */
	return vcpu_powered_on(target) || __atomic_load_n(&target->in_guest, __ATOMIC_ACQUIRE)
		       ? AFFINITY_ON : AFFINITY_OFF;
}

/*
 * CPU_SUSPEND (DEN 0022D 5.4). A VM's power domains are its cores alone (its
 * DT describes no clusters and no idle states): PowerLevel must be 0, and
 * StateID, IMPLEMENTATION DEFINED, names nothing to tell apart here. Every
 * state is standby, woken by an interrupt as WFI is (5.4.1): a powerdown
 * request (StateType 1) may be entered as a shallower state, returning
 * SUCCESS with the caller's registers kept, entry_point and context_id
 * unused (5.4.2, "clause 3" of DEN 0022A as KVM cites it; KVM does the
 * same). So wait here until the vGIC signals the vCPU an interrupt,
 * whatever its PSTATE.I. Meanwhile the CPU takes its physical interrupts
 * through the guest's IRQ path: the vtimer and device interrupts reach the
 * vGIC, and a stop or reset message parks it.
 */
static s64 cpu_suspend(struct vcpu *vcpu, struct guest_regs *regs, u64 power_state)
{
	if ((power_state & POWER_STATE_RESERVED) || (power_state & POWER_STATE_LEVEL_MASK))
		return PSCI_RET_INVALID_PARAMS;
	vgic_flush(vcpu);
	while (!vgic_wakeup_pending(vcpu)) {
		wfi(); /* at EL2 a pending physical interrupt ends it, masked or not */
		trap_lower_irq(regs);
	}
	return PSCI_RET_SUCCESS;
}

bool vpsci_handle(struct guest_regs *regs, u32 fid)
{
	struct vcpu *vcpu = this_cpu()->vcpu;
	struct vm *vm = vcpu->vm;
	bool smc32 = !(fid & SMCCC_64BIT);
	/* SMC32 arguments are 32 bits wide (DEN 0028 2.6): ignore the upper halves. */
	u64 a1 = smc32 ? (u32)regs->x[1] : regs->x[1];
	u64 a2 = smc32 ? (u32)regs->x[2] : regs->x[2];
	u64 a3 = smc32 ? (u32)regs->x[3] : regs->x[3];
	s64 ret;

	switch (fid) {
	case PSCI_VERSION:
		ret = PSCI_VERSION_1_1;
		break;
	case PSCI_FEATURES:
		ret = psci_implemented((u32)a1) ? PSCI_RET_SUCCESS : PSCI_RET_NOT_SUPPORTED;
		break;
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
		ret = cpu_suspend(vcpu, regs, (u32)a1); /* uint32 power_state, both IDs */
		break;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		ret = cpu_on(vm, a1, a2, a3);
		break;
	case PSCI_CPU_OFF:
		cpu_off(vcpu);
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		ret = affinity_info(vm, a1, a2);
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		ret = 2; /* no Trusted OS that needs migrating */
		break;
	case PSCI_SYSTEM_OFF:
		vm_event(vm, VM_EVENT_SYSTEM_OFF, "PSCI SYSTEM_OFF"); /* its on-off policy; this CPU parks */
		cpu_park();
	case PSCI_SYSTEM_RESET:
		vm_reset(vm);
	default:
		return false;
	}
	regs->x[0] = (u64)ret;
	return true;
}
