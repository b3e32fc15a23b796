/*
 * Armv7-M debug as a debugger sees it through the core's AHB-AP (facts C):
 * the PPB window 0xE0000000..0xE00FFFFF with the SCS (CPUID, AIRCR, DFSR,
 * DHCSR, DCRSR, DCRDR, DEMCR, fault status, CPACR, FP feature registers),
 * DWT, FPB, ITM, the Cortex-M7 PPB ROM table (0xE00FF000), the MCU ROM table
 * (0xE00FE000) and the ETM/CTI it lists; plus the core's register file and
 * its debug state (running, halted, sleeping, locked up, held in reset).
 *
 * Reset domains (Armv7-M C1.4 / B1.5.4 "Reset behavior"): a power-on reset
 * resets everything; a local (system) reset resets the core and the SCS
 * system registers but not the debug logic: DHCSR control bits, DEMCR,
 * FPB, DWT and ITM keep their values across NRST and SYSRESETREQ.  This is
 * what "connect under reset" relies on: a debugger can set C_DEBUGEN and
 * DEMCR.VC_CORERESET while NRST is held and the core halts on the first
 * instruction after release.
 *
 * Two cores are modelled, told apart by the CPUID part number (facts C):
 * the Cortex-M7 (FPv5 double precision, FPBv2 with 8 code comparators) and
 * the Cortex-M4 of the dual-core H745/H747/H755/H757 (0x410FC241: FPv4
 * single precision, FPBv1 with 6 code and 2 literal comparators that only
 * cover the code region 0x00000000..0x1FFFFFFF).  The MVFR0/MVFR1 values
 * are the ones OpenOCD 0.12's cortex_m_examine compares against to report
 * FPv5-DP (M7) and FPv4-SP (M4).
 *
 * Armv8-M Mainline (the Cortex-M33 of the STM32H5, CPUID part number 0xD21)
 * adds, in cortexm_v8m.c: DSCSR, DAUTHSTATUS, DHCSR.S_SDE, the banked stack
 * pointers, stack limits and special registers of the two Security states
 * (DCRSR REGSEL 0x18..0x1F, 0x22, 0x23), the M33's ID registers and
 * CoreSight identities, and the rule that the PE cannot enter Debug state
 * while it runs in Secure state with secure debug disabled (a halt request
 * stays pending, a reset vector catch is not taken).  The chip tells the
 * block the PE's Security state and whether secure debug is allowed
 * (cortexm_dbg_set_security): the authentication interface of the silicon.
 *
 * The block knows nothing about what the core executes: the execution model
 * (core_h7.c) tells it when the core leaves reset, retires instructions,
 * sleeps or locks up, and it calls back for SYSRESETREQ, VECTRESET and C_STEP.
 */
#ifndef STM32SIM_CORTEXM_DBG_H
#define STM32SIM_CORTEXM_DBG_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "coresight_id.h"
#include "sim_common.h"

#define CM_PPB_BASE 0xE0000000u
#define CM_PPB_END  0xE00FFFFFu
#define CM_MCU_ROM_BASE 0xE00FE000u

#define CM_DHCSR 0xE000EDF0u
#define CM_DCRSR 0xE000EDF4u
#define CM_DCRDR 0xE000EDF8u
#define CM_DEMCR 0xE000EDFCu
#define CM_AIRCR 0xE000ED0Cu
#define CM_DFSR  0xE000ED30u
#define CM_DSCSR 0xE000EE08u       /* Armv8-M */
#define CM_DAUTHSTATUS 0xE000EFB8u /* Armv8-M */

#define CM_DBGKEY       0xA05F0000u
#define CM_C_DEBUGEN    (1u << 0)
#define CM_C_HALT       (1u << 1)
#define CM_C_STEP       (1u << 2)
#define CM_C_MASKINTS   (1u << 3)
#define CM_S_REGRDY     (1u << 16)
#define CM_S_HALT       (1u << 17)
#define CM_S_SLEEP      (1u << 18)
#define CM_S_LOCKUP     (1u << 19)
#define CM_S_SDE        (1u << 20) /* Armv8-M: secure debug enabled */
#define CM_S_RETIRE_ST  (1u << 24)
#define CM_S_RESET_ST   (1u << 25)

#define CM_DEMCR_VC_CORERESET (1u << 0)
#define CM_DEMCR_VC_HARDERR   (1u << 10)
#define CM_DEMCR_TRCENA       (1u << 24)

#define CM_DFSR_HALTED   (1u << 0)
#define CM_DFSR_BKPT     (1u << 1)
#define CM_DFSR_DWTTRAP  (1u << 2)
#define CM_DFSR_VCATCH   (1u << 3)
#define CM_DFSR_EXTERNAL (1u << 4)

/* DSCSR (Armv8-M, facts C) */
#define CM_DSCSR_SBRSELEN (1u << 0)
#define CM_DSCSR_SBRSEL   (1u << 1)
#define CM_DSCSR_CDS      (1u << 16)
#define CM_DSCSR_CDSKEY   (1u << 17)

/* Register numbers as DCRSR.REGSEL encodes them. */
enum {
	CM_REG_R0 = 0, CM_REG_SP = 13, CM_REG_LR = 14, CM_REG_PC = 15, CM_REG_XPSR = 16,
	CM_REG_MSP = 17, CM_REG_PSP = 18, CM_REG_SPECIAL = 0x14, CM_REG_FPSCR = 0x21,
	CM_REG_S0 = 0x40, CM_REG_S31 = 0x5F,
	/* Armv8-M (facts C) */
	CM_REG_MSP_NS = 0x18, CM_REG_PSP_NS = 0x19, CM_REG_MSP_S = 0x1A, CM_REG_PSP_S = 0x1B,
	CM_REG_MSPLIM_S = 0x1C, CM_REG_PSPLIM_S = 0x1D, CM_REG_MSPLIM_NS = 0x1E, CM_REG_PSPLIM_NS = 0x1F,
	CM_REG_SPECIAL_S = 0x22, CM_REG_SPECIAL_NS = 0x23,
};

typedef enum cm_state {
	CM_STATE_RESET,    /* held in reset (NRST low, or power just applied) */
	CM_STATE_RUNNING,
	CM_STATE_SLEEPING, /* WFI / low-power entry: S_SLEEP */
	CM_STATE_LOCKUP,   /* unrecoverable exception: S_LOCKUP */
	CM_STATE_HALTED,   /* debug state: S_HALT */
} cm_state;

#define CM_CPUID_PARTNO(cpuid) (((cpuid) >> 4) & 0xFFFu)
#define CM_PARTNO_CORTEX_M4 0xC24u
#define CM_PARTNO_CORTEX_M7 0xC27u
#define CM_PARTNO_CORTEX_M33 0xD21u

typedef struct cortexm_dbg_config {
	uint32_t cpuid;       /* 0x411FC271 Cortex-M7 r1p1 (H74x/H75x), 0x410FC241 Cortex-M4 r0p1 */
	uint16_t mcu_partno;  /* MCU ROM table part number: the DEV_ID */
} cortexm_dbg_config;

typedef struct cortexm_dbg_hooks {
	void (*sysresetreq)(void *ctx); /* AIRCR.SYSRESETREQ: system reset of the whole chip */
	void (*vectreset)(void *ctx);   /* AIRCR.VECTRESET: local reset of the core only */
	void (*step)(void *ctx);        /* C_STEP: execute one instruction, the core is RUNNING meanwhile */
	void *ctx;
} cortexm_dbg_hooks;

#define CM_FPB_CODE_COMPARATORS 8 /* "8 code (BP) slots and 0 literal slots" on H753 (facts A.1 source) */
/* FPB comparator registers FP_COMP0..7: 8 code on the M7; 6 code + 2 literal on the M4 (Armv7-M FPBv1). */
#define CM_FPB_COMPARATOR_REGS 8
#define CM_FPB_V1_CODE_COMPARATORS 6
#define CM_DWT_COMPARATORS 4
#define CM_SCS_WORDS (0x1000u / 4u)

typedef struct cortexm_dbg {
	cortexm_dbg_config cfg;
	cortexm_dbg_hooks hooks;
	bool m4;               /* Cortex-M4 (FPv4-SP, FPBv1), from the CPUID part number */
	bool v8m;              /* Armv8-M Mainline (Cortex-M33), from the CPUID part number */
	cs_ident scs_id;       /* the SCS's identification */
	cm_state state;
	/* DHCSR */
	uint32_t dhcsr_ctrl;   /* C_DEBUGEN, C_HALT, C_STEP, C_MASKINTS */
	bool regrdy;
	bool retire_st;        /* sticky, cleared on read */
	bool reset_st;         /* sticky, cleared on read */
	uint32_t demcr, dfsr, dcrdr;
	/* register file */
	uint32_t r[13];
	uint32_t lr, pc, xpsr, msp, psp, special, fpscr;
	uint32_t s[32];
	/* SCS system registers */
	uint32_t aircr_prigroup, vtor, shcsr, cfsr, hfsr, mmfar, bfar, cpacr, fpccr, fpcar, fpdscr, ccr;
	uint32_t scs_plain[CM_SCS_WORDS]; /* SCS words without modelled behaviour */
	bool scs_plain_logged;
	/*
	 * FPB, DWT, ITM: registers are stored in these components.  FPB code
	 * comparators match the PC the execution model fetches from
	 * (cortexm_dbg_breakpoint_at); DWT watchpoints and trace output need
	 * decoded instructions and are not modelled (reported as unimplemented).
	 */
	bool fpb_enable;
	uint32_t fpb_comp_on;  /* comparators with their enable bit set: none, no lookup per instruction */
	uint32_t dwt_cyccnt;
	cs_plain fpb, dwt, itm, etm, cti;
	/* Armv8-M Security Extension (cortexm_v8m.c); Non-secure only without it. */
	bool security_ext;     /* implemented (cortexm_dbg_set_security_extension) */
	bool debug_enabled;    /* invasive debug allowed at all (the chip's authentication interface) */
	bool secure_debug;     /* DHCSR.S_SDE: Secure invasive debug allowed */
	bool cds;              /* DSCSR.CDS: the PE is in Secure state */
	uint32_t dscsr_sbr;    /* DSCSR.SBRSELEN and SBRSEL as written */
	uint32_t other_msp, other_psp, other_special; /* the other Security state's copies */
	uint32_t msplim[2], psplim[2];                /* [0] Non-secure, [1] Secure */
} cortexm_dbg;

/* Shared by cortexm_dbg.c (core debug) and cortexm_ppb.c (PPB decode); not for other blocks. */
sim_bus_result cortexm_scs_debug_read(cortexm_dbg *d, uint32_t addr, uint32_t *value);
bool cortexm_scs_debug_write(cortexm_dbg *d, uint32_t addr, uint32_t value);
/* cortexm_v8m.c, for cortexm_dbg.c and cortexm_ppb.c; not for other blocks. */
void cortexm_v8m_init(cortexm_dbg *d);
void cortexm_v8m_power_on(cortexm_dbg *d);
void cortexm_v8m_leave_reset(cortexm_dbg *d);
bool cortexm_v8m_regsel_valid(const cortexm_dbg *d, uint32_t regsel);
/* Registers whose access depends on the Security state (SP, MSP, PSP, 0x18..0x1F, 0x22, 0x23). */
bool cortexm_v8m_reg_get(cortexm_dbg *d, uint32_t regsel, uint32_t *value);
bool cortexm_v8m_reg_set(cortexm_dbg *d, uint32_t regsel, uint32_t value);
uint32_t cortexm_v8m_dhcsr_status(const cortexm_dbg *d);
uint32_t cortexm_v8m_dscsr(const cortexm_dbg *d);
/* SCS words of Armv8-M (DSCSR, DAUTHSTATUS, ID registers, MVFRx); false: not one of them. */
bool cortexm_v8m_scs_read(cortexm_dbg *d, uint32_t off, uint32_t *value);
bool cortexm_v8m_scs_write(cortexm_dbg *d, uint32_t off, uint32_t value);

void cortexm_dbg_init(cortexm_dbg *d, const cortexm_dbg_config *cfg, const cortexm_dbg_hooks *hooks);
/* Power-on reset: debug logic included.  The core is left held in reset. */
void cortexm_dbg_power_on(cortexm_dbg *d);
/* A local reset starts (NRST asserted, SYSRESETREQ, VECTRESET): core held in reset, S_RESET_ST set. */
void cortexm_dbg_enter_reset(cortexm_dbg *d);
/*
 * The reset sequence fetched SP and PC from the vector table at `vtor`.  The
 * core halts before its first instruction when C_DEBUGEN is set together with
 * C_HALT or DEMCR.VC_CORERESET (DFSR.VCATCH for the latter); otherwise it runs.
 */
void cortexm_dbg_leave_reset(cortexm_dbg *d, uint32_t vtor, uint32_t sp, uint32_t pc);
/* The execution model retired `n` instructions (S_RETIRE_ST, DWT_CYCCNT). */
void cortexm_dbg_retired(cortexm_dbg *d, uint64_t n);
/* Lockup at `pc` in the HardFault handler with the given fault status. */
void cortexm_dbg_lockup(cortexm_dbg *d, uint32_t pc, uint32_t cfsr, uint32_t hfsr);
void cortexm_dbg_sleep(cortexm_dbg *d);
/* Debug halt request from outside the DHCSR (C_STEP completion). */
void cortexm_dbg_halt(cortexm_dbg *d, uint32_t dfsr_reason);
/*
 * Armv8-M: the PE's Security state (DSCSR.CDS), whether invasive debug is
 * allowed at all (DAUTHSTATUS.NSID) and whether Secure invasive debug is
 * (DHCSR.S_SDE, DAUTHSTATUS.SID).  Called by the chip before it releases the
 * core from reset and whenever one changes; a pending C_HALT that was held
 * off takes effect once halting is allowed.  Ignored on Armv7-M; the secure
 * part is ignored without the Security Extension.
 */
void cortexm_dbg_set_security(cortexm_dbg *d, bool secure_state, bool debug_enabled, bool secure_debug);
/* Armv8-M: the core implements the Security Extension (TrustZone).  Once, after init. */
void cortexm_dbg_set_security_extension(cortexm_dbg *d, bool present);
/* May the PE enter Debug state now?  Not in Secure state with secure debug disabled (Armv8-M). */
bool cortexm_dbg_halt_allowed(const cortexm_dbg *d);

static inline bool cortexm_dbg_running(const cortexm_dbg *d)
{
	return d->state == CM_STATE_RUNNING;
}

/* The PPB window, any access size (sub-word accesses use the lanes of the word). */
sim_bus_result cortexm_dbg_read(cortexm_dbg *d, uint32_t addr, unsigned size, uint32_t *value);
sim_bus_result cortexm_dbg_write(cortexm_dbg *d, uint32_t addr, unsigned size, uint32_t value);

/*
 * FPB (FPBv2 as on the M7): does an enabled code comparator match the
 * instruction address `pc`?  The execution model asks before it fetches.
 */
bool cortexm_dbg_breakpoint_at(cortexm_dbg *d, uint32_t pc);

/* DHCSR as a read would return it, without clearing the sticky bits. */
uint32_t cortexm_dbg_dhcsr_peek(const cortexm_dbg *d);
const char *cortexm_dbg_state_name(cm_state s);
void cortexm_dbg_write_json(const cortexm_dbg *d, json_out *j);
/* The same object under another name ("cortex_m4" for the second core of a dual-core part). */
void cortexm_dbg_write_json_as(const cortexm_dbg *d, const char *key, json_out *j);

#endif
