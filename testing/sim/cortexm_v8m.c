/*
 * Armv8-M Mainline debug: what the Cortex-M33 of the STM32H5 adds to the
 * Armv7-M debug model of cortexm_dbg.c / cortexm_ppb.c (facts C).
 *
 *  - DSCSR (0xE000EE08): SBRSELEN bit 0, SBRSEL bit 1 (read/write), CDS bit
 *    16 (the PE's Security state), CDSKEY bit 17 (write-only, reads 0).  A
 *    write changes CDS only while the PE is halted, secure debug is enabled
 *    and CDSKEY is written 0 in the same write (Armv8-M's key rule);
 *    anything else in such a write is taken, the CDS part ignored.  With
 *    secure debug disabled a debugger cannot touch DSCSR at all (guest
 *    error).  Without the Security Extension (H503) DSCSR is reserved: reads
 *    0, writes are guest errors.
 *  - DHCSR.S_SDE (bit 20): secure debug enabled; 0 without the Security
 *    Extension.
 *  - DAUTHSTATUS (0xE000EFB8): NSID [1:0] and NSNID [3:2] read 0b11 while
 *    debug is enabled, 0b10 while the chip disables it (its boot ROM runs);
 *    SID [5:4] and SNID [7:6] read 0b11 with secure debug enabled, 0b10 with
 *    it disabled, 0b00 without the Security Extension.
 *  - Halting is prohibited while debug is disabled, and while the PE is in
 *    Secure state with secure debug disabled: C_HALT stays pending, a reset
 *    vector catch is not taken, FPB breakpoints do not match, DWT_PCSR reads
 *    0xFFFFFFFF.  A pending C_HALT takes effect as soon as halting becomes
 *    allowed (cortexm_dbg_set_security).
 *  - Register file: the Security states bank MSP, PSP, their limits and the
 *    special registers (CONTROL/FAULTMASK/BASEPRI/PRIMASK).  cortexm_dbg
 *    keeps the current state's copies in msp/psp/special and this file the
 *    other state's; a change of CDS swaps them.  DCRSR REGSEL 0x18..0x1B
 *    select MSP_NS, PSP_NS, MSP_S, PSP_S, 0x1C..0x1F the four limits, 0x22
 *    and 0x23 the Secure and Non-secure special registers; REGSEL 17/18 (MSP,
 *    PSP) follow SBRSEL when SBRSELEN is set, the current state otherwise.
 *    Without the Security Extension the Secure selectors read 0 and ignore
 *    writes (stock OpenOCD 0.12 reads them on every v8-M core; the
 *    architecture calls them reserved there; this quiet answer is our choice).
 *  - ID registers (0xE000ED40..0xE000ED7C), MVFR0..2 and CoreSight
 *    identities: the Cortex-M33 r0p4 values of Arm's Cortex-M33 TRM, not read
 *    on an STM32H5 (UNCONFIRMED).  MVFR0/MVFR1 are the FPv5 single-precision
 *    values OpenOCD 0.12's cortex_m_examine compares against.  Components
 *    (part 0xD21, CoreSight class 0x9, told apart by DEVTYPE and DEVARCH):
 *    SCS 0x00/0x47702A04, ITM 0x43/0x47701A01, DWT 0x00/0x47701A02 (OpenOCD
 *    picks the Armv8-M watchpoint layout from that DEVARCH), FPB
 *    0x00/0x47701A03, ETM 0x13/0x47724A13, CTI 0x14/0x47701A14.
 */
#include "cortexm_dbg.h"

#include <string.h>

#define SCS_BASE        0xE000E000u
#define OFF_DSCSR       (CM_DSCSR - SCS_BASE)
#define OFF_DAUTHSTATUS (CM_DAUTHSTATUS - SCS_BASE)
#define OFF_ID_FIRST    0xD40u
#define OFF_ID_LAST     0xD7Cu
#define OFF_MVFR0       0xF40u
#define OFF_MVFR2       0xF48u

#define DSCSR_SBR_MASK (CM_DSCSR_SBRSELEN | CM_DSCSR_SBRSEL)
/* CONTROL[3:0] (SFPA included), FAULTMASK, BASEPRI, PRIMASK packed as cortexm_dbg.c packs them. */
#define SPECIAL_MASK_V8M 0x0F01F0F1u

#define AUTH_NS_ENABLED  0x0000000Fu /* NSID = NSNID = 0b11 */
#define AUTH_NS_DISABLED 0x0000000Au /* NSID = NSNID = 0b10 */
#define AUTH_S_ENABLED   0x000000F0u /* SID = SNID = 0b11 */
#define AUTH_S_DISABLED  0x000000A0u /* SID = SNID = 0b10 */

/* Cortex-M33 r0p4 with FPU and DSP (Arm Cortex-M33 TRM; UNCONFIRMED on an STM32H5). */
static const uint32_t id_regs[] = {
	0x00000030u, /* ID_PFR0 */
	0x00000200u, /* ID_PFR1: M-profile programmers' model; Security [7:4] added below */
	0x00200000u, /* ID_DFR0: Armv8-M debug */
	0x00000000u, /* ID_AFR0 */
	0x00101F40u, /* ID_MMFR0 */
	0x00000000u, /* ID_MMFR1 */
	0x01000000u, /* ID_MMFR2 */
	0x00000000u, /* ID_MMFR3 */
	0x01101110u, /* ID_ISAR0 */
	0x02212000u, /* ID_ISAR1 */
	0x20232232u, /* ID_ISAR2 */
	0x01111131u, /* ID_ISAR3 */
	0x01310132u, /* ID_ISAR4 */
	0x00000000u, /* ID_ISAR5 */
	0x00000000u, /* CLIDR: no caches */
	0x00000000u, /* CTR */
};
#define ID_PFR1_SECURITY 0x00000010u

static const uint32_t mvfr_m33[] = { 0x10110021u, 0x11000011u, 0x00000040u };

void cortexm_v8m_init(cortexm_dbg *d)
{
	static const cs_ident scs = { CS_CIDR_CORESIGHT, 0x04000BBD21ull, 0x00u, 0x47702A04u };
	static const cs_ident itm = { CS_CIDR_CORESIGHT, 0x04000BBD21ull, 0x43u, 0x47701A01u };
	static const cs_ident dwt = { CS_CIDR_CORESIGHT, 0x04000BBD21ull, 0x00u, 0x47701A02u };
	static const cs_ident fpb = { CS_CIDR_CORESIGHT, 0x04000BBD21ull, 0x00u, 0x47701A03u };
	static const cs_ident etm = { CS_CIDR_CORESIGHT, 0x04000BBD21ull, 0x13u, 0x47724A13u };
	static const cs_ident cti = { CS_CIDR_CORESIGHT, 0x04000BBD21ull, 0x14u, 0x47701A14u };

	d->scs_id = scs;
	cs_plain_init(&d->itm, "itm", &itm);
	cs_plain_init(&d->dwt, "dwt", &dwt);
	cs_plain_init(&d->fpb, "fpb", &fpb);
	cs_plain_init(&d->etm, "etm", &etm);
	cs_plain_init(&d->cti, "cti", &cti);
}

static bool has_security(const cortexm_dbg *d)
{
	return d->v8m && d->security_ext;
}

void cortexm_v8m_power_on(cortexm_dbg *d)
{
	d->debug_enabled = true;
	d->secure_debug = false;
	d->cds = false;
	d->dscsr_sbr = 0;
	d->other_msp = d->other_psp = d->other_special = 0;
	memset(d->msplim, 0, sizeof(d->msplim));
	memset(d->psplim, 0, sizeof(d->psplim));
}

/* The reset loads the current state's MSP from the vector table; the rest restarts at 0. */
void cortexm_v8m_leave_reset(cortexm_dbg *d)
{
	d->other_msp = d->other_psp = d->other_special = 0;
	memset(d->msplim, 0, sizeof(d->msplim));
	memset(d->psplim, 0, sizeof(d->psplim));
}

bool cortexm_dbg_halt_allowed(const cortexm_dbg *d)
{
	if (!d->v8m)
		return true;
	return d->debug_enabled && (!has_security(d) || !d->cds || d->secure_debug);
}

static void swap_u32(uint32_t *a, uint32_t *b)
{
	uint32_t t = *a;

	*a = *b;
	*b = t;
}

/* The PE changes Security state: the banked copies change places. */
static void set_cds(cortexm_dbg *d, bool secure)
{
	if (secure == d->cds)
		return;
	swap_u32(&d->msp, &d->other_msp);
	swap_u32(&d->psp, &d->other_psp);
	swap_u32(&d->special, &d->other_special);
	d->cds = secure;
}

void cortexm_dbg_set_security(cortexm_dbg *d, bool secure_state, bool debug_enabled, bool secure_debug)
{
	if (!d->v8m)
		return;
	if (!d->security_ext)
		secure_state = secure_debug = false;
	set_cds(d, secure_state);
	d->debug_enabled = debug_enabled;
	d->secure_debug = secure_debug;
	/* A halt request held off while halting was prohibited is taken now. */
	if ((d->state == CM_STATE_RUNNING || d->state == CM_STATE_SLEEPING || d->state == CM_STATE_LOCKUP) &&
	    (d->dhcsr_ctrl & CM_C_DEBUGEN) && (d->dhcsr_ctrl & CM_C_HALT) && cortexm_dbg_halt_allowed(d))
		cortexm_dbg_halt(d, CM_DFSR_HALTED);
}

void cortexm_dbg_set_security_extension(cortexm_dbg *d, bool present)
{
	d->security_ext = d->v8m && present;
	if (!d->security_ext)
		cortexm_dbg_set_security(d, false, d->debug_enabled, false);
}

uint32_t cortexm_v8m_dhcsr_status(const cortexm_dbg *d)
{
	return has_security(d) && d->secure_debug ? CM_S_SDE : 0u;
}

uint32_t cortexm_v8m_dscsr(const cortexm_dbg *d)
{
	if (!has_security(d))
		return 0;
	return d->dscsr_sbr | (d->cds ? CM_DSCSR_CDS : 0u);
}

/* ------------------------------------------------------------ registers -- */

bool cortexm_v8m_regsel_valid(const cortexm_dbg *d, uint32_t regsel)
{
	return (regsel >= CM_REG_MSP_NS && regsel <= CM_REG_PSPLIM_NS) || regsel == CM_REG_SPECIAL_S ||
	       regsel == CM_REG_SPECIAL_NS;
}

/* The copy of MSP or PSP that belongs to Security state `secure`. */
static uint32_t *banked_sp(cortexm_dbg *d, bool secure, bool psp)
{
	if (secure == d->cds)
		return psp ? &d->psp : &d->msp;
	return psp ? &d->other_psp : &d->other_msp;
}

static uint32_t *banked_special(cortexm_dbg *d, bool secure)
{
	return secure == d->cds ? &d->special : &d->other_special;
}

/* The register a REGSEL names, NULL when cortexm_dbg.c's own handling applies. */
static uint32_t *banked_reg(cortexm_dbg *d, uint32_t regsel, uint32_t *write_mask)
{
	bool sec = has_security(d);
	bool sbr = (d->dscsr_sbr & CM_DSCSR_SBRSELEN) && sec;
	bool sel = sbr ? (d->dscsr_sbr & CM_DSCSR_SBRSEL) != 0 : d->cds;

	*write_mask = ~3u;
	switch (regsel) {
	case CM_REG_MSP: return banked_sp(d, sel, false);
	case CM_REG_PSP: return banked_sp(d, sel, true);
	case CM_REG_MSP_NS: return banked_sp(d, false, false);
	case CM_REG_PSP_NS: return banked_sp(d, false, true);
	case CM_REG_MSP_S: return sec ? banked_sp(d, true, false) : NULL;
	case CM_REG_PSP_S: return sec ? banked_sp(d, true, true) : NULL;
	case CM_REG_SPECIAL_NS: *write_mask = SPECIAL_MASK_V8M; return banked_special(d, false);
	case CM_REG_SPECIAL_S: *write_mask = SPECIAL_MASK_V8M; return sec ? banked_special(d, true) : NULL;
	default: break;
	}
	*write_mask = ~7u; /* stack limits are doubleword aligned */
	switch (regsel) {
	case CM_REG_MSPLIM_S: return sec ? &d->msplim[1] : NULL;
	case CM_REG_PSPLIM_S: return sec ? &d->psplim[1] : NULL;
	case CM_REG_MSPLIM_NS: return &d->msplim[0];
	case CM_REG_PSPLIM_NS: return &d->psplim[0];
	default: return NULL;
	}
}

/* Secure selectors on a core without the Security Extension: RAZ/WI (see the top of this file). */
static bool secure_selector(uint32_t regsel)
{
	return regsel == CM_REG_MSP_S || regsel == CM_REG_PSP_S || regsel == CM_REG_MSPLIM_S ||
	       regsel == CM_REG_PSPLIM_S || regsel == CM_REG_SPECIAL_S;
}

bool cortexm_v8m_reg_get(cortexm_dbg *d, uint32_t regsel, uint32_t *value)
{
	uint32_t mask;
	uint32_t *r = banked_reg(d, regsel, &mask);

	if (r) {
		*value = *r;
		return true;
	}
	if (secure_selector(regsel)) {
		*value = 0;
		return true;
	}
	return false;
}

bool cortexm_v8m_reg_set(cortexm_dbg *d, uint32_t regsel, uint32_t value)
{
	uint32_t mask;
	uint32_t *r = banked_reg(d, regsel, &mask);

	if (r) {
		*r = value & mask;
		return true;
	}
	return secure_selector(regsel);
}

/* ------------------------------------------------------------------ SCS -- */

static uint32_t dauthstatus(const cortexm_dbg *d)
{
	uint32_t ns = d->debug_enabled ? AUTH_NS_ENABLED : AUTH_NS_DISABLED;

	if (!has_security(d))
		return ns;
	return ns | (d->debug_enabled && d->secure_debug ? AUTH_S_ENABLED : AUTH_S_DISABLED);
}

bool cortexm_v8m_scs_read(cortexm_dbg *d, uint32_t off, uint32_t *value)
{
	if (off == OFF_DSCSR) {
		*value = cortexm_v8m_dscsr(d);
	} else if (off == OFF_DAUTHSTATUS) {
		*value = dauthstatus(d);
	} else if (off >= OFF_ID_FIRST && off <= OFF_ID_LAST) {
		*value = id_regs[(off - OFF_ID_FIRST) / 4u];
		if (off == OFF_ID_FIRST + 4u && has_security(d))
			*value |= ID_PFR1_SECURITY;
	} else if (off >= OFF_MVFR0 && off <= OFF_MVFR2) {
		*value = mvfr_m33[(off - OFF_MVFR0) / 4u];
	} else {
		return false;
	}
	return true;
}

static void dscsr_write(cortexm_dbg *d, uint32_t value)
{
	if (!has_security(d)) {
		sim_log_guest_error("cortex-m: DSCSR write 0x%08x on a core without the Security Extension",
				    (unsigned)value);
		return;
	}
	if (!d->secure_debug) {
		sim_log_guest_error("cortex-m: DSCSR write 0x%08x with secure debug disabled, ignored",
				    (unsigned)value);
		return;
	}
	d->dscsr_sbr = value & DSCSR_SBR_MASK;
	if (value & CM_DSCSR_CDSKEY)
		return; /* CDS is only written together with CDSKEY = 0 */
	if (d->state != CM_STATE_HALTED) {
		sim_log_guest_error("cortex-m: DSCSR.CDS written while the core is %s, ignored",
				    cortexm_dbg_state_name(d->state));
		return;
	}
	set_cds(d, (value & CM_DSCSR_CDS) != 0);
}

bool cortexm_v8m_scs_write(cortexm_dbg *d, uint32_t off, uint32_t value)
{
	if (off == OFF_DSCSR) {
		dscsr_write(d, value);
		return true;
	}
	if ((off >= OFF_ID_FIRST && off <= OFF_ID_LAST) || (off >= OFF_MVFR0 && off <= OFF_MVFR2)) {
		sim_log_guest_error("cortex-m: write 0x%08x to read-only ID register 0x%08x", (unsigned)value,
				    (unsigned)(SCS_BASE + off));
		return true;
	}
	return false;
}
