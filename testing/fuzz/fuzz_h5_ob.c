/*
 * Fuzz target: the STM32H5 option-byte and product-state model
 * (src/flash/nor/stm32h5x_ob.c): decoding whatever FLASH_*_CUR a chip returns,
 * validating field values, and deciding which product-state moves are allowed.
 *
 * Input: one byte choosing the line, then a program of operations: raw
 * register values, field writes and reads by table index or arbitrary name,
 * product-state checks with arbitrary credentials, "remove protections",
 * diffs, geometry and register-map lookups.
 *
 * Properties checked besides memory safety (facts B.3/B.4, issue 5 safety
 * rules): Locked and boot locks never without the irreversible flag; the
 * DA-only states never written; a product-state move never backwards, never out
 * of Locked, never beyond Provisioning without verified credentials of the
 * kind DA accepts; values accepted read back; "remove protections" gives Open.
 */
#include "fuzz.h"

#include "stm32h5x.h"

static const uint16_t dev_ids[] = { 0x474, 0x478, 0x484 };
static const uint8_t states[] = { 0xED, 0x17, 0x2E, 0xC6, 0x72, 0x5C, 0x9A, 0xA3 };

enum { OP_RAW, OP_SET_IDX, OP_SET_NAME, OP_GET_NAME, OP_PS_CHECK, OP_CLEAN, OP_DIFF, OP_GEOMETRY, OP__COUNT };

/* Position on the forward path (facts B.3); -1 for the DA-only states. */
static int rank_of(uint8_t code)
{
	for (int i = 0; i < 6; i++)
		if (states[i] == code)
			return i;
	return -1;
}

static uint8_t some_state(fuzz_input *in)
{
	uint8_t b = fuzz_u8(in);

	return b & 0x80 ? b : states[b % sizeof(states)];   /* mostly real codes, sometimes anything */
}

static void check_set(h5_ob *ob, const char *name, uint32_t value, bool irreversible)
{
	h5_ob before = *ob;
	uint32_t got;

	if (h5_ob_set(ob, name, value, irreversible) != UB_OK) {
		fuzz_require(memcmp(&before, ob, sizeof(before)) == 0, "refused %s = 0x%x changed the snapshot",
			     name, value);
		return;
	}
	if (strcmp(name, "PRODUCT_STATE") == 0) {
		fuzz_require(rank_of((uint8_t)value) >= 0, "PRODUCT_STATE 0x%02x accepted", value);
		fuzz_require(irreversible || value != H5_PS_LOCKED, "Locked accepted without the irreversible flag");
	}
	fuzz_require(irreversible || !strstr(name, "BOOT_LOCK") || value != H5_BOOT_LOCKED,
		     "%s locked without the irreversible flag", name);
	fuzz_require(h5_ob_get(ob, name, &got) == UB_OK && got == value, "%s = 0x%x reads back 0x%x",
		     name, value, got);
}

static void check_product_state_move(fuzz_input *in)
{
	uint8_t from = some_state(in), to = some_state(in), flags = fuzz_u8(in);
	h5_credentials cred = {
		.dev_id = flags & 0x80 ? fuzz_u16(in) : dev_ids[flags % 3],
		.kind = (enum h5_cred_kind)((flags >> 2) % 4),
		.verified = flags & 0x10,
	};
	bool tz = flags & 0x20, irreversible = flags & 0x40;
	const h5_credentials *c = (flags & 3) == 3 ? NULL : &cred;

	if (h5_product_state_check(from, to, c, tz, irreversible) != UB_OK || from == to)
		return;
	fuzz_require(rank_of(from) >= 0 && rank_of(to) > rank_of(from) && from != H5_PS_LOCKED,
		     "move 0x%02x -> 0x%02x allowed", from, to);
	fuzz_require(to != H5_PS_LOCKED || irreversible, "move to Locked allowed without the irreversible flag");
	if (rank_of(to) > rank_of(H5_PS_PROVISIONING))
		fuzz_require(c && c->verified && c->kind != H5_CRED_NONE &&
			     c->kind == h5_cred_kind_needed(c->dev_id, tz),
			     "move 0x%02x -> 0x%02x closes debug without verified credentials DA accepts", from, to);
}

static void check_clean(h5_ob *ob, bool tz)
{
	uint32_t ps;

	h5_ob_apply_clean(ob, tz);
	fuzz_require(h5_ob_get(ob, "PRODUCT_STATE", &ps) == UB_OK && ps == H5_PS_OPEN,
		     "remove protections left PRODUCT_STATE 0x%02x", ps);
	if (ob->line->has_trustzone)
		fuzz_require(h5_ob_tz_enabled(ob) == tz, "remove protections left TrustZone %s", tz ? "off" : "on");
}

static void check_geometry(const h5_line_info *line, unsigned kib)
{
	h5_geometry g;

	if (h5_geometry_for(line, kib, &g) != UB_OK)
		return;
	fuzz_require(g.flash_kib == kib && g.bank_kib * 2 == kib && kib <= line->max_kib && g.sectors_per_bank &&
		     g.sectors_per_bank * line->sector_kib == g.bank_kib, "geometry for %u KiB is inconsistent", kib);
}

static void run_op(fuzz_input *in, h5_ob *ob, h5_ob *other)
{
	const char *names[64];
	char name[40];
	uint32_t value;

	switch (fuzz_u8(in) % OP__COUNT) {
	case OP_RAW: {
		size_t reg = fuzz_u8(in) % H5_OB_MAX_REGS;

		ob->value[reg] = fuzz_u32(in);
		break;
	}
	case OP_SET_IDX: {
		const char *n = h5_ob_field_at(fuzz_u8(in) % h5_ob_field_count())->name;

		value = fuzz_u8(in) & 1 ? some_state(in) : fuzz_u32(in);
		check_set(ob, n, value, fuzz_u8(in) & 1);
		break;
	}
	case OP_SET_NAME:
		fuzz_str(in, name, sizeof(name));
		value = fuzz_u32(in);
		check_set(ob, name, value, fuzz_u8(in) & 1);
		break;
	case OP_GET_NAME:
		fuzz_str(in, name, sizeof(name));
		(void)h5_ob_get(ob, name, &value);
		(void)h5_flash_reg_on(ob->line, name);
		break;
	case OP_PS_CHECK:
		check_product_state_move(in);
		break;
	case OP_CLEAN:
		check_clean(fuzz_u8(in) & 1 ? ob : other, fuzz_u8(in) & 1);
		break;
	case OP_DIFF: {
		size_t max = fuzz_u8(in) % (sizeof(names) / sizeof(names[0]));

		fuzz_require(h5_ob_diff(ob, ob, names, max) == 0, "a snapshot differs from itself");
		fuzz_require(h5_ob_diff(ob, other, names, max) <= max, "diff wrote past its array");
		(void)h5_product_state_name(fuzz_u8(in));
		break;
	}
	case OP_GEOMETRY:
		check_geometry(ob->line, fuzz_u16(in));
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_input in = { data, size, 0 };
	const h5_line_info *line = h5_line_by_dev_id(dev_ids[fuzz_u8(&in) % 3]);
	h5_ob ob, other;

	fuzz_require(line != NULL, "an H5 DEV_ID has no line");
	h5_ob_init(&ob, line);
	h5_ob_init(&other, line);
	for (unsigned steps = 0; fuzz_more(&in) && steps < 256; steps++)
		run_op(&in, &ob, &other);
	ub_clear_error();
	return 0;
}
