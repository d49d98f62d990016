/*
 * The benchmark guest: what main.c hands each measurement and where the
 * samples go. Each measurement prints its own result lines (report.h).
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include "dt.h"

#define BENCH_SAMPLES_DEFAULT 10000
#define BENCH_SAMPLES_MAX 100000

/*
 * Sample buffers: a measurement fills up to four (two metrics in two units)
 * at a time; each PMU buffer is followed by its ticks buffer.
 */
enum bench_buf { BUF_A_PMU, BUF_A_TICKS, BUF_B_PMU, BUF_B_TICKS, BUF_COUNT };
extern u32 bench_samples[BUF_COUNT][BENCH_SAMPLES_MAX];

struct bench_ctx {
	const struct dt_info *dt;
	u32 samples;   /* per metric */
	bool el2;      /* ID_AA64PFR0_EL1.EL2: the PE has EL2 (a hypervisor may run there) */
	bool gic_up;   /* gic_init() succeeded on vCPU 0 */
	const char *gic_err; /* why not */
};

/* hvc_null: HVC with SMCCC_VERSION, call to return (hvc.c). */
void bench_hvc_null(const struct bench_ctx *ctx);

/* timer_to_handler, timer_to_eoi: virtual timer deadline to the IRQ vector, to after the EOI. */
void bench_timer(const struct bench_ctx *ctx, bool to_handler, bool to_eoi);

/* gicd_read: one load of GICD_TYPER (gicd.c). */
void bench_gicd_read(const struct bench_ctx *ctx);

/* ipi: SGI from vCPU 0 to the IRQ vector on vCPU 1 (ipi.c). */
void bench_ipi(const struct bench_ctx *ctx);

/* mem_walk: loads 4 KiB apart over 64 MiB, per load (memwalk.c). */
void bench_mem_walk(const struct bench_ctx *ctx);

/* channel_rtt: a request and its reply over an inter-VM channel (channel.c); not in bench=all. */
void bench_channel(const struct bench_ctx *ctx);

#endif
