/*
 * A VM's RAM as Tessera reads and writes it on the VM's behalf (the virtio
 * devices' buffers, hyp/virt/virtq.c). Every address a guest gives is
 * checked here against the VM's own RAM, and only its RAM: not a channel's
 * shared memory, not a device's registers, though its stage 2 maps those
 * too. A coloured VM's RAM is not contiguous in PA (tessera/colour_s2.h), so
 * it is translated page by page through the VM's stage 2; an uncoloured VM's
 * RAM is at PA == IPA, mapped at EL2 with VA == PA (mmu.c), and is taken as
 * it is. Both run unchanged on the host (tests/unit/test_virtq.c).
 */
#ifndef TESSERA_GUEST_MEM_H
#define TESSERA_GUEST_MEM_H

#include <arch/pgtable.h>
#include <tessera/types.h>

struct guest_mem {
	u64 base, size;           /* the VM's RAM, IPA */
	const struct pgtable *s2; /* its stage 2; NULL when PA == IPA */
};

/* [ipa, ipa + len) lies inside the VM's RAM (no wrap). */
static inline bool guest_mem_contains(const struct guest_mem *m, u64 ipa, u64 len)
{
	return ipa >= m->base && len <= m->size && ipa - m->base <= m->size - len;
}

/*
 * Copy @len bytes from / to IPA @ipa of the VM. False, and nothing copied,
 * when any byte is outside its RAM (or, coloured, not mapped by its stage 2).
 */
bool guest_mem_read(const struct guest_mem *m, u64 ipa, void *dst, u64 len);
bool guest_mem_write(const struct guest_mem *m, u64 ipa, const void *src, u64 len);

/*
 * The one walk of a VM's stage 2 for its RAM (also vm.c's vm_ram_write): the
 * PA behind IPA @ipa and how many bytes from there, at most @len, are
 * contiguous in PA (to the end of the stage-2 leaf). False when @ipa is not
 * mapped. No range check: the caller checks the range or owns it.
 */
bool guest_mem_translate(const struct guest_mem *m, u64 ipa, u64 len, u64 *pa, u64 *run);

#endif
