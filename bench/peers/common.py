"""What every peer script shares: the inputs (the same distribution as `rectifier bench
activations`), the timing rule (median of repeated calls after a warm-up), Fashion-MNIST,
peak resident memory, and the JSON line each peer prints for bench/compare."""

import gzip
import json
import os
import resource
import statistics
import sys
import time

import numpy as np

SIZES = [1 << 24, 1 << 16] if not os.environ.get("BENCH_QUICK") else [1 << 16]
PRELU_SLOPES = 1024
FASHION_MNIST = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
REFERENCE = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "ActivationsTests", "Reference")


def calls_for(elements, runs=25):
    """As the Swift benchmark: small sizes get more calls (at most 2000)."""
    return max(runs, min(2000, runs * max(1, (1 << 22) // elements)))


def median_seconds(body, calls, warmup=1, budget=1.0):
    """Median wall time of `calls` calls of body() after `warmup` untimed calls; slow bodies
    get fewer calls (at least 9), about `budget` seconds' worth, judged by the warm-up."""
    start = time.perf_counter()
    for _ in range(warmup):
        body()
    per_call = (time.perf_counter() - start) / max(warmup, 1)
    calls = min(calls, max(9, int(budget / max(per_call, 1e-9))))
    times = []
    for _ in range(calls):
        start = time.perf_counter_ns()
        body()
        times.append((time.perf_counter_ns() - start) * 1e-9)
    return statistics.median(times)


def inputs(elements):
    """x uniform in [-8, 8] and the gradient g = 1 - x/16, Float32, touched (no page faults)."""
    rng = np.random.default_rng(0x5EED)
    x = rng.uniform(-8, 8, elements).astype(np.float32)
    g = (1 - x / 16).astype(np.float32)
    return x, g


def prelu_slopes():
    """The slopes rectifier bench activations uses: 0.01 + 0.24 c / 1024."""
    return (0.01 + 0.24 * np.arange(PRELU_SLOPES, dtype=np.float32) / PRELU_SLOPES).astype(np.float32)


def row(framework, op, direction, elements, threads, seconds, method):
    """One elementwise row: GB/s counts bytes read + written (8 forward, 12 backward)."""
    bytes_per_element = 8 if direction == "forward" else 12
    return {
        "framework": framework, "op": op, "direction": direction, "elements": elements,
        "threads": threads, "ns_per_element": seconds / elements * 1e9,
        "gb_per_second": bytes_per_element * elements / seconds / 1e9, "method": method,
    }


def ulp_distance(a, b):
    """Steps between Float32 values a and b (arrays), through the ordered integer map."""
    def ordered(v):
        i = v.view(np.int32).astype(np.int64)
        return np.where(i < 0, -(i & 0x7FFFFFFF), i)
    return np.abs(ordered(np.asarray(a, np.float32)) - ordered(np.asarray(b, np.float32)))


def reference_table(name):
    """x and the correctly rounded value from the committed 50-digit mpmath table (Float32)."""
    xs, values = [], []
    with open(os.path.join(REFERENCE, f"{name}-float.txt")) as table:
        for line in table:
            if line.startswith("#"):
                continue
            fields = line.split()
            xs.append(int(fields[0], 16))
            values.append(int(fields[1], 16))
    return (np.array(xs, np.uint32).view(np.float32), np.array(values, np.uint32).view(np.float32))


# The smooth descendants: op name in the tables of bench/compare → mpmath table name.
MEMBERS = {"gelu": "gelu", "gelu_tanh": "gelu-tanh", "silu": "silu", "elu": "elu", "selu": "selu", "mish": "mish"}
SELU_SCALE, SELU_ALPHA = 1.0507009873554804934193349852946, 1.6732632423543772848170429916717
GELU_K, GELU_C = (2 / np.pi) ** 0.5, 0.044715


def max_ulp(name, evaluate):
    """Largest ulp error of evaluate(x) on the table's finite x: over every point whose
    reference is zero or a normal Float32 (the tails below the smallest normal are left out,
    as docs/ACTIVATIONS.md does for Rectifier), and over the points whose reference is at
    least 1e-6 in magnitude (where a flush to zero in a far tail does not count); and the
    number of points in the first set."""
    x, reference = reference_table(name)
    keep = np.isfinite(x) & ((np.abs(reference) >= np.finfo(np.float32).tiny) | (reference == 0))
    x, reference = x[keep], reference[keep]
    errors = ulp_distance(np.asarray(evaluate(x.copy()), np.float32), reference)
    core = np.abs(reference) >= 1e-6
    return {"max_ulp": int(errors.max()), "max_ulp_above_1e-6": int(errors[core].max()), "points": int(x.size)}


def fashion_mnist(split="train"):
    """Images as Float32 in [0, 1] (byte / 255) and labels as int32, from the IDX files."""
    prefix = "train" if split == "train" else "t10k"
    with gzip.open(os.path.join(FASHION_MNIST, f"{prefix}-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)
    with gzip.open(os.path.join(FASHION_MNIST, f"{prefix}-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return (images.astype(np.float32) / np.float32(255)), labels.astype(np.int32)


def peak_rss_bytes():
    """ru_maxrss of this process (kilobytes on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def emit(document):
    """The one JSON document bench/compare reads from the peer's standard output."""
    json.dump(document, sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()


def thread_count():
    """The thread count bench/compare asked for (BENCH_THREADS)."""
    return int(os.environ.get("BENCH_THREADS", "1"))
