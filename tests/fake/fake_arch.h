/*
 * Fake arch for host unit tests (README.md): what a test sets and inspects
 * around hypervisor .c files compiled for the host against tests/fake/include.
 * Include after cmocka's headers.
 */
#ifndef FAKE_ARCH_H
#define FAKE_ARCH_H

#include <setjmp.h>

#include <tessera/cpu.h>
#include <tessera/types.h>

struct vm;

/* Forget every register, record, output and input: call from each test's setup. */
void fake_arch_reset(void);

/* ---- system registers: named cells (names compare case-insensitively) */
void fake_sysreg_set(const char *name, u64 value); /* as the hardware would hold it */
u64 fake_sysreg_get(const char *name);             /* fails the test if never set or written */
unsigned int fake_sysreg_writes(const char *name); /* write_sysreg()s by the code under test */

/* ---- CPUs: the code under test runs on cpus[@cpu] (TPIDR_EL2), with @vcpu loaded */
void fake_run_on(unsigned int cpu, struct vcpu *vcpu);

/* ---- printk(): captured, not printed */
const char *fake_printk_output(void);
bool fake_printk_contains(const char *text);

/* ---- cpu_send_msg(): the messages posted to each CPU, and how many calls */
extern u32 fake_cpu_msgs[PLATFORM_MAX_CPUS];
extern unsigned int fake_cpu_msg_calls;

/* ---- the VM's console (console_vm_*): input the guest will read, output it wrote */
void fake_console_input(const char *text);
const char *fake_console_output(void);

/* ---- vgic_set_level(): the last level set for @intid, or -1 */
int fake_irq_level(u32 intid);

/*
 * Calls that never return (vm_event, vm_reset, cpu_park, and guest_fault when
 * fault.c is not linked) end the statement given to FAKE_NORETURN, which is
 * true when one was called; fake_exit says which. Called outside
 * FAKE_NORETURN, they fail the test.
 */
struct fake_exit {
	const char *fn;     /* "vm_event", "vm_reset", "cpu_park", "guest_fault" */
	struct vm *vm;      /* the VM stopped or reset */
	const char *reason; /* vm_stop's reason, guest_fault's description */
};
extern struct fake_exit fake_exit;
extern jmp_buf fake_noreturn_jmp;
extern bool fake_noreturn_armed;

#define FAKE_NORETURN(stmt)                                      \
	({                                                       \
		volatile bool fake_caught_ = true;               \
		if (setjmp(fake_noreturn_jmp) == 0) {            \
			fake_noreturn_armed = true;              \
			stmt;                                    \
			fake_caught_ = false;                    \
		}                                                \
		fake_noreturn_armed = false;                     \
		fake_caught_;                                    \
	})

#endif
