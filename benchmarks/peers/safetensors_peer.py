#!/usr/bin/env python3
"""safetensors interop between AutoGrad and PyTorch, in both directions.

    /usr/bin/python3 safetensors_peer.py write DIR   # PyTorch writes the fixtures AutoGrad's tests read
    /usr/bin/python3 safetensors_peer.py check DIR   # PyTorch reads the file AutoGrad wrote, value by value
    /usr/bin/python3 safetensors_peer.py mlp FILE    # PyTorch loads an AutoGrad Mlp's weights (e.g. samples/Classifier's)

The python `safetensors` package is not used (it is not installed here): the format is written and parsed below
with json and struct only, independently of AutoGrad's C# code, and every tensor is made or checked with torch.

`write` creates, in DIR:
  torch_f32.safetensors      float32 tensors of several shapes (a scalar, an empty one, arange/7, special values)
  torch_mlp_f64.safetensors  the state dict of a seeded float64 torch MLP (layers.0.weight, ...), with __metadata__
  torch_expected.json        what AutoGrad must read from them: names in file order, dtypes, shapes, the exact bits
                             of every element (hex, taken from torch's memory, not from the file), the metadata, and
                             the MLP's output for a fixed input
`check` reads DIR/autograd_written.safetensors (written by AutoGrad's C# writer; the C# tests assert the writer
still produces exactly these bytes) and compares it with the same tensors made by torch, bit for bit.

`mlp` loads FILE, the weights of an AutoGrad `Mlp` with ReLU activations (layers.0.weight, layers.0.bias,
layers.2.weight, ...), into a torch.nn.Sequential of Linear and ReLU layers with load_state_dict(strict=True), and
prints the model, the metadata and its outputs for a few inputs.

Exit status: 0 on success or when torch is absent (with a message), 1 when a check fails, 2 on bad usage.
"""

import json
import os
import struct
import sys

try:
    import torch
except ImportError:
    torch = None

FORMAT_DTYPES = {"F32": "float32", "F64": "float64"}
HEADER_LIMIT = 100_000_000


class CheckFailed(Exception):
    pass


def torch_dtype(name):
    return getattr(torch, FORMAT_DTYPES[name])


def format_dtype(tensor):
    if tensor.dtype == torch.float32:
        return "F32"
    if tensor.dtype == torch.float64:
        return "F64"
    raise ValueError(f"only float32 and float64 tensors are written, not {tensor.dtype}")


def element_bits(tensor):
    """The elements' bit patterns as hex strings, read through an integer view of torch's own memory."""
    flat = tensor.contiguous().reshape(-1)
    if tensor.dtype == torch.float32:
        return [format(v & 0xFFFFFFFF, "08x") for v in flat.view(torch.int32).tolist()]
    return [format(v & 0xFFFFFFFFFFFFFFFF, "016x") for v in flat.view(torch.int64).tolist()]


def from_bits(dtype_name, shape, bits):
    """A torch tensor with exactly the given bit patterns."""
    if dtype_name == "F32":
        signed = [b - (1 << 32) if b >= 1 << 31 else b for b in bits]
        return torch.tensor(signed, dtype=torch.int32).view(torch.float32).reshape(shape)
    signed = [b - (1 << 64) if b >= 1 << 63 else b for b in bits]
    return torch.tensor(signed, dtype=torch.int64).view(torch.float64).reshape(shape)


def write_safetensors(path, tensors, metadata=None):
    """Writes tensors as the reference implementation lays them out: sorted by dtype width (wider first), then by
    name; __metadata__ first in the header; the header padded with spaces to a multiple of 8 bytes."""
    ordered = sorted(tensors.items(), key=lambda item: (-item[1].element_size(), item[0]))
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, tensor in ordered:
        # Raw bytes of torch's memory (little-endian on this machine; checked in main()).
        data = bytes(tensor.contiguous().reshape(-1).view(torch.uint8).tolist())
        header[name] = {"dtype": format_dtype(tensor), "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as file:
        file.write(struct.pack("<Q", len(text)))
        file.write(text)
        for chunk in chunks:
            file.write(chunk)


def read_safetensors(path):
    """Parses a safetensors file strictly; returns ([(name, tensor)] in data-offset order, metadata, data start)."""
    with open(path, "rb") as file:
        content = file.read()
    if len(content) < 8:
        raise CheckFailed(f"{path}: shorter than the 8-byte length prefix")
    (length,) = struct.unpack_from("<Q", content, 0)
    if length > HEADER_LIMIT or 8 + length > len(content):
        raise CheckFailed(f"{path}: header length {length} does not fit the file")

    def no_duplicates(pairs):
        keys = [key for key, _ in pairs]
        if len(keys) != len(set(keys)):
            raise CheckFailed(f"{path}: a key appears twice in the header")
        return dict(pairs)

    header = json.loads(content[8:8 + length].decode("utf-8"), object_pairs_hook=no_duplicates)
    metadata = header.pop("__metadata__", {})
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        raise CheckFailed(f"{path}: __metadata__ is not an object of strings")
    data_start = 8 + length
    data = content[data_start:]
    entries = sorted(header.items(), key=lambda item: tuple(item[1]["data_offsets"]))
    tensors, covered = [], 0
    for name, entry in entries:
        if set(entry) != {"dtype", "shape", "data_offsets"}:
            raise CheckFailed(f"{path}: tensor {name!r} has fields {sorted(entry)}")
        begin, end = entry["data_offsets"]
        dtype = torch_dtype(entry["dtype"])
        shape = entry["shape"]
        count = 1
        for n in shape:
            count *= n
        size = torch.tensor([], dtype=dtype).element_size()
        if begin != covered or end - begin != count * size:
            raise CheckFailed(f"{path}: tensor {name!r} has data_offsets {[begin, end]} (expected to begin at {covered} and hold {count * size} bytes)")
        if (data_start + begin) % size != 0:
            raise CheckFailed(f"{path}: tensor {name!r} is not aligned to its element size in the file")
        covered = end
        raw = data[begin:end]
        if raw:
            tensor = torch.frombuffer(bytearray(raw), dtype=dtype).reshape(shape)
        else:
            tensor = torch.empty(shape, dtype=dtype)  # frombuffer refuses an empty buffer
        tensors.append((name, tensor))
    if covered != len(data):
        raise CheckFailed(f"{path}: the tensors cover {covered} of the {len(data)} data bytes")
    return tensors, metadata, data_start


def same_bits(a, b):
    return a.dtype == b.dtype and list(a.shape) == list(b.shape) and element_bits(a) == element_bits(b)


# ---- the fixtures PyTorch writes ----

class Mlp(torch.nn.Module if torch else object):
    """Linear(4, 8), Tanh, Linear(8, 3): the parameter names of AutoGrad's Mlp([4, 8, 3], ..., () => new Tanh())."""

    def __init__(self):
        super().__init__()
        self.layers = torch.nn.Sequential(
            torch.nn.Linear(4, 8, dtype=torch.float64),
            torch.nn.Tanh(),
            torch.nn.Linear(8, 3, dtype=torch.float64),
        )

    def forward(self, x):
        return self.layers(x)


def f32_fixture():
    specials = [-0.0, 1e-45, 1e-40, 1.1754943508222875e-38, 1e30, -1e30, 3.4028234663852886e38,
                float("inf"), float("-inf"), float("nan")]
    return {
        "arange": torch.arange(24, dtype=torch.float32).reshape(2, 3, 4) / 7,
        "scalar": torch.tensor(1.0, dtype=torch.float32) / 3,
        "specials": torch.tensor(specials, dtype=torch.float32),
        "column": torch.linspace(-1, 1, 5, dtype=torch.float32).reshape(5, 1),
        "empty": torch.zeros(0, 3, dtype=torch.float32),
    }


F32_METADATA = {"format": "pt", "source": "benchmarks/peers/safetensors_peer.py"}
MLP_METADATA = {"format": "pt", "model": "Linear(4, 8), Tanh, Linear(8, 3); torch.manual_seed(0); float64"}


def mlp_fixture():
    torch.manual_seed(0)
    model = Mlp()
    state = {name: value.detach().clone() for name, value in model.state_dict().items()}
    x = (torch.arange(8, dtype=torch.float64).reshape(2, 4) - 3.5) / 4
    with torch.no_grad():
        y = model(x)
    return state, x, y


def describe(tensors, metadata):
    return {
        "metadata": metadata,
        "tensors": [
            {"name": name, "dtype": format_dtype(t), "shape": list(t.shape), "bits": element_bits(t)}
            for name, t in tensors
        ],
    }


def write(folder):
    os.makedirs(folder, exist_ok=True)
    expected = {}

    files = {
        "torch_f32.safetensors": (f32_fixture(), F32_METADATA),
    }
    state, x, y = mlp_fixture()
    files["torch_mlp_f64.safetensors"] = (state, MLP_METADATA)

    for file_name, (tensors, metadata) in files.items():
        path = os.path.join(folder, file_name)
        write_safetensors(path, tensors, metadata)
        # Read back with the independent parser: the file holds exactly torch's bits, in the reference order.
        read, read_metadata, _ = read_safetensors(path)
        order = [name for name, _ in sorted(tensors.items(), key=lambda item: (-item[1].element_size(), item[0]))]
        if [name for name, _ in read] != order or read_metadata != metadata:
            raise CheckFailed(f"{path}: names or metadata differ after reading back")
        for name, tensor in read:
            if not same_bits(tensor, tensors[name]):
                raise CheckFailed(f"{path}: tensor {name!r} differs after reading back")
        expected[file_name] = describe([(name, tensors[name]) for name in order], metadata)
        print(f"wrote {path} ({os.path.getsize(path)} bytes): " + ", ".join(
            f"{name} {format_dtype(tensors[name])} {list(tensors[name].shape)}" for name in order))

    expected["mlp_forward"] = {
        "input": {"shape": list(x.shape), "bits": element_bits(x)},
        "output": {"shape": list(y.shape), "bits": element_bits(y)},
    }
    path = os.path.join(folder, "torch_expected.json")
    with open(path, "w", encoding="utf-8") as file:
        json.dump(expected, file, indent=1)
        file.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


# ---- the file AutoGrad writes (see SafeTensorsTorchInteropTests.AutoGradWrittenTensors in the C# tests) ----

AUTOGRAD_SPECIAL_BITS = [0x80000000, 0x00000001, 0x007FFFFF, 0x00800000, 0x7149F2CA, 0x7F7FFFFF, 0x7F800000, 0xFF800000, 0x7FC00000]
AUTOGRAD_METADATA = {"format": "pt", "producer": "AutoGrad"}


def autograd_expected():
    """The tensors of autograd_written.safetensors, made by torch, in the order AutoGrad writes them (float64 first)."""
    return [
        ("pi_f64", torch.tensor(3.141592653589793, dtype=torch.float64)),
        ("ramp_f64", ((torch.arange(6, dtype=torch.float64) - 3) / 7).reshape(2, 3)),
        ("empty_f64", torch.zeros(0, dtype=torch.float64)),
        ("arange_f32", (torch.arange(12, dtype=torch.float32) / 7).reshape(3, 4)),
        ("specials_f32", from_bits("F32", [len(AUTOGRAD_SPECIAL_BITS)], AUTOGRAD_SPECIAL_BITS)),
        ("empty_f32", torch.zeros(2, 0, dtype=torch.float32)),
    ]


def check(folder):
    path = os.path.join(folder, "autograd_written.safetensors")
    read, metadata, data_start = read_safetensors(path)
    expected = autograd_expected()
    problems = []
    if [name for name, _ in read] != [name for name, _ in expected]:
        problems.append(f"names in file order are {[name for name, _ in read]}, expected {[name for name, _ in expected]}")
    if metadata != AUTOGRAD_METADATA:
        problems.append(f"metadata is {metadata}, expected {AUTOGRAD_METADATA}")
    if data_start % 8 != 0:
        problems.append(f"the data region starts at byte {data_start}, not a multiple of 8")
    actual = dict(read)
    for name, tensor in expected:
        got = actual.get(name)
        if got is None:
            problems.append(f"{name}: missing")
        elif not same_bits(got, tensor):
            problems.append(f"{name}: read {got.dtype} {list(got.shape)} {element_bits(got)}, "
                            f"expected {tensor.dtype} {list(tensor.shape)} {element_bits(tensor)}")
        else:
            print(f"ok {name}: {format_dtype(got)} {list(got.shape)}, {got.numel()} elements bit for bit")
    if problems:
        raise CheckFailed(f"{path}:\n  " + "\n  ".join(problems))
    print(f"ok {path}: {len(read)} tensors and the metadata as expected; data region starts at byte {data_start}")


def load_mlp(path):
    tensors, metadata, _ = read_safetensors(path)
    state = dict(tensors)
    indices = sorted(int(name.split(".")[1]) for name in state if name.endswith(".weight"))
    modules = []
    for position, index in enumerate(indices):
        if position > 0:
            modules.append(torch.nn.ReLU())
        out_features, in_features = state[f"layers.{index}.weight"].shape
        modules.append(torch.nn.Linear(in_features, out_features, dtype=state[f"layers.{index}.weight"].dtype))
    if [i for i, module in enumerate(modules) if isinstance(module, torch.nn.Linear)] != indices:
        raise CheckFailed(f"{path}: the layer indices {indices} are not those of Linear layers with ReLU between")
    model = torch.nn.Sequential(*modules)
    model.load_state_dict({name.removeprefix("layers."): tensor for name, tensor in state.items()}, strict=True)
    print(model)
    print(f"metadata: {json.dumps(metadata)}")
    inputs = torch.linspace(-1, 1, 3 * modules[0].in_features, dtype=modules[0].weight.dtype).reshape(3, -1)
    with torch.no_grad():
        print(f"outputs for {inputs.tolist()}:\n{model(inputs)}")
    print(f"ok {path}: loaded into torch with strict names and shapes")


def main(argv):
    if len(argv) != 3 or argv[1] not in ("write", "check", "mlp"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if torch is None:
        print("safetensors_peer.py: torch is not installed for this python, so nothing was written or checked.\n"
              "Install it with `sudo apt-get install -y python3-torch` and run it with /usr/bin/python3.")
        return 0
    if sys.byteorder != "little":
        print("safetensors_peer.py: this script reads and writes torch's memory as little-endian bytes; "
              "it needs a little-endian machine.")
        return 0
    print(f"torch {torch.__version__}")
    try:
        if argv[1] == "write":
            write(argv[2])
        elif argv[1] == "check":
            check(argv[2])
        else:
            load_mlp(argv[2])
    except CheckFailed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    except FileNotFoundError as missing:
        print(f"FAILED: {missing.filename} does not exist", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
