/* Physical CPUs: bring-up, cross-CPU messages, parking. */
#include <arch/vcpu.h>
#include <drivers/gicv3.h>
#include <drivers/psci.h>
#include <stddef.h>
#include <tessera/console.h>
#include <tessera/cpu.h>
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
	gic_send_sgi(platform.cpu_mpidr[index], SGI_CPU_MSG);
}

void cpu_handle_msgs(void)
{
	struct cpu *cpu = this_cpu();
	u32 msgs = __atomic_exchange_n(&cpu->msgs, 0, __ATOMIC_ACQUIRE);

	if ((msgs & CPU_MSG_STOP) && cpu->vcpu && READ_ONCE(cpu->vcpu->vm->state) != VM_RUNNING)
		cpu_park();
}

void cpu_park(void)
{
	for (;;) {
		u32 intid;

		wfi();
		intid = gic_ack();
		if (intid == GIC_INTID_SPURIOUS)
			continue;
		gic_eoi(intid);
		if (intid == SGI_CPU_MSG)
			__atomic_exchange_n(&this_cpu()->msgs, 0, __ATOMIC_ACQUIRE);
	}
}

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
	if (cpu->vcpu)
		vcpu_start(cpu->vcpu);
	cpu_park();
}
