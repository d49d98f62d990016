/*
 * VM construction from the configuration. Runs on the boot CPU before any
 * guest starts; vm_load is also a restart's (vm_lifecycle.c).
 */
#include <arch/vcpu.h>
#include <drivers/psci.h>
#include <libfdt.h>
#include <string.h>
#include <tessera/channel.h>
#include <tessera/colour_s2.h>
#include <tessera/console.h>
#include <tessera/cpu.h>
#include <tessera/device.h>
#include <tessera/entropy.h>
#include <tessera/guest_fdt.h>
#include <tessera/guest_mem.h>
#include <tessera/iommu.h>
#include <tessera/manage.h>
#include <tessera/mmu.h>
#include <tessera/vm.h>
#include <virt/vbpmp.h>
#include <virt/vgic.h>
#include <virt/vnet.h>

#include "vm_internal.h"

struct vm vms[CONFIG_MAX_VMS];
unsigned int vm_count;
static struct system_config sysconfig;

/*
 * Guest DTs are built here, then copied into the VM's DTB slot through its
 * stage 2 (a coloured VM's slot is not contiguous in PA). Taken by the boot
 * CPU and by the CPU of a VM that restarts (vm_load).
 */
#define GUEST_FDT_SCRATCH (2 * SZ_64K) /* Orin guest DTs with devices: tens of KiB */
static u8 fdt_scratch[GUEST_FDT_SCRATCH] __attribute__((aligned(8)));
static struct spinlock fdt_scratch_lock;

/*
 * Writes @len bytes of @src (zeros when NULL) at IPA @ipa of @vm, through its
 * stage-2 tables, the one way Tessera writes a VM's RAM: its PA is EL2-mapped
 * (VA == PA: the VM's memory, or the colouring memory). Cleaned to PoC for a
 * guest with its MMU off. -1 when part of it is not the VM's.
 */
static int vm_ram_write(const struct vm *vm, u64 ipa, const void *src, u64 len)
{
	const struct guest_mem ram = { .s2 = &vm->s2 };

	while (len) {
		u64 pa, chunk;

		if (!guest_mem_translate(&ram, ipa, len, &pa, &chunk))
			return -1;
		if (src) {
			memcpy((void *)pa, src, chunk);
			src = (const u8 *)src + chunk;
		} else {
			memset((void *)pa, 0, chunk);
		}
		dcache_clean_poc(pa, pa + chunk);
		ipa += chunk;
		len -= chunk;
	}
	return 0;
}

static void config_report(void *ctx, const char *node, const char *msg)
{
	(void)ctx;
	printk("tessera: config: %s: %s\n", node, msg);
}

/* Cleaned to PoC for a guest with its MMU off. */
int vm_load(struct vm *vm)
{
	const struct vm_config *cfg = vm->cfg;
	u64 base = cfg->memory.base, end = base + cfg->memory.size;
	struct guest_fdt_channel channels[GUEST_FDT_MAX_CHANNELS];
	struct guest_fdt_virtio virtio[GUEST_FDT_MAX_VIRTIO];
	u8 rng_seed[ENTROPY_GUEST_SEED];
	bool seeded = entropy_draw(rng_seed, sizeof(rng_seed));
	struct guest_fdt_params params = {
		.vm_name = vm->name,
		.memory = cfg->memory,
		.vcpu_count = vm->vcpu_count,
		.vuart_base = cfg->vuart_base,
		.vuart_intid = VPL011_INTID,
		.bootargs = cfg->bootargs,
		.gicd_base = vm->vgic.gicd_base,
		.gicr_base = vm->vgic.gicr_base,
		.initrd = { cfg->initrd_load, cfg->initrd_size },
		.restart_count = vm->restart_count,
		.manage_page = cfg->manager_page,
		.rng_seed = seeded ? rng_seed : NULL,
		.rng_seed_size = sizeof(rng_seed),
		.channels = channels,
		.channel_count = channels_of_vm(&sysconfig, vm, channels, ARRAY_SIZE(channels)),
		.virtio = virtio,
		.virtio_count = vnets_of_vm(vm, virtio, ARRAY_SIZE(virtio)),
		.platform = &platform,
		.devices = cfg->devices,
		.device_count = cfg->device_count,
		.vbpmp = &cfg->vbpmp,
		.watchdog = &cfg->watchdog,
	};
	int rc;

	rc = vm_ram_write(vm, base, NULL, cfg->memory.size) ||
	     vm_ram_write(vm, cfg->image_load, cfg->image, cfg->image_size) ||
	     (cfg->initrd_size && vm_ram_write(vm, cfg->initrd_load, cfg->initrd, cfg->initrd_size));
	vm->entry = cfg->image_load;
	vm->dtb = end - GUEST_DTB_SLOT;
	spin_lock(&fdt_scratch_lock);
	if (!rc)
		rc = guest_fdt_build(fdt_scratch, sizeof(fdt_scratch), &params);
	if (!rc)
		rc = vm_ram_write(vm, vm->dtb, fdt_scratch, fdt_totalsize(fdt_scratch));
	spin_unlock(&fdt_scratch_lock);
	memset(rng_seed, 0, sizeof(rng_seed));
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb(ish);
	return rc;
}

bool vm_add_emul(struct vm *vm, const char *name, u64 base, u64 size, void *dev,
		 enum mmio_result (*access)(void *dev, struct mmio_access *acc))
{
	if (vm->emul_count == VM_MAX_EMUL)
		return false;
	/* vm_find_emul would take whichever came first; the config checker refuses overlaps. */
	for (unsigned int i = 0; i < vm->emul_count; i++) {
		if (ranges_overlap(base, size, vm->emul[i].base, vm->emul[i].size)) {
			printk("tessera: VM %s: emulated %s at 0x%llx overlaps its %s\n", vm->name,
			       name, (unsigned long long)base, vm->emul[i].name);
			return false;
		}
	}
	vm->emul[vm->emul_count++] = (struct emul_device){
		.name = name, .base = base, .size = size, .dev = dev, .access = access,
	};
	return true;
}

/* The highest SPI the VM's devices and virtual BPMP bring (its distributor must cover it), or 0. */
static u32 highest_device_spi(const struct vm_config *cfg)
{
	u32 max = cfg->vbpmp.present ? cfg->vbpmp.intid : 0;

	for (unsigned int d = 0; d < cfg->device_count; d++)
		for (unsigned int i = 0; i < cfg->devices[d].hw.irq_count; i++)
			if (cfg->devices[d].hw.intid[i] > max)
				max = cfg->devices[d].hw.intid[i];
	return max;
}

static int map_ram_dma(void *vm, u64 ipa, u64 pa, u64 size)
{
	return iommu_vm_map(vm, ipa, pa, size, PT_R | PT_W);
}

/* The colouring memory is mapped at EL2 once, for every coloured VM (vm_ram_write). */
static bool colouring_mapped;

/*
 * A coloured VM's RAM: 4 KiB pages of its colours (tessera/colour.h), then
 * the tables walked back against its colours; it does not start otherwise.
 */
static const char *vm_map_coloured_ram(struct vm *vm, const struct vm_config *cfg)
{
	struct colour_layout l = colour_layout_of(&sysconfig.colouring, cfg);
	const struct mem_range *mem = &cfg->memory;
	char err[160], list[96];
	u64 pages;

	if (!colouring_mapped)
		return "the cache-coloring memory cannot be mapped at EL2";
	/*
	 * Its DMA view only when it has devices (the checker let only devices
	 * behind an IOMMU in): 4 KiB leaves would fill the IOMMU's mirror pool.
	 */
	if (pt_init(&vm->s2, PT_STAGE2, &colour_pt_pool) ||
	    colour_s2_map(&vm->s2, &l, mem->base, mem->size,
			  cfg->device_count ? map_ram_dma : NULL, vm))
		return "no table memory left for its coloured stage-2 tables or its DMA view";
	pages = colour_s2_verify(&vm->s2, &l, mem->base, mem->size, err, sizeof(err));
	if (!pages) {
		printk("tessera: VM %s: coloured memory check failed: %s\n", vm->name, err);
		return "its stage-2 tables do not keep it to its colours";
	}
	colour_format(cfg->colours, list, sizeof(list));
	printk("tessera: VM %s: %llu pages coloured %s of %u, verified\n", vm->name,
	       (unsigned long long)pages, list, l.colours);
	return NULL;
}

static const char *vm_map_ram(struct vm *vm, const struct vm_config *cfg)
{
	const struct mem_range *mem = &cfg->memory;

	if (cfg->coloured)
		return vm_map_coloured_ram(vm, cfg);
	if (pt_init(&vm->s2, PT_STAGE2, &pt_pool_boot) ||
	    pt_map(&vm->s2, mem->base, mem->base, mem->size, PT_R | PT_W | PT_X))
		return "no table memory left for its stage-2 tables";
	if (mmu_map_ram(mem->base, mem->size))
		return "its memory cannot be mapped at EL2";
	if (iommu_vm_map(vm, mem->base, mem->base, mem->size, PT_R | PT_W))
		return "no table memory left for its DMA view";
	return NULL;
}

static const char *vm_build(struct vm *vm, const struct vm_config *cfg, unsigned int vmid)
{
	const struct mem_range *mem = &cfg->memory;
	struct mem_range gicd, gicr;
	bool emul_ok = true;
	const char *why;

	vm->cfg = cfg;
	vm->vmid = vmid;
	why = vm_map_ram(vm, cfg);
	if (why)
		return why;
	vm->vttbr = pt_root_pa(&vm->s2) | (u64)vmid << VTTBR_VMID_SHIFT;

	config_vgic_place(&platform, cfg->cpu_count, &gicd, &gicr);
	if (ranges_overlap(gicd.base, gicd.size, mem->base, mem->size) ||
	    ranges_overlap(gicr.base, gicr.size, mem->base, mem->size))
		return "its memory covers the GIC's addresses, where it sees its virtual GIC";

	vm->vcpu_count = cfg->cpu_count;
	for (unsigned int i = 0; i < cfg->cpu_count; i++) {
		struct vcpu *vcpu = &vm->vcpus[i];

		*vcpu = (struct vcpu){ .vm = vm, .index = i, .pcpu = cfg->cpus[i],
				       .regs = &cpus[cfg->cpus[i]].guest };
		cpus[cfg->cpus[i]].vcpu = vcpu;
	}
	/* Looked up in this order (vm_find_emul): the most used first. */
	emul_ok &= vm_add_emul(vm, "vgicd", gicd.base, gicd.size, vm, vgicd_access);
	emul_ok &= vm_add_emul(vm, "vpl011", cfg->vuart_base, VPL011_SIZE, &vm->vuart, vpl011_access);
	for (unsigned int i = 0; i < cfg->cpu_count; i++)
		emul_ok &= vm_add_emul(vm, "vgicr", gicr.base + i * VGIC_GICR_FRAME_SIZE,
				       VGIC_GICR_FRAME_SIZE, &vm->vcpus[i], vgicr_access);
	if (cfg->watchdog.present) {
		vwdt_init(&vm->wdt, vm, cfg->watchdog.intid);
		emul_ok &= vm_add_emul(vm, "vwdt-refresh", cfg->watchdog.refresh, VWDT_FRAME_SIZE,
				       &vm->wdt, vwdt_refresh_access);
		emul_ok &= vm_add_emul(vm, "vwdt-control", cfg->watchdog.control, VWDT_FRAME_SIZE,
				       &vm->wdt, vwdt_control_access);
	}
	emul_ok &= manage_page_create(vm);
	if (!emul_ok)
		return "its emulated devices cannot all be placed (see above)";
	vm->vgic.gicd_base = gicd.base;
	vm->vgic.gicr_base = gicr.base;
	vm->vgic.nr_irqs = vgic_nr_irqs(highest_device_spi(cfg));
	if (cfg->vbpmp.present && !vbpmp_vm_create(vm))
		return "its virtual BPMP cannot be placed";
	return devices_create(vm);
}

/* @vm is not started: nothing of it runs, its devices' DMA stays blocked. */
static void vm_refuse(struct vm *vm, const char *why)
{
	vm->cfg = NULL;
	iommu_vm_stop(vm); /* whatever streams it was given stay blocked */
	printk("tessera: VM %s refused: %s\n", vm->name, why);
}

void vms_create(const struct platform *plat, const void *config_blob)
{
	struct config_reporter rep = { config_report, NULL, 0 };
	struct mem_range hyp = mmu_image_range();
	struct vm *input = NULL;

	if (config_parse(config_blob, &sysconfig, &rep) < 0)
		return;
	config_validate(&sysconfig, plat, &hyp, &rep);
	vm_count = sysconfig.vm_count;
	if (sysconfig.colouring.valid)
		colouring_mapped = !mmu_map_ram(sysconfig.colouring.memory.base,
						sysconfig.colouring.memory.size);

	for (unsigned int i = 0; i < vm_count; i++) {
		const struct vm_config *cfg = &sysconfig.vms[i];
		struct vm *vm = &vms[i];
		const char *why = "bad configuration (see above)";

		vm->name = cfg->name;
		if (cfg->valid)
			why = vm_build(vm, cfg, i + 1);
		if (why)
			vm_refuse(vm, why);
	}
	/* Channels and networks once all their VMs are known, guest DTs once they are. */
	channels_create(&sysconfig);
	vnets_create(&sysconfig);
	for (unsigned int i = 0; i < vm_count; i++) {
		const struct vm_config *cfg = &sysconfig.vms[i];
		struct vm *vm = &vms[i];

		if (!vm->cfg)
			continue;
		if (vm_load(vm)) {
			vm_refuse(vm, "its device tree does not fit");
			continue;
		}
		vm_power_on_reset(vm);
		vm->state = VM_RUNNING;
		vm->stats.started_at = read_sysreg(cntpct_el0);
		vms_running++;
		if (!input || cfg->console_input)
			input = cfg->console_input || !input ? vm : input;
		printk("tessera: VM %s: %u vCPU(s) on CPU", vm->name, vm->vcpu_count);
		for (unsigned int c = 0; c < vm->vcpu_count; c++)
			printk(" %u", cfg->cpus[c]);
		printk(", memory 0x%llx-0x%llx, console at 0x%llx\n", (unsigned long long)cfg->memory.base,
		       (unsigned long long)(cfg->memory.base + cfg->memory.size - 1),
		       (unsigned long long)cfg->vuart_base);
	}
	console_set_input(input);
	if (input)
		printk("tessera: console input goes to VM %s (Ctrl-T n: next VM, Ctrl-T h: keys and VMs, Ctrl-T q: quit)\n",
		       input->name);
	if (!vms_running) {
		printk("tessera: no VM to run; powering off\n");
		console_flush();
		psci_system_off();
	}
}

const struct emul_device *vm_find_emul(const struct vm *vm, u64 ipa)
{
	for (const struct emul_device *dev = vm->emul; dev < vm->emul + vm->emul_count; dev++)
		if (ipa - dev->base < dev->size)
			return dev;
	return NULL;
}
