/* A channel end through /dev/uioN (uio.h); sysfs layout: Linux Documentation/driver-api/uio-howto.rst. */
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

#define SYS_UIO "/sys/class/uio"
#define UIO_MAX 64
#define MODEL_PREFIX "Tessera VM "

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

/* A DT string property of uioN's node: NUL-terminated, non-empty. */
static bool dt_string(unsigned int n, const char *prop, char *buf, size_t size)
{
	char path[128];
	ssize_t len;

	snprintf(path, sizeof(path), SYS_UIO "/uio%u/device/of_node/%s", n, prop);
	len = slurp(path, buf, size);
	return len > 1 && buf[len - 1] == '\0';
}

/* Does uioN's DT node list "tessera,channel" in its compatible? */
static bool is_channel(unsigned int n)
{
	char path[128], list[256];
	ssize_t len;

	snprintf(path, sizeof(path), SYS_UIO "/uio%u/device/of_node/compatible", n);
	len = slurp(path, list, sizeof(list));
	for (ssize_t i = 0; i < len; i += (ssize_t)strlen(list + i) + 1)
		if (!strcmp(list + i, "tessera,channel"))
			return true;
	return false;
}

/* maps/map<m>/<attr> of uioN, a hexadecimal number. */
static bool map_attr(unsigned int n, unsigned int m, const char *attr, uint64_t *v)
{
	char path[128], text[32], *end;

	snprintf(path, sizeof(path), SYS_UIO "/uio%u/maps/map%u/%s", n, m, attr);
	if (slurp(path, text, sizeof(text)) <= 0)
		return false;
	errno = 0;
	*v = strtoull(text, &end, 16);
	return !errno && end != text;
}

const char *uio_vm_name(void)
{
	static char model[UIO_NAME_MAX + sizeof(MODEL_PREFIX)];
	ssize_t len = slurp("/sys/firmware/devicetree/base/model", model, sizeof(model));

	if (len <= (ssize_t)sizeof(MODEL_PREFIX) || strncmp(model, MODEL_PREFIX, strlen(MODEL_PREFIX)))
		return NULL;
	return model + strlen(MODEL_PREFIX);
}

/* The lowest N whose uioN is a channel named @name (any, when NULL); -1 when none. */
static int find(const char *name, struct uio_channel *c)
{
	for (unsigned int n = 0; n < UIO_MAX; n++) {
		if (!is_channel(n) || !dt_string(n, "tessera,name", c->name, sizeof(c->name)) ||
		    !dt_string(n, "tessera,peer", c->peer, sizeof(c->peer)))
			continue;
		if (!name || !strcmp(name, c->name))
			return (int)n;
	}
	return -1;
}

static void *map(struct uio_channel *c, unsigned int m, uint64_t size, int prot)
{
	void *p = mmap(NULL, size, prot, MAP_SHARED, c->fd, (off_t)m * sysconf(_SC_PAGESIZE));

	return p == MAP_FAILED ? NULL : p;
}

const char *uio_channel_open(struct uio_channel *c, const char *name)
{
	char path[128], text[32];
	int n, prot = PROT_READ;
	int32_t on = 1;
	struct pollfd pfd;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	n = find(name, c);
	if (n < 0)
		return name ? fail("no UIO device for channel %s under " SYS_UIO, name)
			    : fail("no UIO device of a tessera,channel node under " SYS_UIO);
	snprintf(path, sizeof(path), SYS_UIO "/uio%d/device/of_node/tessera,read-only", n);
	c->read_only = access(path, F_OK) == 0;
	if (!map_attr((unsigned int)n, 0, "addr", &c->shm_addr) ||
	    !map_attr((unsigned int)n, 0, "size", &c->shm_size) ||
	    !map_attr((unsigned int)n, 1, "addr", &c->db_addr) ||
	    !map_attr((unsigned int)n, 1, "size", &c->db_size))
		return fail("uio%d: no maps/map0 and maps/map1 (shared memory, doorbell)", n);
	snprintf(path, sizeof(path), SYS_UIO "/uio%d/event", n);
	if (slurp(path, text, sizeof(text)) <= 0)
		return fail("uio%d: cannot read its event count", n);
	c->events = (int32_t)strtol(text, NULL, 10);

	snprintf(c->dev, sizeof(c->dev), "/dev/uio%d", n);
	c->fd = open(c->dev, O_RDWR | O_CLOEXEC);
	if (c->fd < 0)
		return fail("%s: %s", c->dev, strerror(errno));
	if (!c->read_only)
		prot |= PROT_WRITE;
	c->shm = map(c, 0, c->shm_size, prot);
	c->doorbell = map(c, 1, c->db_size, PROT_READ | PROT_WRITE);
	if (!c->shm || !c->doorbell)
		return fail("%s: mmap of map%d: %s", c->dev, c->shm ? 1 : 0, strerror(errno));
	/* Enabled, in case an earlier user left it disabled; then nothing may be pending. */
	if (write(c->fd, &on, sizeof(on)) != sizeof(on))
		return fail("%s: writing 1 (enable the interrupt): %s", c->dev, strerror(errno));
	pfd = (struct pollfd){ .fd = c->fd, .events = POLLIN };
	if (poll(&pfd, 1, 0) != 0)
		return fail("%s: an event is pending before any doorbell", c->dev);
	return NULL;
}

void uio_channel_ring(struct uio_channel *c)
{
	/* One STR without writeback: Tessera's stage-2 fault on it has a valid syndrome. */
	__asm__ volatile("dsb ishst\n\tstr %w0, [%1]" : : "r"(1U), "r"(c->doorbell) : "memory");
}

const char *uio_channel_wait(struct uio_channel *c, uint64_t timeout_us)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	int32_t count, on = 1;
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
	if (write(c->fd, &on, sizeof(on)) != sizeof(on))
		return fail("%s: writing 1 (enable the interrupt): %s", c->dev, strerror(errno));
	if (count != c->events + 1)
		return fail("event count %d after %d: %d doorbells at once", count, c->events,
			    count - c->events);
	c->events = count;
	c->doorbells++;
	/* What the peer published before ringing: no load of it before the count. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return NULL;
}
