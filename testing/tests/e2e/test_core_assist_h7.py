#!/usr/bin/env python3
"""Reads of the whole flash done by the halted core instead of the debugger (issue 6): the blank
check after an erase, and the backup's search for erased flash (`h7 erased_until`).  The core
reads a MiB in milliseconds; the debugger needs a second of JTAG for it.  When the core cannot
help (not halted), the debugger reads as before and reports the same word."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import TOP_SRCDIR, Sim, Tap, check, openocd  # noqa: E402

TARGET = "target/stm32h7x_dual_bank.cfg"
LOAD = ["source [find stm32unbrick/module.tcl]", "stm32unbrick_load", "stm32unbrick_attach_bridge stm32h7x"]
APP = os.path.join(TOP_SRCDIR, "testing", "scenarios", "images", "app-loop.bin")
TEXT = "part = stm32h743zi\nflash.load = 0x08000000 %s\nflash.fill = 0x08123460 0x20 0x12345678\n" % APP
CHECKS = ['catch {stm32unbrick h7 blank_check 2} r', 'echo "bank2: $r"',
          'echo "until: [stm32unbrick h7 erased_until 0x08100000 0x08200000]"']


def session(halt):
    sim = Sim(TEXT, name="assist", time_scale=1.0).start()
    try:
        pre = ["reset halt"] if halt else ["reset run", "sleep 50"]
        cmds = ["init", "poll off"] + pre + LOAD + ["stm32unbrick h7 identify"]
        if halt:
            cmds += CHECKS
        else:
            cmds += CHECKS[:2]
        run = openocd(sim, *cmds, "shutdown", files=[TARGET], timeout=300)
        return run
    finally:
        sim.cleanup()


def case_core_reads():
    run = session(True)
    check(run.rc == 0, "session failed", run.tail())
    check("bank2: blank check bank 2: 0x08123460 reads 0x12345678, not erased" in run.output,
          "blank check did not name the programmed word", run.tail())
    check("until: 0x08123460" in run.output, "erased_until did not stop at the programmed word", run.tail())
    check("the debugger reads" not in run.output, "the core did not do the reading", run.tail())
    c = run.state["counters"]
    check(c["code_instructions"] > 2 * (0x23460 // 16) * 6, "the core read too little", c)


def case_running_core_falls_back():
    run = session(False)
    check(run.rc == 0, "session failed", run.tail())
    check("the debugger reads bank 2 (blank check on the core: the core is not halted)" in run.output,
          "no line saying the debugger reads", run.tail())
    check("bank2: blank check bank 2: 0x08123460 reads 0x12345678, not erased" in run.output,
          "the fallback did not name the same word", run.tail())
    check(run.state["counters"]["code_instructions"] == 0, "code ran on a core the tool did not halt",
          run.state["counters"])


def main():
    tap = Tap()
    tap.case("halted core: blank check and erased_until stop at the programmed word", case_core_reads)
    tap.case("running core: the debugger reads instead, same word named, the core left alone",
             case_running_core_falls_back)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
