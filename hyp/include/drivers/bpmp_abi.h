/*
 * The few BPMP ABI facts Tessera uses, written from Linux
 * include/soc/tegra/bpmp-abi.h (read, not copied). A message in an IVC
 * frame is a struct mrq_request header (the MRQ number, flags), then the
 * MRQ's payload; a frame holds MSG_MIN_SZ = 128 bytes, so a payload at
 * most MSG_DATA_MIN_SZ = 120. A response header is (s32 err, flags).
 */
#ifndef DRIVERS_BPMP_ABI_H
#define DRIVERS_BPMP_ABI_H

#define BPMP_MSG_SIZE 128U
#define BPMP_MSG_HEADER_SIZE 8U
#define BPMP_MSG_DATA_SIZE (BPMP_MSG_SIZE - BPMP_MSG_HEADER_SIZE)

/* mrq_request.flags: MSG_ACK asks for an answer, MSG_RING for a doorbell with it. */
#define BPMP_MSG_ACK (1U << 0)
#define BPMP_MSG_RING (1U << 1)

/* MRQ codes (bpmp-abi.h "Legal MRQ codes"). */
#define MRQ_PING 0U
#define MRQ_QUERY_TAG 1U
#define MRQ_RESET 20U
#define MRQ_CLK 22U
#define MRQ_QUERY_ABI 23U
#define MRQ_PG 66U
#define MRQ_QUERY_FW_TAG 71U

/* MRQ_CLK: payload word 0 is cmd << 24 | clock id (bpmp-abi.h mrq_clk_request). */
#define CMD_CLK_GET_RATE 1U
#define CMD_CLK_SET_RATE 2U
#define CMD_CLK_ROUND_RATE 3U
#define CMD_CLK_GET_PARENT 4U
#define CMD_CLK_SET_PARENT 5U
#define CMD_CLK_IS_ENABLED 6U
#define CMD_CLK_ENABLE 7U
#define CMD_CLK_DISABLE 8U
#define CMD_CLK_GET_ALL_INFO 14U
#define CMD_CLK_GET_MAX_CLK_ID 15U
#define CMD_CLK_GET_FMAX_AT_VMIN 16U

/* MRQ_RESET: payload (u32 cmd, u32 reset_id) (mrq_reset_request). */
#define CMD_RESET_ASSERT 1U
#define CMD_RESET_DEASSERT 2U
#define CMD_RESET_MODULE 3U
#define CMD_RESET_GET_MAX_ID 4U

/* MRQ_PG: payload (u32 cmd, u32 id, ...) (mrq_pg_request). */
#define CMD_PG_QUERY_ABI 0U
#define CMD_PG_SET_STATE 1U
#define CMD_PG_GET_STATE 2U
#define CMD_PG_GET_NAME 3U
#define CMD_PG_GET_MAX_ID 4U

/* Error codes; mrq_response.err carries them negated (bpmp-abi.h "Error Codes"). */
#define BPMP_EPERM 1
#define BPMP_EBADCMD 6 /* "Bad sub-MRQ command" */
#define BPMP_ENODEV 19
#define BPMP_EINVAL 22
#define BPMP_ETIMEDOUT 23 /* "Timeout during operation" */

#endif
