/*
 * Fuzz target: the STM32H7 option-byte model (src/flash/nor/stm32h7x_ob.c),
 * which decodes whatever FLASH_*_CUR a damaged chip returns and validates
 * every value a user asks for.
 *
 * Input: one byte choosing the chip (line, dual core, two banks), then a
 * program of operations: raw register values as a chip might report them,
 * field reads and writes by table index or by an arbitrary name, diffs,
 * PCROP/secure areas, the post-regression expectation, factory values.
 *
 * Properties checked besides memory safety (the recovery rules, RM0433 and
 * facts A.3/A.6): RDP 0xCC (level 2) and OTP locks are never accepted without
 * the irreversible flag; a write leaves BCM4 and BCM7 never both 0; a value
 * accepted is the value read back; a snapshot never differs from itself.
 */
#include "fuzz.h"

#include "stm32h7x.h"

static const uint16_t dev_ids[] = { 0x450, 0x480, 0x483 };

enum { OP_RAW, OP_SET_IDX, OP_SET_NAME, OP_GET_NAME, OP_DIFF, OP_AREAS, OP_REGRESSION, OP_FACTORY, OP__COUNT };

static const char *field_name(fuzz_input *in)
{
	return h7_ob_field_at(fuzz_u8(in) % h7_ob_field_count())->name;
}

static void check_set(h7_ob *ob, const char *name, uint32_t value, bool irreversible)
{
	h7_ob before = *ob;
	uint32_t got, bcm4, bcm7;

	if (h7_ob_set(ob, name, value, irreversible) != UB_OK) {
		fuzz_require(memcmp(&before, ob, sizeof(before)) == 0, "refused %s = 0x%x changed the snapshot",
			     name, value);
		return;
	}
	fuzz_require(irreversible || strcmp(name, "RDP") != 0 || value != H7_RDP_LEVEL2,
		     "RDP 0xCC accepted without the irreversible flag");
	fuzz_require(irreversible || strcmp(name, "LOCKBL") != 0 || value == 0,
		     "LOCKBL 0x%x accepted without the irreversible flag", value);
	fuzz_require(h7_ob_get(ob, name, &got) == UB_OK && got == value, "%s = 0x%x reads back 0x%x",
		     name, value, got);
	if ((strcmp(name, "BCM4") == 0 || strcmp(name, "BCM7") == 0) && value == 0 &&
	    h7_ob_get(ob, "BCM4", &bcm4) == UB_OK && h7_ob_get(ob, "BCM7", &bcm7) == UB_OK)
		fuzz_require(bcm4 || bcm7, "%s = 0 accepted with no core left booting", name);
}

static void check_area(h7_area a)
{
	fuzz_require(a.empty || a.start <= a.end, "area 0x%08x..0x%08x not empty yet backwards", a.start, a.end);
}

static void run_op(fuzz_input *in, h7_ob *ob, h7_ob *other, const h7_chip_kind *kind)
{
	const char *names[64];
	char name[40];
	uint32_t value;

	switch (fuzz_u8(in) % OP__COUNT) {
	case OP_RAW: {
		size_t reg = fuzz_u8(in) % H7_OB_MAX_REGS;

		ob->value[reg] = fuzz_u32(in);
		break;
	}
	case OP_SET_IDX: {
		const char *n = field_name(in);

		value = fuzz_u32(in);
		check_set(ob, n, value, fuzz_u8(in) & 1);
		break;
	}
	case OP_SET_NAME:
		fuzz_str(in, name, sizeof(name));
		value = fuzz_u32(in);
		check_set(ob, name, value, fuzz_u8(in) & 1);
		break;
	case OP_GET_NAME:
		(void)h7_ob_get(ob, fuzz_str(in, name, sizeof(name)), &value);
		break;
	case OP_DIFF: {
		size_t max = fuzz_u8(in) % (sizeof(names) / sizeof(names[0]));

		fuzz_require(h7_ob_diff(ob, ob, names, max) == 0, "a snapshot differs from itself");
		fuzz_require(h7_ob_diff(ob, other, names, max) <= max, "diff wrote past its array");
		break;
	}
	case OP_AREAS: {
		unsigned bank = fuzz_u8(in) % 4;

		check_area(h7_ob_pcrop_area(ob, bank));
		check_area(h7_ob_secure_area(ob, bank));
		break;
	}
	case OP_REGRESSION: {
		h7_ob expect = *other;

		h7_ob_expect_after_regression(&expect, ob, other);
		break;
	}
	case OP_FACTORY:
		h7_ob_factory(other, kind);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_input in = { data, size, 0 };
	uint8_t pick = fuzz_u8(&in);
	h7_chip_kind kind = {
		.line = h7_line_by_dev_id(dev_ids[pick % 3]),
		.dual_core = pick & 0x10,
		.two_banks = pick & 0x20,
	};
	h7_ob ob, other;

	fuzz_require(kind.line != NULL, "DEV_ID 0x%03x has no line", dev_ids[pick % 3]);
	(void)h7_line_by_dev_id((uint16_t)(pick << 4));
	(void)h7_rdp_level(pick);
	h7_ob_init(&ob, &kind);
	h7_ob_factory(&other, &kind);
	for (unsigned steps = 0; fuzz_more(&in) && steps < 256; steps++)
		run_op(&in, &ob, &other, &kind);
	ub_clear_error();
	return 0;
}
