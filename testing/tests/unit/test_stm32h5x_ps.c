/*
 * Unit tests of the STM32H5 product-state, credential and provisioning side of the driver
 * (src/flash/nor/stm32h5x_ps.c) and of `h5 product_state`, `h5 credentials`, `h5 da_provision`,
 * against the fake H5 (fake_h5_chip.h, fake_h5_bus.h).  Certificates come from
 * testing/fixtures/da (found through $top_srcdir, as the test harness exports it); their root-key
 * hashes are computed here with OpenSSL, independently of src/target/da_auth.c.
 */
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "h5_test_util.h"

#define OBK_S   0x0FFD0100u
#define NSOBKKEYR (FH5_NS + 0x10)
#define SECOBKKEYR (FH5_S + 0x14)

static const char password[] = "unbrick-me-2026";

static fixture *fx_ps(uint16_t dev_id, uint8_t ps, uint8_t tzen)
{
	fixture *fx = fx_new(dev_id, dev_id == 0x474 ? 128 : 2048, ps, tzen);
	h5_ok(fx, "identify");
	return fx;
}

static int setup_prov(void **state)
{
	*state = fx_ps(0x484, 0x17, 0xC3);
	return 0;
}

static int setup_prov_tz(void **state)
{
	*state = fx_ps(0x484, 0x17, 0xB4);
	return 0;
}

static int setup_open(void **state)
{
	*state = fx_ps(0x484, 0xED, 0xC3);
	return 0;
}

/* A fixture file: $top_srcdir/testing/fixtures/da/NAME. */
static const char *da_fixture(const char *name)
{
	static char path[512];
	const char *top = getenv("top_srcdir");

	if (!top)
		fail_msg("top_srcdir is not set (the test harness exports it): no testing/fixtures/da/%s", name);
	snprintf(path, sizeof(path), "%s/testing/fixtures/da/%s", top, name);
	return path;
}

/* SHA-256 of the first certificate's DER SubjectPublicKeyInfo (docs section 7). */
static void root_key_hash(const char *pem, uint8_t out[32])
{
	FILE *f = fopen(pem, "r");
	unsigned char *der = NULL;

	assert_non_null(f);
	X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(x);
	int n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
	assert_true(n > 0);
	sha256(der, (size_t)n, out);
	OPENSSL_free(der);
	X509_free(x);
}

/* The password, written with echo's newline (stripped by the file rules), into ::pw. */
static void fx_password_file(fixture *fx, const char *pw)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s\n", pw);
	Jim_SetVariableStrWithStr(fx->interp, "::pw", fx_file(fx, ".txt", buf, strlen(buf)));
}

static void put_password_record(fixture *fx)
{
	uint8_t h[32];

	sha256(password, strlen(password), h);
	fx_put_record(fx, 1, 1, h);
}

/* ---- product state ------------------------------------------------------------------------------ */

static void test_product_state_read(void **state)
{
	fixture *fx = *state;

	h5_ok(fx, "product_state");
	assert_string_equal(r_get(fx, "code"), "0xed");
	assert_string_equal(r_get(fx, "name"), "Open");
	assert_string_equal(r_get(fx, "tzen"), "0xc3");
	fixture *h503 = fx_ps(0x474, 0x17, 0);
	h5_ok(h503, "product_state");
	assert_string_equal(r_get(h503, "name"), "Provisioning");
	assert_string_equal(r_get(h503, "tzen"), "");
	fx_free((void **)&h503);
}

static void test_open_to_provisioning_resets_and_confirms(void **state)
{
	fixture *fx = *state;
	fh5 *m = &fx->w.m;

	h5_ok(fx, "product_state provisioning");
	assert_string_equal(r_get(fx, "from"), "0xed");
	assert_string_equal(r_get(fx, "to"), "0x17");
	assert_int_equal(r_long(fx, "confirmed"), 1);
	assert_int_equal(r_long(fx, "ap1"), 1);
	assert_int_equal(m->option_changes, 1);
	assert_int_equal(m->resets, 1);
	assert_true(m->dap_inits >= 1);
	long prg = ev_find(m, 0, 'W', FH5_NS + 0x54);
	assert_true(prg >= 0 && ((m->ev[prg].value >> 8) & 0xFF) == 0x17);
	assert_int_equal(m->csw[1], 0xa2000000);
	/* Asking for the state it is in changes nothing. */
	h5_ok(fx, "product_state 0x17");
	assert_int_equal(r_long(fx, "confirmed"), 1);
	assert_int_equal(m->option_changes, 1);
}

static void test_refusals_leave_the_chip_alone(void **state)
{
	fixture *fx = *state;
	fh5 *m = &fx->w.m;

	h5_err(fx, "product_state Closed", "no debug-authentication credentials");
	put_password_record(fx);
	h5_err(fx, "product_state Closed", "not verified");
	fx_password_file(fx, "not-the-password");
	h5_err(fx, "product_state Closed -password [set ::pw]", "does not match a DA password hash in OBK");
	assert_error_mentions("0x0ffd0100");
	fx_password_file(fx, password);
	h5_err(fx, "product_state Locked -password [set ::pw]", "irreversible");
	h5_err(fx, "product_state Open -password [set ::pw]", "goes backwards");
	h5_err(fx, "product_state Regression", "boot ROM");
	h5_err(fx, "product_state TZ-Closed -password [set ::pw]", "TrustZone enabled");
	assert_int_equal(m->option_changes, 0);
	assert_int_equal(m->resets, 0);
	/* Argument errors, found before anything reaches the chip. */
	size_t nev = m->nev;
	h5_err(fx, "product_state 0x99", "not a product state");
	h5_err(fx, "product_state Sleeping", "not a product state");
	h5_err(fx, "product_state Closed -password [set ::pw] -cert [set ::pw]", "not both");
	h5_err(fx, "product_state Closed -timeout", "wants 1 value");
	fx_password_file(fx, "abc");
	h5_err(fx, "product_state Closed -password [set ::pw]", "3");
	assert_int_equal(m->nev, nev);
}

static void test_closing_with_the_right_password_loses_ap1(void **state)
{
	fixture *fx = *state;
	fh5 *m = &fx->w.m;

	put_password_record(fx);
	fx_password_file(fx, password);
	h5_ok(fx, "product_state Closed -password [set ::pw]");
	assert_string_equal(r_get(fx, "from"), "0x17");
	assert_string_equal(r_get(fx, "to"), "0x72");
	assert_int_equal(r_long(fx, "confirmed"), 0);
	assert_int_equal(r_long(fx, "ap1"), 0);
	assert_int_equal(m->cur[0x50 / 4] >> 8 & 0xFF, 0x72);
	assert_int_equal(m->resets, 1);
	h5_ok(fx, "identify");
	assert_int_equal(r_long(fx, "ap1"), 0);
}

static void test_tz_closed_with_a_certificate(void **state)
{
	fixture *fx = *state;
	uint8_t h[32];

	root_key_hash(da_fixture("root.cert.pem"), h);
	fx_put_record(fx, 2, 3, h);
	Jim_SetVariableStrWithStr(fx->interp, "::c", da_fixture("chain.pem"));
	h5_err(fx, "product_state TZ-Closed -password [set ::c]", "a password is 4..16 bytes");
	h5_err(fx, "product_state TZ-Closed", "not verified");
	h5_ok(fx, "product_state TZ-Closed -cert [set ::c]");
	assert_string_equal(r_get(fx, "to"), "0xc6");
	/* TZ-Closed keeps non-secure debug: AP1 answers the non-secure read of OPTSR_CUR. */
	assert_int_equal(r_long(fx, "confirmed"), 1);
	assert_int_equal(r_long(fx, "ap1"), 1);
}

static void test_a_reset_that_never_ends_times_out(void **state)
{
	fixture *fx = *state;

	fx->w.m.reset_dead_sleeps = 1000000;
	h5_err(fx, "product_state Provisioning -timeout 200", "did not answer again within 200 ms");
	assert_int_equal(fx->w.m.option_changes, 1);
}

/* ---- credentials and provisioning ---------------------------------------------------------------- */

static void test_credentials_report(void **state)
{
	fixture *fx = *state;
	uint8_t h[32];

	h5_ok(fx, "credentials");
	assert_string_equal(r_get(fx, "kind"), "none");
	assert_string_equal(r_get(fx, "where"), "obk");
	assert_string_equal(r_get(fx, "record"), "erased");
	assert_string_equal(r_get(fx, "addr"), "0x0ffd0100");
	put_password_record(fx);
	h5_ok(fx, "credentials");
	assert_string_equal(r_get(fx, "kind"), "password");
	assert_string_equal(r_get(fx, "permissions"), "0x00000001");
	assert_string_equal(r_get(fx, "record"), "valid");
	sha256(password, strlen(password), h);
	char hex[8];
	snprintf(hex, sizeof(hex), "%02x%02x", h[0], h[1]);
	assert_null(strstr(Jim_String(fake_eval(fx->interp, "set ::r")), hex));
	fx->w.m.obk[0x100 + 40] ^= 1;   /* word 10 no longer ~word 0: a torn write */
	h5_ok(fx, "credentials");
	assert_string_equal(r_get(fx, "kind"), "none");
	assert_string_equal(r_get(fx, "record"), "torn");
}

static void test_provision_password_in_obk(void **state)
{
	fixture *fx = *state;
	fh5 *m = &fx->w.m;
	uint32_t want[12] = { 1, 1 };
	uint8_t h[32];

	sha256(password, strlen(password), h);
	memcpy(want + 2, h, 32);
	want[10] = ~1u;
	fx_password_file(fx, password);
	h5_ok(fx, "da_provision -password [set ::pw]");
	assert_string_equal(r_get(fx, "kind"), "password");
	assert_string_equal(r_get(fx, "where"), "obk");
	assert_int_equal(r_long(fx, "written"), 1);
	assert_memory_equal(m->obk + 0x100, want, sizeof(want));
	long k = ev_find_value(m, 0, 'W', NSOBKKEYR, 0x192A083B), pg = ev_find_value(m, 0, 'W', FH5_NS + 0x28, 2);
	long w = ev_find(m, 0, 'W', OBK_S);
	assert_true(k >= 0 && k < pg && pg < w && !m->ev[w].secure);
	assert_true(m->ctl[0].obkcfgr & 1);
	assert_true(m->ctl[0].cr & 1);
	h5_ok(fx, "da_provision -password [set ::pw]");
	assert_int_equal(r_long(fx, "written"), 0);
	h5_ok(fx, "credentials");
	assert_string_equal(r_get(fx, "kind"), "password");
	/* Now the chip can be closed with it. */
	h5_ok(fx, "product_state Closed -password [set ::pw]");
	fx_password_file(fx, "another-password");
	fx->w.m.cur[0x50 / 4] = (fx->w.m.cur[0x50 / 4] & ~0xFF00u) | 0x1700u;
	h5_ok(fx, "identify");
	h5_err(fx, "da_provision -password [set ::pw]", "already holds");
}

static void test_provision_certificate_with_trustzone(void **state)
{
	fixture *fx = *state;
	fh5 *m = &fx->w.m;
	uint8_t h[32];

	Jim_SetVariableStrWithStr(fx->interp, "::c", da_fixture("root.cert.pem"));
	h5_ok(fx, "da_provision -cert [set ::c] -permissions 3");
	assert_string_equal(r_get(fx, "kind"), "certificate");
	root_key_hash(da_fixture("root.cert.pem"), h);
	assert_int_equal(((uint32_t *)(m->obk + 0x100))[0], 2);
	assert_int_equal(((uint32_t *)(m->obk + 0x100))[1], 3);
	assert_memory_equal(m->obk + 0x108, h, 32);
	long k = ev_find_value(m, 0, 'W', SECOBKKEYR, 0x192A083B), w = ev_find(m, 0, 'W', OBK_S);
	assert_true(k >= 0 && m->ev[k].secure && w > k && m->ev[w].secure);
	assert_true(m->ctl[1].obkcfgr & 1);
	assert_true(m->ctl[1].cr & 1);
	assert_int_equal(m->csw[1], 0xa2000000);
	h5_ok(fx, "credentials");
	assert_string_equal(r_get(fx, "kind"), "certificate");
	assert_string_equal(r_get(fx, "permissions"), "0x00000003");
}

static void test_provisioning_refusals(void **state)
{
	fixture *fx = *state;
	fh5 *m = &fx->w.m;

	fx_password_file(fx, password);
	Jim_SetVariableStrWithStr(fx->interp, "::c", da_fixture("root.cert.pem"));
	h5_err(fx, "da_provision -password [set ::pw]", "only accepts a DA certificate root-key hash in OBK");
	h5_err(fx, "da_provision -cert [set ::c] -permissions 4", "bit 0 full regression");
	h5_err(fx, "da_provision -cert [set ::c] -permissions 0", "bit 0 full regression");
	assert_int_equal(h5_run(fx, "da_provision"), -1);
	h5_err(fx, "da_provision -permissions 1 -timeout 5", "required");
	m->cur[0x70 / 4] = 0xC3000000u;                            /* TrustZone off: passwords only */
	h5_err(fx, "da_provision -cert [set ::c]", "only accepts a DA password hash in OBK");
	h5_err(fx, "da_provision -password [set ::pw] -permissions 2", "always grants full regression");
	m->cur[0x50 / 4] = (m->cur[0x50 / 4] & ~0xFF00u) | 0x2E00u; /* iROT-Provisioned */
	h5_err(fx, "da_provision -password [set ::pw]", "the chip is in iROT-Provisioned");
	m->cur[0x50 / 4] = (m->cur[0x50 / 4] & ~0xFF00u) | 0x1700u;
	m->obk[0x100] = 0x12;                                       /* something else is there */
	h5_err(fx, "da_provision -password [set ::pw]", "already holds other data");
	assert_int_equal(ev_count(m, 'W', 0x0FFD0000, 0x0FFD2000), 0);
}

static void test_provision_h503_otp_only_when_irreversible(void **state)
{
	fixture *fx = fx_ps(0x474, 0x17, 0);
	fh5 *m = &fx->w.m;
	uint8_t h[32];

	sha256(password, strlen(password), h);
	fx_password_file(fx, password);
	h5_err(fx, "da_provision -password [set ::pw]", "-irreversible");
	assert_int_equal(m->halves, 0);
	h5_ok(fx, "da_provision -password [set ::pw] -irreversible");
	assert_string_equal(r_get(fx, "where"), "otp");
	assert_int_equal(r_long(fx, "written"), 1);
	assert_memory_equal(m->otp, h, 32);
	assert_int_equal(m->halves, 16);
	assert_int_equal(ev_count(m, 'H', 0x08FFF000, 0x08FFF020), 16);
	assert_true(m->ctl[0].cr & 1);
	h5_ok(fx, "da_provision -password [set ::pw] -irreversible");
	assert_int_equal(r_long(fx, "written"), 0);
	h5_ok(fx, "credentials");
	assert_string_equal(r_get(fx, "kind"), "password");
	assert_string_equal(r_get(fx, "where"), "otp");
	Jim_SetVariableStrWithStr(fx->interp, "::c", da_fixture("root.cert.pem"));
	h5_err(fx, "da_provision -cert [set ::c] -irreversible", "only accepts a DA password hash in OTP");
	h5_ok(fx, "product_state Closed -password [set ::pw]");
	assert_int_equal(r_long(fx, "ap1"), 0);
	fx_free((void **)&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_product_state_read, setup_open, fx_free),
		cmocka_unit_test_setup_teardown(test_open_to_provisioning_resets_and_confirms, setup_open, fx_free),
		cmocka_unit_test_setup_teardown(test_refusals_leave_the_chip_alone, setup_prov, fx_free),
		cmocka_unit_test_setup_teardown(test_closing_with_the_right_password_loses_ap1, setup_prov, fx_free),
		cmocka_unit_test_setup_teardown(test_tz_closed_with_a_certificate, setup_prov_tz, fx_free),
		cmocka_unit_test_setup_teardown(test_a_reset_that_never_ends_times_out, setup_open, fx_free),
		cmocka_unit_test_setup_teardown(test_credentials_report, setup_prov, fx_free),
		cmocka_unit_test_setup_teardown(test_provision_password_in_obk, setup_prov, fx_free),
		cmocka_unit_test_setup_teardown(test_provision_certificate_with_trustzone, setup_prov_tz, fx_free),
		cmocka_unit_test_setup_teardown(test_provisioning_refusals, setup_prov_tz, fx_free),
		cmocka_unit_test(test_provision_h503_otp_only_when_irreversible),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
