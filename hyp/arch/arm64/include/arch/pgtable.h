/*
 * Translation tables: one builder for the hypervisor's own EL2 stage-1 tables
 * (non-VHE, TTBR0_EL2), for each VM's stage-2 tables (VTTBR_EL2), and for
 * the EL1&0 stage-1 tables an SMMU context descriptor points at (a VM's DMA
 * address space where the SMMU cannot use its stage 2: core/iommu.c).
 *
 * Geometry, the same for both regimes: 4 KiB granule, 39-bit input addresses,
 * the walk starts at level 1 in one 4 KiB root table (512 x 1 GiB entries),
 * output addresses up to 48 bits. Leaves are 1 GiB blocks (level 1), 2 MiB
 * blocks (level 2) or 4 KiB pages (level 3), the largest that va, pa and the
 * remaining size allow.
 *
 * Descriptor formats: Arm ARM DDI 0487 (K.a/L.a), D8.3 "Translation table
 * descriptor formats", stage 1 and stage 2 attribute fields.
 *
 * Table pages come from a pool and are addressed by pointer: the hypervisor
 * runs with VA == PA for its image and the pool, so a table's pointer is also
 * its physical address (the one written into descriptors and TTBR/VTTBR).
 *
 * What pgtable.c does and does not do:
 *  - It only stores descriptors, each with one 64-bit store. It never changes
 *    a valid descriptor: pt_map() only turns invalid entries valid, and a new
 *    next-level table is filled before the descriptor that links it is
 *    written, with a release fence in between (the only barrier it issues).
 *  - No locking: calls on tables that share a pool must be serialised.
 *
 * What the caller must do:
 *  - Before a table is first used: DSB ISH, then program
 *      EL2:      MAIR_EL2 = PT_MAIR_EL2; TCR_EL2.T0SZ = PT_T0SZ, TG0 = 4 KiB,
 *                SH0 inner, IRGN0/ORGN0 WBWA, PS from ID_AA64MMFR0_EL1.PARange;
 *                TTBR0_EL2 = pt_root_pa(); TLBI ALLE2; DSB ISH; ISB.
 *      stage 2:  VTCR_EL2.T0SZ = PT_T0SZ, SL0 = PT_VTCR_SL0, same TG0/SH0/
 *                IRGN0/ORGN0, PS from PARange; VTTBR_EL2 = pt_root_pa() |
 *                VMID << 48; TLBI VMALLS12E1IS for a reused VMID; DSB ISH; ISB.
 *      DMA:      an SMMU context descriptor with T0SZ = PT_T0SZ, TG0 = 4 KiB,
 *                the same walk attributes, MAIR = PT_MAIR_EL2, TTB0 =
 *                pt_root_pa(); the SMMU reads the tables, so clean them to
 *                PoC when it is not coherent with the CPU caches.
 *    (Field encodings: TCR_EL2_* and VTCR_* in arch/sysregs.h.)
 *  - After pt_map() on a live table: DSB ISHST, and ISB for the EL2 regime,
 *    before relying on the new mapping. No TLB invalidation is needed, since
 *    entries that fault are never held in a TLB.
 *  - Keep pa within the CPU's PARange: pt_map() accepts up to 48 bits.
 */
#ifndef ARCH_PGTABLE_H
#define ARCH_PGTABLE_H

#include <tessera/types.h>

/* Geometry and the values TCR_EL2 / VTCR_EL2 need. */
#define PT_IA_BITS 39
#define PT_OA_BITS 48
#define PT_T0SZ (64 - PT_IA_BITS) /* TCR_EL2.T0SZ and VTCR_EL2.T0SZ */
#define PT_START_LEVEL 1
#define PT_LAST_LEVEL 3
#define PT_VTCR_SL0 1 /* VTCR_EL2.SL0 for a level-1 start with a 4 KiB granule */
#define PT_ENTRIES 512
#define PT_PAGE_SIZE SZ_4K

/* MAIR_EL2: attribute 0 = Device-nGnRE (0x04), 1 = Normal WB RW-allocate non-transient (0xff). */
#define PT_MAIR_IDX_DEVICE 0
#define PT_MAIR_IDX_NORMAL 1
#define PT_MAIR_EL2 ((0x04ULL << (8 * PT_MAIR_IDX_DEVICE)) | (0xffULL << (8 * PT_MAIR_IDX_NORMAL)))

/* Descriptor fields common to both regimes (D8.3). */
#define PTE_VALID BIT(0)
#define PTE_TYPE_MASK GENMASK(1, 0)
#define PTE_TYPE_BLOCK 0x1ULL /* level 1 or 2 */
#define PTE_TYPE_TABLE 0x3ULL /* level 1 or 2 */
#define PTE_TYPE_PAGE 0x3ULL  /* level 3 */
#define PTE_SH_MASK GENMASK(9, 8)
#define PTE_SH_INNER (3ULL << 8)
#define PTE_AF BIT(10)
#define PTE_OA_MASK GENMASK(47, 12)

/* Stage-1 attribute fields: EL2 (one privilege level) and EL1&0. */
#define PTE_S1_ATTRIDX(i) ((u64)(i) << 2)
#define PTE_S1_ATTRIDX_MASK GENMASK(4, 2)
#define PTE_S1_AP1 BIT(6) /* AP[1]: RES1 at EL2; at EL1&0, unprivileged access allowed */
#define PTE_S1_AP_RO BIT(7) /* AP[2]: read-only */
#define PTE_S1_NG BIT(11)   /* not global: the entry belongs to one ASID (EL1&0 only) */
#define PTE_S1_PXN BIT(53)  /* privileged execute-never (EL1&0 only) */
#define PTE_S1_XN BIT(54)   /* XN at EL2, UXN at EL1&0 */

/* Stage-2 attribute fields (no FEAT_S2FWB: MemAttr is the memory type itself). */
#define PTE_S2_MEMATTR_MASK GENMASK(5, 2)
#define PTE_S2_MEMATTR_NORMAL_WB (0xfULL << 2) /* outer and inner write-back */
#define PTE_S2_MEMATTR_DEVICE (0x1ULL << 2)    /* Device-nGnRE */
#define PTE_S2_S2AP_R BIT(6)
#define PTE_S2_S2AP_W BIT(7)
#define PTE_S2_XN_MASK GENMASK(54, 53)
#define PTE_S2_XN (2ULL << 53) /* not executable at EL1 or EL0 */

enum pt_regime {
	PT_EL2,    /* EL2 stage 1, non-VHE, TTBR0_EL2 */
	PT_STAGE2, /* EL1&0 stage 2, VTTBR_EL2 */
	/*
	 * EL1&0 stage 1 for DMA, as an SMMUv3 context descriptor's TTB0 uses it
	 * (IHI 0070 5.4: the VMSAv8-64 format with CD.MAIR = PT_MAIR_EL2's
	 * encoding). Leaves are non-global (nG: tagged with the context's
	 * ASID), usable by unprivileged and privileged transactions (AP[1]),
	 * and never executable (UXN, PXN): PT_X is refused.
	 */
	PT_S1_DMA,
};

/* Access rights for pt_map(). PT_R is required. */
#define PT_R (1u << 0)
#define PT_W (1u << 1)
#define PT_X (1u << 2)
#define PT_DEV (1u << 3) /* Device-nGnRE, never executable; otherwise Normal WB, inner shareable */

/* Results; every failure leaves the tables and the pool as they were. */
enum pt_err {
	PT_OK = 0,
	PT_EINVAL = -1, /* misaligned, zero size, beyond 2^39 (va) or 2^48 (pa), bad regime or pool */
	PT_EPROT = -2,  /* prot without PT_R, unknown bits, W+X in PT_EL2, PT_X in PT_S1_DMA,
			 * or PT_DEV with PT_X */
	PT_EEXIST = -3, /* part of the range is already mapped */
	PT_ENOMEM = -4, /* not enough pool pages left */
};

/* Boot-time table pages, 4 KiB aligned, handed out in order and never freed. */
struct pt_pool {
	u64 (*pages)[PT_ENTRIES];
	unsigned int count;
	unsigned int used;
};

struct pgtable {
	enum pt_regime regime;
	u64 *root;
	struct pt_pool *pool;
	bool pages_only; /* every leaf a 4 KiB page: for an IOMMU that walks no blocks */
};

/* Takes the (empty) root table from @pool. PT_EINVAL or PT_ENOMEM on failure. */
int pt_init(struct pgtable *pt, enum pt_regime regime, struct pt_pool *pool);

/* pt_init() for tables whose leaves are all 4 KiB pages (level 3), never blocks. */
int pt_init_pages(struct pgtable *pt, enum pt_regime regime, struct pt_pool *pool);

/*
 * Maps [va, va + size) to [pa, pa + size) with @prot. All-or-nothing: the
 * whole range is checked, and the table pages it needs counted, before
 * anything is written, so on error nothing is mapped and no page is taken.
 * Already-mapped ranges are refused (PT_EEXIST), never replaced.
 */
int pt_map(struct pgtable *pt, u64 va, u64 pa, u64 size, unsigned int prot);

/*
 * Translates @va. When mapped, returns true and fills whichever of @pa, @prot
 * (PT_* bits) and @level (of the leaf: 1, 2 or 3) are not NULL.
 */
bool pt_lookup(const struct pgtable *pt, u64 va, u64 *pa, unsigned int *prot, unsigned int *level);

/*
 * Maps into @dst, with @dst's leaf sizes, what @src maps in [va, va + size):
 * the same addresses and rights. @dst must share @src's regime, and every
 * 4 KiB page of the range must be mapped in @src (else PT_EINVAL, nothing
 * done). Not all-or-nothing once mapping began: each run of contiguous
 * pages with one set of rights is one pt_map(), so a later run can fail with
 * PT_ENOMEM or PT_EEXIST after earlier ones are mapped (a boot-time failure).
 */
int pt_copy_range(struct pgtable *dst, const struct pgtable *src, u64 va, u64 size);

/* The root table's physical address, for TTBR0_EL2 or VTTBR_EL2.BADDR. */
u64 pt_root_pa(const struct pgtable *pt);

#endif
