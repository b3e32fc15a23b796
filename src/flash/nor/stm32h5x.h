/*
 * STM32H5 flash, option bytes and product states, as the recovery tool sees
 * them.  Pure data and rules; no chip access (the H7 counterpart is
 * stm32h7x.h).
 *
 * Sources: ../shared/facts/stm32-facts.md section B (identification B.1,
 * flash registers and option bytes B.2, product states B.3, debug
 * authentication B.4), itself citing ST's CMSIS device headers
 * (stm32h563xx.h, stm32h533xx.h, stm32h503xx.h), RM0481 and RM0492.
 *
 * Three lines differ in data only: 0x474 (H503: no TrustZone, DA password in
 * OTP), 0x478 (H523/H533) and 0x484 (H562/H563/H573).
 *
 * Register offsets and table indices have distinct types so that one can
 * never be passed for the other.
 */
#ifndef STM32UNBRICK_STM32H5X_H
#define STM32UNBRICK_STM32H5X_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../target/errors.h"

/* An offset from the FLASH register block (NS 0x40022000, S 0x50022000). */
typedef struct h5_reg_off { uint16_t off; } h5_reg_off;
/* An index into h5_ob_regs[]. */
typedef struct h5_ob_reg_idx { uint8_t idx; } h5_ob_reg_idx;

#define H5_FLASH_REGS_NS   0x40022000u
#define H5_FLASH_REGS_S    0x50022000u
#define H5_FLASH_BASE_NS   0x08000000u
#define H5_FLASH_BASE_S    0x0C000000u
#define H5_FLASH_SIZE_ADDR 0x08FFF80Cu /* 16-bit, KiB (facts B.1) */
#define H5_OTP_BASE        0x08FFF000u /* H503 DA password hash lives here (facts B.4) */
#define H5_DA_OBK_ADDR_S   0x0FFD0100u /* DA password / root-key hash, HDPL1 OBK area (facts B.4) */

/* Lines, as a bit each so that table rows can name several. */
enum h5_line {
	H5_LINE_474 = 1 << 0,
	H5_LINE_478 = 1 << 1,
	H5_LINE_484 = 1 << 2,
};

typedef struct h5_line_info {
	uint16_t dev_id;
	enum h5_line line;
	const char *family;            /* "STM32H503" ... */
	const char *manual;            /* "RM0492" ... */
	unsigned max_kib;
	unsigned sector_kib;
	unsigned wrp_group_sectors;    /* sectors per WRPSG bit */
	uint8_t wrpsg_width;           /* bits of WRPSGn */
	bool has_trustzone;
	bool da_password_in_otp;       /* H503: OTP; the others: OBK */
} h5_line_info;

const h5_line_info *h5_line_by_dev_id(uint16_t dev_id);

/* Flash layout of one chip: two banks of equal size, bank 2 at base + size/2. */
typedef struct h5_geometry {
	unsigned flash_kib;
	unsigned bank_kib;
	unsigned sectors_per_bank;
	uint32_t bank2_base;
} h5_geometry;
/* UB_ERR_ARG when flash_kib (from H5_FLASH_SIZE_ADDR) is impossible for the line. */
ub_err h5_geometry_for(const h5_line_info *line, unsigned flash_kib, h5_geometry *g);

/* A FLASH register of the register map (facts B.2), whichever lines have it. */
typedef struct h5_flash_reg {
	const char *name;              /* RM name, e.g. "NSCR", "OPTSR_PRG", "SECBB1R3" */
	h5_reg_off off;
	unsigned lines;                /* mask of enum h5_line */
} h5_flash_reg;
size_t h5_flash_reg_count(void);
const h5_flash_reg *h5_flash_reg_at(size_t i);
/* NULL when the line has no register of that name. */
const h5_flash_reg *h5_flash_reg_on(const h5_line_info *line, const char *name);

/* An option-byte register: its current (read-only) and program offsets. */
typedef struct h5_ob_reg {
	const char *name;              /* RM name without _CUR/_PRG */
	h5_reg_off cur;
	h5_reg_off prg;
	unsigned lines;
} h5_ob_reg;

typedef struct h5_ob_field {
	const char *name;              /* RM name, e.g. "PRODUCT_STATE", "TZEN", "HDP1_STRT" */
	h5_ob_reg_idx reg;
	uint8_t shift;
	uint8_t width;
	unsigned lines;
	const char *meaning;           /* one line for `diagnose` */
} h5_ob_field;

#define H5_OB_MAX_REGS 16

/* A snapshot of every option-byte register the chip has (values by register index). */
typedef struct h5_ob {
	const h5_line_info *line;
	uint32_t value[H5_OB_MAX_REGS];
	bool present[H5_OB_MAX_REGS];
} h5_ob;

size_t h5_ob_reg_count(void);
const h5_ob_reg *h5_ob_reg_at(h5_ob_reg_idx i);
size_t h5_ob_field_count(void);
const h5_ob_field *h5_ob_field_at(size_t i);
bool h5_ob_reg_applies(const h5_ob_reg *r, const h5_line_info *line);
bool h5_ob_field_applies(const h5_ob_field *f, const h5_line_info *line);

void h5_ob_init(h5_ob *ob, const h5_line_info *line);
/* Field access; UB_ERR_ARG naming the field when it does not exist on this line. */
ub_err h5_ob_get(const h5_ob *ob, const char *field, uint32_t *value);
/* Validates the value against the field width and its own rules (only defined
 * encodings for PRODUCT_STATE/TZEN/BOOT_UBE/xxBOOT_LOCK, Locked and boot locks
 * refused unless allow_irreversible, boot addresses inside flash or SRAM).
 * A PRODUCT_STATE change must also pass h5_product_state_check(). */
ub_err h5_ob_set(h5_ob *ob, const char *field, uint32_t value, bool allow_irreversible);
/* Apply ST's "remove protections" values (facts B.4, UNCONFIRMED as factory);
 * fields outside that list keep their value. */
void h5_ob_apply_clean(h5_ob *ob, bool tz_wanted);
/* Fields whose values differ; returns the number written into names (<= max). */
size_t h5_ob_diff(const h5_ob *a, const h5_ob *b, const char **names, size_t max);
/* TZEN = 0xB4 (facts B.2); always false on H503. */
bool h5_ob_tz_enabled(const h5_ob *ob);

/* ---- Product states (facts B.3) ------------------------------------------ */

enum h5_product_state {
	H5_PS_OPEN = 0xED,
	H5_PS_PROVISIONING = 0x17,
	H5_PS_IROT_PROVISIONED = 0x2E,
	H5_PS_TZ_CLOSED = 0xC6,
	H5_PS_CLOSED = 0x72,
	H5_PS_LOCKED = 0x5C,
	H5_PS_REGRESSION = 0x9A,
	H5_PS_NS_REGRESSION = 0xA3,
};

#define H5_TZEN_ENABLED   0xB4u
#define H5_TZEN_DISABLED  0xC3u
#define H5_BOOT_LOCKED    0xB4u
#define H5_BOOT_UNLOCKED  0xC3u

/* "Open", "TZ-Closed" ...; NULL for a byte that is no product state. */
const char *h5_product_state_name(uint8_t code);

/* Debug-authentication credentials the caller has provisioned (facts B.4). */
enum h5_cred_kind {
	H5_CRED_NONE = 0,
	H5_CRED_PASSWORD_OBK,    /* SHA-256 of a password in OBK: TZEN = 0xC3 */
	H5_CRED_CERTIFICATE_OBK, /* root public-key hash in OBK: TZEN = 0xB4 */
	H5_CRED_PASSWORD_OTP,    /* H503: SHA-256 of a password in OTP */
};

typedef struct h5_credentials {
	uint16_t dev_id;         /* the line the credentials were provisioned on */
	enum h5_cred_kind kind;
	bool verified;           /* the caller checked them against what it holds (e.g. a DA discovery/auth dry run) */
} h5_credentials;

const char *h5_cred_kind_name(enum h5_cred_kind kind);
/* The only kind DA will accept on this line with this TrustZone setting. */
enum h5_cred_kind h5_cred_kind_needed(uint16_t dev_id, bool tz_enabled);

/* May option-byte programming move PRODUCT_STATE from `from` to `to`?  UB_OK or
 * UB_ERR_REFUSED / UB_ERR_ARG with a plain-words reason in ub_last_error(). */
ub_err h5_product_state_check(uint8_t from, uint8_t to, const h5_credentials *cred, bool tz_enabled,
			      bool allow_irreversible);

#endif
