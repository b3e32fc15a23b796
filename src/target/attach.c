/*
 * Attach strategies (see attach.h): each is a fixed list of steps from attach_steps.c, run in order
 * by one runner that logs the plan, names the failing step in the message and, if a strategy
 * fails while it holds NRST, releases it so the board is left as it was found.
 *
 * The family rows carry every address and bit that differs between STM32H7 and STM32H5.
 */
#include "attach.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "attach_internal.h"
#include "h5_dbgmcu.h"
#include "poll.h"

/* ---- families ---------------------------------------------------------------------------------- */

/* DBGMCU_CR bits (facts A.1): DBGSLEEP_D1 0, DBGSTOP_D1 1, DBGSTBY_D1 2, D1DBGCKEN 21, D3DBGCKEN 22. */
#define H7_DBGMCU_KEEP ((1u << 0) | (1u << 1) | (1u << 2) | (1u << 21) | (1u << 22))
/* H5 DBGMCU_CR: DBG_STOP 1, DBG_STANDBY 2; there is no DBG_SLEEP bit ([SVD-H563] dbgmcu.fs, the
 * source facts B.1 uses for DBGMCU_SR). */
#define H5_DBGMCU_KEEP ((1u << 1) | (1u << 2))

/*
 * STM32H5 DebugDeviceUnlock: the product state decides whether the core's AP is open (facts B.1,
 * B.3).  A locked AP1 needs a debug-authentication regression, which this step does not do, so it
 * refuses rather than letting the next DHCSR access fail with an unexplained bus error.  (The SVD
 * reset value 0x00010003 shows only AP0 enabled; what an Open part reads at run time is
 * UNCONFIRMED, and refusing is the behaviour that is harder on us if it is wrong.)
 */
static ub_err h5_check_core_ap(ocd_bridge *b, const ub_family *f, ub_ap core_ap, char *note, size_t note_len)
{
	uint32_t sr_addr = f->dbgmcu_idcode + UB_DBGMCU_SR;
	uint32_t sr;
	ub_err e = ocd_mem_read32(b, f->dbg_ap, sr_addr, &sr);

	if (e)
		return e;
	if (!(sr & UB_DBGMCU_SR_AP_ENABLED(core_ap.num)))
		return ub_fail(UB_ERR_REFUSED,
			       "DBGMCU_SR (AP%u 0x%08x) = 0x%08x: AP%u (the core) is locked by the product state; "
			       "it opens only after a debug-authentication regression (facts B.3, B.4)",
			       f->dbg_ap.num, (unsigned)sr_addr, (unsigned)sr, core_ap.num);
	snprintf(note, note_len, "DBGMCU_SR (AP%u 0x%08x) = 0x%08x: AP%u enabled", f->dbg_ap.num, (unsigned)sr_addr,
		 (unsigned)sr, core_ap.num);
	return UB_OK;
}

const ub_family ub_family_stm32h7 = {
	.name = "stm32h7",
	.core_ap = { 0 },        /* Cortex-M7 AHB-AP (facts A.1) */
	.alt_core_ap = { 3 },    /* Cortex-M4 of the dual-core parts (facts A.6) */
	.dbg_ap = { 2 },         /* APB-AP to the debug APB: answers with NRST held (facts A.1) */
	.dbgmcu_idcode = 0xE00E1000u,
	.dbgmcu_cr = 0xE00E1004u,
	.dbgmcu_cr_keep = H7_DBGMCU_KEEP,
	.sysmem_base = 0x1FF00000u, /* BOOT_ADD1 factory value (facts A.4); 128 KiB */
	.sysmem_end = 0x1FF1FFFFu,
	.debug_device_unlock = NULL, /* nothing gates the APs but RDP, which does not close debug */
	/* FLASH_SR1/2: BSY 0, QW 2 (WBNE, a half-written word the halted firmware left, never clears by
	 * itself); OPTSR_CUR.OPT_BUSY 0 (facts A.2).  A bank erase takes up to 8 x 2.2 s and a
	 * regression erases both banks: h7.tcl's regression bound. */
	.flash_busy = { { "FLASH_SR1", 0x52002010u, 0x5u, false },
			{ "FLASH_OPTSR_CUR", 0x5200201Cu, 0x1u, false },
			{ "FLASH_SR2", 0x52002110u, 0x5u, true } },
	.flash_idle_timeout_ms = 60000u,
};

const ub_family ub_family_stm32h5 = {
	.name = "stm32h5",
	.core_ap = { 1 },        /* Cortex-M33 AHB-AP (facts B.1) */
	.alt_core_ap = { 1 },    /* single core */
	.dbg_ap = { 0 },         /* APB-AP to DBGMCU, open in every product state (facts B.1) */
	.dbgmcu_idcode = 0xE0044000u, /* the address ST's OpenOCD uses via AP0; 0xE00E4000 UNCONFIRMED alias */
	.dbgmcu_cr = 0xE0044004u,
	.dbgmcu_cr_keep = H5_DBGMCU_KEEP,
	.sysmem_base = 0x0BF80000u, /* facts B.2 (non-secure system flash) */
	.sysmem_end = 0x0BF8FFFFu,  /* 64 KiB: CMSIS-H5 FLASH_SYSTEM_SIZE, seen in a derived header only */
	.debug_device_unlock = h5_check_core_ap,
	/* FLASH_NSSR.BSY (bit 0), also set while option bytes change (facts B.2); one register for
	 * both banks.  Bounded like stm32h5x's longest operation, a mass erase (H5_TIMEOUT_MASS_MS). */
	.flash_busy = { { "FLASH_NSSR", 0x40022020u, 0x1u, false } },
	.flash_idle_timeout_ms = 60000u,
};

/* ---- names ------------------------------------------------------------------------------------- */

static const char *const strategy_names[UB_ATTACH__COUNT] = {
	[UB_ATTACH_NORMAL] = "normal",
	[UB_ATTACH_HOT_PLUG] = "hot-plug",
	[UB_ATTACH_UNDER_RESET] = "under-reset",
	[UB_ATTACH_POWER_CYCLE] = "power-cycle",
	[UB_ATTACH_BOOT0] = "boot0",
	[UB_ATTACH_AP_FALLBACK] = "ap-fallback",
	[UB_ATTACH_RELEASE] = "release",
};

const char *ub_attach_name(ub_attach_strategy s)
{
	if ((unsigned)s >= UB_ATTACH__COUNT)
		return "<invalid>";
	return strategy_names[s];
}

int ub_attach_from_name(const char *name)
{
	for (int s = 0; name && s < UB_ATTACH__COUNT; s++)
		if (!strcmp(name, strategy_names[s]))
			return s;
	return -1;
}

/* ---- messages ---------------------------------------------------------------------------------- */

void attach_log(attach_ctx *c, const char *fmt, ...)
{
	char text[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ocd_log(c->b, "attach %s: %s: %s", c->strategy, c->step, text);
}

ub_err attach_fail(attach_ctx *c, ub_err e, const char *fmt, ...)
{
	char text[480];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return ub_fail(e, "attach %s: %s: %s", c->strategy, c->step, text);
}

ub_err attach_wrap(attach_ctx *c, ub_err e, const char *fmt, ...)
{
	char what[320], cause[512];
	va_list ap;

	/* Copy first: ub_fail() overwrites the buffer ub_last_error() points to. */
	snprintf(cause, sizeof(cause), "%s", ub_last_error());
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return ub_fail(e, "attach %s: %s: %s: %s", c->strategy, c->step, what, cause);
}

/* ---- strategies -------------------------------------------------------------------------------- */

#define STEP(name, fn) { name, fn }
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/*
 * A strategy is an optional prefix (how the chip is reached: reset held, an
 * operator's power cycle...) followed by one of two shared sequences: the plain
 * attach of a running core, or the reset-catch attach of a core held in reset.
 */
static const attach_step plain_attach[] = {
	STEP("DebugPortStart", step_dp_start),
	STEP("ReadIdcode", step_read_idcode),
	STEP("CoreApCheck", step_core_ap_check),
	STEP("DebugDeviceUnlock", step_device_unlock),
	STEP("DebugCoreStart", step_core_start),
	STEP("CoreHalt", step_core_halt),
	STEP("CoreState", step_core_state),
};

/*
 * With NRST held the firmware cannot run, so it cannot turn the debug pins into GPIOs or lock the
 * supply first.  The Cortex-M debug registers answer under NRST (Armv7-M: debug logic is reset by
 * power-on only), DBGMCU answers through the debug AP (facts A.1); C_HALT and VC_CORERESET halt
 * the core before its first instruction once NRST is released (facts C).
 */
static const attach_step reset_catch_attach[] = {
	STEP("DebugPortStart", step_dp_start),
	STEP("CoreApCheck", step_core_ap_check),
	STEP("DebugDeviceUnlock", step_device_unlock),
	STEP("DbgmcuKeepAlive", step_dbgmcu_keep_alive),
	STEP("DebugCoreStart", step_core_start_halt),
	STEP("ResetCatchSet", step_reset_catch_set),
	STEP("ResetHardwareDeassert", step_reset_deassert),
	STEP("CoreWaitHalt", step_core_wait_halt),
	STEP("ResetCatchClear", step_reset_catch_clear),
	STEP("CoreState", step_core_state),
};

static const attach_step poll_off_only[] = {
	STEP("BackgroundPollOff", step_poll_off),
};

/* Nothing here writes to the core or drives NRST: a running core keeps running. */
static const attach_step hot_plug_steps[] = {
	STEP("BackgroundPollOff", step_poll_off),
	STEP("DebugPortStart", step_dp_start),
	STEP("ReadIdcode", step_read_idcode),
	STEP("CoreState", step_core_peek),
};

static const attach_step under_reset_prefix[] = {
	STEP("BackgroundPollOff", step_poll_off),
	STEP("ResetHardwareAssert", step_reset_assert),
	STEP("DebugPortReconnect", step_dp_reconnect),
};

/*
 * A supply lockout survives NRST (facts A.5): only a power cycle clears PWR_CR3, and the firmware
 * writes it again milliseconds after reset.  With NRST held through the power cycle the chip comes
 * back held in reset, and the rest is the under-reset sequence without asserting NRST again.
 */
static const attach_step power_cycle_prefix[] = {
	STEP("BackgroundPollOff", step_poll_off),
	STEP("ResetHardwareAssert", step_reset_assert),
	STEP("DebugPortProbe", step_dp_probe),
	STEP("OperatorAction", step_ask_power_cycle),
	STEP("WaitPowerLoss", step_wait_power_loss),
	STEP("WaitPowerReturn", step_wait_power_return),
};

/* BOOT0 high at power-on runs the system bootloader, which never writes PWR_CR3 (facts A.5). */
static const attach_step boot0_prefix[] = {
	STEP("BackgroundPollOff", step_poll_off),
	STEP("DebugPortProbe", step_dp_probe),
	STEP("OperatorAction", step_ask_boot0),
	STEP("WaitPowerLoss", step_wait_power_loss),
	STEP("WaitPowerReturn", step_wait_power_return),
};

/*
 * Let the firmware run from reset as it would without a debugger: a reset
 * catch or C_HALT left by an earlier session (DEMCR and DHCSR survive NRST,
 * facts C) would otherwise stop it before its first instruction.  Used by
 * the recovery scripts to see whether a chip that answers now still answers
 * once its firmware has run.
 */
static const attach_step release_steps[] = {
	STEP("BackgroundPollOff", step_poll_off),
	STEP("DebugPortStart", step_dp_start),
	STEP("CoreApCheck", step_core_ap_check),
	STEP("FlashIdleWait", step_flash_idle_wait),
	STEP("ResetCatchClear", step_reset_catch_clear),
	STEP("DebugCoreStop", step_core_stop),
	STEP("ResetHardwareAssert", step_reset_assert),
	STEP("ResetHardwareDeassert", step_reset_deassert),
};

typedef struct strategy_plan {
	const attach_step *prefix;
	size_t prefix_count;
	const attach_step *steps;
	size_t count;
	bool operator_step;  /* needs operator_timeout_ms */
} strategy_plan;

#define PLAN(pre, seq, op) { pre, COUNT(pre), seq, COUNT(seq), op }
#define ONLY(seq) { NULL, 0, seq, COUNT(seq), false }

static const strategy_plan plans[UB_ATTACH__COUNT] = {
	[UB_ATTACH_NORMAL] = PLAN(poll_off_only, plain_attach, false),
	[UB_ATTACH_HOT_PLUG] = ONLY(hot_plug_steps),
	[UB_ATTACH_UNDER_RESET] = PLAN(under_reset_prefix, reset_catch_attach, false),
	[UB_ATTACH_POWER_CYCLE] = PLAN(power_cycle_prefix, reset_catch_attach, true),
	[UB_ATTACH_BOOT0] = PLAN(boot0_prefix, plain_attach, true),
	/* The plain attach on the other core's AP (see core_ap_for()). */
	[UB_ATTACH_AP_FALLBACK] = PLAN(poll_off_only, plain_attach, false),
	[UB_ATTACH_RELEASE] = ONLY(release_steps),
};

static size_t plan_length(const strategy_plan *p)
{
	return p->prefix_count + p->count;
}

static const attach_step *plan_step(const strategy_plan *p, size_t i)
{
	return i < p->prefix_count ? &p->prefix[i] : &p->steps[i - p->prefix_count];
}

static ub_ap core_ap_for(ub_attach_strategy s, const ub_family *f)
{
	return s == UB_ATTACH_AP_FALLBACK ? f->alt_core_ap : f->core_ap;
}

/* Everything checked before the chip is touched: options, and the APs the strategy needs. */
static ub_err check_args(ocd_bridge *b, ub_attach_strategy s, const ub_attach_opts *o, ub_attach_result *r)
{
	const char *name = ub_attach_name(s);

	if (!b || !b->interp || !o || !r)
		return ub_fail(UB_ERR_ARG, "attach: NULL bridge, options or result");
	if ((unsigned)s >= UB_ATTACH__COUNT)
		return ub_fail(UB_ERR_ARG, "attach: unknown strategy %d", (int)s);
	if (!o->family)
		return ub_fail(UB_ERR_ARG, "attach %s: no chip family given", name);
	if (o->halt_timeout_ms == 0)
		return ub_fail(UB_ERR_ARG, "attach %s: halt timeout must be at least 1 ms", name);
	if (plans[s].operator_step && o->operator_timeout_ms == 0)
		return ub_fail(UB_ERR_ARG, "attach %s: operator timeout must be at least 1 ms", name);
	if (!b->dap[0])
		return ub_fail(UB_ERR_NOT_CONFIGURED, "attach %s: no DAP configured (stm32unbrick bridge -dap NAME)",
			       name);

	const ub_ap need[2] = { o->family->dbg_ap, core_ap_for(s, o->family) };
	const char *role[2] = { "the debug AP (DBGMCU)", "the core's AP" };

	for (int i = 0; i < 2; i++)
		if (need[i].num >= UB_MAX_AP || !b->memap[need[i].num][0])
			return ub_fail(UB_ERR_NOT_CONFIGURED,
				       "attach %s: %s on %s is AP%u, which has no mem_ap target (create one with "
				       "`target create CHIP.ap%u mem_ap -dap DAP -ap-num %u`, then "
				       "stm32unbrick bridge)",
				       name, role[i], o->family->name, need[i].num, need[i].num, need[i].num);
	return UB_OK;
}

/* The plan, a few steps per line: OpenOCD's `echo` line through ocd_log() holds 255 characters. */
static void log_plan(attach_ctx *c, const strategy_plan *p)
{
	char list[160];
	size_t used = 0;

	ocd_log(c->b, "attach %s: %s, core on AP%u, DBGMCU on AP%u, %zu steps:", c->strategy, c->f->name,
		c->core_ap.num, c->f->dbg_ap.num, plan_length(p));
	for (size_t i = 0; i < plan_length(p); i++) {
		const char *name = plan_step(p, i)->name;

		if (used && used + strlen(name) + 2 >= sizeof(list)) {
			ocd_log(c->b, "attach %s:   %s", c->strategy, list);
			used = 0;
		}
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", used ? ", " : "", name);
	}
	if (used)
		ocd_log(c->b, "attach %s:   %s", c->strategy, list);
}

/* After a failure: never leave the board held in reset by us.  The failure's message stays. */
static void release_reset_after_failure(attach_ctx *c)
{
	char kept[512];
	ub_err e;

	if (!c->srst_held)
		return;
	snprintf(kept, sizeof(kept), "%s", ub_last_error());
	e = ocd_srst(c->b, false);
	c->step = "ResetHardwareDeassert";
	if (e == UB_OK) {
		c->srst_held = false;
		attach_log(c, "NRST released after the failure above");
	} else {
		attach_log(c, "could not release NRST after the failure: %s", ub_last_error());
	}
	ub_fail(UB_ERR_ARG, "%s", kept); /* restore the message; the code is returned by the caller */
}

static ub_err run_plan(attach_ctx *c, const strategy_plan *p)
{
	const char *prefix_fmt = "attach %s: %s: ";
	char prefix[96];
	ub_err e = UB_OK;

	log_plan(c, p);
	for (size_t i = 0; i < plan_length(p) && e == UB_OK; i++) {
		c->step = plan_step(p, i)->name;
		e = plan_step(p, i)->fn(c);
		if (e == UB_OK)
			continue;
		/* Every message names the strategy and the step, whoever wrote it. */
		snprintf(prefix, sizeof(prefix), prefix_fmt, c->strategy, c->step);
		if (strncmp(ub_last_error(), prefix, strlen(prefix)) != 0)
			e = attach_wrap(c, e, "failed");
	}
	if (e != UB_OK)
		release_reset_after_failure(c);
	return e;
}

ub_err ub_attach(ocd_bridge *b, ub_attach_strategy s, const ub_attach_opts *o, ub_attach_result *r)
{
	attach_ctx c;
	ub_err e = check_args(b, s, o, r);

	if (e)
		return e;
	memset(r, 0, sizeof(*r));
	memset(&c, 0, sizeof(c));
	c.b = b;
	c.o = o;
	c.f = o->family;
	c.r = r;
	c.s = s;
	c.strategy = ub_attach_name(s);
	c.step = "plan";
	c.core_ap = core_ap_for(s, o->family);
	r->strategy = s;
	r->core_ap = c.core_ap;
	e = run_plan(&c, &plans[s]);
	if (e == UB_OK) {
		c.step = "done";
		attach_log(&c, "halted %d, PC 0x%08x, DHCSR 0x%08x, power cycled %d, in bootloader %d", r->halted,
			   (unsigned)r->pc, (unsigned)r->dhcsr, r->power_cycled, r->in_bootloader);
	}
	return e;
}
