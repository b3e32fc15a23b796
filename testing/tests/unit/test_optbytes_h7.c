/*
 * Unit tests of the STM32H7 option bytes (testing/sim/optbytes_h7.c): field
 * table, factory values, OPTSTART rules, and the option change as the flash
 * registers run it (OPT_BUSY timing, OPTCHANGEERR, RDP regression erase).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "flash_h7.h"
#include "optbytes_h7.h"

#define REG_OPTKEYR 0x08
#define REG_OPTCR 0x18
#define REG_OPTSR_CUR 0x1c
#define REG_OPTSR_PRG 0x20
#define REG_OPTCCR 0x24
#define REG_PRAR_CUR1 0x28
#define REG_PRAR_PRG1 0x2c
#define REG_SCAR_PRG1 0x34
#define OPT_BUSY 1u
#define OPTCHANGEERR (1u << 30)

static optbytes_h7 ob;
static scenario sc;
static char err[512];

static void init(unsigned variant, unsigned banks)
{
	optbytes_h7_init(&ob, variant, banks);
}

static void set_field(uint32_t *regs, const char *name, uint32_t value)
{
	const optbytes_h7_field *field = optbytes_h7_field_find(&ob, name, NULL);

	assert_non_null(field);
	optbytes_h7_field_set(regs, field, value);
}

static void set_both(const char *name, uint32_t value)
{
	set_field(ob.cur, name, value);
	set_field(ob.prg, name, value);
}

/* ------------------------------------------------------ pure option bytes -- */

static void test_factory_optsr_per_line(void **state)
{
	init(OB_H7_V450, 2);
	assert_int_equal(ob.cur[OB_OPTSR], 0x0006aad0);
	assert_int_equal(ob.cur[OB_BOOT7], 0x1ff00800);
	assert_int_equal(ob.cur[OB_WPSN1], 0xff);
	assert_int_equal(ob.cur[OB_PRAR2], OB_AREA_EMPTY);
	init(OB_H7_V450_DUAL, 2);
	assert_int_equal(ob.cur[OB_OPTSR], 0x03c6aaf0);
	assert_int_equal(ob.cur[OB_BOOT4], 0x10000810);
	init(OB_H7_V483, 1);
	assert_int_equal(ob.cur[OB_OPTSR], 0x0306aad0);
	assert_int_equal(ob.cur[OB_PRAR2], 0); /* no bank 2 */
	assert_int_equal(ob.cur[OB_OPTSR2], 0);
	init(OB_H7_V480, 2);
	assert_int_equal(ob.cur[OB_OPTSR], 0x0006aad0);
	assert_int_equal(ob.cur[OB_WPSN2], 0xffffffff);
	assert_memory_equal(ob.cur, ob.prg, sizeof(ob.cur));
}

static void test_fields_per_line(void **state)
{
	bool known;

	init(OB_H7_V450, 2);
	assert_null(optbytes_h7_field_find(&ob, "IWDG2_SW", &known));
	assert_true(known);
	assert_null(optbytes_h7_field_find(&ob, "VDDMMC_HSLV", NULL));
	assert_null(optbytes_h7_field_find(&ob, "NO_SUCH_FIELD", &known));
	assert_false(known);
	assert_non_null(optbytes_h7_field_find(&ob, "SWAP_BANK_OPT", NULL));
	assert_string_equal(optbytes_h7_reg_name(&ob, OB_BOOT7, true), "BOOT_CUR");
	init(OB_H7_V450_DUAL, 2);
	assert_non_null(optbytes_h7_field_find(&ob, "BOOT_CM4_ADD1", NULL));
	assert_null(optbytes_h7_field_find(&ob, "BOOT_ADD0", NULL));
	assert_string_equal(optbytes_h7_reg_name(&ob, OB_BOOT7, true), "BOOT7_CUR");
	init(OB_H7_V480, 2);
	assert_int_equal(optbytes_h7_field_find(&ob, "WRPSN2", NULL)->width, 32);
	assert_non_null(optbytes_h7_field_find(&ob, "LOCKBL", NULL));
	init(OB_H7_V483, 1);
	assert_non_null(optbytes_h7_field_find(&ob, "CPUFREQ_BOOST", NULL));
	assert_non_null(optbytes_h7_field_find(&ob, "NRST_STBY_D2", NULL));
	assert_null(optbytes_h7_field_find(&ob, "SWAP_BANK_OPT", NULL));
	assert_null(optbytes_h7_field_find(&ob, "DMEP2", NULL));
	assert_int_equal(optbytes_h7_reg_mask(&ob, OB_OPTSR) & OB_OPTSR_SWAP_BANK_OPT, 0);
}

static void test_rdp_levels(void **state)
{
	assert_int_equal(optbytes_h7_rdp_level(0xaa), 0);
	assert_int_equal(optbytes_h7_rdp_level(0xcc), 2);
	assert_int_equal(optbytes_h7_rdp_level(0xbb), 1);
	assert_int_equal(optbytes_h7_rdp_level(0x00), 1);
}

static void test_plan_level_changes(void **state)
{
	optbytes_h7_plan plan;

	init(OB_H7_V450, 2);
	set_field(ob.prg, "RDP", 0x00);
	optbytes_h7_plan_change(&ob, &plan);
	assert_false(plan.refused);
	assert_false(plan.regression); /* 0 -> 1 touches no flash */
	optbytes_h7_commit(&ob, &plan);
	assert_int_equal(optbytes_h7_rdp(&ob), 0x00);
	set_field(ob.prg, "RDP", 0xaa);
	optbytes_h7_plan_change(&ob, &plan);
	assert_true(plan.regression);
	set_field(ob.prg, "RDP", 0xcc);
	optbytes_h7_plan_change(&ob, &plan);
	assert_false(plan.refused);
	optbytes_h7_commit(&ob, &plan);
	set_field(ob.prg, "RDP", 0xaa);
	optbytes_h7_plan_change(&ob, &plan);
	assert_true(plan.refused);
	set_field(ob.prg, "RDP", 0xcc);
	set_field(ob.prg, "BOR_LEV", 1); /* nothing changes at level 2, not even this */
	optbytes_h7_plan_change(&ob, &plan);
	assert_true(plan.refused);
}

static void test_plan_regression_areas(void **state)
{
	optbytes_h7_plan plan;

	init(OB_H7_V450, 2);
	set_both("RDP", 0xbb);
	set_both("PROT_AREA_START1", 0x10);
	set_both("PROT_AREA_END1", 0x1f);
	set_both("PROT_AREA_START2", 0);
	set_both("PROT_AREA_END2", 0);
	set_both("DMEP2", 1);
	set_both("SEC_AREA_START1", 0x40);
	set_both("SEC_AREA_END1", 0x40);
	set_field(ob.prg, "RDP", 0xaa);
	set_field(ob.prg, "DMEP1", 1); /* too late: DMEP in effect is the _CUR one */
	optbytes_h7_plan_change(&ob, &plan);
	assert_true(plan.regression);
	assert_true(plan.keep[0][0].present);
	assert_int_equal(plan.keep[0][0].start, 0x1000);
	assert_int_equal(plan.keep[0][0].end, 0x2000);
	assert_false(plan.keep[0][1].present); /* SECURITY = 0: no secure-only area */
	assert_true(plan.remove[1][0]);
	optbytes_h7_commit(&ob, &plan);
	assert_int_equal(ob.cur[OB_PRAR2], OB_AREA_EMPTY);
	assert_int_equal(ob.cur[OB_PRAR1], 0x801f0010u); /* kept, and DMEP1 from _PRG applied */
	assert_int_equal(optbytes_h7_rdp(&ob), 0xaa);
	assert_memory_equal(ob.cur, ob.prg, sizeof(ob.cur));
}

static void test_plan_secure_area_needs_security(void **state)
{
	optbytes_h7_plan plan;

	init(OB_H7_V483, 1);
	set_both("RDP", 0x55);
	set_both("SECURITY", 1);
	set_both("SEC_AREA_START1", 0);
	set_both("SEC_AREA_END1", 3);
	set_field(ob.prg, "RDP", 0xaa);
	optbytes_h7_plan_change(&ob, &plan);
	assert_true(plan.keep[0][1].present);
	assert_int_equal(plan.keep[0][1].end, 4 * 256);
}

static void test_plan_area_rules_outside_regression(void **state)
{
	optbytes_h7_plan plan;

	init(OB_H7_V450, 2);
	set_both("PROT_AREA_START1", 0x10);
	set_both("PROT_AREA_END1", 0x1f);
	set_field(ob.prg, "PROT_AREA_END1", 0x1e); /* shrink */
	optbytes_h7_plan_change(&ob, &plan);
	assert_true(plan.refused);
	set_field(ob.prg, "PROT_AREA_END1", 0x30); /* grow */
	optbytes_h7_plan_change(&ob, &plan);
	assert_false(plan.refused);
	set_both("DMEP1", 1);
	set_field(ob.prg, "DMEP1", 0);
	optbytes_h7_plan_change(&ob, &plan);
	assert_true(plan.refused);
	set_field(ob.prg, "DMEP1", 1);
	ob.prg[OB_PRAR1] = OB_AREA_EMPTY; /* removal */
	optbytes_h7_plan_change(&ob, &plan);
	assert_true(plan.refused);
}

static void test_plan_otp_locks_irreversible(void **state)
{
	optbytes_h7_plan plan;

	init(OB_H7_V480, 2);
	set_both("LOCKBL", 0x3);
	set_field(ob.prg, "LOCKBL", 0x1);
	optbytes_h7_plan_change(&ob, &plan);
	assert_true(plan.refused);
	set_field(ob.prg, "LOCKBL", 0x7);
	optbytes_h7_plan_change(&ob, &plan);
	assert_false(plan.refused);
}

static void test_wrpsn_groups(void **state)
{
	init(OB_H7_V480, 2);
	ob.cur[OB_WPSN2] = ~(1u << 3);
	assert_true(optbytes_h7_sector_protected(&ob, 1, 12, 4));
	assert_true(optbytes_h7_sector_protected(&ob, 1, 15, 4));
	assert_false(optbytes_h7_sector_protected(&ob, 1, 16, 4));
	assert_false(optbytes_h7_sector_protected(&ob, 0, 12, 4));
}

/* ------------------------------------------- option change via registers -- */

static flash_h7 *make_flash(const char *text)
{
	flash_h7_part part = { .dev_id = 0x450, .size_kib = 2048, .dual_core = false };
	flash_h7 *f;

	sim_clock_freeze(0);
	f = flash_h7_create(&part);
	assert_non_null(f);
	if (text) {
		assert_int_equal(scenario_parse(&sc, text, "test.scn", err, sizeof(err)), 0);
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

/* OpenOCD's option write: keys, _PRG, clear OPTCHANGEERR, OPTSTART (facts A.2). */
static void start_option_write(flash_h7 *f, uint32_t set, uint32_t off, uint32_t value)
{
	if (rd(f, set + REG_OPTCR) & 1u) {
		wr(f, set + REG_OPTKEYR, 0x08192a3b);
		wr(f, set + REG_OPTKEYR, 0x4c5d6e7f);
	}
	assert_int_equal(rd(f, set + REG_OPTCR) & 1u, 0);
	wr(f, set + off, value);
	wr(f, set + REG_OPTCCR, OPTCHANGEERR);
	wr(f, set + REG_OPTCR, 2);
}

static uint32_t read_mem(flash_h7 *f, uint32_t addr, sim_bus_result expect)
{
	uint32_t v = 0;

	assert_int_equal(flash_h7_mem_read(f, addr, 4, &v), expect);
	return v;
}

static void test_option_change_busy_time(void **state)
{
	flash_h7 *f = make_flash(NULL);
	uint32_t prg = rd(f, REG_OPTSR_PRG);

	start_option_write(f, 0x100, REG_OPTSR_PRG, prg | (3u << 2)); /* BOR_LEV = 3 via the bank-2 alias */
	assert_int_equal(rd(f, REG_OPTSR_CUR) & (OPT_BUSY | (3u << 2)), OPT_BUSY);
	assert_int_equal(rd(f, REG_OPTSR_PRG), prg | (3u << 2)); /* _PRG reads what was written */
	assert_int_equal(rd(f, REG_OPTCR) & 2u, 2u);
	wr(f, 0x04, 0x45670123);
	wr(f, 0x04, 0xcdef89ab);
	wr(f, 0x0c, (1u << 2) | (1u << 7)); /* no erase while the option change runs (chosen) */
	assert_int_equal(rd(f, 0x10), 1u << 18);
	wr(f, REG_OPTSR_PRG, 0); /* _PRG cannot change while OPT_BUSY */
	assert_int_equal(rd(f, REG_OPTSR_PRG), prg | (3u << 2));
	sim_clock_advance(299999);
	assert_true(flash_h7_busy(f));
	assert_int_equal(rd(f, 0x11c) & OPT_BUSY, OPT_BUSY);
	sim_clock_advance(1);
	assert_int_equal(rd(f, REG_OPTSR_CUR) & (OPT_BUSY | OPTCHANGEERR | (3u << 2)), 3u << 2);
	assert_int_equal(rd(f, REG_OPTSR_PRG), rd(f, REG_OPTSR_CUR));
	assert_int_equal(flash_h7_busy_total_us(f), 300000);
	wr(f, REG_OPTCR, 1);
	assert_int_equal(rd(f, REG_OPTCR) & 1u, 1u);
	flash_h7_destroy(f);
}

static void test_option_prg_locked(void **state)
{
	flash_h7 *f = make_flash(NULL);
	uint32_t prg = rd(f, REG_OPTSR_PRG);

	wr(f, REG_OPTSR_PRG, 0);
	assert_int_equal(rd(f, REG_OPTSR_PRG), prg);
	wr(f, REG_OPTCR, 2); /* OPTSTART while locked: nothing */
	assert_int_equal(rd(f, REG_OPTSR_CUR) & OPT_BUSY, 0);
	wr(f, REG_OPTKEYR, 0x12345678); /* wrong key: locked until reset */
	wr(f, REG_OPTKEYR, 0x08192a3b);
	wr(f, REG_OPTKEYR, 0x4c5d6e7f);
	assert_int_equal(rd(f, REG_OPTCR) & 1u, 1u);
	flash_h7_system_reset(f);
	wr(f, REG_OPTKEYR, 0x08192a3b);
	wr(f, REG_OPTKEYR, 0x4c5d6e7f);
	assert_int_equal(rd(f, REG_OPTCR) & 1u, 0);
	flash_h7_destroy(f);
}

static void test_level2_refuses_with_optchangeerr(void **state)
{
	flash_h7 *f = make_flash("RDP = 0xcc\n");
	uint32_t cur = rd(f, REG_OPTSR_CUR);

	start_option_write(f, 0, REG_OPTSR_PRG, (cur & ~0xff00u) | 0xaa00u);
	assert_int_equal(rd(f, REG_OPTSR_CUR) & (OPT_BUSY | OPTCHANGEERR), OPTCHANGEERR);
	sim_clock_advance(20000000);
	assert_int_equal(flash_h7_rdp(f), 0xcc);
	/* Refused: _PRG keeps what was written until the next reset (chosen, UNCONFIRMED). */
	assert_int_equal(rd(f, REG_OPTSR_PRG) & 0xff00u, 0xaa00u);
	wr(f, REG_OPTCCR, OPTCHANGEERR);
	assert_int_equal(rd(f, REG_OPTSR_CUR) & OPTCHANGEERR, 0);
	flash_h7_system_reset(f);
	assert_int_equal(rd(f, REG_OPTSR_PRG), rd(f, REG_OPTSR_CUR));
	flash_h7_destroy(f);
}

static void test_area_shrink_refused(void **state)
{
	flash_h7 *f = make_flash("PROT_AREA_START1 = 0\nPROT_AREA_END1 = 3\n");

	start_option_write(f, 0, REG_PRAR_PRG1, OB_AREA_EMPTY);
	assert_int_equal(rd(f, REG_OPTSR_CUR) & OPTCHANGEERR, OPTCHANGEERR);
	assert_int_equal(rd(f, REG_PRAR_CUR1), 0x00030000);
	flash_h7_destroy(f);
}

#define LOCKED_FLASH "RDP = 0xbb\nflash.fill = 0x08000000 0x100000 0x12345678\n" \
	"flash.fill = 0x08100000 0x100000 0x9abcdef0\n"

static void regression(flash_h7 *f, uint32_t set)
{
	uint32_t cur = rd(f, set + REG_OPTSR_CUR);

	start_option_write(f, set, REG_OPTSR_PRG, (cur & ~0xff00u) | 0xaa00u);
	assert_int_equal(rd(f, REG_OPTSR_CUR) & OPT_BUSY, OPT_BUSY);
}

static void test_regression_erases_all(void **state)
{
	flash_h7 *f = make_flash(LOCKED_FLASH);

	flash_h7_set_intrusion(f, true);
	read_mem(f, 0x08000000, SIM_BUS_FAULT);
	regression(f, 0);
	/* 8 sectors x 1.1 s erase (banks in parallel) + 300 ms option write. */
	sim_clock_advance(8 * 1100000 + 300000 - 1);
	assert_int_equal(rd(f, REG_OPTSR_CUR) & OPT_BUSY, OPT_BUSY);
	sim_clock_advance(1);
	assert_int_equal(rd(f, REG_OPTSR_CUR) & (OPT_BUSY | OPTCHANGEERR | 0xff00u), 0xaa00u);
	assert_int_equal(read_mem(f, 0x08000000, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(read_mem(f, 0x081ffffc, SIM_BUS_OK), 0xffffffff);
	flash_h7_destroy(f);
}

static void test_regression_keeps_pcrop_without_dmep(void **state)
{
	flash_h7 *f = make_flash(LOCKED_FLASH "PROT_AREA_START1 = 0x10\nPROT_AREA_END1 = 0x1f\n"
				 "SECURITY = 1\nSEC_AREA_START2 = 0\nSEC_AREA_END2 = 0\nDMES2 = 0\n");

	regression(f, 0x100);
	sim_clock_advance(9100000);
	flash_h7_update(f, sim_now_us()); /* queries report the state as of the last update */
	assert_int_equal(flash_h7_rdp(f), 0xaa);
	assert_int_equal(read_mem(f, 0x08000ffc, SIM_BUS_OK), 0xffffffff);
	/* PCROP stays defined and execute-only: a data read is refused with RDPERR. */
	read_mem(f, 0x08001000, SIM_BUS_FAULT);
	assert_int_equal(rd(f, 0x10) & (1u << 23), 1u << 23);
	assert_int_equal(rd(f, REG_PRAR_CUR1), 0x001f0010);
	read_mem(f, 0x08100000, SIM_BUS_FAULT); /* secure-only, RDSERR */
	assert_int_equal(rd(f, 0x110) & (1u << 24), 1u << 24);
	assert_int_equal(read_mem(f, 0x08100100, SIM_BUS_OK), 0xffffffff);
	flash_h7_destroy(f);
}

static void test_regression_erases_areas_with_dmep(void **state)
{
	flash_h7 *f = make_flash(LOCKED_FLASH "PROT_AREA_START1 = 0x10\nPROT_AREA_END1 = 0x1f\nDMEP1 = 1\n"
				 "SECURITY = 1\nSEC_AREA_START2 = 0\nSEC_AREA_END2 = 0\nDMES2 = 1\n");

	regression(f, 0);
	sim_clock_advance(9100000);
	assert_int_equal(rd(f, REG_PRAR_CUR1), OB_AREA_EMPTY);
	assert_int_equal(rd(f, 0x130), OB_AREA_EMPTY);
	assert_int_equal(read_mem(f, 0x08001000, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(read_mem(f, 0x08100000, SIM_BUS_OK), 0xffffffff);
	flash_h7_destroy(f);
}

static void test_regression_dmep_in_same_change_is_too_late(void **state)
{
	flash_h7 *f = make_flash(LOCKED_FLASH "PROT_AREA_START1 = 0x10\nPROT_AREA_END1 = 0x1f\n");

	wr(f, REG_OPTKEYR, 0x08192a3b);
	wr(f, REG_OPTKEYR, 0x4c5d6e7f);
	wr(f, REG_PRAR_PRG1, 0x801f0010);
	regression(f, 0);
	sim_clock_advance(9100000);
	assert_int_equal(rd(f, REG_PRAR_CUR1), 0x801f0010);
	read_mem(f, 0x08001000, SIM_BUS_FAULT); /* still there: DMEP only counted from _CUR */
	flash_h7_destroy(f);
}

static void test_regression_interrupted_by_reset(void **state)
{
	flash_h7 *f = make_flash(LOCKED_FLASH);

	regression(f, 0);
	sim_clock_advance(2 * 1100000 + 500000); /* sectors 0, 1 erased, sector 2 in progress */
	flash_h7_system_reset(f);
	assert_int_equal(flash_h7_rdp(f), 0xbb);
	assert_int_equal(read_mem(f, 0x08020000, SIM_BUS_OK), 0xffffffff);
	read_mem(f, 0x08040000, SIM_BUS_FAULT);
	assert_int_equal(rd(f, 0x10) & (1u << 26), 1u << 26);
	assert_int_equal(read_mem(f, 0x08060000, SIM_BUS_OK), 0x12345678);
	read_mem(f, 0x08140000, SIM_BUS_FAULT); /* bank 2 erased in parallel */
	assert_int_equal(flash_h7_busy_total_us(f), 2 * 1100000 + 500000);
	flash_h7_destroy(f);
}

static void test_option_start_while_bank_busy(void **state)
{
	flash_h7 *f = make_flash(NULL);

	wr(f, 0x04, 0x45670123);
	wr(f, 0x04, 0xcdef89ab);
	wr(f, 0x0c, (1u << 2) | (1u << 7)); /* sector 0 erase */
	start_option_write(f, 0, REG_SCAR_PRG1, OB_AREA_EMPTY);
	assert_int_equal(rd(f, REG_OPTSR_CUR) & (OPT_BUSY | OPTCHANGEERR), OPTCHANGEERR);
	flash_h7_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_factory_optsr_per_line),
		cmocka_unit_test(test_fields_per_line),
		cmocka_unit_test(test_rdp_levels),
		cmocka_unit_test(test_plan_level_changes),
		cmocka_unit_test(test_plan_regression_areas),
		cmocka_unit_test(test_plan_secure_area_needs_security),
		cmocka_unit_test(test_plan_area_rules_outside_regression),
		cmocka_unit_test(test_plan_otp_locks_irreversible),
		cmocka_unit_test(test_wrpsn_groups),
		cmocka_unit_test(test_option_change_busy_time),
		cmocka_unit_test(test_option_prg_locked),
		cmocka_unit_test(test_level2_refuses_with_optchangeerr),
		cmocka_unit_test(test_area_shrink_refused),
		cmocka_unit_test(test_regression_erases_all),
		cmocka_unit_test(test_regression_keeps_pcrop_without_dmep),
		cmocka_unit_test(test_regression_erases_areas_with_dmep),
		cmocka_unit_test(test_regression_dmep_in_same_change_is_too_late),
		cmocka_unit_test(test_regression_interrupted_by_reset),
		cmocka_unit_test(test_option_start_while_bank_busy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
