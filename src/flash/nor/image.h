/*
 * Firmware image files, loaded into address-sorted segments of bytes: what
 * `stm32unbrick h5 program FILE` writes and `h5 verify FILE` compares.
 *
 * Formats:
 *   - ELF32 little-endian executable: every PT_LOAD segment with p_filesz > 0,
 *     at its physical (load) address p_paddr;
 *   - Intel HEX: records 00 (data), 01 (end of file), 02 (extended segment
 *     address), 04 (extended linear address), 05 (start linear address,
 *     ignored); every checksum verified;
 *   - raw binary: the whole file at a base address given by the caller.
 *
 * Files are untrusted: every header field is bounded before it is used, the
 * image holds at most UB_IMAGE_MAX_BYTES bytes in at most
 * UB_IMAGE_MAX_SEGMENTS segments, and overlapping data is refused.  Any
 * problem is a clean UB_ERR_IO (file) or UB_ERR_PARSE (contents) naming the
 * file and, for HEX, the line.
 */
#ifndef STM32UNBRICK_IMAGE_H
#define STM32UNBRICK_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "../../target/errors.h"

#define UB_IMAGE_MAX_BYTES    (4u * 1024u * 1024u)
#define UB_IMAGE_MAX_SEGMENTS 256u

typedef enum ub_image_format {
	UB_IMAGE_ELF,
	UB_IMAGE_IHEX,
	UB_IMAGE_BIN,
} ub_image_format;

typedef struct ub_image_segment {
	uint32_t addr;
	uint32_t len;        /* > 0; addr + len never wraps past 4 GiB */
	uint8_t *data;
} ub_image_segment;

typedef struct ub_image {
	ub_image_format format;
	ub_image_segment *seg;   /* sorted by address, not overlapping, adjacent ones merged */
	size_t count;
	size_t total;            /* sum of the segment lengths */
} ub_image;

/* "elf", "ihex", "bin". */
const char *ub_image_format_name(ub_image_format f);

/*
 * Load `path`.  The format is found from the contents (ELF magic; a HEX file
 * is text made of ':' records) and the extension (.hex/.ihex/.ihx demand
 * HEX).  A raw binary is placed at `bin_base`.  On failure `img` is empty.
 */
ub_err ub_image_load(const char *path, uint32_t bin_base, ub_image *img);
/* The same from memory; `name` only appears in messages. */
ub_err ub_image_load_buffer(const uint8_t *buf, size_t len, const char *name, uint32_t bin_base,
			    ub_image *img);
void ub_image_free(ub_image *img);

#endif
