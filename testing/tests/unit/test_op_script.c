/*
 * Unit tests of the operator-script parser and trigger timing
 * (testing/sim/op_script.c): every trigger and action, their errors, and the
 * firing time of `during` / `after_op` steps fed with flash events as the
 * flash blocks report them (sim_flash_listener).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "op_script.h"

static op_script ops;
static char err[256];

static const op_step *add_ok(const char *text)
{
	if (op_script_add(&ops, text, err, sizeof(err)) != 0)
		fail_msg("\"%s\": %s", text, err);
	return &ops.steps[ops.count - 1];
}

static void add_bad(const char *text, const char *why)
{
	size_t before = ops.count;

	err[0] = '\0';
	assert_int_equal(op_script_add(&ops, text, err, sizeof(err)), -1);
	assert_int_equal(ops.count, before);
	if (!strstr(err, why))
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", text, err, why);
}

static int reset_script(void **state)
{
	memset(&ops, 0, sizeof(ops));
	return 0;
}

static void started(sim_flash_event ev, sim_time_us start, sim_time_us end)
{
	op_script_flash_event(&ops, ev, SIM_FLASH_STARTED, start, end);
}

static void done(sim_flash_event ev, sim_time_us start, sim_time_us end)
{
	op_script_flash_event(&ops, ev, SIM_FLASH_DONE, start, end);
}

static void test_parse_time_triggers(void **state)
{
	const op_step *st = add_ok("srst_held 1.5s -> power_cycle 20ms, boot0 1");

	assert_int_equal(st->trigger, OP_TRIGGER_SRST_HELD);
	assert_int_equal(st->arg, 1500000);
	assert_int_equal(st->nactions, 2);
	assert_int_equal(st->actions[0].kind, OP_POWER_CYCLE);
	assert_int_equal(st->actions[0].arg, 20000);
	assert_int_equal(st->actions[1].kind, OP_BOOT0);
	assert_int_equal(st->actions[1].arg, 1);
	st = add_ok("session 2 -> disconnect");
	assert_int_equal(st->trigger, OP_TRIGGER_SESSION);
	assert_int_equal(st->arg, 2);
	st = add_ok("after 50us -> power_off, power_on, power_cycle");
	assert_int_equal(st->trigger, OP_TRIGGER_AFTER);
	assert_int_equal(st->arg, 50);
	assert_int_equal(st->actions[2].arg, 200000); /* default OFF */
}

static void test_parse_event_triggers(void **state)
{
	static const char *const names[SIM_FLASH_EV_COUNT] = {
		"optstart", "sector_erase", "bank_erase", "mass_erase", "program",
	};
	char text[64];
	const op_step *st;

	for (unsigned ev = 0; ev < SIM_FLASH_EV_COUNT; ev++) {
		snprintf(text, sizeof(text), "during %s 3 -> srst_pulse", names[ev]);
		st = add_ok(text);
		assert_int_equal(st->trigger, OP_TRIGGER_DURING);
		assert_int_equal(st->event, ev);
		assert_int_equal(st->arg, 3);
		assert_false(st->has_delay);
		assert_int_equal(st->actions[0].kind, OP_SRST_PULSE);
		assert_string_equal(op_script_event_name((sim_flash_event)ev), names[ev]);
	}
	st = add_ok("during program 7 250us -> power_cycle 1ms");
	assert_true(st->has_delay);
	assert_int_equal(st->delay, 250);
	st = add_ok("  after_op   optstart 1 ->   disconnect ");
	assert_int_equal(st->trigger, OP_TRIGGER_AFTER_OP);
	assert_int_equal(st->event, SIM_FLASH_EV_OPTSTART);
	assert_int_equal(st->arg, 1);
	assert_false(st->fire_known);
}

static void test_parse_errors(void **state)
{
	add_bad("during -> srst_pulse", "during EVENT N [DELAY]");
	add_bad("during program -> srst_pulse", "during EVENT N [DELAY]");
	add_bad("during program 1 2ms 3 -> srst_pulse", "during EVENT N [DELAY]");
	add_bad("during flash_word 1 -> srst_pulse", "unknown flash event \"flash_word\"");
	add_bad("during program 0 -> srst_pulse", "count must be 1 or more");
	add_bad("during program x -> srst_pulse", "count must be 1 or more");
	add_bad("during program -2 -> srst_pulse", "count must be 1 or more");
	add_bad("during program 1 2 hours -> srst_pulse", "during EVENT N [DELAY]");
	add_bad("during program 1 2h -> srst_pulse", "bad duration");
	add_bad("after_op optstart 1 5ms -> srst_pulse", "after_op EVENT N");
	add_bad("after_op optstart -> srst_pulse", "after_op EVENT N");
	add_bad("after_op erase 1 -> srst_pulse", "unknown flash event");
	add_bad("during program 1 -> srst_pulse 5ms", "unknown action \"srst_pulse 5ms\"");
	add_bad("during program 1 -> ", "empty action");
	add_bad("during program 1", "expected \"TRIGGER -> ACTION");
	add_bad("  -> srst_pulse", "empty trigger");
	add_bad("before 1s -> srst_pulse", "unknown trigger \"before\"");
	add_bad("after 1s 2s -> srst_pulse", "trigger must be");
	add_bad("session 0 -> srst_pulse", "session number must be 1 or more");
	add_bad("after 1s -> boot0 2", "boot0 takes 0 or 1");
	add_bad("after 1s -> srst_pulse, srst_pulse, srst_pulse, srst_pulse, srst_pulse", "too many actions");
	assert_int_equal(ops.count, 0);
	for (unsigned i = 0; i < OP_MAX_STEPS; i++)
		add_ok("after 1s -> srst_pulse");
	add_bad("after 1s -> srst_pulse", "more than 32 operator steps");
}

static void test_time_triggers_fire_in_order(void **state)
{
	add_ok("session 1 -> boot0 1");
	add_ok("srst_held 500ms -> power_cycle");
	add_ok("after 2s -> power_off");
	assert_int_equal(op_script_next_time(&ops, true, 0), UINT64_MAX); /* session: not by time */
	ops.next = 1;
	assert_int_equal(op_script_next_time(&ops, false, 0), UINT64_MAX);
	assert_int_equal(op_script_next_time(&ops, true, 100), 500100);
	ops.next = 2;
	assert_int_equal(op_script_next_time(&ops, false, 0), 2000000);
	ops.next = 3;
	assert_null(op_script_armed(&ops));
	assert_int_equal(op_script_next_time(&ops, true, 0), UINT64_MAX);
}

/* No DELAY: half the operation, so that the step lands inside it; with DELAY: from its start. */
static void test_during_fires_inside_the_operation(void **state)
{
	add_ok("during sector_erase 2 -> srst_pulse");
	add_ok("during sector_erase 3 100us -> srst_pulse");
	assert_true(op_script_wants_flash_events(&ops));
	started(SIM_FLASH_EV_SECTOR_ERASE, 1000, 1101000);
	done(SIM_FLASH_EV_SECTOR_ERASE, 1000, 1101000);
	assert_int_equal(op_script_next_time(&ops, false, 0), UINT64_MAX);
	started(SIM_FLASH_EV_BANK_ERASE, 2000000, 3000000); /* another event: not counted here */
	started(SIM_FLASH_EV_SECTOR_ERASE, 2000000, 3100000);
	assert_false(op_script_wants_flash_events(&ops));
	assert_int_equal(op_script_next_time(&ops, false, 0), 2550000);
	ops.next++;
	/* The third sector erase starts later than it was asked for (queued): its real start counts. */
	started(SIM_FLASH_EV_SECTOR_ERASE, 3100000, 4200000);
	assert_int_equal(op_script_next_time(&ops, false, 0), 3100100);
}

/* Events are counted from the start, whether or not their step is armed: a late step fires at once. */
static void test_counts_run_before_the_step_is_armed(void **state)
{
	add_ok("after 10s -> power_off");
	add_ok("during program 2 -> power_cycle");
	add_ok("during program 3 -> power_cycle");
	for (unsigned i = 0; i < 3; i++)
		started(SIM_FLASH_EV_PROGRAM, 1000 + 600 * i, 1600 + 600 * i);
	assert_int_equal(ops.started[SIM_FLASH_EV_PROGRAM], 3);
	assert_int_equal(op_script_next_time(&ops, false, 0), 10000000);
	ops.next = 1;
	assert_int_equal(op_script_next_time(&ops, false, 0), 1900); /* in the past: fires at once */
	ops.next = 2;
	assert_int_equal(op_script_next_time(&ops, false, 0), 2500);
	started(SIM_FLASH_EV_PROGRAM, 5000, 5600); /* the 4th does not move the 3rd's time */
	assert_int_equal(op_script_next_time(&ops, false, 0), 2500);
}

/* after_op: the Nth normal completion, at its end; an interrupted operation never completes. */
static void test_after_op_fires_at_completion(void **state)
{
	add_ok("after_op optstart 2 -> srst_pulse");
	started(SIM_FLASH_EV_OPTSTART, 100, 300100);
	done(SIM_FLASH_EV_OPTSTART, 100, 300100);
	started(SIM_FLASH_EV_OPTSTART, 400000, 700000); /* cut by a reset: no DONE */
	assert_true(op_script_wants_flash_events(&ops));
	assert_int_equal(op_script_next_time(&ops, false, 0), UINT64_MAX);
	started(SIM_FLASH_EV_OPTSTART, 800000, 1100000);
	done(SIM_FLASH_EV_OPTSTART, 800000, 1100000);
	assert_int_equal(ops.started[SIM_FLASH_EV_OPTSTART], 3);
	assert_int_equal(ops.completed[SIM_FLASH_EV_OPTSTART], 2);
	assert_int_equal(op_script_next_time(&ops, false, 0), 1100000);
}

/* A mass erase is reported as mass_erase plus one bank_erase per bank: each counter moves on its own. */
static void test_mass_erase_counts_banks(void **state)
{
	add_ok("during bank_erase 2 1s -> srst_pulse");
	add_ok("after_op mass_erase 1 -> disconnect");
	started(SIM_FLASH_EV_MASS_ERASE, 0, 8800000);
	started(SIM_FLASH_EV_BANK_ERASE, 0, 8800000);
	started(SIM_FLASH_EV_BANK_ERASE, 0, 8800000);
	assert_int_equal(op_script_next_time(&ops, false, 0), 1000000);
	ops.next++;
	assert_int_equal(op_script_next_time(&ops, false, 0), UINT64_MAX);
	done(SIM_FLASH_EV_MASS_ERASE, 0, 8800000);
	assert_int_equal(op_script_next_time(&ops, false, 0), 8800000);
	op_script_flash_event(&ops, SIM_FLASH_EV_COUNT, SIM_FLASH_DONE, 0, 1); /* ignored */
	assert_int_equal(ops.completed[SIM_FLASH_EV_MASS_ERASE], 1);
}

/* What the chips ask: is the armed step due now, or at this session's start? */
static void test_due_and_session_due(void **state)
{
	const op_step *first = add_ok("session 2 -> boot0 1");
	const op_step *second = add_ok("after 1s -> power_off");

	assert_null(op_script_session_due(&ops, 1));
	assert_ptr_equal(op_script_session_due(&ops, 2), first);
	assert_null(op_script_due(&ops, false, 0, 5000000)); /* a session step never fires by time */
	ops.next = 1;
	assert_null(op_script_session_due(&ops, 2));
	assert_null(op_script_due(&ops, false, 0, 999999));
	assert_ptr_equal(op_script_due(&ops, false, 0, 1000000), second);
	ops.next = 2;
	assert_null(op_script_due(&ops, true, 0, UINT64_MAX - 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_parse_time_triggers, reset_script),
		cmocka_unit_test_setup(test_parse_event_triggers, reset_script),
		cmocka_unit_test_setup(test_parse_errors, reset_script),
		cmocka_unit_test_setup(test_time_triggers_fire_in_order, reset_script),
		cmocka_unit_test_setup(test_during_fires_inside_the_operation, reset_script),
		cmocka_unit_test_setup(test_counts_run_before_the_step_is_armed, reset_script),
		cmocka_unit_test_setup(test_after_op_fires_at_completion, reset_script),
		cmocka_unit_test_setup(test_mass_erase_counts_banks, reset_script),
		cmocka_unit_test_setup(test_due_and_session_due, reset_script),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
