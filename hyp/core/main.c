/*
 * Boot: the boot CPU arrives here from head.S with the MMU on (boot tables),
 * learns the machine from the DTB, builds the final EL2 tables, the VMs and
 * the GIC, then starts every other CPU and joins them in cpu_main().
 */
#include <arch/sysregs.h>
#include <drivers/bpmp.h>
#include <drivers/gicv3.h>
#include <drivers/psci.h>
#include <libfdt.h>
#include <stdio.h>
#include <tessera/console.h>
#include <tessera/cpu.h>
#include <tessera/efi.h>
#include <tessera/entropy.h>
#include <tessera/iommu.h>
#include <tessera/irq.h>
#include <tessera/mmu.h>
#include <tessera/vm.h>

#define TESSERA_VERSION "0.1"
#define HOST_DTB_MAX SZ_2M

extern char __payload_start[];

struct platform platform;
static u8 host_dtb[HOST_DTB_MAX] __aligned(8);

static void __noreturn halt(void)
{
	for (;;)
		wfe();
}

static int map_devices(const struct platform *plat)
{
	int rc = mmu_map_device(plat->gicd.base, plat->gicd.size);

	for (unsigned int i = 0; i < plat->gicr_count && !rc; i++)
		rc = mmu_map_device(plat->gicr[i].base, plat->gicr[i].size);
	return rc;
}

/* Before the VMs load: each gets its own rng-seed, as a bootloader would give it. */
static void seed_vm_rngs(void)
{
	unsigned int seed = (unsigned int)entropy_seed_from_fdt(host_dtb);

	if (seed >= ENTROPY_MIN_SEED)
		printk("tessera: VM rng-seeds keyed from /chosen rng-seed and kaslr-seed (%u bytes)\n", seed);
	else
		printk("tessera: /chosen has no rng-seed of %u bytes (%u): VMs get none, Linux starts with an empty CRNG\n",
		       ENTROPY_MIN_SEED, seed);
}

void boot_main(u64 dtb) __noreturn;
void boot_main(u64 dtb)
{
	char err[160];
	int boot_cpu, rc;
	const struct efi_ram *efi = efi_boot_ram();

	/* Keep our own copy: VM memory may cover where the loader put the DTB. */
	if (fdt_check_header((const void *)dtb) ||
	    fdt_move((const void *)dtb, host_dtb, sizeof(host_dtb)))
		halt(); /* no DTB, no console to say so on */
	/* Started by UEFI: RAM is what its memory map gave, not the DT's /memory. */
	rc = platform_parse_with_ram(host_dtb, efi ? efi->range : NULL, efi ? efi->count : 0,
				     &platform, err, sizeof(err));

	mmu_init();
	/* The console device's pages (a UART's registers; the TCU's two mailboxes). */
	for (unsigned int i = 0; i < platform.uart.reg_count; i++)
		if (mmu_map_device(platform.uart.regs[i].base, SZ_4K))
			platform.uart.reg_count = 0; /* no console rather than a fault */
	if (!rc && map_devices(&platform)) {
		snprintf(err, sizeof(err), "cannot map the GIC");
		rc = -1;
	}
	mmu_activate();
	console_init(&platform);

	printk("\ntessera: Tessera %s, EL2, DTB at 0x%llx\n", TESSERA_VERSION, (unsigned long long)dtb);
	/* Again here: the firmware console's line may be lost on a board. Shown, not interpreted. */
	if (efi_load_options())
		printk("tessera: EFI load options: \"%s\"\n", efi_load_options());
	if (rc) {
		printk("tessera: cannot run on this machine: %s\n", err);
		halt();
	}
	if (efi) {
		printk("tessera: RAM from the UEFI memory map (%u entries): %u range(s), %u small one(s) left out\n",
		       efi->map_entries, platform.ram_count, efi->dropped);
		for (unsigned int i = 0; i < platform.ram_count; i++)
			printk("tessera:   RAM 0x%llx-0x%llx\n", (unsigned long long)platform.ram[i].base,
			       (unsigned long long)(platform.ram[i].base + platform.ram[i].size - 1));
	}
	boot_cpu = platform_cpu_index(&platform, read_sysreg(mpidr_el1));
	if (boot_cpu < 0) {
		printk("tessera: the boot CPU is not in the device tree's /cpus\n");
		halt();
	}
	printk("tessera: %u CPUs, boot CPU %d; RAM 0x%llx-0x%llx; GICv3 at 0x%llx; image 0x%llx-0x%llx\n",
	       platform.cpu_count, boot_cpu, (unsigned long long)platform.ram[0].base,
	       (unsigned long long)(platform.ram[0].base + platform.ram[0].size - 1),
	       (unsigned long long)platform.gicd.base, (unsigned long long)mmu_image_range().base,
	       (unsigned long long)(mmu_image_range().base + mmu_image_range().size - 1));

	seed_vm_rngs();
	psci_init(&platform);
	gic_init(&platform);
	irq_init(&platform);
	bpmp_init(&platform, platform.cpu_mpidr[boot_cpu]);
	iommu_probe(&platform, platform.cpu_mpidr[boot_cpu]);
	vms_create(&platform, __payload_start);
	console_enable_rx_irq(platform.cpu_mpidr[boot_cpu]);

	/* Secondaries start with the MMU off: what they read first must be in memory. */
	dcache_clean_poc(mmu_image_range().base, mmu_image_range().base + mmu_image_range().size);
	cpus_start_secondaries((unsigned int)boot_cpu);
	cpu_enter((unsigned int)boot_cpu);
}
