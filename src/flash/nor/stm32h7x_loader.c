/*
 * Programming an STM32H7 through a loader the core runs (stm32h7x_loader.S).
 *
 * Why: the flash controller programs one flash word and queues one more
 * (facts A.2 SR.QW); a bus write behind a full queue stalls, and a JTAG
 * MEM-AP that meets the stall answers WAIT, which OpenOCD 0.12 does not
 * always survive (stm32h7x.c, WORDS_PER_CHECK).  Written by the debugger
 * directly, the flash therefore costs a status read per two words.  The
 * core's own stores simply wait out the stall, so the debugger only writes
 * the image into a ring in the core's RAM, at the MEM-AP's full rate, and
 * reads the loader's progress once per ring half: 1.06 x the JTAG minimum
 * instead of 1.67 x, and two USB round trips per 8 KiB instead of 512
 * (docs/performance.md).
 *
 * The RAM is the core's own, with no cache in front of it (the M7's DTCM;
 * SRAM4 for the M4, which cannot reach the TCMs: facts A.6), so what the
 * debugger writes is what the core reads.  Every write of the loader, its
 * control block and its registers is read back; every wait is bounded.
 */
#include <stdio.h>
#include <string.h>

#include "../../target/cm_code.h"
#include "../../target/cortexm.h"
#include "../../target/poll.h"
#include "stm32h7x_loader.h"
#include "stm32h7x.h"

#define WORK_CM7      0x20000000u /* DTCM */
#define WORK_CM4      0x38000000u /* SRAM4 (D3) */
#define RING_BYTES    16384u
#define STATUS_RUNNING 0xFFFFFFFFu
/* The core stops at BKPT within microseconds of the last word's programming. */
#define WORD_TIMEOUT_MS 50u

static cm_work work_of(h7_target *t)
{
	cm_work w = { t->b, t->sys, t->sys.num == H7_AP_CM4 ? WORK_CM4 : WORK_CM7, t->timeout_scale_pct };
	return w;
}

/* `count` flash words' worth of the slowest word programming. */
static unsigned words_timeout(h7_target *t, uint64_t count)
{
	cm_work w = work_of(t);
	return cm_scaled_ms(&w, count * WORD_TIMEOUT_MS);
}

static ub_err start(h7_target *t, const h7_loader_run *r, uint32_t ctl, size_t words)
{
	uint32_t block[H7_LOADER_CTL_RING / 4] = { 0 };
	block[H7_LOADER_CTL_STATUS / 4] = STATUS_RUNNING;
	block[H7_LOADER_CTL_RING_SIZE / 4] = RING_BYTES;
	block[H7_LOADER_CTL_SR_ADDR / 4] = r->sr_addr;
	block[H7_LOADER_CTL_WORD_BYTES / 4] = t->kind.line->word_bytes;
	block[H7_LOADER_CTL_ERR_MASK / 4] = r->err_mask;
	const cm_core_reg regs[] = { { 0, ctl }, { 2, r->addr }, { 4, (uint32_t)words } };
	cm_work w = work_of(t);
	ub_err e = cm_write_verified(&w, ctl, block, sizeof(block) / 4, "flash loader control block");
	return e != UB_OK ? e : cm_run_code(&w, h7_loader_code, sizeof(h7_loader_code), "flash loader", regs, 3, ctl);
}

/* The loader's read offset; UB_ERR_REFUSED if it stopped (halted, locked up) before its end. */
static ub_err read_progress(h7_target *t, uint32_t ctl, uint32_t *rp, bool *stopped)
{
	uint32_t dhcsr = 0;
	ub_err e = ocd_mem_read32(t->b, t->sys, ctl + H7_LOADER_CTL_RP, rp);
	if (e == UB_OK)
		e = ocd_mem_read32(t->b, t->sys, CM_DHCSR, &dhcsr);
	*stopped = dhcsr & (DHCSR_S_HALT | DHCSR_S_LOCKUP);
	if (e == UB_OK && (dhcsr & DHCSR_S_LOCKUP))
		e = ub_fail(UB_ERR_REFUSED, "flash loader: the core locked up (DHCSR 0x%08x at 0x%08x)", dhcsr,
			    CM_DHCSR);
	/* S_RESET_ST (sticky): a reset or power loss took the core out of the loader. */
	if (e == UB_OK && (dhcsr & DHCSR_S_RESET_ST))
		e = ub_fail(UB_ERR_REFUSED, "flash loader: the core was reset while it ran (DHCSR 0x%08x at 0x%08x)",
			    dhcsr, CM_DHCSR);
	return e;
}

static uint32_t ring_used(uint32_t wp, uint32_t rp)
{
	return (wp + RING_BYTES - rp) % RING_BYTES;
}

/* Waits (bounded) until the ring has `need` bytes free, or the loader stopped. */
static ub_err wait_room(h7_target *t, uint32_t ctl, uint32_t wp, uint32_t need, uint32_t *rp, bool *stopped)
{
	unsigned wb = t->kind.line->word_bytes;
	unsigned timeout = words_timeout(t, RING_BYTES / wb);
	uint64_t deadline = ub_now_ms() + timeout;
	unsigned interval = 1;
	for (;;) {
		ub_err e = read_progress(t, ctl, rp, stopped);
		if (e != UB_OK || *stopped || RING_BYTES - wb - ring_used(wp, *rp) >= need)
			return e;
		if (ub_now_ms() >= deadline)
			return ub_fail(UB_ERR_TIMEOUT, "flash loader: no room in the ring after %u ms: read offset at "
				       "0x%08x is 0x%x, write offset 0x%x", timeout, ctl + H7_LOADER_CTL_RP, *rp, wp);
		ocd_sleep_ms(t->b, interval);
		interval = interval < 8 ? interval * 2 : interval;
	}
}

/* `*done`: bytes the loader has confirmed consumed, as far as the debugger last read. */
static ub_err stream(h7_target *t, const h7_loader_run *r, uint32_t ctl, bool *stopped, size_t *done)
{
	unsigned wb = t->kind.line->word_bytes;
	uint32_t wp = 0, rp = 0, half = RING_BYTES / 2;
	ub_err e = UB_OK;
	for (size_t sent = 0; e == UB_OK && sent < r->len && !*stopped;) {
		*done = sent - ring_used(wp, rp);
		uint32_t chunk = r->len - sent < half ? (uint32_t)(r->len - sent) : half;
		if (RING_BYTES - wb - ring_used(wp, rp) < chunk)
			e = wait_room(t, ctl, wp, chunk, &rp, stopped);
		if (e != UB_OK || *stopped)
			break;
		if (chunk > RING_BYTES - wp)
			chunk = RING_BYTES - wp; /* up to the ring's end; the rest from its start */
		uint32_t words[RING_BYTES / 8];
		memcpy(words, r->data + sent, chunk);
		e = ocd_mem_write(t->b, t->sys, ctl + H7_LOADER_CTL_RING + wp, words, chunk / 4);
		wp = (wp + chunk) % RING_BYTES;
		if (e == UB_OK)
			e = ocd_mem_write32(t->b, t->sys, ctl + H7_LOADER_CTL_WP, wp);
		sent += chunk;
	}
	return e;
}

static ub_err finish(h7_target *t, uint32_t ctl, h7_loader_result *res)
{
	unsigned timeout = words_timeout(t, RING_BYTES / t->kind.line->word_bytes + 2);
	ub_poll p = { "flash loader (last words)", "DHCSR", t->sys, CM_DHCSR, DHCSR_S_HALT, DHCSR_S_HALT, timeout, 0,
		      false };
	uint32_t dhcsr = 0;
	ub_err e = ub_poll_until(t->b, &p, &dhcsr);
	if (e == UB_OK)
		e = ocd_mem_read32(t->b, t->sys, ctl + H7_LOADER_CTL_STATUS, &res->status);
	if (e == UB_OK)
		e = cm_reg_read(t->b, t->sys, 2, &res->addr);
	if (e == UB_OK && res->status == STATUS_RUNNING)
		e = ub_fail(UB_ERR_REFUSED, "flash loader: the core halted before the loader finished (status 0x%08x "
			    "at 0x%08x, flash address 0x%08x)", res->status, ctl + H7_LOADER_CTL_STATUS, res->addr);
	return e;
}

ub_err h7_loader_usable(h7_target *t, const char **why)
{
	cm_work w = work_of(t);
	return cm_core_usable(&w, why);
}

ub_err h7_loader_program(h7_target *t, const h7_loader_run *r, h7_loader_result *res)
{
	if (!t || !r || !res || !t->kind.line || (!r->data && r->len) || r->len % t->kind.line->word_bytes)
		return ub_fail(UB_ERR_ARG, "h7_loader_program: bad argument");
	uint32_t ctl = work_of(t).base + CM_WORK_CTL;
	bool stopped = false;
	size_t done = 0;
	res->status = STATUS_RUNNING;
	res->addr = r->addr;
	ub_err e = start(t, r, ctl, r->len / t->kind.line->word_bytes);
	if (e == UB_OK)
		e = stream(t, r, ctl, &stopped, &done);
	if (e == UB_OK && (e = finish(t, ctl, res)) == UB_OK)
		return UB_OK;
	/* Whatever failed, the core must not go on running our code; say how far it got. */
	char why[256];
	snprintf(why, sizeof(why), "%s", ub_last_error());
	cm_halt(t->b, t->sys, CM_REGRDY_MS, NULL);
	return ub_fail(e, "flash loader: programming 0x%08x..0x%08x stopped after 0x%08x: %s", r->addr,
		       r->addr + (uint32_t)r->len - 1u, r->addr + (uint32_t)done, why);
}

/* ---- scans on the core (src/target/cm_code.c) ----------------------------------------------- */

ub_err h7_core_blank_scan(h7_target *t, uint32_t start, uint32_t end, uint32_t *first)
{
	if (!t || !t->kind.line)
		return ub_fail(UB_ERR_ARG, "h7_core_blank_scan: no chip");
	cm_work w = work_of(t);
	return cm_scan_run(&w, &cm_blank_scan, start, end, first, NULL);
}

ub_err h7_core_readable_scan(h7_target *t, uint32_t start, uint32_t end, uint32_t *stop)
{
	if (!t || !t->kind.line)
		return ub_fail(UB_ERR_ARG, "h7_core_readable_scan: no chip");
	cm_work w = work_of(t);
	bool fault = false;
	ub_err e = cm_scan_run(&w, &cm_readable_scan, start, end, stop, &fault);
	if (e == UB_OK && !fault && *stop != end)
		e = ub_fail(UB_ERR_UNSUPPORTED, "%s stopped at 0x%08x, not at the end 0x%08x", cm_readable_scan.name, *stop,
			    end);
	return e;
}

ub_err h7_core_erased_map(h7_target *t, uint32_t start, uint32_t end, uint32_t *map, size_t words)
{
	if (!t || !t->kind.line)
		return ub_fail(UB_ERR_ARG, "h7_core_erased_map: no chip");
	cm_work w = work_of(t);
	return cm_erased_map(&w, start, end, map, words);
}
