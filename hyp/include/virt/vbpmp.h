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

#endif
