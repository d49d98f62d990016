/* The cost of an empty window (window.h), for the env line; a batch in ns. */
#include "pmu.h"
#include "timer.h"
#include "window.h"

#define EMPTY_WINDOW(rd, w)                                                              \
	__asm__ volatile(WINDOW_OPEN(rd) WINDOW_CLOSE(rd) : WINDOW_OUT(w) : : "memory")

u32 window_empty_pmu(void)
{
	struct window w;
	u32 min = ~0U;

	if (pmu_mode() == PMU_NONE)
		return 0;
	for (unsigned int i = 0; i < 16; i++) {
		EMPTY_WINDOW(WINDOW_PMU, &w);
		if (window_pmu(&w) < min)
			min = window_pmu(&w);
	}
	return min;
}

u32 batch_ns(const struct window *w)
{
	u64 freq = timer_freq();

	return freq ? (u32)(((w->t1 - w->t0) * 1000000000ULL + freq / 2) / freq) : 0;
}
