/*
 * PSCI for guests (hyp/virt/vpsci.c) on the fake arch: the calls and their
 * return codes as Arm DEN 0022 (PSCI 1.1) gives them: the function
 * descriptions of 5.1 (PSCI_VERSION, CPU_ON, CPU_OFF, AFFINITY_INFO,
 * SYSTEM_OFF, SYSTEM_RESET, PSCI_FEATURES), the return codes of 5.2.2; SMC32
 * arguments are 32 bits (SMCCC, DEN 0028 2.6). CPU_SUSPEND (5.4) waits as
 * WFI does: the IRQ path and the vGIC's wake-up check are faked here (their
 * own tests are test_vgic's).
 * The caller is vCPU 0 of a 4-vCPU VM; vCPU i runs on physical CPU 8 + i, so
 * a wake-up that confused vCPU and CPU numbers goes to the wrong CPU.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include <drivers/psci.h>
#include <tessera/hypercall.h>
#include <tessera/vm.h>

#include "fake_arch.h"

#define NR_VCPUS 4
#define PCPU0 8
#define AFFINITY_ON 0 /* AFFINITY_INFO's answers (DEN 0022 5.1) */
#define AFFINITY_OFF 1

static struct vm vm;
static struct guest_regs regs;

/* The guest's IRQ path and the vGIC, as CPU_SUSPEND sees them: an interrupt arrives at IRQ number irq_arrives. */
static unsigned int irqs_taken, irq_arrives;
static bool virq_pending;

void trap_lower_irq(struct guest_regs *r)
{
	assert_ptr_equal(r, &regs);
	if (++irqs_taken == irq_arrives)
		virq_pending = true;
}

void vgic_flush_queued(struct vcpu *vcpu)
{
	vcpu->vgic.any_queued = false;
}

bool vgic_wakeup_pending(struct vcpu *vcpu)
{
	assert_ptr_equal(vcpu, &vm.vcpus[0]);
	return virq_pending;
}

static int setup(void **state)
{
	(void)state;
	fake_arch_reset();
	memset(&vm, 0, sizeof(vm));
	vm.name = "guest";
	vm.vcpu_count = NR_VCPUS;
	for (unsigned int i = 0; i < NR_VCPUS; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].index = i;
		vm.vcpus[i].pcpu = PCPU0 + i;
	}
	vm.vcpus[0].powered_on = true;
	vm.vcpus[0].in_guest = true;
	fake_run_on(PCPU0, &vm.vcpus[0]);
	memset(&regs, 0, sizeof(regs));
	irqs_taken = irq_arrives = 0;
	virq_pending = false;
	return 0;
}

/* The guest's HVC/SMC with x0 = @fid: handled or not, x0 afterwards. */
static s64 call(u32 fid, u64 a1, u64 a2, u64 a3)
{
	regs.x[0] = fid;
	regs.x[1] = a1;
	regs.x[2] = a2;
	regs.x[3] = a3;
	assert_true(vpsci_handle(&regs, fid));
	assert_int_equal(vm.lock.held, 0);
	return (s64)regs.x[0];
}

static void test_version(void **state)
{
	(void)state;
	assert_int_equal(call(PSCI_VERSION, 0, 0, 0), 0x10001); /* 1.1: major [30:16], minor [15:0] */
}

static void test_features(void **state)
{
	static const u32 implemented[] = {
		PSCI_VERSION, PSCI_FEATURES, PSCI_CPU_ON_32, PSCI_CPU_ON_64, PSCI_CPU_OFF,
		PSCI_AFFINITY_INFO_32, PSCI_AFFINITY_INFO_64, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET,
		PSCI_MIGRATE_INFO_TYPE, SMCCC_VERSION, PSCI_CPU_SUSPEND_32, PSCI_CPU_SUSPEND_64,
	};

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(implemented); i++)
		assert_int_equal(call(PSCI_FEATURES, implemented[i], 0, 0), PSCI_RET_SUCCESS);
	/* CPU_SUSPEND's flags (5.15.2): 0, the original power_state format, no OS-initiated mode. */
	assert_int_equal(call(PSCI_FEATURES, PSCI_CPU_SUSPEND_64, 0, 0), 0);
	assert_int_equal(call(PSCI_FEATURES, 0x8400000b, 0, 0), PSCI_RET_NOT_SUPPORTED); /* CPU_FREEZE */
	assert_int_equal(call(PSCI_FEATURES, 0x8400ffff, 0, 0), PSCI_RET_NOT_SUPPORTED);
	/* The function ID is 32 bits: garbage above it does not make a call implemented or not. */
	assert_int_equal(call(PSCI_FEATURES, 0xffffffff00000000ULL | PSCI_CPU_OFF, 0, 0), PSCI_RET_SUCCESS);
}

static void test_cpu_on_valid(void **state)
{
	(void)state;
	assert_int_equal(call(PSCI_CPU_ON_64, 2, 0x40201000, 0x1234567890ULL), PSCI_RET_SUCCESS);
	assert_true(vm.vcpus[2].powered_on);
	assert_int_equal(vm.vcpus[2].start_pc, 0x40201000);
	assert_int_equal(vm.vcpus[2].start_x0, 0x1234567890ULL);
	assert_int_equal(fake_cpu_msgs[PCPU0 + 2], CPU_MSG_WAKE); /* its own CPU, woken */
	assert_int_equal(fake_cpu_msg_calls, 1);
	assert_false(vm.vcpus[1].powered_on);
	assert_false(vm.vcpus[3].powered_on);
}

static void test_cpu_on_already_on(void **state)
{
	(void)state;
	assert_int_equal(call(PSCI_CPU_ON_64, 0, 0x40300000, 0), PSCI_RET_ALREADY_ON); /* the caller */
	assert_int_equal(call(PSCI_CPU_ON_64, 3, 0x40201000, 7), PSCI_RET_SUCCESS);
	assert_int_equal(call(PSCI_CPU_ON_64, 3, 0x40300000, 8), PSCI_RET_ALREADY_ON);
	assert_int_equal(vm.vcpus[3].start_pc, 0x40201000); /* the first call's entry stands */
	assert_int_equal(vm.vcpus[3].start_x0, 7);
	assert_int_equal(fake_cpu_msg_calls, 1);
}

/* target_cpu is MPIDR-shaped: Aff3 [39:32], Aff2..Aff0 [23:0], every other bit zero (DEN 0022 5.1, CPU_ON). */
static void test_cpu_on_invalid_mpidr(void **state)
{
	static const u64 bad[] = {
		NR_VCPUS,          /* no such vCPU */
		0xff,              /* Aff0 out of range */
		0x100,             /* Aff1 = 1 */
		0x10000,           /* Aff2 = 1 */
		0x100000000ULL,    /* Aff3 = 1 */
		0x80000001ULL,     /* MPIDR_EL1 bit 31 (RES1) is not part of target_cpu */
		0x1000000ULL | 1,  /* bits [31:24] */
		BIT(40) | 1,       /* bits [63:40] */
	};

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(call(PSCI_CPU_ON_64, bad[i], 0x40201000, 0), PSCI_RET_INVALID_PARAMS);
	for (unsigned int v = 1; v < NR_VCPUS; v++)
		assert_false(vm.vcpus[v].powered_on);
	assert_int_equal(fake_cpu_msg_calls, 0);
}

/* CPU_ON_32: the upper halves of x1..x3 are not arguments. */
static void test_cpu_on_smc32_arguments(void **state)
{
	(void)state;
	assert_int_equal(call(PSCI_CPU_ON_32, 0xffffffff00000001ULL, 0xaaaaaaaa40201000ULL,
			      0x5555555500000042ULL), PSCI_RET_SUCCESS);
	assert_true(vm.vcpus[1].powered_on);
	assert_int_equal(vm.vcpus[1].start_pc, 0x40201000);
	assert_int_equal(vm.vcpus[1].start_x0, 0x42);
	/* Through CPU_ON_64 the upper half counts: Aff3 = 1 names no vCPU. */
	assert_int_equal(call(PSCI_CPU_ON_64, 0x100000002ULL, 0x40201000, 0), PSCI_RET_INVALID_PARAMS);
}

static void test_affinity_info(void **state)
{
	(void)state;
	assert_int_equal(call(PSCI_AFFINITY_INFO_64, 0, 0, 0), AFFINITY_ON);
	assert_int_equal(call(PSCI_AFFINITY_INFO_64, 1, 0, 0), AFFINITY_OFF);
	assert_int_equal(call(PSCI_CPU_ON_64, 1, 0x40201000, 0), PSCI_RET_SUCCESS);
	assert_int_equal(call(PSCI_AFFINITY_INFO_32, 1, 0, 0), AFFINITY_ON);
	/* Off, but its CPU has not left the guest yet: still ON, so its stack is not reused. */
	vm.vcpus[3].in_guest = true;
	assert_int_equal(call(PSCI_AFFINITY_INFO_64, 3, 0, 0), AFFINITY_ON);
	vm.vcpus[3].in_guest = false;
	assert_int_equal(call(PSCI_AFFINITY_INFO_64, 3, 0, 0), AFFINITY_OFF);
	assert_int_equal(call(PSCI_AFFINITY_INFO_64, NR_VCPUS, 0, 0), PSCI_RET_INVALID_PARAMS);
	assert_int_equal(call(PSCI_AFFINITY_INFO_64, 0x100, 0, 0), PSCI_RET_INVALID_PARAMS);
	/* Only affinity level 0 is described (the lowest level may only be 0 here). */
	assert_int_equal(call(PSCI_AFFINITY_INFO_64, 0, 1, 0), PSCI_RET_INVALID_PARAMS);
	assert_int_equal(call(PSCI_AFFINITY_INFO_32, 0, 0xffffffff00000000ULL, 0), AFFINITY_ON);
}

static void test_cpu_off(void **state)
{
	(void)state;
	assert_int_equal(call(PSCI_CPU_ON_64, 1, 0x40201000, 0), PSCI_RET_SUCCESS);
	fake_run_on(PCPU0 + 1, &vm.vcpus[1]);
	regs.x[0] = PSCI_CPU_OFF;
	assert_true(FAKE_NORETURN(vpsci_handle(&regs, PSCI_CPU_OFF)));
	assert_string_equal(fake_exit.fn, "cpu_park");
	assert_false(vm.vcpus[1].powered_on);
	assert_int_equal(vm.lock.held, 0); /* released before parking */
	assert_true(vm.vcpus[0].powered_on);
}

static void test_system_off_and_reset_reach_the_vm(void **state)
{
	(void)state;
	regs.x[0] = PSCI_SYSTEM_OFF;
	assert_true(FAKE_NORETURN(vpsci_handle(&regs, PSCI_SYSTEM_OFF)));
	assert_string_equal(fake_exit.fn, "vm_event");
	assert_ptr_equal(fake_exit.vm, &vm);
	assert_string_equal(fake_exit.reason, "PSCI SYSTEM_OFF");

	regs.x[0] = PSCI_SYSTEM_RESET;
	assert_true(FAKE_NORETURN(vpsci_handle(&regs, PSCI_SYSTEM_RESET)));
	assert_string_equal(fake_exit.fn, "vm_reset");
	assert_ptr_equal(fake_exit.vm, &vm);
}

static void test_migrate_info_type(void **state)
{
	(void)state;
	assert_int_equal(call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2); /* no Trusted OS to migrate */
}

/* power_state, original format (5.4.2): StateID [15:0], StateType [16], PowerLevel [25:24]. */
#define STANDBY 0x0u
#define POWERDOWN 0x10000u

/* Standby: back at once, SUCCESS, when an interrupt already waits (WFI would not wait). */
static void test_cpu_suspend_pending_returns_at_once(void **state)
{
	(void)state;
	virq_pending = true;
	assert_int_equal(call(PSCI_CPU_SUSPEND_64, STANDBY, 0, 0), PSCI_RET_SUCCESS);
	assert_int_equal(irqs_taken, 0);
}

/* Standby waits as WFI: through the IRQ path until the vGIC signals the vCPU, then SUCCESS. */
static void test_cpu_suspend_waits_for_interrupt(void **state)
{
	(void)state;
	irq_arrives = 3; /* two physical interrupts that give the vCPU nothing, then one that does */
	regs.elr = 0x40201234;
	assert_int_equal(call(PSCI_CPU_SUSPEND_32, STANDBY | 0x1234, 0x40300000, 7), PSCI_RET_SUCCESS);
	assert_int_equal(irqs_taken, 3);
	assert_int_equal(regs.elr, 0x40201234); /* the PC is traps.c's to advance */
	assert_true(vm.vcpus[0].powered_on);
	assert_int_equal(fake_cpu_msg_calls, 0);
}

/*
 * Powerdown downgraded to standby (5.4.2; KVM the same): it returns after the
 * call with SUCCESS, not at entry_point, and the vCPU stays on.
 */
static void test_cpu_suspend_powerdown_is_standby(void **state)
{
	(void)state;
	irq_arrives = 1;
	regs.elr = 0x40201234;
	assert_int_equal(call(PSCI_CPU_SUSPEND_64, POWERDOWN, 0x40300000, 0x55), PSCI_RET_SUCCESS);
	assert_int_equal(irqs_taken, 1);
	assert_int_equal(regs.elr, 0x40201234);
	assert_int_equal(regs.x[1], POWERDOWN); /* registers kept: x1.. as the guest left them */
	assert_int_equal(regs.x[2], 0x40300000);
	assert_int_equal(vm.vcpus[0].start_pc, 0);
	assert_true(vm.vcpus[0].powered_on);
}

/* Reserved bits or a PowerLevel above the cores: INVALID_PARAMETERS, without waiting. */
static void test_cpu_suspend_invalid_power_state(void **state)
{
	static const u64 bad[] = {
		BIT(17), BIT(23), BIT(26), BIT(30), BIT(31), /* reserved (bit 30: extended format's StateType) */
		1u << 24, 2u << 24, 3u << 24,               /* PowerLevel 1-3 */
		POWERDOWN | 1u << 24,
		0x40000007,                                  /* an extended-format powerdown, as Orin's DT has */
	};

	(void)state;
	virq_pending = true;
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(call(PSCI_CPU_SUSPEND_64, bad[i], 0x40300000, 0), PSCI_RET_INVALID_PARAMS);
		assert_int_equal(call(PSCI_CPU_SUSPEND_32, bad[i], 0x40300000, 0), PSCI_RET_INVALID_PARAMS);
	}
	assert_int_equal(irqs_taken, 0);
}

/* power_state is a uint32 in both (DEN 0022D 5.4): bits [63:32] of x1 are not part of it. */
static void test_cpu_suspend_power_state_is_32_bits(void **state)
{
	(void)state;
	virq_pending = true;
	assert_int_equal(call(PSCI_CPU_SUSPEND_64, 0xffffffff00000000ULL | STANDBY, 0, 0), PSCI_RET_SUCCESS);
	assert_int_equal(call(PSCI_CPU_SUSPEND_32, 0xffffffff00000000ULL | POWERDOWN, 0, 0), PSCI_RET_SUCCESS);
	assert_int_equal(call(PSCI_CPU_SUSPEND_64, 0xffffffff00000000ULL | 1u << 24, 0, 0),
			 PSCI_RET_INVALID_PARAMS);
}

/* A function this file does not implement is left to the caller, x0 untouched. */
static void test_not_psci(void **state)
{
	(void)state;
	regs.x[0] = 0xc4000005; /* MIGRATE_64 */
	assert_false(vpsci_handle(&regs, 0xc4000005));
	assert_int_equal(regs.x[0], 0xc4000005);
	assert_false(vpsci_handle(&regs, 0x8400000b));
	assert_int_equal(fake_cpu_msg_calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_version, setup),
		cmocka_unit_test_setup(test_features, setup),
		cmocka_unit_test_setup(test_cpu_on_valid, setup),
		cmocka_unit_test_setup(test_cpu_on_already_on, setup),
		cmocka_unit_test_setup(test_cpu_on_invalid_mpidr, setup),
		cmocka_unit_test_setup(test_cpu_on_smc32_arguments, setup),
		cmocka_unit_test_setup(test_affinity_info, setup),
		cmocka_unit_test_setup(test_cpu_off, setup),
		cmocka_unit_test_setup(test_system_off_and_reset_reach_the_vm, setup),
		cmocka_unit_test_setup(test_migrate_info_type, setup),
		cmocka_unit_test_setup(test_cpu_suspend_pending_returns_at_once, setup),
		cmocka_unit_test_setup(test_cpu_suspend_waits_for_interrupt, setup),
		cmocka_unit_test_setup(test_cpu_suspend_powerdown_is_standby, setup),
		cmocka_unit_test_setup(test_cpu_suspend_invalid_power_state, setup),
		cmocka_unit_test_setup(test_cpu_suspend_power_state_is_32_bits, setup),
		cmocka_unit_test_setup(test_not_psci, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
