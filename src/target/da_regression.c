/*
 * The end of a debug-authentication regression, seen from the debugger (see da_regression.h).
 *
 * After a successful authentication the boot ROM erases and resets the chip by itself (docs
 * section 6).  The end is AP1 enabled again in DBGMCU_SR (bit 17, facts B.1) after the reset.
 * When AP1 was already enabled during the session (Provisioning, TZ-Closed, iROT-Provisioned,
 * facts B.3), "enabled" alone proves nothing, so the reset itself must have been seen:
 *  - AP1 disabled, or AP0 not answering, in one of the polls (the erase, the reset); or
 *  - DHCSR.S_RESET_ST through AP1 (Armv8-M: sticky, set by a reset of the core, cleared by a
 *    read; facts C), which the session's own read cleared.  The erase can be over between two
 *    polls (a small part, a slow host): this catches the reset all the same.
 * S_RESET_ST is only trusted when that clearing read succeeded; otherwise the reset that started
 * the session could pass for the regression's.
 */
#include "da_regression.h"

#include <stdio.h>

#include "cortexm.h"
#include "poll.h"

#define DA_POLL_MAX_INTERVAL_MS 50u
#define DA_CORE_AP 1u                    /* the Cortex-M33's MEM-AP (facts B.1) */

/* One DHCSR read through AP1.  False when AP1 does not answer (the caller then knows nothing). */
static bool read_dhcsr(ub_mailbox *m, uint32_t *dhcsr)
{
	if (ocd_mem_read32(m->b, ub_ap_num(DA_CORE_AP), CM_DHCSR, dhcsr) == UB_OK)
		return true;
	ub_clear_error();
	return false;
}

ub_err da_regression_arm(ub_mailbox *m, da_regression_watch *w)
{
	uint32_t dhcsr;
	ub_err e = ub_mailbox_read_sr(m, &w->sr_before);

	if (e)
		return e;
	w->reset_armed = (w->sr_before & UB_DBGMCU_SR_AP1_ENABLED) && read_dhcsr(m, &dhcsr);
	return UB_OK;
}

/* The core was reset since the arming read (only when armed and AP1 answers). */
static bool core_was_reset(ub_mailbox *m, const da_regression_watch *w)
{
	uint32_t dhcsr;

	return w->reset_armed && read_dhcsr(m, &dhcsr) && (dhcsr & DHCSR_S_RESET_ST);
}

static ub_err wait_regression(ub_mailbox *m, const da_regression_watch *w, unsigned timeout_ms,
			      unsigned expect_ms, uint64_t start)
{
	bool saw_gap = !(w->sr_before & UB_DBGMCU_SR_AP1_ENABLED), have_sr = false;
	char read_err[200] = "";
	unsigned interval = 1;
	uint64_t next_progress = UB_POLL_PROGRESS_MS;
	uint32_t sr = 0;

	for (;;) {
		if (ub_mailbox_read_sr(m, &sr) != UB_OK) {
			saw_gap = true;   /* AP0 does not answer while the chip resets */
			snprintf(read_err, sizeof(read_err), "; last failed read: %s", ub_last_error());
		} else {
			have_sr = true;
			if (!(sr & UB_DBGMCU_SR_AP1_ENABLED))
				saw_gap = true;
			else if (saw_gap || core_was_reset(m, w))
				return UB_OK;
		}
		uint64_t waited = ub_now_ms() - start;
		if (waited >= next_progress) {
			ub_poll_say_progress(m->b, "DA regression", waited, expect_ms, true, timeout_ms);
			next_progress = waited + UB_POLL_PROGRESS_MS;
		}
		if (waited >= timeout_ms)
			return ub_fail(UB_ERR_TIMEOUT, "DA regression: waited %llu ms for DBGMCU_SR (AP%u 0x%08x) "
				       "AP_ENABLED to show AP1 (bit 17)%s; last read 0x%08x%s%s",
				       (unsigned long long)waited, m->ap.num, (unsigned)(m->dbgmcu + UB_DBGMCU_SR),
				       saw_gap ? "" : " after going away (AP1 stayed enabled and DHCSR.S_RESET_ST "
				       "stayed clear: no sign of the regression's reset)", (unsigned)sr,
				       have_sr ? "" : " (no read succeeded)", read_err);
		ub_err e = ocd_sleep_ms(m->b, interval);
		if (e)
			return e;
		if (interval < DA_POLL_MAX_INTERVAL_MS)
			interval *= 2;
	}
}

ub_err da_regression_reconnect(ub_mailbox *m, const da_regression_watch *w, unsigned timeout_ms,
			       unsigned expect_ms, uint64_t *took)
{
	uint64_t start = ub_now_ms();
	ub_err e;

	ocd_log(m->b, "stm32unbrick da: authenticated; regression running, waiting up to %u ms for AP1 (DBGMCU_SR "
		"bit 17)", timeout_ms);
	e = wait_regression(m, w, timeout_ms, expect_ms, start);
	*took = ub_now_ms() - start;
	if (e)
		return e;
	ocd_log(m->b, "stm32unbrick da: AP1 enabled again after %llu ms; reconnecting the debug port",
		(unsigned long long)*took);
	e = ocd_reinit_dap(m->b);
	if (e) {
		char cause[300];

		snprintf(cause, sizeof(cause), "%s", ub_last_error());
		return ub_fail(e, "DA regression finished (AP1 enabled after %llu ms) but reconnecting failed: %s",
			       (unsigned long long)*took, cause);
	}
	return UB_OK;
}
