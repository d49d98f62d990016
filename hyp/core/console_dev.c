/*
 * The console device (drivers/uart.h) under the shared console (console.c):
 * the output ring, who feeds the device from it, and the receive side.
 *
 * Nobody waits on the device with console_lock held: under the lock output
 * only goes into out_ring; after unlocking, whoever wins the drain token (a
 * flag only ever tried, never waited for) feeds the device from the ring,
 * and the others go on at once. So a VM printing over a slow UART (or a TCU
 * whose SPE firmware is slow) costs another VM's CPU only the lock's short
 * critical sections, which touch memory only. Received bytes are read
 * under the lock (input order): a register read that never waits.
 */
#include <stdio.h>
#include <drivers/uart.h>
#include <tessera/console.h>
#include <tessera/platform.h>

#include "console_internal.h"

/*
 * The output ring: bytes for the device, '\n' already "\r\n". out_head and
 * out_dropped are written under console_lock; out_tail only by the drain
 * token's holder. When the ring is full new bytes are dropped and counted
 * (the device is slower than the output, for longer than the ring lasts),
 * and the count is said at the next line start once there is room.
 */
#define CONSOLE_OUT_SIZE 16384
/* Polls without progress before a drain gives up (well over a byte's time at 9600 baud). */
#define CONSOLE_DRAIN_IDLE_POLLS 100000
static char out_ring[CONSOLE_OUT_SIZE];
static unsigned int out_head, out_tail, out_dropped;
static char out_last; /* the last byte put: did the drops cut a line? */
static unsigned int drain_token; /* 1 while a CPU feeds the device */
static bool dev_stalled;         /* the last drain gave up: look once, wait only after it moves */
static struct uart dev;          /* the console device; dev_ok when it has a driver */
static bool dev_ok;

void console_init(const struct platform *plat)
{
	dev_ok = uart_init(&dev, &plat->uart) == 0;
}

bool console_out_empty(void)
{
	return __atomic_load_n(&out_head, __ATOMIC_SEQ_CST) ==
	       __atomic_load_n(&out_tail, __ATOMIC_ACQUIRE);
}

/* Console lock held. */
static void out_put(char c)
{
	unsigned int next = (out_head + 1) % CONSOLE_OUT_SIZE;

	if (next == __atomic_load_n(&out_tail, __ATOMIC_ACQUIRE)) {
		out_dropped++;
		return;
	}
	out_ring[out_head] = c;
	out_last = c;
	__atomic_store_n(&out_head, next, __ATOMIC_SEQ_CST); /* the byte, then the index */
}

void console_out_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			out_put('\r');
		out_put(s[i]);
	}
}

/*
 * Drain token held, console lock not: the ring to the device until it is
 * empty (true) or the device took nothing for CONSOLE_DRAIN_IDLE_POLLS
 * polls (false; the rest stays for the next drain, by the next output or
 * input poll). After such a give-up the device counts as stalled: a drain
 * then polls it once, and waits again only after it took something, so a
 * dead device costs each writer one poll, not a timeout.
 */
static bool drain_held(void)
{
	unsigned int tail = out_tail;

	for (;;) {
		unsigned int head = __atomic_load_n(&out_head, __ATOMIC_SEQ_CST);
		unsigned int end = head >= tail ? head : CONSOLE_OUT_SIZE;
		size_t n;

		if (head == tail)
			return true;
		n = dev_ok ? uart_write_bounded(&dev, out_ring + tail, end - tail,
						 dev_stalled ? 0 : CONSOLE_DRAIN_IDLE_POLLS)
			    : end - tail; /* no device: nowhere to go */
		tail = (tail + (unsigned int)n) % CONSOLE_OUT_SIZE;
		__atomic_store_n(&out_tail, tail, __ATOMIC_RELEASE);
		dev_stalled = n == 0;
		if (dev_stalled)
			return false;
	}
}

/*
 * Console lock not held: feed the device, unless another CPU already does
 * (it takes what was just put too). Bytes put after the holder's last look
 * but before it let the token go would be stranded, so after letting go it
 * looks again (the token's release and the look are ordered, as are a
 * writer's put and its try of the token: one of the two sees the other).
 */
void console_out_drain(void)
{
	while (__atomic_exchange_n(&drain_token, 1, __ATOMIC_SEQ_CST) == 0) {
		bool emptied = drain_held();

		__atomic_store_n(&drain_token, 0, __ATOMIC_SEQ_CST);
		if (!emptied || console_out_empty())
			return;
	}
}

void console_out_note_dropped(void)
{
	char note[96];
	unsigned int used = (out_head - __atomic_load_n(&out_tail, __ATOMIC_ACQUIRE) +
			     CONSOLE_OUT_SIZE) % CONSOLE_OUT_SIZE;
	int n;

	if (!out_dropped || CONSOLE_OUT_SIZE - 1 - used < 2 * sizeof(note))
		return;
	n = snprintf(note, sizeof(note),
		     "%stessera: console: %u bytes of output dropped (the device was too slow)\n",
		     out_last == '\n' ? "" : "\n", out_dropped);
	out_dropped = 0;
	console_out_write(note, (size_t)n);
}

int console_dev_getc(void)
{
	return dev_ok ? dev.ops->getc(&dev) : -1;
}

void console_dev_irq_ack(void)
{
	if (dev_ok && dev.ops->irq_ack)
		dev.ops->irq_ack(&dev);
}

bool console_dev_enable_rx_irq(void)
{
	if (!dev_ok || !dev.ops->enable_rx_irq)
		return false;
	dev.ops->enable_rx_irq(&dev);
	return true;
}
