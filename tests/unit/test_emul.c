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

/* Registers that cross granules of the index, several in one granule, gaps: the index's cases. */
static const struct emul_reg cross_regs[] = {
	{ 0x00, 4, EMUL_W32, 0, 0, read_reg, write_reg },
	{ 0x04, 4, EMUL_W32, 0, 0, read_reg, NULL },
	{ 0x7c, 8, EMUL_W32 | EMUL_W64, 0, 0, read_reg, write_reg }, /* granules 0 and 1 */
	{ 0x90, 0x1f0, EMUL_W8 | EMUL_W32, 8, 0, read_reg, write_reg }, /* granules 1 to 4 */
	{ 0x300, 4, EMUL_W32, 0, EMUL_LANES, read_reg, write_reg },
	{ 0x3f8, 8, EMUL_W64, 0, 0, read_reg, write_reg }, /* the device's last bytes */
};

/* Every offset and width, read and write: the index answers as the binary search does. */
static void check_index_matches_search(const struct emul_reg *table, size_t count, size_t size)
{
	u16 first[0x800 >> EMUL_INDEX_SHIFT];
	struct emul_index index = { table, count, first, size >> EMUL_INDEX_SHIFT };
	static const unsigned int widths[] = { 1, 2, 4, 8 };

	assert_true(index.granules <= ARRAY_SIZE(first));
	emul_index_build(&index);
	for (u64 off = 0; off < size + 0x100; off++)
		for (unsigned int w = 0; w < ARRAY_SIZE(widths); w++)
			for (int wr = 0; wr < 2; wr++) {
				struct fake_dev ds = { 0 }, di = { 0 };
				struct mmio_access as = access(off, widths[w], wr, 0x5a5a5a5a5a5a5a5aULL);
				struct mmio_access ai = as;

				assert_int_equal(emul_regs_access(table, count, &ds, &as),
						 emul_index_access_locked(&index, &di, &ai, NULL));
				assert_int_equal(as.value, ai.value);
				assert_int_equal(ds.reads, di.reads);
				assert_int_equal(ds.last_offset, di.last_offset);
				assert_int_equal(ds.last_write, di.last_write);
			}
}

static void test_index_matches_search(void **state)
{
	struct fake_dev d = { 0 };
	u16 first[0x400 >> EMUL_INDEX_SHIFT];
	struct emul_index index = { cross_regs, ARRAY_SIZE(cross_regs), first, ARRAY_SIZE(first) };
	struct mmio_access a = access(0x94, 4, false, 0);

	(void)state;
	check_index_matches_search(regs, ARRAY_SIZE(regs), 0x800);
	check_index_matches_search(cross_regs, ARRAY_SIZE(cross_regs), 0x400);
	check_index_matches_search(lane_regs, ARRAY_SIZE(lane_regs), 0x80);
	/* And an answer by hand: INTIDs 4-7 of the byte-per-INTID run, found from granule 1. */
	emul_index_build(&index);
	assert_int_equal(emul_index_access_locked(&index, &d, &a, NULL), MMIO_OK);
	assert_int_equal(a.value, (0x1122334455667788ULL + 4) & 0xffffffffULL);
	a = access(0x80, 4, false, 0); /* the second half of the register from 0x7c */
	assert_int_equal(emul_index_access_locked(&index, &d, &a, NULL), MMIO_OK);
	assert_int_equal(a.value, (0x1122334455667788ULL + 0x80) & 0xffffffffULL);
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
		cmocka_unit_test(test_index_matches_search),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
