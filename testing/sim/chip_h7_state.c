/*
 * The state JSON (documented in testing/README.md): what a test asserts on
 * after OpenOCD has done its work.  Written atomically: a temporary file in
 * the same directory, then rename(2), so a reader never sees half a file.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "chip_h7.h"
#include "chip_h7_internal.h"

static void write_counters(sim_chip *chip, json_out *j)
{
	const core_h7 *core = &chip->cpu[H7_CM7].core;

	json_begin_object(j, "counters");
	json_uint(j, "tck", chip->chain.tck_cycles);
	json_uint(j, "dr_scans", chip->chain.dr_scans);
	json_uint(j, "ir_scans", chip->chain.ir_scans);
	json_uint(j, "ap_transactions", chip->dp.ap_transactions);
	json_uint(j, "ap_faults", chip->dp.ap_faults);
	json_uint(j, "mem_ap_words", chip->cpu[H7_CM7].ap.words_transferred + chip->ap1.words_transferred +
		  chip->ap2.words_transferred + chip->cpu[H7_CM4].ap.words_transferred);
	json_uint(j, "fw_instructions_before_halt", core->before_halt);
	json_uint(j, "fw_instructions_total", core->total);
	json_uint(j, "system_resets", chip->system_resets);
	json_uint(j, "power_cycles", chip->power_cycles);
	json_uint(j, "guest_errors", sim_log_guest_error_count());
	json_uint(j, "unimplemented", sim_log_unimplemented_count());
	json_uint(j, "flash_busy_us", flash_h7_busy_total_us(chip->flash));
	json_uint(j, "sessions", chip->sessions);
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
	json_uint(j, "boot0", chip->boot0 ? 1 : 0);
	json_bool(j, "powered", chip->powered);
	json_bool(j, "srst_asserted", chip->srst);
	json_string(j, "debug_port", chip_debug_alive(chip) ? "alive" : "dead");
	json_string(j, "debug_port_why", chip_debug_dead_reason(chip));
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

int chip_h7_write_state(sim_chip *chip, const char *path, char *err, size_t errlen)
{
	char tmp[4096];
	json_out j;
	FILE *f;

	chip_sync(chip);
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		snprintf(err, errlen, "sim_chip_write_state: path too long");
		return -1;
	}
	f = fopen(tmp, "w");
	if (!f) {
		snprintf(err, errlen, "sim_chip_write_state: fopen %s: %s", tmp, strerror(errno));
		return -1;
	}
	json_init(&j, f);
	chip_write_json(chip, &j);
	json_finish(&j);
	if (ferror(f) | (fclose(f) != 0)) {
		snprintf(err, errlen, "sim_chip_write_state: writing %s failed", tmp);
		remove(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		snprintf(err, errlen, "sim_chip_write_state: rename %s -> %s: %s", tmp, path, strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}
