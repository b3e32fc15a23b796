/*
 * Unit tests for testing/sim/mem_ap.c through its sim_ap register interface,
 * over a test bus that records every access.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mem_ap.h"
#include "sim_common.h"

#define CSW 0x00u
#define TAR 0x04u
#define DRW 0x0Cu
#define BD0 0x10u
#define CFG 0xF4u
#define BASE 0xF8u
#define IDR 0xFCu

#define CSW_BYTE 0x0u
#define CSW_HALF 0x1u
#define CSW_WORD 0x2u
#define INC_OFF 0x00u
#define INC_SINGLE 0x10u
#define INC_PACKED 0x20u
#define DEVICEEN 0x40u

#define RAM_BASE 0x20000000u
#define RAM_SIZE 0x1000u

typedef struct access {
	uint32_t addr;
	unsigned size;
	uint32_t value;
	bool write;
} access;

static struct {
	uint8_t ram[RAM_SIZE];
	access log[64];
	unsigned n;
} bus;

static sim_bus_result ram_read(void *ctx, uint32_t addr, unsigned size, uint32_t *value)
{
	if (addr < RAM_BASE || addr + size > RAM_BASE + RAM_SIZE || (addr & (size - 1)))
		return SIM_BUS_FAULT;
	*value = 0;
	memcpy(value, bus.ram + (addr - RAM_BASE), size);
	if (bus.n < 64)
		bus.log[bus.n++] = (access){ addr, size, *value, false };
	return SIM_BUS_OK;
}

static sim_bus_result ram_write(void *ctx, uint32_t addr, unsigned size, uint32_t value)
{
	if (addr < RAM_BASE || addr + size > RAM_BASE + RAM_SIZE || (addr & (size - 1)))
		return SIM_BUS_FAULT;
	if (size < 4)
		assert_int_equal(value >> (8 * size), 0); /* bus values are right-aligned */
	memcpy(bus.ram + (addr - RAM_BASE), &value, size);
	if (bus.n < 64)
		bus.log[bus.n++] = (access){ addr, size, value, true };
	return SIM_BUS_OK;
}

static sim_mem_ap ap;

static int setup_packed(bool packed)
{
	sim_mem_ap_config cfg = { .idr = 0x84770001, .base = 0xE00FE003, .cfg = 0, .csw_rw_mask = 0x0F000000,
				  .csw_reset = 0x23000040, .packed_supported = packed };

	memset(&bus, 0, sizeof(bus));
	sim_mem_ap_init(&ap, &cfg, (sim_bus){ ram_read, ram_write, NULL });
	return 0;
}

static int setup(void **state)
{
	return setup_packed(true);
}

static int setup_no_packed(void **state)
{
	return setup_packed(false);
}

/* The AHB-AP in front of a Cortex-M4: TAR increments across 4 KiB blocks. */
static int setup_4k(void **state)
{
	sim_mem_ap_config cfg = { .idr = 0x84770001, .base = 0xE00FE003, .cfg = 0, .csw_rw_mask = 0x0F000000,
				  .csw_reset = 0x23000040, .packed_supported = true, .tar_inc_block = 0x1000 };

	memset(&bus, 0, sizeof(bus));
	sim_mem_ap_init(&ap, &cfg, (sim_bus){ ram_read, ram_write, NULL });
	return 0;
}

static uint32_t rd(uint8_t off)
{
	uint32_t v = 0xDEADBEEF;

	assert_int_equal(ap.ap.ops->read_reg(&ap.ap, off, &v), SIM_BUS_OK);
	return v;
}

static void wr(uint8_t off, uint32_t v)
{
	assert_int_equal(ap.ap.ops->write_reg(&ap.ap, off, v), SIM_BUS_OK);
}

static void test_id_registers_read_only(void **state)
{
	unsigned long ge = sim_log_guest_error_count();

	assert_int_equal(rd(IDR), 0x84770001);
	assert_int_equal(rd(BASE), 0xE00FE003);
	assert_int_equal(rd(CFG), 0);
	wr(IDR, 0);
	wr(BASE, 0);
	assert_int_equal(rd(IDR), 0x84770001);
	assert_int_equal(rd(BASE), 0xE00FE003);
	assert_int_equal(sim_log_guest_error_count(), ge + 2);
	/* Other offsets read 0 and are reported. */
	assert_int_equal(rd(0x20), 0);
	wr(0x08, 1);
	assert_int_equal(sim_log_guest_error_count(), ge + 4);
}

static void test_csw_masks_and_fixed_bits(void **state)
{
	/* Reset: reset value, DeviceEn reads 1. */
	assert_int_equal(rd(CSW), 0x23000040);
	/* Writable bits follow csw_rw_mask; DeviceEn stays 1, TrInProg 0, bit 3 RAZ. */
	wr(CSW, 0xF8000000u | 0x80 | 0x08 | INC_SINGLE | CSW_HALF);
	assert_int_equal(rd(CSW), 0x28000000u | DEVICEEN | INC_SINGLE | CSW_HALF);
	/* Bits outside the mask keep their reset value even when written 0. */
	wr(CSW, 0x00000000);
	assert_int_equal(rd(CSW), 0x20000000u | DEVICEEN);
	unsigned long ge = sim_log_guest_error_count();

	wr(CSW, 0x3); /* 64-bit Size: reserved here, treated (and read back) as word */
	assert_int_equal(rd(CSW) & 7u, CSW_WORD);
	assert_int_equal(sim_log_guest_error_count(), ge + 1);
}

static void test_packed_probe_reads_back(void **state)
{
	/* OpenOCD mem_ap_init: CSW = byte | packed, then read back. */
	wr(CSW, 0xA2000000u | INC_PACKED | CSW_BYTE);
	assert_int_equal(rd(CSW) & 0x30u, INC_PACKED);
}

static void test_packed_probe_without_support(void **state)
{
	unsigned long ge = sim_log_guest_error_count();

	wr(CSW, INC_PACKED | CSW_BYTE);
	assert_int_equal(rd(CSW) & 0x30u, INC_OFF);
	assert_int_equal(sim_log_guest_error_count(), ge); /* probing is legitimate */
}

static void test_tar_autoincrement_wraps_in_1k(void **state)
{
	wr(CSW, INC_SINGLE | CSW_WORD);
	wr(TAR, RAM_BASE + 0x3F8);
	wr(DRW, 0x11111111);
	wr(DRW, 0x22222222);
	wr(DRW, 0x33333333); /* wraps to the start of the same 1 KiB block */
	assert_int_equal(rd(TAR), RAM_BASE + 0x004);
	assert_int_equal(bus.n, 3);
	assert_int_equal(bus.log[0].addr, RAM_BASE + 0x3F8);
	assert_int_equal(bus.log[1].addr, RAM_BASE + 0x3FC);
	assert_int_equal(bus.log[2].addr, RAM_BASE + 0x000);
	assert_int_equal(bus.log[2].value, 0x33333333);
	assert_int_equal(ap.words_transferred, 3);
}

static void test_tar_autoincrement_in_4k(void **state)
{
	wr(CSW, INC_SINGLE | CSW_WORD);
	wr(TAR, RAM_BASE + 0x3FC);
	wr(DRW, 0x11111111);
	wr(DRW, 0x22222222); /* crosses the 1 KiB boundary */
	assert_int_equal(bus.log[1].addr, RAM_BASE + 0x400);
	wr(TAR, RAM_BASE + 0xFFC);
	wr(DRW, 0x33333333);
	wr(DRW, 0x44444444); /* wraps inside the 4 KiB block */
	assert_int_equal(bus.log[3].addr, RAM_BASE + 0x000);
	assert_int_equal(rd(TAR), RAM_BASE + 0x004);
}

static void test_addrinc_off_keeps_tar(void **state)
{
	wr(CSW, INC_OFF | CSW_WORD);
	wr(TAR, RAM_BASE + 0x10);
	wr(DRW, 0xA5A5A5A5);
	assert_int_equal(rd(DRW), 0xA5A5A5A5);
	assert_int_equal(rd(TAR), RAM_BASE + 0x10);
}

static void test_byte_lanes(void **state)
{
	wr(CSW, INC_SINGLE | CSW_BYTE);
	wr(TAR, RAM_BASE + 0x101);
	/* A byte write at TAR[1:0] = 1 takes DRW lane 1. */
	wr(DRW, 0x0000AB00);
	assert_int_equal(bus.log[0].addr, RAM_BASE + 0x101);
	assert_int_equal(bus.log[0].size, 1);
	assert_int_equal(bus.log[0].value, 0xAB);
	assert_int_equal(rd(TAR), RAM_BASE + 0x102);
	wr(DRW, 0x00CD0000); /* lane 2 */
	assert_int_equal(bus.log[1].value, 0xCD);
	/* Reads place the byte in lane TAR[1:0]. */
	wr(TAR, RAM_BASE + 0x102);
	assert_int_equal(rd(DRW), 0x00CD0000);
	wr(TAR, RAM_BASE + 0x100);
	wr(CSW, INC_SINGLE | CSW_WORD);
	assert_int_equal(rd(DRW), 0x00CDAB00);
}

static void test_halfword_lanes(void **state)
{
	wr(CSW, INC_SINGLE | CSW_HALF);
	wr(TAR, RAM_BASE + 0x202);
	wr(DRW, 0xBEEF0000); /* TAR[1] = 1: upper half */
	assert_int_equal(bus.log[0].size, 2);
	assert_int_equal(bus.log[0].value, 0xBEEF);
	wr(TAR, RAM_BASE + 0x200);
	wr(DRW, 0x0000CAFE);
	wr(TAR, RAM_BASE + 0x202);
	assert_int_equal(rd(DRW), 0xBEEF0000);
	wr(CSW, INC_OFF | CSW_WORD);
	wr(TAR, RAM_BASE + 0x200);
	assert_int_equal(rd(DRW), 0xBEEFCAFE);
}

static void test_packed_byte_and_half_transfers(void **state)
{
	wr(CSW, INC_PACKED | CSW_BYTE);
	wr(TAR, RAM_BASE + 0x40);
	wr(DRW, 0x44332211);
	assert_int_equal(bus.n, 4);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(bus.log[i].addr, RAM_BASE + 0x40 + i);
		assert_int_equal(bus.log[i].value, 0x11u * (i + 1));
	}
	assert_int_equal(rd(TAR), RAM_BASE + 0x44);
	assert_int_equal(ap.words_transferred, 1);
	wr(CSW, INC_PACKED | CSW_HALF);
	wr(TAR, RAM_BASE + 0x40);
	assert_int_equal(rd(DRW), 0x44332211);
	assert_int_equal(bus.n, 6);
	assert_int_equal(bus.log[5].size, 2);
	assert_int_equal(rd(TAR), RAM_BASE + 0x44);
}

static void test_banked_data_registers(void **state)
{
	wr(CSW, INC_SINGLE | CSW_WORD);
	wr(TAR, RAM_BASE + 0x3C);
	for (uint32_t i = 0; i < 4; i++)
		wr(DRW, 0x1000 + i); /* fill 0x3C..0x48 */
	wr(TAR, RAM_BASE + 0x44); /* BDn use TAR[31:4]: block 0x40 */
	assert_int_equal(rd(BD0 + 0x0), 0x1001);
	assert_int_equal(rd(BD0 + 0x4), 0x1002);
	assert_int_equal(rd(BD0 + 0x8), 0x1003);
	wr(BD0 + 0xC, 0x77);
	assert_int_equal(bus.log[bus.n - 1].addr, RAM_BASE + 0x4C);
	assert_int_equal(rd(TAR), RAM_BASE + 0x44); /* no increment */
}

static void test_bus_fault_reported_and_tar_moves(void **state)
{
	uint32_t v = 0x12345678;

	wr(CSW, INC_SINGLE | CSW_WORD);
	wr(TAR, 0x40000000);
	assert_int_equal(ap.ap.ops->read_reg(&ap.ap, DRW, &v), SIM_BUS_FAULT);
	assert_int_equal(v, 0);
	assert_int_equal(rd(TAR), 0x40000004);
	assert_int_equal(ap.ap.ops->write_reg(&ap.ap, DRW, 1), SIM_BUS_FAULT);
	assert_int_equal(ap.ap.ops->read_reg(&ap.ap, BD0, &v), SIM_BUS_FAULT);
	assert_int_equal(ap.words_transferred, 3);
}

static void test_unaligned_word_is_reported_and_aligned(void **state)
{
	unsigned long ge = sim_log_guest_error_count();

	wr(CSW, INC_SINGLE | CSW_WORD);
	wr(TAR, RAM_BASE + 0x22);
	wr(DRW, 0x01020304);
	assert_int_equal(bus.log[0].addr, RAM_BASE + 0x20);
	assert_int_equal(sim_log_guest_error_count(), ge + 1);
	assert_int_equal(rd(TAR), RAM_BASE + 0x26);
}

static void test_reset_restores_csw_and_tar(void **state)
{
	wr(CSW, 0x0F000000 | INC_SINGLE | CSW_BYTE);
	wr(TAR, 0x1234);
	sim_mem_ap_reset(&ap);
	assert_int_equal(rd(CSW), 0x23000040);
	assert_int_equal(rd(TAR), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_id_registers_read_only, setup),
		cmocka_unit_test_setup(test_csw_masks_and_fixed_bits, setup),
		cmocka_unit_test_setup(test_packed_probe_reads_back, setup),
		cmocka_unit_test_setup(test_packed_probe_without_support, setup_no_packed),
		cmocka_unit_test_setup(test_tar_autoincrement_wraps_in_1k, setup),
		cmocka_unit_test_setup(test_tar_autoincrement_in_4k, setup_4k),
		cmocka_unit_test_setup(test_addrinc_off_keeps_tar, setup),
		cmocka_unit_test_setup(test_byte_lanes, setup),
		cmocka_unit_test_setup(test_halfword_lanes, setup),
		cmocka_unit_test_setup(test_packed_byte_and_half_transfers, setup),
		cmocka_unit_test_setup(test_banked_data_registers, setup),
		cmocka_unit_test_setup(test_bus_fault_reported_and_tar_moves, setup),
		cmocka_unit_test_setup(test_unaligned_word_is_reported_and_aligned, setup),
		cmocka_unit_test_setup(test_reset_restores_csw_and_tar, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
