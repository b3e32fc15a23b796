/*
 * `stm32unbrick da discover ?-timeout MS?`
 * `stm32unbrick da regress (-password FILE | -cert FILE -key FILE ?-partial?) ?-timeout MS? ?-expect MS?`
 *
 * STM32H5 debug authentication from the host side (docs/h5-debug-authentication.md, facts B.3/B.4):
 * enter DA under reset, Discovery, and for `regress` Start authentication and the authentication
 * response, then wait for the regression.  Results are dicts (the `stm32unbrick da` contract):
 *   discover -> dev_id soc_id product_state product_state_name tzen credential psa_lifecycle
 *               auth_version sda_version cryptosystems token_formats cert_formats
 *   regress  -> kind (password|certificate) partial (0|1) status (ADAC status name, SUCCESS)
 *               duration_ms (authentication response sent -> AP1 enabled again: the regression)
 * `-timeout MS`: discover: how long the boot ROM may take to answer the entry request; regress: how
 * long the regression may take (default DA_REGRESSION_DEFAULT_MS).
 *
 * Files (credentials) are loaded and checked before anything reaches the chip; a device that
 * reports Locked, or no credential of the kind given, is refused after Discovery, before any
 * secret is sent.  Every session ends with Resume boot (ub_mailbox_end) except after a successful
 * authentication: then the device itself erases and resets, which ends the session (docs section
 * 2 and 6), and a Resume boot word written meanwhile would stay pending across that reset and
 * swallow the next entry request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "../cmd.h"
#include "adac_mailbox.h"
#include "da_auth.h"
#include "da_regression.h"
#include "poll.h"

#define DA_ENTRY_TIMEOUT_MAX_MS 60000u
#define DA_REGRESSION_TIMEOUT_MAX_MS 600000u
/*
 * Regression bound: a mass erase of the largest part (0x484, 2 MiB, facts B.2) plus OBK, SRAM and
 * the reboot.  The H5 erase times are not in the facts sheet (UNCONFIRMED).  OpenOCD allows 30 s
 * for a whole 2 MiB H7 mass erase (facts A.2 "Tool timeouts"); we allow 30 s per MiB, twice that
 * rate, plus 5 s for OBK, SRAM and the reboot.  `-timeout MS` replaces the whole bound.
 */
#define DA_ERASE_MS_PER_MIB 30000u
#define DA_LARGEST_FLASH_MIB 2u
#define DA_REBOOT_MARGIN_MS 5000u
#define DA_REGRESSION_DEFAULT_MS (DA_LARGEST_FLASH_MIB * DA_ERASE_MS_PER_MIB + DA_REBOOT_MARGIN_MS)

/* ST provisioning-status TLV 0x8000 in Discovery (docs section 4, our layout). */
#define DA_ST_STATUS_LEN 4u
enum da_cred_kind { DA_CRED_NONE = 0, DA_CRED_PASSWORD = 1, DA_CRED_CERT = 2 };
#define DA_CRYPTO_ECDSA_P256 0x01u
#define DA_TZEN_ON 0xB4u
#define DA_TZEN_OFF 0xC3u
#define DA_PS_LOCKED 0x5Cu

typedef struct da_info {
	ub_adac_discovery d;
	uint8_t product_state, cred_kind, tzen;
	bool has_sda_version;
	uint8_t sda_version[4];
} da_info;

typedef struct da_creds {
	const char *password_path, *cert_path, *key_path;
	bool partial;
	ub_da_password password;
	ub_da_cert_cred *cert;
} da_creds;

static const char *const cred_names[] = { "none", "password", "certificate" };

static const char *product_state_name(uint8_t code)
{
	switch (code) {   /* facts B.3 */
	case 0xED: return "Open";
	case 0x17: return "Provisioning";
	case 0x2E: return "iROT-Provisioned";
	case 0xC6: return "TZ-Closed";
	case 0x72: return "Closed";
	case 0x5C: return "Locked";
	case 0x9A: return "Regression";
	case 0xA3: return "NS-Regression";
	default: return "unknown";
	}
}

/* ---- discovery ------------------------------------------------------------------------------- */

static ub_err st_status(const ub_adac_discovery *d, da_info *info)
{
	for (unsigned i = 0; i < d->n_vendor; i++) {
		const ub_adac_vendor_tlv *v = &d->vendor[i];

		if (v->type != UB_ADAC_TLV_ST_PASSWORD)
			continue;
		if (v->length != DA_ST_STATUS_LEN)
			return ub_fail(UB_ERR_PARSE, "DA discovery: ST status TLV 0x8000 is %u bytes, expected %u",
				       v->length, DA_ST_STATUS_LEN);
		if (v->value[1] > DA_CRED_CERT)
			return ub_fail(UB_ERR_PARSE, "DA discovery: ST status TLV 0x8000 reports credential kind %u "
				       "(known: 0 none, 1 password, 2 certificate)", v->value[1]);
		info->product_state = v->value[0];
		info->cred_kind = v->value[1];
		info->tzen = v->value[2];
		return UB_OK;
	}
	return ub_fail(UB_ERR_PARSE, "DA discovery: no ST status TLV 0x8000 (product state, credential, TZEN)");
}

/* The fields recovery depends on; the rest is reported when present. */
static ub_err check_discovery(const ub_mailbox *m, const ub_adac_response *r, da_info *info)
{
	const ub_adac_discovery *d = &info->d;
	ub_adac_tlv t;
	bool found = false;
	ub_err e;

	if (!d->has_auth_version || !d->has_soc_class)
		return ub_fail(UB_ERR_PARSE, "DA discovery: the answer lacks the %s TLV",
			       d->has_auth_version ? "SoC class (0x0003)" : "auth version (0x0001)");
	if (d->soc_class != m->dev_id)
		return ub_fail(UB_ERR_VERIFY, "DA discovery: SoC class 0x%x differs from DBGMCU DEV_ID 0x%03x read at "
			       "0x%08x", (unsigned)d->soc_class, m->dev_id, (unsigned)m->dbgmcu);
	e = st_status(d, info);
	if (!e)
		e = ub_adac_tlv_find(r->data, r->data_count, UB_ADAC_TLV_SDA_VERSION, &t, &found);
	if (!e && found) {
		if (t.length != sizeof(info->sda_version))
			return ub_fail(UB_ERR_PARSE, "DA discovery: SDA version TLV is %u bytes, expected 4", t.length);
		for (uint32_t i = 0; i < t.length; i++)
			info->sda_version[i] = ub_adac_tlv_byte(&t, i);
		info->has_sda_version = true;
	}
	return e;
}

static ub_err da_discover(ub_mailbox *m, da_info *info)
{
	uint32_t req[UB_ADAC_HEADER_WORDS], buf[UB_ADAC_HEADER_WORDS + UB_ADAC_MAX_DATA_WORDS];
	ub_adac_response r;
	size_t n;
	ub_err e;

	memset(info, 0, sizeof(*info));
	e = ub_adac_encode_request(UB_ADAC_CMD_DISCOVERY, NULL, 0, req, UB_ADAC_HEADER_WORDS, &n);
	if (!e)
		e = ub_mailbox_transact(m, req, n, m->word_timeout_ms, "discovery", buf, sizeof(buf) / sizeof(buf[0]),
					&r);
	if (!e)
		e = ub_adac_parse_discovery(&r, &info->d);
	if (!e)
		e = check_discovery(m, &r, info);
	if (!e)
		ocd_log(m->b, "stm32unbrick da: discovery: DEV_ID 0x%03x, product state 0x%02x (%s), TZEN 0x%02x, "
			"credential %s", (unsigned)info->d.soc_class, info->product_state,
			product_state_name(info->product_state), info->tzen, cred_names[info->cred_kind]);
	return e;
}

static Jim_Obj *fmt_obj(Jim_Interp *interp, const char *fmt, unsigned v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), fmt, v);
	return Jim_NewStringObj(interp, buf, -1);
}

static Jim_Obj *list_obj(Jim_Interp *interp, const char *fmt, const uint16_t *v16, const uint8_t *v8, unsigned n)
{
	Jim_Obj *list = Jim_NewListObj(interp, NULL, 0);

	for (unsigned i = 0; i < n; i++)
		Jim_ListAppendElement(interp, list, fmt_obj(interp, fmt, v16 ? v16[i] : v8[i]));
	return list;
}

static Jim_Obj *discovery_dict(Jim_Interp *interp, const da_info *info)
{
	const ub_adac_discovery *d = &info->d;
	Jim_Obj *dict = Jim_NewListObj(interp, NULL, 0);
	char hex[2 * UB_ADAC_SOC_ID_LEN + 1] = "", text[32] = "";

	for (unsigned i = 0; d->has_soc_id && i < UB_ADAC_SOC_ID_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", d->soc_id[i]);
	ub_dict_add(interp, dict, "dev_id", fmt_obj(interp, "0x%03x", (unsigned)d->soc_class));
	ub_dict_add(interp, dict, "soc_id", Jim_NewStringObj(interp, hex, -1));
	ub_dict_add(interp, dict, "product_state", fmt_obj(interp, "0x%02x", info->product_state));
	ub_dict_add(interp, dict, "product_state_name",
		    Jim_NewStringObj(interp, product_state_name(info->product_state), -1));
	ub_dict_add(interp, dict, "tzen", fmt_obj(interp, "0x%02x", info->tzen));
	ub_dict_add(interp, dict, "credential", Jim_NewStringObj(interp, cred_names[info->cred_kind], -1));
	ub_dict_add(interp, dict, "psa_lifecycle",
		    d->has_psa_lifecycle ? fmt_obj(interp, "0x%04x", d->psa_lifecycle) : Jim_NewEmptyStringObj(interp));
	snprintf(text, sizeof(text), "%u.%u", d->auth_major, d->auth_minor);
	ub_dict_add(interp, dict, "auth_version", Jim_NewStringObj(interp, text, -1));
	text[0] = '\0';
	if (info->has_sda_version)   /* major.minor.patch, and the fourth byte only when it says something */
		snprintf(text, sizeof(text), info->sda_version[3] ? "%u.%u.%u.%u" : "%u.%u.%u", info->sda_version[0],
			 info->sda_version[1], info->sda_version[2], info->sda_version[3]);
	ub_dict_add(interp, dict, "sda_version", Jim_NewStringObj(interp, text, -1));
	ub_dict_add(interp, dict, "cryptosystems", list_obj(interp, "0x%02x", NULL, d->cryptosystems,
							    d->n_cryptosystems));
	ub_dict_add(interp, dict, "token_formats", list_obj(interp, "0x%04x", d->token_formats, NULL,
							    d->n_token_formats));
	ub_dict_add(interp, dict, "cert_formats", list_obj(interp, "0x%04x", d->cert_formats, NULL,
							   d->n_cert_formats));
	return dict;
}

/* ---- options --------------------------------------------------------------------------------- */

static ub_err parse_ms(Jim_Interp *interp, Jim_Obj *obj, const char *cmd, uint32_t max, unsigned *out)
{
	uint32_t v;
	ub_err e = ub_arg_u32(interp, obj, cmd, "-timeout", &v);

	if (!e && (v < 1 || v > max))
		e = ub_fail(UB_ERR_ARG, "%s: -timeout %u ms is not in 1..%u", cmd, (unsigned)v, (unsigned)max);
	if (!e)
		*out = v;
	return e;
}

/* The regression's usual duration comes from the chip's driver (`-expect MS`, the H5's estimate for the
 * identified part); without it the progress lines name no usual time. */
static ub_err parse_regress_args(Jim_Interp *interp, int argc, Jim_Obj *const *argv, da_creds *c, unsigned *timeout,
				 unsigned *expect)
{
	const char *const cmd = "da regress";
	ub_err e = UB_OK;

	for (int i = 0; !e && i < argc; i++) {
		const char *opt = Jim_String(argv[i]);
		bool has_value = i + 1 < argc;

		if (!strcmp(opt, "-partial"))
			c->partial = true;
		else if (strcmp(opt, "-password") && strcmp(opt, "-cert") && strcmp(opt, "-key") &&
			 strcmp(opt, "-timeout") && strcmp(opt, "-expect"))
			e = ub_fail(UB_ERR_ARG, "%s: unknown option '%s' (-password FILE, -cert FILE, -key FILE, "
				    "-partial, -timeout MS, -expect MS)", cmd, opt);
		else if (!has_value)
			e = ub_fail(UB_ERR_ARG, "%s: %s needs a value", cmd, opt);
		else if (!strcmp(opt, "-timeout"))
			e = parse_ms(interp, argv[++i], cmd, DA_REGRESSION_TIMEOUT_MAX_MS, timeout);
		else if (!strcmp(opt, "-expect"))
			e = parse_ms(interp, argv[++i], cmd, DA_REGRESSION_TIMEOUT_MAX_MS, expect);
		else
			e = ub_arg_string(argv[++i], cmd, opt, !strcmp(opt, "-password") ? &c->password_path :
					  !strcmp(opt, "-cert") ? &c->cert_path : &c->key_path);
	}
	if (e)
		return e;
	if (!c->password_path == !c->cert_path)
		return ub_fail(UB_ERR_ARG, "%s: give either -password FILE or -cert FILE -key FILE", cmd);
	if (c->password_path && (c->key_path || c->partial))
		return ub_fail(UB_ERR_ARG, "%s: %s goes with -cert, not -password", cmd,
			       c->key_path ? "-key" : "-partial");
	if (c->cert_path && !c->key_path)
		return ub_fail(UB_ERR_ARG, "%s: -cert needs -key FILE (the last certificate's private key)", cmd);
	return UB_OK;
}

static ub_err load_creds(da_creds *c)
{
	if (c->password_path)
		return ub_da_password_load(c->password_path, &c->password);
	return ub_da_cert_load(c->cert_path, c->key_path, &c->cert);
}

static void free_creds(da_creds *c)
{
	ub_da_password_wipe(&c->password);
	ub_da_cert_free(c->cert);
	c->cert = NULL;
}

/* ---- authentication -------------------------------------------------------------------------- */

static bool has_u16(const uint16_t *list, unsigned n, uint16_t v)
{
	for (unsigned i = 0; i < n; i++)
		if (list[i] == v)
			return true;
	return false;
}

/* Refuse before anything secret is sent when the device cannot accept what we have (docs section 7:
 * a password only with TZEN 0xC3, a certificate only with TZEN 0xB4; Locked is final, facts B.3). */
static ub_err check_device_accepts(const da_creds *c, const da_info *info)
{
	const ub_adac_discovery *d = &info->d;
	unsigned want = c->password_path ? DA_CRED_PASSWORD : DA_CRED_CERT;
	uint8_t want_tzen = c->password_path ? DA_TZEN_OFF : DA_TZEN_ON;
	bool ecdsa = false;

	if (info->product_state == DA_PS_LOCKED)
		return ub_fail(UB_ERR_REFUSED, "da regress: the device is Locked (PRODUCT_STATE 0x5c), which is "
			       "final: no debug authentication can regress it; nothing was sent");
	if (info->cred_kind != want)
		return ub_fail(UB_ERR_REFUSED, "da regress: the device reports credential '%s', not a %s: nothing was "
			       "sent (provision one with `stm32unbrick h5 da_provision`)", cred_names[info->cred_kind],
			       cred_names[want]);
	if (info->tzen != want_tzen)
		return ub_fail(UB_ERR_REFUSED, "da regress: the device reports TZEN 0x%02x; a %s is only accepted with "
			       "TZEN 0x%02x; nothing was sent", info->tzen, cred_names[want], want_tzen);
	if (want != DA_CRED_CERT)
		return UB_OK;
	for (unsigned i = 0; i < d->n_cryptosystems; i++)
		ecdsa |= d->cryptosystems[i] == DA_CRYPTO_ECDSA_P256;
	if (!ecdsa || !has_u16(d->cert_formats, d->n_cert_formats, UB_ADAC_TLV_X509_CERT) ||
	    !has_u16(d->token_formats, d->n_token_formats, UB_ADAC_TLV_PSA_BINARY_TOKEN))
		return ub_fail(UB_ERR_REFUSED, "da regress: the device does not list ECDSA P-256 (0x01), X.509 "
			       "certificates (0x0202) and PSA tokens (0x0200) in its discovery; nothing was sent");
	return UB_OK;
}

static ub_err start_authentication(ub_mailbox *m, ub_adac_challenge *ch)
{
	uint32_t req[UB_ADAC_HEADER_WORDS], buf[UB_ADAC_HEADER_WORDS + UB_ADAC_MAX_DATA_WORDS];
	ub_adac_response r;
	size_t n;
	ub_err e = ub_adac_encode_request(UB_ADAC_CMD_AUTH_START, NULL, 0, req, UB_ADAC_HEADER_WORDS, &n);

	/* The ROM draws the challenge from its RNG: allow it the longer bound. */
	if (!e)
		e = ub_mailbox_transact(m, req, n, UB_DA_VERIFY_TIMEOUT_MS, "start authentication", buf,
					sizeof(buf) / sizeof(buf[0]), &r);
	if (!e)
		e = ub_adac_parse_challenge(&r, ch);
	if (!e && ch->major != 1)
		e = ub_fail(UB_ERR_PARSE, "DA start authentication: challenge format %u.%u, expected 1.x", ch->major,
			    ch->minor);
	if (!e)
		ocd_log(m->b, "stm32unbrick da: start authentication: challenge received");
	return e;
}

static ub_err build_response(const da_creds *c, const ub_adac_challenge *ch, uint32_t **req, size_t *n)
{
	size_t cap = c->cert ? ub_da_cert_response_words(c->cert) : UB_ADAC_HEADER_WORDS + 2 + UB_ADAC_PASSWORD_MAX / 4;
	ub_err e;

	*req = calloc(cap, sizeof(uint32_t));
	if (!*req)
		return ub_fail(UB_ERR_NOMEM, "da regress: no memory for a %zu-word authentication response", cap);
	if (c->cert)
		e = ub_da_cert_build_response(c->cert, ch, c->partial, *req, cap, n);
	else
		e = ub_adac_build_password_response(c->password.bytes, c->password.len, *req, cap, n);
	return e;
}

static ub_err refused(const da_creds *c, const da_info *info, uint16_t status)
{
	const char *name = ub_adac_status_name(status);
	const char *kind = cred_names[c->cert ? DA_CRED_CERT : DA_CRED_PASSWORD];

	switch (status) {
	case UB_ADAC_ST_UNAUTHORIZED:
		return ub_fail(UB_ERR_REFUSED, "debug authentication refused (UNAUTHORIZED): the %s not accepted; "
			       "nothing was changed", c->cert ? "key or certificate chain was" : "password was");
	case UB_ADAC_ST_UNSUPPORTED:
		return ub_fail(UB_ERR_REFUSED, "debug authentication refused (UNSUPPORTED): the device accepts no %s "
			       "%sin product state 0x%02x (%s) with TZEN 0x%02x; nothing was changed",
			       kind, c->partial ? "partial regression " : "",
			       info->product_state, product_state_name(info->product_state), info->tzen);
	case UB_ADAC_ST_INVALID_PARAMETERS:
		return ub_fail(UB_ERR_REFUSED, "debug authentication refused (INVALID_PARAMETERS): the device found "
			       "the %s response malformed; nothing was changed", kind);
	default:
		return ub_fail(UB_ERR_REFUSED, "debug authentication refused (%s, 0x%04x); nothing was changed", name,
			       status);
	}
}

/* Send the response, read the status, wipe the request (it may hold the password). */
static ub_err authenticate(ub_mailbox *m, const da_creds *c, const da_info *info, const ub_adac_challenge *ch)
{
	uint32_t buf[UB_ADAC_HEADER_WORDS + UB_ADAC_MAX_DATA_WORDS];
	uint32_t *req = NULL;
	ub_adac_response r;
	size_t n = 0;
	ub_err e = build_response(c, ch, &req, &n);

	if (!e) {
		ocd_log(m->b, "stm32unbrick da: authentication response: %s from %s%s",
			c->cert ? "certificate chain and token" : "password",
			c->cert ? c->cert_path : c->password_path, c->partial ? " (partial regression)" : "");
		e = ub_mailbox_transact(m, req, n, UB_DA_VERIFY_TIMEOUT_MS, "authentication", buf,
					sizeof(buf) / sizeof(buf[0]), &r);
	}
	if (req) {
		OPENSSL_cleanse(req, n * sizeof(uint32_t));
		free(req);
	}
	if (!e && r.status != UB_ADAC_ST_SUCCESS)
		e = refused(c, info, r.status);
	return e;
}

/* ---- the commands ---------------------------------------------------------------------------- */

static void log_counts(const ub_mailbox *m, const char *cmd, ub_err e)
{
	ocd_log(m->b, "stm32unbrick da: %s %s: %lu words sent, %lu received, %lu OpenOCD commands", cmd,
		e ? "failed" : "done", m->words_sent, m->words_received, ub_mailbox_commands(m));
}

static int cmd_discover(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	unsigned entry_ms = UB_DA_ENTRY_TIMEOUT_MS;
	ub_mailbox m;
	da_info info;
	ub_err e = UB_OK;

	if (argc != 0 && (argc != 2 || strcmp(Jim_String(argv[0]), "-timeout")))
		e = ub_fail(UB_ERR_ARG, "da discover: unknown option '%s' (-timeout MS)", Jim_String(argv[0]));
	if (!e && argc == 2)
		e = parse_ms(interp, argv[1], "da discover", DA_ENTRY_TIMEOUT_MAX_MS, &entry_ms);
	if (e)
		return ub_tcl_status(interp, e);
	ub_mailbox_init(&m, b);
	m.entry_timeout_ms = entry_ms;
	e = ub_mailbox_enter(&m);
	if (!e)
		e = da_discover(&m, &info);
	e = ub_mailbox_end(&m, e);
	log_counts(&m, "discover", e);
	if (e)
		return ub_tcl_status(interp, e);
	Jim_SetResult(interp, discovery_dict(interp, &info));
	return JIM_OK;
}

/* Entry to the authentication's answer; the session is ended here unless the device ended it. */
static ub_err regress_session(ub_mailbox *m, const da_creds *c, da_regression_watch *watch)
{
	ub_adac_challenge ch;
	da_info info;
	ub_err e = ub_mailbox_enter(m);

	if (!e)
		e = da_discover(m, &info);
	if (!e)
		e = check_device_accepts(c, &info);
	if (!e)
		e = da_regression_arm(m, watch);
	if (!e)
		e = start_authentication(m, &ch);
	if (!e)
		e = authenticate(m, c, &info, &ch);
	if (!e)
		ub_mailbox_session_closed_by_device(m);   /* it erases and resets: no Resume boot (see top) */
	OPENSSL_cleanse(&ch, sizeof(ch));
	return ub_mailbox_end(m, e);
}

static int cmd_regress(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	unsigned timeout_ms = DA_REGRESSION_DEFAULT_MS, expect_ms = 0;
	da_creds c;
	ub_mailbox m;
	da_regression_watch watch = { 0 };
	uint64_t took = 0;
	ub_err e;

	memset(&c, 0, sizeof(c));
	e = parse_regress_args(interp, argc, argv, &c, &timeout_ms, &expect_ms);
	if (!e)
		e = load_creds(&c);
	if (e) {
		free_creds(&c);
		return ub_tcl_status(interp, e);
	}
	ub_mailbox_init(&m, b);
	e = regress_session(&m, &c, &watch);
	free_creds(&c);
	if (!e)
		e = da_regression_reconnect(&m, &watch, timeout_ms, expect_ms, &took);
	log_counts(&m, "regress", e);
	if (e)
		return ub_tcl_status(interp, e);
	Jim_Obj *dict = Jim_NewListObj(interp, NULL, 0);
	ub_dict_add(interp, dict, "kind", Jim_NewStringObj(interp, c.cert_path ? "certificate" : "password", -1));
	ub_dict_add(interp, dict, "partial", Jim_NewIntObj(interp, c.partial));
	ub_dict_add(interp, dict, "status", Jim_NewStringObj(interp, ub_adac_status_name(UB_ADAC_ST_SUCCESS), -1));
	ub_dict_add(interp, dict, "duration_ms", Jim_NewIntObj(interp, (jim_wide)took));
	Jim_SetResult(interp, dict);
	return JIM_OK;
}

/* `da password_new FILE`: what unbrick provisions when the user brought no credential. */
static int cmd_password_new(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	const char *path;
	ub_err e = ub_arg_string(argv[0], "da password_new", "FILE", &path);

	if (e == UB_OK)
		e = ub_da_password_generate(path);
	if (e != UB_OK)
		return ub_tcl_status(interp, e);
	Jim_SetResultString(interp, path, -1);
	return JIM_OK;
}

/* `da password_check FILE`: the password's length by the rule regress uses; the chip is not touched. */
static int cmd_password_check(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	const char *path;
	ub_da_password pw;
	ub_err e = ub_arg_string(argv[0], "da password_check", "FILE", &path);

	if (e == UB_OK)
		e = ub_da_password_load(path, &pw);
	if (e != UB_OK)
		return ub_tcl_status(interp, e);
	Jim_SetResultInt(interp, (jim_wide)pw.len);
	ub_da_password_wipe(&pw);
	return JIM_OK;
}

static const ub_subcmd da_subcmds[] = {
	{ "da", "discover", "?-timeout MS?", 0, 2, cmd_discover },
	{ "da", "regress", "-password FILE | -cert FILE -key FILE ?-partial? ?-timeout MS? ?-expect MS?", 2, 9,
	  cmd_regress },
	{ "da", "password_new", "FILE", 1, 1, cmd_password_new },
	{ "da", "password_check", "FILE", 1, 1, cmd_password_check },
};

const ub_cmd_table ub_da_commands = { da_subcmds, sizeof(da_subcmds) / sizeof(da_subcmds[0]) };
