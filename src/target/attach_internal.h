/*
 * Shared between the attach strategies (attach.c) and the steps they are made of (attach_steps.c).
 * Not part of the contract in attach.h.
 */
#ifndef STM32UNBRICK_ATTACH_INTERNAL_H
#define STM32UNBRICK_ATTACH_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "attach.h"
#include "cortexm.h"

/* ADIv5 DP registers and CTRL/STAT bits (facts C). */
#define DP_DPIDR            0x00u
#define MEM_AP_IDR          0xFCu
#define DP_CTRL_STAT        0x04u
#define CS_ORUNDETECT       (1u << 0)
#define CS_STICKYORUN       (1u << 1)
#define CS_STICKYCMP        (1u << 4)
#define CS_STICKYERR        (1u << 5)
#define CS_CDBGPWRUPREQ     (1u << 28)
#define CS_CDBGPWRUPACK     (1u << 29)
#define CS_CSYSPWRUPREQ     (1u << 30)
#define CS_CSYSPWRUPACK     (1u << 31)

/* Armv7-M / Armv8-M debug registers on the core's PPB (facts C): cortexm.h. */

/* Bounds of the waits that no operator is part of. */
#define ATTACH_DP_POWERUP_MS   200u  /* CDBGPWRUPACK/CSYSPWRUPACK: microseconds on silicon */

typedef struct attach_ctx {
	ocd_bridge *b;
	const ub_attach_opts *o;
	const ub_family *f;
	ub_attach_result *r;
	ub_attach_strategy s;
	const char *strategy;       /* ub_attach_name(s) */
	const char *step;           /* the step now running, for log lines and messages */
	ub_ap core_ap;
	bool srst_held;             /* we asserted NRST and have not released it yet */
	bool dp_answered_before;    /* DebugPortProbe: the DP answered before the operator acted */
	uint32_t dpidr_before;      /* ... with this DPIDR */
	uint64_t operator_start_ms; /* when the operator was asked */
} attach_ctx;

typedef ub_err attach_step_fn(attach_ctx *c);

typedef struct attach_step {
	const char *name;
	attach_step_fn *fn;
} attach_step;

/* "attach <strategy>: <step>: ..." through OpenOCD's log. */
void attach_log(attach_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Fail with a message prefixed "attach <strategy>: <step>: ". */
ub_err attach_fail(attach_ctx *c, ub_err e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A callee failed with `e` and left its own message: prefix the step and what was being done. */
ub_err attach_wrap(attach_ctx *c, ub_err e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The steps (attach_steps.c), named after the CMSIS-Pack debug sequences where one exists. */
attach_step_fn step_poll_off;            /* BackgroundPollOff */
attach_step_fn step_reset_assert;        /* ResetHardwareAssert */
attach_step_fn step_reset_deassert;      /* ResetHardwareDeassert */
attach_step_fn step_dp_reconnect;        /* DebugPortReconnect: OpenOCD re-scans and reconnects */
attach_step_fn step_dp_probe;            /* DebugPortProbe: does the DP answer before the operator acts? */
attach_step_fn step_dp_start;            /* DebugPortStart */
attach_step_fn step_core_ap_check;       /* CoreApCheck: the core's AP exists (IDR != 0) */
attach_step_fn step_device_unlock;       /* DebugDeviceUnlock (family hook) */
attach_step_fn step_read_idcode;         /* ReadIdcode: DBGMCU_IDCODE through the debug AP */
attach_step_fn step_dbgmcu_keep_alive;   /* DbgmcuKeepAlive */
attach_step_fn step_core_start;          /* DebugCoreStart: C_DEBUGEN */
attach_step_fn step_core_start_halt;     /* DebugCoreStart under NRST: C_DEBUGEN | C_HALT */
attach_step_fn step_core_halt;           /* CoreHalt */
attach_step_fn step_core_stop;           /* DebugCoreStop: C_DEBUGEN and C_HALT cleared, the core runs */
attach_step_fn step_flash_idle_wait;     /* FlashIdleWait (attach_flash.c): nothing for NRST to cut short */
attach_step_fn step_reset_catch_set;     /* ResetCatchSet */
attach_step_fn step_reset_catch_clear;   /* ResetCatchClear */
attach_step_fn step_core_wait_halt;      /* CoreWaitHalt: the reset catch halted the core */
attach_step_fn step_core_state;          /* CoreState: DHCSR, PC when halted */
attach_step_fn step_core_peek;           /* CoreState for hot-plug: never fails the attach */
attach_step_fn step_ask_power_cycle;     /* OperatorAction: power-cycle with NRST held */
attach_step_fn step_ask_boot0;           /* OperatorAction: BOOT0 high and power-cycle */
attach_step_fn step_wait_power_loss;     /* WaitPowerLoss */
attach_step_fn step_wait_power_return;   /* WaitPowerReturn */

#endif
