/* Bootargs: space-separated "key=value" tokens from /chosen/bootargs. */
#ifndef GUEST_ARGS_H
#define GUEST_ARGS_H

#include "guest.h"

/* The value of the first "key=value" token in @cmdline, or NULL; *len is its length. */
const char *arg_find(const char *cmdline, const char *key, size_t *len);

#endif
