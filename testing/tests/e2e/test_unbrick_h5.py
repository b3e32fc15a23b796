#!/usr/bin/env python3
"""STM32H5 product states and debug authentication, end to end: stock openocd
with recovery/h5xx.cfg (or our target/stm32h5x.cfg and the module's commands)
against simulated H533/H563s, asserting on the chip the simulator holds
afterwards (its state JSON), the exit status and what was printed.

Field report 004: an STM32H533 pushed from Open towards TZ-Closed, left in
Provisioning (0x17), then moved on to TZ-Closed without DA credentials."""

import json
import os
import re
import stat
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import TOP_SRCDIR, Sim, Tap, check, openocd, random_image, sha256  # noqa: E402

FIX = os.path.join(TOP_SRCDIR, "testing", "fixtures", "da")
APP = os.path.join(TOP_SRCDIR, "testing", "scenarios", "images", "app-loop.bin")
EXIT = {"recovered": 0, "refused": 2, "failed": 3, "cannot-recover": 4}
SECRET = open(os.path.join(FIX, "password.bin"), "rb").read().decode()


def fixture(name):
    return os.path.join(FIX, name)


def chip(name, part, extra, time_scale=None):
    """A simulated H5 running the looping app from 0x08000000, data in bank 2."""
    half = {"stm32h533re": 0x40000, "stm32h563zi": 0x100000}[part]
    text = "part = %s\nflash.load = 0x08000000 app.bin\nflash.fill = 0x%08x 0x4000 random:5\n" % (
        part, 0x08000000 + half)
    sim = Sim(text + extra, name=name, **({"time_scale": time_scale} if time_scale else {}))
    with open(APP, "rb") as src, open(os.path.join(sim.dir, "app.bin"), "wb") as dst:
        dst.write(src.read())
    return sim.start()


def erased(part):
    half = {"stm32h533re": 0x40000, "stm32h563zi": 0x100000}[part]
    h = sha256(b"\xff" * half)
    return {"bank1": h, "bank2": h}


def unbrick(sim, cfg, *flags):
    backup = os.path.join(sim.dir, "backup")
    report = os.path.join(sim.dir, "report.json")
    cmd = "unbrick -timeout 10 -backup %s -report %s %s" % (backup, report, " ".join(flags))
    run = openocd(sim, cmd, files=[cfg], timeout=600)
    run.report = json.load(open(report)) if os.path.exists(report) else None
    run.report_text = open(report).read() if os.path.exists(report) else ""
    run.backup = backup
    return run


def module(sim, *cmds):
    """Our target file, the module loaded and bridged, then `cmds` (exec mode)."""
    pre = ["init", "source [find stm32unbrick/module.tcl]", "stm32unbrick_load",
           "stm32unbrick_attach_bridge stm32h5x", "stm32unbrick h5 identify"]
    return openocd(sim, *(pre + list(cmds) + ["shutdown"]), files=["target/stm32h5x.cfg"], timeout=300)


def flash(st):
    return st["flash_h5"]


def nothing_written(before, after):
    a, b = flash(before)["counters"], flash(after)["counters"]
    for k in ("sector_erases", "bank_erases", "mass_erases", "option_changes", "quad_words_programmed",
              "regressions_full", "regressions_partial"):
        check(a[k] == b[k], "counter %s moved: %s -> %s" % (k, a[k], b[k]))
    check(flash(before)["flash_sha256"] == flash(after)["flash_sha256"], "flash changed")
    check(flash(before)["obk"] == flash(after)["obk"], "OBK changed")
    check(before["product_state"] == after["product_state"], "product state changed",
          before["product_state"], after["product_state"])


def no_secret(run):
    check(SECRET not in run.output, "the password appears in OpenOCD's output")
    check(SECRET not in run.report_text, "the password appears in the report")


def normal_attach_works(sim):
    run = openocd(sim, "init", "reset halt", "shutdown", files=["target/stm32h5x.cfg"])
    check(run.rc == 0, "reset halt failed after recovery", run.tail())
    check(run.state["core"] == "halted", "core not halted after `reset halt`", run.state["core"], run.tail())


# ---- seed 004 ------------------------------------------------------------------------

SEED004 = "PRODUCT_STATE = 0x17\nTZEN = 0xB4\n"


def case_seed004_provisioning():
    sim = chip("seed004", "stm32h533re", SEED004)
    try:
        run = unbrick(sim, "recovery/h533.cfg")
        st = run.state
        check(run.rc == EXIT["recovered"], "exit status %s" % run.rc, run.tail(60))
        check(st["product_state"] == "0xed", "product state not Open", st["product_state"])
        check(flash(st)["flash_sha256"] == erased("stm32h533re"), "flash not erased")
        check(flash(st)["obk"]["erased"], "OBK not erased by the regression")
        check(st["da"]["auth_ok"] == 1, "not one successful authentication", st["da"])
        check(flash(st)["counters"]["regressions_full"] == 1, "no full regression", flash(st)["counters"])
        pw = os.path.join(run.backup, "da-password.bin")
        check(os.path.isfile(pw), "generated password not saved in the backup directory")
        check(stat.S_IMODE(os.stat(pw).st_mode) == 0o600, "password file mode", oct(os.stat(pw).st_mode))
        secret = open(pw).read()
        check(secret not in run.output and secret not in run.report_text, "the generated password was printed")
        check(os.path.isfile(os.path.join(run.backup, "option-bytes.txt")), "option bytes not saved")
        # Provisioning: hot-plug first (a halt is not granted there), and after the regression the
        # halted core read the erased flash, not the probe.
        check("normal failed" not in run.output, "a halting attach was tried in Provisioning", run.tail(60))
        check(st["counters"]["code_instructions"] > 0 and "the debugger reads the flash" not in run.output,
              "the blank check after the regression did not use the core", run.tail(60))
        normal_attach_works(sim)
    finally:
        sim.cleanup()


def case_seed004_ap1_opens_late():
    """The boot ROM keeps AP1 closed for 80 ms after each reset, and the board pulses NRST just as
    OpenOCD connects: the tool must wait for AP1 (and examine OpenOCD's AP1 target late) instead of
    taking a closed AP1 for the product state's doing, and it must still save the flash first."""
    sim = chip("seed004late", "stm32h533re",
               SEED004 + "rom.ap1_closed_ms = 80\noperator.step = session 1 -> srst_pulse\n", time_scale=1.0)
    try:
        before = flash(sim.state())["flash_sha256"]
        run = unbrick(sim, "recovery/h533.cfg")
        st = run.state
        check(run.rc == EXIT["recovered"], "exit status %s" % run.rc, run.tail(80))
        check(st["product_state"] == "0xed", "product state not Open", st["product_state"])
        check(flash(st)["counters"]["regressions_full"] == 1, "no full regression", flash(st)["counters"])
        image = open(os.path.join(run.backup, "flash.bin"), "rb").read()
        half = len(image) // 2
        check(len(image) == 512 * 1024, "backup size", len(image))
        check({"bank1": sha256(image[:half]), "bank2": sha256(image[half:])} == before,
              "the backup is not the flash as it was", run.tail(80))
        check("normal failed" not in run.output, "a halting attach was tried in Provisioning", run.tail(80))
    finally:
        sim.cleanup()


def case_seed004_ap1_never_opens():
    """Provisioning lets AP1 read the flash, but here it stays closed (10 s after every reset): the
    flash cannot be saved, so the regression that would erase it is refused."""
    sim = chip("seed004shut", "stm32h533re", SEED004 + "rom.ap1_closed_ms = 10000\n", time_scale=1.0)
    try:
        before = sim.state()
        run = unbrick(sim, "recovery/h533.cfg")
        check(run.rc == EXIT["refused"], "exit status %s" % run.rc, run.tail(40))
        check("the flash cannot be saved before the erase" in run.output, "no reason given", run.tail(40))
        nothing_written(before, run.state)
        check(run.state["da"]["auth_ok"] == 0, "an authentication happened", run.state["da"])
    finally:
        sim.cleanup()


def case_seed004_tz_closed_diagnose():
    sim = chip("seed004c", "stm32h533re", "PRODUCT_STATE = 0xC6\nTZEN = 0xB4\n")
    try:
        before = sim.state()
        run = openocd(sim, "diagnose", "shutdown", files=["recovery/h533.cfg"])
        out = run.output
        check(re.search(r"non-secure debug", out), "diagnose does not say non-secure debug is possible", run.tail())
        check(re.search(r"regression is not possible", out), "diagnose does not say regression is impossible",
              run.tail())
        check(re.search(r"TZ-Closed", out), "diagnose does not name the state", run.tail())
        nothing_written(before, run.state)
        ub = unbrick(sim, "recovery/h533.cfg")
        check(ub.rc == EXIT["cannot-recover"], "unbrick exit status %s, want 4" % ub.rc, ub.tail())
        nothing_written(before, ub.state)
    finally:
        sim.cleanup()


# ---- credentials ---------------------------------------------------------------------

def case_closed_password():
    sim = chip("closedpw", "stm32h563zi", "PRODUCT_STATE = 0x72\nTZEN = 0xC3\nobk.da_password = %s\n" % SECRET)
    try:
        before = sim.state()
        bad = unbrick(sim, "recovery/h563.cfg", "-password", fixture("wrong-password.bin"))
        check(bad.rc == EXIT["failed"], "wrong password: exit status %s, want 3" % bad.rc, bad.tail())
        check("not accepted" in bad.output and "nothing was changed" in bad.output, "no clear message", bad.tail())
        nothing_written(before, bad.state)
        check(bad.state["da"]["auth_failed"] >= 1, "the device saw no failed attempt", bad.state["da"])
        good = unbrick(sim, "recovery/h563.cfg", "-password", fixture("password.bin"))
        check(good.rc == EXIT["recovered"], "right password: exit status %s" % good.rc, good.tail(60))
        check(good.state["product_state"] == "0xed", "not Open", good.state["product_state"])
        check(flash(good.state)["flash_sha256"] == erased("stm32h563zi"), "flash not erased")
        no_secret(good)
        no_secret(bad)
    finally:
        sim.cleanup()


def case_progress_lines():
    # At 2.5 wall seconds per simulated second an H563 bank erase (128 sectors at the simulator's 10 ms)
    # and the DA regression (both banks in parallel) take 3.2 s: each wait prints a progress line with
    # the time so far and the usual time, which on the H5 is our estimate (no datasheet figure).
    sim = chip("progress", "stm32h563zi", "PRODUCT_STATE = 0x72\nTZEN = 0xC3\nobk.da_password = %s\n" % SECRET,
               time_scale=2.5)
    try:
        run = unbrick(sim, "recovery/h563.cfg", "-password", fixture("password.bin"))
        check(run.rc == EXIT["recovered"], "exit status %s" % run.rc, run.tail(60))
        check(re.search(r"^DA regression: \d+\.\d s so far, usually about 3\.1 s \(our estimate\) "
                        r"\(gives up after \d+ s\)$", run.output, re.M), "no progress line in the DA regression",
              run.tail(60))
        erase = module(sim, "stm32unbrick h5 erase -bank 2")
        check(erase.rc == 0, "bank erase failed", erase.tail())
        check(flash(erase.state)["counters"]["bank_erases"] == 1, "no bank erase", flash(erase.state)["counters"])
        check(re.search(r"^bank erase: \d+\.\d s so far, usually about 1\.3 s \(our estimate\) "
                        r"\(gives up after 30 s\)$", erase.output, re.M), "no progress line in the bank erase",
              erase.tail())
    finally:
        sim.cleanup()


def case_tz_closed_certificate():
    sim = chip("tzcert", "stm32h563zi", "PRODUCT_STATE = 0xC6\nTZEN = 0xB4\nobk.da_cert = %s\n" %
               fixture("root.cert.pem"))
    try:
        before = sim.state()
        bad = unbrick(sim, "recovery/h563.cfg", "-cert", fixture("other-root.cert.pem"), "-key",
                      fixture("wrong.key.pem"))
        check(bad.rc == EXIT["failed"], "wrong key: exit status %s, want 3" % bad.rc, bad.tail())
        check("not accepted" in bad.output, "no clear message", bad.tail())
        nothing_written(before, bad.state)
        good = unbrick(sim, "recovery/h563.cfg", "-cert", fixture("chain.pem"), "-key", fixture("leaf.key.pem"))
        check(good.rc == EXIT["recovered"], "right key: exit status %s" % good.rc, good.tail(60))
        check(good.state["product_state"] == "0xed", "not Open", good.state["product_state"])
        check(flash(good.state)["flash_sha256"] == erased("stm32h563zi"), "flash not erased")
    finally:
        sim.cleanup()


def case_partial_regression():
    # Bank 1 secure (watermark over all its 128 sectors), bank 2 non-secure (watermark disabled).
    sim = chip("partial", "stm32h563zi", "PRODUCT_STATE = 0xC6\nTZEN = 0xB4\nobk.da_cert = %s\n"
               "SECWM1_STRT = 0\nSECWM1_END = 127\nSECWM2_STRT = 1\nSECWM2_END = 0\n" % fixture("root.cert.pem"))
    try:
        before = sim.state()
        run = unbrick(sim, "recovery/h563.cfg", "-cert", fixture("chain.pem"), "-key", fixture("leaf.key.pem"),
                      "-partial")
        st = run.state
        check(run.rc == EXIT["recovered"], "exit status %s" % run.rc, run.tail(60))
        check(st["product_state"] == "0xc6", "not TZ-Closed after a partial regression", st["product_state"])
        check(flash(st)["counters"]["regressions_partial"] == 1, "no partial regression", flash(st)["counters"])
        check(flash(st)["flash_sha256"]["bank1"] == flash(before)["flash_sha256"]["bank1"],
              "the secure bank was erased")
        check(flash(st)["flash_sha256"]["bank2"] == erased("stm32h563zi")["bank2"], "the non-secure bank survived")
        check(flash(st)["obk"] == flash(before)["obk"], "OBK changed by a partial regression")
    finally:
        sim.cleanup()


def case_locked():
    sim = chip("locked", "stm32h563zi", "PRODUCT_STATE = 0x5C\nTZEN = 0xC3\n")
    try:
        before = sim.state()
        run = unbrick(sim, "recovery/h563.cfg", "-password", fixture("password.bin"))
        check(run.rc == EXIT["cannot-recover"], "exit status %s, want 4" % run.rc, run.tail())
        check(re.search(r"Locked.*cannot be recovered", run.output, re.S), "not reported as permanent", run.tail())
        check(run.state["da"]["auth_ok"] + run.state["da"]["auth_failed"] == 0, "an authentication was attempted")
        nothing_written(before, run.state)
    finally:
        sim.cleanup()


# ---- guards and the forward path -----------------------------------------------------

def case_guards_and_forward_path():
    sim = chip("forward", "stm32h563zi", "TZEN = 0xB4\n")
    try:
        before = sim.state()
        run = module(sim, "catch {stm32unbrick h5 product_state TZ-Closed} msg", "echo \"REFUSED: $msg\"")
        check(re.search(r"REFUSED: .*(Provisioning|skip)", run.output), "Open -> TZ-Closed not refused clearly",
              run.tail())
        nothing_written(before, run.state)
        # TrustZone off so that a password is the credential DA accepts (facts B.3).
        sim.stop()
        sim2 = chip("forward2", "stm32h563zi", "TZEN = 0xC3\n")
        sim.cleanup()
        sim = sim2
        pw = fixture("password.bin")
        run = module(sim, "stm32unbrick h5 product_state Provisioning",
                     "stm32unbrick_attach_bridge stm32h5x",
                     "stm32unbrick h5 identify",
                     "stm32unbrick h5 da_provision -password %s" % pw,
                     "stm32unbrick h5 product_state Closed -password %s" % pw)
        check(run.rc == 0, "the forward path failed", run.tail(60))
        check(run.state["product_state"] == "0x72", "not Closed", run.state["product_state"], run.tail())
        check(flash(run.state)["obk"]["da_credential"] == "password", "no password credential", flash(run.state)["obk"])
        ub = unbrick(sim, "recovery/h563.cfg", "-password", pw)
        check(ub.rc == EXIT["recovered"], "regression after the forward path: exit %s" % ub.rc, ub.tail(60))
        check(ub.state["product_state"] == "0xed", "not Open again", ub.state["product_state"])
    finally:
        sim.cleanup()


# ---- programming, wrong script ---------------------------------------------------------

def case_program_both_banks():
    sim = Sim("part = stm32h563zi\n", name="program").start()
    try:
        image = random_image(256 * 1024, 11)
        path = os.path.join(sim.dir, "image.bin")
        open(path, "wb").write(image)
        # 0x080E0000..0x0811FFFF: the last 128 KiB of bank 1 and the first 128 KiB of bank 2.
        run = openocd(sim, "program %s verify reset exit 0x080E0000" % path, files=["target/stm32h5x.cfg"],
                      timeout=600)
        check(run.rc == 0, "program failed", run.tail())
        check("** Verified OK **" in run.output, "no verify message", run.tail())
        bank = 0x100000
        b1 = b"\xff" * (bank - 0x20000) + image[:0x20000]
        b2 = image[0x20000:] + b"\xff" * (bank - 0x20000)
        check(flash(run.state)["flash_sha256"] == {"bank1": sha256(b1), "bank2": sha256(b2)},
              "flash does not hold the image")
    finally:
        sim.cleanup()


def case_wrong_script(sim_part, cfg, names):
    sim = chip("wrong", sim_part, "") if sim_part.startswith("stm32h5") else \
        Sim("part = %s\nRDP = 0x55\n" % sim_part, name="wrong").start()
    try:
        before = sim.state()
        run = unbrick(sim, cfg)
        check(run.rc == EXIT["refused"], "exit status %s, want 2" % run.rc, run.tail())
        for n in names:
            check(re.search(n, run.output), "error does not name %s" % n, run.tail())
        check("nothing was written" in run.output, "does not say nothing was written", run.tail())
        if "flash_h5" in before:
            nothing_written(before, run.state)
        else:
            check(run.state["rdp"] == before["rdp"] and run.state["option_bytes"] == before["option_bytes"],
                  "something was written to the H743")
    finally:
        sim.cleanup()


def main():
    tap = Tap()
    tap.case("seed 004 in Provisioning: password provisioned, regressed to Open, attach works",
             case_seed004_provisioning)
    tap.case("seed 004 with AP1 opening 80 ms after each reset: waited for, flash saved, recovered",
             case_seed004_ap1_opens_late)
    tap.case("seed 004 with AP1 that never opens: the flash cannot be saved, the erase is refused",
             case_seed004_ap1_never_opens)
    tap.case("seed 004 in TZ-Closed without credentials: diagnose explains, nothing written",
             case_seed004_tz_closed_diagnose)
    tap.case("Closed with a password: the wrong one changes nothing, the right one regresses",
             case_closed_password)
    tap.case("progress lines: the DA regression and an H563 bank erase show elapsed and estimated time",
             case_progress_lines)
    tap.case("TZ-Closed with a certificate: a foreign chain changes nothing, the right key regresses",
             case_tz_closed_certificate)
    tap.case("TZ-Closed, -partial: non-secure bank erased, secure bank and OBK kept, still TZ-Closed",
             case_partial_regression)
    tap.case("Locked: permanent, nothing attempted", case_locked)
    tap.case("guards: Open -> TZ-Closed refused; Open -> Provisioning -> provision -> Closed -> regress",
             case_guards_and_forward_path)
    tap.case("program 256 KiB across both banks of an H563, verify, reset", case_program_both_banks)
    tap.case("recovery/h563.cfg on an H743: both parts named, nothing written", case_wrong_script,
             "stm32h743zi", "recovery/h563.cfg", [r"STM32H563", r"STM32H74x"])
    tap.case("recovery/h743.cfg on an H563: both parts named, nothing written", case_wrong_script,
             "stm32h563zi", "recovery/h743.cfg", [r"STM32H743", r"STM32H56x"])
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
