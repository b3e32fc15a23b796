/*
 * The simulated STM32H5 chip: state shared by chip_h5*.c.  Not for other
 * blocks; the public interface is chip.h (transport, through chip.c) and
 * chip_h5.h (tests).
 *
 * Files:
 *   chip_h5.c        power, reset, JTAG pins, sessions, time, operator actions
 *   chip_h5_build.c  building a chip from a scenario (part, board, firmware, debug port)
 *   chip_h5_parts.c  the part table
 *   chip_h5_cpu.c    the Cortex-M33: boot per product state, the boot ROM, security state, AP1 gating
 *   chip_h5_bus.c    the bus maps of the core and of AP1 (AP0's is dbgmcu_h5.c)
 *   chip_h5_mem.c    SRAMs, system flash, device information, RCC/PWR
 *   chip_h5_state.c  the state JSON
 *
 * Blocks it is made of: flash_h5 (flash, option bytes, product state, OBK,
 * OTP, regressions), da_device (DA mailbox and the ROM's ADAC responder),
 * dbgmcu_h5 (DBGMCU and the system debug APB), cortexm_dbg (Armv8-M debug of
 * the Cortex-M33, cortexm_v8m.c), core_h7 (the scripted execution model the
 * H7's cores use: the M33 runs the same model), jtag_tap/jtag_dp/mem_ap.
 */
#ifndef STM32SIM_CHIP_H5_INTERNAL_H
#define STM32SIM_CHIP_H5_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "chip.h"
#include "chip_family.h"
#include "core_h7.h"
#include "cortexm_dbg.h"
#include "da_device.h"
#include "dbgmcu_h5.h"
#include "flash_h5.h"
#include "jtag_dp.h"
#include "jtag_tap.h"
#include "mem_ap.h"
#include "op_script.h"
#include "scenario.h"

/* ------------------------------------------------------------- parts -- */

typedef enum h5_ram_id { H5_SRAM1, H5_SRAM2, H5_SRAM3, H5_RAM_COUNT } h5_ram_id;

typedef struct h5_ram_desc {
	const char *name;
	uint32_t base;  /* non-secure alias; the secure one is base + 0x10000000 */
	uint32_t size;  /* 0: absent on this line */
} h5_ram_desc;

typedef struct h5_rev {
	const char *name;     /* "X" */
	uint16_t rev_id;      /* 0x1007 */
} h5_rev;

typedef struct h5_line {
	uint16_t dev_id;
	const char *family;   /* for messages */
	const h5_ram_desc *ram; /* H5_RAM_COUNT entries */
	const h5_rev *revs;
	unsigned nrevs;
	const char *default_rev;
	bool trustzone;       /* the Cortex-M33 has the Security Extension (not on the H503) */
	bool sram1_3_rst;     /* OPTSR2 has SRAM1_3_RST (not on the H503) */
} h5_line;

typedef struct h5_part {
	const char *name;     /* "stm32h563zi" */
	const h5_line *line;
	unsigned flash_kib;
	uint16_t package;     /* the PACKAGE word at 0x08FFF80E */
} h5_part;

const h5_part *h5_part_find(const char *name);
const h5_rev *h5_rev_find(const h5_line *line, const char *name);

/* ------------------------------------------------------------- chip -- */

#define H5_REGBLOCK_WORDS (0x400u / 4u)
#define H5_DEVINFO_SIZE 0x100u

/* What the core was started into at the latest reset release (or ROM hand-over). */
typedef enum h5_boot {
	H5_BOOT_NONE,             /* held in reset, unpowered */
	H5_BOOT_USER,             /* the image at NSBOOTADD/SECBOOTADD (core_h7 decides script/idle/lockup) */
	H5_BOOT_BOOTLOADER,       /* BOOT0 high in Open: ST's system bootloader */
	H5_BOOT_ROM_PROVISIONING, /* Provisioning: the ROM never starts user code */
	H5_BOOT_ROM_DA,           /* the ROM found a DA request under reset: it serves the mailbox */
	H5_BOOT_ROM_REGRESSION,   /* a regression runs (or resumes after a reset) */
} h5_boot;

typedef struct h5_chip {
	const sim_chip_family *family; /* must be first: chip.c dispatches through it */
	const h5_part *part;
	uint16_t rev_id;
	const char *rev_name;
	flash_h5 *flash;
	da_device *da;

	jtag_chain chain;
	jtag_dp dp;
	sim_mem_ap ap0, ap1;
	dbgmcu_h5 dbgmcu;
	cortexm_dbg dbg;
	core_h7 core;               /* the Cortex-M33, on the H7 cores' execution model (core_h7.h) */
	fw_script script;
	op_script ops;

	uint8_t *ram[H5_RAM_COUNT];
	uint8_t *sysflash;
	uint8_t devinfo[H5_DEVINFO_SIZE];
	uint32_t rcc[H5_REGBLOCK_WORDS], pwr[H5_REGBLOCK_WORDS];
	bool rcc_logged, pwr_logged;

	/* pins and supply */
	bool powered;
	bool ever_powered;
	bool power_on_pending;
	sim_time_us power_on_at;
	bool srst, trst;
	sim_time_us srst_since;
	bool boot0;

	h5_boot boot;
	sim_time_us ap1_closed_until; /* Provisioning: the ROM keeps AP1 closed for a while after reset */
	sim_time_us ap1_closed_us;    /* ...that long (scenario rom.ap1_closed_ms) */

	unsigned sessions;
	bool wants_disconnect;
	uint64_t system_resets;
	uint64_t power_cycles;
	uint64_t sram_erases;        /* regressions that erased the SRAMs */
	sim_time_us now;
} h5_chip;

static inline h5_chip *h5_of(sim_chip *chip)
{
	return (h5_chip *)(void *)chip;
}

static inline sim_chip *h5_as_sim_chip(h5_chip *chip)
{
	return (sim_chip *)(void *)chip;
}

/* chip_h5.c */
extern const sim_chip_family chip_h5_family;
void h5_sync(h5_chip *chip);
bool h5_debug_alive(const h5_chip *chip);
/* Empty when alive; else "unpowered" or "pins-remapped-to-gpio". */
const char *h5_debug_dead_reason(const h5_chip *chip);
void h5_power_off(h5_chip *chip);
void h5_power_on(h5_chip *chip);
/* A system reset: _assert starts it (NRST, SYSRESETREQ, a reset request), _release ends it. */
void h5_system_reset_assert(h5_chip *chip);
void h5_system_reset_release(h5_chip *chip);
void h5_operator_session(h5_chip *chip);
void h5_operator_flash_event(void *ctx, sim_flash_event ev, sim_flash_phase phase, sim_time_us start,
			     sim_time_us end);

/* chip_h5_build.c */
void chip_h5_destroy(sim_chip *chip);

/* chip_h5_cpu.c */
void h5_cpu_init(h5_chip *chip);
void h5_cpu_power_on(h5_chip *chip);
void h5_cpu_reset_enter(h5_chip *chip);
/* End of a reset: the ROM looks for a DA request, then boots per product state. */
void h5_cpu_reset_release(h5_chip *chip);
/* The ROM's DA session ended with Resume boot: it continues the boot. */
void h5_cpu_da_resume(h5_chip *chip);
/* The DA device authenticated a regression: SRAMs erased, flash regression started. */
void h5_cpu_regression(void *ctx, bool partial);
void h5_cpu_run_until(h5_chip *chip, sim_time_us t);
const char *h5_core_state(const h5_chip *chip);
const char *h5_firmware_name(const h5_chip *chip);
/* AP1 answers at all (product state, the ROM's closed window); _enabled is the DP's hook. */
bool h5_ap1_open(const h5_chip *chip);
bool h5_ap1_enabled(void *ctx);
/* AP1 may make Secure transactions (product state). */
bool h5_ap1_secure_allowed(const h5_chip *chip);

/* chip_h5_bus.c */
sim_bus h5_core_bus(h5_chip *chip);
sim_bus h5_ap1_bus(h5_chip *chip);
bool h5_executable(void *ctx, uint32_t addr);

/* chip_h5_mem.c */
#define H5_SYSFLASH_NS   0x0BF80000u
#define H5_SYSFLASH_S    0x0FF80000u
#define H5_SYSFLASH_SIZE 0x8000u
/* Vector tables the simulator places in system flash (chip_h5_mem.c). */
#define H5_BOOTLOADER_VECTORS H5_SYSFLASH_NS
#define H5_ROM_VECTORS        (H5_SYSFLASH_NS + 0x7000u)
#define H5_DEVINFO_BASE  0x08FFF800u
#define H5_UID_ADDR      0x08FFF800u
int h5_mem_create(h5_chip *chip, char *err, size_t errlen);
void h5_mem_destroy(h5_chip *chip);
void h5_mem_power_on(h5_chip *chip);
/* System reset: SRAMs erased as OPTSR2.SRAM1_3_RST / SRAM2_RST say; RCC and PWR back to 0. */
void h5_mem_system_reset(h5_chip *chip);
void h5_mem_erase_srams(h5_chip *chip);
/* RAM region (either alias) containing addr: offset into it and whether the secure alias was used. */
const h5_ram_desc *h5_ram_region(const h5_chip *chip, uint32_t addr, h5_ram_id *id, uint32_t *off,
				 bool *secure_alias);
void h5_ram_access(h5_chip *chip, h5_ram_id id, bool write, uint32_t off, unsigned size, uint32_t *value);
bool h5_sysflash_contains(uint32_t addr, uint32_t *off, bool *secure_alias);
void h5_sysflash_read(const h5_chip *chip, uint32_t off, unsigned size, uint32_t *value);
bool h5_devinfo_contains(uint32_t addr);
void h5_devinfo_read(const h5_chip *chip, uint32_t addr, unsigned size, uint32_t *value);
/* RCC (0x44020C00) and PWR (0x44020800), either alias: stored, behaviour not modelled. */
bool h5_sysctl_access(h5_chip *chip, bool write, uint32_t addr, unsigned size, uint32_t *value);
void h5_uid_bytes(const h5_chip *chip, uint8_t out[12]);
/* "sram_sha256": SHA-256 of each SRAM's content. */
void h5_mem_write_json(const h5_chip *chip, json_out *j);

/* chip_h5_state.c */
int chip_h5_write_state(sim_chip *chip, const char *path, char *err, size_t errlen);

/* How long the ROM keeps AP1 closed after a reset in Provisioning unless the scenario says. */
#define H5_AP1_CLOSED_DEFAULT_US 20000u

#endif
