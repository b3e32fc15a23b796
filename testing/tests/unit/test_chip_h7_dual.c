/*
 * The dual-core STM32H745/H747/H755/H757 (facts A.6): AP3 and the
 * Cortex-M4's debug registers, its bus view, BCM7/BCM4 clock gating and the
 * RCC_GCR release, SYSCFG_UR1, which core runs the firmware script, resets
 * shared by both cores, D2 low-power gating, and field report 001 on an
 * SMPS-wired H745 (supply lockout, hold reset through a power cycle).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "chip_h7_testutil.h"

#define RCC_GCR    0x580244A0u
#define SYSCFG_UR1 0x58000704u
#define DBGMCU_CR_APBD 0xE00E1004u
#define OPTSR_CUR  0x5200201Cu

static const char *const two_images =
	"part = stm32h745zi\nflash.load = 0x08000000 %1$s\nflash.load = 0x08100000 %2$s\n";

static void test_both_cores_and_their_ports(void **state)
{
	sim_chip *chip = tu_make_chip(two_images);

	assert_non_null(chip_h7_ap(chip, 3));
	assert_true(tu_ap_enabled(chip, 0));
	assert_true(tu_ap_enabled(chip, 3));
	assert_int_equal(tu_rd_ok(chip, 0, TU_CPUID), 0x411FC271u);
	assert_int_equal(tu_rd_ok(chip, 3, TU_CPUID), 0x410FC241u);
	assert_int_equal(tu_rd_ok(chip, 3, 0xE000EF40u), 0x10110021u); /* FPv4-SP */
	assert_string_equal(chip_h7_core_state(chip), "running");
	assert_string_equal(chip_h7_cm4_state(chip), "running");
	assert_string_equal(core_h7_program_name(chip_h7_cm4_core(chip)->program), "idle-firmware");
	/* Both cores read the same DBGMCU and flash controller; factory dual-core OPTSR (facts A.4). */
	assert_int_equal(tu_rd_ok(chip, 3, 0x5C001000u), 0x20030450u);
	assert_int_equal(tu_rd_ok(chip, 3, OPTSR_CUR), 0x03C6AAF0u);
	assert_int_equal(tu_rd_ok(chip, 0, OPTSR_CUR), 0x03C6AAF0u);
	/* SYSCFG_UR1 shows BCM4 (bit 0) and BCM7 (bit 16). */
	assert_int_equal(tu_rd_ok(chip, 1, SYSCFG_UR1), 0x00010001u);
	tu_advance(chip, 1 * TU_MS);
	assert_int_equal(chip_h7_cm4_core(chip)->total, 64000u);
	sim_chip_destroy(chip);
}

static void test_m4_bus_view(void **state)
{
	sim_chip *chip = tu_make_chip(two_images);
	uint32_t v;

	/* The M4 cannot read the flash-size register (facts A.6) nor anything in system memory. */
	assert_int_equal(tu_rd(chip, 3, 0x1FF1E880u, 2, &v), SIM_BUS_FAULT);
	assert_int_equal(tu_rd(chip, 3, 0x1FF1E800u, 4, &v), SIM_BUS_FAULT);
	assert_int_equal(tu_rd_ok(chip, 0, 0x1FF1E880u) & 0xFFFFu, 2048u);
	/* Nor the M7's TCMs. */
	assert_int_equal(tu_rd(chip, 3, 0x00000000u, 4, &v), SIM_BUS_FAULT);
	assert_int_equal(tu_rd(chip, 3, 0x20000000u, 4, &v), SIM_BUS_FAULT);
	/* SRAM1 through its 0x10000000 alias is the same memory as at 0x30000000. */
	tu_wr_ok(chip, 3, 0x10000010u, 0x11223344u);
	assert_int_equal(tu_rd_ok(chip, 0, 0x30000010u), 0x11223344u);
	tu_wr_ok(chip, 3, 0x24000000u, 0x55u);
	assert_int_equal(tu_rd_ok(chip, 0, 0x24000000u), 0x55u);
	assert_int_equal(tu_rd_ok(chip, 3, 0x08100000u), 0x10048000u);
	sim_chip_destroy(chip);
}

/* Field report 001: BCM7 = 0 gates the M7, AP0 faults; AP1 can release it through RCC_GCR. */
static void test_bcm7_off(void **state)
{
	sim_chip *chip = tu_make_chip("part = stm32h755zi\nBCM7 = 0\nflash.load = 0x08000000 %1$s\n"
				      "flash.load = 0x08100000 %2$s\n");

	assert_false(tu_ap_enabled(chip, 0));
	assert_true(tu_ap_enabled(chip, 3));
	assert_string_equal(chip_h7_core_state(chip), "clock-gated");
	assert_string_equal(chip_h7_cm4_state(chip), "running");
	assert_int_equal(tu_rd_ok(chip, 1, SYSCFG_UR1), 0x00000001u);
	assert_int_equal(tu_rd_ok(chip, 2, 0xE00E1000u), 0x20030450u);
	tu_advance(chip, 1 * TU_MS);
	assert_int_equal(chip_h7_core(chip)->total, 0);
	/* RCC is in D3: the debugger releases the M7 through AP1. */
	tu_wr_ok(chip, 1, RCC_GCR, 1u << 2);
	assert_true(tu_ap_enabled(chip, 0));
	assert_string_equal(chip_h7_core_state(chip), "running");
	assert_int_equal(tu_rd_ok(chip, 1, RCC_GCR), 1u << 2);
	tu_wr_ok(chip, 1, RCC_GCR, 0); /* set-only until reset */
	assert_int_equal(tu_rd_ok(chip, 1, RCC_GCR), 1u << 2);
	/* The next reset loads BCM7 = 0 again. */
	sim_chip_set_reset_lines(chip, false, true);
	sim_chip_set_reset_lines(chip, false, false);
	assert_false(tu_ap_enabled(chip, 0));
	assert_int_equal(tu_rd_ok(chip, 1, RCC_GCR), 0);
	sim_chip_destroy(chip);
}

/* BCM4 = BCM7 = 0: UNCONFIRMED, the harder choice: both gated, only AP1 and AP2 answer. */
static void test_both_cores_gated(void **state)
{
	sim_chip *chip = tu_make_chip("part = stm32h745zi\nBCM7 = 0\nBCM4 = 0\nflash.load = 0x08000000 %1$s\n");

	assert_false(tu_ap_enabled(chip, 0));
	assert_false(tu_ap_enabled(chip, 3));
	assert_true(tu_ap_enabled(chip, 1));
	assert_true(tu_ap_enabled(chip, 2));
	assert_string_equal(chip_h7_cm4_state(chip), "clock-gated");
	assert_int_equal(tu_rd_ok(chip, 1, SYSCFG_UR1), 0);
	/* Connect under reset does not open them either. */
	sim_chip_set_reset_lines(chip, false, true);
	assert_false(tu_ap_enabled(chip, 0));
	sim_chip_set_reset_lines(chip, false, false);
	tu_wr_ok(chip, 1, RCC_GCR, 1u << 3); /* BOOT_C2: release the M4 */
	assert_true(tu_ap_enabled(chip, 3));
	assert_false(tu_ap_enabled(chip, 0));
	assert_string_equal(chip_h7_cm4_state(chip), "lockup"); /* erased bank 2 */
	sim_chip_destroy(chip);
}

/* The script runs on the M7 by default, on the M4 when only it boots the image; never on both. */
static void test_which_core_runs_the_script(void **state)
{
	const char *m4_script = "part = stm32h745zi\nBCM7 = 0\nBOOT_CM4_ADD0 = 0x0800\nflash.load = 0x08000000 %1$s\n"
				"firmware.step = 6400 debug_pins_gpio\n";
	sim_chip *chip = tu_make_chip(two_images);

	assert_int_equal(chip_h7_cm4_core(chip)->program, CORE_PROG_IDLE);
	sim_chip_destroy(chip);

	chip = tu_make_chip(m4_script);
	assert_int_equal(chip_h7_cm4_core(chip)->program, CORE_PROG_SCRIPT);
	/* Released later, the M7 boots the same image but the script is already running on the M4. */
	tu_wr_ok(chip, 3, RCC_GCR, 1u << 2);
	assert_int_equal(chip_h7_core(chip)->program, CORE_PROG_IDLE);
	tu_advance(chip, 100);
	assert_false(chip_h7_debug_alive(chip));
	sim_chip_destroy(chip);
}

/* SYSRESETREQ from either core resets the system: both cores, one reset each time. */
static void test_sysresetreq_from_m4_resets_both(void **state)
{
	sim_chip *chip = tu_make_chip(two_images);

	tu_catch_reset(chip, 0);
	tu_catch_reset(chip, 3);
	tu_wr_ok(chip, 3, TU_AIRCR, 0x05FA0004u);
	assert_int_equal(chip->system_resets, 1);
	assert_string_equal(chip_h7_core_state(chip), "halted");
	assert_string_equal(chip_h7_cm4_state(chip), "halted");
	assert_int_equal(chip->cpu[H7_CM4].dbg.pc, 0x08100298u);
	/* VECTRESET of the M4 resets only the M4. */
	tu_wr_ok(chip, 0, TU_DHCSR, TU_DBGKEY | 1u);
	tu_advance(chip, 1 * TU_MS);
	tu_wr_ok(chip, 3, TU_AIRCR, 0x05FA0001u);
	assert_int_equal(chip->system_resets, 1);
	assert_string_equal(chip_h7_core_state(chip), "running");
	assert_string_equal(chip_h7_cm4_state(chip), "halted");
	assert_int_equal(chip_h7_core(chip)->total, 64000u);
	sim_chip_destroy(chip);
}

/* The M4's Stop mode: AP3 needs DBGMCU_CR.DBGSTOP_D2, AP1 DBGSTOP_D3 once every running core sleeps. */
static void test_m4_stop_mode(void **state)
{
	sim_chip *chip = tu_make_chip("part = stm32h745zi\nBCM7 = 0\nBOOT_CM4_ADD0 = 0x0800\n"
				      "flash.load = 0x08000000 %1$s\nfirmware.step = 100 enter_stop\n");
	uint32_t v;

	tu_advance(chip, 1 * TU_MS);
	assert_string_equal(chip_h7_cm4_state(chip), "stop");
	assert_int_equal(tu_rd(chip, 3, TU_DHCSR, 4, &v), SIM_BUS_FAULT);
	assert_int_equal(tu_rd(chip, 1, 0x38000000u, 4, &v), SIM_BUS_FAULT);
	tu_wr_ok(chip, 2, DBGMCU_CR_APBD, 1u << 4); /* DBGSTOP_D2 */
	assert_int_equal(tu_rd(chip, 3, TU_DHCSR, 4, &v), SIM_BUS_OK);
	assert_int_equal(tu_rd(chip, 1, 0x38000000u, 4, &v), SIM_BUS_FAULT);
	tu_wr_ok(chip, 2, DBGMCU_CR_APBD, (1u << 4) | (1u << 7)); /* + DBGSTOP_D3 */
	assert_int_equal(tu_rd(chip, 1, 0x38000000u, 4, &v), SIM_BUS_OK);
	sim_chip_destroy(chip);
}

/* Field report 001 on an SMPS-wired H745: LDO selected -> lockout; reset held through a power cycle. */
static void test_smps_board_ldo_firmware(void **state)
{
	sim_chip *chip = tu_make_chip("part = stm32h745zi\nflash.load = 0x08000000 %1$s\n"
				      "flash.load = 0x08100000 %2$s\n"
				      "firmware.step = 3000 write 0x5802480C 0x00000002\n"
				      "operator.step = srst_held 500ms -> power_cycle 300ms\n");

	assert_int_equal(chip->pwr.board, PWR_SUPPLY_DIRECT_SMPS); /* the SMPS part's default wiring */
	tu_advance(chip, 1 * TU_MS);
	assert_string_equal(chip_h7_core_state(chip), "locked-out");
	assert_string_equal(chip_h7_cm4_state(chip), "locked-out");
	assert_false(chip_h7_debug_alive(chip));
	sim_chip_set_reset_lines(chip, false, true);
	tu_advance(chip, 500 * TU_MS); /* the operator pulls the plug */
	assert_string_equal(chip_h7_core_state(chip), "unpowered");
	tu_advance(chip, 300 * TU_MS);
	assert_true(chip_h7_debug_alive(chip));
	/* Under reset both cores' debug registers answer: catch both at their reset vectors. */
	tu_catch_reset(chip, 0);
	tu_catch_reset(chip, 3);
	sim_chip_set_reset_lines(chip, false, false);
	tu_advance(chip, 10 * TU_MS);
	assert_string_equal(chip_h7_core_state(chip), "halted");
	assert_string_equal(chip_h7_cm4_state(chip), "halted");
	assert_int_equal(tu_rd_ok(chip, 0, TU_PWR_CR3), 0x00000006u);
	assert_int_equal(chip_h7_core(chip)->before_halt, 0);
	sim_chip_destroy(chip);
}

/* BOOT0 high: the system bootloader on the M7 (V9.0 locks PWR_CR3 as is); the M4 boots SRAM (noise). */
static void test_boot0_on_dual_core(void **state)
{
	sim_chip *chip = tu_make_chip("part = stm32h747xi\nboot0 = 1\nflash.load = 0x08000000 %1$s\n");

	assert_int_equal(chip_h7_core(chip)->program, CORE_PROG_BOOTLOADER);
	assert_int_equal(chip_h7_cm4_core(chip)->program, CORE_PROG_LOCKED);
	assert_int_equal(chip_h7_cm4_core(chip)->boot_addr, 0x10000000u); /* BOOT_CM4_ADD1 factory 0x1000 */
	assert_true(chip->pwr.supply_locked);
	assert_false(chip->pwr.supply_fault);
	assert_int_equal(tu_rd_ok(chip, 1, TU_PWR_CR3) & 0x3Fu, 0x06u);
	assert_true(chip_h7_debug_alive(chip));
	sim_chip_destroy(chip);
}

static void test_dual_core_json(void **state)
{
	sim_chip *chip = tu_make_chip("part = stm32h755zi\nBCM7 = 0\nflash.load = 0x08100000 %2$s\n");
	char path[] = "/tmp/test_chip_h7_dual_XXXXXX", err[256], text[16384];
	int fd = mkstemp(path);
	FILE *f;
	size_t n;

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(sim_chip_write_state(chip, path, err, sizeof(err)), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	unlink(path);
	assert_non_null(strstr(text, "\"core\": \"clock-gated\""));
	assert_non_null(strstr(text, "\"core_cm4\": \"running\""));
	assert_non_null(strstr(text, "\"firmware_cm4\": \"idle-firmware\""));
	assert_non_null(strstr(text, "\"cm7_clock_gated\": true"));
	assert_non_null(strstr(text, "\"cortex_m4\""));
	assert_non_null(strstr(text, "\"dual_core\": true"));
	assert_non_null(strstr(text, "\"smps_part\": true"));
	assert_non_null(strstr(text, "\"bootloader_id\": \"0x90\""));
	sim_chip_destroy(chip);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_both_cores_and_their_ports),
		cmocka_unit_test(test_m4_bus_view),
		cmocka_unit_test(test_bcm7_off),
		cmocka_unit_test(test_both_cores_gated),
		cmocka_unit_test(test_which_core_runs_the_script),
		cmocka_unit_test(test_sysresetreq_from_m4_resets_both),
		cmocka_unit_test(test_m4_stop_mode),
		cmocka_unit_test(test_smps_board_ldo_firmware),
		cmocka_unit_test(test_boot0_on_dual_core),
		cmocka_unit_test(test_dual_core_json),
	};

	return cmocka_run_group_tests(tests, tu_write_images, tu_remove_images);
}
