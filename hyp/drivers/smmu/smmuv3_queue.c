/*
 * SMMUv3 command queue (commands completed by a polled CMD_SYNC), event
 * queue (fault records, decoded by smmuv3_event.c for core/iommu.c) and
 * global errors. IHI 0070 3.5 (queues), 4 (commands), 7 (errors, events).
 */
#include <arch/sysregs.h>
#include <mmio.h>
#include <stdio.h>
#include <string.h>
#include <tessera/console.h>
#include <tessera/cpu.h>

#include "smmuv3.h"

#define CMD_SYNC_TIMEOUT_MS 1000

/* A queue pointer: index in the low log2 bits, the wrap bit above. */
static u32 q_next(u32 p, unsigned int log2)
{
	return (p + 1) & ((2U << log2) - 1);
}

static u32 q_index(u32 p, unsigned int log2)
{
	return p & ((1U << log2) - 1);
}

static u32 q_ptr(u32 reg, unsigned int log2)
{
	return reg & ((2U << log2) - 1);
}

/* Queue memory written before the SMMU is told (cleaned first when it is not coherent). */
static void q_publish(const struct smmuv3 *s, const u64 *start, size_t bytes)
{
	dsb(ishst);
	if (!s->coherent) {
		dcache_clean_poc((u64)start, (u64)start + bytes);
		dsb(sy);
	}
}

static bool timed_out(u64 start)
{
	u64 freq = read_sysreg(cntfrq_el0);

	return read_sysreg(cntpct_el0) - start > freq / 1000 * CMD_SYNC_TIMEOUT_MS;
}

/* CMDQ_CONS.ERR (7.1): the command at CONS is refused. Skip it, replaced by a CMD_SYNC. */
static void cmdq_skip_error(struct smmuv3 *s, u32 cons)
{
	u64 *entry = &s->cmdq[q_index(cons, s->cmdq_log2) * CMD_WORDS];

	printk("smmu: command 0x%02llx refused (CMDQ_CONS.ERR %u); skipped\n",
	       (unsigned long long)(entry[0] & 0xff), CMDQ_CONS_ERR(cons));
	entry[0] = CMD_SYNC;
	entry[1] = 0;
	q_publish(s, entry, CMD_WORDS * sizeof(u64));
	s->gerrorn ^= GERROR_CMDQ_ERR;
	mmio_write32(s->base + SMMU_GERRORN, s->gerrorn);
}

int smmuv3_cmds(struct smmuv3 *s, const u64 (*cmds)[CMD_WORDS], unsigned int n)
{
	const unsigned int log2 = s->cmdq_log2;
	u32 prod = s->cmdq_prod, cons = mmio_read32(s->base + SMMU_CMDQ_CONS);
	u64 start;
	int rc = 0;

	/* Each call waits for its CMD_SYNC, so the queue is empty here unless one timed out. */
	if (q_ptr(cons, log2) != prod || n + 1 > (1U << log2)) {
		printk("smmu: command queue stuck (PROD 0x%x, CONS 0x%x)\n", prod, cons);
		return -1;
	}
	for (unsigned int i = 0; i <= n; i++) {
		u64 *entry = &s->cmdq[q_index(prod, log2) * CMD_WORDS];

		entry[0] = i < n ? cmds[i][0] : CMD_SYNC; /* CS = 0: completion seen in CONS */
		entry[1] = i < n ? cmds[i][1] : 0;
		prod = q_next(prod, log2);
	}
	q_publish(s, s->cmdq, (1U << log2) * CMD_WORDS * sizeof(u64));
	s->cmdq_prod = prod;
	mmio_write32(s->base + SMMU_CMDQ_PROD, prod);

	start = read_sysreg(cntpct_el0);
	for (;;) {
		cons = mmio_read32(s->base + SMMU_CMDQ_CONS);
		if (q_ptr(cons, log2) == prod)
			return rc;
		if ((mmio_read32(s->base + SMMU_GERROR) ^ s->gerrorn) & GERROR_CMDQ_ERR) {
			cmdq_skip_error(s, cons);
			rc = -1;
		} else if (timed_out(start)) {
			printk("smmu: CMD_SYNC not done after %u ms\n", CMD_SYNC_TIMEOUT_MS);
			return -1;
		}
	}
}

void smmuv3_events(struct iommu *iommu, struct smmuv3 *s)
{
	const unsigned int log2 = s->evtq_log2;

	for (;;) {
		u32 prod = mmio_read32(s->base + SMMU_EVENTQ_PROD);
		u64 rec[EVT_WORDS], *entry;
		struct iommu_fault f;

		if ((prod ^ s->evtq_cons) & Q_OVF) {
			printk("smmu: %s: event queue overflowed; some faults were not recorded\n",
			       iommu->path);
			s->evtq_cons ^= Q_OVF; /* OVACKFLG = OVFLG */
			mmio_write32(s->base + SMMU_EVENTQ_CONS, s->evtq_cons);
		}
		if (q_ptr(prod, log2) == q_ptr(s->evtq_cons, log2))
			return;
		entry = &s->evtq[q_index(s->evtq_cons, log2) * EVT_WORDS];
		if (!s->coherent)
			dcache_inval_poc((u64)entry, (u64)(entry + EVT_WORDS));
		memcpy(rec, entry, sizeof(rec));
		s->evtq_cons = (s->evtq_cons & Q_OVF) | q_next(s->evtq_cons, log2);
		mmio_write32(s->base + SMMU_EVENTQ_CONS, s->evtq_cons);
		smmuv3_event_decode(rec, &f);
		iommu_fault(iommu, &f);
	}
}

/*
 * SMMU_GERROR bits, 6.3.17 (CMDQ_ERR is the command path's to acknowledge).
 * QEMU also raises EVENTQ_ABT_ERR when the event queue is full, e.g. after a
 * burst of faults from one transfer, where hardware sets EVENTQ_PROD.OVFLG.
 */
static const char *const gerror_names[] = {
	[0] = "command queue error", [2] = "event queue write abort (records lost)",
	[3] = "PRI queue write abort", [4] = "command queue MSI abort",
	[5] = "event queue MSI abort", [6] = "PRI queue MSI abort",
	[7] = "GERROR MSI abort", [8] = "service failure mode",
};

void smmuv3_gerror(struct iommu *iommu, struct smmuv3 *s)
{
	u32 active;

	spin_lock(&s->cmdq_lock); /* gerrorn is the command path's too */
	active = (mmio_read32(s->base + SMMU_GERROR) ^ s->gerrorn) & GERROR_ALL & ~GERROR_CMDQ_ERR;
	s->gerrorn ^= active;
	mmio_write32(s->base + SMMU_GERRORN, s->gerrorn);
	spin_unlock(&s->cmdq_lock);
	for (unsigned int i = 0; i < ARRAY_SIZE(gerror_names); i++)
		if ((active & BIT(i)) && gerror_names[i])
			printk("smmu: %s: global error: %s\n", iommu->path, gerror_names[i]);
}
