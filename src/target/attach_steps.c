/*
 * The steps attach strategies are made of (attach.c lists them per strategy).  Each step logs one
 * line "attach <strategy>: <Step>: what it saw", bounds every wait, and on failure names the
 * register, its address and the value it read.
 *
 * Register facts: ../shared/facts/stm32-facts.md C (DP CTRL/STAT, DHCSR, DCRSR, DEMCR), A.1 (DBGMCU,
 * what answers under NRST), A.5 (supply lockout).
 */
#include <stdio.h>

#include "attach_internal.h"
#include "poll.h"

#define OPERATOR_PROGRESS_MS   5000u /* "still waiting" line while the operator acts */
#define LOSS_POLL_MS           10u   /* the power-off window may be short: look often */
#define RETURN_POLL_MS         250u  /* each failed probe makes OpenOCD log a few lines */

/* ---- register access with the step's context in every failure ----------------------------------- */

static ub_err mem_read(attach_ctx *c, ub_ap ap, uint32_t addr, const char *reg, uint32_t *v)
{
	ub_err e = ocd_mem_read32(c->b, ap, addr, v);

	return e ? attach_wrap(c, e, "read %s (AP%u 0x%08x)", reg, ap.num, (unsigned)addr) : UB_OK;
}

static ub_err mem_write(attach_ctx *c, ub_ap ap, uint32_t addr, const char *reg, uint32_t v)
{
	ub_err e = ocd_mem_write32(c->b, ap, addr, v);

	return e ? attach_wrap(c, e, "write %s (AP%u 0x%08x) = 0x%08x", reg, ap.num, (unsigned)addr, (unsigned)v)
		 : UB_OK;
}

/* Write, read back, and insist that the bits in `must` came out as written. */
static ub_err mem_write_verify(attach_ctx *c, ub_ap ap, uint32_t addr, const char *reg, uint32_t v, uint32_t must,
			       uint32_t *readback)
{
	ub_err e = mem_write(c, ap, addr, reg, v);

	if (!e)
		e = mem_read(c, ap, addr, reg, readback);
	if (!e && (*readback & must) != (v & must))
		e = attach_fail(c, UB_ERR_VERIFY,
				"%s (AP%u 0x%08x) reads 0x%08x after writing 0x%08x: bits 0x%08x did not stick", reg,
				ap.num, (unsigned)addr, (unsigned)*readback, (unsigned)v,
				(unsigned)((*readback ^ v) & must));
	return e;
}

static ub_err dhcsr_write(attach_ctx *c, uint32_t ctrl, uint32_t *readback)
{
	return mem_write_verify(c, c->core_ap, CM_DHCSR, "DHCSR", DHCSR_DBGKEY | ctrl, ctrl, readback);
}

/* A wait on a core register, in poll.h's words: step, register, AP, address, last value. */
static ub_err wait_core_bits(attach_ctx *c, uint32_t addr, const char *reg, uint32_t mask, unsigned timeout_ms,
			     uint32_t *last)
{
	char step[96];
	ub_poll p = { step, reg, c->core_ap, addr, mask, mask, timeout_ms, 0, false };

	snprintf(step, sizeof(step), "attach %s: %s", c->strategy, c->step);
	return ub_poll_until(c->b, &p, last);
}

/* ADIv5 DPIDR: bit 0 reads as one and the designer field is a JEP106 code; all ones is no answer. */
static bool dpidr_plausible(uint32_t v)
{
	return v != 0xFFFFFFFFu && (v & 1u) && ((v >> 1) & 0x7FFu) != 0;
}

/* A DBGMCU_IDCODE of all zeros or all ones is a bus that answered without a DBGMCU behind it. */
static bool idcode_plausible(uint32_t v)
{
	return v != 0 && v != 0xFFFFFFFFu && (v & 0xFFFu) != 0;
}

static unsigned elapsed_ms(uint64_t since)
{
	return (unsigned)(ub_now_ms() - since);
}

/* ---- OpenOCD and NRST ----------------------------------------------------------------------------- */

ub_err step_poll_off(attach_ctx *c)
{
	ub_err e = ocd_poll(c->b, false);

	if (e)
		return attach_wrap(c, e, "poll off");
	attach_log(c, "OpenOCD background polling off (its cortex_m poll would race these steps; "
		   "`poll on` restores it)");
	return UB_OK;
}

ub_err step_reset_assert(attach_ctx *c)
{
	ub_err e = ocd_srst(c->b, true);

	if (e)
		return attach_wrap(c, e, "drive NRST low (needs `reset_config srst_only srst_nogate` or similar)");
	c->srst_held = true;
	attach_log(c, "NRST low: the firmware cannot run until ResetHardwareDeassert");
	return UB_OK;
}

ub_err step_reset_deassert(attach_ctx *c)
{
	ub_err e = ocd_srst(c->b, false);

	if (e)
		return attach_wrap(c, e, "release NRST");
	c->srst_held = false;
	attach_log(c, "NRST released");
	return UB_OK;
}

/*
 * OpenOCD re-scans the chain, reconnects the DAP and examines the mem_ap targets.  A target that
 * does not examine (an AP this attach may not even use) does not stop it once the DP answers: an
 * access through that target later fails with a message naming it.
 */
static ub_err reconnect(attach_ctx *c)
{
	ub_err e = ocd_reinit_dap(c->b);

	if (e == UB_ERR_AP) {
		attach_log(c, "the debug port answers; continuing despite: %s", ub_last_error());
		ub_clear_error();
		e = UB_OK;
	}
	return e;
}

/* With NRST held the pins are back in their debug function; OpenOCD may have seen them dead. */
ub_err step_dp_reconnect(attach_ctx *c)
{
	ub_err e = reconnect(c);

	if (e)
		return attach_wrap(c, e,
				   "the debug port does not answer with NRST held, so NRST does not help (a supply "
				   "lockout does that, facts A.5): try `attach power-cycle` or `attach boot0`");
	attach_log(c, "OpenOCD re-scanned the JTAG chain and reconnected the DAP with NRST held");
	return UB_OK;
}

/* Before the operator acts: is there a DP whose silence will mark the power loss? */
ub_err step_dp_probe(attach_ctx *c)
{
	uint32_t dpidr = 0;
	ub_err e = reconnect(c);

	if (!e)
		e = ocd_dp_read(c->b, DP_DPIDR, &dpidr);
	if (!e && dpidr_plausible(dpidr)) {
		c->dp_answered_before = true;
		c->dpidr_before = dpidr;
		attach_log(c, "the debug port answers (DPIDR 0x%08x): its silence will mark the power loss",
			   (unsigned)dpidr);
	} else {
		attach_log(c, "the debug port does not answer (%s; see OpenOCD's errors above): supply lockout, "
			   "remapped pins or no power", e ? "no valid JTAG answer" : "implausible DPIDR");
		ub_clear_error();
	}
	return UB_OK;
}

/* ---- debug port ------------------------------------------------------------------------------------ */

static ub_err wait_dp_bits(attach_ctx *c, uint32_t reg, const char *name, uint32_t mask, unsigned timeout_ms,
			   uint32_t *last, unsigned *waited)
{
	uint64_t start = ub_now_ms();
	unsigned interval = 1;

	for (;;) {
		ub_err e = ocd_dp_read(c->b, reg, last);

		if (e)
			return attach_wrap(c, e, "read %s (DP 0x%02x)", name, (unsigned)reg);
		*waited = elapsed_ms(start);
		if ((*last & mask) == mask)
			return UB_OK;
		if (*waited >= timeout_ms)
			return attach_fail(c, UB_ERR_TIMEOUT,
					   "waited %u ms for %s (DP 0x%02x) & 0x%08x == 0x%08x; last read 0x%08x",
					   *waited, name, (unsigned)reg, (unsigned)mask, (unsigned)mask,
					   (unsigned)*last);
		e = ocd_sleep_ms(c->b, interval);
		if (e)
			return attach_wrap(c, e, "waiting for %s", name);
		if (interval < 50)
			interval *= 2;
	}
}

/*
 * Power up the debug and system domains and clear the sticky errors.  On a JTAG-DP the sticky
 * flags are cleared by writing 1 to them in CTRL/STAT (there is no ABORT clear bit); on an SW-DP
 * those CTRL/STAT bits are read-only and the write leaves them alone.  ORUNDETECT is kept as
 * OpenOCD set it.
 */
ub_err step_dp_start(attach_ctx *c)
{
	const uint32_t acks = CS_CDBGPWRUPACK | CS_CSYSPWRUPACK;
	const uint32_t sticky = CS_STICKYERR | CS_STICKYCMP | CS_STICKYORUN;
	uint32_t before, after, dpidr, req;
	unsigned waited = 0;
	ub_err e = ocd_dp_read(c->b, DP_CTRL_STAT, &before);

	if (e)
		return attach_wrap(c, e,
				   "read CTRL/STAT (DP 0x04): the debug port does not answer (JTAG reads all ones: no "
				   "power, debug pins turned into GPIOs by the firmware, or a supply lockout; try "
				   "`attach under-reset`, then `attach power-cycle`)");
	req = (before & CS_ORUNDETECT) | CS_CDBGPWRUPREQ | CS_CSYSPWRUPREQ | sticky;
	e = ocd_dp_write(c->b, DP_CTRL_STAT, req);
	if (e)
		return attach_wrap(c, e, "write CTRL/STAT (DP 0x04) = 0x%08x", (unsigned)req);
	e = wait_dp_bits(c, DP_CTRL_STAT, "CTRL/STAT", acks, ATTACH_DP_POWERUP_MS, &after, &waited);
	if (e)
		return e;
	if (after & CS_STICKYERR)
		return attach_fail(c, UB_ERR_DP,
				   "CTRL/STAT (DP 0x04) = 0x%08x: STICKYERR still set after writing 1 to it",
				   (unsigned)after);
	e = ocd_dp_read(c->b, DP_DPIDR, &dpidr);
	if (e)
		return attach_wrap(c, e, "read DPIDR (DP 0x00)");
	if (!dpidr_plausible(dpidr))
		return attach_fail(c, UB_ERR_DP, "DPIDR (DP 0x00) = 0x%08x is not an ADIv5 DPIDR (bit 0 reads as one)",
				   (unsigned)dpidr);
	attach_log(c, "CTRL/STAT 0x%08x -> 0x%08x, debug and system power acknowledged after %u ms; DPIDR 0x%08x",
		   (unsigned)before, (unsigned)after, waited, (unsigned)dpidr);
	return UB_OK;
}

/* An AP that does not exist reads IDR 0 (ADIv5) and ignores writes: say so before DHCSR "fails". */
ub_err step_core_ap_check(attach_ctx *c)
{
	uint32_t idr;
	ub_err e = ocd_ap_read(c->b, c->core_ap, MEM_AP_IDR, &idr);

	if (e)
		return attach_wrap(c, e, "read the IDR of AP%u (AP register 0xfc)", c->core_ap.num);
	if (idr == 0)
		return attach_fail(c, UB_ERR_UNSUPPORTED,
				   "AP%u IDR (AP register 0xfc) reads 0x00000000: there is no access port %u on this "
				   "chip%s", c->core_ap.num, c->core_ap.num,
				   c->s == UB_ATTACH_AP_FALLBACK ? " (only dual-core parts have a second core's AP)"
								 : "");
	attach_log(c, "AP%u IDR 0x%08x (class %u, type %u)", c->core_ap.num, (unsigned)idr,
		   (unsigned)((idr >> 13) & 0xFu), (unsigned)(idr & 0xFu));
	return UB_OK;
}

ub_err step_device_unlock(attach_ctx *c)
{
	char note[160] = "";
	ub_err e;

	if (!c->f->debug_device_unlock) {
		attach_log(c, "nothing to unlock on %s (RDP does not close the debug port)", c->f->name);
		return UB_OK;
	}
	e = c->f->debug_device_unlock(c->b, c->f, c->core_ap, note, sizeof(note));
	if (e)
		return attach_wrap(c, e, "%s debug access check", c->f->name);
	attach_log(c, "%s", note);
	return UB_OK;
}

/* ---- DBGMCU ---------------------------------------------------------------------------------------- */

static ub_err read_idcode(attach_ctx *c)
{
	ub_err e = mem_read(c, c->f->dbg_ap, c->f->dbgmcu_idcode, "DBGMCU_IDCODE", &c->r->idcode);

	if (!e && !idcode_plausible(c->r->idcode))
		e = attach_fail(c, UB_ERR_VERIFY, "DBGMCU_IDCODE (AP%u 0x%08x) = 0x%08x: no %s DBGMCU answers there",
				c->f->dbg_ap.num, (unsigned)c->f->dbgmcu_idcode, (unsigned)c->r->idcode, c->f->name);
	return e;
}

ub_err step_read_idcode(attach_ctx *c)
{
	ub_err e = read_idcode(c);

	if (e)
		return e;
	attach_log(c, "DBGMCU_IDCODE (AP%u 0x%08x) = 0x%08x: DEV_ID 0x%03x, REV_ID 0x%04x", c->f->dbg_ap.num,
		   (unsigned)c->f->dbgmcu_idcode, (unsigned)c->r->idcode, (unsigned)(c->r->idcode & 0xFFFu),
		   (unsigned)(c->r->idcode >> 16));
	return UB_OK;
}

/* Done with NRST held: the debug AP answers then, the core's system bus does not (facts A.1). */
ub_err step_dbgmcu_keep_alive(attach_ctx *c)
{
	uint32_t before, after;
	ub_err e = read_idcode(c);

	if (!e)
		e = mem_read(c, c->f->dbg_ap, c->f->dbgmcu_cr, "DBGMCU_CR", &before);
	if (!e)
		e = mem_write_verify(c, c->f->dbg_ap, c->f->dbgmcu_cr, "DBGMCU_CR", before | c->f->dbgmcu_cr_keep,
				     c->f->dbgmcu_cr_keep, &after);
	if (e)
		return e;
	attach_log(c, "DBGMCU_IDCODE 0x%08x; DBGMCU_CR (AP%u 0x%08x) 0x%08x -> 0x%08x: debug stays up in "
		   "low-power modes",
		   (unsigned)c->r->idcode, c->f->dbg_ap.num, (unsigned)c->f->dbgmcu_cr, (unsigned)before,
		   (unsigned)after);
	return UB_OK;
}

/* ---- core ------------------------------------------------------------------------------------------ */

/* C_DEBUGEN; a core that is already halted by a debugger stays halted (C_HALT written as read). */
ub_err step_core_start(attach_ctx *c)
{
	uint32_t before, after, keep_halt;
	ub_err e = mem_read(c, c->core_ap, CM_DHCSR, "DHCSR", &before);

	/* C_HALT only means something with C_DEBUGEN; writing it as 0 would resume a halted core. */
	keep_halt = (before & DHCSR_C_DEBUGEN) ? before & DHCSR_C_HALT : 0;
	if (!e)
		e = dhcsr_write(c, DHCSR_C_DEBUGEN | keep_halt, &after);
	if (e)
		return e;
	attach_log(c, "DHCSR (AP%u 0x%08x) 0x%08x -> 0x%08x: halting debug enabled", c->core_ap.num,
		   (unsigned)CM_DHCSR, (unsigned)before, (unsigned)after);
	return UB_OK;
}

/* Halting debug off (DHCSR written with the key only): the core runs freely. */
ub_err step_core_stop(attach_ctx *c)
{
	uint32_t after;
	ub_err e = mem_write_verify(c, c->core_ap, CM_DHCSR, "DHCSR", DHCSR_DBGKEY, DHCSR_C_DEBUGEN | DHCSR_C_HALT,
				    &after);

	if (e)
		return e;
	attach_log(c, "DHCSR (AP%u 0x%08x) = 0x%08x: halting debug off, the core runs", c->core_ap.num,
		   (unsigned)CM_DHCSR, (unsigned)after);
	return UB_OK;
}

/* Under NRST: C_HALT now, so that the core halts as it leaves reset (with the reset catch). */
ub_err step_core_start_halt(attach_ctx *c)
{
	uint32_t ctrl = DHCSR_C_DEBUGEN | (c->o->halt ? DHCSR_C_HALT : 0);
	uint32_t after;
	ub_err e = dhcsr_write(c, ctrl, &after);

	if (e)
		return e;
	attach_log(c, "DHCSR (AP%u 0x%08x) = 0x%08x with NRST held: %s", c->core_ap.num, (unsigned)CM_DHCSR,
		   (unsigned)after, c->o->halt ? "C_DEBUGEN | C_HALT" : "C_DEBUGEN only (-nohalt)");
	return UB_OK;
}

ub_err step_core_halt(attach_ctx *c)
{
	uint64_t start = ub_now_ms();
	uint32_t dhcsr;
	ub_err e;

	if (!c->o->halt) {
		attach_log(c, "skipped (-nohalt): the core keeps running");
		return UB_OK;
	}
	e = dhcsr_write(c, DHCSR_C_DEBUGEN | DHCSR_C_HALT, &dhcsr);
	if (!e)
		e = wait_core_bits(c, CM_DHCSR, "DHCSR.S_HALT", DHCSR_S_HALT, c->o->halt_timeout_ms, &dhcsr);
	if (e)
		return e;
	attach_log(c, "C_HALT: halted after %u ms (DHCSR 0x%08x)", elapsed_ms(start), (unsigned)dhcsr);
	return UB_OK;
}

static ub_err demcr_update(attach_ctx *c, bool catch_reset)
{
	uint32_t before, after, want;
	ub_err e = mem_read(c, c->core_ap, CM_DEMCR, "DEMCR", &before);

	if (e)
		return e;
	want = catch_reset ? before | DEMCR_VC_CORERESET : before & ~DEMCR_VC_CORERESET;
	e = mem_write_verify(c, c->core_ap, CM_DEMCR, "DEMCR", want, DEMCR_VC_CORERESET, &after);
	if (e)
		return e;
	attach_log(c, "DEMCR (AP%u 0x%08x) 0x%08x -> 0x%08x: VC_CORERESET %s", c->core_ap.num, (unsigned)CM_DEMCR,
		   (unsigned)before, (unsigned)after, catch_reset ? "set (halt at the reset vector)" : "cleared");
	return UB_OK;
}

ub_err step_reset_catch_set(attach_ctx *c)
{
	if (!c->o->halt) {
		attach_log(c, "not armed (-nohalt): the core will run after NRST is released");
		return UB_OK;
	}
	return demcr_update(c, true);
}

ub_err step_reset_catch_clear(attach_ctx *c)
{
	if (!c->o->halt) {
		attach_log(c, "nothing to clear (-nohalt)");
		return UB_OK;
	}
	return demcr_update(c, false);
}

ub_err step_core_wait_halt(attach_ctx *c)
{
	uint64_t start = ub_now_ms();
	uint32_t dhcsr;
	ub_err e;

	if (!c->o->halt) {
		attach_log(c, "skipped (-nohalt)");
		return UB_OK;
	}
	e = wait_core_bits(c, CM_DHCSR, "DHCSR.S_HALT", DHCSR_S_HALT, c->o->halt_timeout_ms, &dhcsr);
	if (e)
		return e;
	attach_log(c, "halted by the reset catch %u ms after NRST release (DHCSR 0x%08x)", elapsed_ms(start),
		   (unsigned)dhcsr);
	return UB_OK;
}

/* PC of a halted core through DCRSR/DCRDR (REGSEL 15: DebugReturnAddress, facts C). */
static ub_err read_pc(attach_ctx *c, uint32_t *pc)
{
	ub_err e = cm_reg_read(c->b, c->core_ap, DCRSR_REGSEL_PC, pc);

	return e ? attach_wrap(c, e, "read the PC (AP%u DCRSR/DCRDR)", c->core_ap.num) : UB_OK;
}

static const char *run_state(uint32_t dhcsr)
{
	if (dhcsr & DHCSR_S_LOCKUP)
		return "locked up";
	return dhcsr & DHCSR_S_SLEEP ? "sleeping" : "running";
}

static const char *pc_region(attach_ctx *c)
{
	return c->r->in_bootloader ? "system memory: the bootloader" : "outside system memory";
}

/* DHCSR, and the PC when halted; `peek` makes the core's AP optional (hot-plug). */
static ub_err core_state(attach_ctx *c, bool peek)
{
	ub_err e = mem_read(c, c->core_ap, CM_DHCSR, "DHCSR", &c->r->dhcsr);

	if (!e && (c->r->dhcsr & DHCSR_S_HALT)) {
		c->r->halted = true;
		e = read_pc(c, &c->r->pc);
		c->r->in_bootloader = !e && c->r->pc >= c->f->sysmem_base && c->r->pc <= c->f->sysmem_end;
	}
	if (e && peek) {
		attach_log(c, "core state not readable, left unknown: %s", ub_last_error());
		ub_clear_error();
		return UB_OK;
	}
	if (e)
		return e;
	if (c->r->halted)
		attach_log(c, "DHCSR 0x%08x: halted, PC 0x%08x (%s)", (unsigned)c->r->dhcsr, (unsigned)c->r->pc,
			   pc_region(c));
	else
		attach_log(c, "DHCSR 0x%08x: %s", (unsigned)c->r->dhcsr, run_state(c->r->dhcsr));
	return UB_OK;
}

ub_err step_core_state(attach_ctx *c)
{
	return core_state(c, false);
}

ub_err step_core_peek(attach_ctx *c)
{
	return core_state(c, true);
}

/* ---- the operator and the power cycle ---------------------------------------------------------------- */

ub_err step_ask_power_cycle(attach_ctx *c)
{
	unsigned s = (c->o->operator_timeout_ms + 999) / 1000;

	c->operator_start_ms = ub_now_ms();
	ocd_log(c->b, "ACTION REQUIRED: the probe holds NRST low. Switch the board's power OFF, wait 1 s, switch it "
		      "back ON; keep the probe connected. Waiting up to %u s for the loss, %u s for the return.", s, s);
	return UB_OK;
}

ub_err step_ask_boot0(attach_ctx *c)
{
	unsigned s = (c->o->operator_timeout_ms + 999) / 1000;

	c->operator_start_ms = ub_now_ms();
	ocd_log(c->b, "ACTION REQUIRED: set BOOT0 high and keep it high, then switch the board's power OFF, wait 1 s, "
		      "switch it back ON. Waiting up to %u s for the loss, %u s for the return.", s, s);
	return UB_OK;
}

static void progress(attach_ctx *c, uint64_t start, uint64_t *next, const char *what)
{
	unsigned waited = elapsed_ms(start);

	if (waited < *next)
		return;
	*next += OPERATOR_PROGRESS_MS;
	attach_log(c, "still waiting for %s: %u s of %u s", what, waited / 1000, c->o->operator_timeout_ms / 1000);
}

/* The DP answers as before the request: same DPIDR through OpenOCD's existing connection. */
static bool dp_still_answers(attach_ctx *c, uint32_t *dpidr)
{
	bool same = ocd_dp_read(c->b, DP_DPIDR, dpidr) == UB_OK && *dpidr == c->dpidr_before;

	ub_clear_error();
	return same;
}

ub_err step_wait_power_loss(attach_ctx *c)
{
	uint64_t start = ub_now_ms(), next = OPERATOR_PROGRESS_MS;
	uint32_t dpidr = 0;

	if (!c->dp_answered_before) {
		attach_log(c, "the debug port was silent before the request (DebugPortProbe): nothing to wait for");
		return UB_OK;
	}
	while (dp_still_answers(c, &dpidr)) {
		ub_err e;

		if (elapsed_ms(start) >= c->o->operator_timeout_ms)
			return attach_fail(c, UB_ERR_TIMEOUT,
					   "the debug port kept answering (DPIDR, DP 0x00, = 0x%08x) for %u ms: "
					   "no power loss seen; was the board's power switched off?",
					   (unsigned)dpidr, elapsed_ms(start));
		e = ocd_sleep_ms(c->b, LOSS_POLL_MS);
		if (e)
			return attach_wrap(c, e, "waiting for the power loss");
		progress(c, start, &next, "the power loss");
	}
	attach_log(c, "the debug port went silent %u ms after the request (power off)",
		   elapsed_ms(c->operator_start_ms));
	return UB_OK;
}

/* One attempt: OpenOCD re-scans and reconnects (its state is stale after a power loss), then DPIDR. */
static ub_err dp_back(attach_ctx *c, uint32_t *dpidr)
{
	ub_err e = reconnect(c);

	if (!e)
		e = ocd_dp_read(c->b, DP_DPIDR, dpidr);
	if (!e && !dpidr_plausible(*dpidr))
		e = ub_fail(UB_ERR_DP, "DPIDR (DP 0x00) = 0x%08x is not a DPIDR", (unsigned)*dpidr);
	return e;
}

ub_err step_wait_power_return(attach_ctx *c)
{
	uint64_t start = ub_now_ms(), next = OPERATOR_PROGRESS_MS;
	uint32_t dpidr = 0;
	ub_err e;

	while ((e = dp_back(c, &dpidr)) != UB_OK) {
		if (elapsed_ms(start) >= c->o->operator_timeout_ms)
			return attach_wrap(c, UB_ERR_TIMEOUT,
					   "the debug port did not answer again within %u ms; last attempt",
					   elapsed_ms(start));
		e = ocd_sleep_ms(c->b, RETURN_POLL_MS);
		if (e)
			return attach_wrap(c, e, "waiting for the power to return");
		progress(c, start, &next, "the power to return");
	}
	c->r->power_cycled = true;
	attach_log(c, "the debug port answers again (DPIDR 0x%08x) %u ms after the request; OpenOCD reconnected",
		   (unsigned)dpidr, elapsed_ms(c->operator_start_ms));
	return UB_OK;
}
