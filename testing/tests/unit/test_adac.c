/*
 * Unit tests of the PSA ADAC codec (src/target/adac.c).  Every hostile packet is
 * copied into a heap block of exactly its size, so under ASan any read past what
 * the "device" sent fails the test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../../src/target/adac.h"

#define W(type) ((uint32_t)(type) << 16)   /* header word: reserved 0, type/status/command high */

/* Exactly-sized heap copy: the end of the block is the end of what was received. */
static uint32_t *exact(const uint32_t *w, size_t n)
{
	uint32_t *p = malloc(n ? n * sizeof(*p) : 1);
	assert_non_null(p);
	if (n)
		memcpy(p, w, n * sizeof(*p));
	return p;
}

static void assert_msg_has(const char *needle)
{
	if (!strstr(ub_last_error(), needle))
		fail_msg("message \"%s\" lacks \"%s\"", ub_last_error(), needle);
}

static ub_err decode_exact(const uint32_t *w, size_t n, ub_adac_response *r, uint32_t **keep)
{
	*keep = exact(w, n);
	return ub_adac_decode_response(*keep, n, r);
}

/* ---- encoding ---------------------------------------------------------- */

static void request_round_trip(void **state)
{
	uint32_t data[3] = { 0x11223344, 0, 0xFFFFFFFF }, out[5];
	size_t n = 0;
	ub_adac_response r;

	assert_int_equal(ub_adac_encode_request(UB_ADAC_CMD_DISCOVERY, data, 3, out, 5, &n), UB_OK);
	assert_int_equal(n, 5);
	assert_int_equal(out[0], 0x00010000);
	assert_int_equal(out[1], 3);
	assert_memory_equal(&out[2], data, sizeof(data));
	/* The response framing is the same shape: decoding it gives the fields back
	 * (command 1 reads as status FAILURE). */
	assert_int_equal(ub_adac_decode_response(out, n, &r), UB_OK);
	assert_int_equal(r.status, UB_ADAC_ST_FAILURE);
	assert_int_equal(r.data_count, 3);
	assert_ptr_equal(r.data, &out[2]);

	assert_int_equal(ub_adac_encode_request(UB_ADAC_CMD_RESUME_BOOT, NULL, 0, out, 2, &n), UB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(out[0], 0x00050000);
	assert_int_equal(out[1], 0);
}

static void request_capacity_and_args(void **state)
{
	uint32_t data[3] = { 1, 2, 3 }, out[5] = { 0 };
	size_t n = 77;

	assert_int_equal(ub_adac_encode_request(UB_ADAC_CMD_DISCOVERY, data, 3, out, 4, &n), UB_ERR_ARG);
	assert_msg_has("3 data words do not fit a 4-word buffer");
	assert_int_equal(n, 77);
	assert_int_equal(out[0], 0);     /* nothing written on failure */
	assert_int_equal(ub_adac_encode_request(UB_ADAC_CMD_DISCOVERY, NULL, 0, out, 1, &n), UB_ERR_ARG);
	assert_int_equal(ub_adac_encode_request(UB_ADAC_CMD_DISCOVERY, NULL, 0, out, 0, &n), UB_ERR_ARG);
	assert_int_equal(ub_adac_encode_request(0x04, NULL, 0, out, 5, &n), UB_ERR_ARG);
	assert_msg_has("unknown command 0x0004");
	assert_int_equal(ub_adac_encode_request(UB_ADAC_CMD_DISCOVERY, NULL, 2, out, 5, &n), UB_ERR_ARG);
	assert_int_equal(ub_adac_encode_request(UB_ADAC_CMD_DISCOVERY, NULL, 0, NULL, 5, &n), UB_ERR_ARG);
	assert_int_equal(ub_adac_encode_request(UB_ADAC_CMD_DISCOVERY, NULL, 0, out, 5, NULL), UB_ERR_ARG);
	/* A size that would overflow the capacity sum if added naively. */
	assert_int_equal(ub_adac_encode_request(UB_ADAC_CMD_DISCOVERY, data, SIZE_MAX - 1, out, 5, &n), UB_ERR_ARG);
}

static void tlv_encode_pads_with_zero(void **state)
{
	const uint8_t v[5] = { 1, 2, 3, 4, 5 };
	uint32_t out[4];
	size_t n;

	memset(out, 0xAA, sizeof(out));
	assert_int_equal(ub_adac_encode_tlv(0x8001, v, 5, out, 4, &n), UB_OK);
	assert_int_equal(n, 4);
	assert_int_equal(out[0], 0x80010000);
	assert_int_equal(out[1], 5);
	assert_int_equal(out[2], 0x04030201);
	assert_int_equal(out[3], 0x00000005);
	assert_int_equal(ub_adac_encode_tlv(0x8001, v, 5, out, 3, &n), UB_ERR_ARG);
	assert_int_equal(ub_adac_encode_tlv(0x8001, NULL, 0, out, 2, &n), UB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ub_adac_encode_tlv(0x8001, NULL, 0, out, 1, &n), UB_ERR_ARG);
}

static void password_response_layout(void **state)
{
	const uint8_t pw[10] = "secret-pw!";
	uint32_t out[8];
	size_t n;
	ub_adac_response r;
	ub_adac_tlv t;
	bool found;

	assert_int_equal(ub_adac_build_password_response(pw, 10, out, 8, &n), UB_OK);
	assert_int_equal(n, 2 + 2 + 3);
	assert_int_equal(out[0], W(UB_ADAC_CMD_AUTH_RESPONSE));
	assert_int_equal(out[1], 5);
	assert_int_equal(out[2], W(0x8000));
	assert_int_equal(out[3], 10);
	assert_int_equal(out[6] >> 16, 0);     /* two padding bytes are zero */
	/* Read it back with the decoder and the TLV lookup. */
	assert_int_equal(ub_adac_decode_response(out, n, &r), UB_OK);
	assert_int_equal(ub_adac_tlv_find(r.data, r.data_count, UB_ADAC_TLV_ST_PASSWORD, &t, &found), UB_OK);
	assert_true(found);
	assert_int_equal(t.length, 10);
	for (uint32_t i = 0; i < 10; i++)
		assert_int_equal(ub_adac_tlv_byte(&t, i), pw[i]);

	assert_int_equal(ub_adac_build_password_response(pw, 4, out, 8, &n), UB_OK);
	assert_int_equal(n, 5);
	uint8_t pw16[16] = "0123456789abcdef";
	assert_int_equal(ub_adac_build_password_response(pw16, 16, out, 8, &n), UB_OK);
	assert_int_equal(n, 8);
	assert_int_equal(ub_adac_build_password_response(pw16, 16, out, 7, &n), UB_ERR_ARG);
	assert_int_equal(ub_adac_build_password_response(pw, 3, out, 8, &n), UB_ERR_ARG);
	assert_msg_has("3 bytes, must be 4..16");
	assert_int_equal(ub_adac_build_password_response(pw16, 17, out, 8, &n), UB_ERR_ARG);
	assert_int_equal(ub_adac_build_password_response(NULL, 8, out, 8, &n), UB_ERR_ARG);
}

/* ---- response decoding -------------------------------------------------- */

static void response_decodes_and_rejects_hostile_headers(void **state)
{
	ub_adac_response r;
	uint32_t *p;

	uint32_t ok[4] = { W(UB_ADAC_ST_SUCCESS), 2, 7, 8 };
	assert_int_equal(decode_exact(ok, 4, &r, &p), UB_OK);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.data_count, 2);
	assert_int_equal(r.data[1], 8);
	free(p);

	uint32_t more[3] = { W(0), 5, 1 };        /* data_count larger than received */
	assert_int_equal(decode_exact(more, 3, &r, &p), UB_ERR_PARSE);
	assert_msg_has("data_count 5 words but 1 data words received");
	free(p);

	uint32_t trailing[4] = { W(0), 1, 1, 2 }; /* extra words after the packet */
	assert_int_equal(decode_exact(trailing, 4, &r, &p), UB_ERR_PARSE);
	free(p);

	uint32_t huge[2] = { W(0), 0xFFFFFFFF };
	assert_int_equal(decode_exact(huge, 2, &r, &p), UB_ERR_PARSE);
	assert_msg_has("data_count 4294967295 words exceeds the 1024-word limit");
	free(p);

	uint32_t reserved[2] = { W(0) | 0x0001, 0 };
	assert_int_equal(decode_exact(reserved, 2, &r, &p), UB_ERR_PARSE);
	assert_msg_has("reserved half-word 0x0001");
	free(p);

	uint32_t unknown[2] = { W(0x0042), 0 };
	assert_int_equal(decode_exact(unknown, 2, &r, &p), UB_ERR_PARSE);
	assert_msg_has("unknown status 0x0042");
	free(p);

	assert_int_equal(decode_exact(ok, 1, &r, &p), UB_ERR_PARSE);
	free(p);
	assert_int_equal(decode_exact(ok, 0, &r, &p), UB_ERR_PARSE);
	free(p);
	assert_int_equal(ub_adac_decode_response(NULL, 2, &r), UB_ERR_ARG);
}

static void header_check_bounds_transport_reads(void **state)
{
	uint16_t st;
	uint32_t cnt;

	assert_int_equal(ub_adac_check_header(W(UB_ADAC_ST_INVALID_COMMAND), 1024, &st, &cnt), UB_OK);
	assert_int_equal(st, 0x7FFF);
	assert_int_equal(cnt, 1024);
	assert_int_equal(ub_adac_check_header(W(0), 1025, &st, &cnt), UB_ERR_PARSE);
	assert_int_equal(ub_adac_check_header(0xFFFF0000u, 0, &st, &cnt), UB_ERR_PARSE);
	assert_int_equal(ub_adac_check_header(W(0), 0, NULL, &cnt), UB_ERR_ARG);
}

static void expect_success_names_status(void **state)
{
	ub_adac_response r = { UB_ADAC_ST_UNAUTHORIZED, 0, NULL };

	assert_int_equal(ub_adac_expect_success(&r, "auth response"), UB_ERR_REFUSED);
	assert_msg_has("auth response: device answered status UNAUTHORIZED (0x0004)");
	r.status = UB_ADAC_ST_SUCCESS;
	assert_int_equal(ub_adac_expect_success(&r, "x"), UB_OK);
}

/* ---- TLV iteration ------------------------------------------------------ */

static void tlv_iteration_round_trip(void **state)
{
	uint32_t buf[16];
	size_t n = 0, k;
	const uint8_t a[3] = { 9, 8, 7 }, b[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	assert_int_equal(ub_adac_encode_tlv(0x0001, a, 3, buf, 16, &k), UB_OK);
	n += k;
	assert_int_equal(ub_adac_encode_tlv(0x0102, NULL, 0, buf + n, 16 - n, &k), UB_OK); /* zero length */
	n += k;
	assert_int_equal(ub_adac_encode_tlv(0x8003, b, 8, buf + n, 16 - n, &k), UB_OK);
	n += k;
	assert_int_equal(n, 3 + 2 + 4);

	uint32_t *p = exact(buf, n);
	ub_adac_tlv_iter it;
	ub_adac_tlv t;
	bool have;
	ub_adac_tlv_iter_init(&it, p, n);
	assert_int_equal(ub_adac_tlv_next(&it, &t, &have), UB_OK);
	assert_true(have);
	assert_int_equal(t.type, 1);
	assert_int_equal(t.length, 3);
	assert_int_equal(t.offset, 0);
	assert_int_equal(ub_adac_tlv_byte(&t, 2), 7);
	assert_int_equal(ub_adac_tlv_next(&it, &t, &have), UB_OK);
	assert_true(have);
	assert_int_equal(t.type, 0x0102);
	assert_int_equal(t.length, 0);
	assert_int_equal(t.offset, 12);
	assert_int_equal(ub_adac_tlv_next(&it, &t, &have), UB_OK);
	assert_true(have);
	assert_int_equal(t.type, 0x8003);
	assert_int_equal(t.offset, 20);
	assert_int_equal(ub_adac_tlv_byte(&t, 7), 8);
	assert_int_equal(ub_adac_tlv_next(&it, &t, &have), UB_OK);
	assert_false(have);
	assert_int_equal(ub_adac_tlv_next(&it, &t, &have), UB_OK);   /* end stays end */
	assert_false(have);
	free(p);

	ub_adac_tlv_iter_init(&it, NULL, 0);   /* empty payload */
	assert_int_equal(ub_adac_tlv_next(&it, &t, &have), UB_OK);
	assert_false(have);
}

/* Runs the iterator over an exactly-sized copy; returns the first error. */
static ub_err iterate_all(const uint32_t *w, size_t n, unsigned *count)
{
	uint32_t *p = exact(w, n);
	ub_adac_tlv_iter it;
	ub_adac_tlv t;
	bool have;
	ub_err e;

	*count = 0;
	ub_adac_tlv_iter_init(&it, p, n);
	while ((e = ub_adac_tlv_next(&it, &t, &have)) == UB_OK && have)
		(*count)++;
	if (e != UB_OK) /* sticky: no resynchronisation on hostile data */
		assert_int_equal(ub_adac_tlv_next(&it, &t, &have), UB_ERR_PARSE);
	free(p);
	return e;
}

static void tlv_hostile_lengths(void **state)
{
	unsigned c;

	uint32_t huge[4] = { W(1), 0xFFFFFFFF, 0, 0 };
	assert_int_equal(iterate_all(huge, 4, &c), UB_ERR_PARSE);
	assert_msg_has("offset 0: type 0x0001 (AUTH_VERSION) length 4294967295 bytes");
	assert_int_equal(c, 0);

	/* 0xFFFFFFFD would wrap to a small padded size if rounded up as len + 3. */
	uint32_t wrap[3] = { W(1), 0xFFFFFFFD, 0 };
	assert_int_equal(iterate_all(wrap, 3, &c), UB_ERR_PARSE);

	/* Second TLV: length 5 needs 8 padded bytes, only 4 remain. */
	uint32_t pad[5] = { W(2), 0, W(3), 5, 0xAABBCCDD };
	assert_int_equal(iterate_all(pad, 5, &c), UB_ERR_PARSE);
	assert_msg_has("offset 8: type 0x0003 (SOC_CLASS) length 5 bytes (padded 8) but only 4 bytes remain");
	assert_int_equal(c, 1);

	uint32_t exact_fit[4] = { W(3), 5, 1, 2 };
	assert_int_equal(iterate_all(exact_fit, 4, &c), UB_OK);
	assert_int_equal(c, 1);

	uint32_t half_header[3] = { W(1), 0, W(2) };
	assert_int_equal(iterate_all(half_header, 3, &c), UB_ERR_PARSE);
	assert_msg_has("offset 8: truncated header, 4 bytes left of 8");

	uint32_t reserved[2] = { W(1) | 0x8000, 0 };
	assert_int_equal(iterate_all(reserved, 2, &c), UB_ERR_PARSE);
	assert_msg_has("offset 0: type 0x0001 reserved half-word 0x8000");

	uint32_t zeros[6] = { 0 };   /* six zero words = three zero-length TLVs of type 0 */
	assert_int_equal(iterate_all(zeros, 6, &c), UB_OK);
	assert_int_equal(c, 3);
}

static void tlv_find_validates_whole_payload(void **state)
{
	uint32_t w[6] = { W(4), 4, 0x12345678, W(5), 100, 0 };
	ub_adac_tlv t;
	bool found = true;

	assert_int_equal(ub_adac_tlv_find(w, 3, 4, &t, &found), UB_OK);
	assert_true(found);
	assert_int_equal(t.value[0], 0x12345678);
	assert_int_equal(ub_adac_tlv_find(w, 3, 9, &t, &found), UB_OK);
	assert_false(found);
	/* The wanted TLV comes first, but a malformed one follows: not trusted. */
	uint32_t *p = exact(w, 6);
	assert_int_equal(ub_adac_tlv_find(p, 6, 4, &t, &found), UB_ERR_PARSE);
	assert_false(found);
	free(p);
	assert_int_equal(ub_adac_tlv_find(NULL, 3, 4, &t, &found), UB_ERR_ARG);
}

/* ---- discovery ---------------------------------------------------------- */

typedef struct { uint32_t w[96]; size_t n; } packet;

static void add_tlv(packet *pk, uint16_t type, const void *v, size_t len)
{
	size_t k;
	assert_int_equal(ub_adac_encode_tlv(type, v, len, &pk->w[pk->n], 96 - pk->n, &k), UB_OK);
	pk->n += k;
}

/* A discovery answer as CubeProgrammer reports it for a 0x484 part (facts B.4). */
static void st_discovery(packet *pk)
{
	const uint8_t ver[2] = { 1, 0 }, vendor[2] = { 0x20, 0 }, cls[4] = { 0x84, 0x04, 0, 0 };
	const uint8_t lcs[2] = { 0x00, 0x30 }, tok[2] = { 0x00, 0x02 }, cert[4] = { 0x01, 0x02, 0x02, 0x02 };
	const uint8_t keys[2] = { 0x01, 0x80 }, sda[4] = { 0, 4, 2, 0 }, hdpl[4] = { 0x11, 0x22, 0x33, 0x44 };
	uint8_t id[16];

	for (int i = 0; i < 16; i++)
		id[i] = (uint8_t)(0xA0 + i);
	pk->n = 0;
	add_tlv(pk, UB_ADAC_TLV_AUTH_VERSION, ver, 2);
	add_tlv(pk, UB_ADAC_TLV_VENDOR_ID, vendor, 2);
	add_tlv(pk, UB_ADAC_TLV_SOC_CLASS, cls, 4);
	add_tlv(pk, UB_ADAC_TLV_SOC_ID, id, 16);
	add_tlv(pk, UB_ADAC_TLV_PSA_LIFECYCLE, lcs, 2);
	add_tlv(pk, UB_ADAC_TLV_SDA_VERSION, sda, 4);
	add_tlv(pk, UB_ADAC_TLV_TOKEN_FORMATS, tok, 2);
	add_tlv(pk, UB_ADAC_TLV_CERT_FORMATS, cert, 4);
	add_tlv(pk, UB_ADAC_TLV_CRYPTOSYSTEMS, keys, 2);
	add_tlv(pk, UB_ADAC_TLV_ST_PASSWORD, hdpl, 1);
	add_tlv(pk, UB_ADAC_TLV_ST_HDPL1_STATUS, hdpl, 4);
}

static ub_err parse_disc(const packet *pk, uint16_t status, ub_adac_discovery *d)
{
	uint32_t *p = exact(pk->w, pk->n);
	ub_adac_response r = { status, (uint32_t)pk->n, p };
	ub_err e = ub_adac_parse_discovery(&r, d);
	free(p);
	return e;
}

static void discovery_parses_st_answer(void **state)
{
	packet pk;
	ub_adac_discovery d;

	st_discovery(&pk);
	assert_int_equal(parse_disc(&pk, 0, &d), UB_OK);
	assert_true(d.has_auth_version && d.has_vendor_id && d.has_soc_class && d.has_soc_id && d.has_psa_lifecycle);
	assert_int_equal(d.auth_major, 1);
	assert_int_equal(d.auth_minor, 0);
	assert_int_equal(d.vendor_id, 0x20);
	assert_int_equal(d.soc_class, 0x484);
	assert_int_equal(d.soc_id[0], 0xA0);
	assert_int_equal(d.soc_id[15], 0xAF);
	assert_int_equal(d.psa_lifecycle, 0x3000);
	assert_int_equal(d.n_token_formats, 1);
	assert_int_equal(d.token_formats[0], 0x0200);
	assert_int_equal(d.n_cert_formats, 2);
	assert_int_equal(d.cert_formats[1], 0x0202);
	assert_int_equal(d.n_cryptosystems, 2);
	assert_int_equal(d.cryptosystems[1], 0x80);
	assert_int_equal(d.n_vendor, 2);
	assert_int_equal(d.vendor[0].type, 0x8000);
	assert_int_equal(d.vendor[0].length, 1);
	assert_int_equal(d.vendor[0].value[0], 0x11);
	assert_int_equal(d.vendor[1].type, 0x8001);
	assert_memory_equal(d.vendor[1].value, "\x11\x22\x33\x44", 4);

	assert_int_equal(parse_disc(&pk, UB_ADAC_ST_UNSUPPORTED, &d), UB_ERR_REFUSED);
	pk.n = 0;
	assert_int_equal(parse_disc(&pk, 0, &d), UB_OK);   /* empty: nothing present */
	assert_false(d.has_auth_version);
}

static void discovery_rejects_bad_fields(void **state)
{
	packet pk;
	ub_adac_discovery d;
	uint8_t many[2 * UB_ADAC_MAX_LIST + 2] = { 0 }, big[UB_ADAC_MAX_VENDOR_VALUE + 1] = { 0 };

	pk.n = 0;
	add_tlv(&pk, UB_ADAC_TLV_AUTH_VERSION, NULL, 0);    /* zero-length field */
	assert_int_equal(parse_disc(&pk, 0, &d), UB_ERR_PARSE);
	assert_msg_has("AUTH_VERSION at offset 0: length 0 bytes, expected 2");

	pk.n = 0;
	add_tlv(&pk, UB_ADAC_TLV_CRYPTOSYSTEMS, NULL, 0);   /* zero-length list */
	assert_int_equal(parse_disc(&pk, 0, &d), UB_ERR_PARSE);

	pk.n = 0;
	add_tlv(&pk, UB_ADAC_TLV_CRYPTOSYSTEMS, many, UB_ADAC_MAX_LIST + 1);
	assert_int_equal(parse_disc(&pk, 0, &d), UB_ERR_PARSE);
	assert_msg_has("17 entries, at most 16 kept");
	pk.n = 0;
	add_tlv(&pk, UB_ADAC_TLV_TOKEN_FORMATS, many, 2 * UB_ADAC_MAX_LIST + 2);
	assert_int_equal(parse_disc(&pk, 0, &d), UB_ERR_PARSE);
	pk.n = 0;
	add_tlv(&pk, UB_ADAC_TLV_TOKEN_FORMATS, many, 2 * UB_ADAC_MAX_LIST);   /* exactly the maximum */
	assert_int_equal(parse_disc(&pk, 0, &d), UB_OK);
	assert_int_equal(d.n_token_formats, UB_ADAC_MAX_LIST);

	pk.n = 0;
	add_tlv(&pk, UB_ADAC_TLV_CERT_FORMATS, many, 3);   /* half an entry */
	assert_int_equal(parse_disc(&pk, 0, &d), UB_ERR_PARSE);
	assert_msg_has("length 3 is not a non-zero multiple of 2");

	pk.n = 0;
	add_tlv(&pk, UB_ADAC_TLV_SOC_ID, many, 15);
	assert_int_equal(parse_disc(&pk, 0, &d), UB_ERR_PARSE);

	pk.n = 0;
	add_tlv(&pk, UB_ADAC_TLV_SOC_CLASS, many, 4);
	add_tlv(&pk, UB_ADAC_TLV_SOC_CLASS, many, 4);
	assert_int_equal(parse_disc(&pk, 0, &d), UB_ERR_PARSE);
	assert_msg_has("SOC_CLASS at offset 12: appears twice");
	pk.n = 0;
	add_tlv(&pk, UB_ADAC_TLV_CRYPTOSYSTEMS, many, 1);
	add_tlv(&pk, UB_ADAC_TLV_CRYPTOSYSTEMS, many, 1);
	assert_int_equal(parse_disc(&pk, 0, &d), UB_ERR_PARSE);

	pk.n = 0;
	add_tlv(&pk, 0x8005, big, sizeof(big));
	assert_int_equal(parse_disc(&pk, 0, &d), UB_ERR_PARSE);
	assert_msg_has("length 65 exceeds 64");
	pk.n = 0;
	for (unsigned i = 0; i <= UB_ADAC_MAX_VENDOR_TLVS; i++)
		add_tlv(&pk, (uint16_t)(0x8000 + i), big, 4);
	assert_int_equal(parse_disc(&pk, 0, &d), UB_ERR_PARSE);
	assert_msg_has("more than 8 vendor TLVs");

	/* A malformed TLV after good ones fails the whole discovery. */
	st_discovery(&pk);
	pk.w[pk.n++] = W(0x0009);
	pk.w[pk.n++] = 8;
	pk.w[pk.n++] = 0;
	assert_int_equal(parse_disc(&pk, 0, &d), UB_ERR_PARSE);
	assert_msg_has("type 0x0009 (SW_PARTITION_ID) length 8 bytes (padded 8) but only 4 bytes remain");
}

/* ---- challenge ---------------------------------------------------------- */

static void challenge_parses_and_checks(void **state)
{
	uint32_t w[9] = { 0x00000201 };
	ub_adac_challenge c;

	for (int i = 1; i < 9; i++)
		w[i] = 0x03020100u + 0x04040404u * (uint32_t)(i - 1);
	uint32_t *p = exact(w, 9);
	ub_adac_response r = { 0, 9, p };
	assert_int_equal(ub_adac_parse_challenge(&r, &c), UB_OK);
	assert_int_equal(c.major, 1);
	assert_int_equal(c.minor, 2);
	for (int i = 0; i < 32; i++)
		assert_int_equal(c.nonce[i], i);

	r.data_count = 8;
	assert_int_equal(ub_adac_parse_challenge(&r, &c), UB_ERR_PARSE);
	assert_msg_has("8 data words, expected 9");
	r.data_count = 9;
	p[0] = 0x00010201;
	assert_int_equal(ub_adac_parse_challenge(&r, &c), UB_ERR_PARSE);
	assert_msg_has("reserved half-word 0x0001");
	r.status = UB_ADAC_ST_INVALID_PARAMETERS;
	assert_int_equal(ub_adac_parse_challenge(&r, &c), UB_ERR_REFUSED);
	free(p);
}

static void names(void **state)
{
	assert_string_equal(ub_adac_command_name(UB_ADAC_CMD_LCS_CHANGE), "LCS_CHANGE");
	assert_null(ub_adac_command_name(0));
	assert_string_equal(ub_adac_status_name(0x7FFF), "INVALID_COMMAND");
	assert_string_equal(ub_adac_status_name(0x0006), "UNKNOWN_STATUS");
	assert_string_equal(ub_adac_tlv_type_name(0x000C), "EFFECTIVE_PERMISSIONS");
	assert_string_equal(ub_adac_tlv_type_name(0x0202), "X509_CERT");
	assert_string_equal(ub_adac_tlv_type_name(0x8002), "ST_HDPL2_STATUS");
	assert_string_equal(ub_adac_tlv_type_name(0x9999), "VENDOR");
	assert_string_equal(ub_adac_tlv_type_name(0x0000), "UNKNOWN_TLV");
	assert_string_equal(ub_adac_tlv_type_name(0x0300), "UNKNOWN_TLV");
}

/* ---- fuzz entry: random and mutated packets under ASan/UBSan ------------ */

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

static void fuzz_entry_survives_hostile_input(void **state)
{
	packet pk;
	uint32_t seed = 12345;
	size_t max = 4 * (2 + 96);

	st_discovery(&pk);
	uint8_t *good = malloc(max);
	assert_non_null(good);
	good[0] = good[1] = good[2] = good[3] = 0;
	for (size_t i = 0; i < 4; i++)
		good[4 + i] = (uint8_t)(pk.n >> (8 * i));
	for (size_t w = 0; w < pk.n; w++)
		for (size_t i = 0; i < 4; i++)
			good[8 + 4 * w + i] = (uint8_t)(pk.w[w] >> (8 * i));
	size_t good_len = 8 + 4 * pk.n;
	assert_int_equal(ub_adac_fuzz_one(good, good_len), 0);

	for (int round = 0; round < 20000; round++) {
		size_t len = round & 1 ? good_len - lcg(&seed) % 12 : lcg(&seed) % 64;
		uint8_t *in = malloc(len ? len : 1);
		assert_non_null(in);
		if (round & 1) {
			memcpy(in, good, len);
			for (int m = 0; m < 3; m++)
				in[lcg(&seed) % len] = (uint8_t)lcg(&seed);
			/* Keep the header consistent with the length often, so TLVs get exercised. */
			if (round & 2) {
				uint32_t cnt = (uint32_t)(len / 4 - 2);
				in[0] = in[1] = in[2] = in[3] = 0;
				memcpy(&in[4], &cnt, 4);   /* little-endian host assumed for the test bench */
			}
		} else {
			for (size_t i = 0; i < len; i++)
				in[i] = (uint8_t)lcg(&seed);
		}
		assert_int_equal(ub_adac_fuzz_one(in, len), 0);
		free(in);
	}
	assert_int_equal(ub_adac_fuzz_one(NULL, 5), 0);
	free(good);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_round_trip),
		cmocka_unit_test(request_capacity_and_args),
		cmocka_unit_test(tlv_encode_pads_with_zero),
		cmocka_unit_test(password_response_layout),
		cmocka_unit_test(response_decodes_and_rejects_hostile_headers),
		cmocka_unit_test(header_check_bounds_transport_reads),
		cmocka_unit_test(expect_success_names_status),
		cmocka_unit_test(tlv_iteration_round_trip),
		cmocka_unit_test(tlv_hostile_lengths),
		cmocka_unit_test(tlv_find_validates_whole_payload),
		cmocka_unit_test(discovery_parses_st_answer),
		cmocka_unit_test(discovery_rejects_bad_fields),
		cmocka_unit_test(challenge_parses_and_checks),
		cmocka_unit_test(names),
		cmocka_unit_test(fuzz_entry_survives_hostile_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
