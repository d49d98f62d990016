/*
 * Polled PL011 driver for the hypervisor console. The firmware (or QEMU)
 * has set the line up; Tessera only moves characters.
 */
#include <drivers/pl011.h>
#include <mmio.h>

void pl011_putc(u64 base, char c)
{
	while (mmio_read32(base + UARTFR) & UARTFR_TXFF)
		;
	mmio_write32(base + UARTDR, (u8)c);
}

int pl011_getc(u64 base)
{
	if (mmio_read32(base + UARTFR) & UARTFR_RXFE)
		return -1;
	return (int)(mmio_read32(base + UARTDR) & 0xff);
}

void pl011_enable_rx_irq(u64 base)
{
	mmio_write32(base + UARTIMSC, UART_RXI | UART_RTI);
}
