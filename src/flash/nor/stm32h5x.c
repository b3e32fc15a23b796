/*
 * STM32H5 flash controller access for recovery: the security attribute of
 * AP1's transactions, identification, option-byte reading and programming,
 * and the helpers the erase/program (stm32h5x_flash.c) and product-state
 * (stm32h5x_ps.c) files share.
 *
 * Facts: ../shared/facts/stm32-facts.md B.1 (AP0/AP1, DBGMCU views, CSW
 * SPROT), B.2 (register map, keys, NSCR/NSSR/OPTCR bits, option sequence).
 * All chip access goes through the bridge; every wait through ub_poll_until().
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../target/h5_dbgmcu.h"
#include "../../target/poll.h"
#include "stm32h5x_internal.h"

const h5_ctl h5_ctl_ns = { false, H5_FLASH_REGS_NS, { 0x04 }, { 0x20 }, { 0x28 }, { 0x30 }, { 0x10 }, { 0x40 },
			   "NSSR", "NSCR", "NSOBKCFGR" };
const h5_ctl h5_ctl_s = { true, H5_FLASH_REGS_S, { 0x08 }, { 0x24 }, { 0x2C }, { 0x34 }, { 0x14 }, { 0x44 },
			  "SECSR", "SECCR", "SECOBKCFGR" };
/* The non-secure registers reached with secure transactions: how ST's tools program option bytes
 * with TrustZone on (facts B.1: secure CSW when TZEN = 0xB4; B.2: options through the NS registers). */
const h5_ctl h5_ctl_ns_secure = { true, H5_FLASH_REGS_NS, { 0x04 }, { 0x20 }, { 0x28 }, { 0x30 }, { 0x10 },
				  { 0x40 }, "NSSR", "NSCR", "NSOBKCFGR" };

unsigned h5_scaled(const h5_target *t, unsigned ms)
{
	unsigned pct = t->timeout_scale_pct ? t->timeout_scale_pct : 100;
	return (unsigned)(((uint64_t)ms * pct + 99) / 100);
}

ub_err h5_wrap_error(ub_err e, const char *fmt, ...)
{
	char prefix[256], cause[512];
	va_list ap;

	/* ub_fail() writes the buffer ub_last_error() points to: copy the cause first. */
	snprintf(cause, sizeof(cause), "%s", ub_last_error());
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	return ub_fail(e, "%s: %s", prefix, cause);
}

ub_err h5_need_line(const h5_target *t, const char *op)
{
	if (!t || !t->b || !t->line)
		return ub_fail(UB_ERR_ARG, "%s: chip not identified (run `stm32unbrick h5 identify`)", op);
	return UB_OK;
}

/* ---- Security attribute of AP1 transactions (facts B.1) ------------------------------------------ */

void h5_begin_command(h5_target *t, ocd_bridge *b)
{
	t->b = b;
	t->dbg = ub_ap_num(H5_AP_DBG);
	t->sys = ub_ap_num(H5_AP_SYS);
	t->csw_found_secure = -1;
	t->csw_now_secure = -1;
}

/*
 * Only SPROT is touched: OpenOCD's own pattern (0xa2000000 on a fresh 0.12 AP: privileged data
 * access, secure) stays as it is otherwise.  The first change of a command reads the pattern so
 * that h5_end_command() can put it back: the cortex_m target on the same AP relies on it.
 */
ub_err h5_set_secure(h5_target *t, bool secure)
{
	if (t->csw_now_secure < 0) {
		uint32_t csw;
		ub_err e = ocd_ap_csw_read(t->b, t->sys, &csw);
		if (e != UB_OK)
			return e;
		t->csw_found_secure = t->csw_now_secure = !(csw & OCD_CSW_SPROT);
	}
	if (t->csw_now_secure == (int)secure)
		return UB_OK;
	ub_err e = ocd_ap_csw(t->b, t->sys, secure ? 0 : OCD_CSW_SPROT, OCD_CSW_SPROT);
	t->csw_now_secure = e == UB_OK ? (int)secure : -1;
	if (e != UB_OK)
		t->csw_found_secure = -1;
	return e;
}

ub_err h5_end_command(h5_target *t, ub_err e)
{
	if (t->csw_found_secure < 0 || t->csw_found_secure == t->csw_now_secure)
		return e;
	/* Keep the first error's message: a failed restore only matters when all else went well. */
	if (e != UB_OK) {
		char saved[512];
		snprintf(saved, sizeof(saved), "%s", ub_last_error());
		h5_set_secure(t, t->csw_found_secure);
		ub_fail(e, "%s", saved);
		return e;
	}
	return h5_set_secure(t, t->csw_found_secure);
}

ub_err h5_sys_read(h5_target *t, bool secure, uint32_t addr, uint32_t *words, size_t n)
{
	ub_err e = h5_set_secure(t, secure);
	return e != UB_OK ? e : ocd_mem_read(t->b, t->sys, addr, words, n);
}

ub_err h5_sys_write(h5_target *t, bool secure, uint32_t addr, const uint32_t *words, size_t n)
{
	ub_err e = h5_set_secure(t, secure);
	return e != UB_OK ? e : ocd_mem_write(t->b, t->sys, addr, words, n);
}

ub_err h5_reg_read(h5_target *t, const h5_ctl *c, h5_reg_off r, uint32_t *v)
{
	return h5_sys_read(t, c->secure, c->base + r.off, v, 1);
}

ub_err h5_reg_write(h5_target *t, const h5_ctl *c, h5_reg_off r, uint32_t v)
{
	return h5_sys_write(t, c->secure, c->base + r.off, &v, 1);
}

/* ---- Shared sequences (facts B.2) ------------------------------------------------------------- */

ub_err h5_unlock(h5_target *t, const h5_ctl *c, h5_reg_off key, h5_reg_off ctl, uint32_t k1, uint32_t k2,
		 uint32_t lock_bit, const char *ctl_name)
{
	uint32_t v;
	ub_err e = h5_reg_read(t, c, ctl, &v);
	if (e != UB_OK || !(v & lock_bit))
		return e;
	if ((e = h5_reg_write(t, c, key, k1)) != UB_OK || (e = h5_reg_write(t, c, key, k2)) != UB_OK)
		return e;
	if ((e = h5_reg_read(t, c, ctl, &v)) != UB_OK)
		return e;
	if (v & lock_bit)
		return ub_fail(UB_ERR_REFUSED, "FLASH_%s stayed locked after the key sequence (0x%08x at 0x%08x): a "
			       "wrong key earlier locks it until the next reset", ctl_name, v, c->base + ctl.off);
	return UB_OK;
}

unsigned h5_est_bank_erase_ms(const h5_target *t)
{
	return t->geo.sectors_per_bank * H5_EST_SECTOR_ERASE_MS;
}

unsigned h5_est_regression_ms(const h5_target *t)
{
	return 2u * h5_est_bank_erase_ms(t) + H5_EST_REBOOT_MS;
}

ub_err h5_wait_idle(h5_target *t, const h5_ctl *c, const char *step, unsigned timeout_ms, unsigned expected_ms,
		    uint32_t *sr)
{
	char name[16];
	snprintf(name, sizeof(name), "FLASH_%s", c->sr_name);
	ub_poll p = { step, name, t->sys, c->base + c->sr.off, H5_SR_IDLE_MASK, 0, timeout_ms, expected_ms, true };
	ub_err e = h5_set_secure(t, c->secure);
	return e != UB_OK ? e : ub_poll_until(t->b, &p, sr);
}

void h5_sr_error_names(uint32_t sr, char *out, size_t len)
{
	static const char *const names[] = { "WRPERR (write protection)", "PGSERR (programming sequence)",
					     "STRBERR", "INCERR", "OBKERR", "OBKWERR", "OPTCHANGEERR" };
	size_t used = 0;
	out[0] = '\0';
	for (unsigned bit = 17; bit <= 23; bit++)
		if ((sr & (1u << bit)) && used < len)
			used += (size_t)snprintf(out + used, len - used, "%s%s", used ? " " : "", names[bit - 17]);
}

ub_err h5_check_errors(h5_target *t, const h5_ctl *c, const char *step, uint32_t addr, uint32_t sr)
{
	char names[160];
	if (!(sr & H5_SR_ERRORS))
		return UB_OK;
	/* Clear them, so that the next operation does not trip on this one's flags. */
	(void)h5_reg_write(t, c, c->ccr, sr & (H5_SR_ERRORS | H5_SR_EOP));
	h5_sr_error_names(sr, names, sizeof(names));
	return ub_fail(UB_ERR_REFUSED, "%s at 0x%08x: FLASH_%s = 0x%08x reports %s", step, addr, c->sr_name, sr, names);
}

/* Setting LOCK leaves the other bits as they are (RM, as the simulator models it): clear PG, SER, BER,
 * MER first, so that nothing is left armed for whoever unlocks next. */
ub_err h5_lock(h5_target *t, const h5_ctl *c, ub_err e)
{
	ub_err l = h5_reg_write(t, c, c->cr, 0);
	ub_err k = h5_reg_write(t, c, c->cr, H5_CR_LOCK);
	return e != UB_OK ? e : l != UB_OK ? l : k;
}

/* ---- Identification (facts B.1) ---------------------------------------------------------------- */

/* IDCODE at one DBGMCU view: UB_OK only for a DEV_ID we know. */
static ub_err read_idcode_at(h5_target *t, uint32_t addr, uint32_t *idcode)
{
	ub_err e = ocd_mem_read32(t->b, t->dbg, addr, idcode);
	if (e != UB_OK)
		return e;
	if (!h5_line_by_dev_id(*idcode & 0xFFF))
		return ub_fail(UB_ERR_UNSUPPORTED, "DBGMCU_IDCODE at 0x%08x (AP%u) reads 0x%08x: DEV_ID 0x%03x is not "
			       "an STM32H5 (0x474, 0x478, 0x484)", addr, t->dbg.num, *idcode, *idcode & 0xFFF);
	return UB_OK;
}

static ub_err identify_idcode(h5_target *t)
{
	uint32_t idcode = 0;
	char first[256];
	ub_err e = read_idcode_at(t, H5_DBGMCU_ST, &idcode);
	t->dbgmcu = H5_DBGMCU_ST;
	if (e != UB_OK) {
		snprintf(first, sizeof(first), "%s", ub_last_error());
		t->dbgmcu = H5_DBGMCU_RM;
		e = read_idcode_at(t, H5_DBGMCU_RM, &idcode);
		if (e != UB_OK)
			return h5_wrap_error(e, "h5 identify: no STM32H5 DBGMCU answered through AP%u: %s; then",
					     t->dbg.num, first);
	}
	t->dev_id = idcode & 0xFFF;
	t->rev_id = (uint16_t)(idcode >> 16);
	t->line = h5_line_by_dev_id(t->dev_id);
	return UB_OK;
}

/*
 * AP1: OPTSR_CUR decides whether it is open; then OPTSR2_CUR and the flash size (16 bits, KiB).  The
 * target scripts create AP1's mem_ap with -defer-examine (a closed product state refuses it); the
 * bridge examines it on its first access (ocd_bridge.c).  When DBGMCU_SR (AP0) already says AP1 is
 * disabled, AP1 is not touched: a closed AP1 only fills OpenOCD's log with errors, and callers that
 * wait for AP1 to open poll this.
 */
static void identify_ap1(h5_target *t, unsigned *kib)
{
	uint32_t size_word, sr;

	if (ocd_mem_read32(t->b, t->dbg, t->dbgmcu + UB_DBGMCU_SR, &sr) == UB_OK && !(sr & UB_DBGMCU_SR_AP1_ENABLED)) {
		t->optsr_cur = t->optsr2_cur = 0;
		return;
	}
	ub_clear_error();
	t->ap1_open = h5_sys_read(t, false, H5_FLASH_REGS_NS + H5_REG_OPTSR_CUR.off, &t->optsr_cur, 1) == UB_OK &&
		      h5_sys_read(t, false, H5_FLASH_REGS_NS + H5_REG_OPTSR2_CUR.off, &t->optsr2_cur, 1) == UB_OK;
	if (!t->ap1_open) {
		t->optsr_cur = t->optsr2_cur = 0;
		ub_clear_error();
		return;
	}
	if (h5_sys_read(t, false, H5_FLASH_SIZE_ADDR, &size_word, 1) == UB_OK) {
		*kib = size_word & 0xFFFF;
		t->flash_kib_known = true;
	}
	ub_clear_error();
}

ub_err h5_identify(h5_target *t)
{
	if (!t || !t->b)
		return ub_fail(UB_ERR_ARG, "h5_identify: NULL argument");
	t->line = NULL;
	t->ap1_open = t->flash_kib_known = false;
	ub_err e = identify_idcode(t);
	if (e != UB_OK)
		return e;
	unsigned kib = 0;
	identify_ap1(t, &kib);
	/* An erased or impossible size word: take the line's largest, as the flag says. */
	if (!t->flash_kib_known || h5_geometry_for(t->line, kib, &t->geo) != UB_OK) {
		t->flash_kib_known = false;
		ub_clear_error();
		return h5_geometry_for(t->line, t->line->max_kib, &t->geo);
	}
	return UB_OK;
}

uint8_t h5_target_product_state(const h5_target *t)
{
	return (uint8_t)(t->optsr_cur >> H5_OPTSR_PS_SHIFT);
}

uint8_t h5_target_tzen(const h5_target *t)
{
	if (!t->ap1_open || !t->line || !t->line->has_trustzone)
		return 0;
	return (uint8_t)(t->optsr2_cur >> H5_OPTSR2_TZEN_SHIFT);
}

/* ---- Option bytes (facts B.2) ------------------------------------------------------------------ */

ub_err h5_ob_read_both(h5_target *t, h5_ob *cur, h5_ob *prg)
{
	ub_err e = h5_need_line(t, "h5 option read");
	if (e != UB_OK)
		return e;
	h5_ob_init(cur, t->line);
	if (prg)
		h5_ob_init(prg, t->line);
	for (uint8_t i = 0; i < h5_ob_reg_count(); i++) {
		if (!cur->present[i])
			continue;
		h5_ob_reg_idx idx = { i };
		const h5_ob_reg *r = h5_ob_reg_at(idx);
		uint32_t pair[2];
		/* _PRG sits right after _CUR for every option register: one read for both. */
		e = h5_sys_read(t, false, H5_FLASH_REGS_NS + r->cur.off, pair, prg ? 2 : 1);
		if (e != UB_OK)
			return e;
		cur->value[i] = pair[0];
		if (prg)
			prg->value[i] = pair[1];
	}
	return UB_OK;
}

ub_err h5_ob_read(h5_target *t, h5_ob *ob)
{
	return h5_ob_read_both(t, ob, NULL);
}

/* Every _PRG register that does not already hold the wanted value gets it, and is read back. */
static ub_err write_prg_registers(h5_target *t, const h5_ctl *c, const h5_ob *want, const h5_ob *prg)
{
	for (uint8_t i = 0; i < h5_ob_reg_count(); i++) {
		if (!want->present[i] || want->value[i] == prg->value[i])
			continue;
		h5_ob_reg_idx idx = { i };
		const h5_ob_reg *r = h5_ob_reg_at(idx);
		uint32_t addr = c->base + r->prg.off, back = 0;
		/* The old value in OpenOCD's log before the write: a snapshot even when this command is
		 * typed directly (unbrick saves option-bytes.txt before it gets here). */
		ocd_log(t->b, "h5 option bytes: FLASH_%s_PRG 0x%08x -> 0x%08x", r->name, prg->value[i], want->value[i]);
		ub_err e = h5_reg_write(t, c, r->prg, want->value[i]);
		if (e == UB_OK)
			e = h5_reg_read(t, c, r->prg, &back);
		if (e != UB_OK)
			return e;
		if (back != want->value[i])
			return ub_fail(UB_ERR_VERIFY, "FLASH_%s_PRG at 0x%08x: wrote 0x%08x, read back 0x%08x", r->name,
				       addr, want->value[i], back);
	}
	return UB_OK;
}

/* OPTCHANGEERR left from an earlier attempt blocks OPTSTRT (facts B.2): clear it first. */
static ub_err clear_stale_optchangeerr(h5_target *t, const h5_ctl *c, uint32_t sr)
{
	if (!(sr & H5_SR_OPTCHANGEERR))
		return UB_OK;
	return h5_reg_write(t, c, c->ccr, H5_SR_OPTCHANGEERR);
}

static ub_err start_and_wait(h5_target *t, const h5_ctl *c, unsigned timeout_ms, bool expect_reset, bool *lost)
{
	uint32_t optcr, sr = 0;
	ub_err e = h5_reg_read(t, c, H5_REG_OPTCR, &optcr);
	if (e == UB_OK)
		e = h5_reg_write(t, c, H5_REG_OPTCR, (optcr & ~H5_OPTCR_OPTLOCK) | H5_OPTCR_OPTSTRT);
	if (e != UB_OK)
		return e;
	e = h5_wait_idle(t, c, "option-byte change", timeout_ms, H5_EST_OPTION_MS, &sr);
	if (e != UB_OK && e != UB_ERR_TIMEOUT && expect_reset) {
		/* The PRODUCT_STATE change reset the chip under us: the caller waits for it to come back. */
		*lost = true;
		return UB_OK;
	}
	if (e != UB_OK)
		return e;
	if (sr & H5_SR_OPTCHANGEERR) {
		(void)h5_reg_write(t, c, c->ccr, H5_SR_OPTCHANGEERR);
		return ub_fail(UB_ERR_REFUSED, "the chip refused the option-byte change: OPTCHANGEERR in FLASH_NSSR "
			       "(0x%08x at 0x%08x)", sr, c->base + c->sr.off);
	}
	return UB_OK;
}

/*
 * The non-secure registers always (facts B.2); with TrustZone on, in the states whose debug reaches
 * the secure side (Open, Provisioning), through secure transactions as ST's tools do, so that the
 * secure option registers (SECWMxR, SECBOOTR) take the write too.
 */
static const h5_ctl *option_ctl(const h5_ob *cur)
{
	uint32_t ps = 0;
	h5_ob_get(cur, "PRODUCT_STATE", &ps);
	if (h5_ob_tz_enabled(cur) && (ps == H5_PS_OPEN || ps == H5_PS_PROVISIONING))
		return &h5_ctl_ns_secure;
	return &h5_ctl_ns;
}

ub_err h5_ob_program(h5_target *t, const h5_ob *want, unsigned timeout_ms, bool expect_reset, bool *lost)
{
	h5_ob cur, prg;
	uint32_t sr = 0;
	*lost = false;
	ub_err e = h5_ob_read_both(t, &cur, &prg);
	if (e != UB_OK)
		return e;
	const h5_ctl *c = option_ctl(&cur);
	e = h5_wait_idle(t, c, "option-byte change (idle before start)", h5_scaled(t, H5_TIMEOUT_IDLE_MS), 0, &sr);
	if (e == UB_OK)
		e = clear_stale_optchangeerr(t, c, sr);
	if (e != UB_OK)
		return e;
	e = h5_unlock(t, c, c->keyr, c->cr, H5_KEY1, H5_KEY2, H5_CR_LOCK, "NSCR");
	if (e == UB_OK)
		e = h5_unlock(t, c, H5_REG_OPTKEYR, H5_REG_OPTCR, H5_OPTKEY1, H5_OPTKEY2, H5_OPTCR_OPTLOCK, "OPTCR");
	if (e == UB_OK)
		e = write_prg_registers(t, c, want, &prg);
	if (e == UB_OK)
		e = start_and_wait(t, c, timeout_ms, expect_reset, lost);
	if (*lost)
		return e; /* the reset locked everything already; the bus is gone */
	/* Always leave OPTCR and NSCR locked, whatever failed; keep the first error. */
	ub_err l = h5_lock(t, c, h5_reg_write(t, c, H5_REG_OPTCR, H5_OPTCR_OPTLOCK));
	if (e == UB_OK && l != UB_OK && expect_reset) {
		/* The reset came between the end of the change and our re-lock: it re-locked them. */
		*lost = true;
		ub_clear_error();
		return UB_OK;
	}
	return e != UB_OK ? e : l;
}

static ub_err verify_options(h5_target *t, const h5_ob *want)
{
	h5_ob now;
	const char *names[1];
	ub_err e = h5_ob_read(t, &now);
	if (e != UB_OK)
		return e;
	if (h5_ob_diff(want, &now, names, 1) == 0)
		return UB_OK;
	uint32_t w = 0, g = 0;
	h5_ob_get(want, names[0], &w);
	h5_ob_get(&now, names[0], &g);
	return ub_fail(UB_ERR_VERIFY, "option bytes after the change: %s reads 0x%x, wanted 0x%x (FLASH *_CUR)",
		       names[0], g, w);
}

ub_err h5_ob_write(h5_target *t, const h5_ob *want, unsigned timeout_ms)
{
	ub_err e = h5_need_line(t, "h5_ob_write");
	if (e != UB_OK || !want || want->line != t->line)
		return e != UB_OK ? e : ub_fail(UB_ERR_ARG, "h5_ob_write: options of another line");
	h5_ob have;
	uint32_t ps_have, ps_want;
	const char *names[1];
	if ((e = h5_ob_read(t, &have)) != UB_OK)
		return e;
	h5_ob_get(&have, "PRODUCT_STATE", &ps_have);
	h5_ob_get(want, "PRODUCT_STATE", &ps_want);
	if (ps_have != ps_want)
		return ub_fail(UB_ERR_REFUSED, "PRODUCT_STATE is changed with `stm32unbrick h5 product_state`, which "
			       "checks the debug-authentication credentials first");
	if (h5_ob_diff(want, &have, names, 1) == 0)
		return UB_OK; /* nothing to change: idempotent */
	bool lost;
	e = h5_ob_program(t, want, timeout_ms ? timeout_ms : h5_scaled(t, H5_TIMEOUT_OPTION_MS), false, &lost);
	return e != UB_OK ? e : verify_options(t, want);
}

/* ---- Register dump ----------------------------------------------------------------------------- */

/* Key and clear registers are write-only: nothing to show. */
static bool write_only(const char *name)
{
	size_t n = strlen(name);
	return (n >= 4 && !strcmp(name + n - 4, "KEYR")) || !strcmp(name, "NSCCR") || !strcmp(name, "SECCCR");
}

/* The secure control registers (SECSR, SECCR, SECOBKCFGR, SECBBxRy): meaningful only to a secure
 * transaction with TrustZone on (they read 0 otherwise, facts B.2 "(S)"). */
static bool secure_only(const char *name)
{
	return !strncmp(name, "SEC", 3) && !strstr(name, "_CUR") && !strstr(name, "_PRG");
}

typedef struct reg_pass {
	const h5_ctl *c;
	bool secure_regs;          /* this pass reads the secure-only registers, the other pass the rest */
} reg_pass;

static bool in_pass(const h5_target *t, const reg_pass *p, size_t i)
{
	const h5_flash_reg *r = h5_flash_reg_at(i);
	return (r->lines & t->line->line) && !write_only(r->name) && secure_only(r->name) == p->secure_regs;
}

/* A run of registers of the pass at consecutive offsets: one read for all of them. */
static size_t run_length(const h5_target *t, const reg_pass *p, size_t i)
{
	size_t n = 1;
	while (i + n < h5_flash_reg_count() && in_pass(t, p, i + n) &&
	       h5_flash_reg_at(i + n)->off.off == h5_flash_reg_at(i + n - 1)->off.off + 4)
		n++;
	return n;
}

/* One pass; a register that faults must not hide the others, so a failed run is read one by one. */
static size_t read_pass(h5_target *t, const reg_pass *p, uint32_t *values, bool *ok, char *first, size_t len)
{
	size_t got = 0;
	for (size_t i = 0; i < h5_flash_reg_count();) {
		if (!in_pass(t, p, i)) {
			i++;
			continue;
		}
		size_t n = run_length(t, p, i);
		ub_err e = h5_sys_read(t, p->c->secure, p->c->base + h5_flash_reg_at(i)->off.off, values + i, n);
		if (e != UB_OK && !first[0])
			snprintf(first, len, "%s", ub_last_error());
		for (size_t k = 0; k < n; k++) {
			const h5_flash_reg *r = h5_flash_reg_at(i + k);
			ok[i + k] = e == UB_OK || (n > 1 && h5_reg_read(t, p->c, r->off, values + i + k) == UB_OK);
			got += ok[i + k];
		}
		i += n;
	}
	return got;
}

ub_err h5_flash_regs_read(h5_target *t, uint32_t *values, bool *ok, size_t n)
{
	ub_err e = h5_need_line(t, "h5 registers");
	if (e != UB_OK || !values || !ok || n < h5_flash_reg_count())
		return e != UB_OK ? e : ub_fail(UB_ERR_ARG, "h5_flash_regs_read: buffers too small");
	char first[256] = "";
	reg_pass ns = { &h5_ctl_ns, false }, sec = { &h5_ctl_s, true };
	memset(ok, 0, n * sizeof(*ok));
	size_t got = read_pass(t, &ns, values, ok, first, sizeof(first));
	if (got == 0)
		return ub_fail(UB_ERR_MEM_READ, "h5 registers: no FLASH register answered through AP%u: %s", t->sys.num,
			       first);
	/* Secure debug: TrustZone on and a state that keeps it (Open, Provisioning). */
	uint32_t optsr = values[0], optsr2 = 0;
	bool tz = t->line->has_trustzone && h5_reg_read(t, &h5_ctl_ns, H5_REG_OPTSR_CUR, &optsr) == UB_OK &&
		  h5_reg_read(t, &h5_ctl_ns, H5_REG_OPTSR2_CUR, &optsr2) == UB_OK &&
		  (optsr2 >> H5_OPTSR2_TZEN_SHIFT) == H5_TZEN_ENABLED;
	uint8_t ps = (uint8_t)(optsr >> H5_OPTSR_PS_SHIFT);
	if (tz && (ps == H5_PS_OPEN || ps == H5_PS_PROVISIONING))
		read_pass(t, &sec, values, ok, first, sizeof(first));
	ub_clear_error();
	return UB_OK;
}
