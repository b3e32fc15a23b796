/*
 * Credentials for STM32H5 debug authentication and the authentication
 * responses built from them (docs/h5-debug-authentication.md sections 5 and
 * 7, facts B.4), with OpenSSL 3 libcrypto.
 *
 *  - Password file: the raw bytes; one trailing "\n" or "\r\n" is stripped;
 *    4..16 bytes remain, else UB_ERR_ARG naming the file and its length.
 *  - Certificate file: PEM, one or more X.509 certificates, root first; key
 *    file: PEM ECDSA P-256 private key of the last certificate.
 *
 * Secrets never reach a message, a log line or a result: errors name files,
 * lengths and kinds only.  Password bytes live in caller-owned memory that
 * ub_da_password_wipe() clears with OPENSSL_cleanse; files are read with
 * read(2), not stdio, so no library buffer keeps a copy.
 */
#ifndef STM32UNBRICK_DA_AUTH_H
#define STM32UNBRICK_DA_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "adac.h"
#include "errors.h"

#define UB_DA_SHA256_LEN 32u
/* Certificates in a chain file, and DER bytes per certificate, that we accept:
 * a root and a few intermediates; ECDSA P-256 certificates are ~400 bytes. */
#define UB_DA_MAX_CHAIN 8u
#define UB_DA_MAX_CERT_DER 4096u

typedef struct ub_da_password {
	uint8_t bytes[UB_ADAC_PASSWORD_MAX];
	size_t len;
} ub_da_password;

/* Load FILE under the rules above.  UB_ERR_IO when it cannot be read. */
ub_err ub_da_password_load(const char *path, ub_da_password *out);
void ub_da_password_wipe(ub_da_password *pw);
/* SHA-256 of the password in FILE (what the device stores, docs section 7). */
ub_err ub_da_password_hash(const char *path, uint8_t out[UB_DA_SHA256_LEN]);
/* A new random password (16 characters a person can type, ~95 bits from RAND_bytes) in a new
 * file, mode 0600; an existing file is never overwritten.  The password is not returned. */
ub_err ub_da_password_generate(const char *path);

/* SHA-256 of the DER SubjectPublicKeyInfo of the FIRST certificate in the PEM
 * file (the root of a chain file; the only one of a root certificate file):
 * the root-key hash the device stores (docs section 7). */
ub_err ub_da_cert_root_hash(const char *path, uint8_t out[UB_DA_SHA256_LEN]);

/* A loaded chain and its leaf's private key. */
typedef struct ub_da_cert_cred ub_da_cert_cred;

/* Loads the chain (1..UB_DA_MAX_CHAIN certificates, each ECDSA P-256, each
 * after the first signed by the one before) and the key, and checks that the
 * key belongs to the last certificate.  Errors name the file and the
 * certificate's position, never key material. */
ub_err ub_da_cert_load(const char *cert_path, const char *key_path, ub_da_cert_cred **out);
void ub_da_cert_free(ub_da_cert_cred *c);
size_t ub_da_cert_count(const ub_da_cert_cred *c);
/* Words the whole certificate authentication-response request takes. */
size_t ub_da_cert_response_words(const ub_da_cert_cred *c);

/* The token TLV value (UB_ADAC_TOKEN_LEN bytes): header requesting `permissions`
 * (UB_ADAC_PERM_*), then r || s over SHA-256(header || nonce). */
ub_err ub_da_token_build(const ub_da_cert_cred *c, const ub_adac_challenge *challenge, uint32_t permissions,
			 uint8_t token[UB_ADAC_TOKEN_LEN]);

/* The authentication-response request: the chain's TLVs then the token. */
ub_err ub_da_cert_build_response(const ub_da_cert_cred *c, const ub_adac_challenge *challenge, bool partial,
				 uint32_t *out, size_t cap_words, size_t *out_words);

#endif
