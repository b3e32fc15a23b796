/*
 * STM32H5 option bytes: storage, field table, factory-like values and the
 * rules of an option change (OPTSTRT).  See optbytes_h5.h.  Layout: facts
 * B.2; product states: facts B.3; "clean" values: facts B.4.  OTPBLR and the
 * boot-lock meaning come from the H563 SVD descriptions the facts sheet cites
 * as [SVD-H563].
 */
#include "optbytes_h5.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define VALL OB5_VALL
#define VTZ OB5_VTZ
#define V474 OB5_V474
#define PS OB5_ENC_PRODUCT_STATE
#define B4C3 OB5_ENC_B4_C3

#define PS_OPEN 0xedu
#define PS_PROVISIONING 0x17u
#define PS_TZ_CLOSED 0xc6u
#define PS_LOCKED 0x5cu
#define PS_REGRESSION 0x9au
#define PS_NS_REGRESSION 0xa3u
#define CODE_ON 0xb4u  /* TZEN enabled, BOOT_UBE OEM-iRoT, xxBOOT_LOCK locked */
#define CODE_OFF 0xc3u /* TZEN disabled, BOOT_UBE ST-iRoT, xxBOOT_LOCK unlocked */

/* Register map of the option registers (facts B.2): _PRG sits 4 bytes after _CUR. */
static const struct {
	const char *cur_name;
	const char *prg_name;
	uint16_t cur_off;
	unsigned variants;
	bool secure;
} regs[OB5_REG_COUNT] = {
	[OB5_OPTSR] = { "OPTSR_CUR", "OPTSR_PRG", 0x050, VALL, false },
	[OB5_NSEPOCHR] = { "NSEPOCHR_CUR", "NSEPOCHR_PRG", 0x060, VALL, false },
	[OB5_SECEPOCHR] = { "SECEPOCHR_CUR", "SECEPOCHR_PRG", 0x068, VTZ, true },
	[OB5_OPTSR2] = { "OPTSR2_CUR", "OPTSR2_PRG", 0x070, VALL, false },
	[OB5_NSBOOTR] = { "NSBOOTR_CUR", "NSBOOTR_PRG", 0x080, VALL, false },
	[OB5_SECBOOTR] = { "SECBOOTR_CUR", "SECBOOTR_PRG", 0x088, VTZ, true },
	[OB5_OTPBLR] = { "OTPBLR_CUR", "OTPBLR_PRG", 0x090, VALL, false },
	[OB5_SECWM1R] = { "SECWM1R_CUR", "SECWM1R_PRG", 0x0e0, VTZ, true },
	[OB5_WRP1R] = { "WRP1R_CUR", "WRP1R_PRG", 0x0e8, VALL, false },
	[OB5_EDATA1R] = { "EDATA1R_CUR", "EDATA1R_PRG", 0x0f0, VTZ, false },
	[OB5_HDP1R] = { "HDP1R_CUR", "HDP1R_PRG", 0x0f8, VALL, false },
	[OB5_SECWM2R] = { "SECWM2R_CUR", "SECWM2R_PRG", 0x1e0, VTZ, true },
	[OB5_WRP2R] = { "WRP2R_CUR", "WRP2R_PRG", 0x1e8, VALL, false },
	[OB5_EDATA2R] = { "EDATA2R_CUR", "EDATA2R_PRG", 0x1f0, VTZ, false },
	[OB5_HDP2R] = { "HDP2R_CUR", "HDP2R_PRG", 0x1f8, VALL, false },
};

/*
 * Every option field of every H5 line (facts B.2).  Per-line presence beyond
 * the "(S)" marks is UNCONFIRMED and follows the tool's own table
 * (src/flash/nor/stm32h5x_ob.c): BOOT_UBE, SRAM1_3_RST, SRAM3_ECC, USBPD_DIS
 * only on the TrustZone lines.  EDATAx_EN (bit 15) and the EPOCH counters
 * come from the H563 SVD ([SVD-H563]); LOCKBL: one bit per 32 OTP half-words.
 */
static const optbytes_h5_field fields[] = {
	{ "BOR_LEV",        OB5_OPTSR,     0,  2, VALL, OB5_ENC_ANY },
	{ "BORH_EN",        OB5_OPTSR,     2,  1, VALL, OB5_ENC_ANY },
	{ "IWDG_SW",        OB5_OPTSR,     3,  1, VALL, OB5_ENC_ANY },
	{ "WWDG_SW",        OB5_OPTSR,     4,  1, VALL, OB5_ENC_ANY },
	{ "NRST_STOP",      OB5_OPTSR,     6,  1, VALL, OB5_ENC_ANY },
	{ "NRST_STDBY",     OB5_OPTSR,     7,  1, VALL, OB5_ENC_ANY },
	{ "PRODUCT_STATE",  OB5_OPTSR,     8,  8, VALL, PS },
	{ "IO_VDD_HSLV",    OB5_OPTSR,    16,  1, VALL, OB5_ENC_ANY },
	{ "IO_VDDIO2_HSLV", OB5_OPTSR,    17,  1, VALL, OB5_ENC_ANY },
	{ "IWDG_STOP",      OB5_OPTSR,    20,  1, VALL, OB5_ENC_ANY },
	{ "IWDG_STDBY",     OB5_OPTSR,    21,  1, VALL, OB5_ENC_ANY },
	{ "BOOT_UBE",       OB5_OPTSR,    22,  8, VTZ,  B4C3 },
	{ "SWAP_BANK",      OB5_OPTSR,    31,  1, VALL, OB5_ENC_ANY },
	{ "NS_EPOCH",       OB5_NSEPOCHR,  0, 24, VALL, OB5_ENC_ANY },
	{ "SEC_EPOCH",      OB5_SECEPOCHR, 0, 24, VTZ,  OB5_ENC_ANY },
	{ "SRAM1_3_RST",    OB5_OPTSR2,    2,  1, VTZ,  OB5_ENC_ANY },
	{ "SRAM2_RST",      OB5_OPTSR2,    3,  1, VALL, OB5_ENC_ANY },
	{ "BKPRAM_ECC",     OB5_OPTSR2,    4,  1, VALL, OB5_ENC_ANY },
	{ "SRAM3_ECC",      OB5_OPTSR2,    5,  1, VTZ,  OB5_ENC_ANY },
	{ "SRAM2_ECC",      OB5_OPTSR2,    6,  1, VALL, OB5_ENC_ANY },
	{ "USBPD_DIS",      OB5_OPTSR2,    8,  1, VTZ,  OB5_ENC_ANY },
	{ "TZEN",           OB5_OPTSR2,   24,  8, VTZ,  B4C3 },
	{ "NSBOOT_LOCK",    OB5_NSBOOTR,   0,  8, VALL, B4C3 },
	{ "NSBOOTADD",      OB5_NSBOOTR,   8, 24, VALL, OB5_ENC_ANY },
	{ "SECBOOT_LOCK",   OB5_SECBOOTR,  0,  8, VTZ,  B4C3 },
	{ "SECBOOTADD",     OB5_SECBOOTR,  8, 24, VTZ,  OB5_ENC_ANY },
	{ "LOCKBL",         OB5_OTPBLR,    0, 32, VALL, OB5_ENC_ANY },
	{ "SECWM1_STRT",    OB5_SECWM1R,   0,  7, VTZ,  OB5_ENC_ANY },
	{ "SECWM1_END",     OB5_SECWM1R,  16,  7, VTZ,  OB5_ENC_ANY },
	{ "WRPSG1",         OB5_WRP1R,     0, 32, VTZ,  OB5_ENC_ANY },
	{ "WRPSG1",         OB5_WRP1R,     0,  8, V474, OB5_ENC_ANY },
	{ "EDATA1_STRT",    OB5_EDATA1R,   0,  3, VTZ,  OB5_ENC_ANY },
	{ "EDATA1_EN",      OB5_EDATA1R,  15,  1, VTZ,  OB5_ENC_ANY },
	{ "HDP1_STRT",      OB5_HDP1R,     0,  7, VALL, OB5_ENC_ANY },
	{ "HDP1_END",       OB5_HDP1R,    16,  7, VALL, OB5_ENC_ANY },
	{ "SECWM2_STRT",    OB5_SECWM2R,   0,  7, VTZ,  OB5_ENC_ANY },
	{ "SECWM2_END",     OB5_SECWM2R,  16,  7, VTZ,  OB5_ENC_ANY },
	{ "WRPSG2",         OB5_WRP2R,     0, 32, VTZ,  OB5_ENC_ANY },
	{ "WRPSG2",         OB5_WRP2R,     0,  8, V474, OB5_ENC_ANY },
	{ "EDATA2_STRT",    OB5_EDATA2R,   0,  3, VTZ,  OB5_ENC_ANY },
	{ "EDATA2_EN",      OB5_EDATA2R,  15,  1, VTZ,  OB5_ENC_ANY },
	{ "HDP2_STRT",      OB5_HDP2R,     0,  7, VALL, OB5_ENC_ANY },
	{ "HDP2_END",       OB5_HDP2R,    16,  7, VALL, OB5_ENC_ANY },
};

/*
 * Factory-like values: ST's "remove protections" values of facts B.4
 * (UNCONFIRMED as factory): Open, TZ off, boot addresses 0x08000000 /
 * 0x0C000000 unlocked, HDP and SECWM areas disabled (STRT 1 > END 0), WRPSG
 * all ones (set in optbytes_h5_init).  Watchdogs in software mode, no reset
 * on Stop/Standby, IWDG running in Stop/Standby, SRAM erase and ECC options
 * at 1 (not erased, ECC off): UNCONFIRMED, the usual ST factory shape.
 */
static const struct {
	const char *name;
	uint32_t value;
} factory[] = {
	{ "IWDG_SW", 1 }, { "WWDG_SW", 1 }, { "NRST_STOP", 1 }, { "NRST_STDBY", 1 },
	{ "PRODUCT_STATE", PS_OPEN }, { "IWDG_STOP", 1 }, { "IWDG_STDBY", 1 }, { "BOOT_UBE", CODE_ON },
	{ "SRAM1_3_RST", 1 }, { "SRAM2_RST", 1 }, { "BKPRAM_ECC", 1 }, { "SRAM3_ECC", 1 }, { "SRAM2_ECC", 1 },
	{ "TZEN", CODE_OFF }, { "NSBOOT_LOCK", CODE_OFF }, { "NSBOOTADD", 0x080000 },
	{ "SECBOOT_LOCK", CODE_OFF }, { "SECBOOTADD", 0x0c0000 },
	{ "SECWM1_STRT", 1 }, { "SECWM2_STRT", 1 }, { "HDP1_STRT", 1 }, { "HDP2_STRT", 1 },
};

static const struct {
	uint8_t code;
	const char *name;
	int rank;
} states[] = {
	{ PS_OPEN, "Open", 0 },
	{ PS_PROVISIONING, "Provisioning", 1 },
	{ 0x2e, "iROT-Provisioned", 2 },
	{ PS_TZ_CLOSED, "TZ-Closed", 3 },
	{ 0x72, "Closed", 4 },
	{ PS_LOCKED, "Locked", 5 },
	{ PS_REGRESSION, "Regression", -1 },
	{ PS_NS_REGRESSION, "NS-Regression", -1 },
};

unsigned optbytes_h5_variant(uint16_t dev_id)
{
	switch (dev_id) {
	case 0x474:
		return OB5_V474;
	case 0x478:
		return OB5_V478;
	case 0x484:
		return OB5_V484;
	default:
		return 0;
	}
}

const char *optbytes_h5_variant_name(unsigned variant)
{
	switch (variant) {
	case OB5_V474:
		return "STM32H503 (0x474)";
	case OB5_V478:
		return "STM32H523/H533 (0x478)";
	case OB5_V484:
		return "STM32H562/H563/H573 (0x484)";
	default:
		return "unknown STM32H5 line";
	}
}

/* ----------------------------------------------------------- registers -- */

bool optbytes_h5_reg_exists(const optbytes_h5 *ob, ob_h5_reg reg)
{
	return reg < OB5_REG_COUNT && (regs[reg].variants & ob->variant);
}

bool optbytes_h5_reg_secure(ob_h5_reg reg)
{
	return reg < OB5_REG_COUNT && regs[reg].secure;
}

const char *optbytes_h5_reg_name(ob_h5_reg reg, bool cur)
{
	if (reg >= OB5_REG_COUNT)
		return "?";
	return cur ? regs[reg].cur_name : regs[reg].prg_name;
}

uint32_t optbytes_h5_reg_offset(ob_h5_reg reg, bool cur)
{
	if (reg >= OB5_REG_COUNT)
		return 0;
	return regs[reg].cur_off + (cur ? 0u : 4u);
}

bool optbytes_h5_reg_at(const optbytes_h5 *ob, uint32_t offset, ob_h5_reg *reg, bool *cur)
{
	for (unsigned r = 0; r < OB5_REG_COUNT; r++) {
		if (offset != regs[r].cur_off && offset != regs[r].cur_off + 4u)
			continue;
		*reg = (ob_h5_reg)r;
		*cur = offset == regs[r].cur_off;
		return optbytes_h5_reg_exists(ob, *reg);
	}
	return false;
}

/* ------------------------------------------------------------- fields -- */

size_t optbytes_h5_field_count(void)
{
	return sizeof(fields) / sizeof(fields[0]);
}

const optbytes_h5_field *optbytes_h5_field_at(size_t index)
{
	return index < optbytes_h5_field_count() ? &fields[index] : NULL;
}

static bool field_exists(const optbytes_h5 *ob, const optbytes_h5_field *field)
{
	return (field->variants & ob->variant) && optbytes_h5_reg_exists(ob, field->reg);
}

const optbytes_h5_field *optbytes_h5_field_find(const optbytes_h5 *ob, const char *name, bool *known)
{
	bool seen = false;

	for (size_t i = 0; i < optbytes_h5_field_count(); i++) {
		if (strcmp(fields[i].name, name) != 0)
			continue;
		seen = true;
		if (field_exists(ob, &fields[i])) {
			if (known)
				*known = true;
			return &fields[i];
		}
	}
	if (known)
		*known = seen;
	return NULL;
}

static uint32_t field_mask(const optbytes_h5_field *field)
{
	uint32_t ones = field->width >= 32 ? 0xffffffffu : (1u << field->width) - 1u;

	return ones << field->shift;
}

uint32_t optbytes_h5_field_max(const optbytes_h5_field *field)
{
	return field_mask(field) >> field->shift;
}

uint32_t optbytes_h5_field_get(const uint32_t *r, const optbytes_h5_field *field)
{
	return (r[field->reg] & field_mask(field)) >> field->shift;
}

void optbytes_h5_field_set(uint32_t *r, const optbytes_h5_field *field, uint32_t value)
{
	uint32_t mask = field_mask(field);

	r[field->reg] = (r[field->reg] & ~mask) | ((value << field->shift) & mask);
}

uint32_t optbytes_h5_reg_mask(const optbytes_h5 *ob, ob_h5_reg reg)
{
	uint32_t mask = 0;

	if (!optbytes_h5_reg_exists(ob, reg))
		return 0;
	for (size_t i = 0; i < optbytes_h5_field_count(); i++)
		if (fields[i].reg == reg && (fields[i].variants & ob->variant))
			mask |= field_mask(&fields[i]);
	return mask;
}

bool optbytes_h5_field_valid(const optbytes_h5_field *field, uint32_t value, const char **why)
{
	if (value > optbytes_h5_field_max(field)) {
		*why = "does not fit in the field";
		return false;
	}
	if (field->enc == OB5_ENC_PRODUCT_STATE && !optbytes_h5_ps_name((uint8_t)value)) {
		*why = "is not a PRODUCT_STATE code (0xED, 0x17, 0x2E, 0xC6, 0x72, 0x5C, 0x9A, 0xA3)";
		return false;
	}
	if (field->enc == OB5_ENC_B4_C3 && value != CODE_ON && value != CODE_OFF) {
		*why = "is neither 0xB4 nor 0xC3";
		return false;
	}
	return true;
}

static uint32_t get_named(const optbytes_h5 *ob, const uint32_t *r, const char *name)
{
	const optbytes_h5_field *field = optbytes_h5_field_find(ob, name, NULL);

	return field ? optbytes_h5_field_get(r, field) : 0;
}

static void set_named(optbytes_h5 *ob, uint32_t *r, const char *name, uint32_t value)
{
	const optbytes_h5_field *field = optbytes_h5_field_find(ob, name, NULL);

	if (field)
		optbytes_h5_field_set(r, field, value);
}

void optbytes_h5_init(optbytes_h5 *ob, unsigned variant, unsigned sectors_per_bank)
{
	memset(ob, 0, sizeof(*ob));
	ob->variant = variant;
	ob->sectors = sectors_per_bank;
	ob->cur[OB5_WRP1R] = optbytes_h5_reg_mask(ob, OB5_WRP1R);
	ob->cur[OB5_WRP2R] = optbytes_h5_reg_mask(ob, OB5_WRP2R);
	for (size_t i = 0; i < sizeof(factory) / sizeof(factory[0]); i++)
		set_named(ob, ob->cur, factory[i].name, factory[i].value);
	memcpy(ob->prg, ob->cur, sizeof(ob->prg));
}

/* ------------------------------------------------------------ queries -- */

uint8_t optbytes_h5_product_state(const optbytes_h5 *ob)
{
	return (uint8_t)(ob->cur[OB5_OPTSR] >> OB5_OPTSR_PS_SHIFT);
}

uint8_t optbytes_h5_tzen(const optbytes_h5 *ob)
{
	return (uint8_t)(ob->cur[OB5_OPTSR2] >> OB5_OPTSR2_TZEN_SHIFT);
}

/* Only 0xB4 enables TrustZone (facts B.2); the H503 has none. */
bool optbytes_h5_tz_enabled(const optbytes_h5 *ob)
{
	return ob->variant != OB5_V474 && optbytes_h5_tzen(ob) == CODE_ON;
}

const char *optbytes_h5_ps_name(uint8_t code)
{
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (states[i].code == code)
			return states[i].name;
	return NULL;
}

int optbytes_h5_ps_rank(uint8_t code)
{
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (states[i].code == code)
			return states[i].rank;
	return -1;
}

bool optbytes_h5_sector_wrp(const optbytes_h5 *ob, unsigned bank, unsigned sector, unsigned group)
{
	unsigned bit = sector / (group ? group : 1u);

	if (bank > 1 || bit >= 32)
		return false;
	return !((ob->cur[bank ? OB5_WRP2R : OB5_WRP1R] >> bit) & 1u);
}

bool optbytes_h5_sector_in_secwm(const optbytes_h5 *ob, unsigned bank, unsigned sector)
{
	ob_h5_reg reg = bank ? OB5_SECWM2R : OB5_SECWM1R;
	uint32_t strt, end;

	if (bank > 1 || !optbytes_h5_reg_exists(ob, reg))
		return false;
	strt = ob->cur[reg] & 0x7fu;
	end = (ob->cur[reg] >> 16) & 0x7fu;
	/* STRT > END disables the area (facts B.2). */
	return strt <= end && sector >= strt && sector <= end;
}

/* -------------------------------------------------------- the change -- */

static void refuse(optbytes_h5_plan *plan, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Keep the first reason: it is the one the guest-error log reports. */
static void refuse(optbytes_h5_plan *plan, const char *fmt, ...)
{
	va_list ap;

	if (plan->refused)
		return;
	plan->refused = true;
	va_start(ap, fmt);
	vsnprintf(plan->why, sizeof(plan->why), fmt, ap);
	va_end(ap);
}

static void check_encodings(const optbytes_h5 *ob, optbytes_h5_plan *plan)
{
	for (size_t i = 0; i < optbytes_h5_field_count(); i++) {
		const optbytes_h5_field *field = &fields[i];
		const char *why = NULL;

		if (field->enc == OB5_ENC_ANY || !field_exists(ob, field))
			continue;
		if (!optbytes_h5_field_valid(field, optbytes_h5_field_get(ob->prg, field), &why)) {
			refuse(plan, "%s = 0x%02x %s", field->name, optbytes_h5_field_get(ob->prg, field), why);
			return;
		}
	}
}

/*
 * PRODUCT_STATE (facts B.3): forward only, by Open < Provisioning <
 * iROT-Provisioned < TZ-Closed < Closed < Locked.  Whether states can be
 * skipped is UNCONFIRMED; chosen, after field report seed 004 (Open ->
 * TZ-Closed left the chip in 0x17): from Open, any request past Provisioning
 * lands in Provisioning without an error; from Provisioning on, any later
 * state is reachable.  Backward moves and the Regression / NS-Regression
 * codes are refused (only the ROM writes those).  TZ-Closed needs TZEN =
 * 0xB4 after the change (UNCONFIRMED, it names TrustZone).
 */
static void plan_product_state(const optbytes_h5 *ob, optbytes_h5_plan *plan)
{
	uint8_t cur = optbytes_h5_product_state(ob);
	uint8_t req = (uint8_t)(ob->prg[OB5_OPTSR] >> OB5_OPTSR_PS_SHIFT);
	uint32_t tzen_after = get_named(ob, ob->prg, "TZEN");

	plan->product_state = cur;
	if (req == cur)
		return;
	if (req == PS_REGRESSION || req == PS_NS_REGRESSION) {
		refuse(plan, "PRODUCT_STATE 0x%02x (regression) cannot be written by option programming", req);
		return;
	}
	if (optbytes_h5_ps_rank(req) < optbytes_h5_ps_rank(cur)) {
		refuse(plan, "PRODUCT_STATE cannot move backwards (0x%02x -> 0x%02x)", cur, req);
		return;
	}
	if (cur == PS_OPEN && optbytes_h5_ps_rank(req) > optbytes_h5_ps_rank(PS_PROVISIONING)) {
		req = PS_PROVISIONING;
		plan->landed_short = true;
	}
	if (req == PS_TZ_CLOSED && (ob->variant == OB5_V474 || tzen_after != CODE_ON)) {
		refuse(plan, "PRODUCT_STATE TZ-Closed needs TZEN = 0xB4 (TZEN would be 0x%02x)", tzen_after);
		return;
	}
	plan->product_state = req;
	plan->product_state_changed = true;
}

/*
 * TZEN (facts B.3, ST's regression script): 0xC3 -> 0xB4 in Open and
 * Provisioning; 0xB4 -> 0xC3 only in Provisioning (where ST's script does
 * it).  Other states: UNCONFIRMED, refused.
 */
static void plan_tzen(const optbytes_h5 *ob, optbytes_h5_plan *plan)
{
	uint8_t ps = optbytes_h5_product_state(ob);
	uint32_t cur = get_named(ob, ob->cur, "TZEN"), req = get_named(ob, ob->prg, "TZEN");

	if (ob->variant == OB5_V474 || cur == req)
		return;
	if (req == CODE_ON && (ps == PS_OPEN || ps == PS_PROVISIONING))
		return;
	if (req == CODE_OFF && ps == PS_PROVISIONING)
		return;
	refuse(plan, "TZEN 0x%02x cannot be written in product state 0x%02x", req, ps);
}

static bool field_changes(const optbytes_h5 *ob, const char *name)
{
	return get_named(ob, ob->cur, name) != get_named(ob, ob->prg, name);
}

/*
 * Boot locks ([SVD-H563]): NSBOOT_LOCK = 0xB4 freezes SWAP_BANK and NSBOOTADD,
 * SECBOOT_LOCK = 0xB4 freezes BOOT_UBE, SWAP_BANK and SECBOOTADD.  How a lock
 * is released is UNCONFIRMED; chosen: only in product state Open.
 */
static void plan_boot_locks(const optbytes_h5 *ob, optbytes_h5_plan *plan)
{
	uint8_t ps = optbytes_h5_product_state(ob);
	bool ns_locked = get_named(ob, ob->cur, "NSBOOT_LOCK") == CODE_ON;
	bool sec_locked = ob->variant != OB5_V474 && get_named(ob, ob->cur, "SECBOOT_LOCK") == CODE_ON;

	if (ns_locked && (field_changes(ob, "NSBOOTADD") || field_changes(ob, "SWAP_BANK")))
		refuse(plan, "NSBOOT_LOCK = 0xB4 freezes NSBOOTADD and SWAP_BANK");
	if (sec_locked && (field_changes(ob, "SECBOOTADD") || field_changes(ob, "SWAP_BANK") ||
			   field_changes(ob, "BOOT_UBE")))
		refuse(plan, "SECBOOT_LOCK = 0xB4 freezes SECBOOTADD, BOOT_UBE and SWAP_BANK");
	if (ps != PS_OPEN && ((ns_locked && field_changes(ob, "NSBOOT_LOCK")) ||
			      (sec_locked && field_changes(ob, "SECBOOT_LOCK"))))
		refuse(plan, "a boot lock can only be released in product state Open, not 0x%02x", ps);
}

/*
 * OTPBLR: a locked OTP block stays locked ([SVD-H563]).  EPOCH counters:
 * UNCONFIRMED; chosen monotonic (a decrease is refused).
 */
static void plan_counters(const optbytes_h5 *ob, optbytes_h5_plan *plan)
{
	if (ob->cur[OB5_OTPBLR] & ~ob->prg[OB5_OTPBLR])
		refuse(plan, "OTPBLR lock bits cannot be cleared (0x%08x -> 0x%08x)", ob->cur[OB5_OTPBLR],
		       ob->prg[OB5_OTPBLR]);
	if (get_named(ob, ob->prg, "NS_EPOCH") < get_named(ob, ob->cur, "NS_EPOCH") ||
	    get_named(ob, ob->prg, "SEC_EPOCH") < get_named(ob, ob->cur, "SEC_EPOCH"))
		refuse(plan, "an EPOCH counter cannot decrease");
}

void optbytes_h5_plan_change(const optbytes_h5 *ob, optbytes_h5_plan *plan)
{
	uint8_t ps = optbytes_h5_product_state(ob);

	memset(plan, 0, sizeof(*plan));
	plan->product_state = ps;
	/* Locked is final (facts B.3); during a regression only the ROM writes options. */
	if (ps == PS_LOCKED) {
		refuse(plan, "product state Locked (0x%02x): option bytes can no longer change", ps);
		return;
	}
	if (ps == PS_REGRESSION || ps == PS_NS_REGRESSION) {
		refuse(plan, "a regression is in progress (product state 0x%02x)", ps);
		return;
	}
	check_encodings(ob, plan);
	if (plan->refused)
		return;
	plan_product_state(ob, plan);
	plan_tzen(ob, plan);
	plan_boot_locks(ob, plan);
	plan_counters(ob, plan);
}

void optbytes_h5_commit(optbytes_h5 *ob, const optbytes_h5_plan *plan)
{
	if (plan->refused)
		return;
	for (unsigned r = 0; r < OB5_REG_COUNT; r++)
		ob->cur[r] = ob->prg[r] & optbytes_h5_reg_mask(ob, (ob_h5_reg)r);
	set_named(ob, ob->cur, "PRODUCT_STATE", plan->product_state);
	memcpy(ob->prg, ob->cur, sizeof(ob->prg));
}

void optbytes_h5_reload(optbytes_h5 *ob)
{
	memcpy(ob->prg, ob->cur, sizeof(ob->prg));
}

void optbytes_h5_force_product_state(optbytes_h5 *ob, uint8_t code)
{
	set_named(ob, ob->cur, "PRODUCT_STATE", code);
	set_named(ob, ob->prg, "PRODUCT_STATE", code);
}
