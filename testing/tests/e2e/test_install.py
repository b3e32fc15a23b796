#!/usr/bin/env python3
"""`make install` puts the module and the scripts where stock OpenOCD finds
them, honours the prefix and DESTDIR, and the installed scripts load the
installed module (not the build tree's)."""

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import OPENOCD, TOP_BUILDDIR, Tap, check  # noqa: E402


def make_install(*args):
    proc = subprocess.run(["make", "-C", TOP_BUILDDIR, "install"] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    check(proc.returncode == 0, "make install failed", proc.stdout[-3000:])


def case_prefix_install_loads():
    with tempfile.TemporaryDirectory() as prefix:
        make_install("prefix=" + prefix)
        site = os.path.join(prefix, "share", "openocd", "site")
        so = os.path.join(prefix, "lib", "stm32unbrick", "stm32unbrick.so")
        for rel in ("stm32unbrick/module.tcl", "stm32unbrick/module_path.tcl", "interface/stm32sim.cfg"):
            check(os.path.isfile(os.path.join(site, rel)), "not installed: site/" + rel)
        check(os.path.isfile(so), "module not installed at " + so)
        env = dict(os.environ)
        env.pop("STM32UNBRICK_MODULE", None)
        proc = subprocess.run([OPENOCD, "-s", site, "-c", "source [find stm32unbrick/module.tcl]",
                               "-c", "stm32unbrick_load", "-c", "echo \"loaded $::stm32unbrick_module_so\"",
                               "-c", "echo \"version [stm32unbrick version]\"", "-c", "shutdown"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60, env=env)
        check(proc.returncode == 0, "installed module did not load", proc.stdout[-2000:])
        check("loaded " + so in proc.stdout, "loaded another module than the installed one", proc.stdout[-2000:])
        check("version 0." in proc.stdout, "version not printed", proc.stdout[-2000:])


def case_destdir_staging():
    with tempfile.TemporaryDirectory() as stage:
        make_install("DESTDIR=" + stage, "prefix=/opt/stm32unbrick-test")
        site = os.path.join(stage, "opt", "stm32unbrick-test", "share", "openocd", "site")
        path_file = os.path.join(site, "stm32unbrick", "module_path.tcl")
        check(os.path.isfile(path_file), "DESTDIR not honoured: " + path_file)
        text = open(path_file).read()
        check("/opt/stm32unbrick-test/lib/stm32unbrick/stm32unbrick.so" in text, "recorded path", text)
        check(stage not in text, "DESTDIR leaked into the recorded module path", text)


def main():
    tap = Tap()
    tap.case("make install prefix=DIR: OpenOCD -s DIR/share/openocd/site loads the module", case_prefix_install_loads)
    tap.case("make install DESTDIR=STAGE stages files, records the final path", case_destdir_staging)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
