/*
 * What the two simulator fuzz targets share: where the scenario files are
 * (FUZZ_SCENARIO_DIR, set by scripts/fuzz; default testing/scenarios from the
 * top of the tree), so that relative image paths inside scenarios resolve, and
 * where more boards are (FUZZ_BOARD_DIR, default testing/fuzz/boards: STM32H5
 * parts, which testing/scenarios does not have as files).
 * Both targets freeze the simulated clock (sim_clock_freeze) and move it by
 * hand, so an input always replays the same way.
 */
#ifndef STM32UNBRICK_FUZZ_SIM_H
#define STM32UNBRICK_FUZZ_SIM_H

#include "fuzz.h"

#include "chip.h"
#include "scenario.h"
#include "sim_common.h"

static inline const char *fuzz_scenario_dir(void)
{
	const char *dir = getenv("FUZZ_SCENARIO_DIR");

	return dir && *dir ? dir : "testing/scenarios";
}

static inline const char *fuzz_board_dir(void)
{
	const char *dir = getenv("FUZZ_BOARD_DIR");

	return dir && *dir ? dir : "testing/fuzz/boards";
}

#endif
