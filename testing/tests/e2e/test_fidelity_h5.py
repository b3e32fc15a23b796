#!/usr/bin/env python3
"""Stock OpenOCD 0.12 against the simulated STM32H5.

OpenOCD 0.12 has no STM32H5 target file, but its generic pieces (JTAG-DP,
MEM-AP, cortex_m, mem_ap targets) must work on the simulated chip as they do
on silicon.  The configuration is written here, inline: the two TAPs of the
JTAG chain (JTAG-DP 0x0BA04477, boundary scan IR 5), the DAP, the
Cortex-M33 on AP1 and a mem_ap target on AP0 (the debug APB with DBGMCU).
Cases: identification (dap info), halt/reg/reset halt, SRAM access and
load_image/verify_image in Open, DBGMCU at both debugger addresses through
AP0, a Closed chip (AP1 refused, AP0 answers, DA entry under NRST) and a
non-secure-only chip (secure CSW refused, HNONSEC works).  Each case runs the
real `openocd` and then checks the simulator's state JSON."""

import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import Sim, Tap, check, openocd  # noqa: E402

CONFIG = """\
jtag newtap stm32h5 cpu -irlen 4 -expected-id 0x0ba04477
jtag newtap stm32h5 bs -irlen 5
dap create stm32h5.dap -chain-position stm32h5.cpu
target create stm32h5.ap0 mem_ap -dap stm32h5.dap -ap-num 0
target create stm32h5.cpu cortex_m -dap stm32h5.dap -ap-num 1
targets stm32h5.cpu
"""

# A vector table: initial SP in SRAM1, reset handler 0x08000201.
RESET_SP = 0x20010000
RESET_PC = 0x08000200
IDCODE_H563_X = 0x10070484

# OpenOCD's own messages that silicon produces too: no work area for the
# checksum algorithm (verify_image then reads back), a blank chip's lockup.
TOLERATED_ERRORS = ("No working memory available", "clearing lockup after double fault")


def h5_sim(name, extra=""):
    """An STM32H563ZI with a vector table in flash, the config file beside it."""
    sim = Sim("part = stm32h563zi\nflash.load = 0x08000000 vectors.bin\n" + extra, name=name)
    with open(os.path.join(sim.dir, "vectors.bin"), "wb") as f:
        f.write(RESET_SP.to_bytes(4, "little") + (RESET_PC | 1).to_bytes(4, "little") + b"\xff" * 248)
    with open(os.path.join(sim.dir, "stm32h5-generic.cfg"), "w") as f:
        f.write(CONFIG)
    return sim.start()


def run(sim, *commands):
    return openocd(sim, *commands, files=[os.path.join(sim.dir, "stm32h5-generic.cfg")])


def ok_run(r, *must_contain):
    check(r.rc == 0, "openocd failed", r.tail())
    errors = [l for l in r.output.splitlines()
              if "Error" in l and not any(t in l for t in TOLERATED_ERRORS)]
    check(not errors, "openocd printed an error", "\n".join(errors), r.tail())
    for text in must_contain:
        check(text in r.output, "openocd output lacks %r" % text, r.tail())


def case_init_dap_info():
    sim = h5_sim("init")
    try:
        r = run(sim, "init", "dap info 0", "dap info 1", "shutdown")
        ok_run(r, "tap/device found: 0x0ba04477", "tap/device found: 0x06484041",
               "Cortex-M33 r0p4 processor detected", "AP ID register 0x54770002",
               "AP ID register 0x84770001", "MEM-AP BASE 0xe00e0003", "MEM-AP BASE 0xe00fe003")
        check(len(re.findall(r"Part is 0x484", r.output)) == 2, "ROM tables do not carry the DEV_ID", r.tail())
        check("Processor debug architecture (ARMv8-M)" in r.output, "SCS not listed as Armv8-M", r.tail())
        st = r.state
        check(st["family"] == "stm32h5" and st["dev_id"] == "0x484", "identity", st["family"], st["dev_id"])
        check(st["counters"]["ap_faults"] == 0, "AP faults in Open", st["counters"])
        check(st["ap1_enabled"] and st["product_state"] == "0xed", "not Open with AP1", st["product_state"])
    finally:
        sim.cleanup()


def case_halt_reg():
    sim = h5_sim("halt")
    try:
        r = run(sim, "init", "halt", "reg", "reg r0 0x12345678", "reg r0", "shutdown")
        ok_run(r, "halted due to debug-request", "pc (/32): 0x%08x" % RESET_PC,
               "msp (/32): 0x%08x" % RESET_SP, "r0 (/32): 0x12345678", "msp_s (/32)", "psp_ns (/32)")
        check(r.state["core"] == "halted", "core not halted", r.state["core"])
        check(r.state["counters"]["fw_instructions_total"] > 0, "the firmware never ran before the halt")
    finally:
        sim.cleanup()


def case_reset_halt():
    sim = h5_sim("reset-halt")
    try:
        r = run(sim, "init", "reset halt", "shutdown")
        ok_run(r, "pc: 0x%08x" % RESET_PC, "msp: 0x%08x" % RESET_SP)
        st = r.state
        check(st["core"] == "halted", "core not halted", st["core"])
        check(st["counters"]["system_resets"] >= 1, "no reset happened", st["counters"])
        check(st["counters"]["fw_instructions_before_halt"] == 0, "firmware ran before the halt", st["counters"])
    finally:
        sim.cleanup()


def case_sram_mdw_mww_load_verify():
    image = bytes(random.Random(5).getrandbits(8) for _ in range(4096))
    sim = h5_sim("sram")
    try:
        path = os.path.join(sim.dir, "blob.bin")
        with open(path, "wb") as f:
            f.write(image)
        before = run(sim, "init", "shutdown").state["sram_sha256"]["sram1"]
        r = run(sim, "init", "halt", "mww 0x20000100 0x12345678", "mdw 0x20000100 1",
                "load_image %s 0x20001000 bin" % path, "verify_image %s 0x20001000 bin" % path,
                "mdw 0x20001000 1", "shutdown")
        ok_run(r, "0x20000100: 12345678", "verified 4096 bytes",
               "0x20001000: %08x" % int.from_bytes(image[:4], "little"))
        check(r.state["sram_sha256"]["sram1"] != before, "SRAM1 unchanged in the state", before)
    finally:
        sim.cleanup()


def case_ap0_dbgmcu_both_addresses():
    sim = h5_sim("ap0")
    try:
        r = run(sim, "init", "echo [stm32h5.ap0 read_memory 0xE0044000 32 1]",
                "echo [stm32h5.ap0 read_memory 0xE00E4000 32 1]", "stm32h5.ap0 mdw 0xE00E40FC", "shutdown")
        ok_run(r, "0xe00e40fc: 00030003")
        check(r.output.count("0x%08x" % IDCODE_H563_X) == 2, "DBGMCU IDCODE not read at both addresses",
              r.tail())
        check(r.state["dbgmcu"]["idcode"] == "0x%08x" % IDCODE_H563_X, "dbgmcu idcode", r.state["dbgmcu"])
    finally:
        sim.cleanup()


def case_closed_ap1_refused():
    sim = h5_sim("closed", "PRODUCT_STATE = 0x72\n")
    try:
        r = run(sim, "init", "stm32h5.ap0 mdw 0xE00E4000", "stm32h5.ap0 mdw 0xE0044000",
                "stm32h5.ap0 mdw 0xE00E40FC", "dap info 1", "shutdown")
        check("0xe00e4000: %08x" % IDCODE_H563_X in r.output, "AP0 DBGMCU not readable in Closed", r.tail())
        check("0xe0044000: %08x" % IDCODE_H563_X in r.output, "AP0 alias not readable in Closed", r.tail())
        check("0xe00e40fc: 00010003" in r.output, "DBGMCU_SR does not say AP1 is locked", r.tail())
        check("Cortex-M33 r0p4 processor detected" not in r.output, "the core was examined in Closed", r.tail())
        check(r.rc != 0, "dap info 1 succeeded on a Closed chip", r.tail())
        st = r.state
        check(st["product_state"] == "0x72" and st["product_state_name"] == "Closed", "not Closed",
              st["product_state"], st["product_state_name"])
        check(not st["ap1_enabled"], "AP1 enabled in Closed")
        check(st["counters"]["ap_faults"] > 0, "no AP fault recorded", st["counters"])
        check(st["firmware"] == "idle-firmware", "user code does not run in Closed", st["firmware"])
    finally:
        sim.cleanup()


def case_nonsecure_only_needs_hnonsec():
    """iROT-Provisioned: stock OpenOCD's secure CSW is refused; with HNONSEC set the core debugs."""
    sim = h5_sim("irot", "PRODUCT_STATE = 0x2E\n")
    try:
        r = run(sim, "init", "shutdown")
        check("Cortex-M33 r0p4 processor detected" not in r.output, "secure CSW accepted", r.tail())
        check(r.state["counters"]["ap_faults"] > 0, "no AP fault with a secure CSW", r.state["counters"])
        # HNONSEC (CSW bit 30) on AP1, as ST's own OpenOCD does for non-secure access.
        r = run(sim, "stm32h5.dap apsel 1", "stm32h5.dap apcsw 0x40000000 0x40000000",
                "init", "halt", "reg pc", "mdw 0x08000000 2", "shutdown")
        ok_run(r, "Cortex-M33 r0p4 processor detected", "pc (/32): 0x%08x" % RESET_PC,
               "0x08000000: %08x %08x" % (RESET_SP, RESET_PC | 1))
        check(r.state["core"] == "halted", "Non-secure core not halted", r.state["core"])
    finally:
        sim.cleanup()


def case_da_entry_under_reset():
    """Closed: the DA request word written through AP0 while NRST is held makes the ROM answer DAOK."""
    sim = h5_sim("da-entry", "PRODUCT_STATE = 0x72\n")
    try:
        r = run(sim, "reset_config srst_only srst_nogate", "init", "adapter assert srst",
                "stm32h5.ap0 mww 0xE0044100 0x4F454441", "adapter deassert srst", "sleep 10",
                "stm32h5.ap0 mdw 0xE00E4108", "stm32h5.ap0 mdw 0xE00E4104", "stm32h5.ap0 mdw 0xE00E4108",
                "shutdown")
        check(r.rc == 0, "openocd failed", r.tail())
        check("0xe00e4108: 00000002" in r.output, "DEV_ACK not set after the reset", r.tail())
        check("0xe00e4104: 44414f4b" in r.output, "the ROM did not answer DAOK", r.tail())
        check("0xe00e4108: 00000000" in r.output, "reading DBG_AUTH_DEVICE did not consume the word", r.tail())
        st = r.state
        check(st["da"]["sessions"] == 1 and st["da"]["active"], "no DA session", st["da"])
        check(st["firmware"] == "boot-rom (debug authentication)", "user code started", st["firmware"])
        check(st["counters"]["system_resets"] == 1, "NRST not seen", st["counters"])
    finally:
        sim.cleanup()


def main():
    tap = Tap()
    tap.case("init, dap info 0 and 1 with a generic inline config", case_init_dap_info)
    tap.case("halt and reg (Armv8-M register file)", case_halt_reg)
    tap.case("reset halt stops at the reset vector (Open)", case_reset_halt)
    tap.case("mdw/mww, load_image and verify_image in SRAM", case_sram_mdw_mww_load_verify)
    tap.case("AP0 reads DBGMCU IDCODE at 0xE0044000 and 0xE00E4000", case_ap0_dbgmcu_both_addresses)
    tap.case("Closed: AP1 refused, AP0 still reads DBGMCU", case_closed_ap1_refused)
    tap.case("iROT-Provisioned: secure CSW refused, HNONSEC works", case_nonsecure_only_needs_hnonsec)
    tap.case("Closed: DA entry under NRST through AP0 (DAOK)", case_da_entry_under_reset)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
