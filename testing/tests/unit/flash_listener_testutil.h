/*
 * A flash listener for unit tests (sim_flash_listener, sim_common.h): records
 * what a flash block reports, in order, so a test can check each event's
 * kind, phase and times.  Include after <cmocka.h>.
 */
#ifndef STM32SIM_FLASH_LISTENER_TESTUTIL_H
#define STM32SIM_FLASH_LISTENER_TESTUTIL_H

#include "sim_common.h"

#define HEARD_MAX 16

typedef struct heard {
	unsigned n;
	struct { sim_flash_event ev; sim_flash_phase phase; sim_time_us start, end; } e[HEARD_MAX];
} heard;

static inline void listen(void *ctx, sim_flash_event ev, sim_flash_phase phase, sim_time_us start,
			  sim_time_us end)
{
	heard *h = ctx;

	assert_true(h->n < HEARD_MAX);
	h->e[h->n].ev = ev;
	h->e[h->n].phase = phase;
	h->e[h->n].start = start;
	h->e[h->n].end = end;
	h->n++;
}

static inline void expect_heard(const heard *h, unsigned i, sim_flash_event ev, sim_flash_phase phase,
				sim_time_us start, sim_time_us end)
{
	assert_true(i < h->n);
	assert_int_equal(h->e[i].ev, ev);
	assert_int_equal(h->e[i].phase, phase);
	assert_int_equal(h->e[i].start, start);
	assert_int_equal(h->e[i].end, end);
}

#endif
