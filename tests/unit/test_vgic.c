/*
 * The vGIC state machine on the host: delivery conditions, what goes in a
 * list register, maintenance, list-register overflow, SPI routing and SGIs,
 * with the list registers faked per CPU (fake_ich.c).
 */
#include "vgic_harness.h"

/* ---- enable + pending + group enable: queued on the target and kicked */

static void test_delivery_needs_all_three(void **state)
{
	(void)state;
	d_wr(WORD(GICD_ISPENDR, 50), 4, BITOF(50));
	assert_false(queued_on(0, 50));
	d_wr(WORD(GICD_ISENABLER, 50), 4, BITOF(50));
	assert_false(queued_on(0, 50)); /* the group is disabled */
	r_wr(2, SGIF(GICR_ISENABLER0), 4, BITOF(20));
	r_wr(2, SGIF(GICR_ISPENDR0), 4, BITOF(20));
	assert_false(queued_on(2, 20));
	for (unsigned int v = 0; v < NR_VCPUS; v++)
		assert_int_equal(fake_kicks[v], 0);

	d_wr(GICD_CTLR, 4, GICD_CTLR_ENABLE_G1);
	assert_true(queued_on(0, 50));
	assert_true(vm->vcpus[0].vgic.any_queued);
	assert_int_equal(fake_kicks[0], 1);
	assert_true(queued_on(2, 20)); /* private interrupts follow the group enable too */
	assert_int_equal(fake_kicks[2], 1);
	for (unsigned int v = 0; v < NR_VCPUS; v++) {
		assert_false(queued_on(v, v == 0 ? 20 : 50));
		if (v != 0 && v != 2)
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
	/* Own CPU, a free LR, nothing queued: straight into the LR, no queue, no kick. */
	assert_false(queued_on(1, 27));
	assert_int_equal(fake_kicks[1], 0);
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
	assert_true(lr_of(1, 27) >= 0); /* delivered again, not stuck "in an LR" */

	/* The guest finishes it (HW: the LR empties); the next tick reuses that LR at once. */
	fake_guest_ack(1, (unsigned int)lr_of(1, 27));
	fake_guest_eoi(1, (unsigned int)vm->vcpus[1].vgic.priv[27].lr);
	vgic_inject_hw(&vm->vcpus[1], 27);
	assert_true(lr_of(1, 27) >= 0);
	assert_int_equal(__builtin_popcount(vm->vcpus[1].vgic.lr_used), 1);

	/* Disabled: it waits (queued), not placed. */
	fake_guest_ack(1, (unsigned int)lr_of(1, 27));
	fake_guest_eoi(1, (unsigned int)vm->vcpus[1].vgic.priv[27].lr);
	r_wr(1, SGIF(GICR_ICENABLER0), 4, BITOF(27));
	vgic_inject_hw(&vm->vcpus[1], 27);
	flush_on(1);
	assert_int_equal(lr_of(1, 27), -1);
	r_wr(1, SGIF(GICR_ISENABLER0), 4, BITOF(27));
	flush_on(1);
	assert_true(lr_of(1, 27) >= 0); /* enabling it delivers the pending edge */

	/*
	 * Re-entering while it is still only pending (the guest had interrupts
	 * masked, e.g. a CPU stopped for a VM reset): the physical interrupt is
	 * active all the same, since EL2 acknowledged it, and must be deactivated
	 * or the timer never fires on this CPU again.
	 */
	fake_ich_cpu = 1;
	vgic_cpu_enter(&vm->vcpus[1]);
	assert_int_equal(fake_deactivated_count, 2);
	assert_int_equal(fake_deactivated[1], 27);
}

/*
 * Found by tests/fuzz/fuzz_vgic.c. A VM restart while the forwarded virtual
 * timer waits disabled in the vGIC (latched, in no LR): EL2 holds it active
 * at that CPU's GIC, so the vCPU's next entry there deactivates it, or the
 * restarted guest's timer never fires again.
 */
static void test_restart_releases_latched_ppi(void **state)
{
	(void)state;
	d_wr(GICD_CTLR, 4, CTLR_G01);
	fake_ich_cpu = 1;
	vgic_inject_hw(&vm->vcpus[1], 27); /* PPI 27 is disabled: latched */
	assert_int_equal(lr_of(1, 27), -1);
	vgic_init_vm(vm, vm->vgic.gicd_base, vm->vgic.gicr_base, vm->vgic.nr_irqs);
	assert_int_equal(fake_deactivated_count, 0);
	fake_ich_cpu = 1;
	vgic_cpu_enter(&vm->vcpus[1]);
	assert_int_equal(fake_deactivated_count, 1);
	assert_int_equal(fake_deactivated[0], 27);
	fake_ich_cpu = 1;
	vgic_cpu_enter(&vm->vcpus[1]); /* once only */
	assert_int_equal(fake_deactivated_count, 1);
}

/*
 * Found by tests/fuzz/fuzz_vgic.c. A restart releases the VM's device SPIs
 * (devices_vm_reset) before vgic_init_vm; a stale HW LR of that SPI on a
 * vCPU that enters later (after CPU_ON) must not deactivate it again: by
 * then it may be active for the new life. A vCPU that merely went off and
 * on again (no restart) still deactivates it.
 */
static void test_restart_does_not_deactivate_spi_twice(void **state)
{
	(void)state;
	d_wr(GICD_CTLR, 4, CTLR_G01);
	spi_enable(70, 0xa0);
	d_wr(GICD_IROUTER + 8 * 70, 8, 1);
	vgic_inject_hw_spi(vm, 70);
	flush_on(1);
	fake_guest_ack(1, (unsigned int)lr_of(1, 70));
	vgic_init_vm(vm, vm->vgic.gicd_base, vm->vgic.gicr_base, vm->vgic.nr_irqs);
	fake_ich_cpu = 1;
	vgic_cpu_enter(&vm->vcpus[1]);
	assert_int_equal(fake_deactivated_count, 0);
	assert_int_equal(lr_of(1, 70), -1);

	d_wr(GICD_CTLR, 4, CTLR_G01);
	spi_enable(70, 0xa0);
	d_wr(GICD_IROUTER + 8 * 70, 8, 1);
	vgic_inject_hw_spi(vm, 70);
	flush_on(1);
	fake_guest_ack(1, (unsigned int)lr_of(1, 70));
	fake_ich_cpu = 1;
	vgic_cpu_enter(&vm->vcpus[1]); /* CPU_OFF, CPU_ON: no restart released it */
	assert_int_equal(fake_deactivated_count, 1);
	assert_int_equal(fake_deactivated[0], 70);
}

/*
 * Found by tests/fuzz/fuzz_vgic.c. A level SPI whose line is still high sits
 * in an LR when its vCPU enters again (CPU_OFF, CPU_ON): forgotten with the
 * LR, it must be queued again, or it is never delivered while the line stays up.
 */
static void test_reenter_requeues_high_level(void **state)
{
	(void)state;
	d_wr(GICD_CTLR, 4, CTLR_G01);
	spi_enable(46, 0xa0);
	vgic_set_level(vm, 46, true);
	flush_on(0);
	assert_true(lr_of(0, 46) >= 0);
	fake_ich_cpu = 0;
	vgic_cpu_enter(&vm->vcpus[0]);
	assert_int_equal(lr_of(0, 46), -1);
	assert_true(queued_on(0, 46));
	flush_on(0);
	assert_true(lr_of(0, 46) >= 0);
}

/* A device's SPI forwarded with the HW bit (vgic_inject_hw_spi), from any CPU. */
static void test_inject_hw_spi(void **state)
{
	struct vgic_irq *irq = vgic_get_irq(vm, NULL, 34);

	(void)state;
	d_wr(GICD_CTLR, 4, CTLR_G01);
	spi_enable(34, 0xa0);
	vgic_inject_hw_spi(vm, 34);
	flush_on(0);
	assert_int_equal(lr_val(0, 34), 34 | 34ULL << ICH_LR_PINTID_SHIFT | ICH_LR_HW |
						0xa0ULL << ICH_LR_PRIORITY_SHIFT | ICH_LR_GROUP1 |
						ICH_LR_STATE_PENDING);
	/* The guest's EOI ends it at the GIC (HW): nothing for Tessera to deactivate. */
	fake_guest_ack(0, (unsigned int)lr_of(0, 34));
	fake_guest_eoi(0, (unsigned int)irq->lr);
	flush_on(0);
	assert_int_equal(fake_deactivated_count, 0);

	/*
	 * Disabled, it waits; once its device has lowered the line, the guest
	 * clearing its pending state releases the physical one.
	 */
	d_wr(WORD(GICD_ICENABLER, 34), 4, BITOF(34));
	vgic_inject_hw_spi(vm, 34);
	flush_on(0);
	assert_int_equal(lr_of(0, 34), -1);
	d_wr(WORD(GICD_ICPENDR, 34), 4, BITOF(34));
	assert_int_equal(fake_deactivated_count, 0); /* line still high: a level stays pending */
	assert_true(vgic_irq_pending(irq));
	fake_line_low[34] = true;
	d_wr(WORD(GICD_ICPENDR, 34), 4, BITOF(34));
	assert_int_equal(fake_deactivated_count, 1);
	assert_int_equal(fake_deactivated[0], 34);
	assert_false(vgic_irq_pending(irq));

	/* An emulated SPI has no physical side: clearing it deactivates nothing. */
	vgic_inject(vm, NULL, 40);
	d_wr(WORD(GICD_ICPENDR, 40), 4, BITOF(40));
	assert_int_equal(fake_deactivated_count, 1);
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
	assert_int_equal(fake_ich_eisr(0), 1u << n); /* the EOI maintenance interrupt */
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
	assert_int_equal(fake_ich_eisr(0), 0); /* handled: no maintenance interrupt storm */
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

/* ---- what ends a WFI (and a PSCI CPU_SUSPEND standby): a pending LR the interface signals */

static void test_wakeup_pending(void **state)
{
	(void)state;
	d_wr(GICD_CTLR, 4, CTLR_G01);
	fake_ich_cpu = 0;
	fake_ich[0].vmcr = ICH_VMCR_VENG1 | 0xf0ULL << ICH_VMCR_VPMR_SHIFT;
	assert_false(vgic_wakeup_pending(&vm->vcpus[0])); /* nothing pending */

	spi_enable(60, 0xa0);
	vgic_inject(vm, NULL, 60);
	assert_true(vgic_wakeup_pending(&vm->vcpus[0])); /* queued, not yet in an LR */
	flush_on(0);
	assert_true(lr_of(0, 60) >= 0);
	assert_true(vgic_wakeup_pending(&vm->vcpus[0]));

	/* The guest's priority mask at or above it: not signalled, no wake-up. */
	fake_ich[0].vmcr = ICH_VMCR_VENG1 | 0xa0ULL << ICH_VMCR_VPMR_SHIFT;
	assert_false(vgic_wakeup_pending(&vm->vcpus[0]));
	/* Its group disabled at the virtual CPU interface. */
	fake_ich[0].vmcr = ICH_VMCR_VENG0 | 0xffULL << ICH_VMCR_VPMR_SHIFT;
	assert_false(vgic_wakeup_pending(&vm->vcpus[0]));
	fake_ich[0].vmcr = ICH_VMCR_VENG1 | 0xffULL << ICH_VMCR_VPMR_SHIFT;
	assert_true(vgic_wakeup_pending(&vm->vcpus[0]));

	/* Taken by the guest (active): nothing pending is left to wake it. */
	fake_guest_ack(0, (unsigned int)lr_of(0, 60));
	assert_false(vgic_wakeup_pending(&vm->vcpus[0]));
	/* Another vCPU's pending interrupt is not this one's. */
	fake_ich_cpu = 1;
	fake_ich[1].vmcr = ICH_VMCR_VENG1 | 0xffULL << ICH_VMCR_VPMR_SHIFT;
	assert_false(vgic_wakeup_pending(&vm->vcpus[1]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_delivery_needs_all_three),
		T(test_flush_lr_contents),
		T(test_wakeup_pending),
		T(test_inject_hw),
		T(test_inject_hw_spi),
		T(test_level_eoi_requeue),
		T(test_edge_while_active),
		T(test_lr_overflow),
		T(test_routing),
		T(test_reroute_while_in_lr),
		T(test_reroute_while_queued),
		T(test_sgi),
		T(test_restart_releases_latched_ppi),
		T(test_restart_does_not_deactivate_spi_twice),
		T(test_reenter_requeues_high_level),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
