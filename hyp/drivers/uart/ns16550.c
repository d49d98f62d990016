/*
 * 16550-compatible UART for the hypervisor console (Tegra's UARTA-H among
 * them): register n at base + (n << reg-shift), read and written with
 * reg-io-width byte accesses. The firmware has set the line up (baud rate,
 * FIFOs); Tessera only moves characters. Registers: the 16550D data sheet
 * (National Semiconductor, 1995), Table II.
 */
#include <drivers/uart.h>
#include <mmio.h>

#define UART_RBR 0 /* read: receive buffer; write: THR, transmit holding */
#define UART_IER 1
#define UART_IIR 2
#define UART_LSR 5

#define IER_ERBFI BIT(0) /* received data available interrupt */
#define LSR_DR BIT(0)    /* data ready */
#define LSR_THRE BIT(5)  /* transmit holding register (or FIFO) empty */

static u32 uart_reg_read(struct uart *u, unsigned int reg)
{
	u64 addr = u->base + ((u64)reg << u->reg_shift);

	return u->io_width == 4 ? mmio_read32(addr) & 0xff : mmio_read8(addr);
}

static void uart_reg_write(struct uart *u, unsigned int reg, u32 v)
{
	u64 addr = u->base + ((u64)reg << u->reg_shift);

	if (u->io_width == 4)
		mmio_write32(addr, v);
	else
		mmio_write8(addr, (u8)v);
}

/*
 * One byte per THRE seen: whether the firmware turned the FIFOs on is not
 * known, and with them off THRE vouches for one byte only.
 */
static size_t ns16550_write(struct uart *u, const char *s, size_t n)
{
	if (!n || !(uart_reg_read(u, UART_LSR) & LSR_THRE))
		return 0;
	uart_reg_write(u, UART_RBR, (u8)s[0]);
	return 1;
}

static int ns16550_getc(struct uart *u)
{
	if (!(uart_reg_read(u, UART_LSR) & LSR_DR))
		return -1;
	return (int)uart_reg_read(u, UART_RBR);
}

static void ns16550_enable_rx_irq(struct uart *u)
{
	uart_reg_write(u, UART_IER, IER_ERBFI);
}

/* Received-data interrupts clear as RBR is read; IIR is read for any other source latched. */
static void ns16550_irq_ack(struct uart *u)
{
	(void)uart_reg_read(u, UART_IIR);
}

const struct uart_ops uart_16550_ops = {
	.write = ns16550_write,
	.getc = ns16550_getc,
	.enable_rx_irq = ns16550_enable_rx_irq,
	.irq_ack = ns16550_irq_ack,
};
