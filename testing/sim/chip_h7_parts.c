/*
 * STM32H7 part table.  A part name is a family prefix, a package letter and
 * a flash-size letter ("stm32h743" "z" "i"), with a trailing "q" on the SMPS
 * variants of lines that have both.  The line gives DEV_ID, revisions, CPUID
 * and memory map (facts A.1, C; memory sizes from psdb's target files and
 * the CMSIS headers named in the facts sheet).
 *
 * Only the single-core 0x450 line (H742/H743/H750/H753) is modelled.  The
 * other lines are kept as data so that a scenario naming them is refused
 * with the reason, rather than half simulated.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "chip_h7_internal.h"

#define KIB 1024u

static const h7_ram_desc ram_450[H7_RAM_COUNT] = {
	[H7_ITCM] = { "itcm", 0x00000000u, 64 * KIB, true, false },
	[H7_DTCM] = { "dtcm", 0x20000000u, 128 * KIB, false, false },
	[H7_AXI_SRAM] = { "axi_sram", 0x24000000u, 512 * KIB, true, false },
	[H7_SRAM1] = { "sram1", 0x30000000u, 128 * KIB, true, false },
	[H7_SRAM2] = { "sram2", 0x30020000u, 128 * KIB, true, false },
	[H7_SRAM3] = { "sram3", 0x30040000u, 32 * KIB, true, false },
	[H7_SRAM4] = { "sram4", 0x38000000u, 64 * KIB, true, true },
	[H7_BKPSRAM] = { "backup_sram", 0x38800000u, 4 * KIB, true, true },
};

/* H72x/H73x default TCM/AXI split (the TCM_AXI_SHARED option can move 192 KiB): data only. */
static const h7_ram_desc ram_483[H7_RAM_COUNT] = {
	[H7_ITCM] = { "itcm", 0x00000000u, 64 * KIB, true, false },
	[H7_DTCM] = { "dtcm", 0x20000000u, 128 * KIB, false, false },
	[H7_AXI_SRAM] = { "axi_sram", 0x24000000u, 320 * KIB, true, false },
	[H7_SRAM1] = { "sram1", 0x30000000u, 16 * KIB, true, false },
	[H7_SRAM2] = { "sram2", 0x30004000u, 16 * KIB, true, false },
	[H7_SRAM3] = { "sram3", 0x30008000u, 0, true, false },
	[H7_SRAM4] = { "sram4", 0x38000000u, 16 * KIB, true, true },
	[H7_BKPSRAM] = { "backup_sram", 0x38800000u, 4 * KIB, true, true },
};

static const h7_ram_desc ram_480[H7_RAM_COUNT] = {
	[H7_ITCM] = { "itcm", 0x00000000u, 64 * KIB, true, false },
	[H7_DTCM] = { "dtcm", 0x20000000u, 128 * KIB, false, false },
	[H7_AXI_SRAM] = { "axi_sram", 0x24000000u, 1024 * KIB, true, false },
	[H7_SRAM1] = { "ahb_sram1", 0x30000000u, 64 * KIB, true, false },
	[H7_SRAM2] = { "ahb_sram2", 0x30010000u, 64 * KIB, true, false },
	[H7_SRAM3] = { "sram3", 0x30020000u, 0, true, false },
	[H7_SRAM4] = { "srd_sram", 0x38000000u, 32 * KIB, true, true },
	[H7_BKPSRAM] = { "backup_sram", 0x38800000u, 4 * KIB, true, true },
};

/* REV_IDs OpenOCD knows (facts A.1). */
static const h7_rev revs_450[] = {
	{ "A", 0x1000 }, { "Z", 0x1001 }, { "Y", 0x1003 }, { "X", 0x2001 }, { "V", 0x2003 },
};
static const h7_rev revs_483[] = { { "A", 0x1000 }, { "Z", 0x1001 } };
static const h7_rev revs_480[] = { { "A", 0x1000 } };

#define NREVS(r) (unsigned)(sizeof(r) / sizeof((r)[0]))

static const h7_line line_450 = {
	.dev_id = 0x450, .family = "STM32H742/H743/H750/H753", .ram = ram_450,
	.revs = revs_450, .nrevs = NREVS(revs_450), .default_rev = "V",
	.cpuid = 0x411FC271u, /* Cortex-M7 r1p1, observed on H753VI and H743ZI rev Y/V (facts C) */
	.sysmem_size = 128 * KIB, .uid_addr = 0x1FF1E800u, .flash_size_addr = 0x1FF1E880u,
	.not_modelled = NULL,
};

static const h7_line line_483 = {
	.dev_id = 0x483, .family = "STM32H72x/H73x", .ram = ram_483,
	.revs = revs_483, .nrevs = NREVS(revs_483), .default_rev = "Z",
	.cpuid = 0x411FC272u, /* r1p2 per CMSIS (facts C) */
	.sysmem_size = 128 * KIB, .uid_addr = 0x1FF1E800u, .flash_size_addr = 0x1FF1E880u,
	.not_modelled = "the H72x/H73x line (DEV_ID 0x483) is not modelled yet: TCM/AXI sharing, AP1 presence "
			"and the SMPS reset value of PWR_CR3 are UNCONFIRMED",
};

static const h7_line line_480 = {
	.dev_id = 0x480, .family = "STM32H7A3/H7B0/H7B3", .ram = ram_480,
	.revs = revs_480, .nrevs = NREVS(revs_480), .default_rev = "A",
	.cpuid = 0x411FC272u,
	.sysmem_size = 128 * KIB, .uid_addr = 0x08FFF800u, .flash_size_addr = 0x08FFF80Cu,
	.not_modelled = "the H7A3/H7B0/H7B3 line (DEV_ID 0x480) is not modelled yet: CD/SRD domains, "
			"the flash-size register in flash space and AP1 presence are not simulated",
};

typedef struct h7_family {
	const char *prefix;
	const h7_line *line;
	const char *packages;   /* package letters */
	const char *sizes;      /* flash-size letters */
	bool smps;
	bool q_variant;         /* also sold as an SMPS "Q" variant (name ends in q) */
	bool dual_core;
} h7_family;

static const char *const dual_core_reason =
	"dual-core STM32H745/H747/H755/H757 are not modelled yet: AP3 (Cortex-M4) and the BCM4/BCM7 "
	"boot gating would be half simulated";

static const h7_family families[] = {
	{ "stm32h742", &line_450, "vzaibx", "gi", false, false, false },
	{ "stm32h743", &line_450, "vzaibx", "gi", false, false, false },
	{ "stm32h750", &line_450, "vzix", "b", false, false, false },
	{ "stm32h753", &line_450, "vzaibx", "i", false, false, false },
	{ "stm32h723", &line_483, "vz", "eg", false, false, false },
	{ "stm32h725", &line_483, "airvz", "eg", true, false, false },
	{ "stm32h730", &line_483, "vzia", "b", false, true, false },
	{ "stm32h733", &line_483, "vz", "g", false, false, false },
	{ "stm32h735", &line_483, "airvz", "g", true, false, false },
	{ "stm32h7a3", &line_480, "ailrvz", "gi", false, true, false },
	{ "stm32h7b0", &line_480, "airvz", "b", false, true, false },
	{ "stm32h7b3", &line_480, "ailrvz", "i", false, true, false },
	{ "stm32h745", &line_450, "zbix", "gi", true, false, true },
	{ "stm32h747", &line_450, "abix", "gi", true, false, true },
	{ "stm32h755", &line_450, "zbix", "i", true, false, true },
	{ "stm32h757", &line_450, "abix", "i", true, false, true },
};

static unsigned size_letter_kib(char c)
{
	switch (c) {
	case 'b': return 128;
	case 'e': return 512;
	case 'g': return 1024;
	case 'i': return 2048;
	default: return 0;
	}
}

/* Parts are built on lookup: one slot per family is enough, a chip looks up one part. */
static h7_part part_slots[sizeof(families) / sizeof(families[0])];
static char part_names[sizeof(families) / sizeof(families[0])][24];

const h7_part *h7_part_find(const char *name)
{
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		const h7_family *f = &families[i];
		size_t plen = strlen(f->prefix), len = strlen(name);
		bool q = false;

		if (strncmp(name, f->prefix, plen) != 0 || len < plen + 2)
			continue;
		if (len == plen + 3 && name[len - 1] == 'q' && f->q_variant)
			q = true;
		else if (len != plen + 2)
			continue;
		if (!strchr(f->packages, name[plen]) || !strchr(f->sizes, name[plen + 1]))
			continue;
		snprintf(part_names[i], sizeof(part_names[i]), "%s", name);
		part_slots[i] = (h7_part){
			.name = part_names[i], .line = f->line, .flash_kib = size_letter_kib(name[plen + 1]),
			.smps = f->smps || q, .dual_core = f->dual_core,
			.not_modelled = f->dual_core ? dual_core_reason : f->line->not_modelled,
		};
		return &part_slots[i];
	}
	return NULL;
}

void h7_part_list(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]) && used < len; i++) {
		const h7_family *f = &families[i];
		int n = snprintf(buf + used, len - used, "%s%s[%s][%s]%s%s", i ? ", " : "", f->prefix, f->packages,
				 f->sizes, f->q_variant ? "[q]" : "",
				 (f->dual_core || f->line->not_modelled) ? " (refused: not modelled yet)" : "");

		if (n < 0)
			break;
		used += (size_t)n;
	}
}

const h7_rev *h7_rev_find(const h7_line *line, const char *name)
{
	for (unsigned i = 0; i < line->nrevs; i++) {
		if (strcasecmp(line->revs[i].name, name) == 0)
			return &line->revs[i];
	}
	return NULL;
}
