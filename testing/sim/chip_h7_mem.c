/*
 * STM32H7 memories: the SRAMs, system memory and the device-information
 * words (unique ID, flash size), facts A.1.
 *
 * SRAM content at power-on is deterministic noise (see power_on_pattern);
 * SRAMs keep their content across system resets.
 *
 * System memory (128 KiB at 0x1FF00000, read-only) holds, on silicon, ST's
 * system bootloader.  Its code is not reproduced: the simulator puts its own
 * values where a debugger or the boot logic looks:
 *  - a vector table at 0x1FF00000, the BOOT_ADD1 / BOOT_CM7_ADD1 factory
 *    boot address (SP in AXI SRAM, a Thumb entry point in system memory);
 *  - a second one at the bootloader's "start address" (AN2606: 0x1FF09800
 *    on 0x450/0x483, 0x1FF0A000 on 0x480), which firmware that jumps into
 *    the bootloader reads;
 *  - the bootloader ID byte (AN2606 Table 3: 0x1FF1E7FE on 0x450/0x483,
 *    0x1FF13FFE on 0x480), e.g. 0x90 for V9.0;
 *  - on 0x450/0x483 the 96-bit unique ID at 0x1FF1E800 and the 16-bit flash
 *    size in KiB at 0x1FF1E880.
 * On 0x480 the unique ID (0x08FFF800) and the flash size (0x08FFF80C) are in a
 * separate read-only block; the rest of that 256-byte block reads 0xFF.
 * The rest of system memory reads as deterministic noise.
 *
 * Dual-core parts: SRAM1..SRAM3 are also seen at 0x10000000 (psdb's
 * STM32H745/47/55/57 target: "SRAM1 ID" 0x10000000, "SRAM2 ID" 0x10020000,
 * "SRAM3 ID" 0x10040000 on both AP0 and AP3); the Cortex-M4's factory
 * BOOT_CM4_ADD1 (0x1000, facts A.4) points there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chip_h7_internal.h"

#define SYSMEM_BASE    0x1FF00000u
#define SYSMEM_WINDOW  0x00020000u
#define DEVINFO_SIZE   0x100u
#define SRAM_ALIAS_BASE 0x10000000u
#define SRAM_ALIAS_SIZE 0x00048000u /* SRAM1 + SRAM2 + SRAM3 of the 0x450 line */
#define SRAM_D2_BASE    0x30000000u

/*
 * The vectors the simulator puts in system memory: an SP in AXI SRAM and a
 * Thumb entry point 0x200 bytes into the bootloader (simulator's own values).
 */
#define BOOTLOADER_SP 0x24010000u
#define BOOTLOADER_CODE_OFFSET 0x200u

/* UID words (96 bits): arbitrary but fixed, so that runs compare. */
static const uint32_t uid_words[3] = { 0x00480031u, 0x3331510Fu, 0x31383739u };

/*
 * SRAM content at power-on: deterministic noise.  Bit 0 of every word is 0 so
 * that a vector table read from uninitialised RAM never yields a Thumb entry
 * point (booting from it locks the core up instead of "running" noise).
 */
static uint32_t power_on_pattern(uint32_t addr)
{
	uint32_t x = addr * 0x9E3779B1u;

	x ^= x >> 15;
	x *= 0x85EBCA77u;
	x ^= x >> 13;
	return x & ~1u;
}

static void fill_pattern(uint8_t *mem, uint32_t base, uint32_t size)
{
	for (uint32_t off = 0; off + 4u <= size; off += 4u) {
		uint32_t w = power_on_pattern(base + off);

		memcpy(mem + off, &w, 4);
	}
}

static void put32(uint8_t *mem, uint32_t off, uint32_t v)
{
	memcpy(mem + off, &v, 4); /* the simulator runs on little-endian hosts, like the target */
}

/* UID and flash size into `mem`, which starts at `base` and covers both addresses. */
static void put_device_info(const sim_chip *chip, uint8_t *mem, uint32_t base)
{
	const h7_line *line = chip->part->line;

	for (unsigned i = 0; i < 3; i++)
		put32(mem, line->uid_addr - base + 4u * i, uid_words[i]);
	/* Flash size in KiB, 16 bits (facts A.1); the upper half reads as unprogrammed. */
	put32(mem, line->flash_size_addr - base, 0xFFFF0000u | chip->part->flash_kib);
}

static void build_system_memory(sim_chip *chip)
{
	const h7_line *line = chip->part->line;
	const h7_bootloaders *bl = line->bootloaders;
	uint32_t entry_off = bl->entry - SYSMEM_BASE;
	uint32_t code = (bl->entry + BOOTLOADER_CODE_OFFSET) | 1u;

	fill_pattern(chip->sysmem, SYSMEM_BASE, line->sysmem_size);
	put32(chip->sysmem, 0, BOOTLOADER_SP);
	put32(chip->sysmem, 4, code);
	put32(chip->sysmem, entry_off, BOOTLOADER_SP);
	put32(chip->sysmem, entry_off + 4u, code);
	chip->sysmem[bl->id_addr - SYSMEM_BASE] = chip->bootloader_id;
	if (chip_is_system_memory(line->uid_addr)) {
		put_device_info(chip, chip->sysmem, SYSMEM_BASE);
		return;
	}
	chip->devinfo_base = line->uid_addr & ~(DEVINFO_SIZE - 1u);
	memset(chip->devinfo, 0xFF, DEVINFO_SIZE);
	put_device_info(chip, chip->devinfo, chip->devinfo_base);
}

int chip_mem_create(sim_chip *chip, char *err, size_t errlen)
{
	const h7_line *line = chip->part->line;

	for (unsigned i = 0; i < H7_RAM_COUNT; i++) {
		if (line->ram[i].size == 0)
			continue;
		chip->ram[i] = malloc(line->ram[i].size);
		if (!chip->ram[i]) {
			snprintf(err, errlen, "out of memory for %s", line->ram[i].name);
			return -1;
		}
	}
	chip->sysmem = malloc(line->sysmem_size);
	chip->devinfo = chip_is_system_memory(line->uid_addr) ? NULL : malloc(DEVINFO_SIZE);
	if (!chip->sysmem || (!chip_is_system_memory(line->uid_addr) && !chip->devinfo)) {
		snprintf(err, errlen, "out of memory for system memory");
		return -1;
	}
	build_system_memory(chip);
	return 0;
}

void chip_mem_destroy(sim_chip *chip)
{
	for (unsigned i = 0; i < H7_RAM_COUNT; i++)
		free(chip->ram[i]);
	free(chip->sysmem);
	free(chip->devinfo);
}

void chip_mem_power_on(sim_chip *chip)
{
	const h7_line *line = chip->part->line;

	for (unsigned i = 0; i < H7_RAM_COUNT; i++)
		if (chip->ram[i])
			fill_pattern(chip->ram[i], line->ram[i].base, line->ram[i].size);
}

bool chip_is_system_memory(uint32_t addr)
{
	return addr >= SYSMEM_BASE && addr - SYSMEM_BASE < SYSMEM_WINDOW;
}

static bool in_region(const h7_ram_desc *r, uint32_t addr)
{
	return r->size && addr >= r->base && addr - r->base < r->size;
}

/* A running core reads and fetches from one or two regions: the last one found is tried first. */
const h7_ram_desc *chip_ram_region(sim_chip *chip, uint32_t *addr, h7_ram_id *id)
{
	const h7_line *line = chip->part->line;

	if (chip->part->dual_core && *addr >= SRAM_ALIAS_BASE && *addr - SRAM_ALIAS_BASE < SRAM_ALIAS_SIZE)
		*addr = SRAM_D2_BASE + (*addr - SRAM_ALIAS_BASE);
	if (in_region(&line->ram[chip->ram_hint], *addr)) {
		*id = chip->ram_hint;
		return &line->ram[chip->ram_hint];
	}
	for (unsigned i = 0; i < H7_RAM_COUNT; i++) {
		if (in_region(&line->ram[i], *addr)) {
			*id = chip->ram_hint = (h7_ram_id)i;
			return &line->ram[i];
		}
	}
	return NULL;
}

void chip_ram_access(sim_chip *chip, h7_ram_id id, bool write, uint32_t off, unsigned size, uint32_t *value)
{
	uint32_t v = 0;

	if (size == 4) { /* the common case, without a variable-length copy */
		if (write)
			memcpy(chip->ram[id] + off, value, 4);
		else
			memcpy(value, chip->ram[id] + off, 4);
		return;
	}
	if (write) {
		memcpy(chip->ram[id] + off, value, size);
		return;
	}
	memcpy(&v, chip->ram[id] + off, size);
	*value = v;
}

bool chip_rom_contains(const sim_chip *chip, uint32_t addr)
{
	if (chip_is_system_memory(addr))
		return addr - SYSMEM_BASE < chip->part->line->sysmem_size;
	return chip->devinfo && addr >= chip->devinfo_base && addr - chip->devinfo_base < DEVINFO_SIZE;
}

bool chip_rom_read(sim_chip *chip, uint32_t addr, unsigned size, uint32_t *value)
{
	uint32_t v = 0;

	if (!chip_rom_contains(chip, addr))
		return false;
	if (chip_is_system_memory(addr))
		memcpy(&v, chip->sysmem + (addr - SYSMEM_BASE), size);
	else
		memcpy(&v, chip->devinfo + (addr - chip->devinfo_base), size);
	*value = v;
	return true;
}
