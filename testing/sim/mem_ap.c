/*
 * ADIv5 MEM-AP (AHB-AP / APB-AP), see mem_ap.h for the register semantics.
 * Register offsets and CSW fields: facts sheet section C ("MEM-AP registers").
 */
#include "mem_ap.h"

#include <string.h>

#include "sim_common.h"

#define REG_CSW  0x00u
#define REG_TAR  0x04u
#define REG_DRW  0x0Cu
#define REG_BD0  0x10u
#define REG_BD3  0x1Cu
#define REG_CFG  0xF4u
#define REG_BASE 0xF8u
#define REG_IDR  0xFCu

#define CSW_SIZE_MASK     0x7u
#define CSW_SIZE_BYTE     0u
#define CSW_SIZE_HALF     1u
#define CSW_SIZE_WORD     2u
#define CSW_ADDRINC_SHIFT 4
#define CSW_ADDRINC_MASK  (3u << CSW_ADDRINC_SHIFT)
#define ADDRINC_OFF       0u
#define ADDRINC_SINGLE    1u
#define ADDRINC_PACKED    2u
#define CSW_DEVICEEN      (1u << 6) /* read-only 1: the bus is always there */
#define CSW_IMPL_MASK     0xFFFFFF00u /* implementation-defined bits [31:8] */

/* TAR auto-increment is only guaranteed within a 1 KiB block (ADIv5, TAR); some APs do more (mem_ap.h). */
#define TAR_INC_BLOCK_DEFAULT 0x400u

static sim_mem_ap *to_mem_ap(sim_ap *ap)
{
	return (sim_mem_ap *)ap; /* sim_ap is the first member */
}

static unsigned csw_size(const sim_mem_ap *m)
{
	return m->csw & CSW_SIZE_MASK;
}

static unsigned csw_addrinc(const sim_mem_ap *m)
{
	return (m->csw & CSW_ADDRINC_MASK) >> CSW_ADDRINC_SHIFT;
}

/* Address `delta` bytes past TAR, wrapping inside TAR's 1 KiB block. */
static uint32_t tar_offset(const sim_mem_ap *m, uint32_t tar, uint32_t delta)
{
	uint32_t block = m->cfg.tar_inc_block ? m->cfg.tar_inc_block : TAR_INC_BLOCK_DEFAULT;

	return (tar & ~(block - 1u)) | ((tar + delta) & (block - 1u));
}

static void csw_write(sim_mem_ap *m, uint32_t v)
{
	unsigned size = v & CSW_SIZE_MASK;
	unsigned inc = (v & CSW_ADDRINC_MASK) >> CSW_ADDRINC_SHIFT;

	if (size > CSW_SIZE_WORD) {
		/* 64-bit and wider sizes need a wider data bus than this AP has. */
		sim_log_guest_error("mem-ap: CSW 0x%08x: reserved Size %u, using word", v, size);
		size = CSW_SIZE_WORD;
	}
	if (inc == 3u) {
		sim_log_guest_error("mem-ap: CSW 0x%08x: reserved AddrInc 0b11, using off", v);
		inc = ADDRINC_OFF;
	}
	/*
	 * Without packed transfer support AddrInc = 0b10 is not retained: that is
	 * how OpenOCD's mem_ap_init probes for packed support (it writes packed and
	 * reads CSW back), so it is not a guest error.
	 */
	if (inc == ADDRINC_PACKED && !m->cfg.packed_supported)
		inc = ADDRINC_OFF;

	uint32_t impl = (v & m->cfg.csw_rw_mask) | (m->cfg.csw_reset & ~m->cfg.csw_rw_mask);

	m->csw = (impl & CSW_IMPL_MASK) | CSW_DEVICEEN | (inc << CSW_ADDRINC_SHIFT) | size;
}

/* Bus address for a DRW/BD access of `bytes` at `addr`, aligned down if needed. */
static uint32_t aligned_addr(uint32_t addr, unsigned bytes)
{
	if (addr & (bytes - 1u)) {
		/* Unaligned MEM-AP accesses are IMPLEMENTATION DEFINED; the access is made aligned. */
		sim_log_guest_error("mem-ap: unaligned %u-byte access at 0x%08x", bytes, addr);
		addr &= ~(uint32_t)(bytes - 1u);
	}
	return addr;
}

/* One bus access; the value moves through DRW byte lane addr[1:0] (ADIv5, byte lanes). */
static sim_bus_result lane_access(sim_mem_ap *m, uint32_t addr, unsigned bytes, bool read, uint32_t *drw)
{
	unsigned shift = 8u * (addr & 3u);
	uint32_t mask = bytes == 4 ? 0xFFFFFFFFu : (1u << (8u * bytes)) - 1u;
	sim_bus_result r;

	if (read) {
		uint32_t v = 0;

		r = sim_bus_read(&m->bus, addr, bytes, &v);
		if (r == SIM_BUS_OK)
			*drw |= (v & mask) << shift;
	} else {
		r = sim_bus_write(&m->bus, addr, bytes, (*drw >> shift) & mask);
	}
	return r;
}

static sim_bus_result drw_access(sim_mem_ap *m, bool read, uint32_t *value)
{
	unsigned bytes = 1u << csw_size(m);
	unsigned inc = csw_addrinc(m);
	bool packed = inc == ADDRINC_PACKED && bytes < 4;
	unsigned count = packed ? 4u / bytes : 1u;
	sim_bus_result r = SIM_BUS_OK;
	uint32_t drw = read ? 0 : *value;

	m->words_transferred++;
	for (unsigned k = 0; k < count && r == SIM_BUS_OK; k++) {
		uint32_t addr = aligned_addr(tar_offset(m, m->tar, k * bytes), bytes);

		r = lane_access(m, addr, bytes, read, &drw);
	}
	/* TAR moves even when the access faulted (mem_ap.h). */
	if (inc != ADDRINC_OFF)
		m->tar = tar_offset(m, m->tar, count * bytes);
	if (read)
		*value = r == SIM_BUS_OK ? drw : 0;
	return r;
}

static sim_bus_result bd_access(sim_mem_ap *m, unsigned n, bool read, uint32_t *value)
{
	uint32_t addr = (m->tar & ~0xFu) + 4u * n;

	if (csw_size(m) != CSW_SIZE_WORD)
		sim_log_guest_error("mem-ap: BD%u access with CSW.Size %u, performed as a word", n, csw_size(m));
	m->words_transferred++;
	if (read) {
		*value = 0;
		return lane_access(m, addr, 4, true, value);
	}
	return lane_access(m, addr, 4, false, value);
}

static sim_bus_result mem_ap_read_reg(sim_ap *ap, uint8_t offset, uint32_t *value)
{
	sim_mem_ap *m = to_mem_ap(ap);

	switch (offset) {
	case REG_CSW:  *value = m->csw; return SIM_BUS_OK;
	case REG_TAR:  *value = m->tar; return SIM_BUS_OK;
	case REG_DRW:  return drw_access(m, true, value);
	case REG_CFG:  *value = m->cfg.cfg; return SIM_BUS_OK;
	case REG_BASE: *value = m->cfg.base; return SIM_BUS_OK;
	case REG_IDR:  *value = m->cfg.idr; return SIM_BUS_OK;
	default:
		if (offset >= REG_BD0 && offset <= REG_BD3 && (offset & 3u) == 0)
			return bd_access(m, (offset - REG_BD0) / 4u, true, value);
		sim_log_guest_error("mem-ap: read of unimplemented AP register 0x%02x", offset);
		*value = 0;
		return SIM_BUS_OK;
	}
}

static sim_bus_result mem_ap_write_reg(sim_ap *ap, uint8_t offset, uint32_t value)
{
	sim_mem_ap *m = to_mem_ap(ap);

	switch (offset) {
	case REG_CSW:
		csw_write(m, value);
		return SIM_BUS_OK;
	case REG_TAR:
		m->tar = value;
		return SIM_BUS_OK;
	case REG_DRW:
		return drw_access(m, false, &value);
	case REG_CFG:
	case REG_BASE:
	case REG_IDR:
		sim_log_guest_error("mem-ap: write 0x%08x to read-only AP register 0x%02x", value, offset);
		return SIM_BUS_OK;
	default:
		if (offset >= REG_BD0 && offset <= REG_BD3 && (offset & 3u) == 0)
			return bd_access(m, (offset - REG_BD0) / 4u, false, &value);
		sim_log_guest_error("mem-ap: write 0x%08x to unimplemented AP register 0x%02x", value, offset);
		return SIM_BUS_OK;
	}
}

static const sim_ap_ops mem_ap_ops = {
	.read_reg = mem_ap_read_reg,
	.write_reg = mem_ap_write_reg,
};

void sim_mem_ap_init(sim_mem_ap *m, const sim_mem_ap_config *cfg, sim_bus bus)
{
	memset(m, 0, sizeof(*m));
	m->ap.ops = &mem_ap_ops;
	m->ap.enabled = NULL;  /* the chip sets enabled/chip_ctx after init when it gates the AP */
	m->ap.chip_ctx = NULL;
	m->cfg = *cfg;
	m->bus = bus;
	sim_mem_ap_reset(m);
}

void sim_mem_ap_reset(sim_mem_ap *m)
{
	/* Route the reset value through the write path so it obeys the same field rules. */
	uint32_t mask = m->cfg.csw_rw_mask;

	m->cfg.csw_rw_mask = CSW_IMPL_MASK;
	csw_write(m, m->cfg.csw_reset);
	m->cfg.csw_rw_mask = mask;
	m->tar = 0;
}
