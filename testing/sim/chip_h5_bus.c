/*
 * STM32H5 bus maps (facts B.1, B.2): what the Cortex-M33 and AP1 (the
 * AHB-AP in front of it) reach.  AP0's map, the system debug APB, is
 * dbgmcu_h5.c's.
 *
 * Every transaction carries a security attribute: the core's is its current
 * Security state (DSCSR.CDS), AP1's is CSW.HNONSEC (bit 30: 0 secure, 1
 * non-secure, facts B.1), read from the AP when the access happens.
 *
 *   0x08000000 / 0x0C000000  user flash, OBK, OTP: flash_h5 (it applies the
 *                            attribute: watermarks, secure aliases, TZEN)
 *   0x08FFF800               device information, read-only (chip_h5_mem.c)
 *   0x0BF80000 / 0x0FF80000  system flash, read-only
 *   0x20000000 / 0x30000000  SRAM1..3
 *   0x40022000 / 0x50022000  FLASH registers, 32-bit only: flash_h5
 *   0x44020800 / 0x54020800  PWR, 0x44020C00 / 0x54020C00 RCC (stored)
 *   0x44024000 / 0x54024000  DBGMCU, system view (dbgmcu_h5)
 *   0xE0000000..0xE00FFFFF   the core's PPB (cortexm_dbg)
 *
 * With TrustZone on (TZEN = 0xB4), a non-secure transaction to a secure
 * alias (0x0C000000..0x0FFFFFFF, 0x3xxxxxxx, 0x5xxxxxxx) is refused with a
 * bus error; a secure transaction may use either alias.  With TrustZone off
 * the attribute makes no difference, both aliases reach the same thing (the
 * rule flash_h5.h states for the flash).  Unmapped addresses fault (the bus
 * matrix's decode error).
 *
 * AP1 on top: in product states that allow non-secure debug only
 * (iROT-Provisioned, TZ-Closed) a secure transaction is not made at all: the
 * AP answers with an error, whatever the address, the PPB included (ADIv5's
 * AHB5-AP without secure debug permission; facts B.3 "non-secure only").
 * Stock OpenOCD's default CSW (0xA2000000) is a secure one, so such a chip
 * looks dead to it until the debugger sets HNONSEC ("dap apcsw").  While
 * NRST is held the system bus faults and the PPB answers, as on the H7
 * (facts A.1; UNCONFIRMED for the H5).  After the firmware entered Stop or
 * Standby, AP1 faults entirely unless DBGMCU_CR.DBG_STOP / DBG_STANDBY keep
 * the clocks running, as on the H7 (scenarios/README.md, Firmware).
 */
#include "chip_h5_internal.h"

#define CSW_HNONSEC     (1u << 30)
#define FLASH_REG_SIZE  FLASH_H5_REG_SIZE
#define DBGMCU_S_BASE   (DBGMCU_H5_SYS_BASE + 0x10000000u)

typedef enum h5_master { MASTER_CPU, MASTER_AP1 } h5_master;

static const char *master_name(h5_master m)
{
	return m == MASTER_CPU ? "M33" : "AP1";
}

/* Secure aliases of the memory map (facts B.2: secure = non-secure + 0x04000000 or + 0x10000000). */
static bool secure_alias(uint32_t addr)
{
	uint32_t top = addr >> 28;

	return top == 0x3u || top == 0x5u || (addr >= 0x0C000000u && addr < 0x10000000u);
}

static bool alias_refused(h5_chip *chip, h5_master m, bool secure, uint32_t addr)
{
	if (secure || !secure_alias(addr) || !flash_h5_tz_enabled(chip->flash))
		return false;
	sim_log_guest_error("bus: %s non-secure access to secure alias 0x%08x refused", master_name(m),
			    (unsigned)addr);
	return true;
}

static sim_bus_result read_only(h5_master m, uint32_t addr, uint32_t value)
{
	sim_log_guest_error("bus: %s write 0x%08x to read-only memory at 0x%08x", master_name(m), (unsigned)value,
			    (unsigned)addr);
	return SIM_BUS_FAULT;
}

/* The flash block: memory (either alias, OBK, OTP) and both register blocks. */
static bool flash_access(h5_chip *chip, bool secure, bool write, uint32_t addr, unsigned size, uint32_t *value,
			 sim_bus_result *r)
{
	bool sblock = addr - FLASH_H5_REG_S < FLASH_REG_SIZE;

	if (flash_h5_is_mem(chip->flash, addr)) {
		*r = write ? flash_h5_mem_write(chip->flash, addr, size, secure, *value)
			   : flash_h5_mem_read(chip->flash, addr, size, secure, value);
		return true;
	}
	if (!sblock && addr - FLASH_H5_REG_NS >= FLASH_REG_SIZE)
		return false;
	if (size != 4) {
		sim_log_guest_error("bus: %u-byte access to FLASH register 0x%08x (word registers)", size,
				    (unsigned)addr);
		*r = SIM_BUS_FAULT;
		return true;
	}
	addr -= sblock ? FLASH_H5_REG_S : FLASH_H5_REG_NS;
	*r = write ? flash_h5_reg_write(chip->flash, sblock, secure, addr, *value)
		   : flash_h5_reg_read(chip->flash, sblock, secure, addr, value);
	return true;
}

/* The chip's own memories and registers (chip_h5_mem.c, dbgmcu_h5.c). */
static bool local_access(h5_chip *chip, h5_master m, bool write, uint32_t addr, unsigned size, uint32_t *value,
			 sim_bus_result *r)
{
	h5_ram_id id;
	uint32_t off;
	bool s_alias;

	*r = SIM_BUS_OK;
	if (h5_ram_region(chip, addr, &id, &off, &s_alias)) {
		h5_ram_access(chip, id, write, off, size, value);
	} else if (h5_devinfo_contains(addr)) {
		if (write)
			*r = read_only(m, addr, *value);
		else
			h5_devinfo_read(chip, addr, size, value);
	} else if (h5_sysflash_contains(addr, &off, &s_alias)) {
		if (write)
			*r = read_only(m, addr, *value);
		else
			h5_sysflash_read(chip, off, size, value);
	} else if (addr - DBGMCU_H5_SYS_BASE < DBGMCU_H5_SIZE || addr - DBGMCU_S_BASE < DBGMCU_H5_SIZE) {
		off = addr & (DBGMCU_H5_SIZE - 1u);
		*r = write ? dbgmcu_h5_write(&chip->dbgmcu, false, off, size, *value)
			   : dbgmcu_h5_read(&chip->dbgmcu, false, off, size, value);
	} else if (!h5_sysctl_access(chip, write, addr, size, value)) {
		return false;
	}
	return true;
}

static sim_bus_result sys_access(h5_chip *chip, h5_master m, bool secure, bool write, uint32_t addr,
				 unsigned size, uint32_t *value)
{
	sim_bus_result r = SIM_BUS_FAULT;

	if ((size != 1 && size != 2 && size != 4) || (addr & (size - 1u))) {
		sim_log_guest_error("bus: %s unaligned %u-byte access at 0x%08x", master_name(m), size, (unsigned)addr);
		return SIM_BUS_FAULT;
	}
	if (flash_access(chip, secure, write, addr, size, value, &r))
		return r;
	if (alias_refused(chip, m, secure, addr))
		return SIM_BUS_FAULT;
	if (local_access(chip, m, write, addr, size, value, &r))
		return r;
	if (m == MASTER_CPU && addr >= CM_PPB_BASE && addr <= CM_PPB_END)
		return write ? cortexm_dbg_write(&chip->dbg, addr, size, *value)
			     : cortexm_dbg_read(&chip->dbg, addr, size, value);
	sim_log_guest_error("bus: %s %s of unmapped address 0x%08x", master_name(m), write ? "write" : "read",
			    (unsigned)addr);
	return SIM_BUS_FAULT;
}

/* In Stop/Standby the debug logic keeps its clocks only when DBGMCU_CR says so. */
static bool low_power_reachable(const h5_chip *chip)
{
	switch (chip->core.lp) {
	case CORE_LP_STOP: return chip->dbgmcu.cr & DBGMCU_H5_CR_DBG_STOP;
	case CORE_LP_STANDBY: return chip->dbgmcu.cr & DBGMCU_H5_CR_DBG_STANDBY;
	default: return true;
	}
}

static sim_bus_result ap1_access(h5_chip *chip, bool write, uint32_t addr, unsigned size, uint32_t *value)
{
	bool secure = !(chip->ap1.csw & CSW_HNONSEC);

	if (!low_power_reachable(chip))
		return SIM_BUS_FAULT;

	if (secure && !h5_ap1_secure_allowed(chip)) {
		sim_log_guest_error("ap1: secure transaction (CSW.HNONSEC = 0) at 0x%08x refused: product state 0x%02x "
				    "allows non-secure debug only", (unsigned)addr,
				    (unsigned)flash_h5_product_state(chip->flash));
		return SIM_BUS_FAULT;
	}
	if (addr >= CM_PPB_BASE && addr <= CM_PPB_END)
		return write ? cortexm_dbg_write(&chip->dbg, addr, size, *value)
			     : cortexm_dbg_read(&chip->dbg, addr, size, value);
	if (chip->srst)
		return SIM_BUS_FAULT;
	return sys_access(chip, MASTER_AP1, secure, write, addr, size, value);
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

static sim_bus_result cpu_read(void *ctx, uint32_t addr, unsigned size, uint32_t *value)
{
	h5_chip *chip = ctx;

	*value = 0;
	return sys_access(chip, MASTER_CPU, chip->dbg.cds, false, addr, size, value);
}

static sim_bus_result cpu_write(void *ctx, uint32_t addr, unsigned size, uint32_t value)
{
	h5_chip *chip = ctx;

	return sys_access(chip, MASTER_CPU, chip->dbg.cds, true, addr, size, &value);
}

sim_bus h5_core_bus(h5_chip *chip)
{
	return (sim_bus){ .read = cpu_read, .write = cpu_write, .ctx = chip };
}

sim_bus h5_ap1_bus(h5_chip *chip)
{
	return (sim_bus){ .read = ap1_read, .write = ap1_write, .ctx = chip };
}

bool h5_executable(void *ctx, uint32_t addr)
{
	h5_chip *chip = ctx;
	h5_ram_id id;
	uint32_t off;
	bool s_alias;

	return flash_h5_is_mem(chip->flash, addr) || h5_ram_region(chip, addr, &id, &off, &s_alias) ||
	       h5_sysflash_contains(addr, &off, &s_alias);
}
