/*
 * DBGMCU and the system debug APB (facts A.1): IDCODE in both views, CR
 * write mask, freeze registers, reset by power-on only, APB-D ROM table and
 * the trace blocks gated by TRACECLKEN.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dbgmcu.h"

typedef struct fixture {
	dbgmcu d;
	apbd a;
} fixture;

static int setup(void **state)
{
	static fixture f;

	dbgmcu_init(&f.d, 0x450, 0x2003, false);
	apbd_init(&f.a, &f.d);
	*state = &f;
	return 0;
}

static uint32_t apbd_rd(fixture *f, uint32_t addr)
{
	uint32_t v = 0xDEADBEEFu;

	assert_int_equal(apbd_read(&f->a, addr, 4, &v), SIM_BUS_OK);
	return v;
}

static void test_idcode_in_both_views(void **state)
{
	fixture *f = *state;
	uint32_t v;

	assert_int_equal(dbgmcu_read(&f->d, 0x000, 4, &v), SIM_BUS_OK);
	assert_int_equal(v, 0x20030450u);
	assert_int_equal(apbd_rd(f, DBGMCU_APBD_BASE), 0x20030450u);
	/* Halfword read of the DEV_ID, as a byte-lane tool would do. */
	assert_int_equal(dbgmcu_read(&f->d, 0x002, 2, &v), SIM_BUS_OK);
	assert_int_equal(v, 0x2003u);
	assert_int_equal(dbgmcu_write(&f->d, 0x000, 4, 0), SIM_BUS_OK); /* read-only */
	assert_int_equal(apbd_rd(f, DBGMCU_APBD_BASE), 0x20030450u);
}

static void test_cr_mask_single_core(void **state)
{
	fixture *f = *state;
	uint32_t v;

	/* What OpenOCD's examine-end writes through AP2, reserved D2 bits included. */
	assert_int_equal(apbd_write(&f->a, DBGMCU_APBD_BASE + 4, 4, 0x0070003Fu), SIM_BUS_OK);
	assert_int_equal(apbd_rd(f, DBGMCU_APBD_BASE + 4), 0x00700007u);
	assert_int_equal(dbgmcu_write(&f->d, 0x004, 4, 0xFFFFFFFFu), SIM_BUS_OK);
	assert_int_equal(dbgmcu_read(&f->d, 0x004, 4, &v), SIM_BUS_OK);
	assert_int_equal(v, 0x10700187u);
}

static void test_freeze_registers(void **state)
{
	fixture *f = *state;
	uint32_t v;

	assert_int_equal(dbgmcu_write(&f->d, 0x054, 4, 0x000C0000u), SIM_BUS_OK);
	assert_int_equal(dbgmcu_read(&f->d, 0x054, 4, &v), SIM_BUS_OK);
	assert_int_equal(v, 0x000C0000u);
	/* The CM4 copies are reserved on a single-core part. */
	assert_int_equal(dbgmcu_write(&f->d, 0x038, 4, 0x40u), SIM_BUS_OK);
	assert_int_equal(dbgmcu_read(&f->d, 0x038, 4, &v), SIM_BUS_OK);
	assert_int_equal(v, 0);
	/* Byte write lands in its lane only. */
	assert_int_equal(dbgmcu_write(&f->d, 0x035, 1, 0x12u), SIM_BUS_OK);
	assert_int_equal(dbgmcu_read(&f->d, 0x034, 4, &v), SIM_BUS_OK);
	assert_int_equal(v, 0x00001200u);
}

static void test_dual_core_has_cm4_copies(void **state)
{
	dbgmcu d;
	uint32_t v;

	dbgmcu_init(&d, 0x450, 0x2003, true);
	assert_int_equal(dbgmcu_write(&d, 0x038, 4, 0x40u), SIM_BUS_OK);
	assert_int_equal(dbgmcu_read(&d, 0x038, 4, &v), SIM_BUS_OK);
	assert_int_equal(v, 0x40u);
	assert_int_equal(dbgmcu_write(&d, 0x004, 4, 0x3Fu), SIM_BUS_OK);
	assert_int_equal(dbgmcu_read(&d, 0x004, 4, &v), SIM_BUS_OK);
	assert_int_equal(v, 0x3Fu);
}

static void test_power_on_resets(void **state)
{
	fixture *f = *state;
	uint32_t v;

	assert_int_equal(dbgmcu_write(&f->d, 0x004, 4, 0x7u), SIM_BUS_OK);
	assert_int_equal(dbgmcu_write(&f->d, 0x03C, 4, 0x800u), SIM_BUS_OK);
	dbgmcu_power_on(&f->d);
	assert_int_equal(dbgmcu_read(&f->d, 0x004, 4, &v), SIM_BUS_OK);
	assert_int_equal(v, 0);
	assert_int_equal(dbgmcu_read(&f->d, 0x03C, 4, &v), SIM_BUS_OK);
	assert_int_equal(v, 0);
}

static void test_apbd_rom_table(void **state)
{
	fixture *f = *state;

	/* psdb identifies the H7 by this table: CIDR 0xB105100D, PIDR 0x000A0450 (facts A.1). */
	assert_int_equal(apbd_rd(f, APBD_ROM_BASE + 0xFF0), 0x0Du);
	assert_int_equal(apbd_rd(f, APBD_ROM_BASE + 0xFF4), 0x10u);
	assert_int_equal(apbd_rd(f, APBD_ROM_BASE + 0xFF8), 0x05u);
	assert_int_equal(apbd_rd(f, APBD_ROM_BASE + 0xFFC), 0xB1u);
	assert_int_equal(apbd_rd(f, APBD_ROM_BASE + 0xFE0), 0x50u);
	assert_int_equal(apbd_rd(f, APBD_ROM_BASE + 0xFE4), 0x04u);
	assert_int_equal(apbd_rd(f, APBD_ROM_BASE + 0xFE8), 0x0Au);
	assert_int_equal(apbd_rd(f, APBD_ROM_BASE + 0xFD0), 0x00u);
	assert_int_equal(apbd_rd(f, APBD_ROM_BASE + 0x000), 0x00003003u);
	assert_int_equal(apbd_rd(f, APBD_ROM_BASE + 0x00C), 0u); /* end marker */
}

static void test_trace_blocks_need_traceclken(void **state)
{
	fixture *f = *state;
	uint32_t v;

	assert_int_equal(apbd_read(&f->a, APBD_SWTF_BASE, 4, &v), SIM_BUS_FAULT);
	assert_int_equal(apbd_write(&f->a, APBD_SWTF_BASE, 4, 3), SIM_BUS_FAULT);
	assert_int_equal(apbd_write(&f->a, DBGMCU_APBD_BASE + 4, 4, DBGMCU_CR_TRACECLKEN), SIM_BUS_OK);
	assert_int_equal(apbd_write(&f->a, APBD_SWTF_BASE, 4, 3), SIM_BUS_OK);
	assert_int_equal(apbd_rd(f, APBD_SWTF_BASE), 3u);
	assert_int_equal(apbd_rd(f, APBD_TPIU_BASE + 0xFE0), 0x12u); /* TPIU part 0x912 */
	assert_int_equal(apbd_rd(f, APBD_SWO_BASE + 0xFCC), 0x11u);  /* DEVTYPE trace sink, port */
	apbd_power_on(&f->a);
	dbgmcu_power_on(&f->d);
	assert_int_equal(apbd_read(&f->a, APBD_SWTF_BASE, 4, &v), SIM_BUS_FAULT);
}

static void test_unmapped_apbd_faults(void **state)
{
	fixture *f = *state;
	uint32_t v;

	assert_int_equal(apbd_read(&f->a, 0xE00E2000u, 4, &v), SIM_BUS_FAULT);
	assert_int_equal(apbd_write(&f->a, 0xE0100000u, 4, 0), SIM_BUS_FAULT);
}

/* 0x480 / 0x483: no SWO funnel.  The ROM table skips it; its window reads 0 and ignores writes. */
static void test_no_funnel_on_other_lines(void **state)
{
	fixture *f = *state;
	uint32_t v = 0xDEADBEEFu;

	dbgmcu_init(&f->d, 0x483, 0x1001, false);
	apbd_init(&f->a, &f->d);
	apbd_set_funnel_present(&f->a, false);
	assert_int_equal(apbd_rd(f, APBD_ROM_BASE), (APBD_SWO_BASE - APBD_ROM_BASE) | 3u);
	assert_int_equal(apbd_rd(f, APBD_ROM_BASE + 4), (APBD_TPIU_BASE - APBD_ROM_BASE) | 3u);
	assert_int_equal(apbd_rd(f, APBD_ROM_BASE + 8), 0);
	assert_int_equal(apbd_rd(f, APBD_ROM_BASE + 0xFE0), 0x83u); /* PIDR0: DEV_ID 0x483 */
	/* What stm32h7x.cfg's examine-end does to SWTF_CTRL: read-modify-write, with or without TRACECLKEN. */
	assert_int_equal(apbd_write(&f->a, APBD_SWTF_BASE, 4, 3u), SIM_BUS_OK);
	assert_int_equal(apbd_read(&f->a, APBD_SWTF_BASE, 4, &v), SIM_BUS_OK);
	assert_int_equal(v, 0);
	/* The blocks that exist still need TRACECLKEN. */
	assert_int_equal(apbd_read(&f->a, APBD_SWO_BASE, 4, &v), SIM_BUS_FAULT);
	assert_int_equal(apbd_read(&f->a, APBD_TPIU_BASE, 4, &v), SIM_BUS_FAULT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_idcode_in_both_views, setup),
		cmocka_unit_test_setup(test_cr_mask_single_core, setup),
		cmocka_unit_test_setup(test_freeze_registers, setup),
		cmocka_unit_test(test_dual_core_has_cm4_copies),
		cmocka_unit_test_setup(test_power_on_resets, setup),
		cmocka_unit_test_setup(test_apbd_rom_table, setup),
		cmocka_unit_test_setup(test_trace_blocks_need_traceclken, setup),
		cmocka_unit_test_setup(test_unmapped_apbd_faults, setup),
		cmocka_unit_test_setup(test_no_funnel_on_other_lines, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
