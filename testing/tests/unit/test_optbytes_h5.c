/*
 * Unit tests of the STM32H5 option bytes (testing/sim/optbytes_h5.c): field
 * table, factory values, encodings, the PRODUCT_STATE / TZEN / boot-lock /
 * OTPBLR / EPOCH rules of an option change, and the change and the DA
 * regressions as the flash registers run them (OPTSTRT timing, OPTCHANGEERR,
 * reset request, cut and resumed regressions).
 */
#include "flash_h5_testutil.h"
#include "optbytes_h5.h"

static optbytes_h5 ob;
static optbytes_h5_plan plan;

static const optbytes_h5_field *field(const char *name)
{
	const optbytes_h5_field *fl = optbytes_h5_field_find(&ob, name, NULL);

	assert_non_null(fl);
	return fl;
}

static void set_both(const char *name, uint32_t value)
{
	optbytes_h5_field_set(ob.cur, field(name), value);
	optbytes_h5_field_set(ob.prg, field(name), value);
}

static void set_prg(const char *name, uint32_t value)
{
	optbytes_h5_field_set(ob.prg, field(name), value);
}

/* Plan a change of PRODUCT_STATE from `from` to `to` on a fresh 0x484 (TZEN as given). */
static void plan_ps(uint8_t from, uint8_t to, uint8_t tzen)
{
	optbytes_h5_init(&ob, OB5_V484, 128);
	set_both("PRODUCT_STATE", from);
	set_both("TZEN", tzen);
	set_prg("PRODUCT_STATE", to);
	optbytes_h5_plan_change(&ob, &plan);
}

/* ------------------------------------------------------- pure rules -- */

static void test_factory_values(void **state)
{
	optbytes_h5_init(&ob, OB5_V484, 128);
	assert_int_equal(ob.cur[OB5_OPTSR], 0x2d30edd8);
	assert_int_equal(ob.cur[OB5_OPTSR2], 0xc300007c);
	assert_int_equal(ob.cur[OB5_NSBOOTR], 0x080000c3);
	assert_int_equal(ob.cur[OB5_SECBOOTR], 0x0c0000c3);
	assert_int_equal(ob.cur[OB5_WRP2R], 0xffffffff);
	assert_int_equal(ob.cur[OB5_HDP2R], 1);
	assert_int_equal(ob.cur[OB5_SECWM2R], 1);
	assert_int_equal(ob.cur[OB5_EDATA1R], 0);
	assert_memory_equal(ob.cur, ob.prg, sizeof(ob.cur));
	assert_int_equal(optbytes_h5_product_state(&ob), 0xed);
	assert_int_equal(optbytes_h5_tzen(&ob), 0xc3);
	assert_false(optbytes_h5_tz_enabled(&ob));
	optbytes_h5_init(&ob, OB5_V474, 8);
	assert_int_equal(ob.cur[OB5_OPTSR], 0x0030edd8);
	assert_int_equal(ob.cur[OB5_OPTSR2], 0x58);
	assert_int_equal(ob.cur[OB5_WRP1R], 0xff);
	assert_int_equal(ob.cur[OB5_SECBOOTR], 0);
	assert_false(optbytes_h5_reg_exists(&ob, OB5_SECWM1R));
	assert_false(optbytes_h5_reg_exists(&ob, OB5_EDATA2R));
	set_both("PRODUCT_STATE", 0xed);
	ob.cur[OB5_OPTSR2] |= 0xb4000000u; /* bits that are no TZEN on the H503 */
	assert_false(optbytes_h5_tz_enabled(&ob));
	assert_int_equal(optbytes_h5_variant(0x478), OB5_V478);
	assert_int_equal(optbytes_h5_variant(0x450), 0);
	assert_string_equal(optbytes_h5_variant_name(OB5_V474), "STM32H503 (0x474)");
}

static void test_register_table(void **state)
{
	ob_h5_reg reg;
	bool cur;

	optbytes_h5_init(&ob, OB5_V484, 128);
	assert_true(optbytes_h5_reg_at(&ob, 0x54, &reg, &cur));
	assert_int_equal(reg, OB5_OPTSR);
	assert_false(cur);
	assert_true(optbytes_h5_reg_at(&ob, 0x1e0, &reg, &cur));
	assert_int_equal(reg, OB5_SECWM2R);
	assert_true(cur);
	assert_false(optbytes_h5_reg_at(&ob, 0x58, &reg, &cur));
	assert_string_equal(optbytes_h5_reg_name(OB5_HDP2R, false), "HDP2R_PRG");
	assert_int_equal(optbytes_h5_reg_offset(OB5_NSEPOCHR, false), 0x64);
	assert_true(optbytes_h5_reg_secure(OB5_SECBOOTR));
	assert_false(optbytes_h5_reg_secure(OB5_WRP1R));
	assert_int_equal(optbytes_h5_reg_mask(&ob, OB5_OPTSR), 0xbff3ffdf);
	assert_int_equal(optbytes_h5_reg_mask(&ob, OB5_HDP1R), 0x007f007f);
	assert_int_equal(optbytes_h5_reg_mask(&ob, OB5_EDATA1R), 0x8007);
	optbytes_h5_init(&ob, OB5_V474, 8);
	assert_false(optbytes_h5_reg_at(&ob, 0x8c, &reg, &cur));
	assert_int_equal(optbytes_h5_reg_mask(&ob, OB5_OPTSR), 0x8033ffdf);
	assert_int_equal(optbytes_h5_reg_mask(&ob, OB5_SECBOOTR), 0);
}

static void test_field_table(void **state)
{
	const char *why = NULL;
	bool known = false;

	optbytes_h5_init(&ob, OB5_V474, 8);
	assert_null(optbytes_h5_field_find(&ob, "TZEN", &known));
	assert_true(known);
	assert_null(optbytes_h5_field_find(&ob, "RDP", &known));
	assert_false(known);
	assert_int_equal(field("WRPSG1")->width, 8);
	optbytes_h5_init(&ob, OB5_V484, 128);
	assert_int_equal(field("WRPSG1")->width, 32);
	assert_int_equal(optbytes_h5_field_max(field("HDP1_END")), 0x7f);
	assert_int_equal(optbytes_h5_field_get(ob.cur, field("NSBOOTADD")), 0x080000);
	optbytes_h5_field_set(ob.prg, field("SECWM2_END"), 0xfff);
	assert_int_equal(ob.prg[OB5_SECWM2R], 0x007f0001);
	assert_true(optbytes_h5_field_valid(field("PRODUCT_STATE"), 0x9a, &why));
	assert_false(optbytes_h5_field_valid(field("PRODUCT_STATE"), 0x18, &why));
	assert_non_null(strstr(why, "PRODUCT_STATE code"));
	assert_true(optbytes_h5_field_valid(field("NSBOOT_LOCK"), 0xb4, &why));
	assert_false(optbytes_h5_field_valid(field("TZEN"), 0, &why));
	assert_false(optbytes_h5_field_valid(field("HDP2_STRT"), 0x80, &why));
	assert_string_equal(why, "does not fit in the field");
	assert_true(optbytes_h5_field_valid(field("LOCKBL"), 0xffffffff, &why));
	assert_string_equal(optbytes_h5_ps_name(0xc6), "TZ-Closed");
	assert_null(optbytes_h5_ps_name(0x00));
	assert_int_equal(optbytes_h5_ps_rank(0x5c), 5);
	assert_int_equal(optbytes_h5_ps_rank(0xa3), -1);
}

static void test_product_state_rules(void **state)
{
	static const struct {
		uint8_t from, to, tzen;
		bool refused;
		uint8_t result;
	} cases[] = {
		{ 0xed, 0x17, 0xc3, false, 0x17 },
		{ 0xed, 0x2e, 0xc3, false, 0x17 }, /* Open: lands in Provisioning (seed 004) */
		{ 0xed, 0xc6, 0xb4, false, 0x17 },
		{ 0xed, 0x72, 0xc3, false, 0x17 },
		{ 0xed, 0x5c, 0xc3, false, 0x17 },
		{ 0x17, 0x2e, 0xc3, false, 0x2e },
		{ 0x17, 0xc6, 0xb4, false, 0xc6 },
		{ 0x17, 0xc6, 0xc3, true, 0x17 },  /* TZ-Closed needs TZEN = 0xB4 */
		{ 0x17, 0x72, 0xc3, false, 0x72 }, /* skipping is allowed from Provisioning */
		{ 0x17, 0x5c, 0xc3, false, 0x5c },
		{ 0x2e, 0x72, 0xc3, false, 0x72 },
		{ 0xc6, 0x72, 0xb4, false, 0x72 },
		{ 0x72, 0x5c, 0xc3, false, 0x5c },
		{ 0x17, 0xed, 0xc3, true, 0x17 },  /* backwards */
		{ 0x72, 0x2e, 0xc3, true, 0x72 },
		{ 0xc6, 0x2e, 0xb4, true, 0xc6 },
		{ 0x17, 0x9a, 0xc3, true, 0x17 },  /* only the ROM writes the regression codes */
		{ 0x17, 0xa3, 0xb4, true, 0x17 },
		{ 0x72, 0x72, 0xc3, false, 0x72 }, /* no change */
		{ 0x5c, 0x5c, 0xc3, true, 0x5c },  /* Locked: nothing changes any more */
		{ 0x9a, 0xed, 0xc3, true, 0x9a },  /* a regression runs */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		plan_ps(cases[i].from, cases[i].to, cases[i].tzen);
		if (plan.refused != cases[i].refused)
			fail_msg("case %zu (0x%02x -> 0x%02x): refused = %d (%s)", i, cases[i].from, cases[i].to,
				 plan.refused, plan.why);
		if (!plan.refused && plan.product_state != cases[i].result)
			fail_msg("case %zu: lands in 0x%02x", i, plan.product_state);
		assert_int_equal(plan.product_state_changed, !plan.refused && cases[i].from != cases[i].result);
		assert_int_equal(plan.landed_short, !plan.refused && cases[i].to != cases[i].result);
	}
	optbytes_h5_init(&ob, OB5_V474, 8);
	set_both("PRODUCT_STATE", 0x17);
	set_prg("PRODUCT_STATE", 0xc6);
	optbytes_h5_plan_change(&ob, &plan);
	assert_true(plan.refused); /* no TrustZone on the H503 */
	plan_ps(0x5c, 0x5c, 0xc3);
	set_prg("BOR_LEV", 2);
	optbytes_h5_plan_change(&ob, &plan);
	assert_true(plan.refused);
	assert_non_null(strstr(plan.why, "Locked"));
}

static void test_tzen_rules(void **state)
{
	static const struct {
		uint8_t ps, from, to;
		bool refused;
	} cases[] = {
		{ 0xed, 0xc3, 0xb4, false }, { 0x17, 0xc3, 0xb4, false }, { 0x2e, 0xc3, 0xb4, true },
		{ 0x72, 0xc3, 0xb4, true },  { 0x17, 0xb4, 0xc3, false }, { 0xed, 0xb4, 0xc3, true },
		{ 0xc6, 0xb4, 0xc3, true },  { 0x17, 0xb4, 0x00, true },  { 0xed, 0xc3, 0xc3, false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		plan_ps(cases[i].ps, cases[i].ps, cases[i].from);
		set_prg("TZEN", cases[i].to);
		optbytes_h5_plan_change(&ob, &plan);
		if (plan.refused != cases[i].refused)
			fail_msg("case %zu: refused = %d (%s)", i, plan.refused, plan.why);
	}
}

static void test_encodings_and_locks(void **state)
{
	static const struct {
		const char *name;
		uint32_t value;
	} bad[] = { { "BOOT_UBE", 0x11 }, { "NSBOOT_LOCK", 0x55 }, { "SECBOOT_LOCK", 0 }, { "TZEN", 0xff } };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		plan_ps(0xed, 0xed, 0xc3);
		set_prg(bad[i].name, bad[i].value);
		optbytes_h5_plan_change(&ob, &plan);
		assert_true(plan.refused);
		assert_non_null(strstr(plan.why, bad[i].name));
	}
	plan_ps(0x17, 0x17, 0xc3);
	set_both("NSBOOT_LOCK", 0xb4);
	set_prg("NSBOOTADD", 0x080100);
	optbytes_h5_plan_change(&ob, &plan);
	assert_true(plan.refused);
	set_prg("NSBOOTADD", 0x080000);
	set_prg("SWAP_BANK", 1);
	optbytes_h5_plan_change(&ob, &plan);
	assert_true(plan.refused);
	set_prg("SWAP_BANK", 0);
	set_prg("NSBOOT_LOCK", 0xc3); /* releasing a lock outside Open (chosen: refused) */
	optbytes_h5_plan_change(&ob, &plan);
	assert_true(plan.refused);
	set_both("PRODUCT_STATE", 0xed);
	optbytes_h5_plan_change(&ob, &plan);
	assert_false(plan.refused);
	plan_ps(0xed, 0xed, 0xc3);
	set_both("SECBOOT_LOCK", 0xb4);
	set_prg("BOOT_UBE", 0xc3);
	optbytes_h5_plan_change(&ob, &plan);
	assert_true(plan.refused);
	set_prg("BOOT_UBE", 0xb4);
	set_prg("NSBOOTADD", 0x080400); /* NSBOOTADD is not under SECBOOT_LOCK */
	optbytes_h5_plan_change(&ob, &plan);
	assert_false(plan.refused);
}

static void test_counters_and_commit(void **state)
{
	plan_ps(0xed, 0xed, 0xc3);
	set_both("LOCKBL", 0x5);
	set_prg("LOCKBL", 0x4);
	optbytes_h5_plan_change(&ob, &plan);
	assert_true(plan.refused); /* a locked OTP block stays locked */
	set_prg("LOCKBL", 0x7);
	set_both("NS_EPOCH", 10);
	set_prg("NS_EPOCH", 9);
	optbytes_h5_plan_change(&ob, &plan);
	assert_true(plan.refused);
	set_prg("NS_EPOCH", 11);
	set_prg("PRODUCT_STATE", 0x72); /* lands in Provisioning */
	optbytes_h5_plan_change(&ob, &plan);
	assert_false(plan.refused);
	ob.prg[OB5_OPTSR2] |= 0x00ff0000u; /* no fields there */
	optbytes_h5_commit(&ob, &plan);
	assert_int_equal(optbytes_h5_field_get(ob.cur, field("LOCKBL")), 7);
	assert_int_equal(optbytes_h5_field_get(ob.cur, field("NS_EPOCH")), 11);
	assert_int_equal(optbytes_h5_product_state(&ob), 0x17);
	assert_int_equal(ob.cur[OB5_OPTSR2], 0xc300007c);
	assert_memory_equal(ob.cur, ob.prg, sizeof(ob.cur));
	plan.refused = true;
	set_prg("BOR_LEV", 3);
	optbytes_h5_commit(&ob, &plan); /* a refused plan commits nothing */
	assert_int_equal(optbytes_h5_field_get(ob.cur, field("BOR_LEV")), 0);
	optbytes_h5_reload(&ob);
	assert_memory_equal(ob.cur, ob.prg, sizeof(ob.cur));
	optbytes_h5_force_product_state(&ob, 0x9a);
	assert_int_equal(optbytes_h5_product_state(&ob), 0x9a);
	assert_int_equal(optbytes_h5_field_get(ob.prg, field("PRODUCT_STATE")), 0x9a);
}

static void test_sector_queries(void **state)
{
	optbytes_h5_init(&ob, OB5_V484, 128);
	ob.cur[OB5_WRP2R] = 0xfffffffe; /* group 0: sectors 0..3 */
	assert_true(optbytes_h5_sector_wrp(&ob, 1, 3, 4));
	assert_false(optbytes_h5_sector_wrp(&ob, 1, 4, 4));
	assert_false(optbytes_h5_sector_wrp(&ob, 0, 0, 4));
	assert_false(optbytes_h5_sector_in_secwm(&ob, 0, 1)); /* STRT 1 > END 0: disabled */
	ob.cur[OB5_SECWM1R] = 0x00050002;
	assert_false(optbytes_h5_sector_in_secwm(&ob, 0, 1));
	assert_true(optbytes_h5_sector_in_secwm(&ob, 0, 2));
	assert_true(optbytes_h5_sector_in_secwm(&ob, 0, 5));
	assert_false(optbytes_h5_sector_in_secwm(&ob, 0, 6));
	assert_false(optbytes_h5_sector_in_secwm(&ob, 1, 2));
	optbytes_h5_init(&ob, OB5_V474, 8);
	assert_false(optbytes_h5_sector_in_secwm(&ob, 0, 0));
}

/* ------------------------------------------------- through the flash -- */

static void test_option_change_sequence(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, NULL);
	unsigned long before = sim_log_guest_error_count();

	h5_wr(f, WRP1R_PRG, 0xfffffff0); /* OPTLOCK set: ignored */
	assert_int_equal(sim_log_guest_error_count(), before + 1);
	h5_unlock_opt(f);
	h5_wr(f, WRP1R_PRG, 0xfffffff0);
	h5_wr(f, NSEPOCHR_PRG, 0xff000005); /* field bits only */
	assert_int_equal(h5_rd(f, NSEPOCHR_PRG), 5);
	h5_wr(f, OPTCR, OPTSTRT); /* NSCR still locked (chosen: PGSERR) */
	assert_int_equal(h5_rd(f, NSSR), PGSERR);
	assert_false(flash_h5_busy(f));
	h5_wr(f, NSCCR, PGSERR);
	h5_unlock_ns(f);
	h5_wr(f, OPTCR, OPTSTRT);
	assert_int_equal(h5_rd(f, OPTCR), OPTSTRT);
	assert_int_equal(h5_rd(f, NSSR), BSY);
	h5_wr(f, WRP1R_PRG, 0); /* _PRG locked while the change runs */
	assert_int_equal(h5_rd(f, WRP1R_PRG), 0xfffffff0);
	h5_wr(f, OPTCR, OPTSTRT); /* again while busy */
	assert_int_equal(h5_rd(f, NSSR), BSY | PGSERR);
	sim_clock_advance(T_OPT - 1);
	assert_int_equal(h5_rd(f, WRP1R_CUR), 0xffffffff);
	sim_clock_advance(1);
	assert_int_equal(h5_rd(f, NSSR), PGSERR); /* no EOP for option changes (chosen) */
	assert_int_equal(h5_rd(f, OPTCR), 0);
	assert_int_equal(h5_rd(f, WRP1R_CUR), 0xfffffff0);
	assert_int_equal(h5_rd(f, 0x60), 5); /* NSEPOCHR_CUR */
	assert_false(flash_h5_take_reset_request(f));
	assert_int_equal(flash_h5_busy_total_us(f), T_OPT);
	/* The new protection is in force at once. */
	h5_wr(f, NSCCR, ALL_FLAGS);
	h5_wr(f, NSCR, SER | SNB(15) | STRT);
	assert_int_equal(h5_rd(f, NSSR), WRPERR);
	flash_h5_destroy(f);
}

static void test_option_change_refused(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, NULL);

	h5_set_ps(f, 0x17);
	assert_int_equal(flash_h5_product_state(f), 0x17);
	assert_true(flash_h5_take_reset_request(f));
	assert_false(flash_h5_take_reset_request(f)); /* reading clears it */
	h5_set_ps(f, 0xed); /* backwards */
	assert_int_equal(h5_rd(f, NSSR), OPTCHANGEERR);
	assert_int_equal(flash_h5_product_state(f), 0x17);
	assert_int_equal(h5_rd(f, OPTSR_PRG) >> 8 & 0xff, 0xed); /* _PRG keeps the request */
	assert_false(flash_h5_take_reset_request(f));
	h5_wr(f, OPTCR, OPTSTRT); /* cannot be set while OPTCHANGEERR is */
	assert_int_equal(h5_rd(f, OPTCR), 0);
	assert_false(flash_h5_busy(f));
	h5_wr(f, NSCCR, OPTCHANGEERR);
	assert_int_equal(h5_rd(f, NSSR), 0);
	h5_wr(f, NSCR, 1u << 23); /* OPTCHANGEERRIE */
	assert_int_equal(h5_rd(f, NSCR), 1u << 23);
	flash_h5_system_reset(f);
	assert_int_equal(h5_rd(f, OPTSR_PRG) >> 8 & 0xff, 0x17); /* reloaded from _CUR */
	flash_h5_destroy(f);
}

static void test_open_to_tz_closed_lands_in_provisioning(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, "TZEN = 0xB4\n");

	h5_set_ps(f, H5PS_TZ_CLOSED); /* field report seed 004 */
	assert_int_equal(h5_rd(f, NSSR), 0);
	assert_int_equal(flash_h5_product_state(f), H5PS_PROVISIONING);
	assert_true(flash_h5_take_reset_request(f));
	flash_h5_system_reset(f);
	h5_set_ps(f, H5PS_TZ_CLOSED);
	assert_int_equal(flash_h5_product_state(f), H5PS_TZ_CLOSED);
	assert_true(flash_h5_take_reset_request(f));
	flash_h5_system_reset(f);
	h5_set_ps(f, H5PS_LOCKED);
	assert_int_equal(flash_h5_product_state(f), H5PS_LOCKED);
	flash_h5_system_reset(f);
	h5_option(f, WRP1R_PRG, 0); /* Locked: every change refused */
	assert_int_equal(h5_rd(f, NSSR), OPTCHANGEERR);
	assert_int_equal(h5_rd(f, WRP1R_CUR), 0xffffffff);
	flash_h5_destroy(f);
}

static void test_reset_cuts_option_change(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, NULL);

	h5_unlock_ns(f);
	h5_unlock_opt(f);
	h5_wr(f, OPTSR_PRG, (h5_rd(f, OPTSR_CUR) & ~0xff00u) | 0x1700u);
	h5_wr(f, OPTCR, OPTSTRT);
	sim_clock_advance(T_OPT / 2);
	flash_h5_system_reset(f);
	assert_int_equal(flash_h5_product_state(f), H5PS_OPEN);
	assert_int_equal(h5_rd(f, OPSR), 6u << 29);
	assert_int_equal(h5_rd(f, OPTSR_PRG) >> 8 & 0xff, 0xed);
	assert_false(flash_h5_take_reset_request(f));
	flash_h5_destroy(f);
}

/* ------------------------------------------------------- regressions -- */

#define DATA "flash.fill = 0x08000000 0x4000 0x11\nflash.fill = 0x081fc000 0x4000 0x22\n" \
	     "otp.fill = 0x08fff100 0x20 0x33\n"

static void test_full_regression(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, "PRODUCT_STATE = 0x17\nWRPSG1 = 0\nobk.da_password = unbrick-me-2026\n" DATA);
	flash_h5_credential cred;

	flash_h5_da_credential(f, &cred);
	assert_int_equal(cred.kind, FLASH_H5_CRED_PASSWORD);
	flash_h5_start_full_regression(f);
	assert_int_equal(flash_h5_product_state(f), H5PS_REGRESSION);
	assert_true(flash_h5_busy(f));
	h5_unlock_ns(f);
	h5_unlock_opt(f);
	h5_wr(f, OPTCR, OPTSTRT); /* the ROM owns the flash */
	assert_int_equal(h5_rd(f, NSSR), BSY | PGSERR);
	sim_clock_advance(128 * T_SECTOR - 1);
	assert_false(flash_h5_take_reset_request(f));
	assert_int_equal(h5_mem(f, 0x08000000, false, SIM_BUS_OK), 0x11111111);
	sim_clock_advance(1);
	flash_h5_update(f, sim_now_us());
	assert_int_equal(flash_h5_product_state(f), H5PS_OPEN);
	assert_true(flash_h5_take_reset_request(f));
	assert_int_equal(h5_mem(f, 0x08000000, false, SIM_BUS_OK), 0xffffffff); /* WRP does not stop it */
	assert_int_equal(h5_mem(f, 0x081ffffc, false, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(h5_mem(f, 0x0bfd0100, false, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(h5_mem(f, 0x08fff100, false, SIM_BUS_OK), 0x33333333); /* OTP stays */
	flash_h5_da_credential(f, &cred);
	assert_int_equal(cred.kind, FLASH_H5_CRED_NONE);
	assert_int_equal(h5_rd(f, WRP1R_CUR), 0); /* other option bytes keep their values (docs §6) */
	assert_int_equal(flash_h5_busy_total_us(f), 128 * T_SECTOR);
	flash_h5_destroy(f);
}

static void test_partial_regression(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, "TZEN = 0xB4\nPRODUCT_STATE = 0x72\nSECWM1_STRT = 0\nSECWM1_END = 1\n"
				 "SECWM2_STRT = 1\nSECWM2_END = 0\nobk.da_password = unbrick-me-2026\n" DATA);
	flash_h5_credential cred;

	flash_h5_start_partial_regression(f);
	assert_int_equal(flash_h5_product_state(f), H5PS_NS_REGRESSION);
	sim_clock_advance(128 * T_SECTOR);
	flash_h5_update(f, sim_now_us());
	assert_int_equal(flash_h5_product_state(f), H5PS_TZ_CLOSED);
	assert_true(flash_h5_take_reset_request(f));
	assert_int_equal(h5_mem(f, 0x0c000000, true, SIM_BUS_OK), 0x11111111); /* secure sectors 0, 1 kept */
	assert_int_equal(h5_mem(f, 0x0c003ffc, true, SIM_BUS_OK), 0x11111111);
	assert_int_equal(h5_mem(f, 0x0c004000, true, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(h5_mem(f, 0x081fc000, false, SIM_BUS_OK), 0xffffffff); /* bank 2: all non-secure */
	flash_h5_da_credential(f, &cred); /* OBK kept */
	assert_int_equal(cred.kind, FLASH_H5_CRED_PASSWORD);
	flash_h5_destroy(f);
	/* TrustZone off: there is no partial regression. */
	f = h5_make(0x484, 2048, "PRODUCT_STATE = 0x72\n");
	flash_h5_start_partial_regression(f);
	assert_false(flash_h5_busy(f));
	assert_int_equal(flash_h5_product_state(f), H5PS_CLOSED);
	flash_h5_destroy(f);
}

static void test_regression_cut_and_resumed(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, "PRODUCT_STATE = 0x72\n" DATA);

	flash_h5_start_full_regression(f);
	sim_clock_advance(64 * T_SECTOR + T_SECTOR / 2); /* half way: bank 2's last sectors not reached */
	flash_h5_power_on(f);
	assert_int_equal(flash_h5_product_state(f), H5PS_REGRESSION);
	assert_true(flash_h5_busy(f)); /* the ROM resumed it at power-on */
	assert_false(flash_h5_take_reset_request(f));
	assert_int_equal(h5_mem(f, 0x08000000, false, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(h5_mem(f, 0x081fc000, false, SIM_BUS_OK), 0x22222222);
	sim_clock_advance(10);
	flash_h5_system_reset(f); /* cut again right away: still resumes */
	assert_int_equal(flash_h5_product_state(f), H5PS_REGRESSION);
	sim_clock_advance(128 * T_SECTOR);
	flash_h5_update(f, sim_now_us());
	assert_int_equal(flash_h5_product_state(f), H5PS_OPEN);
	assert_true(flash_h5_take_reset_request(f));
	assert_int_equal(h5_mem(f, 0x081fc000, false, SIM_BUS_OK), 0xffffffff);
	assert_int_equal(flash_h5_busy_total_us(f), 64 * T_SECTOR + T_SECTOR / 2 + 10 + 128 * T_SECTOR);
	flash_h5_destroy(f);
	/* A chip found in Regression (a scenario) finishes it at power-on. */
	f = h5_make(0x484, 2048, "PRODUCT_STATE = 0x9A\nflash.fill = 0x08000000 0x10 0x5\n");
	assert_true(flash_h5_busy(f));
	sim_clock_advance(128 * T_SECTOR);
	flash_h5_update(f, sim_now_us());
	assert_int_equal(flash_h5_product_state(f), H5PS_OPEN);
	assert_int_equal(h5_mem(f, 0x08000000, false, SIM_BUS_OK), 0xffffffff);
	flash_h5_destroy(f);
}

static void test_regression_cuts_running_operation(void **state)
{
	flash_h5 *f = h5_make(0x484, 2048, "PRODUCT_STATE = 0x17\n");

	h5_unlock_ns(f);
	h5_wr(f, NSCR, SER | SNB(0) | STRT);
	sim_clock_advance(T_SECTOR / 2);
	flash_h5_start_full_regression(f);
	assert_int_equal(h5_rd(f, OPSR), 3u << 29); /* the cut sector erase */
	assert_int_equal(h5_rd(f, NSCR) & STRT, 0);
	sim_clock_advance(128 * T_SECTOR);
	flash_h5_update(f, sim_now_us());
	assert_int_equal(flash_h5_product_state(f), H5PS_OPEN);
	assert_int_equal(flash_h5_busy_total_us(f), T_SECTOR / 2 + 128 * T_SECTOR);
	flash_h5_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_factory_values),
		cmocka_unit_test(test_register_table),
		cmocka_unit_test(test_field_table),
		cmocka_unit_test(test_product_state_rules),
		cmocka_unit_test(test_tzen_rules),
		cmocka_unit_test(test_encodings_and_locks),
		cmocka_unit_test(test_counters_and_commit),
		cmocka_unit_test(test_sector_queries),
		cmocka_unit_test(test_option_change_sequence),
		cmocka_unit_test(test_option_change_refused),
		cmocka_unit_test(test_open_to_tz_closed_lands_in_provisioning),
		cmocka_unit_test(test_reset_cuts_option_change),
		cmocka_unit_test(test_full_regression),
		cmocka_unit_test(test_partial_regression),
		cmocka_unit_test(test_regression_cut_and_resumed),
		cmocka_unit_test(test_regression_cuts_running_operation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
