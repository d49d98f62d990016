/*
 * The tests' own reading of network headers and RFC 1071 checksums, written
 * the plain way and independent of hyp/virt/vnet_offload.c, for
 * test_vnet_offload and fuzz_vnet_offload to judge it by.
 */
#ifndef TESTS_INET_REF_H
#define TESTS_INET_REF_H

#include <tessera/types.h>

static inline u16 be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 be32(const u8 *p)
{
	return (u32)be16(p) << 16 | be16(p + 2);
}

/* RFC 1071: 16-bit big-endian words summed in 32 bits (an odd last byte is the high half). */
static inline u32 sum16(const u8 *p, u32 len)
{
	u32 s = 0;

	for (u32 i = 0; i < len; i++)
		s += i % 2 ? p[i] : (u32)p[i] << 8;
	return s;
}

/* The carries folded back in. */
static inline u16 fold(u32 s)
{
	while (s > 0xffff)
		s = (s & 0xffff) + (s >> 16);
	return (u16)s;
}

#endif
