/*
 * Fuzz target: the simulator's scenario parser (testing/sim/scenario.c) and
 * every block that reads its keys when sim_chip_create() builds a chip, then
 * the chip's first moments with a debugger: power-on, the firmware and
 * operator scripts running for two simulated seconds, a JTAG reset and IDCODE
 * shift, an SRST pulse, the state JSON.
 *
 * Input: the text of a scenario file.  It is parsed as FUZZ_SCENARIO_DIR/fuzz.scn
 * so that relative image paths resolve as for the checked-in scenarios.
 *
 * Properties besides memory safety: a parsed scenario stays within its
 * documented limits, and a chip that builds writes its state file.
 */
#include <limits.h>
#include <unistd.h>

#include "fuzz_sim.h"

static char scenario_name[PATH_MAX];
static char state_dir[] = "/tmp/stm32unbrick-fuzz-XXXXXX";
static char state_path[sizeof(state_dir) + 16];
static scenario sc;

static void remove_state_dir(void)
{
	unlink(state_path);
	rmdir(state_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	snprintf(scenario_name, sizeof(scenario_name), "%s/fuzz.scn", fuzz_scenario_dir());
	fuzz_require(mkdtemp(state_dir) != NULL, "mkdtemp %s failed", state_dir);
	snprintf(state_path, sizeof(state_path), "%s/state.json", state_dir);
	atexit(remove_state_dir);
	return 0;
}

static void check_limits(void)
{
	fuzz_require(sc.count <= SCENARIO_MAX_ENTRIES, "%zu entries", sc.count);
	for (size_t i = 0; i < sc.count; i++)
		fuzz_require(memchr(sc.entries[i].key, '\0', SCENARIO_KEY_MAX) &&
			     memchr(sc.entries[i].value, '\0', SCENARIO_VALUE_MAX) && sc.entries[i].key[0],
			     "entry %zu (line %d) is not a terminated, non-empty key and value", i, sc.entries[i].line);
}

/* Test-Logic-Reset, then Shift-DR: the IDCODE instruction is selected by the reset. */
static void jtag_idcode(sim_chip *chip)
{
	static const bool to_shift_dr[] = { 1, 1, 1, 1, 1, 0, 1, 0, 0 };

	for (size_t i = 0; i < sizeof(to_shift_dr); i++) {
		sim_chip_jtag_clock(chip, false, to_shift_dr[i], false);
		sim_chip_jtag_clock(chip, true, to_shift_dr[i], false);
	}
	for (int bit = 0; bit < 64; bit++) {
		(void)sim_chip_jtag_tdo(chip);
		sim_chip_jtag_clock(chip, false, bit == 63, false);
		sim_chip_jtag_clock(chip, true, bit == 63, false);
	}
}

static void first_moments(sim_chip *chip)
{
	char err[1024];

	sim_chip_session_start(chip);
	for (int step = 0; step < 20; step++) {
		sim_clock_advance(100000);
		sim_chip_poll(chip);
		if (step == 5)
			jtag_idcode(chip);
		if (step == 8 || step == 9)
			sim_chip_set_reset_lines(chip, false, step == 8);
	}
	fuzz_require(sim_chip_write_state(chip, state_path, err, sizeof(err)) == 0, "state file: %s", err);
	sim_chip_session_end(chip);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[1024];
	char *text = malloc(size + 1);
	sim_chip *chip;

	fuzz_require(text != NULL, "out of memory");
	memcpy(text, data, size);
	text[size] = '\0';
	if (scenario_parse(&sc, text, scenario_name, err, sizeof(err)) == 0) {
		check_limits();
		sim_clock_freeze(0);
		chip = sim_chip_create(&sc, err, sizeof(err));
		if (chip) {
			(void)scenario_first_unused(&sc);
			first_moments(chip);
			sim_chip_destroy(chip);
		}
	}
	free(text);
	return 0;
}
