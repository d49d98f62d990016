/*
 * A register model of a Tegra memory controller's sid window for host unit
 * tests: the driver's MMIO accesses (tests/unit/mmio.h) land in it. Each
 * client has an override/security pair (override at an 8-byte aligned
 * offset, security at +4; Linux drivers/memory/tegra/tegra186.c):
 *  - override: bits [7:0] hold the stream ID, other bits read as zero;
 *  - security: bit 8 OVERRIDE is writable, bit 16 WRITE_ACCESS_DISABLED is
 *    firmware's (read only); with it set, writes to the pair are ignored.
 * What a client's DMA carries is the override when OVERRIDE is set, else
 * the client's own ID (mc_model_dma_sid). Every write is recorded.
 */
#ifndef TESTS_UNIT_MC_MODEL_H
#define TESTS_UNIT_MC_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#define MC_MODEL_SIZE 0x10000
#define MC_MODEL_WRITES 64

struct mc_model {
	uint64_t base;
	uint32_t regs[MC_MODEL_SIZE / 4];
	struct {
		uint32_t off, value;
		bool ignored; /* the pair was locked */
	} writes[MC_MODEL_WRITES];
	unsigned int write_count;
};

/* Reset: every override 0, OVERRIDE clear, nothing locked; answers MMIO at base.. */
void mc_model_init(struct mc_model *m, uint64_t base);
/* Firmware set client @override_off's pair to @sid (OVERRIDE as @override) and locked it. */
void mc_model_lock(struct mc_model *m, uint32_t override_off, uint32_t sid, bool override);
/* The stream ID the client's DMA carries: the override's when OVERRIDE is set, else @own. */
uint32_t mc_model_dma_sid(const struct mc_model *m, uint32_t override_off, uint32_t own);
/* Writes that reached the pair at @override_off (override or security), ignored or not. */
unsigned int mc_model_writes_to(const struct mc_model *m, uint32_t override_off);

#endif
