/*
 * A Tessera channel end as Linux shows it through UIO (guests/linux/kmod,
 * tessera_channel): /dev/uioN, whose device's of_node is the channel@ node;
 * map 0 the shared memory, map 1 the doorbell page (mmap offset N * page
 * size selects map N); read() blocks until the peer rings; writing an int32 1
 * re-enables the interrupt the handler disabled.
 */
#ifndef CHANUSER_UIO_H
#define CHANUSER_UIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UIO_NAME_MAX 64

struct uio_channel {
	char dev[32];              /* /dev/uioN */
	char name[UIO_NAME_MAX];   /* tessera,name */
	char peer[UIO_NAME_MAX];   /* tessera,peer */
	bool read_only;            /* tessera,read-only */
	int fd;
	uint64_t shm_addr, shm_size; /* map 0, from sysfs */
	uint64_t db_addr, db_size;   /* map 1 */
	void *shm;
	volatile uint32_t *doorbell;
	int32_t events;            /* the UIO event count last seen */
	uint64_t doorbells;        /* doorbells waited for */
};

/*
 * Finds the UIO device of the channel named @name (NULL: the first, by N),
 * opens and maps it. NULL, or why not (a static buffer).
 */
const char *uio_channel_open(struct uio_channel *c, const char *name);

/* The VM's own name, from the DT's /model "Tessera VM <name>"; NULL when not. */
const char *uio_vm_name(void);

/* Stores to the doorbell, after the shared-memory stores are visible (DSB). */
void uio_channel_ring(struct uio_channel *c);

/*
 * Waits at most @timeout_us for the next doorbell: NULL when exactly one came
 * (the interrupt is then enabled again), else why not (a static buffer).
 */
const char *uio_channel_wait(struct uio_channel *c, uint64_t timeout_us);

#endif
