/*
 * STM32H5 flash memory map and accesses: user flash (NS 0x08000000, S
 * 0x0C000000), OBK (NS 0x0BFD0000, S 0x0FFD0000) and OTP (0x08FFF000), facts
 * B.2.  Reads check TrustZone and ECC; writes are programming accesses that
 * fill the single quad-word write buffer (OTP: one half-word at a time).
 *
 * TrustZone (flash_h5.h): with TZEN = 0xB4 a secure alias needs a secure
 * transaction, OBK is reachable through its secure alias only, and a sector
 * that is secure (inside SECWMx or marked in SECBBxRy) faults through the
 * non-secure alias.  The alias decides which register domain programs: the
 * secure alias SECCR/SECSR, the non-secure one NSCR/NSSR (as the CPU's
 * address attribution would).  With TZEN = 0xC3 the attribute is ignored and
 * everything is programmed through NSCR.  The H503 has no secure aliases
 * (UNCONFIRMED, it has no TrustZone): they are not decoded.
 */
#include "flash_h5_internal.h"

#include <string.h>

typedef struct fh5_target {
	unsigned area;
	uint32_t offset;         /* inside the area (bank: physical bank) */
	bool secure_alias;
} fh5_target;

static bool in_window(uint32_t addr, uint32_t base, uint32_t size, uint32_t *offset)
{
	if (addr < base || addr - base >= size)
		return false;
	*offset = addr - base;
	return true;
}

/* User flash through either alias; SWAP_BANK in effect maps physical bank 2 at the base (facts B.2). */
static bool decode_user(const flash_h5 *f, uint32_t addr, fh5_target *t)
{
	uint32_t off;
	unsigned slot;

	if (in_window(addr, FLASH_H5_MEM_NS, 2 * f->bank_bytes, &off))
		t->secure_alias = false;
	else if (f->line->trustzone && in_window(addr, FLASH_H5_MEM_S, 2 * f->bank_bytes, &off))
		t->secure_alias = true;
	else
		return false;
	slot = off >= f->bank_bytes;
	t->area = f->swapped ? 1u - slot : slot;
	t->offset = off - slot * f->bank_bytes;
	return true;
}

static bool decode(const flash_h5 *f, uint32_t addr, fh5_target *t)
{
	if (decode_user(f, addr, t))
		return true;
	t->area = AREA_OBK;
	t->secure_alias = false;
	if (f->line->obk && in_window(addr, FLASH_H5_OBK_NS, FLASH_H5_OBK_SIZE, &t->offset))
		return true;
	t->secure_alias = true;
	if (f->line->obk && in_window(addr, FLASH_H5_OBK_S, FLASH_H5_OBK_SIZE, &t->offset))
		return true;
	t->area = AREA_OTP;
	t->secure_alias = false; /* OTP has a non-secure address only (facts B.2) */
	return in_window(addr, FLASH_H5_OTP_BASE, FLASH_H5_OTP_SIZE, &t->offset);
}

bool flash_h5_is_mem(const flash_h5 *f, uint32_t addr)
{
	fh5_target t;

	return decode(f, addr, &t);
}

static bool access_ok(uint32_t addr, unsigned size)
{
	return (size == 1 || size == 2 || size == 4) && (addr & (size - 1)) == 0;
}

/* The TrustZone rules above; true (and a guest error) when the access faults. */
static bool tz_denies(const flash_h5 *f, const fh5_target *t, uint32_t addr, bool secure_access)
{
	const char *why = NULL;

	if (!flash_h5_tz_enabled(f))
		return false;
	if (t->secure_alias && !secure_access)
		why = "non-secure access to a secure alias";
	else if (t->area == AREA_OBK && !t->secure_alias)
		why = "OBK through its non-secure alias (TrustZone on: secure alias only)";
	else if (t->area <= AREA_BANK2 && !t->secure_alias &&
		 fh5_sector_secure(f, t->area, t->offset / FH5_SECTOR_BYTES))
		why = "non-secure alias of a secure sector";
	if (!why)
		return false;
	sim_log_guest_error("flash: access to 0x%08x faults: %s", addr, why);
	return true;
}

static unsigned domain_of(const flash_h5 *f, const fh5_target *t)
{
	return flash_h5_tz_enabled(f) && t->secure_alias ? DOM_S : DOM_NS;
}

/* ---------------------------------------------------------------- reads -- */

/* Double ECC error: the first one since ECCD was cleared is recorded ([SVD-H563] ECCDETR). */
static void ecc_detected(flash_h5 *f, unsigned area, uint32_t unit)
{
	uint32_t v = (unit & ECC_ADDR_MASK) | ECCDETR_ECCD;

	if (f->eccdetr & ECCDETR_ECCD)
		return;
	if (area == AREA_BANK2)
		v |= ECC_BK;
	else if (area == AREA_OBK)
		v |= ECC_OBK;
	if (area == AREA_OTP) {
		const uint8_t *p = f->array[AREA_OTP].data + unit * FH5_HW_BYTES;

		v |= ECC_OTP;
		f->eccdr = (uint32_t)p[0] | (uint32_t)p[1] << 8; /* the failing 16-bit data */
	}
	f->eccdetr = v;
}

static void log_read_during_erase(flash_h5 *f, const fh5_target *t)
{
	if (f->stall_logged || (f->op.kind != OP_ERASE && f->op.kind != OP_REGRESSION) || t->area == AREA_OTP)
		return;
	f->stall_logged = true;
	sim_log_unimplemented("flash: read during an erase: the silicon stalls the bus until the erase ends, "
			      "the model answers at once");
}

sim_bus_result flash_h5_mem_read(flash_h5 *f, uint32_t addr, unsigned size, bool secure_access, uint32_t *value)
{
	fh5_target t;
	fh5_array *a;

	flash_h5_update(f, sim_now_us());
	if (!access_ok(addr, size) || !decode(f, addr, &t) || tz_denies(f, &t, addr, secure_access))
		return SIM_BUS_FAULT;
	a = &f->array[t.area];
	for (uint32_t u = t.offset / a->unit; u <= (t.offset + size - 1) / a->unit; u++) {
		if (a->state[u] == UNIT_CORRUPT) {
			ecc_detected(f, t.area, u);
			sim_log_trace("flash: double ECC error at 0x%08x", addr);
			return SIM_BUS_FAULT;
		}
	}
	log_read_during_erase(f, &t);
	*value = 0;
	for (unsigned i = 0; i < size; i++)
		*value |= (uint32_t)a->data[t.offset + i] << (8 * i);
	return SIM_BUS_OK;
}

/* --------------------------------------------------------------- writes -- */

void fh5_wbuf_discard(flash_h5 *f)
{
	memset(&f->wbuf, 0, sizeof(f->wbuf));
}

void fh5_wbuf_submit(flash_h5 *f, sim_time_us now)
{
	fh5_op op;

	memset(&op, 0, sizeof(op));
	op.kind = OP_PROGRAM;
	op.dom = f->wbuf.dom;
	op.area = f->wbuf.area;
	op.unit = f->wbuf.unit;
	memcpy(op.data, f->wbuf.data, sizeof(op.data)); /* unwritten bytes are 0xFF (FW) */
	fh5_wbuf_discard(f);
	fh5_schedule_program(f, &op, now);
}

static void refuse(flash_h5 *f, unsigned dom, uint32_t bit, uint32_t addr, const char *why)
{
	f->dom[dom].sr |= bit;
	sim_log_guest_error("flash: write at 0x%08x refused: %s (%s |= 0x%08x)", addr, why,
			    dom == DOM_S ? "SECSR" : "NSSR", bit);
}

/* Sequence checks shared by every programming write; 0 if it may go on. */
static uint32_t sequence_refusal(const flash_h5 *f, unsigned dom, const char **why)
{
	uint32_t cr = f->dom[dom].cr;

	*why = NULL;
	if (!(cr & CR_PG))
		*why = "PG is not set";
	else if (cr & CR_ERASES)
		*why = "PG together with an erase bit";
	/* UNCONFIRMED: an error left in SR blocks the next operation until CCR clears it (the harder rule). */
	else if (f->dom[dom].sr & SR_ERRORS)
		*why = "an error flag is still set";
	else if (f->op.kind == OP_OPTION || f->op.kind == OP_REGRESSION)
		*why = "an option change or regression runs";
	return *why ? SR_PGSERR : 0;
}

/*
 * OBK programming: the domain's OBK configuration must be unlocked (else
 * OBKERR, facts B.2 via the brief).  Product state: UNCONFIRMED; chosen:
 * OBK is provisioned in Open or Provisioning only (facts B.4: "must be done
 * in product state Provisioning"), OBKERR in every later state.  The HDPL
 * checks of the silicon are not modelled.
 */
static uint32_t obk_refusal(const flash_h5 *f, unsigned dom, const char **why)
{
	uint8_t ps = flash_h5_product_state(f);

	if (ps != H5PS_OPEN && ps != H5PS_PROVISIONING) {
		*why = "OBK is only programmed in product states Open and Provisioning";
		return SR_OBKERR;
	}
	if (f->dom[dom].obkcfgr & OBKCFG_LOCK) {
		*why = dom == DOM_S ? "SECOBKCFGR is locked" : "NSOBKCFGR is locked";
		return SR_OBKERR;
	}
	return 0;
}

/* Write protection (WRPSGn bit 0) and, with TrustZone, a secure program of a non-secure sector. */
static uint32_t sector_refusal(const flash_h5 *f, unsigned dom, const fh5_target *t, const char **why)
{
	unsigned sector = t->offset / FH5_SECTOR_BYTES;

	if (optbytes_h5_sector_wrp(&f->ob, t->area, sector, f->line->wrp_group)) {
		*why = "sector write protected (WRPSG bit 0)";
		return SR_WRPERR;
	}
	/* UNCONFIRMED: what ST's OpenOCD implies by marking every sector secure before a secure program. */
	if (dom == DOM_S && !fh5_sector_secure(f, t->area, sector)) {
		*why = "secure program of a non-secure sector";
		return SR_WRPERR;
	}
	return 0;
}

static void buffer_write(flash_h5 *f, unsigned dom, const fh5_target *t, uint32_t addr, unsigned size,
			 uint32_t value, sim_time_us now)
{
	fh5_wbuf *wb = &f->wbuf;
	uint32_t unit = t->offset / FH5_QW_BYTES, lane = t->offset % FH5_QW_BYTES;
	uint16_t mask = (uint16_t)(((1u << size) - 1u) << lane);

	if (wb->active && (wb->area != t->area || wb->unit != unit || wb->dom != dom)) {
		fh5_wbuf_discard(f);
		refuse(f, dom, SR_INCERR, addr, "the write buffer holds another quad-word");
		return;
	}
	if (wb->active && (wb->written & mask)) {
		fh5_wbuf_discard(f);
		refuse(f, dom, SR_STRBERR, addr, "byte written twice in the write buffer");
		return;
	}
	if (!wb->active) {
		wb->active = true;
		wb->dom = dom;
		wb->area = t->area;
		wb->unit = unit;
		wb->written = 0;
		memset(wb->data, 0xff, sizeof(wb->data));
	}
	for (unsigned i = 0; i < size; i++)
		wb->data[lane + i] = (uint8_t)(value >> (8 * i));
	wb->written |= mask;
	if (wb->written == 0xffffu)
		fh5_wbuf_submit(f, now);
}

/*
 * OTP: 16-bit half-words through NSCR.PG (facts B.2).  Other access sizes are
 * refused with PGSERR (UNCONFIRMED, the harder reading of "programmed in
 * half-words"); a block locked in OTPBLR_CUR refuses with WRPERR ([SVD-H563]).
 */
static void otp_write(flash_h5 *f, const fh5_target *t, uint32_t addr, unsigned size, uint32_t value,
		      sim_time_us now)
{
	uint32_t unit = t->offset / FH5_HW_BYTES, bit;
	const char *why;
	fh5_op op;

	bit = sequence_refusal(f, DOM_NS, &why);
	if (!bit && size != FH5_HW_BYTES) {
		bit = SR_PGSERR;
		why = "OTP is programmed in 16-bit half-words";
	}
	if (!bit && f->wbuf.active) {
		fh5_wbuf_discard(f);
		bit = SR_INCERR;
		why = "the quad-word write buffer is not empty";
	}
	if (!bit && ((f->ob.cur[OB5_OTPBLR] >> (unit / 32u)) & 1u)) {
		bit = SR_WRPERR;
		why = "OTP block locked in OTPBLR";
	}
	if (bit) {
		refuse(f, DOM_NS, bit, addr, why);
		return;
	}
	memset(&op, 0, sizeof(op));
	op.kind = OP_PROGRAM;
	op.dom = DOM_NS;
	op.area = AREA_OTP;
	op.unit = unit;
	op.data[0] = (uint8_t)value;
	op.data[1] = (uint8_t)(value >> 8);
	fh5_schedule_program(f, &op, now);
}

sim_bus_result flash_h5_mem_write(flash_h5 *f, uint32_t addr, unsigned size, bool secure_access, uint32_t value)
{
	sim_time_us now = sim_now_us();
	const char *why = NULL;
	fh5_target t;
	unsigned dom;
	uint32_t bit;

	flash_h5_update(f, now);
	if (!access_ok(addr, size) || !decode(f, addr, &t) || tz_denies(f, &t, addr, secure_access))
		return SIM_BUS_FAULT;
	dom = domain_of(f, &t);
	if (t.area == AREA_OTP) {
		otp_write(f, &t, addr, size, value, now);
		return SIM_BUS_OK;
	}
	bit = sequence_refusal(f, dom, &why);
	if (!bit)
		bit = t.area == AREA_OBK ? obk_refusal(f, dom, &why) : sector_refusal(f, dom, &t, &why);
	if (bit) {
		refuse(f, dom, bit, addr, why);
		return SIM_BUS_OK; /* writes are posted: the error shows in the SR only */
	}
	buffer_write(f, dom, &t, addr, size, value, now);
	return SIM_BUS_OK;
}
