/* Checksum completion and TCP segmentation for a network's frames (virt/vnet_offload.h). */
#include <string.h>
#include <virt/vnet_offload.h>

#define ETHERTYPE_OFF 12
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define IPPROTO_TCP 6

/* RFC 791 3.1: the IPv4 header's fields. */
#define IP4_HDR_MIN 20
#define IP4_TOT_LEN 2
#define IP4_ID 4
#define IP4_FRAG 6 /* flags and fragment offset */
#define IP4_FRAG_MF_OFFSET 0x3fff
#define IP4_PROTO 9
#define IP4_CSUM 10
#define IP4_SRC 12 /* then the destination: 8 bytes in all */
/* RFC 8200 3: the IPv6 header's fields. */
#define IP6_HDR_LEN 40
#define IP6_PAYLOAD_LEN 4
#define IP6_NEXT_HDR 6
#define IP6_SRC 8 /* then the destination: 32 bytes in all */
/* RFC 793 3.1 (and RFC 3168 6.1 for CWR): the TCP header's fields. */
#define TCP_HDR_MIN 20
#define TCP_SEQ 4
#define TCP_DOFF 12
#define TCP_FLAGS 13
#define TCP_CSUM 16
#define TCP_FIN 0x01
#define TCP_PSH 0x08
#define TCP_CWR 0x80

static u16 get16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static u32 get32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void put16(u8 *p, u16 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

static void put32(u8 *p, u32 v)
{
	put16(p, (u16)(v >> 16));
	put16(p + 2, (u16)v);
}

/* RFC 1071 2(1): @sum plus the 16-bit big-endian words of @p, an odd last byte padded with 0. */
static u64 csum_add(u64 sum, const u8 *p, u32 len)
{
	u32 i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (i < len)
		sum += (u32)p[i] << 8;
	return sum;
}

/* RFC 1071 2(1)-(3): the end-around carries folded in, complemented. */
static u16 csum_final(u64 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

bool vnet_csum_complete(u8 *frame, u32 len, u32 csum_start, u32 csum_offset)
{
	u16 csum;

	if (csum_start > len || len - csum_start < 2 || csum_offset > len - csum_start - 2)
		return false;
	csum = csum_final(csum_add(0, frame + csum_start, len - csum_start));
	put16(frame + csum_start + csum_offset, csum ? csum : 0xffff);
	return true;
}

/* Where a GSO frame's headers are, read from the frame and checked. */
struct tso_frame {
	bool v6;
	u32 ip;   /* offset of the IP header */
	u32 tcp;  /* of the TCP header */
	u32 hdrs; /* of the payload: every header's length */
};

static bool tso_parse(const u8 *frame, u32 len, u8 type, u32 gso_size, struct tso_frame *f)
{
	u8 gso = type & (u8)~VIRTIO_NET_HDR_GSO_ECN;
	u32 iphlen, tcphlen;

	if (gso != VIRTIO_NET_HDR_GSO_TCPV4 && gso != VIRTIO_NET_HDR_GSO_TCPV6)
		return false;
	f->v6 = gso == VIRTIO_NET_HDR_GSO_TCPV6;
	f->ip = ETH_HDR_LEN;
	if (len < f->ip + (f->v6 ? IP6_HDR_LEN : IP4_HDR_MIN))
		return false;
	if (get16(frame + ETHERTYPE_OFF) != (f->v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4) ||
	    frame[f->ip] >> 4 != (f->v6 ? 6 : 4))
		return false;
	if (f->v6) {
		/* No extension header: TCP right after the fixed header (RFC 8200 4). */
		if (frame[f->ip + IP6_NEXT_HDR] != IPPROTO_TCP)
			return false;
		iphlen = IP6_HDR_LEN;
	} else {
		iphlen = (frame[f->ip] & 0xfu) * 4;
		if (iphlen < IP4_HDR_MIN || frame[f->ip + IP4_PROTO] != IPPROTO_TCP ||
		    get16(frame + f->ip + IP4_FRAG) & IP4_FRAG_MF_OFFSET)
			return false;
	}
	f->tcp = f->ip + iphlen;
	if (len < f->tcp + TCP_HDR_MIN)
		return false;
	tcphlen = (u32)(frame[f->tcp + TCP_DOFF] >> 4) * 4;
	f->hdrs = f->tcp + tcphlen;
	/* At most 14 + 60 + 60 bytes of headers: the sums below cannot wrap. */
	return tcphlen >= TCP_HDR_MIN && len >= f->hdrs && gso_size >= VNET_TSO_MIN_MSS &&
	       gso_size <= VNET_SEG_MAX - f->hdrs;
}

/* The IP header and TCP checksum of a segment with @tcplen bytes of TCP header and payload. */
static void tso_fix_checksums(u8 *seg, const struct tso_frame *f, u32 tcplen)
{
	u64 sum;

	if (f->v6) {
		/* RFC 8200 8.1: source, destination, upper-layer length (32 bits), next header. */
		sum = csum_add(0, seg + f->ip + IP6_SRC, 32) + (tcplen >> 16) + (tcplen & 0xffff) +
		      IPPROTO_TCP;
	} else {
		put16(seg + f->ip + IP4_CSUM, 0);
		put16(seg + f->ip + IP4_CSUM, csum_final(csum_add(0, seg + f->ip, f->tcp - f->ip)));
		/* RFC 793 3.1: source, destination, zero and protocol, TCP length. */
		sum = csum_add(0, seg + f->ip + IP4_SRC, 8) + IPPROTO_TCP + tcplen;
	}
	put16(seg + f->tcp + TCP_CSUM, 0);
	put16(seg + f->tcp + TCP_CSUM, csum_final(csum_add(sum, seg + f->tcp, tcplen)));
}

bool vnet_tso_check(const u8 *frame, u32 len, u8 type, u32 gso_size, u32 csum_start, u32 csum_offset,
		    u32 *hdrs)
{
	struct tso_frame f;

	/* 5.1.6.2: a TSO frame's partial checksum is its TCP checksum. */
	if (!tso_parse(frame, len, type, gso_size, &f) || csum_start != f.tcp || csum_offset != TCP_CSUM)
		return false;
	*hdrs = f.hdrs;
	return true;
}

int vnet_tso_segment(const u8 *frame, u32 len, u8 type, u32 gso_size, u8 *seg,
		     void (*emit)(void *ctx, const u8 *seg, u32 len), void *ctx)
{
	struct tso_frame f;
	u32 payload, off = 0, seq, i = 0;
	u16 id;

	if (!tso_parse(frame, len, type, gso_size, &f))
		return -1;
	payload = len - f.hdrs;
	seq = get32(frame + f.tcp + TCP_SEQ);
	id = f.v6 ? 0 : get16(frame + f.ip + IP4_ID);
	/* Each turn takes gso_size >= 64 bytes of the frame: at most len / 64 + 1 turns. */
	do {
		u32 n = payload - off < gso_size ? payload - off : gso_size;
		bool last = off + n == payload;
		u8 flags = frame[f.tcp + TCP_FLAGS];

		memcpy(seg, frame, f.hdrs);
		memcpy(seg + f.hdrs, frame + f.hdrs + off, n);
		if (f.v6) {
			put16(seg + f.ip + IP6_PAYLOAD_LEN, (u16)(f.hdrs - f.tcp + n));
		} else {
			put16(seg + f.ip + IP4_TOT_LEN, (u16)(f.hdrs - f.ip + n));
			put16(seg + f.ip + IP4_ID, (u16)(id + i));
		}
		put32(seg + f.tcp + TCP_SEQ, seq + off);
		if (!last)
			flags &= (u8)~(TCP_FIN | TCP_PSH);
		if (i)
			flags &= (u8)~TCP_CWR;
		seg[f.tcp + TCP_FLAGS] = flags;
		tso_fix_checksums(seg, &f, f.hdrs - f.tcp + n);
		emit(ctx, seg, f.hdrs + n);
		off += n;
		i++;
	} while (off < payload);
	return (int)i;
}
