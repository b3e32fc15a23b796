/*
 * Debug authentication on the whole STM32H5 chip, through AP0 only, as a
 * tool on a Closed chip must do it (docs/h5-debug-authentication.md): entry
 * under NRST at either DBGMCU address, discovery, a full regression with a
 * password provisioned by the scenario (OBK on the H563, OTP on the H503)
 * ending in Open with erased flash and SRAM, a wrong password, Resume boot,
 * Locked, and the ROM progressing while the probe only polls.  Uses the real
 * da_device and flash_h5 blocks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "chip_h5_testutil.h"

#define PASSWORD "unbrick-me-2026"
#define CLOSED_PW "part = stm32h563zi\nPRODUCT_STATE = 0x72\nTZEN = 0xC3\nobk.da_password = " PASSWORD "\n" \
		  "flash.load = 0x08000000 %1$s\nflash.fill = 0x08100000 0x2000 0x5A\n"

/* Wait (bounded) until the flash block's regression has reset the chip into `ps`. */
static void wait_product_state(sim_chip *chip, uint8_t ps, unsigned max_ms)
{
	for (unsigned i = 0; i < max_ms && flash_h5_product_state(chip_h5_flash(chip)) != ps; i++)
		h5_advance(chip, H5_MS);
	h5_advance(chip, H5_MS);
	assert_int_equal(flash_h5_product_state(chip_h5_flash(chip)), ps);
}

static bool sram_zero(sim_chip *chip)
{
	h5_chip *c = h5c(chip);

	for (unsigned i = 0; i < H5_RAM_COUNT; i++)
		for (uint32_t off = 0; c->ram[i] && off < c->part->line->ram[i].size; off++)
			if (c->ram[i][off])
				return false;
	return true;
}

static void test_no_request_boots_normally(void **state)
{
	sim_chip *chip = h5_make_chip(CLOSED_PW);

	sim_chip_set_reset_lines(chip, false, true);
	sim_chip_set_reset_lines(chip, false, false);
	h5_advance(chip, 10 * H5_MS);
	assert_string_equal(chip_h5_firmware(chip), "idle-firmware");
	assert_int_equal(h5_rd_ok(chip, 0, H5_MB_ACK), 0);
	assert_false(da_device_active(chip_h5_da(chip)));
	/* Written while the chip runs, the request stays pending and is ignored until a reset. */
	h5_wr_ok(chip, 0, H5_MB_HOST, DA_ENTRY_REQUEST);
	h5_advance(chip, 10 * H5_MS);
	assert_int_equal(h5_rd_ok(chip, 0, H5_MB_ACK), DA_ACK_HOST);
	assert_string_equal(chip_h5_firmware(chip), "idle-firmware");
	sim_chip_destroy(chip);
}

static void test_entry_and_discovery(void **state)
{
	sim_chip *chip = h5_make_chip(CLOSED_PW);
	uint32_t out[48], n;
	bool soc_class = false;

	assert_false(chip_h5_ap1_enabled(chip)); /* Closed: AP0 is the only way in */
	h5_da_enter(chip);
	assert_string_equal(chip_h5_firmware(chip), "boot-rom (debug authentication)");
	assert_true(da_device_active(chip_h5_da(chip)));
	assert_int_equal(h5_da_request(chip, 0x01, NULL, 0, out, 48, &n), 0);
	for (uint32_t i = 0; i + 2 < n; i += 2 + (out[i + 1] + 3) / 4)
		if ((out[i] >> 16) == 0x0003 && out[i + 2] == 0x484)
			soc_class = true;
	assert_true(soc_class);
	sim_chip_destroy(chip);
}

/* The whole recovery of a Closed H563: DA through AP0, full regression, Open, everything erased. */
static void test_full_regression_password(void **state)
{
	sim_chip *chip = h5_make_chip(CLOSED_PW);
	uint64_t resets;
	uint32_t v;

	h5_da_enter(chip);
	resets = chip_h5_system_resets(chip);
	assert_int_equal(h5_da_password(chip, PASSWORD), 0);
	h5_advance(chip, H5_MS);
	assert_int_equal(flash_h5_product_state(chip_h5_flash(chip)), H5PS_REGRESSION);
	assert_false(chip_h5_ap1_enabled(chip));
	assert_true(sram_zero(chip));
	wait_product_state(chip, H5PS_OPEN, 5000);
	assert_int_equal(chip_h5_system_resets(chip), resets + 1);
	assert_false(da_device_active(chip_h5_da(chip)));
	assert_true(chip_h5_ap1_enabled(chip));
	assert_string_equal(chip_h5_firmware(chip), "none (lockup)"); /* the image is gone */
	h5_set_nonsecure(chip, false);
	assert_int_equal(h5_rd_ok(chip, 1, 0x08000000u), 0xFFFFFFFFu);
	assert_int_equal(h5_rd_ok(chip, 1, 0x08100000u), 0xFFFFFFFFu);
	assert_int_equal(h5_rd(chip, 1, 0x20000000u, &v), SIM_BUS_OK);
	assert_int_equal(v, 0);
	assert_int_equal(h5c(chip)->sram_erases, 1);
	sim_chip_destroy(chip);
}

static void test_wrong_password(void **state)
{
	sim_chip *chip = h5_make_chip(CLOSED_PW);

	h5_da_enter(chip);
	assert_int_equal(h5_da_password(chip, "not-the-password"), 0x0004);
	h5_advance(chip, 100 * H5_MS);
	assert_int_equal(flash_h5_product_state(chip_h5_flash(chip)), H5PS_CLOSED);
	assert_int_equal(h5c(chip)->sram_erases, 0);
	assert_true(da_device_active(chip_h5_da(chip)));
	sim_chip_destroy(chip);
}

/* Resume boot: the ROM continues to user code, without a reset (no vector catch). */
static void test_resume_boot(void **state)
{
	sim_chip *chip = h5_make_chip("part = stm32h563zi\nflash.load = 0x08000000 %1$s\n");
	uint32_t out[4], n;

	h5_wr_ok(chip, 1, H5_DHCSR, H5_DBGKEY | CM_C_DEBUGEN);
	h5_wr_ok(chip, 1, H5_DEMCR, 0x01000001u);
	h5_da_enter(chip);
	assert_string_equal(chip_h5_core_state(chip), "running"); /* the ROM is not caught */
	assert_int_equal(h5_da_request(chip, 0x05, NULL, 0, out, 4, &n), 0);
	h5_advance(chip, H5_MS);
	assert_string_equal(chip_h5_firmware(chip), "idle-firmware");
	assert_string_equal(chip_h5_core_state(chip), "running");
	sim_chip_destroy(chip);
}

/* Locked: the ROM still answers (a tool can tell Locked from dead), but refuses authentication. */
static void test_locked(void **state)
{
	sim_chip *chip = h5_make_chip("part = stm32h563zi\nPRODUCT_STATE = 0x5C\nTZEN = 0xC3\n"
				      "obk.da_password = " PASSWORD "\n");

	uint32_t out[48], n;

	h5_da_enter(chip);
	assert_int_equal(h5_da_request(chip, 0x01, NULL, 0, out, 48, &n), 0); /* discovery still answers */
	assert_int_equal(h5_da_request(chip, 0x02, NULL, 0, out, 48, &n), 0x0003);
	h5_advance(chip, 100 * H5_MS);
	assert_int_equal(flash_h5_product_state(chip_h5_flash(chip)), H5PS_LOCKED);
	assert_false(chip_h5_ap1_enabled(chip));
	sim_chip_destroy(chip);
}

/* H503: the password hash in OTP; regression to Open from Provisioning. */
static void test_h503_regression_from_provisioning(void **state)
{
	sim_chip *chip = h5_make_chip("part = stm32h503rb\nPRODUCT_STATE = 0x17\notp.da_password = " PASSWORD "\n"
				      "flash.fill = 0x08000000 0x2000 0x11\n");

	h5_da_enter(chip);
	assert_int_equal(h5_da_password(chip, PASSWORD), 0);
	wait_product_state(chip, H5PS_OPEN, 2000);
	assert_true(sram_zero(chip));
	assert_int_equal(h5_rd_ok(chip, 1, 0x08000000u), 0xFFFFFFFFu);
	sim_chip_destroy(chip);
}

/* The ROM answers on its own schedule: sim_chip_poll() alone moves the session on. */
static void test_poll_only_progress(void **state)
{
	sim_chip *chip = h5_make_chip(CLOSED_PW);
	sim_bus ap0 = chip_h5_ap_bus(chip, 0);
	uint32_t ack = 0;

	h5_da_enter(chip);
	assert_int_equal(sim_bus_write(&ap0, H5_MB_HOST, 4, 0x00010000u), SIM_BUS_OK); /* discovery header */
	assert_int_equal(sim_bus_read(&ap0, H5_MB_ACK, 4, &ack), SIM_BUS_OK);
	assert_true(ack & DA_ACK_HOST);
	sim_clock_advance(DA_WORD_US * 2);
	sim_chip_poll(chip);
	assert_int_equal(sim_bus_read(&ap0, H5_MB_ACK, 4, &ack), SIM_BUS_OK);
	assert_false(ack & DA_ACK_HOST); /* consumed without any other access */
	sim_chip_destroy(chip);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_request_boots_normally),
		cmocka_unit_test(test_entry_and_discovery),
		cmocka_unit_test(test_full_regression_password),
		cmocka_unit_test(test_wrong_password),
		cmocka_unit_test(test_resume_boot),
		cmocka_unit_test(test_locked),
		cmocka_unit_test(test_h503_regression_from_provisioning),
		cmocka_unit_test(test_poll_only_progress),
	};

	return cmocka_run_group_tests(tests, h5_write_image, h5_remove_image);
}
