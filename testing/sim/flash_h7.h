/*
 * STM32H7 embedded flash: the register block at 0x52002000 (bank 1 at +0x000,
 * bank 2 at +0x100), the user flash memory (bank 1 at 0x08000000, bank 2 at
 * 0x08100000) and the option bytes behind FLASH_OPTSR/PRAR/SCAR/WPSN/BOOT.
 * Facts: ../shared/facts/stm32-facts.md section A.2-A.4.
 *
 * The three lines differ in data only (flash_h7.c keeps one table row each):
 * 0x450 H74x/H75x (+dual core), 0x480 H7A3/B3/B0, 0x483 H72x/H73x.
 */
#ifndef STM32SIM_FLASH_H7_H
#define STM32SIM_FLASH_H7_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "scenario.h"
#include "sim_common.h"

#define FLASH_H7_REG_BASE  0x52002000u
#define FLASH_H7_REG_SIZE  0x200u
#define FLASH_H7_MEM_BASE  0x08000000u
#define FLASH_H7_BANK2_BASE 0x08100000u

typedef struct flash_h7_part {
	uint16_t dev_id;     /* 0x450, 0x480, 0x483 */
	unsigned size_kib;   /* total user flash, e.g. 2048 for STM32H743xI */
	bool dual_core;      /* H745/H747/H755/H757: BCM4/BCM7, BOOT7/BOOT4 registers */
} flash_h7_part;

typedef struct flash_h7 flash_h7;

flash_h7 *flash_h7_create(const flash_h7_part *part);
void flash_h7_destroy(flash_h7 *f);

/*
 * Scenario keys this block consumes (documented in testing/scenarios/README.md):
 * option-byte fields by reference-manual name (RDP, BOR_LEV, IWDG1_SW, ...,
 * DMEP1, PROT_AREA_START1, PROT_AREA_END1, DMES1, SEC_AREA_START1, ...,
 * WRPSN1, BOOT_ADD0, BOOT_ADD1, BOOT_CM7_ADD0 ..., SWAP_BANK_OPT, SECURITY,
 * BCM4, BCM7) and flash contents (`flash.fill`, `flash.load`, `flash.ecc_error`).
 */
int flash_h7_apply_scenario(flash_h7 *f, scenario *sc, char *err, size_t errlen);

/* Registers: 32-bit accesses at FLASH_H7_REG_BASE + offset; other sizes fault. */
sim_bus_result flash_h7_reg_read(flash_h7 *f, uint32_t offset, uint32_t *value);
sim_bus_result flash_h7_reg_write(flash_h7 *f, uint32_t offset, uint32_t value);
/* User flash memory, any size, absolute address in 0x08000000..0x081FFFFF. */
sim_bus_result flash_h7_mem_read(flash_h7 *f, uint32_t addr, unsigned size, uint32_t *value);
sim_bus_result flash_h7_mem_write(flash_h7 *f, uint32_t addr, unsigned size, uint32_t value);
bool flash_h7_is_mem(const flash_h7 *f, uint32_t addr);

/*
 * RDP level 1 blocks user-flash access while a debugger is (or has been since
 * power-on) connected, or after boot from RAM/system memory.  The chip says so.
 */
void flash_h7_set_intrusion(flash_h7 *f, bool intrusion);

/* Resets.  A system reset (NRST, SYSRESETREQ) interrupts whatever is running. */
void flash_h7_system_reset(flash_h7 *f);
/*
 * The same at simulated time `at` (an operator fault fired at an exact
 * instant); `at` earlier than the block's latest update counts as that update.
 */
void flash_h7_system_reset_at(flash_h7 *f, sim_time_us at);
void flash_h7_power_on(flash_h7 *f);
/*
 * While the chip runs its cores up to simulated time `t`, their bus accesses happen at `t`, not at
 * the host clock's now (which may be later: an operator fault due at `t` must find the flash as
 * it was then).  0 unpins.
 */
void flash_h7_pin_time(flash_h7 *f, sim_time_us t);
/* Complete operations whose busy time has elapsed. */
void flash_h7_update(flash_h7 *f, sim_time_us now);
/*
 * 0, or the simulated time until which a bus write is stalled: it completed a
 * flash word while one word was being programmed and one queued, and finishes
 * when the running one ends (RM0433 flash chapter: a write with the queue full
 * stalls the bus; facts A.2 SR.QW).  The DP answers WAIT until then.
 */
sim_time_us flash_h7_bus_stalled_until(const flash_h7 *f);
/* How many bus writes have stalled so (state JSON). */
uint64_t flash_h7_bus_stalls(const flash_h7 *f);
/* The next time an operation ends (and a queued one may start), UINT64_MAX when idle. */
sim_time_us flash_h7_next_change(const flash_h7 *f);
/*
 * Who hears about operations starting and completing (sim_flash_listener,
 * sim_common.h): word programs, sector/bank/mass erases, accepted option
 * changes (OPTSTART; an RDP regression is one option change).  NULL: nobody.
 */
void flash_h7_set_listener(flash_h7 *f, sim_flash_listener fn, void *ctx);

/* What the rest of the chip needs to know (current, i.e. _CUR, values). */
uint32_t flash_h7_optsr_cur(const flash_h7 *f);
uint8_t flash_h7_rdp(const flash_h7 *f);
/* Boot address selected by the BOOT0 pin for a core (0 = Cortex-M7, 1 = Cortex-M4). */
uint32_t flash_h7_boot_address(const flash_h7 *f, unsigned core, bool boot0_pin);
bool flash_h7_busy(const flash_h7 *f);
/* Total simulated microseconds spent busy (erase, program, option change). */
sim_time_us flash_h7_busy_total_us(const flash_h7 *f);

/*
 * State JSON: adds "rdp", "option_bytes" (register name -> value, e.g.
 * "OPTSR_CUR", "PRAR_CUR1", ...), "option_fields" (field name -> value),
 * "flash_sha256" ({"bank1": ..., "bank2": ...}), "flash" (per bank: erased
 * flag, programmed and ECC-corrupt flash-word counts) to the current object.
 */
void flash_h7_write_json(const flash_h7 *f, json_out *j);

#endif
