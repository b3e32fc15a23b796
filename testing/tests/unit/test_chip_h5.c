/*
 * The STM32H5 chip through chip.h and the buses its access ports master:
 * part table and identification (DBGMCU at both debugger addresses, ROM
 * tables, JTAG chain, Cortex-M33 IDs), AP1 gating and the security rules per
 * product state, boot per product state (user code, bootloader, the ROM in
 * Provisioning and its closed AP1 window), a PRODUCT_STATE change through
 * the flash registers ending in a reset, and the state JSON.  Debug
 * authentication and regressions: test_chip_h5_da.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "chip_h5_testutil.h"

#define OPEN_APP "part = stm32h563zi\nflash.load = 0x08000000 %1$s\n"

static void test_part_table_and_keys(void **state)
{
	char err[1024];
	sim_chip *chip;

	assert_null(h5_try_chip("part = stm32h599zz\n", err, sizeof(err)));
	assert_non_null(strstr(err, "stm32h563zi"));
	assert_null(h5_try_chip("part = stm32h563zi\nrev = Y\n", err, sizeof(err))); /* Y is an H503 revision */
	assert_null(h5_try_chip("part = stm32h563zi\nfirmware.step = 10 idle\n", err, sizeof(err)));
	assert_non_null(strstr(err, "no runnable vector table"));
	assert_null(h5_try_chip("part = stm32h563zi\nboot0 = 2\n", err, sizeof(err)));
	assert_null(h5_try_chip("part = stm32h563zi\noperator.step = after 1ms -> dance\n", err, sizeof(err)));
	assert_null(h5_try_chip("part = stm32h563zi\nPRODUCT_STATE = 0x42\n", err, sizeof(err)));
	/* An H7-only key is nobody's: main.c refuses the scenario. */
	chip = h5_try_chip("part = stm32h563zi\nbootloader.id = 0x90\n", err, sizeof(err));
	assert_non_null(chip);
	assert_non_null(scenario_first_unused(&h5_scenario));
	assert_string_equal(scenario_first_unused(&h5_scenario)->key, "bootloader.id");
	sim_chip_destroy(chip);
	/* The H7 family's "unknown part" message names the H5 parts too. */
	assert_null(h5_try_chip("part = stm32f103c8\n", err, sizeof(err)));
	assert_non_null(strstr(err, "stm32h503rb"));
}

static void test_identification_every_line(void **state)
{
	static const struct {
		const char *text;
		uint32_t idcode, flash_kib, bs_idcode;
	} cases[] = {
		{ "part = stm32h503rb\n", 0x10030474u, 128, 0x06474041u },
		{ "part = stm32h503rb\nrev = Z\n", 0x10010474u, 128, 0x06474041u },
		{ "part = stm32h533re\n", 0x10000478u, 512, 0x06478041u },
		{ "part = stm32h523cc\n", 0x10000478u, 256, 0x06478041u },
		{ "part = stm32h562ag\nrev = A\n", 0x10000484u, 1024, 0x06484041u },
		{ "part = stm32h573ii\n", 0x10070484u, 2048, 0x06484041u },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sim_chip *chip = h5_make_chip(cases[i].text);
		h5_chip *c = h5c(chip);
		uint32_t v;

		assert_int_equal(h5_rd_ok(chip, 0, 0xE00E4000u), cases[i].idcode);
		assert_int_equal(h5_rd_ok(chip, 0, 0xE0044000u), cases[i].idcode);
		/* ROM table of the debug APB: CIDR, part number = DEV_ID, first entry DBGMCU. */
		assert_int_equal(h5_rd_ok(chip, 0, 0xE00E0FE0u), cases[i].idcode & 0xFFu);
		assert_int_equal(h5_rd_ok(chip, 0, 0xE00E0FE4u), (cases[i].idcode >> 8) & 0xFu);
		assert_int_equal(h5_rd_ok(chip, 0, 0xE00E0FF4u), 0x10u);
		assert_int_equal(h5_rd_ok(chip, 0, 0xE00E0000u), 0x00004003u);
		assert_int_equal(h5_rd_ok(chip, 0, 0xE00E40FCu), 0x00030003u); /* AP0 and AP1 present and enabled */
		assert_int_equal(h5_rd(chip, 0, 0xE00E8000u, &v), SIM_BUS_FAULT);
		/* AP1: the M33 and the device information. */
		assert_int_equal(h5_rd_ok(chip, 1, 0xE000ED00u), 0x410FD214u);
		assert_int_equal(h5_rd_ok(chip, 1, 0xE00FEFE0u), cases[i].idcode & 0xFFu);
		assert_int_equal(h5_rd_ok(chip, 1, 0x08FFF80Cu) & 0xFFFFu, cases[i].flash_kib);
		assert_int_equal(c->chain.taps[0].d.idcode, 0x0BA04477u);
		assert_int_equal(c->chain.taps[1].d.idcode, cases[i].bs_idcode);
		assert_true(h5_ap_reg(chip, 0, 0xFC, &v));
		assert_int_equal(v & 0xFu, 2); /* APB-AP */
		assert_true(h5_ap_reg(chip, 1, 0xFC, &v));
		assert_int_equal(v, 0x84770001u);
		assert_true(h5_ap_reg(chip, 1, 0xF8, &v));
		assert_int_equal(v, 0xE00FE003u);
		/* Security Extension everywhere but on the H503 (ID_PFR1.Security, DAUTHSTATUS.SID). */
		assert_int_equal(h5_rd_ok(chip, 1, 0xE000ED44u), c->part->line->trustzone ? 0x210u : 0x200u);
		assert_int_equal(h5_rd_ok(chip, 1, H5_DAUTH), c->part->line->trustzone ? 0xFFu : 0x0Fu);
		sim_chip_destroy(chip);
	}
}

/* Per product state: does AP1 answer, may it make secure transactions, what does DBGMCU_SR say. */
static void test_ap1_gating_per_state(void **state)
{
	static const struct {
		const char *extra;
		bool ap1, secure;
		const char *firmware;
	} cases[] = {
		{ "", true, true, "idle-firmware" },
		{ "PRODUCT_STATE = 0x2E\n", true, false, "idle-firmware" },
		{ "PRODUCT_STATE = 0xC6\nTZEN = 0xB4\n", true, false, "idle-firmware" },
		{ "PRODUCT_STATE = 0x72\n", false, false, "idle-firmware" },
		{ "PRODUCT_STATE = 0x5C\n", false, false, "idle-firmware" },
		{ "PRODUCT_STATE = 0x17\n", true, true, "boot-rom (provisioning)" },
	};
	char text[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sim_chip *chip;
		uint32_t v;

		snprintf(text, sizeof(text), "%s%s", OPEN_APP, cases[i].extra);
		chip = h5_make_chip(text);
		h5_advance(chip, 30 * H5_MS); /* past the ROM's closed window in Provisioning */
		assert_string_equal(chip_h5_firmware(chip), cases[i].firmware);
		assert_int_equal(chip_h5_ap1_enabled(chip), cases[i].ap1);
		assert_int_equal(h5_ap_reg(chip, 1, 0xFC, &v), cases[i].ap1);
		assert_int_equal((h5_rd_ok(chip, 0, 0xE00E40FCu) >> 17) & 1u, cases[i].ap1);
		assert_int_equal(h5_rd_ok(chip, 0, 0xE0044000u), 0x10070484u); /* AP0 always answers */
		if (cases[i].ap1) {
			h5_set_nonsecure(chip, false);
			assert_int_equal(h5_rd(chip, 1, 0x20000000u, &v) == SIM_BUS_OK, cases[i].secure);
			assert_int_equal(h5_rd(chip, 1, H5_DHCSR, &v) == SIM_BUS_OK, cases[i].secure);
			h5_set_nonsecure(chip, true);
			assert_int_equal(h5_rd(chip, 1, 0x20000000u, &v), SIM_BUS_OK);
			assert_int_equal(h5_rd(chip, 1, H5_DHCSR, &v), SIM_BUS_OK);
		}
		sim_chip_destroy(chip);
	}
}

static void test_secure_aliases_with_trustzone(void **state)
{
	sim_chip *chip = h5_make_chip(OPEN_APP "TZEN = 0xB4\nSECBOOTADD = 0x0C000000\n"
				      "flash.load = 0x0C000000 %1$s\n");
	uint32_t v;

	h5_set_nonsecure(chip, false);
	h5_wr_ok(chip, 1, 0x30000010u, 0xCAFEF00Du);
	assert_int_equal(h5_rd_ok(chip, 1, 0x20000010u), 0xCAFEF00Du); /* same cells, either alias */
	h5_set_nonsecure(chip, true);
	assert_int_equal(h5_rd_ok(chip, 1, 0x20000010u), 0xCAFEF00Du);
	assert_int_equal(h5_rd(chip, 1, 0x30000010u, &v), SIM_BUS_FAULT);
	assert_int_equal(h5_rd(chip, 1, 0x0FF80000u, &v), SIM_BUS_FAULT);
	assert_int_equal(h5_rd_ok(chip, 1, 0x0BF80000u), 0x20004000u);
	/* User code runs Secure with TrustZone on: DSCSR.CDS, secure debug allowed in Open. */
	assert_int_equal(h5_rd_ok(chip, 1, H5_DSCSR) & CM_DSCSR_CDS, CM_DSCSR_CDS);
	assert_true(h5_rd_ok(chip, 1, H5_DHCSR) & CM_S_SDE);
	sim_chip_destroy(chip);

	/* TrustZone off: the attribute makes no difference. */
	chip = h5_make_chip(OPEN_APP);
	h5_set_nonsecure(chip, true);
	assert_int_equal(h5_rd(chip, 1, 0x30000010u, &v), SIM_BUS_OK);
	assert_int_equal(h5_rd_ok(chip, 1, H5_DSCSR) & CM_DSCSR_CDS, 0);
	sim_chip_destroy(chip);
}

/* iROT-Provisioned: halting debug of the Non-secure state only. */
static void test_nonsecure_halting_only(void **state)
{
	sim_chip *chip = h5_make_chip(OPEN_APP "PRODUCT_STATE = 0x2E\nTZEN = 0xB4\nSECBOOTADD = 0x0C000000\n"
				      "flash.load = 0x0C000000 %1$s\n");

	h5_set_nonsecure(chip, true);
	assert_false(h5_rd_ok(chip, 1, H5_DHCSR) & CM_S_SDE);
	assert_int_equal(h5_rd_ok(chip, 1, H5_DAUTH), 0xAFu); /* SID/SNID: implemented, disabled */
	h5_wr_ok(chip, 1, H5_DHCSR, H5_DBGKEY | CM_C_DEBUGEN | CM_C_HALT);
	h5_advance(chip, H5_MS);
	assert_false(h5_rd_ok(chip, 1, H5_DHCSR) & CM_S_HALT); /* Secure code: the request stays pending */
	assert_string_equal(chip_h5_core_state(chip), "running");
	/* DSCSR is out of reach without secure debug. */
	h5_wr_ok(chip, 1, H5_DSCSR, 0);
	assert_int_equal(h5_rd_ok(chip, 1, H5_DSCSR) & CM_DSCSR_CDS, CM_DSCSR_CDS);
	sim_chip_destroy(chip);

	/* TrustZone off: user code is Non-secure and halts. */
	chip = h5_make_chip(OPEN_APP "PRODUCT_STATE = 0x2E\n");
	h5_set_nonsecure(chip, true);
	h5_wr_ok(chip, 1, H5_DHCSR, H5_DBGKEY | CM_C_DEBUGEN | CM_C_HALT);
	assert_true(h5_rd_ok(chip, 1, H5_DHCSR) & CM_S_HALT);
	assert_string_equal(chip_h5_core_state(chip), "halted");
	sim_chip_destroy(chip);
}

/* Open: connect under reset and reset halt both stop at the reset vector. */
static void test_open_reset_halt(void **state)
{
	sim_chip *chip = h5_make_chip(OPEN_APP);
	uint32_t v;

	sim_chip_set_reset_lines(chip, false, true);
	assert_string_equal(chip_h5_core_state(chip), "in-reset");
	assert_int_equal(h5_rd(chip, 1, 0x20000000u, &v), SIM_BUS_FAULT); /* system bus down under NRST */
	h5_wr_ok(chip, 1, H5_DHCSR, H5_DBGKEY | CM_C_DEBUGEN);
	h5_wr_ok(chip, 1, H5_DEMCR, 0x01000001u);
	sim_chip_set_reset_lines(chip, false, false);
	assert_string_equal(chip_h5_core_state(chip), "halted");
	assert_int_equal(chip_h5_dbg(chip)->pc, 0x08000200u);
	assert_int_equal(chip_h5_system_resets(chip), 1);
	/* SYSRESETREQ with the catch still set: halted again before the first instruction. */
	h5_wr_ok(chip, 1, H5_AIRCR, 0x05FA0004u);
	assert_string_equal(chip_h5_core_state(chip), "halted");
	assert_int_equal(chip_h5_system_resets(chip), 2);
	assert_int_equal(h5c(chip)->core.before_halt, 0);
	sim_chip_destroy(chip);
}

/* BOOT0 selects the bootloader in Open only. */
static void test_boot0(void **state)
{
	sim_chip *chip = h5_make_chip(OPEN_APP "boot0 = 1\n");

	assert_string_equal(chip_h5_firmware(chip), "system-bootloader");
	sim_chip_destroy(chip);
	chip = h5_make_chip(OPEN_APP "boot0 = 1\nNSBOOT_LOCK = 0xB4\n");
	assert_string_equal(chip_h5_firmware(chip), "idle-firmware");
	sim_chip_destroy(chip);
	chip = h5_make_chip(OPEN_APP "boot0 = 1\nPRODUCT_STATE = 0x72\n");
	assert_string_equal(chip_h5_firmware(chip), "idle-firmware");
	sim_chip_destroy(chip);
	chip = h5_make_chip("part = stm32h563zi\n");
	assert_string_equal(chip_h5_firmware(chip), "none (lockup)");
	assert_string_equal(chip_h5_core_state(chip), "lockup");
	sim_chip_destroy(chip);
}

/* Provisioning: the ROM runs, AP1 closed under NRST and for 20 ms after, a reset catch is not taken. */
static void test_provisioning_rom(void **state)
{
	sim_chip *chip = h5_make_chip(OPEN_APP "PRODUCT_STATE = 0x17\n");
	uint64_t total;
	uint32_t v;

	assert_false(chip_h5_ap1_enabled(chip));
	h5_advance(chip, 19 * H5_MS);
	assert_false(chip_h5_ap1_enabled(chip));
	h5_advance(chip, 2 * H5_MS);
	assert_true(chip_h5_ap1_enabled(chip)); /* hot plug works */
	h5_set_nonsecure(chip, false);
	assert_int_equal(h5_rd_ok(chip, 1, 0x0FFD0100u), 0xFFFFFFFFu); /* OBK reachable for provisioning */
	h5_wr_ok(chip, 1, H5_DHCSR, H5_DBGKEY | CM_C_DEBUGEN);
	h5_wr_ok(chip, 1, H5_DEMCR, 0x01000001u);
	h5_wr_ok(chip, 1, H5_DHCSR, H5_DBGKEY | CM_C_DEBUGEN | CM_C_HALT);
	assert_false(h5_rd_ok(chip, 1, H5_DHCSR) & CM_S_HALT); /* the ROM cannot be halted */
	h5_wr_ok(chip, 1, H5_AIRCR, 0x05FA0004u);              /* "reset halt" */
	assert_false(h5_ap_reg(chip, 1, 0xFC, &v));
	assert_int_equal((h5_rd_ok(chip, 0, 0xE00E40FCu) >> 16) & 3u, 1u);
	total = h5c(chip)->core.total;
	h5_advance(chip, 25 * H5_MS);
	assert_true(chip_h5_ap1_enabled(chip));
	assert_false(h5_rd_ok(chip, 1, H5_DHCSR) & CM_S_HALT);
	assert_string_equal(chip_h5_firmware(chip), "boot-rom (provisioning)");
	assert_true(h5c(chip)->core.total > total); /* the ROM keeps running: not halted, not locked up */
	assert_string_equal(chip_h5_core_state(chip), "running");
	/* NRST held: closed as well. */
	sim_chip_set_reset_lines(chip, false, true);
	h5_advance(chip, 50 * H5_MS);
	assert_false(chip_h5_ap1_enabled(chip));
	sim_chip_destroy(chip);
}

static void unlock_options(sim_chip *chip)
{
	h5_wr_ok(chip, 1, 0x40022004u, 0x45670123u);
	h5_wr_ok(chip, 1, 0x40022004u, 0xCDEF89ABu);
	h5_wr_ok(chip, 1, 0x4002200Cu, 0x08192A3Bu);
	h5_wr_ok(chip, 1, 0x4002200Cu, 0x4C5D6E7Fu);
}

/* Open -> Provisioning by option programming: the change completes, the chip resets into the ROM. */
static void test_product_state_change_resets(void **state)
{
	sim_chip *chip = h5_make_chip(OPEN_APP);
	uint32_t optsr;

	h5_set_nonsecure(chip, true);
	unlock_options(chip);
	optsr = h5_rd_ok(chip, 1, 0x40022050u);
	h5_wr_ok(chip, 1, 0x40022054u, (optsr & ~0xFF00u) | (H5PS_PROVISIONING << 8));
	h5_wr_ok(chip, 1, 0x4002201Cu, 0x00000002u); /* OPTSTRT */
	assert_int_equal(chip_h5_system_resets(chip), 0);
	for (unsigned i = 0; i < 1000 && chip_h5_system_resets(chip) == 0; i++)
		h5_advance(chip, H5_MS);
	assert_int_equal(chip_h5_system_resets(chip), 1);
	assert_int_equal(flash_h5_product_state(chip_h5_flash(chip)), H5PS_PROVISIONING);
	assert_string_equal(chip_h5_firmware(chip), "boot-rom (provisioning)");
	assert_false(chip_h5_ap1_enabled(chip)); /* the ROM's window after the reset */
	sim_chip_destroy(chip);
}

/* Stop mode: AP1 faults unless DBGMCU_CR.DBG_STOP; AP0 answers. */
static void test_stop_mode(void **state)
{
	sim_chip *chip = h5_make_chip(OPEN_APP "firmware.step = 100 enter_stop\n");
	uint32_t v;

	h5_advance(chip, 10);
	assert_string_equal(chip_h5_core_state(chip), "stop");
	assert_int_equal(h5_rd(chip, 1, H5_DHCSR, &v), SIM_BUS_FAULT);
	h5_wr_ok(chip, 0, 0xE00E4004u, DBGMCU_H5_CR_DBG_STOP);
	assert_int_equal(h5_rd(chip, 1, H5_DHCSR, &v), SIM_BUS_OK);
	sim_chip_destroy(chip);
}

/* A system reset erases the SRAMs whose OPTSR2 bit is 0; the others keep their content. */
static void test_sram_erase_on_reset(void **state)
{
	sim_chip *chip = h5_make_chip(OPEN_APP "SRAM2_RST = 0\n");

	h5_wr_ok(chip, 1, 0x20000000u, 0x11111111u);
	h5_wr_ok(chip, 1, 0x20040000u, 0x22222222u);
	h5_wr_ok(chip, 1, H5_AIRCR, 0x05FA0004u);
	assert_int_equal(h5_rd_ok(chip, 1, 0x20000000u), 0x11111111u);
	assert_int_equal(h5_rd_ok(chip, 1, 0x20040000u), 0);
	sim_chip_destroy(chip);
	chip = h5_make_chip(OPEN_APP "SRAM1_3_RST = 0\n");
	h5_wr_ok(chip, 1, 0x20000000u, 0x11111111u);
	h5_wr_ok(chip, 1, 0x20050000u, 0x33333333u);
	sim_chip_set_reset_lines(chip, false, true);
	sim_chip_set_reset_lines(chip, false, false);
	assert_int_equal(h5_rd_ok(chip, 1, 0x20000000u), 0);
	assert_int_equal(h5_rd_ok(chip, 1, 0x20050000u), 0);
	sim_chip_destroy(chip);
	/* The H503 has no SRAM1_3_RST: its SRAM1 survives a reset. */
	chip = h5_make_chip("part = stm32h503rb\n");
	h5_wr_ok(chip, 1, 0x20000000u, 0x11111111u);
	h5_wr_ok(chip, 1, H5_AIRCR, 0x05FA0004u);
	assert_int_equal(h5_rd_ok(chip, 1, 0x20000000u), 0x11111111u);
	sim_chip_destroy(chip);
}

/* ------------------------------------------------ operator fault injection -- */

#define H5_FLASH(off) (0x40022000u + (off))

static void unlock_nscr(sim_chip *chip)
{
	h5_set_nonsecure(chip, true);
	h5_wr_ok(chip, 1, H5_FLASH(0x04), 0x45670123u);
	h5_wr_ok(chip, 1, H5_FLASH(0x04), 0xCDEF89ABu);
}

static sim_bus_result flash_word(sim_chip *chip, uint32_t addr, uint32_t *v)
{
	return h5_rd(chip, 1, addr, v);
}

/* Half of a 1.28 s bank erase: sectors 0-63 erased, the quad-word in progress corrupt, the rest kept. */
static void test_srst_pulse_during_bank_erase(void **state)
{
	sim_chip *chip = h5_make_chip("part = stm32h563zi\nflash.fill = 0x08000000 0x100000 0x5a\n"
				      "operator.step = during bank_erase 1 -> srst_pulse\n");
	uint32_t v;

	unlock_nscr(chip);
	h5_wr_ok(chip, 1, H5_FLASH(0x28), (1u << 3) | (1u << 5)); /* BER | STRT, bank 1 */
	h5_advance(chip, 2000 * H5_MS);
	assert_int_equal(chip_h5_system_resets(chip), 1);
	assert_int_equal(h5c(chip)->ops.next, 1);
	h5_set_nonsecure(chip, true);
	assert_int_equal(flash_word(chip, 0x0807FFF0u, &v), SIM_BUS_OK);
	assert_int_equal(v, 0xFFFFFFFFu);
	assert_int_equal(flash_word(chip, 0x08080000u, &v), SIM_BUS_FAULT);
	assert_int_equal(flash_word(chip, 0x08080010u, &v), SIM_BUS_OK);
	assert_int_equal(v, 0x5A5A5A5Au);
	assert_int_equal(flash_h5_busy_total_us(chip_h5_flash(chip)), 640000);
	sim_chip_destroy(chip);
}

/* An option change cut by NRST leaves the option bytes as they were (PRODUCT_STATE included). */
static void test_srst_pulse_during_option_change(void **state)
{
	sim_chip *chip = h5_make_chip(OPEN_APP "operator.step = during optstart 1 -> srst_pulse\n");
	uint32_t optsr;

	h5_set_nonsecure(chip, true);
	unlock_options(chip);
	optsr = h5_rd_ok(chip, 1, H5_FLASH(0x50));
	h5_wr_ok(chip, 1, H5_FLASH(0x54), (optsr & ~0xFF00u) | (H5PS_PROVISIONING << 8));
	h5_wr_ok(chip, 1, H5_FLASH(0x1C), 0x00000002u); /* OPTSTRT */
	h5_advance(chip, 500 * H5_MS);
	assert_int_equal(chip_h5_system_resets(chip), 1);
	assert_int_equal(flash_h5_product_state(chip_h5_flash(chip)), H5PS_OPEN);
	assert_int_equal(h5_rd_ok(chip, 1, H5_FLASH(0x50)), optsr);
	sim_chip_destroy(chip);
}

/* Power lost while the second quad-word is programmed: that quad-word carries an ECC error. */
static void test_power_cycle_mid_program(void **state)
{
	sim_chip *chip = h5_make_chip("part = stm32h563zi\noperator.step = during program 2 -> power_cycle 10ms\n");
	uint32_t v;

	unlock_nscr(chip);
	h5_wr_ok(chip, 1, H5_FLASH(0x28), 1u << 1); /* PG */
	for (uint32_t a = 0x08000000u; a < 0x08000020u; a += 4) {
		h5_wr_ok(chip, 1, a, a);
		if ((a & 0xc) == 0xc)
			h5_advance(chip, 1 * H5_MS);
	}
	assert_false(h5c(chip)->powered);
	h5_advance(chip, 20 * H5_MS);
	assert_int_equal(h5c(chip)->power_cycles, 1);
	h5_set_nonsecure(chip, true);
	assert_int_equal(h5_rd_ok(chip, 1, 0x08000000u), 0x08000000u);
	assert_int_equal(flash_word(chip, 0x08000010u, &v), SIM_BUS_FAULT);
	sim_chip_destroy(chip);
}

/* after_op: the reset lands at the instant the first change completes. */
static void test_after_op_optstart(void **state)
{
	sim_chip *chip = h5_make_chip(OPEN_APP "operator.step = after_op optstart 1 -> srst_pulse\n");

	h5_set_nonsecure(chip, true);
	unlock_options(chip);
	h5_wr_ok(chip, 1, H5_FLASH(0x84), 0x080010C3u); /* NSBOOTR_PRG: NSBOOTADD 0x08001000, unlocked */
	h5_wr_ok(chip, 1, H5_FLASH(0x1C), 0x00000002u);
	h5_advance(chip, 99 * H5_MS);
	assert_int_equal(chip_h5_system_resets(chip), 0);
	h5_advance(chip, 1 * H5_MS);
	assert_int_equal(chip_h5_system_resets(chip), 1);
	assert_int_equal(flash_h5_boot_address(chip_h5_flash(chip)), 0x08001000u);
	sim_chip_destroy(chip);
}

static void test_state_json(void **state)
{
	static const char *const keys[] = {
		"\"part\": \"stm32h533re\"", "\"family\": \"stm32h5\"", "\"dev_id\": \"0x478\"", "\"rev\": \"A\"",
		"\"core\"", "\"firmware\"", "\"counters\"", "\"system_resets\"", "\"power_cycles\"", "\"sessions\"",
		"\"ap_transactions\"", "\"product_state\": \"0x72\"", "\"product_state_name\": \"Closed\"",
		"\"flash_h5\"", "\"option_bytes\"", "\"dbgmcu\"", "\"idcode\": \"0x10000478\"", "\"da\"",
		"\"cortex_m\"", "\"dscsr\"", "\"ap1_enabled\": false", "\"sram_sha256\"", "\"sram3\"",
		"\"operator_steps_fired\": 0",
	};
	sim_chip *chip = h5_make_chip("part = stm32h533re\nPRODUCT_STATE = 0x72\n");
	char path[] = "/tmp/test_chip_h5_json_XXXXXX", err[256], buf[65536];
	int fd = mkstemp(path);
	FILE *f;
	size_t n;

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(sim_chip_write_state(chip, path, err, sizeof(err)), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	unlink(path);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strstr(buf, keys[i]))
			fail_msg("state JSON lacks %s", keys[i]);
	sim_chip_destroy(chip);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_part_table_and_keys),
		cmocka_unit_test(test_identification_every_line),
		cmocka_unit_test(test_ap1_gating_per_state),
		cmocka_unit_test(test_secure_aliases_with_trustzone),
		cmocka_unit_test(test_nonsecure_halting_only),
		cmocka_unit_test(test_open_reset_halt),
		cmocka_unit_test(test_boot0),
		cmocka_unit_test(test_provisioning_rom),
		cmocka_unit_test(test_product_state_change_resets),
		cmocka_unit_test(test_stop_mode),
		cmocka_unit_test(test_sram_erase_on_reset),
		cmocka_unit_test(test_srst_pulse_during_bank_erase),
		cmocka_unit_test(test_srst_pulse_during_option_change),
		cmocka_unit_test(test_power_cycle_mid_program),
		cmocka_unit_test(test_after_op_optstart),
		cmocka_unit_test(test_state_json),
	};

	return cmocka_run_group_tests(tests, h5_write_image, h5_remove_image);
}
