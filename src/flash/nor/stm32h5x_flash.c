/*
 * STM32H5 user flash: sector, bank and mass erase, image programming in
 * quad-words, verification and blank check.
 *
 * Facts (../shared/facts/stm32-facts.md B.2): NSCR/SECCR SER, BER, MER, SNB
 * [12:6], BKSEL bit 31 (physical bank, ignores SWAP_BANK), STRT; BSY, WBNE,
 * DBNE clear before any operation; 16-byte quad-word program unit with PG.
 * With TZEN = 0xB4 in Open, ST's own tools use the secure register block
 * (0x50022000) and the secure alias (0x0C000000) with secure transactions,
 * and set every SECBBxRy to all ones for the time of the operation, so that
 * every sector is reachable from the secure side: we do the same, and put
 * back the values we found (ST writes 0) on every path.
 *
 * Round trips: a sector is erased, programmed with one write_memory of all
 * its quad-words (the bridge sends 16 KiB per command), checked once
 * (FLASH_xxSR) and read back with one read_memory.
 */
#include <stdlib.h>
#include <string.h>

#include "../../target/cm_code.h"
#include "stm32h5x_internal.h"

#define H5_MAX_SECBB 4u

static const h5_reg_off REG_SECBB1 = { 0xA0 };
static const h5_reg_off REG_SECBB2 = { 0x1A0 };

/* What one erase/program/verify command works with. */
typedef struct h5_session {
	const h5_ctl *c;
	uint32_t alias;             /* user flash base seen through c: 0x08000000 or 0x0C000000 */
	bool swap;                  /* SWAP_BANK in effect (OPTCR bit 31) */
	bool unlocked;
	unsigned secbb_count;       /* SECBBxRy per bank on this line; 0 when not touched */
	uint32_t secbb_saved[2][H5_MAX_SECBB];
} h5_session;

static uint32_t sector_bytes(const h5_target *t)
{
	return t->line->sector_kib * 1024u;
}

static uint32_t bank_bytes(const h5_target *t)
{
	return t->geo.bank_kib * 1024u;
}

static unsigned secbb_count(const h5_target *t)
{
	return h5_flash_reg_on(t->line, "SECBB1R2") ? 4 : 1;
}

static ub_err secbb_io(h5_target *t, unsigned n, uint32_t (*v)[H5_MAX_SECBB], bool write)
{
	ub_err e = UB_OK;
	for (unsigned bank = 0; e == UB_OK && bank < 2; bank++) {
		uint32_t addr = H5_FLASH_REGS_S + (bank ? REG_SECBB2 : REG_SECBB1).off;
		e = write ? h5_sys_write(t, true, addr, v[bank], n) : h5_sys_read(t, true, addr, v[bank], n);
	}
	return e;
}

/* Every sector secure for the time of the operation; checked, because a refused write would
 * otherwise show up later as a confusing WRPERR. */
static ub_err secbb_open(h5_target *t, h5_session *s)
{
	uint32_t ones[2][H5_MAX_SECBB], back[2][H5_MAX_SECBB];
	unsigned n = secbb_count(t);
	ub_err e = secbb_io(t, n, s->secbb_saved, false);
	if (e != UB_OK)
		return e;
	s->secbb_count = n;
	memset(ones, 0xFF, sizeof(ones));
	if ((e = secbb_io(t, n, ones, true)) != UB_OK || (e = secbb_io(t, n, back, false)) != UB_OK)
		return e;
	for (unsigned bank = 0; bank < 2; bank++) {
		uint32_t base = H5_FLASH_REGS_S + (bank ? REG_SECBB2 : REG_SECBB1).off;
		for (unsigned i = 0; i < n; i++)
			if (back[bank][i] != 0xFFFFFFFFu)
				return ub_fail(UB_ERR_VERIFY, "FLASH_SECBB%uR%u at 0x%08x: wrote 0xffffffff, read back "
					       "0x%08x", bank + 1, i + 1, base + 4 * i, back[bank][i]);
	}
	return UB_OK;
}

static ub_err session_end(h5_target *t, h5_session *s, ub_err e)
{
	ub_err r = UB_OK;
	if (s->secbb_count)
		r = secbb_io(t, s->secbb_count, s->secbb_saved, true);
	if (s->unlocked)
		r = h5_lock(t, s->c, r);
	return e != UB_OK ? e : r;
}

/* Which register set and alias (facts B.2), SWAP_BANK, then unlock / SECBB as needed. */
static ub_err session_begin(h5_target *t, h5_session *s, bool for_write, const char *step)
{
	uint32_t optsr, optsr2, optcr;
	memset(s, 0, sizeof(*s));
	s->c = &h5_ctl_ns;
	s->alias = H5_FLASH_BASE_NS;
	ub_err e = h5_need_line(t, step);
	if (e == UB_OK)
		e = h5_reg_read(t, &h5_ctl_ns, H5_REG_OPTSR_CUR, &optsr);
	if (e == UB_OK)
		e = h5_reg_read(t, &h5_ctl_ns, H5_REG_OPTSR2_CUR, &optsr2);
	if (e == UB_OK)
		e = h5_reg_read(t, &h5_ctl_ns, H5_REG_OPTCR, &optcr);
	if (e != UB_OK)
		return e;
	s->swap = (optcr & H5_OPTCR_SWAP_BANK) != 0;
	if (t->line->has_trustzone && (optsr2 >> H5_OPTSR2_TZEN_SHIFT) == H5_TZEN_ENABLED &&
	    (uint8_t)(optsr >> H5_OPTSR_PS_SHIFT) == H5_PS_OPEN) {
		s->c = &h5_ctl_s;
		s->alias = H5_FLASH_BASE_S;
	}
	if (!for_write && !s->c->secure)
		return UB_OK;
	uint32_t sr;
	e = h5_wait_idle(t, s->c, step, h5_scaled(t, H5_TIMEOUT_IDLE_MS), 0, &sr);
	if (e == UB_OK)
		e = h5_unlock(t, s->c, s->c->keyr, s->c->cr, H5_KEY1, H5_KEY2, H5_CR_LOCK, s->c->cr_name);
	s->unlocked = e == UB_OK;
	if (e == UB_OK)
		e = h5_reg_write(t, s->c, s->c->ccr, H5_SR_ERRORS | H5_SR_EOP);
	if (e == UB_OK && s->c->secure)
		e = secbb_open(t, s);
	return e != UB_OK ? session_end(t, s, e) : UB_OK;
}

/* ---- Erase ------------------------------------------------------------------------------------- */

/* One erase: the mode bits, then STRT with them (facts B.2), bounded wait, flags by name. */
static ub_err erase_op(h5_target *t, h5_session *s, uint32_t cr, const char *what, uint32_t addr, unsigned timeout,
		       unsigned expected_ms)
{
	uint32_t sr;
	ub_err e = h5_reg_write(t, s->c, s->c->cr, cr);
	if (e == UB_OK)
		e = h5_reg_write(t, s->c, s->c->cr, cr | H5_CR_STRT);
	if (e == UB_OK)
		e = h5_wait_idle(t, s->c, what, timeout, expected_ms, &sr);
	/* The mode bits stay until the next operation rewrites the register or session_end() locks it. */
	return e != UB_OK ? e : h5_check_errors(t, s->c, what, addr, sr);
}

/* Start address of a physical bank as the CPU sees it now (SWAP_BANK exchanges them). */
static uint32_t physical_bank_base(const h5_target *t, const h5_session *s, unsigned bank)
{
	unsigned logical = s->swap ? 3 - bank : bank;
	return logical == 1 ? H5_FLASH_BASE_NS : t->geo.bank2_base;
}

static uint32_t bksel(unsigned physical_bank)
{
	return physical_bank == 2 ? H5_CR_BKSEL : 0;
}

static ub_err erase_sector_in(h5_target *t, h5_session *s, unsigned bank, unsigned sector, unsigned timeout)
{
	uint32_t addr = physical_bank_base(t, s, bank) + sector * sector_bytes(t);
	uint32_t cr = H5_CR_SER | (uint32_t)sector << H5_CR_SNB_SHIFT | bksel(bank);
	return erase_op(t, s, cr, "sector erase", addr, timeout ? timeout : h5_scaled(t, H5_TIMEOUT_SECTOR_MS),
			H5_EST_SECTOR_ERASE_MS);
}

ub_err h5_erase_sector(h5_target *t, unsigned bank, unsigned sector, unsigned timeout_ms)
{
	h5_session s;
	ub_err e = h5_need_line(t, "h5 sector erase");
	if (e == UB_OK && (bank < 1 || bank > 2 || sector >= t->geo.sectors_per_bank))
		e = ub_fail(UB_ERR_ARG, "h5 sector erase: bank %u sector %u does not exist (banks 1..2, sectors 0..%u)",
			    bank, sector, t->geo.sectors_per_bank - 1);
	if (e == UB_OK)
		e = session_begin(t, &s, true, "sector erase (idle before start)");
	if (e != UB_OK)
		return e;
	return session_end(t, &s, erase_sector_in(t, &s, bank, sector, timeout_ms));
}

ub_err h5_erase_bank(h5_target *t, unsigned bank, unsigned timeout_ms)
{
	h5_session s;
	ub_err e = h5_need_line(t, "h5 bank erase");
	if (e == UB_OK && (bank < 1 || bank > 2))
		e = ub_fail(UB_ERR_ARG, "h5 bank erase: no bank %u (1 or 2)", bank);
	if (e == UB_OK)
		e = session_begin(t, &s, true, "bank erase (idle before start)");
	if (e != UB_OK)
		return e;
	e = erase_op(t, &s, H5_CR_BER | bksel(bank), "bank erase", physical_bank_base(t, &s, bank),
		     timeout_ms ? timeout_ms : h5_scaled(t, H5_TIMEOUT_BANK_MS), h5_est_bank_erase_ms(t));
	return session_end(t, &s, e);
}

ub_err h5_erase_all(h5_target *t, unsigned timeout_ms)
{
	h5_session s;
	ub_err e = session_begin(t, &s, true, "mass erase (idle before start)");
	if (e != UB_OK)
		return e;
	e = erase_op(t, &s, H5_CR_MER, "mass erase", H5_FLASH_BASE_NS,
		     timeout_ms ? timeout_ms : h5_scaled(t, H5_TIMEOUT_MASS_MS), 2 * h5_est_bank_erase_ms(t));
	return session_end(t, &s, e);
}

/* ---- Image to sectors -------------------------------------------------------------------------- */

/* Offset into user flash of an image address through either alias; false when outside. */
static bool flash_offset(const h5_target *t, uint32_t addr, uint32_t len, uint32_t *off)
{
	uint64_t size = (uint64_t)t->geo.flash_kib * 1024u;
	const uint32_t bases[2] = { H5_FLASH_BASE_NS, H5_FLASH_BASE_S };
	for (unsigned i = 0; i < 2; i++)
		if (addr >= bases[i] && (uint64_t)addr - bases[i] + len <= size) {
			*off = addr - bases[i];
			return true;
		}
	return false;
}

typedef struct h5_plan {
	uint8_t **sector;           /* NULL for a sector the image does not touch, else its whole contents */
	unsigned count;
} h5_plan;

static void plan_free(h5_plan *p)
{
	for (unsigned i = 0; p->sector && i < p->count; i++)
		free(p->sector[i]);
	free(p->sector);
	p->sector = NULL;
}

/* Lay one segment into the touched sectors; a byte given twice (both aliases) is refused. */
static ub_err plan_segment(const h5_target *t, h5_plan *p, uint8_t **seen, const ub_image_segment *sg, uint32_t off)
{
	uint32_t sb = sector_bytes(t);
	for (uint32_t done = 0; done < sg->len;) {
		uint32_t o = off + done, idx = o / sb, in = o % sb, n = sb - in;
		if (n > sg->len - done)
			n = sg->len - done;
		if (!p->sector[idx]) {
			p->sector[idx] = malloc(sb);
			seen[idx] = calloc(1, sb);
			if (!p->sector[idx] || !seen[idx])
				return ub_fail(UB_ERR_NOMEM, "h5 program: out of memory");
			memset(p->sector[idx], 0xFF, sb);
		}
		for (uint32_t k = 0; k < n; k++)
			if (seen[idx][in + k]++)
				return ub_fail(UB_ERR_ARG, "h5 program: flash offset 0x%x is given twice (through the "
					       "non-secure and the secure alias)", idx * sb + in + k);
		memcpy(p->sector[idx] + in, sg->data + done, n);
		done += n;
	}
	return UB_OK;
}

static ub_err plan_image(const h5_target *t, const ub_image *img, h5_plan *p)
{
	p->count = t->geo.flash_kib / t->line->sector_kib;
	p->sector = calloc(p->count, sizeof(*p->sector));
	uint8_t **seen = calloc(p->count, sizeof(*seen));
	ub_err e = (p->sector && seen) ? UB_OK : ub_fail(UB_ERR_NOMEM, "h5 program: out of memory");
	for (size_t i = 0; e == UB_OK && i < img->count; i++) {
		uint32_t off;
		const ub_image_segment *sg = &img->seg[i];
		if (!flash_offset(t, sg->addr, sg->len, &off))
			e = ub_fail(UB_ERR_ARG, "h5 program: image bytes 0x%08x..0x%08x are outside the %u KiB of user "
				    "flash (0x%08x or its secure alias 0x%08x)", sg->addr, sg->addr + sg->len - 1,
				    t->geo.flash_kib, H5_FLASH_BASE_NS, H5_FLASH_BASE_S);
		else
			e = plan_segment(t, p, seen, sg, off);
	}
	for (unsigned i = 0; seen && i < p->count; i++)
		free(seen[i]);
	free(seen);
	if (e != UB_OK)
		plan_free(p);
	return e;
}

/* ---- Program and verify ------------------------------------------------------------------------ */

static void bytes_to_words(const uint8_t *b, uint32_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		w[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 | (uint32_t)b[4 * i + 2] << 16 |
		       (uint32_t)b[4 * i + 3] << 24;
}

static void words_to_bytes(const uint32_t *w, uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k < 4; k++)
			b[4 * i + k] = (uint8_t)(w[i] >> (8 * k));
}

static bool quad_blank(const uint8_t *q)
{
	for (unsigned i = 0; i < H5_QUAD_WORD; i++)
		if (q[i] != 0xFF)
			return false;
	return true;
}

/* Compare what flash holds with what it should; name the first difference by its NS address. */
static ub_err compare(const uint8_t *flash, const uint8_t *want, size_t n, uint32_t ns_addr, const char *step)
{
	if (memcmp(flash, want, n) == 0)
		return UB_OK;
	size_t i = 0;
	while (flash[i] == want[i])
		i++;
	return ub_fail(UB_ERR_VERIFY, "%s: flash at 0x%08x reads 0x%02x, expected 0x%02x", step,
		       ns_addr + (uint32_t)i, flash[i], want[i]);
}

/* All non-blank quad-words of the sector, runs of consecutive ones in one write each (erased
 * quad-words are skipped: programming 0xFF would use up the quad-word's one programming). */
static ub_err program_quads(h5_target *t, h5_session *s, uint32_t off, const uint8_t *buf, uint32_t *words)
{
	uint32_t sb = sector_bytes(t);
	ub_err e = UB_OK;
	for (uint32_t q = 0; e == UB_OK && q < sb;) {
		if (quad_blank(buf + q)) {
			q += H5_QUAD_WORD;
			continue;
		}
		uint32_t end = q;
		while (end < sb && !quad_blank(buf + end))
			end += H5_QUAD_WORD;
		bytes_to_words(buf + q, words, (end - q) / 4);
		e = h5_sys_write(t, s->c->secure, s->alias + off + q, words, (end - q) / 4);
		q = end;
	}
	return e;
}

static ub_err program_sector(h5_target *t, h5_session *s, unsigned idx, const uint8_t *buf, uint32_t *words,
			     uint8_t *back, unsigned timeout)
{
	uint32_t sb = sector_bytes(t), off = idx * sb, bb = bank_bytes(t), sr;
	unsigned logical = off < bb ? 1 : 2, bank = s->swap ? 3 - logical : logical;
	ub_err e = erase_sector_in(t, s, bank, (off % bb) / sb, timeout);
	if (e == UB_OK)
		e = h5_reg_write(t, s->c, s->c->cr, H5_CR_PG);
	if (e == UB_OK)
		e = program_quads(t, s, off, buf, words);
	if (e == UB_OK)
		e = h5_wait_idle(t, s->c, "quad-word programming",
				 timeout ? timeout : h5_scaled(t, H5_TIMEOUT_BATCH_MS), 0, &sr);
	if (e == UB_OK)
		e = h5_check_errors(t, s->c, "quad-word programming", H5_FLASH_BASE_NS + off, sr);
	/* PG stays set for the read-back (reads are not affected); the next erase rewrites the register. */
	if (e == UB_OK)
		e = h5_sys_read(t, s->c->secure, s->alias + off, words, sb / 4);
	if (e == UB_OK) {
		words_to_bytes(words, back, sb / 4);
		e = compare(back, buf, sb, H5_FLASH_BASE_NS + off, "verify after programming");
	}
	return e;
}

ub_err h5_program_image(h5_target *t, const ub_image *img, unsigned timeout_ms)
{
	h5_plan p = { NULL, 0 };
	h5_session s;
	ub_err e = h5_need_line(t, "h5 program");
	if (e == UB_OK && (!img || img->count == 0))
		e = ub_fail(UB_ERR_ARG, "h5 program: empty image");
	if (e == UB_OK)
		e = plan_image(t, img, &p);
	if (e != UB_OK)
		return e;
	uint32_t *words = malloc(sector_bytes(t));
	uint8_t *back = malloc(sector_bytes(t));
	e = (words && back) ? session_begin(t, &s, true, "program (idle before start)") :
			      ub_fail(UB_ERR_NOMEM, "h5 program: out of memory");
	if (e == UB_OK) {
		unsigned memaccess = 0;
		bool fast = ocd_bulk_begin(t->b, &memaccess);
		for (unsigned i = 0; e == UB_OK && i < p.count; i++)
			if (p.sector[i])
				e = program_sector(t, &s, i, p.sector[i], words, back, timeout_ms);
		ocd_bulk_end(t->b, fast, memaccess, &e);
		e = session_end(t, &s, e);
	}
	free(words);
	free(back);
	plan_free(&p);
	return e;
}

/* Read [addr, addr + len) of flash (any alignment) through the session's alias. */
static ub_err read_flash(h5_target *t, const h5_session *s, uint32_t off, uint32_t len, uint8_t *out, uint32_t *words)
{
	uint32_t first = off & ~3u, span = ((off + len + 3) & ~3u) - first;
	uint8_t *raw = malloc(span);
	if (!raw)
		return ub_fail(UB_ERR_NOMEM, "h5 verify: out of memory");
	ub_err e = h5_sys_read(t, s->c->secure, s->alias + first, words, span / 4);
	if (e == UB_OK) {
		words_to_bytes(words, raw, span / 4);
		memcpy(out, raw + (off - first), len);
	}
	free(raw);
	return e;
}

#define H5_VERIFY_CHUNK 16384u

static ub_err verify_segment(h5_target *t, const h5_session *s, const ub_image_segment *sg, uint8_t *buf,
			     uint32_t *words)
{
	uint32_t off;
	if (!flash_offset(t, sg->addr, sg->len, &off))
		return ub_fail(UB_ERR_ARG, "h5 verify: image bytes 0x%08x..0x%08x are outside user flash", sg->addr,
			       sg->addr + sg->len - 1);
	ub_err e = UB_OK;
	for (uint32_t done = 0; e == UB_OK && done < sg->len; done += H5_VERIFY_CHUNK) {
		uint32_t n = sg->len - done < H5_VERIFY_CHUNK ? sg->len - done : H5_VERIFY_CHUNK;
		e = read_flash(t, s, off + done, n, buf, words);
		if (e == UB_OK)
			e = compare(buf, sg->data + done, n, H5_FLASH_BASE_NS + off + done, "verify");
	}
	return e;
}

ub_err h5_verify_image(h5_target *t, const ub_image *img)
{
	h5_session s;
	ub_err e = h5_need_line(t, "h5 verify");
	if (e == UB_OK && (!img || img->count == 0))
		e = ub_fail(UB_ERR_ARG, "h5 verify: empty image");
	if (e == UB_OK)
		e = session_begin(t, &s, false, "verify");
	if (e != UB_OK)
		return e;
	uint8_t *buf = malloc(H5_VERIFY_CHUNK);
	uint32_t *words = malloc(H5_VERIFY_CHUNK + 8);
	e = (buf && words) ? UB_OK : ub_fail(UB_ERR_NOMEM, "h5 verify: out of memory");
	unsigned memaccess = 0;
	bool fast = e == UB_OK && ocd_bulk_begin(t->b, &memaccess);
	for (size_t i = 0; e == UB_OK && i < img->count; i++)
		e = verify_segment(t, &s, &img->seg[i], buf, words);
	ocd_bulk_end(t->b, fast, memaccess, &e);
	free(buf);
	free(words);
	return session_end(t, &s, e);
}

/* SRAM1's non-secure alias: at 0x20000000 on every H5 line, 16 KiB at least (H503; the sources are
 * listed in testing/sim/chip_h5_parts.c), with no cache in front of it. */
#define H5_WORK_SRAM1 0x20000000u

/*
 * With TrustZone off the halted core can read the flash for us (milliseconds instead of seconds of
 * JTAG): where it found a programmed bit, or the end.  The whole flash from the start when it cannot
 * (not halted, TrustZone on: the secure alias and our code's security state would have to match).
 */
static uint32_t core_first_programmed(h5_target *t, const h5_session *s, uint32_t size)
{
	uint32_t first = s->alias;
	cm_work w = { t->b, t->sys, H5_WORK_SRAM1, t->timeout_scale_pct };
	ub_err e = s->c->secure ? ub_fail(UB_ERR_UNSUPPORTED, "TrustZone on")
				: cm_scan_run(&w, &cm_blank_scan, s->alias, s->alias + size, &first, NULL);
	if (e == UB_OK)
		return first;
	ocd_log(t->b, "h5 blank_check: the debugger reads the flash (%s)", ub_last_error());
	ub_clear_error();
	return s->alias;
}

ub_err h5_blank_check(h5_target *t, bool *blank, uint32_t *first_non_blank)
{
	h5_session s;
	ub_err e = (blank && first_non_blank) ? session_begin(t, &s, false, "blank check") :
						ub_fail(UB_ERR_ARG, "h5_blank_check: NULL argument");
	if (e != UB_OK)
		return e;
	uint32_t *words = malloc(H5_VERIFY_CHUNK);
	uint32_t size = t->geo.flash_kib * 1024u;
	e = words ? UB_OK : ub_fail(UB_ERR_NOMEM, "h5 blank check: out of memory");
	*blank = true;
	/* The debugger reads from the chunk where the core saw a programmed bit, to name the byte. */
	uint32_t from = e == UB_OK ? (core_first_programmed(t, &s, size) - s.alias) & ~(H5_VERIFY_CHUNK - 1u) : 0;
	for (uint32_t off = from; e == UB_OK && *blank && off < size; off += H5_VERIFY_CHUNK) {
		uint32_t n = (size - off < H5_VERIFY_CHUNK ? size - off : H5_VERIFY_CHUNK) / 4;
		e = h5_sys_read(t, s.c->secure, s.alias + off, words, n);
		for (uint32_t i = 0; e == UB_OK && *blank && i < n; i++)
			if (words[i] != 0xFFFFFFFFu) {
				uint32_t byte = 0;
				while (((words[i] >> (8 * byte)) & 0xFF) == 0xFF)
					byte++;
				*blank = false;
				*first_non_blank = H5_FLASH_BASE_NS + off + 4 * i + byte;
			}
	}
	free(words);
	return session_end(t, &s, e);
}
