#!/usr/bin/env python3
"""The documentation against the code (issue 7 section 2).

(a) doc/stm32unbrick.7 names every `stm32unbrick ...` subcommand of the module's
    command tables (src/**/*.c, the `{ "group", "name", "usage", ...}` rows) with
    that usage string, every recovery command with each of its options, and the
    helper procs users type;
(b) stock OpenOCD's `help`, with recovery/h743.cfg and recovery/h563.cfg loaded
    against the simulator, lists all of them with a help text, and the usage it
    shows is the tables' usage;
(c) every error line the issue lists has a section in docs/symptoms.md, with
    an index row pointing at it and a command that fixes it, and the man page's
    SYMPTOMS section lists it too;
(d) both man pages render without groff warnings.
"""

import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import TOP_SRCDIR, Sim, Tap, check, openocd  # noqa: E402

MAN7 = os.path.join(TOP_SRCDIR, "doc", "stm32unbrick.7")
MAN1 = os.path.join(TOP_SRCDIR, "doc", "stm32sim.1")
SYMPTOMS = os.path.join(TOP_SRCDIR, "docs", "symptoms.md")
RECOVERY_TCL = os.path.join(TOP_SRCDIR, "tcl", "recovery", "recovery.tcl")
H7_TCL = os.path.join(TOP_SRCDIR, "tcl", "recovery", "h7.tcl")

# The commands recovery/*.cfg defines for people, and the helpers README.md has them type.
RECOVERY_PROCS = ("diagnose", "unbrick", "factory_options")
HELPER_PROCS = ("stm32unbrick_load", "stm32unbrick_attach_bridge")

# The issue's list of error lines; each tuple: the words a section heading must contain.
ISSUE_LINES = (
    ("Error: No STM32 target found",),
    ("Target is not responding, retrying...",),
    ("Read Memory Error",),
    ("Failed to read DAP register for AP 0",),
    ("Expected value for Option Byte PRODUCT_STATE",),
    ("Mass erase operation failed",),
    ("DFU", "bank 2"),
)

HELP_RUNS = (
    ("recovery/h743.cfg", "part = stm32h743zi\nrev = V\nboard.supply = ldo\n"),
    ("recovery/h563.cfg", "part = stm32h563zi\n"),
)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def squash(text):
    return " ".join(text.split())


# ---- the command tables ----------------------------------------------------------------

TABLE_RE = re.compile(r"\bub_subcmd\s+(\w+)\s*\[\s*\]\s*=\s*\{(.*?)\n\s*\};", re.S)
TABLE_DECL_RE = re.compile(r"\bub_subcmd\s+\w+\s*\[\s*\]\s*=")
ROW_RE = re.compile(r'\{\s*"([a-z0-9_]+)"\s*,\s*(?:NULL|"([a-z0-9_]+)")\s*,\s*"((?:[^"\\]|\\.)*)"\s*,'
                    r"\s*[\w()]+\s*,\s*[\w()]+\s*,\s*\w+\s*,?\s*\}")


def command_tables():
    """[(command words, usage, file)] for every row of every ub_subcmd table under src/."""
    commands = []
    for root, _dirs, files in os.walk(os.path.join(TOP_SRCDIR, "src")):
        for name in sorted(files):
            if not name.endswith(".c"):
                continue
            path = os.path.join(root, name)
            text = re.sub(r"/\*.*?\*/", "", read(path), flags=re.S)
            tables = TABLE_RE.findall(text)
            check(len(tables) == len(TABLE_DECL_RE.findall(text)),
                  "%s: a ub_subcmd table this test cannot parse" % path)
            for table, body in tables:
                rows = ROW_RE.findall(body)
                opened = len(re.findall(r'\{\s*"', body))
                check(rows and len(rows) == opened,
                      "%s: table %s has %d rows, %d parsed" % (path, table, opened, len(rows)))
                for group, sub, usage in rows:
                    words = "stm32unbrick %s%s" % (group, " " + sub if sub else "")
                    commands.append((words, usage, os.path.relpath(path, TOP_SRCDIR)))
    check(any(c[0] == "stm32unbrick version" for c in commands),
          "no `stm32unbrick version` row found: the table parser is broken", commands[:5])
    return commands


def proc_options():
    """{proc: [options]} from the option specs recovery.tcl and h7.tcl parse."""
    text = read(RECOVERY_TCL)
    opts = {}
    for proc in ("diagnose", "unbrick"):
        m = re.search(r"stm32unbrick_parse_args %s \$args \{([^}]*)\}" % proc, text)
        check(m, "recovery.tcl: no option spec for %s" % proc)
        opts[proc] = re.findall(r"(?<!\S)(-[a-z][a-z-]*)", m.group(1))
        check(opts[proc], "recovery.tcl: empty option spec for %s" % proc)
    m = re.search(r'usage: factory_options ([^"]*)"', read(H7_TCL))
    check(m, "h7.tcl: no usage message for factory_options")
    opts["factory_options"] = re.findall(r"(-[a-z][a-z-]*)", m.group(1))
    return opts


# ---- the man page as a reader sees it -----------------------------------------------------

def deroff(src):
    """Plain text of a man page for systems without groff: enough for the macros ours use."""
    out = []
    for line in src.splitlines():
        if line.startswith('.\\"'):
            continue
        m = re.match(r"\.([A-Za-z]+)\s*(.*)", line)
        if not m:
            out.append(line)
            continue
        macro, rest = m.groups()
        args = [a[1:-1] if a.startswith('"') else a for a in re.findall(r'"[^"]*"|\S+', rest)]
        if macro in ("B", "I", "SH", "SS"):
            out.append(" ".join(args))
        elif macro in ("BR", "RB", "IR", "RI", "BI", "IB"):
            out.append("".join(args))
    text = "\n".join(out)
    text = re.sub(r"\\f(\[[A-Z]*\]|[A-Z])", "", text)
    for esc, ch in (("\\(dq", '"'), ("\\-", "-"), ("\\&", ""), ("\\e", "\\")):
        text = text.replace(esc, ch)
    return text


def man_text(path):
    """The rendered page on one long line per paragraph (no wrapping, so no hyphenation)."""
    if shutil.which("groff"):
        proc = subprocess.run(["groff", "-man", "-Tascii", "-P-cbou", "-rLL=4000n", path],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
        check(proc.returncode == 0, "groff could not render %s" % path, proc.stderr)
        return proc.stdout
    return deroff(read(path))


def section(text, start, end):
    i = text.find(start)
    check(i >= 0, "man page: no '%s'" % start)
    j = text.find(end, i + len(start))
    return text[i:j if j >= 0 else len(text)]


def case_man_lists_subcommands():
    text = squash(man_text(MAN7))
    missing = [("%s %s" % (words, usage)).strip() + "   (" + where + ")"
               for words, usage, where in command_tables()
               if squash("%s %s" % (words, usage)) not in text]
    check(not missing, "doc/stm32unbrick.7 lacks these subcommands with their table usage:", *missing)


def case_man_lists_recovery_commands():
    rendered = man_text(MAN7)
    recovery = squash(section(rendered, "Recovery commands", "Module commands"))
    missing = []
    for proc, options in sorted(proc_options().items()):
        if not re.search(r"(^| )%s \?" % re.escape(proc), recovery):
            missing.append("%s: no entry" % proc)
        missing += ["%s: option %s" % (proc, o) for o in options
                    if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(o), recovery)]
    text = squash(rendered)
    missing += ["helper %s" % p for p in HELPER_PROCS if p not in text]
    check(not missing, "doc/stm32unbrick.7 (COMMANDS) misses:", *missing)


# ---- OpenOCD's help -----------------------------------------------------------------------

def help_entries(output, names):
    """{name: (usage, help text)} for the entries of `help` output that start with one of
    `names`.  OpenOCD prints an entry as the command and its usage (continuation lines 10
    columns deeper), then the help text 6 columns deeper than the command."""
    lines = output.splitlines()
    found = {}
    by_length = sorted(names, key=len, reverse=True)
    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        name = next((n for n in by_length if body == n or body.startswith(n + " ")), None)
        if name is None or indent > 4 or name in found:
            continue
        usage = [body[len(name):]]
        k = i + 1
        while k < len(lines) and len(lines[k]) - len(lines[k].lstrip(" ")) >= indent + 8:
            usage.append(lines[k])
            k += 1
        text = []
        while k < len(lines) and len(lines[k]) - len(lines[k].lstrip(" ")) == indent + 6:
            text.append(lines[k])
            k += 1
        # OpenOCD appends the command mode it could find, e.g. "(command valid any time)".
        words = re.sub(r"\((command valid [^)]*|configuration command|exec command|\?mode error\?)\)\s*$", "",
                       squash(" ".join(text)))
        found[name] = (squash(" ".join(usage)), words.strip())
    return found


_help_cache = {}


def help_output(cfg, scenario, load_first):
    """`help` of stock OpenOCD with `cfg` loaded and the simulator behind it; with load_first,
    after `stm32unbrick_load`, as the recovery commands leave it."""
    key = (cfg, load_first)
    if key not in _help_cache:
        commands = ["init"] + (["stm32unbrick_load"] if load_first else []) + ["help", "shutdown"]
        with Sim(scenario, name="docs-help") as sim:
            run = openocd(sim, *commands, files=[cfg], timeout=120)
        check(run.rc == 0, "openocd with %s failed" % cfg, run.tail())
        check(re.search(r"^\s*shutdown\b", run.output, re.M), "no help output", run.tail())
        _help_cache[key] = run.output
    return _help_cache[key]


def all_command_names():
    return [c[0] for c in command_tables()] + list(RECOVERY_PROCS)


def missing_from_help(output, names):
    entries = help_entries(output, names)
    return [n for n in names if n not in entries or not entries[n][1]]


def case_help_as_typed(cfg, scenario):
    """What `openocd -f <cfg> -c help` shows someone who has not run anything yet."""
    missing = missing_from_help(help_output(cfg, scenario, False), all_command_names())
    check(not missing, "`help` after -f %s lacks (or has no help text for) %d commands:" % (cfg, len(missing)),
          *missing)


def case_help_once_loaded(cfg, scenario):
    missing = missing_from_help(help_output(cfg, scenario, True), all_command_names())
    check(not missing, "`help` after -f %s and stm32unbrick_load lacks (or has no help text for):" % cfg,
          *missing)


def case_help_helpers(cfg, scenario):
    missing = missing_from_help(help_output(cfg, scenario, True), list(HELPER_PROCS))
    check(not missing, "`help` after -f %s lacks the helper procs README.md has people type:" % cfg, *missing)


def case_help_usage(cfg, scenario):
    names = all_command_names()
    entries = help_entries(help_output(cfg, scenario, True), names)
    wrong = []
    for words, usage, where in command_tables():
        if words in entries and entries[words][0] != squash(usage):
            wrong.append("%s: help shows '%s', %s has '%s'" % (words, entries[words][0], where, usage))
    for proc in RECOVERY_PROCS:
        if proc in entries and entries[proc][0].split()[:1] == [proc]:
            wrong.append("%s: usage text repeats the command name: '%s %s'" % (proc, proc, entries[proc][0]))
    check(not wrong, "`help` usage differs from the command tables (after -f %s):" % cfg, *wrong)


# ---- docs/symptoms.md ----------------------------------------------------------------------

def symptom_sections():
    """[(anchor or None, heading text, body)] for the level-2 sections of docs/symptoms.md."""
    text = read(SYMPTOMS)
    parts = re.split(r"^## ", text, flags=re.M)
    sections = []
    for i, part in enumerate(parts[1:], start=1):
        heading, _, body = part.partition("\n")
        anchor = re.search(r'<a id="([^"]+)"></a>\s*$', parts[i - 1])
        sections.append((anchor.group(1) if anchor else None, heading, body))
    return text, sections


def plain(s):
    return squash(s.replace('"', "").replace("`", ""))


def case_symptom_sections():
    text, sections = symptom_sections()
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', text))
    dangling = sorted(set(re.findall(r"\]\(#([^)]+)\)", text)) - anchors)
    problems = ["link to #%s, which no anchor defines" % a for a in dangling]
    index = text.split("\n## ", 2)[1] if "\n## Index" in text else ""
    index_rows = [r for r in index.splitlines() if r.startswith("|")]
    for keys in ISSUE_LINES:
        what = " + ".join(keys)
        hits = [s for s in sections if all(k in plain(s[1]) for k in keys)]
        if not hits:
            problems.append("no section whose heading has: %s" % what)
            continue
        anchor, heading, body = hits[0]
        if anchor is None:
            problems.append("section '%s' has no <a id> anchor" % heading)
        elif not any(all(k in plain(r) for k in keys) and "(#%s)" % anchor in r for r in index_rows):
            problems.append("no index row for '%s' pointing to #%s" % (what, anchor))
        if not re.search(r"```sh\n(?:.*\n)*?openocd ", body):
            problems.append("section '%s' has no openocd command block" % heading)
    check(not problems, "docs/symptoms.md:", *problems)


def case_man_symptoms():
    symptoms = plain(section(man_text(MAN7), "SYMPTOMS", "EXIT STATUS"))
    missing = [" + ".join(k) for k in ISSUE_LINES if not all(w in symptoms for w in k)]
    check(not missing, "doc/stm32unbrick.7 SYMPTOMS lacks:", *missing)


# ---- groff --------------------------------------------------------------------------------

def case_groff_clean(path):
    proc = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", path],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    check(proc.returncode == 0 and not proc.stderr.strip(),
          "groff -man -Tutf8 -ww -z %s: exit %d" % (os.path.relpath(path, TOP_SRCDIR), proc.returncode),
          proc.stderr)


def main():
    tap = Tap()
    tap.case("man page: every stm32unbrick subcommand with its table usage", case_man_lists_subcommands)
    tap.case("man page: diagnose, unbrick, factory_options with every option; helper procs",
             case_man_lists_recovery_commands)
    for cfg, scenario in HELP_RUNS:
        tap.case("help after -f %s (module not loaded yet): every command" % cfg, case_help_as_typed, cfg, scenario)
        tap.case("help after -f %s and stm32unbrick_load: every command" % cfg, case_help_once_loaded, cfg, scenario)
        tap.case("help after -f %s: stm32unbrick_load, stm32unbrick_attach_bridge" % cfg, case_help_helpers,
                 cfg, scenario)
        tap.case("help after -f %s: usage strings are the command tables'" % cfg, case_help_usage, cfg, scenario)
    tap.case("docs/symptoms.md: a section, an index row and a command for each error line of the issue",
             case_symptom_sections)
    tap.case("man page: SYMPTOMS lists each error line of the issue", case_man_symptoms)
    for path in (MAN7, MAN1):
        name = "groff -ww: %s renders without warnings" % os.path.relpath(path, TOP_SRCDIR)
        if shutil.which("groff"):
            tap.case(name, case_groff_clean, path)
        else:
            tap.skip(name, "groff not installed")
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
