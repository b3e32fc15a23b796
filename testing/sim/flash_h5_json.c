/*
 * STM32H5 flash: the state JSON (keys listed in flash_h5.h).  Banks are
 * physical banks, like the scenario addresses.
 */
#include "flash_h5_internal.h"

#include <string.h>

static const char *cred_name(flash_h5_cred_kind kind)
{
	switch (kind) {
	case FLASH_H5_CRED_PASSWORD:
		return "password";
	case FLASH_H5_CRED_CERT_ROOT:
		return "certificate";
	default:
		return "none";
	}
}

static void write_option_bytes(const flash_h5 *f, json_out *j)
{
	json_begin_object(j, "option_bytes");
	for (unsigned r = 0; r < OB5_REG_COUNT; r++) {
		if (!optbytes_h5_reg_exists(&f->ob, (ob_h5_reg)r))
			continue;
		json_hex32(j, optbytes_h5_reg_name((ob_h5_reg)r, true), f->ob.cur[r]);
		json_hex32(j, optbytes_h5_reg_name((ob_h5_reg)r, false), f->ob.prg[r]);
	}
	json_end_object(j);

	json_begin_object(j, "option_fields");
	for (size_t i = 0; i < optbytes_h5_field_count(); i++) {
		const optbytes_h5_field *field = optbytes_h5_field_find(&f->ob, optbytes_h5_field_at(i)->name, NULL);

		if (field == optbytes_h5_field_at(i))
			json_uint(j, field->name, optbytes_h5_field_get(f->ob.cur, field));
	}
	json_end_object(j);
}

static void write_banks(const flash_h5 *f, json_out *j)
{
	static const char *const names[2] = { "bank1", "bank2" };
	char hex[65];

	json_begin_object(j, "flash_sha256");
	for (unsigned b = 0; b < 2; b++) {
		if (fa5_sha256_hex(&f->array[b], hex) != 0)
			sim_log_info("flash: SHA-256 of bank %u failed (EVP_Digest)", b + 1);
		json_string(j, names[b], hex);
	}
	json_end_object(j);
	json_begin_object(j, "flash");
	for (unsigned b = 0; b < 2; b++) {
		uint32_t erased, programmed, corrupt;

		fa5_counts(&f->array[b], &erased, &programmed, &corrupt);
		json_begin_object(j, names[b]);
		json_bool(j, "erased", erased == f->array[b].units);
		json_uint(j, "programmed_quad_words", programmed);
		json_uint(j, "ecc_corrupt_quad_words", corrupt);
		json_end_object(j);
	}
	json_end_object(j);
}

/* "obk" on every part; "present": false and no contents on the H503. */
static void write_obk(const flash_h5 *f, json_out *j)
{
	flash_h5_credential cred;
	uint32_t erased, programmed, corrupt;
	char hex[65];

	flash_h5_da_credential(f, &cred);
	json_begin_object(j, "obk");
	json_bool(j, "present", f->line->obk);
	if (f->line->obk) {
		fa5_counts(&f->array[AREA_OBK], &erased, &programmed, &corrupt);
		if (fa5_sha256_hex(&f->array[AREA_OBK], hex) != 0)
			sim_log_info("flash: SHA-256 of OBK failed (EVP_Digest)");
		json_bool(j, "erased", erased == f->array[AREA_OBK].units);
		json_string(j, "sha256", hex);
	}
	json_string(j, "da_credential", cred_name(cred.kind));
	json_end_object(j);
}

static void write_otp(const flash_h5 *f, json_out *j)
{
	uint32_t erased, programmed, corrupt;
	char hex[65];

	fa5_counts(&f->array[AREA_OTP], &erased, &programmed, &corrupt);
	if (fa5_sha256_hex(&f->array[AREA_OTP], hex) != 0)
		sim_log_info("flash: SHA-256 of OTP failed (EVP_Digest)");
	json_begin_object(j, "otp");
	json_uint(j, "programmed_half_words", programmed);
	json_uint(j, "ecc_corrupt_half_words", corrupt);
	json_string(j, "sha256", hex);
	json_end_object(j);
}

static void write_counters(const flash_h5 *f, json_out *j)
{
	const fh5_counters *c = &f->count;

	json_begin_object(j, "counters");
	json_uint(j, "sector_erases", c->sector_erases);
	json_uint(j, "bank_erases", c->bank_erases);
	json_uint(j, "mass_erases", c->mass_erases);
	json_uint(j, "option_changes", c->option_changes);
	json_uint(j, "option_change_errors", c->option_change_errors);
	json_uint(j, "quad_words_programmed", c->quad_words_programmed);
	json_uint(j, "regressions_full", c->regressions_full);
	json_uint(j, "regressions_partial", c->regressions_partial);
	json_end_object(j);
}

void flash_h5_write_json(const flash_h5 *f, json_out *j)
{
	uint8_t ps = flash_h5_product_state(f);
	const char *name = optbytes_h5_ps_name(ps);

	json_hex8(j, "product_state", ps);
	json_string(j, "product_state_name", name ? name : "invalid");
	json_hex8(j, "tzen", optbytes_h5_tzen(&f->ob));
	write_option_bytes(f, j);
	write_banks(f, j);
	write_obk(f, j);
	write_otp(f, j);
	write_counters(f, j);
}
