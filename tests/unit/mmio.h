/*
 * Host unit tests: lib/include/mmio.h's accessors (same guard, found first
 * on the unit tests' include path), each routed to the register model the
 * test defines. Every access says its width, so a model can refuse one of
 * the wrong size or place.
 */
#ifndef LIB_MMIO_H
#define LIB_MMIO_H

#include <stdint.h>

uint64_t fake_mmio_read(uint64_t addr, unsigned int size);
void fake_mmio_write(uint64_t addr, uint64_t v, unsigned int size);

static inline uint8_t mmio_read8(uint64_t addr)
{
	return (uint8_t)fake_mmio_read(addr, 1);
}

static inline void mmio_write8(uint64_t addr, uint8_t v)
{
	fake_mmio_write(addr, v, 1);
}

static inline uint32_t mmio_read32(uint64_t addr)
{
	return (uint32_t)fake_mmio_read(addr, 4);
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	fake_mmio_write(addr, v, 4);
}

static inline uint64_t mmio_read64(uint64_t addr)
{
	return fake_mmio_read(addr, 8);
}

static inline void mmio_write64(uint64_t addr, uint64_t v)
{
	fake_mmio_write(addr, v, 8);
}

#endif
