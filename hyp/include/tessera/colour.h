/*
 * Last-level cache colouring (docs/architecture.md "Cache colouring").
 *
 * A physically indexed cache of way size W splits memory into W / 4 KiB page
 * colours: PA bits [log2(W)-1:12] pick the colour, so pages of different
 * colours never evict each other's lines. A coloured VM (vm_config.colours)
 * gets RAM built from 4 KiB pages of its colours only, taken from the
 * colouring memory (colouring_config.memory, one physical range the config
 * sets aside); its IPA range stays contiguous (vm_config.memory), its PAs
 * do not.
 *
 * Placement is a pure function of the config, so the checker and the
 * hypervisor compute the same pages. The colouring memory is cut into rows
 * of W bytes (it is W-aligned): row r holds exactly one page of each colour,
 * colour c at base + r * W + c * 4 KiB. A VM takes, from its first row on,
 * in each row the pages of its colours in ascending order, until it has
 * memory.size / 4 KiB pages: IPA page i is in row first_row + i / k, at
 * the (i % k)-th of its k colours, so PAs rise with IPAs. VMs are placed in
 * config order; a VM's first row is past every row an earlier VM used in
 * any of its colours, so two VMs never get one page, even when they share a
 * colour (an opt-in, vm_config.colours_shared).
 */
#ifndef TESSERA_COLOUR_H
#define TESSERA_COLOUR_H

#include <tessera/types.h>

#define COLOUR_PAGE SZ_4K
#define COLOUR_MAX 64 /* colours a mask holds: a way of at most 256 KiB */

/*
 * Table pages for coloured VMs' stage-2 tables (4 KiB leaves: one level-3
 * table per 2 MiB of IPA), a pool of their own (hyp/core/colour_s2.c):
 * 512 pages, 2 MiB, hold about 1 GiB of coloured RAM. The checker adds up
 * what each coloured VM needs (colour_table_pages) and refuses more.
 */
#define COLOUR_TABLE_PAGES 512

/* Table pages a coloured VM with RAM at IPA [base, base + size) needs, with room for its devices. */
u64 colour_table_pages(u64 base, u64 size);

/* Colours of a cache of @size bytes and @ways ways: way size / 4 KiB; 0 when not whole. */
unsigned int colour_count(u64 size, u32 ways);

/* The colour of physical address @pa among @colours. */
static inline unsigned int colour_of(u64 pa, unsigned int colours)
{
	return (unsigned int)((pa / COLOUR_PAGE) % colours);
}

/* Number of colours in @mask. */
unsigned int colour_weight(u64 mask);

/* Rows (way-size slabs of the colouring memory) a VM of @size bytes in @mask's colours spans. */
u64 colour_rows_needed(u64 size, u64 mask);

/*
 * Where one coloured VM's pages are: the colouring memory's base and colour
 * count, the VM's colours and first row (config_validate places it).
 */
struct colour_layout {
	u64 pool_base;        /* W-aligned */
	u64 pool_size;
	unsigned int colours; /* W / 4 KiB */
	u64 mask;             /* the VM's colours */
	u64 first_row;
};

/* The physical address of the VM's page @index (its IPA base + index x 4 KiB). */
u64 colour_page_pa(const struct colour_layout *l, u64 index);

/*
 * How many pages from @index on are physically contiguous (at most @left):
 * a run of neighbouring colours in one row. Mapping by runs keeps stage 2
 * and the IOMMU's mirror to one pt_map() per run.
 */
u64 colour_run_pages(const struct colour_layout *l, u64 index, u64 left);

/* "0-7,12" for messages and the console: @mask as ranges, in @buf. */
void colour_format(u64 mask, char *buf, unsigned long size);

#endif
