/*
 * The config checker's reports as a test captures and asserts them: each
 * (node, message) in order, the first CONFIG_REPORTS_MAX kept, all counted;
 * TEST_CONFIG_VERBOSE=1 prints each as it comes. And the QEMU virt
 * platform the checker checks against (1 GiB of RAM at 0x40000000, CPUs
 * 0-3). Shared by test_config.c and test_config_network.c; include after
 * <cmocka.h>.
 */
#ifndef TESTS_UNIT_CONFIG_REPORTS_H
#define TESTS_UNIT_CONFIG_REPORTS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tessera/config.h>
#include <tessera/platform.h>

#define CONFIG_REPORTS_MAX 24

struct captured {
	unsigned int count;
	char node[CONFIG_REPORTS_MAX][CONFIG_PATH_MAX];
	char msg[CONFIG_REPORTS_MAX][416];
};

static struct captured got;
static struct config_reporter rep;

static inline void config_report_capture(void *ctx, const char *node, const char *msg)
{
	struct captured *c = ctx;

	if (getenv("TEST_CONFIG_VERBOSE"))
		fprintf(stderr, "report: %s: %s\n", node, msg);
	if (c->count < CONFIG_REPORTS_MAX) {
		snprintf(c->node[c->count], sizeof(c->node[0]), "%s", node);
		snprintf(c->msg[c->count], sizeof(c->msg[0]), "%s", msg);
	}
	c->count++;
}

/* No reports yet; rep captures into got. */
static inline void reports_reset(void)
{
	memset(&got, 0, sizeof(got));
	rep = (struct config_reporter){ config_report_capture, &got, 0 };
}

/* Asserts report @i was exactly (@node, @msg). */
static inline void expect_report(unsigned int i, const char *node, const char *msg)
{
	if (i >= got.count)
		fail_msg("report %u missing; wanted %s: %s", i, node, msg);
	if (strcmp(got.node[i], node) || strcmp(got.msg[i], msg))
		fail_msg("report %u:\n  got  %s: %s\n  want %s: %s", i, got.node[i], got.msg[i],
			 node, msg);
}

/* Asserts there were @n reports. */
static inline void expect_count(unsigned int n)
{
	if (got.count != n)
		fail_msg("%u reports, wanted %u; the last: %s: %s", got.count, n,
			 got.node[got.count ? got.count - 1 : 0], got.msg[got.count ? got.count - 1 : 0]);
}

/* QEMU virt as the checker sees it: 1 GiB of RAM at 0x40000000, four CPUs with MPIDRs 0-3. */
static inline void qemu_virt_platform(struct platform *plat)
{
	memset(plat, 0, sizeof(*plat));
	plat->ram[0] = (struct mem_range){ 0x40000000, SZ_1G };
	plat->ram_count = 1;
	plat->cpu_count = 4;
	for (unsigned int i = 0; i < 4; i++)
		plat->cpu_mpidr[i] = i;
}

#endif
