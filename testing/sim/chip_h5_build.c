/*
 * Building the simulated STM32H5 from a scenario (chip_h5_create, called by
 * chip.c's sim_chip_create for "stm32h5..." parts): the part and its
 * revision, the board (BOOT0), the firmware and operator scripts, the flash
 * block (which takes its own keys, flash_h5.h), the DA device, the core and
 * the debug port.
 *
 * JTAG chain (facts B.1), nearest TDO first: the SWJ-DP's JTAG-DP (IDCODE
 * 0x0BA04477, IR 4), then the boundary-scan TAP (IR 5).  The boundary-scan
 * IDCODE is UNCONFIRMED: chosen 0x06<DEV_ID>041 (e.g. 0x06484041), the
 * pattern of the H7 (facts A.1); only IDCODE and BYPASS are implemented.
 * DP register 0 reads DPIDR 0x0BE12477 (facts B.1 give it for the SW-DP;
 * that the JTAG side reads the same DPv2 DPIDR is UNCONFIRMED).
 *
 * Access ports (facts B.1, C):
 *  - AP0, APB-AP: the system debug APB (dbgmcu_h5.h).  IDR 0x54770002, the
 *    H7's APB-AP (UNCONFIRMED for the H5); BASE 0xE00E0003.  Answers in every
 *    product state and while NRST is held.
 *  - AP1, AHB-AP to the Cortex-M33 and its system bus.  psdb classes it as
 *    an AHB-AP of type 1 (facts B.1), so IDR 0x84770001 (the value the H7's
 *    AHB-APs read; exact H5 value UNCONFIRMED); CSW bit 30 carries HNONSEC
 *    as ST's OpenOCD fork uses it.  BASE 0xE00FE003 (the MCU ROM table).
 *    Writable CSW bits 24..30 (HPROT, MasterType, HNONSEC); CSW resets to
 *    0x03000040: a secure, privileged data access (UNCONFIRMED; OpenOCD
 *    writes CSW before every transfer).  Its gate is chip_h5_cpu.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chip_common.h"
#include "chip_h5_internal.h"

#define JTAG_DP_IDCODE_H5 0x0BA04477u
#define DPIDR_H5          0x0BE12477u
/* TARGETID as for the H7 (chip_h7_build.c): TPARTNO from the DEV_ID, designer ST.  UNCONFIRMED, SWD-only. */
#define TARGETID_FMT(dev) (((uint32_t)(dev) << 16) | 0x041u)
#define DLPIDR_H5         0x00000001u
#define BS_IR_IDCODE      0x01u
#define AHB_AP_IDR        0x84770001u
#define APB_AP_IDR        0x54770002u

/* ----------------------------------------------------------- debug -- */

static bool dp_domain_powered(void *ctx)
{
	return h5_debug_alive(ctx);
}

static unsigned bs_dr_length(void *ctx, uint32_t ir)
{
	static uint32_t logged; /* one message per instruction */

	if (ir < 32 && !(logged & (1u << ir))) {
		logged |= 1u << ir;
		sim_log_unimplemented("jtag: boundary-scan instruction 0x%02x not modelled, acts as BYPASS",
				      (unsigned)ir);
	}
	return 0;
}

static void build_debug(h5_chip *chip)
{
	uint16_t dev = chip->part->line->dev_id;
	jtag_dp_config dpc = { JTAG_DP_IDCODE_H5, DPIDR_H5, TARGETID_FMT(dev), DLPIDR_H5 };
	jtag_dp_hooks dph = { dp_domain_powered, NULL, chip };
	jtag_tap_desc dp_tap, bs_tap = {
		.name = "bs", .irlen = 5, .idcode = 0x06000041u | ((uint32_t)dev << 12), .ir_capture = 0x01,
		.ir_idcode = BS_IR_IDCODE, .dr_length = bs_dr_length, .ctx = chip,
	};
	sim_mem_ap_config ap0 = { APB_AP_IDR, DBGMCU_H5_ROM_BASE | 3u, 0, 0x80000000u, 0x80000042u, false, 0 };
	sim_mem_ap_config ap1 = { AHB_AP_IDR, CM_MCU_ROM_BASE | 3u, 0, 0x7F000000u, 0x03000040u, true, 0 };
	sim_bus apb = { .read = dbgmcu_h5_apb_read, .write = dbgmcu_h5_apb_write, .ctx = &chip->dbgmcu };

	jtag_chain_init(&chip->chain);
	jtag_dp_init(&chip->dp, &dpc, &dph);
	jtag_dp_tap_desc(&chip->dp, &dp_tap);
	jtag_chain_add(&chip->chain, &dp_tap);
	jtag_chain_add(&chip->chain, &bs_tap);
	sim_mem_ap_init(&chip->ap0, &ap0, apb);
	sim_mem_ap_init(&chip->ap1, &ap1, h5_ap1_bus(chip));
	chip->ap1.ap.enabled = h5_ap1_enabled;
	chip->ap1.ap.chip_ctx = chip;
	jtag_dp_set_ap(&chip->dp, 0, &chip->ap0.ap);
	jtag_dp_set_ap(&chip->dp, 1, &chip->ap1.ap);
}

/* ------------------------------------------------------ DA device -- */

static uint8_t env_product_state(void *ctx)
{
	const h5_chip *chip = ctx;

	return flash_h5_product_state(chip->flash);
}

static bool env_tz_enabled(void *ctx)
{
	const h5_chip *chip = ctx;

	return flash_h5_tz_enabled(chip->flash);
}

static void env_credential(void *ctx, flash_h5_credential *out)
{
	const h5_chip *chip = ctx;

	flash_h5_da_credential(chip->flash, out);
}

static int build_da(h5_chip *chip, char *err, size_t errlen)
{
	da_device_env env = {
		.ctx = chip, .dev_id = chip->part->line->dev_id, .product_state = env_product_state,
		.tz_enabled = env_tz_enabled, .credential = env_credential, .regression = h5_cpu_regression,
	};

	h5_uid_bytes(chip, env.uid);
	chip->da = da_device_create(&env);
	if (!chip->da) {
		snprintf(err, errlen, "chip_h5_create: da_device_create failed");
		return -1;
	}
	return 0;
}

/* --------------------------------------------------------- scenario -- */

static int load_part(h5_chip *chip, scenario *sc, char *err, size_t errlen)
{
	scenario_entry *e = scenario_find(sc, "part"), *r;
	const h5_rev *rev;
	char list[512];

	chip_h5_part_list(list, sizeof(list));
	chip->part = e ? h5_part_find(e->value) : NULL;
	if (!chip->part) {
		if (e)
			scenario_error(sc, e, err, errlen, "unknown part \"%s\"; known STM32H5 parts: %s", e->value,
				       list);
		else
			snprintf(err, errlen, "%s: \"part\" is required; known STM32H5 parts: %s", sc->path, list);
		return -1;
	}
	r = scenario_find(sc, "rev");
	rev = h5_rev_find(chip->part->line, r ? r->value : chip->part->line->default_rev);
	if (!rev) {
		scenario_error(sc, r, err, errlen, "unknown revision \"%s\" for DEV_ID 0x%03x", r->value,
			       chip->part->line->dev_id);
		return -1;
	}
	chip->rev_id = rev->rev_id;
	chip->rev_name = rev->name;
	return 0;
}

/* rom.ap1_closed_ms: how long the ROM keeps AP1 closed after a reset in Provisioning. */
static int load_rom_timing(h5_chip *chip, scenario *sc, char *err, size_t errlen)
{
	scenario_entry *e = scenario_find(sc, "rom.ap1_closed_ms");
	uint32_t ms = H5_AP1_CLOSED_DEFAULT_US / 1000u;

	if (e && scenario_u32(sc, e, &ms, err, errlen) != 0)
		return -1;
	if (ms > 10000u) {
		scenario_error(sc, e, err, errlen, "rom.ap1_closed_ms is at most 10000");
		return -1;
	}
	chip->ap1_closed_us = (sim_time_us)ms * 1000u;
	return 0;
}

static int load_board_and_scripts(h5_chip *chip, scenario *sc, char *err, size_t errlen)
{
	if (chip_scenario_boot0(sc, &chip->boot0, err, errlen) != 0 || load_rom_timing(chip, sc, err, errlen) != 0)
		return -1;
	return chip_scenario_scripts(sc, &chip->script, &chip->ops, err, errlen);
}

/*
 * The firmware script belongs to the image the scenario put at the boot
 * address (NSBOOTADD, or SECBOOTADD with TrustZone on).  Steps without a
 * runnable image there could never run: refused.
 */
static int record_image(h5_chip *chip, scenario *sc, char *err, size_t errlen)
{
	uint32_t boot = flash_h5_boot_address(chip->flash), sp = 0, pc = 0;
	bool ok = flash_h5_is_mem(chip->flash, boot) &&
		  flash_h5_mem_read(chip->flash, boot, 4, true, &sp) == SIM_BUS_OK &&
		  flash_h5_mem_read(chip->flash, boot + 4u, 4, true, &pc) == SIM_BUS_OK;

	if (ok)
		core_h7_set_image(&chip->core, sp, pc);
	if (chip->script.count > 0 && (!ok || !(pc & 1u) || !h5_executable(chip, pc & ~1u))) {
		snprintf(err, errlen, "%s: firmware.step given, but the flash at the boot address 0x%08x holds no "
			 "runnable vector table (PC 0x%08x): load an image with flash.load", sc->path, (unsigned)boot,
			 (unsigned)pc);
		return -1;
	}
	return 0;
}

static int build_flash(h5_chip *chip, scenario *sc, char *err, size_t errlen)
{
	flash_h5_part fp = { chip->part->line->dev_id, chip->part->flash_kib, chip->part->line->trustzone };

	chip->flash = flash_h5_create(&fp);
	if (!chip->flash) {
		snprintf(err, errlen, "chip_h5_create: flash_h5_create failed for %s", chip->part->name);
		return -1;
	}
	return flash_h5_apply_scenario(chip->flash, sc, err, errlen);
}

sim_chip *chip_h5_create(scenario *sc, char *err, size_t errlen)
{
	h5_chip *chip = calloc(1, sizeof(*chip));

	if (!chip) {
		snprintf(err, errlen, "chip_h5_create: out of memory");
		return NULL;
	}
	chip->family = &chip_h5_family;
	if (load_part(chip, sc, err, errlen) != 0 || load_board_and_scripts(chip, sc, err, errlen) != 0 ||
	    build_flash(chip, sc, err, errlen) != 0 || h5_mem_create(chip, err, errlen) != 0 ||
	    build_da(chip, err, errlen) != 0)
		goto fail;
	dbgmcu_h5_init(&chip->dbgmcu, chip->part->line->dev_id, chip->rev_id, chip->da, h5_ap1_enabled, chip);
	h5_cpu_init(chip);
	build_debug(chip);
	if (record_image(chip, sc, err, errlen) != 0)
		goto fail;
	chip->now = sim_now_us();
	h5_power_on(chip);
	return h5_as_sim_chip(chip);
fail:
	chip_h5_destroy(h5_as_sim_chip(chip));
	return NULL;
}

void chip_h5_destroy(sim_chip *c)
{
	h5_chip *chip = h5_of(c);

	if (!chip)
		return;
	h5_mem_destroy(chip);
	da_device_destroy(chip->da);
	flash_h5_destroy(chip->flash);
	free(chip);
}
