/*
 * CoreSight identification block (the last words of every 4 KiB debug
 * component) and a "plain" component that answers its identification and
 * keeps whatever is written to its other registers.
 *
 * Layout (CoreSight architecture, ADIv5.2 appendix "Component and Peripheral
 * ID registers"): DEVARCH 0xFBC, DEVID 0xFC8, DEVTYPE 0xFCC, PIDR4..7
 * 0xFD0..0xFDC, PIDR0..3 0xFE0..0xFEC, CIDR0..3 0xFF0..0xFFC, one byte per
 * word.  LAR 0xFB0 / LSR 0xFB4: accesses from the external debugger are not
 * subject to the software lock, so LSR reads 0 (lock not implemented for this
 * access) and LAR writes are accepted and have no effect.
 *
 * The plain component is used for blocks whose registers OpenOCD may touch
 * but whose behaviour the simulator does not model (ETM, CTI, SWO, SWTF,
 * TPIU): storing is honest, the behaviour is reported as unimplemented.
 */
#ifndef STM32SIM_CORESIGHT_ID_H
#define STM32SIM_CORESIGHT_ID_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"

#define CS_CIDR_ROM_TABLE 0xB105100Du  /* class 0x1 */
#define CS_CIDR_CORESIGHT 0xB105900Du  /* class 0x9 */
#define CS_CIDR_GENERIC   0xB105E00Du  /* class 0xE: Armv7-M SCS, DWT, FPB, ITM */
#define CS_CIDR_PRIMECELL 0xB105F00Du  /* class 0xF */

#define CS_COMPONENT_SIZE 0x1000u
#define CS_ID_BLOCK_START 0xFB0u

/*
 * `pidr` packs PIDR4 in bits [39:32] and PIDR3..PIDR0 in bits [31:0], the way
 * tools print it ("PID 000BB00C" with PIDR4 = 0x04 for Arm, 0x00 for ST).
 */
typedef struct cs_ident {
	uint32_t cidr;
	uint64_t pidr;
	uint32_t devtype;
	uint32_t devarch;
} cs_ident;

/*
 * Answer a read of the identification block at `offset` (0xFB0..0xFFC).
 * Returns false when the offset is below the block (the caller's register).
 */
bool cs_ident_read(const cs_ident *id, uint32_t offset, uint32_t *value);

/* Words of a plain component below the identification block. */
#define CS_PLAIN_WORDS (CS_ID_BLOCK_START / 4u)

typedef struct cs_plain {
	const char *name;
	cs_ident id;
	uint32_t regs[CS_PLAIN_WORDS];
	bool write_logged;  /* report "not modelled" once per power-on, not per word */
} cs_plain;

void cs_plain_init(cs_plain *c, const char *name, const cs_ident *id);
/* Power-on: every register back to 0. */
void cs_plain_reset(cs_plain *c);
sim_bus_result cs_plain_read(cs_plain *c, uint32_t offset, uint32_t *value);
sim_bus_result cs_plain_write(cs_plain *c, uint32_t offset, uint32_t value);

/*
 * Sub-word accesses to blocks of 32-bit registers: a byte or halfword access
 * reads (or read-modify-writes) the aligned word and uses its lanes.
 */
static inline uint32_t word_lane_extract(uint32_t word, uint32_t addr, unsigned size)
{
	unsigned shift = (addr & 3u) * 8u;

	if (size >= 4)
		return word;
	return (word >> shift) & (size == 1 ? 0xFFu : 0xFFFFu);
}

static inline uint32_t word_lane_merge(uint32_t word, uint32_t addr, unsigned size, uint32_t value)
{
	unsigned shift = (addr & 3u) * 8u;
	uint32_t mask;

	if (size >= 4)
		return value;
	mask = (size == 1 ? 0xFFu : 0xFFFFu) << shift;
	return (word & ~mask) | ((value << shift) & mask);
}

#endif
