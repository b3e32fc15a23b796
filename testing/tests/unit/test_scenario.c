/*
 * Unit tests for testing/sim/scenario.c: parsing, lookups and value parsers,
 * with the exact error messages users will see.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario.h"

static scenario sc;
static char err[512];

static void parse_ok(const char *text)
{
	err[0] = '\0';
	assert_int_equal(scenario_parse(&sc, text, "t.scn", err, sizeof(err)), 0);
	assert_string_equal(err, "");
}

static void parse_fails(const char *text, const char *message)
{
	err[0] = '\0';
	assert_int_equal(scenario_parse(&sc, text, "dir/t.scn", err, sizeof(err)), -1);
	assert_string_equal(err, message);
}

static void test_parse_trims_comments_and_counts_lines(void **state)
{
	parse_ok("# a damaged H743\n"
		 "\n"
		 "  part   =  stm32h743zi   \r\n"
		 "flash.fill = 0x08000000 16K 0xff  # trailing comment\n"
		 "\t\n"
		 "empty =\n"
		 "flash.fill=0x08100000 1K 0x00\n"
		 "last = no newline");
	assert_int_equal(sc.count, 5);
	assert_string_equal(sc.path, "t.scn");
	assert_string_equal(sc.dir, ".");
	assert_string_equal(sc.entries[0].key, "part");
	assert_string_equal(sc.entries[0].value, "stm32h743zi");
	assert_int_equal(sc.entries[0].line, 3);
	assert_string_equal(sc.entries[1].value, "0x08000000 16K 0xff");
	assert_int_equal(sc.entries[1].line, 4);
	assert_string_equal(sc.entries[2].key, "empty");
	assert_string_equal(sc.entries[2].value, "");
	assert_int_equal(sc.entries[3].line, 7);
	assert_string_equal(sc.entries[4].value, "no newline");
	assert_int_equal(sc.entries[4].line, 8);
}

static void test_lookups_mark_used(void **state)
{
	parse_ok("part = h743\nflash.fill = a\nrdp.level = 1\nflash.fill = b\nflash.load = c\n");
	assert_non_null(scenario_first_unused(&sc));
	assert_string_equal(scenario_find(&sc, "part")->value, "h743");
	assert_null(scenario_find(&sc, "missing"));

	scenario_entry *e = scenario_next(&sc, "flash.fill", NULL);

	assert_string_equal(e->value, "a");
	e = scenario_next(&sc, "flash.fill", e);
	assert_string_equal(e->value, "b");
	assert_null(scenario_next(&sc, "flash.fill", e));
	/* The first unused entry, in file order, is what main reports. */
	assert_string_equal(scenario_first_unused(&sc)->key, "rdp.level");
	assert_int_equal(scenario_first_unused(&sc)->line, 3);

	e = scenario_next_prefix(&sc, "flash.", NULL);
	assert_string_equal(e->value, "a");
	e = scenario_next_prefix(&sc, "flash.", e);
	e = scenario_next_prefix(&sc, "flash.", e);
	assert_string_equal(e->key, "flash.load");
	assert_null(scenario_next_prefix(&sc, "flash.", e));
	scenario_find(&sc, "rdp.level");
	assert_null(scenario_first_unused(&sc));
}

static void test_rejects_bad_lines(void **state)
{
	parse_fails("part = x\nthis line has no equals\n", "dir/t.scn:2: expected 'key = value'");
	parse_fails("  = value\n", "dir/t.scn:1: empty key before '='");
	parse_fails("flash fill = 1\n", "dir/t.scn:1: invalid character ' ' in key 'flash fill'");
	assert_string_equal(sc.dir, "dir");
}

static void test_rejects_long_keys_values_and_too_many_entries(void **state)
{
	char text[SCENARIO_VALUE_MAX + 64];
	char *big;

	memset(text, 'k', SCENARIO_KEY_MAX);
	strcpy(text + SCENARIO_KEY_MAX, " = 1\n");
	parse_fails(text, "dir/t.scn:1: key too long (at most 63 characters)");
	memset(text, 'k', SCENARIO_KEY_MAX - 1);
	strcpy(text + SCENARIO_KEY_MAX - 1, " = 1\n");
	parse_ok(text);

	strcpy(text, "v = ");
	memset(text + 4, 'x', SCENARIO_VALUE_MAX);
	text[4 + SCENARIO_VALUE_MAX] = '\0';
	parse_fails(text, "dir/t.scn:1: value of 'v' too long (at most 511 characters)");

	big = malloc((SCENARIO_MAX_ENTRIES + 1) * 8 + 1);
	assert_non_null(big);
	big[0] = '\0';
	for (int i = 0; i < SCENARIO_MAX_ENTRIES; i++)
		strcat(big, "k = 1\n");
	parse_ok(big);
	assert_int_equal(sc.count, SCENARIO_MAX_ENTRIES);
	strcat(big, "k = 1\n");
	parse_fails(big, "dir/t.scn:257: too many entries (at most 256)");
	free(big);
}

static void test_u32_values(void **state)
{
	uint32_t v;

	parse_ok("a = 0x52002000\nb = 42\nc = 16K\nd = 2M\ne = 0\nf = 0xFFFFFFFF\n"
		 "g = 0x100000000\nh = 4096M\ni = 010\nj = 12x\nk = abc\nl = -1\n");
	assert_int_equal(scenario_u32(&sc, &sc.entries[0], &v, err, sizeof(err)), 0);
	assert_int_equal(v, 0x52002000);
	scenario_u32(&sc, &sc.entries[1], &v, err, sizeof(err));
	assert_int_equal(v, 42);
	scenario_u32(&sc, &sc.entries[2], &v, err, sizeof(err));
	assert_int_equal(v, 16384);
	scenario_u32(&sc, &sc.entries[3], &v, err, sizeof(err));
	assert_int_equal(v, 2 * 1024 * 1024);
	scenario_u32(&sc, &sc.entries[4], &v, err, sizeof(err));
	assert_int_equal(v, 0);
	assert_int_equal(scenario_u32(&sc, &sc.entries[5], &v, err, sizeof(err)), 0);
	assert_int_equal(v, 0xFFFFFFFF);

	static const char *const msgs[] = {
		"t.scn:7: g: '0x100000000' does not fit in 32 bits",
		"t.scn:8: h: '4096M' does not fit in 32 bits",
		"t.scn:9: i: '010' has a leading zero (octal is not accepted; write 0x... or plain decimal)",
		"t.scn:10: j: '12x' is not a number (trailing 'x'; sizes take K or M)",
		"t.scn:11: k: 'abc' is not a number",
		"t.scn:12: l: '-1' is not a number",
	};
	for (int i = 0; i < 6; i++) {
		v = 7;
		assert_int_equal(scenario_u32(&sc, &sc.entries[6 + i], &v, err, sizeof(err)), -1);
		assert_string_equal(err, msgs[i]);
		assert_int_equal(v, 7);
	}
}

static void test_duration_values(void **state)
{
	static const struct {
		const char *text;
		uint64_t us;
	} good[] = {
		{ "250", 250 }, { "250us", 250 }, { "16ms", 16000 }, { "2s", 2000000 },
		{ "1.1s", 1100000 }, { "0.5ms", 500 }, { "0x10ms", 16000 },
	};
	char text[64];
	uint64_t us;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), "t = %s\n", good[i].text);
		parse_ok(text);
		assert_int_equal(scenario_duration_us(&sc, &sc.entries[0], &us, err, sizeof(err)), 0);
		assert_int_equal(us, good[i].us);
	}
	parse_ok("a = 3h\nb = 1.5\nc = ms\nd = 1.0000001s\n");
	assert_int_equal(scenario_duration_us(&sc, &sc.entries[0], &us, err, sizeof(err)), -1);
	assert_string_equal(err, "t.scn:1: a: '3h': unknown unit 'h' (use us, ms or s)");
	assert_int_equal(scenario_duration_us(&sc, &sc.entries[1], &us, err, sizeof(err)), -1);
	assert_string_equal(err, "t.scn:2: b: '1.5' is finer than 1 us");
	assert_int_equal(scenario_duration_us(&sc, &sc.entries[2], &us, err, sizeof(err)), -1);
	assert_string_equal(err, "t.scn:3: c: 'ms' is not a number");
	assert_int_equal(scenario_duration_us(&sc, &sc.entries[3], &us, err, sizeof(err)), -1);
	assert_string_equal(err, "t.scn:4: d: '1.0000001s' has more than 6 decimals");
}

static void test_bool_values(void **state)
{
	bool b;

	parse_ok("a = yes\nb = OFF\nc = True\nd = 0\ne = maybe\n");
	assert_int_equal(scenario_bool(&sc, &sc.entries[0], &b, err, sizeof(err)), 0);
	assert_true(b);
	scenario_bool(&sc, &sc.entries[1], &b, err, sizeof(err));
	assert_false(b);
	scenario_bool(&sc, &sc.entries[2], &b, err, sizeof(err));
	assert_true(b);
	scenario_bool(&sc, &sc.entries[3], &b, err, sizeof(err));
	assert_false(b);
	assert_int_equal(scenario_bool(&sc, &sc.entries[4], &b, err, sizeof(err)), -1);
	assert_string_equal(err, "t.scn:5: e: 'maybe' is not a boolean (use true/false, yes/no, on/off or 1/0)");
}

static void test_error_helper_and_string_name(void **state)
{
	assert_int_equal(scenario_parse(&sc, "part = stm32f4\n", NULL, err, sizeof(err)), 0);
	assert_string_equal(sc.path, "<string>");
	scenario_error(&sc, &sc.entries[0], err, sizeof(err), "unknown part '%s'", sc.entries[0].value);
	assert_string_equal(err, "<string>:1: part: unknown part 'stm32f4'");
}

static void test_load_from_file(void **state)
{
	char path[] = "/tmp/test_scenario_XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "part = h743\nbad line\n", 21), 21);
	close(fd);
	assert_int_equal(scenario_load(&sc, path, err, sizeof(err)), -1);
	char expect[128];

	snprintf(expect, sizeof(expect), "%s:2: expected 'key = value'", path);
	assert_string_equal(err, expect);

	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "part = h743\n", 12), 12);
	close(fd);
	assert_int_equal(scenario_load(&sc, path, err, sizeof(err)), 0);
	assert_string_equal(sc.path, path);
	assert_string_equal(sc.dir, "/tmp");
	assert_int_equal(sc.count, 1);
	unlink(path);

	assert_int_equal(scenario_load(&sc, "/nonexistent/x.scn", err, sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/x.scn: cannot open: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_trims_comments_and_counts_lines),
		cmocka_unit_test(test_lookups_mark_used),
		cmocka_unit_test(test_rejects_bad_lines),
		cmocka_unit_test(test_rejects_long_keys_values_and_too_many_entries),
		cmocka_unit_test(test_u32_values),
		cmocka_unit_test(test_duration_values),
		cmocka_unit_test(test_bool_values),
		cmocka_unit_test(test_error_helper_and_string_name),
		cmocka_unit_test(test_load_from_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
