#!/usr/bin/env python3
"""The H7 flash queue as a debugger meets it.  The controller programs one
flash word and holds one more (SR.QW); a write that completes a third stalls
its bus until a slot frees, and the JTAG-DP answers WAIT meanwhile.  OpenOCD
0.12 replays what a WAIT discarded, but a WAIT during the replay sets
STICKYORUN again and the DP then drops every AP access until it is cleared,
which OpenOCD does not do: a debugger that streams faster than the flash
programs loses words and then its session.  `stm32unbrick h7 program` writes
two words per status check and never overruns the queue.

The simulated flash runs 20 times slower than silicon here (12 ms per flash
word), so that the outcome does not depend on how fast this machine is."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import Sim, Tap, check, openocd, random_image, sha256  # noqa: E402

TARGET = "target/stm32h7x_dual_bank.cfg"
LOAD = ["source [find stm32unbrick/module.tcl]", "stm32unbrick_load", "stm32unbrick_attach_bridge stm32h7x"]
SLOW = 20.0
WORDS = 64  # eight 32-byte flash words in one MEM-AP write


def chip(name):
    return Sim("part = stm32h743zi\nrev = V\n", name=name, time_scale=SLOW).start()


def case_streaming_overruns_the_queue():
    sim = chip("stream")
    try:
        data = " ".join("0x%08x" % (0x5A000000 + i) for i in range(WORDS))
        run = openocd(sim, "init", "halt", "mww 0x52002004 0x45670123", "mww 0x52002004 0xCDEF89AB",
                      "mww 0x5200200C 0x32", "write_memory 0x08000000 32 {%s}" % data, "sleep 200",
                      "mdw 0x08000000 1", "shutdown", files=[TARGET], timeout=300)
        c = run.state["counters"]
        check(c["flash_bus_stalls"] >= 1, "no write stalled behind the flash queue", c)
        check(c["dp_waits"] >= 1, "the DP never answered WAIT", c)
        check("DAP transaction stalled (WAIT)" in run.output, "OpenOCD saw no WAIT", run.tail())
        flash = run.state["flash"]["bank1"]
        check(1 <= flash["programmed_words"] < WORDS * 4 // 32, "not some words lost", flash)
        # STICKYORUN stays set: OpenOCD's reads now return zeros, not the word the chip holds.
        check("5a000000" not in run.output.lower(), "the session survived the overrun", run.tail())
    finally:
        sim.cleanup()


def case_paced_program_never_waits():
    sim = chip("paced")
    try:
        image = random_image(4096, seed=20)
        path = os.path.join(sim.dir, "image.bin")
        with open(path, "wb") as f:
            f.write(image)
        run = openocd(sim, "init", *LOAD, "stm32unbrick h7 identify", "stm32unbrick h7 program %s 0x08000000" % path,
                      "shutdown", files=[TARGET], timeout=300)
        check(run.rc == 0, "h7 program failed", run.tail())
        c = run.state["counters"]
        check(c["dp_waits"] == 0 and c["flash_bus_stalls"] == 0, "our program path overran the queue", c)
        bank1 = image + b"\xff" * (1024 * 1024 - len(image))
        check(run.state["flash_sha256"]["bank1"] == sha256(bank1), "bank 1 does not hold the image")
    finally:
        sim.cleanup()


def main():
    tap = Tap()
    tap.case("OpenOCD streaming eight flash words at a slow flash: WAIT, words lost", case_streaming_overruns_the_queue)
    tap.case("stm32unbrick h7 program at the same flash: no WAIT, image verified", case_paced_program_never_waits)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
