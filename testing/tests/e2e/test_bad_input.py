#!/usr/bin/env python3
"""Bad input (issue 5 section 4): every case gets a clear error naming what was wrong, the documented
exit status (docs/exit-status.md) and NO write: the simulator's state JSON (option bytes, flash hashes,
flash counters and busy time, product state) is the same before and after.  Each case then records a
"bad input ... refused" row for docs/faults.md.  Secrets (section 3) are in test_bad_input_secrets.py."""

import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import (OPENOCD, STM32SIM, TOP_BUILDDIR, TOP_SRCDIR, Sim, Tap, check,  # noqa: E402
                        record_outcome, script_dirs)

REFUSED = 2   # docs/exit-status.md
FIX = os.path.join(TOP_SRCDIR, "testing", "fixtures", "da")
H743 = "part = stm32h743zi\nRDP = 0x55\nflash.fill = 0x08000000 0x4000 random:7\n"
H563_OPEN = "part = stm32h563zi\nTZEN = 0xC3\nflash.fill = 0x08000000 0x4000 random:7\n"
H563_CLOSED = H563_OPEN + "PRODUCT_STATE = 0x72\nobk.da_password = %s\n" % open(
    os.path.join(FIX, "password.bin")).read().strip()
SCRATCH = tempfile.mkdtemp(prefix="badinput-")
EMPTY, LONG = os.path.join(SCRATCH, "empty.bin"), os.path.join(SCRATCH, "long.bin")
open(EMPTY, "w").close()
open(LONG, "w").write("seventeen-bytes-x\n")
TARGETS = {"h7": ("target/stm32h7x_dual_bank.cfg", "stm32h7x"), "h5": ("target/stm32h5x.cfg", "stm32h5x")}


def written(st):
    """What a write to the chip would change: option bytes, flash, the flash's counters and busy time."""
    keys = ("rdp", "option_bytes", "option_fields", "flash_sha256", "flash", "product_state", "flash_h5")
    w = {k: st[k] for k in keys if k in st}
    w["flash_busy_us"] = st["counters"]["flash_busy_us"]
    return w


def ocd(sim, *commands, files=(), timeout=300):
    """Stock OpenOCD against `sim`; unlike simharness.openocd() it does not wait for a probe session
    (a refusal on the command line never opens one).  Returns (exit status, output)."""
    argv = [OPENOCD]
    for d in script_dirs():
        argv += ["-s", d]
    argv += ["-c", "gdb_port disabled", "-c", "tcl_port disabled", "-c", "telnet_port disabled",
             "-f", "interface/stm32sim.cfg"]
    for f in files:
        argv += ["-f", f]
    for c in commands:
        argv += ["-c", c]
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout,
                          env=sim.env())
    return proc.returncode, "$ %s\n(exit %s)\n%s" % (" ".join(argv), proc.returncode, proc.stdout)


def final_state(sim):
    """SIGTERM: the simulator writes its state after the last session has ended, then exits."""
    check(sim.stop() == 0, "stm32sim did not exit cleanly", sim.log_tail())
    return sim.state()


def refused(sim, before, rc, out, want_rc, names, what, setup):
    """The checks every case shares, then the docs/faults.md row."""
    tail = "\n".join(out.splitlines()[-30:])
    check(rc == want_rc, "exit status %s, want %s" % (rc, want_rc), tail)
    for n in names:
        check(re.search(n, out), "the error does not name %r" % n, tail)
    after = final_state(sim)
    for k, v in written(before).items():
        check(written(after)[k] == v, "%s changed: something was written" % k, v, written(after)[k])
    record_outcome("bad input", tidy(what), setup, "refused", tidy(
        "%s, error names %s; option bytes, flash hashes and flash counters unchanged"
        % ("exit status %d" % rc if want_rc else "a Tcl error from the command",
           ", ".join(repr(n.replace("\\", "")) for n in names))))


def tidy(text):
    """docs/faults.md is compared between runs: no temporary or checkout paths in its rows."""
    text = text.replace(FIX, "<fixtures>")
    return re.sub(re.escape(tempfile.gettempdir()) + r"/[^\s'\",]*/([^\s'\",/]+)", r"<tmp>/\1", text)


# ---- unbrick / diagnose arguments -------------------------------------------------------------------------

def case_unbrick_args(flags, names, sim_text=H743, cfg="recovery/h743.cfg", setup="H743, RDP 0x55"):
    with Sim(sim_text, name="args") as sim:
        before = sim.state()
        rc, out = ocd(sim, "unbrick " + flags, files=[cfg], timeout=120)
        refused(sim, before, rc, out, REFUSED, names, "unbrick %s" % flags, setup)


def case_diagnose_args():
    with Sim(H743, name="diag") as sim:
        before = sim.state()
        rc, out = ocd(sim, "diagnose -dry-run", "shutdown", files=["recovery/h743.cfg"], timeout=120)
        # diagnose has no exit status of its own (docs/exit-status.md): OpenOCD's 1 for a failed -c.
        refused(sim, before, rc, out, 1, [r"diagnose: unknown or incomplete option '-dry-run'", r"usage"],
                "diagnose -dry-run (an unbrick option)", "H743, RDP 0x55")


# ---- backup directory -------------------------------------------------------------------------------------

def case_backup(kind):
    with Sim(H743, name="backup") as sim:
        if kind == "missing parent":
            path = os.path.join(sim.dir, "no-such-parent", "backup")
        elif kind == "a regular file":
            path = os.path.join(sim.dir, "backup-file")
            open(path, "w").write("not a directory\n")
        elif os.geteuid() == 0:
            # root ignores modes: a directory nobody can create anything in, whatever the user.
            path = "/proc/stm32unbrick-backup"
        else:
            parent = os.path.join(sim.dir, "read-only")
            os.mkdir(parent, 0o500)
            path = os.path.join(parent, "backup")
        before = sim.state()
        rc, out = ocd(sim, "unbrick -timeout 10 -backup %s" % path, files=["recovery/h743.cfg"], timeout=120)
        check(not os.path.isdir(path), "unbrick created %s" % path)
        refused(sim, before, rc, out, REFUSED, [re.escape(path)], "unbrick -backup: %s" % kind, "H743, RDP 0x55")


def case_backup_parent_exists():
    """The other side of the rule: a new directory whose parent exists is created and used."""
    with Sim(H743, name="backupok") as sim:
        path = os.path.join(sim.dir, "new-backup")
        rc, out = ocd(sim, "unbrick -timeout 10 -dry-run -backup %s" % path, files=["recovery/h743.cfg"])
        check(rc == 0, "exit status %s" % rc, out[-2000:])


# ---- a part other than the script's ----------------------------------------------------------------------

def case_wrong_part(sim_text, cfg, names, setup):
    with Sim(sim_text, name="part") as sim:
        before = sim.state()
        backup = os.path.join(sim.dir, "backup")
        rc, out = ocd(sim, "unbrick -timeout 10 -backup %s" % backup, files=[cfg], timeout=600)
        check("nothing was written" in out, "does not say nothing was written", out[-2000:])
        refused(sim, before, rc, out, REFUSED, names, "%s on an %s" % (cfg, setup.split(",")[0]), setup)


# ---- module commands ---------------------------------------------------------------------------------------

def case_module(fam, sim_text, command, names, setup):
    """One module command in a session that loaded and bridged the module and identified the chip; the
    command must return an error (Tcl status 1) whose message names the bad input."""
    target, chip = TARGETS[fam]
    with Sim(sim_text, name="module") as sim:
        before = sim.state()
        rc, out = ocd(sim, "init", "source [find stm32unbrick/module.tcl]", "stm32unbrick_load",
                      "stm32unbrick_attach_bridge %s" % chip, "stm32unbrick %s identify" % fam,
                      "set rc [catch {%s} msg]; echo \"RESULT $rc: $msg\"" % command, "shutdown", files=[target])
        m = re.search(r"^RESULT (\d+): (.*)$", out, re.M)
        check(m and m.group(1) == "1", "the command did not return an error", out[-2000:])
        refused(sim, before, rc, m.group(2), 0, names, command, setup)


def module_cases(tap):
    pw, empty = os.path.join(FIX, "password.bin"), EMPTY
    h7, h5, h5c = ("h7", H743, "H743, RDP 0x55"), ("h5", H563_OPEN, "H563, Open"), \
        ("h5", H563_CLOSED, "H563, Closed, password provisioned")
    for (fam, text, setup), cmd, names in (
            (h7, "stm32unbrick h7 options_set {RDP}", [r"options_set", r"\{FIELD VALUE", r"1 elements"]),
            (h7, "stm32unbrick h7 options_set {NO_SUCH_FIELD 1}", [r"NO_SUCH_FIELD", r"does not exist"]),
            (h7, "stm32unbrick h7 options_set {RDP 0x1CC}", [r"RDP", r"0x1cc", r"8 bits"]),
            (h7, "stm32unbrick h7 options_set {BOR_LEV 7}", [r"BOR_LEV", r"0x7", r"2 bits"]),
            (h7, "stm32unbrick h7 options_set {RDP zz}", [r"RDP", r"'zz' is not a number"]),
            (h7, "stm32unbrick h7 options_set {RDP 0xCC}", [r"RDP 0xCC", r"irreversible"]),
            (h7, "stm32unbrick h7 options_set {BOR_LEV 1 RDP 0xCC}", [r"RDP 0xCC", r"irreversible"]),
            (h7, "stm32unbrick h7 options_set {RDP 0xBB} -timeout abc", [r"-timeout", r"'abc'"]),
            (h7, "stm32unbrick h7 options_set {RDP 0xBB} extra", [r"unknown option 'extra'"]),
            (h7, "stm32unbrick h7 erase 3", [r"erase", r"bank 3"]),
            (h7, "stm32unbrick mem read 0 zz", [r"mem read", r"ADDR 'zz'"]),
            (h7, "stm32unbrick mem read 0 0x08000000 0", [r"mem read", r"COUNT 0"]),
            (h5, "stm32unbrick h5 options_set PRODUCT_STATE 0x5C", [r"PRODUCT_STATE", r"product_state"]),
            (h5, "stm32unbrick h5 options_set BOR_LEV", [r"options_set FIELD VALUE"]),
            (h5, "stm32unbrick h5 options_set BOR_LEV 7", [r"BOR_LEV", r"2 bits"]),
            (h5, "stm32unbrick h5 product_state Closed", [r"Open -> Closed", r"skips Provisioning"]),
            (h5, "stm32unbrick h5 product_state Bogus", [r"'Bogus' is not a product state"]),
            (h5c, "stm32unbrick da regress", [r"da regress -password FILE \| -cert FILE -key FILE"]),
            (h5c, "stm32unbrick da regress -password /nonexistent/pw.bin", [r"/nonexistent/pw\.bin",
                                                                            r"cannot open"]),
            (h5c, "stm32unbrick da regress -password %s" % empty, [re.escape(empty), r"0 bytes"]),
            (h5c, "stm32unbrick da regress -password %s" % FIX, [re.escape(FIX), r"not a regular file"]),
            (h5c, "stm32unbrick da regress -cert %s" % os.path.join(FIX, "chain.pem"), [r"-cert needs -key"]),
            (h5c, "stm32unbrick da regress -password %s -cert %s -key %s" % (pw, pw, pw), [r"-password", r"-cert"]),
            (h5, "stm32unbrick h5 da_provision -password %s" % empty, [re.escape(empty), r"0 bytes"])):
        tap.case("%s (%s): refused, nothing written" % (cmd.replace(FIX, "<fixtures>"), setup), case_module,
                 fam, text, cmd, names, setup)


# ---- stm32sim scenario files -------------------------------------------------------------------------------

def case_scenario(what, content, names):
    """stm32sim refuses a malformed scenario with status 2 and a message naming file:line; no chip starts."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "bad.scn")
        with open(path, "wb") as f:
            f.write(content.replace(b"@DIR@", d.encode()))
        proc = subprocess.run([STM32SIM, "--scenario", path, "--unix", os.path.join(d, "s"),
                               "--state", os.path.join(d, "state.json")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        err = proc.stderr.decode(errors="replace")
        check(proc.returncode == 2, "exit status %s, want 2 (negative: killed by a signal)" % proc.returncode,
              err[-2000:])
        check(b"listening" not in proc.stdout, "the simulator started anyway")
        check(not os.path.exists(os.path.join(d, "state.json")), "a state file was written")
        for n in names:
            check(re.search(n.replace("@FILE@", re.escape(path)), err), "message does not name %r" % n, err[-2000:])
    record_outcome("bad input", "stm32sim scenario: %s" % what, "simulator start", "refused",
                   "exit status 2, message names %s; no chip started, no state written" % ", ".join(names))


SCENARIOS = (
    ("unknown key", b"part = stm32h743zi\nflash.fil = 0x08000000 32 erased\n", [r"@FILE@:2", r"flash\.fil"]),
    ("duplicate option field", b"part = stm32h743zi\nRDP = 0x55\nRDP = 0xAA\n", [r"@FILE@:3", r"RDP", r"twice"]),
    ("duplicate part", b"part = stm32h743zi\npart = stm32h563zi\n", [r"@FILE@:2", r"part"]),
    ("bad number", b"part = stm32h743zi\nRDP = 0xZZ\n", [r"@FILE@:2", r"RDP", r"0xZZ"]),
    ("bad duration", b"part = stm32h743zi\noperator.step = srst_held 1q -> power_cycle 300ms\n",
     [r"@FILE@:2", r"duration", r"1q"]),
    ("operator.step garbage", b"part = stm32h743zi\noperator.step = garbage\n", [r"@FILE@:2", r"operator\.step"]),
    ("flash.load of a missing file", b"part = stm32h743zi\nflash.load = 0x08000000 @DIR@/none.bin\n",
     [r"@FILE@:2", r"flash\.load", r"none\.bin"]),
    ("flash.load of a directory", b"part = stm32h743zi\nflash.load = 0x08000000 @DIR@\n",
     [r"@FILE@:2", r"flash\.load"]),
    ("binary garbage with NUL bytes", b"part = stm32h743zi\n" + bytes(range(256)) * 4, [r"@FILE@", r"NUL"]),
    ("binary garbage without NUL bytes", b"part = stm32h743zi\n" + bytes(range(0x80, 0x100)) * 4 + b"\n",
     [r"@FILE@:2"]),
    ("a line of 1,000,000 characters", b"part = stm32h743zi\nRDP = " + b"5" * 1000000 + b"\n",
     [r"@FILE@:2", r"RDP", r"too long"]),
    ("a file over 1 MiB", b"part = stm32h743zi\n# " + b"x" * (1 << 20) + b"\n", [r"@FILE@", r"larger than"]),
    ("empty file", b"", [r"@FILE@", r"part.*required"]),
)


# ---- unit tests with fakes: unknown DEV_ID, hostile ADAC responses --------------------------------------

UNIT_ROWS = {
    "test_unknown_chip": (
        "fake OpenOCD (testing/tests/unit/test_unknown_chip.c)", {
            "h7_identify_refuses_dev_id_0x413": "DBGMCU DEV_ID 0x413 (an STM32F4) behind the H7 scripts",
            "h5_identify_refuses_dev_id_0x413": "DBGMCU DEV_ID 0x413 (an STM32F4) behind the H5 scripts",
            "attach_refuses_dev_id_0x000": "DBGMCU_IDCODE with DEV_ID 0x000",
            "attach_refuses_all_ones": "DBGMCU_IDCODE reading 0xFFFFFFFF (nothing behind the AP)"}),
    "test_adac": (
        "unit test, no chip (testing/tests/unit/test_adac.c)", {
            "response_decodes_and_rejects_hostile_headers":
                "ADAC response: data_count beyond the words received or the buffer, unknown status, reserved bits",
            "header_check_bounds_transport_reads": "ADAC header announcing more than 1024 words",
            "tlv_hostile_lengths": "ADAC TLV: length overflowing the packet, 0xFFFFFFFx wrap, truncated header",
            "discovery_rejects_bad_fields": "ADAC discovery: malformed TLV contents"}),
    "test_da_host": (
        "unit test, fake mailbox (testing/tests/unit/test_da_host.c)", {
            "test_hostile_responses": "ADAC mailbox: unknown status, 1 M-word count, more words than announced",
            "test_receive_timeout_mid_response": "ADAC mailbox: truncated response (bounded wait, names word)",
            "test_send_timeout_names_step_register_and_value":
                "ADAC mailbox never ready (bounded wait, names step, register, value)",
            "test_entry_timeout_names_register_and_value": "DA entry never acknowledged (bounded wait)"}),
}


def case_unit(binary):
    setup, rows = UNIT_ROWS[binary]
    path = os.path.join(TOP_BUILDDIR, "testing", "tests", "unit", binary)
    check(os.access(path, os.X_OK), "%s not built (make check builds it)" % path)
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP")
    proc = subprocess.run([path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300, env=env)
    check(proc.returncode == 0, "%s failed" % binary, proc.stdout[-3000:])
    for name, what in rows.items():
        check(re.search(r"^ok \d+ - %s$" % name, proc.stdout, re.M), "%s did not pass %s" % (binary, name),
              proc.stdout[-3000:])
        record_outcome("bad input", what, setup, "refused", "%s: %s passed" % (binary, name))


def main():
    tap = Tap()
    for flags, names in (("-bogus", [r"unknown or incomplete option '-bogus'", r"usage: unbrick"]),
                         ("-timeout", [r"'-timeout'", r"usage: unbrick"]),
                         ("-timeout abc", [r"-timeout wants seconds", r"'abc'"]),
                         ("-timeout -1", [r"-timeout wants seconds", r"'-1'"]),
                         ("-timeout 1e9", [r"-timeout wants seconds", r"'1e9'"]),
                         ("-timeout 0", [r"-timeout wants seconds", r"'0'"]),
                         ("-backup", [r"'-backup'", r"usage: unbrick"]),
                         ("-dry-run extra", [r"'extra'", r"usage: unbrick"]),
                         ("-exit maybe", [r"-exit", r"'maybe'"]),
                         ("-password %s" % os.path.join(FIX, "password.bin"), [r"-password", r"STM32H5 only"]),
                         ("-partial", [r"-partial", r"STM32H5 only"])):
        tap.case("unbrick %s: refused (status 2), nothing written" % flags.replace(FIX, "<fixtures>"),
                 case_unbrick_args, flags, names)
    for flags, names in (("-password /nonexistent/pw.bin", [r"-password /nonexistent/pw\.bin", r"not a readable"]),
                         ("-password %s" % FIX, [r"-password " + re.escape(FIX), r"not a readable file"]),
                         ("-password %s" % EMPTY, [r"-password " + re.escape(EMPTY), r"0 bytes", r"4\.\.16"]),
                         ("-password %s" % LONG, [r"-password " + re.escape(LONG), r"17 bytes", r"4\.\.16"]),
                         ("-cert %s" % os.path.join(FIX, "chain.pem"), [r"-cert and -key go together"]),
                         ("-partial -password %s" % os.path.join(FIX, "password.bin"), [r"-partial needs -cert"])):
        tap.case("unbrick %s on an H563: refused (status 2), nothing written" % flags.replace(FIX, "<fixtures>"),
                 case_unbrick_args, flags, names, H563_CLOSED, "recovery/h563.cfg", "H563, Closed")
    tap.case("diagnose with an unbrick option: refused, nothing written", case_diagnose_args)
    for kind in ("missing parent", "unwritable directory", "a regular file"):
        tap.case("unbrick -backup, %s: refused before any write, path named" % kind, case_backup, kind)
    tap.case("unbrick -backup DIR whose parent exists: created", case_backup_parent_exists)
    tap.case("recovery/h743.cfg on an H745: refused, nothing written", case_wrong_part,
             "part = stm32h745zi\nRDP = 0x55\n", "recovery/h743.cfg", [r"H743", r"dual-core"], "H745, RDP 0x55")
    tap.case("recovery/h563.cfg on an H533: refused, nothing written", case_wrong_part,
             "part = stm32h533re\nTZEN = 0xC3\nPRODUCT_STATE = 0x17\n", "recovery/h563.cfg",
             [r"H563", r"0x484", r"0x478"], "H533, Provisioning")
    tap.case("recovery/h743.cfg on an H563: refused, nothing written", case_wrong_part, H563_CLOSED,
             "recovery/h743.cfg", [r"H743", r"STM32H56x"], "H563, Closed")
    module_cases(tap)
    for what, content, names in SCENARIOS:
        tap.case("stm32sim scenario, %s: status 2, no chip" % what, case_scenario, what, content, names)
    for binary in UNIT_ROWS:
        tap.case("%s: every hostile-input case passes" % binary, case_unit, binary)
    shutil.rmtree(SCRATCH, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
