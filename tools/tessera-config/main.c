/*
 * tessera-config: refuses a system configuration before it becomes an image.
 * The checks are the hypervisor's own (hyp/core/config.c, config_validate.c, platform.c), run
 * against the platform DTB and the hypervisor's footprint; this file only
 * reads the inputs and prints each problem as "SRC: NODE: message".
 * `images`, run before dtc, names the /incbin/ files dtc would not find
 * (images.c).
 *
 * Exit status: 0 the config is good, 1 it has problems, 2 usage or unreadable
 * inputs (platform DTB, hypervisor image).
 */
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tessera/config.h>
#include <tessera/platform.h>

#include "images.h"

#define EXIT_PROBLEMS 1
#define EXIT_USAGE 2

/* arm64 Image header (Documentation/arch/arm64/booting.rst): image_size, magic. */
#define IMAGE_SIZE_OFFSET 16
#define IMAGE_MAGIC_OFFSET 0x38
#define IMAGE_HEADER_SIZE 64

static const char usage_line[] =
	"usage: tessera-config check --source SRC.dts --platform PLATFORM.dtb "
	"--hyp-base ADDR --image tessera.bin CONFIG.dtb\n"
	"       tessera-config images [-i DIR]... CONFIG.dts\n";

struct args {
	const char *source, *platform, *hyp_base, *image, *config;
};

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "tessera-config: %s\n", why);
	fputs(usage_line, stderr);
	return EXIT_USAGE;
}

/* The whole file in a malloc'd buffer, or NULL after saying why. */
static unsigned char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long len;

	if (!f) {
		fprintf(stderr, "tessera-config: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)len + 1);
		if (buf && fread(buf, 1, (size_t)len, f) == (size_t)len) {
			*size = (size_t)len;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	if (!buf)
		fprintf(stderr, "tessera-config: %s: cannot read\n", path);
	fclose(f);
	return buf;
}

/* A DTB that fits the bytes read: libfdt trusts its totalsize field. */
static bool dtb_fits(const unsigned char *dtb, size_t size)
{
	return size >= sizeof(struct fdt_header) && fdt_check_header(dtb) == 0 &&
	       fdt_totalsize(dtb) <= size;
}

static u64 read_le64(const unsigned char *b)
{
	u64 v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | b[i];
	return v;
}

/* The hypervisor occupies [hyp_base, hyp_base + its header's image_size). */
static int hyp_footprint(const struct args *a, struct mem_range *out)
{
	char *end;
	size_t size;
	unsigned char *img;

	errno = 0;
	out->base = strtoull(a->hyp_base, &end, 0);
	if (errno || *end || end == a->hyp_base)
		return usage("--hyp-base is not a number");
	img = read_file(a->image, &size);
	if (!img)
		return EXIT_USAGE;
	if (size < IMAGE_HEADER_SIZE || memcmp(img + IMAGE_MAGIC_OFFSET, "ARM\x64", 4) != 0) {
		fprintf(stderr,
			"tessera-config: %s: not an arm64 Image (no \"ARM\\x64\" at 0x38)\n",
			a->image);
		free(img);
		return EXIT_USAGE;
	}
	out->size = read_le64(img + IMAGE_SIZE_OFFSET);
	if (out->size == 0) /* booting.rst: older images leave it 0; the file is the least */
		out->size = size;
	free(img);
	return 0;
}

/* Adds @dir (trailing '/' dropped) to the search unless it is there already. */
static int add_search_dir(struct images_search *s, char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	for (int i = 0; i < s->dir_count; i++)
		if (!strcmp(s->dirs[i], dir))
			return 0;
	if (s->dir_count == IMAGES_MAX_DIRS)
		return usage("too many -i directories");
	s->dirs[s->dir_count++] = dir;
	return 0;
}

/* images [-i DIR]... CONFIG.dts: what dtc's -i options would be, and the source. */
static int images_command(int argc, char **argv)
{
	static char source_dir[4096];
	struct images_search s = { { 0 }, 0 };
	const char *source = NULL, *slash;
	unsigned char *text;
	size_t size;
	int rc = 0;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-i")) {
			if (++i == argc)
				return usage("-i is missing its directory");
		} else if (argv[i][0] == '-') {
			return usage("unknown option");
		} else if (source) {
			return usage("more than one CONFIG.dts");
		} else {
			source = argv[i];
		}
	}
	if (!source)
		return usage("missing CONFIG.dts");
	/* dtc looks in the source's own directory first. */
	slash = strrchr(source, '/');
	snprintf(source_dir, sizeof(source_dir), "%.*s", slash ? (int)(slash - source) : 1,
		 slash ? source : ".");
	if (!source_dir[0])
		strcpy(source_dir, "/");
	add_search_dir(&s, source_dir);
	for (int i = 2; i + 1 < argc && !rc; i++)
		if (!strcmp(argv[i], "-i"))
			rc = add_search_dir(&s, argv[++i]);
	if (rc)
		return rc;
	text = read_file(source, &size);
	if (!text)
		return EXIT_USAGE;
	text[size] = '\0'; /* read_file leaves room for it */
	rc = images_check(source, (const char *)text, &s, stderr) ? EXIT_PROBLEMS : 0;
	free(text);
	return rc;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	if (argc < 2 || strcmp(argv[1], "check") != 0)
		return usage(argc < 2 ? NULL : "the commands are 'check' and 'images'");
	for (int i = 2; i < argc; i++) {
		const char **slot = NULL;

		if (!strcmp(argv[i], "--source"))
			slot = &a->source;
		else if (!strcmp(argv[i], "--platform"))
			slot = &a->platform;
		else if (!strcmp(argv[i], "--hyp-base"))
			slot = &a->hyp_base;
		else if (!strcmp(argv[i], "--image"))
			slot = &a->image;
		else if (argv[i][0] == '-')
			return usage("unknown option");
		else if (a->config)
			return usage("more than one CONFIG.dtb");
		else
			a->config = argv[i];
		if (slot) {
			if (++i == argc)
				return usage("an option is missing its value");
			*slot = argv[i];
		}
	}
	if (!a->source || !a->platform || !a->hyp_base || !a->image || !a->config)
		return usage("missing arguments");
	return 0;
}

/* One line per problem, "SRC: NODE: message", as compilers print them. */
static void print_problem(void *ctx, const char *node, const char *msg)
{
	fprintf(stderr, "%s: %s: %s\n", (const char *)ctx, node, msg);
}

int main(int argc, char **argv)
{
	static struct platform plat;
	static struct system_config cfg;
	struct args a = { 0 };
	struct mem_range hyp;
	struct config_reporter rep = { print_problem, NULL, 0 };
	unsigned char *pdtb, *cdtb;
	size_t psize, csize;
	char err[256];
	int rc;

	if (argc >= 2 && !strcmp(argv[1], "images"))
		return images_command(argc, argv);
	rc = parse_args(argc, argv, &a);
	if (rc || (rc = hyp_footprint(&a, &hyp)))
		return rc;
	rep.ctx = (void *)a.source;

	pdtb = read_file(a.platform, &psize);
	if (!pdtb)
		return EXIT_USAGE;
	if (!dtb_fits(pdtb, psize) || platform_parse(pdtb, &plat, err, sizeof(err))) {
		fprintf(stderr, "tessera-config: %s: %s\n", a.platform,
			dtb_fits(pdtb, psize) ? err : "not a device tree blob");
		free(pdtb);
		return EXIT_USAGE;
	}

	cdtb = read_file(a.config, &csize);
	if (!cdtb) {
		free(pdtb);
		return EXIT_USAGE;
	}
	rc = 0;
	if (!dtb_fits(cdtb, csize)) {
		print_problem(rep.ctx, "/",
			      "the compiled config is not a device tree blob; "
			      "compile it with dtc -I dts -O dtb");
		rc = EXIT_PROBLEMS;
	} else if (config_parse(cdtb, &cfg, &rep) >= 0) {
		config_validate(&cfg, &plat, &hyp, &rep);
	}
	if (rep.errors)
		rc = EXIT_PROBLEMS;
	free(cdtb);
	free(pdtb);
	return rc;
}
