/*
 * The guest's device tree (Devicetree Specification v0.4; Linux bindings
 * arm/cpus, arm/psci, interrupt-controller/arm,gic-v3, timer/arm,arch_timer,
 * serial/pl011): what KVM and this VMM give the guest, nothing else.
 */
#include <stdio.h>

#include <libfdt.h>

#include "vmm.h"

#define PHANDLE_GIC 1
#define PHANDLE_CLK 2
#define GIC_PPI 1
#define GIC_SPI 0
#define IRQ_LEVEL_HIGH 4

/* Arch timer PPIs (Arm BSA, and QEMU virt's): secure and non-secure EL1 physical,
 * virtual, EL2 physical. */
static const uint32_t timer_ppis[4] = { 13, 14, 11, 10 };

static int fdt_u64_pair(void *fdt, const char *name, uint64_t a, uint64_t b)
{
	fdt64_t v[2] = { cpu_to_fdt64(a), cpu_to_fdt64(b) };

	return fdt_property(fdt, name, v, sizeof(v));
}

static int fdt_irq(void *fdt, const char *name, const uint32_t *cells, int n)
{
	fdt32_t v[12];

	for (int i = 0; i < n && i < 12; i++)
		v[i] = cpu_to_fdt32(cells[i]);
	return fdt_property(fdt, name, v, (int)(n * sizeof(fdt32_t)));
}

#define CHECK(call)                                                        \
	do {                                                               \
		int err_ = (call);                                         \
		if (err_ < 0)                                              \
			die("device tree: %s: %s", #call, fdt_strerror(err_)); \
	} while (0)

size_t build_guest_fdt(const struct vm *vm, void *fdt, size_t size, const char *bootargs,
		       uint64_t initrd_start, uint64_t initrd_end)
{
	char name[64];
	uint32_t timer_irqs[12];

	CHECK(fdt_create(fdt, (int)size));
	CHECK(fdt_finish_reservemap(fdt));
	CHECK(fdt_begin_node(fdt, ""));
	CHECK(fdt_property_string(fdt, "compatible", "linux,dummy-virt"));
	CHECK(fdt_property_u32(fdt, "#address-cells", 2));
	CHECK(fdt_property_u32(fdt, "#size-cells", 2));
	CHECK(fdt_property_u32(fdt, "interrupt-parent", PHANDLE_GIC));

	CHECK(fdt_begin_node(fdt, "chosen"));
	CHECK(fdt_property_string(fdt, "bootargs", bootargs));
	CHECK(fdt_property_string(fdt, "stdout-path", "/pl011@9000000"));
	if (initrd_end > initrd_start) {
		CHECK(fdt_property_u64(fdt, "linux,initrd-start", initrd_start));
		CHECK(fdt_property_u64(fdt, "linux,initrd-end", initrd_end));
	}
	CHECK(fdt_end_node(fdt));

	snprintf(name, sizeof(name), "memory@%llx", GUEST_RAM_BASE);
	CHECK(fdt_begin_node(fdt, name));
	CHECK(fdt_property_string(fdt, "device_type", "memory"));
	CHECK(fdt_u64_pair(fdt, "reg", GUEST_RAM_BASE, vm->ram_size));
	CHECK(fdt_end_node(fdt));

	/* MPIDR_EL1 of vCPU i is Aff0 = i (KVM's reset value for up to 16 vCPUs). */
	CHECK(fdt_begin_node(fdt, "cpus"));
	CHECK(fdt_property_u32(fdt, "#address-cells", 1));
	CHECK(fdt_property_u32(fdt, "#size-cells", 0));
	for (int i = 0; i < vm->ncpus; i++) {
		snprintf(name, sizeof(name), "cpu@%d", i);
		CHECK(fdt_begin_node(fdt, name));
		CHECK(fdt_property_string(fdt, "device_type", "cpu"));
		CHECK(fdt_property_string(fdt, "compatible", "arm,armv8"));
		CHECK(fdt_property_u32(fdt, "reg", (uint32_t)i));
		CHECK(fdt_property_string(fdt, "enable-method", "psci"));
		CHECK(fdt_end_node(fdt));
	}
	CHECK(fdt_end_node(fdt));

	/* KVM_ARM_VCPU_PSCI_0_2: PSCI 0.2 or later by HVC, answered by KVM itself. */
	CHECK(fdt_begin_node(fdt, "psci"));
	CHECK(fdt_property(fdt, "compatible", "arm,psci-0.2\0arm,psci", 22));
	CHECK(fdt_property_string(fdt, "method", "hvc"));
	CHECK(fdt_end_node(fdt));

	snprintf(name, sizeof(name), "intc@%llx", GUEST_GICD_BASE);
	CHECK(fdt_begin_node(fdt, name));
	CHECK(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
	CHECK(fdt_property_u32(fdt, "#interrupt-cells", 3));
	CHECK(fdt_property(fdt, "interrupt-controller", NULL, 0));
	CHECK(fdt_property_u32(fdt, "#redistributor-regions", 1));
	{
		fdt64_t reg[4] = {
			cpu_to_fdt64(GUEST_GICD_BASE),
			cpu_to_fdt64(GUEST_GICD_SIZE),
			cpu_to_fdt64(GUEST_GICR_BASE),
			cpu_to_fdt64(GUEST_GICR_SIZE_PER_CPU * (uint64_t)vm->ncpus),
		};
		CHECK(fdt_property(fdt, "reg", reg, sizeof(reg)));
	}
	CHECK(fdt_property_u32(fdt, "phandle", PHANDLE_GIC));
	CHECK(fdt_end_node(fdt));

	for (int i = 0; i < 4; i++) {
		timer_irqs[3 * i] = GIC_PPI;
		timer_irqs[3 * i + 1] = timer_ppis[i];
		timer_irqs[3 * i + 2] = IRQ_LEVEL_HIGH;
	}
	CHECK(fdt_begin_node(fdt, "timer"));
	CHECK(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
	CHECK(fdt_irq(fdt, "interrupts", timer_irqs, 12));
	CHECK(fdt_property(fdt, "always-on", NULL, 0));
	CHECK(fdt_end_node(fdt));

	if (vm->pmu) {
		const uint32_t pmu_irq[3] = { GIC_PPI, GUEST_PMU_PPI, IRQ_LEVEL_HIGH };

		CHECK(fdt_begin_node(fdt, "pmu"));
		CHECK(fdt_property_string(fdt, "compatible", "arm,armv8-pmuv3"));
		CHECK(fdt_irq(fdt, "interrupts", pmu_irq, 3));
		CHECK(fdt_end_node(fdt));
	}

	CHECK(fdt_begin_node(fdt, "apb-pclk"));
	CHECK(fdt_property_string(fdt, "compatible", "fixed-clock"));
	CHECK(fdt_property_u32(fdt, "#clock-cells", 0));
	CHECK(fdt_property_u32(fdt, "clock-frequency", 24000000));
	CHECK(fdt_property_string(fdt, "clock-output-names", "clk24mhz"));
	CHECK(fdt_property_u32(fdt, "phandle", PHANDLE_CLK));
	CHECK(fdt_end_node(fdt));

	snprintf(name, sizeof(name), "pl011@%llx", GUEST_UART_BASE);
	CHECK(fdt_begin_node(fdt, name));
	CHECK(fdt_property(fdt, "compatible", "arm,pl011\0arm,primecell", 24));
	CHECK(fdt_u64_pair(fdt, "reg", GUEST_UART_BASE, GUEST_UART_SIZE));
	{
		const uint32_t uart_irq[3] = { GIC_SPI, GUEST_UART_SPI, IRQ_LEVEL_HIGH };
		const uint32_t clocks[2] = { PHANDLE_CLK, PHANDLE_CLK };

		CHECK(fdt_irq(fdt, "interrupts", uart_irq, 3));
		CHECK(fdt_irq(fdt, "clocks", clocks, 2));
	}
	CHECK(fdt_property(fdt, "clock-names", "uartclk\0apb_pclk", 17));
	CHECK(fdt_end_node(fdt));

	CHECK(fdt_end_node(fdt));
	CHECK(fdt_finish(fdt));
	return fdt_totalsize(fdt);
}
