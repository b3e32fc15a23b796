/*
 * Unit tests for testing/sim/sim_common.c: simulated clock, logs, JSON writer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim_common.h"

/* ------------------------------------------------------------ JSON -- */

static char *json_text;
static size_t json_len;

static FILE *json_open_mem(void)
{
	FILE *f = open_memstream(&json_text, &json_len);

	assert_non_null(f);
	return f;
}

static void json_check(FILE *f, const char *expected)
{
	fclose(f);
	assert_string_equal(json_text, expected);
	free(json_text);
	json_text = NULL;
}

static void test_json_nested_exact_text(void **state)
{
	FILE *f = json_open_mem();
	json_out j;

	json_init(&j, f);
	json_begin_object(&j, NULL);
	json_string(&j, "part", "stm32h743zi");
	json_hex32(&j, "optsr", 0x1ff6aaf0);
	json_hex8(&j, "rdp", 0xaa);
	json_uint(&j, "erases", 18446744073709551615ull);
	json_bool(&j, "locked", true);
	json_bool(&j, "busy", false);
	json_begin_object(&j, "jtag");
	json_uint(&j, "tck_cycles", 12);
	json_end_object(&j);
	json_begin_array(&j, "sectors");
	json_uint(&j, NULL, 1);
	json_begin_object(&j, NULL);
	json_string(&j, "state", "erased");
	json_end_object(&j);
	json_end_array(&j);
	json_begin_object(&j, "empty");
	json_end_object(&j);
	json_begin_array(&j, "none");
	json_end_array(&j);
	json_end_object(&j);
	json_finish(&j);
	json_check(f,
		   "{\n"
		   "  \"part\": \"stm32h743zi\",\n"
		   "  \"optsr\": \"0x1ff6aaf0\",\n"
		   "  \"rdp\": \"0xaa\",\n"
		   "  \"erases\": 18446744073709551615,\n"
		   "  \"locked\": true,\n"
		   "  \"busy\": false,\n"
		   "  \"jtag\": {\n"
		   "    \"tck_cycles\": 12\n"
		   "  },\n"
		   "  \"sectors\": [\n"
		   "    1,\n"
		   "    {\n"
		   "      \"state\": \"erased\"\n"
		   "    }\n"
		   "  ],\n"
		   "  \"empty\": {},\n"
		   "  \"none\": []\n"
		   "}\n");
}

static void test_json_escapes_strings_and_keys(void **state)
{
	FILE *f = json_open_mem();
	json_out j;

	json_init(&j, f);
	json_begin_object(&j, NULL);
	json_string(&j, "q\"k", "a\"b\\c\nd\te\r\x01\x1f/\xc3\xa9");
	json_end_object(&j);
	json_finish(&j);
	json_check(f, "{\n  \"q\\\"k\": \"a\\\"b\\\\c\\nd\\te\\r\\u0001\\u001f/\xc3\xa9\"\n}\n");
}

static void test_json_top_level_array(void **state)
{
	FILE *f = json_open_mem();
	json_out j;

	json_init(&j, f);
	json_begin_array(&j, NULL);
	json_hex32(&j, NULL, 0);
	json_hex32(&j, NULL, 0xffffffff);
	json_end_array(&j);
	json_finish(&j);
	json_check(f, "[\n  \"0x00000000\",\n  \"0xffffffff\"\n]\n");
}

/* ----------------------------------------------------------- clock -- */

static void test_clock_frozen_moves_only_by_hand(void **state)
{
	sim_clock_freeze(1000);
	assert_int_equal(sim_now_us(), 1000);
	usleep(2000);
	assert_int_equal(sim_now_us(), 1000);
	sim_clock_advance(500);
	assert_int_equal(sim_now_us(), 1500);
	sim_clock_advance(0);
	assert_int_equal(sim_now_us(), 1500);
}

static void test_clock_init_restarts_at_zero(void **state)
{
	sim_clock_freeze(5000000);
	sim_clock_init(1.0);
	/* Unfrozen and restarted: well below the frozen value. */
	assert_true(sim_now_us() < 1000000);
}

static void test_clock_wall_mapping_follows_scale(void **state)
{
	sim_clock_init(0.01);
	/* facts: a 1.1 s sector erase at --time-scale 0.01 takes 11 ms of wall time */
	assert_int_equal(sim_wall_us(1100000), 11000);
	sim_clock_init(2.0);
	assert_int_equal(sim_wall_us(1000), 2000);
	sim_clock_init(1.0);
	assert_int_equal(sim_wall_us(123456), 123456);
}

static void test_clock_runs_faster_with_small_scale(void **state)
{
	struct timespec nap = { 0, 20 * 1000 * 1000 };

	sim_clock_init(0.001);
	nanosleep(&nap, NULL);
	sim_time_us t = sim_now_us();

	/* 20 ms of wall time is 20 s of simulated time at scale 0.001. */
	assert_true(t >= 19000000u);
	assert_true(t < 2000000000u);
}

static void test_clock_is_monotonic(void **state)
{
	sim_clock_init(0.000001);
	sim_time_us prev = sim_now_us();

	for (int i = 0; i < 10000; i++) {
		sim_time_us now = sim_now_us();

		assert_true(now >= prev);
		prev = now;
	}
}

/* ------------------------------------------------------------ logs -- */

/* Run fn with stderr captured into buf. */
static void capture_stderr(void (*fn)(void), char *buf, size_t len)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);

	assert_non_null(tmp);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	size_t n = fread(buf, 1, len - 1, tmp);

	buf[n] = '\0';
	fclose(tmp);
}

static void log_some(void)
{
	sim_log_guest_error("bad key 0x%08x", 0x12345678u);
	sim_log_unimplemented("thing %d\n", 7);
	sim_log_info("hello");
}

static void test_logs_count_and_format(void **state)
{
	char buf[1024];
	unsigned long ge = sim_log_guest_error_count();
	unsigned long un = sim_log_unimplemented_count();

	sim_clock_freeze(1500000);
	capture_stderr(log_some, buf, sizeof(buf));
	assert_int_equal(sim_log_guest_error_count(), ge + 1);
	assert_int_equal(sim_log_unimplemented_count(), un + 1);
	assert_string_equal(buf,
			    "stm32sim [1.500000] guest error: bad key 0x12345678\n"
			    "stm32sim [1.500000] unimplemented: thing 7\n"
			    "stm32sim [1.500000] hello\n");
}

static void trace_once(void)
{
	sim_log_trace("invisible");
}

static void test_trace_silent_without_env(void **state)
{
	char buf[256];

	/* The test harness does not set STM32SIM_TRACE; the first call caches that. */
	if (getenv("STM32SIM_TRACE"))
		skip();
	capture_stderr(trace_once, buf, sizeof(buf));
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_nested_exact_text),
		cmocka_unit_test(test_json_escapes_strings_and_keys),
		cmocka_unit_test(test_json_top_level_array),
		cmocka_unit_test(test_clock_frozen_moves_only_by_hand),
		cmocka_unit_test(test_clock_init_restarts_at_zero),
		cmocka_unit_test(test_clock_wall_mapping_follows_scale),
		cmocka_unit_test(test_clock_runs_faster_with_small_scale),
		cmocka_unit_test(test_clock_is_monotonic),
		cmocka_unit_test(test_logs_count_and_format),
		cmocka_unit_test(test_trace_silent_without_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
