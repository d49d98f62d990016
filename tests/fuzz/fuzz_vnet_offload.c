/*
 * Checksum completion and TCP segmentation (hyp/virt/vnet_offload.c) on any
 * frame and parameters a guest could hand over. Checked, with this file's
 * own RFC 1071 sum: a completed checksum changes only its 2-byte field,
 * which lies inside frame[csum_start, len), and (at an even offset) makes
 * the range verify; a refused one changes nothing and its field was not
 * inside. Segmentation either refuses with nothing emitted, or the frame
 * had the headers it needs (EtherType, IP version, IHL, TCP, data offset,
 * not a fragment, inside the frame; 64 <= gso_size <= 1514 - headers) and:
 * as many segments as it says, at most len / 64 + 1, each at most 1514
 * bytes (ASan: @seg is exactly that), the frame's headers with lengths,
 * id, sequence number and flags set, both checksums verifying, every
 * payload but the last gso_size bytes, the payloads in order summing to
 * the frame's payload.
 *
 * Input: [op u8: bit 0 segmentation, bit 1 fix the frame's EtherType, IP
 * version and protocol for the type][type u8][gso_size u16][csum_start u16]
 * [csum_offset u16][frame: the rest].
 */
#include "fuzz.h"

#include <virt/vnet_offload.h>

#include "../unit/inet_ref.h"

#define HDR_BYTES 8
#define L3 ETH_HDR_LEN

static const u8 *frame;
static u32 frame_len, hdrs, mss, payload_done, ip_hlen;
static unsigned int emitted;
static bool v6;

static void check_csum(const u8 *data, u32 len, u32 start, u32 offset)
{
	u8 *b = malloc(len ? len : 1);
	bool inside = start <= len && len - start >= 2 && offset <= len - start - 2;
	u32 field = start + offset;

	FUZZ_CHECK(b);
	memcpy(b, data, len);
	FUZZ_CHECK(vnet_csum_complete(b, len, start, offset) == inside);
	if (!inside) {
		FUZZ_CHECK(!memcmp(b, data, len));
	} else {
		FUZZ_CHECK(!memcmp(b, data, field) && !memcmp(b + field + 2, data + field + 2, len - field - 2));
		FUZZ_CHECK(be16(b + field) != 0);
		/* The receiver's check: pseudo-header (the field's old value) + range = 0xffff. */
		if (offset % 2 == 0)
			FUZZ_CHECK(fold(sum16(b + start, len - start) + be16(data + field)) == 0xffff);
	}
	free(b);
}

static void check_segment(void *ctx, const u8 *seg, u32 len)
{
	const u8 *ip = seg + L3, *tcp = seg + L3 + ip_hlen;
	u32 n = len - hdrs, tcp_len = len - L3 - ip_hlen;
	bool last;
	u8 want;

	FUZZ_CHECK(ctx == &emitted);
	FUZZ_CHECK(len >= hdrs && len <= VNET_SEG_MAX);
	FUZZ_CHECK(n <= mss && payload_done + n <= frame_len - hdrs);
	last = payload_done + n == frame_len - hdrs;
	FUZZ_CHECK(last || n == mss);
	FUZZ_CHECK(!memcmp(seg, frame, L3));
	FUZZ_CHECK(!memcmp(seg + hdrs, frame + hdrs + payload_done, n));
	if (v6) {
		FUZZ_CHECK(be16(ip + 4) == tcp_len);
		FUZZ_CHECK(fold(sum16(ip + 8, 32) + tcp_len + 6 + sum16(tcp, tcp_len)) == 0xffff);
	} else {
		FUZZ_CHECK(be16(ip + 2) == len - L3);
		FUZZ_CHECK(be16(ip + 4) == (u16)(be16(frame + L3 + 4) + emitted));
		FUZZ_CHECK(fold(sum16(ip, ip_hlen)) == 0xffff);
		FUZZ_CHECK(fold(sum16(ip + 12, 8) + tcp_len + 6 + sum16(tcp, tcp_len)) == 0xffff);
	}
	FUZZ_CHECK(be32(tcp + 4) == be32(frame + L3 + ip_hlen + 4) + payload_done);
	want = frame[L3 + ip_hlen + 13];
	if (!last)
		want &= (u8)~0x09;
	if (emitted)
		want &= (u8)~0x80;
	FUZZ_CHECK(tcp[13] == want);
	payload_done += n;
	emitted++;
}

/* What a segmentable frame must be (virt/vnet_offload.h), from the harness's own reading. */
static bool segmentable(const u8 *f, u32 len, u8 type, u32 gso_size)
{
	u8 gso = type & 0x7f;

	if (gso != 1 && gso != 4)
		return false;
	v6 = gso == 4;
	if (len < L3 + (v6 ? 40u : 20u) || be16(f + 12) != (v6 ? 0x86dd : 0x0800) ||
	    f[L3] >> 4 != (v6 ? 6 : 4))
		return false;
	ip_hlen = v6 ? 40 : (f[L3] & 15u) * 4;
	if (v6 ? f[L3 + 6] != 6 : ip_hlen < 20 || f[L3 + 9] != 6 || (be16(f + L3 + 6) & 0x3fff))
		return false;
	if (len < L3 + ip_hlen + 20)
		return false;
	hdrs = L3 + ip_hlen + (f[L3 + ip_hlen + 12] >> 4) * 4u;
	return hdrs >= L3 + ip_hlen + 20 && hdrs <= len && gso_size >= 64 && hdrs + gso_size <= 1514;
}

static void check_tso(const u8 *data, u32 len, u8 type, u32 gso_size)
{
	u8 *seg = malloc(VNET_SEG_MAX);
	bool ok = segmentable(data, len, type, gso_size);
	int n;

	FUZZ_CHECK(seg);
	frame = data;
	frame_len = len;
	mss = gso_size;
	payload_done = 0;
	emitted = 0;
	n = vnet_tso_segment(data, len, type, gso_size, seg, check_segment, &emitted);
	if (!ok) {
		FUZZ_CHECK(n == -1 && emitted == 0);
	} else {
		FUZZ_CHECK(n >= 1 && (unsigned int)n == emitted && (u32)n <= len / 64 + 1);
		FUZZ_CHECK(payload_done == len - hdrs);
	}
	free(seg);
}

/* Make the frame's EtherType, IP version and protocol what @type segments. */
static void fix_frame(u8 *f, u32 len, u8 type)
{
	bool six = (type & 0x7f) == 4;

	if (len < L3 + 40)
		return;
	f[12] = six ? 0x86 : 0x08;
	f[13] = six ? 0xdd : 0x00;
	f[L3] = (u8)((six ? 0x60 : 0x40) | (f[L3] & 15));
	f[L3 + (six ? 6 : 9)] = 6;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	u8 op = fuzz_u8(&in), type = fuzz_u8(&in);
	u32 gso_size = fuzz_u16(&in), start = fuzz_u16(&in), offset = fuzz_u16(&in);
	u32 len = size > HDR_BYTES ? (u32)(size - HDR_BYTES) : 0;
	u8 *f = malloc(len ? len : 1); /* exactly the frame: ASan sees a read past it */

	FUZZ_CHECK(f);
	memcpy(f, data + size - len, len);
	if (op & 2)
		fix_frame(f, len, type);
	if (op & 1)
		check_tso(f, len, type, gso_size);
	else
		check_csum(f, len, start, offset);
	free(f);
	return 0;
}

/* Seeds: IPv4 and IPv6 TCP GSO frames as Linux sends them, and a UDP packet to complete. */
static void seeds(const char *dir)
{
	static struct fuzz_seed s;
	static const u8 addrs6[32] = { 0xfe, 0x80, [15] = 1, [16] = 0xfe, [17] = 0x80, [31] = 2 };

	for (int six = 0; six <= 1; six++) {
		u32 ip_len = six ? 40 : 20, payload = 5000;

		s.len = 0;
		seed_put(&s, 3, 1);
		seed_put(&s, six ? 4 : 1, 1);
		seed_put(&s, six ? 1428 : 1448, 2);
		seed_put(&s, L3 + ip_len, 2);
		seed_put(&s, 16, 2);
		seed_put(&s, 0x0100000000020002ULL, 6); /* destination MAC */
		seed_put(&s, 0x0100000000020000ULL, 6);
		seed_put(&s, six ? 0xdd86 : 0x0008, 2);
		if (six) {
			seed_put(&s, 0x60, 4);
			seed_put(&s, 0, 2);
			seed_put(&s, 6 | 64 << 8, 2);
			for (unsigned int i = 0; i < 32; i++)
				seed_put(&s, addrs6[i], 1);
		} else {
			seed_put(&s, 0x45, 2);
			seed_put(&s, 0, 2);
			seed_put(&s, 0x3412, 2);
			seed_put(&s, 0x40, 2);
			seed_put(&s, 64 | 6 << 8, 2);
			seed_put(&s, 0, 2);
			seed_put(&s, 0x0100fea9, 4);
			seed_put(&s, 0x0200fea9, 4);
		}
		seed_put(&s, 0x89134094, 4);     /* ports */
		seed_put(&s, 0x78563412, 4);     /* sequence */
		seed_put(&s, 0x01000000, 4);     /* ack */
		seed_put(&s, 0x80 | 0x19 << 8, 2); /* data offset 8; ACK PSH FIN */
		seed_put(&s, 0xf501, 2);
		seed_put(&s, 0, 4);
		seed_put(&s, 0x0a080101, 4);     /* NOP NOP timestamps */
		seed_put(&s, 0x09000000, 4);
		seed_put(&s, 0x07000000, 4);
		for (u32 i = 0; i < payload && s.len < sizeof(s.b); i++)
			seed_put(&s, i * 7, 1);
		fuzz_write_seed(dir, six ? "tcpv6" : "tcpv4", s.b, s.len);
		s.b[0] = 0; /* the same frame, its TCP checksum completed */
		fuzz_write_seed(dir, six ? "csum-tcpv6" : "csum-tcpv4", s.b, s.len);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init(seeds);
	return 0;
}
