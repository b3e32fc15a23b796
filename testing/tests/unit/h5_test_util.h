/*
 * What test_stm32h5x.c and test_stm32h5x_ps.c share: a fixture with the fake H5 (fake_h5_bus.h)
 * behind the module's bridge, a runner for the `h5` command table (ub_h5_commands, called with the
 * argument-count rules of the module's dispatcher), dict access, trace searches and small files.
 */
#ifndef STM32UNBRICK_H5_TEST_UTIL_H
#define STM32UNBRICK_H5_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "../../../src/cmd.h"
#include "../../../src/flash/nor/stm32h5x.h"
#include "fake_h5_bus.h"

extern const ub_cmd_table ub_h5_commands;
int Jim_stm32unbrickInit(Jim_Interp *interp);

typedef struct fixture {
	fh5_world w;
	Jim_Interp *interp;
	ocd_bridge *b;
	char tmp[64];           /* a scratch file, removed at teardown */
} fixture;

static inline fixture *fx_new(uint16_t dev_id, unsigned flash_kib, uint8_t ps, uint8_t tzen)
{
	fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fh5_init(&fx->w.m, dev_id, flash_kib, ps, tzen);
	fx->interp = fh5_openocd_new(&fx->w);
	assert_int_equal(Jim_stm32unbrickInit(fx->interp), JIM_OK);
	fx->b = Jim_GetAssocData(fx->interp, "stm32unbrick");
	assert_non_null(fx->b);
	fake_eval(fx->interp, "stm32unbrick bridge -dap x.dap -memap {0 x.ap0 1 x.ap1}");
	return fx;
}

static inline int fx_free(void **state)
{
	fixture *fx = *state;

	if (fx->tmp[0])
		unlink(fx->tmp);
	Jim_FreeInterp(fx->interp);
	fh5_free(&fx->w.m);
	free(fx);
	return 0;
}

static inline void assert_error_mentions(const char *needle)
{
	if (!strstr(ub_last_error(), needle))
		fail_msg("error '%s' does not mention '%s'", ub_last_error(), needle);
}

/* Run `stm32unbrick h5 WORDS...` through the table (WORDS get Tcl substitution, e.g. [set ::f]);
 * JIM_OK or JIM_ERR with the result in ::r, or -1 for a wrong argument count. */
static inline int h5_run(fixture *fx, const char *words)
{
	char script[512];
	Jim_Obj *list, *argv[40];
	int n, rc;

	snprintf(script, sizeof(script), "list %s", words);
	list = fake_eval(fx->interp, script);
	Jim_IncrRefCount(list);
	n = Jim_ListLength(fx->interp, list);
	assert_true(n >= 1 && n <= 40);
	for (int i = 0; i < n; i++)
		argv[i] = Jim_ListGetIndex(fx->interp, list, i);
	const ub_subcmd *sc = NULL;
	for (size_t i = 0; i < ub_h5_commands.count; i++)
		if (!strcmp(ub_h5_commands.cmds[i].name, Jim_String(argv[0])))
			sc = &ub_h5_commands.cmds[i];
	if (!sc)
		fail_msg("no h5 subcommand '%s'", Jim_String(argv[0]));
	assert_string_equal(sc->group, "h5");
	if (n - 1 < sc->min_args || n - 1 > sc->max_args) {
		Jim_DecrRefCount(fx->interp, list);
		return -1; /* the dispatcher's usage error */
	}
	ub_clear_error();
	rc = sc->fn(fx->interp, fx->b, n - 1, argv + 1);
	Jim_SetVariableStr(fx->interp, "::r", Jim_GetResult(fx->interp));
	Jim_DecrRefCount(fx->interp, list);
	return rc;
}

static inline void h5_ok(fixture *fx, const char *words)
{
	if (h5_run(fx, words) != JIM_OK)
		fail_msg("h5 %s failed: %s", words, Jim_String(fake_eval(fx->interp, "set ::r")));
}

/* The command failed, before or after reaching the chip, with a message mentioning `needle`. */
static inline void h5_err(fixture *fx, const char *words, const char *needle)
{
	if (h5_run(fx, words) != JIM_ERR)
		fail_msg("h5 %s did not fail", words);
	if (!strstr(Jim_String(fake_eval(fx->interp, "set ::r")), needle))
		fail_msg("h5 %s: error '%s' does not mention '%s'", words, Jim_String(fake_eval(fx->interp, "set ::r")),
			 needle);
}

static const char *r_get(fixture *fx, const char *key)
{
	Jim_SetVariableStrWithStr(fx->interp, "::k", key);
	return Jim_String(fake_eval(fx->interp, "dict get $::r $::k"));
}

static inline long r_long(fixture *fx, const char *key)
{
	return strtol(r_get(fx, key), NULL, 0);
}

/* Index of the first traced AP1 access (from `from`) of kind `op` at `addr`, or -1. */
static inline long ev_find(const fh5 *m, size_t from, char op, uint32_t addr)
{
	for (size_t i = from; i < m->nev; i++)
		if (m->ev[i].op == op && m->ev[i].addr == addr)
			return (long)i;
	return -1;
}

static inline long ev_find_value(const fh5 *m, size_t from, char op, uint32_t addr, uint32_t value)
{
	for (long i = ev_find(m, from, op, addr); i >= 0; i = ev_find(m, (size_t)i + 1, op, addr))
		if (m->ev[i].value == value)
			return i;
	return -1;
}

static inline unsigned ev_count(const fh5 *m, char op, uint32_t lo, uint32_t hi)
{
	unsigned n = 0;
	for (size_t i = 0; i < m->nev; i++)
		n += m->ev[i].op == op && m->ev[i].addr >= lo && m->ev[i].addr < hi;
	return n;
}

/* Write `len` bytes to the fixture's scratch file (named with `suffix`); returns its path. */
static const char *fx_file(fixture *fx, const char *suffix, const void *data, size_t len)
{
	if (fx->tmp[0])
		unlink(fx->tmp);
	snprintf(fx->tmp, sizeof(fx->tmp), "/tmp/test_h5_XXXXXX%s", suffix);
	int fd = mkstemps(fx->tmp, (int)strlen(suffix));
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return fx->tmp;
}

static inline void sha256(const void *data, size_t len, uint8_t out[32])
{
	unsigned n = 0;
	assert_int_equal(EVP_Digest(data, len, out, &n, EVP_sha256(), NULL), 1);
}

/* A provisioned credential record (docs section 7) in the fake's OBK. */
static inline void fx_put_record(fixture *fx, uint32_t kind, uint32_t permissions, const uint8_t hash[32])
{
	uint32_t w[12] = { kind, permissions };
	memcpy(w + 2, hash, 32); /* little-endian host: byte 0 in bits 7:0 */
	w[10] = ~kind;
	w[11] = 0;
	memcpy(fx->w.m.obk + 0x100, w, sizeof(w));
}

#endif
