/*
 * STM32H5 DBGMCU and the system debug APB (see dbgmcu_h5.h).
 */
#include "dbgmcu_h5.h"

#include <string.h>

#define FREEZE_FIRST   0x008u /* APB1LFZR .. APB3FZR: 0x008..0x014 */
#define FREEZE_LAST    0x014u
#define AHB1FZR        0x020u
#define CR_MASK        0x000100F6u /* DBG_STOP, DBG_STANDBY, TRACE_IOEN, TRACE_EN, TRACE_MODE, DCRT */
#define SR_AP_PRESENT  0x00000003u
#define SR_AP0_ENABLED (1u << 16)
#define SR_AP1_ENABLED (1u << 17)

/* ROM table entry: DBGMCU at +0x4000, present, 32-bit format. */
#define ROM_ENTRY_DBGMCU ((DBGMCU_H5_APB_BASE - DBGMCU_H5_ROM_BASE) | 3u)

static const cs_ident dbgmcu_ident = { CS_CIDR_PRIMECELL, 0x00000A0000ull, 0, 0 };

void dbgmcu_h5_init(dbgmcu_h5 *d, uint16_t dev_id, uint16_t rev_id, da_device *da,
		    bool (*ap1_enabled)(void *ctx), void *ctx)
{
	memset(d, 0, sizeof(*d));
	d->dev_id = dev_id;
	d->rev_id = rev_id;
	d->da = da;
	d->ap1_enabled = ap1_enabled;
	d->ctx = ctx;
}

void dbgmcu_h5_power_on(dbgmcu_h5 *d)
{
	d->cr = 0;
	memset(d->freeze, 0, sizeof(d->freeze));
	d->freeze_logged = false;
}

uint32_t dbgmcu_h5_idcode(const dbgmcu_h5 *d)
{
	return ((uint32_t)d->rev_id << 16) | (d->dev_id & 0xFFFu);
}

uint32_t dbgmcu_h5_sr(const dbgmcu_h5 *d)
{
	uint32_t v = SR_AP_PRESENT | SR_AP0_ENABLED;

	if (d->ap1_enabled && d->ap1_enabled(d->ctx))
		v |= SR_AP1_ENABLED;
	return v;
}

static bool is_mailbox(uint32_t offset)
{
	offset &= ~3u;
	return offset == DA_REG_HOST || offset == DA_REG_DEVICE || offset == DA_REG_ACK;
}

/* The freeze register at `offset`, NULL for anything else. */
static uint32_t *freeze_reg(dbgmcu_h5 *d, uint32_t offset)
{
	if (offset >= FREEZE_FIRST && offset <= FREEZE_LAST)
		return &d->freeze[(offset - FREEZE_FIRST) / 4u];
	if (offset == AHB1FZR)
		return &d->freeze[DBGMCU_H5_FREEZE_REGS - 1];
	return NULL;
}

static sim_bus_result mailbox_access(dbgmcu_h5 *d, bool debugger, bool write, uint32_t offset, unsigned size,
				     uint32_t *value)
{
	if (!debugger) {
		sim_log_unimplemented("dbgmcu: system-bus %s of the DA mailbox +0x%03x: the device side is the boot "
				      "ROM's, not modelled for user code", write ? "write" : "read", (unsigned)offset);
		if (!write)
			*value = 0;
		return SIM_BUS_OK;
	}
	if (size != 4 || (offset & 3u) || !d->da) {
		sim_log_guest_error("dbgmcu: %u-byte access to DA mailbox +0x%03x (32-bit registers)", size,
				    (unsigned)offset);
		if (!write)
			*value = 0;
		return SIM_BUS_FAULT;
	}
	return write ? da_mailbox_write(d->da, offset, *value) : da_mailbox_read(d->da, offset, value);
}

static uint32_t read_word(dbgmcu_h5 *d, uint32_t offset)
{
	uint32_t *fz = freeze_reg(d, offset);
	uint32_t v = 0;

	if (offset == DBGMCU_H5_IDCODE)
		return dbgmcu_h5_idcode(d);
	if (offset == DBGMCU_H5_CR)
		return d->cr;
	if (offset == DBGMCU_H5_SR)
		return dbgmcu_h5_sr(d);
	if (fz)
		return *fz;
	if (!cs_ident_read(&dbgmcu_ident, offset, &v))
		sim_log_guest_error("dbgmcu: read of reserved offset 0x%03x", (unsigned)offset);
	return v;
}

static void write_word(dbgmcu_h5 *d, uint32_t offset, uint32_t value)
{
	uint32_t *fz = freeze_reg(d, offset);

	if (offset == DBGMCU_H5_CR) {
		if (value & ~CR_MASK)
			sim_log_guest_error("dbgmcu: CR write 0x%08x sets reserved bits, ignored", (unsigned)value);
		d->cr = value & CR_MASK;
	} else if (fz) {
		if (value != *fz && !d->freeze_logged) {
			d->freeze_logged = true;
			sim_log_unimplemented("dbgmcu: freeze register +0x%03x = 0x%08x stored, freezing not modelled",
					      (unsigned)offset, (unsigned)value);
		}
		*fz = value;
	} else if (offset == DBGMCU_H5_IDCODE || offset == DBGMCU_H5_SR || offset >= CS_ID_BLOCK_START) {
		sim_log_guest_error("dbgmcu: write 0x%08x to read-only offset 0x%03x", (unsigned)value,
				    (unsigned)offset);
	} else {
		sim_log_guest_error("dbgmcu: write 0x%08x to reserved offset 0x%03x", (unsigned)value,
				    (unsigned)offset);
	}
}

sim_bus_result dbgmcu_h5_read(dbgmcu_h5 *d, bool debugger, uint32_t offset, unsigned size, uint32_t *value)
{
	offset &= DBGMCU_H5_SIZE - 1u;
	if (is_mailbox(offset))
		return mailbox_access(d, debugger, false, offset, size, value);
	*value = word_lane_extract(read_word(d, offset & ~3u), offset, size);
	return SIM_BUS_OK;
}

sim_bus_result dbgmcu_h5_write(dbgmcu_h5 *d, bool debugger, uint32_t offset, unsigned size, uint32_t value)
{
	uint32_t aligned;

	offset &= DBGMCU_H5_SIZE - 1u;
	if (is_mailbox(offset))
		return mailbox_access(d, debugger, true, offset, size, &value);
	aligned = offset & ~3u;
	/* Narrow writes merge into the word; IDCODE/SR/ID reads have no side effect. */
	if (size < 4)
		value = word_lane_merge(read_word(d, aligned), offset, size, value);
	write_word(d, aligned, value);
	return SIM_BUS_OK;
}

/* ---------------------------------------------------- system debug APB -- */

static bool dbgmcu_window(uint32_t addr, uint32_t *offset)
{
	if (addr - DBGMCU_H5_APB_BASE < DBGMCU_H5_SIZE) {
		*offset = addr - DBGMCU_H5_APB_BASE;
		return true;
	}
	if (addr - DBGMCU_H5_APB_ALIAS < DBGMCU_H5_SIZE) {
		*offset = addr - DBGMCU_H5_APB_ALIAS;
		return true;
	}
	return false;
}

static uint32_t rom_word(const dbgmcu_h5 *d, uint32_t off)
{
	cs_ident id = { CS_CIDR_ROM_TABLE, 0x001A0000ull | d->dev_id, 0, 0 };
	uint32_t v = 0;

	if (cs_ident_read(&id, off, &v))
		return v;
	return off == 0 ? ROM_ENTRY_DBGMCU : 0u; /* then the end marker */
}

sim_bus_result dbgmcu_h5_apb_read(void *ctx, uint32_t addr, unsigned size, uint32_t *value)
{
	dbgmcu_h5 *d = ctx;
	uint32_t off;

	*value = 0;
	if (dbgmcu_window(addr, &off))
		return dbgmcu_h5_read(d, true, off, size, value);
	if (addr - DBGMCU_H5_ROM_BASE < CS_COMPONENT_SIZE) {
		*value = word_lane_extract(rom_word(d, (addr - DBGMCU_H5_ROM_BASE) & ~3u), addr, size);
		return SIM_BUS_OK;
	}
	sim_log_guest_error("ap0: read of unmapped debug APB address 0x%08x", (unsigned)addr);
	return SIM_BUS_FAULT;
}

sim_bus_result dbgmcu_h5_apb_write(void *ctx, uint32_t addr, unsigned size, uint32_t value)
{
	dbgmcu_h5 *d = ctx;
	uint32_t off;

	if (dbgmcu_window(addr, &off))
		return dbgmcu_h5_write(d, true, off, size, value);
	if (addr - DBGMCU_H5_ROM_BASE < CS_COMPONENT_SIZE) {
		sim_log_guest_error("ap0: write 0x%08x to ROM table address 0x%08x", (unsigned)value, (unsigned)addr);
		return SIM_BUS_OK;
	}
	sim_log_guest_error("ap0: write to unmapped debug APB address 0x%08x", (unsigned)addr);
	return SIM_BUS_FAULT;
}

void dbgmcu_h5_write_json(const dbgmcu_h5 *d, json_out *j)
{
	static const char *const names[DBGMCU_H5_FREEZE_REGS] = {
		"apb1lfzr", "apb1hfzr", "apb2fzr", "apb3fzr", "ahb1fzr",
	};

	json_begin_object(j, "dbgmcu");
	json_hex32(j, "idcode", dbgmcu_h5_idcode(d));
	json_hex32(j, "cr", d->cr);
	json_hex32(j, "sr", dbgmcu_h5_sr(d));
	for (unsigned i = 0; i < DBGMCU_H5_FREEZE_REGS; i++)
		json_hex32(j, names[i], d->freeze[i]);
	json_end_object(j);
}
