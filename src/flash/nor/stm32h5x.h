/*
 * STM32H5 flash, option bytes and product states, as the recovery tool sees
 * them.  First pure data and rules (stm32h5x_ob.c), then, at the end, the
 * chip access (the H7 counterpart is stm32h7x.h).
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

/* ---- Chip access (stm32h5x.c, stm32h5x_flash.c, stm32h5x_ps.c) ------------------------------------
 * Everything below reaches the chip through the bridge (../../target/ocd_bridge.h); every wait is
 * bounded (../../target/poll.h). */

#include "../../target/ocd_bridge.h"
#include "image.h"

#define H5_AP_DBG          0u          /* APB-AP: DBGMCU and the DA mailbox (facts B.1) */
#define H5_AP_SYS          1u          /* AHB-AP of the Cortex-M33 */
#define H5_DBGMCU_ST       0xE0044000u /* debugger views of DBGMCU; ST's tools read this one first */
#define H5_DBGMCU_RM       0xE00E4000u /* the one RM0481 names (facts B.1: which is right is UNCONFIRMED) */
#define H5_QUAD_WORD       16u         /* flash program unit (facts B.2) */

typedef struct h5_target {
	ocd_bridge *b;
	ub_ap dbg;                  /* AP0 */
	ub_ap sys;                  /* AP1 */
	uint32_t dbgmcu;            /* the DBGMCU address that answered */
	uint16_t dev_id;
	uint16_t rev_id;
	const h5_line_info *line;
	h5_geometry geo;
	bool flash_kib_known;       /* read from H5_FLASH_SIZE_ADDR, else the line's largest */
	bool ap1_open;              /* AP1 answered a read of OPTSR_CUR at the last identify */
	uint32_t optsr_cur;         /* OPTSR_CUR / OPTSR2_CUR at the last identify (when ap1_open) */
	uint32_t optsr2_cur;
	unsigned timeout_scale_pct; /* 100 = our default timeouts */
	/* The SPROT bit of AP1's CSW pattern in OpenOCD: what we found (to put back) and what it is now;
	 * -1 = not looked at yet in this command. */
	int csw_found_secure;
	int csw_now_secure;
} h5_target;

/* Prepare `t` for a command (the bridge may have changed since). */
void h5_begin_command(h5_target *t, ocd_bridge *b);
/* Put AP1's CSW pattern back as the command found it; keeps an earlier error (`e`). */
ub_err h5_end_command(h5_target *t, ub_err e);

/* DBGMCU_IDCODE via AP0 (0xE0044000, then 0xE00E4000), then via AP1 (when it answers) the flash
 * size, OPTSR_CUR and OPTSR2_CUR. */
ub_err h5_identify(h5_target *t);
/* PRODUCT_STATE / TZEN from the last identify; TZEN is 0 on the H503 or when AP1 was closed. */
uint8_t h5_target_product_state(const h5_target *t);
uint8_t h5_target_tzen(const h5_target *t);

/* Every option-byte register of the line, from *_CUR (non-secure FLASH block). */
ub_err h5_ob_read(h5_target *t, h5_ob *ob);
/* Program every register of `want` that differs (NSKEYR + OPTKEYR unlock, *_PRG, OPTSTRT, bounded
 * wait, OPTCHANGEERR), always re-lock, then verify *_CUR naming the first field that did not take.
 * A PRODUCT_STATE change is refused here: h5_product_state_set() does that. */
ub_err h5_ob_write(h5_target *t, const h5_ob *want, unsigned timeout_ms);
/* Every FLASH register of the line through the non-secure block; ok[i] false when register i of
 * h5_flash_reg_at() could not be read (or the line has none).  UB_OK when at least one answered. */
ub_err h5_flash_regs_read(h5_target *t, uint32_t *values, bool *ok, size_t n);

/* ---- Erase, program, verify (stm32h5x_flash.c) ---- */
/* Physical banks (BKSEL ignores SWAP_BANK, facts B.2).  timeout_ms 0 = our default. */
ub_err h5_erase_sector(h5_target *t, unsigned bank, unsigned sector, unsigned timeout_ms);
ub_err h5_erase_bank(h5_target *t, unsigned bank, unsigned timeout_ms);
ub_err h5_erase_all(h5_target *t, unsigned timeout_ms);
/* Erase the sectors the image touches, program its quad-words (a partial one padded with 0xFF),
 * verify by reading back.  Segments may use the non-secure (0x08..) or secure (0x0C..) alias. */
ub_err h5_program_image(h5_target *t, const ub_image *img, unsigned timeout_ms);
/* UB_ERR_VERIFY naming the first differing address and both values. */
ub_err h5_verify_image(h5_target *t, const ub_image *img);
/* All user flash 0xFF?  first_non_blank is a non-secure-alias address. */
ub_err h5_blank_check(h5_target *t, bool *blank, uint32_t *first_non_blank);

/* ---- Product state, credentials, provisioning (stm32h5x_ps.c) ---- */

/* The DA credential record as stored (docs/h5-debug-authentication.md section 7). */
typedef struct h5_cred_record {
	enum h5_cred_kind kind;    /* H5_CRED_NONE when erased or torn */
	bool torn;                 /* neither erased nor a consistent record */
	bool in_otp;               /* H503 */
	uint32_t addr;             /* where it was read */
	uint32_t permissions;
	uint8_t hash[32];
} h5_cred_record;
ub_err h5_cred_read(h5_target *t, h5_cred_record *rec);

/* A credential file the user holds, already hashed (src/target/da_auth.h). */
typedef enum h5_file_kind { H5_FILE_NONE, H5_FILE_PASSWORD, H5_FILE_CERTIFICATE } h5_file_kind;
typedef struct h5_held_cred {
	h5_file_kind kind;
	const char *path;          /* for messages only */
	uint8_t hash[32];
} h5_held_cred;

typedef struct h5_ps_result {
	uint8_t from;
	uint8_t to;                /* read back when AP1 still answers, else the one requested */
	bool confirmed;
	bool ap1_open;
} h5_ps_result;
/* Move PRODUCT_STATE to `to` after h5_product_state_check() with the stored credentials (verified
 * only when `held` hashes to them); waits (bounded) for the chip to come back from its reset. */
ub_err h5_product_state_set(h5_target *t, uint8_t to, const h5_held_cred *held, bool irreversible,
			    unsigned timeout_ms, h5_ps_result *res);
/* Write the credential record (OBK) or the password hash (OTP, H503, only when irreversible) and
 * verify it.  *written false when exactly that record was already there. */
ub_err h5_da_provision(h5_target *t, const h5_held_cred *held, uint32_t permissions, bool irreversible,
		       unsigned timeout_ms, bool *written);

/* How long a DA regression usually takes on this part: both banks erased in turn, then the reboot (our
 * estimate, for progress lines; stm32h5x.c). */
unsigned h5_est_regression_ms(const h5_target *t);

#endif
