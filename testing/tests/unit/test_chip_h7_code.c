/*
 * Code a debugger loads and starts on the simulated STM32H7 (core_h7.c,
 * thumb.c): the project's own H7 routines (src/flash/nor/stm32h7x_*.S, as
 * bytes in stm32h7x_loader.h) run on the Cortex-M7 from DTCM, its stores
 * into a full flash queue wait out the stall, BKPT halts it, a fault locks
 * it up.  Time is frozen and moved by hand, one sync at a time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "chip_h7_testutil.h"
#include "flash_h7.h"
#include "cm_scan_code.h"
#include "stm32h7x_loader.h"

#define DCRSR 0xE000EDF4u
#define DCRDR 0xE000EDF8u
#define CFSR  0xE000ED28u
#define DFSR  0xE000ED30u
#define WORK  0x20000000u /* DTCM */
#define CTL   0x20000080u
#define MAP   0x20000100u /* the readable scan's erased map */
#define S_HALT   (1u << 17)
#define S_LOCKUP (1u << 19)

static void set_reg(sim_chip *chip, unsigned regsel, uint32_t v)
{
	tu_wr_ok(chip, 0, DCRDR, v);
	tu_wr_ok(chip, 0, DCRSR, (1u << 16) | regsel);
}

static void load(sim_chip *chip, uint32_t addr, const uint8_t *code, size_t len)
{
	for (size_t i = 0; i < len; i += 4) {
		uint32_t w = 0xFFFFFFFFu;

		memcpy(&w, code + i, len - i < 4 ? len - i : 4);
		tu_wr_ok(chip, 0, addr + (uint32_t)i, w);
	}
}

/* A blank H743, its core halted as OpenOCD leaves a locked-up one. */
static sim_chip *halted_chip(const char *text)
{
	sim_chip *chip = tu_make_chip(text);

	tu_wr_ok(chip, 0, TU_DHCSR, TU_DBGKEY | 3u);
	return chip;
}

/* `code` loaded at WORK, `regs` (REGSEL, value pairs) set, then resumed with interrupts masked. */
static void run_code(sim_chip *chip, const uint8_t *code, size_t len, const uint32_t *regs, size_t nregs)
{
	load(chip, WORK, code, len);
	for (size_t i = 0; i < nregs; i += 2)
		set_reg(chip, regs[i], regs[i + 1]);
	set_reg(chip, 16, 1u << 24); /* xPSR: Thumb */
	set_reg(chip, 15, WORK);
	tu_wr_ok(chip, 0, TU_DHCSR, TU_DBGKEY | 1u | 8u); /* C_DEBUGEN | C_MASKINTS, C_HALT clear */
}

static sim_chip *start(const char *text, const uint8_t *code, size_t len, const uint32_t *regs, size_t nregs)
{
	sim_chip *chip = halted_chip(text);

	run_code(chip, code, len, regs, nregs);
	return chip;
}

/* Syncs of 10 us until the core halts or locks up; how many it took. */
static unsigned run_until_stopped(sim_chip *chip, unsigned max_syncs)
{
	for (unsigned i = 0; i < max_syncs; i++) {
		if (tu_rd_ok(chip, 0, TU_DHCSR) & (S_HALT | S_LOCKUP))
			return i;
		tu_advance(chip, 10);
	}
	fail_msg("the core did not stop within %u syncs", max_syncs);
	return max_syncs;
}

static void blank_scan(const char *text, uint32_t start_addr, uint32_t end, uint32_t expect)
{
	const uint32_t regs[] = { 0, start_addr, 1, end, 2, CTL };
	sim_chip *chip = start(text, cm_blank_code, sizeof(cm_blank_code), regs, 6);

	run_until_stopped(chip, 400000);
	assert_true(tu_rd_ok(chip, 0, TU_DHCSR) & S_HALT);
	assert_int_equal(tu_rd_ok(chip, 0, DFSR) & 2u, 2u); /* BKPT */
	assert_int_equal(tu_rd_ok(chip, 0, CTL), expect);
	assert_true(chip->cpu[H7_CM7].core.code_instructions > (expect - start_addr) / 16 * 6); /* it read them all */
	sim_chip_destroy(chip);
}

static void test_blank_scan_of_an_erased_bank(void **state)
{
	(void)state;
	blank_scan("part = stm32h743zi\n", 0x08000000u, 0x08100000u, 0x08100000u);
}

static void test_blank_scan_finds_a_programmed_word(void **state)
{
	(void)state;
	blank_scan("part = stm32h743zi\nflash.fill = 0x08012340 0x20 0x5555AAAA\n", 0x08000000u, 0x08100000u,
		   0x08012340u);
}

/* The ECC scan reads a whole bank and stores END. */
static void test_readable_scan_of_a_healthy_bank(void **state)
{
	const uint32_t regs[] = { 0, 0x08100000u, 1, 0x08200000u, 2, CTL, 3, MAP };
	(void)state;
	sim_chip *chip = start("part = stm32h743zi\nflash.fill = 0x08100000 0x1000 0x12345678\n"
			       "flash.fill = 0x081F7FE0 0x20 0xFFFFFFFE\n", cm_readable_code, sizeof(cm_readable_code), regs, 8);

	run_until_stopped(chip, 400000);
	assert_true(tu_rd_ok(chip, 0, TU_DHCSR) & S_HALT);
	assert_int_equal(tu_rd_ok(chip, 0, DFSR) & 2u, 2u); /* BKPT */
	assert_int_equal(tu_rd_ok(chip, 0, CTL), 0x08200000u);
	/* The erased map, a bit per KiB, the first in bit 31: 4 KiB programmed at the start, one bit
	 * cleared in the last flash word of the 30th window's last KiB; every other KiB erased. */
	assert_int_equal(tu_rd_ok(chip, 0, MAP), 0x0FFFFFFFu);
	for (uint32_t i = 1; i < 32; i++)
		assert_int_equal(tu_rd_ok(chip, 0, MAP + 4u * i), i == 30 ? 0xFFFFFFFEu : 0xFFFFFFFFu);
	sim_chip_destroy(chip);
}

/* A word with a double ECC error: the read faults, the core stops, r0 names its 64-byte block. */
static void test_readable_scan_stops_at_an_ecc_error(void **state)
{
	const uint32_t regs[] = { 0, 0x08000000u, 1, 0x08100000u, 2, CTL, 3, MAP };
	(void)state;
	sim_chip *chip = halted_chip("part = stm32h743zi\nflash.ecc_error = 0x080123A0\n");

	tu_wr_ok(chip, 0, CTL, 0);
	run_code(chip, cm_readable_code, sizeof(cm_readable_code), regs, 8);
	run_until_stopped(chip, 400000);
	assert_true(tu_rd_ok(chip, 0, TU_DHCSR) & S_LOCKUP);
	assert_int_equal(tu_rd_ok(chip, 0, CTL), 0); /* no result stored */
	assert_int_equal(tu_rd_ok(chip, 0, CFSR) & (1u << 9), 1u << 9); /* PRECISERR */
	tu_wr_ok(chip, 0, TU_DHCSR, TU_DBGKEY | 3u); /* the debugger halts the locked-up core */
	tu_wr_ok(chip, 0, DCRSR, 0);               /* read r0 */
	assert_int_equal(tu_rd_ok(chip, 0, DCRDR), 0x08012380u);
	sim_chip_destroy(chip);
}

/* The same fault with DEMCR.VC_HARDERR armed, as cm_scan_run does: the core enters HardFault
 * (the frame stacked below SP, r0 and the faulting PC in it), halts there with DFSR.VCATCH instead
 * of locking up, r0 still names the block.  Resumed past the block while HardFault is still
 * active, a second fault locks the core up (Armv7-M: a fault at priority -1). */
static void test_readable_scan_fault_caught_by_vc_harderr(void **state)
{
	const uint32_t sp = CTL, regs[] = { 0, 0x08000000u, 1, 0x08100000u, 2, CTL, 3, MAP, 13, sp };
	(void)state;
	sim_chip *chip = halted_chip("part = stm32h743zi\nflash.ecc_error = 0x080123A0\nflash.ecc_error = 0x08040000\n");

	tu_wr_ok(chip, 0, TU_DEMCR, 0x01000400u); /* TRCENA | VC_HARDERR */
	tu_wr_ok(chip, 0, CTL, 0);
	run_code(chip, cm_readable_code, sizeof(cm_readable_code), regs, 10);
	run_until_stopped(chip, 400000);
	uint32_t dhcsr = tu_rd_ok(chip, 0, TU_DHCSR);
	assert_true(dhcsr & S_HALT);
	assert_false(dhcsr & S_LOCKUP);
	assert_int_equal(tu_rd_ok(chip, 0, DFSR) & 8u, 8u); /* VCATCH */
	assert_int_equal(tu_rd_ok(chip, 0, CFSR) & (1u << 9), 1u << 9);
	tu_wr_ok(chip, 0, DCRSR, 0);
	assert_int_equal(tu_rd_ok(chip, 0, DCRDR), 0x08012380u);        /* r0: the block */
	tu_wr_ok(chip, 0, DCRSR, 13);
	assert_int_equal(tu_rd_ok(chip, 0, DCRDR), sp - 32u);           /* the frame */
	assert_int_equal(tu_rd_ok(chip, 0, sp - 32u), 0x08012380u);     /* stacked r0 */
	uint32_t stacked_pc = tu_rd_ok(chip, 0, sp - 8u);
	assert_true(stacked_pc >= WORK && stacked_pc < WORK + sizeof(cm_readable_code));
	tu_wr_ok(chip, 0, DCRSR, 16);
	assert_int_equal(tu_rd_ok(chip, 0, DCRDR) & 0x1FFu, 3u);        /* IPSR: HardFault */

	const uint32_t again[] = { 0, 0x080123C0u, 1, 0x08100000u, 2, CTL, 3, MAP, 13, sp };
	run_code(chip, cm_readable_code, sizeof(cm_readable_code), again, 10);
	run_until_stopped(chip, 400000);
	assert_true(tu_rd_ok(chip, 0, TU_DHCSR) & S_LOCKUP);
	tu_wr_ok(chip, 0, TU_DHCSR, TU_DBGKEY | 3u);
	tu_wr_ok(chip, 0, DCRSR, 0);
	assert_int_equal(tu_rd_ok(chip, 0, DCRDR), 0x08040000u);
	sim_chip_destroy(chip);
}

/* A core polling RAM for the debugger's word goes round its loop (the simulator counts those rounds
 * without interpreting each) and leaves it as soon as the debugger has written the word. */
static void test_wait_loop_ends_at_the_debuggers_write(void **state)
{
	/* loop: ldr r1, [r0]; cmp r1, #0; beq loop; bkpt #0 */
	static const uint8_t poll[] = { 0x01, 0x68, 0x00, 0x29, 0xfc, 0xd0, 0x00, 0xbe };
	const uint32_t regs[] = { 0, CTL };
	(void)state;
	sim_chip *chip = halted_chip("part = stm32h743zi\n");

	tu_wr_ok(chip, 0, CTL, 0);
	run_code(chip, poll, sizeof(poll), regs, 2);
	tu_advance(chip, 1000);
	assert_false(tu_rd_ok(chip, 0, TU_DHCSR) & (S_HALT | S_LOCKUP));
	assert_true(chip->cpu[H7_CM7].core.code_instructions >= 30000); /* 1 ms of polling at 32 per us */
	tu_wr_ok(chip, 0, CTL, 1);
	run_until_stopped(chip, 10);
	assert_true(tu_rd_ok(chip, 0, TU_DHCSR) & S_HALT);
	assert_int_equal(tu_rd_ok(chip, 0, DFSR) & 2u, 2u); /* BKPT */
	sim_chip_destroy(chip);
}

/* The flash loader: 8 flash words from the ring; the core meets the full queue and waits. */
static void test_loader_waits_out_the_flash_queue(void **state)
{
	const uint32_t regs[] = { 0, CTL, 2, 0x08000000u, 4, 8 };
	uint32_t data[64];
	bool stalled = false;
	(void)state;
	sim_chip *chip = halted_chip("part = stm32h743zi\n");

	for (unsigned i = 0; i < 64; i++) {
		data[i] = 0x01020304u * (i + 1);
		tu_wr_ok(chip, 0, CTL + H7_LOADER_CTL_RING + 4 * i, data[i]);
	}
	tu_wr_ok(chip, 0, CTL + H7_LOADER_CTL_RP, 0);
	tu_wr_ok(chip, 0, CTL + H7_LOADER_CTL_STATUS, 0xFFFFFFFFu);
	tu_wr_ok(chip, 0, CTL + H7_LOADER_CTL_RING_SIZE, 16384);
	tu_wr_ok(chip, 0, CTL + H7_LOADER_CTL_SR_ADDR, 0x52002010u);
	tu_wr_ok(chip, 0, CTL + H7_LOADER_CTL_WORD_BYTES, 32);
	tu_wr_ok(chip, 0, CTL + H7_LOADER_CTL_ERR_MASK, 0x17EE0000u);
	tu_wr_ok(chip, 0, CTL + H7_LOADER_CTL_WP, 256);
	tu_wr_ok(chip, 0, 0x52002004u, 0x45670123u); /* FLASH_KEYR1 */
	tu_wr_ok(chip, 0, 0x52002004u, 0xCDEF89ABu);
	tu_wr_ok(chip, 0, 0x5200200Cu, 0x32u);       /* FLASH_CR1: PG, PSIZE x64 */
	run_code(chip, h7_loader_code, sizeof(h7_loader_code), regs, 6);
	for (unsigned i = 0; i < 200000 && !(tu_rd_ok(chip, 0, TU_DHCSR) & (S_HALT | S_LOCKUP)); i++) {
		stalled = stalled || flash_h7_bus_stalled_until(chip->flash) != 0;
		tu_advance(chip, 10);
	}
	assert_true(tu_rd_ok(chip, 0, TU_DHCSR) & S_HALT);
	assert_true(stalled); /* the third word waited for a queue slot */
	assert_true(flash_h7_bus_stalls(chip->flash) >= 1);
	assert_int_equal(tu_rd_ok(chip, 0, CTL + H7_LOADER_CTL_STATUS), 0);
	assert_int_equal(tu_rd_ok(chip, 0, CTL + H7_LOADER_CTL_RP), 256);
	for (unsigned i = 0; i < 64; i++)
		assert_int_equal(tu_rd_ok(chip, 0, 0x08000000u + 4 * i), data[i]);
	assert_int_equal(tu_rd_ok(chip, 0, 0x08000000u + 256), 0xFFFFFFFFu);
	sim_chip_destroy(chip);
}

static void test_undefined_instruction_locks_up(void **state)
{
	static const uint8_t udf[] = { 0x00, 0xde }; /* UDF #0 */
	(void)state;
	sim_chip *chip = start("part = stm32h743zi\n", udf, sizeof(udf), NULL, 0);

	run_until_stopped(chip, 10);
	assert_true(tu_rd_ok(chip, 0, TU_DHCSR) & S_LOCKUP);
	assert_int_equal(tu_rd_ok(chip, 0, CFSR) & (1u << 16), 1u << 16); /* UNDEFINSTR */
	sim_chip_destroy(chip);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blank_scan_of_an_erased_bank),
		cmocka_unit_test(test_blank_scan_finds_a_programmed_word),
		cmocka_unit_test(test_readable_scan_of_a_healthy_bank),
		cmocka_unit_test(test_readable_scan_stops_at_an_ecc_error),
		cmocka_unit_test(test_readable_scan_fault_caught_by_vc_harderr),
		cmocka_unit_test(test_wait_loop_ends_at_the_debuggers_write),
		cmocka_unit_test(test_loader_waits_out_the_flash_queue),
		cmocka_unit_test(test_undefined_instruction_locks_up),
	};

	return cmocka_run_group_tests(tests, tu_write_images, tu_remove_images);
}
