# Unit test of the operator-script parser and its trigger timing (testing/sim/op_script.c).
check_PROGRAMS += testing/tests/unit/test_op_script
testing_tests_unit_test_op_script_SOURCES = testing/tests/unit/test_op_script.c \
	testing/sim/op_script.c testing/sim/op_script.h testing/sim/scenario.c testing/sim/scenario.h \
	testing/sim/sim_common.c testing/sim/sim_common.h
testing_tests_unit_test_op_script_CPPFLAGS = -I$(top_srcdir)/testing/sim
testing_tests_unit_test_op_script_LDADD = $(CMOCKA_LIBS) -lm
TESTS += testing/tests/unit/test_op_script
