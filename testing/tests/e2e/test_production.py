#!/usr/bin/env python3
"""scripts/stm32unbrick-many: several boards, one simulator (probe) each,
recovered in parallel by one OpenOCD per board, one summary (issue 7 §4).
Each board is checked on its own simulator's state."""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import TOP_SRCDIR, Sim, Tap, check, script_dirs, sha256  # noqa: E402

TOOL = os.path.join(TOP_SRCDIR, "scripts", "stm32unbrick-many")
ERASED = sha256(b"\xff" * (1024 * 1024))


def boards():
    """Three H743 boards: RDP 1, seed 000, and a healthy one (2 s apart in firmware)."""
    texts = {
        "rdp1": "part = stm32h743zi\nRDP = 0x55\nflash.fill = 0x08000000 0x8000 random:1\n",
        "seed000": "part = stm32h743zi\nRDP = 0xBB\nflash.fill = 0x08000000 0x8000 random:2\n"
                   "flash.ecc_error = 0x08000400\n",
        "healthy": "part = stm32h743zi\nflash.fill = 0x08100000 0x8000 random:3\n",
    }
    return {name: Sim(text, name=name).start() for name, text in texts.items()}


def run_many(sims, out_dir, *extra, names=None):
    argv = [sys.executable, TOOL, "-d", out_dir]
    for d in script_dirs():
        argv += ["-s", d]
    probes = ["sim:%s" % s.socket for s in sims]
    if names:
        probes = ["%s=%s" % (n, p) for n, p in zip(names, probes)]
    argv += ["recovery/h743.cfg"] + probes + ["--", "-timeout", "10"] + list(extra)
    ids = [s._state_id() for s in sims]
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
    states = [s.wait_state_after(i) for s, i in zip(sims, ids)]
    return proc, states


def case_three_boards():
    sims = boards()
    try:
        out_dir = os.path.join(sims["rdp1"].dir, "many")
        proc, states = run_many(list(sims.values()), out_dir, names=list(sims.keys()))
        st = dict(zip(sims.keys(), states))
        check(proc.returncode == 0, "exit %s" % proc.returncode, proc.stdout[-3000:])
        for name in ("rdp1", "seed000"):
            check(st[name]["rdp"] == "0xaa", name + ": RDP", st[name]["rdp"])
            check(st[name]["flash_sha256"] == {"bank1": ERASED, "bank2": ERASED}, name + ": flash not erased")
        check(st["healthy"]["flash_sha256"]["bank2"] != ERASED, "the healthy board was erased")
        for name in sims:
            check(re.search(r"^%s\s+(recovered|nothing-to-do)\s+0\s" % name, proc.stdout, re.M),
                  "summary row for " + name, proc.stdout[-3000:])
            check(os.path.isfile(os.path.join(out_dir, name + ".json")), "no report for " + name)
        check("3 of 3 board(s) ok" in proc.stdout, "summary total", proc.stdout[-1000:])
    finally:
        for s in sims.values():
            s.cleanup()


def case_one_fails():
    """An RDP 2 board among good ones: the others still recover, the status is 4."""
    good = Sim("part = stm32h743zi\nRDP = 0x55\n", name="good").start()
    bad = Sim("part = stm32h743zi\nRDP = 0xCC\n", name="rdp2").start()
    try:
        proc, states = run_many([good, bad], os.path.join(good.dir, "many"))
        check(proc.returncode == 4, "exit %s, want 4 (the worst board's)" % proc.returncode, proc.stdout[-3000:])
        check(states[0]["rdp"] == "0xaa", "the good board was not recovered")
        check(states[1]["rdp"] == "0xcc", "the RDP 2 board changed")
        check(re.search(r"^rbb-2\s+cannot-recover\s+4", proc.stdout, re.M), "summary does not show the RDP 2 board",
              proc.stdout)
    finally:
        good.cleanup()
        bad.cleanup()


def case_bad_usage():
    proc = subprocess.run([sys.executable, TOOL, "recovery/h743.cfg", "a=sim:/a/x", "a=sim:/b/x"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
    check(proc.returncode == 2 and "given twice" in proc.stdout, "a name given twice accepted", proc.stdout)
    proc = subprocess.run([sys.executable, TOOL, "recovery/h743.cfg", "x", "--", "-backup", "d"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
    check(proc.returncode == 2 and "-backup" in proc.stdout, "-backup accepted", proc.stdout)


def main():
    tap = Tap()
    tap.case("three boards in parallel, one summary, each chip recovered", case_three_boards)
    tap.case("one board cannot be recovered: the others are, exit status 4", case_one_fails)
    tap.case("bad command lines: status 2, nothing run", case_bad_usage)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
