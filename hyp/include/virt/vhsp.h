/*
 * The emulated HSP block of a VM's virtual BPMP (virt/vbpmp.h): the
 * registers Linux's drivers/mailbox/tegra-hsp.c uses for the doorbells a
 * BPMP channel needs, and nothing else. Pure register state: vbpmp.c takes
 * its lock around it, drives the guest's interrupt from vhsp_line() and acts
 * on a guest's ring of the BPMP doorbell (vhsp_take_ring()).
 *
 * Register facts and their sources: drivers/tegra_hsp.h.
 */
#ifndef VIRT_VHSP_H
#define VIRT_VHSP_H

#include <drivers/tegra_hsp.h>
#include <tessera/emul.h>
#include <tessera/types.h>
#include <virt/vbpmp.h>

/*
 * One shared mailbox, 8 doorbells, no semaphore, no shared interrupt. The
 * mailbox is there for Linux: tegra_hsp_probe registers a shared-mailbox
 * controller of nSM channels whatever the DT uses, and
 * mbox_controller_register() refuses zero channels, failing the probe. With
 * nSM = 1 the doorbell page stays at 64 KiB (nSM / 2 = 0), and with nSI = 0
 * the driver sets up no mailbox (tegra_hsp_add_mailboxes needs a shared
 * interrupt), so none is emulated.
 */
#define VHSP_DIMENSIONING_VALUE (1U << HSP_DIM_NSM_SHIFT | 8U << HSP_DIM_NDB_SHIFT)
_Static_assert(VBPMP_HSP_DB_STRIDE == HSP_DB_STRIDE, "the guest's doorbells are Tegra's");

/* A doorbell register's offset in the block. */
#define VHSP_DB_REG(index, reg) (VBPMP_HSP_DB_OFFSET + (index) * VBPMP_HSP_DB_STRIDE + (reg))

struct vhsp {
	u32 ccplex_enable; /* masters allowed to ring the CCPLEX doorbell */
	u32 ccplex_raw;    /* masters that rang it and are not cleared yet */
	bool rang;         /* the guest wrote the BPMP doorbell's TRIGGER (vhsp_take_ring) */
};

/* Reset state: nothing enabled, nothing pending, no ring. */
void vhsp_reset(struct vhsp *hsp);

/* A guest access (offset within VBPMP_HSP_SIZE); emul.c's rules for the rest. */
enum mmio_result vhsp_access(struct vhsp *hsp, struct mmio_access *acc);

/* The BPMP side rings the CCPLEX doorbell as @master (HSP_MASTER_BPMP). */
void vhsp_ring_ccplex(struct vhsp *hsp, u32 master);

/* The "doorbell" interrupt level: a ring of the CCPLEX doorbell pending from an enabled master. */
bool vhsp_line(const struct vhsp *hsp);

/* True once per guest ring of the BPMP doorbell since the last call. */
bool vhsp_take_ring(struct vhsp *hsp);

#endif
