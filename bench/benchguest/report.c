/* Summaries and histograms of the samples (report.h). */
#include <stdarg.h>
#include <stdio.h>

#include "pmu.h"
#include "report.h"

#define FIGURE_MAX 24 /* "4294967295" or "4294967295.00", with room */

/* Heapsort: in place, O(n log n) for the 10,000 to 100,000 samples of a metric. */
static void sift_down(u32 *a, u32 root, u32 n)
{
	for (;;) {
		u32 child = 2 * root + 1, v;

		if (child >= n)
			return;
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[root] >= a[child])
			return;
		v = a[root];
		a[root] = a[child];
		a[child] = v;
		root = child;
	}
}

static void sort(u32 *a, u32 n)
{
	for (u32 i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (u32 end = n; end-- > 1;) {
		u32 v = a[0];

		a[0] = a[end];
		a[end] = v;
		sift_down(a, 0, end);
	}
}

/* @v as an integer, or as hundredths with two decimals. */
static void figure(char *buf, size_t size, u64 v, bool hundredths)
{
	if (hundredths)
		snprintf(buf, size, "%llu.%02llu", (unsigned long long)(v / 100),
			 (unsigned long long)(v % 100));
	else
		snprintf(buf, size, "%llu", (unsigned long long)v);
}

static void print_hist(const char *metric, const char *unit, const u32 *s, u32 n, bool hundredths)
{
	u64 min = s[0], width = ((u64)s[n - 1] - min) / REPORT_BUCKETS + 1;
	u32 counts[REPORT_BUCKETS] = { 0 };
	char line[SAY_LINE_MAX];
	size_t len;

	for (u32 i = 0; i < n; i++)
		counts[(s[i] - min) / width]++;
	len = (size_t)snprintf(line, sizeof(line), "hist %s %s", metric, unit);
	for (unsigned int b = 0; b < REPORT_BUCKETS && len < sizeof(line); b++) {
		char lo[FIGURE_MAX], hi[FIGURE_MAX];

		if (!counts[b])
			continue;
		figure(lo, sizeof(lo), min + b * width, hundredths);
		figure(hi, sizeof(hi), min + (b + 1) * width - 1, hundredths);
		len += (size_t)snprintf(line + len, sizeof(line) - len, " %s-%s:%u", lo, hi,
					counts[b]);
	}
	say("%s", line);
}

void report(const char *metric, const char *unit, u32 *s, u32 n, u32 per, const char *note)
{
	char min[FIGURE_MAX], med[FIGURE_MAX], p99[FIGURE_MAX], max[FIGURE_MAX];
	bool hundredths = per > 1;

	if (n == 0) {
		report_unavailable(metric, unit, "no samples");
		return;
	}
	/* Per access first, in rounded hundredths: the histogram's buckets then print exactly. */
	if (hundredths)
		for (u32 i = 0; i < n; i++)
			s[i] = (u32)(((u64)s[i] * 100 + per / 2) / per);
	sort(s, n);
	figure(min, sizeof(min), s[0], hundredths);
	figure(med, sizeof(med), s[(n - 1) / 2], hundredths);
	figure(p99, sizeof(p99), s[((u64)n * 99 + 99) / 100 - 1], hundredths);
	figure(max, sizeof(max), s[n - 1], hundredths);
	say("result %s %s n=%u min=%s median=%s p99=%s max=%s%s%s", metric, unit, n, min, med, p99,
	    max, note ? " note=" : "", note ? note : "");
	print_hist(metric, unit, s, n, hundredths);
}

void report_pmu(const char *metric, u32 *s, u32 n, u32 per, const char *note)
{
	if (pmu_mode() == PMU_NONE)
		report_unavailable(metric, pmu_unit(), "no usable PMU (%s)", pmu_why());
	else
		report(metric, pmu_unit(), s, n, per, note);
}

void report_unavailable(const char *metric, const char *unit, const char *fmt, ...)
{
	char why[SAY_LINE_MAX / 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	say("unavailable %s %s: %s", metric, unit, why);
}
