/*
 * STM32H5 flash: scenario contents, applied in file order so that a later
 * line overrides an earlier one (keys: flash_h5_scenario.c).  Everything a
 * scenario writes was programmed before power-on: touched units carry a
 * valid ECC, except those flash.ecc_error names.
 */
#include "flash_h5_internal.h"
#include "flash_scenario_common.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Where one scenario range lands. */
typedef struct fh5_place {
	unsigned area;
	uint32_t offset;
} fh5_place;

/*
 * One number of a multi-word value: 0x.. or decimal, optional K/M suffix.
 * A leading 0 followed by digits is refused, as scenario.c does (octal trap).
 */
static bool parse_token(const char *tok, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!tok || !isdigit((unsigned char)tok[0]) || (tok[0] == '0' && isdigit((unsigned char)tok[1])))
		return false;
	errno = 0;
	v = strtoull(tok, &end, tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X') ? 16 : 10);
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

static bool window(uint32_t addr, uint32_t base, uint32_t size, uint32_t *off)
{
	if (addr < base || addr - base >= size)
		return false;
	*off = addr - base;
	return true;
}

/* User flash by physical bank, either alias (the secure one only on TrustZone parts). */
static bool place_user(const flash_h5 *f, uint32_t addr, fh5_place *p)
{
	uint32_t off;

	if (!window(addr, FLASH_H5_MEM_NS, 2 * f->bank_bytes, &off) &&
	    !(f->line->trustzone && window(addr, FLASH_H5_MEM_S, 2 * f->bank_bytes, &off)))
		return false;
	p->area = off >= f->bank_bytes ? AREA_BANK2 : AREA_BANK1;
	p->offset = off - (p->area == AREA_BANK2 ? f->bank_bytes : 0);
	return true;
}

static bool place_any(const flash_h5 *f, uint32_t addr, fh5_place *p)
{
	if (place_user(f, addr, p))
		return true;
	if (f->line->obk && (window(addr, FLASH_H5_OBK_NS, FLASH_H5_OBK_SIZE, &p->offset) ||
			     window(addr, FLASH_H5_OBK_S, FLASH_H5_OBK_SIZE, &p->offset))) {
		p->area = AREA_OBK;
		return true;
	}
	p->area = AREA_OTP;
	return window(addr, FLASH_H5_OTP_BASE, FLASH_H5_OTP_SIZE, &p->offset);
}

/* [addr, addr + len) aligned to a program unit and inside one area. */
static int place_range(const flash_h5 *f, const scenario *sc, const scenario_entry *e, bool otp, uint32_t addr,
		       uint32_t len, fh5_place *p, char *err, size_t errlen)
{
	const fh5_array *a;

	if (otp ? !window(addr, FLASH_H5_OTP_BASE, FLASH_H5_OTP_SIZE, &p->offset) : !place_user(f, addr, p)) {
		scenario_error(sc, e, err, errlen, "0x%08x is not in this part's %s", addr, otp ? "OTP" : "user flash");
		return -1;
	}
	if (otp)
		p->area = AREA_OTP;
	a = &f->array[p->area];
	if (p->offset % a->unit) {
		scenario_error(sc, e, err, errlen, "0x%08x is not aligned to a %u-byte program unit", addr, a->unit);
		return -1;
	}
	if (len == 0 || len > a->bytes - p->offset) {
		scenario_error(sc, e, err, errlen, "length 0x%x does not fit in %s", len,
			       otp ? "OTP" : p->area == AREA_BANK1 ? "flash bank 1" : "flash bank 2");
		return -1;
	}
	return 0;
}

/* PATTERN: one byte repeated, or random:SEED (reproducible). */
static int fill_bytes(const scenario *sc, const scenario_entry *e, const char *pattern, uint8_t *buf, uint32_t len,
		      char *err, size_t errlen)
{
	uint32_t v;

	if (strncmp(pattern, "random:", 7) == 0) {
		if (!parse_token(pattern + 7, &v)) {
			scenario_error(sc, e, err, errlen, "bad random seed '%s'", pattern + 7);
			return -1;
		}
		flash_scenario_random_bytes(v, buf, len);
		return 0;
	}
	if (!parse_token(pattern, &v) || v > 0xffu) {
		scenario_error(sc, e, err, errlen, "pattern '%s' is not a byte (0..0xFF), random:SEED or erased", pattern);
		return -1;
	}
	memset(buf, (int)v, len);
	return 0;
}

/* flash.fill / otp.fill = ADDR LEN PATTERN */
static int apply_fill(flash_h5 *f, scenario *sc, scenario_entry *e, bool otp, char *err, size_t errlen)
{
	char copy[SCENARIO_VALUE_MAX], *save = NULL, *a, *l, *p;
	uint32_t addr, len;
	fh5_place place;
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
	if (place_range(f, sc, e, otp, addr, len, &place, err, errlen) != 0)
		return -1;
	if (strcmp(p, "erased") == 0) {
		if (otp || len % FH5_QW_BYTES) {
			scenario_error(sc, e, err, errlen, otp ? "OTP cannot be erased"
				       : "an erased range must be whole 16-byte quad-words");
			return -1;
		}
		fa5_erase_units(&f->array[place.area], place.offset / FH5_QW_BYTES, len / FH5_QW_BYTES);
		return 0;
	}
	buf = malloc(len);
	if (!buf) {
		scenario_error(sc, e, err, errlen, "out of memory for %u bytes", len);
		return -1;
	}
	rc = fill_bytes(sc, e, p, buf, len, err, errlen);
	if (rc == 0)
		fa5_preload(&f->array[place.area], place.offset, buf, len);
	free(buf);
	return rc;
}

static uint8_t *read_file(const scenario *sc, scenario_entry *e, const char *name, long *size, char *err,
			  size_t errlen)
{
	char path[600];
	uint8_t *buf = NULL;
	FILE *in;

	if (name[0] == '/' || sc->dir[0] == '\0')
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s", sc->dir, name);
	in = fopen(path, "rb");
	if (!in) {
		scenario_error(sc, e, err, errlen, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(in, 0, SEEK_END) != 0 || (*size = ftell(in)) <= 0 || fseek(in, 0, SEEK_SET) != 0 ||
	    *size > 0x01000000L) {
		scenario_error(sc, e, err, errlen, "%s is empty, too large or cannot be sized", path);
	} else if (!(buf = malloc((size_t)*size)) || fread(buf, 1, (size_t)*size, in) != (size_t)*size) {
		scenario_error(sc, e, err, errlen, "cannot read %s", path);
		free(buf);
		buf = NULL;
	}
	fclose(in);
	return buf;
}

/* flash.load = ADDR FILE */
static int apply_load(flash_h5 *f, scenario *sc, scenario_entry *e, char *err, size_t errlen)
{
	char copy[SCENARIO_VALUE_MAX], *save = NULL, *a, *name;
	uint32_t addr;
	fh5_place place;
	uint8_t *buf;
	long size = 0;
	int rc;

	snprintf(copy, sizeof(copy), "%s", e->value);
	a = strtok_r(copy, " \t", &save);
	name = strtok_r(NULL, " \t", &save);
	if (!parse_token(a, &addr) || !name || strtok_r(NULL, " \t", &save)) {
		scenario_error(sc, e, err, errlen, "expected 'ADDR FILE'");
		return -1;
	}
	buf = read_file(sc, e, name, &size, err, errlen);
	if (!buf)
		return -1;
	rc = place_range(f, sc, e, false, addr, (uint32_t)size, &place, err, errlen);
	if (rc == 0)
		fa5_preload(&f->array[place.area], place.offset, buf, (uint32_t)size);
	free(buf);
	return rc;
}

/* flash.ecc_error = ADDR: the unit holding ADDR, in user flash, OBK or OTP. */
static int apply_ecc_error(flash_h5 *f, scenario *sc, scenario_entry *e, char *err, size_t errlen)
{
	uint32_t addr;
	fh5_place place;

	if (!parse_token(e->value, &addr)) {
		scenario_error(sc, e, err, errlen, "expected an address");
		return -1;
	}
	if (!place_any(f, addr, &place)) {
		scenario_error(sc, e, err, errlen, "0x%08x is not in this part's user flash, OBK or OTP", addr);
		return -1;
	}
	fa5_mark_corrupt(&f->array[place.area], place.offset / f->array[place.area].unit);
	return 0;
}

int fh5_apply_contents(flash_h5 *f, scenario *sc, char *err, size_t errlen)
{
	for (size_t i = 0; i < sc->count; i++) {
		scenario_entry *e = &sc->entries[i];
		int rc;

		if (strcmp(e->key, "flash.fill") == 0)
			rc = apply_fill(f, sc, e, false, err, errlen);
		else if (strcmp(e->key, "otp.fill") == 0)
			rc = apply_fill(f, sc, e, true, err, errlen);
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
