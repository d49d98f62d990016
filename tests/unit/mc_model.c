/*
 * Tegra MC sid-window model: see mc_model.h. Bit positions are literal
 * numbers from Linux tegra186.c's MC_SID_STREAMID_* (not the driver's
 * drivers/tegra_mc.h), so a wrong driver constant shows in what DMA carries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mc_model.h"

#define SEC_OVERRIDE (1U << 8)
#define SEC_LOCKED (1U << 16)

static struct mc_model *used;

void mc_model_init(struct mc_model *m, uint64_t base)
{
	memset(m, 0, sizeof(*m));
	m->base = base;
	used = m;
}

void mc_model_lock(struct mc_model *m, uint32_t override_off, uint32_t sid, bool override)
{
	m->regs[override_off / 4] = sid & 0xff;
	m->regs[override_off / 4 + 1] = SEC_LOCKED | (override ? SEC_OVERRIDE : 0);
}

uint32_t mc_model_dma_sid(const struct mc_model *m, uint32_t override_off, uint32_t own)
{
	return (m->regs[override_off / 4 + 1] & SEC_OVERRIDE) ? m->regs[override_off / 4] : own;
}

unsigned int mc_model_writes_to(const struct mc_model *m, uint32_t override_off)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < m->write_count; i++)
		n += m->writes[i].off / 8 == override_off / 8;
	return n;
}

static uint32_t offset(uint64_t addr, unsigned int size)
{
	if (!used || addr < used->base || addr - used->base >= MC_MODEL_SIZE)
		fail_msg("MMIO at 0x%llx is not the MC's sid window", (unsigned long long)addr);
	if (size != 4 || addr % 4)
		fail_msg("MC access of %u bytes at 0x%llx", size, (unsigned long long)addr);
	return (uint32_t)(addr - used->base);
}

uint64_t fake_mmio_read(uint64_t addr, unsigned int size)
{
	return used->regs[offset(addr, size) / 4];
}

void fake_mmio_write(uint64_t addr, uint64_t v, unsigned int size)
{
	uint32_t off = offset(addr, size);
	bool locked = used->regs[(off & ~7U) / 4 + 1] & SEC_LOCKED;

	assert_in_range(used->write_count, 0, MC_MODEL_WRITES - 1);
	used->writes[used->write_count].off = off;
	used->writes[used->write_count].value = (uint32_t)v;
	used->writes[used->write_count++].ignored = locked;
	if (locked)
		return;
	if (off % 8 == 0)
		used->regs[off / 4] = (uint32_t)v & 0xff;
	else
		used->regs[off / 4] = (used->regs[off / 4] & SEC_LOCKED) | ((uint32_t)v & SEC_OVERRIDE);
}
