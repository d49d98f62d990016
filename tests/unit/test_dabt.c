/*
 * The data-abort decoder (hyp/arch/arm64/dabt.c) on the fake arch: what an
 * emulated device sees of a trapped access, and what the guest's register
 * gets back. ISS encoding for a Data Abort: DDI 0487 D19.2.40 (ISV, SAS, SSE,
 * SRT, SF, WnR); a load into XZR discards the value, a store of XZR stores 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include <arch/esr.h>
#include <arch/traps.h>
#include <tessera/vm.h>

#include "fake_arch.h"

#define DEV_BASE 0x09000000ULL
#define DEV_SIZE 0x1000ULL
#define SAS_BYTE 0
#define SAS_HALF 1
#define SAS_WORD 2
#define SAS_DOUBLE 3

static struct vm vm;
static struct guest_regs regs;
static struct mmio_access seen; /* the last access the device got */
static unsigned int accesses;
static u64 dev_value; /* what the device reads as */

static enum mmio_result dev_access(void *dev, struct mmio_access *acc)
{
	(void)dev;
	seen = *acc;
	accesses++;
	if (!acc->is_write)
		acc->value = dev_value;
	return MMIO_OK;
}

static const struct emul_device dev = { "dev", DEV_BASE, DEV_SIZE, NULL, dev_access };

/* The VM's device map (vm.c's lookup is not linked): one device. */
const struct emul_device *vm_find_emul(const struct vm *v, u64 ipa)
{
	assert_ptr_equal(v, &vm);
	return ipa - DEV_BASE < DEV_SIZE ? &dev : NULL;
}

/*
 * No test here reaches an access the VM has no right to. Its answer is
 * guest_fault() here (the fake arch's), guest_abort() once the fault-policy
 * work (i11-faults) is merged: defined here so the test links either way.
 */
enum trap_result guest_abort(struct guest_regs *r, u64 esr, const char *what)
{
	(void)r;
	fail_msg("unexpected abort (ESR 0x%llx): %s", (unsigned long long)esr, what);
	return TRAP_RESUME;
}

static int setup(void **state)
{
	(void)state;
	fake_arch_reset();
	memset(&vm, 0, sizeof(vm));
	vm.vcpu_count = 1;
	vm.vcpus[0].vm = &vm;
	fake_run_on(0, &vm.vcpus[0]);
	for (unsigned int i = 0; i < 31; i++)
		regs.x[i] = 0x5a5a5a5a00000000ULL | i;
	regs.elr = 0x40080000;
	regs.spsr = 0x3c5;
	seen = (struct mmio_access){ 0 };
	accesses = 0;
	dev_value = 0;
	return 0;
}

/* A stage-2 translation fault at @ipa with a valid syndrome. */
static u64 trap_at(u64 ipa, unsigned int sas, unsigned int rt, u64 flags)
{
	fake_sysreg_set("hpfar_el2", (ipa >> 12) << 4);
	fake_sysreg_set("far_el2", 0xffff000000000000ULL | (ipa & 0xfff)); /* the guest VA: only its page offset counts */
	return (u64)ESR_EC_DABT_LOW << ESR_EC_SHIFT | ESR_IL | ESR_DABT_ISV |
	       (u64)sas << ESR_DABT_SAS_SHIFT | (u64)rt << ESR_DABT_SRT_SHIFT | flags |
	       FSC_TRANSLATION | 3;
}

/* A load of @sas into Xrt (Wrt without SF) from a device reading @value: what Xrt becomes. */
static u64 load(unsigned int sas, u64 flags, u64 value, unsigned int rt)
{
	u64 esr = trap_at(DEV_BASE + 0x10, sas, rt, flags);

	dev_value = value;
	assert_int_equal(trap_data_abort(&regs, esr), TRAP_SKIP);
	assert_int_equal(accesses, 1);
	assert_false(seen.is_write);
	assert_int_equal(seen.size, 1u << sas);
	accesses = 0;
	return regs.x[rt];
}

static void test_access_decoded(void **state)
{
	u64 esr = trap_at(DEV_BASE + 0x124, SAS_WORD, 3, ESR_DABT_WNR);

	(void)state;
	assert_int_equal(trap_data_abort(&regs, esr), TRAP_SKIP);
	assert_int_equal(accesses, 1);
	assert_int_equal(seen.ipa, DEV_BASE + 0x124);
	assert_int_equal(seen.offset, 0x124);
	assert_int_equal(seen.size, 4);
	assert_true(seen.is_write);
	assert_int_equal(seen.value, regs.x[3]);
	assert_int_equal(regs.elr, 0x40080000); /* the caller steps over it (TRAP_SKIP) */
}

/* SSE: the loaded value is sign-extended from its size to the register's. */
static void test_sign_extension_each_size(void **state)
{
	(void)state;
	assert_int_equal(load(SAS_BYTE, ESR_DABT_SSE | ESR_DABT_SF, 0x80, 1), 0xffffffffffffff80ULL);
	assert_int_equal(load(SAS_BYTE, ESR_DABT_SSE | ESR_DABT_SF, 0x7f, 1), 0x7f);
	assert_int_equal(load(SAS_HALF, ESR_DABT_SSE | ESR_DABT_SF, 0x8001, 2), 0xffffffffffff8001ULL);
	assert_int_equal(load(SAS_HALF, ESR_DABT_SSE | ESR_DABT_SF, 0x7fff, 2), 0x7fff);
	assert_int_equal(load(SAS_WORD, ESR_DABT_SSE | ESR_DABT_SF, 0x80000000, 4), 0xffffffff80000000ULL);
	assert_int_equal(load(SAS_WORD, ESR_DABT_SSE | ESR_DABT_SF, 0x7fffffff, 4), 0x7fffffff);
	/* LDRSB/LDRSH into Wt (SF = 0): sign-extended to 32 bits, upper half zero. */
	assert_int_equal(load(SAS_BYTE, ESR_DABT_SSE, 0x80, 5), 0xffffff80ULL);
	assert_int_equal(load(SAS_HALF, ESR_DABT_SSE, 0x8000, 6), 0xffff8000ULL);
	/* A doubleword has nothing to extend (SSE cannot be set for it by hardware). */
	assert_int_equal(load(SAS_DOUBLE, ESR_DABT_SSE | ESR_DABT_SF, 0x8000000000000001ULL, 7),
			 0x8000000000000001ULL);
}

/* Without SSE the value is zero-extended: no sign bit leaks. */
static void test_zero_extension(void **state)
{
	(void)state;
	assert_int_equal(load(SAS_BYTE, ESR_DABT_SF, 0x80, 1), 0x80);
	assert_int_equal(load(SAS_HALF, ESR_DABT_SF, 0x8000, 1), 0x8000);
	assert_int_equal(load(SAS_WORD, ESR_DABT_SF, 0x80000000, 1), 0x80000000);
	assert_int_equal(load(SAS_WORD, 0, 0xffffffff, 1), 0xffffffff);
}

/* SF = 0: the destination is Wt, so Xt's upper half is zero whatever the device gave. */
static void test_sf_clear_truncates(void **state)
{
	(void)state;
	assert_int_equal(load(SAS_DOUBLE, 0, 0x1122334455667788ULL, 9), 0x55667788);
	assert_int_equal(load(SAS_DOUBLE, ESR_DABT_SF, 0x1122334455667788ULL, 9), 0x1122334455667788ULL);
}

/* A load into XZR (SRT 31) reaches the device (reads can have side effects) and changes no register. */
static void test_load_into_xzr(void **state)
{
	struct guest_regs before;

	(void)state;
	before = regs;
	dev_value = 0xabcd;
	assert_int_equal(trap_data_abort(&regs, trap_at(DEV_BASE, SAS_WORD, 31, ESR_DABT_SF)), TRAP_SKIP);
	assert_int_equal(accesses, 1);
	assert_memory_equal(&regs, &before, sizeof(regs)); /* x30, ELR (x[31] would be ELR) untouched */
}

/* A store of XZR stores zero, whatever x0..x30 hold. */
static void test_store_from_xzr(void **state)
{
	(void)state;
	for (unsigned int sas = SAS_BYTE; sas <= SAS_DOUBLE; sas++) {
		seen.value = 0xdead;
		assert_int_equal(trap_data_abort(&regs, trap_at(DEV_BASE + 8, sas, 31, ESR_DABT_WNR | ESR_DABT_SF)),
				 TRAP_SKIP);
		assert_true(seen.is_write);
		assert_int_equal(seen.size, 1u << sas);
		assert_int_equal(seen.value, 0);
	}
}

/* A store takes its value from the register SRT names, each of x0..x30. */
static void test_store_from_each_register(void **state)
{
	(void)state;
	for (unsigned int rt = 0; rt < 31; rt++) {
		accesses = 0;
		assert_int_equal(trap_data_abort(&regs, trap_at(DEV_BASE, SAS_DOUBLE, rt, ESR_DABT_WNR | ESR_DABT_SF)),
				 TRAP_SKIP);
		assert_int_equal(accesses, 1);
		assert_int_equal(seen.value, 0x5a5a5a5a00000000ULL | rt);
	}
}

/* A load writes the register SRT names and no other. */
static void test_load_into_each_register(void **state)
{
	(void)state;
	for (unsigned int rt = 0; rt < 31; rt++) {
		struct guest_regs before = regs;

		before.x[rt] = 0x1000 + rt;
		assert_int_equal(load(SAS_DOUBLE, ESR_DABT_SF, 0x1000 + rt, rt), 0x1000 + rt);
		assert_memory_equal(&regs, &before, sizeof(regs));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_access_decoded, setup),
		cmocka_unit_test_setup(test_sign_extension_each_size, setup),
		cmocka_unit_test_setup(test_zero_extension, setup),
		cmocka_unit_test_setup(test_sf_clear_truncates, setup),
		cmocka_unit_test_setup(test_load_into_xzr, setup),
		cmocka_unit_test_setup(test_store_from_xzr, setup),
		cmocka_unit_test_setup(test_store_from_each_register, setup),
		cmocka_unit_test_setup(test_load_into_each_register, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
