# `make bench` (issue 6): programming, recovery and attach measured against the simulator,
# printed as the tables of docs/performance.md; `make bench BENCH_FLAGS=--write-docs` rewrites
# that file.  Not part of `make check` (machines are noisy): testing/tests/e2e/test_counters.py
# asserts the deterministic counters there.
BENCH_FLAGS =
EXTRA_DIST += scripts/bench testing/bench/performance-intro.md docs/performance.md

.PHONY: bench
bench: all
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' OPENOCD='$(OPENOCD)' \
		$(PYTHON3) $(abs_top_srcdir)/scripts/bench $(BENCH_FLAGS)
