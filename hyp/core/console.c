/*
 * Hypervisor console: Tessera's messages and every VM's vUART share one
 * console device, line by line, under console_lock. Input goes to one VM at
 * a time; Ctrl-T and a key is for Tessera itself (include/tessera/console.h).
 * Under the lock output only goes into a ring; the device is fed after
 * unlocking (console_dev.c), so nobody waits on it with the lock held.
 */
#include <drivers/psci.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <drivers/gicv3.h>
#include <tessera/console.h>
#include <tessera/irq.h>
#include <tessera/spinlock.h>
#include <tessera/vm.h>

#include "console_internal.h"

/*
 * console_lock: the device's receive side and the output ring's writers
 * (console_dev.c), every vm_console, input_vm, partial_vm, escape_pending,
 * refusal_noted, quit_requested and the VM keys' state (confirm_*,
 * act_*, list_requested). partial_vm is the VM (the
 * input holder) whose unfinished line is open on the terminal: any other
 * output ends that line first. refusal_noted is why input_vm refused input
 * when that was last said (NULL: it took the last byte, or nothing was said
 * since it got the input).
 */
static struct spinlock console_lock;
static struct vm *input_vm;
static struct vm *partial_vm;
static bool escape_pending;
static const char *refusal_noted;
static bool quit_requested;
/* Ctrl-T r, s or g asked for confirm_vm: the next key, y, confirms; any other cancels. */
static char confirm_key;
static struct vm *confirm_vm;
/* Confirmed, or Ctrl-T l: done once the lock is released (unlock_and_notify). */
static char act_key;
static struct vm *act_vm;
static bool list_requested;


static void out_puts(const char *s)
{
	console_out_write(s, strlen(s));
}


/*
 * Console lock held: end the input VM's open line before anything else is
 * written; what follows starts a line.
 */
static void close_partial(void)
{
	if (partial_vm) {
		out_puts("\n");
		partial_vm = NULL;
	}
	console_out_note_dropped();
}

static void write_prefix(const struct vm *vm)
{
	out_puts("[");
	out_puts(vm->name);
	out_puts("] ");
}

/* Console lock held: one of Tessera's own lines, on a line of its own. */
static void __printf(1, 2) say_locked(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	close_partial();
	out_puts(buf);
}

void printk(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf)) {
		n = sizeof(buf) - 1;
		buf[n - 1] = '\n';
	}
	spin_lock(&console_lock);
	close_partial();
	console_out_write(buf, (size_t)n);
	spin_unlock(&console_lock);
	console_out_drain();
}

/* Console lock held: @vm's line is complete (or its buffer full): out it goes, whole. */
static void end_line(struct vm *vm)
{
	struct vm_console *con = &vm->con;

	if (partial_vm == vm) { /* already on the terminal, up to here */
		out_puts("\n");
		partial_vm = NULL;
	} else {
		close_partial();
		write_prefix(vm);
		console_out_write(con->line, con->line_len);
		out_puts("\n");
	}
	con->line_len = 0;
}

/*
 * Console lock held. Every VM's output is kept a line at a time. The VM
 * holding the input also shows its unfinished line at once (a prompt has no
 * newline); when other output cuts in, that line is ended and shown again
 * whole when it goes on, so each complete line still appears whole on one
 * terminal line.
 */
static void put_char(struct vm *vm, char c)
{
	struct vm_console *con = &vm->con;

	if (c == '\r')
		return;
	if (c == '\n') {
		end_line(vm);
		return;
	}
	if (con->line_len == sizeof(con->line))
		end_line(vm);
	con->line[con->line_len++] = c;
	if (vm == input_vm && partial_vm == vm) {
		console_out_write(&c, 1);
	} else if (vm == input_vm) {
		close_partial();
		write_prefix(vm);
		console_out_write(con->line, con->line_len);
		partial_vm = vm;
	}
}

/* Console lock held: @c of @vm's output, through the terminal-query filter. */
static void filter_putc(struct vm *vm, char c)
{
	char out[CONSOLE_FILTER_OUT];
	unsigned int n = console_filter(&vm->con, c, out);

	for (unsigned int i = 0; i < n; i++)
		put_char(vm, out[i]);
}

void console_vm_putc(struct vm *vm, char c)
{
	spin_lock(&console_lock);
	vm->stats.console_bytes++;
	filter_putc(vm, c);
	spin_unlock(&console_lock);
	console_out_drain();
}

/* Console lock held: @vm's unfinished line goes out as it is; a control sequence is dropped. */
static void flush_line(struct vm *vm)
{
	vm->con.esc_len = 0; /* an unfinished control sequence: nothing to show */
	if (vm->con.line_len)
		end_line(vm);
}

void console_vm_flush(struct vm *vm)
{
	spin_lock(&console_lock);
	flush_line(vm);
	spin_unlock(&console_lock);
	console_out_drain();
}

/*
 * The restart's flush (vm_begin_restart) comes before the VM's CPUs have
 * left it, so the old run may have written more since: that ends here, on
 * its own line, and never starts the new run's first line.
 */
void console_vm_reset(struct vm *vm)
{
	spin_lock(&console_lock);
	flush_line(vm);
	vm->con.rx_head = vm->con.rx_tail = 0; /* typed for the old run: not for the new one */
	spin_unlock(&console_lock);
	console_out_drain();
}

/*
 * Why @vm cannot take input now, or NULL when it can. A running VM takes
 * input when its vUART's receiver is on (vpl011_receiver_on), what a
 * driver sets when it reads (Linux's UART driver while the tty is open). A
 * guest that only prints, such as the bare-metal rt guest, never turns it
 * on; Linux does when /init opens the console, and off when the tty is
 * closed. Queueing input for such a VM would only hand it stale bytes if
 * it ever reads, so what is typed is dropped and the user told.
 */
static const char *input_refusal(const struct vm *vm)
{
	switch (READ_ONCE(vm->state)) {
	case VM_STOPPED:
		return "is stopped";
	case VM_RESETTING:
		return "is restarting";
	case VM_RUNNING:
		break;
	}
	if (!vpl011_receiver_on(&vm->vuart))
		return "is not reading its console (its UART receiver is off)";
	return NULL;
}

/* Console lock held: @vm takes the input; what it had buffered shows as an open line. */
static void give_input(struct vm *vm)
{
	close_partial();
	input_vm = vm;
	refusal_noted = NULL;
	if (vm && vm->con.line_len) {
		write_prefix(vm);
		console_out_write(vm->con.line, vm->con.line_len);
		partial_vm = vm;
	}
}

void console_set_input(struct vm *vm)
{
	spin_lock(&console_lock);
	give_input(vm);
	spin_unlock(&console_lock);
	console_out_drain();
}

/* Console lock held. */
static void rx_push(struct vm *vm, char c)
{
	struct vm_console *con = &vm->con;
	unsigned int next = (con->rx_head + 1) % CONSOLE_RX_SIZE;

	if (next != con->rx_tail) { /* full: drop, as a real FIFO overrun would */
		con->rx[con->rx_head] = c;
		con->rx_head = next;
	}
}

/*
 * Console lock held: a typed byte for the VM holding the input; true when
 * it took it. A refusal is said once, until the input moves, the VM takes
 * a byte again, or the reason changes: not once a byte.
 */
static bool deliver(struct vm *vm, char c)
{
	const char *why = input_refusal(vm);

	if (why) {
		if (why != refusal_noted)
			say_locked("tessera: input dropped: VM %s %s (Ctrl-T n: next VM, Ctrl-T h: help)\n",
				   vm->name, why);
		refusal_noted = why;
		return false;
	}
	refusal_noted = NULL;
	rx_push(vm, c);
	return true;
}

/* Console lock held: the keys and one line per VM. */
static void show_help(void)
{
	say_locked("tessera: console keys: Ctrl-T 1-8: input to VM n; Ctrl-T n: next VM; "
		   "Ctrl-T h or ?: this list;\n");
	say_locked("tessera:   Ctrl-T q: quit (power the machine off); Ctrl-T Ctrl-T: a Ctrl-T for the VM; "
		   "every other key (Ctrl-C too) goes to the VM with the input\n");
	say_locked("tessera:   Ctrl-T l: list VMs (state, restarts, uptime, last stop); Ctrl-T r, s, g: "
		   "restart, stop, start the VM with the input, then y to confirm\n");
	for (unsigned int i = 0; i < vm_count; i++) {
		const struct vm *vm = &vms[i];
		const char *state = "running";

		if (!vm->cfg) {
			say_locked("tessera: VM %u %s: refused at boot\n", i + 1, vm->name);
			continue;
		}
		if (READ_ONCE(vm->state) == VM_STOPPED)
			state = "stopped";
		else if (READ_ONCE(vm->state) == VM_RESETTING)
			state = "restarting";
		else if (input_refusal(vm))
			state = "running, UART receiver off (reads no input)";
		say_locked("tessera: VM %u %s: %s, restarts %u%s\n", i + 1, vm->name, state,
			   READ_ONCE(vm->restart_count), vm == input_vm ? ", has the console input" : "");
	}
}

/* Console lock held: the key after Ctrl-T. */
static void console_key(char key)
{
	unsigned int cur = input_vm ? (unsigned int)(input_vm - vms) : 0;
	struct vm *next = NULL;
	const char *why;

	if (key == 'h' || key == '?') {
		show_help();
		return;
	}
	if (key == 'q') {
		quit_requested = true;
		return;
	}
	if (key == 'l') {
		list_requested = true;
		return;
	}
	if (key == 'r' || key == 's' || key == 'g') {
		if (!input_vm) {
			say_locked("tessera: Ctrl-T %c: no VM has the console input\n", key);
			return;
		}
		confirm_key = key;
		confirm_vm = input_vm;
		say_locked("tessera: %s VM %s? y confirms, any other key cancels\n",
			   key == 'r' ? "restart" : key == 's' ? "stop" : "start", input_vm->name);
		return;
	}
	if (key >= '0' && key <= '9') {
		if (key == '0' || (unsigned int)(key - '1') >= vm_count) {
			say_locked("tessera: Ctrl-T %c: there is no VM %c (%u VM(s); Ctrl-T h lists them)\n",
				   key, key, vm_count);
			return;
		}
		next = &vms[key - '1'];
		if (!next->cfg) {
			say_locked("tessera: Ctrl-T %c: VM %s was refused at boot; it takes no input\n",
				   key, next->name);
			return;
		}
	} else if (key == 'n') {
		for (unsigned int i = 1; i <= vm_count && !next; i++)
			if (vms[(cur + i) % vm_count].cfg)
				next = &vms[(cur + i) % vm_count];
		if (!next)
			return; /* no VM at all: vms_create said so */
	} else {
		if (key > ' ' && key < 0x7f)
			say_locked("tessera: Ctrl-T %c is not a console key (Ctrl-T h lists them)\n", key);
		else
			say_locked("tessera: Ctrl-T 0x%02x is not a console key (Ctrl-T h lists them)\n",
				   (unsigned int)(unsigned char)key);
		return;
	}
	why = input_refusal(next);
	if (why)
		say_locked("tessera: console input now goes to VM %s, which %s: typed input is dropped\n",
			   next->name, why);
	else
		say_locked("tessera: console input now goes to VM %s\n", next->name);
	give_input(next);
}

/* Console lock held: move what the physical UART received to its VM; true when any arrived. */
static bool poll_input(void)
{
	bool arrived = false;
	int c;

	while ((c = console_dev_getc()) >= 0) {
		if (confirm_key) { /* the key after Ctrl-T r, s or g: never the VM's */
			if (c == 'y') {
				act_key = confirm_key;
				act_vm = confirm_vm;
			} else {
				say_locked("tessera: cancelled\n");
			}
			confirm_key = 0;
			continue;
		}
		if (escape_pending) {
			escape_pending = false;
			if (c != CONSOLE_ESCAPE) {
				console_key((char)c);
				continue;
			}
		} else if (c == CONSOLE_ESCAPE) {
			escape_pending = true;
			continue;
		}
		if (input_vm && deliver(input_vm, (char)c))
			arrived = true;
	}
	return arrived;
}

/*
 * Out before the power goes: another CPU may hold the drain token for a
 * while, in the middle of a long output (Ctrl-T h), and what is still in the
 * ring when PSCI SYSTEM_OFF runs is lost.
 */
void console_flush(void)
{
	for (unsigned int i = 0; i < CONSOLE_FLUSH_TRIES && !console_out_empty(); i++)
		console_out_drain();
}

/*
 * Ctrl-T q: every VM's unfinished line out, then the machine off (PSCI
 * SYSTEM_OFF, as when the last VM stops; an emulator exits with status 0).
 */
static void __noreturn quit(void)
{
	spin_lock(&console_lock);
	for (unsigned int i = 0; i < vm_count; i++) {
		vms[i].con.esc_len = 0;
		if (vms[i].cfg && vms[i].con.line_len)
			end_line(&vms[i]);
	}
	say_locked("tessera: Ctrl-T q: powering off\n");
	spin_unlock(&console_lock);
	console_flush();
	psci_system_off();
	for (;;)
		;
}

/*
 * Poll the physical UART; when input arrived, tell the VM that holds the
 * console (its vUART raises its receive interrupt). Returns with the lock
 * held. Callers unlock with unlock_and_notify().
 */
static struct vm *lock_and_poll(void)
{
	spin_lock(&console_lock);
	return poll_input() ? input_vm : NULL;
}

static void unlock_and_notify(struct vm *arrived)
{
	bool quitting = quit_requested, list = list_requested;
	struct vm *act = act_vm;
	char key = act_key;

	list_requested = false; /* each done once, by this CPU */
	act_vm = NULL;
	act_key = 0;
	spin_unlock(&console_lock);
	console_out_drain(); /* what the keys said */
	if (quitting)
		quit();
	if (list)
		console_vm_list();
	if (act)
		console_vm_act(act, key);
	if (arrived)
		vpl011_update_irq(&arrived->vuart);
}

int console_vm_getc(struct vm *vm)
{
	struct vm_console *con = &vm->con;
	struct vm *arrived = lock_and_poll();
	int c = -1;

	if (con->rx_tail != con->rx_head) {
		c = (unsigned char)con->rx[con->rx_tail];
		con->rx_tail = (con->rx_tail + 1) % CONSOLE_RX_SIZE;
	}
	unlock_and_notify(arrived);
	return c;
}

void console_rx_irq(void)
{
	struct vm *arrived = lock_and_poll();

	console_dev_irq_ack();
	unlock_and_notify(arrived);
}

void console_enable_rx_irq(u64 mpidr)
{
	/* A device without receive interrupts is polled: each vUART read looks at it. */
	if (irq_console && console_dev_enable_rx_irq())
		gic_enable_spi(irq_console, mpidr);
}

bool console_vm_rx_ready(struct vm *vm)
{
	struct vm *arrived = lock_and_poll();
	bool ready = vm->con.rx_tail != vm->con.rx_head;

	unlock_and_notify(arrived);
	return ready;
}

bool console_vm_rx_pending(struct vm *vm)
{
	bool ready;

	spin_lock(&console_lock);
	ready = vm->con.rx_tail != vm->con.rx_head;
	spin_unlock(&console_lock);
	return ready;
}
