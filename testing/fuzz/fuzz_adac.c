/*
 * Fuzz target: the PSA ADAC codec (src/target/adac.c) on what a hostile
 * STM32H5 pushes through the DBG_AUTH_DEVICE mailbox.  The input is the
 * little-endian words of one response.
 *
 * ub_adac_fuzz_one (adac_fuzz.c) runs every parser, but over a fixed-size stack
 * array, where ASan cannot see a read past the packet's end.  So the words are
 * also copied into a heap block of exactly the packet's size and parsed again
 * there, with the properties the transport relies on checked on the way: the
 * header check and the decoder agree, and every TLV lies inside the payload.
 */
#include "fuzz.h"

#include "adac.h"

static void check_tlvs(const ub_adac_response *r)
{
	ub_adac_tlv_iter it;
	ub_adac_tlv t;
	bool have;
	unsigned steps = 0;

	ub_adac_tlv_iter_init(&it, r->data, r->data_count);
	while (ub_adac_tlv_next(&it, &t, &have) == UB_OK && have) {
		size_t value_words = t.length / 4u + (t.length % 4u != 0);

		fuzz_require(t.value >= r->data && t.value <= r->data + r->data_count &&
			     value_words <= (size_t)(r->data + r->data_count - t.value),
			     "TLV 0x%04x at byte %zu, %u bytes, runs past the %u-word payload",
			     t.type, t.offset, t.length, r->data_count);
		fuzz_require(++steps <= r->data_count / 2u, "more TLVs than the payload can hold");
	}
}

static void parse_exact(const uint8_t *data, size_t size)
{
	size_t nwords = size / 4;
	uint32_t *words = malloc(nwords ? nwords * sizeof(*words) : 1);
	uint16_t status = 0;
	uint32_t count = 0;
	ub_adac_response r;
	ub_adac_discovery disc;
	ub_adac_challenge chal;

	fuzz_require(words != NULL, "out of memory");
	for (size_t w = 0; w < nwords; w++)
		words[w] = (uint32_t)data[4 * w] | (uint32_t)data[4 * w + 1] << 8 |
			   (uint32_t)data[4 * w + 2] << 16 | (uint32_t)data[4 * w + 3] << 24;
	bool header_ok = nwords >= UB_ADAC_HEADER_WORDS &&
			 ub_adac_check_header(words[0], words[1], &status, &count) == UB_OK;

	if (ub_adac_decode_response(words, nwords, &r) == UB_OK) {
		fuzz_require(header_ok && r.status == status && r.data_count == count &&
			     count == nwords - UB_ADAC_HEADER_WORDS,
			     "decoder accepted %zu words that the header check does not describe", nwords);
		check_tlvs(&r);
		if (ub_adac_parse_discovery(&r, &disc) == UB_OK)
			fuzz_require(disc.n_token_formats <= UB_ADAC_MAX_LIST &&
				     disc.n_cert_formats <= UB_ADAC_MAX_LIST &&
				     disc.n_cryptosystems <= UB_ADAC_MAX_LIST &&
				     disc.n_vendor <= UB_ADAC_MAX_VENDOR_TLVS, "discovery list counts beyond their arrays");
		(void)ub_adac_parse_challenge(&r, &chal);
		(void)ub_adac_expect_success(&r, "fuzz");
	} else if (header_ok) {
		fuzz_require(count != nwords - UB_ADAC_HEADER_WORDS,
			     "header says %u data words, %zu arrived, yet the decoder refused", count, nwords);
	}
	free(words);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ub_adac_fuzz_one(data, size);
	if (size / 4 <= UB_ADAC_HEADER_WORDS + UB_ADAC_MAX_DATA_WORDS + 1)
		parse_exact(data, size);
	return 0;
}
