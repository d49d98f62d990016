/*
 * gicd_read: one 32-bit load of GICD_TYPER (GICv3, Arm IHI 0069H, 12.9
 * "The GIC Distributor register descriptions"), offset 0x0004. Under a
 * hypervisor the distributor is emulated: the load faults to EL2 (stage 2),
 * is decoded and answered, and the hypervisor returns past it. Window
 * (window.h): the LDR and all the hypervisor does for it. Then the same in
 * batches (window.h): "ns" per load, the hypervisor's whole path included.
 */
#include "bench.h"
#include "pmu.h"
#include "report.h"
#include "window.h"

#define GICD_TYPER 0x0004

/* A single LDR with a plain base register: a valid syndrome for the hypervisor (ESR_EL2.ISV). */
#define GICD_WINDOW(rd, w, addr, val)                                                    \
	__asm__ volatile(WINDOW_OPEN(rd) "ldr %w[v], [%[a]]\n\t" WINDOW_CLOSE(rd)           \
			 : WINDOW_OUT(w), [v] "=&r"(val)                                   \
			 : [a] "r"(addr)                                                  \
			 : "memory")

#define GICD_BATCH(w, addr, val)                                                          \
	__asm__ volatile(BATCH_WINDOW("ldr %w[v], [%[a]]")                                     \
			 : BATCH_OUT(w), [v] "=&r"(val)                                   \
			 : [a] "r"(addr)                                                  \
			 : "memory")

static void gicd_window(struct window *w, u64 addr)
{
	u32 value;

	if (pmu_mode() != PMU_NONE)
		GICD_WINDOW(WINDOW_PMU, w, addr, value);
	else
		GICD_WINDOW(WINDOW_NOPMU, w, addr, value);
	(void)value;
}

void bench_gicd_read(const struct bench_ctx *ctx)
{
	u32 *pmu = bench_samples[BUF_A_PMU], *ticks = bench_samples[BUF_A_TICKS];
	const struct dt_gic *gic = &ctx->dt->gic;
	struct window w;

	if (!gic->present || gic->err) {
		const char *why = gic->present ? gic->err : "no arm,gic-v3 node in the DT";

		report_unavailable("gicd_read", pmu_unit(), "%s", why);
		report_unavailable("gicd_read", "ticks", "%s", why);
		report_unavailable("gicd_read", "ns", "%s", why);
		return;
	}
	for (u32 i = 0; i < ctx->samples; i++) {
		gicd_window(&w, gic->dist.base + GICD_TYPER);
		pmu[i] = window_pmu(&w);
		ticks[i] = window_ticks(&w);
	}
	report_pmu("gicd_read", pmu, ctx->samples, 1, NULL);
	report("gicd_read", "ticks", ticks, ctx->samples, 1, NULL);

	for (u32 i = 0; i < batch_count(ctx->samples); i++) {
		u32 value;

		GICD_BATCH(&w, gic->dist.base + GICD_TYPER, value);
		(void)value;
		ticks[i] = batch_ns(&w);
	}
	report("gicd_read", "ns", ticks, batch_count(ctx->samples), BATCH_OPS, NULL);
}
