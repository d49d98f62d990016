/* Polled PL011 output and the line printer say() (uart.h, guest.h). */
#include <stdarg.h>
#include <stdio.h>

#include "uart.h"

static volatile u32 *uart_regs;

void uart_init(u64 base)
{
	uart_regs = (volatile u32 *)(uintptr_t)base;
}

bool uart_ready(void)
{
	return uart_regs != NULL;
}

u32 uart_read(unsigned int off)
{
	return uart_regs[off / sizeof(u32)];
}

void uart_write(unsigned int off, u32 val)
{
	uart_regs[off / sizeof(u32)] = val;
}

static void uart_putc(char c)
{
	while (uart_read(UART_FR) & UART_FR_TXFF)
		;
	uart_write(UART_DR, (u8)c);
}

void uart_puts(const char *s)
{
	if (!uart_regs)
		return;
	while (*s)
		uart_putc(*s++);
}

void say(const char *fmt, ...)
{
	char line[SAY_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	uart_puts(say_prefix);
	uart_puts(line);
	uart_puts("\n");
}

void uart_enable_rx(void)
{
	uart_write(UART_CR, uart_read(UART_CR) | UART_CR_UARTEN | UART_CR_TXE | UART_CR_RXE);
}

char uart_getc(void)
{
	while (uart_read(UART_FR) & UART_FR_RXFE)
		;
	return (char)(uart_read(UART_DR) & 0xff);
}
