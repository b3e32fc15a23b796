/*
 * The Thumb interpreter (thumb.c, thumb_alu.c): data processing, branches and
 * a whole program.  Each instruction is placed at PC and stepped once; the
 * encodings were hand-assembled and checked against an assembler (llvm-mc
 * -triple thumbv6m), the mnemonic is beside each one.  Loads, stores and
 * faults are in test_thumb_mem.c; the fixture in thumb_fixture.h.
 */
#include "thumb_fixture.h"

/* A5.2.1: shifts by immediate, three-register and imm3 add/sub, MOVS/CMP/ADDS/SUBS #imm8. */
static void test_shift_add_sub_mov_cmp_immediates(void **state)
{
	fixture *f = *state;
	uint32_t *r = f->regs.r;

	r[2] = 0x18000001u;
	exec_ok(f, 0x0111); /* lsls r1, r2, #4: bit 28 is the last one out */
	assert_int_equal(r[1], 0x80000010u);
	assert_flags(f, "NzCv");
	set_flags(f, "nzCv");
	exec_ok(f, 0x0011); /* lsls r1, r2, #0 (movs r1, r2): C unchanged */
	assert_int_equal(r[1], 0x18000001u);
	assert_flags(f, "nzCv");
	set_flags(f, "nzcV");
	exec_ok(f, 0x0011);
	assert_flags(f, "nzcV");
	exec_ok(f, 0x0851); /* lsrs r1, r2, #1 */
	assert_int_equal(r[1], 0x0C000000u);
	assert_flags(f, "nzCV");
	r[2] = 0x80000000u;
	exec_ok(f, 0x0811); /* lsrs r1, r2, #32 */
	assert_int_equal(r[1], 0);
	assert_flags(f, "nZCV");
	exec_ok(f, 0x1011); /* asrs r1, r2, #32 */
	assert_int_equal(r[1], 0xFFFFFFFFu);
	assert_flags(f, "NzCV");
	r[2] = 0x80000010u;
	exec_ok(f, 0x1111); /* asrs r1, r2, #4 */
	assert_int_equal(r[1], 0xF8000001u);
	assert_flags(f, "NzcV");

	r[2] = 40, r[3] = 2;
	exec_ok(f, 0x18D1); /* adds r1, r2, r3 */
	assert_int_equal(r[1], 42);
	assert_flags(f, "nzcv");
	exec_ok(f, 0x1AD1); /* subs r1, r2, r3 */
	assert_int_equal(r[1], 38);
	assert_flags(f, "nzCv");
	exec_ok(f, 0x1DD1); /* adds r1, r2, #7 */
	assert_int_equal(r[1], 47);
	r[2] = 0;
	exec_ok(f, 0x1E51); /* subs r1, r2, #1 */
	assert_int_equal(r[1], 0xFFFFFFFFu);
	assert_flags(f, "Nzcv");

	set_flags(f, "nzCV");
	exec_ok(f, 0x23C8); /* movs r3, #200: C and V unchanged */
	assert_int_equal(r[3], 200);
	assert_flags(f, "nzCV");
	exec_ok(f, 0x2BC8); /* cmp r3, #200 */
	assert_int_equal(r[3], 200);
	assert_flags(f, "nZCv");
	exec_ok(f, 0x33FF); /* adds r3, #255 */
	assert_int_equal(r[3], 455);
	assert_flags(f, "nzcv");
	exec_ok(f, 0x3B01); /* subs r3, #1 */
	assert_int_equal(r[3], 454);
	assert_flags(f, "nzCv");
}

/* AddWithCarry's corners through the instructions that use it. */
static void test_add_with_carry_corners(void **state)
{
	fixture *f = *state;
	uint32_t *r = f->regs.r;
	bool carry, overflow;

	r[2] = 0x7FFFFFFFu, r[3] = 1;
	exec_ok(f, 0x18D1); /* adds r1, r2, r3 */
	assert_int_equal(r[1], 0x80000000u);
	assert_flags(f, "NzcV");
	r[2] = 0xFFFFFFFFu;
	exec_ok(f, 0x18D1);
	assert_int_equal(r[1], 0);
	assert_flags(f, "nZCv");
	r[2] = r[3] = 0x80000000u;
	exec_ok(f, 0x18D1);
	assert_int_equal(r[1], 0);
	assert_flags(f, "nZCV");
	r[2] = 0x80000000u, r[3] = 1;
	exec_ok(f, 0x1AD1); /* subs r1, r2, r3: most negative - 1 */
	assert_int_equal(r[1], 0x7FFFFFFFu);
	assert_flags(f, "nzCV");

	/* SBC: C clear is a borrow. */
	r[1] = 5, r[2] = 3;
	set_flags(f, "nzcv");
	exec_ok(f, 0x4191); /* sbcs r1, r2 */
	assert_int_equal(r[1], 1);
	assert_flags(f, "nzCv");
	r[1] = 5;
	exec_ok(f, 0x4191);
	assert_int_equal(r[1], 2);
	r[1] = 0, r[2] = 0;
	set_flags(f, "nzcv");
	exec_ok(f, 0x4191);
	assert_int_equal(r[1], 0xFFFFFFFFu);
	assert_flags(f, "Nzcv");
	r[1] = 0xFFFFFFFFu, r[2] = 0;
	set_flags(f, "nzCv");
	exec_ok(f, 0x4151); /* adcs r1, r2 */
	assert_int_equal(r[1], 0);
	assert_flags(f, "nZCv");
	r[1] = 0x7FFFFFFFu;
	exec_ok(f, 0x4151);
	assert_int_equal(r[1], 0x80000000u);
	assert_flags(f, "NzcV");

	r[1] = r[2] = 0x1234u;
	exec_ok(f, 0x4291); /* cmp r1, r2: equal */
	assert_flags(f, "nZCv");
	r[2] = 0x1235u;
	exec_ok(f, 0x4291); /* lower: borrow */
	assert_flags(f, "Nzcv");
	r[1] = 1, r[2] = 0xFFFFFFFFu;
	exec_ok(f, 0x42D1); /* cmn r1, r2 */
	assert_flags(f, "nZCv");
	assert_int_equal(r[1], 1);

	assert_int_equal(thumb_add_with_carry(0xFFFFFFFFu, 0, true, &carry, &overflow), 0);
	assert_true(carry);
	assert_false(overflow);
	assert_int_equal(thumb_add_with_carry(0x7FFFFFFFu, 0, true, &carry, &overflow), 0x80000000u);
	assert_false(carry);
	assert_true(overflow);
}

static void test_logical_and_multiply(void **state)
{
	fixture *f = *state;
	uint32_t *r = f->regs.r;
	static const struct {
		uint16_t hw;
		const char *name;
		uint32_t result;
		const char *flags;
	} ops[] = {
		{ 0x4011, "ands r1, r2", 0xF000F000u, "NzCV" },
		{ 0x4051, "eors r1, r2", 0x0FF00FF0u, "nzCV" },
		{ 0x4311, "orrs r1, r2", 0xFFF0FFF0u, "NzCV" },
		{ 0x4391, "bics r1, r2", 0x00F000F0u, "nzCV" },
		{ 0x43D1, "mvns r1, r2", 0x00FF00FFu, "nzCV" },
		{ 0x4351, "muls r1, r2, r1", 0x0FFF1000u, "nzCV" },
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		r[1] = 0xF0F0F0F0u, r[2] = 0xFF00FF00u;
		set_flags(f, "nzCV"); /* none of these may touch C or V */
		exec_ok(f, ops[i].hw);
		assert_int_equal(r[1], ops[i].result);
		assert_flags(f, ops[i].flags);
	}
	r[1] = (uint32_t)-3, r[2] = 7;
	exec_ok(f, 0x4351); /* muls r1, r2, r1 */
	assert_int_equal(r[1], (uint32_t)-21);
	assert_flags(f, "NzCV");
	r[1] = 0x0Fu, r[2] = 0xF0u;
	exec_ok(f, 0x4211); /* tst r1, r2 */
	assert_int_equal(r[1], 0x0Fu);
	assert_flags(f, "nZCV");
	r[2] = 0;
	exec_ok(f, 0x4251); /* rsbs r1, r2, #0 */
	assert_int_equal(r[1], 0);
	assert_flags(f, "nZCv");
	r[2] = 1;
	exec_ok(f, 0x4251);
	assert_int_equal(r[1], 0xFFFFFFFFu);
	assert_flags(f, "Nzcv");
	r[2] = 0x80000000u;
	exec_ok(f, 0x4251);
	assert_int_equal(r[1], 0x80000000u);
	assert_flags(f, "NzcV");
}

/* Register-specified shifts: the amount is Rm[7:0]; 0 keeps C, 32 and beyond follow Shift_C. */
static void test_register_shifts(void **state)
{
	fixture *f = *state;
	static const struct {
		uint16_t hw;
		uint32_t value, amount;
		bool carry_in;
		uint32_t result;
		bool carry_out;
	} rows[] = {
		{ 0x4091, 0x80000001u, 0, true, 0x80000001u, true },     /* lsls r1, r2 */
		{ 0x4091, 0x80000001u, 0, false, 0x80000001u, false },
		{ 0x4091, 0x80000001u, 0x100, true, 0x80000001u, true }, /* only Rm[7:0] counts */
		{ 0x4091, 0x80000001u, 1, false, 0x00000002u, true },
		{ 0x4091, 0x00000001u, 32, false, 0, true },
		{ 0x4091, 0xFFFFFFFFu, 33, true, 0, false },
		{ 0x40D1, 0x80000001u, 0, true, 0x80000001u, true },     /* lsrs r1, r2 */
		{ 0x40D1, 0x80000001u, 1, false, 0x40000000u, true },
		{ 0x40D1, 0x80000000u, 32, false, 0, true },
		{ 0x40D1, 0xFFFFFFFFu, 33, true, 0, false },
		{ 0x4111, 0x80000001u, 0, false, 0x80000001u, false },   /* asrs r1, r2 */
		{ 0x4111, 0x80000001u, 1, false, 0xC0000000u, true },
		{ 0x4111, 0x80000000u, 32, false, 0xFFFFFFFFu, true },
		{ 0x4111, 0x7FFFFFFFu, 33, true, 0, false },
		{ 0x4111, 0x80000000u, 200, false, 0xFFFFFFFFu, true },
		{ 0x41D1, 0x80000001u, 0, false, 0x80000001u, false },   /* rors r1, r2 */
		{ 0x41D1, 0x0000000Fu, 4, false, 0xF0000000u, true },
		{ 0x41D1, 0x80000001u, 32, false, 0x80000001u, true },
		{ 0x41D1, 0x80000001u, 33, false, 0xC0000000u, true },
		{ 0x41D1, 0x00000002u, 33, true, 0x00000001u, false },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		f->regs.r[1] = rows[i].value;
		f->regs.r[2] = rows[i].amount;
		set_flags(f, rows[i].carry_in ? "nzCV" : "nzcV");
		exec_ok(f, rows[i].hw);
		assert_int_equal(f->regs.r[1], rows[i].result);
		assert_int_equal(!!(f->regs.apsr & THUMB_APSR_C), rows[i].carry_out);
		assert_int_equal(!!(f->regs.apsr & THUMB_APSR_N), rows[i].result >> 31);
		assert_int_equal(!!(f->regs.apsr & THUMB_APSR_Z), rows[i].result == 0);
		assert_true(f->regs.apsr & THUMB_APSR_V);
		assert_int_equal(f->regs.r[2], rows[i].amount);
	}
}

/* A5.2.3: ADD, CMP and MOV with high registers, the PC and SP among them. */
static void test_high_registers(void **state)
{
	fixture *f = *state;
	uint32_t *r = f->regs.r;

	set_flags(f, "NZCV"); /* ADD and MOV here never set flags */
	r[1] = 1, r[8] = 0x10000000u;
	exec_ok(f, 0x4441); /* add r1, r8 */
	assert_int_equal(r[1], 0x10000001u);
	exec_ok(f, 0x4488); /* add r8, r1 */
	assert_int_equal(r[8], 0x20000001u);
	r[2] = 5;
	r[15] = CODE + 2;
	exec_ok(f, 0x447A); /* add r2, pc: PC + 4, not word-aligned here */
	assert_int_equal(r[2], CODE + 6 + 5);
	r[1] = (uint32_t)-8;
	exec_ok(f, 0x448D); /* add sp, r1 */
	assert_int_equal(r[13], RAM_END - 8);
	r[1] = (uint32_t)-6;
	exec_ok(f, 0x448D); /* SP bits [1:0] stay zero */
	assert_int_equal(r[13], RAM_END - 16);
	r[1] = 4;
	exec_ok(f, 0x4469); /* add r1, sp, r1 */
	assert_int_equal(r[1], RAM_END - 12);
	r[1] = 7;
	exec_ok(f, 0x4688); /* mov r8, r1 */
	assert_int_equal(r[8], 7);
	r[15] = CODE + 0x10;
	exec_ok(f, 0x4679); /* mov r1, pc */
	assert_int_equal(r[1], CODE + 0x14);
	r[2] = RAM_END - 0x20;
	exec_ok(f, 0x4695); /* mov sp, r2 */
	assert_int_equal(r[13], RAM_END - 0x20);
	assert_flags(f, "NZCV");

	/* Writing the PC branches, bit 0 ignored, no interworking. */
	r[15] = CODE;
	r[1] = 0x101;
	exec_branch(f, 0x448F, CODE + 0x104); /* add pc, r1 */
	r[2] = CODE + 0x41;
	exec_branch(f, 0x4697, CODE + 0x40); /* mov pc, r2 */
	assert_flags(f, "NZCV");

	r[8] = 5, r[1] = 5;
	exec_ok(f, 0x4588); /* cmp r8, r1 */
	assert_flags(f, "nZCv");
	r[8] = 0;
	exec_ok(f, 0x4588);
	assert_flags(f, "Nzcv");
	exec_ok(f, 0x4541); /* cmp r1, r8 */
	assert_flags(f, "nzCv");
}

static void test_bx_blx(void **state)
{
	fixture *f = *state;
	uint32_t *r = f->regs.r;

	r[1] = CODE + 0x101;
	exec_branch(f, 0x4708, CODE + 0x100); /* bx r1 */
	r[15] = CODE + 0x10;
	r[2] = CODE + 0x201;
	exec_branch(f, 0x4790, CODE + 0x200); /* blx r2 */
	assert_int_equal(r[14], CODE + 0x13);
	r[15] = CODE + 0x20;
	r[14] = CODE + 0x301;
	exec_branch(f, 0x47F0, CODE + 0x300); /* blx lr: the old LR is the target */
	assert_int_equal(r[14], CODE + 0x23);

	r[15] = CODE;
	r[1] = CODE + 0x100;
	assert_int_equal(exec_stops(f, 0x4708, THUMB_INVSTATE), CODE + 0x100); /* bx r1, bit 0 clear */
	r[2] = CODE + 0x200;
	assert_int_equal(exec_stops(f, 0x4790, THUMB_INVSTATE), CODE + 0x200); /* blx r2: LR unchanged */
	assert_int_equal(exec_stops(f, 0x4778, THUMB_INVSTATE), CODE + 4);     /* bx pc */
	r[14] = 0xFFFFFFF9u;
	assert_int_equal(exec_stops(f, 0x4770, THUMB_NOT_MODELLED), 0xFFFFFFF9u); /* bx lr: exception return */
	assert_int_equal(exec_stops(f, 0x47F8, THUMB_UNDEFINED), 0x47F8);     /* blx pc */
	assert_int_equal(exec_stops(f, 0x4709, THUMB_UNDEFINED), 0x4709);     /* bx r1 with hw[2:0] != 0 */
}

/* B<cond> for the 14 conditions, taken and not taken. */
static void test_conditional_branches(void **state)
{
	fixture *f = *state;
	static const struct {
		unsigned cond;
		const char *flags;
		bool taken;
	} rows[] = {
		{ 0x0, "nZcv", true }, { 0x0, "nzcv", false },                            /* EQ */
		{ 0x1, "nzcv", true }, { 0x1, "nZcv", false },                            /* NE */
		{ 0x2, "nzCv", true }, { 0x2, "nzcv", false },                            /* CS */
		{ 0x3, "nzcv", true }, { 0x3, "nzCv", false },                            /* CC */
		{ 0x4, "Nzcv", true }, { 0x4, "nzcv", false },                            /* MI */
		{ 0x5, "nzcv", true }, { 0x5, "Nzcv", false },                            /* PL */
		{ 0x6, "nzcV", true }, { 0x6, "nzcv", false },                            /* VS */
		{ 0x7, "nzcv", true }, { 0x7, "nzcV", false },                            /* VC */
		{ 0x8, "nzCv", true }, { 0x8, "nZCv", false }, { 0x8, "nzcv", false },    /* HI */
		{ 0x9, "nzcv", true }, { 0x9, "nZCv", true }, { 0x9, "nzCv", false },     /* LS */
		{ 0xA, "NzcV", true }, { 0xA, "nzcv", true }, { 0xA, "Nzcv", false },     /* GE */
		{ 0xB, "nzcV", true }, { 0xB, "Nzcv", true }, { 0xB, "NzcV", false },     /* LT */
		{ 0xC, "nzcv", true }, { 0xC, "nZcv", false }, { 0xC, "Nzcv", false },    /* GT */
		{ 0xD, "nZcv", true }, { 0xD, "nzcV", true }, { 0xD, "NzcV", false },     /* LE */
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		set_flags(f, rows[i].flags);
		f->regs.r[15] = CODE + 0x100;
		/* b<cond> with imm8 0x10: PC + 4 + 0x20 */
		exec_branch(f, (uint16_t)(0xD010 | rows[i].cond << 8), rows[i].taken ? CODE + 0x124 : CODE + 0x102);
		assert_flags(f, rows[i].flags);
	}
	set_flags(f, "nZcv");
	f->regs.r[15] = CODE + 0x08;
	exec_branch(f, 0xD0FA, CODE); /* 0x08: beq 0x00 */
	set_flags(f, "nzcv");
	f->regs.r[15] = CODE + 0x0A;
	exec_branch(f, 0xD121, CODE + 0x50); /* 0x0a: bne 0x50 */
	/* The ends of the 9-bit range: -256 and +254. */
	f->regs.r[15] = CODE + 0x7F8;
	exec_branch(f, 0xD180, CODE + 0x6FC); /* 0x7f8: bne 0x6fc */
	set_flags(f, "nzCv");
	f->regs.r[15] = CODE + 0x7FA;
	exec_branch(f, 0xD27F, CODE + 0x8FC); /* 0x7fa: bcs 0x8fc */
}

static void test_unconditional_branch(void **state)
{
	fixture *f = *state;

	f->regs.r[15] = CODE + 0x0C;
	exec_branch(f, 0xE7F8, CODE); /* 0x0c: b 0x00 */
	f->regs.r[15] = CODE + 0x0E;
	exec_branch(f, 0xE01F, CODE + 0x50); /* 0x0e: b 0x50 */
	exec_branch(f, 0xE7FE, CODE + 0x50); /* b . */
	/* The ends of the 12-bit range: -2048 and +2046. */
	f->regs.r[15] = CODE + 0x7FC;
	exec_branch(f, 0xE400, CODE); /* 0x7fc: b 0x000 */
	f->regs.r[15] = CODE + 0x7FE;
	exec_branch(f, 0xE3FF, CODE + 0x1000); /* 0x7fe: b 0x1000 */
}

static void test_bl(void **state)
{
	fixture *f = *state;
	uint32_t *r = f->regs.r;

	assert_int_equal(run32(f, 0xF001, 0xF93F, NULL), THUMB_OK); /* 0x00: bl 0x1282 */
	assert_int_equal(r[15], CODE + 0x1282);
	assert_int_equal(r[14], CODE + 0x05);
	r[15] = CODE + 4;
	assert_int_equal(run32(f, 0xF7FF, 0xFFFC, NULL), THUMB_OK); /* 0x04: bl 0x00 */
	assert_int_equal(r[15], CODE);
	assert_int_equal(r[14], CODE + 0x09);
	/* Offsets beyond 4 MiB, where I1/I2 differ from S: 0x500000 (bl 0x0) and 0x500004 (bl 0xa00008). */
	r[15] = CODE + 0x10;
	assert_int_equal(run32(f, 0xF6FF, 0xF7FE, NULL), THUMB_OK);
	assert_int_equal(r[15], CODE + 0x10 - 0x500000u);
	assert_int_equal(r[14], CODE + 0x15);
	r[15] = CODE + 0x20;
	assert_int_equal(run32(f, 0xF100, 0xF000, NULL), THUMB_OK);
	assert_int_equal(r[15], CODE + 0x24 + 0x500000u);
	assert_int_equal(r[14], CODE + 0x25);
}

static void test_bkpt_stays_on_the_instruction(void **state)
{
	fixture *f = *state;

	assert_int_equal(exec_stops(f, 0xBEAB, THUMB_BKPT), 0xAB); /* bkpt #0xab */
	assert_int_equal(f->regs.r[15], CODE);
	assert_int_equal(exec_stops(f, 0xBEAB, THUMB_BKPT), 0xAB); /* and again: it never retires */
}

static void test_hints_and_barriers(void **state)
{
	fixture *f = *state;
	uint32_t info = 1;

	exec_ok(f, 0xBF00); /* nop */
	exec_ok(f, 0xBF10); /* yield */
	exec_ok(f, 0xBF40); /* sev */
	exec_ok(f, 0xBF50); /* an unallocated hint: a NOP */
	assert_int_equal(run16(f, 0xBF30, &info), THUMB_WFI); /* wfi: retired */
	assert_int_equal(f->regs.r[15], CODE + 10);
	assert_int_equal(run16(f, 0xBF20, &info), THUMB_WFI); /* wfe */
	assert_int_equal(f->regs.r[15], CODE + 12);
	assert_int_equal(run32(f, 0xF3BF, 0x8F4F, &info), THUMB_OK); /* dsb sy */
	assert_int_equal(run32(f, 0xF3BF, 0x8F5F, &info), THUMB_OK); /* dmb sy */
	assert_int_equal(run32(f, 0xF3BF, 0x8F6F, &info), THUMB_OK); /* isb sy */
	assert_int_equal(f->regs.r[15], CODE + 24);
}

/*
 * A subroutine that copies r2 words from [r0] to [r1], called with BL, run
 * to its BKPT: 4 instructions before the call, PUSH, 5 x 4 in the loop, POP.
 */
static void test_word_copy_program(void **state)
{
	fixture *f = *state;
	static const uint16_t program[] = {
		0x4805,         /* 0x00: ldr r0, [pc, #20]  ; r0 = source (literal at 0x18) */
		0x4906,         /* 0x02: ldr r1, [pc, #24]  ; r1 = destination (literal at 0x1c) */
		0x2205,         /* 0x04: movs r2, #5        ; words to copy */
		0xF000, 0xF801, /* 0x06: bl copy            ; 0x0c */
		0xBE42,         /* 0x0a: bkpt #0x42 */
		0xB510,         /* 0x0c: copy: push {r4, lr} */
		0xC810,         /* 0x0e: loop: ldm r0!, {r4} */
		0xC110,         /* 0x10: stm r1!, {r4} */
		0x3A01,         /* 0x12: subs r2, #1 */
		0xD1FB,         /* 0x14: bne loop       ; 0x0e */
		0xBD10,         /* 0x16: pop {r4, pc} */
		0x0800, 0x2000, /* 0x18: .word 0x20000800 */
		0x0900, 0x2000, /* 0x1c: .word 0x20000900 */
	};
	unsigned steps = 0;
	uint32_t info = 0;
	thumb_result res;

	for (size_t i = 0; i < sizeof(program) / sizeof(program[0]); i++)
		poke16(f, CODE + 2 * i, program[i]);
	for (uint32_t i = 0; i < 6; i++)
		poke32(f, DATA + 4 * i, 0xC0DE0000u + i);
	f->regs.r[4] = 0x44444444u;

	while ((res = thumb_step(&f->regs, &f->bus, &info)) == THUMB_OK && steps < 1000)
		steps++;
	assert_int_equal(res, THUMB_BKPT);
	assert_int_equal(info, 0x42);
	assert_int_equal(steps, 26);
	assert_int_equal(f->regs.r[15], CODE + 0x0A);
	for (uint32_t i = 0; i < 5; i++)
		assert_int_equal(peek32(f, DATA + 0x100 + 4 * i), 0xC0DE0000u + i);
	assert_int_equal(peek32(f, DATA + 0x114), 0); /* the sixth word was not copied */
	assert_int_equal(f->regs.r[0], DATA + 20);
	assert_int_equal(f->regs.r[1], DATA + 0x114);
	assert_int_equal(f->regs.r[2], 0);
	assert_int_equal(f->regs.r[4], 0x44444444u); /* restored by the POP */
	assert_int_equal(f->regs.r[13], RAM_END);
	assert_int_equal(f->regs.r[14], CODE + 0x0B);
	assert_flags(f, "nZCv");
}

static void test_result_names(void **state)
{
	(void)state;
	assert_string_equal(thumb_result_name(THUMB_OK), "ok");
	assert_string_equal(thumb_result_name(THUMB_DATA_FAULT), "data-fault");
	assert_string_equal(thumb_result_name(THUMB_NOT_MODELLED), "not-modelled");
	assert_string_equal(thumb_result_name((thumb_result)99), "?");
	for (int a = THUMB_OK; a <= THUMB_NOT_MODELLED; a++)
		for (int b = a + 1; b <= THUMB_NOT_MODELLED; b++)
			assert_string_not_equal(thumb_result_name((thumb_result)a), thumb_result_name((thumb_result)b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_shift_add_sub_mov_cmp_immediates, setup),
		cmocka_unit_test_setup(test_add_with_carry_corners, setup),
		cmocka_unit_test_setup(test_logical_and_multiply, setup),
		cmocka_unit_test_setup(test_register_shifts, setup),
		cmocka_unit_test_setup(test_high_registers, setup),
		cmocka_unit_test_setup(test_bx_blx, setup),
		cmocka_unit_test_setup(test_conditional_branches, setup),
		cmocka_unit_test_setup(test_unconditional_branch, setup),
		cmocka_unit_test_setup(test_bl, setup),
		cmocka_unit_test_setup(test_bkpt_stays_on_the_instruction, setup),
		cmocka_unit_test_setup(test_hints_and_barriers, setup),
		cmocka_unit_test_setup(test_word_copy_program, setup),
		cmocka_unit_test_setup(test_result_names, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
