/*
 * What the STM32H5 boot ROM answers to each PSA ADAC request of a debug-
 * authentication session, and the cryptography behind the answers.  The
 * conventions (TLVs, token layout, statuses) are docs/h5-debug-authentication.md
 * §3-§5; the facts behind them are facts B.3/B.4.
 *
 * Every byte of a request comes from the debugger and is hostile until
 * checked: lengths are compared with what was really received before anything
 * is read, DER is parsed by libcrypto from a buffer of exactly the TLV's size,
 * and a malformed request is answered INVALID_PARAMETERS.
 *
 * Order of the checks of an authentication response, so that the status for
 * a request with several faults is defined:
 *   Locked -> UNSUPPORTED; no outstanding challenge -> FAILURE (the challenge
 *   is used up from here on, whatever the outcome); TLV framing ->
 *   INVALID_PARAMETERS; method not provisioned or wrong for TZEN ->
 *   UNSUPPORTED; certificate DER -> INVALID_PARAMETERS; hash, chain,
 *   signature, permission -> UNAUTHORIZED.
 */
#include "da_device_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#define TLV_AUTH_VERSION   0x0001u
#define TLV_VENDOR_ID      0x0002u
#define TLV_SOC_CLASS      0x0003u
#define TLV_SOC_ID         0x0004u
#define TLV_PSA_LIFECYCLE  0x0008u
#define TLV_SDA_VERSION    0x000Bu
#define TLV_TOKEN_FORMATS  0x0100u
#define TLV_CERT_FORMATS   0x0101u
#define TLV_CRYPTOSYSTEMS  0x0102u
#define TLV_PSA_TOKEN      0x0200u
#define TLV_X509_CERT      0x0202u
#define TLV_ST_VENDOR      0x8000u /* password in a request, provisioning status in discovery */

#define VENDOR_ST          0x0020u /* JEP106 */
#define CRYPTO_ECDSA_P256  0x01u
#define CRYPTO_ST_PASSWORD 0x80u   /* ST sample's vendor ID, UNCONFIRMED for H5 (facts B.4) */

#define PASSWORD_MIN 4u
#define PASSWORD_MAX 16u
#define MAX_CERTS 4u               /* root, up to two intermediates, leaf (ours) */

#define TOKEN_LEN 88u
#define TOKEN_SIGNED_LEN 24u
#define TOKEN_SIG_OFFSET 24u
#define PERM_FULL    (1u << 0)
#define PERM_PARTIAL (1u << 1)

/* ------------------------------------------------------------ answers -- */

static void reply_status(da_reply *r, uint16_t status)
{
	r->status = status;
	r->data_words = 0;
}

/* The answers are built from fixed content, never from input: overflowing the
 * reply is a programming error in this file. */
static void reply_word(da_reply *r, uint32_t w)
{
	if (r->data_words >= DA_MAX_REPLY_WORDS) {
		fprintf(stderr, "stm32sim: internal error: da reply longer than %u words\n", DA_MAX_REPLY_WORDS);
		abort();
	}
	r->data[r->data_words++] = w;
}

/* TLV { u16 reserved 0, u16 type } { u32 length } value, little-endian, zero-padded. */
static void reply_tlv(da_reply *r, uint16_t type, const uint8_t *value, uint32_t len)
{
	reply_word(r, (uint32_t)type << 16);
	reply_word(r, len);
	for (uint32_t w = 0; w < (len + 3u) / 4u; w++) {
		uint32_t word = 0;

		for (uint32_t i = 0; i < 4u && 4u * w + i < len; i++)
			word |= (uint32_t)value[4u * w + i] << (8u * i);
		reply_word(r, word);
	}
}

/* ---------------------------------------------------------- discovery -- */

/* PSA lifecycle for a PRODUCT_STATE (docs §4, our mapping).  The intermediate
 * regression states are not in the table: the ROM finishes an interrupted
 * regression before it would talk DA, so they answer 0 (PSA "unknown"). */
static uint16_t psa_lifecycle(uint8_t product_state)
{
	switch (product_state) {
	case H5PS_OPEN:
	case H5PS_PROVISIONING:
		return 0x2000u;
	case H5PS_IROT_PROVISIONED:
	case H5PS_TZ_CLOSED:
	case H5PS_CLOSED:
		return 0x3000u;
	case H5PS_LOCKED:
		return 0x6000u;
	default:
		return 0x0000u;
	}
}

static void discovery(const da_device_env *env, da_reply *r)
{
	flash_h5_credential cred;
	uint8_t product_state = env->product_state(env->ctx);
	bool tz = env->tz_enabled(env->ctx);
	uint16_t lifecycle = psa_lifecycle(product_state);
	uint8_t auth_version[2] = { 1, 0 };
	uint8_t vendor[2] = { VENDOR_ST & 0xFFu, VENDOR_ST >> 8 };
	uint8_t soc_class[4] = { (uint8_t)env->dev_id, (uint8_t)(env->dev_id >> 8), 0, 0 };
	uint8_t soc_id[16] = { 0 };
	uint8_t lcs[2] = { (uint8_t)lifecycle, (uint8_t)(lifecycle >> 8) };
	uint8_t sda_version[4] = { 2, 4, 0, 0 };
	uint8_t token_formats[2] = { TLV_PSA_TOKEN & 0xFFu, TLV_PSA_TOKEN >> 8 };
	uint8_t cert_formats[2] = { TLV_X509_CERT & 0xFFu, TLV_X509_CERT >> 8 };
	uint8_t cryptosystems[2] = { CRYPTO_ECDSA_P256, CRYPTO_ST_PASSWORD };
	uint8_t st_status[4];

	env->credential(env->ctx, &cred);
	memcpy(soc_id, env->uid, sizeof(env->uid));
	st_status[0] = product_state;
	st_status[1] = (uint8_t)cred.kind;
	st_status[2] = tz ? H5_TZEN_ON : H5_TZEN_OFF;
	st_status[3] = 0;

	reply_status(r, DA_ST_SUCCESS);
	reply_tlv(r, TLV_AUTH_VERSION, auth_version, sizeof(auth_version));
	reply_tlv(r, TLV_VENDOR_ID, vendor, sizeof(vendor));
	reply_tlv(r, TLV_SOC_CLASS, soc_class, sizeof(soc_class));
	reply_tlv(r, TLV_SOC_ID, soc_id, sizeof(soc_id));
	reply_tlv(r, TLV_PSA_LIFECYCLE, lcs, sizeof(lcs));
	reply_tlv(r, TLV_SDA_VERSION, sda_version, sizeof(sda_version));
	reply_tlv(r, TLV_TOKEN_FORMATS, token_formats, sizeof(token_formats));
	reply_tlv(r, TLV_CERT_FORMATS, cert_formats, sizeof(cert_formats));
	/* The password method is only advertised when a password is provisioned (docs §4). */
	reply_tlv(r, TLV_CRYPTOSYSTEMS, cryptosystems, cred.kind == FLASH_H5_CRED_PASSWORD ? 2u : 1u);
	reply_tlv(r, TLV_ST_VENDOR, st_status, sizeof(st_status));
}

/* ---------------------------------------------------------- challenge -- */

static void start_authentication(da_auth *a, const da_device_env *env, da_reply *r)
{
	/* Locked has no regression at all (facts B.3): nothing to authenticate for. */
	if (env->product_state(env->ctx) == H5PS_LOCKED) {
		reply_status(r, DA_ST_UNSUPPORTED);
		return;
	}
	/* A new challenge replaces the previous one (docs §5). */
	a->challenge_valid = false;
	if (RAND_bytes(a->challenge, DA_CHALLENGE_LEN) != 1) {
		ERR_clear_error();
		sim_log_info("da: RAND_bytes failed, no challenge issued");
		reply_status(r, DA_ST_FAILURE);
		return;
	}
	a->challenge_valid = true;
	reply_status(r, DA_ST_SUCCESS);
	reply_word(r, 1u | 0u << 8);    /* major 1, minor 0, reserved 0 */
	for (uint32_t w = 0; w < DA_CHALLENGE_LEN / 4u; w++) {
		const uint8_t *b = &a->challenge[4u * w];

		reply_word(r, (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24);
	}
}

/* ------------------------------------------------ response TLV framing -- */

typedef struct tlv_ref {
	const uint8_t *value;
	uint32_t len;
} tlv_ref;

/* An authentication response split into its parts; values point into the request bytes.
 * The array is last so that an indexing slip leaves the object (caught by ASan). */
typedef struct auth_parts {
	bool password;
	tlv_ref pw;
	bool has_token;
	tlv_ref token;
	unsigned n_certs;
	tlv_ref certs[MAX_CERTS];
} auth_parts;

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Token header (docs §5): version 1.0, ECDSA P-256, reserved and extension
 * bytes 0, exactly one of the two permission bits and nothing else. */
static bool token_header_valid(const uint8_t *t)
{
	if (t[0] != 1 || t[1] != 0 || t[2] != CRYPTO_ECDSA_P256 || t[3] || t[4] || t[5] || t[6] || t[7])
		return false;
	for (unsigned i = 9; i < TOKEN_SIGNED_LEN; i++)
		if (t[i])
			return false;
	return t[8] == PERM_FULL || t[8] == PERM_PARTIAL;
}

/* Files one TLV into `p`; false when it breaks the allowed shapes:
 * one password TLV alone, or certificates then one token last. */
static bool file_tlv(auth_parts *p, uint16_t type, tlv_ref v, unsigned index)
{
	if (p->password || p->has_token)
		return false;   /* nothing may follow a password or a token */
	switch (type) {
	case TLV_ST_VENDOR:
		if (index != 0 || v.len < PASSWORD_MIN || v.len > PASSWORD_MAX)
			return false;
		p->password = true;
		p->pw = v;
		return true;
	case TLV_X509_CERT:
		if (p->n_certs >= MAX_CERTS || v.len == 0)
			return false;
		p->certs[p->n_certs++] = v;
		return true;
	case TLV_PSA_TOKEN:
		if (p->n_certs == 0 || v.len != TOKEN_LEN || !token_header_valid(v.value))
			return false;
		p->has_token = true;
		p->token = v;
		return true;
	default:
		return false;
	}
}

static bool split_response(const uint8_t *bytes, size_t len, auth_parts *p)
{
	size_t pos = 0;
	unsigned index = 0;

	memset(p, 0, sizeof(*p));
	while (pos < len) {
		size_t left = len - pos;    /* a multiple of 4: the request is whole words */

		if (left < 8)
			return false;
		uint32_t w0 = get_le32(bytes + pos);
		tlv_ref v = { bytes + pos + 8, get_le32(bytes + pos + 4) };
		/* Compare before rounding so that a huge length cannot wrap. */
		if ((w0 & 0xFFFFu) || v.len > left - 8 || (v.len + 3u) / 4u * 4u > left - 8)
			return false;
		if (!file_tlv(p, (uint16_t)(w0 >> 16), v, index++))
			return false;
		pos += 8 + (v.len + 3u) / 4u * 4u;
	}
	return p->password || p->has_token;
}

/* ----------------------------------------------------------- password -- */

static uint16_t check_password(const tlv_ref *pw, const flash_h5_credential *cred, bool tz)
{
	uint8_t digest[EVP_MAX_MD_SIZE];
	unsigned digest_len = 0;

	/* A password only with TZEN = 0xC3 (facts B.3, AN6008 caution). */
	if (tz || cred->kind != FLASH_H5_CRED_PASSWORD) {
		sim_log_info("da: password refused: %s", tz ? "TrustZone is enabled" : "no password provisioned");
		return DA_ST_UNSUPPORTED;
	}
	if (EVP_Digest(pw->value, pw->len, digest, &digest_len, EVP_sha256(), NULL) != 1 || digest_len != 32) {
		ERR_clear_error();
		sim_log_info("da: EVP_Digest(SHA-256) of the password failed");
		return DA_ST_FAILURE;
	}
	/* Constant time: the comparison must not tell how many bytes matched. */
	bool match = CRYPTO_memcmp(digest, cred->hash, 32) == 0;

	OPENSSL_cleanse(digest, sizeof(digest));
	if (!match)
		sim_log_info("da: wrong password");
	/* The password method grants full regression only (docs §5, §7). */
	return match ? DA_ST_SUCCESS : DA_ST_UNAUTHORIZED;
}

/* -------------------------------------------------------- certificate -- */

/* An ECDSA key on NIST P-256, the only key type H5 DA uses (facts B.4, DA_Config.xml). */
static bool key_is_p256(EVP_PKEY *key)
{
	char group[64];
	size_t group_len = 0;

	if (!key || !EVP_PKEY_is_a(key, "EC"))
		return false;
	if (EVP_PKEY_get_group_name(key, group, sizeof(group), &group_len) != 1)
		return false;
	return OBJ_sn2nid(group) == NID_X9_62_prime256v1 || EC_curve_nist2nid(group) == NID_X9_62_prime256v1;
}

/* SHA-256 of the DER SubjectPublicKeyInfo equals the provisioned root-key hash (docs §7). */
static bool root_key_matches(X509 *root, const uint8_t hash[32])
{
	unsigned char *spki = NULL;
	uint8_t digest[EVP_MAX_MD_SIZE];
	unsigned digest_len = 0;
	int spki_len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(root), &spki);
	bool ok = spki_len > 0 && EVP_Digest(spki, (size_t)spki_len, digest, &digest_len, EVP_sha256(), NULL) == 1 &&
		  digest_len == 32 && CRYPTO_memcmp(digest, hash, 32) == 0;

	OPENSSL_free(spki);
	return ok;
}

/* The root is trusted through its hash; every later certificate must be
 * signed (ECDSA P-256/SHA-256) by the one before it. */
static bool chain_valid(X509 *const *certs, unsigned n, const uint8_t root_hash[32])
{
	if (!root_key_matches(certs[0], root_hash)) {
		sim_log_info("da: root certificate's key is not the provisioned one");
		return false;
	}
	for (unsigned i = 0; i < n; i++) {
		if (!key_is_p256(X509_get0_pubkey(certs[i]))) {
			sim_log_info("da: certificate %u does not carry an ECDSA P-256 key", i);
			return false;
		}
		if (i == 0)
			continue;
		if (X509_get_signature_nid(certs[i]) != NID_ecdsa_with_SHA256 ||
		    X509_verify(certs[i], X509_get0_pubkey(certs[i - 1])) != 1) {
			sim_log_info("da: certificate %u is not signed by certificate %u", i, i - 1);
			return false;
		}
	}
	return true;
}

/* Raw r||s (big-endian, 32 bytes each) to the DER ECDSA-Sig-Value libcrypto verifies. */
static int raw_signature_to_der(const uint8_t *raw, unsigned char **der)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(raw, 32, NULL);
	BIGNUM *s = BN_bin2bn(raw + 32, 32, NULL);
	int len = -1;

	if (sig && r && s && ECDSA_SIG_set0(sig, r, s) == 1) {
		r = s = NULL;   /* owned by sig now */
		len = i2d_ECDSA_SIG(sig, der);
	}
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(sig);
	return len;
}

/* The token signs SHA-256(token bytes 0..23 || challenge) (docs §5). */
static uint16_t check_token_signature(const uint8_t *token, const uint8_t *challenge, EVP_PKEY *key)
{
	uint8_t signed_data[TOKEN_SIGNED_LEN + DA_CHALLENGE_LEN];
	unsigned char *der = NULL;
	int der_len = raw_signature_to_der(token + TOKEN_SIG_OFFSET, &der);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint16_t status = DA_ST_FAILURE;

	memcpy(signed_data, token, TOKEN_SIGNED_LEN);
	memcpy(signed_data + TOKEN_SIGNED_LEN, challenge, DA_CHALLENGE_LEN);
	if (der_len <= 0 || !md) {
		sim_log_info("da: could not prepare the token signature for verification");
	} else if (EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) != 1) {
		sim_log_info("da: EVP_DigestVerifyInit failed for the leaf key");
		status = DA_ST_UNAUTHORIZED;
	} else if (EVP_DigestVerify(md, der, (size_t)der_len, signed_data, sizeof(signed_data)) != 1) {
		sim_log_info("da: token signature does not verify with the last certificate's key");
		status = DA_ST_UNAUTHORIZED;
	} else {
		status = DA_ST_SUCCESS;
	}
	EVP_MD_CTX_free(md);
	OPENSSL_free(der);
	return status;
}

static uint16_t verify_certificates(X509 *const *certs, unsigned n, const uint8_t *token, const uint8_t *challenge,
				    const flash_h5_credential *cred, bool *partial)
{
	uint16_t status;
	uint8_t requested = token[8];

	if (!chain_valid(certs, n, cred->hash))
		return DA_ST_UNAUTHORIZED;
	status = check_token_signature(token, challenge, X509_get0_pubkey(certs[n - 1]));
	if (status != DA_ST_SUCCESS)
		return status;
	if (!(cred->permissions & requested)) {
		sim_log_info("da: %s regression requested, provisioned permissions 0x%08x do not allow it",
			     requested == PERM_PARTIAL ? "partial" : "full", (unsigned)cred->permissions);
		return DA_ST_UNAUTHORIZED;
	}
	/* Certificates are only accepted with TZ on, so partial is only ever granted with TZ on. */
	*partial = requested == PERM_PARTIAL;
	return DA_ST_SUCCESS;
}

static uint16_t check_certificate(const auth_parts *p, const flash_h5_credential *cred, bool tz,
				  const uint8_t *challenge, bool *partial)
{
	X509 *certs[MAX_CERTS] = { NULL };
	uint16_t status = DA_ST_SUCCESS;

	/* A certificate only with TZEN = 0xB4 (facts B.3, AN6008 caution). */
	if (!tz || cred->kind != FLASH_H5_CRED_CERT_ROOT) {
		sim_log_info("da: certificate refused: %s", !tz ? "TrustZone is disabled" : "no root key provisioned");
		return DA_ST_UNSUPPORTED;
	}
	for (unsigned i = 0; i < p->n_certs && status == DA_ST_SUCCESS; i++) {
		const unsigned char *der = p->certs[i].value;

		certs[i] = d2i_X509(NULL, &der, (long)p->certs[i].len);
		/* The DER must fill the TLV exactly: trailing bytes are not a certificate. */
		if (!certs[i] || der != p->certs[i].value + p->certs[i].len) {
			sim_log_guest_error("da: certificate TLV %u is not one DER X.509 certificate", i);
			status = DA_ST_INVALID_PARAMETERS;
		}
	}
	if (status == DA_ST_SUCCESS)
		status = verify_certificates(certs, p->n_certs, p->token.value, challenge, cred, partial);
	for (unsigned i = 0; i < p->n_certs; i++)
		X509_free(certs[i]);
	return status;
}

/* ------------------------------------------------ authentication response -- */

static uint16_t check_parts(const auth_parts *p, const da_device_env *env, const uint8_t *challenge,
			    bool *partial)
{
	flash_h5_credential cred;
	bool tz = env->tz_enabled(env->ctx);
	uint16_t status;

	env->credential(env->ctx, &cred);
	if (p->password)
		status = check_password(&p->pw, &cred, tz);
	else
		status = check_certificate(p, &cred, tz, challenge, partial);
	OPENSSL_cleanse(&cred, sizeof(cred));
	return status;
}

static uint16_t authentication_response(da_auth *a, const da_device_env *env, const uint32_t *data,
					uint32_t nwords, da_after *after)
{
	uint8_t challenge[DA_CHALLENGE_LEN];
	size_t len = (size_t)nwords * 4u;
	uint8_t *bytes;
	auth_parts parts;
	bool partial = false;
	uint16_t status;

	if (env->product_state(env->ctx) == H5PS_LOCKED)
		return DA_ST_UNSUPPORTED;
	if (!a->challenge_valid)
		return DA_ST_FAILURE;
	/* Single use: a second answer to the same challenge finds none. */
	memcpy(challenge, a->challenge, sizeof(challenge));
	da_auth_reset(a);
	/* An exactly-sized copy: a parsing slip reads past it under ASan. */
	bytes = malloc(len ? len : 1);
	if (!bytes)
		return DA_ST_FAILURE;
	for (size_t i = 0; i < len; i++)
		bytes[i] = (uint8_t)(data[i / 4] >> (8u * (i % 4)));
	if (!split_response(bytes, len, &parts)) {
		sim_log_guest_error("da: authentication response (%u words) is not a password TLV or certificates "
				    "and a token", (unsigned)nwords);
		status = DA_ST_INVALID_PARAMETERS;
	} else {
		status = check_parts(&parts, env, challenge, &partial);
	}
	OPENSSL_cleanse(bytes, len);
	free(bytes);
	ERR_clear_error();      /* failed parses leave libcrypto errors behind */
	if (status == DA_ST_SUCCESS)
		*after = partial ? DA_AFTER_PARTIAL_REGRESSION : DA_AFTER_FULL_REGRESSION;
	return status;
}

/* ------------------------------------------------------------ dispatch -- */

void da_auth_reset(da_auth *a)
{
	a->challenge_valid = false;
	OPENSSL_cleanse(a->challenge, sizeof(a->challenge));
}

/* Commands that carry no data (docs §4, §5).  PSA ADAC lets discovery name
 * the TLVs wanted; whether the ROM honours that is unknown, so a request with
 * data is refused and the host sticks to the documented empty request. */
static bool refuse_data(uint16_t command, uint32_t nwords, da_reply *r)
{
	if (nwords == 0)
		return false;
	sim_log_guest_error("da: command 0x%02x carries %u data words, expected none", command, (unsigned)nwords);
	reply_status(r, DA_ST_INVALID_PARAMETERS);
	return true;
}

da_after da_handle_request(da_auth *a, const da_device_env *env, uint16_t command, const uint32_t *data,
			   uint32_t nwords, da_reply *r)
{
	da_after after = DA_AFTER_NOTHING;

	reply_status(r, DA_ST_SUCCESS);
	switch (command) {
	case DA_CMD_DISCOVERY:
		if (!refuse_data(command, nwords, r))
			discovery(env, r);
		break;
	case DA_CMD_AUTH_START:
		if (!refuse_data(command, nwords, r))
			start_authentication(a, env, r);
		break;
	case DA_CMD_AUTH_RESPONSE:
		reply_status(r, authentication_response(a, env, data, nwords, &after));
		break;
	case DA_CMD_RESUME_BOOT:
		if (!refuse_data(command, nwords, r))
			after = DA_AFTER_RESUME_BOOT;
		break;
	case DA_CMD_LOCK_DEBUG:
	case DA_CMD_LCS_CHANGE:
		/* Debug re-opening/locking and lifecycle changes through DA are
		 * certificate features this project does not use (facts B.3 lists
		 * them, docs do not define them): refused rather than half-modelled. */
		sim_log_unimplemented("da: command 0x%02x answered UNSUPPORTED", command);
		reply_status(r, DA_ST_UNSUPPORTED);
		break;
	default:
		sim_log_guest_error("da: unknown command 0x%04x", command);
		reply_status(r, DA_ST_INVALID_COMMAND);
		break;
	}
	return after;
}
