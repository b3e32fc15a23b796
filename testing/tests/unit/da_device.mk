# STM32H5 debug-authentication device (testing/sim/da_device.c, da_auth.c), driven through
# its mailbox by the project's own ADAC host codec (src/target/adac.c) with the test
# credentials in testing/fixtures/da; includes random and mutated hostile packets.
check_PROGRAMS += testing/tests/unit/test_da_device
testing_tests_unit_test_da_device_SOURCES = testing/tests/unit/test_da_device.c \
	testing/tests/unit/da_device_testutil.h \
	testing/sim/da_device.c testing/sim/da_device.h testing/sim/da_device_internal.h testing/sim/da_auth.c \
	testing/sim/flash_h5.h testing/sim/sim_common.c testing/sim/sim_common.h \
	src/target/adac.c src/target/adac.h src/target/errors.c src/target/errors.h
testing_tests_unit_test_da_device_CPPFLAGS = -I$(top_srcdir)/testing/sim \
	-DDA_FIXTURE_DIR='"$(abs_top_srcdir)/testing/fixtures/da"'
testing_tests_unit_test_da_device_LDADD = $(CMOCKA_LIBS) $(CRYPTO_LIBS) -lm
TESTS += testing/tests/unit/test_da_device
