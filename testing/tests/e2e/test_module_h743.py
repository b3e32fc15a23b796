#!/usr/bin/env python3
"""Our Jim Tcl module, loaded into stock OpenOCD attached to the simulated
STM32H743, reads the chip through its one OpenOCD layer (src/target/)."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import Sim, Tap, check, openocd, random_image  # noqa: E402

# Our target file (tcl/target/, a superset of stock OpenOCD's): it creates the
# mem_ap targets the module uses (AP0, the Cortex-M7 AHB-AP, among them).
TARGET = "target/stm32h7x_dual_bank.cfg"
LOAD = ["source [find stm32unbrick/module.tcl]", "stm32unbrick_load", "stm32unbrick_attach_bridge stm32h7x"]


def sim_with_flash(name):
    sim = Sim("part = stm32h743zi\nrev = V\nflash.load = 0x08000000 head.bin\n", name=name)
    data = random_image(4096, seed=4096)
    with open(os.path.join(sim.dir, "head.bin"), "wb") as f:
        f.write(data)
    return sim.start(), data


def case_idcode_both_aps():
    sim, _ = sim_with_flash("idcode")
    try:
        run = openocd(sim, "init", *LOAD,
                      "echo \"AP0 [stm32unbrick mem read 0 0x5c001000]\"",
                      "echo \"AP2 [stm32unbrick mem read 2 0xe00e1000]\"", "shutdown",
                      files=[TARGET], pre=[])
        check(run.rc == 0, "openocd failed", run.tail())
        ap0 = re.search(r"^AP0 (0x[0-9a-f]{8})$", run.output, re.M)
        ap2 = re.search(r"^AP2 (0x[0-9a-f]{8})$", run.output, re.M)
        check(ap0 and ap2, "IDCODE not printed for both APs", run.tail())
        expected = (int(run.state["rev_id"], 16) << 16) | int(run.state["dev_id"], 16)
        check(int(ap0.group(1), 16) == expected, "AP0 IDCODE", ap0.group(1), hex(expected))
        check(int(ap2.group(1), 16) == expected, "AP2 IDCODE", ap2.group(1), hex(expected))
    finally:
        sim.cleanup()


def case_batched_4k_read():
    sim, data = sim_with_flash("dump")
    try:
        out = os.path.join(sim.dir, "dump.bin")
        run = openocd(sim, "init", *LOAD,
                      "set before [dict get [stm32unbrick stats] commands]",
                      "stm32unbrick mem dump 0 0x08000000 4096 %s" % out,
                      "echo \"commands [expr {[dict get [stm32unbrick stats] commands] - $before}]\"",
                      "shutdown", files=[TARGET])
        check(run.rc == 0, "openocd failed", run.tail())
        with open(out, "rb") as f:
            got = f.read()
        check(got == data, "4 KiB read differs from the flash content (%d bytes read)" % len(got))
        m = re.search(r"^commands (\d+)$", run.output, re.M)
        check(m is not None, "stats not printed", run.tail())
        # One read_memory, plus `<dap> memaccess` asked and set to 0 before it and asked and put back
        # after it (ocd_bulk_begin/end): those four change an OpenOCD setting and send nothing on the link.
        check(int(m.group(1)) <= 5, "4 KiB read took %s OpenOCD commands, not one batch" % m.group(1))
    finally:
        sim.cleanup()


def case_error_names_ap_and_address():
    sim, _ = sim_with_flash("fault")
    try:
        # 0x60000000 is unmapped on the AXI bus: the MEM-AP access faults.
        run = openocd(sim, "init", *LOAD,
                      "if {[catch {stm32unbrick mem read 0 0x60000000} msg]} {echo \"ERR $msg\"}",
                      "shutdown", files=[TARGET])
        check(run.rc == 0, "openocd failed", run.tail())
        m = re.search(r"^ERR (.*)$", run.output, re.M)
        check(m is not None, "a faulting read did not fail", run.tail())
        msg = m.group(1).lower()
        check("ap0" in msg.replace(" ", "") and "0x60000000" in msg, "error lacks AP/address", m.group(1))
    finally:
        sim.cleanup()


def case_under_srst():
    """NRST held: DBGMCU answers through AP2, the AXI bus through AP0 faults
    (facts A.1: why stock OpenOCD cannot connect under reset through AP0)."""
    sim, _ = sim_with_flash("srst")
    try:
        # Target files declare no SRST line; a board with NRST wired does.
        run = openocd(sim, "reset_config srst_only srst_nogate", "init", *LOAD, "stm32unbrick srst assert",
                      "echo \"AP2 [stm32unbrick mem read 2 0xe00e1000]\"",
                      "if {[catch {stm32unbrick mem read 0 0x5c001000} msg]} {echo \"AP0-FAULT $msg\"}",
                      "stm32unbrick srst deassert",
                      "echo \"AP0-AFTER [stm32unbrick mem read 0 0x5c001000]\"", "shutdown", files=[TARGET])
        check(run.rc == 0, "openocd failed", run.tail())
        check(re.search(r"^AP2 0x20030450$", run.output, re.M), "AP2 under SRST", run.tail())
        check(re.search(r"^AP0-FAULT .*0x5c001000", run.output, re.M), "AP0 did not fault under SRST", run.tail())
        check(re.search(r"^AP0-AFTER 0x20030450$", run.output, re.M), "AP0 after release", run.tail())
    finally:
        sim.cleanup()


def main():
    tap = Tap()
    tap.case("module reads DBGMCU_IDCODE through AP0 and AP2", case_idcode_both_aps)
    tap.case("module reads 4 KiB of flash in one batched OpenOCD command", case_batched_4k_read)
    tap.case("a bus fault comes back naming the AP and the address", case_error_names_ap_and_address)
    tap.case("under SRST: AP2 answers, AP0's system bus faults", case_under_srst)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
