/*
 * STM32H7 option bytes: storage, field table, factory values and the rules of
 * an option change (OPTSTART).  See optbytes_h7.h.  Bit positions: facts A.2;
 * RDP: facts A.3; factory values: facts A.4; dual core: facts A.6.
 */
#include "optbytes_h7.h"

#include <string.h>

#define V450 OB_H7_V450
#define V450D OB_H7_V450_DUAL
#define V480 OB_H7_V480
#define V483 OB_H7_V483
#define VALL OB_H7_ALL
#define VSINGLE (V450 | V480 | V483) /* single-core parts: one BOOT register */

/*
 * Every option field of every H7 line, by reference-manual name.  The line
 * differences are the `variants` column, nothing else (facts A.2 tables).
 */
static const optbytes_h7_field fields[] = {
	{ "BOR_LEV",          OB_OPTSR,  2,  2, VALL },
	{ "IWDG1_SW",         OB_OPTSR,  4,  1, VALL },
	{ "IWDG2_SW",         OB_OPTSR,  5,  1, V450D },
	{ "NRST_STOP_D1",     OB_OPTSR,  6,  1, VALL },
	{ "NRST_STBY_D1",     OB_OPTSR,  7,  1, VALL },
	{ "RDP",              OB_OPTSR,  8,  8, VALL },
	{ "VDDMMC_HSLV",      OB_OPTSR, 16,  1, V480 },
	{ "FZ_IWDG_STOP",     OB_OPTSR, 17,  1, VALL },
	{ "FZ_IWDG_SDBY",     OB_OPTSR, 18,  1, VALL },
	{ "ST_RAM_SIZE",      OB_OPTSR, 19,  2, VALL },
	{ "SECURITY",         OB_OPTSR, 21,  1, VALL },
	{ "BCM4",             OB_OPTSR, 22,  1, V450D },
	{ "BCM7",             OB_OPTSR, 23,  1, V450D },
	{ "NRST_STOP_D2",     OB_OPTSR, 24,  1, V450D | V483 },
	{ "NRST_STBY_D2",     OB_OPTSR, 25,  1, V450D | V483 },
	{ "IO_HSLV",          OB_OPTSR, 29,  1, VALL },
	{ "SWAP_BANK_OPT",    OB_OPTSR, 31,  1, V450 | V450D | V480 },
	{ "PROT_AREA_START1", OB_PRAR1,  0, 12, VALL },
	{ "PROT_AREA_END1",   OB_PRAR1, 16, 12, VALL },
	{ "DMEP1",            OB_PRAR1, 31,  1, VALL },
	{ "PROT_AREA_START2", OB_PRAR2,  0, 12, VALL },
	{ "PROT_AREA_END2",   OB_PRAR2, 16, 12, VALL },
	{ "DMEP2",            OB_PRAR2, 31,  1, VALL },
	{ "SEC_AREA_START1",  OB_SCAR1,  0, 12, VALL },
	{ "SEC_AREA_END1",    OB_SCAR1, 16, 12, VALL },
	{ "DMES1",            OB_SCAR1, 31,  1, VALL },
	{ "SEC_AREA_START2",  OB_SCAR2,  0, 12, VALL },
	{ "SEC_AREA_END2",    OB_SCAR2, 16, 12, VALL },
	{ "DMES2",            OB_SCAR2, 31,  1, VALL },
	/* One WRPSN bit per 128 KiB sector, or per group of four 8 KiB sectors on 0x480. */
	{ "WRPSN1",           OB_WPSN1,  0,  8, V450 | V450D | V483 },
	{ "WRPSN1",           OB_WPSN1,  0, 32, V480 },
	{ "WRPSN2",           OB_WPSN2,  0,  8, V450 | V450D | V483 },
	{ "WRPSN2",           OB_WPSN2,  0, 32, V480 },
	/* Boot addresses hold address bits [31:16]. */
	{ "BOOT_ADD0",        OB_BOOT7,  0, 16, VSINGLE },
	{ "BOOT_ADD1",        OB_BOOT7, 16, 16, VSINGLE },
	{ "BOOT_CM7_ADD0",    OB_BOOT7,  0, 16, V450D },
	{ "BOOT_CM7_ADD1",    OB_BOOT7, 16, 16, V450D },
	{ "BOOT_CM4_ADD0",    OB_BOOT4,  0, 16, V450D },
	{ "BOOT_CM4_ADD1",    OB_BOOT4, 16, 16, V450D },
	{ "LOCKBL",           OB_OTPBL,  0, 16, V480 },
	{ "TCM_AXI_SHARED",   OB_OPTSR2, 0,  2, V483 },
	{ "CPUFREQ_BOOST",    OB_OPTSR2, 2,  1, V483 },
};

/*
 * Factory values (facts A.4, field by field, UNCONFIRMED as whole-register
 * constants).  Fields not listed are 0; areas start empty and WRPSN all 1.
 * This gives OPTSR 0x0006aad0 (H743), 0x03c6aaf0 (H745 family, derived in
 * facts A.4) and 0x0306aad0 (H723, the observed data point).
 */
static const struct {
	const char *name;
	uint32_t value;
} factory[] = {
	{ "IWDG1_SW", 1 }, { "IWDG2_SW", 1 },
	{ "NRST_STOP_D1", 1 }, { "NRST_STBY_D1", 1 },
	{ "NRST_STOP_D2", 1 }, { "NRST_STBY_D2", 1 },
	{ "RDP", OB_RDP_LEVEL0 },
	{ "FZ_IWDG_STOP", 1 }, { "FZ_IWDG_SDBY", 1 },
	{ "BCM4", 1 }, { "BCM7", 1 },
	{ "BOOT_ADD0", 0x0800 }, { "BOOT_ADD1", 0x1ff0 },
	{ "BOOT_CM7_ADD0", 0x0800 }, { "BOOT_CM7_ADD1", 0x1ff0 },
	{ "BOOT_CM4_ADD0", 0x0810 }, { "BOOT_CM4_ADD1", 0x1000 },
};

unsigned optbytes_h7_variant(uint16_t dev_id, bool dual_core)
{
	switch (dev_id) {
	case 0x450:
		return dual_core ? V450D : V450;
	case 0x480:
		return dual_core ? 0 : V480;
	case 0x483:
		return dual_core ? 0 : V483;
	default:
		return 0;
	}
}

const char *optbytes_h7_variant_name(unsigned variant)
{
	switch (variant) {
	case V450:
		return "STM32H74x/75x (0x450)";
	case V450D:
		return "STM32H745/747/755/757 dual core (0x450)";
	case V480:
		return "STM32H7A3/7B3/7B0 (0x480)";
	case V483:
		return "STM32H72x/73x (0x483)";
	default:
		return "unknown STM32H7 line";
	}
}

size_t optbytes_h7_field_count(void)
{
	return sizeof(fields) / sizeof(fields[0]);
}

const optbytes_h7_field *optbytes_h7_field_at(size_t index)
{
	return index < optbytes_h7_field_count() ? &fields[index] : NULL;
}

bool optbytes_h7_reg_exists(const optbytes_h7 *ob, ob_h7_reg reg)
{
	switch (reg) {
	case OB_PRAR2:
	case OB_SCAR2:
	case OB_WPSN2:
		return ob->banks == 2;
	case OB_BOOT4:
		return ob->variant == V450D;
	case OB_OTPBL:
		return ob->variant == V480;
	case OB_OPTSR2:
		return ob->variant == V483;
	case OB_REG_COUNT:
		return false;
	default:
		return true;
	}
}

static bool field_exists(const optbytes_h7 *ob, const optbytes_h7_field *field)
{
	return (field->variants & ob->variant) && optbytes_h7_reg_exists(ob, field->reg);
}

const optbytes_h7_field *optbytes_h7_field_find(const optbytes_h7 *ob, const char *name, bool *known)
{
	bool seen = false;

	for (size_t i = 0; i < optbytes_h7_field_count(); i++) {
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

static uint32_t field_mask(const optbytes_h7_field *field)
{
	uint32_t ones = field->width >= 32 ? 0xffffffffu : (1u << field->width) - 1u;

	return ones << field->shift;
}

uint32_t optbytes_h7_field_max(const optbytes_h7_field *field)
{
	return field_mask(field) >> field->shift;
}

uint32_t optbytes_h7_field_get(const uint32_t *regs, const optbytes_h7_field *field)
{
	return (regs[field->reg] & field_mask(field)) >> field->shift;
}

void optbytes_h7_field_set(uint32_t *regs, const optbytes_h7_field *field, uint32_t value)
{
	uint32_t mask = field_mask(field);

	regs[field->reg] = (regs[field->reg] & ~mask) | ((value << field->shift) & mask);
}

uint32_t optbytes_h7_reg_mask(const optbytes_h7 *ob, ob_h7_reg reg)
{
	uint32_t mask = 0;

	if (!optbytes_h7_reg_exists(ob, reg))
		return 0;
	for (size_t i = 0; i < optbytes_h7_field_count(); i++)
		if (fields[i].reg == reg && (fields[i].variants & ob->variant))
			mask |= field_mask(&fields[i]);
	return mask;
}

const char *optbytes_h7_reg_name(const optbytes_h7 *ob, ob_h7_reg reg, bool cur)
{
	static const char *const names[OB_REG_COUNT][2] = {
		[OB_OPTSR] = { "OPTSR_PRG", "OPTSR_CUR" },
		[OB_PRAR1] = { "PRAR_PRG1", "PRAR_CUR1" },
		[OB_PRAR2] = { "PRAR_PRG2", "PRAR_CUR2" },
		[OB_SCAR1] = { "SCAR_PRG1", "SCAR_CUR1" },
		[OB_SCAR2] = { "SCAR_PRG2", "SCAR_CUR2" },
		[OB_WPSN1] = { "WPSN_PRG1", "WPSN_CUR1" },
		[OB_WPSN2] = { "WPSN_PRG2", "WPSN_CUR2" },
		[OB_BOOT7] = { "BOOT7_PRG", "BOOT7_CUR" },
		[OB_BOOT4] = { "BOOT4_PRG", "BOOT4_CUR" },
		[OB_OTPBL] = { "OTPBL_PRG", "OTPBL_CUR" },
		[OB_OPTSR2] = { "OPTSR2_PRG", "OPTSR2_CUR" },
	};

	if (reg >= OB_REG_COUNT)
		return "?";
	/* Single-core parts call the one boot register BOOT_CUR / BOOT_PRG (facts A.2). */
	if (reg == OB_BOOT7 && ob->variant != V450D)
		return cur ? "BOOT_CUR" : "BOOT_PRG";
	return names[reg][cur ? 1 : 0];
}

void optbytes_h7_init(optbytes_h7 *ob, unsigned variant, unsigned banks)
{
	memset(ob, 0, sizeof(*ob));
	ob->variant = variant;
	ob->banks = banks;
	ob->cur[OB_PRAR1] = ob->cur[OB_PRAR2] = OB_AREA_EMPTY;
	ob->cur[OB_SCAR1] = ob->cur[OB_SCAR2] = OB_AREA_EMPTY;
	ob->cur[OB_WPSN1] = optbytes_h7_reg_mask(ob, OB_WPSN1);
	ob->cur[OB_WPSN2] = optbytes_h7_reg_mask(ob, OB_WPSN2);
	for (size_t i = 0; i < sizeof(factory) / sizeof(factory[0]); i++) {
		const optbytes_h7_field *field = optbytes_h7_field_find(ob, factory[i].name, NULL);

		if (field)
			optbytes_h7_field_set(ob->cur, field, factory[i].value);
	}
	for (unsigned r = 0; r < OB_REG_COUNT; r++)
		if (!optbytes_h7_reg_exists(ob, (ob_h7_reg)r))
			ob->cur[r] = 0;
	memcpy(ob->prg, ob->cur, sizeof(ob->prg));
}

uint8_t optbytes_h7_rdp(const optbytes_h7 *ob)
{
	return (uint8_t)(ob->cur[OB_OPTSR] >> OB_OPTSR_RDP_SHIFT);
}

unsigned optbytes_h7_rdp_level(uint8_t rdp)
{
	if (rdp == OB_RDP_LEVEL0)
		return 0;
	if (rdp == OB_RDP_LEVEL2)
		return 2;
	return 1;
}

/* Raw decode of a PRAR/SCAR value, whatever SECURITY says. */
bool optbytes_h7_area_dm(const optbytes_h7 *ob, unsigned bank, unsigned which)
{
	if (bank >= ob->banks || which > 1)
		return false;
	return (ob->cur[optbytes_h7_area_reg(bank, which)] & OB_AREA_DM_BIT) != 0;
}

bool optbytes_h7_sector_protected(const optbytes_h7 *ob, unsigned bank, unsigned sector, unsigned group)
{
	unsigned bit = sector / (group ? group : 1u);

	if (bank >= ob->banks || bit >= 32)
		return false;
	return !((ob->cur[bank == 0 ? OB_WPSN1 : OB_WPSN2] >> bit) & 1u);
}

static void refuse(optbytes_h7_plan *plan, const char *why)
{
	if (!plan->refused) {
		plan->refused = true;
		plan->why = why;
	}
}

/*
 * Outside a regression a defined PCROP or secure-only area can grow but not
 * shrink, disappear or lose its DMEP/DMES bit.  UNCONFIRMED (RM not readable):
 * the stricter of the plausible rules, which forces a recovery through the
 * RDP 1 -> 0 regression.
 */
static void check_area_change(const optbytes_h7 *ob, optbytes_h7_plan *plan, ob_h7_reg reg)
{
	ob_h7_area old_area = optbytes_h7_decode_area(ob->cur[reg]);
	ob_h7_area new_area = optbytes_h7_decode_area(ob->prg[reg]);

	if (!old_area.present)
		return;
	if (!new_area.present || new_area.start > old_area.start || new_area.end < old_area.end)
		refuse(plan, "a PCROP/secure-only area cannot shrink or be removed outside an RDP regression");
	if ((ob->cur[reg] & OB_AREA_DM_BIT) && !(ob->prg[reg] & OB_AREA_DM_BIT))
		refuse(plan, "DMEP/DMES cannot be cleared on a defined area outside an RDP regression");
}

/*
 * RDP 1 -> 0: PCROP areas with DMEP = 0 and secure-only areas with DMES = 0
 * survive; with DMEP/DMES = 1 they are erased and their definition removed
 * (facts A.3).  The DMEP/DMES that count are the _CUR ones, in effect when
 * OPTSTART is set: setting DMEP in the same change as the regression does not
 * help, it has to be a separate change first (the harder reading of the ST
 * forum advice in seed 000; UNCONFIRMED).
 */
static void plan_regression(const optbytes_h7 *ob, optbytes_h7_plan *plan)
{
	plan->regression = true;
	for (unsigned bank = 0; bank < ob->banks; bank++) {
		for (unsigned which = 0; which < 2; which++) {
			ob_h7_area area = optbytes_h7_area(ob, bank, which);

			if (!area.present)
				continue;
			if (optbytes_h7_area_dm(ob, bank, which))
				plan->remove[bank][which] = true;
			else
				plan->keep[bank][which] = area;
		}
	}
}

void optbytes_h7_plan_change(const optbytes_h7 *ob, optbytes_h7_plan *plan)
{
	unsigned cur_level = optbytes_h7_rdp_level(optbytes_h7_rdp(ob));
	unsigned new_level = optbytes_h7_rdp_level((uint8_t)(ob->prg[OB_OPTSR] >> OB_OPTSR_RDP_SHIFT));

	memset(plan, 0, sizeof(*plan));
	/* Level 2 freezes every option byte.  UNCONFIRMED whether any stay changeable: none do here. */
	if (cur_level == 2) {
		refuse(plan, "RDP level 2: option bytes can no longer change");
		return;
	}
	if (cur_level == 1 && new_level == 0) {
		plan_regression(ob, plan);
	} else {
		static const ob_h7_reg area_regs[] = { OB_PRAR1, OB_PRAR2, OB_SCAR1, OB_SCAR2 };

		for (size_t i = 0; i < sizeof(area_regs) / sizeof(area_regs[0]); i++)
			if (optbytes_h7_reg_exists(ob, area_regs[i]))
				check_area_change(ob, plan, area_regs[i]);
	}
	/* Locked OTP blocks stay locked (facts A.3, UNCONFIRMED irreversibility: chosen irreversible). */
	if (optbytes_h7_reg_exists(ob, OB_OTPBL) && (ob->cur[OB_OTPBL] & ~ob->prg[OB_OTPBL]))
		refuse(plan, "OTPBL lock bits cannot be cleared");
}

void optbytes_h7_commit(optbytes_h7 *ob, const optbytes_h7_plan *plan)
{
	if (plan->refused)
		return;
	for (unsigned r = 0; r < OB_REG_COUNT; r++)
		ob->cur[r] = ob->prg[r] & optbytes_h7_reg_mask(ob, (ob_h7_reg)r);
	if (plan->regression) {
		for (unsigned bank = 0; bank < ob->banks; bank++)
			for (unsigned which = 0; which < 2; which++)
				if (plan->remove[bank][which])
					ob->cur[optbytes_h7_area_reg(bank, which)] = OB_AREA_EMPTY;
	}
	/* After a completed change _PRG reads back what is now in effect. */
	memcpy(ob->prg, ob->cur, sizeof(ob->prg));
}

void optbytes_h7_reload(optbytes_h7 *ob)
{
	memcpy(ob->prg, ob->cur, sizeof(ob->prg));
}
