/*
 * Hypervisor console: Tessera's messages and every VM's vUART share one
 * physical UART, line by line, under console_lock.
 */
#include <drivers/pl011.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <drivers/gicv3.h>
#include <tessera/console.h>
#include <tessera/irq.h>
#include <tessera/spinlock.h>
#include <tessera/vm.h>

static u64 uart_base;
/*
 * console_lock: the UART, every vm_console, input_vm, partial_vm and
 * escape_pending. partial_vm is the VM (the input holder) whose unfinished
 * line is open on the terminal: any other output ends that line first.
 */
static struct spinlock console_lock;
static struct vm *input_vm;
static struct vm *partial_vm;
static bool escape_pending;

void console_init(const struct platform *plat)
{
	uart_base = plat->uart.base;
}

static void uart_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n && uart_base; i++) {
		if (s[i] == '\n')
			pl011_putc(uart_base, '\r');
		pl011_putc(uart_base, s[i]);
	}
}

static void uart_puts(const char *s)
{
	uart_write(s, strlen(s));
}

/* Console lock held: end the input VM's open line before anything else is written. */
static void close_partial(void)
{
	if (partial_vm) {
		uart_puts("\n");
		partial_vm = NULL;
	}
}

static void write_prefix(const struct vm *vm)
{
	uart_puts("[");
	uart_puts(vm->name);
	uart_puts("] ");
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
	uart_write(buf, (size_t)n);
	spin_unlock(&console_lock);
}

/* Console lock held: @vm's line is complete (or its buffer full): out it goes, whole. */
static void end_line(struct vm *vm)
{
	struct vm_console *con = &vm->con;

	if (partial_vm == vm) { /* already on the terminal, up to here */
		uart_puts("\n");
		partial_vm = NULL;
	} else {
		close_partial();
		write_prefix(vm);
		uart_write(con->line, con->line_len);
		uart_puts("\n");
	}
	con->line_len = 0;
}

/*
 * Every VM's output is kept a line at a time. The VM holding the input also
 * shows its unfinished line at once (a prompt has no newline); when other
 * output cuts in, that line is ended and shown again whole when it goes on,
 * so each complete line still appears whole on one terminal line.
 */
void console_vm_putc(struct vm *vm, char c)
{
	struct vm_console *con = &vm->con;

	if (c == '\r')
		return;
	spin_lock(&console_lock);
	if (c == '\n') {
		end_line(vm);
	} else {
		if (con->line_len == sizeof(con->line))
			end_line(vm);
		con->line[con->line_len++] = c;
		if (vm == input_vm && partial_vm == vm) {
			uart_write(&c, 1);
		} else if (vm == input_vm) {
			close_partial();
			write_prefix(vm);
			uart_write(con->line, con->line_len);
			partial_vm = vm;
		}
	}
	spin_unlock(&console_lock);
}

void console_vm_flush(struct vm *vm)
{
	spin_lock(&console_lock);
	if (vm->con.line_len)
		end_line(vm);
	spin_unlock(&console_lock);
}

/* Console lock held: @vm takes the input; what it had buffered shows as an open line. */
static void give_input(struct vm *vm)
{
	close_partial();
	input_vm = vm;
	if (vm && vm->con.line_len) {
		write_prefix(vm);
		uart_write(vm->con.line, vm->con.line_len);
		partial_vm = vm;
	}
}

void console_set_input(struct vm *vm)
{
	spin_lock(&console_lock);
	give_input(vm);
	spin_unlock(&console_lock);
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

/* Console lock held: the escape sequence switches input between VMs. */
static void switch_input(char key)
{
	unsigned int cur = input_vm ? (unsigned int)(input_vm - vms) : 0;
	struct vm *next = NULL;

	if (key >= '1' && key <= '8' && (unsigned int)(key - '1') < vm_count)
		next = &vms[key - '1'];
	else if (key == 'n')
		for (unsigned int i = 1; i <= vm_count && !next; i++)
			if (vms[(cur + i) % vm_count].cfg)
				next = &vms[(cur + i) % vm_count];
	if (next && next->cfg) {
		close_partial();
		uart_puts("tessera: console input now goes to VM ");
		uart_puts(next->name);
		uart_puts("\n");
		give_input(next);
	}
}

/* Console lock held: move what the physical UART received to its VM; true when any arrived. */
static bool poll_input(void)
{
	bool arrived = false;
	int c;

	while (uart_base && (c = pl011_getc(uart_base)) >= 0) {
		if (escape_pending) {
			escape_pending = false;
			if (c != CONSOLE_ESCAPE) {
				switch_input((char)c);
				continue;
			}
		} else if (c == CONSOLE_ESCAPE) {
			escape_pending = true;
			continue;
		}
		if (input_vm) {
			rx_push(input_vm, (char)c);
			arrived = true;
		}
	}
	return arrived;
}

/*
 * Poll the physical UART; when input arrived, tell the VM that holds the
 * console (its vPL011 raises its receive interrupt). Returns with the lock
 * held. Callers unlock with unlock_and_notify().
 */
static struct vm *lock_and_poll(void)
{
	spin_lock(&console_lock);
	return poll_input() ? input_vm : NULL;
}

static void unlock_and_notify(struct vm *arrived)
{
	spin_unlock(&console_lock);
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
	unlock_and_notify(lock_and_poll());
}

void console_enable_rx_irq(u64 mpidr)
{
	if (!uart_base || !irq_console)
		return;
	pl011_enable_rx_irq(uart_base);
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
