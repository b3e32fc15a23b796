/*
 * An ADIv5 access port as seen by the DP: 64 word registers (offset 0x00..0xFC,
 * the DP's SELECT.APBANKSEL supplies bits [7:4], the APACC A[3:2] bits [3:2]).
 * A register access may fault (the DP then sets STICKYERR).  The chip decides,
 * through `enabled`, whether the AP answers at all: a disabled AP (clock gated
 * core, RDP level 2, a closed H5 product state) faults every access, its IDR
 * included, which is what "Failed to read DAP register for AP 0" looks like.
 */
#ifndef STM32SIM_AP_H
#define STM32SIM_AP_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"

typedef struct sim_ap sim_ap;

typedef struct sim_ap_ops {
	sim_bus_result (*read_reg)(sim_ap *ap, uint8_t offset, uint32_t *value);
	sim_bus_result (*write_reg)(sim_ap *ap, uint8_t offset, uint32_t value);
} sim_ap_ops;

struct sim_ap {
	const sim_ap_ops *ops;
	bool (*enabled)(void *chip_ctx); /* NULL: always enabled */
	/*
	 * NULL, or: until which simulated time (us) the AP's last bus write is
	 * still in progress (0: it finished).  A flash write that found the
	 * controller's queue full does not finish until a slot frees; the DP
	 * answers WAIT to every scan meanwhile (jtag_dp.h).
	 */
	uint64_t (*busy_until)(void *chip_ctx);
	void *chip_ctx;
};

#endif
