#!/usr/bin/env python3
"""The code bytes the module embeds (the H7 flash loader in src/flash/nor/stm32h7x_loader.h, the
scans in src/target/cm_scan_code.h) are what their .S sources assemble to
(scripts/gen-core-code --check; skipped without llvm-mc)."""

import os
import subprocess
import sys

TOP = os.environ.get("top_srcdir") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
run = subprocess.run([sys.executable, os.path.join(TOP, "scripts", "gen-core-code"), "--check"],
                     capture_output=True, text=True)
sys.stdout.write(run.stdout)
sys.stderr.write(run.stderr)
sys.exit(run.returncode)
