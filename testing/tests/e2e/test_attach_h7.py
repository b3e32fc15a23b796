#!/usr/bin/env python3
"""`stm32unbrick attach STRATEGY` in stock OpenOCD against the simulated
STM32H743: a healthy chip, firmware that turns the debug pins into GPIOs, a
supply lockout that only a power cycle with NRST held clears, the BOOT0 route,
and a hot-plug that must leave the core running.  Every case asserts on the
simulator's state JSON, not only on what the module printed."""

import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import TOP_SRCDIR, Sim, Tap, check, openocd  # noqa: E402

# Our target file (tcl/target/, a superset of stock OpenOCD's): it creates the mem_ap targets
# the module uses (AP0, the Cortex-M7 AHB-AP, among them).  Like the stock one it declares no
# NRST line; a board with NRST wired to the probe says srst_only srst_nogate.
TARGET = "target/stm32h7x_dual_bank.cfg"
SCENARIOS = os.path.join(TOP_SRCDIR, "testing", "scenarios")
SETUP = ["reset_config srst_only srst_nogate"]
LOAD = ["source [find stm32unbrick/module.tcl]", "stm32unbrick_load", "stm32unbrick_attach_bridge stm32h7x"]
# With the debug port dead, `init` fails at `dap init` (OpenOCD 0.12) but leaves OpenOCD in
# exec mode with its DAP and mem_ap targets declared: the attach strategies take it from there.
INIT_DEAD_PORT = "catch init"

S_HALT = 1 << 17
VC_CORERESET = 1 << 0
H7_DBGMCU_KEEP = 0x00600007


def scenario(name):
    """A scenario file of this tree, its image paths made absolute (the harness copies the text)."""
    with open(os.path.join(SCENARIOS, name)) as f:
        text = f.read()
    return re.sub(r"(?m)^(flash\.load\s*=\s*\S+\s+)images/",
                  lambda m: m.group(1) + os.path.join(SCENARIOS, "images") + "/", text)


HEALTHY = ("part = stm32h743zi\nboard.supply = ldo\nflash.load = 0x08000000 %s\n"
           % os.path.join(SCENARIOS, "images", "app-loop.bin"))


def attach_cmd(tag, args):
    """Echo the result dict of `stm32unbrick attach ARGS` as 'TAG dict', or 'TAG-FAILED message'."""
    return ('if {[catch {stm32unbrick attach %s} r]} {echo "%s-FAILED $r"} else {echo "%s $r"}'
            % (args, tag, tag))


def result(run, tag):
    m = re.search(r"^%s (strategy .*)$" % re.escape(tag), run.output, re.M)
    if m is None:
        failed = re.search(r"^%s-FAILED (.*)$" % re.escape(tag), run.output, re.M)
        check(False, "attach %s did not succeed: %s" % (tag, failed.group(1) if failed else "no result"),
              run.tail())
    words = m.group(1).split()
    return dict(zip(words[0::2], words[1::2]))


def failure(run, tag):
    m = re.search(r"^%s-FAILED (.*)$" % re.escape(tag), run.output, re.M)
    check(m is not None, "attach %s should have failed" % tag, run.tail())
    return m.group(1)


def hexval(s):
    return int(s, 16)


def expected_idcode(state):
    return (hexval(state["rev_id"]) << 16) | hexval(state["dev_id"])


def check_halted_as_reported(run, res, state):
    """The simulator agrees with the module: halted, at the PC it reported."""
    cm = state["cortex_m"]
    check(state["core"] == "halted" and cm["state"] == "halted", "core not halted", state["core"], run.tail())
    check(hexval(cm["dhcsr"]) & S_HALT, "DHCSR.S_HALT clear in the simulator", cm["dhcsr"])
    check(res["halted"] == "1", "module reports halted %s" % res["halted"])
    check(hexval(res["pc"]) == hexval(cm["pc"]), "PC: module %s, simulator %s" % (res["pc"], cm["pc"]))
    check(hexval(res["idcode"]) == expected_idcode(state), "IDCODE %s" % res["idcode"])
    check(not state["srst_asserted"], "NRST left asserted")


def case_normal_healthy():
    with Sim(HEALTHY, name="attach-normal") as sim:
        run = openocd(sim, *SETUP, "init", *LOAD, attach_cmd("NORMAL", "normal"), 'echo "POLL [poll]"', "shutdown",
                      files=[TARGET])
        check(run.rc == 0, "openocd failed", run.tail())
        res = result(run, "NORMAL")
        # The attach turned OpenOCD's own background polling off (and leaves it off).
        check(re.search(r"^POLL background polling: off", run.output, re.M), "polling not off", run.tail())
        check_halted_as_reported(run, res, run.state)
        check(res["pc"] == "0x08000298", "PC %s is not the image's reset handler" % res["pc"])
        check(run.state["counters"]["system_resets"] == 0, "normal attach reset the chip")
        check(run.state["firmware"] != "system-bootloader" and res["in_bootloader"] == "0", "bootloader?")


def case_kills_debug_needs_under_reset():
    with Sim(scenario("h743-firmware-kills-debug.scn"), name="attach-gpio") as sim:
        run = openocd(sim, *SETUP, INIT_DEAD_PORT, *LOAD, attach_cmd("NORMAL", "normal"),
                      attach_cmd("UR", "under-reset"), "shutdown", files=[TARGET])
        check(run.rc == 0, "openocd failed", run.tail())
        msg = failure(run, "NORMAL")
        for needle in ("attach normal: DebugPortStart", "CTRL/STAT (DP 0x04)", "does not answer", "under-reset"):
            check(needle in msg, "normal attach failure lacks '%s'" % needle, msg)
        res = result(run, "UR")
        st = run.state
        check_halted_as_reported(run, res, st)
        check(st["counters"]["fw_instructions_before_halt"] == 0,
              "the firmware ran %d instructions before the halt" % st["counters"]["fw_instructions_before_halt"])
        check(st["debug_port"] == "alive", "debug port %s (%s)" % (st["debug_port"], st["debug_port_why"]))
        check(hexval(st["dbgmcu"]["cr"]) & H7_DBGMCU_KEEP == H7_DBGMCU_KEEP, "DBGMCU_CR %s" % st["dbgmcu"]["cr"])
        check(not hexval(st["cortex_m"]["demcr"]) & VC_CORERESET, "VC_CORERESET left set")
        check(st["counters"]["system_resets"] >= 1, "no NRST pulse seen by the chip")


def case_supply_lockout_needs_power_cycle():
    # Real time: the operator holds NRST for 1 s, then the board is off for 300 ms.
    with Sim(scenario("h743-supply-lockout.scn"), time_scale=1.0, name="attach-lockout") as sim:
        run = openocd(sim, *SETUP, INIT_DEAD_PORT, *LOAD, attach_cmd("UR", "under-reset"), "shutdown",
                      files=[TARGET])
        check(run.rc == 0, "openocd failed", run.tail())
        msg = failure(run, "UR")
        for needle in ("attach under-reset: DebugPortReconnect", "NRST does not help", "power-cycle"):
            check(needle in msg, "under-reset failure lacks '%s'" % needle, msg)
        st = run.state
        check(st["core"] == "locked-out" and st["debug_port_why"] == "supply-lockout",
              "under-reset changed the lockout?", st["core"], st["debug_port_why"])
        check(st["counters"]["power_cycles"] == 0 and not st["srst_asserted"], "NRST left held or power cycled")

        t0 = time.monotonic()
        run = openocd(sim, *SETUP, INIT_DEAD_PORT, *LOAD, attach_cmd("PC", "power-cycle -timeout 20"), "shutdown",
                      files=[TARGET])
        took = time.monotonic() - t0
        check(run.rc == 0, "openocd failed", run.tail())
        check(re.search(r"^ACTION REQUIRED: the probe holds NRST low\. Switch the board's power OFF", run.output,
                        re.M), "no ACTION REQUIRED line", run.tail())
        res = result(run, "PC")
        st = run.state
        check_halted_as_reported(run, res, st)
        check(res["power_cycled"] == "1", "module did not see the power cycle")
        check(st["counters"]["power_cycles"] >= 1, "the simulator saw no power cycle")
        check(st["counters"]["fw_instructions_before_halt"] == 0,
              "the firmware ran %d instructions before the halt" % st["counters"]["fw_instructions_before_halt"])
        check(not st["pwr"]["supply_fault"] and not st["pwr"]["supply_locked"], "PWR_CR3 written again", st["pwr"])
        print("# power-cycle attach: %.1f s wall (operator acts after 1 s of NRST, 300 ms off)" % took)


def case_boot0_reaches_the_bootloader():
    # Real time: 2 s after start the operator sets BOOT0 high and power-cycles for 300 ms.
    with Sim(scenario("h743-boot0-recovery.scn"), time_scale=1.0, name="attach-boot0") as sim:
        run = openocd(sim, *SETUP, INIT_DEAD_PORT, *LOAD, attach_cmd("B0", "boot0 -timeout 20"), "shutdown",
                      files=[TARGET])
        check(run.rc == 0, "openocd failed", run.tail())
        check(re.search(r"^ACTION REQUIRED: set BOOT0 high", run.output, re.M), "no ACTION REQUIRED line")
        res = result(run, "B0")
        st = run.state
        check_halted_as_reported(run, res, st)
        check(res["in_bootloader"] == "1" and res["power_cycled"] == "1", "in_bootloader/power_cycled", res)
        check(st["firmware"] == "system-bootloader" and st["boot0"] == 1, "firmware %s, BOOT0 %s"
              % (st["firmware"], st["boot0"]))
        check(0x1FF00000 <= hexval(st["cortex_m"]["pc"]) <= 0x1FF1FFFF, "PC %s" % st["cortex_m"]["pc"])
        check(st["counters"]["power_cycles"] == 1, "power cycles %d" % st["counters"]["power_cycles"])


def case_hot_plug_leaves_the_core_running():
    with Sim(HEALTHY, name="attach-hotplug") as sim:
        run = openocd(sim, *SETUP, "init", *LOAD, attach_cmd("HP", "hot-plug"), "shutdown", files=[TARGET])
        check(run.rc == 0, "openocd failed", run.tail())
        res = result(run, "HP")
        st = run.state
        check(res["halted"] == "0" and res["strategy"] == "hot-plug", "hot-plug result", res)
        check(st["core"] == "running" and st["cortex_m"]["state"] == "running", "core %s" % st["core"])
        check(not hexval(st["cortex_m"]["dhcsr"]) & S_HALT, "DHCSR %s" % st["cortex_m"]["dhcsr"])
        check(hexval(res["idcode"]) == expected_idcode(st), "IDCODE %s" % res["idcode"])
        check(st["counters"]["system_resets"] == 0 and not st["srst_asserted"], "hot-plug touched NRST")


def case_ap_fallback_on_single_core():
    with Sim(HEALTHY, name="attach-ap3") as sim:
        run = openocd(sim, *SETUP, "init", *LOAD, attach_cmd("AP3", "ap-fallback"), "shutdown", files=[TARGET])
        check(run.rc == 0, "openocd failed", run.tail())
        msg = failure(run, "AP3")
        check("attach ap-fallback: CoreApCheck: AP3 IDR" in msg and "no access port 3" in msg, "message", msg)
        check(run.state["core"] == "running", "core %s" % run.state["core"])


def main():
    tap = Tap()
    tap.case("normal attach halts a healthy chip where the simulator says it is", case_normal_healthy)
    tap.case("debug pins turned into GPIOs: normal fails clearly, under-reset halts before the first instruction",
             case_kills_debug_needs_under_reset)
    tap.case("supply lockout: under-reset fails clearly, power-cycle with NRST held recovers",
             case_supply_lockout_needs_power_cycle)
    tap.case("BOOT0 high through a power cycle: attached to the system bootloader", case_boot0_reaches_the_bootloader)
    tap.case("hot-plug reads the chip and leaves the core running", case_hot_plug_leaves_the_core_running)
    tap.case("ap-fallback on a single-core part says there is no AP3", case_ap_fallback_on_single_core)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
