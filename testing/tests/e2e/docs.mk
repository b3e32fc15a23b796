# The documentation checks (issue 7): every command in the man page and in OpenOCD's `help`,
# every error line of the issue in docs/symptoms.md, man pages free of groff warnings.
# Include after e2e.mk, which starts E2E_TESTS with a plain assignment.
E2E_TESTS += testing/tests/e2e/test_docs.py
