/*
 * What the STM32H7 and STM32H5 chips do the same way: the common part of
 * the state JSON, writing it atomically, and the scenario keys every family
 * reads (boot0, firmware.step, operator.step).  Family specific meaning
 * stays in chip_h7*.c and chip_h5*.c.
 */
#ifndef STM32SIM_CHIP_COMMON_H
#define STM32SIM_CHIP_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "core_h7.h"
#include "jtag_dp.h"
#include "jtag_tap.h"
#include "op_script.h"
#include "scenario.h"
#include "sim_common.h"

/* Writes the whole state object of one chip into j. */
typedef void (*chip_json_writer)(void *chip, json_out *j);

/*
 * The state JSON at path, atomically: a temporary file in the same
 * directory, then rename(2), so a reader never sees half a file.  0 on
 * success, else -1 and a message naming the failed call.
 */
int chip_write_state_file(const char *path, chip_json_writer write, void *chip, char *err, size_t errlen);

/* The JTAG and DP counters ("tck" .. "ap_faults") of the "counters" object, and the
 * transport's "round_trips" (rbb_server.h: OpenOCD queue executions that read TDO). */
void chip_json_link_counters(json_out *j, const jtag_chain *chain, const jtag_dp *dp);

/* "boot0", "powered", "srst_asserted", "debug_port", "debug_port_why". */
void chip_json_pins(json_out *j, bool boot0, bool powered, bool srst_asserted, bool debug_alive,
		    const char *dead_reason);

/* boot0 = 0|1; *boot0 untouched when the key is absent. */
int chip_scenario_boot0(scenario *sc, bool *boot0, char *err, size_t errlen);

/* Every firmware.step, then every operator.step, in file order. */
int chip_scenario_scripts(scenario *sc, fw_script *script, op_script *ops, char *err, size_t errlen);

#endif
