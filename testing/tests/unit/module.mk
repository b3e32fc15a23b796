# Unit tests of the Jim module: the OpenOCD bridge and the `stm32unbrick` command,
# against a fake OpenOCD written in Tcl inside a Jim interpreter (fake_openocd.h).
check_PROGRAMS += testing/tests/unit/test_ocd_bridge testing/tests/unit/test_module
TESTS += testing/tests/unit/test_ocd_bridge testing/tests/unit/test_module

testing_tests_unit_test_ocd_bridge_SOURCES = \
	testing/tests/unit/test_ocd_bridge.c \
	testing/tests/unit/fake_openocd.h \
	$(OCD_BRIDGE_SOURCES) \
	src/target/errors.c
testing_tests_unit_test_ocd_bridge_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/target
testing_tests_unit_test_ocd_bridge_LDADD = $(CMOCKA_LIBS) $(JIM_LIBS)

# test_module also `load`s the built src/.libs/stm32unbrick.so, as OpenOCD does; it links every
# source of the module (the variable the module's fragments fill), so new tables are in.
testing_tests_unit_test_module_SOURCES = \
	testing/tests/unit/test_module.c \
	testing/tests/unit/fake_openocd.h \
	$(src_stm32unbrick_la_SOURCES)
testing_tests_unit_test_module_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/target
testing_tests_unit_test_module_LDADD = $(CMOCKA_LIBS) $(JIM_LIBS) $(CRYPTO_LIBS)
EXTRA_testing_tests_unit_test_module_DEPENDENCIES = src/stm32unbrick.la
