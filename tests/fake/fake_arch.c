/*
 * Fake arch for host unit tests (README.md). The hypervisor functions here
 * are weak: a test that links the real file (e.g. fault.c for guest_fault)
 * gets the real one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <arch/traps.h>
#include <tessera/console.h>
#include <tessera/cpu.h>
#include <tessera/vm.h>
#include <virt/vgic.h>

#include "fake_arch.h"

#define FAKE_SYSREGS 64
#define FAKE_TEXT 8192
#define FAKE_WAIT_LIMIT 1000000 /* a wait loop this long never ends */
#define FAKE_IRQS 1024

#define __weak __attribute__((weak))

struct fake_sysreg {
	char name[32];
	u64 value;
	unsigned int writes;
};

static struct fake_sysreg sysregs[FAKE_SYSREGS];
static unsigned int nr_sysregs;
static unsigned int waits;

static char printk_buf[FAKE_TEXT];
static size_t printk_len;
static char con_out[FAKE_TEXT];
static size_t con_out_len;
static char con_in[FAKE_TEXT];
static size_t con_in_head, con_in_len;
static int irq_levels[FAKE_IRQS];

u32 fake_cpu_msgs[PLATFORM_MAX_CPUS];
unsigned int fake_cpu_msg_calls;
struct fake_exit fake_exit;
jmp_buf fake_noreturn_jmp;
bool fake_noreturn_armed;

__weak struct cpu cpus[PLATFORM_MAX_CPUS];

void fake_arch_reset(void)
{
	memset(sysregs, 0, sizeof(sysregs));
	nr_sysregs = 0;
	waits = 0;
	printk_len = con_out_len = con_in_head = con_in_len = 0;
	printk_buf[0] = con_out[0] = '\0';
	memset(irq_levels, 0xff, sizeof(irq_levels)); /* -1: never set */
	memset(fake_cpu_msgs, 0, sizeof(fake_cpu_msgs));
	fake_cpu_msg_calls = 0;
	memset(&fake_exit, 0, sizeof(fake_exit));
	fake_noreturn_armed = false;
	memset(cpus, 0, sizeof(cpus));
}

/* ---- system registers */

static struct fake_sysreg *sysreg_find(const char *name, bool add)
{
	for (unsigned int i = 0; i < nr_sysregs; i++)
		if (strcasecmp(sysregs[i].name, name) == 0)
			return &sysregs[i];
	if (!add)
		return NULL;
	assert_true(nr_sysregs < FAKE_SYSREGS);
	assert_true(strlen(name) < sizeof(sysregs[0].name));
	strcpy(sysregs[nr_sysregs].name, name);
	return &sysregs[nr_sysregs++];
}

void fake_sysreg_set(const char *name, u64 value)
{
	sysreg_find(name, true)->value = value;
}

u64 fake_sysreg_get(const char *name)
{
	struct fake_sysreg *r = sysreg_find(name, false);

	if (!r)
		fail_msg("system register %s read, but the test never set it", name);
	return r->value;
}

unsigned int fake_sysreg_writes(const char *name)
{
	struct fake_sysreg *r = sysreg_find(name, false);

	return r ? r->writes : 0;
}

u64 fake_sysreg_read(const char *name)
{
	return fake_sysreg_get(name);
}

void fake_sysreg_write(const char *name, u64 value)
{
	struct fake_sysreg *r = sysreg_find(name, true);

	r->value = value;
	r->writes++;
}

void fake_barrier(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void fake_wait(const char *insn)
{
	if (++waits > FAKE_WAIT_LIMIT)
		fail_msg("%s in a loop that never ends", insn);
}

void fake_sev(void)
{
}

/* ---- CPUs */

void fake_run_on(unsigned int cpu, struct vcpu *vcpu)
{
	assert_true(cpu < PLATFORM_MAX_CPUS);
	cpus[cpu].index = cpu;
	cpus[cpu].vcpu = vcpu;
	fake_sysreg_set("tpidr_el2", (u64)(uintptr_t)&cpus[cpu]);
}

__weak void cpu_send_msg(unsigned int index, u32 msg)
{
	assert_true(index < PLATFORM_MAX_CPUS);
	fake_cpu_msgs[index] |= msg;
	fake_cpu_msg_calls++;
}

/* ---- calls that never return */

static void __noreturn leave(const char *fn, struct vm *vm, const char *reason)
{
	fake_exit = (struct fake_exit){ .fn = fn, .vm = vm, .reason = reason };
	if (!fake_noreturn_armed)
		fail_msg("%s(%s) called outside FAKE_NORETURN", fn, reason ? reason : "");
	fake_noreturn_armed = false;
	longjmp(fake_noreturn_jmp, 1);
}

__weak void vm_event(struct vm *vm, enum vm_event event, const char *reason)
{
	(void)event;
	leave("vm_event", vm, reason);
}

__weak void vm_reset(struct vm *vm)
{
	leave("vm_reset", vm, NULL);
}

__weak void cpu_park(void)
{
	leave("cpu_park", NULL, NULL);
}

__weak void guest_fault(struct guest_regs *regs, u64 esr, const char *what)
{
	struct vcpu *vcpu = this_cpu()->vcpu;

	(void)regs;
	(void)esr;
	leave("guest_fault", vcpu ? vcpu->vm : NULL, what);
}

/* ---- printk */

static void append(char *buf, size_t *len, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf + *len, FAKE_TEXT - *len, fmt, ap);

	assert_true(n >= 0 && *len + (size_t)n < FAKE_TEXT); /* raise FAKE_TEXT if a test needs more */
	*len += (size_t)n;
}

__weak void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	append(printk_buf, &printk_len, fmt, ap);
	va_end(ap);
}

const char *fake_printk_output(void)
{
	return printk_buf;
}

bool fake_printk_contains(const char *text)
{
	return strstr(printk_buf, text) != NULL;
}

/* ---- the VM's console */

void fake_console_input(const char *text)
{
	size_t n = strlen(text);

	assert_true(con_in_len + n < FAKE_TEXT);
	memcpy(con_in + con_in_len, text, n);
	con_in_len += n;
}

const char *fake_console_output(void)
{
	return con_out;
}

__weak void console_vm_putc(struct vm *vm, char c)
{
	(void)vm;
	assert_true(con_out_len + 1 < FAKE_TEXT);
	con_out[con_out_len++] = c;
	con_out[con_out_len] = '\0';
}

__weak int console_vm_getc(struct vm *vm)
{
	(void)vm;
	return con_in_head < con_in_len ? (unsigned char)con_in[con_in_head++] : -1;
}

__weak bool console_vm_rx_ready(struct vm *vm)
{
	(void)vm;
	return con_in_head < con_in_len;
}

__weak bool console_vm_rx_pending(struct vm *vm)
{
	return console_vm_rx_ready(vm);
}

/* ---- cache maintenance by VA: nothing to do on the host's coherent memory */

__weak void dcache_clean_poc(u64 start, u64 end)
{
	(void)start;
	(void)end;
}

__weak void dcache_inval_poc(u64 start, u64 end)
{
	(void)start;
	(void)end;
}

/* ---- the vGIC's input lines */

__weak void vgic_set_level(struct vm *vm, u32 intid, bool level)
{
	(void)vm;
	assert_true(intid < FAKE_IRQS);
	irq_levels[intid] = level;
}

int fake_irq_level(u32 intid)
{
	assert_true(intid < FAKE_IRQS);
	return irq_levels[intid];
}
