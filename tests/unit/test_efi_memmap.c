/*
 * The UEFI memory map -> RAM ranges conversion (hyp/core/efi_memmap.c),
 * leaving boot services with it against a fake firmware (hyp/core/efi_exit.c),
 * how those ranges replace /memory (platform_parse_with_ram), and the load
 * options' UCS-2 -> ASCII conversion (hyp/core/efi_options.c). The map is laid
 * out like a Jetson Orin's under edk2-nvidia: RAM from 0x80000000 with
 * firmware carveouts, runtime services and the loaded image punched out,
 * 48-byte descriptors (larger than the structure, as edk2 gives them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <tessera/efi.h>
#include <tessera/platform.h>

#define DESC_SIZE 48
#define WB (EFI_MEMORY_WB | BIT(0) /* UC */ | BIT(1) /* WC */)
#define MiB 0x100000ULL

struct entry {
	u32 type;
	u64 base, size, attr;
};

static const struct entry orin_map[] = {
	{ EFI_CONVENTIONAL_MEMORY, 0x80000000, 64 * MiB, WB },
	{ EFI_RESERVED_MEMORY, 0x84000000, 32 * MiB, WB },	/* a firmware carveout */
	{ EFI_BOOT_SERVICES_DATA, 0x86000000, 1 * MiB, WB },
	{ EFI_CONVENTIONAL_MEMORY, 0x86100000, 95 * MiB, WB },	/* joins the one before */
	{ EFI_LOADER_CODE, 0x8c000000, 32 * MiB, WB },		/* Tessera's own image */
	{ EFI_CONVENTIONAL_MEMORY, 0x8e000000, 288 * MiB, WB },
	{ EFI_RUNTIME_SERVICES_CODE, 0xa0000000, 1 * MiB, WB | EFI_MEMORY_RUNTIME },
	{ EFI_RUNTIME_SERVICES_DATA, 0xa0100000, 2 * MiB, WB | EFI_MEMORY_RUNTIME },
	{ EFI_BOOT_SERVICES_CODE, 0xa0300000, 29 * MiB, WB },
	{ EFI_ACPI_RECLAIM_MEMORY, 0xa2000000, 64 * 1024, WB },
	{ EFI_BOOT_SERVICES_DATA, 0xa2010000, 0xfff0000, WB },
	/* TZDRAM and the BPMP carveout up to 4 GiB: touching them is a RAS error. */
	{ EFI_RESERVED_MEMORY, 0xb2000000, 0x4e000000, 0 },
	{ EFI_MMIO, 0x03100000, 64 * 1024, BIT(0) | EFI_MEMORY_RUNTIME },	/* UARTA */
	{ EFI_CONVENTIONAL_MEMORY, 0x100000000, 0x1000 * MiB, WB },
	{ EFI_CONVENTIONAL_MEMORY, 0x200000000, 16 * MiB, BIT(0) },	/* uncached only: not RAM */
	{ EFI_CONVENTIONAL_MEMORY, 0x210000000, 16 * MiB, WB | EFI_MEMORY_SP },
	{ EFI_PERSISTENT_MEMORY, 0x220000000, 16 * MiB, WB },
};

/* What VMs may have from orin_map: conventional and boot-services memory, merged. */
static const struct mem_range orin_ram[] = {
	{ 0x80000000, 64 * MiB },
	{ 0x86000000, 96 * MiB },
	{ 0x8e000000, 288 * MiB },
	{ 0xa0300000, 29 * MiB },
	{ 0xa2010000, 0xfff0000 },
	{ 0x100000000, 0x1000 * MiB },
};

static u8 map[64][DESC_SIZE];

/* Writes @n entries into map[], in the order @order gives (NULL: as listed). */
static u64 build_map(const struct entry *e, unsigned int n, const unsigned int *order)
{
	memset(map, 0xa5, sizeof(map)); /* the padding after each descriptor is not ours to read */
	for (unsigned int i = 0; i < n; i++) {
		const struct entry *src = &e[order ? order[i] : i];
		struct efi_memory_descriptor d = { .type = src->type, .physical_start = src->base,
						   .virtual_start = 0, .pages = src->size / EFI_PAGE_SIZE,
						   .attribute = src->attr };
		memcpy(map[i], &d, sizeof(d));
	}
	return (u64)n * DESC_SIZE;
}

static void assert_ram(const struct efi_ram *ram, const struct mem_range *want, unsigned int n)
{
	assert_int_equal(ram->count, n);
	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(ram->range[i].base, want[i].base);
		assert_int_equal(ram->range[i].size, want[i].size);
	}
}

static void test_orin_map(void **state)
{
	struct efi_ram ram;
	u64 size = build_map(orin_map, ARRAY_SIZE(orin_map), NULL);

	(void)state;
	assert_int_equal(efi_memmap_to_ram(map, size, DESC_SIZE, &ram), 0);
	assert_ram(&ram, orin_ram, ARRAY_SIZE(orin_ram));
	assert_int_equal(ram.dropped, 0);
}

/* UEFI does not promise a sorted map: the same entries in another order give the same RAM. */
static void test_unsorted_map(void **state)
{
	static const unsigned int order[] = { 16, 3, 13, 0, 9, 5, 11, 2, 7, 15, 1, 10, 6, 14, 4, 12, 8 };
	struct efi_ram ram;
	u64 size;

	(void)state;
	assert_int_equal(ARRAY_SIZE(order), ARRAY_SIZE(orin_map));
	size = build_map(orin_map, ARRAY_SIZE(orin_map), order);
	assert_int_equal(efi_memmap_to_ram(map, size, DESC_SIZE, &ram), 0);
	assert_ram(&ram, orin_ram, ARRAY_SIZE(orin_ram));
}

/* More separate ranges than the platform holds: the smallest are left out, and counted. */
static void test_too_many_ranges(void **state)
{
	struct entry e[PLATFORM_MAX_RAM + 3];
	struct efi_ram ram;
	u64 size;

	(void)state;
	/* Sizes 1..11 MiB, each range 64 MiB from the last: none touches another. */
	for (unsigned int i = 0; i < ARRAY_SIZE(e); i++)
		e[i] = (struct entry){ EFI_CONVENTIONAL_MEMORY, 0x80000000 + i * 64 * MiB,
				       ((i * 7) % ARRAY_SIZE(e) + 1) * MiB, WB };
	size = build_map(e, ARRAY_SIZE(e), NULL);
	assert_int_equal(efi_memmap_to_ram(map, size, DESC_SIZE, &ram), 0);
	assert_int_equal(ram.count, PLATFORM_MAX_RAM);
	assert_int_equal(ram.dropped, 3);
	for (unsigned int i = 0; i < ram.count; i++) {
		assert_true(ram.range[i].size > 3 * MiB);
		if (i)
			assert_true(ram.range[i - 1].base < ram.range[i].base);
	}
}

static void test_bad_input(void **state)
{
	struct efi_ram ram;
	static const struct entry wraps[] = {
		{ EFI_CONVENTIONAL_MEMORY, 0xfffffffffff00000ULL, 2 * MiB, WB },
	};
	u64 size = build_map(orin_map, ARRAY_SIZE(orin_map), NULL);

	(void)state;
	/* A descriptor size below the structure's cannot be walked. */
	assert_int_equal(efi_memmap_to_ram(map, size, 16, &ram), -1);
	assert_int_equal(ram.count, 0);
	/* An empty map: no RAM. */
	assert_int_equal(efi_memmap_to_ram(map, 0, DESC_SIZE, &ram), 0);
	assert_int_equal(ram.count, 0);
	/* A range past the end of the address space is not RAM. */
	size = build_map(wraps, 1, NULL);
	assert_int_equal(efi_memmap_to_ram(map, size, DESC_SIZE, &ram), 0);
	assert_int_equal(ram.count, 0);
}

/* ---------------------------------------------------------------- ExitBootServices */

/*
 * A fake firmware: its map is orin_map, its key counts the map's changes,
 * and it allocates (changing the map) on each of the first `allocations`
 * GetMemoryMap calls' heels, as a firmware event might.
 */
static struct {
	u64 key;
	unsigned int allocations;
	unsigned int get_calls, exit_calls;
	efi_handle exited_by;
} fw;

static efi_status fake_get_memory_map(u64 *map_size, void *buf, u64 *key, u64 *desc_size,
				      u32 *desc_version)
{
	u64 need = ARRAY_SIZE(orin_map) * DESC_SIZE;

	fw.get_calls++;
	*desc_size = DESC_SIZE;
	*desc_version = 1;
	if (*map_size < need) {
		*map_size = need;
		return EFI_BUFFER_TOO_SMALL;
	}
	build_map(orin_map, ARRAY_SIZE(orin_map), NULL);
	memcpy(buf, map, need);
	*map_size = need;
	*key = fw.key;
	if (fw.allocations) {
		fw.allocations--;
		fw.key++;
	}
	return EFI_SUCCESS;
}

static efi_status fake_exit_boot_services(efi_handle image, u64 key)
{
	fw.exit_calls++;
	if (key != fw.key)
		return EFI_INVALID_PARAMETER;
	fw.exited_by = image;
	return EFI_SUCCESS;
}

static struct efi_boot_services fake_bs = {
	.get_memory_map = fake_get_memory_map,
	.exit_boot_services = fake_exit_boot_services,
};

static u8 fw_buf[64 * DESC_SIZE];
static int image_handle;

static void test_exit_first_time(void **state)
{
	struct efi_ram ram;

	(void)state;
	memset(&fw, 0, sizeof(fw));
	assert_int_equal(efi_exit_boot_services(&fake_bs, &image_handle, fw_buf, sizeof(fw_buf), &ram),
			 EFI_SUCCESS);
	assert_int_equal(fw.get_calls, 1);
	assert_int_equal(fw.exit_calls, 1);
	assert_ptr_equal(fw.exited_by, &image_handle);
	assert_ram(&ram, orin_ram, ARRAY_SIZE(orin_ram));
	assert_int_equal(ram.map_entries, ARRAY_SIZE(orin_map));
}

/* A stale key: the map is read again and the exit retried with the fresh key. */
static void test_exit_retries_on_stale_key(void **state)
{
	struct efi_ram ram;

	(void)state;
	memset(&fw, 0, sizeof(fw));
	fw.allocations = 2;
	assert_int_equal(efi_exit_boot_services(&fake_bs, &image_handle, fw_buf, sizeof(fw_buf), &ram),
			 EFI_SUCCESS);
	assert_int_equal(fw.get_calls, 3);
	assert_int_equal(fw.exit_calls, 3);
	assert_ram(&ram, orin_ram, ARRAY_SIZE(orin_ram));
}

/* A firmware whose map never settles: a bounded number of tries, then its status. */
static void test_exit_gives_up(void **state)
{
	struct efi_ram ram;

	(void)state;
	memset(&fw, 0, sizeof(fw));
	fw.allocations = 100;
	assert_int_equal(efi_exit_boot_services(&fake_bs, &image_handle, fw_buf, sizeof(fw_buf), &ram),
			 EFI_INVALID_PARAMETER);
	assert_int_equal(fw.exit_calls, EFI_EXIT_ATTEMPTS);
	assert_null(fw.exited_by);
}

/* A map larger than the buffer: boot services are left running, nothing exits. */
static void test_exit_map_too_large(void **state)
{
	struct efi_ram ram;

	(void)state;
	memset(&fw, 0, sizeof(fw));
	assert_int_equal(efi_exit_boot_services(&fake_bs, &image_handle, fw_buf, 4 * DESC_SIZE, &ram),
			 EFI_BUFFER_TOO_SMALL);
	assert_int_equal(fw.exit_calls, 0);
}

/* ---------------------------------------------------------------- the RAM hook */

static void *read_platform_dtb(void)
{
	const char *path = getenv("TESSERA_PLATFORM_DTB");
	static char buf[1 << 20];
	FILE *f;

	assert_non_null(path); /* make unit sets it */
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_true(fread(buf, 1, sizeof(buf), f) > 0);
	fclose(f);
	return buf;
}

/* QEMU's tree says RAM is 0x40000000 + 1 GiB; the UEFI ranges replace that entirely. */
static void test_ranges_replace_memory_node(void **state)
{
	static const struct mem_range given[] = {
		{ 0x50000000, 256 * MiB }, { 0x40000000, 128 * MiB }, { 0x48000000, 64 * MiB },
	};
	static struct platform plat;
	char err[160];
	const void *fdt = read_platform_dtb();

	(void)state;
	assert_int_equal(platform_parse(fdt, &plat, err, sizeof(err)), 0);
	assert_int_equal(plat.ram_count, 1);
	assert_int_equal(plat.ram[0].base, 0x40000000);

	assert_int_equal(platform_parse_with_ram(fdt, given, ARRAY_SIZE(given), &plat, err, sizeof(err)), 0);
	/* Sorted; 0x40000000 + 128 MiB touches 0x48000000: one range. */
	assert_int_equal(plat.ram_count, 2);
	assert_int_equal(plat.ram[0].base, 0x40000000);
	assert_int_equal(plat.ram[0].size, 192 * MiB);
	assert_int_equal(plat.ram[1].base, 0x50000000);
	assert_int_equal(plat.ram[1].size, 256 * MiB);
	assert_false(platform_range_in_ram(&plat, 0x4c000000, SZ_4K)); /* a hole /memory did not have */
}

/* UCS-2 little-endian bytes of @s (ASCII), as firmware lays out load options, NUL included. */
static u64 ucs2(const char *s, u8 *buf)
{
	u64 n = 0;

	do {
		buf[n++] = (u8)*s;
		buf[n++] = 0;
	} while (*s++);
	return n;
}

/* L4TLauncher's options: ${cbootargs} then the APPEND line, NUL-terminated. */
static void test_options_normal(void **state)
{
	u8 buf[128];
	char out[EFI_LOAD_OPTIONS_MAX];
	bool cut;
	const char *text = "root=/dev/mmcblk0p1 rw rootwait console=ttyTCU0,115200";
	u64 size = ucs2(text, buf);

	(void)state;
	assert_int_equal(efi_load_options_to_ascii(buf, size, out, sizeof(out), &cut), (int)strlen(text));
	assert_string_equal(out, text);
	assert_false(cut);
	/* Only up to the NUL, whatever the size says after it. */
	memcpy(buf + 6, "\0\0x\0y\0", 6);
	assert_int_equal(efi_load_options_to_ascii(buf, size, out, sizeof(out), &cut), 3);
	assert_string_equal(out, "roo");
}

static void test_options_no_nul(void **state)
{
	const u8 buf[] = { 'a', 0, 'b', 0, 'c', 0, 'd', 0 };
	char out[16];
	bool cut;

	(void)state;
	/* The size ends the text; nothing past it is read. */
	assert_int_equal(efi_load_options_to_ascii(buf, 6, out, sizeof(out), &cut), 3);
	assert_string_equal(out, "abc");
	assert_false(cut);
}

static void test_options_odd_size(void **state)
{
	const u8 buf[] = { 'a', 0, 'b', 0, 'c', 0x41 };
	char out[16];
	bool cut;

	(void)state;
	/* The last, lone byte is not a character. */
	assert_int_equal(efi_load_options_to_ascii(buf, 5, out, sizeof(out), &cut), 2);
	assert_string_equal(out, "ab");
	/* One byte: no character at all. */
	assert_int_equal(efi_load_options_to_ascii(buf, 1, out, sizeof(out), &cut), -1);
	assert_string_equal(out, "");
}

static void test_options_none(void **state)
{
	const u8 buf[] = { 0, 0, 'a', 0 };
	char out[16] = "stale";
	bool cut = true;

	(void)state;
	assert_int_equal(efi_load_options_to_ascii(NULL, 64, out, sizeof(out), &cut), -1);
	assert_string_equal(out, "");
	assert_false(cut);
	assert_int_equal(efi_load_options_to_ascii(buf, 0, out, sizeof(out), &cut), -1);
	/* An empty string: present, but no text. */
	assert_int_equal(efi_load_options_to_ascii(buf, sizeof(buf), out, sizeof(out), &cut), 0);
	assert_string_equal(out, "");
	/* No room at all: nothing written. */
	assert_int_equal(efi_load_options_to_ascii(buf, sizeof(buf), out, 0, &cut), -1);
	/* A pointer and size that wrap the address space. */
	assert_int_equal(efi_load_options_to_ascii((const void *)(uintptr_t)(UINTPTR_MAX - 7), 64, out,
						   sizeof(out), &cut), -1);
}

static void test_options_oversize(void **state)
{
	static u8 buf[2 * 4096];
	char out[EFI_LOAD_OPTIONS_MAX];
	bool cut;

	(void)state;
	for (unsigned int i = 0; i < sizeof(buf); i += 2) {
		buf[i] = (u8)('a' + (i / 2) % 26);
		buf[i + 1] = 0;
	}
	/* A size far beyond any command line (UINT32_MAX): read no further than the output holds. */
	assert_int_equal(efi_load_options_to_ascii(buf, 0xffffffff, out, sizeof(out), &cut),
			 EFI_LOAD_OPTIONS_MAX - 1);
	assert_true(cut);
	assert_int_equal(strlen(out), EFI_LOAD_OPTIONS_MAX - 1);
	assert_memory_equal(out, "abcdefghijklmnopqrstuvwxyzabc", 29);
	/* Exactly fitting text is not cut. */
	assert_int_equal(efi_load_options_to_ascii(buf, 2 * (EFI_LOAD_OPTIONS_MAX - 1), out, sizeof(out),
						   &cut), EFI_LOAD_OPTIONS_MAX - 1);
	assert_false(cut);
}

static void test_options_non_ascii(void **state)
{
	/* "a", e-acute (U+00E9), a CJK character (U+4E2D), a tab, DEL, "z": unaligned, at an odd address. */
	const u8 raw[] = { 0xff, 'a', 0, 0xe9, 0, 0x2d, 0x4e, '\t', 0, 0x7f, 0, 'z', 0, 0, 0 };
	char out[16];
	bool cut;

	(void)state;
	assert_int_equal(efi_load_options_to_ascii(raw + 1, sizeof(raw) - 1, out, sizeof(out), &cut), 6);
	assert_string_equal(out, "a????z");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orin_map),
		cmocka_unit_test(test_unsorted_map),
		cmocka_unit_test(test_too_many_ranges),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_exit_first_time),
		cmocka_unit_test(test_exit_retries_on_stale_key),
		cmocka_unit_test(test_exit_gives_up),
		cmocka_unit_test(test_exit_map_too_large),
		cmocka_unit_test(test_ranges_replace_memory_node),
		cmocka_unit_test(test_options_normal),
		cmocka_unit_test(test_options_no_nul),
		cmocka_unit_test(test_options_odd_size),
		cmocka_unit_test(test_options_none),
		cmocka_unit_test(test_options_oversize),
		cmocka_unit_test(test_options_non_ascii),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
