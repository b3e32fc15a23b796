#!/usr/bin/env python3
"""Our target scripts (tcl/target/stm32h7x*.cfg, tcl/recovery/*.cfg) in stock
OpenOCD: stock board files still program the simulated chip through them,
connect-under-reset works, recovery scripts pick a DAP-capable ST-LINK mode,
HLA adapters get told what they cannot do, and the module finds its mem_ap
targets."""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import (OPENOCD, STM32SIM, TOP_SRCDIR, Sim, Tap, TestFailure, check,  # noqa: E402
                        openocd, random_image, script_dirs, sha256)

# Test-only search directory: interface/stlink*.cfg that lead to the simulator.
SIM_SHIM_DIR = os.path.join(TOP_SRCDIR, "testing", "openocd-sim")
SCENARIOS = os.path.join(TOP_SRCDIR, "testing", "scenarios")
BANK_SIZE = 1024 * 1024
NO_SERVERS = ["-c", "gdb_port disabled", "-c", "tcl_port disabled", "-c", "telnet_port disabled"]
H743 = "part = stm32h743zi\nrev = V\nboard.supply = ldo\n"


def bank_sha(image):
    """SHA-256 of a whole 1 MiB bank holding `image` at its start, erased (0xFF) after it."""
    return sha256(image + b"\xff" * (BANK_SIZE - len(image)))


def program_with_board(sim, board, image_size, seed):
    """Stock board file + our target file + the shim: program, verify, check the chip's bank 1."""
    image = random_image(image_size, seed)
    path = os.path.join(sim.dir, "image.bin")
    with open(path, "wb") as f:
        f.write(image)
    # The simulated core runs no flash loader: no work area, word-by-word programming.
    run = openocd(sim, "program %s 0x08000000 verify" % path, "shutdown",
                  files=["board/" + board], pre=["set WORKAREASIZE 0"],
                  extra_dirs=[SIM_SHIM_DIR], timeout=600)
    check(run.rc == 0, "program/verify through %s failed" % board, run.tail())
    check("** Verified OK **" in run.output, "verify did not pass", run.tail())
    check("ignoring 'transport select" in run.output, "the board's transport select was not neutralised",
          run.tail())
    check(run.state["flash_sha256"]["bank1"] == bank_sha(image), "bank 1 does not hold the image",
          run.state["flash_sha256"])
    # reset-init leaves remote_bitbang's fixed clock alone instead of failing to change it.
    check("Translation from khz" not in run.output, "reset-init asked a fixed-clock adapter for 4 MHz",
          run.tail())
    return run


def case_nucleo_h743zi():
    with Sim(H743, name="nucleo743") as sim:
        run = program_with_board(sim, "st_nucleo_h743zi.cfg", 40 * 1024, seed=743)
        # Our examine-end handler went through AP2: D1DBGCKEN|D3DBGCKEN|TRACECLKEN and the D1 bits.
        cr = int(run.state["dbgmcu"]["cr"], 16)
        check(cr & 0x00700007 == 0x00700007, "DBGMCU_CR not set up", run.state["dbgmcu"])


def dual_core_refusal():
    """None when stm32sim models an STM32H745, else its "not modelled yet" message."""
    sim = Sim("part = stm32h745zi\n", name="probe745")
    try:
        sim.start()
    except TestFailure as e:
        text = str(e) + "\n" + sim.log_tail(5)
        if "not modelled yet" not in text:
            raise
        m = re.search(r"not modelled yet: ([^\n]*)", text)
        return (m.group(1) if m else "refused")[:160]
    finally:
        sim.cleanup()
    return None


def case_nucleo_h745zi():
    with Sim("part = stm32h745zi\nrev = V\n", name="nucleo745") as sim:
        run = program_with_board(sim, "st_nucleo_h745zi.cfg", 40 * 1024, seed=745)
        check(re.search(r"stm32h7x\.cpu1", run.output), "the Cortex-M4 target was not created", run.tail())


def kills_debug_scenario():
    """h743-firmware-kills-debug.scn with its image path made absolute (Sim writes it elsewhere)."""
    with open(os.path.join(SCENARIOS, "h743-firmware-kills-debug.scn")) as f:
        text = f.read()
    return re.sub(r"(?m)^(flash\.load\s*=\s*\S+\s+)(images/)", r"\g<1>%s/\g<2>" % SCENARIOS, text)


def case_connect_under_reset():
    with Sim(kills_debug_scenario(), name="cur") as sim:
        # Control: a plain connect finds the debug pins turned into GPIOs by the firmware.
        plain = openocd(sim, "init", "echo \"STATE [stm32h7x.cpu0 curstate]\"", "shutdown",
                        files=["target/stm32h7x.cfg"])
        check(plain.state["debug_port"] == "dead", "scenario did not kill the debug port", plain.state)
        check(not re.search(r"^STATE halted$", plain.output, re.M), "plain connect halted the core", plain.tail())

        run = openocd(sim, "reset_config srst_only srst_nogate connect_assert_srst", "init", "reset halt",
                      "echo \"STATE [stm32h7x.cpu0 curstate]\"", "shutdown", files=["target/stm32h7x.cfg"])
        check(run.rc == 0, "connect under reset failed", run.tail())
        check(re.search(r"^STATE halted$", run.output, re.M), "core not halted", run.tail())
        st = run.state
        check(st["core"] == "halted", "simulator says the core is %s" % st["core"])
        check(st["counters"]["fw_instructions_before_halt"] == 0,
              "firmware ran %d instructions before the halt" % st["counters"]["fw_instructions_before_halt"])
        check(int(st["dbgmcu"]["cr"], 16) & 0x00600000 == 0x00600000,
              "DBGMCU_CR debug clocks not enabled through AP2 under reset", st["dbgmcu"])


def openocd_no_sim(*args, timeout=60):
    """Stock OpenOCD with our scripts and no simulator (configuration stage only)."""
    argv = [OPENOCD]
    for d in script_dirs():
        argv += ["-s", d]
    argv += NO_SERVERS + list(args)
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
    return proc, "$ %s\n(exit %s)\n%s" % (" ".join(argv), proc.returncode, proc.stdout[-3000:])


REPORT = "echo \"ADAPTER [adapter name] TRANSPORT [transport select] PART $::stm32unbrick_part\
 DEV_ID $::stm32unbrick_dev_id CHIP $::stm32unbrick_chipname MEMAPS [dict keys $::stm32unbrick_memaps]\""


def case_recovery_picks_stlink_dap():
    # No probe needed: the configuration stage selects the adapter, `shutdown` ends before init.
    proc, tail = openocd_no_sim("-f", "recovery/h743.cfg", "-c", REPORT, "-c", "shutdown")
    check(re.search(r"^ADAPTER st-link TRANSPORT dapdirect_swd PART stm32h743 DEV_ID 0x450 CHIP stm32h7x"
                    r" MEMAPS 2 0 1 3$", proc.stdout, re.M), "stlink-dap / dapdirect_swd not selected", tail)
    # An adapter chosen before the recovery script is kept.
    proc, tail = openocd_no_sim("-f", "interface/stm32sim.cfg", "-f", "recovery/h745.cfg", "-c", REPORT,
                                "-c", "echo \"TARGETS [target names]\"", "-c", "shutdown")
    check(re.search(r"^ADAPTER remote_bitbang TRANSPORT jtag PART stm32h745 DEV_ID 0x450", proc.stdout, re.M),
          "a chosen adapter was replaced", tail)
    check(re.search(r"^TARGETS .*stm32h7x\.cpu1", proc.stdout, re.M), "h745 without its Cortex-M4 target", tail)


def case_hla_line():
    proc, tail = openocd_no_sim("-f", "interface/stlink.cfg", "-c", "transport select hla_swd",
                                "-f", "target/stm32h7x.cfg", "-c", "echo \"TARGETS [target names]\"",
                                "-c", "shutdown")
    lines = [line for line in proc.stdout.splitlines() if line.startswith("stm32h7x: HLA adapter:")]
    check(len(lines) == 1, "expected one HLA line", tail)
    check("interface/stlink-dap.cfg" in lines[0] and "unbrick" in lines[0], "HLA line does not say what to do",
          lines[0])
    check(re.search(r"^TARGETS stm32h7x\.cpu0$", proc.stdout, re.M), "access-port targets created under HLA", tail)


def case_module_through_memaps():
    with Sim(H743, name="memaps") as sim:
        run = openocd(sim, "init", "source [find stm32unbrick/module.tcl]", "stm32unbrick_load",
                      "echo \"BRIDGE [stm32unbrick_attach_bridge $::stm32unbrick_chipname]\"",
                      "echo \"AP0 [stm32unbrick mem read 0 0x5c001000]\"",
                      "echo \"AP2 [stm32unbrick mem read 2 0xe00e1000]\"",
                      "stm32h7x_memap 1",
                      "echo \"AP1 [stm32unbrick mem read 1 0x5802480c]\"", "shutdown",
                      files=["target/stm32h7x_dual_bank.cfg"])
        check(run.rc == 0, "openocd failed", run.tail())
        check(re.search(r"^BRIDGE dap stm32h7x\.dap memap \{0 stm32h7x\.ap0 1 stm32h7x\.ap1 2 stm32h7x\.ap2"
                        r" 3 stm32h7x\.ap3\}$", run.output, re.M), "bridge not attached to our mem_aps", run.tail())
        idcode = "0x%08x" % ((int(run.state["rev_id"], 16) << 16) | int(run.state["dev_id"], 16))
        check(re.search(r"^AP0 %s$" % idcode, run.output, re.M), "IDCODE through AP0", run.tail())
        check(re.search(r"^AP2 %s$" % idcode, run.output, re.M), "IDCODE through AP2", run.tail())
        cr3 = "0x%08x" % int(run.state["pwr"]["cr3"], 16)
        check(re.search(r"^AP1 %s$" % cr3, run.output, re.M), "PWR_CR3 through AP1 (D3 domain)", cr3, run.tail())

DELAYS = "echo \"DELAYS $when [adapter srst delay] [jtag_ntrst_delay]\""


def delays_line(output, when):
    m = re.search(r"^DELAYS %s adapter srst delay: (\d+)\s+jtag_ntrst_delay: (\d+)$" % when, output, re.M)
    return (int(m.group(1)), int(m.group(2))) if m else None


def case_init_skips_reset_delays():
    # OpenOCD's init releases both reset lines once and waits both delays; the recovery config
    # zeroes them for init only.  jtag_init (the Tcl proc init calls right after that release)
    # shows what init waited; after init they must be the target file's again.
    show_during = "proc jtag_init {} {set when during; %s; jtag arp_init}" % DELAYS
    with Sim(H743, name="delays") as sim:
        run = openocd(sim, show_during, "init", "set when after", DELAYS, "shutdown", files=["recovery/h743.cfg"])
        check(run.rc == 0, "openocd failed", run.tail())
        check(delays_line(run.output, "during") == (0, 0), "init waited a reset delay", run.tail())
        check(delays_line(run.output, "after") == (100, 100), "target file's delays not back after init",
              run.tail())
        # A delay the user sets after the recovery config is theirs, at init and after it.
        run = openocd(sim, "adapter srst delay 300", show_during, "init", "set when after", DELAYS, "shutdown",
                      files=["recovery/h743.cfg"])
        check(run.rc == 0, "openocd failed", run.tail())
        check(delays_line(run.output, "during") == (300, 0), "user's srst delay not used at init", run.tail())
        check(delays_line(run.output, "after") == (300, 100), "user's srst delay replaced after init", run.tail())
    with Sim("part = stm32h563zi\n", name="delays5") as sim:
        run = openocd(sim, show_during, "init", "set when after", DELAYS, "shutdown", files=["recovery/h563.cfg"])
        check(run.rc == 0, "openocd failed", run.tail())
        check(delays_line(run.output, "during") == (0, 0), "H5: init waited a reset delay", run.tail())
        check(delays_line(run.output, "after") == (100, 100), "H5: target file's delays not back", run.tail())


def main():
    tap = Tap()
    if not os.access(STM32SIM, os.X_OK):
        tap.bail("simulator not built: %s" % STM32SIM)
    tap.case("stock board/st_nucleo_h743zi.cfg programs and verifies through our target file", case_nucleo_h743zi)
    name = "stock board/st_nucleo_h745zi.cfg programs and verifies through our target file (dual core)"
    try:
        refusal = dual_core_refusal()
    except TestFailure:
        refusal = None  # not a refusal: the case runs and reports what went wrong
    if refusal is None:
        tap.case(name, case_nucleo_h745zi)
    else:
        tap.skip(name, "waiting for the simulator to model dual-core parts: " + refusal)
    tap.case("connect_assert_srst halts firmware that kills debug before its first instruction",
             case_connect_under_reset)
    tap.case("recovery/h743.cfg without an adapter selects stlink-dap with dapdirect_swd",
             case_recovery_picks_stlink_dap)
    tap.case("HLA adapter: one line says what recovery cannot do, no AP targets", case_hla_line)
    tap.case("module attaches through our mem_ap targets (AP0, AP1 on demand, AP2)", case_module_through_memaps)
    tap.case("recovery config: init waits no reset delay, later resets keep the target file's",
             case_init_skips_reset_delays)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
