/*
 * A channel end as a PCI function (virt/vpci.h). Configuration space: PCI
 * Local Bus Spec 3.0 chapter 6 (type 0 header, 6.1-6.2; capabilities, 6.7);
 * ECAM layout: PCIe Base Spec 4.0 7.2.2. Only bus 0 device 0 function 0
 * exists: every other function's space reads all ones (no device there,
 * PCI 3.0 6.1) and ignores writes.
 */
#include <virt/vgic.h>
#include <virt/vpci.h>

/* ECAM: function (bus 0, device d, function f) at offset (d << 15 | f << 12). */
#define ECAM_FUNCTION_SIZE SZ_4K

/* Type 0 header registers (PCI 3.0 6.1, Figure 6-1), as dwords. */
#define CFG_ID 0x00           /* Device ID << 16 | Vendor ID */
#define CFG_COMMAND 0x04      /* Status << 16 | Command */
#define CFG_CLASS 0x08        /* Class Code << 8 | Revision ID */
#define CFG_HEADER 0x0c       /* BIST, Header Type, Latency Timer, Cache Line Size */
#define CFG_BAR0 0x10
#define CFG_BAR1 0x14
#define CFG_SUBSYSTEM 0x2c    /* Subsystem ID << 16 | Subsystem Vendor ID */
#define CFG_CAP_PTR 0x34
#define CFG_INTERRUPT 0x3c    /* Max_Lat, Min_Gnt, Interrupt Pin, Interrupt Line */

/* Command (6.2.2): what the guest may set. Memory decoding is not emulated: BAR 0 is always mapped. */
#define CMD_MEMORY BIT(1)
#define CMD_INTX_DISABLE BIT(10)
#define CMD_WRITABLE (CMD_MEMORY | CMD_INTX_DISABLE)
/* Status (6.2.3). */
#define STATUS_INTERRUPT BIT(3)
#define STATUS_CAP_LIST BIT(4)

#define REVISION 1
#define CLASS_MEMORY_RAM 0x050000 /* memory controller, RAM (PCI Code and ID Assignment 1.x, D.6) */
#define INTERRUPT_PIN_INTA 1

/* BAR (6.2.5.1): memory, 64-bit (type 10b), prefetchable. */
#define BAR_TYPE_64 (2u << 1)
#define BAR_PREFETCHABLE BIT(3)
#define BAR_FLAGS (BAR_TYPE_64 | BAR_PREFETCHABLE)
#define BAR_SIZING 0xffffffffu

#define CAP_ID_VENDOR 0x09

void vpci_init(struct vpci *pci, struct vm *vm, u32 intid, u64 bar, u64 size, bool read_only,
	       void (*ring)(void *ctx), void *ring_ctx)
{
	*pci = (struct vpci){ .vm = vm, .intid = intid, .bar = bar, .size = size,
			      .read_only = read_only, .ring = ring, .ring_ctx = ring_ctx };
}

/* INTx is level (PCI 3.0 2.2.6): asserted while rung and not masked by the guest. */
static void update_intx(struct vpci *pci)
{
	vgic_set_level(pci->vm, pci->intid, pci->pending && !(pci->command & CMD_INTX_DISABLE));
}

/*
 * The function's reset state, as a system reset gives a PCI function (PCI
 * 3.0 6.2.2: Command 0, so INTx enabled; no ring pending), with INTA driven
 * to match in the same step: a ring that raced the restart is in the new
 * life whole (both bits) or not at all (vm_power_on_reset calls this after
 * the vGIC's reset).
 */
void vpci_reset(struct vpci *pci)
{
	spin_lock(&pci->lock);
	pci->command = 0;
	pci->interrupt_line = 0;
	pci->sizing_lo = pci->sizing_hi = false;
	pci->pending = false;
	pci->ring_requested = false;
	update_intx(pci);
	spin_unlock(&pci->lock);
}

void vpci_raise(struct vpci *pci)
{
	spin_lock(&pci->lock);
	pci->pending = true;
	update_intx(pci);
	spin_unlock(&pci->lock);
}

static u64 read_const(void *dev, u32 offset)
{
	struct vpci *pci = dev;

	switch (offset) {
	case CFG_ID: return (u32)VPCI_DEVICE_ID << 16 | VPCI_VENDOR_ID;
	case CFG_CLASS: return (u32)CLASS_MEMORY_RAM << 8 | REVISION;
	case CFG_SUBSYSTEM: return (u32)VPCI_DEVICE_ID << 16 | VPCI_VENDOR_ID;
	case CFG_CAP_PTR: return VPCI_CAP;
	case VPCI_CAP: return VPCI_CAP_LEN << 16 | CAP_ID_VENDOR; /* next pointer 0: the last */
	case VPCI_CAP_FLAGS: return pci->read_only ? VPCI_FLAG_READ_ONLY : 0;
	case VPCI_CAP_SIZE_LO: return (u32)pci->size;
	case VPCI_CAP_SIZE_HI: return (u32)(pci->size >> 32);
	default: return 0; /* CFG_HEADER: type 0, single function, no BIST */
	}
}

static u64 read_command(void *dev, u32 offset)
{
	struct vpci *pci = dev;
	u32 status = STATUS_CAP_LIST | (pci->pending ? STATUS_INTERRUPT : 0);

	(void)offset;
	return status << 16 | pci->command;
}

/* The Status half's bits are read-only here (none of its RW1C bits is implemented). */
static void write_command(void *dev, u32 offset, u64 value)
{
	struct vpci *pci = dev;

	(void)offset;
	pci->command = (u16)(value & CMD_WRITABLE);
	update_intx(pci);
}

/*
 * BAR 0 / BAR 1, the low and high dwords. The shared memory's stage-2
 * mapping is fixed, so the BAR holds its address and nothing else: sizing
 * (all ones) reads back the size mask, the address is accepted, any other
 * value is ignored. The guest DT's only window is that address (guest_fdt.c).
 */
static u64 read_bar(void *dev, u32 offset)
{
	struct vpci *pci = dev;
	u64 value = (offset == CFG_BAR0 ? pci->sizing_lo : pci->sizing_hi) ? ~(pci->size - 1)
									     : pci->bar;

	return offset == CFG_BAR0 ? ((u32)value & ~0xfu) | BAR_FLAGS : (u32)(value >> 32);
}

static void write_bar(void *dev, u32 offset, u64 value)
{
	struct vpci *pci = dev;
	bool lo = offset == CFG_BAR0;
	u32 ours = lo ? (u32)pci->bar : (u32)(pci->bar >> 32);
	bool *sizing = lo ? &pci->sizing_lo : &pci->sizing_hi;

	if (value == BAR_SIZING)
		*sizing = true;
	else if ((lo ? (u32)value & ~0xfu : (u32)value) == ours)
		*sizing = false;
}

static u64 read_interrupt(void *dev, u32 offset)
{
	struct vpci *pci = dev;

	(void)offset;
	return INTERRUPT_PIN_INTA << 8 | pci->interrupt_line;
}

/* Interrupt Line is a scratch byte for the guest (6.2.4); the rest is read-only. */
static void write_interrupt(void *dev, u32 offset, u64 value)
{
	struct vpci *pci = dev;

	(void)offset;
	pci->interrupt_line = (u8)value;
}

static void write_doorbell(void *dev, u32 offset, u64 value)
{
	struct vpci *pci = dev;

	(void)offset;
	(void)value;
	pci->ring_requested = true; /* rung after the lock is dropped: the peer has its own */
}

static u64 read_pending(void *dev, u32 offset)
{
	struct vpci *pci = dev;

	(void)offset;
	return pci->pending ? VPCI_PENDING : 0;
}

static void write_pending(void *dev, u32 offset, u64 value)
{
	struct vpci *pci = dev;

	(void)offset;
	if (value & VPCI_PENDING) {
		pci->pending = false;
		update_intx(pci);
	}
}

/* Dwords only: vpci_access() turns narrower accesses into whole-dword ones. */
static const struct emul_reg config_regs[] = {
	{ CFG_ID, 4, EMUL_W32, 0, 0, read_const, NULL },
	{ CFG_COMMAND, 4, EMUL_W32, 0, 0, read_command, write_command },
	{ CFG_CLASS, 4, EMUL_W32, 0, 0, read_const, NULL },
	{ CFG_BAR0, 4, EMUL_W32, 0, 0, read_bar, write_bar },
	{ CFG_BAR1, 4, EMUL_W32, 0, 0, read_bar, write_bar },
	{ CFG_SUBSYSTEM, 4, EMUL_W32, 0, 0, read_const, NULL },
	{ CFG_CAP_PTR, 4, EMUL_W32, 0, 0, read_const, NULL },
	{ CFG_INTERRUPT, 4, EMUL_W32, 0, 0, read_interrupt, write_interrupt },
	{ VPCI_CAP, 4, EMUL_W32, 0, 0, read_const, NULL },
	{ VPCI_CAP_DOORBELL, 4, EMUL_W32, 0, 0, NULL, write_doorbell },
	{ VPCI_CAP_PENDING, 4, EMUL_W32, 0, 0, read_pending, write_pending },
	{ VPCI_CAP_FLAGS, 4, EMUL_W32, 0, 0, read_const, NULL },
	{ VPCI_CAP_SIZE_LO, 4, EMUL_W32, 0, 0, read_const, NULL },
	{ VPCI_CAP_SIZE_HI, 4, EMUL_W32, 0, 0, read_const, NULL },
};

static u32 dword(struct vpci *pci, u64 offset, bool is_write, u32 value)
{
	struct mmio_access dw = { .offset = offset, .size = 4, .is_write = is_write, .value = value };

	emul_regs_access(config_regs, ARRAY_SIZE(config_regs), pci, &dw);
	return (u32)dw.value;
}

/*
 * Configuration space is dwords (PCI 3.0 6.1) that software may reach by
 * byte, word or dword. A narrower write is merged into the dword read back
 * first, so every register callback sees whole dwords. No register has read
 * side effects; the one write-1-to-clear bit (PENDING) is left out of the
 * read-back, so only a write that covers it acknowledges.
 */
enum mmio_result vpci_access(void *dev, struct mmio_access *acc)
{
	struct vpci *pci = dev;
	u64 dw_offset = acc->offset & ~3ULL;
	unsigned int shift = (unsigned int)(acc->offset & 3) * 8;
	u32 mask = acc->size >= 4 ? ~0u : (1u << (acc->size * 8)) - 1;
	bool ring;
	u32 v;

	/* ECAM accesses are at most a dword, naturally aligned (PCIe Base Spec 4.0 7.2.2). */
	if (acc->size > 4 || !IS_ALIGNED(acc->offset, acc->size))
		return MMIO_BAD_ACCESS;
	if (acc->offset >= ECAM_FUNCTION_SIZE) {
		if (!acc->is_write)
			acc->value = mask;
		return MMIO_OK;
	}
	spin_lock(&pci->lock);
	v = dword(pci, dw_offset, false, 0);
	if (acc->is_write) {
		if (dw_offset == VPCI_CAP_PENDING)
			v &= ~VPCI_PENDING;
		v = (v & ~(mask << shift)) | (((u32)acc->value & mask) << shift);
		dword(pci, dw_offset, true, v);
	} else {
		acc->value = (v >> shift) & mask;
	}
	ring = pci->ring_requested;
	pci->ring_requested = false;
	spin_unlock(&pci->lock);
	if (ring)
		pci->ring(pci->ring_ctx);
	return MMIO_OK;
}
