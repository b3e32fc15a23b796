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

# Deterministic performance counters of docs/performance.md (issue 6; `make bench` for the rest).
E2E_TESTS += testing/tests/e2e/test_counters.py
E2E_TESTS += testing/tests/e2e/test_flash_queue_h7.py
E2E_TESTS += testing/tests/e2e/test_core_code_source.py
E2E_TESTS += testing/tests/e2e/test_core_assist_h7.py
E2E_TESTS += testing/tests/e2e/test_bad_input.py
E2E_TESTS += testing/tests/e2e/test_bad_input_secrets.py

# docs/faults.md is generated from what the fault and bad-input tests record
# (simharness.record_outcome); its check runs after them.
E2E_TESTS += testing/tests/e2e/test_faults_doc.py
EXTRA_DIST += testing/tests/e2e/faults_table.py docs/faults.md
FAULT_RECORDER_LOGS = testing/tests/e2e/test_faults_h7.log testing/tests/e2e/test_faults_h5.log \
	testing/tests/e2e/test_bad_input.log
testing/tests/e2e/test_faults_doc.log: $(FAULT_RECORDER_LOGS)

# After `make check`: write docs/faults.md from the rows this run recorded.
faults-doc:
	$(PYTHON3) $(srcdir)/testing/tests/e2e/faults_table.py testing/tests/outcomes $(srcdir)/docs/faults.md
.PHONY: faults-doc
