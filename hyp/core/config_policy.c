/*
 * A VM's restart policies (docs/configuration.md, "Restart policies"):
 * on-fault, on-watchdog, on-reset, on-off ("restart" or "stop"),
 * restart-limit, restart-backoff-ms, power-off-when-stopped. What they do
 * is core/vm_lifecycle.c's vm_event().
 */
#include <libfdt.h>
#include <string.h>
#include <tessera/config.h>

#include "config_internal.h"

/* Longest back-off: beyond ten minutes a stopped VM and a person starting it serve better. */
#define RESTART_BACKOFF_MAX_MS 600000u

static const char *const policy_props[VM_POLICY_EVENTS] = {
	[VM_EVENT_FAULT] = "on-fault",
	[VM_EVENT_WATCHDOG] = "on-watchdog",
	[VM_EVENT_SYSTEM_RESET] = "on-reset",
	[VM_EVENT_SYSTEM_OFF] = "on-off",
};

void policy_defaults(struct vm_config *vm)
{
	/* Tessera before restart policies: SYSTEM_RESET restarts the VM, everything else stops it. */
	for (unsigned int e = 0; e < VM_POLICY_EVENTS; e++)
		vm->policy[e] = e == VM_EVENT_SYSTEM_RESET ? VM_ACTION_RESTART : VM_ACTION_STOP;
}

static bool is_string(const char *val, int len, const char *s)
{
	return len == (int)strlen(s) + 1 && !memcmp(val, s, (size_t)len);
}

/* One u32 cell into @out; false (reported) when the property is not one. */
static bool one_cell(struct problems *p, const struct vm_config *vm, const char *name,
		     const void *val, int len, u32 *out, const char *example)
{
	if (len != 4) {
		report(p, vm->node, "%s must be one number; write e.g. %s = <%s>;", name, name, example);
		return false;
	}
	*out = fdt32_to_cpu(*(const fdt32_t *)val);
	return true;
}

int policy_parse_prop(const char *name, const void *val, int len, struct vm_config *vm,
		      struct problems *p)
{
	for (unsigned int e = 0; e < VM_POLICY_EVENTS; e++) {
		if (strcmp(name, policy_props[e]))
			continue;
		if (is_string(val, len, "restart")) {
			vm->policy[e] = VM_ACTION_RESTART;
		} else if (is_string(val, len, "stop")) {
			vm->policy[e] = VM_ACTION_STOP;
		} else {
			report(p, vm->node, "%s must be \"restart\" or \"stop\" (default \"%s\"); write e.g. %s = \"restart\";",
			       name, e == VM_EVENT_SYSTEM_RESET ? "restart" : "stop", name);
			return 0;
		}
		return 1;
	}
	if (!strcmp(name, "restart-limit"))
		return one_cell(p, vm, name, val, len, &vm->restart_limit, "3");
	if (!strcmp(name, "restart-backoff-ms")) {
		if (!one_cell(p, vm, name, val, len, &vm->restart_backoff_ms, "500"))
			return 0;
		if (vm->restart_backoff_ms > RESTART_BACKOFF_MAX_MS) {
			report(p, vm->node, "restart-backoff-ms is %u, above the most, %u (ten minutes); write a smaller one, e.g. restart-backoff-ms = <500>;",
			       vm->restart_backoff_ms, RESTART_BACKOFF_MAX_MS);
			return 0;
		}
		return 1;
	}
	if (!strcmp(name, "power-off-when-stopped")) {
		if (len != 0) {
			report(p, vm->node, "power-off-when-stopped takes no value; write power-off-when-stopped;");
			return 0;
		}
		vm->power_off_when_stopped = true;
		return 1;
	}
	return -1;
}
