/*
 * The simulated chip as seen by the transport (rbb_server.c) and main.c.
 * Everything family specific (H7, later H5) lives behind this interface.
 *
 * Pins: TCK/TMS/TDI/TDO of the JTAG port, TRST and SRST (NRST) as driven by
 * the probe; active-high `asserted` flags.  Time-driven behaviour (erases
 * finishing, firmware running, an operator power-cycling the board) advances
 * lazily whenever the chip is touched and in sim_chip_poll(), which the
 * server calls at least once per millisecond of wall time.
 */
#ifndef STM32SIM_CHIP_H
#define STM32SIM_CHIP_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario.h"

typedef struct sim_chip sim_chip;

/* Build a chip from a scenario ("part = stm32h743zi" ...).  NULL and a message on error. */
sim_chip *sim_chip_create(scenario *sc, char *err, size_t errlen);
void sim_chip_destroy(sim_chip *chip);

void sim_chip_jtag_clock(sim_chip *chip, bool tck, bool tms, bool tdi);
bool sim_chip_jtag_tdo(sim_chip *chip);
void sim_chip_set_reset_lines(sim_chip *chip, bool trst_asserted, bool srst_asserted);
void sim_chip_poll(sim_chip *chip);

/* A probe connected / disconnected (OpenOCD started or exited). */
void sim_chip_session_start(sim_chip *chip);
void sim_chip_session_end(sim_chip *chip);
/* The chip wants the transport to drop the connection now (fault injection). */
bool sim_chip_wants_disconnect(sim_chip *chip);

/* Write the state JSON atomically (temporary file then rename). 0 on success. */
int sim_chip_write_state(sim_chip *chip, const char *path, char *err, size_t errlen);

#endif
