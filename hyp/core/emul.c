/*
 * Table-driven register emulation shared by every emulated device, and the
 * one place that decides how a device answers an access it cannot take:
 *  - misaligned, or of a width no register of the device has (a 16-bit
 *    access to the GIC, a 64-bit one to the PL011): MMIO_BAD_ACCESS, which
 *    the guest receives as a synchronous external abort (dabt.c), as a bus
 *    answers a transfer the device does not decode;
 *  - a width the register at that offset does not take (a 64-bit access to
 *    a 32-bit GICD register; GICv3, IHI 0069H 12.1, names the widths each
 *    register takes): MMIO_BAD_ACCESS too;
 *  - naturally aligned, of a width the device has, at an offset no register
 *    covers: reserved, read as zero and writes ignored (RES0, what GICv3
 *    gives a reserved offset).
 * docs/architecture.md ("Traps") says the same.
 */
#include <tessera/emul.h>
#include <tessera/spinlock.h>

/*
 * Binary search: the table is sorted by offset and its entries do not overlap.
 * It narrows [regs, regs + count) in place: one pointer and one count per step.
 */
static const struct emul_reg *find_reg(const struct emul_reg *regs, size_t count, u64 offset)
{
	while (count) {
		size_t half = count / 2;
		const struct emul_reg *r = &regs[half];

		if (offset < r->offset) {
			count = half;
		} else if (offset - r->offset >= r->len) {
			regs = r + 1;
			count -= half + 1;
		} else {
			return r;
		}
	}
	return NULL;
}

/* The widths any register of the device takes (EMUL_W*, which are the sizes in bytes). */
static u32 device_widths(const struct emul_reg *regs, size_t count)
{
	u32 widths = 0;

	for (size_t i = 0; i < count; i++)
		widths |= regs[i].widths;
	return widths;
}

/* An access to an EMUL_LANES register: its bytes at the access's lane (emul.h). */
static void lanes_access(const struct emul_reg *reg, void *dev, struct mmio_access *acc, u64 mask)
{
	u32 word = (u32)(acc->offset & ~3ULL);
	unsigned int shift = (unsigned int)(acc->offset & 3) * 8;
	u64 lane = mask << shift;
	u64 old = 0;

	if (reg->read && (!acc->is_write || (reg->write && lane != 0xffffffffULL)))
		old = reg->read(dev, word) & 0xffffffffULL;
	if (!acc->is_write)
		acc->value = (old & lane) >> shift;
	else if (reg->write)
		reg->write(dev, word, (old & ~lane) | ((acc->value << shift) & lane));
}

/*
 * The access @reg takes, checked by the caller (emul_regs_access_locked).
 * Inlined into both of the caller's branches: with the lock and without it.
 */
static inline __attribute__((always_inline)) void
reg_access(const struct emul_reg *reg, void *dev, struct mmio_access *acc)
{
	u64 mask = ~0ULL >> (64 - acc->size * 8); /* a width the register takes: 1 to 8 bytes */
	u32 arg = reg->bits_per_irq ? (u32)((acc->offset - reg->offset) * 8 / reg->bits_per_irq)
				    : (u32)acc->offset;

	if (reg->flags & EMUL_LANES) {
		lanes_access(reg, dev, acc, mask);
	} else if (acc->is_write) {
		if (reg->write)
			reg->write(dev, arg, acc->value & mask);
	} else {
		acc->value = reg->read ? reg->read(dev, arg) & mask : 0;
	}
}

enum mmio_result emul_regs_access(const struct emul_reg *regs, size_t count, void *dev,
				  struct mmio_access *acc)
{
	return emul_regs_access_locked(regs, count, dev, acc, NULL);
}

/*
 * The checks and the access once @reg (NULL: no register there) is found: the
 * one check point for both lookups (the binary search and the index).
 */
static inline __attribute__((always_inline)) enum mmio_result
checked_access(const struct emul_reg *regs, size_t count, const struct emul_reg *reg, void *dev,
	       struct mmio_access *acc, struct spinlock *lock)
{
	if (!reg) {
		if (!(device_widths(regs, count) & acc->size))
			return MMIO_BAD_ACCESS;
		acc->value = 0; /* reserved: RAZ/WI */
		return MMIO_OK;
	}
	/* The lookup found the access's first byte in @reg: its last byte must be there too. */
	if (!(reg->widths & acc->size) || acc->offset - reg->offset + acc->size > reg->len)
		return MMIO_BAD_ACCESS;

	if (lock && !(reg->flags & EMUL_CONST)) {
		spin_lock(lock);
		reg_access(reg, dev, acc);
		spin_unlock(lock);
	} else {
		reg_access(reg, dev, acc);
	}
	return MMIO_OK;
}

enum mmio_result emul_regs_access_locked(const struct emul_reg *regs, size_t count, void *dev,
					 struct mmio_access *acc, struct spinlock *lock)
{
	if (!IS_ALIGNED(acc->offset, acc->size))
		return MMIO_BAD_ACCESS;
	return checked_access(regs, count, find_reg(regs, count, acc->offset), dev, acc, lock);
}

/* Entries end in increasing order (sorted, non-overlapping): one pass over the table. */
void emul_index_build(const struct emul_index *index)
{
	size_t i = 0;

	for (size_t g = 0; g < index->granules; g++) {
		u64 start = (u64)g << EMUL_INDEX_SHIFT;

		while (i < index->count && index->regs[i].offset + index->regs[i].len <= start)
			i++;
		index->first[g] = (u16)i;
	}
}

/* The entries from the granule's first on that start at or before @offset: the first covering it. */
static const struct emul_reg *index_find(const struct emul_index *index, u64 offset)
{
	const struct emul_reg *end = index->regs + index->count;
	const struct emul_reg *r;

	if ((offset >> EMUL_INDEX_SHIFT) >= index->granules)
		return NULL;
	for (r = index->regs + index->first[offset >> EMUL_INDEX_SHIFT]; r < end && r->offset <= offset; r++)
		if (offset - r->offset < r->len)
			return r;
	return NULL;
}

enum mmio_result emul_index_access_locked(const struct emul_index *index, void *dev,
					  struct mmio_access *acc, struct spinlock *lock)
{
	if (!IS_ALIGNED(acc->offset, acc->size))
		return MMIO_BAD_ACCESS;
	return checked_access(index->regs, index->count, index_find(index, acc->offset), dev, acc,
			      lock);
}
