/*
 * STM32H5 debug-authentication credentials and responses (see da_auth.h).
 *
 * Checks made here, before anything reaches the chip, so that a wrong file is
 * reported by name instead of as the device's bare UNAUTHORIZED:
 *  - every certificate carries an ECDSA P-256 key (facts B.4: the H5 DA
 *    cryptosystem is ECDSA P-256, DA_Config.xml KeyType ecdsa-p256);
 *  - each certificate after the first is signed, ECDSA/SHA-256, by the one
 *    before it (what the device checks, docs section 5);
 *  - the private key is P-256 and is the key of the last certificate.
 * The root's own signature is not checked: the device trusts the root by the
 * hash of its public key, not by its signature.
 */
#include "da_auth.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

/* A PEM ECDSA key is ~230 bytes; anything this large is not one. */
#define KEY_FILE_MAX 16384u
#define OSSL_REASON_MAX 160
#define P256_GROUP "prime256v1"
#define P256_COORD_LEN 32u

struct ub_da_cert_cred {
	size_t count;
	X509 *certs[UB_DA_MAX_CHAIN];
	uint8_t *der[UB_DA_MAX_CHAIN];   /* i2d_X509 output, OPENSSL_free'd */
	size_t der_len[UB_DA_MAX_CHAIN];
	EVP_PKEY *key;
};

/* OpenSSL's reason for the last failure, then a clean error queue.  Never used
 * for the private key's contents: OpenSSL's messages name what failed, not data. */
static const char *ossl_reason(char *buf, size_t len)
{
	unsigned long code = ERR_peek_last_error();

	if (code)
		ERR_error_string_n(code, buf, len);
	else
		snprintf(buf, len, "no OpenSSL error recorded");
	ERR_clear_error();
	return buf;
}

/* ---- whole small files through read(2) ------------------------------------------------------- */

/* Up to `cap` bytes of a regular file.  *size gets the file's size, which may exceed
 * what was read; no stdio buffer ever holds the content. */
static ub_err read_small_file(const char *what, const char *path, uint8_t *buf, size_t cap, size_t *got,
			      long long *size)
{
	struct stat st;
	size_t n = 0;
	int fd;

	if (!path)
		return ub_fail(UB_ERR_ARG, "%s: NULL file name", what);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ub_fail(UB_ERR_IO, "%s %s: cannot open: %s", what, path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ub_fail(UB_ERR_IO, "%s %s: not a regular file", what, path);
	}
	while (n < cap) {
		ssize_t r = read(fd, buf + n, cap - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = errno;

			close(fd);
			OPENSSL_cleanse(buf, cap);
			return ub_fail(UB_ERR_IO, "%s %s: read failed: %s", what, path, strerror(err));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*got = n;
	*size = (long long)st.st_size;
	return UB_OK;
}

/* ---- password -------------------------------------------------------------------------------- */

ub_err ub_da_password_load(const char *path, ub_da_password *out)
{
	/* 16 bytes, "\r\n", and one more to tell "too long" from "fits". */
	uint8_t buf[UB_ADAC_PASSWORD_MAX + 3];
	long long size = 0;
	size_t n = 0;
	ub_err e;

	if (!out)
		return ub_fail(UB_ERR_ARG, "DA password file: NULL result");
	memset(out, 0, sizeof(*out));
	e = read_small_file("DA password file", path, buf, sizeof(buf), &n, &size);
	if (e)
		return e;
	if (n == sizeof(buf)) {
		OPENSSL_cleanse(buf, sizeof(buf));
		return ub_fail(UB_ERR_ARG, "DA password file %s: %lld bytes; a password is %u..%u bytes (plus one "
			       "trailing newline)", path, size, UB_ADAC_PASSWORD_MIN, UB_ADAC_PASSWORD_MAX);
	}
	/* People make the file with echo: one "\n" or "\r\n" at the end is not part of it. */
	if (n >= 2 && buf[n - 2] == '\r' && buf[n - 1] == '\n')
		n -= 2;
	else if (n >= 1 && buf[n - 1] == '\n')
		n -= 1;
	if (n < UB_ADAC_PASSWORD_MIN || n > UB_ADAC_PASSWORD_MAX) {
		OPENSSL_cleanse(buf, sizeof(buf));
		return ub_fail(UB_ERR_ARG, "DA password file %s: %zu bytes after removing a trailing newline "
			       "(file %lld bytes); a password is %u..%u bytes", path, n, size, UB_ADAC_PASSWORD_MIN,
			       UB_ADAC_PASSWORD_MAX);
	}
	memcpy(out->bytes, buf, n);
	out->len = n;
	OPENSSL_cleanse(buf, sizeof(buf));
	return UB_OK;
}

void ub_da_password_wipe(ub_da_password *pw)
{
	if (pw)
		OPENSSL_cleanse(pw, sizeof(*pw));
}

static ub_err sha256(const char *what, const uint8_t *data, size_t len, uint8_t out[UB_DA_SHA256_LEN])
{
	char reason[OSSL_REASON_MAX];
	unsigned int outlen = 0;

	if (EVP_Digest(data, len, out, &outlen, EVP_sha256(), NULL) != 1 || outlen != UB_DA_SHA256_LEN)
		return ub_fail(UB_ERR_UNSUPPORTED, "%s: SHA-256 failed (OpenSSL: %s)", what,
			       ossl_reason(reason, sizeof(reason)));
	return UB_OK;
}

ub_err ub_da_password_generate(const char *path)
{
	/* 64 symbols: each random byte gives 6 bits without bias. */
	static const char symbols[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_+=.:@";
	_Static_assert(sizeof(symbols) - 1 == 64, "password alphabet must have 64 symbols");
	uint8_t rnd[UB_ADAC_PASSWORD_MAX];
	char pw[UB_ADAC_PASSWORD_MAX];
	ub_err e = UB_OK;
	int fd;

	if (!path || !*path)
		return ub_fail(UB_ERR_ARG, "DA password generation: no file name");
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return ub_fail(UB_ERR_IO, "DA password generation: RAND_bytes failed (%lu)", ERR_get_error());
	for (size_t i = 0; i < sizeof(pw); i++)
		pw[i] = symbols[rnd[i] & 63];
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		e = ub_fail(UB_ERR_IO, "DA password file %s: cannot create it: %s", path, strerror(errno));
	} else {
		if (write(fd, pw, sizeof(pw)) != (ssize_t)sizeof(pw))
			e = ub_fail(UB_ERR_IO, "DA password file %s: write failed: %s", path, strerror(errno));
		if (close(fd) != 0 && e == UB_OK)
			e = ub_fail(UB_ERR_IO, "DA password file %s: close failed: %s", path, strerror(errno));
		if (e != UB_OK)
			unlink(path);
	}
	OPENSSL_cleanse(rnd, sizeof(rnd));
	OPENSSL_cleanse(pw, sizeof(pw));
	return e;
}

ub_err ub_da_password_hash(const char *path, uint8_t out[UB_DA_SHA256_LEN])
{
	ub_da_password pw;
	ub_err e;

	if (!out)
		return ub_fail(UB_ERR_ARG, "DA password hash: NULL result");
	e = ub_da_password_load(path, &pw);
	if (!e)
		e = sha256("DA password hash", pw.bytes, pw.len, out);
	ub_da_password_wipe(&pw);
	return e;
}

/* ---- certificates ---------------------------------------------------------------------------- */

/* The key is ECDSA on P-256: anything else the device cannot check. */
static bool is_p256(const EVP_PKEY *pk)
{
	char group[32];
	size_t glen = 0;

	if (!pk || !EVP_PKEY_is_a(pk, "EC"))
		return false;
	if (EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), &glen) != 1)
		return false;
	return !strcmp(group, P256_GROUP);
}

/* Every certificate of a PEM file, in file order; at least one. */
static ub_err read_chain(const char *path, X509 **certs, size_t *count)
{
	char reason[OSSL_REASON_MAX];
	BIO *bio;
	X509 *x;
	unsigned long last;

	*count = 0;
	if (!path)
		return ub_fail(UB_ERR_ARG, "DA certificate file: NULL file name");
	ERR_clear_error();
	bio = BIO_new_file(path, "r");
	if (!bio)
		return ub_fail(UB_ERR_IO, "DA certificate file %s: cannot open: %s", path, strerror(errno));
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (*count == UB_DA_MAX_CHAIN) {
			X509_free(x);
			BIO_free(bio);
			return ub_fail(UB_ERR_ARG, "DA certificate file %s: more than %u certificates", path,
				       UB_DA_MAX_CHAIN);
		}
		certs[(*count)++] = x;
	}
	BIO_free(bio);
	/* The normal end of the file is "no start line"; anything else is a broken certificate. */
	last = ERR_peek_last_error();
	if (*count && ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE) {
		ERR_clear_error();
		return UB_OK;
	}
	if (!*count)
		return ub_fail(UB_ERR_ARG, "DA certificate file %s: no PEM certificate (OpenSSL: %s)", path,
			       ossl_reason(reason, sizeof(reason)));
	return ub_fail(UB_ERR_ARG, "DA certificate file %s: certificate %zu is malformed (OpenSSL: %s)", path,
		       *count + 1, ossl_reason(reason, sizeof(reason)));
}

/* Key type of every certificate, and each one after the first signed by its predecessor. */
static ub_err check_chain(const char *path, X509 *const *certs, size_t count)
{
	char reason[OSSL_REASON_MAX];

	for (size_t i = 0; i < count; i++) {
		if (!is_p256(X509_get0_pubkey(certs[i])))
			return ub_fail(UB_ERR_ARG, "DA certificate file %s: certificate %zu does not hold an ECDSA "
				       "P-256 key", path, i + 1);
		if (i == 0)
			continue;
		if (X509_get_signature_nid(certs[i]) != NID_ecdsa_with_SHA256)
			return ub_fail(UB_ERR_ARG, "DA certificate file %s: certificate %zu is signed with %s, the "
				       "device checks ECDSA with SHA-256", path, i + 1,
				       OBJ_nid2sn(X509_get_signature_nid(certs[i])));
		if (X509_verify(certs[i], X509_get0_pubkey(certs[i - 1])) != 1)
			return ub_fail(UB_ERR_ARG, "DA certificate file %s: certificate %zu is not signed by "
				       "certificate %zu (chains go root first; OpenSSL: %s)", path, i + 1, i,
				       ossl_reason(reason, sizeof(reason)));
	}
	return UB_OK;
}

static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	/* Never prompt on OpenOCD's terminal: an encrypted key is refused instead. */
	(void)buf; (void)size; (void)rwflag; (void)u;
	return -1;
}

static ub_err read_key(const char *path, EVP_PKEY **key)
{
	uint8_t *buf = malloc(KEY_FILE_MAX);
	char reason[OSSL_REASON_MAX];
	long long size = 0;
	size_t n = 0;
	BIO *bio;
	ub_err e;

	if (!buf)
		return ub_fail(UB_ERR_NOMEM, "DA key file %s: no memory", path ? path : "(null)");
	e = read_small_file("DA key file", path, buf, KEY_FILE_MAX, &n, &size);
	if (!e && n == KEY_FILE_MAX)
		e = ub_fail(UB_ERR_ARG, "DA key file %s: %lld bytes, too large for a PEM ECDSA key", path, size);
	if (!e) {
		ERR_clear_error();
		bio = BIO_new_mem_buf(buf, (int)n);
		*key = bio ? PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL) : NULL;
		BIO_free(bio);
		if (!*key)
			e = ub_fail(UB_ERR_ARG, "DA key file %s: no unencrypted PEM private key (OpenSSL: %s)", path,
				    ossl_reason(reason, sizeof(reason)));
	}
	OPENSSL_cleanse(buf, KEY_FILE_MAX);
	free(buf);
	if (!e && !is_p256(*key)) {
		EVP_PKEY_free(*key);
		*key = NULL;
		e = ub_fail(UB_ERR_ARG, "DA key file %s: not an ECDSA P-256 key", path);
	}
	return e;
}

void ub_da_cert_free(ub_da_cert_cred *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->count; i++) {
		X509_free(c->certs[i]);
		OPENSSL_free(c->der[i]);
	}
	EVP_PKEY_free(c->key);   /* frees and clears the private key */
	free(c);
}

static ub_err encode_ders(const char *path, ub_da_cert_cred *c)
{
	for (size_t i = 0; i < c->count; i++) {
		unsigned char *der = NULL;
		int len = i2d_X509(c->certs[i], &der);

		if (len <= 0)
			return ub_fail(UB_ERR_ARG, "DA certificate file %s: certificate %zu cannot be DER-encoded",
				       path, i + 1);
		c->der[i] = der;
		c->der_len[i] = (size_t)len;
		if ((size_t)len > UB_DA_MAX_CERT_DER)
			return ub_fail(UB_ERR_ARG, "DA certificate file %s: certificate %zu is %d bytes of DER, more "
				       "than %u", path, i + 1, len, UB_DA_MAX_CERT_DER);
	}
	return UB_OK;
}

ub_err ub_da_cert_load(const char *cert_path, const char *key_path, ub_da_cert_cred **out)
{
	ub_da_cert_cred *c;
	ub_err e;

	if (!out)
		return ub_fail(UB_ERR_ARG, "DA certificate: NULL result");
	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return ub_fail(UB_ERR_NOMEM, "DA certificate: no memory");
	e = read_chain(cert_path, c->certs, &c->count);
	if (!e)
		e = check_chain(cert_path, c->certs, c->count);
	if (!e)
		e = encode_ders(cert_path, c);
	if (!e)
		e = read_key(key_path, &c->key);
	if (!e && EVP_PKEY_eq(X509_get0_pubkey(c->certs[c->count - 1]), c->key) != 1)
		e = ub_fail(UB_ERR_ARG, "DA key file %s is not the key of the last certificate (%zu) of %s", key_path,
			    c->count, cert_path);
	if (e) {
		ub_da_cert_free(c);
		ERR_clear_error();
		return e;
	}
	*out = c;
	return UB_OK;
}

size_t ub_da_cert_count(const ub_da_cert_cred *c)
{
	return c ? c->count : 0;
}

size_t ub_da_cert_response_words(const ub_da_cert_cred *c)
{
	size_t words = UB_ADAC_HEADER_WORDS + 2 + (UB_ADAC_TOKEN_LEN + 3) / 4;

	for (size_t i = 0; c && i < c->count; i++)
		words += 2 + (c->der_len[i] + 3) / 4;
	return words;
}

ub_err ub_da_cert_root_hash(const char *path, uint8_t out[UB_DA_SHA256_LEN])
{
	X509 *certs[UB_DA_MAX_CHAIN];
	unsigned char *spki = NULL;
	size_t count = 0;
	int len;
	ub_err e;

	if (!out)
		return ub_fail(UB_ERR_ARG, "DA root-key hash: NULL result");
	e = read_chain(path, certs, &count);
	if (!e && !is_p256(X509_get0_pubkey(certs[0])))
		e = ub_fail(UB_ERR_ARG, "DA certificate file %s: the root (certificate 1) does not hold an ECDSA "
			    "P-256 key, which is the only kind the device accepts", path);
	if (!e) {
		/* The SubjectPublicKeyInfo exactly as encoded in the certificate (docs section 7). */
		len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(certs[0]), &spki);
		if (len <= 0)
			e = ub_fail(UB_ERR_ARG, "DA certificate file %s: the root's public key cannot be DER-encoded",
				    path);
		else
			e = sha256("DA root-key hash", spki, (size_t)len, out);
	}
	OPENSSL_free(spki);
	for (size_t i = 0; i < count; i++)
		X509_free(certs[i]);
	return e;
}

/* ---- token ----------------------------------------------------------------------------------- */

/* DER ECDSA-Sig-Value -> r || s, each left-padded to 32 bytes (docs section 5). */
static ub_err der_sig_to_raw(const unsigned char *der, size_t der_len, uint8_t raw[UB_ADAC_TOKEN_SIG_LEN])
{
	const unsigned char *p = der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	const BIGNUM *r = NULL, *s = NULL;
	ub_err e = UB_OK;

	if (!sig)
		return ub_fail(UB_ERR_UNSUPPORTED, "DA token: OpenSSL produced an unreadable signature");
	ECDSA_SIG_get0(sig, &r, &s);
	if (BN_bn2binpad(r, raw, P256_COORD_LEN) != (int)P256_COORD_LEN ||
	    BN_bn2binpad(s, raw + P256_COORD_LEN, P256_COORD_LEN) != (int)P256_COORD_LEN)
		e = ub_fail(UB_ERR_UNSUPPORTED, "DA token: signature values do not fit 32 bytes");
	ECDSA_SIG_free(sig);
	return e;
}

ub_err ub_da_token_build(const ub_da_cert_cred *c, const ub_adac_challenge *challenge, uint32_t permissions,
			 uint8_t token[UB_ADAC_TOKEN_LEN])
{
	uint8_t msg[UB_ADAC_TOKEN_HEADER_LEN + UB_ADAC_CHALLENGE_LEN];
	unsigned char der[80];  /* a P-256 DER signature is at most 72 bytes */
	size_t der_len = sizeof(der);
	char reason[OSSL_REASON_MAX];
	EVP_MD_CTX *ctx;
	ub_err e;

	if (!c || !c->key || !challenge || !token)
		return ub_fail(UB_ERR_ARG, "DA token: NULL argument");
	e = ub_adac_token_header(permissions, token);
	if (e)
		return e;
	memcpy(msg, token, UB_ADAC_TOKEN_HEADER_LEN);
	memcpy(msg + UB_ADAC_TOKEN_HEADER_LEN, challenge->nonce, UB_ADAC_CHALLENGE_LEN);
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return ub_fail(UB_ERR_NOMEM, "DA token: no memory for the signature context");
	if (EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, c->key) != 1 ||
	    EVP_DigestSign(ctx, der, &der_len, msg, sizeof(msg)) != 1)
		e = ub_fail(UB_ERR_UNSUPPORTED, "DA token: ECDSA P-256/SHA-256 signing failed (OpenSSL: %s)",
			    ossl_reason(reason, sizeof(reason)));
	EVP_MD_CTX_free(ctx);
	if (!e)
		e = der_sig_to_raw(der, der_len, token + UB_ADAC_TOKEN_HEADER_LEN);
	return e;
}

ub_err ub_da_cert_build_response(const ub_da_cert_cred *c, const ub_adac_challenge *challenge, bool partial,
				 uint32_t *out, size_t cap_words, size_t *out_words)
{
	uint8_t token[UB_ADAC_TOKEN_LEN];
	const uint8_t *ders[UB_DA_MAX_CHAIN];
	ub_err e;

	if (!c || !challenge || !out || !out_words)
		return ub_fail(UB_ERR_ARG, "DA certificate response: NULL argument");
	e = ub_da_token_build(c, challenge, partial ? UB_ADAC_PERM_PARTIAL_REGRESSION : UB_ADAC_PERM_FULL_REGRESSION,
			      token);
	for (size_t i = 0; !e && i < c->count; i++)
		ders[i] = c->der[i];
	if (!e)
		e = ub_adac_build_cert_response(ders, c->der_len, c->count, token, sizeof(token), out, cap_words,
						out_words);
	return e;
}
