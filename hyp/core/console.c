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
static struct spinlock console_lock; /* the UART, every vm_console, input_vm, escape_pending */
static struct vm *input_vm;
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
	uart_write(buf, (size_t)n);
	spin_unlock(&console_lock);
}

/* Console lock held. */
static void flush_line(struct vm *vm)
{
	struct vm_console *con = &vm->con;

	uart_write("[", 1);
	uart_write(vm->name, strlen(vm->name));
	uart_write("] ", 2);
	uart_write(con->line, con->line_len);
	uart_write("\n", 1);
	con->line_len = 0;
}

void console_vm_putc(struct vm *vm, char c)
{
	struct vm_console *con = &vm->con;

	spin_lock(&console_lock);
	if (c == '\n') {
		flush_line(vm);
	} else if (c != '\r') {
		con->line[con->line_len++] = c;
		if (con->line_len == sizeof(con->line))
			flush_line(vm);
	}
	spin_unlock(&console_lock);
}

void console_vm_flush(struct vm *vm)
{
	spin_lock(&console_lock);
	if (vm->con.line_len)
		flush_line(vm);
	spin_unlock(&console_lock);
}

void console_set_input(struct vm *vm)
{
	spin_lock(&console_lock);
	input_vm = vm;
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
		static const char msg[] = "tessera: console input now goes to VM ";

		input_vm = next;
		uart_write(msg, sizeof(msg) - 1);
		uart_write(next->name, strlen(next->name));
		uart_write("\n", 1);
	}
}

/* Console lock held: move what the physical UART received to its VM. */
static void poll_input(void)
{
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
		if (input_vm)
			rx_push(input_vm, (char)c);
	}
}

int console_vm_getc(struct vm *vm)
{
	struct vm_console *con = &vm->con;
	int c = -1;

	spin_lock(&console_lock);
	poll_input();
	if (con->rx_tail != con->rx_head) {
		c = (unsigned char)con->rx[con->rx_tail];
		con->rx_tail = (con->rx_tail + 1) % CONSOLE_RX_SIZE;
	}
	spin_unlock(&console_lock);
	return c;
}

void console_rx_irq(void)
{
	struct vm *vm;

	spin_lock(&console_lock);
	poll_input();
	vm = input_vm;
	spin_unlock(&console_lock);
	if (vm)
		vpl011_update_irq(&vm->vuart);
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
	bool ready;

	spin_lock(&console_lock);
	poll_input();
	ready = vm->con.rx_tail != vm->con.rx_head;
	spin_unlock(&console_lock);
	return ready;
}
