#!/usr/bin/env python3
"""Writes the hand-made seeds of testing/fuzz/corpus/ (run from anywhere).

Each seed is a small, meaningful input in the format its target reads (see
the comment at the top of testing/fuzz/fuzz_<target>.c).  The rbb seeds
recorded from OpenOCD sessions come from record_rbb.py, the scenario seeds
besides the ones below are copies of testing/scenarios/ files.
"""
import os
import struct

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def write(target, name, data):
    os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    with open(os.path.join(CORPUS, target, name), "wb") as f:
        f.write(data)


def words(*ws):
    return b"".join(struct.pack("<I", w & 0xFFFFFFFF) for w in ws)


# ---- adac: one response from the device, little-endian words ----------------
def tlv(kind, value):
    pad = (-len(value)) % 4
    return words(kind << 16, len(value)) + value + b"\0" * pad


def response(status, payload, count=None):
    n = len(payload) // 4 if count is None else count
    return words(status << 16, n) + payload


def adac_seeds():
    discovery = b"".join([
        tlv(0x0001, bytes([1, 0])),                      # auth version 1.0
        tlv(0x0002, struct.pack("<H", 0x0020)),          # vendor: ST
        tlv(0x0003, struct.pack("<I", 0x484)),           # SoC class: DEV_ID of the H563
        tlv(0x0004, bytes(range(16))),                   # SoC ID
        tlv(0x0008, struct.pack("<H", 0x3000)),          # PSA lifecycle
        tlv(0x0100, struct.pack("<H", 0x0200)),          # token formats
        tlv(0x0101, struct.pack("<HH", 0x0201, 0x0202)),  # certificate formats
        tlv(0x0102, bytes([0x01])),                      # cryptosystems: ECDSA P-256
        tlv(0x8001, words(0x1)),                         # ST HDPL1 status
    ])
    write("adac", "discovery-st", response(0, discovery))
    write("adac", "challenge", response(0, words(0x0001) + bytes(range(0x40, 0x60))))
    write("adac", "status-failure", response(0x0001, b""))
    write("adac", "status-unauthorized", response(0x0004, b""))
    write("adac", "truncated-discovery", response(0, discovery[:24], count=len(discovery) // 4))
    write("adac", "tlv-overlong", response(0, words(0x0004 << 16, 0xFFFFFFFD) + words(0, 0)))
    write("adac", "vendor-tlvs", response(0, b"".join(tlv(0x8000 + i, bytes([i]) * (64 if i == 3 else 3))
                                                      for i in range(8))))


# ---- h7_ob / h5_ob: chip byte, then operations ------------------------------
def set_name(op, name, value, irreversible=0):
    return bytes([op, len(name)]) + name.encode() + struct.pack("<I", value) + bytes([irreversible])


def raw(reg, value):
    return bytes([0, reg]) + struct.pack("<I", value)


H7_SET_NAME, H7_GET_NAME, H7_DIFF, H7_AREAS, H7_REGRESSION, H7_FACTORY = 2, 3, 4, 5, 6, 7


def h7_seeds():
    # 0x450 with two banks: an RDP 0xBB chip (seed 000), level 2 refused, PCROP with DMEP.
    write("h7_ob", "h743-rdp-bb", bytes([0x20]) + raw(0, 0x1016BBF0) + set_name(H7_SET_NAME, "RDP", 0xCC)
          + set_name(H7_SET_NAME, "RDP", 0xAA) + set_name(H7_SET_NAME, "PROT_AREA_END1", 0x10)
          + set_name(H7_SET_NAME, "DMEP1", 1) + bytes([H7_AREAS, 1, H7_REGRESSION, H7_DIFF, 40]))
    # 0x450 dual core: the two boot bits, never both 0.
    write("h7_ob", "h745-bcm", bytes([0x30]) + bytes([H7_FACTORY]) + set_name(H7_SET_NAME, "BCM7", 0)
          + set_name(H7_SET_NAME, "BCM4", 0) + set_name(H7_SET_NAME, "BOOT_CM4_ADD0", 0x4000)
          + bytes([H7_DIFF, 10]))
    # 0x480: 32-bit WRPSN, OTP lock, bank swap.
    write("h7_ob", "h7a3-lockbl", bytes([0x21]) + set_name(H7_SET_NAME, "WRPSN1", 0xFFFF0000)
          + set_name(H7_SET_NAME, "LOCKBL", 1) + set_name(H7_SET_NAME, "LOCKBL", 1, 1)
          + set_name(H7_SET_NAME, "SWAP_BANK_OPT", 1) + bytes([H7_GET_NAME, 6]) + b"LOCKBL")
    # 0x483: single bank, its own OPTSR2, a secure area.
    write("h7_ob", "h723-secure", bytes([0x02]) + set_name(H7_SET_NAME, "TCM_AXI_SHARED", 3)
          + set_name(H7_SET_NAME, "SEC_AREA_END1", 0x20) + set_name(H7_SET_NAME, "DMES1", 1)
          + raw(3, 0x80200000) + bytes([H7_AREAS, 1, H7_AREAS, 2, H7_REGRESSION]))


H5_SET_NAME, H5_PS_CHECK, H5_CLEAN, H5_DIFF, H5_GEOMETRY = 2, 4, 5, 6, 7


def ps_check(frm, to, flags, dev_id=None):
    return bytes([H5_PS_CHECK, frm, to, flags]) + (struct.pack("<H", dev_id) if dev_id is not None else b"")


def h5_seeds():
    # H563 (0x484): Open -> Provisioning, then TZ-Closed with verified certificate credentials.
    write("h5_ob", "h563-provisioning", bytes([2]) + set_name(H5_SET_NAME, "TZEN", 0xB4)
          + set_name(H5_SET_NAME, "PRODUCT_STATE", 0x17) + ps_check(0xED, 1, 0x02)
          + ps_check(1, 0xC6, 0x02 | (2 << 2) | 0x10 | 0x20) + bytes([H5_CLEAN, 1, 1, H5_DIFF, 20])
          + bytes([H5_GEOMETRY]) + struct.pack("<H", 2048))
    # H503 (0x474): password in OTP, no TrustZone, boot address.
    write("h5_ob", "h503-otp", bytes([0]) + ps_check(1, 0x72, 0x00 | (3 << 2) | 0x10)
          + set_name(H5_SET_NAME, "NSBOOTADD", 0x080400) + bytes([H5_GEOMETRY]) + struct.pack("<H", 128))
    # H533 (0x478): Locked and boot locks refused without the flag.
    write("h5_ob", "h533-irreversible", bytes([1]) + set_name(H5_SET_NAME, "PRODUCT_STATE", 0x5C)
          + set_name(H5_SET_NAME, "SECBOOT_LOCK", 0xB4) + ps_check(0x72, 0x5C, 0x01 | (1 << 2) | 0x10)
          + ps_check(0x72, 0x5C, 0x01 | (1 << 2) | 0x10 | 0x40) + bytes([H5_CLEAN, 0, 0]))


# ---- rbb: a line naming the board, then OpenOCD's bytes ---------------------
def rbb_seeds():
    board = b"h743-factory-fresh.scn\n"
    write("rbb", "reset-lines-quit", board + b"rstuBbsRrRQ0123")
    shift = b"26" * 5 + b"04" + b"26" + b"04" + b"04"    # Test-Logic-Reset, Run-Test/Idle, to Shift-DR
    for i in range(64):                                   # IDCODE of both TAPs, TMS high on the last bit
        shift += b"R" + (b"26" if i == 63 else b"04")
    write("rbb", "tap-reset-idcode", board + shift + b"26" + b"04")


# ---- scenario: edge cases of the file format --------------------------------
def scenario_seeds():
    write("scenario", "empty.scn", b"")
    write("scenario", "syntax.scn", b"# comment only line\n\n  part = stm32h743zi  # trailing\nno equals sign\n")
    write("scenario", "long-value.scn", b"part = stm32h743zi\nflash.fill = " + b"0x08000000 " * 60 + b"\n")


if __name__ == "__main__":
    adac_seeds()
    h7_seeds()
    h5_seeds()
    rbb_seeds()
    scenario_seeds()
