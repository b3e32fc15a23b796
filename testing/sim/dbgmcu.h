/*
 * STM32H7 DBGMCU and the rest of the system debug APB (APB-D, behind AP2).
 *
 * DBGMCU (facts A.1): IDCODE +0x00 (DEV_ID [11:0], REV_ID [31:16]), CR +0x04,
 * freeze registers APB3FZ1 +0x34, APB1LFZ1 +0x3C, APB1HFZ1 +0x44, APB2FZ1
 * +0x4C, APB4FZ1 +0x54 and, on dual-core parts only, their CM4 copies at +4.
 * The same block is seen at 0x5C001000 (system bus, AP0) and 0xE00E1000
 * (APB-D, AP2).  It is reset by power-on only: the sheet does not say so, it
 * is the simulator's choice, made because ST's "debug in low-power modes"
 * settings are documented to survive NRST on the other STM32 families and a
 * recovery tool must not rely on NRST clearing them.
 *
 * APB-D also holds a ROM table (0xE00E0000), the SWO (0xE00E3000), the SWO
 * funnel SWTF (0xE00E4000) and the TPIU (0xE00F5000).  Their behaviour (trace
 * output) is not modelled; their registers store what is written.  The H7A3/
 * B3/B0 (0x480) and H72x/H73x (0x483) have no SWO funnel (comment in OpenOCD's
 * stm32h7x.cfg citing RM0455/RM0468); the cfg writes SWTF_CTRL on every H7
 * and says this does no harm on those parts, so there the SWTF window reads
 * 0 and ignores writes.
 */
#ifndef STM32SIM_DBGMCU_H
#define STM32SIM_DBGMCU_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "coresight_id.h"
#include "sim_common.h"

#define DBGMCU_SYS_BASE  0x5C001000u
#define DBGMCU_APBD_BASE 0xE00E1000u
#define DBGMCU_SIZE      0x1000u

#define APBD_ROM_BASE  0xE00E0000u
#define APBD_SWO_BASE  0xE00E3000u
#define APBD_SWTF_BASE 0xE00E4000u
#define APBD_TPIU_BASE 0xE00F5000u

/* DBGMCU_CR bits (facts A.1). */
#define DBGMCU_CR_DBGSLEEP_D1 (1u << 0)
#define DBGMCU_CR_DBGSTOP_D1  (1u << 1)
#define DBGMCU_CR_DBGSTBY_D1  (1u << 2)
#define DBGMCU_CR_DBGSTOP_D2  (1u << 4) /* dual core: the Cortex-M4's D2 domain */
#define DBGMCU_CR_DBGSTBY_D2  (1u << 5)
#define DBGMCU_CR_DBGSTOP_D3  (1u << 7)
#define DBGMCU_CR_DBGSTBY_D3  (1u << 8)
#define DBGMCU_CR_TRACECLKEN  (1u << 20)
#define DBGMCU_CR_D1DBGCKEN   (1u << 21)
#define DBGMCU_CR_D3DBGCKEN   (1u << 22)

typedef struct dbgmcu {
	uint16_t dev_id;
	uint16_t rev_id;
	bool dual_core;
	uint32_t cr;
	uint32_t freeze[8]; /* APB3FZ1, APB3FZ2, APB1LFZ1, APB1LFZ2, APB1HFZ1, APB1HFZ2, APB2FZ1, APB2FZ2 */
	uint32_t apb4fz[2]; /* APB4FZ1, APB4FZ2 */
} dbgmcu;

void dbgmcu_init(dbgmcu *d, uint16_t dev_id, uint16_t rev_id, bool dual_core);
void dbgmcu_power_on(dbgmcu *d);
uint32_t dbgmcu_idcode(const dbgmcu *d);
/* Offsets within the 4 KiB block; any access size (lanes of the word). */
sim_bus_result dbgmcu_read(dbgmcu *d, uint32_t offset, unsigned size, uint32_t *value);
sim_bus_result dbgmcu_write(dbgmcu *d, uint32_t offset, unsigned size, uint32_t value);

/* The whole APB-D as AP2 sees it: ROM table, DBGMCU, SWO, SWTF, TPIU. */
typedef struct apbd {
	dbgmcu *dbgmcu;
	cs_ident rom_id;
	cs_plain swo, swtf, tpiu;
	bool has_swtf;      /* 0x450 only */
} apbd;

/* With the SWO funnel (0x450); apbd_set_funnel_present() changes that. */
void apbd_init(apbd *a, dbgmcu *d);
void apbd_set_funnel_present(apbd *a, bool present);
void apbd_power_on(apbd *a);
sim_bus_result apbd_read(void *ctx, uint32_t addr, unsigned size, uint32_t *value);
sim_bus_result apbd_write(void *ctx, uint32_t addr, unsigned size, uint32_t value);

void dbgmcu_write_json(const dbgmcu *d, json_out *j);

#endif
