/*
 * The management interface (hyp/core/manage.c) as a hostile guest meets it:
 * only the manager is answered, IDs are checked over their full 64 bits, a
 * VM cannot act on itself, a refused VM cannot be started, results never
 * overrun the buffer they go to, and the management page refuses widths and
 * offsets it does not have and leaves nothing of an earlier result behind.
 * The lifecycle (vm_request_*) is a fake that records what it was asked;
 * the network devices' figures (vnet_figures_of_vm) are a fake's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <arch/cpu_regs.h>
#include <tessera/config.h>
#include <tessera/manage.h>
#include <tessera/vm.h>
#include <tessera/vm_control.h>
#include <virt/vnet.h>

#include "fake_arch.h"

struct vm vms[CONFIG_MAX_VMS];
unsigned int vm_count;

static struct vm_config cfgs[3];
static struct vm *requested;
static const char *request_kind;
static int request_result;
static unsigned int requests;
static const struct emul_device *page_added;
static struct emul_device added;

static int record(struct vm *vm, enum vm_event by, const char *kind)
{
	assert_int_equal(by, VM_EVENT_MANAGER);
	requested = vm;
	request_kind = kind;
	requests++;
	return request_result;
}

int vm_request_stop(struct vm *vm, enum vm_event by)
{
	return record(vm, by, "stop");
}

int vm_request_start(struct vm *vm, enum vm_event by)
{
	return record(vm, by, "start");
}

int vm_request_restart(struct vm *vm, enum vm_event by)
{
	return record(vm, by, "restart");
}

const char *vm_state_name(const struct vm *vm)
{
	return vm->stats.stopped_once && vm->stats.last_stop_event == VM_EVENT_FAULT ? "faulted"
										   : "stopped";
}

bool vm_add_emul(struct vm *vm, const char *name, u64 base, u64 size, void *dev,
		 enum mmio_result (*access)(void *dev, struct mmio_access *acc))
{
	(void)vm, (void)name;
	added = (struct emul_device){ .base = base, .size = size, .dev = dev, .access = access };
	page_added = &added;
	return true;
}

/* vnet.c's figures: rt is on two networks, lan0 (up) and a failed one; nobody else is on any. */
static unsigned int figures_asked_max;

unsigned int vnet_figures_of_vm(const struct vm *vm, struct vnet_port_figures *out, unsigned int max)
{
	static const struct vnet_port_figures rt_ports[] = {
		{ .network = "lan0", .mac = { 0x02, 0x54, 0, 0, 0, 1 }, .state = VNET_PORT_UP,
		  .tx_frames = 1000, .tx_dropped = 2, .rx_frames = 40, .rx_dropped = 3 },
		{ .network = "a-network-name-of-31-characters", .state = VNET_PORT_FAILED,
		  .tx_frames = 5, .rx_frames = 6, .rx_dropped = 0xffffffff00000001ULL },
	};
	unsigned int n = 0;

	figures_asked_max = max;
	if (vm == &vms[1])
		for (; n < max && n < sizeof(rt_ports) / sizeof(rt_ports[0]); n++)
			out[n] = rt_ports[n];
	return n;
}

/* VM 0 "linux" the manager (page at 0x0a100000), VM 1 "rt", VM 2 "bad" refused by the config. */
static int setup(void **state)
{
	(void)state;
	fake_arch_reset();
	memset(vms, 0, sizeof(vms));
	memset(cfgs, 0, sizeof(cfgs));
	requested = NULL, request_kind = NULL, request_result = VM_CONTROL_OK, requests = 0;
	page_added = NULL;
	cfgs[0] = (struct vm_config){ .name = "linux", .cpu_count = 2, .memory = { 0x50000000, 0x10000000 },
				      .manager = true, .manager_page = 0x0a100000 };
	cfgs[1] = (struct vm_config){ .name = "rt", .cpu_count = 1, .memory = { 0x60000000, 0x2000000 } };
	for (unsigned int i = 0; i < 3; i++)
		vms[i].name = i < 2 ? cfgs[i].name : "bad";
	vms[0].cfg = &cfgs[0];
	vms[1].cfg = &cfgs[1];
	vms[1].restart_count = 3;
	vms[1].stats.started_at = 1000;
	vms[1].stats.console_bytes = 77;
	vms[1].vcpu_count = 2; /* exits are counted per vCPU and summed */
	vms[1].vcpus[0].exits[0x16] = 3;
	vms[1].vcpus[1].exits[0x16] = 2;
	vm_count = 3;
	fake_sysreg_set("cntfrq_el0", 62500000);
	fake_sysreg_set("cntpct_el0", 1000 + 62500000ULL * 2); /* rt has run 2 s */
	assert_true(manage_page_create(&vms[0]));
	return 0;
}

static int call(struct vm *caller, u32 cmd, u64 arg0, void *out, u32 size, u32 *len)
{
	u64 result;

	return manage_call(caller, cmd, arg0, out, size, len, &result);
}

static void test_only_the_manager(void **state)
{
	struct manage_vm_stats out;
	u32 len = 99;

	(void)state;
	for (u32 cmd = 0; cmd < MANAGE_CMD_COUNT + 2; cmd++) {
		assert_int_equal(call(&vms[1], cmd, 0, &out, sizeof(out), &len), MANAGE_NOT_SUPPORTED);
		assert_int_equal(len, 0);
		assert_int_equal(call(&vms[2], cmd, 1, &out, sizeof(out), &len), MANAGE_NOT_SUPPORTED);
		assert_int_equal(call(NULL, cmd, 1, &out, sizeof(out), &len), MANAGE_NOT_SUPPORTED);
	}
	assert_int_equal(requests, 0);
}

static void test_ids_checked(void **state)
{
	static const u64 bad[] = { 3, 8, 0x100000001ULL, ~0ULL, 1ULL << 63 };
	struct manage_vm_info info;
	u32 len;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		for (u32 cmd = MANAGE_CMD_INFO; cmd < MANAGE_CMD_COUNT; cmd++)
			assert_int_equal(call(&vms[0], cmd, bad[i], &info, sizeof(info), &len), MANAGE_ENOVM);
	assert_int_equal(requests, 0);
	assert_int_equal(call(&vms[0], MANAGE_CMD_COUNT, 1, &info, sizeof(info), &len), MANAGE_NOT_SUPPORTED);
	assert_int_equal(call(&vms[0], 0xffffffffu, 1, &info, sizeof(info), &len), MANAGE_NOT_SUPPORTED);
}

static void test_not_on_itself_nor_refused(void **state)
{
	u32 len;

	(void)state;
	for (u32 cmd = MANAGE_CMD_STOP; cmd <= MANAGE_CMD_RESTART; cmd++) {
		assert_int_equal(call(&vms[0], cmd, 0, NULL, 0, &len), MANAGE_ESELF);
		assert_int_equal(call(&vms[0], cmd, 2, NULL, 0, &len), MANAGE_ESTATE);
	}
	assert_int_equal(requests, 0);
}

static void test_requests_and_results(void **state)
{
	static const struct { int control, manage; } map[] = {
		{ VM_CONTROL_OK, MANAGE_OK }, { VM_CONTROL_ESTATE, MANAGE_ESTATE },
		{ VM_CONTROL_ESELF, MANAGE_ESELF }, { VM_CONTROL_EFAILED, MANAGE_EFAILED },
	};
	static const char *const kinds[] = { "stop", "start", "restart" };
	u32 len;

	(void)state;
	for (size_t m = 0; m < sizeof(map) / sizeof(map[0]); m++) {
		request_result = map[m].control;
		for (u32 cmd = MANAGE_CMD_STOP; cmd <= MANAGE_CMD_RESTART; cmd++) {
			assert_int_equal(call(&vms[0], cmd, 1, NULL, 0, &len), map[m].manage);
			assert_ptr_equal(requested, &vms[1]);
			assert_string_equal(request_kind, kinds[cmd - MANAGE_CMD_STOP]);
		}
	}
}

static void test_info_and_stats(void **state)
{
	struct manage_vm_info info;
	struct manage_vm_stats st;
	u32 len;

	(void)state;
	assert_int_equal(call(&vms[0], MANAGE_CMD_INFO, 1, &info, sizeof(info) - 1, &len), MANAGE_EINVAL);
	assert_int_equal(call(&vms[0], MANAGE_CMD_STATS, 1, &st, sizeof(st) - 1, &len), MANAGE_EINVAL);
	assert_int_equal(len, 0);

	assert_int_equal(call(&vms[0], MANAGE_CMD_INFO, 1, &info, sizeof(info), &len), MANAGE_OK);
	assert_int_equal(len, sizeof(info));
	assert_string_equal(info.name, "rt");
	assert_int_equal(info.state, MANAGE_STATE_RUNNING);
	assert_int_equal(info.cpus, 1);
	assert_int_equal(info.memory, 0x2000000);
	assert_int_equal(info.restart_count, 3);
	assert_int_equal(info.uptime_ms, 2000);
	assert_string_equal(info.stop_reason, "");

	vms[1].state = VM_STOPPED;
	vms[1].stats.stopped_once = true;
	vms[1].stats.last_stop_event = VM_EVENT_FAULT;
	memset(vms[1].stats.last_stop_reason, 'x', sizeof(vms[1].stats.last_stop_reason)); /* unterminated */
	assert_int_equal(call(&vms[0], MANAGE_CMD_INFO, 1, &info, sizeof(info), &len), MANAGE_OK);
	assert_int_equal(info.state, MANAGE_STATE_FAULTED);
	assert_int_equal(info.uptime_ms, 0);
	assert_int_equal(strlen(info.stop_reason), sizeof(info.stop_reason) - 1);

	assert_int_equal(call(&vms[0], MANAGE_CMD_INFO, 2, &info, sizeof(info), &len), MANAGE_OK);
	assert_int_equal(info.state, MANAGE_STATE_REFUSED);
	assert_string_equal(info.name, "bad");

	assert_int_equal(call(&vms[0], MANAGE_CMD_STATS, 1, &st, sizeof(st), &len), MANAGE_OK);
	assert_int_equal(st.restarts, 3);
	assert_int_equal(st.console_bytes, 77);
	assert_int_equal(st.exits[0x16], 5);
	assert_true(st.valid & MANAGE_STAT_EXITS);
}

static void test_net(void **state)
{
	struct manage_vm_net net;
	u32 len;

	(void)state;
	assert_int_equal(call(&vms[0], MANAGE_CMD_NET, 1, &net, sizeof(net) - 1, &len), MANAGE_EINVAL);
	assert_int_equal(len, 0);

	memset(&net, 0xa5, sizeof(net));
	assert_int_equal(call(&vms[0], MANAGE_CMD_NET, 1, &net, sizeof(net), &len), MANAGE_OK);
	assert_int_equal(len, sizeof(net));
	assert_int_equal(figures_asked_max, MANAGE_NET_PORTS);
	assert_int_equal(net.id, 1);
	assert_int_equal(net.count, 2);
	assert_string_equal(net.port[0].network, "lan0");
	assert_int_equal(net.port[0].state, MANAGE_NET_UP);
	assert_memory_equal(net.port[0].mac, ((u8[]){ 0x02, 0x54, 0, 0, 0, 1 }), 6);
	assert_int_equal(net.port[0].tx_frames, 1000);
	assert_int_equal(net.port[0].tx_dropped, 2);
	assert_int_equal(net.port[0].rx_frames, 40);
	assert_int_equal(net.port[0].rx_dropped, 3);
	assert_int_equal(net.port[0].reserved0, 0);
	assert_int_equal(net.port[0].reserved1[0] | net.port[0].reserved1[1], 0);
	assert_string_equal(net.port[1].network, "a-network-name-of-31-characters");
	assert_int_equal(net.port[1].state, MANAGE_NET_FAILED);
	assert_int_equal(net.port[1].rx_dropped, 0xffffffff00000001ULL);
	/* Ports past count are zero, not what the buffer held. */
	for (unsigned int i = 2; i < MANAGE_NET_PORTS; i++) {
		assert_int_equal(net.port[i].network[0], 0);
		assert_int_equal(net.port[i].tx_frames, 0);
	}

	/* A VM on no network: no ports. */
	assert_int_equal(call(&vms[0], MANAGE_CMD_NET, 0, &net, sizeof(net), &len), MANAGE_OK);
	assert_int_equal(net.id, 0);
	assert_int_equal(net.count, 0);
	assert_int_equal(call(&vms[0], MANAGE_CMD_NET, 3, &net, sizeof(net), &len), MANAGE_ENOVM);
}

static void test_hvc(void **state)
{
	struct guest_regs regs = { 0 };

	(void)state;
	regs.x[1] = 1;
	assert_false(manage_hvc(&vms[1], &regs, MANAGE_FID(MANAGE_CMD_STOP))); /* not the manager */
	assert_false(manage_hvc(&vms[0], &regs, MANAGE_FID_BASE + 0x100));   /* not a management call */
	assert_int_equal(requests, 0);
	assert_true(manage_hvc(&vms[0], &regs, MANAGE_FID(MANAGE_CMD_INFO)));
	assert_int_equal(regs.x[0], MANAGE_OK);
	assert_int_equal(regs.x[1], MANAGE_STATE_RUNNING | 1 << 8 | 3ULL << 32);
	assert_int_equal(regs.x[2], 0x2000000);
	regs.x[1] = 0;
	assert_true(manage_hvc(&vms[0], &regs, MANAGE_FID(MANAGE_CMD_RESTART)));
	assert_int_equal((s64)regs.x[0], MANAGE_ESELF);
	regs.x[1] = 1;
	assert_true(manage_hvc(&vms[0], &regs, MANAGE_FID(MANAGE_CMD_NET)));
	assert_int_equal(regs.x[0], MANAGE_OK);
	assert_int_equal(regs.x[1], 2);    /* devices */
	assert_int_equal(regs.x[2], 1005); /* frames sent, over both */
	assert_int_equal(regs.x[3], 46);   /* frames received */
	assert_true(manage_hvc(&vms[0], &regs, MANAGE_FID(MANAGE_CMD_VERSION)));
	assert_int_equal(regs.x[1], MANAGE_VERSION);
	assert_int_equal(regs.x[3], 3);
}

static enum mmio_result page_access(u64 offset, unsigned int size, bool write, u64 *value)
{
	struct mmio_access acc = { .ipa = page_added->base + offset, .offset = offset, .size = size,
				   .is_write = write, .value = write ? *value : 0 };
	enum mmio_result r = page_added->access(page_added->dev, &acc);

	if (!write)
		*value = acc.value;
	return r;
}

static u64 page_rd(u64 offset, unsigned int size)
{
	u64 v = 0;

	assert_int_equal(page_access(offset, size, false, &v), MMIO_OK);
	return v;
}

static void page_wr(u64 offset, u64 v)
{
	assert_int_equal(page_access(offset, 4, true, &v), MMIO_OK);
}

static void test_page(void **state)
{
	u64 v = 0;

	(void)state;
	assert_non_null(page_added);
	assert_int_equal(page_added->base, 0x0a100000);
	assert_int_equal(page_added->size, MANAGE_PAGE_SIZE);
	assert_int_equal(page_rd(MANAGE_REG_MAGIC, 4), MANAGE_MAGIC);
	/* Widths and offsets the page does not have: an external abort. */
	assert_int_equal(page_access(MANAGE_REG_MAGIC, 1, false, &v), MMIO_BAD_ACCESS);
	assert_int_equal(page_access(MANAGE_REG_ARG0 + 2, 4, false, &v), MMIO_BAD_ACCESS);
	assert_int_equal(page_access(MANAGE_REG_CMD, 8, true, &v), MMIO_BAD_ACCESS);
	assert_int_equal(page_access(MANAGE_DATA + 4, 8, false, &v), MMIO_BAD_ACCESS);
	/* The last word of the data window reads, and stays inside it. */
	assert_int_equal(page_rd(MANAGE_PAGE_SIZE - 4, 4), 0);
	assert_int_equal(page_rd(MANAGE_PAGE_SIZE - 8, 8), 0);

	page_wr(MANAGE_REG_ARG0, 1);
	page_wr(MANAGE_REG_CMD, MANAGE_CMD_STATS);
	assert_int_equal(page_rd(MANAGE_REG_STATUS, 4), MANAGE_OK);
	assert_int_equal(page_rd(MANAGE_REG_LEN, 4), sizeof(struct manage_vm_stats));
	assert_int_equal(page_rd(MANAGE_DATA + offsetof(struct manage_vm_stats, console_bytes), 8), 77);

	/* A failed command leaves nothing of the last result to read. */
	page_wr(MANAGE_REG_ARG0, 0xffffffff);
	page_wr(MANAGE_REG_CMD, MANAGE_CMD_STATS);
	assert_int_equal((u32)page_rd(MANAGE_REG_STATUS, 4), (u32)MANAGE_ENOVM);
	assert_int_equal(page_rd(MANAGE_REG_LEN, 4), 0);
	assert_int_equal(page_rd(MANAGE_DATA + offsetof(struct manage_vm_stats, console_bytes), 8), 0);

	page_wr(MANAGE_REG_ARG0, 1);
	page_wr(MANAGE_REG_CMD, MANAGE_CMD_NET);
	assert_int_equal(page_rd(MANAGE_REG_STATUS, 4), MANAGE_OK);
	assert_int_equal(page_rd(MANAGE_REG_LEN, 4), sizeof(struct manage_vm_net));
	assert_int_equal(page_rd(MANAGE_DATA + offsetof(struct manage_vm_net, port[1].rx_dropped), 8),
			 0xffffffff00000001ULL);

	page_wr(MANAGE_REG_CMD, MANAGE_CMD_VERSION);
	assert_int_equal(page_rd(MANAGE_REG_RESULT, 4), 3);

	/* The page acts for its VM, the manager, and no other: on itself, refused. */
	page_wr(MANAGE_REG_ARG0, 0);
	page_wr(MANAGE_REG_CMD, MANAGE_CMD_STOP);
	assert_int_equal((u32)page_rd(MANAGE_REG_STATUS, 4), (u32)MANAGE_ESELF);
	assert_int_equal(requests, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_only_the_manager, setup),
		cmocka_unit_test_setup(test_ids_checked, setup),
		cmocka_unit_test_setup(test_not_on_itself_nor_refused, setup),
		cmocka_unit_test_setup(test_requests_and_results, setup),
		cmocka_unit_test_setup(test_info_and_stats, setup),
		cmocka_unit_test_setup(test_net, setup),
		cmocka_unit_test_setup(test_hvc, setup),
		cmocka_unit_test_setup(test_page, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
