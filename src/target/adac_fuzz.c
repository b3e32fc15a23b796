/*
 * Fuzz entry for the ADAC codec: treats the input as the words a hostile device
 * pushed through the DBG_AUTH_DEVICE mailbox and runs every parser over them.
 * A libFuzzer harness calls this from LLVMFuzzerTestOneInput; the unit tests
 * call it directly with random and mutated inputs under ASan/UBSan.
 */
#include "adac.h"

/* One word more than the largest acceptable packet, so the "trailing words"
 * check is reachable; the rest of a longer input cannot matter. */
#define FUZZ_MAX_WORDS (UB_ADAC_HEADER_WORDS + UB_ADAC_MAX_DATA_WORDS + 1)

static void walk_tlvs(const ub_adac_response *r)
{
	ub_adac_tlv_iter it;
	ub_adac_tlv t;
	bool have;
	unsigned sum = 0;

	ub_adac_tlv_iter_init(&it, r->data, r->data_count);
	/* Every TLV is at least 2 words, so this ends within data_count/2 steps. */
	while (ub_adac_tlv_next(&it, &t, &have) == UB_OK && have) {
		for (uint32_t i = 0; i < t.length; i++)
			sum += ub_adac_tlv_byte(&t, i);   /* touches every value byte the codec allowed */
	}
	(void)sum;
	(void)ub_adac_tlv_find(r->data, r->data_count, UB_ADAC_TLV_SOC_ID, &t, &have);
}

int ub_adac_fuzz_one(const uint8_t *data, size_t size)
{
	uint32_t words[FUZZ_MAX_WORDS];
	size_t nwords = size / 4;
	ub_adac_response r;
	ub_adac_discovery disc;
	ub_adac_challenge chal;

	if (!data)
		return 0;
	if (nwords > FUZZ_MAX_WORDS)
		nwords = FUZZ_MAX_WORDS;
	/* The mailbox only moves whole words: a trailing partial word never arrives. */
	for (size_t w = 0; w < nwords; w++)
		words[w] = (uint32_t)data[4 * w] | (uint32_t)data[4 * w + 1] << 8 |
			   (uint32_t)data[4 * w + 2] << 16 | (uint32_t)data[4 * w + 3] << 24;
	if (ub_adac_decode_response(words, nwords, &r) != UB_OK)
		return 0;
	walk_tlvs(&r);
	(void)ub_adac_parse_discovery(&r, &disc);
	(void)ub_adac_parse_challenge(&r, &chal);
	return 0;
}
