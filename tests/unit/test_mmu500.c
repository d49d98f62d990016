/*
 * The MMU-500 (SMMUv2) driver, hyp/drivers/smmu/smmuv2.c, against a register
 * model of the hardware (mmu500_model.c): what a VM's streams can reach is
 * judged by translating transactions through what the driver programmed,
 * not by reading back the driver's own constants.
 *
 * The driver keeps up to 4 probed instances in static storage; each test
 * that probes successfully uses one, so at most 4 may.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fake_arch.h"
#include "mmu500_model.h"

#include <arch/pgtable.h>
#include <tessera/iommu_driver.h>

extern const struct iommu_driver mmu500_driver, nvidia_mmu500_driver;

#define BASE_A 0x12000000ULL /* Tegra234 SMMU0's pair: orin-hardware.md section 6 */
#define BASE_B 0x11000000ULL
#define IPA 0x80000000ULL
#define VM_BYTES 0x4000

static struct mmu500_model model_a, model_b;
static u64 pages[24][PT_ENTRIES] __aligned(4096);
static struct pt_pool pool;
static u8 mem0[VM_BYTES] __aligned(4096), mem1[VM_BYTES] __aligned(4096);
static struct pgtable s2_0, s2_1;
static struct iommu_domain dom0, dom1;
static struct platform_iommu desc;
static struct iommu iommu;
static char err[128];

/* What core/iommu.c and mmu.c give a driver. */
int mmu_map_device(u64 base, u64 size)
{
	(void)base;
	(void)size;
	return 0;
}

void iommu_route_irq(struct iommu *io, unsigned int index)
{
	(void)io;
	(void)index;
}

int iommu_irq_index(const struct iommu *io, const char *name)
{
	(void)io;
	(void)name;
	return -1;
}

static struct iommu_fault reported[8];
static unsigned int reported_count;

void iommu_fault(struct iommu *io, const struct iommu_fault *f)
{
	(void)io;
	assert_in_range(reported_count, 0, ARRAY_SIZE(reported) - 1);
	reported[reported_count++] = *f;
}

static u64 pa_of(const void *p)
{
	return (u64)(uintptr_t)p;
}

/* As core/iommu.c builds a domain for a driver with needs_s2_pages. */
static void domain(struct iommu_domain *dom, struct pgtable *s2, unsigned int index, u8 *mem)
{
	assert_int_equal(pt_init(s2, PT_STAGE2, &pool), PT_OK);
	assert_int_equal(pt_map(s2, IPA, pa_of(mem), VM_BYTES, PT_R | PT_W), PT_OK);
	*dom = (struct iommu_domain){ .index = index, .vmid = (u16)(index + 1), .s2 = s2,
				      .has_s2_pages = true };
	assert_int_equal(pt_init_pages(&dom->s2_pages, PT_STAGE2, &pool), PT_OK);
	assert_int_equal(pt_copy_range(&dom->s2_pages, s2, IPA, VM_BYTES), PT_OK);
}

static int setup(void **state)
{
	static struct mmu500_model *const both[] = { &model_a, &model_b };

	(void)state;
	fake_arch_reset();
	fake_sysreg_set("cntfrq_el0", 62500000);
	fake_sysreg_set("cntpct_el0", 1000);
	mmu500_model_init(&model_a, BASE_A);
	mmu500_model_init(&model_b, BASE_B);
	mmu500_models_use(both, 2);
	pool = (struct pt_pool){ pages, 16, 0 };
	domain(&dom0, &s2_0, 0, mem0);
	domain(&dom1, &s2_1, 1, mem1);
	desc = (struct platform_iommu){ .reg_count = 1,
					.regs = { { BASE_A, MMU500_MODEL_SIZE },
						  { BASE_B, MMU500_MODEL_SIZE } } };
	iommu = (struct iommu){ .drv = &mmu500_driver, .desc = &desc };
	reported_count = 0;
	return 0;
}

static void probe(const struct iommu_driver *drv, unsigned int instances)
{
	desc.reg_count = instances;
	iommu.drv = drv;
	assert_int_equal(drv->probe(&iommu, err, sizeof(err)), 0);
}

static void attach(struct iommu_domain *dom, u32 sid, u32 count)
{
	assert_int_equal(iommu.drv->attach(&iommu, sid, count, dom, err, sizeof(err)), 0);
}

/* Translates on @m and returns the PA, or fails the test with the model's reason. */
static u64 reach(struct mmu500_model *m, u32 sid, u64 addr, bool write)
{
	u64 pa = 0;

	if (mmu500_translate(m, sid, addr, write, &pa) != MMU500_OK)
		fail_msg("stream 0x%x to 0x%llx: %s", sid, (unsigned long long)addr, m->why);
	return pa;
}

static void faults(struct mmu500_model *m, u32 sid, u64 addr)
{
	u64 pa;

	assert_int_equal(mmu500_translate(m, sid, addr, false, &pa), MMU500_FAULT);
}

/* ---------------------------------------------------------------- tests */

static void test_vm_reaches_only_its_memory(void **state)
{
	(void)state;
	probe(&mmu500_driver, 1);
	assert_true(fake_printk_contains("MMU-500, 16 stream match registers, 8 context banks"));
	assert_int_equal(mmu500_reg(&model_a, 0x048), 0); /* the old fault acknowledged */
	/* After probe, before any attach: every stream faults, nothing bypasses. */
	faults(&model_a, 0x10, IPA);

	attach(&dom0, 0x10, 2);
	attach(&dom1, 0x20, 1);
	assert_int_equal(reach(&model_a, 0x10, IPA + 0x1008, true), pa_of(mem0) + 0x1008);
	assert_int_equal(reach(&model_a, 0x11, IPA + VM_BYTES - 8, false),
			 pa_of(mem0) + VM_BYTES - 8);
	assert_int_equal(reach(&model_a, 0x20, IPA, true), pa_of(mem1));
	/* Outside the VM's memory: below, just past it, the other VM's PA as an IPA. */
	faults(&model_a, 0x10, IPA - 0x1000);
	faults(&model_a, 0x10, IPA + VM_BYTES);
	faults(&model_a, 0x10, pa_of(mem1) & ((1ULL << 39) - 1));
	faults(&model_a, 0x10, 1ULL << 40);
	/* Streams nobody attached. */
	faults(&model_a, 0x12, IPA);
	faults(&model_a, 0x7fff, IPA);
	/* A stream attached twice, or a range past 15 bits, is refused. */
	assert_int_equal(mmu500_driver.attach(&iommu, 0x11, 1, &dom1, err, sizeof(err)), -1);
	assert_int_equal(mmu500_driver.attach(&iommu, 0x7fff, 2, &dom1, err, sizeof(err)), -1);
	assert_int_equal(reach(&model_a, 0x11, IPA, false), pa_of(mem0));
}

/*
 * Every (stream, address, direction) of a window around both VMs' memory
 * (streams 0x30 and 0x31 attached), on both instances of a pair under
 * Tegra234's mask: a stream reaches its
 * own VM's page at the same offset and nothing else; the other VM's
 * memory, the pages around, and every stream no VM has fault.
 */
static void sweep_pair(void)
{
	static struct mmu500_model *const both[] = { &model_a, &model_b };
	const u64 lo = IPA - 8 * SZ_4K, hi = IPA + VM_BYTES + 8 * SZ_4K;
	unsigned long checked = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(both); i++)
		for (u32 sid = 0; sid < 0x400; sid++)
			for (u64 addr = lo; addr < hi; addr += SZ_4K / 2)
				for (int w = 0; w < 2; w++) {
					const u8 *mem = (sid & 0x7f) == 0x30 ? mem0 :
							(sid & 0x7f) == 0x31 ? mem1 : NULL;
					bool inside = mem && addr >= IPA && addr < IPA + VM_BYTES;
					u64 pa = 0;
					enum mmu500_result r =
						mmu500_translate(both[i], sid, addr, w, &pa);

					if (inside && (r != MMU500_OK || pa != pa_of(mem) + addr - IPA))
						fail_msg("instance %u stream 0x%x 0x%llx: %s", i, sid,
							 (unsigned long long)addr, both[i]->why);
					if (!inside && r != MMU500_FAULT)
						fail_msg("instance %u stream 0x%x 0x%llx reached 0x%llx", i,
							 sid, (unsigned long long)addr,
							 (unsigned long long)pa);
					checked++;
				}
	assert_int_equal(checked, 2UL * 0x400 * ((hi - lo) / (SZ_4K / 2)) * 2);
	printf("  %lu translations checked on the pair\n", checked);
	/* The faults the sweep left recorded: acknowledged, so the tests after see their own. */
	nvidia_mmu500_driver.irq(&iommu, 0);
	assert_true(reported_count > 0);
	reported_count = 0;
}

static void test_pair_instances_identical(void **state)
{
	(void)state;
	desc.reg_count = 1; /* the pair's compatible with one reg: refused */
	iommu.drv = &nvidia_mmu500_driver;
	assert_int_equal(nvidia_mmu500_driver.probe(&iommu, err, sizeof(err)), -1);

	/*
	 * Tegra234's pairs match streams under stream-match-mask 0x7f80 (only
	 * the MC's 7-bit stream ID counts: orin-hardware.md 6.1). SMRs with
	 * fewer MASK bits than that cannot: refused.
	 */
	desc.stream_match_mask = 0x7f80;
	model_b.smr_mask_bits = 0x00ff;
	iommu.drv = &nvidia_mmu500_driver;
	desc.reg_count = 2;
	assert_int_equal(nvidia_mmu500_driver.probe(&iommu, err, sizeof(err)), -1);
	assert_string_equal(err, "its SMRs do not implement the mask bits stream-match-mask gives");
	model_b.smr_mask_bits = 0x7fff;

	probe(&nvidia_mmu500_driver, 2);
	attach(&dom0, 0x30, 1);
	attach(&dom1, 0x31, 1);
	/* (The driver has 4 probe slots, which the tests use up: the sweep shares this one.) */
	sweep_pair();
	assert_int_equal(mmu500_reg(&model_a, 0x800), (1U << 31) | (0x7f80U << 16) | 0x30); /* SMR0 */
	/* Masked bits do not count: 0x130 is 0x30; 0xb0 is too, so another VM cannot have it. */
	assert_int_equal(reach(&model_a, 0x130, IPA, false), pa_of(mem0));
	assert_int_equal(nvidia_mmu500_driver.attach(&iommu, 0xb0, 1, &dom1, err, sizeof(err)), -1);
	assert_string_equal(err, "a stream in the range is already attached (under the SMR mask)");
	attach(&dom0, 0xb0, 1); /* its own VM's: the SMR it has already matches it */
	assert_int_equal(mmu500_reg(&model_a, 0x808) >> 31, 0); /* SMR2: still unused */
	nvidia_mmu500_driver.block(&iommu, &dom1, true);
	assert_memory_equal(model_a.regs, model_b.regs, sizeof(model_a.regs));
	assert_int_equal(reach(&model_b, 0x30, IPA + 0x2000, true), pa_of(mem0) + 0x2000);
	faults(&model_b, 0x31, IPA);
	faults(&model_b, 0x32, IPA);

	/* Faults on either instance are reported, with the stream, address and direction. */
	assert_int_equal(mmu500_translate(&model_b, 0x30, IPA + VM_BYTES, true, &(u64){ 0 }),
			 MMU500_FAULT);
	faults(&model_a, 0x33, IPA);
	nvidia_mmu500_driver.irq(&iommu, 0);
	assert_int_equal(reported_count, 3);
	assert_int_equal(reported[0].sid, 0x33); /* instance A's unmatched stream */
	assert_false(reported[0].has_addr);
	assert_int_equal(reported[1].sid, 0x32); /* instance B's unmatched stream, from above */
	assert_int_equal(reported[2].sid, 0x30); /* instance B's context fault */
	assert_true(reported[2].has_addr && reported[2].has_dir && reported[2].write);
	assert_int_equal(reported[2].addr, IPA + VM_BYTES);
	assert_string_equal(reported[2].what, "translation fault");
	nvidia_mmu500_driver.irq(&iommu, 0); /* acknowledged: nothing again */
	assert_int_equal(reported_count, 3);
}

static void test_block_faults_stream(void **state)
{
	(void)state;
	probe(&mmu500_driver, 1);
	attach(&dom0, 0x40, 1);
	attach(&dom1, 0x41, 1);
	dom0.blocked = true; /* as core/iommu.c sets it before calling block() */
	mmu500_driver.block(&iommu, &dom0, true);
	faults(&model_a, 0x40, IPA);
	assert_int_equal(reach(&model_a, 0x41, IPA, false), pa_of(mem1)); /* the other VM goes on */
	attach(&dom0, 0x42, 1); /* a stream attached while blocked starts blocked */
	faults(&model_a, 0x42, IPA);
	dom0.blocked = false;
	mmu500_driver.block(&iommu, &dom0, false);
	assert_int_equal(reach(&model_a, 0x40, IPA, false), pa_of(mem0));
	assert_int_equal(reach(&model_a, 0x42, IPA, false), pa_of(mem0));
}

/*
 * A stage 2 with a 2 MiB block, which the MMU-500 cannot walk: the stream
 * translates through the pages-only mirror, to the VM's memory only.
 */
static void test_blocks_through_mirror(void **state)
{
	static u8 big[2 * SZ_2M] __aligned(4096);
	u64 aligned = (pa_of(big) + SZ_2M - 1) & ~(u64)(SZ_2M - 1);
	unsigned int level = 0;

	(void)state;
	probe(&mmu500_driver, 1);
	assert_int_equal(pt_map(&s2_0, 0x40000000, aligned, SZ_2M, PT_R | PT_W), PT_OK);
	assert_true(pt_lookup(&s2_0, 0x40000000, NULL, NULL, &level));
	assert_int_equal(level, 2); /* the source really has a block */
	/* Without the mirror attach refuses rather than let the SMMU walk the block. */
	dom0.has_s2_pages = false;
	assert_int_equal(mmu500_driver.attach(&iommu, 0x50, 1, &dom0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "mirror"));
	faults(&model_a, 0x50, IPA);
	dom0.has_s2_pages = true;
	assert_int_equal(pt_copy_range(&dom0.s2_pages, &s2_0, 0x40000000, SZ_2M), PT_OK);
	attach(&dom0, 0x50, 1);
	attach(&dom1, 0x51, 1);
	assert_int_equal(reach(&model_a, 0x50, 0x40000000, true), aligned);
	assert_int_equal(reach(&model_a, 0x50, 0x40000000 + SZ_2M - 8, false),
			 aligned + SZ_2M - 8);
	assert_int_equal(reach(&model_a, 0x50, IPA + 0x1010, true), pa_of(mem0) + 0x1010);
	faults(&model_a, 0x50, 0x40000000 + SZ_2M);
	faults(&model_a, 0x50, 0x40000000 - 0x1000);
	faults(&model_a, 0x51, 0x40000000); /* the other VM's mirror lacks it */
	assert_int_equal(reach(&model_a, 0x51, IPA, false), pa_of(mem1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_vm_reaches_only_its_memory, setup),
		cmocka_unit_test_setup(test_pair_instances_identical, setup),
		cmocka_unit_test_setup(test_block_faults_stream, setup),
		cmocka_unit_test_setup(test_blocks_through_mirror, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
