/*
 * Armv7-M core debug: debug state machine, DHCSR/DCRSR/DCRDR/DEMCR, AIRCR,
 * DFSR and the register file (see cortexm_dbg.h; facts C).  The rest of the
 * PPB (SCS system registers, FPB, DWT, ITM, ROM tables) is in cortexm_ppb.c.
 */
#include "cortexm_dbg.h"

#include <string.h>

#define DHCSR_CTRL_MASK (CM_C_DEBUGEN | CM_C_HALT | CM_C_STEP | CM_C_MASKINTS)
/* DEMCR: VC_CORERESET, VC_MMERR..VC_HARDERR, MON_EN/PEND/STEP/REQ, TRCENA. */
#define DEMCR_MASK 0x010F07F1u
#define DCRSR_REGWNR (1u << 16)
#define DCRSR_REGSEL_MASK 0x7Fu

#define AIRCR_VECTKEY        0x05FA0000u
#define AIRCR_VECTKEYSTAT    0xFA050000u
#define AIRCR_VECTRESET      (1u << 0)
#define AIRCR_VECTCLRACTIVE  (1u << 1)
#define AIRCR_SYSRESETREQ    (1u << 2)
#define SHCSR_ACTIVE_BITS    0x00000D8Bu /* MEMFAULT/BUSFAULT/USGFAULT/SVCALL/MONITOR/PENDSV/SYSTICK ACT */

/* Writable bits of the register-file entries (Armv7-M B1.4, with the FP extension). */
#define XPSR_MASK    0xFF0FFDFFu
#define SPECIAL_MASK 0x0701F0F1u /* CONTROL[2:0], FAULTMASK[0], BASEPRI[7:4] (4 priority bits), PRIMASK[0] */
#define FPSCR_MASK   0xF7C0009Fu
#define XPSR_T       (1u << 24)
#define CONTROL_SPSEL (1u << 25) /* CONTROL.SPSEL as packed into the special register */

const char *cortexm_dbg_state_name(cm_state s)
{
	static const char *const names[] = {
		[CM_STATE_RESET] = "in-reset", [CM_STATE_RUNNING] = "running", [CM_STATE_SLEEPING] = "sleeping",
		[CM_STATE_LOCKUP] = "lockup", [CM_STATE_HALTED] = "halted",
	};

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

void cortexm_dbg_init(cortexm_dbg *d, const cortexm_dbg_config *cfg, const cortexm_dbg_hooks *hooks)
{
	static const cs_ident fpb_m7 = { CS_CIDR_GENERIC, 0x04000BB00Eull, 0, 0 };
	static const cs_ident dwt_id = { CS_CIDR_GENERIC, 0x04000BB002ull, 0, 0 };
	static const cs_ident itm_id = { CS_CIDR_GENERIC, 0x04000BB001ull, 0, 0 };
	/* ETM-M7 and CTI as listed on an STM32H753 (facts A.1 source: SEGGER log). */
	static const cs_ident etm_m7 = { CS_CIDR_CORESIGHT, 0x04001BB975ull, 0x13u, 0 };
	static const cs_ident cti_id = { CS_CIDR_CORESIGHT, 0x04004BB906ull, 0x14u, 0 };
	/*
	 * Cortex-M4: FPB-M3/M4 (part 0x003) and ETM-M4 (part 0x925) as Arm's
	 * Cortex-M4 TRM gives them; no listing of an H745's AP3 was available
	 * (UNCONFIRMED for ST's integration).  The CTI at 0xE0043000 is the one
	 * OpenOCD's stm32h7x.cfg drives on AP3 (facts A.6).
	 */
	static const cs_ident fpb_m4 = { CS_CIDR_GENERIC, 0x04000BB003ull, 0, 0 };
	static const cs_ident etm_m4 = { CS_CIDR_CORESIGHT, 0x04000BB925ull, 0x13u, 0 };
	static const cs_ident scs_v7 = { CS_CIDR_GENERIC, 0x04000BB00Cull, 0, 0 };

	memset(d, 0, sizeof(*d));
	d->cfg = *cfg;
	d->hooks = *hooks;
	d->m4 = CM_CPUID_PARTNO(cfg->cpuid) == CM_PARTNO_CORTEX_M4;
	d->v8m = CM_CPUID_PARTNO(cfg->cpuid) == CM_PARTNO_CORTEX_M33;
	d->scs_id = scs_v7;
	cs_plain_init(&d->fpb, "fpb", d->m4 ? &fpb_m4 : &fpb_m7);
	cs_plain_init(&d->dwt, "dwt", &dwt_id);
	cs_plain_init(&d->itm, "itm", &itm_id);
	cs_plain_init(&d->etm, "etm", d->m4 ? &etm_m4 : &etm_m7);
	cs_plain_init(&d->cti, "cti", &cti_id);
	if (d->v8m)
		cortexm_v8m_init(d); /* the Cortex-M33's own component identities */
	cortexm_dbg_power_on(d);
}

/* SCS system registers: reset by any reset of the core (not debug registers). */
static void reset_system_registers(cortexm_dbg *d)
{
	d->aircr_prigroup = 0;
	d->shcsr = 0;
	d->cfsr = 0;
	d->hfsr = 0;
	d->mmfar = 0;
	d->bfar = 0;
	d->cpacr = 0;
	d->fpccr = 0xC0000000u; /* ASPEN | LSPEN */
	d->fpcar = 0;
	d->fpdscr = 0;
	d->ccr = 0x00000200u;   /* STKALIGN (simulator's choice of the M7 reset value) */
	memset(d->scs_plain, 0, sizeof(d->scs_plain));
	d->scs_plain_logged = false;
	d->special = 0;
	d->fpscr = 0;
}

void cortexm_dbg_power_on(cortexm_dbg *d)
{
	d->state = CM_STATE_RESET;
	d->dhcsr_ctrl = 0;
	d->regrdy = false;
	d->retire_st = false;
	d->reset_st = true;
	d->demcr = 0;
	d->dfsr = 0;
	d->dcrdr = 0;
	memset(d->r, 0, sizeof(d->r));
	memset(d->s, 0, sizeof(d->s));
	d->lr = d->pc = d->xpsr = d->msp = d->psp = 0;
	d->vtor = 0;
	reset_system_registers(d);
	d->fpb_enable = false;
	d->fpb_comp_on = 0;
	d->dwt_cyccnt = 0;
	cs_plain_reset(&d->fpb);
	cs_plain_reset(&d->dwt);
	cs_plain_reset(&d->itm);
	cs_plain_reset(&d->etm);
	cs_plain_reset(&d->cti);
	if (d->v8m)
		cortexm_v8m_power_on(d);
}

void cortexm_dbg_enter_reset(cortexm_dbg *d)
{
	d->state = CM_STATE_RESET;
	d->reset_st = true;
	d->regrdy = false;
	reset_system_registers(d);
}

static void enter_debug_state(cortexm_dbg *d, uint32_t reason)
{
	d->state = CM_STATE_HALTED;
	d->dhcsr_ctrl |= CM_C_HALT; /* the core reports the halt through C_HALT too; clearing it resumes */
	d->dfsr |= reason;
	d->regrdy = true;
}

void cortexm_dbg_leave_reset(cortexm_dbg *d, uint32_t vtor, uint32_t sp, uint32_t pc)
{
	/* Armv8-M: no Debug state entry where halting is prohibited (secure state without secure debug). */
	bool debugen = (d->dhcsr_ctrl & CM_C_DEBUGEN) && cortexm_dbg_halt_allowed(d);
	bool vcatch = debugen && (d->demcr & CM_DEMCR_VC_CORERESET);

	if (d->v8m)
		cortexm_v8m_leave_reset(d);
	d->vtor = vtor;
	d->msp = sp & ~3u;
	d->lr = 0xFFFFFFFFu;
	d->pc = pc & ~1u;
	d->xpsr = (pc & 1u) ? XPSR_T : 0; /* EPSR.T from bit 0 of the reset vector */
	d->special = 0;
	d->state = CM_STATE_RUNNING;
	/* Armv7-M C1.6: a reset vector catch or a pending C_HALT halts before the first instruction. */
	if (vcatch)
		enter_debug_state(d, CM_DFSR_VCATCH);
	else if (debugen && (d->dhcsr_ctrl & CM_C_HALT))
		enter_debug_state(d, CM_DFSR_HALTED);
}

void cortexm_dbg_retired(cortexm_dbg *d, uint64_t n)
{
	uint32_t dwt_ctrl = 0;

	if (n == 0)
		return;
	d->retire_st = true;
	cs_plain_read(&d->dwt, 0, &dwt_ctrl);
	/* One cycle per instruction: CYCCNT counts only with TRCENA and CYCCNTENA. */
	if ((d->demcr & CM_DEMCR_TRCENA) && (dwt_ctrl & 1u))
		d->dwt_cyccnt += (uint32_t)n;
}

void cortexm_dbg_lockup(cortexm_dbg *d, uint32_t pc, uint32_t cfsr, uint32_t hfsr)
{
	d->pc = pc & ~1u;
	d->xpsr = XPSR_T | 3u; /* HardFault handler, the only place an Armv7-M core locks up from */
	d->cfsr |= cfsr;
	d->hfsr |= hfsr;
	d->state = CM_STATE_LOCKUP;
}

void cortexm_dbg_sleep(cortexm_dbg *d)
{
	if (d->state == CM_STATE_RUNNING)
		d->state = CM_STATE_SLEEPING;
}

void cortexm_dbg_halt(cortexm_dbg *d, uint32_t dfsr_reason)
{
	enter_debug_state(d, dfsr_reason);
}

uint32_t cortexm_dbg_dhcsr_peek(const cortexm_dbg *d)
{
	uint32_t v = d->dhcsr_ctrl;

	if (d->regrdy)
		v |= CM_S_REGRDY;
	if (d->state == CM_STATE_HALTED)
		v |= CM_S_HALT;
	if (d->state == CM_STATE_SLEEPING)
		v |= CM_S_SLEEP;
	if (d->state == CM_STATE_LOCKUP)
		v |= CM_S_LOCKUP;
	/* A running core retires an instruction every cycle, far faster than any debugger polls. */
	if (d->retire_st || d->state == CM_STATE_RUNNING)
		v |= CM_S_RETIRE_ST;
	if (d->reset_st)
		v |= CM_S_RESET_ST;
	if (d->v8m)
		v |= cortexm_v8m_dhcsr_status(d);
	return v;
}

static uint32_t dhcsr_read(cortexm_dbg *d)
{
	uint32_t v = cortexm_dbg_dhcsr_peek(d);

	/* Sticky bits clear on read; S_RESET_ST reads 1 again while the core is still held in reset. */
	d->retire_st = false;
	d->reset_st = d->state == CM_STATE_RESET;
	return v;
}

/* C_HALT cleared while halted: resume, or single-step when C_STEP is set. */
static void leave_debug_state(cortexm_dbg *d)
{
	bool step = d->dhcsr_ctrl & CM_C_STEP;

	d->state = CM_STATE_RUNNING;
	d->regrdy = false;
	if (!step)
		return;
	if (d->hooks.step)
		d->hooks.step(d->hooks.ctx);
	/* A step that ended in sleep or lockup halts too: the step is complete. */
	if (d->state == CM_STATE_RUNNING || d->state == CM_STATE_SLEEPING || d->state == CM_STATE_LOCKUP)
		enter_debug_state(d, CM_DFSR_HALTED);
}

static void dhcsr_write(cortexm_dbg *d, uint32_t value)
{
	if ((value & 0xFFFF0000u) != CM_DBGKEY) {
		sim_log_guest_error("cortex-m: DHCSR write 0x%08x without DBGKEY ignored", (unsigned)value);
		return;
	}
	if (!(value & CM_C_DEBUGEN)) {
		/* Halting debug disabled: the other control bits cannot be set, a halted core resumes. */
		d->dhcsr_ctrl = 0;
		if (d->state == CM_STATE_HALTED)
			leave_debug_state(d);
		return;
	}
	d->dhcsr_ctrl = value & DHCSR_CTRL_MASK;
	switch (d->state) {
	case CM_STATE_RESET:
		break; /* C_HALT takes effect when the core leaves reset */
	case CM_STATE_HALTED:
		if (!(value & CM_C_HALT))
			leave_debug_state(d);
		break;
	default:
		/* Where halting is prohibited (Armv8-M) C_HALT stays pending: cortexm_dbg_set_security(). */
		if ((value & CM_C_HALT) && cortexm_dbg_halt_allowed(d))
			enter_debug_state(d, CM_DFSR_HALTED);
		break;
	}
}

/* The current stack pointer: PSP in Thread mode with CONTROL.SPSEL, MSP otherwise. */
static uint32_t *current_sp(cortexm_dbg *d)
{
	bool thread = (d->xpsr & 0x1FFu) == 0;

	return (thread && (d->special & CONTROL_SPSEL)) ? &d->psp : &d->msp;
}

static bool regsel_valid(const cortexm_dbg *d, uint32_t regsel)
{
	if (d->v8m && cortexm_v8m_regsel_valid(d, regsel))
		return true;
	return regsel <= CM_REG_PSP || regsel == CM_REG_SPECIAL || regsel == CM_REG_FPSCR ||
	       (regsel >= CM_REG_S0 && regsel <= CM_REG_S31);
}

static uint32_t reg_get(cortexm_dbg *d, uint32_t regsel)
{
	uint32_t v;

	if (d->v8m && cortexm_v8m_reg_get(d, regsel, &v))
		return v;
	if (regsel < CM_REG_SP)
		return d->r[regsel];
	if (regsel >= CM_REG_S0)
		return d->s[regsel - CM_REG_S0];
	switch (regsel) {
	case CM_REG_SP: return *current_sp(d);
	case CM_REG_LR: return d->lr;
	case CM_REG_PC: return d->pc;
	case CM_REG_XPSR: return d->xpsr;
	case CM_REG_MSP: return d->msp;
	case CM_REG_PSP: return d->psp;
	case CM_REG_SPECIAL: return d->special;
	default: return d->fpscr;
	}
}

static void reg_set(cortexm_dbg *d, uint32_t regsel, uint32_t v)
{
	if (d->v8m && cortexm_v8m_reg_set(d, regsel, v))
		return;
	if (regsel < CM_REG_SP) {
		d->r[regsel] = v;
	} else if (regsel >= CM_REG_S0) {
		d->s[regsel - CM_REG_S0] = v;
	} else {
		switch (regsel) {
		case CM_REG_SP: *current_sp(d) = v & ~3u; break;
		case CM_REG_LR: d->lr = v; break;
		case CM_REG_PC: d->pc = v & ~1u; break; /* DebugReturnAddress is halfword aligned */
		case CM_REG_XPSR: d->xpsr = v & XPSR_MASK; break;
		case CM_REG_MSP: d->msp = v & ~3u; break;
		case CM_REG_PSP: d->psp = v & ~3u; break;
		case CM_REG_SPECIAL: d->special = v & SPECIAL_MASK; break;
		default: d->fpscr = v & FPSCR_MASK; break;
		}
	}
}

static void dcrsr_write(cortexm_dbg *d, uint32_t value)
{
	uint32_t regsel = value & DCRSR_REGSEL_MASK;

	if (d->state != CM_STATE_HALTED) {
		/* Armv7-M C1.6.3: DCRSR transfers outside Debug state are UNPREDICTABLE; no transfer happens. */
		sim_log_guest_error("cortex-m: DCRSR 0x%08x written while the core is %s", (unsigned)value,
				    cortexm_dbg_state_name(d->state));
		d->regrdy = false;
		return;
	}
	if (!regsel_valid(d, regsel)) {
		sim_log_guest_error("cortex-m: DCRSR selects reserved register 0x%02x", (unsigned)regsel);
		d->regrdy = true;
		return;
	}
	if (value & DCRSR_REGWNR)
		reg_set(d, regsel, d->dcrdr);
	else
		d->dcrdr = reg_get(d, regsel);
	d->regrdy = true; /* transfers complete at once: S_REGRDY is already 1 when the debugger looks */
}

static void aircr_write(cortexm_dbg *d, uint32_t value)
{
	if ((value & 0xFFFF0000u) != AIRCR_VECTKEY) {
		sim_log_guest_error("cortex-m: AIRCR write 0x%08x without VECTKEY ignored", (unsigned)value);
		return;
	}
	d->aircr_prigroup = (value >> 8) & 7u;
	if ((value & AIRCR_VECTRESET) && d->v8m) {
		/* Armv8-M has no VECTRESET: bit 0 is reserved (OpenOCD uses SYSRESETREQ there). */
		sim_log_guest_error("cortex-m: AIRCR.VECTRESET written on an Armv8-M core: reserved bit, ignored");
		value &= ~AIRCR_VECTRESET;
	}
	if (value & AIRCR_VECTCLRACTIVE) {
		if (d->state != CM_STATE_HALTED)
			sim_log_guest_error("cortex-m: AIRCR.VECTCLRACTIVE while not halted");
		d->shcsr &= ~SHCSR_ACTIVE_BITS;
		d->xpsr &= ~0x1FFu;
	}
	if ((value & AIRCR_VECTRESET) && d->state != CM_STATE_HALTED)
		sim_log_guest_error("cortex-m: AIRCR.VECTRESET while not halted (UNPREDICTABLE), done anyway");
	if ((value & AIRCR_SYSRESETREQ) && d->hooks.sysresetreq)
		d->hooks.sysresetreq(d->hooks.ctx);
	else if ((value & AIRCR_VECTRESET) && d->hooks.vectreset)
		d->hooks.vectreset(d->hooks.ctx);
}

sim_bus_result cortexm_scs_debug_read(cortexm_dbg *d, uint32_t addr, uint32_t *value)
{
	switch (addr) {
	case CM_DHCSR: *value = dhcsr_read(d); break;
	case CM_DCRSR: *value = 0; sim_log_guest_error("cortex-m: read of write-only DCRSR"); break;
	case CM_DCRDR: *value = d->dcrdr; break;
	case CM_DEMCR: *value = d->demcr; break;
	case CM_AIRCR: *value = AIRCR_VECTKEYSTAT | (d->aircr_prigroup << 8); break;
	case CM_DFSR: *value = d->dfsr; break;
	default: return SIM_BUS_FAULT;
	}
	return SIM_BUS_OK;
}

/* Returns false when `addr` is not one of the debug registers handled here. */
bool cortexm_scs_debug_write(cortexm_dbg *d, uint32_t addr, uint32_t value)
{
	switch (addr) {
	case CM_DHCSR: dhcsr_write(d, value); break;
	case CM_DCRSR: dcrsr_write(d, value); break;
	case CM_DCRDR: d->dcrdr = value; break;
	case CM_DEMCR: d->demcr = value & DEMCR_MASK; break;
	case CM_AIRCR: aircr_write(d, value); break;
	case CM_DFSR: d->dfsr &= ~(value & 0x1Fu); break; /* write 1 to clear */
	default: return false;
	}
	return true;
}

void cortexm_dbg_write_json(const cortexm_dbg *d, json_out *j)
{
	cortexm_dbg_write_json_as(d, "cortex_m", j);
}

void cortexm_dbg_write_json_as(const cortexm_dbg *d, const char *key, json_out *j)
{
	json_begin_object(j, key);
	json_string(j, "state", cortexm_dbg_state_name(d->state));
	json_hex32(j, "dhcsr", cortexm_dbg_dhcsr_peek(d));
	json_hex32(j, "demcr", d->demcr);
	json_hex32(j, "dfsr", d->dfsr);
	json_hex32(j, "pc", d->pc);
	json_hex32(j, "msp", d->msp);
	json_hex32(j, "xpsr", d->xpsr);
	json_hex32(j, "cfsr", d->cfsr);
	json_hex32(j, "hfsr", d->hfsr);
	if (d->v8m) {
		json_hex32(j, "dscsr", cortexm_v8m_dscsr(d));
		json_bool(j, "secure_debug", d->secure_debug);
	}
	json_end_object(j);
}
