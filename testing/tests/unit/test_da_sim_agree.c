/*
 * The host side of STM32H5 debug authentication (src/target/adac_mailbox.c, da_auth.c, da_cmd.c)
 * against the simulator's device side (testing/sim/da_device.c + da_auth.c), in one process: the
 * fake OpenOCD of fake_openocd.h routes AP0's DBGMCU to the simulator's mailbox, NRST to its reset
 * hooks and `sleep` to its clock.  Both sides were written from docs/h5-debug-authentication.md by
 * different people; these tests prove they agree on the handshake, the framing, Discovery and every
 * kind of authentication.  DBGMCU_IDCODE/SR and the regression's effect are the chip's business; a
 * few lines here stand in for it.
 */
#include "da_host_testutil.h"

#include "da_device.h"
#include "fake_openocd.h"
#include "ocd_bridge.h"

#define SIM_DBGMCU_ST 0xE0044000u
#define SIM_DBGMCU_RM 0xE00E4000u
#define SIM_ACCESS_US 30u           /* simulated time one AP access takes */

typedef struct simfx {
	Jim_Interp *interp;
	ocd_bridge b;
	da_device *dev;
	uint8_t product_state;
	bool tz;
	flash_h5_credential cred;
	int regressions;
	bool partial;
	int gap_reads;                  /* SR reads with AP1 off after a regression started */
	uint32_t sr;
} simfx;

/* ---- the chip around the DA block ------------------------------------------------------------ */

static uint8_t env_product_state(void *ctx) { return ((simfx *)ctx)->product_state; }
static bool env_tz(void *ctx) { return ((simfx *)ctx)->tz; }
static void env_credential(void *ctx, flash_h5_credential *out) { *out = ((simfx *)ctx)->cred; }

static void env_regression(void *ctx, bool partial)
{
	simfx *fx = ctx;

	fx->regressions++;
	fx->partial = partial;
	fx->gap_reads = 3;          /* AP1 off while erasing and rebooting, then the new state opens it */
	fx->product_state = partial ? 0xC6 : 0xED;
}

static uint32_t dbgmcu_sr(simfx *fx)
{
	if (fx->gap_reads > 0) {
		fx->gap_reads--;
		return fx->sr & ~(1u << 17);
	}
	return fx->regressions ? fx->sr | (1u << 17) : fx->sr;
}

static void tick(simfx *fx, sim_time_us us)
{
	sim_clock_advance(us);
	da_device_update(fx->dev, sim_now_us());
}

static int sim_read(simfx *fx, uint32_t addr, uint32_t *v)
{
	uint32_t base = addr & ~0xFFFu, off = addr & 0xFFFu;

	tick(fx, SIM_ACCESS_US);
	if (base != SIM_DBGMCU_ST && base != SIM_DBGMCU_RM)
		return -1;
	if (off == 0x000) {
		*v = 0x10010484u;
		return 0;
	}
	if (off == 0x0FC) {
		*v = dbgmcu_sr(fx);
		return 0;
	}
	return da_mailbox_read(fx->dev, off, v) == SIM_BUS_OK ? 0 : -1;
}

static int sim_write(simfx *fx, uint32_t addr, uint32_t v)
{
	tick(fx, SIM_ACCESS_US);
	if ((addr & ~0xFFFu) != SIM_DBGMCU_ST && (addr & ~0xFFFu) != SIM_DBGMCU_RM)
		return -1;
	return da_mailbox_write(fx->dev, addr & 0xFFFu, v) == SIM_BUS_OK ? 0 : -1;
}

/* `simda_mem read_memory ADDR 32 N` / `simda_mem write_memory ADDR 32 LIST` */
static int simda_mem(Jim_Interp *interp, int argc, Jim_Obj *const *argv)
{
	simfx *fx = Jim_CmdPrivData(interp);
	jim_wide addr, n, v;
	Jim_Obj *out = Jim_NewListObj(interp, NULL, 0);
	bool rd = argc == 5 && !strcmp(Jim_String(argv[1]), "read_memory");

	if (argc != 5 || Jim_GetWide(interp, argv[2], &addr) != JIM_OK)
		goto fail;
	n = rd ? 0 : Jim_ListLength(interp, argv[4]);
	if (rd && Jim_GetWide(interp, argv[4], &n) != JIM_OK)
		goto fail;
	for (jim_wide i = 0; i < n; i++) {
		uint32_t w = 0;

		if (rd) {
			if (sim_read(fx, (uint32_t)(addr + 4 * i), &w))
				goto fail;
			Jim_ListAppendElement(interp, out, Jim_NewIntObj(interp, w));
		} else if (Jim_GetWide(interp, Jim_ListGetIndex(interp, argv[4], (int)i), &v) != JIM_OK ||
			   sim_write(fx, (uint32_t)(addr + 4 * i), (uint32_t)v)) {
			goto fail;
		}
	}
	if (rd) {
		Jim_SetResult(interp, out);
	} else {
		Jim_FreeNewObj(interp, out);
		Jim_SetEmptyResult(interp);
	}
	return JIM_OK;
fail:
	Jim_FreeNewObj(interp, out);
	Jim_SetResultString(interp, "failed to access memory", -1);
	return JIM_ERR;
}

static int simda_srst(Jim_Interp *interp, int argc, Jim_Obj *const *argv)
{
	simfx *fx = Jim_CmdPrivData(interp);

	tick(fx, SIM_ACCESS_US);
	if (!strcmp(Jim_String(argv[1]), "assert"))
		da_device_reset_assert(fx->dev);
	else
		da_device_reset_release(fx->dev, sim_now_us());
	return JIM_OK;
}

static int simda_sleep(Jim_Interp *interp, int argc, Jim_Obj *const *argv)
{
	jim_wide ms = 0;

	Jim_GetWide(interp, argv[1], &ms);
	tick(Jim_CmdPrivData(interp), (sim_time_us)ms * 1000u);
	return JIM_OK;
}

static const char glue[] =
	"rename fake_memap fake_memap_plain\n"
	"proc fake_memap {name apnum sub args} {\n"
	"  lappend ::calls [list $name $sub {*}$args]\n"
	"  if {$sub eq {arp_examine}} { return {} }\n"
	"  if {$apnum != 0} { return -code -4 {not modelled} }\n"
	"  if {[catch {simda_mem $sub {*}$args} out]} { return -code -4 $out }\n"
	"  return $out\n"
	"}\n"
	/* OpenOCD sleeps `adapter srst delay` after every release. */
	"proc adapter {op args} {\n"
	"  if {$op eq {srst}} { return [fake_srst_delay {*}$args] }\n"
	"  lappend ::calls [list adapter $op {*}$args]; simda_srst $op\n"
	"  if {$op eq {deassert} && $::srst_delay} { simda_sleep $::srst_delay }\n"
	"  return {}\n"
	"}\n"
	"proc sleep {ms} { lappend ::calls [list sleep $ms]; simda_sleep $ms; return {} }\n"
	"proc transport {sub} { return jtag }\n"
	"proc jtag {sub} { lappend ::calls [list jtag $sub]; return {} }\n"
	"proc dap {sub} { if {$sub eq {names}} { return $::daps }; lappend ::calls [list dap $sub]; return {} }\n"
	"fake_make_memap x.ap1 1\n";

static int setup(void **state)
{
	simfx *fx = calloc(1, sizeof(*fx));
	da_device_env env = { 0 };

	assert_non_null(fx);
	sim_clock_freeze(0);
	env.ctx = fx;
	env.dev_id = 0x484;
	for (int i = 0; i < 12; i++)
		env.uid[i] = (uint8_t)(0x10 + i);
	env.product_state = env_product_state;
	env.tz_enabled = env_tz;
	env.credential = env_credential;
	env.regression = env_regression;
	fx->dev = da_device_create(&env);
	assert_non_null(fx->dev);
	da_device_power_on(fx->dev);
	fx->product_state = 0x72;       /* Closed: AP1 off (facts B.3) */
	fx->sr = 0x00010003u;
	fx->cred.kind = FLASH_H5_CRED_PASSWORD;
	fx->cred.permissions = 1;
	assert_int_equal(EVP_Digest(PASSWORD, strlen(PASSWORD), fx->cred.hash, NULL, EVP_sha256(), NULL), 1);

	fx->interp = fake_openocd_new();
	Jim_CreateCommand(fx->interp, "simda_mem", simda_mem, fx, NULL);
	Jim_CreateCommand(fx->interp, "simda_srst", simda_srst, fx, NULL);
	Jim_CreateCommand(fx->interp, "simda_sleep", simda_sleep, fx, NULL);
	fake_eval(fx->interp, glue);
	ocd_bridge_init(&fx->b, fx->interp);
	assert_int_equal(ocd_bridge_set_dap(&fx->b, "x.dap"), UB_OK);
	assert_int_equal(ocd_bridge_set_memap(&fx->b, ub_ap_num(0), "x.ap0"), UB_OK);
	assert_int_equal(ocd_bridge_set_memap(&fx->b, ub_ap_num(1), "x.ap1"), UB_OK);
	Jim_CreateCommand(fx->interp, "da", da_dispatch, &fx->b, NULL);
	*state = fx;
	return 0;
}

/* The simulator's own account: no host word lost, and the session over. */
static int teardown(void **state)
{
	simfx *fx = *state;
	char *json = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&json, &len);
	json_out j;

	assert_non_null(f);
	json_init(&j, f);
	json_begin_object(&j, NULL);
	da_device_write_json(fx->dev, &j);
	json_end_object(&j);
	fclose(f);
	assert_contains(json, "\"words_lost\": 0");
	assert_false(da_device_active(fx->dev));
	free(json);
	da_device_destroy(fx->dev);
	Jim_FreeInterp(fx->interp);
	free(fx);
	return 0;
}

static void use_certificate(simfx *fx)
{
	fx->tz = true;
	fx->cred.kind = FLASH_H5_CRED_CERT_ROOT;
	fx->cred.permissions = 3;
	root_hash_from_fixture(fx->cred.hash);
}

/* ---- the two sides together ------------------------------------------------------------------ */

static void test_discover(void **state)
{
	simfx *fx = *state;
	const char *res;

	assert_int_equal(da_run(fx->interp, "set r [da discover]; list [dict get $r dev_id] [dict get $r soc_id] "
				"[dict get $r product_state_name] [dict get $r tzen] [dict get $r credential] "
				"[dict get $r psa_lifecycle] [dict get $r auth_version] [dict get $r sda_version] "
				"[dict get $r cryptosystems] [dict get $r token_formats] [dict get $r cert_formats]",
				&res), JIM_OK);
	assert_string_equal(res, "0x484 101112131415161718191a1b00000000 Closed 0xc3 password 0x3000 1.0 2.4.0 "
			    "{0x01 0x80} 0x0200 0x0202");
	assert_true(da_device_take_resume(fx->dev));   /* the session ended with Resume boot */
}

static void test_password_regression(void **state)
{
	simfx *fx = *state;
	const char *res;

	assert_int_equal(da_run(fx->interp, "dict remove [da regress -password " FIX("password.bin")
				"] duration_ms", &res), JIM_OK);
	assert_string_equal(res, "kind password partial 0 status SUCCESS");
	assert_no_secret_anywhere(fx->interp, res);
	assert_int_equal(fx->regressions, 1);
	assert_false(fx->partial);
	assert_false(da_device_take_resume(fx->dev));   /* the regression, not Resume boot, ended it */
}

static void test_wrong_password(void **state)
{
	simfx *fx = *state;
	const char *res;

	assert_int_equal(da_run(fx->interp, "da regress -password " FIX("wrong-password.bin"), &res), JIM_ERR);
	assert_string_equal(res, "debug authentication refused (UNAUTHORIZED): the password was not accepted; "
			    "nothing was changed");
	assert_int_equal(fx->regressions, 0);
	assert_true(da_device_take_resume(fx->dev));
}

static void test_certificate_regressions(void **state)
{
	simfx *fx = *state;
	const char *res;

	use_certificate(fx);
	assert_int_equal(da_run(fx->interp, "dict get [da regress -cert " FIX("chain.pem") " -key "
				FIX("leaf.key.pem") "] kind", &res), JIM_OK);
	assert_string_equal(res, "certificate");
	assert_int_equal(fx->regressions, 1);
	assert_false(fx->partial);

	fx->product_state = 0x72;
	fx->regressions = 0;
	assert_int_equal(da_run(fx->interp, "dict get [da regress -cert " FIX("chain.pem") " -key "
				FIX("leaf.key.pem") " -partial] partial", &res), JIM_OK);
	assert_string_equal(res, "1");
	assert_int_equal(fx->regressions, 1);
	assert_true(fx->partial);
}

static void test_certificate_of_another_root(void **state)
{
	simfx *fx = *state;
	const char *res;

	use_certificate(fx);
	fx->cred.hash[31] ^= 0x80;
	assert_int_equal(da_run(fx->interp, "da regress -cert " FIX("chain.pem") " -key " FIX("leaf.key.pem"), &res),
			 JIM_ERR);
	assert_contains(res, "refused (UNAUTHORIZED): the key or certificate chain was not accepted");
	assert_int_equal(fx->regressions, 0);
	assert_true(da_device_take_resume(fx->dev));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_discover, setup, teardown),
		cmocka_unit_test_setup_teardown(test_password_regression, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_password, setup, teardown),
		cmocka_unit_test_setup_teardown(test_certificate_regressions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_certificate_of_another_root, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
