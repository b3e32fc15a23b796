/*
 * The STM32H5 state JSON (documented in testing/README.md, "STM32H5"): the
 * H7's top-level shape where it applies, the product state, then the flash
 * block's keys, the DBGMCU, the DA device, the core's debug view, the AP1
 * gate and the SRAM digests.  Written atomically (chip_write_state_file).
 *
 * The flash block's keys (flash_h5_write_json) sit in their own object,
 * "flash_h5": they include a "counters" object of their own, which at the
 * top level would collide with the chip's "counters" (a JSON reader keeps
 * only one of two equal keys).  The headline values, product state and
 * TrustZone, are repeated at the top level.
 */
#include <stdio.h>

#include "chip_common.h"
#include "chip_h5_internal.h"
#include "optbytes_h5.h"

static void write_counters(const h5_chip *chip, json_out *j)
{
	json_begin_object(j, "counters");
	chip_json_link_counters(j, &chip->chain, &chip->dp);
	json_uint(j, "mem_ap_words", chip->ap0.words_transferred + chip->ap1.words_transferred);
	json_uint(j, "fw_instructions_before_halt", chip->core.before_halt);
	json_uint(j, "fw_instructions_total", chip->core.total);
	json_uint(j, "code_instructions", chip->core.code_instructions);
	json_uint(j, "system_resets", chip->system_resets);
	json_uint(j, "power_cycles", chip->power_cycles);
	json_uint(j, "guest_errors", sim_log_guest_error_count());
	json_uint(j, "unimplemented", sim_log_unimplemented_count());
	json_uint(j, "flash_busy_us", flash_h5_busy_total_us(chip->flash));
	json_uint(j, "sessions", chip->sessions);
	json_uint(j, "sram_erases", chip->sram_erases);
	json_uint(j, "operator_steps_fired", chip->ops.next);
	json_end_object(j);
}

static void write_json(const h5_chip *chip, json_out *j)
{
	const char *ps_name = optbytes_h5_ps_name(flash_h5_product_state(chip->flash));
	char hex[16];

	json_begin_object(j, NULL);
	json_string(j, "part", chip->part->name);
	json_string(j, "family", "stm32h5");
	snprintf(hex, sizeof(hex), "0x%03x", chip->part->line->dev_id);
	json_string(j, "dev_id", hex);
	snprintf(hex, sizeof(hex), "0x%04x", chip->rev_id);
	json_string(j, "rev_id", hex);
	json_string(j, "rev", chip->rev_name);
	json_string(j, "core", h5_core_state(chip));
	json_string(j, "firmware", h5_firmware_name(chip));
	chip_json_pins(j, chip->boot0, chip->powered, chip->srst, h5_debug_alive(chip), h5_debug_dead_reason(chip));
	json_uint(j, "time_us", chip->now);
	write_counters(chip, j);
	json_hex8(j, "product_state", flash_h5_product_state(chip->flash));
	json_string(j, "product_state_name", ps_name ? ps_name : "invalid");
	json_bool(j, "tz_enabled", flash_h5_tz_enabled(chip->flash));
	json_begin_object(j, "flash_h5");
	flash_h5_write_json(chip->flash, j);
	json_end_object(j);
	dbgmcu_h5_write_json(&chip->dbgmcu, j);
	da_device_write_json(chip->da, j);
	cortexm_dbg_write_json(&chip->dbg, j);
	json_bool(j, "ap1_enabled", h5_ap1_open(chip));
	json_bool(j, "ap1_secure_allowed", h5_ap1_open(chip) && h5_ap1_secure_allowed(chip));
	h5_mem_write_json(chip, j);
	json_end_object(j);
}

static void write_json_of(void *chip, json_out *j)
{
	write_json(chip, j);
}

int chip_h5_write_state(sim_chip *c, const char *path, char *err, size_t errlen)
{
	h5_chip *chip = h5_of(c);

	h5_sync(chip);
	return chip_write_state_file(path, write_json_of, chip, err, errlen);
}
