/*
 * The simulated STM32H7: building it from a scenario, power and reset logic,
 * the JTAG pins, probe sessions and simulated time (chip.h).
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

#define JTAG_DP_IDCODE 0x6BA00477u
#define DPIDR_H7       0x6BA02477u
/*
 * TARGETID: TREVISION 0, TPARTNO 0x4500 (the DEV_ID), designer ST (JEP106
 * 0x20), bit 0 set.  UNCONFIRMED: not in the facts sheet; OpenOCD 0.12 only
 * reads it in multidrop SWD, which the JTAG bench never uses.
 */
#define TARGETID_FMT(dev) (((uint32_t)(dev) << 16) | 0x041u)
#define DLPIDR_H7 0x00000001u /* PROTVSN 1, TINSTANCE 0 */

#define BS_IR_IDCODE 0x01u

/* ------------------------------------------------------------ time -- */

static void advance_to(sim_chip *chip, sim_time_us t)
{
	if (t < chip->now)
		t = chip->now;
	chip->now = t;
	if (chip->powered && !chip->supply_lockout)
		core_h7_run_until(&chip->core, t);
	else
		core_h7_skip_to(&chip->core, t);
	flash_h7_update(chip->flash, t);
}

static sim_time_us next_event(const sim_chip *chip)
{
	sim_time_us t = chip_operator_next_time(chip);

	if (chip->power_on_pending && chip->power_on_at < t)
		t = chip->power_on_at;
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
	return chip->powered && !chip->supply_lockout && !chip->core.pins_gpio;
}

const char *chip_debug_dead_reason(const sim_chip *chip)
{
	if (!chip->powered)
		return "unpowered";
	if (chip->supply_lockout)
		return "supply-lockout";
	if (chip->core.pins_gpio)
		return "pins-remapped-to-gpio";
	return "";
}

void chip_update_intrusion(sim_chip *chip)
{
	flash_h7_set_intrusion(chip->flash, chip->debugger_seen || chip->booted_non_flash);
}

/* Reset sequence end: option bytes load, boot address chosen by BOOT0, vector fetch. */
static void release_reset(sim_chip *chip)
{
	uint32_t boot;

	flash_h7_system_reset(chip->flash);
	boot = flash_h7_boot_address(chip->flash, 0, chip->boot0);
	if (!flash_h7_is_mem(chip->flash, boot))
		chip->booted_non_flash = true; /* RDP level 1: boot from RAM/system memory is an intrusion */
	chip_update_intrusion(chip);
	core_h7_reset_release(&chip->core, boot, chip_is_system_memory(boot), chip->now);
}

static void system_reset_assert(sim_chip *chip)
{
	chip->system_resets++;
	flash_h7_system_reset(chip->flash); /* interrupts a running erase/program/option change */
	pwr_h7_system_reset(&chip->pwr);
	chip_bus_system_reset(chip);
	core_h7_reset_enter(&chip->core);
}

void chip_power_off(sim_chip *chip)
{
	if (!chip->powered)
		return;
	sim_log_info("chip: power off");
	flash_h7_system_reset(chip->flash);
	core_h7_reset_enter(&chip->core);
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
	sim_mem_ap_reset(&chip->ap0);
	sim_mem_ap_reset(&chip->ap1);
	sim_mem_ap_reset(&chip->ap2);
	dbgmcu_power_on(&chip->dbgmcu);
	apbd_power_on(&chip->apbd);
	pwr_h7_power_on(&chip->pwr);
	flash_h7_power_on(chip->flash);
	chip_bus_power_on(chip);
	cortexm_dbg_power_on(&chip->dbg);
	core_h7_reset_enter(&chip->core);
	core_h7_skip_to(&chip->core, chip->now);
	chip_update_intrusion(chip);
	if (!chip->srst)
		release_reset(chip);
}

/* ------------------------------------------------------------ hooks -- */

static void hook_sysresetreq(void *ctx)
{
	sim_chip *chip = ctx;

	sim_log_info("chip: SYSRESETREQ");
	if (chip->srst)
		return; /* NRST already holds the system in reset */
	system_reset_assert(chip);
	release_reset(chip);
}

static void hook_vectreset(void *ctx)
{
	sim_chip *chip = ctx;
	bool pins_gpio = chip->core.pins_gpio;

	/* Core-only reset: peripherals (and the pin muxing) are untouched. */
	core_h7_reset_enter(&chip->core);
	chip->core.pins_gpio = pins_gpio;
	core_h7_reset_release(&chip->core, flash_h7_boot_address(chip->flash, 0, chip->boot0),
			      chip_is_system_memory(flash_h7_boot_address(chip->flash, 0, chip->boot0)), chip->now);
}

static void hook_step(void *ctx)
{
	sim_chip *chip = ctx;

	core_h7_run(&chip->core, 1);
}

static bool hook_domain_up(void *ctx)
{
	const sim_chip *chip = ctx;

	return chip->powered && !chip->supply_lockout;
}

static bool dp_domain_powered(void *ctx)
{
	return chip_debug_alive(ctx);
}

static void dp_powerup_request(void *ctx, bool cdbg, bool csys)
{
	sim_chip *chip = ctx;

	if (cdbg && !chip->debugger_seen) {
		chip->debugger_seen = true;
		chip_update_intrusion(chip);
	}
}

/* RDP level 2 disables debug for good (facts A.3): every AP faults, IDR included. */
static bool ap_enabled(void *ctx)
{
	const sim_chip *chip = ctx;

	return flash_h7_rdp(chip->flash) != 0xCC;
}

static unsigned bs_dr_length(void *ctx, uint32_t ir)
{
	static uint32_t logged; /* one message per instruction */

	if (ir < 32 && !(logged & (1u << ir))) {
		logged |= 1u << ir;
		sim_log_unimplemented("jtag: boundary-scan instruction 0x%02x not modelled, acts as BYPASS",
				      (unsigned)ir);
	}
	return 0;
}

/* ------------------------------------------------------------ build -- */

static void build_debug(sim_chip *chip)
{
	uint16_t dev = chip->part->line->dev_id;
	jtag_dp_config dpc = { JTAG_DP_IDCODE, DPIDR_H7, TARGETID_FMT(dev), DLPIDR_H7 };
	jtag_dp_hooks dph = { dp_domain_powered, dp_powerup_request, chip };
	jtag_tap_desc dp_tap, bs_tap = {
		.name = "bs", .irlen = 5, .idcode = 0x06000041u | ((uint32_t)dev << 12), .ir_capture = 0x01,
		.ir_idcode = BS_IR_IDCODE, .dr_length = bs_dr_length, .ctx = chip,
	};
	/* AP0/AP1 AHB-AP, AP2 APB-AP (facts A.1, C).  AP1 has no ROM table (BASE "not present"; UNCONFIRMED). */
	sim_mem_ap_config ap0 = { 0x84770001u, CM_MCU_ROM_BASE | 3u, 0, 0x7F000000u, 0x03000040u, true };
	sim_mem_ap_config ap1 = { 0x84770001u, 0x00000002u, 0, 0x7F000000u, 0x03000040u, true };
	sim_mem_ap_config ap2 = { 0x54770002u, APBD_ROM_BASE | 3u, 0, 0x80000000u, 0x80000042u, false };

	jtag_chain_init(&chip->chain);
	jtag_dp_init(&chip->dp, &dpc, &dph);
	jtag_dp_tap_desc(&chip->dp, &dp_tap);
	jtag_chain_add(&chip->chain, &dp_tap);
	jtag_chain_add(&chip->chain, &bs_tap);
	sim_mem_ap_init(&chip->ap0, &ap0, chip_ap0_bus(chip));
	sim_mem_ap_init(&chip->ap1, &ap1, chip_ap1_bus(chip));
	sim_mem_ap_init(&chip->ap2, &ap2, (sim_bus){ apbd_read, apbd_write, &chip->apbd });
	sim_mem_ap *aps[3] = { &chip->ap0, &chip->ap1, &chip->ap2 };

	for (unsigned i = 0; i < 3; i++) {
		aps[i]->ap.enabled = ap_enabled;
		aps[i]->ap.chip_ctx = chip;
		jtag_dp_set_ap(&chip->dp, i, &aps[i]->ap);
	}
}

static void build_blocks(sim_chip *chip, pwr_supply board)
{
	cortexm_dbg_config cc = { chip->part->line->cpuid, chip->part->line->dev_id };
	cortexm_dbg_hooks ch = { hook_sysresetreq, hook_vectreset, hook_step, chip };
	core_h7_env env = { chip_core_bus(chip), chip_executable, hook_domain_up, chip };

	cortexm_dbg_init(&chip->dbg, &cc, &ch);
	dbgmcu_init(&chip->dbgmcu, chip->part->line->dev_id, chip->rev_id, chip->part->dual_core);
	apbd_init(&chip->apbd, &chip->dbgmcu);
	pwr_h7_init(&chip->pwr, chip->part->smps, board);
	core_h7_init(&chip->core, &chip->dbg, &env, &chip->script);
	build_debug(chip);
}

static int load_part(sim_chip *chip, scenario *sc, char *err, size_t errlen)
{
	scenario_entry *e = scenario_find(sc, "part"), *r;
	char list[1024];
	const h7_rev *rev;

	h7_part_list(list, sizeof(list));
	if (!e) {
		snprintf(err, errlen, "%s: \"part\" is required; known parts: %s", sc->path, list);
		return -1;
	}
	chip->part = h7_part_find(e->value);
	if (!chip->part) {
		scenario_error(sc, e, err, errlen, "unknown part \"%s\"; known parts: %s", e->value, list);
		return -1;
	}
	if (chip->part->not_modelled) {
		scenario_error(sc, e, err, errlen, "%s: not modelled yet: %s", e->value, chip->part->not_modelled);
		return -1;
	}
	r = scenario_find(sc, "rev");
	rev = h7_rev_find(chip->part->line, r ? r->value : chip->part->line->default_rev);
	if (!rev) {
		scenario_error(sc, r, err, errlen, "unknown revision \"%s\" for DEV_ID 0x%03x", r->value,
			       chip->part->line->dev_id);
		return -1;
	}
	chip->rev_id = rev->rev_id;
	chip->rev_name = rev->name;
	return 0;
}

static int load_pins_and_board(sim_chip *chip, scenario *sc, pwr_supply *board, char *err, size_t errlen)
{
	scenario_entry *e = scenario_find(sc, "boot0");
	uint32_t v;

	if (e) {
		if (scenario_u32(sc, e, &v, err, errlen) != 0)
			return -1;
		if (v > 1) {
			scenario_error(sc, e, err, errlen, "boot0 is 0 or 1");
			return -1;
		}
		chip->boot0 = v;
	}
	*board = chip->part->smps ? PWR_SUPPLY_DIRECT_SMPS : PWR_SUPPLY_LDO;
	e = scenario_find(sc, "board.supply");
	if (e && (pwr_supply_parse(e->value, board) != 0 || !pwr_supply_possible(chip->part->smps, *board))) {
		scenario_error(sc, e, err, errlen, "\"%s\" is not a supply wiring for %s (%s)", e->value,
			       chip->part->name, chip->part->smps ? "ldo, direct_smps, smps_1v8_ldo, smps_2v5_ldo, "
			       "smps_1v8_ext_ldo, smps_2v5_ext_ldo, smps_1v8_ext_bypass, smps_2v5_ext_bypass, bypass"
			       : "an LDO-only part: ldo or bypass");
		return -1;
	}
	for (e = scenario_next(sc, "firmware.step", NULL); e; e = scenario_next(sc, "firmware.step", e)) {
		char why[200];

		if (fw_script_add(&chip->script, e->value, why, sizeof(why)) != 0) {
			scenario_error(sc, e, err, errlen, "%s", why);
			return -1;
		}
	}
	return chip_operator_load(chip, sc, err, errlen);
}

/*
 * The firmware script belongs to the image the scenario put at the (BOOT0 = 0)
 * boot address.  Steps without a runnable image there could never run: refused.
 */
static int record_image(sim_chip *chip, scenario *sc, char *err, size_t errlen)
{
	uint32_t boot = flash_h7_boot_address(chip->flash, 0, false), sp = 0, pc = 0;
	bool ok = flash_h7_is_mem(chip->flash, boot) && flash_h7_mem_read(chip->flash, boot, 4, &sp) == SIM_BUS_OK &&
		  flash_h7_mem_read(chip->flash, boot + 4u, 4, &pc) == SIM_BUS_OK;

	if (ok)
		core_h7_set_image(&chip->core, sp, pc);
	if (chip->script.count > 0 && (!ok || !(pc & 1u) || !chip_executable(chip, pc & ~1u))) {
		snprintf(err, errlen, "%s: firmware.step given, but the flash at the boot address 0x%08x holds no "
			 "runnable vector table (PC 0x%08x): load an image with flash.load", sc->path, (unsigned)boot,
			 (unsigned)pc);
		return -1;
	}
	return 0;
}

sim_chip *sim_chip_create(scenario *sc, char *err, size_t errlen)
{
	sim_chip *chip = calloc(1, sizeof(*chip));
	pwr_supply board;

	if (!chip) {
		snprintf(err, errlen, "sim_chip_create: out of memory");
		return NULL;
	}
	if (load_part(chip, sc, err, errlen) != 0 || load_pins_and_board(chip, sc, &board, err, errlen) != 0)
		goto fail;
	flash_h7_part fp = { chip->part->line->dev_id, chip->part->flash_kib, chip->part->dual_core };

	chip->flash = flash_h7_create(&fp);
	if (!chip->flash) {
		snprintf(err, errlen, "sim_chip_create: flash_h7_create failed for %s", chip->part->name);
		goto fail;
	}
	if (flash_h7_apply_scenario(chip->flash, sc, err, errlen) != 0 || chip_bus_create(chip, err, errlen) != 0)
		goto fail;
	build_blocks(chip, board);
	if (record_image(chip, sc, err, errlen) != 0)
		goto fail;
	chip->now = sim_now_us();
	chip_power_on(chip);
	return chip;
fail:
	sim_chip_destroy(chip);
	return NULL;
}

void sim_chip_destroy(sim_chip *chip)
{
	if (!chip)
		return;
	chip_bus_destroy(chip);
	flash_h7_destroy(chip->flash);
	free(chip);
}

/* ------------------------------------------------------------- pins -- */

void sim_chip_jtag_clock(sim_chip *chip, bool tck, bool tms, bool tdi)
{
	if (tck && !chip->chain.tck)
		chip_sync(chip);
	if (!chip_debug_alive(chip) || chip->trst) {
		chip->chain.tck = tck; /* the TAP sees no clock: pins unpowered, GPIO, or TRST held */
		return;
	}
	jtag_chain_clock(&chip->chain, tck, tms, tdi);
}

bool sim_chip_jtag_tdo(sim_chip *chip)
{
	/* A dead port does not drive TDO: the probe's pull-up reads 1. */
	return chip_debug_alive(chip) ? jtag_chain_tdo(&chip->chain) : true;
}

void sim_chip_set_reset_lines(sim_chip *chip, bool trst_asserted, bool srst_asserted)
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
		system_reset_assert(chip);
	} else {
		sim_log_info("chip: NRST released");
		release_reset(chip);
	}
}

void sim_chip_poll(sim_chip *chip)
{
	chip_sync(chip);
}

void sim_chip_session_start(sim_chip *chip)
{
	chip_sync(chip);
	chip->sessions++;
	sim_log_info("chip: probe session %u starts", chip->sessions);
	chip_operator_session(chip);
}

void sim_chip_session_end(sim_chip *chip)
{
	chip_sync(chip);
	chip->wants_disconnect = false;
	sim_log_info("chip: probe session %u ends", chip->sessions);
}

bool sim_chip_wants_disconnect(sim_chip *chip)
{
	return chip->wants_disconnect;
}

/* ------------------------------------------------------ test access -- */

sim_bus chip_h7_ap_bus(sim_chip *chip, unsigned ap)
{
	if (ap == 0)
		return chip_ap0_bus(chip);
	if (ap == 1)
		return chip_ap1_bus(chip);
	return (sim_bus){ apbd_read, apbd_write, &chip->apbd };
}

sim_ap *chip_h7_ap(sim_chip *chip, unsigned ap)
{
	sim_mem_ap *aps[3] = { &chip->ap0, &chip->ap1, &chip->ap2 };

	return ap < 3 ? &aps[ap]->ap : NULL;
}

void chip_h7_sync(sim_chip *chip)
{
	chip_sync(chip);
}

const char *chip_h7_core_state(sim_chip *chip)
{
	if (!chip->powered)
		return "unpowered";
	if (chip->supply_lockout)
		return "locked-out";
	if (chip->dbg.state == CM_STATE_SLEEPING && chip->core.lp != CORE_LP_NONE)
		return chip->core.lp == CORE_LP_STOP ? "stop" : "standby";
	return cortexm_dbg_state_name(chip->dbg.state);
}

bool chip_h7_debug_alive(sim_chip *chip)
{
	return chip_debug_alive(chip);
}

const core_h7 *chip_h7_core(sim_chip *chip)
{
	return &chip->core;
}

flash_h7 *chip_h7_flash(sim_chip *chip)
{
	return chip->flash;
}
