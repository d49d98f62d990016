/*
 * EL2 stage-1 translation (non-VHE, TTBR0_EL2 only), identity mapped.
 *
 * The boot CPU turns the MMU on before any other C code runs, because libfdt
 * makes unaligned accesses and everything is Device memory with the MMU off.
 * The boot tables map only the image (with its final rights) and the DTB's
 * own pages. Once the DTB has been copied into the image, the final tables
 * replace them: the image again, then the devices and VM memory found in the
 * platform and the configuration. Both share the image mappings, so the
 * switch is safe without break-before-make.
 */
#include <arch/sysregs.h>
#include <tessera/cpu.h>
#include <tessera/mmu.h>

#define TABLE_POOL_PAGES 96
#define DTB_WINDOW SZ_2M /* booting.rst: the DTB is at most 2 MiB */
#define DTB_MAGIC 0xd00dfeedu /* DTSpec 5.2 */

extern char __image_start[], __text_end[], __rodata_end[], __image_end[];

static u64 table_pages[TABLE_POOL_PAGES][PT_ENTRIES] __aligned(4096);
struct pt_pool pt_pool_boot = { table_pages, TABLE_POOL_PAGES, 0 };
static struct pgtable boot_pt, hyp_pt;
u64 mmu_boot_regs[4];

struct mem_range mmu_image_range(void)
{
	return (struct mem_range){ (u64)__image_start, (u64)__image_end - (u64)__image_start };
}

static int map_image(struct pgtable *pt)
{
	u64 start = (u64)__image_start, text_end = (u64)__text_end;
	u64 ro_end = (u64)__rodata_end, end = (u64)__image_end;
	int rc;

	rc = pt_map(pt, start, start, text_end - start, PT_R | PT_X);
	if (!rc)
		rc = pt_map(pt, text_end, text_end, ro_end - text_end, PT_R);
	if (!rc)
		rc = pt_map(pt, ro_end, ro_end, end - ro_end, PT_R | PT_W);
	return rc;
}

static u64 tcr_value(void)
{
	u64 pa_range = read_sysreg(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK;

	return TCR_EL2_RES1 | TCR_EL2_T0SZ(PT_T0SZ) | TCR_EL2_IRGN0_WBWA | TCR_EL2_ORGN0_WBWA |
	       TCR_EL2_SH0_INNER | TCR_EL2_TG0_4K | pa_range << TCR_EL2_PS_SHIFT;
}

/*
 * How much to map at @dtb before the MMU is on: the blob's own pages, never
 * more. Under UEFI the pages around it can be a firmware carveout that must
 * not be mapped cacheable. The header (DTSpec 5.2: magic, then totalsize,
 * big-endian) is read with the MMU off: aligned 32-bit loads (booting.rst: the
 * DTB is 8-byte aligned), from memory the loader cleaned to PoC. A bad magic
 * or size maps one page; boot_main then finds no DTB and says so.
 */
static u64 dtb_boot_size(u64 dtb)
{
	const volatile u32 *hdr = (const volatile u32 *)dtb;
	u32 size;

	if (dtb % 8 || __builtin_bswap32(hdr[0]) != DTB_MAGIC)
		return 1;
	size = __builtin_bswap32(hdr[1]);
	return size && size <= DTB_WINDOW ? size : 1;
}

static void halt(void)
{
	for (;;)
		wfe();
}

void mmu_boot_enable(u64 dtb)
{
	u64 sctlr = SCTLR_EL2_RES1 | SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_I | SCTLR_EL2_SA |
		    SCTLR_EL2_WXN;
	u64 win = ALIGN_DOWN(dtb, SZ_4K);
	u64 win_end = ALIGN_UP(dtb + dtb_boot_size(dtb), SZ_4K);

	/* Lines the loader may have left in the cache would shadow what we write with the MMU off. */
	dcache_inval_poc((u64)__image_start, (u64)__image_end);

	if (pt_init(&boot_pt, PT_EL2, &pt_pool_boot) || map_image(&boot_pt))
		halt();
	/* A DTB overlapping the image cannot be mapped; boot_main then finds no DTB and halts. */
	pt_map(&boot_pt, win, win, win_end - win, PT_R);

	mmu_boot_regs[0] = PT_MAIR_EL2;
	mmu_boot_regs[1] = tcr_value();
	mmu_boot_regs[2] = pt_root_pa(&boot_pt);
	mmu_boot_regs[3] = sctlr;

	write_sysreg(mair_el2, mmu_boot_regs[0]);
	write_sysreg(tcr_el2, mmu_boot_regs[1]);
	write_sysreg(ttbr0_el2, mmu_boot_regs[2]);
	isb();
	__asm__ volatile("tlbi alle2" ::: "memory");
	dsb(nsh);
	isb();
	write_sysreg(sctlr_el2, sctlr);
	isb();
}

void mmu_init(void)
{
	if (pt_init(&hyp_pt, PT_EL2, &pt_pool_boot) || map_image(&hyp_pt))
		halt();
}

static int map_live(u64 base, u64 size, unsigned int prot)
{
	u64 start = ALIGN_DOWN(base, SZ_4K);
	int rc = pt_map(&hyp_pt, start, start, ALIGN_UP(base + size, SZ_4K) - start, prot);

	dsb(ishst); /* new entries visible to the walker before use (pgtable.h) */
	isb();
	return rc;
}

int mmu_map_device(u64 base, u64 size)
{
	return map_live(base, size, PT_R | PT_W | PT_DEV);
}

int mmu_map_ram(u64 base, u64 size)
{
	return map_live(base, size, PT_R | PT_W);
}

void mmu_activate(void)
{
	mmu_boot_regs[2] = pt_root_pa(&hyp_pt);
	dsb(ishst);
	write_sysreg(ttbr0_el2, mmu_boot_regs[2]);
	isb();
	__asm__ volatile("tlbi alle2" ::: "memory");
	dsb(nsh);
	isb();
}
