/*
 * Helpers shared by the chip tests that drive a whole simulated STM32H7
 * through the buses its access ports master (test_chip_h7_dual.c,
 * test_chip_h7_lines.c, test_chip_h7_scenarios.c).  Time is frozen and moved
 * by hand.  Include after <cmocka.h>.
 */
#ifndef STM32SIM_TEST_CHIP_H7_TESTUTIL_H
#define STM32SIM_TEST_CHIP_H7_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chip_h7.h"
#include "chip_h7_internal.h"

#define TU_DHCSR   0xE000EDF0u
#define TU_DEMCR   0xE000EDFCu
#define TU_AIRCR   0xE000ED0Cu
#define TU_CPUID   0xE000ED00u
#define TU_PWR_CR3 0x5802480Cu
#define TU_DBGKEY  0xA05F0000u
#define TU_MS      1000u

static scenario tu_scenario;
/* Images for the tests' scenarios: %1$s the Cortex-M7 one (0x08000000), %2$s the Cortex-M4 one (0x08100000). */
static char tu_image_m7[64], tu_image_m4[64];

static inline int tu_write_one(char *path, size_t len, uint32_t sp, uint32_t pc)
{
	uint8_t img[0x300];
	uint32_t vec[2] = { sp, pc };
	int fd;

	memset(img, 0xFF, sizeof(img));
	memcpy(img, vec, sizeof(vec));
	snprintf(path, len, "/tmp/test_chip_h7_XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (write(fd, img, sizeof(img)) != (ssize_t)sizeof(img)) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* Group setup: the application images app-loop.bin / app-loop-cm4.bin describe (images/README.md). */
static inline int tu_write_images(void **state)
{
	if (tu_write_one(tu_image_m7, sizeof(tu_image_m7), 0x24080000u, 0x08000299u) != 0)
		return -1;
	return tu_write_one(tu_image_m4, sizeof(tu_image_m4), 0x10048000u, 0x08100299u);
}

static inline int tu_remove_images(void **state)
{
	unlink(tu_image_m7);
	unlink(tu_image_m4);
	return 0;
}

/* `text` may name the images as %1$s (Cortex-M7) and %2$s (Cortex-M4). */
static inline sim_chip *tu_try_chip(const char *text, char *err, size_t errlen)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), text, tu_image_m7, tu_image_m4);
	sim_clock_freeze(0);
	if (scenario_parse(&tu_scenario, buf, "<test>", err, errlen) != 0)
		return NULL;
	return sim_chip_create(&tu_scenario, err, errlen);
}

static inline sim_chip *tu_make_chip(const char *text)
{
	char err[1024];
	sim_chip *chip = tu_try_chip(text, err, sizeof(err));

	if (!chip)
		fail_msg("sim_chip_create: %s", err);
	return chip;
}

static inline void tu_advance(sim_chip *chip, sim_time_us us)
{
	sim_clock_advance(us);
	chip_h7_sync(chip);
}

static inline sim_bus_result tu_rd(sim_chip *chip, unsigned ap, uint32_t addr, unsigned size, uint32_t *v)
{
	sim_bus bus = chip_h7_ap_bus(chip, ap);

	chip_h7_sync(chip);
	return sim_bus_read(&bus, addr, size, v);
}

static inline uint32_t tu_rd_ok(sim_chip *chip, unsigned ap, uint32_t addr)
{
	uint32_t v = 0;

	assert_int_equal(tu_rd(chip, ap, addr, 4, &v), SIM_BUS_OK);
	return v;
}

static inline void tu_wr_ok(sim_chip *chip, unsigned ap, uint32_t addr, uint32_t v)
{
	sim_bus bus = chip_h7_ap_bus(chip, ap);

	chip_h7_sync(chip);
	assert_int_equal(sim_bus_write(&bus, addr, 4, v), SIM_BUS_OK);
}

/* Does the access port answer at all (not clock gated, not RDP level 2)? */
static inline bool tu_ap_enabled(sim_chip *chip, unsigned ap)
{
	sim_ap *a = chip_h7_ap(chip, ap);

	return a && (!a->enabled || a->enabled(a->chip_ctx));
}

/* Connect under reset: halting debug and reset vector catch set through the core's AP while NRST is held. */
static inline void tu_catch_reset(sim_chip *chip, unsigned ap)
{
	tu_wr_ok(chip, ap, TU_DHCSR, TU_DBGKEY | 1u);
	tu_wr_ok(chip, ap, TU_DEMCR, 0x01000001u);
}

#endif
