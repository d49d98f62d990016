/*
 * The emulated PL011 (hyp/virt/vpl011.c with hyp/core/emul.c) on the fake
 * arch, through its MMIO entry point with whole-register (32-bit) accesses:
 * data in and out, flags, the level interrupt, registers that read back,
 * identification (PL011 TRM DDI 0183G 3.2, 3.3).
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

static void test_control_registers_read_back(void **state)
{
	static const u32 regs[] = { UARTILPR, UARTIBRD, UARTFBRD, UARTLCR_H, UARTCR, UARTIFLS, UARTIMSC, UARTDMACR };

	(void)state;
	assert_int_equal(rd(UARTCR), UARTCR_RESET); /* TXE and RXE set, UARTEN clear (TRM 3.3.8) */
	assert_false(vpl011_receiver_on(uart));
	for (unsigned int i = 0; i < ARRAY_SIZE(regs); i++)
		wr(regs[i], 0x100 + i);
	for (unsigned int i = 0; i < ARRAY_SIZE(regs); i++)
		assert_int_equal(rd(regs[i]), 0x100 + i);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_output, setup),
		cmocka_unit_test_setup(test_input, setup),
		cmocka_unit_test_setup(test_level_interrupt, setup),
		cmocka_unit_test_setup(test_control_registers_read_back, setup),
		cmocka_unit_test_setup(test_identification, setup),
		cmocka_unit_test_setup(test_reserved_and_unaligned, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
