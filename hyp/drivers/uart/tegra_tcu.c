/*
 * Tegra Combined UART (TCU): not a UART but two HSP shared mailboxes, which
 * the SPE firmware multiplexes onto the debug UART (UARTC). The protocol
 * as edk2-nvidia's TegraCombinedSerialPortLib and Linux's tegra-tcu.c and
 * tegra-hsp.c use it; the mailboxes' places: uart_dt.c. Each mailbox is one
 * 32-bit register holding up to three bytes:
 *   bits 0-23  the bytes, first in bits 0-7
 *   bits 24-25 how many (1-3)
 *   bit 26     flush: the SPE sends what it holds now
 *   bit 31     FULL: set by the writer, cleared by the reader when taken.
 * A word is put only while FULL is clear, so write never waits: the
 * console's bounded drain (uart_write_bounded) is the wait that gives up
 * when the SPE does not take words (its firmware stopped or not started).
 * No receive interrupt: the HSP's shared interrupt routing is not driven,
 * so input is polled (each vPL011 read polls the console).
 */
#include <drivers/uart.h>
#include <mmio.h>

#define TCU_BYTES_MAX 3
#define TCU_COUNT_SHIFT 24
#define TCU_COUNT_MASK 0x3U
#define TCU_FLUSH BIT(26)
#define TCU_FULL BIT(31)

static size_t tcu_write(struct uart *u, const char *s, size_t n)
{
	u32 word = 0;
	size_t k;

	if (!n || (mmio_read32(u->base) & TCU_FULL))
		return 0;
	for (k = 0; k < n && k < TCU_BYTES_MAX; k++) {
		word |= (u32)(u8)s[k] << (8 * k);
		if (s[k] == '\n')
			word |= TCU_FLUSH; /* a whole line: out now, not when the SPE's buffer fills */
	}
	mmio_write32(u->base, word | (u32)k << TCU_COUNT_SHIFT | TCU_FULL);
	return k;
}

/* A word's bytes are kept in the uart and handed out one by one. */
static int tcu_getc(struct uart *u)
{
	if (!u->rx_left) {
		u32 word = mmio_read32(u->rx_base);

		if (!(word & TCU_FULL))
			return -1;
		mmio_write32(u->rx_base, 0); /* taken: the sender may put the next word */
		u->rx_word = word & 0xffffff;
		u->rx_left = (word >> TCU_COUNT_SHIFT) & TCU_COUNT_MASK;
		if (!u->rx_left)
			return -1;
	}
	int c = (int)(u->rx_word & 0xff);

	u->rx_word >>= 8;
	u->rx_left--;
	return c;
}

const struct uart_ops uart_tcu_ops = {
	.write = tcu_write,
	.getc = tcu_getc,
	.enable_rx_irq = NULL,
	.irq_ack = NULL,
};
