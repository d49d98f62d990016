/*
 * A Tessera channel end as Linux shows it: a PCI function (vendor 0x7e55,
 * device 0x0001; hyp/virt/vpci.c) bound to the stock uio_pci_generic driver.
 * The shared memory is BAR 0, mapped through sysfs resource0_wc; the doorbell
 * and the acknowledgement are registers of its vendor capability, reached
 * through sysfs config; read() of /dev/uioN blocks until the peer rings (the
 * driver then masks INTx, which chanuser unmasks after acknowledging).
 */
#ifndef CHANUSER_UIO_H
#define CHANUSER_UIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UIO_NAME_MAX 64

struct uio_channel {
	char dev[32];              /* /dev/uioN */
	char pci[32];              /* the function's address, e.g. 0100:00:00.0 */
	char name[UIO_NAME_MAX];   /* tessera,name of its DT node */
	char peer[UIO_NAME_MAX];   /* tessera,peer */
	bool read_only;            /* the capability's read-only flag */
	int fd;                    /* /dev/uioN */
	int config;                /* its sysfs config file */
	uint16_t command;          /* its Command register, INTx unmasked */
	uint64_t shm_addr, shm_size; /* BAR 0, from sysfs resource */
	void *shm;
	int32_t events;            /* the UIO event count last seen */
	uint64_t doorbells;        /* doorbells waited for */
};

/*
 * Finds the channel function named @name (NULL: the first, by PCI address)
 * bound to uio_pci_generic, opens and maps it. NULL, or why not (a static buffer).
 */
const char *uio_channel_open(struct uio_channel *c, const char *name);

/* The VM's own name, from the DT's /model "Tessera VM <name>"; NULL when not. */
const char *uio_vm_name(void);

/*
 * Writes the DOORBELL register, after the shared-memory stores are visible
 * (DSB); a failed write ends the program: "chanuser: FAILED (doorbell: <why>)".
 */
void uio_channel_ring(struct uio_channel *c);

/*
 * Waits at most @timeout_us for the next doorbell: NULL when exactly one came
 * (it is then acknowledged and INTx unmasked), else why not (a static buffer).
 */
const char *uio_channel_wait(struct uio_channel *c, uint64_t timeout_us);

#endif
