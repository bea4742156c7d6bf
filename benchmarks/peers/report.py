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
import datetime
import sys

from report_common import (MISS, OK, Tally, argument_parser, dotnet_lines, fmt_time, intval, load_exports,
                           load_torch, mark, parse_parameters, publish, replace_region, rerun_lines, sig3, table,
                           tally_lines, warning_lines)

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


# ---------------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------------

def load_bdn(folder, warnings):
    """All benchmarks of all exports under `folder`: (files, host info, job names, [row], intrinsics)."""
    files, host, benchmarks = load_exports(folder, warnings)
    jobs, rows, intrinsics = set(), [], None
    for b in benchmarks:
        stats = b["Statistics"]
        params = parse_parameters(b.get("Parameters"))
        display = b.get("DisplayInfo") or ""
        if ": " in display and " [" in display:
            jobs.add(display.split(": ", 1)[1].rsplit(" [", 1)[0])
        intrinsics = intrinsics or b.get("HardwareIntrinsics")
        rows.append({"type": b.get("Type"), "method": b.get("Method"), "params": params,
                     "median": float(stats["Median"]), "min": float(stats["Min"])})
    return files, host, sorted(jobs), rows, intrinsics


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

def fmt_num(v):
    return "—" if v is None else sig3(v)


def fmt_pct(v):
    return "—" if v is None else "%.0f%%" % (100.0 * v)


# ---------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------

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
    torch = load_torch(args.torch or [], warnings, "correctness failure")

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
    out.extend(dotnet_lines(host, jobs))
    if host and intrinsics:
        w("  (hardware intrinsics as BenchmarkDotNet reports them: `%s`)" % intrinsics)
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
    out.extend(rerun_lines(RERUN, "benchmarks/BenchmarkDotNet.Artifacts/peers/", args.quick, args.seconds))
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
    out.extend(tally_lines(tally))
    w("")
    out.extend(warning_lines(warnings))
    return "\n".join(out).rstrip("\n"), warnings, tally, files


def splice(path, body):
    def insert(text, region):  # the markers are missing: append the region
        if BEGIN in text or END in text:
            print("report.py: only one of the markers found in %s; appending a new region" % path,
                  file=sys.stderr)
        return text.rstrip("\n") + ("\n\n" if text.strip() else "") + region + "\n"
    replace_region(path, BEGIN, END, body, insert)


def main():
    p = argument_parser("Write the AutoGrad vs PyTorch section of RESULTS.md.", "torch_kernels.py",
                        results_required=True)
    args = p.parse_args()
    return publish("report.py", args, build(args), splice)


if __name__ == "__main__":
    sys.exit(main())
