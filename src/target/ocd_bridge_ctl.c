/*
 * The OpenOCD bridge's control commands (see ocd_bridge.h): the MEM-AP's CSW
 * and `memaccess` setting, the reset line, re-examination after a reconnect,
 * background polling, sleep and log lines.  Command evaluation and answer
 * parsing are in ocd_bridge.c.
 */
#include "ocd_bridge_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* CSW Size [2:0] and AddrInc [5:4]: OpenOCD sets them per transfer and `apcsw` refuses them (0.12). */
#define OCD_CSW_OPENOCD_OWNED 0x37u

/* Run a DAP subcommand that answers nothing (`apsel N`, `apcsw V M` in OpenOCD 0.12). */
static ub_err dap_quiet_command(ocd_bridge *b, const char *ctx, int objc, Jim_Obj *const *objv)
{
	int rc = ocdb_eval(b, objc, objv);

	if (rc != JIM_OK)
		return ocdb_fail_command(b, UB_ERR_AP, rc, ctx);
	return ocdb_expect_no_output(b, ctx);
}

/* "AP#0x<n> selected, csw 0x<8 hex digits>" (OpenOCD 0.12 `apcsw` without arguments). */
static ub_err parse_csw_answer(ocd_bridge *b, const char *ctx, unsigned ap, uint32_t *value)
{
	const char *text = Jim_String(Jim_GetResult(b->interp));
	const char *csw = strstr(text, "selected, csw ");
	char prefix[32];
	size_t end;

	snprintf(prefix, sizeof(prefix), "AP#0x%x selected", ap);
	if (strncmp(text, prefix, strlen(prefix)) != 0 || !csw)
		return ocdb_fail_parse(ctx, "'AP#0x.. selected, csw 0x........'", text);
	csw += strlen("selected, csw ");
	end = strlen(csw);
	while (end > 0 && (csw[end - 1] == '\n' || csw[end - 1] == ' '))
		end--;
	if (!ocdb_parse_u32_token(csw, end, value))
		return ocdb_fail_parse(ctx, "'AP#0x.. selected, csw 0x........'", text);
	return UB_OK;
}

/* `<dap> apsel N`: the AP whose CSW the next `apcsw` reads or changes. */
static ub_err select_ap(ocd_bridge *b, const char *ctx, ub_ap ap)
{
	Jim_Obj *objv[3];

	if (!b->dap[0])
		return ub_fail(UB_ERR_NOT_CONFIGURED, "%s: no DAP configured (stm32unbrick bridge -dap NAME)", ctx);
	objv[0] = ocdb_word(b, b->dap);
	objv[1] = ocdb_word(b, "apsel");
	objv[2] = Jim_NewIntObj(b->interp, ap.num);
	return dap_quiet_command(b, ctx, 3, objv);
}

ub_err ocd_ap_csw_read(ocd_bridge *b, ub_ap ap, uint32_t *value)
{
	char ctx[OCD_CTX_MAX];
	Jim_Obj *objv[2];
	ub_err err = ocdb_check_bridge(b, "ap csw read");
	int rc;

	if (err)
		return err;
	snprintf(ctx, sizeof(ctx), "ap csw read AP%u (DAP %s)", ap.num, b->dap[0] ? b->dap : "<none>");
	if (ap.num > OCD_APSEL_MAX || !value)
		return ub_fail(UB_ERR_ARG, "%s: AP out of range (APSEL is 0..255) or NULL result", ctx);
	err = select_ap(b, ctx, ap);
	if (err)
		return err;
	objv[0] = ocdb_word(b, b->dap);
	objv[1] = ocdb_word(b, "apcsw");
	rc = ocdb_eval(b, 2, objv);
	if (rc != JIM_OK)
		return ocdb_fail_command(b, UB_ERR_AP, rc, ctx);
	return parse_csw_answer(b, ctx, ap.num, value);
}

ub_err ocd_ap_csw(ocd_bridge *b, ub_ap ap, uint32_t value, uint32_t mask)
{
	char ctx[OCD_CTX_MAX];
	Jim_Obj *objv[4];
	ub_err err = ocdb_check_bridge(b, "ap csw");

	if (err)
		return err;
	snprintf(ctx, sizeof(ctx), "ap csw AP%u value 0x%08x mask 0x%08x (DAP %s)", ap.num, (unsigned)value,
		 (unsigned)mask, b->dap[0] ? b->dap : "<none>");
	if (ap.num > OCD_APSEL_MAX)
		return ub_fail(UB_ERR_ARG, "%s: AP out of range (APSEL is 0..255)", ctx);
	if (mask == 0 || (mask & OCD_CSW_OPENOCD_OWNED))
		return ub_fail(UB_ERR_ARG, "%s: the mask must be non-zero and leave Size and AddrInc (0x%02x) to "
			       "OpenOCD", ctx, OCD_CSW_OPENOCD_OWNED);
	if (value & ~mask)
		return ub_fail(UB_ERR_ARG, "%s: value has bits outside the mask", ctx);
	err = select_ap(b, ctx, ap);
	if (err)
		return err;
	objv[0] = ocdb_word(b, b->dap);
	objv[1] = ocdb_word(b, "apcsw");
	objv[2] = ocdb_hex_word(b, value);
	objv[3] = ocdb_hex_word(b, mask);
	return dap_quiet_command(b, ctx, 4, objv);
}

/* "memory bus access delay set to N tck" (OpenOCD 0.12 `<dap> memaccess`, with or without a value). */
static ub_err parse_memaccess_answer(ocd_bridge *b, const char *ctx, unsigned *tck)
{
	const char *text = Jim_String(Jim_GetResult(b->interp));
	const char *prefix = "memory bus access delay set to ";
	const char *num = strstr(text, prefix);
	const char *end;
	uint32_t v;

	if (!num)
		return ocdb_fail_parse(ctx, "'memory bus access delay set to N tck'", text);
	num += strlen(prefix);
	end = strchr(num, ' ');
	if (!end || strncmp(end, " tck", 4) != 0 || !ocdb_parse_u32_token(num, (size_t)(end - num), &v))
		return ocdb_fail_parse(ctx, "'memory bus access delay set to N tck'", text);
	*tck = v;
	return UB_OK;
}

#define OCD_MEMACCESS_MAX 255u

ub_err ocd_memaccess(ocd_bridge *b, unsigned tck, unsigned *previous)
{
	char ctx[OCD_CTX_MAX];
	Jim_Obj *objv[3];
	unsigned was, now;
	ub_err err = ocdb_check_bridge(b, "memaccess");
	int rc;

	if (err)
		return err;
	snprintf(ctx, sizeof(ctx), "memaccess %u (DAP %s)", tck, b->dap[0] ? b->dap : "<none>");
	if (tck > OCD_MEMACCESS_MAX)
		return ub_fail(UB_ERR_ARG, "%s: at most %u TCK", ctx, OCD_MEMACCESS_MAX);
	if (!b->dap[0])
		return ub_fail(UB_ERR_NOT_CONFIGURED, "%s: no DAP configured (stm32unbrick bridge -dap NAME)", ctx);
	objv[0] = ocdb_word(b, b->dap);
	objv[1] = ocdb_word(b, "memaccess");
	rc = ocdb_eval(b, 2, objv);
	if (rc != JIM_OK)
		return ocdb_fail_command(b, UB_ERR_UNSUPPORTED, rc, ctx);
	err = parse_memaccess_answer(b, ctx, &was);
	if (err)
		return err;
	if (previous)
		*previous = was;
	if (was == tck)
		return UB_OK;
	/* Jim_EvalObjVector() freed the words of the first call: new ones. */
	objv[0] = ocdb_word(b, b->dap);
	objv[1] = ocdb_word(b, "memaccess");
	objv[2] = Jim_NewIntObj(b->interp, tck);
	rc = ocdb_eval(b, 3, objv);
	if (rc != JIM_OK)
		return ocdb_fail_command(b, UB_ERR_UNSUPPORTED, rc, ctx);
	err = parse_memaccess_answer(b, ctx, &now);
	if (!err && now != tck)
		err = ub_fail(UB_ERR_UNSUPPORTED, "%s: OpenOCD kept %u TCK", ctx, now);
	return err;
}

ub_err ocd_srst(ocd_bridge *b, bool assert)
{
	const char *ctx = assert ? "srst assert" : "srst deassert";
	ub_err err = ocdb_check_bridge(b, ctx);
	Jim_Obj *objv[3];
	int rc;

	if (err)
		return err;
	objv[0] = ocdb_word(b, "adapter");
	objv[1] = ocdb_word(b, assert ? "assert" : "deassert");
	objv[2] = ocdb_word(b, "srst");
	rc = ocdb_eval(b, 3, objv);
	if (rc != JIM_OK)
		return ocdb_fail_command(b, UB_ERR_RESET, rc, ctx);
	return UB_OK;
}

/*
 * `adapter srst delay [MS]`, which answers "adapter srst delay: N" (OpenOCD 0.12) with or without
 * MS.  False when OpenOCD refused, answered otherwise or kept another value; no message is
 * recorded, so a caller's pending error survives the fallback in ocd_srst_release_now().
 */
static bool srst_delay(ocd_bridge *b, const unsigned *set_ms, unsigned *now_ms)
{
	const char *prefix = "adapter srst delay: ";
	Jim_Obj *objv[4];
	int objc = 3, len = 0;
	const char *text;
	uint32_t v;

	objv[0] = ocdb_word(b, "adapter");
	objv[1] = ocdb_word(b, "srst");
	objv[2] = ocdb_word(b, "delay");
	if (set_ms)
		objv[objc++] = Jim_NewIntObj(b->interp, *set_ms);
	if (ocdb_eval(b, objc, objv) != JIM_OK)
		return false;
	text = Jim_GetString(Jim_GetResult(b->interp), &len);
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	if ((size_t)len <= strlen(prefix) || strncmp(text, prefix, strlen(prefix)) != 0 ||
	    !ocdb_parse_u32_token(text + strlen(prefix), (size_t)len - strlen(prefix), &v))
		return false;
	if (now_ms)
		*now_ms = v;
	return !set_ms || v == *set_ms;
}

ub_err ocd_srst_release_now(ocd_bridge *b)
{
	const unsigned zero = 0;
	unsigned delay = 0;
	ub_err err = ocdb_check_bridge(b, "srst release");
	bool cleared;

	if (err)
		return err;
	/* When OpenOCD will not say or change its delay, NRST is released the ordinary way. */
	cleared = srst_delay(b, NULL, &delay) && (delay == 0 || srst_delay(b, &zero, NULL));
	err = ocd_srst(b, false);
	if (cleared && delay && !srst_delay(b, &delay, NULL) && !err)
		err = ub_fail(UB_ERR_RESET, "srst deassert: NRST released, but `adapter srst delay` could not be "
			      "put back to %u ms", delay);
	return err;
}

/* Run a command given as plain words; any failure is `code` with OpenOCD's message or error code. */
static ub_err run_words(ocd_bridge *b, ub_err code, const char *ctx, int objc, const char *const *words)
{
	Jim_Obj *objv[4];
	int rc;

	for (int i = 0; i < objc; i++)
		objv[i] = ocdb_word(b, words[i]);
	rc = ocdb_eval(b, objc, objv);
	if (rc != JIM_OK)
		return ocdb_fail_command(b, code, rc, ctx);
	return UB_OK;
}

ub_err ocd_examine(ocd_bridge *b, ub_ap ap)
{
	char ctx[OCD_CTX_MAX];
	ub_err err = ocdb_check_bridge(b, "examine");

	if (err)
		return err;
	if (ap.num >= UB_MAX_AP)
		return ub_fail(UB_ERR_ARG, "examine AP%u: AP out of range (AP0..AP%d)", ap.num, UB_MAX_AP - 1);
	if (!b->memap[ap.num][0])
		return ub_fail(UB_ERR_NOT_CONFIGURED, "examine AP%u: no mem_ap target for AP%u (stm32unbrick bridge "
			       "-memap)", ap.num, ap.num);
	const char *words[2] = { b->memap[ap.num], "arp_examine" };
	snprintf(ctx, sizeof(ctx), "examine AP%u (%s arp_examine)", ap.num, b->memap[ap.num]);
	return run_words(b, UB_ERR_AP, ctx, 2, words);
}

/*
 * OpenOCD 0.12 `poll on|off` only sets the flag that its timer callback checks before polling
 * targets (jtag_poll_set_enabled); `sleep` runs that callback, so without `poll off` the stock
 * cortex_m poll runs in the middle of our own waits.  It exists once `init` has run (exec mode).
 */
ub_err ocd_poll(ocd_bridge *b, bool on)
{
	const char *words[2] = { "poll", on ? "on" : "off" };
	ub_err err = ocdb_check_bridge(b, "poll");

	if (err)
		return err;
	return run_words(b, UB_ERR_UNSUPPORTED, on ? "poll on" : "poll off", 2, words);
}

/* The transport OpenOCD runs (`transport select` without arguments answers its name). */
static bool transport_is_jtag(ocd_bridge *b)
{
	const char *words[2] = { "transport", "select" };

	if (run_words(b, UB_ERR_UNSUPPORTED, "transport select", 2, words) != UB_OK)
		return true; /* cannot tell: re-scanning a chain that is not JTAG fails loudly, which is fine */
	return !strcmp(Jim_String(Jim_GetResult(b->interp)), "jtag");
}

/*
 * What OpenOCD 0.12 does for each command (its sources):
 *  - `jtag arp_init`: Test-Logic-Reset, IDCODE scan and IR-capture check of the declared TAPs; it
 *    answers OK even when the chain reads all ones, so it only resynchronises the TAP state;
 *  - `dap init`: reconnects every DAP: forgets the cached SELECT/CSW/TAR values, clears sticky
 *    errors, requests debug and system power-up; fails when the DP does not answer;
 *  - `<mem_ap> arp_examine`: examines a mem_ap target that is not examined yet (after an `init`
 *    that found a dead chain none is), and is a no-op otherwise.  Every target is tried even if one
 *    fails (an AP the caller does not need must not hide the others); the first failure is returned.
 */
ub_err ocd_reinit_dap(ocd_bridge *b)
{
	const char *arp[2] = { "jtag", "arp_init" };
	const char *dap_init[2] = { "dap", "init" };
	char ctx[OCD_CTX_MAX], first[2 * OCD_CTX_MAX] = "";
	ub_err err = ocdb_check_bridge(b, "reinit");

	if (err)
		return err;
	if (!b->dap[0])
		return ub_fail(UB_ERR_NOT_CONFIGURED, "reinit: no DAP configured (stm32unbrick bridge -dap NAME)");
	if (transport_is_jtag(b)) {
		err = run_words(b, UB_ERR_DP, "reinit: jtag arp_init", 2, arp);
		if (err)
			return err;
	}
	snprintf(ctx, sizeof(ctx), "reinit: dap init (DAP %s): the debug port did not answer", b->dap);
	err = run_words(b, UB_ERR_DP, ctx, 2, dap_init);
	if (err)
		return err;
	for (unsigned ap = 0; ap < UB_MAX_AP; ap++) {
		const char *examine[2] = { b->memap[ap], "arp_examine" };

		if (!b->memap[ap][0])
			continue;
		snprintf(ctx, sizeof(ctx), "reinit: %s arp_examine (AP%u)", b->memap[ap], ap);
		if (run_words(b, UB_ERR_AP, ctx, 2, examine) != UB_OK && !err) {
			err = UB_ERR_AP;
			snprintf(first, sizeof(first), "%s", ub_last_error());
		}
	}
	if (err)
		ub_fail(err, "%s", first); /* later failures overwrote it */
	return err;
}

ub_err ocd_sleep_ms(ocd_bridge *b, unsigned ms)
{
	ub_err err = ocdb_check_bridge(b, "sleep");
	char ctx[48];
	Jim_Obj *objv[2];
	int rc;

	if (err)
		return err;
	snprintf(ctx, sizeof(ctx), "sleep %u ms", ms);
	if (ms > OCD_SLEEP_MAX_MS)
		return ub_fail(UB_ERR_ARG, "%s: longer than the %u ms bound on a single wait", ctx, OCD_SLEEP_MAX_MS);
	objv[0] = ocdb_word(b, "sleep");
	objv[1] = Jim_NewIntObj(b->interp, ms);
	rc = ocdb_eval(b, 2, objv);
	/* No error code is closer: OpenOCD refusing to wait means this OpenOCD cannot do it. */
	if (rc != JIM_OK)
		return ocdb_fail_command(b, UB_ERR_UNSUPPORTED, rc, ctx);
	return UB_OK;
}

void ocd_log(ocd_bridge *b, const char *fmt, ...)
{
	char line[256];
	Jim_Obj *objv[2];
	va_list ap;

	if (!b || !b->interp || !fmt)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	objv[0] = ocdb_word(b, "echo");
	objv[1] = ocdb_word(b, line);
	/* Logging is best effort: a failing `echo` must not turn success into failure. */
	(void)ocdb_eval(b, 2, objv);
}

#define OCD_BULK_MEMACCESS_TCK 0u

bool ocd_bulk_begin(ocd_bridge *b, unsigned *saved)
{
	if (ocd_memaccess(b, OCD_BULK_MEMACCESS_TCK, saved) == UB_OK)
		return true;
	ub_clear_error();
	return false;
}

void ocd_bulk_end(ocd_bridge *b, bool fast, unsigned saved, ub_err *e)
{
	if (fast && ocd_memaccess(b, saved, NULL) != UB_OK && *e == UB_OK)
		*e = UB_ERR_UNSUPPORTED;
}
