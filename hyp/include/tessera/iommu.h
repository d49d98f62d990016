/*
 * DMA isolation with the platform's IOMMUs, whatever their kind (SMMUv3
 * today, Arm MMU-500 / SMMUv2 on Jetson Orin next: tessera/iommu_driver.h is
 * what a driver implements).
 *
 * At boot every IOMMU the boot DT describes is reset with every stream
 * aborting. A VM given a device gets its stream IDs attached to the VM's DMA
 * context: the memory its stage 2 lets it write or read (its RAM and its
 * channels' memory, at the same IPA -> PA), nothing else. A DMA outside it is
 * stopped by the IOMMU and reported on the console with the stream, the
 * address and the fault; the VM's DMA is then blocked and the VM stopped.
 */
#ifndef TESSERA_IOMMU_H
#define TESSERA_IOMMU_H

#include <tessera/platform.h>
#include <tessera/types.h>

struct vm;

/*
 * Boot CPU, MMU on, before any VM is built: probes every IOMMU of @plat
 * (nodes of its boot DT, plat->fdt) that has a driver, every stream
 * aborting. Their interrupts go to the CPU with @irq_mpidr.
 */
void iommu_probe(const struct platform *plat, u64 irq_mpidr);

/*
 * Boot: @vm may DMA to IPA [ipa, ipa + size), which its stage 2 maps to
 * [pa, pa + size) with @prot (PT_R, PT_W). Called next to every stage-2
 * mapping of memory (RAM, channels), never for device registers. Returns
 * 0, or -1 after printing why (no table memory left).
 */
int iommu_vm_map(struct vm *vm, u64 ipa, u64 pa, u64 size, unsigned int prot);

/*
 * Boot: streams [sid_base, sid_base + count) of the IOMMU with DT phandle
 * @iommu_phandle carry @vm's DMA. Returns 0, or -1 after printing why (no
 * such IOMMU, streams already given to another VM, out of range).
 */
int iommu_attach_streams(struct vm *vm, u32 iommu_phandle, u32 sid_base, u32 count);

/*
 * Boot: every stream of the device at @node of the boot DT @fdt (its iommus,
 * or a PCI host bridge's iommu-map) carries @vm's DMA. Returns 0 (also for a
 * device that does no DMA through an IOMMU), or -1 after printing why.
 */
int iommu_attach_device(struct vm *vm, const void *fdt, int node);

/* Any CPU: @vm's streams abort (it stopped, or it is about to be reloaded). */
void iommu_vm_stop(struct vm *vm);
/* After a reload (PSCI SYSTEM_RESET): @vm's streams translate again. */
void iommu_vm_start(struct vm *vm);

/* An interrupt Tessera took: true when it was an IOMMU's (then handled). */
bool iommu_irq(u32 intid);

#endif
