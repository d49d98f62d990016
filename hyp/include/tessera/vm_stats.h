/*
 * A VM's figures (issue 13): what the manager VM (core/manage.c) and the
 * console's Ctrl-T l show. Plain counters, each bumped where its event
 * happens with one increment (relaxed atomic where several CPUs count);
 * readers take them without a lock: they are informational.
 */
#ifndef TESSERA_VM_STATS_H
#define TESSERA_VM_STATS_H

#include <tessera/types.h>
#include <tessera/vm_control.h>

#define VM_STATS_EC_COUNT 64   /* ESR_EL2.EC is 6 bits (DDI 0487 J.a D19.2.46) */
#define VM_STOP_REASON_MAX 64

/* A VM's exits are counted per vCPU (vcpu.exits: its own CPU only, no sharing on the trap path). */
struct vm_stats {
	u64 irqs_injected;            /* virtual interrupts made pending: vgic_inject, _hw, _hw_spi, a level rising */
	u64 console_bytes;            /* bytes the guest wrote to its vUART */
	u64 faults;                   /* guest faults reported (injected or stopping it) */
	u64 watchdog_expiries;
	u64 started_at;               /* CNTPCT_EL0 at its last start: uptime's origin */
	unsigned int restarts_in_row; /* policy restarts since the last start asked by a person */
	enum vm_event last_stop_event;
	bool stopped_once;            /* last_stop_* are set */
	char last_stop_reason[VM_STOP_REASON_MAX];
};

/* Counts one event of @vm's (any CPU): `VM_STAT_INC(vm, irqs_injected);` */
#define VM_STAT_INC(vm, field) __atomic_fetch_add(&(vm)->stats.field, 1, __ATOMIC_RELAXED)

#endif
