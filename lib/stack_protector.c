/*
 * Debian's libfdt.a is built with -fstack-protector-strong. Our own code is
 * not; these satisfy libfdt. The guard is a fixed pattern, which still catches
 * linear overruns (the only failure it guards against here: no attacker reads it).
 */
#include <stdint.h>

uintptr_t __stack_chk_guard = 0x595e9fbd94fda766ULL;

void lib_stack_smashed(void) __attribute__((noreturn));

void __stack_chk_fail(void) __attribute__((noreturn));
void __stack_chk_fail(void)
{
	lib_stack_smashed();
}
