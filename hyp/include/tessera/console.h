/*
 * The hypervisor console: one physical UART shared by Tessera's own messages
 * and every VM's emulated UART. Whole lines are written under one lock, so
 * output from different CPUs never interleaves within a line; the VM holding
 * the console input writes straight through (prompts have no newline). VM
 * lines are prefixed with "[<vm name>] "; Tessera's own start with "tessera: ".
 *
 * Input goes to one VM at a time, every byte of it (Ctrl-C too), except
 * after the escape key Ctrl-T (0x14): then a digit 1-8 selects VM n (config
 * order), 'n' the next VM, 'h' or '?' lists the keys and the VMs with their
 * state, 'q' powers the machine off (PSCI SYSTEM_OFF), and a second Ctrl-T
 * sends a literal Ctrl-T. Any other key gets a line saying so. Each switch
 * says on one line which VM now has the input; input for a VM that cannot
 * take it (stopped, restarting, its UART receiver off) is dropped, with one
 * line saying why. Terminal queries in a VM's output (ESC [ 6 n and the like)
 * are dropped, so the shared terminal never answers into some VM's input.
 */
#ifndef TESSERA_CONSOLE_H
#define TESSERA_CONSOLE_H

#include <tessera/compiler.h>
#include <tessera/types.h>

struct platform;
struct vm;

#define CONSOLE_ESCAPE 0x14 /* Ctrl-T */
#define CONSOLE_LINE_MAX 512 /* a benchmark histogram line fits */
#define CONSOLE_RX_SIZE 1024 /* a pasted command line fits while the guest catches up */
#define CONSOLE_ESC_MAX 16 /* a control sequence held back until it is known not to be a query */

/* Per-VM console state, embedded in struct vm; touched under the console lock. */
struct vm_console {
	char line[CONSOLE_LINE_MAX];
	unsigned int line_len;
	char rx[CONSOLE_RX_SIZE]; /* ring of input waiting for this VM */
	unsigned int rx_head, rx_tail;
	char esc[CONSOLE_ESC_MAX]; /* the control sequence being written, held back */
	unsigned int esc_len;
};

void console_init(const struct platform *plat);
void printk(const char *fmt, ...) __printf(1, 2);
/* Everything printed so far out to the device: before the machine powers off. */
void console_flush(void);

/* Select the VM that receives input (NULL: none). */
void console_set_input(struct vm *vm);
/* A character the VM wrote to its UART. */
void console_vm_putc(struct vm *vm, char c);
/* Flush a partial line (VM stopping). */
void console_vm_flush(struct vm *vm);
/* The VM (re)starts: its previous run's unfinished line ends; input typed for that run is dropped. */
void console_vm_reset(struct vm *vm);
/* Next input character for this VM, or -1; polls the physical UART. */
int console_vm_getc(struct vm *vm);
/* True when input is waiting for this VM; polls the physical UART. */
bool console_vm_rx_ready(struct vm *vm);
/* The same without polling (for computing interrupt state). */
bool console_vm_rx_pending(struct vm *vm);
/* The physical UART's receive interrupt: input for the VM that holds the console. */
void console_rx_irq(void);
/* Take receive interrupts from the physical UART on the CPU with this MPIDR. */
void console_enable_rx_irq(u64 mpidr);

/* The most bytes console_filter() gives back for one: what it held, and the new one. */
#define CONSOLE_FILTER_OUT (CONSOLE_ESC_MAX + 1)
/*
 * One byte of a VM's output through the terminal-query filter
 * (console_filter.c): the bytes to show now go to @out, their count returned.
 */
unsigned int console_filter(struct vm_console *con, char c, char out[CONSOLE_FILTER_OUT]);

#endif
