/*
 * The machine from the boot device tree: RAM, CPUs, GICv3, console UART,
 * generic timer, PSCI and IOMMUs. Shared by the hypervisor and the host checker, so it
 * uses libfdt and lib/include's string and stdio functions only: no malloc, no
 * files, no board constants: a board is its DT and hyp/platform/<board>/.
 *
 * References: Devicetree Specification v0.4 (DTSpec), the Linux bindings
 * arm,gic-v3.yaml, arm,arch_timer.yaml, arm,psci.yaml, iommu/iommu.txt, and
 * PSCI DEN0022.
 */
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <drivers/uart.h>
#include <tessera/platform.h>

#include "platform_internal.h"

/* Standard PSCI 0.2+ function IDs, SMC64 where one exists (DEN0022 5.1). */
#define PSCI_0_2_FN64_CPU_ON 0xC4000003U
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008U

int dt_error(struct dt *dt, const char *fmt, ...)
{
	va_list ap;

	if (dt->err && dt->err_size) {
		va_start(ap, fmt);
		vsnprintf(dt->err, dt->err_size, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The node's full path for a message; its bare name if the path is too long. */
const char *path_of(struct dt *dt, int node)
{
	if (fdt_get_path(dt->fdt, node, dt->path, sizeof(dt->path)) == 0)
		return dt->path;
	const char *name = fdt_get_name(dt->fdt, node, NULL);

	return name ? name : "?";
}

/* True when string property @name of @node is exactly @value. */
bool prop_is(const void *fdt, int node, const char *name, const char *value)
{
	int len;
	const char *p = fdt_getprop(fdt, node, name, &len);

	return p && len == (int)strlen(value) + 1 && memcmp(p, value, (size_t)len) == 0;
}

/*
 * DTSpec 2.3.4: absent or "okay" means usable. For CPUs, "disabled" only means
 * quiescent until the enable-method starts it (DTSpec 3.8.1), so CPUs skip
 * only nodes that have failed.
 */
bool node_usable(const void *fdt, int node, bool is_cpu)
{
	int len;
	const char *s = fdt_getprop(fdt, node, "status", &len);

	if (!s || prop_is(fdt, node, "status", "okay") || prop_is(fdt, node, "status", "ok"))
		return true;
	return is_cpu && len >= 4 && strncmp(s, "fail", 4) != 0;
}

/* #address-cells and #size-cells that @bus gives its children, each 1 or 2. */
int bus_cells(struct dt *dt, int bus, int *ac, int *sc)
{
	*ac = fdt_address_cells(dt->fdt, bus);
	*sc = fdt_size_cells(dt->fdt, bus);
	if (*ac < 1 || *ac > 2 || *sc < 1 || *sc > 2)
		return dt_error(dt, "%s: #address-cells = %d, #size-cells = %d; need 1 or 2 each",
				path_of(dt, bus), *ac, *sc);
	return 0;
}

/*
 * Turns an address on @node's parent bus into a CPU physical address by
 * walking up through each bus's ranges (DTSpec 2.3.8): empty ranges is
 * identity, no ranges means the bus is not memory mapped.
 */
int translate(struct dt *dt, int node, u64 *addr, u64 size)
{
	for (int bus = fdt_parent_offset(dt->fdt, node); bus > 0;) {
		int up = fdt_parent_offset(dt->fdt, bus);
		int len, ac, sc, up_ac = fdt_address_cells(dt->fdt, up);
		const fdt32_t *r = fdt_getprop(dt->fdt, bus, "ranges", &len);

		if (!r)
			return dt_error(dt, "%s: no ranges property, so %s has no CPU address",
					path_of(dt, bus), fdt_get_name(dt->fdt, node, NULL));
		if (len == 0) {
			bus = up;
			continue;
		}
		if (bus_cells(dt, bus, &ac, &sc))
			return -1;
		if (up_ac < 1 || up_ac > 2)
			return dt_error(dt, "%s: #address-cells = %d; need 1 or 2",
					path_of(dt, up), up_ac);
		int entry = ac + up_ac + sc;

		if (len % (entry * 4))
			return dt_error(dt, "%s: ranges is %d bytes, not a multiple of %d cells",
					path_of(dt, bus), len, entry);
		bool found = false;

		for (int i = 0; i < len / 4 && !found; i += entry) {
			u64 child = read_cells(r + i, ac);
			u64 parent = read_cells(r + i + ac, up_ac);
			u64 span = read_cells(r + i + ac + up_ac, sc);

			if (*addr >= child && *addr - child < span &&
			    size <= span - (*addr - child)) {
				*addr = parent + (*addr - child);
				found = true;
			}
		}
		if (!found)
			return dt_error(dt, "%s: 0x%llx+0x%llx of %s is outside its ranges",
					path_of(dt, bus), (unsigned long long)*addr,
					(unsigned long long)size,
					fdt_get_name(dt->fdt, node, NULL));
		bus = up;
	}
	return 0;
}

/* Number of (address, size) entries in @node's reg. */
int reg_count(struct dt *dt, int node)
{
	int len, ac, sc;

	if (bus_cells(dt, fdt_parent_offset(dt->fdt, node), &ac, &sc))
		return -1;
	if (!fdt_getprop(dt->fdt, node, "reg", &len))
		return dt_error(dt, "%s: no reg property", path_of(dt, node));
	if (len % ((ac + sc) * 4))
		return dt_error(dt, "%s: reg is %d bytes, not a multiple of %d cells",
				path_of(dt, node), len, ac + sc);
	return len / ((ac + sc) * 4);
}

/* Entry @index of @node's reg as written, on the parent's bus. */
static int reg_read(struct dt *dt, int node, int index, struct mem_range *out)
{
	int ac, sc, count = reg_count(dt, node);

	if (count < 0)
		return -1;
	if (index >= count)
		return dt_error(dt, "%s: reg has %d entries, Tessera needs at least %d",
				path_of(dt, node), count, index + 1);
	bus_cells(dt, fdt_parent_offset(dt->fdt, node), &ac, &sc);
	const fdt32_t *reg = fdt_getprop(dt->fdt, node, "reg", NULL);

	out->base = read_cells(reg + index * (ac + sc), ac);
	out->size = read_cells(reg + index * (ac + sc) + ac, sc);
	return 0;
}

/* Entry @index of @node's reg, as a non-empty CPU physical range. */
int reg_range(struct dt *dt, int node, int index, struct mem_range *out)
{
	if (reg_read(dt, node, index, out))
		return -1;
	if (out->size == 0 || out->base + out->size - 1 < out->base)
		return dt_error(dt, "%s: reg entry %d (0x%llx+0x%llx) is empty or wraps",
				path_of(dt, node), index, (unsigned long long)out->base,
				(unsigned long long)out->size);
	return translate(dt, node, &out->base, out->size);
}

/* The interrupt controller @node's interrupts go to (DTSpec 2.4.1), or < 0. */
int interrupt_parent(const void *fdt, int node)
{
	for (; node >= 0; node = fdt_parent_offset(fdt, node)) {
		int len;
		const fdt32_t *ph = fdt_getprop(fdt, node, "interrupt-parent", &len);

		if (ph && len == 4)
			return fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*ph));
	}
	return -FDT_ERR_NOTFOUND;
}

/*
 * Only the original ranges (IHI 0069H 2.2.1): PPIs 16-31, SPIs 32-1019. The
 * GICv3.1 extended ranges (EPPI 1056-1119, ESPI 4096-5119) are refused, as
 * irq_intid() does: the vGIC has no state for them and offers guests none
 * (GICD_TYPER.ESPI = 0, GICR_TYPER.PPInum = 0).
 */
bool intid_is_ppi(u32 id)
{
	return id >= 16 && id < 32;
}

bool intid_is_spi(u32 id)
{
	return id >= 32 && id < 1020;
}

/* Number of interrupt specifiers in @node's interrupts; 0 when it has none. */
int irq_count(struct dt *dt, int node)
{
	int len;

	if (!fdt_getprop(dt->fdt, node, "interrupts", &len))
		return 0;
	if (len % (dt->irq_cells * 4))
		return dt_error(dt, "%s: interrupts is %d bytes, not a multiple of %d cells",
				path_of(dt, node), len, dt->irq_cells);
	int parent = interrupt_parent(dt->fdt, node);

	/* No interrupt-parent anywhere: the GIC is the only controller we know. */
	if (parent >= 0 && parent != dt->gic)
		return dt_error(dt, "%s: its interrupt-parent is not the GICv3", path_of(dt, node));
	return len / (dt->irq_cells * 4);
}

/* GICv3 binding, third interrupt cell: the trigger (IRQ_TYPE_EDGE_RISING/FALLING = 1, 2). */
#define GIC_IRQ_TYPE_EDGE_MASK 0x3

/*
 * INTID of interrupt @index of @node. GICv3 binding: cell 0 is the type,
 * cell 1 the number within it; GIC IHI 0069H 2.2 gives the INTID ranges.
 */
int irq_intid(struct dt *dt, int node, int index, u32 *intid)
{
	const fdt32_t *p = fdt_getprop(dt->fdt, node, "interrupts", NULL);
	u32 type = fdt32_to_cpu(p[index * dt->irq_cells]);
	u32 num = fdt32_to_cpu(p[index * dt->irq_cells + 1]);

	if (type == GIC_SPI && num < 988)
		*intid = 32 + num;
	else if (type == GIC_PPI && num < 16)
		*intid = 16 + num;
	else if (type == GIC_ESPI || type == GIC_EPPI)
		return dt_error(dt, "%s: interrupt %d <%u %u> is in the GICv3.1 extended %s range; "
				    "Tessera uses SPIs 32-1019 and PPIs 16-31 only",
				path_of(dt, node), index, type, num, type == GIC_ESPI ? "SPI" : "PPI");
	else
		return dt_error(dt, "%s: interrupt %d <%u %u> is not a valid GICv3 SPI or PPI",
				path_of(dt, node), index, type, num);
	return 0;
}

/* Inserts a bank keeping ram[] sorted by base; -1 when ram[] is full. */
static int ram_insert(struct platform *plat, struct mem_range bank)
{
	if (plat->ram_count == PLATFORM_MAX_RAM)
		return -1;
	unsigned int j = plat->ram_count++;

	for (; j > 0 && plat->ram[j - 1].base > bank.base; j--)
		plat->ram[j] = plat->ram[j - 1];
	plat->ram[j] = bank;
	return 0;
}

/* RAM from @given (the UEFI memory map) when there is one, else from /memory nodes. */
static int parse_memory(struct dt *dt, struct platform *plat, const struct mem_range *given,
			unsigned int given_count)
{
	int node;

	for (unsigned int i = 0; i < given_count; i++)
		if (given[i].size && ram_insert(plat, given[i]))
			return dt_error(dt, "EFI memory map: more than %d RAM ranges", PLATFORM_MAX_RAM);

	fdt_for_each_subnode(node, dt->fdt, 0) {
		if (given)
			break;
		if (!prop_is(dt->fdt, node, "device_type", "memory") ||
		    !node_usable(dt->fdt, node, false))
			continue;
		int count = reg_count(dt, node);

		if (count < 0)
			return -1;
		for (int i = 0; i < count; i++) {
			struct mem_range bank;

			if (reg_read(dt, node, i, &bank))
				return -1;
			/* Firmware may describe an empty bank; it holds nothing. */
			if (bank.size == 0)
				continue;
			if (reg_range(dt, node, i, &bank))
				return -1;
			if (ram_insert(plat, bank))
				return dt_error(dt, "%s: more than %d RAM banks", path_of(dt, node),
						PLATFORM_MAX_RAM);
		}
	}
	if (plat->ram_count == 0)
		return dt_error(dt,
				"/memory: no RAM (no node with device_type \"memory\" and a reg)");

	/* Banks that touch become one, so a VM may span the seam. */
	unsigned int out = 0;

	for (unsigned int i = 1; i < plat->ram_count; i++) {
		struct mem_range *last = &plat->ram[out];

		if (plat->ram[i].base < last->base + last->size)
			return dt_error(dt, "/memory: RAM banks at 0x%llx and 0x%llx overlap",
					(unsigned long long)last->base,
					(unsigned long long)plat->ram[i].base);
		if (plat->ram[i].base == last->base + last->size)
			last->size += plat->ram[i].size;
		else
			plat->ram[++out] = plat->ram[i];
	}
	plat->ram_count = out + 1;
	return 0;
}

/* /cpus/cpu@*: reg is the MPIDR affinity (arm/cpus.yaml); order gives the index. */
static int parse_cpus(struct dt *dt, struct platform *plat)
{
	int cpus = fdt_path_offset(dt->fdt, "/cpus");
	int node;

	if (cpus < 0)
		return dt_error(dt, "/cpus: missing");
	int ac = fdt_address_cells(dt->fdt, cpus);

	if (ac < 1 || ac > 2)
		return dt_error(dt, "/cpus: #address-cells = %d; an MPIDR takes 1 or 2 cells", ac);

	fdt_for_each_subnode(node, dt->fdt, cpus) {
		int len;

		if (!prop_is(dt->fdt, node, "device_type", "cpu") ||
		    !node_usable(dt->fdt, node, true))
			continue;
		const fdt32_t *reg = fdt_getprop(dt->fdt, node, "reg", &len);

		if (!reg || len < ac * 4)
			return dt_error(dt, "%s: no reg (the CPU's MPIDR)", path_of(dt, node));
		u64 mpidr = read_cells(reg, ac);

		if (mpidr & ~MPIDR_AFF_MASK)
			return dt_error(dt, "%s: reg 0x%llx has bits outside MPIDR Aff3..Aff0",
					path_of(dt, node), (unsigned long long)mpidr);
		if (platform_cpu_index(plat, mpidr) >= 0)
			return dt_error(dt, "%s: MPIDR 0x%llx appears twice", path_of(dt, node),
					(unsigned long long)mpidr);
		if (plat->cpu_count == PLATFORM_MAX_CPUS)
			return dt_error(dt, "%s: more than %d CPUs", path_of(dt, node),
					PLATFORM_MAX_CPUS);
		plat->cpu_mpidr[plat->cpu_count++] = mpidr;
	}
	if (plat->cpu_count == 0)
		return dt_error(dt, "/cpus: no node with device_type = \"cpu\"");
	return 0;
}

/* reg: GICD, then #redistributor-regions GICR regions (arm,gic-v3.yaml). */
int dt_find_gic(struct dt *dt)
{
	const void *fdt = dt->fdt;
	int gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	int len;

	while (gic >= 0 && !node_usable(fdt, gic, false))
		gic = fdt_node_offset_by_compatible(fdt, gic, "arm,gic-v3");
	if (gic < 0)
		return dt_error(dt, "/: no interrupt controller compatible with \"arm,gic-v3\"");
	dt->gic = gic;

	const fdt32_t *cells = fdt_getprop(fdt, gic, "#interrupt-cells", &len);

	dt->irq_cells = cells && len == 4 ? (int)fdt32_to_cpu(*cells) : 0;
	if (dt->irq_cells < 3 || dt->irq_cells > 4)
		return dt_error(dt, "%s: #interrupt-cells must be 3 or 4", path_of(dt, gic));
	return 0;
}

static int parse_gic(struct dt *dt, struct platform *plat)
{
	const void *fdt = dt->fdt;
	int gic, len;

	if (dt_find_gic(dt))
		return -1;
	gic = dt->gic;

	const fdt32_t *nr = fdt_getprop(fdt, gic, "#redistributor-regions", &len);
	u32 regions = nr && len == 4 ? fdt32_to_cpu(*nr) : 1;

	if (nr && len != 4)
		return dt_error(dt, "%s: #redistributor-regions is not one cell", path_of(dt, gic));
	if (regions < 1 || regions > PLATFORM_MAX_GICR_REGIONS)
		return dt_error(dt, "%s: #redistributor-regions = %u; Tessera handles 1 to %d",
				path_of(dt, gic), regions, PLATFORM_MAX_GICR_REGIONS);
	if (reg_range(dt, gic, 0, &plat->gicd))
		return -1;
	for (u32 i = 0; i < regions; i++)
		if (reg_range(dt, gic, (int)i + 1, &plat->gicr[i]))
			return -1;
	plat->gicr_count = regions;

	int n = irq_count(dt, gic);

	if (n < 0 || (n > 0 && irq_intid(dt, gic, 0, &plat->gic_maint_intid)))
		return -1;
	if (n > 0 && !intid_is_ppi(plat->gic_maint_intid))
		return dt_error(dt, "%s: the maintenance interrupt (INTID %u) is not a PPI",
				path_of(dt, gic), plat->gic_maint_intid);
	return 0;
}

/*
 * The console: /chosen/stdout-path, "path-or-alias[:options]" (DTSpec 3.6);
 * its driver and registers from drivers/uart/uart_dt.c.
 * Found before anything else and set only when whole, so the hypervisor can
 * print why the rest of the tree was refused.
 */
static int parse_uart(struct dt *dt, struct platform *plat)
{
	const void *fdt = dt->fdt;
	int chosen = fdt_path_offset(fdt, "/chosen");
	int len;
	const char *sp = chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", &len) : NULL;

	if (!sp || len < 2 || sp[len - 1] != '\0')
		return dt_error(dt, "/chosen: no stdout-path naming the console UART");
	const char *colon = strchr(sp, ':');
	int namelen = colon ? (int)(colon - sp) : (int)strlen(sp);
	/* libfdt resolves a leading alias through /aliases. */
	int uart = fdt_path_offset_namelen(fdt, sp, namelen);

	if (uart < 0)
		return dt_error(dt, "/chosen: stdout-path \"%.*s\" names no node", namelen, sp);
	if (uart_dt_parse(dt, uart, &plat->uart))
		return -1;
	dt->uart = uart;
	return 0;
}

/* Its interrupt, once the GIC is known: an SPI, or none. */
static int parse_uart_irq(struct dt *dt, struct platform *plat)
{
	int n = irq_count(dt, dt->uart);

	if (n < 0 || (n > 0 && irq_intid(dt, dt->uart, 0, &plat->uart_intid)))
		return -1;
	if (n > 0 && !intid_is_spi(plat->uart_intid))
		return dt_error(dt, "%s: interrupt INTID %u is not an SPI", path_of(dt, dt->uart),
				plat->uart_intid);
	return 0;
}

/* Secure phys, non-secure phys, virtual, hyp: arm,arch_timer.yaml order. */
static int parse_timer(struct dt *dt, struct platform *plat)
{
	int timer = fdt_node_offset_by_compatible(dt->fdt, -1, "arm,armv8-timer");

	if (timer < 0)
		return dt_error(dt, "/: no timer compatible with \"arm,armv8-timer\"");
	int n = irq_count(dt, timer);

	if (n < 0)
		return -1;
	if (n < 4)
		return dt_error(dt, "%s: %d interrupts; the generic timer needs 4 PPIs",
				path_of(dt, timer), n);
	for (int i = 0; i < 4; i++) {
		if (irq_intid(dt, timer, i, &plat->timer_intid[i]))
			return -1;
		if (!intid_is_ppi(plat->timer_intid[i]))
			return dt_error(dt, "%s: interrupt %d (INTID %u) is not a PPI",
					path_of(dt, timer), i, plat->timer_intid[i]);
	}
	return 0;
}

/*
 * PSCI (arm,psci.yaml): 0.2 and later use the standard function IDs; the 0.1
 * binding ("arm,psci" alone) has none, so its cpu_on property is required.
 * A cpu_on property always wins, as the binding lets firmware override it.
 */
static int parse_psci(struct dt *dt, struct platform *plat)
{
	static const char *const compat[] = { "arm,psci-1.0", "arm,psci-0.2", "arm,psci" };
	const void *fdt = dt->fdt;
	int psci = -1, len;

	for (unsigned int i = 0; i < ARRAY_SIZE(compat) && psci < 0; i++)
		psci = fdt_node_offset_by_compatible(fdt, -1, compat[i]);
	if (psci < 0)
		return dt_error(dt, "/psci: missing (no node compatible with \"arm,psci-1.0\", "
				    "\"arm,psci-0.2\" or \"arm,psci\")");

	if (prop_is(fdt, psci, "method", "smc"))
		plat->psci_conduit = PSCI_CONDUIT_SMC;
	else if (prop_is(fdt, psci, "method", "hvc"))
		plat->psci_conduit = PSCI_CONDUIT_HVC;
	else
		return dt_error(dt, "%s: method must be \"smc\" or \"hvc\"", path_of(dt, psci));

	bool standard = fdt_node_check_compatible(fdt, psci, "arm,psci-0.2") == 0 ||
			fdt_node_check_compatible(fdt, psci, "arm,psci-1.0") == 0;
	const fdt32_t *cpu_on = fdt_getprop(fdt, psci, "cpu_on", &len);

	plat->psci_cpu_on = PSCI_0_2_FN64_CPU_ON;
	plat->psci_system_off = PSCI_0_2_FN_SYSTEM_OFF;
	if (cpu_on && len == 4)
		plat->psci_cpu_on = fdt32_to_cpu(*cpu_on);
	else if (cpu_on || !standard)
		return dt_error(dt, "%s: PSCI 0.1 needs a one-cell cpu_on function ID",
				path_of(dt, psci));
	return 0;
}

/* Its interrupts, at most PLATFORM_IOMMU_IRQS, with their interrupt-names and triggers. */
static int parse_iommu_irqs(struct dt *dt, int node, struct platform_iommu *iommu)
{
	const fdt32_t *p = fdt_getprop(dt->fdt, node, "interrupts", NULL);
	int n = irq_count(dt, node);

	if (n < 0)
		return -1;
	for (int i = 0; i < n && i < PLATFORM_IOMMU_IRQS; i++) {
		const char *name = fdt_stringlist_get(dt->fdt, node, "interrupt-names", i, NULL);

		if (irq_intid(dt, node, i, &iommu->intid[i]))
			return -1;
		if (!intid_is_spi(iommu->intid[i]))
			return dt_error(dt, "%s: interrupt %d (INTID %u) is not an SPI",
					path_of(dt, node), i, iommu->intid[i]);
		iommu->edge[i] = fdt32_to_cpu(p[i * dt->irq_cells + 2]) & GIC_IRQ_TYPE_EDGE_MASK;
		snprintf(iommu->irq_name[i], PLATFORM_IRQ_NAME_MAX, "%s", name ? name : "");
		iommu->irq_count++;
	}
	return 0;
}

/* Every usable node with #iommu-cells: registers, interrupts, phandle. */
static int parse_iommus(struct dt *dt, struct platform *plat)
{
	int node, len;

	for (node = fdt_next_node(dt->fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(dt->fdt, node, NULL)) {
		const fdt32_t *cells = fdt_getprop(dt->fdt, node, "#iommu-cells", &len);
		int bus_ac = fdt_address_cells(dt->fdt, fdt_parent_offset(dt->fdt, node));
		struct platform_iommu *iommu;
		int regs;

		/* Not memory mapped (e.g. a virtio-iommu on a PCI bus): nothing for Tessera. */
		if (!cells || !node_usable(dt->fdt, node, false) || bus_ac < 1 || bus_ac > 2)
			continue;
		if (plat->iommu_count == PLATFORM_MAX_IOMMUS)
			return dt_error(dt, "%s: more than %d IOMMUs", path_of(dt, node),
					PLATFORM_MAX_IOMMUS);
		iommu = &plat->iommus[plat->iommu_count];
		*iommu = (struct platform_iommu){ .node = node };
		iommu->phandle = fdt_get_phandle(dt->fdt, node);
		if (len != 4)
			return dt_error(dt, "%s: #iommu-cells is not one cell", path_of(dt, node));
		iommu->cells = fdt32_to_cpu(*cells);
		cells = fdt_getprop(dt->fdt, node, "stream-match-mask", &len);
		iommu->stream_match_mask = cells && len == 4 ? fdt32_to_cpu(*cells) : 0;
		regs = reg_count(dt, node);
		if (regs < 0)
			return -1;
		for (int i = 0; i < regs && i < PLATFORM_IOMMU_REGS; i++)
			if (reg_range(dt, node, i, &iommu->regs[iommu->reg_count++]))
				return -1;
		if (parse_iommu_irqs(dt, node, iommu))
			return -1;
		plat->iommu_count++;
	}
	return 0;
}

int platform_parse(const void *fdt, struct platform *plat, char *err, size_t err_size)
{
	return platform_parse_with_ram(fdt, NULL, 0, plat, err, err_size);
}

int platform_parse_with_ram(const void *fdt, const struct mem_range *ram, unsigned int ram_count,
			    struct platform *plat, char *err, size_t err_size)
{
	struct dt dt = { .fdt = fdt, .gic = -1, .uart = -1, .err = err, .err_size = err_size };
	int rc;

	memset(plat, 0, sizeof(*plat));
	if (err && err_size)
		err[0] = '\0';
	/*
	 * Check the whole structure once, so every later walk stays inside it.
	 * A layout before version 16 (node names as full paths) is refused
	 * first: Debian 12's libfdt 1.6.1 fdt_check_full() dereferences NULL on
	 * one (found by tests/fuzz/fuzz_config.c); dtc, U-Boot, UEFI and QEMU
	 * write 17.
	 */
	rc = fdt_check_header(fdt);
	if (rc == 0 && fdt_version(fdt) < 16)
		rc = -FDT_ERR_BADVERSION;
	if (rc == 0)
		rc = fdt_check_full(fdt, fdt_totalsize(fdt));
	if (rc)
		return dt_error(&dt, "/: not a valid device tree (libfdt: %s)", fdt_strerror(rc));

	if (parse_uart(&dt, plat) || parse_memory(&dt, plat, ram, ram_count) || parse_cpus(&dt, plat) ||
	    parse_gic(&dt, plat) || parse_uart_irq(&dt, plat) || parse_timer(&dt, plat) ||
	    parse_psci(&dt, plat) || parse_iommus(&dt, plat) || platform_parse_mc(&dt, plat) ||
	    platform_bpmp_parse(&dt, plat) || platform_llc_parse(&dt, plat) || platform_pmu_parse(&dt, plat))
		return -1;
	plat->fdt = fdt;
	return 0;
}

const struct platform_iommu *platform_iommu_by_phandle(const struct platform *plat, u32 phandle)
{
	for (unsigned int i = 0; i < plat->iommu_count; i++)
		if (phandle && plat->iommus[i].phandle == phandle)
			return &plat->iommus[i];
	return NULL;
}

int platform_cpu_index(const struct platform *plat, u64 mpidr)
{
	for (unsigned int i = 0; i < plat->cpu_count; i++)
		if (plat->cpu_mpidr[i] == (mpidr & MPIDR_AFF_MASK))
			return (int)i;
	return -1;
}

bool platform_range_in_ram(const struct platform *plat, u64 base, u64 size)
{
	if (size == 0)
		return false;
	for (unsigned int i = 0; i < plat->ram_count; i++)
		if (range_contains(&plat->ram[i], base, size))
			return true;
	return false;
}
