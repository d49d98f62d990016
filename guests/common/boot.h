/* The first steps every bare-metal guest takes in C, once start.S has the MMU on. */
#ifndef GUEST_BOOT_H
#define GUEST_BOOT_H

#include "dt.h"

/*
 * Reads the DT at @dtb into @info, maps the guest's /memory bank Normal,
 * selects the PL011 and the PSCI conduit it names. When the tree cannot be
 * used it says why (if the PL011 was found first) and powers off.
 */
void guest_boot(u64 dtb, struct dt_info *info);

#endif
