/*
 * A small register model of an STM32H5 for the H5 driver's unit tests (test_stm32h5x*.c), in C,
 * behind OpenOCD 0.12 command shapes on top of fake_openocd.h: the DAP `x.dap` (apsel/apcsw with
 * 0.12's answers), mem_ap targets `x.ap0` (APB-AP: DBGMCU) and `x.ap1` (AHB-AP of the M33:
 * read_memory/write_memory 32 and 16, was_examined, arp_examine), `dap init`, `transport select`, `jtag arp_init`
 * and `sleep` (real, and it is the model's clock for a reset).
 *
 * Modelled from ../shared/facts/stm32-facts.md B.1-B.3 and docs/h5-debug-authentication.md:
 *  - AP1 transactions carry the CSW SPROT bit (30: 1 = non-secure).  With TZEN = 0xB4 the secure
 *    FLASH block (0x5002xxxx), the secure aliases (0x0Cxxxxxx, 0x0FFDxxxx), SECBB and the SECxx
 *    registers need secure transactions, and non-secure reads of secure sectors fault; with TZEN =
 *    0xC3 the attribute is ignored and the SECxx registers read 0 and ignore writes.
 *  - Product state: Closed/Locked/Regression close AP1; iROT-Provisioned/TZ-Closed allow only
 *    non-secure transactions.
 *  - Keys per register (a wrong key locks until reset), LOCK/PG/SER/BER/MER/STRT/SNB/BKSEL, two of
 *    SER/BER/MER or PG with them = PGSERR, WRP (WRPSG bit 0 = protected) and TrustZone = WRPERR,
 *    write buffer of one quad-word (INCERR on a jump), BSY for `busy_reads` status reads.
 *  - Options: _PRG writable while OPTCR is unlocked; OPTSTRT copies _PRG to _CUR unless
 *    OPTCHANGEERR is pending or the change goes backwards; a PRODUCT_STATE change resets the chip
 *    when it completes (the DP is dead for `reset_dead_sleeps` sleeps, then stale until `dap init`).
 *  - OBK (not H503): PG and OBKCFGR unlocked (of the secure set with TrustZone on), else OBKERR;
 *    OTP: half-words with NSCR.PG, each once.
 */
#ifndef STM32UNBRICK_FAKE_H5_CHIP_H
#define STM32UNBRICK_FAKE_H5_CHIP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fake_openocd.h"

#define FH5_NS 0x40022000u
#define FH5_S  0x50022000u
#define FH5_MAX_EVENTS 400000u

typedef struct fh5_ctl {
	uint32_t cr, sr, obkcfgr;
	int key_stage, obk_stage;
	bool key_dead, obk_dead;
} fh5_ctl;

typedef struct fh5_event {
	char op;              /* 'R' read, 'W' write, 'H' half-word write */
	bool secure;
	uint32_t addr, value;
} fh5_event;

typedef struct fh5 {
	/* configuration */
	uint16_t dev_id, rev_id;
	bool tz_line, has_obk;
	unsigned flash_kib, secbb_n, busy_reads_per_op;
	bool st_dbgmcu_answers;
	bool stuck_busy;
	uint32_t inject_errors;         /* raised (once) by the next erase or program */
	bool refuse_optstrt;
	uint32_t optsr_frozen;          /* OPTSR bits an option change cannot move (a field that does not take) */
	uint32_t drop_quad_at;          /* physical offset + 1 of a quad-word whose programming does not take */
	unsigned reset_dead_sleeps;
	/* OpenOCD side */
	unsigned apsel;
	uint32_t csw[4];
	/* registers */
	fh5_ctl ctl[2];                 /* 0 non-secure set, 1 secure set */
	uint32_t optcr;
	int optkey_stage;
	bool optkey_dead;
	uint32_t cur[0x80], prg[0x80];  /* option registers, both by the _CUR offset / 4 */
	uint32_t secbb[2][4];
	unsigned busy;
	/* memories */
	uint8_t *flash;
	uint32_t flash_size;
	uint8_t obk[0x2000], otp[0x800];
	uint8_t wbuf[16];
	uint32_t wbuf_addr;
	unsigned wbuf_fill;
	/* reset */
	unsigned dead;
	bool stale, reset_after_busy;
	int pending_ps;                 /* a PRODUCT_STATE that takes effect at the reset, or -1 */
	/* counters and trace */
	unsigned sector_erases, bank_erases, mass_erases, quads, option_changes, resets, halves, double_programs;
	unsigned flash_write_cmds;      /* write_memory commands that start in user flash */
	unsigned dap_inits;             /* `dap init` attempts */
	bool ap1_unexamined;            /* x.ap1 was created with -defer-examine and not examined yet */
	unsigned long csw_commands;
	fh5_event *ev;
	size_t nev;
} fh5;

static const uint8_t fh5_rank[256] = { [0xED] = 1, [0x17] = 2, [0x2E] = 3, [0xC6] = 4, [0x72] = 5, [0x5C] = 6 };

static inline uint8_t fh5_ps(const fh5 *m) { return (uint8_t)(m->cur[0x50 / 4] >> 8); }
static inline bool fh5_tz(const fh5 *m) { return m->tz_line && (m->cur[0x70 / 4] >> 24) == 0xB4; }
static inline bool fh5_swap(const fh5 *m) { return (m->cur[0x50 / 4] >> 31) != 0; }

static inline void fh5_log(fh5 *m, char op, bool secure, uint32_t addr, uint32_t value)
{
	if (m->nev < FH5_MAX_EVENTS)
		m->ev[m->nev++] = (fh5_event){ op, secure, addr, value };
}

/* A system reset: locks, flags, buffers and SECBB back to reset values (facts B.2). */
static inline void fh5_system_reset(fh5 *m)
{
	for (int i = 0; i < 2; i++)
		m->ctl[i] = (fh5_ctl){ .cr = 1, .obkcfgr = 1 };
	m->optcr = 1 | (m->cur[0x50 / 4] & 0x80000000u);
	m->optkey_stage = 0;
	m->optkey_dead = false;
	memset(m->secbb, 0, sizeof(m->secbb));
	m->busy = 0;
	m->wbuf_fill = 0;
	if (m->pending_ps >= 0)
		m->cur[0x50 / 4] = (m->cur[0x50 / 4] & ~0xFF00u) | (uint32_t)m->pending_ps << 8;
	m->pending_ps = -1;
	memcpy(m->prg, m->cur, sizeof(m->prg));
	m->resets++;
}

static inline void fh5_init(fh5 *m, uint16_t dev_id, unsigned flash_kib, uint8_t ps, uint8_t tzen)
{
	memset(m, 0, sizeof(*m));
	m->dev_id = dev_id;
	m->rev_id = 0x1001;
	m->tz_line = dev_id != 0x474;
	m->has_obk = dev_id != 0x474;
	m->flash_kib = flash_kib;
	m->secbb_n = dev_id == 0x484 ? 4 : 1;
	m->busy_reads_per_op = 2;
	m->st_dbgmcu_answers = true;
	m->reset_dead_sleeps = 2;
	m->pending_ps = -1;
	for (int i = 0; i < 4; i++)
		m->csw[i] = 0xa2000000u;
	m->flash_size = flash_kib * 1024u;
	m->flash = malloc(m->flash_size);
	m->ev = malloc(FH5_MAX_EVENTS * sizeof(*m->ev));
	memset(m->flash, 0xFF, m->flash_size);
	memset(m->obk, 0xFF, sizeof(m->obk));
	memset(m->otp, 0xFF, sizeof(m->otp));
	/* BOOT_UBE 0xB4, IWDG_STOP/STDBY, NRST_STOP/STDBY, IWDG/WWDG by software. */
	m->cur[0x50 / 4] = 0xB4u << 22 | 0x00300000u | (uint32_t)ps << 8 | 0xD8u;
	m->cur[0x70 / 4] = (uint32_t)(m->tz_line ? tzen : 0) << 24;
	m->cur[0x80 / 4] = 0x080000C3u;
	m->cur[0x88 / 4] = m->tz_line ? 0x0C0000C3u : 0;
	m->cur[0xE8 / 4] = m->cur[0x1E8 / 4] = 0xFFFFFFFFu;                 /* no write protection */
	m->cur[0xF8 / 4] = m->cur[0x1F8 / 4] = 0x00000001u;                 /* HDP: start 1 > end 0 */
	m->cur[0xE0 / 4] = m->cur[0x1E0 / 4] = 0x00000001u;                 /* SECWM: none */
	fh5_system_reset(m);
	m->resets = 0;
}

static inline void fh5_free(fh5 *m)
{
	free(m->flash);
	free(m->ev);
}

/* ---- flash array ------------------------------------------------------------------------------- */

static inline uint32_t fh5_bank_bytes(const fh5 *m) { return m->flash_size / 2; }

/* Physical array offset of a logical (CPU address) offset: SWAP_BANK exchanges the banks. */
static inline uint32_t fh5_phys(const fh5 *m, uint32_t off)
{
	uint32_t bb = fh5_bank_bytes(m);
	return fh5_swap(m) ? (off < bb ? off + bb : off - bb) : off;
}

/* Secure sector (SECBB bit or inside the bank's secure watermark) of a physical offset. */
static inline bool fh5_secure_sector(const fh5 *m, uint32_t phys)
{
	unsigned bank = phys >= fh5_bank_bytes(m), sector = (phys % fh5_bank_bytes(m)) / 8192;
	uint32_t wm = m->cur[(bank ? 0x1E0 : 0xE0) / 4];
	unsigned strt = wm & 0x7F, end = (wm >> 16) & 0x7F;
	if (!fh5_tz(m))
		return false;
	return ((m->secbb[bank][sector / 32] >> (sector % 32)) & 1) || (strt <= end && sector >= strt && sector <= end);
}

static inline bool fh5_write_protected(const fh5 *m, uint32_t phys)
{
	unsigned bank = phys >= fh5_bank_bytes(m), sector = (phys % fh5_bank_bytes(m)) / 8192;
	unsigned group = m->dev_id == 0x484 ? sector / 4 : sector;
	return !((m->cur[(bank ? 0x1E8 : 0xE8) / 4] >> group) & 1);
}

/* WRPERR unless the control set may change this sector. */
static inline bool fh5_may_change(fh5 *m, int set, uint32_t phys)
{
	if (fh5_write_protected(m, phys) || (fh5_tz(m) && fh5_secure_sector(m, phys) != (set == 1))) {
		m->ctl[set].sr |= 1u << 17;
		return false;
	}
	return true;
}

static inline void fh5_erase(fh5 *m, int set, uint32_t cr)
{
	int modes = !!(cr & 4) + !!(cr & 8) + !!(cr & 0x8000);
	uint32_t bb = fh5_bank_bytes(m), first, len;
	if (modes != 1 || (cr & 2)) {
		m->ctl[set].sr |= 1u << 18;
		return;
	}
	if (cr & 0x8000) {
		first = 0, len = m->flash_size, m->mass_erases++;
	} else {
		first = (cr >> 31) ? bb : 0;
		len = bb;
		if (cr & 4) {
			unsigned snb = (cr >> 6) & 0x7F;
			if (snb >= bb / 8192) {
				m->ctl[set].sr |= 1u << 18;
				return;
			}
			first += snb * 8192, len = 8192, m->sector_erases++;
		} else {
			m->bank_erases++;
		}
	}
	for (uint32_t o = first; o < first + len; o += 8192)
		if (!fh5_may_change(m, set, o))
			return;
	memset(m->flash + first, 0xFF, len);
	m->busy = m->busy_reads_per_op;
}

/* ---- registers ---------------------------------------------------------------------------------- */

static inline bool fh5_key(int *stage, bool *dead, uint32_t v, uint32_t k1, uint32_t k2, uint32_t *lockreg)
{
	if (*dead)
		return false;
	if (*stage == 0 && v == k1) {
		*stage = 1;
	} else if (*stage == 1 && v == k2 && (*lockreg & 1)) {
		*stage = 0;
		*lockreg &= ~1u;
	} else {
		*dead = true;
	}
	return true;
}

static inline void fh5_optstrt(fh5 *m)
{
	uint8_t from = fh5_ps(m), to = (uint8_t)(m->prg[0x50 / 4] >> 8);
	if ((m->ctl[0].sr >> 23) & 1)
		return; /* OPTCHANGEERR pending: OPTSTRT ignored (facts B.2) */
	if (m->refuse_optstrt || !fh5_rank[to] || fh5_rank[to] < fh5_rank[from]) {
		m->refuse_optstrt = false;
		m->ctl[0].sr |= 1u << 23;
		return;
	}
	uint32_t optsr = m->cur[0x50 / 4];
	memcpy(m->cur, m->prg, sizeof(m->cur));
	m->cur[0x50 / 4] = (m->cur[0x50 / 4] & ~m->optsr_frozen) | (optsr & m->optsr_frozen);
	m->option_changes++;
	m->busy = m->busy_reads_per_op;
	m->reset_after_busy = from != to;
	if (from != to) {
		/* The new state rules from the reset on (our model of facts B.2's UNCONFIRMED reset). */
		m->pending_ps = to;
		m->cur[0x50 / 4] = (m->cur[0x50 / 4] & ~0xFF00u) | (uint32_t)from << 8;
	}
}

static inline bool fh5_is_sec_reg(uint32_t off)
{
	return off == 0x08 || off == 0x14 || off == 0x24 || off == 0x2C || off == 0x34 || off == 0x44 ||
	       (off >= 0xA0 && off < 0xB0) || (off >= 0x1A0 && off < 0x1B0);
}

/* 0 ok, -1 bus fault. */
static inline int fh5_reg_read(fh5 *m, bool secure, uint32_t off, uint32_t *v)
{
	*v = 0;
	if (fh5_is_sec_reg(off) && fh5_tz(m) && !secure)
		return -1;
	if (fh5_is_sec_reg(off) && !fh5_tz(m))
		return 0;
	int set = (off == 0x24 || off == 0x2C || off == 0x34 || off == 0x44 || off == 0x08 || off == 0x14);
	switch (off) {
	case 0x1C: *v = m->optcr; return 0;
	case 0x20: case 0x24:
		*v = m->ctl[set].sr;
		if (m->busy || m->stuck_busy) {
			*v |= 1;
			if (m->busy && --m->busy == 0 && m->reset_after_busy) {
				m->reset_after_busy = false;
				fh5_system_reset(m);
				m->dead = m->reset_dead_sleeps;
				m->stale = true;
				return -1;
			}
		}
		if (m->wbuf_fill)
			*v |= 2;
		return 0;
	case 0x28: case 0x2C: *v = m->ctl[set].cr; return 0;
	case 0x40: case 0x44: *v = m->has_obk ? m->ctl[set].obkcfgr : 0; return 0;
	}
	if (off >= 0xA0 && off < 0xB0)
		*v = m->secbb[0][(off - 0xA0) / 4];
	else if (off >= 0x1A0 && off < 0x1B0)
		*v = m->secbb[1][(off - 0x1A0) / 4];
	else if (off >= 0x50 && off < 0x200)
		*v = (off & 4) ? m->prg[(off - 4) / 4] : m->cur[off / 4];  /* _PRG right after _CUR */
	return 0;
}

static inline int fh5_reg_write(fh5 *m, bool secure, uint32_t off, uint32_t v)
{
	if (fh5_is_sec_reg(off) && fh5_tz(m) && !secure)
		return -1;
	if (fh5_is_sec_reg(off) && !fh5_tz(m))
		return 0;
	int set = (off == 0x24 || off == 0x2C || off == 0x34 || off == 0x44 || off == 0x08 || off == 0x14);
	fh5_ctl *c = &m->ctl[set];
	switch (off) {
	case 0x04: case 0x08: fh5_key(&c->key_stage, &c->key_dead, v, 0x45670123u, 0xCDEF89ABu, &c->cr); return 0;
	case 0x0C: fh5_key(&m->optkey_stage, &m->optkey_dead, v, 0x08192A3Bu, 0x4C5D6E7Fu, &m->optcr); return 0;
	case 0x10: case 0x14:
		if (m->has_obk)
			fh5_key(&c->obk_stage, &c->obk_dead, v, 0x192A083Bu, 0x6E7F4C5Du, &c->obkcfgr);
		return 0;
	case 0x1C:
		if (v & 1)
			m->optcr |= 1;
		else if (!(m->optcr & 1) && (v & 2) && !(m->ctl[0].cr & 1))
			fh5_optstrt(m);
		return 0;
	case 0x30: case 0x34: c->sr &= ~(v & 0x00FF0000u); return 0;
	case 0x28: case 0x2C:
		if (c->cr & 1)
			return 0; /* locked: ignored */
		if (v & 1) {
			c->cr |= 1; /* setting LOCK changes nothing else */
			return 0;
		}
		c->cr = v & 0x8000FFEEu;
		if (v & 0x20)
			fh5_erase(m, set, v);
		return 0;
	case 0x40: case 0x44: if (v & 1) c->obkcfgr |= 1; return 0;
	}
	if (off >= 0xA0 && off < 0xB0)
		m->secbb[0][(off - 0xA0) / 4] = v;
	else if (off >= 0x1A0 && off < 0x1B0)
		m->secbb[1][(off - 0x1A0) / 4] = v;
	else if (off >= 0x50 && off < 0x200 && (off & 4) && !(m->optcr & 1)) {
		/* The secure option registers take only a secure write with TrustZone on. */
		bool sec_opt = off == 0x6C || off == 0x8C || off == 0xE4 || off == 0x1E4;
		if (!sec_opt || !fh5_tz(m) || secure)
			m->prg[(off - 4) / 4] = v;
	}
	return 0;
}

#endif
