/*
 * The PCI channel function (hyp/virt/vpci.c): what a guest's PCI core and
 * uio_pci_generic see through the ECAM. The vGIC is a fake that records the
 * INTA line level; ringing the peer is counted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <virt/vpci.h>

static int line = -1; /* INTA as last driven */
static unsigned int rings;

void vgic_set_level(struct vm *vm, u32 intid, bool level)
{
	(void)vm;
	assert_int_equal(intid, 40);
	line = level;
}

static void ring(void *ctx)
{
	assert_ptr_equal(ctx, &rings);
	rings++;
}

static struct vpci pci;

static u64 rd(u64 offset, unsigned int size)
{
	struct mmio_access acc = { .offset = offset, .size = size };

	assert_int_equal(vpci_access(&pci, &acc), MMIO_OK);
	return acc.value;
}

static void wr(u64 offset, unsigned int size, u64 value)
{
	struct mmio_access acc = { .offset = offset, .size = size, .is_write = true, .value = value };

	assert_int_equal(vpci_access(&pci, &acc), MMIO_OK);
}

static int setup(void **state)
{
	(void)state;
	vpci_init(&pci, NULL, 40, 0x70000000, 0x200000, true, ring, &rings);
	line = -1;
	rings = 0;
	return 0;
}

static void test_header(void **state)
{
	(void)state;
	assert_int_equal(rd(0x00, 4), 0x00017e55);
	assert_int_equal(rd(0x02, 2), 0x0001);     /* Device ID by word */
	assert_int_equal(rd(0x08, 4), 0x05000001); /* RAM controller, revision 1 */
	assert_int_equal(rd(0x0e, 1), 0);          /* type 0, single function */
	assert_int_equal(rd(0x06, 2), 0x10);       /* Capabilities List */
	assert_int_equal(rd(0x34, 1), 0x40);
	assert_int_equal(rd(0x3d, 1), 1);          /* INTA */
	assert_int_equal(rd(0x40, 4), 0x00180009); /* vendor capability, the last */
	assert_int_equal(rd(0x4c, 4), 1);          /* read-only */
	assert_int_equal(rd(0x50, 4), 0x200000);
	assert_int_equal(rd(0x54, 4), 0);
	assert_int_equal(rd(0x18, 4), 0);          /* BAR 2: none */
	/* Any other function is absent: all ones, writes ignored. */
	assert_int_equal(rd(0x8000, 4), 0xffffffff);
	assert_int_equal(rd(0x1000, 2), 0xffff);
	wr(0x8004, 2, 0xffff);
	/* Interrupt Line is scratch. */
	wr(0x3c, 1, 0x2a);
	assert_int_equal(rd(0x3c, 4), 0x012a);
}

static void test_bar(void **state)
{
	(void)state;
	assert_int_equal(rd(0x10, 4), 0x7000000c); /* 64-bit, prefetchable */
	assert_int_equal(rd(0x14, 4), 0);
	wr(0x10, 4, 0xffffffff);
	wr(0x14, 4, 0xffffffff);
	assert_int_equal(rd(0x10, 4), 0xffe0000c); /* 2 MiB */
	assert_int_equal(rd(0x14, 4), 0xffffffff);
	wr(0x10, 4, 0x70000000);
	wr(0x14, 4, 0);
	assert_int_equal(rd(0x10, 4), 0x7000000c);
	wr(0x10, 4, 0x40000000); /* anywhere else: ignored */
	assert_int_equal(rd(0x10, 4), 0x7000000c);
}

static void test_intx(void **state)
{
	(void)state;
	wr(0x04, 2, 0x0002); /* Memory Space */
	assert_int_equal(line, 0);
	vpci_raise(&pci);
	assert_int_equal(line, 1);
	assert_int_equal(rd(0x04, 4), 0x00180002); /* Interrupt Status, Capabilities List */
	assert_int_equal(rd(0x48, 4), 1);
	/* The driver's handler masks; the user acknowledges, then unmasks. */
	wr(0x04, 2, 0x0402);
	assert_int_equal(line, 0);
	assert_int_equal(rd(0x04, 2), 0x0402);
	wr(0x49, 1, 0); /* a byte write beside PENDING does not acknowledge it */
	assert_int_equal(rd(0x48, 4), 1);
	wr(0x48, 4, 1);
	assert_int_equal(rd(0x06, 2), 0x10);
	wr(0x05, 1, 0x00); /* a byte write keeps the low byte */
	assert_int_equal(rd(0x04, 2), 0x0002);
	assert_int_equal(line, 0);
	/* A ring while masked fires on the unmask. */
	wr(0x04, 2, 0x0402);
	vpci_raise(&pci);
	assert_int_equal(line, 0);
	wr(0x04, 2, 0x0002);
	assert_int_equal(line, 1);
}

static void test_doorbell_and_widths(void **state)
{
	struct mmio_access wide = { .offset = 0x10, .size = 8 };
	struct mmio_access odd = { .offset = 0x05, .size = 2 };

	(void)state;
	wr(0x44, 4, 0);
	wr(0x44, 4, 0x1234);
	assert_int_equal(rings, 2);
	assert_int_equal(rd(0x44, 4), 0);
	assert_int_equal(vpci_access(&pci, &wide), MMIO_BAD_ACCESS);
	assert_int_equal(vpci_access(&pci, &odd), MMIO_BAD_ACCESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_header, setup),
		cmocka_unit_test_setup(test_bar, setup),
		cmocka_unit_test_setup(test_intx, setup),
		cmocka_unit_test_setup(test_doorbell_and_widths, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
