/*
 * The fixture the Thumb interpreter's unit tests share (test_thumb.c: data
 * processing and branches; test_thumb_mem.c: loads, stores and faults): a
 * 4 KiB RAM at 0x20000000 where every other address faults, and helpers that
 * place one instruction at PC and step it once.
 */
#ifndef STM32SIM_THUMB_FIXTURE_H
#define STM32SIM_THUMB_FIXTURE_H

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

static inline sim_bus_result ram_read(void *ctx, uint32_t addr, unsigned size, uint32_t *value)
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

static inline sim_bus_result ram_write(void *ctx, uint32_t addr, unsigned size, uint32_t value)
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

static inline int setup(void **state)
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

static inline void poke16(fixture *f, uint32_t addr, uint16_t v)
{
	f->ram[addr - RAM_BASE] = (uint8_t)v;
	f->ram[addr - RAM_BASE + 1] = (uint8_t)(v >> 8);
}

static inline void poke32(fixture *f, uint32_t addr, uint32_t v)
{
	poke16(f, addr, (uint16_t)v);
	poke16(f, addr + 2, (uint16_t)(v >> 16));
}

static inline uint32_t peek32(const fixture *f, uint32_t addr)
{
	const uint8_t *p = &f->ram[addr - RAM_BASE];

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Flags as "nzcv": upper case set, lower case clear. */
static inline void set_flags(fixture *f, const char *nzcv)
{
	f->regs.apsr = APSR_OTHER;
	for (unsigned i = 0; i < 4; i++)
		if (isupper((unsigned char)nzcv[i]))
			f->regs.apsr |= 1u << (31 - i);
}

static inline void assert_flags(const fixture *f, const char *nzcv)
{
	char got[5];

	for (unsigned i = 0; i < 4; i++)
		got[i] = (f->regs.apsr >> (31 - i)) & 1u ? (char)toupper((unsigned char)nzcv[i])
							  : (char)tolower((unsigned char)nzcv[i]);
	got[4] = '\0';
	assert_string_equal(got, nzcv);
	assert_int_equal(f->regs.apsr & 0x0FFFFFFFu, APSR_OTHER);
}

static inline thumb_result run16(fixture *f, uint16_t hw, uint32_t *info)
{
	poke16(f, f->regs.r[15], hw);
	return thumb_step(&f->regs, &f->bus, info);
}

static inline thumb_result run32(fixture *f, uint16_t hw1, uint16_t hw2, uint32_t *info)
{
	poke16(f, f->regs.r[15], hw1);
	poke16(f, f->regs.r[15] + 2, hw2);
	return thumb_step(&f->regs, &f->bus, info);
}

/* An instruction that retires and falls through. */
static inline void exec_ok(fixture *f, uint16_t hw)
{
	uint32_t pc = f->regs.r[15], info = 1;

	assert_int_equal(run16(f, hw, &info), THUMB_OK);
	assert_int_equal(f->regs.r[15], pc + 2);
	assert_int_equal(info, 0);
}

/* An instruction that retires and branches to `target`. */
static inline void exec_branch(fixture *f, uint16_t hw, uint32_t target)
{
	assert_int_equal(run16(f, hw, NULL), THUMB_OK);
	assert_int_equal(f->regs.r[15], target);
}

/* An instruction that does not retire: its result, no register changed, nothing stored; returns *info. */
static inline uint32_t exec_stops(fixture *f, uint16_t hw, thumb_result expected)
{
	thumb_regs before = f->regs;
	unsigned writes = f->bus_writes;
	uint32_t info = 0xDEADBEEFu;

	assert_string_equal(thumb_result_name(run16(f, hw, &info)), thumb_result_name(expected));
	assert_memory_equal(&f->regs, &before, sizeof(before));
	assert_int_equal(f->bus_writes, writes);
	return info;
}

static inline uint32_t exec32_stops(fixture *f, uint16_t hw1, uint16_t hw2, thumb_result expected)
{
	thumb_regs before = f->regs;
	uint32_t info = 0xDEADBEEFu;

	assert_string_equal(thumb_result_name(run32(f, hw1, hw2, &info)), thumb_result_name(expected));
	assert_memory_equal(&f->regs, &before, sizeof(before));
	return info;
}

#endif
