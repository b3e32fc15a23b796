/*
 * Codec for Arm PSA ADAC packets as the STM32H5 boot ROM exchanges them through
 * the DBGMCU debug-authentication mailbox (facts B.4).  Pure data handling: no
 * chip access, no allocation.  Everything the device sends is treated as
 * hostile: every count and length is checked against what was really received
 * before anything is read.
 *
 * Words are host-order uint32_t values exactly as read from / written to
 * DBG_AUTH_DEVICE / DBG_AUTH_HOST; byte fields inside them are little-endian
 * (byte 0 = bits 7:0), as ADAC defines its packets as little-endian structs.
 *
 * Errors: UB_ERR_ARG for a caller mistake (NULL, buffer too small, password of
 * the wrong size), UB_ERR_PARSE for anything malformed from the device,
 * UB_ERR_REFUSED when the device answered a status other than success.  Each
 * failure leaves a message (ub_last_error()) with the offset and values seen.
 */
#ifndef STM32UNBRICK_ADAC_H
#define STM32UNBRICK_ADAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"

/*
 * Largest response payload we accept, in words (4 KiB).  The largest answer
 * the ROM legitimately sends is discovery: about a dozen small TLVs, well under
 * 100 words; a challenge is 9 words.  Certificates and tokens travel host ->
 * device only.  The transport reads one mailbox word per bounded wait, so this
 * also bounds how long a hostile data_count can keep us reading.
 */
#define UB_ADAC_MAX_DATA_WORDS 1024u
#define UB_ADAC_HEADER_WORDS 2u

enum ub_adac_command {
	UB_ADAC_CMD_DISCOVERY = 0x01,
	UB_ADAC_CMD_AUTH_START = 0x02,    /* device answers a challenge */
	UB_ADAC_CMD_AUTH_RESPONSE = 0x03,
	UB_ADAC_CMD_RESUME_BOOT = 0x05,
	UB_ADAC_CMD_LOCK_DEBUG = 0x06,
	UB_ADAC_CMD_LCS_CHANGE = 0x07,
};

enum ub_adac_status {
	UB_ADAC_ST_SUCCESS = 0x0000,
	UB_ADAC_ST_FAILURE = 0x0001,
	UB_ADAC_ST_NEED_MORE_DATA = 0x0002,
	UB_ADAC_ST_UNSUPPORTED = 0x0003,
	UB_ADAC_ST_UNAUTHORIZED = 0x0004,
	UB_ADAC_ST_INVALID_PARAMETERS = 0x0005,
	UB_ADAC_ST_INVALID_COMMAND = 0x7FFF,
};

enum ub_adac_tlv_type {
	UB_ADAC_TLV_AUTH_VERSION = 0x0001,
	UB_ADAC_TLV_VENDOR_ID = 0x0002,
	UB_ADAC_TLV_SOC_CLASS = 0x0003,
	UB_ADAC_TLV_SOC_ID = 0x0004,
	UB_ADAC_TLV_TARGET_IDENTITY = 0x0005,
	UB_ADAC_TLV_HW_PERMISSIONS_FIXED = 0x0006,
	UB_ADAC_TLV_HW_PERMISSIONS_MASK = 0x0007,
	UB_ADAC_TLV_PSA_LIFECYCLE = 0x0008,
	UB_ADAC_TLV_SW_PARTITION_ID = 0x0009,
	UB_ADAC_TLV_SDA_ID = 0x000A,
	UB_ADAC_TLV_SDA_VERSION = 0x000B,
	UB_ADAC_TLV_EFFECTIVE_PERMISSIONS = 0x000C,
	UB_ADAC_TLV_TOKEN_FORMATS = 0x0100,
	UB_ADAC_TLV_CERT_FORMATS = 0x0101,
	UB_ADAC_TLV_CRYPTOSYSTEMS = 0x0102,
	UB_ADAC_TLV_PSA_BINARY_TOKEN = 0x0200,
	UB_ADAC_TLV_PSA_BINARY_CERT = 0x0201,
	UB_ADAC_TLV_X509_CERT = 0x0202,
	/* ST vendor range (facts B.4: from ST samples).  0x8000 carries the DA
	 * password in a request and a provisioning-integrity status in discovery. */
	UB_ADAC_TLV_ST_PASSWORD = 0x8000,
	UB_ADAC_TLV_ST_HDPL1_STATUS = 0x8001,
	UB_ADAC_TLV_ST_HDPL2_STATUS = 0x8002,
	UB_ADAC_TLV_ST_HDPL3_STATUS = 0x8003,
};
#define UB_ADAC_TLV_VENDOR_FIRST 0x8000u

/* ST password length limits (facts B.4: 4..16 bytes; ST XML MinWidth 4, 16 chars). */
#define UB_ADAC_PASSWORD_MIN 4u
#define UB_ADAC_PASSWORD_MAX 16u

const char *ub_adac_command_name(uint16_t command);
const char *ub_adac_status_name(uint16_t status);
const char *ub_adac_tlv_type_name(uint16_t type);

/* Encodes { 0, command } { data_words } data[] into out[0..cap_words).
 * *out_words gets the packet length in words. */
ub_err ub_adac_encode_request(uint16_t command, const uint32_t *data, size_t data_words,
			      uint32_t *out, size_t cap_words, size_t *out_words);

/* Appends one TLV { 0, type } { len } value, zero-padded to a word, at out[0..cap_words). */
ub_err ub_adac_encode_tlv(uint16_t type, const uint8_t *value, size_t len,
			  uint32_t *out, size_t cap_words, size_t *out_words);

/* A decoded response.  `data` points into the caller's word array. */
typedef struct ub_adac_response {
	uint16_t status;
	uint32_t data_count;        /* words */
	const uint32_t *data;
} ub_adac_response;

/* Checks the two header words alone (reserved 0, known status, data_count <=
 * UB_ADAC_MAX_DATA_WORDS), so a transport knows how many words to read next. */
ub_err ub_adac_check_header(uint32_t w0, uint32_t w1, uint16_t *status, uint32_t *data_count);

/* Decodes a whole response: nwords must be exactly 2 + data_count.  Fewer
 * words is a truncated packet; more means the framing is out of step. */
ub_err ub_adac_decode_response(const uint32_t *words, size_t nwords, ub_adac_response *out);

/* UB_ERR_REFUSED naming the status (and `what`) unless the status is success. */
ub_err ub_adac_expect_success(const ub_adac_response *r, const char *what);

/* One TLV inside a payload; `value` points at its first word in the payload. */
typedef struct ub_adac_tlv {
	uint16_t type;
	uint32_t length;            /* bytes, without padding */
	size_t offset;              /* byte offset of the TLV header in the payload */
	const uint32_t *value;
} ub_adac_tlv;

typedef struct ub_adac_tlv_iter {
	const uint32_t *words;
	size_t nwords;
	size_t pos;                 /* word index of the next TLV header */
	bool failed;                /* once malformed, stays failed: no resync on hostile data */
} ub_adac_tlv_iter;

void ub_adac_tlv_iter_init(ub_adac_tlv_iter *it, const uint32_t *payload, size_t nwords);
/* *have = false at the clean end of the payload.  A truncated or overlong TLV
 * gives UB_ERR_PARSE and every later call gives it again. */
ub_err ub_adac_tlv_next(ub_adac_tlv_iter *it, ub_adac_tlv *out, bool *have);
/* First TLV of `type`: *found says whether it exists; the whole payload is
 * validated first so a later malformed TLV is not silently ignored. */
ub_err ub_adac_tlv_find(const uint32_t *payload, size_t nwords, uint16_t type, ub_adac_tlv *out, bool *found);
/* Byte i of a TLV value (i < length, checked by the caller). */
uint8_t ub_adac_tlv_byte(const ub_adac_tlv *tlv, uint32_t i);

#define UB_ADAC_SOC_ID_LEN 16u
#define UB_ADAC_MAX_LIST 16u          /* entries per format / cryptosystem list */
#define UB_ADAC_MAX_VENDOR_TLVS 8u
#define UB_ADAC_MAX_VENDOR_VALUE 64u  /* bytes; the ST status TLVs seen are a few words */

typedef struct ub_adac_vendor_tlv {
	uint16_t type;
	uint8_t length;
	uint8_t value[UB_ADAC_MAX_VENDOR_VALUE];
} ub_adac_vendor_tlv;

typedef struct ub_adac_discovery {
	bool has_auth_version, has_vendor_id, has_soc_class, has_soc_id, has_psa_lifecycle;
	uint8_t auth_major, auth_minor;
	uint16_t vendor_id;
	uint32_t soc_class;          /* DEV_ID on ST parts, e.g. 0x484 */
	uint8_t soc_id[UB_ADAC_SOC_ID_LEN];
	uint16_t psa_lifecycle;
	uint8_t n_token_formats, n_cert_formats, n_cryptosystems, n_vendor;
	uint16_t token_formats[UB_ADAC_MAX_LIST];
	uint16_t cert_formats[UB_ADAC_MAX_LIST];
	uint8_t cryptosystems[UB_ADAC_MAX_LIST];
	ub_adac_vendor_tlv vendor[UB_ADAC_MAX_VENDOR_TLVS];
} ub_adac_discovery;

/* Parses a successful discovery response.  Other standard TLVs are skipped. */
ub_err ub_adac_parse_discovery(const ub_adac_response *r, ub_adac_discovery *out);

#define UB_ADAC_CHALLENGE_LEN 32u
typedef struct ub_adac_challenge {
	uint8_t major, minor;
	uint8_t nonce[UB_ADAC_CHALLENGE_LEN];
} ub_adac_challenge;

/* Parses a successful start-authentication response: exactly 9 words. */
ub_err ub_adac_parse_challenge(const ub_adac_response *r, ub_adac_challenge *out);

/* Builds the whole authentication-response request carrying the ST password TLV. */
ub_err ub_adac_build_password_response(const uint8_t *password, size_t len,
				       uint32_t *out, size_t cap_words, size_t *out_words);

/*
 * Certificate authentication (docs/h5-debug-authentication.md section 5, our
 * layout where the facts sheet, B.4, only names the fields): the token is a
 * 24-byte header { u8 major 1, u8 minor 0, u8 signature type, u8 0, u16
 * extension bytes 0, u16 0, 128-bit requested permissions little-endian }
 * followed by the raw ECDSA signature r || s (32 bytes each, big-endian) over
 * SHA-256(header || challenge nonce).
 */
#define UB_ADAC_TOKEN_HEADER_LEN 24u
#define UB_ADAC_TOKEN_SIG_LEN 64u
#define UB_ADAC_TOKEN_LEN (UB_ADAC_TOKEN_HEADER_LEN + UB_ADAC_TOKEN_SIG_LEN)
#define UB_ADAC_SIG_ECDSA_P256_SHA256 0x01u  /* cryptosystem ID 0x01 (facts B.4) */
#define UB_ADAC_PERM_FULL_REGRESSION (1u << 0)
#define UB_ADAC_PERM_PARTIAL_REGRESSION (1u << 1)

/* Token header requesting `permissions` (bits 0..31 of the 128-bit field; exactly
 * one of the regression bits, the device refuses anything else). */
ub_err ub_adac_token_header(uint32_t permissions, uint8_t out[UB_ADAC_TOKEN_HEADER_LEN]);

/* Builds the whole authentication-response request: one X.509 TLV (0x0202) per
 * DER certificate, root first, then the token TLV (0x0200). */
ub_err ub_adac_build_cert_response(const uint8_t *const *certs, const size_t *cert_lens, size_t ncerts,
				   const uint8_t *token, size_t token_len,
				   uint32_t *out, size_t cap_words, size_t *out_words);

/* libFuzzer-ready entry (adac_fuzz.c): decodes `data` as a response, iterates its
 * TLVs, parses it as discovery and as challenge.  Always returns 0. */
int ub_adac_fuzz_one(const uint8_t *data, size_t size);

#endif
