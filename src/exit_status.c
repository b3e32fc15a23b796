/*
 * `stm32unbrick exit_status N`: the status OpenOCD's process ends with.
 *
 * OpenOCD's `shutdown` ends the process with 0, or 1 with `shutdown error`;
 * `unbrick` documents more outcomes than that (recovered, failed, cannot be
 * recovered, wrong script).  We keep the wanted status and apply it from an
 * atexit handler, i.e. after OpenOCD's own orderly shutdown (adapter closed,
 * servers stopped) has completed and main() has returned.  The handler
 * flushes stdio itself because _exit() skips that.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd.h"

static int wanted_status = -1;
static bool handler_registered;

static void apply_exit_status(void)
{
	if (wanted_status < 0)
		return;
	fflush(NULL);
	_exit(wanted_status);
}

static int cmd_exit_status(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	if (argc == 0) {
		Jim_SetResult(interp, Jim_NewIntObj(interp, wanted_status));
		return JIM_OK;
	}
	uint32_t v;
	ub_err e = ub_arg_u32(interp, argv[0], "exit_status", "N", &v);
	if (e == UB_OK && v > 125)
		e = ub_fail(UB_ERR_ARG, "exit_status: N must be 0..125, not %u", v);
	if (e == UB_OK && !handler_registered) {
		if (atexit(apply_exit_status) != 0)
			e = ub_fail(UB_ERR_NOMEM, "exit_status: atexit() failed");
		else
			handler_registered = true;
	}
	if (e != UB_OK)
		return ub_tcl_status(interp, e);
	wanted_status = (int)v;
	return JIM_OK;
}

static const ub_subcmd exit_subcmds[] = {
	{ "exit_status", NULL, "?N?", 0, 1, cmd_exit_status },
};

const ub_cmd_table ub_exit_commands = { exit_subcmds, sizeof(exit_subcmds) / sizeof(exit_subcmds[0]) };
