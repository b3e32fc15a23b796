/*
 * STM32H7 bus maps (facts A.1, A.6).
 *
 * Masters:
 *  - the Cortex-M7 and, on dual-core parts, the Cortex-M4 (the execution
 *    model's loads and stores);
 *  - AP0, the M7's AHB-AP: the M7's PPB (debug registers) plus the system as
 *    the M7 sees it;
 *  - AP3 (dual core), the M4's AHB-AP: the M4's PPB plus the system as the M4
 *    sees it;
 *  - AP1, the D3-domain AHB-AP: SRAM4, backup SRAM, SYSCFG, RCC and PWR
 *    (absent on 0x480, chip_h7_parts.c).
 *
 * The M4's view lacks the M7's ITCM and DTCM (they are private to the M7)
 * and system memory: facts A.1/A.6 say the M4 cannot read the flash-size
 * register (OpenOCD's stm32h7x driver skips it on the M4); that the whole of
 * system memory is out of its reach, UID and bootloader ID included, is
 * UNCONFIRMED, chosen as the harder case.  Both cores see the flash, its
 * registers, DBGMCU at 0x5C001000, the D2/D3 SRAMs and peripherals.
 *
 * Under NRST the AXI path is unavailable (facts A.1): AP0's and AP3's system
 * accesses fault while their PPB accesses still answer (Armv7-M: the debug
 * logic is reset by power-on only; ST's "connect under reset" depends on it).
 * AP1 faults under NRST too (UNCONFIRMED, the harder case).  In Stop/Standby
 * a domain's AP faults entirely unless DBGMCU_CR keeps it clocked: D1 (AP0)
 * DBGSTOP_D1/DBGSTBY_D1, D2 (AP3) DBGSTOP_D2/DBGSTBY_D2, D3 (AP1)
 * DBGSTOP_D3/DBGSTBY_D3; D3 enters a low-power mode only once every running
 * core has.  Unmapped addresses fault (the bus matrix's decode error).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chip_h7_internal.h"

#define FLASH_REG_END (FLASH_H7_REG_BASE + FLASH_H7_REG_SIZE)
#define RCC_BASE      0x58024400u
#define SYSCFG_BASE   0x58000400u
#define REGBLOCK_SIZE 0x400u

typedef enum bus_master { MASTER_CM7, MASTER_CM4, MASTER_AP0, MASTER_AP1, MASTER_AP3 } bus_master;

static const char *master_name(bus_master m)
{
	static const char *const names[] = { "M7", "M4", "AP0", "AP1", "AP3" };

	return names[m];
}

/* The Cortex-M4 side of the matrix: the M4 itself and its AHB-AP. */
static bool m4_side(bus_master m)
{
	return m == MASTER_CM4 || m == MASTER_AP3;
}

static bool is_debugger(bus_master m)
{
	return m == MASTER_AP0 || m == MASTER_AP1 || m == MASTER_AP3;
}

static void check_supply(sim_chip *chip)
{
	if (pwr_h7_supply_fault(&chip->pwr) && !chip->supply_lockout) {
		chip->supply_lockout = true;
		sim_log_info("chip: core domain down (supply lockout): cores stopped, debug port dead until power-off");
	}
}

/* Peripherals of the D3 domain: RCC, PWR, SYSCFG (reachable from every master). */
static bool d3_peripheral(sim_chip *chip, bool write, uint32_t addr, unsigned size, uint32_t *value,
			  sim_bus_result *r)
{
	if (addr >= RCC_BASE && addr < RCC_BASE + REGBLOCK_SIZE) {
		*r = chip_rcc_access(chip, write, addr - RCC_BASE, size, value);
	} else if (addr >= SYSCFG_BASE && addr < SYSCFG_BASE + REGBLOCK_SIZE) {
		*r = chip_syscfg_access(chip, write, addr - SYSCFG_BASE, size, value);
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

static sim_bus_result rom_access(sim_chip *chip, bus_master m, bool write, uint32_t addr, unsigned size,
				 uint32_t *value)
{
	if (m4_side(m)) {
		sim_log_guest_error("bus: %s access to 0x%08x: system memory is out of the Cortex-M4's reach",
				    master_name(m), (unsigned)addr);
		return SIM_BUS_FAULT;
	}
	if (write) {
		sim_log_guest_error("bus: write 0x%08x to read-only memory at 0x%08x", (unsigned)*value,
				    (unsigned)addr);
		return SIM_BUS_FAULT;
	}
	chip_rom_read(chip, addr, size, value);
	return SIM_BUS_OK;
}

/*
 * A debugger's access to the flash (array or registers) while a write into it is stalled, its own
 * or a core's, waits until the stall ends: the DP answers WAIT meanwhile.  Whether a register read
 * waits behind a core's stalled write is UNCONFIRMED; waiting is the harder case for a tool.
 */
static void note_debugger_wait(sim_chip *chip, bus_master m, uint32_t addr)
{
	sim_time_us until = flash_h7_bus_stalled_until(chip->flash);
	bool flash = flash_h7_is_mem(chip->flash, addr) || (addr >= FLASH_H7_REG_BASE && addr < FLASH_REG_END);

	if (is_debugger(m) && flash && until > chip->ap_busy_until)
		chip->ap_busy_until = until;
}

/* Blocks behind the cores' side of the matrix: flash, system memory, FLASH registers, DBGMCU. */
static bool core_side(sim_chip *chip, bus_master m, bool write, uint32_t addr, unsigned size, uint32_t *value,
		      sim_bus_result *r)
{
	if (flash_h7_is_mem(chip->flash, addr)) {
		*r = write ? flash_h7_mem_write(chip->flash, addr, size, *value)
			   : flash_h7_mem_read(chip->flash, addr, size, value);
	} else if (chip_rom_contains(chip, addr)) {
		*r = rom_access(chip, m, write, addr, size, value);
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
	note_debugger_wait(chip, m, addr);
	return true;
}

/* Backup SRAM under RDP level 1 with intrusion: blocked for debuggers (UNCONFIRMED, facts A.3). */
static bool rdp_blocks(const sim_chip *chip, bus_master m, h7_ram_id id)
{
	return is_debugger(m) && id == H7_BKPSRAM && (chip->debugger_seen || chip->booted_non_flash) &&
	       flash_h7_rdp(chip->flash) != 0xAA;
}

/* RAM: true when `addr` is RAM this master reaches (result in *res). */
static bool ram_access(sim_chip *chip, bus_master m, bool write, uint32_t addr, unsigned size, uint32_t *value,
		       sim_bus_result *res)
{
	h7_ram_id id;
	uint32_t a = addr;
	const h7_ram_desc *r = chip_ram_region(chip, &a, &id);

	if (!r || (m == MASTER_AP1 && !r->d3))
		return false;
	if (m4_side(m) && (id == H7_ITCM || id == H7_DTCM))
		return false; /* the M7's tightly coupled memories: not on the M4's bus */
	*res = SIM_BUS_FAULT;
	if (rdp_blocks(chip, m, id))
		return true;
	chip_ram_access(chip, id, write, a - r->base, size, value);
	*res = SIM_BUS_OK;
	return true;
}

static sim_bus_result sys_access(sim_chip *chip, bus_master m, bool write, uint32_t addr, unsigned size,
				 uint32_t *value)
{
	sim_bus_result res = SIM_BUS_FAULT;

	if ((size != 1 && size != 2 && size != 4) || (addr & (size - 1u))) {
		sim_log_guest_error("bus: unaligned %u-byte access at 0x%08x", size, (unsigned)addr);
		return SIM_BUS_FAULT;
	}
	/* The regions are disjoint; flash first, as a core reading it is the busiest master. */
	if (m != MASTER_AP1 && core_side(chip, m, write, addr, size, value, &res))
		return res;
	if (ram_access(chip, m, write, addr, size, value, &res))
		return res;
	if (d3_peripheral(chip, write, addr, size, value, &res))
		return res;
	if ((m == MASTER_CM7 || m == MASTER_CM4) && addr >= CM_PPB_BASE && addr <= CM_PPB_END) {
		cortexm_dbg *d = &chip->cpu[m == MASTER_CM7 ? H7_CM7 : H7_CM4].dbg;

		return write ? cortexm_dbg_write(d, addr, size, *value) : cortexm_dbg_read(d, addr, size, value);
	}
	sim_log_guest_error("bus: %s %s of unmapped address 0x%08x", master_name(m), write ? "write" : "read",
			    (unsigned)addr);
	return SIM_BUS_FAULT;
}

/* Is a domain reachable in low-power mode `lp`, given DBGMCU_CR and its two keep-alive bits? */
static bool reachable(const sim_chip *chip, core_lp lp, uint32_t stop_bit, uint32_t stby_bit)
{
	switch (lp) {
	case CORE_LP_STOP: return chip->dbgmcu.cr & stop_bit;
	case CORE_LP_STANDBY: return chip->dbgmcu.cr & stby_bit;
	default: return true;
	}
}

/* D3 sleeps only once every running core sleeps; Stop if any of them is in Stop (the lighter mode). */
static core_lp d3_mode(const sim_chip *chip)
{
	core_lp mode = CORE_LP_NONE;

	for (unsigned i = 0; i < H7_CPU_COUNT; i++) {
		const h7_cpu *c = &chip->cpu[i];

		if (!c->present || c->gated)
			continue;
		if (c->core.lp == CORE_LP_NONE)
			return CORE_LP_NONE;
		if (mode != CORE_LP_STOP)
			mode = c->core.lp;
	}
	return mode;
}

/* AP0 / AP3: the core's own PPB, then the system as that core sees it. */
static sim_bus_result core_ap_access(sim_chip *chip, h7_cpu_id id, bool write, uint32_t addr, unsigned size,
				     uint32_t *value)
{
	h7_cpu *c = &chip->cpu[id];
	bool up = id == H7_CM7 ? reachable(chip, c->core.lp, DBGMCU_CR_DBGSTOP_D1, DBGMCU_CR_DBGSTBY_D1)
			       : reachable(chip, c->core.lp, DBGMCU_CR_DBGSTOP_D2, DBGMCU_CR_DBGSTBY_D2);

	if (!up)
		return SIM_BUS_FAULT;
	if (addr >= CM_PPB_BASE && addr <= CM_PPB_END)
		return write ? cortexm_dbg_write(&c->dbg, addr, size, *value)
			     : cortexm_dbg_read(&c->dbg, addr, size, value);
	if (chip->srst)
		return SIM_BUS_FAULT; /* AXI path unavailable under NRST (facts A.1) */
	return sys_access(chip, id == H7_CM7 ? MASTER_AP0 : MASTER_AP3, write, addr, size, value);
}

static sim_bus_result ap0_read(void *ctx, uint32_t addr, unsigned size, uint32_t *value)
{
	*value = 0;
	return core_ap_access(ctx, H7_CM7, false, addr, size, value);
}

static sim_bus_result ap0_write(void *ctx, uint32_t addr, unsigned size, uint32_t value)
{
	return core_ap_access(ctx, H7_CM7, true, addr, size, &value);
}

static sim_bus_result ap3_read(void *ctx, uint32_t addr, unsigned size, uint32_t *value)
{
	*value = 0;
	return core_ap_access(ctx, H7_CM4, false, addr, size, value);
}

static sim_bus_result ap3_write(void *ctx, uint32_t addr, unsigned size, uint32_t value)
{
	return core_ap_access(ctx, H7_CM4, true, addr, size, &value);
}

static sim_bus_result ap1_access(sim_chip *chip, bool write, uint32_t addr, unsigned size, uint32_t *value)
{
	if (chip->srst || !reachable(chip, d3_mode(chip), DBGMCU_CR_DBGSTOP_D3, DBGMCU_CR_DBGSTBY_D3))
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

static sim_bus_result cm7_read(void *ctx, uint32_t addr, unsigned size, uint32_t *value)
{
	*value = 0;
	return sys_access(ctx, MASTER_CM7, false, addr, size, value);
}

static sim_bus_result cm7_write(void *ctx, uint32_t addr, unsigned size, uint32_t value)
{
	return sys_access(ctx, MASTER_CM7, true, addr, size, &value);
}

static sim_bus_result cm4_read(void *ctx, uint32_t addr, unsigned size, uint32_t *value)
{
	*value = 0;
	return sys_access(ctx, MASTER_CM4, false, addr, size, value);
}

static sim_bus_result cm4_write(void *ctx, uint32_t addr, unsigned size, uint32_t value)
{
	return sys_access(ctx, MASTER_CM4, true, addr, size, &value);
}

sim_bus chip_core_bus(sim_chip *chip, h7_cpu_id id)
{
	if (id == H7_CM4)
		return (sim_bus){ .read = cm4_read, .write = cm4_write, .ctx = chip };
	return (sim_bus){ .read = cm7_read, .write = cm7_write, .ctx = chip };
}

sim_bus chip_ap_bus(sim_chip *chip, unsigned ap)
{
	switch (ap) {
	case 0: return (sim_bus){ .read = ap0_read, .write = ap0_write, .ctx = chip };
	case 1: return (sim_bus){ .read = ap1_read, .write = ap1_write, .ctx = chip };
	case 3: return (sim_bus){ .read = ap3_read, .write = ap3_write, .ctx = chip };
	default: return (sim_bus){ .read = apbd_read, .write = apbd_write, .ctx = &chip->apbd };
	}
}

static bool executable(sim_chip *chip, uint32_t addr, bool m4)
{
	h7_ram_id id;
	uint32_t a = addr;
	const h7_ram_desc *r = chip_ram_region(chip, &a, &id);

	if (r)
		return r->executable && !(m4 && (id == H7_ITCM || id == H7_DTCM));
	if (flash_h7_is_mem(chip->flash, addr))
		return true;
	return !m4 && chip_is_system_memory(addr) && chip_rom_contains(chip, addr);
}

/* RAM the core reaches at `addr` with no side effects: any region but the M7's TCMs for the M4
 * (not on its bus); not through the D2 alias (the window is in the core's own addresses). */
static uint8_t *ram_window(sim_chip *chip, uint32_t addr, bool m4, uint32_t *base, uint32_t *size)
{
	h7_ram_id id;
	uint32_t a = addr;
	const h7_ram_desc *r = chip_ram_region(chip, &a, &id);

	if (!r || a != addr || (m4 && (id == H7_ITCM || id == H7_DTCM)))
		return NULL;
	*base = r->base;
	*size = r->size;
	return chip->ram[id];
}

uint8_t *chip_ram_window_cm7(void *ctx, uint32_t addr, uint32_t *base, uint32_t *size)
{
	return ram_window(ctx, addr, false, base, size);
}

uint8_t *chip_ram_window_cm4(void *ctx, uint32_t addr, uint32_t *base, uint32_t *size)
{
	return ram_window(ctx, addr, true, base, size);
}

bool chip_executable_cm7(void *ctx, uint32_t addr)
{
	return executable(ctx, addr, false);
}

bool chip_executable_cm4(void *ctx, uint32_t addr)
{
	return executable(ctx, addr, true);
}
