# Unit tests of the flash/option-byte drivers' pure parts (no OpenOCD needed).
check_PROGRAMS += testing/tests/unit/test_stm32h7x_ob
testing_tests_unit_test_stm32h7x_ob_SOURCES = testing/tests/unit/test_stm32h7x_ob.c \
	src/flash/nor/stm32h7x_ob.c src/target/errors.c
testing_tests_unit_test_stm32h7x_ob_LDADD = $(CMOCKA_LIBS)
TESTS += testing/tests/unit/test_stm32h7x_ob
