/*
 * Fuzz targets (testing/fuzz/README.md): each file defines the libFuzzer entry
 * point below and is built by scripts/fuzz with clang's libFuzzer, or, where
 * libFuzzer is missing, with standalone_main.c.  A target signals a broken
 * property with fuzz_require(), which aborts: the fuzzer records the input.
 */
#ifndef STM32UNBRICK_FUZZ_H
#define STM32UNBRICK_FUZZ_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The sanitizers' report channel: still open when libFuzzer's -close_fd_mask=2
 * has silenced the simulator's chatter on stderr. */
void __sanitizer_report_error_summary(const char *error_summary);

static inline void fuzz_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

static inline void fuzz_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[1024];
	int len = snprintf(msg, sizeof(msg), "fuzz property broken at %s:%d: ", file, line);
	va_list ap;

	if (len < 0 || (size_t)len >= sizeof(msg))
		len = 0;
	va_start(ap, fmt);
	vsnprintf(msg + len, sizeof(msg) - (size_t)len, fmt, ap);
	va_end(ap);
	__sanitizer_report_error_summary(msg);
	abort();
}

#define fuzz_require(cond, ...) do { \
	if (!(cond)) \
		fuzz_fail(__FILE__, __LINE__, __VA_ARGS__); \
} while (0)

/* Reads the input front to back; past the end every read gives zeros, so a
 * target never has to check lengths and short inputs stay meaningful. */
typedef struct fuzz_input {
	const uint8_t *data;
	size_t size;
	size_t pos;
} fuzz_input;

static inline bool fuzz_more(const fuzz_input *in)
{
	return in->pos < in->size;
}

static inline uint8_t fuzz_u8(fuzz_input *in)
{
	return in->pos < in->size ? in->data[in->pos++] : 0;
}

static inline uint16_t fuzz_u16(fuzz_input *in)
{
	uint16_t lo = fuzz_u8(in);

	return (uint16_t)(lo | fuzz_u8(in) << 8);
}

static inline uint32_t fuzz_u32(fuzz_input *in)
{
	uint32_t lo = fuzz_u16(in);

	return lo | (uint32_t)fuzz_u16(in) << 16;
}

/* A NUL-terminated string of up to cap - 1 input bytes (length byte first). */
static inline const char *fuzz_str(fuzz_input *in, char *buf, size_t cap)
{
	size_t len = fuzz_u8(in) % cap;

	for (size_t i = 0; i < len; i++)
		buf[i] = (char)fuzz_u8(in);
	buf[len] = '\0';
	return buf;
}

#endif
