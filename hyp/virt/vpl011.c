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

static u64 read_dr(void *dev, u32 offset)
{
	struct vpl011 *u = dev;
	int c = console_vm_getc(u->vm);

	(void)offset;
	vpl011_update_irq(u);
	return c < 0 ? 0 : (u64)c;
}

static void write_dr(void *dev, u32 offset, u64 value)
{
	struct vpl011 *u = dev;

	(void)offset;
	console_vm_putc(u->vm, (char)value);
}

static u64 read_fr(void *dev, u32 offset)
{
	struct vpl011 *u = dev;

	(void)offset;
	/* Output is taken synchronously: the transmitter is always empty. */
	return UARTFR_TXFE | (console_vm_rx_ready(u->vm) ? 0 : UARTFR_RXFE);
}

/* Plain read/write registers: the field at @offset in struct vpl011. */
static u32 *plain_reg(struct vpl011 *u, u32 offset)
{
	switch (offset) {
	case UARTILPR: return &u->ilpr;
	case UARTIBRD: return &u->ibrd;
	case UARTFBRD: return &u->fbrd;
	case UARTLCR_H: return &u->lcr_h;
	case UARTCR: return &u->cr;
	case UARTIFLS: return &u->ifls;
	case UARTIMSC: return &u->imsc;
	default: return &u->dmacr; /* UARTDMACR, the only other plain entry */
	}
}

static u64 read_plain(void *dev, u32 offset)
{
	return *plain_reg(dev, offset & ~3u);
}

static void write_plain(void *dev, u32 offset, u64 value)
{
	*plain_reg(dev, offset & ~3u) = (u32)value;
	if ((offset & ~3u) == UARTIMSC)
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

#define W_ANY (EMUL_W8 | EMUL_W16 | EMUL_W32)

static const struct emul_reg vpl011_regs[] = {
	{ UARTDR, 4, W_ANY, 0, read_dr, write_dr, 0 },
	{ UARTRSR, 4, W_ANY, 0, NULL, NULL, 0 }, /* no receive errors to report or clear */
	{ UARTFR, 4, W_ANY, 0, read_fr, NULL, 0 },
	{ UARTILPR, 4, W_ANY, 0, read_plain, write_plain, 0 },
	{ UARTIBRD, 4, W_ANY, 0, read_plain, write_plain, 0 },
	{ UARTFBRD, 4, W_ANY, 0, read_plain, write_plain, 0 },
	{ UARTLCR_H, 4, W_ANY, 0, read_plain, write_plain, 0 },
	{ UARTCR, 4, W_ANY, 0, read_plain, write_plain, 0 },
	{ UARTIFLS, 4, W_ANY, 0, read_plain, write_plain, 0 },
	{ UARTIMSC, 4, W_ANY, 0, read_plain, write_plain, 0 },
	{ UARTRIS, 4, W_ANY, 0, read_ris, NULL, 0 },
	{ UARTMIS, 4, W_ANY, 0, read_mis, NULL, 0 },
	{ UARTICR, 4, W_ANY, 0, NULL, NULL, 0 }, /* interrupts are level, from live state */
	{ UARTDMACR, 4, W_ANY, 0, read_plain, write_plain, 0 },
	{ UARTPERIPHID0, 0x20, W_ANY, 0, read_id, NULL, 0 },
};

enum mmio_result vpl011_access(void *dev, struct mmio_access *acc)
{
	return emul_regs_access(vpl011_regs, ARRAY_SIZE(vpl011_regs), dev, acc);
}
