/*
 * STM32H5 flash register block (facts B.2): NS at 0x40022000, S at
 * 0x50022000, one register file behind both.
 *
 * Write semantics, register by register:
 *   ACR          read/write: LATENCY, WRHIGHFREQ, PRFTEN ([SVD-H563]).
 *   xxKEYR       write-only two-key sequences (NSKEYR/SECKEYR -> xxCR.LOCK,
 *                OPTKEYR -> OPTCR.OPTLOCK, xxOBKKEYR -> xxOBKCFGR.LOCK); a
 *                wrong key, or a key while unlocked, locks until the next
 *                system reset (facts B.2).
 *   OPSR         read-only: the operation the last reset cut.
 *   OPTCR        OPTLOCK set-only; OPTSTRT an action reading 1 while the
 *                change runs; SWAP_BANK read-only (in effect since reset).
 *   NSSR/SECSR   read-only.  NSCCR/SECCCR: write 1 to clear bits 16..22 (23
 *                OPTCHANGEERR: NSCCR only).
 *   NSCR/SECCR   LOCK set-only (a write that sets it changes nothing else);
 *                the rest writable while unlocked; FW and STRT are actions
 *                (STRT reads 1 while the erase it started runs).
 *   xxOBKCFGR    LOCK as in xxCR; ALT_SECT and SWAP_OFFSET stored; the OBK
 *                swap machinery is not modelled.
 *   *_CUR        read-only; *_PRG writable while OPTLOCK = 0 and no option
 *                change runs, field bits only; (S) ones need a secure access
 *                with TrustZone on.
 *   SECBBxRy     secure-only (see below); PRIVBBxRy, PRIVCFGR, HDPEXTR stored.
 *   ECCCORR      ECCCIE read/write, ECCC write-1-to-clear.  ECCDETR: ECCD
 *                write-1-to-clear (clears the address too).  ECCDR read-only.
 *
 * SECxx registers (SECKEYR, SECOBKKEYR, SECSR, SECCR, SECCCR, SECOBKCFGR,
 * SECBBxRy) are absent on the H503 and read 0 / ignore writes with TrustZone
 * off or for a non-secure transaction, with a guest error each time.  With
 * TrustZone on, a non-secure transaction to the 0x50022000 block faults.
 */
#include "flash_h5_internal.h"

enum {
	R_ACR = 0x00, R_NSKEYR = 0x04, R_SECKEYR = 0x08, R_OPTKEYR = 0x0c, R_NSOBKKEYR = 0x10,
	R_SECOBKKEYR = 0x14, R_OPSR = 0x18, R_OPTCR = 0x1c, R_NSSR = 0x20, R_SECSR = 0x24, R_NSCR = 0x28,
	R_SECCR = 0x2c, R_NSCCR = 0x30, R_SECCCR = 0x34, R_PRIVCFGR = 0x3c, R_NSOBKCFGR = 0x40,
	R_SECOBKCFGR = 0x44, R_HDPEXTR = 0x48, R_ECCCORR = 0x100, R_ECCDETR = 0x104, R_ECCDR = 0x108,
};

#define ACR_STORED 0x13fu
#define PRIVCFGR_STORED 0x3u
#define HDPEXTR_STORED 0x007f007fu
#define CCR_CLEARABLE 0x007f0000u
#define CR_STORED (CR_PG | CR_SER | CR_BER | (CR_SNB_MASK << CR_SNB_SHIFT) | CR_MER | CR_BKSEL)
#define OBKCFG_STORED (OBKCFG_ALT_SECT | OBKCFG_SWAP_OFFSET)

static bool sec_reg_ok(const flash_h5 *f, bool secure_access, uint32_t offset, bool write)
{
	const char *why = !f->line->trustzone ? "absent on this part (no TrustZone)"
			  : !flash_h5_tz_enabled(f) ? "TrustZone off: reads 0, writes ignored"
			  : !secure_access ? "non-secure access: reads 0, writes ignored" : NULL;

	if (!why)
		return true;
	sim_log_guest_error("flash: %s of secure register offset 0x%03x: %s", write ? "write" : "read", offset, why);
	return false;
}

static bool obk_reg_ok(const flash_h5 *f, uint32_t offset)
{
	if (f->line->obk)
		return true;
	sim_log_guest_error("flash: register offset 0x%03x: no OBK on this part", offset);
	return false;
}

/* SECBBxRy (secure) or PRIVBBxRy at `offset`, if this line has that many (facts B.2). */
static uint32_t *block_reg(flash_h5 *f, uint32_t offset, bool *secure)
{
	for (unsigned b = 0; b < 2; b++) {
		uint32_t sec_base = b ? 0x1a0u : 0xa0u, priv_base = b ? 0x1c0u : 0xc0u;

		if (offset >= sec_base && offset < sec_base + 4u * f->line->secbb_regs) {
			*secure = true;
			return &f->secbb[b][(offset - sec_base) / 4u];
		}
		if (offset >= priv_base && offset < priv_base + 4u * f->line->privbb_regs) {
			*secure = false;
			return &f->privbb[b][(offset - priv_base) / 4u];
		}
	}
	return NULL;
}

/* ---------------------------------------------------------------- reads -- */

static uint32_t read_sr(const flash_h5 *f, unsigned dom)
{
	uint32_t sr = f->dom[dom].sr;

	/* BSY shows any operation, of either domain ([SVD-H563]: "the flash memory is busy"). */
	if (f->op.kind != OP_NONE)
		sr |= SR_BSY;
	if (f->wbuf.active && f->wbuf.dom == dom)
		sr |= SR_WBNE;
	if (f->op.kind == OP_PROGRAM && f->op.area == AREA_OTP)
		sr |= SR_DBNE; /* 16-bit data with 6-bit ECC in its own buffer ([SVD-H563]) */
	if (dom == DOM_NS && f->opt_change_error)
		sr |= SR_OPTCHANGEERR;
	return sr;
}

static uint32_t read_cr(const flash_h5 *f, unsigned dom)
{
	uint32_t cr = f->dom[dom].cr;

	if (f->op.kind == OP_ERASE && f->op.dom == dom)
		cr |= CR_STRT;
	return cr;
}

static uint32_t read_optcr(const flash_h5 *f)
{
	uint32_t v = f->optcr & OPTCR_OPTLOCK;

	if (f->op.kind == OP_OPTION)
		v |= OPTCR_OPTSTRT;
	if (f->swapped)
		v |= OPTCR_SWAP_BANK;
	return v;
}

/* Everything but the option, block-based and reserved registers; false if `offset` is none of them. */
static bool read_control(flash_h5 *f, bool sa, uint32_t offset, uint32_t *v)
{
	switch (offset) {
	case R_ACR:
		*v = f->acr;
		break;
	case R_NSKEYR:
	case R_OPTKEYR:
	case R_NSCCR:
		break; /* write-only: 0 */
	case R_SECKEYR:
	case R_SECOBKKEYR:
	case R_SECCCR:
		sec_reg_ok(f, sa, offset, false);
		break;
	case R_NSOBKKEYR:
		obk_reg_ok(f, offset);
		break;
	case R_OPSR:
		*v = f->opsr;
		break;
	case R_OPTCR:
		*v = read_optcr(f);
		break;
	case R_NSSR:
		*v = read_sr(f, DOM_NS);
		break;
	case R_NSCR:
		*v = read_cr(f, DOM_NS);
		break;
	case R_SECSR:
		*v = sec_reg_ok(f, sa, offset, false) ? read_sr(f, DOM_S) : 0;
		break;
	case R_SECCR:
		*v = sec_reg_ok(f, sa, offset, false) ? read_cr(f, DOM_S) : 0;
		break;
	case R_NSOBKCFGR:
		*v = obk_reg_ok(f, offset) ? f->dom[DOM_NS].obkcfgr : 0;
		break;
	case R_SECOBKCFGR:
		*v = sec_reg_ok(f, sa, offset, false) ? f->dom[DOM_S].obkcfgr : 0;
		break;
	case R_PRIVCFGR:
		*v = f->privcfgr;
		break;
	case R_HDPEXTR:
		*v = f->hdpextr;
		break;
	case R_ECCCORR:
		*v = f->ecccorr;
		break;
	case R_ECCDETR:
		*v = f->eccdetr;
		break;
	case R_ECCDR:
		*v = f->eccdr;
		break;
	default:
		return false;
	}
	return true;
}

sim_bus_result fh5_reg_read(flash_h5 *f, bool secure_access, uint32_t offset, uint32_t *value)
{
	ob_h5_reg reg;
	bool cur, secure;
	uint32_t *bb;

	*value = 0;
	if (read_control(f, secure_access, offset, value))
		return SIM_BUS_OK;
	if (optbytes_h5_reg_at(&f->ob, offset, &reg, &cur)) {
		*value = cur ? f->ob.cur[reg] : f->ob.prg[reg];
		return SIM_BUS_OK;
	}
	bb = block_reg(f, offset, &secure);
	if (bb) {
		if (!secure || sec_reg_ok(f, secure_access, offset, false))
			*value = *bb;
		return SIM_BUS_OK;
	}
	sim_log_guest_error("flash: read of reserved register offset 0x%03x", offset);
	return SIM_BUS_OK;
}

/* --------------------------------------------------------------- writes -- */

/* Two-key unlock of `lock` in *reg (facts B.2). */
static void key_write(uint32_t *reg, uint32_t lock, unsigned *step, bool *dead, const uint32_t keys[2],
		      uint32_t value, const char *name)
{
	if (*dead) {
		sim_log_guest_error("flash: %s written after a bad key sequence: locked until reset", name);
		return;
	}
	if (*step == 0 && value == keys[0] && (*reg & lock)) {
		*step = 1;
		return;
	}
	if (*step == 1 && value == keys[1]) {
		*step = 0;
		*reg &= ~lock;
		return;
	}
	*dead = true;
	*step = 0;
	*reg |= lock;
	sim_log_guest_error("flash: bad %s sequence (0x%08x): locked until the next system reset", name, value);
}

static void write_key(flash_h5 *f, uint32_t offset, uint32_t value)
{
	static const uint32_t flash_keys[2] = { FLASH_KEY1, FLASH_KEY2 };
	static const uint32_t opt_keys[2] = { OPT_KEY1, OPT_KEY2 };
	static const uint32_t obk_keys[2] = { OBK_KEY1, OBK_KEY2 };
	fh5_domain *ns = &f->dom[DOM_NS], *s = &f->dom[DOM_S];

	if (offset == R_NSKEYR)
		key_write(&ns->cr, CR_LOCK, &ns->key_step, &ns->key_dead, flash_keys, value, "NSKEYR");
	else if (offset == R_SECKEYR)
		key_write(&s->cr, CR_LOCK, &s->key_step, &s->key_dead, flash_keys, value, "SECKEYR");
	else if (offset == R_OPTKEYR)
		key_write(&f->optcr, OPTCR_OPTLOCK, &f->optkey_step, &f->optkey_dead, opt_keys, value, "OPTKEYR");
	else if (offset == R_NSOBKKEYR)
		key_write(&ns->obkcfgr, OBKCFG_LOCK, &ns->obk_key_step, &ns->obk_key_dead, obk_keys, value,
			  "NSOBKKEYR");
	else
		key_write(&s->obkcfgr, OBKCFG_LOCK, &s->obk_key_step, &s->obk_key_dead, obk_keys, value,
			  "SECOBKKEYR");
}

static void write_cr(flash_h5 *f, unsigned dom, uint32_t value, sim_time_us now)
{
	fh5_domain *d = &f->dom[dom];
	uint32_t old = d->cr, stored = CR_STORED | (dom == DOM_NS ? CR_IE_NS : CR_IE_S | CR_INV);
	const char *name = dom == DOM_S ? "SECCR" : "NSCR";

	if (old & CR_LOCK) {
		/* Writing LOCK again is harmless; anything else is refused. */
		if (value & ~CR_LOCK)
			sim_log_guest_error("flash: %s = 0x%08x while locked: ignored", name, value);
		return;
	}
	if (value & CR_LOCK) {
		/* [SVD-H563]: when LOCK goes from 0 to 1 the other bits do not change. */
		d->cr |= CR_LOCK;
		return;
	}
	d->cr = value & stored;
	if ((d->cr & CR_INV) && !(old & CR_INV))
		sim_log_unimplemented("flash: SECCR.INV (flash security state invert) not modelled");
	if ((old & CR_PG) && !(d->cr & CR_PG) && f->wbuf.active && f->wbuf.dom == dom) {
		/* UNCONFIRMED: PG dropped with a partial quad-word is an inconsistency (as on the H7 model). */
		fh5_wbuf_discard(f);
		d->sr |= SR_INCERR;
		sim_log_guest_error("flash: %s.PG cleared with a partial quad-word: INCERR", name);
	}
	if (value & CR_FW) {
		/* [SVD-H563]: FW flushes only a buffer this domain filled. */
		if (f->wbuf.active && f->wbuf.dom == dom)
			fh5_wbuf_submit(f, now);
		else
			sim_log_guest_error("flash: %s.FW with no write buffer of this domain: no effect", name);
	}
	if (value & CR_STRT)
		fh5_start_erase(f, dom, d->cr, now);
}

static void write_ccr(flash_h5 *f, unsigned dom, uint32_t value)
{
	f->dom[dom].sr &= ~(value & CCR_CLEARABLE);
	if (dom == DOM_NS && (value & SR_OPTCHANGEERR))
		f->opt_change_error = false;
}

static void write_optcr(flash_h5 *f, uint32_t value, sim_time_us now)
{
	if (f->optcr & OPTCR_OPTLOCK) {
		if (value & OPTCR_OPTSTRT)
			sim_log_guest_error("flash: OPTCR.OPTSTRT while OPTLOCK is set: ignored");
		return;
	}
	if (value & OPTCR_OPTSTRT)
		fh5_option_start(f, now);
	if (value & OPTCR_OPTLOCK)
		f->optcr |= OPTCR_OPTLOCK;
}

static void write_obkcfgr(flash_h5 *f, unsigned dom, uint32_t value)
{
	fh5_domain *d = &f->dom[dom];

	if (d->obkcfgr & OBKCFG_LOCK) {
		if (value & ~OBKCFG_LOCK)
			sim_log_guest_error("flash: %sOBKCFGR = 0x%08x while locked: ignored", dom ? "SEC" : "NS", value);
		return;
	}
	if (value & OBKCFG_LOCK) {
		d->obkcfgr |= OBKCFG_LOCK; /* the other bits do not change ([SVD-H563]) */
		return;
	}
	d->obkcfgr = value & OBKCFG_STORED;
	if (value & (OBKCFG_ALT_SECT | OBKCFG_SWAP_SECT_REQ | OBKCFG_ALT_SECT_ERASE))
		sim_log_unimplemented("flash: OBK alternate sector / swap (ALT_SECT, SWAP_SECT_REQ, ALT_SECT_ERASE) "
				      "not modelled");
}

static void write_ecc(flash_h5 *f, uint32_t offset, uint32_t value)
{
	if (offset == R_ECCCORR) {
		f->ecccorr = (f->ecccorr & ~ECCCORR_ECCCIE) | (value & ECCCORR_ECCCIE);
		if (value & ECCCORR_ECCC)
			f->ecccorr &= ~(ECCCORR_ECCC | ECC_ADDR_MASK | ECC_OBK | ECC_BK | ECC_OTP);
	} else if (value & ECCDETR_ECCD) {
		f->eccdetr = 0; /* the address goes with the flag ([SVD-H563]) */
		f->eccdr = 0;
	}
}

static void write_hdpextr(flash_h5 *f, uint32_t value)
{
	f->hdpextr = value & HDPEXTR_STORED;
	if (f->hdpextr)
		sim_log_unimplemented("flash: HDP areas (and HDPEXTR) have no effect in the model");
}

/* Secure registers go through sec_reg_ok(), the OBK ones through obk_reg_ok(). */
static bool write_gated(flash_h5 *f, bool sa, uint32_t offset, uint32_t value, sim_time_us now)
{
	switch (offset) {
	case R_SECKEYR:
	case R_SECOBKKEYR:
		if (sec_reg_ok(f, sa, offset, true))
			write_key(f, offset, value);
		break;
	case R_SECCR:
		if (sec_reg_ok(f, sa, offset, true))
			write_cr(f, DOM_S, value, now);
		break;
	case R_SECCCR:
		if (sec_reg_ok(f, sa, offset, true))
			write_ccr(f, DOM_S, value);
		break;
	case R_SECOBKCFGR:
		if (sec_reg_ok(f, sa, offset, true))
			write_obkcfgr(f, DOM_S, value);
		break;
	case R_NSOBKKEYR:
		if (obk_reg_ok(f, offset))
			write_key(f, offset, value);
		break;
	case R_NSOBKCFGR:
		if (obk_reg_ok(f, offset))
			write_obkcfgr(f, DOM_NS, value);
		break;
	default:
		return false;
	}
	return true;
}

/* Everything but the option, block-based and reserved registers; false if `offset` is none of them. */
static bool write_control(flash_h5 *f, bool sa, uint32_t offset, uint32_t value, sim_time_us now)
{
	switch (offset) {
	case R_ACR:
		f->acr = value & ACR_STORED;
		break;
	case R_NSKEYR:
	case R_OPTKEYR:
		write_key(f, offset, value);
		break;
	case R_OPTCR:
		write_optcr(f, value, now);
		break;
	case R_NSCR:
		write_cr(f, DOM_NS, value, now);
		break;
	case R_NSCCR:
		write_ccr(f, DOM_NS, value);
		break;
	case R_PRIVCFGR:
		f->privcfgr = value & PRIVCFGR_STORED;
		break;
	case R_HDPEXTR:
		write_hdpextr(f, value);
		break;
	case R_ECCCORR:
	case R_ECCDETR:
		write_ecc(f, offset, value);
		break;
	case R_OPSR:
	case R_NSSR:
	case R_SECSR:
	case R_ECCDR:
		sim_log_guest_error("flash: write 0x%08x to read-only register offset 0x%03x", value, offset);
		break;
	default:
		return write_gated(f, sa, offset, value, now);
	}
	return true;
}

static void write_opt_reg(flash_h5 *f, bool secure_access, ob_h5_reg reg, bool cur, uint32_t value)
{
	const char *name = optbytes_h5_reg_name(reg, cur);

	if (cur) {
		sim_log_guest_error("flash: write 0x%08x to read-only %s", value, name);
		return;
	}
	if ((f->optcr & OPTCR_OPTLOCK) || f->op.kind == OP_OPTION) {
		sim_log_guest_error("flash: write to %s while %s: ignored", name,
				    (f->optcr & OPTCR_OPTLOCK) ? "OPTLOCK is set" : "an option change runs");
		return;
	}
	/* UNCONFIRMED: the secure option registers take a secure write with TrustZone on (as on STM32U5). */
	if (optbytes_h5_reg_secure(reg) && flash_h5_tz_enabled(f) && !secure_access) {
		sim_log_guest_error("flash: non-secure write to %s with TrustZone on: ignored", name);
		return;
	}
	f->ob.prg[reg] = value & optbytes_h5_reg_mask(&f->ob, reg);
}

void fh5_reg_write(flash_h5 *f, bool secure_access, uint32_t offset, uint32_t value, sim_time_us now)
{
	ob_h5_reg reg;
	bool cur, secure;
	uint32_t *bb;

	if (write_control(f, secure_access, offset, value, now))
		return;
	if (optbytes_h5_reg_at(&f->ob, offset, &reg, &cur)) {
		write_opt_reg(f, secure_access, reg, cur, value);
		return;
	}
	bb = block_reg(f, offset, &secure);
	if (bb) {
		if (!secure || sec_reg_ok(f, secure_access, offset, true))
			*bb = value;
		return;
	}
	sim_log_guest_error("flash: write 0x%08x to reserved register offset 0x%03x", value, offset);
}

/* ------------------------------------------------------ public entries -- */

static bool reg_access_ok(const flash_h5 *f, bool secure_block, bool secure_access, uint32_t offset)
{
	if (offset >= FLASH_H5_REG_SIZE || (offset & 3u))
		return false;
	if (secure_block && flash_h5_tz_enabled(f) && !secure_access) {
		sim_log_guest_error("flash: non-secure access to the secure register block (offset 0x%03x)", offset);
		return false;
	}
	return true;
}

sim_bus_result flash_h5_reg_read(flash_h5 *f, bool secure_block, bool secure_access, uint32_t offset,
				 uint32_t *value)
{
	flash_h5_update(f, sim_now_us());
	if (!reg_access_ok(f, secure_block, secure_access, offset))
		return SIM_BUS_FAULT;
	return fh5_reg_read(f, secure_access, offset, value);
}

sim_bus_result flash_h5_reg_write(flash_h5 *f, bool secure_block, bool secure_access, uint32_t offset,
				  uint32_t value)
{
	sim_time_us now = sim_now_us();

	flash_h5_update(f, now);
	if (!reg_access_ok(f, secure_block, secure_access, offset))
		return SIM_BUS_FAULT;
	fh5_reg_write(f, secure_access, offset, value, now);
	return SIM_BUS_OK;
}
