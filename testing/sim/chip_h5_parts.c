/*
 * The STM32H5 part table (facts B.1, B.2).
 *
 * Lines: 0x474 H503 (no TrustZone), 0x478 H523/H533, 0x484 H562/H563/H573.
 * REV_IDs: 0x484 A 0x1000, Z 0x1001, X 0x1007; 0x474 A 0x1000, Z 0x1001,
 * Y 0x1003; 0x478: UNCONFIRMED, only A = 0x1000 is offered.  Default: the
 * latest known revision of the line.
 *
 * Flash size letters: B 128 KiB, C 256 KiB, E 512 KiB, G 1 MiB, I 2 MiB.
 *
 * SRAMs (non-secure alias; the secure alias is +0x10000000):
 *   0x484: SRAM1 256 KiB at 0x20000000, SRAM2 64 KiB at 0x20040000, SRAM3
 *          320 KiB at 0x20050000 (ST's H563 device header as reproduced in a
 *          public project);
 *   0x474: SRAM1 16 KiB at 0x20000000, SRAM2 16 KiB at 0x20004000 (32 KiB in
 *          all, a public H503 linker script);
 *   0x478: 272 KiB in all (ST's NUCLEO-H533RE description); the split SRAM1
 *          128 KiB at 0x20000000, SRAM2 80 KiB at 0x20020000, SRAM3 64 KiB at
 *          0x20034000 is UNCONFIRMED.
 *
 * PACKAGE codes (the 16-bit word at 0x08FFF80E) are not in the facts sheet:
 * the values below are the simulator's own (UNCONFIRMED); nothing in the
 * project decides on them.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "chip_h5_internal.h"

#define KIB 1024u

static const h5_ram_desc ram_474[H5_RAM_COUNT] = {
	{ "sram1", 0x20000000u, 16u * KIB }, { "sram2", 0x20004000u, 16u * KIB }, { "sram3", 0, 0 },
};
static const h5_ram_desc ram_478[H5_RAM_COUNT] = {
	{ "sram1", 0x20000000u, 128u * KIB }, { "sram2", 0x20020000u, 80u * KIB }, { "sram3", 0x20034000u, 64u * KIB },
};
static const h5_ram_desc ram_484[H5_RAM_COUNT] = {
	{ "sram1", 0x20000000u, 256u * KIB }, { "sram2", 0x20040000u, 64u * KIB }, { "sram3", 0x20050000u, 320u * KIB },
};

static const h5_rev revs_474[] = { { "A", 0x1000 }, { "Z", 0x1001 }, { "Y", 0x1003 } };
static const h5_rev revs_478[] = { { "A", 0x1000 } };
static const h5_rev revs_484[] = { { "A", 0x1000 }, { "Z", 0x1001 }, { "X", 0x1007 } };

static const h5_line line_474 = { 0x474, "STM32H503", ram_474, revs_474, 3, "Y", false, false };
static const h5_line line_478 = { 0x478, "STM32H523/H533", ram_478, revs_478, 1, "A", true, true };
static const h5_line line_484 = { 0x484, "STM32H562/H563/H573", ram_484, revs_484, 3, "X", true, true };

/* Simulator's package numbering (see above). */
enum {
	PKG_UFQFPN48 = 0x0000, PKG_LQFP64 = 0x0001, PKG_LQFP144 = 0x0003, PKG_UFBGA169 = 0x0005, PKG_LQFP176 = 0x0006,
};

static const h5_part parts[] = {
	{ "stm32h503rb", &line_474, 128, PKG_LQFP64 },
	{ "stm32h523cc", &line_478, 256, PKG_UFQFPN48 },
	{ "stm32h523ce", &line_478, 512, PKG_UFQFPN48 },
	{ "stm32h533re", &line_478, 512, PKG_LQFP64 },
	{ "stm32h562ag", &line_484, 1024, PKG_UFBGA169 },
	{ "stm32h563zg", &line_484, 1024, PKG_LQFP144 },
	{ "stm32h563zi", &line_484, 2048, PKG_LQFP144 },
	{ "stm32h573ii", &line_484, 2048, PKG_LQFP176 },
};

const h5_part *h5_part_find(const char *name)
{
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (strcasecmp(parts[i].name, name) == 0)
			return &parts[i];
	return NULL;
}

void chip_h5_part_list(char *buf, size_t len)
{
	size_t used = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]) && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", parts[i].name);
}

const h5_rev *h5_rev_find(const h5_line *line, const char *name)
{
	for (unsigned i = 0; i < line->nrevs; i++)
		if (strcasecmp(line->revs[i].name, name) == 0)
			return &line->revs[i];
	return NULL;
}
