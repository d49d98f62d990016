/*
 * The per-VM SBSA Generic Watchdog (Arm DEN 0029, Server Base System
 * Architecture, "Generic Watchdog"), as Linux's sbsa_gwdt and RTOSes drive
 * it: a refresh frame (WRR) and a control frame (WCS, WOR, WCV), 4 KiB each,
 * at the IPAs the VM's config gives (vm_config.watchdog), timed by the system
 * counter. Its first expiry (WS0) raises the VM's configured SPI; the second
 * (WS1) is the VM's watchdog expiry: vm_event(VM_EVENT_WATCHDOG).
 */
#ifndef VIRT_VWDT_H
#define VIRT_VWDT_H

#include <tessera/el2_timer.h>
#include <tessera/emul.h>
#include <tessera/spinlock.h>
#include <tessera/types.h>

struct vm;

#define VWDT_FRAME_SIZE SZ_4K

/* DEN 0029, Generic Watchdog register frames: offsets (as Linux's sbsa_gwdt names them). */
#define VWDT_WRR 0x000    /* refresh frame: any write is an explicit refresh */
#define VWDT_WCS 0x000    /* control frame: control and status */
#define VWDT_WOR 0x008    /* offset: 32 bits at architecture version 0 */
#define VWDT_WCV 0x010    /* compare value, 64 bits (two words) */
#define VWDT_W_IIDR 0xfcc /* in both frames */

#define VWDT_WCS_EN BIT(0)
#define VWDT_WCS_WS0 BIT(1)
#define VWDT_WCS_WS1 BIT(2)

struct vwdt {
	struct vm *vm;
	struct spinlock lock; /* the registers and the timer's deadline */
	u32 intid;            /* WS0's SPI */
	u32 wcs;              /* EN, WS0, WS1 */
	u32 wor;
	u64 wcv;
	struct el2_timer timer;
	bool ws1_unreported;   /* set by a register write, reported once the lock is dropped */
	unsigned int expiries; /* WS1s over the VM's lifetime (a figure; survives restarts) */
};

/* Boot: @vm's watchdog with WS0 on @intid, disabled. */
void vwdt_init(struct vwdt *wdt, struct vm *vm, u32 intid);
/* A (re)start, the VM not running: disabled, WS0 low, as after a reset. */
void vwdt_reset(struct vwdt *wdt);
/* The VM stops: its watchdog stops counting (a restart resets it). */
void vwdt_stop(struct vwdt *wdt);
enum mmio_result vwdt_refresh_access(void *dev, struct mmio_access *acc);
enum mmio_result vwdt_control_access(void *dev, struct mmio_access *acc);

#endif
