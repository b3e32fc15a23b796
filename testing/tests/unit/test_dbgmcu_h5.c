/*
 * STM32H5 DBGMCU and the system debug APB (dbgmcu_h5.h): IDCODE in every
 * view and at both debugger addresses, CR write mask, SR and its AP1 bit,
 * freeze registers, power-on reset, identification registers, the ROM
 * table, and the mailbox routed to the real DA device from the debugger's
 * view only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dbgmcu_h5.h"

typedef struct fixture {
	dbgmcu_h5 d;
	da_device *da;
	bool ap1;
} fixture;

static uint8_t env_ps(void *ctx) { return H5PS_CLOSED; }
static bool env_tz(void *ctx) { return false; }
static void env_cred(void *ctx, flash_h5_credential *out) { memset(out, 0, sizeof(*out)); }
static void env_regression(void *ctx, bool partial) { fail_msg("no regression expected"); }

static bool ap1_enabled(void *ctx)
{
	return ((fixture *)ctx)->ap1;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	da_device_env env = { .ctx = f, .dev_id = 0x484, .product_state = env_ps, .tz_enabled = env_tz,
			      .credential = env_cred, .regression = env_regression };

	assert_non_null(f);
	f->da = da_device_create(&env);
	assert_non_null(f->da);
	da_device_power_on(f->da);
	dbgmcu_h5_init(&f->d, 0x484, 0x1007, f->da, ap1_enabled, f);
	dbgmcu_h5_power_on(&f->d);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	da_device_destroy(f->da);
	free(f);
	return 0;
}

static uint32_t apb_rd(fixture *f, uint32_t addr)
{
	uint32_t v = 0xDEADBEEFu;

	assert_int_equal(dbgmcu_h5_apb_read(&f->d, addr, 4, &v), SIM_BUS_OK);
	return v;
}

static void test_idcode_everywhere(void **state)
{
	fixture *f = *state;
	unsigned long before;
	uint32_t v;

	assert_int_equal(apb_rd(f, 0xE00E4000u), 0x10070484u);
	assert_int_equal(apb_rd(f, 0xE0044000u), 0x10070484u);
	assert_int_equal(dbgmcu_h5_read(&f->d, false, 0x000, 4, &v), SIM_BUS_OK);
	assert_int_equal(v, 0x10070484u);
	assert_int_equal(dbgmcu_h5_apb_read(&f->d, 0xE00E4002u, 2, &v), SIM_BUS_OK);
	assert_int_equal(v, 0x1007u);
	before = sim_log_guest_error_count();
	assert_int_equal(dbgmcu_h5_apb_write(&f->d, 0xE00E4000u, 4, 0), SIM_BUS_OK);
	assert_int_equal(sim_log_guest_error_count(), before + 1);
	assert_int_equal(apb_rd(f, 0xE00E4000u), 0x10070484u);
}

static void test_cr_mask_and_power_on(void **state)
{
	fixture *f = *state;
	uint32_t v;

	assert_int_equal(dbgmcu_h5_apb_write(&f->d, 0xE0044004u, 4, 0xFFFFFFFFu), SIM_BUS_OK);
	assert_int_equal(apb_rd(f, 0xE00E4004u), 0x000100F6u); /* DCRT, TRACE_*, DBG_STANDBY, DBG_STOP */
	/* Byte write into the DCRT lane keeps the others. */
	assert_int_equal(dbgmcu_h5_apb_write(&f->d, 0xE00E4006u, 1, 0), SIM_BUS_OK);
	assert_int_equal(apb_rd(f, 0xE00E4004u), 0x000000F6u);
	assert_int_equal(dbgmcu_h5_apb_write(&f->d, 0xE00E4020u, 4, 0x0000FFFFu), SIM_BUS_OK);
	assert_int_equal(dbgmcu_h5_apb_write(&f->d, 0xE00E4008u, 4, 0x00001800u), SIM_BUS_OK);
	assert_int_equal(apb_rd(f, 0xE00E4020u), 0x0000FFFFu);
	assert_int_equal(apb_rd(f, 0xE00E4008u), 0x00001800u);
	/* The same registers from the system bus. */
	assert_int_equal(dbgmcu_h5_read(&f->d, false, 0x008, 4, &v), SIM_BUS_OK);
	assert_int_equal(v, 0x00001800u);
	dbgmcu_h5_power_on(&f->d);
	assert_int_equal(apb_rd(f, 0xE00E4004u), 0);
	assert_int_equal(apb_rd(f, 0xE00E4020u), 0);
}

static void test_sr_follows_ap1(void **state)
{
	fixture *f = *state;

	f->ap1 = true;
	assert_int_equal(apb_rd(f, 0xE00E40FCu), 0x00030003u);
	f->ap1 = false;
	assert_int_equal(apb_rd(f, 0xE00440FCu), 0x00010003u);
	assert_int_equal(dbgmcu_h5_apb_write(&f->d, 0xE00E40FCu, 4, 0xFFFFFFFFu), SIM_BUS_OK);
	assert_int_equal(apb_rd(f, 0xE00E40FCu), 0x00010003u);
	assert_int_equal(dbgmcu_h5_sr(&f->d), 0x00010003u);
}

static void test_identification_and_rom_table(void **state)
{
	fixture *f = *state;
	uint32_t v;

	/* DBGMCU's own CoreSight ID (SVD reset values). */
	assert_int_equal(apb_rd(f, 0xE00E4FF0u), 0x0Du);
	assert_int_equal(apb_rd(f, 0xE00E4FF4u), 0xF0u);
	assert_int_equal(apb_rd(f, 0xE00E4FFCu), 0xB1u);
	assert_int_equal(apb_rd(f, 0xE00E4FE8u), 0x0Au);
	/* ROM table at 0xE00E0000: one entry (DBGMCU), then the end marker; part number = DEV_ID. */
	assert_int_equal(apb_rd(f, 0xE00E0000u), 0x00004003u);
	assert_int_equal(apb_rd(f, 0xE00E0004u), 0);
	assert_int_equal(apb_rd(f, 0xE00E0FE0u), 0x84u);
	assert_int_equal(apb_rd(f, 0xE00E0FE4u), 0x04u);
	assert_int_equal(apb_rd(f, 0xE00E0FE8u), 0x1Au);
	assert_int_equal(apb_rd(f, 0xE00E0FF4u), 0x10u);
	assert_int_equal(apb_rd(f, 0xE00E0FCCu), 0); /* MEMTYPE: dedicated debug bus */
	assert_int_equal(dbgmcu_h5_apb_write(&f->d, 0xE00E0000u, 4, 1), SIM_BUS_OK);
	assert_int_equal(apb_rd(f, 0xE00E0000u), 0x00004003u);
	assert_int_equal(dbgmcu_h5_apb_read(&f->d, 0xE00F0000u, 4, &v), SIM_BUS_FAULT);
	assert_int_equal(dbgmcu_h5_apb_write(&f->d, 0xE0045000u, 4, 0), SIM_BUS_FAULT);
}

static void test_mailbox_routing(void **state)
{
	fixture *f = *state;
	uint32_t v;

	/* System view: the device side is the ROM's; user code reads 0 and changes nothing. */
	assert_int_equal(dbgmcu_h5_write(&f->d, false, DA_REG_HOST, 4, 0x12345678u), SIM_BUS_OK);
	assert_int_equal(dbgmcu_h5_read(&f->d, false, DA_REG_ACK, 4, &v), SIM_BUS_OK);
	assert_int_equal(v, 0);
	assert_int_equal(apb_rd(f, 0xE00E4108u), 0);
	/* Debugger view: the DA device's registers. */
	assert_int_equal(dbgmcu_h5_apb_write(&f->d, 0xE0044100u, 4, DA_ENTRY_REQUEST), SIM_BUS_OK);
	assert_int_equal(apb_rd(f, 0xE00E4108u), DA_ACK_HOST);
	assert_int_equal(apb_rd(f, 0xE00E4100u), DA_ENTRY_REQUEST);
	/* 32-bit registers: narrower accesses fault. */
	assert_int_equal(dbgmcu_h5_apb_read(&f->d, 0xE00E4104u, 2, &v), SIM_BUS_FAULT);
	assert_int_equal(dbgmcu_h5_apb_write(&f->d, 0xE00E4100u, 1, 0), SIM_BUS_FAULT);
	/* The ROM picks the request up at the next reset release and answers DAOK. */
	assert_true(da_device_reset_release(f->da, 100));
	assert_int_equal(apb_rd(f, 0xE00E4108u), DA_ACK_DEV);
	assert_int_equal(apb_rd(f, 0xE0044104u), DA_ENTRY_REPLY);
	assert_int_equal(apb_rd(f, 0xE00E4108u), 0);
}

static void test_json(void **state)
{
	fixture *f = *state;
	char buf[2048] = "";
	FILE *mem = fmemopen(buf, sizeof(buf) - 1, "w");
	json_out j;

	assert_non_null(mem);
	dbgmcu_h5_apb_write(&f->d, 0xE00E4004u, 4, DBGMCU_H5_CR_DCRT);
	json_init(&j, mem);
	json_begin_object(&j, NULL);
	dbgmcu_h5_write_json(&f->d, &j);
	json_end_object(&j);
	json_finish(&j);
	fclose(mem);
	assert_non_null(strstr(buf, "\"idcode\": \"0x10070484\""));
	assert_non_null(strstr(buf, "\"cr\": \"0x00010000\""));
	assert_non_null(strstr(buf, "\"sr\": \"0x00010003\""));
	assert_non_null(strstr(buf, "\"ahb1fzr\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_idcode_everywhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cr_mask_and_power_on, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sr_follows_ap1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_identification_and_rom_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mailbox_routing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
