/*
 * The virtual BPMP's allow-list (hyp/virt/vbpmp_filter.c), message by
 * message, with the GPU VM's list from Ghaf's bpmp-allowlist.nix
 * (../shared/reference/orin-update-2026-12.md §1.2): clocks 304, 41, 236;
 * reset 19; power domain 35.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <drivers/bpmp_abi.h>
#include <virt/vbpmp_filter.h>

#include "fake_arch.h"

static const struct vbpmp_allow gpu_vm = {
	.clocks = { .ids = { 304, 41, 236 }, .count = 3 },
	.resets = { .ids = { 19 }, .count = 1 },
	.power_domains = { .ids = { 35 }, .count = 1 },
};

static u8 msg[BPMP_MSG_SIZE];

/* A full frame: header (mrq, flags = ACK) then the payload words given. */
static u32 build(u32 mrq, u32 nwords, const u32 *words)
{
	u32 flags = 1;

	memset(msg, 0, sizeof(msg));
	memcpy(msg, &mrq, 4);
	memcpy(msg + 4, &flags, 4);
	memcpy(msg + BPMP_MSG_HEADER_SIZE, words, 4 * nwords);
	return BPMP_MSG_SIZE;
}

static int send(u32 mrq, u32 w0, u32 w1, u32 w2, u32 len)
{
	const u32 words[] = { w0, w1, w2 };

	build(mrq, 3, words);
	return vbpmp_filter(&gpu_vm, msg, len);
}

#define CLK(cmd, id) (((u32)(cmd) << 24) | (id))
#define FULL BPMP_MSG_SIZE
#define HDR BPMP_MSG_HEADER_SIZE

static int setup(void **state)
{
	(void)state;
	fake_arch_reset();
	return 0;
}

static void test_allowed_forwarded(void **state)
{
	(void)state;
	assert_int_equal(send(MRQ_CLK, CLK(CMD_CLK_ENABLE, 304), 0, 0, FULL), 0);
	assert_int_equal(send(MRQ_CLK, CLK(CMD_CLK_DISABLE, 41), 0, 0, FULL), 0);
	assert_int_equal(send(MRQ_CLK, CLK(CMD_CLK_SET_RATE, 236), 0, 0, FULL), 0);
	assert_int_equal(send(MRQ_CLK, CLK(CMD_CLK_GET_ALL_INFO, 304), 0, 0, FULL), 0);
	assert_int_equal(send(MRQ_CLK, CLK(CMD_CLK_SET_PARENT, 41), 236, 0, FULL), 0);
	assert_int_equal(send(MRQ_CLK, CLK(CMD_CLK_GET_MAX_CLK_ID, 0), 0, 0, FULL), 0);
	assert_int_equal(send(MRQ_RESET, CMD_RESET_ASSERT, 19, 0, FULL), 0);
	assert_int_equal(send(MRQ_RESET, CMD_RESET_MODULE, 19, 0, FULL), 0);
	assert_int_equal(send(MRQ_RESET, CMD_RESET_GET_MAX_ID, 0, 0, FULL), 0);
	assert_int_equal(send(MRQ_PG, CMD_PG_SET_STATE, 35, 1, FULL), 0);
	assert_int_equal(send(MRQ_PG, CMD_PG_GET_STATE, 35, 0, FULL), 0);
	assert_int_equal(send(MRQ_PG, CMD_PG_QUERY_ABI, 0, CMD_PG_SET_STATE, FULL), 0);
	assert_int_equal(send(MRQ_PG, CMD_PG_GET_MAX_ID, 0, 0, FULL), 0);
	/* the harmless queries */
	assert_int_equal(send(MRQ_PING, 0x1234, 0, 0, FULL), 0);
	assert_int_equal(send(MRQ_QUERY_ABI, MRQ_CLK, 0, 0, FULL), 0);
	assert_int_equal(send(MRQ_QUERY_FW_TAG, 0, 0, 0, HDR), 0);
	/* exactly the minimum payload: SET_RATE is (unused, s64 rate) */
	assert_int_equal(send(MRQ_CLK, CLK(CMD_CLK_SET_RATE, 236), 0, 0, HDR + 16), 0);
}

static void test_refused_ids(void **state)
{
	(void)state;
	/* clock 435: host-critical, kept denied in Ghaf's list */
	assert_int_equal(send(MRQ_CLK, CLK(CMD_CLK_ENABLE, 435), 0, 0, FULL), -BPMP_EPERM);
	assert_int_equal(send(MRQ_CLK, CLK(CMD_CLK_GET_RATE, 46), 0, 0, FULL), -BPMP_EPERM);
	/* an allowed clock re-parented onto one the VM does not own */
	assert_int_equal(send(MRQ_CLK, CLK(CMD_CLK_SET_PARENT, 41), 435, 0, FULL), -BPMP_EPERM);
	/* the id is bits 23:0; the largest one is not listed either */
	assert_int_equal(send(MRQ_CLK, CLK(CMD_CLK_ENABLE, 0xffffff), 0, 0, FULL), -BPMP_EPERM);
	assert_int_equal(send(MRQ_RESET, CMD_RESET_DEASSERT, 44, 0, FULL), -BPMP_EPERM);
	assert_int_equal(send(MRQ_PG, CMD_PG_SET_STATE, 23, 0, FULL), -BPMP_EPERM);
	assert_int_equal(send(MRQ_PG, CMD_PG_GET_NAME, 36, 0, FULL), -BPMP_EPERM);
	/* BPMP would DMA the tag to a guest-chosen physical address */
	assert_int_equal(send(MRQ_QUERY_TAG, 0x80000000, 0, 0, FULL), -BPMP_EPERM);
	/* an empty list allows nothing */
	struct vbpmp_allow none = { 0 };
	build(MRQ_RESET, 0, NULL);
	memcpy(msg + HDR, &(u32[]){ CMD_RESET_ASSERT, 0 }, 8);
	assert_int_equal(vbpmp_filter(&none, msg, FULL), -BPMP_EPERM);
}

static void test_malformed(void **state)
{
	(void)state;
	/* shorter than the header, longer than a frame */
	assert_int_equal(send(MRQ_PING, 0, 0, 0, 0), -BPMP_EINVAL);
	assert_int_equal(send(MRQ_PING, 0, 0, 0, HDR - 1), -BPMP_EINVAL);
	assert_int_equal(send(MRQ_PING, 0, 0, 0, FULL + 1), -BPMP_EINVAL);
	/* shorter than the command's minimum payload */
	assert_int_equal(send(MRQ_PING, 0, 0, 0, HDR + 3), -BPMP_EINVAL);
	assert_int_equal(send(MRQ_CLK, CLK(CMD_CLK_ENABLE, 304), 0, 0, HDR + 3), -BPMP_EINVAL);
	assert_int_equal(send(MRQ_CLK, CLK(CMD_CLK_SET_RATE, 304), 0, 0, HDR + 15), -BPMP_EINVAL);
	assert_int_equal(send(MRQ_CLK, CLK(CMD_CLK_SET_PARENT, 304), 41, 0, HDR + 7), -BPMP_EINVAL);
	assert_int_equal(send(MRQ_RESET, CMD_RESET_ASSERT, 19, 0, HDR + 7), -BPMP_EINVAL);
	assert_int_equal(send(MRQ_PG, CMD_PG_SET_STATE, 35, 1, HDR + 11), -BPMP_EINVAL);
	assert_int_equal(send(MRQ_PG, CMD_PG_QUERY_ABI, 0, 1, HDR + 11), -BPMP_EINVAL);
	/* unknown MRQs: never forwarded (MRQ_STRAP 68, MRQ_I2C 21, out of range) */
	assert_int_equal(send(68, 0, 0, 0, FULL), -BPMP_ENODEV);
	assert_int_equal(send(21, 0, 0, 0, FULL), -BPMP_ENODEV);
	assert_int_equal(send(0xffffffffU, 0, 0, 0, FULL), -BPMP_ENODEV);
	/* unknown sub-commands, on an allowed ID */
	assert_int_equal(send(MRQ_CLK, CLK(9, 304), 0, 0, FULL), -BPMP_EBADCMD);  /* CMD_CLK_PROPERTIES, removed */
	assert_int_equal(send(MRQ_CLK, CLK(0, 304), 0, 0, FULL), -BPMP_EBADCMD);
	assert_int_equal(send(MRQ_CLK, CLK(0xff, 304), 0, 0, FULL), -BPMP_EBADCMD);
	assert_int_equal(send(MRQ_RESET, 5, 19, 0, FULL), -BPMP_EBADCMD);
	assert_int_equal(send(MRQ_PG, 5, 35, 0, FULL), -BPMP_EBADCMD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_allowed_forwarded, setup),
		cmocka_unit_test_setup(test_refused_ids, setup),
		cmocka_unit_test_setup(test_malformed, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
