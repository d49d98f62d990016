/*
 * Arm SMMUv3 driver (tessera/iommu_driver.h): reset with every stream
 * aborting, then per VM one stage-1 context descriptor over the VM's DMA
 * mirror tables (iommu_domain.s1), ASID = VMID. IHI 0070 throughout; the
 * reset order follows 6.3.9 (CR0) and 3.5 (queues).
 *
 * Stage 2: an SMMU with SMMU_IDR0.S2P could walk the VM's own stage-2
 * tables with its VMID (iommu_domain.s2) instead of a mirror. QEMU 7.2's
 * SMMUv3, the only one Tessera is tested on, has stage 1 only, so this
 * driver always uses stage 1 and only reports S2P; a stage-2 path comes with
 * hardware to test it on.
 */
#include <mmio.h>
#include <stdio.h>
#include <string.h>
#include <arch/sysregs.h>
#include <tessera/console.h>
#include <tessera/cpu.h>
#include <tessera/mmu.h>

#include "smmuv3.h"

#define SMMUV3_MAX 2
#define SMMUV3_L2_TABLES 6 /* all SMMUv3s: the abort table, per-VM and split spans */
#define CR0_ACK_TIMEOUT_MS 100

#define CMDQ_ENTRIES (1U << SMMU_CMDQ_LOG2)
#define EVTQ_ENTRIES (1U << SMMU_EVTQ_LOG2)

static struct smmuv3 smmus[SMMUV3_MAX];
static unsigned int smmu_count;
static u64 l1_tables[SMMUV3_MAX][STRTAB_L1_MAX] __aligned(STRTAB_L1_MAX * 8);
static struct strtab_l2 l2_tables[SMMUV3_L2_TABLES];
static struct strtab_pool l2_pool = { l2_tables, SMMUV3_L2_TABLES, 0 };
/* Queues are aligned to their size (6.3.25). */
static u64 cmdqs[SMMUV3_MAX][CMDQ_ENTRIES * CMD_WORDS] __aligned(CMDQ_ENTRIES * CMD_WORDS * 8);
static u64 evtqs[SMMUV3_MAX][EVTQ_ENTRIES * EVT_WORDS] __aligned(EVTQ_ENTRIES * EVT_WORDS * 8);
static u64 cds[SMMUV3_MAX][CONFIG_MAX_VMS][CD_WORDS] __aligned(64);

static bool wait_reg(u64 reg, u32 mask, u32 want)
{
	u64 start = read_sysreg(cntpct_el0);
	u64 limit = read_sysreg(cntfrq_el0) / 1000 * CR0_ACK_TIMEOUT_MS;

	while ((mmio_read32(reg) & mask) != want)
		if (read_sysreg(cntpct_el0) - start > limit)
			return false;
	return true;
}

/* CR0 changes take effect when CR0ACK shows them (6.3.9). */
static bool cr0_set(struct smmuv3 *s, u32 cr0)
{
	mmio_write32(s->base + SMMU_CR0, cr0);
	return wait_reg(s->base + SMMU_CR0ACK, ~0U, cr0);
}

/* Everything the SMMU reads from memory, cleaned to PoC when it does not snoop the caches. */
static void tables_publish(const struct smmuv3 *s)
{
	dsb(ishst);
	if (s->coherent)
		return;
	dcache_clean_poc((u64)l2_tables, (u64)l2_tables + sizeof(l2_tables));
	dcache_clean_poc((u64)l1_tables, (u64)l1_tables + sizeof(l1_tables));
	dcache_clean_poc((u64)cds, (u64)cds + sizeof(cds));
	dsb(sy);
}

static unsigned int min_u(unsigned int a, unsigned int b)
{
	return a < b ? a : b;
}

/* What the SMMU must offer for Tessera's use: stage 1 over AArch64 4 KiB tables. */
static const char *features_missing(const struct smmuv3 *s)
{
	if (!(s->idr0 & IDR0_S1P))
		return "no stage-1 translation (this driver uses stage 1)";
	if (!(((s->idr0 >> IDR0_TTF_SHIFT) & 0x3) & IDR0_TTF_AARCH64))
		return "no AArch64 translation tables";
	if (!(s->idr5 & IDR5_GRAN4K))
		return "no 4 KiB translation granule";
	return NULL;
}

/* The wired interrupts: the event queue and global errors ("combined" on some SoCs). */
static u32 irqs_route(struct iommu *iommu, struct smmuv3 *s)
{
	int combined = iommu_irq_index(iommu, "combined");
	u32 en = 0;

	s->irq_evtq = combined >= 0 ? combined : iommu_irq_index(iommu, "eventq");
	s->irq_gerror = combined >= 0 ? combined : iommu_irq_index(iommu, "gerror");
	if (s->idr0 & IDR0_MSI) { /* a zero address: no MSI, the wired interrupt (6.3.19) */
		mmio_write64(s->base + SMMU_EVENTQ_IRQ_CFG0, 0);
		mmio_write64(s->base + SMMU_GERROR_IRQ_CFG0, 0);
	}
	if (s->irq_evtq >= 0) {
		iommu_route_irq(iommu, (unsigned int)s->irq_evtq);
		en |= IRQ_CTRL_EVENTQ_IRQEN;
	}
	if (s->irq_gerror >= 0) {
		if (s->irq_gerror != s->irq_evtq)
			iommu_route_irq(iommu, (unsigned int)s->irq_gerror);
		en |= IRQ_CTRL_GERROR_IRQEN;
	}
	return en;
}

/* Disabled, aborting meanwhile, tables and queues in place, caches invalidated, enabled. */
static const char *smmuv3_reset(struct iommu *iommu, struct smmuv3 *s, unsigned int idx)
{
	static const u64 invalidate_all[][CMD_WORDS] = {
		{ CMD_CFGI_STE_RANGE, CMD_CFGI_RANGE_ALL },
		{ CMD_TLBI_NSNH_ALL, 0 },
	};
	u32 attrs = s->coherent ? CR1_CACHE_WB : 0, sh = s->coherent ? CR1_SH_ISH : 0;
	u32 irq_en;

	if (!cr0_set(s, 0))
		return "it does not acknowledge CR0 = 0";
	mmio_write32(s->base + SMMU_GBPA, GBPA_UPDATE | GBPA_ABORT);
	if (!wait_reg(s->base + SMMU_GBPA, GBPA_UPDATE, 0))
		return "GBPA does not update";
	s->gerrorn = mmio_read32(s->base + SMMU_GERROR); /* errors from before are acknowledged */
	mmio_write32(s->base + SMMU_GERRORN, s->gerrorn);
	mmio_write32(s->base + SMMU_CR1, CR1_QUEUE_IC(attrs) | CR1_QUEUE_OC(attrs) | CR1_QUEUE_SH(sh) |
						 CR1_TABLE_IC(attrs) | CR1_TABLE_OC(attrs) |
						 CR1_TABLE_SH(sh));
	mmio_write32(s->base + SMMU_CR2, CR2_RECINVSID | CR2_PTM);

	if (!strtab_init(&s->st, &l2_pool, l1_tables[idx], s->sid_bits,
			 ((s->idr0 >> IDR0_ST_LEVEL_SHIFT) & 0x3) == IDR0_ST_LEVEL_2LVL))
		return "no stream table memory left";
	tables_publish(s);
	mmio_write64(s->base + SMMU_STRTAB_BASE, strtab_base(&s->st));
	mmio_write32(s->base + SMMU_STRTAB_BASE_CFG, strtab_base_cfg(&s->st));

	s->cmdq = cmdqs[idx];
	s->cmdq_log2 = min_u(SMMU_CMDQ_LOG2, IDR1_CMDQS(s->idr1));
	s->cmdq_prod = 0;
	mmio_write64(s->base + SMMU_CMDQ_BASE,
		     Q_BASE_RWA | ((u64)s->cmdq & Q_BASE_ADDR_MASK) | Q_BASE_LOG2SIZE(s->cmdq_log2));
	mmio_write32(s->base + SMMU_CMDQ_PROD, 0);
	mmio_write32(s->base + SMMU_CMDQ_CONS, 0);
	if (!cr0_set(s, CR0_CMDQEN))
		return "its command queue does not start";
	spin_lock(&s->cmdq_lock);
	if (smmuv3_cmds(s, invalidate_all, ARRAY_SIZE(invalidate_all))) {
		spin_unlock(&s->cmdq_lock);
		return "its caches cannot be invalidated";
	}
	spin_unlock(&s->cmdq_lock);

	s->evtq = evtqs[idx];
	s->evtq_log2 = min_u(SMMU_EVTQ_LOG2, IDR1_EVENTQS(s->idr1));
	s->evtq_cons = 0;
	mmio_write64(s->base + SMMU_EVENTQ_BASE,
		     Q_BASE_RWA | ((u64)s->evtq & Q_BASE_ADDR_MASK) | Q_BASE_LOG2SIZE(s->evtq_log2));
	mmio_write32(s->base + SMMU_EVENTQ_PROD, 0);
	mmio_write32(s->base + SMMU_EVENTQ_CONS, 0);
	if (!cr0_set(s, CR0_CMDQEN | CR0_EVENTQEN))
		return "its event queue does not start";

	irq_en = irqs_route(iommu, s);
	mmio_write32(s->base + SMMU_IRQ_CTRL, irq_en);
	if (!wait_reg(s->base + SMMU_IRQ_CTRLACK, ~0U, irq_en))
		return "it does not acknowledge IRQ_CTRL";
	if (!cr0_set(s, CR0_CMDQEN | CR0_EVENTQEN | CR0_SMMUEN))
		return "it does not enable";
	return NULL;
}

static int smmuv3_probe(struct iommu *iommu, char *err, size_t err_size)
{
	const struct mem_range *regs = &iommu->desc->regs[0];
	struct smmuv3 *s;
	const char *why;

	if (smmu_count == SMMUV3_MAX) {
		snprintf(err, err_size, "more than %d SMMUv3s", SMMUV3_MAX);
		return -1;
	}
	if (!iommu->desc->reg_count || regs->size < SMMU_REGS_SIZE) {
		snprintf(err, err_size, "its registers are not the two 64 KiB pages SMMUv3 has");
		return -1;
	}
	if (mmu_map_device(regs->base, SMMU_REGS_SIZE)) {
		snprintf(err, err_size, "its registers cannot be mapped at EL2");
		return -1;
	}
	s = &smmus[smmu_count];
	*s = (struct smmuv3){ .base = regs->base, .cd = cds[smmu_count] };
	s->idr0 = mmio_read32(s->base + SMMU_IDR0);
	s->idr1 = mmio_read32(s->base + SMMU_IDR1);
	s->idr5 = mmio_read32(s->base + SMMU_IDR5);
	s->coherent = s->idr0 & IDR0_COHACC;
	s->sid_bits = IDR1_SIDSIZE(s->idr1);
	why = features_missing(s);
	if (!why)
		why = smmuv3_reset(iommu, s, smmu_count);
	if (why) {
		snprintf(err, err_size, "%s", why);
		return -1;
	}
	iommu->priv = s;
	smmu_count++;
	printk("smmu: 0x%08llx SMMUv3, %u streams, %s\n", (unsigned long long)s->base,
	       1U << s->st.log2size,
	       (s->idr0 & IDR0_S2P) ? "stages 1 and 2 (stage 1 used)" : "stage 1 only");
	if (s->st.log2size < s->sid_bits)
		printk("smmu: 0x%08llx: stream IDs from 0x%x up (of %u bits) always abort\n",
		       (unsigned long long)s->base, 1U << s->st.log2size, s->sid_bits);
	return 0;
}

static u64 cd_pa(const struct smmuv3 *s, const struct iommu_domain *dom)
{
	return (u64)(uintptr_t)s->cd[dom->index];
}

static int smmuv3_attach(struct iommu *iommu, u32 sid, u32 count, struct iommu_domain *dom,
			 char *err, size_t err_size)
{
	static const u64 cfgi_all[][CMD_WORDS] = { { CMD_CFGI_STE_RANGE, CMD_CFGI_RANGE_ALL } };
	struct smmuv3 *s = iommu->priv;
	u64 ste[STE_WORDS];
	int rc, cmd_rc = 0;

	if (!(s->cd[dom->index][0] & CD_0_V))
		cd_s1(s->cd[dom->index], pt_root_pa(&dom->s1), dom->asid,
		      min_u(IDR5_OAS(s->idr5), IDR5_OAS_48));
	ste_s1(ste, cd_pa(s, dom), dom->vmid, dom->blocked);
	spin_lock(&s->cmdq_lock);
	rc = strtab_attach(&s->st, sid, count, ste, dom->index);
	if (rc == STRTAB_OK) {
		tables_publish(s);
		cmd_rc = smmuv3_cmds(s, cfgi_all, ARRAY_SIZE(cfgi_all));
	}
	spin_unlock(&s->cmdq_lock);
	if (rc == STRTAB_ERANGE)
		snprintf(err, err_size, "beyond the %u streams its stream table covers",
			 1U << s->st.log2size);
	else if (rc == STRTAB_ENOMEM)
		snprintf(err, err_size, "no stream table memory left");
	else if (cmd_rc)
		snprintf(err, err_size, "the SMMU did not take the new configuration");
	return rc || cmd_rc ? -1 : 0;
}

static void smmuv3_block(struct iommu *iommu, struct iommu_domain *dom, bool blocked)
{
	struct smmuv3 *s = iommu->priv;
	const u64 cmds[][CMD_WORDS] = {
		{ CMD_CFGI_STE_RANGE, CMD_CFGI_RANGE_ALL },
		{ CMD_TLBI_NH_ASID | CMD_0_ASID(dom->asid) | CMD_0_VMID(dom->vmid), 0 },
	};

	spin_lock(&s->cmdq_lock);
	strtab_block(&s->st, cd_pa(s, dom), blocked);
	tables_publish(s);
	smmuv3_cmds(s, cmds, ARRAY_SIZE(cmds));
	spin_unlock(&s->cmdq_lock);
}

static void smmuv3_irq(struct iommu *iommu, u32 intid)
{
	struct smmuv3 *s = iommu->priv;
	const u32 *intids = iommu->desc->intid;

	if (s->irq_evtq >= 0 && intids[s->irq_evtq] == intid)
		smmuv3_events(iommu, s);
	if (s->irq_gerror >= 0 && intids[s->irq_gerror] == intid)
		smmuv3_gerror(iommu, s);
}

const struct iommu_driver smmuv3_driver = {
	.compatible = "arm,smmu-v3",
	.prefix = "smmu",
	.probe = smmuv3_probe,
	.attach = smmuv3_attach,
	.block = smmuv3_block,
	.irq = smmuv3_irq,
};
