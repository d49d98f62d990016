/* Self-checks: RAM, the PL011, the virtual timer, the GIC, PSCI (checks.h). */
#include "checks.h"
#include "gic.h"
#include "irq.h"
#include "psci.h"
#include "timer.h"
#include "uart.h"

#define MEM_SPAN_MAX SZ_1M
#define UART_TXFF_SPINS 1000000
#define COUNTER_SPINS 10000000
#define GIC_CHECK_SGI 1          /* any SGI: the guest uses none of them otherwise */
#define GIC_CHECK_WAIT_US 100000 /* for the SGI to be taken */
#define GIC_CHECK_SETTLE_US 1000 /* then for a second (wrong) delivery */

static bool pass(const char *name)
{
	say("check %s: ok", name);
	return true;
}

/* ------------------------------------------------------------------ memory */

/* The pages of @bank outside the two excluded ranges, in address order (at most 3). */
static unsigned int free_ranges(const struct range *bank, struct range excl[2],
				struct range out[3])
{
	u64 cur = bank->base, end = bank->base + bank->size;
	unsigned int n = 0;

	if (excl[1].base < excl[0].base) {
		struct range t = excl[0];

		excl[0] = excl[1];
		excl[1] = t;
	}
	for (unsigned int i = 0; i < 2; i++) {
		u64 eb = excl[i].base, ee = excl[i].base + excl[i].size;

		if (ee <= cur || eb >= end)
			continue;
		if (eb > cur)
			out[n++] = (struct range){ cur, eb - cur };
		cur = ee;
	}
	if (cur < end)
		out[n++] = (struct range){ cur, end - cur };
	return n;
}

/* Writes, then reads back, four fixed patterns and an address pattern over [base, base+size). */
static bool mem_patterns(u64 base, u64 size, u64 *bad, u64 *wrote, u64 *read)
{
	static const u64 patterns[] = { 0, ~0ULL, 0x5555555555555555ULL, 0xaaaaaaaaaaaaaaaaULL };
	volatile u64 *p = (volatile u64 *)(uintptr_t)base;
	u64 words = size / sizeof(u64);

	for (unsigned int k = 0; k <= ARRAY_SIZE(patterns); k++) {
		for (u64 i = 0; i < words; i++)
			p[i] = k < ARRAY_SIZE(patterns) ? patterns[k] : ~(base + i * 8);
		for (u64 i = 0; i < words; i++) {
			u64 want = k < ARRAY_SIZE(patterns) ? patterns[k] : ~(base + i * 8);

			if (p[i] != want) {
				*bad = base + i * 8;
				*wrote = want;
				*read = p[i];
				return false;
			}
		}
	}
	return true;
}

bool check_memory(const struct dt_info *info)
{
	u64 img = ALIGN_DOWN((u64)(uintptr_t)_start, SZ_4K);
	struct range excl[2] = {
		{ img, ALIGN_UP((u64)(uintptr_t)_end, SZ_4K) - img },
		{ ALIGN_DOWN(info->fdt, SZ_4K),
		  ALIGN_UP(info->fdt + info->fdt_size, SZ_4K) - ALIGN_DOWN(info->fdt, SZ_4K) },
	};
	struct range ranges[3], tests[3];
	unsigned int n = free_ranges(&info->memory, excl, ranges), big = 0;
	u64 bad, wrote, read;

	if (n == 0) {
		say("check memory: FAILED (no RAM outside the image and the DTB)");
		return false;
	}
	for (unsigned int i = 1; i < n; i++)
		if (ranges[i].size > ranges[big].size)
			big = i;
	tests[0] = (struct range){ ranges[0].base, SZ_4K };
	tests[1] = (struct range){ ranges[n - 1].base + ranges[n - 1].size - SZ_4K, SZ_4K };
	tests[2].base = ranges[big].base + ALIGN_DOWN(ranges[big].size / 2, SZ_4K);
	tests[2].size = ranges[big].base + ranges[big].size - tests[2].base;
	if (tests[2].size > MEM_SPAN_MAX)
		tests[2].size = MEM_SPAN_MAX;

	say("memory: testing first page 0x%llx, last page 0x%llx, span 0x%llx-0x%llx",
	    (unsigned long long)tests[0].base, (unsigned long long)tests[1].base,
	    (unsigned long long)tests[2].base,
	    (unsigned long long)(tests[2].base + tests[2].size - 1));
	for (unsigned int i = 0; i < ARRAY_SIZE(tests); i++) {
		if (!mem_patterns(tests[i].base, tests[i].size, &bad, &wrote, &read)) {
			say("check memory: FAILED (at 0x%llx wrote 0x%llx, read 0x%llx)",
			    (unsigned long long)bad, (unsigned long long)wrote,
			    (unsigned long long)read);
			return false;
		}
	}
	return pass("memory");
}

/* -------------------------------------------------------------------- uart */

/* QEMU's PL011: PeriphID0-3 then PCellID0-3 (DDI 0183G 3.3, and QEMU hw/char/pl011.c). */
static const u8 pl011_ids[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static bool uart_readback(unsigned int off, const char *reg, u32 val, u32 mask)
{
	u32 got;

	uart_write(off, val);
	got = uart_read(off) & mask;
	if (got == val)
		return true;
	say("check uart: FAILED (%s: wrote 0x%x, read back 0x%x)", reg, val, got);
	return false;
}

bool check_uart(void)
{
	unsigned int spins = 0;
	u32 imsc, lcr_h;
	bool ok;

	while (uart_read(UART_FR) & UART_FR_TXFF) {
		if (++spins == UART_TXFF_SPINS) {
			say("check uart: FAILED (FR.TXFF stays set: FR 0x%x)", uart_read(UART_FR));
			return false;
		}
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(pl011_ids); i++) {
		u32 id = uart_read(UART_PERIPHID0 + 4 * i) & 0xff;

		if (id != pl011_ids[i]) {
			say("check uart: FAILED (ID register at 0x%x reads 0x%02x, want 0x%02x)",
			    UART_PERIPHID0 + 4 * i, id, pl011_ids[i]);
			return false;
		}
	}

	imsc = uart_read(UART_IMSC);
	ok = uart_readback(UART_IMSC, "IMSC", 0x2a5, UART_IMSC_MASK) &&
	     uart_readback(UART_IMSC, "IMSC", 0, UART_IMSC_MASK);
	uart_write(UART_IMSC, imsc);
	if (!ok)
		return false;

	lcr_h = uart_read(UART_LCR_H);
	ok = uart_readback(UART_LCR_H, "LCR_H", UART_LCR_H_WLEN_8, 0xff) &&
	     uart_readback(UART_LCR_H, "LCR_H", UART_LCR_H_WLEN_8 | UART_LCR_H_FEN, 0xff);
	uart_write(UART_LCR_H, lcr_h);
	return ok && pass("uart");
}

/* ------------------------------------------------------------------- timer */

bool check_timer(void)
{
	u64 freq = timer_freq(), t0, deadline, seen = 0;
	unsigned int spins = 0;

	if (!freq) {
		say("check timer: FAILED (CNTFRQ_EL0 is 0)");
		return false;
	}
	t0 = timer_count();
	while (timer_count() == t0) {
		if (++spins == COUNTER_SPINS) {
			say("check timer: FAILED (CNTVCT_EL0 stays at 0x%llx)", (unsigned long long)t0);
			return false;
		}
	}

	deadline = timer_count() + timer_us_to_ticks(1000);
	switch (timer_wait_until(deadline, freq, &seen)) {
	case TIMER_FIRED:
		return pass("timer");
	case TIMER_EARLY:
		say("check timer: FAILED (ISTATUS set at count 0x%llx, before the deadline 0x%llx)",
		    (unsigned long long)seen, (unsigned long long)deadline);
		return false;
	default:
		say("check timer: FAILED (ISTATUS still clear 1 s after the deadline 0x%llx)",
		    (unsigned long long)deadline);
		return false;
	}
}

/* --------------------------------------------------------------------- gic */

static volatile unsigned int sgi_taken;
static volatile u32 sgi_intid;

static void sgi_handler(u32 intid)
{
	sgi_intid = intid;
	sgi_taken++;
}

/* IRQ windows for up to @wait_us; once the SGI is taken, for @settle_us more (a second delivery). */
static void gic_check_wait(u64 wait_us, u64 settle_us)
{
	u64 now = timer_count(), give_up = now + timer_us_to_ticks(wait_us), stop = give_up;
	bool settling = false;

	while (now < stop) {
		irq_window();
		now = timer_count();
		if (sgi_taken && !settling) {
			settling = true;
			stop = now + timer_us_to_ticks(settle_us);
		}
	}
}

bool check_gic(const struct dt_info *info)
{
	const char *err;
	struct irq_stats before, after;

	if (!info->gic.present)
		return true; /* nothing to check, nothing to say */
	err = gic_init(&info->gic);
	if (err) {
		say("check gic: FAILED (%s)", err);
		return false;
	}
	irq_get_stats(&before);
	sgi_taken = 0;
	irq_set_handler(GIC_CHECK_SGI, sgi_handler);
	gic_enable_private(GIC_CHECK_SGI, GIC_PRIO_DEFAULT);
	gic_sgi_self(GIC_CHECK_SGI);
	gic_check_wait(GIC_CHECK_WAIT_US, GIC_CHECK_SETTLE_US);
	irq_set_handler(GIC_CHECK_SGI, NULL);
	irq_get_stats(&after);

	if (after.unexpected != before.unexpected) {
		say("check gic: FAILED (took INTID %u, wanted SGI %u)", after.last_unexpected,
		    GIC_CHECK_SGI);
		return false;
	}
	if (!sgi_taken) {
		say("check gic: FAILED (SGI %u not taken within 100 ms; GICR_ISPENDR0 0x%08x, "
		    "%llu spurious acknowledges)",
		    GIC_CHECK_SGI, gic_pending_private(),
		    (unsigned long long)(after.spurious - before.spurious));
		return false;
	}
	if (sgi_taken != 1 || sgi_intid != GIC_CHECK_SGI) {
		say("check gic: FAILED (SGI %u taken %u times, last as INTID %u)", GIC_CHECK_SGI,
		    sgi_taken, sgi_intid);
		return false;
	}
	return pass("gic");
}

/* -------------------------------------------------------------------- psci */

bool check_psci(const struct dt_info *info)
{
	s64 v;

	if (info->psci == CONDUIT_NONE) {
		say("check psci: FAILED (no /psci method in the DT)");
		return false;
	}
	v = psci_version();
	if (v < 0x10000) {
		say("check psci: FAILED (PSCI_VERSION via %s returned 0x%llx)",
		    conduit_name(info->psci), (unsigned long long)v);
		return false;
	}
	return pass("psci");
}
