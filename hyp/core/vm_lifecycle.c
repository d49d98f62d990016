/*
 * The VM lifecycle: a vCPU entering its guest, a VM stopping, a VM
 * restarting (PSCI SYSTEM_RESET), each against the others on other CPUs.
 * The rule is in tessera/vm.h: vm->state and the vCPUs' power state change
 * only under vm->lock, and a vCPU publishes in_guest in the critical section
 * that finds its VM running and itself on. A CPU that changes the state
 * under the lock and then reads in_guest therefore sees every vCPU that
 * decided to enter before it: that one's section came first (the lock
 * orders it), so it waits for it; one whose section comes after sees the new
 * state and stays parked.
 */
#include <arch/vcpu.h>
#include <drivers/psci.h>
#include <tessera/channel.h>
#include <tessera/console.h>
#include <tessera/cpu.h>
#include <tessera/device.h>
#include <tessera/iommu.h>
#include <tessera/vm.h>
#include <tessera/vm_control.h>
#include <virt/vbpmp.h>
#include <virt/vgic.h>

#include "vm_internal.h"

u32 vms_running;

/* @vm's state from @from to @to, one step under its lock; false (nothing changed) when it was not @from. */
static bool vm_transition(struct vm *vm, enum vm_state from, enum vm_state to)
{
	bool done;

	spin_lock(&vm->lock);
	done = vm->state == from;
	if (done)
		WRITE_ONCE(vm->state, to);
	spin_unlock(&vm->lock);
	return done;
}

/*
 * At boot, and in a restart while the VM is not running: every CPU that
 * could act on this state from elsewhere (console input, a peer's doorbell,
 * a forwarded device interrupt) checks vm_running_locked() or takes the
 * vGIC's lock, which vgic_init_vm holds while it rewrites.
 */
void vm_power_on_reset(struct vm *vm)
{
	vgic_init_vm(vm, vm->vgic.gicd_base, vm->vgic.gicr_base, vm->vgic.nr_irqs);
	channels_vm_reset(vm); /* after the vGIC: their lines are driven again */
	vbpmp_vm_reset(vm);
	vpl011_init(&vm->vuart, vm);
	if (vm->cfg->watchdog.present)
		vwdt_reset(&vm->wdt); /* disabled, as after a reset */
	console_vm_reset(vm);
	vm->cntvoff = read_sysreg(cntpct_el0);
	spin_lock(&vm->lock);
	for (unsigned int i = 0; i < vm->vcpu_count; i++) {
		vm->vcpus[i].powered_on = i == 0;
		vm->vcpus[i].start_pc = vm->entry;
		vm->vcpus[i].start_x0 = vm->dtb;
	}
	spin_unlock(&vm->lock);
}

void vcpu_try_start(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	u64 pc = 0, x0 = 0;
	bool enter;

	spin_lock(&vm->lock);
	enter = vm_running_locked(vm) && vcpu->powered_on;
	if (enter) {
		/* Relaxed: the unlock below publishes it to whoever takes the lock next. */
		__atomic_store_n(&vcpu->in_guest, true, __ATOMIC_RELAXED);
		pc = vcpu->start_pc;
		x0 = vcpu->start_x0;
	}
	spin_unlock(&vm->lock);
	if (!enter)
		return;
	/*
	 * A stop or restart that comes now waits for this CPU (in_guest) and
	 * sends it CPU_MSG_STOP, which it takes in the guest (HCR_EL2.IMO: a
	 * physical IRQ reaches EL2 whatever the guest's PSTATE.I) and parks.
	 */
	vgic_cpu_enter(vcpu);
	vcpu_arch_enter(vcpu, pc, x0);
}

/* Tells every CPU of @vm but @skip's to leave the guest and park. */
static void send_stop(struct vm *vm, const struct vcpu *skip)
{
	for (unsigned int i = 0; i < vm->vcpu_count; i++)
		if (&vm->vcpus[i] != skip)
			cpu_send_msg(vm->vcpus[i].pcpu, CPU_MSG_STOP);
}

/*
 * Marks @vm stopped if it is @from (a running VM, or one whose restart
 * failed; otherwise someone else owns it now), tells every CPU of it but
 * @skip's, masks its device interrupts and blocks its DMA.
 */
static void vm_halt(struct vm *vm, enum vm_state from, const char *reason, const struct vcpu *skip)
{
	if (!vm_transition(vm, from, VM_STOPPED))
		return;
	send_stop(vm, skip); /* its CPUs first: the rest (the IOMMU's commands) takes a while */
	console_vm_flush(vm);
	printk("tessera: VM %s stopped: %s\n", vm->name, reason);
	devices_vm_stop(vm);
	vbpmp_vm_stop(vm);
	if (vm->cfg->watchdog.present)
		vwdt_stop(&vm->wdt);
	iommu_vm_stop(vm);
	if (__atomic_sub_fetch(&vms_running, 1, __ATOMIC_ACQ_REL) == 0) {
		printk("tessera: all VMs have stopped; powering off\n");
		console_flush();
		psci_system_off();
	}
}

void vm_stop(struct vm *vm, const char *reason)
{
	vm_halt(vm, VM_RUNNING, reason, this_cpu()->vcpu);
	cpu_park();
}

void vm_stop_async(struct vm *vm, const char *reason)
{
	vm_halt(vm, VM_RUNNING, reason, NULL); /* this CPU too, if it is one of the VM's: it parks on the SGI */
}

/*
 * Every other vCPU of @vm out of the guest and parked (they answer at once:
 * IMO). Called with the state already changed under vm->lock, so none can
 * enter again until it is VM_RUNNING (vcpu_try_start). No lock is held.
 */
static void stop_other_vcpus(struct vm *vm, const struct vcpu *self)
{
	send_stop(vm, self);
	for (unsigned int i = 0; i < vm->vcpu_count; i++)
		while (&vm->vcpus[i] != self &&
		       __atomic_load_n(&vm->vcpus[i].in_guest, __ATOMIC_ACQUIRE))
			cpu_relax();
}

void vm_reset(struct vm *vm)
{
	struct vcpu *self = this_cpu()->vcpu;
	struct vcpu *boot = &vm->vcpus[0];

	/* Stopped, or another vCPU restarts it: that one's CPU_MSG_STOP would park this one anyway. */
	if (!vm_transition(vm, VM_RUNNING, VM_RESETTING))
		cpu_park();

	console_vm_flush(vm);
	printk("tessera: VM %s restarting (PSCI SYSTEM_RESET)\n", vm->name);
	__atomic_store_n(&self->in_guest, false, __ATOMIC_RELEASE);
	stop_other_vcpus(vm, self);
	/* No CPU runs the VM now; what other CPUs inject lands whole before or after the rewrite (vm.h). */
	devices_vm_reset(vm);
	if (vm->cfg->watchdog.present)
		vwdt_stop(&vm->wdt); /* no expiry of the old life while the new one is built */
	iommu_vm_stop(vm); /* its devices' DMA waits until the new image is in place */
	vm->restart_count++;
	if (vm_load(vm)) {
		vm_halt(vm, VM_RESETTING, "restart failed: its device tree no longer fits", self);
		cpu_park();
	}
	iommu_vm_start(vm);
	vm_power_on_reset(vm);
	vm_transition(vm, VM_RESETTING, VM_RUNNING);
	if (boot != self)
		cpu_send_msg(boot->pcpu, CPU_MSG_WAKE);
	cpu_park(); /* vCPU 0's CPU starts it; every other vCPU waits for PSCI CPU_ON */
}

/*
 * Issue 13's control entry points, first as today's behaviour: every event
 * stops the VM (a restart from another CPU is not built yet), and requests
 * from outside are refused. vm_policy replaces these.
 */
void vm_event(struct vm *vm, enum vm_event event, const char *reason)
{
	(void)event;
	vm_stop_async(vm, reason);
}

int vm_request_stop(struct vm *vm, enum vm_event by)
{
	(void)vm;
	(void)by;
	return VM_CONTROL_ESTATE;
}

int vm_request_start(struct vm *vm, enum vm_event by)
{
	(void)vm;
	(void)by;
	return VM_CONTROL_ESTATE;
}

int vm_request_restart(struct vm *vm, enum vm_event by)
{
	(void)vm;
	(void)by;
	return VM_CONTROL_ESTATE;
}
