/*
 * The fixture of test_attach.c: a fake OpenOCD with the chip model of fake_attach_chip.h and the
 * module loaded, and the assertions its tests share on what the module logged and which OpenOCD
 * commands it called.  Include after cmocka.h, fake_openocd.h and fake_attach_chip.h.
 */
#ifndef STM32UNBRICK_ATTACH_FIXTURE_H
#define STM32UNBRICK_ATTACH_FIXTURE_H

int Jim_stm32unbrickInit(Jim_Interp *interp);

typedef struct fixture {
	Jim_Interp *interp;
	ocd_bridge *b;
} fixture;

static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->interp = fake_openocd_new();
	fake_eval(fx->interp, chip_model);
	assert_int_equal(Jim_stm32unbrickInit(fx->interp), JIM_OK);
	fx->b = Jim_GetAssocData(fx->interp, "stm32unbrick");
	assert_non_null(fx->b);
	fake_eval(fx->interp, "stm32unbrick bridge -dap x.dap -memap {0 x.ap0 2 x.ap2}");
	fake_eval(fx->interp, "set ::calls {}; set ::echoed {}");
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;

	Jim_FreeInterp(fx->interp);
	free(fx);
	return 0;
}

static void assert_contains(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("'%s' does not contain '%s'", text, needle);
}

static long tcl_long(fixture *fx, const char *script)
{
	return fake_eval_long(fx->interp, script);
}

static const char *tcl_string(fixture *fx, const char *script)
{
	return Jim_String(fake_eval(fx->interp, script));
}

static ub_attach_opts opts(const ub_family *f)
{
	ub_attach_opts o = { f, 2000, 200, true };

	return o;
}

/* Position of the first echoed line containing `needle` (from `from`), failing the test if none. */
static long echo_index(fixture *fx, const char *needle, long from)
{
	char script[200];
	long i;

	Jim_SetVariableStrWithStr(fx->interp, "::m_arg", needle);
	snprintf(script, sizeof(script),
		 "set r -1; for {set i %ld} {$i < [llength $::echoed]} {incr i} "
		 "{ if {[string first $::m_arg [lindex $::echoed $i]] >= 0} { set r $i; break } }; set r",
		 from);
	i = tcl_long(fx, script);
	if (i < 0)
		fail_msg("no log line contains '%s' (after line %ld); log:\n%s", needle, from,
			 tcl_string(fx, "join $::echoed \\n"));
	return i;
}

/* The steps logged their lines in this order. */
static void assert_step_order(fixture *fx, const char *strategy, const char *const *steps, size_t n)
{
	char needle[96];
	long at = 0;

	for (size_t i = 0; i < n; i++) {
		snprintf(needle, sizeof(needle), "attach %s: %s: ", strategy, steps[i]);
		at = echo_index(fx, needle, at) + 1;
	}
}

/* Index of the first recorded OpenOCD call starting with `prefix` (after `from`), or fail. */
static long call_index(fixture *fx, const char *prefix, long from)
{
	char script[64];
	long i;

	/* Through a variable: prefixes may hold braces and brackets. */
	Jim_SetVariableStrWithStr(fx->interp, "::m_arg", prefix);
	snprintf(script, sizeof(script), "m_find $::m_arg %ld", from);
	i = tcl_long(fx, script);
	if (i < 0)
		fail_msg("no OpenOCD call '%s...' after call %ld; calls:\n%s", prefix, from,
			 tcl_string(fx, "join $::calls \\n"));
	return i;
}

static long call_count(fixture *fx, const char *prefix)
{
	Jim_SetVariableStrWithStr(fx->interp, "::m_arg", prefix);
	return tcl_long(fx, "m_count $::m_arg");
}

#endif
