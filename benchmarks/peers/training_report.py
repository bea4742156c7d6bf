#!/usr/bin/env python3
"""Writes the training-step section (AutoGrad vs PyTorch) of benchmarks/RESULTS.md.

Standard library only. Inputs:
  --bdn DIR      a folder searched recursively for BenchmarkDotNet JSON exports (*-report-full.json or
                 *-report-full-compressed.json) holding OpOverheadBenchmarks and TrainingStepBenchmarks results
                 (run with MemoryDiagnoser, so they carry the bytes allocated per operation); a run-info.json
                 that training.sh leaves in DIR says whether that run was quick, when it finished and how long
                 it took;
  --torch FILE   a torch_training.py output (repeat it, one per thread count; optional);
  --results MD   the file to update: only the region between the lines <!-- training:begin --> and
                 <!-- training:end --> is replaced. When the markers are missing, they are inserted, under the
                 heading "## Training steps against PyTorch (issue 5)", after the line <!-- peers:end --> (or at
                 the end of the file).
`--self-check` builds the report from fabricated figures, one set meeting every target and one missing each,
and checks the marks and the count (exit status 0 when the ✓/✗ logic works).
See README.md next to this file for what is measured and how to read the tables.
"""
import argparse
import datetime
import json
import os
import shutil
import sys
import tempfile

from report_common import (MISS, OK, Tally, argument_parser, at_least, at_most, dotnet_lines, fmt_time, intval,
                           load_exports, load_torch, mark, parse_parameters, publish, replace_region, rerun_lines,
                           sig3, table, tally_lines, warning_lines)

BEGIN = "<!-- training:begin -->"
END = "<!-- training:end -->"
AFTER = "<!-- peers:end -->"
HEADING = "## Training steps against PyTorch (issue 5)"
RERUN = "bash benchmarks/peers/training.sh"

OP_TYPE, STEP_TYPE = "OpOverheadBenchmarks", "TrainingStepBenchmarks"
OPS = ["RecordAddScalar", "RecordAdd", "ThreeOpForwardBackward"]
STEPS = ["HandCodedNeuronStep", "NeuronStep", "MlpStep"]
THREADS = [1, 2]

# Targets (issue 5).
OP_NS_TARGET = 50.0          # a recorded op on a one-element tensor (RecordAdd), ns, at most
STEP_RATIO_TARGET = {"NeuronStep": 100.0, "MlpStep": 1.5}   # PyTorch time / AutoGrad time, at least
STEP_BYTES_TARGET = 1024     # bytes allocated per step (NeuronStep, MlpStep), at most
SAME_RUN_SECONDS = 3600      # sides measured further apart than this get a warning


# ---------------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------------

def load_bdn(folder, warnings):
    """All benchmarks of all exports under `folder`: (files, host info, job names, [row], run info)."""
    files, host, benchmarks = load_exports(folder, warnings)
    jobs, rows = set(), []
    for b in benchmarks:
        display = b.get("DisplayInfo") or ""
        if ": " in display:
            job = display.split(": ", 1)[1]
            jobs.add(job.rsplit(" [", 1)[0] if job.endswith("]") else job)
        memory = b.get("Memory") or {}
        rows.append({"type": b.get("Type"), "method": b.get("Method"),
                     "params": parse_parameters(b.get("Parameters")),
                     "median": float(b["Statistics"]["Median"]),
                     "bytes": memory.get("BytesAllocatedPerOperation")})
    info = {}
    info_path = os.path.join(folder, "run-info.json")
    if os.path.exists(info_path):
        try:
            with open(info_path) as f:
                info = json.load(f)
        except (OSError, ValueError) as e:
            warnings.append("could not read %s: %s" % (info_path, e))
    return files, host, sorted(jobs), rows, info


def cpuinfo(path="/proc/cpuinfo"):
    """(model name, logical CPUs, physical cores) of this machine, None for what cannot be read."""
    model, logical, cores = None, 0, set()
    physical = core = None
    try:
        with open(path) as f:
            for line in f:
                key, _, value = line.partition(":")
                key, value = key.strip(), value.strip()
                if key == "processor":
                    logical += 1
                elif key == "model name" and model is None:
                    model = value
                elif key == "physical id":
                    physical = value
                elif key == "core id":
                    core = value
                elif not key and physical is not None and core is not None:  # blank line ends a processor
                    cores.add((physical, core))
                    physical = core = None
    except OSError:
        return None, None, None
    if physical is not None and core is not None:
        cores.add((physical, core))
    return model, logical or None, len(cores) or None


def parse_utc(text):
    try:
        return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------------------

def fmt_ratio(v):
    return "—" if v is None else sig3(v) + "×"


def fmt_bytes(v):
    return "—" if v is None else "{:,} B".format(int(round(v)))


# ---------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------

def build(args):
    warnings = []
    files, host, jobs, bdn, info = load_bdn(args.bdn, warnings) if args.bdn else ([], {}, [], [], {})
    torch = load_torch(args.torch or [], warnings, "check failed (that case is not timed)")

    # AutoGrad side: (method, threads) -> (median ns, bytes per op); threads None for OpOverheadBenchmarks.
    ag = {}
    for e in bdn:
        typ, method = e["type"], e["method"]
        if typ == OP_TYPE and method in OPS:
            key = (method, None)
        elif typ == STEP_TYPE and method in STEPS:
            key = (method, intval(e["params"].get("Threads")))
        else:
            continue
        if key in ag:
            warnings.append("%s%s measured more than once (several jobs or exports); the fastest median is used"
                            % (method, "" if key[1] is None else " at %d thread(s)" % key[1]))
            if ag[key][0] <= e["median"]:
                continue
        ag[key] = (e["median"], e["bytes"])
    if bdn and not ag:
        warnings.append("the BenchmarkDotNet exports hold no %s or %s results" % (OP_TYPE, STEP_TYPE))
    # PyTorch side: (name, threads) -> median ns.
    pt = {}
    for threads, doc in torch.items():
        for c in doc.get("cases", []):
            pt[(c["name"], threads)] = c["median_ns"]

    torch_note = None if torch else "not measured (%s)" % (args.torch_note or "torch absent")
    any_torch = torch[min(torch)] if torch else {}
    quick_sides = [side for side, quick in (("AutoGrad", info.get("quick")),
                                            ("PyTorch", any(d.get("timing", {}).get("quick") for d in torch.values())))
                   if quick]
    quick = bool(args.quick or quick_sides)

    out = []
    w = out.append
    now = datetime.datetime.now(datetime.timezone.utc)
    w("_This section is generated by `benchmarks/peers/training_report.py`; edit the scripts, not the text._")
    w("")
    w("**Date:** %s (UTC)%s" % (
        now.strftime("%Y-%m-%d %H:%M"),
        "  \n**Quick run** (`--quick`%s): few, short samples; a smoke test, not figures to quote."
        % (", " + " and ".join(quick_sides) + " side" + ("s" if len(quick_sides) > 1 else "") if quick_sides else "")
        if quick else ""))
    w("")
    w("**Machine and software:**")
    w("")
    model, logical, physical = cpuinfo()
    model = model or host.get("ProcessorName") or any_torch.get("cpu") or "unknown"
    logical = logical or host.get("LogicalCoreCount") or any_torch.get("logical_cpus")
    physical = physical or host.get("PhysicalCoreCount")
    cores = " / ".join(x for x in ("%s physical" % physical if physical else "",
                                  "%s logical cores" % logical if logical else "") if x)
    w("- CPU: `%s`%s (from `/proc/cpuinfo`)" % (model, ", " + cores if cores else ""))
    out.extend(dotnet_lines(host, jobs, " with MemoryDiagnoser"))
    if torch:
        zero_grad = any_torch.get("zero_grad_set_to_none_default")
        w("- PyTorch side: torch %s (Python %s), float32 on the CPU; BLAS %s; threads set per run "
          "(`torch.set_num_threads` and OpenBLAS's own pool); `optimizer.zero_grad()` with its default "
          "(`set_to_none=%s`)" % (any_torch.get("torch"), any_torch.get("python", "?"),
                                  (any_torch.get("blas_library") or "?").rsplit(", ", 1)[0], zero_grad))
        for t, doc in sorted(torch.items()):
            if len(doc.get("wait_policies_measured", [])) < 2:
                continue
            both = ["`%s` %s with the default wait policy, %s passive" % (
                c["name"], fmt_time(c["by_wait_policy"].get(doc["wait_policies_measured"][0])),
                fmt_time(c["by_wait_policy"].get("PASSIVE")))
                for c in doc.get("cases", []) if c["name"] == "MlpStep" and c.get("by_wait_policy")]
            w("  At %d threads every case was timed twice, with the environment's OpenMP wait policy and with "
              "`OMP_WAIT_POLICY=PASSIVE` (spinning OpenMP workers fight OpenBLAS's threads for the cores); each row "
              "keeps PyTorch's faster figure%s." % (t, " (%s)" % "; ".join(both) if both else ""))
    else:
        w("- PyTorch side: %s" % torch_note)
    when = []
    ag_time = parse_utc(info.get("finished_utc"))
    if ag_time:
        when.append("AutoGrad %s" % ag_time.strftime("%Y-%m-%d %H:%M"))
    pt_times = sorted(t for t in (parse_utc(d.get("date_utc")) for d in torch.values()) if t)
    if pt_times:
        when.append("PyTorch %s" % pt_times[0].strftime("%Y-%m-%d %H:%M"))
    if when:
        w("- Measured (UTC): %s" % ", ".join(when))
    stamps = ([ag_time] if ag_time else []) + pt_times
    if ag and torch and len(stamps) > 1 and (max(stamps) - min(stamps)).total_seconds() > SAME_RUN_SECONDS:
        warnings.append("the two sides were measured %.1f hours apart (an earlier run's results were reused with "
                        "--skip-dotnet or --skip-torch): the ratios do not come from one run; rerun both sides"
                        % ((max(stamps) - min(stamps)).total_seconds() / 3600.0))
    w("")
    out.extend(rerun_lines(RERUN, "benchmarks/BenchmarkDotNet.Artifacts/peers/training/", args.quick, args.seconds))
    w("Times are medians per call (BenchmarkDotNet's median over its iterations; for PyTorch the median over "
      "samples of a repeated call, timed with `time.perf_counter_ns`). The two sides run one after the other, "
      "never together. **Ratio = PyTorch time / AutoGrad time** (above 1, AutoGrad is faster). Allocated = "
      "managed bytes allocated per call, from BenchmarkDotNet's MemoryDiagnoser (AutoGrad only).")
    w("")

    tally = Tally()
    absent = []   # targets that could not be evaluated
    pt_head = "PyTorch" if torch else "PyTorch: %s" % torch_note
    ratio_head = "Ratio" if torch else "Ratio (PyTorch absent)"

    # 1. Per-op overhead.
    op_threads = 1 if 1 in torch else (min(torch) if torch else None)
    w("### Per-op overhead on one-element tensors (`OpOverheadBenchmarks`)")
    w("")
    w("`RecordAddScalar`: `x + 1` (the scalar operand is made per call); `RecordAdd`: `x.Add(y)` with `y` a tensor "
      "that does not require a gradient; `ThreeOpForwardBackward`: `relu(x·w + b)` then `Backward` (gradients "
      "accumulate across calls on both sides). `x`, `w` and `b` are one-element float32 tensors that require a "
      "gradient. PyTorch: the same expressions%s. Target: a recorded op costs at most %d ns (`RecordAdd`; "
      "`RecordAddScalar` is shown against the same bound but not counted)."
      % (" at %d thread%s" % (op_threads, "" if op_threads == 1 else "s") if op_threads else "", OP_NS_TARGET))
    w("")
    rows = []
    for op in OPS:
        a_ns, a_bytes = ag.get((op, None), (None, None))
        p_ns = pt.get((op, op_threads))
        ratio = p_ns / a_ns if a_ns and p_ns else None
        if op == "RecordAdd":
            bound = "%s%s" % ("≤ %d ns" % OP_NS_TARGET, mark(a_ns, OP_NS_TARGET, at_most))
            if a_ns is None:
                absent.append("RecordAdd ≤ %d ns (no AutoGrad figure)" % OP_NS_TARGET)
            tally.add(a_ns, OP_NS_TARGET, "RecordAdd: %s > %d ns" % (fmt_time(a_ns), OP_NS_TARGET), at_most)
        elif op == "RecordAddScalar" and a_ns is not None:
            bound = "(%s %d ns; not counted)" % ("≤" if a_ns <= OP_NS_TARGET else ">", OP_NS_TARGET)
        else:
            bound = "—"
        rows.append([op, fmt_time(a_ns), fmt_bytes(a_bytes), fmt_time(p_ns), fmt_ratio(ratio), bound])
    w(table(["Case", "AutoGrad", "Allocated", pt_head, ratio_head, "Target"], rows, {1, 2, 3, 4}))
    w("")

    # 2. Training steps.
    w("### Training steps (`TrainingStepBenchmarks`)")
    w("")
    w("One SGD step (lr 10⁻³): forward, loss, backward, update, zeroing the gradients. `NeuronStep`: "
      "`mse(relu(x·wᵀ + b), y)` with w [1, 3], b [1], x [1, 3], y [1, 1] (PyTorch: `F.mse_loss(F.relu(F.linear(x, "
      "w, b)), y)`); `HandCodedNeuronStep`: the same step written by hand in plain C#, the floor no framework can "
      "beat (no PyTorch counterpart); `MlpStep`: Linear(784, 128) → ReLU → Linear(128, 10), cross-entropy against "
      "64 integer labels, a batch of 64 uniform [0, 1) images. Targets: ratio ≥ %s× for `NeuronStep` and ≥ %s× for "
      "`MlpStep` at each thread count; at most %s allocated per step for both."
      % (sig3(STEP_RATIO_TARGET["NeuronStep"]), sig3(STEP_RATIO_TARGET["MlpStep"]), fmt_bytes(STEP_BYTES_TARGET)))
    w("")
    thread_counts = sorted(set(THREADS) | {t for (_, t) in ag if t is not None} | set(torch))
    floor_notes = []
    for t in thread_counts:
        rows = []
        for step in STEPS:
            a_ns, a_bytes = ag.get((step, t), (None, None))
            p_ns = pt.get((step, t))
            ratio = p_ns / a_ns if a_ns and p_ns else None
            rt = STEP_RATIO_TARGET.get(step)
            bt = STEP_BYTES_TARGET if step in STEP_RATIO_TARGET else None
            label = "%s, %d thread%s" % (step, t, "" if t == 1 else "s")
            if rt is not None:
                if ratio is None:
                    absent.append("%s: ratio ≥ %s× (%s)" % (label, sig3(rt), "no AutoGrad figure" if p_ns else
                                                             "no PyTorch figure"))
                if a_bytes is None:
                    absent.append("%s: ≤ %s per step (no AutoGrad figure)" % (label, fmt_bytes(bt)))
            tally.add(ratio, rt, "%s: ratio %s < %s×" % (label, fmt_ratio(ratio), sig3(rt or 0)), at_least)
            tally.add(a_bytes, bt, "%s: %s allocated per step > %s" % (label, fmt_bytes(a_bytes), fmt_bytes(bt or 0)),
                      at_most)
            if step == "HandCodedNeuronStep":
                p_cell, r_cell = "—", "—"
            else:
                p_cell, r_cell = fmt_time(p_ns), fmt_ratio(ratio) + mark(ratio, rt, at_least)
            if a_ns is None and p_ns is None and step == "HandCodedNeuronStep":
                continue
            rows.append([step, fmt_time(a_ns), fmt_bytes(a_bytes) + mark(a_bytes, bt, at_most), p_cell, r_cell])
        hand, neuron = ag.get(("HandCodedNeuronStep", t)), ag.get(("NeuronStep", t))
        if hand and neuron and hand[0]:
            floor_notes.append("%d thread%s: %s× (%s against %s)" % (t, "" if t == 1 else "s",
                                                                      sig3(neuron[0] / hand[0]), fmt_time(neuron[0]),
                                                                      fmt_time(hand[0])))
        w("**%d thread%s**" % (t, "" if t == 1 else "s"))
        w("")
        w(table(["Step", "AutoGrad", "Allocated per step", pt_head, ratio_head], rows, {1, 2, 3, 4}))
        w("")
    if floor_notes:
        w("`NeuronStep` against the hand-coded floor (AutoGrad time / `HandCodedNeuronStep` time; no target): %s."
          % "; ".join(floor_notes))
        w("")

    # 3. Targets.
    w("### Targets")
    w("")
    w("%s = target met, %s = missed (only figures with a target are marked):" % (OK, MISS))
    w("")
    w("- a recorded op on a one-element tensor (`RecordAdd`) ≤ %d ns;" % OP_NS_TARGET)
    w("- `NeuronStep` ratio ≥ %s× and `MlpStep` ratio ≥ %s×, at 1 and at 2 threads;"
      % (sig3(STEP_RATIO_TARGET["NeuronStep"]), sig3(STEP_RATIO_TARGET["MlpStep"])))
    w("- at most %s allocated per step (`NeuronStep`, `MlpStep`, at each thread count)." % fmt_bytes(STEP_BYTES_TARGET))
    w("")
    out.extend(tally_lines(tally))
    if absent:
        w("")
        w("Not evaluated (%s): %s." % ("PyTorch not measured" if not torch else "a figure is missing",
                                       "; ".join(absent)))
    w("")
    out.extend(warning_lines(warnings))
    return "\n".join(out).rstrip("\n"), warnings, tally, files


def splice(path, body):
    """Replaces the region between the markers (both lines included); inserts it, under HEADING, after the
    peers section's end marker (or at the end of the file) when the markers are missing."""
    def insert(text, region):
        if BEGIN in text or END in text:
            raise SystemExit("training_report.py: only one of the markers %s / %s found in %s (or in the wrong "
                             "order); fix the file by hand" % (BEGIN, END, path))
        block = HEADING + "\n\n" + region + "\n"
        a = text.find(AFTER)
        if a != -1:
            stop = text.find("\n", a)
            stop = len(text) if stop == -1 else stop + 1
            return text[:stop] + "\n" + block + text[stop:]
        return text.rstrip("\n") + ("\n\n" if text.strip() else "") + block
    replace_region(path, BEGIN, END, body, insert)


# ---------------------------------------------------------------------------------------------------
# Self-check of the ✓/✗ logic on fabricated figures (never written to RESULTS.md)
# ---------------------------------------------------------------------------------------------------

def fabricate(folder, ag, pt, alloc):
    """Writes a BenchmarkDotNet-like export and torch files into `folder`; returns the torch file paths."""
    benchmarks = []
    for (method, threads), ns in ag.items():
        typ = OP_TYPE if threads is None else STEP_TYPE
        benchmarks.append({"Type": typ, "Method": method, "FullName": method,
                           "DisplayInfo": "%s.%s: Fake(IterationCount=1)%s" % (
                               typ, method, "" if threads is None else " [Threads=%d]" % threads),
                           "Parameters": "" if threads is None else "Threads=%d" % threads,
                           "Statistics": {"Median": ns, "Min": ns},
                           "Memory": {"BytesAllocatedPerOperation": alloc.get((method, threads), 0)}})
    with open(os.path.join(folder, "Fake-report-full-compressed.json"), "w") as f:
        json.dump({"HostEnvironmentInfo": {"RuntimeVersion": ".NET fake"}, "Benchmarks": benchmarks}, f)
    paths = []
    for t in THREADS:
        cases = [{"name": n, "median_ns": ns} for (n, tt), ns in pt.items() if tt == t]
        path = os.path.join(folder, "torch-%d.json" % t)
        with open(path, "w") as f:
            json.dump({"threads": t, "torch": "fake", "cases": cases}, f)
        paths.append(path)
    return paths


def self_check():
    # Passing figures: RecordAdd 40 ns; neuron 500 ns vs PyTorch 60 µs (120×); MLP 200 µs vs 400 µs (2×); 0 B.
    good_ag = {("RecordAddScalar", None): 45.0, ("RecordAdd", None): 40.0, ("ThreeOpForwardBackward", None): 300.0}
    good_pt = {("RecordAddScalar", 1): 3000.0, ("RecordAdd", 1): 2500.0, ("ThreeOpForwardBackward", 1): 20000.0}
    for t in THREADS:
        good_ag.update({("HandCodedNeuronStep", t): 5.0, ("NeuronStep", t): 500.0, ("MlpStep", t): 200e3})
        good_pt.update({("NeuronStep", t): 60e3, ("MlpStep", t): 400e3})
    # Each failing variant misses exactly one target, just over (or under) its bound.
    bad = [
        ("RecordAdd", None, {("RecordAdd", None): 50.5}, {}),
        ("NeuronStep ratio", 2, {("NeuronStep", 2): 60e3 / 99.0}, {}),
        ("MlpStep ratio", 1, {("MlpStep", 1): 400e3 / 1.49}, {}),
        ("MlpStep bytes", 2, {}, {("MlpStep", 2): 1025}),
        ("NeuronStep bytes", 1, {}, {("NeuronStep", 1): 4096}),
    ]
    problems = []

    def marks(body, sign):
        """How many table cells carry the mark `sign`."""
        return sum(line.count(" " + sign) for line in body.splitlines() if line.startswith("|"))

    def run(ag, pt, alloc, torch_files=True):
        folder = tempfile.mkdtemp(prefix="training-report-check-")
        try:
            paths = fabricate(folder, ag, pt, alloc)
            args = argparse.Namespace(bdn=folder, torch=paths if torch_files else [], torch_note=None,
                                      quick=False, seconds=None)
            return build(args)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    body, _, tally, _ = run(good_ag, good_pt, {("MlpStep", 1): 1024})
    if tally.missed or tally.hit != 9 or marks(body, MISS) or marks(body, OK) != 9:
        problems.append("all targets met: expected 9 of 9, nine %s and no %s in the tables, got %d met, missed %r"
                        % (OK, MISS, tally.hit, tally.missed))
    for what, _, ag_change, alloc_change in bad:
        ag = dict(good_ag)
        ag.update(ag_change)
        body, _, tally, _ = run(ag, good_pt, alloc_change)
        if len(tally.missed) != 1 or tally.hit != 8 or marks(body, MISS) != 1 or marks(body, OK) != 8:
            problems.append("%s missed: expected 8 of 9 and one %s in the tables, got %d met, missed %r, %d %s, %d %s"
                            % (what, MISS, tally.hit, tally.missed, marks(body, OK), OK, marks(body, MISS), MISS))
        elif what.split()[0] not in tally.missed[0]:
            problems.append("%s missed, but the miss listed is %r" % (what, tally.missed[0]))
    body, _, tally, _ = run(good_ag, good_pt, {}, torch_files=False)
    if tally.hit != 5 or tally.missed or "not measured (torch absent)" not in body:
        problems.append("torch absent: expected the 5 AutoGrad-only targets met and 'not measured (torch absent)', "
                        "got %d met, missed %r" % (tally.hit, tally.missed))
    for p in problems:
        print("training_report.py: self-check FAILED: " + p, file=sys.stderr)
    if not problems:
        print("training_report.py: self-check passed (%d fabricated reports: every target met, each of %d targets "
              "missed in turn, torch absent)" % (len(bad) + 2, len(bad)))
    return 1 if problems else 0


def main():
    p = argument_parser("Write the training-step section (AutoGrad vs PyTorch) of RESULTS.md.",
                        "torch_training.py", results_required=False)
    p.add_argument("--self-check", action="store_true", help="check the ✓/✗ logic on fabricated figures and exit")
    args = p.parse_args()
    if args.self_check:
        return self_check()
    if not args.stdout and not args.results:
        p.error("--results is required (or --stdout)")
    return publish("training_report.py", args, build(args), splice)


if __name__ == "__main__":
    sys.exit(main())
