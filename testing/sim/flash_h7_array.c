/*
 * STM32H7 flash memory array of one physical bank: the bytes and, per flash
 * word (256 or 128 bits + ECC, facts A.2), whether its ECC bits say erased,
 * programmed once, or corrupt.  A corrupt word is what an interrupted program
 * or erase leaves behind: reading it is a double ECC error.
 */
#include "flash_h7_internal.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

int fa_alloc(flash_h7_bank *b, uint32_t bytes, unsigned word_bytes)
{
	b->words = bytes / word_bytes;
	b->data = malloc(bytes);
	b->word_state = malloc(b->words);
	if (!b->data || !b->word_state) {
		fa_free(b);
		return -1;
	}
	fa_erase_all(b, word_bytes);
	return 0;
}

void fa_free(flash_h7_bank *b)
{
	free(b->data);
	free(b->word_state);
	b->data = NULL;
	b->word_state = NULL;
	b->words = 0;
}

void fa_erase_all(flash_h7_bank *b, unsigned word_bytes)
{
	memset(b->data, 0xff, (size_t)b->words * word_bytes);
	memset(b->word_state, WORD_ERASED, b->words);
}

/* Deterministic "half-way" cell values, so that state hashes are reproducible. */
static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint8_t noise_byte(uint32_t word, unsigned i)
{
	return (uint8_t)(mix64(((uint64_t)word << 8) | i) >> 24);
}

static bool word_kept(const flash_keep *keep, uint32_t offset)
{
	if (!keep)
		return false;
	for (unsigned i = 0; i < keep->count; i++)
		if (keep->area[i].present && offset >= keep->area[i].start && offset < keep->area[i].end)
			return true;
	return false;
}

void fa_erase_range(flash_h7_bank *b, unsigned word_bytes, uint32_t start, uint32_t end, const flash_keep *keep)
{
	for (uint32_t w = start / word_bytes; w < end / word_bytes && w < b->words; w++) {
		if (word_kept(keep, w * word_bytes))
			continue;
		memset(b->data + (size_t)w * word_bytes, 0xff, word_bytes);
		b->word_state[w] = WORD_ERASED;
	}
}

/*
 * An erase cut short by a reset.  UNCONFIRMED on silicon; chosen: the whole
 * sector that was being erased is left with cells between programmed and
 * erased, so every word of it fails ECC, already-erased words included (NOR
 * erase algorithms pre-program a sector before the erase pulses).  Kept
 * (protected) words are never touched by the erase, so they stay intact.
 */
void fa_corrupt_range(flash_h7_bank *b, unsigned word_bytes, uint32_t start, uint32_t end, const flash_keep *keep)
{
	for (uint32_t w = start / word_bytes; w < end / word_bytes && w < b->words; w++) {
		uint8_t *p = b->data + (size_t)w * word_bytes;

		if (word_kept(keep, w * word_bytes))
			continue;
		for (unsigned i = 0; i < word_bytes; i++)
			p[i] |= noise_byte(w, i);
		b->word_state[w] = WORD_CORRUPT;
	}
}

/*
 * Program one flash word.  A word can be programmed once after an erase: its
 * ECC is written with it.  Programming it again is UNCONFIRMED on silicon;
 * chosen (the harder outcome): cells only move 1 -> 0, so the data becomes
 * old AND new, and the ECC no longer matches: the word is corrupt.
 */
void fa_program_word(flash_h7_bank *b, unsigned word_bytes, uint32_t word, const uint8_t *data)
{
	uint8_t *p;

	if (word >= b->words)
		return;
	p = b->data + (size_t)word * word_bytes;
	if (b->word_state[word] == WORD_ERASED) {
		memcpy(p, data, word_bytes);
		b->word_state[word] = WORD_PROGRAMMED;
		return;
	}
	for (unsigned i = 0; i < word_bytes; i++)
		p[i] &= data[i];
	b->word_state[word] = WORD_CORRUPT;
}

/*
 * A program cut short by a reset: some of the cells that had to go to 0 did,
 * others did not, and the ECC bits are half written.  The word is corrupt.
 */
void fa_interrupt_program(flash_h7_bank *b, unsigned word_bytes, uint32_t word, const uint8_t *target)
{
	uint8_t *p;

	if (word >= b->words)
		return;
	p = b->data + (size_t)word * word_bytes;
	for (unsigned i = 0; i < word_bytes; i++)
		p[i] &= (uint8_t)(target[i] | noise_byte(word, i));
	b->word_state[word] = WORD_CORRUPT;
}

void fa_mark_corrupt(flash_h7_bank *b, uint32_t word)
{
	if (word < b->words)
		b->word_state[word] = WORD_CORRUPT;
}

void fa_counts(const flash_h7_bank *b, uint32_t *erased, uint32_t *programmed, uint32_t *corrupt)
{
	uint32_t n[3] = { 0, 0, 0 };

	for (uint32_t w = 0; w < b->words; w++)
		n[b->word_state[w] < 3 ? b->word_state[w] : WORD_CORRUPT]++;
	*erased = n[WORD_ERASED];
	*programmed = n[WORD_PROGRAMMED];
	*corrupt = n[WORD_CORRUPT];
}

int fa_sha256_hex(const flash_h7_bank *b, uint32_t bytes, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (EVP_Digest(b->data, bytes, md, &len, EVP_sha256(), NULL) != 1 || len != 32) {
		out[0] = '\0';
		return -1;
	}
	for (unsigned i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}
