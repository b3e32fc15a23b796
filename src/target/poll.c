/* Bounded register polling (see poll.h). */
#include "poll.h"

#include <time.h>

uint64_t ub_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void ub_poll_say_progress(ocd_bridge *b, const char *step, uint64_t waited_ms, unsigned expected_ms,
			  bool expected_is_estimate, unsigned timeout_ms)
{
	if (expected_ms)
		ocd_log(b, "%s: %.1f s so far, usually about %.1f s%s (gives up after %.0f s)", step,
			waited_ms / 1000.0, expected_ms / 1000.0, expected_is_estimate ? " (our estimate)" : "",
			timeout_ms / 1000.0);
	else
		ocd_log(b, "%s: %.1f s so far (gives up after %.0f s)", step, waited_ms / 1000.0, timeout_ms / 1000.0);
}

ub_err ub_poll_until(ocd_bridge *b, const ub_poll *p, uint32_t *last)
{
	if (!b || !p || !p->step || !p->reg_name)
		return ub_fail(UB_ERR_ARG, "ub_poll_until: NULL argument");
	uint64_t start = ub_now_ms();
	unsigned interval = 1;
	uint64_t next_progress = UB_POLL_PROGRESS_MS;
	uint32_t value = 0;
	for (;;) {
		/* Measured before the read: the register must still be busy in a read that
		 * began after the bound, so a host stalled between two reads (a loaded
		 * machine, a slow probe) cannot fail a wait the chip already finished. */
		uint64_t waited = ub_now_ms() - start;
		ub_err e = ocd_mem_read32(b, p->ap, p->addr, &value);
		if (last)
			*last = value;
		if (e != UB_OK)
			return e; /* the bridge already named the AP and address */
		if ((value & p->mask) == p->want)
			return UB_OK;
		if (waited >= p->timeout_ms)
			return ub_fail(UB_ERR_TIMEOUT,
				       "%s: waited %llu ms for %s (AP%u 0x%08x) & 0x%08x == 0x%08x; last read 0x%08x",
				       p->step, (unsigned long long)waited, p->reg_name, p->ap.num, p->addr,
				       p->mask, p->want, value);
		if (waited >= next_progress) {
			ub_poll_say_progress(b, p->step, waited, p->expected_ms, p->expected_is_estimate, p->timeout_ms);
			next_progress = waited + UB_POLL_PROGRESS_MS;
		}
		e = ocd_sleep_ms(b, interval);
		if (e != UB_OK)
			return e;
		/* Short first, then back off: a flash word takes microseconds, an
		 * erase seconds; 50 ms keeps a slow wait cheap on the probe. */
		if (interval < 50)
			interval *= 2;
	}
}
