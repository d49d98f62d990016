/* Only what libfdt_env.h expects to find. */
#ifndef LIB_STDLIB_H
#define LIB_STDLIB_H
#include <stddef.h>
unsigned long strtoul(const char *s, char **end, int base);
#endif
