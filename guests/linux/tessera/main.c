/*
 * tessera: the management command for a Linux manager VM (docs/management.md).
 *
 *   tessera list                      every VM: ID, name, state, CPUs, memory, restarts, uptime
 *   tessera stop|start|restart NAME   acts on a VM by name (or ID)
 *   tessera stats [NAME]              a VM's figures (every VM's without NAME)
 *   tessera net [NAME]                a VM's network devices and their frame counters
 *                                     (every VM's without NAME)
 *
 * A stock kernel, no module: user space cannot make an HVC (UNDEFINED at
 * EL0), so it drives Tessera's management page, whose address the guest DT
 * gives in /chosen/tessera,manage-page, through /dev/mem. No driver claims
 * the page, so CONFIG_STRICT_DEVMEM and IO_STRICT_DEVMEM let root map it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <unistd.h>

#define TESSERA_MANAGE_USER
#include <tessera/manage.h>

#define PAGE_PROP "/proc/device-tree/chosen/tessera,manage-page"

static volatile uint32_t *page;

static void usage(void)
{
	fprintf(stderr, "usage: tessera list | stop NAME | start NAME | restart NAME | stats [NAME] | net [NAME]\n");
	exit(2);
}

static uint32_t reg_read(unsigned int off)
{
	return page[off / 4];
}

static void reg_write(unsigned int off, uint32_t v)
{
	page[off / 4] = v;
}

/* Runs @cmd with @arg0; the data window's first @len bytes into @out. */
static int call(uint32_t cmd, uint32_t arg0, void *out, size_t len)
{
	uint32_t words[MANAGE_DATA_SIZE / 4];
	int status;

	reg_write(MANAGE_REG_ARG0, arg0);
	reg_write(MANAGE_REG_ARG1, 0);
	reg_write(MANAGE_REG_CMD, cmd);
	status = (int32_t)reg_read(MANAGE_REG_STATUS);
	if (status == MANAGE_OK && out) {
		for (size_t i = 0; i < (len + 3) / 4; i++)
			words[i] = reg_read(MANAGE_DATA + i * 4);
		memcpy(out, words, len);
	}
	return status;
}

static const char *error_text(int status)
{
	switch (status) {
	case MANAGE_NOT_SUPPORTED:
		return "not supported: this VM is not the manager";
	case MANAGE_EINVAL:
		return "invalid argument";
	case MANAGE_ENOVM:
		return "no such VM";
	case MANAGE_ESTATE:
		return "the VM is not in a state that allows it";
	case MANAGE_ESELF:
		return "a VM cannot do that to itself here; use reboot or poweroff";
	case MANAGE_EFAILED:
		return "the VM could not be rebuilt: it stays stopped";
	default:
		return "unknown error";
	}
}

static const char *state_text(uint32_t state)
{
	static const char *const names[] = { "running", "stopped", "restarting", "faulted", "refused" };

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "unknown";
}

static void open_page(void)
{
	unsigned char be[8];
	uint64_t addr = 0;
	void *map;
	FILE *f = fopen(PAGE_PROP, "rb");
	int fd;

	if (!f) {
		fprintf(stderr, "tessera: not supported: this VM is not the manager (no %s)\n", PAGE_PROP);
		exit(1);
	}
	if (fread(be, 1, sizeof(be), f) != sizeof(be)) {
		fprintf(stderr, "tessera: %s is not one 64-bit address\n", PAGE_PROP);
		exit(1);
	}
	fclose(f);
	for (int i = 0; i < 8; i++)
		addr = addr << 8 | be[i];
	fd = open("/dev/mem", O_RDWR | O_SYNC);
	if (fd < 0) {
		fprintf(stderr, "tessera: /dev/mem: %s (run as root)\n", strerror(errno));
		exit(1);
	}
	/* The page is one set of registers: one tessera at a time (held until exit). */
	if (flock(fd, LOCK_EX) < 0) {
		fprintf(stderr, "tessera: cannot lock /dev/mem: %s\n", strerror(errno));
		exit(1);
	}
	map = mmap(NULL, MANAGE_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)addr);
	if (map == MAP_FAILED) {
		fprintf(stderr, "tessera: cannot map the management page at 0x%llx: %s\n",
			(unsigned long long)addr, strerror(errno));
		exit(1);
	}
	page = map; /* fd stays open: it holds the lock */
	if (reg_read(MANAGE_REG_MAGIC) != MANAGE_MAGIC || reg_read(MANAGE_REG_VERSION) != MANAGE_VERSION) {
		fprintf(stderr, "tessera: no Tessera management page (version %d) at 0x%llx\n",
			MANAGE_VERSION, (unsigned long long)addr);
		exit(1);
	}
}

static uint32_t vm_total(void)
{
	int status = call(MANAGE_CMD_VERSION, 0, NULL, 0);

	if (status != MANAGE_OK) {
		fprintf(stderr, "tessera: %s\n", error_text(status));
		exit(1);
	}
	return reg_read(MANAGE_REG_RESULT);
}

/* The ID of the VM named @name (or numbered so). */
static uint32_t vm_lookup(const char *name)
{
	struct manage_vm_info info;
	uint32_t n = vm_total();

	for (uint32_t id = 0; id < n; id++)
		if (call(MANAGE_CMD_INFO, id, &info, sizeof(info)) == MANAGE_OK &&
		    !strncmp(info.name, name, sizeof(info.name)))
			return id;
	fprintf(stderr, "tessera: no such VM: %s (tessera list shows them)\n", name);
	exit(1);
}

static int cmd_list(void)
{
	struct manage_vm_info info;
	uint32_t n = vm_total();

	printf("%-3s %-16s %-10s %4s %9s %8s %10s  %s\n", "ID", "NAME", "STATE", "CPUS", "MEMORY",
	       "RESTARTS", "UPTIME", "LAST STOP");
	for (uint32_t id = 0; id < n; id++) {
		int status = call(MANAGE_CMD_INFO, id, &info, sizeof(info));

		if (status != MANAGE_OK) {
			fprintf(stderr, "tessera: VM %u: %s\n", id, error_text(status));
			return 1;
		}
		info.name[sizeof(info.name) - 1] = info.stop_reason[sizeof(info.stop_reason) - 1] = '\0';
		printf("%-3u %-16s %-10s %4u %7lluMi %8u %8llu.%llus  %s\n", info.id, info.name,
		       state_text(info.state), info.cpus, (unsigned long long)(info.memory >> 20),
		       info.restart_count, (unsigned long long)(info.uptime_ms / 1000),
		       (unsigned long long)(info.uptime_ms % 1000 / 100),
		       info.stop_reason[0] ? info.stop_reason : "-");
	}
	return 0;
}

static void print_figure(const char *what, uint32_t valid, uint32_t bit, uint64_t value)
{
	if (valid & bit)
		printf("  %-18s %llu\n", what, (unsigned long long)value);
	else
		printf("  %-18s not counted\n", what);
}

/* The exception classes a guest's exits mostly have (ESR_EL2.EC, DDI 0487 J.a D19.2.46). */
static const char *ec_name(unsigned int ec)
{
	switch (ec) {
	case 0x01:
		return "(WFI/WFE)";
	case 0x16:
		return "(HVC)";
	case 0x17:
		return "(SMC)";
	case 0x18:
		return "(sysreg)";
	case 0x20:
		return "(iabort)";
	case 0x24:
		return "(dabort/MMIO)";
	default:
		return "";
	}
}

/* VM @id's info (its name terminated) and the record of @cmd; 0, or 1 once the error is said. */
static int vm_record(uint32_t id, uint32_t cmd, struct manage_vm_info *info, void *out, size_t len)
{
	int status = call(MANAGE_CMD_INFO, id, info, sizeof(*info));

	if (status == MANAGE_OK)
		status = call(cmd, id, out, len);
	if (status != MANAGE_OK) {
		fprintf(stderr, "tessera: VM %u: %s\n", id, error_text(status));
		return 1;
	}
	info->name[sizeof(info->name) - 1] = '\0';
	return 0;
}

static int stats_of(uint32_t id)
{
	struct manage_vm_info info;
	struct manage_vm_stats st;

	if (vm_record(id, MANAGE_CMD_STATS, &info, &st, sizeof(st)))
		return 1;
	printf("VM %s (ID %u), %s\n", info.name, id, state_text(info.state));
	print_figure("restarts", st.valid, MANAGE_STAT_RESTARTS, st.restarts);
	print_figure("interrupts", st.valid, MANAGE_STAT_IRQS, st.irqs_injected);
	print_figure("console bytes", st.valid, MANAGE_STAT_CONSOLE, st.console_bytes);
	print_figure("faults", st.valid, MANAGE_STAT_FAULTS, st.faults);
	print_figure("watchdog expiries", st.valid, MANAGE_STAT_WATCHDOG, st.watchdog_expiries);
	if (!(st.valid & MANAGE_STAT_EXITS)) {
		printf("  %-18s not counted\n", "exits");
		return 0;
	}
	for (unsigned int ec = 0; ec < MANAGE_EC_COUNT; ec++)
		if (st.exits[ec])
			printf("  exits EC 0x%02x %-12s %llu\n", ec, ec_name(ec), (unsigned long long)st.exits[ec]);
	return 0;
}

static const char *net_state_text(uint32_t state)
{
	static const char *const names[] = { "down", "up", "failed" };

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "unknown";
}

/* @id's network devices, a line each, under the header net_header() printed; how many in *@shown. */
static int net_of(uint32_t id, unsigned int *shown)
{
	struct manage_vm_info info;
	struct manage_vm_net net;

	if (vm_record(id, MANAGE_CMD_NET, &info, &net, sizeof(net)))
		return 1;
	for (uint32_t i = 0; i < net.count && i < MANAGE_NET_PORTS; i++) {
		const struct manage_net_port *p = &net.port[i];
		char network[MANAGE_NAME_MAX];

		memcpy(network, p->network, sizeof(network));
		network[sizeof(network) - 1] = '\0';
		printf("%-16s %-16s %02x:%02x:%02x:%02x:%02x:%02x  %-7s %10llu %10llu %10llu %10llu\n",
		       info.name, network, p->mac[0], p->mac[1], p->mac[2], p->mac[3], p->mac[4], p->mac[5],
		       net_state_text(p->state), (unsigned long long)p->tx_frames,
		       (unsigned long long)p->tx_dropped, (unsigned long long)p->rx_frames,
		       (unsigned long long)p->rx_dropped);
		(*shown)++;
	}
	return 0;
}

/* tessera net [NAME]: counters since each VM's last (re)start (docs/networks.md). */
static int cmd_net(const char *name)
{
	uint32_t first = 0, end = vm_total();
	unsigned int shown = 0;
	int rc = 0;

	if (name) {
		first = vm_lookup(name);
		end = first + 1;
	}
	printf("%-16s %-16s %-17s  %-7s %10s %10s %10s %10s\n", "VM", "NETWORK", "MAC", "STATE",
	       "TX FRAMES", "TX DROPPED", "RX FRAMES", "RX DROPPED");
	for (uint32_t id = first; id < end; id++)
		rc |= net_of(id, &shown);
	if (!rc && !shown)
		printf("tessera: %s%s is on no network\n", name ? "VM " : "", name ? name : "no VM");
	return rc;
}

static int cmd_control(const char *verb, uint32_t cmd, const char *name)
{
	uint32_t id = vm_lookup(name);
	int status = call(cmd, id, NULL, 0);

	if (status != MANAGE_OK) {
		fprintf(stderr, "tessera: %s %s: %s\n", verb, name, error_text(status));
		return 1;
	}
	printf("tessera: %s %s: done\n", verb, name);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "list") && argc == 2) {
		open_page();
		return cmd_list();
	}
	if (!strcmp(argv[1], "stats") && argc <= 3) {
		int rc = 0;

		open_page();
		if (argc == 3)
			return stats_of(vm_lookup(argv[2]));
		for (uint32_t id = 0, n = vm_total(); id < n; id++)
			rc |= stats_of(id);
		return rc;
	}
	if (!strcmp(argv[1], "net") && argc <= 3) {
		open_page();
		return cmd_net(argc == 3 ? argv[2] : NULL);
	}
	if (argc == 3) {
		static const struct {
			const char *verb;
			uint32_t cmd;
		} verbs[] = { { "stop", MANAGE_CMD_STOP },
			      { "start", MANAGE_CMD_START },
			      { "restart", MANAGE_CMD_RESTART } };

		for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
			if (!strcmp(argv[1], verbs[i].verb)) {
				open_page();
				return cmd_control(verbs[i].verb, verbs[i].cmd, argv[2]);
			}
		}
	}
	usage();
}
