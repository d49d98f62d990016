/* Physical CPUs: bring-up, cross-CPU messages, parking. */
#include <arch/vcpu.h>
#include <drivers/gicv3.h>
#include <drivers/psci.h>
#include <stddef.h>
#include <tessera/bwreg.h>
#include <tessera/console.h>
#include <tessera/device.h>
#include <tessera/cpu.h>
#include <tessera/irq.h>
#include <tessera/vm.h>

_Static_assert(sizeof(struct cpu) == CPU_STRUCT_SIZE, "arch/cpu_regs.h CPU_STRUCT_SIZE");
_Static_assert(offsetof(struct cpu, guest) == CPU_STACK_SIZE, "guest frame at the stack top");
_Static_assert(sizeof(struct guest_regs) == GREGS_SIZE, "arch/cpu_regs.h GREGS_SIZE");
_Static_assert(offsetof(struct guest_regs, elr) == GREGS_ELR, "GREGS_ELR");
_Static_assert(offsetof(struct guest_regs, spsr) == GREGS_SPSR, "GREGS_SPSR");

struct cpu cpus[PLATFORM_MAX_CPUS];

void cpus_start_secondaries(unsigned int boot_cpu)
{
	for (unsigned int i = 0; i < platform.cpu_count; i++) {
		long rc;

		if (i == boot_cpu)
			continue;
		rc = psci_cpu_on(platform.cpu_mpidr[i], (u64)secondary_entry, i);
		if (rc != PSCI_RET_SUCCESS)
			printk("tessera: CPU %u (MPIDR 0x%llx) did not start: PSCI error %ld\n", i,
			       (unsigned long long)platform.cpu_mpidr[i], rc);
	}
}

void cpu_send_msg(unsigned int index, u32 msg)
{
	__atomic_fetch_or(&cpus[index].msgs, msg, __ATOMIC_RELEASE);
	gic_send_sgi(index, SGI_CPU_MSG);
}

void cpu_kick_vcpu(struct vcpu *vcpu)
{
	/* On its own CPU the exit path flushes anyway. */
	if (vcpu->pcpu != this_cpu()->index)
		cpu_send_msg(vcpu->pcpu, CPU_MSG_VGIC);
}

/* In the guest's context (an IRQ taken from it): only a stopped VM needs action here. */
void cpu_handle_msgs(void)
{
	struct cpu *cpu = this_cpu();
	u32 msgs = __atomic_exchange_n(&cpu->msgs, 0, __ATOMIC_ACQUIRE);

	/*
	 * Unlocked read (tessera/vm.h): the sender changed the state before
	 * posting the message (release, acquired above), and a restart waits
	 * for this CPU to park before it can make the VM run again.
	 */
	if ((msgs & CPU_MSG_STOP) && cpu->vcpu && READ_ONCE(cpu->vcpu->vm->state) != VM_RUNNING)
		cpu_park();
	/* CPU_MSG_VGIC: the exit path's vgic_flush() does the work. */
}

void cpu_park(void)
{
	struct cpu *cpu = this_cpu();

	/* The guest's timers must not keep interrupting an idle CPU; nor the regulator's. */
	bwreg_cpu_park();
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
	if (cpu->vcpu)
		__atomic_store_n(&cpu->vcpu->in_guest, false, __ATOMIC_RELEASE);
	for (;;) {
		/* Parked: the vCPU starts when it is powered on in a running VM (PSCI CPU_ON, VM restart). */
		if (cpu->vcpu)
			vcpu_try_start(cpu->vcpu);
		wfi();
		(void)irq_dispatch(false);
	}
}

/*
 * Every CPU, on every entry (the boot CPU once it has built the machine,
 * the others from PSCI CPU_ON): EL2 state from scratch, then the GIC.
 */
void cpu_main(unsigned int index) __noreturn;
void cpu_main(unsigned int index)
{
	struct cpu *cpu = this_cpu();

	cpu->index = index;
	cpu->mpidr = platform.cpu_mpidr[index];
	cpu_init_el2();
	if (gic_cpu_init(&platform, cpu->mpidr))
		printk("tessera: CPU %u: no GIC redistributor for MPIDR 0x%llx\n", index,
		       (unsigned long long)cpu->mpidr);
	irq_cpu_init(cpu->vcpu != NULL);
	bwreg_cpu_init(); /* after the GIC: it may enable the PMU's PPI */
	cpu_park(); /* starts the vCPU at once when it is powered on */
}
