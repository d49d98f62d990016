/*
 * The virtual BPMP a VM gets when devices given to it need BPMP clocks,
 * resets or power domains (vm_config.vbpmp): an emulated HSP block with the
 * CCPLEX and BPMP doorbells, and two pages of "SYSRAM" (the tx and rx pools
 * its IVC channels live in) that Tessera owns and maps into the VM. Linux's
 * stock tegra-hsp and tegra186 BPMP drivers drive it. Each request is
 * checked against the VM's allow-list (vbpmp_filter.h) and forwarded to the
 * real BPMP on Tessera's own channel (drivers/bpmp.h), or answered with a
 * BPMP error.
 *
 * Layout, as the guest DT describes it (core/guest_fdt_bpmp.c):
 *   hsp_ipa  + [0, VBPMP_HSP_SIZE): HSP registers; doorbells at
 *            VBPMP_HSP_DB_OFFSET + index * VBPMP_HSP_DB_STRIDE
 *   sram_ipa + [0, 4 KiB): cpu-bpmp-tx pool; + [4 KiB, 8 KiB): cpu-bpmp-rx pool
 */
#ifndef VIRT_VBPMP_H
#define VIRT_VBPMP_H

#include <tessera/types.h>

#define VBPMP_HSP_SIZE 0x20000U  /* common page, then the doorbell page at 64 KiB */
#define VBPMP_HSP_DB_OFFSET 0x10000U
#define VBPMP_HSP_DB_STRIDE 0x100U
#define VBPMP_SRAM_POOL_SIZE 0x1000U
#define VBPMP_SRAM_SIZE (2 * VBPMP_SRAM_POOL_SIZE)

/*
 * The guest's channels, where Linux puts them (drivers/firmware/tegra/bpmp.c
 * tegra186_soc, used from Tegra186 to 234; bpmp-tegra186.c
 * tegra186_bpmp_channel_init; read, not copied): channel i is one IVC queue
 * pair of one 128-byte frame (256 bytes a queue with its header), the
 * guest's queue to the BPMP at tx pool + i * 256, the BPMP's to it at rx
 * pool + i * 256. Threaded channels 0-2 and the atomic cpu_tx channel 3
 * carry requests; cpu_rx, channel 13, carries the BPMP's own requests to
 * the CPU, which Tessera never sends: only its reset handshake is answered.
 */
#define VBPMP_CHANNEL_STRIDE 0x100U
#define VBPMP_REQUEST_CHANNELS 4U /* 0, 1, 2 (threaded), 3 (cpu_tx) */
#define VBPMP_CPU_RX_CHANNEL 13U
#define VBPMP_CHANNELS (VBPMP_REQUEST_CHANNELS + 1)

struct vm;

/*
 * Boot: @vm gets its virtual BPMP (vm->cfg->vbpmp): Tessera's two SRAM pages
 * mapped at sram_ipa, the HSP registers at hsp_ipa. False when it cannot be
 * placed (no slot, or the addresses are taken).
 */
bool vbpmp_vm_create(struct vm *vm);
/*
 * @vm (re)starts, after its vGIC's reset: SRAM zeroed, channels back to
 * their reset handshake, HSP to reset state, the request it had queued or
 * on the BPMP dropped (a late answer for the old life is discarded).
 */
void vbpmp_vm_reset(struct vm *vm);
/* @vm stopped: its request is dropped. */
void vbpmp_vm_stop(struct vm *vm);

#endif
