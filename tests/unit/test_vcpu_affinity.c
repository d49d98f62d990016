/*
 * The virtual MPIDR rule (tessera/vm.h: vcpu_affinity, vm_vcpu_by_affinity)
 * and the places that decode a guest's affinity with it: SGI target lists
 * (hyp/virt/vgic_sgi.c, ICC_SGI1R_EL1, IHI 0069H 12.2.22) and the GICR_TYPER
 * affinity a vCPU's redistributor frame reports (12.10.33).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include <drivers/gicv3.h>
#include <tessera/vm.h>
#include <virt/vgic.h>

#include "fake_arch.h"

#define NR_VCPUS 4
#define SGI1R(intid, rs, aff3, aff2, aff1, targets)                                          \
	((u64)(intid) << ICC_SGI1R_INTID_SHIFT | (u64)(rs) << ICC_SGI1R_RS_SHIFT |            \
	 (u64)(aff3) << ICC_SGI1R_AFF3_SHIFT | (u64)(aff2) << ICC_SGI1R_AFF2_SHIFT |           \
	 (u64)(aff1) << ICC_SGI1R_AFF1_SHIFT | (u64)(targets))
#define SGI1R_IRM BIT(40)

static struct vm vm;
static unsigned int injected[NR_VCPUS]; /* SGIs per target vCPU */
static u32 last_intid;

/* What vgic_sgi.c decided (vgic.c is not linked). */
void vgic_inject(struct vm *v, struct vcpu *target, u32 intid)
{
	assert_ptr_equal(v, &vm);
	assert_non_null(target);
	assert_true(target >= vm.vcpus && target < vm.vcpus + NR_VCPUS);
	injected[target->index]++;
	last_intid = intid;
}

static int setup(void **state)
{
	(void)state;
	fake_arch_reset();
	memset(&vm, 0, sizeof(vm));
	memset(injected, 0, sizeof(injected));
	vm.vcpu_count = NR_VCPUS;
	for (unsigned int i = 0; i < NR_VCPUS; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].index = i;
	}
	return 0;
}

static void test_rule_round_trip(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < NR_VCPUS; i++) {
		assert_int_equal(vcpu_affinity(i) & ~MPIDR_AFF_MASK, 0);
		assert_ptr_equal(vm_vcpu_by_affinity(&vm, vcpu_affinity(i)), &vm.vcpus[i]);
	}
	assert_int_equal(vcpu_affinity(3), 3); /* Aff0 = index, as the guest DT and VMPIDR_EL2 say */
	assert_null(vm_vcpu_by_affinity(&vm, NR_VCPUS));
	assert_null(vm_vcpu_by_affinity(&vm, 1ULL << 8 | 1));  /* Aff1 = 1 */
	assert_null(vm_vcpu_by_affinity(&vm, 1ULL << 16 | 1)); /* Aff2 = 1 */
	assert_null(vm_vcpu_by_affinity(&vm, 1ULL << 32 | 1)); /* Aff3 = 1 */
	assert_null(vm_vcpu_by_affinity(&vm, BIT(31) | 1));    /* not an affinity bit */
	vm.vcpu_count = 2;
	assert_null(vm_vcpu_by_affinity(&vm, vcpu_affinity(2))); /* beyond this VM's vCPUs */
}

/* GICR_TYPER.Affinity_Value packs Aff3 at [31:24] over Aff2..Aff0. */
static void test_gicr_typer_affinity(void **state)
{
	(void)state;
	assert_int_equal(gicr_typer_affinity(vcpu_affinity(2)), 2);
	assert_int_equal(gicr_typer_affinity(0x0a00030201ULL), 0x0a030201);
	assert_int_equal(gicr_typer_affinity(BIT(31) | 0x10200), 0x10200); /* MPIDR_EL1 RES1 bit dropped */
}

static void test_sgi_target_list(void **state)
{
	(void)state;
	vgic_send_sgi(&vm.vcpus[0], SGI1R(5, 0, 0, 0, 0, 0x0a)); /* vCPUs 1 and 3 */
	assert_int_equal(injected[0], 0);
	assert_int_equal(injected[1], 1);
	assert_int_equal(injected[2], 0);
	assert_int_equal(injected[3], 1);
	assert_int_equal(last_intid, 5);
	/* Targets past the last vCPU, the sender included, reach nobody else. */
	vgic_send_sgi(&vm.vcpus[0], SGI1R(6, 0, 0, 0, 0, 0xfff1));
	assert_int_equal(injected[0], 1);
	assert_int_equal(injected[1] + injected[2] + injected[3], 2);
}

/* Aff1-Aff3 or a range selector that names no vCPU: nothing is sent. */
static void test_sgi_other_affinities(void **state)
{
	(void)state;
	vgic_send_sgi(&vm.vcpus[0], SGI1R(1, 0, 0, 0, 1, 0x0f));
	vgic_send_sgi(&vm.vcpus[0], SGI1R(1, 0, 0, 1, 0, 0x0f));
	vgic_send_sgi(&vm.vcpus[0], SGI1R(1, 0, 1, 0, 0, 0x0f));
	vgic_send_sgi(&vm.vcpus[0], SGI1R(1, 1, 0, 0, 0, 0x0f)); /* Aff0 16..19 */
	for (unsigned int v = 0; v < NR_VCPUS; v++)
		assert_int_equal(injected[v], 0);
}

/* IRM: every vCPU but the sender, whatever the affinity fields say. */
static void test_sgi_broadcast(void **state)
{
	(void)state;
	vgic_send_sgi(&vm.vcpus[2], SGI1R_IRM | SGI1R(7, 3, 1, 1, 1, 0));
	assert_int_equal(injected[0], 1);
	assert_int_equal(injected[1], 1);
	assert_int_equal(injected[2], 0);
	assert_int_equal(injected[3], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_rule_round_trip, setup),
		cmocka_unit_test_setup(test_gicr_typer_affinity, setup),
		cmocka_unit_test_setup(test_sgi_target_list, setup),
		cmocka_unit_test_setup(test_sgi_other_affinities, setup),
		cmocka_unit_test_setup(test_sgi_broadcast, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
