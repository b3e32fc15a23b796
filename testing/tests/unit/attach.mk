# Unit tests of the attach strategies and `stm32unbrick attach`, against a fake OpenOCD with a
# small register model of the chip (test_attach.c on top of fake_openocd.h).
check_PROGRAMS += testing/tests/unit/test_attach
TESTS += testing/tests/unit/test_attach
testing_tests_unit_test_attach_SOURCES = \
	testing/tests/unit/test_attach.c \
	testing/tests/unit/fake_openocd.h \
	testing/tests/unit/fake_attach_chip.h \
	testing/tests/unit/attach_fixture.h \
	$(src_stm32unbrick_la_SOURCES)
testing_tests_unit_test_attach_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/target
testing_tests_unit_test_attach_LDADD = $(CMOCKA_LIBS) $(JIM_LIBS) $(CRYPTO_LIBS)
