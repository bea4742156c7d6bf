#!/usr/bin/env python3
"""Writes the side-by-side (AutoGrad vs PyTorch) section of benchmarks/RESULTS.md.

Standard library only. Inputs:
  --bdn DIR      a folder searched recursively for BenchmarkDotNet JSON exports (*-report-full.json or
                 *-report-full-compressed.json) holding ElementwisePeerBenchmarks.Elementwise,
                 GemmPeerBenchmarks.Gemm and MachineBenchmarks.FmaPeak / .MemoryBandwidth results;
  --torch FILE   a torch_kernels.py output (repeat it, one per thread count; optional);
  --results MD   the file to update: only the region between the lines <!-- peers:begin --> and
                 <!-- peers:end --> is replaced (appended at the end when the markers are missing).
See README.md next to this file for what is measured and how to read the tables.
"""
import argparse
import datetime
import glob
import json
import os
import sys

BEGIN = "<!-- peers:begin -->"
END = "<!-- peers:end -->"
RERUN = "bash benchmarks/peers/run.sh"

OPS = ["Add", "Multiply", "Relu", "ReluBackward", "Exp", "Sigmoid"]
# Bytes AutoGrad's kernel moves per element, counted as STREAM does (no write-allocate traffic). ReluBackward is
# 16, not 12: the benchmarked AutoGrad kernel accumulates, dx += (y > 0 ? dy : 0), so it reads y, dy and dx and
# writes dx. (PyTorch's threshold_backward overwrites: 12 bytes; it is timed as such, which favours PyTorch.)
BYTES_PER_ELEMENT = {"Add": 12, "Multiply": 12, "ReluBackward": 16, "Relu": 8, "Exp": 8, "Sigmoid": 8}
GEMM_ORDER = [("NN", s, s, s) for s in (64, 128, 256, 512, 1024)] + \
    [(mode, m, n, k) for (m, n, k) in ((64, 128, 784), (64, 10, 128)) for mode in ("NN", "TN", "NT")]
FMA_PEAK_FLOPS_PER_THREAD = 2 ** 30          # MachineBenchmarks.FmaPeak: flops per call per thread
BANDWIDTH_BYTES = 2 * 256 * 1024 * 1024      # MachineBenchmarks.MemoryBandwidth: bytes per call
OK, MISS = "✓", "✗"


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


def load_bdn(folder, warnings):
    """All benchmarks of all exports under `folder`: (files, host info, job names, [row], intrinsics)."""
    files = sorted(set(glob.glob(os.path.join(folder, "**", "*-report-full.json"), recursive=True)) |
                   set(glob.glob(os.path.join(folder, "**", "*-report-full-compressed.json"), recursive=True)))
    host, jobs, rows, intrinsics = {}, set(), [], None
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
            params = parse_parameters(b.get("Parameters"))
            display = b.get("DisplayInfo") or ""
            if ": " in display and " [" in display:
                jobs.add(display.split(": ", 1)[1].rsplit(" [", 1)[0])
            intrinsics = intrinsics or b.get("HardwareIntrinsics")
            rows.append({"type": b.get("Type"), "method": b.get("Method"), "params": params,
                         "median": float(stats["Median"]), "min": float(stats["Min"])})
    return files, host, sorted(jobs), rows, intrinsics


def load_torch(paths, warnings):
    """{threads: torch JSON document}."""
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
            warnings.append("torch %d thread(s) correctness failure: %s" % (doc["threads"], failure))
    return out


def intval(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def parse_shape(text):
    """'NN 64x64x64' -> ('NN', 64, 64, 64), or None."""
    try:
        mode, dims = text.split()
        m, n, k = (int(x) for x in dims.lower().split("x"))
        return mode.upper(), m, n, k
    except (AttributeError, ValueError):
        return None


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


def fmt_num(v):
    return "—" if v is None else sig3(v)


def fmt_pct(v):
    return "—" if v is None else "%.0f%%" % (100.0 * v)


def mark(value, target):
    """'' when there is no target or no value, else ' ✓' or ' ✗'."""
    if target is None or value is None:
        return ""
    return " " + (OK if value >= target else MISS)


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
# Report
# ---------------------------------------------------------------------------------------------------

class Tally:
    def __init__(self):
        self.hit, self.missed = 0, []

    def add(self, value, target, what):
        if target is None or value is None:
            return
        if value >= target:
            self.hit += 1
        else:
            self.missed.append(what)


def elementwise_targets(op, length, threads):
    """(ratio target, bandwidth fraction target) for one element-wise row; None = no target."""
    ratio = None
    if length == 1048576:
        ratio = 1.0
    if op in ("Exp", "Sigmoid") and length >= 65537:
        ratio = 2.0
    bandwidth = 0.9 if length == 16777216 else None
    return ratio, bandwidth


def gemm_target(shape, threads):
    mode, m, n, k = shape
    if threads == 1:
        return 1.0
    if threads == 2 and mode == "NN" and m == n == k and 256 <= m <= 1024:
        return 0.9
    return None


def build(args):
    warnings = []
    files, host, jobs, bdn, intrinsics = load_bdn(args.bdn, warnings) if args.bdn else ([], {}, [], {}, None)
    torch = load_torch(args.torch or [], warnings)

    # AutoGrad side, indexed by the parameters that matter for each method. Should a case appear more
    # than once (two jobs, several exports, or class-wide parameters a method ignores), keep the fastest.
    ew, gemm, fma, bw = {}, {}, {}, {}
    duplicates = {}

    def put(index, key, value, method):
        if key in index:
            duplicates[method] = duplicates.get(method, 0) + 1
            value = min(value, index[key])
        index[key] = value

    for e in bdn:
        p, typ, method = e["params"], e["type"], e["method"]
        threads = intval(p.get("Threads"))
        peer = (typ or "").endswith("PeerBenchmarks")  # ElementwisePeerBenchmarks, GemmPeerBenchmarks
        if peer and method == "Elementwise":
            put(ew, (p.get("Op"), intval(p.get("Length")), threads), e["median"], method)
        elif peer and method == "Gemm":
            shape = parse_shape(p.get("Shape"))
            if shape:
                put(gemm, (shape, threads), e["median"], method)
            else:
                warnings.append("unreadable Gemm Shape parameter %r" % p.get("Shape"))
        elif typ == "MachineBenchmarks" and method == "FmaPeak" and threads:
            put(fma, threads, e["median"], method)
        elif typ == "MachineBenchmarks" and method == "MemoryBandwidth" and threads:
            put(bw, threads, e["median"], method)
    for method, count in sorted(duplicates.items()):
        warnings.append("%s: %d case(s) measured more than once (several jobs or exports, or parameters the "
                        "method ignores); the fastest median is used" % (method, count))
    fma = {t: FMA_PEAK_FLOPS_PER_THREAD * t / ns for t, ns in fma.items()}
    bw = {t: BANDWIDTH_BYTES / ns for t, ns in bw.items()}
    # Sanity checks on the machine limits, which every "% of" figure depends on.
    for t in sorted(fma):
        if t > 1 and 1 in fma and fma[t] < 0.75 * t * fma[1]:
            warnings.append("MachineBenchmarks.FmaPeak does not scale: %s GFLOP/s at %d threads vs %s at 1 (did "
                            "the %d threads really run at once?); the %% of peak figures at %d threads are suspect"
                            % (sig3(fma[t]), t, sig3(fma[1]), t, t))
    for t in sorted(bw):
        if t > 1 and 1 in bw and bw[t] < 0.9 * bw[1]:
            warnings.append("MachineBenchmarks.MemoryBandwidth is lower at %d threads (%s GB/s) than at 1 (%s GB/s)"
                            % (t, sig3(bw[t]), sig3(bw[1])))
    # PyTorch side, indexed.
    tew, tgemm = {}, {}
    for threads, doc in torch.items():
        for r in doc.get("elementwise", []):
            tew[(r["op"], r["length"], threads)] = r["median_ns"]
        for r in doc.get("gemm", []):
            tgemm[((r["mode"], r["m"], r["n"], r["k"]), threads)] = r["median_ns"]

    big = ("NN", 1024, 1024, 1024)
    for t in sorted(torch):
        one, many = tgemm.get((big, 1)), tgemm.get((big, t))
        if t > 1 and one and many and one / many < 0.6 * t:
            warnings.append("PyTorch's 1024² SGEMM is only %.2f× faster at %d threads than at 1: was the machine "
                            "busy during the PyTorch run?" % (one / many, t))

    thread_counts = sorted(t for t in ({t for (_, _, t) in ew} | {t for (_, t) in gemm} | set(fma) | set(bw) |
                                       set(torch)) if t is not None)
    if not thread_counts:
        raise SystemExit("report.py: no *PeerBenchmarks/MachineBenchmarks results in %r and no torch results"
                         % args.bdn)
    torch_note = None if torch else "not measured (torch absent)"
    if args.torch_note and not torch:
        torch_note = "not measured (%s)" % args.torch_note

    any_torch = next(iter(torch.values()), {})
    out = []
    w = out.append
    now = datetime.datetime.now(datetime.timezone.utc)
    w("## AutoGrad vs PyTorch, side by side (`benchmarks/peers/`)")
    w("")
    w("_This section is generated by `benchmarks/peers/report.py`; edit the scripts, not the text._")
    w("")
    w("**Date:** %s (UTC)%s" % (now.strftime("%Y-%m-%d %H:%M"),
                                "  \n**Quick run** (`--quick`): few, short samples; a smoke test, not figures "
                                "to quote." if args.quick else ""))
    w("")
    w("**Machine and software:**")
    w("")
    cpu = host.get("ProcessorName") or any_torch.get("cpu") or "unknown"
    cores = ""
    if host.get("LogicalCoreCount"):
        cores = "%s physical / %s logical cores" % (host.get("PhysicalCoreCount", "?"), host["LogicalCoreCount"])
    elif any_torch.get("logical_cpus"):
        cores = "%s logical cores" % any_torch["logical_cpus"]
    w("- CPU: `%s`%s" % (cpu, ", " + cores if cores else ""))
    if host.get("OsVersion"):
        w("- OS: %s" % host["OsVersion"])
    if host:
        w("- AutoGrad side: %s, SDK %s, BenchmarkDotNet %s%s" % (
            host.get("RuntimeVersion", "?"), host.get("DotNetCliVersion", "?"),
            host.get("BenchmarkDotNetVersion", "?"),
            "; job %s" % "; ".join("`%s`" % j for j in jobs) if jobs else ""))
        if intrinsics:
            w("  (hardware intrinsics as BenchmarkDotNet reports them: `%s`)" % intrinsics)
    else:
        w("- AutoGrad side: not measured (no BenchmarkDotNet JSON found)")
    if torch:
        w("- PyTorch side: torch %s (Python %s); GEMM by %s; element-wise by ATen's %s-parallel kernels "
          "(default CPU capability %s); threads set per run (`torch.set_num_threads` and OpenBLAS's own pool)"
          % (any_torch.get("torch"), any_torch.get("python", "?"), any_torch.get("blas_library", "?"),
             any_torch.get("parallel_backend", "?"), any_torch.get("capability", "?")))
        if len(any_torch.get("capabilities_measured", [])) > 1:
            w("  Element-wise ops were timed with each CPU capability (`ATEN_CPU_CAPABILITY=%s`); every row keeps "
              "PyTorch's faster one." % "` and `".join(c.lower() for c in any_torch["capabilities_measured"]))
        w("  Every PyTorch call goes through Python and the ATen dispatcher: a 1-element `torch.add(out=)` costs "
          "%s, which dominates the smallest sizes." % fmt_time(any_torch.get("dispatch_overhead_ns")))
    else:
        w("- PyTorch side: %s" % torch_note)
    w("")
    w("**To rerun** (from anywhere in the repository; BenchmarkDotNet JSON, torch JSON and logs go to the "
      "git-ignored `benchmarks/BenchmarkDotNet.Artifacts/peers/`):")
    w("")
    w("```sh")
    w(RERUN)
    w("```")
    w("")
    if args.quick or args.seconds:
        w("This run%s%s." % (" used `--quick`" if args.quick else "",
                             "%stook %.0f min" % (" and " if args.quick else " ", args.seconds / 60.0)
                             if args.seconds else ""))
        w("")
    w("Times are medians per call (BenchmarkDotNet's median over its iterations; for PyTorch the median over "
      "samples of a repeated call). Both sides run one after the other, never together, with float32 "
      "contiguous inputs and preallocated outputs.")
    w("")

    # Machine limits.
    w("### Measured machine limits (`MachineBenchmarks`)")
    w("")
    rows = []
    for t in thread_counts:
        rows.append([t, fmt_num(fma.get(t)), fmt_num(bw.get(t))])
    w(table(["Threads", "FMA peak (GFLOP/s)", "Memory bandwidth (GB/s)"], rows, {0, 1, 2}))
    w("")
    w("FMA peak: %d float32 flops per call per thread (independent FMA chains in registers); bandwidth: "
      "%d bytes per call (read 256 MiB, write 256 MiB). GB = 10^9 bytes. The element-wise and GEMM tables "
      "below compare against these measured figures, at the same thread count."
      % (FMA_PEAK_FLOPS_PER_THREAD, BANDWIDTH_BYTES))
    w("")

    tally = Tally()
    pt_head = "PyTorch" if torch else "PyTorch: %s" % torch_note
    ratio_head = "Ratio" if torch else "Ratio (PyTorch absent)"

    # Element-wise.
    w("### Element-wise ops (`ElementwisePeerBenchmarks`)")
    w("")
    w("Ratio = PyTorch time / AutoGrad time (> 1: AutoGrad is faster). AutoGrad GB/s counts the bytes its "
      "kernel reads and writes per element: %d for Add and Multiply (two reads, one write), %d for Relu, Exp "
      "and Sigmoid (one read, one write), %d for ReluBackward, which accumulates (dx += y > 0 ? dy : 0 reads y, "
      "dy and dx and writes dx; PyTorch's `threshold_backward` overwrites dx, 12 bytes). "
      "%% of BW = AutoGrad GB/s / measured memory bandwidth; at the smaller lengths the data stays in cache, so "
      "it can exceed 100%%. Gelem/s = 10^9 elements per second."
      % (BYTES_PER_ELEMENT["Add"], BYTES_PER_ELEMENT["Exp"], BYTES_PER_ELEMENT["ReluBackward"]))
    w("")
    lengths = sorted(n for n in {k[1] for k in list(ew) + list(tew)} if n is not None)
    ops = [o for o in OPS if any(k[0] == o for k in list(ew) + list(tew))] + \
        sorted({k[0] for k in list(ew) + list(tew)} - set(OPS) - {None})
    for t in thread_counts:
        rows = []
        for op in ops:
            for n in lengths:
                ag, pt = ew.get((op, n, t)), tew.get((op, n, t))
                if ag is None and pt is None:
                    continue
                ratio = pt / ag if ag and pt else None
                gbs = BYTES_PER_ELEMENT.get(op, 0) * n / ag if ag and op in BYTES_PER_ELEMENT else None
                frac = gbs / bw[t] if gbs is not None and bw.get(t) else None
                rt, bt = elementwise_targets(op, n, t)
                tally.add(ratio, rt, "%s %d, %d thread(s): ratio %s < %s" % (op, n, t, fmt_num(ratio), rt))
                tally.add(frac, bt, "%s %d, %d thread(s): %s of bandwidth < %s"
                          % (op, n, t, fmt_pct(frac), fmt_pct(bt)))
                rows.append([op, n, fmt_time(ag), fmt_time(pt), fmt_num(ratio) + mark(ratio, rt),
                             fmt_num(gbs), fmt_pct(frac) + mark(frac, bt),
                             fmt_num(n / ag if ag else None)])
        if not rows:
            continue
        w("**%d thread%s**" % (t, "" if t == 1 else "s"))
        w("")
        w(table(["Op", "Length", "AutoGrad", pt_head, ratio_head, "AutoGrad GB/s", "% of BW", "AutoGrad Gelem/s"],
                rows, {1, 2, 3, 4, 5, 6, 7}))
        w("")

    # GEMM.
    w("### SGEMM, C = op(A)·op(B) (`GemmPeerBenchmarks`)")
    w("")
    w("Shape = mode m×n×k: NN is A[m×k]·B[k×n]; TN uses A stored [k×m] transposed; NT uses B stored [n×k] "
      "transposed (PyTorch: `torch.mm(..., out=)` on `.t()` views, no copies). GFLOP/s = 2·m·n·k / time. "
      "Ratio = PyTorch time / AutoGrad time. % of peak = AutoGrad GFLOP/s / measured FMA peak.")
    w("")
    shapes = [s for s in GEMM_ORDER if any(k[0] == s for k in list(gemm) + list(tgemm))] + \
        sorted({k[0] for k in list(gemm) + list(tgemm)} - set(GEMM_ORDER))
    for t in thread_counts:
        rows = []
        for shape in shapes:
            ag, pt = gemm.get((shape, t)), tgemm.get((shape, t))
            if ag is None and pt is None:
                continue
            mode, m, n, k = shape
            flops = 2.0 * m * n * k
            ratio = pt / ag if ag and pt else None
            gf = flops / ag if ag else None
            frac = gf / fma[t] if gf is not None and fma.get(t) else None
            if frac is not None and frac > 1.05:
                warnings.append("SGEMM %s %d×%d×%d at %d thread(s) runs at %s of the measured FMA peak: the peak "
                                "measurement is too low" % (mode, m, n, k, t, fmt_pct(frac)))
            target = gemm_target(shape, t)
            label = "%s %d×%d×%d" % (mode, m, n, k)
            tally.add(ratio, target, "SGEMM %s, %d thread(s): ratio %s < %s" % (label, t, fmt_num(ratio), target))
            rows.append([label, fmt_time(ag), fmt_num(gf), fmt_num(flops / pt if pt else None),
                         fmt_num(ratio) + mark(ratio, target), fmt_pct(frac)])
        if not rows:
            continue
        w("**%d thread%s**" % (t, "" if t == 1 else "s"))
        w("")
        w(table(["Shape", "AutoGrad", "AutoGrad GFLOP/s", "PyTorch GFLOP/s" if torch else pt_head,
                 ratio_head, "% of peak"], rows, {1, 2, 3, 4, 5}))
        w("")

    # Targets.
    w("### Targets")
    w("")
    w("%s = target met, %s = missed (only figures with a target are marked):" % (OK, MISS))
    w("")
    w("- SGEMM ratio ≥ 1.0 at every shape on 1 thread, and ≥ 0.9 on 2 threads for the 256–1024 squares;")
    w("- element-wise at 16,777,216 elements: ≥ 90% of the measured memory bandwidth;")
    w("- element-wise at 1,048,576 elements: ratio ≥ 1.0; Exp and Sigmoid: ratio ≥ 2 at every length ≥ 65,537.")
    w("")
    total = tally.hit + len(tally.missed)
    if total:
        w("**%d of %d targets met.**%s" % (tally.hit, total, " Missed:" if tally.missed else ""))
        if tally.missed:
            w("")
            for m in tally.missed:
                w("- %s" % m)
    else:
        w("No target could be evaluated (a side is missing).")
    w("")
    if warnings:
        w("**Warnings while building this report:**")
        w("")
        for x in warnings:
            w("- %s" % x.replace(os.getcwd() + os.sep, ""))
        w("")
    return "\n".join(out).rstrip("\n"), warnings, tally, files


def splice(path, body):
    region = BEGIN + "\n" + body + "\n" + END
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        text = ""
    b, e = text.find(BEGIN), text.find(END)
    if b != -1 and e != -1 and e > b:
        # Replace from the start of the begin line to the end of the end line.
        start = text.rfind("\n", 0, b) + 1
        stop = text.find("\n", e)
        stop = len(text) if stop == -1 else stop
        new = text[:start] + region + text[stop:]
    else:
        if b != -1 or e != -1:
            print("report.py: only one of the markers found in %s; appending a new region" % path,
                  file=sys.stderr)
        new = text.rstrip("\n") + ("\n\n" if text.strip() else "") + region + "\n"
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(new)
    os.replace(tmp, path)


def main():
    p = argparse.ArgumentParser(description="Write the AutoGrad vs PyTorch section of RESULTS.md.")
    p.add_argument("--bdn", help="folder with BenchmarkDotNet JSON exports (searched recursively)")
    p.add_argument("--torch", action="append", help="torch_kernels.py output; repeat per thread count")
    p.add_argument("--torch-note", help="why PyTorch was not measured (when no --torch file is given)")
    p.add_argument("--results", required=True, help="markdown file to update (e.g. benchmarks/RESULTS.md)")
    p.add_argument("--quick", action="store_true", help="label the section as a quick (smoke) run")
    p.add_argument("--seconds", type=float, help="how long the whole run took (for the text)")
    p.add_argument("--stdout", action="store_true", help="print the section instead of writing --results")
    args = p.parse_args()
    body, warnings, tally, files = build(args)
    if args.stdout:
        print(body)
    else:
        splice(args.results, body)
        print("report.py: %d BenchmarkDotNet export(s), %d torch file(s); targets met %d of %d; wrote %s"
              % (len(files), len(args.torch or []), tally.hit, tally.hit + len(tally.missed), args.results))
    for x in warnings:
        print("report.py: warning: " + x, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
