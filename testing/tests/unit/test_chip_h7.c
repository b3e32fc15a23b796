/*
 * The STM32H7 chip through its public API and the buses its MEM-APs master:
 * part table, bus maps, NRST/SYSRESETREQ/power-on semantics, the scripted
 * firmware (debug pins, supply lockout, low-power modes), the system
 * bootloader, operator actions, RDP intrusion, the JTAG chain and the JSON.
 * Time is frozen and moved by hand (sim_clock_freeze/advance).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "chip_h7.h"
#include "chip_h7_internal.h"

#define DHCSR 0xE000EDF0u
#define DEMCR 0xE000EDFCu
#define AIRCR 0xE000ED0Cu
#define PWR_CR3 0x5802480Cu
#define DBGKEY 0xA05F0000u
#define MS 1000u

static scenario the_scenario;
static char image_path[64];

/* A small application image: SP 0x24080000, reset handler 0x08000299. */
static int write_image(void **state)
{
	uint8_t img[0x300];
	uint32_t vec[2] = { 0x24080000u, 0x08000299u };
	int fd;

	memset(img, 0xFF, sizeof(img));
	memcpy(img, vec, sizeof(vec));
	snprintf(image_path, sizeof(image_path), "/tmp/test_chip_h7_XXXXXX");
	fd = mkstemp(image_path);
	if (fd < 0 || write(fd, img, sizeof(img)) != (ssize_t)sizeof(img))
		return -1;
	close(fd);
	return 0;
}

static int remove_image(void **state)
{
	unlink(image_path);
	return 0;
}

static sim_chip *try_chip(const char *text, char *err, size_t errlen)
{
	char buf[2048];

	snprintf(buf, sizeof(buf), text, image_path);
	sim_clock_freeze(0);
	if (scenario_parse(&the_scenario, buf, "<test>", err, errlen) != 0)
		return NULL;
	return sim_chip_create(&the_scenario, err, errlen);
}

static sim_chip *make_chip(const char *text)
{
	char err[1024];
	sim_chip *chip = try_chip(text, err, sizeof(err));

	if (!chip)
		fail_msg("sim_chip_create: %s", err);
	return chip;
}

static void advance(sim_chip *chip, sim_time_us us)
{
	sim_clock_advance(us);
	chip_h7_sync(chip);
}

static sim_bus_result ap_rd(sim_chip *chip, unsigned ap, uint32_t addr, uint32_t *v)
{
	sim_bus bus = chip_h7_ap_bus(chip, ap);

	chip_h7_sync(chip);
	return sim_bus_read(&bus, addr, 4, v);
}

static uint32_t ap_rd_ok(sim_chip *chip, unsigned ap, uint32_t addr)
{
	uint32_t v = 0;

	assert_int_equal(ap_rd(chip, ap, addr, &v), SIM_BUS_OK);
	return v;
}

static void ap_wr_ok(sim_chip *chip, unsigned ap, uint32_t addr, uint32_t v)
{
	sim_bus bus = chip_h7_ap_bus(chip, ap);

	chip_h7_sync(chip);
	assert_int_equal(sim_bus_write(&bus, addr, 4, v), SIM_BUS_OK);
}

static void test_part_table_errors(void **state)
{
	char err[1024];

	assert_null(try_chip("rev = V\n", err, sizeof(err)));
	assert_non_null(strstr(err, "\"part\" is required"));
	assert_null(try_chip("part = stm32h799zi\n", err, sizeof(err)));
	assert_non_null(strstr(err, "stm32h743"));
	assert_null(try_chip("part = stm32h743ziq\n", err, sizeof(err))); /* no Q variant of the H743 */
	assert_non_null(strstr(err, "unknown part"));
	assert_null(try_chip("part = stm32h733ze\n", err, sizeof(err)));  /* no 512 KiB H733 */
	assert_null(try_chip("part = stm32h743zi\nboard.supply = direct_smps\n", err, sizeof(err)));
	assert_non_null(strstr(err, "LDO-only"));
	assert_null(try_chip("part = stm32h743zi\nrev = Q\n", err, sizeof(err)));
	assert_null(try_chip("part = stm32h743zi\nfirmware.step = 10 jump 0x0\n", err, sizeof(err)));
	assert_null(try_chip("part = stm32h743zi\nfirmware.step = 10 idle\n", err, sizeof(err)));
	assert_non_null(strstr(err, "no runnable vector table"));
	assert_null(try_chip("part = stm32h743zi\noperator.step = session 1 -> dance\n", err, sizeof(err)));
}

static void test_part_variants(void **state)
{
	sim_chip *chip = make_chip("part = stm32h743vg\nrev = Y\n");

	assert_int_equal(ap_rd_ok(chip, 0, 0x5C001000u), 0x10030450u);
	assert_int_equal(ap_rd_ok(chip, 0, 0x1FF1E880u) & 0xFFFFu, 1024u);
	sim_chip_destroy(chip);
	chip = make_chip("part = stm32h750vb\n");
	assert_int_equal(ap_rd_ok(chip, 0, 0x1FF1E880u) & 0xFFFFu, 128u);
	sim_chip_destroy(chip);
}

static void test_blank_chip(void **state)
{
	sim_chip *chip = make_chip("part = stm32h743zi\n");

	assert_string_equal(chip_h7_core_state(chip), "lockup");
	assert_true(chip_h7_debug_alive(chip));
	assert_int_equal(ap_rd_ok(chip, 0, 0x08000000u), 0xFFFFFFFFu);
	assert_int_equal(ap_rd_ok(chip, 0, 0x5C001000u), 0x20030450u);
	assert_int_equal(ap_rd_ok(chip, 2, 0xE00E1000u), 0x20030450u);
	assert_int_equal(ap_rd_ok(chip, 0, 0xE000ED00u), 0x411FC271u);
	assert_int_equal(ap_rd_ok(chip, 0, DHCSR) & (1u << 19), 1u << 19); /* S_LOCKUP */
	/* Halting a locked-up core (OpenOCD's poll does) leaves it halted in HardFault at 0xFFFFFFFE. */
	ap_wr_ok(chip, 0, DHCSR, DBGKEY | 3u);
	assert_string_equal(chip_h7_core_state(chip), "halted");
	assert_int_equal(chip->cpu[H7_CM7].dbg.pc, 0xFFFFFFFEu);
	/* Resuming locks it up again at once. */
	ap_wr_ok(chip, 0, DHCSR, DBGKEY | 1u);
	advance(chip, 10);
	assert_string_equal(chip_h7_core_state(chip), "lockup");
	sim_chip_destroy(chip);
}

static void test_memory_map(void **state)
{
	sim_chip *chip = make_chip("part = stm32h743zi\n");
	uint32_t v;

	ap_wr_ok(chip, 0, 0x24000000u, 0x11223344u);
	assert_int_equal(ap_rd_ok(chip, 0, 0x24000000u), 0x11223344u);
	ap_wr_ok(chip, 1, 0x38000010u, 0x55u); /* SRAM4 through the D3 AP */
	assert_int_equal(ap_rd_ok(chip, 0, 0x38000010u), 0x55u);
	assert_int_equal(ap_rd(chip, 1, 0x24000000u, &v), SIM_BUS_FAULT); /* AXI SRAM not on D3 */
	assert_int_equal(ap_rd(chip, 0, 0x60000000u, &v), SIM_BUS_FAULT); /* unmapped */
	assert_int_equal(ap_rd(chip, 0, 0x1FF00000u, &v), SIM_BUS_OK);    /* bootloader vectors */
	assert_int_equal(v, 0x24010000u);
	assert_int_equal(ap_rd_ok(chip, 1, PWR_CR3), 0x00000006u);
	/* Deterministic power-on RAM content, never a Thumb entry point. */
	assert_int_equal(ap_rd_ok(chip, 0, 0x20000004u) & 1u, 0);
	sim_chip_destroy(chip);
}

static void test_nrst_gating(void **state)
{
	sim_chip *chip = make_chip("part = stm32h743zi\n");
	uint32_t v;

	sim_chip_set_reset_lines(chip, false, true);
	assert_string_equal(chip_h7_core_state(chip), "in-reset");
	assert_int_equal(ap_rd(chip, 0, 0x08000000u, &v), SIM_BUS_FAULT);
	assert_int_equal(ap_rd(chip, 0, 0x5C001000u, &v), SIM_BUS_FAULT);
	assert_int_equal(ap_rd(chip, 1, 0x38000000u, &v), SIM_BUS_FAULT);
	assert_int_equal(ap_rd_ok(chip, 0, DHCSR) & (1u << 25), 1u << 25); /* S_RESET_ST */
	assert_int_equal(ap_rd_ok(chip, 2, 0xE00E1000u), 0x20030450u);
	sim_chip_set_reset_lines(chip, false, false);
	assert_int_equal(ap_rd(chip, 0, 0x08000000u, &v), SIM_BUS_OK);
	assert_int_equal(chip->system_resets, 1);
	sim_chip_destroy(chip);
}

static const char *const gpio_fw =
	"part = stm32h743zi\nflash.load = 0x08000000 %s\nfirmware.step = 6400 debug_pins_gpio\n";

static void test_firmware_kills_debug_and_connect_under_reset(void **state)
{
	sim_chip *chip = make_chip(gpio_fw);

	assert_string_equal(chip_h7_core_state(chip), "running");
	advance(chip, 99);
	assert_true(chip_h7_debug_alive(chip));
	advance(chip, 1);
	assert_false(chip_h7_debug_alive(chip));
	assert_true(sim_chip_jtag_tdo(chip));
	/* NRST puts the pins back in their debug function; the core does not run. */
	sim_chip_set_reset_lines(chip, false, true);
	assert_true(chip_h7_debug_alive(chip));
	ap_wr_ok(chip, 0, DHCSR, DBGKEY | 1u);
	ap_wr_ok(chip, 0, DEMCR, 0x01000001u);
	advance(chip, 5 * MS);
	sim_chip_set_reset_lines(chip, false, false);
	assert_string_equal(chip_h7_core_state(chip), "halted");
	advance(chip, 10 * MS);
	assert_true(chip_h7_debug_alive(chip));
	assert_int_equal(chip_h7_core(chip)->before_halt, 0);
	/* Resuming continues the script: the pins go again 6400 instructions later. */
	ap_wr_ok(chip, 0, DHCSR, DBGKEY | 1u);
	advance(chip, 1 * MS);
	assert_false(chip_h7_debug_alive(chip));
	assert_int_equal(chip_h7_core(chip)->before_halt, 0);
	sim_chip_destroy(chip);
}

static void test_instruction_counters(void **state)
{
	sim_chip *chip = make_chip("part = stm32h743zi\nflash.load = 0x08000000 %s\n");
	const core_h7 *core = chip_h7_core(chip);

	assert_string_equal(core_h7_program_name(core->program), "idle-firmware");
	advance(chip, 1 * MS);
	assert_int_equal(core->total, 64000u);
	ap_wr_ok(chip, 0, DHCSR, DBGKEY | 3u);
	advance(chip, 1 * MS);
	assert_int_equal(core->before_halt, 64000u);
	assert_int_equal(core->total, 64000u);
	ap_wr_ok(chip, 0, DHCSR, DBGKEY | 1u);
	advance(chip, 1 * MS);
	assert_int_equal(core->total, 128000u);
	assert_int_equal(core->before_halt, 64000u);
	/* SYSRESETREQ: a system reset, counters restart for the new boot. */
	ap_wr_ok(chip, 0, AIRCR, 0x05FA0004u);
	assert_int_equal(chip->system_resets, 1);
	assert_int_equal(ap_rd_ok(chip, 0, DHCSR) & (1u << 25), 1u << 25);
	advance(chip, 1 * MS);
	assert_int_equal(core->before_halt, 64000u);
	assert_int_equal(core->total, 192000u);
	sim_chip_destroy(chip);
}

/* OpenOCD's "step" plants a breakpoint on PC and resumes: the spinning core hits it at once. */
static void test_breakpoint_on_pc_halts(void **state)
{
	sim_chip *chip = make_chip(gpio_fw);

	sim_chip_set_reset_lines(chip, false, true);
	ap_wr_ok(chip, 0, DHCSR, DBGKEY | 1u);
	ap_wr_ok(chip, 0, DEMCR, 0x01000001u);
	sim_chip_set_reset_lines(chip, false, false);
	assert_string_equal(chip_h7_core_state(chip), "halted");
	ap_wr_ok(chip, 0, 0xE0002000u, 3u);          /* FP_CTRL: KEY | ENABLE */
	ap_wr_ok(chip, 0, 0xE0002008u, 0x08000299u); /* FP_COMP0 on the reset handler */
	ap_wr_ok(chip, 0, 0xE000ED30u, 0x1Fu);       /* clear DFSR */
	ap_wr_ok(chip, 0, DHCSR, DBGKEY | 1u);       /* resume */
	advance(chip, 1 * MS);
	assert_string_equal(chip_h7_core_state(chip), "halted");
	assert_int_equal(ap_rd_ok(chip, 0, 0xE000ED30u), 0x2u); /* DFSR.BKPT */
	assert_true(chip_h7_debug_alive(chip));      /* the script did not get to run */
	ap_wr_ok(chip, 0, 0xE0002008u, 0);
	ap_wr_ok(chip, 0, DHCSR, DBGKEY | 1u);
	advance(chip, 1 * MS);
	assert_false(chip_h7_debug_alive(chip));
	sim_chip_destroy(chip);
}

static const char *const lockout_fw =
	"part = stm32h743zi\nflash.load = 0x08000000 %s\n"
	"firmware.step = 64000 write 0x5802480C 0x00000001\n"
	"operator.step = srst_held 1s -> power_cycle 300ms\n";

static void test_supply_lockout_and_power_cycle_under_reset(void **state)
{
	sim_chip *chip = make_chip(lockout_fw);

	advance(chip, 2 * MS);
	assert_string_equal(chip_h7_core_state(chip), "locked-out");
	assert_false(chip_h7_debug_alive(chip));
	assert_true(sim_chip_jtag_tdo(chip));
	/* NRST does not help: CR3 is not reset by it and VCORE is gone. */
	sim_chip_set_reset_lines(chip, false, true);
	advance(chip, 500 * MS);
	assert_false(chip_h7_debug_alive(chip));
	advance(chip, 500 * MS); /* SRST held 1 s: the operator pulls the plug */
	assert_string_equal(chip_h7_core_state(chip), "unpowered");
	advance(chip, 300 * MS); /* back on, NRST still held */
	assert_string_equal(chip_h7_core_state(chip), "in-reset");
	assert_true(chip_h7_debug_alive(chip));
	assert_int_equal(chip->power_cycles, 1);
	assert_int_equal(ap_rd_ok(chip, 2, 0xE00E1000u), 0x20030450u);
	ap_wr_ok(chip, 0, DHCSR, DBGKEY | 1u);
	ap_wr_ok(chip, 0, DEMCR, 0x01000001u);
	sim_chip_set_reset_lines(chip, false, false);
	advance(chip, 10 * MS);
	assert_string_equal(chip_h7_core_state(chip), "halted");
	assert_int_equal(ap_rd_ok(chip, 0, PWR_CR3), 0x00000006u);
	/* Letting the firmware run again kills the board again. */
	ap_wr_ok(chip, 0, DHCSR, DBGKEY | 1u);
	advance(chip, 2 * MS);
	assert_string_equal(chip_h7_core_state(chip), "locked-out");
	sim_chip_destroy(chip);
}

static void test_boot0_runs_the_bootloader(void **state)
{
	sim_chip *chip = make_chip("part = stm32h743zi\nboot0 = 1\nflash.load = 0x08000000 %s\n"
				   "firmware.step = 64000 write 0x5802480C 0x00000001\n");

	advance(chip, 10 * MS);
	assert_string_equal(chip_h7_core_state(chip), "running");
	assert_string_equal(core_h7_program_name(chip_h7_core(chip)->program), "system-bootloader");
	assert_true(chip_h7_debug_alive(chip));
	/* Rev V ships V9.0 (0x90), which stores PWR_CR3 as a word: LDO kept, SCUEN used up (AN2606). */
	assert_int_equal(ap_rd_ok(chip, 1, PWR_CR3), 0x00000002u);
	assert_true(chip->pwr.supply_locked);
	assert_false(chip->pwr.supply_fault);
	sim_chip_destroy(chip);

	/* V9.1 fixed that: the register is left alone. */
	chip = make_chip("part = stm32h743zi\nboot0 = 1\nbootloader.id = 0x91\n");
	advance(chip, 10 * MS);
	assert_string_equal(core_h7_program_name(chip_h7_core(chip)->program), "system-bootloader");
	assert_int_equal(ap_rd_ok(chip, 1, PWR_CR3), 0x00000006u);
	assert_false(chip->pwr.supply_locked);
	sim_chip_destroy(chip);
}

static void test_stop_mode(void **state)
{
	sim_chip *chip = make_chip("part = stm32h743zi\nflash.load = 0x08000000 %s\nfirmware.step = 100 enter_stop\n");
	uint32_t v;

	advance(chip, 1 * MS);
	assert_string_equal(chip_h7_core_state(chip), "stop");
	assert_int_equal(ap_rd(chip, 0, DHCSR, &v), SIM_BUS_FAULT);
	assert_int_equal(ap_rd(chip, 0, 0x24000000u, &v), SIM_BUS_FAULT);
	assert_int_equal(ap_rd(chip, 1, 0x38000000u, &v), SIM_BUS_FAULT);
	assert_int_equal(ap_rd_ok(chip, 2, 0xE00E1000u), 0x20030450u);
	ap_wr_ok(chip, 2, 0xE00E1004u, 0x00000082u); /* DBGSTOP_D1 | DBGSTOP_D3 */
	assert_int_equal(ap_rd_ok(chip, 0, DHCSR) & (1u << 18), 1u << 18); /* S_SLEEP */
	assert_int_equal(ap_rd(chip, 1, 0x38000000u, &v), SIM_BUS_OK);
	ap_wr_ok(chip, 0, DHCSR, DBGKEY | 3u);
	advance(chip, 1);
	assert_string_equal(chip_h7_core_state(chip), "halted");
	assert_int_equal(chip_h7_core(chip)->lp, CORE_LP_NONE); /* the debug halt woke it from Stop */
	sim_chip_destroy(chip);

	chip = make_chip("part = stm32h743zi\nflash.load = 0x08000000 %s\nfirmware.step = 100 enter_standby\n");
	advance(chip, 1 * MS);
	assert_string_equal(chip_h7_core_state(chip), "standby");
	sim_chip_set_reset_lines(chip, false, true); /* NRST wakes it */
	sim_chip_set_reset_lines(chip, false, false);
	assert_string_equal(chip_h7_core_state(chip), "running");
	sim_chip_destroy(chip);
}

static void test_operator_steps_in_order(void **state)
{
	sim_chip *chip = make_chip("part = stm32h743zi\n"
				   "operator.step = session 2 -> boot0 1, power_cycle 1ms\n"
				   "operator.step = after 60ms -> power_off\n"
				   "operator.step = session 3 -> disconnect\n");

	advance(chip, 40 * MS); /* "after 60ms" is armed only once the session-2 step fired */
	assert_true(chip->powered);
	sim_chip_session_start(chip);
	sim_chip_session_end(chip);
	sim_chip_session_start(chip);
	assert_false(chip->powered);
	assert_true(chip->boot0);
	advance(chip, 1 * MS);
	assert_true(chip->powered);
	assert_string_equal(core_h7_program_name(chip_h7_core(chip)->program), "system-bootloader");
	advance(chip, 18 * MS); /* 59 ms */
	assert_true(chip->powered);
	advance(chip, 1 * MS);
	assert_false(chip->powered);
	assert_false(sim_chip_wants_disconnect(chip));
	sim_chip_session_end(chip);
	sim_chip_session_start(chip);
	assert_true(sim_chip_wants_disconnect(chip));
	sim_chip_session_end(chip);
	assert_false(sim_chip_wants_disconnect(chip));
	sim_chip_destroy(chip);
}

static void test_rdp1_intrusion(void **state)
{
	sim_chip *chip = make_chip("part = stm32h743zi\nRDP = 0x55\nflash.load = 0x08000000 %s\n");
	uint32_t v;

	assert_string_equal(chip_h7_core_state(chip), "running");
	chip->dp.hooks.powerup_request(chip->dp.hooks.ctx, true, true); /* a debugger powers the DP up */
	assert_int_equal(ap_rd(chip, 0, 0x08000000u, &v), SIM_BUS_FAULT);
	assert_int_equal(ap_rd(chip, 0, 0x38800000u, &v), SIM_BUS_FAULT); /* backup SRAM */
	/* NRST does not clear it: the core's vector fetch is refused too and it locks up. */
	sim_chip_set_reset_lines(chip, false, true);
	sim_chip_set_reset_lines(chip, false, false);
	assert_string_equal(chip_h7_core_state(chip), "lockup");
	sim_chip_destroy(chip);
}

static void test_rdp2_disables_the_aps(void **state)
{
	sim_chip *chip = make_chip("part = stm32h743zi\nRDP = 0xCC\n");

	for (unsigned i = 0; i < 3; i++) {
		sim_ap *ap = chip_h7_ap(chip, i);

		assert_false(ap->enabled(ap->chip_ctx));
	}
	sim_chip_destroy(chip);
}

/* Shift the two IDCODEs out after Test-Logic-Reset, sampling TDO with TCK low as OpenOCD does. */
static void test_jtag_idcodes(void **state)
{
	static const bool to_shift_dr[] = { 1, 1, 1, 1, 1, 0, 1, 0, 0 };
	sim_chip *chip = make_chip("part = stm32h743zi\n");
	uint64_t ids = 0;

	for (size_t i = 0; i < sizeof(to_shift_dr); i++) {
		sim_chip_jtag_clock(chip, false, to_shift_dr[i], false);
		sim_chip_jtag_clock(chip, true, to_shift_dr[i], false);
	}
	for (unsigned bit = 0; bit < 64; bit++) {
		sim_chip_jtag_clock(chip, false, bit == 63, false);
		ids |= (uint64_t)sim_chip_jtag_tdo(chip) << bit;
		sim_chip_jtag_clock(chip, true, bit == 63, false);
	}
	assert_int_equal((uint32_t)ids, 0x6BA00477u);
	assert_int_equal((uint32_t)(ids >> 32), 0x06450041u);
	sim_chip_destroy(chip);
}

static void test_state_json(void **state)
{
	sim_chip *chip = make_chip(lockout_fw);
	char path[] = "/tmp/test_chip_h7_json_XXXXXX", err[256], text[16384];
	int fd = mkstemp(path);
	FILE *f;
	size_t n;

	assert_true(fd >= 0);
	close(fd);
	advance(chip, 2 * MS);
	assert_int_equal(sim_chip_write_state(chip, path, err, sizeof(err)), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	unlink(path);
	assert_non_null(strstr(text, "\"part\": \"stm32h743zi\""));
	assert_non_null(strstr(text, "\"dev_id\": \"0x450\""));
	assert_non_null(strstr(text, "\"rev_id\": \"0x2003\""));
	assert_non_null(strstr(text, "\"core\": \"locked-out\""));
	assert_non_null(strstr(text, "\"debug_port\": \"dead\""));
	assert_non_null(strstr(text, "\"supply_fault\": true"));
	assert_non_null(strstr(text, "\"fw_instructions_total\": 64000"));
	assert_non_null(strstr(text, "\"flash_sha256\""));
	assert_non_null(strstr(text, "\"operator_steps_fired\": 0")); /* srst_held never happened */
	sim_chip_destroy(chip);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_part_table_errors),
		cmocka_unit_test(test_part_variants),
		cmocka_unit_test(test_blank_chip),
		cmocka_unit_test(test_memory_map),
		cmocka_unit_test(test_nrst_gating),
		cmocka_unit_test(test_firmware_kills_debug_and_connect_under_reset),
		cmocka_unit_test(test_breakpoint_on_pc_halts),
		cmocka_unit_test(test_instruction_counters),
		cmocka_unit_test(test_supply_lockout_and_power_cycle_under_reset),
		cmocka_unit_test(test_boot0_runs_the_bootloader),
		cmocka_unit_test(test_stop_mode),
		cmocka_unit_test(test_operator_steps_in_order),
		cmocka_unit_test(test_rdp1_intrusion),
		cmocka_unit_test(test_rdp2_disables_the_aps),
		cmocka_unit_test(test_jtag_idcodes),
		cmocka_unit_test(test_state_json),
	};

	return cmocka_run_group_tests(tests, write_image, remove_image);
}
