/*
 * A register model of one MMU-500 (SMMUv2) instance for host unit tests:
 * the driver's MMIO accesses (tests/unit/mmio.h) land in its register array,
 * and mmu500_translate() decodes what was programmed the way the hardware
 * would (IHI 0062D: SMR match -> S2CR -> context bank -> stage-2 walk of
 * the tables in host memory, whose pointers are their "physical" addresses).
 *
 * Geometry: 4 KiB register pages, sIDR1.NUMPAGENDXB = 2 (8 global pages,
 * then 8 context bank pages: 64 KiB), 16 stream match registers, 8 context
 * banks, stage 2 and stream matching supported.
 */
#ifndef TESTS_UNIT_MMU500_MODEL_H
#define TESTS_UNIT_MMU500_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#define MMU500_MODEL_SIZE 0x10000
#define MMU500_MODEL_SMRS 16
#define MMU500_MODEL_CBS 8

struct mmu500_model {
	uint64_t base;
	uint32_t regs[MMU500_MODEL_SIZE / 4];
	const char *why; /* the last translation's reason for faulting or bypassing */
	uint32_t smr_mask_bits; /* SMR.MASK bits implemented (IMPLEMENTATION DEFINED); init: all 15 */
};

enum mmu500_result { MMU500_OK, MMU500_FAULT, MMU500_BYPASS };

/* Reset values; the model answers MMIO at [base, base + MMU500_MODEL_SIZE). */
void mmu500_model_init(struct mmu500_model *m, uint64_t base);
/* The instances fake_mmio_read/write route to (up to 4); any other address fails the test. */
void mmu500_models_use(struct mmu500_model *const *models, unsigned int count);
/* A transaction from @sid to @addr: MMU500_OK with *pa, or why it did not translate. */
enum mmu500_result mmu500_translate(struct mmu500_model *m, uint32_t sid, uint64_t addr,
				    bool write, uint64_t *pa);
/* A register of the model, by byte offset. */
uint32_t mmu500_reg(const struct mmu500_model *m, uint64_t off);

#endif
