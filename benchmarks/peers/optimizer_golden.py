"""Golden values for AutoGrad's optimizer tests, computed by PyTorch's own optimizers.

Each case starts from the same float64 parameters and takes a few steps on the loss
    L(θ) = Σ_i k_i (θ_i − c_i)² / 2 + Σ_i θ_i³ / 30,
whose gradient k ⊙ (θ − c) + θ² / 10 changes from step to step in a way no linear rule can fake.
The parameters after every step go to a JSON file that tests/AutoGrad.Tests reads; the tests never need torch.

    /usr/bin/python3 benchmarks/peers/optimizer_golden.py [OUTPUT.json]

Prints a message and exits 0 when torch is absent.
"""

import json
import sys

try:
    import torch
except ImportError:
    print("optimizer_golden.py: PyTorch is not installed (apt-get install python3-torch); nothing written.")
    sys.exit(0)

DEFAULT_OUTPUT = "tests/AutoGrad.Tests/Optimizers/Data/torch_optimizer_steps.json"
START = [0.5, -1.25, 2.0, 0.0, -0.3]
K = [1.0, 3.0, 0.5, 2.0, 10.0]
C = [1.0, 0.5, -1.0, 0.25, 0.0]
STEPS = 4

CASES = {
    "sgd": (torch.optim.SGD, dict(lr=0.1)),
    "sgd_weight_decay": (torch.optim.SGD, dict(lr=0.1, weight_decay=0.05)),
    "sgd_momentum": (torch.optim.SGD, dict(lr=0.05, momentum=0.9)),
    "sgd_momentum_dampening": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    "sgd_nesterov": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.02)),
    "adam": (torch.optim.Adam, dict(lr=0.1)),
    "adam_betas_eps": (torch.optim.Adam, dict(lr=0.05, betas=(0.8, 0.95), eps=1e-3)),
    "adam_weight_decay": (torch.optim.Adam, dict(lr=0.1, weight_decay=0.1)),
    "adamw": (torch.optim.AdamW, dict(lr=0.1)),
    "adamw_weight_decay": (torch.optim.AdamW, dict(lr=0.1, weight_decay=0.3, betas=(0.85, 0.99))),
}


def run(optimizer_type, settings):
    theta = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    k = torch.tensor(K, dtype=torch.float64)
    c = torch.tensor(C, dtype=torch.float64)
    optimizer = optimizer_type([theta], **settings)
    trajectory = []
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = (k * (theta - c) ** 2).sum() / 2 + (theta ** 3).sum() / 30
        loss.backward()
        optimizer.step()
        trajectory.append([float(v) for v in theta.detach()])
    return trajectory


def main():
    output = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUTPUT
    cases = {}
    for name, (optimizer_type, settings) in CASES.items():
        cases[name] = {
            "optimizer": optimizer_type.__name__,
            "settings": {key: list(value) if isinstance(value, tuple) else value for key, value in settings.items()},
            "steps": run(optimizer_type, settings),
        }
    document = {
        "torch_version": torch.__version__,
        "start": START,
        "k": K,
        "c": C,
        "cases": cases,
    }
    with open(output, "w", encoding="utf-8") as file:
        json.dump(document, file, indent=2)
        file.write("\n")
    print(f"optimizer_golden.py: wrote {len(cases)} cases of {STEPS} steps (torch {torch.__version__}) to {output}")


if __name__ == "__main__":
    main()
