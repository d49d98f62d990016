/*
 * kvmvmm's guest-facing parts on the host (bench/kvm/README.md): the PL011 it
 * emulates (PL011 TRM DDI 0183G: UARTFR, the PrimeCell IDs), the lines it
 * prints, and where it puts the guest's images and DT (Linux booting.rst),
 * including the images it must refuse. Built from the VMM's own files; die()
 * is this test's, so that a refusal can be seen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libfdt.h>

#include "../../bench/kvm/vmm/fdt.c"
#include "../../bench/kvm/vmm/load.c"
#include "../../bench/kvm/vmm/pl011.c"

#define RAM_MIB 64

static jmp_buf refused;
static bool refusal_expected;
static char refusal[256];

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(refusal, sizeof(refusal), fmt, ap);
	va_end(ap);
	if (refusal_expected)
		longjmp(refused, 1);
	fail_msg("unexpected die(): %s", refusal);
	abort();
}

static uint32_t uart_read(uint64_t off, uint32_t len)
{
	uint8_t data[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint32_t v = 0;

	assert_true(pl011_mmio(GUEST_UART_BASE + off, data, len, false));
	memcpy(&v, data, len < 4 ? len : 4);
	return v;
}

static void uart_write(uint64_t off, uint32_t v)
{
	uint8_t data[8] = { 0 };

	memcpy(data, &v, 4);
	assert_true(pl011_mmio(GUEST_UART_BASE + off, data, 4, true));
}

static void test_pl011_registers(void **state)
{
	static const uint8_t ids[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	uint8_t data[8] = { 0 };

	(void)state;
	assert_int_equal(uart_read(0x018, 4), 0x90); /* TXFE | RXFE: never full, nothing in */
	for (int i = 0; i < 8; i++)
		assert_int_equal(uart_read(0xfe0 + 4 * (uint64_t)i, 4), ids[i]);
	assert_int_equal(uart_read(0x000, 4), 0); /* nothing received */
	uart_write(0x030, 0x301); /* UARTCR: read back */
	assert_int_equal(uart_read(0x030, 4), 0x301);
	assert_int_equal(uart_read(0x030, 1), 0x01); /* a byte read gets the low byte, the rest 0 */
	/* Not the UART's: below, past its 4 KiB, or wider than a register. */
	assert_false(pl011_mmio(GUEST_UART_BASE - 4, data, 4, false));
	assert_false(pl011_mmio(GUEST_UART_BASE + GUEST_UART_SIZE, data, 4, false));
	assert_false(pl011_mmio(GUEST_UART_BASE, data, 9, true));
}

static void test_pl011_lines(void **state)
{
	int fds[2], saved;
	char out[256] = { 0 };
	const char *text = "hi\r\nthere";
	ssize_t n;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	saved = dup(STDOUT_FILENO);
	dup2(fds[1], STDOUT_FILENO);
	for (const char *c = text; *c; c++)
		uart_write(0x000, (uint8_t)*c);
	console_flush(); /* a line the guest never finished */
	dup2(saved, STDOUT_FILENO);
	close(fds[1]);
	n = read(fds[0], out, sizeof(out) - 1);
	close(fds[0]);
	close(saved);
	assert_true(n > 0);
	assert_string_equal(out, "kvm-guest| hi\nkvm-guest| there\n");
}

/* A new file of size bytes starting with an arm64 Image header (booting.rst); its path. */
static char *image_file(uint64_t size, uint64_t text_offset, uint64_t image_size, uint32_t magic)
{
	struct arm64_image_header hdr = { .text_offset = text_offset, .image_size = image_size, .magic = magic };
	char *p = strdup("/tmp/test_kvmvmm.XXXXXX");
	uint8_t *buf = calloc(1, size);
	FILE *f;
	int fd;

	assert_non_null(buf);
	memcpy(buf, &hdr, size < sizeof(hdr) ? size : sizeof(hdr));
	for (uint64_t i = sizeof(hdr); i < size; i++)
		buf[i] = (uint8_t)i;
	assert_non_null(p);
	fd = mkstemp(p);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_int_equal(fwrite(buf, 1, size, f), size);
	fclose(f);
	free(buf);
	return p;
}

static void drop_file(char *path)
{
	unlink(path);
	free(path);
}

static struct vm *new_vm(int ncpus)
{
	static struct vm vm;

	free(vm.ram);
	memset(&vm, 0, sizeof(vm));
	vm.ncpus = ncpus;
	vm.ram_size = (uint64_t)RAM_MIB << 20;
	vm.ram = calloc(1, vm.ram_size);
	assert_non_null(vm.ram);
	return &vm;
}

static uint64_t fdt_u64_prop(const void *fdt, const char *path, const char *name)
{
	int len, node = fdt_path_offset(fdt, path);
	const fdt64_t *v = fdt_getprop(fdt, node, name, &len);

	assert_non_null(v);
	assert_int_equal(len, 8);
	return fdt64_to_cpu(*v);
}

static void test_load_linux(void **state)
{
	struct vm *vm = new_vm(2);
	char *kernel = image_file(0x5000, 0x80000, 0x400000, ARM64_IMAGE_MAGIC);
	char *initrd = image_file(10000, 0, 0, 0);
	struct guest_images img = { .kernel = kernel, .initrd = initrd, .bootargs = "console=ttyAMA0 x=1" };
	uint64_t ram_end = GUEST_RAM_BASE + vm->ram_size, start, end;
	const void *fdt;
	const fdt64_t *reg;
	const char *args;
	int len, node, cpus = 0;

	(void)state;
	load_guest(vm, &img);
	/* The kernel at base + text_offset, byte for byte. */
	assert_int_equal(vm->entry, GUEST_RAM_BASE + 0x80000);
	assert_int_equal(*(uint32_t *)guest_ptr(vm, vm->entry + 56, 4), ARM64_IMAGE_MAGIC);
	assert_int_equal(*(uint8_t *)guest_ptr(vm, vm->entry + 0x4fff, 1), (uint8_t)0x4fff);
	/* The DT in the last 2 MiB, valid, 8-byte aligned. */
	assert_int_equal(vm->dtb_ipa, ram_end - 0x200000);
	fdt = guest_ptr(vm, vm->dtb_ipa, 0x200000);
	assert_int_equal(fdt_check_header(fdt), 0);
	/* The initrd page-aligned below the DT, past the kernel's whole image_size. */
	start = fdt_u64_prop(fdt, "/chosen", "linux,initrd-start");
	end = fdt_u64_prop(fdt, "/chosen", "linux,initrd-end");
	assert_int_equal(start & 0xfff, 0);
	assert_int_equal(end - start, 10000);
	assert_true(end <= vm->dtb_ipa);
	assert_true(start >= vm->entry + 0x400000);
	assert_int_equal(*(uint8_t *)guest_ptr(vm, start + 9999, 1), (uint8_t)9999);
	args = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "bootargs", &len);
	assert_non_null(args);
	assert_string_equal(args, "console=ttyAMA0 x=1");
	/* One cpu node per vCPU, PSCI by HVC, the RAM, one GICR frame pair per vCPU. */
	fdt_for_each_subnode(node, fdt, fdt_path_offset(fdt, "/cpus"))
		cpus++;
	assert_int_equal(cpus, 2);
	assert_string_equal(fdt_getprop(fdt, fdt_path_offset(fdt, "/psci"), "method", NULL), "hvc");
	reg = fdt_getprop(fdt, fdt_path_offset(fdt, "/memory@40000000"), "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(fdt64_to_cpu(reg[1]), vm->ram_size);
	reg = fdt_getprop(fdt, fdt_path_offset(fdt, "/intc@8000000"), "reg", &len);
	assert_int_equal(len, 32);
	assert_int_equal(fdt64_to_cpu(reg[2]), GUEST_GICR_BASE);
	assert_int_equal(fdt64_to_cpu(reg[3]), 2 * GUEST_GICR_SIZE_PER_CPU);
	drop_file(kernel);
	drop_file(initrd);
}

/* booting.rst: image_size 0 is an old kernel, loaded at text_offset 0x80000 whatever it says. */
static void test_load_old_header(void **state)
{
	struct vm *vm = new_vm(1);
	char *kernel = image_file(0x3000, 0x1000, 0, ARM64_IMAGE_MAGIC);
	struct guest_images img = { .kernel = kernel, .bootargs = "" };

	(void)state;
	load_guest(vm, &img);
	assert_int_equal(vm->entry, GUEST_RAM_BASE + 0x80000);
	assert_int_equal(fdt_getprop(guest_ptr(vm, vm->dtb_ipa, 0x200000),
				     fdt_path_offset(guest_ptr(vm, vm->dtb_ipa, 0x200000), "/chosen"),
				     "linux,initrd-start", NULL), NULL);
	drop_file(kernel);
}

/* load_guest on img must die with a message containing want. */
static void expect_refusal(struct vm *vm, const struct guest_images *img, const char *want)
{
	refusal[0] = '\0';
	refusal_expected = true;
	if (setjmp(refused) == 0) {
		load_guest(vm, img);
		refusal_expected = false;
		fail_msg("loaded, but should have refused: %s", want);
	}
	refusal_expected = false;
	if (!strstr(refusal, want))
		fail_msg("refused with \"%s\", not \"%s\"", refusal, want);
}

static void test_load_refusals(void **state)
{
	struct vm *vm = new_vm(1);
	char *bad_magic = image_file(0x3000, 0, 0x3000, 0x12345678);
	char *short_file = image_file(16, 0, 0x3000, ARM64_IMAGE_MAGIC);
	char *odd_offset = image_file(0x3000, 0x80010, 0x3000, ARM64_IMAGE_MAGIC);
	char *huge = image_file(0x3000, 0, (uint64_t)(RAM_MIB - 1) << 20, ARM64_IMAGE_MAGIC);
	char *wraps = image_file(0x3000, 0x80000, ~0ull - 0x1000, ARM64_IMAGE_MAGIC);
	char *big = image_file(0x3000, 0, (uint64_t)(RAM_MIB - 4) << 20, ARM64_IMAGE_MAGIC);
	char *initrd = image_file(3 << 20, 0, 0, 0); /* 3 MiB: no room between kernel and DT */
	struct guest_images img = { .bootargs = "" };

	(void)state;
	img.kernel = bad_magic;
	expect_refusal(vm, &img, "not an arm64 Image");
	img.kernel = short_file;
	expect_refusal(vm, &img, "not an arm64 Image");
	img.kernel = odd_offset;
	expect_refusal(vm, &img, "bad header");
	img.kernel = huge; /* its bss would run into the DT */
	expect_refusal(vm, &img, "does not fit below the DT");
	img.kernel = wraps;
	expect_refusal(vm, &img, "does not fit below the DT");
	img.kernel = big;
	img.initrd = initrd;
	expect_refusal(vm, &img, "between the kernel and the DT");
	vm->ram_size = 4 << 20;
	img.initrd = NULL;
	expect_refusal(vm, &img, "too small");
	drop_file(bad_magic);
	drop_file(short_file);
	drop_file(odd_offset);
	drop_file(huge);
	drop_file(wraps);
	drop_file(big);
	drop_file(initrd);
}

/* guest_ptr refuses ranges that are not all RAM, wrapping ones included. */
static void test_guest_ptr_bounds(void **state)
{
	struct vm *vm = new_vm(1);
	(void)state;
	assert_ptr_equal(guest_ptr(vm, GUEST_RAM_BASE, vm->ram_size), vm->ram);
	refusal_expected = true;
	if (setjmp(refused) == 0) {
		guest_ptr(vm, GUEST_RAM_BASE + vm->ram_size - 4, 8);
		fail_msg("a range past the end of RAM was given");
	}
	if (setjmp(refused) == 0) {
		guest_ptr(vm, GUEST_RAM_BASE - 4, 8);
		fail_msg("a range below RAM was given");
	}
	if (setjmp(refused) == 0) {
		guest_ptr(vm, GUEST_RAM_BASE + 8, ~0ull);
		fail_msg("a wrapping range was given");
	}
	refusal_expected = false;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pl011_registers),
		cmocka_unit_test(test_pl011_lines),
		cmocka_unit_test(test_load_linux),
		cmocka_unit_test(test_load_old_header),
		cmocka_unit_test(test_load_refusals),
		cmocka_unit_test(test_guest_ptr_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
