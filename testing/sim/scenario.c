/*
 * Scenario files: `key = value` lines (see scenario.h).
 *
 * Parsing is strict on purpose: a scenario describes a damaged chip, and a
 * line the parser silently misread would give the test a healthier chip than
 * intended.  Every rejection names the file and line.
 */
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Larger files are certainly not hand-written scenarios. */
#define SCENARIO_FILE_MAX (1024 * 1024)

static void set_error(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void set_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static void set_names(scenario *sc, const char *name)
{
	const char *slash;
	size_t dirlen;

	snprintf(sc->path, sizeof(sc->path), "%s", name ? name : "<string>");
	slash = name ? strrchr(name, '/') : NULL;
	if (!slash) {
		snprintf(sc->dir, sizeof(sc->dir), ".");
		return;
	}
	dirlen = (size_t)(slash - name);
	if (dirlen == 0)
		dirlen = 1; /* "/file" lives in "/" */
	if (dirlen >= sizeof(sc->dir))
		dirlen = sizeof(sc->dir) - 1;
	memcpy(sc->dir, name, dirlen);
	sc->dir[dirlen] = '\0';
}

/* Trim [*b, *e) in place of pointers. */
static void trim(const char **b, const char **e)
{
	while (*b < *e && isspace((unsigned char)**b))
		(*b)++;
	while (*e > *b && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

static bool key_char_ok(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-';
}

/* One logical line [b, e) (comment already removed), number `line`. */
static int parse_line(scenario *sc, const char *b, const char *e, int line, char *err, size_t errlen)
{
	trim(&b, &e);
	if (b == e)
		return 0;

	const char *eq = memchr(b, '=', (size_t)(e - b));

	if (!eq) {
		set_error(err, errlen, "%s:%d: expected 'key = value'", sc->path, line);
		return -1;
	}
	const char *kb = b, *ke = eq, *vb = eq + 1, *ve = e;

	trim(&kb, &ke);
	trim(&vb, &ve);
	if (kb == ke) {
		set_error(err, errlen, "%s:%d: empty key before '='", sc->path, line);
		return -1;
	}
	if ((size_t)(ke - kb) >= SCENARIO_KEY_MAX) {
		set_error(err, errlen, "%s:%d: key too long (at most %d characters)", sc->path, line,
			  SCENARIO_KEY_MAX - 1);
		return -1;
	}
	for (const char *p = kb; p < ke; p++) {
		if (!key_char_ok(*p)) {
			set_error(err, errlen, "%s:%d: invalid character '%c' in key '%.*s'", sc->path, line,
				  isprint((unsigned char)*p) ? *p : '?', (int)(ke - kb), kb);
			return -1;
		}
	}
	if ((size_t)(ve - vb) >= SCENARIO_VALUE_MAX) {
		set_error(err, errlen, "%s:%d: value of '%.*s' too long (at most %d characters)", sc->path, line,
			  (int)(ke - kb), kb, SCENARIO_VALUE_MAX - 1);
		return -1;
	}
	if (sc->count >= SCENARIO_MAX_ENTRIES) {
		set_error(err, errlen, "%s:%d: too many entries (at most %d)", sc->path, line, SCENARIO_MAX_ENTRIES);
		return -1;
	}
	scenario_entry *en = &sc->entries[sc->count++];

	memset(en, 0, sizeof(*en));
	memcpy(en->key, kb, (size_t)(ke - kb));
	memcpy(en->value, vb, (size_t)(ve - vb));
	en->line = line;
	return 0;
}

int scenario_parse(scenario *sc, const char *text, const char *name, char *err, size_t errlen)
{
	memset(sc, 0, sizeof(*sc));
	set_names(sc, name);
	if (!text) {
		set_error(err, errlen, "%s: no text", sc->path);
		return -1;
	}
	int line = 1;

	for (const char *p = text; *p; line++) {
		const char *nl = strchr(p, '\n');
		const char *end = nl ? nl : p + strlen(p);
		const char *hash = memchr(p, '#', (size_t)(end - p));

		if (parse_line(sc, p, hash ? hash : end, line, err, errlen) != 0)
			return -1;
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

int scenario_load(scenario *sc, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");

	if (!f) {
		set_error(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	char *text = malloc(SCENARIO_FILE_MAX + 1);

	if (!text) {
		fclose(f);
		set_error(err, errlen, "%s: out of memory", path);
		return -1;
	}
	size_t n = fread(text, 1, SCENARIO_FILE_MAX + 1, f);
	int read_error = ferror(f);
	int rc = -1;

	fclose(f);
	if (read_error)
		set_error(err, errlen, "%s: read error", path);
	else if (n > SCENARIO_FILE_MAX)
		set_error(err, errlen, "%s: larger than %d bytes, not a scenario", path, SCENARIO_FILE_MAX);
	else if (memchr(text, '\0', n))
		set_error(err, errlen, "%s: contains a NUL byte, not a text file", path);
	else {
		text[n] = '\0';
		rc = scenario_parse(sc, text, path, err, errlen);
	}
	free(text);
	return rc;
}

static scenario_entry *find_from(scenario *sc, const char *key, size_t start, bool prefix)
{
	size_t klen = strlen(key);

	for (size_t i = start; i < sc->count; i++) {
		scenario_entry *e = &sc->entries[i];
		bool match = prefix ? strncmp(e->key, key, klen) == 0 : strcmp(e->key, key) == 0;

		if (match) {
			e->used = true;
			return e;
		}
	}
	return NULL;
}

/* Index just after `prev`, 0 when prev is NULL or not one of ours. */
static size_t index_after(const scenario *sc, const scenario_entry *prev)
{
	if (!prev || prev < sc->entries || prev >= sc->entries + sc->count)
		return 0;
	return (size_t)(prev - sc->entries) + 1u;
}

scenario_entry *scenario_find(scenario *sc, const char *key)
{
	return find_from(sc, key, 0, false);
}

scenario_entry *scenario_next(scenario *sc, const char *key, scenario_entry *prev)
{
	return find_from(sc, key, index_after(sc, prev), false);
}

scenario_entry *scenario_next_prefix(scenario *sc, const char *prefix, scenario_entry *prev)
{
	return find_from(sc, prefix, index_after(sc, prev), true);
}

const scenario_entry *scenario_first_unused(const scenario *sc)
{
	for (size_t i = 0; i < sc->count; i++)
		if (!sc->entries[i].used)
			return &sc->entries[i];
	return NULL;
}

void scenario_error(const scenario *sc, const scenario_entry *e, char *err, size_t errlen, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	set_error(err, errlen, "%s:%d: %s: %s", sc->path, e->line, e->key, msg);
}

/* ---------------------------------------------------------- numbers -- */

/*
 * Unsigned integer in [*p, ...): 0x/0X hex or decimal.  A leading 0 followed
 * by digits would be octal in C; that is a classic trap in hand-written files,
 * so it is refused.  Returns 0 and advances *p, or -1 with a reason.
 */
static int parse_uint(const char **p, uint64_t *out, const char **why)
{
	const char *s = *p;
	unsigned base = 10;
	uint64_t v = 0;
	int digits = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && isdigit((unsigned char)s[1])) {
		*why = "has a leading zero (octal is not accepted; write 0x... or plain decimal)";
		return -1;
	}
	for (;; s++, digits++) {
		unsigned d;

		if (isdigit((unsigned char)*s))
			d = (unsigned)(*s - '0');
		else if (base == 16 && isxdigit((unsigned char)*s))
			d = (unsigned)(tolower((unsigned char)*s) - 'a' + 10);
		else
			break;
		if (v > (UINT64_MAX - d) / base) {
			*why = "is too large";
			return -1;
		}
		v = v * base + d;
	}
	if (digits == 0) {
		*why = "is not a number";
		return -1;
	}
	*p = s;
	*out = v;
	return 0;
}

int scenario_u32(const scenario *sc, const scenario_entry *e, uint32_t *out, char *err, size_t errlen)
{
	const char *p = e->value;
	const char *why = NULL;
	uint64_t v;

	if (parse_uint(&p, &v, &why) != 0) {
		scenario_error(sc, e, err, errlen, "'%s' %s", e->value, why);
		return -1;
	}
	uint64_t mult = 1;

	if (*p == 'K')
		mult = 1024u;
	else if (*p == 'M')
		mult = 1024u * 1024u;
	if (mult != 1)
		p++;
	if (*p != '\0') {
		scenario_error(sc, e, err, errlen, "'%s' is not a number (trailing '%s'; sizes take K or M)",
			       e->value, p);
		return -1;
	}
	if (v > UINT32_MAX / mult) {
		scenario_error(sc, e, err, errlen, "'%s' does not fit in 32 bits", e->value);
		return -1;
	}
	*out = (uint32_t)(v * mult);
	return 0;
}

/* Microseconds per unit for a duration suffix, 0 if unknown. */
static uint64_t duration_unit(const char *suffix)
{
	if (*suffix == '\0' || strcmp(suffix, "us") == 0)
		return 1u;
	if (strcmp(suffix, "ms") == 0)
		return 1000u;
	if (strcmp(suffix, "s") == 0)
		return 1000000u;
	return 0;
}

int scenario_duration_us(const scenario *sc, const scenario_entry *e, uint64_t *out, char *err, size_t errlen)
{
	const char *p = e->value;
	const char *why = NULL;
	uint64_t whole, frac = 0, frac_scale = 1;

	if (parse_uint(&p, &whole, &why) != 0) {
		scenario_error(sc, e, err, errlen, "'%s' %s", e->value, why);
		return -1;
	}
	if (*p == '.') {
		/* Decimal fraction, e.g. "1.1s"; at most 6 digits (1 us resolution at "s"). */
		for (p++; isdigit((unsigned char)*p); p++) {
			if (frac_scale >= 1000000u) {
				scenario_error(sc, e, err, errlen, "'%s' has more than 6 decimals", e->value);
				return -1;
			}
			frac = frac * 10u + (uint64_t)(*p - '0');
			frac_scale *= 10u;
		}
	}
	uint64_t unit = duration_unit(p);

	if (unit == 0) {
		scenario_error(sc, e, err, errlen, "'%s': unknown unit '%s' (use us, ms or s)", e->value, p);
		return -1;
	}
	if ((frac * unit) % frac_scale != 0) {
		scenario_error(sc, e, err, errlen, "'%s' is finer than 1 us", e->value);
		return -1;
	}
	if (whole > (UINT64_MAX / 2u) / unit) {
		scenario_error(sc, e, err, errlen, "'%s' is too large", e->value);
		return -1;
	}
	*out = whole * unit + frac * unit / frac_scale;
	return 0;
}

int scenario_bool(const scenario *sc, const scenario_entry *e, bool *out, char *err, size_t errlen)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(e->value, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(e->value, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	scenario_error(sc, e, err, errlen, "'%s' is not a boolean (use true/false, yes/no, on/off or 1/0)",
		       e->value);
	return -1;
}
