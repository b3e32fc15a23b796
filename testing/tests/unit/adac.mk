# Unit tests of the PSA ADAC codec for STM32H5 debug authentication (pure C, no chip),
# including the fuzz entry ub_adac_fuzz_one driven with random and mutated packets.
check_PROGRAMS += testing/tests/unit/test_adac
testing_tests_unit_test_adac_SOURCES = \
	testing/tests/unit/test_adac.c \
	src/target/adac.c \
	src/target/adac.h \
	src/target/errors.c \
	src/target/errors.h \
	src/target/adac_fuzz.c
testing_tests_unit_test_adac_LDADD = $(CMOCKA_LIBS)
TESTS += testing/tests/unit/test_adac
