/*
 * The cores of the simulated STM32H7: the Cortex-M7 on every part (AP0) and,
 * on the dual-core H745/H747/H755/H757, the Cortex-M4 (AP3, CPUID
 * 0x410FC241, facts A.6 and C).
 *
 * Boot (facts A.6): at the end of every system reset the option bytes load;
 * each core whose BCMx bit (OPTSR bit 23 BCM7, bit 22 BCM4) is 1 fetches its
 * vectors from its boot address (BOOT_CM7_ADD0/1, BOOT_CM4_ADD0/1, the BOOT0
 * pin choosing ADD0 or ADD1).  A core whose bit is 0 has its clock gated: it
 * does not run, and its AHB-AP faults every access, IDR included ("Failed to
 * read DAP register for AP 0" with BCM7 = 0; field report 001: only AP3
 * answers; psdb's H745 target notes the AP is there but cannot be probed).
 * Software (the other
 * core, or a debugger through AP1/AP3) releases it by setting RCC_GCR.BOOT_C1
 * (M7) or BOOT_C2 (M4), chip_h7_sysctl.c.  BCM4 = BCM7 = 0 is UNCONFIRMED
 * (facts A.6; psdb claims the M7 boots anyway): chosen the harder behaviour,
 * both cores stay gated and only AP1/AP2 answer.
 *
 * Which core runs the scenario's firmware script: a core runs it when the
 * vectors at its boot address are the image the scenario loaded (recorded
 * at the BOOT0 = 0 boot address of the first booting core, chip_h7_build.c),
 * and the other core is not already running it.  With the factory boot
 * addresses that is the Cortex-M7 (0x08000000); with BCM7 = 0 it is the
 * Cortex-M4 if its boot address holds that image (BOOT_CM4_ADD0 = 0x0800).
 * Otherwise a core runs an idle firmware, the system bootloader (Cortex-M7
 * only, BOOT0 high) or nothing (lockup on erased vectors).
 *
 * The system bootloader: keeps debug alive and leaves the supply
 * configuration alone, but the versions AN2606 lists as writing PWR_CR3 with
 * a 32-bit store lock its write-once configuration until power-off
 * (pwr_h7_write_back_cr3, chip_h7_parts.c for which versions).
 */
#include <stdio.h>

#include "chip_h7_internal.h"

#define CPUID_CORTEX_M4_R0P1 0x410FC241u /* facts C */
#define OPTSR_BCM4 (1u << 22)
#define OPTSR_BCM7 (1u << 23)
#define UR1_BCM4   (1u << 0)
#define UR1_BCM7   (1u << 16)

/* ------------------------------------------------------------ hooks -- */

static void hook_sysresetreq(void *ctx)
{
	h7_cpu *c = ctx;
	sim_chip *chip = c->chip;

	sim_log_info("chip: SYSRESETREQ from the %s", c->id == H7_CM7 ? "Cortex-M7" : "Cortex-M4");
	if (chip->srst)
		return; /* NRST already holds the system in reset */
	chip_system_reset_assert(chip);
	chip_system_reset_release(chip);
}

static uint32_t boot_address(const sim_chip *chip, h7_cpu_id id)
{
	return flash_h7_boot_address(chip->flash, id == H7_CM7 ? 0 : 1, chip->boot0);
}

/* Only the Cortex-M7 can run the system bootloader: the M4 cannot even read system memory. */
static void release_core(sim_chip *chip, h7_cpu *c, uint32_t boot)
{
	core_h7_reset_release(&c->core, boot, c->id == H7_CM7 && chip_is_system_memory(boot), chip->now);
}

static void hook_vectreset(void *ctx)
{
	h7_cpu *c = ctx;
	bool pins_gpio = c->core.pins_gpio;

	/* Core-only reset: peripherals (and the pin muxing) are untouched. */
	core_h7_reset_enter(&c->core);
	c->core.pins_gpio = pins_gpio;
	release_core(c->chip, c, boot_address(c->chip, c->id));
}

static void hook_step(void *ctx)
{
	h7_cpu *c = ctx;

	core_h7_run(&c->core, 1);
}

static bool hook_domain_up(void *ctx)
{
	const sim_chip *chip = ctx;

	return chip->powered && !chip->supply_lockout;
}

static bool hook_may_run_script(void *ctx, const core_h7 *core)
{
	const sim_chip *chip = ctx;

	for (unsigned i = 0; i < H7_CPU_COUNT; i++) {
		const h7_cpu *other = &chip->cpu[i];

		if (other->present && &other->core != core && other->core.program == CORE_PROG_SCRIPT)
			return false;
	}
	return true;
}

/* ------------------------------------------------------------ build -- */

void chip_cpus_init(sim_chip *chip)
{
	static const char *const names[H7_CPU_COUNT] = { "cm7", "cm4" };

	for (unsigned i = 0; i < H7_CPU_COUNT; i++) {
		h7_cpu *c = &chip->cpu[i];
		cortexm_dbg_config cc = { i == H7_CM7 ? chip->part->line->cpuid : CPUID_CORTEX_M4_R0P1,
					  chip->part->line->dev_id };
		cortexm_dbg_hooks ch = { hook_sysresetreq, hook_vectreset, hook_step, c };
		core_h7_env env = {
			.bus = chip_core_bus(chip, (h7_cpu_id)i),
			.executable = i == H7_CM7 ? chip_executable_cm7 : chip_executable_cm4,
			.domain_up = hook_domain_up, .ctx = chip,
			.may_run_script = hook_may_run_script, .name = names[i],
			.bus_stalled_until = chip_bus_stalled_until,
			.ram_window = i == H7_CM7 ? chip_ram_window_cm7 : chip_ram_window_cm4,
		};

		c->chip = chip;
		c->id = (h7_cpu_id)i;
		c->present = i == H7_CM7 || chip->part->dual_core;
		c->gated = false;
		cortexm_dbg_init(&c->dbg, &cc, &ch);
		core_h7_init(&c->core, &c->dbg, &env, &chip->script);
	}
}

/* ------------------------------------------------------- power/reset -- */

/*
 * The gates follow the option bytes as loaded at the last reset.  While NRST
 * holds a freshly powered chip the gates are already those of the stored
 * BCM bits: UNCONFIRMED, chosen because it is the harder case (connecting
 * under reset does not open AP0 of a part with BCM7 = 0).
 */
static void load_gates(sim_chip *chip)
{
	uint32_t optsr = flash_h7_optsr_cur(chip->flash);

	chip->ur1 = 0;
	if (!chip->part->dual_core)
		return;
	chip->ur1 = ((optsr & OPTSR_BCM4) ? UR1_BCM4 : 0) | ((optsr & OPTSR_BCM7) ? UR1_BCM7 : 0);
	chip->cpu[H7_CM7].gated = !(optsr & OPTSR_BCM7);
	chip->cpu[H7_CM4].gated = !(optsr & OPTSR_BCM4);
}

void chip_cpus_power_on(sim_chip *chip)
{
	for (unsigned i = 0; i < H7_CPU_COUNT; i++) {
		h7_cpu *c = &chip->cpu[i];

		cortexm_dbg_power_on(&c->dbg);
		core_h7_reset_enter(&c->core);
		core_h7_skip_to(&c->core, chip->now);
	}
	load_gates(chip);
}

void chip_cpus_reset_enter(sim_chip *chip)
{
	for (unsigned i = 0; i < H7_CPU_COUNT; i++)
		if (chip->cpu[i].present)
			core_h7_reset_enter(&chip->cpu[i].core);
}

static void boot_cpu(sim_chip *chip, h7_cpu *c)
{
	uint32_t boot = boot_address(chip, c->id);

	if (!flash_h7_is_mem(chip->flash, boot))
		chip->booted_non_flash = true; /* RDP level 1: boot from RAM/system memory is an intrusion */
	chip_update_intrusion(chip);
	release_core(chip, c, boot);
	if (c->core.program == CORE_PROG_BOOTLOADER &&
	    h7_bootloader_locks_cr3(chip->part->line, chip->bootloader_id)) {
		sim_log_info("chip: system bootloader 0x%02x stores PWR_CR3 as a word (AN2606)",
			     (unsigned)chip->bootloader_id);
		pwr_h7_write_back_cr3(&chip->pwr);
	}
}

void chip_cpus_reset_release(sim_chip *chip)
{
	load_gates(chip);
	for (unsigned i = 0; i < H7_CPU_COUNT; i++) {
		h7_cpu *c = &chip->cpu[i];

		if (!c->present)
			continue;
		if (c->gated) {
			sim_log_info("chip: %s clock gated (BCM%c = 0): AP%u faults until RCC_GCR releases it",
				     i == H7_CM7 ? "Cortex-M7" : "Cortex-M4", i == H7_CM7 ? '7' : '4',
				     i == H7_CM7 ? 0u : 3u);
			continue;
		}
		boot_cpu(chip, c);
	}
}

void chip_cpu_release_gate(sim_chip *chip, h7_cpu_id id)
{
	h7_cpu *c = &chip->cpu[id];

	if (!c->present || !c->gated)
		return;
	sim_log_info("chip: RCC_GCR releases the %s", id == H7_CM7 ? "Cortex-M7" : "Cortex-M4");
	c->gated = false;
	boot_cpu(chip, c);
}

void chip_cpus_run_until(sim_chip *chip, sim_time_us t, bool can_run)
{
	for (unsigned i = 0; i < H7_CPU_COUNT; i++) {
		h7_cpu *c = &chip->cpu[i];

		if (!c->present)
			continue;
		if (can_run && !c->gated)
			core_h7_run_until(&c->core, t);
		else
			core_h7_skip_to(&c->core, t);
	}
}

/* ------------------------------------------------------------ queries -- */

bool chip_cpu_pins_gpio(const sim_chip *chip)
{
	for (unsigned i = 0; i < H7_CPU_COUNT; i++)
		if (chip->cpu[i].present && chip->cpu[i].core.pins_gpio)
			return true;
	return false;
}

const char *chip_cpu_state(const sim_chip *chip, h7_cpu_id id)
{
	const h7_cpu *c = &chip->cpu[id];

	if (!c->present)
		return "absent";
	if (!chip->powered)
		return "unpowered";
	if (chip->supply_lockout)
		return "locked-out";
	if (c->gated)
		return "clock-gated";
	if (c->dbg.state == CM_STATE_SLEEPING && c->core.lp != CORE_LP_NONE)
		return c->core.lp == CORE_LP_STOP ? "stop" : "standby";
	return cortexm_dbg_state_name(c->dbg.state);
}

/* RDP level 2 disables debug for good (facts A.3): every AP faults, IDR included. */
bool chip_aps_enabled(void *ctx)
{
	const sim_chip *chip = ctx;

	return flash_h7_rdp(chip->flash) != 0xCC;
}

bool chip_ap0_enabled(void *ctx)
{
	const sim_chip *chip = ctx;

	return chip_aps_enabled(ctx) && !chip->cpu[H7_CM7].gated;
}

bool chip_ap3_enabled(void *ctx)
{
	const sim_chip *chip = ctx;

	return chip_aps_enabled(ctx) && !chip->cpu[H7_CM4].gated;
}
