/*
 * Host unit tests of the console drivers (test_uart16550.c, test_tcu.c):
 * every driver and the DT side linked together (UART_HARNESS_SRCS,
 * tests/unit/unit.mk) over the fake accessors of
 * tests/unit/mmio.h (the test defines fake_mmio_read/fake_mmio_write as its
 * register model), and a Tegra234-like device tree made with libfdt's
 * sequential-write API around a console node the test describes.
 */
#ifndef TESTS_UART_HARNESS_H
#define TESTS_UART_HARNESS_H

#include <string.h>

#include <drivers/uart.h>
#include <libfdt.h>
#include <tessera/platform.h>

#include "../../hyp/core/platform_internal.h"

#define HARNESS_SW(call) assert_int_equal((call), 0)

/* The properties of the console node (its name is given): the test writes them. */
typedef void (*console_props_fn)(void *tree);

static void harness_cells(void *tree, const char *name, const u32 *v, unsigned int n)
{
	fdt32_t cells[16];

	assert_true(n <= 16);
	for (unsigned int i = 0; i < n; i++)
		cells[i] = cpu_to_fdt32(v[i]);
	HARNESS_SW(fdt_property(tree, name, cells, (int)(n * 4)));
}
#define CELLS(tree, name, ...)                                                        \
	harness_cells(tree, name, (const u32[]){ __VA_ARGS__ },                        \
		      sizeof((const u32[]){ __VA_ARGS__ }) / sizeof(u32))

#define HSP_TOP0_PHANDLE 10
#define HSP_AON_PHANDLE 11

/*
 * / { #address-cells = 2; #size-cells = 2;
 *     chosen { stdout-path = "serial0:115200n8"; }
 *     aliases { serial0 = "/bus@0/<node>"; }
 *     bus@0 { ranges: 0..1 GiB as is; hsp@3c00000, hsp@c150000 (Tegra234's TOP0 and AON HSPs); <node> }
 * }
 * and no /memory, /cpus or GIC: platform_parse() refuses the tree after the
 * console, which it reads first and keeps (what Tessera prints its refusal on).
 */
static const void *harness_tree(const char *node, console_props_fn props)
{
	static char blob[4096];
	char path[64];
	void *t = blob;

	snprintf(path, sizeof(path), "/bus@0/%s", node);
	HARNESS_SW(fdt_create(t, sizeof(blob)));
	HARNESS_SW(fdt_finish_reservemap(t));
	HARNESS_SW(fdt_begin_node(t, ""));
	CELLS(t, "#address-cells", 2);
	CELLS(t, "#size-cells", 2);
	HARNESS_SW(fdt_begin_node(t, "chosen"));
	HARNESS_SW(fdt_property_string(t, "stdout-path", "serial0:115200n8"));
	HARNESS_SW(fdt_end_node(t));
	HARNESS_SW(fdt_begin_node(t, "aliases"));
	HARNESS_SW(fdt_property_string(t, "serial0", path));
	HARNESS_SW(fdt_end_node(t));
	HARNESS_SW(fdt_begin_node(t, "bus@0"));
	CELLS(t, "#address-cells", 1);
	CELLS(t, "#size-cells", 1);
	CELLS(t, "ranges", 0x0, 0x0, 0x0, 0x40000000);
	HARNESS_SW(fdt_begin_node(t, "hsp@3c00000"));
	HARNESS_SW(fdt_property(t, "compatible", "nvidia,tegra234-hsp\0nvidia,tegra194-hsp",
				sizeof("nvidia,tegra234-hsp\0nvidia,tegra194-hsp")));
	CELLS(t, "reg", 0x03c00000, 0xa0000);
	CELLS(t, "#mbox-cells", 2);
	CELLS(t, "phandle", HSP_TOP0_PHANDLE);
	HARNESS_SW(fdt_end_node(t));
	HARNESS_SW(fdt_begin_node(t, "hsp@c150000"));
	HARNESS_SW(fdt_property_string(t, "compatible", "nvidia,tegra234-hsp"));
	CELLS(t, "reg", 0x0c150000, 0x90000);
	CELLS(t, "#mbox-cells", 2);
	CELLS(t, "phandle", HSP_AON_PHANDLE);
	HARNESS_SW(fdt_end_node(t));
	HARNESS_SW(fdt_begin_node(t, node));
	props(t);
	HARNESS_SW(fdt_end_node(t));
	HARNESS_SW(fdt_end_node(t)); /* bus@0 */
	HARNESS_SW(fdt_end_node(t));
	HARNESS_SW(fdt_finish(t));
	return blob;
}

static struct platform harness_plat;
static char harness_err[256];

/* The console platform_parse() chose from the tree: 0, or -1 with harness_err saying why. */
static int harness_console(const char *node, console_props_fn props, struct platform_uart *out)
{
	memset(harness_err, 0, sizeof(harness_err));
	assert_int_equal(platform_parse(harness_tree(node, props), &harness_plat, harness_err,
					sizeof(harness_err)), -1); /* the rest of a machine is missing */
	*out = harness_plat.uart;
	return out->reg_count ? 0 : -1;
}

#endif
