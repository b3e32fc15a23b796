/*
 * ADIv5 JTAG-DP (the JTAG side of the STM32 SWJ-DP).
 *
 * Instructions (IR 4 bits): ABORT 0x8, DPACC 0xA, APACC 0xB, IDCODE 0xE,
 * BYPASS 0xF; others select BYPASS.  DPACC/APACC/ABORT scan 35 bits:
 * in  = data[34:3] | A[3:2] in [2:1] | RnW in [0]
 * out = previous result[34:3] | ACK[2:0]: OK/FAULT 0b010, or WAIT 0b001 while
 *       an AP write is still in progress on its bus (sim_ap.busy_until: a flash
 *       write stalled behind a full queue).  A WAITed scan's request is
 *       discarded; with CTRL/STAT.ORUNDETECT set the WAIT also sets STICKYORUN,
 *       and AP accesses are then discarded (OK, nothing done) until it is
 *       cleared, so a tool that replays everything from the WAITed scan on,
 *       as OpenOCD does, never has an access performed twice (ADIv5 JTAG-DP,
 *       overrun detection).  ABORT.DAPABORT ends the WAIT; the write already
 *       handed to the flash still completes (UNCONFIRMED).
 * Reads are posted: a scan returns the result of the previous transaction;
 * DP RDBUFF returns the last AP read result without starting an access.
 * CTRL/STAT: CDBGPWRUPREQ/CSYSPWRUPREQ are acknowledged when the chip says
 * the debug domain is powered; STICKYERR (bit 5) is set by a faulting AP
 * access, and while it is set further AP accesses are discarded (reads return
 * 0) until it is cleared by writing 1 to it in CTRL/STAT.  On a JTAG-DP the
 * ABORT register only has DAPABORT: its STKERRCLR..ORUNERRCLR bits are SW-DP
 * only (Arm CoreSight DAP TRM), so writing them is a guest error and clears
 * nothing.  STICKYORUN/STICKYCMP likewise clear through CTRL/STAT.
 * SELECT: APSEL[31:24], APBANKSEL[7:4], DPBANKSEL[3:0] (DPv1+ banks of
 * register 0x4: 0 CTRL/STAT, 1 DLCR, 2 TARGETID, 3 DLPIDR, 4 EVENTSTAT).
 * DP register 0x0 reads DPIDR.
 */
#ifndef STM32SIM_JTAG_DP_H
#define STM32SIM_JTAG_DP_H

#include <stdbool.h>
#include <stdint.h>

#include "ap.h"
#include "jtag_tap.h"

#define JTAG_DP_MAX_AP 8

typedef struct jtag_dp_config {
	uint32_t idcode;   /* TAP IDCODE, 0x6BA00477 on H7, 0x0BA04477 on H5 */
	uint32_t dpidr;    /* DP register 0x0, 0x6BA02477 on H7 */
	uint32_t targetid; /* DPv2 bank 2 */
	uint32_t dlpidr;   /* DPv2 bank 3 */
} jtag_dp_config;

typedef struct jtag_dp_hooks {
	/* Is the debug power domain able to acknowledge a power-up request? */
	bool (*domain_powered)(void *ctx);
	/* CDBGPWRUPREQ / CSYSPWRUPREQ changed (the chip notes "a debugger is attached"). */
	void (*powerup_request)(void *ctx, bool cdbg, bool csys);
	void *ctx;
} jtag_dp_hooks;

typedef struct jtag_dp {
	jtag_dp_config cfg;
	jtag_dp_hooks hooks;
	sim_ap *aps[JTAG_DP_MAX_AP];
	uint32_t ctrl_stat;
	uint32_t select;
	uint32_t rdbuff;          /* result of the last AP read */
	uint64_t last_result;     /* shifted out by the next DPACC/APACC scan */
	uint64_t ap_transactions;
	uint64_t ap_faults;
	sim_ap *stalled_ap;       /* its last write may still be in progress */
	bool scan_waits;          /* this scan captured WAIT: its request is discarded */
	uint64_t waits;           /* WAIT acknowledges given */
} jtag_dp;

void jtag_dp_init(jtag_dp *dp, const jtag_dp_config *cfg, const jtag_dp_hooks *hooks);
void jtag_dp_set_ap(jtag_dp *dp, unsigned apsel, sim_ap *ap);
/* Power-on reset of the debug domain: CTRL/STAT, SELECT, sticky flags cleared. */
void jtag_dp_reset(jtag_dp *dp);
/* Fill in a TAP description (name "cpu", irlen 4, capture 0x1) that routes to this DP. */
void jtag_dp_tap_desc(jtag_dp *dp, jtag_tap_desc *out);

#endif
