/*
 * STM32H7 flash program/erase state machine: what starts an operation, what
 * refuses it (SR error bits, facts A.2), when it completes (simulated time,
 * completed lazily by flash_h7_update()) and what a reset in the middle
 * leaves behind.  Option changes (OPTSTART) and the RDP 1 -> 0 regression
 * erase live here too, because they share the banks and the clock.
 */
#include "flash_h7_internal.h"

#include <string.h>

/* Option change: "no specification, ~300 ms observed" (facts A.2, UNCONFIRMED). */
#define OPT_CHANGE_US 300000u
/* RDP byte an option write cut by a reset leaves behind (fh_option_interrupt). */
#define OPT_CUT_RDP 0xbbu

void fh_notify(const flash_h7 *f, sim_flash_event ev, sim_flash_phase phase, sim_time_us start, sim_time_us end)
{
	if (f->listener)
		f->listener(f->listener_ctx, ev, phase, start, end);
}

static sim_flash_event op_event(flash_op_kind kind)
{
	return kind == OP_PROGRAM ? SIM_FLASH_EV_PROGRAM
	       : kind == OP_SECTOR_ERASE ? SIM_FLASH_EV_SECTOR_ERASE : SIM_FLASH_EV_BANK_ERASE;
}

/* A bank operation really starts now (at once, or a queued one when the one before it ends). */
static void op_started(flash_h7 *f, const flash_op *op)
{
	fh_notify(f, op_event(op->kind), SIM_FLASH_STARTED, op->start, op->end);
	/* A mass erase starts with the first of its bank erases (one may wait behind another operation). */
	if (op->kind == OP_BANK_ERASE && f->mass_erase && !f->mass_reported) {
		f->mass_reported = true;
		fh_notify(f, SIM_FLASH_EV_MASS_ERASE, SIM_FLASH_STARTED, f->mass_start, f->mass_end);
	}
}

bool fh_rdp_blocks(const flash_h7 *f)
{
	/* Level 2 never lets a debugger in; if one is there anyway, treat it like level 1. */
	return f->intrusion && optbytes_h7_rdp_level(optbytes_h7_rdp(&f->ob)) != 0;
}

bool fh_bank_busy(const flash_h7 *f, unsigned b)
{
	return f->bank[b].op.kind != OP_NONE || f->bank[b].queued.kind != OP_NONE;
}

void fh_build_keep(const flash_h7 *f, unsigned b, bool erase_dm_areas, flash_keep *keep)
{
	keep->count = 0;
	for (unsigned which = 0; which < 2; which++) {
		ob_h7_area area = optbytes_h7_area(&f->ob, b, which);

		if (area.present && !(erase_dm_areas && optbytes_h7_area_dm(&f->ob, b, which)))
			keep->area[keep->count++] = area;
	}
}

static bool in_area(const flash_h7 *f, unsigned b, uint32_t start, uint32_t end)
{
	for (unsigned which = 0; which < 2; which++) {
		ob_h7_area area = optbytes_h7_area(&f->ob, b, which);

		if (area.present && start < area.end && area.start < end)
			return true;
	}
	return false;
}

bool fh_offset_protected(const flash_h7 *f, unsigned b, uint32_t offset, uint32_t *sr_bit)
{
	*sr_bit = SR_WRPERR;
	return fh_range_write_protected(f, b, offset, offset + 1);
}

/* WPSN-protected sector, PCROP area or secure-only area anywhere in [start, end). */
bool fh_range_write_protected(const flash_h7 *f, unsigned b, uint32_t start, uint32_t end)
{
	unsigned first = start / f->line->sector_bytes;
	unsigned last = (end - 1) / f->line->sector_bytes;

	for (unsigned s = first; s <= last && s < f->sectors; s++)
		if (optbytes_h7_sector_protected(&f->ob, b, s, f->line->wps_group))
			return true;
	return in_area(f, b, start, end);
}

static sim_time_us op_duration(const flash_h7 *f, flash_op_kind kind)
{
	switch (kind) {
	case OP_PROGRAM:
		return f->line->t_program_us;
	case OP_SECTOR_ERASE:
		return f->line->t_sector_us;
	case OP_BANK_ERASE:
		return (sim_time_us)f->sectors * f->line->t_sector_us;
	default:
		return 0;
	}
}

static const char *op_name(flash_op_kind kind)
{
	switch (kind) {
	case OP_PROGRAM:
		return "word program";
	case OP_SECTOR_ERASE:
		return "sector erase";
	case OP_BANK_ERASE:
		return "bank erase";
	default:
		return "nothing";
	}
}

/*
 * Run an operation now, or queue it behind the running one (the one-deep
 * queue that SR.QW reports).  A request with both slots taken stalls the bus
 * write that made it until the running operation ends (flash_h7_bank.stalled,
 * flash_h7_bus_stalled_until()).  Only a third request while one is already
 * stalled is lost: no bus master can issue it on silicon (the stalled write
 * holds the bus), so that is logged as not modelled.
 */
static const flash_op *schedule(flash_h7 *f, unsigned b, flash_op *op, sim_time_us now)
{
	flash_h7_bank *bank = &f->bank[b];
	flash_op *slot;

	if (bank->op.kind == OP_NONE) {
		op->start = now;
		slot = &bank->op;
	} else if (bank->queued.kind == OP_NONE) {
		op->start = bank->op.end;
		slot = &bank->queued;
	} else if (bank->stalled.kind == OP_NONE) {
		op->start = bank->queued.end;
		slot = &bank->stalled;
		f->bus_stalls++;
		sim_log_trace("flash: bank %u %s with both slots taken: the bus stalls until %llu us", b + 1,
			      op_name(op->kind), (unsigned long long)bank->op.end);
	} else {
		sim_log_unimplemented("flash: bank %u %s requested while a stalled request holds the bus: "
				      "no master can issue it on silicon, the model drops it",
				      b + 1, op_name(op->kind));
		return NULL;
	}
	op->end = op->start + op_duration(f, op->kind);
	*slot = *op;
	if (slot == &bank->op)
		op_started(f, slot);
	return slot;
}

void fh_submit_word(flash_h7 *f, unsigned b, sim_time_us now)
{
	flash_h7_bank *bank = &f->bank[b];
	flash_op op;

	memset(&op, 0, sizeof(op));
	op.kind = OP_PROGRAM;
	op.word = bank->wbuf_word;
	memcpy(op.data, bank->wbuf, f->line->word_bytes); /* unwritten bytes are 0xff (FW) */
	bank->wbuf_active = false;
	bank->wbuf_written = 0;
	schedule(f, b, &op, now);
}

static void complete(flash_h7 *f, unsigned b, const flash_op *op)
{
	flash_h7_bank *bank = &f->bank[b];
	unsigned wb = f->line->word_bytes;
	uint32_t sb = f->line->sector_bytes;
	flash_keep keep;

	switch (op->kind) {
	case OP_PROGRAM:
		fa_program_word(bank, wb, op->word, op->data);
		break;
	case OP_SECTOR_ERASE:
		fa_erase_range(bank, wb, op->sector * sb, (op->sector + 1) * sb, NULL);
		break;
	case OP_BANK_ERASE:
		fh_build_keep(f, b, op->erase_areas, &keep);
		fa_erase_range(bank, wb, 0, f->bank_bytes, &keep);
		break;
	default:
		return;
	}
	bank->sr |= SR_EOP;
	bank->stall_logged = false;
	f->busy_total += op->end - op->start;
	fh_notify(f, op_event(op->kind), SIM_FLASH_DONE, op->start, op->end);
}

void fh_bank_update(flash_h7 *f, unsigned b, sim_time_us now)
{
	flash_h7_bank *bank = &f->bank[b];

	while (bank->op.kind != OP_NONE && bank->op.end <= now) {
		complete(f, b, &bank->op);
		bank->op = bank->queued;
		bank->queued = bank->stalled; /* the stalled bus write finishes now */
		memset(&bank->stalled, 0, sizeof(bank->stalled));
		if (bank->op.kind != OP_NONE)
			op_started(f, &bank->op);
	}
}

/*
 * A sector-serial erase of `sectors` sectors that started at `start` and is
 * cut at `now`: sectors already done are erased, the one in progress is left
 * corrupt (fa_corrupt_range), the rest are untouched.  Sector-serial because
 * that is what makes the chosen duration (sectors x sector time) true.
 */
static void cut_erase(flash_h7 *f, unsigned b, unsigned first, unsigned sectors, sim_time_us start,
		      sim_time_us now, const flash_keep *keep)
{
	flash_h7_bank *bank = &f->bank[b];
	uint32_t sb = f->line->sector_bytes;
	uint64_t done = (now - start) / f->line->t_sector_us;

	if (done > sectors)
		done = sectors;
	fa_erase_range(bank, f->line->word_bytes, first * sb, (uint32_t)(first + done) * sb, keep);
	if (done < sectors)
		fa_corrupt_range(bank, f->line->word_bytes, (uint32_t)(first + done) * sb,
				 (uint32_t)(first + done + 1) * sb, keep);
}

void fh_bank_interrupt(flash_h7 *f, unsigned b, sim_time_us now)
{
	flash_h7_bank *bank = &f->bank[b];
	flash_op *op = &bank->op;
	flash_keep keep;

	switch (op->kind) {
	case OP_PROGRAM:
		fa_interrupt_program(bank, f->line->word_bytes, op->word, op->data);
		break;
	case OP_SECTOR_ERASE:
		cut_erase(f, b, op->sector, 1, op->start, now, NULL);
		break;
	case OP_BANK_ERASE:
		fh_build_keep(f, b, op->erase_areas, &keep);
		cut_erase(f, b, 0, f->sectors, op->start, now, &keep);
		break;
	default:
		break;
	}
	if (op->kind != OP_NONE) {
		sim_log_info("flash: reset during bank %u %s after %llu us: left partly done", b + 1,
			     op_name(op->kind), (unsigned long long)(now - op->start));
		f->busy_total += now - op->start;
	}
	memset(&bank->op, 0, sizeof(bank->op));
	memset(&bank->queued, 0, sizeof(bank->queued));
	memset(&bank->stalled, 0, sizeof(bank->stalled)); /* the reset ends the stalled bus write */
	bank->wbuf_active = false;
	bank->wbuf_written = 0;
}

/* Why a program/erase request is refused before it starts; 0 if it may run. */
static uint32_t erase_refusal(const flash_h7 *f, unsigned b)
{
	const flash_h7_bank *bank = &f->bank[b];

	/* UNCONFIRMED: at RDP level 1 with intrusion erases are refused too (seed 000: "mass erase fails"). */
	if (fh_rdp_blocks(f))
		return SR_RDPERR;
	if (bank->sr & SR_PROGRAM_ERRORS & f->line->sr_errors)
		return SR_PGSERR;
	if (f->optop.busy || bank->wbuf_active)
		return SR_PGSERR;
	return 0;
}

/*
 * Bank (and mass) erase: UNCONFIRMED; chosen: any write-protected sector, or a
 * PCROP/secure-only area whose DMEP/DMES is 0, aborts the whole erase with
 * WRPERR.  Areas with DMEP/DMES = 1 are erased with the bank (facts A.2:
 * "erased ... during a mass erase"); their definition stays.
 */
static uint32_t bank_erase_refusal(const flash_h7 *f, unsigned b)
{
	uint32_t refusal = erase_refusal(f, b);

	if (refusal)
		return refusal;
	for (unsigned s = 0; s < f->sectors; s++)
		if (optbytes_h7_sector_protected(&f->ob, b, s, f->line->wps_group))
			return SR_WRPERR;
	for (unsigned which = 0; which < 2; which++)
		if (optbytes_h7_area(&f->ob, b, which).present && !optbytes_h7_area_dm(&f->ob, b, which))
			return SR_WRPERR;
	return 0;
}

static uint32_t sector_erase_refusal(const flash_h7 *f, unsigned b, unsigned snb)
{
	uint32_t refusal = erase_refusal(f, b);
	uint32_t sb = f->line->sector_bytes;

	if (refusal)
		return refusal;
	if (snb >= f->sectors)
		return SR_PGSERR;
	if (fh_range_write_protected(f, b, snb * sb, (snb + 1) * sb))
		return SR_WRPERR;
	return 0;
}

void fh_start_erase(flash_h7 *f, unsigned b, uint32_t cr, sim_time_us now)
{
	flash_h7_bank *bank = &f->bank[b];
	bool ser = cr & CR_SER, ber = cr & CR_BER;
	uint32_t refusal;
	flash_op op;

	memset(&op, 0, sizeof(op));
	if (ser == ber || (cr & CR_PG)) {
		refusal = SR_PGSERR; /* START with no erase selected, both, or program mixed in */
	} else if (ser) {
		op.kind = OP_SECTOR_ERASE;
		op.sector = (cr >> f->line->cr_snb_shift) & f->line->cr_snb_max;
		refusal = sector_erase_refusal(f, b, op.sector);
	} else {
		op.kind = OP_BANK_ERASE;
		op.erase_areas = true;
		refusal = bank_erase_refusal(f, b);
	}
	if (refusal) {
		bank->sr |= refusal;
		sim_log_guest_error("flash: erase refused on bank %u (CR = 0x%08x, SR |= 0x%08x)", b + 1, cr, refusal);
		return;
	}
	schedule(f, b, &op, now);
}

/* OPTCR.MER: both banks at once, each as a bank erase (UNCONFIRMED: needs both CRx unlocked). */
void fh_mass_erase(flash_h7 *f, sim_time_us now)
{
	bool refused = false;

	for (unsigned b = 0; b < f->banks; b++) {
		if (f->bank[b].cr & CR_LOCK) {
			sim_log_guest_error("flash: OPTCR.MER with CR%u locked: ignored", b + 1);
			return;
		}
	}
	for (unsigned b = 0; b < f->banks; b++) {
		uint32_t refusal = bank_erase_refusal(f, b);

		if (refusal) {
			f->bank[b].sr |= refusal;
			refused = true;
		}
	}
	if (refused) {
		sim_log_guest_error("flash: mass erase refused");
		return;
	}
	/*
	 * Reported below once both banks are scheduled, or by op_started() when
	 * its first bank erase was queued and really starts.
	 */
	f->mass_erase = true;
	f->mass_reported = true;
	f->mass_start = UINT64_MAX;
	f->mass_end = now;
	for (unsigned b = 0; b < f->banks; b++) {
		const flash_op *slot;
		flash_op op;

		memset(&op, 0, sizeof(op));
		op.kind = OP_BANK_ERASE;
		op.erase_areas = true;
		slot = schedule(f, b, &op, now);
		if (!slot)
			continue;
		f->mass_start = slot->start < f->mass_start ? slot->start : f->mass_start;
		f->mass_end = slot->end > f->mass_end ? slot->end : f->mass_end;
	}
	f->mass_reported = false;
	if (f->mass_start <= now) {
		f->mass_reported = true;
		fh_notify(f, SIM_FLASH_EV_MASS_ERASE, SIM_FLASH_STARTED, f->mass_start, f->mass_end);
	}
}

/* ------------------------------------------------------ option change -- */

void fh_option_start(flash_h7 *f, sim_time_us now)
{
	flash_h7_optop *o = &f->optop;

	if (o->busy) {
		sim_log_guest_error("flash: OPTSTART while an option change runs: ignored");
		return;
	}
	for (unsigned b = 0; b < f->banks; b++) {
		if (fh_bank_busy(f, b) || f->bank[b].wbuf_active) {
			/* UNCONFIRMED: an option change with a bank operation pending fails. */
			f->opt_change_error = true;
			sim_log_guest_error("flash: OPTSTART while bank %u is busy: OPTCHANGEERR", b + 1);
			return;
		}
	}
	optbytes_h7_plan_change(&f->ob, &o->plan);
	if (o->plan.refused) {
		f->opt_change_error = true;
		sim_log_guest_error("flash: option change refused: %s (OPTCHANGEERR)", o->plan.why);
		return;
	}
	o->busy = true;
	o->erase_done = false;
	o->start = now;
	/* UNCONFIRMED duration: both banks erase in parallel, each sector by sector, then the option write. */
	o->erase_end = now + (o->plan.regression ? (sim_time_us)f->sectors * f->line->t_sector_us : 0);
	o->end = o->erase_end + OPT_CHANGE_US;
	if (o->plan.regression)
		sim_log_info("flash: RDP regression 1 -> 0 started: erasing user flash");
	fh_notify(f, SIM_FLASH_EV_OPTSTART, SIM_FLASH_STARTED, o->start, o->end);
}

static void regression_keep(const flash_h7 *f, unsigned b, flash_keep *keep)
{
	keep->count = 0;
	for (unsigned which = 0; which < 2; which++)
		if (f->optop.plan.keep[b][which].present)
			keep->area[keep->count++] = f->optop.plan.keep[b][which];
}

void fh_option_update(flash_h7 *f, sim_time_us now)
{
	flash_h7_optop *o = &f->optop;
	flash_keep keep;

	if (!o->busy)
		return;
	if (o->plan.regression && !o->erase_done && now >= o->erase_end) {
		for (unsigned b = 0; b < f->banks; b++) {
			regression_keep(f, b, &keep);
			fa_erase_range(&f->bank[b], f->line->word_bytes, 0, f->bank_bytes, &keep);
		}
		o->erase_done = true;
	}
	if (now >= o->end) {
		optbytes_h7_commit(&f->ob, &o->plan);
		o->busy = false;
		f->busy_total += o->end - o->start;
		fh_notify(f, SIM_FLASH_EV_OPTSTART, SIM_FLASH_DONE, o->start, o->end);
	}
}

/*
 * A reset during an option change.  UNCONFIRMED (facts A.3 says nothing about
 * a cut change); chosen, the harder outcome for a recovery tool:
 *  - during the erase phase of an RDP regression: the option bytes keep their
 *    old values (RDP stays at level 1) and the erase is left partly done, as
 *    a cut bank erase would be;
 *  - during the option write (the last OPT_CHANGE_US of every change): the
 *    option word is half written.  RDP reads 0xBB, a level-1 value (never
 *    0xAA, never level 2 by accident, whatever was being written), and the
 *    other option registers keep their old _CUR values.  Field report seed
 *    000 (NRST pulled while flashing an STM32H743; since then every tool
 *    reads level-1 behaviour: "Read Memory Error", erase refused) is what
 *    this reproduces; the factory values it is compared with are facts A.4.
 */
void fh_option_interrupt(flash_h7 *f, sim_time_us now)
{
	flash_h7_optop *o = &f->optop;
	flash_keep keep;

	if (!o->busy)
		return;
	if (o->plan.regression && !o->erase_done) {
		for (unsigned b = 0; b < f->banks; b++) {
			regression_keep(f, b, &keep);
			cut_erase(f, b, 0, f->sectors, o->start, now, &keep);
		}
		sim_log_info("flash: reset during an RDP regression's erase after %llu us: option bytes unchanged, "
			     "user flash partly erased", (unsigned long long)(now - o->start));
	} else {
		f->ob.cur[OB_OPTSR] = (f->ob.cur[OB_OPTSR] & ~(0xffu << OB_OPTSR_RDP_SHIFT)) |
				      (OPT_CUT_RDP << OB_OPTSR_RDP_SHIFT);
		sim_log_info("flash: reset during an option-byte write after %llu us: RDP left at 0x%02x (level 1), "
			     "other option bytes unchanged", (unsigned long long)(now - o->start), OPT_CUT_RDP);
	}
	f->busy_total += now - o->start;
	o->busy = false;
}
