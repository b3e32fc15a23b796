/*
 * Unit tests of the STM32H7 flash model's scenario keys and state JSON
 * (testing/sim/flash_h7_state.c): factory values, option fields by name,
 * flash.fill / flash.load / flash.ecc_error, error messages, JSON keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "flash_h7.h"

static scenario sc;
static char err[512];
static char json[65536];

static flash_h7 *create(uint16_t dev_id, unsigned kib, bool dual)
{
	flash_h7_part part = { .dev_id = dev_id, .size_kib = kib, .dual_core = dual };
	flash_h7 *f;

	sim_clock_freeze(0);
	f = flash_h7_create(&part);
	assert_non_null(f);
	return f;
}

static int apply(flash_h7 *f, const char *text)
{
	err[0] = '\0';
	assert_int_equal(scenario_parse(&sc, text, "dir/t.scn", err, sizeof(err)), 0);
	return flash_h7_apply_scenario(f, &sc, err, sizeof(err));
}

static flash_h7 *make(uint16_t dev_id, unsigned kib, bool dual, const char *text)
{
	flash_h7 *f = create(dev_id, kib, dual);

	if (apply(f, text) != 0)
		fail_msg("%s", err);
	return f;
}

static const char *to_json(const flash_h7 *f)
{
	FILE *out = fmemopen(json, sizeof(json) - 1, "w");
	json_out j;

	assert_non_null(out);
	memset(json, 0, sizeof(json));
	json_init(&j, out);
	json_begin_object(&j, NULL);
	flash_h7_write_json(f, &j);
	json_end_object(&j);
	json_finish(&j);
	fclose(out);
	return json;
}

static void expect_error(uint16_t dev_id, unsigned kib, bool dual, const char *text, const char *needle)
{
	flash_h7 *f = create(dev_id, kib, dual);

	assert_int_equal(apply(f, text), -1);
	if (!strstr(err, needle))
		fail_msg("error '%s' does not contain '%s'", err, needle);
	flash_h7_destroy(f);
}

static void sha256_of_erased(uint32_t bytes, char hex[65])
{
	unsigned char *buf = malloc(bytes), md[32];
	unsigned int len = 0;

	assert_non_null(buf);
	memset(buf, 0xff, bytes);
	assert_int_equal(EVP_Digest(buf, bytes, md, &len, EVP_sha256(), NULL), 1);
	for (unsigned i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	free(buf);
}

static void test_factory_fresh_json(void **state)
{
	flash_h7 *f = make(0x450, 2048, false, "");
	char hex[65], line[128];

	to_json(f);
	assert_non_null(strstr(json, "\"rdp\": \"0xaa\""));
	assert_non_null(strstr(json, "\"OPTSR_CUR\": \"0x0006aad0\""));
	assert_non_null(strstr(json, "\"OPTSR_PRG\": \"0x0006aad0\""));
	assert_non_null(strstr(json, "\"PRAR_CUR2\": \"0x000000ff\""));
	assert_non_null(strstr(json, "\"SCAR_CUR1\""));
	assert_non_null(strstr(json, "\"WPSN_CUR2\": \"0x000000ff\""));
	assert_non_null(strstr(json, "\"BOOT_CUR\": \"0x1ff00800\""));
	assert_null(strstr(json, "OPTSR2_CUR"));
	assert_null(strstr(json, "OTPBL_CUR"));
	assert_non_null(strstr(json, "\"option_fields\""));
	assert_non_null(strstr(json, "\"RDP\": 170"));
	assert_non_null(strstr(json, "\"BOOT_ADD1\": 8176"));
	assert_null(strstr(json, "\"IWDG2_SW\""));
	sha256_of_erased(1024 * 1024, hex);
	snprintf(line, sizeof(line), "\"bank2\": \"%s\"", hex);
	assert_non_null(strstr(json, line));
	assert_non_null(strstr(json, "\"erased\": true"));
	assert_non_null(strstr(json, "\"programmed_words\": 0"));
	assert_non_null(strstr(json, "\"ecc_corrupt_words\": 0"));
	flash_h7_destroy(f);
}

static void test_json_per_line(void **state)
{
	flash_h7 *f = make(0x483, 1024, false, "");

	to_json(f);
	assert_non_null(strstr(json, "\"OPTSR_CUR\": \"0x0306aad0\""));
	assert_non_null(strstr(json, "\"OPTSR2_CUR\""));
	assert_non_null(strstr(json, "\"CPUFREQ_BOOST\": 0"));
	assert_null(strstr(json, "PRAR_CUR2"));
	assert_null(strstr(json, "\"bank2\""));
	assert_null(strstr(json, "SWAP_BANK_OPT"));
	flash_h7_destroy(f);
	f = make(0x480, 2048, false, "");
	to_json(f);
	assert_non_null(strstr(json, "\"OTPBL_CUR\""));
	assert_non_null(strstr(json, "\"VDDMMC_HSLV\": 0"));
	assert_non_null(strstr(json, "\"WPSN_CUR1\": \"0xffffffff\""));
	flash_h7_destroy(f);
	f = make(0x450, 2048, true, "");
	to_json(f);
	assert_non_null(strstr(json, "\"OPTSR_CUR\": \"0x03c6aaf0\""));
	assert_non_null(strstr(json, "\"BOOT7_CUR\": \"0x1ff00800\""));
	assert_non_null(strstr(json, "\"BOOT4_CUR\": \"0x10000810\""));
	assert_int_equal(flash_h7_boot_address(f, 1, false), 0x08100000);
	assert_int_equal(flash_h7_boot_address(f, 1, true), 0x10000000);
	flash_h7_destroy(f);
}

static void test_option_fields_set_cur_and_prg(void **state)
{
	flash_h7 *f = make(0x450, 2048, true, "RDP = 0xbb\nBCM7 = 0\nBOOT_CM7_ADD0 = 0x24000000\n"
			   "SWAP_BANK_OPT = 1\nWRPSN2 = 0x7f\nDMEP1 = 1\n");
	uint32_t v;

	assert_int_equal(flash_h7_rdp(f), 0xbb);
	assert_int_equal(flash_h7_optsr_cur(f) & (1u << 23), 0);
	assert_int_equal(flash_h7_reg_read(f, 0x20, &v), SIM_BUS_OK);
	assert_int_equal(v, flash_h7_optsr_cur(f));
	assert_int_equal(flash_h7_boot_address(f, 0, false), 0x24000000);
	assert_int_equal(flash_h7_reg_read(f, 0x18, &v), SIM_BUS_OK);
	assert_int_equal(v >> 31, 1); /* powers on swapped */
	assert_int_equal(flash_h7_reg_read(f, 0x138, &v), SIM_BUS_OK);
	assert_int_equal(v, 0x7f);
	assert_int_equal(flash_h7_reg_read(f, 0x28, &v), SIM_BUS_OK);
	assert_int_equal(v, 0x800000ff);
	to_json(f);
	assert_non_null(strstr(json, "\"rdp\": \"0xbb\""));
	assert_non_null(strstr(json, "\"BCM7\": 0"));
	flash_h7_destroy(f);
}

static void test_option_field_errors(void **state)
{
	expect_error(0x450, 2048, false, "IWDG2_SW = 1\n",
		     "dir/t.scn:1: IWDG2_SW: no such option field on STM32H74x/75x (0x450)");
	expect_error(0x450, 2048, false, "\nVDDMMC_HSLV = 1\n", "dir/t.scn:2: VDDMMC_HSLV");
	expect_error(0x483, 1024, false, "DMEP2 = 1\n", "single flash bank");
	expect_error(0x480, 2048, false, "TCM_AXI_SHARED = 1\n", "0x480");
	expect_error(0x450, 2048, false, "RDP = 0xbb\nRDP = 0xaa\n", "t.scn:2: RDP: option field given twice");
	expect_error(0x450, 2048, false, "RDP = 0x1aa\n", "does not fit in 8 bit(s)");
	expect_error(0x450, 2048, false, "BOOT_ADD0 = 0x08001000\n", "not 64 KiB aligned");
	expect_error(0x450, 2048, false, "BOR_LEV = banana\n", "t.scn:1");
}

static void test_flash_fill_and_ecc_error(void **state)
{
	flash_h7 *f = make(0x450, 2048, false, "flash.fill = 0x08000000 64K 0x11223344\n"
			   "flash.fill = 0x08000020 0x20 erased\n"
			   "flash.fill = 0x08100000 0x21 random:7\n"
			   "flash.ecc_error = 0x08000045\n");
	uint32_t v;

	assert_int_equal(flash_h7_mem_read(f, 0x08000000, 4, &v), SIM_BUS_OK);
	assert_int_equal(v, 0x11223344);
	assert_int_equal(flash_h7_mem_read(f, 0x08000003, 1, &v), SIM_BUS_OK);
	assert_int_equal(v, 0x11);
	assert_int_equal(flash_h7_mem_read(f, 0x08000020, 4, &v), SIM_BUS_OK);
	assert_int_equal(v, 0xffffffff);
	assert_int_equal(flash_h7_mem_read(f, 0x08000040, 4, &v), SIM_BUS_FAULT);
	assert_int_equal(flash_h7_mem_read(f, 0x08100024, 4, &v), SIM_BUS_OK); /* partial last word */
	assert_int_equal(v, 0xffffffff);
	to_json(f);
	/* 2048 words filled, one erased again, one corrupt; bank 2: two words. */
	assert_non_null(strstr(json, "\"programmed_words\": 2046"));
	assert_non_null(strstr(json, "\"ecc_corrupt_words\": 1"));
	assert_non_null(strstr(json, "\"programmed_words\": 2"));
	assert_non_null(strstr(json, "\"erased\": false"));
	flash_h7_destroy(f);
}

static void test_random_fill_is_deterministic(void **state)
{
	flash_h7 *a = make(0x480, 2048, false, "flash.fill = 0x08100000 0x1000 random:42\n");
	flash_h7 *b = make(0x480, 2048, false, "flash.fill = 0x08100000 0x1000 random:42\n");
	flash_h7 *c = make(0x480, 2048, false, "flash.fill = 0x08100000 0x1000 random:43\n");
	static char ja[65536];

	to_json(a);
	memcpy(ja, json, sizeof(ja));
	to_json(b);
	assert_string_equal(ja, json);
	to_json(c);
	assert_string_not_equal(ja, json);
	flash_h7_destroy(a);
	flash_h7_destroy(b);
	flash_h7_destroy(c);
}

static void test_flash_load_relative_to_scenario(void **state)
{
	char dir[] = "/tmp/flash_h7_state_XXXXXX", bin[128], scn[160];
	static const uint8_t image[6] = { 1, 2, 3, 4, 5, 6 };
	flash_h7 *f = create(0x450, 2048, false);
	FILE *out;
	uint32_t v;

	assert_non_null(mkdtemp(dir));
	snprintf(bin, sizeof(bin), "%s/fw.bin", dir);
	snprintf(scn, sizeof(scn), "%s/t.scn", dir);
	out = fopen(bin, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(image, 1, sizeof(image), out), sizeof(image));
	fclose(out);
	assert_int_equal(scenario_parse(&sc, "flash.load = 0x08100000 fw.bin\n", scn, err, sizeof(err)), 0);
	if (flash_h7_apply_scenario(f, &sc, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(flash_h7_mem_read(f, 0x08100004, 4, &v), SIM_BUS_OK);
	assert_int_equal(v, 0xffff0605);
	assert_null(scenario_first_unused(&sc));
	unlink(bin);
	rmdir(dir);
	flash_h7_destroy(f);
}

static void test_flash_content_errors(void **state)
{
	expect_error(0x450, 2048, false, "flash.fill = 0x08000004 4 0x1\n", "not aligned to a 32-byte flash word");
	expect_error(0x480, 2048, false, "flash.fill = 0x08000008 8 0x1\n", "16-byte");
	expect_error(0x450, 2048, false, "flash.fill = 0x08000000 0x100001 0x1\n", "does not fit in flash bank 1");
	expect_error(0x450, 1024, false, "flash.fill = 0x08080000 4 0x1\n", "not in this part's user flash");
	expect_error(0x450, 2048, false, "flash.fill = 0x08000000 32 zebra\n", "pattern 'zebra'");
	expect_error(0x450, 2048, false, "flash.fill = 0x08000000 32\n", "expected 'ADDR LEN PATTERN'");
	expect_error(0x450, 2048, false, "flash.fill = 0x08000000 16 erased\n", "whole 32-byte flash words");
	expect_error(0x450, 2048, false, "\n\nflash.load = 0x08000000 missing.bin\n",
		     "dir/t.scn:3: flash.load: cannot open dir/missing.bin");
	expect_error(0x483, 1024, false, "flash.ecc_error = 0x08100000\n", "not in this part's user flash");
}

static void test_unknown_keys_left_unused(void **state)
{
	flash_h7 *f = make(0x450, 2048, false, "RDP = 0xaa\nRDPX = 1\nflash.fil = 1\n");

	assert_non_null(scenario_first_unused(&sc));
	assert_string_equal(scenario_first_unused(&sc)->key, "RDPX");
	flash_h7_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_factory_fresh_json),
		cmocka_unit_test(test_json_per_line),
		cmocka_unit_test(test_option_fields_set_cur_and_prg),
		cmocka_unit_test(test_option_field_errors),
		cmocka_unit_test(test_flash_fill_and_ecc_error),
		cmocka_unit_test(test_random_fill_is_deterministic),
		cmocka_unit_test(test_flash_load_relative_to_scenario),
		cmocka_unit_test(test_flash_content_errors),
		cmocka_unit_test(test_unknown_keys_left_unused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
