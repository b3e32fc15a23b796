/*
 * STM32H7 flash: scenario keys in (option fields, flash contents) and the
 * state JSON out.  Keys are documented in flash_h7.h and
 * testing/scenarios/README.md.
 *
 * Flash-content addresses name PHYSICAL banks: 0x08000000.. is bank 1 and
 * 0x08100000.. bank 2, whatever SWAP_BANK_OPT says, like the JSON hashes.
 */
#include "flash_h7_internal.h"
#include "flash_scenario_common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------ option fields -- */

/* The table lists some names once per layout (WRPSN1 ...): handle each name once. */
static bool first_with_name(size_t index)
{
	const optbytes_h7_field *field = optbytes_h7_field_at(index);

	for (size_t i = 0; i < index; i++)
		if (strcmp(optbytes_h7_field_at(i)->name, field->name) == 0)
			return false;
	return true;
}

static bool is_boot_field(const optbytes_h7_field *field)
{
	return field->reg == OB_BOOT7 || field->reg == OB_BOOT4;
}

static int apply_field(flash_h7 *f, scenario *sc, scenario_entry *e, char *err, size_t errlen)
{
	bool known = false;
	const optbytes_h7_field *field = optbytes_h7_field_find(&f->ob, e->key, &known);
	uint32_t value;

	if (!field) {
		scenario_error(sc, e, err, errlen, "no such option field on %s%s",
			       optbytes_h7_variant_name(f->ob.variant),
			       f->banks == 1 ? " (single flash bank)" : "");
		return -1;
	}
	if (scenario_u32(sc, e, &value, err, errlen) != 0)
		return -1;
	/* Boot addresses: accept the field (address >> 16) or a full 64 KiB aligned address. */
	if (is_boot_field(field) && value > 0xffffu) {
		if (value & 0xffffu) {
			scenario_error(sc, e, err, errlen, "boot address 0x%08x is not 64 KiB aligned", value);
			return -1;
		}
		value >>= 16;
	}
	if (value > optbytes_h7_field_max(field)) {
		scenario_error(sc, e, err, errlen, "0x%x does not fit in %u bit(s)", value, field->width);
		return -1;
	}
	/* The chip powers on with these values: both _CUR and _PRG. */
	optbytes_h7_field_set(f->ob.cur, field, value);
	optbytes_h7_field_set(f->ob.prg, field, value);
	return 0;
}

static int apply_option_fields(flash_h7 *f, scenario *sc, char *err, size_t errlen)
{
	for (size_t i = 0; i < optbytes_h7_field_count(); i++) {
		const char *name = optbytes_h7_field_at(i)->name;
		scenario_entry *e, *again;

		if (!first_with_name(i))
			continue;
		e = scenario_find(sc, name);
		if (!e)
			continue;
		again = scenario_next(sc, name, e);
		if (again) {
			scenario_error(sc, again, err, errlen, "option field given twice (first at line %d)", e->line);
			return -1;
		}
		if (apply_field(f, sc, e, err, errlen) != 0)
			return -1;
	}
	return 0;
}

/* ---------------------------------------------------- flash contents -- */

/* One number of a multi-word value: C syntax, optional K/M size suffix. */
static bool parse_token(const char *tok, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (!tok || !*tok)
		return false;
	errno = 0;
	v = strtoull(tok, &end, 0);
	if (errno || end == tok)
		return false;
	if (*end == 'K' && end[1] == '\0')
		v *= 1024u;
	else if (*end == 'M' && end[1] == '\0')
		v *= 1024u * 1024u;
	else if (*end != '\0')
		return false;
	if (v > 0xffffffffull)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Physical bank and offset of [addr, addr + len), word aligned, inside one bank. */
static int locate(const flash_h7 *f, const scenario *sc, const scenario_entry *e, uint32_t addr, uint32_t len,
		  unsigned *bank, uint32_t *offset, char *err, size_t errlen)
{
	uint32_t base;

	if (addr >= FLASH_H7_MEM_BASE && addr - FLASH_H7_MEM_BASE < f->bank_bytes) {
		*bank = 0;
		base = FLASH_H7_MEM_BASE;
	} else if (f->banks == 2 && addr >= FLASH_H7_BANK2_BASE && addr - FLASH_H7_BANK2_BASE < f->bank_bytes) {
		*bank = 1;
		base = FLASH_H7_BANK2_BASE;
	} else {
		scenario_error(sc, e, err, errlen, "0x%08x is not in this part's user flash", addr);
		return -1;
	}
	*offset = addr - base;
	if (*offset % f->line->word_bytes) {
		scenario_error(sc, e, err, errlen, "0x%08x is not aligned to a %u-byte flash word", addr,
			       f->line->word_bytes);
		return -1;
	}
	if (len == 0 || len > f->bank_bytes - *offset) {
		scenario_error(sc, e, err, errlen, "length 0x%x does not fit in flash bank %u", len, *bank + 1);
		return -1;
	}
	return 0;
}

/* Bytes as they were programmed before power-on: every touched word is programmed (valid ECC). */
static void preload(flash_h7 *f, unsigned b, uint32_t offset, const uint8_t *bytes, uint32_t len)
{
	flash_h7_bank *bank = &f->bank[b];
	unsigned wb = f->line->word_bytes;

	memcpy(bank->data + offset, bytes, len);
	for (uint32_t w = offset / wb; w <= (offset + len - 1) / wb; w++)
		bank->word_state[w] = WORD_PROGRAMMED;
}

static int fill_bytes(const scenario *sc, const scenario_entry *e, const char *pattern, uint8_t *buf, uint32_t len,
		      char *err, size_t errlen)
{
	uint32_t word;

	if (strncmp(pattern, "random:", 7) == 0) {
		uint32_t seed;

		if (!parse_token(pattern + 7, &seed)) {
			scenario_error(sc, e, err, errlen, "bad random seed '%s'", pattern + 7);
			return -1;
		}
		flash_scenario_random_bytes(seed, buf, len);
		return 0;
	}
	if (!parse_token(pattern, &word)) {
		scenario_error(sc, e, err, errlen, "pattern '%s' is not a 32-bit word, random:SEED or erased", pattern);
		return -1;
	}
	/* The word as a little-endian CPU stores it, repeated. */
	for (uint32_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(word >> (8 * (i % 4)));
	return 0;
}

static int apply_fill(flash_h7 *f, scenario *sc, scenario_entry *e, char *err, size_t errlen)
{
	char copy[SCENARIO_VALUE_MAX], *save = NULL, *a, *l, *p;
	uint32_t addr, len, offset;
	unsigned b;
	uint8_t *buf;
	int rc;

	snprintf(copy, sizeof(copy), "%s", e->value);
	a = strtok_r(copy, " \t", &save);
	l = strtok_r(NULL, " \t", &save);
	p = strtok_r(NULL, " \t", &save);
	if (!parse_token(a, &addr) || !parse_token(l, &len) || !p || strtok_r(NULL, " \t", &save)) {
		scenario_error(sc, e, err, errlen, "expected 'ADDR LEN PATTERN'");
		return -1;
	}
	if (locate(f, sc, e, addr, len, &b, &offset, err, errlen) != 0)
		return -1;
	if (strcmp(p, "erased") == 0) {
		if (len % f->line->word_bytes) {
			scenario_error(sc, e, err, errlen, "an erased range must be whole %u-byte flash words",
				       f->line->word_bytes);
			return -1;
		}
		fa_erase_range(&f->bank[b], f->line->word_bytes, offset, offset + len, NULL);
		return 0;
	}
	buf = malloc(len);
	if (!buf) {
		scenario_error(sc, e, err, errlen, "out of memory for %u bytes", len);
		return -1;
	}
	rc = fill_bytes(sc, e, p, buf, len, err, errlen);
	if (rc == 0)
		preload(f, b, offset, buf, len);
	free(buf);
	return rc;
}

static int apply_load(flash_h7 *f, scenario *sc, scenario_entry *e, char *err, size_t errlen)
{
	char copy[SCENARIO_VALUE_MAX], path[600], *save = NULL, *a, *name;
	uint32_t addr, offset;
	unsigned b;
	uint8_t *buf;
	FILE *in;
	long size;

	snprintf(copy, sizeof(copy), "%s", e->value);
	a = strtok_r(copy, " \t", &save);
	name = strtok_r(NULL, " \t", &save);
	if (!parse_token(a, &addr) || !name || strtok_r(NULL, " \t", &save)) {
		scenario_error(sc, e, err, errlen, "expected 'ADDR FILE'");
		return -1;
	}
	if (name[0] == '/' || sc->dir[0] == '\0')
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s", sc->dir, name);
	in = fopen(path, "rb");
	if (!in) {
		scenario_error(sc, e, err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fseek(in, 0, SEEK_END) != 0 || (size = ftell(in)) < 0 || fseek(in, 0, SEEK_SET) != 0) {
		scenario_error(sc, e, err, errlen, "cannot size %s: %s", path, strerror(errno));
		fclose(in);
		return -1;
	}
	if (size == 0 || (unsigned long)size > f->bank_bytes) {
		scenario_error(sc, e, err, errlen, "%s: %ld bytes do not fit in a flash bank", path, size);
		fclose(in);
		return -1;
	}
	if (locate(f, sc, e, addr, (uint32_t)size, &b, &offset, err, errlen) != 0) {
		fclose(in);
		return -1;
	}
	buf = malloc((size_t)size);
	if (!buf || fread(buf, 1, (size_t)size, in) != (size_t)size) {
		scenario_error(sc, e, err, errlen, "cannot read %s", path);
		free(buf);
		fclose(in);
		return -1;
	}
	fclose(in);
	preload(f, b, offset, buf, (uint32_t)size);
	free(buf);
	return 0;
}

static int apply_ecc_error(flash_h7 *f, scenario *sc, scenario_entry *e, char *err, size_t errlen)
{
	uint32_t addr, offset;
	unsigned b;

	if (!parse_token(e->value, &addr)) {
		scenario_error(sc, e, err, errlen, "expected an address");
		return -1;
	}
	addr -= addr % f->line->word_bytes; /* the flash word that contains ADDR */
	if (locate(f, sc, e, addr, f->line->word_bytes, &b, &offset, err, errlen) != 0)
		return -1;
	fa_mark_corrupt(&f->bank[b], offset / f->line->word_bytes);
	return 0;
}

/* In file order, so that a later fill overrides an earlier one. */
static int apply_flash_contents(flash_h7 *f, scenario *sc, char *err, size_t errlen)
{
	for (size_t i = 0; i < sc->count; i++) {
		scenario_entry *e = &sc->entries[i];
		int rc;

		if (strcmp(e->key, "flash.fill") == 0)
			rc = apply_fill(f, sc, e, err, errlen);
		else if (strcmp(e->key, "flash.load") == 0)
			rc = apply_load(f, sc, e, err, errlen);
		else if (strcmp(e->key, "flash.ecc_error") == 0)
			rc = apply_ecc_error(f, sc, e, err, errlen);
		else
			continue;
		e->used = true;
		if (rc != 0)
			return -1;
	}
	return 0;
}

int flash_h7_apply_scenario(flash_h7 *f, scenario *sc, char *err, size_t errlen)
{
	if (!f || !sc) {
		snprintf(err, errlen, "flash_h7_apply_scenario: no flash or no scenario");
		return -1;
	}
	if (apply_option_fields(f, sc, err, errlen) != 0 || apply_flash_contents(f, sc, err, errlen) != 0)
		return -1;
	fh_load_options(f);
	return 0;
}

/* ---------------------------------------------------------------- JSON -- */

static void write_option_bytes(const flash_h7 *f, json_out *j)
{
	json_begin_object(j, "option_bytes");
	for (unsigned r = 0; r < OB_REG_COUNT; r++) {
		uint32_t cur = f->ob.cur[r];

		if (!optbytes_h7_reg_exists(&f->ob, (ob_h7_reg)r))
			continue;
		if (r == OB_OPTSR) {
			cur |= f->optop.busy ? OB_OPTSR_OPT_BUSY : 0;
			cur |= f->opt_change_error ? OB_OPTSR_OPTCHANGEERR : 0;
		}
		json_hex32(j, optbytes_h7_reg_name(&f->ob, (ob_h7_reg)r, true), cur);
		json_hex32(j, optbytes_h7_reg_name(&f->ob, (ob_h7_reg)r, false), f->ob.prg[r]);
	}
	json_end_object(j);

	json_begin_object(j, "option_fields");
	for (size_t i = 0; i < optbytes_h7_field_count(); i++) {
		const optbytes_h7_field *field = optbytes_h7_field_find(&f->ob, optbytes_h7_field_at(i)->name, NULL);

		if (field == optbytes_h7_field_at(i))
			json_uint(j, field->name, optbytes_h7_field_get(f->ob.cur, field));
	}
	json_end_object(j);
}

void flash_h7_write_json(const flash_h7 *f, json_out *j)
{
	static const char *const bank_names[FLASH_H7_MAX_BANKS] = { "bank1", "bank2" };
	char hex[65];

	json_hex8(j, "rdp", flash_h7_rdp(f));
	write_option_bytes(f, j);
	json_begin_object(j, "flash_sha256");
	for (unsigned b = 0; b < f->banks; b++) {
		if (fa_sha256_hex(&f->bank[b], f->bank_bytes, hex) != 0)
			sim_log_info("flash: SHA-256 of bank %u failed (EVP_Digest)", b + 1);
		json_string(j, bank_names[b], hex);
	}
	json_end_object(j);
	json_begin_object(j, "flash");
	for (unsigned b = 0; b < f->banks; b++) {
		uint32_t erased, programmed, corrupt;

		fa_counts(&f->bank[b], &erased, &programmed, &corrupt);
		json_begin_object(j, bank_names[b]);
		json_bool(j, "erased", erased == f->bank[b].words);
		json_uint(j, "programmed_words", programmed);
		json_uint(j, "ecc_corrupt_words", corrupt);
		json_end_object(j);
	}
	json_end_object(j);
}
