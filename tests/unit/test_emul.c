/* Table-driven register emulation: central width, alignment and range checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <tessera/emul.h>

struct fake_dev {
	u64 last_write;
	u32 last_offset;
	unsigned int reads;
};

static u64 read_reg(void *dev, u32 offset)
{
	struct fake_dev *d = dev;

	d->reads++;
	return 0x1122334455667788ULL + offset;
}

static void write_reg(void *dev, u32 offset, u64 value)
{
	struct fake_dev *d = dev;

	d->last_offset = offset;
	d->last_write = value;
}

static const struct emul_reg regs[] = {
	{ 0x00, 4, EMUL_W32, 0, 0, read_reg, write_reg },
	{ 0x08, 8, EMUL_W32 | EMUL_W64, 0, 0, read_reg, write_reg },
	{ 0x20, 0x20, EMUL_W8 | EMUL_W32, 0, 0, read_reg, NULL }, /* a run of registers, read-only */
	{ 0x40, 4, EMUL_W32, 0, 0, NULL, write_reg },              /* write-only: reads as zero */
	{ 0x100, 0x10, EMUL_W32, 1, 0, read_reg, write_reg },       /* one bit per INTID: 128 INTIDs */
	{ 0x400, 0x80, EMUL_W8 | EMUL_W32, 8, 0, read_reg, write_reg }, /* one byte per INTID */
};

static struct mmio_access access(u64 offset, unsigned int size, bool write, u64 value)
{
	return (struct mmio_access){ .offset = offset, .size = size, .is_write = write, .value = value };
}

static void test_read_and_write(void **state)
{
	struct fake_dev d = { 0 };
	struct mmio_access a = access(0x08, 8, false, 0);

	(void)state;
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_OK);
	assert_int_equal(a.value, 0x1122334455667790ULL);

	a = access(0x00, 4, true, 0xdeadbeefcafeULL);
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_OK);
	assert_int_equal(d.last_write, 0xbeefcafe); /* masked to the access width */
	assert_int_equal(d.last_offset, 0);

	a = access(0x00, 4, false, 0);
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_OK);
	assert_int_equal(a.value, 0x55667788); /* masked to 32 bits */
}

static void test_run_of_registers(void **state)
{
	struct fake_dev d = { 0 };
	struct mmio_access a = access(0x3c, 4, false, 0);

	(void)state;
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_OK);
	assert_int_equal(a.value, (0x1122334455667788ULL + 0x3c) & 0xffffffff);
	a = access(0x21, 1, false, 0);
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_OK);
	assert_int_equal(a.value, (0x1122334455667788ULL + 0x21) & 0xff);
	a = access(0x24, 4, true, 5); /* no write callback: ignored */
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_OK);
	assert_int_equal(d.last_write, 0);
}

static void test_reserved_is_raz_wi(void **state)
{
	struct fake_dev d = { 0 };
	struct mmio_access a = access(0x04, 4, false, 0xffff);

	(void)state;
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_OK);
	assert_int_equal(a.value, 0);
	a = access(0x200, 4, true, 7);
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_OK);
	assert_int_equal(d.last_write, 0);
	assert_int_equal(d.reads, 0);

	a = access(0x40, 4, false, 0xffff); /* write-only register */
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_OK);
	assert_int_equal(a.value, 0);

	/* Any width some register of the device has is well formed in a hole: RAZ/WI. */
	a = access(0x200, 8, false, 0xffff);
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_OK);
	assert_int_equal(a.value, 0);
	a = access(0x203, 1, false, 0xff);
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_OK);
	assert_int_equal(a.value, 0);
	assert_int_equal(d.reads, 0);
}

static void test_bad_width_and_alignment(void **state)
{
	struct fake_dev d = { 0 };
	struct mmio_access a;

	(void)state;
	a = access(0x00, 2, false, 0); /* 16-bit not accepted */
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_BAD_ACCESS);
	a = access(0x00, 8, false, 0); /* wider than the register */
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_BAD_ACCESS);
	a = access(0x0a, 4, false, 0); /* misaligned */
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_BAD_ACCESS);
	a = access(0x05, 2, true, 0); /* misaligned, even in a reserved hole */
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_BAD_ACCESS);
	a = access(0x06, 2, false, 0); /* aligned, in a hole, but no register is 16-bit */
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_BAD_ACCESS);
	a = access(0x20, 8, false, 0); /* a width the device has, not this register */
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_BAD_ACCESS);
	assert_int_equal(d.reads, 0);
	assert_int_equal(d.last_write, 0);
}

static void test_per_irq_registers(void **state)
{
	struct fake_dev d = { 0 };
	struct mmio_access a = access(0x108, 4, true, 1);

	(void)state;
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_OK);
	assert_int_equal(d.last_offset, 64); /* third word of one-bit fields: INTIDs 64-95 */
	a = access(0x423, 1, true, 1);
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_OK);
	assert_int_equal(d.last_offset, 0x23); /* one byte per INTID */
	a = access(0x110, 4, true, 2); /* beyond the implemented INTIDs: reserved */
	assert_int_equal(emul_regs_access(regs, ARRAY_SIZE(regs), &d, &a), MMIO_OK);
	assert_int_equal(d.last_write, 1);
}

/* EMUL_LANES: callbacks see whole registers at their own offsets; accesses take their lane. */
static const struct emul_reg lane_regs[] = {
	{ 0x00, 8, EMUL_W8 | EMUL_W16 | EMUL_W32, 0, EMUL_LANES, read_reg, write_reg },
	{ 0x08, 4, EMUL_W8 | EMUL_W32, 0, EMUL_LANES, NULL, write_reg }, /* write-only */
};

static void test_byte_lanes(void **state)
{
	struct fake_dev d = { 0 };
	struct mmio_access a = access(0x06, 2, false, 0);

	(void)state;
	assert_int_equal(emul_regs_access(lane_regs, ARRAY_SIZE(lane_regs), &d, &a), MMIO_OK);
	assert_int_equal(a.value, ((0x55667788ULL + 4) >> 16) & 0xffff); /* register 0x04, bytes 2-3 */
	a = access(0x03, 1, true, 0xab);
	assert_int_equal(emul_regs_access(lane_regs, ARRAY_SIZE(lane_regs), &d, &a), MMIO_OK);
	assert_int_equal(d.last_offset, 0);
	assert_int_equal(d.last_write, 0xab667788); /* merged into the register read back */
	a = access(0x04, 4, true, 0x1234);
	assert_int_equal(emul_regs_access(lane_regs, ARRAY_SIZE(lane_regs), &d, &a), MMIO_OK);
	assert_int_equal(d.reads, 2); /* a whole-register write reads nothing back */
	a = access(0x09, 1, true, 0xcd);
	assert_int_equal(emul_regs_access(lane_regs, ARRAY_SIZE(lane_regs), &d, &a), MMIO_OK);
	assert_int_equal(d.last_offset, 0x08);
	assert_int_equal(d.last_write, 0xcd00); /* nothing to read back: the other bytes are 0 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_and_write),
		cmocka_unit_test(test_run_of_registers),
		cmocka_unit_test(test_reserved_is_raz_wi),
		cmocka_unit_test(test_bad_width_and_alignment),
		cmocka_unit_test(test_per_irq_registers),
		cmocka_unit_test(test_byte_lanes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
