/*
 * STM32H7 option bytes: the _CUR / _PRG register pairs behind FLASH_OPTSR,
 * PRAR, SCAR, WPSN, BOOT (BOOT7/BOOT4), OTPBL (0x480) and OPTSR2 (0x483),
 * their fields by reference-manual name, the factory values and the rules
 * applied when OPTSTART asks for _PRG to become _CUR.
 * Facts: ../shared/facts/stm32-facts.md sections A.2 (layout), A.3 (RDP),
 * A.4 (factory values), A.6 (dual core).
 *
 * This block only decides; the flash model (flash_h7.c) owns time and the
 * memory array, so an RDP regression is returned as a plan of what to erase.
 */
#ifndef STM32SIM_OPTBYTES_H7_H
#define STM32SIM_OPTBYTES_H7_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One variant per distinct option-byte layout (a bit each, for field tables). */
enum {
	OB_H7_V450 = 1u << 0,      /* H742/H743/H750/H753, single core */
	OB_H7_V450_DUAL = 1u << 1, /* H745/H747/H755/H757 */
	OB_H7_V480 = 1u << 2,      /* H7A3/H7B3/H7B0 */
	OB_H7_V483 = 1u << 3,      /* H723/H725/H730/H733/H735 */
	OB_H7_ALL = 0xfu,
};

typedef enum ob_h7_reg {
	OB_OPTSR,
	OB_PRAR1,
	OB_PRAR2,
	OB_SCAR1,
	OB_SCAR2,
	OB_WPSN1,
	OB_WPSN2,
	OB_BOOT7, /* BOOT_CUR/PRG on single core, BOOT7_CUR/PRG on dual core */
	OB_BOOT4, /* dual core only */
	OB_OTPBL, /* 0x480 only */
	OB_OPTSR2, /* 0x483 only */
	OB_REG_COUNT
} ob_h7_reg;

/* FLASH_OPTSR bits that are not option fields (facts A.2). */
#define OB_OPTSR_OPT_BUSY      (1u << 0)
#define OB_OPTSR_OPTCHANGEERR  (1u << 30)
#define OB_OPTSR_RDP_SHIFT     8
#define OB_OPTSR_SECURITY      (1u << 21)
#define OB_OPTSR_SWAP_BANK_OPT (1u << 31)

#define OB_RDP_LEVEL0 0xaau
#define OB_RDP_LEVEL2 0xccu
/* An empty protected/secure area: START (0xff) > END (0); the H723 data point of facts A.4. */
#define OB_AREA_EMPTY 0x000000ffu
#define OB_AREA_DM_BIT (1u << 31) /* DMEP in PRAR, DMES in SCAR */
/* PRAR/SCAR START and END count 256-byte units from the start of the bank (facts A.2). */
#define OB_AREA_UNIT 256u

typedef struct optbytes_h7_field {
	const char *name;   /* reference-manual name, also the scenario key and JSON name */
	ob_h7_reg reg;
	uint8_t shift;
	uint8_t width;
	unsigned variants;  /* OB_H7_V* bits of the parts that have it */
} optbytes_h7_field;

typedef struct optbytes_h7 {
	unsigned variant;   /* exactly one OB_H7_V* bit */
	unsigned banks;     /* 1 or 2: bank-2 registers exist only on dual-bank parts */
	uint32_t cur[OB_REG_COUNT];
	uint32_t prg[OB_REG_COUNT];
} optbytes_h7;

/* A protected area as byte offsets [start, end) inside its physical bank. */
typedef struct ob_h7_area {
	bool present;
	uint32_t start;
	uint32_t end;
} ob_h7_area;

/* What an OPTSTART will do, decided from _CUR and _PRG at the moment it is set. */
typedef struct optbytes_h7_plan {
	bool refused;       /* OPTCHANGEERR, nothing changes */
	const char *why;    /* for the guest-error log when refused */
	bool regression;    /* RDP level 1 -> 0: erase both banks except `keep` */
	ob_h7_area keep[2][2];  /* [bank][0 = PCROP, 1 = secure-only] kept by the regression */
	bool remove[2][2];  /* areas erased by the regression whose definition is removed */
} optbytes_h7_plan;

/* Variant bit for a line; 0 for an unknown DEV_ID. */
unsigned optbytes_h7_variant(uint16_t dev_id, bool dual_core);
const char *optbytes_h7_variant_name(unsigned variant);

/* Factory values in both _CUR and _PRG (facts A.4). */
void optbytes_h7_init(optbytes_h7 *ob, unsigned variant, unsigned banks);

bool optbytes_h7_reg_exists(const optbytes_h7 *ob, ob_h7_reg reg);
/* RM register name, e.g. "OPTSR_CUR", "PRAR_PRG2", "BOOT7_CUR", "BOOT_CUR". */
const char *optbytes_h7_reg_name(const optbytes_h7 *ob, ob_h7_reg reg, bool cur);
/* Bits of the register that hold option fields on this part (writable in _PRG). */
uint32_t optbytes_h7_reg_mask(const optbytes_h7 *ob, ob_h7_reg reg);

/* Field table: every field of every line, iterate with index < count. */
size_t optbytes_h7_field_count(void);
const optbytes_h7_field *optbytes_h7_field_at(size_t index);
/* The field of this name on this part; NULL if absent (*known: exists on another line). */
const optbytes_h7_field *optbytes_h7_field_find(const optbytes_h7 *ob, const char *name, bool *known);
uint32_t optbytes_h7_field_get(const uint32_t *regs, const optbytes_h7_field *field);
void optbytes_h7_field_set(uint32_t *regs, const optbytes_h7_field *field, uint32_t value);
uint32_t optbytes_h7_field_max(const optbytes_h7_field *field);

uint8_t optbytes_h7_rdp(const optbytes_h7 *ob);
/* 0, 1 or 2 for an RDP byte (facts A.3: 0xAA level 0, 0xCC level 2, anything else level 1). */
unsigned optbytes_h7_rdp_level(uint8_t rdp);

/* Current PCROP (which = 0) or secure-only (which = 1) area of a bank; secure areas only count with SECURITY = 1.
 * Inline: the flash asks on every read. */
static inline ob_h7_reg optbytes_h7_area_reg(unsigned bank, unsigned which)
{
	if (which == 0)
		return bank == 0 ? OB_PRAR1 : OB_PRAR2;
	return bank == 0 ? OB_SCAR1 : OB_SCAR2;
}

/* An area register's START and END fields (256-byte units) as offsets [start, end). */
static inline ob_h7_area optbytes_h7_decode_area(uint32_t value)
{
	uint32_t start = value & 0xfffu, end = (value >> 16) & 0xfffu;
	ob_h7_area area = { start <= end, start * OB_AREA_UNIT, (end + 1u) * OB_AREA_UNIT };

	return area;
}

static inline ob_h7_area optbytes_h7_area(const optbytes_h7 *ob, unsigned bank, unsigned which)
{
	ob_h7_area none = { false, 0, 0 };

	if (bank >= ob->banks || which > 1)
		return none;
	/* Secure-only areas exist only while the SECURITY option is set (facts A.2). */
	if (which == 1 && !(ob->cur[OB_OPTSR] & OB_OPTSR_SECURITY))
		return none;
	return optbytes_h7_decode_area(ob->cur[optbytes_h7_area_reg(bank, which)]);
}
/* Current DMEP / DMES of that area. */
bool optbytes_h7_area_dm(const optbytes_h7 *ob, unsigned bank, unsigned which);
/* A sector group is write protected when its WRPSN bit is 0. */
bool optbytes_h7_sector_protected(const optbytes_h7 *ob, unsigned bank, unsigned sector, unsigned group);

/* Decide what OPTSTART does now (never changes anything). */
void optbytes_h7_plan_change(const optbytes_h7 *ob, optbytes_h7_plan *plan);
/* The change completed: _CUR takes _PRG (per the plan), then _PRG reads back _CUR. */
void optbytes_h7_commit(optbytes_h7 *ob, const optbytes_h7_plan *plan);
/* Option-byte load at reset: _PRG reloads from _CUR. */
void optbytes_h7_reload(optbytes_h7 *ob);

#endif
