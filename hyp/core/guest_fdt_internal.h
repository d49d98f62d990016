/* Shared by the guest DT writers (guest_fdt.c, guest_fdt_device.c, guest_fdt_pci.c); not an interface. */
#ifndef CORE_GUEST_FDT_INTERNAL_H
#define CORE_GUEST_FDT_INTERNAL_H

#include <libfdt.h>
#include <tessera/guest_fdt.h>

#define NODE_NAME_MAX 48 /* "<name>@" + 16 hex digits + NUL, with room */

/* Returns from the enclosing function on the first libfdt error. */
#define FDT_TRY(expr)                                                                    \
	do {                                                                             \
		int fdt_try_err_ = (expr);                                               \
		if (fdt_try_err_)                                                        \
			return fdt_try_err_;                                             \
	} while (0)

/* Interrupt specifier cells of the arm,gic-v3 binding */
#define GIC_DT_SPI 0
#define GIC_DT_PPI 1
#define GIC_DT_LEVEL_HIGH 4
#define GIC_DT_EDGE_RISING 1

/* Begins node "<name>@<unit in hex>". */
int begin_node_at(void *fdt, const char *name, u64 unit);
/* One interrupt specifier of the GICv3 binding: <type number flags>, level-high. */
void gic_spec(fdt32_t *cells, u32 intid);
/* A channel end's tessera,name, tessera,peer and tessera,read-only properties. */
int channel_names(void *fdt, const struct guest_fdt_channel *c);
/* A PCI channel end's host bridge (guest_fdt_pci.c), PCI domain @domain. */
int node_pci_channel(void *fdt, const struct guest_fdt_channel *c, u32 domain);

#endif
