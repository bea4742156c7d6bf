"""What torch_kernels.py and torch_training.py share (see README.md next to this file): the command-line
options both take, setting the thread counts and importing torch (exit code 3 when it cannot be imported),
describing the machine and its BLAS, the timing loop, the rerun in a child process, and writing the JSON.

Importing this module does not import torch; import_torch() does, after setting the thread environment.
"""
import argparse
import ctypes
import datetime
import gc
import itertools
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

INSTALL_HINT = ("PyTorch is not importable by %s; install Debian's CPU build with: "
                "sudo apt-get install -y python3-torch libopenblas0-pthread "
                "(then run this script with /usr/bin/python3)")


# ---------------------------------------------------------------------------------------------------
# Command line and start-up
# ---------------------------------------------------------------------------------------------------

def argument_parser(doc):
    """A parser with the options both scripts take (--threads, --out, --quick, --samples, --sample-ms);
    the description is the first paragraph of `doc`. The caller adds its own options, then calls
    timing_defaults() on the parsed arguments."""
    p = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    p.add_argument("--threads", type=int, required=True, help="intra-op threads (torch and OpenBLAS)")
    p.add_argument("--out", required=True, help="JSON file to write")
    p.add_argument("--quick", action="store_true",
                   help="3 samples of >= 10 ms instead of the defaults (a smoke run)")
    p.add_argument("--samples", type=int, default=None, help="samples per case (default 11, quick 3)")
    p.add_argument("--sample-ms", type=float, default=None,
                   help="minimum duration of one sample in ms (default 50, quick 10)")
    return p


def timing_defaults(p, a):
    """Checks --threads and fills in the default --samples and --sample-ms (which depend on --quick)."""
    if a.threads < 1:
        p.error("--threads must be >= 1")
    if a.samples is None:
        a.samples = 3 if a.quick else 11
    if a.sample_ms is None:
        a.sample_ms = 10.0 if a.quick else 50.0


def import_torch(threads):
    """Sets the thread counts in the environment, then imports and returns torch. When torch cannot be
    imported, prints how to install it (one line on stdout) and exits with code 3."""
    # The thread counts must be in the environment before torch (and the BLAS it loads) starts:
    # torch.set_num_threads only sets OpenMP (and MKL) threads, not OpenBLAS's own pthread pool.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)
    try:
        import torch
    except Exception as e:  # ImportError, or a broken install failing to load a shared library
        detail = (str(e).splitlines() or [type(e).__name__])[0]
        print((INSTALL_HINT % sys.executable) + " [import error: %s]" % detail)
        sys.exit(3)
    return torch


def set_threads(threads):
    """torch.set_num_threads, and the same count for OpenBLAS's own pool. Returns the OpenBLAS library
    (see loaded_openblas()), or None when torch does not use OpenBLAS."""
    import torch
    torch.set_num_threads(threads)
    openblas = loaded_openblas()
    if openblas is None:
        # torch may load its BLAS lazily; one small GEMM makes sure it is mapped.
        torch.mm(torch.ones(2, 2), torch.ones(2, 2))
        openblas = loaded_openblas()
    if openblas is not None:
        openblas.openblas_set_num_threads(threads)
    return openblas


# ---------------------------------------------------------------------------------------------------
# Environment description
# ---------------------------------------------------------------------------------------------------

def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def loaded_openblas():
    """The OpenBLAS library this process has mapped (torch loads it via libblas.so.3), or None."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "openblas" in line.lower() and "/" in line}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib
        except (OSError, AttributeError):
            continue
    return None


def openblas_library(openblas):
    """'OpenBLAS 0.3.21 (Haswell kernels)', say, for the library loaded_openblas() returned."""
    name = " ".join(openblas.openblas_get_config().decode().split(" ")[:2])
    return "%s (%s kernels)" % (name, openblas.openblas_get_corename().decode())


def blas_info():
    """The BLAS_INFO of torch's build configuration, or None."""
    import torch
    for line in torch.__config__.show().splitlines():
        if "BLAS_INFO=" in line:
            return line.split("BLAS_INFO=", 1)[1].split(",", 1)[0]
    return None


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def timing_info(args):
    """The JSON's "timing" entry."""
    return {"samples": args.samples, "min_sample_ms": args.sample_ms, "quick": args.quick,
            "statistic": "ns per call; median and minimum over samples"}


# ---------------------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------------------

def measure(call, samples, sample_ns):
    """Median and minimum ns per call of `call` (a zero-argument callable), and the inner repeat count."""
    repeat = itertools.repeat
    clock = time.perf_counter_ns
    # Warm-up: at least 3 calls and at least ~1/4 of a sample.
    t0 = clock()
    n = 0
    while n < 3 or clock() - t0 < sample_ns // 4:
        call()
        n += 1
    # Inner repeat count: grow until one batch takes >= 1/8 of a sample, then scale up.
    r = 1
    while True:
        t0 = clock()
        for _ in repeat(None, r):
            call()
        dt = clock() - t0
        if dt >= sample_ns // 8:
            break
        r *= 2 if dt * 16 >= sample_ns else 8
    r = max(1, math.ceil(r * sample_ns * 1.05 / max(dt, 1)))
    per_call = []
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(samples):
            t0 = clock()
            for _ in repeat(None, r):
                call()
            per_call.append((clock() - t0) / r)
    finally:
        if gc_was_enabled:
            gc.enable()
    return statistics.median(per_call), min(per_call), r


# ---------------------------------------------------------------------------------------------------
# A second pass in a child process, and the output
# ---------------------------------------------------------------------------------------------------

def child_pass(script, args, extra_args, env, label, failures):
    """Runs `script` again in a child process, with this run's --threads, --samples and --sample-ms, then
    `extra_args`, and the variables `env` added to the environment (its stdout is dropped; its stderr is
    ours). Returns (its exit code, the JSON it wrote), or None when that could not be read. The child's
    failures, and a failure to run it, are added to `failures`, prefixed with "<label>: "."""
    fd, path = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    try:
        cmd = [sys.executable, os.path.abspath(script), "--threads", str(args.threads), "--out", path,
               "--samples", str(args.samples), "--sample-ms", str(args.sample_ms)] + extra_args
        proc = subprocess.run(cmd, env=dict(os.environ, **env), stdout=subprocess.DEVNULL)
        with open(path) as f:
            child = json.load(f)
    except (OSError, ValueError) as e:
        failures.append("%s: %s" % (label, e))
        return None
    finally:
        os.unlink(path)
    failures.extend("%s: %s" % (label, x) for x in child.get("failures", []))
    return proc.returncode, child


def write_json(path, result):
    """Writes `result` to `path` (through a temporary file, so that a reader never sees half of it)."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def exit_code(failures):
    """Prints the failures (stderr); the script's exit code: 1 when there are any, else 0."""
    for f in failures:
        print("CORRECTNESS FAILURE: " + f, file=sys.stderr)
    return 1 if failures else 0
