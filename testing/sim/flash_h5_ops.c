/*
 * STM32H5 flash operations: quad-word / half-word programming and sector,
 * bank and mass erase; what refuses them (SR error bits, facts B.2), when
 * they end (simulated time, completed lazily by flash_h5_update()) and what a
 * reset or power loss in the middle leaves behind.  One operation runs at a
 * time (BSY); a program submitted meanwhile waits in `pending` (on silicon
 * the bus would stall until the write buffer frees).
 */
#include "flash_h5_internal.h"

#include <string.h>

/*
 * OPSR.CODE_OP values: only the register's existence and field positions are
 * sourced ([SVD-H563]); the codes are UNCONFIRMED (RM0481 not readable): 1
 * single write, 3 sector erase, 4 bank erase, 5 mass erase, 6 option change.
 */
enum { CODE_WRITE = 1, CODE_SECTOR_ERASE = 3, CODE_BANK_ERASE = 4, CODE_MASS_ERASE = 5, CODE_OPTION = 6 };

bool fh5_sector_secure(const flash_h5 *f, unsigned bank, unsigned sector)
{
	if (!flash_h5_tz_enabled(f) || bank > 1 || sector >= FH5_MAX_SECTORS)
		return false;
	if (optbytes_h5_sector_in_secwm(&f->ob, bank, sector))
		return true;
	return (f->secbb[bank][sector / 32u] >> (sector % 32u)) & 1u;
}

static const char *area_name(unsigned area)
{
	static const char *const names[AREA_COUNT] = { "bank 1", "bank 2", "OBK", "OTP" };

	return area < AREA_COUNT ? names[area] : "?";
}

/*
 * Start a program now.  A unit is programmed once after an erase: programming
 * a non-erased one is UNCONFIRMED on silicon; chosen (the harder outcome for a
 * tool that does not erase first): refused, PGSERR for user flash and OTP,
 * OBKWERR for OBK ([SVD-H563]: "address is not virgin").  Nothing is written.
 */
static void begin_program(flash_h5 *f, const fh5_op *op, sim_time_us start)
{
	fh5_array *a = &f->array[op->area];

	if (op->unit >= a->units || a->state[op->unit] != UNIT_ERASED) {
		uint32_t bit = op->area == AREA_OBK ? SR_OBKWERR : SR_PGSERR;

		f->dom[op->dom].sr |= bit;
		sim_log_guest_error("flash: %s unit %u is not erased: program refused (SR |= 0x%08x)",
				    area_name(op->area), op->unit, bit);
		return;
	}
	f->op = *op;
	f->op.start = start;
	f->op.end = start + (op->area == AREA_OTP ? fh5_timing_table.otp_program_us
						  : fh5_timing_table.qw_program_us);
	if (op->area != AREA_OTP)
		fh5_notify(f, SIM_FLASH_EV_PROGRAM, SIM_FLASH_STARTED, f->op.start, f->op.end);
}

void fh5_schedule_program(flash_h5 *f, const fh5_op *op, sim_time_us now)
{
	if (f->op.kind == OP_NONE) {
		begin_program(f, op, now);
		return;
	}
	/* Option changes and regressions refuse programming before it gets here. */
	if (f->pending.kind == OP_NONE) {
		f->pending = *op;
		return;
	}
	sim_log_unimplemented("flash: program of %s unit %u while the flash is busy and a program waits: "
			      "the silicon stalls the bus, the model drops the data", area_name(op->area), op->unit);
}

/* ---------------------------------------------------------------- erase -- */

static sim_time_us erase_duration(const flash_h5 *f, fh5_erase_kind kind)
{
	if (kind == ER_SECTOR)
		return fh5_timing_table.sector_erase_us;
	return (sim_time_us)f->sectors * fh5_timing_table.sector_erase_us;
}

/*
 * Can this domain erase this sector?  Write protection: WRPERR (facts B.2,
 * [SVD-H563]: a bank/mass erase with any protected sector fails).  TrustZone:
 * NSCR may not erase a secure sector and SECCR may not erase a non-secure one
 * (UNCONFIRMED; the latter is why ST's OpenOCD marks every sector secure in
 * SECBBxRy before a secure erase).
 */
static uint32_t sector_erase_refusal(const flash_h5 *f, unsigned dom, unsigned bank, unsigned sector)
{
	if (optbytes_h5_sector_wrp(&f->ob, bank, sector, f->line->wrp_group))
		return SR_WRPERR;
	if (flash_h5_tz_enabled(f) && (dom == DOM_S) != fh5_sector_secure(f, bank, sector))
		return SR_WRPERR;
	return 0;
}

static uint32_t add_bank(const flash_h5 *f, unsigned dom, unsigned bank, fh5_erase_set *set)
{
	for (unsigned s = 0; s < f->sectors; s++) {
		uint32_t bit = sector_erase_refusal(f, dom, bank, s);

		if (bit)
			return bit;
		set->sector[bank][s] = true;
	}
	return 0;
}

/*
 * Everything that refuses STRT (0 if it may run).  Exactly one of SER, BER,
 * MER (two -> PGSERR, facts B.2; none: UNCONFIRMED, chosen PGSERR too); no PG;
 * no error left in SR, no operation running and an empty write buffer (facts
 * B.2: check BSY, WBNE, DBNE first; refusing is UNCONFIRMED, the harder rule).
 */
static uint32_t erase_refusal(const flash_h5 *f, unsigned dom, uint32_t cr, fh5_op *op)
{
	unsigned selected = !!(cr & CR_SER) + !!(cr & CR_BER) + !!(cr & CR_MER);
	unsigned bank = (cr & CR_BKSEL) ? 1u : 0u;

	if (selected != 1 || (cr & CR_PG) || (f->dom[dom].sr & SR_ERRORS) || f->op.kind != OP_NONE ||
	    f->wbuf.active)
		return SR_PGSERR;
	op->bank = bank;
	if (cr & CR_SER) {
		unsigned snb = (cr >> CR_SNB_SHIFT) & CR_SNB_MASK;
		uint32_t bit;

		if (snb >= f->sectors)
			return SR_PGSERR; /* UNCONFIRMED: no such sector in this bank */
		op->erase = ER_SECTOR;
		op->sector = snb;
		bit = sector_erase_refusal(f, dom, bank, snb);
		op->set.sector[bank][snb] = bit == 0;
		return bit;
	}
	if (cr & CR_BER) {
		op->erase = ER_BANK;
		return add_bank(f, dom, bank, &op->set);
	}
	op->erase = ER_MASS;
	op->bank = 0;
	return add_bank(f, dom, 0, &op->set) | add_bank(f, dom, 1, &op->set);
}

/* A mass erase is one mass_erase event and a bank_erase per bank, all over the same time. */
static void notify_erase(const flash_h5 *f, const fh5_op *op, sim_flash_phase phase)
{
	if (op->erase == ER_SECTOR) {
		fh5_notify(f, SIM_FLASH_EV_SECTOR_ERASE, phase, op->start, op->end);
		return;
	}
	if (op->erase == ER_MASS) {
		fh5_notify(f, SIM_FLASH_EV_MASS_ERASE, phase, op->start, op->end);
		fh5_notify(f, SIM_FLASH_EV_BANK_ERASE, phase, op->start, op->end);
	}
	fh5_notify(f, SIM_FLASH_EV_BANK_ERASE, phase, op->start, op->end);
}

void fh5_start_erase(flash_h5 *f, unsigned dom, uint32_t cr, sim_time_us now)
{
	uint32_t bit;
	fh5_op op;

	memset(&op, 0, sizeof(op));
	op.kind = OP_ERASE;
	op.dom = dom;
	bit = erase_refusal(f, dom, cr, &op);
	if (bit) {
		f->dom[dom].sr |= bit;
		sim_log_guest_error("flash: erase refused (%s = 0x%08x, SR |= 0x%08x)", dom == DOM_S ? "SECCR" : "NSCR",
				    cr, bit);
		return;
	}
	op.start = now;
	op.end = now + erase_duration(f, op.erase);
	f->op = op;
	notify_erase(f, &op, SIM_FLASH_STARTED);
}

void fh5_apply_erase_set(flash_h5 *f, const fh5_erase_set *set)
{
	for (unsigned b = 0; b < 2; b++)
		for (unsigned s = 0; s < f->sectors; s++)
			if (set->sector[b][s])
				fa5_erase_units(&f->array[b], s * FH5_QW_PER_SECTOR, FH5_QW_PER_SECTOR);
	if (set->obk)
		fa5_erase_units(&f->array[AREA_OBK], 0, f->array[AREA_OBK].units);
}

/*
 * Erase `done` of the units listed (sectors of one bank, in order) and leave
 * the next one corrupt unless it was already erased: the quad-word the erase
 * was working on when it was cut.
 */
static void cut_units(fh5_array *a, const bool *sectors, unsigned count, uint64_t done, bool started)
{
	for (unsigned s = 0; s < count; s++) {
		uint32_t first = s * FH5_QW_PER_SECTOR, n;

		if (!sectors[s])
			continue;
		n = done < FH5_QW_PER_SECTOR ? (uint32_t)done : FH5_QW_PER_SECTOR;
		fa5_erase_units(a, first, n);
		done -= n;
		if (n < FH5_QW_PER_SECTOR) {
			if (started && a->state[first + n] != UNIT_ERASED)
				fa5_corrupt_unit(a, first + n);
			return;
		}
	}
}

static unsigned set_sectors(const bool *sectors, unsigned count)
{
	unsigned n = 0;

	for (unsigned s = 0; s < count; s++)
		n += sectors[s];
	return n;
}

/*
 * An erase (or regression) cut at `now`.  UNCONFIRMED on silicon; chosen:
 * each bank (and OBK) progresses through its own list of quad-words in
 * proportion to the elapsed time; the ones done are erased, the one in
 * progress is ECC-corrupt, the rest keep their data.
 */
static void cut_erase(flash_h5 *f, const fh5_op *op, sim_time_us now)
{
	sim_time_us elapsed = now - op->start, total = op->end - op->start;
	bool obk_only[1] = { true };

	for (unsigned b = 0; b < 2; b++) {
		uint64_t units = (uint64_t)set_sectors(op->set.sector[b], f->sectors) * FH5_QW_PER_SECTOR;

		cut_units(&f->array[b], op->set.sector[b], f->sectors, units * elapsed / total, elapsed > 0);
	}
	if (op->set.obk) {
		fh5_array *obk = &f->array[AREA_OBK];
		uint64_t done = (uint64_t)obk->units * elapsed / total;

		/* OBK is one 8 KiB sector; cut_units walks sectors of FH5_QW_PER_SECTOR units. */
		cut_units(obk, obk_only, 1, done, elapsed > 0);
	}
}

/* --------------------------------------------------------------- clock -- */

static void complete_program(flash_h5 *f, const fh5_op *op)
{
	fa5_program(&f->array[op->area], op->unit, op->data);
	f->dom[op->dom].sr |= SR_EOP;
	if (op->area != AREA_OTP) {
		f->count.quad_words_programmed++;
		fh5_notify(f, SIM_FLASH_EV_PROGRAM, SIM_FLASH_DONE, op->start, op->end);
	}
}

static void complete_erase(flash_h5 *f, const fh5_op *op)
{
	fh5_apply_erase_set(f, &op->set);
	f->dom[op->dom].sr |= SR_EOP;
	if (op->erase == ER_SECTOR)
		f->count.sector_erases++;
	else if (op->erase == ER_BANK)
		f->count.bank_erases++;
	else
		f->count.mass_erases++;
	notify_erase(f, op, SIM_FLASH_DONE);
}

static void complete(flash_h5 *f, const fh5_op *op)
{
	f->busy_total += op->end - op->start;
	f->stall_logged = false;
	switch (op->kind) {
	case OP_PROGRAM:
		complete_program(f, op);
		break;
	case OP_ERASE:
		complete_erase(f, op);
		break;
	case OP_OPTION:
		fh5_option_complete(f, op);
		break;
	case OP_REGRESSION:
		fh5_regression_complete(f, op);
		break;
	default:
		break;
	}
}

void fh5_ops_update(flash_h5 *f, sim_time_us now)
{
	while (f->op.kind != OP_NONE && f->op.end <= now) {
		fh5_op done = f->op;

		memset(&f->op, 0, sizeof(f->op));
		complete(f, &done);
		if (f->pending.kind != OP_NONE && f->op.kind == OP_NONE) {
			fh5_op next = f->pending;

			memset(&f->pending, 0, sizeof(f->pending));
			begin_program(f, &next, done.end);
		}
	}
}

/* What OPSR reports about the operation a reset cut ([SVD-H563] fields). */
static uint32_t opsr_for(const fh5_op *op)
{
	uint32_t v = 0, code = 0;

	if (op->kind == OP_PROGRAM) {
		code = CODE_WRITE;
		v = op->unit * (op->area == AREA_OTP ? FH5_HW_BYTES : FH5_QW_BYTES);
		if (op->area == AREA_BANK2)
			v |= OPSR_BK_OP;
		if (op->area >= AREA_OBK)
			v |= OPSR_OTP_OP; /* "OTP area (or OBKeys area)" */
	} else if (op->kind == OP_ERASE || op->kind == OP_REGRESSION) {
		code = op->kind == OP_REGRESSION ? CODE_MASS_ERASE
		       : op->erase == ER_SECTOR ? CODE_SECTOR_ERASE
		       : op->erase == ER_BANK ? CODE_BANK_ERASE : CODE_MASS_ERASE;
		v = op->sector * FH5_SECTOR_BYTES;
		if (op->bank)
			v |= OPSR_BK_OP;
	} else if (op->kind == OP_OPTION) {
		code = CODE_OPTION;
	}
	return (v & (OPSR_ADDR_MASK | OPSR_BK_OP | OPSR_OTP_OP)) | code << OPSR_CODE_SHIFT;
}

/*
 * A system reset or power loss now.  A program leaves its unit corrupt; an
 * erase or regression leaves its area partly erased (cut_erase).  An option
 * change leaves every option byte unchanged, PRODUCT_STATE included: facts
 * B.2/B.3 say nothing about a cut OPTSTRT: UNCONFIRMED, chosen (the H7
 * model leaves RDP at a level-1 value instead, flash_h7_ops.c; nothing backs
 * a half-moved product state on the H5).  A regression's
 * PRODUCT_STATE stays Regression / NS-Regression, so the next boot resumes it.
 */
void fh5_ops_interrupt(flash_h5 *f, sim_time_us now)
{
	fh5_op *op = &f->op;

	if (op->kind == OP_NONE)
		return;
	if (op->kind == OP_PROGRAM)
		fa5_interrupt_program(&f->array[op->area], op->unit, op->data);
	else if (op->kind == OP_ERASE || op->kind == OP_REGRESSION)
		cut_erase(f, op, now);
	f->opsr = opsr_for(op);
	sim_log_info("flash: reset %llu us into a %llu us operation: left partly done",
		     (unsigned long long)(now - op->start), (unsigned long long)(op->end - op->start));
	f->busy_total += now - op->start;
	memset(&f->op, 0, sizeof(f->op));
	memset(&f->pending, 0, sizeof(f->pending));
	fh5_wbuf_discard(f);
}
