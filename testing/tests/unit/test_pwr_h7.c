/*
 * PWR_CR3 supply configuration (facts A.5): write-once per power-on, reset
 * only by power-on, invalid combinations ignored but locking, a valid
 * configuration that differs from the board wiring is a supply fault.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "pwr_h7.h"

#define CR3   0x0Cu
#define CSR1  0x04u
#define D3CR  0x18u
#define ACTVOSRDY (1u << 13)

static uint32_t rd(pwr_h7 *p, uint32_t off)
{
	uint32_t v = 0xDEADBEEFu;

	assert_int_equal(pwr_h7_read(p, off, 4, &v), SIM_BUS_OK);
	return v;
}

static void wr(pwr_h7 *p, uint32_t off, uint32_t v)
{
	assert_int_equal(pwr_h7_write(p, off, 4, v), SIM_BUS_OK);
}

static void test_ldo_part_reset_value(void **state)
{
	pwr_h7 p;

	pwr_h7_init(&p, false, PWR_SUPPLY_LDO);
	assert_int_equal(rd(&p, CR3), 0x00000006u); /* SCUEN | LDOEN */
	assert_int_equal(rd(&p, CSR1) & ACTVOSRDY, 0);
	assert_false(p.supply_locked);
	assert_false(pwr_h7_supply_fault(&p));
}

static void test_matching_config_locks_and_is_ready(void **state)
{
	pwr_h7 p;

	pwr_h7_init(&p, false, PWR_SUPPLY_LDO);
	wr(&p, CR3, 0x00000002u);
	assert_true(p.supply_locked);
	assert_false(pwr_h7_supply_fault(&p));
	assert_int_equal(rd(&p, CR3) & 0xFFu, 0x02u);
	assert_int_equal(rd(&p, CSR1) & ACTVOSRDY, ACTVOSRDY);
	assert_int_equal(rd(&p, D3CR) & (1u << 13), 1u << 13); /* VOSRDY follows */
}

static void test_second_write_ignored(void **state)
{
	pwr_h7 p;
	unsigned long errors;

	pwr_h7_init(&p, false, PWR_SUPPLY_LDO);
	wr(&p, CR3, 0x00000002u);
	errors = sim_log_guest_error_count();
	wr(&p, CR3, 0x00000001u); /* bypass: would kill the board, but the lock holds */
	assert_int_equal(rd(&p, CR3) & 0xFFu, 0x02u);
	assert_false(pwr_h7_supply_fault(&p));
	assert_int_equal(sim_log_guest_error_count(), errors + 1);
	/* Re-applying the same value (firmware after NRST) is silent. */
	wr(&p, CR3, 0x00000002u);
	assert_int_equal(sim_log_guest_error_count(), errors + 1);
}

static void test_wrong_valid_config_is_a_supply_fault(void **state)
{
	pwr_h7 p;

	pwr_h7_init(&p, false, PWR_SUPPLY_LDO);
	wr(&p, CR3, 0x00000001u); /* external supply on an LDO board */
	assert_true(pwr_h7_supply_fault(&p));
	assert_int_equal(rd(&p, CSR1) & ACTVOSRDY, 0);
}

static void test_invalid_combination_ignored_but_locks(void **state)
{
	pwr_h7 p;

	pwr_h7_init(&p, false, PWR_SUPPLY_LDO);
	wr(&p, CR3, 0x00000003u); /* LDOEN | BYPASS */
	assert_true(p.supply_locked);
	assert_false(pwr_h7_supply_fault(&p));
	assert_int_equal(rd(&p, CR3) & 0x3u, 0x2u); /* default supply stays */
	assert_int_equal(rd(&p, CSR1) & ACTVOSRDY, 0); /* never ready */
	wr(&p, CR3, 0x00000002u);                   /* too late: locked */
	assert_int_equal(rd(&p, CSR1) & ACTVOSRDY, 0);
}

static void test_only_power_on_clears_the_lock(void **state)
{
	pwr_h7 p;

	pwr_h7_init(&p, false, PWR_SUPPLY_LDO);
	wr(&p, CR3, 0x00000001u);
	pwr_h7_system_reset(&p);
	assert_true(p.supply_locked);
	assert_true(pwr_h7_supply_fault(&p));
	assert_int_equal(rd(&p, CR3) & 0x3u, 0x1u);
	pwr_h7_power_on(&p);
	assert_false(p.supply_locked);
	assert_false(pwr_h7_supply_fault(&p));
	assert_int_equal(rd(&p, CR3), 0x00000006u);
}

static void test_free_bits_stay_writable(void **state)
{
	pwr_h7 p;

	pwr_h7_init(&p, false, PWR_SUPPLY_LDO);
	wr(&p, CR3, 0x00000002u);
	wr(&p, CR3, 0x01000302u); /* VBE, VBRS, USB33DEN */
	assert_int_equal(rd(&p, CR3), 0x05000302u); /* + USB33RDY */
}

static void test_smps_part_configurations(void **state)
{
	pwr_h7 p;

	pwr_h7_init(&p, true, PWR_SUPPLY_DIRECT_SMPS);
	wr(&p, CR3, 0x00000004u);
	assert_false(pwr_h7_supply_fault(&p));
	assert_int_equal(rd(&p, CSR1) & ACTVOSRDY, ACTVOSRDY);

	pwr_h7_init(&p, true, PWR_SUPPLY_DIRECT_SMPS);
	wr(&p, CR3, 0x00000002u); /* LDO on a direct-SMPS board: the HAL_PWREx_ConfigSupply mistake */
	assert_true(pwr_h7_supply_fault(&p));

	pwr_h7_init(&p, true, PWR_SUPPLY_SMPS_1V8_EXT_LDO);
	wr(&p, CR3, 0x0000001Eu);
	assert_false(pwr_h7_supply_fault(&p));
	assert_int_equal(rd(&p, CR3) & (1u << 16), 1u << 16); /* SDEXTRDY */

	pwr_h7_init(&p, true, PWR_SUPPLY_LDO);
	wr(&p, CR3, 0x00000016u); /* SMPS 1.8 V feeding an LDO the board does not have */
	assert_true(pwr_h7_supply_fault(&p));

	pwr_h7_init(&p, true, PWR_SUPPLY_DIRECT_SMPS);
	wr(&p, CR3, 0x00000036u); /* SDLEVEL 11: not a documented configuration */
	assert_false(pwr_h7_supply_fault(&p));
	assert_true(p.supply_locked);
}

static void test_supply_names_and_wiring(void **state)
{
	pwr_supply s;

	assert_int_equal(pwr_supply_parse("smps_2v5_ext_bypass", &s), 0);
	assert_int_equal(s, PWR_SUPPLY_SMPS_2V5_EXT_BYPASS);
	assert_int_equal(pwr_supply_cr3_config(s), 0x2Du);
	assert_string_equal(pwr_supply_name(PWR_SUPPLY_DIRECT_SMPS), "direct_smps");
	assert_int_equal(pwr_supply_parse("smps", &s), -1);
	assert_true(pwr_supply_possible(false, PWR_SUPPLY_LDO));
	assert_true(pwr_supply_possible(false, PWR_SUPPLY_BYPASS));
	assert_false(pwr_supply_possible(false, PWR_SUPPLY_DIRECT_SMPS));
	assert_true(pwr_supply_possible(true, PWR_SUPPLY_SMPS_1V8_LDO));
}

static void test_word_access_only(void **state)
{
	pwr_h7 p;
	uint32_t v;

	pwr_h7_init(&p, false, PWR_SUPPLY_LDO);
	assert_int_equal(pwr_h7_read(&p, CR3, 1, &v), SIM_BUS_FAULT);
	assert_int_equal(pwr_h7_write(&p, CR3, 2, 1), SIM_BUS_FAULT);
	assert_false(p.supply_locked);
	assert_int_equal(pwr_h7_write(&p, CSR1, 4, 0xFFFFFFFFu), SIM_BUS_OK); /* read-only: ignored */
	assert_int_equal(rd(&p, CSR1) & ACTVOSRDY, 0);
}

/* The system bootloader's word store of CR3's own value (AN2606): locked as it is, never a fault. */
static void test_write_back_locks_without_changing_the_supply(void **state)
{
	pwr_h7 p;

	pwr_h7_init(&p, false, PWR_SUPPLY_LDO);
	pwr_h7_write_back_cr3(&p);
	assert_true(p.supply_locked);
	assert_int_equal(rd(&p, CR3) & 0x7u, 0x2u); /* LDOEN kept, SCUEN used up */
	assert_int_equal(rd(&p, CSR1) & ACTVOSRDY, ACTVOSRDY);
	assert_false(pwr_h7_supply_fault(&p));
	/* The firmware started afterwards can no longer choose its supply. */
	wr(&p, CR3, 0x00000001u);
	assert_int_equal(rd(&p, CR3) & 0x7u, 0x2u);
	assert_false(pwr_h7_supply_fault(&p));

	/* On a bypass board the reset LDO keeps running: locked, not ready, no fault. */
	pwr_h7_init(&p, false, PWR_SUPPLY_BYPASS);
	pwr_h7_write_back_cr3(&p);
	assert_true(p.supply_locked);
	assert_false(pwr_h7_supply_fault(&p));
	assert_int_equal(rd(&p, CSR1) & ACTVOSRDY, 0);

	/* SMPS part on a direct-SMPS board: the reset value (SDEN | LDOEN) stays, locked. */
	pwr_h7_init(&p, true, PWR_SUPPLY_DIRECT_SMPS);
	pwr_h7_write_back_cr3(&p);
	assert_true(p.supply_locked);
	assert_int_equal(rd(&p, CR3) & 0x3Fu, 0x06u);
	assert_false(pwr_h7_supply_fault(&p));
	wr(&p, CR3, 0x00000002u); /* LDO: ignored, the lock is used up */
	assert_false(pwr_h7_supply_fault(&p));

	/* Already locked by the firmware: no effect.  Power-on clears it. */
	pwr_h7_init(&p, false, PWR_SUPPLY_LDO);
	wr(&p, CR3, 0x00000001u); /* bypass on an LDO board: fault */
	pwr_h7_write_back_cr3(&p);
	assert_true(pwr_h7_supply_fault(&p));
	pwr_h7_power_on(&p);
	assert_false(p.supply_locked);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ldo_part_reset_value),
		cmocka_unit_test(test_matching_config_locks_and_is_ready),
		cmocka_unit_test(test_second_write_ignored),
		cmocka_unit_test(test_wrong_valid_config_is_a_supply_fault),
		cmocka_unit_test(test_invalid_combination_ignored_but_locks),
		cmocka_unit_test(test_only_power_on_clears_the_lock),
		cmocka_unit_test(test_free_bits_stay_writable),
		cmocka_unit_test(test_smps_part_configurations),
		cmocka_unit_test(test_supply_names_and_wiring),
		cmocka_unit_test(test_word_access_only),
		cmocka_unit_test(test_write_back_locks_without_changing_the_supply),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
