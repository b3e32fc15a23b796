/*
 * Every scenario in testing/scenarios/ builds a chip, uses all its keys, and
 * is in the state its comment describes after 10 ms; the field-report
 * scenarios are then played a little further (operator steps, recovery).
 * Operator faults (srst_pulse, power_cycle on `during` / `after_op` flash
 * events) are played on small inline scenarios at the end.
 * The directory is $top_srcdir/testing/scenarios (the test harness exports
 * top_srcdir), else the one configure saw.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "chip_h7_testutil.h"
#include "flash_h7_internal.h"

#ifndef SCENARIO_DIR
#define SCENARIO_DIR "testing/scenarios"
#endif

typedef struct expect {
	const char *file;
	const char *part;
	const char *cm7;     /* chip_h7_core_state after 10 ms */
	const char *cm4;     /* chip_h7_cm4_state, "absent" on single core */
	bool debug_alive;
} expect;

static const expect scenarios[] = {
	{ "h743-factory-fresh.scn", "stm32h743zi", "lockup", "absent", true },
	{ "h745-factory-fresh.scn", "stm32h745zi", "lockup", "lockup", true },
	{ "h723-factory-fresh.scn", "stm32h723zg", "lockup", "absent", true },
	{ "h7a3-factory-fresh.scn", "stm32h7a3zi", "lockup", "absent", true },
	{ "h743-healthy.scn", "stm32h743zi", "running", "absent", true },
	{ "h743-rdp1.scn", "stm32h743zi", "running", "absent", true },
	{ "h743-rdp1-pcrop.scn", "stm32h743zi", "running", "absent", true },
	{ "h723-rdp1-secure-area.scn", "stm32h723zg", "running", "absent", true },
	{ "h743-rdp2.scn", "stm32h743zi", "running", "absent", true },
	{ "h743-fw-stop.scn", "stm32h743zi", "stop", "absent", true },
	{ "h743-fw-standby.scn", "stm32h743zi", "standby", "absent", true },
	{ "h743-firmware-kills-debug.scn", "stm32h743zi", "running", "absent", false },
	{ "h743-supply-lockout.scn", "stm32h743zi", "locked-out", "absent", false },
	{ "h743-boot0-recovery.scn", "stm32h743zi", "locked-out", "absent", false },
	{ "seed000-h743-rdp-bb.scn", "stm32h743xi", "running", "absent", true },
	{ "seed001-h745-smps-fw-ldo.scn", "stm32h745zi", "locked-out", "locked-out", false },
	{ "seed001-h735-ldo-fw-smps.scn", "stm32h735zg", "locked-out", "absent", false },
	{ "seed001-h755-bcm7-off.scn", "stm32h755zi", "clock-gated", "running", true },
	{ "seed002-h747-fw-kills-debug.scn", "stm32h747xi", "locked-out", "locked-out", false },
	{ "seed003-h743-revV.scn", "stm32h743zi", "running", "absent", true },
};

static sim_chip *load(const char *file)
{
	const char *top = getenv("top_srcdir");
	char path[512], err[1024];
	sim_chip *chip;

	if (top)
		snprintf(path, sizeof(path), "%s/testing/scenarios/%s", top, file);
	else
		snprintf(path, sizeof(path), "%s/%s", SCENARIO_DIR, file);
	sim_clock_freeze(0);
	if (scenario_load(&tu_scenario, path, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	chip = sim_chip_create(&tu_scenario, err, sizeof(err));
	if (!chip)
		fail_msg("%s: %s", path, err);
	if (scenario_first_unused(&tu_scenario))
		fail_msg("%s: key \"%s\" unused", path, scenario_first_unused(&tu_scenario)->key);
	return chip;
}

static void test_every_scenario_builds(void **state)
{
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		const expect *x = &scenarios[i];
		sim_chip *chip = load(x->file);

		tu_advance(chip, 10 * TU_MS);
		if (strcmp(chip->part->name, x->part) != 0 || strcmp(chip_h7_core_state(chip), x->cm7) != 0 ||
		    strcmp(chip_h7_cm4_state(chip), x->cm4) != 0 || chip_h7_debug_alive(chip) != x->debug_alive)
			fail_msg("%s: %s, M7 %s, M4 %s, debug %s", x->file, chip->part->name, chip_h7_core_state(chip),
				 chip_h7_cm4_state(chip), chip_h7_debug_alive(chip) ? "alive" : "dead");
		sim_chip_destroy(chip);
	}
}

/* Seed 000: RDP 0xBB (level 1), two ECC-corrupt words; once a debugger is seen the flash is refused. */
static void test_seed000(void **state)
{
	sim_chip *chip = load("seed000-h743-rdp-bb.scn");
	uint32_t erased, programmed, corrupt;
	uint32_t v;

	assert_int_equal(flash_h7_rdp(chip_h7_flash(chip)), 0xBB);
	fa_counts(&chip_h7_flash(chip)->bank[0], &erased, &programmed, &corrupt);
	assert_int_equal(corrupt, 2);
	/* 0x08003fe0 was programmed and broke; 0x08004000 was the word being programmed at the cut. */
	assert_int_equal(programmed, 0x4000u / 32u - 1u);
	chip->dp.hooks.powerup_request(chip->dp.hooks.ctx, true, true);
	assert_int_equal(tu_rd(chip, 0, 0x08000000u, 4, &v), SIM_BUS_FAULT);
	sim_chip_destroy(chip);
}

/* Seed 001 on the H745: hold SRST 500 ms, the operator power-cycles, connect under reset catches both cores. */
static void test_seed001_h745_recovery_window(void **state)
{
	sim_chip *chip = load("seed001-h745-smps-fw-ldo.scn");

	sim_chip_set_reset_lines(chip, false, true);
	tu_advance(chip, 800 * TU_MS);
	assert_int_equal(chip->power_cycles, 1);
	assert_true(chip_h7_debug_alive(chip));
	tu_catch_reset(chip, 0);
	tu_catch_reset(chip, 3);
	sim_chip_set_reset_lines(chip, false, false);
	tu_advance(chip, 10 * TU_MS);
	assert_string_equal(chip_h7_core_state(chip), "halted");
	assert_string_equal(chip_h7_cm4_state(chip), "halted");
	assert_true(chip_h7_debug_alive(chip));
	sim_chip_destroy(chip);
}

/* Seed 002: after 2 s BOOT0 goes high and the board is power-cycled: the bootloader keeps debug alive. */
static void test_seed002_boot0(void **state)
{
	sim_chip *chip = load("seed002-h747-fw-kills-debug.scn");

	tu_advance(chip, 2400 * TU_MS);
	assert_int_equal(chip_h7_core(chip)->program, CORE_PROG_BOOTLOADER);
	assert_true(chip_h7_debug_alive(chip));
	assert_false(chip->pwr.supply_fault);
	sim_chip_destroy(chip);
}

/* Seed 003: bootloader V9.0 readable at 0x1FF1E7FE, bank 2 programmed. */
static void test_seed003(void **state)
{
	sim_chip *chip = load("seed003-h743-revV.scn");
	uint32_t v = 0;

	assert_int_equal(tu_rd(chip, 0, 0x1FF1E7FEu, 1, &v), SIM_BUS_OK);
	assert_int_equal(v, 0x90u);
	assert_int_equal(tu_rd_ok(chip, 0, 0x5C001000u), 0x20030450u);
	assert_int_not_equal(tu_rd_ok(chip, 0, 0x08100000u), 0xFFFFFFFFu);
	sim_chip_destroy(chip);
}

/* Seed 001 on the H755: only AP3 answers; BCM7 set again through the M4 takes effect at the next reset. */
static void test_seed001_h755_bcm7_through_ap3(void **state)
{
	sim_chip *chip = load("seed001-h755-bcm7-off.scn");

	assert_false(tu_ap_enabled(chip, 0));
	tu_wr_ok(chip, 3, 0x52002008u, 0x08192A3Bu); /* OPTKEYR */
	tu_wr_ok(chip, 3, 0x52002008u, 0x4C5D6E7Fu);
	tu_wr_ok(chip, 3, 0x52002020u, tu_rd_ok(chip, 3, 0x52002020u) | (1u << 23));
	tu_wr_ok(chip, 3, 0x52002018u, 1u << 1); /* OPTSTART */
	tu_advance(chip, 400 * TU_MS);
	assert_int_equal(tu_rd_ok(chip, 3, 0x5200201Cu) & (1u << 23), 1u << 23);
	sim_chip_set_reset_lines(chip, false, true);
	sim_chip_set_reset_lines(chip, false, false);
	assert_true(tu_ap_enabled(chip, 0));
	assert_string_equal(chip_h7_core_state(chip), "running");
	sim_chip_destroy(chip);
}

/* ------------------------------------------------ operator fault injection -- */

#define FLASH_REG(off) (0x52002000u + (off))

/* State of the flash word at byte offset `off` of bank 1 (WORD_ERASED/PROGRAMMED/CORRUPT). */
static unsigned word_state(sim_chip *chip, uint32_t off)
{
	const flash_h7 *f = chip_h7_flash(chip);

	return f->bank[0].word_state[off / f->line->word_bytes];
}

static void unlock_bank1(sim_chip *chip)
{
	tu_wr_ok(chip, 0, FLASH_REG(0x04), 0x45670123u);
	tu_wr_ok(chip, 0, FLASH_REG(0x04), 0xCDEF89ABu);
}

/* OpenOCD's option write: keys, OPTSR_PRG, OPTSTART (facts A.2). */
static void option_write(sim_chip *chip, uint32_t optsr_prg)
{
	tu_wr_ok(chip, 0, FLASH_REG(0x08), 0x08192A3Bu);
	tu_wr_ok(chip, 0, FLASH_REG(0x08), 0x4C5D6E7Fu);
	tu_wr_ok(chip, 0, FLASH_REG(0x20), optsr_prg);
	tu_wr_ok(chip, 0, FLASH_REG(0x18), 1u << 1);
}

static void test_srst_pulse_during_bank_erase(void **state)
{
	sim_chip *chip = tu_make_chip("part = stm32h743zi\nflash.fill = 0x08000000 0x100000 0x77\n"
				      "operator.step = during bank_erase 1 3.5s -> srst_pulse\n");

	unlock_bank1(chip);
	tu_wr_ok(chip, 0, FLASH_REG(0x0c), (1u << 3) | (1u << 7)); /* BER | START */
	tu_advance(chip, 20 * 1000 * TU_MS);
	assert_int_equal(chip->ops.next, 1);
	assert_int_equal(chip->system_resets, 1);
	assert_int_equal(word_state(chip, 0x40000), WORD_ERASED);    /* sectors 0-2 done */
	assert_int_equal(word_state(chip, 0x60000), WORD_CORRUPT);   /* sector 3 cut */
	assert_int_equal(word_state(chip, 0x7ffe0), WORD_CORRUPT);
	assert_int_equal(word_state(chip, 0x80000), WORD_PROGRAMMED); /* sector 4 untouched */
	assert_int_equal(tu_rd_ok(chip, 0, 0x08080000u), 0x77);
	assert_int_equal(flash_h7_busy_total_us(chip_h7_flash(chip)), 3500000);
	sim_chip_destroy(chip);
}

/* An RDP regression (0x55 -> 0xAA) cut in its erase phase (the default: half of 9.1 s) and in its write. */
static void test_srst_pulse_during_regression(void **state)
{
	static const char *const steps[2] = { "during optstart 1", "during optstart 1 9s" };
	char text[256];

	for (unsigned phase = 0; phase < 2; phase++) {
		sim_chip *chip;

		snprintf(text, sizeof(text), "part = stm32h743zi\nRDP = 0x55\nflash.fill = 0x08000000 0x100000 0x1\n"
			 "operator.step = %s -> srst_pulse\n", steps[phase]);
		chip = tu_make_chip(text);
		option_write(chip, (tu_rd_ok(chip, 0, FLASH_REG(0x20)) & ~0xff00u) | 0xaa00u);
		tu_advance(chip, 20 * 1000 * TU_MS);
		assert_int_equal(chip->system_resets, 1);
		if (phase == 0) {
			assert_int_equal(flash_h7_rdp(chip_h7_flash(chip)), 0x55); /* unchanged */
			assert_int_equal(word_state(chip, 0x60000), WORD_ERASED);  /* 4.55 s: sectors 0-3 done */
			assert_int_equal(word_state(chip, 0x80000), WORD_CORRUPT);
			assert_int_equal(word_state(chip, 0xa0000), WORD_PROGRAMMED);
		} else {
			assert_int_equal(flash_h7_rdp(chip_h7_flash(chip)), 0xbb); /* half-written: level 1 */
			assert_int_equal(word_state(chip, 0xe0000), WORD_ERASED);
		}
		sim_chip_destroy(chip);
	}
}

/* Power lost while the third flash word is being programmed: that word carries an ECC error. */
static void test_power_cycle_mid_program(void **state)
{
	sim_chip *chip = tu_make_chip("part = stm32h743zi\noperator.step = during program 3 -> power_cycle 10ms\n");
	uint32_t v;

	unlock_bank1(chip);
	tu_wr_ok(chip, 0, FLASH_REG(0x0c), 1u << 1); /* PG */
	for (uint32_t a = 0x08000000u; a < 0x08000060u; a += 4) {
		tu_wr_ok(chip, 0, a, a);
		if ((a & 0x1c) == 0x1c)
			tu_advance(chip, 1 * TU_MS); /* each word done before the next */
	}
	assert_false(chip->powered);
	tu_advance(chip, 20 * TU_MS);
	assert_int_equal(chip->power_cycles, 1);
	assert_int_equal(tu_rd_ok(chip, 0, 0x08000020u), 0x08000020u);
	assert_int_equal(tu_rd(chip, 0, 0x08000040u, 4, &v), SIM_BUS_FAULT);
	assert_int_equal(word_state(chip, 0x40), WORD_CORRUPT);
	sim_chip_destroy(chip);
}

/* after_op: the reset lands when the first change completes, before the debugger's second one. */
static void test_after_op_between_option_writes(void **state)
{
	sim_chip *chip = tu_make_chip("part = stm32h743zi\noperator.step = after_op optstart 1 -> srst_pulse\n");
	uint32_t prg = tu_rd_ok(chip, 0, FLASH_REG(0x20));

	option_write(chip, prg | (3u << 2)); /* BOR_LEV 3 */
	tu_advance(chip, 299 * TU_MS);
	assert_int_equal(chip->system_resets, 0);
	tu_advance(chip, 1 * TU_MS);
	assert_int_equal(chip->system_resets, 1);
	assert_int_equal(chip->ops.next, 1);
	assert_int_equal(tu_rd_ok(chip, 0, FLASH_REG(0x1c)) & (3u << 2), 3u << 2); /* the first change took */
	tu_wr_ok(chip, 0, FLASH_REG(0x18), 1u << 1); /* the second OPTSTART: OPTCR locked again by the reset */
	assert_false(flash_h7_busy(chip_h7_flash(chip)));
	sim_chip_destroy(chip);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_scenario_builds),
		cmocka_unit_test(test_seed000),
		cmocka_unit_test(test_seed001_h745_recovery_window),
		cmocka_unit_test(test_seed002_boot0),
		cmocka_unit_test(test_seed003),
		cmocka_unit_test(test_seed001_h755_bcm7_through_ap3),
		cmocka_unit_test(test_srst_pulse_during_bank_erase),
		cmocka_unit_test(test_srst_pulse_during_regression),
		cmocka_unit_test(test_power_cycle_mid_program),
		cmocka_unit_test(test_after_op_between_option_writes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
