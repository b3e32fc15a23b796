/*
 * STM32H5 chip: access for unit tests and tools beyond chip.h.  A test
 * drives the chip through the buses its MEM-APs master (no JTAG needed) and
 * observes what a bench would: core state, what runs, the AP1 gate.
 * Every function takes a chip made from an "stm32h5..." part.
 */
#ifndef STM32SIM_CHIP_H5_H
#define STM32SIM_CHIP_H5_H

#include <stdbool.h>
#include <stdint.h>

#include "ap.h"
#include "bus.h"
#include "chip.h"
#include "cortexm_dbg.h"
#include "da_device.h"
#include "flash_h5.h"
#include "mem_ap.h"

/* The bus behind AP0 (system debug APB) or AP1 (the Cortex-M33's AHB-AP, with AP1's security attribute). */
sim_bus chip_h5_ap_bus(sim_chip *chip, unsigned ap);
/* The MEM-AP itself (0 or 1): its sim_ap as the DP sees it, its CSW (AP1: bit 30 HNONSEC). NULL otherwise. */
sim_mem_ap *chip_h5_mem_ap(sim_chip *chip, unsigned ap);
/* Bring the chip to the current simulated time (what any pin activity does). */
void chip_h5_sync(sim_chip *chip);
/* "unpowered", "in-reset", "running", "sleeping", "stop", "standby", "lockup", "halted". */
const char *chip_h5_core_state(sim_chip *chip);
/* What runs: core_h7 program names, "system-bootloader", "boot-rom (provisioning|debug authentication|regression)". */
const char *chip_h5_firmware(sim_chip *chip);
bool chip_h5_debug_alive(sim_chip *chip);
/* AP1 answers at all now (product state, the ROM's closed window after a reset in Provisioning). */
bool chip_h5_ap1_enabled(sim_chip *chip);
const cortexm_dbg *chip_h5_dbg(sim_chip *chip);
flash_h5 *chip_h5_flash(sim_chip *chip);
da_device *chip_h5_da(sim_chip *chip);
uint64_t chip_h5_system_resets(sim_chip *chip);

#endif
