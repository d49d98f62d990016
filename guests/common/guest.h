/*
 * What every part of a bare-metal guest (guests/testguest, bench/benchguest)
 * shares: types, the image bounds, output.
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

/* A physical address range, [base, base + size). */
struct range {
	u64 base;
	u64 size;
};

#define SZ_4K 0x1000ULL
#define SZ_1M 0x100000ULL
#define SZ_2M 0x200000ULL
#define SZ_16M 0x1000000ULL
#define SZ_1G 0x40000000ULL
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((u64)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((u64)(a) - 1))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Bounds of the loaded image, bss and stack included (image.lds). */
extern char _start[], _end[];

/* Each guest names itself: every line it prints starts with say_prefix, e.g. "testguest: ". */
extern const char say_prefix[];

/* One line of output: say_prefix, the formatted text (cut at SAY_LINE_MAX - 1), "\n" (uart.c). */
#define SAY_LINE_MAX 768
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Entered from start.S with the MMU and caches on. */
void guest_main(u64 dtb) __attribute__((noreturn));

#endif
