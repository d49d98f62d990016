/*
 * Unit tests for cache colouring: the colour arithmetic and placement
 * (hyp/core/colour.c), the coloured stage-2 builder and its boot-time check
 * (hyp/core/colour_s2.c, on the real pgtable.c), and the checker's colour
 * rules (hyp/core/config_colour.c through config_parse/config_validate).
 * Expected pages are worked from the rule in tessera/colour.h by hand (PA =
 * pool + (row x colours + colour) x 4 KiB), not from the functions tested.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <tessera/colour.h>
#include <tessera/colour_s2.h>

#include "../../hyp/core/config_internal.h"
#include "config_reports.h"

/* ---------------------------------------------------------------- arithmetic */

static void test_colour_count(void **state)
{
	(void)state;
	assert_int_equal(colour_count(SZ_2M, 16), 32); /* Orin's L3: 128 KiB ways */
	assert_int_equal(colour_count(SZ_1M, 16), 16);
	assert_int_equal(colour_count(SZ_2M, 0), 0);
	assert_int_equal(colour_count(SZ_2M, 3), 0);         /* not whole ways */
	assert_int_equal(colour_count(0x6000, 4), 0);        /* a way of 6 KiB: not whole pages */
	assert_int_equal(colour_of(0x50000000, 32), 0);
	assert_int_equal(colour_of(0x5001f000, 32), 31);
	assert_int_equal(colour_of(0x50020000, 32), 0);      /* the next way */
	assert_int_equal(colour_weight(0xf0f), 8);
}

static void test_colour_format(void **state)
{
	char buf[64];

	(void)state;
	colour_format(0xff, buf, sizeof(buf));
	assert_string_equal(buf, "0-7");
	colour_format(BIT(3) | BIT(5) | BIT(6) | BIT(31), buf, sizeof(buf));
	assert_string_equal(buf, "3,5-6,31");
}

/* Page i of a VM in colours {2, 3, 9} from row 5 of a 32-colour pool at 0x50000000. */
static void test_page_placement(void **state)
{
	const struct colour_layout l = { .pool_base = 0x50000000, .pool_size = 0x10000000,
					 .colours = 32, .mask = BIT(2) | BIT(3) | BIT(9),
					 .first_row = 5 };

	(void)state;
	/* row 5 = 0x50000000 + 5 x 128 KiB = 0x500a0000 */
	assert_int_equal(colour_page_pa(&l, 0), 0x500a2000);
	assert_int_equal(colour_page_pa(&l, 1), 0x500a3000);
	assert_int_equal(colour_page_pa(&l, 2), 0x500a9000);
	assert_int_equal(colour_page_pa(&l, 3), 0x500c2000); /* row 6 */
	/* Runs: colours 2 and 3 are neighbours, 9 stands alone. */
	assert_int_equal(colour_run_pages(&l, 0, 100), 2);
	assert_int_equal(colour_run_pages(&l, 1, 100), 1);
	assert_int_equal(colour_run_pages(&l, 2, 100), 1);
	assert_int_equal(colour_run_pages(&l, 0, 1), 1); /* bounded by what is left */
	assert_int_equal(colour_rows_needed(0x3000, l.mask), 1);
	assert_int_equal(colour_rows_needed(0x4000, l.mask), 2);
}

/* Every page of a layout: its colour, inside the pool, rising; runs physically contiguous. */
static void test_allocator_properties(void **state)
{
	static const u64 masks[] = { 0xff, BIT(0) | BIT(31), 0xffffffff, 0x0f0f0f0f, BIT(17) };
	const u64 pool = 0x60000000, pool_size = 0x4000000;

	(void)state;
	for (unsigned int m = 0; m < ARRAY_SIZE(masks); m++) {
		const struct colour_layout l = { pool, pool_size, 32, masks[m], 3 };
		u64 pages = 300, last = 0;

		for (u64 i = 0; i < pages; i++) {
			u64 pa = colour_page_pa(&l, i);

			assert_true(masks[m] & BIT((pa >> 12) & 31));
			assert_true(pa >= pool + 3 * 32 * SZ_4K && pa < pool + pool_size);
			assert_true(i == 0 || pa > last);
			last = pa;
		}
		for (u64 i = 0; i < pages;) {
			u64 run = colour_run_pages(&l, i, pages - i);

			assert_true(run >= 1 && run <= pages - i);
			for (u64 j = 1; j < run; j++)
				assert_int_equal(colour_page_pa(&l, i + j), colour_page_pa(&l, i) + j * SZ_4K);
			/* A run ends where the next page is not the neighbour. */
			if (i + run < pages)
				assert_int_not_equal(colour_page_pa(&l, i + run),
						     colour_page_pa(&l, i + run - 1) + SZ_4K);
			i += run;
		}
	}
}

/* ---------------------------------------------------------------- stage 2 */

static struct pgtable s2;

static void s2_fresh(void)
{
	colour_pt_pool.used = 0;
	memset(colour_pt_pool.pages, 0, (size_t)colour_pt_pool.count * PT_PAGE_SIZE);
	assert_int_equal(pt_init(&s2, PT_STAGE2, &colour_pt_pool), PT_OK);
}

static unsigned int runs_seen;

static int count_run(void *ctx, u64 ipa, u64 pa, u64 size)
{
	(void)ctx;
	(void)ipa;
	(void)pa;
	assert_true(size >= SZ_4K && size % SZ_4K == 0);
	runs_seen++;
	return 0;
}

/*
 * The builder over 8 MiB in colours 4-7 of 32: every IPA page mapped by a
 * 4 KiB leaf at the PA worked out by hand, and the check accepts it.
 */
static void test_s2_build_and_verify(void **state)
{
	const struct colour_layout l = { 0x50000000, 0x10000000, 32, 0xf0, 0 };
	const u64 ipa = 0x80000000, size = 0x800000;
	char err[160] = "";

	(void)state;
	s2_fresh();
	runs_seen = 0;
	assert_int_equal(colour_s2_map(&s2, &l, ipa, size, count_run, NULL), PT_OK);
	assert_int_equal(runs_seen, size / SZ_4K / 4); /* colours 4-7: one run of 4 per row */
	for (u64 i = 0; i < size / SZ_4K; i++) {
		u64 pa;
		unsigned int level, prot;

		assert_true(pt_lookup(&s2, ipa + i * SZ_4K, &pa, &prot, &level));
		assert_int_equal(level, 3);
		assert_int_equal(pa, 0x50000000 + (i / 4) * 0x20000 + (4 + i % 4) * SZ_4K);
		assert_int_equal(prot, PT_R | PT_W | PT_X);
	}
	assert_false(pt_lookup(&s2, ipa + size, NULL, NULL, NULL));
	assert_int_equal(colour_s2_verify(&s2, &l, ipa, size, err, sizeof(err)), size / SZ_4K);
}

/* The check refuses tables that break the rule: a wrong colour, a block, a hole, a page twice. */
static void test_s2_verify_refuses(void **state)
{
	const struct colour_layout l = { 0x50000000, 0x10000000, 32, 0xf0, 0 };
	const u64 ipa = 0x80000000;
	char err[160];

	(void)state;
	/* Page 1 of colour 8 (0x50008000) instead of 5. */
	s2_fresh();
	assert_int_equal(pt_map(&s2, ipa, 0x50004000, SZ_4K, PT_R | PT_W), PT_OK);
	assert_int_equal(pt_map(&s2, ipa + SZ_4K, 0x50008000, SZ_4K, PT_R | PT_W), PT_OK);
	assert_int_equal(colour_s2_verify(&s2, &l, ipa, 2 * SZ_4K, err, sizeof(err)), 0);
	assert_string_equal(err, "IPA 0x80001000 is at PA 0x50008000, of colour 8, not its own");

	/* A 2 MiB block: every colour. */
	s2_fresh();
	assert_int_equal(pt_map(&s2, ipa, 0x50000000, SZ_2M, PT_R | PT_W), PT_OK);
	assert_int_equal(colour_s2_verify(&s2, &l, ipa, SZ_2M, err, sizeof(err)), 0);
	assert_string_equal(err, "IPA 0x80000000 is not a writable 4 KiB page (level 2)");

	/* A hole: the IPA range must be contiguous. */
	s2_fresh();
	assert_int_equal(pt_map(&s2, ipa, 0x50004000, SZ_4K, PT_R | PT_W), PT_OK);
	assert_int_equal(colour_s2_verify(&s2, &l, ipa, 2 * SZ_4K, err, sizeof(err)), 0);
	assert_string_equal(err, "IPA 0x80001000 is not mapped");

	/* One page twice. */
	s2_fresh();
	assert_int_equal(pt_map(&s2, ipa, 0x50005000, SZ_4K, PT_R | PT_W), PT_OK);
	assert_int_equal(pt_map(&s2, ipa + SZ_4K, 0x50005000, SZ_4K, PT_R | PT_W), PT_OK);
	assert_int_equal(colour_s2_verify(&s2, &l, ipa, 2 * SZ_4K, err, sizeof(err)), 0);
	assert_string_equal(err, "IPA 0x80001000 is at PA 0x50005000, not above the page before "
				 "it (0x50005000): a page used twice?");

	/* Its colour but outside the colouring memory. */
	s2_fresh();
	assert_int_equal(pt_map(&s2, ipa, 0x60004000, SZ_4K, PT_R | PT_W), PT_OK);
	assert_int_equal(colour_s2_verify(&s2, &l, ipa, SZ_4K, err, sizeof(err)), 0);
	assert_string_equal(err, "IPA 0x80000000 is at PA 0x60004000, outside the colouring memory");
}

/* ---------------------------------------------------------------- the checker */

static struct platform plat;
static const struct mem_range hyp = { 0x40000000, 0x400000 };
static struct system_config cfg;
static char blob[1 << 16];
static const u8 small_image[64] = { 0x00, 0x00, 0x00, 0x14 };

#define SW(call) assert_int_equal((call), 0)

static void cells_prop(const char *name, const u32 *v, unsigned int n)
{
	fdt32_t cells[COLOUR_MAX + 1];

	for (unsigned int i = 0; i < n; i++)
		cells[i] = cpu_to_fdt32(v[i]);
	SW(fdt_property(blob, name, cells, (int)(n * 4)));
}

static void range_prop(const char *name, u64 base, u64 size)
{
	fdt64_t r[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	SW(fdt_property(blob, name, r, sizeof(r)));
}

static void config_begin(void)
{
	SW(fdt_create(blob, sizeof(blob)));
	SW(fdt_finish_reservemap(blob));
	SW(fdt_begin_node(blob, ""));
	SW(fdt_property_string(blob, "compatible", "tessera,config"));
	SW(fdt_property_u32(blob, "tessera,version", CONFIG_VERSION));
	SW(fdt_property_u32(blob, "#address-cells", 2));
	SW(fdt_property_u32(blob, "#size-cells", 2));
	SW(fdt_begin_node(blob, "vms"));
}

/* A VM on CPU @cpu with @size bytes at IPA @base in @colours (n of them; 0: uncoloured). */
static void vm_begin(const char *name, u32 cpu, u64 base, u64 size, const u32 *colours,
		     unsigned int n)
{
	SW(fdt_begin_node(blob, name));
	SW(fdt_property_u32(blob, "cpus", cpu));
	range_prop("memory", base, size);
	SW(fdt_property(blob, "image", small_image, sizeof(small_image)));
	SW(fdt_property_u64(blob, "vuart", 0x09000000));
	if (n)
		cells_prop("colors", colours, n);
}

static void vm(const char *name, u32 cpu, u64 base, u64 size, const u32 *colours, unsigned int n)
{
	vm_begin(name, cpu, base, size, colours, n);
	SW(fdt_end_node(blob));
}

/* Closes /vms, writes /cache-coloring (pool @pool_size at @pool; geometry when @size) and checks. */
static int finish(u64 pool, u64 pool_size, u32 cache_size, u32 ways, const u32 *hyp_colours,
		  unsigned int nhyp)
{
	SW(fdt_end_node(blob));
	if (pool_size) {
		SW(fdt_begin_node(blob, "cache-coloring"));
		if (cache_size) {
			SW(fdt_property_u32(blob, "cache-size", cache_size));
			SW(fdt_property_u32(blob, "cache-ways", ways));
		}
		range_prop("memory", pool, pool_size);
		if (nhyp)
			cells_prop("hypervisor-colors", hyp_colours, nhyp);
		SW(fdt_end_node(blob));
	}
	SW(fdt_end_node(blob));
	SW(fdt_finish(blob));
	reports_reset();
	assert_true(config_parse(blob, &cfg, &rep) >= 0);
	return config_validate(&cfg, &plat, &hyp, &rep);
}

/* Asserts report @i was "@node: @msg" as @text. */
static void expect(unsigned int i, const char *text)
{
	char joined[sizeof(got.node[0]) + 2 + sizeof(got.msg[0])];

	if (i >= got.count)
		fail_msg("report %u missing; wanted %s", i, text);
	snprintf(joined, sizeof(joined), "%s: %s", got.node[i], got.msg[i]);
	if (strcmp(joined, text))
		fail_msg("report %u:\n  got  %s\n  want %s", i, joined, text);
}

static int setup(void **state)
{
	(void)state;
	qemu_virt_platform(&plat);
	reports_reset();
	return 0;
}

static const u32 c0_7[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
static const u32 c8_9[] = { 8, 9 };
static const u32 c31[] = { 31 };

/*
 * Builds the stage 2 of the first @n VMs of cfg from the one pool, checks
 * each, and asserts no physical page of the 256 MiB colouring memory at
 * 0x50000000 is given twice.
 */
static void expect_vms_disjoint(unsigned int n)
{
	static u8 owner[0x10000000 / SZ_4K];
	struct pgtable t[CONFIG_MAX_VMS];

	colour_pt_pool.used = 0;
	memset(owner, 0, sizeof(owner));
	for (unsigned int v = 0; v < n; v++) {
		struct colour_layout l = colour_layout_of(&cfg.colouring, &cfg.vms[v]);
		const struct mem_range *m = &cfg.vms[v].memory;
		char err[160];

		assert_int_equal(pt_init(&t[v], PT_STAGE2, &colour_pt_pool), PT_OK);
		assert_int_equal(colour_s2_map(&t[v], &l, m->base, m->size, NULL, NULL), PT_OK);
		assert_int_equal(colour_s2_verify(&t[v], &l, m->base, m->size, err, sizeof(err)),
				 m->size / SZ_4K);
		for (u64 ipa = m->base; ipa < m->base + m->size; ipa += SZ_4K) {
			u64 pa;

			assert_true(pt_lookup(&t[v], ipa, &pa, NULL, NULL));
			assert_true(pa >= 0x50000000 && pa < 0x60000000);
			if (owner[(pa - 0x50000000) / SZ_4K])
				fail_msg("PA 0x%llx is VM %u's and VM %u's", (unsigned long long)pa,
					 owner[(pa - 0x50000000) / SZ_4K] - 1, v);
			owner[(pa - 0x50000000) / SZ_4K] = (u8)(v + 1);
		}
	}
}

/* Two coloured VMs and an uncoloured one: accepted, placed, their pages disjoint. */
static void test_checker_accepts_and_vms_disjoint(void **state)
{
	(void)state;
	config_begin();
	vm("a", 1, 0x80000000, 0x1000000, c0_7, 8);
	vm("b", 2, 0x40000000, 0x400000, c8_9, 2);
	vm("c", 3, 0x70000000, 0x2000000, NULL, 0);
	assert_int_equal(finish(0x50000000, 0x10000000, SZ_2M, 16, c31, 1), 0);
	expect_count(0);
	assert_true(cfg.vms[0].valid && cfg.vms[1].valid && cfg.vms[2].valid);
	assert_int_equal(cfg.colouring.colours, 32);
	assert_int_equal(cfg.vms[0].colours, 0xff);
	assert_int_equal(cfg.vms[0].colour_row, 0);
	assert_int_equal(cfg.vms[1].colour_row, 0); /* no colour in common: from the start */
	expect_vms_disjoint(2);
}

/* Sharing colours: refused, unless both VMs say colors-shared; then rows differ, pages too. */
static void test_checker_shared_colours(void **state)
{
	(void)state;
	config_begin();
	vm("a", 1, 0x80000000, 0x400000, c0_7, 8);
	vm("b", 2, 0x80000000, 0x400000, c8_9, 2);
	vm("c", 3, 0x80000000, 0x400000, (const u32[]){ 6, 7, 8 }, 3);
	assert_int_equal(finish(0x50000000, 0x10000000, SZ_2M, 16, NULL, 0), 2);
	expect(0, "/vms/c: colors 6-7 are VM a's too; give each VM its own colours, or write "
		  "colors-shared; in both VMs to let them share");
	expect(1, "/vms/c: colors 8 are VM b's too; give each VM its own colours, or write "
		  "colors-shared; in both VMs to let them share");
	assert_false(cfg.vms[2].valid);

	config_begin();
	vm_begin("a", 1, 0x80000000, 0x400000, c0_7, 8);
	SW(fdt_property(blob, "colors-shared", NULL, 0));
	SW(fdt_end_node(blob));
	vm_begin("b", 2, 0x80000000, 0x400000, (const u32[]){ 7 }, 1);
	SW(fdt_property(blob, "colors-shared", NULL, 0));
	SW(fdt_end_node(blob));
	assert_int_equal(finish(0x50000000, 0x10000000, SZ_2M, 16, NULL, 0), 0);
	/* a: 1024 pages in 8 colours = 128 rows; b starts past them in colour 7. */
	assert_int_equal(cfg.vms[1].colour_row, 128);
	expect_vms_disjoint(2);
}

/* Out of range, twice, Tessera's, memory that cannot hold the VM: all in one run. */
static void test_checker_colour_rules(void **state)
{
	(void)state;
	config_begin();
	vm("a", 1, 0x80000000, 0x400000, (const u32[]){ 3, 40, 3 }, 3);
	vm("b", 2, 0x80000000, 0x400000, (const u32[]){ 31 }, 1);
	vm("c", 3, 0x80000000, 0x8000000, (const u32[]){ 10 }, 1); /* 128 MiB in 1/32 of 64 MiB */
	assert_int_equal(finish(0x50000000, 0x4000000, SZ_2M, 16, c31, 1), 4);
	expect(0, "/vms/a: color 40 is out of range: the last-level cache has 32 colours; use 0 to 31");
	expect(1, "/vms/a: color 3 is listed twice; list each colour once");
	expect(2, "/vms/b: color 31 is Tessera's own (hypervisor-colors in /cache-coloring); give the "
		  "VM other colours");
	expect(3, "/vms/c: colors 10 hold 0x200000 bytes of the cache-coloring memory "
		  "(0x50000000-0x53ffffff), but the VM's memory is 0x8000000; give it more colours or "
		  "/cache-coloring more memory");
	assert_false(cfg.vms[0].valid || cfg.vms[1].valid || cfg.vms[2].valid);
}

/* The colouring node itself: geometry missing, memory over a VM and the hypervisor, no node. */
static void test_checker_colouring_node(void **state)
{
	(void)state;
	config_begin();
	vm("a", 1, 0x80000000, 0x400000, c0_7, 8);
	assert_int_equal(finish(0x50000000, 0x10000000, 0, 0, NULL, 0), 1);
	expect(0, "/cache-coloring: the platform DT describes no shared cache; give its geometry, "
		  "e.g. cache-size = <0x200000>; cache-ways = <16>; (2 MiB, 16 ways: 32 colours)");
	assert_false(cfg.vms[0].valid);

	config_begin();
	vm("u", 1, 0x50000000, 0x2000000, NULL, 0);
	assert_int_equal(finish(0x40000000, 0x20000000, SZ_2M, 16, NULL, 0), 2);
	expect(0, "/cache-coloring: memory 0x40000000-0x5fffffff overlaps the hypervisor "
		  "(0x40000000-0x403fffff); move it to 0x40400000 or above");
	expect(1, "/vms/u: memory 0x50000000-0x51ffffff overlaps the cache-coloring memory "
		  "(0x40000000-0x5fffffff), where coloured VMs' pages come from; move it");

	config_begin();
	vm("a", 1, 0x80000000, 0x400000, c0_7, 8);
	assert_int_equal(finish(0, 0, 0, 0, NULL, 0), 1);
	expect(0, "/vms/a: colors needs a /cache-coloring node: the physical memory coloured VMs' "
		  "pages come from (docs/configuration.md, \"Cache colouring\"); add one");

	/* The DT's geometry wins; a config that says otherwise is refused. */
	plat.llc = (struct platform_llc){ SZ_2M, 16, 64, 3 };
	config_begin();
	vm("a", 1, 0x80000000, 0x400000, c0_7, 8);
	assert_int_equal(finish(0x50000000, 0x10000000, SZ_1M, 16, NULL, 0), 1);
	expect(0, "/cache-coloring: cache-size 0x100000 and cache-ways 16 differ from the platform "
		  "DT's level-3 cache (0x200000 bytes, 16 ways); remove them: the DT's geometry is used");
	config_begin();
	vm("a", 1, 0x80000000, 0x400000, c0_7, 8);
	assert_int_equal(finish(0x50000000, 0x10000000, 0, 0, NULL, 0), 0);
	assert_int_equal(cfg.colouring.colours, 32);
}

/* A coloured VM's memory is IPAs only, but still not over its vGIC; a bad hypervisor-colors cell. */
static void test_checker_coloured_ipa(void **state)
{
	(void)state;
	plat.gicd = (struct mem_range){ 0x08000000, 0x10000 };
	plat.gicr[0] = (struct mem_range){ 0x080a0000, 0xf60000 };
	plat.gicr_count = 1;
	config_begin();
	vm("a", 1, 0x08000000, 0x400000, c0_7, 8);
	vm("b", 2, 0x8000000000ULL - 0x200000, 0x400000, c8_9, 2);
	assert_int_equal(finish(0x50000000, 0x10000000, SZ_2M, 16, c31, 1), 2);
	expect(0, "/vms/a: memory 0x8000000-0x83fffff covers the VM's vGIC (distributor "
		  "0x8000000-0x800ffff, redistributors 0x80a0000-0x80bffff); choose guest addresses "
		  "clear of both");
	expect(1, "/vms/b: memory 0x7fffe00000-0x80001fffff is beyond the VM's 512 GiB address "
		  "space; choose guest addresses below 0x8000000000");
	assert_false(cfg.vms[0].valid || cfg.vms[1].valid);

	config_begin();
	vm("a", 1, 0x80000000, 0x400000, c0_7, 8);
	SW(fdt_end_node(blob));
	SW(fdt_begin_node(blob, "cache-coloring"));
	SW(fdt_property(blob, "hypervisor-colors", "ab", 2));
	range_prop("memory", 0x50000000, 0x10000000);
	SW(fdt_end_node(blob));
	SW(fdt_end_node(blob));
	SW(fdt_finish(blob));
	reports_reset();
	assert_int_equal(config_parse(blob, &cfg, &rep), 1);
	expect(0, "/cache-coloring: hypervisor-colors must be colour numbers below 64, one cell "
		  "each; write e.g. hypervisor-colors = <0>;");
}

/* A coloured VM's device must be behind an IOMMU (QEMU virt's RTC is not). */
static void test_checker_coloured_device(void **state)
{
	static char dtb[1 << 20];
	const char *path = getenv("TESSERA_PLATFORM_DTB");
	FILE *f = fopen(path ? path : "build/qemu-virt/platform.dtb", "rb");
	char err[160];

	(void)state;
	if (!f)
		fail_msg("cannot open the platform DTB (set TESSERA_PLATFORM_DTB or run `make unit`)");
	assert_true(fread(dtb, 1, sizeof(dtb), f) > sizeof(struct fdt_header));
	fclose(f);
	if (platform_parse(dtb, &plat, err, sizeof(err)))
		fail_msg("%s", err);
	config_begin();
	vm_begin("a", 1, 0x80000000, 0x400000, c0_7, 8);
	SW(fdt_begin_node(blob, "rtc"));
	SW(fdt_property_string(blob, "device", "/pl031@9010000"));
	SW(fdt_end_node(blob));
	SW(fdt_end_node(blob));
	assert_int_equal(finish(0x50000000, 0x10000000, SZ_2M, 16, NULL, 0), 1);
	expect(0, "/vms/a/rtc: /pl031@9010000's DMA is not translated by an IOMMU, but a coloured "
		  "VM's memory is not at its guest addresses (IPA != PA): its DMA would reach other "
		  "memory; give the device to an uncoloured VM, or remove colors");
	assert_false(cfg.vms[0].valid);
}

/* Tegra234's AGX DT gives the geometry: 2 MiB, 16 ways, 64-byte lines: 32 colours. */
static void test_tegra234_llc(void **state)
{
	static char dtb[1 << 20];
	const char *path = getenv("TESSERA_TEGRA234_DTB");
	FILE *f = fopen(path ? path : "build/tegra234/tegra234-p3737-0000+p3701-0000.dtb", "rb");
	const struct mem_range ram = { 0x80000000, SZ_1G };
	char err[160];

	(void)state;
	if (!f) {
		skip(); /* offline: the DTB could not be fetched (Makefile, tegra234 test DTs) */
		return;
	}
	assert_true(fread(dtb, 1, sizeof(dtb), f) > sizeof(struct fdt_header));
	fclose(f);
	/* Orin's DT has no /memory (UEFI gives RAM): any range does here. */
	if (platform_parse_with_ram(dtb, &ram, 1, &plat, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(plat.llc.size, SZ_2M);
	assert_int_equal(plat.llc.ways, 16);
	assert_int_equal(plat.llc.line, 64);
	assert_int_equal(plat.llc.level, 3);
	assert_int_equal(colour_count(plat.llc.size, plat.llc.ways), 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_colour_count),
		cmocka_unit_test(test_colour_format),
		cmocka_unit_test(test_page_placement),
		cmocka_unit_test(test_allocator_properties),
		cmocka_unit_test(test_s2_build_and_verify),
		cmocka_unit_test(test_s2_verify_refuses),
		cmocka_unit_test_setup(test_checker_accepts_and_vms_disjoint, setup),
		cmocka_unit_test_setup(test_checker_shared_colours, setup),
		cmocka_unit_test_setup(test_checker_colour_rules, setup),
		cmocka_unit_test_setup(test_checker_colouring_node, setup),
		cmocka_unit_test_setup(test_checker_coloured_ipa, setup),
		cmocka_unit_test_setup(test_checker_coloured_device, setup),
		cmocka_unit_test_setup(test_tegra234_llc, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
