/*
 * The vGIC on the host: the register files (GICD, GICR) through their MMIO
 * entry points, and the state machine through list registers faked per CPU
 * (fake_ich.c). vCPU i runs on fake CPU i.
 */
#include "fake_ich.h"

#include "../../hyp/core/emul.c"
#include "../../hyp/virt/vgic.c"
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

static int setup(void **state)
{
	(void)state;
	nr_lrs = 0; /* vgic.c reads ICH_VTR once; let each VM's first vgic_cpu_enter do it */
	vm = fake_vm_create(NR_VCPUS);
	return 0;
}

/* ---- register access helpers: GICD from vCPU 0, GICR frame of vCPU @v */

static enum mmio_result vgic_io(bool gicr, unsigned int v, u64 off, unsigned int size, bool wr,
			       u64 *value)
{
	struct mmio_access a = { .offset = off, .size = size, .is_write = wr, .value = *value };
	enum mmio_result res = gicr ? vgicr_access(&vm->vcpus[v], &a) : vgicd_access(&vm->vcpus[0], &a);

	assert_int_equal(vm->vgic.lock.held, 0); /* released on every path */
	*value = a.value;
	return res;
}

static u64 d_rd(u64 off, unsigned int size)
{
	u64 v = 0xdeadbeefdeadbeefULL;

	assert_int_equal(vgic_io(false, 0, off, size, false, &v), MMIO_OK);
	return v;
}

static void d_wr(u64 off, unsigned int size, u64 value)
{
	assert_int_equal(vgic_io(false, 0, off, size, true, &value), MMIO_OK);
}

static u64 r_rd(unsigned int v, u64 off, unsigned int size)
{
	u64 val = 0xdeadbeefdeadbeefULL;

	assert_int_equal(vgic_io(true, v, off, size, false, &val), MMIO_OK);
	return val;
}

static void r_wr(unsigned int v, u64 off, unsigned int size, u64 value)
{
	assert_int_equal(vgic_io(true, v, off, size, true, &value), MMIO_OK);
}

static enum mmio_result try_access(bool gicr, u64 off, unsigned int size, bool wr)
{
	u64 v = 0;

	return vgic_io(gicr, 0, off, size, wr, &v);
}

#define SGIF(reg) (GICR_SGI_BASE + (reg))

/* ---- state helpers */

static void flush_on(unsigned int cpu)
{
	fake_ich_cpu = cpu;
	vgic_flush(&vm->vcpus[cpu]);
}

static void maintenance_on(unsigned int cpu)
{
	fake_ich_cpu = cpu;
	vgic_maintenance(&vm->vcpus[cpu]);
}

static bool queued_on(unsigned int v, u32 intid)
{
	return vm->vcpus[v].vgic.queued[intid / 32] & BITOF(intid);
}

/* An SPI enabled at @prio through the distributor. */
static void spi_enable(u32 intid, u8 prio)
{
	d_wr(GICD_IPRIORITYR + intid, 1, prio);
	d_wr(WORD(GICD_ISENABLER, intid), 4, BITOF(intid));
}

static void spi_make_edge(u32 intid)
{
	u64 off = GICD_ICFGR + intid / 16 * 4;

	d_wr(off, 4, d_rd(off, 4) | 2ULL << (intid % 16 * 2));
}

static int lr_of(unsigned int cpu, u32 intid)
{
	return fake_lr_find(cpu, intid);
}

static u64 lr_val(unsigned int cpu, u32 intid)
{
	int n = lr_of(cpu, intid);

	assert_true(n >= 0);
	return fake_ich[cpu].lr[n];
}

/* ---- pending / active / enable through the registers */

static void test_pending_active_registers(void **state)
{
	(void)state;
	assert_int_equal(d_rd(WORD(GICD_ISPENDR, 40), 4), 0);
	d_wr(WORD(GICD_ISPENDR, 40), 4, BITOF(40));
	assert_int_equal(d_rd(WORD(GICD_ISPENDR, 40), 4), BITOF(40));
	assert_int_equal(d_rd(WORD(GICD_ICPENDR, 40), 4), BITOF(40));
	d_wr(WORD(GICD_ICPENDR, 40), 4, BITOF(40));
	assert_int_equal(d_rd(WORD(GICD_ISPENDR, 40), 4), 0);

	/* A level line stays pending while high, whatever ICPENDR says. */
	vgic_set_level(vm, 41, true);
	assert_int_equal(d_rd(WORD(GICD_ISPENDR, 41), 4), BITOF(41));
	d_wr(WORD(GICD_ICPENDR, 41), 4, BITOF(41));
	assert_int_equal(d_rd(WORD(GICD_ISPENDR, 41), 4), BITOF(41));
	vgic_set_level(vm, 41, false);
	assert_int_equal(d_rd(WORD(GICD_ISPENDR, 41), 4), 0);

	d_wr(WORD(GICD_ISACTIVER, 40), 4, BITOF(40) | BITOF(42));
	assert_int_equal(d_rd(WORD(GICD_ICACTIVER, 40), 4), BITOF(40) | BITOF(42));
	d_wr(WORD(GICD_ICACTIVER, 40), 4, BITOF(40));
	assert_int_equal(d_rd(WORD(GICD_ISACTIVER, 40), 4), BITOF(42));

	d_wr(WORD(GICD_ISENABLER, 40), 4, BITOF(40) | BITOF(63));
	assert_int_equal(d_rd(WORD(GICD_ICENABLER, 40), 4), BITOF(40) | BITOF(63));
	d_wr(WORD(GICD_ICENABLER, 40), 4, BITOF(63));
	assert_int_equal(d_rd(WORD(GICD_ISENABLER, 40), 4), BITOF(40));

	assert_int_equal(d_rd(WORD(GICD_IGROUPR, 40), 4), 0xffffffff); /* Group 1 at reset */
	d_wr(WORD(GICD_IGROUPR, 40), 4, 0xfffffffe);
	assert_false(vgic_get_irq(vm, NULL, 32)->group1);

	/* The private ones are the redistributors': per vCPU. */
	r_wr(1, SGIF(GICR_ISPENDR0), 4, BITOF(20) | BITOF(2));
	assert_int_equal(r_rd(1, SGIF(GICR_ISPENDR0), 4), BITOF(20) | BITOF(2));
	assert_int_equal(r_rd(0, SGIF(GICR_ISPENDR0), 4), 0);
	r_wr(1, SGIF(GICR_ICPENDR0), 4, BITOF(20));
	assert_int_equal(r_rd(1, SGIF(GICR_ISPENDR0), 4), BITOF(2));
	r_wr(2, SGIF(GICR_ISACTIVER0), 4, BITOF(25));
	assert_int_equal(r_rd(2, SGIF(GICR_ICACTIVER0), 4), BITOF(25));
	assert_int_equal(r_rd(3, SGIF(GICR_ISACTIVER0), 4), 0);
	r_wr(2, SGIF(GICR_ICACTIVER0), 4, BITOF(25));
	assert_int_equal(r_rd(2, SGIF(GICR_ISACTIVER0), 4), 0);
}

/* ---- enable + pending + group enable: queued on the target and kicked */

static void test_delivery_needs_all_three(void **state)
{
	(void)state;
	d_wr(WORD(GICD_ISPENDR, 50), 4, BITOF(50));
	assert_false(queued_on(0, 50));
	d_wr(WORD(GICD_ISENABLER, 50), 4, BITOF(50));
	assert_false(queued_on(0, 50)); /* the group is disabled */
	assert_int_equal(fake_kicks[0], 0);

	d_wr(GICD_CTLR, 4, GICD_CTLR_ENABLE_G1);
	assert_true(queued_on(0, 50));
	assert_true(vm->vcpus[0].vgic.any_queued);
	assert_int_equal(fake_kicks[0], 1);
	for (unsigned int v = 1; v < NR_VCPUS; v++) {
		assert_false(queued_on(v, 50));
		assert_int_equal(fake_kicks[v], 0);
	}
	flush_on(0);
	assert_true(lr_of(0, 50) >= 0);
	assert_false(queued_on(0, 50));
	assert_false(vm->vcpus[0].vgic.any_queued);

	/* Group 0 interrupts wait for EnableGrp0. */
	d_wr(WORD(GICD_IGROUPR, 51), 4, d_rd(WORD(GICD_IGROUPR, 51), 4) & ~BITOF(51));
	spi_enable(51, 0xa0);
	vgic_inject(vm, NULL, 51);
	flush_on(0);
	assert_int_equal(lr_of(0, 51), -1);
	d_wr(GICD_CTLR, 4, CTLR_G01);
	flush_on(0);
	assert_true(lr_of(0, 51) >= 0);
}

/* ---- what vgic_flush puts in a list register */

static void test_flush_lr_contents(void **state)
{
	(void)state;
	d_wr(GICD_CTLR, 4, CTLR_G01);
	spi_enable(45, 0x80);
	spi_make_edge(45);
	vgic_inject(vm, NULL, 45);
	flush_on(0);
	assert_int_equal(lr_val(0, 45), 45 | 0x80ULL << ICH_LR_PRIORITY_SHIFT | ICH_LR_GROUP1 |
						ICH_LR_STATE_PENDING);
	assert_int_equal(vgic_get_irq(vm, NULL, 45)->lr, lr_of(0, 45));
	assert_int_equal(fake_ich[0].hcr, ICH_HCR_EN);

	/* Group 0, level, from an emulated device: no group bit, EOI maintenance. */
	d_wr(WORD(GICD_IGROUPR, 46), 4, d_rd(WORD(GICD_IGROUPR, 46), 4) & ~BITOF(46));
	spi_enable(46, 0x18);
	vgic_set_level(vm, 46, true);
	flush_on(0);
	assert_int_equal(lr_val(0, 46), 46 | 0x18ULL << ICH_LR_PRIORITY_SHIFT | ICH_LR_EOI |
						ICH_LR_STATE_PENDING);
}

static void test_inject_hw(void **state)
{
	(void)state;
	d_wr(GICD_CTLR, 4, CTLR_G01);
	r_wr(1, SGIF(GICR_IPRIORITYR) + 27, 1, 0x20);
	r_wr(1, SGIF(GICR_ISENABLER0), 4, BITOF(27));
	fake_ich_cpu = 1;
	vgic_inject_hw(&vm->vcpus[1], 27);
	assert_true(queued_on(1, 27));
	assert_int_equal(fake_kicks[1], 1);
	flush_on(1);
	assert_int_equal(lr_val(1, 27), 27 | 27ULL << ICH_LR_PINTID_SHIFT | ICH_LR_HW |
						0x20ULL << ICH_LR_PRIORITY_SHIFT | ICH_LR_GROUP1 |
						ICH_LR_STATE_PENDING);
	assert_int_equal(lr_of(0, 27), -1);

	/* Re-entering with it active deactivates the physical one and forgets the LR. */
	fake_guest_ack(1, (unsigned int)lr_of(1, 27));
	fake_ich_cpu = 1;
	vgic_cpu_enter(&vm->vcpus[1]);
	assert_int_equal(fake_deactivated_count, 1);
	assert_int_equal(fake_deactivated[0], 27);
	assert_int_equal(lr_of(1, 27), -1);
	assert_int_equal(vm->vcpus[1].vgic.priv[27].lr, VGIC_NO_LR);
	vgic_inject_hw(&vm->vcpus[1], 27);
	flush_on(1);
	assert_true(lr_of(1, 27) >= 0); /* delivered again, not stuck "in an LR" */
}

/* ---- level interrupt: EOI maintenance, resampled line */

static void test_level_eoi_requeue(void **state)
{
	struct vgic_irq *irq = vgic_get_irq(vm, NULL, 60);
	int n;

	(void)state;
	d_wr(GICD_CTLR, 4, CTLR_G01);
	spi_enable(60, 0xa0);
	vgic_set_level(vm, 60, true);
	flush_on(0);
	n = lr_of(0, 60);
	assert_true(n >= 0);
	assert_true(lr_val(0, 60) & ICH_LR_EOI);

	fake_guest_ack(0, (unsigned int)n);
	fake_guest_eoi(0, (unsigned int)n);
	assert_int_equal(lr_of(0, 60), -1);
	maintenance_on(0); /* the line is still high: pending again */
	n = lr_of(0, 60);
	assert_true(n >= 0);
	assert_true(lr_val(0, 60) & ICH_LR_STATE_PENDING);
	assert_int_equal(irq->lr, n);

	vgic_set_level(vm, 60, false);
	fake_guest_ack(0, (unsigned int)n);
	fake_guest_eoi(0, (unsigned int)n);
	maintenance_on(0);
	assert_int_equal(lr_of(0, 60), -1);
	assert_int_equal(irq->lr, VGIC_NO_LR);
	assert_int_equal(vm->vcpus[0].vgic.lr_used, 0);
}

/* ---- edge interrupt: a new edge while active pends it in the same LR, nothing else does */

static void test_edge_while_active(void **state)
{
	int n;

	(void)state;
	d_wr(GICD_CTLR, 4, CTLR_G01);
	spi_enable(70, 0xa0);
	spi_make_edge(70);
	vgic_inject(vm, NULL, 70);
	flush_on(0);
	n = lr_of(0, 70);
	assert_true(n >= 0);
	fake_guest_ack(0, (unsigned int)n);

	/* Re-evaluated without a new edge (GICD_CTLR rewrite): no second delivery. */
	d_wr(GICD_CTLR, 4, GICD_CTLR_ENABLE_G1);
	d_wr(GICD_CTLR, 4, CTLR_G01);
	flush_on(0);
	assert_int_equal(fake_ich[0].lr[n] & ICH_LR_STATE_MASK, ICH_LR_STATE_ACTIVE);

	vgic_inject(vm, NULL, 70);
	flush_on(0);
	assert_int_equal(lr_of(0, 70), n);
	assert_int_equal(fake_ich[0].lr[n] & ICH_LR_STATE_MASK, ICH_LR_STATE_MASK);
	fake_guest_eoi(0, (unsigned int)n);
	fake_guest_ack(0, (unsigned int)n);
	fake_guest_eoi(0, (unsigned int)n);
	assert_int_equal(lr_of(0, 70), -1);

	/* An edge that arrives just before the guest completes the LR is not lost. */
	vgic_inject(vm, NULL, 70);
	flush_on(0);
	n = lr_of(0, 70);
	fake_guest_ack(0, (unsigned int)n);
	vgic_inject(vm, NULL, 70);
	fake_guest_eoi(0, (unsigned int)n);
	flush_on(0);
	assert_true(lr_of(0, 70) >= 0);
	assert_true(lr_val(0, 70) & ICH_LR_STATE_PENDING);
}

/* ---- more pending interrupts than list registers */

static void test_lr_overflow(void **state)
{
	static const u8 prio[6] = { 0x50, 0x10, 0x40, 0x30, 0x20, 0x60 }; /* SPIs 80-85 */

	(void)state;
	d_wr(GICD_CTLR, 4, CTLR_G01);
	for (unsigned int i = 0; i < 6; i++)
		spi_enable(80 + i, prio[i]);
	d_wr(WORD(GICD_ISPENDR, 80), 4, 0x3fULL << (80 % 32));
	flush_on(0);
	for (u32 intid = 81; intid <= 84; intid++)
		assert_true(lr_of(0, intid) >= 0);
	assert_int_equal(lr_of(0, 80), -1);
	assert_int_equal(lr_of(0, 85), -1);
	assert_int_equal(fake_ich[0].hcr, ICH_HCR_EN | ICH_HCR_UIE);
	assert_true(vm->vcpus[0].vgic.any_queued);

	/* The guest finishes two; the underflow maintenance interrupt brings in the rest. */
	for (u32 intid = 81; intid <= 82; intid++) {
		unsigned int n = (unsigned int)lr_of(0, intid);

		fake_guest_ack(0, n);
		fake_guest_eoi(0, n);
	}
	maintenance_on(0);
	for (u32 intid = 83; intid <= 85; intid++)
		assert_true(lr_of(0, intid) >= 0);
	assert_true(lr_of(0, 80) >= 0);
	assert_int_equal(fake_ich[0].hcr, ICH_HCR_EN);
	assert_false(vm->vcpus[0].vgic.any_queued);
}

/* ---- SPI routing through GICD_IROUTER */

static void test_routing(void **state)
{
	(void)state;
	d_wr(GICD_CTLR, 4, CTLR_G01);

	d_wr(GICD_IROUTER + 90 * 8, 8, 1); /* Aff0 = 1 */
	assert_int_equal(d_rd(GICD_IROUTER + 90 * 8, 8), 1);
	spi_enable(90, 0xa0);
	vgic_inject(vm, NULL, 90);
	assert_true(queued_on(1, 90));
	assert_false(queued_on(0, 90));
	assert_int_equal(fake_kicks[1], 1);
	assert_int_equal(fake_kicks[0], 0);
	flush_on(0);
	flush_on(1);
	assert_true(lr_of(1, 90) >= 0);
	assert_int_equal(lr_of(0, 90), -1);

	/* An affinity no vCPU has: pending, never delivered. */
	d_wr(GICD_IROUTER + 91 * 8, 8, 0x100); /* Aff1 = 1 */
	spi_enable(91, 0xa0);
	vgic_inject(vm, NULL, 91);
	for (unsigned int v = 0; v < NR_VCPUS; v++) {
		assert_false(queued_on(v, 91));
		flush_on(v);
		assert_int_equal(lr_of(v, 91), -1);
	}
	assert_int_equal(d_rd(WORD(GICD_ISPENDR, 91), 4) & BITOF(91), BITOF(91));
	d_wr(GICD_IROUTER + 91 * 8, 8, NR_VCPUS); /* Aff0 past the last vCPU */
	assert_int_equal(vgic_get_irq(vm, NULL, 91)->target, VGIC_NO_TARGET);

	/* Interrupt_Routing_Mode: vCPU 0, whatever the affinity says. */
	d_wr(GICD_IROUTER + 92 * 8, 8, GICD_IROUTER_IRM | 3);
	spi_enable(92, 0xa0);
	vgic_inject(vm, NULL, 92);
	assert_true(queued_on(0, 92));
	assert_false(queued_on(3, 92));

	/* 32-bit halves; reserved bits read as zero. */
	d_wr(GICD_IROUTER + 93 * 8, 4, 2);
	d_wr(GICD_IROUTER + 93 * 8 + 4, 4, 1); /* Aff3 = 1 */
	assert_int_equal(d_rd(GICD_IROUTER + 93 * 8, 8), 0x100000002ULL);
	assert_int_equal(d_rd(GICD_IROUTER + 93 * 8 + 4, 4), 1);
	assert_int_equal(vgic_get_irq(vm, NULL, 93)->target, VGIC_NO_TARGET);
	d_wr(GICD_IROUTER + 93 * 8 + 4, 4, 0);
	assert_int_equal(vgic_get_irq(vm, NULL, 93)->target, 2);
	d_wr(GICD_IROUTER + 93 * 8, 8, ~0ULL);
	assert_int_equal(d_rd(GICD_IROUTER + 93 * 8, 8), GICD_IROUTER_MASK);

	/* IROUTER<0..31> are reserved. */
	d_wr(GICD_IROUTER + 8, 8, 3);
	assert_int_equal(d_rd(GICD_IROUTER + 8, 8), 0);
}

/* An SPI moved to another vCPU while in a list register stays that LR's business. */
static void test_reroute_while_in_lr(void **state)
{
	int n;

	(void)state;
	d_wr(GICD_CTLR, 4, CTLR_G01);
	spi_enable(94, 0xa0);
	spi_make_edge(94);
	vgic_inject(vm, NULL, 94);
	flush_on(0);
	n = lr_of(0, 94);
	assert_true(n >= 0);
	fake_guest_ack(0, (unsigned int)n);

	d_wr(GICD_IROUTER + 94 * 8, 8, 1);
	vgic_inject(vm, NULL, 94);
	flush_on(1);
	for (unsigned int i = 0; i < 16; i++)
		assert_int_equal(fake_ich[1].lr[i], 0); /* vCPU 1 never touches CPU 0's LR */
	assert_true(queued_on(0, 94));
	flush_on(0);
	assert_int_equal(fake_ich[0].lr[n] & ICH_LR_STATE_MASK, ICH_LR_STATE_MASK);

	fake_guest_eoi(0, (unsigned int)n);
	fake_guest_ack(0, (unsigned int)n);
	fake_guest_eoi(0, (unsigned int)n);
	maintenance_on(0);
	vgic_inject(vm, NULL, 94);
	flush_on(0);
	flush_on(1);
	assert_int_equal(lr_of(0, 94), -1);
	assert_true(lr_of(1, 94) >= 0); /* from now on, at its new target */
}

/* Queued on one vCPU, then routed to another before that vCPU flushed. */
static void test_reroute_while_queued(void **state)
{
	(void)state;
	d_wr(GICD_CTLR, 4, CTLR_G01);
	spi_enable(95, 0xa0);
	spi_make_edge(95);
	vgic_inject(vm, NULL, 95);
	assert_true(queued_on(0, 95));
	d_wr(GICD_IROUTER + 95 * 8, 8, 1);
	assert_true(queued_on(1, 95));
	flush_on(0); /* no longer vCPU 0's */
	assert_int_equal(lr_of(0, 95), -1);
	flush_on(1);
	assert_true(lr_of(1, 95) >= 0);

	/* And back: vCPU 1's stale queue entry must not touch vCPU 0's list register. */
	spi_enable(96, 0xa0);
	spi_make_edge(96);
	d_wr(GICD_IROUTER + 96 * 8, 8, 2);
	vgic_inject(vm, NULL, 96);
	d_wr(GICD_IROUTER + 96 * 8, 8, 0);
	assert_true(queued_on(2, 96) && queued_on(0, 96));
	flush_on(0);
	assert_true(lr_of(0, 96) >= 0);
	vgic_inject(vm, NULL, 96); /* a new edge for the LR on CPU 0 */
	flush_on(2);
	for (unsigned int i = 0; i < 16; i++)
		assert_int_equal(fake_ich[2].lr[i], 0);
	assert_int_equal(lr_of(2, 96), -1);
}

/* ---- SGIs (ICC_SGI1R_EL1) */

#define SGI1R(intid, targets) ((u64)(intid) << ICC_SGI1R_INTID_SHIFT | (targets))

static u32 sgi_pending(unsigned int v)
{
	return (u32)r_rd(v, SGIF(GICR_ISPENDR0), 4) & 0xffff;
}

static void test_sgi(void **state)
{
	(void)state;
	d_wr(GICD_CTLR, 4, CTLR_G01);
	for (unsigned int v = 0; v < NR_VCPUS; v++)
		r_wr(v, SGIF(GICR_ISENABLER0), 4, 0xffff);

	vgic_send_sgi(&vm->vcpus[0], SGI1R(3, 0x6)); /* vCPUs 1 and 2 */
	assert_int_equal(sgi_pending(0), 0);
	assert_int_equal(sgi_pending(1), BITOF(3));
	assert_int_equal(sgi_pending(2), BITOF(3));
	assert_int_equal(sgi_pending(3), 0);
	assert_int_equal(fake_kicks[1], 1);
	assert_int_equal(fake_kicks[2], 1);
	flush_on(1);
	assert_int_equal(lr_val(1, 3) & (ICH_LR_EOI | ICH_LR_HW), 0);

	vgic_send_sgi(&vm->vcpus[2], SGI1R(5, 0) | SGI1R_IRM); /* all but the sender */
	assert_true(sgi_pending(0) & BITOF(5));
	assert_true(sgi_pending(1) & BITOF(5));
	assert_false(sgi_pending(2) & BITOF(5));
	assert_true(sgi_pending(3) & BITOF(5));

	vgic_send_sgi(&vm->vcpus[0], SGI1R(6, 0xf) | 1ULL << ICC_SGI1R_AFF1_SHIFT);
	vgic_send_sgi(&vm->vcpus[0], SGI1R(7, 0x1) | 1ULL << ICC_SGI1R_RS_SHIFT); /* Aff0 16 */
	for (unsigned int v = 0; v < NR_VCPUS; v++)
		assert_int_equal(sgi_pending(v) & (BITOF(6) | BITOF(7)), 0);
}

/* ---- register-file boundaries */

static void test_gicd_private_is_raz_wi(void **state)
{
	static const u64 regs[] = { GICD_IGROUPR, GICD_ISENABLER, GICD_ICENABLER, GICD_ISPENDR,
				    GICD_ICPENDR, GICD_ISACTIVER, GICD_ICACTIVER };
	struct vgic_cpu before[NR_VCPUS];

	(void)state;
	r_wr(0, SGIF(GICR_ISENABLER0), 4, BITOF(27));
	r_wr(1, SGIF(GICR_ISPENDR0), 4, BITOF(3));
	for (unsigned int v = 0; v < NR_VCPUS; v++)
		memcpy(&before[v], &vm->vcpus[v].vgic, sizeof(before[v]));
	for (unsigned int i = 0; i < ARRAY_SIZE(regs); i++) {
		assert_int_equal(d_rd(regs[i], 4), 0);
		d_wr(regs[i], 4, 0xffffffff);
		assert_int_equal(d_rd(regs[i], 4), 0);
	}
	for (u64 off = 0; off < 32; off += 4) {
		d_wr(GICD_IPRIORITYR + off, 4, 0);
		assert_int_equal(d_rd(GICD_IPRIORITYR + off, 4), 0);
	}
	d_wr(GICD_ICFGR + 4, 4, 0xffffffff);
	assert_int_equal(d_rd(GICD_ICFGR, 4), 0);
	assert_int_equal(d_rd(GICD_ICFGR + 4, 4), 0);
	for (unsigned int v = 0; v < NR_VCPUS; v++)
		assert_memory_equal(&before[v], &vm->vcpus[v].vgic, sizeof(before[v]));
}

static void test_beyond_nr_irqs(void **state)
{
	struct vgic_irq before[VGIC_NR_SPIS];

	(void)state;
	memcpy(before, vm->vgic.spi, sizeof(before));
	d_wr(GICD_ISENABLER + VGIC_NR_IRQS / 8, 4, 0xffffffff);
	assert_int_equal(d_rd(GICD_ISENABLER + VGIC_NR_IRQS / 8, 4), 0);
	d_wr(GICD_ISPENDR + VGIC_NR_IRQS / 8, 4, 0xffffffff);
	d_wr(GICD_IPRIORITYR + VGIC_NR_IRQS, 4, 0x10101010);
	assert_int_equal(d_rd(GICD_IPRIORITYR + VGIC_NR_IRQS, 4), 0);
	d_wr(GICD_IPRIORITYR + VGIC_NR_IRQS, 1, 0x10);
	d_wr(GICD_ICFGR + VGIC_NR_IRQS / 4, 4, 0xffffffff);
	assert_int_equal(d_rd(GICD_ICFGR + VGIC_NR_IRQS / 4, 4), 0);
	d_wr(GICD_IROUTER + VGIC_NR_IRQS * 8, 8, 1);
	assert_int_equal(d_rd(GICD_IROUTER + VGIC_NR_IRQS * 8, 8), 0);
	/* The last implemented ones still work. */
	d_wr(GICD_IPRIORITYR + VGIC_NR_IRQS - 1, 1, 0x08);
	assert_int_equal(d_rd(GICD_IPRIORITYR + VGIC_NR_IRQS - 4, 4) >> 24, 0x08);
	before[VGIC_NR_SPIS - 1].priority = 0x08;
	assert_memory_equal(before, vm->vgic.spi, sizeof(before));
}

static void test_bad_widths(void **state)
{
	(void)state;
	assert_int_equal(try_access(false, GICD_CTLR, 2, false), MMIO_BAD_ACCESS);
	assert_int_equal(try_access(false, GICD_CTLR, 1, true), MMIO_BAD_ACCESS);
	assert_int_equal(try_access(false, GICD_CTLR, 8, false), MMIO_BAD_ACCESS);
	assert_int_equal(try_access(false, GICD_ISENABLER + 4, 1, true), MMIO_BAD_ACCESS);
	assert_int_equal(try_access(false, GICD_ISENABLER + 8, 8, true), MMIO_BAD_ACCESS);
	assert_int_equal(try_access(false, GICD_ISENABLER + 6, 4, false), MMIO_BAD_ACCESS);
	assert_int_equal(try_access(false, GICD_IPRIORITYR + 34, 2, true), MMIO_BAD_ACCESS);
	assert_int_equal(try_access(false, GICD_IPRIORITYR + 35, 1, true), MMIO_OK);
	assert_int_equal(try_access(false, GICD_ICFGR + 8, 1, false), MMIO_BAD_ACCESS);
	assert_int_equal(try_access(false, GICD_IROUTER + 40 * 8, 8, true), MMIO_OK);
	assert_int_equal(try_access(false, GICD_IROUTER + 40 * 8 + 4, 4, true), MMIO_OK);
	assert_int_equal(try_access(false, GICD_IROUTER + 40 * 8, 2, true), MMIO_BAD_ACCESS);
	assert_int_equal(try_access(false, GICD_IROUTER + 40 * 8 + 4, 8, false), MMIO_BAD_ACCESS);
	assert_int_equal(try_access(true, GICR_TYPER, 1, false), MMIO_BAD_ACCESS);
	assert_int_equal(try_access(true, GICR_WAKER, 8, false), MMIO_BAD_ACCESS);
	assert_int_equal(try_access(true, GICR_CTLR, 8, false), MMIO_BAD_ACCESS);
	assert_int_equal(try_access(true, SGIF(GICR_ISENABLER0), 2, true), MMIO_BAD_ACCESS);
	assert_int_equal(try_access(true, SGIF(GICR_IPRIORITYR) + 3, 1, true), MMIO_OK);
	/* Nothing changed state on the refused accesses. */
	for (u32 intid = 32; intid < 64; intid++)
		assert_false(vgic_get_irq(vm, NULL, intid)->enabled);
}

/* ---- identification and control */

static void test_gicd_id_and_ctlr(void **state)
{
	(void)state;
	assert_int_equal(d_rd(GICD_CTLR, 4), GICD_CTLR_ARE | GICD_CTLR_DS);
	d_wr(GICD_CTLR, 4, CTLR_G01 | GICD_CTLR_RWP);
	assert_int_equal(d_rd(GICD_CTLR, 4), CTLR_G01 | GICD_CTLR_ARE | GICD_CTLR_DS);
	assert_true(vm->vgic.enabled_grp0 && vm->vgic.enabled_grp1);
	d_wr(GICD_CTLR, 4, 0);
	assert_int_equal(d_rd(GICD_CTLR, 4), GICD_CTLR_ARE | GICD_CTLR_DS);

	assert_int_equal(d_rd(GICD_TYPER, 4), 3 | 9u << 19 | 1u << 25);
	assert_int_equal(d_rd(GICD_IIDR, 4), 0x5400043b);
	assert_int_equal(d_rd(GICD_TYPER2, 4), 0);
	assert_int_equal(d_rd(GICD_STATUSR, 4), 0);
	assert_int_equal(d_rd(GICD_PIDR2, 4), 0x30);
	assert_int_equal(d_rd(GICD_PIDR2 + 4, 4), 0);
	assert_int_equal(r_rd(2, GICD_PIDR2, 4), 0x30);
	assert_int_equal(r_rd(2, GICR_IIDR, 4), 0x5400043b);
	assert_int_equal(r_rd(2, GICR_CTLR, 4), 0);
	r_wr(2, GICR_PROPBASER, 8, ~0ULL);
	assert_int_equal(r_rd(2, GICR_PROPBASER, 8), 0);
}

static void test_gicr_typer(void **state)
{
	(void)state;
	for (unsigned int v = 0; v < NR_VCPUS; v++) {
		u64 typer = (u64)v << 32 | v << 8 | (v == NR_VCPUS - 1 ? GICR_TYPER_LAST : 0);

		assert_int_equal(r_rd(v, GICR_TYPER, 8), typer);
		assert_int_equal(r_rd(v, GICR_TYPER, 4), typer & 0xffffffff);
		assert_int_equal(r_rd(v, GICR_TYPER + 4, 4), typer >> 32);
	}
	vm = fake_vm_create(1);
	assert_int_equal(r_rd(0, GICR_TYPER, 8), GICR_TYPER_LAST);
}

static void test_gicr_waker(void **state)
{
	const u32 asleep = GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP;

	(void)state;
	assert_int_equal(r_rd(1, GICR_WAKER, 4), asleep);
	r_wr(1, GICR_WAKER, 4, 0);
	assert_int_equal(r_rd(1, GICR_WAKER, 4), 0);
	assert_int_equal(r_rd(0, GICR_WAKER, 4), asleep); /* per redistributor */
	r_wr(1, GICR_WAKER, 4, GICR_WAKER_CHILDREN_ASLEEP); /* read-only bit */
	assert_int_equal(r_rd(1, GICR_WAKER, 4), 0);
	r_wr(1, GICR_WAKER, 4, GICR_WAKER_PROCESSOR_SLEEP);
	assert_int_equal(r_rd(1, GICR_WAKER, 4), asleep);
}

/* ---- priority and configuration fields */

static void test_priority_bytes(void **state)
{
	(void)state;
	d_wr(GICD_IPRIORITYR + 41, 1, 0x77);
	assert_int_equal(vgic_get_irq(vm, NULL, 41)->priority, 0x70); /* five bits */
	assert_int_equal(d_rd(GICD_IPRIORITYR + 40, 4), 0xa0a070a0);
	assert_int_equal(d_rd(GICD_IPRIORITYR + 41, 1), 0x70);
	d_wr(GICD_IPRIORITYR + 44, 4, 0x11223344);
	assert_int_equal(d_rd(GICD_IPRIORITYR + 44, 4), 0x10203040);
	assert_int_equal(vgic_get_irq(vm, NULL, 47)->priority, 0x10);
	r_wr(2, SGIF(GICR_IPRIORITYR) + 5, 1, 0x48);
	assert_int_equal(vm->vcpus[2].vgic.priv[5].priority, 0x48);
	assert_int_equal(vm->vcpus[2].vgic.priv[4].priority, VGIC_PRIORITY_RESET);
	assert_int_equal(vm->vcpus[1].vgic.priv[5].priority, VGIC_PRIORITY_RESET);
}

static void test_icfgr(void **state)
{
	(void)state;
	assert_int_equal(r_rd(0, SGIF(GICR_ICFGR0), 4), 0xaaaaaaaa); /* SGIs: edge */
	r_wr(0, SGIF(GICR_ICFGR0), 4, 0);
	assert_int_equal(r_rd(0, SGIF(GICR_ICFGR0), 4), 0xaaaaaaaa);
	assert_int_equal(r_rd(0, SGIF(GICR_ICFGR0) + 4, 4), 0); /* PPIs: level at reset */
	r_wr(0, SGIF(GICR_ICFGR0) + 4, 4, 0x2u << (2 * (27 - 16)));
	assert_true(vm->vcpus[0].vgic.priv[27].edge);
	assert_false(vm->vcpus[0].vgic.priv[26].edge);
	r_wr(0, SGIF(GICR_ICFGR0) + 4, 4, 0xffffffff);
	assert_int_equal(r_rd(0, SGIF(GICR_ICFGR0) + 4, 4), 0xaaaaaaaa);
	assert_int_equal(r_rd(1, SGIF(GICR_ICFGR0) + 4, 4), 0);

	d_wr(GICD_ICFGR + 8, 4, 0x55555556); /* SPIs 32-47: only bit 1 of each field counts */
	assert_int_equal(d_rd(GICD_ICFGR + 8, 4), 0x2);
	assert_true(vgic_get_irq(vm, NULL, 32)->edge);
	assert_false(vgic_get_irq(vm, NULL, 33)->edge);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_pending_active_registers),
		T(test_delivery_needs_all_three),
		T(test_flush_lr_contents),
		T(test_inject_hw),
		T(test_level_eoi_requeue),
		T(test_edge_while_active),
		T(test_lr_overflow),
		T(test_routing),
		T(test_reroute_while_in_lr),
		T(test_reroute_while_queued),
		T(test_sgi),
		T(test_gicd_private_is_raz_wi),
		T(test_beyond_nr_irqs),
		T(test_bad_widths),
		T(test_gicd_id_and_ctlr),
		T(test_gicr_typer),
		T(test_gicr_waker),
		T(test_priority_bytes),
		T(test_icfgr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
