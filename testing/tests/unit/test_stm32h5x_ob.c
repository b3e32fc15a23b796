/* Unit tests of the STM32H5 option-byte model and product-state rules (src/flash/nor/stm32h5x_ob.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../../src/flash/nor/stm32h5x.h"

static const h5_line_info *line(uint16_t dev_id)
{
	const h5_line_info *l = h5_line_by_dev_id(dev_id);
	assert_non_null(l);
	return l;
}

static uint32_t reg_value(const h5_ob *ob, const char *name)
{
	for (uint8_t i = 0; i < h5_ob_reg_count(); i++) {
		h5_ob_reg_idx idx = { i };
		if (strcmp(h5_ob_reg_at(idx)->name, name) == 0 && ob->present[i])
			return ob->value[i];
	}
	fail_msg("register %s not present", name);
	return 0;
}

static void set_reg(h5_ob *ob, const char *name, uint32_t value)
{
	for (uint8_t i = 0; i < h5_ob_reg_count(); i++) {
		h5_ob_reg_idx idx = { i };
		if (strcmp(h5_ob_reg_at(idx)->name, name) == 0 && ob->present[i]) {
			ob->value[i] = value;
			return;
		}
	}
	fail_msg("register %s not present", name);
}

static void assert_refused_saying(ub_err e, const char *words)
{
	assert_int_equal(e, UB_ERR_REFUSED);
	if (!strstr(ub_last_error(), words))
		fail_msg("refusal \"%s\" does not say \"%s\"", ub_last_error(), words);
}

static void lines_are_known_and_others_not(void **state)
{
	assert_false(line(0x474)->has_trustzone);
	assert_true(line(0x474)->da_password_in_otp);
	assert_true(line(0x478)->has_trustzone);
	assert_true(line(0x484)->has_trustzone);
	assert_null(h5_line_by_dev_id(0x450)); /* an H7 */
}

static void geometry_per_line(void **state)
{
	h5_geometry g;
	assert_int_equal(h5_geometry_for(line(0x484), 2048, &g), UB_OK);
	assert_int_equal(g.sectors_per_bank, 128);
	assert_int_equal(g.bank2_base, 0x08100000);
	assert_int_equal(h5_geometry_for(line(0x484), 1024, &g), UB_OK);
	assert_int_equal(g.sectors_per_bank, 64);
	assert_int_equal(h5_geometry_for(line(0x478), 512, &g), UB_OK);
	assert_int_equal(g.sectors_per_bank, 32);
	assert_int_equal(g.bank2_base, 0x08040000);
	assert_int_equal(h5_geometry_for(line(0x474), 128, &g), UB_OK);
	assert_int_equal(g.sectors_per_bank, 8);
	assert_int_equal(g.bank2_base, 0x08010000);
	assert_int_equal(h5_geometry_for(line(0x474), 256, &g), UB_ERR_ARG);
	assert_int_equal(h5_geometry_for(line(0x478), 0, &g), UB_ERR_ARG);
	assert_int_equal(h5_geometry_for(line(0x484), 1000, &g), UB_ERR_ARG);
}

static void register_map_per_line(void **state)
{
	const h5_flash_reg *r = h5_flash_reg_on(line(0x484), "OPTSR_PRG");
	assert_non_null(r);
	assert_int_equal(r->off.off, 0x54);
	assert_int_equal(h5_flash_reg_on(line(0x484), "HDP2R_CUR")->off.off, 0x1F8);
	/* "(S)" registers are absent on H503, present elsewhere. */
	assert_null(h5_flash_reg_on(line(0x474), "SECCR"));
	assert_null(h5_flash_reg_on(line(0x474), "SECBOOTR_CUR"));
	assert_null(h5_flash_reg_on(line(0x474), "NSOBKKEYR"));
	assert_null(h5_flash_reg_on(line(0x474), "EDATA1R_CUR"));
	assert_non_null(h5_flash_reg_on(line(0x478), "SECCR"));
	assert_non_null(h5_flash_reg_on(line(0x474), "PRIVBB1R1"));
	/* Block registers: four per bank on 0x484, one on 0x478. */
	assert_non_null(h5_flash_reg_on(line(0x484), "SECBB2R4"));
	assert_null(h5_flash_reg_on(line(0x478), "SECBB1R2"));
	assert_null(h5_flash_reg_on(line(0x474), "PRIVBB2R2"));
	assert_null(h5_flash_reg_on(line(0x484), "OEM1KEYR")); /* no OEM keys on H5 */
	/* No two registers share an offset. */
	for (size_t i = 0; i < h5_flash_reg_count(); i++)
		for (size_t j = i + 1; j < h5_flash_reg_count(); j++)
			assert_int_not_equal(h5_flash_reg_at(i)->off.off, h5_flash_reg_at(j)->off.off);
}

static void ob_fields_per_line(void **state)
{
	h5_ob ob;
	uint32_t v;
	h5_ob_init(&ob, line(0x474));
	assert_int_equal(h5_ob_get(&ob, "TZEN", &v), UB_ERR_ARG);
	assert_non_null(strstr(ub_last_error(), "STM32H503"));
	assert_int_equal(h5_ob_get(&ob, "SECBOOTADD", &v), UB_ERR_ARG);
	assert_int_equal(h5_ob_get(&ob, "SECWM1_STRT", &v), UB_ERR_ARG);
	assert_int_equal(h5_ob_get(&ob, "EDATA1_EN", &v), UB_ERR_ARG);
	assert_int_equal(h5_ob_get(&ob, "PRODUCT_STATE", &v), UB_OK);
	assert_int_equal(h5_ob_get(&ob, "NSBOOTADD", &v), UB_OK);
	assert_int_equal(h5_ob_set(&ob, "WRPSG1", 0x1FF, false), UB_ERR_ARG); /* 8 bits on H503 */
	assert_int_equal(h5_ob_set(&ob, "WRPSG1", 0xFE, false), UB_OK);
	h5_ob_init(&ob, line(0x478));
	assert_int_equal(h5_ob_get(&ob, "TZEN", &v), UB_OK);
	assert_int_equal(h5_ob_get(&ob, "SECWM2_END", &v), UB_OK);
	assert_int_equal(h5_ob_set(&ob, "WRPSG2", 0xFFFFFFFE, false), UB_OK);
	assert_int_equal(h5_ob_get(&ob, "NOSUCH", &v), UB_ERR_ARG);
}

static void ob_offsets_pair_cur_and_prg(void **state)
{
	for (uint8_t i = 0; i < h5_ob_reg_count(); i++) {
		const h5_ob_reg *r = h5_ob_reg_at((h5_ob_reg_idx){ i });
		assert_int_equal(r->prg.off, r->cur.off + 4);
	}
	assert_null(h5_ob_reg_at((h5_ob_reg_idx){ (uint8_t)h5_ob_reg_count() }));
}

static void encode_decode_fields(void **state)
{
	h5_ob ob;
	uint32_t v;
	h5_ob_init(&ob, line(0x484));
	assert_int_equal(h5_ob_set(&ob, "PRODUCT_STATE", H5_PS_PROVISIONING, false), UB_OK);
	assert_int_equal(h5_ob_set(&ob, "BOR_LEV", 3, false), UB_OK);
	assert_int_equal(h5_ob_set(&ob, "SWAP_BANK", 1, false), UB_OK);
	assert_int_equal(h5_ob_set(&ob, "BOOT_UBE", 0xC3, false), UB_OK);
	assert_int_equal(reg_value(&ob, "OPTSR"), 0x80000000u | (0xC3u << 22) | (0x17u << 8) | 3u);
	assert_int_equal(h5_ob_set(&ob, "TZEN", H5_TZEN_ENABLED, false), UB_OK);
	assert_int_equal(h5_ob_set(&ob, "SRAM2_RST", 1, false), UB_OK);
	assert_int_equal(reg_value(&ob, "OPTSR2"), 0xB4000008u);
	assert_true(h5_ob_tz_enabled(&ob));
	assert_int_equal(h5_ob_set(&ob, "NSBOOTADD", 0x080400, false), UB_OK);
	assert_int_equal(h5_ob_set(&ob, "NSBOOT_LOCK", H5_BOOT_UNLOCKED, false), UB_OK);
	assert_int_equal(reg_value(&ob, "NSBOOTR"), 0x080400C3u);
	assert_int_equal(h5_ob_set(&ob, "HDP1_STRT", 5, false), UB_OK);
	assert_int_equal(h5_ob_set(&ob, "HDP1_END", 0x7F, false), UB_OK);
	assert_int_equal(reg_value(&ob, "HDP1R"), 0x007F0005u);
	assert_int_equal(h5_ob_set(&ob, "HDP1_END", 0x80, false), UB_ERR_ARG); /* 7 bits */
	assert_int_equal(h5_ob_set(&ob, "EDATA2_EN", 1, false), UB_OK);
	assert_int_equal(h5_ob_set(&ob, "EDATA2_STRT", 7, false), UB_OK);
	assert_int_equal(reg_value(&ob, "EDATA2R"), 0x8007u);
	assert_int_equal(h5_ob_get(&ob, "PRODUCT_STATE", &v), UB_OK);
	assert_int_equal(v, 0x17);
	assert_int_equal(h5_ob_get(&ob, "NSBOOTADD", &v), UB_OK);
	assert_int_equal(v, 0x080400);
}

static void set_validates_codes_and_irreversible_values(void **state)
{
	h5_ob ob;
	h5_ob_init(&ob, line(0x484));
	assert_int_equal(h5_ob_set(&ob, "PRODUCT_STATE", 0x55, true), UB_ERR_ARG);
	assert_refused_saying(h5_ob_set(&ob, "PRODUCT_STATE", H5_PS_LOCKED, false), "irreversible");
	assert_int_equal(h5_ob_set(&ob, "PRODUCT_STATE", H5_PS_LOCKED, true), UB_OK);
	assert_refused_saying(h5_ob_set(&ob, "PRODUCT_STATE", H5_PS_REGRESSION, true), "boot ROM");
	assert_int_equal(h5_ob_set(&ob, "TZEN", 0x00, false), UB_ERR_ARG);
	assert_int_equal(h5_ob_set(&ob, "BOOT_UBE", 0xB5, false), UB_ERR_ARG);
	assert_refused_saying(h5_ob_set(&ob, "SECBOOT_LOCK", H5_BOOT_LOCKED, false), "irreversible");
	assert_int_equal(h5_ob_set(&ob, "SECBOOT_LOCK", H5_BOOT_LOCKED, true), UB_OK);
	/* Boot addresses: user flash or SRAM of the right security side only. */
	assert_int_equal(h5_ob_set(&ob, "NSBOOTADD", 0x0C0000, false), UB_ERR_ARG);
	assert_int_equal(h5_ob_set(&ob, "SECBOOTADD", 0x0C0000, false), UB_OK);
	assert_int_equal(h5_ob_set(&ob, "SECBOOTADD", 0x300100, false), UB_OK);
	assert_int_equal(h5_ob_set(&ob, "NSBOOTADD", 0x082000, false), UB_ERR_ARG); /* past 2 MiB */
	h5_ob_init(&ob, line(0x474));
	assert_int_equal(h5_ob_set(&ob, "NSBOOTADD", 0x080400, false), UB_ERR_ARG); /* past 128 KiB */
}

static void clean_values_tz_off(void **state)
{
	h5_ob ob, clean;
	const char *names[64];
	h5_ob_init(&ob, line(0x484));
	set_reg(&ob, "OPTSR", 0x0000C6B8u | (1u << 31) | (0xC3u << 22)); /* TZ-Closed, swapped, some user bits */
	clean = ob;
	h5_ob_apply_clean(&clean, false);
	uint32_t optsr = reg_value(&clean, "OPTSR");
	assert_int_equal((optsr >> 8) & 0xFF, H5_PS_OPEN);
	assert_int_equal(optsr >> 31, 0);
	assert_int_equal((optsr >> 22) & 0xFF, 0xB4);
	assert_int_equal(optsr & 0xFF, 0xB8); /* BOR/watchdog/reset bits are not ST's to clean */
	assert_int_equal(reg_value(&clean, "OPTSR2") >> 24, H5_TZEN_DISABLED);
	assert_int_equal(reg_value(&clean, "WRP1R"), 0xFFFFFFFFu);
	assert_int_equal(reg_value(&clean, "HDP2R"), 0x00000001u);
	assert_int_equal(reg_value(&clean, "SECWM1R"), 0x00000001u);
	assert_int_equal(reg_value(&clean, "NSBOOTR"), 0x080000C3u);
	assert_int_equal(reg_value(&clean, "SECBOOTR"), 0x0C0000C3u);
	size_t n = h5_ob_diff(&ob, &clean, names, 64);
	assert_true(n > 5);
	assert_int_equal(h5_ob_diff(&clean, &clean, names, 64), 0);
	assert_int_equal(h5_ob_diff(&ob, &clean, names, 2), 2); /* bounded by max */
}

static void clean_values_tz_on_and_h503(void **state)
{
	h5_ob ob;
	h5_ob_init(&ob, line(0x478));
	set_reg(&ob, "SECWM1R", 0x001F0000u); /* SECWM1R: the application's secure area */
	h5_ob_apply_clean(&ob, true);
	assert_int_equal(reg_value(&ob, "OPTSR2") >> 24, H5_TZEN_ENABLED);
	assert_int_equal(reg_value(&ob, "SECWM1R"), 0x001F0000u);
	h5_ob_init(&ob, line(0x474));
	h5_ob_apply_clean(&ob, false);
	assert_int_equal(reg_value(&ob, "WRP1R"), 0x000000FFu); /* 8-bit WRPSG */
	assert_int_equal((reg_value(&ob, "OPTSR") >> 8) & 0xFF, H5_PS_OPEN);
	assert_false(h5_ob_tz_enabled(&ob));
}

static void state_names(void **state)
{
	assert_string_equal(h5_product_state_name(0xED), "Open");
	assert_string_equal(h5_product_state_name(0x17), "Provisioning");
	assert_string_equal(h5_product_state_name(0x2E), "iROT-Provisioned");
	assert_string_equal(h5_product_state_name(0xC6), "TZ-Closed");
	assert_string_equal(h5_product_state_name(0x72), "Closed");
	assert_string_equal(h5_product_state_name(0x5C), "Locked");
	assert_string_equal(h5_product_state_name(0x9A), "Regression");
	assert_string_equal(h5_product_state_name(0xA3), "NS-Regression");
	assert_null(h5_product_state_name(0x00));
}

static const h5_credentials cert_ok = { 0x478, H5_CRED_CERTIFICATE_OBK, true };
static const h5_credentials pw_ok = { 0x478, H5_CRED_PASSWORD_OBK, true };

/* Seed 004: an H533 with TrustZone on, Open -> TZ-Closed asked in one step. */
static void seed004_open_to_tz_closed_refused(void **state)
{
	assert_refused_saying(h5_product_state_check(H5_PS_OPEN, H5_PS_TZ_CLOSED, &cert_ok, true, false),
			      "skips Provisioning");
	assert_refused_saying(h5_product_state_check(H5_PS_OPEN, H5_PS_CLOSED, &cert_ok, true, true),
			      "skips Provisioning");
	assert_int_equal(h5_product_state_check(H5_PS_OPEN, H5_PS_PROVISIONING, NULL, true, false), UB_OK);
}

static void seed004_provisioning_to_tz_closed_needs_credentials(void **state)
{
	h5_credentials none = { 0x478, H5_CRED_NONE, false };
	h5_credentials unverified = { 0x478, H5_CRED_CERTIFICATE_OBK, false };
	assert_refused_saying(h5_product_state_check(H5_PS_PROVISIONING, H5_PS_TZ_CLOSED, NULL, true, false),
			      "no debug-authentication credentials");
	assert_refused_saying(h5_product_state_check(H5_PS_PROVISIONING, H5_PS_TZ_CLOSED, &none, true, false),
			      "no debug-authentication credentials");
	assert_refused_saying(h5_product_state_check(H5_PS_PROVISIONING, H5_PS_TZ_CLOSED, &unverified, true, false),
			      "not verified");
	assert_int_equal(h5_product_state_check(H5_PS_PROVISIONING, H5_PS_TZ_CLOSED, &cert_ok, true, false), UB_OK);
}

static void credential_kind_must_match_tzen(void **state)
{
	/* TZ on: a password is the wrong kind (AN6008 caution). */
	assert_refused_saying(h5_product_state_check(H5_PS_PROVISIONING, H5_PS_TZ_CLOSED, &pw_ok, true, false),
			      "only accepts a DA certificate");
	/* TZ off: a certificate is the wrong kind. */
	assert_refused_saying(h5_product_state_check(H5_PS_PROVISIONING, H5_PS_CLOSED, &cert_ok, false, false),
			      "only accepts a DA password hash in OBK");
	assert_int_equal(h5_product_state_check(H5_PS_PROVISIONING, H5_PS_CLOSED, &pw_ok, false, false), UB_OK);
	/* H503: only an OTP password will do. */
	h5_credentials h503_obk = { 0x474, H5_CRED_PASSWORD_OBK, true };
	h5_credentials h503_otp = { 0x474, H5_CRED_PASSWORD_OTP, true };
	assert_refused_saying(h5_product_state_check(H5_PS_PROVISIONING, H5_PS_CLOSED, &h503_obk, false, false),
			      "OTP");
	assert_int_equal(h5_product_state_check(H5_PS_PROVISIONING, H5_PS_CLOSED, &h503_otp, false, false), UB_OK);
	assert_int_equal(h5_product_state_check(H5_PS_PROVISIONING, H5_PS_CLOSED, &h503_otp, true, false), UB_ERR_ARG);
	h5_credentials h7 = { 0x450, H5_CRED_PASSWORD_OBK, true };
	assert_int_equal(h5_product_state_check(H5_PS_PROVISIONING, H5_PS_CLOSED, &h7, false, false), UB_ERR_ARG);
	assert_int_equal(h5_cred_kind_needed(0x484, true), H5_CRED_CERTIFICATE_OBK);
	assert_int_equal(h5_cred_kind_needed(0x484, false), H5_CRED_PASSWORD_OBK);
	assert_int_equal(h5_cred_kind_needed(0x474, false), H5_CRED_PASSWORD_OTP);
}

static void tz_closed_needs_trustzone(void **state)
{
	assert_refused_saying(h5_product_state_check(H5_PS_PROVISIONING, H5_PS_TZ_CLOSED, &pw_ok, false, false),
			      "TrustZone enabled");
	assert_refused_saying(h5_product_state_check(H5_PS_IROT_PROVISIONED, H5_PS_TZ_CLOSED, &pw_ok, false, false),
			      "TrustZone enabled");
}

static void locked_needs_the_irreversible_flag(void **state)
{
	assert_refused_saying(h5_product_state_check(H5_PS_CLOSED, H5_PS_LOCKED, &cert_ok, true, false),
			      "irreversible flag");
	assert_refused_saying(h5_product_state_check(H5_PS_PROVISIONING, H5_PS_LOCKED, &pw_ok, false, false),
			      "irreversible flag");
	assert_int_equal(h5_product_state_check(H5_PS_CLOSED, H5_PS_LOCKED, &cert_ok, true, true), UB_OK);
	assert_refused_saying(h5_product_state_check(H5_PS_LOCKED, H5_PS_OPEN, &cert_ok, true, true), "final");
}

static void backwards_only_by_regression(void **state)
{
	assert_refused_saying(h5_product_state_check(H5_PS_CLOSED, H5_PS_OPEN, &cert_ok, true, true),
			      "debug-authentication regression");
	assert_refused_saying(h5_product_state_check(H5_PS_PROVISIONING, H5_PS_OPEN, &cert_ok, true, true),
			      "goes backwards");
	assert_refused_saying(h5_product_state_check(H5_PS_CLOSED, H5_PS_TZ_CLOSED, &cert_ok, true, true),
			      "goes backwards");
	assert_refused_saying(h5_product_state_check(H5_PS_OPEN, H5_PS_REGRESSION, &cert_ok, true, true),
			      "boot ROM");
	assert_refused_saying(h5_product_state_check(H5_PS_NS_REGRESSION, H5_PS_TZ_CLOSED, &cert_ok, true, true),
			      "middle of a debug-authentication regression");
}

static void one_state_at_a_time_past_provisioning(void **state)
{
	assert_int_equal(h5_product_state_check(H5_PS_PROVISIONING, H5_PS_IROT_PROVISIONED, &cert_ok, true, false),
			 UB_OK);
	assert_int_equal(h5_product_state_check(H5_PS_IROT_PROVISIONED, H5_PS_TZ_CLOSED, &cert_ok, true, false), UB_OK);
	assert_refused_saying(h5_product_state_check(H5_PS_IROT_PROVISIONED, H5_PS_CLOSED, &cert_ok, true, false),
			      "skips TZ-Closed");
	assert_int_equal(h5_product_state_check(H5_PS_IROT_PROVISIONED, H5_PS_CLOSED, &pw_ok, false, false), UB_OK);
	assert_int_equal(h5_product_state_check(H5_PS_TZ_CLOSED, H5_PS_CLOSED, &cert_ok, true, false), UB_OK);
	assert_refused_saying(h5_product_state_check(H5_PS_TZ_CLOSED, H5_PS_LOCKED, &cert_ok, true, true),
			      "skips Closed");
	/* Past Provisioning every move still needs the credentials. */
	assert_refused_saying(h5_product_state_check(H5_PS_TZ_CLOSED, H5_PS_CLOSED, NULL, true, false),
			      "no debug-authentication credentials");
	assert_int_equal(h5_product_state_check(H5_PS_CLOSED, H5_PS_CLOSED, NULL, true, false), UB_OK);
	assert_int_equal(h5_product_state_check(0x00, H5_PS_OPEN, NULL, false, false), UB_ERR_ARG);
	assert_int_equal(h5_product_state_check(H5_PS_OPEN, 0x01, NULL, false, false), UB_ERR_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lines_are_known_and_others_not),
		cmocka_unit_test(geometry_per_line),
		cmocka_unit_test(register_map_per_line),
		cmocka_unit_test(ob_fields_per_line),
		cmocka_unit_test(ob_offsets_pair_cur_and_prg),
		cmocka_unit_test(encode_decode_fields),
		cmocka_unit_test(set_validates_codes_and_irreversible_values),
		cmocka_unit_test(clean_values_tz_off),
		cmocka_unit_test(clean_values_tz_on_and_h503),
		cmocka_unit_test(state_names),
		cmocka_unit_test(seed004_open_to_tz_closed_refused),
		cmocka_unit_test(seed004_provisioning_to_tz_closed_needs_credentials),
		cmocka_unit_test(credential_kind_must_match_tzen),
		cmocka_unit_test(tz_closed_needs_trustzone),
		cmocka_unit_test(locked_needs_the_irreversible_flag),
		cmocka_unit_test(backwards_only_by_regression),
		cmocka_unit_test(one_state_at_a_time_past_provisioning),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
