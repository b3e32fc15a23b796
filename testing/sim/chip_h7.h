/*
 * STM32H7 chip: access for unit tests and tools beyond chip.h.  A test
 * drives the chip through the buses its MEM-APs master (no JTAG needed) and
 * observes what a bench would: core state, debug port, counters.
 */
#ifndef STM32SIM_CHIP_H7_H
#define STM32SIM_CHIP_H7_H

#include <stdbool.h>

#include "ap.h"
#include "bus.h"
#include "chip.h"
#include "core_h7.h"
#include "flash_h7.h"

/* The bus behind AP0 (M7 AHB-AP), AP1 (D3 AHB-AP), AP2 (APB-D) or AP3 (M4 AHB-AP, dual core). */
sim_bus chip_h7_ap_bus(sim_chip *chip, unsigned ap);
/* The access port itself as the DP sees it (0..3); NULL when the part has none there. */
sim_ap *chip_h7_ap(sim_chip *chip, unsigned ap);
/* Bring the chip to the current simulated time (what any pin activity does). */
void chip_h7_sync(sim_chip *chip);
/*
 * The Cortex-M7: "unpowered", "locked-out", "clock-gated", "in-reset",
 * "running", "sleeping", "stop", "standby", "lockup", "halted".
 */
const char *chip_h7_core_state(sim_chip *chip);
/* The Cortex-M4 of a dual-core part, the same names; "absent" on single-core parts. */
const char *chip_h7_cm4_state(sim_chip *chip);
bool chip_h7_debug_alive(sim_chip *chip);
const core_h7 *chip_h7_core(sim_chip *chip);
/* NULL on single-core parts. */
const core_h7 *chip_h7_cm4_core(sim_chip *chip);
flash_h7 *chip_h7_flash(sim_chip *chip);

#endif
