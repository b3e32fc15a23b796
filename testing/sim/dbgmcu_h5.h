/*
 * STM32H5 DBGMCU and the system debug APB behind AP0 (facts B.1, B.4).
 *
 * DBGMCU registers (CMSIS-H5 DBGMCU_TypeDef, SVD-H563 reset values):
 *   IDCODE  +0x000 DEV_ID [11:0], REV_ID [31:16]; read-only.
 *   CR      +0x004 DBG_STOP 1, DBG_STANDBY 2, TRACE_IOEN 4, TRACE_EN 5,
 *                  TRACE_MODE [7:6], DCRT 16 (debug credentials reset type);
 *                  other bits reserved: read 0, writes ignored.  Stored:
 *                  low-power debug, trace and credential revocation are not
 *                  modelled by the chip.
 *   APB1LFZR +0x008, APB1HFZR +0x00C, APB2FZR +0x010, APB3FZR +0x014,
 *   AHB1FZR +0x020: freeze registers, every bit stored (which bits exist per
 *                  line is not in the facts sheet: UNCONFIRMED), freezing not
 *                  modelled.
 *   SR      +0x0FC AP_PRESENT [15:0] = 0x3 (AP0, AP1), AP_ENABLED [31:16]:
 *                  bit 16 (AP0) always, bit 17 while AP1 is usable now (the
 *                  chip answers through a callback); read-only.
 *   DBG_AUTH_HOST/DEVICE/ACK +0x100/0x104/0x108: the debug-authentication
 *                  mailbox, handed to the DA device (da_device.h), 32-bit only.
 *   PIDR4..0, CIDR0..3 +0xFD0..0xFFC: SVD reset values: PIDR2 0x0A (JEP106
 *                  ST), the rest of PIDR 0, CIDR 0xB105F00D.
 *
 * Reset: power-on only, the choice made for the H7's DBGMCU (dbgmcu.h): a
 * recovery tool must not rely on NRST clearing the low-power debug bits.
 *
 * Views: the debugger's (AP0, the system debug APB) and the system bus's
 * (0x44024000, for the core and AP1).  The mailbox is the debugger's side of
 * a conversation with the boot ROM: from the system bus its offsets read 0
 * and ignore writes (reported as not modelled: user code talking DA is out
 * of scope).
 *
 * The system debug APB (AP0): the ROM table at 0xE00E0000 (CIDR 0xB105100D,
 * PIDR 0x001A0000 | DEV_ID, facts B.1 for the H503; the part number carries
 * the DEV_ID on every line, UNCONFIRMED beyond the H503) listing DBGMCU at
 * +0x4000, and DBGMCU at both documented debugger addresses 0xE00E4000 and
 * 0xE0044000 (facts B.1 UNCONFIRMED which one is real; the silicon appears
 * to decode only low address bits, so both answer).  Everything else faults.
 */
#ifndef STM32SIM_DBGMCU_H5_H
#define STM32SIM_DBGMCU_H5_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "coresight_id.h"
#include "da_device.h"
#include "sim_common.h"

#define DBGMCU_H5_SYS_BASE   0x44024000u
#define DBGMCU_H5_APB_BASE   0xE00E4000u
#define DBGMCU_H5_APB_ALIAS  0xE0044000u
#define DBGMCU_H5_ROM_BASE   0xE00E0000u
#define DBGMCU_H5_SIZE       0x1000u

#define DBGMCU_H5_IDCODE 0x000u
#define DBGMCU_H5_CR     0x004u
#define DBGMCU_H5_SR     0x0FCu

#define DBGMCU_H5_CR_DBG_STOP    (1u << 1)
#define DBGMCU_H5_CR_DBG_STANDBY (1u << 2)
#define DBGMCU_H5_CR_DCRT        (1u << 16)

#define DBGMCU_H5_FREEZE_REGS 5

typedef struct dbgmcu_h5 {
	uint16_t dev_id;
	uint16_t rev_id;
	uint32_t cr;
	uint32_t freeze[DBGMCU_H5_FREEZE_REGS]; /* APB1LFZR, APB1HFZR, APB2FZR, APB3FZR, AHB1FZR */
	bool freeze_logged;
	da_device *da;                          /* the mailbox's other end; may be NULL in tests */
	bool (*ap1_enabled)(void *ctx);         /* for SR.AP_ENABLED bit 17; NULL: never */
	void *ctx;
} dbgmcu_h5;

void dbgmcu_h5_init(dbgmcu_h5 *d, uint16_t dev_id, uint16_t rev_id, da_device *da,
		    bool (*ap1_enabled)(void *ctx), void *ctx);
void dbgmcu_h5_power_on(dbgmcu_h5 *d);
uint32_t dbgmcu_h5_idcode(const dbgmcu_h5 *d);
uint32_t dbgmcu_h5_sr(const dbgmcu_h5 *d);
/* Offsets within the 4 KiB block; `debugger` selects the view (see above). */
sim_bus_result dbgmcu_h5_read(dbgmcu_h5 *d, bool debugger, uint32_t offset, unsigned size, uint32_t *value);
sim_bus_result dbgmcu_h5_write(dbgmcu_h5 *d, bool debugger, uint32_t offset, unsigned size, uint32_t value);

/* The system debug APB as AP0 masters it; ctx is the dbgmcu_h5. */
sim_bus_result dbgmcu_h5_apb_read(void *ctx, uint32_t addr, unsigned size, uint32_t *value);
sim_bus_result dbgmcu_h5_apb_write(void *ctx, uint32_t addr, unsigned size, uint32_t value);

/* "dbgmcu": idcode, cr, sr, freeze registers (hex strings). */
void dbgmcu_h5_write_json(const dbgmcu_h5 *d, json_out *j);

#endif
