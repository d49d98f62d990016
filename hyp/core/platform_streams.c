/*
 * Which stream IDs a device's DMA carries, from the boot device tree: the
 * iommus property of a platform device (Linux bindings iommu/iommu.txt) and
 * the iommu-map of a PCI host bridge (pci/pci-iommu.txt). Shared by the
 * hypervisor and host tests, like platform.c. Only one-cell IOMMU
 * specifiers (the stream ID itself) are read: SMMUv3 and Tegra234's MMU-500
 * use them.
 */
#include <libfdt.h>
#include <stdio.h>
#include <tessera/platform.h>

struct streams_ctx {
	const void *fdt;
	int node;
	struct platform_streams *out;
	unsigned int max, count;
	char *err;
	size_t err_size;
};

static int streams_error(struct streams_ctx *c, const char *what)
{
	char path[128];

	if (fdt_get_path(c->fdt, c->node, path, sizeof(path)))
		snprintf(path, sizeof(path), "?");
	if (c->err && c->err_size)
		snprintf(c->err, c->err_size, "%s: %s", path, what);
	return -1;
}

/* #iommu-cells of the IOMMU @phandle names; 0 when it is no IOMMU. */
static u32 iommu_cells(const void *fdt, u32 phandle)
{
	int node = fdt_node_offset_by_phandle(fdt, phandle), len;
	const fdt32_t *cells = node >= 0 ? fdt_getprop(fdt, node, "#iommu-cells", &len) : NULL;

	return cells && len == 4 ? fdt32_to_cpu(*cells) : 0;
}

static int streams_add(struct streams_ctx *c, u32 phandle, u32 sid_base, u32 count)
{
	u32 cells = iommu_cells(c->fdt, phandle);

	if (cells == 0)
		return streams_error(c, "names an IOMMU phandle with no #iommu-cells");
	if (cells != 1)
		return streams_error(c, "its IOMMU has #iommu-cells other than 1; "
					"Tessera reads one-cell stream IDs only");
	if (count == 0 || sid_base + (count - 1) < sid_base)
		return streams_error(c, "a stream ID range is empty or wraps");
	if (c->count == c->max)
		return streams_error(c, "uses more stream ID ranges than Tessera keeps");
	c->out[c->count++] = (struct platform_streams){ phandle, sid_base, count };
	return 0;
}

/* iommus = <&iommu sid>...: one stream per entry (one-cell specifiers). */
static int read_iommus(struct streams_ctx *c)
{
	int len;
	const fdt32_t *p = fdt_getprop(c->fdt, c->node, "iommus", &len);

	if (!p)
		return 0;
	if (len % 8)
		return streams_error(c, "iommus is not a list of <&iommu stream-id> pairs");
	for (int i = 0; i < len / 4; i += 2)
		if (streams_add(c, fdt32_to_cpu(p[i]), fdt32_to_cpu(p[i + 1]), 1))
			return -1;
	return 0;
}

/* iommu-map = <rid-base &iommu sid-base length>...: every requester ID it maps. */
static int read_iommu_map(struct streams_ctx *c)
{
	int len;
	const fdt32_t *p = fdt_getprop(c->fdt, c->node, "iommu-map", &len);

	if (!p)
		return 0;
	if (len % 16)
		return streams_error(c, "iommu-map is not a list of <rid-base &iommu sid-base length>");
	for (int i = 0; i < len / 4; i += 4)
		if (streams_add(c, fdt32_to_cpu(p[i + 1]), fdt32_to_cpu(p[i + 2]),
				fdt32_to_cpu(p[i + 3])))
			return -1;
	return 0;
}

int platform_device_streams(const void *fdt, int node, struct platform_streams *out,
			    unsigned int max, char *err, size_t err_size)
{
	struct streams_ctx c = { fdt, node, out, max, 0, err, err_size };

	if (read_iommus(&c) || read_iommu_map(&c))
		return -1;
	return (int)c.count;
}
