/*
 * Unit tests of the firmware image loader (src/flash/nor/image.c): ELF32, Intel HEX and raw binary
 * files crafted here byte by byte, the good ones and the hostile ones (every header field out of
 * bounds, truncations, bad checksums, overlaps, too much data), from memory and from files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../../src/flash/nor/image.h"

static void assert_error_mentions(const char *needle)
{
	if (!strstr(ub_last_error(), needle))
		fail_msg("error '%s' does not mention '%s'", ub_last_error(), needle);
}

/* ---- ELF builder -------------------------------------------------------------------------------- */

typedef struct elf_seg {
	uint32_t type, offset, paddr, vaddr, filesz, memsz;
} elf_seg;

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

/* A little-endian Arm executable with the given program headers at offset 52; `size` bytes in all,
 * byte i of the file being (uint8_t)(i * 7 + 1) beyond the headers. */
static uint8_t *make_elf(const elf_seg *segs, unsigned n, size_t size)
{
	uint8_t *b = malloc(size);

	assert_non_null(b);
	for (size_t i = 0; i < size; i++)
		b[i] = (uint8_t)(i * 7 + 1);
	memset(b, 0, 52 + 32 * n < size ? 52 + 32 * n : size);
	memcpy(b, "\x7f" "ELF", 4);
	b[4] = 1;
	b[5] = 1;
	b[6] = 1;
	put16(b + 16, 2);
	put16(b + 18, 40);
	put32(b + 20, 1);
	put32(b + 28, 52);
	put16(b + 40, 52);
	put16(b + 42, 32);
	put16(b + 44, n);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *ph = b + 52 + 32 * i;

		put32(ph, segs[i].type);
		put32(ph + 4, segs[i].offset);
		put32(ph + 8, segs[i].vaddr);
		put32(ph + 12, segs[i].paddr);
		put32(ph + 16, segs[i].filesz);
		put32(ph + 20, segs[i].memsz);
	}
	return b;
}

static const elf_seg good_segs[] = {
	{ 1, 0x100, 0x08000000, 0x08000000, 0x40, 0x40 },   /* .text */
	{ 4, 0x140, 0, 0, 0x10, 0x10 },                     /* PT_NOTE: not loaded */
	{ 1, 0x140, 0x08000040, 0x20000000, 0x08, 0x20 },   /* .data: load address in flash, RAM at run time */
	{ 1, 0x148, 0x20000100, 0x20000100, 0, 0x100 },     /* .bss: nothing in the file */
	{ 1, 0x180, 0x08001000, 0x08001000, 0x10, 0x10 },
};

static void test_elf_loads_ptload_segments_at_physical_addresses(void **state)
{
	uint8_t *b = make_elf(good_segs, 5, 0x200);
	ub_image img;

	assert_int_equal(ub_image_load_buffer(b, 0x200, "fw.elf", 0, &img), UB_OK);
	assert_int_equal(img.format, UB_IMAGE_ELF);
	assert_string_equal(ub_image_format_name(img.format), "elf");
	/* .text and .data's load image are adjacent: one segment. */
	assert_int_equal(img.count, 2);
	assert_int_equal(img.total, 0x40 + 0x08 + 0x10);
	assert_int_equal(img.seg[0].addr, 0x08000000);
	assert_int_equal(img.seg[0].len, 0x48);
	assert_memory_equal(img.seg[0].data, b + 0x100, 0x48);
	assert_int_equal(img.seg[1].addr, 0x08001000);
	assert_memory_equal(img.seg[1].data, b + 0x180, 0x10);
	ub_image_free(&img);
	assert_int_equal(img.count, 0);
	free(b);
}

/* Load a copy of the good ELF with one field changed; expect a parse error mentioning `needle`. */
static void expect_bad_elf(size_t at, unsigned width, uint32_t value, const char *needle)
{
	uint8_t *b = make_elf(good_segs, 5, 0x200);
	ub_image img;

	if (width == 1)
		b[at] = (uint8_t)value;
	else if (width == 2)
		put16(b + at, value);
	else
		put32(b + at, value);
	assert_int_equal(ub_image_load_buffer(b, 0x200, "bad.elf", 0, &img), UB_ERR_PARSE);
	assert_error_mentions("bad.elf");
	assert_error_mentions(needle);
	assert_null(img.seg);
	assert_int_equal(img.count, 0);
	free(b);
}

static void test_elf_header_fields_are_bounded(void **state)
{
	expect_bad_elf(4, 1, 2, "not a 32-bit ELF");
	expect_bad_elf(5, 1, 2, "not a little-endian ELF");
	expect_bad_elf(6, 1, 0, "ELF version");
	expect_bad_elf(16, 2, 1, "not an executable");
	expect_bad_elf(18, 2, 62, "not Arm");
	expect_bad_elf(42, 2, 56, "not 32");
	expect_bad_elf(44, 2, 0, "program headers (want 1..64)");
	expect_bad_elf(44, 2, 0xffff, "program headers (want 1..64)");
	expect_bad_elf(28, 4, 0x1f0, "run past the end of the file");
	expect_bad_elf(28, 4, 0xfffffff0, "run past the end of the file");
}

static void test_elf_segment_fields_are_bounded(void **state)
{
	const size_t ph0 = 52;

	expect_bad_elf(ph0 + 4, 4, 0x1f0, "runs past the end of the file");
	expect_bad_elf(ph0 + 4, 4, 0xffffffc0, "runs past the end of the file");
	expect_bad_elf(ph0 + 16, 4, 0x41, "more file bytes");
	expect_bad_elf(ph0 + 12, 4, 0xffffffe0, "past the end of the address space");
	/* Segment 4 moved onto segment 0: two sources for the same bytes. */
	expect_bad_elf(ph0 + 4 * 32 + 12, 4, 0x08000020, "overlaps");
}

static void test_elf_truncated_or_empty(void **state)
{
	uint8_t *b = make_elf(good_segs, 5, 0x200);
	elf_seg bss_only = { 1, 0x100, 0x20000000, 0x20000000, 0, 0x100 };
	ub_image img;

	assert_int_equal(ub_image_load_buffer(b, 40, "short.elf", 0, &img), UB_ERR_PARSE);
	assert_error_mentions("too short");
	assert_int_equal(ub_image_load_buffer(b, 0x100, "cut.elf", 0, &img), UB_ERR_PARSE);
	assert_error_mentions("segment 0");
	free(b);
	b = make_elf(&bss_only, 1, 0x100);
	assert_int_equal(ub_image_load_buffer(b, 0x100, "bss.elf", 0, &img), UB_ERR_PARSE);
	assert_error_mentions("no PT_LOAD segment with data");
	free(b);
	/* An .elf name without the magic is not programmed as a raw binary. */
	assert_int_equal(ub_image_load_buffer((const uint8_t *)"\x7f" "ELX", 4, "fw.elf", 0, &img), UB_ERR_PARSE);
	assert_error_mentions("no ELF magic");
}

static void test_elf_total_size_is_capped(void **state)
{
	const size_t size = 0x100 + UB_IMAGE_MAX_BYTES + 1;
	elf_seg big = { 1, 0x100, 0x08000000, 0x08000000, UB_IMAGE_MAX_BYTES + 1, UB_IMAGE_MAX_BYTES + 1 };
	elf_seg two[2] = { { 1, 0x100, 0x08000000, 0x08000000, UB_IMAGE_MAX_BYTES, UB_IMAGE_MAX_BYTES },
			   { 1, 0x100, 0x09000000, 0x09000000, 1, 1 } };
	uint8_t *b = make_elf(&big, 1, size);
	ub_image img;

	assert_int_equal(ub_image_load_buffer(b, size, "big.elf", 0, &img), UB_ERR_PARSE);
	assert_error_mentions("more than 4194304 bytes");
	free(b);
	b = make_elf(two, 2, size);
	assert_int_equal(ub_image_load_buffer(b, size, "big2.elf", 0, &img), UB_ERR_PARSE);
	assert_error_mentions("more than 4194304 bytes");
	free(b);
}

/* ---- Intel HEX ---------------------------------------------------------------------------------- */

/* One record with a correct checksum appended to `out`. */
static void hex_rec(char *out, unsigned type, unsigned offset, const uint8_t *data, unsigned n)
{
	unsigned sum = n + (offset >> 8) + (offset & 0xff) + type;
	char *p = out + strlen(out);

	p += sprintf(p, ":%02X%04X%02X", n, offset, type);
	for (unsigned i = 0; i < n; i++) {
		p += sprintf(p, "%02X", data[i]);
		sum += data[i];
	}
	sprintf(p, "%02X\r\n", (0x100 - (sum & 0xff)) & 0xff);
}

static void test_hex_records_and_addressing(void **state)
{
	static char text[2048];
	const uint8_t d1[4] = { 1, 2, 3, 4 }, d2[3] = { 5, 6, 7 }, d3[2] = { 0xaa, 0xbb };
	const uint8_t ela[2] = { 0x08, 0x00 }, esa[2] = { 0x10, 0x00 }, start[4] = { 0x08, 0, 1, 0x99 };
	ub_image img;

	text[0] = '\0';
	hex_rec(text, 4, 0, ela, 2);
	hex_rec(text, 0, 0x0010, d1, 4);
	hex_rec(text, 0, 0x0014, d2, 3);       /* contiguous: same segment */
	hex_rec(text, 2, 0, esa, 2);           /* segment 0x1000 -> base 0x10000 */
	hex_rec(text, 0, 0x0002, d3, 2);
	hex_rec(text, 5, 0, start, 4);
	strcat(text, "  \r\n");
	hex_rec(text, 1, 0, NULL, 0);
	strcat(text, "\n\n");
	assert_int_equal(ub_image_load_buffer((const uint8_t *)text, strlen(text), "fw.txt", 0, &img), UB_OK);
	assert_int_equal(img.format, UB_IMAGE_IHEX);
	assert_int_equal(img.count, 2);
	assert_int_equal(img.seg[0].addr, 0x00010002);
	assert_int_equal(img.seg[0].len, 2);
	assert_int_equal(img.seg[1].addr, 0x08000010);
	assert_int_equal(img.seg[1].len, 7);
	assert_memory_equal(img.seg[1].data, "\1\2\3\4\5\6\7", 7);
	assert_int_equal(img.total, 9);
	ub_image_free(&img);
}

/* Good records, then `bad` as line 3, then EOF. */
static void expect_bad_hex(const char *bad, const char *needle)
{
	static char text[4096];
	const uint8_t d[2] = { 0x12, 0x34 }, ela[2] = { 0x08, 0x00 };
	ub_image img;

	text[0] = '\0';
	hex_rec(text, 4, 0, ela, 2);
	hex_rec(text, 0, 0, d, 2);
	strcat(text, bad);
	strcat(text, "\n:00000001FF\n");
	assert_int_equal(ub_image_load_buffer((const uint8_t *)text, strlen(text), "bad.hex", 0, &img), UB_ERR_PARSE);
	assert_error_mentions(needle);
	assert_null(img.seg);
}

static void test_hex_hostile_records(void **state)
{
	expect_bad_hex(":0200100012345A", "bad.hex line 3: checksum 0x5a is wrong");
	expect_bad_hex(":02001000123G58", "'3G' is not a hex byte");
	expect_bad_hex(":03001000123458", "record says 3 data bytes but holds 2");
	expect_bad_hex(":0200100012345", "not an Intel HEX record");
	expect_bad_hex("0200100012345B", "not an Intel HEX record");
	expect_bad_hex(":00000003FD", "record type 0x03 is not supported");
	expect_bad_hex(":00000006FA", "record type 0x06 is not supported");
	expect_bad_hex(":03000004000800F1", "extended address record with 3 bytes");
	expect_bad_hex(":020000050008F1", "start address record with 2 bytes");
	expect_bad_hex(":01000001AA54", "end-of-file record with data");
	expect_bad_hex(":02FFFF001234BA", "crosses a 64 KiB boundary");
	expect_bad_hex(":020000001234B8", "overlaps");
}

static void test_hex_truncated_and_trailing_data(void **state)
{
	const char *no_eof = ":020000040800F2\n:0400100001020304E2\n";
	const char *after_eof = ":0400100001020304E2\n:00000001FF\n:0400100001020304E2\n";
	ub_image img;

	assert_int_equal(ub_image_load_buffer((const uint8_t *)no_eof, strlen(no_eof), "t.hex", 0, &img),
			 UB_ERR_PARSE);
	assert_error_mentions("no end-of-file record");
	assert_int_equal(ub_image_load_buffer((const uint8_t *)after_eof, strlen(after_eof), "t.hex", 0, &img),
			 UB_ERR_PARSE);
	assert_error_mentions("line 3: data after the end-of-file record");
	/* A .hex name demands HEX, even when the contents are binary. */
	assert_int_equal(ub_image_load_buffer((const uint8_t *)"\x00\x01\x02", 3, "fw.HEX", 0, &img), UB_ERR_PARSE);
	assert_error_mentions("fw.HEX line 1");
}

static void test_hex_segment_count_is_capped(void **state)
{
	size_t cap = (UB_IMAGE_MAX_SEGMENTS + 2) * 24;
	char *text = calloc(1, cap);
	const uint8_t d = 0x5a;
	ub_image img;

	assert_non_null(text);
	/* Every other byte: nothing merges. */
	for (unsigned i = 0; i <= UB_IMAGE_MAX_SEGMENTS; i++)
		hex_rec(text, 0, 2 * i, &d, 1);
	hex_rec(text, 1, 0, NULL, 0);
	assert_true(strlen(text) < cap);
	assert_int_equal(ub_image_load_buffer((const uint8_t *)text, strlen(text), "sparse.hex", 0, &img),
			 UB_ERR_PARSE);
	assert_error_mentions("257 separate segments");
	free(text);
}

/* ---- raw binary and files ----------------------------------------------------------------------- */

static void test_binary_at_base(void **state)
{
	const uint8_t bin[5] = { ':', 0x00, 0x20, 0xff, 0x08 };  /* starts with ':' but is not text */
	uint8_t *big = calloc(1, UB_IMAGE_MAX_BYTES + 1);
	ub_image img;

	assert_int_equal(ub_image_load_buffer(bin, 5, "fw.bin", 0x08000100, &img), UB_OK);
	assert_int_equal(img.format, UB_IMAGE_BIN);
	assert_int_equal(img.count, 1);
	assert_int_equal(img.seg[0].addr, 0x08000100);
	assert_memory_equal(img.seg[0].data, bin, 5);
	ub_image_free(&img);
	assert_int_equal(ub_image_load_buffer(bin, 0, "empty.bin", 0x08000000, &img), UB_ERR_PARSE);
	assert_error_mentions("empty file");
	assert_int_equal(ub_image_load_buffer(bin, 5, "wrap.bin", 0xfffffffe, &img), UB_ERR_PARSE);
	assert_error_mentions("past the end of the address space");
	assert_non_null(big);
	assert_int_equal(ub_image_load_buffer(big, UB_IMAGE_MAX_BYTES + 1, "big.bin", 0x08000000, &img),
			 UB_ERR_PARSE);
	assert_int_equal(ub_image_load_buffer(big, UB_IMAGE_MAX_BYTES, "max.bin", 0x08000000, &img), UB_OK);
	assert_int_equal(img.total, UB_IMAGE_MAX_BYTES);
	ub_image_free(&img);
	free(big);
	assert_int_equal(ub_image_load_buffer(NULL, 1, "x", 0, &img), UB_ERR_ARG);
	assert_int_equal(ub_image_load_buffer(bin, 1, "x", 0, NULL), UB_ERR_ARG);
}

static void test_files(void **state)
{
	char path[] = "/tmp/test_image_XXXXXX.hex";
	const char *hex = ":020000040800F2\n:0400100001020304E2\n:00000001FF\n";
	int fd = mkstemps(path, 4);
	ub_image img;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, hex, strlen(hex)), (ssize_t)strlen(hex));
	close(fd);
	assert_int_equal(ub_image_load(path, 0, &img), UB_OK);
	assert_int_equal(img.seg[0].addr, 0x08000010);
	ub_image_free(&img);
	unlink(path);
	assert_int_equal(ub_image_load(path, 0, &img), UB_ERR_IO);
	assert_error_mentions("cannot open image");
	assert_int_equal(ub_image_load("/tmp", 0, &img), UB_ERR_IO);
	assert_error_mentions("not a regular file");
	assert_int_equal(ub_image_load(NULL, 0, &img), UB_ERR_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf_loads_ptload_segments_at_physical_addresses),
		cmocka_unit_test(test_elf_header_fields_are_bounded),
		cmocka_unit_test(test_elf_segment_fields_are_bounded),
		cmocka_unit_test(test_elf_truncated_or_empty),
		cmocka_unit_test(test_elf_total_size_is_capped),
		cmocka_unit_test(test_hex_records_and_addressing),
		cmocka_unit_test(test_hex_hostile_records),
		cmocka_unit_test(test_hex_truncated_and_trailing_data),
		cmocka_unit_test(test_hex_segment_count_is_capped),
		cmocka_unit_test(test_binary_at_base),
		cmocka_unit_test(test_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
