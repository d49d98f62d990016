/*
 * SBSA Generic Watchdog emulation (virt/vwdt.h). Arm DEN 0029, "Generic
 * Watchdog" ("Watchdog operation", "Register summary"):
 * - an explicit refresh (a write to WRR, WOR or WCS) sets WCV to the system
 *   count + WOR and clears WS0 and WS1;
 * - while enabled, when the system count exceeds WCV: if WS0 is clear it is
 *   set (the WS0 signal, here the configured SPI, level) and WCV becomes
 *   WCV + WOR (a timeout refresh); if WS0 is already set, WS1 is set: the
 *   second signal, which on a system resets it; here the VM's policy
 *   (vm_event).
 * Time is counted at the deadline, not when EL2 notices: a late interrupt
 * gives the guest exactly what the comparator would have.
 * Architecture version 0 (W_IIDR): WOR is 32 bits, as sbsa_gwdt then writes
 * it (writel); WCV is 64 bits, in two words (sbsa_gwdt: lo_hi_readq).
 */
#include <tessera/console.h>
#include <tessera/vm.h>
#include <tessera/vm_control.h>
#include <virt/vgic.h>
#include <virt/vwdt.h>

static void expire(struct el2_timer *timer);

/* Drives WS0's line (level) into the running VM. Under wdt->lock. */
static void drive_ws0(struct vwdt *wdt)
{
	struct vm *vm = wdt->vm;

	spin_lock(&vm->lock);
	if (vm_running_locked(vm))
		vgic_set_level(vm, wdt->intid, (wdt->wcs & VWDT_WCS_WS0) != 0);
	spin_unlock(&vm->lock);
}

/*
 * The comparator at @now: timeout refreshes and WS1, then the timer armed at
 * the next moment it would act. Under wdt->lock; true when WS1 was just set.
 */
static bool evaluate(struct vwdt *wdt, u64 now)
{
	bool ws1 = false;

	if (wdt->wcs & VWDT_WCS_EN) {
		if (!(wdt->wcs & VWDT_WCS_WS0) && now > wdt->wcv) {
			wdt->wcs |= VWDT_WCS_WS0;
			wdt->wcv += wdt->wor;
			drive_ws0(wdt);
		}
		if ((wdt->wcs & VWDT_WCS_WS0) && !(wdt->wcs & VWDT_WCS_WS1) && now > wdt->wcv) {
			wdt->wcs |= VWDT_WCS_WS1;
			wdt->expiries++;
			ws1 = true;
		}
	}
	if ((wdt->wcs & VWDT_WCS_EN) && !(wdt->wcs & VWDT_WCS_WS1))
		el2_timer_arm(&wdt->timer, wdt->wcv == ~0ULL ? ~0ULL : wdt->wcv + 1);
	else
		el2_timer_cancel(&wdt->timer);
	return ws1;
}

static void report_ws1(struct vwdt *wdt)
{
	printk("tessera: VM %s: watchdog expired (WS1, expiry %u)\n", wdt->vm->name, wdt->expiries);
	vm_event(wdt->vm, VM_EVENT_WATCHDOG, "watchdog expired");
}

/* The timer: the comparator's next moment came (or a stale hint: evaluate decides). */
static void expire(struct el2_timer *timer)
{
	struct vwdt *wdt = (struct vwdt *)((char *)timer - __builtin_offsetof(struct vwdt, timer));
	bool ws1;

	spin_lock(&wdt->lock);
	ws1 = evaluate(wdt, el2_timer_now());
	spin_unlock(&wdt->lock);
	if (ws1)
		report_ws1(wdt); /* no lock held: the policy may reset this watchdog */
}

void vwdt_init(struct vwdt *wdt, struct vm *vm, u32 intid)
{
	wdt->vm = vm;
	wdt->intid = intid;
	wdt->timer = EL2_TIMER_INIT(expire);
	wdt->expiries = 0;
	vwdt_reset(wdt);
}

void vwdt_reset(struct vwdt *wdt)
{
	spin_lock(&wdt->lock);
	el2_timer_cancel(&wdt->timer);
	wdt->wcs = 0;
	wdt->wor = 0;
	wdt->wcv = 0;
	spin_unlock(&wdt->lock);
}

void vwdt_stop(struct vwdt *wdt)
{
	spin_lock(&wdt->lock);
	wdt->wcs &= ~VWDT_WCS_EN;
	el2_timer_cancel(&wdt->timer);
	spin_unlock(&wdt->lock);
}

/* An explicit refresh, then the comparator. Under the lock (register callbacks). */
static void explicit_refresh(struct vwdt *wdt)
{
	u64 now = el2_timer_now();
	bool ws0 = wdt->wcs & VWDT_WCS_WS0;

	wdt->wcv = now + wdt->wor;
	wdt->wcs &= ~(VWDT_WCS_WS0 | VWDT_WCS_WS1);
	if (ws0)
		drive_ws0(wdt);
	evaluate(wdt, now); /* WS1 cannot follow a refresh at once: WS0 is clear */
}

static void write_wrr(void *dev, u32 offset, u64 value)
{
	(void)offset;
	(void)value; /* any value refreshes */
	explicit_refresh(dev);
}

static u64 read_wcs(void *dev, u32 offset)
{
	(void)offset;
	return ((struct vwdt *)dev)->wcs;
}

static void write_wcs(void *dev, u32 offset, u64 value)
{
	struct vwdt *wdt = dev;

	(void)offset;
	wdt->wcs = (wdt->wcs & ~VWDT_WCS_EN) | ((u32)value & VWDT_WCS_EN); /* WS0, WS1: read-only */
	explicit_refresh(wdt);
}

static u64 read_wor(void *dev, u32 offset)
{
	(void)offset;
	return ((struct vwdt *)dev)->wor;
}

static void write_wor(void *dev, u32 offset, u64 value)
{
	struct vwdt *wdt = dev;

	(void)offset;
	wdt->wor = (u32)value;
	explicit_refresh(wdt);
}

/* WCV: its low word at 0x10, its high word at 0x14. */
static u64 read_wcv(void *dev, u32 offset)
{
	u64 wcv = ((struct vwdt *)dev)->wcv;

	return (u32)(offset == VWDT_WCV ? wcv : wcv >> 32);
}

static void write_wcv(void *dev, u32 offset, u64 value)
{
	struct vwdt *wdt = dev;

	if (offset == VWDT_WCV)
		wdt->wcv = (wdt->wcv & ~0xffffffffULL) | (u32)value;
	else
		wdt->wcv = (wdt->wcv & 0xffffffffULL) | (u64)(u32)value << 32;
	/* Not a refresh (WS0, WS1 stay): the comparator now compares with this value. */
	wdt->ws1_unreported |= evaluate(wdt, el2_timer_now());
}

/*
 * One word at each register (DEN 0029: 32-bit registers, WCV as two words,
 * as sbsa_gwdt reads it). Reserved offsets read as zero, ignore writes (emul.c).
 * W_IIDR reads 0: architecture version 0, no implementer claimed.
 */
static const struct emul_reg refresh_regs[] = {
	{ VWDT_WRR, 4, EMUL_W32, 0, 0, NULL, write_wrr },
	{ VWDT_W_IIDR, 4, EMUL_W32, 0, EMUL_CONST, NULL, NULL },
};

static const struct emul_reg control_regs[] = {
	{ VWDT_WCS, 4, EMUL_W32, 0, 0, read_wcs, write_wcs },
	{ VWDT_WOR, 4, EMUL_W32, 0, 0, read_wor, write_wor },
	{ VWDT_WCV, 8, EMUL_W32, 0, 0, read_wcv, write_wcv },
	{ VWDT_W_IIDR, 4, EMUL_W32, 0, EMUL_CONST, NULL, NULL },
};

enum mmio_result vwdt_refresh_access(void *dev, struct mmio_access *acc)
{
	struct vwdt *wdt = dev;

	return emul_regs_access_locked(refresh_regs, ARRAY_SIZE(refresh_regs), dev, acc, &wdt->lock);
}

enum mmio_result vwdt_control_access(void *dev, struct mmio_access *acc)
{
	struct vwdt *wdt = dev;
	enum mmio_result r;
	bool ws1;

	r = emul_regs_access_locked(control_regs, ARRAY_SIZE(control_regs), dev, acc, &wdt->lock);
	spin_lock(&wdt->lock);
	ws1 = wdt->ws1_unreported;
	wdt->ws1_unreported = false;
	spin_unlock(&wdt->lock);
	if (ws1)
		report_ws1(wdt); /* a WCV written into the past: no lock held, as from the timer */
	return r;
}
