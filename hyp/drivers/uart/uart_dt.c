/*
 * Which console driver the stdout-path node wants, and the register pages
 * it uses (drivers/uart.h). Shared with the host checker: libfdt and the
 * platform DT helpers only.
 *
 * Bindings: Linux serial/pl011.yaml, serial/arm_sbsa_uart.txt,
 * serial/8250.yaml (reg-shift, reg-io-width), serial/nvidia,tegra20-hsuart,
 * serial/nvidia,tegra194-tcu.yaml and mailbox/nvidia,tegra186-hsp.yaml
 * (dt-bindings/mailbox/tegra186-hsp.h).
 */
#include <libfdt.h>
#include <string.h>
#include <drivers/uart.h>
#include <tessera/platform.h>

#include "../../core/platform_internal.h"

/* tegra186-hsp.h: the mailbox specifier's cells: <type index|flags>. */
#define HSP_MBOX_TYPE_MASK 0xffU /* bit 8 marks a 128-bit mailbox */
#define HSP_MBOX_TYPE_SM 0x1U
#define HSP_SM_FLAG_TX BIT(31)
#define HSP_SM_INDEX_MASK 0x00ffffffU
/* tegra-hsp.c: shared mailbox i is at the HSP's base + 64 KiB + i * 32 KiB. */
#define HSP_SM_OFFSET 0x10000U
#define HSP_SM_STRIDE 0x8000U

struct uart_match {
	const char *compatible;
	enum uart_kind kind;
	u32 reg_shift, io_width; /* defaults when the node does not say */
};

/*
 * Tegra's UARTs A-H are 16550s with 32-bit registers 4 bytes apart
 * (Linux 8250_tegra.c sets regshift 2, UPIO_MEM32 itself; the nodes often
 * carry no reg-shift).
 */
static const struct uart_match matches[] = {
	{ "arm,pl011", UART_PL011, 0, 4 },
	{ "arm,sbsa-uart", UART_PL011, 0, 4 },
	{ "ns16550a", UART_16550, 0, 1 },
	{ "ns16550", UART_16550, 0, 1 },
	{ "nvidia,tegra20-uart", UART_16550, 2, 4 },
	{ "nvidia,tegra194-hsuart", UART_16550, 2, 4 },
	{ "nvidia,tegra194-tcu", UART_TEGRA_TCU, 0, 4 },
};

static int optional_u32(struct dt *dt, int node, const char *name, u32 *v)
{
	int len;
	const fdt32_t *p = fdt_getprop(dt->fdt, node, name, &len);

	if (!p)
		return 0;
	if (len != 4)
		return dt_error(dt, "%s: %s is not one cell", path_of(dt, node), name);
	*v = fdt32_to_cpu(*p);
	return 0;
}

/* The shared mailbox mboxes entry @index names, as a page range (one 32 KiB slot). */
static int hsp_mailbox(struct dt *dt, int node, int index, bool tx, struct mem_range *out)
{
	int len;
	const fdt32_t *p = fdt_getprop(dt->fdt, node, "mboxes", &len);
	struct mem_range hsp;

	if (!p || len < (index + 1) * 12)
		return dt_error(dt, "%s: mboxes has no entry %d (<&hsp type index> each)",
				path_of(dt, node), index);
	p += index * 3;
	int hsp_node = fdt_node_offset_by_phandle(dt->fdt, fdt32_to_cpu(p[0]));
	u32 type = fdt32_to_cpu(p[1]), sm = fdt32_to_cpu(p[2]);

	if (hsp_node < 0)
		return dt_error(dt, "%s: mboxes entry %d names no node", path_of(dt, node), index);
	if ((type & HSP_MBOX_TYPE_MASK) != HSP_MBOX_TYPE_SM || (type & ~HSP_MBOX_TYPE_MASK) ||
	    !(sm & HSP_SM_FLAG_TX) != !tx)
		return dt_error(dt, "%s: mboxes entry %d is not a 32-bit shared mailbox for %s",
				path_of(dt, node), index, tx ? "TX" : "RX");
	if (reg_range(dt, hsp_node, 0, &hsp))
		return -1;
	u64 offset = HSP_SM_OFFSET + (u64)(sm & HSP_SM_INDEX_MASK) * HSP_SM_STRIDE;

	if (offset + HSP_SM_STRIDE > hsp.size)
		return dt_error(dt, "%s: shared mailbox %u is outside its registers",
				path_of(dt, hsp_node), sm & HSP_SM_INDEX_MASK);
	*out = (struct mem_range){ hsp.base + offset, HSP_SM_STRIDE };
	return 0;
}

/* mbox-names gives each entry's role; without it, RX then TX as the binding lists them. */
static int tcu_mailboxes(struct dt *dt, int node, struct platform_uart *out)
{
	int tx = fdt_stringlist_search(dt->fdt, node, "mbox-names", "tx");
	int rx = fdt_stringlist_search(dt->fdt, node, "mbox-names", "rx");

	if (tx < 0 && rx < 0) {
		rx = 0;
		tx = 1;
	}
	if (tx < 0 || rx < 0)
		return dt_error(dt, "%s: mbox-names needs \"rx\" and \"tx\"", path_of(dt, node));
	if (hsp_mailbox(dt, node, tx, true, &out->regs[0]) ||
	    hsp_mailbox(dt, node, rx, false, &out->regs[1]))
		return -1;
	out->reg_count = 2;
	return 0;
}

int uart_dt_parse(struct dt *dt, int node, struct platform_uart *out)
{
	const struct uart_match *m = NULL;
	struct platform_uart u = { 0 };

	for (unsigned int i = 0; i < ARRAY_SIZE(matches) && !m; i++)
		if (fdt_node_check_compatible(dt->fdt, node, matches[i].compatible) == 0)
			m = &matches[i];
	if (!m)
		return dt_error(dt, "%s: no console driver for its compatible (Tessera drives a "
				"PL011, a 16550 or the Tegra TCU)", path_of(dt, node));
	u.kind = m->kind;
	u.reg_shift = m->reg_shift;
	u.reg_io_width = m->io_width;
	if (m->kind == UART_TEGRA_TCU) {
		if (tcu_mailboxes(dt, node, &u))
			return -1;
	} else {
		if (reg_range(dt, node, 0, &u.regs[0]))
			return -1;
		u.reg_count = 1;
	}
	if (m->kind == UART_16550) {
		if (optional_u32(dt, node, "reg-shift", &u.reg_shift) ||
		    optional_u32(dt, node, "reg-io-width", &u.reg_io_width))
			return -1;
		if (u.reg_shift > 2 || (u.reg_io_width != 1 && u.reg_io_width != 4))
			return dt_error(dt, "%s: reg-shift %u, reg-io-width %u: Tessera's 16550 "
					"driver takes reg-shift 0-2 and reg-io-width 1 or 4",
					path_of(dt, node), u.reg_shift, u.reg_io_width);
	}
	*out = u;
	return 0;
}
