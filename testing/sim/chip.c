/*
 * chip.h for every family: sim_chip_create() picks the family from the
 * scenario's part name ("stm32h5..." is an STM32H5, anything else goes to
 * the STM32H7 family, which names the part if it does not know it), the
 * other calls dispatch through the family's operations (chip_family.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "chip_family.h"

static bool is_h5_part(const char *name)
{
	return strncasecmp(name, "stm32h5", 7) == 0;
}

/* The H7 family lists its own parts when it refuses a name; add the H5 ones. */
static void add_h5_parts(char *err, size_t errlen)
{
	char list[512];
	size_t used = strlen(err);

	if (!strstr(err, "unknown part") || used + 1 >= errlen)
		return;
	chip_h5_part_list(list, sizeof(list));
	snprintf(err + used, errlen - used, "; STM32H5 parts: %s", list);
}

sim_chip *sim_chip_create(scenario *sc, char *err, size_t errlen)
{
	scenario_entry *part = scenario_find(sc, "part");
	sim_chip *chip;

	if (part && is_h5_part(part->value))
		return chip_h5_create(sc, err, errlen);
	chip = chip_h7_create(sc, err, errlen);
	if (!chip && part)
		add_h5_parts(err, errlen);
	return chip;
}

void sim_chip_destroy(sim_chip *chip)
{
	if (chip)
		sim_chip_family_of(chip)->destroy(chip);
}

void sim_chip_jtag_clock(sim_chip *chip, bool tck, bool tms, bool tdi)
{
	sim_chip_family_of(chip)->jtag_clock(chip, tck, tms, tdi);
}

bool sim_chip_jtag_tdo(sim_chip *chip)
{
	return sim_chip_family_of(chip)->jtag_tdo(chip);
}

void sim_chip_set_reset_lines(sim_chip *chip, bool trst_asserted, bool srst_asserted)
{
	sim_chip_family_of(chip)->set_reset_lines(chip, trst_asserted, srst_asserted);
}

void sim_chip_poll(sim_chip *chip)
{
	sim_chip_family_of(chip)->poll(chip);
}

void sim_chip_session_start(sim_chip *chip)
{
	sim_chip_family_of(chip)->session_start(chip);
}

void sim_chip_session_end(sim_chip *chip)
{
	sim_chip_family_of(chip)->session_end(chip);
}

bool sim_chip_wants_disconnect(sim_chip *chip)
{
	return sim_chip_family_of(chip)->wants_disconnect(chip);
}

int sim_chip_write_state(sim_chip *chip, const char *path, char *err, size_t errlen)
{
	return sim_chip_family_of(chip)->write_state(chip, path, err, errlen);
}
