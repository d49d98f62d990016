/*
 * test=net (nettest.h): every virtio-net device of the DT pings its peer
 * and answers pings. Under Tessera one device per VM: two bare-metal VMs
 * ping each other. Natively (QEMU, two virtio-net devices on one hub) the
 * one guest pings itself from device to device: the driver's self-test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "gic.h"
#include "nettest.h"
#include "rt.h"
#include "timer.h"

#define NET_LINGER_US 2000000 /* answer the peer this long after the last request it sent */
#define NET_POLL_US 10000

void net_args_parse(const char *cmdline, struct net_args *a)
{
	size_t len;
	const char *v;

	memset(a, 0, sizeof(*a));
	a->frames = NET_FRAMES_DEFAULT;
	a->every_us = NET_EVERY_US_DEFAULT;
	a->seconds = NET_SECONDS_DEFAULT;
	v = arg_find(cmdline, "net_ip", &len);
	a->given = v != NULL;
	if (v && !netping_parse_ip(v, len, &a->ip))
		a->err = "net_ip is not a.b.c.d";
	v = arg_find(cmdline, "net_peer", &len);
	if (v && !netping_parse_ip(v, len, &a->peer_ip))
		a->err = "net_peer is not a.b.c.d";
	v = arg_find(cmdline, "net_frames", &len);
	if (v)
		a->frames = (u32)strtoul(v, NULL, 0);
	if (a->frames > 0xffff)
		a->err = "net_frames is above 65535 (the ICMP sequence)";
	v = arg_find(cmdline, "net_every_us", &len);
	if (v)
		a->every_us = strtoul(v, NULL, 0);
	v = arg_find(cmdline, "net_seconds", &len);
	if (v)
		a->seconds = strtoul(v, NULL, 0);
}

const char *net_start(const struct dt_info *info, unsigned int idx, const struct net_args *a,
		      u16 tx_num, struct netping *p)
{
	static char why[96];
	const char *err = NULL;
	unsigned int n = vnet_probe(info, &err);
	struct vnet_dev *d = vnet_at(idx);

	if (!d) {
		snprintf(why, sizeof(why), "%u virtio-net devices in the DT%s%s", n, err ? "; " : "",
			 err ? err : "");
		return why;
	}
	err = vnet_setup(d, tx_num);
	if (err) {
		snprintf(why, sizeof(why), "virtio-net at 0x%llx: %s", (unsigned long long)d->base, err);
		return why;
	}
	netping_init(p, d, a->ip + idx, a->peer_ip, a->frames, a->every_us);
	return NULL;
}

void net_say_start(unsigned int idx, const struct netping *p)
{
	const u8 *m = p->dev->mac;
	char ip[16], peer[16];

	say("net: eth%u at 0x%llx, INTID %u, mac %02x:%02x:%02x:%02x:%02x:%02x, ip %s, peer %s", idx,
	    (unsigned long long)p->dev->base, p->dev->intid, m[0], m[1], m[2], m[3], m[4], m[5],
	    netping_ip_text(p->ip, ip), netping_ip_text(p->peer_ip, peer));
}

unsigned int net_sleep(const struct dt_info *info, u64 us)
{
	unsigned int taken = 0;
	u32 intid;

	timer_irq_start(timer_count() + timer_us_to_ticks(us));
	/* Anything pending at the GIC ends WFI with IRQs masked; it is acknowledged below. */
	__asm__ volatile("wfi" : : : "memory");
	while ((intid = gic_ack()) < GIC_INTID_SPECIAL) {
		struct vnet_dev *d = vnet_by_intid(intid);

		if (intid == info->vtimer_intid)
			timer_stop(); /* deasserts the level PPI before it is ended */
		else if (d) {
			vnet_ack(d);
			taken++;
		}
		gic_eoi(intid);
	}
	timer_stop();
	return taken;
}

static void say_result(unsigned int idx, const struct netping *p)
{
	char peer[16];

	say("net: eth%u: sent %u echo requests to %s, %u replies; answered %u echo requests, %u ARP "
	    "requests; %llu frames received, %llu interrupts%s%s",
	    idx, p->sent, netping_ip_text(p->peer_ip, peer), p->replies, p->echo_answered,
	    p->arp_answered, (unsigned long long)p->dev->rx_frames,
	    (unsigned long long)p->dev->irqs,
	    p->dev->live ? "" : "; device stopped: ", p->dev->live ? "" : p->dev->err);
}

bool test_net(const struct dt_info *info, const struct net_args *a)
{
	static struct netping pings[VNET_MAX_DEVS];
	struct net_args peers = *a;
	unsigned int n = 0;
	const char *err = a->err ? a->err : !a->given ? "net_ip= is needed" : vtimer_irq_setup(info);
	u64 now, end, last_request = 0;
	u32 answered = 0;
	bool ok = true;

	for (unsigned int i = 0; !err && i < VNET_MAX_DEVS; i++) {
		const char *why;

		if (i && !vnet_at(i))
			break;
		/* Two devices and no peer named: each pings the other (natively, through a hub). */
		if (!a->peer_ip)
			peers.peer_ip = i ? a->ip : a->ip + 1;
		why = net_start(info, i, &peers, VNET_QUEUE_NUM, &pings[i]);
		if (why) {
			err = why;
			break;
		}
		err = vnet_irq_enable(pings[i].dev);
		net_say_start(i, &pings[i]);
		n++;
	}
	if (err) {
		say("net: FAILED (%s)", err);
		return false;
	}
	now = timer_count();
	end = now + timer_us_to_ticks(a->seconds * 1000000);
	for (; now < end; now = timer_count()) {
		bool done = true;
		u32 ans = 0;

		for (unsigned int i = 0; i < n; i++) {
			netping_poll(&pings[i], now);
			done = done && pings[i].replies >= pings[i].frames;
			ans += pings[i].echo_answered + pings[i].arp_answered;
		}
		if (ans != answered || !last_request) {
			answered = ans;
			last_request = now;
		}
		if (done && now - last_request >= timer_us_to_ticks(NET_LINGER_US))
			break;
		net_sleep(info, a->every_us < NET_POLL_US ? a->every_us : NET_POLL_US);
	}
	for (unsigned int i = 0; i < n; i++) {
		say_result(i, &pings[i]);
		ok = ok && pings[i].replies == pings[i].frames && pings[i].dev->live;
	}
	say("check net: %s", ok ? "ok" : "FAILED (replies missing or a device stopped)");
	return ok;
}
