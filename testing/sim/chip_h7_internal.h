/*
 * The simulated STM32H7 chip: state shared by chip_h7*.c.  Not for other
 * blocks; the public interface is chip.h (transport) and chip_h7.h (tests).
 *
 * Files:
 *   chip_h7.c          build, power and reset logic, JTAG pins, sessions, time
 *   chip_h7_parts.c    the part table
 *   chip_h7_bus.c      memories and the bus maps of AP0, AP1 and the core
 *   chip_h7_operator.c operator actions (`operator.step`)
 *   chip_h7_state.c    the state JSON
 */
#ifndef STM32SIM_CHIP_H7_INTERNAL_H
#define STM32SIM_CHIP_H7_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "chip.h"
#include "core_h7.h"
#include "cortexm_dbg.h"
#include "dbgmcu.h"
#include "flash_h7.h"
#include "jtag_dp.h"
#include "jtag_tap.h"
#include "mem_ap.h"
#include "pwr_h7.h"
#include "scenario.h"

/* ------------------------------------------------------------- parts -- */

typedef enum h7_ram_id {
	H7_ITCM, H7_DTCM, H7_AXI_SRAM, H7_SRAM1, H7_SRAM2, H7_SRAM3, H7_SRAM4, H7_BKPSRAM,
	H7_RAM_COUNT,
} h7_ram_id;

typedef struct h7_ram_desc {
	const char *name;
	uint32_t base;
	uint32_t size;
	bool executable;  /* the M7 can fetch from it (DTCM: data only) */
	bool d3;          /* in the D3 domain: reachable through AP1 */
} h7_ram_desc;

typedef struct h7_rev {
	const char *name; /* "V" */
	uint16_t rev_id;  /* 0x2003 */
} h7_rev;

typedef struct h7_line {
	uint16_t dev_id;
	const char *family;          /* for messages */
	const h7_ram_desc *ram;      /* H7_RAM_COUNT entries */
	const h7_rev *revs;
	unsigned nrevs;
	const char *default_rev;
	uint32_t cpuid;
	uint32_t sysmem_size;        /* system memory at 0x1FF00000 */
	uint32_t uid_addr, flash_size_addr;
	const char *not_modelled;    /* NULL when the simulator models this line faithfully */
} h7_line;

typedef struct h7_part {
	const char *name;            /* "stm32h743zi" */
	const h7_line *line;
	unsigned flash_kib;
	bool smps;                   /* SMPS supply variant (PWR_CR3 SMPS layout) */
	bool dual_core;
	const char *not_modelled;    /* overrides the line's reason (dual core) */
} h7_part;

const h7_part *h7_part_find(const char *name);
/* Comma-separated list of every part name, for the "unknown part" error. */
void h7_part_list(char *buf, size_t len);
const h7_rev *h7_rev_find(const h7_line *line, const char *name);

/* ---------------------------------------------------------- operator -- */

typedef enum op_trigger { OP_TRIGGER_SRST_HELD, OP_TRIGGER_SESSION, OP_TRIGGER_AFTER } op_trigger;
typedef enum op_action_kind {
	OP_POWER_CYCLE, OP_POWER_OFF, OP_POWER_ON, OP_BOOT0, OP_DISCONNECT,
} op_action_kind;

#define OP_MAX_ACTIONS 4
#define OP_MAX_STEPS 32

typedef struct op_step {
	op_trigger trigger;
	uint64_t arg;                 /* duration (us) or session number */
	struct {
		op_action_kind kind;
		uint64_t arg;         /* off duration (us) or BOOT0 level */
	} actions[OP_MAX_ACTIONS];
	unsigned nactions;
	char text[128];               /* for log messages */
} op_step;

typedef struct op_script {
	op_step steps[OP_MAX_STEPS];
	size_t count;
	size_t next;                  /* steps fire once each, in file order */
} op_script;

int op_script_add(op_script *s, const char *value, char *err, size_t errlen);

/* ------------------------------------------------------------- chip -- */

#define H7_REGBLOCK_WORDS (0x400u / 4u)

struct sim_chip {
	const h7_part *part;
	uint16_t rev_id;
	const char *rev_name;
	flash_h7 *flash;

	jtag_chain chain;
	jtag_dp dp;
	sim_mem_ap ap0, ap1, ap2;
	cortexm_dbg dbg;
	core_h7 core;
	dbgmcu dbgmcu;
	apbd apbd;
	pwr_h7 pwr;
	fw_script script;
	op_script ops;

	uint8_t *ram[H7_RAM_COUNT];
	uint8_t *sysmem;
	uint32_t rcc[H7_REGBLOCK_WORDS], syscfg[H7_REGBLOCK_WORDS];
	bool rcc_logged, syscfg_logged;

	/* pins and supply */
	bool powered;
	bool ever_powered;           /* power_cycles counts power-ons after the first */
	bool power_on_pending;
	sim_time_us power_on_at;
	bool srst, trst;
	sim_time_us srst_since;
	bool boot0;
	bool supply_lockout;          /* VCORE lost after a wrong PWR_CR3 write: until power-off */

	/* RDP level 1 intrusion (facts A.3): a debugger since power-on, or a boot from RAM/system memory */
	bool debugger_seen;
	bool booted_non_flash;

	unsigned sessions;
	bool wants_disconnect;
	uint64_t system_resets;
	uint64_t power_cycles;
	sim_time_us now;              /* time of the latest synchronisation */
};

/* chip_h7.c */
void chip_sync(sim_chip *chip);
bool chip_debug_alive(const sim_chip *chip);
const char *chip_debug_dead_reason(const sim_chip *chip);
void chip_power_off(sim_chip *chip);
void chip_power_on(sim_chip *chip);
void chip_update_intrusion(sim_chip *chip);

/* chip_h7_bus.c */
int chip_bus_create(sim_chip *chip, char *err, size_t errlen);
void chip_bus_destroy(sim_chip *chip);
void chip_bus_power_on(sim_chip *chip);
void chip_bus_system_reset(sim_chip *chip);
sim_bus chip_core_bus(sim_chip *chip);
sim_bus chip_ap0_bus(sim_chip *chip);
sim_bus chip_ap1_bus(sim_chip *chip);
bool chip_executable(void *ctx, uint32_t addr);
bool chip_is_system_memory(uint32_t addr);

/* chip_h7_operator.c */
int chip_operator_load(sim_chip *chip, scenario *sc, char *err, size_t errlen);
/* Earliest time a time-driven operator step fires, UINT64_MAX when none is armed. */
sim_time_us chip_operator_next_time(const sim_chip *chip);
void chip_operator_fire_due(sim_chip *chip, sim_time_us t);
void chip_operator_session(sim_chip *chip);

/* chip_h7_state.c */
void chip_write_json(sim_chip *chip, json_out *j);

#endif
