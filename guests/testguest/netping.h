/*
 * Just enough IPv4 over a virtio-net device (guests/common/virtio_net.h) to
 * ping and be pinged: ARP requests and replies (RFC 826), ICMP echo
 * requests and replies (RFC 792) with right checksums (RFC 1071). Used by
 * test=rt's net options, test=net and test=nethostile.
 */
#ifndef TESTGUEST_NETPING_H
#define TESTGUEST_NETPING_H

#include "virtio_net.h"

#define NETPING_ICMP_ID 0x7e57 /* the echo identifier this guest's requests carry */

struct netping {
	struct vnet_dev *dev;
	u32 ip, peer_ip;            /* host order */
	u8 peer_mac[VNET_MAC_LEN];
	bool have_peer;             /* an ARP reply from peer_ip arrived */
	u32 frames;                 /* echo requests to send */
	u32 sent;                   /* echo requests sent (sequence 0..sent-1) */
	u32 replies;                /* echo replies from the peer with our id and a sent sequence */
	u32 arp_sent, arp_answered; /* our requests, requests for our ip answered */
	u32 echo_answered;          /* echo requests to us answered */
	u32 rx_other;               /* frames none of the above */
	u64 next_arp, next_echo;    /* counter deadlines */
	u64 arp_every, echo_every;  /* counter ticks */
};

/* "a.b.c.d" into a host-order address; false when it is not one. */
bool netping_parse_ip(const char *s, size_t len, u32 *ip);

/* Starts a pinger of @peer_ip from @ip on @dev: @frames echo requests, one per @echo_us at most. */
void netping_init(struct netping *p, struct vnet_dev *dev, u32 ip, u32 peer_ip, u32 frames,
		  u64 echo_us);

/*
 * Handles every received frame (answers ARP requests and echo requests for
 * our ip, learns the peer's MAC, counts replies), then sends what is due:
 * an ARP request for the peer every second until it answers, then the next
 * echo request. Never waits. @now is CNTVCT_EL0.
 */
void netping_poll(struct netping *p, u64 now);

/* Sends one ARP request for @target from @p's address: a valid frame. */
bool netping_send_arp(struct netping *p, u32 target);

/* "169.254.0.2" into @buf. */
const char *netping_ip_text(u32 ip, char buf[16]);

#endif
