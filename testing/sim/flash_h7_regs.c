/*
 * STM32H7 flash register block (facts A.2): decode of the two register sets,
 * keys, CR/SR/CCR, OPTCR/OPTCCR and the option-byte _CUR/_PRG registers.
 *
 * Write semantics, register by register:
 *   ACR       read/write, bits [5:0].
 *   KEYRx     write-only key sequence; a wrong key or a key while unlocked
 *             locks CRx until the next reset (UNCONFIRMED for the "key while
 *             unlocked" case; chosen as the harder rule, as on STM32F4).
 *   OPTKEYR   the same for OPTCR.OPTLOCK.
 *   CRx       LOCK is set-only (write 1); other bits writable only while
 *             unlocked; FW and START are actions and read 0.
 *   SRx       read-only.  CCRx: write-1-to-clear of SR bits 16..28.
 *   OPTCR     OPTLOCK set-only; OPTSTART/MER are actions reading 1 while
 *             running; SWAP_BANK read-only (swap state since the last reset).
 *   OPTCCR    write 1 to bit 30 clears OPTSR_CUR.OPTCHANGEERR.
 *   *_CUR     read-only.  *_PRG writable while OPTLOCK = 0 and no option
 *             change runs, field bits only.
 *   ECC_FA    read-only, cleared with DBECCERR/SNECCERR.
 *   CRC*      stored; the CRC engine itself is not modelled.
 */
#include "flash_h7_internal.h"

#define CRCCR_STORED 0x0070013fu /* CRC_SECT, CRC_BY_SECT, CRC_BURST, ALL_BANK */
#define CRCCR_START_CRC (1u << 16)
#define ACR_STORED 0x3fu
#define CCR_CLEARABLE 0x1fef0000u /* EOP .. CRCRDERR */

enum {
	R_ACR = 0x00, R_KEYR = 0x04, R_OPTKEYR = 0x08, R_CR = 0x0c, R_SR = 0x10, R_CCR = 0x14,
	R_OPTCR = 0x18, R_OPTSR_CUR = 0x1c, R_OPTSR_PRG = 0x20, R_OPTCCR = 0x24,
	R_CRCCR = 0x50, R_CRCSADD = 0x54, R_CRCEADD = 0x58, R_CRCDATA = 0x5c, R_ECC_FA = 0x60,
};

/* Option-byte registers by offset; per-bank ones (PRAR/SCAR/WPSN) pick bank 2 in set 1. */
static const struct {
	uint32_t offset;
	ob_h7_reg reg;
	bool cur;
	bool per_bank;
} opt_regs[] = {
	{ 0x1c, OB_OPTSR, true, false },  { 0x20, OB_OPTSR, false, false },
	{ 0x28, OB_PRAR1, true, true },   { 0x2c, OB_PRAR1, false, true },
	{ 0x30, OB_SCAR1, true, true },   { 0x34, OB_SCAR1, false, true },
	{ 0x38, OB_WPSN1, true, true },   { 0x3c, OB_WPSN1, false, true },
	{ 0x40, OB_BOOT7, true, false },  { 0x44, OB_BOOT7, false, false },
	{ 0x48, OB_BOOT4, true, false },  { 0x4c, OB_BOOT4, false, false },
	{ 0x68, OB_OTPBL, true, false },  { 0x6c, OB_OTPBL, false, false },
	{ 0x70, OB_OPTSR2, true, false }, { 0x74, OB_OPTSR2, false, false },
};

static bool find_opt_reg(const flash_h7 *f, unsigned set, uint32_t rel, ob_h7_reg *reg, bool *cur)
{
	for (size_t i = 0; i < sizeof(opt_regs) / sizeof(opt_regs[0]); i++) {
		if (opt_regs[i].offset != rel)
			continue;
		/* PRAR1/2, SCAR1/2, WPSN1/2 are consecutive in ob_h7_reg. */
		*reg = (ob_h7_reg)(opt_regs[i].reg + (opt_regs[i].per_bank ? set : 0));
		*cur = opt_regs[i].cur;
		return optbytes_h7_reg_exists(&f->ob, *reg);
	}
	return false;
}

static bool is_bank_reg(uint32_t rel)
{
	return rel == R_KEYR || rel == R_CR || rel == R_SR || rel == R_CCR ||
	       (rel >= R_CRCCR && rel <= R_ECC_FA);
}

static uint32_t read_sr(const flash_h7 *f, const flash_h7_bank *bank)
{
	uint32_t sr = bank->sr;

	if (bank->op.kind != OP_NONE)
		sr |= SR_BSY | SR_QW;
	if (bank->queued.kind != OP_NONE)
		sr |= SR_QW;
	if (bank->wbuf_active)
		sr |= SR_WBNE | SR_QW;
	return sr;
}

static uint32_t read_optcr(const flash_h7 *f)
{
	uint32_t v = f->optcr;

	if (f->opt_locked)
		v |= OPTCR_OPTLOCK;
	if (f->optop.busy)
		v |= OPTCR_OPTSTART;
	if (f->mass_erase)
		v |= OPTCR_MER;
	if (f->swapped)
		v |= OPTCR_SWAP_BANK;
	return v;
}

static uint32_t read_bank_reg(const flash_h7 *f, const flash_h7_bank *bank, uint32_t rel)
{
	switch (rel) {
	case R_CR:
		return bank->cr;
	case R_SR:
		return read_sr(f, bank);
	case R_CRCCR:
		return bank->crccr;
	case R_CRCSADD:
		return bank->crcsadd;
	case R_CRCEADD:
		return bank->crceadd;
	case R_CRCDATA:
		return bank->crcdata;
	case R_ECC_FA:
		return bank->ecc_fa;
	default:
		return 0; /* KEYR and CCR are write-only and read 0 */
	}
}

sim_bus_result fh_reg_read(flash_h7 *f, unsigned set, uint32_t rel, uint32_t *value)
{
	ob_h7_reg reg;
	bool cur;

	*value = 0;
	if (is_bank_reg(rel)) {
		if (set < f->banks)
			*value = read_bank_reg(f, &f->bank[set], rel);
		else
			sim_log_guest_error("flash: read of bank-2 register 0x%03x on a single-bank part", 0x100 + rel);
		return SIM_BUS_OK;
	}
	if (rel == R_ACR) {
		*value = f->acr;
	} else if (rel == R_OPTCR) {
		*value = read_optcr(f);
	} else if (rel == R_OPTKEYR || rel == R_OPTCCR) {
		*value = 0;
	} else if (find_opt_reg(f, set, rel, &reg, &cur)) {
		*value = cur ? f->ob.cur[reg] : f->ob.prg[reg];
		if (reg == OB_OPTSR && cur) {
			if (f->optop.busy)
				*value |= OB_OPTSR_OPT_BUSY;
			if (f->opt_change_error)
				*value |= OB_OPTSR_OPTCHANGEERR;
		}
	} else {
		sim_log_guest_error("flash: read of reserved register offset 0x%03x", (set << 8) | rel);
	}
	return SIM_BUS_OK;
}

static void write_keyr(flash_h7_bank *bank, unsigned b, uint32_t value)
{
	if (bank->key_dead) {
		sim_log_guest_error("flash: KEYR%u written after a bad key sequence: locked until reset", b + 1);
		return;
	}
	if (bank->key_step == 0 && value == FLASH_KEY1 && (bank->cr & CR_LOCK)) {
		bank->key_step = 1;
		return;
	}
	if (bank->key_step == 1 && value == FLASH_KEY2) {
		bank->key_step = 0;
		bank->cr &= ~CR_LOCK;
		return;
	}
	bank->key_dead = true;
	bank->key_step = 0;
	bank->cr |= CR_LOCK;
	sim_log_guest_error("flash: bad KEYR%u sequence (0x%08x): CR%u locked until reset", b + 1, value, b + 1);
}

static void write_optkeyr(flash_h7 *f, uint32_t value)
{
	if (f->optkey_dead) {
		sim_log_guest_error("flash: OPTKEYR written after a bad key sequence: locked until reset");
		return;
	}
	if (f->optkey_step == 0 && value == OPT_KEY1 && f->opt_locked) {
		f->optkey_step = 1;
		return;
	}
	if (f->optkey_step == 1 && value == OPT_KEY2) {
		f->optkey_step = 0;
		f->opt_locked = false;
		return;
	}
	f->optkey_dead = true;
	f->optkey_step = 0;
	f->opt_locked = true;
	sim_log_guest_error("flash: bad OPTKEYR sequence (0x%08x): OPTCR locked until reset", value);
}

static void write_cr(flash_h7 *f, unsigned b, uint32_t value, sim_time_us now)
{
	flash_h7_bank *bank = &f->bank[b];
	const flash_h7_line *line = f->line;
	uint32_t old = bank->cr;

	if (bank->cr & CR_LOCK) {
		/* Writing LOCK again is harmless (OpenOCD does it); anything else is refused. */
		if (value & ~CR_LOCK)
			sim_log_guest_error("flash: CR%u = 0x%08x while locked: ignored", b + 1, value);
		return;
	}
	bank->cr = (value & line->cr_stored) | (old & CR_LOCK);
	/* Switching PG off with a partly filled buffer is an inconsistency (RM sequence rules). */
	if ((old & CR_PG) && !(bank->cr & CR_PG) && bank->wbuf_active) {
		bank->wbuf_active = false;
		bank->wbuf_written = 0;
		bank->sr |= SR_INCERR;
		sim_log_guest_error("flash: PG cleared on bank %u with a partial flash word: INCERR", b + 1);
	}
	if (value & line->cr_fw) {
		if (bank->wbuf_active)
			fh_submit_word(f, b, now);
		else
			sim_log_guest_error("flash: CR%u.FW with an empty write buffer", b + 1);
	}
	if (value & line->cr_start)
		fh_start_erase(f, b, bank->cr, now);
	if (value & CR_LOCK)
		bank->cr |= CR_LOCK;
}

static void write_bank_reg(flash_h7 *f, unsigned b, uint32_t rel, uint32_t value, sim_time_us now)
{
	flash_h7_bank *bank = &f->bank[b];

	switch (rel) {
	case R_KEYR:
		write_keyr(bank, b, value);
		break;
	case R_CR:
		write_cr(f, b, value, now);
		break;
	case R_CCR:
		value &= CCR_CLEARABLE & (f->line->sr_errors | SR_EOP);
		bank->sr &= ~value;
		if (value & (SR_DBECCERR | SR_SNECCERR))
			bank->ecc_fa = 0;
		break;
	case R_CRCCR:
		bank->crccr = value & CRCCR_STORED;
		if (value & CRCCR_START_CRC)
			sim_log_unimplemented("flash: CRC computation on bank %u not modelled", b + 1);
		break;
	case R_CRCSADD:
		bank->crcsadd = value;
		break;
	case R_CRCEADD:
		bank->crceadd = value;
		break;
	default:
		sim_log_guest_error("flash: write 0x%08x to read-only register offset 0x%03x", value,
				    (b << 8) | rel);
		break;
	}
}

static void write_optcr(flash_h7 *f, uint32_t value, sim_time_us now)
{
	if (f->opt_locked) {
		if (value & (OPTCR_OPTSTART | OPTCR_MER))
			sim_log_guest_error("flash: OPTCR = 0x%08x while OPTLOCK is set: ignored", value);
		return;
	}
	f->optcr = value & f->line->optcr_stored;
	if (value & OPTCR_OPTSTART)
		fh_option_start(f, now);
	if (value & OPTCR_MER) {
		if (f->line->has_mer)
			fh_mass_erase(f, now);
		else
			sim_log_guest_error("flash: OPTCR.MER on a part without mass erase");
	}
	if (value & OPTCR_OPTLOCK)
		f->opt_locked = true;
}

static void write_opt_reg(flash_h7 *f, ob_h7_reg reg, bool cur, uint32_t value)
{
	if (cur) {
		sim_log_guest_error("flash: write 0x%08x to read-only %s", value,
				    optbytes_h7_reg_name(&f->ob, reg, true));
		return;
	}
	if (f->opt_locked || f->optop.busy) {
		sim_log_guest_error("flash: write to %s while %s: ignored", optbytes_h7_reg_name(&f->ob, reg, false),
				    f->opt_locked ? "OPTLOCK is set" : "an option change runs");
		return;
	}
	f->ob.prg[reg] = value & optbytes_h7_reg_mask(&f->ob, reg);
}

sim_bus_result fh_reg_write(flash_h7 *f, unsigned set, uint32_t rel, uint32_t value, sim_time_us now)
{
	ob_h7_reg reg;
	bool cur;

	if (is_bank_reg(rel)) {
		if (set < f->banks)
			write_bank_reg(f, set, rel, value, now);
		else
			sim_log_guest_error("flash: write to bank-2 register 0x%03x on a single-bank part",
					    0x100 + rel);
		return SIM_BUS_OK;
	}
	if (rel == R_ACR)
		f->acr = value & ACR_STORED;
	else if (rel == R_OPTKEYR)
		write_optkeyr(f, value);
	else if (rel == R_OPTCR)
		write_optcr(f, value, now);
	else if (rel == R_OPTCCR) {
		if (value & OPTCCR_CLR_OPTCHANGEERR)
			f->opt_change_error = false;
	} else if (find_opt_reg(f, set, rel, &reg, &cur))
		write_opt_reg(f, reg, cur, value);
	else
		sim_log_guest_error("flash: write 0x%08x to reserved register offset 0x%03x", value, (set << 8) | rel);
	return SIM_BUS_OK;
}
