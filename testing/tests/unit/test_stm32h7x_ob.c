/* Unit tests of the STM32H7 option-byte model (src/flash/nor/stm32h7x_ob.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../../src/flash/nor/stm32h7x.h"

static h7_chip_kind kind(uint16_t dev_id, bool dual_core, bool two_banks)
{
	h7_chip_kind k = { h7_line_by_dev_id(dev_id), dual_core, two_banks };
	assert_non_null(k.line);
	return k;
}

static uint32_t reg_value(const h7_ob *ob, const char *name)
{
	for (uint8_t i = 0; i < h7_ob_reg_count(); i++) {
		h7_ob_reg_idx idx = { i };
		if (strcmp(h7_ob_reg_at(idx)->name, name) == 0 && ob->present[i])
			return ob->value[i];
	}
	fail_msg("register %s not present", name);
	return 0;
}

static void factory_h723_matches_observed_nucleo(void **state)
{
	/* facts A.4: NUCLEO-H723ZG reads OPTSR_CUR 0x0306AAD0, SCAR_CUR1 0x000000FF */
	h7_chip_kind k = kind(0x483, false, false);
	h7_ob ob;
	h7_ob_factory(&ob, &k);
	assert_int_equal(reg_value(&ob, "OPTSR"), 0x0306AAD0);
	assert_int_equal(reg_value(&ob, "SCAR1"), 0x000000FF);
}

static void factory_h743_has_no_d2_reset_bits(void **state)
{
	/* NRST_STOP_D2/NRST_STBY_D2 exist on dual core and H72x/H73x only (facts A.2). */
	h7_chip_kind k = kind(0x450, false, true);
	h7_ob ob;
	uint32_t v;
	h7_ob_factory(&ob, &k);
	assert_int_equal(reg_value(&ob, "OPTSR"), 0x0006AAD0);
	assert_int_equal(h7_ob_get(&ob, "NRST_STOP_D2", &v), UB_ERR_ARG);
}

static void factory_dual_core_boots_both_cores(void **state)
{
	h7_chip_kind k = kind(0x450, true, true);
	h7_ob ob;
	h7_ob_factory(&ob, &k);
	assert_int_equal(reg_value(&ob, "OPTSR"), 0x03C6AAF0); /* derived in facts A.4 */
	assert_int_equal(reg_value(&ob, "BOOT7"), 0x1FF00800);
	assert_int_equal(reg_value(&ob, "BOOT4"), 0x10000810);
}

static void fields_follow_the_line(void **state)
{
	h7_chip_kind single = kind(0x450, false, true), h723 = kind(0x483, false, false);
	h7_ob a, b;
	uint32_t v;
	h7_ob_factory(&a, &single);
	h7_ob_factory(&b, &h723);
	assert_int_equal(h7_ob_get(&a, "BCM7", &v), UB_ERR_ARG);
	assert_non_null(strstr(ub_last_error(), "BCM7"));
	assert_int_equal(h7_ob_get(&b, "DMEP2", &v), UB_ERR_ARG); /* single bank */
	assert_int_equal(h7_ob_get(&b, "SWAP_BANK_OPT", &v), UB_ERR_ARG);
	assert_int_equal(h7_ob_get(&b, "CPUFREQ_BOOST", &v), UB_OK);
	assert_int_equal(h7_ob_get(&a, "BOOT_ADD1", &v), UB_OK);
	assert_int_equal(v, 0x1FF0);
}

static void wrpsn_width_differs_on_0x480(void **state)
{
	h7_chip_kind k480 = kind(0x480, false, true), k450 = kind(0x450, false, true);
	h7_ob a, b;
	h7_ob_factory(&a, &k480);
	h7_ob_factory(&b, &k450);
	assert_int_equal(reg_value(&a, "WPSN1"), 0xFFFFFFFF);
	assert_int_equal(reg_value(&b, "WPSN1"), 0x000000FF);
	assert_int_equal(h7_ob_set(&b, "WRPSN1", 0x1FF, false), UB_ERR_ARG);
	assert_int_equal(h7_ob_set(&a, "WRPSN1", 0x1FF, false), UB_OK);
}

static void rdp_level2_needs_the_irreversible_flag(void **state)
{
	h7_chip_kind k = kind(0x450, false, true);
	h7_ob ob;
	uint32_t v;
	h7_ob_factory(&ob, &k);
	assert_int_equal(h7_ob_set(&ob, "RDP", 0xCC, false), UB_ERR_REFUSED);
	assert_int_equal(h7_ob_get(&ob, "RDP", &v), UB_OK);
	assert_int_equal(v, 0xAA);
	assert_int_equal(h7_ob_set(&ob, "RDP", 0xCC, true), UB_OK);
	assert_int_equal(h7_rdp_level(0xCC), 2);
	assert_int_equal(h7_rdp_level(0xAA), 0);
	assert_int_equal(h7_rdp_level(0xBB), 1);
	assert_int_equal(h7_rdp_level(0x00), 1);
}

static void no_core_left_booting_is_refused(void **state)
{
	h7_chip_kind k = kind(0x450, true, true);
	h7_ob ob;
	h7_ob_factory(&ob, &k);
	assert_int_equal(h7_ob_set(&ob, "BCM7", 0, false), UB_OK);
	assert_int_equal(h7_ob_set(&ob, "BCM4", 0, true), UB_ERR_REFUSED);
}

static void boot_address_range_is_checked(void **state)
{
	h7_chip_kind k = kind(0x450, false, true);
	h7_ob ob;
	h7_ob_factory(&ob, &k);
	assert_int_equal(h7_ob_set(&ob, "BOOT_ADD0", 0x4000, false), UB_ERR_ARG);
	assert_int_equal(h7_ob_set(&ob, "BOOT_ADD0", 0x2400, false), UB_OK);
}

static void areas_decode_in_256_byte_units(void **state)
{
	h7_chip_kind k = kind(0x450, false, true);
	h7_ob ob;
	h7_ob_factory(&ob, &k);
	assert_true(h7_ob_pcrop_area(&ob, 1).empty);
	assert_int_equal(h7_ob_set(&ob, "PROT_AREA_START2", 0x010, false), UB_OK);
	assert_int_equal(h7_ob_set(&ob, "PROT_AREA_END2", 0x01F, false), UB_OK);
	h7_area a = h7_ob_pcrop_area(&ob, 2);
	assert_false(a.empty);
	assert_int_equal(a.start, 0x08101000);
	assert_int_equal(a.end, 0x08101FFF);
	assert_false(a.erase_on_regression);
}

static void diff_names_changed_fields(void **state)
{
	h7_chip_kind k = kind(0x450, false, true);
	h7_ob a, b;
	const char *names[8];
	h7_ob_factory(&a, &k);
	b = a;
	assert_int_equal(h7_ob_diff(&a, &b, names, 8), 0);
	assert_int_equal(h7_ob_set(&b, "RDP", 0xBB, false), UB_OK);
	assert_int_equal(h7_ob_set(&b, "DMEP1", 1, false), UB_OK);
	assert_int_equal(h7_ob_diff(&a, &b, names, 8), 2);
	assert_string_equal(names[0], "RDP");
	assert_string_equal(names[1], "DMEP1");
}

static void regression_may_remove_marked_areas_only(void **state)
{
	h7_chip_kind k = kind(0x450, false, true);
	h7_ob before, want, now;
	h7_ob_factory(&before, &k);
	assert_int_equal(h7_ob_set(&before, "RDP", 0x55, false), UB_OK);
	assert_int_equal(h7_ob_set(&before, "PROT_AREA_START1", 0x10, false), UB_OK);
	assert_int_equal(h7_ob_set(&before, "PROT_AREA_END1", 0x1F, false), UB_OK);
	assert_int_equal(h7_ob_set(&before, "DMEP1", 1, false), UB_OK);
	assert_int_equal(h7_ob_set(&before, "SEC_AREA_START1", 0x20, false), UB_OK);
	assert_int_equal(h7_ob_set(&before, "SEC_AREA_END1", 0x2F, false), UB_OK); /* DMES1 = 0: kept */
	want = before;
	assert_int_equal(h7_ob_set(&want, "RDP", 0xAA, false), UB_OK);
	now = want;
	assert_int_equal(h7_ob_set(&now, "PROT_AREA_START1", 0xFF, false), UB_OK);
	assert_int_equal(h7_ob_set(&now, "PROT_AREA_END1", 0, false), UB_OK);
	assert_int_equal(h7_ob_set(&now, "DMEP1", 0, false), UB_OK);
	h7_ob expect = want;
	const char *names[4];
	h7_ob_expect_after_regression(&expect, &before, &now);
	assert_int_equal(h7_ob_diff(&expect, &now, names, 4), 0);
	/* The secure area (DMES1 = 0) must not disappear. */
	assert_int_equal(h7_ob_set(&now, "SEC_AREA_START1", 0xFF, false), UB_OK);
	expect = want;
	h7_ob_expect_after_regression(&expect, &before, &now);
	assert_int_equal(h7_ob_diff(&expect, &now, names, 4), 1);
	assert_string_equal(names[0], "SEC_AREA_START1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(factory_h723_matches_observed_nucleo),
		cmocka_unit_test(factory_h743_has_no_d2_reset_bits),
		cmocka_unit_test(factory_dual_core_boots_both_cores),
		cmocka_unit_test(fields_follow_the_line),
		cmocka_unit_test(wrpsn_width_differs_on_0x480),
		cmocka_unit_test(rdp_level2_needs_the_irreversible_flag),
		cmocka_unit_test(no_core_left_booting_is_refused),
		cmocka_unit_test(boot_address_range_is_checked),
		cmocka_unit_test(areas_decode_in_256_byte_units),
		cmocka_unit_test(diff_names_changed_fields),
		cmocka_unit_test(regression_may_remove_marked_areas_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
