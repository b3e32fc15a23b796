/*
 * STM32H7 embedded flash: register block, memory map and resets.  The
 * program/erase state machine is in flash_h7_ops.c, the memory array in
 * flash_h7_array.c, scenario and JSON in flash_h7_state.c, option-byte rules
 * in optbytes_h7.c.  Facts: stm32-facts.md A.2 (registers, keys, timing),
 * A.3 (RDP), A.4 (factory options), A.6 (dual core).
 *
 * Register sets: offsets 0x000-0x0FF drive physical bank 1, 0x100-0x1FF
 * physical bank 2.  Registers shared by both banks (ACR, OPTKEYR, OPTCR,
 * OPTSR, OPTCCR, BOOT, OTPBL, OPTSR2) are mirrored at +0x100 (facts A.2: OpenOCD
 * relies on it, an H723 user saw it; RM confirmation UNCONFIRMED).
 *
 * SWAP_BANK: UNCONFIRMED whether CR2/SR2 follow the physical bank or the
 * address 0x08100000 when the banks are swapped; chosen: the physical bank
 * (as on U5/G0/H5, where the bank-select bits are physical).  A tool that
 * assumes the registers at 0x52002000 always erase what is at 0x08000000 is
 * wrong on a swapped chip.
 */
#include "flash_h7_internal.h"

#include <stdlib.h>
#include <string.h>

/* The time of a bus access: the chip's current step while a core runs (flash_h7_pin_time), else now. */
static sim_time_us fh_now(const flash_h7 *f)
{
	return f->pinned_now ? f->pinned_now : sim_now_us();
}

void flash_h7_pin_time(flash_h7 *f, sim_time_us t)
{
	f->pinned_now = t;
}

#define IE_BITS_450 0x1fef0000u /* EOPIE..CRCRDERRIE, bit 20 reserved */
#define IE_BITS_480 (IE_BITS_450 & ~(1u << 22)) /* no OPERRIE */
#define SR_FLAGS_450 (SR_EOP | SR_WRPERR | SR_PGSERR | SR_STRBERR | SR_INCERR | SR_OPERR | SR_RDPERR | \
		      SR_RDSERR | SR_SNECCERR | SR_DBECCERR | SR_CRCEND | SR_CRCRDERR)
/* ACR reset value: UNCONFIRMED (not in the facts sheet); 0x37 = 7 wait states, WRHIGHFREQ 3. */
#define ACR_RESET 0x37u

/*
 * Timing (facts A.2).  Sector erase: ~1.1 s typical for 128 KiB at x32.  Word
 * program: UNCONFIRMED; 600 us, the bound Chromium EC waits for, i.e. the slow
 * end.  0x480 8 KiB sector erase: UNCONFIRMED; 1.1 s scaled by size (68.75 ms)
 * so that a bank erase costs the same 8.8 s on every line.  Bank and mass erase
 * times are UNCONFIRMED: chosen as sectors x sector time, the longer figure.
 * CR reset values: UNCONFIRMED (0x31 = LOCK | PSIZE x64 on 0x450/0x483, LOCK
 * alone on 0x480 which has no PSIZE).
 */
static const flash_h7_line lines[] = {
	{
		.dev_id = 0x450, .word_bytes = 32, .sector_bytes = 128u * 1024u, .max_banks = 2,
		.cr_fw = 1u << 6, .cr_start = 1u << 7, .cr_snb_shift = 8, .cr_snb_max = 0x7,
		.cr_stored = CR_PG | CR_SER | CR_BER | 0x30u | 0x700u | 0x8000u | IE_BITS_450,
		.cr_reset = 0x31, .sr_errors = SR_FLAGS_450, .optcr_stored = OPTCR_CHGERRIE,
		.has_mer = true, .has_swap = true, .wps_group = 1, .ecc_fa_mask = 0x7fff,
		.t_program_us = 600, .t_sector_us = 1100000,
	},
	{
		.dev_id = 0x480, .word_bytes = 16, .sector_bytes = 8u * 1024u, .max_banks = 2,
		.cr_fw = 1u << 4, .cr_start = 1u << 5, .cr_snb_shift = 6, .cr_snb_max = 0x7f,
		.cr_stored = CR_PG | CR_SER | CR_BER | 0x1fc0u | 0x8000u | IE_BITS_480,
		.cr_reset = 0x01, .sr_errors = SR_FLAGS_450 & ~SR_OPERR,
		.optcr_stored = OPTCR_CHGERRIE | OPTCR_PG_OTP,
		.has_mer = true, .has_swap = true, .wps_group = 4, .ecc_fa_mask = 0xffff,
		.t_program_us = 600, .t_sector_us = 68750,
	},
	{
		.dev_id = 0x483, .word_bytes = 32, .sector_bytes = 128u * 1024u, .max_banks = 1,
		.cr_fw = 1u << 6, .cr_start = 1u << 7, .cr_snb_shift = 8, .cr_snb_max = 0x7,
		.cr_stored = CR_PG | CR_SER | CR_BER | 0x30u | 0x700u | 0x8000u | IE_BITS_450,
		.cr_reset = 0x31, .sr_errors = SR_FLAGS_450, .optcr_stored = OPTCR_CHGERRIE,
		.has_mer = false, .has_swap = false, .wps_group = 1, .ecc_fa_mask = 0x7fff,
		.t_program_us = 600, .t_sector_us = 1100000,
	},
};

/* ------------------------------------------------------------ lifecycle -- */

static const flash_h7_line *find_line(uint16_t dev_id)
{
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		if (lines[i].dev_id == dev_id)
			return &lines[i];
	return NULL;
}

/* Geometry from the line and the size (facts A.2: 128 KiB parts are single bank). */
static int plan_geometry(flash_h7 *f)
{
	uint32_t total = f->part.size_kib * 1024u;

	f->banks = (f->line->max_banks == 2 && f->part.size_kib > 128) ? 2 : 1;
	f->bank_bytes = total / f->banks;
	if (f->part.size_kib == 0 || f->bank_bytes > FLASH_H7_BANK_WINDOW ||
	    f->bank_bytes % (f->line->sector_bytes * f->line->wps_group) != 0)
		return -1;
	f->sectors = f->bank_bytes / f->line->sector_bytes;
	return 0;
}

flash_h7 *flash_h7_create(const flash_h7_part *part)
{
	const flash_h7_line *line = part ? find_line(part->dev_id) : NULL;
	unsigned variant = part ? optbytes_h7_variant(part->dev_id, part->dual_core) : 0;
	flash_h7 *f;

	if (!line || !variant) {
		sim_log_info("flash_h7_create: no STM32H7 flash model for DEV_ID 0x%03x%s",
			     part ? part->dev_id : 0, part && part->dual_core ? " dual core" : "");
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		sim_log_info("flash_h7_create: out of memory");
		return NULL;
	}
	f->line = line;
	f->part = *part;
	if (plan_geometry(f) != 0) {
		sim_log_info("flash_h7_create: %u KiB is not a valid flash size for DEV_ID 0x%03x",
			     part->size_kib, part->dev_id);
		free(f);
		return NULL;
	}
	for (unsigned b = 0; b < f->banks; b++) {
		if (fa_alloc(&f->bank[b], f->bank_bytes, line->word_bytes) != 0) {
			sim_log_info("flash_h7_create: out of memory for bank %u", b + 1);
			flash_h7_destroy(f);
			return NULL;
		}
	}
	optbytes_h7_init(&f->ob, variant, f->banks);
	flash_h7_power_on(f);
	return f;
}

void flash_h7_destroy(flash_h7 *f)
{
	if (!f)
		return;
	for (unsigned b = 0; b < FLASH_H7_MAX_BANKS; b++)
		fa_free(&f->bank[b]);
	free(f);
}

/* Register values after any reset; the option bytes reload into _PRG. */
static void reset_registers(flash_h7 *f)
{
	for (unsigned b = 0; b < FLASH_H7_MAX_BANKS; b++) {
		flash_h7_bank *bank = &f->bank[b];

		bank->cr = f->line->cr_reset;
		bank->sr = 0;
		bank->ecc_fa = 0;
		bank->crccr = bank->crcsadd = bank->crceadd = bank->crcdata = 0;
		bank->key_step = 0;
		bank->key_dead = false;
		bank->wbuf_active = false;
		bank->wbuf_written = 0;
		memset(&bank->op, 0, sizeof(bank->op));
		memset(&bank->queued, 0, sizeof(bank->queued));
		memset(&bank->stalled, 0, sizeof(bank->stalled));
		bank->stall_logged = false;
	}
	f->acr = ACR_RESET;
	f->optcr = 0;
	f->opt_locked = true;
	f->optkey_step = 0;
	f->optkey_dead = false;
	f->opt_change_error = false;
	f->mass_erase = false;
	memset(&f->optop, 0, sizeof(f->optop));
	fh_load_options(f);
}

/*
 * Option-byte load (reset or power-on): _PRG reloads from _CUR and the bank
 * swap takes effect, not earlier (ST article "How to configure swap bank on
 * STM32H7": OPTSR_CUR shows SWAP_BANK_OPT at once, OPTCR.SWAP_BANK after reset).
 */
void fh_load_options(flash_h7 *f)
{
	optbytes_h7_reload(&f->ob);
	f->swapped = f->line->has_swap && f->banks == 2 && (f->ob.cur[OB_OPTSR] & OB_OPTSR_SWAP_BANK_OPT);
}

void flash_h7_system_reset_at(flash_h7 *f, sim_time_us at)
{
	flash_h7_update(f, at);
	at = f->time; /* the block may have been brought further by an access already */
	for (unsigned b = 0; b < f->banks; b++)
		fh_bank_interrupt(f, b, at);
	fh_option_interrupt(f, at);
	reset_registers(f);
}

void flash_h7_system_reset(flash_h7 *f)
{
	flash_h7_system_reset_at(f, fh_now(f));
}

void flash_h7_power_on(flash_h7 *f)
{
	flash_h7_system_reset(f);
	f->intrusion = false;
}

void flash_h7_update(flash_h7 *f, sim_time_us now)
{
	if (now < f->time)
		now = f->time;
	f->time = now;
	fh_option_update(f, now);
	for (unsigned b = 0; b < f->banks; b++)
		fh_bank_update(f, b, now);
	if (f->mass_erase && !fh_bank_busy(f, 0) && !(f->banks == 2 && fh_bank_busy(f, 1))) {
		f->mass_erase = false;
		if (f->mass_reported)
			fh_notify(f, SIM_FLASH_EV_MASS_ERASE, SIM_FLASH_DONE, f->mass_start, f->mass_end);
	}
}

sim_time_us flash_h7_next_change(const flash_h7 *f)
{
	const flash_h7_optop *o = &f->optop;
	sim_time_us t = UINT64_MAX;

	if (o->busy)
		t = (o->plan.regression && !o->erase_done) ? o->erase_end : o->end;
	for (unsigned b = 0; b < f->banks; b++)
		if (f->bank[b].op.kind != OP_NONE && f->bank[b].op.end < t)
			t = f->bank[b].op.end;
	return t;
}

void flash_h7_set_listener(flash_h7 *f, sim_flash_listener fn, void *ctx)
{
	f->listener = fn;
	f->listener_ctx = ctx;
}

void flash_h7_set_intrusion(flash_h7 *f, bool intrusion)
{
	f->intrusion = intrusion;
}

/* ------------------------------------------------------------- queries -- */

uint32_t flash_h7_optsr_cur(const flash_h7 *f)
{
	return f->ob.cur[OB_OPTSR];
}

uint8_t flash_h7_rdp(const flash_h7 *f)
{
	return optbytes_h7_rdp(&f->ob);
}

uint32_t flash_h7_boot_address(const flash_h7 *f, unsigned core, bool boot0_pin)
{
	uint32_t reg;

	if (core == 0)
		reg = f->ob.cur[OB_BOOT7];
	else if (core == 1 && optbytes_h7_reg_exists(&f->ob, OB_BOOT4))
		reg = f->ob.cur[OB_BOOT4];
	else
		return 0; /* no such core on this part */
	/* BOOT0 low selects ADD0, high ADD1; each holds address bits [31:16] (facts A.2). */
	return boot0_pin ? (reg & 0xffff0000u) : (reg << 16);
}

bool flash_h7_busy(const flash_h7 *f)
{
	sim_time_us now = fh_now(f);

	if (f->optop.busy && f->optop.end > now)
		return true;
	for (unsigned b = 0; b < f->banks; b++) {
		const flash_h7_bank *bank = &f->bank[b];

		if ((bank->op.kind != OP_NONE && bank->op.end > now) ||
		    (bank->queued.kind != OP_NONE && bank->queued.end > now) ||
		    (bank->stalled.kind != OP_NONE && bank->stalled.end > now))
			return true;
	}
	return false;
}

uint64_t flash_h7_bus_stalls(const flash_h7 *f)
{
	return f->bus_stalls;
}

sim_time_us flash_h7_bus_stalled_until(const flash_h7 *f)
{
	sim_time_us until = 0;

	for (unsigned b = 0; b < f->banks; b++)
		if (f->bank[b].stalled.kind != OP_NONE && f->bank[b].op.end > until)
			until = f->bank[b].op.end;
	return until;
}

/*
 * Sum of the durations of finished or interrupted operations (program, erase,
 * option change); two banks erasing in parallel count twice.
 */
sim_time_us flash_h7_busy_total_us(const flash_h7 *f)
{
	return f->busy_total;
}

/* ---------------------------------------------------------- memory map -- */

unsigned fh_logical_to_physical(const flash_h7 *f, unsigned slot)
{
	return f->swapped ? 1u - slot : slot;
}

bool flash_h7_is_mem(const flash_h7 *f, uint32_t addr)
{
	if (addr >= FLASH_H7_MEM_BASE && addr - FLASH_H7_MEM_BASE < f->bank_bytes)
		return true;
	return f->banks == 2 && addr >= FLASH_H7_BANK2_BASE && addr - FLASH_H7_BANK2_BASE < f->bank_bytes;
}

/* Physical bank and offset of an address inside the flash; false outside it. */
static bool decode_addr(const flash_h7 *f, uint32_t addr, unsigned *bank, uint32_t *offset)
{
	unsigned slot;

	if (!flash_h7_is_mem(f, addr))
		return false;
	slot = addr >= FLASH_H7_BANK2_BASE ? 1 : 0;
	*offset = addr - (slot ? FLASH_H7_BANK2_BASE : FLASH_H7_MEM_BASE);
	*bank = fh_logical_to_physical(f, slot);
	return true;
}

static bool access_ok(uint32_t addr, unsigned size)
{
	return (size == 1 || size == 2 || size == 4) && (addr & (size - 1)) == 0;
}

/* Data reads of PCROP (execute-only) and secure-only areas are refused (facts A.2). */
static bool read_refused(flash_h7 *f, unsigned b, uint32_t offset)
{
	for (unsigned which = 0; which < 2; which++) {
		ob_h7_area area = optbytes_h7_area(&f->ob, b, which);

		if (area.present && offset >= area.start && offset < area.end) {
			f->bank[b].sr |= which == 0 ? SR_RDPERR : SR_RDSERR;
			sim_log_guest_error("flash: read of %s area at bank %u offset 0x%06x",
					    which == 0 ? "PCROP" : "secure-only", b + 1, offset);
			return true;
		}
	}
	return false;
}

sim_bus_result flash_h7_mem_read(flash_h7 *f, uint32_t addr, unsigned size, uint32_t *value)
{
	unsigned b;
	uint32_t offset, word;
	flash_h7_bank *bank;

	flash_h7_update(f, fh_now(f));
	if (!access_ok(addr, size) || !decode_addr(f, addr, &b, &offset))
		return SIM_BUS_FAULT;
	bank = &f->bank[b];
	if (fh_rdp_blocks(f)) {
		/* RDP level 1 (or 2) with a debugger seen since power-on: user flash is off limits (facts A.3). */
		bank->sr |= SR_RDPERR;
		sim_log_guest_error("flash: read at 0x%08x refused by RDP level %u with debug intrusion",
				    addr, optbytes_h7_rdp_level(flash_h7_rdp(f)));
		return SIM_BUS_FAULT;
	}
	if (read_refused(f, b, offset))
		return SIM_BUS_FAULT;
	word = offset / f->line->word_bytes;
	if (bank->word_state[word] == WORD_CORRUPT) {
		/* Double ECC error: flag, address, and a bus error ("Read Memory Error", seed 000). */
		if (!(bank->sr & SR_DBECCERR))
			bank->ecc_fa = word & f->line->ecc_fa_mask;
		bank->sr |= SR_DBECCERR;
		sim_log_trace("flash: double ECC error at 0x%08x (bank %u word %u)", addr, b + 1, word);
		return SIM_BUS_FAULT;
	}
	if (fh_bank_busy(f, b) && bank->op.kind != OP_PROGRAM && !bank->stall_logged) {
		bank->stall_logged = true;
		sim_log_unimplemented("flash: read of bank %u during an erase: the silicon stalls the bus until "
				      "the erase ends, the model answers at once", b + 1);
	}
	*value = 0;
	for (unsigned i = 0; i < size; i++)
		*value |= (uint32_t)bank->data[offset + i] << (8 * i);
	return SIM_BUS_OK;
}

/* Everything that refuses a write before it reaches the write buffer; 0 if none. */
static uint32_t write_refusal(flash_h7 *f, unsigned b, uint32_t offset)
{
	flash_h7_bank *bank = &f->bank[b];
	uint32_t sr_bit = 0;

	if (!(bank->cr & CR_PG))
		return SR_PGSERR;
	if (bank->cr & (CR_SER | CR_BER))
		return SR_PGSERR; /* program and erase mixed */
	/* UNCONFIRMED: an error left in SR blocks the next operation until CCR clears it (the harder rule). */
	if (bank->sr & SR_PROGRAM_ERRORS & f->line->sr_errors)
		return SR_PGSERR;
	/* UNCONFIRMED: programming while an option change runs is refused. */
	if (f->optop.busy)
		return SR_PGSERR;
	if (fh_offset_protected(f, b, offset, &sr_bit))
		return sr_bit;
	return 0;
}

/* Drop a partly filled write buffer because of a buffer error. */
static void wbuf_discard(flash_h7_bank *bank, uint32_t sr_bit)
{
	bank->wbuf_active = false;
	bank->wbuf_written = 0;
	bank->sr |= sr_bit;
}

sim_bus_result flash_h7_mem_write(flash_h7 *f, uint32_t addr, unsigned size, uint32_t value)
{
	sim_time_us now = fh_now(f);
	unsigned b, wb = f->line->word_bytes;
	uint32_t offset, word, refusal, bytes_mask;
	flash_h7_bank *bank;

	flash_h7_update(f, now);
	if (!access_ok(addr, size) || !decode_addr(f, addr, &b, &offset))
		return SIM_BUS_FAULT;
	bank = &f->bank[b];
	if (fh_rdp_blocks(f)) {
		bank->sr |= SR_RDPERR;
		sim_log_guest_error("flash: write at 0x%08x refused by RDP level %u with debug intrusion",
				    addr, optbytes_h7_rdp_level(flash_h7_rdp(f)));
		return SIM_BUS_FAULT;
	}
	refusal = write_refusal(f, b, offset);
	if (refusal) {
		bank->sr |= refusal;
		sim_log_guest_error("flash: write at 0x%08x refused (SR%u |= 0x%08x, CR%u = 0x%08x)",
				    addr, b + 1, refusal, b + 1, bank->cr);
		return SIM_BUS_OK; /* AXI writes are posted: the error shows in SR only */
	}
	word = offset / wb;
	if (bank->wbuf_active && bank->wbuf_word != word) {
		wbuf_discard(bank, SR_INCERR);
		sim_log_guest_error("flash: write at 0x%08x while the buffer holds word %u: INCERR", addr,
				    bank->wbuf_word);
		return SIM_BUS_OK;
	}
	bytes_mask = ((1u << size) - 1u) << (offset % wb);
	if (bank->wbuf_active && (bank->wbuf_written & bytes_mask)) {
		wbuf_discard(bank, SR_STRBERR);
		sim_log_guest_error("flash: byte at 0x%08x written twice in the write buffer: STRBERR", addr);
		return SIM_BUS_OK;
	}
	if (!bank->wbuf_active) {
		bank->wbuf_active = true;
		bank->wbuf_word = word;
		bank->wbuf_written = 0;
		memset(bank->wbuf, 0xff, sizeof(bank->wbuf));
	}
	for (unsigned i = 0; i < size; i++)
		bank->wbuf[offset % wb + i] = (uint8_t)(value >> (8 * i));
	bank->wbuf_written |= bytes_mask;
	if (bank->wbuf_written == (uint32_t)((1ull << wb) - 1u))
		fh_submit_word(f, b, now);
	return SIM_BUS_OK;
}

/* --------------------------------------------------------- registers ---- */

sim_bus_result flash_h7_reg_read(flash_h7 *f, uint32_t offset, uint32_t *value)
{
	flash_h7_update(f, fh_now(f));
	if (offset >= FLASH_H7_REG_SIZE || (offset & 3u))
		return SIM_BUS_FAULT;
	return fh_reg_read(f, offset >> 8, offset & 0xffu, value);
}

sim_bus_result flash_h7_reg_write(flash_h7 *f, uint32_t offset, uint32_t value)
{
	sim_time_us now = fh_now(f);

	flash_h7_update(f, now);
	if (offset >= FLASH_H7_REG_SIZE || (offset & 3u))
		return SIM_BUS_FAULT;
	return fh_reg_write(f, offset >> 8, offset & 0xffu, value, now);
}
