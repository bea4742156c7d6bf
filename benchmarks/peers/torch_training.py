#!/usr/bin/env python3
"""PyTorch side of the training-step benchmarks (see README.md next to this file).

Run with Debian's python (the one python3-torch installs into):

    /usr/bin/python3 torch_training.py --threads N --out FILE.json [--quick]

Measures, in float32 on the CPU, the same cases as AutoGrad's OpOverheadBenchmarks and TrainingStepBenchmarks:
recording `x + 1` and `x.add(y)` on one-element tensors that require a gradient, `relu(x*w + b)` forward and
backward, one SGD step of a single neuron (batch 1, MSE) and one SGD step of an MLP 784-128-10 (batch 64,
cross-entropy), each step being forward, backward, `opt.step()` and PyTorch 1.13's default `opt.zero_grad()`.
Timing: warm up, pick an inner repeat count so one sample lasts at least --sample-ms, take --samples samples, and
report the median and the minimum time per call in ns. Every case is checked before it is timed.

At more than one thread, PyTorch's OpenMP workers (libgomp) spin after each parallel region (the SGD update and
zero_grad of the 784x128 weight) while OpenBLAS's own threads run the next GEMM; on a machine with as many cores
as threads they fight over the cores and the MLP step's time swings by 10x and more from run to run. So the cases
are timed a second time in a child process with OMP_WAIT_POLICY=PASSIVE, and each case keeps the faster median
(both are in the JSON), as torch_kernels.py keeps PyTorch's faster CPU capability.

Exits with code 3 (after a one-line message) when torch cannot be imported, 1 when a check fails (the JSON is
still written, without the failed case).
"""
import functools
import gc
import math
import operator
import os
import platform
import sys
import time

import torch_peer

LEARNING_RATE = 1e-3
# The neuron of TrainingStepBenchmarks: w [1, 3], b [1], x [1, 3], y [1, 1].
NEURON_W = [0.3, -0.2, 0.1]
NEURON_B = 0.1
NEURON_X = [0.5, -1.0, 2.0]
NEURON_Y = 1.5
# The MLP of TrainingStepBenchmarks: 784-128-10, batch 64 of uniform [0, 1) images, labels i % 10.
MLP_SIZES = (784, 128, 10)
BATCH = 64


def parse_args():
    p = torch_peer.argument_parser(__doc__)
    p.add_argument("--no-passive-pass", action="store_true",
                   help="time the cases only with the OpenMP wait policy of the environment")
    a = p.parse_args()
    torch_peer.timing_defaults(p, a)
    if a.samples < 1 or a.sample_ms <= 0:
        p.error("--samples and --sample-ms must be positive")
    return a


ARGS = parse_args()
torch = torch_peer.import_torch(ARGS.threads)  # exits with code 3 when torch cannot be imported
F, nn = torch.nn.functional, torch.nn


# ---------------------------------------------------------------------------------------------------
# BLAS description, and the second pass with OMP_WAIT_POLICY=PASSIVE (the rest is in torch_peer.py)
# ---------------------------------------------------------------------------------------------------

def blas_library(openblas):
    if openblas is None:
        info = torch_peer.blas_info()
        return "BLAS_INFO=%s" % info if info else "?"
    return "%s, %d thread(s)" % (torch_peer.openblas_library(openblas), openblas.openblas_get_num_threads())


def passive_pass(cases, failures):
    """At more than one thread, time the cases again in a child process with OMP_WAIT_POLICY=PASSIVE (the policy
    is read when the OpenMP runtime starts) and keep, per case, the faster median. Returns the policies measured."""
    default = os.environ.get("OMP_WAIT_POLICY", "default")
    if ARGS.no_passive_pass or ARGS.threads < 2 or default.upper() == "PASSIVE":
        return [default]
    print("  (again with OMP_WAIT_POLICY=PASSIVE)", file=sys.stderr, flush=True)
    ran = torch_peer.child_pass(__file__, ARGS, ["--no-passive-pass"], {"OMP_WAIT_POLICY": "PASSIVE"},
                                "OMP_WAIT_POLICY=PASSIVE pass", failures)
    if ran is None:
        return [default]
    returncode, child = ran
    if returncode not in (0, 1):
        return [default]
    theirs = {c["name"]: c for c in child.get("cases", [])}
    for case in cases:
        case["wait_policy"] = default
        other = theirs.get(case["name"])
        if other is None:
            continue
        case["by_wait_policy"] = {default: case["median_ns"], "PASSIVE": other["median_ns"]}
        if other["median_ns"] < case["median_ns"]:
            case.update(median_ns=other["median_ns"], min_ns=other["min_ns"], repeat=other["repeat"],
                        wait_policy="PASSIVE")
        print("  %-24s %12.1f ns  (kept: OMP_WAIT_POLICY %s)" % (case["name"], case["median_ns"],
                                                                 case["wait_policy"]), file=sys.stderr, flush=True)
    return [default, "PASSIVE"]


# ---------------------------------------------------------------------------------------------------
# Cases: each returns (zero-argument callable, check); check() -> None or an error message, and is run
# before the timing, on the very tensors the callable uses.
# ---------------------------------------------------------------------------------------------------

def leaf(value, requires_grad):
    return torch.full([1], value, dtype=torch.float32, requires_grad=requires_grad)


def record_add_scalar():
    """`x + 1`: the scalar operand is wrapped per call, then the recorded add (result dropped)."""
    x = leaf(0.5, True)

    def check():
        z = x + 1
        if z.grad_fn is None or not z.requires_grad:
            return "x + 1 was not recorded"
        return None if z.item() == 1.5 else "x + 1 = %r" % z.item()
    # Tensor.__add__ is a C function: the partial calls it with no Python frame in between.
    return functools.partial(operator.add, x, 1), check


def record_add():
    """`x.add(y)`, y a one-element tensor that does not require a gradient."""
    x, y = leaf(0.5, True), leaf(2.0, False)

    def check():
        z = x.add(y)
        if z.grad_fn is None or not z.requires_grad:
            return "x.add(y) was not recorded"
        return None if z.item() == 2.5 else "x.add(y) = %r" % z.item()
    return functools.partial(torch.Tensor.add, x, y), check


def three_op_forward_backward():
    """`torch.relu(x * w + b)` then `.backward()`, accumulating into x.grad, w.grad and b.grad (as the C# side)."""
    x, w, b = leaf(0.5, True), leaf(1.5, True), leaf(0.25, True)
    relu = torch.relu

    def call():
        relu(x * w + b).backward()

    def check():
        call()
        got = (x.grad.item(), w.grad.item(), b.grad.item())
        for t in (x, w, b):
            t.grad = None
        return None if got == (1.5, 0.5, 1.0) else "gradients (dx, dw, db) = %r, expected (1.5, 0.5, 1.0)" % (got,)
    return call, check


def neuron_step():
    """mse(relu(x·wᵀ + b), y), backward, SGD step, zero_grad: batch 1, 3 inputs."""
    w = torch.tensor([NEURON_W], dtype=torch.float32, requires_grad=True)
    b = torch.tensor([NEURON_B], dtype=torch.float32, requires_grad=True)
    x = torch.tensor([NEURON_X], dtype=torch.float32)
    y = torch.tensor([[NEURON_Y]], dtype=torch.float32)
    opt = torch.optim.SGD([w, b], lr=LEARNING_RATE)
    mse, relu, linear = F.mse_loss, F.relu, F.linear

    def call():
        loss = mse(relu(linear(x, w, b)), y)
        loss.backward()
        opt.step()
        opt.zero_grad()
        return loss

    def check():
        # The first step against the hand-written gradient: z = w·x + b > 0, dL/dz = 2(z - y).
        z = sum(wi * xi for wi, xi in zip(NEURON_W, NEURON_X)) + NEURON_B
        w0, b0 = w.detach().clone(), b.detach().clone()
        losses = [call().item()]
        dz = 2.0 * (z - NEURON_Y)
        expected_w = torch.tensor([[wi - LEARNING_RATE * dz * xi for wi, xi in zip(NEURON_W, NEURON_X)]])
        if not torch.allclose(w.detach(), expected_w, rtol=1e-5, atol=1e-7) or \
                abs(b.item() - (NEURON_B - LEARNING_RATE * dz)) > 1e-6:
            return "first step: w %s, b %r differ from the hand-computed update" % (w.tolist(), b.item())
        if w.grad is not None and w.grad.abs().max().item() != 0:
            return "zero_grad left a non-zero gradient"
        if abs(losses[0] - (z - NEURON_Y) ** 2) > 1e-5:
            return "first loss %r, expected %r" % (losses[0], (z - NEURON_Y) ** 2)
        for _ in range(4):
            losses.append(call().item())
        if not all(a > c for a, c in zip(losses, losses[1:])):
            return "the loss does not decrease over 5 steps: %r" % losses
        with torch.no_grad():  # start the timing from the same parameters as the C# side
            w.copy_(w0)
            b.copy_(b0)
        return None
    return call, check


def mlp_step():
    """An MLP 784-128-10 (ReLU), cross-entropy against 64 integer labels, backward, SGD step, zero_grad."""
    torch.manual_seed(7)
    model = nn.Sequential(nn.Linear(MLP_SIZES[0], MLP_SIZES[1]), nn.ReLU(), nn.Linear(MLP_SIZES[1], MLP_SIZES[2]))
    images = torch.rand(BATCH, MLP_SIZES[0], dtype=torch.float32)
    labels = torch.arange(BATCH) % MLP_SIZES[2]
    opt = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    cross_entropy = F.cross_entropy

    def call():
        loss = cross_entropy(model(images), labels)
        loss.backward()
        opt.step()
        opt.zero_grad()
        return loss

    def check():
        losses = [call().item() for _ in range(10)]
        if not all(math.isfinite(v) for v in losses):
            return "non-finite loss: %r" % losses
        if not losses[-1] < losses[0]:
            return "the loss does not decrease over 10 steps on a fixed batch: %r" % losses
        if any(p.grad is not None and p.grad.abs().max().item() != 0 for p in model.parameters()):
            return "zero_grad left a non-zero gradient"
        if not 1.5 < losses[0] < 3.5:  # about ln 10 = 2.30 for a freshly initialised 10-class classifier
            return "first loss %r is far from ln 10" % losses[0]
        return None
    return call, check


# (name as in the C# benchmarks, group, description, factory)
CASES = [
    ("RecordAddScalar", "op", "x + 1 on a 1-element tensor that requires grad (recorded, result dropped)",
     record_add_scalar),
    ("RecordAdd", "op", "x.add(y) on 1-element tensors, x requires grad", record_add),
    ("ThreeOpForwardBackward", "op", "torch.relu(x * w + b).backward() on 1-element tensors",
     three_op_forward_backward),
    ("NeuronStep", "step", "mse_loss(relu(linear(x, w, b)), y), backward, SGD(lr=1e-3).step(), zero_grad()",
     neuron_step),
    ("MlpStep", "step", "cross_entropy(Sequential(Linear(784,128), ReLU, Linear(128,10))(images[64]), labels), "
     "backward, SGD(lr=1e-3).step(), zero_grad()", mlp_step),
]


def main():
    openblas = torch_peer.set_threads(ARGS.threads)

    sample_ns = int(ARGS.sample_ms * 1e6)
    started = time.perf_counter()
    zero_grad_default = None
    try:
        import inspect
        zero_grad_default = inspect.signature(torch.optim.Optimizer.zero_grad).parameters["set_to_none"].default
    except (ImportError, KeyError, TypeError, ValueError):
        pass
    result = {
        "torch": torch.__version__,
        "threads": ARGS.threads,
        "torch_threads": torch.get_num_threads(),
        "blas_library": blas_library(openblas),
        "cpu": torch_peer.cpu_model(),
        "logical_cpus": os.cpu_count(),
        "python": platform.python_version(),
        "zero_grad_set_to_none_default": zero_grad_default,
        "date_utc": torch_peer.utc_now(),
        "timing": torch_peer.timing_info(ARGS),
        "cases": [],
    }

    failures = []
    for name, group, description, factory in CASES:
        try:
            call, check = factory()
            err = check()
        except Exception as e:  # a case that cannot be built or checked has failed its check
            err = "%s: %s" % (type(e).__name__, e)
        if err:
            failures.append("%s: %s" % (name, err))
            print("  %-24s CHECK FAILED: %s" % (name, err), file=sys.stderr, flush=True)
            continue
        med, mn, repeat = torch_peer.measure(call, ARGS.samples, sample_ns)
        result["cases"].append({"name": name, "group": group, "description": description,
                                "median_ns": round(med, 1), "min_ns": round(mn, 1), "repeat": repeat})
        print("  %-24s %12.1f ns  (min %.1f, %d calls per sample)" % (name, med, mn, repeat),
              file=sys.stderr, flush=True)
        call = check = None
        gc.collect()

    if result["cases"]:
        result["wait_policies_measured"] = passive_pass(result["cases"], failures)
    result["seconds"] = round(time.perf_counter() - started, 1)
    if failures:
        result["failures"] = failures
    torch_peer.write_json(ARGS.out, result)
    print("torch %s, %d thread(s): %d training case(s) in %.0f s -> %s"
          % (result["torch"], ARGS.threads, len(result["cases"]), result["seconds"], ARGS.out))
    return torch_peer.exit_code(failures)


if __name__ == "__main__":
    sys.exit(main())
