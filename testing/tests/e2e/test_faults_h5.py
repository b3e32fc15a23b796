#!/usr/bin/env python3
"""Faults in the middle of an STM32H5 recovery (issue 5): field report 004's
H533 stuck in Provisioning, which unbrick brings back by switching TrustZone
off, provisioning a generated DA password in OBK and authenticating for a
full regression.  The board loses power or resets between those steps
(`operator.step = during|after_op EVENT N -> ...`); running the same
`unbrick` again must finish, with the password the first run saved, and the
chip must never end up further along than Provisioning without a credential
we hold.  Also a power loss in the middle of `program` on an H563."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import TOP_SRCDIR, Sim, Tap, check, openocd, random_image, record_outcome, sha256  # noqa: E402

APP = os.path.join(TOP_SRCDIR, "testing", "scenarios", "images", "app-loop.bin")
HALF = {"stm32h533re": 0x40000, "stm32h563zi": 0x100000}
SEED004 = "PRODUCT_STATE = 0x17\nTZEN = 0xB4\n"


def chip(name, part, extra):
    text = "part = %s\nflash.load = 0x08000000 app.bin\nflash.fill = 0x%08x 0x4000 random:5\n" % (
        part, 0x08000000 + HALF[part])
    sim = Sim(text + extra, name=name)
    with open(APP, "rb") as src, open(os.path.join(sim.dir, "app.bin"), "wb") as dst:
        dst.write(src.read())
    return sim.start()


def unbrick(sim, cfg="recovery/h533.cfg"):
    backup = os.path.join(sim.dir, "backup")
    run = openocd(sim, "unbrick -timeout 10 -backup %s" % backup, files=[cfg], timeout=600)
    run.backup = backup
    return run


def open_and_erased(st, part):
    h = sha256(b"\xff" * HALF[part])
    return st["product_state"] == "0xed" and st["flash_h5"]["flash_sha256"] == {"bank1": h, "bank2": h}


def fired(st):
    check(st["counters"].get("operator_steps_fired", 0) >= 1, "the fault never fired")


def seed004_fault(trigger, check_first, what):
    sim = chip("h5fault", "stm32h533re", SEED004 + "operator.step = %s\n" % trigger)
    try:
        first = unbrick(sim)
        st1 = first.state
        fired(st1)
        check(st1["product_state"] in ("0x17", "0xed", "0x9a", "0xa3"), "the fault moved the product state on",
              st1["product_state"])
        if first.rc == 0:
            check(open_and_erased(st1, "stm32h533re"), "exit 0 but not recovered", first.tail())
            record_outcome("fault", what, "H533 in Provisioning, TZEN 0xB4 (seed 004)", "recovered",
                           "absorbed: run 1 exit 0, Open, flash erased")
            return
        check(first.rc == 3, "interrupted run: exit %s, want 3" % first.rc, first.tail())
        check_first(st1, first)
        second = unbrick(sim)
        check(second.rc == 0, "the second run did not finish: exit %s" % second.rc, second.tail(60))
        check(open_and_erased(second.state, "stm32h533re"), "not Open and erased", second.state["product_state"])
        check(os.path.isdir(os.path.join(first.backup, "run-2")), "the second run's backup is not in run-2")
        record_outcome("fault", what, "H533 in Provisioning, TZEN 0xB4 (seed 004)", "recovered",
                       "run 1: exit 3, still Provisioning; run 2: exit 0, Open, flash erased")
        return second
    finally:
        sim.cleanup()


def case_after_tzen():
    def tz_off(st, run):
        check(st["flash_h5"]["option_fields"]["TZEN"] == 0xC3, "TZEN change lost", st["flash_h5"]["option_fields"])
    seed004_fault("after_op optstart 1 -> power_cycle", tz_off,
                  "power loss after TrustZone was switched off, before the DA password was provisioned")


def case_after_provisioning():
    # TZEN is the first option change; the OBK record is the next write to flash.
    def provisioned(st, run):
        check(st["flash_h5"]["obk"]["present"], "no OBK record after the cut", st["flash_h5"]["obk"])
        check(os.path.isfile(os.path.join(run.backup, "da-password.bin")), "the generated password was not saved")
    second = seed004_fault("after_op program 3 -> power_cycle", provisioned,
                           "power loss after the DA password was provisioned, before authentication")
    if second is not None:
        check("earlier run generated" in second.output, "the rerun did not use the saved password", second.tail())


def case_regression_cut():
    def still_provisioning(st, run):
        check(st["product_state"] in ("0x17", "0x9a", "0xa3"), "product state", st["product_state"])
    seed004_fault("during bank_erase 1 -> power_cycle", still_provisioning,
                  "power loss during the DA regression's erase")


def case_program_power_loss():
    sim = chip("h5prog", "stm32h563zi", "operator.step = during program 200 -> power_cycle\n")
    try:
        image = random_image(64 * 1024, seed=9)
        path = os.path.join(sim.dir, "app.bin")
        with open(path, "wb") as f:
            f.write(image)
        run = openocd(sim, "program %s verify reset exit" % path, files=["target/stm32h5x.cfg"], timeout=600)
        check(run.rc != 0, "`program` through a power loss reported success", run.tail())
        again = openocd(sim, "program %s verify reset exit" % path, files=["target/stm32h5x.cfg"], timeout=600)
        check(again.rc == 0, "`program` again failed", again.tail())
        half = HALF["stm32h563zi"]
        bank1 = image + b"\xff" * (half - len(image))
        check(again.state["flash_h5"]["flash_sha256"]["bank1"] == sha256(bank1), "bank 1 does not hold the image")
        record_outcome("fault", "power loss in the middle of `program` (our H5 flash path)",
                       "H563, Open, 64 KiB image", "recovered",
                       "run 1: error, not success; `program` again: exit 0, bank 1 hash matches the image")
    finally:
        sim.cleanup()


def main():
    tap = Tap()
    tap.case("seed 004: power loss after TZEN = 0xC3, rerun finishes", case_after_tzen)
    tap.case("seed 004: power loss after provisioning, rerun uses the saved password", case_after_provisioning)
    tap.case("seed 004: power loss during the DA regression's erase, rerun finishes", case_regression_cut)
    tap.case("H563: power loss mid-`program`, programming again succeeds", case_program_power_loss)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
