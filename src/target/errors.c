/*
 * Error codes and the message of the most recent failure.
 *
 * The message is kept in one static buffer: OpenOCD runs every Tcl command on
 * its main thread (and the unit tests are single-threaded), so "the last
 * failure" is well defined.  Callers format the whole message themselves
 * (operation, access port, address, what OpenOCD said) so that it can be handed
 * to Tcl unchanged.
 */
#include "errors.h"

#include <stdarg.h>
#include <stdio.h>

/* Long enough for an operation, an address and a quoted line of OpenOCD output. */
#define UB_ERROR_MSG_MAX 512

static char last_error[UB_ERROR_MSG_MAX];

static const char *const err_names[UB_ERR__COUNT] = {
	[UB_OK] = "UB_OK",
	[UB_ERR_ARG] = "UB_ERR_ARG",
	[UB_ERR_NOT_CONFIGURED] = "UB_ERR_NOT_CONFIGURED",
	[UB_ERR_DP] = "UB_ERR_DP",
	[UB_ERR_AP] = "UB_ERR_AP",
	[UB_ERR_MEM_READ] = "UB_ERR_MEM_READ",
	[UB_ERR_MEM_WRITE] = "UB_ERR_MEM_WRITE",
	[UB_ERR_RESET] = "UB_ERR_RESET",
	[UB_ERR_PARSE] = "UB_ERR_PARSE",
	[UB_ERR_TIMEOUT] = "UB_ERR_TIMEOUT",
	[UB_ERR_VERIFY] = "UB_ERR_VERIFY",
	[UB_ERR_NOMEM] = "UB_ERR_NOMEM",
	[UB_ERR_UNSUPPORTED] = "UB_ERR_UNSUPPORTED",
	[UB_ERR_REFUSED] = "UB_ERR_REFUSED",
	[UB_ERR_IO] = "UB_ERR_IO",
};

const char *ub_err_name(ub_err e)
{
	/* An out-of-range value is itself a bug worth seeing, not a crash. */
	if ((unsigned)e >= UB_ERR__COUNT || !err_names[e])
		return "UB_ERR_<invalid>";
	return err_names[e];
}

ub_err ub_fail(ub_err e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	/* vsnprintf truncates safely; a cut message is better than none. */
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return e;
}

const char *ub_last_error(void)
{
	return last_error;
}

void ub_clear_error(void)
{
	last_error[0] = '\0';
}
