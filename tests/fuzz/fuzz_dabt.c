/*
 * The data-abort decoder (hyp/arch/arm64/dabt.c) on the fake arch, with any
 * syndrome (ESR_EL2.ISS), faulting address (HPFAR_EL2, FAR_EL2), register
 * file and device answer. What the guest sees is checked against the
 * architecture (DDI 0487 D19.2.40, ISS of a Data Abort): the device is
 * reached only for a valid syndrome (ISV) of a stage-2 translation fault
 * (DFSC), not on a stage-1 walk (S1PTW) nor an external abort (EA), at an IPA
 * inside it; it gets offset, size (SAS), direction (WnR) and, for a store,
 * Rt's value (0 for XZR, SRT 31); a load writes Rt alone, sign-extended when
 * SSE, then cut to 32 bits when SF is 0, and nothing for XZR; nothing else
 * in the frame changes; a refused access or a device's refusal reaches the
 * guest as a fault (guest_fault, or guest_abort once faults are injected)
 * with no register changed.
 *
 * Input: [ESR ISS u32][IPA selector u8][offset or IPA u64][FAR upper u64]
 * [device answer u8][device value u64][registers u64 x 31].
 */
#include "fuzz.h"

#include <arch/esr.h>
#include <arch/traps.h>
#include <tessera/vm.h>

#include "fake_arch.h"

#define DEV_BASE 0x09000000ULL
#define DEV_SIZE 0x1000ULL

static struct vm vm;
static struct mmio_access seen;
static unsigned int accesses, aborts;
static u64 dev_value;
static bool dev_refuses;

static enum mmio_result dev_access(void *dev, struct mmio_access *acc)
{
	(void)dev;
	seen = *acc;
	accesses++;
	if (dev_refuses)
		return MMIO_BAD_ACCESS;
	if (!acc->is_write)
		acc->value = dev_value;
	return MMIO_OK;
}

static const struct emul_device dev = { "dev", DEV_BASE, DEV_SIZE, NULL, dev_access };

const struct emul_device *vm_find_emul(const struct vm *v, u64 ipa)
{
	FUZZ_CHECK(v == &vm);
	return ipa - DEV_BASE < DEV_SIZE ? &dev : NULL;
}

/* The faults work's answer to an access the VM has no right to (i11-faults' fault.c). */
enum trap_result guest_abort(struct guest_regs *r, u64 esr, const char *what);
enum trap_result guest_abort(struct guest_regs *r, u64 esr, const char *what)
{
	(void)r;
	(void)esr;
	FUZZ_CHECK(what && what[0]);
	aborts++;
	return TRAP_RESUME;
}

static u64 mask_of(unsigned int size)
{
	return size == 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct guest_regs regs, before;
	u64 iss = fuzz_u32(&in) & ((1u << 25) - 1);
	u64 esr = (u64)ESR_EC_DABT_LOW << 26 | ESR_IL | iss;
	u8 sel = fuzz_u8(&in);
	u64 ipa = fuzz_u64(&in);
	u64 far_hi = fuzz_u64(&in);
	unsigned int rt = (unsigned int)(iss >> ESR_DABT_SRT_SHIFT & ESR_DABT_SRT_MASK);
	unsigned int width = 1u << (iss >> ESR_DABT_SAS_SHIFT & ESR_DABT_SAS_MASK);
	bool reachable, faulted, handled;
	enum trap_result res = TRAP_RESUME;

	/* Mostly inside the device, where the decoding is. */
	ipa = sel & 1 ? ipa & GENMASK(51, 0) : DEV_BASE + ipa % DEV_SIZE;
	dev_refuses = fuzz_u8(&in) & 1;
	dev_value = fuzz_u64(&in) & mask_of(width); /* emul.c's answers are zero-extended */
	for (unsigned int i = 0; i < 31; i++)
		regs.x[i] = fuzz_u64(&in);
	regs.elr = 0x40080000;
	regs.spsr = 0x3c5;
	before = regs;

	fake_arch_reset();
	memset(&vm, 0, sizeof(vm));
	vm.vcpu_count = 1;
	vm.vcpus[0].vm = &vm;
	fake_run_on(0, &vm.vcpus[0]);
	fake_sysreg_set("hpfar_el2", (ipa >> 12) << 4);
	fake_sysreg_set("far_el2", (far_hi << 12) | (ipa & 0xfff));
	accesses = aborts = 0;

	faulted = FAKE_NORETURN(res = trap_data_abort(&regs, esr));
	handled = !faulted && !aborts && res == TRAP_SKIP;
	reachable = (iss & ESR_DABT_ISV) && (iss & FSC_TYPE_MASK) == FSC_TRANSLATION &&
		    !(iss & ESR_DABT_S1PTW) && !(iss & ESR_DABT_EA) && ipa - DEV_BASE < DEV_SIZE;

	FUZZ_CHECK(accesses == reachable);
	FUZZ_CHECK(regs.elr == before.elr && regs.spsr == before.spsr);
	if (accesses) {
		FUZZ_CHECK(seen.offset == ipa - DEV_BASE && seen.ipa == ipa);
		FUZZ_CHECK(seen.size == width);
		FUZZ_CHECK(seen.is_write == !!(iss & ESR_DABT_WNR));
		if (seen.is_write)
			FUZZ_CHECK(seen.value == (rt == 31 ? 0 : before.x[rt]));
	}
	if (!reachable || dev_refuses) {
		/* Refused: the VM's fault, and the frame as it was (i11-faults may skip a CM op). */
		FUZZ_CHECK(!handled || ((iss & (1u << 8)) && !reachable));
		FUZZ_CHECK(!memcmp(regs.x, before.x, sizeof(regs.x)));
		return 0;
	}
	FUZZ_CHECK(handled);
	for (unsigned int i = 0; i < 31; i++) {
		u64 want = before.x[i];

		if (i == rt && !(iss & ESR_DABT_WNR)) {
			want = dev_value;
			if ((iss & ESR_DABT_SSE) && width < 8 && (want >> (width * 8 - 1) & 1))
				want |= ~mask_of(width); /* sign-extended */
			if (!(iss & ESR_DABT_SF))
				want &= 0xffffffffULL; /* a W register: the upper half reads 0 */
		}
		if (regs.x[i] != want) {
			fprintf(stderr, "invariant broken: ISS 0x%llx: x%u = 0x%llx, the architecture says 0x%llx\n",
				(unsigned long long)iss, i, (unsigned long long)regs.x[i],
				(unsigned long long)want);
			abort();
		}
	}
	return 0;
}

/* Loads and stores a driver makes: LDR w1, LDRSB x2, LDRH w3, STR x4, STR wzr, LDR x5 (64-bit). */
static void seeds(const char *dir)
{
	static const struct { const char *name; u32 iss; } kinds[] = {
		{ "ldr-w", ESR_DABT_ISV | 2u << ESR_DABT_SAS_SHIFT | 1u << ESR_DABT_SRT_SHIFT | 0x07 },
		{ "ldrsb-x", ESR_DABT_ISV | ESR_DABT_SSE | 2u << ESR_DABT_SRT_SHIFT | ESR_DABT_SF | 0x06 },
		{ "ldrh-w", ESR_DABT_ISV | 1u << ESR_DABT_SAS_SHIFT | 3u << ESR_DABT_SRT_SHIFT | 0x07 },
		{ "str-x", ESR_DABT_ISV | 3u << ESR_DABT_SAS_SHIFT | 4u << ESR_DABT_SRT_SHIFT |
				   ESR_DABT_SF | ESR_DABT_WNR | 0x07 },
		{ "str-wzr", ESR_DABT_ISV | 2u << ESR_DABT_SAS_SHIFT | 31u << ESR_DABT_SRT_SHIFT |
				     ESR_DABT_WNR | 0x05 },
		{ "ldr-x", ESR_DABT_ISV | 3u << ESR_DABT_SAS_SHIFT | 5u << ESR_DABT_SRT_SHIFT |
				   ESR_DABT_SF | 0x07 },
	};

	for (unsigned int k = 0; k < ARRAY_SIZE(kinds); k++) {
		struct fuzz_seed s = { .len = 0 };

		seed_put(&s, kinds[k].iss, 4), seed_put(&s, 0, 1), seed_put(&s, 0x18 + 4 * k, 8);
		seed_put(&s, 0xffff0000, 8), seed_put(&s, 0, 1), seed_put(&s, 0x80818283f4f5f6f7ULL, 8);
		for (unsigned int i = 0; i < 31; i++)
			seed_put(&s, 0x5a5a5a5a00000000ULL | i, 8);
		fuzz_write_seed(dir, kinds[k].name, s.b, s.len);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init(seeds);
	return 0;
}
