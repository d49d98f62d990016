/*
 * Arm SMMUv2 driver for the MMU-500 (tessera/iommu_driver.h), first slice:
 * reset with every stream faulting, then per VM one stage-2 translation
 * context bank (index = the domain's index, VMID = the VM's) walking the
 * VM's pages-only stage-2 mirror (iommu_domain.s2_pages: the MMU-500 takes
 * 4 KiB leaves only), one stream match register and S2CR
 * per attached stream (or per group of streams the SMMU node's
 * stream-match-mask makes one, as Linux arm-smmu programs SMR.MASK from it:
 * a stream matches an SMR when ((id ^ SMR.ID) & ~SMR.MASK) == 0).
 * IHI 0062D.c register by register (smmuv2.h).
 *
 * Tegra234 pairs two MMU-500s that must be programmed identically
 * (nvidia,smmu-500: two reg entries, orin-hardware.md section 6): every
 * register write goes to each instance through smmu2_write*(), reads come
 * from the first, fault status from both.
 *
 * Not yet done: 16-bit VMIDs; a range of streams takes one SMR per
 * distinct masked ID (no power-of-two range folding).
 */
#include <mmio.h>
#include <stdio.h>
#include <arch/sysregs.h>
#include <tessera/config.h>
#include <tessera/console.h>
#include <tessera/iommu_driver.h>
#include <tessera/mmu.h>

#include "smmuv2.h"

#define SMMU2_MAX 4          /* Tegra234: three translating pairs and one ISO pair */
#define SMMU2_INSTANCES 2    /* at most a pair behind one node */
#define SMMU2_MAX_SMR 128    /* MMU-500 TRM: up to 128 stream match registers */
#define SYNC_TIMEOUT_MS 100
#define NO_OWNER 0xffU

struct smmuv2 {
	u64 base[SMMU2_INSTANCES];
	unsigned int instances;
	u64 page;    /* register page size */
	u64 cb_base; /* offset of context bank 0: the global space is half the SMMU */
	unsigned int nr_smr, nr_cb;
	u32 smr_mask;                /* SMR.MASK of every SMR: the node's stream-match-mask */
	u8 smr_owner[SMMU2_MAX_SMR]; /* the owning domain's index, or NO_OWNER */
	u16 smr_id[SMMU2_MAX_SMR];   /* SMR.ID of each owned SMR */
	bool cb_live[CONFIG_MAX_VMS];
};

static struct smmuv2 smmu2s[SMMU2_MAX];
static unsigned int smmu2_count;

/* The one way a register is written: the same value to every instance. */
static void smmu2_write32(const struct smmuv2 *s, u64 off, u32 v)
{
	for (unsigned int i = 0; i < s->instances; i++)
		mmio_write32(s->base[i] + off, v);
}

static void smmu2_write64(const struct smmuv2 *s, u64 off, u64 v)
{
	for (unsigned int i = 0; i < s->instances; i++)
		mmio_write64(s->base[i] + off, v);
}

static u32 smmu2_read32(const struct smmuv2 *s, unsigned int instance, u64 off)
{
	return mmio_read32(s->base[instance] + off);
}

/* GR1 is the register page after GR0 (IHI 0062D: the global address space). */
static u64 gr1_reg(const struct smmuv2 *s, u64 off)
{
	return s->page + off;
}

static u64 cb_reg(const struct smmuv2 *s, unsigned int cb, u64 off)
{
	return s->cb_base + cb * s->page + off;
}

/* sTLBGSYNC, then sTLBGSTATUS.GSACTIVE clear on every instance (IHI 0062D sTLBGSYNC). */
static bool tlb_sync(const struct smmuv2 *s)
{
	u64 limit = read_sysreg(cntfrq_el0) / 1000 * SYNC_TIMEOUT_MS;

	smmu2_write32(s, SMMU2_STLBGSYNC, 0);
	for (unsigned int i = 0; i < s->instances; i++) {
		u64 start = read_sysreg(cntpct_el0);

		while (smmu2_read32(s, i, SMMU2_STLBGSTATUS) & STLBGSTATUS_GSACTIVE)
			if (read_sysreg(cntpct_el0) - start > limit)
				return false;
	}
	return true;
}

/* Every stream faults: unmatched ones by sCR0.USFCFG, every S2CR set to fault. */
static const char *smmu2_reset(struct smmuv2 *s)
{
	for (unsigned int i = 0; i < s->nr_smr; i++) {
		smmu2_write32(s, SMMU2_SMR(i), 0);
		smmu2_write32(s, SMMU2_S2CR(i), S2CR_TYPE_FAULT);
		s->smr_owner[i] = NO_OWNER;
	}
	for (unsigned int cb = 0; cb < s->nr_cb; cb++) {
		smmu2_write32(s, cb_reg(s, cb, SMMU2_CB_SCTLR), 0);
		smmu2_write32(s, cb_reg(s, cb, SMMU2_CB_FSR), CB_FSR_FAULTS);
	}
	for (unsigned int i = 0; i < s->instances; i++) /* faults from before, each its own */
		mmio_write32(s->base[i] + SMMU2_SGFSR, smmu2_read32(s, i, SMMU2_SGFSR));
	smmu2_write32(s, SMMU2_TLBIALLNSNH, 0);
	if (!tlb_sync(s))
		return "its TLB sync does not complete";
	/* CLIENTPD clear: clients go through the SMMU (IHI 0062D sCR0). */
	smmu2_write32(s, SMMU2_SCR0, SCR0_USFCFG | SCR0_PTM | SCR0_GFRE | SCR0_GFIE |
					     SCR0_GCFGFRE | SCR0_GCFGFIE);
	return NULL;
}

/*
 * SMR.MASK bits are IMPLEMENTATION DEFINED in number (IHI 0062D.c, SMRn):
 * write the mask to SMR0, still invalid, and read it back from each
 * instance, as Linux's arm_smmu_test_smr_masks() does for one. Reset clears
 * SMR0 afterwards.
 */
static bool smr_mask_implemented(struct smmuv2 *s, u32 mask)
{
	if (mask > SMR_ID_MAX)
		return false;
	s->smr_mask = mask;
	if (!mask || !s->nr_smr)
		return true;
	smmu2_write32(s, SMMU2_SMR(0), SMR_MASK(mask));
	for (unsigned int i = 0; i < s->instances; i++)
		if ((smmu2_read32(s, i, SMMU2_SMR(0)) & SMR_MASK(SMR_ID_MAX)) != SMR_MASK(mask))
			return false;
	return true;
}

static int smmu2_probe_n(struct iommu *iommu, unsigned int instances, char *err, size_t err_size)
{
	const struct platform_iommu *desc = iommu->desc;
	struct smmuv2 *s;
	const char *why;
	u32 idr0, idr1;
	u64 size;

	if (smmu2_count == SMMU2_MAX) {
		snprintf(err, err_size, "more than %d MMU-500s", SMMU2_MAX);
		return -1;
	}
	if (desc->reg_count != instances) {
		snprintf(err, err_size, "%u reg entries where this kind has %u", desc->reg_count,
			 instances);
		return -1;
	}
	s = &smmu2s[smmu2_count];
	*s = (struct smmuv2){ .instances = instances };
	for (unsigned int i = 0; i < instances; i++) {
		s->base[i] = desc->regs[i].base;
		if (desc->regs[i].size != desc->regs[0].size ||
		    mmu_map_device(desc->regs[i].base, desc->regs[i].size)) {
			snprintf(err, err_size, "its registers cannot be mapped at EL2");
			return -1;
		}
	}
	idr0 = smmu2_read32(s, 0, SMMU2_SIDR0);
	idr1 = smmu2_read32(s, 0, SMMU2_SIDR1);
	s->page = (idr1 & SIDR1_PAGESIZE) ? SZ_64K : SZ_4K;
	s->cb_base = s->page << (SIDR1_NUMPAGENDXB(idr1) + 1);
	size = 2 * s->cb_base;
	s->nr_smr = SIDR0_NUMSMRG(idr0);
	s->nr_cb = SIDR1_NUMCB(idr1);
	if (s->nr_smr > SMMU2_MAX_SMR)
		s->nr_smr = SMMU2_MAX_SMR;
	if (desc->regs[0].size < size)
		why = "its reg is smaller than the register space sIDR1 gives";
	else if (!(idr0 & SIDR0_S2TS) || !(idr0 & SIDR0_SMS))
		why = "no stage 2 or no stream matching (this driver uses both)";
	else if (s->nr_cb > s->cb_base / s->page)
		why = "more context banks than register pages";
	else if (!smr_mask_implemented(s, desc->stream_match_mask))
		why = "its SMRs do not implement the mask bits stream-match-mask gives";
	else
		why = smmu2_reset(s);
	if (why) {
		snprintf(err, err_size, "%s", why);
		return -1;
	}
	iommu->priv = s;
	smmu2_count++;
	for (unsigned int i = 0; i < desc->irq_count; i++)
		iommu_route_irq(iommu, i);
	printk("smmu: 0x%08llx MMU-500%s, %u stream match registers, %u context banks\n",
	       (unsigned long long)s->base[0], instances > 1 ? " pair" : "", s->nr_smr, s->nr_cb);
	return 0;
}

static int mmu500_probe(struct iommu *iommu, char *err, size_t err_size)
{
	return smmu2_probe_n(iommu, 1, err, err_size);
}

static int mmu500_pair_probe(struct iommu *iommu, char *err, size_t err_size)
{
	return smmu2_probe_n(iommu, SMMU2_INSTANCES, err, err_size);
}

/* Context bank dom->index: stage 2, AArch64, the VM's pages-only mirror and VMID. */
static bool cb_program(struct smmuv2 *s, const struct iommu_domain *dom)
{
	unsigned int cb = dom->index;

	smmu2_write32(s, cb_reg(s, cb, SMMU2_CB_SCTLR), 0);
	smmu2_write32(s, gr1_reg(s, SMMU2_CBA2R(cb)), CBA2R_VA64);
	smmu2_write32(s, gr1_reg(s, SMMU2_CBAR(cb)), CBAR_TYPE_S2 | CBAR_VMID(dom->vmid));
	/* The CPU's VTCR_EL2 geometry (arch/pgtable.h): the same tables walk the same. */
	smmu2_write32(s, cb_reg(s, cb, SMMU2_CB_TCR),
		      CB_TCR_T0SZ(PT_T0SZ) | CB_TCR_SL0(PT_VTCR_SL0) | CB_TCR_IRGN0_WBWA |
			      CB_TCR_ORGN0_WBWA | CB_TCR_SH0_INNER | CB_TCR_TG0_4K |
			      CB_TCR_PASIZE_48);
	smmu2_write64(s, cb_reg(s, cb, SMMU2_CB_TTBR0), pt_root_pa(&dom->s2_pages));
	smmu2_write32(s, cb_reg(s, cb, SMMU2_CB_FSR), CB_FSR_FAULTS);
	smmu2_write32(s, SMMU2_TLBIVMID, CBAR_VMID(dom->vmid));
	if (!tlb_sync(s))
		return false;
	smmu2_write32(s, cb_reg(s, cb, SMMU2_CB_SCTLR), CB_SCTLR_M | CB_SCTLR_CFRE | CB_SCTLR_CFIE);
	s->cb_live[cb] = true;
	return true;
}

static u32 s2cr_for(const struct iommu_domain *dom, bool blocked)
{
	return blocked ? S2CR_TYPE_FAULT : S2CR_TYPE_TRANS | S2CR_CBNDX(dom->index);
}

/* The SMR that matches stream @id, or -1: at most one does (attach keeps it so). */
static int smr_matching(const struct smmuv2 *s, u32 id)
{
	for (unsigned int i = 0; i < s->nr_smr; i++)
		if (s->smr_owner[i] != NO_OWNER && !((id ^ s->smr_id[i]) & ~s->smr_mask & SMR_ID_MAX))
			return (int)i;
	return -1;
}

/*
 * SMRs streams [sid, sid + count) need beyond those @dom has; "" when one
 * of them is another domain's (under the mask: a second SMR matching a
 * stream would be a stream match conflict, IHI 0062D.c).
 */
static const char *smrs_needed(const struct smmuv2 *s, u32 sid, u32 count,
			       const struct iommu_domain *dom, unsigned int *needed)
{
	u32 fresh[SMMU2_MAX_SMR];

	*needed = 0;
	for (u32 id = sid; id - sid < count; id++) {
		int i = smr_matching(s, id);
		bool seen = false;

		if (i >= 0 && s->smr_owner[i] != dom->index)
			return "a stream in the range is already attached (under the SMR mask)";
		if (i >= 0)
			continue;
		for (unsigned int k = 0; k < *needed && k < SMMU2_MAX_SMR && !seen; k++)
			seen = !((id ^ fresh[k]) & ~s->smr_mask & SMR_ID_MAX);
		if (!seen && *needed < SMMU2_MAX_SMR)
			fresh[*needed] = id;
		*needed += !seen;
	}
	return NULL;
}

/* Why @dom cannot have @needed more SMRs and its context bank, or NULL. */
static const char *attach_refusal(struct smmuv2 *s, const struct iommu_domain *dom,
				  unsigned int needed, unsigned int free)
{
	if (needed > free)
		return "not enough free stream match registers";
	if (dom->index >= s->nr_cb || dom->index >= NO_OWNER)
		return "no context bank for this VM";
	if (dom->vmid > 0xff)
		return "VMID beyond 8 bits (16-bit VMIDs not yet supported)";
	if (!dom->has_s2_pages)
		return "the VM has no pages-only stage-2 mirror; the MMU-500 takes 4 KiB pages";
	if (!s->cb_live[dom->index] && !cb_program(s, dom))
		return "its TLB sync does not complete";
	return NULL;
}

static int smmu2_attach(struct iommu *iommu, u32 sid, u32 count, struct iommu_domain *dom,
			char *err, size_t err_size)
{
	struct smmuv2 *s = iommu->priv;
	unsigned int free = 0, needed = 0, i;
	const char *why = NULL;

	for (i = 0; i < s->nr_smr; i++)
		free += s->smr_owner[i] == NO_OWNER;
	if (!count || sid > SMR_ID_MAX || count > SMR_ID_MAX + 1 - sid)
		why = "stream IDs beyond the 15 bits an SMR matches";
	else
		why = smrs_needed(s, sid, count, dom, &needed);
	if (!why)
		why = attach_refusal(s, dom, needed, free);
	if (why) {
		snprintf(err, err_size, "%s", why);
		return -1;
	}
	for (u32 id = sid; id - sid < count; id++) {
		if (smr_matching(s, id) >= 0)
			continue; /* the domain's already, or one just written here */
		for (i = 0; s->smr_owner[i] != NO_OWNER; i++)
			; /* needed <= free: there is one */
		/* The S2CR first, so a valid match never selects a stale one. */
		smmu2_write32(s, SMMU2_S2CR(i), s2cr_for(dom, dom->blocked));
		smmu2_write32(s, SMMU2_SMR(i), SMR_VALID | SMR_MASK(s->smr_mask) | SMR_ID(id));
		s->smr_owner[i] = (u8)dom->index;
		s->smr_id[i] = (u16)SMR_ID(id);
	}
	return 0;
}

static void smmu2_block(struct iommu *iommu, struct iommu_domain *dom, bool blocked)
{
	struct smmuv2 *s = iommu->priv;

	for (unsigned int i = 0; i < s->nr_smr; i++)
		if (s->smr_owner[i] == dom->index)
			smmu2_write32(s, SMMU2_S2CR(i), s2cr_for(dom, blocked));
	/* Cached walks of the old configuration go with the VMID's TLB entries. */
	smmu2_write32(s, SMMU2_TLBIVMID, CBAR_VMID(dom->vmid));
	tlb_sync(s);
}

/* Global faults (unmatched or faulting streams) and context faults, of each instance. */
static void smmu2_irq(struct iommu *iommu, u32 intid)
{
	struct smmuv2 *s = iommu->priv;

	(void)intid; /* every interrupt of the node is checked the same way */
	for (unsigned int n = 0; n < s->instances; n++) {
		u64 base = s->base[n];
		u32 gfsr = smmu2_read32(s, n, SMMU2_SGFSR);

		if (gfsr) {
			struct iommu_fault f = { .sid = smmu2_read32(s, n, SMMU2_SGFSYNR1) & 0xffff,
						 .what = "stream fault (unmatched or faulting stream)" };

			iommu_fault(iommu, &f);
			mmio_write32(base + SMMU2_SGFSR, gfsr);
		}
		for (unsigned int cb = 0; cb < s->nr_cb && cb < CONFIG_MAX_VMS; cb++) {
			u32 fsr;

			if (!s->cb_live[cb])
				continue;
			fsr = mmio_read32(base + cb_reg(s, cb, SMMU2_CB_FSR));
			if (!(fsr & CB_FSR_FAULTS))
				continue;
			struct iommu_fault f = {
				.sid = mmio_read32(base + gr1_reg(s, SMMU2_CBFRSYNRA(cb))) & 0xffff,
				.what = (fsr & CB_FSR_PF) ? "permission fault" : "translation fault",
				.addr = mmio_read64(base + cb_reg(s, cb, SMMU2_CB_FAR)),
				.has_addr = true,
				.write = mmio_read32(base + cb_reg(s, cb, SMMU2_CB_FSYNR0)) &
					 CB_FSYNR0_WNR,
				.has_dir = true,
			};
			iommu_fault(iommu, &f);
			mmio_write32(base + cb_reg(s, cb, SMMU2_CB_FSR), fsr);
		}
	}
}

const struct iommu_driver mmu500_driver = {
	.compatible = "arm,mmu-500",
	.prefix = "smmu",
	.needs_s2_pages = true,
	.probe = mmu500_probe,
	.attach = smmu2_attach,
	.block = smmu2_block,
	.irq = smmu2_irq,
};

/* Tegra234's pair: listed before arm,mmu-500 in core/iommu.c's table. */
const struct iommu_driver nvidia_mmu500_driver = {
	.compatible = "nvidia,smmu-500",
	.prefix = "smmu",
	.needs_s2_pages = true,
	.probe = mmu500_pair_probe,
	.attach = smmu2_attach,
	.block = smmu2_block,
	.irq = smmu2_irq,
};
