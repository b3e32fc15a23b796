/*
 * Code a halted Cortex-M core runs for us (cm_code.h).  Every write of code, control words and
 * registers is read back; every wait is bounded.
 */
#include "cm_code.h"

#include <stdio.h>
#include <string.h>

#include "cm_scan_code.h"
#include "cortexm.h"
#include "poll.h"

/* The core reads 1 MiB in about 8 ms at its 64 MHz reset clock; allow far more (a loaded
 * simulator is far slower).  Running out only means the debugger reads the range itself. */
#define SCAN_MS_PER_MIB 3000u
#define CM_POLL_MAX_MS 4u

const cm_scan cm_blank_scan = { "blank check on the core", cm_blank_code, sizeof(cm_blank_code), 16, false };
const cm_scan cm_readable_scan = { "ECC scan on the core", cm_readable_code, sizeof(cm_readable_code), 64, true };

/* Map words a scan of [start, end) may store: every 32 KiB window it touches. */
static uint32_t map_words_touched(uint32_t start, uint32_t end)
{
	uint32_t window = CM_MAP_KIB_PER_WORD * 1024u;
	return (end - 1u) / window - start / window + 1u;
}

unsigned cm_scaled_ms(const cm_work *w, uint64_t ms)
{
	unsigned pct = w->timeout_scale_pct ? w->timeout_scale_pct : 100;
	return (unsigned)(ms * pct / 100);
}

ub_err cm_write_verified(const cm_work *w, uint32_t addr, const uint32_t *words, size_t n, const char *what)
{
	uint32_t back[CM_VERIFY_MAX];
	if (n > CM_VERIFY_MAX)
		return ub_fail(UB_ERR_ARG, "cm_write_verified: %zu words of %s, at most %u", n, what, CM_VERIFY_MAX);
	ub_err e = ocd_mem_write(w->b, w->ap, addr, words, n);
	if (e == UB_OK)
		e = ocd_mem_read(w->b, w->ap, addr, back, n);
	for (size_t i = 0; e == UB_OK && i < n; i++)
		if (back[i] != words[i])
			e = ub_fail(UB_ERR_VERIFY, "code on the core: %s at 0x%08x reads 0x%08x after writing 0x%08x", what,
				    addr + 4u * (uint32_t)i, back[i], words[i]);
	return e;
}

ub_err cm_core_usable(const cm_work *w, const char **why)
{
	uint32_t dhcsr = 0;
	ub_err e = ocd_mem_read32(w->b, w->ap, CM_DHCSR, &dhcsr);
	if (e != UB_OK) {
		*why = "DHCSR unreadable";
		return e;
	}
	if (!(dhcsr & DHCSR_S_HALT)) {
		*why = "the core is not halted";
		return UB_ERR_UNSUPPORTED;
	}
	return UB_OK;
}

ub_err cm_run_code(const cm_work *w, const uint8_t *code, size_t len, const char *what, const cm_core_reg *regs,
		   size_t nregs, uint32_t sp)
{
	uint32_t words[CM_CODE_MAX / 4];
	if (len > sizeof(words))
		return ub_fail(UB_ERR_ARG, "cm_run_code: %zu bytes of %s do not fit", len, what);
	memset(words, 0, sizeof(words));
	memcpy(words, code, len);
	ub_err e = cm_write_verified(w, w->base, words, (len + 3) / 4, what);
	for (size_t i = 0; e == UB_OK && i < nregs; i++)
		e = cm_reg_write(w->b, w->ap, regs[i].regsel, regs[i].value);
	if (e == UB_OK)
		e = cm_reg_write(w->b, w->ap, DCRSR_REGSEL_SP, sp); /* our routines push nothing */
	if (e == UB_OK)
		e = cm_reg_write(w->b, w->ap, DCRSR_REGSEL_XPSR, XPSR_T);
	if (e == UB_OK)
		e = cm_reg_write(w->b, w->ap, DCRSR_REGSEL_PC, w->base);
	return e != UB_OK ? e : cm_run_masked(w->b, w->ap);
}

/* Bounded wait for the core to stop: halted (BKPT, a caught fault) or locked up. */
static ub_err wait_stopped(const cm_work *w, const cm_scan *s, unsigned timeout_ms, uint32_t *dhcsr)
{
	uint64_t deadline = ub_now_ms() + timeout_ms;
	unsigned interval = 1;
	for (;;) {
		ub_err e = ocd_mem_read32(w->b, w->ap, CM_DHCSR, dhcsr);
		if (e != UB_OK || (*dhcsr & (DHCSR_S_HALT | DHCSR_S_LOCKUP)))
			return e;
		if (ub_now_ms() >= deadline)
			return ub_fail(UB_ERR_TIMEOUT, "%s: still running after %u ms (DHCSR 0x%08x at 0x%08x)", s->name,
				       timeout_ms, *dhcsr, CM_DHCSR);
		ocd_sleep_ms(w->b, interval);
		/* At most 4 ms: a scan takes tens of ms, and each poll costs the link a fraction of one. */
		interval = interval < CM_POLL_MAX_MS ? interval * 2 : interval;
	}
}

static ub_err run_scan(const cm_work *w, const cm_scan *s, uint32_t start, uint32_t end, uint32_t *result,
		       uint32_t *dhcsr)
{
	uint32_t zero = 0, at = w->base + CM_WORK_CTL;
	const cm_core_reg regs[] = { { 0, start }, { 1, end }, { 2, at }, { 3, w->base + CM_WORK_MAP } };
	ub_err e = cm_write_verified(w, at, &zero, 1, "scan result");
	if (e == UB_OK)
		e = cm_run_code(w, s->code, s->len, s->name, regs, s->maps ? 4 : 3, at);
	unsigned mib = (end - start + 0xFFFFFu) >> 20;
	if (e == UB_OK)
		e = wait_stopped(w, s, cm_scaled_ms(w, (uint64_t)(mib ? mib : 1) * SCAN_MS_PER_MIB), dhcsr);
	if (e == UB_OK)
		e = ocd_mem_read32(w->b, w->ap, at, result);
	return e;
}

/* A scan that stopped without storing its result faulted on a read: r0 names the place (the
 * readable scan advances r0 only after a whole block was read). */
static ub_err faulted_at(const cm_work *w, const cm_scan *s, uint32_t start, uint32_t end, uint32_t dhcsr,
			 uint32_t *where)
{
	ub_err e = (dhcsr & DHCSR_S_HALT) ? UB_OK : cm_halt(w->b, w->ap, CM_REGRDY_MS, NULL);
	if (e == UB_OK)
		e = cm_reg_read(w->b, w->ap, 0, where);
	if (e == UB_OK && (*where < start || *where >= end || (*where - start) % s->align))
		e = ub_fail(UB_ERR_UNSUPPORTED, "%s stopped with r0 = 0x%08x, outside 0x%08x..0x%08x (DHCSR 0x%08x)",
			    s->name, *where, start, end, dhcsr);
	return e;
}

ub_err cm_scan_run(const cm_work *w, const cm_scan *s, uint32_t start, uint32_t end, uint32_t *result, bool *fault)
{
	if (!w || !s || !result || end <= start || (end - start) % s->align)
		return ub_fail(UB_ERR_ARG, "%s: 0x%08x..0x%08x is not whole %u-byte blocks", s ? s->name : "scan", start,
			       end, s ? s->align : 0);
	if (s->maps && map_words_touched(start, end) > CM_MAP_MAX_WORDS)
		return ub_fail(UB_ERR_ARG, "%s: 0x%08x..0x%08x is more than the %u KiB its map has room for", s->name,
			       start, end, CM_MAP_MAX_WORDS * CM_MAP_KIB_PER_WORD);
	const char *why = NULL;
	if (cm_core_usable(w, &why) != UB_OK)
		return ub_fail(UB_ERR_UNSUPPORTED, "%s: %s", s->name, why);
	uint32_t demcr = 0, dhcsr = 0;
	*result = 0;
	ub_err e = ocd_mem_read32(w->b, w->ap, CM_DEMCR, &demcr);
	/* A read that faults (ECC) must halt the core, not run the firmware's HardFault handler. */
	if (e == UB_OK)
		e = ocd_mem_write32(w->b, w->ap, CM_DEMCR, demcr | DEMCR_VC_HARDERR);
	if (e == UB_OK)
		e = run_scan(w, s, start, end, result, &dhcsr);
	bool stored = e == UB_OK && (dhcsr & DHCSR_S_HALT) && !(dhcsr & DHCSR_S_LOCKUP) && *result >= start &&
		      *result <= end && (*result - start) % s->align == 0;
	if (e == UB_OK && !stored && fault && *result == 0) {
		*fault = true;
		e = faulted_at(w, s, start, end, dhcsr, result);
	} else if (e == UB_ERR_TIMEOUT) {
		e = UB_ERR_UNSUPPORTED; /* the message says how long it ran */
	} else if (e == UB_OK && !stored) {
		e = ub_fail(UB_ERR_UNSUPPORTED, "%s stopped early (DHCSR 0x%08x, result 0x%08x)", s->name, dhcsr,
			    *result);
	}
	if (e != UB_OK) {
		char why_now[256];
		snprintf(why_now, sizeof(why_now), "%s", ub_last_error());
		cm_halt(w->b, w->ap, CM_REGRDY_MS, NULL);
		ub_fail(e, "%s", why_now);
	}
	if (ocd_mem_write32(w->b, w->ap, CM_DEMCR, demcr) != UB_OK && e == UB_OK)
		e = UB_ERR_MEM_WRITE;
	return e;
}

ub_err cm_erased_map(const cm_work *w, uint32_t start, uint32_t end, uint32_t *map, size_t words)
{
	uint32_t window = CM_MAP_KIB_PER_WORD * 1024u, stop = 0;
	if (!w || !map || end <= start || start % window || end % window || words != (end - start) / window)
		return ub_fail(UB_ERR_ARG, "erased map: 0x%08x..0x%08x is not whole 32 KiB windows for %zu map words",
			       start, end, words);
	ub_err e = cm_scan_run(w, &cm_readable_scan, start, end, &stop, NULL);
	if (e == UB_OK && stop != end)
		e = ub_fail(UB_ERR_UNSUPPORTED, "%s stopped at 0x%08x, not at the end 0x%08x", cm_readable_scan.name, stop,
			    end);
	return e != UB_OK ? e : ocd_mem_read(w->b, w->ap, w->base + CM_WORK_MAP, map, words);
}
