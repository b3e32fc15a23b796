#!/usr/bin/env python3
"""`openocd -f <simulator adapter> -f recovery/h743.cfg -c unbrick` against
bricked simulated STM32H743s (field reports 000-002), asserting on what the
chip holds afterwards (the simulator's state JSON), on the exit status and
on the backups."""

import hashlib
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import (GDB, OPENOCD, Sim, Tap, check, openocd, random_image,  # noqa: E402
                        script_dirs, sha256)

PART = "recovery/h743.cfg"
BANK = 1024 * 1024
ERASED = sha256(b"\xff" * BANK)
APP = os.path.join(os.environ.get("top_srcdir", "."), "testing", "scenarios", "images", "app-loop.bin")
EXIT = {"recovered": 0, "refused": 2, "failed": 3, "cannot-recover": 4}


def board(name, extra, image=True, time_scale=None):
    """An H743 holding the app image at 0x08000000 and data in bank 2."""
    text = "part = stm32h743zi\n"
    if image:
        text += "flash.load = 0x08000000 app.bin\nflash.fill = 0x08100000 0x4000 random:3\n"
    sim = Sim(text + extra, name=name) if time_scale is None else Sim(text + extra, name=name, time_scale=time_scale)
    if image:
        with open(APP, "rb") as src, open(os.path.join(sim.dir, "app.bin"), "wb") as dst:
            dst.write(src.read())
    return sim.start()


def unbrick(sim, *flags, part=PART):
    backup = os.path.join(sim.dir, "backup")
    report = os.path.join(sim.dir, "report.json")
    cmd = "unbrick -timeout 10 -backup %s -report %s %s" % (backup, report, " ".join(flags))
    run = openocd(sim, cmd, files=[part], timeout=600)
    run.report = json.load(open(report)) if os.path.exists(report) else None
    run.backup = backup
    return run


def options_except(state, *names):
    return {k: v for k, v in state["option_fields"].items() if k not in names}


def case_rdp1():
    sim = board("rdp1", "RDP = 0x55\n")
    try:
        before = openocd(sim, "init", "shutdown", files=[PART]).state
        run = unbrick(sim)
        st = run.state
        check(run.rc == EXIT["recovered"], "exit status %s" % run.rc, run.tail())
        check(st["rdp"] == "0xaa", "RDP not level 0", st["rdp"])
        check(st["flash_sha256"] == {"bank1": ERASED, "bank2": ERASED}, "flash not erased")
        check(options_except(st, "RDP") == options_except(before, "RDP"), "other option bytes changed")
        check(re.search(r"^h7 option bytes: FLASH_OPTSR_PRG 0x[0-9a-f]{8} -> 0x[0-9a-f]{8}$",
                        run.output, re.M), "the old OPTSR value is not in the log before the change", run.tail())
        check(run.report["outcome"] == "recovered" and run.report["attach"]["strategy"] == "normal",
              "report", run.report)
    finally:
        sim.cleanup()


def case_rdp1_pcrop():
    sim = board("pcrop", "RDP = 0x55\nPROT_AREA_START1 = 0x010\nPROT_AREA_END1 = 0x01f\nDMEP1 = 0\n")
    try:
        run = unbrick(sim)
        st = run.state
        check(run.rc == 0, "exit status %s" % run.rc, run.tail())
        check(st["rdp"] == "0xaa", "RDP", st["rdp"])
        f = st["option_fields"]
        check(f["PROT_AREA_START1"] > f["PROT_AREA_END1"], "PCROP area still defined", f)
        check(st["flash_sha256"]["bank1"] == ERASED, "PCROP area content survived")
    finally:
        sim.cleanup()


def case_seed000():
    sim = board("seed000", "RDP = 0xBB\nflash.ecc_error = 0x08000400\nflash.ecc_error = 0x08100020\n")
    try:
        run = unbrick(sim)
        st = run.state
        check(run.rc == 0, "exit status %s" % run.rc, run.tail())
        check(st["rdp"] == "0xaa", "RDP", st["rdp"])
        for b in ("bank1", "bank2"):
            check(st["flash"][b]["ecc_corrupt_words"] == 0, "ECC-corrupt words left in " + b, st["flash"])
        check(st["flash_sha256"] == {"bank1": ERASED, "bank2": ERASED}, "flash not erased")
        check(os.path.exists(os.path.join(run.backup, "option-bytes.txt")), "option bytes not saved")
    finally:
        sim.cleanup()


def case_firmware_kills_debug(action, name):
    sim = board(name, "firmware.step = 6400 %s\n" % action)
    try:
        run = unbrick(sim)
        st = run.state
        check(run.rc == 0, "exit status %s" % run.rc, run.tail())
        check(run.report["attach"]["strategy"] == "under-reset", "attach path", run.report["attach"])
        check(st["counters"]["fw_instructions_before_halt"] == 0, "firmware ran", st["counters"])
        check(st["flash_sha256"]["bank1"] == ERASED, "bad firmware still in flash")
        saved = open(os.path.join(run.backup, "bank1.bin"), "rb").read()
        check(saved[:len(open(APP, "rb").read())] == open(APP, "rb").read(), "backup lacks the firmware")
    finally:
        sim.cleanup()


def case_supply_lockout():
    extra = ("board.supply = ldo\nfirmware.step = 64000 write 0x5802480C 0x00000001\nfirmware.step = 64001 idle\n"
             "operator.step = srst_held 1s -> power_cycle 300ms\n")
    # The simulated operator acts on simulated time: real time, as on a bench.
    sim = board("supply", extra, time_scale=1.0)
    try:
        run = unbrick(sim)
        st = run.state
        check(run.rc == 0, "exit status %s" % run.rc, run.tail())
        check(run.report["attach"]["strategy"] == "power-cycle", "attach path", run.report["attach"])
        check(st["counters"]["power_cycles"] >= 1, "no power cycle", st["counters"])
        check(st["flash_sha256"]["bank1"] == ERASED, "firmware not erased")
        check("supply" in run.report["verdict"], "verdict does not name the supply", run.report["verdict"])
        # At time-scale 1 a bank erase takes 8.8 s: progress lines with elapsed and usual time.
        check(re.search(r"^bank erase: \d+\.\d s so far, usually about 8\.8 s \(gives up after 40 s\)$", run.output, re.M),
              "no progress line during the bank erase", run.tail())
    finally:
        sim.cleanup()


def case_rdp2():
    sim = board("rdp2", "RDP = 0xCC\n")
    try:
        run = unbrick(sim)
        check(run.rc == EXIT["cannot-recover"], "exit status %s, want 4" % run.rc, run.tail())
        check(run.state["rdp"] == "0xcc", "RDP changed")
        check(run.state["flash"]["bank1"]["erased"] is False, "flash erased")
        check("permanent" in run.output or "for ever" in run.output, "not reported as permanent", run.tail())
        diag = openocd(sim, "diagnose -timeout 5", "shutdown", files=[PART])
        check("for ever" in diag.output or "permanent" in diag.output, "diagnose", diag.tail())
    finally:
        sim.cleanup()


def case_dry_run_and_backup():
    sim = board("dry", "firmware.step = 6400 debug_pins_gpio\n")
    try:
        first = openocd(sim, "init", "shutdown", files=[PART]).state
        run = openocd(sim, "unbrick -dry-run -timeout 10", files=[PART], timeout=600)
        check(run.rc == 0, "dry run failed", run.tail())
        check(run.state["flash_sha256"] == first["flash_sha256"], "dry run changed the flash")
        check(run.state["option_bytes"] == first["option_bytes"], "dry run changed option bytes")
        before = openocd(sim, "init", "shutdown", files=[PART]).state
        real = unbrick(sim)
        check(real.rc == 0, "unbrick failed", real.tail())
        for b in ("bank1", "bank2"):
            data = open(os.path.join(real.backup, b + ".bin"), "rb").read()
            check(hashlib.sha256(data).hexdigest() == first["flash_sha256"][b], "backup of %s not byte-exact" % b)
        # The core's ECC scan mapped the erased KiB (the 768-byte app: 1 KiB, 16 KiB of data in bank 2),
        # so the probe carried only those 17 KiB of the 2 MiB (524288 words) into the backup.
        check("ECC scan on the core: 0 unreadable flash word(s) in 2048 KiB, 17 KiB programmed" in real.output,
              "the scan did not map the programmed KiB", real.tail())
        words = real.state["counters"]["mem_ap_words"] - before["counters"]["mem_ap_words"]
        check(words < 17 * 256 + 2000, "the probe read %d words for a backup of 17 KiB" % words, real.state["counters"])
    finally:
        sim.cleanup()


def case_healthy():
    sim = board("healthy", "")
    try:
        first = openocd(sim, "init", "shutdown", files=[PART]).state
        run = unbrick(sim)
        check(run.rc == 0, "exit status %s" % run.rc, run.tail())
        check("nothing to do" in run.output, "does not say nothing was done", run.tail())
        check(run.state["flash_sha256"] == first["flash_sha256"], "flash changed")
        check(run.state["option_bytes"] == first["option_bytes"], "option bytes changed")
        # The core read the flash for ECC errors; nothing to write, so nothing was copied over the probe.
        check("ECC scan on the core: 0 unreadable" in run.output, "the core did not scan the flash", run.tail())
        check([s["name"] for s in run.report["steps"]] == ["scan the flash for unreadable words (ECC)"],
              "steps other than the scan", run.report["steps"])
        check(run.state["counters"]["mem_ap_words"] - first["counters"]["mem_ap_words"] < 20000,
              "the probe read the flash (2 MiB is 524288 words)", run.state["counters"])
        check(not os.path.exists(os.path.join(run.backup, "bank1.bin")), "flash saved with nothing to write")
    finally:
        sim.cleanup()


def case_ecc_words_found_by_the_core():
    sim = board("ecc", "flash.ecc_error = 0x08000400\nflash.ecc_error = 0x08100020\n")
    try:
        run = unbrick(sim)
        check(run.rc == 0, "exit status %s" % run.rc, run.tail())
        check("ECC scan on the core: 2 unreadable" in run.output, "the core's scan did not find both words",
              run.tail())
        names = [s["name"] for s in run.report["steps"]]
        check(names[:2] == ["scan the flash for unreadable words (ECC)", "save option bytes and readable flash"]
              and names[2:4] == ["erase bank 1", "erase bank 2"], "scan, backup, then erase: not in that order",
              names)
        listed = open(os.path.join(run.backup, "unreadable.txt")).read().split()
        check(listed == ["0x08000400", "0x08100020"], "unreadable.txt", listed)
        st = run.state
        check(all(st["flash"][b]["ecc_corrupt_words"] == 0 and st["flash"][b]["erased"] for b in ("bank1", "bank2")),
              "ECC errors left or banks not erased", st["flash"])
    finally:
        sim.cleanup()


def case_ecc_next_to_a_half_erased_word():
    """A bank with an ECC error has no erased map; the core's blank check then finds a flash word
    whose first 16 bytes are 0xFF, and the probe's word-by-word reading must start on that word:
    unreadable.txt names the corrupt word itself, and the backup holds the half word."""
    half = b"\xff" * 16 + bytes(range(1, 17))
    sim = Sim("part = stm32h743zi\nflash.load = 0x08010000 half.bin\nflash.ecc_error = 0x08010020\n", name="half")
    try:
        with open(os.path.join(sim.dir, "half.bin"), "wb") as f:
            f.write(half)
        sim.start()
        run = unbrick(sim)
        check(run.rc == 0, "exit status %s" % run.rc, run.tail())
        listed = open(os.path.join(run.backup, "unreadable.txt")).read().split()
        check(listed == ["0x08010020"], "unreadable.txt does not name the corrupt flash word", listed)
        saved = open(os.path.join(run.backup, "bank1.bin"), "rb").read()
        check(saved[0x10000:0x10020] == half, "the half-erased word is not in the backup", saved[0x10000:0x10020])
    finally:
        sim.cleanup()


def case_wrong_script():
    sim = board("wrong", "RDP = 0x55\n")
    try:
        run = unbrick(sim, part="recovery/h723.cfg")
        check(run.rc == EXIT["refused"], "exit status %s, want 2" % run.rc, run.tail())
        check(re.search(r"H723.*0x483.*0x450|0x483.*0x450", run.output, re.I | re.S), "error names both parts",
              run.tail())
        check(run.state["rdp"] == "0x55", "something was written")
    finally:
        sim.cleanup()


def case_gdb_monitor():
    # GDB needs OpenOCD's init to succeed, so the chip still answers: RDP 1.
    sim = board("gdb", "RDP = 0x55\n")
    try:
        dirs = " ".join("-s %s" % d for d in script_dirs())
        pipe = "%s %s -f interface/stm32sim.cfg -f %s -c 'gdb_port pipe' -c 'log_output %s/oocd.log'" % (
            OPENOCD, dirs, PART, sim.dir)
        argv = [GDB, "-nx", "-batch", "-ex", "set architecture arm", "-ex", "target extended-remote | " + pipe,
                "-ex", "monitor diagnose -timeout 10", "-ex", "monitor unbrick -timeout 10 -backup %s/b" % sim.dir,
                "-ex", "kill"]
        before = sim._state_id()
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600,
                              env=sim.env())
        st = sim.wait_state_after(before)
        log = open(os.path.join(sim.dir, "oocd.log")).read()
        check("verdict" in log, "monitor diagnose printed no verdict", log[-3000:])
        check(st["flash_sha256"]["bank1"] == ERASED, "monitor unbrick did not recover", proc.stdout[-2000:],
              log[-3000:])
    finally:
        sim.cleanup()


def main():
    tap = Tap()
    tap.case("ECC error beside a half-erased flash word: the probe reads from the word", case_ecc_next_to_a_half_erased_word)
    tap.case("RDP 1: back to level 0, flash erased, other option bytes kept", case_rdp1)
    tap.case("RDP 1 with a PCROP area and DMEP = 0: protections gone", case_rdp1_pcrop)
    tap.case("seed 000: ECC-corrupt words and RDP 0xBB", case_seed000)
    tap.case("firmware turns the debug pins into GPIOs: under reset", case_firmware_kills_debug,
             "debug_pins_gpio", "gpio")
    tap.case("firmware enters Stop at once: under reset", case_firmware_kills_debug, "enter_stop", "stop")
    tap.case("firmware enters Standby at once: under reset", case_firmware_kills_debug, "enter_standby", "standby")
    tap.case("seed 001 on an LDO part: power cycle under reset, supply named", case_supply_lockout)
    tap.case("RDP 2: permanent, nothing written, status 4", case_rdp2)
    tap.case("-dry-run writes nothing; backups are byte-exact", case_dry_run_and_backup)
    tap.case("a healthy chip: nothing changed", case_healthy)
    tap.case("ECC-corrupt words at level 0: the core finds them, backup, then erase", case_ecc_words_found_by_the_core)
    tap.case("the wrong script: both parts named, nothing written", case_wrong_script)
    tap.case("gdb-multiarch: monitor diagnose, monitor unbrick", case_gdb_monitor)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
