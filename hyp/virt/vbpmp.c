/*
 * A VM's virtual BPMP (virt/vbpmp.h): the guest's channels in SRAM pages
 * Tessera owns, its HSP doorbells (vhsp.c), and the mediation of each
 * request it sends:
 *  - on each ring of the BPMP doorbell, every channel's reset handshake
 *    steps (Tessera is the BPMP side: its IVC tx queue is the guest's rx
 *    queue), answered in the trap itself, because Linux busy-polls it
 *    (bpmp-tegra186.c tegra186_bpmp_channel_reset);
 *  - then at most one request is taken, as a private copy (ivc.c) the guest
 *    can no longer change, and checked (vbpmp_filter.c): refused, it is
 *    answered at once with the BPMP error; allowed, it goes to the real BPMP
 *    (drivers/bpmp.h) and the VM sends nothing more until that request's
 *    answer or timeout is back in the guest's rx frame of its channel;
 *  - the answer rings the guest's CCPLEX doorbell as the BPMP would: when
 *    the request asked for it (MSG_RING, bpmp-abi.h), or on a handshake step.
 * Each restart is a new life: a request of an old life is dropped, its
 * answer discarded.
 *
 * Locking: vbpmp.lock guards the VM's channels, HSP and request; taken on
 * the VM's CPUs (traps) and the CPU taking the BPMP's interrupts. Inside it:
 * bpmp.lock (bpmp_cancel) and the vGIC's lock (vgic_set_level). bpmp_submit
 * is called without it.
 */
#include <arch/pgtable.h>
#include <drivers/bpmp.h>
#include <drivers/bpmp_ivc.h>
#include <string.h>
#include <tessera/compiler.h>
#include <tessera/console.h>
#include <tessera/cpu.h>
#include <tessera/spinlock.h>
#include <tessera/vm.h>
#include <virt/vbpmp.h>
#include <virt/vbpmp_filter.h>
#include <virt/vgic.h>
#include <virt/vhsp.h>

/* Refused requests printed per VM, as guest faults are (fault.c): the first ones only. */
#define VBPMP_REPORTS_PER_VM 8

/* A refused request, printed once the lock is dropped: printk may wait on the console. */
struct vbpmp_refusal {
	u32 mrq;
	u32 word[2]; /* the payload's first words: sub-command and ID, for MRQ_CLK/RESET/PG */
	int err;     /* -BPMP_E*, as answered */
};

_Static_assert(VBPMP_CHANNEL_STRIDE == IVC_HEADER_SIZE + BPMP_MSG_SIZE, "one frame a channel");
_Static_assert((VBPMP_CPU_RX_CHANNEL + 1) * VBPMP_CHANNEL_STRIDE <= VBPMP_SRAM_POOL_SIZE,
	       "every channel is in its pool");

struct vbpmp {
	struct vm *vm; /* NULL: slot free */
	const struct vbpmp_config *cfg;
	u8 *sram;             /* VBPMP_SRAM_SIZE: the guest's tx pool, then its rx pool */
	struct spinlock lock; /* everything below */
	struct ivc chan[VBPMP_CHANNELS];
	struct vhsp hsp;
	bool line;              /* the doorbell interrupt's level, as last driven */
	unsigned int next_chan; /* where the next look for a request starts */
	u32 life;               /* + 1 at each reset and stop */
	bool busy;              /* xfer is with the BPMP driver, or on its way there */
	u32 xfer_life;          /* the life that sent it */
	unsigned int xfer_chan; /* the channel it came on */
	bool xfer_ring;         /* it asked for a ring with the answer (MSG_RING) */
	struct bpmp_xfer xfer;
	u32 refused;                  /* refusals so far, all lives */
	bool report_pending;          /* report holds one not printed yet */
	struct vbpmp_refusal report;
};

static struct vbpmp vbpmps[CONFIG_MAX_VMS];
/* Tessera's SRAM for the VMs: pages of their own, never memory a VM can give back. */
static u8 sram_pool[CONFIG_MAX_VMS][VBPMP_SRAM_SIZE] __aligned(SZ_4K);

static struct vbpmp *vbpmp_of(const struct vm *vm)
{
	for (unsigned int i = 0; i < CONFIG_MAX_VMS; i++)
		if (vbpmps[i].vm == vm)
			return &vbpmps[i];
	return NULL;
}

static u32 channel_number(unsigned int c)
{
	return c < VBPMP_REQUEST_CHANNELS ? c : VBPMP_CPU_RX_CHANNEL;
}

static void sync_line(struct vbpmp *vb)
{
	bool level = vhsp_line(&vb->hsp);

	if (level != vb->line) {
		vb->line = level;
		vgic_set_level(vb->vm, vb->cfg->intid, level);
	}
}

/* Answers channel @c: the BPMP's @answer, or (NULL) an mrq_response carrying @err. */
static void answer(struct vbpmp *vb, unsigned int c, int err, const u8 *bpmp_answer, bool ring)
{
	u8 frame[BPMP_MSG_SIZE] = { 0 };
	s32 code = err;

	if (bpmp_answer)
		memcpy(frame, bpmp_answer, sizeof(frame));
	else
		memcpy(frame, &code, sizeof(code));
	ivc_sync_from_peer(&vb->chan[c]);
	/* A guest that left the last answer unread loses this one: its rx frame is full. */
	(void)ivc_write_frame(&vb->chan[c], frame, sizeof(frame));
	ivc_sync_to_peer(&vb->chan[c]);
	if (ring)
		vhsp_ring_ccplex(&vb->hsp, HSP_MASTER_BPMP);
}

/* Every channel's handshake, one step; the BPMP rings back on a change. */
static void step_handshakes(struct vbpmp *vb)
{
	bool changed = false;

	for (unsigned int c = 0; c < VBPMP_CHANNELS; c++) {
		ivc_sync_from_peer(&vb->chan[c]);
		if (ivc_notified(&vb->chan[c])) {
			ivc_sync_to_peer(&vb->chan[c]);
			changed = true;
		}
	}
	if (changed)
		vhsp_ring_ccplex(&vb->hsp, HSP_MASTER_BPMP);
}

/* Under the lock: keeps @msg's refusal for report_refusal(), within the limit. */
static void note_refusal(struct vbpmp *vb, const u8 *msg, int err)
{
	if (vb->refused++ >= VBPMP_REPORTS_PER_VM)
		return;
	vb->report_pending = true;
	vb->report.err = err;
	memcpy(&vb->report.mrq, msg, sizeof(vb->report.mrq));
	memcpy(vb->report.word, msg + BPMP_MSG_HEADER_SIZE, sizeof(vb->report.word));
}

static const char *refusal_reason(int err)
{
	switch (-err) {
	case BPMP_EPERM:
		return "an ID none of its devices has";
	case BPMP_EBADCMD:
		return "a sub-command Tessera does not pass on";
	case BPMP_ENODEV:
		return "a request Tessera does not pass on";
	case BPMP_ETIMEDOUT:
		return "the BPMP did not answer in time (drivers/bpmp.h BPMP_TIMEOUT_MS)";
	default:
		return "malformed";
	}
}

/* Prints the refusal note_refusal() kept, if any; called without the lock. */
static void report_refusal(struct vbpmp *vb)
{
	struct vbpmp_refusal r;
	bool last;

	spin_lock(&vb->lock);
	if (!vb->report_pending) {
		spin_unlock(&vb->lock);
		return;
	}
	vb->report_pending = false;
	r = vb->report;
	last = vb->refused >= VBPMP_REPORTS_PER_VM;
	spin_unlock(&vb->lock);
	printk("vbpmp: VM %s: MRQ %u (payload 0x%x 0x%x) %s, error %d: %s%s\n",
	       vb->vm->name, r.mrq, r.word[0], r.word[1],
	       r.err == -BPMP_ETIMEDOUT ? "failed" : "refused", r.err, refusal_reason(r.err),
	       last ? "; further refusals are not reported" : "");
}

/*
 * Under the lock, when no request is out: reads the request channels in
 * turn; refused requests are answered, the first allowed one becomes xfer.
 * True when xfer is to be submitted (after the lock is released).
 */
static bool take_request(struct vbpmp *vb)
{
	u8 msg[BPMP_MSG_SIZE];

	if (vb->busy)
		return false;
	for (unsigned int i = 0; i < VBPMP_REQUEST_CHANNELS; i++) {
		unsigned int c = (vb->next_chan + i) % VBPMP_REQUEST_CHANNELS;
		enum ivc_result r;
		u32 flags;
		int err;

		ivc_sync_from_peer(&vb->chan[c]);
		r = ivc_read_frame(&vb->chan[c], msg, sizeof(msg));
		ivc_sync_to_peer(&vb->chan[c]);
		if (r != IVC_OK)
			continue; /* empty, not established, or counters the guest broke */
		memcpy(&flags, msg + 4, sizeof(flags));
		err = vbpmp_filter(&vb->cfg->allow, msg, sizeof(msg));
		if (err) {
			answer(vb, c, err, NULL, flags & BPMP_MSG_RING);
			note_refusal(vb, msg, err);
			continue;
		}
		memcpy(vb->xfer.msg, msg, sizeof(msg));
		vb->busy = true;
		vb->xfer_life = vb->life;
		vb->xfer_chan = c;
		vb->xfer_ring = flags & BPMP_MSG_RING;
		vb->next_chan = (c + 1) % VBPMP_REQUEST_CHANNELS; /* the other channels go first next */
		return true;
	}
	return false;
}

/* Sends xfer to the BPMP driver, no lock held; what it refuses is answered here. */
static void forward(struct vbpmp *vb)
{
	bool again = true;

	while (again) {
		int err = bpmp_submit(&vb->xfer);

		if (!err)
			return;
		spin_lock(&vb->lock);
		vb->busy = false;
		if (vb->xfer_life == vb->life)
			answer(vb, vb->xfer_chan, err, NULL, vb->xfer_ring);
		again = take_request(vb);
		sync_line(vb);
		spin_unlock(&vb->lock);
		report_refusal(vb);
	}
}

static void xfer_done(struct bpmp_xfer *xfer)
{
	struct vbpmp *vb = (struct vbpmp *)((u8 *)xfer - offsetof(struct vbpmp, xfer));
	bool more;

	spin_lock(&vb->lock);
	vb->busy = false;
	if (vb->xfer_life == vb->life)
		answer(vb, vb->xfer_chan, xfer->status, xfer->status ? NULL : xfer->msg, vb->xfer_ring);
	if (xfer->status == -BPMP_ETIMEDOUT)
		note_refusal(vb, xfer->msg, xfer->status); /* msg is still the request */
	more = take_request(vb);
	sync_line(vb);
	spin_unlock(&vb->lock);
	report_refusal(vb);
	if (more)
		forward(vb);
}

static enum mmio_result hsp_access(void *dev, struct mmio_access *acc)
{
	struct vbpmp *vb = dev;
	enum mmio_result r;
	bool submit = false;

	spin_lock(&vb->lock);
	r = vhsp_access(&vb->hsp, acc);
	if (vhsp_take_ring(&vb->hsp)) {
		step_handshakes(vb);
		submit = take_request(vb);
	}
	sync_line(vb);
	spin_unlock(&vb->lock);
	report_refusal(vb);
	if (submit)
		forward(vb);
	return r;
}

/* Under the lock, or before the VM runs: the request out is dropped, a new life begins. */
static void drop_request(struct vbpmp *vb)
{
	vb->life++;
	if (vb->busy && bpmp_cancel(&vb->xfer))
		vb->busy = false;
	/* Still busy: on its way to the driver; its done() comes and finds an old life. */
}

bool vbpmp_vm_create(struct vm *vm)
{
	const struct vbpmp_config *cfg = &vm->cfg->vbpmp;
	struct vbpmp *vb = vbpmp_of(vm);

	if (!vb)
		vb = vbpmp_of(NULL); /* a VM built again (host tests) keeps its slot */
	if (!vb)
		return false;
	*vb = (struct vbpmp){ .vm = vm, .cfg = cfg, .sram = sram_pool[vb - vbpmps] };
	vb->xfer.done = xfer_done;
	/* Normal memory, read-write, never executable, for the guest; only the CPU reaches it. */
	if (pt_map(&vm->s2, cfg->sram_ipa, (uintptr_t)vb->sram, VBPMP_SRAM_SIZE, PT_R | PT_W) ||
	    !vm_add_emul(vm, "vbpmp-hsp", cfg->hsp_ipa, VBPMP_HSP_SIZE, vb, hsp_access)) {
		vb->vm = NULL;
		return false;
	}
	return true;
}

void vbpmp_vm_reset(struct vm *vm)
{
	struct vbpmp *vb = vbpmp_of(vm);

	if (!vb)
		return;
	spin_lock(&vb->lock);
	drop_request(vb);
	memset(vb->sram, 0, VBPMP_SRAM_SIZE);
	for (unsigned int c = 0; c < VBPMP_CHANNELS; c++) {
		u32 offset = channel_number(c) * VBPMP_CHANNEL_STRIDE;

		/* Tessera is the BPMP side: it writes the rx pool's queue, reads the tx pool's. */
		(void)ivc_init(&vb->chan[c], vb->sram + VBPMP_SRAM_POOL_SIZE + offset,
			       vb->sram + offset, VBPMP_CHANNEL_STRIDE, 1, BPMP_MSG_SIZE);
	}
	dcache_clean_poc((uintptr_t)vb->sram, (uintptr_t)vb->sram + VBPMP_SRAM_SIZE);
	vhsp_reset(&vb->hsp);
	vb->next_chan = 0;
	vb->line = false;
	vgic_set_level(vm, vb->cfg->intid, false);
	spin_unlock(&vb->lock);
}

void vbpmp_vm_stop(struct vm *vm)
{
	struct vbpmp *vb = vbpmp_of(vm);

	if (!vb)
		return;
	spin_lock(&vb->lock);
	drop_request(vb);
	spin_unlock(&vb->lock);
}
