/*
 * Scenario helpers both flash blocks (flash_h7, flash_h5) use for their
 * contents keys.  What a pattern or an address means stays with each block.
 */
#ifndef STM32SIM_FLASH_SCENARIO_COMMON_H
#define STM32SIM_FLASH_SCENARIO_COMMON_H

#include <stdint.h>

/* `random:SEED` fill: the same SEED gives the same bytes on every run and host. */
void flash_scenario_random_bytes(uint32_t seed, uint8_t *buf, uint32_t len);

#endif
