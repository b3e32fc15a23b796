/*
 * The simulated STM32H7: power and reset logic, the JTAG pins, probe
 * sessions and simulated time (chip.h, through the family operations at
 * the end of this file).  Building a chip from a scenario is
 * in chip_h7_build.c, the cores in chip_h7_cpu.c.
 *
 * JTAG chain (facts A.1), nearest TDO first: the SWJ-DP's JTAG-DP (IDCODE
 * 0x6BA00477, IR 4), then the boundary-scan TAP (IR 5, IDCODE 0x06<DEV_ID>041,
 * UNCONFIRMED by ST; only IDCODE 0b00001 and BYPASS are implemented).
 *
 * Resets:
 *  - power-on (start, operator power cycle): everything, including the
 *    debug logic (DP, DHCSR, DEMCR), DBGMCU, PWR_CR3 and its lock, SRAM
 *    content, the "debugger connected since power-on" flag;
 *  - system reset (NRST, SYSRESETREQ): core, flash controller, PWR (not
 *    CR3), RCC, SYSCFG; the debug logic, DBGMCU and SRAM are kept.  While
 *    NRST is held the core stays in reset; on release the option bytes load,
 *    the core fetches its vectors and S_RESET_ST is set.
 *  - supply lockout: a wrong PWR_CR3 write took VCORE away.  The core stops,
 *    the debug port is dead (TDO stuck at 1) and NRST does nothing, until
 *    the power goes off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chip_h7.h"
#include "chip_h7_internal.h"

/* ------------------------------------------------------------ time -- */

static void advance_to(sim_chip *chip, sim_time_us t)
{
	if (t < chip->now)
		t = chip->now;
	chip->now = t;
	flash_h7_pin_time(chip->flash, t);
	chip_cpus_run_until(chip, t, chip->powered && !chip->supply_lockout);
	flash_h7_pin_time(chip->flash, 0);
	flash_h7_update(chip->flash, t);
}

static sim_time_us next_event(const sim_chip *chip)
{
	sim_time_us t = chip_operator_next_time(chip);

	if (chip->power_on_pending && chip->power_on_at < t)
		t = chip->power_on_at;
	/* An operator step waits for a flash event: stop at every operation boundary so that none is missed. */
	if (op_script_wants_flash_events(&chip->ops) && flash_h7_next_change(chip->flash) < t)
		t = flash_h7_next_change(chip->flash);
	return t;
}

/* Bring everything to the current simulated time, firing timed events in order on the way. */
void chip_sync(sim_chip *chip)
{
	sim_time_us now = sim_now_us();

	for (;;) {
		sim_time_us t = next_event(chip);

		if (t > now)
			break;
		advance_to(chip, t);
		if (chip->power_on_pending && chip->power_on_at <= t) {
			chip->power_on_pending = false;
			chip_power_on(chip);
		}
		chip_operator_fire_due(chip, t);
	}
	advance_to(chip, now);
}

/* ------------------------------------------------------ power/reset -- */

bool chip_debug_alive(const sim_chip *chip)
{
	return chip->powered && !chip->supply_lockout && !chip_cpu_pins_gpio(chip);
}

const char *chip_debug_dead_reason(const sim_chip *chip)
{
	if (!chip->powered)
		return "unpowered";
	if (chip->supply_lockout)
		return "supply-lockout";
	if (chip_cpu_pins_gpio(chip))
		return "pins-remapped-to-gpio";
	return "";
}

void chip_update_intrusion(sim_chip *chip)
{
	flash_h7_set_intrusion(chip->flash, chip->debugger_seen || chip->booted_non_flash);
}

/* Reset sequence end: option bytes load, boot addresses chosen by BOOT0, vector fetches. */
void chip_system_reset_release(sim_chip *chip)
{
	flash_h7_system_reset_at(chip->flash, chip->now);
	chip_cpus_reset_release(chip);
}

void chip_system_reset_assert(sim_chip *chip)
{
	chip->system_resets++;
	/* Interrupts a running erase/program/option change, at the chip's time (an operator fault's instant). */
	flash_h7_system_reset_at(chip->flash, chip->now);
	pwr_h7_system_reset(&chip->pwr);
	chip_sysctl_reset(chip);
	chip_cpus_reset_enter(chip);
}

void chip_power_off(sim_chip *chip)
{
	if (!chip->powered)
		return;
	sim_log_info("chip: power off");
	flash_h7_system_reset_at(chip->flash, chip->now);
	chip_cpus_reset_enter(chip);
	chip->powered = false;
	chip->supply_lockout = false; /* VCORE is gone anyway; the next power-on starts clean */
}

void chip_power_on(sim_chip *chip)
{
	if (chip->ever_powered)
		chip->power_cycles++;
	chip->ever_powered = true;
	sim_log_info("chip: power on%s, BOOT0 = %d", chip->srst ? " with NRST held" : "", chip->boot0);
	chip->powered = true;
	chip->supply_lockout = false;
	chip->debugger_seen = false;
	chip->booted_non_flash = false;
	jtag_chain_reset(&chip->chain);
	jtag_dp_reset(&chip->dp);
	for (unsigned i = 0; i < H7_CPU_COUNT; i++)
		sim_mem_ap_reset(&chip->cpu[i].ap);
	sim_mem_ap_reset(&chip->ap1);
	sim_mem_ap_reset(&chip->ap2);
	dbgmcu_power_on(&chip->dbgmcu);
	apbd_power_on(&chip->apbd);
	pwr_h7_power_on(&chip->pwr);
	flash_h7_power_on(chip->flash);
	flash_h7_set_listener(chip->flash, chip_operator_flash_event, chip);
	chip_mem_power_on(chip);
	chip_sysctl_reset(chip);
	chip_cpus_power_on(chip);
	chip_update_intrusion(chip);
	if (!chip->srst)
		chip_system_reset_release(chip);
}

/* ------------------------------------------------------------- pins -- */

static void chip_h7_jtag_clock(sim_chip *chip, bool tck, bool tms, bool tdi)
{
	if (tck && !chip->chain.tck && !jtag_chain_shifting(&chip->chain))
		chip_sync(chip);
	if (!chip_debug_alive(chip) || chip->trst) {
		chip->chain.tck = tck; /* the TAP sees no clock: pins unpowered, GPIO, or TRST held */
		return;
	}
	jtag_chain_clock(&chip->chain, tck, tms, tdi);
}

static bool chip_h7_jtag_tdo(sim_chip *chip)
{
	/* A dead port does not drive TDO: the probe's pull-up reads 1. */
	return chip_debug_alive(chip) ? jtag_chain_tdo(&chip->chain) : true;
}

static void chip_h7_set_reset_lines(sim_chip *chip, bool trst_asserted, bool srst_asserted)
{
	chip_sync(chip);
	if (trst_asserted && !chip->trst && chip_debug_alive(chip))
		jtag_chain_reset(&chip->chain);
	chip->trst = trst_asserted;
	if (srst_asserted == chip->srst)
		return;
	chip->srst = srst_asserted;
	if (srst_asserted)
		chip->srst_since = chip->now;
	/* With VCORE lost (supply lockout) NRST reaches nothing that could help. */
	if (!chip->powered || chip->supply_lockout)
		return;
	if (srst_asserted) {
		sim_log_info("chip: NRST asserted");
		chip_system_reset_assert(chip);
	} else {
		sim_log_info("chip: NRST released");
		chip_system_reset_release(chip);
	}
}

static void chip_h7_poll(sim_chip *chip)
{
	chip_sync(chip);
}

static void chip_h7_session_start(sim_chip *chip)
{
	chip_sync(chip);
	chip->sessions++;
	sim_log_info("chip: probe session %u starts", chip->sessions);
	chip_operator_session(chip);
}

static void chip_h7_session_end(sim_chip *chip)
{
	chip_sync(chip);
	chip->wants_disconnect = false;
	sim_log_info("chip: probe session %u ends", chip->sessions);
}

static bool chip_h7_wants_disconnect(sim_chip *chip)
{
	return chip->wants_disconnect;
}

const sim_chip_family chip_h7_family = {
	.name = "stm32h7",
	.destroy = chip_h7_destroy,
	.jtag_clock = chip_h7_jtag_clock,
	.jtag_tdo = chip_h7_jtag_tdo,
	.set_reset_lines = chip_h7_set_reset_lines,
	.poll = chip_h7_poll,
	.session_start = chip_h7_session_start,
	.session_end = chip_h7_session_end,
	.wants_disconnect = chip_h7_wants_disconnect,
	.write_state = chip_h7_write_state,
};

/* ------------------------------------------------------ test access -- */

sim_bus chip_h7_ap_bus(sim_chip *chip, unsigned ap)
{
	return chip_ap_bus(chip, ap);
}

sim_ap *chip_h7_ap(sim_chip *chip, unsigned ap)
{
	switch (ap) {
	case 0: return &chip->cpu[H7_CM7].ap.ap;
	case 1: return chip->part->line->has_ap1 ? &chip->ap1.ap : NULL;
	case 2: return &chip->ap2.ap;
	case 3: return chip->part->dual_core ? &chip->cpu[H7_CM4].ap.ap : NULL;
	default: return NULL;
	}
}

void chip_h7_sync(sim_chip *chip)
{
	chip_sync(chip);
}

const char *chip_h7_core_state(sim_chip *chip)
{
	return chip_cpu_state(chip, H7_CM7);
}

const char *chip_h7_cm4_state(sim_chip *chip)
{
	return chip_cpu_state(chip, H7_CM4);
}

bool chip_h7_debug_alive(sim_chip *chip)
{
	return chip_debug_alive(chip);
}

const core_h7 *chip_h7_core(sim_chip *chip)
{
	return &chip->cpu[H7_CM7].core;
}

const core_h7 *chip_h7_cm4_core(sim_chip *chip)
{
	return chip->part->dual_core ? &chip->cpu[H7_CM4].core : NULL;
}

flash_h7 *chip_h7_flash(sim_chip *chip)
{
	return chip->flash;
}
