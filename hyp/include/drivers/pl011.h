/*
 * Arm PrimeCell UART (PL011) registers, from the PL011 Technical Reference
 * Manual (DDI 0183G), section 3.2 "Summary of registers". Shared by the
 * physical driver (drivers/uart/pl011.c, behind drivers/uart.h) and the
 * emulated vPL011.
 */
#ifndef DRIVERS_PL011_H
#define DRIVERS_PL011_H

#include <tessera/types.h>

#define UARTDR 0x000
#define UARTRSR 0x004
#define UARTFR 0x018
#define UARTILPR 0x020
#define UARTIBRD 0x024
#define UARTFBRD 0x028
#define UARTLCR_H 0x02c
#define UARTCR 0x030
#define UARTIFLS 0x034
#define UARTIMSC 0x038
#define UARTRIS 0x03c
#define UARTMIS 0x040
#define UARTICR 0x044
#define UARTDMACR 0x048
#define UARTPERIPHID0 0xfe0 /* PeriphID0-3, then PCellID0-3 at 0xff0 */
#define UARTPCELLID0 0xff0

/* UARTFR, TRM 3.3.3 */
#define UARTFR_BUSY BIT(3)
#define UARTFR_RXFE BIT(4)
#define UARTFR_TXFF BIT(5)
#define UARTFR_TXFE BIT(7)

/* Interrupt bits (UARTIMSC/RIS/MIS/ICR), TRM 3.3.13 */
#define UART_RXI BIT(4)
#define UART_TXI BIT(5)
#define UART_RTI BIT(6)

/* UARTCR, TRM 3.3.8: reset value has TXE and RXE set */
#define UARTCR_UARTEN BIT(0)
#define UARTCR_RXE BIT(9)
#define UARTCR_RESET 0x300

#endif
