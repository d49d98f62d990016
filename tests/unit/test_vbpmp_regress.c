/*
 * Regressions of the BPMP mediator found by tests/fuzz/fuzz_vbpmp.c, each
 * kept here where it is plain to read: Tessera's channel to the BPMP
 * (hyp/drivers/bpmp/bpmp.c) against the BPMP model (bpmp_model.h). The
 * bound they hold is bpmp.c's: a request costs at most BPMP_TIMEOUT_MS from
 * when it heads the queue, whatever the BPMP does.
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

#include "bpmp_model.h"
#include "fake_arch.h"

#define TICKS_PER_MS 1000ULL
#define START 5000ULL
#define TIMEOUT (BPMP_TIMEOUT_MS * TICKS_PER_MS)

static struct platform plat;
static struct bpmp_xfer xfers[2];
static unsigned int done_count[2];
static int done_status[2];

int mmu_map_device(u64 base, u64 size) { (void)base; (void)size; return 0; }
int mmu_map_ram(u64 base, u64 size) { (void)base; (void)size; return 0; }
void gic_set_spi_trigger(u32 intid, bool edge) { (void)intid; (void)edge; }
void gic_enable_spi(u32 intid, u64 mpidr) { (void)intid; (void)mpidr; }
void gic_enable_private(u32 intid) { (void)intid; }

static void done(struct bpmp_xfer *xfer)
{
	unsigned int i = (unsigned int)(xfer - xfers);

	done_count[i]++;
	done_status[i] = xfer->status;
}

static void submit(unsigned int i)
{
	memset(&xfers[i], 0, sizeof(xfers[i]));
	xfers[i].msg[0] = MRQ_PING;
	xfers[i].done = done;
	assert_int_equal(bpmp_submit(&xfers[i]), 0);
}

/* The BPMP's doorbell line is level: taken until it drops. */
static void doorbell(void)
{
	for (unsigned int n = 0; bpmp_model.ccplex_raw & bpmp_model.ccplex_enable; n++) {
		assert_true(n < 4);
		assert_true(bpmp_irq(MODEL_DB_INTID));
	}
}

static void at(u64 ticks)
{
	fake_sysreg_set("cntpct_el0", ticks);
}

static int setup(void **state)
{
	(void)state;
	fake_arch_reset();
	fake_sysreg_set("cntfrq_el0", 1000 * TICKS_PER_MS);
	at(START);
	memset(&plat, 0, sizeof(plat));
	memset(done_count, 0, sizeof(done_count));
	bpmp_model_reset(MODEL_ANSWER, &plat);
	assert_true(bpmp_init(&plat, 0));
	el2_timer_init(&plat);
	fake_run_on(0, NULL);
	el2_timer_cpu_init();
	return 0;
}

/* Seed bpmp-resets-hold-waiting-request: each channel reset restarted the wait, for ever. */
static void test_channel_reset_keeps_waiting_requests_deadline(void **state)
{
	(void)state;
	bpmp_model.mode = MODEL_DEAD;
	submit(0); /* on the channel, never read */
	submit(1); /* waits behind it */
	bpmp_model_channel_reset();
	doorbell();
	assert_int_equal(done_count[0], 1); /* lost with the channel */
	assert_int_equal(done_status[0], -BPMP_ETIMEDOUT);
	/* Xfer 1 cannot go on a channel that is not up again: it waits its bound. */
	assert_int_equal(fake_sysreg_get("cnthp_cval_el2"), START + TIMEOUT);
	for (unsigned int n = 1; n <= 3; n++) {
		at(START + n * TIMEOUT / 4);
		bpmp_model_channel_reset();
		doorbell();
		assert_int_equal(fake_sysreg_get("cnthp_cval_el2"), START + TIMEOUT);
	}
	at(START + TIMEOUT);
	assert_true(el2_timer_irq(MODEL_TIMER_INTID));
	assert_int_equal(done_count[1], 1);
	assert_int_equal(done_status[1], -BPMP_ETIMEDOUT);
}

/* Seed channel-wait-counts-in-bound: a request sent late in its wait got a whole bound more. */
static void test_wait_for_channel_counts_in_bound(void **state)
{
	(void)state;
	bpmp_model.mode = MODEL_DEAD;
	bpmp_model_channel_reset(); /* and it does not finish the handshake */
	doorbell();
	submit(0);
	assert_int_equal(bpmp_model.waiting_count, 0);
	assert_int_equal(fake_sysreg_get("cnthp_cval_el2"), START + TIMEOUT);
	/* Late in xfer 0's wait, the BPMP comes back and takes it, but does not answer. */
	at(START + 9 * TIMEOUT / 10);
	bpmp_model.mode = MODEL_LATE;
	bpmp_model_channel_reset();
	doorbell();
	assert_int_equal(bpmp_model.waiting_count, 1);
	assert_int_equal(fake_sysreg_get("cnthp_cval_el2"), START + TIMEOUT);
	at(START + TIMEOUT);
	assert_true(el2_timer_irq(MODEL_TIMER_INTID));
	assert_int_equal(done_count[0], 1);
	assert_int_equal(done_status[0], -BPMP_ETIMEDOUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_channel_reset_keeps_waiting_requests_deadline, setup),
		cmocka_unit_test_setup(test_wait_for_channel_counts_in_bound, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
