# Host side of STM32H5 debug authentication (src/target/adac_mailbox.c, da_auth.c, da_cmd.c):
#  test_da_host       transport and `stm32unbrick da ...` against a scripted DA device on AP0 of the
#                     fake OpenOCD (fake_da_mailbox.h): handshake, entry, hostile answers, refusals;
#  test_da_auth       password/certificate/key files, hashes and the signed token (no chip);
#  test_da_sim_agree  the same host code against the simulator's device (testing/sim/da_device.c).
# The cmd.h helpers come from da_host_testutil.h, not module.c, so these tests do not depend on
# the other command tables.
DA_HOST_SOURCES = \
	src/target/adac.c src/target/adac.h \
	src/target/adac_mailbox.c src/target/adac_mailbox.h \
	src/target/da_auth.c src/target/da_auth.h \
	src/target/da_cmd.c src/target/da_regression.c src/target/da_regression.h \
	$(OCD_BRIDGE_SOURCES) \
	src/target/errors.c src/target/errors.h \
	src/target/poll.c src/target/poll.h
DA_HOST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/target -I$(top_srcdir)/src \
	-DDA_FIXTURE_DIR='"$(abs_top_srcdir)/testing/fixtures/da"'

check_PROGRAMS += testing/tests/unit/test_da_host testing/tests/unit/test_da_auth \
	testing/tests/unit/test_da_sim_agree
TESTS += testing/tests/unit/test_da_host testing/tests/unit/test_da_auth \
	testing/tests/unit/test_da_sim_agree

testing_tests_unit_test_da_host_SOURCES = testing/tests/unit/test_da_host.c \
	testing/tests/unit/da_host_testutil.h testing/tests/unit/fake_openocd.h \
	testing/tests/unit/fake_da_mailbox.h $(DA_HOST_SOURCES)
testing_tests_unit_test_da_host_CPPFLAGS = $(DA_HOST_CPPFLAGS)
testing_tests_unit_test_da_host_LDADD = $(CMOCKA_LIBS) $(JIM_LIBS) $(CRYPTO_LIBS)

testing_tests_unit_test_da_auth_SOURCES = testing/tests/unit/test_da_auth.c \
	testing/tests/unit/da_host_testutil.h \
	src/target/adac.c src/target/adac.h src/target/da_auth.c src/target/da_auth.h \
	src/target/errors.c src/target/errors.h
testing_tests_unit_test_da_auth_CPPFLAGS = $(DA_HOST_CPPFLAGS)
testing_tests_unit_test_da_auth_LDADD = $(CMOCKA_LIBS) $(CRYPTO_LIBS)

testing_tests_unit_test_da_sim_agree_SOURCES = testing/tests/unit/test_da_sim_agree.c \
	testing/tests/unit/da_host_testutil.h testing/tests/unit/fake_openocd.h $(DA_HOST_SOURCES) \
	testing/sim/da_device.c testing/sim/da_device.h testing/sim/da_device_internal.h testing/sim/da_auth.c \
	testing/sim/flash_h5.h testing/sim/sim_common.c testing/sim/sim_common.h
testing_tests_unit_test_da_sim_agree_CPPFLAGS = $(DA_HOST_CPPFLAGS) -I$(top_srcdir)/testing/sim
testing_tests_unit_test_da_sim_agree_LDADD = $(CMOCKA_LIBS) $(JIM_LIBS) $(CRYPTO_LIBS) -lm
