#!/usr/bin/env python3
"""Stock OpenOCD 0.12, its own target/stm32h7x*.cfg and stm32h7x flash driver,
against the other simulated STM32H7 lines: the dual-core H745 (DUAL_CORE=1:
Cortex-M7 on AP0, Cortex-M4 on AP3), the H723 (DEV_ID 0x483) and the H7A3
(DEV_ID 0x480).  Each case runs the real `openocd` (init, reset halt, flash
probe/info, a small write_image/verify_image with WORKAREASIZE 0) and then
checks the simulator's state JSON, i.e. what the chip holds."""

import os
import re
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import Sim, Tap, check, openocd, random_image, sha256, stock_scripts_dir  # noqa: E402

# Stock OpenOCD's own target file by absolute path (ours in tcl/target/ shadows it on the search path).
# stm32h7x_dual_bank.cfg only sets DUAL_BANK 1 and sources target/stm32h7x.cfg through the search
# path, which would find ours: DUAL_BANK is set here instead.
STOCK = os.path.join(stock_scripts_dir(), "target", "stm32h7x.cfg")
DUAL_BANK = "set DUAL_BANK 1"
MIB = 1024 * 1024

# Vector tables: the M7 image at 0x08000000, the M4 image at 0x08100000 (BOOT_CM4_ADD0).
M7_VECTORS = struct.pack("<II", 0x24080000, 0x08000299)
M4_VECTORS = struct.pack("<II", 0x10048000, 0x08100299)


def bank(size, *pieces):
    """Expected content of a bank: erased, with (offset, bytes) pieces programmed."""
    data = bytearray(b"\xff" * size)
    for offset, piece in pieces:
        data[offset:offset + len(piece)] = piece
    return bytes(data)


def board(name, text, files):
    sim = Sim(text, name=name)
    for fname, content in files.items():
        with open(os.path.join(sim.dir, fname), "wb") as f:
            f.write(content)
    return sim.start()


def ok_run(run, *must_contain):
    check(run.rc == 0, "openocd failed", run.tail())
    errors = [line for line in run.output.splitlines() if "Error" in line]
    check(not errors, "openocd printed an error", "\n".join(errors), run.tail())
    for text in must_contain:
        check(text in run.output, "openocd output lacks %r" % text, run.tail())


def write_and_verify(path, base):
    return ["flash write_image erase %s 0x%08x bin" % (path, base), "verify_image %s 0x%08x bin" % (path, base)]


def case_h745_dual_core():
    image7 = random_image(4096, seed=745)
    image4 = random_image(2048, seed=4)
    sim = board("h745", "part = stm32h745zi\nflash.load = 0x08000000 m7.bin\nflash.load = 0x08100000 m4.bin\n",
                {"m7.bin": M7_VECTORS, "m4.bin": M4_VECTORS})
    try:
        p7 = os.path.join(sim.dir, "image7.bin")
        p4 = os.path.join(sim.dir, "image4.bin")
        open(p7, "wb").write(image7)
        open(p4, "wb").write(image4)
        run = openocd(sim, "init", "reset halt",
                      "flash probe 0", "flash probe 2", "flash info 0", "flash info 2",
                      *write_and_verify(p7, 0x08020000),
                      "targets stm32h7x.cpu1", *write_and_verify(p4, 0x08120000),
                      "shutdown", files=[STOCK], pre=[DUAL_BANK, "set DUAL_CORE 1", "set WORKAREASIZE 0"],
                      timeout=600)
        ok_run(run, "Cortex-M7 r1p1 processor detected", "Cortex-M4 r0p1 processor detected",
               "stm32h7x.cpu1 cannot read the flash size register", "flash size probed value 2048k",
               "verified 4096 bytes", "verified 2048 bytes")
        check(re.search(r"stm32h7x at 0x08000000, size 0x00100000", run.output), "bank 1 not 1 MiB", run.tail())
        st = run.state
        check(st["dev_id"] == "0x450" and st["dual_core"], "not the dual-core 0x450 part", st["dev_id"])
        check(st["core"] == "halted" and st["core_cm4"] == "halted", "cores not halted by reset halt",
              st["core"], st["core_cm4"])
        check(st["counters"]["fw_instructions_before_halt"] == 0, "the M7 ran before the halt")
        want1 = bank(MIB, (0, M7_VECTORS), (0x20000, image7))
        want2 = bank(MIB, (0, M4_VECTORS), (0x20000, image4))
        check(st["flash_sha256"]["bank1"] == sha256(want1), "bank 1 (written through the M7) differs")
        check(st["flash_sha256"]["bank2"] == sha256(want2), "bank 2 (written through the M4) differs")
        check(st["pwr"]["smps_part"] and st["pwr"]["board_supply"] == "direct_smps", "supply", st["pwr"])
    finally:
        sim.cleanup()


def case_h723():
    image = random_image(4096, seed=723)
    sim = board("h723", "part = stm32h723zg\nflash.load = 0x08000000 m7.bin\n", {"m7.bin": M7_VECTORS})
    try:
        path = os.path.join(sim.dir, "image.bin")
        open(path, "wb").write(image)
        run = openocd(sim, "init", "reset halt", "flash probe 0", "flash info 0",
                      *write_and_verify(path, 0x08020000), "shutdown",
                      files=[STOCK], pre=["set WORKAREASIZE 0"], timeout=600)
        ok_run(run, "tap/device found: 0x06483041", "Cortex-M7 r1p2 processor detected",
               "Device: STM32H72x/73x", "flash size probed value 1024k", "STM32H7 flash has a single bank",
               "verified 4096 bytes")
        check(re.search(r"stm32h7x at 0x08000000, size 0x00100000", run.output), "bank not 1 MiB", run.tail())
        check(re.search(r"Rev: ?Z", run.output), "revision Z not reported", run.tail())
        st = run.state
        check(st["dev_id"] == "0x483" and st["rev_id"] == "0x1001", "identity", st["dev_id"], st["rev_id"])
        check(list(st["flash_sha256"]) == ["bank1"], "a single bank expected", st["flash_sha256"])
        check(st["flash_sha256"]["bank1"] == sha256(bank(MIB, (0, M7_VECTORS), (0x20000, image))),
              "bank content differs from the image")
        check(st["core"] == "halted", "core not halted", st["core"])
    finally:
        sim.cleanup()


def case_h7a3():
    image = random_image(8192, seed=7)
    base = 0x080FF000  # 4 KiB at the end of bank 1, 4 KiB at the start of bank 2
    sim = board("h7a3", "part = stm32h7a3zi\nflash.load = 0x08000000 m7.bin\n", {"m7.bin": M7_VECTORS})
    try:
        path = os.path.join(sim.dir, "image.bin")
        open(path, "wb").write(image)
        run = openocd(sim, "init", "reset halt", "flash probe 0", "flash probe 1", "flash info 0",
                      *write_and_verify(path, base), "shutdown",
                      files=[STOCK], pre=[DUAL_BANK, "set WORKAREASIZE 0"], timeout=600)
        ok_run(run, "tap/device found: 0x06480041", "Cortex-M7 r1p2 processor detected",
               "Device: STM32H7Ax/7Bx", "flash size probed value 2048k", "verified 8192 bytes")
        # flash info lists the write-protection groups: 32 of 4 x 8 KiB sectors per bank.
        check(re.search(r"# ?31: 0x000f8000 \(0x8000 32kB\)", run.output), "not 32 groups of 32 KiB", run.tail())
        # The erase rounds the write to whole 8 KiB sectors.
        check("Adding extra erase range, 0x080fe000 .. 0x080fefff" in run.output, "sector is not 8 KiB",
              run.tail())
        check(re.search(r"Rev: ?A", run.output), "revision A not reported", run.tail())
        st = run.state
        check(st["dev_id"] == "0x480", "dev_id", st["dev_id"])
        half = len(image) // 2
        check(st["flash_sha256"]["bank1"] == sha256(bank(MIB, (0, M7_VECTORS), (MIB - half, image[:half]))),
              "bank 1 content differs")
        check(st["flash_sha256"]["bank2"] == sha256(bank(MIB, (0, image[half:]))), "bank 2 content differs")
        # 128-bit flash words: 4 KiB in bank 2 is 256 words.
        check(st["flash"]["bank2"]["programmed_words"] == 256, "bank 2 words", st["flash"]["bank2"])
    finally:
        sim.cleanup()


def main():
    tap = Tap()
    tap.case("H745, DUAL_CORE=1: both cores examined, reset halt, flash through the M7 and the M4",
             case_h745_dual_core)
    tap.case("H723 (0x483): probe, info, write_image/verify_image on the single bank", case_h723)
    tap.case("H7A3 (0x480): probe, info, write_image/verify_image across both banks", case_h7a3)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
