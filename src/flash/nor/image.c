/*
 * Firmware image loader (see image.h): ELF32 little-endian, Intel HEX and raw
 * binary, parsed from memory with every field bounded before use.
 *
 * ELF layout (System V gABI, ELF32): the 52-byte file header holds e_ident
 * (magic, class 1 = 32-bit, data 1 = little-endian, version 1), e_type (2 =
 * executable), e_machine (40 = Arm), e_phoff, e_phentsize (32) and e_phnum;
 * each 32-byte program header holds p_type (1 = PT_LOAD), p_offset, p_vaddr,
 * p_paddr, p_filesz, p_memsz.  Only the bytes stored in the file (p_filesz)
 * are flash contents; p_memsz - p_filesz is zero-filled RAM (.bss) at run time.
 *
 * Intel HEX: ":LLAAAATT<data>CC" lines, LL data bytes, AAAA the 16-bit
 * offset, TT the type, CC the two's complement of the byte sum.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "image.h"

/* An ELF with debug information can be far larger than its flash contents. */
#define IMAGE_FILE_MAX      (64u * 1024u * 1024u)
#define ELF_HEADER_BYTES    52u
#define ELF_PHDR_BYTES      32u
#define ELF_MAX_PHDRS       64u
#define ELF_PT_LOAD         1u
#define ELF_ET_EXEC         2u
#define ELF_EM_ARM          40u
/* Pieces before merging: a HEX file may jump around, but not this much. */
#define IMAGE_MAX_PIECES    65536u
#define HEX_MAX_LINE        (1u + 2u * (5u + 255u))

typedef struct builder {
	ub_image img;
	size_t *cap;          /* capacity of each segment's data */
	size_t seg_cap;
	const char *name;
} builder;

const char *ub_image_format_name(ub_image_format f)
{
	switch (f) {
	case UB_IMAGE_ELF: return "elf";
	case UB_IMAGE_IHEX: return "ihex";
	case UB_IMAGE_BIN: return "bin";
	}
	return "?";
}

void ub_image_free(ub_image *img)
{
	if (!img)
		return;
	for (size_t i = 0; i < img->count; i++)
		free(img->seg[i].data);
	free(img->seg);
	memset(img, 0, sizeof(*img));
}

static void builder_free(builder *bd)
{
	ub_image_free(&bd->img);
	free(bd->cap);
	bd->cap = NULL;
	bd->seg_cap = 0;
}

static ub_err grow_segments(builder *bd)
{
	size_t n = bd->seg_cap ? bd->seg_cap * 2 : 8;
	ub_image_segment *seg = realloc(bd->img.seg, n * sizeof(*seg));
	if (seg)
		bd->img.seg = seg;
	size_t *cap = seg ? realloc(bd->cap, n * sizeof(*cap)) : NULL;
	if (!seg || !cap)
		return ub_fail(UB_ERR_NOMEM, "%s: out of memory for %zu segments", bd->name, n);
	bd->cap = cap;
	bd->seg_cap = n;
	return UB_OK;
}

/* Append to the last segment when contiguous, else start a new one; caps checked first. */
static ub_err builder_add(builder *bd, uint32_t addr, const uint8_t *data, size_t len)
{
	if (len == 0)
		return UB_OK;
	if ((uint64_t)addr + len > (uint64_t)UINT32_MAX + 1)
		return ub_fail(UB_ERR_PARSE, "%s: %zu bytes at 0x%08x run past the end of the address space", bd->name,
			       len, addr);
	if (bd->img.total + len > UB_IMAGE_MAX_BYTES)
		return ub_fail(UB_ERR_PARSE, "%s: more than %u bytes of data (no STM32 flash is that large)", bd->name,
			       UB_IMAGE_MAX_BYTES);
	ub_image_segment *last = bd->img.count ? &bd->img.seg[bd->img.count - 1] : NULL;
	if (!last || (uint64_t)last->addr + last->len != addr) {
		if (bd->img.count >= IMAGE_MAX_PIECES)
			return ub_fail(UB_ERR_PARSE, "%s: more than %u separate pieces of data", bd->name,
				       IMAGE_MAX_PIECES);
		if (bd->img.count == bd->seg_cap && grow_segments(bd) != UB_OK)
			return UB_ERR_NOMEM;
		last = &bd->img.seg[bd->img.count];
		memset(last, 0, sizeof(*last));
		last->addr = addr;
		bd->cap[bd->img.count++] = 0;
	}
	size_t *cap = &bd->cap[bd->img.count - 1];
	if (last->len + len > *cap) {
		size_t n = *cap ? *cap : 256;
		while (n < last->len + len)
			n *= 2;
		uint8_t *d = realloc(last->data, n);
		if (!d)
			return ub_fail(UB_ERR_NOMEM, "%s: out of memory for %zu bytes", bd->name, n);
		last->data = d;
		*cap = n;
	}
	memcpy(last->data + last->len, data, len);
	last->len += (uint32_t)len;
	bd->img.total += len;
	return UB_OK;
}

static int by_address(const void *a, const void *b)
{
	uint32_t x = ((const ub_image_segment *)a)->addr, y = ((const ub_image_segment *)b)->addr;
	return x < y ? -1 : x > y;
}

/* Sort, refuse overlaps (two sources for one byte), merge neighbours, bound the count. */
static ub_err builder_finish(builder *bd)
{
	ub_image *img = &bd->img;
	if (img->count == 0)
		return ub_fail(UB_ERR_PARSE, "%s: no data to program", bd->name);
	qsort(img->seg, img->count, sizeof(img->seg[0]), by_address);
	size_t out = 0;
	for (size_t i = 1; i < img->count; i++) {
		ub_image_segment *prev = &img->seg[out], *cur = &img->seg[i];
		uint64_t prev_end = (uint64_t)prev->addr + prev->len;
		if (prev_end > cur->addr)
			return ub_fail(UB_ERR_PARSE, "%s: data at 0x%08x..0x%08x overlaps data at 0x%08x", bd->name,
				       prev->addr, (uint32_t)(prev_end - 1), cur->addr);
		if (prev_end == cur->addr) {
			uint8_t *d = realloc(prev->data, (size_t)prev->len + cur->len);
			if (!d)
				return ub_fail(UB_ERR_NOMEM, "%s: out of memory merging segments", bd->name);
			memcpy(d + prev->len, cur->data, cur->len);
			prev->data = d;
			prev->len += cur->len;
			free(cur->data);
			cur->data = NULL;
		} else if (++out != i) {
			/* Moved down: the old slot must not own the data any more. */
			img->seg[out] = *cur;
			cur->data = NULL;
		}
	}
	img->count = out + 1;
	if (img->count > UB_IMAGE_MAX_SEGMENTS)
		return ub_fail(UB_ERR_PARSE, "%s: %zu separate segments, at most %u allowed", bd->name, img->count,
			       UB_IMAGE_MAX_SEGMENTS);
	return UB_OK;
}

/* ---- ELF32 ------------------------------------------------------------------------------------ */

static uint32_t le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return le16(p) | le16(p + 2) << 16;
}

static ub_err elf_check_header(const uint8_t *buf, size_t len, const char *name, uint32_t *phoff, uint32_t *phnum)
{
	if (len < ELF_HEADER_BYTES)
		return ub_fail(UB_ERR_PARSE, "%s: ELF file too short for its header (%zu bytes)", name, len);
	if (buf[4] != 1)
		return ub_fail(UB_ERR_PARSE, "%s: not a 32-bit ELF (class %u)", name, buf[4]);
	if (buf[5] != 1)
		return ub_fail(UB_ERR_PARSE, "%s: not a little-endian ELF (data encoding %u)", name, buf[5]);
	if (buf[6] != 1 || le32(buf + 20) != 1)
		return ub_fail(UB_ERR_PARSE, "%s: unknown ELF version", name);
	if (le16(buf + 16) != ELF_ET_EXEC)
		return ub_fail(UB_ERR_PARSE, "%s: ELF type %u is not an executable (2); link the firmware first", name,
			       le16(buf + 16));
	if (le16(buf + 18) != ELF_EM_ARM)
		return ub_fail(UB_ERR_PARSE, "%s: ELF machine %u is not Arm (40)", name, le16(buf + 18));
	*phoff = le32(buf + 28);
	*phnum = le16(buf + 44);
	if (le16(buf + 42) != ELF_PHDR_BYTES)
		return ub_fail(UB_ERR_PARSE, "%s: ELF program headers are %u bytes, not 32", name, le16(buf + 42));
	if (*phnum == 0 || *phnum > ELF_MAX_PHDRS)
		return ub_fail(UB_ERR_PARSE, "%s: %u ELF program headers (want 1..%u)", name, *phnum, ELF_MAX_PHDRS);
	if ((uint64_t)*phoff + (uint64_t)*phnum * ELF_PHDR_BYTES > len)
		return ub_fail(UB_ERR_PARSE, "%s: ELF program headers at 0x%x run past the end of the file (%zu bytes)",
			       name, *phoff, len);
	return UB_OK;
}

static ub_err load_elf(const uint8_t *buf, size_t len, builder *bd)
{
	uint32_t phoff = 0, phnum = 0;
	ub_err e = elf_check_header(buf, len, bd->name, &phoff, &phnum);
	for (uint32_t i = 0; e == UB_OK && i < phnum; i++) {
		const uint8_t *ph = buf + phoff + (size_t)i * ELF_PHDR_BYTES;
		uint32_t offset = le32(ph + 4), paddr = le32(ph + 12), filesz = le32(ph + 16), memsz = le32(ph + 20);
		if (le32(ph) != ELF_PT_LOAD || filesz == 0)
			continue;
		if (filesz > memsz)
			e = ub_fail(UB_ERR_PARSE, "%s: ELF segment %u has more file bytes (%u) than memory bytes (%u)",
				    bd->name, i, filesz, memsz);
		else if ((uint64_t)offset + filesz > len)
			e = ub_fail(UB_ERR_PARSE, "%s: ELF segment %u (0x%x bytes at file offset 0x%x) runs past the "
				    "end of the file (%zu bytes)", bd->name, i, filesz, offset, len);
		else
			e = builder_add(bd, paddr, buf + offset, filesz);
	}
	if (e == UB_OK && bd->img.count == 0)
		e = ub_fail(UB_ERR_PARSE, "%s: no PT_LOAD segment with data in this ELF", bd->name);
	return e;
}

/* ---- Intel HEX -------------------------------------------------------------------------------- */

typedef struct hex_state {
	uint32_t base;        /* from record 02 (<< 4) or 04 (<< 16) */
	bool eof;
	unsigned line;
} hex_state;

static int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* One record's bytes (count, address, type, data, checksum) from its hex digits. */
static ub_err hex_decode(const char *s, size_t n, uint8_t *out, size_t *nbytes, const char *name, unsigned line)
{
	if (n < 11 || s[0] != ':' || (n - 1) % 2 != 0 || n > HEX_MAX_LINE)
		return ub_fail(UB_ERR_PARSE, "%s line %u: not an Intel HEX record", name, line);
	*nbytes = (n - 1) / 2;
	uint8_t sum = 0;
	for (size_t i = 0; i < *nbytes; i++) {
		int hi = hex_nibble(s[1 + 2 * i]), lo = hex_nibble(s[2 + 2 * i]);
		if (hi < 0 || lo < 0)
			return ub_fail(UB_ERR_PARSE, "%s line %u: '%c%c' is not a hex byte", name, line, s[1 + 2 * i],
				       s[2 + 2 * i]);
		out[i] = (uint8_t)(hi << 4 | lo);
		sum = (uint8_t)(sum + out[i]);
	}
	if (*nbytes != (size_t)out[0] + 5)
		return ub_fail(UB_ERR_PARSE, "%s line %u: record says %u data bytes but holds %zu", name, line, out[0],
			       *nbytes - 5);
	if (sum != 0)
		return ub_fail(UB_ERR_PARSE, "%s line %u: checksum 0x%02x is wrong (bytes sum to 0x%02x)", name, line,
			       out[*nbytes - 1], sum);
	return UB_OK;
}

static ub_err hex_record(builder *bd, hex_state *st, const uint8_t *r)
{
	unsigned count = r[0], offset = r[1] << 8 | r[2], type = r[3];
	const uint8_t *data = r + 4;
	switch (type) {
	case 0x00:
		if (offset + count > 0x10000)
			return ub_fail(UB_ERR_PARSE, "%s line %u: data record crosses a 64 KiB boundary", bd->name,
				       st->line);
		return builder_add(bd, st->base + offset, data, count);
	case 0x01:
		if (count != 0)
			return ub_fail(UB_ERR_PARSE, "%s line %u: end-of-file record with data", bd->name, st->line);
		st->eof = true;
		return UB_OK;
	case 0x02:
	case 0x04:
		if (count != 2)
			return ub_fail(UB_ERR_PARSE, "%s line %u: extended address record with %u bytes, not 2",
				       bd->name, st->line, count);
		st->base = (uint32_t)(data[0] << 8 | data[1]) << (type == 0x02 ? 4 : 16);
		return UB_OK;
	case 0x05:
		if (count != 4)
			return ub_fail(UB_ERR_PARSE, "%s line %u: start address record with %u bytes, not 4", bd->name,
				       st->line, count);
		return UB_OK; /* the entry point: not flash contents */
	default:
		return ub_fail(UB_ERR_PARSE, "%s line %u: record type 0x%02x is not supported (00, 01, 02, 04, 05)",
			       bd->name, st->line, type);
	}
}

static ub_err load_hex(const uint8_t *buf, size_t len, builder *bd)
{
	hex_state st = { 0, false, 0 };
	uint8_t rec[HEX_MAX_LINE / 2 + 1];
	const char *text = (const char *)buf;
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, n = end - pos;
		st.line++;
		while (n > 0 && isspace((unsigned char)text[pos]))
			pos++, n--;
		while (n > 0 && isspace((unsigned char)text[pos + n - 1]))
			n--;
		if (st.eof && n > 0)
			return ub_fail(UB_ERR_PARSE, "%s line %u: data after the end-of-file record", bd->name,
				       st.line);
		if (n > 0) {
			size_t nbytes;
			ub_err e = hex_decode(text + pos, n, rec, &nbytes, bd->name, st.line);
			if (e == UB_OK)
				e = hex_record(bd, &st, rec);
			if (e != UB_OK)
				return e;
		}
		pos = end + 1;
	}
	if (!st.eof)
		return ub_fail(UB_ERR_PARSE, "%s: no end-of-file record (type 01): the file is truncated", bd->name);
	return UB_OK;
}

/* ---- Format detection and entry points ------------------------------------------------------- */

static bool has_extension(const char *name, const char *const *exts)
{
	const char *dot = strrchr(name, '.');
	for (; dot && *exts; exts++)
		if (strcasecmp(dot + 1, *exts) == 0)
			return true;
	return false;
}

/* Text of ':' records and line breaks only. */
static bool looks_like_hex(const uint8_t *buf, size_t len)
{
	size_t i = 0;
	while (i < len && isspace(buf[i]))
		i++;
	if (i == len || buf[i] != ':')
		return false;
	for (; i < len; i++)
		if (buf[i] != ':' && !isspace(buf[i]) && hex_nibble((char)buf[i]) < 0)
			return false;
	return true;
}

ub_err ub_image_load_buffer(const uint8_t *buf, size_t len, const char *name, uint32_t bin_base, ub_image *img)
{
	static const char *const hex_ext[] = { "hex", "ihex", "ihx", NULL };
	static const char *const elf_ext[] = { "elf", "axf", "out", NULL };
	if (!img)
		return ub_fail(UB_ERR_ARG, "ub_image_load_buffer: NULL image");
	memset(img, 0, sizeof(*img));
	if (!name || (!buf && len))
		return ub_fail(UB_ERR_ARG, "ub_image_load_buffer: NULL argument");
	if (len == 0)
		return ub_fail(UB_ERR_PARSE, "%s: empty file", name);
	builder bd = { .name = name };
	bool elf = len >= 4 && memcmp(buf, "\x7f" "ELF", 4) == 0;
	ub_err e;
	if (elf) {
		bd.img.format = UB_IMAGE_ELF;
		e = load_elf(buf, len, &bd);
	} else if (has_extension(name, elf_ext)) {
		e = ub_fail(UB_ERR_PARSE, "%s: named like an ELF file but has no ELF magic", name);
	} else if (has_extension(name, hex_ext) || looks_like_hex(buf, len)) {
		bd.img.format = UB_IMAGE_IHEX;
		e = load_hex(buf, len, &bd);
	} else {
		bd.img.format = UB_IMAGE_BIN;
		e = builder_add(&bd, bin_base, buf, len);
	}
	if (e == UB_OK)
		e = builder_finish(&bd);
	if (e != UB_OK) {
		builder_free(&bd);
		return e;
	}
	free(bd.cap);
	*img = bd.img;
	return UB_OK;
}

ub_err ub_image_load(const char *path, uint32_t bin_base, ub_image *img)
{
	if (!img || !path)
		return ub_fail(UB_ERR_ARG, "ub_image_load: NULL argument");
	memset(img, 0, sizeof(*img));
	FILE *f = fopen(path, "rb");
	if (!f)
		return ub_fail(UB_ERR_IO, "cannot open image %s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)IMAGE_FILE_MAX) {
		fclose(f);
		return ub_fail(UB_ERR_IO, "image %s: not a regular file of at most %u MiB", path, IMAGE_FILE_MAX >> 20);
	}
	size_t len = (size_t)st.st_size;
	uint8_t *buf = malloc(len ? len : 1);
	ub_err e = UB_OK;
	if (!buf)
		e = ub_fail(UB_ERR_NOMEM, "no memory to read image %s (%zu bytes)", path, len);
	else if (fread(buf, 1, len, f) != len)
		e = ub_fail(UB_ERR_IO, "reading image %s failed", path);
	fclose(f);
	if (e == UB_OK)
		e = ub_image_load_buffer(buf, len, path, bin_base, img);
	free(buf);
	return e;
}
