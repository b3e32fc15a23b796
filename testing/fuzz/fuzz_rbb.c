/*
 * Fuzz target: the simulator's remote_bitbang protocol (testing/sim/rbb_server.c)
 * driving a whole simulated chip: JTAG TAPs, JTAG-DP, MEM-APs, the buses and
 * every block behind them, as OpenOCD's byte stream reaches them.
 *
 * Input: a first line naming the board, one of the scenario files in
 * FUZZ_SCENARIO_DIR or FUZZ_BOARD_DIR ("h743-factory-fresh.scn\n"; a line
 * naming none picks one by a hash of its bytes), then what OpenOCD would send.
 * Every input gets a fresh chip.  Simulated time advances by US_PER_BYTE per
 * byte, roughly OpenOCD's pace at --time-scale 0.01, so erases finish,
 * firmware runs and operators act within one input.
 *
 * Properties besides memory safety: the protocol answers exactly one '0'/'1'
 * per 'R' and consumes everything up to a 'Q'.
 */
#include <dirent.h>

#include "fuzz_sim.h"
#include "rbb_server.h"

#define MAX_BOARDS 128
#define CHUNK 512          /* bytes between sim_chip_poll() calls */
#define US_PER_BYTE 50

#define MAX_NAME 128

static scenario *boards[MAX_BOARDS];
static char board_names[MAX_BOARDS][MAX_NAME];
static size_t n_boards;
static scenario work;      /* the chip may keep pointers into its scenario until destroyed */

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void add_board(const char *dir, const char *name)
{
	char path[512], err[1024];
	scenario *sc = malloc(sizeof(*sc));
	sim_chip *chip;

	fuzz_require(sc != NULL, "out of memory");
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fuzz_require(scenario_load(sc, path, err, sizeof(err)) == 0, "%s", err);
	work = *sc;
	chip = sim_chip_create(&work, err, sizeof(err));
	fuzz_require(chip != NULL, "%s does not build a chip: %s", path, err);
	sim_chip_destroy(chip);
	snprintf(board_names[n_boards], MAX_NAME, "%s", name);
	boards[n_boards++] = sc;
}

/* The board the first line names; *skip gets the length of that line. */
static const scenario *board_of(const uint8_t *data, size_t size, size_t *skip)
{
	const uint8_t *nl = memchr(data, '\n', size < MAX_NAME ? size : MAX_NAME);
	size_t len = nl ? (size_t)(nl - data) : 0;
	unsigned hash = 0;

	*skip = nl ? len + 1 : 0;
	for (size_t i = 0; i < n_boards; i++)
		if (strlen(board_names[i]) == len && memcmp(board_names[i], data, len) == 0)
			return boards[i];
	for (size_t i = 0; i < len; i++)
		hash = hash * 31u + data[i];
	return boards[hash % n_boards];
}

static void add_boards(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, by_name);

	fuzz_require(n >= 0, "cannot list %s (FUZZ_SCENARIO_DIR, FUZZ_BOARD_DIR)", dir);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);

		if (len > 4 && strcmp(names[i]->d_name + len - 4, ".scn") == 0 && n_boards < MAX_BOARDS)
			add_board(dir, names[i]->d_name);
		free(names[i]);
	}
	free(names);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	sim_clock_freeze(0);
	add_boards(fuzz_scenario_dir());
	add_boards(fuzz_board_dir());
	fuzz_require(n_boards > 0, "no *.scn in %s or %s", fuzz_scenario_dir(), fuzz_board_dir());
	return 0;
}

static size_t feed_chunk(rbb_protocol *p, const uint8_t *in, size_t n)
{
	static uint8_t out[CHUNK];
	size_t replies = 0, expected = 0;
	size_t used = rbb_protocol_feed(p, in, n, out, &replies);

	fuzz_require(used <= n && (used == n || p->quit), "stopped after %zu of %zu bytes without a 'Q'", used, n);
	for (size_t i = 0; i < used; i++)
		expected += in[i] == 'R';
	fuzz_require(replies == expected, "%zu replies to %zu 'R'", replies, expected);
	for (size_t i = 0; i < replies; i++)
		fuzz_require(out[i] == '0' || out[i] == '1', "reply byte 0x%02x", out[i]);
	return used;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[1024];
	rbb_protocol p;
	sim_chip *chip;

	size_t off;

	work = *board_of(data, size, &off);
	sim_clock_freeze(0);
	chip = sim_chip_create(&work, err, sizeof(err));
	fuzz_require(chip != NULL, "%s no longer builds: %s", work.path, err);
	rbb_protocol_init(&p, chip);
	sim_chip_session_start(chip);
	while (off < size && !p.quit && !sim_chip_wants_disconnect(chip)) {
		size_t used = feed_chunk(&p, data + off, size - off < CHUNK ? size - off : CHUNK);

		off += used;
		sim_clock_advance((sim_time_us)used * US_PER_BYTE);
		sim_chip_poll(chip);
	}
	sim_chip_session_end(chip);
	sim_chip_destroy(chip);
	return 0;
}
