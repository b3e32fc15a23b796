# Fuzz targets (testing/fuzz/README.md).  `make fuzz` builds them with clang's libFuzzer,
# AddressSanitizer and UndefinedBehaviorSanitizer, and runs each for FUZZ_SECONDS
# (default 30); scripts/fuzz does the work, reading the source lists from these fragments.
fuzz:
	FUZZ_BUILDDIR='$(abs_top_builddir)/build-fuzz' $(SHELL) '$(abs_top_srcdir)/scripts/fuzz'
.PHONY: fuzz
EXTRA_DIST += scripts/fuzz testing/fuzz
