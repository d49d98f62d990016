/*
 * Tessera's channel to the BPMP (drivers/bpmp.h). The channel layout is
 * Linux's for Tegra186 to 234 (drivers/firmware/tegra/bpmp-tegra186.c,
 * bpmp.c tegra186_soc; read, not copied): channel i is one IVC queue pair of
 * one 128-byte frame, its CPU-to-BPMP queue at tx pool + i * 256 and its
 * BPMP-to-CPU queue at rx pool + i * 256; requests carry MSG_ACK | MSG_RING
 * (tegra_bpmp_write_threaded), so the BPMP rings the CCPLEX doorbell with
 * the answer.
 *
 * Bounds. One request on the channel; the next waits for its answer or its
 * timeout (BPMP_TIMEOUT_MS). A request the BPMP does not answer in time is
 * completed with -BPMP_ETIMEDOUT and its answer, if it ever comes, is owed:
 * the next answers drained are dropped until the debt is paid (answers come
 * in request order on one queue pair). A request the channel cannot take
 * (the BPMP has not read the previous one: the one frame is full) waits the
 * same bound, then fails the same way; sent late in its wait, it keeps what
 * is left of it. So a dead BPMP costs each queued request at most
 * BPMP_TIMEOUT_MS from when it heads the queue, and stalls no VM for ever.
 *
 * Timing: one EL2 timer (core/el2_timer.c). The CPU that starts a wait arms
 * it at the deadline on its own CNTHP; its callback checks the one deadline
 * that is current, so a stale one is harmless.
 *
 * Locking: bpmp.lock guards the queue, the channel and the deadline. It is
 * never held while waiting for the BPMP (nothing waits after boot), and
 * done() is called without it. It nests inside a virtual BPMP's lock
 * (vbpmp.c calls bpmp_cancel under its own), never the other way.
 */
#include <arch/sysregs.h>
#include <drivers/bpmp.h>
#include <drivers/bpmp_ivc.h>
#include <drivers/gicv3.h>
#include <drivers/tegra_hsp.h>
#include <mmio.h>
#include <string.h>
#include <tessera/console.h>
#include <tessera/el2_timer.h>
#include <tessera/mmu.h>
#include <tessera/spinlock.h>

/* One frame of MSG_MIN_SZ, 64-byte aligned (tegra_ivc_align): a 256-byte channel. */
#define BPMP_CHANNEL_SIZE (IVC_HEADER_SIZE + BPMP_MSG_SIZE)

static struct {
	bool present;
	struct spinlock lock;
	u64 db_ccplex, db_bpmp; /* the two doorbells' registers, at EL2 */
	u32 db_intid, master;
	struct el2_timer timer;
	u64 timeout_ticks;
	struct ivc ivc;
	struct bpmp_xfer *head, *tail; /* waiting for the channel, oldest first */
	struct bpmp_xfer *on_channel;  /* sent, answer awaited; NULL when none */
	u64 deadline;                  /* of on_channel, or of head's wait; 0: none */
	u32 owed;                      /* answers to requests given up on, to drop */
} bpmp;

static u64 now(void)
{
	return el2_timer_now();
}

static void arm_timer(u64 deadline)
{
	el2_timer_arm(&bpmp.timer, deadline);
}

static void timed_out(struct el2_timer *timer);

static void ring_bpmp(void)
{
	mmio_write32(bpmp.db_bpmp + HSP_DB_TRIGGER, 1);
}

/* One handshake step on a ring from the BPMP; rings back on a change. True on a change. */
static bool step_handshake(void)
{
	ivc_sync_from_peer(&bpmp.ivc);
	if (!ivc_notified(&bpmp.ivc))
		return false;
	ivc_sync_to_peer(&bpmp.ivc);
	ring_bpmp();
	return true;
}

static bool handshake(u64 bound_ticks)
{
	u64 start = now();

	ivc_reset(&bpmp.ivc);
	ivc_sync_to_peer(&bpmp.ivc);
	ring_bpmp();
	while (now() - start < bound_ticks) {
		step_handshake();
		if (ivc_established(&bpmp.ivc))
			return true;
	}
	return false;
}

bool bpmp_init(const struct platform *plat, u64 boot_mpidr)
{
	const struct platform_bpmp *p = &plat->bpmp;
	u64 ms = read_sysreg(cntfrq_el0) / 1000;
	u64 page;

	memset(&bpmp, 0, sizeof(bpmp));
	if (!p->present)
		return false;
	if (mmu_map_device(p->hsp.base, p->hsp.size) || mmu_map_ram(p->tx.base, p->tx.size) ||
	    mmu_map_ram(p->rx.base, p->rx.size)) {
		printk("tessera: BPMP: its HSP or SYSRAM pools cannot be mapped; VMs get no BPMP\n");
		return false;
	}
	page = hsp_doorbell_page(mmio_read32(p->hsp.base + HSP_DIMENSIONING));
	if (page + (HSP_DB_BPMP + 1) * HSP_DB_STRIDE > p->hsp.size || p->db_master >= 32 ||
	    !ivc_init(&bpmp.ivc, (void *)(p->tx.base + BPMP_HOST_CHANNEL * BPMP_CHANNEL_SIZE),
		      (void *)(p->rx.base + BPMP_HOST_CHANNEL * BPMP_CHANNEL_SIZE),
		      p->tx.size < p->rx.size ? p->tx.size : p->rx.size, 1, BPMP_MSG_SIZE)) {
		printk("tessera: BPMP: its HSP or pools are too small for a channel; VMs get no BPMP\n");
		return false;
	}
	bpmp.db_ccplex = p->hsp.base + page + HSP_DB_CCPLEX * HSP_DB_STRIDE;
	bpmp.db_bpmp = p->hsp.base + page + HSP_DB_BPMP * HSP_DB_STRIDE;
	bpmp.master = p->db_master;
	bpmp.db_intid = p->hsp_doorbell_intid;
	bpmp.timer = EL2_TIMER_INIT(timed_out);
	bpmp.timeout_ticks = BPMP_TIMEOUT_MS * ms;
	/* The BPMP may ring us (tegra_hsp_doorbell_startup), then the handshake. */
	mmio_write32(bpmp.db_ccplex + HSP_DB_ENABLE,
		     mmio_read32(bpmp.db_ccplex + HSP_DB_ENABLE) | (u32)BIT(bpmp.master));
	if (!handshake(BPMP_HANDSHAKE_MS * ms)) {
		printk("tessera: BPMP: no answer to the channel reset in %u ms; VMs get no BPMP\n",
		       BPMP_HANDSHAKE_MS);
		return false;
	}
	/* The handshake's rings are seen: clear them before the interrupt is taken. */
	mmio_write32(bpmp.db_ccplex + HSP_DB_PENDING, mmio_read32(bpmp.db_ccplex + HSP_DB_PENDING));
	gic_set_spi_trigger(bpmp.db_intid, false);
	gic_enable_spi(bpmp.db_intid, boot_mpidr);
	bpmp.present = true;
	printk("tessera: BPMP: channel %u up (HSP 0x%llx, interrupt %u)\n", BPMP_HOST_CHANNEL,
	       (unsigned long long)p->hsp.base, bpmp.db_intid);
	return true;
}

/* Puts @xfer on the channel with Tessera's flags; false when the channel cannot take it. */
static bool send(struct bpmp_xfer *xfer)
{
	u32 flags = BPMP_MSG_ACK | BPMP_MSG_RING;
	enum ivc_result r;

	memcpy(xfer->msg + 4, &flags, sizeof(flags));
	ivc_sync_from_peer(&bpmp.ivc);
	r = ivc_write_frame(&bpmp.ivc, xfer->msg, BPMP_MSG_SIZE);
	ivc_sync_to_peer(&bpmp.ivc);
	if (r != IVC_OK)
		return false;
	ring_bpmp();
	return true;
}

static void finish(struct bpmp_xfer *xfer, int status, struct bpmp_xfer **done)
{
	xfer->status = status;
	xfer->held = false;
	xfer->next = *done;
	*done = xfer;
}

static struct bpmp_xfer *pop_head(void)
{
	struct bpmp_xfer *xfer = bpmp.head;

	bpmp.head = xfer->next;
	if (!bpmp.head)
		bpmp.tail = NULL;
	bpmp.deadline = 0;
	return xfer;
}

/*
 * Moves the channel on, under the lock: an expired request fails (only when
 * @done is given: from the interrupts, so no caller of submit or cancel sees
 * another's done() run under its locks), then the oldest waiting one is sent
 * or, when the channel cannot take it, waits until its deadline.
 */
static void pump(struct bpmp_xfer **done)
{
	u64 t = now();

	if (done && bpmp.on_channel && t >= bpmp.deadline) {
		finish(bpmp.on_channel, -BPMP_ETIMEDOUT, done);
		bpmp.on_channel = NULL;
		bpmp.owed++;
		bpmp.deadline = 0;
	}
	while (!bpmp.on_channel && bpmp.head) {
		if (send(bpmp.head)) {
			/* One bound a request, from when it heads the queue: a wait for the channel counts. */
			u64 deadline = bpmp.deadline ? bpmp.deadline : t + bpmp.timeout_ticks;

			bpmp.on_channel = pop_head();
			bpmp.deadline = deadline;
			arm_timer(bpmp.deadline);
		} else if (!bpmp.deadline) {
			bpmp.deadline = t + bpmp.timeout_ticks;
			arm_timer(bpmp.deadline);
			return;
		} else if (done && t >= bpmp.deadline) {
			finish(pop_head(), -BPMP_ETIMEDOUT, done);
		} else {
			return;
		}
	}
}

static void complete(struct bpmp_xfer *done)
{
	while (done) {
		struct bpmp_xfer *next = done->next; /* done() may submit it again */

		done->done(done);
		done = next;
	}
}

int bpmp_submit(struct bpmp_xfer *xfer)
{
	int err = 0;

	spin_lock(&bpmp.lock);
	if (!bpmp.present) {
		err = -BPMP_ENODEV;
	} else if (xfer->held) {
		err = -BPMP_EINVAL;
	} else {
		xfer->held = true;
		xfer->next = NULL;
		if (bpmp.tail)
			bpmp.tail->next = xfer;
		else
			bpmp.head = xfer;
		bpmp.tail = xfer;
		pump(NULL);
	}
	spin_unlock(&bpmp.lock);
	return err;
}

bool bpmp_cancel(struct bpmp_xfer *xfer)
{
	bool held;

	spin_lock(&bpmp.lock);
	held = xfer->held;
	if (xfer == bpmp.on_channel) {
		bpmp.on_channel = NULL;
		bpmp.deadline = 0;
		bpmp.owed++; /* its answer is drained and dropped when it comes */
	} else if (held) {
		struct bpmp_xfer **link = &bpmp.head, *prev = NULL;

		while (*link != xfer) {
			prev = *link;
			link = &(*link)->next;
		}
		if (xfer == bpmp.head)
			bpmp.deadline = 0; /* the next one waits its own bound */
		*link = xfer->next;
		if (bpmp.tail == xfer)
			bpmp.tail = prev;
	}
	xfer->held = false;
	if (held)
		pump(NULL);
	spin_unlock(&bpmp.lock);
	return held;
}

/* Answers on the channel: each to the request on it, or dropped when owed. */
static void take_answers(struct bpmp_xfer **done)
{
	u8 answer[BPMP_MSG_SIZE];

	for (;;) {
		ivc_sync_from_peer(&bpmp.ivc);
		if (ivc_read_frame(&bpmp.ivc, answer, sizeof(answer)) != IVC_OK)
			break;
		ivc_sync_to_peer(&bpmp.ivc);
		if (bpmp.owed) {
			bpmp.owed--;
		} else if (bpmp.on_channel) {
			memcpy(bpmp.on_channel->msg, answer, sizeof(answer));
			finish(bpmp.on_channel, 0, done);
			bpmp.on_channel = NULL;
			bpmp.deadline = 0;
		}
		/* else an answer to nothing Tessera sent: dropped */
	}
	ivc_sync_to_peer(&bpmp.ivc);
}

/* Its timer: a request past its deadline fails; a wait still current is re-armed. */
static void timed_out(struct el2_timer *timer)
{
	struct bpmp_xfer *done = NULL;

	(void)timer;
	spin_lock(&bpmp.lock);
	pump(&done);
	if (bpmp.deadline)
		arm_timer(bpmp.deadline);
	spin_unlock(&bpmp.lock);
	complete(done);
}

bool bpmp_irq(u32 intid)
{
	struct bpmp_xfer *done = NULL;
	u32 pending;

	if (!bpmp.present || intid != bpmp.db_intid)
		return false;
	pending = mmio_read32(bpmp.db_ccplex + HSP_DB_PENDING);
	mmio_write32(bpmp.db_ccplex + HSP_DB_PENDING, pending);
	spin_lock(&bpmp.lock);
	if (step_handshake()) {
		/*
		 * The BPMP reset the channel: what was on it is lost, nothing is
		 * owed. A request waiting for the channel keeps its deadline: a
		 * BPMP resetting again and again must not hold it for ever.
		 */
		if (bpmp.on_channel) {
			finish(bpmp.on_channel, -BPMP_ETIMEDOUT, &done);
			bpmp.deadline = 0;
		}
		bpmp.on_channel = NULL;
		bpmp.owed = 0;
	} else {
		take_answers(&done);
	}
	pump(&done);
	spin_unlock(&bpmp.lock);
	complete(done);
	return true;
}
