/* Shared by the guest DT writers (guest_fdt.c, guest_fdt_device.c); not an interface. */
#ifndef CORE_GUEST_FDT_INTERNAL_H
#define CORE_GUEST_FDT_INTERNAL_H

#include <libfdt.h>

#define NODE_NAME_MAX 48 /* "<name>@" + 16 hex digits + NUL, with room */

/* Returns from the enclosing function on the first libfdt error. */
#define FDT_TRY(expr)                                                                    \
	do {                                                                             \
		int fdt_try_err_ = (expr);                                               \
		if (fdt_try_err_)                                                        \
			return fdt_try_err_;                                             \
	} while (0)

/* Begins node "<name>@<unit in hex>". */
int begin_node_at(void *fdt, const char *name, u64 unit);

#endif
