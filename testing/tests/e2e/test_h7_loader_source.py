#!/usr/bin/env python3
"""The H7 flash loader's bytes in src/flash/nor/stm32h7x_loader.h are what its source,
stm32h7x_loader.S, assembles to (scripts/gen-h7-loader --check; skipped without llvm-mc)."""

import os
import subprocess
import sys

TOP = os.environ.get("top_srcdir") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
run = subprocess.run([sys.executable, os.path.join(TOP, "scripts", "gen-h7-loader"), "--check"],
                     capture_output=True, text=True)
sys.stdout.write(run.stdout)
sys.stderr.write(run.stderr)
sys.exit(run.returncode)
