/*
 * The vGIC (hyp/virt/vgic*.c) under a guest's distributor and redistributor
 * accesses of any offset, width and value, its SGI writes, its
 * acknowledgements and deactivations in the list registers, mixed with what
 * the rest of Tessera does to it: edge and level injection by emulated
 * devices, forwarded physical PPIs and SPIs (HW bit), list-register flushes,
 * maintenance, a vCPU entering again, the VM restarting. The list registers
 * and the physical GIC are the unit tests' fakes (tests/unit/fake_ich.c).
 *
 * Checked after every step (check_state):
 *  - the vGIC lock is free again, and was held for every kick (fake_ich.c);
 *  - list-register bookkeeping: an LR Tessera counts as used holds its INTID,
 *    whose state points back at it, and one no one uses is empty; an SPI is
 *    in at most one LR of all vCPUs; a HW LR names the same physical INTID;
 *  - nothing is lost: a deliverable interrupt in no LR is queued on its
 *    target, and queued work means the exit path will look (any_queued);
 *  - the physical GIC: a forwarded interrupt stays active at the GIC until
 *    deactivated, and nothing deactivates one that is not active (which
 *    would end another activation); at the end of the input a guest that
 *    enables everything and completes what it takes (drain()) has every
 *    forwarded interrupt deactivated, or its line could never interrupt
 *    again.
 *
 * Input: [vCPUs u8][LRs u8][highest SPI u16] then steps [op u8][fields]:
 * op & 0x7f modulo 13 chooses the step, op bit 7 is its flag (see step()).
 */
#include "fuzz.h"

#include "vgic_harness.h"

#define HW_SPI_FIRST 64 /* SPIs 64-95 belong to a passed-through device; the rest are emulated */
#define HW_SPI_LAST 95

static unsigned int nr_vcpus;
static bool trace; /* FUZZ_TRACE=1: each step on stderr, to turn a crash into a unit test */
static bool phys_spi_active[VGIC_MAX_IRQS];
static bool phys_ppi_active[FAKE_CPUS][VGIC_NR_PRIVATE];

static void phys_deactivated(unsigned int cpu, u32 intid, const char *how)
{
	bool *active = intid < VGIC_NR_PRIVATE ? &phys_ppi_active[cpu][intid]
					       : &phys_spi_active[intid];

	if (!*active) {
		fprintf(stderr, "invariant broken: physical INTID %u (CPU %u) deactivated by %s "
				"while not active\n", intid, cpu, how);
		abort();
	}
	*active = false;
}

/* gic_deactivate() / gic_clear_active_spi() since the last step, on the step's CPU. */
static void take_deactivations(void)
{
	for (unsigned int i = 0; i < fake_deactivated_count; i++)
		phys_deactivated(fake_ich_cpu, fake_deactivated[i], "Tessera");
	fake_deactivated_count = 0;
}

static bool lr_state(unsigned int cpu, unsigned int n, u64 state)
{
	return fake_ich[cpu].lr[n] & state;
}

static void check_lrs(unsigned int v)
{
	struct vcpu *vcpu = &vm->vcpus[v];
	struct vgic_cpu *vc = &vcpu->vgic;

	FUZZ_CHECK(vc->lr_used < (1u << fake_ich_nr_lrs));
	for (unsigned int n = 0; n < VGIC_MAX_LRS; n++) {
		u64 lr = fake_ich[v].lr[n];

		if (!(vc->lr_used & (1u << n))) {
			FUZZ_CHECK(lr == 0);
			continue;
		}
		u32 intid = vc->lr_intid[n];
		struct vgic_irq *irq = vgic_get_irq(vm, vcpu, intid);

		FUZZ_CHECK(irq && irq->lr == n);
		FUZZ_CHECK((lr & ICH_LR_VINTID_MASK) == intid);
		if (lr & ICH_LR_HW)
			FUZZ_CHECK((lr & ICH_LR_PINTID_MASK) >> ICH_LR_PINTID_SHIFT == intid);
		for (unsigned int w = 0; intid >= VGIC_NR_PRIVATE && w < nr_vcpus; w++)
			for (unsigned int m = 0; m < fake_ich_nr_lrs; m++)
				FUZZ_CHECK((w == v && m == n) || !lr_holds(&vm->vcpus[w], m, intid)); /* one LR per SPI */
	}
}

static void check_irq(u32 intid, struct vcpu *owner)
{
	struct vgic_irq *irq = vgic_get_irq(vm, owner, intid);

	if (!irq)
		return;
	if (irq->lr != VGIC_NO_LR) {
		FUZZ_CHECK(lr_holder(vm, owner, intid, irq) != NULL);
	} else if (irq_deliverable(vm, irq)) {
		struct vcpu *t = &vm->vcpus[irq->target];

		/* Deliverable, in no LR: its target will find it on the way in. */
		FUZZ_CHECK(intid >= VGIC_NR_PRIVATE || t == owner);
		FUZZ_CHECK(t->vgic.queued[intid / 32] & (1u << (intid % 32)));
	}
}

static void check_state(void)
{
	FUZZ_CHECK(!vm->vgic.lock.held);
	for (unsigned int v = 0; v < nr_vcpus; v++) {
		struct vgic_cpu *vc = &vm->vcpus[v].vgic;

		check_lrs(v);
		for (unsigned int w = 0; w < ARRAY_SIZE(vc->queued); w++) {
			FUZZ_CHECK(!!(vc->queued_words & (1u << w)) == !!vc->queued[w]);
			for (u32 bits = vc->queued[w]; bits; bits &= bits - 1)
				FUZZ_CHECK(vgic_get_irq(vm, &vm->vcpus[v],
							w * 32 + (u32)__builtin_ctz(bits)));
		}
		FUZZ_CHECK(!vc->queued_words || vc->any_queued);
		for (u32 intid = 0; intid < VGIC_NR_PRIVATE; intid++)
			check_irq(intid, &vm->vcpus[v]);
	}
	for (u32 intid = VGIC_NR_PRIVATE; intid < vm->vgic.nr_irqs; intid++)
		check_irq(intid, NULL);
}

static void guest_lr(struct fuzz_input *in, bool eoi);

static void guest_write(unsigned int v, bool gicr, u64 off, unsigned int size, u64 value)
{
	struct mmio_access a = { .offset = off, .size = size, .is_write = true, .value = value };

	fake_ich_cpu = v;
	FUZZ_CHECK((gicr ? vgicr_access(&vm->vcpus[v], &a) : vgicd_access(vm, &a)) ==
		   MMIO_OK);
	take_deactivations();
}

/*
 * The end of every input: the emulated devices' lines fall, and a guest that
 * wants every interrupt (both groups on, everything enabled and routed to
 * vCPU 0) completes each one it takes, round after round of exits, until
 * nothing is queued or in an LR. By then every physical interrupt
 * Tessera forwarded must have been deactivated, by the guest's EOI through
 * its HW list register or by Tessera; one still active could never
 * interrupt again.
 *
 * A round acknowledges what is pending in an LR and deactivates what is
 * active, so an interrupt takes two rounds, or three when an edge came while
 * it was active, and a vCPU with one LR gets one at a time: the bound is
 * that for every INTID. (It was 4 * VGIC_MAX_LRS rounds, which ran out with
 * one LR and more than 32 interrupts pending, and then called a forwarded
 * SPI still pending in its LR "stuck active".)
 */
#define DRAIN_ROUNDS (3 * (VGIC_MAX_IRQS + VGIC_NR_PRIVATE * FAKE_CPUS) + 4)

static void drain(void)
{
	unsigned int busy = 1;

	for (u32 intid = VGIC_NR_PRIVATE; intid < vm->vgic.nr_irqs; intid++)
		if (intid < HW_SPI_FIRST || intid > HW_SPI_LAST)
			vgic_set_level(vm, intid, false); /* the emulated devices go quiet */
	guest_write(0, false, GICD_CTLR, 4, CTLR_G01);
	for (u32 intid = VGIC_NR_PRIVATE; intid < vm->vgic.nr_irqs; intid++)
		guest_write(0, false, GICD_IROUTER + 8 * intid, 8, 0);
	for (u32 w = 1; w < vm->vgic.nr_irqs / 32; w++)
		guest_write(0, false, GICD_ISENABLER + 4 * w, 4, ~0u);
	for (unsigned int v = 0; v < nr_vcpus; v++)
		guest_write(v, true, SGIF(GICR_ISENABLER0), 4, ~0u);
	for (unsigned int round = 0; busy && round < DRAIN_ROUNDS; round++)
		for (unsigned int c = busy = 0; c < nr_vcpus; c++) {
			busy |= vm->vcpus[c].vgic.any_queued || vm->vcpus[c].vgic.lr_used;
			flush_on(c);
			take_deactivations();
			for (unsigned int n = 0; n < fake_ich_nr_lrs; n++) {
				u64 lr = fake_ich[c].lr[n];

				if (lr & ICH_LR_STATE_ACTIVE) {
					struct fuzz_input eoi = { (const u8[]){ (u8)c, (u8)n }, 2 };

					guest_lr(&eoi, true);
				} else if (lr & ICH_LR_STATE_PENDING) {
					struct fuzz_input ack = { (const u8[]){ (u8)c, (u8)n }, 2 };

					guest_lr(&ack, false);
				}
			}
			maintenance_on(c);
			take_deactivations();
			check_state();
		}
	if (busy) {
		fprintf(stderr, "invariant broken: interrupts still queued or in LRs after %u rounds of a "
				"guest completing everything it is given\n", DRAIN_ROUNDS);
		abort();
	}
	for (unsigned int c = 0; c < nr_vcpus; c++)
		for (u32 intid = 0; intid < VGIC_NR_PRIVATE; intid++)
			if (phys_ppi_active[c][intid]) {
				fprintf(stderr, "invariant broken: forwarded PPI %u stays active at CPU %u's GIC after "
						"the guest completed everything it was given\n", intid, c);
				abort();
			}
	for (u32 intid = VGIC_NR_PRIVATE; intid < VGIC_MAX_IRQS; intid++)
		if (phys_spi_active[intid]) {
			const struct vgic_irq *irq = vgic_get_irq(vm, NULL, intid);

			fprintf(stderr, "invariant broken: forwarded SPI %u stays active at the GIC after the guest "
					"completed everything it was given", intid);
			if (irq)
				fprintf(stderr, " (enabled %d pending %d active %d hw %d group1 %d "
						"target %u lr %u)", irq->enabled, vgic_irq_pending(irq),
					irq->active, irq->hw, irq->group1, irq->target, irq->lr);
			fprintf(stderr, "\n");
			abort();
		}
}

/* An SPI an emulated device drives (not one of the passed-through device's). */
static u32 emulated_spi(struct fuzz_input *in)
{
	u32 n = vm->vgic.nr_irqs - VGIC_NR_PRIVATE - (HW_SPI_LAST - HW_SPI_FIRST + 1);
	u32 intid = VGIC_NR_PRIVATE + fuzz_u16(in) % n;

	return intid < HW_SPI_FIRST ? intid : intid + (HW_SPI_LAST - HW_SPI_FIRST + 1);
}

static void mmio(struct fuzz_input *in, bool gicr, u8 op)
{
	unsigned int v = fuzz_u8(in) % nr_vcpus;
	struct mmio_access a = { .is_write = op & 0x80 };
	enum mmio_result res;

	a.offset = gicr ? fuzz_u32(in) % VGIC_GICR_FRAME_SIZE : fuzz_u16(in) % VGIC_GICD_SIZE;
	a.size = fuzz_width(in);
	a.value = a.is_write ? fuzz_u64(in) : 0x5a5a5a5a5a5a5a5aULL;
	fake_ich_cpu = v; /* the accessing vCPU runs there (for GICR: any vCPU may) */
	if (trace)
		fprintf(stderr, "%s vCPU %u %s off 0x%llx size %u value 0x%llx\n", gicr ? "GICR" : "GICD",
			v, a.is_write ? "write" : "read", (unsigned long long)a.offset, a.size,
			(unsigned long long)a.value);
	res = gicr ? vgicr_access(&vm->vcpus[v], &a) : vgicd_access(vm, &a);
	FUZZ_CHECK(res == MMIO_OK || res == MMIO_BAD_ACCESS);
	if (res == MMIO_OK && !a.is_write && a.size < 8)
		FUZZ_CHECK(a.value >> (a.size * 8) == 0); /* zero-extended */
}

/* The guest acknowledges (pending -> active) or deactivates what LR n of CPU c holds. */
static void guest_lr(struct fuzz_input *in, bool eoi)
{
	unsigned int c = fuzz_u8(in) % nr_vcpus, n = fuzz_u8(in) % fake_ich_nr_lrs;
	u64 lr = fake_ich[c].lr[n];

	if (!eoi && (lr & ICH_LR_STATE_MASK) == ICH_LR_STATE_PENDING) {
		/* ICH_HCR_EL2.TALL1: the ICC_IAR1_EL1 read traps to EL2 first (traps.c). */
		fake_ich_cpu = c;
		if (fake_ich[c].hcr & ICH_HCR_TALL1) {
			FUZZ_CHECK(vgic_resample_lrs(&vm->vcpus[c]));
			take_deactivations();
			if ((fake_ich[c].lr[n] & ICH_LR_STATE_MASK) != ICH_LR_STATE_PENDING)
				return; /* withdrawn: the guest reads 1023 */
		}
		fake_guest_ack(c, n);
	} else if (eoi && lr_state(c, n, ICH_LR_STATE_ACTIVE)) {
		fake_guest_eoi(c, n);
		/* IHI 0069H 12.4.6 (ICH_LR HW): the virtual deactivation deactivates the physical one. */
		if (lr & ICH_LR_HW)
			phys_deactivated(c, (u32)((lr & ICH_LR_PINTID_MASK) >> ICH_LR_PINTID_SHIFT),
					 "the guest's EOI of a HW list register");
	}
}

static void enter(unsigned int c)
{
	fake_ich_cpu = c;
	vgic_cpu_enter(&vm->vcpus[c]);
	take_deactivations();
}

static void step(struct fuzz_input *in)
{
	u8 op = fuzz_u8(in);
	unsigned int c;

	fake_ich_cpu = 0;
	if (trace)
		fprintf(stderr, "step %u flag %u, next bytes %02x %02x\n", (op & 0x7f) % 13, op >> 7,
			in->left > 0 ? in->p[0] : 0, in->left > 1 ? in->p[1] : 0);
	switch ((op & 0x7f) % 13) { /* bit 7: a flag of the step */
	case 0: /* GICD access by vCPU [u8]: [offset u16][width u8], value u64 when op bit 7 */
		mmio(in, false, op);
		break;
	case 1: /* GICR access to vCPU [u8]'s frame: [offset u32][width u8][value u64] */
		mmio(in, true, op);
		break;
	case 2: /* the exit path on CPU [u8] */
		flush_on(fuzz_u8(in) % nr_vcpus);
		break;
	case 3: /* the maintenance interrupt on CPU [u8] */
		maintenance_on(fuzz_u8(in) % nr_vcpus);
		break;
	case 4: /* the guest acknowledges: [CPU u8][LR u8] */
		guest_lr(in, false);
		break;
	case 5: /* the guest deactivates: [CPU u8][LR u8] */
		guest_lr(in, true);
		break;
	case 6: /* an emulated device's edge: [SPI u16] */
		vgic_inject(vm, NULL, emulated_spi(in));
		break;
	case 7: /* an emulated device's level line: [SPI u16], level op bit 7 */
		vgic_set_level(vm, emulated_spi(in), op & 0x80);
		break;
	case 8: /* the guest writes ICC_SGI1R_EL1 on CPU [u8]: [value u64] */
		c = fuzz_u8(in) % nr_vcpus;
		fake_ich_cpu = c;
		vgic_send_sgi(&vm->vcpus[c], fuzz_u64(in));
		break;
	case 9: { /* a physical PPI forwarded on CPU [u8]: [PPI u8] (the GIC holds it till deactivated) */
		u32 ppi;

		c = fuzz_u8(in) % nr_vcpus;
		ppi = VGIC_NR_SGIS + fuzz_u8(in) % (VGIC_NR_PRIVATE - VGIC_NR_SGIS);
		if (phys_ppi_active[c][ppi])
			break; /* an active interrupt is not signalled again */
		phys_ppi_active[c][ppi] = true;
		fake_ich_cpu = c;
		vgic_inject_hw(&vm->vcpus[c], ppi);
		break;
	}
	case 10: { /* the passed-through device's SPI [u8] fires (taken on CPU 0) */
		u32 spi = HW_SPI_FIRST + fuzz_u8(in) % (HW_SPI_LAST - HW_SPI_FIRST + 1);

		if (phys_spi_active[spi])
			break;
		phys_spi_active[spi] = true;
		vgic_inject_hw_spi(vm, spi);
		break;
	}
	case 11: /* vCPU [u8] enters again (CPU_OFF, CPU_ON) */
		enter(fuzz_u8(in) % nr_vcpus);
		break;
	default: /* the VM restarts: its devices' SPIs released (devices_vm_reset), a new vGIC */
		memset(phys_spi_active, 0, sizeof(phys_spi_active));
		vgic_init_vm(vm, vm->vgic.gicd_base, vm->vgic.gicr_base, vm->vgic.nr_irqs);
		for (c = 0; c < nr_vcpus; c++)
			enter(c);
		break;
	}
	take_deactivations();
	check_state();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	unsigned int lrs;
	u32 max_spi;

	nr_vcpus = 1 + fuzz_u8(&in) % FAKE_CPUS;
	lrs = 1 + fuzz_u8(&in) % VGIC_MAX_LRS;
	max_spi = fuzz_u16(&in) % VGIC_MAX_IRQS;
	nr_lrs = 0; /* vgic.c reads ICH_VTR once: let this VM's first vgic_cpu_enter do it */
	memset(phys_spi_active, 0, sizeof(phys_spi_active));
	memset(phys_ppi_active, 0, sizeof(phys_ppi_active));
	vm = fake_vm_create(nr_vcpus);
	fake_ich_nr_lrs = lrs;
	nr_lrs = 0;
	vgic_init_vm(vm, vm->vgic.gicd_base, vm->vgic.gicr_base, vgic_nr_irqs(max_spi));
	for (unsigned int c = 0; c < nr_vcpus; c++)
		enter(c);
	while (in.left)
		step(&in);
	drain();
	return 0;
}

static void put_mmio(struct fuzz_seed *s, bool gicr, bool wr, u32 off, unsigned int width_log2,
		     u64 value)
{
	seed_put(s, (gicr ? 1 : 0) | (wr ? 0x80 : 0), 1);
	seed_put(s, 0, 1);
	seed_put(s, off, gicr ? 4 : 2);
	seed_put(s, width_log2, 1);
	if (wr)
		seed_put(s, value, 8);
}

/* What Linux's GICv3 driver does at boot, then interrupts of each kind taken and completed. */
static void seeds(const char *dir)
{
	struct fuzz_seed s = { .len = 0 };

	seed_put(&s, 1, 1), seed_put(&s, 3, 1), seed_put(&s, 127, 2); /* 2 vCPUs, 4 LRs */
	put_mmio(&s, false, false, GICD_TYPER, 2, 0);
	put_mmio(&s, true, true, GICR_WAKER, 2, 0);
	put_mmio(&s, true, true, SGIF(GICR_ISENABLER0), 2, 0xffff);
	put_mmio(&s, false, true, GICD_CTLR, 2, CTLR_G01);
	put_mmio(&s, false, true, GICD_IROUTER + 8 * 70, 3, 0);
	put_mmio(&s, false, true, WORD(GICD_ISENABLER, 70), 2, ~0ULL);
	put_mmio(&s, false, true, WORD(GICD_ISENABLER, 40), 2, ~0ULL);
	seed_put(&s, 10, 1), seed_put(&s, 6, 1);                     /* SPI 70 fires */
	seed_put(&s, 6, 1), seed_put(&s, 8, 2);                      /* an edge on SPI 40 */
	seed_put(&s, 7 | 0x80, 1), seed_put(&s, 1, 2);               /* a level on SPI 33 */
	seed_put(&s, 8, 1), seed_put(&s, 0, 1), seed_put(&s, 1ULL << 24 | 2, 8); /* SGI 1 to vCPU 1 */
	seed_put(&s, 9, 1), seed_put(&s, 0, 1), seed_put(&s, 11, 1); /* the vtimer, PPI 27 */
	for (unsigned int i = 0; i < 2; i++) {
		seed_put(&s, 2, 1), seed_put(&s, i, 1);
		for (unsigned int n = 0; n < 4; n++) {
			seed_put(&s, 4, 1), seed_put(&s, i, 1), seed_put(&s, n, 1);
			seed_put(&s, 5, 1), seed_put(&s, i, 1), seed_put(&s, n, 1);
		}
		seed_put(&s, 3, 1), seed_put(&s, i, 1);
	}
	seed_put(&s, 12, 1);
	fuzz_write_seed(dir, "linux-boot", s.b, s.len);

	/* One LR, a forwarded SPI held while disabled behind every SGI and PPI (drain's bound). */
	s.len = 0;
	seed_put(&s, 0, 1), seed_put(&s, 0, 1), seed_put(&s, 127, 2); /* 1 vCPU, 1 LR */
	seed_put(&s, 10, 1), seed_put(&s, 27, 1);                    /* SPI 91 fires */
	put_mmio(&s, true, true, SGIF(GICR_ISPENDR0), 2, ~0ULL);
	fuzz_write_seed(dir, "one-lr-backlog", s.b, s.len);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init(seeds);
	trace = getenv("FUZZ_TRACE") != NULL;
	return 0;
}
