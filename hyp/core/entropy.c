/*
 * The VMs' RNG seeds (tessera/entropy.h): ChaCha20 (RFC 8439) keyed once from
 * the bootloader's seed, rekeyed after every draw so an earlier draw cannot be
 * recomputed. Drawn at each VM load (boot and restart): no two loads share a
 * seed.
 */
#include <libfdt.h>
#include <string.h>
#include <tessera/entropy.h>
#include <tessera/spinlock.h>

#define ROTL32(v, n) (((v) << (n)) | ((v) >> (32 - (n))))
#define QUARTER_ROUND(a, b, c, d)                \
	do {                                     \
		a += b; d ^= a; d = ROTL32(d, 16); \
		c += d; b ^= c; b = ROTL32(b, 12); \
		a += b; d ^= a; d = ROTL32(d, 8);  \
		c += d; b ^= c; b = ROTL32(b, 7);  \
	} while (0)

void chacha20_block(const u32 key[8], u32 counter, const u32 nonce[3], u8 out[64])
{
	/* RFC 8439 2.3: "expand 32-byte k", key, counter, nonce; 20 rounds; add; little-endian. */
	u32 in[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 }, x[16];

	memcpy(&in[4], key, 32);
	in[12] = counter;
	memcpy(&in[13], nonce, 12);
	memcpy(x, in, sizeof(x));
	for (int i = 0; i < 10; i++) {
		QUARTER_ROUND(x[0], x[4], x[8], x[12]);
		QUARTER_ROUND(x[1], x[5], x[9], x[13]);
		QUARTER_ROUND(x[2], x[6], x[10], x[14]);
		QUARTER_ROUND(x[3], x[7], x[11], x[15]);
		QUARTER_ROUND(x[0], x[5], x[10], x[15]);
		QUARTER_ROUND(x[1], x[6], x[11], x[12]);
		QUARTER_ROUND(x[2], x[7], x[8], x[13]);
		QUARTER_ROUND(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++) {
		u32 v = x[i] + in[i];

		out[4 * i] = (u8)v;
		out[4 * i + 1] = (u8)(v >> 8);
		out[4 * i + 2] = (u8)(v >> 16);
		out[4 * i + 3] = (u8)(v >> 24);
	}
}

static struct {
	struct spinlock lock; /* protects the rest: VMs restart on any CPU */
	bool seeded;
	u32 key[8];
} gen;

/*
 * XORs @len bytes into the key, 32 bytes at a time: up to 256 bits of the
 * source's entropy kept. Key words are little-endian (RFC 8439 2.3), as aarch64 is.
 */
static void fold_into_key(const u8 *src, size_t len)
{
	u8 *k = (u8 *)gen.key;

	for (size_t i = 0; i < len; i++)
		k[i % sizeof(gen.key)] ^= src[i];
}

/* Takes property @name of /chosen into the key and removes it from @fdt. */
static size_t take_chosen(void *fdt, int chosen, const char *name)
{
	int len;
	u8 *val = fdt_getprop_w(fdt, chosen, name, &len);

	if (!val || len <= 0)
		return 0;
	fold_into_key(val, (size_t)len);
	/* Zeroed, then NOPs: no copy of the seed stays in Tessera's DT. */
	memset(val, 0, (size_t)len);
	fdt_nop_property(fdt, chosen, name);
	return (size_t)len;
}

size_t entropy_seed_from_fdt(void *fdt)
{
	/*
	 * /chosen/rng-seed (dt-schema chosen.yaml: "entropy ... provided by
	 * bootloader") and kaslr-seed (64 bits, same file): QEMU's virt machine
	 * fills both (32 and 8 bytes) unless dtb-randomness=off.
	 */
	int chosen = fdt_path_offset(fdt, "/chosen");
	size_t taken = 0;

	spin_lock(&gen.lock);
	if (chosen >= 0) {
		taken += take_chosen(fdt, chosen, "rng-seed");
		taken += take_chosen(fdt, chosen, "kaslr-seed");
	}
	gen.seeded = taken >= ENTROPY_MIN_SEED;
	if (!gen.seeded)
		memset(gen.key, 0, sizeof(gen.key));
	spin_unlock(&gen.lock);
	return taken;
}

bool entropy_draw(u8 *out, size_t len)
{
	static const u32 nonce[3];
	u8 block[64];
	u32 counter = 1; /* block 0 is the next key */

	spin_lock(&gen.lock);
	if (!gen.seeded) {
		spin_unlock(&gen.lock);
		return false;
	}
	for (size_t done = 0; done < len; done += sizeof(block)) {
		size_t n = len - done < sizeof(block) ? len - done : sizeof(block);

		chacha20_block(gen.key, counter++, nonce, block);
		memcpy(out + done, block, n);
	}
	chacha20_block(gen.key, 0, nonce, block);
	memcpy(gen.key, block, sizeof(gen.key));
	spin_unlock(&gen.lock);
	memset(block, 0, sizeof(block));
	return true;
}
