/*
 * An SError taken from a guest (hyp/arch/arm64/fault.c guest_serror, linked
 * through the fake arch with esr.c): under fault-policy "inject" it becomes
 * a virtual SError, HCR_EL2.VSE with, where FEAT_RAS is, VSESR_EL2 = the
 * physical syndrome's ISS [24:0] (D19: VSESR_EL2, ESR_EL2 ISS for an
 * SError); reports are rate-limited, sharing the count of injected aborts.
 * Under "stop", and for an uncontainable error (AET 0b000) under either
 * policy, the VM stops and nothing is injected. QEMU raises no SError a
 * guest could cause, so this is where the path is tested.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include <arch/esr.h>
#include <arch/sysregs.h>
#include <arch/traps.h>
#include <tessera/config.h>
#include <tessera/vm.h>

#include "fake_arch.h"

#define HCR_BEFORE (HCR_VM | HCR_IMO | HCR_AMO | HCR_RW)
#define PFR0_RAS (1ULL << 28)
/* SError syndromes as ESR_EL2 gives them: EC 0x2f, IL; ISS with IDS 0: AET [12:10], DFSC 0x11. */
#define SERROR(iss) ((u64)ESR_EC_SERROR << 26 | ESR_IL | (iss))
#define AET(v) ((u64)(v) << ESR_SERROR_AET_SHIFT)
#define SERROR_UER SERROR(AET(3) | ESR_DABT_EA | ESR_SERROR_DFSC_ASYNC) /* recoverable */
#define SERROR_UC SERROR(AET(0) | ESR_SERROR_DFSC_ASYNC)                /* uncontainable */
#define SERROR_IMPDEF SERROR(ESR_SERROR_IDS | 0x123)                    /* IMPLEMENTATION DEFINED */

static struct vm_config cfg;
static struct vm vm;
static struct guest_regs regs;
static unsigned int aborts_injected;

/* vcpu.c's, for guest_abort (the synchronous kind sharing the report count). */
void inject_abort(struct guest_regs *r, u64 esr_el2)
{
	(void)r;
	(void)esr_el2;
	aborts_injected++;
}

static int setup(void **state)
{
	(void)state;
	fake_arch_reset();
	memset(&cfg, 0, sizeof(cfg));
	memset(&vm, 0, sizeof(vm));
	memset(&regs, 0, sizeof(regs));
	aborts_injected = 0;
	cfg.fault_policy = FAULT_POLICY_INJECT;
	vm.name = "guest";
	vm.cfg = &cfg;
	vm.vcpu_count = 1;
	vm.vcpus[0].vm = &vm;
	fake_run_on(2, &vm.vcpus[0]);
	regs.elr = 0x40201000;
	fake_sysreg_set("hcr_el2", HCR_BEFORE);
	fake_sysreg_set("id_aa64pfr0_el1", PFR0_RAS);
	return 0;
}

static unsigned int count(const char *text, const char *what)
{
	unsigned int n = 0;

	for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

static void test_inject_with_ras(void **state)
{
	(void)state;
	guest_serror(&regs, SERROR_UER);
	assert_int_equal(fake_sysreg_get("hcr_el2"), HCR_BEFORE | HCR_VSE); /* the rest kept */
	assert_int_equal(fake_sysreg_get("vsesr_el2"), AET(3) | ESR_DABT_EA | ESR_SERROR_DFSC_ASYNC);
	assert_int_equal(regs.elr, 0x40201000); /* asynchronous: the guest resumes where it was */
	assert_true(fake_printk_contains("tessera: VM guest vCPU 0: SError (asynchronous external abort), PC 0x40201000;"));
	assert_true(fake_printk_contains(": virtual SError injected\n"));
}

/* An IMPLEMENTATION DEFINED syndrome (IDS 1) is passed on whole, and is not "uncontainable". */
static void test_inject_impdef_syndrome(void **state)
{
	(void)state;
	guest_serror(&regs, SERROR_IMPDEF);
	assert_int_equal(fake_sysreg_get("vsesr_el2"), ESR_SERROR_IDS | 0x123);
	assert_true(fake_sysreg_get("hcr_el2") & HCR_VSE);
}

/* Without FEAT_RAS VSESR_EL2 does not exist: only VSE. */
static void test_inject_without_ras(void **state)
{
	(void)state;
	fake_sysreg_set("id_aa64pfr0_el1", 0);
	guest_serror(&regs, SERROR(0));
	assert_int_equal(fake_sysreg_writes("vsesr_el2"), 0);
	assert_int_equal(fake_sysreg_get("hcr_el2"), HCR_BEFORE | HCR_VSE);
}

static void test_stop_policy_stops(void **state)
{
	(void)state;
	cfg.fault_policy = FAULT_POLICY_STOP;
	assert_true(FAKE_NORETURN(guest_serror(&regs, SERROR_UER)));
	assert_string_equal(fake_exit.fn, "vm_event");
	assert_ptr_equal(fake_exit.vm, &vm);
	assert_string_equal(fake_exit.reason, "guest fault");
	assert_int_equal(fake_sysreg_get("hcr_el2"), HCR_BEFORE); /* nothing injected */
	assert_int_equal(fake_sysreg_writes("vsesr_el2"), 0);
	assert_true(fake_printk_contains("SError (asynchronous external abort), PC 0x40201000;"));
}

/* Uncontainable: the VM stops under "inject" too. */
static void test_uncontainable_stops(void **state)
{
	(void)state;
	assert_true(FAKE_NORETURN(guest_serror(&regs, SERROR_UC)));
	assert_string_equal(fake_exit.fn, "vm_event");
	assert_int_equal(fake_sysreg_get("hcr_el2"), HCR_BEFORE);
	assert_false(fake_printk_contains("injected"));
}

/* 8 reports per VM, aborts and SErrors together, the last saying so; every one is injected. */
static void test_reports_rate_limited(void **state)
{
	const char *out;

	(void)state;
	fake_sysreg_set("hpfar_el2", 0x58000000 >> 8);
	fake_sysreg_set("far_el2", 0x58000000);
	for (unsigned int i = 0; i < 3; i++)
		guest_abort(&regs, (u64)ESR_EC_DABT_LOW << 26 | ESR_IL, "stage-2 data abort");
	for (unsigned int i = 0; i < 10; i++) {
		fake_sysreg_set("hcr_el2", HCR_BEFORE); /* the guest took the last one */
		guest_serror(&regs, SERROR_UER);
		assert_true(fake_sysreg_get("hcr_el2") & HCR_VSE);
	}
	out = fake_printk_output();
	assert_int_equal(aborts_injected, 3);
	assert_int_equal(count(out, "tessera: VM guest vCPU 0: "), 8);
	assert_int_equal(count(out, ": external abort injected\n"), 3);
	assert_int_equal(count(out, ": virtual SError injected\n"), 4);
	assert_int_equal(count(out, ": virtual SError injected (further ones are not reported)\n"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_inject_with_ras, setup),
		cmocka_unit_test_setup(test_inject_impdef_syndrome, setup),
		cmocka_unit_test_setup(test_inject_without_ras, setup),
		cmocka_unit_test_setup(test_stop_policy_stops, setup),
		cmocka_unit_test_setup(test_uncontainable_stops, setup),
		cmocka_unit_test_setup(test_reports_rate_limited, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
