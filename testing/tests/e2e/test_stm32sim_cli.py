#!/usr/bin/env python3
"""The simulator's own contract: command line, readiness line, state file,
SIGTERM, rejected scenarios, and a chip that persists across probe sessions
like a powered board."""

import os
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import STM32SIM, Sim, Tap, check, openocd  # noqa: E402

TARGET = "target/stm32h7x_dual_bank.cfg"
REQUIRED_KEYS = ("part", "dev_id", "rev_id", "rdp", "option_bytes", "flash_sha256", "core", "counters")
REQUIRED_COUNTERS = ("tck", "dr_scans", "fw_instructions_before_halt")


def run_sim(args, scenario_text, timeout=10):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "bad.scn")
        with open(path, "w") as f:
            f.write(scenario_text)
        proc = subprocess.run([STM32SIM, "--scenario", path] + args + ["--unix", os.path.join(d, "s")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
        return proc, path


def case_sigterm_writes_state():
    sim = Sim("part = stm32h743zi\n", name="cli").start()
    try:
        rc = sim.stop()
        check(rc == 0, "SIGTERM exit status %s, want 0" % rc)
        st = sim.state()
        for k in REQUIRED_KEYS:
            check(k in st, "state JSON lacks %r" % k, sorted(st))
        for k in REQUIRED_COUNTERS:
            check(k in st["counters"], "counters lack %r" % k, sorted(st["counters"]))
        check(st["part"] == "stm32h743zi" and st["rdp"] == "0xaa", "factory chip", st["part"], st["rdp"])
        check(set(st["flash_sha256"]) == {"bank1", "bank2"}, "flash_sha256 banks", st["flash_sha256"])
        doc = open(os.path.join(os.environ.get("top_srcdir", "."), "testing", "README.md")).read()
        for k in REQUIRED_KEYS + REQUIRED_COUNTERS:
            check("`%s`" % k in doc, "testing/README.md does not document %r" % k)
    finally:
        sim.cleanup()


def case_unknown_key_rejected():
    proc, path = run_sim([], "part = stm32h743zi\nRDP = 0xBB\nflash.fil = 0x08000000 32 erased\n")
    check(proc.returncode == 2, "exit status %s for a typo, want 2" % proc.returncode, proc.stderr)
    check("%s:3" % path in proc.stderr and "flash.fil" in proc.stderr,
          "error does not name file:line and key", proc.stderr)
    check("listening" not in proc.stdout, "started anyway")


def case_bad_values_rejected():
    for text, what in (("part = stm32h799zz\n", "stm32h799zz"),
                       ("part = stm32h743zi\nRDP = 0x1BB\n", "RDP"),
                       ("rdp = 0xBB\n", "part")):
        proc, _ = run_sim([], text)
        check(proc.returncode == 2, "exit %s for %r" % (proc.returncode, text), proc.stderr)
        check(what in proc.stderr, "message for %r does not mention %r" % (text, what), proc.stderr)


def case_bad_arguments():
    proc = subprocess.run([STM32SIM, "--time-scale", "-1"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=10)
    check(proc.returncode == 2, "bad arguments exit %s, want 2" % proc.returncode, proc.stderr)
    check("usage" in proc.stderr.lower() or "--scenario" in proc.stderr, "no usage message", proc.stderr)


def case_state_persists_across_sessions():
    with Sim("part = stm32h743zi\n", name="persist") as sim:
        first = openocd(sim, "init", "reset halt", "mww 0x24000000 0xC0FFEE11", "shutdown", files=[TARGET])
        check(first.rc == 0, "first session failed", first.tail())
        second = openocd(sim, "init", "halt", "mdw 0x24000000", "shutdown", files=[TARGET])
        check("0x24000000: c0ffee11" in second.output, "AXI SRAM lost between sessions", second.tail())
        check(second.state["counters"]["tck"] > first.state["counters"]["tck"], "counters restarted")
        sim.proc.send_signal(signal.SIGTERM)
        check(sim.proc.wait(timeout=10) == 0, "exit status after two sessions")


def main():
    tap = Tap()
    tap.case("SIGTERM writes the documented state JSON and exits 0", case_sigterm_writes_state)
    tap.case("an unknown scenario key is refused with file:line", case_unknown_key_rejected)
    tap.case("unknown part, oversized RDP, missing part are refused", case_bad_values_rejected)
    tap.case("bad command-line arguments give usage and status 2", case_bad_arguments)
    tap.case("chip state persists across OpenOCD sessions", case_state_persists_across_sessions)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
