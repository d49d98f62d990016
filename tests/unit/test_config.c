/*
 * Unit tests for the system configuration (hyp/core/config.c), built on the
 * host. Each test writes a config blob with libfdt's sequential-write API,
 * runs config_parse() and config_validate() against a hand-made platform (a
 * QEMU virt shape: 4 CPUs, 1 GiB of RAM at 0x40000000, Tessera in the first
 * 4 MiB) and checks every reported message word for word: the messages are
 * the user interface.
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
#include "config_reports.h"

/* ---------------------------------------------------------------- fixtures */

static struct platform plat;
static const struct mem_range hyp = { 0x40000000, 0x400000 };
static struct system_config cfg;
static u32 root_size_cells; /* what root_begin() writes; setup() makes it 2 */

static int setup(void **state)
{
	(void)state;
	qemu_virt_platform(&plat);
	root_size_cells = 2;
	reports_reset();
	return 0;
}

static void expect_only(const char *node, const char *msg)
{
	expect_report(0, node, msg);
	if (got.count != 1)
		fail_msg("%u reports, wanted 1; the second: %s: %s", got.count, got.node[1],
			 got.msg[1]);
}

/* ---------------------------------------------------------------- blob builder */

static char blob[1 << 16];
static int depth;
static const u8 small_image[64] = { 0x00, 0x00, 0x00, 0x14 }; /* raw: no Image magic */

#define SW(call) assert_int_equal((call), 0)

static void node_begin(const char *name)
{
	SW(fdt_begin_node(blob, name));
	depth++;
}

static void node_end(void)
{
	SW(fdt_end_node(blob));
	depth--;
}

static void u32_prop(const char *name, u32 v)
{
	SW(fdt_property_u32(blob, name, v));
}

static void u64_prop(const char *name, u64 v)
{
	SW(fdt_property_u64(blob, name, v)); /* two cells, as #address-cells = <2> */
}

/* The root with @compatible and @version (< 0: no version), cells 2 and 2. */
static void root_begin(const char *compatible, int version)
{
	SW(fdt_create(blob, sizeof(blob)));
	SW(fdt_finish_reservemap(blob));
	depth = 0;
	node_begin("");
	if (compatible)
		SW(fdt_property_string(blob, "compatible", compatible));
	if (version >= 0)
		u32_prop("tessera,version", (u32)version);
	u32_prop("#address-cells", 2);
	u32_prop("#size-cells", root_size_cells);
}

static void config_begin(void)
{
	root_begin("tessera,config", CONFIG_VERSION);
	node_begin("vms");
}

static const void *finish(void)
{
	while (depth)
		node_end();
	SW(fdt_finish(blob));
	return blob;
}

static void cpus_prop(unsigned int n, const u32 *cpus)
{
	fdt32_t be[PLATFORM_MAX_CPUS + 1];

	for (unsigned int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(cpus[i]);
	SW(fdt_property(blob, "cpus", be, (int)n * 4));
}

static void memory_prop(u64 base, u64 size)
{
	const fdt64_t be[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	SW(fdt_property(blob, "memory", be, sizeof(be)));
}

static bool has_image, has_vuart; /* in the open VM node */

static void image_prop(const void *data, int len)
{
	SW(fdt_property(blob, "image", data, len));
	has_image = true;
}

static void vuart_prop(u64 addr)
{
	u64_prop("vuart", addr);
	has_vuart = true;
}

/* A VM node with cpus and memory; vm_end() adds what is still missing. */
static void vm_begin(const char *name, u32 cpu, u64 base, u64 size)
{
	node_begin(name);
	cpus_prop(1, &cpu);
	memory_prop(base, size);
	has_image = has_vuart = false;
}

/* Closes the VM, first giving it a small image and a vuart unless it has them. */
static void vm_end(void)
{
	if (!has_image)
		image_prop(small_image, sizeof(small_image));
	if (!has_vuart)
		vuart_prop(0x09000000);
	node_end();
}

/* A complete VM: one CPU, 32 MiB. */
static void vm(const char *name, u32 cpu, u64 base)
{
	vm_begin(name, cpu, base, 0x2000000);
	vm_end();
}

/* An arm64 Image header (booting.rst) as the image property. */
static void image_header_prop(u64 text_offset, u64 image_size, int file_size)
{
	static u8 img[4096];

	assert_true(file_size >= 64 && file_size <= (int)sizeof(img));
	memset(img, 0, sizeof(img));
	for (int i = 0; i < 8; i++) {
		img[8 + i] = (u8)(text_offset >> (8 * i));
		img[16 + i] = (u8)(image_size >> (8 * i));
	}
	memcpy(img + 0x38, "ARM\x64", 4);
	image_prop(img, file_size);
}

static int parse(void)
{
	return config_parse(blob, &cfg, &rep);
}

/* Parse and validate; the number of problems both found. */
static int check(void)
{
	int n = parse();

	return n < 0 ? n : n + config_validate(&cfg, &plat, &hyp, &rep);
}

/* ---------------------------------------------------------------- good configs */

static void test_demo_config(void **state)
{
	(void)state;
	config_begin();
	vm_begin("alpha", 1, 0x50000000, 0x2000000);
	SW(fdt_property_string(blob, "bootargs", "test=selftest"));
	SW(fdt_property(blob, "console-input", NULL, 0));
	SW(fdt_property_string(blob, "fault-policy", "stop"));
	vm_end();
	vm("beta", 2, 0x52000000);
	finish();

	assert_int_equal(check(), 0);
	assert_int_equal(got.count, 0);
	assert_int_equal(rep.errors, 0);
	assert_int_equal(cfg.vm_count, 2);

	const struct vm_config *a = &cfg.vms[0], *b = &cfg.vms[1];

	assert_true(a->valid);
	assert_true(b->valid);
	assert_string_equal(a->name, "alpha");
	assert_string_equal(a->node, "/vms/alpha");
	assert_int_equal(a->cpu_count, 1);
	assert_int_equal(a->cpus[0], 1);
	assert_int_equal(a->memory.base, 0x50000000);
	assert_int_equal(a->memory.size, 0x2000000);
	assert_int_equal(a->image_size, sizeof(small_image));
	assert_memory_equal(a->image, small_image, sizeof(small_image));
	/* Pointers into the blob, not copies. */
	assert_true((const char *)a->image > blob && (const char *)a->image < blob + sizeof(blob));
	assert_int_equal(a->image_load, 0x50000000);
	assert_int_equal(a->image_span, sizeof(small_image));
	assert_string_equal(a->bootargs, "test=selftest");
	assert_int_equal(a->vuart_base, 0x09000000);
	assert_true(a->console_input);
	assert_int_equal(a->fault_policy, FAULT_POLICY_STOP);
	assert_string_equal(b->bootargs, "");
	assert_false(b->console_input);
	assert_int_equal(b->fault_policy, FAULT_POLICY_INJECT); /* the default */
	assert_int_equal(b->cpus[0], 2);
}

/* The boundaries that are still fine: one VM per CPU, RAM's last byte, a full image. */
static void test_edges_accepted(void **state)
{
	(void)state;
	config_begin();
	vm_begin("a", 0, 0x40400000, 0x2000000);              /* right after the hypervisor */
	image_header_prop(0, 0x2000000 - GUEST_DTB_SLOT, 64); /* exactly fills below the slot */
	vm_end();
	vm_begin("b", 1, 0x7e000000, 0x2000000); /* ends with RAM */
	vuart_prop(0x80000000);                  /* right after its memory */
	vm_end();
	vm("c", 2, 0x42400000);
	vm("d_2-x", 3, 0x44400000);
	finish();

	assert_int_equal(check(), 0);
	for (unsigned int i = 0; i < 4; i++)
		assert_true(cfg.vms[i].valid);
	assert_int_equal(cfg.vms[0].image_span, 0x1e00000);
}

/* The initrd goes right below the DTB slot, 4 KiB aligned, and must clear the image. */
static void test_initrd(void **state)
{
	static u8 initrd[0x1801];

	(void)state;
	config_begin();
	vm_begin("fits", 0, 0x50000000, 0x2000000);
	image_header_prop(0, 0x1000000, 64);
	fdt_property(blob, "initrd", initrd, sizeof(initrd));
	vm_end();
	vm_begin("tight", 1, 0x52000000, 0x2000000);
	image_header_prop(0, 0x1e00000 - 0x1000, 64); /* leaves one page: too little */
	fdt_property(blob, "initrd", initrd, sizeof(initrd));
	vm_end();
	finish();

	assert_int_equal(check(), 1);
	assert_true(cfg.vms[0].valid);
	assert_int_equal(cfg.vms[0].initrd_size, sizeof(initrd));
	assert_int_equal(cfg.vms[0].initrd_load, 0x51e00000 - 0x2000); /* 0x1801 bytes, page aligned down */
	expect_only("/vms/tight", "initrd needs 0x1801 bytes but only 0x1000 are free between the "
				  "image (ends at 0x53dff000) and the guest DTB slot; give the VM more "
				  "memory");
}

/* A channel end: map, doorbell and interrupt in the VM named @vm. */
static void channel_end(const char *vm_name, u64 map, u64 doorbell, u32 intid, bool read_only)
{
	node_begin(vm_name);
	u64_prop("map", map);
	u64_prop("doorbell", doorbell);
	u32_prop("interrupt", intid);
	if (read_only)
		SW(fdt_property(blob, "read-only", NULL, 0));
	node_end();
}

/* A PCI channel end: map, ECAM and interrupt; @doorbell too when not 0 (refused). */
static void channel_pci_end(const char *vm_name, u64 map, u64 ecam, u64 doorbell, u32 intid)
{
	node_begin(vm_name);
	u64_prop("map", map);
	u64_prop("pci-ecam", ecam);
	if (doorbell)
		u64_prop("doorbell", doorbell);
	u32_prop("interrupt", intid);
	node_end();
}

/* Two VMs, then /channels with one channel @name over @base+2 MiB. */
static void channel_begin(const char *name, u64 base)
{
	vm("alpha", 1, 0x50000000);
	vm("beta", 2, 0x52000000);
	node_end(); /* /vms */
	node_begin("channels");
	node_begin(name);
	memory_prop(base, SZ_2M);
}

static void test_channel_accepted(void **state)
{
	(void)state;
	config_begin();
	channel_begin("ping", 0x58000000);
	channel_end("alpha", 0x70000000, 0x0a000000, 40, false);
	channel_end("beta", 0x70000000, 0x0a000000, 41, true);
	finish();

	assert_int_equal(check(), 0);
	assert_int_equal(cfg.channel_count, 1);
	assert_true(cfg.channels[0].valid);
	assert_string_equal(cfg.channels[0].name, "ping");
	assert_int_equal(cfg.channels[0].end[1].vm, 1);
	assert_int_equal(cfg.channels[0].end[1].intid, 41);
	assert_true(cfg.channels[0].end[1].read_only);
	assert_false(cfg.channels[0].end[0].read_only);
}

/* ---------------------------------------------------------------- devices */

/* The machine every demo boots, as QEMU dumps it (make unit sets TESSERA_PLATFORM_DTB). */
static void use_qemu_platform(void)
{
	static char dtb[1 << 20];
	const char *path = getenv("TESSERA_PLATFORM_DTB");
	FILE *f = fopen(path ? path : "build/qemu-virt/platform.dtb", "rb");
	char err[160];

	if (!f)
		fail_msg("cannot open the platform DTB (set TESSERA_PLATFORM_DTB or run `make unit`)");
	assert_true(fread(dtb, 1, sizeof(dtb), f) > sizeof(struct fdt_header));
	fclose(f);
	if (platform_parse(dtb, &plat, err, sizeof(err)))
		fail_msg("%s", err);
}

/* A VM node whose properties are all written, so device subnodes can follow (vm_end closes it). */
static void vm_devices_begin(const char *name, u32 cpu, u64 base)
{
	vm_begin(name, cpu, base, 0x2000000);
	image_prop(small_image, sizeof(small_image));
	vuart_prop(0x09000000);
}

static void device(const char *name, const char *path, u64 map)
{
	node_begin(name);
	SW(fdt_property_string(blob, "device", path));
	if (map)
		u64_prop("map", map);
	node_end();
}

static void test_device_accepted(void **state)
{
	const struct platform_device *rtc, *gpio, *pci;

	(void)state;
	use_qemu_platform();
	config_begin();
	vm_devices_begin("alpha", 1, 0x50000000);
	device("rtc", "/pl031@9010000", 0);
	device("gpio", "/pl061@9030000", 0x0a100000);
	vm_end();
	vm_devices_begin("beta", 2, 0x52000000);
	device("pci", "/pcie@10000000", 0);
	vm_end();
	finish();

	assert_int_equal(check(), 0);
	assert_true(cfg.vms[0].valid && cfg.vms[1].valid);
	rtc = &cfg.vms[0].devices[0].hw;
	assert_int_equal(rtc->region_count, 1);
	assert_int_equal(rtc->region[0].pa, 0x09010000);
	assert_int_equal(rtc->region[0].ipa, 0x09010000);
	assert_int_equal(rtc->region[0].size, 0x1000);
	assert_int_equal(rtc->irq_count, 1);
	assert_int_equal(rtc->intid[0], 34); /* SPI 2 */
	assert_int_equal(rtc->irq_edge, 0);  /* level */
	assert_int_equal(rtc->clock_count, 1);
	assert_int_equal(rtc->clock_hz[0], 24000000);
	gpio = &cfg.vms[0].devices[1].hw;
	assert_int_equal(gpio->region[0].pa, 0x09030000);
	assert_int_equal(gpio->region[0].ipa, 0x0a100000);
	assert_int_equal(gpio->intid[0], 39); /* SPI 7 */

	/* The host bridge: ECAM, then the I/O and 32-bit windows; the 64-bit one (512 GiB up) is left out. */
	pci = &cfg.vms[1].devices[0].hw;
	assert_true(pci->pci);
	assert_int_equal(pci->region_count, 3);
	assert_int_equal(pci->region[0].pa, 0x4010000000);
	assert_int_equal(pci->region[0].size, 0x10000000);
	assert_false(pci->region[0].window);
	assert_true(pci->region[1].window);
	assert_int_equal(pci->region[1].pa, 0x3eff0000);
	assert_int_equal(pci->region[1].pci_hi, 0x01000000); /* I/O space */
	assert_int_equal(pci->region[2].pa, 0x10000000);
	assert_int_equal(pci->region[2].size, 0x2eff0000);
	assert_int_equal(pci->region[2].pci_hi, 0x02000000); /* 32-bit memory */
	assert_int_equal(pci->irq_count, 4); /* INTA-D: SPIs 3-6 */
	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(pci->intid[i], 35 + i);
}

static void test_device_refused(void **state)
{
	(void)state;
	use_qemu_platform();
	config_begin();
	vm_devices_begin("alpha", 1, 0x50000000);
	device("rtc", "/pl031@9010000", 0);
	vm_end();
	vm_devices_begin("beta", 2, 0x52000000);
	device("rtc", "/pl031@9010000", 0x0a000000); /* alpha's */
	vm_end();
	vm_devices_begin("gamma", 3, 0x54000000);
	device("nope", "/nope@0", 0);
	vm_end();
	vm_devices_begin("delta", 0, 0x56000000);
	device("uart", "/pl011@9000000", 0x0a000000); /* Tessera's console */
	vm_end();
	node_end(); /* /vms */
	node_begin("channels");
	node_begin("clash");
	memory_prop(0x58000000, SZ_2M);
	channel_end("alpha", 0x70000000, 0x0a000000, 34, false); /* the RTC's INTID */
	channel_end("beta", 0x70000000, 0x0a000000, 40, false);
	finish();

	assert_int_equal(check(), 6);
	expect_report(0, "/vms/beta/rtc", "/pl031@9010000 is already given to VM alpha "
					  "(/vms/alpha/rtc); give each device to one VM only");
	expect_report(1, "/vms/gamma/nope", "the platform DT has no node /nope@0; give the full path "
					    "of a device node, e.g. \"/pl031@9010000\"");
	expect_report(2, "/vms/delta/uart", "/pl011@9000000 (0x9000000-0x9000fff) holds Tessera's "
					    "console UART, which Tessera keeps; give the VM another device");
	expect_report(3, "/channels/clash/alpha", "map 0x70000000-0x701fffff or interrupt 34 clashes "
						  "with a device given to VM alpha; choose a free "
						  "address and INTID");
	/* Both ends are checked: beta's is refused with its VM and clashes with its RTC. */
	expect_report(4, "/channels/clash/beta", "VM beta is refused, so the channel cannot be set "
						 "up; fix that VM");
	expect_report(5, "/channels/clash/beta", "doorbell 0xa000000-0xa000fff or interrupt 40 "
						 "clashes with a device given to VM beta; choose a "
						 "free address and INTID");
	assert_true(cfg.vms[0].valid);
	assert_false(cfg.vms[1].valid || cfg.vms[2].valid || cfg.vms[3].valid);
}

static void test_device_rules(void **state)
{
	(void)state;
	use_qemu_platform();
	config_begin();
	vm_devices_begin("alpha", 1, 0x50000000);
	device("gic", "/intc@8000000", 0);
	vm_end();
	vm_devices_begin("beta", 2, 0x52000000);
	device("pci", "/pcie@10000000", 0x20000000);
	vm_end();
	vm_devices_begin("gamma", 3, 0x54000000);
	device("rtc", "/pl031@9010000", 0x54000000); /* inside its RAM */
	vm_end();
	vm_devices_begin("delta", 0, 0x56000000);
	device("smmu", "/smmuv3@9050000", 0x0a000000);
	vm_end();
	finish();

	assert_int_equal(check(), 4);
	expect_report(0, "/vms/alpha/gic", "/intc@8000000 is an interrupt controller, which Tessera "
					   "keeps; remove it from the VM");
	expect_report(1, "/vms/beta/pci", "map cannot move a PCI host bridge (its windows carry bus "
					  "addresses); remove map");
	expect_report(2, "/vms/gamma/rtc", "/pl031@9010000 at 0x54000000-0x54000fff overlaps VM "
					   "gamma's memory, vUART or vGIC; move them apart (map "
					   "places the device)");
	expect_report(3, "/vms/delta/smmu", "/smmuv3@9050000 is an IOMMU, which Tessera keeps (it "
					    "isolates the VMs' DMA); remove it from the VM");
}

static void test_channel_pci(void **state)
{
	(void)state;
	config_begin();
	channel_begin("ping", 0x58000000);
	channel_pci_end("alpha", 0x70000000, 0x30000000, 0, 40);
	channel_end("beta", 0x70000000, 0x0a000000, 41, false);
	node_end();
	node_begin("both"); /* doorbell and pci-ecam */
	memory_prop(0x5a000000, SZ_2M);
	channel_pci_end("alpha", 0x72000000, 0x30100000, 0x0a001000, 42);
	channel_end("beta", 0x72000000, 0x0a001000, 42, false);
	node_end();
	node_begin("odd"); /* ECAM not 1 MiB aligned */
	memory_prop(0x5c000000, SZ_2M);
	channel_pci_end("alpha", 0x74000000, 0x30280000, 0, 43);
	channel_end("beta", 0x74000000, 0x0a002000, 43, false);
	node_end();
	node_begin("bar"); /* map not a multiple of the size: no BAR can say it */
	memory_prop(0x5e000000, SZ_2M);
	channel_pci_end("alpha", 0x76100000, 0x30300000, 0, 44);
	channel_end("beta", 0x76000000, 0x0a003000, 44, false);
	node_end();
	node_begin("clash"); /* its ECAM over ping's */
	memory_prop(0x60000000, SZ_2M);
	channel_pci_end("alpha", 0x78000000, 0x30000000, 0, 45);
	channel_end("beta", 0x78000000, 0x0a004000, 45, false);
	finish();

	assert_int_equal(parse(), 1);
	expect_report(0, "/channels/both/alpha", "doorbell and pci-ecam exclude each other (a PCI end "
						 "rings through its configuration space); remove "
						 "doorbell");
	memset(&got, 0, sizeof(got));
	assert_int_equal(config_validate(&cfg, &plat, &hyp, &rep), 3);
	expect_report(0, "/channels/odd/alpha", "pci-ecam 0x30280000 is not 1 MiB aligned; use a "
						"multiple of 0x100000");
	expect_report(1, "/channels/bar/alpha", "a PCI end's shared memory is a BAR: the channel's "
						"memory size (0x200000) must be a power of two and "
						"map (0x76100000) a multiple of it");
	expect_report(2, "/channels/clash/alpha", "pci-ecam or interrupt clashes with channel ping in "
						  "VM alpha; give each channel its own addresses and "
						  "INTID");
	assert_true(cfg.channels[0].valid);
	assert_true(cfg.channels[0].end[0].pci);
	assert_int_equal(cfg.channels[0].end[0].pci_ecam, 0x30000000);
	assert_false(cfg.channels[0].end[1].pci);
	assert_false(cfg.channels[1].valid || cfg.channels[2].valid || cfg.channels[3].valid ||
		     cfg.channels[4].valid);
}

static void test_channel_refused(void **state)
{
	(void)state;
	config_begin();
	channel_begin("over", 0x50000000); /* inside alpha's memory */
	channel_end("alpha", 0x70000000, 0x0a000000, 40, false);
	channel_end("beta", 0x70000000, 0x0a000000, 40, false);
	node_end();
	node_begin("bad");
	memory_prop(0x58000000, SZ_2M);
	channel_end("alpha", 0x50000000, 0x0a000000, 33, false); /* over its RAM; the vUART's INTID */
	channel_end("gamma", 0x70000000, 0x0a000000, 40, false); /* no such VM */
	finish();

	assert_int_equal(parse(), 1);
	expect_report(0, "/channels/bad/gamma", "no VM named 'gamma'; name each end after a VM under /vms");
	assert_false(cfg.channels[1].valid);
	memset(&got, 0, sizeof(got));
	assert_int_equal(config_validate(&cfg, &plat, &hyp, &rep), 2);
	expect_report(0, "/channels/over", "memory 0x50000000-0x501fffff overlaps VM alpha's memory; "
					   "shared memory must be outside every VM's own memory");
	/* bad's gamma end is malformed; its alpha end is still checked. */
	expect_report(1, "/channels/bad/alpha", "interrupt 33 is not an SPI the vGIC offers for "
						"channels; use 34 to 127");
	assert_false(cfg.channels[0].valid);
	assert_false(cfg.channels[1].valid);
}

/* Misspelt properties in a channel and an end hide none of its other problems. */
static void test_channel_typo_hides_nothing(void **state)
{
	(void)state;
	config_begin();
	channel_begin("typo", 0x52000000); /* beta's memory */
	u32_prop("size", 2);
	node_begin("alpha");
	u64_prop("map", 0x70000000);
	u64_prop("doorbell", 0x0a000000);
	u32_prop("interrupt", 40);
	SW(fdt_property(blob, "read-onyl", NULL, 0));
	node_end();
	channel_end("beta", 0x70000000, 0x0a000000, 200, false);
	finish();

	assert_int_equal(check(), 4);
	expect_report(0, "/channels/typo", "unknown property 'size'; known: memory");
	expect_report(1, "/channels/typo/alpha", "unknown property 'read-onyl'; known: map, doorbell, "
						 "pci-ecam, interrupt, read-only");
	expect_report(2, "/channels/typo", "memory 0x52000000-0x521fffff overlaps VM beta's memory; "
					   "shared memory must be outside every VM's own memory");
	expect_report(3, "/channels/typo/beta", "interrupt 200 is not an SPI the vGIC offers for "
						"channels; use 34 to 127");
	assert_false(cfg.channels[0].valid);
}

/* Two VMs on RAM banks that touch are one bank to the platform parser; here they do not. */
static void test_ram_banks(void **state)
{
	(void)state;
	plat.ram[0] = (struct mem_range){ 0x80000000, 0x40000000 };
	plat.ram[1] = (struct mem_range){ 0x100000000ULL, 0x40000000 };
	plat.ram_count = 2;
	config_begin();
	vm("high", 1, 0x100000000ULL);
	vm("across", 2, 0xbf000000); /* straddles the end of bank 0 */
	finish();

	assert_int_equal(check(), 1);
	assert_true(cfg.vms[0].valid);
	assert_false(cfg.vms[1].valid);
	expect_only("/vms/across", "memory 0xbf000000-0xc0ffffff is outside RAM "
				   "(0x80000000-0xbfffffff, 0x100000000-0x13fffffff); "
				   "place it inside one RAM bank");
}

/* ---------------------------------------------------------------- not a config */

static void test_not_a_blob(void **state)
{
	(void)state;
	memset(blob, 0x5a, 256);
	assert_int_equal(parse(), -1);
	expect_only("/", "not a valid compiled device tree (libfdt: FDT_ERR_BADMAGIC); "
			 "compile the config with dtc -I dts -O dtb");
	assert_int_equal(rep.errors, 1);
}

/*
 * A blob of a pre-16 layout (version 15; dtc writes 17) is refused before
 * fdt_check_full(): libfdt 1.6.1's dereferences the NULL fdt_get_name()
 * returns for a pre-16 root node named "" (found by tests/fuzz/fuzz_config.c,
 * from a scenario config whose header said version 6, last compatible 0).
 */
static void test_old_blob_version(void **state)
{
	(void)state;
	root_begin("tessera,config", 1);
	node_begin("vms");
	finish();
	fdt_set_version(blob, 15);
	fdt_set_last_comp_version(blob, 0);
	assert_int_equal(parse(), -1);
	expect_only("/", "not a valid compiled device tree (libfdt: FDT_ERR_BADVERSION); "
			 "compile the config with dtc -I dts -O dtb");
}

static void test_wrong_compatible(void **state)
{
	(void)state;
	root_begin("acme,partition", 1);
	node_begin("vms");
	finish();
	assert_int_equal(parse(), -1);
	expect_only("/", "not a Tessera config (compatible is not \"tessera,config\"); "
			 "start the root node with compatible = \"tessera,config\";");
}

static void test_version(void **state)
{
	(void)state;
	root_begin("tessera,config", -1);
	finish();
	assert_int_equal(parse(), -1);
	expect_only("/", "tessera,version is missing or not one cell; add tessera,version = <1>;");

	setup(NULL);
	root_begin("tessera,config", 2);
	finish();
	assert_int_equal(parse(), -1);
	expect_only("/", "tessera,version is 2 but this Tessera reads version 1; convert the file "
			 "(docs/configuration.md) and set tessera,version = <1>;");
}

static void test_root_shape(void **state)
{
	(void)state;
	root_begin("tessera,config", 1);
	finish();
	assert_int_equal(parse(), -1);
	expect_only("/vms", "missing; add a vms { } node with one subnode per VM");

	setup(NULL);
	root_size_cells = 3;
	root_begin("tessera,config", 1);
	finish();
	assert_int_equal(parse(), -1);
	expect_only("/", "#address-cells and #size-cells must be 1 or 2; "
			 "write #address-cells = <2>; #size-cells = <2>;");

	/* Unknown things around the VMs are problems, but the VMs are still read. */
	setup(NULL);
	root_begin("tessera,config", 1);
	u32_prop("timeout", 5);
	node_begin("devices");
	node_end();
	node_begin("vms");
	u32_prop("count", 1);
	vm("alpha", 1, 0x50000000);
	finish();
	assert_int_equal(parse(), 3);
	expect_report(0, "/",
		      "unknown property 'timeout'; known: compatible, tessera,version, "
		      "#address-cells, #size-cells");
	expect_report(1, "/", "unknown node 'devices'; VMs go under /vms, channels under /channels, networks under /networks, cache colouring in /cache-coloring");
	expect_report(2, "/vms", "unknown property 'count'; /vms holds only VM nodes");
	assert_int_equal(cfg.vm_count, 1);
	assert_true(cfg.vms[0].valid);
}

static void test_no_vms(void **state)
{
	(void)state;
	config_begin();
	finish();
	assert_int_equal(check(), 1);
	expect_only("/vms", "no VMs; add one node per VM under /vms (docs/configuration.md)");
}

static void test_too_many_vms(void **state)
{
	char name[8];

	(void)state;
	config_begin();
	for (int i = 0; i <= CONFIG_MAX_VMS; i++) {
		snprintf(name, sizeof(name), "vm%d", i);
		vm(name, 0, 0x50000000);
	}
	finish();
	assert_int_equal(parse(), 1);
	expect_only("/vms", "more than 8 VMs; remove 'vm8' or merge VMs");
	assert_int_equal(cfg.vm_count, CONFIG_MAX_VMS);
}

/* ---------------------------------------------------------------- malformed VM nodes */

static void test_unknown_property(void **state)
{
	(void)state;
	config_begin();
	vm_begin("alpha", 1, 0x50000000, 0x2000000);
	u32_prop("foo", 1);
	vm_end();
	finish();
	assert_int_equal(check(), 1);
	expect_only("/vms/alpha", "unknown property 'foo'; known: cpus, memory, image, initrd, bootargs, "
				  "vuart, console-input, fault-policy, watchdog, watchdog-interrupt, "
		      "on-fault, on-watchdog, on-reset, on-off, restart-limit, restart-backoff-ms, "
		      "power-off-when-stopped, manager, colors, colors-shared, bandwidth-budget");
	assert_false(cfg.vms[0].valid);
}

static void test_missing_properties(void **state)
{
	(void)state;
	config_begin();
	node_begin("alpha");
	SW(fdt_property_string(blob, "bootargs", "x"));
	finish();
	assert_int_equal(check(), 4);
	expect_report(0, "/vms/alpha", "no cpus property; add cpus = <1>;");
	expect_report(1, "/vms/alpha",
		      "no memory property; add memory = <0x0 0x50000000 0x0 0x2000000>;");
	expect_report(2, "/vms/alpha", "no image property; add image = /incbin/(\"guest.bin\");");
	expect_report(3, "/vms/alpha", "no vuart property; add vuart = <0x0 0x09000000>;");
	assert_false(cfg.vms[0].valid);
}

static void test_malformed_properties(void **state)
{
	static const char not_a_string[3] = { 'a', 0, 'b' };
	const fdt32_t one_cell = cpu_to_fdt32(0x09000000);

	(void)state;
	config_begin();
	node_begin("alpha");
	SW(fdt_property(blob, "cpus", "\0\0\1", 3));
	SW(fdt_property(blob, "memory", &one_cell, 4));
	SW(fdt_property(blob, "image", small_image, sizeof(small_image)));
	SW(fdt_property(blob, "vuart", &one_cell, 4));
	SW(fdt_property(blob, "bootargs", not_a_string, sizeof(not_a_string)));
	u32_prop("console-input", 1);
	SW(fdt_property_string(blob, "fault-policy", "stopp"));
	finish();
	assert_int_equal(check(), 6);
	expect_report(0, "/vms/alpha",
		      "cpus must be 1 to 16 CPU indices of one cell each; "
		      "write e.g. cpus = <1 2>;");
	expect_report(1, "/vms/alpha",
		      "memory must be <base size> (4 cells with #address-cells = "
		      "<2> and #size-cells = <2>); write e.g. memory = "
		      "<0x0 0x50000000 0x0 0x2000000>;");
	expect_report(2, "/vms/alpha",
		      "vuart must be one address (2 cells with #address-cells = "
		      "<2>); write e.g. vuart = <0x0 0x09000000>;");
	expect_report(3, "/vms/alpha", "bootargs is not one string; write bootargs = \"...\";");
	expect_report(4, "/vms/alpha", "console-input takes no value; write console-input;");
	expect_report(5, "/vms/alpha",
		      "fault-policy must be \"inject\" (the default: the guest takes an external "
		      "abort) or \"stop\" (the VM stops); write e.g. fault-policy = \"stop\";");
	assert_false(cfg.vms[0].valid);
}

/* Restart policies: today's behaviour by default, every property read. */
static void test_restart_policies(void **state)
{
	(void)state;
	config_begin();
	vm_begin("alpha", 1, 0x50000000, 0x2000000);
	SW(fdt_property_string(blob, "on-fault", "restart"));
	SW(fdt_property_string(blob, "on-watchdog", "restart"));
	SW(fdt_property_string(blob, "on-reset", "stop"));
	SW(fdt_property_string(blob, "on-off", "restart"));
	u32_prop("restart-limit", 3);
	u32_prop("restart-backoff-ms", 250);
	SW(fdt_property(blob, "power-off-when-stopped", NULL, 0));
	vm_end();
	vm("beta", 2, 0x52000000);
	finish();
	assert_int_equal(check(), 0);

	const struct vm_config *a = &cfg.vms[0], *b = &cfg.vms[1];

	assert_int_equal(a->policy[VM_EVENT_FAULT], VM_ACTION_RESTART);
	assert_int_equal(a->policy[VM_EVENT_WATCHDOG], VM_ACTION_RESTART);
	assert_int_equal(a->policy[VM_EVENT_SYSTEM_RESET], VM_ACTION_STOP);
	assert_int_equal(a->policy[VM_EVENT_SYSTEM_OFF], VM_ACTION_RESTART);
	assert_int_equal(a->restart_limit, 3);
	assert_int_equal(a->restart_backoff_ms, 250);
	assert_true(a->power_off_when_stopped);
	assert_int_equal(b->policy[VM_EVENT_FAULT], VM_ACTION_STOP);
	assert_int_equal(b->policy[VM_EVENT_WATCHDOG], VM_ACTION_STOP);
	assert_int_equal(b->policy[VM_EVENT_SYSTEM_RESET], VM_ACTION_RESTART);
	assert_int_equal(b->policy[VM_EVENT_SYSTEM_OFF], VM_ACTION_STOP);
	assert_int_equal(b->restart_limit, 0);
	assert_int_equal(b->restart_backoff_ms, 0);
	assert_false(b->power_off_when_stopped);
}

/* Every bad policy value refused, all in one run, each with its fix. */
static void test_restart_policies_refused(void **state)
{
	(void)state;
	config_begin();
	vm_begin("alpha", 1, 0x50000000, 0x2000000);
	SW(fdt_property_string(blob, "on-fault", "reboot"));
	SW(fdt_property_string(blob, "on-reset", "Stop"));
	SW(fdt_property_string(blob, "restart-limit", "3"));
	u32_prop("restart-backoff-ms", 600001);
	u32_prop("power-off-when-stopped", 1);
	vm_end();
	finish();
	assert_int_equal(check(), 5);
	expect_report(0, "/vms/alpha",
		      "on-fault must be \"restart\" or \"stop\" (default \"stop\"); write e.g. on-fault = \"restart\";");
	expect_report(1, "/vms/alpha",
		      "on-reset must be \"restart\" or \"stop\" (default \"restart\"); write e.g. on-reset = \"restart\";");
	expect_report(2, "/vms/alpha", "restart-limit must be one number; write e.g. restart-limit = <3>;");
	expect_report(3, "/vms/alpha",
		      "restart-backoff-ms is 600001, above the most, 600000 (ten minutes); write a smaller one, e.g. restart-backoff-ms = <500>;");
	expect_report(4, "/vms/alpha", "power-off-when-stopped takes no value; write power-off-when-stopped;");
	assert_false(cfg.vms[0].valid);
}

static void watchdog_props(u64 refresh, u64 control, int intid)
{
	const fdt64_t frames[2] = { cpu_to_fdt64(refresh), cpu_to_fdt64(control) };

	SW(fdt_property(blob, "watchdog", frames, sizeof(frames)));
	if (intid >= 0)
		u32_prop("watchdog-interrupt", (u32)intid);
}

static void test_watchdog(void **state)
{
	(void)state;
	config_begin();
	vm_begin("alpha", 1, 0x50000000, 0x2000000);
	watchdog_props(0x09100000, 0x09110000, 48);
	vm_end();
	vm("beta", 2, 0x52000000);
	finish();
	assert_int_equal(check(), 0);
	assert_true(cfg.vms[0].valid);
	assert_true(cfg.vms[0].watchdog.present);
	assert_int_equal(cfg.vms[0].watchdog.refresh, 0x09100000);
	assert_int_equal(cfg.vms[0].watchdog.control, 0x09110000);
	assert_int_equal(cfg.vms[0].watchdog.intid, 48);
	assert_false(cfg.vms[1].watchdog.present);
}

static void bandwidth_prop(u32 budget, u32 period_us)
{
	const fdt32_t cells[2] = { cpu_to_fdt32(budget), cpu_to_fdt32(period_us) };

	SW(fdt_property(blob, "bandwidth-budget", cells, sizeof(cells)));
}

/* bandwidth-budget: read, and accepted where the board has a PMU the regulator knows. */
static void test_bandwidth_budget(void **state)
{
	(void)state;
	plat.pmu = (struct platform_pmu){ .intid = 23, .event = 0x08, .event_name = "INST_RETIRED" };
	config_begin();
	vm_begin("alpha", 1, 0x50000000, 0x2000000);
	bandwidth_prop(300000, 1000);
	vm_end();
	vm("beta", 2, 0x52000000);
	finish();
	assert_int_equal(check(), 0);
	assert_true(cfg.vms[0].valid);
	assert_true(cfg.vms[0].bandwidth.present);
	assert_int_equal(cfg.vms[0].bandwidth.budget, 300000);
	assert_int_equal(cfg.vms[0].bandwidth.period_us, 1000);
	assert_false(cfg.vms[1].bandwidth.present);
}

/* A board whose DT has no usable PMU: a budget is refused (the checker cannot read PMCR_EL0.N; boot reports N = 0). */
static void test_bandwidth_budget_without_pmu(void **state)
{
	(void)state;
	config_begin();
	vm_begin("alpha", 1, 0x50000000, 0x2000000);
	bandwidth_prop(300000, 1000);
	vm_end();
	finish();
	assert_int_equal(check(), 1);
	expect_only("/vms/alpha",
		    "bandwidth-budget needs a CPU PMU with a PPI this Tessera knows (arm,cortex-a78-pmu "
		    "or arm,armv8-pmuv3 in the board's DT) and this board has none; remove "
		    "bandwidth-budget");
	assert_false(cfg.vms[0].valid);
}

/* Every watchdog problem of every VM in one run, each with its fix. */
static void test_watchdog_mistakes(void **state)
{
	(void)state;
	config_begin();
	vm_begin("alpha", 1, 0x50000000, 0x2000000);
	watchdog_props(0x50001000, 0x09110800, 200);
	vm_end();
	vm_begin("beta", 2, 0x52000000, 0x2000000);
	u32_prop("watchdog-interrupt", 48);
	vm_end();
	vm_begin("gamma", 3, 0x54000000, 0x2000000);
	watchdog_props(0x09100000, 0x09100000, 33);
	vm_end();
	finish();
	assert_int_equal(check(), 6);
	expect_report(0, "/vms/alpha",
		      "watchdog refresh frame 0x50001000 overlaps the VM's memory, vUART, vGIC or a "
		      "device given to it; choose a free page");
	expect_report(1, "/vms/alpha",
		      "watchdog control frame 0x9110800 is not a 4 KiB aligned page below "
		      "0x8000000000; use an address that is a multiple of 0x1000");
	expect_report(2, "/vms/alpha",
		      "watchdog-interrupt 200 is not an SPI the vGIC offers; use 34 to 127");
	expect_report(3, "/vms/beta",
		      "a watchdog needs both watchdog = <refresh-frame control-frame> and "
		      "watchdog-interrupt = <SPI>; add the missing one");
	expect_report(4, "/vms/gamma",
		      "watchdog's refresh and control frames are one page; give each its own");
	expect_report(5, "/vms/gamma",
		      "watchdog-interrupt 33 is not an SPI the vGIC offers; use 34 to 127");
	assert_false(cfg.vms[0].valid);
	assert_false(cfg.vms[1].valid);
	assert_false(cfg.vms[2].valid);
}

static void test_too_many_cpus(void **state)
{
	u32 cpus[PLATFORM_MAX_CPUS + 1] = { 0 };

	(void)state;
	config_begin();
	node_begin("alpha");
	cpus_prop(PLATFORM_MAX_CPUS + 1, cpus);
	memory_prop(0x50000000, 0x2000000);
	has_image = has_vuart = false;
	vm_end();
	finish();
	assert_int_equal(check(), 1);
	expect_only("/vms/alpha", "cpus must be 1 to 16 CPU indices of one cell each; "
				  "write e.g. cpus = <1 2>;");
}

static void test_names(void **state)
{
	(void)state;
	config_begin();
	vm("a23456789012345678901234567890b", 0, 0x50000000); /* 31: fits */
	vm("a23456789012345678901234567890bc", 1, 0x52000000);
	vm("Alpha", 2, 0x54000000);
	vm("vm@1", 3, 0x56000000);
	node_begin("ok");
	node_begin("extra");
	finish();
	assert_int_equal(parse(), 8);
	assert_true(cfg.vms[0].valid);
	expect_report(0, "/vms/a23456789012345678901234567890bc",
		      "the VM name is 32 characters; rename the node to at most 31");
	expect_report(1, "/vms/Alpha",
		      "the VM name has characters other than a-z 0-9 _ -; "
		      "rename the node, e.g. vm1 (no unit address)");
	expect_report(2, "/vms/vm@1",
		      "the VM name has characters other than a-z 0-9 _ -; "
		      "rename the node, e.g. vm1 (no unit address)");
	/* ok: four missing properties, then the subnode: a device without its path. */
	expect_report(6, "/vms/ok", "no vuart property; add vuart = <0x0 0x09000000>;");
	expect_report(7, "/vms/ok/extra", "device must be the path of a node in the platform DT, "
					  "e.g. device = \"/pl031@9010000\";");
	assert_string_equal(cfg.vms[1].name,
			    "a23456789012345678901234567890b"); /* cut, terminated */
	for (unsigned int i = 1; i < 5; i++)
		assert_false(cfg.vms[i].valid);
}

/* ---------------------------------------------------------------- rules */

static void test_cpu_rules(void **state)
{
	const u32 twice[] = { 2, 3, 2 };

	(void)state;
	config_begin();
	vm("alpha", 1, 0x50000000);
	vm("beta", 1, 0x52000000);
	vm("gamma", 7, 0x54000000);
	vm("delta", 0, 0x56000000);
	node_begin("eps");
	cpus_prop(3, twice);
	memory_prop(0x58000000, 0x2000000);
	has_image = has_vuart = false;
	vm_end();
	node_begin("zeta");
	cpus_prop(0, NULL);
	memory_prop(0x5a000000, 0x2000000);
	has_image = has_vuart = false;
	vm_end();
	finish();

	assert_int_equal(check(), 4);
	expect_report(0, "/vms/beta",
		      "CPU 1 is already given to VM alpha; give each CPU to one VM only");
	expect_report(1, "/vms/gamma",
		      "CPU 7 is not in the platform (it has 4 CPUs: 0-3); "
		      "use CPU indices 0 to 3");
	expect_report(2, "/vms/eps", "CPU 2 is listed twice; list each CPU once");
	expect_report(3, "/vms/zeta",
		      "cpus is empty; give the VM at least one CPU, e.g. cpus = <1>;");
	assert_true(cfg.vms[0].valid);
	assert_false(cfg.vms[1].valid);
	assert_false(cfg.vms[2].valid);
	assert_true(cfg.vms[3].valid);
	assert_false(cfg.vms[4].valid);
}

static void test_one_cpu_platform(void **state)
{
	(void)state;
	plat.cpu_count = 1;
	config_begin();
	vm("alpha", 1, 0x50000000);
	finish();
	assert_int_equal(check(), 1);
	expect_only("/vms/alpha", "CPU 1 is not in the platform (it has 1 CPU: 0); use CPU 0");
}

/*
 * A VM refused for its CPU still holds its good memory, so a clash with it is
 * reported now, not after the CPU is fixed; memory that is itself refused
 * (here: over the hypervisor) is held by no one and clashes with nobody.
 */
static void test_conflict_with_refused_vm(void **state)
{
	(void)state;
	config_begin();
	vm("alpha", 9, 0x50000000);
	vm("beta", 1, 0x50000000);
	vm("gamma", 2, 0x40000000);
	vm("delta", 3, 0x40000000);
	finish();
	assert_int_equal(check(), 4);
	expect_report(0, "/vms/alpha",
		      "CPU 9 is not in the platform (it has 4 CPUs: 0-3); use CPU indices 0 to 3");
	expect_report(1, "/vms/beta",
		      "memory 0x50000000-0x51ffffff overlaps VM alpha's memory "
		      "(0x50000000-0x51ffffff); give each VM its own range");
	expect_report(2, "/vms/gamma",
		      "memory 0x40000000-0x41ffffff overlaps the hypervisor "
		      "(0x40000000-0x403fffff); move it to 0x40400000 or above");
	expect_report(3, "/vms/delta",
		      "memory 0x40000000-0x41ffffff overlaps the hypervisor "
		      "(0x40000000-0x403fffff); move it to 0x40400000 or above");
	for (unsigned int i = 0; i < 4; i++)
		assert_false(cfg.vms[i].valid);
	assert_true(cfg.vms[0].memory_held);
	assert_false(cfg.vms[2].memory_held);
}

static void test_memory_rules(void **state)
{
	(void)state;
	plat.cpu_count = 8; /* one CPU per VM: only memory is wrong here */
	config_begin();
	vm("alpha", 0, 0x50000000);
	vm_begin("zero", 1, 0x60000000, 0);
	vm_end();
	vm_begin("base", 2, 0x60100000, 0x2000000);
	vm_end();
	vm_begin("size", 3, 0x60000000, 0x2100000);
	vm_end();
	vm("outside", 4, 0x80000000);
	vm("below", 5, 0x3fe00000);
	vm_begin("wraps", 6, 0xffffffffffe00000ULL, 0x400000);
	vm_end();
	vm("hyp", 7, 0x40200000);
	finish();

	assert_int_equal(check(), 7);
	expect_report(0, "/vms/zero",
		      "memory size is 0; give the VM at least 4 MiB "
		      "(its image plus the 2 MiB guest DTB slot)");
	expect_report(1, "/vms/base",
		      "memory base 0x60100000 or size 0x2000000 is not 2 MiB "
		      "aligned; make both multiples of 0x200000");
	expect_report(2, "/vms/size",
		      "memory base 0x60000000 or size 0x2100000 is not 2 MiB "
		      "aligned; make both multiples of 0x200000");
	expect_report(3, "/vms/outside",
		      "memory 0x80000000-0x81ffffff is outside RAM "
		      "(0x40000000-0x7fffffff); place it inside one RAM bank");
	expect_report(4, "/vms/below",
		      "memory 0x3fe00000-0x41dfffff is outside RAM "
		      "(0x40000000-0x7fffffff); place it inside one RAM bank");
	expect_report(5, "/vms/wraps",
		      "memory 0xffffffffffe00000+0x400000 runs past the end of "
		      "the address space; place it inside one RAM bank");
	expect_report(6, "/vms/hyp",
		      "memory 0x40200000-0x421fffff overlaps the hypervisor "
		      "(0x40000000-0x403fffff); move it to 0x40400000 or above");
}

static void test_memory_overlap(void **state)
{
	(void)state;
	config_begin();
	vm("alpha", 1, 0x50000000);
	vm("beta", 2, 0x51000000);
	vm("gamma", 3, 0x4fe00000); /* overlaps alpha only */
	finish();
	assert_int_equal(check(), 2);
	expect_report(0, "/vms/beta",
		      "memory 0x51000000-0x52ffffff overlaps VM alpha's memory "
		      "(0x50000000-0x51ffffff); give each VM its own range");
	expect_report(1, "/vms/gamma",
		      "memory 0x4fe00000-0x51dfffff overlaps VM alpha's memory "
		      "(0x50000000-0x51ffffff); give each VM its own range");
	assert_true(cfg.vms[0].valid);
	assert_false(cfg.vms[1].valid);
	assert_false(cfg.vms[2].valid);
}

/* A VM breaking several rules hears about each, and the count matches. */
static void test_every_problem_reported(void **state)
{
	(void)state;
	config_begin();
	vm_begin("alpha", 7, 0x50000000, 0x2000000);
	SW(fdt_property(blob, "console-input", NULL, 0));
	vm_end();
	vm_begin("beta", 7, 0x40000000, 0x2000000);
	vuart_prop(0x40001000);
	SW(fdt_property(blob, "console-input", NULL, 0));
	vm_end();
	finish();
	assert_int_equal(check(), 4);
	expect_report(0, "/vms/alpha",
		      "CPU 7 is not in the platform (it has 4 CPUs: 0-3); "
		      "use CPU indices 0 to 3");
	expect_report(1, "/vms/beta",
		      "CPU 7 is not in the platform (it has 4 CPUs: 0-3); "
		      "use CPU indices 0 to 3");
	expect_report(2, "/vms/beta",
		      "memory 0x40000000-0x41ffffff overlaps the hypervisor "
		      "(0x40000000-0x403fffff); move it to 0x40400000 or above");
	/* alpha is refused, yet fixing its CPU would not free the console. */
	expect_report(3, "/vms/beta",
		      "console-input is already set on VM alpha; keep it on one VM only");
	assert_int_equal(rep.errors, 4);
	/* The vuart is only judged against a memory range that is itself good. */
}

/*
 * The issue-9 case: a misspelt property used to refuse its VM before any rule
 * ran, hiding an absent CPU and a memory overlap until it was fixed. Now all
 * three come in one run, and the misspelt VM still holds its memory.
 */
static void test_malformed_vm_still_checked(void **state)
{
	(void)state;
	config_begin();
	vm_begin("alpha", 0, 0x50000000, 0x2000000);
	SW(fdt_property_string(blob, "bootarg", "console=ttyAMA0"));
	vm_end();
	vm("beta", 7, 0x52000000);
	vm("gamma", 2, 0x4fe00000);
	finish();
	assert_int_equal(parse(), 1);
	assert_int_equal(config_validate(&cfg, &plat, &hyp, &rep), 2);
	assert_int_equal(got.count, 3);
	expect_report(0, "/vms/alpha",
		      "unknown property 'bootarg'; known: cpus, memory, image, initrd, bootargs, "
		      "vuart, console-input, fault-policy, watchdog, watchdog-interrupt, "
		      "on-fault, on-watchdog, on-reset, on-off, restart-limit, restart-backoff-ms, "
		      "power-off-when-stopped, manager, colors, colors-shared, bandwidth-budget");
	expect_report(1, "/vms/beta",
		      "CPU 7 is not in the platform (it has 4 CPUs: 0-3); use CPU indices 0 to 3");
	expect_report(2, "/vms/gamma",
		      "memory 0x4fe00000-0x51dfffff overlaps VM alpha's memory "
		      "(0x50000000-0x51ffffff); give each VM its own range");
	for (unsigned int i = 0; i < 3; i++)
		assert_false(cfg.vms[i].valid);
}

/*
 * A bad cell count and a stray subnode: only what needs the bad value is
 * skipped (the vuart's place; the subnode as a device). The VM's other rules
 * still run, and its good CPU still clashes with the next VM's.
 */
static void test_malformed_parts_skipped(void **state)
{
	const fdt32_t one_cell = cpu_to_fdt32(0x09000000);
	const u32 cpus[] = { 1, 7 };

	(void)state;
	config_begin();
	node_begin("alpha");
	cpus_prop(2, cpus);
	memory_prop(0x50000000, 0x2000000);
	image_header_prop(0, 0x2000000, 64); /* into the guest DTB slot */
	SW(fdt_property(blob, "vuart", &one_cell, 4));
	node_begin("serial");
	node_end();
	node_end();
	vm("beta", 1, 0x52000000);
	finish();
	assert_int_equal(check(), 5);
	expect_report(0, "/vms/alpha",
		      "vuart must be one address (2 cells with #address-cells = <2>); "
		      "write e.g. vuart = <0x0 0x09000000>;");
	expect_report(1, "/vms/alpha/serial",
		      "device must be the path of a node in the platform DT, "
		      "e.g. device = \"/pl031@9010000\";");
	expect_report(2, "/vms/alpha",
		      "CPU 7 is not in the platform (it has 4 CPUs: 0-3); use CPU indices 0 to 3");
	expect_report(3, "/vms/alpha",
		      "image needs 0x2000000 bytes at 0x50000000 but the guest DTB slot starts "
		      "at 0x51e00000 (the last 2 MiB of memory); give the VM more memory or use "
		      "a smaller image");
	expect_report(4, "/vms/beta",
		      "CPU 1 is already given to VM alpha; give each CPU to one VM only");
	assert_false(cfg.vms[0].valid);
	assert_false(cfg.vms[0].devices[0].held);
	assert_true(cfg.vms[0].memory_held);
	assert_int_equal(cfg.vms[0].cpus_held, 1u << 1);
}

static void test_image_rules(void **state)
{
	(void)state;
	config_begin();
	vm_begin("empty", 1, 0x52000000, 0x2000000);
	image_prop(NULL, 0);
	vm_end();
	vm_begin("big", 2, 0x54000000, 0x2000000);
	image_header_prop(0, 0x1e00001, 64); /* one byte into the DTB slot */
	vm_end();
	vm_begin("lying", 3, 0x56000000, 0x2000000);
	image_header_prop(0, 0x100, 0x200); /* says 256 bytes, has 512 */
	vm_end();
	vm_begin("tiny", 0, 0x58000000, SZ_2M); /* all of it is the DTB slot */
	vm_end();
	finish();

	assert_int_equal(check(), 4);
	expect_report(0, "/vms/empty",
		      "image is empty; point it at the guest binary, "
		      "e.g. image = /incbin/(\"guest.bin\");");
	expect_report(1, "/vms/big",
		      "image needs 0x1e00001 bytes at 0x54000000 but the guest DTB "
		      "slot starts at 0x55e00000 (the last 2 MiB of memory); give the VM "
		      "more memory or use a smaller image");
	expect_report(2, "/vms/lying",
		      "image has an arm64 Image header with an inconsistent "
		      "text_offset or image_size; rebuild the guest image");
	expect_report(3, "/vms/tiny",
		      "image needs 0x40 bytes at 0x58000000 but the guest DTB slot "
		      "starts at 0x58000000 (the last 2 MiB of memory); give the VM "
		      "more memory or use a smaller image");
	for (unsigned int i = 0; i < 4; i++)
		assert_false(cfg.vms[i].valid);
}

/* Issue 9: files that are not a raw image are refused with the command that makes one. */
static void test_image_formats(void **state)
{
	static u8 gz[64] = { 0x1f, 0x8b, 0x08 };
	static u8 zst[64] = { 0x28, 0xb5, 0x2f, 0xfd };
	static u8 zboot[0x200] = { 'M', 'Z', 0, 0, 'z', 'i', 'm', 'g', 0x00, 0x01, 0, 0, 0x80 };
	static u8 uimage[128] = { 0x27, 0x05, 0x19, 0x56 };
	static u8 elf[64] = { 0x7f, 'E', 'L', 'F' };
	static u8 initrd[16];
	static u8 image_gz[64];

	(void)state;
	zboot[0x100] = 0xfd; /* an xz payload at 0x100, 0x80 bytes */
	memcpy(zboot + 0x101, "7zXZ", 5);
	/* An arm64 Image whose first bytes happen to look like gzip is still an Image. */
	memcpy(image_gz, gz, 3);
	memcpy(image_gz + 0x38, "ARM\x64", 4);

	config_begin();
	vm_begin("gz", 0, 0x50000000, 0x2000000);
	image_prop(gz, sizeof(gz));
	vm_end();
	vm_begin("zst", 1, 0x52000000, 0x2000000);
	image_prop(zst, sizeof(zst));
	vm_end();
	vm_begin("zboot", 2, 0x54000000, 0x2000000);
	image_prop(zboot, sizeof(zboot));
	vm_end();
	vm_begin("uimage", 3, 0x56000000, 0x2000000);
	image_prop(uimage, sizeof(uimage));
	vm_end();
	finish();
	assert_int_equal(check(), 4);
	expect_report(0, "/vms/gz",
		      "image is gzip-compressed (a distribution's vmlinuz?), but Tessera loads "
		      "images as they are; decompress it, e.g. zcat vmlinuz > Image, and embed Image");
	expect_report(1, "/vms/zst",
		      "image is zstd-compressed (a distribution's vmlinuz?), but Tessera loads "
		      "images as they are; decompress it, e.g. zstdcat vmlinuz > Image, and embed "
		      "Image");
	expect_report(2, "/vms/zboot",
		      "image is an EFI zboot kernel; extract its arm64 Image: dd if=vmlinuz "
		      "bs=4096 iflag=skip_bytes,count_bytes skip=256 count=128 | xzcat > Image");
	expect_report(3, "/vms/uimage",
		      "image is a U-Boot uImage; strip its 64-byte header: tail -c +65 uImage > "
		      "Image (and decompress Image if it is compressed)");
	for (unsigned int i = 0; i < 4; i++)
		assert_false(cfg.vms[i].valid);

	memset(&got, 0, sizeof(got));
	zboot[0x100] = 0; /* a payload of an unknown format */
	config_begin();
	vm_begin("elf", 0, 0x50000000, 0x2000000);
	image_prop(elf, sizeof(elf));
	vm_end();
	vm_begin("zboot", 1, 0x52000000, 0x2000000);
	image_prop(zboot, sizeof(zboot));
	vm_end();
	vm_begin("linux", 2, 0x54000000, 0x2000000); /* an initrd, but a raw file */
	SW(fdt_property(blob, "initrd", initrd, sizeof(initrd)));
	vm_end();
	vm_begin("image", 3, 0x56000000, 0x2000000);
	image_prop(image_gz, sizeof(image_gz));
	SW(fdt_property(blob, "initrd", initrd, sizeof(initrd)));
	vm_end();
	finish();
	assert_int_equal(check(), 3);
	expect_report(0, "/vms/elf",
		      "image is an ELF file, but Tessera loads flat binaries; convert it: "
		      "objcopy -O binary guest.elf guest.bin (Linux: use arch/arm64/boot/Image)");
	expect_report(1, "/vms/zboot",
		      "image is an EFI zboot kernel with a payload Tessera does not know; "
		      "embed the kernel's arch/arm64/boot/Image instead");
	expect_report(2, "/vms/linux",
		      "image has no arm64 Image header (\"ARM\\x64\" at 0x38), but a VM with an "
		      "initrd runs Linux; embed the kernel's raw arm64 Image (arch/arm64/boot/Image)");
	assert_true(cfg.vms[3].valid);
}

static void test_vuart_rules(void **state)
{
	(void)state;
	config_begin();
	vm_begin("odd", 0, 0x50000000, 0x2000000);
	vuart_prop(0x09000800);
	vm_end();
	vm_begin("inside", 1, 0x52000000, 0x2000000);
	vuart_prop(0x53fff000);
	vm_end();
	vm_begin("top", 2, 0x54000000, 0x2000000);
	vuart_prop(0xfffffffffffff000ULL); /* its page would wrap */
	vm_end();
	finish();
	assert_int_equal(check(), 3);
	expect_report(0, "/vms/odd",
		      "vuart 0x9000800 is not a 4 KiB aligned page; "
		      "use an address that is a multiple of 0x1000");
	expect_report(1, "/vms/inside",
		      "vuart 0x53fff000 lies inside the VM's memory "
		      "(0x52000000-0x53ffffff); move it outside that range");
	expect_report(2, "/vms/top",
		      "vuart 0xfffffffffffff000 is not a 4 KiB aligned page; "
		      "use an address that is a multiple of 0x1000");
}

/* A GIC as QEMU virt has it: GICD, and one GICR region of @gicr_frames 128 KiB frames. */
static void use_gic(unsigned int gicr_frames)
{
	plat.gicd = (struct mem_range){ 0x08000000, SZ_64K };
	plat.gicr[0] = (struct mem_range){ 0x080a0000, gicr_frames * 0x20000ULL };
	plat.gicr_count = 1;
}

/* A VM on CPUs @first and @first + 1: two vGIC redistributor frames. */
static void vm_two_cpus_begin(const char *name, u32 first, u64 base)
{
	const u32 cpus[2] = { first, first + 1 };

	node_begin(name);
	cpus_prop(2, cpus);
	memory_prop(base, 0x2000000);
	has_image = has_vuart = false;
}

/* The vUART is checked against the VM's own vGIC: one frame per vCPU, not the machine's region. */
static void test_vuart_in_vgic(void **state)
{
	(void)state;
	use_gic(1); /* a region of one frame: a 2-vCPU VM's second frame lies past it */
	config_begin();
	vm_two_cpus_begin("two", 0, 0x50000000);
	vuart_prop(0x080c0000);
	vm_end();
	vm_begin("dist", 2, 0x52000000, 0x2000000);
	vuart_prop(0x0800f000);
	vm_end();
	vm_begin("one", 3, 0x54000000, 0x2000000);
	vuart_prop(0x080c0000); /* its one frame ends below */
	vm_end();
	finish();
	assert_int_equal(check(), 2);
	expect_report(0, "/vms/two",
		      "vuart 0x80c0000 lies in the VM's vGIC (distributor 0x8000000-0x800ffff, "
		      "redistributors 0x80a0000-0x80dffff); move it outside both");
	expect_report(1, "/vms/dist",
		      "vuart 0x800f000 lies in the VM's vGIC (distributor 0x8000000-0x800ffff, "
		      "redistributors 0x80a0000-0x80bffff); move it outside both");
	assert_true(cfg.vms[2].valid);
}

/* Channel ends against the vGIC as the VM sees it (config_vgic_place), as vm_build places it. */
static void test_channel_vgic_stride(void **state)
{
	(void)state;
	use_gic(1);
	config_begin();
	vm_two_cpus_begin("alpha", 0, 0x50000000);
	vm_end();
	vm("beta", 2, 0x52000000);
	node_end(); /* /vms */
	node_begin("channels");
	node_begin("ping");
	memory_prop(0x58000000, SZ_2M);
	channel_end("alpha", 0x70000000, 0x080c0000, 40, false); /* alpha's second GICR frame */
	channel_end("beta", 0x70000000, 0x080c0000, 40, false);  /* beyond beta's only frame */
	finish();
	assert_int_equal(check(), 1);
	expect_only("/channels/ping/alpha", "doorbell 0x80c0000-0x80c0fff overlaps VM alpha's "
					     "memory, vUART or vGIC; choose a free address in that VM");

	/* A machine region far larger than the VM's frames takes nothing more from the VM. */
	setup(NULL);
	use_gic(123);
	config_begin();
	channel_begin("ping", 0x58000000);
	channel_end("alpha", 0x70000000, 0x080c0000, 40, false);
	channel_end("beta", 0x70000000, 0x080a0000, 40, false);
	finish();
	assert_int_equal(check(), 1);
	expect_only("/channels/ping/beta", "doorbell 0x80a0000-0x80a0fff overlaps VM beta's "
					    "memory, vUART or vGIC; choose a free address in that VM");
}

/* Every page of a channel end lies in the VM's IPA space (CONFIG_IPA_LIMIT). */
static void test_channel_beyond_ipa_limit(void **state)
{
	(void)state;
	config_begin();
	channel_begin("far", 0x58000000);
	channel_end("alpha", CONFIG_IPA_LIMIT - SZ_1M, 0x0a000000, 40, false);
	channel_end("beta", 0x70000000, CONFIG_IPA_LIMIT, 40, false);
	finish();
	assert_int_equal(check(), 2);
	expect_report(0, "/channels/far/alpha",
		      "map 0x7ffff00000-0x80000fffff is beyond the VM's 512 GiB address space; "
		      "choose an address below 0x8000000000");
	expect_report(1, "/channels/far/beta",
		      "doorbell 0x8000000000-0x8000000fff is beyond the VM's 512 GiB address space; "
		      "choose an address below 0x8000000000");
	assert_false(cfg.channels[0].valid);
}

static void test_console_input_once(void **state)
{
	(void)state;
	config_begin();
	vm_begin("alpha", 1, 0x50000000, 0x2000000);
	SW(fdt_property(blob, "console-input", NULL, 0));
	vm_end();
	vm_begin("beta", 2, 0x52000000, 0x2000000);
	SW(fdt_property(blob, "console-input", NULL, 0));
	vm_end();
	finish();
	assert_int_equal(check(), 1);
	expect_only("/vms/beta",
		    "console-input is already set on VM alpha; keep it on one VM only");
	assert_true(cfg.vms[0].valid);
	assert_false(cfg.vms[1].valid);
}

/* manager: at most one VM, naming both; its page a 4 KiB page of its own; every problem in one run. */
static void test_manager(void **state)
{
	(void)state;
	config_begin();
	vm_begin("alpha", 1, 0x50000000, 0x2000000);
	u64_prop("manager", 0x0a100000);
	vm_end();
	vm_begin("beta", 2, 0x52000000, 0x2000000);
	u64_prop("manager", 0x0a100800); /* a second manager, and not page aligned */
	vm_end();
	vm_begin("gamma", 3, 0x54000000, 0x2000000);
	u32_prop("manager", 1); /* one cell where an address has two */
	vm_end();
	finish();
	assert_int_equal(check(), 3);
	expect_report(0, "/vms/gamma",
		      "manager takes no value (HVC calls only) or the address of its management page "
		      "(2 cells); write manager; or e.g. manager = <0x0 0x0a100000>;");
	expect_report(1, "/vms/beta", "manager is set on VM alpha and on VM beta; keep it on one VM only");
	expect_report(2, "/vms/beta",
		      "manager page 0xa100800 is not a 4 KiB aligned page below 0x8000000000; "
		      "use an address that is a multiple of 0x1000");
	assert_true(cfg.vms[0].valid);
	assert_true(cfg.vms[0].manager);
	assert_int_equal(cfg.vms[0].manager_page, 0x0a100000);
	assert_false(cfg.vms[1].valid);
	assert_false(cfg.vms[2].valid);
}

static void test_manager_page_placement(void **state)
{
	(void)state;
	config_begin();
	vm_begin("alpha", 1, 0x50000000, 0x2000000);
	u64_prop("manager", 0x09000000); /* its vUART's page */
	vm_end();
	finish();
	assert_int_equal(check(), 1);
	expect_only("/vms/alpha", "manager page 0x9000000 lies in the VM's memory, vUART or vGIC; "
				  "give it a page of its own, e.g. 0x0a100000");

	config_begin();
	vm_begin("alpha", 1, 0x50000000, 0x2000000);
	SW(fdt_property(blob, "manager", NULL, 0)); /* HVC calls only: no page */
	vm_end();
	finish();
	assert_int_equal(check(), 0);
	assert_true(cfg.vms[0].manager);
	assert_int_equal(cfg.vms[0].manager_page, 0);
}

/* The hypervisor may run the checks without a reporter or a known footprint. */
static void test_no_reporter(void **state)
{
	(void)state;
	config_begin();
	vm("alpha", 7, 0x40000000);
	finish();
	assert_int_equal(config_parse(blob, &cfg, NULL), 0);
	assert_int_equal(config_validate(&cfg, &plat, NULL, NULL), 1); /* CPU 7; no footprint */
	assert_false(cfg.vms[0].valid);
}

/* ---------------------------------------------------------------- image_place */

static void test_image_place(void **state)
{
	u8 img[128] = { 0 };
	u64 load = 0, span = 0;

	(void)state;
	assert_false(image_place(NULL, 10, 0x50000000, &load, &span));
	assert_false(image_place(img, 0, 0x50000000, &load, &span));

	/* No magic: raw, at the RAM base, as big as the file. */
	assert_true(image_place(img, sizeof(img), 0x50100000, &load, &span));
	assert_int_equal(load, 0x50100000);
	assert_int_equal(span, 128);

	/* Image: text_offset from the 2 MiB aligned base; image_size includes bss. */
	memcpy(img + 0x38, "ARM\x64", 4);
	img[8 + 2] = 0x08;  /* text_offset 0x80000 */
	img[16 + 2] = 0x20; /* image_size 0x200000 */
	assert_true(image_place(img, sizeof(img), 0x50100000, &load, &span));
	assert_int_equal(load, 0x50280000);
	assert_int_equal(span, 0x200000);

	/* image_size 0 (before Linux 3.17): the file size. */
	img[16 + 2] = 0;
	assert_true(image_place(img, sizeof(img), 0x50000000, &load, &span));
	assert_int_equal(load, 0x50080000);
	assert_int_equal(span, 128);

	/* Declared smaller than the file, or past the end of the address space. */
	img[16] = 64;
	assert_false(image_place(img, sizeof(img), 0x50000000, &load, &span));
	memset(img + 8, 0xff, 8);
	img[16] = 0;
	assert_false(image_place(img, sizeof(img), 0x50000000, &load, &span));

	/* Shorter than a header: raw even if the bytes look like one. */
	assert_true(image_place(img, 60, 0x50000000, &load, &span));
	assert_int_equal(load, 0x50000000);
	assert_int_equal(span, 60);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_demo_config, setup),
		cmocka_unit_test_setup(test_edges_accepted, setup),
		cmocka_unit_test_setup(test_initrd, setup),
		cmocka_unit_test_setup(test_channel_accepted, setup),
		cmocka_unit_test_setup(test_channel_refused, setup),
		cmocka_unit_test_setup(test_channel_typo_hides_nothing, setup),
		cmocka_unit_test_setup(test_channel_pci, setup),
		cmocka_unit_test_setup(test_ram_banks, setup),
		cmocka_unit_test_setup(test_not_a_blob, setup),
		cmocka_unit_test_setup(test_old_blob_version, setup),
		cmocka_unit_test_setup(test_wrong_compatible, setup),
		cmocka_unit_test_setup(test_version, setup),
		cmocka_unit_test_setup(test_root_shape, setup),
		cmocka_unit_test_setup(test_no_vms, setup),
		cmocka_unit_test_setup(test_too_many_vms, setup),
		cmocka_unit_test_setup(test_unknown_property, setup),
		cmocka_unit_test_setup(test_missing_properties, setup),
		cmocka_unit_test_setup(test_malformed_properties, setup),
		cmocka_unit_test_setup(test_restart_policies, setup),
		cmocka_unit_test_setup(test_restart_policies_refused, setup),
		cmocka_unit_test_setup(test_watchdog, setup),
		cmocka_unit_test_setup(test_bandwidth_budget, setup),
		cmocka_unit_test_setup(test_bandwidth_budget_without_pmu, setup),
		cmocka_unit_test_setup(test_watchdog_mistakes, setup),
		cmocka_unit_test_setup(test_too_many_cpus, setup),
		cmocka_unit_test_setup(test_names, setup),
		cmocka_unit_test_setup(test_cpu_rules, setup),
		cmocka_unit_test_setup(test_one_cpu_platform, setup),
		cmocka_unit_test_setup(test_conflict_with_refused_vm, setup),
		cmocka_unit_test_setup(test_memory_rules, setup),
		cmocka_unit_test_setup(test_memory_overlap, setup),
		cmocka_unit_test_setup(test_every_problem_reported, setup),
		cmocka_unit_test_setup(test_malformed_vm_still_checked, setup),
		cmocka_unit_test_setup(test_malformed_parts_skipped, setup),
		cmocka_unit_test_setup(test_image_rules, setup),
		cmocka_unit_test_setup(test_image_formats, setup),
		cmocka_unit_test_setup(test_vuart_rules, setup),
		cmocka_unit_test_setup(test_vuart_in_vgic, setup),
		cmocka_unit_test_setup(test_channel_vgic_stride, setup),
		cmocka_unit_test_setup(test_channel_beyond_ipa_limit, setup),
		cmocka_unit_test_setup(test_console_input_once, setup),
		cmocka_unit_test_setup(test_manager, setup),
		cmocka_unit_test_setup(test_manager_page_placement, setup),
		cmocka_unit_test_setup(test_no_reporter, setup),
		cmocka_unit_test_setup(test_image_place, setup),
		cmocka_unit_test_setup(test_device_accepted, setup),
		cmocka_unit_test_setup(test_device_refused, setup),
		cmocka_unit_test_setup(test_device_rules, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
