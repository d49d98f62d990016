/*
 * tessera-config images: run before dtc, checks that every /incbin/ file of a
 * config source exists where dtc will look for it. dtc alone stops at the
 * first missing one with `FATAL ERROR: Couldn't open "x"`, naming neither the
 * config, the node nor the directories; this names all of them, for every
 * missing file, and suggests a near name ("tesguest.bin": "testguest.bin").
 *
 * dtc's search order (scripts/dtc srcpos.c, fopen_any_on_path): the source
 * file's own directory, then each -i directory in order; an absolute path is
 * opened as it is. The scan below knows just enough DTS to follow nodes:
 * comments, strings, `name {`, `};`, and `/incbin/("file"...)`.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "images.h"

#define PATH_LEN 256
#define MAX_DEPTH 16
#define WORD_LEN 128

struct scan {
	const char *file; /* the config source, for messages */
	int line;
	char path[PATH_LEN]; /* the node being read: "/vms/alpha" */
	size_t path_len[MAX_DEPTH];
	int depth;
	char word[WORD_LEN]; /* the last name read: a node's, before its '{' */
	char prop[WORD_LEN]; /* the property being read, after its '=' */
	bool incbin;         /* after /incbin/: the next string is a file */
};

/* Characters of DTS node, property and label names (and of /incbin/ itself). */
static bool is_word_char(const char *p)
{
	char c = *p;

	if (c == '/' && (p[1] == '*' || p[1] == '/'))
		return false; /* a comment right after a name */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr(",._+*#?@-/&:", c));
}

static bool opens(const char *path)
{
	FILE *f = fopen(path, "rb");

	if (f)
		fclose(f);
	return f != NULL;
}

/* Whether dtc would find @name, as the search order above. */
static bool found(const char *name, const struct images_search *s)
{
	char path[PATH_LEN * 2];

	if (name[0] == '/')
		return opens(name);
	for (int i = 0; i < s->dir_count; i++) {
		snprintf(path, sizeof(path), "%s/%s", s->dirs[i], name);
		if (opens(path))
			return true;
	}
	return false;
}

/* Levenshtein distance, capped: names longer than 63 are "far". */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[64];

	if (la > 63 || lb > 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0];

		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

/* The file in the search directories nearest to @name (at most 2 edits), or "". */
static void nearest(const char *name, const struct images_search *s, char *out, size_t size)
{
	int best = 3;

	out[0] = '\0';
	for (int i = 0; i < s->dir_count; i++) {
		DIR *d = opendir(s->dirs[i]);
		const struct dirent *e;

		while (d && (e = readdir(d))) {
			int n = distance(name, e->d_name);

			if (e->d_name[0] != '.' && n < best) {
				best = n;
				snprintf(out, size, "\"%s\" (in %s)", e->d_name, s->dirs[i]);
			}
		}
		if (d)
			closedir(d);
	}
}

static void report_missing(const struct scan *sc, const char *name, const struct images_search *s,
			   FILE *out)
{
	char near[PATH_LEN + WORD_LEN];

	fprintf(out, "%s:%d: %s: %s file \"%s\" is in none of ", sc->file, sc->line,
		sc->path[0] ? sc->path : "/", sc->prop[0] ? sc->prop : "/incbin/", name);
	for (int i = 0; i < s->dir_count; i++)
		fprintf(out, "%s%s", i ? ", " : "", s->dirs[i]);
	nearest(name, s, near, sizeof(near));
	if (name[0] == '/')
		fputs("; it is an absolute path: check it\n", out);
	else if (near[0])
		fprintf(out, "; did you mean %s?\n", near);
	else
		fputs("; fix the name, or put the file in one of those directories\n", out);
}

static void open_node(struct scan *sc)
{
	const char *name = sc->word[0] ? sc->word : "?";
	size_t len = strlen(sc->path);

	if (sc->depth < MAX_DEPTH)
		sc->path_len[sc->depth] = len;
	sc->depth++;
	if (sc->depth == 1 && !strcmp(name, "/"))
		return; /* the root: path "" */
	snprintf(sc->path + len, sizeof(sc->path) - len, "/%s", name);
}

static void close_node(struct scan *sc)
{
	if (sc->depth == 0)
		return;
	sc->depth--;
	if (sc->depth < MAX_DEPTH)
		sc->path[sc->path_len[sc->depth]] = '\0';
}

/* A string at @p (after its opening quote); returns the char after the closing one. */
static const char *string(struct scan *sc, const char *p, char *out, size_t size)
{
	size_t n = 0;

	for (; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		if (*p == '\n')
			sc->line++;
		if (n + 1 < size)
			out[n++] = *p;
	}
	out[n] = '\0';
	return *p ? p + 1 : p;
}

int images_check(const char *file, const char *src, const struct images_search *s, FILE *out)
{
	struct scan sc = { .file = file, .line = 1 };
	char str[PATH_LEN];
	int missing = 0;

	for (const char *p = src; *p;) {
		if (p[0] == '/' && p[1] == '*') {
			for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
				sc.line += *p == '\n';
			p += *p ? 2 : 0;
		} else if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				p++;
		} else if (*p == '"') {
			p = string(&sc, p + 1, str, sizeof(str));
			if (sc.incbin && !found(str, s)) {
				report_missing(&sc, str, s, out);
				missing++;
			}
			sc.incbin = false;
		} else if (is_word_char(p)) {
			size_t n = 0;

			for (; is_word_char(p); p++)
				if (n + 1 < sizeof(sc.word))
					sc.word[n++] = *p;
			sc.word[n] = '\0';
			sc.incbin = !strcmp(sc.word, "/incbin/");
		} else {
			switch (*p) {
			case '\n':
				sc.line++;
				break;
			case '{':
				open_node(&sc);
				break;
			case '}':
				close_node(&sc);
				break;
			case '=':
				snprintf(sc.prop, sizeof(sc.prop), "%s", sc.word);
				break;
			case ';':
				sc.prop[0] = '\0';
				break;
			}
			if (*p != '(' && !(*p == ' ' || *p == '\t' || *p == '\n'))
				sc.incbin = false;
			if (*p == '{' || *p == '}' || *p == ';')
				sc.word[0] = '\0';
			p++;
		}
	}
	return missing;
}
