#!/usr/bin/env python3
"""unbrick and diagnose on the other H7 lines and on dual-core parts: field
reports 001 (supply mismatch both ways, BCM7 = 0), 002 (H747), 003 (rev V
bootloader and bank 2), a secure area on an H723, and a script meant for
another part.  Assertions are on the simulator's state JSON."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import Sim, Tap, check, openocd, random_image, sha256  # noqa: E402

ERASED_1M = sha256(b"\xff" * 1024 * 1024)
# A simulated operator acts on simulated time ("NRST held for 500 ms"): run
# those scenarios in real time, as a person's hands would, so that the tool's
# waits and the operator's actions interleave as on a bench.
OPERATOR_TIME_SCALE = 1.0


def unbrick(sim, part, *flags):
    cmd = "unbrick -timeout 10 -backup %s/backup -report %s/report.json %s" % (sim.dir, sim.dir, " ".join(flags))
    return openocd(sim, cmd, files=[part], timeout=900)


def erased(state, bank):
    return state["flash"][bank]["erased"]


def scenario_with(name, extra):
    """A curated scenario plus extra lines; its images/ paths made absolute."""
    base = os.path.join(os.environ.get("top_srcdir", "."), "testing", "scenarios")
    text = open(os.path.join(base, name)).read().replace("images/", os.path.join(base, "images") + "/")
    return text + extra


def case_smps_board_firmware_ldo():
    # The simulated operator acts once per line: the file's line serves
    # diagnose; a second one, which only a longer hold of NRST reaches (so it
    # cannot fire during diagnose's hold), serves unbrick, as a person asked
    # twice would.
    sim = Sim(scenario_with("seed001-h745-smps-fw-ldo.scn",
                            "operator.step = srst_held 2s -> power_cycle 300ms\n"), name="h745",
              time_scale=OPERATOR_TIME_SCALE).start()
    try:
        diag = openocd(sim, "diagnose -timeout 10", "shutdown", files=["recovery/h745.cfg"])
        check("supply configuration mismatch" in diag.output and "HAL_PWREx_ConfigSupply" in diag.output,
              "diagnose does not name the supply mismatch", diag.tail())
        run = unbrick(sim, "recovery/h745.cfg")
        st = run.state
        check(run.rc == 0, "exit status %s" % run.rc, run.tail())
        check(st["counters"]["power_cycles"] >= 1, "no power cycle", st["counters"])
        check(st["counters"]["fw_instructions_before_halt"] == 0, "firmware ran before the halt", st["counters"])
        check(erased(st, "bank1") and erased(st, "bank2"), "firmware not erased", st["flash"])
        check(st["debug_port"] == "alive", "debug port", st["debug_port"])
    finally:
        sim.cleanup()


def case_ldo_board_firmware_smps():
    sim = Sim(scenario_file="seed001-h735-ldo-fw-smps.scn", name="h735", time_scale=OPERATOR_TIME_SCALE).start()
    try:
        run = unbrick(sim, "recovery/h735.cfg")
        st = run.state
        check(run.rc == 0, "exit status %s" % run.rc, run.tail())
        check(st["counters"]["power_cycles"] >= 1 and st["counters"]["fw_instructions_before_halt"] == 0,
              "not recovered through a power cycle under reset", st["counters"])
        check(erased(st, "bank1"), "firmware not erased", st["flash"])
        check("supply configuration mismatch" in run.output, "supply mismatch not named", run.tail())
    finally:
        sim.cleanup()


def case_bcm7_off():
    sim = Sim(scenario_file="seed001-h755-bcm7-off.scn", name="h755").start()
    try:
        before = openocd(sim, "catch init", "shutdown", files=["recovery/h755.cfg"]).state
        run = unbrick(sim, "recovery/h755.cfg")
        st = run.state
        check(run.rc == 0, "exit status %s" % run.rc, run.tail())
        check("ap-fallback" in run.output, "did not go through AP3", run.tail())
        check(st["option_fields"]["BCM7"] == 1, "BCM7 still 0", st["option_fields"])
        check(st["flash_sha256"] == before["flash_sha256"], "flash changed although only BCM7 was wrong")
        check(st["core"] != "clock-gated", "Cortex-M7 still gated", st["core"])
    finally:
        sim.cleanup()


def case_h747_firmware_kills_debug():
    sim = Sim("part = stm32h747xi\nflash.load = 0x08000000 app.bin\nfirmware.step = 3000 debug_pins_gpio\n",
              name="h747")
    app = os.path.join(os.environ.get("top_srcdir", "."), "testing", "scenarios", "images", "app-loop.bin")
    with open(app, "rb") as src, open(os.path.join(sim.dir, "app.bin"), "wb") as dst:
        dst.write(src.read())
    sim.start()
    try:
        run = unbrick(sim, "recovery/h747.cfg")
        st = run.state
        check(run.rc == 0, "exit status %s" % run.rc, run.tail())
        check(st["counters"]["fw_instructions_before_halt"] == 0, "firmware ran", st["counters"])
        check(erased(st, "bank1"), "firmware not erased", st["flash"])
    finally:
        sim.cleanup()


def case_h723_secure_area():
    sim = Sim(scenario_file="h723-rdp1-secure-area.scn", name="h723").start()
    try:
        run = unbrick(sim, "recovery/h723.cfg")
        st = run.state
        check(run.rc == 0, "exit status %s" % run.rc, run.tail())
        f = st["option_fields"]
        check(st["rdp"] == "0xaa", "RDP", st["rdp"])
        check(f["SEC_AREA_START1"] > f["SEC_AREA_END1"], "secure area still defined", f)
        check(erased(st, "bank1"), "secure area content survived", st["flash"])
    finally:
        sim.cleanup()


def case_seed003_bootloader_and_bank2():
    sim = Sim(scenario_file="seed003-h743-revV.scn", name="seed003").start()
    try:
        image = random_image(64 * 1024, seed=3)
        path = os.path.join(sim.dir, "bank2.bin")
        with open(path, "wb") as f:
            f.write(image)
        run = openocd(sim, "diagnose -timeout 10", "stm32unbrick h7 erase 2",
                      "stm32unbrick h7 program %s 0x08100000" % path, "stm32unbrick h7 verify %s 0x08100000" % path,
                      "shutdown", files=["recovery/h743.cfg"], timeout=600)
        check(run.rc == 0, "openocd failed", run.tail())
        check(re.search(r"bootloader version 9\.0", run.output), "bootloader version not reported", run.tail())
        check("DFU" in run.output and "bank 2" in run.output, "no warning about DFU writes to bank 2", run.tail())
        bank2 = image + b"\xff" * (1024 * 1024 - len(image))
        check(run.state["flash_sha256"]["bank2"] == sha256(bank2), "bank 2 does not hold the image")
    finally:
        sim.cleanup()


def case_h743_script_on_h723():
    sim = Sim(scenario_file="h723-rdp1-secure-area.scn", name="wrong").start()
    try:
        run = unbrick(sim, "recovery/h743.cfg")
        check(run.rc == 2, "exit status %s, want 2" % run.rc, run.tail())
        check(re.search(r"STM32H743.*0x450.*0x483", run.output, re.S), "error does not name both parts", run.tail())
        check(run.state["rdp"] == "0x55" and not erased(run.state, "bank1"), "something was written")
    finally:
        sim.cleanup()


def main():
    tap = Tap()
    tap.case("seed 001: SMPS-wired H745, firmware selects LDO: power cycle under reset", case_smps_board_firmware_ldo)
    tap.case("seed 001: LDO-wired H735, firmware selects SMPS: power cycle under reset", case_ldo_board_firmware_smps)
    tap.case("seed 001: H755 with BCM7 = 0: through AP3, BCM7 = 1 afterwards", case_bcm7_off)
    tap.case("seed 002: H747 whose firmware kills debug", case_h747_firmware_kills_debug)
    tap.case("H723 RDP 1 with a secure area and DMES = 0: protections gone", case_h723_secure_area)
    tap.case("seed 003: bootloader version, DFU warning, bank 2 through the debug port", case_seed003_bootloader_and_bank2)
    tap.case("recovery/h743.cfg on an H723: both parts named, nothing written", case_h743_script_on_h723)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
