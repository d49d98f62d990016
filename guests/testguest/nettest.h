/*
 * test=net and test=nethostile (README.md, "Networks"), and what test=rt's
 * net options share with them: the bootargs, starting a virtio-net device
 * with a pinger, waiting in WFI for the next frame or deadline.
 */
#ifndef TESTGUEST_NETTEST_H
#define TESTGUEST_NETTEST_H

#include "dt.h"
#include "netping.h"

#define NET_FRAMES_DEFAULT 100
#define NET_EVERY_US_DEFAULT 1000
#define NET_SECONDS_DEFAULT 30

/* net_ip=, net_peer=, net_frames=, net_every_us=, net_seconds= */
struct net_args {
	bool given;      /* net_ip= was given */
	u32 ip, peer_ip; /* peer_ip 0: none given */
	u32 frames;
	u64 every_us, seconds;
	const char *err; /* a malformed value */
};

void net_args_parse(const char *cmdline, struct net_args *a);

/*
 * Probes the DT's virtio-net devices and sets up device @idx with a pinger
 * of @a->peer_ip on it (tx queue of @tx_num); NULL, or why not.
 */
const char *net_start(const struct dt_info *info, unsigned int idx, const struct net_args *a,
		      u16 tx_num, struct netping *p);

/* "net: eth<idx> mac .., ip .., peer .." */
void net_say_start(unsigned int idx, const struct netping *p);

/*
 * After the GIC and the virtual timer's PPI are set up (vtimer_irq_setup) and
 * the devices' SPIs enabled: WFI until an interrupt or @us passed; whatever
 * is pending is acknowledged with IRQs masked (a device's InterruptStatus
 * too). Returns the device interrupts taken.
 */
unsigned int net_sleep(const struct dt_info *info, u64 us);

bool test_net(const struct dt_info *info, const struct net_args *a);
bool test_nethostile(const struct dt_info *info, const struct net_args *a);

#endif
