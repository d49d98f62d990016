/* Bootargs tokens (args.h). */
#include <string.h>

#include "args.h"

const char *arg_find(const char *cmdline, const char *key, size_t *len)
{
	size_t klen = strlen(key);
	const char *p = cmdline;

	while (*p) {
		size_t tlen;

		while (*p == ' ')
			p++;
		for (tlen = 0; p[tlen] && p[tlen] != ' '; tlen++)
			;
		if (tlen > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			*len = tlen - klen - 1;
			return p + klen + 1;
		}
		p += tlen;
	}
	return NULL;
}
