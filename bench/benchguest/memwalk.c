/*
 * mem_walk: one 64-bit load every 4 KiB over 64 MiB (16384 loads, each to a
 * new page), the region taken from the guest's own RAM. The guest's stage 1
 * maps its RAM with 1 GiB blocks (mmu.c), so what the walk adds under a
 * hypervisor is the stage-2 translation of each page. One sample is one
 * whole walk; the figures are per load (the walk's count / 16384, two
 * decimals). Window (window.h) around:
 *
 *   1: ldr x10, [x9]; ldr x10, [x9, #4096]; ... ldr x10, [x9, #28672]
 *      add x9, x9, #32768; cmp x9, end; b.ne 1b
 *
 * 11 instructions per 8 loads. Under QEMU TCG (no TLB or cache model) the
 * instruction and tick figures are the same natively and under a
 * hypervisor; the difference shows in wall-clock runs and on hardware.
 * One walk before the samples touches every page first.
 */
#include "bench.h"
#include "pmu.h"
#include "report.h"
#include "window.h"

#define WALK_BYTES (64 * SZ_1M)
#define WALK_STRIDE SZ_4K
#define WALK_LOADS ((u32)(WALK_BYTES / WALK_STRIDE))

#define WALK_WINDOW(rd, w, base, end)                                                    \
	__asm__ volatile("mov x9, %[b]\n\t" WINDOW_OPEN(rd)                                \
			 "1:\n\t"                                                         \
			 "ldr x10, [x9]\n\t"                                              \
			 "ldr x10, [x9, #4096]\n\t"                                       \
			 "ldr x10, [x9, #8192]\n\t"                                       \
			 "ldr x10, [x9, #12288]\n\t"                                      \
			 "ldr x10, [x9, #16384]\n\t"                                      \
			 "ldr x10, [x9, #20480]\n\t"                                      \
			 "ldr x10, [x9, #24576]\n\t"                                      \
			 "ldr x10, [x9, #28672]\n\t"                                      \
			 "add x9, x9, #32768\n\t"                                         \
			 "cmp x9, %[e]\n\t"                                               \
			 "b.ne 1b\n\t" WINDOW_CLOSE(rd)                                   \
			 : WINDOW_OUT(w)                                                  \
			 : [b] "r"(base), [e] "r"(end)                                    \
			 : "x9", "x10", "cc", "memory")

static void walk(struct window *w, u64 base)
{
	u64 end = base + WALK_BYTES;

	if (pmu_mode() != PMU_NONE)
		WALK_WINDOW(WINDOW_PMU, w, base, end);
	else
		WALK_WINDOW(WINDOW_NOPMU, w, base, end);
}

static bool overlaps(u64 a, u64 asize, u64 b, u64 bsize)
{
	return a < b + bsize && b < a + asize;
}

/* 64 MiB of the guest's RAM clear of its image and its DTB, 2 MiB aligned; 0 when there is none. */
static u64 walk_region(const struct dt_info *dt)
{
	u64 img = (u64)(uintptr_t)_start, img_size = (u64)(uintptr_t)_end - img;
	u64 mem_end = dt->memory.base + dt->memory.size;
	u64 candidates[] = { ALIGN_UP(img + img_size, SZ_2M),
			     ALIGN_UP(dt->fdt + dt->fdt_size, SZ_2M),
			     ALIGN_UP(dt->memory.base, SZ_2M) };

	for (unsigned int i = 0; i < ARRAY_SIZE(candidates); i++) {
		u64 c = candidates[i];

		if (c >= dt->memory.base && c + WALK_BYTES <= mem_end &&
		    !overlaps(c, WALK_BYTES, img, img_size) &&
		    !overlaps(c, WALK_BYTES, dt->fdt, dt->fdt_size))
			return c;
	}
	return 0;
}

void bench_mem_walk(const struct bench_ctx *ctx)
{
	u32 *pmu = bench_samples[BUF_A_PMU], *ticks = bench_samples[BUF_A_TICKS];
	u64 base = walk_region(ctx->dt);
	struct window w;

	if (!base) {
		report_unavailable("mem_walk", pmu_unit(),
				   "no 64 MiB of RAM clear of the image and the DTB");
		report_unavailable("mem_walk", "ticks",
				   "no 64 MiB of RAM clear of the image and the DTB");
		return;
	}
	walk(&w, base);
	for (u32 i = 0; i < ctx->samples; i++) {
		walk(&w, base);
		pmu[i] = window_pmu(&w);
		ticks[i] = window_ticks(&w);
	}
	report_pmu("mem_walk", pmu, ctx->samples, WALK_LOADS, NULL);
	report("mem_walk", "ticks", ticks, ctx->samples, WALK_LOADS, NULL);
}
