/*
 * The simulated STM32H5: power and reset logic, the JTAG pins, probe
 * sessions, simulated time and operator actions (chip.h, through the family
 * operations at the end of this file).  Building a chip from a scenario is
 * in chip_h5_build.c, what the core runs in chip_h5_cpu.c.
 *
 * Resets:
 *  - power-on (start, operator power cycle): everything, the debug logic
 *    (DP, DHCSR, DEMCR), DBGMCU, the DA mailbox and SRAM content included;
 *  - system reset (NRST, SYSRESETREQ, and the reset the flash block asks for
 *    when a PRODUCT_STATE change or a regression completes: flash_h5.h):
 *    core, flash controller (an operation in progress is interrupted, the
 *    option bytes load at the end), RCC, PWR, the SRAMs OPTSR2 says
 *    (chip_h5_mem.c), the ROM's DA session; the debug logic, DBGMCU and the
 *    mailbox registers are kept.  While NRST is held the core stays in
 *    reset; on release the boot ROM runs (chip_h5_cpu.c).
 *
 * Time: every access brings the chip to the current simulated time: the
 * core's script, the flash block's operations, the DA device's ROM (which
 * answers the mailbox on its own schedule, so sim_chip_poll() alone keeps a
 * session progressing while the probe only polls), then whatever those
 * finished (a DA Resume boot, a reset request).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chip_h5.h"
#include "chip_h5_internal.h"

#define DEFAULT_OFF_US 200000u

/* ------------------------------------------------------------ time -- */

static void advance_to(h5_chip *chip, sim_time_us t)
{
	if (t < chip->now)
		t = chip->now;
	chip->now = t;
	h5_cpu_run_until(chip, t);
	if (!chip->powered)
		return;
	flash_h5_update(chip->flash, t);
	da_device_update(chip->da, t);
	if (da_device_take_resume(chip->da))
		h5_cpu_da_resume(chip);
	/* Reading the request clears it; with NRST held the reset is already under way. */
	if (flash_h5_take_reset_request(chip->flash) && !chip->srst) {
		sim_log_info("chip: reset requested by the flash block (product state changed or regression done)");
		h5_system_reset_assert(chip);
		h5_system_reset_release(chip);
	}
}

static sim_time_us next_event(const h5_chip *chip)
{
	sim_time_us t = op_script_next_time(&chip->ops, chip->srst, chip->srst_since);

	if (chip->power_on_pending && chip->power_on_at < t)
		t = chip->power_on_at;
	/* An operator step waits for a flash event: stop at every operation boundary so that none is missed. */
	if (chip->powered && op_script_wants_flash_events(&chip->ops) && flash_h5_next_change(chip->flash) < t)
		t = flash_h5_next_change(chip->flash);
	return t;
}

static void operator_fire_due(h5_chip *chip, sim_time_us t);

/* Bring everything to the current simulated time, firing timed events in order on the way. */
void h5_sync(h5_chip *chip)
{
	sim_time_us now = sim_now_us();

	for (;;) {
		sim_time_us t = next_event(chip);

		if (t > now)
			break;
		advance_to(chip, t);
		if (chip->power_on_pending && chip->power_on_at <= t) {
			chip->power_on_pending = false;
			h5_power_on(chip);
		}
		operator_fire_due(chip, t);
	}
	advance_to(chip, now);
}

/* ------------------------------------------------------ power/reset -- */

bool h5_debug_alive(const h5_chip *chip)
{
	return chip->powered && !chip->core.pins_gpio;
}

const char *h5_debug_dead_reason(const h5_chip *chip)
{
	if (!chip->powered)
		return "unpowered";
	if (chip->core.pins_gpio)
		return "pins-remapped-to-gpio";
	return "";
}

void h5_system_reset_assert(h5_chip *chip)
{
	chip->system_resets++;
	/* Interrupts an erase, a program, an option change, at the chip's time (an operator fault's instant). */
	flash_h5_system_reset_at(chip->flash, chip->now);
	da_device_reset_assert(chip->da);
	h5_mem_system_reset(chip);
	h5_cpu_reset_enter(chip);
}

void h5_system_reset_release(h5_chip *chip)
{
	flash_h5_system_reset_at(chip->flash, chip->now); /* the option bytes load */
	h5_cpu_reset_release(chip);
}

void h5_power_off(h5_chip *chip)
{
	if (!chip->powered)
		return;
	sim_log_info("chip: power off");
	flash_h5_system_reset_at(chip->flash, chip->now);
	da_device_reset_assert(chip->da);
	h5_cpu_reset_enter(chip);
	chip->powered = false;
}

void h5_power_on(h5_chip *chip)
{
	if (chip->ever_powered)
		chip->power_cycles++;
	chip->ever_powered = true;
	sim_log_info("chip: power on%s, BOOT0 = %d", chip->srst ? " with NRST held" : "", chip->boot0);
	chip->powered = true;
	chip->ap1_closed_until = 0;
	jtag_chain_reset(&chip->chain);
	jtag_dp_reset(&chip->dp);
	sim_mem_ap_reset(&chip->ap0);
	sim_mem_ap_reset(&chip->ap1);
	dbgmcu_h5_power_on(&chip->dbgmcu);
	da_device_power_on(chip->da);
	flash_h5_power_on(chip->flash);
	flash_h5_set_listener(chip->flash, h5_operator_flash_event, chip);
	h5_mem_power_on(chip);
	h5_cpu_power_on(chip);
	if (!chip->srst)
		h5_system_reset_release(chip);
}

/* --------------------------------------------------------- operator -- */

/*
 * The board pulls NRST for a moment (a supervisor glitch, a tapped reset
 * button): exactly what a probe-driven NRST assert and release at this
 * instant does.  If the probe holds SRST the system is already in reset.
 */
static void srst_pulse(h5_chip *chip)
{
	if (!chip->powered || chip->srst) {
		sim_log_info("operator: NRST pulse has no effect (%s)",
			     chip->srst ? "the probe holds SRST" : "unpowered");
		return;
	}
	sim_log_info("chip: NRST pulsed by the board");
	h5_system_reset_assert(chip);
	h5_system_reset_release(chip);
}

/* The flash block's listener: counts events for `during` / `after_op` steps (op_script.h). */
void h5_operator_flash_event(void *ctx, sim_flash_event ev, sim_flash_phase phase, sim_time_us start,
			     sim_time_us end)
{
	h5_chip *chip = ctx;

	op_script_flash_event(&chip->ops, ev, phase, start, end);
}

static void board_power_off(void *chip)
{
	h5_power_off(chip);
}

static void board_power_on(void *chip)
{
	h5_power_on(chip);
}

static void board_srst_pulse(void *chip)
{
	srst_pulse(chip);
}

static void run_actions(h5_chip *chip, const op_step *st, sim_time_us t)
{
	const op_board board = { chip, board_power_off, board_power_on, board_srst_pulse, &chip->powered,
				 &chip->power_on_pending, &chip->power_on_at, &chip->boot0, &chip->wants_disconnect };

	op_script_run(&chip->ops, st, t, &board);
}

static void operator_fire_due(h5_chip *chip, sim_time_us t)
{
	const op_step *st = op_script_due(&chip->ops, chip->srst, chip->srst_since, t);

	if (st)
		run_actions(chip, st, t);
}

void h5_operator_session(h5_chip *chip)
{
	const op_step *st = op_script_session_due(&chip->ops, chip->sessions);

	if (st)
		run_actions(chip, st, chip->now);
}

/* ------------------------------------------------------------- pins -- */

static void h5_jtag_clock(sim_chip *c, bool tck, bool tms, bool tdi)
{
	h5_chip *chip = h5_of(c);

	if (tck && !chip->chain.tck && !jtag_chain_shifting(&chip->chain))
		h5_sync(chip);
	if (!h5_debug_alive(chip) || chip->trst) {
		chip->chain.tck = tck; /* the TAP sees no clock: unpowered, GPIO, or TRST held */
		return;
	}
	jtag_chain_clock(&chip->chain, tck, tms, tdi);
}

static bool h5_jtag_tdo(sim_chip *c)
{
	h5_chip *chip = h5_of(c);

	/* A dead port does not drive TDO: the probe's pull-up reads 1. */
	return h5_debug_alive(chip) ? jtag_chain_tdo(&chip->chain) : true;
}

static void h5_set_reset_lines(sim_chip *c, bool trst_asserted, bool srst_asserted)
{
	h5_chip *chip = h5_of(c);

	h5_sync(chip);
	if (trst_asserted && !chip->trst && h5_debug_alive(chip))
		jtag_chain_reset(&chip->chain);
	chip->trst = trst_asserted;
	if (srst_asserted == chip->srst)
		return;
	chip->srst = srst_asserted;
	if (srst_asserted)
		chip->srst_since = chip->now;
	if (!chip->powered)
		return;
	if (srst_asserted) {
		sim_log_info("chip: NRST asserted");
		h5_system_reset_assert(chip);
	} else {
		sim_log_info("chip: NRST released");
		h5_system_reset_release(chip);
	}
}

static void h5_poll(sim_chip *c)
{
	h5_sync(h5_of(c));
}

static void h5_session_start(sim_chip *c)
{
	h5_chip *chip = h5_of(c);

	h5_sync(chip);
	chip->sessions++;
	sim_log_info("chip: probe session %u starts", chip->sessions);
	h5_operator_session(chip);
}

static void h5_session_end(sim_chip *c)
{
	h5_chip *chip = h5_of(c);

	h5_sync(chip);
	chip->wants_disconnect = false;
	sim_log_info("chip: probe session %u ends", chip->sessions);
}

static bool h5_wants_disconnect(sim_chip *c)
{
	return h5_of(c)->wants_disconnect;
}

const sim_chip_family chip_h5_family = {
	.name = "stm32h5",
	.destroy = chip_h5_destroy,
	.jtag_clock = h5_jtag_clock,
	.jtag_tdo = h5_jtag_tdo,
	.set_reset_lines = h5_set_reset_lines,
	.poll = h5_poll,
	.session_start = h5_session_start,
	.session_end = h5_session_end,
	.wants_disconnect = h5_wants_disconnect,
	.write_state = chip_h5_write_state,
};

/* ------------------------------------------------------ test access -- */

sim_bus chip_h5_ap_bus(sim_chip *chip, unsigned ap)
{
	h5_chip *c = h5_of(chip);

	if (ap == 0)
		return (sim_bus){ .read = dbgmcu_h5_apb_read, .write = dbgmcu_h5_apb_write, .ctx = &c->dbgmcu };
	return h5_ap1_bus(c);
}

sim_mem_ap *chip_h5_mem_ap(sim_chip *chip, unsigned ap)
{
	h5_chip *c = h5_of(chip);

	switch (ap) {
	case 0: return &c->ap0;
	case 1: return &c->ap1;
	default: return NULL;
	}
}

void chip_h5_sync(sim_chip *chip)
{
	h5_sync(h5_of(chip));
}

const char *chip_h5_core_state(sim_chip *chip)
{
	return h5_core_state(h5_of(chip));
}

const char *chip_h5_firmware(sim_chip *chip)
{
	return h5_firmware_name(h5_of(chip));
}

bool chip_h5_debug_alive(sim_chip *chip)
{
	return h5_debug_alive(h5_of(chip));
}

bool chip_h5_ap1_enabled(sim_chip *chip)
{
	return h5_ap1_open(h5_of(chip));
}

const cortexm_dbg *chip_h5_dbg(sim_chip *chip)
{
	return &h5_of(chip)->dbg;
}

flash_h5 *chip_h5_flash(sim_chip *chip)
{
	return h5_of(chip)->flash;
}

da_device *chip_h5_da(sim_chip *chip)
{
	return h5_of(chip)->da;
}

uint64_t chip_h5_system_resets(sim_chip *chip)
{
	return h5_of(chip)->system_resets;
}
