/*
 * What the STM32H7 and STM32H5 chips do the same way (chip_common.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "chip_common.h"

int chip_write_state_file(const char *path, chip_json_writer write, void *chip, char *err, size_t errlen)
{
	char tmp[4096];
	json_out j;
	FILE *f;

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
	write(chip, &j);
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

/*
 * The transport (rbb_server.c) counts round trips: only it sees OpenOCD's
 * queue brackets.  Weak, because the chip's unit tests link no transport;
 * they then report 0.
 */
extern uint64_t rbb_link_round_trips(void) __attribute__((weak));

void chip_json_link_counters(json_out *j, const jtag_chain *chain, const jtag_dp *dp)
{
	json_uint(j, "tck", chain->tck_cycles);
	json_uint(j, "dr_scans", chain->dr_scans);
	json_uint(j, "ir_scans", chain->ir_scans);
	json_uint(j, "ap_transactions", dp->ap_transactions);
	json_uint(j, "ap_faults", dp->ap_faults);
	json_uint(j, "dp_waits", dp->waits);
	json_uint(j, "round_trips", rbb_link_round_trips ? rbb_link_round_trips() : 0);
}

void chip_json_pins(json_out *j, bool boot0, bool powered, bool srst_asserted, bool debug_alive,
		    const char *dead_reason)
{
	json_uint(j, "boot0", boot0 ? 1 : 0);
	json_bool(j, "powered", powered);
	json_bool(j, "srst_asserted", srst_asserted);
	json_string(j, "debug_port", debug_alive ? "alive" : "dead");
	json_string(j, "debug_port_why", dead_reason);
}

int chip_scenario_boot0(scenario *sc, bool *boot0, char *err, size_t errlen)
{
	scenario_entry *e = scenario_find(sc, "boot0");
	uint32_t v;

	if (!e)
		return 0;
	if (scenario_u32(sc, e, &v, err, errlen) != 0)
		return -1;
	if (v > 1) {
		scenario_error(sc, e, err, errlen, "boot0 is 0 or 1");
		return -1;
	}
	*boot0 = v;
	return 0;
}

int chip_scenario_scripts(scenario *sc, fw_script *script, op_script *ops, char *err, size_t errlen)
{
	scenario_entry *e;
	char why[200];

	for (e = scenario_next(sc, "firmware.step", NULL); e; e = scenario_next(sc, "firmware.step", e)) {
		if (fw_script_add(script, e->value, why, sizeof(why)) != 0) {
			scenario_error(sc, e, err, errlen, "%s", why);
			return -1;
		}
	}
	for (e = scenario_next(sc, "operator.step", NULL); e; e = scenario_next(sc, "operator.step", e)) {
		if (op_script_add(ops, e->value, why, sizeof(why)) != 0) {
			scenario_error(sc, e, err, errlen, "%s", why);
			return -1;
		}
	}
	return 0;
}
