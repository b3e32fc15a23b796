/*
 * The only place in the module that evaluates OpenOCD commands.
 *
 * Everything reaches the chip through stock OpenOCD 0.12 Tcl commands:
 *   `<dap> dpreg REG [VALUE]`, `<dap> apreg AP REG [VALUE]`,
 *   `<mem_ap target> read_memory ADDR 32 COUNT` / `write_memory ADDR 32 LIST`
 *   (one command per block, never one Tcl call per word),
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

ub_err ocd_srst(ocd_bridge *b, bool assert);
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
