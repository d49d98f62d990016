/* Forwarding decisions of a network's switch (virt/vnet_switch.h). */
#include <string.h>
#include <virt/vnet_switch.h>

#define ETH_DST 0
#define ETH_SRC 6
#define ETH_ADDR_GROUP 0x01 /* I/G bit of the first octet: broadcast or multicast (IEEE 802, 8.2) */

u32 vswitch_route(const u8 (*macs)[CONFIG_MAC_LEN], unsigned int count, unsigned int src,
		  const u8 *eth, enum vswitch_drop *why)
{
	u32 all = count >= 32 ? ~0U : (1U << count) - 1;

	if (src >= count || memcmp(eth + ETH_SRC, macs[src], CONFIG_MAC_LEN)) {
		*why = VSWITCH_DROP_SPOOFED;
		return 0;
	}
	if (eth[ETH_DST] & ETH_ADDR_GROUP) {
		*why = VSWITCH_FORWARD;
		return all & ~(1U << src);
	}
	for (unsigned int i = 0; i < count; i++) {
		if (memcmp(eth + ETH_DST, macs[i], CONFIG_MAC_LEN))
			continue;
		*why = i == src ? VSWITCH_DROP_SELF : VSWITCH_FORWARD;
		return i == src ? 0 : 1U << i;
	}
	*why = VSWITCH_DROP_UNKNOWN;
	return 0;
}
