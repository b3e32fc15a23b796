/*
 * A chip that is neither an STM32H7 nor an STM32H5 behind our commands (issue 5, bad input): what
 * `stm32unbrick attach` and `stm32unbrick h7|h5 identify` say when DBGMCU_IDCODE holds a DEV_ID we do
 * not know (0x413: an STM32F405/407, facts A.1 lists ours), DEV_ID 0x000, or all ones (no DBGMCU
 * behind the access port).  The simulator only builds H7 and H5 parts, so the fake OpenOCD and the
 * attach tests' register model (fake_attach_chip.h) stand in for the foreign chip.
 *
 * Every case: an error naming the value read, no command that needs an identified chip runs
 * afterwards, and no memory write outside the debug registers the attach itself sets up (0xE0000000
 * and above: DHCSR, DEMCR, DBGMCU_CR), i.e. nothing reaches a FLASH block.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_openocd.h"
#include "fake_attach_chip.h"

int Jim_stm32unbrickInit(Jim_Interp *interp);

/* Memory writes below the Cortex-M private peripheral bus: what a flash or option-byte change needs. */
static const char count_writes_below_ppb[] =
	"proc writes_below_ppb {} {\n"
	"  set n 0\n"
	"  foreach c $::calls {\n"
	"    if {[lindex $c 1] eq {write_memory} && [lindex $c 2] < 0xe0000000} { incr n }\n"
	"  }\n"
	"  return $n\n"
	"}\n";

static int setup(void **state)
{
	Jim_Interp *interp = fake_openocd_new();

	fake_eval(interp, chip_model);
	fake_eval(interp, count_writes_below_ppb);
	assert_int_equal(Jim_stm32unbrickInit(interp), JIM_OK);
	fake_eval(interp, "stm32unbrick bridge -dap x.dap -memap {0 x.ap0 2 x.ap2}; set ::calls {}");
	*state = interp;
	return 0;
}

static int teardown(void **state)
{
	Jim_FreeInterp(*state);
	return 0;
}

/* `script` fails and its message contains `needle`. */
static void assert_refused(Jim_Interp *interp, const char *script, const char *needle)
{
	const char *msg;

	if (Jim_Eval(interp, script) != JIM_ERR)
		fail_msg("'%s' succeeded: %s", script, Jim_String(Jim_GetResult(interp)));
	msg = Jim_String(Jim_GetResult(interp));
	if (!strstr(msg, needle))
		fail_msg("'%s': message '%s' does not contain '%s'", script, msg, needle);
}

static void assert_nothing_written(Jim_Interp *interp)
{
	long n = fake_eval_long(interp, "writes_below_ppb");

	if (n != 0)
		fail_msg("%ld memory writes below 0xE0000000; calls:\n%s", n,
			 Jim_String(fake_eval(interp, "join $::calls \\n")));
}

static void h7_identify_refuses_dev_id_0x413(void **state)
{
	Jim_Interp *interp = *state;

	fake_eval(interp, "set ::m_idcode 0x10076413");
	/* The attach only asks for a plausible IDCODE: the part is the identify step's business. */
	fake_eval(interp, "stm32unbrick attach normal -timeout 2 -family stm32h7");
	assert_refused(interp, "stm32unbrick h7 identify", "DEV_ID 0x413 is not an STM32H7");
	assert_refused(interp, "stm32unbrick h7 identify", "0x10076413");
	/* Nothing that writes runs on a chip identify refused. */
	assert_refused(interp, "stm32unbrick h7 erase 1", "run `stm32unbrick h7 identify` first");
	assert_refused(interp, "stm32unbrick h7 options_set {RDP 0xAA}", "run `stm32unbrick h7 identify` first");
	assert_nothing_written(interp);
}

static void h5_identify_refuses_dev_id_0x413(void **state)
{
	Jim_Interp *interp = *state;

	fake_eval(interp, "set ::m_core_ap 1; set ::m_dbg_ap 0; set ::m_dbgmcu 0xe0044000; set ::m_dbgmcu_sr 0x00030003;"
		  "set ::m_idcode 0x10076413; fake_make_memap x.ap1 1;"
		  "stm32unbrick bridge -dap x.dap -memap {0 x.ap0 1 x.ap1}; set ::calls {}");
	assert_refused(interp, "stm32unbrick h5 identify", "DEV_ID 0x413 is not an STM32H5");
	assert_refused(interp, "stm32unbrick h5 erase", "identify");
	assert_refused(interp, "stm32unbrick h5 options_set BOR_LEV 1", "identify");
	assert_nothing_written(interp);
}

static void attach_refuses_dev_id_0x000(void **state)
{
	Jim_Interp *interp = *state;

	/* A REV_ID but DEV_ID 0: a DBGMCU-shaped word that names no part. */
	fake_eval(interp, "set ::m_idcode 0x20030000");
	assert_refused(interp, "stm32unbrick attach normal -timeout 2 -family stm32h7",
		       "DBGMCU_IDCODE (AP2 0xe00e1000) = 0x20030000: no stm32h7 DBGMCU answers there");
	assert_nothing_written(interp);
}

static void attach_refuses_all_ones(void **state)
{
	Jim_Interp *interp = *state;

	fake_eval(interp, "set ::m_idcode 0xffffffff");
	assert_refused(interp, "stm32unbrick attach normal -timeout 2 -family stm32h7", "= 0xffffffff: no stm32h7");
	assert_refused(interp, "stm32unbrick attach under-reset -timeout 2 -family stm32h7", "= 0xffffffff");
	assert_int_equal(fake_eval_long(interp, "set ::m_srst"), 0);   /* NRST released after the failure */
	assert_nothing_written(interp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(h7_identify_refuses_dev_id_0x413, setup, teardown),
		cmocka_unit_test_setup_teardown(h5_identify_refuses_dev_id_0x413, setup, teardown),
		cmocka_unit_test_setup_teardown(attach_refuses_dev_id_0x000, setup, teardown),
		cmocka_unit_test_setup_teardown(attach_refuses_all_ones, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
