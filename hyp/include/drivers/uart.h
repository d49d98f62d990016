/*
 * The physical console device behind one interface: a PL011, a 16550 or
 * the Tegra Combined UART (TCU), chosen from /chosen/stdout-path by its
 * compatible. Two halves:
 *  - uart_dt.c (shared with the host checker): which driver a node wants,
 *    and the register pages it uses (struct platform_uart, in platform.h);
 *  - uart.c and one file per driver (hypervisor only): the operations.
 * No operation waits on the hardware: putting a byte either fits now or is
 * refused, so the console can feed the device outside its lock and decide
 * itself how long to keep trying (uart_write_bounded).
 */
#ifndef DRIVERS_UART_H
#define DRIVERS_UART_H

#include <tessera/types.h>

struct dt;
struct platform_uart;

enum uart_kind {
	UART_NONE,
	UART_PL011,     /* "arm,pl011", "arm,sbsa-uart" */
	UART_16550,     /* "ns16550a" and kin: reg-shift, reg-io-width */
	UART_TEGRA_TCU, /* "nvidia,tegra194-tcu": HSP shared mailboxes, TX and RX */
};

struct uart;

struct uart_ops {
	/* Bytes of @s the device took now (0: no room); never waits. */
	size_t (*write)(struct uart *u, const char *s, size_t n);
	/* The next received byte, or -1 when none is there. */
	int (*getc)(struct uart *u);
	/* Raise the device's interrupt on received data; NULL: it cannot. */
	void (*enable_rx_irq)(struct uart *u);
	/* After the interrupt was handled (the data read): clear what stays latched. */
	void (*irq_ack)(struct uart *u);
};

/* A console device ready to use: its driver and its (mapped) registers. */
struct uart {
	const struct uart_ops *ops;
	u64 base;       /* registers; TCU: the TX mailbox */
	u64 rx_base;    /* TCU: the RX mailbox */
	u32 reg_shift;  /* 16550: register n at base + (n << reg_shift) */
	u32 io_width;   /* 16550: 1 or 4 byte accesses */
	u32 rx_word;    /* TCU: bytes of the last RX mailbox word not yet read, low first */
	u32 rx_left;
};

/*
 * The driver for @node (the stdout-path device) and the pages it uses, into
 * @out. Returns 0, or -1 with the reason (naming the node) in dt->err.
 */
int uart_dt_parse(struct dt *dt, int node, struct platform_uart *out);

/* @u ready for the device @desc describes (its pages mapped). -1: no driver. */
int uart_init(struct uart *u, const struct platform_uart *desc);

/*
 * Writes @s to @u, retrying while the device has no room, but giving up
 * after @max_idle_polls polls in a row that made no progress (a stuck
 * receiver, a TCU whose SPE firmware does not drain). Returns the bytes
 * written.
 */
size_t uart_write_bounded(struct uart *u, const char *s, size_t n, unsigned int max_idle_polls);

extern const struct uart_ops uart_pl011_ops, uart_16550_ops, uart_tcu_ops;

#endif
