/*
 * The campaign (campaign.h): the random source, the exception hook that
 * counts and resumes, the targets from the DT, the MMIO and wild-address
 * operations, and the loop.
 */
#include <stdarg.h>
#include <stdio.h>

#include <libfdt.h>

#include "access.h"
#include "calls.h"
#include "campaign.h"
#include "exc.h"
#include "mmu.h"
#include "sysreg.h"

#define EXC_KIND_SYNC_SPX 4 /* vector "current EL with SP_ELx, synchronous" (vectors.S) */

/* ESR_ELx.ISS for aborts (DDI 0487 J.a D19.2.37): fault status code, FAR not valid. */
#define ESR_ISS_FSC_MASK 0x3fULL
#define ESR_ISS_FNV (1ULL << 10)

const char *const op_class_names[OP_CLASSES] = {
	[OP_GICD] = "gicd", [OP_GICR] = "gicr",	    [OP_ICC] = "icc",	[OP_WILD] = "wild",
	[OP_SMCCC] = "smccc", [OP_SYSREG] = "sysreg", [OP_UART] = "uart", [OP_PCI] = "pci",
};

struct campaign_stats stats;
bool campaign_trace;

/* What the hook saw last: the wild operations check it. */
static volatile u64 exc_count, last_esr, last_far;

static u64 rnd_state = 1;

void rnd_seed(u64 seed)
{
	/* splitmix64 of the seed: seeds 1, 2, 3 start far apart; never 0. */
	u64 z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	rnd_state = (z ^ (z >> 31)) | 1;
}

u64 rnd_next(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545f4914f6cdd1dULL;
}

u64 rnd_below(u64 n)
{
	return rnd_next() % n;
}

/* A register value: mostly random, often the edge cases. */
u64 rnd_value(void)
{
	switch (rnd_below(8)) {
	case 0: return 0;
	case 1: return ~0ULL;
	case 2: return 1ULL << rnd_below(64);
	case 3: return rnd_below(0x400); /* small: INTIDs, indices */
	default: return rnd_next();
	}
}

void campaign_wrong(const char *fmt, ...)
{
	char line[SAY_LINE_MAX - 32];
	va_list ap;

	if (stats.wrong++ >= WRONG_REPORTED)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	say("WRONG: %s", line);
}

static bool in_ops(u64 pc)
{
	return (pc >= (u64)(uintptr_t)__start_hostile_ops && pc < (u64)(uintptr_t)__stop_hostile_ops) ||
	       stub_holds(pc);
}

/*
 * Every exception an operation causes: counted by class and resumed, past
 * the instruction (A64: 4 bytes) or, for a fetch, after its branch. One that
 * no operation caused is left to exc_handle(): reported, then power off.
 */
static bool campaign_hook(struct exc_frame *f)
{
	unsigned int ec = esr_ec(f->esr);

	if (f->kind != EXC_KIND_SYNC_SPX) {
		stats.exc_other++; /* IRQ, FIQ and SError are masked: none is expected */
		return true;
	}
	if (!hostile_resume_pc && !in_ops(f->elr))
		return false;
	stats.exc_ec[ec]++;
	if (ec == ESR_EC_IABT_CUR || ec == ESR_EC_DABT_CUR)
		stats.abort_fsc[f->esr & ESR_ISS_FSC_MASK]++;
	last_esr = f->esr;
	last_far = f->far;
	exc_count++;
	if (hostile_resume_pc) {
		f->elr = hostile_resume_pc;
		hostile_resume_pc = 0;
	} else {
		f->elr += 4;
	}
	return true;
}

void campaign_hook_install(void)
{
	exc_set_hook(campaign_hook);
}

static void avoid_add(struct targets *t, struct range r)
{
	if (r.size && t->avoid_count < TARGET_AVOID_MAX)
		t->avoid[t->avoid_count++] = r;
}

void targets_read(const struct dt_info *info, struct targets *t)
{
	const void *fdt = (const void *)(uintptr_t)info->fdt;
	struct pci_host host;
	int node, depth = -1; /* the root is then at depth 0 */

	*t = (struct targets){ .gicd = info->gic.dist, .gicr = info->gic.redist[0], .uart = info->uart };
	if (!pci_host_find(fdt, &host)) {
		t->pci_ecam = (struct range){ host.ecam,
					      (u64)(host.bus_last - host.bus_first + 1) << 20 };
		t->pci_window = host.mem32;
	}
	node = fdt_node_offset_by_compatible(fdt, -1, "tessera,channel");
	if (node >= 0)
		dt_reg(fdt, node, 1, &t->doorbell);

	/* Never wild: every reg of the root's children, the PCI windows, the DTB. */
	for (node = fdt_next_node(fdt, -1, &depth); node >= 0; node = fdt_next_node(fdt, node, &depth)) {
		struct range r;

		for (int i = 0; depth == 1 && dt_reg(fdt, node, i, &r); i++)
			avoid_add(t, r);
	}
	avoid_add(t, t->pci_window);
	avoid_add(t, (struct range){ info->fdt, info->fdt_size });
	t->cpu_count = info->cpu_count;
	for (unsigned int i = 0; i < info->cpu_count; i++)
		t->own_mpidr[i] = info->cpu_mpidr[i];
}

static bool overlaps_avoid(const struct targets *t, u64 a, u64 size)
{
	for (unsigned int i = 0; i < t->avoid_count; i++)
		if (a < t->avoid[i].base + t->avoid[i].size && t->avoid[i].base < a + size)
			return true;
	return false;
}

static enum access_form rnd_form(unsigned int syndrome_percent)
{
	if (rnd_below(100) < syndrome_percent)
		return (enum access_form)rnd_below(AF_SYNDROME_FORMS);
	return (enum access_form)(AF_SYNDROME_FORMS + rnd_below(AF_FORMS - AF_SYNDROME_FORMS));
}

/*
 * An access to an emulated device: aligned to its size mostly, at any byte
 * sometimes (Device memory: an alignment fault in the guest), and around
 * and past the end of the region.
 */
void op_mmio(const struct targets *t, enum op_class cls)
{
	enum access_form form = rnd_form(85);
	unsigned int size = access_size(form);
	struct range r;
	u64 off, val, p = rnd_below(10);

	switch (cls) {
	case OP_GICD: r = t->gicd; break;
	case OP_GICR: r = t->gicr; break;
	case OP_UART: r = t->uart; break;
	default:
		r = p < 5 ? t->pci_ecam : p < 8 ? t->pci_window : t->doorbell;
		if (!r.size)
			r = t->pci_ecam.size ? t->pci_ecam : t->doorbell;
		break;
	}
	if (!r.size)
		return;
	p = rnd_below(10);
	if (p < 7)
		off = ALIGN_DOWN(rnd_below(r.size), size);
	else if (p < 9)
		off = rnd_below(r.size);
	else
		off = r.size - 64 + rnd_below(192); /* the last registers and past the end */
	/* UARTDR (offset 0) would print the value: stores leave the first 8 bytes alone. */
	if (cls == OP_UART && access_is_write(form) && off < 8)
		off += 8;
	val = rnd_value();
	TRACE("%s form %u at 0x%llx value 0x%llx", op_class_names[cls], form,
	      (unsigned long long)(r.base + off), (unsigned long long)val);
	access_do(r.base + off, form, val);
}

/*
 * An IPA where the VM has nothing: the RAM window (other VMs, Tessera), the
 * device block below it, just above it, anywhere in the 39-bit space.
 */
static u64 wild_addr(const struct targets *t, u64 align)
{
	for (;;) {
		u64 p = rnd_below(10), a;

		if (p < 4)
			a = SZ_1G + rnd_below(SZ_1G);
		else if (p < 6)
			a = rnd_below(SZ_1G);
		else if (p < 8)
			a = 2 * SZ_1G + rnd_below(6 * SZ_1G);
		else
			a = rnd_below(1ULL << 39);
		if (rnd_below(4))
			a = ALIGN_DOWN(a, align);
		if (!overlaps_avoid(t, ALIGN_DOWN(a, 64), 128))
			return a;
	}
}

void wild_map_normal(const struct targets *t)
{
	/* Blocks 0 (devices) and 1 (RAM) stay as they are; above them, every free block Normal. */
	for (u64 b = 2 * SZ_1G; b < (1ULL << 39); b += SZ_1G)
		if (!overlaps_avoid(t, b, SZ_1G))
			mmu_map_normal(b, SZ_1G);
}

/*
 * A load, store, DC or fetch at a wild IPA. Above the device block such an
 * access must fault: an answer there means another VM's memory or Tessera's
 * was reachable. DC maintenance by VA may be ignored instead (KVM does).
 */
void op_wild(const struct targets *t)
{
	u64 p = rnd_below(10), before = exc_count, a, val;
	enum access_form form = AF_FORMS;
	bool must_fault = true;
	const char *what;

	if (p < 7) {
		form = rnd_form(60);
		a = wild_addr(t, access_size(form));
		what = access_is_write(form) ? "store" : "load";
		val = rnd_value();
		TRACE("wild %s form %u at 0x%llx value 0x%llx", what, form, (unsigned long long)a,
		      (unsigned long long)val);
		access_do(a, form, val);
		/* A store-exclusive without a monitor need not access memory, nor fault (B2.9.5). */
		must_fault = form != AF_STXRW;
	} else if (p < 8) {
		enum cache_form cf = (enum cache_form)rnd_below(CF_FORMS);

		a = wild_addr(t, 64);
		what = cf == CF_ZVA ? "DC ZVA" : "DC maintenance";
		must_fault = cf == CF_ZVA;
		TRACE("wild %s %u at 0x%llx", what, cf, (unsigned long long)a);
		access_cache(a, cf);
	} else {
		a = wild_addr(t, 4);
		what = "fetch";
		TRACE("wild fetch at 0x%llx", (unsigned long long)a);
		access_fetch(a);
	}
	if (a < SZ_1G || !must_fault)
		return;
	if (exc_count == before) {
		if (stats.wild_unfaulted++ < WRONG_REPORTED)
			campaign_wrong("wild %s (form %u) at IPA 0x%llx did not fault", what, form,
				       (unsigned long long)a);
		return;
	}
	if (form == AF_FORMS && p >= 8 && esr_ec(last_esr) != ESR_EC_IABT_CUR &&
	    esr_ec(last_esr) != ESR_EC_PC_ALIGN) {
		campaign_wrong("wild fetch at IPA 0x%llx executed something: then ESR 0x%llx",
			       (unsigned long long)a, (unsigned long long)last_esr);
		return;
	}
	/* The abort must name the address: FAR within the access (DC ZVA: its block), a fetch's target. */
	if (!(last_esr & ESR_ISS_FNV) &&
	    ((esr_ec(last_esr) == ESR_EC_DABT_CUR && (last_far < ALIGN_DOWN(a, 64) || last_far >= a + 16)) ||
	     (esr_ec(last_esr) == ESR_EC_IABT_CUR && last_far != a)))
		campaign_wrong("wild %s (form %u) at IPA 0x%llx: FAR 0x%llx, ESR 0x%llx", what, form,
			       (unsigned long long)a, (unsigned long long)last_far,
			       (unsigned long long)last_esr);
}

/* A VM without a PCI function or doorbell page has nothing for OP_PCI to aim at. */
static bool class_has_target(const struct targets *t, enum op_class cls)
{
	return cls != OP_PCI || t->pci_ecam.size || t->doorbell.size;
}

void campaign_run(const struct targets *t, u64 count, u32 class_mask, u64 progress, u64 trace_from)
{
	enum op_class enabled[OP_CLASSES];
	unsigned int n = 0;

	for (unsigned int c = 0; c < OP_CLASSES; c++)
		if (class_mask & (1U << c) && class_has_target(t, (enum op_class)c))
			enabled[n++] = (enum op_class)c;
	if (!n)
		return;
	for (u64 i = 1; i <= count; i++) {
		enum op_class cls = enabled[rnd_below(n)];

		stats.ops[cls]++;
		campaign_trace = trace_from && i >= trace_from;
		TRACE("operation %llu: %s", (unsigned long long)i, op_class_names[cls]);
		switch (cls) {
		case OP_WILD: op_wild(t); break;
		case OP_ICC: op_icc(); break;
		case OP_SMCCC: op_smccc(t); break;
		case OP_SYSREG: op_sysreg(); break;
		default: op_mmio(t, cls); break;
		}
		if (progress && i % progress == 0 && i < count)
			say("%llu operations, %llu exceptions", (unsigned long long)i,
			    (unsigned long long)exc_count);
	}
}

u64 campaign_exceptions(void)
{
	return exc_count;
}
