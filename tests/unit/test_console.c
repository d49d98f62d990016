/*
 * The shared console (hyp/core/console.c): terminal queries dropped from VM
 * output, the Ctrl-T keys, input refused (one line) for a VM that cannot
 * take it, Ctrl-T q powering off; the device fed only outside the console
 * lock, a slow or dead device never holding a writer, a full ring dropping
 * with a count. The console device is a fake driver over a pair of
 * buffers (through drivers/uart/uart.c); PSCI SYSTEM_OFF jumps back to the
 * test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <tessera/types.h>

#include "fake_spinlock.h"

#include "../../hyp/core/console.c"
#include "../../hyp/core/console_filter.c"
#include "../../hyp/core/console_dev.c"
#include "../../hyp/drivers/uart/uart.c"

#include <tessera/platform.h>

struct vm vms[CONFIG_MAX_VMS];
unsigned int vm_count;
u32 irq_console;

static char out[65536]; /* what the terminal shows, \r removed */
static size_t out_len;
static const char *typed; /* what the terminal sends, not yet read */
static unsigned int irq_updates;
static jmp_buf powered_off;
static int room;             /* bytes the device takes before it is full; < 0: no limit */
static unsigned int polls;   /* write calls */
static void (*during_write)(void); /* another CPU, while this one feeds the device */

/* The fake device. It is never touched with the console lock held. */
static size_t fake_write(struct uart *u, const char *s, size_t n)
{
	size_t k = 0;

	(void)u;
	assert_int_equal(console_lock.held, 0);
	polls++;
	if (during_write) {
		void (*other)(void) = during_write;

		during_write = NULL;
		other();
	}
	for (; k < n && room != 0; k++) {
		assert_true(out_len < sizeof(out) - 1);
		if (s[k] != '\r')
			out[out_len++] = s[k];
		out[out_len] = '\0';
		if (room > 0)
			room--;
	}
	return k;
}

static int fake_getc(struct uart *u)
{
	(void)u;
	return typed && *typed ? (unsigned char)*typed++ : -1;
}

const struct uart_ops uart_pl011_ops = { .write = fake_write, .getc = fake_getc };
const struct uart_ops uart_16550_ops, uart_tcu_ops; /* not this test's */

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

/* console_vmctl.c: what the VM keys asked for, called with the console lock free. */
static unsigned int lists;
static struct vm *acted_vm;
static char acted_key;

void console_vm_list(void)
{
	assert_int_equal(console_lock.held, 0);
	lists++;
}

void console_vm_act(struct vm *vm, char key)
{
	assert_int_equal(console_lock.held, 0);
	acted_vm = vm;
	acted_key = key;
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
	plat.uart = (struct platform_uart){ .kind = UART_PL011, .reg_count = 1,
					    .regs = { { 0x9000000, 0x1000 } } };
	console_init(&plat);
	assert_true(dev_ok);
	out_head = out_tail = out_dropped = drain_token = 0;
	dev_stalled = false;
	room = -1;
	polls = 0;
	during_write = NULL;
	input_vm = partial_vm = NULL;
	escape_pending = quit_requested = list_requested = false;
	confirm_key = act_key = 0;
	confirm_vm = act_vm = acted_vm = NULL;
	acted_key = 0;
	lists = 0;
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

/* Ctrl-T r, s, g act on the VM with the input only after y; any other key cancels and is nobody's. */
static void test_vm_keys(void **state)
{
	(void)state;
	type("\024s");
	assert_non_null(strstr(out, "tessera: stop VM linux? y confirms, any other key cancels\n"));
	assert_null(acted_vm);
	type("n");
	assert_null(acted_vm);
	assert_non_null(strstr(out, "tessera: cancelled\n"));
	assert_string_equal(queued(&vms[0]), ""); /* the cancelling key is not the VM's */
	type("\024ry");
	assert_ptr_equal(acted_vm, &vms[0]);
	assert_int_equal(acted_key, 'r');
	acted_vm = NULL;
	type("y"); /* once: a second y is input */
	assert_null(acted_vm);
	assert_string_equal(queued(&vms[0]), "y");
	type("\0242\024g");
	type("y");
	assert_ptr_equal(acted_vm, &vms[1]);
	assert_int_equal(acted_key, 'g');
	type("\024l");
	assert_int_equal(lists, 1);
	type("\024h");
	assert_non_null(strstr(out, "Ctrl-T l: list VMs"));
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

static void test_reset_ends_old_line(void **state)
{
	(void)state;
	vm_write(&vms[1], "old run's last wor");
	console_vm_reset(&vms[1]);
	vm_write(&vms[1], "new run\n");
	assert_string_equal(out, "[rt] old run's last wor\n[rt] new run\n");
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

/* A device with no room: the writer goes on after a bounded wait, the bytes come later, in order. */
static void test_stalled_device_bounds_the_wait(void **state)
{
	(void)state;
	room = 0;
	vm_write(&vms[1], "one\n");
	assert_string_equal(out, "");
	assert_int_equal(polls, CONSOLE_DRAIN_IDLE_POLLS + 1); /* the bounded wait, then given up */
	polls = 0;
	vm_write(&vms[1], "two\n");
	assert_int_equal(polls, 4); /* stalled: one look per byte written, no wait */
	room = 3;                   /* it takes a little: waiting is worth it again */
	polls = 0;
	printk("tessera: three\n");
	assert_string_equal(out, "[rt");
	assert_int_equal(polls, 2 + CONSOLE_DRAIN_IDLE_POLLS + 1); /* 3 bytes, nothing, the wait */
	room = -1;
	printk("tessera: four\n");
	assert_string_equal(out, "[rt] one\n[rt] two\ntessera: three\ntessera: four\n");
	assert_true(console_out_empty());
}

/*
 * While one CPU feeds the device (the drain token held, the lock free), another
 * CPU's line goes into the ring without waiting, and the first CPU sends it.
 */
static void other_cpu_writes(void)
{
	unsigned int before = polls;

	vm_write(&vms[0], "from cpu 1\n");
	assert_int_equal(polls, before); /* it did not touch the device */
	assert_int_equal(drain_token, 1);
}

static void test_other_cpu_never_waits(void **state)
{
	(void)state;
	console_set_input(NULL);
	during_write = other_cpu_writes;
	vm_write(&vms[1], "from cpu 0\n");
	assert_string_equal(out, "[rt] from cpu 0\n[linux] from cpu 1\n");
	assert_int_equal(drain_token, 0);
	assert_true(console_out_empty());
}

/* A full ring drops what does not fit and says how much at the next line once there is room. */
static void test_full_ring_drops_with_count(void **state)
{
	char line[100];
	char tail[160];
	unsigned int lines = 200, per_line = 100 + 1; /* 99 x, \r\n */
	unsigned int dropped = lines * per_line - (CONSOLE_OUT_SIZE - 1);

	(void)state;
	memset(line, 'x', 99);
	line[99] = '\0';
	room = 0;
	for (unsigned int i = 0; i < lines; i++)
		printk("%s\n", line);
	assert_int_equal(out_dropped, dropped);
	room = -1;
	printk("lost\n"); /* the ring is still full: dropped too; then the ring drains */
	assert_int_equal(out_len, CONSOLE_OUT_SIZE - 1 - CONSOLE_OUT_SIZE / per_line);
	printk("later\n");
	/* The cut line is ended; the count, then what came after. */
	snprintf(tail, sizeof(tail),
		 "x\ntessera: console: %u bytes of output dropped (the device was too slow)\nlater\n",
		 dropped + 6);
	assert_true(out_len > strlen(tail));
	assert_string_equal(out + out_len - strlen(tail), tail);
	assert_int_equal(count("lost"), 0);
	assert_int_equal(out_dropped, 0);
}

/* No device (none in the DT, or its pages could not be mapped): output goes nowhere, quietly. */
static void test_no_device(void **state)
{
	static const struct platform none;

	(void)state;
	console_init(&none);
	assert_false(dev_ok);
	printk("tessera: lost\n");
	assert_true(console_out_empty());
	assert_int_equal(polls, 0);
	type(""); /* input polls do nothing */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_queries_dropped, setup),
		cmocka_unit_test_setup(test_vm_keys, setup),
		cmocka_unit_test_setup(test_query_after_prompt, setup),
		cmocka_unit_test_setup(test_other_sequences_pass, setup),
		cmocka_unit_test_setup(test_unfinished_sequence_dropped_at_stop, setup),
		cmocka_unit_test_setup(test_input_and_ctrl_c, setup),
		cmocka_unit_test_setup(test_help, setup),
		cmocka_unit_test_setup(test_bad_keys, setup),
		cmocka_unit_test_setup(test_refused_once, setup),
		cmocka_unit_test_setup(test_reset_drops_queued, setup),
		cmocka_unit_test_setup(test_reset_ends_old_line, setup),
		cmocka_unit_test_setup(test_quit, setup),
		cmocka_unit_test_setup(test_stalled_device_bounds_the_wait, setup),
		cmocka_unit_test_setup(test_other_cpu_never_waits, setup),
		cmocka_unit_test_setup(test_full_ring_drops_with_count, setup),
		cmocka_unit_test_setup(test_no_device, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
