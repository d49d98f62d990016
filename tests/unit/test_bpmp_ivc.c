/*
 * IVC framing (hyp/drivers/bpmp/ivc.c) between two ends in one buffer:
 * Tessera's and a model peer (the BPMP, or a guest), the model being a
 * second struct ivc with the queues swapped. A hostile peer is modelled by
 * writing the shared header directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <drivers/bpmp_ivc.h>

#include "fake_arch.h"

#define NFRAMES 4U
#define FRAME 64U
#define QSIZE (IVC_HEADER_SIZE + NFRAMES * FRAME)
#define CANARY 0xa5

/* Two queues, then a guard that nothing may write. */
static u8 shm[2 * QSIZE + 256] __attribute__((aligned(64)));
static struct ivc hyp, peer;

static struct ivc_header *hyp_tx(void) { return (struct ivc_header *)shm; }
static struct ivc_header *hyp_rx(void) { return (struct ivc_header *)(shm + QSIZE); }

static void assert_guard_intact(void)
{
	for (size_t i = 2 * QSIZE; i < sizeof(shm); i++)
		assert_int_equal(shm[i], CANARY);
}

static void connect(void)
{
	/* SYNC/SYNC -> ACK -> EST/EST: ivc.c's transition table */
	assert_true(ivc_notified(&hyp));   /* peer SYNC: hyp to ACK */
	assert_true(ivc_notified(&peer));  /* local SYNC, peer ACK: to EST */
	assert_true(ivc_notified(&hyp));   /* local ACK, peer EST: to EST */
	assert_false(ivc_notified(&peer)); /* EST/EST: nothing */
	assert_true(ivc_established(&hyp));
	assert_true(ivc_established(&peer));
}

static int setup(void **state)
{
	(void)state;
	fake_arch_reset();
	memset(shm, CANARY, sizeof(shm));
	memset(shm, 0, 2 * QSIZE);
	assert_true(ivc_init(&hyp, hyp_tx(), hyp_rx(), QSIZE, NFRAMES, FRAME));
	assert_true(ivc_init(&peer, hyp_rx(), hyp_tx(), QSIZE, NFRAMES, FRAME));
	return 0;
}

static void test_init_refuses_bad_geometry(void **state)
{
	struct ivc c;

	(void)state;
	assert_int_equal(ivc_queue_size(NFRAMES, FRAME), QSIZE);
	assert_false(ivc_init(&c, shm, shm + QSIZE, QSIZE, NFRAMES, 100));      /* not 64-aligned */
	assert_false(ivc_init(&c, shm, shm + QSIZE, QSIZE, 0, FRAME));          /* no frames */
	assert_false(ivc_init(&c, shm, shm + QSIZE, QSIZE - 1, NFRAMES, FRAME)); /* too small */
	assert_false(ivc_init(&c, shm + 4, shm + QSIZE, QSIZE, NFRAMES, FRAME)); /* base unaligned */
	assert_false(ivc_init(&c, shm, shm + 64, QSIZE, NFRAMES, FRAME));       /* queues overlap */
	/* 2^32-64 frames of 2^32-64 bytes: no wrap to a small size */
	assert_false(ivc_init(&c, shm, shm + QSIZE, QSIZE, 0xffffffc0U, 0xffffffc0U));
}

static void test_not_ready_before_handshake(void **state)
{
	u8 buf[FRAME] = { 1 };

	(void)state;
	assert_int_equal(ivc_write_frame(&hyp, buf, 1), IVC_NOT_READY);
	assert_int_equal(ivc_read_frame(&hyp, buf, sizeof(buf)), IVC_NOT_READY);
	assert_true(ivc_notified(&hyp));
	assert_int_equal(ivc_write_frame(&hyp, buf, 1), IVC_NOT_READY); /* ACK is not EST */
}

static void test_round_trip(void **state)
{
	u8 out[FRAME], in[FRAME];

	(void)state;
	connect();
	memset(out, 0x33, sizeof(out));
	assert_int_equal(ivc_write_frame(&peer, "ping", 5), IVC_OK);
	assert_int_equal(ivc_read_frame(&hyp, in, sizeof(in)), IVC_OK);
	assert_string_equal((char *)in, "ping");
	for (u32 i = 5; i < FRAME; i++)
		assert_int_equal(in[i], 0); /* the rest of the frame zero-filled */
	assert_int_equal(ivc_write_frame(&hyp, out, FRAME), IVC_OK);
	memset(in, 0, sizeof(in));
	assert_int_equal(ivc_read_frame(&peer, in, sizeof(in)), IVC_OK);
	assert_memory_equal(in, out, FRAME);
	/* counters published in the shared headers */
	assert_int_equal(hyp_rx()->tx_count, 1);
	assert_int_equal(hyp_rx()->rx_count, 1);
	assert_int_equal(hyp_tx()->tx_count, 1);
	assert_int_equal(hyp_tx()->rx_count, 1);
	assert_int_equal(ivc_write_frame(&hyp, out, FRAME + 1), IVC_BAD_SIZE);
	assert_int_equal(ivc_read_frame(&hyp, in, FRAME - 1), IVC_BAD_SIZE);
	assert_guard_intact();
}

static void test_full_empty_and_wrap(void **state)
{
	u8 buf[FRAME];

	(void)state;
	connect();
	assert_int_equal(ivc_read_frame(&peer, buf, sizeof(buf)), IVC_EMPTY);
	/* three laps of the ring: positions wrap, every frame arrives in order */
	for (u32 lap = 0; lap < 3; lap++) {
		for (u32 i = 0; i < NFRAMES; i++) {
			u8 v = (u8)(lap * NFRAMES + i);

			assert_int_equal(ivc_write_frame(&hyp, &v, 1), IVC_OK);
		}
		assert_int_equal(ivc_write_frame(&hyp, buf, 1), IVC_FULL);
		for (u32 i = 0; i < NFRAMES; i++) {
			assert_int_equal(ivc_read_frame(&peer, buf, sizeof(buf)), IVC_OK);
			assert_int_equal(buf[0], lap * NFRAMES + i);
		}
		assert_int_equal(ivc_read_frame(&peer, buf, sizeof(buf)), IVC_EMPTY);
	}
	assert_false(hyp.peer_corrupt);
	assert_guard_intact();
}

static void test_corrupt_counters_refused(void **state)
{
	u8 buf[FRAME];
	static const u32 bad[] = { NFRAMES + 1, 0x80000000U, 0xffffffffU };

	(void)state;
	connect();
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		/* The peer claims more frames written than the queue holds. */
		hyp_rx()->tx_count = bad[i];
		memset(buf, 0x77, sizeof(buf));
		assert_int_equal(ivc_read_frame(&hyp, buf, sizeof(buf)), IVC_CORRUPT);
		assert_int_equal(buf[0], 0x77); /* nothing copied */
		assert_int_equal(hyp.rx_count, 0);
		/* The peer claims to have read frames never written. */
		hyp_tx()->rx_count = bad[i];
		assert_int_equal(ivc_write_frame(&hyp, "x", 1), IVC_CORRUPT);
		assert_int_equal(hyp.tx_count, 0);
	}
	assert_true(hyp.peer_corrupt);
	/* The peer overwriting our own published counts changes nothing here. */
	hyp_rx()->tx_count = 1;
	hyp_rx()->rx_count = 0xdead;
	hyp_tx()->rx_count = 0;
	hyp_tx()->tx_count = 0xbeef;
	assert_int_equal(ivc_read_frame(&hyp, buf, sizeof(buf)), IVC_OK);
	assert_int_equal(ivc_read_frame(&hyp, buf, sizeof(buf)), IVC_EMPTY);
	for (u32 i = 0; i < NFRAMES; i++)
		assert_int_equal(ivc_write_frame(&hyp, "y", 1), IVC_OK);
	assert_int_equal(ivc_write_frame(&hyp, "y", 1), IVC_FULL);
	assert_guard_intact();
}

static void test_bad_peer_state_ignored(void **state)
{
	(void)state;
	hyp_rx()->tx_state = 7;
	assert_false(ivc_notified(&hyp));
	assert_true(hyp.peer_corrupt);
	assert_int_equal(hyp_tx()->tx_state, IVC_STATE_SYNC);
}

static void test_peer_reset_restarts_counters(void **state)
{
	u8 buf[FRAME];

	(void)state;
	connect();
	assert_int_equal(ivc_write_frame(&hyp, "a", 1), IVC_OK);
	assert_int_equal(ivc_write_frame(&hyp, "b", 1), IVC_OK);
	/* The peer restarts (a rebooted guest, a BPMP reset): SYNC. */
	ivc_reset(&peer);
	assert_true(ivc_notified(&hyp)); /* EST, peer SYNC: clear, ACK */
	assert_false(ivc_established(&hyp));
	assert_int_equal(hyp_tx()->tx_count, 0);
	assert_int_equal(ivc_write_frame(&hyp, "c", 1), IVC_NOT_READY);
	assert_true(ivc_notified(&peer));  /* SYNC, peer ACK: clear, EST */
	assert_true(ivc_notified(&hyp));   /* ACK: EST */
	assert_int_equal(ivc_read_frame(&peer, buf, sizeof(buf)), IVC_EMPTY); /* old frames gone */
	assert_int_equal(ivc_write_frame(&hyp, "d", 1), IVC_OK);
	assert_int_equal(ivc_read_frame(&peer, buf, sizeof(buf)), IVC_OK);
	assert_int_equal(buf[0], 'd');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_init_refuses_bad_geometry, setup),
		cmocka_unit_test_setup(test_not_ready_before_handshake, setup),
		cmocka_unit_test_setup(test_round_trip, setup),
		cmocka_unit_test_setup(test_full_empty_and_wrap, setup),
		cmocka_unit_test_setup(test_corrupt_counters_refused, setup),
		cmocka_unit_test_setup(test_bad_peer_state_ignored, setup),
		cmocka_unit_test_setup(test_peer_reset_restarts_counters, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
