/* guest_boot() (boot.h). */
#include "boot.h"
#include "mmu.h"
#include "psci.h"
#include "uart.h"

void guest_boot(u64 dtb, struct dt_info *info)
{
	const char *err = dt_read(dtb, info);

	if (info->memory.size && !mmu_map_normal(info->memory.base, info->memory.size))
		err = "the /memory bank lies beyond the 39-bit identity map";
	if (info->uart.size)
		uart_init(info->uart.base);
	if (info->psci != CONDUIT_NONE)
		psci_set_conduit(info->psci);
	if (err) {
		/* Only visible when the PL011 was found before the problem. */
		say("cannot use the device tree at 0x%llx: %s; powering off",
		    (unsigned long long)dtb, err);
		psci_system_off();
	}
}
