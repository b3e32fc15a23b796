/*
 * STM32H7 flash and option bytes, as the recovery tool sees them.
 *
 * Sources: ../shared/facts/stm32-facts.md section A (register map A.2, RDP A.3,
 * factory values A.4, dual core A.6), itself citing ST's CMSIS device headers
 * (stm32h743xx.h, stm32h745xx.h, stm32h7a3xx.h, stm32h723xx.h) and RM0433,
 * RM0399, RM0455, RM0468.
 *
 * Three lines differ in data only: 0x450 (H74x/H75x, dual-core H745/H747/
 * H755/H757), 0x480 (H7A3/H7B3/H7B0), 0x483 (H72x/H73x).
 *
 * Register offsets and table indices have distinct types so that one can
 * never be passed for the other.
 */
#ifndef STM32UNBRICK_STM32H7X_H
#define STM32UNBRICK_STM32H7X_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../target/errors.h"
#include "../../target/ocd_bridge.h"

/* An offset from the FLASH register block (0x52002000). */
typedef struct h7_reg_off { uint16_t off; } h7_reg_off;
/* An index into h7_ob_regs[]. */
typedef struct h7_ob_reg_idx { uint8_t idx; } h7_ob_reg_idx;

#define H7_FLASH_REGS      0x52002000u
#define H7_BANK1_BASE      0x08000000u
#define H7_BANK2_BASE      0x08100000u

/* Lines, as a bit each so that table rows can name several. */
enum h7_line {
	H7_LINE_450 = 1 << 0,
	H7_LINE_480 = 1 << 1,
	H7_LINE_483 = 1 << 2,
};

/* Field applicability beyond the line (dual core, two banks). */
enum h7_field_need {
	H7_NEED_NONE = 0,
	H7_NEED_DUAL_CORE = 1 << 0,
	H7_NEED_SINGLE_CORE = 1 << 1,
	H7_NEED_TWO_BANKS = 1 << 2,
};

typedef struct h7_line_info {
	uint16_t dev_id;
	enum h7_line line;
	const char *family;         /* "STM32H74x/H75x" ... */
	const char *manual;         /* "RM0433" ... */
	uint32_t flash_size_addr;   /* 16-bit register, KiB */
	unsigned max_kib;
	unsigned sector_kib;
	unsigned word_bytes;        /* flash word: 32 (256 bits) or 16 (128 bits) */
	unsigned wps_group_sectors; /* sectors per WPSN bit */
	bool has_mass_erase;        /* OPTCR.MER */
	bool two_banks_possible;
	/* FLASH_CRx layout (facts A.2): 0x480 has FW/START two bits lower, SNB at bit 6, no PSIZE. */
	uint8_t cr_fw_bit;
	uint8_t cr_start_bit;
	uint8_t cr_snb_shift;
	uint8_t cr_snb_width;
	bool cr_has_psize;
} h7_line_info;

/* An option-byte register: its current (read-only) and program offsets. */
typedef struct h7_ob_reg {
	const char *name;           /* RM name without _CUR/_PRG, e.g. "OPTSR", "PRAR1" */
	h7_reg_off cur;
	h7_reg_off prg;
	unsigned lines;             /* mask of enum h7_line */
	unsigned need;              /* mask of enum h7_field_need */
} h7_ob_reg;

typedef struct h7_ob_field {
	const char *name;           /* RM name, e.g. "RDP", "DMEP1", "BOOT_CM7_ADD0" */
	h7_ob_reg_idx reg;
	uint8_t shift;
	uint8_t width;
	unsigned lines;
	unsigned need;
	const char *meaning;        /* one line for `diagnose` */
} h7_ob_field;

/* What a given chip has: the line plus the facts that select fields. */
typedef struct h7_chip_kind {
	const h7_line_info *line;
	bool dual_core;
	bool two_banks;
} h7_chip_kind;

#define H7_OB_MAX_REGS 16

/* A snapshot of every option-byte register the chip has (values by register index). */
typedef struct h7_ob {
	h7_chip_kind kind;
	uint32_t value[H7_OB_MAX_REGS];
	bool present[H7_OB_MAX_REGS];
} h7_ob;

/* RDP byte values (facts A.3): 0xAA level 0, 0xCC level 2, anything else level 1. */
#define H7_RDP_LEVEL0 0xAAu
#define H7_RDP_LEVEL2 0xCCu
/* The level-1 value we write when we must (HAL's choice; never 0xCC). */
#define H7_RDP_LEVEL1 0x55u
unsigned h7_rdp_level(uint8_t rdp);

const h7_line_info *h7_line_by_dev_id(uint16_t dev_id);
const h7_ob_reg *h7_ob_reg_at(h7_ob_reg_idx i);
size_t h7_ob_reg_count(void);
size_t h7_ob_field_count(void);
const h7_ob_field *h7_ob_field_at(size_t i);
const h7_ob_field *h7_ob_field_by_name(const char *name);
bool h7_ob_reg_applies(const h7_ob_reg *r, const h7_chip_kind *k);
bool h7_ob_field_applies(const h7_ob_field *f, const h7_chip_kind *k);

void h7_ob_init(h7_ob *ob, const h7_chip_kind *kind);
/* Field access; UB_ERR_ARG naming the field when it does not exist on this chip. */
ub_err h7_ob_get(const h7_ob *ob, const char *field, uint32_t *value);
/* Validates the value against the field width and its own rules (RDP 0xCC refused
 * unless allow_irreversible; boot addresses inside a mapped region...). */
ub_err h7_ob_set(h7_ob *ob, const char *field, uint32_t value, bool allow_irreversible);
/* The factory values of every register present on this chip (facts A.4). */
void h7_ob_factory(h7_ob *ob, const h7_chip_kind *kind);
/* Fields whose values differ; returns the number written into names (<= max). */
size_t h7_ob_diff(const h7_ob *a, const h7_ob *b, const char **names, size_t max);

/* A PCROP or secure area (in bytes, absolute), empty when start > end. */
typedef struct h7_area {
	bool empty;
	uint32_t start;
	uint32_t end;       /* last byte included */
	bool erase_on_regression; /* DMEP / DMES */
} h7_area;
h7_area h7_ob_pcrop_area(const h7_ob *ob, unsigned bank);
/* Adjust `expect` (the wanted options) for what a 1 -> 0 regression from
 * `before` may do on its own: remove areas marked DMEP/DMES, seen in `now`. */
void h7_ob_expect_after_regression(h7_ob *expect, const h7_ob *before, const h7_ob *now);
h7_area h7_ob_secure_area(const h7_ob *ob, unsigned bank);

/* ---- Chip access (stm32h7x.c) --------------------------------------------- */

#define H7_DBGMCU_APB  0xE00E1000u /* DBGMCU through AP2: answers under NRST (facts A.1) */
#define H7_DBGMCU_SYS  0x5C001000u /* through AP0/AP3: needs the AXI, not under NRST */
#define H7_AP_CM7      0u
#define H7_AP_APB      2u
#define H7_AP_CM4      3u

typedef struct h7_target {
	ocd_bridge *b;
	ub_ap sys;              /* AP reaching the system bus: 0 (Cortex-M7) or 3 (Cortex-M4) */
	ub_ap apb;              /* the APB-AP (2) */
	uint16_t dev_id;
	uint16_t rev_id;
	unsigned flash_kib;
	h7_chip_kind kind;
	unsigned timeout_scale_pct; /* 100 = datasheet-derived timeouts */
	bool program_direct;        /* `h7 program -direct`: no loader, the debugger writes the flash */
} h7_target;

/* DBGMCU_IDCODE: through the APB-AP first (works under reset), else the system AP. */
ub_err h7_read_idcode(h7_target *t, uint32_t *idcode);
/* Line, revision, flash size, dual core (AP3 present), banks. */
ub_err h7_identify(h7_target *t);
const char *h7_rev_name(uint16_t dev_id, uint16_t rev_id);

ub_err h7_ob_read(h7_target *t, h7_ob *ob);
/* Program every register of `want` that differs from the chip, wait (bounded),
 * refuse on OPTCHANGEERR, and verify by reading _CUR back.  Always re-locks. */
ub_err h7_ob_write(h7_target *t, const h7_ob *want, unsigned timeout_ms);

ub_err h7_bank_erase(h7_target *t, unsigned bank, unsigned timeout_ms);
/* Program flash words (erased words are skipped) and verify by reading back. */
ub_err h7_program(h7_target *t, uint32_t addr, const uint8_t *data, size_t len);
/* Compare flash with data; UB_ERR_VERIFY names the first differing address. */
ub_err h7_verify(h7_target *t, uint32_t addr, const uint8_t *data, size_t len);
/* Read a whole bank back; UB_ERR_VERIFY names the first word that is not 0xFF. */
ub_err h7_blank_check(h7_target *t, unsigned bank);
/* ---- Flash loader (stm32h7x_loader.c, stm32h7x_loader.S) ------------------- */

typedef struct h7_loader_run {
	uint32_t addr;              /* first flash word, inside one bank */
	const uint8_t *data;
	size_t len;                 /* whole flash words */
	uint32_t sr_addr;           /* that bank's FLASH_SRx */
	uint32_t err_mask;          /* its error flags */
} h7_loader_run;

typedef struct h7_loader_result {
	uint32_t status;            /* 0, or FLASH_SRx with an error flag the loader saw */
	uint32_t addr;              /* the flash word it saw it after */
} h7_loader_result;

/* UB_OK if the core can run the loader (it is halted); else `why` says why not. */
ub_err h7_loader_usable(h7_target *t, const char **why);
/* Streams `r` through the loader, the bank unlocked with PG set by the caller.  Leaves the
 * core halted (on the loader's BKPT, or halted by us after a failure). */
ub_err h7_loader_program(h7_target *t, const h7_loader_run *r, h7_loader_result *res);

/* The core (halted) reads [start, end) and reports in `first` the first 16-byte group not erased,
 * or `end`.  UB_ERR_UNSUPPORTED when it cannot (core not halted, a read faulted): read instead. */
ub_err h7_core_blank_scan(h7_target *t, uint32_t start, uint32_t end, uint32_t *first);
/* The core (halted) reads every word of [start, end), whole 64-byte blocks: `stop` is `end` when
 * all were readable, else the block where a read faulted (an uncorrectable ECC error; the core is
 * left halted).  UB_ERR_UNSUPPORTED when the core cannot help: read through the debugger instead. */
ub_err h7_core_readable_scan(h7_target *t, uint32_t start, uint32_t end, uint32_t *stop);
/* The same scan over [start, end) (32 KiB boundaries) with its erased map (cm_erased_map): UNSUPPORTED
 * when the core cannot help or a read faulted. */
ub_err h7_core_erased_map(h7_target *t, uint32_t start, uint32_t end, uint32_t *map, size_t words);

/* FLASH_SRx of a bank, for diagnose. */
ub_err h7_flash_status(h7_target *t, unsigned bank, uint32_t *sr);

#endif
