/*
 * IEEE 1149.1 TAP controllers chained between TDI and TDO (see jtag_tap.h).
 *
 * Everything happens on the rising TCK edge: Capture-xR and Shift-xR act on
 * the edge that leaves those states, Update-xR acts when the state is entered
 * (the silicon updates on the following falling edge, which the bitbang
 * protocol cannot observe separately), and TDO is presented right after the
 * edge so that OpenOCD, which samples with TCK low, sees it.
 */
#include "jtag_tap.h"

#include <string.h>

#include "sim_common.h"

/* Next state for TMS = 0 and TMS = 1 (IEEE 1149.1 figure 6-1). */
static const jtag_state tap_next[16][2] = {
	[TAP_RESET]     = { TAP_IDLE,      TAP_RESET },
	[TAP_IDLE]      = { TAP_IDLE,      TAP_DRSELECT },
	[TAP_DRSELECT]  = { TAP_DRCAPTURE, TAP_IRSELECT },
	[TAP_DRCAPTURE] = { TAP_DRSHIFT,   TAP_DREXIT1 },
	[TAP_DRSHIFT]   = { TAP_DRSHIFT,   TAP_DREXIT1 },
	[TAP_DREXIT1]   = { TAP_DRPAUSE,   TAP_DRUPDATE },
	[TAP_DRPAUSE]   = { TAP_DRPAUSE,   TAP_DREXIT2 },
	[TAP_DREXIT2]   = { TAP_DRSHIFT,   TAP_DRUPDATE },
	[TAP_DRUPDATE]  = { TAP_IDLE,      TAP_DRSELECT },
	[TAP_IRSELECT]  = { TAP_IRCAPTURE, TAP_RESET },
	[TAP_IRCAPTURE] = { TAP_IRSHIFT,   TAP_IREXIT1 },
	[TAP_IRSHIFT]   = { TAP_IRSHIFT,   TAP_IREXIT1 },
	[TAP_IREXIT1]   = { TAP_IRPAUSE,   TAP_IRUPDATE },
	[TAP_IRPAUSE]   = { TAP_IRPAUSE,   TAP_IREXIT2 },
	[TAP_IREXIT2]   = { TAP_IRSHIFT,   TAP_IRUPDATE },
	[TAP_IRUPDATE]  = { TAP_IDLE,      TAP_DRSELECT },
};

/* Names as OpenOCD prints them, so traces compare easily with its debug log. */
static const char *const tap_names[16] = {
	[TAP_RESET] = "RESET", [TAP_IDLE] = "RUN/IDLE",
	[TAP_DRSELECT] = "DRSELECT", [TAP_DRCAPTURE] = "DRCAPTURE", [TAP_DRSHIFT] = "DRSHIFT",
	[TAP_DREXIT1] = "DREXIT1", [TAP_DRPAUSE] = "DRPAUSE", [TAP_DREXIT2] = "DREXIT2",
	[TAP_DRUPDATE] = "DRUPDATE",
	[TAP_IRSELECT] = "IRSELECT", [TAP_IRCAPTURE] = "IRCAPTURE", [TAP_IRSHIFT] = "IRSHIFT",
	[TAP_IREXIT1] = "IREXIT1", [TAP_IRPAUSE] = "IRPAUSE", [TAP_IREXIT2] = "IREXIT2",
	[TAP_IRUPDATE] = "IRUPDATE",
};

#define BYPASS_LEN 1u
#define IDCODE_LEN 32u
#define DR_MAX_LEN 64u

static uint32_t ir_mask(const jtag_tap *t)
{
	return t->d.irlen >= 32 ? 0xFFFFFFFFu : (1u << t->d.irlen) - 1u;
}

static uint64_t dr_mask(unsigned len)
{
	return len >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << len) - 1u;
}

/* IEEE 1149.1: the all-ones instruction is BYPASS whatever the owner says. */
static bool ir_is_bypass(const jtag_tap *t)
{
	return t->ir == ir_mask(t);
}

static bool ir_is_idcode(const jtag_tap *t)
{
	return !ir_is_bypass(t) && t->ir == t->d.ir_idcode;
}

/* Width of the owner's DR for the current instruction, 0 when it is not the owner's. */
static unsigned owner_dr_length(const jtag_tap *t)
{
	if (ir_is_bypass(t) || ir_is_idcode(t) || !t->d.dr_length)
		return 0;
	unsigned len = t->d.dr_length(t->d.ctx, t->ir);

	if (len > DR_MAX_LEN) {
		sim_log_unimplemented("jtag: TAP %s: DR of %u bits for IR 0x%x, capped to %u",
				      t->d.name, len, (unsigned)t->ir, DR_MAX_LEN);
		len = DR_MAX_LEN;
	}
	return len;
}

static void tap_capture_dr(jtag_tap *t)
{
	unsigned len = owner_dr_length(t);

	if (len > 0) {
		t->dr_len = len;
		t->dr_shift = t->d.capture_dr ? t->d.capture_dr(t->d.ctx, t->ir) & dr_mask(len) : 0;
	} else if (ir_is_idcode(t)) {
		t->dr_len = IDCODE_LEN;
		t->dr_shift = t->d.idcode;
	} else {
		t->dr_len = BYPASS_LEN;
		t->dr_shift = 0; /* BYPASS captures 0 (IEEE 1149.1 10.1.1) */
	}
}

static void tap_update_dr(jtag_tap *t)
{
	/* IDCODE and BYPASS ignore Update-DR; only owner registers take the value. */
	if (owner_dr_length(t) > 0 && t->d.update_dr)
		t->d.update_dr(t->d.ctx, t->ir, t->dr_shift & dr_mask(t->dr_len));
}

static void chain_reset_irs(jtag_chain *c)
{
	for (unsigned i = 0; i < c->ntaps; i++)
		c->taps[i].ir = c->taps[i].d.ir_idcode & ir_mask(&c->taps[i]);
}

void jtag_chain_init(jtag_chain *c)
{
	memset(c, 0, sizeof(*c));
	c->state = TAP_RESET;
	c->tdo = true;
}

int jtag_chain_add(jtag_chain *c, const jtag_tap_desc *desc)
{
	if (c->ntaps >= JTAG_CHAIN_MAX_TAPS || desc->irlen < 1 || desc->irlen > 32)
		return -1;
	jtag_tap *t = &c->taps[c->ntaps];

	memset(t, 0, sizeof(*t));
	t->d = *desc;
	t->ir = desc->ir_idcode & ir_mask(t);
	t->dr_len = BYPASS_LEN;
	return (int)c->ntaps++;
}

void jtag_chain_reset(jtag_chain *c)
{
	c->state = TAP_RESET;
	chain_reset_irs(c);
}

/* One Shift-DR clock through the whole chain: TDI enters the last TAP. */
static void chain_shift_dr(jtag_chain *c, bool tdi)
{
	bool in = tdi;

	for (unsigned k = c->ntaps; k-- > 0;) {
		jtag_tap *t = &c->taps[k];
		bool out = t->dr_shift & 1u;

		t->dr_shift = (t->dr_shift >> 1) | ((uint64_t)in << (t->dr_len - 1));
		in = out;
	}
}

static void chain_shift_ir(jtag_chain *c, bool tdi)
{
	bool in = tdi;

	for (unsigned k = c->ntaps; k-- > 0;) {
		jtag_tap *t = &c->taps[k];
		bool out = t->ir_shift & 1u;

		t->ir_shift = (t->ir_shift >> 1) | ((uint32_t)in << (t->d.irlen - 1));
		in = out;
	}
}

/* Work done on the rising edge in the state being left. */
static void chain_act(jtag_chain *c, bool tdi)
{
	switch (c->state) {
	case TAP_DRCAPTURE:
		for (unsigned i = 0; i < c->ntaps; i++)
			tap_capture_dr(&c->taps[i]);
		break;
	case TAP_DRSHIFT:
		chain_shift_dr(c, tdi);
		break;
	case TAP_IRCAPTURE:
		for (unsigned i = 0; i < c->ntaps; i++)
			c->taps[i].ir_shift = c->taps[i].d.ir_capture & ir_mask(&c->taps[i]);
		break;
	case TAP_IRSHIFT:
		chain_shift_ir(c, tdi);
		break;
	default:
		break;
	}
}

/* Work done on entering a state. */
static void chain_enter(jtag_chain *c)
{
	switch (c->state) {
	case TAP_RESET:
		chain_reset_irs(c);
		break;
	case TAP_DRUPDATE:
		c->dr_scans++;
		for (unsigned i = 0; i < c->ntaps; i++)
			tap_update_dr(&c->taps[i]);
		break;
	case TAP_IRUPDATE:
		c->ir_scans++;
		for (unsigned i = 0; i < c->ntaps; i++)
			c->taps[i].ir = c->taps[i].ir_shift & ir_mask(&c->taps[i]);
		break;
	default:
		break;
	}
}

static void chain_present_tdo(jtag_chain *c)
{
	if (c->ntaps == 0)
		return;
	if (c->state == TAP_DRSHIFT)
		c->tdo = c->taps[0].dr_shift & 1u;
	else if (c->state == TAP_IRSHIFT)
		c->tdo = c->taps[0].ir_shift & 1u;
	else
		c->tdo = true; /* not driven: the probe's pull-up reads 1 */
}

void jtag_chain_clock(jtag_chain *c, bool tck, bool tms, bool tdi)
{
	bool rising = tck && !c->tck;

	c->tck = tck;
	if (!rising)
		return;
	c->tck_cycles++;
	chain_act(c, tdi);
	jtag_state next = tap_next[c->state][tms];

	if (next != c->state || next == TAP_RESET) {
		c->state = next;
		chain_enter(c);
	}
	chain_present_tdo(c);
}

bool jtag_chain_tdo(const jtag_chain *c)
{
	return c->tdo;
}

const char *jtag_state_name(jtag_state s)
{
	if ((unsigned)s >= 16)
		return "INVALID";
	return tap_names[s];
}
