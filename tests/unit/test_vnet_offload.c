/*
 * Checksum completion and TCP segmentation (hyp/virt/vnet_offload.c): every
 * checksum checked with this file's own RFC 1071 sum over hand-built IPv4,
 * IPv6, TCP and UDP packets; segments checked field by field (lengths, ids,
 * sequence numbers, flags, checksums, payload in order); frames it cannot
 * segment refused with nothing emitted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <virt/vnet_offload.h>
#include "inet_ref.h"

#define MAX_SEGS 16
#define TCP_OPTS 12 /* NOP, NOP, timestamps: a 32-byte TCP header, as Linux sends */
#define L3 14

static u8 frame[12000];
static u8 seg_buf[VNET_SEG_MAX];
static u8 segs[MAX_SEGS][VNET_SEG_MAX];
static u32 seg_len[MAX_SEGS];
static unsigned int nsegs;

static void collect(void *ctx, const u8 *seg, u32 len)
{
	assert_ptr_equal(ctx, &nsegs);
	assert_true(len <= VNET_SEG_MAX);
	assert_true(nsegs < MAX_SEGS);
	memcpy(segs[nsegs], seg, len);
	seg_len[nsegs++] = len;
}

static int segment(u32 len, u8 type, u32 gso_size)
{
	nsegs = 0;
	return vnet_tso_segment(frame, len, type, gso_size, seg_buf, collect, &nsegs);
}

static void set16(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

/* The pseudo-header's sum for @len bytes of transport header and data (RFC 793 3.1, RFC 8200 8.1). */
static u32 pseudo(const u8 *ip, bool v6, u8 proto, u32 len)
{
	return v6 ? sum16(ip + 8, 32) + len + proto : sum16(ip + 12, 8) + len + proto;
}

/* A packet whose checksum verifies: the sum over it, pseudo-header included, is 0xffff. */
static bool transport_ok(const u8 *ip, bool v6, u8 proto, const u8 *l4, u32 len)
{
	return fold(pseudo(ip, v6, proto, len) + sum16(l4, len)) == 0xffff;
}

static void fill_payload(u8 *p, u32 len)
{
	for (u32 i = 0; i < len; i++)
		p[i] = (u8)(i * 7 + i / 251);
}

static void eth(u16 type)
{
	static const u8 macs[12] = { 0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1 };

	memcpy(frame, macs, 12);
	set16(frame + 12, type);
}

/* IPv4 (IHL 5 + @opt_words) and a TCP header with timestamps; returns the TCP offset. */
static u32 build_v4_tcp(u32 payload, unsigned int opt_words, u8 flags)
{
	u8 *ip = frame + L3;
	u32 ihl = 5 + opt_words, tcp = L3 + ihl * 4;

	memset(frame, 0, sizeof(frame));
	eth(0x0800);
	ip[0] = (u8)(0x40 | ihl);
	set16(ip + 2, 0xdead); /* the GSO frame's own total length: not what a segment says */
	set16(ip + 4, 0xfffe); /* identification: wraps in the third segment */
	ip[6] = 0x40;          /* DF */
	ip[8] = 64;
	ip[9] = 6;
	set16(ip + 10, 0x1234); /* anything: recomputed */
	memcpy(ip + 12, (const u8[]){ 169, 254, 0, 1, 169, 254, 0, 2 }, 8);
	for (unsigned int i = 0; i < opt_words * 4; i++)
		ip[20 + i] = 1; /* NOP options */
	set16(frame + tcp, 40000);
	set16(frame + tcp + 2, 5001);
	set16(frame + tcp + 4, 0xffff); /* sequence 0xfffff000: wraps in the third segment */
	set16(frame + tcp + 6, 0xf000);
	set16(frame + tcp + 8, 0x0102);
	frame[tcp + 12] = (20 + TCP_OPTS) / 4 << 4;
	frame[tcp + 13] = flags;
	set16(frame + tcp + 14, 501);
	set16(frame + tcp + 16, 0xbeef); /* a partial checksum or anything */
	memcpy(frame + tcp + 20, (const u8[]){ 1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 7 }, TCP_OPTS);
	fill_payload(frame + tcp + 20 + TCP_OPTS, payload);
	return tcp;
}

static u32 build_v6_tcp(u32 payload, u8 flags)
{
	u8 *ip = frame + L3;
	u32 tcp = L3 + 40;

	memset(frame, 0, sizeof(frame));
	eth(0x86dd);
	ip[0] = 0x60;
	set16(ip + 4, 0); /* a jumbo GSO frame's payload length may be anything */
	ip[6] = 6;
	ip[7] = 64;
	ip[8] = 0xfe;
	ip[9] = 0x80;
	ip[23] = 1;
	ip[24] = 0xfe;
	ip[25] = 0x80;
	ip[39] = 2;
	set16(frame + tcp, 40000);
	set16(frame + tcp + 2, 5001);
	set16(frame + tcp + 4, 0x0001);
	frame[tcp + 12] = (20 + TCP_OPTS) / 4 << 4;
	frame[tcp + 13] = flags;
	memcpy(frame + tcp + 20, (const u8[]){ 1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 7 }, TCP_OPTS);
	fill_payload(frame + tcp + 20 + TCP_OPTS, payload);
	return tcp;
}

static void test_csum_rfc1071_example(void **state)
{
	/* RFC 1071 3: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2; the checksum is its complement. */
	u8 b[10] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7, 0, 0 };

	(void)state;
	assert_true(vnet_csum_complete(b, sizeof(b), 0, 8));
	assert_int_equal(be16(b + 8), 0x220d);
	/* Odd length: the last byte is the high half of a word padded with 0. */
	u8 c[5] = { 0, 0, 0x12, 0x34, 0x56 };
	assert_true(vnet_csum_complete(c, sizeof(c), 0, 0));
	assert_int_equal(be16(c), (u16)~(0x1234 + 0x5600));
}

static void test_csum_completes_tcp_v4_and_v6(void **state)
{
	u32 tcp, len;

	(void)state;
	for (int v6 = 0; v6 <= 1; v6++) {
		tcp = v6 ? build_v6_tcp(1000, 0x18) : build_v4_tcp(1000, 0, 0x18);
		len = tcp + 32 + 1000;
		/* What Linux hands over: the folded pseudo-header sum in the field (5.1.6.2). */
		set16(frame + tcp + 16, fold(pseudo(frame + L3, v6, 6, len - tcp)));
		assert_true(vnet_csum_complete(frame, len, tcp, 16));
		assert_true(transport_ok(frame + L3, v6, 6, frame + tcp, len - tcp));
		frame[len - 1] ^= 1; /* the check above can fail */
		assert_false(transport_ok(frame + L3, v6, 6, frame + tcp, len - tcp));
	}
}

static void test_csum_completes_udp(void **state)
{
	u8 *ip = frame + L3, *udp = frame + L3 + 20;
	u32 ulen = 8 + 333;

	(void)state;
	memset(frame, 0, sizeof(frame));
	eth(0x0800);
	ip[0] = 0x45;
	ip[9] = 17;
	memcpy(ip + 12, (const u8[]){ 169, 254, 7, 1, 169, 254, 9, 2 }, 8);
	set16(udp, 5353);
	set16(udp + 2, 5353);
	set16(udp + 4, ulen);
	fill_payload(udp + 8, ulen - 8);
	set16(udp + 6, fold(pseudo(ip, false, 17, ulen)));
	assert_true(vnet_csum_complete(frame, L3 + 20 + ulen, L3 + 20, 6));
	assert_true(transport_ok(ip, false, 17, udp, ulen));
	assert_int_not_equal(be16(udp + 6), 0);
}

static void test_csum_zero_sent_as_ffff(void **state)
{
	/* A sum of 0xffff complements to 0, which UDP reads as "no checksum" (RFC 768). */
	u8 b[4] = { 0xff, 0xff, 0, 0 };

	(void)state;
	assert_true(vnet_csum_complete(b, sizeof(b), 0, 2));
	assert_int_equal(be16(b + 2), 0xffff);
}

static void test_csum_field_outside_refused(void **state)
{
	static const struct {
		u32 len, start, offset;
	} bad[] = {
		{ 100, 101, 0 },	 /* start past the end */
		{ 100, 100, 0 },	 /* nothing after start */
		{ 100, 99, 0 },		 /* the field's second byte past the end */
		{ 100, 90, 9 },		 /* likewise, at an offset */
		{ 100, 90, 0xfffffffe }, /* an offset that wraps */
		{ 100, 0xffffffff, 3 },
		{ 0, 0, 0 },
	};
	u8 b[100], before[100];

	(void)state;
	for (unsigned int i = 0; i < sizeof(before); i++)
		before[i] = (u8)i;
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		memcpy(b, before, sizeof(b));
		assert_false(vnet_csum_complete(b, bad[i].len, bad[i].start, bad[i].offset));
		assert_memory_equal(b, before, sizeof(b));
	}
	memcpy(b, before, sizeof(b));
	assert_true(vnet_csum_complete(b, 100, 90, 8)); /* the last two bytes: inside */
	assert_memory_equal(b, before, 98);
}

/*
 * The segments of a frame built by build_v*_tcp() with @payload bytes: every
 * header field a NIC's TSO sets, both checksums, and the payload in order.
 */
static void check_segments(bool v6, u32 tcp, u32 payload, u32 mss, u8 flags, unsigned int count)
{
	u32 hdrs = tcp + 32, off = 0;
	const u8 *orig_payload = frame + hdrs;

	assert_int_equal(nsegs, count);
	for (unsigned int i = 0; i < count; i++) {
		const u8 *s = segs[i], *ip = s + L3;
		u32 n = i + 1 < count ? mss : payload - off;
		u8 want = flags;

		assert_int_equal(seg_len[i], hdrs + n);
		assert_memory_equal(s, frame, L3);
		if (v6) {
			assert_int_equal(be16(ip + 4), 32 + n);
			assert_memory_equal(ip + 6, frame + L3 + 6, 34); /* next header .. destination */
		} else {
			assert_int_equal(be16(ip + 2), tcp - L3 + 32 + n);
			assert_int_equal(be16(ip + 4), (u16)(0xfffe + i));
			assert_int_equal(fold(sum16(ip, tcp - L3)), 0xffff); /* header checksum (RFC 791) */
			assert_memory_equal(ip + 12, frame + L3 + 12, tcp - L3 - 12); /* addresses, options */
		}
		assert_int_equal(be32(s + tcp + 4), be32(frame + tcp + 4) + off);
		assert_memory_equal(s + tcp + 8, frame + tcp + 8, 5); /* ack, data offset */
		if (i + 1 < count)
			want &= (u8)~0x09; /* FIN, PSH: the last segment's */
		if (i)
			want &= (u8)~0x80; /* CWR: the first segment's */
		assert_int_equal(s[tcp + 13], want);
		assert_memory_equal(s + tcp + 20, frame + tcp + 20, TCP_OPTS);
		assert_true(transport_ok(ip, v6, 6, s + tcp, 32 + n));
		assert_memory_equal(s + hdrs, orig_payload + off, n);
		off += n;
	}
	assert_int_equal(off, payload);
}

static void test_tso_v4_10000_bytes(void **state)
{
	const u8 flags = 0x80 | 0x10 | 0x08 | 0x01; /* CWR ACK PSH FIN */
	u32 tcp = build_v4_tcp(10000 - 66, 0, flags);

	(void)state;
	assert_int_equal(tcp + 32, 66);
	assert_int_equal(segment(10000, VIRTIO_NET_HDR_GSO_TCPV4 | VIRTIO_NET_HDR_GSO_ECN, 1448), 7);
	check_segments(false, tcp, 10000 - 66, 1448, flags, 7);
	assert_int_equal(seg_len[6], 66 + 9934 - 6 * 1448);
}

static void test_tso_v4_with_ip_options(void **state)
{
	u32 tcp = build_v4_tcp(3000, 3, 0x18);

	(void)state;
	assert_int_equal(segment(tcp + 32 + 3000, VIRTIO_NET_HDR_GSO_TCPV4, 1000), 3);
	check_segments(false, tcp, 3000, 1000, 0x18, 3); /* exactly 3 x 1000: no empty fourth */
}

static void test_tso_v6(void **state)
{
	const u8 flags = 0x80 | 0x10 | 0x08;
	u32 tcp = build_v6_tcp(10000 - 86, flags);

	(void)state;
	assert_int_equal(segment(10000, VIRTIO_NET_HDR_GSO_TCPV6, 1428), 7);
	check_segments(true, tcp, 10000 - 86, 1428, flags, 7);
}

static void test_tso_largest_segment_and_no_payload(void **state)
{
	u32 tcp = build_v4_tcp(4000, 0, 0x10);

	(void)state;
	/* Headers + gso_size = 1514 exactly: allowed; one more byte is not. */
	assert_int_equal(segment(tcp + 32 + 4000, VIRTIO_NET_HDR_GSO_TCPV4, 1514 - 66), 3);
	check_segments(false, tcp, 4000, 1448, 0x10, 3);
	assert_int_equal(seg_len[0], 1514);
	assert_int_equal(segment(tcp + 32, VIRTIO_NET_HDR_GSO_TCPV4, 1448), 1);
	check_segments(false, tcp, 0, 1448, 0x10, 1);
}

/* Each frame refused whole: -1, nothing emitted. */
static void refused(u32 len, u8 type, u32 mss)
{
	assert_int_equal(segment(len, type, mss), -1);
	assert_int_equal(nsegs, 0);
}

static void test_tso_refusals(void **state)
{
	const u8 v4 = VIRTIO_NET_HDR_GSO_TCPV4, v6 = VIRTIO_NET_HDR_GSO_TCPV6;
	u32 tcp, len;

	(void)state;
	tcp = build_v4_tcp(3000, 0, 0x10);
	len = tcp + 32 + 3000;
	assert_int_equal(segment(len, v4, 1448), 3); /* the frame the refusals change */
	refused(len, v6, 1448);                       /* type and EtherType disagree */
	refused(len, VIRTIO_NET_HDR_GSO_NONE, 1448);
	refused(len, 3 /* UDP fragmentation */, 1448);
	refused(len, v4, 0);
	refused(len, v4, 20);
	refused(len, v4, VNET_TSO_MIN_MSS - 1);
	refused(len, v4, 1514 - 66 + 1); /* a segment would exceed 1514 */
	refused(len, v4, 0xffffffff);
	refused(13, v4, 1448);         /* not even an Ethernet header */
	refused(L3 + 19, v4, 1448);    /* truncated IP header */
	refused(tcp + 19, v4, 1448);   /* truncated TCP header */
	refused(tcp + 31, v4, 1448);   /* TCP options cut off */
	frame[L3] = 0x40;              /* IHL 0: "TCP" at 14 would have a data offset of 10 */
	refused(len, v4, 1448);
	frame[L3] = 0x44;              /* IHL 4, a data offset of 8 where TCP would then start */
	frame[tcp + 8] = 8 << 4;
	refused(len, v4, 1448);
	frame[tcp + 8] = 0x01;
	frame[L3] = 0x4f;              /* IHL 15: the TCP header is past the end */
	refused(tcp + 40, v4, 1448);
	frame[L3] = 0x65;              /* version 6 in an IPv4 EtherType */
	refused(len, v4, 1448);
	frame[L3] = 0x45;
	frame[L3 + 9] = 17;            /* UDP */
	refused(len, v4, 1448);
	frame[L3 + 9] = 6;
	frame[L3 + 6] = 0x20;          /* more fragments */
	refused(len, v4, 1448);
	frame[L3 + 6] = 0x00;
	frame[L3 + 7] = 0x01;          /* a fragment offset */
	refused(len, v4, 1448);
	frame[L3 + 7] = 0;
	frame[tcp + 12] = 4 << 4;      /* TCP data offset 4 */
	refused(len, v4, 1448);
	frame[tcp + 12] = 8 << 4;
	set16(frame + 12, 0x8100);     /* a VLAN tag */
	refused(len, v4, 1448);

	tcp = build_v6_tcp(3000, 0x10);
	len = tcp + 32 + 3000;
	assert_int_equal(segment(len, v6, 1428), 3);
	refused(len, v6, 1514 - 86 + 1);
	refused(len, v4, 1428);
	refused(L3 + 39, v6, 1428);
	refused(tcp + 19, v6, 1428);
	frame[L3 + 6] = 0;             /* a hop-by-hop options extension header */
	refused(len, v6, 1428);
	frame[L3 + 6] = 44;            /* a fragment header */
	refused(len, v6, 1428);
	frame[L3 + 6] = 6;
	frame[L3] = 0x40;              /* version 4 in an IPv6 EtherType */
	refused(len, v6, 1428);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csum_rfc1071_example),
		cmocka_unit_test(test_csum_completes_tcp_v4_and_v6),
		cmocka_unit_test(test_csum_completes_udp),
		cmocka_unit_test(test_csum_zero_sent_as_ffff),
		cmocka_unit_test(test_csum_field_outside_refused),
		cmocka_unit_test(test_tso_v4_10000_bytes),
		cmocka_unit_test(test_tso_v4_with_ip_options),
		cmocka_unit_test(test_tso_v6),
		cmocka_unit_test(test_tso_largest_segment_and_no_payload),
		cmocka_unit_test(test_tso_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
