/*
 * The Tegra Combined UART driver (hyp/drivers/uart/tegra_tcu.c) against a
 * model of its two HSP shared mailboxes and the SPE firmware behind them,
 * and its choice from a Tegra234-like device tree. The model refuses a word
 * written while FULL is set (it would overwrite bytes the SPE has not
 * taken) and any access but a 32-bit one at a mailbox register. The word
 * format (bytes in 0-23, count in 24-25, flush 26, FULL 31) is written out
 * here as literal numbers, from the protocol as edk2-nvidia's
 * TegraCombinedSerialPortLib and Linux's tegra-tcu.c use it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "uart_harness.h"

#define TX_MBOX 0x0c168000ULL /* AON HSP + 64 KiB + shared mailbox 1 * 32 KiB */
#define RX_MBOX 0x03c10000ULL /* TOP0 HSP + 64 KiB + shared mailbox 0 */

static struct {
	u32 tx, rx;              /* the two mailbox registers */
	u32 words[64];           /* every word the CPU put in TX */
	unsigned int word_count;
	char seen[256];          /* what the SPE sent to the debug UART */
	size_t seen_len;
	unsigned int spe_polls;  /* TX reads before the SPE takes a word */
	unsigned int spe_left;
	bool spe_dead;           /* never takes one */
	unsigned int tx_reads;
	unsigned int rx_clears;
} m;

/* The SPE takes the word: its bytes out, FULL cleared. */
static void spe_take(void)
{
	unsigned int n = (m.tx >> 24) & 3;

	for (unsigned int i = 0; i < n; i++)
		m.seen[m.seen_len++] = (char)(m.tx >> (8 * i));
	m.tx = 0;
}

/* Time passes: the SPE takes what is there, unless it is dead. */
static void spe_catch_up(void)
{
	if ((m.tx & 0x80000000U) && !m.spe_dead)
		spe_take();
}

uint64_t fake_mmio_read(uint64_t addr, unsigned int size)
{
	assert_int_equal(size, 4);
	if (addr == TX_MBOX) {
		m.tx_reads++;
		if ((m.tx & 0x80000000U) && !m.spe_dead && m.spe_left-- == 0)
			spe_take();
		return m.tx;
	}
	assert_int_equal(addr, RX_MBOX);
	return m.rx;
}

void fake_mmio_write(uint64_t addr, uint64_t v, unsigned int size)
{
	assert_int_equal(size, 4);
	if (addr == TX_MBOX) {
		assert_false(m.tx & 0x80000000U); /* never over a word the SPE has not taken */
		assert_true(v & 0x80000000U);     /* FULL: the SPE's signal that a word is there */
		assert_true(m.word_count < 64);
		m.words[m.word_count++] = (u32)v;
		m.tx = (u32)v;
		m.spe_left = m.spe_polls;
		return;
	}
	assert_int_equal(addr, RX_MBOX);
	assert_int_equal(v, 0); /* the receiver hands the mailbox back by clearing it */
	m.rx = 0;
	m.rx_clears++;
}

static struct uart u;

static void setup_model(void)
{
	struct platform_uart desc = { .kind = UART_TEGRA_TCU, .reg_count = 2,
				      .regs = { { TX_MBOX, 0x8000 }, { RX_MBOX, 0x8000 } } };

	memset(&m, 0, sizeof(m));
	assert_int_equal(uart_init(&u, &desc), 0);
	assert_ptr_equal(u.ops, &uart_tcu_ops);
}

static void test_word_format(void **state)
{
	(void)state;
	setup_model();
	assert_int_equal(uart_write_bounded(&u, "abcd\n", 5, 10), 5);
	assert_int_equal(m.word_count, 2);
	assert_int_equal(m.words[0], 0x83636261);              /* FULL, 3 bytes, "abc" */
	assert_int_equal(m.words[1], 0x80000000 | 0x04000000 | /* FULL, flush (a newline), */
					     0x02000000 | 0x0a64); /* 2 bytes, "d\n" */
	spe_catch_up();
	assert_string_equal(m.seen, "abcd\n");
}

static void test_full_bit_respected(void **state)
{
	(void)state;
	setup_model();
	m.spe_polls = 5; /* the SPE is slow: each word stays FULL for five looks */
	assert_int_equal(uart_write_bounded(&u, "hello, world", 12, 10), 12);
	spe_catch_up();
	assert_string_equal(m.seen, "hello, world");
	assert_int_equal(m.word_count, 4);
	/* write never waits: a look at FULL per call, no spinning inside */
	m.tx = 0x81000041;
	m.spe_dead = true;
	m.tx_reads = 0;
	assert_int_equal(u.ops->write(&u, "x", 1), 0);
	assert_int_equal(m.tx_reads, 1);
}

/* The SPE firmware never takes the word: the wait ends, the writer goes on. */
static void test_bounded_wait_gives_up(void **state)
{
	(void)state;
	setup_model();
	m.spe_dead = true;
	assert_int_equal(uart_write_bounded(&u, "abcdef", 6, 100), 3); /* the first word went in */
	assert_int_equal(m.tx_reads, 1 + 101);
	assert_int_equal(m.word_count, 1);
	assert_int_equal(m.seen_len, 0);
}

static void test_receive(void **state)
{
	(void)state;
	setup_model();
	assert_int_equal(u.ops->getc(&u), -1); /* FULL clear: nothing */
	assert_int_equal(m.rx_clears, 0);
	m.rx = 0x80000000 | 0x02000000 | 0x6968; /* "hi" */
	assert_int_equal(u.ops->getc(&u), 'h');
	assert_int_equal(m.rx_clears, 1); /* taken at once: the sender may go on */
	assert_int_equal(u.ops->getc(&u), 'i');
	assert_int_equal(u.ops->getc(&u), -1);
	m.rx = 0x83434241; /* "ABC" */
	assert_int_equal(u.ops->getc(&u), 'A');
	assert_int_equal(u.ops->getc(&u), 'B');
	assert_int_equal(u.ops->getc(&u), 'C');
	m.rx = 0x80000000; /* FULL with no bytes: handed back, nothing read */
	assert_int_equal(u.ops->getc(&u), -1);
	assert_int_equal(m.rx_clears, 3);
	assert_null(u.ops->enable_rx_irq); /* input is polled */
}

/* ---------------------------------------------------------------- the choice from the DT */

static u32 rx_spec = 0x0, tx_spec = 0x80000001, tx_type = 1;
static bool with_names = true;

/* Tegra234's: mboxes = <&hsp_top0 TYPE_SM SM_RX(0)>, <&hsp_aon TYPE_SM SM_TX(1)>. */
static void tcu_props(void *t)
{
	static const char compat[] = "nvidia,tegra234-tcu\0nvidia,tegra194-tcu";

	HARNESS_SW(fdt_property(t, "compatible", compat, sizeof(compat)));
	CELLS(t, "mboxes", HSP_TOP0_PHANDLE, 1, rx_spec, HSP_AON_PHANDLE, tx_type, tx_spec);
	if (with_names)
		HARNESS_SW(fdt_property(t, "mbox-names", "rx\0tx", sizeof("rx\0tx")));
}

static void test_choice_from_stdout_path(void **state)
{
	struct platform_uart d;

	(void)state;
	assert_int_equal(harness_console("serial", tcu_props, &d), 0);
	assert_int_equal(d.kind, UART_TEGRA_TCU);
	assert_int_equal(d.reg_count, 2);
	assert_int_equal(d.regs[0].base, TX_MBOX);
	assert_int_equal(d.regs[0].size, 0x8000);
	assert_int_equal(d.regs[1].base, RX_MBOX);
	with_names = false; /* the binding's order: rx, tx */
	assert_int_equal(harness_console("serial", tcu_props, &d), 0);
	assert_int_equal(d.regs[0].base, TX_MBOX);
	with_names = true;
}

static void test_choice_refused(void **state)
{
	struct platform_uart d;

	(void)state;
	tx_spec = 0x1; /* TX's entry without the TX flag */
	assert_int_equal(harness_console("serial", tcu_props, &d), -1);
	assert_string_equal(harness_err,
			    "/bus@0/serial: mboxes entry 1 is not a 32-bit shared mailbox for TX");
	tx_spec = 0x80000001;
	tx_type = 1 | (1 << 8); /* a 128-bit mailbox */
	assert_int_equal(harness_console("serial", tcu_props, &d), -1);
	assert_string_equal(harness_err,
			    "/bus@0/serial: mboxes entry 1 is not a 32-bit shared mailbox for TX");
	tx_type = 1;
	tx_spec = 0x80000010; /* mailbox 16: past the AON HSP's registers */
	assert_int_equal(harness_console("serial", tcu_props, &d), -1);
	assert_string_equal(harness_err,
			    "/bus@0/hsp@c150000: shared mailbox 16 is outside its registers");
	tx_spec = 0x80000001;
	assert_int_equal(d.reg_count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_word_format),
		cmocka_unit_test(test_full_bit_respected),
		cmocka_unit_test(test_bounded_wait_gives_up),
		cmocka_unit_test(test_receive),
		cmocka_unit_test(test_choice_from_stdout_path),
		cmocka_unit_test(test_choice_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
