/*
 * STM32H5 embedded flash: the per-line table, the durations, lifecycle,
 * resets, the operation clock and what the rest of the chip asks.  Memory
 * accesses are in flash_h5_mem.c, registers in flash_h5_regs.c, program and
 * erase in flash_h5_ops.c, option changes and regressions in
 * flash_h5_optchg.c, the arrays in flash_h5_array.c, scenario keys in
 * flash_h5_scenario.c and the state JSON in flash_h5_json.c; the option-byte
 * rules are optbytes_h5.c.  Facts: stm32-facts.md B.1-B.4.
 */
#include "flash_h5_internal.h"

#include <stdlib.h>
#include <string.h>

/*
 * The lines (facts B.1/B.2).  WRPSG granularity on 0x478 (32 bits for up to
 * 32 sectors per bank) is not in the facts sheet: one sector per bit,
 * UNCONFIRMED, as the tool's own table assumes.  SECBB/PRIVBB: four registers
 * per bank on H56x/H57x, one on the others (facts B.2).
 */
static const fh5_line lines[] = {
	{ .dev_id = 0x474, .variant = OB5_V474, .max_kib = 128, .wrp_group = 1,
	  .trustzone = false, .obk = false, .secbb_regs = 0, .privbb_regs = 1 },
	{ .dev_id = 0x478, .variant = OB5_V478, .max_kib = 512, .wrp_group = 1,
	  .trustzone = true, .obk = true, .secbb_regs = 1, .privbb_regs = 1 },
	{ .dev_id = 0x484, .variant = OB5_V484, .max_kib = 2048, .wrp_group = 4,
	  .trustzone = true, .obk = true, .secbb_regs = 4, .privbb_regs = 4 },
};

/*
 * Durations: the facts sheet gives none for the H5, all UNCONFIRMED and
 * chosen at the slow end of what ST datasheets list for comparable 8 KiB
 * sector flash, so that a tool with tight timeouts fails here first:
 *   quad-word (128-bit) program      50 us
 *   OTP half-word program            50 us
 *   8 KiB sector erase               10 ms
 *   option-byte change               100 ms
 * Bank erase = sectors x sector erase (the erase walks the bank sector by
 * sector, which is what makes a cut erase leave a partly erased bank); mass
 * erase and both regressions run the two banks in parallel: the same time.
 */
const fh5_timing fh5_timing_table = {
	.qw_program_us = 50,
	.otp_program_us = 50,
	.sector_erase_us = 10000,
	.option_change_us = 100000,
};

/* ACR reset value 0x13 (LATENCY 3, WRHIGHFREQ 1): [SVD-H563]. */
#define ACR_RESET 0x13u

static const fh5_line *find_line(uint16_t dev_id)
{
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		if (lines[i].dev_id == dev_id)
			return &lines[i];
	return NULL;
}

/* Two equal banks of whole WRPSG groups of 8 KiB sectors, bank 2 at base + size/2 (facts B.2). */
static int plan_geometry(flash_h5 *f)
{
	unsigned group_kib = 8u * f->line->wrp_group;
	unsigned wrp_bits = f->line->variant == OB5_V474 ? 8u : 32u;

	if (f->part.size_kib == 0 || f->part.size_kib > f->line->max_kib || f->part.size_kib % (2u * group_kib))
		return -1;
	f->bank_bytes = f->part.size_kib * 512u;
	f->sectors = f->bank_bytes / FH5_SECTOR_BYTES;
	if (f->sectors > FH5_MAX_SECTORS || f->sectors > wrp_bits * f->line->wrp_group)
		return -1;
	return 0;
}

static int alloc_arrays(flash_h5 *f)
{
	if (fa5_alloc(&f->array[AREA_BANK1], f->bank_bytes, FH5_QW_BYTES) != 0 ||
	    fa5_alloc(&f->array[AREA_BANK2], f->bank_bytes, FH5_QW_BYTES) != 0 ||
	    fa5_alloc(&f->array[AREA_OBK], f->line->obk ? FLASH_H5_OBK_SIZE : 0, FH5_QW_BYTES) != 0 ||
	    fa5_alloc(&f->array[AREA_OTP], FLASH_H5_OTP_SIZE, FH5_HW_BYTES) != 0)
		return -1;
	return 0;
}

flash_h5 *flash_h5_create(const flash_h5_part *part)
{
	const fh5_line *line = part ? find_line(part->dev_id) : NULL;
	flash_h5 *f;

	if (!line || part->trustzone != line->trustzone) {
		sim_log_info("flash_h5_create: no STM32H5 flash model for DEV_ID 0x%03x with TrustZone %s",
			     part ? part->dev_id : 0, part && part->trustzone ? "on" : "off");
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		sim_log_info("flash_h5_create: out of memory");
		return NULL;
	}
	f->line = line;
	f->part = *part;
	if (plan_geometry(f) != 0) {
		sim_log_info("flash_h5_create: %u KiB is not a valid flash size for DEV_ID 0x%03x",
			     part->size_kib, part->dev_id);
		free(f);
		return NULL;
	}
	if (alloc_arrays(f) != 0) {
		sim_log_info("flash_h5_create: out of memory for the flash arrays");
		flash_h5_destroy(f);
		return NULL;
	}
	optbytes_h5_init(&f->ob, line->variant, f->sectors);
	flash_h5_power_on(f);
	return f;
}

void flash_h5_destroy(flash_h5 *f)
{
	if (!f)
		return;
	for (unsigned a = 0; a < AREA_COUNT; a++)
		fa5_free(&f->array[a]);
	free(f);
}

/* ------------------------------------------------------------- resets -- */

static void reset_registers(flash_h5 *f)
{
	for (unsigned d = 0; d < 2; d++) {
		fh5_domain *dom = &f->dom[d];

		memset(dom, 0, sizeof(*dom));
		dom->cr = CR_LOCK;
		dom->obkcfgr = OBKCFG_RESET;
	}
	f->acr = ACR_RESET;
	f->privcfgr = f->hdpextr = 0;
	f->ecccorr = f->eccdetr = f->eccdr = 0;
	memset(f->secbb, 0, sizeof(f->secbb));
	memset(f->privbb, 0, sizeof(f->privbb));
	f->optcr = OPTCR_OPTLOCK;
	f->optkey_step = 0;
	f->optkey_dead = false;
	f->opt_change_error = false;
	memset(&f->wbuf, 0, sizeof(f->wbuf));
	memset(&f->op, 0, sizeof(f->op));
	memset(&f->pending, 0, sizeof(f->pending));
	f->stall_logged = false;
	f->reset_request = false;
}

/* Option-byte load: _PRG reloads from _CUR and the bank swap takes effect ([SVD-H563] OPTCR.SWAP_BANK). */
void fh5_load_options(flash_h5 *f)
{
	optbytes_h5_reload(&f->ob);
	f->swapped = (f->ob.cur[OB5_OPTSR] & OB5_OPTSR_SWAP_BANK) != 0;
}

/*
 * PRODUCT_STATE still reads Regression / NS-Regression: a regression was cut
 * short, and the ROM finishes it at this boot (docs/h5-debug-authentication.md
 * §6).  It starts again from the beginning; erasing twice is harmless.
 */
void fh5_resume_regression(flash_h5 *f, sim_time_us now)
{
	uint8_t ps = optbytes_h5_product_state(&f->ob);

	if (ps != H5PS_REGRESSION && ps != H5PS_NS_REGRESSION)
		return;
	sim_log_info("flash: product state 0x%02x at boot: the ROM resumes the %s regression", ps,
		     ps == H5PS_REGRESSION ? "full" : "partial");
	fh5_regression_start(f, ps == H5PS_NS_REGRESSION, now);
}

static void reset(flash_h5 *f, bool power_on, sim_time_us now)
{
	flash_h5_update(f, now);
	now = f->time; /* the block may have been brought further by an access already */
	f->opsr = 0;
	fh5_ops_interrupt(f, now); /* records the cut operation in OPSR */
	reset_registers(f);
	/* OPSR tells the boot code what a reset interrupted; power-on starts from nothing. */
	if (power_on)
		f->opsr = 0;
	fh5_load_options(f);
	fh5_resume_regression(f, now);
}

void flash_h5_system_reset(flash_h5 *f)
{
	reset(f, false, sim_now_us());
}

void flash_h5_system_reset_at(flash_h5 *f, sim_time_us at)
{
	reset(f, false, at);
}

void flash_h5_power_on(flash_h5 *f)
{
	reset(f, true, sim_now_us());
}

void flash_h5_update(flash_h5 *f, sim_time_us now)
{
	if (now < f->time)
		now = f->time;
	f->time = now;
	fh5_ops_update(f, now);
}

sim_time_us flash_h5_next_change(const flash_h5 *f)
{
	return f->op.kind != OP_NONE ? f->op.end : UINT64_MAX;
}

void flash_h5_set_listener(flash_h5 *f, sim_flash_listener fn, void *ctx)
{
	f->listener = fn;
	f->listener_ctx = ctx;
}

void fh5_notify(const flash_h5 *f, sim_flash_event ev, sim_flash_phase phase, sim_time_us start, sim_time_us end)
{
	if (f->listener)
		f->listener(f->listener_ctx, ev, phase, start, end);
}

bool flash_h5_busy(const flash_h5 *f)
{
	return f->op.kind != OP_NONE && (f->op.end > sim_now_us() || f->pending.kind != OP_NONE);
}

/* Sum of the durations of finished or interrupted operations. */
sim_time_us flash_h5_busy_total_us(const flash_h5 *f)
{
	return f->busy_total;
}

/* ------------------------------------------------------------ queries -- */

uint8_t flash_h5_product_state(const flash_h5 *f)
{
	return optbytes_h5_product_state(&f->ob);
}

bool flash_h5_tz_enabled(const flash_h5 *f)
{
	return f->line->trustzone && optbytes_h5_tz_enabled(&f->ob);
}

uint32_t flash_h5_optsr_cur(const flash_h5 *f)
{
	return f->ob.cur[OB5_OPTSR];
}

/* xxBOOTADD holds address bits [31:8] (facts B.2). */
uint32_t flash_h5_boot_address(const flash_h5 *f)
{
	ob_h5_reg reg = flash_h5_tz_enabled(f) ? OB5_SECBOOTR : OB5_NSBOOTR;

	return f->ob.cur[reg] & 0xffffff00u;
}

bool flash_h5_take_reset_request(flash_h5 *f)
{
	bool r = f->reset_request;

	f->reset_request = false;
	return r;
}

/* -------------------------------------------------------- regressions -- */

void flash_h5_start_full_regression(flash_h5 *f)
{
	fh5_regression_start(f, false, sim_now_us());
}

/* Partial regression exists only with TrustZone on (facts B.3). */
void flash_h5_start_partial_regression(flash_h5 *f)
{
	if (!flash_h5_tz_enabled(f)) {
		sim_log_info("flash: partial regression requested with TrustZone off: ignored");
		return;
	}
	fh5_regression_start(f, true, sim_now_us());
}

/* -------------------------------------------------------- credentials -- */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* H503: the password hash is the 32 bytes at OTP 0x08FFF000 (facts B.4). */
static void otp_credential(const flash_h5 *f, flash_h5_credential *out)
{
	const fh5_array *otp = &f->array[AREA_OTP];
	bool blank = true;

	for (uint32_t u = 0; u < 32u / FH5_HW_BYTES; u++)
		if (otp->state[u] == UNIT_CORRUPT)
			return; /* the ROM's read faults: no usable credential */
	for (unsigned i = 0; i < 32; i++)
		blank = blank && otp->data[i] == 0xff;
	if (blank)
		return;
	out->kind = FLASH_H5_CRED_PASSWORD;
	out->permissions = 1;
	memcpy(out->hash, otp->data, 32);
}

/* The record of docs/h5-debug-authentication.md §7: 12 words in 3 quad-words at OBK + 0x100. */
static void obk_credential(const flash_h5 *f, flash_h5_credential *out)
{
	const fh5_array *obk = &f->array[AREA_OBK];
	const uint8_t *rec = obk->data + FLASH_H5_DA_RECORD;
	uint32_t kind;

	for (uint32_t u = FLASH_H5_DA_RECORD / FH5_QW_BYTES; u < FLASH_H5_DA_RECORD / FH5_QW_BYTES + 3; u++)
		if (obk->state[u] != UNIT_PROGRAMMED)
			return; /* erased, torn or ECC-corrupt */
	kind = le32(rec);
	if ((kind != FLASH_H5_CRED_PASSWORD && kind != FLASH_H5_CRED_CERT_ROOT) || le32(rec + 40) != ~kind ||
	    le32(rec + 44) != 0)
		return;
	out->kind = (flash_h5_cred_kind)kind;
	out->permissions = le32(rec + 4);
	memcpy(out->hash, rec + 8, 32);
}

void flash_h5_da_credential(const flash_h5 *f, flash_h5_credential *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = FLASH_H5_CRED_NONE;
	if (f->line->obk)
		obk_credential(f, out);
	else
		otp_credential(f, out);
}
