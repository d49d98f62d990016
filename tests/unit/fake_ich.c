/* Host fakes for the vGIC; see fake_ich.h. */
#include <string.h>

#include <drivers/gicv3.h>
#include <drivers/gicv3_vcpuif.h>
#include <virt/vgic.h>

#include "fake_ich.h"

struct fake_ich_cpu fake_ich[FAKE_CPUS];
unsigned int fake_ich_cpu;
unsigned int fake_ich_nr_lrs = 4;
u32 fake_deactivated[FAKE_MAX_RECORDS];
unsigned int fake_deactivated_count;
unsigned int fake_kicks[PLATFORM_MAX_CPUS];

static struct vm fake_vm;

static int fake_vm_lock_held(void)
{
	return fake_vm.vgic.lock.held;
}

static struct fake_ich_cpu *cur(void)
{
	assert_true(fake_ich_cpu < FAKE_CPUS);
	return &fake_ich[fake_ich_cpu];
}

unsigned int ich_nr_lrs(void)
{
	return fake_ich_nr_lrs;
}

u64 ich_read_lr(unsigned int n)
{
	assert_true(n < fake_ich_nr_lrs);
	return cur()->lr[n];
}

void ich_write_lr(unsigned int n, u64 value)
{
	assert_true(n < fake_ich_nr_lrs);
	cur()->lr[n] = value;
}

/* IHI 0069H 12.4.5: an invalid LR with HW = 0 and EOI = 1 is not empty until handled. */
static bool lr_awaits_eoi_maintenance(u64 lr)
{
	return !(lr & ICH_LR_STATE_MASK) && !(lr & ICH_LR_HW) && (lr & ICH_LR_EOI);
}

u32 ich_elrsr(void)
{
	u32 empty = 0;

	for (unsigned int n = 0; n < fake_ich_nr_lrs; n++)
		if (!(cur()->lr[n] & ICH_LR_STATE_MASK) && !lr_awaits_eoi_maintenance(cur()->lr[n]))
			empty |= 1u << n;
	return empty;
}

u32 ich_eisr(void)
{
	u32 eisr = 0;

	for (unsigned int n = 0; n < fake_ich_nr_lrs; n++)
		if (lr_awaits_eoi_maintenance(cur()->lr[n]))
			eisr |= 1u << n;
	return eisr;
}

u64 ich_read_hcr(void)
{
	return cur()->hcr;
}

void ich_write_hcr(u64 value)
{
	cur()->hcr = value;
}

u64 ich_read_vmcr(void)
{
	return cur()->vmcr;
}

void ich_write_vmcr(u64 value)
{
	cur()->vmcr = value;
}

void ich_write_ap1r0(u64 value)
{
	cur()->ap1r0 = value;
}

void gic_deactivate(u32 intid)
{
	assert_true(fake_deactivated_count < FAKE_MAX_RECORDS);
	fake_deactivated[fake_deactivated_count++] = intid;
}

/* Recorded with gic_deactivate(): both end a physical interrupt's active state. */
void gic_clear_active_spi(u32 intid)
{
	gic_deactivate(intid);
}

bool fake_line_low[VGIC_MAX_IRQS];
int fake_phys_latch[VGIC_MAX_IRQS];

/* The vGIC reaches the physical side under the VM's vGIC lock. */
static void assert_vgic_locked(void)
{
	assert_int_equal(fake_vm_lock_held(), 1);
}

bool irq_hw_line(const struct vcpu *vcpu, u32 pintid)
{
	(void)vcpu;
	assert_true(pintid < VGIC_MAX_IRQS);
	assert_vgic_locked();
	return !fake_line_low[pintid];
}

void irq_hw_set_pending(const struct vcpu *vcpu, u32 pintid, bool pending)
{
	(void)vcpu;
	assert_true(pintid < VGIC_MAX_IRQS);
	assert_vgic_locked();
	fake_phys_latch[pintid] = pending;
}

void irq_hw_deactivate(const struct vcpu *vcpu, u32 pintid)
{
	(void)vcpu;
	assert_vgic_locked();
	gic_deactivate(pintid);
}

void cpu_kick_vcpu(struct vcpu *vcpu)
{
	/* vgic_irq_changed() runs under the VM's vGIC lock, and so do its kicks. */
	assert_int_equal(vcpu->vm->vgic.lock.held, 1);
	assert_true(vcpu->index < PLATFORM_MAX_CPUS);
	fake_kicks[vcpu->index]++;
}

void fake_ich_reset(void)
{
	memset(fake_ich, 0, sizeof(fake_ich));
	fake_ich_cpu = 0;
	fake_ich_nr_lrs = 4;
	memset(fake_deactivated, 0, sizeof(fake_deactivated));
	fake_deactivated_count = 0;
	memset(fake_kicks, 0, sizeof(fake_kicks));
	memset(fake_line_low, 0, sizeof(fake_line_low));
	for (unsigned int i = 0; i < VGIC_MAX_IRQS; i++)
		fake_phys_latch[i] = -1;
}

struct vm *fake_vm_create(unsigned int nr_vcpus)
{
	struct vm *vm = &fake_vm;

	assert_true(nr_vcpus >= 1 && nr_vcpus <= FAKE_CPUS);
	fake_ich_reset();
	memset(vm, 0, sizeof(*vm));
	vm->name = "fake";
	vm->vcpu_count = nr_vcpus;
	for (unsigned int i = 0; i < nr_vcpus; i++) {
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].index = i;
		vm->vcpus[i].pcpu = i;
	}
	vgic_init_vm(vm, 0x08000000, 0x080a0000, VGIC_MIN_IRQS);
	for (unsigned int i = 0; i < nr_vcpus; i++) {
		fake_ich_cpu = i;
		vgic_cpu_enter(&vm->vcpus[i]);
	}
	fake_ich_cpu = 0;
	memset(fake_kicks, 0, sizeof(fake_kicks));
	return vm;
}

int fake_lr_find(unsigned int cpu, u32 vintid)
{
	assert_true(cpu < FAKE_CPUS);
	for (unsigned int n = 0; n < fake_ich_nr_lrs; n++) {
		u64 lr = fake_ich[cpu].lr[n];

		if ((lr & ICH_LR_STATE_MASK) && (lr & ICH_LR_VINTID_MASK) == vintid)
			return (int)n;
	}
	return -1;
}

u32 fake_ich_eisr(unsigned int cpu)
{
	u32 eisr = 0;

	assert_true(cpu < FAKE_CPUS);
	for (unsigned int n = 0; n < fake_ich_nr_lrs; n++) {
		u64 lr = fake_ich[cpu].lr[n];

		if (lr_awaits_eoi_maintenance(lr))
			eisr |= 1u << n;
	}
	return eisr;
}

void fake_guest_ack(unsigned int cpu, unsigned int n)
{
	u64 *lr = &fake_ich[cpu].lr[n];

	assert_true(*lr & ICH_LR_STATE_PENDING);
	*lr = (*lr & ~ICH_LR_STATE_PENDING) | ICH_LR_STATE_ACTIVE;
}

void fake_guest_eoi(unsigned int cpu, unsigned int n)
{
	u64 *lr = &fake_ich[cpu].lr[n];

	assert_true(*lr & ICH_LR_STATE_ACTIVE);
	*lr &= ~ICH_LR_STATE_ACTIVE; /* pending, if it was active and pending, stays */
}
