/*
 * A halted Cortex-M core driven through its MEM-AP: core registers through
 * DCRSR/DCRDR and run/halt through DHCSR (Armv7-M C1.6, Armv8-M D1.2; facts
 * C).  Used to run code a flash driver loaded (src/flash/nor/stm32h7x_loader.c).
 */
#ifndef STM32UNBRICK_CORTEXM_H
#define STM32UNBRICK_CORTEXM_H

#include <stdbool.h>
#include <stdint.h>

#include "ocd_bridge.h"

#define CM_DHCSR            0xE000EDF0u
#define CM_DCRSR            0xE000EDF4u
#define CM_DCRDR            0xE000EDF8u
#define CM_DEMCR            0xE000EDFCu
#define DHCSR_DBGKEY        0xA05F0000u
#define DHCSR_C_DEBUGEN     (1u << 0)
#define DHCSR_C_HALT        (1u << 1)
#define DHCSR_C_MASKINTS    (1u << 3)
#define DHCSR_S_REGRDY      (1u << 16)
#define DHCSR_S_HALT        (1u << 17)
#define DHCSR_S_SLEEP       (1u << 18)
#define DHCSR_S_LOCKUP      (1u << 19)
#define DHCSR_S_RESET_ST    (1u << 25)
#define DEMCR_VC_CORERESET  (1u << 0)
#define DEMCR_VC_HARDERR    (1u << 10)
#define DCRSR_REGWNR        (1u << 16)
#define DCRSR_REGSEL_SP     13u
#define DCRSR_REGSEL_PC     15u     /* DebugReturnAddress */
#define DCRSR_REGSEL_XPSR   16u
#define XPSR_T              (1u << 24)

/* A register transfer takes a few core cycles; DHCSR.S_REGRDY is waited for this long. */
#define CM_REGRDY_MS        100u

/* Writes a core register of a halted core and reads it back: UB_ERR_VERIFY when it differs. */
ub_err cm_reg_write(ocd_bridge *b, ub_ap ap, unsigned regsel, uint32_t value);
ub_err cm_reg_read(ocd_bridge *b, ub_ap ap, unsigned regsel, uint32_t *value);
/* Resumes a halted core with interrupts masked (C_MASKINTS, set while still halted). */
ub_err cm_run_masked(ocd_bridge *b, ub_ap ap);
/* Requests a halt and waits for S_HALT (bounded); `dhcsr` (may be NULL) gets the last read. */
ub_err cm_halt(ocd_bridge *b, ub_ap ap, unsigned timeout_ms, uint32_t *dhcsr);

#endif
