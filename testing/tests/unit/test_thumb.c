/*
 * The Thumb interpreter (thumb.c, thumb_alu.c) on a 4 KiB RAM at 0x20000000
 * where every other address faults.  Each instruction is placed at PC and
 * stepped once; the encodings were hand-assembled and checked against an
 * assembler (llvm-mc -triple thumbv6m), the mnemonic is beside each one.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "thumb.h"

#define RAM_BASE   0x20000000u
#define RAM_SIZE   0x1000u
#define RAM_END    (RAM_BASE + RAM_SIZE)
#define CODE       RAM_BASE              /* instructions under test */
#define DATA       (RAM_BASE + 0x800u)   /* what they load and store */
#define NO_MEMORY  0x40000000u           /* every access outside the RAM faults */
#define APSR_OTHER 0x010000A5u           /* bits outside NZCV the interpreter must keep */

typedef struct fixture {
	uint8_t ram[RAM_SIZE];
	sim_bus bus;
	thumb_regs regs;
	unsigned bus_writes;
} fixture;

static sim_bus_result ram_read(void *ctx, uint32_t addr, unsigned size, uint32_t *value)
{
	fixture *f = ctx;
	uint32_t v = 0;

	/* The interpreter promises the bus natural alignment: hold it to that. */
	assert_true(size == 1 || size == 2 || size == 4);
	assert_int_equal(addr % size, 0);
	if (addr < RAM_BASE || addr >= RAM_END)
		return SIM_BUS_FAULT;
	for (unsigned i = size; i-- > 0;)
		v = v << 8 | f->ram[addr - RAM_BASE + i];
	*value = v;
	return SIM_BUS_OK;
}

static sim_bus_result ram_write(void *ctx, uint32_t addr, unsigned size, uint32_t value)
{
	fixture *f = ctx;

	assert_true(size == 1 || size == 2 || size == 4);
	assert_int_equal(addr % size, 0);
	assert_true(size == 4 || value >> (size * 8) == 0); /* right-aligned, nothing above */
	if (addr < RAM_BASE || addr >= RAM_END)
		return SIM_BUS_FAULT;
	for (unsigned i = 0; i < size; i++)
		f->ram[addr - RAM_BASE + i] = (uint8_t)(value >> (8 * i));
	f->bus_writes++;
	return SIM_BUS_OK;
}

static int setup(void **state)
{
	static fixture f;

	memset(&f, 0, sizeof(f));
	f.bus = (sim_bus){ ram_read, ram_write, &f };
	f.regs.r[13] = RAM_END;
	f.regs.r[15] = CODE;
	f.regs.apsr = APSR_OTHER;
	*state = &f;
	return 0;
}

static void poke16(fixture *f, uint32_t addr, uint16_t v)
{
	f->ram[addr - RAM_BASE] = (uint8_t)v;
	f->ram[addr - RAM_BASE + 1] = (uint8_t)(v >> 8);
}

static void poke32(fixture *f, uint32_t addr, uint32_t v)
{
	poke16(f, addr, (uint16_t)v);
	poke16(f, addr + 2, (uint16_t)(v >> 16));
}

static uint32_t peek32(const fixture *f, uint32_t addr)
{
	const uint8_t *p = &f->ram[addr - RAM_BASE];

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Flags as "nzcv": upper case set, lower case clear. */
static void set_flags(fixture *f, const char *nzcv)
{
	f->regs.apsr = APSR_OTHER;
	for (unsigned i = 0; i < 4; i++)
		if (isupper((unsigned char)nzcv[i]))
			f->regs.apsr |= 1u << (31 - i);
}

static void assert_flags(const fixture *f, const char *nzcv)
{
	char got[5];

	for (unsigned i = 0; i < 4; i++)
		got[i] = (f->regs.apsr >> (31 - i)) & 1u ? (char)toupper((unsigned char)nzcv[i])
							  : (char)tolower((unsigned char)nzcv[i]);
	got[4] = '\0';
	assert_string_equal(got, nzcv);
	assert_int_equal(f->regs.apsr & 0x0FFFFFFFu, APSR_OTHER);
}

static thumb_result run16(fixture *f, uint16_t hw, uint32_t *info)
{
	poke16(f, f->regs.r[15], hw);
	return thumb_step(&f->regs, &f->bus, info);
}

static thumb_result run32(fixture *f, uint16_t hw1, uint16_t hw2, uint32_t *info)
{
	poke16(f, f->regs.r[15], hw1);
	poke16(f, f->regs.r[15] + 2, hw2);
	return thumb_step(&f->regs, &f->bus, info);
}

/* An instruction that retires and falls through. */
static void exec_ok(fixture *f, uint16_t hw)
{
	uint32_t pc = f->regs.r[15], info = 1;

	assert_int_equal(run16(f, hw, &info), THUMB_OK);
	assert_int_equal(f->regs.r[15], pc + 2);
	assert_int_equal(info, 0);
}

/* An instruction that retires and branches to `target`. */
static void exec_branch(fixture *f, uint16_t hw, uint32_t target)
{
	assert_int_equal(run16(f, hw, NULL), THUMB_OK);
	assert_int_equal(f->regs.r[15], target);
}

/* An instruction that does not retire: its result, no register changed, nothing stored; returns *info. */
static uint32_t exec_stops(fixture *f, uint16_t hw, thumb_result expected)
{
	thumb_regs before = f->regs;
	unsigned writes = f->bus_writes;
	uint32_t info = 0xDEADBEEFu;

	assert_string_equal(thumb_result_name(run16(f, hw, &info)), thumb_result_name(expected));
	assert_memory_equal(&f->regs, &before, sizeof(before));
	assert_int_equal(f->bus_writes, writes);
	return info;
}

static uint32_t exec32_stops(fixture *f, uint16_t hw1, uint16_t hw2, thumb_result expected)
{
	thumb_regs before = f->regs;
	uint32_t info = 0xDEADBEEFu;

	assert_string_equal(thumb_result_name(run32(f, hw1, hw2, &info)), thumb_result_name(expected));
	assert_memory_equal(&f->regs, &before, sizeof(before));
	return info;
}

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
		cmocka_unit_test_setup(test_ldr_literal_and_adr, setup),
		cmocka_unit_test_setup(test_load_store_register_offset, setup),
		cmocka_unit_test_setup(test_load_store_immediate, setup),
		cmocka_unit_test_setup(test_unaligned_single_access_not_modelled, setup),
		cmocka_unit_test_setup(test_sp_arithmetic, setup),
		cmocka_unit_test_setup(test_extends_and_reverses, setup),
		cmocka_unit_test_setup(test_push_pop, setup),
		cmocka_unit_test_setup(test_ldm_stm_writeback, setup),
		cmocka_unit_test_setup(test_unaligned_multiple, setup),
		cmocka_unit_test_setup(test_conditional_branches, setup),
		cmocka_unit_test_setup(test_unconditional_branch, setup),
		cmocka_unit_test_setup(test_bl, setup),
		cmocka_unit_test_setup(test_bkpt_stays_on_the_instruction, setup),
		cmocka_unit_test_setup(test_hints_and_barriers, setup),
		cmocka_unit_test_setup(test_faulting_loads_change_nothing, setup),
		cmocka_unit_test_setup(test_faulting_stores, setup),
		cmocka_unit_test_setup(test_fetch_faults, setup),
		cmocka_unit_test_setup(test_undefined, setup),
		cmocka_unit_test_setup(test_not_modelled, setup),
		cmocka_unit_test_setup(test_word_copy_program, setup),
		cmocka_unit_test_setup(test_result_names, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
