# A chip that is neither an STM32H7 nor an STM32H5 (unknown DEV_ID, DEV_ID 0, all ones) behind
# `stm32unbrick attach` and `h7|h5 identify`, against the fake OpenOCD and the attach tests' chip model.
check_PROGRAMS += testing/tests/unit/test_unknown_chip
TESTS += testing/tests/unit/test_unknown_chip
testing_tests_unit_test_unknown_chip_SOURCES = \
	testing/tests/unit/test_unknown_chip.c \
	testing/tests/unit/fake_openocd.h \
	testing/tests/unit/fake_attach_chip.h \
	$(src_stm32unbrick_la_SOURCES)
testing_tests_unit_test_unknown_chip_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/target
testing_tests_unit_test_unknown_chip_LDADD = $(CMOCKA_LIBS) $(JIM_LIBS) $(CRYPTO_LIBS)
