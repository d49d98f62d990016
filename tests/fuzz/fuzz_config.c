/*
 * The config checker (hyp/core/config*.c, what tools/tessera-config check and
 * the hypervisor at boot run) on a fuzzed config DTB against the qemu-virt
 * platform DTB (TESSERA_PLATFORM_DTB, as the unit tests get it), then each VM
 * it accepts built into its guest DT (hyp/core/guest_fdt*.c) as vm_load()
 * does.
 *
 * Checked: no sanitizer report on any blob; every problem is reported with a
 * node and a message; a VM the checker accepts can be built: its memory is
 * RAM, clear of Tessera and of every other accepted VM; its CPUs exist and
 * are its own; its image, initrd and DTB slot lie in its memory; the windows
 * it sees emulated (vGIC, vUART, channel doorbells and ECAMs, network
 * devices) and its
 * passed-through device regions overlap neither each other nor its RAM; its
 * guest DT fits its slot, is well formed (fdt_check_full) and nothing is
 * written past it.
 */
#include "fuzz.h"

#include <libfdt.h>
#include <tessera/colour.h>
#include <tessera/config.h>
#include <tessera/guest_fdt.h>
#include <tessera/platform.h>

#include <tessera/compiler.h> /* virt/vpl011.h uses READ_ONCE without it */
#include <virt/vgic.h>
#include <virt/vpl011.h>

/* Where QEMU loads Tessera on this platform (platform.mk HYP_LOAD_ADDR) and a generous size. */
static const struct mem_range hyp = { 0x40200000, 4 * SZ_1M };
static struct platform plat;
static void *platform_blob;
static struct system_config cfg;
static unsigned char dtb[GUEST_DTB_SLOT + 64];

static void reported(void *ctx, const char *node, const char *msg)
{
	(void)ctx;
	FUZZ_CHECK(node && node[0] && msg && msg[0]);
	FUZZ_CHECK(strlen(node) < 4096 && strlen(msg) < 4096);
}

static bool overlap(u64 a, u64 asize, u64 b, u64 bsize)
{
	return asize && bsize && a < b + bsize && b < a + asize;
}

static bool inside(u64 a, u64 asize, const struct mem_range *r)
{
	return a >= r->base && asize <= r->size && a - r->base <= r->size - asize;
}

struct window {
	const char *what;
	u64 base, size;
};

/* What accepted VM @v sees besides its RAM, as vm_build and the channel and device code map it. */
static unsigned int windows_of(unsigned int v, struct window *w, unsigned int max)
{
	const struct vm_config *vm = &cfg.vms[v];
	unsigned int n = 0;

	w[n++] = (struct window){ "vgicd", plat.gicd.base, VGIC_GICD_SIZE };
	w[n++] = (struct window){ "vgicr", plat.gicr[0].base, VGIC_GICR_FRAME_SIZE * vm->cpu_count };
	w[n++] = (struct window){ "vuart", vm->vuart_base, VPL011_SIZE };
	for (unsigned int c = 0; c < cfg.channel_count; c++)
		for (unsigned int e = 0; e < 2 && cfg.channels[c].valid; e++) {
			const struct channel_end_config *end = &cfg.channels[c].end[e];

			if (end->vm != v || n + 2 > max)
				continue;
			w[n++] = (struct window){ "channel memory", end->map, cfg.channels[c].memory.size };
			w[n++] = end->pci ? (struct window){ "channel ECAM", end->pci_ecam, CONFIG_PCI_ECAM_SIZE }
					  : (struct window){ "channel doorbell", end->doorbell, SZ_4K };
		}
	for (unsigned int i = 0; i < cfg.network_count; i++)
		for (unsigned int m = 0; m < cfg.networks[i].member_count && cfg.networks[i].valid; m++)
			if (cfg.networks[i].member[m].vm == v && n < max)
				w[n++] = (struct window){ "network device", cfg.networks[i].member[m].base,
							  CONFIG_VIRTIO_MMIO_SIZE };
	for (unsigned int d = 0; d < vm->device_count; d++)
		for (unsigned int r = 0; r < vm->devices[d].hw.region_count && n < max; r++)
			w[n++] = (struct window){ "device region", vm->devices[d].hw.region[r].ipa,
						  vm->devices[d].hw.region[r].size };
	return n;
}

static void check_vm(unsigned int v)
{
	const struct vm_config *vm = &cfg.vms[v];
	struct window w[3 + 2 * 2 * CONFIG_MAX_CHANNELS + CONFIG_MAX_NETWORKS +
			CONFIG_MAX_DEVICES * PLATFORM_DEVICE_MAX_REGIONS];
	unsigned int n = windows_of(v, w, ARRAY_SIZE(w));

	FUZZ_CHECK(vm->cpu_count >= 1 && vm->cpu_count <= plat.cpu_count);
	for (unsigned int i = 0; i < vm->cpu_count; i++) {
		FUZZ_CHECK(vm->cpus[i] < plat.cpu_count);
		for (unsigned int j = 0; j < i; j++)
			FUZZ_CHECK(vm->cpus[i] != vm->cpus[j]);
	}
	FUZZ_CHECK(vm->memory.size > GUEST_DTB_SLOT);
	if (vm->coloured) {
		/* Its memory is IPAs; its pages: rows of the colouring memory (tessera/colour.h). */
		const struct colouring_config *col = &cfg.colouring;
		u64 row = col->colours * COLOUR_PAGE;

		FUZZ_CHECK(col->valid && vm->colours && !(vm->colours & col->hyp_colours));
		FUZZ_CHECK(vm->colours >> col->colours == 0);
		FUZZ_CHECK(platform_range_in_ram(&plat, col->memory.base, col->memory.size));
		FUZZ_CHECK(!overlap(col->memory.base, col->memory.size, hyp.base, hyp.size));
		FUZZ_CHECK((vm->colour_row + colour_rows_needed(vm->memory.size, vm->colours)) * row <=
			   col->memory.size);
	} else {
		FUZZ_CHECK(platform_range_in_ram(&plat, vm->memory.base, vm->memory.size));
		FUZZ_CHECK(!overlap(vm->memory.base, vm->memory.size, hyp.base, hyp.size));
		FUZZ_CHECK(!cfg.colouring.valid || !overlap(vm->memory.base, vm->memory.size,
							    cfg.colouring.memory.base,
							    cfg.colouring.memory.size));
	}
	FUZZ_CHECK(inside(vm->image_load, vm->image_span, &vm->memory));
	FUZZ_CHECK(vm->image_size <= vm->image_span);
	FUZZ_CHECK(!overlap(vm->image_load, vm->image_span,
			    vm->memory.base + vm->memory.size - GUEST_DTB_SLOT, GUEST_DTB_SLOT));
	if (vm->initrd_size) {
		FUZZ_CHECK(inside(vm->initrd_load, vm->initrd_size, &vm->memory));
		FUZZ_CHECK(!overlap(vm->initrd_load, vm->initrd_size, vm->image_load, vm->image_span));
	}
	for (unsigned int u = 0; u < v; u++) {
		const struct vm_config *o = &cfg.vms[u];

		if (!o->valid)
			continue;
		if (vm->coloured && o->coloured && (vm->colours & o->colours))
			FUZZ_CHECK(vm->colour_row >= o->colour_row +
						     colour_rows_needed(o->memory.size, o->colours));
		if (!vm->coloured && !o->coloured)
			FUZZ_CHECK(!overlap(vm->memory.base, vm->memory.size, o->memory.base,
					    o->memory.size));
		for (unsigned int i = 0; i < vm->cpu_count; i++)
			for (unsigned int j = 0; j < o->cpu_count; j++)
				FUZZ_CHECK(vm->cpus[i] != o->cpus[j]);
	}
	for (unsigned int i = 0; i < n; i++) {
		if (overlap(w[i].base, w[i].size, vm->memory.base, vm->memory.size)) {
			fprintf(stderr, "invariant broken: VM %s: its %s 0x%llx+0x%llx overlaps its RAM\n", vm->name,
				w[i].what, (unsigned long long)w[i].base, (unsigned long long)w[i].size);
			abort();
		}
		for (unsigned int j = 0; j < i; j++)
			if (overlap(w[i].base, w[i].size, w[j].base, w[j].size)) {
				fprintf(stderr, "invariant broken: VM %s: its %s 0x%llx+0x%llx overlaps its %s 0x%llx+0x%llx\n",
					vm->name, w[i].what, (unsigned long long)w[i].base,
					(unsigned long long)w[i].size, w[j].what,
					(unsigned long long)w[j].base, (unsigned long long)w[j].size);
				abort();
			}
	}
}

/* The VM's channel ends as the guest sees them: hyp/core/channel.c channels_of_vm(). */
static unsigned int channels_of(unsigned int v, struct guest_fdt_channel *out)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < cfg.channel_count; i++) {
		const struct channel_config *c = &cfg.channels[i];

		for (unsigned int e = 0; e < 2 && c->valid && n < GUEST_FDT_MAX_CHANNELS; e++)
			if (c->end[e].vm == v)
				out[n++] = (struct guest_fdt_channel){
					.name = c->name, .peer = cfg.vms[c->end[1 - e].vm].name,
					.map = c->end[e].map, .size = c->memory.size,
					.doorbell = c->end[e].doorbell, .pci = c->end[e].pci,
					.pci_ecam = c->end[e].pci_ecam, .intid = c->end[e].intid,
					.read_only = c->end[e].read_only,
				};
	}
	return n;
}

/* The VM's network devices as the guest sees them: hyp/virt/vnet.c vnets_of_vm(). */
static unsigned int virtio_of(unsigned int v, struct guest_fdt_virtio *out)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < cfg.network_count; i++)
		for (unsigned int m = 0; m < cfg.networks[i].member_count && cfg.networks[i].valid; m++)
			if (cfg.networks[i].member[m].vm == v && n < GUEST_FDT_MAX_VIRTIO)
				out[n++] = (struct guest_fdt_virtio){ cfg.networks[i].member[m].base,
								      cfg.networks[i].member[m].intid };
	return n;
}

/* vm_load(): the VM's DT in the last GUEST_DTB_SLOT of its memory. */
static void build_dt(unsigned int v)
{
	const struct vm_config *vm = &cfg.vms[v];
	struct guest_fdt_channel channels[GUEST_FDT_MAX_CHANNELS];
	struct guest_fdt_virtio virtio[GUEST_FDT_MAX_VIRTIO];
	struct guest_fdt_params p = {
		.vm_name = vm->name,
		.memory = vm->memory,
		.vcpu_count = vm->cpu_count,
		.vuart_base = vm->vuart_base,
		.vuart_intid = VPL011_INTID,
		.bootargs = vm->bootargs,
		.gicd_base = plat.gicd.base,
		.gicr_base = plat.gicr[0].base,
		.initrd = { vm->initrd_load, vm->initrd_size },
		.restart_count = 3,
		.channels = channels,
		.channel_count = channels_of(v, channels),
		.virtio = virtio,
		.virtio_count = virtio_of(v, virtio),
		.platform = &plat,
		.devices = vm->devices,
		.device_count = vm->device_count,
	};
	int rc;

	memset(dtb + GUEST_DTB_SLOT, 0xa5, sizeof(dtb) - GUEST_DTB_SLOT);
	rc = guest_fdt_build(dtb, GUEST_DTB_SLOT, &p);
	if (rc) {
		fprintf(stderr, "invariant broken: VM %s passed the checker; its guest DT does not build: %s\n",
			vm->name, fdt_strerror(rc));
		abort();
	}
	for (size_t i = GUEST_DTB_SLOT; i < sizeof(dtb); i++)
		FUZZ_CHECK(dtb[i] == 0xa5);
	FUZZ_CHECK(fdt_check_full(dtb, GUEST_DTB_SLOT) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_reporter rep = { reported, NULL, 0 };
	void *blob;

	/* tools/tessera-config's dtb_fits(): libfdt trusts the header's totalsize. */
	if (size < sizeof(struct fdt_header) || fdt_check_header(data) || fdt_totalsize(data) > size)
		return 0;
	blob = malloc(size); /* the exact bytes: ASan sees a read past them */
	memcpy(blob, data, size);
	memset(&cfg, 0, sizeof(cfg));
	if (config_parse(blob, &cfg, &rep) >= 0) {
		config_validate(&cfg, &plat, &hyp, &rep);
		for (unsigned int v = 0; v < cfg.vm_count; v++)
			if (cfg.vms[v].valid) {
				check_vm(v);
				build_dt(v);
			}
	}
	free(blob);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = getenv("TESSERA_PLATFORM_DTB");
	char err[256];
	FILE *f;
	long len;

	(void)argc;
	(void)argv;
	fuzz_init(NULL);
	if (!path || !(f = fopen(path, "rb"))) {
		fprintf(stderr, "fuzz_config: set TESSERA_PLATFORM_DTB to the platform DTB (make fuzz does)\n");
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	platform_blob = malloc((size_t)len);
	if (fread(platform_blob, 1, (size_t)len, f) != (size_t)len ||
	    platform_parse(platform_blob, &plat, err, sizeof(err))) {
		fprintf(stderr, "fuzz_config: %s: not a platform DTB\n", path);
		exit(2);
	}
	fclose(f);
	return 0;
}
