/*
 * STM32H5 debug authentication, device side (testing/sim/da_device.c,
 * da_auth.c): mailbox handshake in both directions, lost words, entry under
 * reset, discovery as the host codec parses it, password and certificate
 * authentication (tokens signed here with the fixture keys), single-use
 * challenges, permissions, Locked, resume boot, and hostile packets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "da_device_testutil.h"

/* ----------------------------------------------------------- handshake -- */

static void test_host_to_device_handshake_and_lost_word(void **state)
{
	fx *f = *state;
	unsigned long errors;
	uint32_t resp[64];

	enter(f);
	wr(f, DA_REG_HOST, UB_ADAC_CMD_DISCOVERY << 16);
	assert_int_equal(rd(f, DA_REG_ACK), DA_ACK_HOST);
	tick(f, DA_WORD_US - 1);
	assert_int_equal(rd(f, DA_REG_ACK), DA_ACK_HOST);
	tick(f, 1);
	assert_int_equal(rd(f, DA_REG_ACK), 0);

	/* Written while HOST_ACK = 1: the second word is lost, the first stays. */
	wr(f, DA_REG_HOST, 0);
	errors = sim_log_guest_error_count();
	wr(f, DA_REG_HOST, 0x11111111u);
	assert_int_equal(sim_log_guest_error_count(), errors + 1);
	assert_int_equal(rd(f, DA_REG_HOST), 0);
	assert_true(json_has(f, "\"words_lost\": 1"));
	/* Data count 0 arrived: the discovery answer comes, the lost word never did. */
	resp[0] = recv_word(f, WORD_BUDGET_US);
	assert_int_equal(resp[0], 0);
	assert_int_equal(recv_word(f, WORD_BUDGET_US), 33);
}

static void test_device_to_host_handshake(void **state)
{
	fx *f = *state;
	unsigned long errors = sim_log_guest_error_count();
	uint32_t v, last = 0;

	da_device_reset_assert(f->d);
	send_word(f, DA_ENTRY_REQUEST);
	assert_true(da_device_reset_release(f->d, f->now));
	assert_int_equal(rd(f, DA_REG_ACK), DA_ACK_DEV);
	assert_int_equal(rd(f, DA_REG_DEVICE), DA_ENTRY_REPLY);
	assert_int_equal(rd(f, DA_REG_ACK), 0);
	/* A read without DEV_ACK returns the last word and consumes nothing. */
	assert_int_equal(rd(f, DA_REG_DEVICE), DA_ENTRY_REPLY);

	send_word(f, UB_ADAC_CMD_DISCOVERY << 16);
	send_word(f, 0);
	tick(f, DA_WORD_US);                    /* data count fetched: request complete */
	tick(f, DA_WORD_US - 1);
	assert_int_equal(rd(f, DA_REG_ACK), 0);
	tick(f, 1);
	assert_int_equal(rd(f, DA_REG_ACK), DA_ACK_DEV);
	/* The next request waits while the answer is unread; the answer waits for the host. */
	wr(f, DA_REG_HOST, UB_ADAC_CMD_AUTH_START << 16);
	tick(f, 50000);
	assert_int_equal(rd(f, DA_REG_ACK), DA_ACK_HOST | DA_ACK_DEV);
	assert_int_equal(rd(f, DA_REG_DEVICE), 0);      /* status SUCCESS */
	tick(f, DA_WORD_US - 1);
	assert_int_equal(rd(f, DA_REG_ACK), DA_ACK_HOST);
	tick(f, 1);
	assert_int_equal(rd(f, DA_REG_ACK), DA_ACK_HOST | DA_ACK_DEV);
	assert_int_equal(rd(f, DA_REG_DEVICE), 33);
	for (int i = 0; i < 33; i++)
		last = recv_word(f, WORD_BUDGET_US);
	tick(f, DA_WORD_US);
	assert_int_equal(rd(f, DA_REG_ACK), 0);         /* fetched once the answer was read */

	/* ACK and DEVICE are not the host's to write; other offsets are not the mailbox. */
	wr(f, DA_REG_ACK, 3);
	wr(f, DA_REG_DEVICE, 0x12345678u);
	assert_int_equal(rd(f, DA_REG_ACK), 0);
	assert_int_equal(rd(f, DA_REG_DEVICE), last);
	assert_int_equal(sim_log_guest_error_count(), errors + 2);
	assert_int_equal(da_mailbox_read(f->d, 0xFC, &v), SIM_BUS_FAULT);
	assert_int_equal(da_mailbox_write(f->d, 0x10C, 0), SIM_BUS_FAULT);
}

/* ---------------------------------------------------------------- entry -- */

static void test_entry_needs_the_request_word_under_reset(void **state)
{
	fx *f = *state;

	da_device_reset_assert(f->d);
	assert_false(da_device_reset_release(f->d, f->now));    /* nothing pending: normal boot */
	da_device_reset_assert(f->d);
	send_word(f, 0x4F454442u);
	assert_false(da_device_reset_release(f->d, f->now));
	assert_false(da_device_active(f->d));
	tick(f, 1000000);
	assert_int_equal(rd(f, DA_REG_ACK), DA_ACK_HOST);      /* left pending, nobody fetches it */
	assert_int_equal(rd(f, DA_REG_DEVICE), 0);
	/* It blocks the mailbox: the real request is lost and the next reset boots normally. */
	da_device_reset_assert(f->d);
	wr(f, DA_REG_HOST, DA_ENTRY_REQUEST);
	assert_int_equal(rd(f, DA_REG_HOST), 0x4F454442u);
	assert_false(da_device_reset_release(f->d, f->now));
	assert_true(json_has(f, "\"words_lost\": 1"));
	/* Power-on clears the mailbox; then entry works. */
	da_device_power_on(f->d);
	assert_int_equal(rd(f, DA_REG_ACK), 0);
	enter(f);
	assert_true(json_has(f, "\"sessions\": 1"));
	assert_true(json_has(f, "\"active\": true"));
}

static void test_request_written_while_running_is_ignored(void **state)
{
	fx *f = *state;

	send_word(f, DA_ENTRY_REQUEST);
	tick(f, 2000000);
	assert_false(da_device_active(f->d));
	assert_int_equal(rd(f, DA_REG_ACK), DA_ACK_HOST);
	assert_int_equal(rd(f, DA_REG_DEVICE), 0);
	/* The register cannot tell when it was written: the next reset finds it (our choice). */
	da_device_reset_assert(f->d);
	assert_true(da_device_reset_release(f->d, f->now));
	assert_int_equal(recv_word(f, WORD_BUDGET_US), DA_ENTRY_REPLY);
}

static void test_reset_ends_session_and_challenge(void **state)
{
	fx *f = *state;
	uint8_t nonce[32];

	provision_password(f);
	enter(f);
	get_challenge(f, nonce);
	da_device_reset_assert(f->d);
	assert_false(da_device_active(f->d));
	assert_true(json_has(f, "\"active\": false"));
	enter(f);
	assert_int_equal(send_password(f, cr.pw, cr.pw_len), UB_ADAC_ST_FAILURE);   /* no challenge */
	assert_int_equal(f->regressions, 0);
}

/* ------------------------------------------------------------ discovery -- */

static void test_discovery_password_part(void **state)
{
	fx *f = *state;
	static const uint8_t soc_id[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 0, 0, 0 };
	static const uint8_t st[4] = { H5PS_PROVISIONING, FLASH_H5_CRED_PASSWORD, H5_TZEN_OFF, 0 };
	ub_adac_discovery d;
	ub_adac_tlv t;
	uint32_t resp[64];
	size_t n;
	bool found;

	provision_password(f);
	enter(f);
	discover(f, &d, resp, &n);
	assert_true(d.has_auth_version && d.has_vendor_id && d.has_soc_class && d.has_soc_id && d.has_psa_lifecycle);
	assert_int_equal(d.auth_major, 1);
	assert_int_equal(d.auth_minor, 0);
	assert_int_equal(d.vendor_id, 0x0020);
	assert_int_equal(d.soc_class, 0x484);
	assert_memory_equal(d.soc_id, soc_id, 16);
	assert_int_equal(d.psa_lifecycle, 0x2000);
	assert_int_equal(d.n_token_formats, 1);
	assert_int_equal(d.token_formats[0], 0x0200);
	assert_int_equal(d.n_cert_formats, 1);
	assert_int_equal(d.cert_formats[0], 0x0202);
	assert_int_equal(d.n_cryptosystems, 2);
	assert_int_equal(d.cryptosystems[0], 0x01);
	assert_int_equal(d.cryptosystems[1], 0x80);
	assert_int_equal(d.n_vendor, 1);
	assert_int_equal(d.vendor[0].type, 0x8000);
	assert_int_equal(d.vendor[0].length, 4);
	assert_memory_equal(d.vendor[0].value, st, 4);
	assert_int_equal(ub_adac_tlv_find(resp + 2, n - 2, UB_ADAC_TLV_SDA_VERSION, &t, &found), UB_OK);
	assert_true(found);
	assert_int_equal(t.length, 4);
	assert_int_equal(t.value[0], 0x00000402u);   /* bytes 2, 4, 0, 0 */
}

static void test_discovery_certificate_part_and_locked(void **state)
{
	fx *f = *state;
	static const uint8_t st_closed[4] = { H5PS_CLOSED, FLASH_H5_CRED_CERT_ROOT, H5_TZEN_ON, 0 };
	ub_adac_discovery d;
	uint32_t resp[64];
	size_t n;

	provision_root(f, cr.root_hash, PERM_FULL);
	f->product_state = H5PS_CLOSED;
	enter(f);
	discover(f, &d, resp, &n);
	assert_int_equal(d.psa_lifecycle, 0x3000);
	assert_int_equal(d.n_cryptosystems, 1);
	assert_int_equal(d.cryptosystems[0], 0x01);
	assert_memory_equal(d.vendor[0].value, st_closed, 4);
	f->product_state = H5PS_LOCKED;
	discover(f, &d, resp, &n);
	assert_int_equal(d.psa_lifecycle, 0x6000);
	assert_int_equal(d.vendor[0].value[0], H5PS_LOCKED);
	assert_true(json_has(f, "\"discoveries\": 2"));
}

/* ------------------------------------------------------------- password -- */

static void test_password_right_after_verify_time(void **state)
{
	fx *f = *state;
	uint8_t nonce[32];
	uint32_t req[REQ_CAP];
	size_t n = build_password(cr.pw, cr.pw_len, req);

	provision_password(f);
	enter(f);
	get_challenge(f, nonce);
	for (size_t i = 0; i < n; i++)
		send_word(f, req[i]);
	tick(f, DA_WORD_US);                            /* the last word is fetched */
	assert_int_equal(rd(f, DA_REG_ACK), 0);
	tick(f, DA_VERIFY_US - 1);
	assert_int_equal(rd(f, DA_REG_ACK), 0);
	tick(f, 1);
	assert_int_equal(rd(f, DA_REG_ACK), DA_ACK_DEV);
	assert_int_equal(rd(f, DA_REG_DEVICE), UB_ADAC_ST_SUCCESS << 16);
	tick(f, 100000);
	assert_int_equal(f->regressions, 0);            /* not before the whole answer was read */
	assert_int_equal(recv_word(f, WORD_BUDGET_US), 0);
	tick(f, 0);
	assert_int_equal(f->regressions, 1);
	assert_false(f->last_partial);
	assert_false(da_device_active(f->d));
	tick(f, 100000);
	assert_int_equal(f->regressions, 1);
	assert_true(json_has(f, "\"auth_ok\": 1"));
	assert_true(json_has(f, "\"last_status\": \"0x0000\""));
}

static void test_password_wrong_and_challenge_single_use(void **state)
{
	fx *f = *state;
	uint8_t nonce[32];

	provision_password(f);
	enter(f);
	get_challenge(f, nonce);
	assert_int_equal(send_password(f, cr.wrong_pw, cr.wrong_pw_len), UB_ADAC_ST_UNAUTHORIZED);
	assert_true(da_device_active(f->d));
	assert_int_equal(send_password(f, cr.pw, cr.pw_len), UB_ADAC_ST_FAILURE);
	assert_int_equal(f->regressions, 0);
	get_challenge(f, nonce);
	assert_int_equal(send_password(f, cr.pw, cr.pw_len), UB_ADAC_ST_SUCCESS);
	tick(f, 0);
	assert_int_equal(f->regressions, 1);
	assert_true(json_has(f, "\"auth_failed\": 2"));
}

static void test_password_length_limits(void **state)
{
	fx *f = *state;
	uint8_t nonce[32], pw[17];

	memcpy(pw, cr.wrong_pw, 16);
	pw[16] = 'x';
	provision_password(f);
	enter(f);
	get_challenge(f, nonce);
	assert_int_equal(send_password(f, pw, 3), UB_ADAC_ST_INVALID_PARAMETERS);
	get_challenge(f, nonce);
	assert_int_equal(send_password(f, pw, 17), UB_ADAC_ST_INVALID_PARAMETERS);
	get_challenge(f, nonce);
	assert_int_equal(send_password(f, pw, 4), UB_ADAC_ST_UNAUTHORIZED);
	get_challenge(f, nonce);
	assert_int_equal(send_password(f, pw, 16), UB_ADAC_ST_UNAUTHORIZED);
	assert_int_equal(f->regressions, 0);
}

static void test_method_must_match_tzen_and_credential(void **state)
{
	fx *f = *state;
	uint8_t nonce[32];

	enter(f);       /* nothing provisioned */
	get_challenge(f, nonce);
	assert_int_equal(send_password(f, cr.pw, cr.pw_len), UB_ADAC_ST_UNSUPPORTED);
	f->tz = true;
	assert_int_equal(cert_auth(f, cr.root, 1, cr.root_key, PERM_FULL), UB_ADAC_ST_UNSUPPORTED);
	provision_password(f);
	f->tz = true;   /* a password with TZEN = 0xB4 */
	get_challenge(f, nonce);
	assert_int_equal(send_password(f, cr.pw, cr.pw_len), UB_ADAC_ST_UNSUPPORTED);
	provision_root(f, cr.root_hash, PERM_FULL);
	f->tz = false;  /* a certificate with TZEN = 0xC3 */
	assert_int_equal(cert_auth(f, cr.root, 1, cr.root_key, PERM_FULL), UB_ADAC_ST_UNSUPPORTED);
	get_challenge(f, nonce);
	assert_int_equal(send_password(f, cr.pw, cr.pw_len), UB_ADAC_ST_UNSUPPORTED);
	assert_int_equal(f->regressions, 0);
}

/* ---------------------------------------------------------- certificate -- */

static void test_certificate_root_only(void **state)
{
	fx *f = *state;

	provision_root(f, cr.root_hash, PERM_FULL);
	enter(f);
	assert_int_equal(cert_auth(f, cr.root, 1, cr.root_key, PERM_FULL), UB_ADAC_ST_SUCCESS);
	tick(f, 0);
	assert_int_equal(f->regressions, 1);
	assert_false(f->last_partial);
}

static void test_certificate_chain_with_leaf_key(void **state)
{
	fx *f = *state;

	provision_root(f, cr.root_hash, PERM_FULL | PERM_PARTIAL);
	enter(f);
	assert_int_equal(cert_auth(f, cr.chain, 2, cr.leaf_key, PERM_FULL), UB_ADAC_ST_SUCCESS);
	tick(f, 0);
	assert_int_equal(f->regressions, 1);
	assert_false(f->last_partial);
}

static void test_certificate_wrong_key_or_root(void **state)
{
	fx *f = *state;
	blob reversed[2] = { cr.chain[1], cr.chain[0] };

	provision_root(f, cr.root_hash, PERM_FULL);
	enter(f);
	assert_int_equal(cert_auth(f, cr.chain, 2, cr.wrong_key, PERM_FULL), UB_ADAC_ST_UNAUTHORIZED);
	assert_int_equal(cert_auth(f, cr.chain, 2, cr.root_key, PERM_FULL), UB_ADAC_ST_UNAUTHORIZED);
	assert_int_equal(cert_auth(f, cr.root, 1, cr.leaf_key, PERM_FULL), UB_ADAC_ST_UNAUTHORIZED);
	assert_int_equal(cert_auth(f, reversed, 2, cr.root_key, PERM_FULL), UB_ADAC_ST_UNAUTHORIZED);
	/* Trusting the leaf's key: the chain's root is then the wrong root, and
	 * leaf-first fails because the leaf did not sign the root. */
	provision_root(f, cr.leaf_hash, PERM_FULL);
	assert_int_equal(cert_auth(f, cr.chain, 2, cr.leaf_key, PERM_FULL), UB_ADAC_ST_UNAUTHORIZED);
	assert_int_equal(cert_auth(f, reversed, 2, cr.root_key, PERM_FULL), UB_ADAC_ST_UNAUTHORIZED);
	assert_int_equal(f->regressions, 0);
	assert_true(json_has(f, "\"auth_failed\": 6"));
	assert_true(json_has(f, "\"last_status\": \"0x0004\""));
}

/* secp256k1 signs with 32-byte r and s too: only the key check tells it from P-256. */
static void test_certificate_key_must_be_p256(void **state)
{
	fx *f = *state;
	EVP_PKEY *k1 = EVP_EC_gen("secp256k1");
	uint8_t hash[32];
	blob cert;

	assert_non_null(k1);
	cert = make_cert(k1, k1, EVP_sha256(), hash);
	provision_root(f, hash, PERM_FULL);
	enter(f);
	assert_int_equal(cert_auth(f, &cert, 1, k1, PERM_FULL), UB_ADAC_ST_UNAUTHORIZED);
	assert_int_equal(f->regressions, 0);
	OPENSSL_free(cert.p);
	EVP_PKEY_free(k1);
}

/* Each link must be ECDSA with SHA-256: a leaf the root signed with SHA-384 is refused. */
static void test_certificate_chain_signature_algorithm(void **state)
{
	fx *f = *state;
	uint8_t hash[32];
	blob chain[2] = { cr.root[0], make_cert(cr.leaf_key, cr.root_key, EVP_sha384(), hash) };

	provision_root(f, cr.root_hash, PERM_FULL);
	enter(f);
	assert_int_equal(cert_auth(f, chain, 2, cr.leaf_key, PERM_FULL), UB_ADAC_ST_UNAUTHORIZED);
	OPENSSL_free(chain[1].p);
	chain[1] = make_cert(cr.leaf_key, cr.root_key, EVP_sha256(), hash);
	assert_int_equal(cert_auth(f, chain, 2, cr.leaf_key, PERM_FULL), UB_ADAC_ST_SUCCESS);
	OPENSSL_free(chain[1].p);
}

/* Malformed shapes are INVALID_PARAMETERS whatever the signature; the last one is valid. */
static void test_certificate_response_shapes(void **state)
{
	fx *f = *state;
	uint8_t nonce[32], token[88], bad_token[88], padded[1024], pw[4] = { 1, 2, 3, 4 };
	uint32_t req[REQ_CAP], resp[8];
	const blob *root = &cr.root[0];
	const tlv_spec cert = { UB_ADAC_TLV_X509_CERT, root->p, root->len };
	const tlv_spec tok = { UB_ADAC_TLV_PSA_BINARY_TOKEN, token, 88 };
	const tlv_spec shapes[][6] = {
		{ tok, cert },
		{ { UB_ADAC_TLV_X509_CERT, padded, root->len + 1 }, tok },      /* trailing byte after the DER */
		{ { UB_ADAC_TLV_X509_CERT, root->p, 0 }, tok },
		{ cert, { UB_ADAC_TLV_PSA_BINARY_TOKEN, token, 87 } },
		{ cert, { UB_ADAC_TLV_PSA_BINARY_TOKEN, bad_token, 88 } },     /* signature type 2 */
		{ cert, tok, tok },
		{ cert, { UB_ADAC_TLV_PSA_BINARY_CERT, root->p, root->len }, tok },
		{ cert, cert, cert, cert, cert, tok },                          /* more than 4 certificates */
		{ { UB_ADAC_TLV_ST_PASSWORD, pw, 4 }, tok },
		{ cert },
		{ tok },
		{ cert, tok },
	};
	const size_t count[] = { 2, 2, 2, 2, 2, 3, 3, 6, 2, 1, 1, 2 };

	assert_true(root->len < sizeof(padded));
	memcpy(padded, root->p, root->len);
	padded[root->len] = 0;
	provision_root(f, cr.root_hash, PERM_FULL);
	enter(f);
	for (size_t i = 0; i < sizeof(count) / sizeof(count[0]); i++) {
		bool last = i + 1 == sizeof(count) / sizeof(count[0]);

		get_challenge(f, nonce);
		make_token(token, PERM_FULL, nonce, cr.root_key);
		memcpy(bad_token, token, 88);
		bad_token[2] = 2;
		if (transact(f, req, build_tlvs(shapes[i], count[i], req), resp, 8, NULL) !=
		    (last ? UB_ADAC_ST_SUCCESS : UB_ADAC_ST_INVALID_PARAMETERS))
			fail_msg("shape %zu: wrong status", i);
	}
}

static void test_certificate_challenge_reuse(void **state)
{
	fx *f = *state;
	uint8_t old[32], fresh[32], token[88];
	uint32_t req[REQ_CAP], resp[8];
	size_t n;

	provision_root(f, cr.root_hash, PERM_FULL);
	enter(f);
	get_challenge(f, old);
	make_token(token, PERM_FULL, old, cr.wrong_key);
	n = build_cert_response(cr.root, 1, token, req);
	assert_int_equal(transact(f, req, n, resp, 8, NULL), UB_ADAC_ST_UNAUTHORIZED);
	make_token(token, PERM_FULL, old, cr.root_key);
	n = build_cert_response(cr.root, 1, token, req);
	assert_int_equal(transact(f, req, n, resp, 8, NULL), UB_ADAC_ST_FAILURE);   /* used up */
	get_challenge(f, fresh);
	assert_memory_not_equal(old, fresh, 32);
	assert_int_equal(transact(f, req, n, resp, 8, NULL), UB_ADAC_ST_UNAUTHORIZED); /* signed the old one */
	assert_int_equal(f->regressions, 0);
	assert_int_equal(cert_auth(f, cr.root, 1, cr.root_key, PERM_FULL), UB_ADAC_ST_SUCCESS);
}

static void test_certificate_permissions(void **state)
{
	fx *f = *state;

	provision_root(f, cr.root_hash, PERM_FULL);
	enter(f);
	assert_int_equal(cert_auth(f, cr.chain, 2, cr.leaf_key, PERM_PARTIAL), UB_ADAC_ST_UNAUTHORIZED);
	assert_int_equal(cert_auth(f, cr.chain, 2, cr.leaf_key, PERM_FULL | PERM_PARTIAL),
			 UB_ADAC_ST_INVALID_PARAMETERS);
	assert_int_equal(cert_auth(f, cr.chain, 2, cr.leaf_key, 0), UB_ADAC_ST_INVALID_PARAMETERS);
	assert_int_equal(cert_auth(f, cr.chain, 2, cr.leaf_key, 4), UB_ADAC_ST_INVALID_PARAMETERS);
	assert_int_equal(f->regressions, 0);
	provision_root(f, cr.root_hash, PERM_PARTIAL);
	assert_int_equal(cert_auth(f, cr.chain, 2, cr.leaf_key, PERM_FULL), UB_ADAC_ST_UNAUTHORIZED);
	assert_int_equal(cert_auth(f, cr.chain, 2, cr.leaf_key, PERM_PARTIAL), UB_ADAC_ST_SUCCESS);
	tick(f, 0);
	assert_int_equal(f->regressions, 1);
	assert_true(f->last_partial);
}

/* --------------------------------------------------- other commands ---- */

static void test_locked_refuses_authentication(void **state)
{
	fx *f = *state;
	uint8_t token[88], nonce[32] = { 0 };
	uint32_t req[REQ_CAP], resp[8];

	provision_root(f, cr.root_hash, PERM_FULL);
	f->product_state = H5PS_LOCKED;
	enter(f);
	assert_int_equal(command(f, UB_ADAC_CMD_AUTH_START), UB_ADAC_ST_UNSUPPORTED);
	make_token(token, PERM_FULL, nonce, cr.root_key);
	assert_int_equal(transact(f, req, build_cert_response(cr.root, 1, token, req), resp, 8, NULL),
			 UB_ADAC_ST_UNSUPPORTED);
	assert_int_equal(command(f, UB_ADAC_CMD_DISCOVERY), UB_ADAC_ST_SUCCESS);
	assert_int_equal(f->regressions, 0);
}

static void test_resume_boot(void **state)
{
	fx *f = *state;

	enter(f);
	send_word(f, UB_ADAC_CMD_RESUME_BOOT << 16);
	send_word(f, 0);
	assert_int_equal(recv_word(f, WORD_BUDGET_US), UB_ADAC_ST_SUCCESS << 16);
	tick(f, 10000);
	assert_false(da_device_take_resume(f->d));      /* the answer is not read yet */
	assert_true(da_device_active(f->d));
	assert_int_equal(recv_word(f, WORD_BUDGET_US), 0);
	tick(f, 0);
	assert_false(da_device_active(f->d));
	assert_true(da_device_take_resume(f->d));
	assert_false(da_device_take_resume(f->d));
	assert_int_equal(f->regressions, 0);
}

static void test_unsupported_and_malformed_commands(void **state)
{
	fx *f = *state;
	uint32_t req[3] = { UB_ADAC_CMD_DISCOVERY << 16, 1, 0 }, resp[64];

	enter(f);
	assert_int_equal(command(f, UB_ADAC_CMD_LOCK_DEBUG), UB_ADAC_ST_UNSUPPORTED);
	assert_int_equal(command(f, UB_ADAC_CMD_LCS_CHANGE), UB_ADAC_ST_UNSUPPORTED);
	assert_int_equal(command(f, 0x04), UB_ADAC_ST_INVALID_COMMAND);
	assert_int_equal(command(f, 0xFFFF), UB_ADAC_ST_INVALID_COMMAND);
	assert_int_equal(transact(f, req, 3, resp, 64, NULL), UB_ADAC_ST_INVALID_PARAMETERS);
	req[0] |= 1;            /* reserved half-word */
	req[1] = 0;
	assert_int_equal(transact(f, req, 2, resp, 64, NULL), UB_ADAC_ST_INVALID_PARAMETERS);
	assert_int_equal(command(f, UB_ADAC_CMD_AUTH_START), UB_ADAC_ST_SUCCESS);
	assert_int_equal(command(f, UB_ADAC_CMD_AUTH_RESPONSE), UB_ADAC_ST_INVALID_PARAMETERS); /* no TLV */
	/* Oversized: drained to the last word, refused, and the framing stays in step. */
	send_word(f, UB_ADAC_CMD_AUTH_RESPONSE << 16);
	send_word(f, DA_MAX_REQUEST_WORDS + 1);
	for (unsigned i = 0; i < DA_MAX_REQUEST_WORDS + 1; i++)
		send_word(f, i);
	assert_int_equal(transact(f, NULL, 0, resp, 64, NULL), UB_ADAC_ST_INVALID_PARAMETERS);
	assert_int_equal(command(f, UB_ADAC_CMD_DISCOVERY), UB_ADAC_ST_SUCCESS);
	assert_true(json_has(f, "\"last_status\": \"0x0000\""));
}

/* ------------------------------------------------------------- hostile -- */

static void test_hostile_requests_directly(void **state)
{
	fx *f = *state;
	static uint32_t req[REQ_CAP];
	da_auth a;
	da_reply r;
	unsigned seen[7] = { 0 };
	da_device_env env = { .ctx = f, .dev_id = 0x484, .product_state = cb_product_state, .tz_enabled = cb_tz,
			      .credential = cb_credential, .regression = cb_regression };

	for (unsigned i = 0; i < 3000; i++) {
		bool password = i % 4 == 0;
		size_t n;
		da_after after;

		if (password)
			provision_password(f);
		else
			provision_root(f, cr.root_hash, PERM_FULL | PERM_PARTIAL);
		a.challenge_valid = true;
		for (unsigned b = 0; b < 32; b++)
			a.challenge[b] = (uint8_t)rnd();
		n = i % 8 == 7 ? 2 + rnd() % 64 : mutated_response(req, a.challenge, password);
		if (i % 8 == 7)
			for (size_t w = 2; w < n; w++)
				req[w] = rnd();
		quiet(true);
		after = da_handle_request(&a, &env, (uint16_t)(req[0] >> 16), req + 2, (uint32_t)(n - 2), &r);
		quiet(false);
		assert_true(known_status(r.status));
		seen[r.status == DA_ST_INVALID_COMMAND ? 6 : r.status]++;
		assert_false(a.challenge_valid);
		assert_true(r.data_words == 0);
		if (r.status != DA_ST_SUCCESS)
			assert_int_equal(after, DA_AFTER_NOTHING);
	}
	print_message("# statuses: success %u, unauthorized %u, invalid parameters %u\n", seen[DA_ST_SUCCESS],
		      seen[DA_ST_UNAUTHORIZED], seen[DA_ST_INVALID_PARAMETERS]);
	/* The damage must reach every layer: framing, DER and the signature checks. */
	assert_true(seen[DA_ST_INVALID_PARAMETERS] > 300);
	assert_true(seen[DA_ST_UNAUTHORIZED] > 300);
}

static void test_hostile_packets_through_the_mailbox(void **state)
{
	fx *f = *state;
	static uint32_t req[REQ_CAP];
	uint8_t nonce[32];
	uint16_t status;

	provision_root(f, cr.root_hash, PERM_FULL);
	for (unsigned i = 0; i < 300; i++) {
		size_t n;

		da_device_take_resume(f->d);
		if (!da_device_active(f->d))
			enter(f);
		if (i % 3 == 0) {
			/* Every other one a well-formed header with a small command, some unknown. */
			req[0] = i % 6 == 0 ? (rnd() & 0x000F0000u) : rnd();
			n = 2 + rnd() % 40;
			for (size_t w = 2; w < n; w++)
				req[w] = rnd();
			req[1] = (uint32_t)(n - 2);
		} else {
			get_challenge(f, nonce);
			n = mutated_response(req, nonce, false);
		}
		if (!exchange_quietly(f, req, n, &status))
			fail_msg("packet %u (%zu words, header 0x%08x): no well-formed answer", i, n, req[0]);
		assert_true(known_status(status));
	}
	da_device_take_resume(f->d);
	if (!da_device_active(f->d))
		enter(f);
	assert_int_equal(command(f, UB_ADAC_CMD_DISCOVERY), UB_ADAC_ST_SUCCESS);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_host_to_device_handshake_and_lost_word),
		T(test_device_to_host_handshake),
		T(test_entry_needs_the_request_word_under_reset),
		T(test_request_written_while_running_is_ignored),
		T(test_reset_ends_session_and_challenge),
		T(test_discovery_password_part),
		T(test_discovery_certificate_part_and_locked),
		T(test_password_right_after_verify_time),
		T(test_password_wrong_and_challenge_single_use),
		T(test_password_length_limits),
		T(test_method_must_match_tzen_and_credential),
		T(test_certificate_root_only),
		T(test_certificate_chain_with_leaf_key),
		T(test_certificate_wrong_key_or_root),
		T(test_certificate_key_must_be_p256),
		T(test_certificate_chain_signature_algorithm),
		T(test_certificate_response_shapes),
		T(test_certificate_challenge_reuse),
		T(test_certificate_permissions),
		T(test_locked_refuses_authentication),
		T(test_resume_boot),
		T(test_unsupported_and_malformed_commands),
		T(test_hostile_requests_directly),
		T(test_hostile_packets_through_the_mailbox),
	};
#undef T
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
