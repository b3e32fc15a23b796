/*
 * STM32H7 PWR: supply configuration (see pwr_h7.h; facts A.5).
 *
 * Registers: CR1 0x00, CSR1 0x04 (read-only), CR2 0x08, CR3 0x0C, CPUCR 0x10,
 * D3CR 0x18, WKUPCR 0x20, WKUPFR 0x24, WKUPEPR 0x28.  Only CR3, CSR1 and
 * D3CR.VOSRDY have behaviour; the others store what is written (reported as
 * unimplemented).  Accesses must be 32-bit (the simulator's choice; HAL and
 * OpenOCD only use word accesses).
 */
#include "pwr_h7.h"

#include <string.h>

#define PWR_CR1   0x00u
#define PWR_CSR1  0x04u
#define PWR_D3CR  0x18u

#define CR1_RESET   0xF000C000u  /* SVD reset value */
#define D3CR_RESET  0x00004000u  /* VOS = 01 (scale 3) */
#define D3CR_VOSRDY (1u << 13)
#define D3CR_VOS_SHIFT 14

#define CR3_BYPASS   (1u << 0)
#define CR3_LDOEN    (1u << 1)
#define CR3_SCUEN    (1u << 2) /* LDO-only parts; SDEN on SMPS parts */
#define CR3_SDEXTHP  (1u << 3)
#define CR3_SDEXTRDY (1u << 16)
#define CR3_USB33DEN (1u << 24)
#define CR3_USB33RDY (1u << 26)
/* Bits outside the write-once byte that firmware may change at any time: VBE, VBRS, USB33DEN, USBREGEN. */
#define CR3_FREE_MASK 0x03000300u

#define CR3_CFG_MASK_LDO_ONLY 0x07u
#define CR3_CFG_MASK_SMPS     0x3Fu
/*
 * Reset value: 0x00000006 on LDO-only parts (SVD).  On SMPS parts the sources
 * disagree (0x46, 0x06, 0x00010044 observed, facts A.5 UNCONFIRMED); the
 * simulator uses 0x06 (SDEN + LDOEN, which HAL reads as "not configured yet").
 */
#define CR3_RESET 0x00000006u

#define CSR1_ACTVOSRDY (1u << 13)
#define CSR1_ACTVOS_SHIFT 14

static const struct {
	const char *name;
	uint32_t cr3;
} supply_table[PWR_SUPPLY_COUNT] = {
	[PWR_SUPPLY_LDO] = { "ldo", 0x02 },
	[PWR_SUPPLY_DIRECT_SMPS] = { "direct_smps", 0x04 },
	[PWR_SUPPLY_SMPS_1V8_LDO] = { "smps_1v8_ldo", 0x16 },
	[PWR_SUPPLY_SMPS_2V5_LDO] = { "smps_2v5_ldo", 0x26 },
	[PWR_SUPPLY_SMPS_1V8_EXT_LDO] = { "smps_1v8_ext_ldo", 0x1E },
	[PWR_SUPPLY_SMPS_2V5_EXT_LDO] = { "smps_2v5_ext_ldo", 0x2E },
	[PWR_SUPPLY_SMPS_1V8_EXT_BYPASS] = { "smps_1v8_ext_bypass", 0x1D },
	[PWR_SUPPLY_SMPS_2V5_EXT_BYPASS] = { "smps_2v5_ext_bypass", 0x2D },
	[PWR_SUPPLY_BYPASS] = { "bypass", 0x01 },
};

const char *pwr_supply_name(pwr_supply s)
{
	return (unsigned)s < PWR_SUPPLY_COUNT ? supply_table[s].name : "?";
}

int pwr_supply_parse(const char *name, pwr_supply *out)
{
	for (unsigned i = 0; i < PWR_SUPPLY_COUNT; i++) {
		if (strcmp(name, supply_table[i].name) == 0) {
			*out = (pwr_supply)i;
			return 0;
		}
	}
	return -1;
}

bool pwr_supply_possible(bool smps_part, pwr_supply s)
{
	if ((unsigned)s >= PWR_SUPPLY_COUNT)
		return false;
	return smps_part || s == PWR_SUPPLY_LDO || s == PWR_SUPPLY_BYPASS;
}

uint32_t pwr_supply_cr3_config(pwr_supply s)
{
	return (unsigned)s < PWR_SUPPLY_COUNT ? supply_table[s].cr3 : 0;
}

void pwr_h7_init(pwr_h7 *p, bool smps_part, pwr_supply board)
{
	memset(p, 0, sizeof(*p));
	p->smps_part = smps_part;
	p->board = board;
	pwr_h7_power_on(p);
}

void pwr_h7_system_reset(pwr_h7 *p)
{
	memset(p->regs, 0, sizeof(p->regs));
	p->regs[PWR_CR1 / 4u] = CR1_RESET;
	p->regs[PWR_D3CR / 4u] = D3CR_RESET;
}

void pwr_h7_power_on(pwr_h7 *p)
{
	pwr_h7_system_reset(p);
	p->cr3 = CR3_RESET;
	p->supply_locked = false;
	p->supply_configured = false;
	p->supply_fault = false;
}

bool pwr_h7_supply_fault(const pwr_h7 *p)
{
	return p->supply_fault;
}

/* Is `cfg` (already masked) a configuration the part can apply? */
static bool config_valid(const pwr_h7 *p, uint32_t cfg, pwr_supply *which)
{
	for (unsigned i = 0; i < PWR_SUPPLY_COUNT; i++) {
		uint32_t want = supply_table[i].cr3;

		if (!pwr_supply_possible(p->smps_part, (pwr_supply)i))
			continue;
		/* On LDO-only parts bit 2 is SCUEN, not part of the supply choice. */
		if (!p->smps_part && (cfg & ~CR3_SCUEN) == want) {
			*which = (pwr_supply)i;
			return true;
		}
		if (p->smps_part && cfg == want) {
			*which = (pwr_supply)i;
			return true;
		}
	}
	return false;
}

static uint32_t cr3_read(const pwr_h7 *p)
{
	uint32_t v = p->cr3;

	if (p->supply_configured && (v & CR3_SDEXTHP))
		v |= CR3_SDEXTRDY;
	/* The board always supplies VDD33USB: the detector reports ready once enabled (choice). */
	if (v & CR3_USB33DEN)
		v |= CR3_USB33RDY;
	return v;
}

static void apply_supply(pwr_h7 *p, uint32_t cfg)
{
	uint32_t mask = p->smps_part ? CR3_CFG_MASK_SMPS : CR3_CFG_MASK_LDO_ONLY;
	pwr_supply which;

	p->supply_locked = true;
	if (!config_valid(p, cfg, &which)) {
		/* SVD: invalid combination ignored, default supply stays, lock engages. */
		sim_log_guest_error("pwr: CR3 supply configuration 0x%02x is not a valid combination: ignored, "
				    "locked until power-on", (unsigned)cfg);
		if (!p->smps_part)
			p->cr3 &= ~CR3_SCUEN; /* the one-time update is used up (choice) */
		return;
	}
	p->cr3 = (p->cr3 & ~mask) | pwr_supply_cr3_config(which);
	if (which == p->board) {
		p->supply_configured = true;
		sim_log_info("pwr: supply configured as %s (matches the board)", pwr_supply_name(which));
	} else {
		p->supply_fault = true;
		sim_log_info("pwr: supply configured as %s but the board is wired for %s: VCORE lost",
			     pwr_supply_name(which), pwr_supply_name(p->board));
	}
}

static void cr3_write(pwr_h7 *p, uint32_t value)
{
	uint32_t mask = p->smps_part ? CR3_CFG_MASK_SMPS : CR3_CFG_MASK_LDO_ONLY;
	uint32_t cfg = value & mask;

	p->cr3 = (p->cr3 & ~CR3_FREE_MASK) | (value & CR3_FREE_MASK);
	if (!p->supply_locked) {
		apply_supply(p, cfg);
		return;
	}
	/* Write-once per power-on (SVD PWR_CR3): later writes to the configuration are ignored. */
	if (cfg != (p->cr3 & mask))
		sim_log_guest_error("pwr: CR3 supply configuration 0x%02x ignored: already written since power-on",
				    (unsigned)cfg);
}

void pwr_h7_write_back_cr3(pwr_h7 *p)
{
	uint32_t mask = p->smps_part ? CR3_CFG_MASK_SMPS : CR3_CFG_MASK_LDO_ONLY;
	pwr_supply which;

	if (p->supply_locked)
		return;
	p->supply_locked = true;
	/* The configuration written is the one already in force: it matches the board or changes nothing. */
	if (config_valid(p, p->cr3 & mask, &which) && which == p->board)
		p->supply_configured = true;
	if (!p->smps_part)
		p->cr3 &= ~CR3_SCUEN; /* the one-time update is used up */
	sim_log_info("pwr: CR3 written with its own value: supply configuration locked as it is until power-on");
}

static uint32_t csr1_read(const pwr_h7 *p)
{
	uint32_t vos = (p->regs[PWR_D3CR / 4u] >> D3CR_VOS_SHIFT) & 3u;
	uint32_t v = vos << CSR1_ACTVOS_SHIFT;

	/* ACTVOSRDY: voltage ready for the configured supply; never on an invalid or faulty one. */
	if (p->supply_configured)
		v |= CSR1_ACTVOSRDY;
	return v;
}

sim_bus_result pwr_h7_read(pwr_h7 *p, uint32_t offset, unsigned size, uint32_t *value)
{
	*value = 0;
	if (size != 4 || (offset & 3u)) {
		sim_log_guest_error("pwr: %u-byte read at +0x%03x (word accesses only)", size, (unsigned)offset);
		return SIM_BUS_FAULT;
	}
	if (offset == PWR_H7_CR3)
		*value = cr3_read(p);
	else if (offset == PWR_CSR1)
		*value = csr1_read(p);
	else if (offset == PWR_D3CR)
		*value = (p->regs[offset / 4u] & ~D3CR_VOSRDY) | (p->supply_configured ? D3CR_VOSRDY : 0);
	else
		*value = p->regs[offset / 4u];
	return SIM_BUS_OK;
}

sim_bus_result pwr_h7_write(pwr_h7 *p, uint32_t offset, unsigned size, uint32_t value)
{
	if (size != 4 || (offset & 3u)) {
		sim_log_guest_error("pwr: %u-byte write at +0x%03x (word accesses only)", size, (unsigned)offset);
		return SIM_BUS_FAULT;
	}
	if (offset == PWR_H7_CR3) {
		cr3_write(p, value);
	} else if (offset == PWR_CSR1) {
		sim_log_guest_error("pwr: write 0x%08x to read-only CSR1", (unsigned)value);
	} else {
		if (p->regs[offset / 4u] != value)
			sim_log_unimplemented("pwr: +0x%03x = 0x%08x stored, behaviour not modelled",
					      (unsigned)offset, (unsigned)value);
		p->regs[offset / 4u] = value;
	}
	return SIM_BUS_OK;
}

void pwr_h7_write_json(const pwr_h7 *p, json_out *j)
{
	json_begin_object(j, "pwr");
	json_hex32(j, "cr3", cr3_read(p));
	json_bool(j, "supply_locked", p->supply_locked);
	json_string(j, "board_supply", pwr_supply_name(p->board));
	json_bool(j, "smps_part", p->smps_part);
	json_bool(j, "supply_fault", p->supply_fault);
	json_bool(j, "supply_ready", p->supply_configured);
	json_end_object(j);
}
