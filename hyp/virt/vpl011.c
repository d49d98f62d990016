/*
 * Emulated PL011 (TRM DDI 0183G). Enough of the register file for polled
 * drivers and Linux's amba-pl011 probe: data, flags, the line/control
 * registers read back what was written, the identification registers carry
 * the values of a real r1p5 PL011 (as QEMU's model does).
 */
#include <drivers/pl011.h>
#include <tessera/console.h>
#include <tessera/vm.h>
#include <virt/vgic.h>
#include <virt/vpl011.h>

static const u8 pl011_id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

void vpl011_init(struct vpl011 *uart, struct vm *vm)
{
	*uart = (struct vpl011){ .vm = vm, .cr = UARTCR_RESET };
}

/* Interrupt status: the transmitter is always ready, the receiver when input waits. */
static u32 raw_status(struct vpl011 *u)
{
	return UART_TXI | (console_vm_rx_pending(u->vm) ? UART_RXI | UART_RTI : 0);
}

/*
 * The interrupt line is level: (RIS & IMSC) != 0, re-evaluated after every
 * change. Sampled and driven in one step under vm->lock, and only while the
 * VM runs (tessera/vm.h): the console's CPU calls this too, and a restart
 * resets this model and the vGIC while the VM is not running, so a level
 * sampled in the old life never lands in the new one. The registers are the
 * VM's own CPU's to write; it samples again after an IMSC write, and the lock
 * orders the samples, so the last one driven is never older than the last
 * write.
 */
void vpl011_update_irq(struct vpl011 *u)
{
	struct vm *vm = u->vm;

	spin_lock(&vm->lock);
	if (vm_running_locked(vm))
		vgic_set_level(vm, VPL011_INTID, (raw_status(u) & u->imsc) != 0);
	spin_unlock(&vm->lock);
}

/*
 * UARTDR (TRM 3.3.1): the character in bits [7:0], its receive error flags in
 * [11:8] (never set here). Reading it takes a character, so its lanes are
 * told apart here rather than by EMUL_LANES: an access at lane 1-3 misses the
 * character's bits, reads its flags (zero) without taking it and sends nothing.
 */
static u64 read_dr(void *dev, u32 offset)
{
	struct vpl011 *u = dev;
	int c;

	if (offset != UARTDR)
		return 0;
	c = console_vm_getc(u->vm);
	vpl011_update_irq(u);
	return c < 0 ? 0 : (u64)c;
}

static void write_dr(void *dev, u32 offset, u64 value)
{
	struct vpl011 *u = dev;

	if (offset == UARTDR)
		console_vm_putc(u->vm, (char)value);
}

static u64 read_fr(void *dev, u32 offset)
{
	struct vpl011 *u = dev;

	(void)offset;
	/* Output is taken synchronously: the transmitter is always empty. */
	return UARTFR_TXFE | (console_vm_rx_ready(u->vm) ? 0 : UARTFR_RXFE);
}

/*
 * Plain read/write registers: the field at @offset in struct vpl011, and the
 * bits the register has (TRM Table 3-1 widths); the rest are reserved and
 * read as zero.
 */
static u32 *plain_reg(struct vpl011 *u, u32 offset, u32 *bits)
{
	switch (offset) {
	case UARTILPR: *bits = 0xff; return &u->ilpr;
	case UARTIBRD: *bits = 0xffff; return &u->ibrd;
	case UARTFBRD: *bits = 0x3f; return &u->fbrd;
	case UARTLCR_H: *bits = 0xff; return &u->lcr_h;
	case UARTCR: *bits = 0xff87; return &u->cr; /* bits 6:3 reserved */
	case UARTIFLS: *bits = 0x3f; return &u->ifls;
	case UARTIMSC: *bits = 0x7ff; return &u->imsc;
	default: *bits = 0x7; return &u->dmacr; /* UARTDMACR, the only other plain entry */
	}
}

/* EMUL_LANES registers: @offset is the register's own, @value the whole register. */
static u64 read_plain(void *dev, u32 offset)
{
	u32 bits;

	return *plain_reg(dev, offset, &bits);
}

static void write_plain(void *dev, u32 offset, u64 value)
{
	u32 bits;
	u32 *reg = plain_reg(dev, offset, &bits);

	*reg = (u32)value & bits;
	if (offset == UARTIMSC)
		vpl011_update_irq(dev);
}

static u64 read_ris(void *dev, u32 offset)
{
	(void)offset;
	return raw_status(dev);
}

static u64 read_mis(void *dev, u32 offset)
{
	struct vpl011 *u = dev;

	return read_ris(dev, offset) & u->imsc;
}

static u64 read_id(void *dev, u32 offset)
{
	(void)dev;
	return pl011_id[(offset - UARTPERIPHID0) / 4];
}

/*
 * Every register is a 32-bit word at a word offset (the PL011 decodes
 * PADDR[11:2], TRM 3.2) holding at most 16 bits (Table 3-1), and drivers
 * reach it by byte, halfword or word: Linux's amba-pl011 by halfword,
 * earlycon by byte. A narrower access reads or writes the bytes at its lane
 * (EMUL_LANES, core/emul.c); UARTDR tells its lanes apart itself.
 */
#define W_ANY (EMUL_W8 | EMUL_W16 | EMUL_W32)
#define LANES EMUL_LANES

static const struct emul_reg vpl011_regs[] = {
	{ UARTDR, 4, W_ANY, 0, 0, read_dr, write_dr },
	{ UARTRSR, 4, W_ANY, 0, LANES, NULL, NULL }, /* no receive errors to report or clear */
	{ UARTFR, 4, W_ANY, 0, LANES, read_fr, NULL },
	{ UARTILPR, 4, W_ANY, 0, LANES, read_plain, write_plain },
	{ UARTIBRD, 4, W_ANY, 0, LANES, read_plain, write_plain },
	{ UARTFBRD, 4, W_ANY, 0, LANES, read_plain, write_plain },
	{ UARTLCR_H, 4, W_ANY, 0, LANES, read_plain, write_plain },
	{ UARTCR, 4, W_ANY, 0, LANES, read_plain, write_plain },
	{ UARTIFLS, 4, W_ANY, 0, LANES, read_plain, write_plain },
	{ UARTIMSC, 4, W_ANY, 0, LANES, read_plain, write_plain },
	{ UARTRIS, 4, W_ANY, 0, LANES, read_ris, NULL },
	{ UARTMIS, 4, W_ANY, 0, LANES, read_mis, NULL },
	{ UARTICR, 4, W_ANY, 0, LANES, NULL, NULL }, /* interrupts are level, from live state */
	{ UARTDMACR, 4, W_ANY, 0, LANES, read_plain, write_plain },
	{ UARTPERIPHID0, 0x20, W_ANY, 0, LANES, read_id, NULL },
};

enum mmio_result vpl011_access(void *dev, struct mmio_access *acc)
{
	return emul_regs_access(vpl011_regs, ARRAY_SIZE(vpl011_regs), dev, acc);
}
