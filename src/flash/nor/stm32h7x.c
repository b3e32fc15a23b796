/*
 * STM32H7 flash controller access for recovery: identification, option-byte
 * programming, bank erase, programming and verification.
 *
 * Facts: ../shared/facts/stm32-facts.md A.1 (identification, access ports),
 * A.2 (FLASH registers at 0x52002000, bank 2 at +0x100, keys, CR/SR/OPTCR
 * bits, sequences, timeouts), A.3 (RDP).  All chip access goes through the
 * bridge (src/target/ocd_bridge.h); every wait through ub_poll_until().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../target/poll.h"
#include "stm32h7x.h"

/* FLASH register offsets, bank 1 (bank 2 at +0x100 for the per-bank ones). */
static const h7_reg_off REG_KEYR = { 0x04 };
static const h7_reg_off REG_OPTKEYR = { 0x08 };
static const h7_reg_off REG_CR = { 0x0C };
static const h7_reg_off REG_SR = { 0x10 };
static const h7_reg_off REG_CCR = { 0x14 };
static const h7_reg_off REG_OPTCR = { 0x18 };
static const h7_reg_off REG_OPTSR_CUR = { 0x1C };
static const h7_reg_off REG_OPTCCR = { 0x24 };
#define BANK2_OFFSET 0x100u

#define KEY1 0x45670123u
#define KEY2 0xCDEF89ABu
#define OPTKEY1 0x08192A3Bu
#define OPTKEY2 0x4C5D6E7Fu

#define CR_LOCK (1u << 0)
#define CR_PG (1u << 1)
#define CR_BER (1u << 3)
#define CR_PSIZE_X64 (3u << 4)
#define SR_BSY (1u << 0)
#define SR_QW (1u << 2)
/* WRPERR..DBECCERR, CRCRDERR: every error flag of facts A.2 */
#define SR_ERRORS 0x17EE0000u
#define OPTCR_OPTLOCK (1u << 0)
#define OPTCR_OPTSTART (1u << 1)
#define OPTSR_OPT_BUSY (1u << 0)
#define OPTSR_OPTCHANGEERR (1u << 30)
#define OPTCCR_CLR_OPTCHANGEERR (1u << 30)

/* Timeouts (facts A.2 timing table): one flash word is microseconds; keep
 * OpenOCD's 5 ms per word and allow a 128 KiB sector 2.2 s max, 8 of them. */
#define WORD_TIMEOUT_MS 50u
#define BANK_ERASE_TIMEOUT_MS 30000u
/* Largest block moved in one bridge command while verifying. */
#define VERIFY_CHUNK 16384u
/*
 * Flash words written between two status checks.  The controller runs one
 * word and holds one more in its queue (SR.QW, facts A.2); a write that
 * completes a third stalls the bus until a slot frees, and the JTAG-DP
 * answers WAIT.  OpenOCD 0.12 replays the scans a WAIT discarded, but a WAIT
 * during that replay leaves STICKYORUN set, after which every AP access is
 * dropped for the rest of the session (testing/tests/e2e/test_flash_queue_h7.py
 * shows it on the simulator, whose flash stalls the same way).  Streaming is
 * only safe if the link is slower than the flash, which we cannot know, so:
 * two words, then wait for QW = 0.  The status read costs as much as six data
 * words on JTAG (docs/performance.md); two words per read halve its share.
 */
#define WORDS_PER_CHECK 2u

static uint32_t reg_addr(h7_reg_off r, unsigned bank)
{
	return H7_FLASH_REGS + r.off + (bank == 2 ? BANK2_OFFSET : 0);
}

static ub_err reg_read(h7_target *t, h7_reg_off r, unsigned bank, uint32_t *v)
{
	return ocd_mem_read32(t->b, t->sys, reg_addr(r, bank), v);
}

static ub_err reg_write(h7_target *t, h7_reg_off r, unsigned bank, uint32_t v)
{
	return ocd_mem_write32(t->b, t->sys, reg_addr(r, bank), v);
}

static unsigned scaled(const h7_target *t, unsigned ms)
{
	unsigned pct = t->timeout_scale_pct ? t->timeout_scale_pct : 100;
	return (unsigned)(((uint64_t)ms * pct + 99) / 100);
}

ub_err h7_read_idcode(h7_target *t, uint32_t *idcode)
{
	if (!t || !idcode)
		return ub_fail(UB_ERR_ARG, "h7_read_idcode: NULL argument");
	if (ocd_mem_read32(t->b, t->apb, H7_DBGMCU_APB, idcode) == UB_OK && (*idcode & 0xFFF) != 0)
		return UB_OK;
	return ocd_mem_read32(t->b, t->sys, H7_DBGMCU_SYS, idcode);
}

const char *h7_rev_name(uint16_t dev_id, uint16_t rev_id)
{
	static const struct { uint16_t dev, rev; const char *name; } revs[] = {
		{ 0x450, 0x1000, "A" }, { 0x450, 0x1001, "Z" }, { 0x450, 0x1003, "Y" },
		{ 0x450, 0x2001, "X" }, { 0x450, 0x2003, "V" },
		{ 0x480, 0x1000, "A" }, { 0x483, 0x1000, "A" }, { 0x483, 0x1001, "Z" },
	};
	for (size_t i = 0; i < sizeof(revs) / sizeof(revs[0]); i++)
		if (revs[i].dev == dev_id && revs[i].rev == rev_id)
			return revs[i].name;
	return "?";
}

/* A dual-core 0x450 part has a fourth AP (the Cortex-M4's AHB-AP).  An
 * absent AP reads IDR 0 (ADIv5); one whose core is clock-gated (BCM4 = 0,
 * facts A.6) faults instead, and is there all the same. */
static bool has_cm4_ap(h7_target *t)
{
	uint32_t idr = 0;
	if (ocd_ap_read(t->b, ub_ap_num(H7_AP_CM4), 0xFC, &idr) != UB_OK) {
		ub_clear_error();
		return true;
	}
	return idr != 0;
}

ub_err h7_identify(h7_target *t)
{
	uint32_t idcode, fsize;
	ub_err e = h7_read_idcode(t, &idcode);
	if (e != UB_OK)
		return e;
	t->dev_id = idcode & 0xFFF;
	t->rev_id = idcode >> 16;
	const h7_line_info *line = h7_line_by_dev_id(t->dev_id);
	if (!line)
		return ub_fail(UB_ERR_UNSUPPORTED, "DBGMCU_IDCODE 0x%08x: DEV_ID 0x%03x is not an STM32H7 "
			       "(known: 0x450, 0x480, 0x483)", idcode, t->dev_id);
	/* The flash-size word is 16 bits; read the aligned word around it.  The
	 * Cortex-M4 of dual-core parts cannot read it (facts A.1): assume the
	 * line's largest size then, as OpenOCD does. */
	if (ocd_mem_read32(t->b, t->sys, line->flash_size_addr & ~3u, &fsize) != UB_OK) {
		ub_clear_error();
		fsize = 0xFFFF;
	}
	fsize = (line->flash_size_addr & 2) ? fsize >> 16 : fsize & 0xFFFF;
	t->flash_kib = (fsize == 0 || fsize == 0xFFFF || fsize > line->max_kib) ? line->max_kib : fsize;
	t->kind.line = line;
	t->kind.dual_core = line->dev_id == 0x450 && has_cm4_ap(t);
	/* 128 KiB parts (H750, H7B0) are single bank (facts A.2 geometry). */
	t->kind.two_banks = line->two_banks_possible && t->flash_kib > 128;
	return UB_OK;
}

ub_err h7_ob_read(h7_target *t, h7_ob *ob)
{
	if (!t || !ob || !t->kind.line)
		return ub_fail(UB_ERR_ARG, "h7_ob_read: chip not identified");
	h7_ob_init(ob, &t->kind);
	for (uint8_t i = 0; i < h7_ob_reg_count(); i++) {
		if (!ob->present[i])
			continue;
		h7_ob_reg_idx idx = { i };
		ub_err e = reg_read(t, h7_ob_reg_at(idx)->cur, 1, &ob->value[i]);
		if (e != UB_OK)
			return e;
	}
	/* OPT_BUSY and OPTCHANGEERR are status, not option bytes. */
	ob->value[0] &= ~(OPTSR_OPT_BUSY | OPTSR_OPTCHANGEERR);
	return UB_OK;
}

/*
 * Typical busy times, for progress lines only (facts A.2 timing): a 128 KiB
 * sector erases in about 1.1 s, smaller sectors in proportion; an option
 * change takes about 0.3 s, plus the erase of a bank when it is an RDP
 * regression (both banks erase in parallel).
 */
#define TYP_128K_SECTOR_ERASE_MS 1100u
#define TYP_OPTION_CHANGE_MS 300u

static unsigned bank_size(const h7_target *t);

static unsigned typ_bank_erase_ms(const h7_target *t)
{
	return (unsigned)((uint64_t)bank_size(t) * TYP_128K_SECTOR_ERASE_MS / (128u * 1024u));
}

static unsigned typ_option_change_ms(const h7_target *t, const h7_ob *want, const h7_ob *have)
{
	uint32_t to = 0, from = 0;
	bool regression = h7_ob_get(want, "RDP", &to) == UB_OK && h7_ob_get(have, "RDP", &from) == UB_OK &&
			  to == 0xAA && from != 0xAA;
	return TYP_OPTION_CHANGE_MS + (regression ? typ_bank_erase_ms(t) : 0);
}

static ub_err wait_opt_idle(h7_target *t, const char *step, unsigned timeout_ms, unsigned expected_ms,
			    uint32_t *optsr)
{
	ub_poll p = { step, "FLASH_OPTSR_CUR", t->sys, reg_addr(REG_OPTSR_CUR, 1),
		      OPTSR_OPT_BUSY, 0, timeout_ms, expected_ms, false };
	return ub_poll_until(t->b, &p, optsr);
}

static ub_err unlock_with(h7_target *t, h7_reg_off key_reg, h7_reg_off ctl_reg, unsigned bank,
			  uint32_t k1, uint32_t k2, uint32_t lock_bit, const char *what)
{
	uint32_t v;
	ub_err e = reg_read(t, ctl_reg, bank, &v);
	if (e != UB_OK || !(v & lock_bit))
		return e;
	if ((e = reg_write(t, key_reg, bank, k1)) != UB_OK || (e = reg_write(t, key_reg, bank, k2)) != UB_OK)
		return e;
	if ((e = reg_read(t, ctl_reg, bank, &v)) != UB_OK)
		return e;
	if (v & lock_bit)
		return ub_fail(UB_ERR_REFUSED, "%s stayed locked after the key sequence (0x%08x at 0x%08x): "
			       "a wrong key earlier locks it until the next reset", what, v, reg_addr(ctl_reg, bank));
	return UB_OK;
}

static ub_err write_prg_registers(h7_target *t, const h7_ob *want, const h7_ob *have)
{
	for (uint8_t i = 0; i < h7_ob_reg_count(); i++) {
		if (!want->present[i] || want->value[i] == have->value[i])
			continue;
		h7_ob_reg_idx idx = { i };
		const h7_ob_reg *r = h7_ob_reg_at(idx);
		uint32_t back;
		/* The old value in OpenOCD's log before the write: a snapshot even when this command is
		 * typed directly (unbrick saves option-bytes.txt before it gets here). */
		ocd_log(t->b, "h7 option bytes: FLASH_%s_PRG 0x%08x -> 0x%08x", r->name, have->value[i], want->value[i]);
		ub_err e = reg_write(t, r->prg, 1, want->value[i]);
		if (e == UB_OK)
			e = reg_read(t, r->prg, 1, &back);
		if (e != UB_OK)
			return e;
		if (back != want->value[i])
			return ub_fail(UB_ERR_VERIFY, "FLASH_%s_PRG at 0x%08x: wrote 0x%08x, read back 0x%08x",
				       r->name, reg_addr(r->prg, 1), want->value[i], back);
	}
	return UB_OK;
}

static ub_err verify_ob(h7_target *t, const h7_ob *wanted, const h7_ob *before)
{
	h7_ob now, expect = *wanted;
	const h7_ob *want = &expect;
	const char *names[8];
	ub_err e = h7_ob_read(t, &now);
	if (e != UB_OK)
		return e;
	h7_ob_expect_after_regression(&expect, before, &now);
	size_t n = h7_ob_diff(want, &now, names, 8);
	if (n == 0)
		return UB_OK;
	uint32_t w = 0, g = 0;
	h7_ob_get(want, names[0], &w);
	h7_ob_get(&now, names[0], &g);
	return ub_fail(UB_ERR_VERIFY, "option bytes after the change: %s is 0x%x, wanted 0x%x (%zu field%s differ)",
		       names[0], g, w, n, n == 1 ? "" : "s");
}

ub_err h7_ob_write(h7_target *t, const h7_ob *want, unsigned timeout_ms)
{
	if (!t || !want || !t->kind.line)
		return ub_fail(UB_ERR_ARG, "h7_ob_write: chip not identified");
	h7_ob have;
	uint32_t optsr = 0;
	ub_err e = wait_opt_idle(t, "option-byte change (idle before start)", scaled(t, timeout_ms), 0, &optsr);
	if (e == UB_OK)
		e = h7_ob_read(t, &have);
	if (e != UB_OK)
		return e;
	const char *names[1];
	if (h7_ob_diff(want, &have, names, 1) == 0)
		return UB_OK; /* nothing to change: idempotent */
	e = unlock_with(t, REG_OPTKEYR, REG_OPTCR, 1, OPTKEY1, OPTKEY2, OPTCR_OPTLOCK, "FLASH_OPTCR");
	if (e != UB_OK)
		goto relock;
	if ((e = write_prg_registers(t, want, &have)) != UB_OK)
		goto relock;
	if ((e = reg_write(t, REG_OPTCCR, 1, OPTCCR_CLR_OPTCHANGEERR)) != UB_OK)
		goto relock;
	if ((e = reg_write(t, REG_OPTCR, 1, OPTCR_OPTSTART)) != UB_OK)
		goto relock;
	if ((e = wait_opt_idle(t, "option-byte change", scaled(t, timeout_ms), typ_option_change_ms(t, want, &have),
			       &optsr)) != UB_OK)
		goto relock;
	if (optsr & OPTSR_OPTCHANGEERR) {
		e = ub_fail(UB_ERR_REFUSED, "the chip refused the option-byte change: OPTCHANGEERR set in "
			    "FLASH_OPTSR_CUR (0x%08x at 0x%08x)", optsr, reg_addr(REG_OPTSR_CUR, 1));
		goto relock;
	}
	e = verify_ob(t, want, &have);
relock:
	/* Always leave OPTCR locked, whatever failed; keep the first error's message. */
	if (reg_write(t, REG_OPTCR, 1, OPTCR_OPTLOCK) != UB_OK && e == UB_OK)
		e = UB_ERR_MEM_WRITE;
	return e;
}

static uint32_t cr_start(const h7_line_info *l)
{
	return 1u << l->cr_start_bit;
}

static uint32_t cr_psize(const h7_line_info *l)
{
	return l->cr_has_psize ? CR_PSIZE_X64 : 0;
}

/* The error flags of an SR value already read; any is cleared and reported. */
static ub_err check_sr_value(h7_target *t, unsigned bank, const char *step, uint32_t addr, uint32_t sr)
{
	if (!(sr & SR_ERRORS))
		return UB_OK;
	reg_write(t, REG_CCR, bank, sr & SR_ERRORS);
	return ub_fail(UB_ERR_REFUSED, "%s at 0x%08x: FLASH_SR%u = 0x%08x reports an error%s", step, addr, bank, sr,
		       (sr & (1u << 23)) ? " (RDPERR: read protection)" :
		       (sr & (1u << 17)) ? " (WRPERR: write protected)" : "");
}

static ub_err check_sr(h7_target *t, unsigned bank, const char *step, uint32_t addr)
{
	uint32_t sr;
	ub_err e = reg_read(t, REG_SR, bank, &sr);
	return e != UB_OK ? e : check_sr_value(t, bank, step, addr, sr);
}

/* `sr` (may be NULL) gets the last SR read: the error flags of what just finished. */
static ub_err wait_bank_idle(h7_target *t, unsigned bank, const char *step, unsigned timeout_ms,
			     unsigned expected_ms, uint32_t *sr)
{
	ub_poll p = { step, bank == 2 ? "FLASH_SR2" : "FLASH_SR1", t->sys, reg_addr(REG_SR, bank),
		      SR_QW | SR_BSY, 0, timeout_ms, expected_ms, false };
	return ub_poll_until(t->b, &p, sr);
}

static ub_err begin_bank_op(h7_target *t, unsigned bank)
{
	ub_err e = unlock_with(t, REG_KEYR, REG_CR, bank, KEY1, KEY2, CR_LOCK, bank == 2 ? "FLASH_CR2" : "FLASH_CR1");
	if (e == UB_OK)
		e = reg_write(t, REG_CCR, bank, SR_ERRORS);
	return e;
}

/* Always re-locks; a failure to is reported only if nothing failed before (whose message stays). */
static void end_bank_op(h7_target *t, unsigned bank, ub_err *e)
{
	char first[256];
	snprintf(first, sizeof(first), "%s", *e != UB_OK ? ub_last_error() : "");
	ub_err lock = reg_write(t, REG_CR, bank, CR_LOCK);
	if (*e != UB_OK)
		ub_fail(*e, "%s", first);
	else if (lock != UB_OK)
		*e = lock;
}

ub_err h7_bank_erase(h7_target *t, unsigned bank, unsigned timeout_ms)
{
	if (!t || !t->kind.line || bank < 1 || bank > 2 || (bank == 2 && !t->kind.two_banks))
		return ub_fail(UB_ERR_ARG, "h7_bank_erase: no bank %u on this chip", bank);
	const h7_line_info *l = t->kind.line;
	uint32_t base = bank == 2 ? H7_BANK2_BASE : H7_BANK1_BASE;
	ub_err e = wait_bank_idle(t, bank, "bank erase (idle before start)", scaled(t, timeout_ms), 0, NULL);
	if (e == UB_OK)
		e = begin_bank_op(t, bank);
	if (e != UB_OK)
		goto lock;
	uint32_t cr = CR_BER | cr_psize(l);
	if ((e = reg_write(t, REG_CR, bank, cr)) != UB_OK || (e = reg_write(t, REG_CR, bank, cr | cr_start(l))) != UB_OK)
		goto lock;
	if ((e = wait_bank_idle(t, bank, "bank erase", scaled(t, timeout_ms ? timeout_ms : BANK_ERASE_TIMEOUT_MS),
				typ_bank_erase_ms(t), NULL)) != UB_OK)
		goto lock;
	e = check_sr(t, bank, "bank erase", base);
lock:
	end_bank_op(t, bank, &e);
	return e;
}

static bool all_erased(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0xFF)
			return false;
	return true;
}

static unsigned bank_of(const h7_target *t, uint32_t addr)
{
	return (t->kind.two_banks && addr >= H7_BANK2_BASE) ? 2 : 1;
}

/* `count` consecutive flash words (at most WORDS_PER_CHECK): one MEM-AP write
 * (one bridge command), then one wait for the queue to drain whose last SR
 * read also carries the error flags. */
static ub_err program_words(h7_target *t, unsigned bank, uint32_t addr, const uint8_t *bytes, unsigned count)
{
	uint32_t words[8 * WORDS_PER_CHECK], sr = 0;
	unsigned n = count * t->kind.line->word_bytes / 4;
	memcpy(words, bytes, n * 4);
	ub_err e = ocd_mem_write(t->b, t->sys, addr, words, n);
	if (e == UB_OK)
		e = wait_bank_idle(t, bank, "flash word programming", scaled(t, count * WORD_TIMEOUT_MS), 0, &sr);
	if (e == UB_OK)
		e = check_sr_value(t, bank, "flash word programming", addr, sr);
	return e;
}

static ub_err program_by_loader(h7_target *t, unsigned bank, uint32_t addr, const uint8_t *data, size_t len)
{
	h7_loader_run r = { addr, data, len, reg_addr(REG_SR, bank), SR_ERRORS };
	h7_loader_result res;
	ub_err e = h7_loader_program(t, &r, &res);
	if (e == UB_OK && res.status)
		e = check_sr_value(t, bank, "flash word programming (loader)", res.addr, res.status);
	return e;
}

static ub_err program_run(h7_target *t, uint32_t addr, const uint8_t *data, size_t len, bool by_loader)
{
	unsigned bank = bank_of(t, addr), wb = t->kind.line->word_bytes;
	ub_err e = begin_bank_op(t, bank);
	if (e == UB_OK)
		e = reg_write(t, REG_CR, bank, CR_PG | cr_psize(t->kind.line));
	if (e == UB_OK && by_loader) {
		e = program_by_loader(t, bank, addr, data, len);
		len = 0;
	}
	for (size_t off = 0; e == UB_OK && off < len;) {
		unsigned n = 0;
		while (n < WORDS_PER_CHECK && off + (n + 1) * wb <= len && !all_erased(data + off + n * wb, wb))
			n++;
		if (n) /* programming 0xFF would burn the word's ECC: erased words are skipped */
			e = program_words(t, bank, addr + (uint32_t)off, data + off, n);
		off += (n ? n : 1) * wb;
	}
	end_bank_op(t, bank, &e);
	return e;
}

static uint32_t bank_size(const h7_target *t)
{
	return t->flash_kib * 1024u / (t->kind.two_banks ? 2 : 1);
}

/* Inside one bank, or across both when they are contiguous (2 MiB parts; a
 * 2 x 512 KiB part has a gap from 0x08080000 to 0x08100000). */
static bool range_in_flash(const h7_target *t, uint32_t addr, size_t len)
{
	uint64_t a = addr, end = (uint64_t)addr + len, bs = bank_size(t);
	if (a >= H7_BANK1_BASE && end <= H7_BANK1_BASE + bs)
		return true;
	if (!t->kind.two_banks)
		return false;
	if (a >= H7_BANK2_BASE && end <= H7_BANK2_BASE + bs)
		return true;
	return H7_BANK1_BASE + bs == H7_BANK2_BASE && a >= H7_BANK1_BASE && end <= H7_BANK2_BASE + bs;
}

ub_err h7_program(h7_target *t, uint32_t addr, const uint8_t *data, size_t len)
{
	if (!t || !t->kind.line || (!data && len))
		return ub_fail(UB_ERR_ARG, "h7_program: chip not identified");
	unsigned wb = t->kind.line->word_bytes;
	if (addr % wb || len % wb || !range_in_flash(t, addr, len))
		return ub_fail(UB_ERR_ARG, "h7_program: 0x%08x + %zu is not whole %u-byte flash words inside the flash",
			       addr, len, wb);
	const char *why = "-direct";
	bool by_loader = !t->program_direct && h7_loader_usable(t, &why) == UB_OK;
	if (!by_loader)
		ocd_log(t->b, "h7 program: writing the flash word by word (%s)", why);
	ub_clear_error();
	unsigned memaccess = 0;
	bool fast = ocd_bulk_begin(t->b, &memaccess);
	ub_err e = UB_OK;
	size_t done = 0;
	while (e == UB_OK && done < len) {
		uint32_t a = addr + (uint32_t)done;
		/* Never let one run cross from bank 1 to bank 2. */
		size_t run = len - done;
		if (t->kind.two_banks && a < H7_BANK2_BASE && a + run > H7_BANK2_BASE)
			run = H7_BANK2_BASE - a;
		e = program_run(t, a, data + done, run, by_loader);
		done += run;
	}
	if (e == UB_OK)
		e = h7_verify(t, addr, data, len);
	ocd_bulk_end(t->b, fast, memaccess, &e);
	return e;
}

ub_err h7_verify(h7_target *t, uint32_t addr, const uint8_t *data, size_t len)
{
	if (!t || (!data && len) || addr % 4 || len % 4)
		return ub_fail(UB_ERR_ARG, "h7_verify: unaligned or NULL");
	uint32_t *buf = malloc(VERIFY_CHUNK);
	if (!buf)
		return ub_fail(UB_ERR_NOMEM, "h7_verify: out of memory");
	unsigned memaccess = 0;
	bool fast = ocd_bulk_begin(t->b, &memaccess);
	ub_err e = UB_OK;
	for (size_t off = 0; e == UB_OK && off < len; off += VERIFY_CHUNK) {
		size_t n = len - off < VERIFY_CHUNK ? len - off : VERIFY_CHUNK;
		e = ocd_mem_read(t->b, t->sys, addr + (uint32_t)off, buf, n / 4);
		if (e != UB_OK || memcmp(buf, data + off, n) == 0)
			continue;
		size_t i = 0;
		while (((const uint8_t *)buf)[i] == data[off + i])
			i++;
		e = ub_fail(UB_ERR_VERIFY, "verify: flash at 0x%08x reads 0x%02x, expected 0x%02x",
			    addr + (uint32_t)(off + i), ((const uint8_t *)buf)[i], data[off + i]);
	}
	ocd_bulk_end(t->b, fast, memaccess, &e);
	free(buf);
	return e;
}

ub_err h7_blank_check(h7_target *t, unsigned bank)
{
	if (!t || !t->kind.line || bank < 1 || bank > (t->kind.two_banks ? 2u : 1u))
		return ub_fail(UB_ERR_ARG, "h7_blank_check: no bank %u", bank);
	uint32_t base = bank == 2 ? H7_BANK2_BASE : H7_BANK1_BASE, size = bank_size(t), first = base;
	/* The core reads the bank in milliseconds; the debugger reads from where the core saw a
	 * programmed bit, or all of it when the core could not help, and names the word. */
	ub_err e = h7_core_blank_scan(t, base, base + size, &first);
	if (e == UB_OK && first == base + size)
		return UB_OK;
	if (e == UB_ERR_UNSUPPORTED) {
		ocd_log(t->b, "h7 blank_check: the debugger reads bank %u (%s)", bank, ub_last_error());
		first = base;
	} else if (e != UB_OK) {
		return e;
	}
	ub_clear_error();
	uint32_t *buf = malloc(VERIFY_CHUNK);
	if (!buf)
		return ub_fail(UB_ERR_NOMEM, "h7_blank_check: out of memory");
	unsigned memaccess = 0;
	bool fast = ocd_bulk_begin(t->b, &memaccess);
	e = UB_OK;
	for (uint32_t off = (first - base) & ~(VERIFY_CHUNK - 1u); e == UB_OK && off < size; off += VERIFY_CHUNK) {
		e = ocd_mem_read(t->b, t->sys, base + off, buf, VERIFY_CHUNK / 4);
		for (uint32_t i = 0; e == UB_OK && i < VERIFY_CHUNK / 4; i++)
			if (buf[i] != 0xFFFFFFFFu)
				e = ub_fail(UB_ERR_VERIFY, "blank check bank %u: 0x%08x reads 0x%08x, not erased",
					    bank, base + off + 4 * i, buf[i]);
	}
	ocd_bulk_end(t->b, fast, memaccess, &e);
	free(buf);
	return e;
}

ub_err h7_flash_status(h7_target *t, unsigned bank, uint32_t *sr)
{
	if (!t || !sr || bank < 1 || bank > 2)
		return ub_fail(UB_ERR_ARG, "h7_flash_status: bad bank %u", bank);
	return reg_read(t, REG_SR, bank, sr);
}
