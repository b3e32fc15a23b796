/*
 * The simulated STM32H7 chip: state shared by chip_h7*.c.  Not for other
 * blocks; the public interface is chip.h (transport) and chip_h7.h (tests).
 *
 * Files:
 *   chip_h7.c          power and reset logic, JTAG pins, sessions, time
 *   chip_h7_build.c    building a chip from a scenario (part, board, firmware, debug blocks)
 *   chip_h7_cpu.c      the cores: boot, clock gating (BCM4/BCM7, RCC_GCR), hooks, AP enables
 *   chip_h7_sysctl.c   RCC and SYSCFG as far as the cores need them (RCC_GCR, SYSCFG_UR1)
 *   chip_h7_parts.c    the part table
 *   chip_h7_mem.c      memories: SRAMs, system memory, device information
 *   chip_h7_bus.c      the bus maps of the cores and of AP0, AP1, AP3
 *   chip_h7_operator.c operator actions (`operator.step`)
 *   chip_h7_state.c    the state JSON
 */
#ifndef STM32SIM_CHIP_H7_INTERNAL_H
#define STM32SIM_CHIP_H7_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "chip.h"
#include "chip_family.h"
#include "core_h7.h"
#include "cortexm_dbg.h"
#include "dbgmcu.h"
#include "flash_h7.h"
#include "jtag_dp.h"
#include "jtag_tap.h"
#include "mem_ap.h"
#include "op_script.h"
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
	bool executable;  /* the M7 can fetch from it */
	bool d3;          /* in the D3 domain: reachable through AP1 */
} h7_ram_desc;

typedef struct h7_rev {
	const char *name;     /* "V" */
	uint16_t rev_id;      /* 0x2003 */
	uint8_t bootloader;   /* system bootloader ID these parts ship with (AN2606 ID byte, e.g. 0x90) */
} h7_rev;

/* The system bootloader versions of a line (ST AN2606, Table 3 and the line's version table). */
typedef struct h7_bootloaders {
	uint32_t id_addr;             /* where the ID byte sits in system memory */
	uint32_t entry;               /* "bootloader start address": its own vector table */
	const uint8_t *ids;           /* every ID AN2606 lists for the line */
	unsigned nids;
	const uint8_t *locks_cr3;     /* IDs whose code writes PWR_CR3 with a word store (locks it) */
	unsigned nlocks;
} h7_bootloaders;

typedef struct h7_line {
	uint16_t dev_id;
	const char *family;          /* for messages */
	const h7_ram_desc *ram;      /* H7_RAM_COUNT entries */
	const h7_rev *revs;
	unsigned nrevs;
	const char *default_rev;
	uint32_t cpuid;              /* the Cortex-M7 */
	uint32_t sysmem_size;        /* system memory at 0x1FF00000 */
	uint32_t uid_addr, flash_size_addr;
	const h7_bootloaders *bootloaders;
	bool has_ap1;                /* the D3/SRD AHB-AP */
	bool has_swo_funnel;
} h7_line;

typedef struct h7_part {
	const char *name;            /* "stm32h743zi" */
	const h7_line *line;
	unsigned flash_kib;
	bool smps;                   /* SMPS supply variant (PWR_CR3 SMPS layout) */
	bool dual_core;              /* Cortex-M4 on AP3, BCM4/BCM7 */
} h7_part;

const h7_part *h7_part_find(const char *name);
/* Comma-separated list of every part name, for the "unknown part" error. */
void h7_part_list(char *buf, size_t len);
const h7_rev *h7_rev_find(const h7_line *line, const char *name);
bool h7_bootloader_known(const h7_line *line, uint8_t id);
bool h7_bootloader_locks_cr3(const h7_line *line, uint8_t id);

/* ------------------------------------------------------------- chip -- */

#define H7_REGBLOCK_WORDS (0x400u / 4u)

typedef enum h7_cpu_id { H7_CM7 = 0, H7_CM4 = 1, H7_CPU_COUNT } h7_cpu_id;

/* One core with its debug registers, execution model and AHB-AP (AP0 for the M7, AP3 for the M4). */
typedef struct h7_cpu {
	sim_chip *chip;
	h7_cpu_id id;
	bool present;                 /* the M4 exists on dual-core parts only */
	bool gated;                   /* clock gated: BCMx = 0 at the last reset, not released since */
	cortexm_dbg dbg;
	core_h7 core;
	sim_mem_ap ap;
} h7_cpu;

struct sim_chip {
	const sim_chip_family *family; /* must be first: chip.c dispatches through it */
	const h7_part *part;
	uint16_t rev_id;
	const char *rev_name;
	uint8_t bootloader_id;
	flash_h7 *flash;

	jtag_chain chain;
	jtag_dp dp;
	h7_cpu cpu[H7_CPU_COUNT];
	sim_mem_ap ap1, ap2;
	dbgmcu dbgmcu;
	apbd apbd;
	pwr_h7 pwr;
	fw_script script;
	op_script ops;

	uint8_t *ram[H7_RAM_COUNT];
	h7_ram_id ram_hint;           /* the region chip_ram_region() found last: tried first */
	uint8_t *sysmem;
	uint8_t *devinfo;             /* 0x480: UID and flash size outside system memory, else NULL */
	uint32_t devinfo_base;
	uint32_t rcc[H7_REGBLOCK_WORDS], syscfg[H7_REGBLOCK_WORDS];
	bool rcc_logged, syscfg_logged;
	uint32_t ur1;                 /* SYSCFG_UR1 copy of BCM4/BCM7 loaded at the last reset */

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
	/* Until then a debugger's access to the flash waits behind a stalled write (its own or a core's):
	 * the JTAG-DP answers WAIT (chip_bus_stalled_until). */
	sim_time_us ap_busy_until;
	bool debugger_seen;
	bool booted_non_flash;

	unsigned sessions;
	bool wants_disconnect;
	uint64_t system_resets;
	uint64_t power_cycles;
	sim_time_us now;              /* time of the latest synchronisation */
};

/* chip_h7.c */
extern const sim_chip_family chip_h7_family;
void chip_sync(sim_chip *chip);
bool chip_debug_alive(const sim_chip *chip);
const char *chip_debug_dead_reason(const sim_chip *chip);
void chip_power_off(sim_chip *chip);
void chip_power_on(sim_chip *chip);
void chip_update_intrusion(sim_chip *chip);
/* NRST asserted / SYSRESETREQ: a system reset starts; _release ends it (option load, boot). */
void chip_system_reset_assert(sim_chip *chip);
void chip_system_reset_release(sim_chip *chip);

/* chip_h7_build.c: chip_h7_create() (declared in chip_family.h) and */
void chip_h7_destroy(sim_chip *chip);

/* chip_h7_cpu.c */
void chip_cpus_init(sim_chip *chip);
void chip_cpus_power_on(sim_chip *chip);
void chip_cpus_reset_enter(sim_chip *chip);
/* End of a system reset: option bytes loaded, each core boots unless its clock is gated. */
void chip_cpus_reset_release(sim_chip *chip);
/* RCC_GCR.BOOT_C1/BOOT_C2 set: start a gated core. */
void chip_cpu_release_gate(sim_chip *chip, h7_cpu_id id);
void chip_cpus_run_until(sim_chip *chip, sim_time_us t, bool can_run);
bool chip_cpu_pins_gpio(const sim_chip *chip);
const char *chip_cpu_state(const sim_chip *chip, h7_cpu_id id);
bool chip_ap0_enabled(void *ctx);
bool chip_ap3_enabled(void *ctx);
bool chip_aps_enabled(void *ctx);

/* chip_h7_sysctl.c: RCC and SYSCFG registers; offsets inside the 1 KiB blocks. */
void chip_sysctl_reset(sim_chip *chip);
sim_bus_result chip_rcc_access(sim_chip *chip, bool write, uint32_t off, unsigned size, uint32_t *value);
sim_bus_result chip_syscfg_access(sim_chip *chip, bool write, uint32_t off, unsigned size, uint32_t *value);

/* chip_h7_mem.c */
int chip_mem_create(sim_chip *chip, char *err, size_t errlen);
void chip_mem_destroy(sim_chip *chip);
void chip_mem_power_on(sim_chip *chip);
bool chip_is_system_memory(uint32_t addr);
/* RAM region containing addr (SRAM aliases of dual-core parts resolved), NULL if none. */
const h7_ram_desc *chip_ram_region(sim_chip *chip, uint32_t *addr, h7_ram_id *id);
void chip_ram_access(sim_chip *chip, h7_ram_id id, bool write, uint32_t off, unsigned size, uint32_t *value);
/* System memory and the device-information block (0x480): read-only, false outside them. */
bool chip_rom_read(sim_chip *chip, uint32_t addr, unsigned size, uint32_t *value);
bool chip_rom_contains(const sim_chip *chip, uint32_t addr);

/* chip_h7_bus.c */
sim_bus chip_core_bus(sim_chip *chip, h7_cpu_id id);
sim_bus chip_ap_bus(sim_chip *chip, unsigned ap);
/* chip_h7_build.c: until when a debugger's MEM-AP transaction waits (ap.h busy_until), and until
 * when a core's next bus access waits (core_h7_env.bus_stalled_until). */
sim_time_us chip_ap_busy_until(void *ctx);
sim_time_us chip_bus_stalled_until(void *ctx);
bool chip_executable_cm7(void *ctx, uint32_t addr);
bool chip_executable_cm4(void *ctx, uint32_t addr);
uint8_t *chip_ram_window_cm7(void *ctx, uint32_t addr, uint32_t *base, uint32_t *size);
uint8_t *chip_ram_window_cm4(void *ctx, uint32_t addr, uint32_t *base, uint32_t *size);

/* chip_h7_operator.c */
/* Earliest time a time-driven operator step fires, UINT64_MAX when none is armed. */
sim_time_us chip_operator_next_time(const sim_chip *chip);
void chip_operator_fire_due(sim_chip *chip, sim_time_us t);
void chip_operator_session(sim_chip *chip);
/* The flash block's listener (sim_flash_listener): counts events for `during` / `after_op` steps. */
void chip_operator_flash_event(void *ctx, sim_flash_event ev, sim_flash_phase phase, sim_time_us start,
			       sim_time_us end);

/* chip_h7_state.c */
void chip_write_json(sim_chip *chip, json_out *j);
int chip_h7_write_state(sim_chip *chip, const char *path, char *err, size_t errlen);

#endif
