/*
 * The Cortex-M33 of the simulated STM32H5: what it runs after each reset,
 * in which Security state, and what the product state lets a debugger do
 * through AP1 (facts B.1, B.3, B.4; docs/h5-debug-authentication.md).
 *
 * Core: CPUID 0x410FD214 (r0p4, facts C: the H5's revision is UNCONFIRMED),
 * the Security Extension on every line but the H503.  It runs the execution
 * model of the H7's cores (core_h7.h): the scenario's `firmware.step` script
 * while the vectors at the boot address are the scenario's image, an idle
 * firmware for any other valid image, lockup on an erased vector table.
 *
 * At the end of every reset (NRST, SYSRESETREQ, power-on, a reset the flash
 * block requests) the boot ROM runs first:
 *  - a regression interrupted by the reset (PRODUCT_STATE 0x9A/0xA3): the
 *    ROM finishes it (flash_h5 resumes it) and idles meanwhile;
 *  - a DA request word pending in the mailbox (da_device_reset_release):
 *    the ROM stays in DA mode; user code starts only after Resume boot, and
 *    then without a reset vector catch (the ROM branches, it does not reset);
 *  - Provisioning: user code never runs, the ROM idles (facts B.3);
 *  - otherwise (Open, iROT-Provisioned, TZ-Closed, Closed, Locked) the image
 *    at NSBOOTADD, or SECBOOTADD with TrustZone on (flash_h5_boot_address),
 *    runs; in Open with BOOT0 high and the boot address not locked
 *    (NSBOOT_LOCK / SECBOOT_LOCK = 0xB4) ST's system bootloader runs instead.
 *    Facts B.3 says the bootloader is usable in Open; that BOOT0 is ignored
 *    in the other states is our choice (the harder one).
 * The ROM never lets itself be debugged: while it runs the core is in Secure
 * state with invasive debug disabled, so a halt request stays pending and a
 * reset vector catch is not taken.
 *
 * Security state of user code: Secure with TrustZone on (it starts at
 * SECBOOTADD), Non-secure with it off (UNCONFIRMED: an M33 always resets
 * Secure; ST's tools treating TZEN = 0xC3 parts as non-secure is what the
 * facts show, B.1).  Secure debug is allowed in Open only.
 *
 * AP1 by product state (facts B.3; choices marked):
 *  - Open: every transaction.
 *  - Provisioning: every transaction (ST's scripts program OBK through AP1
 *    in "hot plug"), but the ROM keeps AP1 closed while NRST is held and for
 *    the first 20 ms after a reset release (scenario rom.ap1_closed_ms; our
 *    choice, from the field report: a "normal" connect, which halts the core
 *    under or right after reset, fails, while hot plug works).  AP1 faults
 *    every access then, its IDR included.
 *  - iROT-Provisioned, TZ-Closed: non-secure transactions only; halting
 *    debug of the Non-secure state only (secure debug disabled).
 *  - Closed, Locked, Regression, NS-Regression, and any byte that is no
 *    product state: AP1 disabled (every access faults, IDR included).
 *    AP0 (DBGMCU, the DA mailbox) answers in every state.
 */
#include <stdio.h>

#include "chip_h5_internal.h"

#define CPUID_CORTEX_M33_R0P4 0x410FD214u
#define BOOTR_LOCKED 0xB4u
#define NSBOOTR_CUR  0x80u
#define SECBOOTR_CUR 0x88u

/* ------------------------------------------------------------ hooks -- */

static void hook_sysresetreq(void *ctx)
{
	h5_chip *chip = ctx;

	sim_log_info("chip: SYSRESETREQ from the Cortex-M33");
	if (chip->srst)
		return; /* NRST already holds the system in reset */
	h5_system_reset_assert(chip);
	h5_system_reset_release(chip);
}

static void hook_step(void *ctx)
{
	h5_chip *chip = ctx;

	core_h7_run(&chip->core, 1);
}

static bool hook_domain_up(void *ctx)
{
	const h5_chip *chip = ctx;

	return chip->powered;
}

void h5_cpu_init(h5_chip *chip)
{
	cortexm_dbg_config cc = { CPUID_CORTEX_M33_R0P4, chip->part->line->dev_id };
	/* Armv8-M has no VECTRESET: cortexm_dbg ignores the bit, no hook needed. */
	cortexm_dbg_hooks ch = { hook_sysresetreq, NULL, hook_step, chip };
	core_h7_env env = {
		.bus = h5_core_bus(chip), .executable = h5_executable, .domain_up = hook_domain_up, .ctx = chip,
		.may_run_script = NULL, .name = "cm33",
	};

	cortexm_dbg_init(&chip->dbg, &cc, &ch);
	cortexm_dbg_set_security_extension(&chip->dbg, chip->part->line->trustzone);
	core_h7_init(&chip->core, &chip->dbg, &env, &chip->script);
}

/* ------------------------------------------------------------- boot -- */

void h5_cpu_power_on(h5_chip *chip)
{
	cortexm_dbg_power_on(&chip->dbg);
	core_h7_reset_enter(&chip->core);
	core_h7_skip_to(&chip->core, chip->now);
	chip->boot = H5_BOOT_NONE;
}

void h5_cpu_reset_enter(h5_chip *chip)
{
	core_h7_reset_enter(&chip->core);
	chip->boot = H5_BOOT_NONE;
}

static bool in_regression(uint8_t ps)
{
	return ps == H5PS_REGRESSION || ps == H5PS_NS_REGRESSION;
}

/* The boot ROM idles in system flash: Secure, invasive debug disabled. */
static void start_rom(h5_chip *chip, h5_boot kind)
{
	cortexm_dbg_set_security(&chip->dbg, true, false, false);
	chip->boot = kind;
	core_h7_reset_release(&chip->core, H5_ROM_VECTORS, true, chip->now);
}

static bool boot_address_locked(h5_chip *chip, bool tz)
{
	uint32_t bootr = 0;

	if (flash_h5_reg_read(chip->flash, false, true, tz ? SECBOOTR_CUR : NSBOOTR_CUR, &bootr) != SIM_BUS_OK)
		return false;
	return (bootr & 0xFFu) == BOOTR_LOCKED;
}

static void start_user(h5_chip *chip)
{
	uint8_t ps = flash_h5_product_state(chip->flash);
	bool tz = flash_h5_tz_enabled(chip->flash);
	bool bootloader = chip->boot0 && ps == H5PS_OPEN && !boot_address_locked(chip, tz);
	uint32_t boot = bootloader ? H5_BOOTLOADER_VECTORS : flash_h5_boot_address(chip->flash);

	cortexm_dbg_set_security(&chip->dbg, tz, true, ps == H5PS_OPEN);
	chip->boot = bootloader ? H5_BOOT_BOOTLOADER : H5_BOOT_USER;
	core_h7_reset_release(&chip->core, boot, bootloader, chip->now);
}

/* The ROM's decision once no DA session holds it. */
static void continue_boot(h5_chip *chip)
{
	uint8_t ps = flash_h5_product_state(chip->flash);

	if (in_regression(ps))
		start_rom(chip, H5_BOOT_ROM_REGRESSION);
	else if (ps == H5PS_PROVISIONING)
		start_rom(chip, H5_BOOT_ROM_PROVISIONING);
	else
		start_user(chip);
}

void h5_cpu_reset_release(h5_chip *chip)
{
	uint8_t ps = flash_h5_product_state(chip->flash);

	if (ps == H5PS_PROVISIONING)
		chip->ap1_closed_until = chip->now + chip->ap1_closed_us;
	if (in_regression(ps)) {
		start_rom(chip, H5_BOOT_ROM_REGRESSION); /* the ROM finishes the regression before anything else */
		return;
	}
	if (da_device_reset_release(chip->da, chip->now))
		start_rom(chip, H5_BOOT_ROM_DA);
	else
		continue_boot(chip);
}

void h5_cpu_da_resume(h5_chip *chip)
{
	uint32_t demcr = chip->dbg.demcr;

	sim_log_info("chip: DA session resumed the boot");
	/* The ROM branches to user code, it does not reset the core: no reset vector catch. */
	chip->dbg.demcr &= ~CM_DEMCR_VC_CORERESET;
	continue_boot(chip);
	chip->dbg.demcr = demcr;
}

/*
 * DA authenticated a regression (docs §6): the SRAMs are erased (to 0,
 * chip_h5_mem.c; all of them for a partial regression too: the SRAM's block
 * security is not modelled, UNCONFIRMED), then the flash block erases and
 * sets the product state, and asks for the reset that ends it.
 */
void h5_cpu_regression(void *ctx, bool partial)
{
	h5_chip *chip = ctx;

	h5_mem_erase_srams(chip);
	chip->sram_erases++;
	chip->boot = H5_BOOT_ROM_REGRESSION;
	if (partial)
		flash_h5_start_partial_regression(chip->flash);
	else
		flash_h5_start_full_regression(chip->flash);
}

void h5_cpu_run_until(h5_chip *chip, sim_time_us t)
{
	if (chip->powered)
		core_h7_run_until(&chip->core, t);
	else
		core_h7_skip_to(&chip->core, t);
}

/* ----------------------------------------------------------- queries -- */

const char *h5_core_state(const h5_chip *chip)
{
	if (!chip->powered)
		return "unpowered";
	if (chip->dbg.state == CM_STATE_SLEEPING && chip->core.lp != CORE_LP_NONE)
		return chip->core.lp == CORE_LP_STOP ? "stop" : "standby";
	return cortexm_dbg_state_name(chip->dbg.state);
}

const char *h5_firmware_name(const h5_chip *chip)
{
	switch (chip->boot) {
	case H5_BOOT_USER: return core_h7_program_name(chip->core.program);
	case H5_BOOT_BOOTLOADER: return "system-bootloader";
	case H5_BOOT_ROM_PROVISIONING: return "boot-rom (provisioning)";
	case H5_BOOT_ROM_DA: return "boot-rom (debug authentication)";
	case H5_BOOT_ROM_REGRESSION: return "boot-rom (regression)";
	default: return "none";
	}
}

bool h5_ap1_open(const h5_chip *chip)
{
	if (!chip->powered)
		return false;
	switch (flash_h5_product_state(chip->flash)) {
	case H5PS_OPEN:
	case H5PS_IROT_PROVISIONED:
	case H5PS_TZ_CLOSED:
		return true;
	case H5PS_PROVISIONING:
		return !chip->srst && chip->now >= chip->ap1_closed_until;
	default:
		return false;
	}
}

bool h5_ap1_enabled(void *ctx)
{
	return h5_ap1_open(ctx);
}

bool h5_ap1_secure_allowed(const h5_chip *chip)
{
	uint8_t ps = flash_h5_product_state(chip->flash);

	return ps == H5PS_OPEN || ps == H5PS_PROVISIONING;
}
