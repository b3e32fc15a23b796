/*
 * `stm32unbrick h7 ...`: the STM32H7 driver's commands.  The Tcl recovery
 * procedures (tcl/recovery/) compose them; each checks its arguments before
 * touching the chip and returns dicts that Tcl can read without parsing text.
 *
 * The identified chip is kept per process: OpenOCD runs one interpreter.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cmd.h"
#include "../../target/cm_code.h"
#include "stm32h7x.h"

static h7_target chip;

static ub_err need_chip(ocd_bridge *b, const char *cmd)
{
	if (!chip.kind.line)
		return ub_fail(UB_ERR_NOT_CONFIGURED, "%s: run `stm32unbrick h7 identify` first", cmd);
	chip.b = b;
	return UB_OK;
}

/* Options shared by several commands: -timeout MS, -irreversible. */
typedef struct h7_opts {
	unsigned timeout_ms;
	bool irreversible;
} h7_opts;

static ub_err parse_opts(Jim_Interp *interp, int argc, Jim_Obj *const *argv, const char *cmd, h7_opts *o)
{
	for (int i = 0; i < argc; i++) {
		const char *a = Jim_String(argv[i]);
		if (!strcmp(a, "-irreversible")) {
			o->irreversible = true;
		} else if (!strcmp(a, "-timeout") && i + 1 < argc) {
			uint32_t ms;
			ub_err e = ub_arg_u32(interp, argv[++i], cmd, "-timeout", &ms);
			if (e != UB_OK)
				return e;
			o->timeout_ms = ms;
		} else {
			return ub_fail(UB_ERR_ARG, "%s: unknown option '%s' (known: -timeout MS, -irreversible)", cmd, a);
		}
	}
	return UB_OK;
}

/* `h7 identify ?SYS_AP?`: returns a dict describing the chip. */
static int cmd_identify(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	uint32_t ap = H7_AP_CM7;
	if (argc == 1) {
		ub_err e = ub_arg_u32(interp, argv[0], "h7 identify", "SYS_AP", &ap);
		if (e == UB_OK && ap != H7_AP_CM7 && ap != H7_AP_CM4)
			e = ub_fail(UB_ERR_ARG, "h7 identify: SYS_AP must be 0 (Cortex-M7) or 3 (Cortex-M4), not %u", ap);
		if (e != UB_OK)
			return ub_tcl_status(interp, e);
	}
	unsigned scale = chip.timeout_scale_pct;
	memset(&chip, 0, sizeof(chip));
	chip.b = b;
	chip.sys = ub_ap_num(ap);
	chip.apb = ub_ap_num(H7_AP_APB);
	chip.timeout_scale_pct = scale;
	ub_err e = h7_identify(&chip);
	if (e != UB_OK) {
		chip.kind.line = NULL;
		return ub_tcl_status(interp, e);
	}
	Jim_Obj *d = Jim_NewListObj(interp, NULL, 0);
	char buf[16];
	snprintf(buf, sizeof(buf), "0x%03x", chip.dev_id);
	ub_dict_add(interp, d, "dev_id", Jim_NewStringObj(interp, buf, -1));
	snprintf(buf, sizeof(buf), "0x%04x", chip.rev_id);
	ub_dict_add(interp, d, "rev_id", Jim_NewStringObj(interp, buf, -1));
	ub_dict_add(interp, d, "rev", Jim_NewStringObj(interp, h7_rev_name(chip.dev_id, chip.rev_id), -1));
	ub_dict_add(interp, d, "family", Jim_NewStringObj(interp, chip.kind.line->family, -1));
	ub_dict_add(interp, d, "manual", Jim_NewStringObj(interp, chip.kind.line->manual, -1));
	ub_dict_add(interp, d, "flash_kib", Jim_NewIntObj(interp, chip.flash_kib));
	ub_dict_add(interp, d, "banks", Jim_NewIntObj(interp, chip.kind.two_banks ? 2 : 1));
	ub_dict_add(interp, d, "dual_core", Jim_NewIntObj(interp, chip.kind.dual_core));
	ub_dict_add(interp, d, "sys_ap", Jim_NewIntObj(interp, ap));
	ub_dict_add(interp, d, "sector_kib", Jim_NewIntObj(interp, chip.kind.line->sector_kib));
	ub_dict_add(interp, d, "word_bytes", Jim_NewIntObj(interp, chip.kind.line->word_bytes));
	Jim_SetResult(interp, d);
	return JIM_OK;
}

static Jim_Obj *ob_dict(Jim_Interp *interp, const h7_ob *ob)
{
	Jim_Obj *d = Jim_NewListObj(interp, NULL, 0);
	for (size_t i = 0; i < h7_ob_field_count(); i++) {
		const h7_ob_field *f = h7_ob_field_at(i);
		uint32_t v;
		if (!h7_ob_field_applies(f, &ob->kind) || h7_ob_get(ob, f->name, &v) != UB_OK)
			continue;
		ub_dict_add(interp, d, f->name, ub_hex_obj(interp, v));
	}
	return d;
}

/* `h7 options`: every option-byte field of this chip, as read from _CUR. */
static int cmd_options(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	h7_ob ob;
	ub_err e = need_chip(b, "h7 options");
	if (e == UB_OK)
		e = h7_ob_read(&chip, &ob);
	if (e != UB_OK)
		return ub_tcl_status(interp, e);
	Jim_SetResult(interp, ob_dict(interp, &ob));
	return JIM_OK;
}

/* `h7 registers`: the raw _CUR registers, {NAME VALUE ...}, for backups. */
static int cmd_registers(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	h7_ob ob;
	ub_err e = need_chip(b, "h7 registers");
	if (e == UB_OK)
		e = h7_ob_read(&chip, &ob);
	if (e != UB_OK)
		return ub_tcl_status(interp, e);
	Jim_Obj *d = Jim_NewListObj(interp, NULL, 0);
	for (uint8_t i = 0; i < h7_ob_reg_count(); i++) {
		h7_ob_reg_idx idx = { i };
		if (ob.present[i])
			ub_dict_add(interp, d, h7_ob_reg_at(idx)->name, ub_hex_obj(interp, ob.value[i]));
	}
	Jim_SetResult(interp, d);
	return JIM_OK;
}

/* `h7 factory`: the factory values of this chip's fields. */
static int cmd_factory(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	h7_ob ob;
	ub_err e = need_chip(b, "h7 factory");
	if (e != UB_OK)
		return ub_tcl_status(interp, e);
	h7_ob_factory(&ob, &chip.kind);
	Jim_SetResult(interp, ob_dict(interp, &ob));
	return JIM_OK;
}

/* Apply {FIELD VALUE ...} on top of the chip's current option bytes. */
static ub_err build_wanted(Jim_Interp *interp, Jim_Obj *list, const h7_opts *o, h7_ob *want)
{
	int n = Jim_ListLength(interp, list);
	if (n <= 0 || n % 2)
		return ub_fail(UB_ERR_ARG, "h7 options_set: want a list {FIELD VALUE ...}, got %d elements", n);
	ub_err e = h7_ob_read(&chip, want);
	for (int i = 0; e == UB_OK && i < n; i += 2) {
		uint32_t v;
		const char *name = Jim_String(Jim_ListGetIndex(interp, list, i));
		e = ub_arg_u32(interp, Jim_ListGetIndex(interp, list, i + 1), "h7 options_set", name, &v);
		if (e == UB_OK)
			e = h7_ob_set(want, name, v, o->irreversible);
	}
	return e;
}

/* `h7 options_set {FIELD VALUE ...} ?-timeout MS? ?-irreversible?` */
static int cmd_options_set(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	h7_opts o = { 15000, false };
	h7_ob want;
	ub_err e = parse_opts(interp, argc - 1, argv + 1, "h7 options_set", &o);
	if (e == UB_OK)
		e = need_chip(b, "h7 options_set");
	if (e == UB_OK)
		e = build_wanted(interp, argv[0], &o, &want);
	if (e == UB_OK)
		e = h7_ob_write(&chip, &want, o.timeout_ms);
	return ub_tcl_status(interp, e);
}

static ub_err arg_bank(Jim_Interp *interp, Jim_Obj *obj, const char *cmd, unsigned *bank)
{
	uint32_t v;
	ub_err e = ub_arg_u32(interp, obj, cmd, "BANK", &v);
	if (e == UB_OK && (v < 1 || v > (chip.kind.two_banks ? 2u : 1u)))
		e = ub_fail(UB_ERR_ARG, "%s: this chip has no flash bank %u", cmd, v);
	*bank = v;
	return e;
}

/* `h7 erase BANK ?-timeout MS?` */
static int cmd_erase(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	h7_opts o = { 30000, false };
	unsigned bank = 0;
	ub_err e = need_chip(b, "h7 erase");
	if (e == UB_OK)
		e = arg_bank(interp, argv[0], "h7 erase", &bank);
	if (e == UB_OK)
		e = parse_opts(interp, argc - 1, argv + 1, "h7 erase", &o);
	if (e == UB_OK)
		e = h7_bank_erase(&chip, bank, o.timeout_ms);
	return ub_tcl_status(interp, e);
}

/* `h7 blank_check BANK`: read the bank back, all 0xFF or an error naming the address. */
static int cmd_blank_check(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	unsigned bank = 0;
	ub_err e = need_chip(b, "h7 blank_check");
	if (e == UB_OK)
		e = arg_bank(interp, argv[0], "h7 blank_check", &bank);
	if (e == UB_OK)
		e = h7_blank_check(&chip, bank);
	return ub_tcl_status(interp, e);
}

typedef ub_err (*core_scan_fn)(h7_target *t, uint32_t start, uint32_t end, uint32_t *stop);

/* START END, a flash range scanned by the core: answers where it stopped. */
/* START END of a scan command: a chip identified, and a range from the flash on (each scan checks
 * its own block size). */
static ub_err flash_range_args(Jim_Interp *interp, ocd_bridge *b, Jim_Obj *const *argv, const char *name,
			       uint32_t *start, uint32_t *end)
{
	ub_err e = need_chip(b, name);
	if (e == UB_OK)
		e = ub_arg_u32(interp, argv[0], name, "START", start);
	if (e == UB_OK)
		e = ub_arg_u32(interp, argv[1], name, "END", end);
	if (e == UB_OK && (*start < H7_BANK1_BASE || *end <= *start))
		e = ub_fail(UB_ERR_ARG, "%s: 0x%08x..0x%08x is not a flash range", name, *start, *end);
	return e;
}

static int scan_command(Jim_Interp *interp, ocd_bridge *b, Jim_Obj *const *argv, const char *name, core_scan_fn scan)
{
	uint32_t start = 0, end = 0, stop = 0;
	ub_err e = flash_range_args(interp, b, argv, name, &start, &end);
	if (e == UB_OK)
		e = scan(&chip, start, end, &stop); /* checks the range is whole blocks of that scan */
	if (e != UB_OK)
		return ub_tcl_status(interp, e);
	Jim_SetResult(interp, ub_hex_obj(interp, stop));
	return JIM_OK;
}

/*
 * `h7 erased_until START END`: the core (halted) reads [START, END) and answers the first 16-byte
 * group with a programmed bit, or END.  Fails (UNSUPPORTED) when the core cannot: the caller then
 * reads the range through the debugger.  The backup uses it to skip erased flash.
 */
static int cmd_erased_until(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	return scan_command(interp, b, argv, "h7 erased_until", h7_core_blank_scan);
}

/*
 * `h7 readable_until START END`: the core (halted) reads every word of [START, END) (whole 64-byte
 * blocks) and answers END, or the first block holding a word whose read faulted (a double ECC
 * error).  Fails (UNSUPPORTED) when the core cannot help.  unbrick's ECC scan, which needs no copy
 * of the data.
 */
static int cmd_readable_until(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	return scan_command(interp, b, argv, "h7 readable_until", h7_core_readable_scan);
}

/*
 * `h7 erased_map START END`: the ECC scan of `h7 readable_until` over [START, END) (32 KiB
 * boundaries), answered as one character per KiB, 1 where every word read erased (all ones) and
 * 0 where one holds a programmed bit.  Fails (UNSUPPORTED) when the core cannot help or a read
 * faulted: readable_until then finds the unreadable words.  The backup reads only the 0s.
 */
static int cmd_erased_map(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	const char *name = "h7 erased_map";
	uint32_t start = 0, end = 0, map[CM_MAP_MAX_WORDS];
	ub_err e = flash_range_args(interp, b, argv, name, &start, &end);
	size_t words = e == UB_OK ? (end - start) / (CM_MAP_KIB_PER_WORD * 1024u) : 0;
	if (e == UB_OK && words > CM_MAP_MAX_WORDS)
		e = ub_fail(UB_ERR_ARG, "%s: 0x%08x..0x%08x is more than the %u KiB a map holds", name, start, end,
			    CM_MAP_MAX_WORDS * CM_MAP_KIB_PER_WORD);
	if (e == UB_OK)
		e = h7_core_erased_map(&chip, start, end, map, words); /* checks the 32 KiB boundaries */
	if (e != UB_OK)
		return ub_tcl_status(interp, e);
	char kib[CM_MAP_MAX_WORDS * CM_MAP_KIB_PER_WORD];
	for (size_t i = 0; i < words * CM_MAP_KIB_PER_WORD; i++)
		kib[i] = (map[i / CM_MAP_KIB_PER_WORD] >> (31u - i % CM_MAP_KIB_PER_WORD)) & 1u ? '1' : '0';
	Jim_SetResult(interp, Jim_NewStringObj(interp, kib, (int)(words * CM_MAP_KIB_PER_WORD)));
	return JIM_OK;
}

/* Read a whole file, padded with 0xFF to `align` bytes. */
static ub_err read_file(const char *path, unsigned align, uint8_t **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return ub_fail(UB_ERR_IO, "cannot open %s: %s", path, strerror(errno));
	ub_err e = UB_OK;
	long size = (fseek(f, 0, SEEK_END) == 0) ? ftell(f) : -1;
	if (size < 0 || size > 64L * 1024 * 1024 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return ub_fail(UB_ERR_IO, "%s: cannot size it, or larger than 64 MiB", path);
	}
	size_t padded = ((size_t)size + align - 1) / align * align;
	*data = malloc(padded ? padded : 1);
	if (!*data)
		e = ub_fail(UB_ERR_NOMEM, "no memory for %s (%zu bytes)", path, padded);
	else if (fread(*data, 1, (size_t)size, f) != (size_t)size)
		e = ub_fail(UB_ERR_IO, "reading %s failed", path);
	fclose(f);
	if (e != UB_OK) {
		free(*data);
		*data = NULL;
		return e;
	}
	memset(*data + size, 0xFF, padded - (size_t)size);
	*len = padded;
	return UB_OK;
}

static int program_or_verify(Jim_Interp *interp, ocd_bridge *b, Jim_Obj *const *argv, const char *cmd, bool program)
{
	const char *path;
	uint32_t addr;
	uint8_t *data = NULL;
	size_t len = 0;
	ub_err e = need_chip(b, cmd);
	if (e == UB_OK)
		e = ub_arg_string(argv[0], cmd, "FILE", &path);
	if (e == UB_OK)
		e = ub_arg_u32(interp, argv[1], cmd, "ADDR", &addr);
	if (e == UB_OK)
		e = read_file(path, chip.kind.line->word_bytes, &data, &len);
	if (e == UB_OK)
		e = program ? h7_program(&chip, addr, data, len) : h7_verify(&chip, addr, data, len);
	free(data);
	return ub_tcl_status(interp, e);
}

/*
 * `h7 program FILE ADDR ?-direct?`: erased (0xFF) flash words are skipped; verified after.  A
 * halted core runs the flash loader (stm32h7x_loader.c); -direct, or a core that is not halted,
 * has the debugger write the flash itself, two flash words per status read.
 */
static int cmd_program(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	if (argc == 3 && strcmp(Jim_String(argv[2]), "-direct") != 0)
		return ub_tcl_status(interp, ub_fail(UB_ERR_ARG, "h7 program: unknown option \"%s\" (usage: h7 program "
						      "FILE ADDR ?-direct?)", Jim_String(argv[2])));
	chip.program_direct = argc == 3;
	int rc = program_or_verify(interp, b, argv, "h7 program", true);
	chip.program_direct = false;
	return rc;
}

static int cmd_verify(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	return program_or_verify(interp, b, argv, "h7 verify", false);
}

/* `h7 status`: {SR1 value ?SR2 value?} */
static int cmd_status(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	ub_err e = need_chip(b, "h7 status");
	Jim_Obj *d = Jim_NewListObj(interp, NULL, 0);
	for (unsigned bank = 1; e == UB_OK && bank <= (chip.kind.two_banks ? 2u : 1u); bank++) {
		uint32_t sr;
		e = h7_flash_status(&chip, bank, &sr);
		if (e == UB_OK)
			ub_dict_add(interp, d, bank == 1 ? "SR1" : "SR2", ub_hex_obj(interp, sr));
	}
	if (e != UB_OK) {
		Jim_FreeNewObj(interp, d);
		return ub_tcl_status(interp, e);
	}
	Jim_SetResult(interp, d);
	return JIM_OK;
}

/* `h7 timeout_scale PCT`: stretch every bounded wait (slow probes, cold chips). */
static int cmd_timeout_scale(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	uint32_t pct;
	ub_err e = ub_arg_u32(interp, argv[0], "h7 timeout_scale", "PCT", &pct);
	if (e == UB_OK && (pct < 10 || pct > 10000))
		e = ub_fail(UB_ERR_ARG, "h7 timeout_scale: PCT must be 10..10000, not %u", pct);
	if (e == UB_OK)
		chip.timeout_scale_pct = pct;
	return ub_tcl_status(interp, e);
}

static const ub_subcmd h7_subcmds[] = {
	{ "h7", "identify", "?SYS_AP?", 0, 1, cmd_identify },
	{ "h7", "options", "", 0, 0, cmd_options },
	{ "h7", "registers", "", 0, 0, cmd_registers },
	{ "h7", "factory", "", 0, 0, cmd_factory },
	{ "h7", "options_set", "{FIELD VALUE ...} ?-timeout MS? ?-irreversible?", 1, 4, cmd_options_set },
	{ "h7", "erase", "BANK ?-timeout MS?", 1, 3, cmd_erase },
	{ "h7", "blank_check", "BANK", 1, 1, cmd_blank_check },
	{ "h7", "erased_until", "START END", 2, 2, cmd_erased_until },
	{ "h7", "readable_until", "START END", 2, 2, cmd_readable_until },
	{ "h7", "erased_map", "START END", 2, 2, cmd_erased_map },
	{ "h7", "program", "FILE ADDR ?-direct?", 2, 3, cmd_program },
	{ "h7", "verify", "FILE ADDR", 2, 2, cmd_verify },
	{ "h7", "status", "", 0, 0, cmd_status },
	{ "h7", "timeout_scale", "PCT", 1, 1, cmd_timeout_scale },
};

const ub_cmd_table ub_h7_commands = { h7_subcmds, sizeof(h7_subcmds) / sizeof(h7_subcmds[0]) };
