/*
 * Unit tests of the STM32H5 debug-authentication credentials and responses
 * (src/target/da_auth.c) and of the certificate-response additions to the ADAC codec (adac.c):
 * password file rules, hashes the device compares, chain and key checks, and a token whose
 * signature verifies with the leaf certificate's public key.  No chip: no fake OpenOCD.
 */
#define DA_TESTUTIL_NO_COMMANDS
#include "da_host_testutil.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>

#include "adac.h"
#include "da_auth.h"

/* ---- credentials ------------------------------------------------------------------------------------ */

static ub_err load_bytes(const char *bytes, size_t len, ub_da_password *pw, char *path, size_t cap)
{
	ub_err e;

	tmp_file(path, cap, bytes, len);
	e = ub_da_password_load(path, pw);
	unlink(path);
	return e;
}

static void test_password_file_rules(void **state)
{
	ub_da_password pw;
	char path[64], msg[80];

	assert_int_equal(load_bytes("abcd\n", 5, &pw, path, sizeof(path)), UB_OK);
	assert_int_equal(pw.len, 4);
	assert_int_equal(load_bytes("abcd\r\n", 6, &pw, path, sizeof(path)), UB_OK);
	assert_int_equal(pw.len, 4);
	assert_int_equal(load_bytes("abcd\n\n", 6, &pw, path, sizeof(path)), UB_OK);   /* only one is stripped */
	assert_int_equal(pw.len, 5);
	assert_int_equal(load_bytes("0123456789abcdef\r\n", 18, &pw, path, sizeof(path)), UB_OK);
	assert_int_equal(pw.len, 16);
	assert_memory_equal(pw.bytes, "0123456789abcdef", 16);
	ub_da_password_wipe(&pw);
	assert_int_equal(pw.len, 0);

	assert_int_equal(load_bytes("abc\n", 4, &pw, path, sizeof(path)), UB_ERR_ARG);
	snprintf(msg, sizeof(msg), "%s: 3 bytes", path);
	assert_contains(ub_last_error(), msg);
	assert_null(strstr(ub_last_error(), "abc\n"));
	assert_int_equal(load_bytes("0123456789abcdefg", 17, &pw, path, sizeof(path)), UB_ERR_ARG);
	assert_contains(ub_last_error(), "17 bytes");
	assert_null(strstr(ub_last_error(), "0123"));
	assert_int_equal(load_bytes("", 0, &pw, path, sizeof(path)), UB_ERR_ARG);
	assert_int_equal(ub_da_password_load("/nonexistent/password.bin", &pw), UB_ERR_IO);
	assert_contains(ub_last_error(), "/nonexistent/password.bin");
}

static void test_password_generate(void **state)
{
	char dir[] = "/tmp/test_da_pwgen_XXXXXX", a[64], b[64];
	ub_da_password pa, pb;
	struct stat st;

	assert_non_null(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/a.bin", dir);
	snprintf(b, sizeof(b), "%s/b.bin", dir);
	assert_int_equal(ub_da_password_generate(a), UB_OK);
	assert_int_equal(stat(a, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, UB_ADAC_PASSWORD_MAX);
	assert_int_equal(ub_da_password_load(a, &pa), UB_OK);
	assert_int_equal(pa.len, UB_ADAC_PASSWORD_MAX);
	for (size_t i = 0; i < pa.len; i++)
		assert_true(pa.bytes[i] > ' ' && pa.bytes[i] < 0x7f);
	/* Never overwrites: a second run must not replace a password someone may already rely on. */
	assert_int_equal(ub_da_password_generate(a), UB_ERR_IO);
	assert_non_null(strstr(ub_last_error(), "cannot create"));
	assert_int_equal(ub_da_password_generate(b), UB_OK);
	assert_int_equal(ub_da_password_load(b, &pb), UB_OK);
	assert_memory_not_equal(pa.bytes, pb.bytes, pa.len);
	assert_int_equal(ub_da_password_generate(""), UB_ERR_ARG);
	unlink(a);
	unlink(b);
	rmdir(dir);
}

static void test_hashes(void **state)
{
	uint8_t h[32], want[32];

	assert_int_equal(ub_da_password_hash(FIX("password.bin"), h), UB_OK);
	assert_int_equal(EVP_Digest(PASSWORD, strlen(PASSWORD), want, NULL, EVP_sha256(), NULL), 1);
	assert_memory_equal(h, want, 32);

	root_hash_from_fixture(want);
	assert_int_equal(ub_da_cert_root_hash(FIX("root.cert.pem"), h), UB_OK);
	assert_memory_equal(h, want, 32);
	assert_int_equal(ub_da_cert_root_hash(FIX("chain.pem"), h), UB_OK);   /* the root comes first */
	assert_memory_equal(h, want, 32);
	assert_int_equal(ub_da_cert_root_hash(FIX("password.bin"), h), UB_ERR_ARG);
	assert_int_equal(ub_da_cert_root_hash("/nonexistent.pem", h), UB_ERR_IO);
}

/* `first` then `second` into a temporary file. */
static void concat_pem(char *path, size_t cap, const char *first, const char *second)
{
	char text[4096];
	size_t n = 0;
	const char *parts[2] = { first, second };

	for (int i = 0; i < 2; i++) {
		FILE *f = fopen(parts[i], "r");

		assert_non_null(f);
		n += fread(text + n, 1, sizeof(text) - n, f);
		fclose(f);
	}
	tmp_file(path, cap, text, n);
}

static void test_cert_key_checks(void **state)
{
	ub_da_cert_cred *c = NULL;
	char path[64];

	assert_int_equal(ub_da_cert_load(FIX("chain.pem"), FIX("leaf.key.pem"), &c), UB_OK);
	assert_int_equal(ub_da_cert_count(c), 2);
	ub_da_cert_free(c);
	assert_int_equal(ub_da_cert_load(FIX("root.cert.pem"), FIX("root.key.pem"), &c), UB_OK);
	assert_int_equal(ub_da_cert_count(c), 1);
	ub_da_cert_free(c);

	assert_int_equal(ub_da_cert_load(FIX("chain.pem"), FIX("root.key.pem"), &c), UB_ERR_ARG);
	assert_contains(ub_last_error(), "root.key.pem is not the key of the last certificate (2)");
	assert_null(c);
	assert_int_equal(ub_da_cert_load(FIX("chain.pem"), FIX("leaf.cert.pem"), &c), UB_ERR_ARG);
	assert_contains(ub_last_error(), "no unencrypted PEM private key");

	/* Leaf first: the order is wrong, said before anything is sent. */
	concat_pem(path, sizeof(path), FIX("leaf.cert.pem"), FIX("root.cert.pem"));
	assert_int_equal(ub_da_cert_load(path, FIX("root.key.pem"), &c), UB_ERR_ARG);
	assert_contains(ub_last_error(), "certificate 2 is not signed by certificate 1");
	unlink(path);
}

/* The token verifies with the leaf's public key over header || nonce (docs section 5). */
static void test_token_signature_verifies(void **state)
{
	ub_da_cert_cred *c = NULL;
	ub_adac_challenge ch = { 1, 0, { 0 } };
	uint8_t tok[UB_ADAC_TOKEN_LEN], msg[56], der[80], *p = der;
	FILE *f = fopen(FIX("leaf.cert.pem"), "r");
	X509 *leaf;
	ECDSA_SIG *sig = ECDSA_SIG_new();
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int len;

	assert_non_null(f);
	leaf = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	for (int i = 0; i < 32; i++)
		ch.nonce[i] = (uint8_t)(0x30 + i);
	assert_int_equal(ub_da_cert_load(FIX("chain.pem"), FIX("leaf.key.pem"), &c), UB_OK);
	assert_int_equal(ub_da_token_build(c, &ch, UB_ADAC_PERM_PARTIAL_REGRESSION, tok), UB_OK);
	assert_int_equal(ub_da_token_build(c, &ch, 3, tok), UB_ERR_ARG);   /* both actions at once: refused */
	assert_int_equal(ub_da_token_build(c, &ch, UB_ADAC_PERM_PARTIAL_REGRESSION, tok), UB_OK);
	assert_int_equal(tok[0], 1);
	assert_int_equal(tok[2], 0x01);
	assert_int_equal(tok[8], 0x02);
	for (int i = 9; i < 24; i++)
		assert_int_equal(tok[i], 0);

	ECDSA_SIG_set0(sig, BN_bin2bn(tok + 24, 32, NULL), BN_bin2bn(tok + 56, 32, NULL));
	len = i2d_ECDSA_SIG(sig, &p);
	memcpy(msg, tok, 24);
	memcpy(msg + 24, ch.nonce, 32);
	assert_int_equal(EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, X509_get0_pubkey(leaf)), 1);
	assert_int_equal(EVP_DigestVerify(ctx, der, (size_t)len, msg, sizeof(msg)), 1);
	msg[30] ^= 1;   /* another challenge: must not verify */
	assert_int_equal(EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, X509_get0_pubkey(leaf)), 1);
	assert_int_not_equal(EVP_DigestVerify(ctx, der, (size_t)len, msg, sizeof(msg)), 1);

	EVP_MD_CTX_free(ctx);
	ECDSA_SIG_free(sig);
	X509_free(leaf);
	ub_da_cert_free(c);
}

static void test_cert_response_layout(void **state)
{
	const uint8_t c1[5] = { 1, 2, 3, 4, 5 }, c2[4] = { 6, 7, 8, 9 }, tok[UB_ADAC_TOKEN_LEN] = { 1 };
	const uint8_t *certs[2] = { c1, c2 };
	const size_t lens[2] = { 5, 4 };
	uint32_t out[64];
	size_t n = 0;

	assert_int_equal(ub_adac_build_cert_response(certs, lens, 2, tok, sizeof(tok), out, 64, &n), UB_OK);
	assert_int_equal(n, 2 + (2 + 2) + (2 + 1) + (2 + 22));
	assert_int_equal(out[0], 0x00030000u);
	assert_int_equal(out[1], n - 2);
	assert_int_equal(out[2], 0x02020000u);
	assert_int_equal(out[3], 5);
	assert_int_equal(out[4], 0x04030201u);
	assert_int_equal(out[5], 0x00000005u);
	assert_int_equal(out[6], 0x02020000u);
	assert_int_equal(out[9], 0x02000000u);
	assert_int_equal(out[10], UB_ADAC_TOKEN_LEN);
	assert_int_equal(ub_adac_build_cert_response(certs, lens, 2, tok, sizeof(tok), out, 20, &n), UB_ERR_ARG);
	assert_int_equal(ub_adac_build_cert_response(certs, lens, 0, tok, sizeof(tok), out, 64, &n), UB_ERR_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_file_rules),
		cmocka_unit_test(test_password_generate),
		cmocka_unit_test(test_hashes),
		cmocka_unit_test(test_cert_key_checks),
		cmocka_unit_test(test_token_signature_verifies),
		cmocka_unit_test(test_cert_response_layout),
	};

	if (getenv("DA_TEST_FILTER"))
		cmocka_set_test_filter(getenv("DA_TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
