/*
 * What a real NIC puts on the wire for a frame a virtio-net driver handed
 * over with offloads (virtio 1.2, 5.1.6.2): the checksum it left partial
 * completed, and a TCP segmentation (GSO) frame cut into MTU-sized segments.
 * Tessera uses them for a receiver that did not negotiate the offloads the
 * sender used (hyp/virt/vnet.c). Pure functions on bytes: everything in the
 * frame was written by a guest and is checked before it is used.
 */
#ifndef VIRT_VNET_OFFLOAD_H
#define VIRT_VNET_OFFLOAD_H

#include <tessera/types.h>
#include <virt/vnet_switch.h>

/* struct virtio_net_hdr's flags and gso_type (virtio 1.2, 5.1.6). */
#define VIRTIO_NET_HDR_F_NEEDS_CSUM 1
#define VIRTIO_NET_HDR_GSO_NONE 0
#define VIRTIO_NET_HDR_GSO_TCPV4 1
#define VIRTIO_NET_HDR_GSO_TCPV6 4
#define VIRTIO_NET_HDR_GSO_ECN 0x80

/* A segment is at most one MTU-sized frame; @seg of vnet_tso_segment() holds that much. */
#define VNET_SEG_MAX ETH_MAX_FRAME
/* The smallest gso_size segmented: bounds the segments per frame to its length / 64. */
#define VNET_TSO_MIN_MSS 64

/*
 * virtio 1.2, 5.1.6.2 (VIRTIO_NET_HDR_F_NEEDS_CSUM): completes a partial
 * checksum in place: the RFC 1071 sum of frame[csum_start, len) (the field
 * holds the pseudo-header's sum on entry), folded and complemented, stored
 * big-endian at csum_start + csum_offset; 0 is stored as 0xffff, equal in
 * one's complement and what UDP needs (RFC 768). False, frame untouched,
 * when the 2-byte field is not inside frame[csum_start, len).
 */
bool vnet_csum_complete(u8 *frame, u32 len, u32 csum_start, u32 csum_offset);

/*
 * A TSO frame a receiver that negotiated TSO may be given whole: the
 * headers vnet_tso_segment() could segment, and its partial checksum
 * (csum_start, csum_offset) on the TCP checksum. What the sender's header
 * says is checked against the frame, so no receiver's stack is handed a
 * large frame it would not have been able to build itself. *@hdrs: the
 * length of its Ethernet, IP and TCP headers (virtio_net_hdr.hdr_len as
 * 5.1.6.4 wants the device to give it).
 */
bool vnet_tso_check(const u8 *frame, u32 len, u8 type, u32 gso_size, u32 csum_start, u32 csum_offset,
		    u32 *hdrs);

/*
 * TCP segmentation of a GSO frame, as a NIC's TSO does (virtio 1.2, 5.1.6.2):
 * Ethernet II, then IPv4 (options allowed, not a fragment) or IPv6 with no
 * extension header, then TCP. Each segment is the frame's headers and the
 * next at most @gso_size payload bytes, built in @seg (VNET_SEG_MAX bytes)
 * and handed to @emit: IPv4 total length, identification + i and header
 * checksum (RFC 791), or IPv6 payload length (RFC 8200); TCP sequence number
 * + offset, FIN and PSH on the last segment only, CWR on the first only, and
 * its checksum computed whole with the pseudo-header (RFC 793 3.1, RFC 8200
 * 8.1). A frame with no payload is one segment. The frame's checksum fields
 * may hold anything on entry. @type is GSO_TCPV4 or GSO_TCPV6, the ECN bit
 * allowed. Returns the number of segments, or -1, nothing emitted, when the
 * frame is not one this can segment: another type or EtherType, bad IP
 * version, IHL < 5, a protocol other than TCP, TCP data offset < 5, headers
 * past the frame's end, @gso_size < VNET_TSO_MIN_MSS or headers + @gso_size
 * over VNET_SEG_MAX.
 */
int vnet_tso_segment(const u8 *frame, u32 len, u8 type, u32 gso_size, u8 *seg,
		     void (*emit)(void *ctx, const u8 *seg, u32 len), void *ctx);

#endif
