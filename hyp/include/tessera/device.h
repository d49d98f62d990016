/*
 * Platform devices given to VMs (docs/configuration.md, "Devices"): their
 * MMIO pages mapped by the VM's stage-2 tables as device memory, their SPIs
 * routed to the CPU of the VM's first vCPU and forwarded with the list
 * register HW bit, so the guest's deactivation reaches the physical GIC.
 */
#ifndef TESSERA_DEVICE_H
#define TESSERA_DEVICE_H

#include <tessera/config.h>

struct vm;

/* Boot CPU, VM built: map its devices and route their interrupts. NULL or why not. */
const char *devices_create(struct vm *vm);
/*
 * A physical interrupt that belongs to a VM's device: drop its priority and
 * pend it in that VM (it stays active until the guest deactivates it). False
 * when @intid is not a device interrupt.
 */
bool device_irq_forward(u32 intid);
/* The VM stops: its devices' interrupts are masked. */
void devices_vm_stop(struct vm *vm);
/* The VM restarts: a forwarded interrupt it left active is cleared. */
void devices_vm_reset(struct vm *vm);

#endif
