/*
 * STM32H5 option-byte change (OPTCR.OPTSTRT, facts B.2) and the debug-
 * authentication regressions (docs/h5-debug-authentication.md §6).  Both
 * occupy the flash like any other operation (BSY) and share its clock; the
 * rules of what may change are optbytes_h5.c.
 */
#include "flash_h5_internal.h"

#include <string.h>

/*
 * OPTSTRT.  Refused at once: while OPTCHANGEERR is set ([SVD-H563]: OPTSTRT
 * "cannot be set"), nothing happens; with NSCR locked (facts B.2: the
 * sequence unlocks NSCR first; UNCONFIRMED that the silicon checks it),
 * during another operation or with a filled write buffer: PGSERR.  Otherwise
 * the change takes the option time; a change the rules refuse raises
 * OPTCHANGEERR only at its end (UNCONFIRMED; the harder timing: a tool must
 * wait for BSY before it can trust the flag).
 */
void fh5_option_start(flash_h5 *f, sim_time_us now)
{
	fh5_op op;

	if (f->opt_change_error) {
		sim_log_guest_error("flash: OPTSTRT while NSSR.OPTCHANGEERR is set: ignored");
		return;
	}
	if ((f->dom[DOM_NS].cr & CR_LOCK) || f->op.kind != OP_NONE || f->wbuf.active) {
		f->dom[DOM_NS].sr |= SR_PGSERR;
		sim_log_guest_error("flash: OPTSTRT refused (%s): NSSR.PGSERR",
				    (f->dom[DOM_NS].cr & CR_LOCK) ? "NSCR locked"
				    : f->op.kind != OP_NONE ? "flash busy" : "write buffer not empty");
		return;
	}
	memset(&op, 0, sizeof(op));
	op.kind = OP_OPTION;
	op.dom = DOM_NS;
	optbytes_h5_plan_change(&f->ob, &op.plan);
	op.start = now;
	op.end = now + fh5_timing_table.option_change_us;
	f->op = op;
	/* A change the rules refuse is not an accepted option change: no event (op_script.h "optstart"). */
	if (!op.plan.refused)
		fh5_notify(f, SIM_FLASH_EV_OPTSTART, SIM_FLASH_STARTED, op.start, op.end);
}

/* Option bytes whose effect the model leaves out: say so whenever they are in force. */
void fh5_log_unmodelled_options(const flash_h5 *f)
{
	const optbytes_h5 *ob = &f->ob;

	if ((ob->cur[OB5_EDATA1R] | ob->cur[OB5_EDATA2R]) & (1u << 15))
		sim_log_unimplemented("flash: EDATA (high-cycle data area) enabled: the 0x09000000 area is not "
				      "modelled, its sectors stay plain user flash");
	for (unsigned b = 0; b < 2; b++) {
		uint32_t hdp = ob->cur[b ? OB5_HDP2R : OB5_HDP1R];

		if ((hdp & 0x7fu) <= ((hdp >> 16) & 0x7fu))
			sim_log_unimplemented("flash: HDP area of bank %u defined: hide protection is not modelled "
					      "(the area stays readable)", b + 1);
	}
}

void fh5_option_complete(flash_h5 *f, const fh5_op *op)
{
	uint8_t before = flash_h5_product_state(f);

	if (op->plan.refused) {
		f->opt_change_error = true;
		f->count.option_change_errors++;
		sim_log_guest_error("flash: option change refused: %s (NSSR.OPTCHANGEERR)", op->plan.why);
		return;
	}
	optbytes_h5_commit(&f->ob, &op->plan);
	f->count.option_changes++;
	fh5_notify(f, SIM_FLASH_EV_OPTSTART, SIM_FLASH_DONE, op->start, op->end);
	fh5_log_unmodelled_options(f);
	if (op->plan.landed_short)
		sim_log_info("flash: PRODUCT_STATE 0xed -> beyond Provisioning requested: the chip stops in "
			     "Provisioning (0x17)");
	if (op->plan.product_state_changed) {
		/* facts B.3: automatic reset UNCONFIRMED; flash_h5.h models it. */
		f->reset_request = true;
		sim_log_info("flash: PRODUCT_STATE 0x%02x -> 0x%02x: reset requested", before,
			     op->plan.product_state);
	}
}

/* ---------------------------------------------------------- regressions -- */

/*
 * Full: both banks (write protection does not apply to the ROM) and all of
 * OBK.  Partial: the user-flash sectors outside the secure watermarks (SECBB
 * attributes are volatile and cleared by the reset that entered DA); OBK and
 * the secure sectors are kept.  The exact partial erase list is UNCONFIRMED
 * (facts B.3).  OTP is never erased.
 */
static void regression_set(const flash_h5 *f, bool partial, fh5_erase_set *set)
{
	memset(set, 0, sizeof(*set));
	for (unsigned b = 0; b < 2; b++)
		for (unsigned s = 0; s < f->sectors; s++)
			set->sector[b][s] = !partial || !optbytes_h5_sector_in_secwm(&f->ob, b, s);
	set->obk = !partial && f->line->obk;
}

/*
 * A regression erases like the ROM's own mass erase: reported as one
 * mass_erase (full only) and a bank_erase per bank it erases, so that an
 * operator step can cut it (op_script.h) as it would cut a mass erase.
 */
static void notify_regression(const flash_h5 *f, const fh5_op *op, sim_flash_phase phase)
{
	if (!op->partial)
		fh5_notify(f, SIM_FLASH_EV_MASS_ERASE, phase, op->start, op->end);
	for (unsigned b = 0; b < 2; b++) {
		bool any = false;

		for (unsigned s = 0; s < f->sectors; s++)
			any = any || op->set.sector[b][s];
		if (any)
			fh5_notify(f, SIM_FLASH_EV_BANK_ERASE, phase, op->start, op->end);
	}
}

void fh5_regression_start(flash_h5 *f, bool partial, sim_time_us now)
{
	fh5_op op;

	if (f->op.kind != OP_NONE) {
		sim_log_info("flash: the boot ROM takes over the flash for a regression: the running operation is cut");
		fh5_ops_interrupt(f, now);
	}
	fh5_wbuf_discard(f);
	memset(&op, 0, sizeof(op));
	op.kind = OP_REGRESSION;
	op.dom = DOM_NS;
	op.partial = partial;
	regression_set(f, partial, &op.set);
	/* docs §6: PRODUCT_STATE reads Regression / NS-Regression while the erase runs. */
	optbytes_h5_force_product_state(&f->ob, partial ? H5PS_NS_REGRESSION : H5PS_REGRESSION);
	op.start = now;
	op.end = now + (sim_time_us)f->sectors * fh5_timing_table.sector_erase_us;
	f->op = op;
	sim_log_info("flash: %s regression started (%llu us)", partial ? "partial" : "full",
		     (unsigned long long)(op.end - op.start));
	notify_regression(f, &op, SIM_FLASH_STARTED);
}

void fh5_regression_complete(flash_h5 *f, const fh5_op *op)
{
	uint8_t ps = op->partial ? H5PS_TZ_CLOSED : H5PS_OPEN;

	fh5_apply_erase_set(f, &op->set);
	optbytes_h5_force_product_state(&f->ob, ps);
	if (op->partial)
		f->count.regressions_partial++;
	else
		f->count.regressions_full++;
	f->reset_request = true;
	notify_regression(f, op, SIM_FLASH_DONE);
	sim_log_info("flash: %s regression done: PRODUCT_STATE 0x%02x, reset requested",
		     op->partial ? "partial" : "full", ps);
}
