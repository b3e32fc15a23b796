/*
 * The only place in the module that evaluates OpenOCD commands.
 *
 * Every command is built as a vector of Jim objects and run with
 * Jim_EvalObjVector(): the words reach OpenOCD exactly as given, so DAP and
 * target names containing spaces, brackets or dollars are passed verbatim and
 * can never be re-parsed as Tcl.  Answers are parsed strictly; anything we do
 * not recognise is UB_ERR_PARSE with the text seen, never a guess.
 *
 * What OpenOCD 0.12 answers (checked against the stock binary and its sources):
 *   `<dap> dpreg REG` / `<dap> apreg AP REG`  -> "0x%08x"; writes answer nothing.
 *     REG must be < 256 and word aligned, AP <= 255.
 *   `<target> read_memory ADDR 32 N`          -> a Tcl list of N "0x..." numbers.
 *   `<target> write_memory ADDR 32 LIST`      -> nothing.
 *   Failures return OpenOCD's negative error code; read_memory/write_memory
 *   also leave a message ("read_memory: failed to read memory"), dpreg/apreg
 *   leave none (the details went to OpenOCD's log).
 */
#include "ocd_bridge_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * At most 4096 words (16 KiB) per read_memory/write_memory command, because:
 *  - OpenOCD 0.12 rejects more than 64K elements per command outright;
 *  - the answer is a Tcl list of about 11 characters per word, so 16 KiB costs
 *    ~45 KB of strings in OpenOCD's interpreter where a 2 MiB flash bank in one
 *    command would cost ~6 MB and stall OpenOCD's event loop (telnet, GDB
 *    keep-alive) for the whole transfer;
 *  - a failure then names a 16 KiB window, not "somewhere in the bank";
 *  - it is still large enough (>= OpenOCD's own 4 KiB internal step) that the
 *    per-command queue flush costs little.
 */
#define OCD_MAX_WORDS_PER_CMD 4096u

/* `dpreg`/`apreg` take REG < 256, word aligned (facts C, ADIv5 SELECT). */
#define OCD_REG_LIMIT 0x100u

/* How much of an unexpected answer to quote in an error message. */
#define OCD_QUOTE_MAX 60

/* OpenOCD 0.12 error codes (helper/log.h, jtag/jtag.h, target/target.h, helper/command.h). */
static const struct {
	int code;
	const char *name;
} openocd_errors[] = {
	{ -4, "ERROR_FAIL" },
	{ -5, "ERROR_WAIT" },
	{ -6, "ERROR_TIMEOUT_REACHED" },
	{ -7, "ERROR_NOT_IMPLEMENTED" },
	{ -104, "ERROR_JTAG_QUEUE_FAILED" },
	{ -107, "ERROR_JTAG_DEVICE_ERROR" },
	{ -302, "ERROR_TARGET_TIMEOUT" },
	{ -304, "ERROR_TARGET_NOT_HALTED" },
	{ -305, "ERROR_TARGET_FAILURE" },
	{ -306, "ERROR_TARGET_UNALIGNED_ACCESS" },
	{ -307, "ERROR_TARGET_DATA_ABORT" },
	{ -308, "ERROR_TARGET_RESOURCE_NOT_AVAILABLE" },
	{ -311, "ERROR_TARGET_NOT_EXAMINED" },
	{ -601, "ERROR_COMMAND_SYNTAX_ERROR" },
	{ -602, "ERROR_COMMAND_NOTFOUND" },
	{ -603, "ERROR_COMMAND_ARGUMENT_INVALID" },
};

static const char *openocd_error_name(int code)
{
	for (size_t i = 0; i < sizeof(openocd_errors) / sizeof(openocd_errors[0]); i++)
		if (openocd_errors[i].code == code)
			return openocd_errors[i].name;
	return "unknown code";
}

/* Copy at most OCD_QUOTE_MAX characters of `text`, unprintables as '?', for an error message. */
static void quote_text(const char *text, char *out, size_t out_len)
{
	size_t n = 0;
	size_t len = strlen(text);

	for (; n < len && n < OCD_QUOTE_MAX && n + 4 < out_len; n++) {
		unsigned char c = (unsigned char)text[n];
		out[n] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (n < len && n + 4 <= out_len) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

/* Run one OpenOCD command given as separate words; every call counts (>= 1 queue flush). */
int ocdb_eval(ocd_bridge *b, int objc, Jim_Obj *const *objv)
{
	b->commands++;
	return Jim_EvalObjVector(b->interp, objc, objv);
}

Jim_Obj *ocdb_word(ocd_bridge *b, const char *s)
{
	return Jim_NewStringObj(b->interp, s, -1);
}

Jim_Obj *ocdb_hex_word(ocd_bridge *b, uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "0x%08x", (unsigned)v);
	return Jim_NewStringObj(b->interp, buf, -1);
}

/* Record why a command failed: OpenOCD's own message when it left one, else its error code. */
ub_err ocdb_fail_command(ocd_bridge *b, ub_err code, int rc, const char *ctx)
{
	const char *text = Jim_String(Jim_GetResult(b->interp));

	if (text && text[0])
		return ub_fail(code, "%s: OpenOCD: %s", ctx, text);
	if (rc < 0)
		return ub_fail(code, "%s: OpenOCD error %d (%s) without a message; see OpenOCD's log",
			       ctx, rc, openocd_error_name(rc));
	return ub_fail(code, "%s: OpenOCD returned Tcl code %d without a message", ctx, rc);
}

ub_err ocdb_fail_parse(const char *ctx, const char *expected, const char *seen)
{
	char quoted[OCD_QUOTE_MAX + 8];

	quote_text(seen, quoted, sizeof(quoted));
	return ub_fail(UB_ERR_PARSE, "%s: expected %s from OpenOCD, got '%s'", ctx, expected, quoted);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * One number as OpenOCD prints it: "0x" + hex digits, or plain decimal digits.
 * No sign, no whitespace, no octal, no expressions; must fit in 32 bits.
 */
bool ocdb_parse_u32_token(const char *s, size_t len, uint32_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i >= len)
		return false;
	for (; i < len; i++) {
		int d = hex_digit(s[i]);

		if (d < 0 || (unsigned)d >= base)
			return false;
		v = v * base + (unsigned)d;
		if (v > UINT32_MAX)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* The answer of a register read: one number, possibly with a trailing newline. */
static ub_err parse_single_value(ocd_bridge *b, const char *ctx, uint32_t *value)
{
	int len = 0;
	const char *text = Jim_GetString(Jim_GetResult(b->interp), &len);
	size_t start = 0, end = (size_t)len;

	while (start < end && (text[start] == ' ' || text[start] == '\t' || text[start] == '\n'))
		start++;
	while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\n'))
		end--;
	if (!ocdb_parse_u32_token(text + start, end - start, value))
		return ocdb_fail_parse(ctx, "one 32-bit number", text);
	return UB_OK;
}

/* Writes answer nothing; any text means OpenOCD did something we did not ask for. */
ub_err ocdb_expect_no_output(ocd_bridge *b, const char *ctx)
{
	const char *text = Jim_String(Jim_GetResult(b->interp));

	if (text && text[0])
		return ocdb_fail_parse(ctx, "no output", text);
	return UB_OK;
}

/* A name must be usable verbatim as an OpenOCD command: non-empty, fits, exists now. */
static ub_err check_command_name(ocd_bridge *b, const char *what, const char *name)
{
	size_t len = strlen(name);
	Jim_Obj *obj;
	Jim_Cmd *cmd;

	if (len == 0)
		return ub_fail(UB_ERR_ARG, "bridge: empty %s name", what);
	if (len >= UB_NAME_MAX)
		return ub_fail(UB_ERR_ARG, "bridge: %s name is %zu characters long, at most %d allowed",
			       what, len, UB_NAME_MAX - 1);
	obj = Jim_NewStringObj(b->interp, name, (int)len);
	Jim_IncrRefCount(obj);
	cmd = Jim_GetCommand(b->interp, obj, JIM_NONE);
	Jim_DecrRefCount(b->interp, obj);
	if (!cmd)
		return ub_fail(UB_ERR_ARG, "bridge: there is no OpenOCD command '%s' (create the %s first)",
			       name, what);
	return UB_OK;
}

void ocd_bridge_init(ocd_bridge *b, Jim_Interp *interp)
{
	if (!b)
		return;
	memset(b, 0, sizeof(*b));
	b->interp = interp;
}

ub_err ocdb_check_bridge(const ocd_bridge *b, const char *op)
{
	if (!b || !b->interp)
		return ub_fail(UB_ERR_ARG, "%s: bridge not initialised (NULL bridge or interpreter)", op);
	return UB_OK;
}

ub_err ocd_bridge_set_dap(ocd_bridge *b, const char *dap)
{
	ub_err err = ocdb_check_bridge(b, "bridge");

	if (err)
		return err;
	if (!dap)
		return ub_fail(UB_ERR_ARG, "bridge: NULL DAP name");
	err = check_command_name(b, "DAP", dap);
	if (err)
		return err;
	memcpy(b->dap, dap, strlen(dap) + 1);
	return UB_OK;
}

ub_err ocd_bridge_set_memap(ocd_bridge *b, ub_ap ap, const char *target)
{
	ub_err err = ocdb_check_bridge(b, "bridge");

	if (err)
		return err;
	if (ap.num >= UB_MAX_AP)
		return ub_fail(UB_ERR_ARG, "bridge: AP%u out of range (mem_ap targets exist for AP0..AP%d)",
			       ap.num, UB_MAX_AP - 1);
	/* NULL or "" detaches the AP: its mem_ap target is gone or unwanted. */
	if (!target || !target[0]) {
		b->memap[ap.num][0] = '\0';
		return UB_OK;
	}
	err = check_command_name(b, "mem_ap target", target);
	if (err)
		return err;
	memcpy(b->memap[ap.num], target, strlen(target) + 1);
	return UB_OK;
}

/* Arguments of dpreg/apreg as OpenOCD 0.12 accepts them, checked before anything runs. */
static ub_err check_reg_args(const ocd_bridge *b, const char *ctx, bool is_ap, unsigned ap, uint32_t reg)
{
	if (is_ap && ap > OCD_APSEL_MAX)
		return ub_fail(UB_ERR_ARG, "%s: AP%u out of range (APSEL is 0..255)", ctx, ap);
	if (reg >= OCD_REG_LIMIT || (reg & 3))
		return ub_fail(UB_ERR_ARG, "%s: register 0x%x must be below 0x100 and a multiple of 4", ctx,
			       (unsigned)reg);
	if (!b->dap[0])
		return ub_fail(UB_ERR_NOT_CONFIGURED, "%s: no DAP configured (stm32unbrick bridge -dap NAME)", ctx);
	return UB_OK;
}

/*
 * `<dap> dpreg REG ?VALUE?` or `<dap> apreg AP REG ?VALUE?`.
 * `write_value` NULL means read, the answer then goes to `*read_value`.
 */
static ub_err dap_reg_access(ocd_bridge *b, bool is_ap, unsigned ap, uint32_t reg,
			     const uint32_t *write_value, uint32_t *read_value)
{
	char ctx[OCD_CTX_MAX];
	Jim_Obj *objv[5];
	int objc = 0;
	ub_err fail_code = is_ap ? UB_ERR_AP : UB_ERR_DP;
	ub_err err = ocdb_check_bridge(b, is_ap ? "ap" : "dp");
	const char *dap;
	int rc;

	if (err)
		return err;
	dap = b->dap[0] ? b->dap : "<none>";

	if (is_ap)
		snprintf(ctx, sizeof(ctx), "ap %s AP%u 0x%02x (DAP %s)", write_value ? "write" : "read", ap,
			 (unsigned)reg, dap);
	else
		snprintf(ctx, sizeof(ctx), "dp %s 0x%02x (DAP %s)", write_value ? "write" : "read", (unsigned)reg,
			 dap);
	err = check_reg_args(b, ctx, is_ap, ap, reg);
	if (err)
		return err;
	if (!write_value && !read_value)
		return ub_fail(UB_ERR_ARG, "%s: NULL result pointer", ctx);

	objv[objc++] = ocdb_word(b, b->dap);
	objv[objc++] = ocdb_word(b, is_ap ? "apreg" : "dpreg");
	if (is_ap)
		objv[objc++] = Jim_NewIntObj(b->interp, ap);
	objv[objc++] = ocdb_hex_word(b, reg);
	if (write_value)
		objv[objc++] = ocdb_hex_word(b, *write_value);

	rc = ocdb_eval(b, objc, objv);
	if (rc != JIM_OK)
		return ocdb_fail_command(b, fail_code, rc, ctx);
	if (write_value)
		return ocdb_expect_no_output(b, ctx);
	return parse_single_value(b, ctx, read_value);
}

ub_err ocd_dp_read(ocd_bridge *b, uint32_t reg, uint32_t *value)
{
	return dap_reg_access(b, false, 0, reg, NULL, value);
}

ub_err ocd_dp_write(ocd_bridge *b, uint32_t reg, uint32_t value)
{
	return dap_reg_access(b, false, 0, reg, &value, NULL);
}

ub_err ocd_ap_read(ocd_bridge *b, ub_ap ap, uint32_t reg, uint32_t *value)
{
	return dap_reg_access(b, true, ap.num, reg, NULL, value);
}

ub_err ocd_ap_write(ocd_bridge *b, ub_ap ap, uint32_t reg, uint32_t value)
{
	return dap_reg_access(b, true, ap.num, reg, &value, NULL);
}

/* Everything a block transfer needs, checked before the first command runs. */
/* `unit`: 4 for 32-bit words, 2 for half-words (alignment, range and the names in messages). */
static ub_err check_mem_args(const ocd_bridge *b, const char *op, ub_ap ap, uint32_t addr, const void *units,
			     size_t count, unsigned unit)
{
	const char *what = unit == 4 ? "words" : "half-words";
	ub_err err = ocdb_check_bridge(b, op);

	if (err)
		return err;
	if (ap.num >= UB_MAX_AP)
		return ub_fail(UB_ERR_ARG, "%s AP%u 0x%08x: AP out of range (AP0..AP%d)", op, ap.num,
			       (unsigned)addr, UB_MAX_AP - 1);
	if (!units)
		return ub_fail(UB_ERR_ARG, "%s AP%u 0x%08x: NULL buffer", op, ap.num, (unsigned)addr);
	if (count == 0)
		return ub_fail(UB_ERR_ARG, "%s AP%u 0x%08x: zero %s requested", op, ap.num, (unsigned)addr, what);
	if (addr & (unit - 1))
		return ub_fail(UB_ERR_ARG, "%s AP%u 0x%08x: address not %u-byte aligned", op, ap.num,
			       (unsigned)addr, unit);
	if (count > (((uint64_t)UINT32_MAX + 1) - addr) / unit)
		return ub_fail(UB_ERR_ARG, "%s AP%u 0x%08x: %zu %s run past the end of the 32-bit address space",
			       op, ap.num, (unsigned)addr, count, what);
	if (!b->memap[ap.num][0])
		return ub_fail(UB_ERR_NOT_CONFIGURED,
			       "%s AP%u 0x%08x: no mem_ap target for AP%u (stm32unbrick bridge -memap)", op, ap.num,
			       (unsigned)addr, ap.num);
	return UB_OK;
}

/* The answer of read_memory: a list of exactly `count` numbers. */
static ub_err parse_word_list(ocd_bridge *b, const char *ctx, uint32_t *words, size_t count)
{
	Jim_Obj *result = Jim_GetResult(b->interp);
	ub_err err = UB_OK;
	char expected[48];
	int len;

	/* Hold the result: list conversion must not race a later result change. */
	Jim_IncrRefCount(result);
	len = Jim_ListLength(b->interp, result);
	if (len < 0 || (size_t)len != count) {
		snprintf(expected, sizeof(expected), "a list of %zu words (got %d items)", count, len);
		err = ocdb_fail_parse(ctx, expected, Jim_String(result));
	}
	for (size_t i = 0; !err && i < count; i++) {
		int elen = 0;
		const char *s = Jim_GetString(Jim_ListGetIndex(b->interp, result, (int)i), &elen);

		if (!ocdb_parse_u32_token(s, (size_t)elen, &words[i])) {
			snprintf(expected, sizeof(expected), "a 32-bit number as word %zu", i);
			err = ocdb_fail_parse(ctx, expected, s);
		}
	}
	Jim_DecrRefCount(b->interp, result);
	return err;
}

/*
 * OpenOCD examines a mem_ap target at `init` and when asked; one whose AP did not answer then (an
 * H5 boot ROM keeps AP1 closed for a moment after every reset) refuses every access until it is
 * examined again ("Target not examined yet").  True when the target was in that state and is
 * examined now, so the access is worth one more try.
 */
static bool examined_now(ocd_bridge *b, ub_ap ap)
{
	const char *target = b->memap[ap.num];
	Jim_Obj *objv[2] = { ocdb_word(b, target), ocdb_word(b, "was_examined") };

	if (ocdb_eval(b, 2, objv) != JIM_OK || strcmp(Jim_String(Jim_GetResult(b->interp)), "0") != 0)
		return false;
	if (ocd_examine(b, ap) == UB_OK)
		return true;
	ub_clear_error(); /* the access's own failure is the one reported */
	return false;
}

/* A memory command on AP `ap`'s target, run again once if it failed only because the target was
 * not examined.  Otherwise OpenOCD's own failure is left as the interpreter's result. */
static int eval_on_memap(ocd_bridge *b, ub_ap ap, int objc, Jim_Obj **objv)
{
	int rc;

	for (int i = 0; i < objc; i++)
		Jim_IncrRefCount(objv[i]); /* kept for the second try */
	rc = ocdb_eval(b, objc, objv);
	if (rc != JIM_OK) {
		Jim_Obj *failure = Jim_GetResult(b->interp);

		Jim_IncrRefCount(failure);
		if (examined_now(b, ap))
			rc = ocdb_eval(b, objc, objv);
		else
			Jim_SetResult(b->interp, failure);
		Jim_DecrRefCount(b->interp, failure);
	}
	for (int i = 0; i < objc; i++)
		Jim_DecrRefCount(b->interp, objv[i]);
	return rc;
}

static ub_err mem_read_block(ocd_bridge *b, ub_ap ap, uint32_t addr, uint32_t *words, size_t count)
{
	const char *target = b->memap[ap.num];
	char ctx[OCD_CTX_MAX];
	Jim_Obj *objv[5];
	int rc;

	snprintf(ctx, sizeof(ctx), "mem read AP%u 0x%08x (%zu words, target %s)", ap.num, (unsigned)addr, count,
		 target);
	objv[0] = ocdb_word(b, target);
	objv[1] = ocdb_word(b, "read_memory");
	objv[2] = ocdb_hex_word(b, addr);
	objv[3] = ocdb_word(b, "32");
	objv[4] = Jim_NewIntObj(b->interp, (jim_wide)count);
	rc = eval_on_memap(b, ap, 5, objv);
	if (rc != JIM_OK)
		return ocdb_fail_command(b, UB_ERR_MEM_READ, rc, ctx);
	ub_err err = parse_word_list(b, ctx, words, count);

	/* Consumed: a command of ours must not return 16 KiB of words that OpenOCD then prints. */
	if (!err)
		Jim_SetEmptyResult(b->interp);
	return err;
}

ub_err ocd_mem_read(ocd_bridge *b, ub_ap ap, uint32_t addr, uint32_t *words, size_t count)
{
	ub_err err = check_mem_args(b, "mem read", ap, addr, words, count, 4);
	size_t done = 0;

	while (!err && done < count) {
		size_t n = count - done;

		if (n > OCD_MAX_WORDS_PER_CMD)
			n = OCD_MAX_WORDS_PER_CMD;
		err = mem_read_block(b, ap, addr + (uint32_t)(done * 4), words + done, n);
		done += n;
	}
	return err;
}

/* One `write_memory ADDR WIDTH LIST`: `units` holds uint32_t (width 32) or uint16_t (width 16). */
static ub_err mem_write_block(ocd_bridge *b, const char *op, ub_ap ap, uint32_t addr, const void *units,
			      size_t count, unsigned width)
{
	const char *target = b->memap[ap.num];
	char ctx[OCD_CTX_MAX], buf[12];
	Jim_Obj *objv[5];
	Jim_Obj *data = Jim_NewListObj(b->interp, NULL, 0);
	int rc;

	snprintf(ctx, sizeof(ctx), "%s AP%u 0x%08x (%zu %s, target %s)", op, ap.num, (unsigned)addr, count,
		 width == 32 ? "words" : "half-words", target);
	for (size_t i = 0; i < count; i++) {
		if (width == 32) {
			Jim_ListAppendElement(b->interp, data, ocdb_hex_word(b, ((const uint32_t *)units)[i]));
		} else {
			snprintf(buf, sizeof(buf), "0x%04x", (unsigned)((const uint16_t *)units)[i]);
			Jim_ListAppendElement(b->interp, data, ocdb_word(b, buf));
		}
	}
	objv[0] = ocdb_word(b, target);
	objv[1] = ocdb_word(b, "write_memory");
	objv[2] = ocdb_hex_word(b, addr);
	objv[3] = ocdb_word(b, width == 32 ? "32" : "16");
	objv[4] = data;
	rc = eval_on_memap(b, ap, 5, objv);
	if (rc != JIM_OK)
		return ocdb_fail_command(b, UB_ERR_MEM_WRITE, rc, ctx);
	return ocdb_expect_no_output(b, ctx);
}

/* At most OCD_MAX_WORDS_PER_CMD units per OpenOCD command. */
static ub_err mem_write_units(ocd_bridge *b, const char *op, ub_ap ap, uint32_t addr, const void *units,
			      size_t count, unsigned width)
{
	const unsigned unit = width / 8;
	ub_err err = check_mem_args(b, op, ap, addr, units, count, unit);
	size_t done = 0;

	while (!err && done < count) {
		size_t n = count - done;

		if (n > OCD_MAX_WORDS_PER_CMD)
			n = OCD_MAX_WORDS_PER_CMD;
		err = mem_write_block(b, op, ap, addr + (uint32_t)(done * unit),
				      (const uint8_t *)units + done * unit, n, width);
		done += n;
	}
	return err;
}

ub_err ocd_mem_write(ocd_bridge *b, ub_ap ap, uint32_t addr, const uint32_t *words, size_t count)
{
	return mem_write_units(b, "mem write", ap, addr, words, count, 32);
}

ub_err ocd_mem_write16(ocd_bridge *b, ub_ap ap, uint32_t addr, const uint16_t *halves, size_t count)
{
	return mem_write_units(b, "mem write16", ap, addr, halves, count, 16);
}
