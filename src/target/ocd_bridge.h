/*
 * The only place in the module that evaluates OpenOCD commands.
 *
 * Everything reaches the chip through stock OpenOCD 0.12 Tcl commands:
 *   `<dap> dpreg REG [VALUE]`, `<dap> apreg AP REG [VALUE]`,
 *   `<mem_ap target> read_memory ADDR 32 COUNT` / `write_memory ADDR 32 LIST`
 *   (one command per block, never one Tcl call per word), `write_memory ADDR 16 LIST`,
 *   `<dap> apsel N` + `<dap> apcsw VALUE MASK` (the CSW bits of one AP's transfers),
 *   `adapter assert srst` / `adapter deassert srst`, `sleep MS`.
 * The Tcl side (tcl/stm32unbrick/module.tcl) tells the bridge the DAP name and
 * which mem_ap target serves which access port.
 */
#ifndef STM32UNBRICK_OCD_BRIDGE_H
#define STM32UNBRICK_OCD_BRIDGE_H

#include <jim.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"

#define UB_MAX_AP 4
#define UB_NAME_MAX 96

typedef struct ocd_bridge {
	Jim_Interp *interp;
	char dap[UB_NAME_MAX];              /* e.g. "stm32h7x.dap" */
	char memap[UB_MAX_AP][UB_NAME_MAX]; /* mem_ap target per AP, "" when none */
	unsigned long commands;             /* OpenOCD commands evaluated (each is >= 1 queue flush) */
} ocd_bridge;

/* Typed access-port number, distinct from register offsets and table indices. */
typedef struct ub_ap { unsigned num; } ub_ap;
static inline ub_ap ub_ap_num(unsigned n) { ub_ap a = { n }; return a; }

void ocd_bridge_init(ocd_bridge *b, Jim_Interp *interp);
ub_err ocd_bridge_set_dap(ocd_bridge *b, const char *dap);
ub_err ocd_bridge_set_memap(ocd_bridge *b, ub_ap ap, const char *target);

ub_err ocd_dp_read(ocd_bridge *b, uint32_t reg, uint32_t *value);
ub_err ocd_dp_write(ocd_bridge *b, uint32_t reg, uint32_t value);
ub_err ocd_ap_read(ocd_bridge *b, ub_ap ap, uint32_t reg, uint32_t *value);
ub_err ocd_ap_write(ocd_bridge *b, ub_ap ap, uint32_t reg, uint32_t value);

/* 32-bit words; `count` words in one OpenOCD command (addr 4-byte aligned). */
ub_err ocd_mem_read(ocd_bridge *b, ub_ap ap, uint32_t addr, uint32_t *words, size_t count);
ub_err ocd_mem_write(ocd_bridge *b, ub_ap ap, uint32_t addr, const uint32_t *words, size_t count);
static inline ub_err ocd_mem_read32(ocd_bridge *b, ub_ap ap, uint32_t addr, uint32_t *v)
{
	return ocd_mem_read(b, ap, addr, v, 1);
}
static inline ub_err ocd_mem_write32(ocd_bridge *b, ub_ap ap, uint32_t addr, uint32_t v)
{
	return ocd_mem_write(b, ap, addr, &v, 1);
}

/* 16-bit writes, `<mem_ap target> write_memory ADDR 16 LIST` (addr 2-byte aligned, at most 4096
 * half-words per command), for memories programmed only in half-words (STM32H5 OTP, facts B.2). */
ub_err ocd_mem_write16(ocd_bridge *b, ub_ap ap, uint32_t addr, const uint16_t *halves, size_t count);

/*
 * The CSW bits OpenOCD puts into every MEM-AP transfer of one AP (its "CSW pattern"): runs
 * `<dap> apsel N` then `<dap> apcsw VALUE MASK` (OpenOCD 0.12), which changes the pattern only
 * where `mask` has ones.  Example: SPROT, bit 30, 0 = secure and 1 = non-secure transactions on an
 * Armv8-M AHB5-AP (facts B.1).  Size and AddrInc (bits 2:0 and 5:4) are OpenOCD's own and are
 * refused, as are value bits outside the mask.  Leaves the DAP's selected AP (`apsel`) at N.
 */
#define OCD_CSW_SPROT (1u << 30)
ub_err ocd_ap_csw(ocd_bridge *b, ub_ap ap, uint32_t value, uint32_t mask);
/* The CSW pattern of one AP: `<dap> apsel N` then `<dap> apcsw`, which OpenOCD 0.12 answers
 * "AP#0x1 selected, csw 0xa2000000".  Lets a caller put back what it found. */
ub_err ocd_ap_csw_read(ocd_bridge *b, ub_ap ap, uint32_t *value);

/* `<mem_ap target> arp_examine` for one AP: a target created with -defer-examine (an AP that a closed
 * product state may refuse) answers nothing until examined.  UB_ERR_AP when the examination fails. */
ub_err ocd_examine(ocd_bridge *b, ub_ap ap);

/*
 * `<dap> memaccess N`: the idle TCK cycles OpenOCD 0.12 adds after every MEM-AP data access (default 8),
 * time for a slow bus to finish before the next scan; a bus that is still busy makes the DP answer WAIT,
 * which OpenOCD retries.  `previous` (may be NULL) gets the value in force before, so that a caller can put
 * it back.  At most 255 (OpenOCD's limit).
 */
ub_err ocd_memaccess(ocd_bridge *b, unsigned tck, unsigned *previous);

/*
 * Bulk reads and writes (programming, verifying, backups, blank checks) without OpenOCD's idle TCK
 * after each data access: 41 instead of 49 TCK per word.  A flash or SRAM access takes well under
 * 100 ns and one JTAG scan a few microseconds even at 10 MHz, so the access has finished before the
 * next scan; were it not, the DP would answer WAIT, which OpenOCD 0.12 survives only if it does not
 * recur while it replays (testing/tests/e2e/test_flash_queue_h7.py).  ocd_bulk_begin() returns false
 * (and leaves no error) on an adapter without a DAP command (HLA): it then runs at OpenOCD's pace.
 * ocd_bulk_end() puts the previous setting back whatever failed and keeps the first error in *e.
 */
bool ocd_bulk_begin(ocd_bridge *b, unsigned *saved);
void ocd_bulk_end(ocd_bridge *b, bool fast, unsigned saved, ub_err *e);

ub_err ocd_srst(ocd_bridge *b, bool assert);
/* Release NRST without OpenOCD's `adapter srst delay` (0.12 sleeps that long after every
 * `adapter deassert srst`); the delay is put back right after.  For a caller that then polls
 * something the chip answers whatever the state of NRST (the DA mailbox): the chip's own answer
 * ends the wait, and a slow NRST only lengthens it.  If the delay cannot be read or cleared, NRST
 * is released the ordinary way; NRST is released on every path. */
ub_err ocd_srst_release_now(ocd_bridge *b);
/* `poll on|off`: OpenOCD's background target polling (its own cortex_m poll, which would race an
 * attach sequence: it reads DHCSR, re-examines the core and rewrites DEMCR). */
ub_err ocd_poll(ocd_bridge *b, bool on);
/* After the chip lost power or its debug pins, OpenOCD's JTAG and DAP state is stale: re-scan the
 * chain (`jtag arp_init`, JTAG transport only), reconnect the DAP (`dap init`) and examine every
 * configured mem_ap target (`<target> arp_examine`).  Fails while the debug port does not answer. */
ub_err ocd_reinit_dap(ocd_bridge *b);
ub_err ocd_sleep_ms(ocd_bridge *b, unsigned ms);
/* Print a line through OpenOCD's own logger (`echo`), so it lands in its log. */
void ocd_log(ocd_bridge *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
