/*
 * Emulated devices: a trapped guest access, decoded once from the syndrome
 * (arch/arm64/dabt.c), and table-driven register emulation. A device model
 * never sees the ESR; width, alignment and range are checked centrally here
 * before any register callback runs.
 */
#ifndef TESSERA_EMUL_H
#define TESSERA_EMUL_H

#include <tessera/types.h>

struct vm;

struct mmio_access {
	u64 ipa;
	u64 offset; /* from the device base */
	unsigned int size; /* 1, 2, 4 or 8 bytes */
	bool is_write;
	u64 value; /* written value, or the value read (zero-extended) */
};

enum mmio_result {
	MMIO_OK,
	MMIO_BAD_ACCESS, /* width or alignment the device does not accept: an external abort */
};

/* Widths a register accepts (struct emul_reg.widths): each is the access size in bytes. */
#define EMUL_W8 BIT(0)
#define EMUL_W16 BIT(1)
#define EMUL_W32 BIT(2)
#define EMUL_W64 BIT(3)

/*
 * One register, or a run of registers of one kind (len bytes). The callbacks
 * get @arg: the offset of the access within the device, or, for a per-interrupt
 * register (bits_per_irq != 0, as in the GIC), the first INTID the access
 * covers. A NULL read is read-as-zero, a NULL write ignores writes.
 */
struct emul_reg {
	u32 offset;
	u32 len;
	u8 widths;
	u8 bits_per_irq;
	u8 flags;
	u64 (*read)(void *dev, u32 arg);
	void (*write)(void *dev, u32 arg, u64 value);
};

/* 32 bytes, a power of two: the binary search (emul.c) finds an entry with one shift. */
_Static_assert(sizeof(struct emul_reg) == 32, "struct emul_reg is 32 bytes");

/* struct emul_reg.flags: reads a constant and ignores writes, so it needs no lock. */
#define EMUL_CONST BIT(0)
/*
 * struct emul_reg.flags: 32-bit registers whose bytes are addressable (byte
 * lanes). An 8- or 16-bit access at any lane reads the register it falls in
 * and takes its bytes, or writes them merged into the register read back;
 * the callbacks see whole registers at their own (4-byte aligned) offsets.
 * For registers whose read has no side effect only.
 */
#define EMUL_LANES BIT(1)

/*
 * Dispatches @acc through @regs (sorted by offset, non-overlapping). An
 * access must be naturally aligned and of a width the register accepts, or,
 * at an offset no entry covers, of a width some register of the device
 * accepts: such an offset is reserved, read as zero, writes ignored (so a
 * per-IRQ register sized to the implemented INTIDs bounds them). Anything
 * else is MMIO_BAD_ACCESS (emul.c says why).
 */
enum mmio_result emul_regs_access(const struct emul_reg *regs, size_t count, void *dev,
				  struct mmio_access *acc);
/*
 * The same for a device whose state @lock protects: the lock is held around
 * each register callback, except for EMUL_CONST registers (the lookup and the
 * checks need none: the table is constant).
 */
struct spinlock;
enum mmio_result emul_regs_access_locked(const struct emul_reg *regs, size_t count, void *dev,
					 struct mmio_access *acc, struct spinlock *lock);

/*
 * A register table with a direct index, for a device on a hot path (the
 * GICD): first[offset >> EMUL_INDEX_SHIFT] is the first entry that ends past
 * that granule's start, so a lookup is one load and a scan over the few
 * entries starting in the granule instead of the binary search. @first has
 * @granules entries (the device's size >> EMUL_INDEX_SHIFT) and is filled once
 * by emul_index_build() before the first access; the table stays the one
 * source, and emul_index_access_locked() checks and answers exactly as
 * emul_regs_access_locked().
 */
#define EMUL_INDEX_SHIFT 7 /* 128-byte granules: a GIC per-interrupt register run starts on one */
struct emul_index {
	const struct emul_reg *regs;
	size_t count;
	u16 *first;
	size_t granules;
};

void emul_index_build(const struct emul_index *index);
enum mmio_result emul_index_access_locked(const struct emul_index *index, void *dev,
					  struct mmio_access *acc, struct spinlock *lock);

/* An emulated device in a VM's address space. */
struct emul_device {
	const char *name;
	u64 base;
	u64 size;
	void *dev;
	enum mmio_result (*access)(void *dev, struct mmio_access *acc);
};

#endif
