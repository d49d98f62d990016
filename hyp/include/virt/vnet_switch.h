/*
 * The switch of a network (hyp/virt/vnet.c): where a frame goes, decided
 * from Tessera's own copy of its Ethernet header (IEEE 802.3, 3.1.1) and
 * the members' MACs from the config, which never change. No learning: a
 * member's MAC is its device's (the guest reads it from its config space),
 * and a frame from any other source MAC is dropped, so no VM can pose as
 * another or flood the network with addresses.
 */
#ifndef VIRT_VNET_SWITCH_H
#define VIRT_VNET_SWITCH_H

#include <tessera/config.h>
#include <tessera/types.h>

#define ETH_HDR_LEN 14
#define ETH_MIN_FRAME ETH_HDR_LEN           /* a header, even with no payload */
#define ETH_MAX_FRAME (ETH_HDR_LEN + 1500)  /* MTU 1500, no VLAN tag, no FCS */

_Static_assert(CONFIG_MAX_NET_MEMBERS <= 32, "a route is a 32-bit member mask");

enum vswitch_drop {
	VSWITCH_FORWARD,
	VSWITCH_DROP_SPOOFED,  /* source MAC is not the sender's */
	VSWITCH_DROP_UNKNOWN,  /* unicast to no member */
	VSWITCH_DROP_SELF,     /* unicast to the sender itself */
};

/*
 * The members (bit i: member i of @macs) frame @eth goes to, from member
 * @src of @count; 0 when it is dropped, *why says why. @eth holds at least
 * ETH_HDR_LEN bytes. Broadcast and multicast (I/G bit of the destination)
 * go to every other member.
 */
u32 vswitch_route(const u8 (*macs)[CONFIG_MAC_LEN], unsigned int count, unsigned int src,
		  const u8 *eth, enum vswitch_drop *why);

#endif
