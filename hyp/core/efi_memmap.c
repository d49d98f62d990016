/*
 * UEFI memory map -> the RAM Tessera may give to VMs (tessera/efi.h). Pure
 * code over a copy of the map: it runs at EL2 just before ExitBootServices
 * and on the host in the unit tests.
 */
#include <string.h>
#include <tessera/efi.h>

static bool desc_usable(const struct efi_memory_descriptor *d)
{
	switch (d->type) {
	case EFI_CONVENTIONAL_MEMORY:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
		break;
	default:
		return false;
	}
	if (!(d->attribute & EFI_MEMORY_WB) || (d->attribute & (EFI_MEMORY_RUNTIME | EFI_MEMORY_SP)))
		return false;
	/* A range that wraps the address space is a firmware bug, not RAM. */
	return d->pages != 0 && d->pages <= (~0ULL - d->physical_start) / EFI_PAGE_SIZE;
}

static const struct efi_memory_descriptor *desc_at(const void *map, u64 desc_size, u64 i)
{
	return (const struct efi_memory_descriptor *)((const u8 *)map + i * desc_size);
}

/*
 * The usable descriptor after (prev_base, prev_index) in (base, index) order:
 * firmware need not sort its map (UEFI 2.10 7.2 promises no order), and a
 * selection in address order needs no scratch space. Returns -1 at the end.
 */
static s64 next_usable(const void *map, u64 count, u64 desc_size, u64 prev_base, s64 prev_index)
{
	s64 best = -1;
	u64 best_base = 0;

	for (u64 i = 0; i < count; i++) {
		const struct efi_memory_descriptor *d = desc_at(map, desc_size, i);
		u64 base = d->physical_start;

		if (!desc_usable(d))
			continue;
		if (prev_index >= 0 && (base < prev_base || (base == prev_base && (s64)i <= prev_index)))
			continue;
		if (best < 0 || base < best_base) {
			best = (s64)i;
			best_base = base;
		}
	}
	return best;
}

/* Adds a merged range; when full, the smallest of the list and the new one is left out. */
static void keep_range(struct efi_ram *ram, struct mem_range r)
{
	if (ram->count < PLATFORM_MAX_RAM) {
		ram->range[ram->count++] = r;
		return;
	}
	ram->dropped++;
	unsigned int smallest = 0;

	for (unsigned int i = 1; i < ram->count; i++)
		if (ram->range[i].size < ram->range[smallest].size)
			smallest = i;
	if (ram->range[smallest].size < r.size)
		ram->range[smallest] = r;
}

int efi_memmap_to_ram(const void *map, u64 map_size, u64 desc_size, struct efi_ram *ram)
{
	u64 count;
	s64 i = -1;
	u64 prev_base = 0;
	struct mem_range cur = { 0, 0 };

	memset(ram, 0, sizeof(*ram));
	if (desc_size < sizeof(struct efi_memory_descriptor))
		return -1;
	count = map_size / desc_size;

	while ((i = next_usable(map, count, desc_size, prev_base, i)) >= 0) {
		const struct efi_memory_descriptor *d = desc_at(map, desc_size, (u64)i);
		struct mem_range r = { d->physical_start, d->pages * EFI_PAGE_SIZE };

		prev_base = r.base;
		if (cur.size && r.base <= cur.base + cur.size) {
			/* Touching (or, from a careless firmware, overlapping): one range. */
			if (r.base + r.size > cur.base + cur.size)
				cur.size = r.base + r.size - cur.base;
			continue;
		}
		if (cur.size)
			keep_range(ram, cur);
		cur = r;
	}
	if (cur.size)
		keep_range(ram, cur);

	/* keep_range may have replaced one out of order. */
	for (unsigned int a = 1; a < ram->count; a++) {
		struct mem_range r = ram->range[a];
		unsigned int b = a;

		for (; b > 0 && ram->range[b - 1].base > r.base; b--)
			ram->range[b] = ram->range[b - 1];
		ram->range[b] = r;
	}
	return 0;
}
