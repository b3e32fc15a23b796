# see testing/tests/local.mk
# Unit tests of the simulator's debug transport, one program per block.
SIM_TRANSPORT_TEST_CPPFLAGS = -I$(top_srcdir)/testing/sim
SIM_TRANSPORT_TEST_LDADD = $(CMOCKA_LIBS) $(CRYPTO_LIBS) -lm

check_PROGRAMS += testing/tests/unit/test_sim_common
testing_tests_unit_test_sim_common_SOURCES = testing/tests/unit/test_sim_common.c testing/sim/sim_common.c
testing_tests_unit_test_sim_common_CPPFLAGS = $(SIM_TRANSPORT_TEST_CPPFLAGS)
testing_tests_unit_test_sim_common_LDADD = $(SIM_TRANSPORT_TEST_LDADD)
TESTS += testing/tests/unit/test_sim_common

check_PROGRAMS += testing/tests/unit/test_scenario
testing_tests_unit_test_scenario_SOURCES = testing/tests/unit/test_scenario.c testing/sim/scenario.c
testing_tests_unit_test_scenario_CPPFLAGS = $(SIM_TRANSPORT_TEST_CPPFLAGS)
testing_tests_unit_test_scenario_LDADD = $(SIM_TRANSPORT_TEST_LDADD)
TESTS += testing/tests/unit/test_scenario

check_PROGRAMS += testing/tests/unit/test_jtag_tap
testing_tests_unit_test_jtag_tap_SOURCES = testing/tests/unit/test_jtag_tap.c testing/sim/jtag_tap.c \
	testing/sim/sim_common.c
testing_tests_unit_test_jtag_tap_CPPFLAGS = $(SIM_TRANSPORT_TEST_CPPFLAGS)
testing_tests_unit_test_jtag_tap_LDADD = $(SIM_TRANSPORT_TEST_LDADD)
TESTS += testing/tests/unit/test_jtag_tap

check_PROGRAMS += testing/tests/unit/test_jtag_dp
testing_tests_unit_test_jtag_dp_SOURCES = testing/tests/unit/test_jtag_dp.c testing/sim/jtag_dp.c \
	testing/sim/jtag_tap.c testing/sim/sim_common.c
testing_tests_unit_test_jtag_dp_CPPFLAGS = $(SIM_TRANSPORT_TEST_CPPFLAGS)
testing_tests_unit_test_jtag_dp_LDADD = $(SIM_TRANSPORT_TEST_LDADD)
TESTS += testing/tests/unit/test_jtag_dp

check_PROGRAMS += testing/tests/unit/test_mem_ap
testing_tests_unit_test_mem_ap_SOURCES = testing/tests/unit/test_mem_ap.c testing/sim/mem_ap.c \
	testing/sim/sim_common.c
testing_tests_unit_test_mem_ap_CPPFLAGS = $(SIM_TRANSPORT_TEST_CPPFLAGS)
testing_tests_unit_test_mem_ap_LDADD = $(SIM_TRANSPORT_TEST_LDADD)
TESTS += testing/tests/unit/test_mem_ap

# The chip is faked inside the test (it implements the sim_chip_* functions).
check_PROGRAMS += testing/tests/unit/test_rbb_server
testing_tests_unit_test_rbb_server_SOURCES = testing/tests/unit/test_rbb_server.c testing/sim/rbb_server.c \
	testing/sim/sim_common.c
testing_tests_unit_test_rbb_server_CPPFLAGS = $(SIM_TRANSPORT_TEST_CPPFLAGS)
testing_tests_unit_test_rbb_server_LDADD = $(SIM_TRANSPORT_TEST_LDADD) -lpthread
TESTS += testing/tests/unit/test_rbb_server
