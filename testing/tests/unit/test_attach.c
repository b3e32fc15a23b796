/*
 * Unit tests of the attach strategies (src/target/attach*.c) and of `stm32unbrick attach`, against
 * the fake OpenOCD of fake_openocd.h plus a small register model of the chip in Tcl (fake_attach_chip.h):
 * a DP that can be dead for a span of (fake) time, CTRL/STAT power-up acknowledges, DHCSR/DEMCR/
 * DCRSR/DCRDR of one core, DBGMCU behind the debug AP, NRST, and OpenOCD's `poll`, `jtag arp_init`,
 * `dap init`, `transport select` and `arp_examine`.  Time in the model is the sum of the `sleep`
 * commands the module issued (each also really sleeps, so the module's wall-clock bounds hold).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "attach.h"
#include "errors.h"
#include "fake_openocd.h"
#include "fake_attach_chip.h"
#include "attach_fixture.h"
#include "poll.h"

/* ---- names and arguments ------------------------------------------------------------------------ */

static void test_strategy_names(void **state)
{
	for (int s = 0; s < UB_ATTACH__COUNT; s++)
		assert_int_equal(ub_attach_from_name(ub_attach_name((ub_attach_strategy)s)), s);
	assert_string_equal(ub_attach_name(UB_ATTACH_UNDER_RESET), "under-reset");
	assert_string_equal(ub_attach_name(UB_ATTACH__COUNT), "<invalid>");
	assert_int_equal(ub_attach_from_name("under_reset"), -1);
	assert_int_equal(ub_attach_from_name(NULL), -1);
}

static void test_arguments_checked_before_the_chip(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;

	assert_int_equal(ub_attach(NULL, UB_ATTACH_NORMAL, &o, &r), UB_ERR_ARG);
	assert_int_equal(ub_attach(fx->b, UB_ATTACH__COUNT, &o, &r), UB_ERR_ARG);
	o.family = NULL;
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_NORMAL, &o, &r), UB_ERR_ARG);
	o = opts(&ub_family_stm32h7);
	o.halt_timeout_ms = 0;
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_NORMAL, &o, &r), UB_ERR_ARG);
	o = opts(&ub_family_stm32h7);
	o.operator_timeout_ms = 0;
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_POWER_CYCLE, &o, &r), UB_ERR_ARG);
	o = opts(&ub_family_stm32h7);
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_AP_FALLBACK, &o, &r), UB_ERR_NOT_CONFIGURED);
	assert_contains(ub_last_error(), "AP3, which has no mem_ap target");
	o = opts(&ub_family_stm32h5); /* the H5 core is on AP1: not configured */
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_NORMAL, &o, &r), UB_ERR_NOT_CONFIGURED);
	assert_contains(ub_last_error(), "AP1");
	assert_int_equal(fake_total_calls(fx->interp), 0);
}

/* ---- normal, hot-plug, ap-fallback ---------------------------------------------------------------- */

static void test_normal_runs_its_steps_in_order(void **state)
{
	static const char *const steps[] = { "BackgroundPollOff", "DebugPortStart", "ReadIdcode", "CoreApCheck",
					     "DebugDeviceUnlock", "DebugCoreStart", "CoreHalt", "CoreState" };
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;

	assert_int_equal(ub_attach(fx->b, UB_ATTACH_NORMAL, &o, &r), UB_OK);
	assert_step_order(fx, "normal", steps, sizeof(steps) / sizeof(steps[0]));
	assert_true(r.halted);
	assert_int_equal(r.pc, 0x08000298u);
	assert_int_equal(r.idcode, 0x20030450u);
	assert_int_equal(r.core_ap.num, 0);
	assert_false(r.power_cycled);
	assert_false(r.in_bootloader);
	assert_int_equal(r.dhcsr & 0x20003u, 0x20003u);
	/* OpenOCD's own poll is off before the first register access; NRST never moved. */
	assert_true(call_index(fx, "poll off", 0) < call_index(fx, "x.dap dpreg", 0));
	assert_int_equal(call_count(fx, "adapter"), 0);
	/* Power-up requested with the sticky flags written to one (JTAG-DP clear). */
	assert_true(call_index(fx, "x.dap dpreg 0x00000004 0x50000032", 0) > 0);
}

static void test_hot_plug_never_writes_to_the_core(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;

	assert_int_equal(ub_attach(fx->b, UB_ATTACH_HOT_PLUG, &o, &r), UB_OK);
	assert_false(r.halted);
	assert_int_equal(r.idcode, 0x20030450u);
	assert_int_equal(call_count(fx, "x.ap0 write_memory"), 0);
	assert_int_equal(call_count(fx, "x.ap2 write_memory"), 0);
	assert_int_equal(call_count(fx, "adapter"), 0);
	assert_int_equal(tcl_long(fx, "set ::m_halted"), 0);
	echo_index(fx, "attach hot-plug: CoreState: DHCSR 0x00010000: running", 0);
}

static void test_hot_plug_tolerates_an_unreadable_core(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;

	fake_eval(fx->interp, "dict set ::fail read_memory {-4 {read_memory: failed to read memory} 1}");
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_HOT_PLUG, &o, &r), UB_OK);
	assert_false(r.halted);
	echo_index(fx, "core state not readable, left unknown", 0);
}

static void test_ap_fallback_uses_the_second_core(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;

	fake_eval(fx->interp, "fake_make_memap x.ap3 3; set ::m_core_ap 3; dict set ::m_ap_idr 3 0x84770001");
	fake_eval(fx->interp, "stm32unbrick bridge -dap x.dap -memap {0 x.ap0 2 x.ap2 3 x.ap3}; set ::calls {}");
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_AP_FALLBACK, &o, &r), UB_OK);
	assert_int_equal(r.core_ap.num, 3);
	assert_true(r.halted);
	assert_int_equal(call_count(fx, "x.ap0"), 0);
	assert_true(call_count(fx, "x.ap3 write_memory 0xe000edf0") >= 2);
}

static void test_ap_fallback_on_a_single_core_part(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;

	fake_eval(fx->interp, "fake_make_memap x.ap3 3");
	fake_eval(fx->interp, "stm32unbrick bridge -dap x.dap -memap {0 x.ap0 2 x.ap2 3 x.ap3}");
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_AP_FALLBACK, &o, &r), UB_ERR_UNSUPPORTED);
	assert_contains(ub_last_error(),
			"attach ap-fallback: CoreApCheck: AP3 IDR (AP register 0xfc) reads 0x00000000");
	assert_int_equal(call_count(fx, "x.ap3 write_memory"), 0);
}

/* ---- failures name the step, the register, its address and the value seen ----------------------- */

static void test_dp_that_never_acks_power_up_times_out(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;
	uint64_t t0;
	unsigned took;

	fake_eval(fx->interp, "set ::m_ack_powerup 0");
	t0 = ub_now_ms();
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_NORMAL, &o, &r), UB_ERR_TIMEOUT);
	took = (unsigned)(ub_now_ms() - t0);
	assert_contains(ub_last_error(), "attach normal: DebugPortStart: waited ");
	assert_contains(ub_last_error(), "CTRL/STAT (DP 0x04) & 0xa0000000 == 0xa0000000; last read 0x50000000");
	/* Bounded: 200 ms in attach_internal.h, plus one back-off interval at most. */
	assert_in_range(took, 200, 400);
	assert_int_equal(call_count(fx, "x.ap0"), 0);
}

static void test_dead_dp_fails_at_once_naming_the_step(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;
	uint64_t t0 = ub_now_ms();

	fake_eval(fx->interp, "set ::m_dead {{0 1000000000}}");
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_NORMAL, &o, &r), UB_ERR_DP);
	assert_true(ub_now_ms() - t0 < 100);
	assert_contains(ub_last_error(), "attach normal: DebugPortStart: read CTRL/STAT (DP 0x04): the debug port "
					 "does not answer");
	assert_contains(ub_last_error(), "OpenOCD error -107");
}

static void test_core_that_never_halts_times_out(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;
	uint64_t t0;
	unsigned took;

	o.halt_timeout_ms = 50;
	fake_eval(fx->interp, "set ::m_halt_works 0");
	t0 = ub_now_ms();
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_NORMAL, &o, &r), UB_ERR_TIMEOUT);
	took = (unsigned)(ub_now_ms() - t0);
	assert_in_range(took, 50, 200);
	assert_contains(ub_last_error(), "attach normal: CoreHalt: waited ");
	assert_contains(ub_last_error(),
			"DHCSR.S_HALT (AP0 0xe000edf0) & 0x00020000 == 0x00020000; last read 0x00010003");
}

static void test_idcode_of_nothing_is_refused(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;

	fake_eval(fx->interp, "set ::m_idcode 0");
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_NORMAL, &o, &r), UB_ERR_VERIFY);
	assert_contains(ub_last_error(), "attach normal: ReadIdcode: DBGMCU_IDCODE (AP2 0xe00e1000) = 0x00000000");
}

/* ---- under reset ---------------------------------------------------------------------------------- */

static void test_under_reset_order_and_catch(void **state)
{
	static const char *const steps[] = { "ResetHardwareAssert", "DebugPortReconnect", "DebugPortStart",
					     "CoreApCheck", "DebugDeviceUnlock", "DbgmcuKeepAlive", "DebugCoreStart",
					     "ResetCatchSet", "ResetHardwareDeassert", "CoreWaitHalt",
					     "ResetCatchClear", "CoreState" };
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;
	long assert_at, deassert_at, at;

	assert_int_equal(ub_attach(fx->b, UB_ATTACH_UNDER_RESET, &o, &r), UB_OK);
	assert_step_order(fx, "under-reset", steps, sizeof(steps) / sizeof(steps[0]));
	assert_true(r.halted);
	assert_int_equal(r.pc, 0x08000298u);
	assert_int_equal(tcl_long(fx, "set ::m_fw_ran"), 0);
	/* OpenOCD calls: NRST first, then re-scan/reconnect, DBGMCU, C_HALT, the catch, release, clear. */
	assert_at = call_index(fx, "adapter assert srst", 0);
	at = call_index(fx, "jtag arp_init", assert_at);
	at = call_index(fx, "dap init", at);
	at = call_index(fx, "x.ap0 arp_examine", at);
	at = call_index(fx, "x.ap2 arp_examine", at);
	at = call_index(fx, "x.ap2 write_memory 0xe00e1004 32 0x00600007", at);
	at = call_index(fx, "x.ap0 write_memory 0xe000edf0 32 0xa05f0003", at);
	at = call_index(fx, "x.ap0 write_memory 0xe000edfc 32 0x00000001", at);
	deassert_at = call_index(fx, "adapter deassert srst", at);
	call_index(fx, "x.ap0 write_memory 0xe000edfc 32 0x00000000", deassert_at);
	assert_int_equal(call_count(fx, "adapter"), 2);
	/* The keep-alive bits went in while NRST was held. */
	assert_int_equal(tcl_long(fx, "set ::m_cr_written_under_srst"), 1);
	assert_int_equal(tcl_long(fx, "set ::m_dbgmcu_cr"), 0x00600007);
	assert_int_equal(tcl_long(fx, "set ::m_demcr"), 0);
}

/* An AP the attach does not use that will not examine does not stop the reconnect. */
static void test_under_reset_survives_an_unused_ap_that_will_not_examine(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;

	fake_eval(fx->interp, "fake_make_memap x.ap3 3");
	fake_eval(fx->interp, "stm32unbrick bridge -dap x.dap -memap {0 x.ap0 2 x.ap2 3 x.ap3}");
	fake_eval(fx->interp, "dict set ::fail arp_examine {-4 {AP3 absent} 2}");
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_UNDER_RESET, &o, &r), UB_OK);
	assert_true(r.halted);
	echo_index(fx, "attach under-reset: DebugPortReconnect: the debug port answers; continuing despite: reinit: "
		       "x.ap3 arp_examine (AP3): OpenOCD: AP3 absent", 0);
}

static void test_under_reset_releases_nrst_when_it_fails(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;

	fake_eval(fx->interp, "set ::m_dbgmcu_ro 1");
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_UNDER_RESET, &o, &r), UB_ERR_VERIFY);
	assert_contains(ub_last_error(), "attach under-reset: DbgmcuKeepAlive: DBGMCU_CR (AP2 0xe00e1004) reads "
					 "0x00000000 after writing 0x00600007");
	assert_string_equal(tcl_string(fx, "lindex $::calls [m_find {adapter deassert}]"), "adapter deassert srst");
	assert_int_equal(tcl_long(fx, "set ::m_srst"), 0);
	echo_index(fx, "NRST released after the failure above", 0);
}

/* release: an erase in progress (bank 2) is waited for before NRST, which would cut it short. */
static void test_release_waits_for_the_flash_before_nrst(void **state)
{
	static const char *const steps[] = { "CoreApCheck", "FlashIdleWait", "ResetCatchClear", "DebugCoreStop",
					     "ResetHardwareAssert", "ResetHardwareDeassert" };
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;

	fake_eval(fx->interp, "set ::m_flash_busy {0x52002110 40}");
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_RELEASE, &o, &r), UB_OK);
	assert_step_order(fx, "release", steps, sizeof(steps) / sizeof(steps[0]));
	assert_true(tcl_long(fx, "set ::m_slept") >= 40);
	long last_busy_read = tcl_long(fx, "set r -1; set i 0; foreach c $::calls { "
				       "if {[string first {x.ap0 read_memory 0x52002110} $c] == 0} { set r $i }; incr i }; "
				       "set r");
	assert_true(last_busy_read >= 0);
	assert_true(call_index(fx, "adapter assert srst", 0) > last_busy_read);
	echo_index(fx, "attach release: FlashIdleWait: FLASH_SR2 (AP0 0x52002110) = 0x00000005: the flash is erasing", 0);
	echo_index(fx, "attach release: FlashIdleWait: FLASH_SR1, FLASH_OPTSR_CUR, FLASH_SR2 idle after", 0);
	assert_int_equal(tcl_long(fx, "set ::m_fw_ran"), 1);
}

/* A flash that stays busy past the family's bound: no reset at all, and the message says why. */
static void test_release_never_resets_a_busy_flash(void **state)
{
	fixture *fx = *state;
	ub_family f = ub_family_stm32h7;
	ub_attach_opts o = opts(&f);
	ub_attach_result r;

	f.flash_idle_timeout_ms = 100;
	fake_eval(fx->interp, "set ::m_flash_busy {0x5200201c 1000000000}");
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_RELEASE, &o, &r), UB_ERR_TIMEOUT);
	assert_contains(ub_last_error(), "attach release: FlashIdleWait: NRST now would cut that operation short, so "
					 "the chip is not reset");
	assert_contains(ub_last_error(), "FLASH_OPTSR_CUR (AP0 0x5200201c) & 0x00000001 == 0x00000000; last read "
					 "0x00000005");
	assert_int_equal(call_count(fx, "adapter"), 0);
	assert_int_equal(tcl_long(fx, "set ::m_fw_ran"), 0);
}

/* One bank: the second bank's status register is not read (it does not exist on H72x/H73x). */
static void test_release_single_bank_skips_bank_2(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;

	o.single_bank = true;
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_RELEASE, &o, &r), UB_OK);
	assert_int_equal(call_count(fx, "x.ap0 read_memory 0x52002110"), 0);
	assert_true(call_count(fx, "x.ap0 read_memory 0x52002010") > 0);
	echo_index(fx, "attach release: FlashIdleWait: FLASH_SR1, FLASH_OPTSR_CUR idle: no flash operation", 0);
}

static void test_under_reset_cannot_beat_a_dead_port(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;

	fake_eval(fx->interp, "set ::m_dead {{0 1000000000}}");
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_UNDER_RESET, &o, &r), UB_ERR_DP);
	assert_contains(ub_last_error(), "attach under-reset: DebugPortReconnect: the debug port does not answer with "
					 "NRST held");
	assert_contains(ub_last_error(), "dap init");
	assert_int_equal(tcl_long(fx, "set ::m_srst"), 0);
}

static void test_under_reset_nohalt_lets_the_firmware_run(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;

	o.halt = false;
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_UNDER_RESET, &o, &r), UB_OK);
	assert_false(r.halted);
	assert_int_equal(tcl_long(fx, "set ::m_fw_ran"), 1);
	assert_int_equal(call_count(fx, "x.ap0 write_memory 0xe000edfc"), 0);
	assert_int_equal(call_count(fx, "x.ap0 write_memory 0xe000edf0 32 0xa05f0003"), 0);
	assert_int_equal(tcl_long(fx, "set ::m_dbgmcu_cr"), 0x00600007); /* kept alive all the same */
}

/* ---- power cycle and BOOT0 ------------------------------------------------------------------------- */

static void test_power_cycle_sees_loss_and_return(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;
	long ask, assert_at;

	fake_eval(fx->interp, "set ::m_dead {{30 400}}");
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_POWER_CYCLE, &o, &r), UB_OK);
	assert_true(r.power_cycled);
	assert_true(r.halted);
	assert_int_equal(tcl_long(fx, "set ::m_fw_ran"), 0);
	ask = echo_index(fx, "ACTION REQUIRED: the probe holds NRST low.", 0);
	echo_index(fx, "attach power-cycle: WaitPowerLoss: the debug port went silent", ask);
	echo_index(fx, "attach power-cycle: WaitPowerReturn: the debug port answers again (DPIDR 0x6ba02477)", ask);
	/* NRST asserted once, before the operator was asked, and held through the power cycle. */
	assert_int_equal(call_count(fx, "adapter assert"), 1);
	assert_at = call_index(fx, "adapter assert srst", 0);
	assert_true(assert_at < call_index(fx, "echo {ACTION REQUIRED:", 0));
	/* After the return (a power-on reset of the model): DBGMCU set again while NRST was held. */
	assert_int_equal(tcl_long(fx, "set ::m_dbgmcu_cr"), 0x00600007);
	assert_int_equal(tcl_long(fx, "set ::m_cr_written_under_srst"), 1);
}

static void test_power_cycle_that_never_happens_times_out(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;
	uint64_t t0 = ub_now_ms();

	o.operator_timeout_ms = 100;
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_POWER_CYCLE, &o, &r), UB_ERR_TIMEOUT);
	assert_true(ub_now_ms() - t0 < 400);
	assert_contains(ub_last_error(), "attach power-cycle: WaitPowerLoss: the debug port kept answering (DPIDR, DP "
					 "0x00, = 0x6ba02477) for ");
	assert_int_equal(tcl_long(fx, "set ::m_srst"), 0);
}

static void test_power_that_never_returns_times_out(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;
	uint64_t t0 = ub_now_ms();
	unsigned took;

	o.operator_timeout_ms = 300;
	fake_eval(fx->interp, "set ::m_dead {{0 1000000000}}");
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_POWER_CYCLE, &o, &r), UB_ERR_TIMEOUT);
	took = (unsigned)(ub_now_ms() - t0);
	assert_in_range(took, 300, 700);
	assert_contains(ub_last_error(),
			"attach power-cycle: WaitPowerReturn: the debug port did not answer again within");
	assert_contains(ub_last_error(), "dap init");
	echo_index(fx, "the debug port was silent before the request", 0);
	assert_int_equal(tcl_long(fx, "set ::m_srst"), 0);
}

static void test_boot0_reports_the_bootloader(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h7);
	ub_attach_result r;

	fake_eval(fx->interp, "set ::m_dead {{20 300}}; set ::m_pc 0x1ff00400");
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_BOOT0, &o, &r), UB_OK);
	assert_true(r.power_cycled);
	assert_true(r.halted);
	assert_true(r.in_bootloader);
	assert_int_equal(r.pc, 0x1ff00400u);
	assert_int_equal(call_count(fx, "adapter"), 0);
	echo_index(fx, "ACTION REQUIRED: set BOOT0 high", 0);
	echo_index(fx, "PC 0x1ff00400 (system memory: the bootloader)", 0);
}

/* ---- STM32H5 --------------------------------------------------------------------------------------- */

static void h5_model(fixture *fx, const char *sr)
{
	char script[256];

	snprintf(script, sizeof(script),
		 "set ::m_core_ap 1; set ::m_dbg_ap 0; set ::m_dbgmcu 0xe0044000; set ::m_dbgmcu_sr %s;"
		 "set ::m_idcode 0x10010484; fake_make_memap x.ap1 1;"
		 "stm32unbrick bridge -dap x.dap -memap {0 x.ap0 1 x.ap1}; set ::calls {}",
		 sr);
	fake_eval(fx->interp, script);
}

static void test_h5_refuses_a_locked_core_ap(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h5);
	ub_attach_result r;

	h5_model(fx, "0x00010003");
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_NORMAL, &o, &r), UB_ERR_REFUSED);
	assert_contains(ub_last_error(), "attach normal: DebugDeviceUnlock: stm32h5 debug access check: DBGMCU_SR (AP0 "
					 "0xe00440fc) = 0x00010003: AP1 (the core) is locked");
	assert_int_equal(call_count(fx, "x.ap1 write_memory"), 0);
}

static void test_h5_attaches_on_ap1(void **state)
{
	fixture *fx = *state;
	ub_attach_opts o = opts(&ub_family_stm32h5);
	ub_attach_result r;

	h5_model(fx, "0x00030003");
	assert_int_equal(ub_attach(fx->b, UB_ATTACH_UNDER_RESET, &o, &r), UB_OK);
	assert_int_equal(r.core_ap.num, 1);
	assert_int_equal(r.idcode, 0x10010484u);
	assert_true(r.halted);
	assert_int_equal(tcl_long(fx, "set ::m_dbgmcu_cr"), 0x6); /* DBG_STOP | DBG_STANDBY */
}

/* ---- the bridge additions ---------------------------------------------------------------------------- */

static void test_reinit_dap_and_poll_commands(void **state)
{
	fixture *fx = *state;

	assert_int_equal(ocd_poll(fx->b, false), UB_OK);
	assert_int_equal(ocd_poll(fx->b, true), UB_OK);
	assert_string_equal(tcl_string(fx, "lrange $::calls 0 1"), "{poll off} {poll on}");
	fake_eval(fx->interp, "set ::calls {}");
	assert_int_equal(ocd_reinit_dap(fx->b), UB_OK);
	assert_string_equal(tcl_string(fx, "set ::calls"),
			    "{transport select} {jtag arp_init} {dap init} {x.ap0 arp_examine} {x.ap2 arp_examine}");
	/* SWD: no JTAG chain to re-scan; `dap init` reconnects by itself. */
	fake_eval(fx->interp, "set ::calls {}; set ::m_transport swd");
	assert_int_equal(ocd_reinit_dap(fx->b), UB_OK);
	assert_int_equal(call_count(fx, "jtag"), 0);
	fake_eval(fx->interp, "set ::m_dead {{0 1000000000}}");
	assert_int_equal(ocd_reinit_dap(fx->b), UB_ERR_DP);
	assert_contains(ub_last_error(), "reinit: dap init (DAP x.dap): the debug port did not answer");
	/* Every target is examined even after one fails; the first failure is the one reported. */
	fake_eval(fx->interp, "set ::m_dead {}; set ::m_transport jtag; set ::calls {}");
	fake_eval(fx->interp, "dict set ::fail arp_examine {-4 {no such AP} 0}");
	assert_int_equal(ocd_reinit_dap(fx->b), UB_ERR_AP);
	assert_contains(ub_last_error(), "reinit: x.ap0 arp_examine (AP0): OpenOCD: no such AP");
	assert_int_equal(call_count(fx, "x.ap2 arp_examine"), 1);
}

/* ---- the Tcl command ------------------------------------------------------------------------------- */

static void test_command_returns_a_dict(void **state)
{
	fixture *fx = *state;

	assert_string_equal(tcl_string(fx, "dict get [stm32unbrick attach normal -nohalt] halted"), "0");
	assert_string_equal(tcl_string(fx, "stm32unbrick attach under-reset -halt-timeout 300 -family stm32h7"),
			    "strategy under-reset core_ap 0 idcode 0x20030450 halted 1 pc 0x08000298 dhcsr 0x00030003 "
			    "power_cycled 0 in_bootloader 0");
	/* A core that a debugger already halted stays halted through DebugCoreStart, even with -nohalt. */
	assert_string_equal(tcl_string(fx, "dict get [stm32unbrick attach normal -nohalt] halted"), "1");
}

static void test_command_checks_arguments_first(void **state)
{
	static const char *const bad[][2] = {
		{ "stm32unbrick attach sideways", "unknown strategy 'sideways'" },
		{ "stm32unbrick attach normal -timeout 0", "-timeout 0 is not in 1..3600" },
		{ "stm32unbrick attach normal -halt-timeout", "-halt-timeout needs a value" },
		{ "stm32unbrick attach normal -family stm32f4", "unknown -family 'stm32f4'" },
		{ "stm32unbrick attach normal -fast", "unknown option '-fast'" },
		{ "stm32unbrick attach", "should be \"stm32unbrick attach STRATEGY" },
	};
	fixture *fx = *state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(Jim_Eval(fx->interp, bad[i][0]), JIM_ERR);
		assert_contains(Jim_String(Jim_GetResult(fx->interp)), bad[i][1]);
	}
	assert_int_equal(fake_total_calls(fx->interp), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strategy_names),
		cmocka_unit_test_setup_teardown(test_arguments_checked_before_the_chip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_normal_runs_its_steps_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hot_plug_never_writes_to_the_core, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hot_plug_tolerates_an_unreadable_core, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ap_fallback_uses_the_second_core, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ap_fallback_on_a_single_core_part, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dp_that_never_acks_power_up_times_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dead_dp_fails_at_once_naming_the_step, setup, teardown),
		cmocka_unit_test_setup_teardown(test_core_that_never_halts_times_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idcode_of_nothing_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_under_reset_order_and_catch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_under_reset_survives_an_unused_ap_that_will_not_examine, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_under_reset_releases_nrst_when_it_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_waits_for_the_flash_before_nrst, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_never_resets_a_busy_flash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_single_bank_skips_bank_2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_under_reset_cannot_beat_a_dead_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_under_reset_nohalt_lets_the_firmware_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_power_cycle_sees_loss_and_return, setup, teardown),
		cmocka_unit_test_setup_teardown(test_power_cycle_that_never_happens_times_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_power_that_never_returns_times_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boot0_reports_the_bootloader, setup, teardown),
		cmocka_unit_test_setup_teardown(test_h5_refuses_a_locked_core_ap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_h5_attaches_on_ap1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reinit_dap_and_poll_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_command_returns_a_dict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_command_checks_arguments_first, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
