# Unit tests of the STM32H7 flash and option-byte blocks (cmocka, TAP).
sim_flash_h7_test_sources = \
	testing/sim/flash_h7.c \
	testing/sim/flash_h7.h \
	testing/sim/flash_h7_internal.h \
	testing/sim/flash_h7_regs.c \
	testing/sim/flash_h7_ops.c \
	testing/sim/flash_h7_array.c \
	testing/sim/flash_h7_state.c \
	$(sim_flash_common_sources) \
	testing/sim/optbytes_h7.c \
	testing/sim/optbytes_h7.h \
	testing/sim/sim_common.c \
	testing/sim/sim_common.h \
	testing/sim/scenario.c \
	testing/sim/scenario.h

check_PROGRAMS += testing/tests/unit/test_flash_h7
testing_tests_unit_test_flash_h7_SOURCES = testing/tests/unit/test_flash_h7.c testing/tests/unit/flash_listener_testutil.h \
	$(sim_flash_h7_test_sources)
testing_tests_unit_test_flash_h7_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_flash_h7_LDADD = $(CMOCKA_LIBS) $(CRYPTO_LIBS) -lm
TESTS += testing/tests/unit/test_flash_h7

check_PROGRAMS += testing/tests/unit/test_flash_h7_state
testing_tests_unit_test_flash_h7_state_SOURCES = testing/tests/unit/test_flash_h7_state.c $(sim_flash_h7_test_sources)
testing_tests_unit_test_flash_h7_state_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_flash_h7_state_LDADD = $(CMOCKA_LIBS) $(CRYPTO_LIBS) -lm
TESTS += testing/tests/unit/test_flash_h7_state

check_PROGRAMS += testing/tests/unit/test_optbytes_h7
testing_tests_unit_test_optbytes_h7_SOURCES = testing/tests/unit/test_optbytes_h7.c $(sim_flash_h7_test_sources)
testing_tests_unit_test_optbytes_h7_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_optbytes_h7_LDADD = $(CMOCKA_LIBS) $(CRYPTO_LIBS) -lm
TESTS += testing/tests/unit/test_optbytes_h7
