/*
 * The console's VM keys (Ctrl-T l, r, s, g): what runs once console.c has
 * read a confirmed key and released its lock (vm_request_*() takes the
 * VM's lock, which nests outside the console's, and prints).
 */
#include <arch/sysregs.h>
#include <tessera/console.h>
#include <tessera/vm.h>
#include <tessera/vm_control.h>

#include "console_internal.h"

/* Ctrl-T l: one line per VM; unlocked reads, informational (tessera/vm.h). */
void console_vm_list(void)
{
	u64 now = read_sysreg(cntpct_el0), freq = read_sysreg(cntfrq_el0);

	printk("tessera: VMs (Ctrl-T r, s, g: restart, stop, start the VM with the console input)\n");
	for (unsigned int i = 0; i < vm_count; i++) {
		const struct vm *vm = &vms[i];
		bool running = READ_ONCE(vm->state) == VM_RUNNING;

		if (!vm->cfg) {
			printk("tessera:   %u %s: refused at boot\n", i + 1, vm->name);
			continue;
		}
		printk("tessera:   %u %s: %s, restarts %u, up %llu s%s%s\n", i + 1, vm->name,
		       vm_state_name(vm), READ_ONCE(vm->restart_count),
		       running && freq ? (unsigned long long)((now - vm->stats.started_at) / freq) : 0ULL,
		       vm->stats.stopped_once ? ", last stop: " : "",
		       vm->stats.stopped_once ? vm->stats.last_stop_reason : "");
	}
}

/* Ctrl-T @key (r, s or g), confirmed, for @vm. */
void console_vm_act(struct vm *vm, char key)
{
	const char *verb = key == 'r' ? "restart" : key == 's' ? "stop" : "start";
	int rc = key == 'r'   ? vm_request_restart(vm, VM_EVENT_CONSOLE)
		 : key == 's' ? vm_request_stop(vm, VM_EVENT_CONSOLE)
			      : vm_request_start(vm, VM_EVENT_CONSOLE);

	/* Success is said by the lifecycle itself ("restarting", "stopped", "started"). */
	if (rc == VM_CONTROL_ESTATE)
		printk("tessera: Ctrl-T %c: VM %s is %s: it cannot %s now\n", key, vm->name,
		       vm_state_name(vm), verb);
	else if (rc != VM_CONTROL_OK)
		printk("tessera: Ctrl-T %c: VM %s did not %s (error %d)\n", key, vm->name, verb, rc);
}
