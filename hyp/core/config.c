/*
 * The system configuration: the compiled config DTB (format in
 * docs/configuration.md) read into struct system_config, then checked against
 * the platform. The host checker and the hypervisor run this same code, so it
 * uses libfdt and lib/include's string and stdio functions only, and it reads
 * the blob defensively: every property length is checked before use.
 *
 * Every problem goes to the reporter as (node path, "what is wrong; how to
 * fix it"), one call each, so the user sees all of them in one run.
 */
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <tessera/config.h>
#include <tessera/manage.h>
#include <virt/vgic.h>
#include <virt/vpl011.h>

#include "config_internal.h"

#define KNOWN_VM_PROPS \
	"cpus, memory, image, initrd, bootargs, vuart, console-input, fault-policy, watchdog, " \
	"watchdog-interrupt, on-fault, on-watchdog, on-reset, on-off, restart-limit, " \
	"restart-backoff-ms, power-off-when-stopped, manager, colors, colors-shared, bandwidth-budget"
#define KNOWN_ROOT_PROPS "compatible, tessera,version, #address-cells, #size-cells"

void report(struct problems *p, const char *node, const char *fmt, ...)
{
	char msg[416]; /* the longest, the unknown VM property list, is ~300 */
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->count++;
	if (p->rep) {
		p->rep->errors++;
		if (p->rep->report)
			p->rep->report(p->rep->ctx, node, msg);
	}
}

static bool name_is_valid(const char *name, int len)
{
	for (int i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return len > 0;
}

/* The root node: signature, version and cell sizes. Returns false if not a config. */
static bool parse_root(const void *blob, struct problems *p, int *ac, int *sc)
{
	int len;
	const fdt32_t *version;

	if (fdt_node_check_compatible(blob, 0, "tessera,config") != 0) {
		report(p, "/",
		       "not a Tessera config (compatible is not \"tessera,config\"); "
		       "start the root node with compatible = \"tessera,config\";");
		return false;
	}
	version = fdt_getprop(blob, 0, "tessera,version", &len);
	if (!version || len != 4) {
		report(p, "/",
		       "tessera,version is missing or not one cell; "
		       "add tessera,version = <%d>;",
		       CONFIG_VERSION);
		return false;
	}
	if (fdt32_to_cpu(*version) != CONFIG_VERSION) {
		report(p, "/",
		       "tessera,version is %u but this Tessera reads version %d; "
		       "convert the file (docs/configuration.md) and set tessera,version = <%d>;",
		       fdt32_to_cpu(*version), CONFIG_VERSION, CONFIG_VERSION);
		return false;
	}
	*ac = fdt_address_cells(blob, 0);
	*sc = fdt_size_cells(blob, 0);
	if (*ac < 1 || *ac > 2 || *sc < 1 || *sc > 2) {
		report(p, "/",
		       "#address-cells and #size-cells must be 1 or 2; "
		       "write #address-cells = <2>; #size-cells = <2>;");
		return false;
	}
	known_props(blob, 0, "/", KNOWN_ROOT_PROPS, p);
	return true;
}

/* One property of a VM node; false when it is malformed or unknown. */
static bool parse_vm_prop(const void *blob, int prop, struct vm_config *vm, int ac, int sc,
			  struct problems *p)
{
	const char *name;
	int len;
	const void *val = fdt_getprop_by_offset(blob, prop, &name, &len);
	const fdt32_t *cells = val;

	if (!val || !name)
		return false;
	if (!strcmp(name, "cpus")) {
		if (len % 4 || len / 4 > PLATFORM_MAX_CPUS) {
			report(p, vm->node,
			       "cpus must be 1 to %d CPU indices of one cell each; "
			       "write e.g. cpus = <1 2>;",
			       PLATFORM_MAX_CPUS);
			return false;
		}
		vm->cpu_count = (unsigned int)len / 4;
		for (unsigned int i = 0; i < vm->cpu_count; i++)
			vm->cpus[i] = fdt32_to_cpu(cells[i]);
		vm->well_formed |= VM_HAS_CPUS;
	} else if (!strcmp(name, "memory")) {
		if (len != (ac + sc) * 4) {
			report(p, vm->node,
			       "memory must be <base size> (%d cells with #address-cells = "
			       "<%d> and #size-cells = <%d>); write e.g. memory = "
			       "<0x0 0x50000000 0x0 0x2000000>;",
			       ac + sc, ac, sc);
			return false;
		}
		vm->memory.base = read_cells(cells, ac);
		vm->memory.size = read_cells(cells + ac, sc);
		vm->well_formed |= VM_HAS_MEMORY;
	} else if (!strcmp(name, "image")) {
		vm->image = val;
		vm->image_size = (u64)len;
		vm->well_formed |= VM_HAS_IMAGE;
	} else if (!strcmp(name, "initrd")) {
		vm->initrd = val;
		vm->initrd_size = (u64)len;
	} else if (!strcmp(name, "bootargs")) {
		if (len == 0 || strnlen(val, (size_t)len) != (size_t)len - 1) {
			report(p, vm->node,
			       "bootargs is not one string; write bootargs = \"...\";");
			return false;
		}
		vm->bootargs = val;
	} else if (!strcmp(name, "vuart")) {
		if (len != ac * 4) {
			report(p, vm->node,
			       "vuart must be one address (%d cells with #address-cells = "
			       "<%d>); write e.g. vuart = <0x0 0x09000000>;",
			       ac, ac);
			return false;
		}
		vm->vuart_base = read_cells(cells, ac);
		vm->well_formed |= VM_HAS_VUART;
	} else if (!strcmp(name, "console-input")) {
		if (len != 0) {
			report(p, vm->node, "console-input takes no value; write console-input;");
			return false;
		}
		vm->console_input = true;
	} else if (!strcmp(name, "fault-policy")) {
		if (len == sizeof("inject") && !memcmp(val, "inject", (size_t)len)) {
			vm->fault_policy = FAULT_POLICY_INJECT;
		} else if (len == sizeof("stop") && !memcmp(val, "stop", (size_t)len)) {
			vm->fault_policy = FAULT_POLICY_STOP;
		} else {
			report(p, vm->node,
			       "fault-policy must be \"inject\" (the default: the guest takes an "
			       "external abort) or \"stop\" (the VM stops); write e.g. "
			       "fault-policy = \"stop\";");
			return false;
		}
	} else if (!strcmp(name, "watchdog") || !strcmp(name, "watchdog-interrupt")) {
		return watchdog_parse_prop(name, val, len, vm, ac, p);
	} else if (!strcmp(name, "bandwidth-budget")) {
		return bwreg_parse_prop(val, len, vm, p);
	} else if (!strcmp(name, "manager")) {
		if (len != 0 && len != ac * 4) {
			report(p, vm->node,
			       "manager takes no value (HVC calls only) or the address of its "
			       "management page (%d cells); write manager; or e.g. "
			       "manager = <0x0 0x0a100000>;",
			       ac);
			return false;
		}
		vm->manager = true;
		vm->manager_page = len ? read_cells(cells, ac) : 0;
	} else {
		int policy = policy_parse_prop(name, val, len, vm, p);

		if (policy < 0)
			policy = colour_parse_prop(name, val, len, vm, p);
		if (policy < 0)
			report(p, vm->node, "unknown property '%s'; known: " KNOWN_VM_PROPS, name);
		return policy > 0;
	}
	return true;
}

/*
 * One /vms/<name> node into @vm; vm->valid says whether all of it is well
 * formed, vm->well_formed which properties config_validate() can still check.
 */
static void parse_vm(const void *blob, int node, struct vm_config *vm, int ac, int sc,
		     struct problems *p)
{
	static const char *const required[] = { "cpus", "memory", "image", "vuart" };
	static const char *const example[] = { "cpus = <1>",
					       "memory = <0x0 0x50000000 0x0 0x2000000>",
					       "image = /incbin/(\"guest.bin\")",
					       "vuart = <0x0 0x09000000>" };
	int len, prop, sub;
	const char *name = fdt_get_name(blob, node, &len);
	bool ok = true;

	if (!name)
		return;
	snprintf(vm->node, sizeof(vm->node), "/vms/%.*s", len, name);
	snprintf(vm->name, sizeof(vm->name), "%.*s", len, name);
	vm->bootargs = "";
	policy_defaults(vm);
	if (len >= CONFIG_NAME_MAX) {
		report(p, vm->node, "the VM name is %d characters; rename the node to at most %d",
		       len, CONFIG_NAME_MAX - 1);
		ok = false;
	} else if (!name_is_valid(name, len)) {
		report(p, vm->node,
		       "the VM name has characters other than a-z 0-9 _ -; "
		       "rename the node, e.g. vm1 (no unit address)");
		ok = false;
	}
	fdt_for_each_property_offset(prop, blob, node)
		ok &= parse_vm_prop(blob, prop, vm, ac, sc, p);
	for (unsigned int i = 0; i < ARRAY_SIZE(required); i++) {
		if (!fdt_getprop(blob, node, required[i], NULL)) {
			report(p, vm->node, "no %s property; add %s;", required[i], example[i]);
			ok = false;
		}
	}
	/* Subnodes are devices given to the VM (config_device.c). */
	fdt_for_each_subnode(sub, blob, node)
		ok &= device_parse(blob, sub, vm, ac, p);
	vm->valid = ok;
}

int config_parse(const void *blob, struct system_config *cfg, struct config_reporter *rep)
{
	struct problems p = { rep, 0 };
	int ac, sc, vms, channels, networks, colouring, node, prop;
	int rc = fdt_check_header(blob);

	memset(cfg, 0, sizeof(*cfg));
	/*
	 * A layout before version 16 (node names as full paths) is refused
	 * first: Debian 12's libfdt 1.6.1 fdt_check_full() dereferences NULL on
	 * one (found by tests/fuzz/fuzz_config.c); dtc writes 17.
	 */
	if (rc == 0 && fdt_version(blob) < 16)
		rc = -FDT_ERR_BADVERSION;
	/* Check the whole structure once, so every later walk stays inside the blob. */
	if (rc == 0)
		rc = fdt_check_full(blob, fdt_totalsize(blob));
	if (rc) {
		report(&p, "/",
		       "not a valid compiled device tree (libfdt: %s); "
		       "compile the config with dtc -I dts -O dtb",
		       fdt_strerror(rc));
		return -1;
	}
	if (!parse_root(blob, &p, &ac, &sc))
		return -1;
	vms = fdt_subnode_offset(blob, 0, "vms");
	if (vms < 0) {
		report(&p, "/vms", "missing; add a vms { } node with one subnode per VM");
		return -1;
	}
	channels = fdt_subnode_offset(blob, 0, "channels");
	networks = fdt_subnode_offset(blob, 0, "networks");
	colouring = fdt_subnode_offset(blob, 0, "cache-coloring");
	fdt_for_each_subnode(node, blob, 0) {
		const char *name = fdt_get_name(blob, node, NULL);

		if (node != vms && node != channels && node != networks && node != colouring)
			report(&p, "/", "unknown node '%s'; VMs go under /vms, channels under /channels, "
					"networks under /networks, cache colouring in /cache-coloring",
			       name ? name : "?");
	}
	if (colouring >= 0)
		colouring_parse(blob, colouring, cfg, ac, sc, &p);
	fdt_for_each_property_offset(prop, blob, vms) {
		const char *name;

		fdt_getprop_by_offset(blob, prop, &name, NULL);
		report(&p, "/vms", "unknown property '%s'; /vms holds only VM nodes",
		       name ? name : "?");
	}
	fdt_for_each_subnode(node, blob, vms) {
		if (cfg->vm_count == CONFIG_MAX_VMS) {
			report(&p, "/vms", "more than %d VMs; remove '%s' or merge VMs",
			       CONFIG_MAX_VMS, fdt_get_name(blob, node, NULL));
			continue;
		}
		parse_vm(blob, node, &cfg->vms[cfg->vm_count++], ac, sc, &p);
	}
	if (channels >= 0)
		channels_parse(blob, channels, cfg, ac, sc, &p);
	if (networks >= 0)
		networks_parse(blob, networks, cfg, ac, &p);
	return p.count;
}
