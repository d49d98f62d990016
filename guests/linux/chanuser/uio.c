/*
 * A channel end through uio_pci_generic (uio.h). sysfs layout: Linux
 * Documentation/ABI/testing/sysfs-bus-pci (config, resource, resourceN_wc)
 * and Documentation/driver-api/uio-howto.rst ("Generic PCI UIO driver").
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uio.h"

#define SYS_PCI "/sys/bus/pci/devices"
#define MODEL_PREFIX "Tessera VM "

/* The function Tessera emulates, and its vendor capability (hyp/include/virt/vpci.h). */
#define VPCI_VENDOR_ID 0x7e55
#define VPCI_DEVICE_ID 0x0001
#define PCI_COMMAND 0x04
#define PCI_COMMAND_INTX_DISABLE 0x400 /* PCI Local Bus Spec 3.0 6.2.2 */
#define PCI_CAP_PTR 0x34
#define PCI_CAP_ID_VENDOR 0x09
#define VPCI_CAP 0x40
#define VPCI_CAP_DOORBELL (VPCI_CAP + 0x4)
#define VPCI_CAP_PENDING (VPCI_CAP + 0x8)
#define VPCI_CAP_FLAGS (VPCI_CAP + 0xc)
#define VPCI_PENDING 1u
#define VPCI_FLAG_READ_ONLY 1u

static char why[256];

static const char *fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return why;
}

/* A whole small file (a DT property, a sysfs value) into @buf; its length, or -1. */
static ssize_t slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* A sysfs number of function @pci ("0x7e55\n"). */
static long pci_attr(const char *pci, const char *attr)
{
	char path[128], text[32];

	snprintf(path, sizeof(path), SYS_PCI "/%.32s/%s", pci, attr);
	return slurp(path, text, sizeof(text)) > 0 ? strtol(text, NULL, 0) : -1;
}

/* A DT string property of the function's node (guest DT: pcie@.../channel@0,0). */
static bool dt_string(const char *pci, const char *prop, char *buf, size_t size)
{
	char path[160];
	ssize_t len;

	snprintf(path, sizeof(path), SYS_PCI "/%.32s/of_node/%s", pci, prop);
	len = slurp(path, buf, size);
	return len > 1 && buf[len - 1] == '\0';
}

/* N of the function's uioN (its uio/ directory), or -1 when no UIO driver has it. */
static int uio_number(const char *pci)
{
	char path[128];
	struct dirent *e;
	int n = -1;
	DIR *d;

	snprintf(path, sizeof(path), SYS_PCI "/%.32s/uio", pci);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (sscanf(e->d_name, "uio%d", &n) == 1)
			break;
	closedir(d);
	return n;
}

const char *uio_vm_name(void)
{
	static char model[UIO_NAME_MAX + sizeof(MODEL_PREFIX)];
	ssize_t len = slurp("/sys/firmware/devicetree/base/model", model, sizeof(model));

	if (len <= (ssize_t)sizeof(MODEL_PREFIX) || strncmp(model, MODEL_PREFIX, strlen(MODEL_PREFIX)))
		return NULL;
	return model + strlen(MODEL_PREFIX);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* The first (by PCI address) channel function named @name (any, when NULL); its uio N or -1. */
static int find(const char *name, struct uio_channel *c)
{
	struct dirent **list;
	int count = scandir(SYS_PCI, &list, NULL, by_name), found = -1;

	for (int i = 0; i < count; i++) {
		const char *pci = list[i]->d_name;

		if (found < 0 && pci_attr(pci, "vendor") == VPCI_VENDOR_ID &&
		    pci_attr(pci, "device") == VPCI_DEVICE_ID &&
		    dt_string(pci, "tessera,name", c->name, sizeof(c->name)) &&
		    dt_string(pci, "tessera,peer", c->peer, sizeof(c->peer)) &&
		    (!name || !strcmp(name, c->name)) && (found = uio_number(pci)) >= 0)
			snprintf(c->pci, sizeof(c->pci), "%.31s", pci);
		free(list[i]);
	}
	if (count >= 0)
		free(list);
	return found;
}

static bool config_read(struct uio_channel *c, uint32_t offset, void *v, size_t size)
{
	return pread(c->config, v, size, offset) == (ssize_t)size;
}

static bool config_write(struct uio_channel *c, uint32_t offset, const void *v, size_t size)
{
	return pwrite(c->config, v, size, offset) == (ssize_t)size;
}

/* BAR 0 from the first line of sysfs resource: "<start> <end> <flags>". */
static bool bar0(struct uio_channel *c)
{
	char path[128], text[256];
	uint64_t start, end;

	snprintf(path, sizeof(path), SYS_PCI "/%.32s/resource", c->pci);
	if (slurp(path, text, sizeof(text)) <= 0 ||
	    sscanf(text, "%" SCNx64 " %" SCNx64, &start, &end) != 2 || end <= start)
		return false;
	c->shm_addr = start;
	c->shm_size = end - start + 1;
	return true;
}

/*
 * Acknowledge the peer's ring, then let INTx through again (uio-howto: via
 * config). The Command value is the one read at open, unmasked: nothing else
 * changes it while the device is ours, and each config access is a trap.
 */
static const char *ack_and_unmask(struct uio_channel *c)
{
	uint32_t pending = VPCI_PENDING;

	if (!config_write(c, VPCI_CAP_PENDING, &pending, sizeof(pending)) ||
	    !config_write(c, PCI_COMMAND, &c->command, sizeof(c->command)))
		return fail("%s config: %s", c->pci, strerror(errno));
	return NULL;
}

/* The capability must be where Tessera puts it (this is its function, not a look-alike); Command. */
static const char *read_capability(struct uio_channel *c)
{
	uint8_t ptr, id;
	uint32_t flags;

	if (!config_read(c, PCI_CAP_PTR, &ptr, 1) || !config_read(c, VPCI_CAP, &id, 1) ||
	    !config_read(c, VPCI_CAP_FLAGS, &flags, sizeof(flags)) ||
	    !config_read(c, PCI_COMMAND, &c->command, sizeof(c->command)))
		return fail("%s config: %s", c->pci, strerror(errno));
	c->command &= (uint16_t)~PCI_COMMAND_INTX_DISABLE;
	if (ptr != VPCI_CAP || id != PCI_CAP_ID_VENDOR)
		return fail("%s: no vendor capability at 0x%x (pointer 0x%x, ID 0x%x)", c->pci,
			    VPCI_CAP, ptr, id);
	c->read_only = flags & VPCI_FLAG_READ_ONLY;
	return NULL;
}

const char *uio_channel_open(struct uio_channel *c, const char *name)
{
	char path[128], text[32];
	const char *err;
	int n, fd;
	struct pollfd pfd;

	memset(c, 0, sizeof(*c));
	c->fd = c->config = -1;
	n = find(name, c);
	if (n < 0)
		return fail("no PCI function %04x:%04x%s%s bound to uio_pci_generic under " SYS_PCI,
			    VPCI_VENDOR_ID, VPCI_DEVICE_ID, name ? " for channel " : "",
			    name ? name : "");
	snprintf(path, sizeof(path), SYS_PCI "/%.32s/config", c->pci);
	c->config = open(path, O_RDWR | O_CLOEXEC);
	if (c->config < 0)
		return fail("%s: %s", path, strerror(errno));
	err = read_capability(c);
	if (err)
		return err;
	if (!bar0(c))
		return fail("%s: no BAR 0 in sysfs resource", c->pci);
	snprintf(path, sizeof(path), "/sys/class/uio/uio%d/event", n);
	if (slurp(path, text, sizeof(text)) <= 0)
		return fail("uio%d: cannot read its event count", n);
	c->events = (int32_t)strtol(text, NULL, 10);
	snprintf(c->dev, sizeof(c->dev), "/dev/uio%d", n);
	c->fd = open(c->dev, O_RDONLY | O_CLOEXEC);
	if (c->fd < 0)
		return fail("%s: %s", c->dev, strerror(errno));

	/* Write-combining: Normal Non-cacheable on arm64, where unaligned and block accesses work. */
	snprintf(path, sizeof(path), SYS_PCI "/%.32s/resource0_wc", c->pci);
	fd = open(path, (c->read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0)
		return fail("%s: %s", path, strerror(errno));
	c->shm = mmap(NULL, c->shm_size, PROT_READ | (c->read_only ? 0 : PROT_WRITE), MAP_SHARED,
		      fd, 0);
	close(fd);
	if (c->shm == MAP_FAILED) {
		c->shm = NULL;
		return fail("mmap %s: %s", path, strerror(errno));
	}
	/* Unmasked and acknowledged, in case an earlier user left it otherwise; then nothing may be pending. */
	err = ack_and_unmask(c);
	if (err)
		return err;
	pfd = (struct pollfd){ .fd = c->fd, .events = POLLIN };
	if (poll(&pfd, 1, 0) != 0)
		return fail("%s: an event is pending before any doorbell", c->dev);
	return NULL;
}

void uio_channel_ring(struct uio_channel *c)
{
	uint32_t one = 1;

	/* The messages' stores (Normal Non-cacheable) before the doorbell. */
	__asm__ volatile("dsb st" : : : "memory");
	if (!config_write(c, VPCI_CAP_DOORBELL, &one, sizeof(one))) {
		printf("chanuser: FAILED (doorbell: %s config: %s)\n", c->pci, strerror(errno));
		exit(1);
	}
}

const char *uio_channel_wait(struct uio_channel *c, uint64_t timeout_us)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	const char *err;
	int32_t count;
	int ready;

	do
		ready = poll(&pfd, 1, (int)((timeout_us + 999) / 1000));
	while (ready < 0 && errno == EINTR);
	if (ready < 0)
		return fail("poll %s: %s", c->dev, strerror(errno));
	if (ready == 0)
		return fail("none within %" PRIu64 " ms; %" PRIu64 " received", timeout_us / 1000,
			    c->doorbells);
	if (read(c->fd, &count, sizeof(count)) != sizeof(count))
		return fail("read %s: %s", c->dev, strerror(errno));
	err = ack_and_unmask(c);
	if (err)
		return err;
	if (count != c->events + 1)
		return fail("event count %d after %d: %d doorbells at once", count, c->events,
			    count - c->events);
	c->events = count;
	c->doorbells++;
	/* What the peer published before ringing: no load of it before the count. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return NULL;
}
