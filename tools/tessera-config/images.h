/* tessera-config images (images.c): the /incbin/ files of a config source, before dtc. */
#ifndef TESSERA_CONFIG_IMAGES_H
#define TESSERA_CONFIG_IMAGES_H

#include <stdbool.h>
#include <stdio.h>

#define IMAGES_MAX_DIRS 8

/* Where dtc looks for an /incbin/ file, in order: the source's directory, then its -i. */
struct images_search {
	const char *dirs[IMAGES_MAX_DIRS];
	int dir_count;
};

/*
 * Scans the config source @src (NUL-terminated; @file names it in messages)
 * and prints to @out one line per /incbin/ file dtc would not find:
 * "FILE:LINE: NODE: PROP file "NAME" is in none of DIRS; did you mean ...?".
 * Returns the number of missing files.
 */
int images_check(const char *file, const char *src, const struct images_search *s, FILE *out);

#endif
