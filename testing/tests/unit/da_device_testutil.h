/*
 * Helpers of test_da_device.c: the fixture credentials (testing/fixtures/da),
 * a fake chip behind da_device_env, and a host that drives the mailbox with
 * the bounded handshake of docs/h5-debug-authentication.md §1 and frames its
 * requests with the project's own codec (src/target/adac.c).  Time is moved
 * by hand through da_device_update().  Include after <cmocka.h>.
 */
#ifndef STM32SIM_DA_DEVICE_TESTUTIL_H
#define STM32SIM_DA_DEVICE_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "../../../src/target/adac.h"
#include "da_device.h"
#include "da_device_internal.h"

#ifndef DA_FIXTURE_DIR
#define DA_FIXTURE_DIR "testing/fixtures/da"
#endif

#define STEP_US 5u
#define WORD_BUDGET_US 100000u     /* what the host allows per word (docs §1) */
#define VERIFY_BUDGET_US 2000000u
#define REQ_CAP 1200u

#define PERM_FULL 1u
#define PERM_PARTIAL 2u

typedef struct blob {
	unsigned char *p;
	size_t len;
} blob;

/* Fixture credentials, loaded once. */
static struct {
	blob root[1], chain[2];
	EVP_PKEY *root_key, *leaf_key, *wrong_key;
	uint8_t root_hash[32], leaf_hash[32], pw_hash[32];
	uint8_t pw[16], wrong_pw[16];
	size_t pw_len, wrong_pw_len;
} cr;

typedef struct fx {
	da_device *d;
	sim_time_us now;
	uint8_t product_state;
	bool tz;
	flash_h5_credential cred;
	unsigned regressions;
	bool last_partial;
} fx;

/* ------------------------------------------------------ chip callbacks -- */

static uint8_t cb_product_state(void *ctx) { return ((fx *)ctx)->product_state; }
static bool cb_tz(void *ctx) { return ((fx *)ctx)->tz; }
static void cb_credential(void *ctx, flash_h5_credential *out) { *out = ((fx *)ctx)->cred; }

static void cb_regression(void *ctx, bool partial)
{
	fx *f = ctx;

	f->regressions++;
	f->last_partial = partial;
}

/* ----------------------------------------------------- fixture loading -- */

static void sha256(const void *p, size_t n, uint8_t out[32])
{
	unsigned len = 0;

	assert_int_equal(EVP_Digest(p, n, out, &len, EVP_sha256(), NULL), 1);
	assert_int_equal(len, 32);
}

static FILE *fixture_file(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", DA_FIXTURE_DIR, name);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open %s", path);
	return fp;
}

/* Certificates of a PEM file as DER; the SPKI hash of the first one, through
 * i2d_PUBKEY (not the device's i2d_X509_PUBKEY path). */
static size_t load_certs(const char *name, blob *out, size_t max, uint8_t *first_hash)
{
	FILE *fp = fixture_file(name);
	X509 *x;
	size_t n = 0;

	while (n < max && (x = PEM_read_X509(fp, NULL, NULL, NULL)) != NULL) {
		out[n].p = NULL;
		int len = i2d_X509(x, &out[n].p);
		assert_true(len > 0);
		out[n].len = (size_t)len;
		if (n == 0 && first_hash) {
			unsigned char *spki = NULL;
			int sl = i2d_PUBKEY(X509_get0_pubkey(x), &spki);
			assert_true(sl > 0);
			sha256(spki, (size_t)sl, first_hash);
			OPENSSL_free(spki);
		}
		X509_free(x);
		n++;
	}
	fclose(fp);
	return n;
}

static EVP_PKEY *load_key(const char *name)
{
	FILE *fp = fixture_file(name);
	EVP_PKEY *k = PEM_read_PrivateKey(fp, NULL, NULL, NULL);

	fclose(fp);
	assert_non_null(k);
	return k;
}

static size_t load_bytes(const char *name, uint8_t *out, size_t cap)
{
	FILE *fp = fixture_file(name);
	size_t n = fread(out, 1, cap, fp);

	fclose(fp);
	return n;
}

static int group_setup(void **state)
{
	blob leaf[1];

	assert_int_equal(load_certs("root.cert.pem", cr.root, 1, cr.root_hash), 1);
	assert_int_equal(load_certs("chain.pem", cr.chain, 2, NULL), 2);
	assert_int_equal(load_certs("leaf.cert.pem", leaf, 1, cr.leaf_hash), 1);
	OPENSSL_free(leaf[0].p);
	cr.root_key = load_key("root.key.pem");
	cr.leaf_key = load_key("leaf.key.pem");
	cr.wrong_key = load_key("wrong.key.pem");
	cr.pw_len = load_bytes("password.bin", cr.pw, sizeof(cr.pw));
	cr.wrong_pw_len = load_bytes("wrong-password.bin", cr.wrong_pw, sizeof(cr.wrong_pw));
	assert_int_equal(cr.pw_len, 15);
	assert_int_equal(cr.wrong_pw_len, 16);
	sha256(cr.pw, cr.pw_len, cr.pw_hash);
	return 0;
}

static int group_teardown(void **state)
{
	OPENSSL_free(cr.root[0].p);
	OPENSSL_free(cr.chain[0].p);
	OPENSSL_free(cr.chain[1].p);
	EVP_PKEY_free(cr.root_key);
	EVP_PKEY_free(cr.leaf_key);
	EVP_PKEY_free(cr.wrong_key);
	return 0;
}

/* A 0x484 in Provisioning, TZ off, nothing provisioned, just powered. */
static int setup(void **state)
{
	static const uint8_t uid[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	fx *f = calloc(1, sizeof(*f));
	da_device_env env = { .ctx = f, .dev_id = 0x484, .product_state = cb_product_state, .tz_enabled = cb_tz,
			      .credential = cb_credential, .regression = cb_regression };

	assert_non_null(f);
	memcpy(env.uid, uid, sizeof(uid));
	f->product_state = H5PS_PROVISIONING;
	f->now = 1000;
	f->d = da_device_create(&env);
	assert_non_null(f->d);
	da_device_power_on(f->d);
	da_device_update(f->d, f->now);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;

	da_device_destroy(f->d);
	free(f);
	return 0;
}

static void provision_password(fx *f)
{
	f->tz = false;
	f->cred.kind = FLASH_H5_CRED_PASSWORD;
	f->cred.permissions = PERM_FULL;
	memcpy(f->cred.hash, cr.pw_hash, 32);
}

static void provision_root(fx *f, const uint8_t *hash, uint32_t permissions)
{
	f->tz = true;
	f->cred.kind = FLASH_H5_CRED_CERT_ROOT;
	f->cred.permissions = permissions;
	memcpy(f->cred.hash, hash, 32);
}

/* ------------------------------------------------------------ the host -- */

static void tick(fx *f, sim_time_us us)
{
	f->now += us;
	da_device_update(f->d, f->now);
}

static uint32_t rd(fx *f, uint32_t offset)
{
	uint32_t v = 0xDEADBEEFu;

	assert_int_equal(da_mailbox_read(f->d, offset, &v), SIM_BUS_OK);
	return v;
}

static void wr(fx *f, uint32_t offset, uint32_t v)
{
	assert_int_equal(da_mailbox_write(f->d, offset, v), SIM_BUS_OK);
}

/* Host side of the handshake: wait (bounded) for HOST_ACK = 0, then write. */
static void send_word(fx *f, uint32_t w)
{
	for (sim_time_us t = 0; rd(f, DA_REG_ACK) & DA_ACK_HOST; t += STEP_US) {
		if (t > WORD_BUDGET_US)
			fail_msg("HOST_ACK still set after %u us", WORD_BUDGET_US);
		tick(f, STEP_US);
	}
	wr(f, DA_REG_HOST, w);
}

static bool try_recv_word(fx *f, uint32_t *w, sim_time_us budget)
{
	for (sim_time_us t = 0; !(rd(f, DA_REG_ACK) & DA_ACK_DEV); t += STEP_US) {
		if (t > budget)
			return false;
		tick(f, STEP_US);
	}
	*w = rd(f, DA_REG_DEVICE);
	return true;
}

static uint32_t recv_word(fx *f, sim_time_us budget)
{
	uint32_t w = 0;

	if (!try_recv_word(f, &w, budget))
		fail_msg("no DEV_ACK within %u us", (unsigned)budget);
	return w;
}

/* Sends a request, reads the whole answer (checked by the host codec). */
static uint16_t transact(fx *f, const uint32_t *req, size_t n, uint32_t *resp, size_t cap, size_t *nresp)
{
	ub_adac_response r;
	uint16_t status;
	uint32_t count;

	for (size_t i = 0; i < n; i++)
		send_word(f, req[i]);
	resp[0] = recv_word(f, VERIFY_BUDGET_US);
	resp[1] = recv_word(f, WORD_BUDGET_US);
	assert_int_equal(ub_adac_check_header(resp[0], resp[1], &status, &count), UB_OK);
	assert_true(2 + count <= cap);
	for (uint32_t i = 0; i < count; i++)
		resp[2 + i] = recv_word(f, WORD_BUDGET_US);
	assert_int_equal(ub_adac_decode_response(resp, 2 + count, &r), UB_OK);
	if (nresp)
		*nresp = 2 + count;
	return status;
}

static uint16_t command(fx *f, uint16_t cmd)
{
	uint32_t req[2] = { (uint32_t)cmd << 16, 0 }, resp[64];

	return transact(f, req, 2, resp, 64, NULL);
}

static void enter(fx *f)
{
	da_device_reset_assert(f->d);
	send_word(f, DA_ENTRY_REQUEST);
	assert_true(da_device_reset_release(f->d, f->now));
	assert_true(da_device_active(f->d));
	assert_int_equal(recv_word(f, WORD_BUDGET_US), DA_ENTRY_REPLY);
}

static void discover(fx *f, ub_adac_discovery *disc, uint32_t *resp, size_t *n)
{
	uint32_t req[2] = { UB_ADAC_CMD_DISCOVERY << 16, 0 };
	ub_adac_response r;

	assert_int_equal(transact(f, req, 2, resp, 64, n), UB_ADAC_ST_SUCCESS);
	assert_int_equal(ub_adac_decode_response(resp, *n, &r), UB_OK);
	assert_int_equal(ub_adac_parse_discovery(&r, disc), UB_OK);
}

static void get_challenge(fx *f, uint8_t nonce[32])
{
	uint32_t req[2] = { UB_ADAC_CMD_AUTH_START << 16, 0 }, resp[16];
	ub_adac_response r;
	ub_adac_challenge c;
	size_t n;

	assert_int_equal(transact(f, req, 2, resp, 16, &n), UB_ADAC_ST_SUCCESS);
	assert_int_equal(ub_adac_decode_response(resp, n, &r), UB_OK);
	assert_int_equal(ub_adac_parse_challenge(&r, &c), UB_OK);
	assert_int_equal(c.major, 1);
	assert_int_equal(c.minor, 0);
	memcpy(nonce, c.nonce, 32);
}

/* Password response; sizes the host codec refuses are framed by hand. */
static size_t build_password(const uint8_t *pw, size_t len, uint32_t *req)
{
	uint32_t tlv[16];
	size_t tw, n;

	if (len >= UB_ADAC_PASSWORD_MIN && len <= UB_ADAC_PASSWORD_MAX) {
		assert_int_equal(ub_adac_build_password_response(pw, len, req, REQ_CAP, &n), UB_OK);
		return n;
	}
	assert_int_equal(ub_adac_encode_tlv(UB_ADAC_TLV_ST_PASSWORD, pw, len, tlv, 16, &tw), UB_OK);
	assert_int_equal(ub_adac_encode_request(UB_ADAC_CMD_AUTH_RESPONSE, tlv, tw, req, REQ_CAP, &n), UB_OK);
	return n;
}

static uint16_t send_password(fx *f, const uint8_t *pw, size_t len)
{
	uint32_t req[REQ_CAP], resp[8];

	return transact(f, req, build_password(pw, len, req), resp, 8, NULL);
}

/* Token (docs §5): header, then r||s of an ECDSA signature over header || nonce. */
static void make_token(uint8_t token[88], uint8_t perm, const uint8_t nonce[32], EVP_PKEY *key)
{
	uint8_t msg[56], der[128];
	size_t der_len = sizeof(der);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	const BIGNUM *r, *s;

	memset(token, 0, 88);
	token[0] = 1;
	token[2] = 0x01;
	token[8] = perm;
	memcpy(msg, token, 24);
	memcpy(msg + 24, nonce, 32);
	assert_non_null(md);
	assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key), 1);
	assert_int_equal(EVP_DigestSign(md, der, &der_len, msg, sizeof(msg)), 1);
	EVP_MD_CTX_free(md);
	const unsigned char *p = der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	assert_non_null(sig);
	ECDSA_SIG_get0(sig, &r, &s);
	assert_int_equal(BN_bn2binpad(r, token + 24, 32), 32);
	assert_int_equal(BN_bn2binpad(s, token + 56, 32), 32);
	ECDSA_SIG_free(sig);
}

/* An authentication response of arbitrary TLVs. */
typedef struct tlv_spec {
	uint16_t type;
	const uint8_t *value;
	size_t len;
} tlv_spec;

static size_t build_tlvs(const tlv_spec *t, size_t n, uint32_t *req)
{
	uint32_t data[REQ_CAP];
	size_t used = 0, w, total;

	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ub_adac_encode_tlv(t[i].type, t[i].value, t[i].len, data + used, REQ_CAP - used, &w),
				 UB_OK);
		used += w;
	}
	assert_int_equal(ub_adac_encode_request(UB_ADAC_CMD_AUTH_RESPONSE, data, used, req, REQ_CAP, &total), UB_OK);
	return total;
}

static size_t build_cert_response(const blob *certs, size_t n, const uint8_t token[88], uint32_t *req)
{
	tlv_spec t[8];

	assert_true(n < 8);
	for (size_t i = 0; i < n; i++)
		t[i] = (tlv_spec){ UB_ADAC_TLV_X509_CERT, certs[i].p, certs[i].len };
	t[n] = (tlv_spec){ UB_ADAC_TLV_PSA_BINARY_TOKEN, token, 88 };
	return build_tlvs(t, n + 1, req);
}

/* A fresh challenge, a token signed over it, the chain: the device's status. */
static uint16_t cert_auth(fx *f, const blob *certs, size_t n, EVP_PKEY *key, uint8_t perm)
{
	uint8_t nonce[32], token[88];
	uint32_t req[REQ_CAP], resp[8];

	get_challenge(f, nonce);
	make_token(token, perm, nonce, key);
	return transact(f, req, build_cert_response(certs, n, token, req), resp, 8, NULL);
}

/* A certificate for `key` signed by `signer` with `md`; *hash gets the SPKI's SHA-256. */
static blob make_cert(EVP_PKEY *key, EVP_PKEY *signer, const EVP_MD *md, uint8_t hash[32])
{
	X509 *x = X509_new();
	X509_NAME *name;
	unsigned char *spki = NULL;
	blob b = { NULL, 0 };
	int len;

	assert_non_null(x);
	assert_int_equal(X509_set_version(x, 2), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), 1), 1);
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), 0));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), 3600));
	name = X509_get_subject_name(x);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"da test", -1,
						    -1, 0), 1);
	assert_int_equal(X509_set_issuer_name(x, name), 1);
	assert_int_equal(X509_set_pubkey(x, key), 1);
	assert_true(X509_sign(x, signer, md) > 0);
	len = i2d_X509(x, &b.p);
	assert_true(len > 0);
	b.len = (size_t)len;
	len = i2d_PUBKEY(key, &spki);
	assert_true(len > 0);
	sha256(spki, (size_t)len, hash);
	OPENSSL_free(spki);
	X509_free(x);
	return b;
}

static bool json_has(fx *f, const char *needle)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	json_out j;

	assert_non_null(mem);
	json_init(&j, mem);
	json_begin_object(&j, NULL);
	da_device_write_json(f->d, &j);
	json_end_object(&j);
	fclose(mem);
	bool found = strstr(text, needle) != NULL;
	if (!found)
		print_message("# JSON lacks %s\n", needle);
	free(text);
	return found;
}


/* ---------------------------------------------------- hostile packets -- */

static uint32_t rng_state = 0x2545F491u;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* The logs of thousands of refused packets would drown the test output. */
static int stderr_saved = -1;

static void quiet(bool on)
{
	if (on) {
		int null = open("/dev/null", O_WRONLY);

		fflush(stderr);
		stderr_saved = dup(2);
		dup2(null, 2);
		close(null);
	} else if (stderr_saved >= 0) {
		fflush(stderr);
		dup2(stderr_saved, 2);
		close(stderr_saved);
		stderr_saved = -1;
	}
}

static bool known_status(uint16_t s)
{
	return s == DA_ST_SUCCESS || s == DA_ST_FAILURE || s == DA_ST_UNSUPPORTED || s == DA_ST_UNAUTHORIZED ||
	       s == DA_ST_INVALID_PARAMETERS || s == DA_ST_INVALID_COMMAND;
}

/* A valid certificate or password response over `nonce`, then random damage. */
static size_t mutated_response(uint32_t *req, const uint8_t nonce[32], bool password)
{
	uint8_t token[88];
	size_t n;

	if (password) {
		n = build_password(cr.pw, cr.pw_len, req);
	} else {
		make_token(token, PERM_FULL, nonce, cr.leaf_key);
		n = build_cert_response(cr.chain, 2, token, req);
	}
	for (unsigned k = 1 + rnd() % 4; k && n > 2; k--) {
		size_t at = 2 + rnd() % (n - 2);

		switch (rnd() % 4) {
		case 0: req[at] ^= 1u << (rnd() % 32); break;
		case 1: req[at] = rnd(); break;
		case 2: req[at] = rnd() % 2048; break;          /* plausible lengths */
		default: n = 2 + rnd() % (n - 2); break;        /* truncated */
		}
	}
	req[1] = (uint32_t)(n - 2);
	return n;
}

/* transact() without assertions, so it can run with stderr silenced: false
 * when the device misses a bounded wait or answers a malformed header. */
static bool exchange_quietly(fx *f, const uint32_t *req, size_t n, uint16_t *status)
{
	uint32_t w0 = 0, w1 = 0, count = 0, w;
	bool ok = true;

	quiet(true);
	for (size_t i = 0; i < n && ok; i++) {
		for (sim_time_us t = 0; ok && (rd(f, DA_REG_ACK) & DA_ACK_HOST); t += STEP_US) {
			ok = t <= WORD_BUDGET_US;
			tick(f, STEP_US);
		}
		wr(f, DA_REG_HOST, req[i]);
	}
	ok = ok && try_recv_word(f, &w0, VERIFY_BUDGET_US) && try_recv_word(f, &w1, WORD_BUDGET_US) &&
	     ub_adac_check_header(w0, w1, status, &count) == UB_OK;
	for (uint32_t i = 0; ok && i < count; i++)
		ok = try_recv_word(f, &w, WORD_BUDGET_US);
	tick(f, 0);
	quiet(false);
	return ok;
}

#endif
