/*
 * stm32unbrick: the Jim Tcl extension module that stock OpenOCD `load`s.
 *
 * One command, `stm32unbrick`, with subcommands from one static table.  Each
 * handler checks all of its arguments before anything reaches the chip, then
 * works through the bridge (target/ocd_bridge.c), which is the only code that
 * evaluates OpenOCD commands.  Every failure returns JIM_ERR with the message
 * of ub_last_error(), which names the operation, access port and address.
 *
 * State: one ocd_bridge per interpreter, kept as the interpreter's associated
 * data so that loading the module twice reuses it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jim.h>

#include "cmd.h"
#include "target/errors.h"
#include "target/ocd_bridge.h"

#ifndef PACKAGE_VERSION
#error "PACKAGE_VERSION comes from configure (DEFS); pass -DPACKAGE_VERSION when building by hand"
#endif

#ifndef JIM_ABI_VERSION
#error "this jim.h has no JIM_ABI_VERSION: Jim Tcl 0.81 or later (Debian libjim-dev) is required"
#endif

#define UB_CMD_NAME "stm32unbrick"
#define UB_ASSOC_KEY "stm32unbrick"

/* `mem read` returns a Tcl list; beyond 256 KiB use `mem dump`, which streams to a file. */
#define UB_MEM_LIST_MAX_WORDS 65536u

/* `mem dump` batch: 16 KiB, which the bridge sends as exactly one read_memory command. */
#define UB_DUMP_BATCH_WORDS 4096u

#define UB_EXPORT __attribute__((visibility("default")))

/* Called by Jim's `load` for ".../stm32unbrick.so": Jim_<basename>Init. */
UB_EXPORT int Jim_stm32unbrickInit(Jim_Interp *interp);

/* ---- results and argument parsing ---------------------------------------------------------- */

/* Turn a bridge result into a Tcl status; the message is already in ub_last_error(). */
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
		return ub_fail(UB_ERR_ARG, "%s: %s '%s' is not a number in 0..0xffffffff", cmd, what,
			       Jim_String(obj));
	*out = (uint32_t)w;
	return UB_OK;
}

/* A name or path from Tcl: non-empty and without embedded NUL (C would silently cut it). */
ub_err ub_arg_string(Jim_Obj *obj, const char *cmd, const char *what, const char **out)
{
	int len = 0;
	const char *s = Jim_GetString(obj, &len);

	if (len == 0)
		return ub_fail(UB_ERR_ARG, "%s: empty %s", cmd, what);
	if (strlen(s) != (size_t)len)
		return ub_fail(UB_ERR_ARG, "%s: %s contains a NUL character", cmd, what);
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

/* ---- version, bridge, stats ---------------------------------------------------------------- */

static int cmd_version(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	Jim_SetResultString(interp, PACKAGE_VERSION, -1);
	return JIM_OK;
}

static int bridge_report(Jim_Interp *interp, const ocd_bridge *b)
{
	Jim_Obj *memap = Jim_NewListObj(interp, NULL, 0);
	Jim_Obj *result = Jim_NewListObj(interp, NULL, 0);

	for (unsigned ap = 0; ap < UB_MAX_AP; ap++) {
		if (!b->memap[ap][0])
			continue;
		Jim_ListAppendElement(interp, memap, Jim_NewIntObj(interp, ap));
		Jim_ListAppendElement(interp, memap, Jim_NewStringObj(interp, b->memap[ap], -1));
	}
	Jim_ListAppendElement(interp, result, Jim_NewStringObj(interp, "dap", -1));
	Jim_ListAppendElement(interp, result, Jim_NewStringObj(interp, b->dap, -1));
	Jim_ListAppendElement(interp, result, Jim_NewStringObj(interp, "memap", -1));
	Jim_ListAppendElement(interp, result, memap);
	Jim_SetResult(interp, result);
	return JIM_OK;
}

/* Apply `-memap {AP TARGET ...}` to `staged`: the listed APs, all others detached. */
static ub_err stage_memap(Jim_Interp *interp, ocd_bridge *staged, Jim_Obj *list)
{
	int len = Jim_ListLength(interp, list);
	bool seen[UB_MAX_AP] = { false };

	if (len % 2)
		return ub_fail(UB_ERR_ARG, "bridge: -memap wants pairs {AP TARGET ...}, got %d words", len);
	for (unsigned ap = 0; ap < UB_MAX_AP; ap++)
		staged->memap[ap][0] = '\0';
	for (int i = 0; i < len; i += 2) {
		const char *target;
		uint32_t ap;
		ub_err err = ub_arg_u32(interp, Jim_ListGetIndex(interp, list, i), "bridge -memap", "AP", &ap);

		if (!err && ap >= UB_MAX_AP)
			err = ub_fail(UB_ERR_ARG, "bridge -memap: AP%u out of range (AP0..AP%d)", (unsigned)ap,
				      UB_MAX_AP - 1);
		if (!err && seen[ap])
			err = ub_fail(UB_ERR_ARG, "bridge -memap: AP%u listed twice", (unsigned)ap);
		if (!err)
			err = ub_arg_string(Jim_ListGetIndex(interp, list, i + 1), "bridge -memap", "target name",
					 &target);
		if (!err)
			err = ocd_bridge_set_memap(staged, ub_ap_num(ap), target);
		if (err)
			return err;
		seen[ap] = true;
	}
	return UB_OK;
}

/* `bridge -dap NAME ?-memap {AP TARGET ...}?`: all or nothing, so a typo leaves the old setup. */
static int cmd_bridge(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	ocd_bridge staged = *b;
	Jim_Obj *dap_obj = NULL, *memap_obj = NULL;
	const char *dap;
	ub_err err = UB_OK;

	if (argc == 0)
		return bridge_report(interp, b);
	if (argc % 2)
		return ub_tcl_status(interp, ub_fail(UB_ERR_ARG,
						  "bridge: options come in pairs: -dap NAME ?-memap {AP TARGET ...}?"));
	for (int i = 0; i < argc; i += 2) {
		const char *opt = Jim_String(argv[i]);

		if (!strcmp(opt, "-dap"))
			dap_obj = argv[i + 1];
		else if (!strcmp(opt, "-memap"))
			memap_obj = argv[i + 1];
		else
			return ub_tcl_status(interp, ub_fail(UB_ERR_ARG, "bridge: unknown option '%s' (-dap, -memap)",
							  opt));
	}
	if (!dap_obj)
		return ub_tcl_status(interp, ub_fail(UB_ERR_ARG, "bridge: -dap NAME is required"));
	err = ub_arg_string(dap_obj, "bridge -dap", "DAP name", &dap);
	if (!err)
		err = ocd_bridge_set_dap(&staged, dap);
	if (!err && memap_obj)
		err = stage_memap(interp, &staged, memap_obj);
	if (err)
		return ub_tcl_status(interp, err);
	*b = staged;
	return bridge_report(interp, b);
}

static int cmd_stats(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	Jim_Obj *result = Jim_NewListObj(interp, NULL, 0);

	/* Each OpenOCD command flushes the adapter queue at least once. */
	Jim_ListAppendElement(interp, result, Jim_NewStringObj(interp, "commands", -1));
	Jim_ListAppendElement(interp, result, Jim_NewIntObj(interp, (jim_wide)b->commands));
	Jim_SetResult(interp, result);
	return JIM_OK;
}

/* ---- dp / ap registers ----------------------------------------------------------------------- */

static int cmd_dp_read(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	uint32_t reg, value;
	ub_err err = ub_arg_u32(interp, argv[0], "dp read", "REG", &reg);

	if (!err)
		err = ocd_dp_read(b, reg, &value);
	if (!err)
		Jim_SetResult(interp, ub_hex_obj(interp, value));
	return ub_tcl_status(interp, err);
}

static int cmd_dp_write(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	uint32_t reg, value;
	ub_err err = ub_arg_u32(interp, argv[0], "dp write", "REG", &reg);

	if (!err)
		err = ub_arg_u32(interp, argv[1], "dp write", "VALUE", &value);
	if (!err)
		err = ocd_dp_write(b, reg, value);
	if (!err)
		Jim_SetEmptyResult(interp);
	return ub_tcl_status(interp, err);
}

static int cmd_ap_read(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	uint32_t ap, reg, value;
	ub_err err = ub_arg_u32(interp, argv[0], "ap read", "AP", &ap);

	if (!err)
		err = ub_arg_u32(interp, argv[1], "ap read", "REG", &reg);
	if (!err)
		err = ocd_ap_read(b, ub_ap_num(ap), reg, &value);
	if (!err)
		Jim_SetResult(interp, ub_hex_obj(interp, value));
	return ub_tcl_status(interp, err);
}

static int cmd_ap_write(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	uint32_t ap, reg, value;
	ub_err err = ub_arg_u32(interp, argv[0], "ap write", "AP", &ap);

	if (!err)
		err = ub_arg_u32(interp, argv[1], "ap write", "REG", &reg);
	if (!err)
		err = ub_arg_u32(interp, argv[2], "ap write", "VALUE", &value);
	if (!err)
		err = ocd_ap_write(b, ub_ap_num(ap), reg, value);
	if (!err)
		Jim_SetEmptyResult(interp);
	return ub_tcl_status(interp, err);
}

/* ---- memory ---------------------------------------------------------------------------------- */

/* AP and ADDR, the first two arguments of every `mem` subcommand. */
static ub_err arg_ap_addr(Jim_Interp *interp, Jim_Obj *const *argv, const char *cmd, uint32_t *ap, uint32_t *addr)
{
	ub_err err = ub_arg_u32(interp, argv[0], cmd, "AP", ap);

	if (!err)
		err = ub_arg_u32(interp, argv[1], cmd, "ADDR", addr);
	return err;
}

static int cmd_mem_read(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	uint32_t ap, addr, count = 1;
	uint32_t *words = NULL;
	ub_err err = arg_ap_addr(interp, argv, "mem read", &ap, &addr);

	if (!err && argc > 2)
		err = ub_arg_u32(interp, argv[2], "mem read", "COUNT", &count);
	if (!err && (count == 0 || count > UB_MEM_LIST_MAX_WORDS))
		err = ub_fail(UB_ERR_ARG, "mem read AP%u 0x%08x: COUNT %u not in 1..%u (use mem dump for more)",
			      (unsigned)ap, (unsigned)addr, (unsigned)count, UB_MEM_LIST_MAX_WORDS);
	if (!err) {
		words = calloc(count, sizeof(*words));
		if (!words)
			err = ub_fail(UB_ERR_NOMEM, "mem read AP%u 0x%08x: no memory for %u words", (unsigned)ap,
				      (unsigned)addr, (unsigned)count);
	}
	if (!err)
		err = ocd_mem_read(b, ub_ap_num(ap), addr, words, count);
	if (!err) {
		Jim_Obj *list = Jim_NewListObj(interp, NULL, 0);

		for (uint32_t i = 0; i < count; i++)
			Jim_ListAppendElement(interp, list, ub_hex_obj(interp, words[i]));
		Jim_SetResult(interp, list);
	}
	free(words);
	return ub_tcl_status(interp, err);
}

/* Every word of WORDLIST parsed before the first write reaches the chip. */
static ub_err parse_word_list(Jim_Interp *interp, Jim_Obj *list, uint32_t ap, uint32_t addr,
			      uint32_t **words_out, size_t *count_out)
{
	int len = Jim_ListLength(interp, list);
	uint32_t *words;

	if (len <= 0 || (unsigned)len > UB_MEM_LIST_MAX_WORDS)
		return ub_fail(UB_ERR_ARG, "mem write AP%u 0x%08x: WORDLIST has %d words, want 1..%u",
			       (unsigned)ap, (unsigned)addr, len, UB_MEM_LIST_MAX_WORDS);
	words = calloc((size_t)len, sizeof(*words));
	if (!words)
		return ub_fail(UB_ERR_NOMEM, "mem write AP%u 0x%08x: no memory for %d words", (unsigned)ap,
			       (unsigned)addr, len);
	for (int i = 0; i < len; i++) {
		ub_err err = ub_arg_u32(interp, Jim_ListGetIndex(interp, list, i), "mem write", "word", &words[i]);

		if (err) {
			free(words);
			return err;
		}
	}
	*words_out = words;
	*count_out = (size_t)len;
	return UB_OK;
}

static int cmd_mem_write(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	uint32_t ap, addr;
	uint32_t *words = NULL;
	size_t count = 0;
	ub_err err = arg_ap_addr(interp, argv, "mem write", &ap, &addr);

	if (!err)
		err = parse_word_list(interp, argv[2], ap, addr, &words, &count);
	if (!err)
		err = ocd_mem_write(b, ub_ap_num(ap), addr, words, count);
	if (!err)
		Jim_SetEmptyResult(interp);
	free(words);
	return ub_tcl_status(interp, err);
}

/* Everything `mem dump` needs, checked before the file is created or the chip touched. */
static ub_err check_dump_args(const ocd_bridge *b, uint32_t ap, uint32_t addr, uint32_t bytes)
{
	if (ap >= UB_MAX_AP)
		return ub_fail(UB_ERR_ARG, "mem dump AP%u 0x%08x: AP out of range (AP0..AP%d)", (unsigned)ap,
			       (unsigned)addr, UB_MAX_AP - 1);
	if (bytes == 0 || (bytes & 3) || (addr & 3))
		return ub_fail(UB_ERR_ARG, "mem dump AP%u 0x%08x: ADDR and BYTES (%u) must be non-zero multiples of 4",
			       (unsigned)ap, (unsigned)addr, (unsigned)bytes);
	if ((uint64_t)addr + bytes > (uint64_t)UINT32_MAX + 1)
		return ub_fail(UB_ERR_ARG, "mem dump AP%u 0x%08x: %u bytes run past the end of the address space",
			       (unsigned)ap, (unsigned)addr, (unsigned)bytes);
	if (!b->memap[ap][0])
		return ub_fail(UB_ERR_NOT_CONFIGURED,
			       "mem dump AP%u 0x%08x: no mem_ap target for AP%u (stm32unbrick bridge -memap)",
			       (unsigned)ap, (unsigned)addr, (unsigned)ap);
	return UB_OK;
}

/* Read `bytes` in 16 KiB batches (one OpenOCD command each) and append them to `f`, byte order as in memory. */
static ub_err dump_to_file(ocd_bridge *b, uint32_t ap, uint32_t addr, uint32_t bytes, FILE *f, const char *path)
{
	uint32_t words[UB_DUMP_BATCH_WORDS];
	uint8_t raw[UB_DUMP_BATCH_WORDS * 4];
	uint64_t done = 0;

	while (done < bytes) {
		size_t n = (size_t)((bytes - done) / 4);
		uint32_t at = addr + (uint32_t)done;
		ub_err err;

		if (n > UB_DUMP_BATCH_WORDS)
			n = UB_DUMP_BATCH_WORDS;
		err = ocd_mem_read(b, ub_ap_num(ap), at, words, n);
		if (err)
			return err;
		/* Cortex-M buses are little-endian (facts C): word bit 0..7 is the lowest address. */
		for (size_t i = 0; i < n; i++) {
			raw[4 * i + 0] = (uint8_t)words[i];
			raw[4 * i + 1] = (uint8_t)(words[i] >> 8);
			raw[4 * i + 2] = (uint8_t)(words[i] >> 16);
			raw[4 * i + 3] = (uint8_t)(words[i] >> 24);
		}
		if (fwrite(raw, 4, n, f) != n)
			return ub_fail(UB_ERR_IO, "mem dump AP%u 0x%08x: writing %s failed: %s", (unsigned)ap,
				       (unsigned)at, path, strerror(errno));
		done += 4 * n;
	}
	return UB_OK;
}

/* `mem dump AP ADDR BYTES FILE`; on any failure the incomplete file is removed, never left to pass as a dump. */
static int cmd_mem_dump(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	uint32_t ap, addr, bytes;
	const char *path;
	FILE *f;
	ub_err err = arg_ap_addr(interp, argv, "mem dump", &ap, &addr);

	if (!err)
		err = ub_arg_u32(interp, argv[2], "mem dump", "BYTES", &bytes);
	if (!err)
		err = ub_arg_string(argv[3], "mem dump", "FILE", &path);
	if (!err)
		err = check_dump_args(b, ap, addr, bytes);
	if (err)
		return ub_tcl_status(interp, err);

	f = fopen(path, "wb");
	if (!f)
		return ub_tcl_status(interp, ub_fail(UB_ERR_IO, "mem dump AP%u 0x%08x: cannot create %s: %s",
						  (unsigned)ap, (unsigned)addr, path, strerror(errno)));
	unsigned memaccess = 0;
	bool fast = ocd_bulk_begin(b, &memaccess);
	err = dump_to_file(b, ap, addr, bytes, f, path);
	ocd_bulk_end(b, fast, memaccess, &err);
	if (err) {
		/* Say that the dump, not just one read, failed; copy first, ub_fail overwrites the buffer. */
		char cause[256];

		snprintf(cause, sizeof(cause), "%s", ub_last_error());
		ub_fail(err, "mem dump AP%u 0x%08x to %s (removed): %s", (unsigned)ap, (unsigned)addr, path, cause);
	}
	if (fclose(f) != 0 && !err)
		err = ub_fail(UB_ERR_IO, "mem dump AP%u 0x%08x: closing %s failed: %s", (unsigned)ap,
			      (unsigned)addr, path, strerror(errno));
	if (err) {
		remove(path);
		return ub_tcl_status(interp, err);
	}
	Jim_SetResult(interp, Jim_NewIntObj(interp, bytes));
	return JIM_OK;
}

/* ---- reset ----------------------------------------------------------------------------------- */

static int cmd_srst_assert(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	return ub_tcl_status(interp, ocd_srst(b, true));
}

static int cmd_srst_deassert(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	return ub_tcl_status(interp, ocd_srst(b, false));
}

/* ---- the command table and its dispatcher ---------------------------------------------------- */

static const ub_subcmd core_subcmds[] = {
	{ "version", NULL, "", 0, 0, cmd_version },
	{ "bridge", NULL, "?-dap NAME ?-memap {AP TARGET ...}??", 0, 4, cmd_bridge },
	{ "dp", "read", "REG", 1, 1, cmd_dp_read },
	{ "dp", "write", "REG VALUE", 2, 2, cmd_dp_write },
	{ "ap", "read", "AP REG", 2, 2, cmd_ap_read },
	{ "ap", "write", "AP REG VALUE", 3, 3, cmd_ap_write },
	{ "mem", "read", "AP ADDR ?COUNT?", 2, 3, cmd_mem_read },
	{ "mem", "write", "AP ADDR WORDLIST", 3, 3, cmd_mem_write },
	{ "mem", "dump", "AP ADDR BYTES FILE", 4, 4, cmd_mem_dump },
	{ "srst", "assert", "", 0, 0, cmd_srst_assert },
	{ "srst", "deassert", "", 0, 0, cmd_srst_deassert },
	{ "stats", NULL, "", 0, 0, cmd_stats },
};

static const ub_cmd_table core_commands = { core_subcmds, sizeof(core_subcmds) / sizeof(core_subcmds[0]) };

/* Every table `stm32unbrick` dispatches over, in the order `help` lists them. */
static const ub_cmd_table *const tables[] = { &core_commands, &ub_h7_commands, &ub_exit_commands,
						&ub_attach_commands, &ub_h5_commands, &ub_da_commands };
#define UB_TABLE_COUNT (sizeof(tables) / sizeof(tables[0]))

/* "version, bridge, dp read, ..." for error messages. */
/* Appends ", word" (or "word" first) while it fits; a list that does not fit ends in "...". */
static void append_name(char *out, size_t len, size_t *used, const char *a, const char *b)
{
	int n = snprintf(out + *used, len - *used, "%s%s%s%s", *used ? ", " : "", a, b ? " " : "", b ? b : "");

	if (n < 0 || (size_t)n >= len - *used) {
		snprintf(out + *used, len - *used, "%s", len - *used > 4 ? "..." : "");
		*used = len - 1;
		return;
	}
	*used += (size_t)n;
}

static bool group_listed_before(size_t t_end, size_t i_end, const char *group)
{
	for (size_t t = 0; t <= t_end; t++)
		for (size_t i = 0; i < tables[t]->count && (t < t_end || i < i_end); i++)
			if (!strcmp(tables[t]->cmds[i].group, group))
				return true;
	return false;
}

/* A known group: its subcommands; otherwise every group once (the whole list no longer fits
 * in one error message). */
static void list_subcommands(char *out, size_t len, const char *group)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t t = 0; t < UB_TABLE_COUNT; t++)
		for (size_t i = 0; i < tables[t]->count && used + 1 < len; i++) {
			const ub_subcmd *sc = &tables[t]->cmds[i];

			if (group && !strcmp(sc->group, group))
				append_name(out, len, &used, sc->group, sc->name);
			else if (!group && !group_listed_before(t, i, sc->group))
				append_name(out, len, &used, sc->group, NULL);
		}
}

static bool group_exists(const char *group)
{
	for (size_t t = 0; t < UB_TABLE_COUNT; t++)
		for (size_t i = 0; i < tables[t]->count; i++)
			if (!strcmp(tables[t]->cmds[i].group, group))
				return true;
	return false;
}

/* The entry for argv[1] (and argv[2] for two-word subcommands); *words says how many matched. */
static const ub_subcmd *find_subcmd(int argc, Jim_Obj *const *argv, int *words)
{
	const char *group = Jim_String(argv[1]);
	const char *name = argc > 2 ? Jim_String(argv[2]) : NULL;

	for (size_t t = 0; t < UB_TABLE_COUNT; t++)
		for (size_t i = 0; i < tables[t]->count; i++) {
			const ub_subcmd *sc = &tables[t]->cmds[i];

			if (strcmp(sc->group, group))
				continue;
			if (!sc->name) {
				*words = 1;
				return sc;
			}
			if (name && !strcmp(sc->name, name)) {
				*words = 2;
				return sc;
			}
		}
	return NULL;
}

static int usage_error(Jim_Interp *interp, const ub_subcmd *sc)
{
	ub_fail(UB_ERR_ARG, "wrong # args: should be \"" UB_CMD_NAME " %s%s%s%s%s\"", sc->group, sc->name ? " " : "",
		sc->name ? sc->name : "", sc->args[0] ? " " : "", sc->args);
	return ub_tcl_status(interp, UB_ERR_ARG);
}

static int stm32unbrick_cmd(Jim_Interp *interp, int argc, Jim_Obj *const *argv)
{
	ocd_bridge *b = Jim_CmdPrivData(interp);
	const ub_subcmd *sc;
	char names[400];
	int words = 0, nargs;

	ub_clear_error();
	sc = argc >= 2 ? find_subcmd(argc, argv, &words) : NULL;
	if (!sc) {
		bool known_group = argc >= 2 && group_exists(Jim_String(argv[1]));

		list_subcommands(names, sizeof(names), known_group ? Jim_String(argv[1]) : NULL);
		ub_fail(UB_ERR_ARG, UB_CMD_NAME ": unknown or missing subcommand '%s%s%s'; one of: %s",
			argc >= 2 ? Jim_String(argv[1]) : "", known_group && argc >= 3 ? " " : "",
			known_group && argc >= 3 ? Jim_String(argv[2]) : "", names);
		return ub_tcl_status(interp, UB_ERR_ARG);
	}
	nargs = argc - 1 - words;
	if (nargs < sc->min_args || nargs > sc->max_args)
		return usage_error(interp, sc);
	return sc->fn(interp, b, nargs, argv + 1 + words);
}

/* ---- module entry ---------------------------------------------------------------------------- */

static void free_module_state(Jim_Interp *interp, void *data)
{
	free(data);
}

int Jim_stm32unbrickInit(Jim_Interp *interp)
{
	ocd_bridge *b;

	/* Refuse an interpreter built from a different Jim ABI rather than corrupt it. */
	if (Jim_CheckAbiVersion(interp, JIM_ABI_VERSION) != JIM_OK)
		return JIM_ERR;

	b = Jim_GetAssocData(interp, UB_ASSOC_KEY);
	if (!b) {
		b = calloc(1, sizeof(*b));
		if (!b) {
			Jim_SetResultString(interp, UB_CMD_NAME ": out of memory for the module state", -1);
			return JIM_ERR;
		}
		ocd_bridge_init(b, interp);
		if (Jim_SetAssocData(interp, UB_ASSOC_KEY, free_module_state, b) != JIM_OK) {
			free(b);
			Jim_SetResultString(interp, UB_CMD_NAME ": cannot attach the module state", -1);
			return JIM_ERR;
		}
	}
	/* Loading twice re-creates the command over the same state. */
	return Jim_CreateCommand(interp, UB_CMD_NAME, stm32unbrick_cmd, b, NULL);
}
