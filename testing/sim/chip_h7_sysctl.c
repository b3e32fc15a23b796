/*
 * RCC (0x58024400) and SYSCFG (0x58000400) as far as the simulated chip
 * needs them: the registers that start and describe the cores of the
 * dual-core parts (facts A.6, CMSIS stm32h745xx.h):
 *
 *   RCC_GCR   +0xA0  WW1RSC 0, WW2RSC 1 (stored), BOOT_C1 2 (release the
 *                    Cortex-M7), BOOT_C2 3 (release the Cortex-M4).  A core
 *                    whose BCMx option bit is 0 keeps its clock gated after a
 *                    reset until software sets its BOOT_Cx bit; the bits are
 *                    set-only until the next system reset (writing 0 does not
 *                    stop a running core: UNCONFIRMED, the RM was not
 *                    readable; HAL only ever sets them).  RCC is in D3, so a
 *                    debugger can reach RCC_GCR through AP1 even with both
 *                    cores gated (psdb's STM32H745 target says as much).
 *   SYSCFG_UR1 +0x304 read-only copy of the option bytes loaded at the last
 *                    reset: BCM4 bit 0, BCM7 bit 16.
 *
 * Both are dual-core registers; on single-core parts these offsets, like
 * every other RCC/SYSCFG register, store what is written and have no
 * behaviour (reported once as unimplemented).  RCC and SYSCFG restart from 0
 * at every system reset (their real reset values are not modelled).
 */
#include <string.h>

#include "chip_h7_internal.h"

#define RCC_GCR        0xA0u
#define RCC_GCR_BOOT_C1 (1u << 2)
#define RCC_GCR_BOOT_C2 (1u << 3)
#define RCC_GCR_DUAL_MASK 0x0Fu
#define SYSCFG_UR1     0x304u

void chip_sysctl_reset(sim_chip *chip)
{
	memset(chip->rcc, 0, sizeof(chip->rcc));
	memset(chip->syscfg, 0, sizeof(chip->syscfg));
	chip->rcc_logged = chip->syscfg_logged = false;
}

/* Registers stored, behaviour not modelled. */
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

static void gcr_write(sim_chip *chip, uint32_t value)
{
	uint32_t *gcr = &chip->rcc[RCC_GCR / 4u];
	uint32_t newly = value & ~*gcr & (RCC_GCR_BOOT_C1 | RCC_GCR_BOOT_C2);

	/* WW1RSC/WW2RSC follow the write; BOOT_Cx only ever go from 0 to 1. */
	*gcr = (*gcr & (RCC_GCR_BOOT_C1 | RCC_GCR_BOOT_C2)) | (value & RCC_GCR_DUAL_MASK);
	if (newly & RCC_GCR_BOOT_C1)
		chip_cpu_release_gate(chip, H7_CM7);
	if (newly & RCC_GCR_BOOT_C2)
		chip_cpu_release_gate(chip, H7_CM4);
}

sim_bus_result chip_rcc_access(sim_chip *chip, bool write, uint32_t off, unsigned size, uint32_t *value)
{
	if (!chip->part->dual_core || (off & ~3u) != RCC_GCR)
		return plain_block(chip->rcc, &chip->rcc_logged, "rcc", write, off, size, value);
	if (!write) {
		*value = word_lane_extract(chip->rcc[RCC_GCR / 4u], off, size);
		return SIM_BUS_OK;
	}
	gcr_write(chip, word_lane_merge(chip->rcc[RCC_GCR / 4u], off, size, *value));
	return SIM_BUS_OK;
}

sim_bus_result chip_syscfg_access(sim_chip *chip, bool write, uint32_t off, unsigned size, uint32_t *value)
{
	if (!chip->part->dual_core || (off & ~3u) != SYSCFG_UR1)
		return plain_block(chip->syscfg, &chip->syscfg_logged, "syscfg", write, off, size, value);
	if (write) {
		sim_log_guest_error("syscfg: write 0x%08x to read-only SYSCFG_UR1", (unsigned)*value);
		return SIM_BUS_OK;
	}
	*value = word_lane_extract(chip->ur1, off, size);
	return SIM_BUS_OK;
}
