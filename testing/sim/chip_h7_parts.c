/*
 * STM32H7 part table.  A part name is a family prefix, a package letter and
 * a flash-size letter ("stm32h743" "z" "i"), with a trailing "q" on the SMPS
 * variants of lines that have both.  The line gives DEV_ID, revisions, CPUID,
 * memory map and system bootloader (facts A.1, A.5, A.6, C; memory sizes from
 * psdb's target files and the CMSIS headers named in the facts sheet).
 *
 * Every line is modelled: the single-core 0x450 parts (H742/H743/H750/H753),
 * the dual-core 0x450 parts (H745/H747/H755/H757: Cortex-M4 on AP3), the
 * 0x483 line (H723/H725/H730/H733/H735) and the 0x480 line (H7A3/H7B0/H7B3).
 *
 * System bootloader (ST AN2606 "STM32 microcontroller system memory boot
 * mode", a revision that covers the STM32H5E/U3, i.e. Rev 70 or later:
 * Table 3 "Embedded bootloaders", Tables 133-138):
 *   line   ID address   entry        versions (ID)                       word-writes PWR_CR3
 *   0x450  0x1FF1E7FE   0x1FF09800   V13.2 (D2) V13.3 (D3) V9.0 V9.1 V9.2  before 0x91
 *   0x483  0x1FF1E7FE   0x1FF09800   V9.1 V9.2 V9.3 (Table 3: 0x93)       before 0x93
 *   0x480  0x1FF13FFE   0x1FF0A000   V9.0 V9.1 V9.2 (Table 3: 0x92)       before 0x92
 * (Tables 134/138 give 0x483/0x480 versions as numbers only; their IDs are
 * taken as 0x91.. / 0x90.. by the V9.x <-> 0x9x rule of Table 136.)
 * Which revision ships which version: rev Y with 0xD2 and rev V with 0x90
 * (field report 003: "Chip version Y with bootloader version D2", "Chip
 * version V with bootloader version 90"; an STM32H743VIT6 rev V made in 2019
 * reports V9.0, community.st.com "STM32H7 ROM bootloader issue with factory
 * units").  Later rev V parts carry V9.1/V9.2 (qa-community.st.com "Process
 * Change Information (STM32H74x/75x - Microcontroller product - Bootloader
 * enhancement)": V9.1 -> V9.2; an H755 rev V in field report 001
 * reports "BL Version : 0x92"), hence the scenario key `bootloader.id`.
 * UNCONFIRMED defaults: rev A and Z of 0x450 (chosen 0xD2, the initial
 * version), rev X (chosen 0x90), 0x483 rev A (0x91, the initial version) and
 * rev Z (0x93, the current one), 0x480 rev A (0x92, the current one).  The
 * V13.x IDs are read from Table 136's "V13.2 (0xD2)" entries; that they also
 * write PWR_CR3 is UNCONFIRMED (Table 135 says only "fixed on the bootloader
 * with 0x91 version"; chosen: every version before it does).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "chip_h7_internal.h"

#define KIB 1024u
#define NELEM(a) (unsigned)(sizeof(a) / sizeof((a)[0]))

/* Both TCMs serve the M7's instruction side too (Cortex-M7 TRM, ARM DDI 0489, 5.1): OpenOCD runs its
 * flash loader from DTCM. */
static const h7_ram_desc ram_450[H7_RAM_COUNT] = {
	[H7_ITCM] = { "itcm", 0x00000000u, 64 * KIB, true, false },
	[H7_DTCM] = { "dtcm", 0x20000000u, 128 * KIB, true, false },
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
	[H7_DTCM] = { "dtcm", 0x20000000u, 128 * KIB, true, false },
	[H7_AXI_SRAM] = { "axi_sram", 0x24000000u, 320 * KIB, true, false },
	[H7_SRAM1] = { "sram1", 0x30000000u, 16 * KIB, true, false },
	[H7_SRAM2] = { "sram2", 0x30004000u, 16 * KIB, true, false },
	[H7_SRAM3] = { "sram3", 0x30008000u, 0, true, false },
	[H7_SRAM4] = { "sram4", 0x38000000u, 16 * KIB, true, true },
	[H7_BKPSRAM] = { "backup_sram", 0x38800000u, 4 * KIB, true, true },
};

static const h7_ram_desc ram_480[H7_RAM_COUNT] = {
	[H7_ITCM] = { "itcm", 0x00000000u, 64 * KIB, true, false },
	[H7_DTCM] = { "dtcm", 0x20000000u, 128 * KIB, true, false },
	[H7_AXI_SRAM] = { "axi_sram", 0x24000000u, 1024 * KIB, true, false },
	[H7_SRAM1] = { "ahb_sram1", 0x30000000u, 64 * KIB, true, false },
	[H7_SRAM2] = { "ahb_sram2", 0x30010000u, 64 * KIB, true, false },
	[H7_SRAM3] = { "sram3", 0x30020000u, 0, true, false },
	[H7_SRAM4] = { "srd_sram", 0x38000000u, 32 * KIB, true, true },
	[H7_BKPSRAM] = { "backup_sram", 0x38800000u, 4 * KIB, true, true },
};

/* REV_IDs OpenOCD knows (facts A.1) and the bootloader each ships with (see the top of this file). */
static const h7_rev revs_450[] = {
	{ "A", 0x1000, 0xD2 }, { "Z", 0x1001, 0xD2 }, { "Y", 0x1003, 0xD2 }, { "X", 0x2001, 0x90 },
	{ "V", 0x2003, 0x90 },
};
static const h7_rev revs_483[] = { { "A", 0x1000, 0x91 }, { "Z", 0x1001, 0x93 } };
static const h7_rev revs_480[] = { { "A", 0x1000, 0x92 } };

static const uint8_t bl_ids_450[] = { 0xD2, 0xD3, 0x90, 0x91, 0x92 };
static const uint8_t bl_locks_450[] = { 0xD2, 0xD3, 0x90 };
static const uint8_t bl_ids_483[] = { 0x91, 0x92, 0x93 };
static const uint8_t bl_locks_483[] = { 0x91, 0x92 };
static const uint8_t bl_ids_480[] = { 0x90, 0x91, 0x92 };
static const uint8_t bl_locks_480[] = { 0x90, 0x91 };

static const h7_bootloaders bl_450 = {
	0x1FF1E7FEu, 0x1FF09800u, bl_ids_450, NELEM(bl_ids_450), bl_locks_450, NELEM(bl_locks_450),
};
static const h7_bootloaders bl_483 = {
	0x1FF1E7FEu, 0x1FF09800u, bl_ids_483, NELEM(bl_ids_483), bl_locks_483, NELEM(bl_locks_483),
};
static const h7_bootloaders bl_480 = {
	0x1FF13FFEu, 0x1FF0A000u, bl_ids_480, NELEM(bl_ids_480), bl_locks_480, NELEM(bl_locks_480),
};

/*
 * AP1: present on 0x450 (observed on an H753, facts A.1) and on 0x483 (psdb's
 * STM32H72x/3x target requires APs 0, 1 and 2 with AP1 an AHB-AP).  On 0x480
 * its presence is UNCONFIRMED; chosen absent (IDR reads 0), the harder case
 * for a recovery tool that would count on the SRD AHB-AP.
 * SWO funnel: 0x450 only (stm32h7x.cfg comment citing RM0455/RM0468).
 * System memory: 128 KiB at 0x1FF00000 on every line (AN2606: 122 KB used by
 * the 0x450 bootloader, 128 KB on 0x483 and 0x480).
 */
static const h7_line line_450 = {
	.dev_id = 0x450, .family = "STM32H742/H743/H745/H747/H750/H753/H755/H757", .ram = ram_450,
	.revs = revs_450, .nrevs = NELEM(revs_450), .default_rev = "V",
	.cpuid = 0x411FC271u, /* Cortex-M7 r1p1, observed on H753VI and H743ZI rev Y/V (facts C) */
	.sysmem_size = 128 * KIB, .uid_addr = 0x1FF1E800u, .flash_size_addr = 0x1FF1E880u,
	.bootloaders = &bl_450, .has_ap1 = true, .has_swo_funnel = true,
};

static const h7_line line_483 = {
	.dev_id = 0x483, .family = "STM32H72x/H73x", .ram = ram_483,
	.revs = revs_483, .nrevs = NELEM(revs_483), .default_rev = "Z",
	.cpuid = 0x411FC272u, /* r1p2 per CMSIS (facts C) */
	.sysmem_size = 128 * KIB, .uid_addr = 0x1FF1E800u, .flash_size_addr = 0x1FF1E880u,
	.bootloaders = &bl_483, .has_ap1 = true, .has_swo_funnel = false,
};

/* UID and flash size sit in a device-information block at 0x08FFF800 (facts A.1). */
static const h7_line line_480 = {
	.dev_id = 0x480, .family = "STM32H7A3/H7B0/H7B3", .ram = ram_480,
	.revs = revs_480, .nrevs = NELEM(revs_480), .default_rev = "A",
	.cpuid = 0x411FC272u,
	.sysmem_size = 128 * KIB, .uid_addr = 0x08FFF800u, .flash_size_addr = 0x08FFF80Cu,
	.bootloaders = &bl_480, .has_ap1 = false, .has_swo_funnel = false,
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

/*
 * Which parts have the SMPS (and so the SMPS layout of PWR_CR3 and a
 * direct_smps default wiring): facts A.5 table, "SMPS parts (H745/47/55/57,
 * H725/35, H730xxQ, H7A3/B3/B0 "Q")".
 */
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
		int n = snprintf(buf + used, len - used, "%s%s[%s][%s]%s", i ? ", " : "", f->prefix, f->packages,
				 f->sizes, f->q_variant ? "[q]" : "");

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

static bool in_list(const uint8_t *ids, unsigned n, uint8_t id)
{
	for (unsigned i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

bool h7_bootloader_known(const h7_line *line, uint8_t id)
{
	return in_list(line->bootloaders->ids, line->bootloaders->nids, id);
}

bool h7_bootloader_locks_cr3(const h7_line *line, uint8_t id)
{
	return in_list(line->bootloaders->locks_cr3, line->bootloaders->nlocks, id);
}
