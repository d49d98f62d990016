/*
 * The BPMP mediator (virt/vbpmp.c, vhsp.c, vbpmp_filter.c, drivers/bpmp/
 * bpmp.c, ivc.c) through the fake arch, forwarding to the BPMP model
 * (tests/unit/bpmp_model.h), under two hostile guests with different
 * allow-lists: HSP accesses of any offset, width and value, SRAM writes
 * anywhere in their two pages, well-formed requests, doorbells, restarts
 * and stops, mixed with the BPMP answering, answering late, falling silent
 * or resetting its channel, and time passing. Checked after every step:
 *  - every request the model receives was submitted by a VM whose
 *    allow-list names its clock/reset/power domain (checked here, apart
 *    from the filter) and which the filter accepts, and is the copy taken;
 *  - one VM's step changes neither the other's SRAM, nor its pending
 *    request, nor its interrupt line;
 *  - each answer written into a VM's rx frames answers one request of its
 *    current life, read in that step or on the BPMP for it (no answer goes
 *    to the other VM or to a later life);
 *  - a VM has at most one request submitted and unanswered, and nothing of
 *    a stopped VM is taken;
 *  - an idle VM's request, rung, is taken in the trap (unless the guest
 *    wrote its SRAM raw in this life: its channels may be broken);
 *  - once time passes, each one is answered within 2 * BPMP_TIMEOUT_MS of
 *    its submission (its own bound, after at most the other VM's).
 * The mediator's own calls of bpmp_submit, ivc_read_frame and
 * ivc_write_frame are seen through the linker's --wrap (fuzz.mk).
 *
 * Input: steps [op u8][fields]. op % 16 < 8 or > 12: VM (op >> 4) & 1 does
 * (op % 16) & 7: 0 HSP read, 1 HSP write ([offset u32][width u8][value
 * u64]), 2 SRAM write ([offset u16][value u32]: bit 8 a byte, else a
 * word), 3 ring, 4 request ([sel u8][cmd u8][id u8][id2 u8]), 5 read its
 * answers and ack its doorbell, 6 restart and boot, 7 stop. 8 time passes
 * ([u16] * 1/32768 s), 9 BPMP mode ([u8] % 3), 10 the BPMP answers one,
 * 11 it forgets one, 12 it resets its channel. FUZZ_TRACE=1: each step.
 */
#include "fuzz.h"

#include <drivers/bpmp.h>
#include <tessera/el2_timer.h>
#include <drivers/bpmp_abi.h>
#include <drivers/bpmp_ivc.h>
#include <drivers/tegra_hsp.h>
#include <tessera/vm.h>
#include <virt/vbpmp.h>
#include <virt/vbpmp_filter.h>
#include <virt/vhsp.h>

#include "bpmp_model.h"
#include "fake_arch.h"

#define HSP_IPA 0x0c000000ULL
#define SRAM_IPA 0x0c100000ULL
#define INTID(n) (40U + (n))
#define TICKS_PER_MS 1000ULL
#define TIMEOUT_TICKS (BPMP_TIMEOUT_MS * TICKS_PER_MS)
#define IRQ_SIDE 2 /* acting: the BPMP's or the timer's interrupt, not a VM */

struct guest {
	struct vm vm;
	struct vm_config cfg;
	u8 *sram;
	struct ivc chan[VBPMP_CHANNELS]; /* the guest's ends, as Linux's tegra-ivc */
	bool stopped;
	/* What the harness knows of the mediator's dealings with it. */
	struct bpmp_xfer *xfer;         /* its request buffer, learnt at its first submit */
	bool outstanding;               /* submitted, answer not yet written */
	u64 submitted_at;
	int outstanding_chan;
	unsigned int credits[VBPMP_CHANNELS]; /* requests read this step, not yet answered */
	int last_read_chan;
	unsigned int read_mask; /* channels a request was read from in this step */
	bool tampered;          /* its SRAM written raw in this life: its channels may be broken */
};

static struct guest guests[2];
static struct platform plat;
static int acting; /* 0, 1: that VM's step; IRQ_SIDE */
/* Requests submitted since the start of the last step, and by whom: what the model may see. */
static struct {
	u8 msg[BPMP_MSG_SIZE];
	int vm;
} submitted[MODEL_MAX_MSGS];
static unsigned int submitted_count;
static bool trace; /* FUZZ_TRACE=1: each step on stderr */

static void report(const char *what)
{
	fprintf(stderr, "invariant broken: %s\n", what);
	abort();
}

/* ---- what vbpmp.c needs of the rest of Tessera */

int pt_map(struct pgtable *pt, u64 va, u64 pa, u64 size, unsigned int prot)
{
	for (unsigned int i = 0; i < 2; i++) {
		if (pt != &guests[i].vm.s2)
			continue;
		FUZZ_CHECK(va == SRAM_IPA && size == VBPMP_SRAM_SIZE && prot == (PT_R | PT_W));
		guests[i].sram = (u8 *)(uintptr_t)pa;
		return 0;
	}
	report("pt_map of an unknown table");
	return -1;
}

bool vm_add_emul(struct vm *vm, const char *name, u64 base, u64 size, void *dev,
		 enum mmio_result (*access)(void *dev, struct mmio_access *acc))
{
	FUZZ_CHECK(base == HSP_IPA && size == VBPMP_HSP_SIZE);
	vm->emul[0] = (struct emul_device){ name, base, size, dev, access };
	vm->emul_count = 1;
	return true;
}

int mmu_map_device(u64 base, u64 size) { (void)base; (void)size; return 0; }
int mmu_map_ram(u64 base, u64 size) { (void)base; (void)size; return 0; }
void gic_set_spi_trigger(u32 intid, bool edge) { (void)intid; (void)edge; }
void gic_enable_spi(u32 intid, u64 mpidr) { (void)intid; (void)mpidr; }
void gic_enable_private(u32 intid) { (void)intid; }

/* ---- the mediator's calls, seen */

static u32 word(const void *msg, unsigned int i)
{
	u32 w;

	memcpy(&w, (const u8 *)msg + 4 * i, sizeof(w));
	return w;
}

int __real_bpmp_submit(struct bpmp_xfer *xfer);
enum ivc_result __real_ivc_read_frame(struct ivc *ivc, void *buf, u32 buf_size);
enum ivc_result __real_ivc_write_frame(struct ivc *ivc, const void *buf, u32 len);

static bool in_pool(const struct guest *g, const void *p, unsigned int pool)
{
	uintptr_t b = (uintptr_t)p, start = (uintptr_t)g->sram + pool * VBPMP_SRAM_POOL_SIZE;

	return g->sram && b >= start && b < start + VBPMP_SRAM_POOL_SIZE;
}

static int chan_index(const struct guest *g, const void *hdr, unsigned int pool)
{
	u32 n = (u32)(((const u8 *)hdr - g->sram - pool * VBPMP_SRAM_POOL_SIZE) / VBPMP_CHANNEL_STRIDE);

	if (n < VBPMP_REQUEST_CHANNELS)
		return (int)n;
	FUZZ_CHECK(n == VBPMP_CPU_RX_CHANNEL);
	return VBPMP_REQUEST_CHANNELS;
}

/* The mediator's end reads the VM's tx pool: a request taken. */
enum ivc_result __wrap_ivc_read_frame(struct ivc *ivc, void *buf, u32 buf_size)
{
	enum ivc_result r = __real_ivc_read_frame(ivc, buf, buf_size);

	for (int i = 0; i < 2; i++) {
		struct guest *g = &guests[i];

		if (!in_pool(g, ivc->rx, 0) || ivc == &g->chan[0] || in_pool(g, ivc->tx, 0))
			continue;
		if (r != IVC_OK)
			break;
		if (acting != i && acting != IRQ_SIDE)
			report("a VM's request taken in the other VM's step");
		if (g->stopped)
			report("a stopped VM's request taken");
		g->last_read_chan = chan_index(g, ivc->rx, 0);
		g->credits[g->last_read_chan]++;
		g->read_mask |= 1U << g->last_read_chan;
	}
	return r;
}

/* The mediator's end writes the VM's rx pool: an answer. */
enum ivc_result __wrap_ivc_write_frame(struct ivc *ivc, const void *buf, u32 len)
{
	for (int i = 0; i < 2; i++) {
		struct guest *g = &guests[i];
		int c;

		if (!in_pool(g, ivc->tx, 1))
			continue;
		c = chan_index(g, ivc->tx, 1);
		if (acting != i && acting != IRQ_SIDE)
			report("an answer written into a VM in the other VM's step");
		if (g->credits[c]) {
			g->credits[c]--;
		} else if (g->outstanding && g->outstanding_chan == c) {
			g->outstanding = false;
		} else {
			fprintf(stderr, "VM %d channel %d: answer 0x%08x with nothing asked of this life\n",
				i, c, len >= 4 ? word(buf, 0) : 0);
			report("an answer to no request of this VM's life");
		}
	}
	return __real_ivc_write_frame(ivc, buf, len);
}

static bool listed(const struct vbpmp_id_list *l, u32 id)
{
	for (u32 i = 0; i < l->count; i++)
		if (l->ids[i] == id)
			return true;
	return false;
}

/* Apart from the filter: does @msg name only what @a lists (or nothing)? */
static bool names_only_allowed(const struct vbpmp_allow *a, const u8 *msg)
{
	u32 mrq = word(msg, 0), w0 = word(msg, 2), w1 = word(msg, 3);

	switch (mrq) {
	case MRQ_PING:
	case MRQ_QUERY_ABI:
	case MRQ_QUERY_FW_TAG:
		return true;
	case MRQ_CLK:
		if (w0 >> 24 == CMD_CLK_GET_MAX_CLK_ID)
			return true;
		if (w0 >> 24 == CMD_CLK_SET_PARENT && !listed(&a->clocks, w1))
			return false;
		return listed(&a->clocks, w0 & 0xffffff);
	case MRQ_RESET:
		return w0 == CMD_RESET_GET_MAX_ID || listed(&a->resets, w1);
	case MRQ_PG:
		return w0 == CMD_PG_GET_MAX_ID || w0 == CMD_PG_QUERY_ABI ||
		       listed(&a->power_domains, w1);
	default:
		return false;
	}
}

static u64 now(void)
{
	return fake_sysreg_get("cntpct_el0");
}

int __wrap_bpmp_submit(struct bpmp_xfer *xfer)
{
	int who = -1, err;
	struct guest *g;

	for (int i = 0; i < 2; i++)
		if (guests[i].xfer == xfer)
			who = i;
	if (who < 0 && acting != IRQ_SIDE && !guests[acting].xfer) {
		who = acting;
		guests[who].xfer = xfer;
	}
	if (who < 0)
		report("a submit of no VM's request buffer");
	if (acting != who && acting != IRQ_SIDE)
		report("a VM's request submitted in the other VM's step");
	g = &guests[who];
	if (g->stopped)
		report("a stopped VM's request submitted");
	if (g->outstanding)
		report("a second request of one VM submitted while its first is unanswered");
	if (!names_only_allowed(&g->cfg.vbpmp.allow, xfer->msg)) {
		fprintf(stderr, "VM %d: mrq %u words 0x%x 0x%x\n", who, word(xfer->msg, 0),
			word(xfer->msg, 2), word(xfer->msg, 3));
		report("a request naming what the VM's allow-list does not");
	}
	if (vbpmp_filter(&g->cfg.vbpmp.allow, xfer->msg, BPMP_MSG_SIZE))
		report("a request the filter refuses submitted");
	if (g->last_read_chan < 0 || !g->credits[g->last_read_chan])
		report("a request submitted that was not read in this step");
	FUZZ_CHECK(submitted_count < MODEL_MAX_MSGS);
	memcpy(submitted[submitted_count].msg, xfer->msg, BPMP_MSG_SIZE);
	submitted[submitted_count++].vm = who;
	err = __real_bpmp_submit(xfer);
	if (!err) {
		g->credits[g->last_read_chan]--;
		g->outstanding = true;
		g->outstanding_chan = g->last_read_chan;
		g->submitted_at = now();
	}
	return err;
}

/* ---- the world around */

static void forget_life(struct guest *g)
{
	g->outstanding = false;
	memset(g->credits, 0, sizeof(g->credits));
	g->last_read_chan = -1;
	g->tampered = false;
}

/*
 * What the model received in this step: only copies the VMs submitted, in
 * this step or (queued behind another) in the one before, and allowed.
 */
static void check_model(void)
{
	unsigned int first_new = submitted_count;

	for (unsigned int s = 0; s < bpmp_model.seen_count; s++) {
		const u8 *m = bpmp_model.seen[s];
		bool matched = false;

		for (unsigned int k = 0; k < submitted_count && !matched; k++) {
			const u8 *sub = submitted[k].msg;

			if (!memcmp(m, sub, 4) && !memcmp(m + 8, sub + 8, BPMP_MSG_SIZE - 8))
				matched = names_only_allowed(&guests[submitted[k].vm].cfg.vbpmp.allow, m);
		}
		if (!matched)
			report("the BPMP received a request no VM submitted as it is, or not allowed");
	}
	bpmp_model.seen_count = 0;
	/* Keep the last submit of each VM: it may be queued still. */
	for (unsigned int k = 0, kept = 0; k < first_new; k++) {
		bool later = false;

		for (unsigned int l = k + 1; l < first_new; l++)
			later = later || submitted[l].vm == submitted[k].vm;
		if (!later)
			submitted[kept++] = submitted[k];
		if (k + 1 == first_new)
			submitted_count = kept;
	}
	/* A BPMP that never answers forgets: the model's list is bounded. */
	while (bpmp_model.waiting_count > MODEL_MAX_MSGS - 4) {
		bpmp_model.waiting_count--;
		memmove(bpmp_model.waiting[0], bpmp_model.waiting[1], bpmp_model.waiting_count * 128);
	}
}

static void check_end_of_step(void)
{
	for (int i = 0; i < 2; i++) {
		struct guest *g = &guests[i];

		for (unsigned int c = 0; c < VBPMP_CHANNELS; c++)
			if (g->credits[c])
				report("a request read, neither answered nor submitted");
		g->last_read_chan = -1;
		g->read_mask = 0;
		if (g->outstanding && now() - g->submitted_at > 2 * TIMEOUT_TICKS) {
			fprintf(stderr, "VM %d: submitted at %llu, now %llu\n", i,
				(unsigned long long)g->submitted_at, (unsigned long long)now());
			report("a request unanswered past twice the BPMP timeout");
		}
	}
	check_model();
}

/*
 * The HSP doorbell's line is level and taken at once, as the GIC would. An
 * answering BPMP keeps it up while requests the guests left in their
 * channels (at most 4 each) go one by one, after its handshake (3 rings).
 */
static void bpmp_doorbell(void)
{
	unsigned int taken = 0;

	acting = IRQ_SIDE;
	while (bpmp_model.ccplex_raw & bpmp_model.ccplex_enable) {
		if (trace)
			fprintf(stderr, "  doorbell irq: model state %u, Tessera's %u, rings %u\n",
				bpmp_model.ivc.tx->tx_state, bpmp_model.ivc.rx->tx_state, bpmp_model.rings);
		FUZZ_CHECK(bpmp_irq(MODEL_DB_INTID));
		if (++taken > 2 * VBPMP_REQUEST_CHANNELS + 8)
			report("the BPMP doorbell's line stays up");
	}
}

/* Time moves @delta ticks on; CNTHP fires at its deadline on the way. */
static void time_passes(u64 delta)
{
	u64 target = now() + delta;

	acting = IRQ_SIDE;
	for (unsigned int n = 0; n < 8; n++) {
		u64 cval = fake_sysreg_get("cnthp_cval_el2");

		if (!(fake_sysreg_get("cnthp_ctl_el2") & 1) || cval > target)
			break;
		if (cval > now())
			fake_sysreg_set("cntpct_el0", cval);
		if (trace)
			fprintf(stderr, "  timer fires at %llu\n", (unsigned long long)now());
		FUZZ_CHECK(el2_timer_irq(MODEL_TIMER_INTID));
		bpmp_doorbell();
		acting = IRQ_SIDE;
	}
	fake_sysreg_set("cntpct_el0", target);
}

static enum mmio_result hsp_io(struct guest *g, u64 off, unsigned int size, bool wr, u64 *value)
{
	struct mmio_access acc = { HSP_IPA + off, off, size, wr, wr ? *value : 0x5a5a5a5a5a5a5a5aULL };
	enum mmio_result r = g->vm.emul[0].access(g->vm.emul[0].dev, &acc);

	FUZZ_CHECK(r == MMIO_OK || r == MMIO_BAD_ACCESS);
	if (r == MMIO_OK && !wr) {
		FUZZ_CHECK(size == 8 || acc.value >> (8 * size) == 0);
		*value = acc.value;
	}
	return r;
}

static void ring(struct guest *g)
{
	u64 one = 1;

	hsp_io(g, VHSP_DB_REG(HSP_DB_BPMP, HSP_DB_TRIGGER), 4, true, &one);
}

static u32 channel_offset(unsigned int c)
{
	return (c < VBPMP_REQUEST_CHANNELS ? c : VBPMP_CPU_RX_CHANNEL) * VBPMP_CHANNEL_STRIDE;
}

/* Linux's probe: the doorbell enabled, every channel reset and busy-polled (bounded). */
static void guest_boot(struct guest *g)
{
	u64 enable = 1U << HSP_MASTER_BPMP;

	hsp_io(g, VHSP_DB_REG(HSP_DB_CCPLEX, HSP_DB_ENABLE), 4, true, &enable);
	for (unsigned int c = 0; c < VBPMP_CHANNELS; c++) {
		u32 off = channel_offset(c);

		FUZZ_CHECK(ivc_init(&g->chan[c], g->sram + off, g->sram + VBPMP_SRAM_POOL_SIZE + off,
				    VBPMP_CHANNEL_STRIDE, 1, BPMP_MSG_SIZE));
		ivc_reset(&g->chan[c]);
		ring(g);
		for (unsigned int polls = 0; polls < 4 && !ivc_established(&g->chan[c]); polls++)
			if (ivc_notified(&g->chan[c]))
				ring(g);
	}
}

static const u32 mrqs[] = { MRQ_PING, MRQ_QUERY_TAG, MRQ_RESET, MRQ_CLK, MRQ_QUERY_ABI, MRQ_PG,
			    MRQ_QUERY_FW_TAG, 999 };
/* Both VMs' IDs and some of no one's, so a request may name the other VM's. */
static const u32 ids[] = { 0x130, 0x131, 0x29, 19, 20, 21, 35, 36, 0, 0xffffff };

/* tegra_bpmp_transfer: a request of the fuzzer's choosing, well framed, and the ring. */
static void guest_request(struct guest *g, struct fuzz_input *in)
{
	u8 sel = fuzz_u8(in), cmd = fuzz_u8(in);
	unsigned int c = sel % VBPMP_REQUEST_CHANNELS;
	u32 mrq = mrqs[(sel >> 2) % ARRAY_SIZE(mrqs)];
	u32 id = ids[fuzz_u8(in) % ARRAY_SIZE(ids)], id2 = ids[fuzz_u8(in) % ARRAY_SIZE(ids)];
	u32 frame[BPMP_MSG_SIZE / 4] = { mrq, (sel & 0x80) ? 0 : BPMP_MSG_ACK | BPMP_MSG_RING };
	bool idle, sent;

	if (mrq == MRQ_CLK) {
		frame[2] = (u32)(cmd % 17) << 24 | id;
		frame[3] = id2;
	} else {
		frame[2] = cmd % 6;
		frame[3] = id;
	}
	frame[4] = 1;
	ivc_sync_from_peer(&g->chan[c]);
	idle = !g->outstanding;
	sent = ivc_write_frame(&g->chan[c], frame, sizeof(frame)) == IVC_OK;
	ring(g);
	/*
	 * Liveness: a VM with nothing in flight that rings has its requests
	 * read until one is submitted; this one at the latest.
	 */
	if (idle && sent && !g->tampered && !g->outstanding && !(g->read_mask & 1U << c))
		report("a rung request of an idle VM not taken");
}

/* The guest reads what answers it has, and takes its doorbell interrupt. */
static void guest_takes_answers(struct guest *g)
{
	u8 frame[BPMP_MSG_SIZE];
	u64 pending = 0;

	for (unsigned int c = 0; c < VBPMP_CHANNELS; c++)
		while (ivc_read_frame(&g->chan[c], frame, sizeof(frame)) == IVC_OK)
			;
	if (hsp_io(g, VHSP_DB_REG(HSP_DB_CCPLEX, HSP_DB_PENDING), 4, false, &pending) == MMIO_OK)
		hsp_io(g, VHSP_DB_REG(HSP_DB_CCPLEX, HSP_DB_PENDING), 4, true, &pending);
}

/* A step of VM @i: the other VM's SRAM, pending request and line must not move. */
static void vm_step(int i, u8 op, struct fuzz_input *in)
{
	struct guest *g = &guests[i], *other = &guests[!i];
	static u8 before[VBPMP_SRAM_SIZE];
	bool outstanding = other->outstanding;
	int line = fake_irq_level(other->cfg.vbpmp.intid);
	u64 off, value;
	unsigned int size;

	memcpy(before, other->sram, VBPMP_SRAM_SIZE);
	acting = i;
	switch (op) {
	case 0: /* an HSP access */
	case 1:
		off = fuzz_u32(in) % VBPMP_HSP_SIZE;
		size = fuzz_width(in);
		value = (op & 1) ? fuzz_u64(in) : 0;
		if (!g->stopped)
			hsp_io(g, off, size, op & 1, &value);
		break;
	case 2: /* an SRAM write, a byte or a word anywhere */
		off = fuzz_u16(in) % VBPMP_SRAM_SIZE;
		value = fuzz_u32(in);
		if (g->stopped)
			break;
		g->tampered = true;
		if (value & 0x100 || off > VBPMP_SRAM_SIZE - 4)
			g->sram[off] = (u8)value;
		else
			memcpy(g->sram + off, &value, 4);
		break;
	case 3:
		if (!g->stopped)
			ring(g);
		break;
	case 4:
		if (!g->stopped)
			guest_request(g, in);
		break;
	case 5:
		if (!g->stopped)
			guest_takes_answers(g);
		break;
	case 6: /* restart: a new life, the guest boots again */
		forget_life(g);
		g->stopped = false;
		vbpmp_vm_reset(&g->vm);
		guest_boot(g);
		break;
	case 7:
		forget_life(g);
		g->stopped = true;
		vbpmp_vm_stop(&g->vm);
		break;
	}
	if (memcmp(before, other->sram, VBPMP_SRAM_SIZE))
		report("one VM's step changed the other VM's SRAM");
	if (other->outstanding != outstanding)
		report("one VM's step changed the other VM's pending request");
	if (fake_irq_level(other->cfg.vbpmp.intid) != line)
		report("one VM's step moved the other VM's interrupt line");
}

static void step(struct fuzz_input *in)
{
	u8 op = fuzz_u8(in);

	if (trace)
		fprintf(stderr, "step op %u (%u): model mode %d waiting %u, out %d/%d, now %llu\n", op % 16,
			(op >> 4) & 1, bpmp_model.mode, bpmp_model.waiting_count, guests[0].outstanding,
			guests[1].outstanding, (unsigned long long)now());
	switch (op % 16) {
	case 8:
		time_passes(fuzz_u16(in) * (TIMEOUT_TICKS / 0x8000)); /* up to 2 s */
		break;
	case 9:
		bpmp_model.mode = (enum bpmp_model_mode)(fuzz_u8(in) % 3);
		break;
	case 10:
		(void)bpmp_model_answer_one();
		break;
	case 11: /* the BPMP forgets the oldest request: silence */
		if (bpmp_model.waiting_count) {
			bpmp_model.waiting_count--;
			memmove(bpmp_model.waiting[0], bpmp_model.waiting[1],
				bpmp_model.waiting_count * 128);
		}
		break;
	case 12:
		bpmp_model_channel_reset();
		break;
	default:
		vm_step((op >> 4) & 1, (op % 16) & 7, in);
		break;
	}
	bpmp_doorbell();
	check_end_of_step();
}

static void guest_create(unsigned int i)
{
	static const struct vbpmp_allow allow[2] = {
		{ .clocks = { { 0x130, 0x131 }, 2 }, .resets = { { 19 }, 1 },
		  .power_domains = { { 35 }, 1 } },
		{ .clocks = { { 0x29 }, 1 }, .resets = { { 20, 21 }, 2 },
		  .power_domains = { { 36 }, 1 } },
	};
	struct guest *g = &guests[i];

	memset(g, 0, sizeof(*g));
	g->cfg.vbpmp = (struct vbpmp_config){ .present = true, .hsp_ipa = HSP_IPA,
					      .sram_ipa = SRAM_IPA, .intid = INTID(i),
					      .allow = allow[i] };
	g->vm.cfg = &g->cfg;
	g->vm.name = i ? "vm1" : "vm0";
	g->last_read_chan = -1;
	FUZZ_CHECK(vbpmp_vm_create(&g->vm));
	acting = (int)i;
	vbpmp_vm_reset(&g->vm);
	guest_boot(g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct bpmp_xfer *xfers[2] = { guests[0].xfer, guests[1].xfer };

	fake_arch_reset();
	fake_sysreg_set("cntfrq_el0", 1000 * TICKS_PER_MS);
	fake_sysreg_set("cntpct_el0", 5000);
	fake_sysreg_set("cnthp_ctl_el2", 0);
	fake_sysreg_set("cnthp_cval_el2", 0);
	memset(&plat, 0, sizeof(plat));
	bpmp_model_reset(MODEL_ANSWER, &plat);
	FUZZ_CHECK(bpmp_init(&plat, 0));
	el2_timer_init(&plat);
	fake_run_on(0, NULL);
	el2_timer_cpu_init();
	guest_create(0);
	guest_create(1);
	/* The VMs keep their slots, and so their request buffers, from run to run. */
	guests[0].xfer = xfers[0];
	guests[1].xfer = xfers[1];
	submitted_count = 0;
	check_end_of_step();
	while (in.left)
		step(&in);
	return 0;
}

/* A Linux-like session: requests allowed and not, a late answer, a timeout, a restart. */
static void seeds(const char *dir)
{
	struct fuzz_seed s = { .len = 0 };

	/* VM0: clock 0x130 GET_RATE on channel 1; VM1: reset 20 DEASSERT on channel 0 */
	seed_put(&s, 4, 1), seed_put(&s, 1 | 3 << 2, 1), seed_put(&s, 1, 1), seed_put(&s, 0, 1),
		seed_put(&s, 0, 1);
	seed_put(&s, 0x14, 1), seed_put(&s, 0 | 2 << 2, 1), seed_put(&s, 2, 1), seed_put(&s, 4, 1),
		seed_put(&s, 0, 1);
	seed_put(&s, 5, 1), seed_put(&s, 0x15, 1);
	/* VM1 asks for VM0's clock: refused */
	seed_put(&s, 0x14, 1), seed_put(&s, 2 | 3 << 2, 1), seed_put(&s, 7, 1), seed_put(&s, 0, 1),
		seed_put(&s, 0, 1);
	fuzz_write_seed(dir, "allowed-refused", s.b, s.len);
	/* late BPMP: a request, time past the timeout, then the late answer; VM0 restarts */
	seed_put(&s, 9, 1), seed_put(&s, 1, 1);
	seed_put(&s, 4, 1), seed_put(&s, 0, 1), seed_put(&s, 0, 1), seed_put(&s, 0, 1), seed_put(&s, 0, 1);
	seed_put(&s, 0x14, 1), seed_put(&s, 5 << 2, 1), seed_put(&s, 2, 1), seed_put(&s, 7, 1),
		seed_put(&s, 0, 1);
	seed_put(&s, 8, 1), seed_put(&s, 0xffff, 2);
	seed_put(&s, 10, 1), seed_put(&s, 10, 1);
	seed_put(&s, 5, 1), seed_put(&s, 0x15, 1), seed_put(&s, 6, 1);
	seed_put(&s, 4, 1), seed_put(&s, 0, 1), seed_put(&s, 0, 1), seed_put(&s, 0, 1), seed_put(&s, 0, 1);
	seed_put(&s, 7, 1), seed_put(&s, 10, 1), seed_put(&s, 8, 1), seed_put(&s, 0xffff, 2);
	fuzz_write_seed(dir, "late-timeout-restart", s.b, s.len);
	/* guest breaks its counters, the BPMP resets its channel */
	seed_put(&s, 2, 1), seed_put(&s, 0, 2), seed_put(&s, 5, 4);
	seed_put(&s, 3, 1), seed_put(&s, 12, 1), seed_put(&s, 6, 1);
	fuzz_write_seed(dir, "corrupt-reset", s.b, s.len);
	/*
	 * Found by this harness: a BPMP resetting its channel every 0.9 s while
	 * VM1's request waits for the channel (VM0's holds it, never read)
	 * restarted VM1's wait each time, for ever; its bound is kept now.
	 */
	s.len = 0;
	seed_put(&s, 9, 1), seed_put(&s, MODEL_DEAD, 1);
	seed_put(&s, 4, 1), seed_put(&s, 0, 4);
	seed_put(&s, 0x14, 1), seed_put(&s, 0, 4);
	for (unsigned int n = 0; n < 4; n++)
		seed_put(&s, 12, 1), seed_put(&s, 8, 1), seed_put(&s, 0x7333, 2);
	fuzz_write_seed(dir, "bpmp-resets-hold-waiting-request", s.b, s.len);
	/*
	 * Found by this harness: VM1's request waited 0.9 s for a channel the
	 * BPMP had not re-established, then got a full bound more on it, and
	 * VM0's behind it went past twice the bound. The wait counts now.
	 */
	s.len = 0;
	seed_put(&s, 9, 1), seed_put(&s, MODEL_DEAD, 1), seed_put(&s, 12, 1);
	seed_put(&s, 0x14, 1), seed_put(&s, 0, 4);
	seed_put(&s, 4, 1), seed_put(&s, 0, 4);
	seed_put(&s, 8, 1), seed_put(&s, 0x7333, 2);
	seed_put(&s, 9, 1), seed_put(&s, MODEL_LATE, 1), seed_put(&s, 12, 1);
	for (unsigned int n = 0; n < 4; n++)
		seed_put(&s, 8, 1), seed_put(&s, 0x4000, 2);
	fuzz_write_seed(dir, "channel-wait-counts-in-bound", s.b, s.len);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init(seeds);
	trace = getenv("FUZZ_TRACE") != NULL;
	return 0;
}
