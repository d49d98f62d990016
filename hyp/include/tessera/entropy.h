/*
 * Seeds for the VMs' random number generators (core/entropy.c). A bootloader
 * hands a kernel /chosen/rng-seed (QEMU's virt machine, U-Boot, and on UEFI
 * machines the EFI stub's RNG protocol call); a VM that Tessera boots gets
 * its own from Tessera, or Linux starts with an empty CRNG and runs BLAKE2s
 * over its pool on every get_random_*() until interrupt timing has credited
 * 256 bits (with RANDOMIZE_KSTACK_OFFSET: every syscall, ~9,000 instructions;
 * bench/benchguest/README.md, "cyclictest").
 */
#ifndef TESSERA_ENTROPY_H
#define TESSERA_ENTROPY_H

#include <stdbool.h>
#include <stddef.h>
#include <tessera/types.h>

#define ENTROPY_MIN_SEED 32 /* bytes a source must give: a 256-bit key */
#define ENTROPY_GUEST_SEED 64 /* bytes of each VM's /chosen/rng-seed */

/* One ChaCha20 block (RFC 8439 2.3): key, 32-bit block counter, 96-bit nonce. */
void chacha20_block(const u32 key[8], u32 counter, const u32 nonce[3], u8 out[64]);

/*
 * Keys the generator from the platform DT's /chosen/rng-seed and kaslr-seed
 * (folded together), then removes both from @fdt so no copy stays behind.
 * Returns the bytes taken; below ENTROPY_MIN_SEED the generator stays
 * unseeded (the VMs then get no rng-seed rather than a guessable one).
 */
size_t entropy_seed_from_fdt(void *fdt);

/*
 * Fills @out (@len bytes) with fresh output and rekeys (fast key erasure:
 * what was handed out cannot be recomputed from the state left). False, and
 * @out untouched, when the generator was never seeded.
 */
bool entropy_draw(u8 *out, size_t len);

#endif
