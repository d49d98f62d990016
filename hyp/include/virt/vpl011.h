/*
 * Emulated PL011 UART, one per VM, at the IPA its config gives. Output goes
 * to the hypervisor console line by line; input comes from the console when
 * this VM holds it. Its level interrupt (VPL011_INTID) is raised while an
 * unmasked condition holds: transmitter ready, or input waiting.
 */
#ifndef VIRT_VPL011_H
#define VIRT_VPL011_H

#include <drivers/pl011.h>
#include <tessera/compiler.h>
#include <tessera/emul.h>

struct vm;

struct vpl011 {
	struct vm *vm;
	u32 cr, lcr_h, ibrd, fbrd, ifls, imsc, ris, dmacr, ilpr;
};

#define VPL011_SIZE SZ_4K
/* Its interrupt: SPI 1, where QEMU virt has its PL011 (the guest DT says so). */
#define VPL011_INTID 33

void vpl011_init(struct vpl011 *uart, struct vm *vm);
enum mmio_result vpl011_access(void *dev, struct mmio_access *acc);
/* Drive its interrupt line from the current state (after input arrived, for one). */
void vpl011_update_irq(struct vpl011 *uart);

/*
 * The guest's receiver is on: UARTCR.UARTEN and UARTCR.RXE (PL011 TRM
 * 3.3.8), the state a real PL011 receives in. Written by the VM's own CPU;
 * a racy read is at worst one byte's worth stale, as a real UART's timing.
 */
static inline bool vpl011_receiver_on(const struct vpl011 *uart)
{
	u32 cr = READ_ONCE(uart->cr);

	return (cr & (UARTCR_UARTEN | UARTCR_RXE)) == (UARTCR_UARTEN | UARTCR_RXE);
}

#endif
