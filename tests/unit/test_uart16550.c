/*
 * The 16550 console driver (hyp/drivers/uart/ns16550.c) against a register
 * model, and its choice from a device tree's stdout-path. The model is
 * Tegra's UARTA (0x03100000, reg-shift 2, 32-bit accesses) or a plain
 * byte-wide ns16550a; it refuses an access of the wrong width or place, a
 * byte written while LSR.THRE is clear, and RBR read while LSR.DR is clear.
 * Register numbers and bits are the 16550D data sheet's, written out here
 * as literals, not the driver's names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "uart_harness.h"

#define UARTA 0x03100000ULL

static struct {
	unsigned int shift, width;
	bool thre_seen;          /* LSR read with THRE set since the last THR write */
	unsigned int busy_polls; /* LSR reads after a THR write that still show it busy */
	unsigned int busy_left;
	bool stuck;              /* THRE never comes back */
	char tx[256];
	size_t tx_len;
	const char *rx;          /* bytes waiting in the receiver */
	u32 ier;
	unsigned int lsr_reads, iir_reads;
} m;

static unsigned int reg_of(uint64_t addr, unsigned int size)
{
	uint64_t off = addr - UARTA;

	assert_int_equal(size, m.width);
	assert_true(off < (8u << m.shift));
	assert_int_equal(off & ((1u << m.shift) - 1), 0);
	return (unsigned int)(off >> m.shift);
}

uint64_t fake_mmio_read(uint64_t addr, unsigned int size)
{
	switch (reg_of(addr, size)) {
	case 0: /* RBR */
		assert_true(m.rx && *m.rx);
		return (unsigned char)*m.rx++;
	case 2: /* IIR: 0x01, no interrupt pending */
		m.iir_reads++;
		return 0x01;
	case 5: { /* LSR: DR bit 0, THRE bit 5, TEMT bit 6 */
		bool thre = !m.stuck && m.busy_left == 0;

		m.lsr_reads++;
		if (m.busy_left)
			m.busy_left--;
		m.thre_seen = thre;
		return (thre ? 0x60 : 0) | (m.rx && *m.rx ? 0x01 : 0);
	}
	default:
		fail_msg("read of register %u", reg_of(addr, size));
	}
	return 0;
}

void fake_mmio_write(uint64_t addr, uint64_t v, unsigned int size)
{
	switch (reg_of(addr, size)) {
	case 0: /* THR */
		assert_true(m.thre_seen); /* only into an empty holding register */
		assert_true(v <= 0xff);
		assert_true(m.tx_len < sizeof(m.tx) - 1);
		m.tx[m.tx_len++] = (char)v;
		m.thre_seen = false;
		m.busy_left = m.busy_polls;
		break;
	case 1: /* IER */
		m.ier = (u32)v;
		break;
	default:
		fail_msg("write of register %u", reg_of(addr, size));
	}
}

static struct uart u;

static void setup_model(unsigned int shift, unsigned int width)
{
	struct platform_uart desc = { .kind = UART_16550, .reg_count = 1,
				      .regs = { { UARTA, 0x10000 } },
				      .reg_shift = shift, .reg_io_width = width };

	memset(&m, 0, sizeof(m));
	m.shift = shift;
	m.width = width;
	assert_int_equal(uart_init(&u, &desc), 0);
	assert_ptr_equal(u.ops, &uart_16550_ops);
}

static void test_write_waits_for_thre(void **state)
{
	(void)state;
	setup_model(2, 4);
	m.busy_polls = 3; /* each byte keeps the transmitter busy for three LSR reads */
	assert_int_equal(uart_write_bounded(&u, "hi\n", 3, 10), 3);
	assert_string_equal(m.tx, "hi\n");
	assert_int_equal(m.lsr_reads, 1 + 2 * 4); /* ready; then 3 busy + 1 ready per byte */
}

static void test_write_never_waits(void **state)
{
	(void)state;
	setup_model(2, 4);
	m.busy_polls = 1;
	assert_int_equal(u.ops->write(&u, "ab", 2), 1); /* one byte per THRE seen */
	assert_int_equal(u.ops->write(&u, "b", 1), 0);  /* busy: refused, not waited for */
	assert_int_equal(u.ops->write(&u, "b", 1), 1);
	assert_string_equal(m.tx, "ab");
}

static void test_bounded_wait_gives_up(void **state)
{
	(void)state;
	setup_model(2, 4);
	m.stuck = true;
	assert_int_equal(uart_write_bounded(&u, "abc", 3, 50), 0);
	assert_int_equal(m.lsr_reads, 51);
	assert_int_equal(m.tx_len, 0);
}

static void test_receive(void **state)
{
	(void)state;
	setup_model(2, 4);
	assert_int_equal(u.ops->getc(&u), -1);
	m.rx = "ok";
	assert_int_equal(u.ops->getc(&u), 'o');
	assert_int_equal(u.ops->getc(&u), 'k');
	assert_int_equal(u.ops->getc(&u), -1);
	u.ops->enable_rx_irq(&u);
	assert_int_equal(m.ier, 0x01); /* ERBFI only */
	u.ops->irq_ack(&u);
	assert_int_equal(m.iir_reads, 1);
}

static void test_byte_wide(void **state)
{
	(void)state;
	setup_model(0, 1);
	m.rx = "x";
	assert_int_equal(uart_write_bounded(&u, "ok", 2, 0), 2);
	assert_string_equal(m.tx, "ok");
	assert_int_equal(u.ops->getc(&u), 'x');
}

/* ---------------------------------------------------------------- the choice from the DT */

static const char *compat;
static int shift_prop = -1, width_prop = -1;

static void uart_props(void *t)
{
	HARNESS_SW(fdt_property_string(t, "compatible", compat));
	CELLS(t, "reg", 0x03100000, 0x10000);
	if (shift_prop >= 0)
		CELLS(t, "reg-shift", (u32)shift_prop);
	if (width_prop >= 0)
		CELLS(t, "reg-io-width", (u32)width_prop);
}

static void chosen(const char *c, int shift, int width, struct platform_uart *out, int rc)
{
	compat = c;
	shift_prop = shift;
	width_prop = width;
	assert_int_equal(harness_console("serial@3100000", uart_props, out), rc);
}

static void test_choice_from_stdout_path(void **state)
{
	struct platform_uart d;

	(void)state;
	/* Tegra's UARTA as the devkit DTs have it: no reg-shift, the driver knows. */
	chosen("nvidia,tegra194-hsuart", -1, -1, &d, 0);
	assert_int_equal(d.kind, UART_16550);
	assert_int_equal(d.regs[0].base, 0x03100000);
	assert_int_equal(d.regs[0].size, 0x10000);
	assert_int_equal(d.reg_shift, 2);
	assert_int_equal(d.reg_io_width, 4);
	chosen("nvidia,tegra20-uart", -1, -1, &d, 0);
	assert_int_equal(d.reg_shift, 2);
	/* A plain ns16550a is byte-wide and packed unless it says otherwise. */
	chosen("ns16550a", -1, -1, &d, 0);
	assert_int_equal(d.kind, UART_16550);
	assert_int_equal(d.reg_shift, 0);
	assert_int_equal(d.reg_io_width, 1);
	chosen("ns16550a", 2, 4, &d, 0);
	assert_int_equal(d.reg_shift, 2);
	assert_int_equal(d.reg_io_width, 4);
	chosen("arm,sbsa-uart", -1, -1, &d, 0); /* Orin's UARTI */
	assert_int_equal(d.kind, UART_PL011);
}

static void test_choice_refused(void **state)
{
	struct platform_uart d;

	(void)state;
	chosen("ns16550a", 3, 4, &d, -1);
	assert_string_equal(harness_err, "/bus@0/serial@3100000: reg-shift 3, reg-io-width 4: "
					 "Tessera's 16550 driver takes reg-shift 0-2 and reg-io-width 1 or 4");
	chosen("ns16550a", 0, 2, &d, -1);
	assert_string_equal(harness_err, "/bus@0/serial@3100000: reg-shift 0, reg-io-width 2: "
					 "Tessera's 16550 driver takes reg-shift 0-2 and reg-io-width 1 or 4");
	chosen("snps,dw-apb-uart", -1, -1, &d, -1);
	assert_string_equal(harness_err, "/bus@0/serial@3100000: no console driver for its compatible "
					 "(Tessera drives a PL011, a 16550 or the Tegra TCU)");
	assert_int_equal(d.reg_count, 0); /* nothing half set */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_waits_for_thre),
		cmocka_unit_test(test_write_never_waits),
		cmocka_unit_test(test_bounded_wait_gives_up),
		cmocka_unit_test(test_receive),
		cmocka_unit_test(test_byte_wide),
		cmocka_unit_test(test_choice_from_stdout_path),
		cmocka_unit_test(test_choice_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
