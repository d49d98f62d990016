/*
 * A VM's device tree (guest_fdt.h), written front to back with libfdt's
 * sequential-write API into a caller's buffer. Bindings followed: DTSpec v0.4
 * (root, /chosen, /memory, /cpus), and the Linux bindings arm/cpus.yaml,
 * arm/psci.yaml, the vUART's (virt/vpl011_dt.h) and clock/fixed-clock.yaml.
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <tessera/guest_fdt.h>
#include <tessera/vm.h>
#include <virt/vpl011_dt.h>
#include <virt/vwdt.h>

#include "guest_fdt_internal.h"

#define GUEST_FDT_MODEL_PREFIX "Tessera VM "
#define GUEST_FDT_MAX_VCPUS 256 /* reg = Aff0, one byte (DDI 0487 J.a D19.2.104 MPIDR_EL1) */

/* A string-list property ("a\0b\0"): @list is given with its final NUL counted. */
#define property_strlist(fdt, name, list) fdt_property(fdt, name, list, sizeof(list))

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* A reg of one (address, size) pair in the root's two-cell format. */
_Static_assert(GUEST_FDT_ADDR_CELLS == 2 && GUEST_FDT_SIZE_CELLS == 2,
	       "property_reg() writes each value as one 64-bit (two-cell) number");
static int property_reg(void *fdt, u64 base, u64 size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	return fdt_property(fdt, "reg", reg, sizeof(reg));
}

int begin_node_at(void *fdt, const char *name, u64 unit)
{
	char node[NODE_NAME_MAX];

	snprintf(node, sizeof(node), "%s@%llx", name, (unsigned long long)unit);
	return fdt_begin_node(fdt, node);
}

/* model = "Tessera VM <name>", built in place: no length limit on the name. */
static int property_model(void *fdt, const char *vm_name)
{
	size_t plen = strlen(GUEST_FDT_MODEL_PREFIX), nlen = strlen(vm_name);
	char *model;

	FDT_TRY(fdt_property_placeholder(fdt, "model", (int)(plen + nlen + 1), (void **)&model));
	memcpy(model, GUEST_FDT_MODEL_PREFIX, plen);
	memcpy(model + plen, vm_name, nlen + 1);
	return 0;
}

static int node_chosen(void *fdt, const struct guest_fdt_params *p)
{
	char stdout_path[NODE_NAME_MAX + 1];

	snprintf(stdout_path, sizeof(stdout_path), "/%s@%llx", VPL011_DT_NODE,
		 (unsigned long long)p->vuart_base);
	FDT_TRY(fdt_begin_node(fdt, "chosen"));
	FDT_TRY(fdt_property_string(fdt, "bootargs", or_empty(p->bootargs)));
	FDT_TRY(fdt_property_string(fdt, "stdout-path", stdout_path));
	FDT_TRY(fdt_property_u32(fdt, "tessera,restart-count", p->restart_count));
	if (p->manage_page) /* no node: nothing binds it, so /dev/mem may map it (docs/management.md) */
		FDT_TRY(fdt_property_u64(fdt, "tessera,manage-page", p->manage_page));
	if (p->initrd.size) {
		FDT_TRY(fdt_property_u64(fdt, "linux,initrd-start", p->initrd.base));
		FDT_TRY(fdt_property_u64(fdt, "linux,initrd-end", p->initrd.base + p->initrd.size));
	}
	/* dt-schema chosen.yaml "rng-seed": what a bootloader gives a kernel (tessera/entropy.h). */
	if (p->rng_seed && p->rng_seed_size)
		FDT_TRY(fdt_property(fdt, "rng-seed", p->rng_seed, (int)p->rng_seed_size));
	return fdt_end_node(fdt);
}

static int node_memory(void *fdt, const struct guest_fdt_params *p)
{
	FDT_TRY(begin_node_at(fdt, "memory", p->memory.base));
	FDT_TRY(fdt_property_string(fdt, "device_type", "memory"));
	FDT_TRY(property_reg(fdt, p->memory.base, p->memory.size));
	return fdt_end_node(fdt);
}

/* One cpu@i per vCPU; reg is its virtual MPIDR_EL1 affinity (vcpu_affinity), Aff2..Aff0. */
static int node_cpus(void *fdt, const struct guest_fdt_params *p)
{
	FDT_TRY(fdt_begin_node(fdt, "cpus"));
	FDT_TRY(fdt_property_u32(fdt, "#address-cells", 1));
	FDT_TRY(fdt_property_u32(fdt, "#size-cells", 0));
	for (unsigned int i = 0; i < p->vcpu_count; i++) {
		FDT_TRY(begin_node_at(fdt, "cpu", i));
		FDT_TRY(fdt_property_string(fdt, "device_type", "cpu"));
		FDT_TRY(fdt_property_string(fdt, "compatible", "arm,armv8"));
		FDT_TRY(fdt_property_u32(fdt, "reg", (u32)vcpu_affinity(i)));
		FDT_TRY(fdt_property_string(fdt, "enable-method", "psci"));
		FDT_TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

/* PSCI 1.0 through HVC: the hypervisor answers it (SMCCC, DEN 0028). */
static int node_psci(void *fdt, const struct guest_fdt_params *p)
{
	(void)p;
	FDT_TRY(fdt_begin_node(fdt, "psci"));
	FDT_TRY(property_strlist(fdt, "compatible", "arm,psci-1.0\0arm,psci-0.2"));
	FDT_TRY(fdt_property_string(fdt, "method", "hvc"));
	return fdt_end_node(fdt);
}

/* The vUART's clock, both as "uartclk" and "apb_pclk" (arm,primecell.yaml). */
static int node_clock(void *fdt, const struct guest_fdt_params *p)
{
	(void)p;
	FDT_TRY(fdt_begin_node(fdt, "apb-pclk"));
	FDT_TRY(fdt_property_string(fdt, "compatible", "fixed-clock"));
	FDT_TRY(fdt_property_u32(fdt, "#clock-cells", 0));
	FDT_TRY(fdt_property_u32(fdt, "clock-frequency", GUEST_FDT_UART_CLOCK_HZ));
	FDT_TRY(fdt_property_string(fdt, "clock-output-names", "clk24mhz"));
	FDT_TRY(fdt_property_u32(fdt, "phandle", GUEST_FDT_CLOCK_PHANDLE));
	return fdt_end_node(fdt);
}

void gic_spec(fdt32_t *cells, u32 intid)
{
	bool ppi = intid < 32;

	cells[0] = cpu_to_fdt32(ppi ? GIC_DT_PPI : GIC_DT_SPI);
	cells[1] = cpu_to_fdt32(ppi ? intid - 16 : intid - 32);
	cells[2] = cpu_to_fdt32(GIC_DT_LEVEL_HIGH);
}

static int node_vuart(void *fdt, const struct guest_fdt_params *p)
{
	fdt32_t clocks[2] = { cpu_to_fdt32(GUEST_FDT_CLOCK_PHANDLE),
			      cpu_to_fdt32(GUEST_FDT_CLOCK_PHANDLE) };
	fdt32_t irq[3];

	FDT_TRY(begin_node_at(fdt, VPL011_DT_NODE, p->vuart_base));
	FDT_TRY(property_strlist(fdt, "compatible", VPL011_DT_COMPATIBLE));
	FDT_TRY(property_reg(fdt, p->vuart_base, GUEST_FDT_UART_SIZE));
	if (p->gicd_base && p->vuart_intid >= 32) {
		gic_spec(irq, p->vuart_intid);
		FDT_TRY(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	}
	FDT_TRY(property_strlist(fdt, "clock-names", VPL011_DT_CLOCK_NAMES));
	FDT_TRY(fdt_property(fdt, "clocks", clocks, sizeof(clocks)));
	return fdt_end_node(fdt);
}

/*
 * The SBSA Generic Watchdog (Linux: watchdog/arm,sbsa-gwdt.yaml; sbsa_gwdt
 * maps reg 0 as the control frame, reg 1 as the refresh frame), its WS0
 * interrupt level-high (virt/vwdt.c).
 */
static int node_watchdog(void *fdt, const struct guest_fdt_params *p)
{
	const struct watchdog_config *w = p->watchdog;
	fdt64_t reg[4];
	fdt32_t irq[3];

	if (!w || !w->present || !p->gicd_base)
		return 0;
	reg[0] = cpu_to_fdt64(w->control);
	reg[1] = cpu_to_fdt64(VWDT_FRAME_SIZE);
	reg[2] = cpu_to_fdt64(w->refresh);
	reg[3] = cpu_to_fdt64(VWDT_FRAME_SIZE);
	gic_spec(irq, w->intid);
	FDT_TRY(begin_node_at(fdt, "watchdog", w->control));
	FDT_TRY(fdt_property_string(fdt, "compatible", "arm,sbsa-gwdt"));
	FDT_TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	FDT_TRY(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	return fdt_end_node(fdt);
}

/* The virtual GICv3 (Linux: interrupt-controller/arm,gic-v3.yaml): no ITS, no LPIs. */
static int node_gic(void *fdt, const struct guest_fdt_params *p)
{
	fdt64_t reg[4] = { cpu_to_fdt64(p->gicd_base), cpu_to_fdt64(VGIC_GICD_SIZE),
			   cpu_to_fdt64(p->gicr_base),
			   cpu_to_fdt64(VGIC_GICR_FRAME_SIZE * p->vcpu_count) };

	if (!p->gicd_base)
		return 0;
	FDT_TRY(begin_node_at(fdt, "interrupt-controller", p->gicd_base));
	FDT_TRY(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
	FDT_TRY(fdt_property_u32(fdt, "#interrupt-cells", 3));
	/* No parent unit address in an interrupt-map that points here (DTSpec 2.4.3.1). */
	FDT_TRY(fdt_property_u32(fdt, "#address-cells", 0));
	FDT_TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	FDT_TRY(fdt_property_u32(fdt, "#redistributor-regions", 1));
	FDT_TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	FDT_TRY(fdt_property_u32(fdt, "phandle", GUEST_FDT_GIC_PHANDLE));
	return fdt_end_node(fdt);
}

/* The generic timer's four PPIs (Linux: timer/arm,arch_timer.yaml). */
static int node_timer(void *fdt, const struct guest_fdt_params *p)
{
	static const u32 ppis[] = GUEST_FDT_TIMER_PPIS;
	fdt32_t irqs[3 * ARRAY_SIZE(ppis)];

	if (!p->gicd_base)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(ppis); i++)
		gic_spec(&irqs[3 * i], ppis[i]);
	FDT_TRY(fdt_begin_node(fdt, "timer"));
	FDT_TRY(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
	FDT_TRY(fdt_property(fdt, "interrupts", irqs, sizeof(irqs)));
	return fdt_end_node(fdt);
}

int channel_names(void *fdt, const struct guest_fdt_channel *c)
{
	FDT_TRY(fdt_property_string(fdt, "tessera,name", or_empty(c->name)));
	FDT_TRY(fdt_property_string(fdt, "tessera,peer", or_empty(c->peer)));
	if (c->read_only)
		FDT_TRY(fdt_property(fdt, "tessera,read-only", NULL, 0));
	return 0;
}

/* A bare-metal style channel end: shared memory, doorbell page, an edge SPI. */
static int node_channel(void *fdt, const struct guest_fdt_channel *c)
{
	fdt64_t reg[4] = { cpu_to_fdt64(c->map), cpu_to_fdt64(c->size), cpu_to_fdt64(c->doorbell),
			   cpu_to_fdt64(SZ_4K) };
	fdt32_t irq[3];

	gic_spec(irq, c->intid);
	irq[2] = cpu_to_fdt32(GIC_DT_EDGE_RISING);
	FDT_TRY(begin_node_at(fdt, "channel", c->map));
	FDT_TRY(fdt_property_string(fdt, "compatible", "tessera,channel"));
	FDT_TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	FDT_TRY(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	FDT_TRY(channel_names(fdt, c));
	return fdt_end_node(fdt);
}

static int node_channels(void *fdt, const struct guest_fdt_params *p)
{
	for (unsigned int i = 0; i < p->channel_count && p->gicd_base; i++) {
		const struct guest_fdt_channel *c = &p->channels[i];

		FDT_TRY(c->pci ? node_pci_channel(fdt, c, GUEST_FDT_PCI_DOMAIN_BASE + i)
			       : node_channel(fdt, c));
	}
	return 0;
}

/*
 * A virtio-mmio device (Linux: virtio/mmio.yaml): one page, an edge SPI
 * (hyp/virt/vnet.c), DMA coherent: Tessera copies frames with the CPU, so
 * the guest needs no cache maintenance for its buffers.
 */
static int node_virtio(void *fdt, const struct guest_fdt_params *p)
{
	for (unsigned int i = 0; i < p->virtio_count && p->gicd_base; i++) {
		const struct guest_fdt_virtio *v = &p->virtio[i];
		fdt32_t irq[3];

		gic_spec(irq, v->intid);
		irq[2] = cpu_to_fdt32(GIC_DT_EDGE_RISING);
		FDT_TRY(begin_node_at(fdt, "virtio_mmio", v->base));
		FDT_TRY(fdt_property_string(fdt, "compatible", "virtio,mmio"));
		FDT_TRY(property_reg(fdt, v->base, CONFIG_VIRTIO_MMIO_SIZE));
		FDT_TRY(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
		FDT_TRY(fdt_property(fdt, "dma-coherent", NULL, 0));
		FDT_TRY(fdt_end_node(fdt));
	}
	return 0;
}

/* The root's children, in order. */
static int (*const root_children[])(void *fdt, const struct guest_fdt_params *p) = {
	node_chosen, node_memory, node_cpus, node_psci, node_gic, node_timer, node_clock, node_vuart,
	node_watchdog, node_channels, node_virtio, guest_fdt_bpmp, guest_fdt_devices,
};

static bool params_valid(const struct guest_fdt_params *p)
{
	return p->vcpu_count >= 1 && p->vcpu_count <= GUEST_FDT_MAX_VCPUS &&
	       p->memory.size != 0;
}

int guest_fdt_build(void *buf, size_t size, const struct guest_fdt_params *p)
{
	/* libfdt sizes are int; a DTB is at most a few MiB (the guest slot is 2 MiB). */
	int bufsize = size > (size_t)INT32_MAX ? INT32_MAX : (int)size;

	if (!buf || !p || !params_valid(p))
		return -FDT_ERR_BADVALUE;

	FDT_TRY(fdt_create(buf, bufsize));
	FDT_TRY(fdt_finish_reservemap(buf));
	FDT_TRY(fdt_begin_node(buf, ""));
	FDT_TRY(fdt_property_u32(buf, "#address-cells", GUEST_FDT_ADDR_CELLS));
	FDT_TRY(fdt_property_u32(buf, "#size-cells", GUEST_FDT_SIZE_CELLS));
	FDT_TRY(fdt_property_string(buf, "compatible", "tessera,vm"));
	FDT_TRY(property_model(buf, or_empty(p->vm_name)));
	if (p->gicd_base)
		FDT_TRY(fdt_property_u32(buf, "interrupt-parent", GUEST_FDT_GIC_PHANDLE));
	for (size_t i = 0; i < ARRAY_SIZE(root_children); i++)
		FDT_TRY(root_children[i](buf, p));
	FDT_TRY(fdt_end_node(buf));
	return fdt_finish(buf);
}
