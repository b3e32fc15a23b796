/*
 * Scenario files: `key = value` lines, `#` starts a comment, blank lines are
 * ignored, surrounding white space is trimmed.  Keys may repeat (for example
 * several `flash.fill` lines); lookups return the first, iteration returns all.
 * Every key must be consumed by some block: after building the chip, main
 * rejects the scenario if any entry is left unused (a typo must not silently
 * give a healthy chip).  Documented in testing/scenarios/README.md.
 */
#ifndef STM32SIM_SCENARIO_H
#define STM32SIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCENARIO_MAX_ENTRIES 256
#define SCENARIO_KEY_MAX 64
#define SCENARIO_VALUE_MAX 512

typedef struct scenario_entry {
	char key[SCENARIO_KEY_MAX];
	char value[SCENARIO_VALUE_MAX];
	int line;
	bool used;
} scenario_entry;

typedef struct scenario {
	char path[256];       /* for messages; "<string>" when parsed from memory */
	char dir[256];        /* directory of the file, for relative paths inside values */
	scenario_entry entries[SCENARIO_MAX_ENTRIES];
	size_t count;
} scenario;

/* 0 on success; on error -1 and a message "path:line: what" in err. */
int scenario_load(scenario *sc, const char *path, char *err, size_t errlen);
int scenario_parse(scenario *sc, const char *text, const char *name, char *err, size_t errlen);

/* First entry with this key (marked used), or NULL. */
scenario_entry *scenario_find(scenario *sc, const char *key);
/* Next entry with this key after `prev` (NULL: first); marks it used. */
scenario_entry *scenario_next(scenario *sc, const char *key, scenario_entry *prev);
/* Entries whose key starts with `prefix`, in file order (prev NULL: first); marks used. */
scenario_entry *scenario_next_prefix(scenario *sc, const char *prefix, scenario_entry *prev);
const scenario_entry *scenario_first_unused(const scenario *sc);

/*
 * Value parsers: numbers in C syntax (0x.., decimal), with an optional
 * suffix for durations ("us", "ms", "s") and sizes ("K", "M" for KiB, MiB).
 * On error they return -1 and write "path:line: key: what" into err.
 */
int scenario_u32(const scenario *sc, const scenario_entry *e, uint32_t *out, char *err, size_t errlen);
int scenario_duration_us(const scenario *sc, const scenario_entry *e, uint64_t *out, char *err, size_t errlen);
int scenario_bool(const scenario *sc, const scenario_entry *e, bool *out, char *err, size_t errlen);
/* Report "path:line: key: msg" for an entry with a bad value. */
void scenario_error(const scenario *sc, const scenario_entry *e, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif
