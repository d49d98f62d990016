/* Freestanding formatted output: %d %i %u %x %X %p %s %c %%, flags '-' '0',
 * width, precision for %s, length modifiers l, ll, z. Nothing else. */
#ifndef LIB_STDIO_H
#define LIB_STDIO_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
