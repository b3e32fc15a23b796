# Unit tests (cmocka, TAP output) and end-to-end tests (Python, TAP output).
# One fragment per area; each adds to check_PROGRAMS and TESTS.
include testing/tests/unit/sim_transport.mk
include testing/tests/unit/sim_chip.mk
include testing/tests/unit/sim_flash.mk
include testing/tests/unit/sim_flash_h5.mk
include testing/tests/unit/module.mk
include testing/tests/unit/drivers.mk
include testing/tests/unit/h5ob.mk
include testing/tests/unit/drivers_h5.mk
include testing/tests/unit/adac.mk
include testing/tests/unit/da_device.mk
include testing/tests/unit/da_host.mk
include testing/tests/unit/op_script.mk
include testing/tests/e2e/e2e.mk
include testing/tests/unit/unknown_chip.mk
