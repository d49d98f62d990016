/*
 * A channel end presented as a PCI function (docs/configuration.md,
 * "Channels", pci-ecam): a host bridge of its own whose 1 MiB ECAM (bus 0)
 * holds one device, 00.0. Its 64-bit BAR 0 is the shared memory, fixed at the
 * end's map; a vendor-specific capability rings the peer and acknowledges
 * the peer's rings; its INTA is a level SPI, so stock drivers (Linux's
 * uio_pci_generic) mask and unmask it with Command.Interrupt Disable.
 */
#ifndef VIRT_VPCI_H
#define VIRT_VPCI_H

#include <tessera/emul.h>
#include <tessera/spinlock.h>

struct vm;

/*
 * Identity. 0x7e55 is not a PCI-SIG registered vendor ID: nothing binds it on
 * its own; the guest binds uio_pci_generic to it by ID (new_id).
 */
#define VPCI_VENDOR_ID 0x7e55
#define VPCI_DEVICE_ID 0x0001

/*
 * The vendor-specific capability (PCI Local Bus Spec 3.0 6.7, cap ID 0x09):
 * 32-bit registers at these config space offsets.
 */
#define VPCI_CAP 0x40
#define VPCI_CAP_DOORBELL (VPCI_CAP + 0x4) /* W: any value rings the peer; reads 0 */
#define VPCI_CAP_PENDING (VPCI_CAP + 0x8)  /* R: bit 0, the peer rang; W1C acknowledges */
#define VPCI_CAP_FLAGS (VPCI_CAP + 0xc)    /* R: bit 0, this end is read-only */
#define VPCI_CAP_SIZE_LO (VPCI_CAP + 0x10) /* R: the shared memory's size */
#define VPCI_CAP_SIZE_HI (VPCI_CAP + 0x14)
#define VPCI_CAP_LEN 0x18
#define VPCI_PENDING BIT(0)
#define VPCI_FLAG_READ_ONLY BIT(0)

struct vpci {
	struct spinlock lock;
	struct vm *vm;
	u32 intid;   /* INTA: a level SPI */
	u64 bar;     /* the shared memory's IPA: the one address BAR 0 takes */
	u64 size;    /* its size, a power of two */
	bool read_only;
	/* How a DOORBELL write rings the peer (hyp/core/channel.c). */
	void (*ring)(void *ctx);
	void *ring_ctx;
	/* Guest-visible state, under the lock. */
	u16 command;
	u8 interrupt_line;
	bool sizing_lo, sizing_hi; /* all ones written to BAR 0 / BAR 1 */
	bool pending;              /* Status.Interrupt Status: rung, not acknowledged */
	bool ring_requested;       /* a DOORBELL write, rung once the lock is dropped */
};

void vpci_init(struct vpci *pci, struct vm *vm, u32 intid, u64 bar, u64 size, bool read_only,
	       void (*ring)(void *ctx), void *ring_ctx);
/* Its owner VM restarts: guest-visible state to reset, INTA low. */
void vpci_reset(struct vpci *pci);
/* The peer rang: sets Interrupt Status and drives INTA. Any CPU. */
void vpci_raise(struct vpci *pci);
/* The ECAM window (CONFIG_PCI_ECAM_SIZE), for vm_add_emul. */
enum mmio_result vpci_access(void *dev, struct mmio_access *acc);

#endif
