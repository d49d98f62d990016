/*
 * The benchmark guest's flow: read the DT, find the PMU, print the env line,
 * run the measurements the bootargs ask for (bench=all or a comma list of
 * metric names, samples=N), print "bench: done", power off. README.md says
 * what each measurement's window is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "bench.h"
#include "boot.h"
#include "gic.h"
#include "irq.h"
#include "percpu.h"
#include "pmu.h"
#include "psci.h"
#include "sysreg.h"
#include "timer.h"
#include "window.h"

/* ID_AA64PFR0_EL1.EL2, bits [11:8] (DDI 0487 J.a D19.2): 0 = EL2 not implemented. */
#define ID_AA64PFR0_EL2_SHIFT 8
#define ID_AA64PFR0_EL2_MASK 0xfULL

const char say_prefix[] = "bench: ";

u32 bench_samples[BUF_COUNT][BENCH_SAMPLES_MAX];

enum metric { HVC_NULL, TIMER_TO_HANDLER, TIMER_TO_EOI, GICD_READ, IPI, MEM_WALK, CHANNEL, METRICS };

/* bench=all is every metric before CHANNEL: that one needs a channel and a peer VM running it too. */
#define METRICS_ALL CHANNEL

static const char *const metric_names[METRICS] = {
	"hvc_null", "timer_to_handler", "timer_to_eoi", "gicd_read", "ipi", "mem_walk", "channel",
};

static struct bench_cpu cpu0;

/* The index of the metric named by the @n characters at @name, or -1. */
static int metric_index(const char *name, size_t n)
{
	for (unsigned int m = 0; m < METRICS; m++)
		if (n == strlen(metric_names[m]) && !strncmp(name, metric_names[m], n))
			return (int)m;
	return -1;
}

/* bench=all, or names separated by commas; unknown names are reported and skipped. */
static void parse_metrics(const char *list, size_t len, bool want[METRICS])
{
	const char *end = list + len;

	while (list < end) {
		const char *comma = memchr(list, ',', (size_t)(end - list));
		size_t n = comma ? (size_t)(comma - list) : (size_t)(end - list);
		int m = metric_index(list, n);

		if (n == strlen("all") && !strncmp(list, "all", n)) {
			for (unsigned int i = 0; i < METRICS_ALL; i++)
				want[i] = true;
		} else if (m >= 0) {
			want[m] = true;
		} else if (n) {
			say("unknown metric \"%.*s\" ignored (all, hvc_null, timer_to_handler, "
			    "timer_to_eoi, gicd_read, ipi, mem_walk, channel)",
			    (int)n, list);
		}
		list += n + 1;
	}
}

static u32 parse_samples(const char *cmdline)
{
	size_t len;
	const char *v = arg_find(cmdline, "samples", &len);
	unsigned long n = v ? strtoul(v, NULL, 0) : BENCH_SAMPLES_DEFAULT;

	if (n == 0)
		n = BENCH_SAMPLES_DEFAULT;
	return n > BENCH_SAMPLES_MAX ? BENCH_SAMPLES_MAX : (u32)n;
}

static void print_env(const struct bench_ctx *ctx)
{
	unsigned int el = (unsigned int)(read_sysreg(CurrentEL) >> CURRENTEL_EL_SHIFT) &
			  CURRENTEL_EL_MASK;
	char window[32] = "";

	if (pmu_mode() != PMU_NONE)
		snprintf(window, sizeof(window), " pmu_window=%u", window_empty_pmu());
	say("env el=%u el2=%s cpus=%u pmu=%s cntfrq=%llu samples=%u%s", el, ctx->el2 ? "yes" : "no",
	    ctx->dt->cpu_count, pmu_name(), (unsigned long long)timer_freq(), ctx->samples,
	    window);
}

void guest_main(u64 dtb)
{
	struct dt_info info = { 0 };
	struct bench_ctx ctx = { .dt = &info };
	bool want[METRICS] = { false };
	const char *list;
	size_t len;

	guest_boot(dtb, &info);
	pmu_init();
	percpu_init(&cpu0);
	irq_set_after_eoi(percpu_after_eoi);

	ctx.samples = parse_samples(info.bootargs);
	ctx.el2 = (read_sysreg(id_aa64pfr0_el1) >> ID_AA64PFR0_EL2_SHIFT) & ID_AA64PFR0_EL2_MASK;
	print_env(&ctx);

	list = arg_find(info.bootargs, "bench", &len);
	if (!list) {
		list = "all";
		len = strlen(list);
	}
	parse_metrics(list, len, want);
	if (want[TIMER_TO_HANDLER] || want[TIMER_TO_EOI] || want[IPI]) {
		ctx.gic_err = gic_init(&info.gic);
		ctx.gic_up = !ctx.gic_err;
	}

	if (want[HVC_NULL])
		bench_hvc_null(&ctx);
	if (want[TIMER_TO_HANDLER] || want[TIMER_TO_EOI])
		bench_timer(&ctx, want[TIMER_TO_HANDLER], want[TIMER_TO_EOI]);
	if (want[GICD_READ])
		bench_gicd_read(&ctx);
	if (want[IPI])
		bench_ipi(&ctx);
	if (want[MEM_WALK])
		bench_mem_walk(&ctx);
	if (want[CHANNEL])
		bench_channel(&ctx);

	say("done");
	psci_system_off();
}
