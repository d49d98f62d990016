/*
 * The virtual BPMP end to end on the real AGX Orin DT: the example configs
 * configs/tegra234/agx-orin-usb-eth.dts and agx-orin-gpu-vm.dts themselves
 * (compiled by `make unit` with stand-ins for their images), checked by
 * config_parse/config_validate against build/tegra234/platform-agx-orin.dtb
 * (each SKIPPED, saying why, when missing); the VM's guest DT built
 * (guest_fdt*.c) and read as Linux reads it; its virtual BPMP created from
 * the checked vm_config as vm.c does (vbpmp.c, vhsp.c) against the BPMP
 * model (bpmp_model.h), and driven by a guest (vbpmp_guest.h). Checked:
 *  - the bpmp node's mboxes and shmem lead, through the hsp node and the
 *    sram node's ranges, to exactly the HSP Tessera emulates, the pools it
 *    maps and the interrupt it raises, as vm_config.vbpmp says; the doorbell
 *    page tegra-hsp.c computes from the virtual dimensioning register is
 *    where the doorbells are emulated;
 *  - the BPMP IDs the guest DT's devices name are the VM's allow-list; each
 *    clock enabled, reset deasserted, power domain switched on reaches the
 *    BPMP; one another example VM's device has and one no device of the
 *    board has are refused and never reach it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <drivers/bpmp.h>
#include <tessera/el2_timer.h>
#include <drivers/bpmp_abi.h>
#include <drivers/tegra_hsp.h>
#include <tessera/guest_fdt.h>
#include <virt/vhsp.h>
#include <virt/vpl011.h>

#include "../../hyp/core/config_internal.h"
#include "../../hyp/core/platform_internal.h"
#include "bpmp_model.h"
#include "fake_arch.h"
#include "vbpmp_guest.h"

#define DTB_MAX (1 << 20)
#define PG_STATE_ON 1U /* bpmp-abi.h, MRQ_PG CMD_PG_SET_STATE */
#define MAX_NAMED 512 /* the whole board DT's, per kind */

/* platform.mk's HYP_LOAD_ADDR; the size is a small stand-in for the image. */
static const struct mem_range hyp = { 0x80000000, 0x4000000 };

enum kind { CLOCKS, RESETS, POWER_DOMAINS, KINDS };

static const char *const kind_name[KINDS] = { "clock", "reset", "power domain" };

struct id_set {
	u32 ids[MAX_NAMED];
	unsigned int count;
};

struct example {
	const char *file; /* under the configs directory */
	char blob[1 << 16];
	struct system_config sys;
	const struct vm_config *vm; /* the one with the virtual BPMP */
};

static char platform_fdt[DTB_MAX];
static struct platform plat;       /* the real board, for the checker and the guest DT */
static struct platform model_plat; /* the BPMP model's, for Tessera's channel */
static char why_skipped[512];
static bool ready; /* the board and both configs loaded and checked */
static struct example examples[2] = {
	{ .file = "tegra234-agx-orin-usb-eth.dtb" },
	{ .file = "tegra234-agx-orin-gpu-vm.dtb" },
};
static unsigned char guest_dt[1 << 17];
static struct vbpmp_guest guest;

/* What vbpmp_vm_create asked of the stage 2 and of the emulation. */
static struct {
	u64 va, pa, size;
	unsigned int maps;
} s2_map;

/* ---- what vbpmp.c needs of the rest of Tessera */

int pt_map(struct pgtable *pt, u64 va, u64 pa, u64 size, unsigned int prot)
{
	assert_ptr_equal(pt, &guest.vm.s2);
	assert_int_equal(prot, PT_R | PT_W); /* never executable */
	s2_map.va = va;
	s2_map.pa = pa;
	s2_map.size = size;
	s2_map.maps++;
	return 0;
}

bool vm_add_emul(struct vm *vm, const char *name, u64 base, u64 size, void *dev,
		 enum mmio_result (*access)(void *dev, struct mmio_access *acc))
{
	assert_true(vm->emul_count < VM_MAX_EMUL);
	vm->emul[vm->emul_count++] = (struct emul_device){ name, base, size, dev, access };
	return true;
}

int mmu_map_device(u64 base, u64 size) { (void)base; (void)size; return 0; }
int mmu_map_ram(u64 base, u64 size) { (void)base; (void)size; return 0; }
void gic_set_spi_trigger(u32 intid, bool edge) { (void)intid; (void)edge; }
void gic_enable_spi(u32 intid, u64 mpidr) { (void)intid; (void)mpidr; }
void gic_enable_private(u32 intid) { (void)intid; }

/* ---- loading */

static bool load(const char *path, void *buf, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		snprintf(why_skipped, sizeof(why_skipped), "%s is missing (`make unit` builds it; "
			 "the AGX Orin DT needs Debian's linux-source-6.1, fetched once)", path);
		return false;
	}
	n = fread(buf, 1, size, f);
	fclose(f);
	if (n <= sizeof(struct fdt_header) || fdt_check_header(buf))
		fail_msg("%s is not a device tree blob", path);
	return true;
}

static void print_report(void *ctx, const char *node, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "config: %s: %s\n", node, msg);
}

static int setup(void **state)
{
	const char *dtb = getenv("TESSERA_TEGRA234_PLATFORM_DTB");
	const char *dir = getenv("TESSERA_E2E_CONFIG_DIR");
	char err[256], path[512];

	(void)state;
	if (!load(dtb ? dtb : "build/tegra234/platform-agx-orin.dtb", platform_fdt,
		  sizeof(platform_fdt)))
		return 0;
	if (platform_parse(platform_fdt, &plat, err, sizeof(err)))
		fail_msg("the AGX Orin platform DT does not parse: %s", err);
	for (unsigned int e = 0; e < ARRAY_SIZE(examples); e++) {
		struct example *ex = &examples[e];
		struct config_reporter rep = { print_report, NULL, 0 };

		snprintf(path, sizeof(path), "%s/%s", dir ? dir : "build/host/tests/configs", ex->file);
		if (!load(path, ex->blob, sizeof(ex->blob)))
			return 0;
		assert_int_equal(config_parse(ex->blob, &ex->sys, &rep), 0);
		assert_int_equal(config_validate(&ex->sys, &plat, &hyp, &rep), 0);
		for (unsigned int v = 0; v < ex->sys.vm_count; v++) {
			if (!ex->sys.vms[v].vbpmp.present)
				continue;
			assert_null(ex->vm); /* one VM of each has BPMP-backed devices */
			ex->vm = &ex->sys.vms[v];
		}
		assert_non_null(ex->vm);
	}
	ready = true;
	return 0;
}

static void need_board(void)
{
	if (!ready) {
		fprintf(stderr, "SKIPPED: %s\n", why_skipped);
		skip();
	}
}

/* ---- reading a DT as Linux does */

static int by_phandle(const void *fdt, u32 ph)
{
	int node = fdt_node_offset_by_phandle(fdt, ph);

	if (node < 0)
		fail_msg("phandle 0x%x names no node", ph);
	return node;
}

static u32 u32_prop(const void *fdt, int node, const char *name)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, name, &len);

	if (!v || len != 4)
		fail_msg("%s/%s: not one cell", fdt_get_name(fdt, node, NULL), name);
	return fdt32_to_cpu(*v);
}

/*
 * @node's first reg entry as a CPU address, as of_address_to_resource finds
 * it: through each bus's ranges (the platform parser's reader, platform.c).
 */
static struct mem_range cpu_range(int node)
{
	char err[256];
	struct dt dt = { .fdt = guest_dt, .err = err, .err_size = sizeof(err) };
	struct mem_range r;

	if (reg_range(&dt, node, 0, &r))
		fail_msg("guest DT: %s", err);
	return r;
}

static void set_add(struct id_set *s, u32 id)
{
	for (unsigned int i = 0; i < s->count; i++)
		if (s->ids[i] == id)
			return;
	assert_true(s->count < MAX_NAMED);
	s->ids[s->count++] = id;
}

static bool set_has(const struct id_set *s, u32 id)
{
	for (unsigned int i = 0; i < s->count; i++)
		if (s->ids[i] == id)
			return true;
	return false;
}

/*
 * The IDs @fdt's nodes name at provider @bpmp, by kind: each specifier list
 * walked as of_parse_phandle_with_args does, its length from the provider's
 * #<kind>-cells (phandle 0, an empty entry, is one cell).
 */
static void named_ids(const void *fdt, int bpmp, struct id_set sets[KINDS])
{
	static const struct {
		const char *prop, *cells;
		enum kind kind;
	} lists[] = {
		{ "clocks", "#clock-cells", CLOCKS },
		{ "assigned-clocks", "#clock-cells", CLOCKS },
		{ "assigned-clock-parents", "#clock-cells", CLOCKS },
		{ "resets", "#reset-cells", RESETS },
		{ "power-domains", "#power-domain-cells", POWER_DOMAINS },
	};

	memset(sets, 0, KINDS * sizeof(sets[0]));
	for (int node = fdt_next_node(fdt, -1, NULL); node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
			int len, i = 0;
			const fdt32_t *v = fdt_getprop(fdt, node, lists[l].prop, &len);

			while (v && i < len / 4) {
				u32 ph = fdt32_to_cpu(v[i]), cells;
				int provider;

				if (!ph) {
					i++;
					continue;
				}
				provider = by_phandle(fdt, ph);
				cells = u32_prop(fdt, provider, lists[l].cells);
				if (i + 1 + (int)cells > len / 4)
					fail_msg("%s/%s: a specifier runs past its end",
						 fdt_get_name(fdt, node, NULL), lists[l].prop);
				if (provider == bpmp) {
					assert_int_equal(cells, 1);
					set_add(&sets[lists[l].kind], fdt32_to_cpu(v[i + 1]));
				}
				i += 1 + (int)cells;
			}
		}
	}
}

static void build_guest_dt(const struct vm_config *vm)
{
	struct mem_range gicd, gicr;
	struct guest_fdt_params p = {
		.vm_name = vm->name,
		.memory = vm->memory,
		.vcpu_count = vm->cpu_count,
		.vuart_base = vm->vuart_base,
		.vuart_intid = VPL011_INTID,
		.bootargs = vm->bootargs,
		.platform = &plat,
		.devices = vm->devices,
		.device_count = vm->device_count,
		.vbpmp = &vm->vbpmp,
	};

	config_vgic_place(&plat, vm->cpu_count, &gicd, &gicr);
	p.gicd_base = gicd.base;
	p.gicr_base = gicr.base;
	assert_int_equal(guest_fdt_build(guest_dt, sizeof(guest_dt), &p), 0);
}

/* ---- the VM */

/* vm_build's part: the virtual BPMP from the checked config; Tessera's channel to the model. */
static void create_vm(const struct vm_config *vm)
{
	fake_arch_reset();
	fake_sysreg_set("cntfrq_el0", 1000000);
	fake_sysreg_set("cntpct_el0", 5000);
	memset(&model_plat, 0, sizeof(model_plat));
	bpmp_model_reset(MODEL_ANSWER, &model_plat);
	assert_true(bpmp_init(&model_plat, 0));
	el2_timer_init(&model_plat);
	fake_run_on(0, NULL);
	el2_timer_cpu_init();
	memset(&guest, 0, sizeof(guest));
	memset(&s2_map, 0, sizeof(s2_map));
	guest.cfg = *vm;
	guest.vm.cfg = &guest.cfg;
	guest.vm.name = vm->name;
	assert_true(vbpmp_vm_create(&guest.vm));
	vbpmp_vm_reset(&guest.vm);
	assert_int_equal(s2_map.maps, 1);
	assert_int_equal(guest.vm.emul_count, 1);
}

/* A guest address of the pools, to where Tessera's stage 2 puts it. */
static u8 *through_s2(u64 ipa, u64 size)
{
	if (ipa < s2_map.va || ipa + size > s2_map.va + s2_map.size)
		fail_msg("the guest DT's pool at 0x%llx+0x%llx is not what Tessera maps (0x%llx+0x%llx)",
			 (unsigned long long)ipa, (unsigned long long)size,
			 (unsigned long long)s2_map.va, (unsigned long long)s2_map.size);
	return (u8 *)(uintptr_t)(s2_map.pa + (ipa - s2_map.va));
}

/*
 * The guest finds its BPMP as tegra186_bpmp_init and tegra_hsp_probe do,
 * checked against vm_config.vbpmp and what the mediator mapped and emulates;
 * then it boots its channels.
 */
static void guest_finds_bpmp(const struct vm_config *vm)
{
	const struct vbpmp_config *vb = &vm->vbpmp;
	const struct emul_device *emul = &guest.vm.emul[0];
	int bpmp = fdt_node_offset_by_compatible(guest_dt, -1, "nvidia,tegra186-bpmp");
	int len, hsp, names, pool[2];
	const fdt32_t *v;
	struct mem_range hsp_reg, tx, rx;
	u32 dim;

	assert_true(bpmp >= 0);
	/* mboxes = <&hsp TEGRA_HSP_MBOX_TYPE_DB TEGRA_HSP_DB_MASTER_BPMP> */
	v = fdt_getprop(guest_dt, bpmp, "mboxes", &len);
	assert_non_null(v);
	hsp = by_phandle(guest_dt, fdt32_to_cpu(v[0]));
	assert_int_equal(len, (1 + (int)u32_prop(guest_dt, hsp, "#mbox-cells")) * 4);
	assert_int_equal(fdt_node_check_compatible(guest_dt, hsp, "nvidia,tegra194-hsp"), 0);
	assert_int_equal(fdt32_to_cpu(v[1]), 0); /* a doorbell */
	assert_int_equal(fdt32_to_cpu(v[2]), HSP_MASTER_BPMP);
	hsp_reg = cpu_range(hsp);
	guest.hsp_base = hsp_reg.base;
	assert_int_equal(guest.hsp_base, vb->hsp_ipa);
	assert_int_equal(guest.hsp_base, emul->base);
	assert_int_equal(hsp_reg.size, emul->size);
	/* The "doorbell" interrupt: <GIC_SPI n IRQ_TYPE_LEVEL_HIGH>, n + 32 the one raised. */
	names = fdt_stringlist_search(guest_dt, hsp, "interrupt-names", "doorbell");
	assert_true(names >= 0);
	v = fdt_getprop(guest_dt, hsp, "interrupts", &len);
	assert_true(v && len >= (names + 1) * 12);
	assert_int_equal(fdt32_to_cpu(v[names * 3]), 0);
	assert_int_equal(fdt32_to_cpu(v[names * 3 + 1]) + 32, vb->intid);
	assert_int_equal(fdt32_to_cpu(v[names * 3 + 2]), 4);
	/* tegra_hsp_probe: the doorbells' page from the dimensioning register, inside reg. */
	dim = guest_hsp_read(&guest, HSP_DIMENSIONING);
	assert_int_equal(hsp_doorbell_page(dim), VBPMP_HSP_DB_OFFSET);
	assert_true(HSP_DIM_FIELD(dim, HSP_DIM_NDB_SHIFT) > HSP_DB_BPMP);
	assert_true(VHSP_DB_REG(HSP_DB_BPMP + 1, 0) <= hsp_reg.size);
	/* shmem = <&tx &rx>: pools of an mmio-sram, through its ranges. */
	v = fdt_getprop(guest_dt, bpmp, "shmem", &len);
	assert_true(v && len == 8);
	for (int i = 0; i < 2; i++) {
		pool[i] = by_phandle(guest_dt, fdt32_to_cpu(v[i]));
		assert_non_null(fdt_getprop(guest_dt, pool[i], "pool", NULL));
		assert_int_equal(fdt_node_check_compatible(guest_dt, fdt_parent_offset(guest_dt, pool[i]),
							   "mmio-sram"), 0);
	}
	tx = cpu_range(pool[0]);
	rx = cpu_range(pool[1]);
	assert_int_equal(tx.base, vb->sram_ipa);
	assert_int_equal(rx.base, vb->sram_ipa + VBPMP_SRAM_POOL_SIZE);
	/* Channel 13 (cpu_rx) is the last the guest uses of each pool. */
	assert_true(tx.size >= (VBPMP_CPU_RX_CHANNEL + 1) * VBPMP_CHANNEL_STRIDE);
	assert_true(rx.size >= (VBPMP_CPU_RX_CHANNEL + 1) * VBPMP_CHANNEL_STRIDE);
	guest.tx = through_s2(tx.base, tx.size);
	guest.rx = through_s2(rx.base, rx.size);
	assert_int_equal(s2_map.va, vb->sram_ipa);
	guest_boot(&guest);
	assert_true(ivc_established(&bpmp_model.ivc));
}

/* The request for @id of @kind: clock enable, reset deassert, power domain on. */
static void request(enum kind kind, u32 id)
{
	bpmp_model.seen_count = 0;
	if (kind == CLOCKS)
		guest_send(&guest, 0, MRQ_CLK, CMD_CLK_ENABLE << 24 | id, 0, 0);
	else if (kind == RESETS)
		guest_send(&guest, 0, MRQ_RESET, CMD_RESET_DEASSERT, id, 0);
	else
		guest_send(&guest, 0, MRQ_PG, CMD_PG_SET_STATE, id, PG_STATE_ON);
}

static void reaches_bpmp(enum kind kind, u32 id)
{
	request(kind, id);
	if (bpmp_model.seen_count != 1)
		fail_msg("%s %u did not reach the BPMP", kind_name[kind], id);
	if (kind == CLOCKS) {
		assert_int_equal(bpmp_model_seen_mrq(0), MRQ_CLK);
		assert_int_equal(bpmp_model_seen_word(0, 0), CMD_CLK_ENABLE << 24 | id);
	} else {
		assert_int_equal(bpmp_model_seen_mrq(0), kind == RESETS ? MRQ_RESET : MRQ_PG);
		assert_int_equal(bpmp_model_seen_word(0, 1), id);
	}
	hyp_takes_bpmp_irq();
	guest_take_irq(&guest);
	assert_int_equal(guest_answer_err(&guest, 0), 0);
}

static void refused(enum kind kind, u32 id)
{
	request(kind, id);
	if (bpmp_model.seen_count)
		fail_msg("%s %u reached the BPMP", kind_name[kind], id);
	guest_take_irq(&guest); /* answered in the trap */
	assert_int_equal(guest_answer_err(&guest, 0), -BPMP_EPERM);
}

static const struct vbpmp_id_list *allowed(const struct vm_config *vm, enum kind kind)
{
	return kind == CLOCKS ? &vm->vbpmp.allow.clocks
	       : kind == RESETS ? &vm->vbpmp.allow.resets : &vm->vbpmp.allow.power_domains;
}

/* The first of @other's IDs of @kind that @vm has not; false when it has them all. */
static bool foreign_id(const struct vm_config *vm, const struct vm_config *other, enum kind kind,
		       u32 *id)
{
	const struct vbpmp_id_list *mine = allowed(vm, kind), *theirs = allowed(other, kind);

	for (u32 i = 0; i < theirs->count; i++) {
		bool has = false;

		for (u32 j = 0; j < mine->count; j++)
			has |= mine->ids[j] == theirs->ids[i];
		if (!has) {
			*id = theirs->ids[i];
			return true;
		}
	}
	return false;
}

static void end_to_end(unsigned int e)
{
	const struct vm_config *vm = examples[e].vm, *other = examples[1 - e].vm;
	static struct id_set named[KINDS], board[KINDS];
	unsigned int foreign = 0;
	s32 err;
	u32 data;

	need_board();
	build_guest_dt(vm);
	create_vm(vm);
	guest_finds_bpmp(vm);
	/* The handshake's first request, as tegra_bpmp_probe's: MRQ_PING. */
	guest_send(&guest, 1, MRQ_PING, 21, 0, 0);
	hyp_takes_bpmp_irq();
	guest_take_irq(&guest);
	assert_true(guest_receive(&guest, 1, &err, &data));
	assert_int_equal(err, 0);
	assert_int_equal(data, 42);

	named_ids(guest_dt, fdt_node_offset_by_compatible(guest_dt, -1, "nvidia,tegra186-bpmp"),
		  named);
	named_ids(plat.fdt, plat.bpmp.node, board);
	for (enum kind k = 0; k < KINDS; k++) {
		const struct vbpmp_id_list *allow = allowed(vm, k);
		u32 id, unnamed = 1;

		for (unsigned int i = 0; i < named[k].count; i++)
			reaches_bpmp(k, named[k].ids[i]);
		/* ... and the VM may switch no more than its guest DT names. */
		for (u32 i = 0; i < allow->count; i++)
			if (!set_has(&named[k], allow->ids[i]))
				fail_msg("%s: %s %u allowed, but no guest DT node names it", vm->name,
					 kind_name[k], allow->ids[i]);
		while (set_has(&board[k], unnamed))
			unnamed++;
		refused(k, unnamed);
		printf("%s: %u %s IDs named in its guest DT = its allow-list, each reached the BPMP; "
		       "refused: %u (named by no device of the board)", vm->name, named[k].count,
		       kind_name[k], unnamed);
		if (foreign_id(vm, other, k, &id)) {
			refused(k, id);
			foreign++;
			printf(", %u (%s's)", id, other->name);
		}
		printf("\n");
	}
	assert_true(foreign > 0);
	assert_true(named[CLOCKS].count && named[POWER_DOMAINS].count);
}

static void test_usb_eth_vm(void **state)
{
	(void)state;
	end_to_end(0);
}

static void test_gpu_vm(void **state)
{
	(void)state;
	end_to_end(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usb_eth_vm),
		cmocka_unit_test(test_gpu_vm),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
