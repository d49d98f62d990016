/* Shared by the console's files (console.c, console_dev.c); not an interface. */
#ifndef CORE_CONSOLE_INTERNAL_H
#define CORE_CONSOLE_INTERNAL_H

#include <tessera/types.h>

/* Drain attempts console_flush() makes before powering off (another CPU may hold the token). */
#define CONSOLE_FLUSH_TRIES 100000

/* Console lock held: @s into the output ring, each '\n' as "\r\n"; what does not fit is counted. */
void console_out_write(const char *s, size_t n);
/* Console lock held, at a line start: the count of dropped bytes, once there is room to say it. */
void console_out_note_dropped(void);
/* Console lock not held: feed the device from the ring, unless another CPU does. */
void console_out_drain(void);
bool console_out_empty(void);

/* console_vmctl.c, console lock not held: Ctrl-T l, and a confirmed Ctrl-T r, s or g. */
void console_vm_list(void);
void console_vm_act(struct vm *vm, char key);

/* Console lock held: the next received byte, or -1 (never waits). */
int console_dev_getc(void);
void console_dev_irq_ack(void);
/* Receive interrupts on at the device; false when it has none (input is then polled). */
bool console_dev_enable_rx_irq(void);

#endif
