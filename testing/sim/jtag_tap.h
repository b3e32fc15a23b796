/*
 * IEEE 1149.1 TAP controllers chained between TDI and TDO.
 *
 * TAPs are added in OpenOCD's declaration order: the first one added is the
 * one nearest TDO (its IDCODE is the first shifted out after Test-Logic-Reset).
 * Each TAP owns an IR of `irlen` bits that captures `ir_capture` and resets to
 * its IDCODE instruction; instructions a TAP does not handle select BYPASS.
 * Data registers are at most 64 bits wide and handled by the owner through
 * callbacks: value captured in Capture-DR, value delivered in Update-DR.
 *
 * Edges: OpenOCD's bitbang driver sets TCK low with new TMS/TDI, samples TDO,
 * then raises TCK.  The chain therefore shifts and moves state on the rising
 * edge and presents the new TDO immediately afterwards (the silicon does so
 * on the falling edge, which OpenOCD cannot tell apart).
 */
#ifndef STM32SIM_JTAG_TAP_H
#define STM32SIM_JTAG_TAP_H

#include <stdbool.h>
#include <stdint.h>

#define JTAG_CHAIN_MAX_TAPS 4

typedef enum jtag_state {
	TAP_RESET, TAP_IDLE,
	TAP_DRSELECT, TAP_DRCAPTURE, TAP_DRSHIFT, TAP_DREXIT1, TAP_DRPAUSE, TAP_DREXIT2, TAP_DRUPDATE,
	TAP_IRSELECT, TAP_IRCAPTURE, TAP_IRSHIFT, TAP_IREXIT1, TAP_IRPAUSE, TAP_IREXIT2, TAP_IRUPDATE,
} jtag_state;

typedef struct jtag_tap_desc {
	const char *name;
	unsigned irlen;         /* 1..32 */
	uint32_t idcode;        /* value of the 32-bit IDCODE register */
	uint32_t ir_capture;    /* captured into IR in Capture-IR (bits [1:0] = 01) */
	uint32_t ir_idcode;     /* instruction selecting IDCODE, loaded at reset */
	/* Width of the DR selected by `ir`, 0 when the owner does not handle it (BYPASS). */
	unsigned (*dr_length)(void *ctx, uint32_t ir);
	uint64_t (*capture_dr)(void *ctx, uint32_t ir);
	void (*update_dr)(void *ctx, uint32_t ir, uint64_t value);
	void *ctx;
} jtag_tap_desc;

typedef struct jtag_tap {
	jtag_tap_desc d;
	uint32_t ir;            /* current instruction */
	uint32_t ir_shift;
	uint64_t dr_shift;
	unsigned dr_len;        /* length of the DR selected at Capture-DR */
} jtag_tap;

typedef struct jtag_chain {
	jtag_tap taps[JTAG_CHAIN_MAX_TAPS];
	unsigned ntaps;
	jtag_state state;
	bool tck;               /* last TCK level, for edge detection */
	bool tdo;
	uint64_t tck_cycles;    /* rising edges */
	uint64_t dr_scans;      /* Update-DR passages */
	uint64_t ir_scans;      /* Update-IR passages */
} jtag_chain;

void jtag_chain_init(jtag_chain *c);
/* Returns the index of the new TAP, or -1 when the chain is full. */
int jtag_chain_add(jtag_chain *c, const jtag_tap_desc *desc);
/* TRST or power-on: Test-Logic-Reset, every IR to its IDCODE instruction. */
void jtag_chain_reset(jtag_chain *c);
void jtag_chain_clock(jtag_chain *c, bool tck, bool tms, bool tdi);
bool jtag_chain_tdo(const jtag_chain *c);
/*
 * Shift-DR or Shift-IR: the next rising edge only moves bits through the chain.  A chip need not
 * bring itself up to date for such an edge (most of a scan); it does before every edge that
 * captures, updates or idles, so what a scan captures and delivers sees the chip as it is.
 */
static inline bool jtag_chain_shifting(const jtag_chain *c)
{
	return c->state == TAP_DRSHIFT || c->state == TAP_IRSHIFT;
}
const char *jtag_state_name(jtag_state s);

#endif
