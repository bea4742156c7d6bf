"""What report.py and training_report.py share (standard library only; see README.md next to this file):
the command line, reading the BenchmarkDotNet exports and the PyTorch JSON files, formatting times and
tables, counting targets, the common lines of the report, and rewriting one marked region of RESULTS.md.
"""
import argparse
import glob
import json
import os
import sys

OK, MISS = "✓", "✗"


# ---------------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------------

def argument_parser(description, torch_script, results_required):
    """The options both reports take; `torch_script` names the script whose output --torch reads."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--bdn", help="folder with BenchmarkDotNet JSON exports (searched recursively)")
    p.add_argument("--torch", action="append", help="%s output; repeat per thread count" % torch_script)
    p.add_argument("--torch-note", help="why PyTorch was not measured (when no --torch file is given)")
    p.add_argument("--results", required=results_required,
                   help="markdown file to update (e.g. benchmarks/RESULTS.md)")
    p.add_argument("--quick", action="store_true", help="label the section as a quick (smoke) run")
    p.add_argument("--seconds", type=float, help="how long the whole run took (for the text)")
    p.add_argument("--stdout", action="store_true", help="print the section instead of writing --results")
    return p


def publish(prog, args, built, splice):
    """Prints the section (--stdout) or writes it with splice(path, body), then the warnings (stderr).
    `built` is what build() returned: (body, warnings, tally, files)."""
    body, warnings, tally, files = built
    if args.stdout:
        print(body)
    else:
        splice(args.results, body)
        print("%s: %d BenchmarkDotNet export(s), %d torch file(s); targets met %d of %d; wrote %s"
              % (prog, len(files), len(args.torch or []), tally.hit, tally.hit + len(tally.missed), args.results))
    for x in warnings:
        print("%s: warning: %s" % (prog, x), file=sys.stderr)
    return 0


# ---------------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------------

def parse_parameters(text):
    """'Op=Add&Length=1000&Threads=1' -> {'Op': 'Add', 'Length': '1000', 'Threads': '1'}."""
    out = {}
    for part in (text or "").split("&"):
        if "=" in part:
            key, value = part.split("=", 1)
            out[key.strip()] = value.strip()
    return out


def intval(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def load_exports(folder, warnings):
    """The BenchmarkDotNet JSON exports (*-report-full.json or *-report-full-compressed.json) under `folder`,
    searched recursively: (files, host info of the last one, [benchmark]). Only benchmarks with statistics
    are kept; each without, and each file that cannot be read, adds a warning."""
    files = sorted(set(glob.glob(os.path.join(folder, "**", "*-report-full.json"), recursive=True)) |
                   set(glob.glob(os.path.join(folder, "**", "*-report-full-compressed.json"), recursive=True)))
    host, benchmarks = {}, []
    for path in files:
        try:
            with open(path, encoding="utf-8-sig") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            warnings.append("could not read %s: %s" % (path, e))
            continue
        host = doc.get("HostEnvironmentInfo") or host
        for b in doc.get("Benchmarks") or []:
            stats = b.get("Statistics")
            if not stats or stats.get("Median") is None:
                warnings.append("no statistics (the benchmark failed?) for %s" % b.get("FullName"))
                continue
            benchmarks.append(b)
    return files, host, benchmarks


def load_torch(paths, warnings, failure_note):
    """{threads: torch JSON document}; each failure the documents list adds the warning
    "torch N thread(s) <failure_note>: <failure>"."""
    out = {}
    for path in paths:
        try:
            with open(path) as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            warnings.append("could not read %s: %s" % (path, e))
            continue
        out[int(doc["threads"])] = doc
        for failure in doc.get("failures", []):
            warnings.append("torch %d thread(s) %s: %s" % (doc["threads"], failure_note, failure))
    return out


# ---------------------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------------------

def sig3(v):
    a = abs(v)
    if a >= 100:
        return "%.0f" % v
    if a >= 10:
        return "%.1f" % v
    return "%.2f" % v


def fmt_time(ns):
    if ns is None:
        return "—"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return "%s %s" % (sig3(ns / scale), unit)
    return "%s ns" % sig3(ns)


def table(headers, rows, right):
    """Aligned markdown table; `right` is the set of column indexes to right-align."""
    cells = [list(map(str, headers))] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, r in enumerate(cells):
        padded = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))]
        lines.append("| " + " | ".join(padded) + " |")
        if n == 0:
            lines.append("|" + "|".join(("-" * (w + 1) + ":") if i in right else ("-" * (w + 2))
                                        for i, w in enumerate(widths)) + "|")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------------

def at_least(value, target):
    return value >= target


def at_most(value, target):
    return value <= target


def mark(value, target, meets=at_least):
    """'' when there is no target or no value, else ' ✓' or ' ✗'."""
    if target is None or value is None:
        return ""
    return " " + (OK if meets(value, target) else MISS)


class Tally:
    def __init__(self):
        self.hit, self.missed = 0, []

    def add(self, value, target, what, meets=at_least):
        """Counts one target; a target whose figure is missing is neither met nor missed."""
        if target is None or value is None:
            return
        if meets(value, target):
            self.hit += 1
        else:
            self.missed.append(what)


# ---------------------------------------------------------------------------------------------------
# Lines both reports print
# ---------------------------------------------------------------------------------------------------

def dotnet_lines(host, jobs, diagnosers=""):
    """The OS and AutoGrad-side lines of "Machine and software" (diagnosers: e.g. " with MemoryDiagnoser")."""
    lines = []
    if host.get("OsVersion"):
        lines.append("- OS: %s" % host["OsVersion"])
    if host:
        lines.append("- AutoGrad side: %s, SDK %s, BenchmarkDotNet %s%s%s" % (
            host.get("RuntimeVersion", "?"), host.get("DotNetCliVersion", "?"),
            host.get("BenchmarkDotNetVersion", "?"), diagnosers,
            "; job %s" % "; ".join("`%s`" % j for j in jobs) if jobs else ""))
    else:
        lines.append("- AutoGrad side: not measured (no BenchmarkDotNet JSON found)")
    return lines


def rerun_lines(command, artifacts, quick, seconds):
    """"To rerun" with `command`, and what this run was (quick, how long), each paragraph followed by ""."""
    lines = ["**To rerun** (from anywhere in the repository; BenchmarkDotNet JSON, torch JSON and logs go to the "
             "git-ignored `%s`):" % artifacts, "", "```sh", command, "```", ""]
    if quick or seconds:
        lines += ["This run%s%s." % (" used `--quick`" if quick else "",
                                     "%stook %.0f min" % (" and " if quick else " ", seconds / 60.0)
                                     if seconds else ""), ""]
    return lines


def tally_lines(tally):
    """"N of M targets met." and the list of misses."""
    total = tally.hit + len(tally.missed)
    if not total:
        return ["No target could be evaluated (a side is missing)."]
    lines = ["**%d of %d targets met.**%s" % (tally.hit, total, " Missed:" if tally.missed else "")]
    if tally.missed:
        lines.append("")
        lines += ["- %s" % m for m in tally.missed]
    return lines


def warning_lines(warnings):
    """The warnings paragraph (with the current directory taken out of paths), or nothing."""
    if not warnings:
        return []
    return (["**Warnings while building this report:**", ""] +
            ["- %s" % x.replace(os.getcwd() + os.sep, "") for x in warnings] + [""])


# ---------------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------------

def replace_region(path, begin, end, body, insert):
    """Rewrites the file `path` with the lines from `begin` to `end` (both included) replaced by begin, body
    and end. When the two markers are not both there, in that order, insert(text, region) gives the new
    text instead (text is "" when the file does not exist; region is begin, body and end)."""
    region = begin + "\n" + body + "\n" + end
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        text = ""
    b, e = text.find(begin), text.find(end)
    if b != -1 and e != -1 and e > b:
        # Replace from the start of the begin line to the end of the end line.
        start = text.rfind("\n", 0, b) + 1
        stop = text.find("\n", e)
        stop = len(text) if stop == -1 else stop
        new = text[:start] + region + text[stop:]
    else:
        new = insert(text, region)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(new)
    os.replace(tmp, path)
