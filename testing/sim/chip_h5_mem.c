/*
 * STM32H5 memories other than the flash block's: SRAMs, system flash, the
 * device-information words, and RCC/PWR as plain register stores.
 *
 * SRAMs (chip_h5_parts.c for the sizes): seen at 0x2xxxxxxx (non-secure
 * alias) and 0x3xxxxxxx (secure alias), both reaching the same cells; which
 * transactions may use the secure alias is chip_h5_bus.c's business.  At
 * power-on they hold deterministic noise (as the H7's, chip_h7_mem.c; bit 0
 * of every word 0 so that noise never looks like a Thumb entry point).  A
 * system reset erases them according to OPTSR2_CUR: SRAM1_3_RST (bit 2) = 0
 * erases SRAM1 and SRAM3 (not an option of the H503, whose SRAM1 is kept),
 * SRAM2_RST (bit 3) = 0 erases SRAM2 (facts B.2 give
 * the bits; the "0 = erased on reset" polarity is that of ST's other
 * TrustZone parts, UNCONFIRMED for the H5).  An erased SRAM reads 0 (the
 * hardware erase writes zeros; UNCONFIRMED, chosen so that erased RAM can
 * never be mistaken for an erased flash vector table).  The GTZC/MPCBB
 * block security of SRAM is not modelled.
 *
 * System flash (0x0BF80000, secure alias 0x0FF80000; 32 KiB modelled,
 * UNCONFIRMED size): read-only, ST's boot ROM and bootloader on silicon.  The
 * simulator puts its own values where the boot logic looks: the
 * bootloader's vector table at 0x0BF80000 (BOOT0 high in Open) and the ROM's
 * at H5_ROM_VECTORS (the loop it idles in while in Provisioning, serving a
 * DA session or running a regression); the rest is deterministic noise.
 *
 * Device information (facts B.1): the 96-bit UID at 0x08FFF800, the flash
 * size in KiB (16 bits) at 0x08FFF80C, the package (16 bits) at 0x08FFF80E,
 * in a read-only block of 256 bytes whose other bytes read 0xFF.
 *
 * RCC (0x44020C00) and PWR (0x44020800), secure aliases +0x10000000: what is
 * written is stored and reported once as not modelled; back to 0 at every
 * system reset (their real reset values are not modelled).  The core needs
 * neither to start: it runs from the reset clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "chip_h5_internal.h"

#define SECURE_ALIAS   0x10000000u
#define RCC_NS         0x44020C00u
#define PWR_NS         0x44020800u
#define REGBLOCK_SIZE  0x400u
#define OPTSR2_CUR     0x70u
#define OPTSR2_SRAM1_3_RST (1u << 2)
#define OPTSR2_SRAM2_RST   (1u << 3)

/* Simulator's own values for the code in system flash: SP at the top of SRAM1 of the smallest line. */
#define ROM_SP         0x20004000u
#define BOOTLOADER_ENTRY (H5_BOOTLOADER_VECTORS + 0x200u)
#define ROM_ENTRY        (H5_ROM_VECTORS + 0x200u)

/* UID words (96 bits): arbitrary but fixed, so that runs compare. */
static const uint32_t uid_words[3] = { 0x00390041u, 0x3133510Bu, 0x35343638u };

static uint32_t noise(uint32_t addr)
{
	uint32_t x = addr * 0x9E3779B1u;

	x ^= x >> 15;
	x *= 0x85EBCA77u;
	x ^= x >> 13;
	return x & ~1u;
}

static void fill_noise(uint8_t *mem, uint32_t base, uint32_t size)
{
	for (uint32_t off = 0; off + 4u <= size; off += 4u) {
		uint32_t w = noise(base + off);

		memcpy(mem + off, &w, 4);
	}
}

static void put32(uint8_t *mem, uint32_t off, uint32_t v)
{
	memcpy(mem + off, &v, 4); /* little-endian host, like the target */
}

static void put16(uint8_t *mem, uint32_t off, uint16_t v)
{
	memcpy(mem + off, &v, 2);
}

static void build_rom_contents(h5_chip *chip)
{
	fill_noise(chip->sysflash, H5_SYSFLASH_NS, H5_SYSFLASH_SIZE);
	put32(chip->sysflash, H5_BOOTLOADER_VECTORS - H5_SYSFLASH_NS, ROM_SP);
	put32(chip->sysflash, H5_BOOTLOADER_VECTORS - H5_SYSFLASH_NS + 4u, BOOTLOADER_ENTRY | 1u);
	put32(chip->sysflash, H5_ROM_VECTORS - H5_SYSFLASH_NS, ROM_SP);
	put32(chip->sysflash, H5_ROM_VECTORS - H5_SYSFLASH_NS + 4u, ROM_ENTRY | 1u);

	memset(chip->devinfo, 0xFF, sizeof(chip->devinfo));
	for (unsigned i = 0; i < 3; i++)
		put32(chip->devinfo, H5_UID_ADDR - H5_DEVINFO_BASE + 4u * i, uid_words[i]);
	put16(chip->devinfo, 0x0Cu, (uint16_t)chip->part->flash_kib);
	put16(chip->devinfo, 0x0Eu, chip->part->package);
}

int h5_mem_create(h5_chip *chip, char *err, size_t errlen)
{
	const h5_ram_desc *ram = chip->part->line->ram;

	for (unsigned i = 0; i < H5_RAM_COUNT; i++) {
		if (ram[i].size == 0)
			continue;
		chip->ram[i] = malloc(ram[i].size);
		if (!chip->ram[i]) {
			snprintf(err, errlen, "h5_mem_create: out of memory for %s", ram[i].name);
			return -1;
		}
	}
	chip->sysflash = malloc(H5_SYSFLASH_SIZE);
	if (!chip->sysflash) {
		snprintf(err, errlen, "h5_mem_create: out of memory for system flash");
		return -1;
	}
	build_rom_contents(chip);
	return 0;
}

void h5_mem_destroy(h5_chip *chip)
{
	for (unsigned i = 0; i < H5_RAM_COUNT; i++)
		free(chip->ram[i]);
	free(chip->sysflash);
}

static void sysctl_reset(h5_chip *chip)
{
	memset(chip->rcc, 0, sizeof(chip->rcc));
	memset(chip->pwr, 0, sizeof(chip->pwr));
	chip->rcc_logged = chip->pwr_logged = false;
}

void h5_mem_power_on(h5_chip *chip)
{
	const h5_ram_desc *ram = chip->part->line->ram;

	for (unsigned i = 0; i < H5_RAM_COUNT; i++)
		if (chip->ram[i])
			fill_noise(chip->ram[i], ram[i].base, ram[i].size);
	sysctl_reset(chip);
}

static void erase_ram(h5_chip *chip, h5_ram_id id)
{
	if (chip->ram[id])
		memset(chip->ram[id], 0, chip->part->line->ram[id].size);
}

void h5_mem_erase_srams(h5_chip *chip)
{
	for (unsigned i = 0; i < H5_RAM_COUNT; i++)
		erase_ram(chip, (h5_ram_id)i);
}

void h5_mem_system_reset(h5_chip *chip)
{
	uint32_t optsr2 = OPTSR2_SRAM1_3_RST | OPTSR2_SRAM2_RST;

	if (flash_h5_reg_read(chip->flash, false, true, OPTSR2_CUR, &optsr2) != SIM_BUS_OK)
		optsr2 = OPTSR2_SRAM1_3_RST | OPTSR2_SRAM2_RST; /* unreadable: keep the content */
	if (chip->part->line->sram1_3_rst && !(optsr2 & OPTSR2_SRAM1_3_RST)) {
		erase_ram(chip, H5_SRAM1);
		erase_ram(chip, H5_SRAM3);
	}
	if (!(optsr2 & OPTSR2_SRAM2_RST))
		erase_ram(chip, H5_SRAM2);
	sysctl_reset(chip);
}

const h5_ram_desc *h5_ram_region(const h5_chip *chip, uint32_t addr, h5_ram_id *id, uint32_t *off,
				 bool *secure_alias)
{
	const h5_ram_desc *ram = chip->part->line->ram;

	*secure_alias = addr - (ram[H5_SRAM1].base + SECURE_ALIAS) < SECURE_ALIAS;
	if (*secure_alias)
		addr -= SECURE_ALIAS;
	for (unsigned i = 0; i < H5_RAM_COUNT; i++) {
		if (ram[i].size && addr >= ram[i].base && addr - ram[i].base < ram[i].size) {
			*id = (h5_ram_id)i;
			*off = addr - ram[i].base;
			return &ram[i];
		}
	}
	return NULL;
}

void h5_ram_access(h5_chip *chip, h5_ram_id id, bool write, uint32_t off, unsigned size, uint32_t *value)
{
	uint32_t v = 0;

	if (write) {
		memcpy(chip->ram[id] + off, value, size);
		return;
	}
	memcpy(&v, chip->ram[id] + off, size);
	*value = v;
}

bool h5_sysflash_contains(uint32_t addr, uint32_t *off, bool *secure_alias)
{
	*secure_alias = addr - H5_SYSFLASH_S < H5_SYSFLASH_SIZE;
	if (*secure_alias) {
		*off = addr - H5_SYSFLASH_S;
		return true;
	}
	*off = addr - H5_SYSFLASH_NS;
	return *off < H5_SYSFLASH_SIZE;
}

void h5_sysflash_read(const h5_chip *chip, uint32_t off, unsigned size, uint32_t *value)
{
	uint32_t v = 0;

	memcpy(&v, chip->sysflash + off, size);
	*value = v;
}

bool h5_devinfo_contains(uint32_t addr)
{
	return addr - H5_DEVINFO_BASE < H5_DEVINFO_SIZE;
}

void h5_devinfo_read(const h5_chip *chip, uint32_t addr, unsigned size, uint32_t *value)
{
	uint32_t v = 0;

	memcpy(&v, chip->devinfo + (addr - H5_DEVINFO_BASE), size);
	*value = v;
}

void h5_uid_bytes(const h5_chip *chip, uint8_t out[12])
{
	memcpy(out, chip->devinfo + (H5_UID_ADDR - H5_DEVINFO_BASE), 12);
}

static sim_bus_result plain_block(uint32_t *regs, bool *logged, const char *name, bool write, uint32_t off,
				  unsigned size, uint32_t *value)
{
	uint32_t *w = &regs[off / 4u];

	if (!write) {
		*value = word_lane_extract(*w, off, size);
		return SIM_BUS_OK;
	}
	*w = word_lane_merge(*w, off, size, *value);
	if (!*logged) {
		*logged = true;
		sim_log_unimplemented("%s: +0x%03x = 0x%08x stored, behaviour not modelled", name,
				      (unsigned)(off & ~3u), (unsigned)*w);
	}
	return SIM_BUS_OK;
}

bool h5_sysctl_access(h5_chip *chip, bool write, uint32_t addr, unsigned size, uint32_t *value)
{
	uint32_t a = addr & ~SECURE_ALIAS;

	if (a - RCC_NS < REGBLOCK_SIZE && (addr & 0xE0000000u) == 0x40000000u)
		plain_block(chip->rcc, &chip->rcc_logged, "rcc", write, a - RCC_NS, size, value);
	else if (a - PWR_NS < REGBLOCK_SIZE && (addr & 0xE0000000u) == 0x40000000u)
		plain_block(chip->pwr, &chip->pwr_logged, "pwr", write, a - PWR_NS, size, value);
	else
		return false;
	return true;
}

static void sha256_hex(const uint8_t *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32) {
		snprintf(out, 65, "error");
		return;
	}
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

void h5_mem_write_json(const h5_chip *chip, json_out *j)
{
	const h5_ram_desc *ram = chip->part->line->ram;
	char hex[65];

	json_begin_object(j, "sram_sha256");
	for (unsigned i = 0; i < H5_RAM_COUNT; i++) {
		if (!chip->ram[i])
			continue;
		sha256_hex(chip->ram[i], ram[i].size, hex);
		json_string(j, ram[i].name, hex);
	}
	json_end_object(j);
}
