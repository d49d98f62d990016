/* Basic types. Freestanding headers only, so this compiles at EL2 and on the host. */
#ifndef TESSERA_TYPES_H
#define TESSERA_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

/* A physical (or intermediate physical) address range. */
struct mem_range {
	u64 base;
	u64 size;
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((u64)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((u64)(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((u64)(a) - 1)) == 0)
#define BIT(n) (1ULL << (n))
/* Mask of bits hi..lo inclusive. */
#define GENMASK(hi, lo) ((~0ULL >> (63 - (hi))) & (~0ULL << (lo)))

#define SZ_4K 0x1000ULL
#define SZ_64K 0x10000ULL
#define SZ_1M 0x100000ULL
#define SZ_2M 0x200000ULL
#define SZ_1G 0x40000000ULL

/* True when [a, a+as) and [b, b+bs) share a byte. Sizes are non-zero. */
static inline bool ranges_overlap(u64 a, u64 as, u64 b, u64 bs)
{
	return a < b + bs && b < a + as;
}

/* True when [inner) lies within [outer), without overflow. */
static inline bool range_contains(const struct mem_range *outer, u64 base, u64 size)
{
	return base >= outer->base && size <= outer->size &&
	       base - outer->base <= outer->size - size;
}

#endif
