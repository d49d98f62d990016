/*
 * PSCI for guests (hyp/virt/vpsci.c) on the fake arch: the calls and their
 * return codes as Arm DEN 0022 (PSCI 1.1) gives them: the function
 * descriptions of 5.1 (PSCI_VERSION, CPU_ON, CPU_OFF, AFFINITY_INFO,
 * SYSTEM_OFF, SYSTEM_RESET, PSCI_FEATURES), the return codes of 5.2.2; SMC32
 * arguments are 32 bits (SMCCC, DEN 0028 2.6).
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
		PSCI_MIGRATE_INFO_TYPE, SMCCC_VERSION,
	};

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(implemented); i++)
		assert_int_equal(call(PSCI_FEATURES, implemented[i], 0, 0), PSCI_RET_SUCCESS);
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
	assert_string_equal(fake_exit.fn, "vm_stop");
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

/* A function this file does not implement is left to the caller, x0 untouched. */
static void test_not_psci(void **state)
{
	(void)state;
	regs.x[0] = 0xc4000001; /* CPU_SUSPEND_64 */
	assert_false(vpsci_handle(&regs, 0xc4000001));
	assert_int_equal(regs.x[0], 0xc4000001);
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
		cmocka_unit_test_setup(test_not_psci, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
