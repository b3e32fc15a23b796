# Unit tests of the STM32H5 chip (cmocka, TAP): the whole chip through its
# access ports (test_chip_h5, and debug authentication with regressions in
# test_chip_h5_da) and the DBGMCU block (test_dbgmcu_h5), with the real flash
# and DA device blocks.

# The blocks the H5 chip is made of (their owners' fragments: testing/sim/da.mk
# and testing/sim/flash_h5.mk).  Listed here rather than through their test
# variables, which also carry sim_common.c and scenario.c.
sim_h5_block_sources = \
	testing/sim/flash_h5.c \
	testing/sim/flash_h5.h \
	testing/sim/flash_h5_internal.h \
	testing/sim/flash_h5_array.c \
	testing/sim/flash_h5_contents.c \
	testing/sim/flash_h5_json.c \
	testing/sim/flash_h5_mem.c \
	testing/sim/flash_h5_ops.c \
	testing/sim/flash_h5_optchg.c \
	testing/sim/flash_h5_regs.c \
	testing/sim/flash_h5_scenario.c \
	testing/sim/optbytes_h5.c \
	testing/sim/optbytes_h5.h \
	testing/sim/da_device.c \
	testing/sim/da_device.h \
	testing/sim/da_device_internal.h \
	testing/sim/da_auth.c

check_PROGRAMS += testing/tests/unit/test_chip_h5
testing_tests_unit_test_chip_h5_SOURCES = testing/tests/unit/test_chip_h5.c \
	testing/tests/unit/chip_h5_testutil.h $(sim_chip_all_sources)
testing_tests_unit_test_chip_h5_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_chip_h5_LDADD = $(CMOCKA_LIBS) $(CRYPTO_LIBS) -lm
TESTS += testing/tests/unit/test_chip_h5

check_PROGRAMS += testing/tests/unit/test_chip_h5_da
testing_tests_unit_test_chip_h5_da_SOURCES = testing/tests/unit/test_chip_h5_da.c \
	testing/tests/unit/chip_h5_testutil.h $(sim_chip_all_sources)
testing_tests_unit_test_chip_h5_da_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_chip_h5_da_LDADD = $(CMOCKA_LIBS) $(CRYPTO_LIBS) -lm
TESTS += testing/tests/unit/test_chip_h5_da

check_PROGRAMS += testing/tests/unit/test_dbgmcu_h5
testing_tests_unit_test_dbgmcu_h5_SOURCES = testing/tests/unit/test_dbgmcu_h5.c \
	testing/sim/dbgmcu_h5.c testing/sim/dbgmcu_h5.h \
	testing/sim/da_device.c testing/sim/da_device.h testing/sim/da_device_internal.h testing/sim/da_auth.c \
	testing/sim/flash_h5.h testing/sim/coresight_id.c testing/sim/coresight_id.h \
	testing/sim/sim_common.c testing/sim/sim_common.h
testing_tests_unit_test_dbgmcu_h5_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_dbgmcu_h5_LDADD = $(CMOCKA_LIBS) $(CRYPTO_LIBS) -lm
TESTS += testing/tests/unit/test_dbgmcu_h5

# The Armv8-M additions of the Cortex-M33's debug block (cortexm_v8m.c).
check_PROGRAMS += testing/tests/unit/test_cortexm_v8m
testing_tests_unit_test_cortexm_v8m_SOURCES = testing/tests/unit/test_cortexm_v8m.c \
	testing/sim/cortexm_dbg.c testing/sim/cortexm_dbg.h testing/sim/cortexm_ppb.c testing/sim/cortexm_v8m.c \
	testing/sim/coresight_id.c testing/sim/coresight_id.h testing/sim/sim_common.c testing/sim/sim_common.h
testing_tests_unit_test_cortexm_v8m_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_cortexm_v8m_LDADD = $(CMOCKA_LIBS) -lm
TESTS += testing/tests/unit/test_cortexm_v8m
