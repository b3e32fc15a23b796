# End-to-end tests: the real command line (stock openocd, our scripts,
# gdb-multiarch) against testing/sim/stm32sim, asserting on its state JSON.
E2E_TESTS = \
	testing/tests/e2e/test_fidelity_h743.py \
	testing/tests/e2e/test_module_h743.py \
	testing/tests/e2e/test_stm32sim_cli.py \
	testing/tests/e2e/test_install.py

TESTS += $(E2E_TESTS)
EXTRA_DIST += $(E2E_TESTS) testing/tests/e2e/simharness.py
E2E_TESTS += testing/tests/e2e/test_target_scripts.py
E2E_TESTS += testing/tests/e2e/test_attach_h7.py
E2E_TESTS += testing/tests/e2e/test_unbrick_h7.py
E2E_TESTS += testing/tests/e2e/test_fidelity_lines.py
E2E_TESTS += testing/tests/e2e/test_unbrick_h7_lines.py
E2E_TESTS += testing/tests/e2e/test_factory_options.py
E2E_TESTS += testing/tests/e2e/test_fidelity_h5.py
E2E_TESTS += testing/tests/e2e/test_unbrick_h5.py
E2E_TESTS += testing/tests/e2e/test_faults_h7.py
E2E_TESTS += testing/tests/e2e/test_faults_h5.py

E2E_TESTS += testing/tests/e2e/test_production.py
