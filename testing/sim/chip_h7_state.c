/*
 * The state JSON (documented in testing/README.md): what a test asserts on
 * after OpenOCD has done its work.  Written atomically (chip_write_state_file),
 * so a reader never sees half a file.
 */
#include <stdio.h>

#include "chip_common.h"
#include "chip_h7.h"
#include "chip_h7_internal.h"

static void write_counters(sim_chip *chip, json_out *j)
{
	const core_h7 *core = &chip->cpu[H7_CM7].core;

	json_begin_object(j, "counters");
	chip_json_link_counters(j, &chip->chain, &chip->dp);
	json_uint(j, "mem_ap_words", chip->cpu[H7_CM7].ap.words_transferred + chip->ap1.words_transferred +
		  chip->ap2.words_transferred + chip->cpu[H7_CM4].ap.words_transferred);
	json_uint(j, "fw_instructions_before_halt", core->before_halt);
	json_uint(j, "fw_instructions_total", core->total);
	json_uint(j, "code_instructions", chip->cpu[H7_CM7].core.code_instructions +
		  chip->cpu[H7_CM4].core.code_instructions);
	json_uint(j, "system_resets", chip->system_resets);
	json_uint(j, "power_cycles", chip->power_cycles);
	json_uint(j, "guest_errors", sim_log_guest_error_count());
	json_uint(j, "unimplemented", sim_log_unimplemented_count());
	json_uint(j, "flash_busy_us", flash_h7_busy_total_us(chip->flash));
	json_uint(j, "flash_bus_stalls", flash_h7_bus_stalls(chip->flash));
	json_uint(j, "sessions", chip->sessions);
	json_uint(j, "operator_steps_fired", chip->ops.next);
	json_end_object(j);
}

/*
 * After the original keys: the system bootloader, and on dual-core parts the
 * Cortex-M4 (state, what it runs, its debug view) and the clock gates.
 */
static void write_part_extras(sim_chip *chip, json_out *j)
{
	const h7_cpu *m4 = &chip->cpu[H7_CM4];
	char hex[8];

	snprintf(hex, sizeof(hex), "0x%02x", (unsigned)chip->bootloader_id);
	json_string(j, "bootloader_id", hex);
	json_bool(j, "dual_core", chip->part->dual_core);
	if (!chip->part->dual_core)
		return;
	json_string(j, "core_cm4", chip_cpu_state(chip, H7_CM4));
	json_string(j, "firmware_cm4", core_h7_program_name(m4->core.program));
	json_bool(j, "cm7_clock_gated", chip->cpu[H7_CM7].gated);
	json_bool(j, "cm4_clock_gated", m4->gated);
	json_uint(j, "fw_instructions_before_halt_cm4", m4->core.before_halt);
	json_uint(j, "fw_instructions_total_cm4", m4->core.total);
	cortexm_dbg_write_json_as(&m4->dbg, "cortex_m4", j);
}

void chip_write_json(sim_chip *chip, json_out *j)
{
	char hex[16];

	json_begin_object(j, NULL);
	json_string(j, "part", chip->part->name);
	snprintf(hex, sizeof(hex), "0x%03x", chip->part->line->dev_id);
	json_string(j, "dev_id", hex);
	snprintf(hex, sizeof(hex), "0x%04x", chip->rev_id);
	json_string(j, "rev_id", hex);
	json_string(j, "rev", chip->rev_name);
	json_string(j, "core", chip_h7_core_state(chip));
	json_string(j, "firmware", core_h7_program_name(chip->cpu[H7_CM7].core.program));
	chip_json_pins(j, chip->boot0, chip->powered, chip->srst, chip_debug_alive(chip), chip_debug_dead_reason(chip));
	json_bool(j, "debugger_since_power_on", chip->debugger_seen);
	json_uint(j, "time_us", chip->now);
	write_counters(chip, j);
	pwr_h7_write_json(&chip->pwr, j);
	dbgmcu_write_json(&chip->dbgmcu, j);
	cortexm_dbg_write_json(&chip->cpu[H7_CM7].dbg, j);
	flash_h7_write_json(chip->flash, j);
	write_part_extras(chip, j);
	json_end_object(j);
}

static void write_json_of(void *chip, json_out *j)
{
	chip_write_json(chip, j);
}

int chip_h7_write_state(sim_chip *chip, const char *path, char *err, size_t errlen)
{
	chip_sync(chip);
	return chip_write_state_file(path, write_json_of, chip, err, errlen);
}
