/*
 * Arm PSA ADAC packet codec for STM32H5 debug authentication (facts B.4).
 *
 * Decisions where the facts leave room (harder on ourselves, never on trust):
 * - A nonzero reserved half-word in a response or TLV header is malformed: ADAC
 *   says "must be zero", and a device that breaks it is not speaking the
 *   protocol we implement.
 * - An unknown status code is malformed rather than passed through: we could
 *   not tell the user what it means.
 * - Words received beyond data_count are an error: the framing is out of step.
 * - The iterator accepts a zero-length TLV (legal framing); discovery rejects
 *   one for every field it parses, since each needs a value.
 * - Padding bytes are not checked: ADAC does not define their content.
 */
#include "adac.h"

#include <string.h>

#define ADAC_RESERVED_MASK 0xFFFFu

const char *ub_adac_command_name(uint16_t command)
{
	switch (command) {
	case UB_ADAC_CMD_DISCOVERY: return "DISCOVERY";
	case UB_ADAC_CMD_AUTH_START: return "AUTH_START";
	case UB_ADAC_CMD_AUTH_RESPONSE: return "AUTH_RESPONSE";
	case UB_ADAC_CMD_RESUME_BOOT: return "RESUME_BOOT";
	case UB_ADAC_CMD_LOCK_DEBUG: return "LOCK_DEBUG";
	case UB_ADAC_CMD_LCS_CHANGE: return "LCS_CHANGE";
	default: return NULL;
	}
}

static const char *status_name_or_null(uint16_t status)
{
	switch (status) {
	case UB_ADAC_ST_SUCCESS: return "SUCCESS";
	case UB_ADAC_ST_FAILURE: return "FAILURE";
	case UB_ADAC_ST_NEED_MORE_DATA: return "NEED_MORE_DATA";
	case UB_ADAC_ST_UNSUPPORTED: return "UNSUPPORTED";
	case UB_ADAC_ST_UNAUTHORIZED: return "UNAUTHORIZED";
	case UB_ADAC_ST_INVALID_PARAMETERS: return "INVALID_PARAMETERS";
	case UB_ADAC_ST_INVALID_COMMAND: return "INVALID_COMMAND";
	default: return NULL;
	}
}

const char *ub_adac_status_name(uint16_t status)
{
	const char *n = status_name_or_null(status);
	return n ? n : "UNKNOWN_STATUS";
}

static const char *tlv_std_name(uint16_t type)
{
	static const char *const low[] = {
		NULL, "AUTH_VERSION", "VENDOR_ID", "SOC_CLASS", "SOC_ID", "TARGET_IDENTITY",
		"HW_PERMISSIONS_FIXED", "HW_PERMISSIONS_MASK", "PSA_LIFECYCLE", "SW_PARTITION_ID",
		"SDA_ID", "SDA_VERSION", "EFFECTIVE_PERMISSIONS",
	};
	if (type < sizeof(low) / sizeof(low[0]))
		return low[type];
	switch (type) {
	case UB_ADAC_TLV_TOKEN_FORMATS: return "TOKEN_FORMATS";
	case UB_ADAC_TLV_CERT_FORMATS: return "CERT_FORMATS";
	case UB_ADAC_TLV_CRYPTOSYSTEMS: return "CRYPTOSYSTEMS";
	case UB_ADAC_TLV_PSA_BINARY_TOKEN: return "PSA_BINARY_TOKEN";
	case UB_ADAC_TLV_PSA_BINARY_CERT: return "PSA_BINARY_CERT";
	case UB_ADAC_TLV_X509_CERT: return "X509_CERT";
	case UB_ADAC_TLV_ST_PASSWORD: return "ST_PASSWORD";
	case UB_ADAC_TLV_ST_HDPL1_STATUS: return "ST_HDPL1_STATUS";
	case UB_ADAC_TLV_ST_HDPL2_STATUS: return "ST_HDPL2_STATUS";
	case UB_ADAC_TLV_ST_HDPL3_STATUS: return "ST_HDPL3_STATUS";
	default: return NULL;
	}
}

const char *ub_adac_tlv_type_name(uint16_t type)
{
	const char *n = tlv_std_name(type);
	if (n)
		return n;
	return type >= UB_ADAC_TLV_VENDOR_FIRST ? "VENDOR" : "UNKNOWN_TLV";
}

/* ---- encoding ---------------------------------------------------------- */

ub_err ub_adac_encode_request(uint16_t command, const uint32_t *data, size_t data_words,
			      uint32_t *out, size_t cap_words, size_t *out_words)
{
	if (!out || !out_words || (data_words && !data))
		return ub_fail(UB_ERR_ARG, "adac encode request: NULL argument");
	if (!ub_adac_command_name(command))
		return ub_fail(UB_ERR_ARG, "adac encode request: unknown command 0x%04x", command);
	/* data_count is a u32 on the wire; compare without adding to avoid overflow. */
	if (data_words > UINT32_MAX || cap_words < UB_ADAC_HEADER_WORDS ||
	    data_words > cap_words - UB_ADAC_HEADER_WORDS)
		return ub_fail(UB_ERR_ARG, "adac encode %s: %zu data words do not fit a %zu-word buffer",
			       ub_adac_command_name(command), data_words, cap_words);
	/* Reserved half-word first (bits 15:0), command in bits 31:16 (facts B.4). */
	out[0] = (uint32_t)command << 16;
	out[1] = (uint32_t)data_words;
	if (data_words)
		memmove(&out[UB_ADAC_HEADER_WORDS], data, data_words * sizeof(uint32_t));
	*out_words = UB_ADAC_HEADER_WORDS + data_words;
	return UB_OK;
}

/* Words needed for `len` bytes rounded up to a word, without len + 3 overflowing. */
static size_t words_for_bytes(size_t len)
{
	return len / 4 + (len % 4 != 0);
}

ub_err ub_adac_encode_tlv(uint16_t type, const uint8_t *value, size_t len,
			  uint32_t *out, size_t cap_words, size_t *out_words)
{
	if (!out || !out_words || (len && !value))
		return ub_fail(UB_ERR_ARG, "adac encode tlv: NULL argument");
	size_t vwords = words_for_bytes(len);
	if (len > UINT32_MAX || cap_words < 2 || vwords > cap_words - 2)
		return ub_fail(UB_ERR_ARG, "adac encode tlv %s: %zu bytes do not fit a %zu-word buffer",
			       ub_adac_tlv_type_name(type), len, cap_words);
	out[0] = (uint32_t)type << 16;
	out[1] = (uint32_t)len;
	for (size_t w = 0; w < vwords; w++)
		out[2 + w] = 0;         /* padding bytes are zero */
	for (size_t i = 0; i < len; i++)
		out[2 + i / 4] |= (uint32_t)value[i] << (8 * (i % 4));
	*out_words = 2 + vwords;
	return UB_OK;
}

ub_err ub_adac_build_password_response(const uint8_t *password, size_t len,
				       uint32_t *out, size_t cap_words, size_t *out_words)
{
	/*
	 * The password TLV (0x8000) and its 4..16-byte size come from ST's samples
	 * (facts B.4); that H5 uses exactly this layout, and which cryptosystem ID it
	 * advertises for it (0x80 in the sample), is UNCONFIRMED.
	 */
	uint32_t tlv[2 + UB_ADAC_PASSWORD_MAX / 4];
	size_t tlv_words;
	ub_err e;

	if (!password || !out || !out_words)
		return ub_fail(UB_ERR_ARG, "adac password response: NULL argument");
	if (len < UB_ADAC_PASSWORD_MIN || len > UB_ADAC_PASSWORD_MAX)
		return ub_fail(UB_ERR_ARG, "adac password response: password is %zu bytes, must be %u..%u",
			       len, UB_ADAC_PASSWORD_MIN, UB_ADAC_PASSWORD_MAX);
	e = ub_adac_encode_tlv(UB_ADAC_TLV_ST_PASSWORD, password, len, tlv, sizeof(tlv) / sizeof(tlv[0]), &tlv_words);
	if (e == UB_OK)
		e = ub_adac_encode_request(UB_ADAC_CMD_AUTH_RESPONSE, tlv, tlv_words, out, cap_words, out_words);
	/* The password must not linger on the stack. */
	memset(tlv, 0, sizeof(tlv));
	__asm__ __volatile__("" : : "r"(tlv) : "memory");
	return e;
}

/* ---- certificate authentication ---------------------------------------- */

ub_err ub_adac_token_header(uint32_t permissions, uint8_t out[UB_ADAC_TOKEN_HEADER_LEN])
{
	const uint32_t regression = UB_ADAC_PERM_FULL_REGRESSION | UB_ADAC_PERM_PARTIAL_REGRESSION;

	if (!out)
		return ub_fail(UB_ERR_ARG, "adac token header: NULL argument");
	/* Exactly one action per token (docs section 5): asking for both would let the
	 * device pick, and the caller would not know which erase ran. */
	if ((permissions & ~regression) || (permissions != UB_ADAC_PERM_FULL_REGRESSION &&
					    permissions != UB_ADAC_PERM_PARTIAL_REGRESSION))
		return ub_fail(UB_ERR_ARG, "adac token header: permissions 0x%08x must be exactly full (0x%x) or "
			       "partial (0x%x) regression", permissions, UB_ADAC_PERM_FULL_REGRESSION,
			       UB_ADAC_PERM_PARTIAL_REGRESSION);
	memset(out, 0, UB_ADAC_TOKEN_HEADER_LEN);
	out[0] = 1;                                   /* format major */
	out[1] = 0;                                   /* format minor */
	out[2] = UB_ADAC_SIG_ECDSA_P256_SHA256;       /* bytes 3..7: reserved and extension size, 0 */
	for (unsigned i = 0; i < 4; i++)              /* permissions: bytes 8..23, little-endian */
		out[8 + i] = (uint8_t)(permissions >> (8 * i));
	return UB_OK;
}

ub_err ub_adac_build_cert_response(const uint8_t *const *certs, const size_t *cert_lens, size_t ncerts,
				   const uint8_t *token, size_t token_len,
				   uint32_t *out, size_t cap_words, size_t *out_words)
{
	size_t used = 0, n;
	ub_err e;

	if (!certs || !cert_lens || !token || !out || !out_words)
		return ub_fail(UB_ERR_ARG, "adac certificate response: NULL argument");
	if (ncerts == 0)
		return ub_fail(UB_ERR_ARG, "adac certificate response: no certificate");
	if (cap_words < UB_ADAC_HEADER_WORDS)
		return ub_fail(UB_ERR_ARG, "adac certificate response: %zu-word buffer too small", cap_words);
	/* TLVs go straight to their final place after the request header; encode_request
	 * then moves nothing (memmove onto itself). */
	uint32_t *data = out + UB_ADAC_HEADER_WORDS;
	size_t cap = cap_words - UB_ADAC_HEADER_WORDS;
	for (size_t i = 0; i < ncerts; i++) {
		if (!certs[i] || cert_lens[i] == 0)
			return ub_fail(UB_ERR_ARG, "adac certificate response: certificate %zu is empty", i + 1);
		e = ub_adac_encode_tlv(UB_ADAC_TLV_X509_CERT, certs[i], cert_lens[i], data + used, cap - used, &n);
		if (e != UB_OK)
			return e;
		used += n;
	}
	e = ub_adac_encode_tlv(UB_ADAC_TLV_PSA_BINARY_TOKEN, token, token_len, data + used, cap - used, &n);
	if (e != UB_OK)
		return e;
	used += n;
	return ub_adac_encode_request(UB_ADAC_CMD_AUTH_RESPONSE, data, used, out, cap_words, out_words);
}

/* ---- response decoding -------------------------------------------------- */

ub_err ub_adac_check_header(uint32_t w0, uint32_t w1, uint16_t *status, uint32_t *data_count)
{
	if (!status || !data_count)
		return ub_fail(UB_ERR_ARG, "adac check header: NULL argument");
	uint16_t st = (uint16_t)(w0 >> 16);
	if (w0 & ADAC_RESERVED_MASK)
		return ub_fail(UB_ERR_PARSE, "adac response header 0x%08x: reserved half-word 0x%04x is not 0",
			       w0, w0 & ADAC_RESERVED_MASK);
	if (!status_name_or_null(st))
		return ub_fail(UB_ERR_PARSE, "adac response header 0x%08x: unknown status 0x%04x", w0, st);
	if (w1 > UB_ADAC_MAX_DATA_WORDS)
		return ub_fail(UB_ERR_PARSE, "adac response: data_count %u words exceeds the %u-word limit",
			       w1, UB_ADAC_MAX_DATA_WORDS);
	*status = st;
	*data_count = w1;
	return UB_OK;
}

ub_err ub_adac_decode_response(const uint32_t *words, size_t nwords, ub_adac_response *out)
{
	uint16_t status;
	uint32_t count;
	ub_err e;

	if (!words || !out)
		return ub_fail(UB_ERR_ARG, "adac decode response: NULL argument");
	if (nwords < UB_ADAC_HEADER_WORDS)
		return ub_fail(UB_ERR_PARSE, "adac response: %zu words received, header needs 2", nwords);
	e = ub_adac_check_header(words[0], words[1], &status, &count);
	if (e != UB_OK)
		return e;
	if (count != nwords - UB_ADAC_HEADER_WORDS)
		return ub_fail(UB_ERR_PARSE, "adac response %s: data_count %u words but %zu data words received",
			       ub_adac_status_name(status), count, nwords - UB_ADAC_HEADER_WORDS);
	out->status = status;
	out->data_count = count;
	out->data = &words[UB_ADAC_HEADER_WORDS];
	return UB_OK;
}

ub_err ub_adac_expect_success(const ub_adac_response *r, const char *what)
{
	if (!r || !what)
		return ub_fail(UB_ERR_ARG, "adac expect success: NULL argument");
	if (r->status != UB_ADAC_ST_SUCCESS)
		return ub_fail(UB_ERR_REFUSED, "adac %s: device answered status %s (0x%04x)",
			       what, ub_adac_status_name(r->status), r->status);
	return UB_OK;
}

/* ---- TLV iteration ------------------------------------------------------ */

void ub_adac_tlv_iter_init(ub_adac_tlv_iter *it, const uint32_t *payload, size_t nwords)
{
	if (!it)
		return;
	it->words = payload;
	it->nwords = payload ? nwords : 0;
	it->pos = 0;
	it->failed = false;
}

static ub_err tlv_malformed(ub_adac_tlv_iter *it)
{
	it->failed = true;
	return UB_ERR_PARSE;
}

ub_err ub_adac_tlv_next(ub_adac_tlv_iter *it, ub_adac_tlv *out, bool *have)
{
	if (!it || !out || !have)
		return ub_fail(UB_ERR_ARG, "adac tlv next: NULL argument");
	*have = false;
	if (it->failed)
		return UB_ERR_PARSE;    /* keep the first message: it names the bad TLV */
	if (it->pos == it->nwords)
		return UB_OK;

	/* pos <= nwords always holds, so `left` cannot wrap. */
	size_t left = it->nwords - it->pos;
	size_t offset = it->pos * 4;
	if (left < 2) {
		ub_fail(UB_ERR_PARSE, "adac tlv at offset %zu: truncated header, %zu bytes left of 8", offset, left * 4);
		return tlv_malformed(it);
	}
	uint32_t w0 = it->words[it->pos];
	uint32_t len = it->words[it->pos + 1];
	uint16_t type = (uint16_t)(w0 >> 16);
	if (w0 & ADAC_RESERVED_MASK) {
		ub_fail(UB_ERR_PARSE, "adac tlv at offset %zu: type 0x%04x reserved half-word 0x%04x is not 0",
			offset, type, w0 & ADAC_RESERVED_MASK);
		return tlv_malformed(it);
	}
	size_t vwords = words_for_bytes(len);
	if (vwords > left - 2) {
		ub_fail(UB_ERR_PARSE, "adac tlv at offset %zu: type 0x%04x (%s) length %u bytes (padded %zu) "
			"but only %zu bytes remain", offset, type, ub_adac_tlv_type_name(type), len,
			vwords * 4, (left - 2) * 4);
		return tlv_malformed(it);
	}
	out->type = type;
	out->length = len;
	out->offset = offset;
	out->value = &it->words[it->pos + 2];
	it->pos += 2 + vwords;
	*have = true;
	return UB_OK;
}

ub_err ub_adac_tlv_find(const uint32_t *payload, size_t nwords, uint16_t type, ub_adac_tlv *out, bool *found)
{
	ub_adac_tlv_iter it;
	ub_adac_tlv t;
	bool have;
	ub_err e;

	if (!out || !found || (nwords && !payload))
		return ub_fail(UB_ERR_ARG, "adac tlv find: NULL argument");
	*found = false;
	ub_adac_tlv_iter_init(&it, payload, nwords);
	while ((e = ub_adac_tlv_next(&it, &t, &have)) == UB_OK && have) {
		if (!*found && t.type == type) {
			*out = t;
			*found = true;
		}
	}
	if (e != UB_OK)
		*found = false;
	return e;
}

uint8_t ub_adac_tlv_byte(const ub_adac_tlv *tlv, uint32_t i)
{
	return (uint8_t)(tlv->value[i / 4] >> (8 * (i % 4)));
}

/* ---- discovery ---------------------------------------------------------- */

/* Value length must be exactly `want` bytes. */
static ub_err expect_len(const ub_adac_tlv *t, uint32_t want)
{
	if (t->length != want)
		return ub_fail(UB_ERR_PARSE, "adac discovery tlv %s at offset %zu: length %u bytes, expected %u",
			       ub_adac_tlv_type_name(t->type), t->offset, t->length, want);
	return UB_OK;
}

/* A list of `elem`-byte little-endian entries: non-empty, whole entries, bounded. */
static ub_err parse_list(const ub_adac_tlv *t, uint32_t elem, uint16_t *out16, uint8_t *out8, uint8_t *count)
{
	const char *name = ub_adac_tlv_type_name(t->type);

	if (*count)
		return ub_fail(UB_ERR_PARSE, "adac discovery tlv %s at offset %zu: appears twice", name, t->offset);
	if (t->length == 0 || t->length % elem)
		return ub_fail(UB_ERR_PARSE, "adac discovery tlv %s at offset %zu: length %u is not a non-zero "
			       "multiple of %u", name, t->offset, t->length, elem);
	if (t->length / elem > UB_ADAC_MAX_LIST)
		return ub_fail(UB_ERR_PARSE, "adac discovery tlv %s at offset %zu: %u entries, at most %u kept",
			       name, t->offset, t->length / elem, UB_ADAC_MAX_LIST);
	for (uint32_t i = 0; i < t->length / elem; i++) {
		if (elem == 2)
			out16[i] = (uint16_t)(ub_adac_tlv_byte(t, 2 * i) | ub_adac_tlv_byte(t, 2 * i + 1) << 8);
		else
			out8[i] = ub_adac_tlv_byte(t, i);
	}
	*count = (uint8_t)(t->length / elem);
	return UB_OK;
}

static ub_err keep_vendor(const ub_adac_tlv *t, ub_adac_discovery *d)
{
	if (d->n_vendor >= UB_ADAC_MAX_VENDOR_TLVS)
		return ub_fail(UB_ERR_PARSE, "adac discovery vendor tlv 0x%04x at offset %zu: more than %u vendor TLVs",
			       t->type, t->offset, UB_ADAC_MAX_VENDOR_TLVS);
	if (t->length > UB_ADAC_MAX_VENDOR_VALUE)
		return ub_fail(UB_ERR_PARSE, "adac discovery vendor tlv 0x%04x at offset %zu: length %u exceeds %u",
			       t->type, t->offset, t->length, UB_ADAC_MAX_VENDOR_VALUE);
	ub_adac_vendor_tlv *v = &d->vendor[d->n_vendor++];
	v->type = t->type;
	v->length = (uint8_t)t->length;
	for (uint32_t i = 0; i < t->length; i++)
		v->value[i] = ub_adac_tlv_byte(t, i);
	return UB_OK;
}

/* A scalar field seen twice is ambiguous: refuse rather than pick one. */
static ub_err once(bool *has, const ub_adac_tlv *t)
{
	if (*has)
		return ub_fail(UB_ERR_PARSE, "adac discovery tlv %s at offset %zu: appears twice",
			       ub_adac_tlv_type_name(t->type), t->offset);
	*has = true;
	return UB_OK;
}

/* Field sizes follow the PSA ADAC structs: version 2 x u8, vendor u16, SoC
 * class u32, SoC ID 16 bytes, lifecycle u16, format lists u16, keys u8. */
static ub_err discovery_field(const ub_adac_tlv *t, ub_adac_discovery *d)
{
	ub_err e;

	switch (t->type) {
	case UB_ADAC_TLV_AUTH_VERSION:
		if ((e = expect_len(t, 2)) || (e = once(&d->has_auth_version, t)))
			return e;
		d->auth_major = ub_adac_tlv_byte(t, 0);
		d->auth_minor = ub_adac_tlv_byte(t, 1);
		return UB_OK;
	case UB_ADAC_TLV_VENDOR_ID:
		if ((e = expect_len(t, 2)) || (e = once(&d->has_vendor_id, t)))
			return e;
		d->vendor_id = (uint16_t)t->value[0];
		return UB_OK;
	case UB_ADAC_TLV_SOC_CLASS:
		if ((e = expect_len(t, 4)) || (e = once(&d->has_soc_class, t)))
			return e;
		d->soc_class = t->value[0];
		return UB_OK;
	case UB_ADAC_TLV_SOC_ID:
		if ((e = expect_len(t, UB_ADAC_SOC_ID_LEN)) || (e = once(&d->has_soc_id, t)))
			return e;
		for (uint32_t i = 0; i < UB_ADAC_SOC_ID_LEN; i++)
			d->soc_id[i] = ub_adac_tlv_byte(t, i);
		return UB_OK;
	case UB_ADAC_TLV_PSA_LIFECYCLE:
		if ((e = expect_len(t, 2)) || (e = once(&d->has_psa_lifecycle, t)))
			return e;
		d->psa_lifecycle = (uint16_t)t->value[0];
		return UB_OK;
	case UB_ADAC_TLV_TOKEN_FORMATS:
		return parse_list(t, 2, d->token_formats, NULL, &d->n_token_formats);
	case UB_ADAC_TLV_CERT_FORMATS:
		return parse_list(t, 2, d->cert_formats, NULL, &d->n_cert_formats);
	case UB_ADAC_TLV_CRYPTOSYSTEMS:
		return parse_list(t, 1, NULL, d->cryptosystems, &d->n_cryptosystems);
	default:
		if (t->type >= UB_ADAC_TLV_VENDOR_FIRST)
			return keep_vendor(t, d);
		return UB_OK;   /* other standard TLVs: not needed for recovery */
	}
}

ub_err ub_adac_parse_discovery(const ub_adac_response *r, ub_adac_discovery *out)
{
	ub_adac_tlv_iter it;
	ub_adac_tlv t;
	bool have;
	ub_err e;

	if (!r || !out || (r->data_count && !r->data))
		return ub_fail(UB_ERR_ARG, "adac parse discovery: NULL argument");
	e = ub_adac_expect_success(r, "discovery");
	if (e != UB_OK)
		return e;
	memset(out, 0, sizeof(*out));
	ub_adac_tlv_iter_init(&it, r->data, r->data_count);
	while ((e = ub_adac_tlv_next(&it, &t, &have)) == UB_OK && have) {
		e = discovery_field(&t, out);
		if (e != UB_OK)
			break;
	}
	return e;
}

/* ---- challenge ---------------------------------------------------------- */

ub_err ub_adac_parse_challenge(const ub_adac_response *r, ub_adac_challenge *out)
{
	const uint32_t want = 1 + UB_ADAC_CHALLENGE_LEN / 4;
	ub_err e;

	if (!r || !out || (r->data_count && !r->data))
		return ub_fail(UB_ERR_ARG, "adac parse challenge: NULL argument");
	e = ub_adac_expect_success(r, "start authentication");
	if (e != UB_OK)
		return e;
	if (r->data_count != want)
		return ub_fail(UB_ERR_PARSE, "adac challenge: %u data words, expected %u", r->data_count, want);
	/* { u8 major, u8 minor, u16 reserved } then the 32-byte nonce (facts B.4). */
	if (r->data[0] >> 16)
		return ub_fail(UB_ERR_PARSE, "adac challenge: reserved half-word 0x%04x is not 0", r->data[0] >> 16);
	out->major = (uint8_t)r->data[0];
	out->minor = (uint8_t)(r->data[0] >> 8);
	for (uint32_t i = 0; i < UB_ADAC_CHALLENGE_LEN; i++)
		out->nonce[i] = (uint8_t)(r->data[1 + i / 4] >> (8 * (i % 4)));
	return UB_OK;
}
