/*
 * A bus as seen by a MEM-AP (or by the simulated core): byte addresses,
 * accesses of 1, 2 or 4 bytes, naturally aligned.  Values are right-aligned
 * (a byte read returns 0..255); moving data to and from DRW byte lanes is the
 * MEM-AP's job, not the bus's.
 */
#ifndef STM32SIM_BUS_H
#define STM32SIM_BUS_H

#include <stdint.h>

typedef enum sim_bus_result {
	SIM_BUS_OK = 0,
	SIM_BUS_FAULT, /* slave or decode error: the AP transaction fails (STICKYERR) */
} sim_bus_result;

typedef struct sim_bus {
	sim_bus_result (*read)(void *ctx, uint32_t addr, unsigned size, uint32_t *value);
	sim_bus_result (*write)(void *ctx, uint32_t addr, unsigned size, uint32_t value);
	void *ctx;
} sim_bus;

static inline sim_bus_result sim_bus_read(const sim_bus *b, uint32_t addr, unsigned size, uint32_t *v)
{
	return b->read(b->ctx, addr, size, v);
}

static inline sim_bus_result sim_bus_write(const sim_bus *b, uint32_t addr, unsigned size, uint32_t v)
{
	return b->write(b->ctx, addr, size, v);
}

#endif
