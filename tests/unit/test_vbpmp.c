/*
 * The BPMP mediator end to end on the host: guests driving their virtual
 * BPMP as Linux does (vbpmp_guest.h), hyp/virt/vbpmp.c + vhsp.c mediating,
 * hyp/drivers/bpmp/bpmp.c forwarding to a BPMP model (bpmp_model.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <drivers/bpmp.h>
#include <tessera/el2_timer.h>
#include <drivers/bpmp_abi.h>
#include <drivers/bpmp_ivc.h>
#include <drivers/tegra_hsp.h>
#include <tessera/vm.h>
#include <virt/vbpmp.h>
#include <virt/vhsp.h>

#include "bpmp_model.h"
#include "fake_arch.h"
#include "vbpmp_guest.h"

#define HSP_IPA 0x0c000000ULL
#define SRAM_IPA 0x0c100000ULL
#define INTID(n) (40U + (n))
#define CLK_ALLOWED 0x130U /* GPUSYS, as a GPU VM would have */
#define CLK_OTHER 0x29U
#define RESET_ALLOWED 19U
#define PD_ALLOWED 35U
#define TICKS_PER_MS 1000ULL

static struct vbpmp_guest guests[2];
static struct platform plat;

/*
 * Another vCPU of the guest rewriting its request while Tessera handles it:
 * done from the cache clean Tessera makes right after it copied the frame
 * (ivc_sync_to_peer), before the check and the forwarding. Overrides the
 * fake arch's no-op.
 */
static u8 *rewrite_at;
static u32 rewrite_value;

void dcache_clean_poc(u64 start, u64 end)
{
	if (rewrite_at && (uintptr_t)rewrite_at >= start && (uintptr_t)rewrite_at < end) {
		memcpy(rewrite_at, &rewrite_value, sizeof(rewrite_value));
		rewrite_at = NULL;
	}
}

/* ---- what vbpmp.c needs of the rest of Tessera */

int pt_map(struct pgtable *pt, u64 va, u64 pa, u64 size, unsigned int prot)
{
	for (unsigned int i = 0; i < 2; i++) {
		if (pt != &guests[i].vm.s2)
			continue;
		assert_int_equal(va, SRAM_IPA);
		assert_int_equal(size, VBPMP_SRAM_SIZE);
		assert_int_equal(prot, PT_R | PT_W); /* never executable */
		assert_int_equal(pa % SZ_4K, 0);
		guests[i].tx = (u8 *)(uintptr_t)pa;
		guests[i].rx = guests[i].tx + VBPMP_SRAM_POOL_SIZE;
		return 0;
	}
	fail_msg("pt_map of an unknown table");
	return -1;
}

bool vm_add_emul(struct vm *vm, const char *name, u64 base, u64 size, void *dev,
		 enum mmio_result (*access)(void *dev, struct mmio_access *acc))
{
	assert_int_equal(base, HSP_IPA);
	assert_int_equal(size, VBPMP_HSP_SIZE);
	vm->emul[vm->emul_count++] = (struct emul_device){ name, base, size, dev, access };
	return true;
}

int mmu_map_device(u64 base, u64 size) { (void)base; (void)size; return 0; }
int mmu_map_ram(u64 base, u64 size) { (void)base; (void)size; return 0; }
void gic_set_spi_trigger(u32 intid, bool edge)
{
	assert_int_equal(intid, MODEL_DB_INTID);
	assert_false(edge); /* the HSP's doorbell line is level */
}
void gic_enable_spi(u32 intid, u64 mpidr) { (void)mpidr; assert_int_equal(intid, MODEL_DB_INTID); }
void gic_enable_private(u32 intid) { assert_int_equal(intid, MODEL_TIMER_INTID); }

/* Time passes to the deadline the driver armed, and its timer fires. */
static void timer_fires(void)
{
	assert_int_equal(fake_sysreg_get("cnthp_ctl_el2") & 1, 1);
	fake_sysreg_set("cntpct_el0", fake_sysreg_get("cnthp_cval_el2"));
	assert_true(el2_timer_irq(MODEL_TIMER_INTID));
}

static void guest_create(unsigned int i)
{
	struct vbpmp_guest *g = &guests[i];

	memset(g, 0, sizeof(*g));
	g->cfg.vbpmp = (struct vbpmp_config){
		.present = true, .hsp_ipa = HSP_IPA, .sram_ipa = SRAM_IPA, .intid = INTID(i),
		.allow = {
			.clocks = { { CLK_ALLOWED }, 1 },
			.resets = { { RESET_ALLOWED }, 1 },
			.power_domains = { { PD_ALLOWED }, 1 },
		},
	};
	g->vm.cfg = &g->cfg;
	g->hsp_base = HSP_IPA;
	g->vm.name = i ? "vm1" : "vm0";
	assert_true(vbpmp_vm_create(&g->vm));
	vbpmp_vm_reset(&g->vm);
	guest_boot(g);
}

static int setup(void **state)
{
	(void)state;
	fake_arch_reset();
	rewrite_at = NULL;
	fake_sysreg_set("cntfrq_el0", 1000 * TICKS_PER_MS);
	fake_sysreg_set("cntpct_el0", 5000);
	memset(&plat, 0, sizeof(plat));
	bpmp_model_reset(MODEL_ANSWER, &plat);
	assert_true(bpmp_init(&plat, 0));
	el2_timer_init(&plat);
	fake_run_on(0, NULL);
	el2_timer_cpu_init();
	guest_create(0);
	guest_create(1);
	return 0;
}

static void test_boot_handshake_and_hsp_layout(void **state)
{
	u32 dim = guest_hsp_read(&guests[0], HSP_DIMENSIONING);

	(void)state;
	/* Where tegra-hsp.c looks for the doorbells is where they are emulated. */
	assert_int_equal(hsp_doorbell_page(dim), VBPMP_HSP_DB_OFFSET);
	/* Linux's probe fails with no shared mailbox (vhsp.h); with no shared interrupt it sets none. */
	assert_int_equal(HSP_DIM_FIELD(dim, HSP_DIM_NSM_SHIFT), 1);
	assert_int_equal(HSP_DIM_FIELD(dim, HSP_DIM_NSI_SHIFT), 0);
	/* Doorbells 1 (CCPLEX) and 3 (BPMP) exist. */
	assert_true(HSP_DIM_FIELD(dim, HSP_DIM_NDB_SHIFT) > HSP_DB_BPMP);
	/* Tessera's own channel found the real doorbells from the real dimensioning. */
	assert_true(ivc_established(&bpmp_model.ivc));
	assert_int_equal(bpmp_model.ccplex_enable, 1U << HSP_MASTER_BPMP);
	/* Every guest channel, cpu_rx included, is established: the checks in guest_boot. */
	for (unsigned int c = 0; c < VBPMP_CHANNELS; c++)
		assert_true(ivc_established(&guests[0].chan[c]));
	assert_int_equal(bpmp_model.seen_count, 0);
}

static void test_hsp_widths_and_reserved(void **state)
{
	struct vbpmp_guest *g = &guests[0];
	struct mmio_access acc16 = { HSP_IPA + HSP_DIMENSIONING, HSP_DIMENSIONING, 2, false, 0 };
	struct mmio_access acc64 = { HSP_IPA + 0x10100, 0x10100, 8, false, 0 };

	(void)state;
	assert_int_equal(g->vm.emul[0].access(g->vm.emul[0].dev, &acc16), MMIO_BAD_ACCESS);
	assert_int_equal(g->vm.emul[0].access(g->vm.emul[0].dev, &acc64), MMIO_BAD_ACCESS);
	/* Another doorbell's trigger: reserved, no ring. */
	guest_hsp_write(g, VHSP_DB_REG(5, HSP_DB_TRIGGER), 1);
	assert_int_equal(guest_hsp_read(g, VHSP_DB_REG(5, HSP_DB_TRIGGER)), 0);
	assert_int_equal(bpmp_model.rings, 2); /* the boot handshake's only */
	/* A ring from a master the guest did not enable does not raise the line. */
	guest_hsp_write(g, VHSP_DB_REG(HSP_DB_CCPLEX, HSP_DB_ENABLE), 0);
	guest_send(g, 0, MRQ_QUERY_TAG, 0x80000000, 0, 0); /* refused at once, rung */
	assert_int_equal(fake_irq_level(INTID(0)), 0);
	assert_int_equal(guest_hsp_read(g, VHSP_DB_REG(HSP_DB_CCPLEX, HSP_DB_PENDING)), 0);
	assert_int_equal(guest_hsp_read(g, VHSP_DB_REG(HSP_DB_CCPLEX, HSP_DB_RAW)), 1U << HSP_MASTER_BPMP);
	guest_hsp_write(g, VHSP_DB_REG(HSP_DB_CCPLEX, HSP_DB_ENABLE), 1U << HSP_MASTER_BPMP);
	assert_int_equal(fake_irq_level(INTID(0)), 1);
	guest_take_irq(g);
}

static void test_allowed_request_reaches_bpmp_and_answer_reaches_guest(void **state)
{
	struct vbpmp_guest *g = &guests[0];
	s32 err;
	u32 rate;

	(void)state;
	guest_send(g, 1, MRQ_CLK, CMD_CLK_GET_RATE << 24 | CLK_ALLOWED, 0, 0);
	assert_int_equal(bpmp_model.seen_count, 1);
	assert_int_equal(bpmp_model_seen_mrq(0), MRQ_CLK);
	assert_int_equal(bpmp_model_seen_word(0, 0), CMD_CLK_GET_RATE << 24 | CLK_ALLOWED);
	/* Tessera's flags on its channel, whatever the guest's: ACK and RING. */
	assert_int_equal(bpmp_model.seen[0][4], BPMP_MSG_ACK | BPMP_MSG_RING);
	assert_int_equal(fake_irq_level(INTID(0)), 0); /* not before the BPMP's interrupt */
	hyp_takes_bpmp_irq();
	guest_take_irq(g);
	assert_true(guest_receive(g, 1, &err, &rate));
	assert_int_equal(err, 0);
	assert_int_equal(rate, CLK_ALLOWED * 1000);
	/* Reset and power domain requests of its own devices go too. */
	guest_send(g, 0, MRQ_RESET, CMD_RESET_DEASSERT, RESET_ALLOWED, 0);
	hyp_takes_bpmp_irq();
	guest_take_irq(g);
	assert_int_equal(guest_answer_err(g, 0), 0);
	guest_send(g, 2, MRQ_PG, CMD_PG_SET_STATE, PD_ALLOWED, 1);
	hyp_takes_bpmp_irq();
	guest_take_irq(g);
	assert_int_equal(guest_answer_err(g, 2), 0);
	assert_int_equal(bpmp_model.seen_count, 3);
	assert_int_equal(fake_irq_level(INTID(1)), 0); /* the other VM heard nothing */
}

static void test_refused_never_reaches_bpmp(void **state)
{
	struct vbpmp_guest *g = &guests[0];

	(void)state;
	guest_send(g, 0, MRQ_CLK, CMD_CLK_ENABLE << 24 | CLK_OTHER, 0, 0);
	guest_take_irq(g); /* answered in the trap */
	assert_int_equal(guest_answer_err(g, 0), -BPMP_EPERM);
	guest_send(g, 3, MRQ_RESET, CMD_RESET_ASSERT, RESET_ALLOWED + 1, 0); /* the atomic channel */
	guest_take_irq(g);
	assert_int_equal(guest_answer_err(g, 3), -BPMP_EPERM);
	guest_send(g, 1, 999, 0, 0, 0); /* an MRQ the mediator does not know */
	guest_take_irq(g);
	assert_int_equal(guest_answer_err(g, 1), -BPMP_ENODEV);
	assert_int_equal(bpmp_model.seen_count, 0);
	assert_int_equal(bpmp_model.rings, 2);
	/* Each refusal is on the console, with the VM, the MRQ and the payload's first words. */
	assert_true(fake_printk_contains("vbpmp: VM vm0: MRQ 22 (payload 0x"));
	assert_true(fake_printk_contains("refused, error -1: an ID none of its devices has\n"));
	assert_true(fake_printk_contains("vbpmp: VM vm0: MRQ 999 (payload 0x0 0x0) refused, error "
					 "-19: a request Tessera does not pass on\n"));
}

/* The first 8 refusals of a VM are printed, the 8th saying so; the rest are still refused. */
static void test_refusal_reports_are_limited(void **state)
{
	struct vbpmp_guest *g = &guests[0];
	const char *out;
	unsigned int printed = 0;

	(void)state;
	for (unsigned int i = 0; i < 12; i++) {
		guest_send(g, 0, MRQ_CLK, CMD_CLK_ENABLE << 24 | CLK_OTHER, 0, 0);
		guest_take_irq(g);
		assert_int_equal(guest_answer_err(g, 0), -BPMP_EPERM);
	}
	for (out = fake_printk_output(); (out = strstr(out, "vbpmp: VM vm0:")); out++)
		printed++;
	assert_int_equal(printed, 8);
	assert_true(fake_printk_contains("; further refusals are not reported\n"));
	assert_int_equal(bpmp_model.seen_count, 0);
}

static void test_malformed_is_contained(void **state)
{
	struct vbpmp_guest *g = &guests[0], *other = &guests[1];
	struct ivc_header *tx0 = (struct ivc_header *)g->tx;
	struct ivc_header *tx1 = (struct ivc_header *)(g->tx + VBPMP_CHANNEL_STRIDE);
	u32 rate;
	s32 err;

	(void)state;
	/* Counters claiming more frames than the queue has: nothing is read. */
	tx0->tx_count = 5;
	guest_ring(g);
	/* A handshake state that does not exist: ignored. */
	tx1->tx_state = 7;
	guest_ring(g);
	assert_int_equal(bpmp_model.seen_count, 0);
	assert_int_equal(fake_irq_level(INTID(0)), 0);
	/* A sub-command the mediator does not know (the frame is always 128 bytes: never short). */
	guest_send(g, 2, MRQ_CLK, 0x7fU << 24 | CLK_ALLOWED, 0, 0);
	guest_take_irq(g);
	assert_int_equal(guest_answer_err(g, 2), -BPMP_EBADCMD);
	/* The other VM is untouched and works. */
	guest_send(other, 0, MRQ_CLK, CMD_CLK_GET_RATE << 24 | CLK_ALLOWED, 0, 0);
	hyp_takes_bpmp_irq();
	guest_take_irq(other);
	assert_true(guest_receive(other, 0, &err, &rate));
	assert_int_equal(err, 0);
	assert_int_equal(bpmp_model.seen_count, 1);
	/* The broken guest resets its channel (Linux does on resume) and it works again. */
	guest_channel_reset(g, 0);
	guest_send(g, 0, MRQ_PING, 21, 0, 0);
	hyp_takes_bpmp_irq();
	guest_take_irq(g);
	assert_true(guest_receive(g, 0, &err, &rate));
	assert_int_equal(rate, 42);
}

static void test_rewrite_after_doorbell_is_not_seen(void **state)
{
	struct vbpmp_guest *g = &guests[0];
	u8 *payload = g->tx + IVC_HEADER_SIZE + BPMP_MSG_HEADER_SIZE; /* channel 0's frame */

	(void)state;
	/* Allowed when copied, rewritten to another VM's clock: what goes is the copy. */
	rewrite_at = payload;
	rewrite_value = CMD_CLK_ENABLE << 24 | CLK_OTHER;
	guest_send(g, 0, MRQ_CLK, CMD_CLK_ENABLE << 24 | CLK_ALLOWED, 0, 0);
	assert_null(rewrite_at); /* the rewrite happened, inside the trap */
	assert_int_equal(bpmp_model.seen_count, 1);
	assert_int_equal(bpmp_model_seen_word(0, 0), CMD_CLK_ENABLE << 24 | CLK_ALLOWED);
	hyp_takes_bpmp_irq();
	guest_take_irq(g);
	assert_int_equal(guest_answer_err(g, 0), 0);
	/* Refused when copied, rewritten to an allowed clock: still refused, never sent. */
	rewrite_at = payload;
	rewrite_value = CMD_CLK_ENABLE << 24 | CLK_ALLOWED;
	guest_send(g, 0, MRQ_CLK, CMD_CLK_ENABLE << 24 | CLK_OTHER, 0, 0);
	assert_null(rewrite_at);
	guest_take_irq(g);
	assert_int_equal(guest_answer_err(g, 0), -BPMP_EPERM);
	assert_int_equal(bpmp_model.seen_count, 1);
}

static void test_one_request_at_a_time_per_vm(void **state)
{
	struct vbpmp_guest *g = &guests[0];
	u32 a, b;
	s32 err;

	(void)state;
	bpmp_model.mode = MODEL_LATE;
	guest_send(g, 0, MRQ_PING, 1, 0, 0);
	guest_send(g, 1, MRQ_PING, 2, 0, 0);
	assert_int_equal(bpmp_model.seen_count, 1); /* the second waits in the guest's queue */
	assert_true(bpmp_model_answer_one());
	hyp_takes_bpmp_irq(); /* the first answered, the second taken without another ring */
	assert_int_equal(bpmp_model.seen_count, 2);
	assert_true(bpmp_model_answer_one());
	hyp_takes_bpmp_irq();
	guest_take_irq(g);
	assert_true(guest_receive(g, 0, &err, &a));
	assert_true(guest_receive(g, 1, &err, &b));
	assert_int_equal(a, 2);
	assert_int_equal(b, 4);
}

static void test_timeout_answers_and_late_answer_is_dropped(void **state)
{
	struct vbpmp_guest *g = &guests[0], *other = &guests[1];
	u32 data;
	s32 err;

	(void)state;
	bpmp_model.mode = MODEL_LATE;
	guest_send(g, 0, MRQ_CLK, CMD_CLK_GET_RATE << 24 | CLK_ALLOWED, 0, 0);
	assert_int_equal(fake_sysreg_get("cnthp_cval_el2"), 5000 + BPMP_TIMEOUT_MS * TICKS_PER_MS);
	timer_fires();
	guest_take_irq(g);
	assert_int_equal(guest_answer_err(g, 0), -BPMP_ETIMEDOUT);
	assert_true(fake_printk_contains("vbpmp: VM vm0: MRQ 22 (payload 0x"));
	assert_true(fake_printk_contains("failed, error -23: the BPMP did not answer in time"));
	/* The other VM's request goes on while the first answer is still owed. */
	guest_send(other, 0, MRQ_PING, 7, 0, 0);
	assert_int_equal(bpmp_model.seen_count, 2);
	assert_true(bpmp_model_answer_one()); /* the late answer: drained, dropped */
	hyp_takes_bpmp_irq();
	assert_int_equal(fake_irq_level(INTID(0)), 0);
	assert_int_equal(fake_irq_level(INTID(1)), 0);
	assert_true(bpmp_model_answer_one());
	hyp_takes_bpmp_irq();
	guest_take_irq(other);
	assert_true(guest_receive(other, 0, &err, &data));
	assert_int_equal(err, 0);
	assert_int_equal(data, 14);
	assert_false(guest_receive(g, 0, &err, &data));
}

static void test_dead_bpmp_stalls_no_one(void **state)
{
	struct vbpmp_guest *g = &guests[0], *other = &guests[1];

	(void)state;
	bpmp_model.mode = MODEL_DEAD;
	guest_send(g, 0, MRQ_PING, 1, 0, 0);   /* on the channel, never read */
	guest_send(other, 0, MRQ_PING, 2, 0, 0); /* waits: the channel's frame is full */
	timer_fires();
	guest_take_irq(g);
	assert_int_equal(guest_answer_err(g, 0), -BPMP_ETIMEDOUT);
	assert_int_equal(fake_irq_level(INTID(1)), 0);
	timer_fires(); /* the second waited its own bound */
	guest_take_irq(other);
	assert_int_equal(guest_answer_err(other, 0), -BPMP_ETIMEDOUT);
	/* A timer with nothing to time out is harmless. */
	assert_true(el2_timer_irq(MODEL_TIMER_INTID));
	assert_int_equal(bpmp_model.seen_count, 0);
}

static void test_two_vms_interleaved(void **state)
{
	struct vbpmp_guest *g = &guests[0], *other = &guests[1];
	u32 a, b;
	s32 err;

	(void)state;
	bpmp_model.mode = MODEL_LATE;
	guest_send(g, 2, MRQ_CLK, CMD_CLK_GET_RATE << 24 | CLK_ALLOWED, 0, 0);
	guest_send(other, 1, MRQ_PING, 50, 0, 0);
	assert_int_equal(bpmp_model.seen_count, 1); /* one request on Tessera's channel */
	assert_true(bpmp_model_answer_one());
	hyp_takes_bpmp_irq();
	assert_int_equal(bpmp_model.seen_count, 2); /* the waiting one sent on the answer */
	guest_take_irq(g);
	assert_int_equal(fake_irq_level(INTID(1)), 0);
	assert_true(bpmp_model_answer_one());
	hyp_takes_bpmp_irq();
	guest_take_irq(other);
	assert_true(guest_receive(g, 2, &err, &a));
	assert_true(guest_receive(other, 1, &err, &b));
	assert_int_equal(a, CLK_ALLOWED * 1000);
	assert_int_equal(b, 100);
}

static void test_restart_drops_request_and_late_answer(void **state)
{
	struct vbpmp_guest *g = &guests[0], *other = &guests[1];
	u32 data;
	s32 err;

	(void)state;
	bpmp_model.mode = MODEL_LATE;
	guest_send(other, 0, MRQ_PING, 3, 0, 0); /* on the channel */
	guest_send(g, 0, MRQ_PING, 4, 0, 0);     /* waiting behind it */
	vbpmp_vm_reset(&g->vm);           /* dropped from the queue */
	/* Zeroed, but for Tessera's own tx_state in each queue it writes: SYNC, a reset begun. */
	for (unsigned int i = 0; i < VBPMP_SRAM_SIZE; i++) {
		bool own_state = i >= VBPMP_SRAM_POOL_SIZE && i % VBPMP_CHANNEL_STRIDE == 4 &&
				 (i - VBPMP_SRAM_POOL_SIZE) / VBPMP_CHANNEL_STRIDE < VBPMP_REQUEST_CHANNELS;

		if (i == VBPMP_SRAM_POOL_SIZE + VBPMP_CPU_RX_CHANNEL * VBPMP_CHANNEL_STRIDE + 4)
			own_state = true;
		assert_int_equal(g->tx[i], own_state ? IVC_STATE_SYNC : 0);
	}
	guest_boot(g);
	assert_true(bpmp_model_answer_one());
	hyp_takes_bpmp_irq();
	guest_take_irq(other);
	assert_true(guest_receive(other, 0, &err, &data));
	assert_int_equal(data, 6);
	assert_int_equal(bpmp_model.seen_count, 1); /* the dropped request never went */
	/* In flight when the VM restarts: its answer is for the old life. */
	guest_send(g, 1, MRQ_PING, 5, 0, 0);
	assert_int_equal(bpmp_model.seen_count, 2);
	vbpmp_vm_reset(&g->vm);
	guest_boot(g);
	guest_send(g, 1, MRQ_PING, 8, 0, 0);
	assert_true(bpmp_model_answer_one()); /* the old life's answer: dropped */
	hyp_takes_bpmp_irq();
	assert_int_equal(fake_irq_level(INTID(0)), 0);
	assert_false(guest_receive(g, 1, &err, &data));
	assert_true(bpmp_model_answer_one());
	hyp_takes_bpmp_irq();
	guest_take_irq(g);
	assert_true(guest_receive(g, 1, &err, &data));
	assert_int_equal(data, 16);
	/* A stopped VM's request is dropped too. */
	guest_send(g, 1, MRQ_PING, 9, 0, 0);
	vbpmp_vm_stop(&g->vm);
	assert_true(bpmp_model_answer_one());
	hyp_takes_bpmp_irq();
	assert_int_equal(fake_irq_level(INTID(0)), 0);
}

static void test_bpmp_channel_reset_fails_request_and_recovers(void **state)
{
	struct vbpmp_guest *g = &guests[0];
	u32 data;
	s32 err;

	(void)state;
	bpmp_model.mode = MODEL_LATE;
	guest_send(g, 0, MRQ_PING, 1, 0, 0);
	bpmp_model_channel_reset(); /* the request on it is lost */
	hyp_takes_bpmp_irq();             /* Tessera answers the handshake */
	assert_true(ivc_established(&bpmp_model.ivc));
	guest_take_irq(g);
	assert_int_equal(guest_answer_err(g, 0), -BPMP_ETIMEDOUT);
	/* Nothing is owed for the lost request: the next answer is the next request's. */
	guest_send(g, 1, MRQ_PING, 2, 0, 0);
	assert_true(bpmp_model_answer_one());
	hyp_takes_bpmp_irq();
	guest_take_irq(g);
	assert_true(guest_receive(g, 1, &err, &data));
	assert_int_equal(err, 0);
	assert_int_equal(data, 4);
}

static void test_no_bpmp_is_inert(void **state)
{
	struct platform none = { 0 };
	struct vbpmp_guest *g = &guests[0];

	(void)state;
	assert_false(bpmp_init(&none, 0));
	assert_false(bpmp_irq(MODEL_DB_INTID));
	assert_false(bpmp_irq(MODEL_TIMER_INTID));
	/* A VM with a virtual BPMP on such a machine gets ENODEV, not a hang. */
	guest_send(g, 0, MRQ_PING, 1, 0, 0);
	guest_take_irq(g);
	assert_int_equal(guest_answer_err(g, 0), -BPMP_ENODEV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_boot_handshake_and_hsp_layout, setup),
		cmocka_unit_test_setup(test_hsp_widths_and_reserved, setup),
		cmocka_unit_test_setup(test_allowed_request_reaches_bpmp_and_answer_reaches_guest, setup),
		cmocka_unit_test_setup(test_refused_never_reaches_bpmp, setup),
		cmocka_unit_test_setup(test_refusal_reports_are_limited, setup),
		cmocka_unit_test_setup(test_malformed_is_contained, setup),
		cmocka_unit_test_setup(test_rewrite_after_doorbell_is_not_seen, setup),
		cmocka_unit_test_setup(test_one_request_at_a_time_per_vm, setup),
		cmocka_unit_test_setup(test_timeout_answers_and_late_answer_is_dropped, setup),
		cmocka_unit_test_setup(test_dead_bpmp_stalls_no_one, setup),
		cmocka_unit_test_setup(test_two_vms_interleaved, setup),
		cmocka_unit_test_setup(test_restart_drops_request_and_late_answer, setup),
		cmocka_unit_test_setup(test_bpmp_channel_reset_fails_request_and_recovers, setup),
		cmocka_unit_test_setup(test_no_bpmp_is_inert, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
