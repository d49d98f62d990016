/*
 * MMU-500 register model: see mmu500_model.h. Offsets and fields are
 * literal numbers from IHI 0062D (not the driver's smmuv2.h), so a wrong
 * driver constant shows as a transaction that does not translate.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mmu500_model.h"

#define PAGE 0x1000
#define CB_BASE (8 * PAGE)

static struct mmu500_model *const *used;
static unsigned int used_count;

void mmu500_model_init(struct mmu500_model *m, uint64_t base)
{
	memset(m, 0, sizeof(*m));
	m->base = base;
	m->smr_mask_bits = 0x7fff;
	m->regs[0x000 / 4] = 1;                           /* sCR0.CLIENTPD resets to 1 */
	m->regs[0x020 / 4] = (1U << 29) | (1U << 27) | MMU500_MODEL_SMRS; /* S2TS, SMS, NUMSMRG */
	m->regs[0x024 / 4] = (2U << 28) | MMU500_MODEL_CBS; /* NUMPAGENDXB 2, NUMCB */
	m->regs[0x048 / 4] = 0x2;                         /* a fault from before Tessera: sGFSR.USF */
}

void mmu500_models_use(struct mmu500_model *const *models, unsigned int count)
{
	used = models;
	used_count = count;
}

uint32_t mmu500_reg(const struct mmu500_model *m, uint64_t off)
{
	return m->regs[off / 4];
}

static struct mmu500_model *find(uint64_t addr, unsigned int size, uint64_t *off)
{
	for (unsigned int i = 0; i < used_count; i++)
		if (addr >= used[i]->base && addr - used[i]->base < MMU500_MODEL_SIZE) {
			*off = addr - used[i]->base;
			if (*off % size || (size != 4 && size != 8))
				fail_msg("MMU-500 access of %u bytes at offset 0x%llx", size,
					 (unsigned long long)*off);
			return used[i];
		}
	fail_msg("MMIO at 0x%llx is no MMU-500's", (unsigned long long)addr);
	return NULL;
}

static bool write_one_to_clear(uint64_t off)
{
	return off == 0x048 || (off >= CB_BASE && off % PAGE == 0x058); /* sGFSR, CB_FSR */
}

static bool read_only(uint64_t off)
{
	return off == 0x020 || off == 0x024 || off == 0x074; /* sIDR0, sIDR1, sTLBGSTATUS */
}

uint64_t fake_mmio_read(uint64_t addr, unsigned int size)
{
	uint64_t off;
	struct mmu500_model *m = find(addr, size, &off);
	uint64_t v = m->regs[off / 4];

	if (size == 8)
		v |= (uint64_t)m->regs[off / 4 + 1] << 32;
	return v;
}

void fake_mmio_write(uint64_t addr, uint64_t v, unsigned int size)
{
	uint64_t off;
	struct mmu500_model *m = find(addr, size, &off);

	for (unsigned int w = 0; w < size / 4; w++, off += 4, v >>= 32) {
		if (read_only(off))
			continue;
		if (write_one_to_clear(off))
			m->regs[off / 4] &= ~(uint32_t)v;
		else if (off >= 0x800 && off < 0x800 + 4 * MMU500_MODEL_SMRS) /* SMRn */
			m->regs[off / 4] = ((uint32_t)v & ~(0x7fffU << 16)) |
					   ((uint32_t)v & m->smr_mask_bits << 16);
		else
			m->regs[off / 4] = (uint32_t)v;
	}
}

static enum mmu500_result no(struct mmu500_model *m, enum mmu500_result r, const char *why)
{
	m->why = why;
	return r;
}

/*
 * A context fault, recorded as the MMU-500 does when SCTLR.CFRE is set:
 * FSR.TF or .PF, FAR, FSYNR0.WNR and CBFRSYNRA's stream ID.
 */
static enum mmu500_result context_fault(struct mmu500_model *m, unsigned int cb, uint32_t sid,
					uint64_t addr, bool write, const char *why)
{
	uint64_t cbp = CB_BASE + cb * PAGE;

	if (m->regs[cbp / 4] & (1U << 5)) {
		m->regs[(cbp + 0x058) / 4] |= strcmp(why, "permission fault") ? 1U << 1 : 1U << 3;
		m->regs[(cbp + 0x060) / 4] = (uint32_t)addr;
		m->regs[(cbp + 0x064) / 4] = (uint32_t)(addr >> 32);
		m->regs[(cbp + 0x068) / 4] = write ? 1U << 4 : 0;
		m->regs[(0x1400 + 4 * cb) / 4] = sid;
	}
	return no(m, MMU500_FAULT, why);
}

/* The context bank is the stage-2, AArch64, 39-bit 4 KiB walk Tessera's tables need. */
static enum mmu500_result cb_configured(struct mmu500_model *m, unsigned int cb)
{
	uint64_t cbp = CB_BASE + cb * PAGE;
	uint32_t tcr = m->regs[(cbp + 0x030) / 4];

	if (!(m->regs[(cbp + 0x000) / 4] & 1))
		return no(m, MMU500_FAULT, "context bank SCTLR.M clear");
	if ((m->regs[(0x1000 + 4 * cb) / 4] >> 16 & 3) != 0)
		return no(m, MMU500_FAULT, "CBAR type is not stage 2");
	if (!(m->regs[(0x1800 + 4 * cb) / 4] & 1))
		return no(m, MMU500_FAULT, "CBA2R.VA64 clear");
	/* T0SZ 25 (39 bits), SL0 1 (start at level 1), TG0 4 KiB */
	if ((tcr & 0x3f) != 25 || (tcr >> 6 & 3) != 1 || (tcr >> 14 & 3) != 0)
		return no(m, MMU500_FAULT, "TCR is not a 39-bit level-1 4 KiB walk");
	return MMU500_OK;
}

/* The stage-2 walk the context bank's registers describe (VMSAv8-64, 4 KiB granule). */
static enum mmu500_result translate_cb(struct mmu500_model *m, unsigned int cb, uint32_t sid,
				       uint64_t addr, bool write, uint64_t *pa)
{
	uint64_t cbp = CB_BASE + cb * PAGE;
	uint64_t table = m->regs[(cbp + 0x020) / 4] | (uint64_t)m->regs[(cbp + 0x024) / 4] << 32;
	enum mmu500_result r = cb_configured(m, cb);

	if (r != MMU500_OK)
		return r;
	if (addr >> 39)
		return context_fault(m, cb, sid, addr, write, "address beyond T0SZ");
	for (unsigned int level = 1; level <= 3; level++) {
		const uint64_t *t = (const uint64_t *)(uintptr_t)(table & 0xfffffffff000ULL);
		uint64_t d = t[(addr >> (39 - 9 * level)) & 0x1ff];

		if ((d & 3) != 3)
			return context_fault(m, cb, sid, addr, write,
					     (d & 1) ? "block descriptor" : "translation fault");
		if (level < 3) {
			table = d;
			continue;
		}
		if (!(d & (1U << 10)))
			return context_fault(m, cb, sid, addr, write, "access flag fault");
		if (!(d & (1U << (write ? 7 : 6))))
			return context_fault(m, cb, sid, addr, write, "permission fault");
		*pa = (d & 0xfffffffff000ULL) | (addr & 0xfff);
	}
	m->why = NULL;
	return MMU500_OK;
}

enum mmu500_result mmu500_translate(struct mmu500_model *m, uint32_t sid, uint64_t addr,
				    bool write, uint64_t *pa)
{
	uint32_t scr0 = m->regs[0];
	int match = -1;

	if (scr0 & 1)
		return no(m, MMU500_BYPASS, "sCR0.CLIENTPD");
	for (unsigned int i = 0; i < MMU500_MODEL_SMRS; i++) {
		uint32_t smr = m->regs[(0x800 + 4 * i) / 4];
		uint32_t mask = smr >> 16 & 0x7fff;

		if (!(smr >> 31) || ((smr ^ sid) & 0x7fff & ~mask))
			continue;
		if (match >= 0)
			return no(m, MMU500_FAULT, "two SMRs match (stream match conflict)");
		match = (int)i;
	}
	if (match < 0 && !(scr0 >> 10 & 1))
		return no(m, MMU500_BYPASS, "no SMR matches");
	if (match < 0) { /* sGFSR.USF, the stream in sGFSYNR1 */
		m->regs[0x048 / 4] |= 1U << 1;
		m->regs[0x054 / 4] = sid;
		return no(m, MMU500_FAULT, "no SMR matches");
	}
	uint32_t s2cr = m->regs[(0xc00 + 4 * match) / 4];
	switch (s2cr >> 16 & 3) {
	case 0:
		if ((s2cr & 0xff) >= MMU500_MODEL_CBS)
			return no(m, MMU500_FAULT, "S2CR.CBNDX beyond NUMCB");
		return translate_cb(m, s2cr & 0xff, sid, addr, write, pa);
	case 1:
		return no(m, MMU500_BYPASS, "S2CR type bypass");
	default:
		return no(m, MMU500_FAULT, "S2CR type fault");
	}
}
