/*
 * The vGIC register files on the host: GICD and GICR fields, their
 * boundaries (private INTIDs on the GICD, INTIDs past the VM's nr_irqs, access
 * widths), identification, GICR_TYPER and GICR_WAKER.
 */
#include "vgic_harness.h"

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
	assert_int_equal(d_rd(WORD(GICD_IGROUPR, 40), 4), 0xfffffffe);
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
	const u32 n = vm->vgic.nr_irqs; /* VGIC_MIN_IRQS: no device brings a higher SPI */
	struct vgic_irq before[VGIC_MAX_SPIS];

	(void)state;
	assert_int_equal(n, VGIC_MIN_IRQS);
	memcpy(before, vm->vgic.spi, sizeof(before));
	d_wr(GICD_ISENABLER + n / 8, 4, 0xffffffff);
	assert_int_equal(d_rd(GICD_ISENABLER + n / 8, 4), 0);
	d_wr(GICD_ISPENDR + n / 8, 4, 0xffffffff);
	d_wr(GICD_IPRIORITYR + n, 4, 0x10101010);
	assert_int_equal(d_rd(GICD_IPRIORITYR + n, 4), 0);
	d_wr(GICD_IPRIORITYR + n, 1, 0x10);
	d_wr(GICD_ICFGR + n / 4, 4, 0xffffffff);
	assert_int_equal(d_rd(GICD_ICFGR + n / 4, 4), 0);
	d_wr(GICD_IROUTER + n * 8, 8, 1);
	assert_int_equal(d_rd(GICD_IROUTER + n * 8, 8), 0);
	/* The last implemented ones still work. */
	d_wr(GICD_IPRIORITYR + n - 1, 1, 0x08);
	assert_int_equal(d_rd(GICD_IPRIORITYR + n - 4, 4) >> 24, 0x08);
	before[n - VGIC_NR_PRIVATE - 1].priority = 0x08;
	assert_memory_equal(before, vm->vgic.spi, sizeof(before));
}

/* The distributor's size follows the VM's highest SPI, in whole 32-INTID lines. */
static void test_nr_irqs_sizing(void **state)
{
	(void)state;
	assert_int_equal(vgic_nr_irqs(0), VGIC_MIN_IRQS);
	assert_int_equal(vgic_nr_irqs(127), 128);
	assert_int_equal(vgic_nr_irqs(128), 160);
	assert_int_equal(vgic_nr_irqs(581), 608); /* Orin's highest DT SPI (SPI 549) */
	assert_int_equal(vgic_nr_irqs(1019), VGIC_MAX_IRQS);
}

/* Rebuilds the test VM with a distributor covering @max_spi, as vm_build does. */
static void vm_with_spi(u32 max_spi)
{
	vgic_init_vm(vm, 0x08000000, 0x080a0000, vgic_nr_irqs(max_spi));
	for (unsigned int i = 0; i < NR_VCPUS; i++) {
		fake_ich_cpu = i;
		vgic_cpu_enter(&vm->vcpus[i]);
	}
	fake_ich_cpu = 0;
}

/* A passed-through SPI far above 127: seen in GICD_TYPER, routable, delivered. */
static void test_high_spi(void **state)
{
	(void)state;
	vm_with_spi(632);
	/* ITLinesNumber = 640 / 32 - 1 = 19: the guest knows INTID 632 exists (12.9.38). */
	assert_int_equal(d_rd(GICD_TYPER, 4) & 0x1f, 19);
	d_wr(GICD_CTLR, 4, CTLR_G01);
	d_wr(GICD_IROUTER + 632 * 8, 8, 2); /* vCPU 2 */
	d_wr(GICD_IPRIORITYR + 632, 1, 0x40);
	d_wr(WORD(GICD_ISENABLER, 632), 4, BITOF(632));
	assert_int_equal(d_rd(WORD(GICD_ISENABLER, 632), 4), BITOF(632));
	vgic_inject_hw_spi(vm, 632);
	assert_int_equal(fake_kicks[2], 1);
	fake_ich_cpu = 2;
	vgic_flush(&vm->vcpus[2]);
	assert_true(fake_lr_find(2, 632) >= 0);
	assert_int_equal(fake_ich[2].lr[fake_lr_find(2, 632)],
			 632 | 632ULL << ICH_LR_PINTID_SHIFT | ICH_LR_HW |
				 0x40ULL << ICH_LR_PRIORITY_SHIFT | ICH_LR_GROUP1 |
				 ICH_LR_STATE_PENDING);
	/* Past its 640 INTIDs: RAZ/WI, and an injection there is dropped. */
	d_wr(WORD(GICD_ISENABLER, 640), 4, 0xffffffff);
	assert_int_equal(d_rd(WORD(GICD_ISENABLER, 640), 4), 0);
	assert_null(vgic_get_irq(vm, NULL, 640));
	vgic_inject_hw_spi(vm, 640);

	/* The largest: INTID 1019 is an SPI, 1020-1023 are special and have no state. */
	vm_with_spi(1019);
	assert_int_equal(d_rd(GICD_TYPER, 4) & 0x1f, 31);
	assert_non_null(vgic_get_irq(vm, NULL, 1019));
	assert_null(vgic_get_irq(vm, NULL, 1020));
	d_wr(GICD_IROUTER + 1019 * 8, 8, 1);
	assert_int_equal(d_rd(GICD_IROUTER + 1019 * 8, 8), 1);
	d_wr(GICD_IROUTER + 1023 * 8, 8, 1);
	assert_int_equal(d_rd(GICD_IROUTER + 1023 * 8, 8), 0);
	d_wr(WORD(GICD_ISENABLER, 1019), 4, 0xffffffff);
	assert_int_equal(d_rd(WORD(GICD_ISENABLER, 1019), 4), 0x0fffffff);
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
	/*
	 * One answer to one kind of mistake (emul.c): a reserved offset takes the
	 * widths the GIC has (RAZ/WI), and a 16-bit access, which no GIC register
	 * takes, is refused there as at GICD_CTLR.
	 */
	assert_int_equal(try_access(false, 0x20, 2, false), MMIO_BAD_ACCESS);
	assert_int_equal(try_access(false, 0x20, 4, false), MMIO_OK);
	assert_int_equal(try_access(false, 0x20, 8, false), MMIO_OK);
	assert_int_equal(try_access(false, 0x21, 1, false), MMIO_OK);
	assert_int_equal(try_access(true, 0x20, 2, false), MMIO_BAD_ACCESS);
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

/*
 * More SPIs queued than list registers, spread over the distributor's words:
 * the highest priorities go first whatever their word, and only words with
 * queued INTIDs are visited (queued_words), none left marked once emptied.
 */
static void test_high_spis_overflow(void **state)
{
	static const u32 intids[] = { 40, 100, 632, 700, 900, 1019 };
	static const u8 prio[] = { 0x80, 0x70, 0x20, 0x60, 0x10, 0x30 };
	struct vgic_cpu *vc = &vm->vcpus[0].vgic;

	(void)state;
	vm_with_spi(1019);
	d_wr(GICD_CTLR, 4, CTLR_G01);
	for (unsigned int i = 0; i < ARRAY_SIZE(intids); i++) {
		d_wr(GICD_IPRIORITYR + intids[i], 1, prio[i]);
		d_wr(WORD(GICD_ISENABLER, intids[i]), 4, BITOF(intids[i]));
		vgic_inject(vm, NULL, intids[i]);
	}
	assert_int_equal(vc->queued_words, BIT(1) | BIT(3) | BIT(19) | BIT(21) | BIT(28) | BIT(31));
	fake_ich_cpu = 0;
	vgic_flush(&vm->vcpus[0]); /* 4 LRs: 900, 632, 1019, 700 */
	assert_true(fake_lr_find(0, 900) >= 0 && fake_lr_find(0, 632) >= 0);
	assert_true(fake_lr_find(0, 1019) >= 0 && fake_lr_find(0, 700) >= 0);
	assert_int_equal(fake_lr_find(0, 40), -1);
	assert_int_equal(fake_lr_find(0, 100), -1);
	assert_int_equal(vc->queued_words, BIT(1) | BIT(3));
	/* The guest finishes two; the underflow pass delivers the rest and clears every word. */
	for (unsigned int i = 0; i < 2; i++) {
		unsigned int n = (unsigned int)fake_lr_find(0, i ? 632 : 900);

		fake_guest_ack(0, n);
		fake_guest_eoi(0, n);
	}
	vgic_maintenance(&vm->vcpus[0]);
	assert_true(fake_lr_find(0, 40) >= 0 && fake_lr_find(0, 100) >= 0);
	assert_int_equal(vc->queued_words, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_pending_active_registers),
		T(test_gicd_private_is_raz_wi),
		T(test_beyond_nr_irqs),
		T(test_nr_irqs_sizing),
		T(test_high_spi),
		T(test_high_spis_overflow),
		T(test_bad_widths),
		T(test_gicd_id_and_ctlr),
		T(test_gicr_typer),
		T(test_gicr_waker),
		T(test_priority_bytes),
		T(test_icfgr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
