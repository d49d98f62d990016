/*
 * Unit tests for the /networks node (hyp/core/config_network.c): a good
 * config read to the exact values, generated MACs pinned, and every rule's
 * message word for word (docs/configuration.md, "Networks"). Same platform
 * as test_config.c (QEMU virt: 4 CPUs, 1 GiB at 0x40000000), with its vGIC.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../hyp/core/config_internal.h"
#include "config_blob.h"
#include "config_reports.h"

static struct platform plat;
static const struct mem_range hyp = { 0x40000000, 0x400000 };
static struct system_config cfg;

static int setup(void **state)
{
	(void)state;
	qemu_virt_platform(&plat);
	plat.gicd.base = 0x08000000; /* QEMU virt's GIC: the vGIC goes there */
	plat.gicr[0].base = 0x080a0000;
	plat.gicr_count = 1;
	reports_reset();
	return 0;
}

/* ---------------------------------------------------------------- blob builder */

static char blob[1 << 16];
static const u8 small_image[64] = { 0x00, 0x00, 0x00, 0x14 };

#define SW(call) assert_int_equal((call), 0)

/* VM @name on CPU @cpu with 32 MiB at @base, vUART at 0x09000000; /vms is open. */
static void vm(const char *name, u32 cpu, u64 base)
{
	const fdt64_t mem[2] = { cpu_to_fdt64(base), cpu_to_fdt64(0x2000000) };

	SW(fdt_begin_node(blob, name));
	SW(fdt_property_u32(blob, "cpus", cpu));
	SW(fdt_property(blob, "memory", mem, sizeof(mem)));
	SW(fdt_property(blob, "image", small_image, sizeof(small_image)));
	SW(fdt_property_u64(blob, "vuart", 0x09000000));
	SW(fdt_end_node(blob));
}

/* /vms with VMs alpha (CPU 1, 0x50000000), beta (2, 0x52000000) and gamma (3, 0x54000000). */
static void vms_begin(void)
{
	SW(config_blob_begin(blob, sizeof(blob)));
	vm("alpha", 1, 0x50000000);
	vm("beta", 2, 0x52000000);
	vm("gamma", 3, 0x54000000);
}

/* Closes /vms and opens /networks. */
static void networks_begin(void)
{
	SW(fdt_end_node(blob));
	SW(fdt_begin_node(blob, "networks"));
}

/* A member node: its device at @base, SPI @intid, @mac when not NULL. */
static void member(const char *vm_name, u64 base, u32 intid, const u8 *mac)
{
	SW(fdt_begin_node(blob, vm_name));
	SW(fdt_property_u64(blob, "virtio-mmio", base));
	SW(fdt_property_u32(blob, "interrupt", intid));
	if (mac)
		SW(fdt_property(blob, "mac", mac, CONFIG_MAC_LEN));
	SW(fdt_end_node(blob));
}

/* Network @name with alpha and beta at 0x0a001000, SPI 48 and generated MACs. */
static void network_ab(const char *name)
{
	SW(fdt_begin_node(blob, name));
	member("alpha", 0x0a001000, 48, NULL);
	member("beta", 0x0a001000, 48, NULL);
	SW(fdt_end_node(blob));
}

static void finish(void)
{
	SW(fdt_end_node(blob)); /* /networks */
	SW(fdt_end_node(blob)); /* / */
	SW(fdt_finish(blob));
}

/* Parse and validate; the number of problems both found. */
static int check(void)
{
	int n = config_parse(blob, &cfg, &rep);

	return n < 0 ? n : n + config_validate(&cfg, &plat, &hyp, &rep);
}

static void assert_mac(const u8 *mac, u8 b0, u8 b1, u8 b2, u8 b3, u8 b4, u8 b5)
{
	const u8 want[CONFIG_MAC_LEN] = { b0, b1, b2, b3, b4, b5 };

	assert_memory_equal(mac, want, CONFIG_MAC_LEN);
}

/* ---------------------------------------------------------------- tests */

static void test_network_accepted(void **state)
{
	static const u8 mac_a[CONFIG_MAC_LEN] = { 0x02, 0x54, 0x00, 0x00, 0x00, 0x01 };

	(void)state;
	vms_begin();
	networks_begin();
	SW(fdt_begin_node(blob, "lan0"));
	member("alpha", 0x0a001000, 48, mac_a);
	member("beta", 0x0a001000, 48, NULL);
	member("gamma", 0x0a002000, 127, NULL);
	SW(fdt_end_node(blob));
	/* A second network for alpha and beta: its own page and SPI in each. */
	SW(fdt_begin_node(blob, "lan1"));
	member("beta", 0x0a003000, 34, NULL);
	member("alpha", 0x0a002000, 49, NULL);
	SW(fdt_end_node(blob));
	finish();

	assert_int_equal(check(), 0);
	assert_int_equal(cfg.network_count, 2);
	const struct network_config *n = &cfg.networks[0];

	assert_true(n->valid && cfg.networks[1].valid);
	assert_string_equal(n->name, "lan0");
	assert_string_equal(n->node, "/networks/lan0");
	assert_int_equal(n->member_count, 3);
	assert_string_equal(n->member[2].node, "/networks/lan0/gamma");
	assert_int_equal(n->member[2].vm, 2);
	assert_int_equal(n->member[2].base, 0x0a002000);
	assert_int_equal(n->member[2].intid, 127);
	assert_true(n->member[0].mac_given);
	assert_false(n->member[1].mac_given);
	assert_mac(n->member[0].mac, 0x02, 0x54, 0x00, 0x00, 0x00, 0x01);
	/* 02 + the low 5 bytes of FNV-1a-64("lan0/beta"): docs/configuration.md, "Networks". */
	assert_mac(n->member[1].mac, 0x02, 0x59, 0xb8, 0x14, 0x82, 0xdf);
	assert_mac(n->member[2].mac, 0x02, 0xd2, 0x92, 0x11, 0x08, 0x12);
	assert_int_equal(cfg.networks[1].member[1].vm, 0);
	assert_int_equal(cfg.networks[1].member[1].intid, 49);
}

/* A generated MAC depends on the two names only: not on order, other members or the file. */
static void test_generated_mac_stable(void **state)
{
	u8 beta_first[CONFIG_MAC_LEN];

	(void)state;
	vms_begin();
	networks_begin();
	SW(fdt_begin_node(blob, "lan0"));
	member("gamma", 0x0a005000, 60, NULL);
	member("beta", 0x0a004000, 50, NULL);
	SW(fdt_end_node(blob));
	finish();
	assert_int_equal(check(), 0);
	memcpy(beta_first, cfg.networks[0].member[1].mac, CONFIG_MAC_LEN);
	assert_mac(beta_first, 0x02, 0x59, 0xb8, 0x14, 0x82, 0xdf);

	vms_begin();
	networks_begin();
	network_ab("lan0");
	network_ab("lan1");
	finish();
	assert_int_equal(config_parse(blob, &cfg, &rep), 0);
	assert_memory_equal(cfg.networks[0].member[1].mac, beta_first, CONFIG_MAC_LEN);
	/* Another network, another MAC. */
	assert_memory_not_equal(cfg.networks[1].member[1].mac, beta_first, CONFIG_MAC_LEN);
}

static void test_network_malformed(void **state)
{
	static const u8 multicast[CONFIG_MAC_LEN] = { 0x03, 0x54, 0x00, 0x00, 0x00, 0x01 };
	static const u8 zero[CONFIG_MAC_LEN];
	static const u8 short_mac[4] = { 0x02, 0x54, 0x00, 0x00 };

	(void)state;
	vms_begin();
	networks_begin();
	SW(fdt_property_u32(blob, "mtu", 1500));
	SW(fdt_begin_node(blob, "lan0"));
	SW(fdt_property_u32(blob, "vlan", 2));
	SW(fdt_begin_node(blob, "alpha"));
	SW(fdt_property_u32(blob, "virtio-mmio", 0x0a001000)); /* one cell, wants two */
	SW(fdt_property(blob, "interrupt", NULL, 0));
	SW(fdt_property(blob, "mac", short_mac, sizeof(short_mac)));
	SW(fdt_property_u32(blob, "irq", 48));
	SW(fdt_end_node(blob));
	member("beta", 0x0a001000, 48, multicast);
	member("gamma", 0x0a001000, 48, zero);
	member("delta", 0x0a001000, 48, NULL);
	SW(fdt_end_node(blob));
	SW(fdt_begin_node(blob, "solo"));
	member("alpha", 0x0a002000, 49, NULL);
	SW(fdt_end_node(blob));
	SW(fdt_begin_node(blob, "a-network-name-of-32-characters-"));
	member("alpha", 0x0a003000, 50, NULL);
	member("beta", 0x0a003000, 50, NULL);
	SW(fdt_end_node(blob));
	network_ab("lan3");
	network_ab("lan4");
	finish();

	assert_int_equal(config_parse(blob, &cfg, &rep), 12);
	expect_report(0, "/networks", "unknown property 'mtu'; /networks holds only network nodes");
	expect_report(1, "/networks/lan0", "unknown property 'vlan'; a network holds only member "
					   "nodes, one named after each VM");
	expect_report(2, "/networks/lan0/alpha", "unknown property 'irq'; known: virtio-mmio, "
						 "interrupt, mac");
	expect_report(3, "/networks/lan0/alpha", "virtio-mmio must be one address (2 cells): the "
						 "4 KiB page of the VM's network device, e.g. "
						 "virtio-mmio = <0x0 0x0a001000>;");
	expect_report(4, "/networks/lan0/alpha", "interrupt must be one INTID (the SPI of the VM's "
						 "network device), e.g. interrupt = <48>;");
	expect_report(5, "/networks/lan0/alpha", "mac must be 6 bytes, e.g. mac = [02 54 00 00 00 "
						 "01]; or leave it out to have one generated");
	expect_report(6, "/networks/lan0/beta", "mac 03:54:00:00:00:01 is a multicast address (bit "
						"0 of its first byte is set); give a unicast one, "
						"e.g. mac = [02 54 00 00 00 01];");
	expect_report(7, "/networks/lan0/gamma", "mac 00:00:00:00:00:00 is no address; give one, "
						 "e.g. mac = [02 54 00 00 00 01];");
	expect_report(8, "/networks/lan0/delta", "no VM named 'delta'; name each member after a VM "
						 "under /vms");
	expect_report(9, "/networks/solo", "a network needs at least two members, one subnode "
					   "named after each VM");
	expect_report(10, "/networks/a-network-name-of-32-characters-", "the network name is 32 "
					    "characters; rename the node to at most 31");
	expect_report(11, "/networks", "more than 4 networks; remove 'lan4'");
	for (unsigned int i = 0; i < 3; i++)
		assert_false(cfg.networks[i].valid);
	assert_int_equal(cfg.network_count, 4);
	/* lan3 is fine; alpha's malformed device in lan0 is not checked further. */
	memset(&got, 0, sizeof(got));
	assert_int_equal(config_validate(&cfg, &plat, &hyp, &rep), 0);
	assert_true(cfg.networks[3].valid);
	assert_false(cfg.networks[0].valid);
}

/* Members beyond CONFIG_MAX_NET_MEMBERS, and beyond CONFIG_MAX_NET_PORTS over all networks. */
static void test_network_limits(void **state)
{
	static const char *const names[] = { "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7" };

	(void)state;
	plat.cpu_count = 8;
	SW(config_blob_begin(blob, sizeof(blob)));
	for (unsigned int i = 0; i < 8; i++)
		vm(names[i], i, 0x50000000 + i * 0x2000000ull);
	networks_begin();
	for (unsigned int net = 0; net < 3; net++) {
		char name[8];

		snprintf(name, sizeof(name), "lan%u", net);
		SW(fdt_begin_node(blob, name));
		for (unsigned int i = 0; i < (net == 2 ? 2u : 8u); i++)
			member(names[i], 0x0a001000 + net * 0x1000ull, 40 + net, NULL);
		if (net == 0)
			member("v8", 0x0a001000, 40, NULL);
		SW(fdt_end_node(blob));
	}
	finish();

	assert_int_equal(check(), 2);
	expect_report(0, "/networks/lan0", "more than 8 members; remove 'v8'");
	expect_report(1, "/networks/lan2", "the networks up to this one have 18 members, more than "
					   "the 16 network devices Tessera has; remove members or "
					   "networks");
	assert_false(cfg.networks[0].valid);
	assert_true(cfg.networks[1].valid);
	assert_false(cfg.networks[2].valid);
}

/* Every clash of a member's device with what its VM already has, one run. */
static void test_network_placement(void **state)
{
	(void)state;
	SW(config_blob_begin(blob, sizeof(blob)));
	vm("alpha", 1, 0x50000000);
	vm("beta", 2, 0x52000000);
	/* gamma has a watchdog and a manager page. */
	SW(fdt_begin_node(blob, "gamma"));
	SW(fdt_property_u32(blob, "cpus", 3));
	{
		const fdt64_t mem[2] = { cpu_to_fdt64(0x54000000), cpu_to_fdt64(0x2000000) };
		const fdt64_t wdt[2] = { cpu_to_fdt64(0x0a010000), cpu_to_fdt64(0x0a011000) };

		SW(fdt_property(blob, "memory", mem, sizeof(mem)));
		SW(fdt_property(blob, "watchdog", wdt, sizeof(wdt)));
	}
	SW(fdt_property_u32(blob, "watchdog-interrupt", 45));
	SW(fdt_property_u64(blob, "manager", 0x0a100000));
	SW(fdt_property(blob, "image", small_image, sizeof(small_image)));
	SW(fdt_property_u64(blob, "vuart", 0x09000000));
	SW(fdt_end_node(blob));
	SW(fdt_end_node(blob)); /* /vms */
	SW(fdt_begin_node(blob, "channels"));
	SW(fdt_begin_node(blob, "ping"));
	{
		const fdt64_t mem[2] = { cpu_to_fdt64(0x58000000), cpu_to_fdt64(SZ_2M) };

		SW(fdt_property(blob, "memory", mem, sizeof(mem)));
	}
	for (unsigned int i = 0; i < 2; i++) {
		SW(fdt_begin_node(blob, i ? "beta" : "alpha"));
		SW(fdt_property_u64(blob, "map", 0x70000000));
		SW(fdt_property_u64(blob, "doorbell", 0x0a000000));
		SW(fdt_property_u32(blob, "interrupt", 40));
		SW(fdt_end_node(blob));
	}
	SW(fdt_end_node(blob));
	SW(fdt_end_node(blob)); /* /channels */
	SW(fdt_begin_node(blob, "networks"));
	network_ab("lan0");
	SW(fdt_begin_node(blob, "addr"));
	member("alpha", 0x0a001800, 49, NULL);      /* not page aligned */
	member("beta", 0x8000000000ull, 49, NULL);  /* beyond the IPA space */
	member("gamma", 0x55000000, 49, NULL);      /* in its RAM */
	SW(fdt_end_node(blob));
	SW(fdt_begin_node(blob, "emul"));
	member("alpha", 0x09000000, 50, NULL);      /* its vUART */
	member("beta", 0x080a0000, 50, NULL);       /* its vGIC's redistributor */
	member("gamma", 0x0a100000, 50, NULL);      /* its manager page */
	SW(fdt_end_node(blob));
	SW(fdt_begin_node(blob, "clash"));
	member("alpha", 0x70001000, 51, NULL);      /* channel ping's shared memory */
	member("beta", 0x0a002000, 40, NULL);       /* channel ping's interrupt */
	member("gamma", 0x0a003000, 45, NULL);      /* its watchdog's interrupt */
	SW(fdt_end_node(blob));
	SW(fdt_end_node(blob)); /* /networks */
	SW(fdt_end_node(blob));
	SW(fdt_finish(blob));

	assert_int_equal(check(), 9);
	expect_report(0, "/networks/addr/alpha", "virtio-mmio 0xa001800 is not a 4 KiB aligned "
						 "address; use a multiple of 0x1000");
	expect_report(1, "/networks/addr/beta", "virtio-mmio 0x8000000000 is beyond the VM's 512 GiB "
						"address space; choose an address below 0x8000000000");
	expect_report(2, "/networks/addr/gamma", "virtio-mmio 0x55000000-0x55000fff overlaps VM "
						 "gamma's memory, vUART, vGIC or manager page; "
						 "choose a free address in that VM");
	expect_report(3, "/networks/emul/alpha", "virtio-mmio 0x9000000-0x9000fff overlaps VM "
						 "alpha's memory, vUART, vGIC or manager page; "
						 "choose a free address in that VM");
	expect_report(4, "/networks/emul/beta", "virtio-mmio 0x80a0000-0x80a0fff overlaps VM beta's "
						"memory, vUART, vGIC or manager page; choose a free "
						"address in that VM");
	expect_report(5, "/networks/emul/gamma", "virtio-mmio 0xa100000-0xa100fff overlaps VM "
						 "gamma's memory, vUART, vGIC or manager page; "
						 "choose a free address in that VM");
	expect_report(6, "/networks/clash/alpha", "virtio-mmio 0x70001000-0x70001fff or interrupt 51 "
						  "clashes with channel ping in VM alpha; choose a "
						  "free address and INTID");
	expect_report(7, "/networks/clash/beta", "virtio-mmio 0xa002000-0xa002fff or interrupt 40 "
						 "clashes with channel ping in VM beta; choose a free "
						 "address and INTID");
	expect_report(8, "/networks/clash/gamma", "virtio-mmio 0xa003000-0xa003fff or interrupt 45 "
						   "clashes with VM gamma's watchdog; choose a free "
						   "address and INTID");
	expect_count(9);
	assert_true(cfg.networks[0].valid);
	for (unsigned int i = 1; i < 4; i++)
		assert_false(cfg.networks[i].valid);
}

/* Clashes with another network of the same VM, and the interrupt's range. */
static void test_network_clash_and_spi(void **state)
{
	(void)state;
	vms_begin();
	networks_begin();
	network_ab("lan0");
	SW(fdt_begin_node(blob, "twice"));
	member("alpha", 0x0a001000, 52, NULL); /* lan0's page in alpha */
	member("beta", 0x0a004000, 48, NULL);  /* lan0's SPI in beta */
	member("gamma", 0x0a004000, 52, NULL);
	SW(fdt_end_node(blob));
	SW(fdt_begin_node(blob, "spi"));
	member("alpha", 0x0a005000, 33, NULL);  /* the vUART's */
	member("beta", 0x0a005000, 128, NULL);  /* beyond the vGIC's */
	SW(fdt_end_node(blob));
	finish();

	assert_int_equal(check(), 4);
	expect_report(0, "/networks/twice/alpha", "virtio-mmio 0xa001000-0xa001fff or interrupt 52 "
						  "clashes with VM alpha's device on network lan0; give "
						  "each network its own address and INTID");
	expect_report(1, "/networks/twice/beta", "virtio-mmio 0xa004000-0xa004fff or interrupt 48 "
						 "clashes with VM beta's device on network lan0; give "
						 "each network its own address and INTID");
	expect_report(2, "/networks/spi/alpha", "interrupt 33 is not an SPI the vGIC offers for "
						"network devices; use 34 to 127");
	expect_report(3, "/networks/spi/beta", "interrupt 128 is not an SPI the vGIC offers for "
					       "network devices; use 34 to 127");
	assert_true(cfg.networks[0].valid);
	assert_false(cfg.networks[1].valid || cfg.networks[2].valid);
}

/* MACs unique in a network; a member of a refused VM refuses the network. */
static void test_network_macs_and_refused_vm(void **state)
{
	/* beta's generated MAC in lan0 (test_network_accepted). */
	static const u8 betas[CONFIG_MAC_LEN] = { 0x02, 0x59, 0xb8, 0x14, 0x82, 0xdf };

	(void)state;
	vms_begin();
	vm("delta", 3, 0x56000000); /* gamma's CPU: refused */
	networks_begin();
	SW(fdt_begin_node(blob, "lan0"));
	member("alpha", 0x0a001000, 48, betas);
	member("beta", 0x0a001000, 48, NULL);
	member("gamma", 0x0a001000, 48, betas);
	SW(fdt_end_node(blob));
	SW(fdt_begin_node(blob, "lan1"));
	member("alpha", 0x0a002000, 49, NULL);
	member("delta", 0x50000000, 49, NULL); /* alpha's memory: fine in delta; delta is refused */
	SW(fdt_end_node(blob));
	finish();

	assert_int_equal(check(), 4);
	expect_report(0, "/vms/delta", "CPU 3 is already given to VM gamma; give each CPU to one VM "
				       "only");
	expect_report(1, "/networks/lan0/beta", "the generated mac 02:59:b8:14:82:df is also member "
						"alpha's; give one of them mac = [02 ...] (6 bytes "
						"of your choice)");
	expect_report(2, "/networks/lan0/gamma", "mac 02:59:b8:14:82:df is also member alpha's; give "
						 "each member its own MAC");
	expect_report(3, "/networks/lan1/delta", "VM delta is refused, so the network cannot be set "
						 "up; fix that VM");
	assert_false(cfg.networks[0].valid || cfg.networks[1].valid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_network_accepted, setup),
		cmocka_unit_test_setup(test_generated_mac_stable, setup),
		cmocka_unit_test_setup(test_network_malformed, setup),
		cmocka_unit_test_setup(test_network_limits, setup),
		cmocka_unit_test_setup(test_network_placement, setup),
		cmocka_unit_test_setup(test_network_clash_and_spi, setup),
		cmocka_unit_test_setup(test_network_macs_and_refused_vm, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
