/* ARP and ICMP echo over virtio-net (netping.h). Every frame received is checked before use. */
#include <stdio.h>
#include <string.h>

#include "netping.h"
#include "timer.h"

#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define ETH_P_ARP 0x0806
#define ARP_LEN 28      /* Ethernet/IPv4 ARP body */
#define ARP_REQUEST 1
#define ARP_REPLY 2
#define IP_HLEN 20      /* no options sent; received options are skipped */
#define IP_PROTO_ICMP 1
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8
#define ICMP_HLEN 8
#define ECHO_DATA 56    /* ping's default payload */
#define ARP_EVERY_US 1000000

static const u8 broadcast[VNET_MAC_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void put16(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

static void put32(u8 *p, u32 v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static u32 get16(const u8 *p)
{
	return (u32)p[0] << 8 | p[1];
}

static u32 get32(const u8 *p)
{
	return get16(p) << 16 | get16(p + 2);
}

/* RFC 1071: the ones' complement of the ones' complement sum of 16-bit words. */
static u32 csum(const u8 *p, u32 len)
{
	u32 sum = 0;

	for (u32 i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (u32)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

bool netping_parse_ip(const char *s, size_t len, u32 *ip)
{
	u32 v = 0, part = 0, digits = 0, dots = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i == len || s[i] == '.') {
			if (!digits || part > 255 || (i < len && ++dots > 3))
				return false;
			v = v << 8 | part;
			part = digits = 0;
		} else if (s[i] >= '0' && s[i] <= '9' && digits < 3) {
			part = part * 10 + (u32)(s[i] - '0');
			digits++;
		} else {
			return false;
		}
	}
	if (dots != 3)
		return false;
	*ip = v;
	return true;
}

const char *netping_ip_text(u32 ip, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
	return buf;
}

void netping_init(struct netping *p, struct vnet_dev *dev, u32 ip, u32 peer_ip, u32 frames,
		  u64 echo_us)
{
	memset(p, 0, sizeof(*p));
	p->dev = dev;
	p->ip = ip;
	p->peer_ip = peer_ip;
	p->frames = frames;
	p->arp_every = timer_us_to_ticks(ARP_EVERY_US);
	p->echo_every = timer_us_to_ticks(echo_us);
}

static void eth_header(u8 *f, const u8 *dst, const u8 *src, u32 type)
{
	memcpy(f, dst, VNET_MAC_LEN);
	memcpy(f + VNET_MAC_LEN, src, VNET_MAC_LEN);
	put16(f + 12, type);
}

static bool send_arp(struct netping *p, u32 op, const u8 *dst_mac, u32 target_ip)
{
	u8 f[ETH_HLEN + ARP_LEN];
	u8 *a = f + ETH_HLEN;

	eth_header(f, dst_mac, p->dev->mac, ETH_P_ARP);
	put16(a, 1);          /* htype Ethernet */
	put16(a + 2, ETH_P_IP);
	a[4] = VNET_MAC_LEN;
	a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, p->dev->mac, VNET_MAC_LEN);
	put32(a + 14, p->ip);
	memcpy(a + 18, op == ARP_REPLY ? dst_mac : (const u8[VNET_MAC_LEN]){ 0 }, VNET_MAC_LEN);
	put32(a + 24, target_ip);
	return vnet_send(p->dev, f, sizeof(f));
}

bool netping_send_arp(struct netping *p, u32 target)
{
	return send_arp(p, ARP_REQUEST, broadcast, target);
}

/* An IPv4 ICMP echo (request or reply) of @data_len bytes of @data. */
static bool send_echo(struct netping *p, u32 type, const u8 *dst_mac, u32 dst_ip, u32 id, u32 seq,
		      const u8 *data, u32 data_len)
{
	u8 f[VNET_FRAME_MAX];
	u8 *ip = f + ETH_HLEN, *icmp = ip + IP_HLEN;
	u32 total = IP_HLEN + ICMP_HLEN + data_len;

	if (ETH_HLEN + total > sizeof(f))
		return false;
	eth_header(f, dst_mac, p->dev->mac, ETH_P_IP);
	memset(ip, 0, IP_HLEN);
	ip[0] = 0x45; /* IPv4, 5 words */
	put16(ip + 2, total);
	put16(ip + 4, seq);    /* identification */
	put16(ip + 6, 0x4000); /* DF */
	ip[8] = 64;            /* TTL */
	ip[9] = IP_PROTO_ICMP;
	put32(ip + 12, p->ip);
	put32(ip + 16, dst_ip);
	put16(ip + 10, csum(ip, IP_HLEN));
	icmp[0] = (u8)type;
	icmp[1] = 0;
	put16(icmp + 2, 0);
	put16(icmp + 4, id);
	put16(icmp + 6, seq);
	memcpy(icmp + ICMP_HLEN, data, data_len);
	put16(icmp + 2, csum(icmp, ICMP_HLEN + data_len));
	return vnet_send(p->dev, f, ETH_HLEN + total);
}

static void handle_arp(struct netping *p, const u8 *f, u32 len)
{
	const u8 *a = f + ETH_HLEN;

	if (len < ETH_HLEN + ARP_LEN || get16(a) != 1 || get16(a + 2) != ETH_P_IP ||
	    a[4] != VNET_MAC_LEN || a[5] != 4) {
		p->rx_other++;
		return;
	}
	if (get16(a + 6) == ARP_REQUEST && get32(a + 24) == p->ip) {
		if (send_arp(p, ARP_REPLY, a + 8, get32(a + 14)))
			p->arp_answered++;
	} else if (get16(a + 6) == ARP_REPLY && get32(a + 14) == p->peer_ip &&
		   get32(a + 24) == p->ip) {
		memcpy(p->peer_mac, a + 8, VNET_MAC_LEN);
		p->have_peer = true;
	} else {
		p->rx_other++;
	}
}

static void handle_ip(struct netping *p, const u8 *f, u32 len)
{
	const u8 *ip = f + ETH_HLEN, *icmp;
	u32 ihl, total, icmp_len;

	if (len < ETH_HLEN + IP_HLEN || (ip[0] >> 4) != 4)
		goto other;
	ihl = (ip[0] & 0xf) * 4U;
	total = get16(ip + 2);
	if (ihl < IP_HLEN || total < ihl + ICMP_HLEN || ETH_HLEN + total > len || csum(ip, ihl) ||
	    ip[9] != IP_PROTO_ICMP || get32(ip + 16) != p->ip || (get16(ip + 6) & 0x3fff))
		goto other; /* not ours, a bad header checksum or a fragment */
	icmp = ip + ihl;
	icmp_len = total - ihl;
	if (csum(icmp, icmp_len))
		goto other;
	if (icmp[0] == ICMP_ECHO_REQUEST && icmp[1] == 0) {
		if (send_echo(p, ICMP_ECHO_REPLY, f + VNET_MAC_LEN, get32(ip + 12), get16(icmp + 4),
			      get16(icmp + 6), icmp + ICMP_HLEN, icmp_len - ICMP_HLEN))
			p->echo_answered++;
		return;
	}
	if (icmp[0] == ICMP_ECHO_REPLY && get32(ip + 12) == p->peer_ip &&
	    get16(icmp + 4) == NETPING_ICMP_ID && get16(icmp + 6) < p->sent) {
		p->replies++;
		return;
	}
other:
	p->rx_other++;
}

static void send_due(struct netping *p, u64 now)
{
	u8 data[ECHO_DATA];

	if (!p->have_peer) {
		if (now >= p->next_arp && netping_send_arp(p, p->peer_ip)) {
			p->arp_sent++;
			p->next_arp = now + p->arp_every;
		}
		return;
	}
	if (p->sent >= p->frames || now < p->next_echo)
		return;
	for (u32 i = 0; i < ECHO_DATA; i++)
		data[i] = (u8)(p->sent + i);
	if (send_echo(p, ICMP_ECHO_REQUEST, p->peer_mac, p->peer_ip, NETPING_ICMP_ID, p->sent & 0xffff,
		      data, ECHO_DATA)) {
		p->sent++;
		/* On a schedule, not from now: a poll a little late still sends at the set rate. */
		p->next_echo = p->next_echo && now - p->next_echo < p->echo_every ? p->next_echo + p->echo_every
										  : now + p->echo_every;
	}
}

void netping_poll(struct netping *p, u64 now)
{
	static u8 f[VNET_FRAME_MAX];
	u32 len;

	while ((len = vnet_recv(p->dev, f)) != 0) {
		u32 type = get16(f + 12);

		if (memcmp(f, p->dev->mac, VNET_MAC_LEN) && memcmp(f, broadcast, VNET_MAC_LEN))
			p->rx_other++;
		else if (type == ETH_P_ARP)
			handle_arp(p, f, len);
		else if (type == ETH_P_IP)
			handle_ip(p, f, len);
		else
			p->rx_other++;
	}
	send_due(p, now);
}
