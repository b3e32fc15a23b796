/*
 * STM32H5 product state, debug-authentication credentials and their
 * provisioning.
 *
 * Facts: ../shared/facts/stm32-facts.md B.2 (option sequence, OBK/OTP
 * addresses, OBK keys), B.3 (product states, transitions), B.4 (where the
 * credentials live).  The credential record is ours, the same on both sides:
 * docs/h5-debug-authentication.md section 7.  A PRODUCT_STATE change resets
 * the chip in our model (facts B.2 leave it UNCONFIRMED; CubeProgrammer loses
 * the connection): we wait, bounded, for the debug port to answer again.
 */
#include <string.h>

#include "../../target/poll.h"
#include "stm32h5x_internal.h"

#define RECORD_WORDS      12u   /* docs section 7: 3 quad-words */
#define OTP_HASH_HALVES   16u
#define RECORD_PASSWORD   1u
#define RECORD_CERT       2u
#define PERM_FULL         1u    /* bit 0 full regression, bit 1 partial (docs section 5) */
#define PERM_ALL          3u
#define RECONNECT_POLL_MS 50u

static bool all_erased(const uint32_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (w[i] != 0xFFFFFFFFu)
			return false;
	return true;
}

/* Byte 0 of the digest in bits 7:0 of the first word (docs section 7). */
static void hash_to_words(const uint8_t *hash, uint32_t *w)
{
	for (unsigned i = 0; i < 8; i++)
		w[i] = (uint32_t)hash[4 * i] | (uint32_t)hash[4 * i + 1] << 8 | (uint32_t)hash[4 * i + 2] << 16 |
		       (uint32_t)hash[4 * i + 3] << 24;
}

static void words_to_hash(const uint32_t *w, uint8_t *hash)
{
	for (unsigned i = 0; i < 32; i++)
		hash[i] = (uint8_t)(w[i / 4] >> (8 * (i % 4)));
}

/* TZEN from the chip now: it decides the OBK attribute, the keys and the credential kind. */
static ub_err read_tz(h5_target *t, bool *tz)
{
	uint32_t optsr2 = 0;
	*tz = false;
	if (!t->line->has_trustzone)
		return UB_OK;
	ub_err e = h5_reg_read(t, &h5_ctl_ns, H5_REG_OPTSR2_CUR, &optsr2);
	*tz = (optsr2 >> H5_OPTSR2_TZEN_SHIFT) == H5_TZEN_ENABLED;
	return e;
}

/* The stored words: the OBK record (secure alias; a secure transaction when TrustZone is on, as ST's
 * tools do) or, on the H503, the 32-byte hash in OTP. */
static ub_err read_stored(h5_target *t, bool tz, uint32_t *w, size_t *n, uint32_t *addr)
{
	bool otp = t->line->da_password_in_otp;
	*addr = otp ? H5_OTP_BASE : H5_DA_OBK_ADDR_S;
	*n = otp ? OTP_HASH_HALVES / 2 : RECORD_WORDS;
	return h5_sys_read(t, tz, *addr, w, *n);
}

static void parse_stored(const h5_target *t, const uint32_t *w, size_t n, h5_cred_record *rec)
{
	if (all_erased(w, n))
		return;
	if (rec->in_otp) {
		rec->kind = H5_CRED_PASSWORD_OTP;
		rec->permissions = PERM_FULL;
		words_to_hash(w, rec->hash);
		return;
	}
	bool consistent = (w[0] == RECORD_PASSWORD || w[0] == RECORD_CERT) && w[10] == ~w[0] && w[11] == 0;
	if (!consistent) {
		rec->torn = true; /* a write cut short, or not our record: the ROM would not use it either */
		return;
	}
	rec->kind = w[0] == RECORD_PASSWORD ? H5_CRED_PASSWORD_OBK : H5_CRED_CERTIFICATE_OBK;
	rec->permissions = w[1];
	words_to_hash(w + 2, rec->hash);
}

ub_err h5_cred_read(h5_target *t, h5_cred_record *rec)
{
	uint32_t w[RECORD_WORDS];
	size_t n;
	bool tz;
	ub_err e = h5_need_line(t, "h5 credentials");
	if (e != UB_OK || !rec)
		return e != UB_OK ? e : ub_fail(UB_ERR_ARG, "h5_cred_read: NULL argument");
	memset(rec, 0, sizeof(*rec));
	rec->in_otp = t->line->da_password_in_otp;
	if ((e = read_tz(t, &tz)) == UB_OK)
		e = read_stored(t, tz, w, &n, &rec->addr);
	if (e == UB_OK)
		parse_stored(t, w, n, rec);
	return e;
}

/* ---- Product state ----------------------------------------------------------------------------- */

static bool held_matches(const h5_cred_record *rec, const h5_held_cred *held)
{
	if (!held || held->kind == H5_FILE_NONE || rec->kind == H5_CRED_NONE)
		return false;
	bool kind_ok = held->kind == H5_FILE_CERTIFICATE ? rec->kind == H5_CRED_CERTIFICATE_OBK :
							   rec->kind != H5_CRED_CERTIFICATE_OBK;
	return kind_ok && memcmp(rec->hash, held->hash, sizeof(rec->hash)) == 0;
}

static ub_err explain_refusal(ub_err e, const h5_cred_record *rec, const h5_held_cred *held)
{
	if (!held || held->kind == H5_FILE_NONE || rec->kind == H5_CRED_NONE)
		return e;
	return h5_wrap_error(e, "%s does not match %s stored at 0x%08x", held->path ? held->path : "the file",
			     h5_cred_kind_name(rec->kind), rec->addr);
}

/* After the reset: `dap init` (and a JTAG re-scan) until the debug port answers, bounded.  An AP
 * that does not examine is fine here: AP1 closes in the closed states; the read after tells. */
static ub_err wait_for_debug_port(h5_target *t, unsigned timeout_ms)
{
	uint64_t start = ub_now_ms();
	ub_err e = ocd_sleep_ms(t->b, RECONNECT_POLL_MS);
	while (e == UB_OK) {
		e = ocd_reinit_dap(t->b);
		if (e == UB_OK || e == UB_ERR_AP) {
			ub_clear_error();
			return UB_OK;
		}
		if (e != UB_ERR_DP)
			return e;
		if (ub_now_ms() - start >= timeout_ms)
			return h5_wrap_error(UB_ERR_TIMEOUT, "product state change: the debug port did not answer "
					     "again within %u ms of the chip's reset; last", timeout_ms);
		e = ocd_sleep_ms(t->b, RECONNECT_POLL_MS);
	}
	return e;
}

/* Read PRODUCT_STATE again when AP1 answers; otherwise report the request, unconfirmed. */
static ub_err confirm_state(h5_target *t, uint8_t to, h5_ps_result *res)
{
	uint32_t optsr;
	res->to = to;
	if (h5_reg_read(t, &h5_ctl_ns, H5_REG_OPTSR_CUR, &optsr) != UB_OK) {
		ub_clear_error();
		t->ap1_open = res->ap1_open = false;
		return UB_OK;
	}
	t->ap1_open = res->ap1_open = true;
	t->optsr_cur = optsr;
	res->to = (uint8_t)(optsr >> H5_OPTSR_PS_SHIFT);
	res->confirmed = res->to == to;
	if (!res->confirmed) {
		const char *now = h5_product_state_name(res->to);
		return ub_fail(UB_ERR_VERIFY, "PRODUCT_STATE reads 0x%02x (%s) after the change, wanted 0x%02x (%s)",
			       res->to, now ? now : "not a product state", to, h5_product_state_name(to));
	}
	return UB_OK;
}

/* What the chip holds now, and whether the change may happen (h5_product_state_check). */
static ub_err check_transition(h5_target *t, uint8_t to, const h5_held_cred *held, bool irreversible, h5_ob *ob,
			       h5_ps_result *res)
{
	h5_cred_record rec;
	uint32_t ps;
	ub_err e = h5_ob_read(t, ob);
	if (e != UB_OK)
		return h5_wrap_error(e, "h5 product_state: the option bytes cannot be read through AP1 (a closed "
				     "product state shuts it; debug authentication is the way back)");
	h5_ob_get(ob, "PRODUCT_STATE", &ps);
	res->from = (uint8_t)ps;
	bool tz = h5_ob_tz_enabled(ob);
	if ((e = h5_cred_read(t, &rec)) != UB_OK)
		return e;
	h5_credentials cred = { t->dev_id, rec.kind, held_matches(&rec, held) };
	e = h5_product_state_check(res->from, to, &cred, tz, irreversible);
	return e != UB_OK ? explain_refusal(e, &rec, held) : UB_OK;
}

ub_err h5_product_state_set(h5_target *t, uint8_t to, const h5_held_cred *held, bool irreversible,
			    unsigned timeout_ms, h5_ps_result *res)
{
	h5_ob ob;
	bool lost;
	ub_err e = h5_need_line(t, "h5 product_state");
	if (e != UB_OK || !res)
		return e != UB_OK ? e : ub_fail(UB_ERR_ARG, "h5_product_state_set: NULL argument");
	memset(res, 0, sizeof(*res));
	if (!h5_product_state_name(to))
		return ub_fail(UB_ERR_ARG, "h5 product_state: 0x%02x is not a product state", to);
	unsigned timeout = timeout_ms ? timeout_ms : h5_scaled(t, H5_TIMEOUT_OPTION_MS);
	if ((e = check_transition(t, to, held, irreversible, &ob, res)) != UB_OK)
		return e;
	if (res->from == to) {
		res->to = to;
		res->confirmed = res->ap1_open = true;
		return UB_OK;
	}
	if ((e = h5_ob_set(&ob, "PRODUCT_STATE", to, irreversible)) != UB_OK)
		return e;
	ocd_log(t->b, "stm32unbrick h5: PRODUCT_STATE 0x%02x -> 0x%02x (%s); the chip resets after the change",
		res->from, to, h5_product_state_name(to));
	if ((e = h5_ob_program(t, &ob, timeout, true, &lost)) != UB_OK)
		return e;
	if ((e = wait_for_debug_port(t, timeout)) != UB_OK)
		return e;
	return confirm_state(t, to, res);
}

/* ---- Provisioning (docs section 7) ------------------------------------------------------------- */

static void make_record(const h5_held_cred *held, uint32_t permissions, uint32_t *w)
{
	w[0] = held->kind == H5_FILE_PASSWORD ? RECORD_PASSWORD : RECORD_CERT;
	w[1] = permissions;
	hash_to_words(held->hash, w + 2);
	w[10] = ~w[0];
	w[11] = 0;
}

/* OBK keys and configuration register (facts B.2): the secure ones with TrustZone on. */
static ub_err write_obk(h5_target *t, const h5_ctl *c, const uint32_t *rec, unsigned timeout)
{
	uint32_t sr, cfg;
	bool obk_unlocked = false;
	ub_err e = h5_wait_idle(t, c, "OBK programming (idle before start)", h5_scaled(t, H5_TIMEOUT_IDLE_MS), 0, &sr);
	if (e != UB_OK)
		return e;
	e = h5_unlock(t, c, c->keyr, c->cr, H5_KEY1, H5_KEY2, H5_CR_LOCK, c->cr_name);
	if (e == UB_OK)
		e = h5_reg_write(t, c, c->ccr, H5_SR_ERRORS | H5_SR_EOP);
	if (e == UB_OK)
		e = h5_unlock(t, c, c->obkkeyr, c->obkcfgr, H5_OBKKEY1, H5_OBKKEY2, H5_OBKCFGR_LOCK, c->obkcfgr_name);
	obk_unlocked = e == UB_OK;
	if (e == UB_OK)
		e = h5_reg_write(t, c, c->cr, H5_CR_PG);
	if (e == UB_OK)
		e = h5_sys_write(t, c->secure, H5_DA_OBK_ADDR_S, rec, RECORD_WORDS);
	if (e == UB_OK)
		e = h5_wait_idle(t, c, "OBK programming", timeout, 0, &sr);
	if (e == UB_OK)
		e = h5_check_errors(t, c, "OBK programming", H5_DA_OBK_ADDR_S, sr);
	/* Always: OBK configuration locked again, then PG off and the control register locked; first error
	 * kept. */
	ub_err l = UB_OK;
	if (obk_unlocked && (l = h5_reg_read(t, c, c->obkcfgr, &cfg)) == UB_OK)
		l = h5_reg_write(t, c, c->obkcfgr, cfg | H5_OBKCFGR_LOCK);
	l = h5_lock(t, c, l);
	return e != UB_OK ? e : l;
}

/* OTP is programmed in half-words (facts B.2), each waited for and checked. */
static ub_err write_otp(h5_target *t, const uint8_t *hash, unsigned timeout)
{
	const h5_ctl *c = &h5_ctl_ns;
	uint32_t sr;
	ub_err e = h5_wait_idle(t, c, "OTP programming (idle before start)", h5_scaled(t, H5_TIMEOUT_IDLE_MS), 0, &sr);
	if (e != UB_OK)
		return e;
	e = h5_unlock(t, c, c->keyr, c->cr, H5_KEY1, H5_KEY2, H5_CR_LOCK, c->cr_name);
	if (e == UB_OK)
		e = h5_reg_write(t, c, c->ccr, H5_SR_ERRORS | H5_SR_EOP);
	if (e == UB_OK)
		e = h5_reg_write(t, c, c->cr, H5_CR_PG);
	for (unsigned i = 0; e == UB_OK && i < OTP_HASH_HALVES; i++) {
		uint16_t half = (uint16_t)(hash[2 * i] | hash[2 * i + 1] << 8);
		uint32_t addr = H5_OTP_BASE + 2 * i;
		e = h5_set_secure(t, false);
		if (e == UB_OK)
			e = ocd_mem_write16(t->b, t->sys, addr, &half, 1);
		if (e == UB_OK)
			e = h5_wait_idle(t, c, "OTP programming", timeout, 0, &sr);
		if (e == UB_OK)
			e = h5_check_errors(t, c, "OTP programming", addr, sr);
	}
	ub_err l = h5_lock(t, c, UB_OK);
	return e != UB_OK ? e : l;
}

/* Kind, TrustZone and product state rules, all before anything is written. */
static ub_err check_provisioning(h5_target *t, const h5_held_cred *held, uint32_t permissions, bool irreversible,
				 bool *tz)
{
	h5_ob ob;
	uint32_t ps;
	ub_err e = h5_ob_read(t, &ob);
	if (e != UB_OK)
		return e;
	h5_ob_get(&ob, "PRODUCT_STATE", &ps);
	*tz = h5_ob_tz_enabled(&ob);
	if (ps != H5_PS_PROVISIONING && ps != H5_PS_OPEN)
		return ub_fail(UB_ERR_REFUSED, "h5 da_provision: credentials are provisioned in Provisioning (or "
			       "Open); the chip is in %s (0x%02x)", h5_product_state_name((uint8_t)ps) ?
			       h5_product_state_name((uint8_t)ps) : "an unknown state", ps);
	bool otp = t->line->da_password_in_otp;
	enum h5_cred_kind have = held->kind == H5_FILE_CERTIFICATE ? H5_CRED_CERTIFICATE_OBK :
				 otp ? H5_CRED_PASSWORD_OTP : H5_CRED_PASSWORD_OBK;
	enum h5_cred_kind need = h5_cred_kind_needed(t->dev_id, *tz);
	if (have != need)
		return ub_fail(UB_ERR_REFUSED, "h5 da_provision: with TrustZone %s, debug authentication on %s only "
			       "accepts %s; provisioning %s would leave the chip with credentials it never accepts "
			       "(AN6008)",
			       *tz ? "enabled (TZEN = 0xB4)" : "off", t->line->family, h5_cred_kind_name(need),
			       h5_cred_kind_name(have));
	if (held->kind == H5_FILE_PASSWORD && permissions != PERM_FULL)
		return ub_fail(UB_ERR_ARG, "h5 da_provision: a password always grants full regression: permissions 1, "
			       "not 0x%x", permissions);
	if (permissions == 0 || (permissions & ~PERM_ALL))
		return ub_fail(UB_ERR_ARG, "h5 da_provision: permissions 0x%x: bit 0 full regression, bit 1 partial, "
			       "nothing else", permissions);
	if (otp && !irreversible)
		return ub_fail(UB_ERR_REFUSED, "h5 da_provision: the %s keeps its password hash in OTP, written once "
			       "and never changed; refused without -irreversible", t->line->family);
	return UB_OK;
}

ub_err h5_da_provision(h5_target *t, const h5_held_cred *held, uint32_t permissions, bool irreversible,
		       unsigned timeout_ms, bool *written)
{
	uint32_t want[RECORD_WORDS], have[RECORD_WORDS], addr;
	size_t n;
	bool tz;
	ub_err e = h5_need_line(t, "h5 da_provision");
	if (e != UB_OK || !held || held->kind == H5_FILE_NONE || !written)
		return e != UB_OK ? e : ub_fail(UB_ERR_ARG, "h5 da_provision: a password or certificate is needed");
	*written = false;
	unsigned timeout = timeout_ms ? timeout_ms : h5_scaled(t, H5_TIMEOUT_BATCH_MS);
	if ((e = check_provisioning(t, held, permissions, irreversible, &tz)) != UB_OK)
		return e;
	if ((e = read_stored(t, tz, have, &n, &addr)) != UB_OK)
		return e;
	if (n == RECORD_WORDS)
		make_record(held, permissions, want);
	else
		hash_to_words(held->hash, want);
	if (memcmp(have, want, n * 4) == 0)
		return UB_OK; /* exactly this credential is there already */
	bool obk = n == RECORD_WORDS;
	if (!all_erased(have, n))
		return ub_fail(UB_ERR_REFUSED, "h5 da_provision: 0x%08x already holds other data (%s); it cannot be "
			       "programmed again in place%s", addr, obk ? "a credential record" : "a hash",
			       obk ? ": only a debug-authentication regression erases OBK" : ": OTP is one-time");
	ocd_log(t->b, "stm32unbrick h5: provisioning the DA %s hash from %s at 0x%08x",
		held->kind == H5_FILE_PASSWORD ? "password" : "root-key", held->path ? held->path : "?", addr);
	e = obk ? write_obk(t, tz ? &h5_ctl_s : &h5_ctl_ns, want, timeout) : write_otp(t, held->hash, timeout);
	if (e == UB_OK)
		e = read_stored(t, tz, have, &n, &addr);
	/* Hash words are never printed: a short password's hash is as good as the password. */
	for (size_t i = 0; e == UB_OK && i < n; i++)
		if (have[i] != want[i])
			e = ub_fail(UB_ERR_VERIFY, "h5 da_provision: word %zu at 0x%08x differs from what was "
				    "programmed", i, addr + 4 * (uint32_t)i);
	*written = e == UB_OK;
	return e;
}
