/*
 * Virtual LANs between VMs (docs/networks.md): each member VM of a network
 * has a virtio-net device over virtio-mmio (virtio 1.2, 4.2.2 and 5.1) that
 * Tessera emulates, and Tessera is the switch between them. A frame goes
 * from the sender's TX buffers straight into a posted RX buffer of each
 * destination, copied by Tessera at EL2: no VM maps another's memory.
 */
#ifndef VIRT_VNET_H
#define VIRT_VNET_H

#include <tessera/config.h>
#include <tessera/guest_fdt.h>

struct vm;

/*
 * Boot CPU, after every VM is built and before any is loaded: one port per
 * member of each valid network whose VM was built, its device placed in
 * that VM; the console says why any other network is not set up.
 */
void vnets_create(const struct system_config *cfg);
/* The devices vnets_create() gave @vm, for its guest DT; returns how many (at most @max). */
unsigned int vnets_of_vm(const struct vm *vm, struct guest_fdt_virtio *out, unsigned int max);
/*
 * @vm stops, or is about to be rewritten (restart): its ports go dead. When
 * this returns no frame is being or will be written into its memory and no
 * frame of it is read, until the guest sets its device up again.
 */
void vnet_vm_stop(struct vm *vm);
/* @vm (re)starts, after its vGIC's reset: its devices to their reset state. */
void vnet_vm_reset(struct vm *vm);

#endif
