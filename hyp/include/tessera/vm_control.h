/*
 * Acting on a VM from outside it, and what happens when it stops (issue 13):
 * the shapes the restart policies (core/vm_lifecycle.c, vm_policy.c), the
 * per-VM watchdog (virt/vwdt.c), the management interface (core/manage.c)
 * and the console keys share. Implemented in core/vm_lifecycle.c.
 */
#ifndef TESSERA_VM_CONTROL_H
#define TESSERA_VM_CONTROL_H

#include <tessera/types.h>

struct vm;

/* Why a VM stops or restarts: each has a policy in the config (vm_config.policy). */
enum vm_event {
	VM_EVENT_FAULT,        /* a fault that stops it (fault-policy "stop", uncontainable SError, DMA) */
	VM_EVENT_WATCHDOG,     /* its watchdog expired */
	VM_EVENT_SYSTEM_RESET, /* PSCI SYSTEM_RESET */
	VM_EVENT_SYSTEM_OFF,   /* PSCI SYSTEM_OFF */
	VM_EVENT_MANAGER,      /* the manager VM asked (stop, start, restart) */
	VM_EVENT_CONSOLE,      /* the console keys asked */
	VM_EVENT_COUNT
};

/* What a policy does with a VM after an event. */
enum vm_action {
	VM_ACTION_RESTART,
	VM_ACTION_STOP,
};

/*
 * Applies @vm's policy for @event (restart within its limit and back-off,
 * or stop; the system powers off when the config says so). Callable from
 * any CPU, including one of @vm's vCPUs (which then parks or re-enters).
 */
void vm_event(struct vm *vm, enum vm_event event, const char *reason);

/* vm_request_*() results. */
#define VM_CONTROL_OK 0
#define VM_CONTROL_ESTATE (-1)  /* not in a state that allows it (starting a running VM) */
#define VM_CONTROL_ESELF (-2)   /* asked from one of the VM's own vCPUs */
#define VM_CONTROL_EFAILED (-3) /* it could not be rebuilt: it stays stopped */

/*
 * Requests from outside the VM (the manager VM, the console): a
 * VM_CONTROL_* value. A VM acts on itself through PSCI only.
 */
int vm_request_stop(struct vm *vm, enum vm_event by);
int vm_request_start(struct vm *vm, enum vm_event by);
int vm_request_restart(struct vm *vm, enum vm_event by);

#endif
