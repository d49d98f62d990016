/*
 * The VMs' RNG seeds (core/entropy.c): ChaCha20 against RFC 8439's own test
 * vector, the key taken from /chosen/rng-seed and kaslr-seed (and both wiped
 * from the DT), every draw fresh and the generator rekeyed after it, and no
 * seed at all when the bootloader gave too little.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <libfdt.h>
#include <tessera/entropy.h>

static unsigned char dtb[4096];

/* A DT whose /chosen has rng-seed of @rng_len bytes (i + 1) and kaslr-seed of @kaslr_len bytes (0x80 + i). */
static void make_dtb(int rng_len, int kaslr_len, int with_chosen)
{
	unsigned char rng[64], kaslr[8];

	for (int i = 0; i < 64; i++)
		rng[i] = (unsigned char)(i + 1);
	for (int i = 0; i < 8; i++)
		kaslr[i] = (unsigned char)(0x80 + i);
	assert_int_equal(fdt_create(dtb, sizeof(dtb)), 0);
	assert_int_equal(fdt_finish_reservemap(dtb), 0);
	assert_int_equal(fdt_begin_node(dtb, ""), 0);
	if (with_chosen) {
		assert_int_equal(fdt_begin_node(dtb, "chosen"), 0);
		assert_int_equal(fdt_property_string(dtb, "bootargs", "x"), 0);
		if (rng_len)
			assert_int_equal(fdt_property(dtb, "rng-seed", rng, rng_len), 0);
		if (kaslr_len)
			assert_int_equal(fdt_property(dtb, "kaslr-seed", kaslr, kaslr_len), 0);
		assert_int_equal(fdt_end_node(dtb), 0);
	}
	assert_int_equal(fdt_end_node(dtb), 0);
	assert_int_equal(fdt_finish(dtb), 0);
}

/* RFC 8439 2.3.2: key 00..1f, nonce 00:00:00:09:00:00:00:4a:00:00:00:00, block count 1. */
static void test_chacha20_rfc8439_vector(void **state)
{
	static const uint8_t want[64] = {
		0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15, 0x50, 0x0f, 0xdd, 0x1f, 0xa3, 0x20, 0x71, 0xc4,
		0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0, 0x68, 0x03, 0x04, 0x22, 0xaa, 0x9a, 0xc3, 0xd4, 0x6c, 0x4e,
		0xd2, 0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa, 0x09, 0x14, 0xc2, 0xd7, 0x05, 0xd9, 0x8b, 0x02, 0xa2,
		0xb5, 0x12, 0x9c, 0xd1, 0xde, 0x16, 0x4e, 0xb9, 0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e,
	};
	uint8_t key_bytes[32], out[64];
	u32 key[8];
	const u32 nonce[3] = { 0x09000000, 0x4a000000, 0 };

	(void)state;
	for (int i = 0; i < 32; i++)
		key_bytes[i] = (uint8_t)i;
	memcpy(key, key_bytes, sizeof(key)); /* little-endian words, as the RFC reads them */
	chacha20_block(key, 1, nonce, out);
	assert_memory_equal(out, want, sizeof(want));
}

/* The key is rng-seed then kaslr-seed XORed in 32-byte steps; draw n is block 1.. of key n, key n+1 is block 0. */
static void test_draws_follow_the_seed_and_rekey(void **state)
{
	static const u32 nonce[3];
	uint8_t key_bytes[32] = { 0 }, want[128], got[100], got2[64], next[64];
	u32 key[8];
	int len;

	(void)state;
	make_dtb(64, 8, 1);
	assert_int_equal(entropy_seed_from_fdt(dtb), 72);
	for (int i = 0; i < 64; i++)
		key_bytes[i % 32] ^= (uint8_t)(i + 1);
	for (int i = 0; i < 8; i++)
		key_bytes[(64 + i) % 32] ^= (uint8_t)(0x80 + i);
	memcpy(key, key_bytes, sizeof(key));

	/* 100 bytes: two blocks, the second cut short. */
	assert_true(entropy_draw(got, sizeof(got)));
	chacha20_block(key, 1, nonce, want);
	chacha20_block(key, 2, nonce, want + 64);
	assert_memory_equal(got, want, sizeof(got));

	/* Rekeyed: the next draw is block 1 of the new key, not a repeat. */
	chacha20_block(key, 0, nonce, next);
	memcpy(key, next, sizeof(key));
	assert_true(entropy_draw(got2, sizeof(got2)));
	chacha20_block(key, 1, nonce, want);
	assert_memory_equal(got2, want, sizeof(got2));
	assert_memory_not_equal(got2, got, sizeof(got2));

	/* Neither seed is left in the DT. */
	assert_null(fdt_getprop(dtb, fdt_path_offset(dtb, "/chosen"), "rng-seed", &len));
	assert_null(fdt_getprop(dtb, fdt_path_offset(dtb, "/chosen"), "kaslr-seed", &len));
	assert_non_null(fdt_getprop(dtb, fdt_path_offset(dtb, "/chosen"), "bootargs", &len));
	for (size_t i = 0; i < sizeof(dtb); i++)
		if (dtb[i] == 0x81 && i + 1 < sizeof(dtb) && dtb[i + 1] == 0x82)
			fail_msg("kaslr-seed bytes still in the DT at %zu", i);
}

/* Less than 32 bytes (or none, or no /chosen): no seed, and the draw leaves the buffer alone. */
static void test_too_little_entropy_gives_no_seed(void **state)
{
	uint8_t out[64];

	(void)state;
	make_dtb(64, 0, 1); /* seeded first: a later short seed must unseed it */
	assert_int_equal(entropy_seed_from_fdt(dtb), 64);
	assert_true(entropy_draw(out, sizeof(out)));

	make_dtb(16, 8, 1);
	assert_int_equal(entropy_seed_from_fdt(dtb), 24);
	memset(out, 0x5a, sizeof(out));
	assert_false(entropy_draw(out, sizeof(out)));
	for (size_t i = 0; i < sizeof(out); i++)
		assert_int_equal(out[i], 0x5a);

	make_dtb(0, 0, 1);
	assert_int_equal(entropy_seed_from_fdt(dtb), 0);
	assert_false(entropy_draw(out, sizeof(out)));
	make_dtb(64, 0, 1); /* seeded again: no /chosen at all must unseed it too */
	assert_int_equal(entropy_seed_from_fdt(dtb), 64);
	make_dtb(64, 8, 0);
	assert_int_equal(entropy_seed_from_fdt(dtb), 0);
	assert_false(entropy_draw(out, sizeof(out)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chacha20_rfc8439_vector),
		cmocka_unit_test(test_draws_follow_the_seed_and_rekey),
		cmocka_unit_test(test_too_little_entropy_gives_no_seed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
