/*
 * The PCI channel function's ECAM (hyp/virt/vpci.c) under a guest's accesses
 * of any offset, width and value, mixed with the peer's rings. Checked after
 * every step: the access is refused exactly when PCIe forbids it (wider than
 * a dword, unaligned), a read returns no bit wider than the access, other
 * functions read all ones, the lock is free again, INTA follows Interrupt
 * Status and Interrupt Disable, the peer is rung once per DOORBELL write and
 * never with the lock held, BAR 0 reads its address or its size mask.
 *
 * Input: steps of [op u8][fields]; op & 3: 0 read, 1 write (offset u16, with
 * op bit 2 a third offset byte; width u8; value u64 for a write), 2 the peer
 * rings, 3 the function is made again (size shift u8, BAR u32, op bit 2
 * read-only).
 */
#include "fuzz.h"

#include <virt/vgic.h>
#include <virt/vpci.h>

#define INTID 40
#define ECAM_SIZE 0x100000
#define ECAM_FUNCTION_SIZE 0x1000 /* function 00.0 (PCIe Base Spec 4.0 7.2.2) */
#define CFG_BAR0 0x10             /* PCI 3.0 6.1 */
#define CFG_COMMAND 0x04
#define CFG_BAR1 0x14
#define BAR_FLAGS 0xc             /* 64-bit, prefetchable memory (6.2.5.1) */
#define CMD_INTX_DISABLE BIT(10)  /* 6.2.2 */
#define CMD_WRITABLE (BIT(1) | CMD_INTX_DISABLE) /* what vpci.h says the guest may set */

static struct vpci pci;
static int line = -1; /* INTA as vgic_set_level last drove it */
static unsigned int rings;

void vgic_set_level(struct vm *vm, u32 intid, bool level)
{
	FUZZ_CHECK(vm == NULL && intid == INTID);
	line = level;
}

static void ring(void *ctx)
{
	FUZZ_CHECK(ctx == &rings);
	FUZZ_CHECK(!pci.lock.held); /* the peer's end has its own lock: never nest them */
	rings++;
}

static void make(u64 bar, u64 size, bool read_only)
{
	vpci_init(&pci, NULL, INTID, bar, size, read_only, ring, &rings);
	line = -1;
	rings = 0;
}

static void guest_access(struct fuzz_input *in, u8 op)
{
	struct mmio_access acc = { .is_write = (op & 3) == 1 };
	u64 dword_off, mask;
	unsigned int rings_before = rings;
	enum mmio_result res;

	acc.offset = fuzz_u16(in);
	if (op & 4)
		acc.offset = (acc.offset | (u64)fuzz_u8(in) << 16) % ECAM_SIZE;
	acc.size = fuzz_width(in);
	if (acc.is_write)
		acc.value = fuzz_u64(in);
	else
		acc.value = 0x5a5a5a5a5a5a5a5aULL; /* whatever the register was: must not leak */
	mask = acc.size == 8 ? ~0ULL : (1ULL << (acc.size * 8)) - 1;
	dword_off = acc.offset & ~3ULL;

	res = vpci_access(&pci, &acc);
	FUZZ_CHECK(!pci.lock.held);
	FUZZ_CHECK(res == ((acc.size <= 4 && acc.offset % acc.size == 0) ? MMIO_OK : MMIO_BAD_ACCESS));
	if (res != MMIO_OK) {
		FUZZ_CHECK(rings == rings_before);
		return;
	}
	if (!acc.is_write) {
		FUZZ_CHECK((acc.value & ~mask) == 0);
		if (acc.offset >= ECAM_FUNCTION_SIZE)
			FUZZ_CHECK(acc.value == mask); /* no function there (PCI 3.0 6.1) */
	}
	FUZZ_CHECK(rings == rings_before + (acc.is_write && dword_off == VPCI_CAP_DOORBELL));
}

static void check_state(void)
{
	struct mmio_access bar0 = { .offset = CFG_BAR0, .size = 4 };
	u64 addr;

	FUZZ_CHECK(line == -1 || line == (pci.pending && !(pci.command & CMD_INTX_DISABLE)));
	FUZZ_CHECK((pci.command & ~CMD_WRITABLE) == 0);
	FUZZ_CHECK(vpci_access(&pci, &bar0) == MMIO_OK);
	addr = bar0.value & ~0xfULL;
	FUZZ_CHECK((bar0.value & 0xf) == BAR_FLAGS);
	FUZZ_CHECK(addr == ((u32)pci.bar & ~0xfu) || addr == ((u32)~(pci.size - 1) & ~0xfu));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };

	make(0x70000000, SZ_2M, false);
	while (in.left) {
		u8 op = fuzz_u8(&in);

		switch (op & 3) {
		case 0:
		case 1:
			guest_access(&in, op);
			break;
		case 2:
			vpci_raise(&pci);
			FUZZ_CHECK(!pci.lock.held && pci.pending);
			break;
		default: {
			u64 sz = 1ULL << (12 + fuzz_u8(&in) % 28);

			make((u64)fuzz_u32(&in) * SZ_4K & ~(sz - 1), sz, op & 4);
			break;
		}
		}
		check_state();
	}
	return 0;
}

/* What a guest's PCI core and uio_pci_generic do: probe, size BAR 0, enable, ring, acknowledge. */
static void seeds(const char *dir)
{
	struct fuzz_seed s = { .len = 0 };
	static const u16 probe[] = { 0x00, 0x08, 0x0e, 0x2c, 0x34, 0x3c, 0x40, 0x4c, 0x50, 0x54 };

	for (unsigned int i = 0; i < ARRAY_SIZE(probe); i++) {
		seed_put(&s, 0, 1);
		seed_put(&s, probe[i], 2);
		seed_put(&s, 2, 1);
	}
	for (u64 bar = CFG_BAR0; bar <= CFG_BAR1; bar += 4) {
		seed_put(&s, 1, 1), seed_put(&s, bar, 2), seed_put(&s, 2, 1), seed_put(&s, ~0u, 8);
		seed_put(&s, 0, 1), seed_put(&s, bar, 2), seed_put(&s, 2, 1);
	}
	seed_put(&s, 1, 1), seed_put(&s, CFG_BAR0, 2), seed_put(&s, 2, 1), seed_put(&s, 0x70000000, 8);
	seed_put(&s, 1, 1), seed_put(&s, CFG_COMMAND, 2), seed_put(&s, 1, 1), seed_put(&s, 2, 8);
	seed_put(&s, 2, 1);
	seed_put(&s, 1, 1), seed_put(&s, CFG_COMMAND, 2), seed_put(&s, 1, 1), seed_put(&s, 0x402, 8);
	seed_put(&s, 1, 1), seed_put(&s, VPCI_CAP_PENDING, 2), seed_put(&s, 2, 1), seed_put(&s, 1, 8);
	seed_put(&s, 1, 1), seed_put(&s, VPCI_CAP_DOORBELL, 2), seed_put(&s, 2, 1), seed_put(&s, 1, 8);
	seed_put(&s, 5, 1), seed_put(&s, 0x8000, 2), seed_put(&s, 0, 1), seed_put(&s, 2, 1),
		seed_put(&s, 0xff, 8);
	fuzz_write_seed(dir, "uio-driver", s.b, s.len);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init(seeds);
	return 0;
}
