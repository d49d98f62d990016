/*
 * Polled PL011 output. Register offsets and fields: PrimeCell UART (PL011)
 * Technical Reference Manual, Arm DDI 0183G, 3.2 "Summary of registers"
 * (Table 3-1) and 3.3 "Register descriptions".
 */
#ifndef GUEST_UART_H
#define GUEST_UART_H

#include "guest.h"

#define UART_DR 0x000
#define UART_FR 0x018
#define UART_LCR_H 0x02c
#define UART_CR 0x030
#define UART_IMSC 0x038
#define UART_PERIPHID0 0xfe0 /* PeriphID0-3 at 0xfe0..0xfec, PCellID0-3 at 0xff0..0xffc */
#define UART_PCELLID0 0xff0

#define UART_FR_BUSY (1U << 3)
#define UART_FR_RXFE (1U << 4) /* receive FIFO empty */
#define UART_FR_TXFF (1U << 5) /* transmit FIFO full */

#define UART_CR_UARTEN (1U << 0) /* UART enable */
#define UART_CR_TXE (1U << 8)    /* transmit enable */
#define UART_CR_RXE (1U << 9)    /* receive enable */

#define UART_LCR_H_FEN (1U << 4)    /* FIFO enable */
#define UART_LCR_H_WLEN_8 (3U << 5) /* 8-bit words */
#define UART_IMSC_MASK 0x7ffU       /* the eleven interrupt mask bits */

/* Selects the PL011 at @base (from the DT); until then output is dropped. */
void uart_init(u64 base);
bool uart_ready(void);

u32 uart_read(unsigned int off);
void uart_write(unsigned int off, u32 val);
void uart_puts(const char *s);
/* Turns the receiver on (UARTCR.UARTEN and RXE), as a driver that reads does. */
void uart_enable_rx(void);
/* Waits for and returns the next received character (the receiver on). */
char uart_getc(void);

#endif
