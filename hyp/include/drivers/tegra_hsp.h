/*
 * Tegra HSP doorbells: the register facts both Tessera's own BPMP channel
 * (drivers/bpmp.h) and the virtual HSP a VM gets (virt/vhsp.h) use, from
 * Linux drivers/mailbox/tegra-hsp.c and
 * include/dt-bindings/mailbox/tegra186-hsp.h (read, not copied):
 *  - HSP_INT_DIMENSIONING (common page, 0x380) gives the shared mailbox,
 *    shared semaphore, arbitrated semaphore, doorbell and shared interrupt
 *    counts in 4-bit fields at bits 0, 4, 8, 12, 16; the doorbell page
 *    starts at (1 + nSM / 2 + nSS + nAS) * 64 KiB, doorbell i at
 *    + i * 0x100 (tegra_hsp_doorbell_create; reg_stride 0x100 up to Tegra234);
 *  - a doorbell's registers: TRIGGER 0x0, ENABLE 0x4, RAW 0x8, PENDING 0xc;
 *  - doorbell 1 is the CCPLEX's (what the CPU is rung on), doorbell 3 the
 *    BPMP's (HSP_DB_CCPLEX, HSP_DB_BPMP); masters are bit numbers in
 *    ENABLE / PENDING: CCPLEX 17, BPMP 19 (TEGRA_HSP_DB_MASTER_*);
 *  - the CPU lets a master ring it by setting its bit in the CCPLEX
 *    doorbell's ENABLE (tegra_hsp_doorbell_startup), rings the BPMP by
 *    writing 1 to the BPMP doorbell's TRIGGER (tegra_hsp_doorbell_send_data)
 *    and, on the HSP's "doorbell" interrupt, reads the CCPLEX doorbell's
 *    PENDING and writes the value back to clear it (tegra_hsp_doorbell_irq).
 */
#ifndef DRIVERS_TEGRA_HSP_H
#define DRIVERS_TEGRA_HSP_H

#include <tessera/types.h>

#define HSP_DIMENSIONING 0x380U
#define HSP_DIM_FIELD(dim, shift) (((dim) >> (shift)) & 0xfU)
#define HSP_DIM_NSM_SHIFT 0
#define HSP_DIM_NSS_SHIFT 4
#define HSP_DIM_NAS_SHIFT 8
#define HSP_DIM_NDB_SHIFT 12
#define HSP_DIM_NSI_SHIFT 16

#define HSP_DB_STRIDE 0x100U
#define HSP_DB_TRIGGER 0x0U
#define HSP_DB_ENABLE 0x4U
#define HSP_DB_RAW 0x8U
#define HSP_DB_PENDING 0xcU

#define HSP_DB_CCPLEX 1U
#define HSP_DB_BPMP 3U
#define HSP_MASTER_CCPLEX 17U
#define HSP_MASTER_BPMP 19U

/* Where the doorbell page starts in the block, from its dimensioning register. */
static inline u64 hsp_doorbell_page(u32 dimensioning)
{
	return (1 + HSP_DIM_FIELD(dimensioning, HSP_DIM_NSM_SHIFT) / 2 +
		HSP_DIM_FIELD(dimensioning, HSP_DIM_NSS_SHIFT) +
		HSP_DIM_FIELD(dimensioning, HSP_DIM_NAS_SHIFT)) * (u64)SZ_64K;
}

#endif
