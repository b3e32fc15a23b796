/*
 * Unit tests of the STM32H7 flash model (testing/sim/flash_h7*.c): the
 * program/erase sequences OpenOCD's stm32h7x driver uses (facts A.2), SR
 * errors and CCR, timing, ECC, RDP blocking, resets in the middle of an
 * operation, and the 0x480 / 0x483 differences.  The clock is frozen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "flash_h7.h"
#include "flash_listener_testutil.h"

#define KEYR 0x04
#define CR 0x0c
#define SR 0x10
#define CCR 0x14
#define OPTCR 0x18
#define ECC_FA 0x60
#define CR_LOCK 1u
#define CR_PG 2u
#define CR_SER 4u
#define CR_BER 8u
#define PSIZE64 0x30u
#define START_450 (1u << 7)
#define FW_450 (1u << 6)
#define BSY 1u
#define WBNE 2u
#define QW 4u
#define EOP (1u << 16)
#define WRPERR (1u << 17)
#define PGSERR (1u << 18)
#define STRBERR (1u << 19)
#define INCERR (1u << 21)
#define RDPERR (1u << 23)
#define DBECCERR (1u << 26)
#define ERRORS 0x07ee0000u

static scenario sc;
static char err[512];

static flash_h7 *make(uint16_t dev_id, unsigned kib, const char *text)
{
	flash_h7_part part = { .dev_id = dev_id, .size_kib = kib, .dual_core = false };
	flash_h7 *f;

	sim_clock_freeze(1000);
	f = flash_h7_create(&part);
	assert_non_null(f);
	if (text) {
		assert_int_equal(scenario_parse(&sc, text, "t.scn", err, sizeof(err)), 0);
		if (flash_h7_apply_scenario(f, &sc, err, sizeof(err)) != 0)
			fail_msg("%s", err);
	}
	return f;
}

static uint32_t rd(flash_h7 *f, uint32_t off)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(flash_h7_reg_read(f, off, &v), SIM_BUS_OK);
	return v;
}

static void wr(flash_h7 *f, uint32_t off, uint32_t v)
{
	assert_int_equal(flash_h7_reg_write(f, off, v), SIM_BUS_OK);
}

static uint32_t mem(flash_h7 *f, uint32_t addr, sim_bus_result expect)
{
	uint32_t v = 0;

	assert_int_equal(flash_h7_mem_read(f, addr, 4, &v), expect);
	return v;
}

static void memw(flash_h7 *f, uint32_t addr, uint32_t v, sim_bus_result expect)
{
	assert_int_equal(flash_h7_mem_write(f, addr, 4, v), expect);
}

/* OpenOCD's unlock: only if CR.LOCK is set, two keys, check (facts A.2). */
static void unlock(flash_h7 *f, uint32_t set)
{
	if (rd(f, set + CR) & CR_LOCK) {
		wr(f, set + KEYR, 0x45670123);
		wr(f, set + KEYR, 0xcdef89ab);
	}
	assert_int_equal(rd(f, set + CR) & CR_LOCK, 0);
}

static void write_word(flash_h7 *f, uint32_t addr, unsigned words, uint32_t seed)
{
	for (unsigned i = 0; i < words; i++)
		memw(f, addr + 4 * i, seed + i, SIM_BUS_OK);
}

static void test_program_and_read_back(void **state)
{
	flash_h7 *f = make(0x450, 2048, NULL);

	assert_int_equal(rd(f, CR), 0x31);
	unlock(f, 0);
	wr(f, CR, CR_PG | PSIZE64);
	write_word(f, 0x08000020, 7, 0x11110000);
	assert_int_equal(rd(f, SR), WBNE | QW);
	write_word(f, 0x0800003c, 1, 0x22220000);
	assert_int_equal(rd(f, SR), BSY | QW);
	sim_clock_advance(599);
	assert_true(flash_h7_busy(f));
	assert_int_equal(mem(f, 0x08000020, SIM_BUS_OK), 0xffffffff);
	sim_clock_advance(1);
	assert_int_equal(rd(f, SR), EOP);
	assert_int_equal(mem(f, 0x08000020, SIM_BUS_OK), 0x11110000);
	assert_int_equal(mem(f, 0x0800003c, SIM_BUS_OK), 0x22220000);
	assert_int_equal(flash_h7_busy_total_us(f), 600);
	wr(f, CCR, rd(f, SR));
	assert_int_equal(rd(f, SR), 0);
	wr(f, CR, CR_LOCK);
	assert_int_equal(rd(f, CR) & CR_LOCK, CR_LOCK);
	flash_h7_destroy(f);
}

static void test_force_write_and_reprogram_corrupts(void **state)
{
	flash_h7 *f = make(0x450, 2048, NULL);
	uint32_t v;

	unlock(f, 0);
	wr(f, CR, CR_PG);
	assert_int_equal(flash_h7_mem_write(f, 0x08000002, 2, 0xbeef), SIM_BUS_OK);
	wr(f, CR, CR_PG | FW_450);
	sim_clock_advance(600);
	assert_int_equal(mem(f, 0x08000000, SIM_BUS_OK), 0xbeefffff);
	/* A flash word is programmed once: a second program corrupts its ECC (chosen). */
	write_word(f, 0x08000000, 8, 0);
	sim_clock_advance(600);
	mem(f, 0x08000010, SIM_BUS_FAULT);
	assert_int_equal(rd(f, SR) & DBECCERR, DBECCERR);
	assert_int_equal(rd(f, ECC_FA), 0);
	assert_int_equal(flash_h7_mem_read(f, 0x08000001, 1, &v), SIM_BUS_FAULT);
	wr(f, CCR, DBECCERR);
	assert_int_equal(rd(f, SR) & DBECCERR, 0);
	flash_h7_destroy(f);
}

static void test_sequence_errors_and_ccr(void **state)
{
	flash_h7 *f = make(0x450, 2048, NULL);

	memw(f, 0x08000000, 1, SIM_BUS_OK); /* no PG: PGSERR, write posted and dropped */
	assert_int_equal(rd(f, SR), PGSERR);
	unlock(f, 0);
	wr(f, CR, CR_PG);
	memw(f, 0x08000000, 1, SIM_BUS_OK); /* refused while PGSERR is pending (chosen rule) */
	assert_int_equal(rd(f, SR), PGSERR);
	wr(f, CCR, PGSERR);
	memw(f, 0x08000000, 1, SIM_BUS_OK);
	memw(f, 0x08000000, 2, SIM_BUS_OK); /* same bytes twice: STRBERR, buffer dropped */
	assert_int_equal(rd(f, SR), STRBERR);
	wr(f, CCR, STRBERR);
	memw(f, 0x08000000, 1, SIM_BUS_OK);
	memw(f, 0x08000020, 1, SIM_BUS_OK); /* other word before this one is complete: INCERR */
	assert_int_equal(rd(f, SR), INCERR);
	wr(f, CCR, ERRORS | EOP);
	wr(f, CR, CR_PG | CR_SER);
	memw(f, 0x08000000, 1, SIM_BUS_OK); /* program and erase mixed */
	assert_int_equal(rd(f, SR), PGSERR);
	wr(f, CCR, ERRORS);
	wr(f, CR, CR_PG);
	write_word(f, 0x08000000, 3, 7);
	wr(f, CR, 0); /* PG off with a partial word */
	assert_int_equal(rd(f, SR), INCERR);
	assert_int_equal(mem(f, 0x08000000, SIM_BUS_OK), 0xffffffff);
	flash_h7_destroy(f);
}

static void test_write_protection(void **state)
{
	flash_h7 *f = make(0x450, 2048, "WRPSN2 = 0xfd\nPROT_AREA_START1 = 0x20\nPROT_AREA_END1 = 0x20\n");

	unlock(f, 0x100);
	wr(f, 0x100 + CR, CR_PG);
	memw(f, 0x08120000, 1, SIM_BUS_OK); /* bank 2 sector 1 protected */
	assert_int_equal(rd(f, 0x100 + SR), WRPERR);
	wr(f, 0x100 + CCR, WRPERR);
	wr(f, 0x100 + CR, CR_SER | (1u << 8) | START_450);
	assert_int_equal(rd(f, 0x100 + SR), WRPERR);
	wr(f, 0x100 + CCR, WRPERR);
	wr(f, 0x100 + CR, CR_BER | START_450); /* any protected sector aborts a bank erase */
	assert_int_equal(rd(f, 0x100 + SR), WRPERR);
	unlock(f, 0);
	wr(f, CR, CR_PG);
	memw(f, 0x08002000, 1, SIM_BUS_OK); /* PCROP area */
	assert_int_equal(rd(f, SR), WRPERR);
	wr(f, CCR, WRPERR);
	wr(f, CR, CR_SER | START_450); /* sector 0 holds the PCROP area */
	assert_int_equal(rd(f, SR), WRPERR);
	flash_h7_destroy(f);
}

static void test_sector_erase_timing(void **state)
{
	flash_h7 *f = make(0x450, 2048, "flash.fill = 0x08100000 0x40000 0xa5a5a5a5\n");

	unlock(f, 0x100);
	wr(f, 0x100 + CR, CR_SER | PSIZE64 | (1u << 8));
	wr(f, 0x100 + CR, CR_SER | PSIZE64 | (1u << 8) | START_450);
	assert_int_equal(rd(f, 0x100 + SR), BSY | QW);
	sim_clock_advance(1099999);
	assert_int_equal(rd(f, 0x100 + SR) & QW, QW);
	sim_clock_advance(1);
	assert_int_equal(rd(f, 0x100 + SR), EOP);
	assert_int_equal(mem(f, 0x08120000, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(mem(f, 0x0811fffc, SIM_BUS_OK), 0xa5a5a5a5);
	flash_h7_destroy(f);
}

static void test_bank_and_mass_erase_timing(void **state)
{
	flash_h7 *f = make(0x450, 2048, "flash.fill = 0x08000000 0x100000 0x1\nflash.fill = 0x08100000 0x100 0x2\n");

	unlock(f, 0);
	wr(f, CR, CR_BER | PSIZE64 | START_450);
	sim_clock_advance(8 * 1100000 - 1);
	assert_int_equal(rd(f, SR) & QW, QW);
	sim_clock_advance(1);
	assert_int_equal(rd(f, SR), EOP);
	assert_int_equal(mem(f, 0x080ffffc, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(mem(f, 0x08100000, SIM_BUS_OK), 2);
	/* OPTCR.MER: both banks, both CRs unlocked. */
	wr(f, 0x08, 0x08192a3b);
	wr(f, 0x08, 0x4c5d6e7f);
	wr(f, OPTCR, 1u << 4); /* CR2 still locked: ignored */
	assert_false(flash_h7_busy(f));
	unlock(f, 0x100);
	wr(f, CCR, EOP);
	wr(f, CR, CR_PG);
	memw(f, 0x08000000, 1, SIM_BUS_OK);
	wr(f, OPTCR, 1u << 4); /* a partial word in bank 1's buffer: PGSERR, no erase at all */
	assert_int_equal(rd(f, SR), PGSERR | WBNE | QW);
	assert_int_equal(rd(f, 0x110) & BSY, 0);
	flash_h7_system_reset(f);
	unlock(f, 0);
	unlock(f, 0x100);
	wr(f, 0x08, 0x08192a3b);
	wr(f, 0x08, 0x4c5d6e7f);
	wr(f, OPTCR, 1u << 4);
	assert_int_equal(rd(f, OPTCR) & (1u << 4), 1u << 4);
	assert_int_equal(rd(f, 0x110) & BSY, BSY);
	sim_clock_advance(8 * 1100000);
	assert_int_equal(rd(f, OPTCR) & (1u << 4), 0);
	assert_int_equal(mem(f, 0x08100000, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(flash_h7_busy_total_us(f), 3 * 8 * 1100000);
	flash_h7_destroy(f);
}

static void test_key_sequence(void **state)
{
	flash_h7 *f = make(0x450, 2048, NULL);

	wr(f, KEYR, 0x45670123);
	wr(f, KEYR, 0x11111111);
	wr(f, KEYR, 0x45670123);
	wr(f, KEYR, 0xcdef89ab);
	assert_int_equal(rd(f, CR) & CR_LOCK, CR_LOCK); /* locked until reset */
	unlock(f, 0x100); /* bank 2 has its own keys */
	flash_h7_system_reset(f);
	assert_int_equal(rd(f, 0x100 + CR) & CR_LOCK, CR_LOCK);
	unlock(f, 0);
	flash_h7_destroy(f);
}

static void test_rdp_blocks_with_intrusion(void **state)
{
	flash_h7 *f = make(0x450, 2048, "RDP = 0xbb\nflash.fill = 0x08000000 0x20 0x5\n");

	assert_int_equal(mem(f, 0x08000000, SIM_BUS_OK), 5); /* firmware itself may read */
	flash_h7_set_intrusion(f, true);
	mem(f, 0x08000000, SIM_BUS_FAULT);
	assert_int_equal(rd(f, SR), RDPERR);
	wr(f, CCR, RDPERR);
	unlock(f, 0);
	wr(f, CR, CR_PG);
	memw(f, 0x08000040, 1, SIM_BUS_FAULT);
	assert_int_equal(rd(f, SR), RDPERR);
	wr(f, CCR, RDPERR);
	wr(f, CR, CR_BER | START_450);
	assert_int_equal(rd(f, SR), RDPERR);
	assert_false(flash_h7_busy(f));
	assert_int_equal(rd(f, 0x1c) & 0xff00u, 0xbb00u); /* registers stay readable */
	flash_h7_power_on(f); /* power cycle clears the intrusion */
	assert_int_equal(mem(f, 0x08000000, SIM_BUS_OK), 5);
	flash_h7_destroy(f);
}

static void test_reset_interrupts_program(void **state)
{
	flash_h7 *f = make(0x450, 2048, NULL);

	unlock(f, 0);
	wr(f, CR, CR_PG);
	write_word(f, 0x08000040, 8, 0x100);
	sim_clock_advance(300);
	flash_h7_system_reset(f);
	mem(f, 0x08000040, SIM_BUS_FAULT);
	assert_int_equal(rd(f, SR), DBECCERR);
	assert_int_equal(rd(f, ECC_FA), 2);
	wr(f, CCR, DBECCERR);
	assert_int_equal(rd(f, ECC_FA), 0);
	assert_int_equal(rd(f, CR) & CR_LOCK, CR_LOCK);
	assert_int_equal(mem(f, 0x08000060, SIM_BUS_OK), 0xffffffff);
	flash_h7_destroy(f);
}

/* A third word with one running and one queued stalls its bus write until the running one ends;
 * nothing is lost.  A reset during the stall ends the write: that word is never programmed. */
static void test_third_word_stalls_the_bus(void **state)
{
	flash_h7 *f = make(0x450, 2048, NULL);

	unlock(f, 0);
	wr(f, CR, CR_PG | PSIZE64);
	write_word(f, 0x08000000, 16, 0x100); /* one running (ends at 1600), one queued */
	assert_int_equal(flash_h7_bus_stalled_until(f), 0);
	write_word(f, 0x08000040, 8, 0x300);
	assert_int_equal(flash_h7_bus_stalled_until(f), 1600);
	assert_int_equal(flash_h7_bus_stalls(f), 1);
	sim_clock_advance(600);
	flash_h7_update(f, sim_now_us());
	assert_int_equal(flash_h7_bus_stalled_until(f), 0);
	assert_int_equal(rd(f, SR), BSY | QW | EOP);
	sim_clock_advance(1200);
	assert_int_equal(rd(f, SR), EOP);
	for (unsigned i = 0; i < 24; i++)
		assert_int_equal(mem(f, 0x08000000 + 4 * i, SIM_BUS_OK), 0x100 + (i < 16 ? i : i - 16 + 0x200));
	assert_int_equal(flash_h7_busy_total_us(f), 1800);

	write_word(f, 0x08000060, 24, 0x400);
	assert_int_not_equal(flash_h7_bus_stalled_until(f), 0);
	flash_h7_system_reset(f);
	assert_int_equal(flash_h7_bus_stalled_until(f), 0);
	assert_int_equal(mem(f, 0x080000a0, SIM_BUS_OK), 0xffffffff);
	flash_h7_destroy(f);
}

static void test_reset_interrupts_bank_erase(void **state)
{
	flash_h7 *f = make(0x450, 2048, "flash.fill = 0x08000000 0x100000 0x77\n");

	unlock(f, 0);
	wr(f, CR, CR_BER | START_450);
	sim_clock_advance(3 * 1100000 + 10);
	flash_h7_system_reset(f);
	assert_int_equal(mem(f, 0x08040000, SIM_BUS_OK), 0xffffffff); /* sector 2 done */
	mem(f, 0x08060000, SIM_BUS_FAULT);                             /* sector 3 cut */
	mem(f, 0x0807ffe0, SIM_BUS_FAULT);
	assert_int_equal(mem(f, 0x08080000, SIM_BUS_OK), 0x77);        /* sector 4 untouched */
	assert_int_equal(flash_h7_busy_total_us(f), 3 * 1100000 + 10);
	flash_h7_destroy(f);
}

static void test_line_480(void **state)
{
	flash_h7 *f = make(0x480, 2048, "flash.fill = 0x08000000 0x10000 0x3\n");

	assert_int_equal(rd(f, CR), CR_LOCK);
	unlock(f, 0);
	wr(f, CR, CR_PG);
	write_word(f, 0x08100000, 4, 0x40); /* bank 2: CR2 locked, no PG */
	assert_int_equal(rd(f, 0x110), PGSERR);
	assert_int_equal(rd(f, SR), 0);
	write_word(f, 0x08010000, 3, 0x40);
	assert_int_equal(rd(f, SR), WBNE | QW);
	write_word(f, 0x0801000c, 1, 0x43); /* 128-bit word: the 4th write starts programming */
	assert_int_equal(rd(f, SR), BSY | QW);
	sim_clock_advance(600);
	assert_int_equal(mem(f, 0x0801000c, SIM_BUS_OK), 0x43);
	wr(f, CCR, EOP);
	wr(f, CR, CR_SER | (5u << 6) | (1u << 5)); /* sector 5: START at bit 5, SNB at bit 6 */
	assert_int_equal(rd(f, SR), BSY | QW);
	sim_clock_advance(68749);
	assert_int_equal(rd(f, SR) & BSY, BSY);
	sim_clock_advance(1);
	assert_int_equal(mem(f, 0x0800a000, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(mem(f, 0x08009ffc, SIM_BUS_OK), 3);
	assert_int_equal(rd(f, 0x68), 0); /* OTPBL_CUR exists */
	assert_int_equal(rd(f, 0x70), 0); /* no OPTSR2: reserved */
	flash_h7_destroy(f);
}

static void test_line_483(void **state)
{
	flash_h7 *f = make(0x483, 1024, NULL);

	assert_int_equal(rd(f, 0x1c), 0x0306aad0);
	assert_int_equal(rd(f, 0x11c), 0x0306aad0); /* alias on a single-bank part too */
	assert_int_equal(rd(f, 0x10c), 0);           /* no CR2 */
	assert_int_equal(rd(f, 0x70), 0);            /* OPTSR2_CUR */
	assert_false(flash_h7_is_mem(f, 0x08100000));
	assert_true(flash_h7_is_mem(f, 0x080ffffc));
	wr(f, 0x08, 0x08192a3b);
	wr(f, 0x08, 0x4c5d6e7f);
	unlock(f, 0);
	wr(f, OPTCR, 1u << 4); /* no MER on this line */
	assert_false(flash_h7_busy(f));
	wr(f, 0x74, 5);
	assert_int_equal(rd(f, 0x74), 5);
	flash_h7_destroy(f);
}

static void test_swap_bank_after_reset(void **state)
{
	flash_h7 *f = make(0x450, 2048, "flash.fill = 0x08100000 0x20 0xb2b2b2b2\n");
	uint32_t prg;

	wr(f, 0x08, 0x08192a3b);
	wr(f, 0x08, 0x4c5d6e7f);
	prg = rd(f, 0x20);
	wr(f, 0x20, prg | (1u << 31));
	wr(f, OPTCR, 2);
	sim_clock_advance(300000);
	assert_int_equal(rd(f, 0x1c) >> 31, 1);
	assert_int_equal(rd(f, OPTCR) >> 31, 0); /* not before the next reset */
	assert_int_equal(mem(f, 0x08000000, SIM_BUS_OK), 0xffffffff);
	flash_h7_system_reset(f);
	assert_int_equal(rd(f, OPTCR) >> 31, 1);
	assert_int_equal(mem(f, 0x08000000, SIM_BUS_OK), 0xb2b2b2b2);
	/* CR2 still drives physical bank 2 (chosen), now mapped at 0x08000000. */
	unlock(f, 0x100);
	wr(f, 0x10c, CR_SER | START_450);
	sim_clock_advance(1100000);
	assert_int_equal(mem(f, 0x08000000, SIM_BUS_OK), 0xffffffff);
	flash_h7_destroy(f);
}

static void test_bad_accesses(void **state)
{
	flash_h7 *f = make(0x450, 1024, NULL); /* 2 x 512 KiB: a hole between the banks */
	uint32_t v;

	assert_false(flash_h7_is_mem(f, 0x08080000));
	assert_true(flash_h7_is_mem(f, 0x0817fffc));
	assert_int_equal(flash_h7_mem_read(f, 0x08080000, 4, &v), SIM_BUS_FAULT);
	assert_int_equal(flash_h7_mem_read(f, 0x08000002, 4, &v), SIM_BUS_FAULT);
	assert_int_equal(flash_h7_reg_read(f, 0x202, &v), SIM_BUS_FAULT);
	assert_int_equal(flash_h7_reg_read(f, 0x0e, &v), SIM_BUS_FAULT);
	wr(f, KEYR, 0x45670123);
	wr(f, KEYR, 0xcdef89ab);
	wr(f, CR, CR_SER | (4u << 8) | START_450); /* 512 KiB bank: sectors 0..3 only */
	assert_int_equal(rd(f, SR), PGSERR);
	assert_false(flash_h7_busy(f));
	assert_int_equal(flash_h7_boot_address(f, 0, false), 0x08000000);
	assert_int_equal(flash_h7_boot_address(f, 0, true), 0x1ff00000);
	assert_int_equal(flash_h7_boot_address(f, 1, false), 0);
	flash_h7_destroy(f);
}

static void test_create_rejects_bad_parts(void **state)
{
	flash_h7_part bad_id = { .dev_id = 0x451, .size_kib = 2048 };
	flash_h7_part bad_size = { .dev_id = 0x450, .size_kib = 100 };
	flash_h7_part bad_dual = { .dev_id = 0x483, .size_kib = 1024, .dual_core = true };

	assert_null(flash_h7_create(&bad_id));
	assert_null(flash_h7_create(&bad_size));
	assert_null(flash_h7_create(&bad_dual));
	assert_null(flash_h7_create(NULL));
}

static void option_start(flash_h7 *f, uint32_t prg)
{
	if (rd(f, OPTCR) & 1u) {
		wr(f, 0x08, 0x08192a3b);
		wr(f, 0x08, 0x4c5d6e7f);
	}
	wr(f, 0x20, prg);
	wr(f, OPTCR, 2);
}

/* A queued flash word is reported when it really starts; a mass erase is one mass_erase and two bank_erase. */
static void test_listener_hears_operations(void **state)
{
	flash_h7 *f = make(0x450, 2048, NULL);
	heard h = { 0 };

	flash_h7_set_listener(f, listen, &h);
	unlock(f, 0);
	unlock(f, 0x100);
	wr(f, CR, CR_PG);
	write_word(f, 0x08000000, 16, 0x100); /* two words: the second waits (QW) */
	assert_int_equal(h.n, 1);
	expect_heard(&h, 0, SIM_FLASH_EV_PROGRAM, SIM_FLASH_STARTED, 1000, 1600);
	assert_int_equal(flash_h7_next_change(f), 1600);
	sim_clock_advance(2000);
	flash_h7_update(f, sim_now_us());
	expect_heard(&h, 1, SIM_FLASH_EV_PROGRAM, SIM_FLASH_DONE, 1000, 1600);
	expect_heard(&h, 2, SIM_FLASH_EV_PROGRAM, SIM_FLASH_STARTED, 1600, 2200);
	expect_heard(&h, 3, SIM_FLASH_EV_PROGRAM, SIM_FLASH_DONE, 1600, 2200);
	assert_int_equal(flash_h7_next_change(f), UINT64_MAX);
	wr(f, CR, CR_SER | (2u << 8) | START_450);
	expect_heard(&h, 4, SIM_FLASH_EV_SECTOR_ERASE, SIM_FLASH_STARTED, 3000, 1103000);
	sim_clock_advance(1100000);
	wr(f, 0x08, 0x08192a3b);
	wr(f, 0x08, 0x4c5d6e7f);
	wr(f, OPTCR, 1u << 4);
	expect_heard(&h, 5, SIM_FLASH_EV_SECTOR_ERASE, SIM_FLASH_DONE, 3000, 1103000);
	expect_heard(&h, 6, SIM_FLASH_EV_BANK_ERASE, SIM_FLASH_STARTED, 1103000, 9903000);
	expect_heard(&h, 7, SIM_FLASH_EV_BANK_ERASE, SIM_FLASH_STARTED, 1103000, 9903000);
	expect_heard(&h, 8, SIM_FLASH_EV_MASS_ERASE, SIM_FLASH_STARTED, 1103000, 9903000);
	sim_clock_advance(8800000);
	option_start(f, rd(f, 0x20) | (3u << 2));
	assert_int_equal(h.n, 13);
	expect_heard(&h, 11, SIM_FLASH_EV_MASS_ERASE, SIM_FLASH_DONE, 1103000, 9903000);
	expect_heard(&h, 12, SIM_FLASH_EV_OPTSTART, SIM_FLASH_STARTED, 9903000, 10203000);
	sim_clock_advance(300000);
	flash_h7_update(f, sim_now_us());
	expect_heard(&h, 13, SIM_FLASH_EV_OPTSTART, SIM_FLASH_DONE, 9903000, 10203000);
	wr(f, CR, CR_SER | START_450);
	option_start(f, rd(f, 0x20)); /* refused (a bank is busy): not heard */
	assert_int_equal(rd(f, 0x1c) & (1u << 30), 1u << 30);
	assert_int_equal(h.n, 15);
	expect_heard(&h, 14, SIM_FLASH_EV_SECTOR_ERASE, SIM_FLASH_STARTED, 10203000, 11303000);
	flash_h7_destroy(f);
}

/* A cut option write leaves RDP at 0xBB (level 1), everything else as it was (seed 000). */
static void test_option_write_cut_leaves_level1(void **state)
{
	flash_h7 *f = make(0x450, 2048, "flash.fill = 0x08000000 0x100 0x5\n");
	uint32_t before = rd(f, 0x1c);

	option_start(f, rd(f, 0x20) | (3u << 2));
	sim_clock_advance(5000000); /* nobody looked: the change is still "running" at 1000 + 100 ms */
	flash_h7_system_reset_at(f, 1000 + 100000);
	assert_int_equal(flash_h7_rdp(f), 0xbb);
	assert_int_equal(rd(f, 0x1c), (before & ~0xff00u) | 0xbb00u); /* BOR_LEV still 0 */
	assert_int_equal(rd(f, 0x20), rd(f, 0x1c));
	assert_int_equal(flash_h7_busy_total_us(f), 100000);
	flash_h7_set_intrusion(f, true);
	mem(f, 0x08000000, SIM_BUS_FAULT);
	flash_h7_set_intrusion(f, false);
	assert_int_equal(mem(f, 0x08000000, SIM_BUS_OK), 5);
	/* A regression cut after its erase, in the write: erased, and still level 1. */
	option_start(f, (rd(f, 0x20) & ~0xff00u) | 0xaa00u);
	sim_clock_advance(8 * 1100000 + 1000);
	flash_h7_system_reset(f);
	assert_int_equal(flash_h7_rdp(f), 0xbb);
	assert_int_equal(mem(f, 0x08000000, SIM_BUS_OK), 0xffffffff);
	/* The same cut earlier than the block's last update counts at that update. */
	option_start(f, (rd(f, 0x20) & ~0xff00u) | 0xaa00u);
	sim_clock_advance(9100000);
	flash_h7_update(f, sim_now_us());
	flash_h7_system_reset_at(f, 0);
	assert_int_equal(flash_h7_rdp(f), 0xaa);
	flash_h7_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_program_and_read_back),
		cmocka_unit_test(test_force_write_and_reprogram_corrupts),
		cmocka_unit_test(test_sequence_errors_and_ccr),
		cmocka_unit_test(test_write_protection),
		cmocka_unit_test(test_sector_erase_timing),
		cmocka_unit_test(test_bank_and_mass_erase_timing),
		cmocka_unit_test(test_key_sequence),
		cmocka_unit_test(test_rdp_blocks_with_intrusion),
		cmocka_unit_test(test_reset_interrupts_program),
		cmocka_unit_test(test_reset_interrupts_bank_erase),
		cmocka_unit_test(test_third_word_stalls_the_bus),
		cmocka_unit_test(test_line_480),
		cmocka_unit_test(test_line_483),
		cmocka_unit_test(test_swap_bank_after_reset),
		cmocka_unit_test(test_bad_accesses),
		cmocka_unit_test(test_create_rejects_bad_parts),
		cmocka_unit_test(test_listener_hears_operations),
		cmocka_unit_test(test_option_write_cut_leaves_level1),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
