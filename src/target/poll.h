/*
 * Bounded waits on a register.  Every wait in the module goes through here so
 * that none can hang and every timeout says which step waited, on which
 * register at which address, for what, and what it read last.
 */
#ifndef STM32UNBRICK_POLL_H
#define STM32UNBRICK_POLL_H

#include <stdbool.h>
#include <stdint.h>

#include "ocd_bridge.h"

typedef struct ub_poll {
	const char *step;      /* e.g. "option-byte change" */
	const char *reg_name;  /* e.g. "FLASH_OPTSR_CUR" */
	ub_ap ap;
	uint32_t addr;
	uint32_t mask;
	uint32_t want;         /* done when (value & mask) == want */
	unsigned timeout_ms;
	unsigned expected_ms;  /* the chip's typical time, for progress lines; 0 if unknown */
	bool expected_is_estimate; /* expected_ms is ours, not a published figure (said so in the line) */
} ub_poll;

/* Every UB_POLL_PROGRESS_MS of a long wait, one line says how long it has
 * waited and how long the step usually takes, so nobody pulls the cable
 * from a chip that is busy erasing. */
#define UB_POLL_PROGRESS_MS 2000u

/* One progress line: "STEP: 4.0 s so far, usually about 9.0 s (gives up after 30 s)".  For waits
 * that do not poll a single register (the DA regression) as well as for ub_poll_until(). */
void ub_poll_say_progress(ocd_bridge *b, const char *step, uint64_t waited_ms, unsigned expected_ms,
			  bool expected_is_estimate, unsigned timeout_ms);

/* Polls with a growing interval (1 ms up to 50 ms).  `last` gets the last value
 * read (may be NULL).  UB_ERR_TIMEOUT, or the read's own error. */
ub_err ub_poll_until(ocd_bridge *b, const ub_poll *p, uint32_t *last);

/* Monotonic milliseconds, for deadlines and step durations. */
uint64_t ub_now_ms(void);

#endif
