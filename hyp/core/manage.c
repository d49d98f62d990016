/*
 * The management interface (tessera/manage.h, docs/management.md): one
 * implementation, manage_call(), reached by HVC (manage_hvc) and through the
 * manager VM's management page (manage_page_access). Everything a guest
 * passes is hostile: the command, the VM ID (a full 64-bit register) and the
 * page offsets are checked before anything is read; results go into
 * Tessera's own buffers, never into guest memory.
 */
#include <arch/cpu_regs.h>
#include <arch/sysregs.h>
#include <string.h>
#include <tessera/compiler.h>
#include <tessera/emul.h>
#include <tessera/manage.h>
#include <tessera/spinlock.h>
#include <tessera/vm.h>
#include <tessera/vm_control.h>
#include <virt/vnet.h>

/* The manager's page: one, as there is one manager (config_validate). */
static struct manage_page page;
static struct spinlock page_lock;

static bool is_manager(const struct vm *vm)
{
	return vm && vm->cfg && vm->cfg->manager;
}

static u32 vm_id(const struct vm *vm)
{
	return (u32)(vm - vms);
}

/* The VM with API ID @id (its index in vms[]), or NULL: @id is a guest's register. */
static struct vm *vm_by_id(u64 id)
{
	return id < vm_count ? &vms[id] : NULL;
}

static u32 manage_state(const struct vm *vm)
{
	if (!vm->cfg)
		return MANAGE_STATE_REFUSED;
	/* A hint, read without the lock (vm.h): it may change as soon as it is read. */
	switch (READ_ONCE(vm->state)) {
	case VM_RUNNING:
		return MANAGE_STATE_RUNNING;
	case VM_RESETTING:
		return MANAGE_STATE_RESTARTING;
	default:
		/* vm_lifecycle.c's rule for "faulted" (a fault or watchdog stopped it), not a copy of it. */
		return strcmp(vm_state_name(vm), "faulted") ? MANAGE_STATE_STOPPED : MANAGE_STATE_FAULTED;
	}
}

static void vm_info(const struct vm *vm, struct manage_vm_info *info)
{
	u64 freq = read_sysreg(cntfrq_el0);

	memset(info, 0, sizeof(*info));
	info->id = vm_id(vm);
	info->state = manage_state(vm);
	info->restart_count = vm->restart_count;
	if (vm->name) /* a config name: at most CONFIG_NAME_MAX - 1, and so is the field's room */
		memcpy(info->name, vm->name, strnlen(vm->name, sizeof(info->name) - 1));
	if (!vm->cfg)
		return;
	info->cpus = vm->cfg->cpu_count;
	info->memory = vm->cfg->memory.size;
	if (info->state == MANAGE_STATE_RUNNING && freq >= 1000)
		info->uptime_ms = (read_sysreg(cntpct_el0) - vm->stats.started_at) / (freq / 1000);
	if (vm->stats.stopped_once) /* informational, read without a lock: always NUL-terminated below */
		memcpy(info->stop_reason, vm->stats.last_stop_reason,
		       strnlen(vm->stats.last_stop_reason, sizeof(info->stop_reason) - 1));
}

/* The VM's figures (struct vm_stats), read without a lock: they are informational. */
static void vm_stats(const struct vm *vm, struct manage_vm_stats *stats)
{
	_Static_assert(MANAGE_EC_COUNT == VM_STATS_EC_COUNT, "one exit counter per ESR_EL2.EC");
	memset(stats, 0, sizeof(*stats));
	stats->id = vm_id(vm);
	stats->valid = MANAGE_STAT_EXITS | MANAGE_STAT_IRQS | MANAGE_STAT_CONSOLE | MANAGE_STAT_FAULTS |
		       MANAGE_STAT_WATCHDOG | MANAGE_STAT_RESTARTS;
	stats->restarts = vm->restart_count;
	stats->irqs_injected = __atomic_load_n(&vm->stats.irqs_injected, __ATOMIC_RELAXED);
	stats->console_bytes = __atomic_load_n(&vm->stats.console_bytes, __ATOMIC_RELAXED);
	stats->faults = __atomic_load_n(&vm->stats.faults, __ATOMIC_RELAXED);
	stats->watchdog_expiries = __atomic_load_n(&vm->stats.watchdog_expiries, __ATOMIC_RELAXED);
	for (unsigned int v = 0; v < vm->vcpu_count; v++)
		for (unsigned int ec = 0; ec < MANAGE_EC_COUNT; ec++)
			stats->exits[ec] += __atomic_load_n(&vm->vcpus[v].exits[ec], __ATOMIC_RELAXED);
}

/* The VM's network devices and their counters (vnet.c reads each under its lock). */
static void vm_net(const struct vm *vm, struct manage_vm_net *net)
{
	_Static_assert(MANAGE_NET_PORTS == CONFIG_MAX_NETWORKS, "one device per network a VM is on");
	_Static_assert(sizeof(net->port[0].mac) == CONFIG_MAC_LEN, "a MAC is 6 bytes");
	_Static_assert(sizeof(net->port[0].network) == CONFIG_NAME_MAX, "a network's name fits");
	_Static_assert(sizeof(struct manage_net_port) == 80, "the ABI: no hidden padding");
	static const u32 states[] = { [VNET_PORT_DOWN] = MANAGE_NET_DOWN,
				      [VNET_PORT_UP] = MANAGE_NET_UP,
				      [VNET_PORT_FAILED] = MANAGE_NET_FAILED };
	struct vnet_port_figures fig[MANAGE_NET_PORTS];

	memset(net, 0, sizeof(*net));
	net->id = vm_id(vm);
	net->count = vnet_figures_of_vm(vm, fig, MANAGE_NET_PORTS);
	for (unsigned int i = 0; i < net->count; i++) {
		struct manage_net_port *port = &net->port[i];

		/* A config name: at most CONFIG_NAME_MAX - 1 characters, so NUL-terminated here. */
		memcpy(port->network, fig[i].network, strnlen(fig[i].network, sizeof(port->network) - 1));
		port->state = states[fig[i].state];
		memcpy(port->mac, fig[i].mac, sizeof(port->mac));
		port->tx_frames = fig[i].tx_frames;
		port->tx_dropped = fig[i].tx_dropped;
		port->rx_frames = fig[i].rx_frames;
		port->rx_dropped = fig[i].rx_dropped;
	}
}

static int control_result(int r)
{
	switch (r) {
	case VM_CONTROL_OK:
		return MANAGE_OK;
	case VM_CONTROL_ESTATE:
		return MANAGE_ESTATE;
	case VM_CONTROL_ESELF:
		return MANAGE_ESELF;
	default:
		return MANAGE_EFAILED;
	}
}

static int vm_control(struct vm *caller, struct vm *target, u32 cmd)
{
	/* A VM acts on itself through PSCI only (SYSTEM_OFF, SYSTEM_RESET). */
	if (target == caller)
		return MANAGE_ESELF;
	if (!target->cfg)
		return MANAGE_ESTATE; /* refused by the config: there is nothing to start */
	switch (cmd) {
	case MANAGE_CMD_STOP:
		return control_result(vm_request_stop(target, VM_EVENT_MANAGER));
	case MANAGE_CMD_START:
		return control_result(vm_request_start(target, VM_EVENT_MANAGER));
	default:
		return control_result(vm_request_restart(target, VM_EVENT_MANAGER));
	}
}

int manage_call(struct vm *caller, u32 cmd, u64 arg0, void *out, u32 out_size, u32 *out_len,
		u64 *result)
{
	struct vm *target;

	*out_len = 0;
	*result = 0;
	if (!is_manager(caller))
		return MANAGE_NOT_SUPPORTED;
	if (cmd >= MANAGE_CMD_COUNT)
		return MANAGE_NOT_SUPPORTED; /* as an unknown function ID (DEN 0028) */
	if (cmd == MANAGE_CMD_VERSION) {
		*result = MANAGE_VERSION | (u64)vm_id(caller) << 16 | (u64)vm_count << 32;
		return MANAGE_OK;
	}
	target = vm_by_id(arg0);
	if (!target)
		return MANAGE_ENOVM;
	switch (cmd) {
	case MANAGE_CMD_INFO:
		if (out_size < sizeof(struct manage_vm_info))
			return MANAGE_EINVAL;
		vm_info(target, out);
		*out_len = sizeof(struct manage_vm_info);
		return MANAGE_OK;
	case MANAGE_CMD_STATS:
		if (out_size < sizeof(struct manage_vm_stats))
			return MANAGE_EINVAL;
		vm_stats(target, out);
		*out_len = sizeof(struct manage_vm_stats);
		return MANAGE_OK;
	case MANAGE_CMD_NET:
		if (out_size < sizeof(struct manage_vm_net))
			return MANAGE_EINVAL;
		vm_net(target, out);
		*out_len = sizeof(struct manage_vm_net);
		return MANAGE_OK;
	default:
		return vm_control(caller, target, cmd);
	}
}

/*
 * HVC: x0 the result; VERSION: x1 = the version, x2 = the caller's ID,
 * x3 = the VM count; INFO: x1 = state | cpus << 8 | restart count << 32,
 * x2 = memory bytes, x3 = uptime in ms (the name and stop reason need the
 * page); STATS: x1 = the valid bits, x2 = restarts, x3 = watchdog expiries;
 * NET: x1 = the number of devices, x2 = frames sent, x3 = frames received,
 * over all of them (each device's figures need the page).
 */
bool manage_hvc(struct vm *caller, struct guest_regs *regs, u32 fid)
{
	union {
		struct manage_vm_info info;
		struct manage_vm_stats stats;
		struct manage_vm_net net;
	} out;
	u32 cmd = fid - MANAGE_FID_BASE, len;
	u64 result;
	int r;

	/* Another VM's call is an unknown function to it: the caller reports it (hypercall.c). */
	if (cmd >= 0x100 || !is_manager(caller))
		return false;
	r = manage_call(caller, cmd, regs->x[1], &out, sizeof(out), &len, &result);
	regs->x[0] = (u64)(s64)r;
	regs->x[1] = regs->x[2] = regs->x[3] = 0;
	if (r != MANAGE_OK)
		return true;
	if (cmd == MANAGE_CMD_VERSION) {
		regs->x[1] = result & 0xffff;
		regs->x[2] = (result >> 16) & 0xffff;
		regs->x[3] = result >> 32;
	} else if (cmd == MANAGE_CMD_INFO) {
		regs->x[1] = out.info.state | out.info.cpus << 8 | (u64)out.info.restart_count << 32;
		regs->x[2] = out.info.memory;
		regs->x[3] = out.info.uptime_ms;
	} else if (cmd == MANAGE_CMD_STATS) {
		regs->x[1] = out.stats.valid;
		regs->x[2] = out.stats.restarts;
		regs->x[3] = out.stats.watchdog_expiries;
	} else if (cmd == MANAGE_CMD_NET) {
		regs->x[1] = out.net.count;
		for (unsigned int i = 0; i < out.net.count; i++) {
			regs->x[2] += out.net.port[i].tx_frames;
			regs->x[3] += out.net.port[i].rx_frames;
		}
	}
	return true;
}

/*
 * The page's registers (MANAGE_REG_*). Each access takes page_lock for as
 * long as it touches the page; a command runs without it (a stop waits for
 * the VM's IOMMU: no lock is held while waiting on hardware) and publishes
 * its result under it. The page is one set of registers, as a device's are:
 * concurrent users in the manager take turns themselves (the CLI holds a
 * flock on /dev/mem). Lock order: page_lock is taken alone.
 */
static u64 page_magic(void *dev, u32 off)
{
	(void)dev, (void)off;
	return MANAGE_MAGIC;
}

static u64 page_version(void *dev, u32 off)
{
	(void)dev, (void)off;
	return MANAGE_VERSION;
}

static u64 page_read(void *dev, u32 off)
{
	struct manage_page *pg = dev;
	u64 v;

	spin_lock(&page_lock);
	switch (off) {
	case MANAGE_REG_ARG0:
		v = pg->arg0;
		break;
	case MANAGE_REG_ARG1:
		v = pg->arg1;
		break;
	case MANAGE_REG_STATUS:
		v = (u32)pg->status;
		break;
	case MANAGE_REG_RESULT:
		v = pg->result;
		break;
	default:
		v = pg->len;
		break;
	}
	spin_unlock(&page_lock);
	return v;
}

static void page_write_arg(void *dev, u32 off, u64 value)
{
	struct manage_page *pg = dev;

	spin_lock(&page_lock);
	if (off == MANAGE_REG_ARG0)
		pg->arg0 = (u32)value;
	else
		pg->arg1 = (u32)value;
	spin_unlock(&page_lock);
}

/*
 * CMD: runs the command for the page's VM, the manager (no other VM reaches
 * this page), with ARG0 as it was written. The whole data window is
 * replaced, so nothing of an earlier result is left to read.
 */
static void page_write_cmd(void *dev, u32 off, u64 value)
{
	struct manage_page *pg = dev;
	union {
		struct manage_vm_info info;
		struct manage_vm_stats stats;
		u32 version[3];
	} out = { 0 };
	u32 arg0, len;
	u64 result;
	int status;

	_Static_assert(sizeof(out) <= MANAGE_DATA_SIZE, "every result fits the data window");
	(void)off;
	spin_lock(&page_lock);
	arg0 = pg->arg0;
	spin_unlock(&page_lock);
	status = manage_call(pg->owner, (u32)value, arg0, &out, sizeof(out), &len, &result);
	if (value == MANAGE_CMD_VERSION && status == MANAGE_OK) {
		out.version[0] = MANAGE_VERSION;
		out.version[1] = vm_id(pg->owner);
		out.version[2] = vm_count;
		len = sizeof(out.version);
	}
	spin_lock(&page_lock);
	memset(&pg->data, 0, sizeof(pg->data));
	memcpy(pg->data.bytes, &out, len);
	pg->status = status;
	pg->result = (u32)(result >> 32); /* VERSION: the VM count; the rest is in the data window */
	pg->len = len;
	spin_unlock(&page_lock);
}

/* The data window, 32 or 64 bits at a time (emul.c has checked alignment and range). */
static u64 page_read_data(void *dev, u32 off)
{
	struct manage_page *pg = dev;
	u32 at = off - MANAGE_DATA;
	u64 v = 0;
	size_t n = sizeof(pg->data) - at < sizeof(v) ? sizeof(pg->data) - at : sizeof(v);

	spin_lock(&page_lock);
	memcpy(&v, pg->data.bytes + at, n);
	spin_unlock(&page_lock);
	return v;
}

static const struct emul_reg page_regs[] = {
	{ MANAGE_REG_MAGIC, 4, EMUL_W32, 0, EMUL_CONST, page_magic, NULL },
	{ MANAGE_REG_VERSION, 4, EMUL_W32, 0, EMUL_CONST, page_version, NULL },
	{ MANAGE_REG_ARG0, 8, EMUL_W32, 0, 0, page_read, page_write_arg },
	{ MANAGE_REG_CMD, 4, EMUL_W32, 0, 0, NULL, page_write_cmd },
	{ MANAGE_REG_STATUS, 12, EMUL_W32, 0, 0, page_read, NULL },
	{ MANAGE_DATA, MANAGE_DATA_SIZE, EMUL_W32 | EMUL_W64, 0, 0, page_read_data, NULL },
};

enum mmio_result manage_page_access(void *dev, struct mmio_access *acc)
{
	return emul_regs_access(page_regs, ARRAY_SIZE(page_regs), dev, acc);
}

bool manage_page_create(struct vm *vm)
{
	if (!vm->cfg->manager || !vm->cfg->manager_page)
		return true;
	page.owner = vm;
	return vm_add_emul(vm, "manage", vm->cfg->manager_page, MANAGE_PAGE_SIZE, &page,
			   manage_page_access);
}
