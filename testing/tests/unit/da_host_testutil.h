/*
 * Shared by the tests of the host side of STM32H5 debug authentication (test_da_host.c,
 * test_da_auth.c, test_da_sim_agree.c): fixture paths, what module.c gives command tables, a
 * dispatcher for `da ...` over ub_da_commands, and checks that no secret leaked.
 * Include once per test program: it defines the cmd.h helpers, unless DA_TESTUTIL_NO_COMMANDS is
 * defined first (tests without Jim and without the command table).
 */
#ifndef STM32UNBRICK_DA_HOST_TESTUTIL_H
#define STM32UNBRICK_DA_HOST_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "errors.h"

#ifndef DA_FIXTURE_DIR
#define DA_FIXTURE_DIR "testing/fixtures/da"
#endif
#define FIX(name) DA_FIXTURE_DIR "/" name

#define PASSWORD "unbrick-me-2026"

#ifndef DA_TESTUTIL_NO_COMMANDS
#include <jim.h>

#include "cmd.h"

/* module.c registers it; declared here for the tests' own dispatcher. */
extern const ub_cmd_table ub_da_commands;

/* ---- what module.c provides to command tables (kept here so these tests do not depend on
 * which other tables module.c lists) --------------------------------------------------------- */
int ub_tcl_status(Jim_Interp *interp, ub_err err)
{
	if (err == UB_OK)
		return JIM_OK;
	Jim_SetResultString(interp, ub_last_error(), -1);
	return JIM_ERR;
}

ub_err ub_arg_u32(Jim_Interp *interp, Jim_Obj *obj, const char *cmd, const char *what, uint32_t *out)
{
	jim_wide w;

	if (Jim_GetWide(interp, obj, &w) != JIM_OK || w < 0 || w > (jim_wide)UINT32_MAX)
		return ub_fail(UB_ERR_ARG, "%s: %s '%s' is not a number", cmd, what, Jim_String(obj));
	*out = (uint32_t)w;
	return UB_OK;
}

ub_err ub_arg_string(Jim_Obj *obj, const char *cmd, const char *what, const char **out)
{
	int len = 0;
	const char *s = Jim_GetString(obj, &len);

	if (len == 0 || strlen(s) != (size_t)len)
		return ub_fail(UB_ERR_ARG, "%s: bad %s", cmd, what);
	*out = s;
	return UB_OK;
}

Jim_Obj *ub_hex_obj(Jim_Interp *interp, uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "0x%08x", (unsigned)v);
	return Jim_NewStringObj(interp, buf, -1);
}

void ub_dict_add(Jim_Interp *interp, Jim_Obj *dict, const char *key, Jim_Obj *value)
{
	Jim_ListAppendElement(interp, dict, Jim_NewStringObj(interp, key, -1));
	Jim_ListAppendElement(interp, dict, value);
}

/* `da SUB ARGS...` through the table exactly as module.c dispatches it; privdata is the bridge. */
static inline int da_dispatch(Jim_Interp *interp, int argc, Jim_Obj *const *argv)
{
	ocd_bridge *b = Jim_CmdPrivData(interp);

	for (size_t i = 0; argc >= 2 && i < ub_da_commands.count; i++) {
		const ub_subcmd *sc = &ub_da_commands.cmds[i];
		int n = argc - 2;

		if (strcmp(sc->group, "da") || strcmp(sc->name, Jim_String(argv[1])))
			continue;
		if (n < sc->min_args || n > sc->max_args) {
			Jim_SetResultString(interp, "wrong # args", -1);
			return JIM_ERR;
		}
		ub_clear_error();
		return sc->fn(interp, b, n, argv + 2);
	}
	Jim_SetResultString(interp, "no such da subcommand", -1);
	return JIM_ERR;
}

static inline int da_run(Jim_Interp *interp, const char *script, const char **result)
{
	int rc = Jim_Eval(interp, script);

	*result = Jim_String(Jim_GetResult(interp));
	return rc;
}
#endif

/* SHA-256 of root.cert.pem's DER SubjectPublicKeyInfo, computed here, not by the code under test. */
static inline void root_hash_from_fixture(uint8_t out[32])
{
	FILE *f = fopen(FIX("root.cert.pem"), "r");
	X509 *x;
	unsigned char *spki = NULL;
	int len;

	assert_non_null(f);
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(x);
	len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &spki);
	assert_true(len > 0);
	assert_int_equal(EVP_Digest(spki, (size_t)len, out, NULL, EVP_sha256(), NULL), 1);
	OPENSSL_free(spki);
	X509_free(x);
}

static inline void assert_contains(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("'%s' does not contain '%s'", text, needle);
}

static inline void assert_no_secret(const char *text)
{
	/* The text, and the little-endian mailbox words "unbr", "ick-", "me-2" in the bridge's hex. */
	static const char *const pieces[] = { PASSWORD, "ick-me", "72626e75", "2d6b6369", "322d656d" };

	for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++)
		if (strstr(text, pieces[i]))
			fail_msg("secret piece '%s' leaked into '%s'", pieces[i], text);
}

#ifndef DA_TESTUTIL_NO_COMMANDS
/* Neither in a result, nor in the last error, nor in anything logged through `echo`. */
static inline void assert_no_secret_anywhere(Jim_Interp *interp, const char *result)
{
	assert_no_secret(result);
	assert_no_secret(ub_last_error());
	if (Jim_Eval(interp, "join $::echoed \\n") != JIM_OK)
		fail_msg("no ::echoed log");
	assert_no_secret(Jim_String(Jim_GetResult(interp)));
}
#endif

static inline void tmp_file(char *path, size_t cap, const void *data, size_t len)
{
	int fd;

	snprintf(path, cap, "/tmp/test_da_host_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

#endif
