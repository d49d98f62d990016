/*
 * The guest's console: a PL011 (Arm PrimeCell UART PL011 TRM, DDI 0183G)
 * emulated on MMIO exits, enough to print: transmit only, the FIFO never full,
 * no interrupt ever raised (Linux then writes without waiting for one).
 *
 * Each guest line goes to stdout as one write, prefixed by CONSOLE_PREFIX, so
 * that bench/kvm/run.sh can tell it from the host's own console lines that
 * share QEMU's one serial port.
 */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "vmm.h"

#define CONSOLE_PREFIX "kvm-guest| "

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTRIS 0x03c
#define UARTMIS 0x040
#define UARTICR 0x044
#define UARTPERIPHID0 0xfe0
#define UARTFR_RXFE (1u << 4)
#define UARTFR_TXFE (1u << 7)

/* Peripheral and PrimeCell IDs (TRM 3.3.14-3.3.15): Linux's AMBA bus matches on them. */
static const uint8_t pl011_ids[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static pthread_mutex_t console_lock = PTHREAD_MUTEX_INITIALIZER;
static char line[1024];
static size_t line_len;
static uint32_t regs[GUEST_UART_SIZE / 4]; /* what the guest last wrote; read back as is */

static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n <= 0)
			return; /* the console is gone: nothing to tell */
		buf += n;
		len -= (size_t)n;
	}
}

/* Called with console_lock held. */
static void emit_line(void)
{
	char out[sizeof(CONSOLE_PREFIX) + sizeof(line) + 1];
	size_t n = sizeof(CONSOLE_PREFIX) - 1;

	memcpy(out, CONSOLE_PREFIX, n);
	memcpy(out + n, line, line_len);
	n += line_len;
	out[n++] = '\n';
	write_all(STDOUT_FILENO, out, n);
	line_len = 0;
}

static void console_putc(char c)
{
	pthread_mutex_lock(&console_lock);
	if (c == '\n') {
		emit_line();
	} else if (c != '\r') {
		line[line_len++] = c;
		if (line_len == sizeof(line))
			emit_line(); /* a very long line is split: never blocks the guest */
	}
	pthread_mutex_unlock(&console_lock);
}

void console_flush(void)
{
	pthread_mutex_lock(&console_lock);
	if (line_len > 0)
		emit_line();
	pthread_mutex_unlock(&console_lock);
}

/* Returns false when addr is not the UART's. Any width and offset is accepted: the
 * guest is not trusted to use 32-bit accesses, and a bad one harms only its own output. */
bool pl011_mmio(uint64_t addr, uint8_t *data, uint32_t len, bool is_write)
{
	uint64_t off = addr - GUEST_UART_BASE;
	uint32_t reg = (uint32_t)(off & ~3ull);
	uint32_t val = 0;

	if (addr < GUEST_UART_BASE || off >= GUEST_UART_SIZE || len > 8)
		return false;
	if (is_write) {
		memcpy(&val, data, len < 4 ? len : 4);
		if (reg == UARTDR)
			console_putc((char)(val & 0xff));
		else if (reg != UARTICR)
			regs[reg / 4] = val;
		return true;
	}
	if (reg == UARTFR)
		val = UARTFR_TXFE | UARTFR_RXFE; /* transmit FIFO empty, nothing received */
	else if (reg >= UARTPERIPHID0)
		val = pl011_ids[(reg - UARTPERIPHID0) / 4];
	else if (reg == UARTDR || reg == UARTRIS || reg == UARTMIS)
		val = 0;
	else
		val = regs[reg / 4];
	memset(data, 0, len);
	memcpy(data, &val, len < 4 ? len : 4);
	return true;
}
