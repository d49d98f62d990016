/*
 * Forwarded (HW-bit) level interrupts on the host: their pending state
 * follows the physical line (fake_line_low, fake_ich.c) at pending reads,
 * before delivery and at the guest's acknowledge (TALL1); a guest's
 * ISPENDR/ICPENDR writes go to the physical GIC; a physical interrupt is
 * only ever deactivated while EL2 holds it active.
 */
#include "vgic_harness.h"

#define VTIMER 27
#define SPI 34

static void vtimer_setup(unsigned int v, bool enabled)
{
	d_wr(GICD_CTLR, 4, CTLR_G01);
	r_wr(v, SGIF(GICR_IPRIORITYR) + VTIMER, 1, 0x20);
	r_wr(v, SGIF(enabled ? GICR_ISENABLER0 : GICR_ICENABLER0), 4, BITOF(VTIMER));
}

static bool vtimer_reads_pending(unsigned int v)
{
	return r_rd(v, SGIF(GICR_ISPENDR0), 4) & BITOF(VTIMER);
}

/* The case: disabled in the GIC, fired, then CNTV_CTL cleared. */
static void test_vtimer_disabled_fired_cleared(void **state)
{
	(void)state;
	vtimer_setup(1, false);
	fake_ich_cpu = 1;
	vgic_inject_hw(&vm->vcpus[1], VTIMER); /* EL2 took it: active at the GIC, held */
	assert_int_equal(lr_of(1, VTIMER), -1);
	assert_true(vtimer_reads_pending(1)); /* line high: pending */
	assert_int_equal(fake_deactivated_count, 0);

	fake_line_low[VTIMER] = true; /* the guest cleared CNTV_CTL_EL0 */
	assert_false(vtimer_reads_pending(1));
	/* EL2's activation is stale: ended once, so the timer can fire again. */
	assert_int_equal(fake_deactivated_count, 1);
	assert_int_equal(fake_deactivated[0], VTIMER);
	assert_false(vgic_irq_pending(&vm->vcpus[1].vgic.priv[VTIMER]));

	r_wr(1, SGIF(GICR_ISENABLER0), 4, BITOF(VTIMER));
	flush_on(1);
	assert_int_equal(lr_of(1, VTIMER), -1); /* not delivered on re-enable */
	assert_int_equal(fake_deactivated_count, 1); /* and nothing deactivated twice */
}

/* The same without the read: enabling leads to delivery, which looks at the line first. */
static void test_vtimer_cleared_then_enabled(void **state)
{
	(void)state;
	vtimer_setup(1, false);
	fake_ich_cpu = 1;
	vgic_inject_hw(&vm->vcpus[1], VTIMER);
	fake_line_low[VTIMER] = true;
	r_wr(1, SGIF(GICR_ISENABLER0), 4, BITOF(VTIMER));
	flush_on(1);
	assert_int_equal(lr_of(1, VTIMER), -1);
	assert_int_equal(fake_deactivated_count, 1);
}

/* A vCPU restarted (PSCI CPU_ON again) while EL2 held its disabled timer: that activation ends. */
static void test_vtimer_held_at_restart(void **state)
{
	(void)state;
	vtimer_setup(1, false);
	fake_ich_cpu = 1;
	vgic_inject_hw(&vm->vcpus[1], VTIMER);
	vgic_cpu_enter(&vm->vcpus[1]);
	assert_int_equal(fake_deactivated_count, 1);
	assert_int_equal(fake_deactivated[0], VTIMER);
	assert_false(vgic_irq_pending(&vm->vcpus[1].vgic.priv[VTIMER]));
	r_wr(1, SGIF(GICR_ISENABLER0), 4, BITOF(VTIMER));
	flush_on(1);
	assert_int_equal(lr_of(1, VTIMER), -1); /* no HW LR for an activation that ended */
}

/* The control: still firing when enabled, it is delivered with the HW bit, once. */
static void test_vtimer_still_firing_delivered(void **state)
{
	(void)state;
	vtimer_setup(1, false);
	fake_ich_cpu = 1;
	vgic_inject_hw(&vm->vcpus[1], VTIMER);
	r_wr(1, SGIF(GICR_ISENABLER0), 4, BITOF(VTIMER));
	flush_on(1);
	assert_true(lr_val(1, VTIMER) & ICH_LR_HW);
	assert_int_equal(fake_deactivated_count, 0);
	assert_false(vm->vcpus[1].vgic.priv[VTIMER].hw_active); /* the LR holds it now */
	/* A timer is never resampled at the acknowledge: its fast path stays untrapped. */
	assert_int_equal(vm->vcpus[1].vgic.lr_resample, 0);
	assert_int_equal(fake_ich[1].hcr & ICH_HCR_TALL1, 0);
}

/* A forwarded SPI waiting for another vCPU: the line is read again before delivery. */
static void test_spi_resampled_before_delivery(void **state)
{
	(void)state;
	d_wr(GICD_CTLR, 4, CTLR_G01);
	spi_enable(SPI, 0xa0);
	d_wr(GICD_IROUTER + 8 * SPI, 8, 2); /* vCPU 2 */
	fake_ich_cpu = 0;
	vgic_inject_hw_spi(vm, SPI); /* taken on CPU 0, queued on vCPU 2 */
	assert_true(queued_on(2, SPI));
	fake_line_low[SPI] = true; /* the device went quiet meanwhile */
	flush_on(2);
	assert_int_equal(lr_of(2, SPI), -1);
	assert_int_equal(fake_deactivated_count, 1);
	assert_int_equal(fake_deactivated[0], SPI);

	fake_line_low[SPI] = false; /* it asserts again: delivered */
	vgic_inject_hw_spi(vm, SPI);
	flush_on(2);
	assert_true(lr_val(2, SPI) & ICH_LR_HW);
	assert_int_equal(fake_deactivated_count, 1);
}

/* Delivered for its line, an SPI is looked at again when the guest acknowledges (TALL1). */
static void test_spi_resampled_at_ack(void **state)
{
	struct vgic_cpu *vc = &vm->vcpus[0].vgic;

	(void)state;
	d_wr(GICD_CTLR, 4, CTLR_G01);
	spi_enable(SPI, 0xa0);
	vgic_inject_hw_spi(vm, SPI);
	flush_on(0);
	assert_true(lr_of(0, SPI) >= 0);
	assert_int_not_equal(vc->lr_resample, 0);
	assert_true(fake_ich[0].hcr & ICH_HCR_TALL1);

	/* Line still high at the acknowledge: it stays, and TALL1 goes. */
	assert_true(vgic_resample_lrs(&vm->vcpus[0]));
	assert_true(lr_of(0, SPI) >= 0);
	assert_int_equal(vc->lr_resample, 0);
	assert_int_equal(fake_ich[0].hcr & ICH_HCR_TALL1, 0);
	assert_true(fake_ich[0].hcr & ICH_HCR_EN);

	/* The guest handles it EOI first: the line, still high, fires again at once. */
	fake_guest_ack(0, (unsigned int)lr_of(0, SPI));
	fake_guest_eoi(0, (unsigned int)vgic_get_irq(vm, NULL, SPI)->lr);
	vgic_inject_hw_spi(vm, SPI);
	flush_on(0);
	assert_true(lr_of(0, SPI) >= 0);
	assert_true(fake_ich[0].hcr & ICH_HCR_TALL1);
	/* Its handler then clears the device; at the next acknowledge the LR is withdrawn. */
	fake_line_low[SPI] = true;
	assert_true(vgic_resample_lrs(&vm->vcpus[0]));
	assert_int_equal(lr_of(0, SPI), -1);
	assert_int_equal(fake_ich[0].lr[0] | fake_ich[0].lr[1], 0);
	assert_int_equal(vc->lr_used, 0);
	assert_int_equal(vgic_get_irq(vm, NULL, SPI)->lr, VGIC_NO_LR);
	assert_int_equal(fake_deactivated_count, 1); /* EL2's activation ended, once */
	assert_int_equal(fake_ich[0].hcr & ICH_HCR_TALL1, 0);

	/* TALL1 clear: a Group 1 access trapped for any other reason is not the vGIC's. */
	assert_false(vgic_resample_lrs(&vm->vcpus[0]));

	/* Acknowledged already (active): the guest owns it, nothing is withdrawn. */
	fake_line_low[SPI] = false;
	vgic_inject_hw_spi(vm, SPI);
	flush_on(0);
	fake_guest_ack(0, (unsigned int)lr_of(0, SPI));
	fake_line_low[SPI] = true;
	assert_true(vgic_resample_lrs(&vm->vcpus[0]));
	assert_true(fake_ich[0].lr[vgic_get_irq(vm, NULL, SPI)->lr] & ICH_LR_STATE_ACTIVE);
	assert_int_equal(fake_deactivated_count, 1);
}

/* A forwarded SPI that has fired once, its LR done: hw, nothing held. */
static void spi_forwarded_idle(void)
{
	d_wr(GICD_CTLR, 4, CTLR_G01);
	spi_enable(SPI, 0xa0);
	vgic_inject_hw_spi(vm, SPI);
	flush_on(0);
	fake_guest_ack(0, (unsigned int)lr_of(0, SPI));
	fake_guest_eoi(0, (unsigned int)vgic_get_irq(vm, NULL, SPI)->lr);
	flush_on(0);
}

/* ISPENDR on a forwarded interrupt pends it physically; only EL2's activation reaches an LR. */
static void test_spending_goes_physical(void **state)
{
	(void)state;
	spi_forwarded_idle();
	fake_line_low[SPI] = true;
	d_wr(WORD(GICD_ISPENDR, SPI), 4, BITOF(SPI));
	assert_int_equal(fake_phys_latch[SPI], 1);
	assert_true(d_rd(WORD(GICD_ISPENDR, SPI), 4) & BITOF(SPI)); /* pending, by the latch */
	flush_on(0);
	assert_int_equal(lr_of(0, SPI), -1); /* no HW LR on an inactive physical interrupt */

	/* The physical GIC signals it; EL2 takes it: delivered though the line is low. */
	vgic_inject_hw_spi(vm, SPI);
	flush_on(0);
	assert_true(lr_val(0, SPI) & ICH_LR_HW);
	assert_int_equal(vm->vcpus[0].vgic.lr_resample, 0); /* a latch is not resampled away */
	fake_guest_ack(0, (unsigned int)lr_of(0, SPI));
	fake_guest_eoi(0, (unsigned int)vgic_get_irq(vm, NULL, SPI)->lr);
	flush_on(0);
	assert_false(d_rd(WORD(GICD_ISPENDR, SPI), 4) & BITOF(SPI)); /* consumed */
	assert_int_equal(fake_deactivated_count, 0);
}

/* ISPENDR while EL2 already holds it pending: nothing to add, no second delivery. */
static void test_spending_while_held(void **state)
{
	(void)state;
	spi_forwarded_idle();
	d_wr(WORD(GICD_ICENABLER, SPI), 4, BITOF(SPI));
	vgic_inject_hw_spi(vm, SPI);
	d_wr(WORD(GICD_ISPENDR, SPI), 4, BITOF(SPI));
	assert_int_equal(fake_phys_latch[SPI], -1);
}

/* ICPENDR: the latch goes physically too; an inactive physical interrupt is never deactivated. */
static void test_cpending_never_deactivates_inactive(void **state)
{
	(void)state;
	spi_forwarded_idle();
	fake_line_low[SPI] = true;
	d_wr(WORD(GICD_ISPENDR, SPI), 4, BITOF(SPI));
	d_wr(WORD(GICD_ICPENDR, SPI), 4, BITOF(SPI));
	assert_int_equal(fake_phys_latch[SPI], 0);
	assert_false(d_rd(WORD(GICD_ISPENDR, SPI), 4) & BITOF(SPI));
	assert_int_equal(fake_deactivated_count, 0);

	/* Held by EL2 with the line low: cleared, and that activation ended once. */
	d_wr(WORD(GICD_ICENABLER, SPI), 4, BITOF(SPI));
	fake_line_low[SPI] = false;
	vgic_inject_hw_spi(vm, SPI);
	fake_line_low[SPI] = true;
	d_wr(WORD(GICD_ICPENDR, SPI), 4, BITOF(SPI));
	d_wr(WORD(GICD_ICPENDR, SPI), 4, BITOF(SPI));
	assert_int_equal(fake_deactivated_count, 1);
}

/*
 * Found by fuzzing (fuzz_vgic.c, one vCPU with one LR): a forwarded level
 * SPI EL2 took while the guest had it disabled, behind more queued
 * interrupts than LRs. The guest enables everything and completes one
 * interrupt at a time: the SPI reaches the LR last (lowest priority value
 * ties go to the lower INTID), with the HW bit, and its activation ends at
 * the guest's EOI through that LR, never by Tessera (IHI 0069H 12.4.6: the
 * virtual deactivation of a HW LR deactivates the physical INTID).
 */
#define BEHIND_SPI 91

static void test_spi_held_behind_full_lrs(void **state)
{
	struct vgic_cpu *vc = &vm->vcpus[0].vgic;
	unsigned int delivered = 0, rounds = 0;
	bool spi_eoied = false;

	(void)state;
	fake_ich_nr_lrs = 1;
	nr_lrs = 0; /* read ICH_VTR again: one LR */
	fake_ich_cpu = 0;
	vgic_cpu_enter(&vm->vcpus[0]);
	vgic_inject_hw_spi(vm, BEHIND_SPI); /* disabled: EL2 holds it active */
	r_wr(0, SGIF(GICR_ISPENDR0), 4, ~0u); /* every SGI and PPI pending too */
	d_wr(GICD_CTLR, 4, CTLR_G01);
	r_wr(0, SGIF(GICR_ISENABLER0), 4, ~0u);
	d_wr(WORD(GICD_ISENABLER, BEHIND_SPI), 4, BITOF(BEHIND_SPI));
	while ((vc->any_queued || vc->lr_used) && rounds++ < 200) {
		u64 lr;

		flush_on(0);
		lr = fake_ich[0].lr[0];
		if (lr & ICH_LR_STATE_ACTIVE) {
			if ((lr & ICH_LR_VINTID_MASK) == BEHIND_SPI) {
				assert_true(lr & ICH_LR_HW);
				assert_int_equal((lr & ICH_LR_PINTID_MASK) >> ICH_LR_PINTID_SHIFT,
						 BEHIND_SPI);
				assert_int_equal(delivered, VGIC_NR_PRIVATE); /* after the rest */
				spi_eoied = true;
			}
			fake_guest_eoi(0, 0);
			delivered++;
		} else if (lr & ICH_LR_STATE_PENDING) {
			/* The acknowledge traps first (TALL1); the line is high: not withdrawn. */
			if (fake_ich[0].hcr & ICH_HCR_TALL1)
				assert_true(vgic_resample_lrs(&vm->vcpus[0]));
			fake_guest_ack(0, 0);
		}
		maintenance_on(0);
	}
	assert_true(spi_eoied);
	assert_int_equal(delivered, VGIC_NR_PRIVATE + 1);
	assert_false(vc->any_queued);
	assert_int_equal(vc->lr_used, 0);
	assert_int_equal(fake_deactivated_count, 0); /* the guest's EOI did it, once */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_vtimer_disabled_fired_cleared),
		T(test_vtimer_cleared_then_enabled),
		T(test_vtimer_still_firing_delivered),
		T(test_vtimer_held_at_restart),
		T(test_spi_resampled_before_delivery),
		T(test_spi_resampled_at_ack),
		T(test_spending_goes_physical),
		T(test_spending_while_held),
		T(test_cpending_never_deactivates_inactive),
		T(test_spi_held_behind_full_lrs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
