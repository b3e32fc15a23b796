/*
 * STM32H5 flash: scenario keys (flash_h5.h, testing/scenarios/README.md).
 *
 *   option fields by RM name     both _CUR and _PRG (the chip powers on with
 *                                them); coded fields (PRODUCT_STATE, TZEN,
 *                                BOOT_UBE, xxBOOT_LOCK) must hold a defined
 *                                code; xxBOOTADD also takes a full address.
 *   flash.fill = ADDR LEN BYTE   BYTE repeated; also random:SEED or erased.
 *   flash.load = ADDR FILE       a binary file (relative to the scenario).
 *   flash.ecc_error = ADDR       the quad-word (OTP: half-word) holding ADDR
 *                                has a double ECC error (user flash, OBK, OTP).
 *   otp.fill = ADDR LEN BYTE     OTP half-words, programmed (random:SEED too).
 *   obk.da_password = TEXT       DA record kind 1, SHA-256 of TEXT (4..16 bytes).
 *   obk.da_cert = PEM FILE       DA record kind 2, SHA-256 of the root
 *                                certificate's DER SubjectPublicKeyInfo.
 *   obk.da_permissions = N       record permission word (default 0x3 for a
 *                                certificate, 0x1 for a password).
 *   otp.da_password = TEXT       H503: SHA-256 of TEXT in OTP 0x08FFF000.
 *
 * Flash addresses name PHYSICAL banks (bank 2 from base + size/2, either
 * alias), whatever SWAP_BANK says.  Order: option fields, credentials, then
 * contents in file order (so that flash.ecc_error can tear a record).
 */
#include "flash_h5_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

/* ------------------------------------------------------ option fields -- */

/* The table lists WRPSG1/2 once per width: handle each name once. */
static bool first_with_name(size_t index)
{
	const optbytes_h5_field *field = optbytes_h5_field_at(index);

	for (size_t i = 0; i < index; i++)
		if (strcmp(optbytes_h5_field_at(i)->name, field->name) == 0)
			return false;
	return true;
}

static int parse_field_value(const optbytes_h5_field *field, scenario *sc, scenario_entry *e, uint32_t *value,
			     char *err, size_t errlen)
{
	const char *why = NULL;

	if (scenario_u32(sc, e, value, err, errlen) != 0)
		return -1;
	/* Boot addresses: the field (address >> 8) or a 256-byte aligned address. */
	if ((strcmp(field->name, "NSBOOTADD") == 0 || strcmp(field->name, "SECBOOTADD") == 0) && *value > 0xffffffu) {
		if (*value & 0xffu) {
			scenario_error(sc, e, err, errlen, "boot address 0x%08x is not 256-byte aligned", *value);
			return -1;
		}
		*value >>= 8;
	}
	if (!optbytes_h5_field_valid(field, *value, &why)) {
		scenario_error(sc, e, err, errlen, "0x%x %s", *value, why);
		return -1;
	}
	return 0;
}

static int apply_field(flash_h5 *f, scenario *sc, scenario_entry *e, char *err, size_t errlen)
{
	const optbytes_h5_field *field = optbytes_h5_field_find(&f->ob, e->key, NULL);
	scenario_entry *again = scenario_next(sc, e->key, e);
	uint32_t value;

	if (!field) {
		scenario_error(sc, e, err, errlen, "no such option field on %s", optbytes_h5_variant_name(f->ob.variant));
		return -1;
	}
	if (again) {
		scenario_error(sc, again, err, errlen, "option field given twice (first at line %d)", e->line);
		return -1;
	}
	if (parse_field_value(field, sc, e, &value, err, errlen) != 0)
		return -1;
	optbytes_h5_field_set(f->ob.cur, field, value);
	optbytes_h5_field_set(f->ob.prg, field, value);
	return 0;
}

/*
 * With TrustZone on and no watermark given, the whole of each bank is secure
 * (UNCONFIRMED: the STM32U5 default with TZEN set; the facts only give the
 * TZ-off values STRT = 1 / END = 0).
 */
static void default_watermarks(flash_h5 *f, const bool given[2])
{
	static const char *const names[2][2] = { { "SECWM1_STRT", "SECWM1_END" }, { "SECWM2_STRT", "SECWM2_END" } };

	if (!optbytes_h5_tz_enabled(&f->ob))
		return;
	for (unsigned b = 0; b < 2; b++) {
		if (given[b])
			continue;
		optbytes_h5_field_set(f->ob.cur, optbytes_h5_field_find(&f->ob, names[b][0], NULL), 0);
		optbytes_h5_field_set(f->ob.cur, optbytes_h5_field_find(&f->ob, names[b][1], NULL), f->sectors - 1);
	}
}

static int apply_option_fields(flash_h5 *f, scenario *sc, char *err, size_t errlen)
{
	bool secwm_given[2] = { false, false };

	for (size_t i = 0; i < optbytes_h5_field_count(); i++) {
		const char *name = optbytes_h5_field_at(i)->name;
		scenario_entry *e;

		if (!first_with_name(i) || !(e = scenario_find(sc, name)))
			continue;
		if (apply_field(f, sc, e, err, errlen) != 0)
			return -1;
		if (strncmp(name, "SECWM", 5) == 0)
			secwm_given[name[5] - '1'] = true;
	}
	default_watermarks(f, secwm_given);
	optbytes_h5_reload(&f->ob);
	return 0;
}

/* --------------------------------------------------------- credentials -- */

static int sha256(const void *data, size_t len, uint8_t out[32])
{
	unsigned int n = 0;

	return EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) == 1 && n == 32 ? 0 : -1;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* False when the joined path does not fit. */
static bool scenario_path(const scenario *sc, const char *name, char *out, size_t outlen)
{
	int n;

	if (name[0] == '/' || sc->dir[0] == '\0')
		n = snprintf(out, outlen, "%s", name);
	else
		n = snprintf(out, outlen, "%s/%s", sc->dir, name);
	return n >= 0 && (size_t)n < outlen;
}

/* SHA-256 of the DER SubjectPublicKeyInfo of the first certificate in a PEM file. */
static int cert_key_hash(const scenario *sc, const scenario_entry *e, uint8_t hash[32], char *err, size_t errlen)
{
	char path[600];
	unsigned char *der = NULL;
	X509 *cert;
	FILE *in;
	int len, rc = -1;

	if (!scenario_path(sc, e->value, path, sizeof(path))) {
		scenario_error(sc, e, err, errlen, "path too long");
		return -1;
	}
	in = fopen(path, "r");
	if (!in) {
		scenario_error(sc, e, err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	cert = PEM_read_X509(in, NULL, NULL, NULL);
	fclose(in);
	if (!cert) {
		scenario_error(sc, e, err, errlen, "%s: no PEM certificate (PEM_read_X509 failed)", path);
		return -1;
	}
	len = i2d_PUBKEY(X509_get0_pubkey(cert), &der);
	if (len <= 0)
		scenario_error(sc, e, err, errlen, "%s: cannot encode the public key (i2d_PUBKEY failed)", path);
	else if (sha256(der, (size_t)len, hash) != 0)
		scenario_error(sc, e, err, errlen, "%s: SHA-256 failed (EVP_Digest)", path);
	else
		rc = 0;
	OPENSSL_free(der);
	X509_free(cert);
	return rc;
}

static int password_hash(const scenario *sc, const scenario_entry *e, uint8_t hash[32], char *err, size_t errlen)
{
	size_t len = strlen(e->value);

	/* docs/h5-debug-authentication.md §5: passwords are 4..16 bytes. */
	if (len < 4 || len > 16) {
		scenario_error(sc, e, err, errlen, "a DA password has 4 to 16 bytes, not %zu", len);
		return -1;
	}
	if (sha256(e->value, len, hash) != 0) {
		scenario_error(sc, e, err, errlen, "SHA-256 failed (EVP_Digest)");
		return -1;
	}
	return 0;
}

/* A key that may appear at most once; NULL if absent, error if repeated. */
static int single(scenario *sc, const char *key, scenario_entry **out, char *err, size_t errlen)
{
	scenario_entry *again;

	*out = scenario_find(sc, key);
	again = *out ? scenario_next(sc, key, *out) : NULL;
	if (again) {
		scenario_error(sc, again, err, errlen, "given twice (first at line %d)", (*out)->line);
		return -1;
	}
	return 0;
}

/* The record of docs/h5-debug-authentication.md §7 at OBK + 0x100. */
static void write_record(flash_h5 *f, uint32_t kind, uint32_t permissions, const uint8_t hash[32])
{
	uint8_t rec[48];

	memset(rec, 0, sizeof(rec));
	put_le32(rec, kind);
	put_le32(rec + 4, permissions);
	memcpy(rec + 8, hash, 32);
	put_le32(rec + 40, ~kind);
	fa5_preload(&f->array[AREA_OBK], FLASH_H5_DA_RECORD, rec, sizeof(rec));
}

static int no_obk_error(const flash_h5 *f, scenario *sc, scenario_entry *e, char *err, size_t errlen)
{
	scenario_error(sc, e, err, errlen, "%s has no OBK (its DA password hash is otp.da_password)",
		       optbytes_h5_variant_name(f->ob.variant));
	return -1;
}

static int apply_obk_credential(flash_h5 *f, scenario *sc, char *err, size_t errlen)
{
	scenario_entry *pw, *cert, *perm;
	uint32_t kind, permissions;
	uint8_t hash[32];

	if (single(sc, "obk.da_password", &pw, err, errlen) || single(sc, "obk.da_cert", &cert, err, errlen) ||
	    single(sc, "obk.da_permissions", &perm, err, errlen))
		return -1;
	if (!f->line->obk && (pw || cert || perm))
		return no_obk_error(f, sc, pw ? pw : cert ? cert : perm, err, errlen);
	if (pw && cert) {
		scenario_error(sc, cert, err, errlen, "one DA record only: obk.da_password is at line %d", pw->line);
		return -1;
	}
	if (!pw && !cert) {
		if (perm)
			scenario_error(sc, perm, err, errlen, "needs obk.da_password or obk.da_cert");
		return perm ? -1 : 0;
	}
	kind = pw ? FLASH_H5_CRED_PASSWORD : FLASH_H5_CRED_CERT_ROOT;
	permissions = pw ? 0x1u : 0x3u;
	if (perm && scenario_u32(sc, perm, &permissions, err, errlen) != 0)
		return -1;
	if (pw ? password_hash(sc, pw, hash, err, errlen) : cert_key_hash(sc, cert, hash, err, errlen))
		return -1;
	write_record(f, kind, permissions, hash);
	return 0;
}

static int apply_otp_credential(flash_h5 *f, scenario *sc, char *err, size_t errlen)
{
	scenario_entry *pw;
	uint8_t hash[32];

	if (single(sc, "otp.da_password", &pw, err, errlen) != 0)
		return -1;
	if (!pw)
		return 0;
	if (f->line->obk) {
		scenario_error(sc, pw, err, errlen, "this part keeps its DA credential in OBK: use obk.da_password");
		return -1;
	}
	if (password_hash(sc, pw, hash, err, errlen) != 0)
		return -1;
	fa5_preload(&f->array[AREA_OTP], 0, hash, sizeof(hash));
	return 0;
}

/* ------------------------------------------------------------- entry -- */

int flash_h5_apply_scenario(flash_h5 *f, scenario *sc, char *err, size_t errlen)
{
	if (!f || !sc) {
		snprintf(err, errlen, "flash_h5_apply_scenario: no flash or no scenario");
		return -1;
	}
	if (apply_option_fields(f, sc, err, errlen) != 0 || apply_obk_credential(f, sc, err, errlen) != 0 ||
	    apply_otp_credential(f, sc, err, errlen) != 0 || fh5_apply_contents(f, sc, err, errlen) != 0)
		return -1;
	fh5_log_unmodelled_options(f);
	fh5_load_options(f);
	/* The chip powers on with these option bytes: a cut regression resumes now. */
	fh5_resume_regression(f, sim_now_us());
	return 0;
}
