#!/usr/bin/env python3
"""Stock OpenOCD 0.12, its own target/stm32h7x_dual_bank.cfg and its own
stm32h7x flash driver, against the simulated STM32H743ZI.

The simulator is only worth its fidelity: what stock OpenOCD does on silicon it
must do here.  Each case runs the real `openocd` (and `gdb-multiarch`) and then
checks the simulator's state JSON."""

import os
import re
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import (GDB, OPENOCD, Sim, Tap, TestFailure, check, openocd, random_image,  # noqa: E402
                        script_dirs, sha256, stock_scripts_dir)

# Stock OpenOCD's own target file by absolute path: ours (tcl/target/) shadows
# it on the search path, and the referee must be stock OpenOCD's.  (Stock
# stm32h7x_dual_bank.cfg is only "set DUAL_BANK 1" plus a search-path lookup
# of stm32h7x.cfg, which would find ours, so do what it does by hand.)
TARGET = os.path.join(stock_scripts_dir(), "target", "stm32h7x.cfg")
STOCK = ["set DUAL_BANK 1"]
BANK_SIZE = 1024 * 1024
ERASED_BANK = sha256(b"\xff" * BANK_SIZE)

# A vector table: initial SP at the top of DTCM, reset handler at 0x08000201.
RESET_SP = 0x20020000
RESET_PC = 0x08000200
VECTORS = struct.pack("<II", RESET_SP, RESET_PC | 1)


def programmed_sim(name, extra=""):
    """An H743 whose bank 1 starts with a vector table and whose bank 2 holds a
    known pattern, so that erases and reads are visible in the state."""
    sim = Sim("part = stm32h743zi\n"
              "flash.load = 0x08000000 vectors.bin\n"
              "flash.fill = 0x08000100 0x100 0x12345678\n"
              "flash.fill = 0x08100000 0x20000 random:7\n" + extra, name=name)
    with open(os.path.join(sim.dir, "vectors.bin"), "wb") as f:
        f.write(VECTORS)
    return sim.start()


# On a blank chip the erased vector table locks the core up at once; stock
# OpenOCD reports that as an error on silicon too.  Nothing else may be one.
BLANK_CHIP_LOCKUP = "clearing lockup after double fault"


def ok_run(run, *must_contain):
    check(run.rc == 0, "openocd failed", run.tail())
    errors = [l for l in run.output.splitlines() if "Error" in l and BLANK_CHIP_LOCKUP not in l]
    check(not errors, "openocd printed an error", "\n".join(errors), run.tail())
    for text in must_contain:
        check(text in run.output, "openocd output lacks %r" % text, run.tail())


def case_init():
    with Sim("part = stm32h743zi\n", name="init") as sim:
        run = openocd(sim, "init", "shutdown", files=[TARGET], pre=STOCK)
        ok_run(run, "tap/device found: 0x6ba00477", "stm32h7x.cpu0")
        check(run.state["counters"]["tck"] > 0, "no TCK reached the simulator")
        check(run.state["dev_id"] == "0x450", "dev_id", run.state["dev_id"])


def case_reset_halt():
    sim = programmed_sim("reset-halt")
    try:
        run = openocd(sim, "init", "reset halt", "shutdown", files=[TARGET], pre=STOCK)
        ok_run(run, "pc: 0x%08x" % RESET_PC, "msp: 0x%08x" % RESET_SP)
        check(run.state["core"] == "halted", "core not halted", run.state["core"])
        check(run.state["counters"]["fw_instructions_before_halt"] == 0,
              "firmware ran before the halt", run.state["counters"])
    finally:
        sim.cleanup()


def case_flash_probe_info():
    with Sim("part = stm32h743zi\n", name="probe") as sim:
        run = openocd(sim, "init", "flash probe 0", "flash probe 1", "flash info 0", "flash info 1",
                      "shutdown", files=[TARGET], pre=STOCK)
        ok_run(run)
        check(re.search(r"flash size probed value 2048k?", run.output, re.I)
              or "2048" in run.output, "flash size not probed as 2 MiB", run.tail())
        for base in ("0x08000000", "0x08100000"):
            check(re.search(r"stm32h7x at %s, size 0x00100000" % base, run.output),
                  "bank at %s not 1 MiB" % base, run.tail())
        check(re.search(r"Rev: ?V", run.output), "revision V not reported", run.tail())


def case_option_read():
    with Sim("part = stm32h743zi\n", name="optread") as sim:
        run = openocd(sim, "init", "stm32h7x option_read 0 0x1c", "shutdown", files=[TARGET], pre=STOCK)
        ok_run(run)
        m = re.search(r"<0x5200201c> = (0x[0-9a-f]+)", run.output)
        check(m is not None, "option_read printed no value", run.tail())
        check(int(m.group(1), 16) == int(run.state["option_bytes"]["OPTSR_CUR"], 16),
              "option_read disagrees with the chip", m.group(1), run.state["option_bytes"])


def case_option_write():
    with Sim("part = stm32h743zi\n", name="optwrite") as sim:
        before = openocd(sim, "init", "shutdown", files=[TARGET], pre=STOCK).state
        check(before["option_fields"]["NRST_STBY_D1"] == 1, "factory NRST_STBY_D1 is not 1")
        run = openocd(sim, "init", "stm32h7x option_write 0 0x20 0x00000000 0x00000080",
                      "stm32h7x option_read 0 0x1c", "shutdown", files=[TARGET], pre=STOCK)
        ok_run(run)
        after = run.state
        check(after["option_fields"]["NRST_STBY_D1"] == 0, "NRST_STBY_D1 not cleared", after["option_fields"])
        changed = {k for k in before["option_fields"] if before["option_fields"][k] != after["option_fields"][k]}
        check(changed == {"NRST_STBY_D1"}, "other option fields changed", changed)


def case_lock_unlock():
    sim = programmed_sim("lock")
    try:
        run = openocd(sim, "init", "reset halt", "stm32h7x lock 0", "shutdown", files=[TARGET], pre=STOCK)
        ok_run(run)
        check(run.state["rdp"] != "0xaa" and run.state["rdp"] != "0xcc",
              "lock did not set RDP level 1", run.state["rdp"])
        check(run.state["flash_sha256"]["bank1"] != ERASED_BANK, "lock erased the flash")
        locked_fields = dict(run.state["option_fields"])
        # A new session after a reset: level 1 with a debugger blocks the flash
        # (the core cannot fetch its vectors either, so no "reset halt" here).
        run = openocd(sim, "init", "reset", "stm32h7x unlock 0", "shutdown", files=[TARGET], pre=STOCK)
        check(run.rc == 0, "unlock failed", run.tail())
        st = run.state
        check(st["rdp"] == "0xaa", "RDP not back to level 0", st["rdp"])
        check(st["flash_sha256"]["bank1"] == ERASED_BANK and st["flash_sha256"]["bank2"] == ERASED_BANK,
              "regression did not mass-erase both banks", st["flash_sha256"])
        for k, v in locked_fields.items():
            if k != "RDP":
                check(st["option_fields"][k] == v, "option field %s changed by the regression" % k)
    finally:
        sim.cleanup()


def case_mass_erase():
    sim = programmed_sim("masserase")
    try:
        run = openocd(sim, "init", "reset halt", "stm32h7x mass_erase 1", "shutdown", files=[TARGET], pre=STOCK)
        ok_run(run)
        st = run.state
        check(st["flash_sha256"]["bank2"] == ERASED_BANK, "bank 2 not erased", st["flash_sha256"])
        check(st["flash_sha256"]["bank1"] != ERASED_BANK, "bank 1 erased by a bank-2 mass erase")
    finally:
        sim.cleanup()


def case_write_verify_1mib():
    image = random_image(1024 * 1024, seed=743)
    base = 0x08080000  # half in bank 1, half in bank 2
    with Sim("part = stm32h743zi\n", name="write") as sim:
        path = os.path.join(sim.dir, "image.bin")
        with open(path, "wb") as f:
            f.write(image)
        run = openocd(sim, "init", "reset halt",
                      "flash write_image erase %s 0x%08x bin" % (path, base),
                      "verify_image %s 0x%08x bin" % (path, base), "shutdown",
                      files=[TARGET], pre=STOCK + ["set WORKAREASIZE 0"], timeout=900)
        check(run.rc == 0, "write/verify failed", run.tail())
        check("verified 1048576 bytes" in run.output, "verify_image did not verify 1 MiB", run.tail())
        half = BANK_SIZE // 2
        bank1 = b"\xff" * half + image[:half]
        bank2 = image[half:] + b"\xff" * half
        st = run.state
        check(st["flash_sha256"]["bank1"] == sha256(bank1), "bank 1 content differs from the image")
        check(st["flash_sha256"]["bank2"] == sha256(bank2), "bank 2 content differs from the image")


def case_mdw():
    sim = programmed_sim("mdw")
    try:
        run = openocd(sim, "init", "reset halt", "mdw 0x08000100 4", "mdw 0x08000000 2", "shutdown",
                      files=[TARGET], pre=STOCK)
        ok_run(run, "0x08000100: 12345678 12345678 12345678 12345678",
               "0x08000000: %08x %08x" % (RESET_SP, RESET_PC | 1))
    finally:
        sim.cleanup()


def case_reg():
    sim = programmed_sim("reg")
    try:
        run = openocd(sim, "init", "reset halt", "reg", "reg r0 0x12345678", "reg r0", "shutdown",
                      files=[TARGET], pre=STOCK)
        ok_run(run, "pc (/32): 0x%08x" % RESET_PC, "msp (/32): 0x%08x" % RESET_SP,
               "r0 (/32): 0x12345678")
        check("d15" in run.output or "s31" in run.output, "FPU registers not listed", run.tail())
    finally:
        sim.cleanup()


def case_gdb_session():
    sim = programmed_sim("gdb")
    try:
        dirs = " ".join("-s %s" % d for d in script_dirs())
        pipe = ("%s %s -f interface/stm32sim.cfg -c 'set DUAL_BANK 1' -f %s "
                "-c 'gdb_port pipe' -c 'log_output %s/openocd-gdb.log'"
                % (OPENOCD, dirs, TARGET, sim.dir))
        argv = [GDB, "-nx", "-batch",
                "-ex", "set architecture arm",
                "-ex", "target extended-remote | " + pipe,
                "-ex", "monitor reset halt",
                "-ex", "info registers",
                "-ex", "x/8wx 0x08000100",
                "-ex", "monitor mdw 0x08000000 2",
                "-ex", "kill"]
        before = sim._state_id()
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120,
                              env=sim.env())
        out = proc.stdout
        try:
            st = sim.wait_state_after(before)
        except TestFailure as e:
            # No session reached the simulator: what GDB and the OpenOCD it started said is the clue.
            log = os.path.join(sim.dir, "openocd-gdb.log")
            ocd = open(log).read()[-3000:] if os.path.exists(log) else "(no OpenOCD log)"
            raise TestFailure("%s\ngdb (exit %s):\n%s\nOpenOCD:\n%s" % (e, proc.returncode, out[-3000:], ocd))
        check(re.search(r"^pc\s+0x%x" % RESET_PC, out, re.M), "info registers: pc", out[-3000:])
        check(re.search(r"^sp\s+0x%x" % RESET_SP, out, re.M), "info registers: sp", out[-3000:])
        check("0x8000100:\t0x12345678\t0x12345678\t0x12345678\t0x12345678" in out, "x/8wx", out[-3000:])
        check(st["core"] in ("halted", "running", "lockup"), "core state after gdb", st["core"])
    finally:
        sim.cleanup()


def main():
    tap = Tap()
    tap.case("init with stock target/stm32h7x_dual_bank.cfg", case_init)
    tap.case("reset halt stops the core at the reset vector", case_reset_halt)
    tap.case("flash probe and flash info of both banks", case_flash_probe_info)
    tap.case("stm32h7x option_read matches OPTSR_CUR", case_option_read)
    tap.case("stm32h7x option_write changes one field only", case_option_write)
    tap.case("stm32h7x lock, reset, unlock: RDP 1 -> 0 with mass erase", case_lock_unlock)
    tap.case("stm32h7x mass_erase of bank 2", case_mass_erase)
    tap.case("flash write_image erase + verify_image, 1 MiB across both banks", case_write_verify_1mib)
    tap.case("mdw reads flash", case_mdw)
    tap.case("reg lists and writes core registers", case_reg)
    tap.case("gdb-multiarch: info registers, x/8wx, monitor reset halt", case_gdb_session)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
