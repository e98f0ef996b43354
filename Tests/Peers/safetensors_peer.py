"""The Python side of Rectifier's safetensors interop tests.

Run by Tests/InterchangeTests/SafeTensorsPeerTests.swift with the peer venv's python
(.build/venv, made by `make peer-venv`). Each command prints one line per file and exits
non-zero on the first disagreement.

  write-fixtures DIR         files written by the Python library, each with a JSON sidecar
                             (FILE.json) of the values, as decimal strings; rounding.safetensors
                             holds F32/F64 sources and their F16 (numpy) and BF16 (ml_dtypes)
                             roundings, without a sidecar
  check FILE SIDECAR         a file written by Rectifier: loads with the Python library with the
                             values, dtypes, shapes and metadata of the sidecar, and the library
                             writes the same bytes for the same content
  reserialize DIR            for each FILE in DIR: rewrites what the library reads from it to
                             FILE.py (or FILE.error with the library's message), for a
                             differential test of the two readers

Values in sidecars are strings: repr() of the value as float64 for float dtypes ("nan",
"-inf", "-0.0" included), decimal integers for the others.
"""

import json
import math
import os
import sys

import ml_dtypes
import numpy as np
import safetensors
from safetensors import TensorSpec, deserialize, safe_open, serialize, serialize_file
from safetensors.numpy import load_file, save_file

# Header dtype → (numpy dtype, TensorSpec dtype name).
DTYPES = {
    "F64": (np.float64, "float64"),
    "F32": (np.float32, "float32"),
    "F16": (np.float16, "float16"),
    "BF16": (ml_dtypes.bfloat16, "bfloat16"),
    "I64": (np.int64, "int64"),
    "I32": (np.int32, "int32"),
    "I16": (np.int16, "int16"),
    "I8": (np.int8, "int8"),
    "U64": (np.uint64, "uint64"),
    "U32": (np.uint32, "uint32"),
    "U16": (np.uint16, "uint16"),
    "U8": (np.uint8, "uint8"),
    "BOOL": (np.bool_, "bool"),
}
FLOATS = {"F64", "F32", "F16", "BF16"}
# TensorSpec names of dtypes the reference reads and Rectifier refuses.
OTHER_SPEC_NAMES = {"F8_E4M3": "float8_e4m3fn", "F8_E5M2": "float8_e5m2", "F8_E8M0": "float8_e8m0fnu", "C64": "complex64"}


def header_of(data):
    length = int.from_bytes(data[:8], "little")
    return json.loads(data[8 : 8 + length], object_pairs_hook=list), length


def value_strings(dtype, array):
    flat = array.reshape(-1)
    if dtype in FLOATS:
        return [repr(float(x)) for x in flat.astype(np.float64)]
    return [str(int(x)) for x in flat]


def sidecar(tensors, metadata):
    return {
        "metadata": metadata or {},
        "tensors": {
            name: {"dtype": dtype, "shape": list(array.shape), "values": value_strings(dtype, array)}
            for name, (dtype, array) in tensors.items()
        },
    }


def specs(tensors, keep_alive):
    result = {}
    for name, (dtype, array) in tensors.items():
        contiguous = array if array.flags.c_contiguous else array.copy(order="C")
        keep_alive.append(contiguous)
        result[name] = TensorSpec(
            dtype=DTYPES[dtype][1],
            shape=list(contiguous.shape),
            data_ptr=contiguous.ctypes.data,
            data_len=contiguous.nbytes,
        )
    return result


def python_bytes(tensors, metadata):
    """What the library writes for this content (TensorSpec path: every dtype, BF16 too)."""
    keep_alive = []
    return bytes(serialize(specs(tensors, keep_alive), metadata=metadata or None))


def special_floats():
    return [0.0, -0.0, 1.0, -1.5, math.inf, -math.inf, math.nan, 65504.0, 1e-7, 3.0e38, 5e-324, 2.0**-149]


def write_fixtures(directory):
    rng = np.random.default_rng(20240601)
    floats = np.array(special_floats(), dtype=np.float64)
    numpy_tensors = {
        "weight.f64": ("F64", np.concatenate([floats, rng.standard_normal(20)]).reshape(4, 8)),
        "weight.f32": ("F32", np.concatenate([floats, rng.standard_normal(12)]).astype(np.float32).reshape(2, 3, 4)),
        "weight.f16": ("F16", np.concatenate([floats, rng.standard_normal(4)]).astype(np.float16)),
        "counts.i64": ("I64", np.array([-(2**63), -1, 0, 2**63 - 1], dtype=np.int64)),
        "counts.i32": ("I32", np.array([[-(2**31), -1], [0, 2**31 - 1]], dtype=np.int32)),
        "counts.i16": ("I16", np.array([-(2**15), 2**15 - 1], dtype=np.int16)),
        "q.i8": ("I8", np.arange(-128, 128, dtype=np.int8).reshape(16, 16)),
        "bytes.u64": ("U64", np.array([0, 2**64 - 1], dtype=np.uint64)),
        "bytes.u32": ("U32", np.array([0, 2**32 - 1], dtype=np.uint32)),
        "bytes.u16": ("U16", np.array([0, 2**16 - 1], dtype=np.uint16)),
        "bytes.u8": ("U8", np.arange(256, dtype=np.uint8)),
        "mask": ("BOOL", np.array([True, False, True])),
        "empty": ("F32", np.zeros((0, 3), dtype=np.float32)),
        "scalar": ("F64", np.array(2.5)),
    }
    one_key = {"format": "np ✓ \"quoted\"\n\ttab"}
    save_file({name: array for name, (_, array) in numpy_tensors.items()}, os.path.join(directory, "numpy.safetensors"), metadata=one_key)
    write_sidecar(directory, "numpy.safetensors", numpy_tensors, one_key)

    bf16_tensors = {
        "embedding": ("BF16", np.concatenate([floats, rng.standard_normal(20)]).astype(np.float32).astype(ml_dtypes.bfloat16).reshape(4, 8)),
        "bias": ("F32", rng.standard_normal(5).astype(np.float32)),
        "empty.bf16": ("BF16", np.zeros((2, 0), dtype=ml_dtypes.bfloat16)),
    }
    keep_alive = []
    serialize_file(specs(bf16_tensors, keep_alive), os.path.join(directory, "bf16.safetensors"))
    write_sidecar(directory, "bf16.safetensors", bf16_tensors, None)

    many_keys = {"framework": "np", "epoch": "12", "note": "é", "empty": ""}
    small = {"x": ("F32", np.array([1.0, 2.0], dtype=np.float32))}
    save_file({"x": small["x"][1]}, os.path.join(directory, "metadata.safetensors"), metadata=many_keys)
    write_sidecar(directory, "metadata.safetensors", small, many_keys)

    sources32 = rounding_sources(rng).astype(np.float32)
    sources64 = rounding_sources(rng)
    rounding = {
        "source.f32": sources32,
        "f16.of.f32": sources32.astype(np.float16),
        "bf16.of.f32": sources32.astype(ml_dtypes.bfloat16),
        "source.f64": sources64,
        "f16.of.f64": sources64.astype(np.float16),
    }
    keep_alive = []
    rounding_tensors = {name: (dtype_of(array), array) for name, array in rounding.items()}
    serialize_file(specs(rounding_tensors, keep_alive), os.path.join(directory, "rounding.safetensors"))
    print(f"ok: wrote 4 files with safetensors {safetensors.__version__}, numpy {np.__version__}, ml_dtypes {ml_dtypes.__version__}")


def dtype_of(array):
    for name, (numpy_type, _) in DTYPES.items():
        if array.dtype == np.dtype(numpy_type):
            return name
    raise ValueError(array.dtype)


def rounding_sources(rng):
    """Random magnitudes over the F16 and BF16 ranges, ties and near-ties, specials."""
    half_bits = np.arange(0, 0x7C00, 7, dtype=np.uint16)
    halves = half_bits.view(np.float16).astype(np.float64)
    next_halves = (half_bits + 1).view(np.float16).astype(np.float64)
    ties = (halves + next_halves) / 2
    brain_bits = np.arange(0, 0x7F80, 11, dtype=np.uint32) << 16
    brains = brain_bits.view(np.float32).astype(np.float64)
    brain_ties = brains + (((brain_bits + (1 << 16)).view(np.float32).astype(np.float64)) - brains) / 2
    randoms = rng.standard_normal(3000) * np.exp2(rng.integers(-140, 127, 3000))
    values = np.concatenate([ties, np.nextafter(ties, 0), np.nextafter(ties, np.inf), brain_ties, randoms, special_floats()])
    return np.concatenate([values, -values])


def write_sidecar(directory, name, tensors, metadata):
    with open(os.path.join(directory, name + ".json"), "w", encoding="utf-8") as out:
        json.dump(sidecar(tensors, metadata), out, ensure_ascii=False)


def load_any(path):
    """The file's tensors as (dtype, array): through safetensors.numpy.load_file when numpy
    has every dtype, else through the library's raw `deserialize` (BF16 via ml_dtypes)."""
    with open(path, "rb") as handle:
        data = handle.read()
    header, _ = header_of(data)
    dtypes = {name: dict(entry)["dtype"] for name, entry in header if name != "__metadata__"}
    with safe_open(path, framework="np") as handle:
        metadata = handle.metadata()
    if "BF16" not in dtypes.values():
        loaded = load_file(path)
        tensors = {name: (dtypes[name], array) for name, array in loaded.items()}
        reader = "safetensors.numpy.load_file"
    else:
        tensors = {}
        for name, view in deserialize(data):
            array = np.frombuffer(bytes(view["data"]), dtype=DTYPES[view["dtype"]][0]).reshape(view["shape"])
            tensors[name] = (view["dtype"], array)
        reader = "safetensors.deserialize"
    return data, tensors, metadata or {}, reader


def same_value(expected, actual):
    e, a = float(expected), float(actual)
    if math.isnan(e) or math.isnan(a):
        return math.isnan(e) and math.isnan(a)
    return e == a and math.copysign(1, e) == math.copysign(1, a)


def check(path, sidecar_path):
    with open(sidecar_path, encoding="utf-8") as handle:
        expected = json.load(handle)
    data, tensors, metadata, reader = load_any(path)
    failures = []
    if metadata != expected["metadata"]:
        failures.append(f"metadata {metadata!r} != {expected['metadata']!r}")
    if set(tensors) != set(expected["tensors"]):
        failures.append(f"names {sorted(tensors)} != {sorted(expected['tensors'])}")
    for name, want in expected["tensors"].items():
        if name not in tensors:
            continue
        dtype, array = tensors[name]
        if dtype != want["dtype"] or list(array.shape) != want["shape"]:
            failures.append(f"{name}: {dtype} {list(array.shape)} != {want['dtype']} {want['shape']}")
            continue
        got = value_strings(dtype, array)
        same = (lambda e, a: same_value(e, a)) if dtype in FLOATS else (lambda e, a: e == a)
        wrong = [i for i, (e, a) in enumerate(zip(want["values"], got)) if not same(e, a)]
        if wrong or len(got) != len(want["values"]):
            i = wrong[0] if wrong else 0
            failures.append(f"{name}: element {i} is {got[i:i + 1]} not {want['values'][i:i + 1]}")
    rewritten = python_bytes(tensors, metadata)
    if rewritten != data and not same_but_metadata_order(rewritten, data, metadata):
        failures.append(f"the library writes different bytes for the same content ({len(rewritten)} vs {len(data)} bytes)")
    if failures:
        print(f"FAIL: {path} read with {reader}: " + "; ".join(failures))
        sys.exit(1)
    exact = "identical bytes" if rewritten == data else "identical bytes up to the order of metadata keys"
    print(f"ok: {path}: {len(tensors)} tensors read with {reader}, values/dtypes/shapes/metadata as written; {exact}")


def same_but_metadata_order(left, right, metadata):
    """The reference writer orders metadata keys by hash (differently on each run), so with
    two keys or more only that order may differ."""
    if len(metadata) < 2 or len(left) != len(right):
        return False
    (left_header, left_length), (right_header, right_length) = header_of(left), header_of(right)
    strip = lambda header: [(k, v) for k, v in header if k != "__metadata__"]
    return (
        left_length == right_length
        and left[8 + left_length :] == right[8 + right_length :]
        and strip(left_header) == strip(right_header)
        and dict(dict(left_header)["__metadata__"]) == dict(dict(right_header)["__metadata__"])
        and left_header[0][0] == right_header[0][0] == "__metadata__"
    )


def reserialize(directory):
    accepted = rejected = 0
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".bin"):
            continue
        path = os.path.join(directory, name)
        with open(path, "rb") as handle:
            data = handle.read()
        try:
            views = deserialize(data)
            with safe_open(path, framework="np") as handle:
                metadata = handle.metadata()
            tensors = {}
            for tensor_name, view in views:
                raw = np.frombuffer(bytes(view["data"]), dtype=np.uint8)
                tensors[tensor_name] = (view["dtype"], raw, view["shape"])
            keep_alive = []
            spec = {}
            for tensor_name, (dtype, raw, shape) in tensors.items():
                keep_alive.append(raw)
                spec_name = DTYPES[dtype][1] if dtype in DTYPES else OTHER_SPEC_NAMES[dtype]
                spec[tensor_name] = TensorSpec(dtype=spec_name, shape=shape, data_ptr=raw.ctypes.data, data_len=raw.nbytes)
            out = bytes(serialize(spec, metadata=metadata))
            with open(path + ".py", "wb") as handle:
                handle.write(out)
            accepted += 1
        except Exception as error:  # the library's reader refused the file
            with open(path + ".error", "w", encoding="utf-8") as handle:
                handle.write(f"{type(error).__name__}: {error}")
            rejected += 1
    print(f"ok: the library accepted {accepted} and refused {rejected} files")


def main(arguments):
    np.seterr(over="ignore")
    commands = {"write-fixtures": (write_fixtures, 1), "check": (check, 2), "reserialize": (reserialize, 1)}
    if not arguments or arguments[0] not in commands or len(arguments) - 1 != commands[arguments[0]][1]:
        print(__doc__)
        sys.exit(64)
    function, _ = commands[arguments[0]]
    function(*arguments[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
