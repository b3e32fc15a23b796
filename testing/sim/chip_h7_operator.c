/*
 * Operator actions on the STM32H7: what a person at the bench does, fired by
 * what the debugger does.  The script syntax and which step is armed are
 * op_script.c's; this file applies the actions to the chip.
 *
 * Steps fire once each and in file order: only the first step that has not
 * fired yet is armed.  SRST stays asserted through a power cycle when the
 * probe holds it, which is ST's documented "hold reset while powering up".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chip_h7_internal.h"

sim_time_us chip_operator_next_time(const sim_chip *chip)
{
	return op_script_next_time(&chip->ops, chip->srst, chip->srst_since);
}

/*
 * The board pulls NRST for a moment (a supervisor glitch, a tapped reset
 * button): exactly what a probe-driven NRST assert and release at this
 * instant does.  If the probe holds SRST the system is already in reset and
 * stays there; without VCORE (unpowered, supply lockout) NRST reaches nothing.
 */
static void srst_pulse(sim_chip *chip)
{
	if (!chip->powered || chip->supply_lockout || chip->srst) {
		sim_log_info("operator: NRST pulse has no effect (%s)",
			     chip->srst ? "the probe holds SRST" : "no core supply");
		return;
	}
	sim_log_info("chip: NRST pulsed by the board");
	chip_system_reset_assert(chip);
	chip_system_reset_release(chip);
}

static void board_power_off(void *chip)
{
	chip_power_off(chip);
}

static void board_power_on(void *chip)
{
	chip_power_on(chip);
}

static void board_srst_pulse(void *chip)
{
	srst_pulse(chip);
}

static void run_actions(sim_chip *chip, const op_step *st, sim_time_us t)
{
	const op_board board = { chip, board_power_off, board_power_on, board_srst_pulse, &chip->powered,
				 &chip->power_on_pending, &chip->power_on_at, &chip->boot0, &chip->wants_disconnect };

	op_script_run(&chip->ops, st, t, &board);
}

void chip_operator_fire_due(sim_chip *chip, sim_time_us t)
{
	const op_step *st = op_script_due(&chip->ops, chip->srst, chip->srst_since, t);

	if (st)
		run_actions(chip, st, t);
}

void chip_operator_session(sim_chip *chip)
{
	const op_step *st = op_script_session_due(&chip->ops, chip->sessions);

	if (st)
		run_actions(chip, st, chip->now);
}

void chip_operator_flash_event(void *ctx, sim_flash_event ev, sim_flash_phase phase, sim_time_us start,
			       sim_time_us end)
{
	sim_chip *chip = ctx;

	op_script_flash_event(&chip->ops, ev, phase, start, end);
}
