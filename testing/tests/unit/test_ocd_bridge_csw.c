/*
 * Unit tests of the bridge's AP CSW control (`<dap> apsel N` + `<dap> apcsw VALUE MASK`), its
 * 16-bit block writes (`write_memory ADDR 16 LIST`) and `<mem_ap> arp_examine`, against the fake
 * OpenOCD of fake_openocd.h extended here with OpenOCD 0.12's `apsel`/`apcsw` behaviour (answers
 * measured on the stock 0.12.0 binary: both print nothing when given arguments, `apcsw` alone prints
 * "AP#0x1 selected, csw 0xa2000000"; the CSW pattern of a fresh AP is 0xa2000000; a mask touching
 * Size/AddrInc is refused), half-word writes and arp_examine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "errors.h"
#include "fake_openocd.h"
#include "ocd_bridge.h"

static const char csw_model[] =
	"set ::apsel 0\n"
	"set ::csw [dict create]\n"
	"set ::mem16 [dict create]\n"
	"proc csw_of {ap} { expr {[dict exists $::csw $ap] ? [dict get $::csw $ap] : 0xa2000000} }\n"
	"rename fake_dap fake_dap_base\n"
	"proc fake_dap {name sub args} {\n"
	"  if {$sub ni {apsel apcsw}} { return [fake_dap_base $name $sub {*}$args] }\n"
	"  lappend ::calls [list $name $sub {*}$args]\n"
	"  if {[fake_inject $sub]} { return $::injected }\n"
	"  if {$sub eq {apsel}} {\n"
	"    if {[llength $args] == 0} { return [format 0x%x $::apsel] }\n"
	"    set ::apsel [expr {[lindex $args 0] + 0}]; return {}\n"
	"  }\n"
	"  if {[llength $args] == 0} {\n"
	"    return [format \"AP#0x%x selected, csw 0x%08x\n\" $::apsel [csw_of $::apsel]]\n"
	"  }\n"
	"  if {[llength $args] != 2} { return -code -601 {} }\n"
	"  lassign $args v m\n"
	"  if {$m & 0x37} { return -code -603 {} }\n"
	"  dict set ::csw $::apsel [expr {([csw_of $::apsel] & ~$m) | ($v & $m)}]\n"
	"  return {}\n"
	"}\n"
	"rename fake_memap fake_memap_base\n"
	"proc fake_memap {name apnum sub args} {\n"
	"  if {$sub eq {arp_examine}} {\n"
	"    lappend ::calls [list $name $sub]\n"
	"    if {[fake_inject arp_examine]} { return $::injected }\n"
	"    return {}\n"
	"  }\n"
	"  lassign $args addr width arg\n"
	"  if {$sub ne {write_memory} || $width != 16} { return [fake_memap_base $name $apnum $sub {*}$args] }\n"
	"  lappend ::calls [list $name $sub {*}$args]\n"
	"  if {[fake_inject $sub]} { return $::injected }\n"
	"  set i 0\n"
	"  foreach h $arg { dict set ::mem16 [list $apnum [expr {$addr + 2 * $i}]] [expr {$h + 0}]; incr i }\n"
	"  return {}\n"
	"}\n";

typedef struct fixture {
	Jim_Interp *interp;
	ocd_bridge b;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->interp = fake_openocd_new();
	fake_eval(f->interp, csw_model);
	ocd_bridge_init(&f->b, f->interp);
	assert_int_equal(ocd_bridge_set_dap(&f->b, "x.dap"), UB_OK);
	assert_int_equal(ocd_bridge_set_memap(&f->b, ub_ap_num(0), "x.ap0"), UB_OK);
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

static void test_csw_selects_the_ap_then_changes_only_masked_bits(void **state)
{
	fixture *f = *state;

	assert_int_equal(ocd_ap_csw(&f->b, ub_ap_num(1), OCD_CSW_SPROT, OCD_CSW_SPROT), UB_OK);
	assert_int_equal(f->b.commands, 2);
	assert_string_equal(Jim_String(fake_eval(f->interp, "lindex $::calls 0")), "x.dap apsel 1");
	assert_string_equal(fake_last_call(f->interp), "x.dap apcsw 0x40000000 0x40000000");
	assert_int_equal(fake_eval_long(f->interp, "csw_of 1"), 0xe2000000);
	assert_int_equal(fake_eval_long(f->interp, "csw_of 0"), 0xa2000000);
	/* Back to secure: bit 30 cleared, the rest of the pattern kept. */
	assert_int_equal(ocd_ap_csw(&f->b, ub_ap_num(1), 0, OCD_CSW_SPROT), UB_OK);
	assert_int_equal(fake_eval_long(f->interp, "csw_of 1"), 0xa2000000);
	assert_string_equal(fake_last_call(f->interp), "x.dap apcsw 0x00000000 0x40000000");
}

static void test_csw_arguments_refused_before_any_command(void **state)
{
	fixture *f = *state;
	ocd_bridge unconfigured;

	assert_int_equal(ocd_ap_csw(&f->b, ub_ap_num(1), 0, 0), UB_ERR_ARG);
	assert_int_equal(ocd_ap_csw(&f->b, ub_ap_num(1), 0x2, 0x40000002), UB_ERR_ARG);
	assert_error_mentions("Size and AddrInc");
	assert_int_equal(ocd_ap_csw(&f->b, ub_ap_num(1), 0x10, 0x40000010), UB_ERR_ARG);
	assert_int_equal(ocd_ap_csw(&f->b, ub_ap_num(1), 0x40000000, 0x08000000), UB_ERR_ARG);
	assert_error_mentions("outside the mask");
	assert_int_equal(ocd_ap_csw(&f->b, ub_ap_num(256), 0, OCD_CSW_SPROT), UB_ERR_ARG);
	assert_int_equal(ocd_ap_csw(NULL, ub_ap_num(1), 0, OCD_CSW_SPROT), UB_ERR_ARG);
	ocd_bridge_init(&unconfigured, f->interp);
	assert_int_equal(ocd_ap_csw(&unconfigured, ub_ap_num(1), 0, OCD_CSW_SPROT), UB_ERR_NOT_CONFIGURED);
	assert_int_equal(fake_total_calls(f->interp), 0);
	assert_int_equal(f->b.commands, 0);
}

static void test_csw_failure_is_ub_err_ap_and_stops(void **state)
{
	fixture *f = *state;

	fake_eval(f->interp, "dict set ::fail apsel {-603 {} 0}");
	assert_int_equal(ocd_ap_csw(&f->b, ub_ap_num(1), OCD_CSW_SPROT, OCD_CSW_SPROT), UB_ERR_AP);
	assert_error_mentions("ap csw AP1");
	assert_error_mentions("-603");
	assert_int_equal(fake_calls(f->interp, "x.dap", "apcsw"), 0);
	fake_eval(f->interp, "set ::fail [dict create]; dict set ::fail apcsw {-4 {apcsw went wrong} 0}");
	assert_int_equal(ocd_ap_csw(&f->b, ub_ap_num(1), OCD_CSW_SPROT, OCD_CSW_SPROT), UB_ERR_AP);
	assert_error_mentions("apcsw went wrong");
}

static void test_csw_unexpected_answer_is_parse_error(void **state)
{
	fixture *f = *state;

	/* OpenOCD 0.12 prints the pattern only when asked with no arguments. */
	fake_eval(f->interp, "dict set ::answer apcsw {AP#0x1 selected, csw 0xa2000000}");
	assert_int_equal(ocd_ap_csw(&f->b, ub_ap_num(1), OCD_CSW_SPROT, OCD_CSW_SPROT), UB_ERR_PARSE);
	assert_error_mentions("AP#0x1 selected");
}

static void test_csw_read_parses_openocd_answer(void **state)
{
	fixture *f = *state;
	uint32_t v = 0;

	assert_int_equal(ocd_ap_csw(&f->b, ub_ap_num(1), OCD_CSW_SPROT, OCD_CSW_SPROT), UB_OK);
	assert_int_equal(ocd_ap_csw_read(&f->b, ub_ap_num(1), &v), UB_OK);
	assert_int_equal(v, 0xe2000000);
	assert_string_equal(fake_last_call(f->interp), "x.dap apcsw");
	assert_int_equal(ocd_ap_csw_read(&f->b, ub_ap_num(0), &v), UB_OK);
	assert_int_equal(v, 0xa2000000);
	assert_int_equal(f->b.commands, 6);
	assert_int_equal(ocd_ap_csw_read(&f->b, ub_ap_num(1), NULL), UB_ERR_ARG);
	/* Another AP's answer, or garbage, is never taken for this AP's pattern. */
	fake_eval(f->interp, "dict set ::answer apcsw {AP#0x0 selected, csw 0xa2000000}");
	assert_int_equal(ocd_ap_csw_read(&f->b, ub_ap_num(1), &v), UB_ERR_PARSE);
	fake_eval(f->interp, "dict set ::answer apcsw {AP#0x1 selected, csw 0xa20000zz}");
	assert_int_equal(ocd_ap_csw_read(&f->b, ub_ap_num(1), &v), UB_ERR_PARSE);
	assert_error_mentions("ap csw read AP1");
	fake_eval(f->interp, "set ::answer [dict create]; dict set ::fail apcsw {-4 {} 0}");
	assert_int_equal(ocd_ap_csw_read(&f->b, ub_ap_num(1), &v), UB_ERR_AP);
}

static void test_write16_is_one_command_with_half_words(void **state)
{
	fixture *f = *state;
	const uint16_t h[3] = { 0x1234, 0xabcd, 0x0001 };

	assert_int_equal(ocd_mem_write16(&f->b, ub_ap_num(0), 0x08fff002, h, 3), UB_OK);
	assert_int_equal(f->b.commands, 1);
	assert_string_equal(fake_last_call(f->interp), "x.ap0 write_memory 0x08fff002 16 {0x1234 0xabcd 0x0001}");
	assert_int_equal(fake_eval_long(f->interp, "dict get $::mem16 [list 0 [expr {0x08fff004}]]"), 0xabcd);
}

static void test_write16_splits_at_4096_half_words(void **state)
{
	fixture *f = *state;
	uint16_t *h = calloc(4097, sizeof(*h));

	assert_non_null(h);
	assert_int_equal(ocd_mem_write16(&f->b, ub_ap_num(0), 0x20000000, h, 4097), UB_OK);
	assert_int_equal(f->b.commands, 2);
	assert_string_equal(fake_last_call(f->interp), "x.ap0 write_memory 0x20002000 16 0x0000");
	free(h);
}

static void test_write16_arguments_and_failures(void **state)
{
	fixture *f = *state;
	const uint16_t h = 0x5555;

	assert_int_equal(ocd_mem_write16(&f->b, ub_ap_num(0), 0x08fff001, &h, 1), UB_ERR_ARG);
	assert_int_equal(ocd_mem_write16(&f->b, ub_ap_num(0), 0x08fff000, &h, 0), UB_ERR_ARG);
	assert_int_equal(ocd_mem_write16(&f->b, ub_ap_num(0), 0x08fff000, NULL, 1), UB_ERR_ARG);
	assert_int_equal(ocd_mem_write16(&f->b, ub_ap_num(0), 0xfffffffe, &h, 2), UB_ERR_ARG);
	assert_int_equal(ocd_mem_write16(&f->b, ub_ap_num(4), 0x08fff000, &h, 1), UB_ERR_ARG);
	assert_int_equal(ocd_mem_write16(&f->b, ub_ap_num(1), 0x08fff000, &h, 1), UB_ERR_NOT_CONFIGURED);
	assert_int_equal(f->b.commands, 0);
	fake_eval(f->interp, "dict set ::fail write_memory {-4 {write_memory: failed to write memory} 0}");
	assert_int_equal(ocd_mem_write16(&f->b, ub_ap_num(0), 0x08fff000, &h, 1), UB_ERR_MEM_WRITE);
	assert_error_mentions("mem write16 AP0 0x08fff000");
	assert_error_mentions("failed to write memory");
}

static void test_examine_runs_arp_examine_of_that_ap(void **state)
{
	fixture *f = *state;

	assert_int_equal(ocd_examine(&f->b, ub_ap_num(0)), UB_OK);
	assert_string_equal(fake_last_call(f->interp), "x.ap0 arp_examine");
	assert_int_equal(f->b.commands, 1);
	assert_int_equal(ocd_examine(&f->b, ub_ap_num(1)), UB_ERR_NOT_CONFIGURED);
	assert_int_equal(ocd_examine(&f->b, ub_ap_num(4)), UB_ERR_ARG);
	assert_int_equal(f->b.commands, 1);
	fake_eval(f->interp, "dict set ::fail arp_examine {-4 {examination failed} 0}");
	assert_int_equal(ocd_examine(&f->b, ub_ap_num(0)), UB_ERR_AP);
	assert_error_mentions("examine AP0 (x.ap0 arp_examine)");
	assert_error_mentions("examination failed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_csw_selects_the_ap_then_changes_only_masked_bits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csw_arguments_refused_before_any_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csw_failure_is_ub_err_ap_and_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csw_unexpected_answer_is_parse_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csw_read_parses_openocd_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write16_is_one_command_with_half_words, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write16_splits_at_4096_half_words, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write16_arguments_and_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_examine_runs_arp_examine_of_that_ap, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
