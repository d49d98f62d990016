/*
 * The console device's driver, from what the device tree chose
 * (drivers/uart.h), and the one bounded way of writing to it.
 */
#include <drivers/uart.h>
#include <tessera/platform.h>

int uart_init(struct uart *u, const struct platform_uart *desc)
{
	*u = (struct uart){ .reg_shift = desc->reg_shift, .io_width = desc->reg_io_width };
	if (!desc->reg_count)
		return -1;
	u->base = desc->regs[0].base;
	switch (desc->kind) {
	case UART_PL011:
		u->ops = &uart_pl011_ops;
		break;
	case UART_16550:
		u->ops = &uart_16550_ops;
		break;
	case UART_TEGRA_TCU:
		if (desc->reg_count < 2)
			return -1;
		u->rx_base = desc->regs[1].base;
		u->ops = &uart_tcu_ops;
		break;
	default:
		return -1;
	}
	return 0;
}

size_t uart_write_bounded(struct uart *u, const char *s, size_t n, unsigned int max_idle_polls)
{
	size_t done = 0;
	unsigned int idle = 0;

	while (done < n && idle <= max_idle_polls) {
		size_t k = u->ops->write(u, s + done, n - done);

		done += k;
		idle = k ? 0 : idle + 1;
	}
	return done;
}
