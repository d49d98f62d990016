/*
 * hvc_null: SMCCC_VERSION (Arm DEN 0028, function ID 0x80000000) by HVC,
 * a call every hypervisor answers without doing anything (Tessera in
 * hyp/core/hypercall.c, Xen in vsmc.c). Window (window.h): the MOV of the
 * function ID into x0, the HVC, everything the hypervisor runs until its
 * ERET, then the closing counter read. Natively on QEMU without EL2, QEMU
 * answers HVC at EL1 itself (its built-in PSCI): the figure is still given,
 * with note=native-no-el2. Then the same in batches (window.h): "ns" per call,
 * the hypervisor's whole path included even where the guest's PMU stops at EL2.
 */
#include "bench.h"
#include "exc.h"
#include "pmu.h"
#include "psci.h"
#include "report.h"
#include "window.h"

#define SMCCC_VERSION 0x80000000U

/* SMCCC v1.0 lets the callee clobber x0-x17 (DEN 0028, "Register use in AArch64 SMC and HVC
 * calls"). */
#define HVC_WINDOW(rd, w)                                                                 \
	__asm__ volatile(WINDOW_OPEN(rd) "mov x0, %[fid]\n\thvc #0\n\t" WINDOW_CLOSE(rd)  \
			 : WINDOW_OUT(w)                                                  \
			 : [fid] "r"((u64)SMCCC_VERSION)                                  \
			 : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", \
			   "x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory")

#define HVC_BATCH(w)                                                                      \
	__asm__ volatile(BATCH_WINDOW("mov x0, %[fid]\n\thvc #0")                              \
			 : BATCH_OUT(w)                                                   \
			 : [fid] "r"((u64)SMCCC_VERSION)                                  \
			 : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", \
			   "x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory")

static void hvc_window(struct window *w)
{
	if (pmu_mode() != PMU_NONE)
		HVC_WINDOW(WINDOW_PMU, w);
	else
		HVC_WINDOW(WINDOW_NOPMU, w);
}

void bench_hvc_null(const struct bench_ctx *ctx)
{
	u32 *pmu = bench_samples[BUF_A_PMU], *ticks = bench_samples[BUF_A_TICKS];
	const char *note = ctx->el2 ? NULL : "native-no-el2";
	struct exc_caught exc;
	struct window w;

	/* One call first: where nothing answers HVC it is UNDEFINED at EL1. */
	exc_catch_arm();
	smccc_call(CONDUIT_HVC, SMCCC_VERSION, 0, 0, 0);
	exc = exc_catch_disarm();
	if (exc.taken) {
		report_unavailable("hvc_null", pmu_unit(), "HVC is UNDEFINED here (EC 0x%02x)",
				   esr_ec(exc.esr));
		report_unavailable("hvc_null", "ticks", "HVC is UNDEFINED here (EC 0x%02x)",
				   esr_ec(exc.esr));
		report_unavailable("hvc_null", "ns", "HVC is UNDEFINED here (EC 0x%02x)",
				   esr_ec(exc.esr));
		return;
	}
	for (u32 i = 0; i < ctx->samples; i++) {
		hvc_window(&w);
		pmu[i] = window_pmu(&w);
		ticks[i] = window_ticks(&w);
	}
	report_pmu("hvc_null", pmu, ctx->samples, 1, note);
	report("hvc_null", "ticks", ticks, ctx->samples, 1, note);

	for (u32 i = 0; i < batch_count(ctx->samples); i++) {
		HVC_BATCH(&w);
		ticks[i] = batch_ns(&w);
	}
	report("hvc_null", "ns", ticks, batch_count(ctx->samples), BATCH_OPS, note);
}
