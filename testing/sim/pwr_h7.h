/*
 * STM32H7 PWR block at 0x58024800 (facts A.5): the supply configuration in
 * PWR_CR3 and the readiness flags that depend on it.
 *
 * The board decides which supply configurations work (`board.supply`): its
 * VCAP / VLXSMPS / VDDLDO wiring supports exactly one configuration.  The
 * reset configuration (LDO on LDO-only parts, LDO + SMPS on SMPS parts) works
 * on every board, so the chip always boots.  Firmware writes CR3 once per
 * power-on: a valid configuration that differs from the wiring removes VCORE
 * regulation (supply fault: the core domain and the debug port die until the
 * next power cycle); an invalid combination is ignored, but the write-once
 * lock engages all the same.
 */
#ifndef STM32SIM_PWR_H7_H
#define STM32SIM_PWR_H7_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "sim_common.h"

#define PWR_H7_BASE 0x58024800u
#define PWR_H7_SIZE 0x400u
#define PWR_H7_CR3  0x0Cu

typedef enum pwr_supply {
	PWR_SUPPLY_LDO,
	PWR_SUPPLY_DIRECT_SMPS,
	PWR_SUPPLY_SMPS_1V8_LDO,
	PWR_SUPPLY_SMPS_2V5_LDO,
	PWR_SUPPLY_SMPS_1V8_EXT_LDO,
	PWR_SUPPLY_SMPS_2V5_EXT_LDO,
	PWR_SUPPLY_SMPS_1V8_EXT_BYPASS,
	PWR_SUPPLY_SMPS_2V5_EXT_BYPASS,
	PWR_SUPPLY_BYPASS,
	PWR_SUPPLY_COUNT,
} pwr_supply;

/* Scenario names ("ldo", "direct_smps", ... "bypass"). */
const char *pwr_supply_name(pwr_supply s);
/* 0 and *out set when `name` is a supply name, -1 otherwise. */
int pwr_supply_parse(const char *name, pwr_supply *out);
/* LDO-only parts can be wired for `ldo` or `bypass` only. */
bool pwr_supply_possible(bool smps_part, pwr_supply s);
/* The CR3 configuration field value for a supply (facts A.5 table). */
uint32_t pwr_supply_cr3_config(pwr_supply s);

typedef struct pwr_h7 {
	bool smps_part;
	pwr_supply board;
	uint32_t regs[PWR_H7_SIZE / 4u]; /* plain registers other than CR3/CSR1 */
	uint32_t cr3;
	bool supply_locked;     /* low byte of CR3 written since power-on */
	bool supply_configured; /* a valid configuration matching the board was applied */
	bool supply_fault;      /* a valid configuration not matching the board was applied */
} pwr_h7;

void pwr_h7_init(pwr_h7 *p, bool smps_part, pwr_supply board);
/* Power-on reset: the only reset that clears CR3 and its lock. */
void pwr_h7_power_on(pwr_h7 *p);
/* NRST / SYSRESETREQ: registers other than CR3 to their reset values. */
void pwr_h7_system_reset(pwr_h7 *p);
/* 32-bit accesses at PWR_H7_BASE + offset; other sizes fault. */
sim_bus_result pwr_h7_read(pwr_h7 *p, uint32_t offset, unsigned size, uint32_t *value);
sim_bus_result pwr_h7_write(pwr_h7 *p, uint32_t offset, unsigned size, uint32_t value);
/*
 * A 32-bit store of CR3's own value, as some versions of ST's system
 * bootloader do (AN2606 lists it as a limitation: the word write engages the
 * write-once lock until the next power-on; e.g. STM32H74x/75x before V9.1).
 * The lock engages; the supply configuration stays the one in force since
 * power-on, so no wiring is upset by it.  No effect once the lock is engaged.
 */
void pwr_h7_write_back_cr3(pwr_h7 *p);
bool pwr_h7_supply_fault(const pwr_h7 *p);
void pwr_h7_write_json(const pwr_h7 *p, json_out *j);

#endif
