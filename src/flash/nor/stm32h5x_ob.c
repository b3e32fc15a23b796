/*
 * STM32H5 option-byte model: which registers and fields each line has, ST's
 * "clean" values, validated field access, and the product-state transition
 * rules the tool enforces.  Pure data and arithmetic; no chip access here.
 *
 * Facts: ../shared/facts/stm32-facts.md B.1 (lines), B.2 (register map,
 * OPTSR/OPTSR2/BOOTR/WRP/HDP/SECWM layouts, geometry), B.3 (product states),
 * B.4 (credentials, clean values).
 */
#include <string.h>

#include "stm32h5x.h"

#define ALL_LINES (H5_LINE_474 | H5_LINE_478 | H5_LINE_484)
#define TZ_LINES  (H5_LINE_478 | H5_LINE_484)  /* "(S)" in facts B.2: absent on H503 */
#define NOT_474   TZ_LINES                     /* "not H503" (OBK, EDATA) */

/*
 * WRPSG granularity on 0x478 (32 sectors per bank, 32-bit WRPSG) is not in
 * the facts sheet: one sector per bit is assumed (UNCONFIRMED).
 */
static const h5_line_info h5_lines[] = {
	{ 0x474, H5_LINE_474, "STM32H503", "RM0492", 128, 8, 1, 8, false, true },
	{ 0x478, H5_LINE_478, "STM32H523/H533", "RM0481", 512, 8, 1, 32, true, false },
	{ 0x484, H5_LINE_484, "STM32H562/H563/H573", "RM0481", 2048, 8, 4, 32, true, false },
};

const h5_line_info *h5_line_by_dev_id(uint16_t dev_id)
{
	for (size_t i = 0; i < sizeof(h5_lines) / sizeof(h5_lines[0]); i++)
		if (h5_lines[i].dev_id == dev_id)
			return &h5_lines[i];
	return NULL;
}

ub_err h5_geometry_for(const h5_line_info *line, unsigned flash_kib, h5_geometry *g)
{
	if (!line || !g)
		return ub_fail(UB_ERR_ARG, "h5_geometry_for: NULL argument");
	/* Two equal banks of whole sectors (facts B.2 geometry table). */
	unsigned unit = 2 * line->sector_kib;
	if (flash_kib == 0 || flash_kib > line->max_kib || flash_kib % unit != 0)
		return ub_fail(UB_ERR_ARG,
			       "flash size %u KiB is impossible on %s (at most %u KiB, two banks of %u KiB sectors)",
			       flash_kib, line->family, line->max_kib, line->sector_kib);
	g->flash_kib = flash_kib;
	g->bank_kib = flash_kib / 2;
	g->sectors_per_bank = g->bank_kib / line->sector_kib;
	g->bank2_base = H5_FLASH_BASE_NS + g->bank_kib * 1024u;
	return UB_OK;
}

/* ---- Register map (facts B.2) --------------------------------------------- */

#define OFF(x) { (x) }
#define REG(name, off, lines) { name, OFF(off), lines }
/* _CUR / _PRG pairs. */
#define REG2(name, off, lines) REG(name "_CUR", off, lines), REG(name "_PRG", (off) + 4, lines)

static const h5_flash_reg h5_flash_regs[] = {
	REG("ACR", 0x00, ALL_LINES),        REG("NSKEYR", 0x04, ALL_LINES),
	REG("SECKEYR", 0x08, TZ_LINES),     REG("OPTKEYR", 0x0C, ALL_LINES),
	REG("NSOBKKEYR", 0x10, NOT_474),    REG("SECOBKKEYR", 0x14, TZ_LINES),
	REG("OPSR", 0x18, ALL_LINES),       REG("OPTCR", 0x1C, ALL_LINES),
	REG("NSSR", 0x20, ALL_LINES),       REG("SECSR", 0x24, TZ_LINES),
	REG("NSCR", 0x28, ALL_LINES),       REG("SECCR", 0x2C, TZ_LINES),
	REG("NSCCR", 0x30, ALL_LINES),      REG("SECCCR", 0x34, TZ_LINES),
	REG("PRIVCFGR", 0x3C, ALL_LINES),   REG("NSOBKCFGR", 0x40, NOT_474),
	REG("SECOBKCFGR", 0x44, TZ_LINES),  REG("HDPEXTR", 0x48, ALL_LINES),
	REG2("OPTSR", 0x50, ALL_LINES),     REG2("NSEPOCHR", 0x60, ALL_LINES),
	REG2("SECEPOCHR", 0x68, TZ_LINES),  REG2("OPTSR2", 0x70, ALL_LINES),
	REG2("NSBOOTR", 0x80, ALL_LINES),   REG2("SECBOOTR", 0x88, TZ_LINES),
	REG2("OTPBLR", 0x90, ALL_LINES),
	/* Block-based security/privilege: four per bank on H56x/H57x, one elsewhere. */
	REG("SECBB1R1", 0xA0, TZ_LINES),    REG("SECBB1R2", 0xA4, H5_LINE_484),
	REG("SECBB1R3", 0xA8, H5_LINE_484), REG("SECBB1R4", 0xAC, H5_LINE_484),
	REG("PRIVBB1R1", 0xC0, ALL_LINES),  REG("PRIVBB1R2", 0xC4, H5_LINE_484),
	REG("PRIVBB1R3", 0xC8, H5_LINE_484), REG("PRIVBB1R4", 0xCC, H5_LINE_484),
	REG2("SECWM1R", 0xE0, TZ_LINES),    REG2("WRP1R", 0xE8, ALL_LINES),
	REG2("EDATA1R", 0xF0, NOT_474),     REG2("HDP1R", 0xF8, ALL_LINES),
	REG("ECCCORR", 0x100, ALL_LINES),   REG("ECCDETR", 0x104, ALL_LINES),
	REG("ECCDR", 0x108, ALL_LINES),
	REG("SECBB2R1", 0x1A0, TZ_LINES),   REG("SECBB2R2", 0x1A4, H5_LINE_484),
	REG("SECBB2R3", 0x1A8, H5_LINE_484), REG("SECBB2R4", 0x1AC, H5_LINE_484),
	REG("PRIVBB2R1", 0x1C0, ALL_LINES), REG("PRIVBB2R2", 0x1C4, H5_LINE_484),
	REG("PRIVBB2R3", 0x1C8, H5_LINE_484), REG("PRIVBB2R4", 0x1CC, H5_LINE_484),
	REG2("SECWM2R", 0x1E0, TZ_LINES),   REG2("WRP2R", 0x1E8, ALL_LINES),
	REG2("EDATA2R", 0x1F0, NOT_474),    REG2("HDP2R", 0x1F8, ALL_LINES),
};

size_t h5_flash_reg_count(void)
{
	return sizeof(h5_flash_regs) / sizeof(h5_flash_regs[0]);
}

const h5_flash_reg *h5_flash_reg_at(size_t i)
{
	return i < h5_flash_reg_count() ? &h5_flash_regs[i] : NULL;
}

const h5_flash_reg *h5_flash_reg_on(const h5_line_info *line, const char *name)
{
	if (!line || !name)
		return NULL;
	for (size_t i = 0; i < h5_flash_reg_count(); i++)
		if ((h5_flash_regs[i].lines & line->line) && strcmp(h5_flash_regs[i].name, name) == 0)
			return &h5_flash_regs[i];
	return NULL;
}

/* ---- Option-byte registers and fields -------------------------------------- */

/* Register indices, in the order of h5_ob_regs[]. */
enum {
	R_OPTSR, R_OPTSR2, R_NSBOOTR, R_SECBOOTR, R_WRP1R, R_WRP2R, R_HDP1R, R_HDP2R,
	R_SECWM1R, R_SECWM2R, R_EDATA1R, R_EDATA2R, R__COUNT
};

_Static_assert(R__COUNT <= H5_OB_MAX_REGS, "h5_ob too small for the register table");

static const h5_ob_reg h5_ob_regs[R__COUNT] = {
	[R_OPTSR]    = { "OPTSR",    OFF(0x050), OFF(0x054), ALL_LINES },
	[R_OPTSR2]   = { "OPTSR2",   OFF(0x070), OFF(0x074), ALL_LINES },
	[R_NSBOOTR]  = { "NSBOOTR",  OFF(0x080), OFF(0x084), ALL_LINES },
	[R_SECBOOTR] = { "SECBOOTR", OFF(0x088), OFF(0x08C), TZ_LINES },
	[R_WRP1R]    = { "WRP1R",    OFF(0x0E8), OFF(0x0EC), ALL_LINES },
	[R_WRP2R]    = { "WRP2R",    OFF(0x1E8), OFF(0x1EC), ALL_LINES },
	[R_HDP1R]    = { "HDP1R",    OFF(0x0F8), OFF(0x0FC), ALL_LINES },
	[R_HDP2R]    = { "HDP2R",    OFF(0x1F8), OFF(0x1FC), ALL_LINES },
	[R_SECWM1R]  = { "SECWM1R",  OFF(0x0E0), OFF(0x0E4), TZ_LINES },
	[R_SECWM2R]  = { "SECWM2R",  OFF(0x1E0), OFF(0x1E4), TZ_LINES },
	[R_EDATA1R]  = { "EDATA1R",  OFF(0x0F0), OFF(0x0F4), NOT_474 },
	[R_EDATA2R]  = { "EDATA2R",  OFF(0x1F0), OFF(0x1F4), NOT_474 },
};

#define IDX(x) { (x) }
#define F(name, reg, shift, width, lines, meaning) { name, IDX(reg), shift, width, lines, meaning }

/*
 * Per-line presence beyond facts B.2's "(S)" marks, UNCONFIRMED: BOOT_UBE is
 * kept to the lines with an ST/OEM iRoT choice; SRAM1_3_RST, SRAM3_ECC and
 * USBPD_DIS are left out on H503 (no SRAM3; its bit-2 name and UCPD not in the
 * facts).  EDATAx_EN at bit 15 is not in the facts sheet either (UNCONFIRMED);
 * EDATAx_STRT [2:0] is the sector count minus one.
 */
static const h5_ob_field h5_ob_fields[] = {
	F("BOR_LEV",        R_OPTSR,  0, 2, ALL_LINES, "brown-out reset threshold"),
	F("BORH_EN",        R_OPTSR,  2, 1, ALL_LINES, "1 = BOR high level enabled"),
	F("IWDG_SW",        R_OPTSR,  3, 1, ALL_LINES, "1 = IWDG started by software"),
	F("WWDG_SW",        R_OPTSR,  4, 1, ALL_LINES, "1 = WWDG started by software"),
	F("NRST_STOP",      R_OPTSR,  6, 1, ALL_LINES, "1 = no reset when entering Stop"),
	F("NRST_STDBY",     R_OPTSR,  7, 1, ALL_LINES, "1 = no reset when entering Standby"),
	F("PRODUCT_STATE",  R_OPTSR,  8, 8, ALL_LINES, "0xED Open, 0x17 Provisioning, ... 0x5C Locked"),
	F("IO_VDD_HSLV",    R_OPTSR, 16, 1, ALL_LINES, "VDD I/O high-speed at low voltage"),
	F("IO_VDDIO2_HSLV", R_OPTSR, 17, 1, ALL_LINES, "VDDIO2 I/O high-speed at low voltage"),
	F("IWDG_STOP",      R_OPTSR, 20, 1, ALL_LINES, "1 = IWDG runs in Stop"),
	F("IWDG_STDBY",     R_OPTSR, 21, 1, ALL_LINES, "1 = IWDG runs in Standby"),
	F("BOOT_UBE",       R_OPTSR, 22, 8, TZ_LINES, "0xB4 boot OEM-iRoT/user flash, 0xC3 ST-iRoT"),
	F("SWAP_BANK",      R_OPTSR, 31, 1, ALL_LINES, "1 = banks swapped"),
	F("SRAM1_3_RST",    R_OPTSR2, 2, 1, TZ_LINES, "SRAM1/SRAM3 erased on system reset"),
	F("SRAM2_RST",      R_OPTSR2, 3, 1, ALL_LINES, "SRAM2 erased on system reset"),
	F("BKPRAM_ECC",     R_OPTSR2, 4, 1, ALL_LINES, "backup RAM ECC"),
	F("SRAM3_ECC",      R_OPTSR2, 5, 1, TZ_LINES, "SRAM3 ECC"),
	F("SRAM2_ECC",      R_OPTSR2, 6, 1, ALL_LINES, "SRAM2 ECC"),
	F("USBPD_DIS",      R_OPTSR2, 8, 1, TZ_LINES, "USB power delivery dead-battery disabled"),
	F("TZEN",           R_OPTSR2, 24, 8, TZ_LINES, "TrustZone: 0xB4 enabled, 0xC3 disabled"),
	F("NSBOOT_LOCK",    R_NSBOOTR, 0, 8, ALL_LINES, "0xB4 non-secure boot address locked, 0xC3 unlocked"),
	F("NSBOOTADD",      R_NSBOOTR, 8, 24, ALL_LINES, "non-secure boot address [31:8]"),
	F("SECBOOT_LOCK",   R_SECBOOTR, 0, 8, TZ_LINES, "0xB4 secure boot address locked, 0xC3 unlocked"),
	F("SECBOOTADD",     R_SECBOOTR, 8, 24, TZ_LINES, "secure boot address [31:8]"),
	F("WRPSG1",         R_WRP1R, 0, 32, TZ_LINES, "bank 1 write protection per sector group, 0 = protected"),
	F("WRPSG1",         R_WRP1R, 0, 8, H5_LINE_474, "bank 1 write protection per sector, 0 = protected"),
	F("WRPSG2",         R_WRP2R, 0, 32, TZ_LINES, "bank 2 write protection per sector group, 0 = protected"),
	F("WRPSG2",         R_WRP2R, 0, 8, H5_LINE_474, "bank 2 write protection per sector, 0 = protected"),
	F("HDP1_STRT",      R_HDP1R, 0, 7, ALL_LINES, "bank 1 hide-protection first sector"),
	F("HDP1_END",       R_HDP1R, 16, 7, ALL_LINES, "bank 1 hide-protection last sector (none if < start)"),
	F("HDP2_STRT",      R_HDP2R, 0, 7, ALL_LINES, "bank 2 hide-protection first sector"),
	F("HDP2_END",       R_HDP2R, 16, 7, ALL_LINES, "bank 2 hide-protection last sector (none if < start)"),
	F("SECWM1_STRT",    R_SECWM1R, 0, 7, TZ_LINES, "bank 1 secure area first sector"),
	F("SECWM1_END",     R_SECWM1R, 16, 7, TZ_LINES, "bank 1 secure area last sector (none if < start)"),
	F("SECWM2_STRT",    R_SECWM2R, 0, 7, TZ_LINES, "bank 2 secure area first sector"),
	F("SECWM2_END",     R_SECWM2R, 16, 7, TZ_LINES, "bank 2 secure area last sector (none if < start)"),
	F("EDATA1_STRT",    R_EDATA1R, 0, 3, NOT_474, "bank 1 high-cycle data sectors minus one"),
	F("EDATA1_EN",      R_EDATA1R, 15, 1, NOT_474, "bank 1 high-cycle data area enabled"),
	F("EDATA2_STRT",    R_EDATA2R, 0, 3, NOT_474, "bank 2 high-cycle data sectors minus one"),
	F("EDATA2_EN",      R_EDATA2R, 15, 1, NOT_474, "bank 2 high-cycle data area enabled"),
};

size_t h5_ob_reg_count(void)
{
	return R__COUNT;
}

const h5_ob_reg *h5_ob_reg_at(h5_ob_reg_idx i)
{
	return i.idx < R__COUNT ? &h5_ob_regs[i.idx] : NULL;
}

size_t h5_ob_field_count(void)
{
	return sizeof(h5_ob_fields) / sizeof(h5_ob_fields[0]);
}

const h5_ob_field *h5_ob_field_at(size_t i)
{
	return i < h5_ob_field_count() ? &h5_ob_fields[i] : NULL;
}

bool h5_ob_reg_applies(const h5_ob_reg *r, const h5_line_info *line)
{
	return (r->lines & line->line) != 0;
}

bool h5_ob_field_applies(const h5_ob_field *f, const h5_line_info *line)
{
	return (f->lines & line->line) && h5_ob_reg_applies(&h5_ob_regs[f->reg.idx], line);
}

/* The row for `name` that applies to this line (WRPSG has one row per width). */
static const h5_ob_field *field_for(const h5_line_info *line, const char *name)
{
	for (size_t i = 0; i < h5_ob_field_count(); i++)
		if (strcmp(h5_ob_fields[i].name, name) == 0 && h5_ob_field_applies(&h5_ob_fields[i], line))
			return &h5_ob_fields[i];
	return NULL;
}

static uint32_t field_mask(const h5_ob_field *f)
{
	return f->width == 32 ? 0xFFFFFFFFu : ((1u << f->width) - 1u);
}

static uint32_t field_value(const h5_ob *ob, const h5_ob_field *f)
{
	return (ob->value[f->reg.idx] >> f->shift) & field_mask(f);
}

void h5_ob_init(h5_ob *ob, const h5_line_info *line)
{
	memset(ob, 0, sizeof(*ob));
	ob->line = line;
	for (unsigned i = 0; i < R__COUNT; i++)
		ob->present[i] = h5_ob_reg_applies(&h5_ob_regs[i], line);
}

ub_err h5_ob_get(const h5_ob *ob, const char *name, uint32_t *value)
{
	if (!ob || !ob->line || !name || !value)
		return ub_fail(UB_ERR_ARG, "h5_ob_get: NULL argument");
	const h5_ob_field *f = field_for(ob->line, name);
	if (!f)
		return ub_fail(UB_ERR_ARG, "option byte %s does not exist on %s", name, ob->line->family);
	*value = field_value(ob, f);
	return UB_OK;
}

bool h5_ob_tz_enabled(const h5_ob *ob)
{
	const h5_ob_field *f = field_for(ob->line, "TZEN");
	return f && field_value(ob, f) == H5_TZEN_ENABLED;
}

/* ---- Field rules ------------------------------------------------------------ */

static bool is_two_code_field(const char *name)
{
	/* Facts B.2: only 0xB4 and 0xC3 are defined; anything else is a typo we must not write. */
	return strcmp(name, "TZEN") == 0 || strcmp(name, "BOOT_UBE") == 0 ||
	       strcmp(name, "NSBOOT_LOCK") == 0 || strcmp(name, "SECBOOT_LOCK") == 0;
}

/*
 * Boot addresses hold bits [31:8].  Accept user flash of this line (NS or S
 * alias, matching the register) or the first MiB of SRAM (0x2000_0000 NS /
 * 0x3000_0000 S, Armv8-M memory map; the SRAM size per line is not in the
 * facts sheet, so one MiB is a generous bound).  Anything else boots nowhere.
 */
static ub_err check_boot_address(const h5_ob *ob, const char *name, uint32_t value)
{
	bool secure = strcmp(name, "SECBOOTADD") == 0;
	uint32_t addr = value << 8;
	uint32_t flash = secure ? H5_FLASH_BASE_S : H5_FLASH_BASE_NS;
	uint32_t sram = secure ? 0x30000000u : 0x20000000u;
	if (addr >= flash && addr < flash + ob->line->max_kib * 1024u)
		return UB_OK;
	if (addr >= sram && addr < sram + 0x100000u)
		return UB_OK;
	return ub_fail(UB_ERR_ARG, "%s = 0x%06x: boot address 0x%08x is neither %s user flash nor SRAM",
		       name, value, addr, secure ? "secure" : "non-secure");
}

static ub_err check_product_state_value(uint32_t value, bool allow_irreversible)
{
	const char *state = h5_product_state_name((uint8_t)value);
	if (!state)
		return ub_fail(UB_ERR_ARG, "PRODUCT_STATE = 0x%02x is not a product state", value);
	if (value == H5_PS_REGRESSION || value == H5_PS_NS_REGRESSION)
		return ub_fail(UB_ERR_REFUSED, "PRODUCT_STATE %s (0x%02x) is entered by the boot ROM during debug "
			       "authentication, never written by a debugger", state, value);
	if (value == H5_PS_LOCKED && !allow_irreversible)
		return ub_fail(UB_ERR_REFUSED, "PRODUCT_STATE Locked (0x5C) closes debug for ever, with no "
			       "regression; refused without the explicit irreversible flag");
	return UB_OK;
}

static ub_err check_field_rules(const h5_ob *ob, const h5_ob_field *f, uint32_t value, bool allow_irreversible)
{
	if (strcmp(f->name, "PRODUCT_STATE") == 0)
		return check_product_state_value(value, allow_irreversible);
	if (is_two_code_field(f->name) && value != H5_TZEN_ENABLED && value != H5_TZEN_DISABLED)
		return ub_fail(UB_ERR_ARG, "%s = 0x%02x: only 0xB4 and 0xC3 are defined", f->name, value);
	/* Whether a boot lock can be undone other than by regression is UNCONFIRMED:
	 * treat it as irreversible. */
	if (strstr(f->name, "BOOT_LOCK") && value == H5_BOOT_LOCKED && !allow_irreversible)
		return ub_fail(UB_ERR_REFUSED, "%s = 0xB4 freezes the boot options; refused without the "
			       "irreversible flag", f->name);
	if (strstr(f->name, "BOOTADD"))
		return check_boot_address(ob, f->name, value);
	return UB_OK;
}

ub_err h5_ob_set(h5_ob *ob, const char *name, uint32_t value, bool allow_irreversible)
{
	if (!ob || !ob->line || !name)
		return ub_fail(UB_ERR_ARG, "h5_ob_set: NULL argument");
	const h5_ob_field *f = field_for(ob->line, name);
	if (!f)
		return ub_fail(UB_ERR_ARG, "option byte %s does not exist on %s", name, ob->line->family);
	if (value & ~field_mask(f))
		return ub_fail(UB_ERR_ARG, "%s = 0x%x does not fit in %u bits", name, value, f->width);
	ub_err e = check_field_rules(ob, f, value, allow_irreversible);
	if (e != UB_OK)
		return e;
	ob->value[f->reg.idx] = (ob->value[f->reg.idx] & ~(field_mask(f) << f->shift)) | (value << f->shift);
	return UB_OK;
}

/*
 * ST's "remove protections" values from CubeH5 ob_programming.sh (facts B.4).
 * UNCONFIRMED as factory values: ST publishes no factory table we could read.
 * NSBOOT_LOCK is not in ST's list; unlocked is the only value that keeps the
 * boot address changeable.  With TrustZone wanted the secure watermarks are
 * left alone (what they should cover is the application's choice).
 */
void h5_ob_apply_clean(h5_ob *ob, bool tz_wanted)
{
	static const struct { const char *name; uint32_t value; bool tz_off_only; } clean[] = {
		{ "PRODUCT_STATE", H5_PS_OPEN, false }, { "WRPSG1", 0xFFFFFFFFu, false },
		{ "WRPSG2", 0xFFFFFFFFu, false }, { "HDP1_STRT", 1, false }, { "HDP1_END", 0, false },
		{ "HDP2_STRT", 1, false }, { "HDP2_END", 0, false }, { "SECWM1_STRT", 1, true },
		{ "SECWM1_END", 0, true }, { "SECWM2_STRT", 1, true }, { "SECWM2_END", 0, true },
		{ "SECBOOT_LOCK", H5_BOOT_UNLOCKED, false }, { "NSBOOT_LOCK", H5_BOOT_UNLOCKED, false },
		{ "SWAP_BANK", 0, false }, { "SRAM2_RST", 0, false }, { "SRAM2_ECC", 0, false },
		{ "NSBOOTADD", 0x080000, false }, { "SECBOOTADD", 0x0C0000, false }, { "BOOT_UBE", 0xB4, false },
	};
	const h5_ob_field *tzen = field_for(ob->line, "TZEN");
	if (tzen) {
		uint32_t v = tz_wanted ? H5_TZEN_ENABLED : H5_TZEN_DISABLED;
		ob->value[tzen->reg.idx] = (ob->value[tzen->reg.idx] & ~(field_mask(tzen) << tzen->shift)) |
					   (v << tzen->shift);
	}
	for (size_t i = 0; i < sizeof(clean) / sizeof(clean[0]); i++) {
		const h5_ob_field *f = field_for(ob->line, clean[i].name);
		if (!f || (clean[i].tz_off_only && tz_wanted))
			continue;
		uint32_t v = clean[i].value & field_mask(f);
		ob->value[f->reg.idx] = (ob->value[f->reg.idx] & ~(field_mask(f) << f->shift)) | (v << f->shift);
	}
}

size_t h5_ob_diff(const h5_ob *a, const h5_ob *b, const char **names, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < h5_ob_field_count(); i++) {
		const h5_ob_field *f = &h5_ob_fields[i];
		if (!h5_ob_field_applies(f, a->line))
			continue;
		if (field_value(a, f) != field_value(b, f) && n < max)
			names[n++] = f->name;
	}
	return n;
}

/* ---- Product states and transitions (facts B.3, B.4) ----------------------- */

static const struct { uint8_t code; const char *name; int rank; } h5_states[] = {
	/* rank: position on the forward path; -1 for the DA-only intermediate states. */
	{ H5_PS_OPEN, "Open", 0 }, { H5_PS_PROVISIONING, "Provisioning", 1 },
	{ H5_PS_IROT_PROVISIONED, "iROT-Provisioned", 2 }, { H5_PS_TZ_CLOSED, "TZ-Closed", 3 },
	{ H5_PS_CLOSED, "Closed", 4 }, { H5_PS_LOCKED, "Locked", 5 },
	{ H5_PS_REGRESSION, "Regression", -1 }, { H5_PS_NS_REGRESSION, "NS-Regression", -1 },
};

static int state_index(uint8_t code)
{
	for (size_t i = 0; i < sizeof(h5_states) / sizeof(h5_states[0]); i++)
		if (h5_states[i].code == code)
			return (int)i;
	return -1;
}

const char *h5_product_state_name(uint8_t code)
{
	int i = state_index(code);
	return i < 0 ? NULL : h5_states[i].name;
}

static int state_rank(uint8_t code)
{
	return h5_states[state_index(code)].rank;
}

const char *h5_cred_kind_name(enum h5_cred_kind kind)
{
	switch (kind) {
	case H5_CRED_NONE: return "no credentials";
	case H5_CRED_PASSWORD_OBK: return "a DA password hash in OBK";
	case H5_CRED_CERTIFICATE_OBK: return "a DA certificate root-key hash in OBK";
	case H5_CRED_PASSWORD_OTP: return "a DA password hash in OTP";
	}
	return "unknown credentials";
}

enum h5_cred_kind h5_cred_kind_needed(uint16_t dev_id, bool tz_enabled)
{
	const h5_line_info *line = h5_line_by_dev_id(dev_id);
	if (!line)
		return H5_CRED_NONE;
	if (line->da_password_in_otp)
		return H5_CRED_PASSWORD_OTP;
	/* AN6008 caution (facts B.3/B.4): the wrong kind for TZEN locks the device for good. */
	return tz_enabled ? H5_CRED_CERTIFICATE_OBK : H5_CRED_PASSWORD_OBK;
}

/*
 * Forward moves we accept (facts B.3).  Open may only go to Provisioning: that
 * is the state where DA credentials get provisioned, and skipping it is how the
 * seed-004 H533 ended up stuck.  From Provisioning, ST's own script goes to any
 * of iROT-Provisioned/TZ-Closed/Closed/Locked.  Anything else must be the next
 * state on the path (TZ-Closed is on it only with TrustZone): whether silicon
 * allows skipping is UNCONFIRMED, so we refuse.
 */
static uint8_t next_state(uint8_t from, bool tz_enabled)
{
	switch (from) {
	case H5_PS_OPEN: return H5_PS_PROVISIONING;
	case H5_PS_IROT_PROVISIONED: return tz_enabled ? H5_PS_TZ_CLOSED : H5_PS_CLOSED;
	case H5_PS_TZ_CLOSED: return H5_PS_CLOSED;
	case H5_PS_CLOSED: return H5_PS_LOCKED;
	default: return 0;
	}
}

static ub_err check_order(uint8_t from, uint8_t to, bool tz_enabled)
{
	const char *f = h5_product_state_name(from), *t = h5_product_state_name(to);
	if (state_rank(from) < 0)
		return ub_fail(UB_ERR_REFUSED, "the chip is in %s (0x%02x), in the middle of a "
			       "debug-authentication regression; only the boot ROM finishes it: reset and run the "
			       "regression again", f, from);
	if (state_rank(to) < 0)
		return ub_fail(UB_ERR_REFUSED, "%s (0x%02x) is entered by the boot ROM during debug authentication, "
			       "never by option-byte programming", t, to);
	if (from == H5_PS_LOCKED)
		return ub_fail(UB_ERR_REFUSED, "the chip is Locked (0x5C): that state is final, nothing can change it");
	if (state_rank(to) < state_rank(from))
		return ub_fail(UB_ERR_REFUSED, "%s -> %s goes backwards: option bytes only move the product "
			       "state forward; going back needs a debug-authentication regression with the provisioned "
			       "credentials, which erases flash, SRAM and OBK", f, t);
	if (to == H5_PS_TZ_CLOSED && !tz_enabled)
		return ub_fail(UB_ERR_REFUSED, "TZ-Closed only exists with TrustZone enabled (TZEN = 0xB4); "
			       "this chip has TrustZone off or none: the closed state for it is Closed (0x72)");
	if (from == H5_PS_PROVISIONING || to == next_state(from, tz_enabled))
		return UB_OK;
	if (from == H5_PS_OPEN)
		return ub_fail(UB_ERR_REFUSED, "Open -> %s in one step skips Provisioning, where the "
			       "debug-authentication credentials must be provisioned first; without them the chip can "
			       "stay stuck with no way back (seen on an H533 left in Provisioning). Go to Provisioning "
			       "(0x17), provision and verify the credentials, then continue", t);
	return ub_fail(UB_ERR_REFUSED, "%s -> %s skips %s: moving more than one state at a time is not known to be "
		       "safe on silicon, so we move one state at a time", f, t,
		       h5_product_state_name(next_state(from, tz_enabled)));
}

/* Beyond Provisioning debug closes; only DA can reopen it, so the right credentials must be in place. */
static ub_err check_credentials(uint8_t to, const h5_credentials *cred, bool tz_enabled)
{
	const char *t = h5_product_state_name(to);
	if (!cred || cred->kind == H5_CRED_NONE)
		return ub_fail(UB_ERR_REFUSED, "going to %s closes debug, and no debug-authentication credentials "
			       "are provisioned: nothing could ever reopen the chip. Provision them in Provisioning "
			       "first", t);
	enum h5_cred_kind need = h5_cred_kind_needed(cred->dev_id, tz_enabled);
	if (need == H5_CRED_NONE)
		return ub_fail(UB_ERR_ARG, "credentials are for DEV_ID 0x%03x, which is not an STM32H5 "
			       "line", cred->dev_id);
	if (cred->kind != need)
		return ub_fail(UB_ERR_REFUSED, "the chip has %s, but with TrustZone %s debug authentication only "
			       "accepts %s: going to %s would leave it with no way back",
			       h5_cred_kind_name(cred->kind), tz_enabled ? "enabled (TZEN = 0xB4)" : "off",
			       h5_cred_kind_name(need), t);
	if (!cred->verified)
		return ub_fail(UB_ERR_REFUSED, "the chip has %s, but they were not verified against the password/key "
			       "you hold; a wrong hash means no way back from %s. Verify them first",
			       h5_cred_kind_name(cred->kind), t);
	return UB_OK;
}

ub_err h5_product_state_check(uint8_t from, uint8_t to, const h5_credentials *cred, bool tz_enabled,
			      bool allow_irreversible)
{
	if (!h5_product_state_name(from))
		return ub_fail(UB_ERR_ARG, "current PRODUCT_STATE 0x%02x is not a product state", from);
	if (!h5_product_state_name(to))
		return ub_fail(UB_ERR_ARG, "wanted PRODUCT_STATE 0x%02x is not a product state", to);
	if (cred && cred->dev_id == 0x474 && tz_enabled)
		return ub_fail(UB_ERR_ARG, "the STM32H503 has no TrustZone; tz_enabled cannot be true");
	if (from == to)
		return UB_OK;
	ub_err e = check_order(from, to, tz_enabled);
	if (e != UB_OK)
		return e;
	if (state_rank(to) > state_rank(H5_PS_PROVISIONING)) {
		e = check_credentials(to, cred, tz_enabled);
		if (e != UB_OK)
			return e;
	}
	if (to == H5_PS_LOCKED && !allow_irreversible)
		return ub_fail(UB_ERR_REFUSED, "Locked (0x5C) closes debug for ever: no debug authentication, no "
			       "regression. Refused without the explicit irreversible flag");
	return UB_OK;
}
