/*
 * Helpers shared by the STM32H5 flash unit tests (test_flash_h5*.c,
 * test_optbytes_h5.c): build a part from a scenario text, register and memory
 * accessors that assert the bus result, and the unlock sequences of facts
 * B.2.  The simulated clock is frozen; tests move it by hand.
 */
#ifndef STM32SIM_TEST_FLASH_H5_TESTUTIL_H
#define STM32SIM_TEST_FLASH_H5_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "flash_h5.h"

/* Register offsets (facts B.2). */
#define ACR 0x00
#define NSKEYR 0x04
#define SECKEYR 0x08
#define OPTKEYR 0x0c
#define NSOBKKEYR 0x10
#define SECOBKKEYR 0x14
#define OPSR 0x18
#define OPTCR 0x1c
#define NSSR 0x20
#define SECSR 0x24
#define NSCR 0x28
#define SECCR 0x2c
#define NSCCR 0x30
#define SECCCR 0x34
#define PRIVCFGR 0x3c
#define NSOBKCFGR 0x40
#define SECOBKCFGR 0x44
#define HDPEXTR 0x48
#define OPTSR_CUR 0x50
#define OPTSR_PRG 0x54
#define NSEPOCHR_PRG 0x64
#define OPTSR2_CUR 0x70
#define OPTSR2_PRG 0x74
#define NSBOOTR_CUR 0x80
#define NSBOOTR_PRG 0x84
#define SECBOOTR_CUR 0x88
#define SECBOOTR_PRG 0x8c
#define OTPBLR_CUR 0x90
#define OTPBLR_PRG 0x94
#define SECBB1R1 0xa0
#define PRIVBB1R1 0xc0
#define SECWM1R_CUR 0xe0
#define SECWM1R_PRG 0xe4
#define WRP1R_CUR 0xe8
#define WRP1R_PRG 0xec
#define EDATA1R_PRG 0xf4
#define HDP1R_CUR 0xf8
#define ECCCORR 0x100
#define ECCDETR 0x104
#define ECCDR 0x108
#define SECBB2R1 0x1a0
#define SECWM2R_CUR 0x1e0
#define WRP2R_CUR 0x1e8
#define WRP2R_PRG 0x1ec

/* Bits (facts B.2). */
#define LOCK 1u
#define PG 2u
#define SER 4u
#define BER 8u
#define FW 0x10u
#define STRT 0x20u
#define SNB(n) ((uint32_t)(n) << 6)
#define MER (1u << 15)
#define BKSEL (1u << 31)
#define BSY 1u
#define WBNE 2u
#define DBNE 8u
#define EOP (1u << 16)
#define WRPERR (1u << 17)
#define PGSERR (1u << 18)
#define STRBERR (1u << 19)
#define INCERR (1u << 20)
#define OBKERR (1u << 21)
#define OBKWERR (1u << 22)
#define OPTCHANGEERR (1u << 23)
#define ALL_FLAGS 0x00ff0000u
#define OPTLOCK 1u
#define OPTSTRT 2u
#define ECCD (1u << 31)

/* Durations chosen in flash_h5.c (UNCONFIRMED table). */
#define T_QW 50u
#define T_SECTOR 10000u
#define T_OPT 100000u

static scenario h5_sc;
static char h5_err[512];

static inline flash_h5 *h5_create(uint16_t dev_id, unsigned kib)
{
	flash_h5_part part = { .dev_id = dev_id, .size_kib = kib, .trustzone = dev_id != 0x474 };
	flash_h5 *f;

	sim_clock_freeze(1000);
	f = flash_h5_create(&part);
	assert_non_null(f);
	return f;
}

/* Apply a scenario text named `name` (its directory is where relative files are). */
static inline int h5_apply(flash_h5 *f, const char *text, const char *name)
{
	h5_err[0] = '\0';
	assert_int_equal(scenario_parse(&h5_sc, text, name, h5_err, sizeof(h5_err)), 0);
	return flash_h5_apply_scenario(f, &h5_sc, h5_err, sizeof(h5_err));
}

static inline flash_h5 *h5_make(uint16_t dev_id, unsigned kib, const char *text)
{
	flash_h5 *f = h5_create(dev_id, kib);

	if (text && h5_apply(f, text, "t.scn") != 0)
		fail_msg("%s", h5_err);
	return f;
}

/* Register read/write through the NS block (non-secure) or the S block (secure). */
static inline uint32_t h5_rd(flash_h5 *f, uint32_t off)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(flash_h5_reg_read(f, false, false, off, &v), SIM_BUS_OK);
	return v;
}

static inline uint32_t h5_rds(flash_h5 *f, uint32_t off)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(flash_h5_reg_read(f, true, true, off, &v), SIM_BUS_OK);
	return v;
}

static inline void h5_wr(flash_h5 *f, uint32_t off, uint32_t v)
{
	assert_int_equal(flash_h5_reg_write(f, false, false, off, v), SIM_BUS_OK);
}

static inline void h5_wrs(flash_h5 *f, uint32_t off, uint32_t v)
{
	assert_int_equal(flash_h5_reg_write(f, true, true, off, v), SIM_BUS_OK);
}

static inline uint32_t h5_mem(flash_h5 *f, uint32_t addr, bool secure, sim_bus_result expect)
{
	uint32_t v = 0;

	assert_int_equal(flash_h5_mem_read(f, addr, 4, secure, &v), expect);
	return v;
}

static inline void h5_memw(flash_h5 *f, uint32_t addr, bool secure, uint32_t v, sim_bus_result expect)
{
	assert_int_equal(flash_h5_mem_write(f, addr, 4, secure, v), expect);
}

/* Four word writes: one quad-word. */
static inline void h5_qw(flash_h5 *f, uint32_t addr, bool secure, uint32_t seed)
{
	for (unsigned i = 0; i < 4; i++)
		h5_memw(f, addr + 4 * i, secure, seed + i, SIM_BUS_OK);
}

static inline void h5_unlock_ns(flash_h5 *f)
{
	h5_wr(f, NSKEYR, 0x45670123);
	h5_wr(f, NSKEYR, 0xcdef89ab);
	assert_int_equal(h5_rd(f, NSCR) & LOCK, 0);
}

static inline void h5_unlock_s(flash_h5 *f)
{
	h5_wrs(f, SECKEYR, 0x45670123);
	h5_wrs(f, SECKEYR, 0xcdef89ab);
	assert_int_equal(h5_rds(f, SECCR) & LOCK, 0);
}

static inline void h5_unlock_opt(flash_h5 *f)
{
	h5_wr(f, OPTKEYR, 0x08192a3b);
	h5_wr(f, OPTKEYR, 0x4c5d6e7f);
	assert_int_equal(h5_rd(f, OPTCR) & OPTLOCK, 0);
}

/* The facts B.2 option sequence: NSCR and OPTCR unlocked, one _PRG write, OPTSTRT, wait. */
static inline void h5_option(flash_h5 *f, uint32_t prg_off, uint32_t value)
{
	if (h5_rd(f, NSCR) & LOCK)
		h5_unlock_ns(f);
	if (h5_rd(f, OPTCR) & OPTLOCK)
		h5_unlock_opt(f);
	h5_wr(f, prg_off, value);
	h5_wr(f, OPTCR, OPTSTRT);
	assert_int_equal(h5_rd(f, NSSR) & BSY, BSY);
	sim_clock_advance(T_OPT);
	assert_int_equal(h5_rd(f, NSSR) & BSY, 0);
}

/* PRODUCT_STATE into OPTSR_PRG, other fields unchanged. */
static inline void h5_set_ps(flash_h5 *f, uint8_t ps)
{
	h5_option(f, OPTSR_PRG, (h5_rd(f, OPTSR_CUR) & ~0xff00u) | (uint32_t)ps << 8);
}

#endif
