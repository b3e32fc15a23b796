/*
 * Chip families behind chip.h.  sim_chip_create() (chip.c) picks the family
 * from the scenario's `part` and every other chip.h call goes through the
 * family's operations.
 *
 * How a family plugs in: its chip structure starts with a
 * `const sim_chip_family *family` member, set by its create function before
 * the chip is handed out as a `sim_chip *`.  chip.c reads that first member
 * (a pointer to a structure, converted, points to its first member: C11
 * 6.7.2.1p15) and never looks further.  `struct sim_chip` itself is the H7
 * family's structure (chip_h7_internal.h), which the H7 tests use directly;
 * the H5 family's is `struct h5_chip` (chip_h5_internal.h).
 */
#ifndef STM32SIM_CHIP_FAMILY_H
#define STM32SIM_CHIP_FAMILY_H

#include <stdbool.h>
#include <stddef.h>

#include "chip.h"
#include "scenario.h"

typedef struct sim_chip_family {
	const char *name; /* "stm32h7", "stm32h5" */
	void (*destroy)(sim_chip *chip);
	void (*jtag_clock)(sim_chip *chip, bool tck, bool tms, bool tdi);
	bool (*jtag_tdo)(sim_chip *chip);
	void (*set_reset_lines)(sim_chip *chip, bool trst_asserted, bool srst_asserted);
	void (*poll)(sim_chip *chip);
	void (*session_start)(sim_chip *chip);
	void (*session_end)(sim_chip *chip);
	bool (*wants_disconnect)(sim_chip *chip);
	int (*write_state)(sim_chip *chip, const char *path, char *err, size_t errlen);
} sim_chip_family;

/* The family of a chip made by any family's create function. */
static inline const sim_chip_family *sim_chip_family_of(sim_chip *chip)
{
	return *(const sim_chip_family *const *)(void *)chip;
}

/* Family constructors, as sim_chip_create() (they read "part" themselves). */
sim_chip *chip_h7_create(scenario *sc, char *err, size_t errlen);
sim_chip *chip_h5_create(scenario *sc, char *err, size_t errlen);
/* Comma-separated part names of the H5 family, for "unknown part" messages. */
void chip_h5_part_list(char *buf, size_t len);

#endif
