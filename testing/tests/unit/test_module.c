/*
 * Unit tests of the `stm32unbrick` Tcl command (src/module.c) and of
 * tcl/stm32unbrick/module.tcl, against a fake OpenOCD in a Jim interpreter
 * (fake_openocd.h).  The module is linked in and initialised directly, except
 * in the test that `load`s the built stm32unbrick.so the way OpenOCD does.
 *
 * Environment (exported by `make check`): top_srcdir to find module.tcl,
 * top_builddir to find src/.libs/stm32unbrick.so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <unistd.h>

#include "errors.h"
#include "fake_openocd.h"

int Jim_stm32unbrickInit(Jim_Interp *interp);

static int setup(void **state)
{
	Jim_Interp *interp = fake_openocd_new();

	assert_int_equal(Jim_stm32unbrickInit(interp), JIM_OK);
	*state = interp;
	return 0;
}

static int teardown(void **state)
{
	Jim_FreeInterp(*state);
	return 0;
}

/* Run `script`, expect `code`; returns the result text. */
static const char *run(Jim_Interp *interp, const char *script, int code)
{
	int rc = Jim_Eval(interp, script);

	if (rc != code)
		fail_msg("'%s' returned %d, want %d: %s", script, rc, code, Jim_String(Jim_GetResult(interp)));
	return Jim_String(Jim_GetResult(interp));
}

static void assert_contains(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("'%s' does not contain '%s'", text, needle);
}

/* An error that must be refused before the fake OpenOCD sees any command. */
static void assert_rejected(Jim_Interp *interp, const char *script, const char *needle)
{
	long before = fake_total_calls(interp);

	assert_contains(run(interp, script, JIM_ERR), needle);
	assert_string_equal(Jim_String(Jim_GetResult(interp)), ub_last_error());
	assert_int_equal(fake_total_calls(interp), before);
}

static void configure(Jim_Interp *interp)
{
	run(interp, "stm32unbrick bridge -dap x.dap -memap {0 x.ap0 2 x.ap2}", JIM_OK);
}

/* What the fake returns for memory never written (fake_pattern in fake_openocd.h). */
static uint32_t pattern(uint32_t addr)
{
	return (uint32_t)(addr * 0x9e3779b1u + 0x5a5a5a5au);
}

/* ---- version, bridge, stats ------------------------------------------------------------------ */

static void test_version(void **state)
{
	assert_string_equal(run(*state, "stm32unbrick version", JIM_OK), PACKAGE_VERSION);
}

static void test_bridge_configures_and_reports(void **state)
{
	Jim_Interp *interp = *state;

	assert_string_equal(run(interp, "stm32unbrick bridge", JIM_OK), "dap {} memap {}");
	assert_string_equal(run(interp, "stm32unbrick bridge -dap x.dap -memap {2 x.ap2 0 x.ap0}", JIM_OK),
			    "dap x.dap memap {0 x.ap0 2 x.ap2}");
	assert_string_equal(run(interp, "stm32unbrick bridge", JIM_OK), "dap x.dap memap {0 x.ap0 2 x.ap2}");
	/* -dap alone keeps the mem_ap table. */
	assert_string_equal(run(interp, "stm32unbrick bridge -dap x.dap", JIM_OK),
			    "dap x.dap memap {0 x.ap0 2 x.ap2}");
	assert_int_equal(fake_total_calls(interp), 0);
}

static void test_bridge_rejects_bad_options_atomically(void **state)
{
	Jim_Interp *interp = *state;
	const char *before;

	configure(interp);
	before = "dap x.dap memap {0 x.ap0 2 x.ap2}";
	assert_rejected(interp, "stm32unbrick bridge -dap", "pairs");
	assert_rejected(interp, "stm32unbrick bridge -dap x.dap -memap {} x", "wrong # args");
	assert_rejected(interp, "stm32unbrick bridge -dap x.dap -memap", "pairs");
	assert_rejected(interp, "stm32unbrick bridge -memap {0 x.ap0}", "-dap NAME is required");
	assert_rejected(interp, "stm32unbrick bridge -dap x.dap -speed 3", "unknown option '-speed'");
	assert_rejected(interp, "stm32unbrick bridge -dap nosuch.dap", "no OpenOCD command 'nosuch.dap'");
	assert_rejected(interp, "stm32unbrick bridge -dap x.dap -memap {0 x.ap0 2}", "pairs");
	assert_rejected(interp, "stm32unbrick bridge -dap x.dap -memap {4 x.ap0}", "AP4 out of range");
	assert_rejected(interp, "stm32unbrick bridge -dap x.dap -memap {0 x.ap0 0 x.ap2}", "AP0 listed twice");
	assert_rejected(interp, "stm32unbrick bridge -dap x.dap -memap {1 x.nosuch}", "x.nosuch");
	assert_rejected(interp, "stm32unbrick bridge -dap x.dap -memap {one x.ap0}", "AP 'one'");
	assert_string_equal(run(interp, "stm32unbrick bridge", JIM_OK), before);
}

static void test_stats_counts_openocd_commands(void **state)
{
	Jim_Interp *interp = *state;

	configure(interp);
	assert_string_equal(run(interp, "stm32unbrick stats", JIM_OK), "commands 0");
	run(interp, "stm32unbrick mem read 0 0x08000000 5000", JIM_OK);
	run(interp, "dict set ::fail dpreg {-107 {}}", JIM_OK);
	run(interp, "stm32unbrick dp read 4", JIM_ERR);
	/* Two blocks plus one failed register read; failures count too. */
	assert_string_equal(run(interp, "dict get [stm32unbrick stats] commands", JIM_OK), "3");
	assert_int_equal(fake_total_calls(interp), 3);
}

/* ---- dispatcher ------------------------------------------------------------------------------ */

static void test_usage_errors(void **state)
{
	Jim_Interp *interp = *state;

	configure(interp);
	assert_rejected(interp, "stm32unbrick", "one of: version, bridge, dp, ap, mem");
	assert_rejected(interp, "stm32unbrick frobnicate", "unknown or missing subcommand 'frobnicate'");
	assert_rejected(interp, "stm32unbrick dp", "subcommand 'dp'");
	assert_rejected(interp, "stm32unbrick dp peek 4", "subcommand 'dp peek'");
	assert_rejected(interp, "stm32unbrick dp peek 4", "one of: dp read, dp write");
	assert_rejected(interp, "stm32unbrick dp write 4", "should be \"stm32unbrick dp write REG VALUE\"");
	assert_rejected(interp, "stm32unbrick version 1", "should be \"stm32unbrick version\"");
	assert_rejected(interp, "stm32unbrick mem read 0", "should be \"stm32unbrick mem read AP ADDR ?COUNT?\"");
	assert_rejected(interp, "stm32unbrick srst 1", "subcommand 'srst 1'");
}

/* ---- registers ------------------------------------------------------------------------------- */

static void test_dp_and_ap_commands(void **state)
{
	Jim_Interp *interp = *state;

	configure(interp);
	run(interp, "dict set ::dp 0 0x6ba00477", JIM_OK);
	assert_string_equal(run(interp, "stm32unbrick dp read 0", JIM_OK), "0x6ba00477");
	assert_string_equal(run(interp, "stm32unbrick dp write 8 0x02000000", JIM_OK), "");
	assert_string_equal(fake_last_call(interp), "x.dap dpreg 0x00000008 0x02000000");
	assert_string_equal(run(interp, "stm32unbrick ap write 2 4 0xe00e1000", JIM_OK), "");
	assert_string_equal(run(interp, "stm32unbrick ap read 2 4", JIM_OK), "0xe00e1000");
	assert_string_equal(fake_last_call(interp), "x.dap apreg 2 0x00000004");
}

static void test_register_arguments_checked_first(void **state)
{
	Jim_Interp *interp = *state;

	configure(interp);
	assert_rejected(interp, "stm32unbrick dp read four", "REG 'four' is not a number");
	assert_rejected(interp, "stm32unbrick dp read -4", "REG '-4'");
	assert_rejected(interp, "stm32unbrick dp read 0x100", "below 0x100");
	assert_rejected(interp, "stm32unbrick dp write 4 0x100000000", "VALUE '0x100000000'");
	assert_rejected(interp, "stm32unbrick ap read 256 0", "AP256 out of range");
	assert_rejected(interp, "stm32unbrick ap write 0 6 1", "multiple of 4");
}

static void test_register_failure_message(void **state)
{
	Jim_Interp *interp = *state;

	configure(interp);
	run(interp, "dict set ::fail apreg {-4 {}}", JIM_OK);
	assert_string_equal(run(interp, "stm32unbrick ap read 1 0xfc", JIM_ERR),
			    "ap read AP1 0xfc (DAP x.dap): OpenOCD error -4 (ERROR_FAIL) without a message; "
			    "see OpenOCD's log");
}

/* ---- memory ---------------------------------------------------------------------------------- */

static void test_mem_read_returns_hex_words_in_blocks(void **state)
{
	Jim_Interp *interp = *state;
	char expected[16];

	configure(interp);
	run(interp, "dict set ::answer read_memory {1 0xabc 4294967295}", JIM_OK);
	assert_string_equal(run(interp, "stm32unbrick mem read 2 0xe00e1000 3", JIM_OK),
			    "0x00000001 0x00000abc 0xffffffff");
	run(interp, "dict unset ::answer read_memory", JIM_OK);
	snprintf(expected, sizeof(expected), "0x%08x", pattern(0x08000000));
	assert_string_equal(run(interp, "stm32unbrick mem read 0 0x08000000", JIM_OK), expected);
	assert_int_equal(fake_eval_long(interp, "llength [stm32unbrick mem read 0 0x08000000 8193]"), 8193);
	/* One command for the single word, three for 8193 words = 4096 + 4096 + 1. */
	assert_int_equal(fake_calls(interp, "x.ap0", "read_memory"), 4);
	assert_string_equal(fake_last_call(interp), "x.ap0 read_memory 0x08008000 32 1");
}

static void test_mem_arguments_checked_first(void **state)
{
	Jim_Interp *interp = *state;

	configure(interp);
	assert_rejected(interp, "stm32unbrick mem read 0 0x08000000 0", "COUNT 0 not in 1..65536");
	assert_rejected(interp, "stm32unbrick mem read 0 0x08000000 65537", "use mem dump");
	assert_rejected(interp, "stm32unbrick mem read 0 0x08000001", "not 4-byte aligned");
	assert_rejected(interp, "stm32unbrick mem read 1 0x38000000", "no mem_ap target for AP1");
	assert_rejected(interp, "stm32unbrick mem read 7 0x38000000", "AP out of range");
	assert_rejected(interp, "stm32unbrick mem write 0 0x24000000 {}", "WORDLIST has 0 words");
	assert_rejected(interp, "stm32unbrick mem write 0 0x24000000 {1 2 0x1ffffffff}", "word '0x1ffffffff'");
	assert_rejected(interp, "stm32unbrick mem write 0 0x24000000 {1 two}", "word 'two'");
	assert_rejected(interp, "stm32unbrick mem write 0 0xfffffffc {1 2}", "past the end");
}

static void test_mem_write_is_one_command(void **state)
{
	Jim_Interp *interp = *state;

	configure(interp);
	assert_string_equal(run(interp, "stm32unbrick mem write 0 0x24000000 {0x11 0x22 33}", JIM_OK), "");
	assert_int_equal(fake_calls(interp, "x.ap0", "write_memory"), 1);
	assert_string_equal(fake_last_call(interp),
			    "x.ap0 write_memory 0x24000000 32 {0x00000011 0x00000022 0x00000021}");
	assert_string_equal(run(interp, "stm32unbrick mem read 0 0x24000000 3", JIM_OK),
			    "0x00000011 0x00000022 0x00000021");
}

static void test_mem_failure_names_ap_address_and_openocd(void **state)
{
	Jim_Interp *interp = *state;

	configure(interp);
	run(interp, "dict set ::fail read_memory {1 {read_memory: failed to read memory}}", JIM_OK);
	assert_string_equal(run(interp, "stm32unbrick mem read 0 0x5c001000", JIM_ERR),
			    "mem read AP0 0x5c001000 (1 words, target x.ap0): "
			    "OpenOCD: read_memory: failed to read memory");
	run(interp, "dict set ::answer write_memory {surprise}", JIM_OK);
	assert_contains(run(interp, "stm32unbrick mem write 2 0xe00e1004 {1}", JIM_ERR),
			"mem write AP2 0xe00e1004 (1 words, target x.ap2): "
			"expected no output from OpenOCD, got 'surprise'");
}

/* ---- mem dump -------------------------------------------------------------------------------- */

static void dump_path(char *out, size_t len, const char *name)
{
	snprintf(out, len, "/tmp/stm32unbrick-test-%ld-%s", (long)getpid(), name);
}

static void test_mem_dump_writes_little_endian_file_in_16k_batches(void **state)
{
	Jim_Interp *interp = *state;
	char path[128], script[256];
	uint8_t *data = malloc(0x10000);
	FILE *f;

	assert_non_null(data);
	configure(interp);
	dump_path(path, sizeof(path), "ok.bin");
	snprintf(script, sizeof(script), "stm32unbrick mem dump 0 0x08000000 0x10000 %s", path);
	assert_string_equal(run(interp, script, JIM_OK), "65536");
	assert_int_equal(fake_calls(interp, "x.ap0", "read_memory"), 4);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(data, 1, 0x10000, f), 0x10000);
	assert_int_equal(fgetc(f), EOF);
	fclose(f);
	for (uint32_t off = 0; off < 0x10000; off += 4) {
		uint32_t w = pattern(0x08000000u + off);

		assert_int_equal(data[off], w & 0xff);
		assert_int_equal(data[off + 3], w >> 24);
	}
	remove(path);
	free(data);
}

static void test_mem_dump_checks_arguments_before_creating_file(void **state)
{
	Jim_Interp *interp = *state;
	char path[128], script[256];

	configure(interp);
	dump_path(path, sizeof(path), "bad.bin");
	snprintf(script, sizeof(script), "stm32unbrick mem dump 0 0x08000000 6 %s", path);
	assert_rejected(interp, script, "non-zero multiples of 4");
	snprintf(script, sizeof(script), "stm32unbrick mem dump 1 0x08000000 16 %s", path);
	assert_rejected(interp, script, "no mem_ap target for AP1");
	snprintf(script, sizeof(script), "stm32unbrick mem dump 0 0xfffffff0 32 %s", path);
	assert_rejected(interp, script, "past the end");
	assert_rejected(interp, "stm32unbrick mem dump 0 0x08000000 16 {}", "empty FILE");
	assert_rejected(interp, "stm32unbrick mem dump 0 0x08000000 16 /nonexistent-dir/x.bin", "cannot create");
	assert_int_equal(access(path, F_OK), -1);
}

static void test_mem_dump_failure_removes_file_and_names_chunk(void **state)
{
	Jim_Interp *interp = *state;
	char path[128], script[256];

	configure(interp);
	dump_path(path, sizeof(path), "fail.bin");
	run(interp, "dict set ::fail read_memory {1 {read_memory: failed to read memory} 2}", JIM_OK);
	snprintf(script, sizeof(script), "stm32unbrick mem dump 2 0x24000000 0x10000 %s", path);
	assert_contains(run(interp, script, JIM_ERR), "mem dump AP2 0x24000000 to ");
	assert_contains(Jim_String(Jim_GetResult(interp)), "(removed): mem read AP2 0x24008000 (4096 words");
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(fake_calls(interp, "x.ap2", "read_memory"), 3);
}

/* ---- reset ----------------------------------------------------------------------------------- */

static void test_srst(void **state)
{
	Jim_Interp *interp = *state;

	assert_string_equal(run(interp, "stm32unbrick srst assert", JIM_OK), "");
	assert_string_equal(run(interp, "set ::srst", JIM_OK), "assert");
	assert_string_equal(run(interp, "stm32unbrick srst deassert", JIM_OK), "");
	assert_string_equal(run(interp, "set ::srst", JIM_OK), "deassert");
	run(interp, "dict set ::fail adapter {-4 {}}", JIM_OK);
	assert_contains(run(interp, "stm32unbrick srst assert", JIM_ERR), "srst assert: OpenOCD error -4");
}

/* ---- module state ---------------------------------------------------------------------------- */

static void test_second_init_keeps_state(void **state)
{
	Jim_Interp *interp = *state;

	configure(interp);
	run(interp, "stm32unbrick mem read 0 0", JIM_OK);
	assert_int_equal(Jim_stm32unbrickInit(interp), JIM_OK);
	assert_string_equal(run(interp, "stm32unbrick bridge", JIM_OK), "dap x.dap memap {0 x.ap0 2 x.ap2}");
	assert_string_equal(run(interp, "stm32unbrick stats", JIM_OK), "commands 1");
}

/* ---- tcl/stm32unbrick/module.tcl ------------------------------------------------------------- */

static void source_module_tcl(Jim_Interp *interp)
{
	const char *srcdir = getenv("top_srcdir");
	char path[512];

	if (!srcdir)
		fail_msg("top_srcdir is not set (make check sets it)");
	snprintf(path, sizeof(path), "%s/tcl/stm32unbrick/module.tcl", srcdir);
	if (Jim_EvalFile(interp, path) != JIM_OK)
		fail_msg("sourcing %s: %s", path, Jim_String(Jim_GetResult(interp)));
}

static void test_attach_bridge_uses_existing_targets(void **state)
{
	Jim_Interp *interp = *state;

	source_module_tcl(interp);
	/* The module is linked in already; tell the loader so it does not look for the .so. */
	run(interp, "set ::stm32unbrick_loaded_from linked-in", JIM_OK);
	assert_string_equal(run(interp, "stm32unbrick_attach_bridge x", JIM_OK), "dap x.dap memap {0 x.ap0 2 x.ap2}");
	run(interp, "fake_make_dap {my chip.dap}; fake_make_memap {my chip.ap1} 1", JIM_OK);
	assert_string_equal(run(interp, "stm32unbrick_attach_bridge {my chip}", JIM_OK),
			    "dap {my chip.dap} memap {1 {my chip.ap1}}");
	assert_contains(run(interp, "stm32unbrick_attach_bridge nochip", JIM_ERR), "no DAP named 'nochip.dap'");
	assert_int_equal(fake_calls(interp, "x.dap", NULL), 0);
}

static void test_loader_lists_where_it_looked(void **state)
{
	Jim_Interp *interp = *state;
	char script[512], path[128];
	FILE *f;

	source_module_tcl(interp);
	run(interp, "unset -nocomplain ::env(STM32UNBRICK_MODULE)", JIM_OK);
	run(interp, "proc find {name} { error \"Can't find $name\" }", JIM_OK);
	assert_contains(run(interp, "stm32unbrick_load", JIM_ERR), "$STM32UNBRICK_MODULE: not set");
	assert_contains(Jim_String(Jim_GetResult(interp)), "stm32unbrick/module_path.tcl on OpenOCD's search path");

	dump_path(path, sizeof(path), "module_path.tcl");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("set ::stm32unbrick_module_so /nonexistent/stm32unbrick.so\n", f);
	fclose(f);
	snprintf(script, sizeof(script), "proc find {name} { return %s }", path);
	run(interp, script, JIM_OK);
	assert_contains(run(interp, "stm32unbrick_load", JIM_ERR),
			"names /nonexistent/stm32unbrick.so, which does not exist");
	remove(path);

	run(interp, "set ::env(STM32UNBRICK_MODULE) /nonexistent/x.so", JIM_OK);
	assert_contains(run(interp, "stm32unbrick_load", JIM_ERR), "STM32UNBRICK_MODULE is set to '/nonexistent/x.so'");
	run(interp, "unset ::env(STM32UNBRICK_MODULE)", JIM_OK);
}

/* The real thing: Jim's `load` of the built module, once, through module_path.tcl. */
static void test_load_built_module(void **state)
{
	Jim_Interp *interp = fake_openocd_new();
	const char *builddir = getenv("top_builddir");
	char so[512], path[128], script[768];
	FILE *f;

	if (!builddir)
		fail_msg("top_builddir is not set (make check sets it)");
	snprintf(so, sizeof(so), "%s/src/.libs/stm32unbrick.so", builddir);
	if (access(so, R_OK) != 0)
		fail_msg("%s is missing: build the module first", so);
	source_module_tcl(interp);
	run(interp, "unset -nocomplain ::env(STM32UNBRICK_MODULE)", JIM_OK);
	dump_path(path, sizeof(path), "module_path_ok.tcl");
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "set ::stm32unbrick_module_so {%s}\n", so);
	fclose(f);
	snprintf(script, sizeof(script), "proc find {name} { return %s }", path);
	run(interp, script, JIM_OK);
	assert_string_equal(run(interp, "stm32unbrick_load", JIM_OK), so);
	assert_string_equal(run(interp, "stm32unbrick version", JIM_OK), PACKAGE_VERSION);
	/* Once per run: the second call neither searches nor loads. */
	run(interp, "proc find {name} { error {must not be called} }", JIM_OK);
	assert_string_equal(run(interp, "stm32unbrick_load", JIM_OK), so);
	assert_string_equal(run(interp, "stm32unbrick_attach_bridge x", JIM_OK), "dap x.dap memap {0 x.ap0 2 x.ap2}");
	snprintf(script, sizeof(script), "0x%08x 0x%08x", pattern(0x24000000), pattern(0x24000004));
	assert_string_equal(run(interp, "stm32unbrick mem read 2 0x24000000 2", JIM_OK), script);
	remove(path);
	Jim_FreeInterp(interp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bridge_configures_and_reports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bridge_rejects_bad_options_atomically, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_counts_openocd_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usage_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dp_and_ap_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_register_arguments_checked_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_register_failure_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mem_read_returns_hex_words_in_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mem_arguments_checked_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mem_write_is_one_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mem_failure_names_ap_address_and_openocd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mem_dump_writes_little_endian_file_in_16k_batches, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mem_dump_checks_arguments_before_creating_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mem_dump_failure_removes_file_and_names_chunk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_srst, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_init_keeps_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_bridge_uses_existing_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loader_lists_where_it_looked, setup, teardown),
		cmocka_unit_test(test_load_built_module),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
