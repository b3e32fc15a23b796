/*
 * The Thumb interpreter (thumb.c): loads, stores, stack and multiple
 * transfers, and every way an instruction can stop without retiring (bus
 * faults, fetch faults, undefined and not-modelled encodings).  Encodings
 * hand-assembled and checked against llvm-mc -triple thumbv6m, as in
 * test_thumb.c; the fixture is thumb_fixture.h.
 */
#include "thumb_fixture.h"

static void test_ldr_literal_and_adr(void **state)
{
	fixture *f = *state;
	uint32_t *r = f->regs.r;

	poke32(f, CODE + 12, 0xCAFEF00Du);
	exec_ok(f, 0x4A02); /* 0x00: ldr r2, [pc, #8] -> Align(0x04, 4) + 8 */
	assert_int_equal(r[2], 0xCAFEF00Du);
	r[2] = 0;
	exec_ok(f, 0x4A02); /* 0x02: ldr r2, [pc, #8] -> Align(0x06, 4) + 8, the same word */
	assert_int_equal(r[2], 0xCAFEF00Du);
	r[15] = CODE + 2;
	exec_ok(f, 0xA302); /* 0x02: adr r3, #8 */
	assert_int_equal(r[3], CODE + 12);
	r[15] = CODE + 0x20;
	r[13] = RAM_BASE + 0x400;
	exec_ok(f, 0xA9FF); /* add r1, sp, #1020 */
	assert_int_equal(r[1], RAM_BASE + 0x7FC);
}

static void test_load_store_register_offset(void **state)
{
	fixture *f = *state;
	uint32_t *r = f->regs.r;

	r[2] = DATA, r[3] = 8;
	r[1] = 0x12345678u;
	exec_ok(f, 0x50D1); /* str r1, [r2, r3] */
	assert_int_equal(peek32(f, DATA + 8), 0x12345678u);
	r[1] = 0xAABBCCDDu;
	exec_ok(f, 0x52D1); /* strh r1, [r2, r3] */
	assert_int_equal(peek32(f, DATA + 8), 0x1234CCDDu);
	r[1] = 0x112233EEu;
	exec_ok(f, 0x54D1); /* strb r1, [r2, r3] */
	assert_int_equal(peek32(f, DATA + 8), 0x1234CCEEu);
	exec_ok(f, 0x58D1); /* ldr r1, [r2, r3] */
	assert_int_equal(r[1], 0x1234CCEEu);
	exec_ok(f, 0x5AD1); /* ldrh r1, [r2, r3] */
	assert_int_equal(r[1], 0xCCEEu);
	exec_ok(f, 0x5CD1); /* ldrb r1, [r2, r3] */
	assert_int_equal(r[1], 0xEEu);
	exec_ok(f, 0x56D1); /* ldrsb r1, [r2, r3] */
	assert_int_equal(r[1], 0xFFFFFFEEu);
	exec_ok(f, 0x5ED1); /* ldrsh r1, [r2, r3] */
	assert_int_equal(r[1], 0xFFFFCCEEu);
	r[3] = 10;
	exec_ok(f, 0x5ED1); /* ldrsh r1, [r2, r3]: positive */
	assert_int_equal(r[1], 0x1234u);
	r[3] = 11;
	exec_ok(f, 0x56D1); /* ldrsb r1, [r2, r3]: positive */
	assert_int_equal(r[1], 0x12u);
}

static void test_load_store_immediate(void **state)
{
	fixture *f = *state;
	uint32_t *r = f->regs.r;

	r[2] = DATA;
	r[1] = 0x89ABCDEFu;
	exec_ok(f, 0x67D1); /* str r1, [r2, #124] */
	assert_int_equal(peek32(f, DATA + 124), 0x89ABCDEFu);
	exec_ok(f, 0x77D1); /* strb r1, [r2, #31] */
	assert_int_equal(peek32(f, DATA + 28), 0xEF000000u);
	exec_ok(f, 0x87D1); /* strh r1, [r2, #62] */
	assert_int_equal(peek32(f, DATA + 60), 0xCDEF0000u);
	r[1] = 0;
	exec_ok(f, 0x6FD1); /* ldr r1, [r2, #124] */
	assert_int_equal(r[1], 0x89ABCDEFu);
	exec_ok(f, 0x7FD1); /* ldrb r1, [r2, #31] */
	assert_int_equal(r[1], 0xEFu);
	exec_ok(f, 0x8FD1); /* ldrh r1, [r2, #62] */
	assert_int_equal(r[1], 0xCDEFu);

	r[13] = RAM_BASE + 0x400;
	r[1] = 0x5A5A0001u;
	exec_ok(f, 0x91FF); /* str r1, [sp, #1020] */
	assert_int_equal(peek32(f, RAM_BASE + 0x7FC), 0x5A5A0001u);
	r[1] = 0;
	exec_ok(f, 0x99FF); /* ldr r1, [sp, #1020] */
	assert_int_equal(r[1], 0x5A5A0001u);
}

/* Silicon does these on normal memory; our buses do not: reported, not faulted, nothing done. */
static void test_unaligned_single_access_not_modelled(void **state)
{
	fixture *f = *state;
	uint32_t *r = f->regs.r;

	r[1] = 0x11223344u, r[2] = DATA;
	r[3] = 2;
	assert_int_equal(exec_stops(f, 0x58D1, THUMB_NOT_MODELLED), DATA + 2); /* ldr r1, [r2, r3] */
	assert_int_equal(exec_stops(f, 0x50D1, THUMB_NOT_MODELLED), DATA + 2); /* str r1, [r2, r3] */
	r[3] = 1;
	assert_int_equal(exec_stops(f, 0x5AD1, THUMB_NOT_MODELLED), DATA + 1); /* ldrh r1, [r2, r3] */
	assert_int_equal(exec_stops(f, 0x5ED1, THUMB_NOT_MODELLED), DATA + 1); /* ldrsh r1, [r2, r3] */
	assert_int_equal(exec_stops(f, 0x52D1, THUMB_NOT_MODELLED), DATA + 1); /* strh r1, [r2, r3] */
	exec_ok(f, 0x54D1); /* strb r1, [r2, r3]: a byte is always aligned */
	assert_int_equal(peek32(f, DATA), 0x00004400u);
}

static void test_sp_arithmetic(void **state)
{
	fixture *f = *state;

	f->regs.r[13] = RAM_END - 0x400;
	exec_ok(f, 0xB07F); /* add sp, #508 */
	assert_int_equal(f->regs.r[13], RAM_END - 0x400 + 508);
	exec_ok(f, 0xB0FF); /* sub sp, #508 */
	exec_ok(f, 0xB0FF);
	assert_int_equal(f->regs.r[13], RAM_END - 0x400 - 508);
	assert_flags(f, "nzcv");
}

static void test_extends_and_reverses(void **state)
{
	fixture *f = *state;
	static const struct {
		uint16_t hw;
		uint32_t in, out;
	} rows[] = {
		{ 0xB211, 0x12348086u, 0xFFFF8086u }, /* sxth r1, r2 */
		{ 0xB251, 0x12348086u, 0xFFFFFF86u }, /* sxtb r1, r2 */
		{ 0xB211, 0x12347086u, 0x00007086u },
		{ 0xB251, 0x12348076u, 0x00000076u },
		{ 0xB291, 0x12348086u, 0x00008086u }, /* uxth r1, r2 */
		{ 0xB2D1, 0x12348086u, 0x00000086u }, /* uxtb r1, r2 */
		{ 0xBA11, 0x12348086u, 0x86803412u }, /* rev r1, r2 */
		{ 0xBA51, 0x12348086u, 0x34128680u }, /* rev16 r1, r2 */
		{ 0xBAD1, 0x12348086u, 0xFFFF8680u }, /* revsh r1, r2 */
		{ 0xBAD1, 0x00008012u, 0x00001280u },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		set_flags(f, "NZCV");
		f->regs.r[2] = rows[i].in;
		exec_ok(f, rows[i].hw);
		assert_int_equal(f->regs.r[1], rows[i].out);
		assert_flags(f, "NZCV");
	}
}

static void test_push_pop(void **state)
{
	fixture *f = *state;
	uint32_t *r = f->regs.r;

	r[0] = 0xA0, r[1] = 0xA1, r[4] = 0xA4, r[14] = CODE + 0x101;
	exec_ok(f, 0xB503); /* push {r0, r1, lr} */
	assert_int_equal(r[13], RAM_END - 12);
	assert_int_equal(peek32(f, RAM_END - 12), 0xA0);
	assert_int_equal(peek32(f, RAM_END - 8), 0xA1);
	assert_int_equal(peek32(f, RAM_END - 4), CODE + 0x101);
	exec_ok(f, 0xB410); /* push {r4} */
	assert_int_equal(r[13], RAM_END - 16);
	r[0] = r[1] = r[4] = 0;
	exec_ok(f, 0xBC10); /* pop {r4} */
	assert_int_equal(r[4], 0xA4);
	exec_branch(f, 0xBD03, CODE + 0x100); /* pop {r0, r1, pc} */
	assert_int_equal(r[0], 0xA0);
	assert_int_equal(r[1], 0xA1);
	assert_int_equal(r[13], RAM_END);

	/* POP {pc} interworks: bit 0 clear is INVSTATE, EXC_RETURN is not modelled; SP stays. */
	r[13] = RAM_END - 4;
	poke32(f, RAM_END - 4, CODE + 0x200);
	assert_int_equal(exec_stops(f, 0xBD00, THUMB_INVSTATE), CODE + 0x200); /* pop {pc} */
	poke32(f, RAM_END - 4, 0xFFFFFFFDu);
	assert_int_equal(exec_stops(f, 0xBD00, THUMB_NOT_MODELLED), 0xFFFFFFFDu);
	assert_int_equal(exec_stops(f, 0xB400, THUMB_UNDEFINED), 0xB400); /* push {} */
	assert_int_equal(exec_stops(f, 0xBC00, THUMB_UNDEFINED), 0xBC00); /* pop {} */
}

static void test_ldm_stm_writeback(void **state)
{
	fixture *f = *state;
	uint32_t *r = f->regs.r;

	r[0] = DATA, r[1] = 0x11, r[2] = 0x22, r[3] = 0x33;
	exec_ok(f, 0xC00E); /* stm r0!, {r1, r2, r3} */
	assert_int_equal(r[0], DATA + 12);
	assert_int_equal(peek32(f, DATA), 0x11);
	assert_int_equal(peek32(f, DATA + 8), 0x33);
	r[0] = DATA, r[1] = r[2] = r[3] = 0;
	exec_ok(f, 0xC80E); /* ldm r0!, {r1, r2, r3} */
	assert_int_equal(r[0], DATA + 12);
	assert_int_equal(r[1], 0x11);
	assert_int_equal(r[2], 0x22);
	assert_int_equal(r[3], 0x33);
	r[0] = DATA;
	exec_ok(f, 0xC803); /* ldm r0, {r0, r1}: base in the list, no writeback */
	assert_int_equal(r[0], 0x11);
	assert_int_equal(r[1], 0x22);

	r[0] = DATA + 0x40, r[1] = 0x99;
	exec_ok(f, 0xC003); /* stm r0!, {r0, r1}: the base is the lowest, its old value is stored */
	assert_int_equal(peek32(f, DATA + 0x40), DATA + 0x40);
	assert_int_equal(peek32(f, DATA + 0x44), 0x99);
	assert_int_equal(r[0], DATA + 0x48);
	r[0] = 0x77, r[1] = DATA + 0x50;
	exec_ok(f, 0xC103); /* stm r1!, {r0, r1}: UNKNOWN for the base; this model stores its old value */
	assert_int_equal(peek32(f, DATA + 0x50), 0x77);
	assert_int_equal(peek32(f, DATA + 0x54), DATA + 0x50);
	assert_int_equal(r[1], DATA + 0x58);

	assert_int_equal(exec_stops(f, 0xC800, THUMB_UNDEFINED), 0xC800); /* ldm r0!, {} */
	assert_int_equal(exec_stops(f, 0xC000, THUMB_UNDEFINED), 0xC000); /* stm r0!, {} */
}

static void test_unaligned_multiple(void **state)
{
	fixture *f = *state;
	uint32_t *r = f->regs.r;

	r[0] = DATA + 2;
	assert_int_equal(exec_stops(f, 0xC80E, THUMB_UNALIGNED), DATA + 2); /* ldm r0!, {r1, r2, r3} */
	r[0] = DATA + 1;
	assert_int_equal(exec_stops(f, 0xC00E, THUMB_UNALIGNED), DATA + 1); /* stm r0!, {r1, r2, r3} */
	r[13] = RAM_END - 2; /* only a caller can do this: SP writes keep bits [1:0] clear */
	assert_int_equal(exec_stops(f, 0xB410, THUMB_UNALIGNED), RAM_END - 6); /* push {r4} */
	assert_int_equal(exec_stops(f, 0xBC10, THUMB_UNALIGNED), RAM_END - 2); /* pop {r4} */
}

static void test_faulting_loads_change_nothing(void **state)
{
	fixture *f = *state;
	uint32_t *r = f->regs.r;

	r[1] = 0x1111, r[2] = NO_MEMORY, r[3] = 8;
	assert_int_equal(exec_stops(f, 0x58D1, THUMB_DATA_FAULT), NO_MEMORY + 8); /* ldr r1, [r2, r3] */
	assert_int_equal(exec_stops(f, 0x5ED1, THUMB_DATA_FAULT), NO_MEMORY + 8); /* ldrsh r1, [r2, r3] */
	assert_int_equal(exec_stops(f, 0x6FD1, THUMB_DATA_FAULT), NO_MEMORY + 124); /* ldr r1, [r2, #124] */
	/* The third word faults: r1 and r2 must not keep the first two. */
	r[0] = RAM_END - 8, r[2] = 0x2222;
	poke32(f, RAM_END - 8, 0xAAAA);
	poke32(f, RAM_END - 4, 0xBBBB);
	assert_int_equal(exec_stops(f, 0xC80E, THUMB_DATA_FAULT), RAM_END); /* ldm r0!, {r1, r2, r3} */
	r[13] = RAM_END - 8;
	assert_int_equal(exec_stops(f, 0xBD03, THUMB_DATA_FAULT), RAM_END); /* pop {r0, r1, pc} */
	/* An LDR literal 1020 bytes on from near the top of the RAM runs off its end. */
	r[15] = RAM_END - 0x10;
	assert_int_equal(exec_stops(f, 0x4AFF, THUMB_DATA_FAULT), RAM_END - 0x0C + 1020); /* ldr r2, [pc, #1020] */
}

/* Stores are done in order: a faulting STM or PUSH leaves what it stored, but no register changed. */
static void test_faulting_stores(void **state)
{
	fixture *f = *state;
	uint32_t *r = f->regs.r;
	thumb_regs before;
	uint32_t info = 0;

	r[1] = 0x11, r[2] = NO_MEMORY, r[3] = 0;
	assert_int_equal(exec_stops(f, 0x50D1, THUMB_DATA_FAULT), NO_MEMORY); /* str r1, [r2, r3] */

	r[0] = RAM_END - 8, r[1] = 0x11, r[2] = 0x22, r[3] = 0x33;
	before = f->regs;
	assert_int_equal(run16(f, 0xC00E, &info), THUMB_DATA_FAULT); /* stm r0!, {r1, r2, r3} */
	assert_int_equal(info, RAM_END);
	assert_memory_equal(&f->regs, &before, sizeof(before));
	assert_int_equal(peek32(f, RAM_END - 8), 0x11);
	assert_int_equal(peek32(f, RAM_END - 4), 0x22);

	r[13] = RAM_BASE + 4;
	assert_int_equal(run16(f, 0xB503, &info), THUMB_DATA_FAULT); /* push {r0, r1, lr}: below the RAM */
	assert_int_equal(info, RAM_BASE - 8);
	assert_int_equal(r[13], RAM_BASE + 4);
}

static void test_fetch_faults(void **state)
{
	fixture *f = *state;
	thumb_regs before;
	uint32_t info = 0;

	f->regs.r[15] = NO_MEMORY;
	before = f->regs;
	assert_int_equal(thumb_step(&f->regs, &f->bus, &info), THUMB_FETCH_FAULT);
	assert_int_equal(info, NO_MEMORY);
	assert_memory_equal(&f->regs, &before, sizeof(before));
	/* A PC with bit 0 set: no fetch reaches the bus (it would fail the alignment check above). */
	f->regs.r[15] = CODE + 1;
	assert_int_equal(thumb_step(&f->regs, &f->bus, &info), THUMB_FETCH_FAULT);
	assert_int_equal(info, CODE + 1);
	assert_int_equal(f->regs.r[15], CODE + 1);
	/* A BL whose second halfword is past the end of the RAM. */
	f->regs.r[15] = RAM_END - 2;
	poke16(f, RAM_END - 2, 0xF000);
	assert_int_equal(thumb_step(&f->regs, &f->bus, &info), THUMB_FETCH_FAULT);
	assert_int_equal(info, RAM_END);
	assert_int_equal(f->regs.r[15], RAM_END - 2);
	assert_int_equal(f->regs.r[14], 0);
}

static void test_undefined(void **state)
{
	fixture *f = *state;

	assert_int_equal(exec_stops(f, 0xDE03, THUMB_UNDEFINED), 0xDE03); /* udf #3 */
	assert_int_equal(exec32_stops(f, 0xF7F0, 0xA000, THUMB_UNDEFINED), 0xF7F0A000u); /* udf.w #0 */
	assert_int_equal(exec_stops(f, 0x4511, THUMB_UNDEFINED), 0x4511); /* cmp r1, r2 in the high form */
	assert_int_equal(exec_stops(f, 0x458F, THUMB_UNDEFINED), 0x458F); /* cmp pc, r1 */
	assert_int_equal(exec_stops(f, 0x44FF, THUMB_UNDEFINED), 0x44FF); /* add pc, pc */
	assert_int_equal(exec_stops(f, 0xBA91, THUMB_UNDEFINED), 0xBA91); /* 1011 1010 10: unallocated */
	assert_int_equal(exec_stops(f, 0xB800, THUMB_UNDEFINED), 0xB800); /* 1011 1000: unallocated */
	assert_int_equal(exec_stops(f, 0xB650, THUMB_UNDEFINED), 0xB650); /* setend: not in M profile */
}

/* Valid on the Cortex-M cores, not executed by this model. */
static void test_not_modelled(void **state)
{
	fixture *f = *state;

	assert_int_equal(exec_stops(f, 0xDF05, THUMB_NOT_MODELLED), 0xDF05); /* svc #5 */
	assert_int_equal(exec_stops(f, 0xB672, THUMB_NOT_MODELLED), 0xB672); /* cpsid i */
	assert_int_equal(exec_stops(f, 0xB100, THUMB_NOT_MODELLED), 0xB100); /* cbz r0 (Armv7-M) */
	assert_int_equal(exec_stops(f, 0xB907, THUMB_NOT_MODELLED), 0xB907); /* cbnz r7 */
	assert_int_equal(exec_stops(f, 0xBF08, THUMB_NOT_MODELLED), 0xBF08); /* it eq */
	assert_int_equal(exec_stops(f, 0x4774, THUMB_NOT_MODELLED), 0x4774); /* bxns lr (Armv8-M) */
	assert_int_equal(exec32_stops(f, 0xF3EF, 0x8000, THUMB_NOT_MODELLED), 0xF3EF8000u); /* mrs r0, apsr */
	assert_int_equal(exec32_stops(f, 0xF380, 0x8810, THUMB_NOT_MODELLED), 0xF3808810u); /* msr primask, r0 */
	assert_int_equal(exec32_stops(f, 0xF8D1, 0x0000, THUMB_NOT_MODELLED), 0xF8D10000u); /* ldr.w r0, [r1] */
	assert_int_equal(exec32_stops(f, 0xE9C2, 0x0100, THUMB_NOT_MODELLED), 0xE9C20100u); /* strd r0, r1, [r2] */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_ldr_literal_and_adr, setup),
		cmocka_unit_test_setup(test_load_store_register_offset, setup),
		cmocka_unit_test_setup(test_load_store_immediate, setup),
		cmocka_unit_test_setup(test_unaligned_single_access_not_modelled, setup),
		cmocka_unit_test_setup(test_sp_arithmetic, setup),
		cmocka_unit_test_setup(test_extends_and_reverses, setup),
		cmocka_unit_test_setup(test_push_pop, setup),
		cmocka_unit_test_setup(test_ldm_stm_writeback, setup),
		cmocka_unit_test_setup(test_unaligned_multiple, setup),
		cmocka_unit_test_setup(test_faulting_loads_change_nothing, setup),
		cmocka_unit_test_setup(test_faulting_stores, setup),
		cmocka_unit_test_setup(test_fetch_faults, setup),
		cmocka_unit_test_setup(test_undefined, setup),
		cmocka_unit_test_setup(test_not_modelled, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
