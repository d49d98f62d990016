/*
 * Emulated PL011 UART, one per VM, at the IPA its config gives. Output goes
 * to the hypervisor console line by line; input comes from the console when
 * this VM holds it. Polled only for now: no interrupt is raised.
 */
#ifndef VIRT_VPL011_H
#define VIRT_VPL011_H

#include <tessera/emul.h>

struct vm;

struct vpl011 {
	struct vm *vm;
	u32 cr, lcr_h, ibrd, fbrd, ifls, imsc, ris, dmacr, ilpr;
};

#define VPL011_SIZE SZ_4K

void vpl011_init(struct vpl011 *uart, struct vm *vm);
enum mmio_result vpl011_access(void *dev, struct mmio_access *acc);

#endif
