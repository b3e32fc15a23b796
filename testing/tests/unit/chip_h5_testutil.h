/*
 * Helpers shared by the tests that drive a whole simulated STM32H5 through
 * the buses its access ports master (test_chip_h5.c, test_chip_h5_da.c):
 * scenario text to chip, AP0/AP1 accesses with a chosen security attribute,
 * the DA mailbox handshake of docs/h5-debug-authentication.md §1 with
 * bounded waits.  Time is frozen and moved by hand.  Include after
 * <cmocka.h>.
 */
#ifndef STM32SIM_TEST_CHIP_H5_TESTUTIL_H
#define STM32SIM_TEST_CHIP_H5_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chip_family.h"
#include "chip_h5.h"
#include "chip_h5_internal.h"

#define H5_DHCSR    0xE000EDF0u
#define H5_DEMCR    0xE000EDFCu
#define H5_AIRCR    0xE000ED0Cu
#define H5_CPUID    0xE000ED00u
#define H5_DSCSR    0xE000EE08u
#define H5_DAUTH    0xE000EFB8u
#define H5_DBGKEY   0xA05F0000u
#define H5_MB_HOST  0xE00E4100u
#define H5_MB_DEV   0xE00E4104u
#define H5_MB_ACK   0xE00E4108u
#define H5_MS       1000u
#define CSW_HNONSEC (1u << 30)

static scenario h5_scenario;
/* A vector table image: %1$s in a scenario text (SP 0x20010000, reset handler 0x08000201). */
static char h5_image[64];

static inline int h5_write_image(void **state)
{
	uint8_t img[0x100];
	uint32_t vec[2] = { 0x20010000u, 0x08000201u };
	int fd;

	memset(img, 0xFF, sizeof(img));
	memcpy(img, vec, sizeof(vec));
	snprintf(h5_image, sizeof(h5_image), "/tmp/test_chip_h5_XXXXXX");
	fd = mkstemp(h5_image);
	if (fd < 0)
		return -1;
	if (write(fd, img, sizeof(img)) != (ssize_t)sizeof(img)) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static inline int h5_remove_image(void **state)
{
	unlink(h5_image);
	return 0;
}

static inline sim_chip *h5_try_chip(const char *text, char *err, size_t errlen)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), text, h5_image);
	sim_clock_freeze(0);
	if (scenario_parse(&h5_scenario, buf, "<test>", err, errlen) != 0)
		return NULL;
	return sim_chip_create(&h5_scenario, err, errlen);
}

static inline sim_chip *h5_make_chip(const char *text)
{
	char err[1024];
	sim_chip *chip = h5_try_chip(text, err, sizeof(err));

	if (!chip)
		fail_msg("sim_chip_create: %s", err);
	if (scenario_first_unused(&h5_scenario))
		fail_msg("scenario key '%s' unused", scenario_first_unused(&h5_scenario)->key);
	return chip;
}

static inline h5_chip *h5c(sim_chip *chip)
{
	return h5_of(chip);
}

static inline void h5_advance(sim_chip *chip, sim_time_us us)
{
	sim_clock_advance(us);
	chip_h5_sync(chip);
}

/* AP1's security attribute for the next accesses: CSW.HNONSEC, as a debugger writes it. */
static inline void h5_set_nonsecure(sim_chip *chip, bool nonsecure)
{
	sim_mem_ap *ap = chip_h5_mem_ap(chip, 1);

	assert_int_equal(ap->ap.ops->write_reg(&ap->ap, 0x00, 0x23000002u | (nonsecure ? CSW_HNONSEC : 0)),
			 SIM_BUS_OK);
}

static inline sim_bus_result h5_rd(sim_chip *chip, unsigned ap, uint32_t addr, uint32_t *v)
{
	sim_bus bus = chip_h5_ap_bus(chip, ap);

	chip_h5_sync(chip);
	*v = 0;
	return sim_bus_read(&bus, addr, 4, v);
}

static inline sim_bus_result h5_wr(sim_chip *chip, unsigned ap, uint32_t addr, uint32_t v)
{
	sim_bus bus = chip_h5_ap_bus(chip, ap);

	chip_h5_sync(chip);
	return sim_bus_write(&bus, addr, 4, v);
}

static inline uint32_t h5_rd_ok(sim_chip *chip, unsigned ap, uint32_t addr)
{
	uint32_t v = 0;

	assert_int_equal(h5_rd(chip, ap, addr, &v), SIM_BUS_OK);
	return v;
}

static inline void h5_wr_ok(sim_chip *chip, unsigned ap, uint32_t addr, uint32_t v)
{
	assert_int_equal(h5_wr(chip, ap, addr, v), SIM_BUS_OK);
}

/* An AP register as the DP reads it, including the AP's enable gate (IDR at 0xFC). */
static inline bool h5_ap_reg(sim_chip *chip, unsigned apsel, uint8_t reg, uint32_t *v)
{
	sim_mem_ap *ap = chip_h5_mem_ap(chip, apsel);

	chip_h5_sync(chip);
	if (ap->ap.enabled && !ap->ap.enabled(ap->ap.chip_ctx))
		return false;
	return ap->ap.ops->read_reg(&ap->ap, reg, v) == SIM_BUS_OK;
}

/* ------------------------------------------------------- DA mailbox -- */

/* Host -> device: wait (bounded) for HOST_ACK = 0, then write the word. */
static inline void h5_da_put(sim_chip *chip, uint32_t word)
{
	for (unsigned i = 0; i < 10000 && (h5_rd_ok(chip, 0, H5_MB_ACK) & DA_ACK_HOST); i++)
		h5_advance(chip, 10);
	assert_int_equal(h5_rd_ok(chip, 0, H5_MB_ACK) & DA_ACK_HOST, 0);
	h5_wr_ok(chip, 0, H5_MB_HOST, word);
}

/* Device -> host: wait (bounded: 1 s simulated) for DEV_ACK = 1, then read the word. */
static inline uint32_t h5_da_get(sim_chip *chip)
{
	for (unsigned i = 0; i < 100000 && !(h5_rd_ok(chip, 0, H5_MB_ACK) & DA_ACK_DEV); i++)
		h5_advance(chip, 10);
	assert_true(h5_rd_ok(chip, 0, H5_MB_ACK) & DA_ACK_DEV);
	return h5_rd_ok(chip, 0, H5_MB_DEV);
}

/* One ADAC request (command, data words) and its response; returns the status, data in `out`. */
static inline uint16_t h5_da_request(sim_chip *chip, uint16_t cmd, const uint32_t *data, uint32_t n,
				     uint32_t *out, uint32_t cap, uint32_t *out_n)
{
	uint32_t hdr, count;

	h5_da_put(chip, (uint32_t)cmd << 16);
	h5_da_put(chip, n);
	for (uint32_t i = 0; i < n; i++)
		h5_da_put(chip, data[i]);
	hdr = h5_da_get(chip);
	count = h5_da_get(chip);
	assert_int_equal(hdr & 0xFFFFu, 0);
	assert_true(count <= cap);
	for (uint32_t i = 0; i < count; i++)
		out[i] = h5_da_get(chip);
	*out_n = count;
	return (uint16_t)(hdr >> 16);
}

/* Under NRST: the request word, then release; the ROM answers DAOK. */
static inline void h5_da_enter(sim_chip *chip)
{
	sim_chip_set_reset_lines(chip, false, true);
	h5_advance(chip, H5_MS);
	h5_wr_ok(chip, 0, 0xE0044100u, DA_ENTRY_REQUEST); /* the other debugger address of DBGMCU */
	sim_chip_set_reset_lines(chip, false, false);
	assert_int_equal(h5_da_get(chip), DA_ENTRY_REPLY);
}

/* Start authentication, then the password TLV (type 0x8000). */
static inline uint16_t h5_da_password(sim_chip *chip, const char *password)
{
	uint32_t out[16], n, data[8] = { 0 };
	size_t len = strlen(password);

	assert_int_equal(h5_da_request(chip, 0x02, NULL, 0, out, 16, &n), 0);
	assert_int_equal(n, 9); /* version word + 32-byte challenge */
	data[0] = 0x8000u << 16;
	data[1] = (uint32_t)len;
	memcpy(&data[2], password, len);
	return h5_da_request(chip, 0x03, data, 2 + (uint32_t)((len + 3) / 4), out, 16, &n);
}

#endif
