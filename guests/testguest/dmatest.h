/*
 * test=dma and test=canary: DMA isolation, seen from both sides.
 *
 * test=dma [victim=0xADDR] [reboot=1]: the VM owns a PCIe host bridge with QEMU's edu
 * device (QEMU docs/specs/edu.txt; run QEMU with -device edu,dma_mask=...
 * wide enough for RAM addresses). It finds the edu through ECAM, gives BAR0
 * an address in the bridge's 32-bit window, enables memory decoding and bus
 * mastering, copies a page from its RAM into the edu's buffer and back and
 * checks it, then has the edu write its buffer to @victim, another VM's
 * memory. Under Tessera the IOMMU stops that write and the VM is stopped.
 * With reboot=1, a first boot (/chosen/tessera,restart-count absent or 0)
 * restarts the VM (PSCI SYSTEM_RESET) after the copy: the second boot shows
 * the device's DMA works again after a restart before it tries the victim.
 *
 * test=canary [canary=0xADDR] [seconds=S]: fills a page (default: memory
 * base + 8 MiB) with a pattern and checks it every 100 ms for S seconds,
 * sleeping in WFI on the virtual timer in between.
 */
#ifndef TESTGUEST_DMATEST_H
#define TESTGUEST_DMATEST_H

#include "dt.h"

#define CANARY_OFFSET 0x800000 /* from the memory base */

/* Returns false when something it could check failed. */
bool test_dma(const struct dt_info *info, u64 victim, bool reboot);
bool test_canary(const struct dt_info *info, u64 addr, u64 seconds);

#endif
