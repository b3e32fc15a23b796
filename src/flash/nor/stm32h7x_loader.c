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

#include "../../target/cortexm.h"
#include "../../target/poll.h"
#include "stm32h7x_loader.h"
#include "stm32h7x.h"

#define WORK_CM7      0x20000000u /* DTCM */
#define WORK_CM4      0x38000000u /* SRAM4 (D3) */
#define CTL_OFFSET    0x80u       /* after the code */
#define RING_BYTES    16384u
#define STATUS_RUNNING 0xFFFFFFFFu
/* The core stops at BKPT within microseconds of the last word's programming. */
#define WORD_TIMEOUT_MS 50u

static uint32_t work_base(const h7_target *t)
{
	return t->sys.num == H7_AP_CM4 ? WORK_CM4 : WORK_CM7;
}

/* `ms` stretched by `h7 timeout_scale`. */
static unsigned scaled_ms(const h7_target *t, uint64_t ms)
{
	unsigned pct = t->timeout_scale_pct ? t->timeout_scale_pct : 100;
	return (unsigned)(ms * pct / 100);
}

/* `count` flash words' worth of the slowest word programming. */
static unsigned words_timeout(const h7_target *t, uint64_t count)
{
	return scaled_ms(t, count * WORD_TIMEOUT_MS);
}

static ub_err write_verified(h7_target *t, uint32_t addr, const uint32_t *words, size_t n, const char *what)
{
	uint32_t back[H7_LOADER_CTL_RING / 4 + sizeof(h7_loader_code) / 4 + 1];
	ub_err e = ocd_mem_write(t->b, t->sys, addr, words, n);
	if (e == UB_OK)
		e = ocd_mem_read(t->b, t->sys, addr, back, n);
	for (size_t i = 0; e == UB_OK && i < n; i++)
		if (back[i] != words[i])
			e = ub_fail(UB_ERR_VERIFY, "flash loader: %s at 0x%08x reads 0x%08x after writing 0x%08x", what,
				    addr + 4u * (uint32_t)i, back[i], words[i]);
	return e;
}

typedef struct core_reg { unsigned regsel; uint32_t value; } core_reg;

/* `code` at the work area's start (read back), `regs` set (each read back), SP, a Thumb xPSR and
 * PC at the code, then the core runs with interrupts masked.  Shared by the loader and the scan. */
static ub_err run_on_core(h7_target *t, const uint8_t *code, size_t len, const char *what, const core_reg *regs,
			  size_t nregs, uint32_t sp)
{
	uint32_t words[(sizeof(h7_loader_code) + 3) / 4];
	if (len > sizeof(words))
		return ub_fail(UB_ERR_ARG, "run_on_core: %zu bytes of %s do not fit", len, what);
	memset(words, 0, sizeof(words));
	memcpy(words, code, len);
	ub_err e = write_verified(t, work_base(t), words, (len + 3) / 4, what);
	for (size_t i = 0; e == UB_OK && i < nregs; i++)
		e = cm_reg_write(t->b, t->sys, regs[i].regsel, regs[i].value);
	if (e == UB_OK)
		e = cm_reg_write(t->b, t->sys, DCRSR_REGSEL_SP, sp); /* neither routine pushes anything */
	if (e == UB_OK)
		e = cm_reg_write(t->b, t->sys, DCRSR_REGSEL_XPSR, XPSR_T);
	if (e == UB_OK)
		e = cm_reg_write(t->b, t->sys, DCRSR_REGSEL_PC, work_base(t));
	return e != UB_OK ? e : cm_run_masked(t->b, t->sys);
}

static ub_err start(h7_target *t, const h7_loader_run *r, uint32_t ctl, size_t words)
{
	uint32_t block[H7_LOADER_CTL_RING / 4] = { 0 };
	block[H7_LOADER_CTL_STATUS / 4] = STATUS_RUNNING;
	block[H7_LOADER_CTL_RING_SIZE / 4] = RING_BYTES;
	block[H7_LOADER_CTL_SR_ADDR / 4] = r->sr_addr;
	block[H7_LOADER_CTL_WORD_BYTES / 4] = t->kind.line->word_bytes;
	block[H7_LOADER_CTL_ERR_MASK / 4] = r->err_mask;
	const core_reg regs[] = { { 0, ctl }, { 2, r->addr }, { 4, (uint32_t)words } };
	ub_err e = write_verified(t, ctl, block, sizeof(block) / 4, "control block");
	return e != UB_OK ? e : run_on_core(t, h7_loader_code, sizeof(h7_loader_code), "code", regs, 3, ctl);
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
	uint32_t dhcsr = 0;
	ub_err e = ocd_mem_read32(t->b, t->sys, CM_DHCSR, &dhcsr);
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

ub_err h7_loader_program(h7_target *t, const h7_loader_run *r, h7_loader_result *res)
{
	if (!t || !r || !res || !t->kind.line || (!r->data && r->len) || r->len % t->kind.line->word_bytes)
		return ub_fail(UB_ERR_ARG, "h7_loader_program: bad argument");
	uint32_t ctl = work_base(t) + CTL_OFFSET;
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

/* ---- scans on the core (stm32h7x_blank.S, stm32h7x_readable.S) ------------------------------- */

#define SCAN_RESULT      CTL_OFFSET /* offset of the result word in the work area */
/* The core reads 1 MiB in about 8 ms at its 64 MHz reset clock; allow far more (a loaded
 * simulator is far slower).  Running out only means the debugger reads the range itself. */
#define SCAN_MS_PER_MIB  3000u

typedef struct core_scan {
	const char *name;
	const uint8_t *code;
	size_t len;
} core_scan;

static const core_scan blank_scan = { "blank check on the core", h7_blank_code, sizeof(h7_blank_code) };
static const core_scan readable_scan = { "ECC scan on the core", h7_readable_code, sizeof(h7_readable_code) };

/* Bounded wait for the core to stop: halted (BKPT, a caught fault) or locked up. */
static ub_err wait_stopped(h7_target *t, const core_scan *s, unsigned timeout_ms, uint32_t *dhcsr)
{
	uint64_t deadline = ub_now_ms() + timeout_ms;
	unsigned interval = 1;
	for (;;) {
		ub_err e = ocd_mem_read32(t->b, t->sys, CM_DHCSR, dhcsr);
		if (e != UB_OK || (*dhcsr & (DHCSR_S_HALT | DHCSR_S_LOCKUP)))
			return e;
		if (ub_now_ms() >= deadline)
			return ub_fail(UB_ERR_TIMEOUT, "%s: still running after %u ms (DHCSR 0x%08x at 0x%08x)", s->name,
				       timeout_ms, *dhcsr, CM_DHCSR);
		ocd_sleep_ms(t->b, interval);
		interval = interval < 16 ? interval * 2 : interval;
	}
}

static ub_err run_scan(h7_target *t, const core_scan *s, uint32_t start, uint32_t end, uint32_t *result,
		       uint32_t *dhcsr)
{
	uint32_t zero = 0, at = work_base(t) + SCAN_RESULT;
	const core_reg regs[] = { { 0, start }, { 1, end }, { 2, at } };
	ub_err e = write_verified(t, at, &zero, 1, "scan result");
	if (e == UB_OK)
		e = run_on_core(t, s->code, s->len, s->name, regs, 3, at);
	unsigned mib = (end - start + 0xFFFFFu) >> 20;
	if (e == UB_OK)
		e = wait_stopped(t, s, scaled_ms(t, (uint64_t)(mib ? mib : 1) * SCAN_MS_PER_MIB), dhcsr);
	if (e == UB_OK)
		e = ocd_mem_read32(t->b, t->sys, at, result);
	return e;
}

/* A scan that stopped without storing its result faulted on a read: r0 names the 64-byte block
 * (the readable scan advances r0 only after a whole block was read). */
static ub_err faulted_group(h7_target *t, const core_scan *s, uint32_t start, uint32_t end, uint32_t dhcsr,
			    uint32_t *group)
{
	ub_err e = (dhcsr & DHCSR_S_HALT) ? UB_OK : cm_halt(t->b, t->sys, CM_REGRDY_MS, NULL);
	if (e == UB_OK)
		e = cm_reg_read(t->b, t->sys, 0, group);
	if (e == UB_OK && (*group < start || *group >= end || *group % 16))
		e = ub_fail(UB_ERR_UNSUPPORTED, "%s stopped with r0 = 0x%08x, outside 0x%08x..0x%08x (DHCSR 0x%08x)",
			    s->name, *group, start, end, dhcsr);
	return e;
}

/*
 * Runs scan `s` over [start, end) on the halted core, HardFault caught by the debugger.  *result:
 * what the scan stored, or with `fault` set (only then) the group whose read faulted.
 */
static ub_err core_scan_run(h7_target *t, const core_scan *s, uint32_t start, uint32_t end, uint32_t *result,
			    bool *fault)
{
	if (!t || !result || !t->kind.line || end <= start || (end - start) % 16)
		return ub_fail(UB_ERR_ARG, "%s: bad range 0x%08x..0x%08x", s->name, start, end);
	const char *why = NULL;
	if (h7_loader_usable(t, &why) != UB_OK)
		return ub_fail(UB_ERR_UNSUPPORTED, "%s: %s", s->name, why);
	uint32_t demcr = 0, dhcsr = 0;
	ub_err e = ocd_mem_read32(t->b, t->sys, CM_DEMCR, &demcr);
	/* A read that faults (ECC) must halt the core, not run the firmware's HardFault handler. */
	if (e == UB_OK)
		e = ocd_mem_write32(t->b, t->sys, CM_DEMCR, demcr | DEMCR_VC_HARDERR);
	if (e == UB_OK)
		e = run_scan(t, s, start, end, result, &dhcsr);
	bool stored = e == UB_OK && (dhcsr & DHCSR_S_HALT) && !(dhcsr & DHCSR_S_LOCKUP) && *result >= start &&
		      *result <= end && *result % 16 == 0;
	if (e == UB_OK && !stored && fault && *result == 0) {
		*fault = true;
		e = faulted_group(t, s, start, end, dhcsr, result);
	} else if (e == UB_ERR_TIMEOUT) {
		e = UB_ERR_UNSUPPORTED; /* the message says how long it ran */
	} else if (e == UB_OK && !stored) {
		e = ub_fail(UB_ERR_UNSUPPORTED, "%s stopped early (DHCSR 0x%08x, result 0x%08x)", s->name, dhcsr,
			    *result);
	}
	if (e != UB_OK) {
		char why_now[256];
		snprintf(why_now, sizeof(why_now), "%s", ub_last_error());
		cm_halt(t->b, t->sys, CM_REGRDY_MS, NULL);
		ub_fail(e, "%s", why_now);
	}
	if (ocd_mem_write32(t->b, t->sys, CM_DEMCR, demcr) != UB_OK && e == UB_OK)
		e = UB_ERR_MEM_WRITE;
	return e;
}

ub_err h7_core_blank_scan(h7_target *t, uint32_t start, uint32_t end, uint32_t *first)
{
	return core_scan_run(t, &blank_scan, start, end, first, NULL);
}

ub_err h7_core_readable_scan(h7_target *t, uint32_t start, uint32_t end, uint32_t *stop)
{
	if ((end - start) % H7_READABLE_BLOCK)
		return ub_fail(UB_ERR_ARG, "%s: 0x%08x..0x%08x is not whole %u-byte blocks", readable_scan.name, start, end,
			       H7_READABLE_BLOCK);
	bool fault = false;
	ub_err e = core_scan_run(t, &readable_scan, start, end, stop, &fault);
	if (e == UB_OK && !fault && *stop != end)
		e = ub_fail(UB_ERR_UNSUPPORTED, "%s stopped at 0x%08x, not at the end 0x%08x", readable_scan.name, *stop,
			    end);
	return e;
}
