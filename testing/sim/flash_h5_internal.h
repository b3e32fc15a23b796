/*
 * Private to the STM32H5 flash model (flash_h5*.c): register bits, the
 * per-line table, the memory arrays, the operation in progress and the state
 * of the whole block.  Not a contract.
 */
#ifndef STM32SIM_FLASH_H5_INTERNAL_H
#define STM32SIM_FLASH_H5_INTERNAL_H

#include "flash_h5.h"
#include "optbytes_h5.h"

#define FH5_SECTOR_BYTES 0x2000u  /* 8 KiB on every line (facts B.2) */
#define FH5_QW_BYTES     16u      /* program unit of user flash and OBK: 128 bits + ECC */
#define FH5_HW_BYTES     2u       /* program unit of OTP: 16 bits (facts B.2) */
#define FH5_MAX_SECTORS  128u     /* per bank; SNB is 7 bits */
#define FH5_QW_PER_SECTOR (FH5_SECTOR_BYTES / FH5_QW_BYTES)

/* NSCR (0x28) / SECCR (0x2C), facts B.2. */
#define CR_LOCK     (1u << 0)
#define CR_PG       (1u << 1)
#define CR_SER      (1u << 2)
#define CR_BER      (1u << 3)
#define CR_FW       (1u << 4)
#define CR_STRT     (1u << 5)
#define CR_SNB_SHIFT 6
#define CR_SNB_MASK 0x7fu
#define CR_MER      (1u << 15)
#define CR_IE_NS    0x00ff0000u /* EOPIE .. OPTCHANGEERRIE */
#define CR_IE_S     0x007f0000u /* EOPIE .. OBKWERRIE */
#define CR_INV      (1u << 29)  /* SECCR only */
#define CR_BKSEL    (1u << 31)
#define CR_ERASES   (CR_SER | CR_BER | CR_MER)

/* NSSR (0x20) / SECSR (0x24) and the CLR_* bits of NSCCR/SECCCR, facts B.2. */
#define SR_BSY          (1u << 0)
#define SR_WBNE         (1u << 1)
#define SR_DBNE         (1u << 3)
#define SR_EOP          (1u << 16)
#define SR_WRPERR       (1u << 17)
#define SR_PGSERR       (1u << 18)
#define SR_STRBERR      (1u << 19)
#define SR_INCERR       (1u << 20)
#define SR_OBKERR       (1u << 21)
#define SR_OBKWERR      (1u << 22)
#define SR_OPTCHANGEERR (1u << 23) /* NSSR only */
#define SR_ERRORS (SR_WRPERR | SR_PGSERR | SR_STRBERR | SR_INCERR | SR_OBKERR | SR_OBKWERR)

/* OPTCR (0x1C), facts B.2. */
#define OPTCR_OPTLOCK   (1u << 0)
#define OPTCR_OPTSTRT   (1u << 1)
#define OPTCR_SWAP_BANK (1u << 31)

/* NSOBKCFGR / SECOBKCFGR ([SVD-H563]). */
#define OBKCFG_LOCK           (1u << 0)
#define OBKCFG_SWAP_SECT_REQ  (1u << 1)
#define OBKCFG_ALT_SECT       (1u << 2)
#define OBKCFG_ALT_SECT_ERASE (1u << 3)
#define OBKCFG_SWAP_OFFSET    0x01ff0000u
/*
 * The SVD gives 0x01FF0000 (LOCK = 0) as reset value but describes LOCK as
 * cleared only by the key sequence: UNCONFIRMED; chosen locked (the harder).
 */
#define OBKCFG_RESET (OBKCFG_SWAP_OFFSET | OBKCFG_LOCK)

/* ECCCORR / ECCDETR / ECCDR ([SVD-H563]). */
#define ECC_ADDR_MASK 0xffffu
#define ECC_OBK       (1u << 20)
#define ECC_BK        (1u << 22)
#define ECC_OTP       (1u << 24)
#define ECCCORR_ECCCIE (1u << 25)
#define ECCCORR_ECCC  (1u << 30)
#define ECCDETR_ECCD  (1u << 31)

/* OPSR ([SVD-H563]); CODE_OP values: see flash_h5_ops.c. */
#define OPSR_ADDR_MASK 0x000fffffu
#define OPSR_BK_OP     (1u << 22)
#define OPSR_OTP_OP    (1u << 24)
#define OPSR_CODE_SHIFT 29

/* Keys (facts B.2). */
#define FLASH_KEY1 0x45670123u
#define FLASH_KEY2 0xcdef89abu
#define OPT_KEY1   0x08192a3bu
#define OPT_KEY2   0x4c5d6e7fu
#define OBK_KEY1   0x192a083bu
#define OBK_KEY2   0x6e7f4c5du

enum { DOM_NS = 0, DOM_S = 1 };
/* Memory areas; the two banks are PHYSICAL banks. */
enum { AREA_BANK1 = 0, AREA_BANK2 = 1, AREA_OBK = 2, AREA_OTP = 3, AREA_COUNT = 4 };
/* What the ECC bits of a program unit say. */
enum { UNIT_ERASED = 0, UNIT_PROGRAMMED = 1, UNIT_CORRUPT = 2 };

/* Everything that differs between the lines (one row each in flash_h5.c). */
typedef struct fh5_line {
	uint16_t dev_id;
	unsigned variant;          /* OB5_V* */
	unsigned max_kib;
	unsigned wrp_group;        /* sectors per WRPSG bit */
	bool trustzone;
	bool obk;
	unsigned secbb_regs;       /* SECBBxRy per bank */
	unsigned privbb_regs;      /* PRIVBBxRy per bank */
} fh5_line;

/* Durations, UNCONFIRMED (facts B.2 give none): see the table in flash_h5.c. */
typedef struct fh5_timing {
	sim_time_us qw_program_us;
	sim_time_us otp_program_us;
	sim_time_us sector_erase_us;
	sim_time_us option_change_us;
} fh5_timing;
extern const fh5_timing fh5_timing_table;

typedef struct fh5_array {
	uint8_t *data;
	uint8_t *state;            /* UNIT_* per program unit */
	uint32_t bytes;
	uint32_t unit;             /* bytes per program unit */
	uint32_t units;
} fh5_array;

/* One register domain: NS (NSKEYR, NSCR, NSSR, NSOBKCFGR ...) or S. */
typedef struct fh5_domain {
	uint32_t cr;               /* stored bits; STRT and FW are actions */
	uint32_t sr;               /* sticky EOP and error flags */
	unsigned key_step;
	bool key_dead;             /* bad key sequence: locked until reset */
	uint32_t obkcfgr;
	unsigned obk_key_step;
	bool obk_key_dead;
} fh5_domain;

/* The single write buffer ([SVD-H563]: "there is just one write buffer"). */
typedef struct fh5_wbuf {
	bool active;
	unsigned dom;              /* who filled it: its SR shows WBNE, its FW flushes it */
	unsigned area;
	uint32_t unit;
	uint16_t written;          /* one bit per byte */
	uint8_t data[FH5_QW_BYTES];
} fh5_wbuf;

typedef enum fh5_op_kind { OP_NONE = 0, OP_PROGRAM, OP_ERASE, OP_OPTION, OP_REGRESSION } fh5_op_kind;
typedef enum fh5_erase_kind { ER_SECTOR = 0, ER_BANK, ER_MASS } fh5_erase_kind;

typedef struct fh5_erase_set {
	bool sector[2][FH5_MAX_SECTORS]; /* physical bank, sector */
	bool obk;
} fh5_erase_set;

typedef struct fh5_op {
	fh5_op_kind kind;
	unsigned dom;              /* the SR that gets EOP / errors */
	sim_time_us start;
	sim_time_us end;
	unsigned area;             /* program */
	uint32_t unit;
	uint8_t data[FH5_QW_BYTES];
	fh5_erase_kind erase;      /* erase */
	unsigned bank, sector;     /* first sector of the erase, for OPSR */
	fh5_erase_set set;         /* erase and regression */
	bool partial;              /* regression */
	optbytes_h5_plan plan;     /* option change */
} fh5_op;

typedef struct fh5_counters {
	uint64_t sector_erases, bank_erases, mass_erases;
	uint64_t option_changes, option_change_errors;
	uint64_t quad_words_programmed;
	uint64_t regressions_full, regressions_partial;
} fh5_counters;

struct flash_h5 {
	const fh5_line *line;
	flash_h5_part part;
	unsigned sectors;          /* per bank */
	uint32_t bank_bytes;
	optbytes_h5 ob;
	fh5_array array[AREA_COUNT];

	fh5_domain dom[2];
	uint32_t acr, privcfgr, hdpextr, opsr;
	uint32_t ecccorr, eccdetr, eccdr;
	uint32_t secbb[2][4], privbb[2][4];
	uint32_t optcr;            /* OPTLOCK only: OPTSTRT and SWAP_BANK are derived */
	unsigned optkey_step;
	bool optkey_dead;
	bool opt_change_error;     /* NSSR.OPTCHANGEERR */
	bool swapped;              /* OPTCR.SWAP_BANK: SWAP_BANK in effect since the last reset */
	fh5_wbuf wbuf;
	fh5_op op;                 /* running */
	fh5_op pending;            /* a program waiting for `op` (the bus would stall) */
	bool stall_logged;
	bool reset_request;
	sim_time_us busy_total;
	fh5_counters count;
	sim_time_us time;          /* latest update: a reset is never earlier */
	sim_flash_listener listener;
	void *listener_ctx;
};

/* flash_h5_array.c: bytes and ECC state of one area. */
int fa5_alloc(fh5_array *a, uint32_t bytes, uint32_t unit);
void fa5_free(fh5_array *a);
void fa5_erase_units(fh5_array *a, uint32_t first, uint32_t count);
void fa5_corrupt_unit(fh5_array *a, uint32_t unit);
void fa5_mark_corrupt(fh5_array *a, uint32_t unit);
bool fa5_program(fh5_array *a, uint32_t unit, const uint8_t *data);
void fa5_interrupt_program(fh5_array *a, uint32_t unit, const uint8_t *target);
void fa5_preload(fh5_array *a, uint32_t offset, const uint8_t *bytes, uint32_t len);
void fa5_counts(const fh5_array *a, uint32_t *erased, uint32_t *programmed, uint32_t *corrupt);
int fa5_sha256_hex(const fh5_array *a, char out[65]);

/* flash_h5_mem.c */
void fh5_wbuf_discard(flash_h5 *f);
void fh5_wbuf_submit(flash_h5 *f, sim_time_us now);

/* flash_h5_ops.c: program/erase and the operation clock. */
bool fh5_sector_secure(const flash_h5 *f, unsigned bank, unsigned sector);
void fh5_schedule_program(flash_h5 *f, const fh5_op *op, sim_time_us now);
void fh5_start_erase(flash_h5 *f, unsigned dom, uint32_t cr, sim_time_us now);
void fh5_ops_update(flash_h5 *f, sim_time_us now);
void fh5_ops_interrupt(flash_h5 *f, sim_time_us now);
void fh5_apply_erase_set(flash_h5 *f, const fh5_erase_set *set);

/* flash_h5_optchg.c: option change and regressions. */
void fh5_option_start(flash_h5 *f, sim_time_us now);
void fh5_option_complete(flash_h5 *f, const fh5_op *op);
void fh5_regression_start(flash_h5 *f, bool partial, sim_time_us now);
void fh5_regression_complete(flash_h5 *f, const fh5_op *op);
void fh5_log_unmodelled_options(const flash_h5 *f);

/* flash_h5_regs.c */
sim_bus_result fh5_reg_read(flash_h5 *f, bool secure_access, uint32_t offset, uint32_t *value);
void fh5_reg_write(flash_h5 *f, bool secure_access, uint32_t offset, uint32_t value, sim_time_us now);

/* flash_h5_contents.c: flash.fill/load/ecc_error and otp.fill, in file order. */
int fh5_apply_contents(flash_h5 *f, scenario *sc, char *err, size_t errlen);

/* flash_h5.c */
void fh5_notify(const flash_h5 *f, sim_flash_event ev, sim_flash_phase phase, sim_time_us start, sim_time_us end);
void fh5_load_options(flash_h5 *f);
void fh5_resume_regression(flash_h5 *f, sim_time_us now);

#endif
