/*
 * The virtual BPMP's allow-list check: whether one MRQ request a VM sends
 * goes to the real BPMP or is answered with a BPMP error. Pure: no state,
 * no I/O, so it is host-tested message by message.
 */
#ifndef VIRT_VBPMP_FILTER_H
#define VIRT_VBPMP_FILTER_H

#include <tessera/types.h>

#define VBPMP_MAX_IDS 32U /* per kind: a USB host (8 clocks) and an MGBE (12) in one VM fit */

struct vbpmp_id_list {
	u32 ids[VBPMP_MAX_IDS];
	u32 count;
};

/* What one VM may touch: from its devices' clocks, resets and power-domains. */
struct vbpmp_allow {
	struct vbpmp_id_list clocks;
	struct vbpmp_id_list resets;
	struct vbpmp_id_list power_domains;
};

/*
 * 0: forward the message unchanged. Otherwise the negative BPMP error to
 * answer with (-BPMP_EINVAL, -BPMP_EPERM, -BPMP_EBADCMD, -BPMP_ENODEV).
 * msg is a private copy (never guest memory the guest can still change);
 * len is its length in bytes, header included.
 */
int vbpmp_filter(const struct vbpmp_allow *allow, const void *msg, u32 len);

#endif
