/*
 * Unit tests for testing/sim/jtag_tap.c: TAP state machine and the chain.
 * The helpers clock exactly like OpenOCD's bitbang driver: TCK low with the
 * new TMS/TDI, sample TDO, TCK high.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "jtag_tap.h"

/* A 35-bit owner register behind instruction 0xA, like a DPACC. */
#define OWNER_IR 0xAu
#define OWNER_LEN 35u

static struct {
	uint64_t capture_value;
	uint64_t updated_value;
	unsigned updates;
	uint32_t updated_ir;
} owner;

static unsigned owner_dr_length(void *ctx, uint32_t ir)
{
	return ir == OWNER_IR ? OWNER_LEN : 0;
}

static uint64_t owner_capture(void *ctx, uint32_t ir)
{
	return owner.capture_value;
}

static void owner_update(void *ctx, uint32_t ir, uint64_t value)
{
	owner.updated_value = value;
	owner.updated_ir = ir;
	owner.updates++;
}

static bool clk(jtag_chain *c, bool tms, bool tdi)
{
	jtag_chain_clock(c, false, tms, tdi);
	bool tdo = jtag_chain_tdo(c);

	jtag_chain_clock(c, true, tms, tdi);
	return tdo;
}

static void tms_path(jtag_chain *c, const char *bits)
{
	for (const char *p = bits; *p; p++)
		clk(c, *p == '1', false);
}

/* Shift n bits (LSB first) ending with TMS=1 on the last one (to Exit1). */
static uint64_t shift(jtag_chain *c, uint64_t out, unsigned n)
{
	uint64_t in = 0;

	for (unsigned i = 0; i < n; i++)
		in |= (uint64_t)clk(c, i == n - 1, (out >> i) & 1u) << i;
	return in;
}

/* From Run-Test/Idle: IR scan of n bits, back to Run-Test/Idle. */
static uint64_t ir_scan(jtag_chain *c, uint64_t out, unsigned n)
{
	tms_path(c, "1100");
	uint64_t in = shift(c, out, n);

	tms_path(c, "10");
	return in;
}

static uint64_t dr_scan(jtag_chain *c, uint64_t out, unsigned n)
{
	tms_path(c, "100");
	uint64_t in = shift(c, out, n);

	tms_path(c, "10");
	return in;
}

/* Chain as on an STM32H7: Cortex DP TAP (irlen 4) nearest TDO, then boundary scan (irlen 5). */
static void make_chain(jtag_chain *c)
{
	jtag_tap_desc cpu = {
		.name = "cpu", .irlen = 4, .idcode = 0x6BA00477, .ir_capture = 0x1, .ir_idcode = 0xE,
		.dr_length = owner_dr_length, .capture_dr = owner_capture, .update_dr = owner_update,
	};
	jtag_tap_desc bs = { .name = "bs", .irlen = 5, .idcode = 0x06450041, .ir_capture = 0x1, .ir_idcode = 0x1 };

	memset(&owner, 0, sizeof(owner));
	jtag_chain_init(c);
	assert_int_equal(jtag_chain_add(c, &cpu), 0);
	assert_int_equal(jtag_chain_add(c, &bs), 1);
	tms_path(c, "111110"); /* Test-Logic-Reset, then Run-Test/Idle */
	assert_int_equal(c->state, TAP_IDLE);
}

static void test_idcodes_of_two_tap_chain_after_reset(void **state)
{
	jtag_chain c;

	make_chain(&c);
	/* After reset both IRs select IDCODE: first the TAP nearest TDO. */
	uint64_t in = dr_scan(&c, ~(uint64_t)0, 64);

	assert_int_equal((uint32_t)in, 0x6BA00477);
	assert_int_equal((uint32_t)(in >> 32), 0x06450041);
	/* Past both IDCODEs the ones shifted in at TDI come out (OpenOCD's end marker). */
	tms_path(&c, "100");
	uint32_t word[3] = { 0 };

	for (unsigned i = 0; i < 96; i++)
		word[i / 32] |= (uint32_t)clk(&c, i == 95, true) << (i % 32);
	tms_path(&c, "10");
	assert_int_equal(word[0], 0x6BA00477);
	assert_int_equal(word[1], 0x06450041);
	assert_int_equal(word[2], 0xFFFFFFFF);
}

static void test_ir_capture_of_each_tap(void **state)
{
	jtag_chain c;

	make_chain(&c);
	/* 9 IR bits: cpu's 4 (0b0001) come out first, then bs's 5 (0b00001). */
	uint64_t in = ir_scan(&c, 0x1FF, 9);

	assert_int_equal(in, 0x1u | (0x1u << 4));
	assert_int_equal(c.taps[0].ir, 0xF);
	assert_int_equal(c.taps[1].ir, 0x1F);
}

static void test_dr_through_bypass_of_other_tap(void **state)
{
	jtag_chain c;

	make_chain(&c);
	/* The TAP nearest TDO takes the bits shifted first: cpu OWNER_IR, bs BYPASS. */
	ir_scan(&c, (uint64_t)OWNER_IR | (0x1Fu << 4), 9);
	assert_int_equal(c.taps[0].ir, OWNER_IR);
	assert_int_equal(c.taps[1].ir, 0x1F);

	owner.capture_value = 0x5A5A5A5A2ull;
	uint64_t out = 0x123456789ull; /* 35 bits for cpu, shifted first ... */
	/* ... then one bit that stays in bs's BYPASS register. */
	uint64_t in = dr_scan(&c, out | (1ull << 35), 36);

	/* TDO: cpu's 35 captured bits, then bs's BYPASS which captured 0. */
	assert_int_equal(in & ((1ull << 35) - 1), 0x5A5A5A5A2ull & ((1ull << 35) - 1));
	assert_int_equal(in >> 35, 0);
	assert_int_equal(owner.updates, 1);
	assert_int_equal(owner.updated_ir, OWNER_IR);
	assert_int_equal(owner.updated_value, out);
}

static void test_bypass_delays_by_one_bit_each(void **state)
{
	jtag_chain c;

	make_chain(&c);
	ir_scan(&c, 0x1FF, 9);
	uint64_t in = dr_scan(&c, 0x2D, 8);

	/* Two BYPASS registers capture 0 and delay TDI by two clocks. */
	assert_int_equal(in, (0x2Du << 2) & 0xFF);
	assert_int_equal(owner.updates, 0);
}

static void test_five_tms_ones_reset_from_every_state(void **state)
{
	jtag_chain c;

	for (int s = TAP_RESET; s <= TAP_IRUPDATE; s++) {
		make_chain(&c);
		ir_scan(&c, 0x1FF, 9); /* move IRs away from IDCODE */
		c.state = (jtag_state)s;
		tms_path(&c, "11111");
		assert_int_equal(c.state, TAP_RESET);
		assert_int_equal(c.taps[0].ir, 0xE);
		assert_int_equal(c.taps[1].ir, 0x1);
	}
}

static void test_state_transitions(void **state)
{
	jtag_chain c;

	make_chain(&c);
	static const struct {
		bool tms;
		jtag_state expect;
	} path[] = {
		{ 1, TAP_DRSELECT }, { 0, TAP_DRCAPTURE }, { 0, TAP_DRSHIFT }, { 0, TAP_DRSHIFT },
		{ 1, TAP_DREXIT1 }, { 0, TAP_DRPAUSE }, { 0, TAP_DRPAUSE }, { 1, TAP_DREXIT2 },
		{ 0, TAP_DRSHIFT }, { 1, TAP_DREXIT1 }, { 1, TAP_DRUPDATE }, { 1, TAP_DRSELECT },
		{ 1, TAP_IRSELECT }, { 0, TAP_IRCAPTURE }, { 1, TAP_IREXIT1 }, { 0, TAP_IRPAUSE },
		{ 1, TAP_IREXIT2 }, { 1, TAP_IRUPDATE }, { 0, TAP_IDLE }, { 1, TAP_DRSELECT },
		{ 1, TAP_IRSELECT }, { 1, TAP_RESET }, { 1, TAP_RESET }, { 0, TAP_IDLE },
	};

	for (size_t i = 0; i < sizeof(path) / sizeof(path[0]); i++) {
		clk(&c, path[i].tms, false);
		assert_string_equal(jtag_state_name(c.state), jtag_state_name(path[i].expect));
	}
}

static void test_counters(void **state)
{
	jtag_chain c;

	make_chain(&c);
	uint64_t base = c.tck_cycles;

	assert_int_equal(base, 6);
	ir_scan(&c, 0x1FF, 9);      /* 4 + 9 + 2 clocks */
	dr_scan(&c, 0, 2);          /* 3 + 2 + 2 clocks */
	dr_scan(&c, 0, 2);
	assert_int_equal(c.tck_cycles - base, 15 + 7 + 7);
	assert_int_equal(c.ir_scans, 1);
	assert_int_equal(c.dr_scans, 2);
	/* Level changes without a rising edge do not count. */
	jtag_chain_clock(&c, true, false, false);
	jtag_chain_clock(&c, true, true, true);
	assert_int_equal(c.tck_cycles - base, 29);
}

static void test_pause_and_resume_shift(void **state)
{
	jtag_chain c;

	make_chain(&c);
	/* IDCODE read in two halves with a Pause-DR in between. */
	tms_path(&c, "100");
	uint64_t lo = shift(&c, 0, 16);

	tms_path(&c, "010"); /* Exit1 -> Pause -> Exit2 -> Shift */
	uint64_t hi = shift(&c, 0, 16);

	tms_path(&c, "10");
	assert_int_equal(lo | hi << 16, 0x6BA00477);
}

static void test_chain_reset_restores_idcode(void **state)
{
	jtag_chain c;

	make_chain(&c);
	ir_scan(&c, 0x1FF, 9);
	jtag_chain_reset(&c);
	assert_int_equal(c.state, TAP_RESET);
	assert_int_equal(c.taps[0].ir, 0xE);
	assert_int_equal(c.taps[1].ir, 0x1);
}

static void test_add_limits(void **state)
{
	jtag_chain c;
	jtag_tap_desc d = { .name = "x", .irlen = 4, .ir_idcode = 0xE };

	jtag_chain_init(&c);
	for (int i = 0; i < JTAG_CHAIN_MAX_TAPS; i++)
		assert_int_equal(jtag_chain_add(&c, &d), i);
	assert_int_equal(jtag_chain_add(&c, &d), -1);
	jtag_chain_init(&c);
	d.irlen = 0;
	assert_int_equal(jtag_chain_add(&c, &d), -1);
	d.irlen = 33;
	assert_int_equal(jtag_chain_add(&c, &d), -1);
	assert_string_equal(jtag_state_name(TAP_IDLE), "RUN/IDLE");
	assert_string_equal(jtag_state_name((jtag_state)99), "INVALID");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idcodes_of_two_tap_chain_after_reset),
		cmocka_unit_test(test_ir_capture_of_each_tap),
		cmocka_unit_test(test_dr_through_bypass_of_other_tap),
		cmocka_unit_test(test_bypass_delays_by_one_bit_each),
		cmocka_unit_test(test_five_tms_ones_reset_from_every_state),
		cmocka_unit_test(test_state_transitions),
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_pause_and_resume_shift),
		cmocka_unit_test(test_chain_reset_restores_idcode),
		cmocka_unit_test(test_add_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
