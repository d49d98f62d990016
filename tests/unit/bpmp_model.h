/*
 * A BPMP for host tests: the firmware side of Tessera's channel
 * (drivers/bpmp.h) in fake SYSRAM, and the real HSP's doorbell registers
 * behind fake_mmio_read/write (tests/unit/mmio.h). It answers MRQ_PING,
 * MRQ_QUERY_ABI, MRQ_CLK, MRQ_RESET and MRQ_PG; it can answer late (when
 * the test says), or take requests and never answer, or be dead (read
 * nothing at all). Its IVC end is ivc.c's, with the queues swapped, as the
 * firmware's own is (test_bpmp_ivc checks that framing).
 */
#ifndef TESTS_BPMP_MODEL_H
#define TESTS_BPMP_MODEL_H

#include <drivers/bpmp_ivc.h>
#include <tessera/platform.h>

#define MODEL_HSP_BASE 0x03c00000ULL
#define MODEL_HSP_SIZE 0xa0000ULL
/* Tegra234's TOP0 HSP: 8 shared mailboxes, 4 shared semaphores: doorbells at 0x90000. */
#define MODEL_DIMENSIONING (8U | 4U << 4 | 8U << 12)
#define MODEL_DB_PAGE 0x90000ULL
#define MODEL_DB_INTID 208U
#define MODEL_TIMER_INTID 26U
#define MODEL_MAX_MSGS 16

enum bpmp_model_mode {
	MODEL_ANSWER, /* answers each request as it is rung */
	MODEL_LATE,   /* takes requests, answers when bpmp_model_answer_one() says */
	MODEL_DEAD,   /* reads nothing, answers nothing, not even the handshake */
};

struct bpmp_model {
	u8 tx_pool[4096] __attribute__((aligned(4096))); /* CPU to BPMP */
	u8 rx_pool[4096] __attribute__((aligned(4096))); /* BPMP to CPU */
	struct ivc ivc;
	enum bpmp_model_mode mode;
	u32 ccplex_enable, ccplex_raw; /* the real HSP's CCPLEX doorbell */
	unsigned int rings;            /* of the BPMP doorbell */
	u8 seen[MODEL_MAX_MSGS][128];  /* requests taken, in order */
	unsigned int seen_count;
	u8 waiting[MODEL_MAX_MSGS][128]; /* taken, not answered yet */
	unsigned int waiting_count;
};

extern struct bpmp_model bpmp_model;

/* A fresh BPMP in @mode, and @plat's bpmp and timer fields describing it. */
void bpmp_model_reset(enum bpmp_model_mode mode, struct platform *plat);
/* Answers the oldest request waiting; false when none waits or the answer frame is full. */
bool bpmp_model_answer_one(void);
/* The BPMP restarts its end of the channel (firmware reset): SYNC, requests forgotten, rung. */
void bpmp_model_channel_reset(void);
/* The mrq and the first payload word of request @i it saw. */
u32 bpmp_model_seen_mrq(unsigned int i);
u32 bpmp_model_seen_word(unsigned int i, unsigned int word);

#endif
