/*
 * Private to the STM32H7 flash model (flash_h7*.c): the per-line table, the
 * state of one physical bank and of the whole block.  Not a contract.
 */
#ifndef STM32SIM_FLASH_H7_INTERNAL_H
#define STM32SIM_FLASH_H7_INTERNAL_H

#include "flash_h7.h"
#include "optbytes_h7.h"

#define FLASH_H7_MAX_BANKS 2
#define FLASH_H7_MAX_WORD 32
#define FLASH_H7_BANK_WINDOW 0x00100000u /* bank 2 always starts 1 MiB after bank 1 (facts A.2) */

/* FLASH_CRx bits common to all lines (facts A.2). */
#define CR_LOCK (1u << 0)
#define CR_PG   (1u << 1)
#define CR_SER  (1u << 2)
#define CR_BER  (1u << 3)

/* FLASH_SRx / FLASH_CCRx (facts A.2). */
#define SR_BSY      (1u << 0)
#define SR_WBNE     (1u << 1)
#define SR_QW       (1u << 2)
#define SR_EOP      (1u << 16)
#define SR_WRPERR   (1u << 17)
#define SR_PGSERR   (1u << 18)
#define SR_STRBERR  (1u << 19)
#define SR_INCERR   (1u << 21)
#define SR_OPERR    (1u << 22)
#define SR_RDPERR   (1u << 23)
#define SR_RDSERR   (1u << 24)
#define SR_SNECCERR (1u << 25)
#define SR_DBECCERR (1u << 26)
#define SR_CRCEND   (1u << 27)
#define SR_CRCRDERR (1u << 28)
/* Errors that stop the next program/erase until cleared through CCR. */
#define SR_PROGRAM_ERRORS (SR_WRPERR | SR_PGSERR | SR_STRBERR | SR_INCERR | SR_OPERR)

/* FLASH_OPTCR (facts A.2). */
#define OPTCR_OPTLOCK   (1u << 0)
#define OPTCR_OPTSTART  (1u << 1)
#define OPTCR_MER       (1u << 4)
#define OPTCR_PG_OTP    (1u << 5)
#define OPTCR_CHGERRIE  (1u << 30)
#define OPTCR_SWAP_BANK (1u << 31)
#define OPTCCR_CLR_OPTCHANGEERR (1u << 30)

/* Keys (facts A.2). */
#define FLASH_KEY1 0x45670123u
#define FLASH_KEY2 0xcdef89abu
#define OPT_KEY1   0x08192a3bu
#define OPT_KEY2   0x4c5d6e7fu

/* State of each flash word: its ECC bits say erased, programmed once, or neither. */
enum { WORD_ERASED = 0, WORD_PROGRAMMED = 1, WORD_CORRUPT = 2 };

/* Everything that differs between the three lines (one row each in flash_h7.c). */
typedef struct flash_h7_line {
	uint16_t dev_id;
	unsigned word_bytes;      /* program unit: 32 (256 bits) or 16 (128 bits) */
	unsigned sector_bytes;
	unsigned max_banks;
	uint32_t cr_fw;           /* FW and START sit two bits lower on 0x480 */
	uint32_t cr_start;
	unsigned cr_snb_shift;
	uint32_t cr_snb_max;      /* SNB field mask before shifting */
	uint32_t cr_stored;       /* CR bits that read back as written */
	uint32_t cr_reset;
	uint32_t sr_errors;       /* error bits this line has (no OPERR on 0x480) */
	uint32_t optcr_stored;    /* OPTCR bits that read back as written */
	bool has_mer;
	bool has_swap;
	unsigned wps_group;       /* sectors per WRPSN bit */
	uint32_t ecc_fa_mask;
	sim_time_us t_program_us; /* one flash word */
	sim_time_us t_sector_us;  /* one sector erase */
} flash_h7_line;

typedef enum flash_op_kind {
	OP_NONE = 0,
	OP_PROGRAM,
	OP_SECTOR_ERASE,
	OP_BANK_ERASE,
} flash_op_kind;

typedef struct flash_op {
	flash_op_kind kind;
	sim_time_us start;
	sim_time_us end;
	unsigned sector;          /* sector erase */
	bool erase_areas;         /* bank erase: PCROP/secure areas with DMEP/DMES = 1 go too */
	uint32_t word;            /* program: word index in the bank */
	uint8_t data[FLASH_H7_MAX_WORD];
} flash_op;

/* Protected ranges an erase must not touch: byte offsets [start, end) in the bank. */
typedef struct flash_keep {
	unsigned count;
	ob_h7_area area[2];
} flash_keep;

typedef struct flash_h7_bank {
	uint8_t *data;
	uint8_t *word_state;
	uint32_t words;

	uint32_t cr;
	uint32_t sr;
	uint32_t ecc_fa;
	uint32_t crccr, crcsadd, crceadd, crcdata;
	unsigned key_step;        /* KEYR: 0 = expect KEY1, 1 = expect KEY2 */
	bool key_dead;            /* wrong key sequence: locked until reset */

	bool wbuf_active;         /* write buffer holds part of a word */
	uint32_t wbuf_word;
	uint32_t wbuf_written;    /* one bit per byte */
	uint8_t wbuf[FLASH_H7_MAX_WORD];

	flash_op op;              /* executing */
	flash_op queued;          /* waiting for `op` (one slot, SR.QW) */
	/*
	 * A flash word whose last byte arrived with both slots taken: on silicon
	 * the bus write that completed it does not finish until `op` ends and a
	 * slot frees (the AXI bus stalls; a MEM-AP answers WAIT meanwhile).  The
	 * word is held here until then; the debugger cannot reach the chip in
	 * between (jtag_dp.c), so nothing can observe where it waits.
	 */
	flash_op stalled;
	bool stall_logged;
} flash_h7_bank;

typedef struct flash_h7_optop {
	bool busy;
	bool erase_done;          /* regression: the erase phase is over */
	sim_time_us start;
	sim_time_us erase_end;    /* regression: erase phase ends here */
	sim_time_us end;
	optbytes_h7_plan plan;
} flash_h7_optop;

struct flash_h7 {
	const flash_h7_line *line;
	sim_time_us pinned_now;   /* nonzero: the time bus accesses happen at (flash_h7_pin_time) */
	flash_h7_part part;
	unsigned banks;
	unsigned sectors;         /* per bank */
	uint32_t bank_bytes;
	optbytes_h7 ob;

	flash_h7_bank bank[FLASH_H7_MAX_BANKS];
	uint32_t acr;
	uint32_t optcr;           /* stored bits only (OPTCHANGEERRIE, PG_OTP) */
	bool opt_locked;
	unsigned optkey_step;
	bool optkey_dead;
	bool opt_change_error;
	bool swapped;             /* SWAP_BANK in effect since the last reset */
	bool mass_erase;          /* OPTCR.MER reads 1 until both bank erases end */
	bool intrusion;
	flash_h7_optop optop;
	sim_time_us busy_total;
	uint64_t bus_stalls;       /* bus writes that waited for a queue slot */
	sim_time_us time;         /* latest update: a reset is never earlier */
	sim_time_us mass_start, mass_end; /* the running mass erase: first bank start, last bank end */
	bool mass_reported;       /* its start went to the listener */
	sim_flash_listener listener;
	void *listener_ctx;
};

/* flash_h7_array.c: the memory array and its ECC state. */
int fa_alloc(flash_h7_bank *b, uint32_t bytes, unsigned word_bytes);
void fa_free(flash_h7_bank *b);
void fa_erase_all(flash_h7_bank *b, unsigned word_bytes);
void fa_erase_range(flash_h7_bank *b, unsigned word_bytes, uint32_t start, uint32_t end, const flash_keep *keep);
void fa_corrupt_range(flash_h7_bank *b, unsigned word_bytes, uint32_t start, uint32_t end, const flash_keep *keep);
void fa_program_word(flash_h7_bank *b, unsigned word_bytes, uint32_t word, const uint8_t *data);
void fa_interrupt_program(flash_h7_bank *b, unsigned word_bytes, uint32_t word, const uint8_t *target);
void fa_mark_corrupt(flash_h7_bank *b, uint32_t word);
void fa_counts(const flash_h7_bank *b, uint32_t *erased, uint32_t *programmed, uint32_t *corrupt);
int fa_sha256_hex(const flash_h7_bank *b, uint32_t bytes, char out[65]);

/* flash_h7_ops.c: program/erase state machine. */
void fh_bank_update(flash_h7 *f, unsigned bank, sim_time_us now);
void fh_bank_interrupt(flash_h7 *f, unsigned bank, sim_time_us now);
void fh_submit_word(flash_h7 *f, unsigned bank, sim_time_us now);
void fh_start_erase(flash_h7 *f, unsigned bank, uint32_t cr, sim_time_us now);
void fh_mass_erase(flash_h7 *f, sim_time_us now);
void fh_option_start(flash_h7 *f, sim_time_us now);
void fh_option_update(flash_h7 *f, sim_time_us now);
void fh_option_interrupt(flash_h7 *f, sim_time_us now);
bool fh_bank_busy(const flash_h7 *f, unsigned bank);
bool fh_rdp_blocks(const flash_h7 *f);
void fh_build_keep(const flash_h7 *f, unsigned bank, bool erase_dm_areas, flash_keep *keep);
bool fh_offset_protected(const flash_h7 *f, unsigned bank, uint32_t offset, uint32_t *sr_bit);
bool fh_range_write_protected(const flash_h7 *f, unsigned bank, uint32_t start, uint32_t end);
void fh_notify(const flash_h7 *f, sim_flash_event ev, sim_flash_phase phase, sim_time_us start, sim_time_us end);

/* flash_h7_regs.c: register set `set` (0 or 1), offset `rel` inside it. */
sim_bus_result fh_reg_read(flash_h7 *f, unsigned set, uint32_t rel, uint32_t *value);
sim_bus_result fh_reg_write(flash_h7 *f, unsigned set, uint32_t rel, uint32_t value, sim_time_us now);

/* flash_h7.c */
unsigned fh_logical_to_physical(const flash_h7 *f, unsigned slot);
void fh_load_options(flash_h7 *f);

#endif
