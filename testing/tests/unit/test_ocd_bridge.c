/*
 * Unit tests of the OpenOCD bridge (src/target/ocd_bridge.c) and the error
 * module (src/target/errors.c), against a fake OpenOCD in a Jim interpreter
 * (fake_openocd.h): command shapes, one command per block, strict parsing,
 * error messages, argument checks before any command, verbatim names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "errors.h"
#include "fake_openocd.h"
#include "ocd_bridge.h"

typedef struct fixture {
	Jim_Interp *interp;
	ocd_bridge b;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->interp = fake_openocd_new();
	ocd_bridge_init(&f->b, f->interp);
	assert_int_equal(ocd_bridge_set_dap(&f->b, "x.dap"), UB_OK);
	assert_int_equal(ocd_bridge_set_memap(&f->b, ub_ap_num(0), "x.ap0"), UB_OK);
	assert_int_equal(ocd_bridge_set_memap(&f->b, ub_ap_num(2), "x.ap2"), UB_OK);
	ub_clear_error();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	Jim_FreeInterp(f->interp);
	free(f);
	return 0;
}

static void assert_error_mentions(const char *needle)
{
	if (!strstr(ub_last_error(), needle))
		fail_msg("error '%s' does not mention '%s'", ub_last_error(), needle);
}

/* ---- registers ------------------------------------------------------------------------------- */

static void test_dp_read_sends_dpreg_and_parses_hex(void **state)
{
	fixture *f = *state;
	uint32_t v = 0;

	fake_eval(f->interp, "dict set ::dp 4 0xf0000040");
	assert_int_equal(ocd_dp_read(&f->b, 4, &v), UB_OK);
	assert_int_equal(v, 0xf0000040);
	assert_string_equal(fake_last_call(f->interp), "x.dap dpreg 0x00000004");
	assert_int_equal(f->b.commands, 1);
}

static void test_dp_write_sends_value(void **state)
{
	fixture *f = *state;

	assert_int_equal(ocd_dp_write(&f->b, 8, 0x02000000), UB_OK);
	assert_string_equal(fake_last_call(f->interp), "x.dap dpreg 0x00000008 0x02000000");
	assert_int_equal(fake_eval_long(f->interp, "dict get $::dp 8"), 0x02000000);
}

static void test_ap_read_write_carry_ap_number(void **state)
{
	fixture *f = *state;
	uint32_t v = 0;

	assert_int_equal(ocd_ap_write(&f->b, ub_ap_num(2), 0x04, 0xe00e1000), UB_OK);
	assert_string_equal(fake_last_call(f->interp), "x.dap apreg 2 0x00000004 0xe00e1000");
	assert_int_equal(ocd_ap_read(&f->b, ub_ap_num(2), 0x04, &v), UB_OK);
	assert_int_equal(v, 0xe00e1000);
	assert_int_equal(f->b.commands, 2);
}

static void test_register_arguments_rejected_before_any_command(void **state)
{
	fixture *f = *state;
	uint32_t v;
	ocd_bridge unconfigured;

	assert_int_equal(ocd_dp_read(&f->b, 0x100, &v), UB_ERR_ARG);
	assert_int_equal(ocd_dp_write(&f->b, 2, 0), UB_ERR_ARG);
	assert_int_equal(ocd_ap_read(&f->b, ub_ap_num(256), 0, &v), UB_ERR_ARG);
	assert_error_mentions("AP256");
	assert_int_equal(ocd_ap_write(&f->b, ub_ap_num(0), 0xfe, 0), UB_ERR_ARG);
	assert_int_equal(ocd_dp_read(&f->b, 4, NULL), UB_ERR_ARG);
	assert_int_equal(ocd_dp_read(NULL, 4, &v), UB_ERR_ARG);
	ocd_bridge_init(&unconfigured, f->interp);
	assert_int_equal(ocd_dp_read(&unconfigured, 4, &v), UB_ERR_NOT_CONFIGURED);
	assert_error_mentions("no DAP configured");
	assert_int_equal(fake_total_calls(f->interp), 0);
	assert_int_equal(f->b.commands, 0);
}

static void test_dp_failure_without_message_names_code(void **state)
{
	fixture *f = *state;
	uint32_t v;

	fake_eval(f->interp, "dict set ::fail dpreg {-107 {}}");
	assert_int_equal(ocd_dp_read(&f->b, 4, &v), UB_ERR_DP);
	assert_error_mentions("dp read 0x04");
	assert_error_mentions("x.dap");
	assert_error_mentions("-107 (ERROR_JTAG_DEVICE_ERROR)");
	assert_int_equal(f->b.commands, 1);
}

static void test_ap_failure_is_ub_err_ap(void **state)
{
	fixture *f = *state;

	fake_eval(f->interp, "dict set ::fail apreg {-4 {}}");
	assert_int_equal(ocd_ap_write(&f->b, ub_ap_num(1), 0, 0x23000052), UB_ERR_AP);
	assert_error_mentions("ap write AP1 0x00");
	assert_error_mentions("ERROR_FAIL");
}

/* ---- strict parsing -------------------------------------------------------------------------- */

static void expect_dp_answer(fixture *f, const char *answer, ub_err expected, uint32_t expected_value)
{
	uint32_t v = 0;

	Jim_SetVariableStr(f->interp, "::tmp_answer", Jim_NewStringObj(f->interp, answer, -1));
	fake_eval(f->interp, "dict set ::answer dpreg $::tmp_answer");
	assert_int_equal(ocd_dp_read(&f->b, 0, &v), expected);
	if (expected == UB_OK)
		assert_int_equal(v, expected_value);
	else
		assert_error_mentions("dp read 0x00");
}

static void test_register_answers_parsed_strictly(void **state)
{
	fixture *f = *state;

	expect_dp_answer(f, "0x6ba00477", UB_OK, 0x6ba00477);
	expect_dp_answer(f, "0x6BA00477\n", UB_OK, 0x6ba00477);
	expect_dp_answer(f, "1805649015", UB_OK, 0x6ba00477);
	expect_dp_answer(f, "hello", UB_ERR_PARSE, 0);
	assert_error_mentions("'hello'");
	expect_dp_answer(f, "", UB_ERR_PARSE, 0);
	expect_dp_answer(f, "0x", UB_ERR_PARSE, 0);
	expect_dp_answer(f, "0x1ffffffff", UB_ERR_PARSE, 0);
	expect_dp_answer(f, "-1", UB_ERR_PARSE, 0);
	expect_dp_answer(f, "0x12 0x34", UB_ERR_PARSE, 0);
	expect_dp_answer(f, "12abc", UB_ERR_PARSE, 0);
	expect_dp_answer(f, "4294967296", UB_ERR_PARSE, 0);
}

static void test_write_with_unexpected_output_is_parse_error(void **state)
{
	fixture *f = *state;

	fake_eval(f->interp, "dict set ::answer dpreg {something odd}");
	assert_int_equal(ocd_dp_write(&f->b, 4, 0x50000000), UB_ERR_PARSE);
	assert_error_mentions("something odd");
	fake_eval(f->interp, "dict set ::answer write_memory {0x1}");
	assert_int_equal(ocd_mem_write32(&f->b, ub_ap_num(0), 0x24000000, 1), UB_ERR_PARSE);
	assert_error_mentions("mem write AP0 0x24000000");
}

static void expect_read_answer(fixture *f, const char *answer, size_t count, ub_err expected)
{
	uint32_t words[4] = { 0 };

	Jim_SetVariableStr(f->interp, "::tmp_answer", Jim_NewStringObj(f->interp, answer, -1));
	fake_eval(f->interp, "dict set ::answer read_memory $::tmp_answer");
	assert_int_equal(ocd_mem_read(&f->b, ub_ap_num(0), 0x08000000, words, count), expected);
	if (expected != UB_OK)
		assert_error_mentions("mem read AP0 0x08000000");
}

static void test_memory_answers_parsed_strictly(void **state)
{
	fixture *f = *state;
	uint32_t words[3];

	fake_eval(f->interp, "dict set ::answer read_memory {0x1 2 0xffffffff}");
	assert_int_equal(ocd_mem_read(&f->b, ub_ap_num(0), 0x08000000, words, 3), UB_OK);
	assert_int_equal(words[0], 1);
	assert_int_equal(words[1], 2);
	assert_int_equal(words[2], 0xffffffff);

	expect_read_answer(f, "0x1 0x2", 3, UB_ERR_PARSE);
	assert_error_mentions("3 words (got 2 items)");
	expect_read_answer(f, "0x1 0x2 0x3 0x4", 3, UB_ERR_PARSE);
	expect_read_answer(f, "0x1 zz 0x3", 3, UB_ERR_PARSE);
	assert_error_mentions("'zz'");
	expect_read_answer(f, "0x1 0x100000000 0x3", 3, UB_ERR_PARSE);
	expect_read_answer(f, "{0x1 0x2} 0x3 0x4", 3, UB_ERR_PARSE);
	expect_read_answer(f, "{0x1 0x2 0x3", 3, UB_ERR_PARSE);
	expect_read_answer(f, "", 1, UB_ERR_PARSE);
}

/* ---- memory blocks --------------------------------------------------------------------------- */

static uint32_t pattern(uint32_t addr)
{
	return (uint32_t)(addr * 0x9e3779b1u + 0x5a5a5a5au);
}

static void test_block_read_is_one_command_per_16k(void **state)
{
	fixture *f = *state;
	size_t count = 10000;
	uint32_t *words = calloc(count, sizeof(*words));

	assert_non_null(words);
	assert_int_equal(ocd_mem_read(&f->b, ub_ap_num(2), 0x24000000, words, 4096), UB_OK);
	assert_int_equal(fake_calls(f->interp, "x.ap2", "read_memory"), 1);
	assert_string_equal(fake_last_call(f->interp), "x.ap2 read_memory 0x24000000 32 4096");

	assert_int_equal(ocd_mem_read(&f->b, ub_ap_num(2), 0x24000000, words, count), UB_OK);
	/* 10000 words = 4096 + 4096 + 1808: three commands, never one per word. */
	assert_int_equal(fake_calls(f->interp, "x.ap2", "read_memory"), 4);
	assert_string_equal(fake_last_call(f->interp), "x.ap2 read_memory 0x24008000 32 1808");
	for (size_t i = 0; i < count; i++)
		assert_int_equal(words[i], pattern(0x24000000u + 4u * (uint32_t)i));
	assert_int_equal(f->b.commands, 4);
	free(words);
}

static void test_block_write_is_one_command_per_16k(void **state)
{
	fixture *f = *state;
	size_t count = 5000;
	uint32_t *words = calloc(count, sizeof(*words));
	uint32_t *back = calloc(count, sizeof(*back));

	assert_non_null(words);
	assert_non_null(back);
	for (size_t i = 0; i < count; i++)
		words[i] = (uint32_t)(0xc0de0000u + i);
	assert_int_equal(ocd_mem_write(&f->b, ub_ap_num(0), 0x30000000, words, count), UB_OK);
	assert_int_equal(fake_calls(f->interp, "x.ap0", "write_memory"), 2);
	assert_int_equal(fake_eval_long(f->interp, "llength [lindex $::calls end 4]"), 5000 - 4096);
	assert_int_equal(fake_eval_long(f->interp, "lindex $::calls end 2"), 0x30004000);
	assert_int_equal(ocd_mem_read(&f->b, ub_ap_num(0), 0x30000000, back, count), UB_OK);
	assert_memory_equal(words, back, count * sizeof(*words));
	free(words);
	free(back);
}

static void test_memory_arguments_rejected_before_any_command(void **state)
{
	fixture *f = *state;
	uint32_t w[4] = { 0 };

	assert_int_equal(ocd_mem_read(&f->b, ub_ap_num(0), 0x08000002, w, 1), UB_ERR_ARG);
	assert_error_mentions("not 4-byte aligned");
	assert_int_equal(ocd_mem_read(&f->b, ub_ap_num(0), 0x08000000, w, 0), UB_ERR_ARG);
	assert_int_equal(ocd_mem_read(&f->b, ub_ap_num(0), 0x08000000, NULL, 1), UB_ERR_ARG);
	assert_int_equal(ocd_mem_read(&f->b, ub_ap_num(0), 0xfffffff8, w, 3), UB_ERR_ARG);
	assert_error_mentions("past the end");
	assert_int_equal(ocd_mem_read(&f->b, ub_ap_num(0), 0xfffffff8, w, 2), UB_OK);
	assert_int_equal(ocd_mem_write(&f->b, ub_ap_num(UB_MAX_AP), 0, w, 1), UB_ERR_ARG);
	assert_int_equal(ocd_mem_write(&f->b, ub_ap_num(1), 0x38000000, w, 1), UB_ERR_NOT_CONFIGURED);
	assert_error_mentions("mem write AP1 0x38000000");
	assert_error_mentions("no mem_ap target for AP1");
	/* Only the one valid read reached the fake. */
	assert_int_equal(fake_total_calls(f->interp), 1);
	assert_int_equal(f->b.commands, 1);
}

static void test_read_failure_names_op_ap_address_and_openocd_text(void **state)
{
	fixture *f = *state;
	uint32_t v;

	fake_eval(f->interp, "dict set ::fail read_memory {1 {read_memory: failed to read memory}}");
	assert_int_equal(ocd_mem_read32(&f->b, ub_ap_num(2), 0xe00e1000, &v), UB_ERR_MEM_READ);
	assert_string_equal(ub_last_error(), "mem read AP2 0xe00e1000 (1 words, target x.ap2): "
			    "OpenOCD: read_memory: failed to read memory");
}

/* A target OpenOCD could not examine at init (its AP was closed then) is examined on first use. */
static void test_unexamined_target_is_examined_and_the_access_repeated(void **state)
{
	fixture *f = *state;
	uint32_t v = 0, w = 0x12345678;

	fake_eval(f->interp, "dict set ::unexamined x.ap2 1");
	assert_int_equal(ocd_mem_read32(&f->b, ub_ap_num(2), 0x40022050, &v), UB_OK);
	assert_int_equal(v, (uint32_t)fake_eval_long(f->interp, "fake_pattern 0x40022050"));
	assert_int_equal(fake_eval_long(f->interp, "lsearch -exact $::calls {x.ap2 arp_examine}"), 2);
	assert_int_equal(f->b.commands, 4);
	fake_eval(f->interp, "dict set ::unexamined x.ap2 1");
	assert_int_equal(ocd_mem_write(&f->b, ub_ap_num(2), 0x20000000, &w, 1), UB_OK);
	assert_int_equal(fake_eval_long(f->interp, "dict get $::mem [list 2 [expr {0x20000000}]]"), 0x12345678);

	/* An examined target's failure stays OpenOCD's own, with no examine. */
	fake_eval(f->interp, "set ::calls {}; dict set ::fail read_memory {-4 {read_memory: failed to read memory}}");
	assert_int_equal(ocd_mem_read32(&f->b, ub_ap_num(2), 0x40022050, &v), UB_ERR_MEM_READ);
	assert_error_mentions("OpenOCD: read_memory: failed to read memory");
	assert_int_equal(fake_calls(f->interp, "x.ap2", "arp_examine"), 0);

	/* The examine fails too (the AP is still closed): the access's failure is reported. */
	fake_eval(f->interp, "set ::fail {}; dict set ::unexamined x.ap2 1; dict set ::fail arp_examine {-4 {no AP}}");
	assert_int_equal(ocd_mem_read32(&f->b, ub_ap_num(2), 0x40022050, &v), UB_ERR_MEM_READ);
	assert_error_mentions("mem read AP2 0x40022050 (1 words, target x.ap2): OpenOCD error -4 (ERROR_FAIL)");
}

static void test_failing_chunk_is_named(void **state)
{
	fixture *f = *state;
	uint32_t *words = calloc(8192, sizeof(*words));

	assert_non_null(words);
	fake_eval(f->interp, "dict set ::fail read_memory {1 {read_memory: failed to read memory} 1}");
	assert_int_equal(ocd_mem_read(&f->b, ub_ap_num(0), 0x08000000, words, 8192), UB_ERR_MEM_READ);
	assert_error_mentions("mem read AP0 0x08004000 (4096 words");
	/* The first chunk was read and kept. */
	assert_int_equal(words[0], pattern(0x08000000));
	assert_int_equal(fake_calls(f->interp, "x.ap0", "read_memory"), 2);
	free(words);
}

static void test_write_failure_is_ub_err_mem_write(void **state)
{
	fixture *f = *state;

	fake_eval(f->interp, "dict set ::fail write_memory {-307 {}}");
	assert_int_equal(ocd_mem_write32(&f->b, ub_ap_num(0), 0x52002004, 0x45670123), UB_ERR_MEM_WRITE);
	assert_error_mentions("mem write AP0 0x52002004");
	assert_error_mentions("ERROR_TARGET_DATA_ABORT");
}

/* ---- names, configuration -------------------------------------------------------------------- */

static void test_names_with_spaces_and_brackets_are_verbatim(void **state)
{
	fixture *f = *state;
	const char *dap = "my dap [boom]";
	const char *target = "ap $x;[boom] {";
	uint32_t v;

	fake_eval(f->interp, "set ::boomed 0; proc boom {} { set ::boomed 1; return BOOM }");
	/* Names handed over as values, so the fake's commands carry exactly these strings. */
	Jim_SetVariableStr(f->interp, "::tmp_dap", Jim_NewStringObj(f->interp, dap, -1));
	Jim_SetVariableStr(f->interp, "::tmp_target", Jim_NewStringObj(f->interp, target, -1));
	fake_eval(f->interp, "fake_make_dap $::tmp_dap; fake_make_memap $::tmp_target 3");
	assert_int_equal(ocd_bridge_set_dap(&f->b, dap), UB_OK);
	assert_int_equal(ocd_bridge_set_memap(&f->b, ub_ap_num(3), target), UB_OK);
	fake_eval(f->interp, "dict set ::dp 0 0x6ba00477");
	assert_int_equal(ocd_dp_read(&f->b, 0, &v), UB_OK);
	assert_int_equal(v, 0x6ba00477);
	assert_string_equal(Jim_String(fake_eval(f->interp, "lindex $::calls end 0")), dap);
	assert_int_equal(ocd_mem_write32(&f->b, ub_ap_num(3), 0x38000000, 7), UB_OK);
	assert_int_equal(ocd_mem_read32(&f->b, ub_ap_num(3), 0x38000000, &v), UB_OK);
	assert_int_equal(v, 7);
	assert_string_equal(Jim_String(fake_eval(f->interp, "lindex $::calls end 0")), target);
	ocd_log(&f->b, "[boom] %d $x", 5);
	assert_string_equal(Jim_String(fake_eval(f->interp, "lindex $::echoed end")), "[boom] 5 $x");
	assert_int_equal(fake_eval_long(f->interp, "set ::boomed"), 0);
}

static void test_configuration_is_checked(void **state)
{
	fixture *f = *state;
	char long_name[UB_NAME_MAX + 1];

	memset(long_name, 'a', UB_NAME_MAX);
	long_name[UB_NAME_MAX] = '\0';
	assert_int_equal(ocd_bridge_set_dap(&f->b, "nosuch.dap"), UB_ERR_ARG);
	assert_error_mentions("no OpenOCD command 'nosuch.dap'");
	assert_int_equal(ocd_bridge_set_dap(&f->b, ""), UB_ERR_ARG);
	assert_int_equal(ocd_bridge_set_dap(&f->b, NULL), UB_ERR_ARG);
	assert_int_equal(ocd_bridge_set_dap(&f->b, long_name), UB_ERR_ARG);
	assert_string_equal(f->b.dap, "x.dap");
	assert_int_equal(ocd_bridge_set_memap(&f->b, ub_ap_num(UB_MAX_AP), "x.ap0"), UB_ERR_ARG);
	assert_int_equal(ocd_bridge_set_memap(&f->b, ub_ap_num(2), "x.nosuch"), UB_ERR_ARG);
	assert_string_equal(f->b.memap[2], "x.ap2");
	assert_int_equal(ocd_bridge_set_memap(&f->b, ub_ap_num(2), ""), UB_OK);
	assert_string_equal(f->b.memap[2], "");
	assert_int_equal(fake_total_calls(f->interp), 0);
}

/* ---- reset, sleep, log ----------------------------------------------------------------------- */

static void test_srst_uses_adapter_command(void **state)
{
	fixture *f = *state;

	assert_int_equal(ocd_srst(&f->b, true), UB_OK);
	assert_string_equal(fake_last_call(f->interp), "adapter assert srst");
	assert_int_equal(ocd_srst(&f->b, false), UB_OK);
	assert_string_equal(fake_last_call(f->interp), "adapter deassert srst");
	fake_eval(f->interp, "dict set ::fail adapter {-4 {}}");
	assert_int_equal(ocd_srst(&f->b, true), UB_ERR_RESET);
	assert_error_mentions("srst assert");
	assert_error_mentions("ERROR_FAIL");
	assert_int_equal(f->b.commands, 3);
}

/* OpenOCD sleeps `adapter srst delay` after every release; release_now clears it around the
 * release and puts it back, and falls back to the ordinary release when it cannot. */
static void test_srst_release_now_skips_the_delay_and_puts_it_back(void **state)
{
	fixture *f = *state;

	assert_int_equal(ocd_srst(&f->b, true), UB_OK);
	assert_int_equal(ocd_srst_release_now(&f->b), UB_OK);
	assert_string_equal(Jim_String(fake_eval(f->interp, "set ::srst_delay_at_release")), "0");
	assert_int_equal(fake_eval_long(f->interp, "set ::srst_delay"), 100);
	assert_string_equal(fake_last_call(f->interp), "adapter srst delay 100");
	assert_int_equal(fake_eval_long(f->interp, "lsearch -exact $::calls {adapter srst delay 0}"), 2);

	/* Already 0: nothing to change. */
	fake_eval(f->interp, "set ::srst_delay 0; set ::calls {}; set ::srst_delay_at_release {}");
	assert_int_equal(ocd_srst_release_now(&f->b), UB_OK);
	assert_int_equal(fake_total_calls(f->interp), 2);
	assert_string_equal(fake_last_call(f->interp), "adapter deassert srst");

	/* OpenOCD will not say its delay: the ordinary release, and a caller's error survives. */
	fake_eval(f->interp, "set ::srst_delay 100; set ::srst_delay_at_release {}; set ::srst assert");
	fake_eval(f->interp, "dict set ::fail srst_delay {-601 {}}");
	ub_fail(UB_ERR_MEM_WRITE, "an earlier failure");
	assert_int_equal(ocd_srst_release_now(&f->b), UB_OK);
	assert_string_equal(Jim_String(fake_eval(f->interp, "set ::srst")), "deassert");
	assert_string_equal(Jim_String(fake_eval(f->interp, "set ::srst_delay_at_release")), "100");
	assert_string_equal(ub_last_error(), "an earlier failure");

	/* The delay cannot be put back: NRST is released and the failure says so. */
	fake_eval(f->interp, "set ::fail {}; dict set ::fail srst_delay {-4 {} 2}; set ::srst assert");
	assert_int_equal(ocd_srst_release_now(&f->b), UB_ERR_RESET);
	assert_string_equal(Jim_String(fake_eval(f->interp, "set ::srst")), "deassert");
	assert_error_mentions("could not be put back to 100 ms");
}

static void test_sleep_is_bounded(void **state)
{
	fixture *f = *state;

	assert_int_equal(ocd_sleep_ms(&f->b, 10), UB_OK);
	assert_string_equal(fake_last_call(f->interp), "sleep 10");
	assert_int_equal(ocd_sleep_ms(&f->b, 60001), UB_ERR_ARG);
	assert_int_equal(fake_total_calls(f->interp), 1);
}

/* ---- errors.c -------------------------------------------------------------------------------- */

static void test_error_names_and_messages(void **state)
{
	for (int e = 0; e < UB_ERR__COUNT; e++) {
		assert_non_null(ub_err_name((ub_err)e));
		assert_null(strstr(ub_err_name((ub_err)e), "invalid"));
		for (int other = 0; other < e; other++)
			assert_string_not_equal(ub_err_name((ub_err)e), ub_err_name((ub_err)other));
	}
	assert_string_equal(ub_err_name(UB_ERR_PARSE), "UB_ERR_PARSE");
	assert_string_equal(ub_err_name(UB_ERR__COUNT), "UB_ERR_<invalid>");
	assert_int_equal(ub_fail(UB_ERR_TIMEOUT, "wait %s %d", "x", 3), UB_ERR_TIMEOUT);
	assert_string_equal(ub_last_error(), "wait x 3");
	ub_clear_error();
	assert_string_equal(ub_last_error(), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dp_read_sends_dpreg_and_parses_hex, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dp_write_sends_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ap_read_write_carry_ap_number, setup, teardown),
		cmocka_unit_test_setup_teardown(test_register_arguments_rejected_before_any_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dp_failure_without_message_names_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ap_failure_is_ub_err_ap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_register_answers_parsed_strictly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_with_unexpected_output_is_parse_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_answers_parsed_strictly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_block_read_is_one_command_per_16k, setup, teardown),
		cmocka_unit_test_setup_teardown(test_block_write_is_one_command_per_16k, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_arguments_rejected_before_any_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_failure_names_op_ap_address_and_openocd_text, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unexamined_target_is_examined_and_the_access_repeated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failing_chunk_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_failure_is_ub_err_mem_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_with_spaces_and_brackets_are_verbatim, setup, teardown),
		cmocka_unit_test_setup_teardown(test_configuration_is_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_srst_uses_adapter_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_srst_release_now_skips_the_delay_and_puts_it_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sleep_is_bounded, setup, teardown),
		cmocka_unit_test(test_error_names_and_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
