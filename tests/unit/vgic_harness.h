/*
 * Harness shared by the vGIC unit tests: the vGIC sources, the host fakes
 * (fake_ich.c) and helpers to drive both, in one translation unit per test.
 * vCPU i runs on fake CPU i; GICD accesses come from vCPU 0.
 */
#ifndef VGIC_HARNESS_H
#define VGIC_HARNESS_H

#include "fake_ich.h"

#include "../../hyp/core/emul.c"
#include "../../hyp/virt/vgic.c"
#include "../../hyp/virt/vgic_hw.c"
#include "../../hyp/virt/vgic_sgi.c"
#include "../../hyp/virt/vgic_mmio.c"
#include "../../hyp/virt/vgic_dist.c"
#include "../../hyp/virt/vgic_redist.c"
#include "fake_ich.c"

#define NR_VCPUS 4
#define CTLR_G01 (GICD_CTLR_ENABLE_G0 | GICD_CTLR_ENABLE_G1)
#define WORD(base, intid) ((base) + (intid) / 32 * 4)
#define BITOF(intid) (1u << ((intid) % 32))

static struct vm *vm;

static inline int setup(void **state)
{
	(void)state;
	nr_lrs = 0; /* vgic.c reads ICH_VTR once; let each VM's first vgic_cpu_enter do it */
	vm = fake_vm_create(NR_VCPUS);
	return 0;
}

/* ---- register access helpers: GICD from vCPU 0, GICR frame of vCPU @v */

static inline enum mmio_result vgic_io(bool gicr, unsigned int v, u64 off, unsigned int size,
				       bool wr, u64 *value)
{
	struct mmio_access a = { .offset = off, .size = size, .is_write = wr, .value = *value };
	enum mmio_result res = gicr ? vgicr_access(&vm->vcpus[v], &a)
				    : vgicd_access(vm, &a);

	assert_int_equal(vm->vgic.lock.held, 0); /* released on every path */
	*value = a.value;
	return res;
}

static inline u64 d_rd(u64 off, unsigned int size)
{
	u64 v = 0xdeadbeefdeadbeefULL;

	assert_int_equal(vgic_io(false, 0, off, size, false, &v), MMIO_OK);
	return v;
}

static inline void d_wr(u64 off, unsigned int size, u64 value)
{
	assert_int_equal(vgic_io(false, 0, off, size, true, &value), MMIO_OK);
}

static inline u64 r_rd(unsigned int v, u64 off, unsigned int size)
{
	u64 val = 0xdeadbeefdeadbeefULL;

	assert_int_equal(vgic_io(true, v, off, size, false, &val), MMIO_OK);
	return val;
}

static inline void r_wr(unsigned int v, u64 off, unsigned int size, u64 value)
{
	assert_int_equal(vgic_io(true, v, off, size, true, &value), MMIO_OK);
}

static inline enum mmio_result try_access(bool gicr, u64 off, unsigned int size, bool wr)
{
	u64 v = 0;

	return vgic_io(gicr, 0, off, size, wr, &v);
}

#define SGIF(reg) (GICR_SGI_BASE + (reg))

/* ---- state helpers */

static inline void flush_on(unsigned int cpu)
{
	fake_ich_cpu = cpu;
	vgic_flush(&vm->vcpus[cpu]);
}

static inline void maintenance_on(unsigned int cpu)
{
	fake_ich_cpu = cpu;
	vgic_maintenance(&vm->vcpus[cpu]);
}

static inline bool queued_on(unsigned int v, u32 intid)
{
	return vm->vcpus[v].vgic.queued[intid / 32] & BITOF(intid);
}

/* An SPI enabled at @prio through the distributor. */
static inline void spi_enable(u32 intid, u8 prio)
{
	d_wr(GICD_IPRIORITYR + intid, 1, prio);
	d_wr(WORD(GICD_ISENABLER, intid), 4, BITOF(intid));
}

static inline void spi_make_edge(u32 intid)
{
	u64 off = GICD_ICFGR + intid / 16 * 4;

	d_wr(off, 4, d_rd(off, 4) | 2ULL << (intid % 16 * 2));
}

static inline int lr_of(unsigned int cpu, u32 intid)
{
	return fake_lr_find(cpu, intid);
}

static inline u64 lr_val(unsigned int cpu, u32 intid)
{
	int n = lr_of(cpu, intid);

	assert_true(n >= 0);
	return fake_ich[cpu].lr[n];
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

#endif
