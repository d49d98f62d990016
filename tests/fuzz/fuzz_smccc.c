/*
 * SMCCC and PSCI decoding (hyp/core/hypercall.c, hyp/virt/vpsci.c) through
 * the fake arch: a VM's vCPUs issuing HVC/SMC with any function ID and
 * arguments, in any order. Each answer is checked against a model of the
 * VM's vCPUs and the specifications: SMCCC (Arm DEN 0028: 1.1, SMC32
 * arguments are 32 bits, an unknown function ID gets NOT_SUPPORTED, X1-X17
 * are preserved since nothing here returns more than X0) and PSCI 1.1 (Arm
 * DEN 0022 5.1, return codes 5.2.2): VERSION, FEATURES, CPU_ON (SUCCESS
 * and a wake-up of the target's CPU, ALREADY_ON, INVALID_PARAMS),
 * CPU_OFF (the caller parks, off), CPU_SUSPEND (power_state checked, then
 * SUCCESS once an interrupt is there to wake it), AFFINITY_INFO, MIGRATE_INFO_TYPE,
 * SYSTEM_OFF and SYSTEM_RESET (this VM stops or restarts). The VM's lock is
 * free after every call.
 *
 * Input: [vCPUs u8] then calls [caller u8][function ID selector u8]
 * [function ID u32][x1 u64][x2 u64][x3 u64].
 */
#include "fuzz.h"

#include <drivers/psci.h>
#include <tessera/hypercall.h>
#include <tessera/manage.h>
#include <tessera/vm.h>

#include "fake_arch.h"

#define PCPU0 4 /* vCPU i on CPU 4 + i: a wake-up sent by vCPU number goes astray */

static const u32 known_fids[] = {
	SMCCC_VERSION, SMCCC_ARCH_FEATURES, PSCI_VERSION, PSCI_CPU_SUSPEND_32, PSCI_CPU_SUSPEND_64, PSCI_CPU_OFF,
	PSCI_CPU_ON_32, PSCI_CPU_ON_64, PSCI_AFFINITY_INFO_32, PSCI_AFFINITY_INFO_64,
	PSCI_MIGRATE_INFO_TYPE, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, PSCI_FEATURES,
	0x84000050u /* TRNG_VERSION */, 0x8600ff01u /* vendor hypervisor UID */,
};

static struct vm vm;

/*
 * The management calls (core/manage.c, unit-tested by test_manage): this VM
 * is not the manager, so they are unknown functions to it, NOT_SUPPORTED,
 * as the model expects of every function ID it does not know.
 */
bool manage_hvc(struct vm *caller, struct guest_regs *regs, u32 fid)
{
	(void)caller, (void)regs, (void)fid;
	return false;
}
static bool on[PLATFORM_MAX_CPUS]; /* the model: which vCPUs PSCI says are on */

/* CPU_SUSPEND's wait: an interrupt is always there to wake the caller at once. */
void trap_lower_irq(struct guest_regs *regs)
{
	(void)regs;
	abort(); /* never reached: the wake-up is pending before the first wait */
}

void vgic_flush_queued(struct vcpu *vcpu)
{
	vcpu->vgic.any_queued = false;
}

bool vgic_wakeup_pending(struct vcpu *vcpu)
{
	(void)vcpu;
	return true;
}

/* CPU_SUSPEND power_state, original format (DEN 0022D 5.4.2): reserved bits and PowerLevel 0 only. */
static bool power_state_valid(u32 power_state)
{
	return !(power_state & (GENMASK(31, 26) | GENMASK(23, 17) | GENMASK(25, 24)));
}

/* The vCPU @mpidr names (PSCI target_cpu: Aff0 = vCPU index, the rest 0), or -1. */
static int target_of(u64 mpidr)
{
	return mpidr < vm.vcpu_count ? (int)mpidr : -1;
}

static s64 expected(u32 fid, u64 a1, u64 a2)
{
	int t;

	switch (fid) {
	case SMCCC_VERSION:
		return SMCCC_VERSION_1_1;
	case SMCCC_ARCH_FEATURES:
		return (u32)a1 == SMCCC_VERSION ? 0 : SMCCC_RET_NOT_SUPPORTED;
	case PSCI_VERSION:
		return PSCI_VERSION_1_1;
	case PSCI_FEATURES:
		switch ((u32)a1) {
		case SMCCC_VERSION: case PSCI_VERSION: case PSCI_FEATURES: case PSCI_CPU_ON_32:
		case PSCI_CPU_ON_64: case PSCI_CPU_OFF: case PSCI_AFFINITY_INFO_32:
		case PSCI_AFFINITY_INFO_64: case PSCI_MIGRATE_INFO_TYPE: case PSCI_SYSTEM_OFF:
		case PSCI_SYSTEM_RESET: case PSCI_CPU_SUSPEND_32: case PSCI_CPU_SUSPEND_64:
			return PSCI_RET_SUCCESS; /* for CPU_SUSPEND also its flags: original format, no OSI */
		default:
			return PSCI_RET_NOT_SUPPORTED;
		}
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		t = target_of(a1);
		return t < 0 ? PSCI_RET_INVALID_PARAMS : on[t] ? PSCI_RET_ALREADY_ON : PSCI_RET_SUCCESS;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		t = target_of(a1);
		return t < 0 || a2 != 0 ? PSCI_RET_INVALID_PARAMS : on[t] ? 0 : 1;
	case PSCI_MIGRATE_INFO_TYPE:
		return 2; /* Trusted OS not present or does not require migration */
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
		return power_state_valid((u32)a1) ? PSCI_RET_SUCCESS : PSCI_RET_INVALID_PARAMS;
	default:
		return SMCCC_RET_NOT_SUPPORTED;
	}
}

/* What trap_lower_smccc() does with a call (hyp/arch/arm64/traps.c): the architecture calls, then the rest. */
static void smccc_call(struct guest_regs *regs, const char *conduit)
{
	if (!hypercall_smccc_arch(regs))
		hypercall_smccc_other(regs, conduit);
}

static bool call(struct fuzz_input *in)
{
	struct guest_regs regs, before;
	unsigned int caller = fuzz_u8(in) % vm.vcpu_count;
	u8 sel = fuzz_u8(in);
	u32 fid = fuzz_u32(in);
	u32 msgs_before = fake_cpu_msg_calls;
	bool smc32, left;
	u64 a1, a2, a3;
	s64 want;

	if (sel < 0xc0)
		fid = known_fids[sel % ARRAY_SIZE(known_fids)];
	for (unsigned int i = 0; i < 31; i++)
		regs.x[i] = 0x5a5a5a5a00000000ULL | i;
	regs.x[0] = (sel & 0x40) ? fid | (u64)fuzz_u32(in) << 32 : fid; /* only W0 is the ID */
	regs.x[1] = fuzz_u64(in);
	regs.x[2] = fuzz_u64(in);
	regs.x[3] = fuzz_u64(in);
	regs.elr = 0x40080000;
	regs.spsr = 0x3c5;
	before = regs;
	smc32 = !(fid & SMCCC_64BIT);
	a1 = smc32 ? (u32)regs.x[1] : regs.x[1];
	a2 = smc32 ? (u32)regs.x[2] : regs.x[2];
	a3 = smc32 ? (u32)regs.x[3] : regs.x[3];
	while (!on[caller])
		caller = (caller + 1) % vm.vcpu_count; /* a vCPU that is off issues nothing */
	fake_run_on(vm.vcpus[caller].pcpu, &vm.vcpus[caller]);
	want = expected(fid, a1, a2);

	left = FAKE_NORETURN(smccc_call(&regs, sel & 0x80 ? "smc" : "hvc"));
	FUZZ_CHECK(!vm.lock.held);
	if (fid == PSCI_CPU_OFF || fid == PSCI_SYSTEM_OFF || fid == PSCI_SYSTEM_RESET) {
		FUZZ_CHECK(left);
		if (fid == PSCI_CPU_OFF) {
			FUZZ_CHECK(!strcmp(fake_exit.fn, "cpu_park") && !vm.vcpus[caller].powered_on);
			on[caller] = false;
		} else {
			FUZZ_CHECK(!strcmp(fake_exit.fn, fid == PSCI_SYSTEM_OFF ? "vm_event" : "vm_reset"));
			FUZZ_CHECK(fake_exit.vm == &vm);
		}
		return false; /* this input's VM is gone or its caller is off */
	}
	FUZZ_CHECK(!left);
	if ((s64)regs.x[0] != want) {
		fprintf(stderr, "invariant broken: function 0x%08x (x1 0x%llx, x2 0x%llx) "
				"from vCPU %u: x0 = %lld, the specification says %lld\n", fid, (unsigned long long)a1,
			(unsigned long long)a2, caller, (long long)regs.x[0], (long long)want);
		abort();
	}
	FUZZ_CHECK(!memcmp(&regs.x[1], &before.x[1], sizeof(regs.x) - sizeof(regs.x[0])));
	FUZZ_CHECK(regs.elr == before.elr && regs.spsr == before.spsr);
	if ((fid == PSCI_CPU_ON_32 || fid == PSCI_CPU_ON_64) && want == PSCI_RET_SUCCESS) {
		struct vcpu *t = &vm.vcpus[a1];

		FUZZ_CHECK(t->powered_on && t->start_pc == a2 && t->start_x0 == a3);
		FUZZ_CHECK(fake_cpu_msg_calls == msgs_before + 1 && fake_cpu_msgs[t->pcpu]);
		fake_cpu_msgs[t->pcpu] = 0;
		on[a1] = true;
	} else {
		FUZZ_CHECK(fake_cpu_msg_calls == msgs_before); /* nothing else wakes a CPU */
	}
	for (unsigned int v = 0; v < vm.vcpu_count; v++)
		FUZZ_CHECK(vm.vcpus[v].powered_on == on[v]);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };

	fake_arch_reset();
	memset(&vm, 0, sizeof(vm));
	memset(on, 0, sizeof(on));
	vm.name = "fuzz";
	vm.vcpu_count = 1 + fuzz_u8(&in) % 8;
	for (unsigned int i = 0; i < vm.vcpu_count; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].index = i;
		vm.vcpus[i].pcpu = PCPU0 + i;
	}
	vm.vcpus[0].powered_on = on[0] = true;
	while (in.left && call(&in))
		;
	return 0;
}

/* Linux's boot: SMCCC and PSCI discovery, the secondaries on, one off, a query, a reset. */
static void seeds(const char *dir)
{
	static const u8 order[] = { 0, 1, 2, 12, 13, 14, 6, 6, 7, 4, 8, 9, 11 };
	struct fuzz_seed s = { .len = 0 };

	seed_put(&s, 3, 1);
	for (unsigned int i = 0; i < ARRAY_SIZE(order); i++) {
		seed_put(&s, order[i] == 4 ? 1 : 0, 1), seed_put(&s, order[i], 1), seed_put(&s, 0, 4);
		seed_put(&s, order[i] == 6 ? 1 + (i & 1) : order[i] == 12 ? PSCI_CPU_ON_64 : 0, 8);
		seed_put(&s, 0x40080000, 8), seed_put(&s, 0x12345678, 8);
	}
	fuzz_write_seed(dir, "linux-boot", s.b, s.len);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init(seeds);
	return 0;
}
