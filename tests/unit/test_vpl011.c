/*
 * The emulated PL011 (hyp/virt/vpl011.c with hyp/core/emul.c) on the fake
 * arch, through its MMIO entry point: with whole-register (32-bit) accesses
 * data in and out, flags, the level interrupt, registers that read back,
 * identification (PL011 TRM DDI 0183G 3.2, 3.3); then every byte lane of
 * every register by byte and halfword.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include <tessera/vm.h>
#include <virt/vpl011.h>

#include "fake_arch.h"

static struct vm vm;
static struct vpl011 *uart = &vm.vuart;

static int setup(void **state)
{
	(void)state;
	fake_arch_reset();
	memset(&vm, 0, sizeof(vm));
	vpl011_init(uart, &vm);
	return 0;
}

static u64 rd(u32 offset)
{
	struct mmio_access a = { .offset = offset, .size = 4, .value = 0xdeadbeef };

	assert_int_equal(vpl011_access(uart, &a), MMIO_OK);
	return a.value;
}

static void wr(u32 offset, u64 value)
{
	struct mmio_access a = { .offset = offset, .size = 4, .is_write = true, .value = value };

	assert_int_equal(vpl011_access(uart, &a), MMIO_OK);
}

static void test_output(void **state)
{
	(void)state;
	wr(UARTDR, 'o');
	wr(UARTDR, 0x100 | 'k'); /* only the data byte goes out */
	assert_string_equal(fake_console_output(), "ok");
	assert_true(rd(UARTFR) & UARTFR_TXFE);
	assert_false(rd(UARTFR) & UARTFR_TXFF);
}

static void test_input(void **state)
{
	(void)state;
	assert_true(rd(UARTFR) & UARTFR_RXFE);
	assert_int_equal(rd(UARTDR), 0); /* an empty FIFO */
	fake_console_input("hi");
	assert_false(rd(UARTFR) & UARTFR_RXFE);
	assert_int_equal(rd(UARTDR), 'h');
	assert_int_equal(rd(UARTDR), 'i');
	assert_true(rd(UARTFR) & UARTFR_RXFE);
}

/* The line is (RIS & IMSC) != 0, live: transmit always ready, receive while input waits. */
static void test_level_interrupt(void **state)
{
	(void)state;
	assert_int_equal(rd(UARTRIS), UART_TXI);
	assert_int_equal(rd(UARTMIS), 0);
	wr(UARTIMSC, UART_RXI | UART_RTI);
	assert_int_equal(fake_irq_level(VPL011_INTID), 0);
	fake_console_input("x");
	vpl011_update_irq(uart); /* what the console does when input arrives */
	assert_int_equal(fake_irq_level(VPL011_INTID), 1);
	assert_int_equal(rd(UARTMIS), UART_RXI | UART_RTI);
	assert_int_equal(rd(UARTDR), 'x');
	assert_int_equal(fake_irq_level(VPL011_INTID), 0); /* drained: the line drops */
	wr(UARTIMSC, UART_TXI);
	assert_int_equal(fake_irq_level(VPL011_INTID), 1);
	assert_int_equal(rd(UARTMIS), UART_TXI);
	wr(UARTICR, 0x7ff); /* nothing latched to clear: the condition still holds */
	assert_int_equal(rd(UARTMIS), UART_TXI);
	wr(UARTIMSC, 0);
	assert_int_equal(fake_irq_level(VPL011_INTID), 0);
}

/* The registers' implemented bits (TRM Table 3-1 widths, reserved bits read as zero). */
static const u32 plain_regs[] = { UARTILPR, UARTIBRD, UARTFBRD, UARTLCR_H,
				  UARTCR,   UARTIFLS, UARTIMSC, UARTDMACR };
static const u32 plain_bits[] = { 0xff, 0xffff, 0x3f, 0xff, 0xff87, 0x3f, 0x7ff, 0x7 };

static void test_control_registers_read_back(void **state)
{
	(void)state;
	assert_int_equal(rd(UARTCR), UARTCR_RESET); /* TXE and RXE set, UARTEN clear (TRM 3.3.8) */
	assert_false(vpl011_receiver_on(uart));
	for (unsigned int i = 0; i < ARRAY_SIZE(plain_regs); i++)
		wr(plain_regs[i], 0x5 + i);
	for (unsigned int i = 0; i < ARRAY_SIZE(plain_regs); i++)
		assert_int_equal(rd(plain_regs[i]), (0x5 + i) & plain_bits[i]);
	for (unsigned int i = 0; i < ARRAY_SIZE(plain_regs); i++) {
		wr(plain_regs[i], 0xffffffff);
		assert_int_equal(rd(plain_regs[i]), plain_bits[i]);
	}
	wr(UARTCR, UARTCR_UARTEN | UARTCR_RXE);
	assert_true(vpl011_receiver_on(uart));
}

/* PeriphID0-3, PCellID0-3 of an r1p5 PL011 (TRM 3.3.14-3.3.17). */
static void test_identification(void **state)
{
	static const u8 id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

	(void)state;
	for (unsigned int i = 0; i < 8; i++)
		assert_int_equal(rd(UARTPERIPHID0 + i * 4), id[i]);
}

/* Reserved offsets read as zero and ignore writes; an unaligned access is refused. */
static void test_reserved_and_unaligned(void **state)
{
	struct mmio_access a = { .offset = UARTCR + 1, .size = 4 };

	(void)state;
	assert_int_equal(rd(0x800), 0);
	wr(0x800, 0xffffffff);
	assert_int_equal(rd(UARTCR), UARTCR_RESET);
	assert_int_equal(vpl011_access(uart, &a), MMIO_BAD_ACCESS);
	a = (struct mmio_access){ .offset = UARTCR, .size = 8 };
	assert_int_equal(vpl011_access(uart, &a), MMIO_BAD_ACCESS); /* a 32-bit device */
	assert_string_equal(fake_console_output(), "");
}

/* ---- byte lanes: an 8- or 16-bit access takes the bytes of its register at its lane */

static u64 rd_n(u32 offset, unsigned int size)
{
	struct mmio_access a = { .offset = offset, .size = size, .value = 0xdeadbeefdeadbeefULL };

	assert_int_equal(vpl011_access(uart, &a), MMIO_OK);
	return a.value;
}

static void wr_n(u32 offset, unsigned int size, u64 value)
{
	struct mmio_access a = { .offset = offset, .size = size, .is_write = true, .value = value };

	assert_int_equal(vpl011_access(uart, &a), MMIO_OK);
}

/* Every lane of a register by byte and halfword reads the bytes the word read gives there. */
static void expect_lanes(u32 reg, u32 word)
{
	assert_int_equal(rd(reg), word);
	for (unsigned int lane = 0; lane < 4; lane++)
		assert_int_equal(rd_n(reg + lane, 1), (word >> (lane * 8)) & 0xff);
	for (unsigned int lane = 0; lane < 4; lane += 2)
		assert_int_equal(rd_n(reg + lane, 2), (word >> (lane * 8)) & 0xffff);
}

/* A byte write changes its own byte and no other; a byte read gives that byte. */
static void test_plain_byte_lanes(void **state)
{
	(void)state;
	for (unsigned int r = 0; r < ARRAY_SIZE(plain_regs); r++) {
		u32 reg = plain_regs[r], bits = plain_bits[r];

		wr(reg, 0);
		for (unsigned int lane = 0; lane < 4; lane++) {
			u32 before = (u32)rd(reg);
			u32 byte = 0xa5u ^ lane;
			u32 want = (before & ~(0xffu << (lane * 8))) | ((byte << (lane * 8)) & bits);

			wr_n(reg + lane, 1, byte | 0xff00); /* bits beyond the access are not written */
			expect_lanes(reg, want);
		}
	}
}

static void test_plain_halfword_lanes(void **state)
{
	(void)state;
	for (unsigned int r = 0; r < ARRAY_SIZE(plain_regs); r++) {
		u32 reg = plain_regs[r], bits = plain_bits[r];

		wr(reg, 0x0f0f0f0f);
		wr_n(reg + 2, 2, 0x1234);
		assert_int_equal(rd(reg), 0x0f0f0f0f & bits);
		wr_n(reg, 2, 0xbeef);
		assert_int_equal(rd(reg), 0xbeef & bits);
		wr(reg, 0xffffffff);
		expect_lanes(reg, bits);
	}
}

/* Reads of every other register at every lane: the bytes of its word, no side effect. */
static void test_read_only_lanes(void **state)
{
	static const u8 id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

	(void)state;
	wr(UARTIMSC, UART_TXI | UART_RXI);
	fake_console_input("xy");
	expect_lanes(UARTFR, UARTFR_TXFE);
	expect_lanes(UARTRIS, UART_TXI | UART_RXI | UART_RTI);
	expect_lanes(UARTMIS, UART_TXI | UART_RXI);
	expect_lanes(UARTRSR, 0);
	expect_lanes(UARTICR, 0);
	for (unsigned int i = 0; i < 8; i++)
		expect_lanes(UARTPERIPHID0 + 4 * i, id[i]);
	assert_int_equal(rd(UARTDR), 'x'); /* nothing above took a character */
}

/*
 * UARTDR: a read at lane 0 takes one character, by any width; at lanes 1-3
 * it reads the flags (zero) and takes none. A write at lane 0 sends the low
 * byte; at lanes 1-3 nothing.
 */
static void test_data_register_lanes(void **state)
{
	(void)state;
	fake_console_input("abc");
	for (unsigned int lane = 1; lane < 4; lane++)
		assert_int_equal(rd_n(UARTDR + lane, 1), 0);
	assert_int_equal(rd_n(UARTDR + 2, 2), 0);
	assert_int_equal(rd_n(UARTDR, 1), 'a');
	assert_int_equal(rd_n(UARTDR, 2), 'b');
	assert_int_equal(rd(UARTDR), 'c');
	assert_true(rd(UARTFR) & UARTFR_RXFE);

	wr_n(UARTDR + 1, 1, 'X');
	wr_n(UARTDR + 2, 2, 'Y');
	wr_n(UARTDR + 3, 1, 'Z');
	assert_string_equal(fake_console_output(), "");
	wr_n(UARTDR, 1, 'o');
	wr_n(UARTDR, 2, 0x0100 | 'k');
	wr(UARTDR, 0x12345600 | '!');
	assert_string_equal(fake_console_output(), "ok!");
}

/* An IMSC byte write at its upper lane keeps the lower mask and re-drives the line. */
static void test_imsc_lane_drives_line(void **state)
{
	(void)state;
	wr_n(UARTIMSC, 1, UART_TXI);
	assert_int_equal(fake_irq_level(VPL011_INTID), 1);
	wr_n(UARTIMSC + 1, 1, 0x07); /* OEIM, BEIM, PEIM: bits 10:8 */
	assert_int_equal(rd(UARTIMSC), 0x700 | UART_TXI);
	assert_int_equal(fake_irq_level(VPL011_INTID), 1);
	wr_n(UARTIMSC, 1, 0);
	assert_int_equal(rd(UARTIMSC), 0x700);
	assert_int_equal(fake_irq_level(VPL011_INTID), 0);
}

/* A narrow access must be naturally aligned, and never cross its register. */
static void test_bad_narrow_accesses(void **state)
{
	struct mmio_access a = { .offset = UARTCR + 1, .size = 2 };

	(void)state;
	assert_int_equal(vpl011_access(uart, &a), MMIO_BAD_ACCESS);
	a = (struct mmio_access){ .offset = UARTDR + 3, .size = 2 };
	assert_int_equal(vpl011_access(uart, &a), MMIO_BAD_ACCESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_output, setup),
		cmocka_unit_test_setup(test_input, setup),
		cmocka_unit_test_setup(test_level_interrupt, setup),
		cmocka_unit_test_setup(test_control_registers_read_back, setup),
		cmocka_unit_test_setup(test_identification, setup),
		cmocka_unit_test_setup(test_reserved_and_unaligned, setup),
		cmocka_unit_test_setup(test_plain_byte_lanes, setup),
		cmocka_unit_test_setup(test_plain_halfword_lanes, setup),
		cmocka_unit_test_setup(test_read_only_lanes, setup),
		cmocka_unit_test_setup(test_data_register_lanes, setup),
		cmocka_unit_test_setup(test_imsc_lane_drives_line, setup),
		cmocka_unit_test_setup(test_bad_narrow_accesses, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
