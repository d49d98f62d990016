/* Shared by vm.c (construction) and vm_lifecycle.c (start, stop, restart). */
#ifndef CORE_VM_INTERNAL_H
#define CORE_VM_INTERNAL_H

#include <tessera/vm.h>

/* VMs not stopped (atomic): the last VM to stop powers the machine off. */
extern u32 vms_running;

/* Fresh memory image: zeroed RAM, the image, the guest DT; non-zero when the DT does not fit. */
int vm_load(struct vm *vm);
/* Back to the state it booted in: vCPU 0 on at the image entry, the others off, time from 0. */
void vm_power_on_reset(struct vm *vm);

#endif
