/*
 * Fake arch (tests/fake/README.md): the real arch/sysregs.h for its field
 * definitions, with the accessors and barriers replaced by host functions.
 * A system register is a named cell the test sets and inspects
 * (fake_arch.h); reading one the test never set fails the test.
 */
#ifndef FAKE_ARCH_SYSREGS_H
#define FAKE_ARCH_SYSREGS_H

#include_next <arch/sysregs.h>

#include <tessera/types.h>

#undef read_sysreg
#undef write_sysreg
#undef isb
#undef dsb
#undef wfi
#undef wfe
#undef sev

u64 fake_sysreg_read(const char *name);
void fake_sysreg_write(const char *name, u64 value);
void fake_barrier(void);
void fake_wait(const char *insn);
void fake_sev(void);

/* The register by the name the code spells (not macro-expanded): "icc_iar1_el1". */
#define read_sysreg(reg) fake_sysreg_read(#reg)
#define write_sysreg(reg, v) fake_sysreg_write(#reg, (u64)(v))
#define isb() fake_barrier()
#define dsb(opt) fake_barrier()
#define wfi() fake_wait("wfi")
#define wfe() fake_wait("wfe")
#define sev() fake_sev()

#endif
