/*
 * How a VM's device tree describes its vUART, the emulated PL011 of
 * virt/vpl011.c: the Linux bindings serial/arm,pl011.yaml and
 * arm,primecell.yaml (the AMBA bus enables "apb_pclk" before it reads the
 * PrimeCell ID). The guest DT writer (core/guest_fdt.c) takes the device's
 * identity from here, so core names no UART model itself.
 */
#ifndef VIRT_VPL011_DT_H
#define VIRT_VPL011_DT_H

#define VPL011_DT_NODE "pl011"
#define VPL011_DT_COMPATIBLE "arm,pl011\0arm,primecell"
#define VPL011_DT_CLOCK_NAMES "uartclk\0apb_pclk"

#endif
