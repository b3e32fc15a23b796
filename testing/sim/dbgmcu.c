/*
 * STM32H7 DBGMCU and the system debug APB (see dbgmcu.h).
 */
#include "dbgmcu.h"

#include <string.h>

#define DBGMCU_IDCODE   0x00u
#define DBGMCU_CR       0x04u
#define DBGMCU_FZ_FIRST 0x34u /* APB3FZ1 */
#define DBGMCU_FZ_LAST  0x50u /* APB2FZ2 */
#define DBGMCU_APB4FZ1  0x54u
#define DBGMCU_APB4FZ2  0x58u

/*
 * Writable CR bits.  Single core: DBGSLEEP/STOP/STBY_D1, DBGSTOP/STBY_D3,
 * TRACECLKEN, D1DBGCKEN, D3DBGCKEN, TRGOEN (psdb enables 0x00700187 on the
 * single-core line, 0x0070003F on the dual-core line, which adds the D2 bits).
 */
#define DBGMCU_CR_TRGOEN     (1u << 28)
#define DBGMCU_CR_MASK_SINGLE (0x00700187u | DBGMCU_CR_TRGOEN)
#define DBGMCU_CR_MASK_DUAL   (0x007001BFu | DBGMCU_CR_TRGOEN)

void dbgmcu_init(dbgmcu *d, uint16_t dev_id, uint16_t rev_id, bool dual_core)
{
	memset(d, 0, sizeof(*d));
	d->dev_id = dev_id;
	d->rev_id = rev_id;
	d->dual_core = dual_core;
}

void dbgmcu_power_on(dbgmcu *d)
{
	d->cr = 0;
	memset(d->freeze, 0, sizeof(d->freeze));
	memset(d->apb4fz, 0, sizeof(d->apb4fz));
}

uint32_t dbgmcu_idcode(const dbgmcu *d)
{
	return ((uint32_t)d->rev_id << 16) | (d->dev_id & 0xFFFu);
}

/* The CM4 copies (even offsets from APB3FZ1 = "FZ1", odd = "FZ2") exist on dual-core parts only. */
static bool freeze_is_cm4_copy(uint32_t offset)
{
	if (offset == DBGMCU_APB4FZ2)
		return true;
	return offset >= DBGMCU_FZ_FIRST && offset <= DBGMCU_FZ_LAST && ((offset - DBGMCU_FZ_FIRST) / 4u) % 2u == 1u;
}

/* Pointer to the freeze register at `offset`, NULL for anything else. */
static uint32_t *freeze_reg(dbgmcu *d, uint32_t offset)
{
	if (offset >= DBGMCU_FZ_FIRST && offset <= DBGMCU_FZ_LAST)
		return &d->freeze[(offset - DBGMCU_FZ_FIRST) / 4u];
	if (offset == DBGMCU_APB4FZ1 || offset == DBGMCU_APB4FZ2)
		return &d->apb4fz[(offset - DBGMCU_APB4FZ1) / 4u];
	return NULL;
}

static sim_bus_result dbgmcu_read_word(dbgmcu *d, uint32_t offset, uint32_t *value)
{
	uint32_t *fz = freeze_reg(d, offset);

	*value = 0;
	if (offset == DBGMCU_IDCODE) {
		*value = dbgmcu_idcode(d);
	} else if (offset == DBGMCU_CR) {
		*value = d->cr;
	} else if (fz && (d->dual_core || !freeze_is_cm4_copy(offset))) {
		*value = *fz;
	} else {
		sim_log_guest_error("dbgmcu: read of reserved offset 0x%03x", (unsigned)offset);
	}
	return SIM_BUS_OK;
}

/*
 * Freeze registers: which bits are reserved is not in the facts sheet, so
 * every bit is stored (UNCONFIRMED).  Freezing peripherals is not modelled.
 */
static void dbgmcu_write_word(dbgmcu *d, uint32_t offset, uint32_t value)
{
	uint32_t *fz = freeze_reg(d, offset);

	if (offset == DBGMCU_IDCODE) {
		sim_log_guest_error("dbgmcu: write 0x%08x to read-only IDCODE", (unsigned)value);
	} else if (offset == DBGMCU_CR) {
		uint32_t mask = d->dual_core ? DBGMCU_CR_MASK_DUAL : DBGMCU_CR_MASK_SINGLE;

		/* Stock OpenOCD sets the D2 bits (0x38) on single-core parts too: reserved, read as 0, no error. */
		if (value & ~mask)
			sim_log_trace("dbgmcu: CR reserved bits 0x%08x ignored", (unsigned)(value & ~mask));
		d->cr = value & mask;
	} else if (fz && (d->dual_core || !freeze_is_cm4_copy(offset))) {
		if (value != *fz)
			sim_log_unimplemented("dbgmcu: freeze register +0x%02x = 0x%08x stored, freezing not modelled",
					      (unsigned)offset, (unsigned)value);
		*fz = value;
	} else {
		sim_log_guest_error("dbgmcu: write 0x%08x to reserved offset 0x%03x", (unsigned)value,
				    (unsigned)offset);
	}
}

sim_bus_result dbgmcu_read(dbgmcu *d, uint32_t offset, unsigned size, uint32_t *value)
{
	uint32_t word;
	sim_bus_result r = dbgmcu_read_word(d, offset & ~3u, &word);

	*value = word_lane_extract(word, offset, size);
	return r;
}

sim_bus_result dbgmcu_write(dbgmcu *d, uint32_t offset, unsigned size, uint32_t value)
{
	uint32_t word = value;

	if (size < 4)
		dbgmcu_read_word(d, offset & ~3u, &word);
	dbgmcu_write_word(d, offset & ~3u, word_lane_merge(word, offset, size, value));
	return SIM_BUS_OK;
}

/* ------------------------------------------------------------------ APB-D */

/*
 * ROM table entries (offset from the table | format 32-bit | present).  The
 * H7's real APB-D table lists more (CTIs, ETF, timestamp generator); only the
 * blocks the simulator answers are listed, so every entry `dap info` follows
 * leads to a readable component.  Identification of SWO/SWTF/TPIU as the Arm
 * CoreSight SoC-400 parts (0x914/0x908/0x912): UNCONFIRMED for ST's build.
 */
static const uint32_t apbd_rom_entries[] = {
	(APBD_SWO_BASE - APBD_ROM_BASE) | 3u,
	(APBD_SWTF_BASE - APBD_ROM_BASE) | 3u,
	(APBD_TPIU_BASE - APBD_ROM_BASE) | 3u,
	0u, /* end marker */
};
static const uint32_t apbd_rom_entries_no_funnel[] = {
	(APBD_SWO_BASE - APBD_ROM_BASE) | 3u,
	(APBD_TPIU_BASE - APBD_ROM_BASE) | 3u,
	0u,
};

void apbd_init(apbd *a, dbgmcu *d)
{
	static const cs_ident swo = { CS_CIDR_CORESIGHT, 0x04000BB914ull, 0x11u, 0 };
	static const cs_ident swtf = { CS_CIDR_CORESIGHT, 0x04000BB908ull, 0x12u, 0 };
	static const cs_ident tpiu = { CS_CIDR_CORESIGHT, 0x04000BB912ull, 0x11u, 0 };

	memset(a, 0, sizeof(*a));
	a->dbgmcu = d;
	/* psdb matches this table by CIDR 0xB105100D and PIDR 0x000A0<DEV_ID> (facts A.1). */
	a->rom_id.cidr = CS_CIDR_ROM_TABLE;
	a->rom_id.pidr = 0x000A0000ull | d->dev_id;
	cs_plain_init(&a->swo, "swo", &swo);
	cs_plain_init(&a->swtf, "swtf", &swtf);
	cs_plain_init(&a->tpiu, "tpiu", &tpiu);
	a->has_swtf = true;
}

void apbd_set_funnel_present(apbd *a, bool present)
{
	a->has_swtf = present;
}

void apbd_power_on(apbd *a)
{
	cs_plain_reset(&a->swo);
	cs_plain_reset(&a->swtf);
	cs_plain_reset(&a->tpiu);
}

static sim_bus_result rom_read(apbd *a, uint32_t offset, uint32_t *value)
{
	const uint32_t *entries = a->has_swtf ? apbd_rom_entries : apbd_rom_entries_no_funnel;
	size_t n = a->has_swtf ? sizeof(apbd_rom_entries) / sizeof(apbd_rom_entries[0])
			       : sizeof(apbd_rom_entries_no_funnel) / sizeof(apbd_rom_entries_no_funnel[0]);

	if (cs_ident_read(&a->rom_id, offset, value))
		return SIM_BUS_OK;
	*value = offset / 4u < n ? entries[offset / 4u] : 0u;
	return SIM_BUS_OK;
}

/* The SWTF window of a part without funnel: reads 0, writes ignored (see dbgmcu.h). */
static bool absent_funnel(const apbd *a, uint32_t addr)
{
	return !a->has_swtf && (addr & ~(CS_COMPONENT_SIZE - 1u)) == APBD_SWTF_BASE;
}

/*
 * The trace blocks are clocked by DBGMCU_CR.TRACECLKEN: psdb notes that the
 * APB-D children cannot be probed before the debug clocks are enabled, so an
 * access without it faults (exact gating per block: UNCONFIRMED; OpenOCD's
 * examine-end sets TRACECLKEN before it touches SWTF).
 */
static cs_plain *trace_block(apbd *a, uint32_t addr)
{
	uint32_t base = addr & ~(CS_COMPONENT_SIZE - 1u);

	if (base == APBD_SWO_BASE)
		return &a->swo;
	if (base == APBD_SWTF_BASE)
		return &a->swtf;
	if (base == APBD_TPIU_BASE)
		return &a->tpiu;
	return NULL;
}

static sim_bus_result apbd_read_word(apbd *a, uint32_t addr, uint32_t *value)
{
	uint32_t base = addr & ~(CS_COMPONENT_SIZE - 1u);
	uint32_t offset = addr & (CS_COMPONENT_SIZE - 1u) & ~3u;
	cs_plain *blk = trace_block(a, addr);

	if (base == APBD_ROM_BASE)
		return rom_read(a, offset, value);
	if (base == DBGMCU_APBD_BASE)
		return dbgmcu_read(a->dbgmcu, offset, 4, value);
	if (absent_funnel(a, addr)) {
		*value = 0;
		sim_log_trace("apb-d: read of 0x%08x: no SWO funnel on this part, reads 0", (unsigned)addr);
		return SIM_BUS_OK;
	}
	if (blk && (a->dbgmcu->cr & DBGMCU_CR_TRACECLKEN))
		return cs_plain_read(blk, offset, value);
	if (!blk)
		sim_log_guest_error("apb-d: read of unmapped address 0x%08x", (unsigned)addr);
	return SIM_BUS_FAULT;
}

sim_bus_result apbd_read(void *ctx, uint32_t addr, unsigned size, uint32_t *value)
{
	uint32_t word = 0;
	sim_bus_result r = apbd_read_word(ctx, addr & ~3u, &word);

	*value = word_lane_extract(word, addr, size);
	return r;
}

sim_bus_result apbd_write(void *ctx, uint32_t addr, unsigned size, uint32_t value)
{
	apbd *a = ctx;
	uint32_t base = addr & ~(CS_COMPONENT_SIZE - 1u);
	uint32_t offset = addr & (CS_COMPONENT_SIZE - 1u);
	cs_plain *blk = trace_block(a, addr);
	uint32_t word = value;

	if (base == DBGMCU_APBD_BASE)
		return dbgmcu_write(a->dbgmcu, offset, size, value);
	if (base == APBD_ROM_BASE) {
		sim_log_guest_error("apb-d: write 0x%08x to the ROM table at 0x%08x", (unsigned)value, (unsigned)addr);
		return SIM_BUS_OK;
	}
	if (absent_funnel(a, addr)) {
		sim_log_trace("apb-d: write 0x%08x to 0x%08x: no SWO funnel on this part, ignored", (unsigned)value,
			      (unsigned)addr);
		return SIM_BUS_OK;
	}
	if (!blk) {
		sim_log_guest_error("apb-d: write to unmapped address 0x%08x", (unsigned)addr);
		return SIM_BUS_FAULT;
	}
	if (!(a->dbgmcu->cr & DBGMCU_CR_TRACECLKEN))
		return SIM_BUS_FAULT;
	if (size < 4)
		cs_plain_read(blk, offset & ~3u, &word);
	return cs_plain_write(blk, offset & ~3u, word_lane_merge(word, offset, size, value));
}

void dbgmcu_write_json(const dbgmcu *d, json_out *j)
{
	json_begin_object(j, "dbgmcu");
	json_hex32(j, "idcode", dbgmcu_idcode(d));
	json_hex32(j, "cr", d->cr);
	json_hex32(j, "apb3fz1", d->freeze[0]);
	json_hex32(j, "apb1lfz1", d->freeze[2]);
	json_hex32(j, "apb4fz1", d->apb4fz[0]);
	json_end_object(j);
}
