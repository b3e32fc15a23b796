#!/usr/bin/env python3
"""Faults in the middle of a recovery (issue 5): the simulated board resets,
loses power or drops the probe connection at a chosen point of what unbrick
does to an STM32H743 (scenario `operator.step = during|after_op EVENT N ->
srst_pulse|power_cycle|disconnect`, testing/scenarios/README.md).

Each case checks on the chip (the simulator's state JSON) that the
interrupted run left it no worse (never RDP level 2, never an option byte
the plan did not ask for), that it said which step failed, and that running
the same `unbrick` again finishes the recovery without overwriting the first
run's backup.  Each records its row of docs/faults.md."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import Sim, Tap, check, openocd, random_image, record_outcome, sha256  # noqa: E402

PART = "recovery/h743.cfg"
BANK = 1024 * 1024
ERASED = sha256(b"\xff" * BANK)
APP = os.path.join(os.environ.get("top_srcdir", "."), "testing", "scenarios", "images", "app-loop.bin")
EXIT_FAILED = 3


def board(name, extra):
    """An H743 holding the app image at 0x08000000 and data in bank 2."""
    text = "part = stm32h743zi\nflash.load = 0x08000000 app.bin\nflash.fill = 0x08100000 0x4000 random:3\n"
    sim = Sim(text + extra, name=name)
    with open(APP, "rb") as src, open(os.path.join(sim.dir, "app.bin"), "wb") as dst:
        dst.write(src.read())
    return sim.start()


def unbrick(sim):
    """The same command line each time, the same backup directory included."""
    backup = os.path.join(sim.dir, "backup")
    run = openocd(sim, "unbrick -timeout 10 -backup %s" % backup, files=[PART], timeout=600)
    run.backup = backup
    return run


def recovered(st):
    return (st["rdp"] == "0xaa" and st["flash_sha256"] == {"bank1": ERASED, "bank2": ERASED}
            and all(st["flash"][b]["ecc_corrupt_words"] == 0 for b in ("bank1", "bank2")))


def failed_step(run):
    """The line naming what failed ("unbrick: failed: <step>: <why>")."""
    m = re.search(r"^.*failed: .*$", run.output, re.M)
    return m.group(0).strip() if m else ""


def interrupted_then_recovered(sim, expect_first):
    """Run unbrick twice; the first run meets the fault.  expect_first(state)
    checks the interrupted chip; the second run must recover it.  Returns the
    evidence for the table and the second run (None when the first absorbed
    the fault)."""
    first = unbrick(sim)
    st1 = first.state
    check(st1["counters"].get("operator_steps_fired", 0) >= 1, "the fault never fired", sim.log_tail())
    check(st1["rdp"] != "0xcc", "the interruption left RDP level 2", st1["rdp"])
    saved = open(os.path.join(first.backup, "option-bytes.txt")).read()
    if first.rc == 0:
        check(recovered(st1), "exit 0 but the chip is not recovered", first.tail())
        return "the fault was absorbed: run 1 exit 0, RDP 0xaa, both banks erased", None
    check(first.rc == EXIT_FAILED, "interrupted run: exit %s, want 3" % first.rc, first.tail())
    line = failed_step(first)
    check(line, "the interrupted run does not say what failed", first.tail())
    expect_first(st1)
    second = unbrick(sim)
    st2 = second.state
    check(second.rc == 0, "the second run did not finish: exit %s" % second.rc, second.tail())
    check(recovered(st2), "the second run did not recover the chip", st2["rdp"], st2["flash"], second.tail())
    check(open(os.path.join(first.backup, "option-bytes.txt")).read() == saved, "the first backup was overwritten")
    check(os.path.isdir(os.path.join(first.backup, "run-2")), "the second run's backup is not in run-2")
    evidence = "run 1: exit 3 naming the failed step; run 2: exit 0, RDP 0xaa, flash erased, first backup kept"
    return evidence, second


def fault_case(sim, expect_first, what, setup):
    evidence, _ = interrupted_then_recovered(sim, expect_first)
    record_outcome("fault", what, setup, "recovered", evidence)


def case_regression_erase_cut():
    sim = board("regr-erase", "RDP = 0x55\noperator.step = during optstart 1 -> srst_pulse\n")
    try:
        def partly(st):
            check(st["rdp"] == "0x55", "a reset during the regression's erase changed RDP", st["rdp"])
            check(not st["flash"]["bank1"]["erased"] or not st["flash"]["bank2"]["erased"],
                  "the cut erase finished anyway", st["flash"])
        fault_case(sim, partly, "NRST pulse during the RDP regression's erase (OPTSTART)",
                                   "H743, RDP 0x55, application")
    finally:
        sim.cleanup()


def case_regression_write_cut():
    # 8 sectors x 1.1 s of erase, then the option write: 8.9 s lands in the write.
    sim = board("regr-write", "RDP = 0x55\noperator.step = during optstart 1 8.9s -> srst_pulse\n")
    try:
        def level1(st):
            check(st["rdp"] == "0xbb", "a cut option write should leave RDP 0xBB (seed 000)", st["rdp"])
        fault_case(sim, level1, "NRST pulse while the regression writes the option bytes",
                                   "H743, RDP 0x55, application")
    finally:
        sim.cleanup()


def case_bank_erase_power_loss():
    sim = board("erase-power", "flash.ecc_error = 0x08000400\noperator.step = during bank_erase 1 -> power_cycle\n")
    try:
        def partly(st):
            check(st["rdp"] == "0xaa", "RDP changed", st["rdp"])
            check(st["flash"]["bank1"]["ecc_corrupt_words"] > 0, "a cut erase leaves a corrupt sector",
                  st["flash"])
        fault_case(sim, partly, "power loss during a bank erase",
                                   "H743, RDP 0xAA, an ECC-corrupt flash word")
        # The first run's backup: every readable byte, the corrupt word listed.
        backup = os.path.join(sim.dir, "backup")
        check("0x08000400" in open(os.path.join(backup, "unreadable.txt")).read(), "corrupt word not listed")
        check(os.path.getsize(os.path.join(backup, "bank1.bin")) == BANK, "bank 1 backup is not 1 MiB")
    finally:
        sim.cleanup()


def case_bank_erase_disconnect():
    sim = board("erase-drop", "flash.ecc_error = 0x08100020\noperator.step = during bank_erase 1 -> disconnect\n")
    try:
        fault_case(sim, lambda st: None, "probe connection dropped during a bank erase",
                                   "H743, RDP 0xAA, an ECC-corrupt flash word")
    finally:
        sim.cleanup()


PCROP = "RDP = 0x55\nPROT_AREA_START1 = 0x010\nPROT_AREA_END1 = 0x01f\nDMEP1 = 0\n"


def case_between_option_writes(action):
    sim = board("between-" + action, PCROP + "operator.step = after_op optstart 1 -> %s\n" % action)
    try:
        def dmep_kept(st):
            check(st["option_fields"]["DMEP1"] == 1, "the first change (DMEP1 = 1) was lost", st["option_fields"])
            check(st["rdp"] == "0x55", "RDP changed", st["rdp"])
        what = {"srst_pulse": "NRST pulse", "power_cycle": "power loss"}[action]
        evidence, second = interrupted_then_recovered(sim, dmep_kept)
        if second is not None:
            check("set DMEP1" not in second.output, "the second run redid the finished DMEP1 change", second.tail())
            evidence += "; run 2 did not redo DMEP1"
        record_outcome("fault", what + " between two option-byte changes (DMEP1, then RDP)",
                       "H743, RDP 0x55, PCROP area with DMEP1 = 0", "recovered", evidence)
    finally:
        sim.cleanup()


def case_program_power_loss():
    sim = board("program-power", "operator.step = during program 100 -> power_cycle\n")
    try:
        image = random_image(64 * 1024, seed=5)
        path = os.path.join(sim.dir, "image.bin")
        with open(path, "wb") as f:
            f.write(image)
        run = openocd(sim, "diagnose -timeout 10", "stm32unbrick h7 program %s 0x08180000" % path, "shutdown",
                      files=[PART], timeout=600)
        check(run.rc != 0, "programming through a power loss reported success", run.tail())
        check(run.state["flash"]["bank2"]["ecc_corrupt_words"] >= 1, "no half-programmed word", run.state["flash"])
        check(re.search(r"0x081[89a-f][0-9a-f]{4}", run.output), "the error names no flash address", run.tail())
        rerun = unbrick(sim)
        check(rerun.rc == 0, "unbrick after the cut programming: exit %s" % rerun.rc, rerun.tail())
        check(recovered(rerun.state), "unbrick left ECC errors or data", rerun.state["flash"], rerun.tail())
        again = openocd(sim, "diagnose -timeout 10", "stm32unbrick h7 program %s 0x08180000" % path, "shutdown",
                        files=[PART], timeout=600)
        check(again.rc == 0, "programming again after unbrick failed", again.tail())
        bank2 = b"\xff" * (BANK // 2) + image + b"\xff" * (BANK // 2 - len(image))
        check(again.state["flash_sha256"]["bank2"] == sha256(bank2), "bank 2 does not hold the image")
        record_outcome("fault", "power loss in the middle of flash programming (`stm32unbrick h7 program`)",
                       "H743, RDP 0xAA, 64 KiB into bank 2", "recovered",
                       "program: error naming the address, ECC-corrupt word left; unbrick: exit 0, no ECC errors; "
                       "program again: bank 2 hash matches")
    finally:
        sim.cleanup()


def case_wait_times_out():
    """A bank erase takes 8.8 s of chip time; a 10 ms bound must end the wait
    with a message naming the step, the register, its address and the value
    last read, and leave the chip no worse (the erase still completes)."""
    sim = board("timeout", "")
    try:
        run = openocd(sim, "diagnose -timeout 10", "stm32unbrick h7 erase 2 -timeout 10", "shutdown",
                      files=[PART], timeout=600)
        check(run.rc != 0, "a timed-out erase reported success", run.tail())
        m = re.search(r"bank erase: waited \d+ ms for FLASH_SR2 \(AP\d 0x52002110\) & 0x[0-9a-f]+ == 0x0+; "
                      r"last read 0x[0-9a-f]{8}", run.output)
        check(m, "the timeout message does not name step, register, address and last value", run.tail())
        later = openocd(sim, "diagnose -timeout 10", "shutdown", files=[PART], timeout=600)
        check(later.state["flash"]["bank2"]["erased"], "the erase did not complete on the chip", later.state["flash"])
        check(later.state["rdp"] == "0xaa" and later.state["flash_sha256"]["bank1"] == run.state["flash_sha256"]["bank1"],
              "the timeout touched something else")
        record_outcome("fault", "a bounded wait runs out (bank erase with a 10 ms bound)", "H743, RDP 0xAA",
                       "reported", "error names the step, FLASH_SR2 at 0x52002110, the mask and the value last read; "
                       "the chip finished the erase, bank 1 unchanged")
    finally:
        sim.cleanup()


def main():
    tap = Tap()
    tap.case("NRST pulse during the RDP regression's erase: rerun finishes", case_regression_erase_cut)
    tap.case("NRST pulse in the regression's option write: RDP 0xBB, rerun finishes", case_regression_write_cut)
    tap.case("power loss during a bank erase: rerun finishes", case_bank_erase_power_loss)
    tap.case("probe connection dropped during a bank erase: rerun finishes", case_bank_erase_disconnect)
    tap.case("NRST pulse between two option-byte changes", case_between_option_writes, "srst_pulse")
    tap.case("power loss between two option-byte changes: rerun skips the done one", case_between_option_writes,
             "power_cycle")
    tap.case("power loss mid-programming: ECC errors, unbrick erases them", case_program_power_loss)
    tap.case("a wait that runs out names step, register, address and value", case_wait_times_out)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
