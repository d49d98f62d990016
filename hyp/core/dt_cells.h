/*
 * Numbers in device-tree cells (DTSpec 2.2.4: big-endian 32-bit cells, a
 * 64-bit number in two), for the platform DT and config readers alike; not
 * an interface.
 */
#ifndef CORE_DT_CELLS_H
#define CORE_DT_CELLS_H

#include <libfdt.h>
#include <tessera/types.h>

/* A 1- or 2-cell number; the caller checked the property's length. */
static inline u64 read_cells(const fdt32_t *p, int cells)
{
	u64 v = 0;

	for (int i = 0; i < cells; i++)
		v = (v << 32) | fdt32_to_cpu(p[i]);
	return v;
}

#endif
