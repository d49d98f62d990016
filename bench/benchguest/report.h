/*
 * The lines the report generator (bench/report.sh) parses:
 *
 *   bench: result <metric> <unit> n=<n> min=<a> median=<b> p99=<c> max=<d>[ note=<why>]
 *   bench: hist <metric> <unit> <lo>-<hi>:<count> ...
 *   bench: unavailable <metric> <unit>: <reason>
 *
 * median is the lower median (sorted[(n-1)/2]), p99 the nearest rank
 * (sorted[ceil(0.99 n) - 1]). hist has 24 equal-width buckets from min to
 * max; only the non-empty ones are printed (each carries its bounds).
 */
#ifndef BENCH_REPORT_H
#define BENCH_REPORT_H

#include "guest.h"

#define REPORT_BUCKETS 24

/*
 * Sorts the @n samples of @s in place and prints their result and hist
 * lines. @per > 1 first divides every sample (mem_walk: a walk's total, per
 * access), rounded to hundredths: figures and buckets then have two decimals.
 * @note, when not NULL, ends the result line.
 */
void report(const char *metric, const char *unit, u32 *s, u32 n, u32 per, const char *note);

/* report() in the PMU's unit (pmu_unit()), or its unavailable line when there is no usable PMU. */
void report_pmu(const char *metric, u32 *s, u32 n, u32 per, const char *note);

void report_unavailable(const char *metric, const char *unit, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
