/*
 * stm32sim common services: simulated clock, the diagnostic logs and the JSON
 * writer used for the state file.  See sim_common.h for the contract.
 */
#include "sim_common.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------- clock -- */

static struct {
	double scale;           /* wall seconds per simulated second */
	uint64_t start_wall_us; /* CLOCK_MONOTONIC at sim_clock_init() */
	bool started;
	bool frozen;            /* unit tests: time only moves by sim_clock_advance() */
	sim_time_us frozen_at;
	sim_time_us last;       /* keeps sim_now_us() monotonic despite rounding */
} sim_clock = { .scale = 1.0 };

static uint64_t monotonic_us(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail on Linux with a valid pointer. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void sim_clock_init(double time_scale)
{
	if (!(time_scale > 0.0)) {
		/* A zero or negative scale would stop or reverse time: refuse it loudly. */
		fprintf(stderr, "stm32sim: internal error: time scale %g must be > 0, using 1\n", time_scale);
		time_scale = 1.0;
	}
	sim_clock.scale = time_scale;
	sim_clock.start_wall_us = monotonic_us();
	sim_clock.started = true;
	sim_clock.frozen = false;
	sim_clock.frozen_at = 0;
	sim_clock.last = 0;
}

sim_time_us sim_now_us(void)
{
	if (sim_clock.frozen)
		return sim_clock.frozen_at;
	if (!sim_clock.started)
		sim_clock_init(sim_clock.scale);

	uint64_t wall = monotonic_us() - sim_clock.start_wall_us;
	sim_time_us now = (sim_time_us)((double)wall / sim_clock.scale);

	if (now < sim_clock.last)
		now = sim_clock.last;
	sim_clock.last = now;
	return now;
}

uint64_t sim_wall_us(sim_time_us us)
{
	return (uint64_t)((double)us * sim_clock.scale + 0.5);
}

uint64_t sim_host_ns(void)
{
	struct timespec ts;

	if (sim_clock.frozen)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void sim_clock_freeze(sim_time_us at)
{
	sim_clock.frozen = true;
	sim_clock.frozen_at = at;
}

void sim_clock_advance(sim_time_us by)
{
	if (!sim_clock.frozen) {
		/* Advancing a running clock would break monotonic wall mapping. */
		fprintf(stderr, "stm32sim: internal error: sim_clock_advance() on a running clock\n");
		return;
	}
	sim_clock.frozen_at += by;
}

/* ----------------------------------------------------------------- logs -- */

static unsigned long guest_error_count;
static unsigned long unimplemented_count;

static void log_line(const char *kind, const char *fmt, va_list ap)
{
	char msg[1024];
	size_t len;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* Callers write messages without a trailing newline; tolerate one anyway. */
	len = strlen(msg);
	while (len > 0 && msg[len - 1] == '\n')
		msg[--len] = '\0';

	sim_time_us t = sim_now_us();
	fprintf(stderr, "stm32sim [%" PRIu64 ".%06" PRIu64 "] %s%s\n",
		t / 1000000u, t % 1000000u, kind, msg);
}

void sim_log_guest_error(const char *fmt, ...)
{
	va_list ap;

	guest_error_count++;
	va_start(ap, fmt);
	log_line("guest error: ", fmt, ap);
	va_end(ap);
}

void sim_log_unimplemented(const char *fmt, ...)
{
	va_list ap;

	unimplemented_count++;
	va_start(ap, fmt);
	log_line("unimplemented: ", fmt, ap);
	va_end(ap);
}

void sim_log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("", fmt, ap);
	va_end(ap);
}

static bool trace_enabled(void)
{
	/* getenv() once: tracing is checked on hot paths. */
	static int cached = -1;

	if (cached < 0) {
		const char *v = getenv("STM32SIM_TRACE");
		cached = v && *v && strcmp(v, "0") != 0;
	}
	return cached;
}

void sim_log_trace(const char *fmt, ...)
{
	va_list ap;

	if (!trace_enabled())
		return;
	va_start(ap, fmt);
	log_line("trace: ", fmt, ap);
	va_end(ap);
}

unsigned long sim_log_guest_error_count(void)
{
	return guest_error_count;
}

unsigned long sim_log_unimplemented_count(void)
{
	return unimplemented_count;
}

/* ----------------------------------------------------------------- JSON -- */

#define JSON_MAX_DEPTH ((int)(sizeof(((json_out *)0)->need_comma) / sizeof(bool)) - 1)

static void json_indent(json_out *j, int depth)
{
	for (int i = 0; i < depth; i++)
		fputs("  ", j->f);
}

static void json_write_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* Comma, newline, indentation and key before any value inside a container. */
static void json_prefix(json_out *j, const char *key)
{
	if (j->depth == 0)
		return; /* the top-level value has neither key nor indentation */
	if (j->need_comma[j->depth])
		fputc(',', j->f);
	fputc('\n', j->f);
	json_indent(j, j->depth);
	if (key) {
		json_write_string(j->f, key);
		fputs(": ", j->f);
	}
	j->need_comma[j->depth] = true;
}

void json_init(json_out *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

static void json_open(json_out *j, const char *key, char bracket)
{
	if (j->depth >= JSON_MAX_DEPTH) {
		/* A programming error in a block's state writer, never input driven. */
		fprintf(stderr, "stm32sim: internal error: JSON nesting deeper than %d\n", JSON_MAX_DEPTH);
		abort();
	}
	json_prefix(j, key);
	fputc(bracket, j->f);
	j->depth++;
	j->need_comma[j->depth] = false;
}

static void json_close(json_out *j, char bracket)
{
	if (j->depth <= 0) {
		fprintf(stderr, "stm32sim: internal error: unbalanced JSON close\n");
		abort();
	}
	bool had_members = j->need_comma[j->depth];

	j->depth--;
	if (had_members) {
		fputc('\n', j->f);
		json_indent(j, j->depth);
	}
	fputc(bracket, j->f);
}

void json_begin_object(json_out *j, const char *key)
{
	json_open(j, key, '{');
}

void json_end_object(json_out *j)
{
	json_close(j, '}');
}

void json_begin_array(json_out *j, const char *key)
{
	json_open(j, key, '[');
}

void json_end_array(json_out *j)
{
	json_close(j, ']');
}

void json_string(json_out *j, const char *key, const char *value)
{
	json_prefix(j, key);
	json_write_string(j->f, value ? value : "");
}

void json_hex32(json_out *j, const char *key, uint32_t value)
{
	json_prefix(j, key);
	fprintf(j->f, "\"0x%08" PRIx32 "\"", value);
}

void json_hex8(json_out *j, const char *key, uint8_t value)
{
	json_prefix(j, key);
	fprintf(j->f, "\"0x%02x\"", (unsigned)value);
}

void json_uint(json_out *j, const char *key, uint64_t value)
{
	json_prefix(j, key);
	fprintf(j->f, "%" PRIu64, value);
}

void json_bool(json_out *j, const char *key, bool value)
{
	json_prefix(j, key);
	fputs(value ? "true" : "false", j->f);
}

void json_finish(json_out *j)
{
	fputc('\n', j->f);
	fflush(j->f);
}
