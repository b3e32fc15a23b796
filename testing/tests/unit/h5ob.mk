# Unit tests of the STM32H5 option-byte model and product-state rules (pure C, no OpenOCD needed).
check_PROGRAMS += testing/tests/unit/test_stm32h5x_ob
testing_tests_unit_test_stm32h5x_ob_SOURCES = testing/tests/unit/test_stm32h5x_ob.c \
	src/flash/nor/stm32h5x_ob.c src/flash/nor/stm32h5x.h src/target/errors.c
testing_tests_unit_test_stm32h5x_ob_LDADD = $(CMOCKA_LIBS)
TESTS += testing/tests/unit/test_stm32h5x_ob
