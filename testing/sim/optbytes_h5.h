/*
 * STM32H5 option bytes: the _CUR / _PRG register pairs (OPTSR, OPTSR2,
 * NSEPOCHR, SECEPOCHR, NSBOOTR, SECBOOTR, OTPBLR, SECWMxR, WRPxR, EDATAxR,
 * HDPxR), their fields by reference-manual name, the factory-like values and
 * the rules an option change (OPTCR.OPTSTRT) follows, PRODUCT_STATE and TZEN
 * included.  Facts: ../shared/facts/stm32-facts.md B.2 (layout), B.3
 * (product states), B.4 ("clean" values).
 *
 * This block only decides; the flash model (flash_h5*.c) owns time, the
 * registers and the memory arrays.
 */
#ifndef STM32SIM_OPTBYTES_H5_H
#define STM32SIM_OPTBYTES_H5_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One bit per line, for the field table. */
enum {
	OB5_V474 = 1u << 0, /* H503: no TrustZone, no OBK, no EDATA */
	OB5_V478 = 1u << 1, /* H523/H533 */
	OB5_V484 = 1u << 2, /* H562/H563/H573 */
	OB5_VTZ = OB5_V478 | OB5_V484,
	OB5_VALL = OB5_V474 | OB5_VTZ,
};

typedef enum ob_h5_reg {
	OB5_OPTSR,
	OB5_NSEPOCHR,
	OB5_SECEPOCHR, /* (S) */
	OB5_OPTSR2,
	OB5_NSBOOTR,
	OB5_SECBOOTR,  /* (S) */
	OB5_OTPBLR,
	OB5_SECWM1R,   /* (S) */
	OB5_WRP1R,
	OB5_EDATA1R,   /* not H503 */
	OB5_HDP1R,
	OB5_SECWM2R,   /* (S) */
	OB5_WRP2R,
	OB5_EDATA2R,   /* not H503 */
	OB5_HDP2R,
	OB5_REG_COUNT
} ob_h5_reg;

/* Encodings an option change (and a scenario) must respect (facts B.2/B.3). */
typedef enum ob_h5_encoding {
	OB5_ENC_ANY = 0,
	OB5_ENC_PRODUCT_STATE, /* one of the eight codes of facts B.3 */
	OB5_ENC_B4_C3,         /* TZEN, BOOT_UBE, NSBOOT_LOCK, SECBOOT_LOCK: 0xB4 or 0xC3 */
} ob_h5_encoding;

typedef struct optbytes_h5_field {
	const char *name;      /* reference-manual name: scenario key and JSON name */
	ob_h5_reg reg;
	uint8_t shift;
	uint8_t width;
	unsigned variants;     /* OB5_V* bits of the lines that have it */
	ob_h5_encoding enc;
} optbytes_h5_field;

typedef struct optbytes_h5 {
	unsigned variant;      /* exactly one OB5_V* bit */
	unsigned sectors;      /* per bank */
	uint32_t cur[OB5_REG_COUNT];
	uint32_t prg[OB5_REG_COUNT];
} optbytes_h5;

/* What an OPTSTRT will do, decided from _CUR and _PRG when it is set. */
typedef struct optbytes_h5_plan {
	bool refused;          /* OPTCHANGEERR: nothing changes */
	char why[128];         /* for the guest-error log */
	uint8_t product_state; /* PRODUCT_STATE after the change */
	bool product_state_changed;
	bool landed_short;     /* Open -> beyond Provisioning stopped at Provisioning */
} optbytes_h5_plan;

#define OB5_OPTSR_PS_SHIFT    8
#define OB5_OPTSR_SWAP_BANK   (1u << 31)
#define OB5_OPTSR2_TZEN_SHIFT 24

/* Variant bit of a DEV_ID, 0 when unknown. */
unsigned optbytes_h5_variant(uint16_t dev_id);
const char *optbytes_h5_variant_name(unsigned variant);

/* Factory-like values in _CUR and _PRG (facts B.4 "clean" values, UNCONFIRMED as factory). */
void optbytes_h5_init(optbytes_h5 *ob, unsigned variant, unsigned sectors_per_bank);

bool optbytes_h5_reg_exists(const optbytes_h5 *ob, ob_h5_reg reg);
/* "(S)" in facts B.2: writing its _PRG with TrustZone on takes a secure access. */
bool optbytes_h5_reg_secure(ob_h5_reg reg);
const char *optbytes_h5_reg_name(ob_h5_reg reg, bool cur);
/* Register offset of _CUR (cur) or _PRG. */
uint32_t optbytes_h5_reg_offset(ob_h5_reg reg, bool cur);
/* The option register at a register-block offset, if this part has it. */
bool optbytes_h5_reg_at(const optbytes_h5 *ob, uint32_t offset, ob_h5_reg *reg, bool *cur);
/* Bits of the register that hold option fields on this part. */
uint32_t optbytes_h5_reg_mask(const optbytes_h5 *ob, ob_h5_reg reg);

size_t optbytes_h5_field_count(void);
const optbytes_h5_field *optbytes_h5_field_at(size_t index);
/* The field of that name on this part; NULL if absent (*known: another line has it). */
const optbytes_h5_field *optbytes_h5_field_find(const optbytes_h5 *ob, const char *name, bool *known);
uint32_t optbytes_h5_field_get(const uint32_t *regs, const optbytes_h5_field *field);
void optbytes_h5_field_set(uint32_t *regs, const optbytes_h5_field *field, uint32_t value);
uint32_t optbytes_h5_field_max(const optbytes_h5_field *field);
/* Encoding check (fits the width and, for coded fields, is a defined code). */
bool optbytes_h5_field_valid(const optbytes_h5_field *field, uint32_t value, const char **why);

/* Current values. */
uint8_t optbytes_h5_product_state(const optbytes_h5 *ob);
uint8_t optbytes_h5_tzen(const optbytes_h5 *ob);
bool optbytes_h5_tz_enabled(const optbytes_h5 *ob);
/* "Open", "Provisioning", ...; NULL for a byte that is no product state. */
const char *optbytes_h5_ps_name(uint8_t code);
/* Position in Open < Provisioning < iROT-Provisioned < TZ-Closed < Closed < Locked; -1 otherwise. */
int optbytes_h5_ps_rank(uint8_t code);
/* Current WRPSG bit of a sector is 0 (group of `group` sectors per bit). */
bool optbytes_h5_sector_wrp(const optbytes_h5 *ob, unsigned bank, unsigned sector, unsigned group);
/* Sector inside the current secure watermark of its bank (STRT <= sector <= END). */
bool optbytes_h5_sector_in_secwm(const optbytes_h5 *ob, unsigned bank, unsigned sector);

/* Decide what OPTSTRT does now (changes nothing). */
void optbytes_h5_plan_change(const optbytes_h5 *ob, optbytes_h5_plan *plan);
/* The change completed: _CUR takes _PRG (per the plan), then _PRG reads back _CUR. */
void optbytes_h5_commit(optbytes_h5 *ob, const optbytes_h5_plan *plan);
/* Option-byte load at reset: _PRG reloads from _CUR. */
void optbytes_h5_reload(optbytes_h5 *ob);
/* Written by the boot ROM during a regression: _CUR and _PRG. */
void optbytes_h5_force_product_state(optbytes_h5 *ob, uint8_t code);

#endif
