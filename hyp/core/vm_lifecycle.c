/*
 * The VM lifecycle: a vCPU entering its guest, a VM stopping, a VM
 * restarting (its policy after an event, or asked from outside it: the
 * manager VM, the console), each against the others on other CPUs.
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
#include <stdio.h>
#include <tessera/bwreg.h>
#include <tessera/channel.h>
#include <tessera/console.h>
#include <tessera/cpu.h>
#include <tessera/device.h>
#include <tessera/iommu.h>
#include <tessera/vm.h>
#include <tessera/vm_control.h>
#include <tessera/vm_stats.h>
#include <virt/vbpmp.h>
#include <virt/vgic.h>
#include <virt/vnet.h>

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
	vnet_vm_reset(vm);     /* likewise; its network devices take frames again */
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

static void vm_rebuild(struct vm *vm);

void vcpu_try_start(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	u64 pc = 0, x0 = 0;
	bool enter;

	if (vcpu->index == 0 && READ_ONCE(vm->rebuild_pending))
		vm_rebuild(vm); /* then enters it below */
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
	bwreg_vcpu_start(); /* a regulated CPU's first period starts */
	vcpu_arch_enter(vcpu, pc, x0);
}

/* Tells every CPU of @vm but @skip's to leave the guest and park. */
static void send_stop(struct vm *vm, const struct vcpu *skip)
{
	for (unsigned int i = 0; i < vm->vcpu_count; i++)
		if (&vm->vcpus[i] != skip)
			cpu_send_msg(vm->vcpus[i].pcpu, CPU_MSG_STOP);
}

/* @vm's vCPU on this CPU, or NULL when this CPU is not one of @vm's. */
static struct vcpu *own_vcpu(const struct vm *vm)
{
	struct vcpu *self = this_cpu()->vcpu;

	return self && self->vm == vm ? self : NULL;
}

/*
 * @vm has just been marked stopped (from whatever state; the caller's
 * transition under vm->lock made this CPU its owner): tells every CPU of it
 * but @skip's, masks its device interrupts, blocks its DMA, and powers the
 * machine off when the config or the last running VM says so. Its channel
 * peers are not rung: a peer learns of a stop by the silence, as before
 * policies (a ring would be one more interrupt than the VM ever sent).
 */
static void vm_halted(struct vm *vm, enum vm_event event, const char *reason, const struct vcpu *skip)
{
	send_stop(vm, skip); /* its CPUs first: the rest (the IOMMU's commands) takes a while */
	snprintf(vm->stats.last_stop_reason, sizeof(vm->stats.last_stop_reason), "%s", reason);
	vm->stats.last_stop_event = event;
	vm->stats.stopped_once = true;
	console_vm_flush(vm);
	printk("tessera: VM %s stopped: %s\n", vm->name, reason);
	devices_vm_stop(vm);
	vnet_vm_stop(vm); /* no frame into a stopped VM's memory */
	vbpmp_vm_stop(vm);
	if (vm->cfg->watchdog.present)
		vwdt_stop(&vm->wdt);
	iommu_vm_stop(vm);
	if (__atomic_sub_fetch(&vms_running, 1, __ATOMIC_ACQ_REL) == 0)
		printk("tessera: all VMs have stopped; powering off\n");
	else if (vm->cfg->power_off_when_stopped)
		printk("tessera: VM %s has power-off-when-stopped; powering off\n", vm->name);
	else
		return;
	console_flush();
	psci_system_off();
}

/* Marks @vm stopped if it is @from (otherwise someone else owns it now), then vm_halted(). */
static void vm_halt(struct vm *vm, enum vm_state from, enum vm_event event, const char *reason,
		    const struct vcpu *skip)
{
	if (vm_transition(vm, from, VM_STOPPED))
		vm_halted(vm, event, reason, skip);
}

/*
 * @vm from @from (running, or stopped: a start) to VM_RESETTING with a
 * rebuild pending for its vCPU 0's CPU, no earlier than @backoff_ms from
 * now. Its CPUs but @self's are told to leave the guest (running) or vCPU
 * 0's to look (stopped); @self, the caller's vCPU, then parks. False: @vm
 * was not @from.
 */
static bool vm_begin_restart(struct vm *vm, enum vm_state from, u32 backoff_ms, const char *why,
			     const struct vcpu *self)
{
	u64 not_before = read_sysreg(cntpct_el0) + (u64)backoff_ms * (read_sysreg(cntfrq_el0) / 1000);
	bool done;

	spin_lock(&vm->lock);
	done = vm->state == from;
	if (done) {
		WRITE_ONCE(vm->state, VM_RESETTING);
		vm->rebuild_pending = true;
		vm->rebuild_not_before = not_before;
		/* Counted in the same step: a stop that cancels it (under the lock, after) counts it out. */
		if (from == VM_STOPPED)
			__atomic_add_fetch(&vms_running, 1, __ATOMIC_ACQ_REL);
	}
	spin_unlock(&vm->lock);
	if (!done)
		return false;
	console_vm_flush(vm);
	if (backoff_ms)
		printk("tessera: VM %s restarting in %u ms (%s)\n", vm->name, backoff_ms, why);
	else
		printk("tessera: VM %s restarting (%s)\n", vm->name, why);
	if (from == VM_RUNNING)
		send_stop(vm, self); /* vCPU 0's CPU parks, and rebuilds (vcpu_try_start) */
	else if (&vm->vcpus[0] != self)
		cpu_send_msg(vm->vcpus[0].pcpu, CPU_MSG_WAKE);
	return true;
}

/*
 * vCPU 0's CPU, parked: the pending restart, once its back-off is over
 * (this CPU is the VM's own and idle meanwhile; no other VM waits for it),
 * unless a stop cancelled it. The VM's other CPUs out of the guest, its
 * devices quiesced (interrupts masked, DMA blocked) before its memory is
 * reloaded, everything virtual reset, its peers told; it then runs again
 * and the caller enters it.
 */
static void vm_rebuild(struct vm *vm)
{
	const struct vcpu *self = &vm->vcpus[0];
	bool claimed;

	while (read_sysreg(cntpct_el0) < READ_ONCE(vm->rebuild_not_before) && READ_ONCE(vm->rebuild_pending))
		cpu_relax(); /* a stop cancels it (vm_request_stop) */
	spin_lock(&vm->lock);
	claimed = vm->rebuild_pending && vm->state == VM_RESETTING;
	vm->rebuild_pending = false;
	spin_unlock(&vm->lock);
	if (!claimed)
		return;
	/* Every other vCPU out (they answer at once: IMO); none can enter until VM_RUNNING. */
	for (unsigned int i = 1; i < vm->vcpu_count; i++)
		while (__atomic_load_n(&vm->vcpus[i].in_guest, __ATOMIC_ACQUIRE))
			cpu_relax();
	/* No CPU runs the VM now; what other CPUs inject lands whole before or after the rewrite (vm.h). */
	devices_vm_reset(vm);
	vnet_vm_stop(vm); /* no frame lands in its memory while it is rewritten */
	if (vm->cfg->watchdog.present)
		vwdt_stop(&vm->wdt); /* no expiry of the old life while the new one is built */
	iommu_vm_stop(vm); /* its devices' DMA waits until the new image is in place */
	vm->restart_count++;
	if (vm_load(vm)) {
		vm_halt(vm, VM_RESETTING, VM_EVENT_FAULT, "restart failed: its device tree no longer fits", self);
		return;
	}
	iommu_vm_start(vm);
	vm_power_on_reset(vm);
	vm->stats.started_at = read_sysreg(cntpct_el0);
	vm_transition(vm, VM_RESETTING, VM_RUNNING);
	channels_notify_peers(vm);
	printk("tessera: VM %s started (restart %u)\n", vm->name, vm->restart_count);
}

void vm_reset(struct vm *vm)
{
	vm_event(vm, VM_EVENT_SYSTEM_RESET, "PSCI SYSTEM_RESET");
	cpu_park(); /* vCPU 0's CPU rebuilds it; every other vCPU waits for PSCI CPU_ON */
}

void vm_event(struct vm *vm, enum vm_event event, const char *reason)
{
	const struct vm_config *cfg = vm->cfg;
	const struct vcpu *self = own_vcpu(vm);
	enum vm_action action = VM_ACTION_STOP;

	if (event == VM_EVENT_WATCHDOG)
		VM_STAT_INC(vm, watchdog_expiries);
	if (event < VM_POLICY_EVENTS)
		action = cfg->policy[event];
	/* Read and bumped by whoever owns the VM's running state: the transition below orders them. */
	if (action == VM_ACTION_RESTART && cfg->restart_limit &&
	    READ_ONCE(vm->stats.restarts_in_row) >= cfg->restart_limit) {
		char why[VM_STOP_REASON_MAX];

		snprintf(why, sizeof(why), "%s; restart-limit %u reached", reason, cfg->restart_limit);
		vm_halt(vm, VM_RUNNING, event, why, self);
	} else if (action == VM_ACTION_RESTART) {
		if (vm_begin_restart(vm, VM_RUNNING, cfg->restart_backoff_ms, reason, self))
			vm->stats.restarts_in_row++;
	} else {
		vm_halt(vm, VM_RUNNING, event, reason, self);
	}
	if (self)
		cpu_park();
}

/*
 * The manager VM may not act on itself (it has PSCI). The console may act
 * on a VM whose CPU happened to read the keys (polling its vUART): that
 * CPU is then told like the others and parks on the message, in the guest.
 */
static bool asked_by_itself(const struct vm *vm, enum vm_event by)
{
	return by != VM_EVENT_CONSOLE && own_vcpu(vm);
}

int vm_request_stop(struct vm *vm, enum vm_event by)
{
	bool pending;

	if (asked_by_itself(vm, by))
		return VM_CONTROL_ESELF;
	if (vm_transition(vm, VM_RUNNING, VM_STOPPED)) {
		vm_halted(vm, by, by == VM_EVENT_CONSOLE ? "stopped from the console" : "stopped by the manager VM", NULL);
		return VM_CONTROL_OK;
	}
	/* A restart not yet under way (its back-off) is cancelled: vCPU 0's CPU sees it gone. */
	spin_lock(&vm->lock);
	pending = vm->state == VM_RESETTING && vm->rebuild_pending;
	if (pending) {
		vm->rebuild_pending = false;
		WRITE_ONCE(vm->state, VM_STOPPED);
	}
	spin_unlock(&vm->lock);
	if (!pending)
		return VM_CONTROL_ESTATE;
	vm_halted(vm, by, by == VM_EVENT_CONSOLE ? "stopped from the console" : "stopped by the manager VM", NULL);
	return VM_CONTROL_OK;
}

/* A person asked: the policy's restart count starts again. */
static int request_restart(struct vm *vm, enum vm_state from, enum vm_event by)
{
	const char *why = by == VM_EVENT_CONSOLE ? "asked from the console" : "asked by the manager VM";

	if (asked_by_itself(vm, by))
		return VM_CONTROL_ESELF;
	if (!vm_begin_restart(vm, from, 0, why, NULL))
		return VM_CONTROL_ESTATE;
	vm->stats.restarts_in_row = 0;
	return VM_CONTROL_OK;
}

int vm_request_start(struct vm *vm, enum vm_event by)
{
	return request_restart(vm, VM_STOPPED, by);
}

int vm_request_restart(struct vm *vm, enum vm_event by)
{
	return request_restart(vm, VM_RUNNING, by);
}

const char *vm_state_name(const struct vm *vm)
{
	switch (READ_ONCE(vm->state)) {
	case VM_RUNNING:
		return "running";
	case VM_RESETTING:
		return "restarting";
	case VM_STOPPED:
		break;
	}
	return vm->stats.stopped_once && (vm->stats.last_stop_event == VM_EVENT_FAULT ||
					  vm->stats.last_stop_event == VM_EVENT_WATCHDOG)
		       ? "faulted" : "stopped";
}
