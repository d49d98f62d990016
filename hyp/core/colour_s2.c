/*
 * A coloured VM's stage-2 tables (tessera/colour.h): its IPA range mapped
 * page by page onto the pages placement gives it, then walked back and
 * checked before the VM may start. Host-testable (tests/unit/test_colour.c)
 * with pgtable.c.
 */
#include <stdio.h>
#include <tessera/colour.h>
#include <tessera/colour_s2.h>

/* Its own pool: 4 KiB leaves need one level-3 table per 2 MiB (colour.h COLOUR_TABLE_PAGES). */
static u64 colour_tables[COLOUR_TABLE_PAGES][PT_ENTRIES] __attribute__((aligned(4096)));
struct pt_pool colour_pt_pool = { colour_tables, COLOUR_TABLE_PAGES, 0 };

struct colour_layout colour_layout_of(const struct colouring_config *col, const struct vm_config *vm)
{
	return (struct colour_layout){
		.pool_base = col->memory.base,
		.pool_size = col->memory.size,
		.colours = col->colours,
		.mask = vm->colours,
		.first_row = vm->colour_row,
	};
}

int colour_s2_map(struct pgtable *s2, const struct colour_layout *l, u64 ipa, u64 size,
		  int (*also)(void *ctx, u64 ipa, u64 pa, u64 size), void *ctx)
{
	u64 pages = size / COLOUR_PAGE;

	for (u64 i = 0; i < pages;) {
		u64 run = colour_run_pages(l, i, pages - i);
		u64 at = ipa + i * COLOUR_PAGE, pa = colour_page_pa(l, i);
		int rc = pt_map(s2, at, pa, run * COLOUR_PAGE, PT_R | PT_W | PT_X);

		if (rc)
			return rc;
		if (also && also(ctx, at, pa, run * COLOUR_PAGE))
			return PT_ENOMEM;
		i += run;
	}
	return PT_OK;
}

u64 colour_s2_verify(const struct pgtable *s2, const struct colour_layout *l, u64 ipa, u64 size,
		     char *err, unsigned long err_size)
{
	u64 pages = size / COLOUR_PAGE, last = 0;

	for (u64 i = 0; i < pages; i++) {
		u64 at = ipa + i * COLOUR_PAGE, pa;
		unsigned int prot, level;

		if (!pt_lookup(s2, at, &pa, &prot, &level)) {
			snprintf(err, err_size, "IPA 0x%llx is not mapped", (unsigned long long)at);
			return 0;
		}
		/* A block would span every colour: only 4 KiB leaves keep one colour each. */
		if (level != 3 || (prot & (PT_R | PT_W)) != (PT_R | PT_W)) {
			snprintf(err, err_size, "IPA 0x%llx is not a writable 4 KiB page (level %u)",
				 (unsigned long long)at, level);
			return 0;
		}
		if (!(l->mask & BIT(colour_of(pa, l->colours)))) {
			snprintf(err, err_size, "IPA 0x%llx is at PA 0x%llx, of colour %u, not its own",
				 (unsigned long long)at, (unsigned long long)pa, colour_of(pa, l->colours));
			return 0;
		}
		if (pa < l->pool_base || pa - l->pool_base >= l->pool_size) {
			snprintf(err, err_size, "IPA 0x%llx is at PA 0x%llx, outside the colouring memory",
				 (unsigned long long)at, (unsigned long long)pa);
			return 0;
		}
		/* Placement gives rising PAs, so a page used twice shows as one not above the last. */
		if (i && pa <= last) {
			snprintf(err, err_size, "IPA 0x%llx is at PA 0x%llx, not above the page before it "
				 "(0x%llx): a page used twice?",
				 (unsigned long long)at, (unsigned long long)pa, (unsigned long long)last);
			return 0;
		}
		last = pa;
	}
	return pages;
}
