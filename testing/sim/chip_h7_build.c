/*
 * Building the simulated STM32H7 from a scenario (chip_h7_create, called by
 * chip.c's sim_chip_create):
 * the part and its revision and bootloader, the board (BOOT0, supply
 * wiring), the firmware and operator scripts, the flash block, the cores
 * and the debug port.
 *
 * JTAG chain (facts A.1), nearest TDO first: the SWJ-DP's JTAG-DP (IDCODE
 * 0x6BA00477, IR 4), then the boundary-scan TAP (IR 5, IDCODE 0x06<DEV_ID>041,
 * UNCONFIRMED by ST; only IDCODE 0b00001 and BYPASS are implemented).
 *
 * Access ports (facts A.1, C): AP0 AHB-AP (Cortex-M7), AP1 AHB-AP (D3, not
 * on 0x480, chip_h7_parts.c), AP2 APB-AP (APB-D), AP3 AHB-AP (Cortex-M4,
 * dual-core parts only).  AP3's IDR is UNCONFIRMED (facts A.1: "presumably
 * 0x84770001"): chosen the same AHB-AP IDR as AP0 and AP1, since OpenOCD
 * 0.12's `-ap-num 3` target does not look at it and nothing suggests ST used
 * another AP there.  Its BASE points at the M4's MCU ROM table 0xE00FE000,
 * the layout of AP0 (UNCONFIRMED).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chip_common.h"
#include "chip_h7.h"
#include "chip_h7_internal.h"

#define JTAG_DP_IDCODE 0x6BA00477u
#define DPIDR_H7       0x6BA02477u
/*
 * TARGETID: TREVISION 0, TPARTNO 0x4500 (the DEV_ID), designer ST (JEP106
 * 0x20), bit 0 set.  UNCONFIRMED: not in the facts sheet; OpenOCD 0.12 only
 * reads it in multidrop SWD, which the JTAG bench never uses.
 */
#define TARGETID_FMT(dev) (((uint32_t)(dev) << 16) | 0x041u)
#define DLPIDR_H7 0x00000001u /* PROTVSN 1, TINSTANCE 0 */

#define BS_IR_IDCODE 0x01u
#define AHB_AP_IDR   0x84770001u
#define APB_AP_IDR   0x54770002u

/* ----------------------------------------------------------- debug -- */

static bool dp_domain_powered(void *ctx)
{
	return chip_debug_alive(ctx);
}

static void dp_powerup_request(void *ctx, bool cdbg, bool csys)
{
	sim_chip *chip = ctx;

	if (cdbg && !chip->debugger_seen) {
		chip->debugger_seen = true;
		chip_update_intrusion(chip);
	}
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

/* A write completing a flash word behind a full queue stalls (flash_h7.h); so does the next
 * access of the core that wrote it.  The simulated core cannot tell its buses apart: any. */
sim_time_us chip_bus_stalled_until(void *ctx)
{
	const sim_chip *chip = ctx;

	return flash_h7_bus_stalled_until(chip->flash);
}

/* A MEM-AP waits only when its own transaction went to the stalled flash (chip_h7_bus.c). */
sim_time_us chip_ap_busy_until(void *ctx)
{
	const sim_chip *chip = ctx;

	return chip->ap_busy_until;
}

static void attach_ap(sim_chip *chip, unsigned apsel, sim_mem_ap *m, bool (*enabled)(void *ctx))
{
	m->ap.enabled = enabled;
	m->ap.busy_until = chip_ap_busy_until;
	m->ap.chip_ctx = chip;
	jtag_dp_set_ap(&chip->dp, apsel, &m->ap);
}

static void build_debug(sim_chip *chip)
{
	uint16_t dev = chip->part->line->dev_id;
	jtag_dp_config dpc = { JTAG_DP_IDCODE, DPIDR_H7, TARGETID_FMT(dev), DLPIDR_H7 };
	jtag_dp_hooks dph = { dp_domain_powered, dp_powerup_request, chip };
	jtag_tap_desc dp_tap, bs_tap = {
		.name = "bs", .irlen = 5, .idcode = 0x06000041u | ((uint32_t)dev << 12), .ir_capture = 0x01,
		.ir_idcode = BS_IR_IDCODE, .dr_length = bs_dr_length, .ctx = chip,
	};
	/* AP1 has no ROM table (BASE "not present"; UNCONFIRMED). */
	sim_mem_ap_config core_ap = { AHB_AP_IDR, CM_MCU_ROM_BASE | 3u, 0, 0x7F000000u, 0x03000040u, true, 0 };
	/* The M4's AHB-AP increments TAR across 4 KiB, as OpenOCD assumes for any Cortex-M4 (mem_ap.h). */
	sim_mem_ap_config m4_ap = { AHB_AP_IDR, CM_MCU_ROM_BASE | 3u, 0, 0x7F000000u, 0x03000040u, true, 0x1000u };
	sim_mem_ap_config ap1 = { AHB_AP_IDR, 0x00000002u, 0, 0x7F000000u, 0x03000040u, true, 0 };
	sim_mem_ap_config ap2 = { APB_AP_IDR, APBD_ROM_BASE | 3u, 0, 0x80000000u, 0x80000042u, false, 0 };

	jtag_chain_init(&chip->chain);
	jtag_dp_init(&chip->dp, &dpc, &dph);
	jtag_dp_tap_desc(&chip->dp, &dp_tap);
	jtag_chain_add(&chip->chain, &dp_tap);
	jtag_chain_add(&chip->chain, &bs_tap);
	sim_mem_ap_init(&chip->cpu[H7_CM7].ap, &core_ap, chip_ap_bus(chip, 0));
	sim_mem_ap_init(&chip->ap1, &ap1, chip_ap_bus(chip, 1));
	sim_mem_ap_init(&chip->ap2, &ap2, chip_ap_bus(chip, 2));
	sim_mem_ap_init(&chip->cpu[H7_CM4].ap, &m4_ap, chip_ap_bus(chip, 3));
	attach_ap(chip, 0, &chip->cpu[H7_CM7].ap, chip_ap0_enabled);
	if (chip->part->line->has_ap1)
		attach_ap(chip, 1, &chip->ap1, chip_aps_enabled);
	attach_ap(chip, 2, &chip->ap2, chip_aps_enabled);
	if (chip->part->dual_core)
		attach_ap(chip, 3, &chip->cpu[H7_CM4].ap, chip_ap3_enabled);
}

static void build_blocks(sim_chip *chip, pwr_supply board)
{
	const h7_line *line = chip->part->line;

	chip_cpus_init(chip);
	dbgmcu_init(&chip->dbgmcu, line->dev_id, chip->rev_id, chip->part->dual_core);
	apbd_init(&chip->apbd, &chip->dbgmcu);
	apbd_set_funnel_present(&chip->apbd, line->has_swo_funnel);
	pwr_h7_init(&chip->pwr, chip->part->smps, board);
	build_debug(chip);
}

/* ----------------------------------------------------------- part -- */

static int load_bootloader(sim_chip *chip, scenario *sc, const h7_rev *rev, char *err, size_t errlen)
{
	scenario_entry *e = scenario_find(sc, "bootloader.id");
	uint32_t v;

	chip->bootloader_id = rev->bootloader;
	if (!e)
		return 0;
	if (scenario_u32(sc, e, &v, err, errlen) != 0)
		return -1;
	if (v > 0xFF || !h7_bootloader_known(chip->part->line, (uint8_t)v)) {
		const h7_bootloaders *bl = chip->part->line->bootloaders;
		char list[64] = "";
		size_t used = 0;

		for (unsigned i = 0; i < bl->nids && used < sizeof(list); i++)
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s0x%02X", i ? ", " : "",
						 (unsigned)bl->ids[i]);
		scenario_error(sc, e, err, errlen, "0x%X is not a system bootloader ID of %s (AN2606 lists %s)",
			       (unsigned)v, chip->part->line->family, list);
		return -1;
	}
	chip->bootloader_id = (uint8_t)v;
	return 0;
}

static int load_part(sim_chip *chip, scenario *sc, char *err, size_t errlen)
{
	scenario_entry *e = scenario_find(sc, "part"), *r;
	char list[1024];
	const h7_rev *rev;

	h7_part_list(list, sizeof(list));
	if (!e) {
		snprintf(err, errlen, "%s: \"part\" is required; known parts: %s", sc->path, list);
		return -1;
	}
	chip->part = h7_part_find(e->value);
	if (!chip->part) {
		scenario_error(sc, e, err, errlen, "unknown part \"%s\"; known parts: %s", e->value, list);
		return -1;
	}
	r = scenario_find(sc, "rev");
	rev = h7_rev_find(chip->part->line, r ? r->value : chip->part->line->default_rev);
	if (!rev) {
		scenario_error(sc, r, err, errlen, "unknown revision \"%s\" for DEV_ID 0x%03x", r->value,
			       chip->part->line->dev_id);
		return -1;
	}
	chip->rev_id = rev->rev_id;
	chip->rev_name = rev->name;
	return load_bootloader(chip, sc, rev, err, errlen);
}

static int load_pins_and_board(sim_chip *chip, scenario *sc, pwr_supply *board, char *err, size_t errlen)
{
	scenario_entry *e;

	if (chip_scenario_boot0(sc, &chip->boot0, err, errlen) != 0)
		return -1;
	/* Default wiring: what the part's own supply scheme needs (facts A.5). */
	*board = chip->part->smps ? PWR_SUPPLY_DIRECT_SMPS : PWR_SUPPLY_LDO;
	e = scenario_find(sc, "board.supply");
	if (e && (pwr_supply_parse(e->value, board) != 0 || !pwr_supply_possible(chip->part->smps, *board))) {
		scenario_error(sc, e, err, errlen, "\"%s\" is not a supply wiring for %s (%s)", e->value,
			       chip->part->name, chip->part->smps ? "ldo, direct_smps, smps_1v8_ldo, smps_2v5_ldo, "
			       "smps_1v8_ext_ldo, smps_2v5_ext_ldo, smps_1v8_ext_bypass, smps_2v5_ext_bypass, bypass"
			       : "an LDO-only part: ldo or bypass");
		return -1;
	}
	return chip_scenario_scripts(sc, &chip->script, &chip->ops, err, errlen);
}

/*
 * The firmware script belongs to the image the scenario put at the BOOT0 = 0
 * boot address of the first core that boots: the Cortex-M7, or on a dual-core
 * part with BCM7 = 0 and BCM4 = 1 the Cortex-M4.  Steps without a runnable
 * image there could never run: refused.
 */
static h7_cpu_id script_core(const sim_chip *chip)
{
	uint32_t optsr = flash_h7_optsr_cur(chip->flash);

	if (chip->part->dual_core && !(optsr & (1u << 23)) && (optsr & (1u << 22)))
		return H7_CM4;
	return H7_CM7;
}

static int record_image(sim_chip *chip, scenario *sc, char *err, size_t errlen)
{
	h7_cpu_id id = script_core(chip);
	uint32_t boot = flash_h7_boot_address(chip->flash, id == H7_CM7 ? 0 : 1, false), sp = 0, pc = 0;
	bool ok = flash_h7_is_mem(chip->flash, boot) && flash_h7_mem_read(chip->flash, boot, 4, &sp) == SIM_BUS_OK &&
		  flash_h7_mem_read(chip->flash, boot + 4u, 4, &pc) == SIM_BUS_OK;
	bool (*exec)(void *, uint32_t) = id == H7_CM7 ? chip_executable_cm7 : chip_executable_cm4;

	if (ok)
		for (unsigned i = 0; i < H7_CPU_COUNT; i++)
			core_h7_set_image(&chip->cpu[i].core, sp, pc);
	if (chip->script.count > 0 && (!ok || !(pc & 1u) || !exec(chip, pc & ~1u))) {
		snprintf(err, errlen, "%s: firmware.step given, but the flash at the %s boot address 0x%08x holds no "
			 "runnable vector table (PC 0x%08x): load an image with flash.load", sc->path,
			 id == H7_CM7 ? "Cortex-M7" : "Cortex-M4", (unsigned)boot, (unsigned)pc);
		return -1;
	}
	return 0;
}

sim_chip *chip_h7_create(scenario *sc, char *err, size_t errlen)
{
	sim_chip *chip = calloc(1, sizeof(*chip));
	pwr_supply board;

	if (!chip) {
		snprintf(err, errlen, "sim_chip_create: out of memory");
		return NULL;
	}
	chip->family = &chip_h7_family;
	if (load_part(chip, sc, err, errlen) != 0 || load_pins_and_board(chip, sc, &board, err, errlen) != 0)
		goto fail;
	flash_h7_part fp = { chip->part->line->dev_id, chip->part->flash_kib, chip->part->dual_core };

	chip->flash = flash_h7_create(&fp);
	if (!chip->flash) {
		snprintf(err, errlen, "sim_chip_create: flash_h7_create failed for %s", chip->part->name);
		goto fail;
	}
	if (flash_h7_apply_scenario(chip->flash, sc, err, errlen) != 0 || chip_mem_create(chip, err, errlen) != 0)
		goto fail;
	build_blocks(chip, board);
	if (record_image(chip, sc, err, errlen) != 0)
		goto fail;
	chip->now = sim_now_us();
	chip_power_on(chip);
	return chip;
fail:
	chip_h7_destroy(chip);
	return NULL;
}

void chip_h7_destroy(sim_chip *chip)
{
	if (!chip)
		return;
	chip_mem_destroy(chip);
	flash_h7_destroy(chip->flash);
	free(chip);
}
