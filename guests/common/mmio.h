/*
 * Device register accessors for the bare-metal guests: one load or store
 * each, no writeback, so a hypervisor trapping the access always gets a
 * valid syndrome (ESR_EL2.ISV).
 */
#ifndef GUEST_MMIO_H
#define GUEST_MMIO_H

#include "guest.h"

static inline u32 mmio_read32(u64 addr)
{
	u32 v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline u64 mmio_read64(u64 addr)
{
	u64 v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(u64 addr, u32 v)
{
	__asm__ volatile("str %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

static inline void mmio_write64(u64 addr, u64 v)
{
	__asm__ volatile("str %x0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

#endif
