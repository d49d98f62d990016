/*
 * Unit tests for `tessera-config images` (tools/tessera-config/images.c): the
 * /incbin/ files of a config source that dtc would not find, named with line,
 * node, property and the directories searched, before dtc runs. The messages
 * are the user interface: checked word for word.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../tools/tessera-config/images.c"

static char dir_a[64], dir_b[64];

static void touch(const char *dir, const char *name)
{
	char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
}

/* Two search directories: the config's (a) with guest.bin, b with testguest.bin and Image. */
static int setup(void **state)
{
	(void)state;
	snprintf(dir_a, sizeof(dir_a), "/tmp/test_images_a.XXXXXX");
	snprintf(dir_b, sizeof(dir_b), "/tmp/test_images_b.XXXXXX");
	assert_non_null(mkdtemp(dir_a));
	assert_non_null(mkdtemp(dir_b));
	touch(dir_a, "guest.bin");
	touch(dir_b, "testguest.bin");
	touch(dir_b, "Image");
	return 0;
}

static int teardown(void **state)
{
	char path[160];

	(void)state;
	snprintf(path, sizeof(path), "rm -rf %s %s", dir_a, dir_b);
	return system(path);
}

/* images_check() on @src; its output in @out, its return value returned. */
static int run(const char *src, char *out, size_t size)
{
	struct images_search s = { { dir_a, dir_b }, 2 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int n;

	assert_non_null(f);
	n = images_check("sys.dts", src, &s, f);
	fclose(f);
	snprintf(out, size, "%s", buf);
	free(buf);
	return n;
}

static void test_all_found(void **state)
{
	char out[1024];

	(void)state;
	assert_int_equal(run("/dts-v1/;\n/ {\n vms {\n  a { image = /incbin/(\"guest.bin\"); };\n"
			     "  b { image = /incbin/(\"Image\", 0, 64); initrd = /incbin/(\"testguest.bin\"); };\n"
			     " };\n};\n",
			     out, sizeof(out)),
			 0);
	assert_string_equal(out, "");
}

/* Every missing file, each with its line, node and property; comments and strings skipped. */
static void test_every_missing_named(void **state)
{
	static const char src[] =
		"/dts-v1/;\n"
		"/* image = /incbin/(\"commented.bin\"); */\n"
		"/ {\n"
		"\tcompatible = \"tessera,config\"; // /incbin/(\"nor-this\")\n"
		"\tvms {\n"
		"\t\tlbl: alpha {\n"
		"\t\t\tbootargs = \"/incbin/(\\\"x\\\") {\";\n"
		"\t\t\timage = /incbin/(\"tesguest.bin\");\n"
		"\t\t};\n"
		"\t\tbeta/*c*/{ initrd = /incbin/ (\"/no/such/initrd\"); };\n"
		"\t};\n"
		"\tother = /incbin/(\"zzzzzzzz.qq\");\n"
		"};\n";
	char out[2048], want[2048];

	(void)state;
	assert_int_equal(run(src, out, sizeof(out)), 3);
	snprintf(want, sizeof(want),
		 "sys.dts:8: /vms/alpha: image file \"tesguest.bin\" is in none of %s, %s; "
		 "did you mean \"testguest.bin\" (in %s)?\n"
		 "sys.dts:10: /vms/beta: initrd file \"/no/such/initrd\" is in none of %s, %s; "
		 "it is an absolute path: check it\n"
		 "sys.dts:12: /: other file \"zzzzzzzz.qq\" is in none of %s, %s; "
		 "fix the name, or put the file in one of those directories\n",
		 dir_a, dir_b, dir_b, dir_a, dir_b, dir_a, dir_b);
	assert_string_equal(out, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_found),
		cmocka_unit_test(test_every_missing_named),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
