/*
 * Waiting for an STM32H5 debug-authentication regression to finish (da_regression.c), for
 * `stm32unbrick da regress` (da_cmd.c).
 */
#ifndef STM32UNBRICK_DA_REGRESSION_H
#define STM32UNBRICK_DA_REGRESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "adac_mailbox.h"

/* What was seen before the authentication response, to recognise the regression's end. */
typedef struct da_regression_watch {
	uint32_t sr_before;   /* DBGMCU_SR during the session */
	bool reset_armed;     /* DHCSR.S_RESET_ST was read (so cleared) through AP1 during the session */
} da_regression_watch;

/* During the session, before the authentication response: DBGMCU_SR, and when AP1 answers, one
 * DHCSR read through it that clears S_RESET_ST.  Fails only when DBGMCU_SR cannot be read. */
ub_err da_regression_arm(ub_mailbox *m, da_regression_watch *w);

/* After a successful authentication: wait (bounded by timeout_ms, progress lines against
 * expect_ms) until AP1 is back after the regression's reset, then reconnect OpenOCD's DAP and
 * targets.  *took is the wait in ms. */
ub_err da_regression_reconnect(ub_mailbox *m, const da_regression_watch *w, unsigned timeout_ms,
			       unsigned expect_ms, uint64_t *took);

#endif
