/*
 * Unit tests of the STM32H5 flash model, secure side and special areas:
 * TrustZone aliases and secure registers (SECKEYR, SECCR, SECSR, SECCCR,
 * SECBBxRy, secure option registers), secure programming and erase, OBK
 * (keys, OBKERR, OBKWERR, product-state rule), OTP (half-words, one-time,
 * OTPBLR, ECC) and the DA credential the ROM reads (OBK record, H503 OTP).
 */
#include "flash_h5_testutil.h"

/* TrustZone on; bank 1 sectors 0..3 secure, bank 2 non-secure. */
#define TZ_SCENARIO "TZEN = 0xB4\nSECWM1_STRT = 0\nSECWM1_END = 3\nSECWM2_STRT = 1\nSECWM2_END = 0\n"

static uint32_t rd_as(flash_h5 *f, bool secure_block, bool secure_access, uint32_t off, sim_bus_result expect)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(flash_h5_reg_read(f, secure_block, secure_access, off, &v), expect);
	return v;
}

static void test_tz_memory_aliases(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, TZ_SCENARIO "flash.fill = 0x08000000 0x10000 0x42\n");
	unsigned long before = sim_log_guest_error_count();

	assert_true(flash_h5_tz_enabled(f));
	assert_int_equal(flash_h5_boot_address(f), 0x0c000000);
	h5_mem(f, 0x08000000, false, SIM_BUS_FAULT);                            /* secure sector, NS alias */
	h5_mem(f, 0x08000000, true, SIM_BUS_FAULT);                             /* the alias decides */
	assert_int_equal(h5_mem(f, 0x08008000, false, SIM_BUS_OK), 0x42424242); /* sector 4 */
	assert_int_equal(h5_mem(f, 0x0c000000, true, SIM_BUS_OK), 0x42424242);
	h5_mem(f, 0x0c000000, false, SIM_BUS_FAULT);
	assert_int_equal(h5_mem(f, 0x0c008000, true, SIM_BUS_OK), 0x42424242);  /* NS sector, S alias */
	h5_mem(f, 0x0bfd0000, true, SIM_BUS_FAULT); /* OBK: secure alias only */
	h5_mem(f, 0x0ffd0000, false, SIM_BUS_FAULT);
	assert_int_equal(h5_mem(f, 0x0ffd0000, true, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(h5_mem(f, 0x08fff000, false, SIM_BUS_OK), 0xffffffff); /* OTP is non-secure */
	assert_int_equal(sim_log_guest_error_count(), before + 5);
	flash_h5_destroy(f);
}

static void test_tz_registers(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, TZ_SCENARIO);
	unsigned long before = sim_log_guest_error_count();
	uint32_t v;

	assert_int_equal(h5_rd(f, SECCR), 0); /* NS access: RAZ */
	assert_int_equal(h5_rd(f, SECSR), 0);
	assert_int_equal(sim_log_guest_error_count(), before + 2);
	rd_as(f, true, false, NSCR, SIM_BUS_FAULT); /* NS access to the S block */
	assert_int_equal(flash_h5_reg_write(f, true, false, NSKEYR, 0x45670123), SIM_BUS_FAULT);
	assert_int_equal(rd_as(f, true, true, SECCR, SIM_BUS_OK), LOCK);
	assert_int_equal(rd_as(f, false, true, SECCR, SIM_BUS_OK), LOCK); /* secure transaction, NS block */
	h5_wr(f, SECKEYR, 0x45670123); /* non-secure: ignored */
	h5_wr(f, SECKEYR, 0xcdef89ab);
	assert_int_equal(h5_rds(f, SECCR), LOCK);
	h5_unlock_s(f);
	h5_wr(f, SECBB1R1, 0x10);
	assert_int_equal(h5_rds(f, SECBB1R1), 0);
	h5_wrs(f, SECBB1R1, 0x10); /* sector 4 becomes secure */
	assert_int_equal(h5_rds(f, SECBB1R1), 0x10);
	h5_mem(f, 0x08008000, false, SIM_BUS_FAULT);
	h5_wrs(f, SECBB2R1 + 0xc, 0xffffffff); /* SECBB2R4: exists on 0x484 */
	assert_int_equal(h5_rds(f, SECBB2R1 + 0xc), 0xffffffff);
	/* Secure option registers: a non-secure write is ignored with TrustZone on. */
	h5_unlock_ns(f);
	h5_unlock_opt(f);
	h5_wr(f, SECWM1R_PRG, 0x007f0000);
	assert_int_equal(h5_rd(f, SECWM1R_PRG), 0x00030000);
	h5_wrs(f, SECWM1R_PRG, 0x007f0000);
	assert_int_equal(h5_rd(f, SECWM1R_PRG), 0x007f0000);
	flash_h5_system_reset(f);
	assert_int_equal(h5_rds(f, SECBB1R1), 0); /* volatile */
	assert_int_equal(h5_rd(f, SECWM1R_PRG), 0x00030000);
	assert_int_equal(h5_mem(f, 0x08008000, false, SIM_BUS_OK), 0xffffffff);
	flash_h5_destroy(f);
	/* TrustZone off: SECxx read 0 even for secure accesses; the S block is an alias. */
	f = h5_make(0x484, 2048, NULL);
	before = sim_log_guest_error_count();
	assert_int_equal(h5_rds(f, SECCR), 0);
	h5_wrs(f, SECKEYR, 0x45670123);
	h5_wrs(f, SECBB1R1, 1);
	assert_int_equal(h5_rds(f, SECBB1R1), 0);
	assert_int_equal(sim_log_guest_error_count(), before + 4);
	assert_int_equal(flash_h5_reg_read(f, true, false, NSCR, &v), SIM_BUS_OK);
	assert_int_equal(v, LOCK);
	h5_wr(f, SECWM1R_PRG, 0); /* OPTLOCK set: ignored */
	h5_unlock_opt(f);
	h5_wr(f, SECWM1R_PRG, 0x00050002); /* TZ off: writable, no effect until TZ is on */
	assert_int_equal(h5_rd(f, SECWM1R_PRG), 0x00050002);
	flash_h5_destroy(f);
}

static void test_tz_secure_program(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, TZ_SCENARIO);

	h5_unlock_s(f);
	h5_unlock_ns(f);
	h5_wrs(f, SECCR, PG);
	h5_qw(f, 0x0c000100, true, 0x500);
	assert_int_equal(h5_rds(f, SECSR), BSY);
	assert_int_equal(h5_rd(f, NSSR), BSY); /* BSY is global */
	sim_clock_advance(T_QW);
	assert_int_equal(h5_rds(f, SECSR), EOP);
	assert_int_equal(h5_rd(f, NSSR), 0);
	assert_int_equal(h5_mem(f, 0x0c00010c, true, SIM_BUS_OK), 0x503);
	h5_memw(f, 0x0c008000, true, 1, SIM_BUS_OK); /* secure program of a non-secure sector */
	assert_int_equal(h5_rds(f, SECSR), EOP | WRPERR);
	h5_wrs(f, SECCCR, ALL_FLAGS);
	assert_int_equal(h5_rds(f, SECSR), 0);
	h5_memw(f, 0x08008000, false, 7, SIM_BUS_OK); /* NS alias: NSCR.PG is not set */
	assert_int_equal(h5_rd(f, NSSR), PGSERR);
	h5_wr(f, NSCCR, ALL_FLAGS);
	h5_wr(f, NSCR, PG);
	h5_memw(f, 0x08008000, false, 7, SIM_BUS_OK);
	assert_int_equal(h5_rd(f, NSSR), WBNE);
	assert_int_equal(h5_rds(f, SECSR), 0); /* the buffer is the NS domain's */
	h5_wrs(f, SECCR, PG | FW);             /* FW of the other domain: no effect */
	assert_int_equal(h5_rd(f, NSSR), WBNE);
	h5_memw(f, 0x0c000200, true, 7, SIM_BUS_OK); /* secure write into an NS-filled buffer */
	assert_int_equal(h5_rds(f, SECSR), INCERR);
	assert_int_equal(h5_rd(f, NSSR), 0);
	flash_h5_destroy(f);
}

static void test_tz_secure_erase(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, TZ_SCENARIO "flash.fill = 0x08000000 0x10000 0x42\n");

	h5_unlock_s(f);
	h5_unlock_ns(f);
	h5_wr(f, NSCR, SER | SNB(0) | STRT); /* NS erase of a secure sector */
	assert_int_equal(h5_rd(f, NSSR), WRPERR);
	h5_wrs(f, SECCR, SER | SNB(4) | STRT); /* secure erase of a non-secure sector */
	assert_int_equal(h5_rds(f, SECSR), WRPERR);
	h5_wrs(f, SECCCR, ALL_FLAGS);
	h5_wrs(f, SECCR, SER | SNB(0) | STRT);
	assert_int_equal(h5_rds(f, SECCR), SER | STRT);
	assert_int_equal(h5_rd(f, NSCR), SER); /* STRT shows in the domain that started it */
	sim_clock_advance(T_SECTOR);
	assert_int_equal(h5_rds(f, SECSR), EOP);
	assert_int_equal(h5_mem(f, 0x0c000000, true, SIM_BUS_OK), 0xffffffff);
	h5_wrs(f, SECCR, BER | STRT); /* bank 1 has non-secure sectors */
	assert_int_equal(h5_rds(f, SECSR), EOP | WRPERR);
	h5_wrs(f, SECCCR, ALL_FLAGS);
	/* What ST's OpenOCD does: every sector secure in SECBB, then the secure erase works. */
	for (uint32_t r = 0; r < 4; r++)
		h5_wrs(f, SECBB1R1 + 4 * r, 0xffffffff);
	h5_wrs(f, SECCR, BER | STRT);
	sim_clock_advance(128 * T_SECTOR);
	assert_int_equal(h5_rds(f, SECSR), EOP);
	assert_int_equal(h5_mem(f, 0x0c008000, true, SIM_BUS_OK), 0xffffffff);
	h5_wr(f, NSCR, BER | BKSEL | STRT); /* WRPERR of the first attempt still set */
	assert_int_equal(h5_rd(f, NSSR), WRPERR | PGSERR);
	h5_wr(f, NSCCR, ALL_FLAGS);
	h5_wr(f, NSCR, BER | BKSEL | STRT); /* bank 2 is all non-secure */
	sim_clock_advance(128 * T_SECTOR);
	assert_int_equal(h5_rd(f, NSSR), EOP);
	h5_wr(f, NSCR, MER | STRT); /* bank 1 is all secure now: not for NSCR */
	assert_int_equal(h5_rd(f, NSSR), EOP | WRPERR);
	flash_h5_destroy(f);
}

static void test_tz_off_attribute_ignored(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, NULL);

	h5_unlock_ns(f);
	h5_wr(f, NSCR, PG);
	h5_qw(f, 0x0c000000, false, 0x900); /* S alias, NS transaction, NSCR programs */
	sim_clock_advance(T_QW);
	assert_int_equal(h5_rd(f, NSSR), EOP);
	assert_int_equal(h5_mem(f, 0x08000004, false, SIM_BUS_OK), 0x901);
	assert_int_equal(h5_mem(f, 0x0c000004, false, SIM_BUS_OK), 0x901);
	assert_int_equal(h5_mem(f, 0x0ffd0000, false, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(h5_mem(f, 0x0bfd0000, true, SIM_BUS_OK), 0xffffffff);
	flash_h5_destroy(f);
}

static void unlock_obk_ns(flash_h5 *f)
{
	h5_wr(f, NSOBKKEYR, 0x192a083b);
	h5_wr(f, NSOBKKEYR, 0x6e7f4c5d);
	assert_int_equal(h5_rd(f, NSOBKCFGR), 0x01ff0000);
}

static void test_obk_programming(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, NULL);
	unsigned long before;

	h5_unlock_ns(f);
	h5_wr(f, NSCR, PG);
	h5_memw(f, 0x0bfd0100, false, 1, SIM_BUS_OK); /* NSOBKCFGR locked */
	assert_int_equal(h5_rd(f, NSSR), OBKERR);
	h5_wr(f, NSCCR, OBKERR);
	h5_wr(f, NSOBKCFGR, 0); /* locked: ignored */
	assert_int_equal(h5_rd(f, NSOBKCFGR), 0x01ff0001);
	unlock_obk_ns(f);
	h5_qw(f, 0x0bfd0100, false, 0xa0);
	assert_int_equal(h5_rd(f, NSSR), BSY);
	sim_clock_advance(T_QW);
	assert_int_equal(h5_rd(f, NSSR), EOP);
	assert_int_equal(h5_mem(f, 0x0ffd0108, false, SIM_BUS_OK), 0xa2); /* TZ off: either alias */
	h5_qw(f, 0x0bfd0100, false, 0); /* not virgin */
	assert_int_equal(h5_rd(f, NSSR), EOP | OBKWERR);
	h5_wr(f, NSCCR, ALL_FLAGS);
	assert_int_equal(flash_h5_mem_write(f, 0x0bfd0200, 2, false, 0x1234), SIM_BUS_OK);
	h5_wr(f, NSCR, PG | FW); /* a partial OBK quad-word */
	sim_clock_advance(T_QW);
	assert_int_equal(h5_mem(f, 0x0bfd0200, false, SIM_BUS_OK), 0xffff1234);
	before = sim_log_unimplemented_count();
	h5_wr(f, NSOBKCFGR, 0x00200004); /* ALT_SECT and SWAP_OFFSET: stored, swap not modelled */
	assert_int_equal(sim_log_unimplemented_count(), before + 1);
	assert_int_equal(h5_rd(f, NSOBKCFGR), 0x00200004);
	h5_wr(f, NSOBKCFGR, 1); /* LOCK: the other bits stay */
	assert_int_equal(h5_rd(f, NSOBKCFGR), 0x00200005);
	h5_wr(f, NSOBKKEYR, 0x6e7f4c5d); /* wrong first key: locked until reset */
	h5_wr(f, NSOBKKEYR, 0x192a083b);
	h5_wr(f, NSOBKKEYR, 0x6e7f4c5d);
	assert_int_equal(h5_rd(f, NSOBKCFGR) & 1, 1);
	flash_h5_system_reset(f);
	h5_unlock_ns(f);
	unlock_obk_ns(f);
	flash_h5_destroy(f);
}

static void test_obk_with_trustzone(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, TZ_SCENARIO "PRODUCT_STATE = 0x17\n");

	h5_unlock_s(f);
	h5_wrs(f, SECCR, PG);
	h5_memw(f, 0x0ffd0100, true, 1, SIM_BUS_OK); /* SECOBKCFGR locked */
	assert_int_equal(h5_rds(f, SECSR), OBKERR);
	h5_wrs(f, SECCCR, OBKERR);
	h5_wr(f, SECOBKKEYR, 0x192a083b); /* non-secure: ignored */
	h5_wr(f, SECOBKKEYR, 0x6e7f4c5d);
	assert_int_equal(h5_rds(f, SECOBKCFGR), 0x01ff0001);
	h5_wrs(f, SECOBKKEYR, 0x192a083b);
	h5_wrs(f, SECOBKKEYR, 0x6e7f4c5d);
	assert_int_equal(h5_rds(f, SECOBKCFGR), 0x01ff0000);
	h5_qw(f, 0x0ffd0100, true, 0x70);
	sim_clock_advance(T_QW);
	assert_int_equal(h5_rds(f, SECSR), EOP);
	assert_int_equal(h5_mem(f, 0x0ffd0100, true, SIM_BUS_OK), 0x70);
	flash_h5_destroy(f);
}

static void test_obk_refused_after_provisioning(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, "PRODUCT_STATE = 0x2E\n");

	h5_unlock_ns(f);
	unlock_obk_ns(f);
	h5_wr(f, NSCR, PG);
	h5_memw(f, 0x0bfd0100, false, 0, SIM_BUS_OK);
	assert_int_equal(h5_rd(f, NSSR), OBKERR);
	h5_memw(f, 0x0bfd0104, false, 0, SIM_BUS_OK); /* the error blocks what follows */
	assert_int_equal(h5_rd(f, NSSR), OBKERR | PGSERR);
	assert_false(flash_h5_busy(f));
	flash_h5_destroy(f);
}

static void test_otp_programming(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, "LOCKBL = 0x1\n"); /* block 0: half-words 0..31 */
	uint32_t v;

	h5_unlock_ns(f);
	assert_int_equal(flash_h5_mem_write(f, 0x08fff040, 2, false, 0x1234), SIM_BUS_OK); /* no PG */
	assert_int_equal(h5_rd(f, NSSR), PGSERR);
	h5_wr(f, NSCCR, ALL_FLAGS);
	h5_wr(f, NSCR, PG);
	assert_int_equal(flash_h5_mem_write(f, 0x08fff040, 2, false, 0x1234), SIM_BUS_OK);
	assert_int_equal(h5_rd(f, NSSR), BSY | DBNE);
	sim_clock_advance(T_QW);
	assert_int_equal(h5_rd(f, NSSR), EOP);
	assert_int_equal(h5_mem(f, 0x08fff040, false, SIM_BUS_OK), 0xffff1234);
	assert_int_equal(flash_h5_mem_write(f, 0x08fff040, 2, false, 0), SIM_BUS_OK); /* one time */
	assert_int_equal(h5_rd(f, NSSR), EOP | PGSERR);
	assert_int_equal(h5_mem(f, 0x08fff040, false, SIM_BUS_OK), 0xffff1234);
	h5_wr(f, NSCCR, ALL_FLAGS);
	assert_int_equal(flash_h5_mem_write(f, 0x08fff044, 1, false, 0), SIM_BUS_OK); /* bytes: no */
	assert_int_equal(h5_rd(f, NSSR), PGSERR);
	h5_wr(f, NSCCR, ALL_FLAGS);
	h5_memw(f, 0x08fff044, false, 0, SIM_BUS_OK); /* words: no */
	assert_int_equal(h5_rd(f, NSSR), PGSERR);
	h5_wr(f, NSCCR, ALL_FLAGS);
	assert_int_equal(flash_h5_mem_write(f, 0x08fff03e, 2, false, 0), SIM_BUS_OK); /* locked block */
	assert_int_equal(h5_rd(f, NSSR), WRPERR);
	h5_wr(f, NSCCR, ALL_FLAGS);
	/* A power loss while a half-word programs: its 6-bit ECC is torn. */
	assert_int_equal(flash_h5_mem_write(f, 0x08fff7fe, 2, false, 0x00f0), SIM_BUS_OK);
	sim_clock_advance(10);
	flash_h5_power_on(f);
	assert_int_equal(flash_h5_mem_read(f, 0x08fff7fe, 2, false, &v), SIM_BUS_FAULT);
	assert_int_equal(h5_rd(f, ECCDETR), ECCD | (1u << 24) | 0x3ff);
	assert_int_equal(h5_rd(f, ECCDR) & 0xffff00f0u, 0xf0); /* the failing data: 1 -> 0 only partly */
	flash_h5_destroy(f);
}

/* `quads` quad-words of `words` from `base`, each finished before the next (the clock moves). */
static void program_record(flash_h5 *f, uint32_t base, bool secure, const uint32_t *words, unsigned quads)
{
	for (unsigned q = 0; q < quads; q++) {
		for (unsigned i = 0; i < 4; i++)
			h5_memw(f, base + 16 * q + 4 * i, secure, words[4 * q + i], SIM_BUS_OK);
		sim_clock_advance(T_QW);
		flash_h5_update(f, sim_now_us());
	}
}

static void make_record(uint32_t words[12], uint32_t kind, uint32_t permissions)
{
	words[0] = kind;
	words[1] = permissions;
	for (unsigned i = 0; i < 8; i++)
		words[2 + i] = 0x03020100u + 0x04040404u * i; /* digest bytes 0, 1, 2, ... */
	words[10] = ~kind;
	words[11] = 0;
}

static void test_da_credential_obk(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, "PRODUCT_STATE = 0x17\n");
	flash_h5_credential cred;
	uint32_t words[12];

	make_record(words, 1, 1);
	h5_unlock_ns(f);
	unlock_obk_ns(f);
	h5_wr(f, NSCR, PG);
	flash_h5_da_credential(f, &cred);
	assert_int_equal(cred.kind, FLASH_H5_CRED_NONE);
	program_record(f, 0x0bfd0100, false, words, 2);
	flash_h5_da_credential(f, &cred); /* torn: the last quad-word is missing */
	assert_int_equal(cred.kind, FLASH_H5_CRED_NONE);
	program_record(f, 0x0bfd0120, false, words + 8, 1);
	flash_h5_da_credential(f, &cred);
	assert_int_equal(cred.kind, FLASH_H5_CRED_PASSWORD);
	assert_int_equal(cred.permissions, 1);
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(cred.hash[i], i);
	flash_h5_destroy(f);

	f = h5_make(0x484, 2048, TZ_SCENARIO "PRODUCT_STATE = 0x17\nflash.ecc_error = 0x0ffd0110\n");
	make_record(words, 2, 3);
	h5_unlock_s(f);
	h5_wrs(f, SECOBKKEYR, 0x192a083b);
	h5_wrs(f, SECOBKKEYR, 0x6e7f4c5d);
	h5_wrs(f, SECCR, PG);
	program_record(f, 0x0ffd0100, true, words, 1);
	program_record(f, 0x0ffd0120, true, words + 8, 1);
	flash_h5_da_credential(f, &cred); /* the middle quad-word is ECC-corrupt */
	assert_int_equal(cred.kind, FLASH_H5_CRED_NONE);
	flash_h5_destroy(f);

	f = h5_make(0x484, 2048, "PRODUCT_STATE = 0x17\n");
	make_record(words, 2, 3);
	words[10] = 0x12345678; /* inconsistent check word */
	h5_unlock_ns(f);
	unlock_obk_ns(f);
	h5_wr(f, NSCR, PG);
	program_record(f, 0x0bfd0100, false, words, 3);
	flash_h5_da_credential(f, &cred);
	assert_int_equal(cred.kind, FLASH_H5_CRED_NONE);
	flash_h5_destroy(f);
}

static void test_da_credential_h503_otp(void **state)
{
	flash_h5 *f = h5_make(0x474, 128, NULL);
	flash_h5_credential cred;

	flash_h5_da_credential(f, &cred);
	assert_int_equal(cred.kind, FLASH_H5_CRED_NONE);
	h5_unlock_ns(f);
	h5_wr(f, NSCR, PG);
	for (uint32_t i = 0; i < 16; i++) {
		assert_int_equal(flash_h5_mem_write(f, 0x08fff000 + 2 * i, 2, false, 0x0100u * (2 * i + 1) + 2 * i),
				 SIM_BUS_OK);
		sim_clock_advance(T_QW);
	}
	flash_h5_update(f, sim_now_us());
	flash_h5_da_credential(f, &cred);
	assert_int_equal(cred.kind, FLASH_H5_CRED_PASSWORD);
	assert_int_equal(cred.permissions, 1);
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(cred.hash[i], i);
	flash_h5_destroy(f);
	f = h5_make(0x474, 128, "flash.ecc_error = 0x08fff01e\notp.fill = 0x08fff000 0x10 0x00\n");
	flash_h5_da_credential(f, &cred); /* the ROM's read of the hash faults */
	assert_int_equal(cred.kind, FLASH_H5_CRED_NONE);
	flash_h5_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tz_memory_aliases),
		cmocka_unit_test(test_tz_registers),
		cmocka_unit_test(test_tz_secure_program),
		cmocka_unit_test(test_tz_secure_erase),
		cmocka_unit_test(test_tz_off_attribute_ignored),
		cmocka_unit_test(test_obk_programming),
		cmocka_unit_test(test_obk_with_trustzone),
		cmocka_unit_test(test_obk_refused_after_provisioning),
		cmocka_unit_test(test_otp_programming),
		cmocka_unit_test(test_da_credential_obk),
		cmocka_unit_test(test_da_credential_h503_otp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
