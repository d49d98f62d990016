/*
 * Inter-VM channels: a shared memory region mapped into two VMs by their
 * stage-2 tables (read-only for an end that says so), and one doorbell page
 * per end whose writes raise the peer's configured SPI.
 */
#ifndef TESSERA_CHANNEL_H
#define TESSERA_CHANNEL_H

#include <tessera/config.h>
#include <tessera/guest_fdt.h>

struct vm;

/*
 * Boot CPU, after every VM is built and before any is loaded: map and wire
 * the valid channels whose VMs were both built; the console says why any
 * other is not set up.
 */
void channels_create(const struct system_config *cfg);
/*
 * The ends @vm has of the channels channels_create() set up, for its guest
 * DT; returns how many (at most @max).
 */
unsigned int channels_of_vm(const struct system_config *cfg, const struct vm *vm,
			    struct guest_fdt_channel *out, unsigned int max);

/* @vm restarts (after its vGIC's reset): its channels' PCI functions to their reset state. */
void channels_vm_reset(struct vm *vm);
/* @vm stopped or restarted (vm_lifecycle.c): rings every channel peer of it. */
void channels_notify_peers(struct vm *vm);

#endif
