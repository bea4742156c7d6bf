#!/usr/bin/env python3
"""PyTorch side of the side-by-side kernel benchmarks (see README.md next to this file).

Run with Debian's python (the one python3-torch installs into):

    /usr/bin/python3 torch_kernels.py --threads N --out FILE.json [--quick]

Measures float32 element-wise ops and GEMM on contiguous tensors, writing every result into a
preallocated output (the out= variants), so that allocation is not measured. Timing: warm up, pick an
inner repeat count so one sample lasts at least --sample-ms, take --samples samples, and report the
median and the minimum time per call in ns. Every result is checked before it is timed.

Torch 1.13 runs its AVX2 element-wise kernels by default even on AVX-512 machines; when the CPU has
AVX-512, the element-wise ops are timed again in a child process with ATEN_CPU_CAPABILITY=avx512 and each
row keeps the faster figure (both are in the JSON). Exits with code 3 (after a one-line message) when
torch cannot be imported.
"""
import functools
import gc
import os
import platform
import sys
import time

import torch_peer

ELEMENTWISE_OPS = ["Add", "Multiply", "Relu", "ReluBackward", "Exp", "Sigmoid"]
LENGTHS = [1000, 65537, 1048576, 16777216]
SQUARES = [64, 128, 256, 512, 1024]
MLP_SHAPES = [(64, 128, 784), (64, 10, 128)]  # (m, n, k)
MODES = ["NN", "TN", "NT"]


def parse_args():
    p = torch_peer.argument_parser(__doc__)
    p.add_argument("--only", choices=["elementwise", "gemm"], default=None,
                   help="measure only one group (for debugging)")
    p.add_argument("--no-avx512-pass", action="store_true",
                   help="measure element-wise ops only with the CPU capability torch picks by default")
    a = p.parse_args()
    torch_peer.timing_defaults(p, a)
    return a


ARGS = parse_args()
torch = torch_peer.import_torch(ARGS.threads)  # exits with code 3 when torch cannot be imported


# ---------------------------------------------------------------------------------------------------
# Environment description
# ---------------------------------------------------------------------------------------------------

def cpu_has_avx512():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return {"avx512f", "avx512bw", "avx512vl", "avx512dq"} <= flags
    except OSError:
        pass
    return False


def cpu_capability():
    """The ATen CPU capability in use (the vectorised element-wise kernels): DEFAULT, AVX2 or AVX512."""
    for line in torch.__config__.show().splitlines():
        line = line.strip()
        if line.startswith("- CPU capability usage:"):
            return line.split(":", 1)[1].strip()
    return "?"


def blas_summary(openblas):
    capability = cpu_capability()
    backend = "?"
    for line in torch.__config__.parallel_info().splitlines():
        if line.startswith("ATen parallel backend:"):
            backend = line.split(":", 1)[1].strip()
    if openblas is not None:
        library = torch_peer.openblas_library(openblas)
        blas = "%s, %d thread(s)" % (library, openblas.openblas_get_num_threads())
    else:
        library = blas = "BLAS_INFO=%s" % (torch_peer.blas_info() or "?")
    summary = "%s; ATen %s, %d thread(s), CPU capability %s" % (blas, backend, torch.get_num_threads(), capability)
    return summary, library, backend


def avx512_pass(rows, failures):
    """Torch 1.13 picks its AVX2 element-wise kernels by default even on AVX-512 CPUs, although the build
    has AVX512 ones, which are faster for Exp and Sigmoid. The capability is fixed when torch starts
    (ATEN_CPU_CAPABILITY), so measure the element-wise ops again in a child process with AVX512 and keep,
    per (op, length), the faster of the two. Returns the capability names measured."""
    default = cpu_capability()
    if ARGS.no_avx512_pass or default == "AVX512" or not cpu_has_avx512():
        return [default]
    print("  (element-wise again with ATEN_CPU_CAPABILITY=avx512)", file=sys.stderr, flush=True)
    ran = torch_peer.child_pass(__file__, ARGS, ["--only", "elementwise", "--no-avx512-pass"],
                                {"ATEN_CPU_CAPABILITY": "avx512"}, "AVX512 pass", failures)
    if ran is None:
        return [default]
    returncode, child = ran
    if returncode not in (0, 1) or child.get("capability") != "AVX512":
        return [default]
    theirs = {(r["op"], r["length"]): r for r in child["elementwise"]}
    for row in rows:
        row["capability"] = default
        other = theirs.get((row["op"], row["length"]))
        if other is None:
            continue
        row["by_capability"] = {default: row["median_ns"], "AVX512": other["median_ns"]}
        if other["median_ns"] < row["median_ns"]:
            row.update(median_ns=other["median_ns"], min_ns=other["min_ns"], variant=other["variant"],
                       capability="AVX512")
    return [default, "AVX512"]


# ---------------------------------------------------------------------------------------------------
# Timing helpers (the timing loop is torch_peer.measure)
# ---------------------------------------------------------------------------------------------------

def bind(op, *args, **kwargs):
    """A zero-argument callable with little Python overhead (partial of the C-level function)."""
    return functools.partial(op, *args, **kwargs)


def aten(name, overload):
    """The raw C++ callable behind torch.ops.aten.<name>.<overload> (skips the Python __call__ frame)."""
    packet = getattr(torch.ops.aten, name)
    ov = getattr(packet, overload)
    return getattr(ov, "_op", ov)


# ---------------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------------

def elementwise_variants(op, n, gen):
    """[(variant name, zero-arg callable, check)] for one op and length. check() -> None or an error."""
    a = torch.randn(n, generator=gen, dtype=torch.float32)
    b = torch.randn(n, generator=gen, dtype=torch.float32)
    out = torch.empty(n, dtype=torch.float32)

    def close(expected, rtol=1e-5, atol=1e-6):
        def check():
            e = expected()
            if not torch.allclose(out, e, rtol=rtol, atol=atol):
                return "max abs diff %g" % (out - e).abs().max().item()
            return None
        return check

    if op == "Add":
        return [("torch.add(out=)", bind(torch.add, a, b, out=out), close(lambda: a + b))]
    if op == "Multiply":
        return [("torch.mul(out=)", bind(torch.mul, a, b, out=out), close(lambda: a * b))]
    if op == "Relu":
        ref = close(lambda: torch.relu(a))
        return [("torch.clamp_min(out=)", bind(torch.clamp_min, a, 0.0, out=out), ref),
                ("aten.relu.out", bind(aten("relu", "out"), a, out=out), ref),
                ("torch.threshold(out=)", bind(torch._C._nn.threshold if hasattr(torch._C._nn, "threshold")
                                                else torch.threshold, a, 0.0, 0.0, out=out), ref)]
    if op == "ReluBackward":
        y = torch.relu(a)            # saved output of the forward relu
        dy = b                       # upstream gradient
        # Reference: what autograd computes for relu's input gradient.
        x = a.clone().requires_grad_(True)
        torch.relu(x).backward(dy)
        grad = x.grad.detach().clone()

        def check():
            if not torch.equal(out, grad):
                return "differs from autograd's relu gradient"
            if not torch.equal(out, torch.where(y > 0, dy, torch.zeros_like(dy))):
                return "differs from dy where y>0 else 0"
            return None
        return [("aten.threshold_backward.grad_input",
                 bind(aten("threshold_backward", "grad_input"), dy, y, 0, grad_input=out), check)]
    if op == "Exp":
        return [("torch.exp(out=)", bind(torch.exp, a, out=out),
                 close(lambda: torch.exp(a.double()).float(), rtol=1e-5, atol=0))]
    if op == "Sigmoid":
        return [("torch.sigmoid(out=)", bind(torch.sigmoid, a, out=out),
                 close(lambda: torch.sigmoid(a.double()).float(), rtol=1e-5, atol=1e-7))]
    raise ValueError(op)


def gemm_case(mode, m, n, k, gen):
    c = torch.empty(m, n, dtype=torch.float32)
    if mode[0] == "N":
        a_store = torch.randn(m, k, generator=gen, dtype=torch.float32)
        a = a_store
    else:  # A stored [k x m], used transposed (a view; BLAS gets the transpose flag)
        a_store = torch.randn(k, m, generator=gen, dtype=torch.float32)
        a = a_store.t()
    if mode[1] == "N":
        b_store = torch.randn(k, n, generator=gen, dtype=torch.float32)
        b = b_store
    else:  # B stored [n x k]
        b_store = torch.randn(n, k, generator=gen, dtype=torch.float32)
        b = b_store.t()
    assert a_store.is_contiguous() and b_store.is_contiguous()

    def check():
        expected = torch.mm(a.double(), b.double())
        err = (c.double() - expected).abs().max().item()
        # Forward error bound of a float32 dot product of length k: ~k * eps * sum |a_i b_i|.
        scale = torch.mm(a.double().abs(), b.double().abs()).max().item()
        tol = 2.0 * k * torch.finfo(torch.float32).eps * scale
        return None if err <= tol else "max abs error %g > %g" % (err, tol)
    return bind(torch.mm, a, b, out=c), check


def main():
    openblas = torch_peer.set_threads(ARGS.threads)

    sample_ns = int(ARGS.sample_ms * 1e6)
    gen = torch.Generator().manual_seed(1234)
    started = time.perf_counter()
    result = {
        "torch": torch.__version__,
        "threads": ARGS.threads,
        "blas": None,  # filled below
        "cpu": torch_peer.cpu_model(),
        "capability": cpu_capability(),
        "logical_cpus": os.cpu_count(),
        "python": platform.python_version(),
        "date_utc": torch_peer.utc_now(),
        "timing": torch_peer.timing_info(ARGS),
        "elementwise": [],
        "gemm": [],
    }

    result["blas"], result["blas_library"], result["parallel_backend"] = blas_summary(openblas)

    # Fixed per-call cost of the Python -> ATen dispatch path, for reading the small sizes.
    one_a, one_b, one_c = torch.ones(1), torch.ones(1), torch.empty(1)
    result["dispatch_overhead_ns"] = round(
        torch_peer.measure(bind(torch.add, one_a, one_b, out=one_c), ARGS.samples, sample_ns)[0], 1)

    failures = []
    if ARGS.only in (None, "elementwise"):
        for n in LENGTHS:
            for op in ELEMENTWISE_OPS:
                best = None
                for variant, call, check in elementwise_variants(op, n, gen):
                    call()
                    err = check()
                    if err:
                        failures.append("%s %d %s: %s" % (op, n, variant, err))
                        continue
                    med, mn, _ = torch_peer.measure(call, ARGS.samples, sample_ns)
                    if best is None or med < best[1]:
                        best = (variant, med, mn)
                if best is None:
                    continue
                row = {"op": op, "length": n, "median_ns": round(best[1], 1), "min_ns": round(best[2], 1),
                       "variant": best[0]}
                result["elementwise"].append(row)
                print("  %-12s %9d  %12.1f ns  (min %.1f, %s)" % (op, n, best[1], best[2], best[0]),
                      file=sys.stderr, flush=True)
                gc.collect()

        call = check = None  # free the last inputs before the child process allocates its own
        gc.collect()
        if result["elementwise"]:
            result["capabilities_measured"] = avx512_pass(result["elementwise"], failures)

    if ARGS.only in (None, "gemm"):
        shapes = [("NN", s, s, s) for s in SQUARES] + [(mode, m, n, k) for (m, n, k) in MLP_SHAPES
                                                       for mode in MODES]
        for mode, m, n, k in shapes:
            call, check = gemm_case(mode, m, n, k, gen)
            call()
            err = check()
            if err:
                failures.append("GEMM %s %dx%dx%d: %s" % (mode, m, n, k, err))
                continue
            med, mn, _ = torch_peer.measure(call, ARGS.samples, sample_ns)
            result["gemm"].append({"mode": mode, "m": m, "n": n, "k": k,
                                   "median_ns": round(med, 1), "min_ns": round(mn, 1)})
            print("  GEMM %s %4dx%4dx%4d  %12.1f ns  %7.1f GFLOP/s" % (mode, m, n, k, med, 2.0 * m * n * k / med),
                  file=sys.stderr, flush=True)

    result["seconds"] = round(time.perf_counter() - started, 1)
    if failures:
        result["failures"] = failures
    torch_peer.write_json(ARGS.out, result)
    print("torch %s, %d thread(s): %d element-wise + %d GEMM cases in %.0f s -> %s"
          % (result["torch"], ARGS.threads, len(result["elementwise"]), len(result["gemm"]),
             result["seconds"], ARGS.out))
    return torch_peer.exit_code(failures)


if __name__ == "__main__":
    sys.exit(main())
