/*
 * The virtual BPMP's allow-list (virt/vbpmp_filter.h). Message layouts,
 * minimum request lengths and error codes are from Linux
 * include/soc/tegra/bpmp-abi.h (mrq_request's table of minimum payload
 * lengths; read, not copied). The policy, Tessera's own:
 *  - shorter than the header or the command's minimum payload, or longer
 *    than a frame: -BPMP_EINVAL;
 *  - an MRQ the mediator does not know: -BPMP_ENODEV, what MRQ_QUERY_ABI
 *    says of an MRQ the firmware does not support;
 *  - a sub-command it does not know: -BPMP_EBADCMD ("Bad sub-MRQ command");
 *  - a clock, reset or power domain not in the VM's list, for any command
 *    that names one (reads too: other VMs' clock state is not this VM's):
 *    -BPMP_EPERM;
 *  - the queries naming nothing (ping, ABI, firmware tag, max IDs): forwarded.
 * MRQ_QUERY_TAG is refused (-BPMP_EPERM): its payload is a physical address
 * the BPMP writes the tag to, a DMA write outside the VM. bpmp-abi.h marks
 * it deprecated for MRQ_QUERY_FW_TAG, which returns the tag in the answer.
 */
#include <drivers/bpmp_abi.h>
#include <string.h>
#include <virt/vbpmp_filter.h>

/* The MRQ_CLK id field: bits 23:0 of cmd_and_id. */
#define CLK_ID_MASK 0xffffffU
#define CLK_CMD_SHIFT 24

static u32 payload_word(const u8 *msg, u32 index)
{
	u32 word;

	memcpy(&word, msg + BPMP_MSG_HEADER_SIZE + 4 * index, sizeof(word));
	return word;
}

static bool listed(const struct vbpmp_id_list *list, u32 id)
{
	for (u32 i = 0; i < list->count && i < VBPMP_MAX_IDS; i++)
		if (list->ids[i] == id)
			return true;
	return false;
}

/* 0 when the payload holds min bytes, else -BPMP_EINVAL. */
static int need(u32 payload_len, u32 min)
{
	return payload_len >= min ? 0 : -BPMP_EINVAL;
}

static int filter_clk(const struct vbpmp_allow *allow, const u8 *msg, u32 payload_len)
{
	u32 word, cmd, id;
	int err = need(payload_len, 4);

	if (err)
		return err;
	word = payload_word(msg, 0);
	cmd = word >> CLK_CMD_SHIFT;
	id = word & CLK_ID_MASK;
	switch (cmd) {
	case CMD_CLK_GET_MAX_CLK_ID:
		return 0;
	case CMD_CLK_GET_RATE:
	case CMD_CLK_GET_PARENT:
	case CMD_CLK_IS_ENABLED:
	case CMD_CLK_ENABLE:
	case CMD_CLK_DISABLE:
	case CMD_CLK_GET_ALL_INFO:
	case CMD_CLK_GET_FMAX_AT_VMIN:
		break;
	case CMD_CLK_SET_RATE:
	case CMD_CLK_ROUND_RATE:
		/* (s32 unused, s64 rate) */
		err = need(payload_len, 16);
		break;
	case CMD_CLK_SET_PARENT:
		/* The new parent is a clock this VM changes too: listed as well. */
		err = need(payload_len, 8);
		if (!err && !listed(&allow->clocks, payload_word(msg, 1)))
			err = -BPMP_EPERM;
		break;
	default:
		return -BPMP_EBADCMD;
	}
	if (err)
		return err;
	return listed(&allow->clocks, id) ? 0 : -BPMP_EPERM;
}

static int filter_reset(const struct vbpmp_allow *allow, const u8 *msg, u32 payload_len)
{
	int err = need(payload_len, 8); /* every command: (cmd, reset_id) */

	if (err)
		return err;
	switch (payload_word(msg, 0)) {
	case CMD_RESET_GET_MAX_ID:
		return 0;
	case CMD_RESET_ASSERT:
	case CMD_RESET_DEASSERT:
	case CMD_RESET_MODULE:
		return listed(&allow->resets, payload_word(msg, 1)) ? 0 : -BPMP_EPERM;
	default:
		return -BPMP_EBADCMD;
	}
}

static int filter_pg(const struct vbpmp_allow *allow, const u8 *msg, u32 payload_len)
{
	int err = need(payload_len, 8); /* (cmd, id) */

	if (err)
		return err;
	switch (payload_word(msg, 0)) {
	case CMD_PG_QUERY_ABI:
		return need(payload_len, 12);
	case CMD_PG_GET_MAX_ID:
		return 0;
	case CMD_PG_SET_STATE:
		err = need(payload_len, 12); /* + the new state */
		break;
	case CMD_PG_GET_STATE:
	case CMD_PG_GET_NAME:
		break;
	default:
		return -BPMP_EBADCMD;
	}
	if (err)
		return err;
	return listed(&allow->power_domains, payload_word(msg, 1)) ? 0 : -BPMP_EPERM;
}

int vbpmp_filter(const struct vbpmp_allow *allow, const void *msg, u32 len)
{
	const u8 *bytes = msg;
	u32 mrq, payload_len;

	if (len < BPMP_MSG_HEADER_SIZE || len > BPMP_MSG_SIZE)
		return -BPMP_EINVAL;
	memcpy(&mrq, bytes, sizeof(mrq));
	payload_len = len - BPMP_MSG_HEADER_SIZE;
	switch (mrq) {
	case MRQ_PING:
	case MRQ_QUERY_ABI:
		return need(payload_len, 4); /* the challenge; the MRQ asked about */
	case MRQ_QUERY_FW_TAG:
		return 0;
	case MRQ_QUERY_TAG:
		return -BPMP_EPERM;
	case MRQ_CLK:
		return filter_clk(allow, bytes, payload_len);
	case MRQ_RESET:
		return filter_reset(allow, bytes, payload_len);
	case MRQ_PG:
		return filter_pg(allow, bytes, payload_len);
	default:
		return -BPMP_ENODEV;
	}
}
