#!/usr/bin/env python3
"""Secrets never appear in output (issue 5 section 3): STM32H5 debug-authentication passwords and
private keys, used by `unbrick`, `da regress`, `da password_new`, `h5 da_provision` and the
certificate path, against simulated H563s.  OpenOCD's whole output, the -report JSON, every file
in the backup directory (but the generated password file itself) and the simulator's log are
searched for the password as text, hex (bytes and the 32-bit words the mailbox carries) and
base64, and for the private key's PEM body and its scalar in hex.  Each case first checks that
the operation itself worked, so that a silent failure cannot pass for discretion."""

import base64
import os
import re
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import TOP_SRCDIR, Sim, Tap, check, openocd  # noqa: E402

FIX = os.path.join(TOP_SRCDIR, "testing", "fixtures", "da")
PASSWORD = os.path.join(FIX, "password.bin")
APP_FILL = "flash.fill = 0x08000000 0x4000 random:9\n"


def password_forms(secret):
    """The ways a password could leak: text, hex either case, base64, little-endian mailbox words."""
    forms = [secret.decode(errors="replace"), secret.hex(), secret.hex().upper(),
             base64.b64encode(secret).decode()]
    padded = secret + b"\0" * (-len(secret) % 4)
    for (w,) in struct.iter_unpack("<I", padded[:len(secret) // 4 * 4]):
        forms += ["0x%08x" % w, "0x%08X" % w, "%08x" % w]
    return forms


def key_forms(path):
    """The PEM body lines and the private scalar (hex, with and without colons) of an EC key."""
    with open(path) as f:
        body = [line.strip() for line in f if line.strip() and not line.startswith("-----")]
    text = subprocess.run(["openssl", "pkey", "-in", path, "-text", "-noout"], stdout=subprocess.PIPE,
                          text=True, check=True).stdout
    m = re.search(r"priv:\s*\n((?:\s+[0-9a-f:]+\n)+)", text)
    check(m, "openssl did not print the private scalar", text)
    colons = "".join(m.group(1).split())
    scalar = colons.replace(":", "")
    return body + [scalar, scalar.upper(), colons, scalar.lstrip("0")[:32]]


def everything_written(sim, run, backup=None, report=None, skip=()):
    """OpenOCD's output, the report, the backup directory's files and the simulator log: (name, text)."""
    texts = [("OpenOCD output", run.output)]
    if report and os.path.exists(report):
        texts.append(("report " + report, open(report, errors="replace").read()))
    if backup and os.path.isdir(backup):
        for root, _, files in os.walk(backup):
            for name in files:
                path = os.path.join(root, name)
                if path not in skip:
                    with open(path, "rb") as f:
                        data = f.read()
                    texts.append(("backup file " + path, data.decode("latin-1")))
    texts.append(("simulator log", open(sim.log_path, errors="replace").read()))
    return texts


def assert_no_secret(texts, forms, what):
    for name, text in texts:
        for form in forms:
            check(form not in text, "%s appears in the %s (as %r)" % (what, name, form))


def h563(name, state, extra=""):
    sim = Sim("part = stm32h563zi\n" + APP_FILL + "PRODUCT_STATE = %s\n" % state + extra, name=name)
    return sim.start()


def secret_of(path):
    with open(path, "rb") as f:
        return f.read().rstrip(b"\n")


def case_unbrick_password():
    sim = h563("pw", "0x72", "TZEN = 0xC3\nobk.da_password = %s\n" % secret_of(PASSWORD).decode())
    try:
        backup, report = os.path.join(sim.dir, "backup"), os.path.join(sim.dir, "report.json")
        run = openocd(sim, "unbrick -timeout 10 -password %s -backup %s -report %s" % (PASSWORD, backup, report),
                      files=["recovery/h563.cfg"], timeout=600)
        check(run.rc == 0 and run.state["product_state"] == "0xed", "the regression did not happen", run.tail())
        assert_no_secret(everything_written(sim, run, backup, report), password_forms(secret_of(PASSWORD)),
                         "the password")
    finally:
        sim.cleanup()


def module(sim, *cmds):
    pre = ["reset_config srst_only srst_nogate", "init", "source [find stm32unbrick/module.tcl]", "stm32unbrick_load",
           "stm32unbrick_attach_bridge stm32h5x", "stm32unbrick h5 identify"]
    return openocd(sim, *(pre + list(cmds) + ["shutdown"]), files=["target/stm32h5x.cfg"], timeout=300)


def case_da_regress_password():
    sim = h563("regress", "0x72", "TZEN = 0xC3\nobk.da_password = %s\n" % secret_of(PASSWORD).decode())
    try:
        run = module(sim, "echo \"REGRESS [stm32unbrick da regress -password %s]\"" % PASSWORD)
        check(run.rc == 0 and run.state["product_state"] == "0xed", "da regress did not regress", run.tail())
        assert_no_secret(everything_written(sim, run), password_forms(secret_of(PASSWORD)), "the password")
    finally:
        sim.cleanup()


def case_password_new_and_provision():
    """A generated password, provisioned into a chip in Provisioning: neither command prints it."""
    sim = h563("provision", "0x17", "TZEN = 0xC3\n")
    try:
        pw = os.path.join(sim.dir, "new-password.bin")
        run = module(sim, "echo \"NEW [stm32unbrick da password_new %s]\"" % pw,
                     "echo \"PROVISION [stm32unbrick h5 da_provision -password %s]\"" % pw,
                     "echo \"CREDENTIALS [stm32unbrick h5 credentials]\"")
        check(run.rc == 0 and os.path.isfile(pw), "password_new/da_provision failed", run.tail())
        check(run.state["flash_h5"]["obk"]["da_credential"] == "password", "not provisioned", run.tail())
        check(oct(os.stat(pw).st_mode & 0o777) == "0o600", "password file mode", oct(os.stat(pw).st_mode))
        assert_no_secret(everything_written(sim, run), password_forms(secret_of(pw)), "the generated password")
    finally:
        sim.cleanup()


def case_unbrick_certificate():
    key = os.path.join(FIX, "leaf.key.pem")
    sim = h563("cert", "0xC6", "TZEN = 0xB4\nobk.da_cert = %s\n" % os.path.join(FIX, "root.cert.pem"))
    try:
        backup, report = os.path.join(sim.dir, "backup"), os.path.join(sim.dir, "report.json")
        run = openocd(sim, "unbrick -timeout 10 -cert %s -key %s -backup %s -report %s" % (
            os.path.join(FIX, "chain.pem"), key, backup, report), files=["recovery/h563.cfg"], timeout=600)
        check(run.rc == 0 and run.state["product_state"] == "0xed", "the regression did not happen", run.tail())
        assert_no_secret(everything_written(sim, run, backup, report), key_forms(key), "the private key")
    finally:
        sim.cleanup()


def case_seed004_generated_password():
    """unbrick generates and provisions a password itself (seed 004): only its own file holds it."""
    sim = h563("seed004", "0x17", "TZEN = 0xB4\n")
    try:
        backup, report = os.path.join(sim.dir, "backup"), os.path.join(sim.dir, "report.json")
        run = openocd(sim, "unbrick -timeout 10 -backup %s -report %s" % (backup, report),
                      files=["recovery/h563.cfg"], timeout=600)
        pw = os.path.join(backup, "da-password.bin")
        check(run.rc == 0 and os.path.isfile(pw), "no regression with a generated password", run.tail(60))
        assert_no_secret(everything_written(sim, run, backup, report, skip=(pw,)), password_forms(secret_of(pw)),
                         "the generated password")
    finally:
        sim.cleanup()


def main():
    tap = Tap()
    tap.case("unbrick -password: the password is in no output, report, backup or log", case_unbrick_password)
    tap.case("da regress -password: the password is in no output or log", case_da_regress_password)
    tap.case("da password_new + h5 da_provision: the new password is in no output or log",
             case_password_new_and_provision)
    tap.case("unbrick -cert/-key: the private key is in no output, report, backup or log", case_unbrick_certificate)
    tap.case("unbrick in Provisioning: the generated password only in its own file", case_seed004_generated_password)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
