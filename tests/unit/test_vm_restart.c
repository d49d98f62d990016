/*
 * A VM restarting (PSCI SYSTEM_RESET, hyp/core/vm_lifecycle.c) against what
 * other CPUs do meanwhile: a vCPU starting (PSCI CPU_ON done), a device
 * interrupt forwarded by a parked CPU, console input and a peer's rings (a
 * doorbell page, a PCI function), another vCPU stopping the VM; and a
 * restart that fails while a vCPU would start.
 * Each CPU is simulated (sim_cpus.h) and every schedule with up to two
 * preemptions is run; a preemption can fall at any lock acquisition, shared
 * read (READ_ONCE) or atomic of the code under test, the points where the
 * old code checked the VM's state and acted on it later. The fake spinlock
 * also checks the lock rule where the code states it (spin_assert_held).
 * After each run the VM must be whole: no vCPU ran it while the restart
 * rewrote it, and what was injected is all in the old life (wiped) or all
 * in the new one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <tessera/types.h>

#include "fake_spinlock.h"
#include "sim_cpus.h"

/* Every shared read and atomic of the code under test is a race point. */
#include <tessera/compiler.h>
#undef READ_ONCE
#define READ_ONCE(x) (*(sim_race_point(), (const volatile __typeof__(x) *)&(x)))
#define __atomic_load_n(p, o) (sim_race_point(), __atomic_load_n(p, o))
#define __atomic_store_n(p, v, o) (sim_race_point(), __atomic_store_n(p, v, o))
#define __atomic_add_fetch(p, v, o) (sim_race_point(), __atomic_add_fetch(p, v, o))
#define __atomic_sub_fetch(p, v, o) (sim_race_point(), __atomic_sub_fetch(p, v, o))

/* System registers: the running simulated CPU's block, a counter, the GIC's priority drop. */
#include <arch/sysregs.h>
#undef read_sysreg
#undef write_sysreg
#undef isb
#undef dsb
#undef wfi
#define read_sysreg(reg) fake_read_sysreg(#reg)
#define write_sysreg(reg, v) fake_write_sysreg(#reg, (u64)(v))
#define isb() ((void)0)
#define dsb(opt) ((void)0)
#define wfi() ((void)0)
static u64 fake_read_sysreg(const char *name);
static void fake_write_sysreg(const char *name, u64 value);

#include "fake_ich.h"

#include "../../hyp/core/emul.c"
/* vgic.c builds the distributor's register index (vgic_dist.c, not under test here). */
void vgicd_index_init(void);
void vgicd_index_init(void)
{
}
#include "../../hyp/virt/vgic.c"
/* i11-level moves HW-backed injection into vgic_hw.c; once merged, drop the #if. */
#include "../../hyp/virt/vgic_hw.c"
#include "../../hyp/core/device.c"
#include "../../hyp/virt/vpl011.c"
#include "../../hyp/virt/vpci.c"
#include "../../hyp/core/vm_lifecycle.c"
#include "fake_ich.c"

#define DEVICE_SPI 40
#define DOORBELL_SPI 48
#define PCI_SPI 49
#define ENTRY 0x40080000ULL

struct cpu cpus[PLATFORM_MAX_CPUS];
struct platform platform;

static struct vm *vm;
static struct vm_config cfg;
static const char *scenario;
static bool rewritten;                    /* the restart has begun rewriting the VM (vm_load) */
static bool load_fails;                   /* vm_load reports the guest DT no longer fits */
static bool running_guest[FAKE_CPUS];     /* between its entry and its CPU parking */
static unsigned int entries[FAKE_CPUS];   /* guest entries this run */
enum guest_action { GUEST_RUNS, GUEST_RESETS, GUEST_FAULTS };
static enum guest_action action[FAKE_CPUS]; /* on its first entry */
static bool phys_acked;                   /* the device SPI, acknowledged by CPU 0 */
static unsigned int phys_ack_record;      /* fake_deactivated_count when it was */
static unsigned int priority_drops, eois;
static struct spinlock console_lock;
static bool rx_pending; /* input waits for the VM (console.c's ring, in short) */
static struct vpci pci; /* the VM's end of a PCI channel */

#define FAIL(...)                                                                          \
	fail_msg("%s, preempted at race points %d and %d: %s", scenario, (int)sim_preempt[0], \
		 (int)sim_preempt[1], __VA_ARGS__)

static u64 fake_read_sysreg(const char *name)
{
	if (!strcmp(name, "tpidr_el2"))
		return (u64)(uintptr_t)&cpus[sim_current];
	return 1000; /* cntpct_el0: any time */
}

static void fake_write_sysreg(const char *name, u64 value)
{
	(void)value;
	/* gic_priority_drop: ICC_EOIR1_EL1, by its encoding or (after i11-fakearch) its name. */
	if (!strcmp(name, "S3_0_C12_C12_1") || !strcmp(name, "icc_eoir1_el1"))
		priority_drops++;
}

/* ---- the physical GIC, for the device SPI */

static bool phys_active(void)
{
	if (!phys_acked || eois)
		return false;
	for (unsigned int k = phys_ack_record; k < fake_deactivated_count; k++)
		if (fake_deactivated[k] == DEVICE_SPI)
			return false; /* gic_clear_active_spi (devices_vm_reset) */
	return true;
}

bool gic_spi_active(u32 intid)
{
	assert_int_equal(intid, DEVICE_SPI);
	return phys_active();
}

void gic_eoi(u32 intid)
{
	assert_int_equal(intid, DEVICE_SPI);
	priority_drops++;
	eois++;
}

void gic_disable_spi(u32 intid) { (void)intid; }
void gic_set_spi_trigger(u32 intid, bool edge) { (void)intid; (void)edge; }
void gic_enable_spi(u32 intid, u64 mpidr) { (void)intid; (void)mpidr; }
bool gic_spi_implemented(u32 intid) { (void)intid; return true; }
int pt_map(struct pgtable *pt, u64 va, u64 pa, u64 size, unsigned int prot)
{
	(void)pt; (void)va; (void)pa; (void)size; (void)prot;
	return 0;
}
int iommu_attach_device(struct vm *v, const void *fdt, int node) { (void)v; (void)fdt; (void)node; return 0; }
int tegra_mc_fence_device(const struct platform *p, const struct platform_device *d, char *e, size_t n) { (void)p; (void)d; (void)e; (void)n; return 0; }
static bool dma_open; /* the VM's DMA: blocked by iommu_vm_stop, let through by iommu_vm_start */
void iommu_vm_stop(struct vm *v) { (void)v; dma_open = false; }
void iommu_vm_start(struct vm *v) { (void)v; dma_open = true; }
void psci_system_off(void) { FAIL("the machine was powered off"); }
void printk(const char *fmt, ...) { (void)fmt; }

/* ---- the console: input for the VM, behind its lock as in console.c */

bool console_vm_rx_pending(struct vm *v)
{
	bool r;

	(void)v;
	spin_lock(&console_lock);
	r = rx_pending;
	spin_unlock(&console_lock);
	return r;
}

void console_vm_reset(struct vm *v)
{
	(void)v;
	spin_lock(&console_lock);
	rx_pending = false; /* typed for the old run: not for the new one */
	spin_unlock(&console_lock);
}

void console_vm_flush(struct vm *v) { (void)v; }
void console_flush(void) {}

/* channel.c: the VM's one PCI channel end. */
void channels_vm_reset(struct vm *v)
{
	if (pci.vm == v)
		vpci_reset(&pci);
}
static unsigned int peer_notes; /* channels_notify_peers() calls this run */
void channels_notify_peers(struct vm *v) { (void)v; peer_notes++; }
/* vbpmp.c: this VM has no virtual BPMP (test_vbpmp covers its restart). */
void vbpmp_vm_reset(struct vm *v) { (void)v; }
void vbpmp_vm_stop(struct vm *v) { (void)v; }
/* vnet.c: whether the VM's network devices may still write into its memory. */
static bool net_live;
void vnet_vm_stop(struct vm *v) { (void)v; net_live = false; }
void vnet_vm_reset(struct vm *v) { (void)v; net_live = true; }
void vwdt_reset(struct vwdt *w) { (void)w; }
void vwdt_stop(struct vwdt *w) { (void)w; }
bool console_vm_rx_ready(struct vm *v) { return console_vm_rx_pending(v); }
int console_vm_getc(struct vm *v) { (void)v; return -1; }
void console_vm_putc(struct vm *v, char c) { (void)v; (void)c; }

/* ---- CPUs: messages, parking (cpu.c's loop), a guest, the restart's reload */

void cpu_send_msg(unsigned int index, u32 msg)
{
	__atomic_fetch_or(&cpus[index].msgs, msg, __ATOMIC_RELEASE);
}

/* The restart rewrites the VM here: every other vCPU must be out of it. */
int vm_load(struct vm *v)
{
	for (unsigned int i = 0; i < v->vcpu_count; i++)
		if (running_guest[i] && &v->vcpus[i] != this_cpu()->vcpu)
			FAIL("the restart rewrote the VM while another vCPU ran it");
	if (net_live)
		FAIL("the restart rewrote the VM while its network devices could write into it");
	rewritten = true;
	return load_fails;
}

static void __attribute__((noreturn)) guest(struct vcpu *vcpu);
static bool stop_asked; /* vm_request_stop() was called this run */

/* cpu.c's park loop: the vCPU starts when it may, else the CPU waits for a message. */
void cpu_park(void)
{
	struct cpu *cpu = this_cpu();

	if (cpu->vcpu) {
		__atomic_store_n(&cpu->vcpu->in_guest, false, __ATOMIC_RELEASE);
		running_guest[cpu->vcpu->index] = false;
	}
	for (;;) {
		if (cpu->vcpu)
			vcpu_try_start(cpu->vcpu);
		sim_wait_msg(&cpu->msgs);
		__atomic_exchange_n(&cpu->msgs, 0, __ATOMIC_ACQUIRE);
	}
}

/* No bandwidth budget here (core/bwreg.c: test_bwreg). */
void bwreg_vcpu_start(void)
{
}

void vcpu_arch_enter(struct vcpu *vcpu, u64 entry, u64 x0)
{
	(void)x0;
	/* A stop asked from outside may land between the decision and here: the vCPU then parks on its message. */
	if (rewritten && (load_fails || (vm->state != VM_RUNNING && !(stop_asked && vm->state == VM_STOPPED))))
		FAIL("a vCPU entered the VM while a restart rewrote it, or after the restart failed");
	if (!vcpu->powered_on || entry != vcpu->start_pc)
		FAIL("a vCPU entered a life in which it is not on");
	running_guest[vcpu->index] = true;
	entries[vcpu->index]++;
	guest(vcpu);
}

/* The guest runs; an IRQ brings it to EL2 for each message (cpu_handle_msgs). */
static void guest(struct vcpu *vcpu)
{
	struct cpu *cpu = &cpus[vcpu->pcpu];

	enum guest_action what = action[vcpu->index];

	action[vcpu->index] = GUEST_RUNS;
	if (what == GUEST_RESETS)
		vm_reset(vm); /* PSCI SYSTEM_RESET, trapped */
	if (what == GUEST_FAULTS) {
		vm_event(vm, VM_EVENT_FAULT, "guest fault"); /* fault.c: its on-fault policy */
		cpu_park();
	}
	for (;;) {
		u32 msgs;

		sim_wait_msg(&cpu->msgs);
		msgs = __atomic_exchange_n(&cpu->msgs, 0, __ATOMIC_ACQUIRE);
		if ((msgs & CPU_MSG_STOP) && READ_ONCE(vm->state) != VM_RUNNING)
			cpu_park();
	}
}

/* ---- the VM and the checks */

static void resumed(void)
{
	fake_ich_cpu = sim_current;
}

/* @nr_vcpus vCPUs on CPUs 0.., running; vCPU i on when @on has bit i, in its guest when @in has. */
static void vm_setup(unsigned int nr_vcpus, unsigned int on, unsigned int in)
{
	vm = fake_vm_create(nr_vcpus);
	net_live = true; /* a running VM's network devices take frames */
	memset(cpus, 0, sizeof(cpus));
	memset(&cfg, 0, sizeof(cfg));
	cfg.device_count = 1;
	cfg.devices[0].hw.irq_count = 1;
	cfg.devices[0].hw.intid[0] = DEVICE_SPI;
	irq_owner[DEVICE_SPI] = vm;
	cfg.policy[VM_EVENT_SYSTEM_RESET] = VM_ACTION_RESTART; /* config_policy.c's defaults */
	cfg.policy[VM_EVENT_FAULT] = cfg.policy[VM_EVENT_WATCHDOG] = VM_ACTION_STOP;
	cfg.policy[VM_EVENT_SYSTEM_OFF] = VM_ACTION_STOP;
	vm->cfg = &cfg;
	vm->entry = ENTRY;
	vm->state = VM_RUNNING;
	vms_running = 1;
	vpl011_init(&vm->vuart, vm);
	for (unsigned int i = 0; i < FAKE_CPUS; i++) {
		cpus[i].index = i;
		running_guest[i] = false;
		entries[i] = 0;
		action[i] = GUEST_RUNS;
	}
	for (unsigned int i = 0; i < nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		cpus[i].vcpu = v;
		v->powered_on = on & (1u << i);
		v->start_pc = ENTRY;
		v->in_guest = running_guest[i] = in & (1u << i);
	}
	memset(&console_lock, 0, sizeof(console_lock));
	rewritten = phys_acked = rx_pending = load_fails = stop_asked = false;
	priority_drops = eois = peer_notes = 0;
	dma_open = true;
	sim_resumed = resumed;
}

/* After a run: restarted once, vCPU 0 running the new life, nothing held. */
static void check_restarted(void)
{
	if (vm->state != VM_RUNNING || vm->restart_count != 1)
		FAIL("the VM did not come back running");
	if (!running_guest[0])
		FAIL("vCPU 0 does not run the new life");
	for (unsigned int i = 1; i < vm->vcpu_count; i++)
		if (vm->vcpus[i].powered_on || running_guest[i])
			FAIL("a secondary vCPU is on after the restart");
	assert_int_equal(vm->lock.held, 0);
	assert_int_equal(vm->vgic.lock.held, 0);
	assert_int_equal(console_lock.held, 0);
}

/* Every queued INTID has delivery work: an LR to update, or deliverable. */
static void check_queues(void)
{
	for (unsigned int v = 0; v < vm->vcpu_count; v++) {
		struct vcpu *vcpu = &vm->vcpus[v];

		for (u32 intid = 0; intid < VGIC_MAX_IRQS; intid++) {
			struct vgic_irq *irq;

			if (!(vcpu->vgic.queued[intid / 32] & (1u << (intid % 32))))
				continue;
			irq = vgic_get_irq(vm, vcpu, intid);
			if (!irq || (irq->lr == VGIC_NO_LR && !irq_deliverable(vm, irq)))
				FAIL("an INTID is queued with nothing to deliver");
		}
	}
}

/* ---- scenario: vCPU 1 starts (CPU_ON was done) while vCPU 0 restarts the VM */

static void cpu_restarting(unsigned int cpu)
{
	(void)cpu;
	action[0] = GUEST_RESETS;
	guest(&vm->vcpus[0]);
}

static void cpu_parked(unsigned int cpu)
{
	(void)cpu;
	cpu_park();
}

static void setup_start_vs_restart(void)
{
	vm_setup(2, 0x3, 0x1);
	sim_add_cpu(0, cpu_restarting);
	sim_add_cpu(1, cpu_parked);
}

static void check_start_vs_restart(void)
{
	check_restarted();
	check_queues();
}

static void test_vcpu_start_vs_restart(void **state)
{
	(void)state;
	scenario = "vCPU 1 starting while vCPU 0 restarts";
	printf("  %u schedules\n", sim_explore(setup_start_vs_restart, check_start_vs_restart));
}

/* ---- scenario: a device SPI forwarded by CPU 0 (vCPU 0 off, parked) while vCPU 1 restarts */

static void cpu_forwarding(unsigned int cpu)
{
	(void)cpu;
	phys_acked = true; /* gic_ack: active at the GIC, running priority raised */
	phys_ack_record = fake_deactivated_count;
	assert_true(device_irq_forward(DEVICE_SPI));
	cpu_park();
}

static void cpu1_restarting(unsigned int cpu)
{
	(void)cpu;
	action[1] = GUEST_RESETS;
	guest(&vm->vcpus[1]);
}

static void setup_forward_vs_restart(void)
{
	vm_setup(2, 0x2, 0x2);
	sim_add_cpu(0, cpu_forwarding);
	sim_add_cpu(1, cpu1_restarting);
}

static void check_forward_vs_restart(void)
{
	struct vgic_irq *irq = vgic_get_irq(vm, NULL, DEVICE_SPI);
	bool pended = irq->hw && (irq->pending_latch || irq->lr != VGIC_NO_LR);

	check_restarted();
	check_queues();
	if (priority_drops != 1)
		FAIL("the acknowledged SPI's priority was not dropped exactly once");
	/* Pending with the HW bit exactly when active at the GIC: else the guest's EOI deactivates nothing, or it stays active for ever. */
	if (pended != phys_active())
		FAIL(pended ? "the new life has the SPI pending but the GIC has it inactive"
			    : "the SPI stays active at the GIC with nothing in the VM to deactivate it");
}

static void test_device_forward_vs_restart(void **state)
{
	(void)state;
	scenario = "device SPI forwarded by a parked CPU while the VM restarts";
	printf("  %u schedules\n", sim_explore(setup_forward_vs_restart, check_forward_vs_restart));
}

/* ---- scenario: peers ring the VM (a doorbell page, a PCI function) and console input arrives, while it restarts */

static void cpu_peer_and_console(unsigned int cpu)
{
	(void)cpu;
	vgic_inject(vm, NULL, DOORBELL_SPI); /* channel.c's ring_peer */
	vpci_raise(&pci);
	/* console.c: deliver() under the console lock, then unlock_and_notify(). */
	spin_lock(&console_lock);
	if (READ_ONCE(vm->state) == VM_RUNNING)
		rx_pending = true;
	spin_unlock(&console_lock);
	vpl011_update_irq(&vm->vuart);
}

static void setup_input_vs_restart(void)
{
	struct vgic_irq *irq;

	vm_setup(1, 0x1, 0x1);
	cpus[1].vcpu = NULL; /* the console's CPU, another VM's */
	vm->vuart.imsc = UART_RXI | UART_RTI; /* the old life's driver wants receive interrupts */
	vm->vgic.enabled_grp1 = true;
	irq = vgic_get_irq(vm, NULL, DOORBELL_SPI);
	irq->enabled = true;
	irq->edge = true;
	vpci_init(&pci, vm, PCI_SPI, 0x50000000, SZ_4K, false, NULL, NULL);
	pci.command = CMD_MEMORY; /* the old life's driver enabled it */
	sim_add_cpu(0, cpu_restarting);
	sim_add_cpu(1, cpu_peer_and_console);
}

static void check_input_vs_restart(void)
{
	bool level = (raw_status(&vm->vuart) & vm->vuart.imsc) != 0;

	check_restarted();
	check_queues();
	if (vgic_get_irq(vm, NULL, VPL011_INTID)->line_level != level)
		FAIL("the vUART's line in the vGIC disagrees with the vUART");
	if (vgic_get_irq(vm, NULL, DOORBELL_SPI)->enabled)
		FAIL("the doorbell SPI kept the old life's enable");
	/* INTx follows the function's state (PCI 3.0 2.2.6), in whichever life the ring landed. */
	if (vgic_get_irq(vm, NULL, PCI_SPI)->line_level != (pci.pending && !(pci.command & CMD_INTX_DISABLE)))
		FAIL("the PCI function's INTx line in the vGIC disagrees with the function");
	if (pci.command)
		FAIL("the PCI function kept the old life's Command register");
}

static void test_input_vs_restart(void **state)
{
	(void)state;
	scenario = "doorbell, PCI ring and console input while the VM restarts";
	printf("  %u schedules\n", sim_explore(setup_input_vs_restart, check_input_vs_restart));
}

/* ---- scenario: vCPU 1 stops the VM (a fault, policy stop) while vCPU 0 restarts it */

static void cpu1_faulting(unsigned int cpu)
{
	(void)cpu;
	action[1] = GUEST_FAULTS;
	guest(&vm->vcpus[1]);
}

static void setup_stop_vs_restart(void)
{
	vm_setup(2, 0x3, 0x3);
	vms_running = 2; /* another VM runs on: no power-off */
	sim_add_cpu(0, cpu_restarting);
	sim_add_cpu(1, cpu1_faulting);
}

/* One of the two wins whole: stopped with every vCPU parked, or restarted. */
static void check_stop_vs_restart(void)
{
	if (vm->state == VM_STOPPED) {
		for (unsigned int i = 0; i < vm->vcpu_count; i++)
			if (running_guest[i] || vm->vcpus[i].in_guest)
				FAIL("a vCPU runs a stopped VM");
		if (vm->restart_count || vms_running != 1)
			FAIL("the stop was not whole");
	} else {
		check_restarted();
		if (vms_running != 2)
			FAIL("a restarted VM was counted as stopped");
	}
	check_queues();
}

static void test_stop_vs_restart(void **state)
{
	(void)state;
	scenario = "vCPU 1 stopping the VM while vCPU 0 restarts it";
	printf("  %u schedules\n", sim_explore(setup_stop_vs_restart, check_stop_vs_restart));
}

/* ---- scenario: the restart fails (its DT no longer fits) while vCPU 1 would start */

static void setup_failed_restart(void)
{
	vm_setup(2, 0x3, 0x1);
	vms_running = 2;
	load_fails = true;
	sim_add_cpu(0, cpu_restarting);
	sim_add_cpu(1, cpu_parked);
}

static void check_failed_restart(void)
{
	if (vm->state != VM_STOPPED || vms_running != 1)
		FAIL("a VM whose restart failed is not stopped");
	for (unsigned int i = 0; i < vm->vcpu_count; i++)
		if (running_guest[i])
			FAIL("a vCPU runs a VM whose restart failed");
}

static void test_failed_restart(void **state)
{
	(void)state;
	scenario = "a failed restart while vCPU 1 starts";
	printf("  %u schedules\n", sim_explore(setup_failed_restart, check_failed_restart));
}

/* ---- scenario: the console's CPU (no vCPU of this VM) restarts it while vCPU 1 faults (stop) */

static int request_rc;

static void cpu_console_restarting(unsigned int cpu)
{
	(void)cpu;
	request_rc = vm_request_restart(vm, VM_EVENT_CONSOLE);
}

static void cpu0_running(unsigned int cpu)
{
	(void)cpu;
	guest(&vm->vcpus[0]);
}

static void setup_remote_restart_vs_fault(void)
{
	vm_setup(2, 0x3, 0x3);
	vms_running = 2;
	request_rc = 1;
	sim_add_cpu(0, cpu0_running);
	sim_add_cpu(1, cpu1_faulting);
	sim_add_cpu(2, cpu_console_restarting);
}

/* Whoever came first wins whole, and the request says which. */
static void check_remote_restart_vs_fault(void)
{
	if (request_rc == VM_CONTROL_OK) {
		check_restarted();
		if (vms_running != 2 || peer_notes != 1)
			FAIL("a restart asked from outside left the VM counted stopped or its peers untold");
	} else {
		if (request_rc != VM_CONTROL_ESTATE || vm->state != VM_STOPPED || vm->restart_count)
			FAIL("a refused restart changed the VM, or a stopped VM's restart was not refused");
		for (unsigned int i = 0; i < vm->vcpu_count; i++)
			if (running_guest[i] || vm->vcpus[i].in_guest)
				FAIL("a vCPU runs a stopped VM");
		if (vms_running != 1 || dma_open)
			FAIL("the stop was not counted, or the stopped VM's DMA flows");
	}
	check_queues();
}

static void test_remote_restart_vs_fault(void **state)
{
	(void)state;
	scenario = "the console restarting the VM while vCPU 1 faults";
	printf("  %u schedules\n", sim_explore(setup_remote_restart_vs_fault, check_remote_restart_vs_fault));
}

/* ---- scenario: a stopped VM started from one CPU while another asks it to stop */

static int stop_rc;

static void cpu_console_starting(unsigned int cpu)
{
	(void)cpu;
	request_rc = vm_request_start(vm, VM_EVENT_CONSOLE);
}

static void cpu_manager_stopping(unsigned int cpu)
{
	(void)cpu;
	stop_asked = true;
	stop_rc = vm_request_stop(vm, VM_EVENT_MANAGER);
}

static void setup_start_vs_stop(void)
{
	vm_setup(2, 0x1, 0x0);
	vm->state = VM_STOPPED;
	dma_open = false; /* as vm_halted left it */
	vms_running = 1; /* the other VM */
	request_rc = stop_rc = 1;
	sim_add_cpu(0, cpu_parked);
	sim_add_cpu(1, cpu_parked);
	sim_add_cpu(2, cpu_console_starting);
	sim_add_cpu(3, cpu_manager_stopping);
}

static void check_start_vs_stop(void)
{
	if (request_rc != VM_CONTROL_OK)
		FAIL("starting a stopped VM was refused");
	if (vm->state == VM_STOPPED) {
		if (stop_rc != VM_CONTROL_OK || vms_running != 1 || dma_open)
			FAIL("stopped without a stop that succeeded, counted running, or its DMA flows");
		for (unsigned int i = 0; i < vm->vcpu_count; i++)
			if (running_guest[i] || vm->vcpus[i].in_guest)
				FAIL("a vCPU runs a stopped VM");
	} else {
		/* The stop came first (ESTATE) or while the rebuild was under way (ESTATE). */
		if (stop_rc != VM_CONTROL_ESTATE || vms_running != 2)
			FAIL("running after a stop that succeeded, or not counted running");
		check_restarted();
	}
	assert_int_equal(vm->lock.held, 0);
}

static void test_start_vs_stop(void **state)
{
	(void)state;
	scenario = "a stopped VM started while another CPU stops it";
	printf("  %u schedules\n", sim_explore(setup_start_vs_stop, check_start_vs_stop));
}

/* ---- scenario: a policy restart waits out its back-off; a stop meanwhile cancels it */

static void cpu0_faulting_policy(unsigned int cpu)
{
	(void)cpu;
	action[0] = GUEST_FAULTS;
	guest(&vm->vcpus[0]);
}

static void setup_backoff_vs_stop(void)
{
	vm_setup(1, 0x1, 0x1);
	cfg.policy[VM_EVENT_FAULT] = VM_ACTION_RESTART;
	cfg.restart_backoff_ms = 1; /* the fake counter never reaches it: only a stop ends the wait */
	vms_running = 2;
	stop_rc = 1;
	sim_add_cpu(0, cpu0_faulting_policy);
	sim_add_cpu(2, cpu_manager_stopping);
}

/* Before the fault, or during the back-off: the stop succeeds, the VM stays stopped, never rebuilt. */
static void check_backoff_vs_stop(void)
{
	if (stop_rc != VM_CONTROL_OK)
		FAIL("a stop during a restart's back-off was refused");
	if (vm->state != VM_STOPPED || vm->restart_count || rewritten || vms_running != 1 || dma_open)
		FAIL("the VM was rebuilt after the stop, or the stop was not whole");
	if (running_guest[0] || vm->vcpus[0].in_guest)
		FAIL("a vCPU runs a stopped VM");
	assert_int_equal(vm->lock.held, 0);
}

static void test_backoff_vs_stop(void **state)
{
	(void)state;
	scenario = "a stop while a policy restart waits out its back-off";
	printf("  %u schedules\n", sim_explore(setup_backoff_vs_stop, check_backoff_vs_stop));
}

/* ---- a VM's own vCPU may not act on it from outside (it has PSCI) */

static void test_self_refused(void **state)
{
	(void)state;
	vm_setup(1, 0x1, 0x1);
	vms_running = 2; /* another VM runs on: no power-off */
	scenario = "the VM's own CPU asking";
	sim_current = 0; /* this CPU: vCPU 0's */
	assert_int_equal(vm_request_restart(vm, VM_EVENT_MANAGER), VM_CONTROL_ESELF);
	assert_int_equal(vm_request_stop(vm, VM_EVENT_MANAGER), VM_CONTROL_ESELF);
	assert_int_equal(vm->state, VM_RUNNING);
	assert_int_equal(vm_request_start(vm, VM_EVENT_MANAGER), VM_CONTROL_ESELF);
	/* The console may: this CPU is told like the others, and parks on the message. */
	assert_int_equal(vm_request_stop(vm, VM_EVENT_CONSOLE), VM_CONTROL_OK);
	assert_int_equal(vm->state, VM_STOPPED);
	assert_true(cpus[0].msgs & CPU_MSG_STOP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vcpu_start_vs_restart),
		cmocka_unit_test(test_device_forward_vs_restart),
		cmocka_unit_test(test_input_vs_restart),
		cmocka_unit_test(test_stop_vs_restart),
		cmocka_unit_test(test_failed_restart),
		cmocka_unit_test(test_remote_restart_vs_fault),
		cmocka_unit_test(test_start_vs_stop),
		cmocka_unit_test(test_backoff_vs_stop),
		cmocka_unit_test(test_self_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
