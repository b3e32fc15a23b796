/*
 * One error code per cause, shared by every layer of the module.  A failing
 * call also leaves a message (see ub_last_error()) naming the operation, the
 * access port, the address and what was read, e.g.
 * "mem read AP0 0x5c001000: OpenOCD: read_memory: failed to read memory".
 */
#ifndef STM32UNBRICK_ERRORS_H
#define STM32UNBRICK_ERRORS_H

#include <stddef.h>

typedef enum ub_err {
	UB_OK = 0,
	UB_ERR_ARG,          /* bad argument from the caller (programming or user error) */
	UB_ERR_NOT_CONFIGURED, /* the bridge has no DAP / no mem_ap target for that AP */
	UB_ERR_DP,           /* a DP register access failed */
	UB_ERR_AP,           /* an AP register access failed */
	UB_ERR_MEM_READ,     /* a MEM-AP read failed (bus fault, AP disabled, no answer) */
	UB_ERR_MEM_WRITE,    /* a MEM-AP write failed */
	UB_ERR_RESET,        /* asserting/deasserting SRST failed */
	UB_ERR_PARSE,        /* OpenOCD answered something we could not parse */
	UB_ERR_TIMEOUT,      /* a bounded wait ran out */
	UB_ERR_VERIFY,       /* a read-back did not match what was written */
	UB_ERR_NOMEM,
	UB_ERR_UNSUPPORTED,  /* the chip or adapter cannot do this */
	UB_ERR_REFUSED,      /* a safety rule refused the operation */
	UB_ERR_IO,           /* a local file (backup, image, report) could not be read or written */
	UB_ERR__COUNT
} ub_err;

const char *ub_err_name(ub_err e);
/* Record a message for the current failure and return `e` (printf-style). */
ub_err ub_fail(ub_err e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *ub_last_error(void);
void ub_clear_error(void);

#endif
