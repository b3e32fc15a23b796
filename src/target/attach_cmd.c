/*
 * `stm32unbrick attach STRATEGY ?-timeout S? ?-halt-timeout MS? ?-nohalt? ?-single-bank? ?-family stm32h7|stm32h5?`
 *
 * Runs one attach strategy (attach.h) and returns a dict:
 *   {strategy S core_ap N idcode 0x.. halted 0|1 pc 0x.. dhcsr 0x.. power_cycled 0|1 in_bootloader 0|1}
 * Every argument is checked before anything reaches the chip.
 */
#include <string.h>

#include "../cmd.h"
#include "attach.h"

#define ATTACH_DEFAULT_OPERATOR_S   60u
#define ATTACH_MAX_OPERATOR_S       3600u
#define ATTACH_DEFAULT_HALT_MS      1000u
#define ATTACH_MAX_HALT_MS          60000u

static const ub_family *const families[] = { &ub_family_stm32h7, &ub_family_stm32h5 };

static ub_err parse_strategy(Jim_Obj *obj, ub_attach_strategy *s)
{
	int v = ub_attach_from_name(Jim_String(obj));

	if (v < 0)
		return ub_fail(UB_ERR_ARG,
			       "attach: unknown strategy '%s' (normal, hot-plug, under-reset, power-cycle, boot0, "
			       "ap-fallback)",
			       Jim_String(obj));
	*s = (ub_attach_strategy)v;
	return UB_OK;
}

static ub_err parse_family(Jim_Obj *obj, const ub_family **f)
{
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (!strcmp(Jim_String(obj), families[i]->name)) {
			*f = families[i];
			return UB_OK;
		}
	return ub_fail(UB_ERR_ARG, "attach: unknown -family '%s' (stm32h7, stm32h5)", Jim_String(obj));
}

/* A number option's value in lo..hi. */
static ub_err parse_bounded(Jim_Interp *interp, Jim_Obj *obj, const char *opt, uint32_t lo, uint32_t hi,
			    uint32_t *out)
{
	ub_err e = ub_arg_u32(interp, obj, "attach", opt, out);

	if (!e && (*out < lo || *out > hi))
		e = ub_fail(UB_ERR_ARG, "attach: %s %u is not in %u..%u", opt, (unsigned)*out, (unsigned)lo,
			    (unsigned)hi);
	return e;
}

static ub_err parse_options(Jim_Interp *interp, int argc, Jim_Obj *const *argv, ub_attach_opts *o)
{
	for (int i = 0; i < argc; i++) {
		const char *opt = Jim_String(argv[i]);
		bool has_value = i + 1 < argc;
		uint32_t v;
		ub_err e = UB_OK;

		if (!strcmp(opt, "-nohalt")) {
			o->halt = false;
			continue;
		}
		if (!strcmp(opt, "-single-bank")) {
			o->single_bank = true;
			continue;
		}
		if (strcmp(opt, "-timeout") && strcmp(opt, "-halt-timeout") && strcmp(opt, "-family"))
			return ub_fail(UB_ERR_ARG,
				       "attach: unknown option '%s' (-timeout S, -halt-timeout MS, -nohalt, -single-bank, "
				       "-family F)",
				       opt);
		if (!has_value)
			return ub_fail(UB_ERR_ARG, "attach: %s needs a value", opt);
		if (!strcmp(opt, "-timeout")) {
			e = parse_bounded(interp, argv[++i], "-timeout", 1, ATTACH_MAX_OPERATOR_S, &v);
			o->operator_timeout_ms = v * 1000u;
		} else if (!strcmp(opt, "-halt-timeout")) {
			e = parse_bounded(interp, argv[++i], "-halt-timeout", 1, ATTACH_MAX_HALT_MS, &v);
			o->halt_timeout_ms = v;
		} else {
			e = parse_family(argv[++i], &o->family);
		}
		if (e)
			return e;
	}
	return UB_OK;
}

static Jim_Obj *result_dict(Jim_Interp *interp, const ub_attach_result *r)
{
	Jim_Obj *d = Jim_NewListObj(interp, NULL, 0);

	ub_dict_add(interp, d, "strategy", Jim_NewStringObj(interp, ub_attach_name(r->strategy), -1));
	ub_dict_add(interp, d, "core_ap", Jim_NewIntObj(interp, r->core_ap.num));
	ub_dict_add(interp, d, "idcode", ub_hex_obj(interp, r->idcode));
	ub_dict_add(interp, d, "halted", Jim_NewIntObj(interp, r->halted));
	ub_dict_add(interp, d, "pc", ub_hex_obj(interp, r->pc));
	ub_dict_add(interp, d, "dhcsr", ub_hex_obj(interp, r->dhcsr));
	ub_dict_add(interp, d, "power_cycled", Jim_NewIntObj(interp, r->power_cycled));
	ub_dict_add(interp, d, "in_bootloader", Jim_NewIntObj(interp, r->in_bootloader));
	return d;
}

static int cmd_attach(Jim_Interp *interp, ocd_bridge *b, int argc, Jim_Obj *const *argv)
{
	ub_attach_opts o = { &ub_family_stm32h7, ATTACH_DEFAULT_OPERATOR_S * 1000u, ATTACH_DEFAULT_HALT_MS, true, false };
	ub_attach_strategy s = UB_ATTACH_NORMAL;
	ub_attach_result r;
	ub_err e = parse_strategy(argv[0], &s);

	if (!e)
		e = parse_options(interp, argc - 1, argv + 1, &o);
	if (!e)
		e = ub_attach(b, s, &o, &r);
	if (e)
		return ub_tcl_status(interp, e);
	Jim_SetResult(interp, result_dict(interp, &r));
	return JIM_OK;
}

static const ub_subcmd attach_subcmds[] = {
	{ "attach", NULL, "STRATEGY ?-timeout S? ?-halt-timeout MS? ?-nohalt? ?-single-bank? ?-family stm32h7|stm32h5?",
	  1, 9, cmd_attach },
};

const ub_cmd_table ub_attach_commands = { attach_subcmds, sizeof(attach_subcmds) / sizeof(attach_subcmds[0]) };
