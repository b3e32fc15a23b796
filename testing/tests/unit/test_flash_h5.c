/*
 * Unit tests of the STM32H5 flash model (testing/sim/flash_h5*.c), non-secure
 * side: reset values, keys, NSCR/NSSR/NSCCR, quad-word programming through the
 * write buffer, every NSSR error, sector/bank/mass erase and their timing,
 * resets and power loss in the middle of an operation (ECC, OPSR), ECC
 * registers, SWAP_BANK, and the line differences.  TrustZone, OBK, OTP and
 * DA credentials: test_flash_h5_tz.c.  The clock is frozen.
 */
#include "flash_h5_testutil.h"
#include "flash_listener_testutil.h"

static void test_reset_values(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, NULL);

	assert_int_equal(h5_rd(f, ACR), 0x13);
	assert_int_equal(h5_rd(f, NSCR), LOCK);
	assert_int_equal(h5_rd(f, NSSR), 0);
	assert_int_equal(h5_rd(f, OPTCR), OPTLOCK);
	assert_int_equal(h5_rd(f, OPSR), 0);
	assert_int_equal(h5_rd(f, NSOBKCFGR), 0x01ff0001);
	assert_int_equal(h5_rd(f, OPTSR_CUR), 0x2d30edd8);
	assert_int_equal(h5_rd(f, OPTSR_PRG), 0x2d30edd8);
	assert_int_equal(h5_rd(f, OPTSR2_CUR), 0xc300007c);
	assert_int_equal(h5_rd(f, NSBOOTR_CUR), 0x080000c3);
	assert_int_equal(h5_rd(f, SECBOOTR_CUR), 0x0c0000c3);
	assert_int_equal(h5_rd(f, WRP1R_CUR), 0xffffffff);
	assert_int_equal(h5_rd(f, WRP2R_CUR), 0xffffffff);
	assert_int_equal(h5_rd(f, HDP1R_CUR), 1);
	assert_int_equal(h5_rd(f, SECWM1R_CUR), 1);
	assert_int_equal(h5_rd(f, OTPBLR_CUR), 0);
	assert_int_equal(h5_mem(f, 0x08000000, false, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(h5_mem(f, 0x081ffffc, false, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(flash_h5_product_state(f), H5PS_OPEN);
	assert_false(flash_h5_tz_enabled(f));
	assert_int_equal(flash_h5_optsr_cur(f), 0x2d30edd8);
	assert_int_equal(flash_h5_boot_address(f), 0x08000000);
	assert_false(flash_h5_busy(f));
	assert_false(flash_h5_take_reset_request(f));
	flash_h5_destroy(f);
}

static void test_program_quad_word(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, NULL);

	h5_unlock_ns(f);
	h5_wr(f, NSCR, PG);
	assert_int_equal(h5_rd(f, NSCR), PG);
	h5_memw(f, 0x08000010, false, 0x11111111, SIM_BUS_OK);
	h5_memw(f, 0x08000014, false, 0x22222222, SIM_BUS_OK);
	h5_memw(f, 0x08000018, false, 0x33333333, SIM_BUS_OK);
	assert_int_equal(h5_rd(f, NSSR), WBNE);
	h5_memw(f, 0x0800001c, false, 0x44444444, SIM_BUS_OK); /* 16 bytes: programming starts */
	assert_int_equal(h5_rd(f, NSSR), BSY);
	sim_clock_advance(T_QW - 1);
	assert_true(flash_h5_busy(f));
	assert_int_equal(h5_mem(f, 0x08000010, false, SIM_BUS_OK), 0xffffffff);
	sim_clock_advance(1);
	assert_false(flash_h5_busy(f));
	assert_int_equal(h5_rd(f, NSSR), EOP);
	assert_int_equal(h5_mem(f, 0x08000010, false, SIM_BUS_OK), 0x11111111);
	assert_int_equal(h5_mem(f, 0x0800001c, false, SIM_BUS_OK), 0x44444444);
	assert_int_equal(flash_h5_busy_total_us(f), T_QW);
	h5_wr(f, NSCCR, EOP);
	assert_int_equal(h5_rd(f, NSSR), 0);
	h5_wr(f, NSCR, LOCK);
	assert_int_equal(h5_rd(f, NSCR), PG | LOCK); /* other bits stay when LOCK is set */
	flash_h5_destroy(f);
}

static void test_byte_writes_and_force_write(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, NULL);
	unsigned long before;
	uint32_t v = 0;

	h5_unlock_ns(f);
	h5_wr(f, NSCR, PG);
	assert_int_equal(flash_h5_mem_write(f, 0x08000102, 2, false, 0xbeef), SIM_BUS_OK);
	assert_int_equal(flash_h5_mem_write(f, 0x08000105, 1, false, 0x5a), SIM_BUS_OK);
	h5_wr(f, NSCR, PG | FW);
	assert_int_equal(h5_rd(f, NSCR), PG); /* FW is an action */
	assert_int_equal(h5_rd(f, NSSR), BSY);
	sim_clock_advance(T_QW);
	assert_int_equal(h5_mem(f, 0x08000100, false, SIM_BUS_OK), 0xbeefffff);
	assert_int_equal(h5_mem(f, 0x08000104, false, SIM_BUS_OK), 0xffff5aff);
	assert_int_equal(flash_h5_mem_read(f, 0x08000103, 1, false, &v), SIM_BUS_OK);
	assert_int_equal(v, 0xbe);
	assert_int_equal(flash_h5_mem_read(f, 0x08000102, 2, false, &v), SIM_BUS_OK);
	assert_int_equal(v, 0xbeef);
	before = sim_log_guest_error_count();
	h5_wr(f, NSCR, PG | FW); /* empty buffer: nothing to force */
	assert_int_equal(sim_log_guest_error_count(), before + 1);
	assert_false(flash_h5_busy(f));
	flash_h5_destroy(f);
}

static void test_program_sequence_errors(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, "flash.fill = 0x08000040 0x10 0x77\n");

	h5_memw(f, 0x08000000, false, 1, SIM_BUS_OK); /* NSCR locked, no PG: posted, PGSERR */
	assert_int_equal(h5_rd(f, NSSR), PGSERR);
	h5_unlock_ns(f);
	h5_wr(f, NSCR, PG);
	h5_memw(f, 0x08000000, false, 1, SIM_BUS_OK); /* an error left in NSSR blocks (chosen) */
	assert_int_equal(h5_rd(f, NSSR), PGSERR);
	h5_wr(f, NSCCR, PGSERR);
	h5_memw(f, 0x08000000, false, 1, SIM_BUS_OK);
	assert_int_equal(flash_h5_mem_write(f, 0x08000002, 2, false, 2), SIM_BUS_OK); /* bytes 2-3 again */
	assert_int_equal(h5_rd(f, NSSR), STRBERR);
	h5_wr(f, NSCCR, STRBERR);
	h5_memw(f, 0x08000000, false, 1, SIM_BUS_OK);
	h5_memw(f, 0x08000020, false, 1, SIM_BUS_OK); /* another quad-word before this one is full */
	assert_int_equal(h5_rd(f, NSSR), INCERR);
	h5_wr(f, NSCCR, ALL_FLAGS);
	h5_memw(f, 0x08000000, false, 1, SIM_BUS_OK);
	h5_wr(f, NSCR, 0); /* PG off with a partial quad-word */
	assert_int_equal(h5_rd(f, NSSR), INCERR);
	h5_wr(f, NSCCR, ALL_FLAGS);
	h5_wr(f, NSCR, PG | SER);
	h5_memw(f, 0x08000000, false, 1, SIM_BUS_OK); /* program and erase mixed */
	assert_int_equal(h5_rd(f, NSSR), PGSERR);
	h5_wr(f, NSCCR, ALL_FLAGS);
	h5_wr(f, NSCR, PG);
	h5_qw(f, 0x08000040, false, 0); /* not erased: refused, nothing written (chosen) */
	assert_int_equal(h5_rd(f, NSSR), PGSERR);
	assert_false(flash_h5_busy(f));
	assert_int_equal(h5_mem(f, 0x08000040, false, SIM_BUS_OK), 0x77777777);
	assert_int_equal(h5_mem(f, 0x08000000, false, SIM_BUS_OK), 0xffffffff);
	flash_h5_destroy(f);
}

static void test_bad_accesses(void **state)
{
	flash_h5 *f = h5_make(0x484, 1024, NULL);
	unsigned long before = sim_log_guest_error_count();
	uint32_t v;

	assert_true(flash_h5_is_mem(f, 0x080ffffc));
	assert_false(flash_h5_is_mem(f, 0x08100000)); /* 1 MiB part: two 512 KiB banks */
	assert_true(flash_h5_is_mem(f, 0x08fff7fe));
	assert_false(flash_h5_is_mem(f, 0x08fff800)); /* UID / flash size: not this block */
	assert_int_equal(flash_h5_mem_read(f, 0x08100000, 4, false, &v), SIM_BUS_FAULT);
	assert_int_equal(flash_h5_mem_read(f, 0x08000002, 4, false, &v), SIM_BUS_FAULT);
	assert_int_equal(flash_h5_mem_read(f, 0x08000000, 3, false, &v), SIM_BUS_FAULT);
	assert_int_equal(flash_h5_mem_write(f, 0x08000001, 2, false, 0), SIM_BUS_FAULT);
	assert_int_equal(flash_h5_reg_read(f, false, false, 0x400, &v), SIM_BUS_FAULT);
	assert_int_equal(flash_h5_reg_read(f, false, false, 0x22, &v), SIM_BUS_FAULT);
	assert_int_equal(flash_h5_reg_write(f, false, false, 0x1002, 0), SIM_BUS_FAULT);
	assert_int_equal(h5_rd(f, 0x38), 0); /* reserved */
	h5_wr(f, 0x4c, 1);
	h5_wr(f, NSSR, 0xffffffff); /* read-only */
	h5_wr(f, OPTSR_CUR, 0);     /* read-only */
	assert_int_equal(h5_rd(f, NSSR), 0);
	assert_int_equal(h5_rd(f, OPTSR_CUR), 0x2d30edd8);
	assert_int_equal(sim_log_guest_error_count(), before + 4);
	h5_wr(f, ACR, 0xffffffff);
	assert_int_equal(h5_rd(f, ACR), 0x13f);
	h5_wr(f, PRIVCFGR, 0xff);
	assert_int_equal(h5_rd(f, PRIVCFGR), 3);
	h5_wr(f, PRIVBB1R1, 0x12345678);
	assert_int_equal(h5_rd(f, PRIVBB1R1), 0x12345678);
	flash_h5_system_reset(f);
	assert_int_equal(h5_rd(f, PRIVBB1R1), 0);
	assert_int_equal(h5_rd(f, ACR), 0x13);
	flash_h5_destroy(f);
}

static void test_key_sequences(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, NULL);

	h5_wr(f, NSKEYR, 0x45670123);
	h5_wr(f, NSKEYR, 0x11111111); /* wrong second key */
	h5_wr(f, NSKEYR, 0x45670123);
	h5_wr(f, NSKEYR, 0xcdef89ab);
	assert_int_equal(h5_rd(f, NSCR) & LOCK, LOCK); /* locked until reset */
	h5_wr(f, NSCR, PG);
	assert_int_equal(h5_rd(f, NSCR), LOCK);
	h5_unlock_opt(f); /* the option key is separate */
	flash_h5_system_reset(f);
	assert_int_equal(h5_rd(f, OPTCR) & OPTLOCK, OPTLOCK);
	h5_unlock_ns(f);
	h5_wr(f, NSKEYR, 0x45670123); /* a sequence while unlocked locks too */
	assert_int_equal(h5_rd(f, NSCR) & LOCK, LOCK);
	h5_wr(f, NSKEYR, 0xcdef89ab);
	assert_int_equal(h5_rd(f, NSCR) & LOCK, LOCK);
	h5_wr(f, OPTKEYR, 0x4c5d6e7f); /* keys in the wrong order */
	h5_wr(f, OPTKEYR, 0x08192a3b);
	h5_wr(f, OPTKEYR, 0x4c5d6e7f);
	assert_int_equal(h5_rd(f, OPTCR) & OPTLOCK, OPTLOCK);
	assert_int_equal(h5_rd(f, NSKEYR), 0); /* key registers read 0 */
	flash_h5_power_on(f);
	h5_unlock_ns(f);
	h5_unlock_opt(f);
	h5_wr(f, OPTCR, OPTLOCK);
	assert_int_equal(h5_rd(f, OPTCR), OPTLOCK);
	flash_h5_destroy(f);
}

static void test_sector_erase(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, "flash.fill = 0x08104000 0x4000 0xa5\n");

	h5_unlock_ns(f);
	h5_wr(f, NSCR, SER | SNB(3) | BKSEL);
	h5_wr(f, NSCR, SER | SNB(3) | BKSEL | STRT);
	assert_int_equal(h5_rd(f, NSCR), SER | SNB(3) | BKSEL | STRT);
	assert_int_equal(h5_rd(f, NSSR), BSY);
	sim_clock_advance(T_SECTOR - 1);
	assert_int_equal(h5_rd(f, NSSR), BSY);
	sim_clock_advance(1);
	assert_int_equal(h5_rd(f, NSSR), EOP);
	assert_int_equal(h5_rd(f, NSCR), SER | SNB(3) | BKSEL); /* STRT cleared at the end */
	assert_int_equal(h5_mem(f, 0x08106000, false, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(h5_mem(f, 0x08107ffc, false, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(h5_mem(f, 0x08105ffc, false, SIM_BUS_OK), 0xa5a5a5a5); /* sector 2 untouched */
	assert_int_equal(flash_h5_busy_total_us(f), T_SECTOR);
	flash_h5_destroy(f);
}

static void test_erase_refusals(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, "WRPSG2 = 0xfffffffd\n"); /* bank 2 sectors 4..7 protected */

	h5_unlock_ns(f);
	h5_wr(f, NSCR, SER | BER | STRT); /* two erase kinds */
	assert_int_equal(h5_rd(f, NSSR), PGSERR);
	h5_wr(f, NSCCR, ALL_FLAGS);
	h5_wr(f, NSCR, STRT); /* nothing selected (chosen: PGSERR) */
	assert_int_equal(h5_rd(f, NSSR), PGSERR);
	h5_wr(f, NSCR, SER | SNB(1) | STRT); /* the error is still set */
	assert_int_equal(h5_rd(f, NSSR), PGSERR);
	assert_false(flash_h5_busy(f));
	h5_wr(f, NSCCR, ALL_FLAGS);
	h5_wr(f, NSCR, SER | PG | STRT);
	assert_int_equal(h5_rd(f, NSSR), PGSERR);
	h5_wr(f, NSCCR, ALL_FLAGS);
	h5_wr(f, NSCR, SER | BER | MER | STRT);
	assert_int_equal(h5_rd(f, NSSR), PGSERR);
	h5_wr(f, NSCCR, ALL_FLAGS);
	h5_wr(f, NSCR, SER | SNB(5) | BKSEL | STRT);
	assert_int_equal(h5_rd(f, NSSR), WRPERR);
	h5_wr(f, NSCCR, ALL_FLAGS);
	h5_wr(f, NSCR, BER | BKSEL | STRT); /* any protected sector fails a bank erase */
	assert_int_equal(h5_rd(f, NSSR), WRPERR);
	h5_wr(f, NSCCR, ALL_FLAGS);
	h5_wr(f, NSCR, MER | STRT);
	assert_int_equal(h5_rd(f, NSSR), WRPERR);
	h5_wr(f, NSCCR, ALL_FLAGS);
	assert_false(flash_h5_busy(f));
	h5_wr(f, NSCR, SER | SNB(8) | BKSEL | STRT); /* next group: free */
	assert_int_equal(h5_rd(f, NSSR), BSY);
	h5_wr(f, NSCR, SER | SNB(9) | BKSEL | STRT); /* while busy */
	assert_int_equal(h5_rd(f, NSSR), BSY | PGSERR);
	sim_clock_advance(T_SECTOR);
	h5_wr(f, NSCCR, ALL_FLAGS);
	h5_wr(f, NSCR, PG);
	h5_memw(f, 0x08000000, false, 0, SIM_BUS_OK);
	h5_wr(f, NSCR, PG | SER | SNB(0) | STRT); /* write buffer not empty */
	assert_int_equal(h5_rd(f, NSSR), WBNE | PGSERR);
	flash_h5_destroy(f);
	f = h5_make(0x484, 1024, NULL);
	h5_unlock_ns(f);
	h5_wr(f, NSCR, SER | SNB(64) | STRT); /* 64 sectors per bank on 1 MiB */
	assert_int_equal(h5_rd(f, NSSR), PGSERR);
	flash_h5_destroy(f);
}

static void test_bank_and_mass_erase(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, "flash.fill = 0x08000000 0x1000 0x1\nflash.fill = 0x081ff000 0x1000 0x2\n");

	h5_unlock_ns(f);
	h5_wr(f, NSCR, BER | STRT); /* bank 1 */
	sim_clock_advance(128 * T_SECTOR - 1);
	assert_int_equal(h5_rd(f, NSSR), BSY);
	sim_clock_advance(1);
	assert_int_equal(h5_rd(f, NSSR), EOP);
	assert_int_equal(h5_mem(f, 0x08000000, false, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(h5_mem(f, 0x081ff000, false, SIM_BUS_OK), 0x02020202);
	h5_wr(f, NSCR, MER | STRT);
	sim_clock_advance(128 * T_SECTOR);
	assert_int_equal(h5_rd(f, NSSR), EOP);
	assert_int_equal(h5_mem(f, 0x081ff000, false, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(flash_h5_busy_total_us(f), 2 * 128 * T_SECTOR);
	flash_h5_destroy(f);
}

static void test_program_while_busy_waits(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, NULL);
	unsigned long before = sim_log_unimplemented_count();

	h5_unlock_ns(f);
	h5_wr(f, NSCR, PG);
	h5_qw(f, 0x08000000, false, 0x10);
	h5_qw(f, 0x08000010, false, 0x20); /* waits for the first */
	h5_qw(f, 0x08000020, false, 0x30); /* a third: the bus would stall; dropped and logged */
	assert_int_equal(sim_log_unimplemented_count(), before + 1);
	sim_clock_advance(T_QW);
	assert_int_equal(h5_rd(f, NSSR), BSY | EOP);
	sim_clock_advance(T_QW);
	assert_int_equal(h5_rd(f, NSSR), EOP);
	assert_int_equal(h5_mem(f, 0x08000010, false, SIM_BUS_OK), 0x20);
	assert_int_equal(h5_mem(f, 0x08000020, false, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(flash_h5_busy_total_us(f), 2 * T_QW);
	flash_h5_destroy(f);
}

static void test_reset_cuts_program(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, NULL);

	h5_unlock_ns(f);
	h5_wr(f, NSCR, PG);
	h5_qw(f, 0x08100050, false, 0); /* bank 2, quad-word 5 */
	sim_clock_advance(20);
	flash_h5_system_reset(f);
	assert_int_equal(h5_rd(f, OPSR), (1u << 29) | (1u << 22) | 0x50); /* write, bank 2, address */
	assert_int_equal(h5_rd(f, NSCR), LOCK);
	h5_mem(f, 0x08100054, false, SIM_BUS_FAULT);
	assert_int_equal(h5_rd(f, ECCDETR), ECCD | (1u << 22) | 5);
	h5_mem(f, 0x08100040, false, SIM_BUS_OK);
	h5_mem(f, 0x08100050, false, SIM_BUS_FAULT);
	assert_int_equal(h5_rd(f, ECCDETR), ECCD | (1u << 22) | 5);
	h5_wr(f, ECCDETR, ECCD);
	assert_int_equal(h5_rd(f, ECCDETR), 0);
	assert_int_equal(flash_h5_busy_total_us(f), 20);
	flash_h5_system_reset(f); /* nothing running: OPSR clears */
	assert_int_equal(h5_rd(f, OPSR), 0);
	/* A corrupt quad-word cannot be programmed again: erase first. */
	h5_unlock_ns(f);
	h5_wr(f, NSCR, PG);
	h5_qw(f, 0x08100050, false, 0);
	assert_int_equal(h5_rd(f, NSSR), PGSERR);
	flash_h5_destroy(f);
}

static void test_reset_cuts_sector_erase(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, "flash.fill = 0x08002000 0x4000 0x3c\n");

	h5_unlock_ns(f);
	h5_wr(f, NSCR, SER | SNB(1) | STRT);
	sim_clock_advance(T_SECTOR / 2);
	flash_h5_power_on(f); /* power loss half way */
	assert_int_equal(h5_rd(f, OPSR), 0); /* power-on starts from nothing */
	assert_int_equal(h5_mem(f, 0x08002000, false, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(h5_mem(f, 0x08002ff0, false, SIM_BUS_OK), 0xffffffff); /* first 256 quad-words */
	h5_mem(f, 0x08003000, false, SIM_BUS_FAULT);                             /* the boundary one */
	assert_int_equal(h5_mem(f, 0x08003010, false, SIM_BUS_OK), 0x3c3c3c3c);   /* not reached */
	assert_int_equal(h5_mem(f, 0x08004000, false, SIM_BUS_OK), 0x3c3c3c3c);   /* sector 2 */
	h5_unlock_ns(f);
	h5_wr(f, NSCR, SER | SNB(1) | STRT);
	sim_clock_advance(T_SECTOR / 4);
	flash_h5_system_reset(f);
	assert_int_equal(h5_rd(f, OPSR), (3u << 29) | 0x2000);
	assert_int_equal(h5_mem(f, 0x08002000, false, SIM_BUS_OK), 0xffffffff);
	h5_mem(f, 0x08003000, false, SIM_BUS_FAULT); /* still corrupt from the first cut */
	flash_h5_destroy(f);
}

static void test_reset_cuts_bank_erase(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, "flash.fill = 0x08100000 0x100000 0x66\n");

	h5_unlock_ns(f);
	h5_wr(f, NSCR, BER | BKSEL | STRT);
	sim_clock_advance(10 * T_SECTOR + T_SECTOR / 2); /* 10.5 sectors done */
	flash_h5_system_reset(f);
	assert_int_equal(h5_rd(f, OPSR), (4u << 29) | (1u << 22));
	assert_int_equal(h5_mem(f, 0x08114ff0, false, SIM_BUS_OK), 0xffffffff);
	h5_mem(f, 0x08115000, false, SIM_BUS_FAULT);
	assert_int_equal(h5_mem(f, 0x08115010, false, SIM_BUS_OK), 0x66666666);
	assert_int_equal(h5_mem(f, 0x081ffff0, false, SIM_BUS_OK), 0x66666666);
	flash_h5_destroy(f);
}

static void test_ecc_error_from_scenario(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, "flash.fill = 0x08000000 0x100 0x11\nflash.ecc_error = 0x08000024\n"
				 "flash.ecc_error = 0x08000080\n");
	uint32_t v;

	assert_int_equal(h5_mem(f, 0x08000010, false, SIM_BUS_OK), 0x11111111);
	assert_int_equal(flash_h5_mem_read(f, 0x0800002f, 1, false, &v), SIM_BUS_FAULT);
	h5_mem(f, 0x08000080, false, SIM_BUS_FAULT); /* second error: the first stays recorded */
	assert_int_equal(h5_rd(f, ECCDETR), ECCD | 2);
	h5_wr(f, ECCDETR, 0); /* write 0: no effect */
	assert_int_equal(h5_rd(f, ECCDETR), ECCD | 2);
	h5_wr(f, ECCDETR, ECCD);
	h5_mem(f, 0x08000080, false, SIM_BUS_FAULT);
	assert_int_equal(h5_rd(f, ECCDETR), ECCD | 8);
	h5_wr(f, ECCCORR, 0xffffffff);
	assert_int_equal(h5_rd(f, ECCCORR), 1u << 25); /* ECCCIE stored, nothing corrected */
	/* An erase clears the ECC damage. */
	h5_unlock_ns(f);
	h5_wr(f, NSCR, SER | SNB(0) | STRT);
	sim_clock_advance(T_SECTOR);
	assert_int_equal(h5_mem(f, 0x08000020, false, SIM_BUS_OK), 0xffffffff);
	flash_h5_destroy(f);
}

static void test_swap_bank(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, "flash.fill = 0x08100000 0x20 0xb2\n");

	h5_option(f, OPTSR_PRG, h5_rd(f, OPTSR_CUR) | (1u << 31));
	assert_int_equal(h5_rd(f, OPTSR_CUR) >> 31, 1);
	assert_int_equal(h5_rd(f, OPTCR) >> 31, 0); /* not before the next reset */
	assert_false(flash_h5_take_reset_request(f)); /* no PRODUCT_STATE change */
	assert_int_equal(h5_mem(f, 0x08000000, false, SIM_BUS_OK), 0xffffffff);
	flash_h5_system_reset(f);
	assert_int_equal(h5_rd(f, OPTCR), OPTLOCK | (1u << 31));
	assert_int_equal(h5_mem(f, 0x08000000, false, SIM_BUS_OK), 0xb2b2b2b2);
	assert_int_equal(h5_mem(f, 0x08100000, false, SIM_BUS_OK), 0xffffffff);
	/* BKSEL names the physical bank (facts B.2): bank 2 now sits at 0x08000000. */
	h5_unlock_ns(f);
	h5_wr(f, NSCR, SER | SNB(0) | BKSEL | STRT);
	sim_clock_advance(T_SECTOR);
	assert_int_equal(h5_mem(f, 0x08000000, false, SIM_BUS_OK), 0xffffffff);
	flash_h5_destroy(f);
}

static void test_line_474(void **state)
{
	flash_h5 *f = h5_make(0x474, 128, NULL);
	unsigned long before;
	uint32_t v;

	assert_int_equal(h5_rd(f, OPTSR_CUR), 0x0030edd8); /* no BOOT_UBE */
	assert_int_equal(h5_rd(f, OPTSR2_CUR), 0x58);      /* no TZEN, SRAM3, SRAM1_3_RST */
	assert_int_equal(h5_rd(f, WRP1R_CUR), 0xff);       /* one bit per sector */
	assert_true(flash_h5_is_mem(f, 0x0801fffc));
	assert_false(flash_h5_is_mem(f, 0x08020000));
	assert_false(flash_h5_is_mem(f, 0x0c000000)); /* no secure alias */
	assert_false(flash_h5_is_mem(f, 0x0bfd0000)); /* no OBK */
	assert_false(flash_h5_is_mem(f, 0x0ffd0000));
	assert_true(flash_h5_is_mem(f, 0x08fff000));
	before = sim_log_guest_error_count();
	assert_int_equal(h5_rd(f, SECCR), 0);
	assert_int_equal(h5_rd(f, SECSR), 0);
	assert_int_equal(h5_rd(f, SECBOOTR_CUR), 0);
	assert_int_equal(h5_rd(f, SECWM1R_CUR), 0);
	assert_int_equal(h5_rd(f, NSOBKCFGR), 0);
	assert_int_equal(h5_rd(f, SECBB1R1), 0);
	h5_wr(f, SECKEYR, 0x45670123);
	h5_wr(f, NSOBKKEYR, 0x192a083b);
	assert_int_equal(sim_log_guest_error_count(), before + 8);
	assert_int_equal(flash_h5_reg_read(f, true, true, NSCR, &v), SIM_BUS_OK); /* S block: an alias */
	assert_int_equal(v, LOCK);
	h5_unlock_ns(f);
	h5_wr(f, NSCR, BER | BKSEL | STRT); /* 8 sectors per bank */
	sim_clock_advance(8 * T_SECTOR - 1);
	assert_int_equal(h5_rd(f, NSSR), BSY);
	sim_clock_advance(1);
	assert_int_equal(h5_rd(f, NSSR), EOP);
	h5_wr(f, NSCR, SER | SNB(8) | STRT);
	assert_int_equal(h5_rd(f, NSSR), EOP | PGSERR);
	flash_h5_destroy(f);
}

static void test_line_478(void **state)
{
	flash_h5 *f = h5_make(0x478, 512, "WRPSG1 = 0xfffffffb\n"); /* sector 2 only */

	assert_int_equal(h5_rd(f, OPTSR_CUR), 0x2d30edd8);
	assert_true(flash_h5_is_mem(f, 0x0807fffc));
	assert_false(flash_h5_is_mem(f, 0x08080000));
	assert_true(flash_h5_is_mem(f, 0x0ffd1ffc));
	h5_unlock_ns(f);
	h5_wr(f, NSCR, SER | SNB(3) | STRT);
	assert_int_equal(h5_rd(f, NSSR), BSY);
	sim_clock_advance(T_SECTOR);
	h5_wr(f, NSCR, SER | SNB(2) | STRT);
	assert_int_equal(h5_rd(f, NSSR), EOP | WRPERR);
	h5_wr(f, NSCCR, ALL_FLAGS);
	h5_wr(f, NSCR, BER | BKSEL | STRT);
	sim_clock_advance(32 * T_SECTOR);
	assert_int_equal(h5_rd(f, NSSR), EOP);
	flash_h5_destroy(f);
}

static void test_create_rejects_bad_parts(void **state)
{
	flash_h5_part bad_id = { .dev_id = 0x450, .size_kib = 2048, .trustzone = true };
	flash_h5_part bad_size = { .dev_id = 0x484, .size_kib = 96, .trustzone = true };
	flash_h5_part too_big = { .dev_id = 0x478, .size_kib = 1024, .trustzone = true };
	flash_h5_part tz_503 = { .dev_id = 0x474, .size_kib = 128, .trustzone = true };
	flash_h5_part no_tz_563 = { .dev_id = 0x484, .size_kib = 2048, .trustzone = false };
	flash_h5_part zero = { .dev_id = 0x484, .size_kib = 0, .trustzone = true };

	assert_null(flash_h5_create(&bad_id));
	assert_null(flash_h5_create(&bad_size));
	assert_null(flash_h5_create(&too_big));
	assert_null(flash_h5_create(&tz_503));
	assert_null(flash_h5_create(&no_tz_563));
	assert_null(flash_h5_create(&zero));
	assert_null(flash_h5_create(NULL));
	flash_h5_destroy(NULL);
}

/* Events for operator steps; a cut option change leaves every option byte, PRODUCT_STATE included. */
static void test_listener_and_cut_option_change(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, NULL);
	sim_time_us t0 = sim_now_us(), mass = 128 * T_SECTOR;
	heard h = { 0 };

	flash_h5_set_listener(f, listen, &h);
	h5_unlock_ns(f);
	h5_wr(f, NSCR, PG);
	h5_qw(f, 0x08000000, false, 0x10);
	h5_qw(f, 0x08000010, false, 0x20); /* waits for the first: heard when it starts */
	assert_int_equal(h.n, 1);
	assert_int_equal(flash_h5_next_change(f), t0 + T_QW);
	sim_clock_advance(2 * T_QW);
	h5_wr(f, NSCR, MER | STRT);
	expect_heard(&h, 0, SIM_FLASH_EV_PROGRAM, SIM_FLASH_STARTED, t0, t0 + T_QW);
	expect_heard(&h, 1, SIM_FLASH_EV_PROGRAM, SIM_FLASH_DONE, t0, t0 + T_QW);
	expect_heard(&h, 2, SIM_FLASH_EV_PROGRAM, SIM_FLASH_STARTED, t0 + T_QW, t0 + 2 * T_QW);
	expect_heard(&h, 3, SIM_FLASH_EV_PROGRAM, SIM_FLASH_DONE, t0 + T_QW, t0 + 2 * T_QW);
	t0 += 2 * T_QW;
	expect_heard(&h, 4, SIM_FLASH_EV_MASS_ERASE, SIM_FLASH_STARTED, t0, t0 + mass);
	expect_heard(&h, 5, SIM_FLASH_EV_BANK_ERASE, SIM_FLASH_STARTED, t0, t0 + mass);
	expect_heard(&h, 6, SIM_FLASH_EV_BANK_ERASE, SIM_FLASH_STARTED, t0, t0 + mass);
	sim_clock_advance(mass);
	h5_set_ps(f, H5PS_PROVISIONING); /* accepted: heard */
	assert_int_equal(h.n, 12);
	expect_heard(&h, 9, SIM_FLASH_EV_BANK_ERASE, SIM_FLASH_DONE, t0, t0 + mass);
	expect_heard(&h, 10, SIM_FLASH_EV_OPTSTART, SIM_FLASH_STARTED, t0 + mass, t0 + mass + T_OPT);
	expect_heard(&h, 11, SIM_FLASH_EV_OPTSTART, SIM_FLASH_DONE, t0 + mass, t0 + mass + T_OPT);
	h5_set_ps(f, H5PS_OPEN); /* refused (no way back from Provisioning by OPTSTRT): not heard */
	assert_int_equal(h5_rd(f, NSSR) & OPTCHANGEERR, OPTCHANGEERR);
	assert_int_equal(h.n, 12);
	flash_h5_system_reset(f);
	h5_unlock_ns(f);
	h5_unlock_opt(f);
	h5_wr(f, OPTSR_PRG, (h5_rd(f, OPTSR_CUR) & ~0xff00u) | (uint32_t)H5PS_IROT_PROVISIONED << 8);
	h5_wr(f, OPTCR, OPTSTRT);
	sim_clock_advance(T_OPT / 2);
	flash_h5_system_reset(f);
	assert_int_equal(flash_h5_product_state(f), H5PS_PROVISIONING);
	assert_int_equal(h.n, 13); /* started, never done */
	flash_h5_start_full_regression(f); /* the ROM's erase: a mass erase of both banks */
	assert_int_equal(h.n, 16);
	expect_heard(&h, 13, SIM_FLASH_EV_MASS_ERASE, SIM_FLASH_STARTED, sim_now_us(), sim_now_us() + mass);
	expect_heard(&h, 15, SIM_FLASH_EV_BANK_ERASE, SIM_FLASH_STARTED, sim_now_us(), sim_now_us() + mass);
	flash_h5_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_values),
		cmocka_unit_test(test_program_quad_word),
		cmocka_unit_test(test_byte_writes_and_force_write),
		cmocka_unit_test(test_program_sequence_errors),
		cmocka_unit_test(test_bad_accesses),
		cmocka_unit_test(test_key_sequences),
		cmocka_unit_test(test_sector_erase),
		cmocka_unit_test(test_erase_refusals),
		cmocka_unit_test(test_bank_and_mass_erase),
		cmocka_unit_test(test_program_while_busy_waits),
		cmocka_unit_test(test_reset_cuts_program),
		cmocka_unit_test(test_reset_cuts_sector_erase),
		cmocka_unit_test(test_reset_cuts_bank_erase),
		cmocka_unit_test(test_ecc_error_from_scenario),
		cmocka_unit_test(test_swap_bank),
		cmocka_unit_test(test_line_474),
		cmocka_unit_test(test_line_478),
		cmocka_unit_test(test_create_rejects_bad_parts),
		cmocka_unit_test(test_listener_and_cut_option_change),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
