/*
 * Scenario helpers shared by the flash blocks (flash_scenario_common.h).
 */
#include "flash_scenario_common.h"

/* splitmix64: small, well mixed, and fixed here so that a seed stays reproducible. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t x = (*state += 0x9e3779b97f4a7c15ull);

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

void flash_scenario_random_bytes(uint32_t seed, uint8_t *buf, uint32_t len)
{
	uint64_t state = seed, r = 0;

	for (uint32_t i = 0; i < len; i++) {
		if (i % 8 == 0)
			r = next_random(&state);
		buf[i] = (uint8_t)(r >> (8 * (i % 8)));
	}
}
