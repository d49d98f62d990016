/*
 * Config blobs built in a test with libfdt's sequential writer: the root
 * node of a Tessera config (2 + 2 cells) with /vms open, ready for VM
 * nodes. Shared by the tests that check configs against the Tegra234 DT.
 */
#ifndef TESTS_UNIT_CONFIG_BLOB_H
#define TESTS_UNIT_CONFIG_BLOB_H

#include <libfdt.h>
#include <tessera/config.h>

/* 0, or the first libfdt error (the test asserts it is 0). */
static inline int config_blob_begin(void *blob, int size)
{
	int rc = fdt_create(blob, size);

	if (!rc)
		rc = fdt_finish_reservemap(blob);
	if (!rc)
		rc = fdt_begin_node(blob, "");
	if (!rc)
		rc = fdt_property_string(blob, "compatible", "tessera,config");
	if (!rc)
		rc = fdt_property_u32(blob, "tessera,version", CONFIG_VERSION);
	if (!rc)
		rc = fdt_property_u32(blob, "#address-cells", 2);
	if (!rc)
		rc = fdt_property_u32(blob, "#size-cells", 2);
	if (!rc)
		rc = fdt_begin_node(blob, "vms");
	return rc;
}

#endif
