/* The BPMP model (bpmp_model.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <drivers/bpmp_abi.h>
#include <drivers/tegra_hsp.h>
#include <mmio.h>

#include "bpmp_model.h"

#define CHANNEL_SIZE (IVC_HEADER_SIZE + BPMP_MSG_SIZE)

struct bpmp_model bpmp_model;

void bpmp_model_reset(enum bpmp_model_mode mode, struct platform *plat)
{
	memset(&bpmp_model, 0, sizeof(bpmp_model));
	bpmp_model.mode = mode;
	/* The firmware's end of channel 0: it writes the rx pool, reads the tx pool. */
	assert_true(ivc_init(&bpmp_model.ivc, bpmp_model.rx_pool, bpmp_model.tx_pool, CHANNEL_SIZE, 1,
			     BPMP_MSG_SIZE));
	plat->bpmp = (struct platform_bpmp){
		.present = true,
		.hsp = { MODEL_HSP_BASE, MODEL_HSP_SIZE },
		.hsp_doorbell_intid = MODEL_DB_INTID,
		.db_master = HSP_MASTER_BPMP,
		.tx = { (uintptr_t)bpmp_model.tx_pool, sizeof(bpmp_model.tx_pool) },
		.rx = { (uintptr_t)bpmp_model.rx_pool, sizeof(bpmp_model.rx_pool) },
	};
	plat->timer_intid[3] = MODEL_TIMER_INTID;
}

static u32 word(const u8 *msg, unsigned int i)
{
	u32 w;

	memcpy(&w, msg + 4 * i, sizeof(w));
	return w;
}

u32 bpmp_model_seen_mrq(unsigned int i)
{
	assert_true(i < bpmp_model.seen_count);
	return word(bpmp_model.seen[i], 0);
}

u32 bpmp_model_seen_word(unsigned int i, unsigned int w)
{
	assert_true(i < bpmp_model.seen_count);
	return word(bpmp_model.seen[i], 2 + w);
}

static void put(u8 *answer, unsigned int i, u32 w)
{
	memcpy(answer + 4 * i, &w, sizeof(w));
}

/* What the firmware answers (bpmp-abi.h's responses): err, flags, then data. */
static void make_answer(const u8 *req, u8 *answer)
{
	u32 mrq = word(req, 0), arg = word(req, 2);
	s32 err = 0;

	memset(answer, 0, BPMP_MSG_SIZE);
	switch (mrq) {
	case MRQ_PING:
		put(answer, 2, arg << 1); /* mrq_ping_response.reply */
		break;
	case MRQ_QUERY_ABI:
		put(answer, 2, arg == MRQ_CLK || arg == MRQ_RESET || arg == MRQ_PG || arg == MRQ_PING
				       ? 0 : (u32)-BPMP_ENODEV);
		break;
	case MRQ_CLK:
		if (arg >> 24 == CMD_CLK_GET_RATE)
			put(answer, 2, (arg & 0xffffff) * 1000); /* a rate that names the clock */
		break;
	case MRQ_RESET:
	case MRQ_PG:
		break;
	default:
		err = -BPMP_ENODEV;
	}
	memcpy(answer, &err, sizeof(err));
}

static void ring_cpu(void)
{
	bpmp_model.ccplex_raw |= 1U << HSP_MASTER_BPMP;
}

bool bpmp_model_answer_one(void)
{
	u8 answer[BPMP_MSG_SIZE];

	if (!bpmp_model.waiting_count)
		return false;
	make_answer(bpmp_model.waiting[0], answer);
	if (ivc_write_frame(&bpmp_model.ivc, answer, sizeof(answer)) != IVC_OK)
		return false;
	if (word(bpmp_model.waiting[0], 1) & BPMP_MSG_RING)
		ring_cpu();
	bpmp_model.waiting_count--;
	memmove(bpmp_model.waiting[0], bpmp_model.waiting[1], bpmp_model.waiting_count * 128);
	return true;
}

void bpmp_model_channel_reset(void)
{
	ivc_reset(&bpmp_model.ivc);
	bpmp_model.waiting_count = 0;
	ring_cpu();
}

static void rung(void)
{
	u8 req[BPMP_MSG_SIZE];

	bpmp_model.rings++;
	if (bpmp_model.mode == MODEL_DEAD)
		return;
	if (ivc_notified(&bpmp_model.ivc))
		ring_cpu();
	while (ivc_read_frame(&bpmp_model.ivc, req, sizeof(req)) == IVC_OK) {
		assert_true(bpmp_model.seen_count < MODEL_MAX_MSGS);
		memcpy(bpmp_model.seen[bpmp_model.seen_count++], req, sizeof(req));
		memcpy(bpmp_model.waiting[bpmp_model.waiting_count++], req, sizeof(req));
	}
	if (bpmp_model.mode == MODEL_ANSWER)
		while (bpmp_model_answer_one())
			;
}

#define CCPLEX(reg) (MODEL_HSP_BASE + MODEL_DB_PAGE + HSP_DB_CCPLEX * HSP_DB_STRIDE + (reg))
#define BPMP_DB(reg) (MODEL_HSP_BASE + MODEL_DB_PAGE + HSP_DB_BPMP * HSP_DB_STRIDE + (reg))

uint64_t fake_mmio_read(uint64_t addr, unsigned int size)
{
	assert_int_equal(size, 4);
	if (addr == MODEL_HSP_BASE + HSP_DIMENSIONING)
		return MODEL_DIMENSIONING;
	if (addr == CCPLEX(HSP_DB_ENABLE))
		return bpmp_model.ccplex_enable;
	if (addr == CCPLEX(HSP_DB_PENDING))
		return bpmp_model.ccplex_raw & bpmp_model.ccplex_enable;
	fail_msg("read of HSP 0x%llx", (unsigned long long)addr);
	return 0;
}

void fake_mmio_write(uint64_t addr, uint64_t v, unsigned int size)
{
	assert_int_equal(size, 4);
	if (addr == CCPLEX(HSP_DB_ENABLE))
		bpmp_model.ccplex_enable = (u32)v;
	else if (addr == CCPLEX(HSP_DB_PENDING))
		bpmp_model.ccplex_raw &= ~(u32)v;
	else if (addr == BPMP_DB(HSP_DB_TRIGGER))
		rung();
	else
		fail_msg("write of HSP 0x%llx", (unsigned long long)addr);
}
