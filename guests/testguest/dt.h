/* What the test guest learns from its device tree (libfdt, read-only). */
#ifndef TESTGUEST_DT_H
#define TESTGUEST_DT_H

#include "guest.h"
#include "psci.h"

struct dt_info {
	u64 fdt;                  /* physical address of the DTB */
	u64 fdt_size;             /* header totalsize */
	const char *bootargs;     /* /chosen/bootargs, "" when absent */
	struct range memory;      /* the /memory bank holding the image */
	struct range uart;        /* the PL011 /chosen/stdout-path names */
	enum smccc_conduit psci;  /* /psci method, CONDUIT_NONE when absent */
};

/*
 * Reads @fdt. Returns NULL, or a short reason (naming the node) when the
 * tree cannot be used: bad header, no memory holding the image, no PL011.
 */
const char *dt_read(u64 fdt, struct dt_info *info);

#endif
