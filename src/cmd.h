/*
 * What every command table of the module shares: the subcommand descriptor,
 * argument parsers and the Tcl result helpers.  module.c dispatches
 * `stm32unbrick GROUP ?NAME? ARGS...` over every table listed there; each
 * driver keeps its own table beside its code.
 */
#ifndef STM32UNBRICK_CMD_H
#define STM32UNBRICK_CMD_H

#include <jim.h>
#include <stddef.h>
#include <stdint.h>

#include "target/errors.h"
#include "target/ocd_bridge.h"

typedef int ub_subcmd_fn(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv);

typedef struct ub_subcmd {
	const char *group;  /* first word after `stm32unbrick` */
	const char *name;   /* second word, or NULL for one-word subcommands */
	const char *args;   /* usage of what follows the subcommand words */
	int min_args;
	int max_args;
	ub_subcmd_fn *fn;
} ub_subcmd;

typedef struct ub_cmd_table {
	const ub_subcmd *cmds;
	size_t count;
} ub_cmd_table;

/* Tables contributed by the drivers. */
extern const ub_cmd_table ub_h7_commands;
extern const ub_cmd_table ub_exit_commands;
extern const ub_cmd_table ub_attach_commands;
extern const ub_cmd_table ub_da_commands;
extern const ub_cmd_table ub_h5_commands;

/* Turn a result into a Tcl status; the message is already in ub_last_error(). */
int ub_tcl_status(Jim_Interp *interp, ub_err err);
ub_err ub_arg_u32(Jim_Interp *interp, Jim_Obj *obj, const char *cmd, const char *what, uint32_t *out);
ub_err ub_arg_string(Jim_Obj *obj, const char *cmd, const char *what, const char **out);
Jim_Obj *ub_hex_obj(Jim_Interp *interp, uint32_t v);
/* Append KEY VALUE to a dict-shaped list. */
void ub_dict_add(Jim_Interp *interp, Jim_Obj *dict, const char *key, Jim_Obj *value);

#endif
