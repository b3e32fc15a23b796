# Unit tests of the STM32H5 flash and option-byte blocks (cmocka, TAP).
sim_flash_h5_test_sources = \
	$(sim_flash_common_sources) \
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
	testing/sim/sim_common.c \
	testing/sim/sim_common.h \
	testing/sim/scenario.c \
	testing/sim/scenario.h \
	testing/tests/unit/flash_h5_testutil.h

check_PROGRAMS += testing/tests/unit/test_flash_h5
testing_tests_unit_test_flash_h5_SOURCES = testing/tests/unit/test_flash_h5.c testing/tests/unit/flash_listener_testutil.h \
	$(sim_flash_h5_test_sources)
testing_tests_unit_test_flash_h5_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_flash_h5_LDADD = $(CMOCKA_LIBS) $(CRYPTO_LIBS) -lm
TESTS += testing/tests/unit/test_flash_h5

check_PROGRAMS += testing/tests/unit/test_flash_h5_tz
testing_tests_unit_test_flash_h5_tz_SOURCES = testing/tests/unit/test_flash_h5_tz.c $(sim_flash_h5_test_sources)
testing_tests_unit_test_flash_h5_tz_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_flash_h5_tz_LDADD = $(CMOCKA_LIBS) $(CRYPTO_LIBS) -lm
TESTS += testing/tests/unit/test_flash_h5_tz

check_PROGRAMS += testing/tests/unit/test_flash_h5_state
testing_tests_unit_test_flash_h5_state_SOURCES = testing/tests/unit/test_flash_h5_state.c $(sim_flash_h5_test_sources)
testing_tests_unit_test_flash_h5_state_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_flash_h5_state_LDADD = $(CMOCKA_LIBS) $(CRYPTO_LIBS) -lm
TESTS += testing/tests/unit/test_flash_h5_state

check_PROGRAMS += testing/tests/unit/test_optbytes_h5
testing_tests_unit_test_optbytes_h5_SOURCES = testing/tests/unit/test_optbytes_h5.c $(sim_flash_h5_test_sources)
testing_tests_unit_test_optbytes_h5_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_optbytes_h5_LDADD = $(CMOCKA_LIBS) $(CRYPTO_LIBS) -lm
TESTS += testing/tests/unit/test_optbytes_h5
