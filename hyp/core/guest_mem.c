/*
 * A VM's RAM read and written by Tessera on the VM's behalf (tessera/guest_mem.h).
 * The range is checked against the VM's RAM before anything is copied; a
 * coloured VM's RAM is then translated page by page through its stage 2,
 * whose output addresses are mapped at EL2 with VA == PA (mmu.c, vm.c).
 * No cache maintenance: the VM's accesses to its RAM are Normal cacheable,
 * as are EL2's, so both see the same data (Arm ARM DDI 0487 B2.8, D8.6).
 */
#include <tessera/guest_mem.h>

bool guest_mem_translate(const struct guest_mem *m, u64 ipa, u64 len, u64 *pa, u64 *run)
{
	u64 leaf = PT_PAGE_SIZE;
	unsigned int level = PT_LAST_LEVEL;

	if (!m->s2) {
		*pa = ipa;
		*run = len;
		return true;
	}
	if (!pt_lookup(m->s2, ipa, pa, NULL, &level))
		return false;
	leaf <<= 9 * (PT_LAST_LEVEL - level); /* 4 KiB, 2 MiB or 1 GiB (pgtable.h) */
	*run = leaf - (ipa & (leaf - 1));
	if (*run > len)
		*run = len;
	return true;
}

/* Whether every byte of [ipa, ipa + len) is mapped, so a copy is all or nothing. */
static bool all_mapped(const struct guest_mem *m, u64 ipa, u64 len)
{
	u64 pa, run;

	for (; len; ipa += run, len -= run)
		if (!guest_mem_translate(m, ipa, len, &pa, &run))
			return false;
	return true;
}

/*
 * Copies @n bytes between Normal memory: a VM's RAM and Tessera's own.
 * Unaligned accesses are allowed there (SCTLR_EL2.A is 0, mmu.c; Arm ARM
 * DDI 0487 B2.5.2), so whole words whatever the alignment: the buffers of a
 * network's frames seldom share their offset in a word, and lib's memcpy
 * (safe on Device memory too) copies those byte by byte (bench/net-cost.md).
 */
static void copy_normal(u8 *d, const u8 *s, u64 n)
{
	for (; n >= 32; n -= 32, d += 32, s += 32) {
		u64 w[4];

		__builtin_memcpy(w, s, sizeof(w)); /* inlined: loads of any alignment */
		__builtin_memcpy(d, w, sizeof(w));
	}
	for (; n >= 8; n -= 8, d += 8, s += 8) {
		u64 w;

		__builtin_memcpy(&w, s, sizeof(w));
		__builtin_memcpy(d, &w, sizeof(w));
	}
	while (n--)
		*d++ = *s++;
}

/* A coloured VM's RAM, page by page through its stage 2; false, nothing copied, when part is unmapped. */
static __attribute__((noinline)) bool copy_coloured(const struct guest_mem *m, u64 ipa, void *dst,
						    const void *src, u64 len)
{
	u64 pa, run;

	if (!all_mapped(m, ipa, len))
		return false;
	for (u64 done = 0; done < len; done += run) {
		guest_mem_translate(m, ipa + done, len - done, &pa, &run);
		if (dst)
			copy_normal((u8 *)dst + done, (const u8 *)(uintptr_t)pa, run);
		else
			copy_normal((u8 *)(uintptr_t)pa, (const u8 *)src + done, run);
	}
	return true;
}

/* Copies into @dst (a read) when it is not NULL, else from @src (a write). */
static bool guest_mem_copy(const struct guest_mem *m, u64 ipa, void *dst, const void *src, u64 len)
{
	if (!guest_mem_contains(m, ipa, len))
		return false;
	if (m->s2) {
		if (!copy_coloured(m, ipa, dst, src, len))
			return false;
	} else if (dst) { /* uncoloured: the RAM is mapped whole at PA == IPA (guest_mem_translate) */
		copy_normal(dst, (const u8 *)(uintptr_t)ipa, len);
	} else {
		copy_normal((u8 *)(uintptr_t)ipa, src, len);
	}
	/*
	 * The VM may change its memory at any time: the copy is what Tessera
	 * checks and uses, and the compiler must not read the VM's memory
	 * again in its place (a double fetch).
	 */
	__asm__ volatile("" ::: "memory");
	return true;
}

bool guest_mem_read(const struct guest_mem *m, u64 ipa, void *dst, u64 len)
{
	return guest_mem_copy(m, ipa, dst, NULL, len);
}

bool guest_mem_write(const struct guest_mem *m, u64 ipa, const void *src, u64 len)
{
	return guest_mem_copy(m, ipa, NULL, src, len);
}
