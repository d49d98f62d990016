/*
 * Arm SMMUv3: register and data-structure fields, named as in the Arm
 * System Memory Management Unit Architecture Specification, SMMU
 * architecture version 3, IHI 0070 (sections cited per group), and the
 * driver's internal interfaces. Private to hyp/drivers/smmu/.
 */
#ifndef DRIVERS_SMMUV3_H
#define DRIVERS_SMMUV3_H

#include <tessera/compiler.h>
#include <tessera/config.h>
#include <tessera/iommu_driver.h>
#include <tessera/spinlock.h>
#include <tessera/types.h>

/* ---- Registers, 6.3. Page 0 at the base, page 1 at base + 64 KiB. */
#define SMMU_IDR0 0x00
#define SMMU_IDR1 0x04
#define SMMU_IDR5 0x14
#define SMMU_CR0 0x20
#define SMMU_CR0ACK 0x24
#define SMMU_CR1 0x28
#define SMMU_CR2 0x2c
#define SMMU_GBPA 0x44
#define SMMU_IRQ_CTRL 0x50
#define SMMU_IRQ_CTRLACK 0x54
#define SMMU_GERROR 0x60
#define SMMU_GERRORN 0x64
#define SMMU_GERROR_IRQ_CFG0 0x68
#define SMMU_STRTAB_BASE 0x80
#define SMMU_STRTAB_BASE_CFG 0x88
#define SMMU_CMDQ_BASE 0x90
#define SMMU_CMDQ_PROD 0x98
#define SMMU_CMDQ_CONS 0x9c
#define SMMU_EVENTQ_BASE 0xa0
#define SMMU_EVENTQ_IRQ_CFG0 0xb0
#define SMMU_PAGE1 0x10000
#define SMMU_EVENTQ_PROD (SMMU_PAGE1 + 0xa8)
#define SMMU_EVENTQ_CONS (SMMU_PAGE1 + 0xac)
#define SMMU_REGS_SIZE 0x20000

/* SMMU_IDR0, 6.3.1 */
#define IDR0_S2P BIT(0)
#define IDR0_S1P BIT(1)
#define IDR0_TTF_SHIFT 2 /* [3:2] translation table formats: 2 AArch64, 3 both */
#define IDR0_TTF_AARCH64 0x2
#define IDR0_COHACC BIT(4)
#define IDR0_ASID16 BIT(12)
#define IDR0_MSI BIT(13)
#define IDR0_VMID16 BIT(18)
#define IDR0_ST_LEVEL_SHIFT 27 /* [28:27] 0 linear only, 1 2-level too */
#define IDR0_ST_LEVEL_2LVL 0x1

/* SMMU_IDR1, 6.3.2 */
#define IDR1_SIDSIZE(v) ((v) & 0x3f)
#define IDR1_EVENTQS(v) (((v) >> 16) & 0x1f)
#define IDR1_CMDQS(v) (((v) >> 21) & 0x1f)

/* SMMU_IDR5, 6.3.6 */
#define IDR5_OAS(v) ((v) & 0x7) /* 0 32, 1 36, 2 40, 3 42, 4 44, 5 48, 6 52 bits */
#define IDR5_OAS_48 0x5
#define IDR5_GRAN4K BIT(4)

/* SMMU_CR0 / CR0ACK, 6.3.9 */
#define CR0_SMMUEN BIT(0)
#define CR0_EVENTQEN BIT(2)
#define CR0_CMDQEN BIT(3)

/* SMMU_CR1, 6.3.11: table and queue accesses' cacheability (1 = WB) and shareability (3 = IS). */
#define CR1_CACHE_WB 0x1
#define CR1_SH_ISH 0x3
#define CR1_QUEUE_IC(v) ((u32)(v) << 0)
#define CR1_QUEUE_OC(v) ((u32)(v) << 2)
#define CR1_QUEUE_SH(v) ((u32)(v) << 4)
#define CR1_TABLE_IC(v) ((u32)(v) << 6)
#define CR1_TABLE_OC(v) ((u32)(v) << 8)
#define CR1_TABLE_SH(v) ((u32)(v) << 10)

/* SMMU_CR2, 6.3.12 */
#define CR2_RECINVSID BIT(1) /* record C_BAD_STREAMID for out-of-range streams */
#define CR2_PTM BIT(2)       /* private TLB maintenance: ignore broadcast TLBIs */

/* SMMU_GBPA, 6.3.14: what transactions do while SMMUEN = 0. */
#define GBPA_ABORT BIT(20)
#define GBPA_UPDATE BIT(31)

/* SMMU_IRQ_CTRL, 6.3.21 */
#define IRQ_CTRL_GERROR_IRQEN BIT(0)
#define IRQ_CTRL_EVENTQ_IRQEN BIT(2)

/* SMMU_GERROR / GERRORN, 6.3.17: a bit differing between the two is an active error. */
#define GERROR_CMDQ_ERR BIT(0)
#define GERROR_EVENTQ_ABT_ERR BIT(2)
#define GERROR_SFM_ERR BIT(8)
#define GERROR_ALL 0x1fdU

/* SMMU_STRTAB_BASE and _CFG, 6.3.23-24 */
#define STRTAB_BASE_RA BIT(62)
#define STRTAB_BASE_ADDR_MASK GENMASK(51, 6)
#define STRTAB_BASE_CFG_LOG2SIZE(n) ((u32)(n) << 0)
#define STRTAB_BASE_CFG_SPLIT(n) ((u32)(n) << 6)
#define STRTAB_BASE_CFG_FMT_2LVL (1U << 16)

/* SMMU_CMDQ_BASE / EVENTQ_BASE, 6.3.25 and 6.3.28; PROD/CONS indices with a wrap bit above. */
#define Q_BASE_RWA BIT(62)
#define Q_BASE_ADDR_MASK GENMASK(51, 5)
#define Q_BASE_LOG2SIZE(n) ((u64)(n))
#define CMDQ_CONS_ERR(v) (((v) >> 24) & 0x7f)
#define Q_OVF BIT(31) /* EVENTQ_PROD.OVFLG: records were lost */

/* ---- Stream table, 5.1 (L1 descriptor) and 5.2 (STE). */
#define STE_WORDS 8
#define STE_0_V BIT(0)
#define STE_0_CONFIG_MASK GENMASK(3, 1)
#define STE_0_CONFIG_ABORT (0x0ULL << 1)
#define STE_0_CONFIG_S1 (0x5ULL << 1) /* stage 1 translate, stage 2 bypass */
#define STE_0_S1CTXPTR_MASK GENMASK(51, 6) /* S1Fmt [5:4] = 0, S1CDMax [63:59] = 0: one CD */
#define STE_1_S1CIR(v) ((u64)(v) << 2) /* CD fetch: inner cacheability (1 = WB RA) */
#define STE_1_S1COR(v) ((u64)(v) << 4)
#define STE_1_S1CSH(v) ((u64)(v) << 6)
#define STE_1_SHCFG_INCOMING (0x1ULL << 44)
#define STE_2_S2VMID(v) ((u64)(v) & 0xffff) /* tags stage-1 TLB entries when S2P = 1 */
#define L1STD_SPAN(split) ((u64)(split) + 1) /* 2^(Span-1) STEs below */
#define L1STD_L2PTR_MASK GENMASK(51, 6)

/* ---- Context descriptor, 5.4 */
#define CD_WORDS 8
#define CD_0_T0SZ(v) ((u64)(v) << 0)
#define CD_0_TG0_4K (0x0ULL << 6)
#define CD_0_IR0_WBWA (0x1ULL << 8)
#define CD_0_OR0_WBWA (0x1ULL << 10)
#define CD_0_SH0_ISH (0x3ULL << 12)
#define CD_0_EPD1 BIT(30) /* no TTB1 walks: the whole space is TTB0's */
#define CD_0_V BIT(31)
#define CD_0_IPS(v) ((u64)(v) << 32) /* same encoding as IDR5.OAS */
#define CD_0_AA64 BIT(41)
#define CD_0_R BIT(45)    /* record faults in the event queue */
#define CD_0_A BIT(46)    /* faulting transactions are aborted */
#define CD_0_ASET BIT(47) /* ASID not shared with the CPUs' broadcast TLB maintenance */
#define CD_0_ASID(v) ((u64)(v) << 48)
#define CD_1_TTB0_MASK GENMASK(51, 4)

/* ---- Commands, 4: 16 bytes each. */
#define CMD_WORDS 2
#define CMD_CFGI_STE_RANGE 0x04 /* Range 31: CMD_CFGI_ALL */
#define CMD_CFGI_RANGE_ALL 31
#define CMD_TLBI_NH_ASID 0x11
#define CMD_TLBI_EL2_ALL 0x20
#define CMD_TLBI_NSNH_ALL 0x30
#define CMD_SYNC 0x46
#define CMD_0_ASID(v) ((u64)(v) << 48)
#define CMD_0_VMID(v) ((u64)(v) << 32)

/* ---- Event records, 7.3: 32 bytes each. */
#define EVT_WORDS 4
#define EVT_0_ID(w) ((unsigned int)((w) & 0xff))
#define EVT_0_SID(w) ((u32)((w) >> 32))
#define EVT_1_RNW BIT(35)

/* Queue sizes Tessera uses (entries, log2), capped by IDR1. */
#define SMMU_CMDQ_LOG2 8 /* 256 x 16 bytes */
#define SMMU_EVTQ_LOG2 7 /* 128 x 32 bytes */

/* ---- The stream table (smmuv3_strtab.c): pure data-structure logic, host-tested. */
#define STRTAB_SPLIT 8                       /* 256 STEs per level-2 table: one PCI bus */
#define STRTAB_L2_STES (1U << STRTAB_SPLIT)
#define STRTAB_L1_MAX 256                    /* so at most 2^16 streams */
#define STRTAB_MAX_LOG2 (STRTAB_SPLIT + 8)

struct strtab_l2 {
	u64 ste[STRTAB_L2_STES][STE_WORDS];
} __aligned(STRTAB_L2_STES * STE_WORDS * 8);

/*
 * Level-2 tables, shared by every stream table: the first is all-abort and
 * never written after init; a table whose streams all belong to one VM is
 * shared by every L1 descriptor of that VM's whole 256-stream spans.
 */
struct strtab_pool {
	struct strtab_l2 *tables;
	unsigned int count, used;
};

struct strtab {
	u64 *l1;             /* STRTAB_L1_MAX descriptors, aligned to their size (2-level) */
	struct strtab_l2 *l2[STRTAB_L1_MAX]; /* what each L1 descriptor points at */
	struct strtab_l2 *full[CONFIG_MAX_VMS]; /* per VM: its all-mine L2, once made */
	struct strtab_pool *pool;
	unsigned int log2size; /* streams covered: 2^log2size; the rest are out of range */
	bool two_level;
};

/* STE words for a stream translating with the CD at @cd_pa (@blocked: abort instead). */
void ste_s1(u64 ste[STE_WORDS], u64 cd_pa, u16 vmid, bool blocked);
/* CD words for a stage-1 context walking @ttb0 (a PT_S1_DMA root) with @asid; @ips as IDR5.OAS. */
void cd_s1(u64 cd[CD_WORDS], u64 ttb0, u16 asid, unsigned int ips);

/*
 * Starts @st covering 2^@sid_bits streams (capped to what the format and
 * STRTAB_L1_MAX allow), every one aborting. @l1 holds STRTAB_L1_MAX words.
 * Returns false when the pool has no table left.
 */
bool strtab_init(struct strtab *st, struct strtab_pool *pool, u64 *l1, unsigned int sid_bits,
		 bool two_level);
/* STRTAB_BASE and STRTAB_BASE_CFG for it. */
u64 strtab_base(const struct strtab *st);
u32 strtab_base_cfg(const struct strtab *st);

enum strtab_err {
	STRTAB_OK = 0,
	STRTAB_ERANGE = -1, /* beyond the streams the table covers */
	STRTAB_ENOMEM = -2, /* no level-2 table left */
};
/*
 * Streams [sid, sid + count) get @ste; @owner (a VM index) owns them. All or
 * nothing. The caller has checked no other owner holds any of them.
 */
int strtab_attach(struct strtab *st, u32 sid, u32 count, const u64 ste[STE_WORDS],
		  unsigned int owner);
/* Every STE pointing at @cd_pa aborts (@blocked) or translates again: one 64-bit store each. */
void strtab_block(struct strtab *st, u64 cd_pa, bool blocked);
/* The STE stream @sid uses, or NULL when it is out of range (host tests). */
const u64 *strtab_ste(const struct strtab *st, u32 sid);

/* ---- Commands and events (smmuv3_queue.c). */
struct smmuv3 {
	u64 base;
	u32 idr0, idr1, idr5;
	bool coherent;
	unsigned int sid_bits; /* IDR1.SIDSIZE */
	struct strtab st;
	u64 *cmdq;
	unsigned int cmdq_log2;
	u32 cmdq_prod;
	struct spinlock cmdq_lock; /* the command queue, and the STEs it invalidates */
	u64 *evtq;
	unsigned int evtq_log2;
	u32 evtq_cons; /* only the interrupt handler (one CPU) moves it */
	int irq_evtq, irq_gerror; /* indices in the platform's interrupt list, -1: none */
	u32 gerrorn;
	u64 (*cd)[CD_WORDS]; /* one CD per VM (domain), CONFIG_MAX_VMS of them */
};

/*
 * Caller holds cmdq_lock: appends @n commands and a CMD_SYNC, and waits
 * until the SMMU has done them all. Returns 0, or -1 after printing why.
 */
int smmuv3_cmds(struct smmuv3 *s, const u64 (*cmds)[CMD_WORDS], unsigned int n);
/* Drains the event queue, reporting each record through iommu_fault(). */
void smmuv3_events(struct iommu *iommu, struct smmuv3 *s);
/* Decodes one event record (7.3) into @f. */
void smmuv3_event_decode(const u64 rec[EVT_WORDS], struct iommu_fault *f);
/* Acknowledges and reports global errors. */
void smmuv3_gerror(struct iommu *iommu, struct smmuv3 *s);

#endif
