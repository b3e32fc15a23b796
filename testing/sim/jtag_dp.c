/*
 * ADIv5 JTAG-DP (the JTAG side of the STM32 SWJ-DP), see jtag_dp.h.
 *
 * Register facts: facts sheet section C ("ADIv5 DP registers"), the ADIv5
 * JTAG-DP chapter and the Arm CoreSight DAP TRM (DDI 0314H).  A DPACC/APACC
 * transaction completes at Update-DR and its result is posted: the next
 * DPACC/APACC scan captures it with ACK OK/FAULT (0b010).  The one exception
 * is an AP write whose bus stalls (an H7 flash write behind a full queue):
 * until that bus access ends every scan captures WAIT (0b001) and is
 * discarded; under ORUNDETECT the WAIT sets STICKYORUN (jtag_dp.h).
 *
 * What stock OpenOCD 0.12 does over JTAG (dap_dp_init in arm_adi_v5.c,
 * adi_v5_jtag.c; confirmed by tracing /usr/bin/openocd 0.12.0 against this
 * model), so that every access below has a defined answer:
 *  - `init`/`dap init`: CTRL/STAT written with CDBGPWRUPREQ|CSYSPWRUPREQ|
 *    STICKYERR (0x50000020: clears the sticky flag, JTAG only) and read back;
 *    written 0x50000000; polled (CTRL/STAT read + RDBUFF) until CDBGPWRUPACK,
 *    then CSYSPWRUPACK read 1; written with ORUNDETECT added (0x50000001).
 *    It never writes SELECT before these CTRL/STAT accesses (it assumes
 *    DPBANKSEL = 0) and never reads DPIDR, TARGETID, DLPIDR or EVENTSTAT,
 *    never uses CDBGRSTREQ, TRNMODE, TRNCNT or MASKLANE;
 *  - after every queue run: CTRL/STAT read, then RDBUFF for the posted value;
 *    if STICKYERR is set it requires all four power REQ/ACK bits to be 1
 *    ("Debug regions are unpowered" otherwise) and clears STICKYERR and
 *    STICKYORUN by writing them as 1 in CTRL/STAT ("JTAG-DP STICKY ERROR");
 *  - mem_ap_init: SELECT 0xF0 and AP CFG read, SELECT 0, CSW written with
 *    Size byte + AddrInc packed (0xA2000020 by default), TAR 0, CSW read back;
 *  - on a WAIT it replays the queue from the WAITed scan on, one scan at a
 *    time until each is acknowledged OK, after clearing STICKYORUN ("DAP
 *    transaction stalled (WAIT) - slowing down"); a pending read is fetched
 *    by polling RDBUFF;
 *  - the ABORT scan is only used with DAPABORT (value 1), after a WAIT that
 *    lasts more than a second.
 */
#include "jtag_dp.h"

#include <string.h>

#include "sim_common.h"

/* JTAG instructions (IR 4 bits). */
#define IR_ABORT  0x8u
#define IR_DPACC  0xAu
#define IR_APACC  0xBu
#define IR_IDCODE 0xEu

#define DPACC_SCAN_LEN 35u
#define ACK_OK_FAULT   0x2u
#define ACK_WAIT       0x1u

/* DP register addresses (A[3:2] << 2). */
#define DP_DPIDR  0x0u
#define DP_CTRL   0x4u /* banked by SELECT.DPBANKSEL */
#define DP_SELECT 0x8u
#define DP_RDBUFF 0xCu

/* CTRL/STAT bits. */
#define CS_ORUNDETECT   (1u << 0)
#define CS_STICKYORUN   (1u << 1)
#define CS_TRNMODE      (3u << 2)
#define CS_STICKYCMP    (1u << 4)
#define CS_STICKYERR    (1u << 5)
#define CS_READOK       (1u << 6)
#define CS_WDATAERR     (1u << 7)
#define CS_MASKLANE     (0xFu << 8)
#define CS_TRNCNT       (0xFFFu << 12)
#define CS_CDBGRSTREQ   (1u << 26)
#define CS_CDBGRSTACK   (1u << 27)
#define CS_CDBGPWRUPREQ (1u << 28)
#define CS_CDBGPWRUPACK (1u << 29)
#define CS_CSYSPWRUPREQ (1u << 30)
#define CS_CSYSPWRUPACK (1u << 31)

/* Read/write bits held in dp->ctrl_stat; ACKs are derived when read. */
#define CS_RW_MASK (CS_ORUNDETECT | CS_TRNMODE | CS_MASKLANE | CS_TRNCNT | CS_CDBGRSTREQ | \
		    CS_CDBGPWRUPREQ | CS_CSYSPWRUPREQ)
/* Sticky flags: write 1 to clear through CTRL/STAT on a JTAG-DP (ADIv5, CTRL/STAT). */
#define CS_STICKY_MASK (CS_STICKYORUN | CS_STICKYCMP | CS_STICKYERR | CS_WDATAERR)

/* ABORT bits (facts C); the other four are SW-DP only, see do_abort(). */
#define ABORT_DAPABORT   (1u << 0)

/* SELECT fields. */
#define SEL_APSEL_SHIFT 24
#define SEL_APBANKSEL   (0xFu << 4)
#define SEL_DPBANKSEL   0xFu
#define SEL_RW_MASK     (0xFFu << SEL_APSEL_SHIFT | SEL_APBANKSEL | SEL_DPBANKSEL)

void jtag_dp_init(jtag_dp *dp, const jtag_dp_config *cfg, const jtag_dp_hooks *hooks)
{
	memset(dp, 0, sizeof(*dp));
	dp->cfg = *cfg;
	if (hooks)
		dp->hooks = *hooks;
	jtag_dp_reset(dp);
}

void jtag_dp_set_ap(jtag_dp *dp, unsigned apsel, sim_ap *ap)
{
	if (apsel >= JTAG_DP_MAX_AP) {
		sim_log_unimplemented("jtag-dp: APSEL %u beyond the %u modelled APs", apsel, JTAG_DP_MAX_AP);
		return;
	}
	dp->aps[apsel] = ap;
}

void jtag_dp_reset(jtag_dp *dp)
{
	/*
	 * The hooks are not told: the chip calls this from its own power-on path
	 * and already knows the requests are gone.
	 */
	dp->ctrl_stat = 0;
	dp->select = 0;
	dp->rdbuff = 0;
	dp->last_result = ACK_OK_FAULT;
	dp->stalled_ap = NULL;
	dp->scan_waits = false;
}

static bool domain_powered(const jtag_dp *dp)
{
	return !dp->hooks.domain_powered || dp->hooks.domain_powered(dp->hooks.ctx);
}

static uint32_t ctrl_stat_read(const jtag_dp *dp)
{
	uint32_t v = dp->ctrl_stat;
	bool powered = domain_powered(dp);

	if ((v & CS_CDBGPWRUPREQ) && powered)
		v |= CS_CDBGPWRUPACK;
	if ((v & CS_CSYSPWRUPREQ) && powered)
		v |= CS_CSYSPWRUPACK;
	/*
	 * UNCONFIRMED for the STM32 SWJ-DP: debug reset is acknowledged at once
	 * and resets nothing (logged as unimplemented when requested).
	 */
	if (v & CS_CDBGRSTREQ)
		v |= CS_CDBGRSTACK;
	/* READOK: SW-DP only, RAZ on a JTAG-DP (UNCONFIRMED; OpenOCD never reads it). */
	return v & ~CS_READOK;
}

static void ctrl_stat_write(jtag_dp *dp, uint32_t value)
{
	uint32_t old = dp->ctrl_stat;
	uint32_t sticky = (old & CS_STICKY_MASK) & ~(value & CS_STICKY_MASK);

	dp->ctrl_stat = (value & CS_RW_MASK) | sticky;
	if ((value & CS_TRNMODE) != 0)
		sim_log_unimplemented("jtag-dp: pushed compare/verify (TRNMODE %u) not modelled",
				      (unsigned)((value & CS_TRNMODE) >> 2));
	if ((value & CS_CDBGRSTREQ) && !(old & CS_CDBGRSTREQ))
		sim_log_unimplemented("jtag-dp: CDBGRSTREQ acknowledged but no debug reset performed");

	uint32_t req = CS_CDBGPWRUPREQ | CS_CSYSPWRUPREQ;

	if (((old ^ dp->ctrl_stat) & req) && dp->hooks.powerup_request)
		dp->hooks.powerup_request(dp->hooks.ctx, dp->ctrl_stat & CS_CDBGPWRUPREQ,
					  dp->ctrl_stat & CS_CSYSPWRUPREQ);
}

/* Register 0x4, banked by SELECT.DPBANKSEL (DPv1+; the H7 DP is DPv2). */
static uint32_t dp_bank_read(jtag_dp *dp)
{
	unsigned bank = dp->select & SEL_DPBANKSEL;

	switch (bank) {
	case 0: return ctrl_stat_read(dp);
	case 1: return 0; /* DLCR: SW-DP only, RAZ/WI on JTAG */
	case 2: return dp->cfg.targetid;
	case 3: return dp->cfg.dlpidr;
	case 4: return 0; /* EVENTSTAT: no event pending (EA = 0) */
	default:
		sim_log_guest_error("jtag-dp: read of reserved DP register 0x4 bank %u", bank);
		return 0;
	}
}

static void dp_bank_write(jtag_dp *dp, uint32_t value)
{
	unsigned bank = dp->select & SEL_DPBANKSEL;

	if (bank == 0)
		ctrl_stat_write(dp, value);
	else if (bank == 1)
		; /* DLCR: WI on JTAG */
	else
		sim_log_guest_error("jtag-dp: write 0x%08x to read-only or reserved DP register 0x4 bank %u",
				    value, bank);
}

static uint32_t dp_read(jtag_dp *dp, unsigned addr)
{
	switch (addr) {
	case DP_DPIDR:  return dp->cfg.dpidr;
	case DP_CTRL:   return dp_bank_read(dp);
	case DP_SELECT: return dp->select; /* readable on a JTAG-DP */
	case DP_RDBUFF:
	default:        return dp->rdbuff; /* last AP read result, no new access */
	}
}

static void dp_write(jtag_dp *dp, unsigned addr, uint32_t value)
{
	switch (addr) {
	case DP_DPIDR:
		/* ABORT has its own scan chain on JTAG; DPACC 0x0 is read-only. */
		sim_log_guest_error("jtag-dp: DPACC write 0x%08x to DPIDR (use the ABORT instruction)", value);
		break;
	case DP_CTRL:
		dp_bank_write(dp, value);
		break;
	case DP_SELECT:
		if (value & ~SEL_RW_MASK)
			sim_log_guest_error("jtag-dp: SELECT 0x%08x sets reserved bits", value);
		dp->select = value & SEL_RW_MASK;
		break;
	case DP_RDBUFF:
	default:
		break; /* writes ignored on a JTAG-DP */
	}
}

static bool ap_sticky_blocked(const jtag_dp *dp)
{
	return dp->ctrl_stat & CS_STICKY_MASK;
}

static void ap_fault(jtag_dp *dp, unsigned apsel, uint8_t offset, const char *why)
{
	dp->ap_faults++;
	dp->ctrl_stat |= CS_STICKYERR;
	sim_log_trace("jtag-dp: AP%u register 0x%02x faulted (%s), STICKYERR set", apsel, offset, why);
}

/*
 * One APACC transaction.  Returns the read value (0 for writes, discarded
 * accesses, absent APs and faults).
 */
static uint32_t ap_access(jtag_dp *dp, unsigned a32, bool read, uint32_t value)
{
	unsigned apsel = dp->select >> SEL_APSEL_SHIFT;
	uint8_t offset = (uint8_t)((dp->select & SEL_APBANKSEL) | a32);
	uint32_t result = 0;

	if (ap_sticky_blocked(dp)) {
		/* ADIv5 (CTRL/STAT): with a sticky flag set, AP transactions are discarded. */
		sim_log_trace("jtag-dp: AP%u 0x%02x access discarded, sticky flag set", apsel, offset);
		return 0;
	}
	dp->ap_transactions++;
	sim_ap *ap = apsel < JTAG_DP_MAX_AP ? dp->aps[apsel] : NULL;

	if (!ap)
		return 0; /* no AP: IDR reads 0, which is how OpenOCD recognises absence */
	if (!(ctrl_stat_read(dp) & CS_CDBGPWRUPACK)) {
		/*
		 * AP access without CDBGPWRUPACK is UNPREDICTABLE in ADIv5; chosen
		 * here (UNCONFIRMED for STM32): it faults, which is the harder case
		 * for a tool that forgets the power-up handshake.
		 */
		ap_fault(dp, apsel, offset, "debug power not acknowledged");
		return 0;
	}
	if (ap->enabled && !ap->enabled(ap->chip_ctx)) {
		ap_fault(dp, apsel, offset, "AP disabled");
		return 0;
	}
	sim_bus_result r = read ? ap->ops->read_reg(ap, offset, &result) : ap->ops->write_reg(ap, offset, value);

	if (r != SIM_BUS_OK) {
		ap_fault(dp, apsel, offset, "bus fault");
		result = 0;
	} else if (!read && ap->busy_until && ap->busy_until(ap->chip_ctx) > sim_now_us()) {
		dp->stalled_ap = ap; /* accepted, but the bus has not finished it: the next scans WAIT */
	}
	sim_log_trace("jtag-dp: AP%u %s 0x%02x = 0x%08x", apsel, read ? "read" : "write", offset,
		      read ? result : value);
	return read ? result : 0;
}

/*
 * ABORT through the JTAG ABORT instruction.  Only DAPABORT exists there: the
 * STKCMPCLR/STKERRCLR/WDERRCLR/ORUNERRCLR bits are "implemented on SW-DP
 * only; on a JTAG-DP this bit is Reserved, SBZ" (Arm CoreSight DAP TRM
 * DDI 0314H, ABORT register).  So over JTAG the sticky flags can only be
 * cleared by writing 1 to them in CTRL/STAT, as OpenOCD does; a tool that
 * relies on ABORT here would stay stuck on silicon, and does so here too.
 */
static void do_abort(jtag_dp *dp, uint32_t value)
{
	/* DAPABORT: the DP stops waiting for a stalled write (which the flash still completes). */
	if ((value & ABORT_DAPABORT) && dp->stalled_ap) {
		sim_log_info("jtag-dp: DAPABORT while an AP write was stalled: the DP answers again");
		dp->stalled_ap = NULL;
	}
	if (value & ~ABORT_DAPABORT)
		sim_log_guest_error("jtag-dp: ABORT 0x%08x sets bits that are reserved (SBZ) on a JTAG-DP; "
				    "sticky flags are cleared through CTRL/STAT", value);
	sim_log_trace("jtag-dp: ABORT 0x%08x", value);
}

static void dpacc_update(jtag_dp *dp, bool ap, uint64_t scan)
{
	bool read = scan & 1u;
	unsigned a32 = (unsigned)((scan >> 1) & 3u) << 2;
	uint32_t data = (uint32_t)(scan >> 3);
	uint32_t result = 0;

	if (ap) {
		result = ap_access(dp, a32, read, data);
		if (read)
			dp->rdbuff = result;
	} else if (read) {
		result = dp_read(dp, a32);
		sim_log_trace("jtag-dp: DP read 0x%x = 0x%08x", a32, result);
	} else {
		dp_write(dp, a32, data);
		sim_log_trace("jtag-dp: DP write 0x%x = 0x%08x", a32, data);
	}
	dp->last_result = ((uint64_t)result << 3) | ACK_OK_FAULT;
}

/* ---------------------------------------------------------- TAP glue -- */

static unsigned dp_dr_length(void *ctx, uint32_t ir)
{
	return (ir == IR_ABORT || ir == IR_DPACC || ir == IR_APACC) ? DPACC_SCAN_LEN : 0;
}

/* Is the AP transaction of an earlier scan still in progress? */
static bool transaction_in_progress(jtag_dp *dp)
{
	if (dp->stalled_ap && dp->stalled_ap->busy_until(dp->stalled_ap->chip_ctx) <= sim_now_us())
		dp->stalled_ap = NULL;
	return dp->stalled_ap != NULL;
}

static uint64_t dp_capture_dr(void *ctx, uint32_t ir)
{
	jtag_dp *dp = ctx;

	dp->scan_waits = (ir == IR_DPACC || ir == IR_APACC) && transaction_in_progress(dp);
	if (dp->scan_waits)
		return (dp->last_result & ~(uint64_t)7u) | ACK_WAIT;
	/* What the ABORT scan captures is UNKNOWN in ADIv5: show the posted result. */
	return dp->last_result;
}

/* A WAITed scan: its request never happens; with overrun detection the WAIT is remembered. */
static void discard_waited_scan(jtag_dp *dp)
{
	dp->scan_waits = false;
	dp->waits++;
	if (dp->ctrl_stat & CS_ORUNDETECT)
		dp->ctrl_stat |= CS_STICKYORUN;
	sim_log_trace("jtag-dp: WAIT (AP write still in progress), request discarded");
}

static void dp_update_dr(void *ctx, uint32_t ir, uint64_t value)
{
	jtag_dp *dp = ctx;

	if (ir == IR_ABORT) {
		if ((value & 7u) != 0)
			sim_log_guest_error("jtag-dp: ABORT scan with A/RnW bits 0x%x (must be 0)",
					    (unsigned)(value & 7u));
		else
			do_abort(dp, (uint32_t)(value >> 3));
		return;
	}
	if (dp->scan_waits) {
		discard_waited_scan(dp);
		return;
	}
	dpacc_update(dp, ir == IR_APACC, value);
}

void jtag_dp_tap_desc(jtag_dp *dp, jtag_tap_desc *out)
{
	memset(out, 0, sizeof(*out));
	out->name = "cpu";
	out->irlen = 4;
	out->idcode = dp->cfg.idcode;
	out->ir_capture = 0x1;
	out->ir_idcode = IR_IDCODE;
	out->dr_length = dp_dr_length;
	out->capture_dr = dp_capture_dr;
	out->update_dr = dp_update_dr;
	out->ctx = dp;
}
