/*
 * The emulated PL011 (hyp/virt/vpl011.c) through its register table: every
 * byte lane of every register by byte, halfword and word. The console is a
 * fake with a queue of input characters and a record of output; the vGIC a
 * fake that records the interrupt line.
 * (The sources are #included, as the other device tests do, until host tests
 * link hyp code through a fake arch layer.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "../../hyp/core/emul.c"
#include "../../hyp/virt/vpl011.c"

static const char *input;  /* characters the console holds for the VM */
static char output[64];    /* what the VM sent */
static unsigned int sent;
static int line = -1;      /* the vUART's interrupt as last driven */

int console_vm_getc(struct vm *vm)
{
	(void)vm;
	return *input ? *input++ : -1;
}

bool console_vm_rx_ready(struct vm *vm)
{
	(void)vm;
	return *input;
}

bool console_vm_rx_pending(struct vm *vm)
{
	(void)vm;
	return *input;
}

void console_vm_putc(struct vm *vm, char c)
{
	(void)vm;
	if (sent < sizeof(output) - 1)
		output[sent++] = c;
}

void vgic_set_level(struct vm *vm, u32 intid, bool level)
{
	(void)vm;
	assert_int_equal(intid, VPL011_INTID);
	line = level;
}

static struct vpl011 uart;

static int setup(void **state)
{
	(void)state;
	input = "";
	memset(output, 0, sizeof(output));
	sent = 0;
	line = -1;
	vpl011_init(&uart, NULL);
	return 0;
}

static u64 rd(u64 offset, unsigned int size)
{
	struct mmio_access a = { .offset = offset, .size = size, .value = 0xdeadbeefdeadbeefULL };

	assert_int_equal(vpl011_access(&uart, &a), MMIO_OK);
	return a.value;
}

static void wr(u64 offset, unsigned int size, u64 value)
{
	struct mmio_access a = { .offset = offset, .size = size, .is_write = true, .value = value };

	assert_int_equal(vpl011_access(&uart, &a), MMIO_OK);
}

/* Every lane of a register by byte and halfword reads the bytes the word read gives there. */
static void expect_lanes(u64 reg, u32 word)
{
	assert_int_equal(rd(reg, 4), word);
	for (unsigned int lane = 0; lane < 4; lane++)
		assert_int_equal(rd(reg + lane, 1), (word >> (lane * 8)) & 0xff);
	for (unsigned int lane = 0; lane < 4; lane += 2)
		assert_int_equal(rd(reg + lane, 2), (word >> (lane * 8)) & 0xffff);
}

static const u32 plain_regs[] = { UARTILPR, UARTIBRD, UARTFBRD, UARTLCR_H,
				  UARTCR,   UARTIFLS, UARTIMSC, UARTDMACR };
/* Their bits (PL011 TRM Table 3-1 widths): the rest reads as zero. */
static const u32 plain_bits[] = { 0xff, 0xffff, 0x3f, 0xff, 0xffff, 0x3f, 0x7ff, 0x7 };

/* A byte write changes its own byte and no other; a byte read gives that byte. */
static void test_plain_byte_lanes(void **state)
{
	(void)state;
	for (unsigned int r = 0; r < ARRAY_SIZE(plain_regs); r++) {
		u32 reg = plain_regs[r], bits = plain_bits[r];

		wr(reg, 4, 0);
		for (unsigned int lane = 0; lane < 4; lane++) {
			u32 before = (u32)rd(reg, 4);
			u32 byte = 0xa5u ^ lane;
			u32 want = (before & ~(0xffu << (lane * 8))) | ((byte << (lane * 8)) & bits);

			wr(reg + lane, 1, byte | 0xff00); /* bits beyond the access are not written */
			assert_int_equal(rd(reg, 4), want);
			expect_lanes(reg, want);
		}
	}
}

static void test_plain_halfword_lanes(void **state)
{
	(void)state;
	for (unsigned int r = 0; r < ARRAY_SIZE(plain_regs); r++) {
		u32 reg = plain_regs[r], bits = plain_bits[r];

		wr(reg, 4, 0x0f0f0f0f);
		wr(reg + 2, 2, 0x1234);
		assert_int_equal(rd(reg, 4), 0x0f0f0f0f & bits);
		wr(reg, 2, 0xbeef);
		assert_int_equal(rd(reg, 4), 0xbeef & bits);
		wr(reg, 4, 0xffffffff); /* reserved bits read as zero */
		expect_lanes(reg, bits);
	}
}

/* Reads of every other register at every lane: the bytes of its word, no side effect. */
static void test_read_only_lanes(void **state)
{
	(void)state;
	wr(UARTIMSC, 4, UART_TXI | UART_RXI);
	input = "xy";
	expect_lanes(UARTFR, UARTFR_TXFE);
	expect_lanes(UARTRIS, UART_TXI | UART_RXI | UART_RTI);
	expect_lanes(UARTMIS, UART_TXI | UART_RXI);
	expect_lanes(UARTRSR, 0);
	expect_lanes(UARTICR, 0);
	for (unsigned int i = 0; i < 8; i++)
		expect_lanes(UARTPERIPHID0 + 4 * i, pl011_id[i]);
	assert_string_equal(input, "xy"); /* nothing above took a character */
}

/*
 * UARTDR: a read at lane 0 takes one character, by any width; at lanes 1-3
 * it reads the flags (zero) and takes none. A write at lane 0 sends the
 * low byte; at lanes 1-3 nothing.
 */
static void test_data_register_lanes(void **state)
{
	(void)state;
	input = "abc";
	for (unsigned int lane = 1; lane < 4; lane++)
		assert_int_equal(rd(UARTDR + lane, 1), 0);
	assert_int_equal(rd(UARTDR + 2, 2), 0);
	assert_string_equal(input, "abc");
	assert_int_equal(rd(UARTDR, 1), 'a');
	assert_int_equal(rd(UARTDR, 2), 'b');
	assert_int_equal(rd(UARTDR, 4), 'c');
	assert_int_equal(rd(UARTDR, 4), 0); /* empty */

	wr(UARTDR + 1, 1, 'X');
	wr(UARTDR + 2, 2, 'Y');
	wr(UARTDR + 3, 1, 'Z');
	assert_int_equal(sent, 0);
	wr(UARTDR, 1, 'o');
	wr(UARTDR, 2, 0x0100 | 'k');
	wr(UARTDR, 4, 0x12345600 | '!');
	assert_string_equal(output, "ok!");
}

/* An IMSC byte write at its upper lane keeps the lower mask and re-drives the line. */
static void test_imsc_lane_drives_line(void **state)
{
	(void)state;
	wr(UARTIMSC, 1, UART_TXI);
	assert_int_equal(line, 1);
	wr(UARTIMSC + 1, 1, 0x07); /* OEIM, BEIM, PEIM: bits 10:8 */
	assert_int_equal(rd(UARTIMSC, 4), 0x700 | UART_TXI);
	assert_int_equal(line, 1);
	wr(UARTIMSC, 1, 0);
	assert_int_equal(rd(UARTIMSC, 4), 0x700);
	assert_int_equal(line, 0);
}

/* Misaligned and 64-bit accesses stay refused. */
static void test_bad_accesses(void **state)
{
	struct mmio_access a = { .offset = UARTCR + 1, .size = 2 };

	(void)state;
	assert_int_equal(vpl011_access(&uart, &a), MMIO_BAD_ACCESS);
	a = (struct mmio_access){ .offset = UARTCR, .size = 8 };
	assert_int_equal(vpl011_access(&uart, &a), MMIO_BAD_ACCESS);
	a = (struct mmio_access){ .offset = UARTDR + 2, .size = 4 };
	assert_int_equal(vpl011_access(&uart, &a), MMIO_BAD_ACCESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_plain_byte_lanes, setup),
		cmocka_unit_test_setup(test_plain_halfword_lanes, setup),
		cmocka_unit_test_setup(test_read_only_lanes, setup),
		cmocka_unit_test_setup(test_data_register_lanes, setup),
		cmocka_unit_test_setup(test_imsc_lane_drives_line, setup),
		cmocka_unit_test_setup(test_bad_accesses, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
