/*
 * Attach strategies: how the tool gets a debug connection to a chip that may
 * not want one.  Steps are named after the CMSIS-Pack debug sequences
 * (DebugPortStart, ResetHardwareAssert, ResetCatchSet, ...); a strategy is a
 * fixed order of steps, and each step prints one log line through OpenOCD.
 * The family descriptor carries what differs between STM32H7 and STM32H5
 * (which AP reaches the core, where DBGMCU sits, which bits keep debug alive
 * in low-power modes); default step bodies use it, so a family extends the
 * table instead of copying code.
 *
 * Facts: ../shared/facts/stm32-facts.md A.1 (what answers under NRST), A.5
 * (supply lockout: only a power cycle clears PWR_CR3), A.6 (BCM7 = 0: only
 * the Cortex-M4 on AP3 answers), C (DHCSR/DEMCR/AIRCR).
 */
#ifndef STM32UNBRICK_ATTACH_H
#define STM32UNBRICK_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ocd_bridge.h"

typedef enum ub_attach_strategy {
	UB_ATTACH_NORMAL,       /* DebugPortStart, halt the running core */
	UB_ATTACH_HOT_PLUG,     /* DebugPortStart only: read, never halt or reset */
	UB_ATTACH_UNDER_RESET,  /* NRST held; DBGMCU + ResetCatchSet; release; halted before the first instruction */
	UB_ATTACH_POWER_CYCLE,  /* NRST held, operator power-cycles; loss and return seen on the DP; then under reset */
	UB_ATTACH_BOOT0,        /* operator sets BOOT0 high and power-cycles; attach to the system bootloader */
	UB_ATTACH_AP_FALLBACK,  /* the Cortex-M7's AP is gated (BCM7 = 0): attach through AP3 (Cortex-M4) */
	UB_ATTACH_RELEASE,      /* the opposite: no reset catch, no halting debug, NRST pulsed: firmware runs */
	UB_ATTACH__COUNT
} ub_attach_strategy;

const char *ub_attach_name(ub_attach_strategy s);      /* "normal", "hot-plug", "under-reset", ... */
int ub_attach_from_name(const char *name);             /* -1 when unknown */

/* What differs between families (one const table row per family). */
/* A flash status register and the bits that are set while the flash erases, programs or changes
 * option bytes: a reset then would leave it half done (corrupt sectors, ECC errors, RDP 0xBB). */
typedef struct ub_flash_busy_reg {
	const char *name;
	uint32_t addr;        /* through the core's AP (the system bus) */
	uint32_t mask;
	bool second_bank;     /* skipped with ub_attach_opts.single_bank */
} ub_flash_busy_reg;

#define UB_FLASH_BUSY_REGS 3u

typedef struct ub_family {
	const char *name;          /* "stm32h7", "stm32h5" */
	ub_ap core_ap;             /* AP of the main core (H7: 0, H5: 1) */
	ub_ap alt_core_ap;         /* second core's AP or the same as core_ap (H7 dual core: 3) */
	ub_ap dbg_ap;              /* AP that answers under NRST (H7: 2 APB-AP, H5: 0) */
	uint32_t dbgmcu_idcode;    /* DBGMCU_IDCODE as seen through dbg_ap */
	uint32_t dbgmcu_cr;        /* DBGMCU_CR as seen through dbg_ap */
	uint32_t dbgmcu_cr_keep;   /* bits that keep debug alive in Sleep/Stop/Standby + debug clocks */
	uint32_t sysmem_base;      /* system memory (bootloader) start */
	uint32_t sysmem_end;       /* last byte */
	/* DebugDeviceUnlock: what must happen before the core's AP can be used (NULL: nothing, as on
	 * STM32H7).  Returns a one-line note for the step's log line in `note`. */
	ub_err (*debug_device_unlock)(ocd_bridge *b, const struct ub_family *f, ub_ap core_ap, char *note,
				      size_t note_len);
	/* FlashIdleWait: what must read idle before we pull NRST (unused entries have no name) ... */
	ub_flash_busy_reg flash_busy[UB_FLASH_BUSY_REGS];
	unsigned flash_idle_timeout_ms; /* ... and how long the longest operation may take */
} ub_family;

extern const ub_family ub_family_stm32h7;
extern const ub_family ub_family_stm32h5;

typedef struct ub_attach_opts {
	const ub_family *family;
	unsigned operator_timeout_ms; /* bound for an operator step (power cycle, BOOT0) */
	unsigned halt_timeout_ms;     /* bound for a core to report S_HALT */
	bool halt;                    /* halt the core at the end (not for hot-plug) */
	bool single_bank;             /* the part has one flash bank: FlashIdleWait skips the second's status */
} ub_attach_opts;

typedef struct ub_attach_result {
	ub_attach_strategy strategy;
	ub_ap core_ap;        /* the AP the core answered on */
	uint32_t idcode;      /* DBGMCU_IDCODE read during the attach */
	bool halted;
	uint32_t pc;          /* when halted */
	uint32_t dhcsr;       /* last DHCSR read */
	bool power_cycled;    /* a power loss and return were seen */
	bool in_bootloader;   /* pc inside system memory */
} ub_attach_result;

/* Run one strategy.  On failure the message names the step that failed. */
ub_err ub_attach(ocd_bridge *b, ub_attach_strategy s, const ub_attach_opts *o, ub_attach_result *r);

#endif
