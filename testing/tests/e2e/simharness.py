"""End-to-end test harness: a simulated chip, the real command line, TAP output.

Every end-to-end test runs the program a user runs (stock `openocd`, our
scripts, `gdb-multiarch`) against testing/sim/stm32sim and then asserts on the
simulator's state JSON, i.e. on what the chip holds, not on what the tool says.

Only the Python standard library is used (Debian's python3).
"""

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

TOP_SRCDIR = os.path.abspath(os.environ.get(
    "top_srcdir", os.path.join(os.path.dirname(__file__), "..", "..", "..")))
TOP_BUILDDIR = os.path.abspath(os.environ.get("top_builddir", TOP_SRCDIR))
OPENOCD = os.environ.get("OPENOCD", "openocd")
GDB = os.environ.get("GDB_MULTIARCH", "gdb-multiarch")
# STM32SIM_BIN runs the tests against another simulator binary (e.g. one built
# outside the tree); by default the one in the build tree.
STM32SIM = os.environ.get("STM32SIM_BIN") or os.path.join(TOP_BUILDDIR, "testing", "sim", "stm32sim")

# Sanitizer builds (scripts/check-sanitizers) set STM32UNBRICK_SANITIZER_LOGS.  Each
# test script then gets a directory there that collects what the programs it starts
# report: ASan/LSan write their reports into it (log_path); UBSan, which in gcc's
# combined ASan+UBSan runtime ignores log_path and only prints "runtime error:" on
# stderr, is caught in copies of stderr: OpenOCD's (scripts/openocd-asan tees it into
# STM32UNBRICK_SANITIZER_REPORT_DIR) and stm32sim's (Sim.stop).  Tap.case fails the
# case during which a report appeared, whatever the programs' exit statuses were.
SANITIZER_LOGS = None
SANITIZER_MARKS = ("runtime error:", "ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                   "ERROR: UndefinedBehaviorSanitizer")
if os.environ.get("STM32UNBRICK_SANITIZER_LOGS"):
    SANITIZER_LOGS = os.path.join(os.path.abspath(os.environ["STM32UNBRICK_SANITIZER_LOGS"]),
                                  os.path.splitext(os.path.basename(sys.argv[0]))[0])
    shutil.rmtree(SANITIZER_LOGS, ignore_errors=True)
    os.makedirs(SANITIZER_LOGS)
    os.environ["STM32UNBRICK_SANITIZER_REPORT_DIR"] = SANITIZER_LOGS
    for _var in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
        _opts = [o for o in os.environ.get(_var, "").split(":") if o]
        os.environ[_var] = ":".join(_opts + ["log_path=" + os.path.join(SANITIZER_LOGS, "report")])


def keep_if_sanitizer_output(path, name):
    """Copy a program's stderr into the report directory if a sanitizer spoke in it."""
    if SANITIZER_LOGS is None:
        return
    with open(path, errors="replace") as f:
        text = f.read()
    if any(mark in text for mark in SANITIZER_MARKS):
        with open(os.path.join(SANITIZER_LOGS, name), "w") as f:
            f.write(text)


def new_sanitizer_reports(seen, last=False):
    """Reports written since the last call (their names are added to `seen`).  A
    stderr copy without a sanitizer message is ordinary output (so far: a program
    may still be writing it); the last call removes those."""
    if SANITIZER_LOGS is None:
        return []
    reports = []
    for name in sorted(os.listdir(SANITIZER_LOGS)):
        if name in seen:
            continue
        path = os.path.join(SANITIZER_LOGS, name)
        with open(path, errors="replace") as f:
            text = f.read()
        if "-stderr." in name and not any(mark in text for mark in SANITIZER_MARKS):
            if last:
                os.unlink(path)
            continue
        seen.add(name)
        reports.append("sanitizer report %s:\n%s" % (name, sanitizer_excerpt(text)))
    return reports


def sanitizer_excerpt(text, before=3, most=60):
    """The report itself, not the whole program output around it."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if any(m in line for m in SANITIZER_MARKS)), 0)
    start = max(0, first - before)
    return "\n".join(lines[start:start + most])


def stock_scripts_dir():
    """Stock OpenOCD's own scripts, found without our -s directories, so that a
    test can name a stock file even where ours shadows it."""
    for d in ("/usr/share/openocd/scripts", "/usr/local/share/openocd/scripts"):
        if os.path.isfile(os.path.join(d, "target", "stm32h7x.cfg")):
            return d
    raise TestFailure("stock OpenOCD scripts not found (install the Debian package openocd)")


# Simulated busy times are scaled by this in tests: a 1.1 s sector erase takes
# 11 ms of wall time.  OpenOCD still sees a chip that is busy for a while.
DEFAULT_TIME_SCALE = 0.01


class TestFailure(AssertionError):
    pass


def check(condition, message, *details):
    """Assert with a message; extra details are printed as TAP diagnostics."""
    if not condition:
        raise TestFailure("\n".join([message] + [str(d) for d in details]))


def script_dirs():
    """OpenOCD search directories: build tree first (generated files), then sources."""
    return [os.path.join(TOP_BUILDDIR, "tcl"), os.path.join(TOP_SRCDIR, "tcl")]


class Sim:
    """One simulated board: a running stm32sim process and its state file."""

    def __init__(self, scenario_text=None, time_scale=DEFAULT_TIME_SCALE, name="sim", scenario_file=None):
        """A scenario given as text (written to a private directory), or a file
        of testing/scenarios/ used in place (its relative paths resolve there)."""
        self.dir = tempfile.mkdtemp(prefix="stm32sim-%s-" % name)
        if scenario_file is not None:
            self.scenario = os.path.join(TOP_SRCDIR, "testing", "scenarios", scenario_file)
        else:
            self.scenario = os.path.join(self.dir, "scenario.txt")
            with open(self.scenario, "w") as f:
                f.write(scenario_text)
        self.socket = os.path.join(self.dir, "rbb.sock")
        self.state_path = os.path.join(self.dir, "state.json")
        self.log_path = os.path.join(self.dir, "stm32sim.log")
        self.time_scale = time_scale
        self.proc = None

    def start(self, timeout=10.0):
        if not os.access(STM32SIM, os.X_OK):
            raise TestFailure("simulator not built: %s" % STM32SIM)
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [STM32SIM, "--scenario", self.scenario, "--unix", self.socket,
             "--state", self.state_path, "--time-scale", repr(self.time_scale)],
            stdout=subprocess.PIPE, stderr=self._log, text=True)
        deadline = time.monotonic() + timeout
        line = self.proc.stdout.readline()
        if not line.startswith("listening on"):
            self.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            raise TestFailure("stm32sim did not start (exit %s): %r\n%s"
                              % (self.proc.returncode, line, self.log_tail()))
        return self

    def stop(self):
        """SIGTERM: the simulator writes its state and exits with status 0."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise TestFailure("stm32sim ignored SIGTERM")
        rc = self.proc.returncode
        self.proc.stdout.close()
        self._log.close()
        keep_if_sanitizer_output(self.log_path, "stm32sim-stderr.%d" % self.proc.pid)
        self.proc = None
        return rc

    def state(self):
        with open(self.state_path) as f:
            return json.load(f)

    def _state_id(self):
        try:
            st = os.stat(self.state_path)
            return (st.st_ino, st.st_mtime_ns)
        except FileNotFoundError:
            return None

    def wait_state_after(self, before, timeout=60.0):
        """The simulator rewrites its state file after each probe session."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            now = self._state_id()
            if now is not None and now != before:
                return self.state()
            time.sleep(0.01)
        raise TestFailure("stm32sim did not write its state after the session\n" + self.log_tail())

    def env(self):
        """Environment for programs that talk to this simulator (interface/stm32sim.cfg reads it)."""
        env = dict(os.environ)
        env["STM32SIM_SOCKET"] = self.socket
        return env

    def log_tail(self, lines=30):
        try:
            with open(self.log_path) as f:
                return "stm32sim log:\n" + "".join(f.readlines()[-lines:])
        except OSError:
            return "(no simulator log)"

    def cleanup(self):
        if self.proc is not None:
            try:
                self.stop()
            except TestFailure:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()
        return False


class Run:
    def __init__(self, argv, rc, output, state):
        self.argv, self.rc, self.output, self.state = argv, rc, output, state

    def tail(self, lines=40):
        return "$ %s\n(exit %s)\n%s" % (" ".join(self.argv), self.rc,
                                        "\n".join(self.output.splitlines()[-lines:]))


def openocd(sim, *commands, files=(), pre=(), timeout=300, extra_dirs=()):
    """Run stock OpenOCD against `sim` and return its exit status, output and
    the simulator state written after the session.

    files: -f arguments after the simulator adapter; pre: -c commands before
    them (e.g. "set WORKAREASIZE 0"); commands: -c commands after them."""
    argv = [OPENOCD]
    for d in list(extra_dirs) + script_dirs():
        argv += ["-s", d]
    # Tests run in parallel: no listening servers, which would collide on ports.
    argv += ["-c", "gdb_port disabled", "-c", "tcl_port disabled", "-c", "telnet_port disabled"]
    argv += ["-f", "interface/stm32sim.cfg"]
    for c in pre:
        argv += ["-c", c]
    for f in files:
        argv += ["-f", f]
    for c in commands:
        argv += ["-c", c]
    before = sim._state_id()
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=timeout, env=sim.env())
    state = sim.wait_state_after(before)
    return Run(argv, proc.returncode, proc.stdout, state)


# Evidence for docs/faults.md (issue 5): every fault and bad input a test tries,
# with its outcome, is recorded here by the test itself once its checks have
# passed; testing/tests/e2e/test_faults_doc.py turns the records into the table
# and fails when the committed docs/faults.md differs from it.
OUTCOMES_DIR = os.path.join(TOP_BUILDDIR, "testing", "tests", "outcomes")
OUTCOMES = ("recovered", "refused", "reported")
_outcomes_started = False


def record_outcome(kind, what, setup, outcome, evidence):
    """kind: "fault" or "bad input"; what: the fault or input tried; setup: the
    chip and its state (e.g. "H743, RDP 0x55"); outcome: recovered (a rerun
    finished the job), refused (nothing written) or reported (a clear error and
    the chip no worse); evidence: what the test checked on the chip."""
    global _outcomes_started
    check(kind in ("fault", "bad input") and outcome in OUTCOMES, "record_outcome: bad row", kind, outcome)
    module = os.path.splitext(os.path.basename(sys.argv[0]))[0]
    if not module.startswith("test_"):
        return  # a case run on its own by some other script: its rows are not the test module's
    path = os.path.join(OUTCOMES_DIR, module + ".jsonl")
    os.makedirs(OUTCOMES_DIR, exist_ok=True)
    with open(path, "a" if _outcomes_started else "w") as f:
        f.write(json.dumps({"kind": kind, "what": what, "setup": setup, "outcome": outcome,
                            "evidence": evidence}) + "\n")
    _outcomes_started = True


def random_image(size, seed):
    rng = random.Random(seed)
    return bytes(rng.getrandbits(8) for _ in range(size))


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class Tap:
    """Minimal TAP producer: one `ok`/`not ok` line per case, plan at the end."""

    def __init__(self):
        self.n = 0
        self.failed = 0
        self.reports_seen = set()

    def case(self, name, fn, *args):
        self.n += 1
        t0 = time.monotonic()
        try:
            fn(*args)
            reports = new_sanitizer_reports(self.reports_seen)
            check(not reports, "a program reported a sanitizer error", *reports)
        except Exception as e:  # every failure is reported, never swallowed
            self.failed += 1
            print("not ok %d - %s" % (self.n, name))
            text = str(e) if isinstance(e, TestFailure) else traceback.format_exc()
            for report in new_sanitizer_reports(self.reports_seen):
                text += "\n" + report
            for line in text.splitlines():
                print("# " + line)
        else:
            print("ok %d - %s # %.1fs" % (self.n, name, time.monotonic() - t0))
        sys.stdout.flush()

    def skip(self, name, reason):
        """TAP "ok N - name # SKIP reason": the case did not run, and says why."""
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, name, reason))
        sys.stdout.flush()

    def bail(self, reason):
        print("Bail out! %s" % reason)
        sys.stdout.flush()
        sys.exit(1)

    def done(self):
        if SANITIZER_LOGS is not None:
            def no_late_reports():
                reports = new_sanitizer_reports(self.reports_seen, last=True)
                check(not reports, "a program reported a sanitizer error", *reports)
            self.case("no sanitizer report outside the cases", no_late_reports)
        print("1..%d" % self.n)
        sys.stdout.flush()
        return 1 if self.failed else 0
