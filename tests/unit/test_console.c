/*
 * The shared console (hyp/core/console.c): terminal queries dropped from VM
 * output, the Ctrl-T keys, input refused (one line) for a VM that cannot
 * take it, Ctrl-T q powering off. The physical UART is a pair of buffers;
 * PSCI SYSTEM_OFF jumps back to the test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <tessera/types.h>

#include "fake_spinlock.h"

#include "../../hyp/core/console.c"
#include "../../hyp/core/console_filter.c"

#include <tessera/platform.h>

struct vm vms[CONFIG_MAX_VMS];
unsigned int vm_count;
u32 irq_console;

static char out[8192]; /* what the terminal shows, \r removed */
static size_t out_len;
static const char *typed; /* what the terminal sends, not yet read */
static unsigned int irq_updates;
static jmp_buf powered_off;

void pl011_putc(u64 base, char c)
{
	(void)base;
	assert_true(out_len < sizeof(out) - 1);
	if (c != '\r')
		out[out_len++] = c;
	out[out_len] = '\0';
}

int pl011_getc(u64 base)
{
	(void)base;
	return typed && *typed ? (unsigned char)*typed++ : -1;
}

void pl011_enable_rx_irq(u64 base)
{
	(void)base;
}

void gic_enable_spi(u32 intid, u64 mpidr)
{
	(void)intid;
	(void)mpidr;
}

void vpl011_update_irq(struct vpl011 *uart)
{
	(void)uart;
	irq_updates++;
}

void psci_system_off(void)
{
	assert_int_equal(console_lock.held, 0);
	longjmp(powered_off, 1);
}

static const struct vm_config cfg_ok;
#define RX_ON (UARTCR_UARTEN | BIT(8) | UARTCR_RXE) /* UARTEN, TXE, RXE: a driver that reads */

static int setup(void **state)
{
	static struct platform plat;

	(void)state;
	memset(vms, 0, sizeof(vms));
	vm_count = 2;
	vms[0] = (struct vm){ .cfg = &cfg_ok, .name = "linux", .state = VM_RUNNING,
			      .vuart.cr = RX_ON };
	vms[1] = (struct vm){ .cfg = &cfg_ok, .name = "rt", .state = VM_RUNNING,
			      .vuart.cr = UARTCR_RESET }; /* never enabled: reads no input */
	plat.uart.base = 0x9000000;
	console_init(&plat);
	input_vm = partial_vm = NULL;
	escape_pending = quit_requested = false;
	refusal_noted = NULL;
	console_set_input(&vms[0]);
	out_len = 0;
	out[0] = '\0';
	typed = NULL;
	irq_updates = 0;
	return 0;
}

static void vm_write(struct vm *vm, const char *s)
{
	while (*s)
		console_vm_putc(vm, *s++);
}

/* The terminal sends @s; Tessera takes it (the receive interrupt). */
static void type(const char *s)
{
	typed = s;
	console_rx_irq();
	assert_int_equal(*typed, '\0');
}

static int count(const char *needle)
{
	int n = 0;

	for (const char *p = out; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* What @vm has queued, as a string. */
static const char *queued(struct vm *vm)
{
	static char buf[64];
	size_t n = 0;
	int c;

	while (n < sizeof(buf) - 1 && (c = console_vm_getc(vm)) >= 0)
		buf[n++] = (char)c;
	buf[n] = '\0';
	return buf;
}

static void test_queries_dropped(void **state)
{
	(void)state;
	/* rt does not hold the input: its line comes out whole at the newline. */
	vm_write(&vms[1], "a\033[6nb\033[31mc\033[0m\033Zd\033[>c\033[c\033[18te\033[?2026$pf\n");
	assert_string_equal(out, "[rt] a" "b\033[31mc\033[0m" "d" "e" "f\n");
}

static void test_query_after_prompt(void **state)
{
	(void)state;
	/* ash after its prompt, on the VM with the input: the prompt shows at once. */
	vm_write(&vms[0], "tessera-linux# \033[6n");
	assert_string_equal(out, "[linux] tessera-linux# ");
	vm_write(&vms[0], "ls\n");
	assert_string_equal(out, "[linux] tessera-linux# ls\n");
}

static void test_other_sequences_pass(void **state)
{
	(void)state;
	/* Not queries: cursor movement, a lone ESC, a sequence longer than any query. */
	vm_write(&vms[1], "\033[2J\033[H\033x\033[1;2;3;4;5;6;7;8;9m.\n");
	assert_string_equal(out, "[rt] \033[2J\033[H\033x\033[1;2;3;4;5;6;7;8;9m.\n");
}

static void test_unfinished_sequence_dropped_at_stop(void **state)
{
	(void)state;
	vm_write(&vms[1], "bye\033[");
	console_vm_flush(&vms[1]);
	assert_string_equal(out, "[rt] bye\n");
	vm_write(&vms[1], "6n\n"); /* no longer a sequence: plain text */
	assert_string_equal(out, "[rt] bye\n[rt] 6n\n");
}

static void test_input_and_ctrl_c(void **state)
{
	(void)state;
	type("x\003y");
	assert_string_equal(queued(&vms[0]), "x\003y");
	assert_true(irq_updates > 0);
	assert_string_equal(out, "");
	type("\024\024"); /* Ctrl-T Ctrl-T: one Ctrl-T for the VM */
	assert_string_equal(queued(&vms[0]), "\024");
}

static void test_help(void **state)
{
	(void)state;
	vms[0].restart_count = 2;
	vms[1].state = VM_STOPPED;
	type("\024h");
	assert_non_null(strstr(out, "Ctrl-T q: quit"));
	assert_non_null(strstr(out, "tessera: VM 1 linux: running, restarts 2, has the console input\n"));
	assert_non_null(strstr(out, "tessera: VM 2 rt: stopped, restarts 0\n"));
	out_len = 0;
	vms[1].state = VM_RESETTING;
	type("\024?");
	assert_non_null(strstr(out, "tessera: VM 2 rt: restarting, restarts 0\n"));
	assert_string_equal(queued(&vms[0]), "");
}

static void test_bad_keys(void **state)
{
	(void)state;
	type("\0249\0240\024x\024\003");
	assert_int_equal(count("there is no VM 9"), 1);
	assert_int_equal(count("there is no VM 0"), 1);
	assert_int_equal(count("Ctrl-T x is not a console key"), 1);
	assert_int_equal(count("Ctrl-T 0x03 is not a console key"), 1);
	assert_string_equal(queued(&vms[0]), "");
	vms[1].cfg = NULL; /* refused at boot */
	type("\0242");
	assert_int_equal(count("VM rt was refused at boot"), 1);
	assert_ptr_equal(input_vm, &vms[0]);
}

static void test_refused_once(void **state)
{
	(void)state;
	type("\024n");
	assert_non_null(strstr(out, "tessera: console input now goes to VM rt, which is not reading its console"));
	assert_ptr_equal(input_vm, &vms[1]);
	type("abc");
	type("def");
	assert_int_equal(count("input dropped: VM rt"), 1);
	assert_string_equal(queued(&vms[1]), "");
	vms[1].vuart.cr = RX_ON; /* it starts reading: input goes in */
	type("g");
	assert_string_equal(queued(&vms[1]), "g");
	vms[1].state = VM_STOPPED; /* a new reason: said again, once */
	type("hi");
	assert_int_equal(count("input dropped: VM rt is stopped"), 1);
	type("\0241");
	assert_non_null(strstr(out, "tessera: console input now goes to VM linux\n"));
	type("\0242k");
	assert_non_null(strstr(out, "now goes to VM rt, which is stopped: typed input is dropped\n"));
	assert_int_equal(count("input dropped: VM rt is stopped"), 2); /* the switch reset it */
}

static void test_reset_drops_queued(void **state)
{
	(void)state;
	type("old");
	console_vm_reset(&vms[0]);
	assert_string_equal(queued(&vms[0]), "");
}

static void test_quit(void **state)
{
	(void)state;
	vm_write(&vms[1], "half a line");
	vm_write(&vms[0], "prompt# ");
	if (!setjmp(powered_off)) {
		type("\024q");
		fail_msg("Ctrl-T q returned");
	}
	assert_string_equal(out, "[linux] prompt# \n[rt] half a line\ntessera: Ctrl-T q: powering off\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_queries_dropped, setup),
		cmocka_unit_test_setup(test_query_after_prompt, setup),
		cmocka_unit_test_setup(test_other_sequences_pass, setup),
		cmocka_unit_test_setup(test_unfinished_sequence_dropped_at_stop, setup),
		cmocka_unit_test_setup(test_input_and_ctrl_c, setup),
		cmocka_unit_test_setup(test_help, setup),
		cmocka_unit_test_setup(test_bad_keys, setup),
		cmocka_unit_test_setup(test_refused_once, setup),
		cmocka_unit_test_setup(test_reset_drops_queued, setup),
		cmocka_unit_test_setup(test_quit, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
