/*
 * Shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.c, README.md there):
 * the input read as a stream of fields, and the cmocka assertions of the
 * unit-test fakes (fake_ich.c, fake_spinlock.h) made fatal, so a broken
 * invariant is a crash libFuzzer records. Include first.
 */
#ifndef TESTS_FUZZ_H
#define TESTS_FUZZ_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* The fuzz input, consumed front to back; past its end every field reads 0. */
struct fuzz_input {
	const uint8_t *p;
	size_t left;
};

static inline uint64_t fuzz_take(struct fuzz_input *in, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes && in->left; i++, in->left--)
		v |= (uint64_t)*in->p++ << (8 * i);
	return v;
}

#define fuzz_u8(in) ((uint8_t)fuzz_take(in, 1))
#define fuzz_u16(in) ((uint16_t)fuzz_take(in, 2))
#define fuzz_u32(in) ((uint32_t)fuzz_take(in, 4))
#define fuzz_u64(in) fuzz_take(in, 8)

/* An access width a data abort can report (ESR_EL2.SAS): 1, 2, 4 or 8 bytes. */
static inline unsigned int fuzz_width(struct fuzz_input *in)
{
	return 1u << (fuzz_u8(in) & 3);
}

/* A broken invariant of the harness itself: abort, so libFuzzer keeps the input. */
#define FUZZ_CHECK(cond)                                                                     \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, \
				#cond);                                                      \
			abort();                                                             \
		}                                                                            \
	} while (0)

/*
 * cmocka outside a test run exits on a failed assertion (libFuzzer would
 * report "fuzz target exited"); with CMOCKA_TEST_ABORT=1 it aborts, which
 * libFuzzer reports as a crash with the input that caused it.
 */
static inline void fuzz_cmocka_abort(void)
{
	setenv("CMOCKA_TEST_ABORT", "1", 1);
}

/*
 * Seeds: a harness whose seed corpus is made by the build writes it from
 * fuzz_seeds() when run with TESSERA_FUZZ_SEEDS=<dir>, then exits.
 */
static inline void fuzz_write_seed(const char *dir, const char *name, const void *data,
				   size_t size)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/*
 * LLVMFuzzerInitialize's common part: fatal cmocka assertions, and the seed
 * corpus written by @seeds (NULL: the build makes it otherwise) when asked.
 */
static inline void fuzz_init(void (*seeds)(const char *dir))
{
	const char *dir = getenv("TESSERA_FUZZ_SEEDS");

	fuzz_cmocka_abort();
	if (dir) {
		if (seeds)
			seeds(dir);
		exit(0);
	}
}

/* A seed built field by field, in the order the harness takes them. */
struct fuzz_seed {
	uint8_t b[4096];
	size_t len;
};

static inline void seed_put(struct fuzz_seed *s, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes && s->len < sizeof(s->b); i++)
		s->b[s->len++] = (uint8_t)(v >> (8 * i));
}

#endif
