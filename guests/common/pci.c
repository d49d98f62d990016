/* ECAM PCI host bridge: discovery from the DT, configuration space, BARs (pci.h). */
#include <libfdt.h>
#include <mmio.h>

#include "dt.h"
#include "pci.h"

#define ECAM_BUS_SHIFT 20
#define ECAM_DEV_SHIFT 15
#define ECAM_FN_SHIFT 12
/* ranges child address, phys.hi cell: space code ss in bits [25:24] (IEEE 1275 PCI binding). */
#define PCI_SPACE(hi) (((hi) >> 24) & 0x3)
#define PCI_SPACE_MEM32 0x2
#define PCI_RANGE_CELLS 3

static u64 cells_read(const fdt32_t *p, int n)
{
	u64 v = 0;

	for (int i = 0; i < n; i++)
		v = v << 32 | fdt32_ld(p + i);
	return v;
}

/* The ranges entry for 32-bit memory space: PCI address, CPU address, size. */
static const char *find_mem32(const void *fdt, int node, struct pci_host *h)
{
	int parent_ac = fdt_address_cells(fdt, fdt_parent_offset(fdt, node));
	int sc = fdt_size_cells(fdt, node), len;
	const fdt32_t *r = fdt_getprop(fdt, node, "ranges", &len);
	int entry = PCI_RANGE_CELLS + parent_ac + sc;

	if (!r || parent_ac < 1 || parent_ac > 2 || sc < 1 || sc > 2 || len % (entry * 4))
		return "its ranges cannot be read";
	for (int i = 0; i < len / 4; i += entry) {
		if (PCI_SPACE(fdt32_ld(r + i)) != PCI_SPACE_MEM32)
			continue;
		h->mem32_pci = cells_read(r + i + 1, 2);
		h->mem32.base = cells_read(r + i + PCI_RANGE_CELLS, parent_ac);
		h->mem32.size = cells_read(r + i + PCI_RANGE_CELLS + parent_ac, sc);
		h->mem32_next = h->mem32.base;
		return NULL;
	}
	return "its ranges have no 32-bit memory window";
}

const char *pci_host_find(const void *fdt, struct pci_host *h)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "pci-host-ecam-generic");
	const fdt32_t *buses;
	struct range ecam;
	int len;

	if (node < 0)
		return "no pci-host-ecam-generic node in the DT";
	if (!dt_reg(fdt, node, 0, &ecam))
		return "its reg (ECAM) cannot be read";
	buses = fdt_getprop(fdt, node, "bus-range", &len);
	h->ecam = ecam.base;
	h->bus_first = buses && len == 8 ? fdt32_ld(buses) : 0;
	h->bus_last = buses && len == 8 ? fdt32_ld(buses + 1) : 255;
	if (h->bus_last < h->bus_first ||
	    ecam.size < ((u64)(h->bus_last - h->bus_first) + 1) << ECAM_BUS_SHIFT)
		return "its ECAM region is smaller than its bus-range";
	return find_mem32(fdt, node, h);
}

u64 pci_cfg(const struct pci_host *h, u32 bus, u32 dev, u32 fn)
{
	return h->ecam + ((u64)(bus - h->bus_first) << ECAM_BUS_SHIFT) +
	       ((u64)dev << ECAM_DEV_SHIFT) + ((u64)fn << ECAM_FN_SHIFT);
}

u32 pci_cfg_read32(u64 cfg, u32 off)
{
	return mmio_read32(cfg + off);
}

void pci_cfg_write32(u64 cfg, u32 off, u32 v)
{
	mmio_write32(cfg + off, v);
}

int pci_find(const struct pci_host *h, u32 bus, u32 vendor, u32 device)
{
	for (u32 dev = 0; dev < 32; dev++) {
		u32 id = pci_cfg_read32(pci_cfg(h, bus, dev, 0), PCI_VENDOR_ID);

		if ((id & 0xffff) == vendor && (id >> 16) == device)
			return (int)(dev << 3);
	}
	return -1;
}

u64 pci_bar_assign(struct pci_host *h, u64 cfg, unsigned int bar, u64 *size, const char **why)
{
	u32 off = PCI_BAR0 + 4 * bar, old = pci_cfg_read32(cfg, off), mask;
	u64 base;

	if (old & (PCI_BAR_IO | PCI_BAR_TYPE_64)) {
		*why = "it is not a 32-bit memory BAR";
		return 0;
	}
	/* All ones in, the size as the bits that stay zero out. */
	pci_cfg_write32(cfg, off, ~0U);
	mask = pci_cfg_read32(cfg, off) & PCI_BAR_ADDR_MASK;
	pci_cfg_write32(cfg, off, old);
	if (!mask) {
		*why = "it is not implemented";
		return 0;
	}
	*size = (u64)(~mask) + 1;
	base = ALIGN_UP(h->mem32_next, *size);
	if (base + *size > h->mem32.base + h->mem32.size) {
		*why = "it does not fit in the 32-bit window";
		return 0;
	}
	pci_cfg_write32(cfg, off, (u32)(base - h->mem32.base + h->mem32_pci));
	h->mem32_next = base + *size;
	return base;
}
