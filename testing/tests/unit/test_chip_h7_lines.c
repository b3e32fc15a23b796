/*
 * The 0x483 (H72x/H73x) and 0x480 (H7A3/H7B0/H7B3) lines, the SMPS parts
 * and the system bootloader (facts A.1, A.2, A.5, C; ST AN2606): DEV_ID,
 * REV_ID, CPUID, flash-size and UID addresses, memory maps, AP1 presence,
 * the APB-D without SWO funnel, supply defaults and lockouts, bootloader IDs
 * and which of them lock PWR_CR3.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "chip_h7_testutil.h"

#define OPTSR_CUR 0x5200201Cu
#define OPTSR2_CUR 0x52002070u
#define MCU_ROM_PIDR0 0xE00FEFE0u

static void test_h723(void **state)
{
	sim_chip *chip = tu_make_chip("part = stm32h723zg\n");
	uint32_t v;

	assert_int_equal(tu_rd_ok(chip, 0, 0x5C001000u), 0x10010483u); /* rev Z by default */
	assert_int_equal(tu_rd_ok(chip, 2, 0xE00E1000u), 0x10010483u);
	assert_int_equal(tu_rd_ok(chip, 0, TU_CPUID), 0x411FC272u);    /* Cortex-M7 r1p2 (facts C) */
	assert_int_equal(tu_rd_ok(chip, 0, MCU_ROM_PIDR0), 0x83u);
	assert_int_equal(tu_rd_ok(chip, 0, 0x1FF1E880u) & 0xFFFFu, 1024u);
	assert_int_equal(tu_rd(chip, 0, 0x1FF1E7FEu, 1, &v), SIM_BUS_OK);
	assert_int_equal(v, 0x93u); /* AN2606 Table 3 */
	assert_non_null(chip_h7_ap(chip, 1)); /* AP1 present (psdb) */
	assert_null(chip_h7_ap(chip, 3));
	assert_int_equal(tu_rd_ok(chip, 2, 0xE00E0004u), (0xE00F5000u - 0xE00E0000u) | 3u); /* no funnel */
	/* 320 KiB AXI SRAM, 16 KiB SRAM4. */
	assert_int_equal(tu_rd(chip, 0, 0x2404FFFCu, 4, &v), SIM_BUS_OK);
	assert_int_equal(tu_rd(chip, 0, 0x24050000u, 4, &v), SIM_BUS_FAULT);
	assert_int_equal(tu_rd(chip, 1, 0x38003FFCu, 4, &v), SIM_BUS_OK);
	assert_int_equal(tu_rd(chip, 1, 0x38004000u, 4, &v), SIM_BUS_FAULT);
	/* Factory OPTSR as observed on a NUCLEO-H723ZG (facts A.4), OPTSR2 present. */
	assert_int_equal(tu_rd_ok(chip, 0, OPTSR_CUR), 0x0306AAD0u);
	assert_int_equal(tu_rd(chip, 0, OPTSR2_CUR, 4, &v), SIM_BUS_OK);
	assert_false(chip->part->smps);
	assert_int_equal(chip->pwr.board, PWR_SUPPLY_LDO);
	sim_chip_destroy(chip);
}

static void test_h7a3(void **state)
{
	sim_chip *chip = tu_make_chip("part = stm32h7a3zi\n");
	uint32_t v;

	assert_int_equal(tu_rd_ok(chip, 0, 0x5C001000u), 0x10000480u);
	assert_int_equal(tu_rd_ok(chip, 0, TU_CPUID), 0x411FC272u);
	/* Flash size in the device-information block, as a 16-bit read (what OpenOCD does). */
	assert_int_equal(tu_rd(chip, 0, 0x08FFF80Cu, 2, &v), SIM_BUS_OK);
	assert_int_equal(v, 2048u);
	assert_int_equal(tu_rd_ok(chip, 0, 0x08FFF800u), 0x00480031u); /* UID word 0 */
	assert_int_equal(tu_rd_ok(chip, 0, 0x08FFF8FCu), 0xFFFFFFFFu);
	assert_int_equal(tu_rd(chip, 0, 0x08FFF900u, 4, &v), SIM_BUS_FAULT);
	assert_int_equal(tu_rd(chip, 0, 0x1FF13FFEu, 1, &v), SIM_BUS_OK);
	assert_int_equal(v, 0x92u); /* AN2606 Table 3 */
	/* AP1: UNCONFIRMED, chosen absent. */
	assert_null(chip_h7_ap(chip, 1));
	/* 1 MiB AXI SRAM. */
	assert_int_equal(tu_rd(chip, 0, 0x240FFFFCu, 4, &v), SIM_BUS_OK);
	assert_int_equal(tu_rd(chip, 0, 0x24100000u, 4, &v), SIM_BUS_FAULT);
	/* Bank 2 at 0x08100000, 8 KiB sectors: a 16-byte flash word can be loaded there. */
	assert_true(flash_h7_is_mem(chip_h7_flash(chip), 0x081FFFF0u));
	sim_chip_destroy(chip);

	chip = tu_make_chip("part = stm32h7b0vb\n"); /* 128 KiB: single bank */
	assert_int_equal(tu_rd(chip, 0, 0x08FFF80Cu, 2, &v), SIM_BUS_OK);
	assert_int_equal(v, 128u);
	assert_false(flash_h7_is_mem(chip_h7_flash(chip), 0x08100000u));
	sim_chip_destroy(chip);
}

/* Which parts have the SMPS (facts A.5) and what wiring they default to. */
static void test_smps_parts(void **state)
{
	static const struct {
		const char *name;
		bool smps;
	} parts[] = {
		{ "stm32h743zi", false }, { "stm32h745zi", true }, { "stm32h747xi", true }, { "stm32h755zi", true },
		{ "stm32h757xi", true }, { "stm32h723zg", false }, { "stm32h725zg", true }, { "stm32h733vg", false },
		{ "stm32h735zg", true }, { "stm32h730vb", false }, { "stm32h730vbq", true }, { "stm32h7a3zi", false },
		{ "stm32h7a3ziq", true }, { "stm32h7b0vbq", true }, { "stm32h7b3ii", false },
	};
	char text[64], err[1024];

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		sim_chip *chip;

		snprintf(text, sizeof(text), "part = %s\n", parts[i].name);
		chip = tu_make_chip(text);
		assert_int_equal(chip->part->smps, parts[i].smps);
		assert_int_equal(chip->pwr.board, parts[i].smps ? PWR_SUPPLY_DIRECT_SMPS : PWR_SUPPLY_LDO);
		assert_int_equal(chip->pwr.smps_part, parts[i].smps);
		sim_chip_destroy(chip);
	}
	assert_null(tu_try_chip("part = stm32h723zg\nboard.supply = direct_smps\n", err, sizeof(err)));
	assert_non_null(strstr(err, "LDO-only"));
	assert_null(tu_try_chip("part = stm32h723zgq\n", err, sizeof(err))); /* no Q variant of the H723 */
}

/* Field report 001, reverse wiring: an SMPS part on an LDO board whose firmware selects the SMPS. */
static void test_h735_ldo_board_smps_firmware(void **state)
{
	sim_chip *chip = tu_make_chip("part = stm32h735zg\nboard.supply = ldo\nflash.load = 0x08000000 %1$s\n"
				      "firmware.step = 3000 write 0x5802480C 0x00000004\n");

	tu_advance(chip, 1 * TU_MS);
	assert_string_equal(chip_h7_core_state(chip), "locked-out");
	assert_false(chip_h7_debug_alive(chip));
	sim_chip_destroy(chip);
	/* The same firmware on a direct-SMPS board is fine. */
	chip = tu_make_chip("part = stm32h735zg\nflash.load = 0x08000000 %1$s\n"
			    "firmware.step = 3000 write 0x5802480C 0x00000004\n");
	tu_advance(chip, 1 * TU_MS);
	assert_string_equal(chip_h7_core_state(chip), "running");
	assert_true(chip->pwr.supply_configured);
	sim_chip_destroy(chip);
}

static uint8_t bootloader_id(sim_chip *chip, uint32_t addr)
{
	uint32_t v = 0;

	assert_int_equal(tu_rd(chip, 0, addr, 1, &v), SIM_BUS_OK);
	return (uint8_t)v;
}

/* Bootloader IDs per revision and key; which ones store PWR_CR3 as a word (AN2606 Tables 133, 135, 137). */
static void test_bootloader_versions(void **state)
{
	static const struct {
		const char *text;
		uint8_t id;
		bool locks;
	} cases[] = {
		{ "part = stm32h743zi\nboot0 = 1\nrev = Y\n", 0xD2, true },
		{ "part = stm32h743zi\nboot0 = 1\n", 0x90, true },
		{ "part = stm32h743zi\nboot0 = 1\nbootloader.id = 0x92\n", 0x92, false },
		{ "part = stm32h723zg\nboot0 = 1\nrev = A\n", 0x91, true },
		{ "part = stm32h723zg\nboot0 = 1\nbootloader.id = 0x92\n", 0x92, true },
		{ "part = stm32h723zg\nboot0 = 1\n", 0x93, false },
		{ "part = stm32h7a3zi\nboot0 = 1\nbootloader.id = 0x91\n", 0x91, true },
		{ "part = stm32h7a3zi\nboot0 = 1\n", 0x92, false },
	};
	char err[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sim_chip *chip = tu_make_chip(cases[i].text);
		uint32_t addr = chip->part->line->dev_id == 0x480 ? 0x1FF13FFEu : 0x1FF1E7FEu;

		assert_int_equal(bootloader_id(chip, addr), cases[i].id);
		assert_int_equal(chip_h7_core(chip)->program, CORE_PROG_BOOTLOADER);
		assert_int_equal(chip->pwr.supply_locked, cases[i].locks);
		assert_false(chip->pwr.supply_fault);
		assert_true(chip_h7_debug_alive(chip));
		sim_chip_destroy(chip);
	}
	assert_null(tu_try_chip("part = stm32h743zi\nbootloader.id = 0x93\n", err, sizeof(err)));
	assert_non_null(strstr(err, "0xD2, 0xD3, 0x90, 0x91, 0x92"));
	assert_null(tu_try_chip("part = stm32h7a3zi\nbootloader.id = 0x1FF\n", err, sizeof(err)));
}

/* The bootloader's vector tables: at the BOOT_ADD1 address and at its AN2606 "start address". */
static void test_system_memory_vectors(void **state)
{
	sim_chip *chip = tu_make_chip("part = stm32h743zi\n");

	assert_int_equal(tu_rd_ok(chip, 0, 0x1FF00004u), 0x1FF09A01u);
	assert_int_equal(tu_rd_ok(chip, 0, 0x1FF09804u), 0x1FF09A01u);
	sim_chip_destroy(chip);
	chip = tu_make_chip("part = stm32h7a3zi\n");
	assert_int_equal(tu_rd_ok(chip, 0, 0x1FF0A004u), 0x1FF0A201u);
	sim_chip_destroy(chip);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_h723),
		cmocka_unit_test(test_h7a3),
		cmocka_unit_test(test_smps_parts),
		cmocka_unit_test(test_h735_ldo_board_smps_firmware),
		cmocka_unit_test(test_bootloader_versions),
		cmocka_unit_test(test_system_memory_vectors),
	};

	return cmocka_run_group_tests(tests, tu_write_images, tu_remove_images);
}
