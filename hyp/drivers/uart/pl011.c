/*
 * PL011 (and the SBSA UART, its subset) for the hypervisor console. The
 * firmware (or QEMU) has set the line up; Tessera only moves characters.
 */
#include <drivers/pl011.h>
#include <drivers/uart.h>
#include <mmio.h>

static size_t pl011_write(struct uart *u, const char *s, size_t n)
{
	size_t done = 0;

	while (done < n && !(mmio_read32(u->base + UARTFR) & UARTFR_TXFF))
		mmio_write32(u->base + UARTDR, (u8)s[done++]);
	return done;
}

static int pl011_getc(struct uart *u)
{
	if (mmio_read32(u->base + UARTFR) & UARTFR_RXFE)
		return -1;
	return (int)(mmio_read32(u->base + UARTDR) & 0xff);
}

static void pl011_enable_rx_irq(struct uart *u)
{
	mmio_write32(u->base + UARTIMSC, UART_RXI | UART_RTI);
}

const struct uart_ops uart_pl011_ops = {
	.write = pl011_write,
	.getc = pl011_getc,
	.enable_rx_irq = pl011_enable_rx_irq,
	.irq_ack = NULL, /* receive and receive-timeout clear as the FIFO is read (TRM 3.3.13) */
};
