# Unit tests of the STM32H7 chip blocks (cmocka, TAP): one program per block.
check_PROGRAMS += testing/tests/unit/test_pwr_h7
testing_tests_unit_test_pwr_h7_SOURCES = testing/tests/unit/test_pwr_h7.c \
	testing/sim/pwr_h7.c testing/sim/pwr_h7.h testing/sim/sim_common.c testing/sim/sim_common.h
testing_tests_unit_test_pwr_h7_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_pwr_h7_LDADD = $(CMOCKA_LIBS) -lm
TESTS += testing/tests/unit/test_pwr_h7

check_PROGRAMS += testing/tests/unit/test_dbgmcu
testing_tests_unit_test_dbgmcu_SOURCES = testing/tests/unit/test_dbgmcu.c \
	testing/sim/dbgmcu.c testing/sim/dbgmcu.h testing/sim/coresight_id.c testing/sim/coresight_id.h \
	testing/sim/sim_common.c testing/sim/sim_common.h
testing_tests_unit_test_dbgmcu_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_dbgmcu_LDADD = $(CMOCKA_LIBS) -lm
TESTS += testing/tests/unit/test_dbgmcu

check_PROGRAMS += testing/tests/unit/test_cortexm_dbg
testing_tests_unit_test_cortexm_dbg_SOURCES = testing/tests/unit/test_cortexm_dbg.c \
	testing/sim/cortexm_dbg.c testing/sim/cortexm_dbg.h testing/sim/cortexm_ppb.c testing/sim/cortexm_v8m.c \
	testing/sim/coresight_id.c testing/sim/coresight_id.h testing/sim/sim_common.c testing/sim/sim_common.h
testing_tests_unit_test_cortexm_dbg_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_cortexm_dbg_LDADD = $(CMOCKA_LIBS) -lm
TESTS += testing/tests/unit/test_cortexm_dbg

check_PROGRAMS += testing/tests/unit/test_thumb testing/tests/unit/test_thumb_mem
THUMB_TEST_SOURCES = testing/tests/unit/thumb_fixture.h \
	testing/sim/thumb.c testing/sim/thumb.h testing/sim/thumb_alu.c testing/sim/bus.h
testing_tests_unit_test_thumb_SOURCES = testing/tests/unit/test_thumb.c $(THUMB_TEST_SOURCES)
testing_tests_unit_test_thumb_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_thumb_LDADD = $(CMOCKA_LIBS) -lm
testing_tests_unit_test_thumb_mem_SOURCES = testing/tests/unit/test_thumb_mem.c $(THUMB_TEST_SOURCES)
testing_tests_unit_test_thumb_mem_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_thumb_mem_LDADD = $(CMOCKA_LIBS) -lm
TESTS += testing/tests/unit/test_thumb testing/tests/unit/test_thumb_mem

# The whole chip: every simulator source except the server (rbb_server.c) and main.c.
# sim_chip_create() serves both families, so every chip test links both
# (the H5 sources and the blocks they are made of: sim_chip_h5.mk).
sim_chip_all_sources = $(sim_chip_common_sources) $(sim_chip_h7_sources) \
	$(sim_chip_h5_sources) $(sim_h5_block_sources) \
	testing/sim/flash_h7.c testing/sim/flash_h7.h testing/sim/flash_h7_internal.h \
	testing/sim/flash_h7_regs.c testing/sim/flash_h7_ops.c testing/sim/flash_h7_array.c \
	testing/sim/flash_h7_state.c testing/sim/optbytes_h7.c testing/sim/optbytes_h7.h \
	$(sim_flash_common_sources) \
	testing/sim/jtag_tap.c testing/sim/jtag_tap.h testing/sim/jtag_dp.c testing/sim/jtag_dp.h \
	testing/sim/mem_ap.c testing/sim/mem_ap.h testing/sim/ap.h testing/sim/bus.h \
	testing/sim/scenario.c testing/sim/scenario.h testing/sim/sim_common.c testing/sim/sim_common.h

check_PROGRAMS += testing/tests/unit/test_chip_h7
testing_tests_unit_test_chip_h7_SOURCES = testing/tests/unit/test_chip_h7.c $(sim_chip_all_sources)
testing_tests_unit_test_chip_h7_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_chip_h7_LDADD = $(CMOCKA_LIBS) $(CRYPTO_LIBS) -lm
TESTS += testing/tests/unit/test_chip_h7

# Dual-core parts (AP3, BCM4/BCM7, RCC_GCR), the 0x483/0x480 lines and SMPS parts, and every
# scenario file in testing/scenarios/ (found through $top_srcdir, exported by the test harness).
check_PROGRAMS += testing/tests/unit/test_chip_h7_dual
testing_tests_unit_test_chip_h7_dual_SOURCES = testing/tests/unit/test_chip_h7_dual.c \
	testing/tests/unit/chip_h7_testutil.h $(sim_chip_all_sources)
testing_tests_unit_test_chip_h7_dual_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_chip_h7_dual_LDADD = $(CMOCKA_LIBS) $(CRYPTO_LIBS) -lm
TESTS += testing/tests/unit/test_chip_h7_dual

check_PROGRAMS += testing/tests/unit/test_chip_h7_code
testing_tests_unit_test_chip_h7_code_SOURCES = testing/tests/unit/test_chip_h7_code.c \
	testing/tests/unit/chip_h7_testutil.h src/flash/nor/stm32h7x_loader.h src/target/cm_scan_code.h \
	$(sim_chip_all_sources)
testing_tests_unit_test_chip_h7_code_CPPFLAGS = -I$(top_srcdir)/testing/sim -I$(top_srcdir)/src/flash/nor \
	-I$(top_srcdir)/src/target
testing_tests_unit_test_chip_h7_code_LDADD = $(CMOCKA_LIBS) $(CRYPTO_LIBS) -lm
TESTS += testing/tests/unit/test_chip_h7_code

check_PROGRAMS += testing/tests/unit/test_chip_h7_lines
testing_tests_unit_test_chip_h7_lines_SOURCES = testing/tests/unit/test_chip_h7_lines.c \
	testing/tests/unit/chip_h7_testutil.h $(sim_chip_all_sources)
testing_tests_unit_test_chip_h7_lines_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_chip_h7_lines_LDADD = $(CMOCKA_LIBS) $(CRYPTO_LIBS) -lm
TESTS += testing/tests/unit/test_chip_h7_lines

check_PROGRAMS += testing/tests/unit/test_chip_h7_scenarios
testing_tests_unit_test_chip_h7_scenarios_SOURCES = testing/tests/unit/test_chip_h7_scenarios.c \
	testing/tests/unit/chip_h7_testutil.h $(sim_chip_all_sources)
testing_tests_unit_test_chip_h7_scenarios_CPPFLAGS = -I$(top_srcdir)/testing/sim \
	-DSCENARIO_DIR='"$(abs_top_srcdir)/testing/scenarios"'
testing_tests_unit_test_chip_h7_scenarios_LDADD = $(CMOCKA_LIBS) $(CRYPTO_LIBS) -lm
TESTS += testing/tests/unit/test_chip_h7_scenarios

# The STM32H5 chip and its DBGMCU.
include testing/tests/unit/sim_chip_h5.mk
