"""NumPy (with SciPy's expit for the logistic): every op is a ufunc call with out= into a
preallocated output, so no pass allocates. NumPy's ufuncs run on one thread; for more, the
buffer is cut into contiguous chunks of at least 2^18 elements (a thread pool's hand-off costs
more than Rectifier's, whose compute-bound kernels cut from 2^14) run on a thread pool: ufuncs
release the GIL.

Ops that NumPy has no single ufunc for take several passes over memory, each with out=:
leaky ReLU and PReLU are max(x, a·x) (valid for slopes in [0, 1]), ReLU backward is
g · (y > 0) through a preallocated mask, softplus backward is g · expit(x)."""

import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.special

import common

MINIMUM_CHUNK = 1 << 18


def operations(slopes):
    def relu(x, g, y, mask): np.maximum(x, 0, out=y)
    def leaky(x, g, y, mask): np.multiply(x, np.float32(0.01), out=y); np.maximum(x, y, out=y)
    def prelu(x, g, y, mask):
        x2, y2 = x.reshape(-1, common.PRELU_SLOPES), y.reshape(-1, common.PRELU_SLOPES)
        np.multiply(x2, slopes, out=y2); np.maximum(x2, y2, out=y2)
    def absolute(x, g, y, mask): np.abs(x, out=y)
    def softplus(x, g, y, mask): np.logaddexp(x, np.float32(0), out=y)
    def sigmoid(x, g, y, mask): scipy.special.expit(x, out=y)
    def tanh(x, g, y, mask): np.tanh(x, out=y)
    def copy(x, g, y, mask): np.copyto(y, x)
    def gelu(x, g, y, mask): scipy.special.ndtr(x, out=y); np.multiply(x, y, out=y)
    def gelu_tanh(x, g, y, mask):
        np.multiply(x, x, out=y); np.multiply(y, np.float32(common.GELU_C), out=y); np.add(y, np.float32(1), out=y)
        np.multiply(y, x, out=y); np.multiply(y, np.float32(2 * common.GELU_K), out=y)
        scipy.special.expit(y, out=y); np.multiply(x, y, out=y)
    def silu(x, g, y, mask): scipy.special.expit(x, out=y); np.multiply(x, y, out=y)
    def elu(x, g, y, mask): np.expm1(x, out=y); np.copyto(y, x, where=x > 0)
    def selu(x, g, y, mask):
        np.expm1(x, out=y); np.multiply(y, np.float32(common.SELU_ALPHA), out=y); np.copyto(y, x, where=x > 0)
        np.multiply(y, np.float32(common.SELU_SCALE), out=y)
    def mish(x, g, y, mask): np.logaddexp(x, np.float32(0), out=y); np.tanh(y, out=y); np.multiply(x, y, out=y)
    # Backward: x stands for what the layer keeps (ReLU's output, softplus's input).
    def relu_backward(x, g, y, mask): np.greater(x, 0, out=mask); np.multiply(g, mask, out=y)
    def softplus_backward(x, g, y, mask): scipy.special.expit(x, out=y); np.multiply(y, g, out=y)
    return [
        ("copy", "forward", copy, "np.copyto"),
        ("relu", "forward", relu, "np.maximum(x, 0, out=y)"),
        ("leaky_relu", "forward", leaky, "np.multiply + np.maximum, out=y (2 passes)"),
        ("prelu", "forward", prelu, "np.multiply (broadcast slopes) + np.maximum, out=y (2 passes)"),
        ("abs", "forward", absolute, "np.abs(out=y)"),
        ("softplus", "forward", softplus, "np.logaddexp(x, 0, out=y)"),
        ("sigmoid", "forward", sigmoid, "scipy.special.expit(out=y)"),
        ("tanh", "forward", tanh, "np.tanh(out=y)"),
        ("gelu", "forward", gelu, "x · scipy.special.ndtr(x), out=y (2 passes)"),
        ("gelu_tanh", "forward", gelu_tanh, "x · expit(2z), out=y (7 passes)"),
        ("silu", "forward", silu, "x · expit(x), out=y (2 passes)"),
        ("elu", "forward", elu, "np.expm1 + np.copyto(where=x > 0), out=y (2 passes)"),
        ("selu", "forward", selu, "λ·(x > 0 ? x : α·expm1(x)), out=y (4 passes)"),
        ("mish", "forward", mish, "x · tanh(logaddexp(x, 0)), out=y (3 passes)"),
        ("relu", "backward", relu_backward, "np.greater(out=mask) + np.multiply(out=dx) (2 passes)"),
        ("softplus", "backward", softplus_backward, "expit(out=dx) + np.multiply(out=dx) (2 passes)"),
    ]


def elementwise(threads):
    rows = []
    slopes = common.prelu_slopes()
    pool = ThreadPoolExecutor(max_workers=threads) if threads > 1 else None
    for elements in common.SIZES:
        x, g = common.inputs(elements)
        y = np.zeros_like(x)
        mask = np.zeros(elements, np.bool_)
        chunks = max(1, min(threads, elements // MINIMUM_CHUNK))
        step = elements // chunks
        bounds = [(c * step, elements if c == chunks - 1 else (c + 1) * step) for c in range(chunks)]
        for op, direction, function, method in operations(slopes):
            source = np.maximum(x, 0) if (op, direction) == ("relu", "backward") else x
            if chunks == 1:
                body = lambda: function(source, g, y, mask)
            else:
                def body():
                    list(pool.map(lambda b: function(source[b[0]:b[1]], g[b[0]:b[1]], y[b[0]:b[1]], mask[b[0]:b[1]]), bounds))
            seconds = common.median_seconds(body, common.calls_for(elements))
            used = chunks
            rows.append(common.row("numpy", op, direction, elements, used, seconds, method))
    return rows


def accuracy():
    return {
        "softplus": common.max_ulp("softplus", lambda x: np.logaddexp(x, np.float32(0))),
        "sigmoid": common.max_ulp("sigmoid", lambda x: scipy.special.expit(x)),
        "tanh": common.max_ulp("tanh", lambda x: np.tanh(x)),
        **{name: common.max_ulp(table, lambda x, f=function: call(f, x))
           for (name, direction, function, _) in operations(common.prelu_slopes())
           for table in [common.MEMBERS.get(name)] if table and direction == "forward"},
    }


def call(function, x):
    y = np.zeros_like(x)
    with np.errstate(all="ignore"):
        function(x, x, y, np.zeros(x.size, np.bool_))
    return y


if __name__ == "__main__":
    task = sys.argv[1]
    threads = common.thread_count()
    versions = {"numpy": np.__version__, "scipy": scipy.__version__}
    if task == "elementwise":
        common.emit({"framework": "numpy", "versions": versions, "rows": elementwise(threads)})
    elif task == "accuracy":
        common.emit({"framework": "numpy", "versions": versions, "accuracy": accuracy()})
    else:
        sys.exit(f"numpy_peer.py: unknown task '{task}' (elementwise, accuracy)")
