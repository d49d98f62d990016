/* A coloured VM's stage-2 tables: built from its placement, then verified (core/colour_s2.c). */
#ifndef TESSERA_COLOUR_S2_H
#define TESSERA_COLOUR_S2_H

#include <arch/pgtable.h>
#include <tessera/colour.h>
#include <tessera/config.h>

/* Table pages for coloured VMs' stage-2 tables (boot time only). */
extern struct pt_pool colour_pt_pool;

/* Where coloured VM @vm's pages are (config_validate() placed it). */
struct colour_layout colour_layout_of(const struct colouring_config *col, const struct vm_config *vm);

/*
 * Maps IPA [ipa, ipa + size) of @s2 onto the layout's pages, read-write-
 * execute, one pt_map() per physically contiguous run; @also (may be NULL)
 * is called for each run too (the VM's IOMMU mirror). 0 or an enum pt_err.
 */
int colour_s2_map(struct pgtable *s2, const struct colour_layout *l, u64 ipa, u64 size,
		  int (*also)(void *ctx, u64 ipa, u64 pa, u64 size), void *ctx);

/*
 * Walks @s2 over [ipa, ipa + size): every page mapped, by a 4 KiB leaf,
 * writable, at a PA of one of the layout's colours inside the colouring
 * memory, PAs rising (so no page twice). Returns the pages checked, or 0
 * with the first failure in @err.
 */
u64 colour_s2_verify(const struct pgtable *s2, const struct colour_layout *l, u64 ipa, u64 size,
		     char *err, unsigned long err_size);

#endif
