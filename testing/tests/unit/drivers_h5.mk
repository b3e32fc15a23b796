# Unit tests of the STM32H5 driver (against the fake H5 of fake_h5_chip.h/fake_h5_bus.h behind the
# real bridge), of the image loader, and of the bridge's CSW and half-word additions.
check_PROGRAMS += testing/tests/unit/test_image
testing_tests_unit_test_image_SOURCES = testing/tests/unit/test_image.c \
	src/flash/nor/image.c src/flash/nor/image.h src/target/errors.c
testing_tests_unit_test_image_LDADD = $(CMOCKA_LIBS)
TESTS += testing/tests/unit/test_image

check_PROGRAMS += testing/tests/unit/test_ocd_bridge_csw
testing_tests_unit_test_ocd_bridge_csw_SOURCES = testing/tests/unit/test_ocd_bridge_csw.c \
	testing/tests/unit/fake_openocd.h $(OCD_BRIDGE_SOURCES) src/target/errors.c
testing_tests_unit_test_ocd_bridge_csw_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/target
testing_tests_unit_test_ocd_bridge_csw_LDADD = $(CMOCKA_LIBS) $(JIM_LIBS)
TESTS += testing/tests/unit/test_ocd_bridge_csw

# The whole module (module.c links every command table), the H5 driver and the fake chip.
h5_driver_test_sources = \
	testing/tests/unit/h5_test_util.h \
	testing/tests/unit/fake_h5_chip.h \
	testing/tests/unit/fake_h5_bus.h \
	testing/tests/unit/fake_openocd.h \
	$(src_stm32unbrick_la_SOURCES)

check_PROGRAMS += testing/tests/unit/test_stm32h5x
testing_tests_unit_test_stm32h5x_SOURCES = testing/tests/unit/test_stm32h5x.c $(h5_driver_test_sources)
testing_tests_unit_test_stm32h5x_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/target
testing_tests_unit_test_stm32h5x_LDADD = $(CMOCKA_LIBS) $(JIM_LIBS) $(CRYPTO_LIBS)
TESTS += testing/tests/unit/test_stm32h5x

# Certificates from testing/fixtures/da, found through $top_srcdir (exported by the test harness).
check_PROGRAMS += testing/tests/unit/test_stm32h5x_ps
testing_tests_unit_test_stm32h5x_ps_SOURCES = testing/tests/unit/test_stm32h5x_ps.c $(h5_driver_test_sources)
testing_tests_unit_test_stm32h5x_ps_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/target
testing_tests_unit_test_stm32h5x_ps_LDADD = $(CMOCKA_LIBS) $(JIM_LIBS) $(CRYPTO_LIBS)
TESTS += testing/tests/unit/test_stm32h5x_ps
