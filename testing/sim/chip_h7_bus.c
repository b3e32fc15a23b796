/*
 * STM32H7 memories and bus maps (facts A.1).
 *
 * Three masters see the system:
 *  - the core (its own view, used by the execution model),
 *  - AP0, the M7's AHB-AP: the PPB (debug registers) plus the system as the
 *    M7 sees it.  Under NRST the AXI path is unavailable: every system access
 *    faults while PPB accesses still answer (Armv7-M: the debug logic is
 *    reset by power-on only; ST's "connect under reset" depends on it).  In
 *    Stop/Standby without DBGMCU_CR.DBGSTOP_D1/DBGSTBY_D1 the whole AP0 bus,
 *    debug registers included, faults;
 *  - AP1, the D3-domain AHB-AP: SRAM4, backup SRAM, SYSCFG, RCC and PWR.  It
 *    faults under NRST (UNCONFIRMED, the choice that is harder on a recovery
 *    tool) and in Stop/Standby without DBGSTOP_D3/DBGSTBY_D3.
 * Unmapped addresses fault (the simulated bus matrix's decode error).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chip_h7_internal.h"

#define SYSMEM_BASE   0x1FF00000u
#define FLASH_REG_END (FLASH_H7_REG_BASE + FLASH_H7_REG_SIZE)
#define RCC_BASE      0x58024400u
#define SYSCFG_BASE   0x58000400u
#define REGBLOCK_SIZE 0x400u

/*
 * The system bootloader's vector table.  ST's bootloader binary is not
 * reproduced: these are the simulator's own values, an SP in AXI SRAM and a
 * Thumb entry point inside system memory.
 */
#define BOOTLOADER_SP 0x24010000u
#define BOOTLOADER_PC 0x1FF00401u

/* UID words (96 bits): arbitrary but fixed, so that runs compare. */
static const uint32_t uid_words[3] = { 0x00480031u, 0x3331510Fu, 0x31383739u };

typedef enum bus_master { MASTER_CORE, MASTER_AP0, MASTER_AP1 } bus_master;

/*
 * SRAM content at power-on: deterministic noise.  Bit 0 of every word is 0 so
 * that a vector table read from uninitialised RAM never yields a Thumb entry
 * point (booting from it locks the core up instead of "running" noise).
 */
static uint32_t power_on_pattern(uint32_t addr)
{
	uint32_t x = addr * 0x9E3779B1u;

	x ^= x >> 15;
	x *= 0x85EBCA77u;
	x ^= x >> 13;
	return x & ~1u;
}

static void fill_pattern(uint8_t *mem, uint32_t base, uint32_t size)
{
	for (uint32_t off = 0; off + 4u <= size; off += 4u) {
		uint32_t w = power_on_pattern(base + off);

		memcpy(mem + off, &w, 4);
	}
}

static void put32(uint8_t *mem, uint32_t off, uint32_t v)
{
	memcpy(mem + off, &v, 4); /* the simulator runs on little-endian hosts, like the target */
}

static void build_system_memory(sim_chip *chip)
{
	const h7_line *line = chip->part->line;

	fill_pattern(chip->sysmem, SYSMEM_BASE, line->sysmem_size);
	put32(chip->sysmem, 0, BOOTLOADER_SP);
	put32(chip->sysmem, 4, BOOTLOADER_PC);
	for (unsigned i = 0; i < 3; i++)
		put32(chip->sysmem, line->uid_addr - SYSMEM_BASE + 4u * i, uid_words[i]);
	/* Flash size in KiB, 16 bits (facts A.1); the upper half reads as unprogrammed. */
	put32(chip->sysmem, line->flash_size_addr - SYSMEM_BASE, 0xFFFF0000u | chip->part->flash_kib);
}

int chip_bus_create(sim_chip *chip, char *err, size_t errlen)
{
	const h7_line *line = chip->part->line;

	for (unsigned i = 0; i < H7_RAM_COUNT; i++) {
		if (line->ram[i].size == 0)
			continue;
		chip->ram[i] = malloc(line->ram[i].size);
		if (!chip->ram[i]) {
			snprintf(err, errlen, "out of memory for %s", line->ram[i].name);
			return -1;
		}
	}
	chip->sysmem = malloc(line->sysmem_size);
	if (!chip->sysmem) {
		snprintf(err, errlen, "out of memory for system memory");
		return -1;
	}
	build_system_memory(chip);
	return 0;
}

void chip_bus_destroy(sim_chip *chip)
{
	for (unsigned i = 0; i < H7_RAM_COUNT; i++)
		free(chip->ram[i]);
	free(chip->sysmem);
}

void chip_bus_system_reset(sim_chip *chip)
{
	/* RCC/SYSCFG reset values are not modelled: they restart from 0. SRAM keeps its content. */
	memset(chip->rcc, 0, sizeof(chip->rcc));
	memset(chip->syscfg, 0, sizeof(chip->syscfg));
	chip->rcc_logged = chip->syscfg_logged = false;
}

void chip_bus_power_on(sim_chip *chip)
{
	const h7_line *line = chip->part->line;

	for (unsigned i = 0; i < H7_RAM_COUNT; i++)
		if (chip->ram[i])
			fill_pattern(chip->ram[i], line->ram[i].base, line->ram[i].size);
	chip_bus_system_reset(chip);
}

bool chip_is_system_memory(uint32_t addr)
{
	return addr >= SYSMEM_BASE && addr - SYSMEM_BASE < 0x20000u;
}

static const h7_ram_desc *ram_region(const sim_chip *chip, uint32_t addr, h7_ram_id *id)
{
	const h7_line *line = chip->part->line;

	for (unsigned i = 0; i < H7_RAM_COUNT; i++) {
		const h7_ram_desc *r = &line->ram[i];

		if (r->size && addr >= r->base && addr - r->base < r->size) {
			*id = (h7_ram_id)i;
			return r;
		}
	}
	return NULL;
}

bool chip_executable(void *ctx, uint32_t addr)
{
	sim_chip *chip = ctx;
	h7_ram_id id;
	const h7_ram_desc *r = ram_region(chip, addr, &id);

	if (r)
		return r->executable;
	return flash_h7_is_mem(chip->flash, addr) ||
	       (chip_is_system_memory(addr) && addr - SYSMEM_BASE < chip->part->line->sysmem_size);
}

static void mem_read(const uint8_t *mem, uint32_t off, unsigned size, uint32_t *value)
{
	uint32_t v = 0;

	memcpy(&v, mem + off, size);
	*value = v;
}

static void mem_write(uint8_t *mem, uint32_t off, unsigned size, uint32_t value)
{
	memcpy(mem + off, &value, size);
}

/* RCC and SYSCFG: registers stored, behaviour (clocks, remaps) not modelled. */
static sim_bus_result plain_block(uint32_t *regs, bool *logged, const char *name, bool write, uint32_t off,
				  unsigned size, uint32_t *value)
{
	uint32_t *w = &regs[off / 4u];

	if (!write) {
		*value = word_lane_extract(*w, off, size);
		return SIM_BUS_OK;
	}
	*w = word_lane_merge(*w, off, size, *value);
	if (!*logged) {
		*logged = true;
		sim_log_unimplemented("%s: +0x%03x = 0x%08x stored, behaviour not modelled", name,
				      (unsigned)(off & ~3u), (unsigned)*w);
	}
	return SIM_BUS_OK;
}

static void check_supply(sim_chip *chip)
{
	if (pwr_h7_supply_fault(&chip->pwr) && !chip->supply_lockout) {
		chip->supply_lockout = true;
		sim_log_info("chip: core domain down (supply lockout): core stopped, debug port dead until power-off");
	}
}

/* Peripherals of the D3 domain: RCC, PWR, SYSCFG (reachable from every master). */
static bool d3_peripheral(sim_chip *chip, bool write, uint32_t addr, unsigned size, uint32_t *value,
			  sim_bus_result *r)
{
	if (addr >= RCC_BASE && addr < RCC_BASE + REGBLOCK_SIZE) {
		*r = plain_block(chip->rcc, &chip->rcc_logged, "rcc", write, addr - RCC_BASE, size, value);
	} else if (addr >= SYSCFG_BASE && addr < SYSCFG_BASE + REGBLOCK_SIZE) {
		*r = plain_block(chip->syscfg, &chip->syscfg_logged, "syscfg", write, addr - SYSCFG_BASE, size, value);
	} else if (addr >= PWR_H7_BASE && addr < PWR_H7_BASE + PWR_H7_SIZE) {
		*r = write ? pwr_h7_write(&chip->pwr, addr - PWR_H7_BASE, size, *value)
			   : pwr_h7_read(&chip->pwr, addr - PWR_H7_BASE, size, value);
		if (write)
			check_supply(chip);
	} else {
		return false;
	}
	return true;
}

/* Blocks only the M7's side of the matrix reaches: flash, system memory, FLASH registers, DBGMCU. */
static bool m7_only(sim_chip *chip, bool write, uint32_t addr, unsigned size, uint32_t *value, sim_bus_result *r)
{
	if (flash_h7_is_mem(chip->flash, addr)) {
		*r = write ? flash_h7_mem_write(chip->flash, addr, size, *value)
			   : flash_h7_mem_read(chip->flash, addr, size, value);
	} else if (chip_is_system_memory(addr) && addr - SYSMEM_BASE < chip->part->line->sysmem_size) {
		if (write) {
			sim_log_guest_error("bus: write 0x%08x to system memory 0x%08x", (unsigned)*value,
					    (unsigned)addr);
			*r = SIM_BUS_FAULT;
		} else {
			mem_read(chip->sysmem, addr - SYSMEM_BASE, size, value);
			*r = SIM_BUS_OK;
		}
	} else if (addr >= FLASH_H7_REG_BASE && addr < FLASH_REG_END) {
		if (size != 4) {
			/* Word registers only (flash_h7.h). */
			sim_log_guest_error("bus: %u-byte access to FLASH register 0x%08x", size, (unsigned)addr);
			*r = SIM_BUS_FAULT;
		} else {
			*r = write ? flash_h7_reg_write(chip->flash, addr - FLASH_H7_REG_BASE, *value)
				   : flash_h7_reg_read(chip->flash, addr - FLASH_H7_REG_BASE, value);
		}
	} else if (addr >= DBGMCU_SYS_BASE && addr < DBGMCU_SYS_BASE + DBGMCU_SIZE) {
		*r = write ? dbgmcu_write(&chip->dbgmcu, addr - DBGMCU_SYS_BASE, size, *value)
			   : dbgmcu_read(&chip->dbgmcu, addr - DBGMCU_SYS_BASE, size, value);
	} else {
		return false;
	}
	return true;
}

/* Backup SRAM under RDP level 1 with intrusion: blocked for debuggers (UNCONFIRMED, facts A.3). */
static bool rdp_blocks(const sim_chip *chip, bus_master m, h7_ram_id id)
{
	return m != MASTER_CORE && id == H7_BKPSRAM && (chip->debugger_seen || chip->booted_non_flash) &&
	       flash_h7_rdp(chip->flash) != 0xAA;
}

static sim_bus_result sys_access(sim_chip *chip, bus_master m, bool write, uint32_t addr, unsigned size,
				 uint32_t *value)
{
	h7_ram_id id;
	const h7_ram_desc *r;
	sim_bus_result res = SIM_BUS_FAULT;

	if ((size != 1 && size != 2 && size != 4) || (addr & (size - 1u))) {
		sim_log_guest_error("bus: unaligned %u-byte access at 0x%08x", size, (unsigned)addr);
		return SIM_BUS_FAULT;
	}
	r = ram_region(chip, addr, &id);
	if (r && (m != MASTER_AP1 || r->d3)) {
		if (rdp_blocks(chip, m, id))
			return SIM_BUS_FAULT;
		if (write)
			mem_write(chip->ram[id], addr - r->base, size, *value);
		else
			mem_read(chip->ram[id], addr - r->base, size, value);
		return SIM_BUS_OK;
	}
	if (d3_peripheral(chip, write, addr, size, value, &res))
		return res;
	if (m != MASTER_AP1 && m7_only(chip, write, addr, size, value, &res))
		return res;
	if (m != MASTER_AP1 && addr >= CM_PPB_BASE && addr <= CM_PPB_END)
		return write ? cortexm_dbg_write(&chip->dbg, addr, size, *value)
			     : cortexm_dbg_read(&chip->dbg, addr, size, value);
	sim_log_guest_error("bus: %s %s of unmapped address 0x%08x", m == MASTER_CORE ? "core" : m == MASTER_AP0 ? "AP0"
			    : "AP1", write ? "write" : "read", (unsigned)addr);
	return SIM_BUS_FAULT;
}

/* Can a debugger reach the D1 (core) domain in the current low-power mode? */
static bool d1_reachable(const sim_chip *chip)
{
	uint32_t cr = chip->dbgmcu.cr;

	switch (chip->core.lp) {
	case CORE_LP_STOP: return cr & DBGMCU_CR_DBGSTOP_D1;
	case CORE_LP_STANDBY: return cr & DBGMCU_CR_DBGSTBY_D1;
	default: return true;
	}
}

static bool d3_reachable(const sim_chip *chip)
{
	uint32_t cr = chip->dbgmcu.cr;

	switch (chip->core.lp) {
	case CORE_LP_STOP: return cr & DBGMCU_CR_DBGSTOP_D3;
	case CORE_LP_STANDBY: return cr & DBGMCU_CR_DBGSTBY_D3;
	default: return true;
	}
}

static sim_bus_result ap0_access(sim_chip *chip, bool write, uint32_t addr, unsigned size, uint32_t *value)
{
	if (!d1_reachable(chip))
		return SIM_BUS_FAULT;
	if (addr >= CM_PPB_BASE && addr <= CM_PPB_END)
		return write ? cortexm_dbg_write(&chip->dbg, addr, size, *value)
			     : cortexm_dbg_read(&chip->dbg, addr, size, value);
	if (chip->srst)
		return SIM_BUS_FAULT; /* AXI path unavailable under NRST (facts A.1) */
	return sys_access(chip, MASTER_AP0, write, addr, size, value);
}

static sim_bus_result ap0_read(void *ctx, uint32_t addr, unsigned size, uint32_t *value)
{
	*value = 0;
	return ap0_access(ctx, false, addr, size, value);
}

static sim_bus_result ap0_write(void *ctx, uint32_t addr, unsigned size, uint32_t value)
{
	return ap0_access(ctx, true, addr, size, &value);
}

static sim_bus_result ap1_access(sim_chip *chip, bool write, uint32_t addr, unsigned size, uint32_t *value)
{
	if (chip->srst || !d3_reachable(chip))
		return SIM_BUS_FAULT;
	return sys_access(chip, MASTER_AP1, write, addr, size, value);
}

static sim_bus_result ap1_read(void *ctx, uint32_t addr, unsigned size, uint32_t *value)
{
	*value = 0;
	return ap1_access(ctx, false, addr, size, value);
}

static sim_bus_result ap1_write(void *ctx, uint32_t addr, unsigned size, uint32_t value)
{
	return ap1_access(ctx, true, addr, size, &value);
}

static sim_bus_result core_read(void *ctx, uint32_t addr, unsigned size, uint32_t *value)
{
	*value = 0;
	return sys_access(ctx, MASTER_CORE, false, addr, size, value);
}

static sim_bus_result core_write(void *ctx, uint32_t addr, unsigned size, uint32_t value)
{
	return sys_access(ctx, MASTER_CORE, true, addr, size, &value);
}

sim_bus chip_core_bus(sim_chip *chip)
{
	return (sim_bus){ .read = core_read, .write = core_write, .ctx = chip };
}

sim_bus chip_ap0_bus(sim_chip *chip)
{
	return (sim_bus){ .read = ap0_read, .write = ap0_write, .ctx = chip };
}

sim_bus chip_ap1_bus(sim_chip *chip)
{
	return (sim_bus){ .read = ap1_read, .write = ap1_write, .ctx = chip };
}
