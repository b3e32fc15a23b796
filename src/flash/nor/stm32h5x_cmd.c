/*
 * `stm32unbrick h5 ...`: the STM32H5 driver's commands, as the command surface
 * contract lists them (identify, options, registers, options_set,
 * product_state, credentials, da_provision, erase, blank_check, program,
 * verify, timeout_scale).  Every argument, option and credential file is
 * checked before anything reaches the chip; results are dicts (flat
 * key/value lists).  Passwords and hashes never appear in a result or a
 * message: only file names and kinds.
 *
 * The identified chip is kept per process: OpenOCD runs one interpreter.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "../../cmd.h"
#include "../../target/da_auth.h"
#include "stm32h5x.h"

#define H5_MAX_ARGS 32

static h5_target chip;

/* Options a command may take; each at most once. */
enum {
	OPT_TIMEOUT = 1 << 0, OPT_IRREVERSIBLE = 1 << 1, OPT_PASSWORD = 1 << 2, OPT_CERT = 1 << 3,
	OPT_PERMISSIONS = 1 << 4, OPT_OFFSET = 1 << 5, OPT_BANK = 1 << 6, OPT_SECTOR = 1 << 7,
};

typedef struct h5_opts {
	unsigned seen;
	uint32_t timeout_ms;
	const char *password;
	const char *cert;
	uint32_t permissions;
	uint32_t offset;
	uint32_t bank;
	uint32_t sector_bank;
	uint32_t sector;
} h5_opts;

static const struct {
	const char *name;
	unsigned flag;
	int values;
} h5_option_table[] = {
	{ "-timeout", OPT_TIMEOUT, 1 }, { "-irreversible", OPT_IRREVERSIBLE, 0 }, { "-password", OPT_PASSWORD, 1 },
	{ "-cert", OPT_CERT, 1 }, { "-permissions", OPT_PERMISSIONS, 1 }, { "-offset", OPT_OFFSET, 1 },
	{ "-bank", OPT_BANK, 1 }, { "-sector", OPT_SECTOR, 2 },
};

static ub_err option_value(Jim_Interp *interp, Jim_Obj *const *v, const char *cmd, unsigned flag, h5_opts *o)
{
	switch (flag) {
	case OPT_TIMEOUT: return ub_arg_u32(interp, v[0], cmd, "-timeout MS", &o->timeout_ms);
	case OPT_PASSWORD: return ub_arg_string(v[0], cmd, "-password FILE", &o->password);
	case OPT_CERT: return ub_arg_string(v[0], cmd, "-cert FILE", &o->cert);
	case OPT_PERMISSIONS: return ub_arg_u32(interp, v[0], cmd, "-permissions N", &o->permissions);
	case OPT_OFFSET: return ub_arg_u32(interp, v[0], cmd, "-offset ADDR", &o->offset);
	case OPT_BANK: return ub_arg_u32(interp, v[0], cmd, "-bank N", &o->bank);
	case OPT_SECTOR: {
		ub_err e = ub_arg_u32(interp, v[0], cmd, "-sector BANK", &o->sector_bank);
		return e != UB_OK ? e : ub_arg_u32(interp, v[1], cmd, "-sector N", &o->sector);
	}
	default: return UB_OK;
	}
}

static ub_err parse_opts(Jim_Interp *interp, int argc, Jim_Obj *const *argv, const char *cmd, unsigned allowed,
			 h5_opts *o)
{
	for (int i = 0; i < argc;) {
		const char *a = Jim_String(argv[i]);
		size_t k = 0;
		while (k < sizeof(h5_option_table) / sizeof(h5_option_table[0]) && strcmp(h5_option_table[k].name, a))
			k++;
		if (k == sizeof(h5_option_table) / sizeof(h5_option_table[0]) || !(allowed & h5_option_table[k].flag))
			return ub_fail(UB_ERR_ARG, "%s: unknown option or argument '%s'", cmd, a);
		if (o->seen & h5_option_table[k].flag)
			return ub_fail(UB_ERR_ARG, "%s: %s given twice", cmd, a);
		if (h5_option_table[k].values > argc - i - 1)
			return ub_fail(UB_ERR_ARG, "%s: %s wants %d value%s", cmd, a, h5_option_table[k].values,
				       h5_option_table[k].values == 1 ? "" : "s");
		ub_err e = option_value(interp, argv + i + 1, cmd, h5_option_table[k].flag, o);
		if (e != UB_OK)
			return e;
		o->seen |= h5_option_table[k].flag;
		i += 1 + h5_option_table[k].values;
	}
	return UB_OK;
}

static ub_err need_chip(ocd_bridge *b, const char *cmd)
{
	if (!chip.line)
		return ub_fail(UB_ERR_NOT_CONFIGURED, "%s: run `stm32unbrick h5 identify` first", cmd);
	h5_begin_command(&chip, b);
	return UB_OK;
}

/* The end of every command that reached the chip: AP1's CSW pattern back as found, then the result. */
static int finish(Jim_Interp *interp, ub_err e, Jim_Obj *result)
{
	e = h5_end_command(&chip, e);
	if (e != UB_OK) {
		if (result)
			Jim_FreeNewObj(interp, result);
		return ub_tcl_status(interp, e);
	}
	if (result)
		Jim_SetResult(interp, result);
	return JIM_OK;
}

static Jim_Obj *str_obj(Jim_Interp *interp, const char *s)
{
	return Jim_NewStringObj(interp, s, -1);
}

static Jim_Obj *fmt_obj(Jim_Interp *interp, const char *fmt, unsigned v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), fmt, v);
	return str_obj(interp, buf);
}

static const char *state_name(uint8_t code)
{
	const char *n = h5_product_state_name(code);
	return n ? n : "unknown";
}

/* ---- identify, options, registers -------------------------------------------------------------- */

static Jim_Obj *identify_dict(Jim_Interp *interp)
{
	Jim_Obj *d = Jim_NewListObj(interp, NULL, 0);
	uint8_t ps = h5_target_product_state(&chip), tzen = h5_target_tzen(&chip);
	ub_dict_add(interp, d, "dev_id", fmt_obj(interp, "0x%03x", chip.dev_id));
	ub_dict_add(interp, d, "rev_id", fmt_obj(interp, "0x%04x", chip.rev_id));
	ub_dict_add(interp, d, "family", str_obj(interp, chip.line->family));
	ub_dict_add(interp, d, "manual", str_obj(interp, chip.line->manual));
	ub_dict_add(interp, d, "flash_kib", Jim_NewIntObj(interp, chip.geo.flash_kib));
	ub_dict_add(interp, d, "flash_kib_known", Jim_NewIntObj(interp, chip.flash_kib_known));
	ub_dict_add(interp, d, "bank_kib", Jim_NewIntObj(interp, chip.geo.bank_kib));
	ub_dict_add(interp, d, "sectors_per_bank", Jim_NewIntObj(interp, chip.geo.sectors_per_bank));
	ub_dict_add(interp, d, "bank2_base", ub_hex_obj(interp, chip.geo.bank2_base));
	ub_dict_add(interp, d, "trustzone", Jim_NewIntObj(interp, chip.line->has_trustzone));
	ub_dict_add(interp, d, "dbgmcu", ub_hex_obj(interp, chip.dbgmcu));
	ub_dict_add(interp, d, "ap1", Jim_NewIntObj(interp, chip.ap1_open));
	ub_dict_add(interp, d, "product_state", chip.ap1_open ? fmt_obj(interp, "0x%02x", ps) : str_obj(interp, ""));
	ub_dict_add(interp, d, "product_state_name", str_obj(interp, chip.ap1_open ? state_name(ps) : ""));
	ub_dict_add(interp, d, "tzen", tzen ? fmt_obj(interp, "0x%02x", tzen) : str_obj(interp, ""));
	ub_dict_add(interp, d, "word_bytes", Jim_NewIntObj(interp, H5_QUAD_WORD));
	ub_dict_add(interp, d, "est_regression_ms", Jim_NewIntObj(interp, h5_est_regression_ms(&chip)));
	return d;
}

static int cmd_identify(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	unsigned scale = chip.timeout_scale_pct;
	memset(&chip, 0, sizeof(chip));
	chip.timeout_scale_pct = scale;
	h5_begin_command(&chip, b);
	ub_err e = h5_identify(&chip);
	if (e != UB_OK)
		chip.line = NULL;
	return finish(interp, e, e == UB_OK ? identify_dict(interp) : NULL);
}

static Jim_Obj *ob_dict(Jim_Interp *interp, const h5_ob *ob)
{
	Jim_Obj *d = Jim_NewListObj(interp, NULL, 0);
	for (size_t i = 0; i < h5_ob_field_count(); i++) {
		const h5_ob_field *f = h5_ob_field_at(i);
		uint32_t v;
		if (h5_ob_field_applies(f, ob->line) && h5_ob_get(ob, f->name, &v) == UB_OK)
			ub_dict_add(interp, d, f->name, ub_hex_obj(interp, v));
	}
	return d;
}

static int cmd_options(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	h5_ob ob;
	ub_err e = need_chip(b, "h5 options");
	if (e != UB_OK)
		return ub_tcl_status(interp, e);
	e = h5_ob_read(&chip, &ob);
	return finish(interp, e, e == UB_OK ? ob_dict(interp, &ob) : NULL);
}

/* Registers that could not be read (a secure-only one refusing a non-secure read) are left out. */
static int cmd_registers(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	uint32_t values[128];
	bool ok[128];
	ub_err e = need_chip(b, "h5 registers");
	if (e != UB_OK)
		return ub_tcl_status(interp, e);
	e = h5_flash_regs_read(&chip, values, ok, 128);
	Jim_Obj *d = NULL;
	if (e == UB_OK) {
		d = Jim_NewListObj(interp, NULL, 0);
		for (size_t i = 0; i < h5_flash_reg_count(); i++)
			if (ok[i])
				ub_dict_add(interp, d, h5_flash_reg_at(i)->name, ub_hex_obj(interp, values[i]));
	}
	return finish(interp, e, d);
}

/* ---- options_set ------------------------------------------------------------------------------- */

/* FIELD VALUE pairs up to the first "-option"; each checked on a blank snapshot of this line. */
static ub_err parse_field_pairs(Jim_Interp *interp, int argc, Jim_Obj *const *argv, bool irreversible, int *npairs)
{
	h5_ob probe;
	int n = 0;
	while (n < argc && Jim_String(argv[n])[0] != '-')
		n++;
	if (n == 0 || n % 2)
		return ub_fail(UB_ERR_ARG, "h5 options_set: want FIELD VALUE pairs, got %d word%s before the options",
			       n, n == 1 ? "" : "s");
	h5_ob_init(&probe, chip.line);
	for (int i = 0; i < n; i += 2) {
		const char *field = Jim_String(argv[i]);
		uint32_t v;
		if (!strcmp(field, "PRODUCT_STATE"))
			return ub_fail(UB_ERR_REFUSED, "h5 options_set: PRODUCT_STATE is changed with `stm32unbrick h5 "
				       "product_state`, which checks the debug-authentication credentials first");
		ub_err e = ub_arg_u32(interp, argv[i + 1], "h5 options_set", field, &v);
		if (e == UB_OK)
			e = h5_ob_set(&probe, field, v, irreversible);
		if (e != UB_OK)
			return e;
	}
	*npairs = n / 2;
	return UB_OK;
}

static int cmd_options_set(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	h5_opts o = { 0 };
	int pairs = 0;
	ub_err e = need_chip(b, "h5 options_set");
	int first_opt = 0;
	while (first_opt < argc && Jim_String(argv[first_opt])[0] != '-')
		first_opt++;
	if (e == UB_OK)
		e = parse_opts(interp, argc - first_opt, argv + first_opt, "h5 options_set",
			       OPT_TIMEOUT | OPT_IRREVERSIBLE, &o);
	if (e == UB_OK)
		e = parse_field_pairs(interp, argc, argv, o.seen & OPT_IRREVERSIBLE, &pairs);
	if (e != UB_OK)
		return ub_tcl_status(interp, e);
	h5_ob before, want;
	e = h5_ob_read(&chip, &before);
	want = before;
	for (int i = 0; e == UB_OK && i < pairs; i++) {
		uint32_t v;
		ub_arg_u32(interp, argv[2 * i + 1], "h5 options_set", Jim_String(argv[2 * i]), &v);
		e = h5_ob_set(&want, Jim_String(argv[2 * i]), v, o.seen & OPT_IRREVERSIBLE);
	}
	if (e == UB_OK)
		e = h5_ob_write(&chip, &want, o.timeout_ms);
	Jim_Obj *d = NULL;
	if (e == UB_OK) {
		const char *names[64];
		size_t n = h5_ob_diff(&before, &want, names, 64);
		Jim_Obj *changed = Jim_NewListObj(interp, NULL, 0);
		for (size_t i = 0; i < n; i++) {
			uint32_t v;
			h5_ob_get(&want, names[i], &v);
			ub_dict_add(interp, changed, names[i], ub_hex_obj(interp, v));
		}
		d = Jim_NewListObj(interp, NULL, 0);
		ub_dict_add(interp, d, "changed", changed);
	}
	return finish(interp, e, d);
}

/* ---- product state, credentials, provisioning -------------------------------------------------- */

static ub_err parse_state(Jim_Interp *interp, Jim_Obj *obj, uint8_t *code)
{
	const char *s = Jim_String(obj);
	for (unsigned c = 0; c < 256; c++)
		if (h5_product_state_name((uint8_t)c) && !strcasecmp(s, h5_product_state_name((uint8_t)c))) {
			*code = (uint8_t)c;
			return UB_OK;
		}
	uint32_t v;
	if (ub_arg_u32(interp, obj, "h5 product_state", "NAME|CODE", &v) != UB_OK || v > 0xFF ||
	    !h5_product_state_name((uint8_t)v))
		return ub_fail(UB_ERR_ARG, "h5 product_state: '%s' is not a product state (Open, Provisioning, "
			       "iROT-Provisioned, TZ-Closed, Closed, Locked, or their codes)", s);
	*code = (uint8_t)v;
	return UB_OK;
}

/* -password FILE / -cert FILE, hashed now: a bad file is an argument error, found before the chip. */
static ub_err load_held(const h5_opts *o, const char *cmd, h5_held_cred *held)
{
	memset(held, 0, sizeof(*held));
	if ((o->seen & OPT_PASSWORD) && (o->seen & OPT_CERT))
		return ub_fail(UB_ERR_ARG, "%s: give -password FILE or -cert FILE, not both", cmd);
	if (o->seen & OPT_PASSWORD) {
		held->kind = H5_FILE_PASSWORD;
		held->path = o->password;
		return ub_da_password_hash(o->password, held->hash);
	}
	if (o->seen & OPT_CERT) {
		held->kind = H5_FILE_CERTIFICATE;
		held->path = o->cert;
		return ub_da_cert_root_hash(o->cert, held->hash);
	}
	return UB_OK;
}

static int product_state_read(Jim_Interp *interp)
{
	h5_ob ob;
	uint32_t ps = 0, tzen = 0;
	ub_err e = h5_ob_read(&chip, &ob);
	Jim_Obj *d = NULL;
	if (e == UB_OK) {
		h5_ob_get(&ob, "PRODUCT_STATE", &ps);
		bool has_tzen = h5_ob_get(&ob, "TZEN", &tzen) == UB_OK;
		ub_clear_error();
		d = Jim_NewListObj(interp, NULL, 0);
		ub_dict_add(interp, d, "code", fmt_obj(interp, "0x%02x", ps));
		ub_dict_add(interp, d, "name", str_obj(interp, state_name((uint8_t)ps)));
		ub_dict_add(interp, d, "tzen", has_tzen ? fmt_obj(interp, "0x%02x", tzen) : str_obj(interp, ""));
	}
	return finish(interp, e, d);
}

static int cmd_product_state(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	h5_opts o = { 0 };
	h5_held_cred held;
	uint8_t to = 0;
	ub_err e = need_chip(b, "h5 product_state");
	if (e == UB_OK && argc == 0)
		return product_state_read(interp);
	if (e == UB_OK)
		e = parse_state(interp, argv[0], &to);
	if (e == UB_OK)
		e = parse_opts(interp, argc - 1, argv + 1, "h5 product_state",
			       OPT_PASSWORD | OPT_CERT | OPT_IRREVERSIBLE | OPT_TIMEOUT, &o);
	if (e == UB_OK)
		e = load_held(&o, "h5 product_state", &held);
	if (e != UB_OK)
		return ub_tcl_status(interp, e);
	h5_ps_result r;
	e = h5_product_state_set(&chip, to, &held, o.seen & OPT_IRREVERSIBLE, o.timeout_ms, &r);
	explicit_bzero(held.hash, sizeof(held.hash));
	Jim_Obj *d = NULL;
	if (e == UB_OK) {
		d = Jim_NewListObj(interp, NULL, 0);
		ub_dict_add(interp, d, "from", fmt_obj(interp, "0x%02x", r.from));
		ub_dict_add(interp, d, "to", fmt_obj(interp, "0x%02x", r.to));
		ub_dict_add(interp, d, "confirmed", Jim_NewIntObj(interp, r.confirmed));
		ub_dict_add(interp, d, "ap1", Jim_NewIntObj(interp, r.ap1_open));
	}
	return finish(interp, e, d);
}

static const char *kind_word(enum h5_cred_kind k)
{
	return k == H5_CRED_NONE ? "none" : k == H5_CRED_CERTIFICATE_OBK ? "certificate" : "password";
}

static int cmd_credentials(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	h5_cred_record rec;
	ub_err e = need_chip(b, "h5 credentials");
	if (e != UB_OK)
		return ub_tcl_status(interp, e);
	e = h5_cred_read(&chip, &rec);
	Jim_Obj *d = NULL;
	if (e == UB_OK) {
		d = Jim_NewListObj(interp, NULL, 0);
		ub_dict_add(interp, d, "kind", str_obj(interp, kind_word(rec.kind)));
		ub_dict_add(interp, d, "where", str_obj(interp, rec.in_otp ? "otp" : "obk"));
		const char *record = rec.torn ? "torn" : rec.kind == H5_CRED_NONE ? "erased" : "valid";
		uint32_t permissions = rec.kind == H5_CRED_NONE ? 0 : rec.permissions;
		ub_dict_add(interp, d, "permissions", ub_hex_obj(interp, permissions));
		ub_dict_add(interp, d, "record", str_obj(interp, record));
		ub_dict_add(interp, d, "addr", ub_hex_obj(interp, rec.addr));
	}
	explicit_bzero(rec.hash, sizeof(rec.hash));
	return finish(interp, e, d);
}

static int cmd_da_provision(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	h5_opts o = { 0 };
	h5_held_cred held;
	bool written = false;
	ub_err e = need_chip(b, "h5 da_provision");
	if (e == UB_OK)
		e = parse_opts(interp, argc, argv, "h5 da_provision",
			       OPT_PASSWORD | OPT_CERT | OPT_PERMISSIONS | OPT_IRREVERSIBLE | OPT_TIMEOUT, &o);
	if (e == UB_OK && !(o.seen & (OPT_PASSWORD | OPT_CERT)))
		e = ub_fail(UB_ERR_ARG, "h5 da_provision: -password FILE or -cert FILE is required");
	if (e == UB_OK)
		e = load_held(&o, "h5 da_provision", &held);
	if (e != UB_OK)
		return ub_tcl_status(interp, e);
	uint32_t permissions = (o.seen & OPT_PERMISSIONS) ? o.permissions : 1;
	e = h5_da_provision(&chip, &held, permissions, o.seen & OPT_IRREVERSIBLE, o.timeout_ms, &written);
	explicit_bzero(held.hash, sizeof(held.hash));
	Jim_Obj *d = NULL;
	if (e == UB_OK) {
		d = Jim_NewListObj(interp, NULL, 0);
		const char *kind = held.kind == H5_FILE_PASSWORD ? "password" : "certificate";
		ub_dict_add(interp, d, "kind", str_obj(interp, kind));
		ub_dict_add(interp, d, "where", str_obj(interp, chip.line->da_password_in_otp ? "otp" : "obk"));
		ub_dict_add(interp, d, "written", Jim_NewIntObj(interp, written));
	}
	return finish(interp, e, d);
}

/* ---- erase, blank check, program, verify ------------------------------------------------------- */

static int cmd_erase(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	h5_opts o = { 0 };
	char what[40];
	ub_err e = need_chip(b, "h5 erase");
	if (e == UB_OK)
		e = parse_opts(interp, argc, argv, "h5 erase", OPT_BANK | OPT_SECTOR | OPT_TIMEOUT, &o);
	if (e == UB_OK && (o.seen & OPT_BANK) && (o.seen & OPT_SECTOR))
		e = ub_fail(UB_ERR_ARG, "h5 erase: -bank and -sector exclude each other");
	if (e == UB_OK && (o.seen & OPT_BANK) && (o.bank < 1 || o.bank > 2))
		e = ub_fail(UB_ERR_ARG, "h5 erase: -bank %u: banks are 1 and 2", o.bank);
	if (e == UB_OK && (o.seen & OPT_SECTOR) &&
	    (o.sector_bank < 1 || o.sector_bank > 2 || o.sector >= chip.geo.sectors_per_bank))
		e = ub_fail(UB_ERR_ARG, "h5 erase: -sector %u %u: banks are 1 and 2, sectors 0..%u", o.sector_bank,
			    o.sector, chip.geo.sectors_per_bank - 1);
	if (e != UB_OK)
		return ub_tcl_status(interp, e);
	Jim_Obj *erased = Jim_NewListObj(interp, NULL, 0);
	if (o.seen & OPT_SECTOR) {
		e = h5_erase_sector(&chip, o.sector_bank, o.sector, o.timeout_ms);
		snprintf(what, sizeof(what), "bank%u/sector%u", o.sector_bank, o.sector);
		Jim_ListAppendElement(interp, erased, str_obj(interp, what));
	} else if (o.seen & OPT_BANK) {
		e = h5_erase_bank(&chip, o.bank, o.timeout_ms);
		Jim_ListAppendElement(interp, erased, str_obj(interp, o.bank == 1 ? "bank1" : "bank2"));
	} else {
		e = h5_erase_all(&chip, o.timeout_ms);
		Jim_ListAppendElement(interp, erased, str_obj(interp, "bank1"));
		Jim_ListAppendElement(interp, erased, str_obj(interp, "bank2"));
	}
	Jim_Obj *d = Jim_NewListObj(interp, NULL, 0);
	ub_dict_add(interp, d, "erased", erased);
	return finish(interp, e, d);
}

static int cmd_blank_check(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	bool blank = false;
	uint32_t first = 0;
	ub_err e = need_chip(b, "h5 blank_check");
	if (e != UB_OK)
		return ub_tcl_status(interp, e);
	e = h5_blank_check(&chip, &blank, &first);
	Jim_Obj *d = Jim_NewListObj(interp, NULL, 0);
	ub_dict_add(interp, d, "blank", Jim_NewIntObj(interp, blank));
	ub_dict_add(interp, d, "first_non_blank", blank ? str_obj(interp, "") : ub_hex_obj(interp, first));
	return finish(interp, e, d);
}

/* FILE ?-offset ADDR? (+ -timeout for program): a raw binary at 0x08000000 + offset, or at ADDR
 * itself when ADDR is already a flash address (people type `program fw.bin 0x08000000`, which is
 * what OpenOCD's OFFSET means for a binary); ELF and HEX addresses moved by the offset, as
 * OpenOCD's own `program FILE OFFSET` does. */
static ub_err load_image_args(Jim_Interp *interp, int argc, Jim_Obj *const *argv, const char *cmd, unsigned allowed,
			      h5_opts *o, ub_image *img)
{
	const char *path;
	memset(img, 0, sizeof(*img));
	ub_err e = ub_arg_string(argv[0], cmd, "FILE", &path);
	if (e == UB_OK)
		e = parse_opts(interp, argc - 1, argv + 1, cmd, allowed, o);
	uint32_t bin_base = o->offset >= H5_FLASH_BASE_NS ? o->offset : H5_FLASH_BASE_NS + o->offset;
	if (e == UB_OK)
		e = ub_image_load(path, bin_base, img);
	for (size_t i = 0; e == UB_OK && img->format != UB_IMAGE_BIN && i < img->count; i++) {
		if ((uint64_t)img->seg[i].addr + o->offset + img->seg[i].len > (uint64_t)UINT32_MAX + 1)
			e = ub_fail(UB_ERR_ARG, "%s: -offset 0x%08x moves %s past the end of the address space", cmd,
				    o->offset, path);
		else
			img->seg[i].addr += o->offset;
	}
	if (e != UB_OK)
		ub_image_free(img);
	return e;
}

static Jim_Obj *sha256_obj(Jim_Interp *interp, const ub_image *img)
{
	uint8_t md[32];
	char hex[65];
	unsigned len = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
	for (size_t i = 0; ok && i < img->count; i++)
		ok = EVP_DigestUpdate(ctx, img->seg[i].data, img->seg[i].len) == 1;
	ok = ok && EVP_DigestFinal_ex(ctx, md, &len) == 1 && len == sizeof(md);
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return str_obj(interp, "");
	for (unsigned i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return str_obj(interp, hex);
}

/* `bytes N start ADDR end ADDR sha256 HEX`: end is the first address after the image; the digest is
 * over the image's bytes in address order (a raw binary's is the file's own). */
static int cmd_program(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	h5_opts o = { 0 };
	ub_image img;
	ub_err e = need_chip(b, "h5 program");
	if (e == UB_OK)
		e = load_image_args(interp, argc, argv, "h5 program", OPT_OFFSET | OPT_TIMEOUT, &o, &img);
	if (e != UB_OK)
		return ub_tcl_status(interp, e);
	e = h5_program_image(&chip, &img, o.timeout_ms);
	Jim_Obj *d = NULL;
	if (e == UB_OK) {
		const ub_image_segment *last = &img.seg[img.count - 1];
		d = Jim_NewListObj(interp, NULL, 0);
		ub_dict_add(interp, d, "bytes", Jim_NewIntObj(interp, (jim_wide)img.total));
		ub_dict_add(interp, d, "start", ub_hex_obj(interp, img.seg[0].addr));
		ub_dict_add(interp, d, "end", ub_hex_obj(interp, last->addr + last->len));
		ub_dict_add(interp, d, "sha256", sha256_obj(interp, &img));
	}
	ub_image_free(&img);
	return finish(interp, e, d);
}

static int cmd_verify(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	h5_opts o = { 0 };
	ub_image img;
	ub_err e = need_chip(b, "h5 verify");
	if (e == UB_OK)
		e = load_image_args(interp, argc, argv, "h5 verify", OPT_OFFSET, &o, &img);
	if (e != UB_OK)
		return ub_tcl_status(interp, e);
	e = h5_verify_image(&chip, &img);
	Jim_Obj *d = NULL;
	if (e == UB_OK) {
		d = Jim_NewListObj(interp, NULL, 0);
		ub_dict_add(interp, d, "bytes", Jim_NewIntObj(interp, (jim_wide)img.total));
		ub_dict_add(interp, d, "match", Jim_NewIntObj(interp, 1));
	}
	ub_image_free(&img);
	return finish(interp, e, d);
}

/* `h5 timeout_scale ?PCT?`: stretch every bounded wait (slow probes, cold chips); answers the scale. */
static int cmd_timeout_scale(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	uint32_t pct = chip.timeout_scale_pct ? chip.timeout_scale_pct : 100;
	if (argc == 1) {
		ub_err e = ub_arg_u32(interp, argv[0], "h5 timeout_scale", "PCT", &pct);
		if (e == UB_OK && (pct < 10 || pct > 10000))
			e = ub_fail(UB_ERR_ARG, "h5 timeout_scale: PCT must be 10..10000, not %u", pct);
		if (e != UB_OK)
			return ub_tcl_status(interp, e);
		chip.timeout_scale_pct = pct;
	}
	Jim_SetResult(interp, Jim_NewIntObj(interp, pct));
	return JIM_OK;
}

static const ub_subcmd h5_subcmds[] = {
	{ "h5", "identify", "", 0, 0, cmd_identify },
	{ "h5", "options", "", 0, 0, cmd_options },
	{ "h5", "registers", "", 0, 0, cmd_registers },
	{ "h5", "options_set", "FIELD VALUE ?FIELD VALUE ...? ?-irreversible? ?-timeout MS?", 2, H5_MAX_ARGS,
	  cmd_options_set },
	{ "h5", "product_state", "?NAME|CODE ?-password FILE? ?-cert FILE? ?-irreversible? ?-timeout MS??", 0, 8,
	  cmd_product_state },
	{ "h5", "credentials", "", 0, 0, cmd_credentials },
	{ "h5", "da_provision", "-password FILE | -cert FILE ?-permissions N? ?-irreversible? ?-timeout MS?", 2, 8,
	  cmd_da_provision },
	{ "h5", "erase", "?-bank 1|2? ?-sector BANK N? ?-timeout MS?", 0, 5, cmd_erase },
	{ "h5", "blank_check", "", 0, 0, cmd_blank_check },
	{ "h5", "program", "FILE ?-offset ADDR? ?-timeout MS?", 1, 5, cmd_program },
	{ "h5", "verify", "FILE ?-offset ADDR?", 1, 3, cmd_verify },
	{ "h5", "timeout_scale", "?PCT?", 0, 1, cmd_timeout_scale },
};

const ub_cmd_table ub_h5_commands = { h5_subcmds, sizeof(h5_subcmds) / sizeof(h5_subcmds[0]) };
