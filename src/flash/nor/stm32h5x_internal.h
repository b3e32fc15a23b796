/*
 * What the STM32H5 driver's files (stm32h5x.c, stm32h5x_flash.c,
 * stm32h5x_ps.c) share: the FLASH register offsets and bits they use, the
 * two control-register sets (non-secure and secure), and the helpers that
 * choose the bus transaction's security attribute, unlock, wait and decode
 * status.  Facts: ../shared/facts/stm32-facts.md B.1 (CSW SPROT) and B.2.
 */
#ifndef STM32UNBRICK_STM32H5X_INTERNAL_H
#define STM32UNBRICK_STM32H5X_INTERNAL_H

#include "stm32h5x.h"

/* Keys (facts B.2). */
#define H5_KEY1     0x45670123u
#define H5_KEY2     0xCDEF89ABu
#define H5_OPTKEY1  0x08192A3Bu
#define H5_OPTKEY2  0x4C5D6E7Fu
#define H5_OBKKEY1  0x192A083Bu
#define H5_OBKKEY2  0x6E7F4C5Du

/* NSCR / SECCR. */
#define H5_CR_LOCK      (1u << 0)
#define H5_CR_PG        (1u << 1)
#define H5_CR_SER       (1u << 2)
#define H5_CR_BER       (1u << 3)
#define H5_CR_STRT      (1u << 5)
#define H5_CR_SNB_SHIFT 6u
#define H5_CR_MER       (1u << 15)
#define H5_CR_BKSEL     (1u << 31)
/* NSSR / SECSR; NSCCR / SECCCR clear the same bits. */
#define H5_SR_BSY           (1u << 0)
#define H5_SR_WBNE          (1u << 1)
#define H5_SR_DBNE          (1u << 3)
#define H5_SR_EOP           (1u << 16)
#define H5_SR_OPTCHANGEERR  (1u << 23)
#define H5_SR_ERRORS        0x00FE0000u   /* WRPERR .. OPTCHANGEERR, bits 17..23 */
#define H5_SR_IDLE_MASK     (H5_SR_BSY | H5_SR_WBNE | H5_SR_DBNE)
/* OPTCR. */
#define H5_OPTCR_OPTLOCK    (1u << 0)
#define H5_OPTCR_OPTSTRT    (1u << 1)
#define H5_OPTCR_SWAP_BANK  (1u << 31)
/* NSOBKCFGR / SECOBKCFGR LOCK: bit 0 as in ST's CMSIS header, UNCONFIRMED (not in the facts sheet). */
#define H5_OBKCFGR_LOCK     (1u << 0)

#define H5_OPTSR_PS_SHIFT   8u
#define H5_OPTSR2_TZEN_SHIFT 24u

static const h5_reg_off H5_REG_OPTCR = { 0x1C };
static const h5_reg_off H5_REG_OPTKEYR = { 0x0C };
static const h5_reg_off H5_REG_OPTSR_CUR = { 0x50 };
static const h5_reg_off H5_REG_OPTSR2_CUR = { 0x70 };

/* One set of control registers: the non-secure one (NSxx at 0x40022000) or the secure one (SECxx at
 * 0x50022000, reached with secure transactions only). */
typedef struct h5_ctl {
	bool secure;
	uint32_t base;
	h5_reg_off keyr, sr, cr, ccr, obkkeyr, obkcfgr;
	const char *sr_name, *cr_name, *obkcfgr_name;
} h5_ctl;

extern const h5_ctl h5_ctl_ns;
extern const h5_ctl h5_ctl_s;
extern const h5_ctl h5_ctl_ns_secure;

/* Default bounds, ours: the facts sheet has no H5 datasheet timings (UNCONFIRMED); each is several
 * times what an 8 KiB-sector flash of this class needs, and all scale with `h5 timeout_scale`. */
#define H5_TIMEOUT_OPTION_MS   10000u
#define H5_TIMEOUT_SECTOR_MS   2000u
#define H5_TIMEOUT_BANK_MS     30000u
#define H5_TIMEOUT_MASS_MS     60000u
#define H5_TIMEOUT_BATCH_MS    2000u  /* one sector's worth of quad-words */
#define H5_TIMEOUT_IDLE_MS     500u   /* whatever ran before us */

/* Usual durations, for progress lines only: ours as well (no H5 datasheet figure in the facts sheet),
 * the slow end of 8 KiB-sector flash of this class and the same as the simulator's; the lines say
 * "our estimate".  A mass erase is counted as both banks one after the other. */
#define H5_EST_SECTOR_ERASE_MS 10u
#define H5_EST_OPTION_MS       100u
unsigned h5_est_bank_erase_ms(const h5_target *t);
/* A DA regression erases both banks in turn, then OBKs and SRAMs, and reboots (h5_est_regression_ms). */
#define H5_EST_REBOOT_MS 500u

unsigned h5_scaled(const h5_target *t, unsigned ms);
/* Put `prefix` (printf-style) before the current error message; returns `e`. */
ub_err h5_wrap_error(ub_err e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
ub_err h5_need_line(const h5_target *t, const char *op);

/* AP1 transactions secure (SPROT = 0) or non-secure (SPROT = 1): changes OpenOCD's CSW pattern only
 * when it differs, remembering what the command found. */
ub_err h5_set_secure(h5_target *t, bool secure);
/* Memory through AP1 with the given attribute. */
ub_err h5_sys_read(h5_target *t, bool secure, uint32_t addr, uint32_t *words, size_t n);
ub_err h5_sys_write(h5_target *t, bool secure, uint32_t addr, const uint32_t *words, size_t n);
/* A FLASH register of a control set's block, with that set's attribute. */
ub_err h5_reg_read(h5_target *t, const h5_ctl *c, h5_reg_off r, uint32_t *v);
ub_err h5_reg_write(h5_target *t, const h5_ctl *c, h5_reg_off r, uint32_t v);

/* Write the two keys to `key` when `lock_bit` of `ctl` is set; UB_ERR_REFUSED naming the register
 * when it stays locked (a wrong sequence locks it until reset, facts B.2). */
ub_err h5_unlock(h5_target *t, const h5_ctl *c, h5_reg_off key, h5_reg_off ctl, uint32_t k1, uint32_t k2,
		 uint32_t lock_bit, const char *ctl_name);
/* Wait (bounded) for BSY, WBNE and DBNE clear; `sr` gets the last value. */
/* expected_ms: the usual time for progress lines (0: none); always an estimate on the H5. */
ub_err h5_wait_idle(h5_target *t, const h5_ctl *c, const char *step, unsigned timeout_ms, unsigned expected_ms,
		    uint32_t *sr);
/* A status value (the last one h5_wait_idle() read): any error flag is cleared and reported by name
 * with the register value. */
ub_err h5_check_errors(h5_target *t, const h5_ctl *c, const char *step, uint32_t addr, uint32_t sr);
/* "WRPERR PGSERR" for the error bits of a status value. */
void h5_sr_error_names(uint32_t sr, char *out, size_t len);
/* Clear, then LOCK, the control register; keeps an earlier error (`e`). */
ub_err h5_lock(h5_target *t, const h5_ctl *c, ub_err e);

/* Both _CUR and _PRG values of every option register of the line. */
ub_err h5_ob_read_both(h5_target *t, h5_ob *cur, h5_ob *prg);
/* The option-byte change itself (no verification): `lost` is set when the chip stopped answering
 * after OPTSTRT, which a PRODUCT_STATE change makes it do (its reset). */
ub_err h5_ob_program(h5_target *t, const h5_ob *want, unsigned timeout_ms, bool expect_reset, bool *lost);

#endif
