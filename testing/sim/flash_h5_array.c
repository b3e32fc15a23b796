/*
 * STM32H5 flash memory arrays: a physical bank, OBK or OTP, as bytes plus,
 * per program unit (quad-word of 128 bits + ECC for user flash and OBK,
 * half-word + 6-bit ECC for OTP, facts B.2 and [SVD-H563] ECCDR), whether its
 * ECC bits say erased, programmed once, or corrupt.  A corrupt unit is what
 * an interrupted program or erase leaves behind: reading it is a double ECC
 * error.
 */
#include "flash_h5_internal.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

int fa5_alloc(fh5_array *a, uint32_t bytes, uint32_t unit)
{
	memset(a, 0, sizeof(*a));
	if (bytes == 0)
		return 0; /* the area does not exist on this part */
	a->data = malloc(bytes);
	a->state = malloc(bytes / unit);
	if (!a->data || !a->state) {
		fa5_free(a);
		return -1;
	}
	a->bytes = bytes;
	a->unit = unit;
	a->units = bytes / unit;
	fa5_erase_units(a, 0, a->units);
	return 0;
}

void fa5_free(fh5_array *a)
{
	free(a->data);
	free(a->state);
	memset(a, 0, sizeof(*a));
}

void fa5_erase_units(fh5_array *a, uint32_t first, uint32_t count)
{
	if (first >= a->units)
		return;
	if (count > a->units - first)
		count = a->units - first;
	memset(a->data + (size_t)first * a->unit, 0xff, (size_t)count * a->unit);
	memset(a->state + first, UNIT_ERASED, count);
}

/* Deterministic "half-way" cell values, so that state hashes are reproducible. */
static uint8_t noise_byte(uint32_t unit, unsigned i)
{
	uint64_t x = (((uint64_t)unit << 8) | i) + 0x9e3779b97f4a7c15ull;

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return (uint8_t)((x ^ (x >> 31)) >> 24);
}

/*
 * The unit an erase was working on when it was cut: its cells sit between
 * programmed and erased, so the ECC no longer matches (UNCONFIRMED on silicon;
 * chosen as the boundary of a cut erase, see flash_h5_ops.c).
 */
void fa5_corrupt_unit(fh5_array *a, uint32_t unit)
{
	uint8_t *p;

	if (unit >= a->units)
		return;
	p = a->data + (size_t)unit * a->unit;
	for (unsigned i = 0; i < a->unit; i++)
		p[i] |= noise_byte(unit, i);
	a->state[unit] = UNIT_CORRUPT;
}

/* Scenario: the unit's ECC no longer matches its data (which stays as it was). */
void fa5_mark_corrupt(fh5_array *a, uint32_t unit)
{
	if (unit < a->units)
		a->state[unit] = UNIT_CORRUPT;
}

/* Program an erased unit with its ECC; false (nothing written) if it is not erased. */
bool fa5_program(fh5_array *a, uint32_t unit, const uint8_t *data)
{
	if (unit >= a->units || a->state[unit] != UNIT_ERASED)
		return false;
	memcpy(a->data + (size_t)unit * a->unit, data, a->unit);
	a->state[unit] = UNIT_PROGRAMMED;
	return true;
}

/*
 * A program cut short by a reset or a power loss: some cells that had to go
 * to 0 did, others did not, and the ECC bits are half written: corrupt.
 */
void fa5_interrupt_program(fh5_array *a, uint32_t unit, const uint8_t *target)
{
	uint8_t *p;

	if (unit >= a->units)
		return;
	p = a->data + (size_t)unit * a->unit;
	for (unsigned i = 0; i < a->unit; i++)
		p[i] &= (uint8_t)(target[i] | noise_byte(unit, i));
	a->state[unit] = UNIT_CORRUPT;
}

/* Scenario content: bytes programmed before power-on, every touched unit with valid ECC. */
void fa5_preload(fh5_array *a, uint32_t offset, const uint8_t *bytes, uint32_t len)
{
	if (len == 0 || offset >= a->bytes || len > a->bytes - offset)
		return;
	memcpy(a->data + offset, bytes, len);
	for (uint32_t u = offset / a->unit; u <= (offset + len - 1) / a->unit; u++)
		a->state[u] = UNIT_PROGRAMMED;
}

void fa5_counts(const fh5_array *a, uint32_t *erased, uint32_t *programmed, uint32_t *corrupt)
{
	uint32_t n[3] = { 0, 0, 0 };

	for (uint32_t u = 0; u < a->units; u++)
		n[a->state[u] <= UNIT_CORRUPT ? a->state[u] : UNIT_CORRUPT]++;
	*erased = n[UNIT_ERASED];
	*programmed = n[UNIT_PROGRAMMED];
	*corrupt = n[UNIT_CORRUPT];
}

int fa5_sha256_hex(const fh5_array *a, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	out[0] = '\0';
	if (EVP_Digest(a->data, a->bytes, md, &len, EVP_sha256(), NULL) != 1 || len != 32)
		return -1;
	for (unsigned i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}
