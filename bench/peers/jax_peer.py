"""JAX on the CPU (XLA). Each op is one jitted function f(x, out) whose output buffer is
donated (donate_argnums, with keep_unused=True so that XLA keeps the unused parameter and
aliases the output to it: without it the donation is dropped and every call maps a fresh
64 MiB output, 5× the CPU time at 2^24); the next call donates the result again, so a timed
call allocates nothing new. Timing waits for the result
(block_until_ready). Backward passes are the formulas autodiff produces, fused by XLA:
where(y > 0, g, 0) for ReLU, g · sigmoid(x) for softplus.

Threads: bench/compare sets XLA_FLAGS before JAX starts; for one thread
`--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1`, and the process is also
pinned to one CPU (os.sched_setaffinity), since XLA sizes its thread pool from the CPUs it
may run on."""

import os
import sys

import common

THREADS = common.thread_count()
if THREADS == 1 and hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

import jax
import jax.numpy as jnp
import numpy as np


def operations(slopes):
    def prelu(x):
        x2 = x.reshape(-1, common.PRELU_SLOPES)
        return jnp.where(x2 > 0, x2, slopes * x2).reshape(-1)
    return [
        ("copy", "forward", lambda x: x + jnp.float32(0), "x + 0 (a copy XLA cannot elide)"),
        ("relu", "forward", jax.nn.relu, "jax.nn.relu"),
        ("leaky_relu", "forward", lambda x: jax.nn.leaky_relu(x, 0.01), "jax.nn.leaky_relu"),
        ("prelu", "forward", prelu, "where(x > 0, x, slopes·x), slopes broadcast"),
        ("abs", "forward", jnp.abs, "jnp.abs"),
        ("softplus", "forward", jax.nn.softplus, "jax.nn.softplus"),
        ("sigmoid", "forward", jax.nn.sigmoid, "jax.nn.sigmoid"),
        ("tanh", "forward", jnp.tanh, "jnp.tanh"),
    ] + MEMBERS


MEMBERS = [
    ("gelu", "forward", lambda x: jax.nn.gelu(x, approximate=False), "jax.nn.gelu(approximate=False)"),
    ("gelu_tanh", "forward", lambda x: jax.nn.gelu(x, approximate=True), "jax.nn.gelu(approximate=True)"),
    ("silu", "forward", jax.nn.silu, "jax.nn.silu"),
    ("elu", "forward", jax.nn.elu, "jax.nn.elu"),
    ("selu", "forward", jax.nn.selu, "jax.nn.selu"),
    ("mish", "forward", lambda x: x * jnp.tanh(jax.nn.softplus(x)), "x · tanh(softplus(x)), fused"),
]


BACKWARD = [
    ("relu", lambda y, g: jnp.where(y > 0, g, jnp.float32(0)), "where(y > 0, g, 0), fused"),
    ("softplus", lambda x, g: g * jax.nn.sigmoid(x), "g · sigmoid(x), fused"),
]


def elementwise():
    rows = []
    slopes = jnp.asarray(common.prelu_slopes())
    for elements in common.SIZES:
        xh, gh = common.inputs(elements)
        x, g = jnp.asarray(xh), jnp.asarray(gh)
        relu_output = jax.nn.relu(x).block_until_ready()
        for op, direction, function, method in operations(slopes):
            step = jax.jit(lambda x, out, f=function: f(x), donate_argnums=(1,), keep_unused=True)
            state = {"out": jnp.zeros_like(x)}
            def body():
                state["out"] = step(x, state["out"])
                state["out"].block_until_ready()
            seconds = common.median_seconds(body, common.calls_for(elements), warmup=3)
            rows.append(common.row("jax", op, direction, elements, THREADS, seconds, method + ", donated output"))
        for op, function, method in BACKWARD:
            saved = relu_output if op == "relu" else x
            step = jax.jit(lambda s, g, out, f=function: f(s, g), donate_argnums=(2,), keep_unused=True)
            state = {"out": jnp.zeros_like(x)}
            def body():
                state["out"] = step(saved, g, state["out"])
                state["out"].block_until_ready()
            seconds = common.median_seconds(body, common.calls_for(elements), warmup=3)
            rows.append(common.row("jax", op, "backward", elements, THREADS, seconds, method + ", donated output"))
    return rows


def accuracy():
    def run(f):
        return lambda x: np.asarray(jax.jit(f)(jnp.asarray(x)))
    return {
        "softplus": common.max_ulp("softplus", run(jax.nn.softplus)),
        "sigmoid": common.max_ulp("sigmoid", run(jax.nn.sigmoid)),
        "tanh": common.max_ulp("tanh", run(jnp.tanh)),
        **{name: common.max_ulp(common.MEMBERS[name], run(f)) for name, _, f, _ in MEMBERS},
    }


def train(activation, epochs):
    """784-256-128-10, He-uniform weights, zero biases, softmax cross-entropy, Adam 1e-3
    (β 0.9, 0.999, ε 1e-8), batch 128, a fresh shuffle each epoch; the whole epoch is one
    compiled lax.scan over the batches with the parameters donated. The last partial batch
    is dropped (468 batches, 59 904 samples). Returns seconds per epoch (after one untimed
    epoch that compiles), samples/epoch and the final training accuracy."""
    images, labels = common.fashion_mnist("train")
    act = {"relu": jax.nn.relu, "tanh": jnp.tanh}[activation]
    sizes = [784, 256, 128, 10]
    key = jax.random.PRNGKey(0)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        key, sub = jax.random.split(key)
        bound = (6 / fan_in) ** 0.5
        params.append((jax.random.uniform(sub, (fan_in, fan_out), jnp.float32, -bound, bound), jnp.zeros(fan_out, jnp.float32)))
    moments = jax.tree_util.tree_map(jnp.zeros_like, (params, params))
    batch, batches = 128, images.shape[0] // 128
    x_all, y_all = jnp.asarray(images), jnp.asarray(labels)

    def loss(params, x, y):
        h = x
        for w, b in params[:-1]:
            h = act(h @ w + b)
        w, b = params[-1]
        logits = h @ w + b
        return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], axis=1))

    def epoch(params, moments, t, order):
        def step(carry, indices):
            params, (m, v), t = carry
            grads = jax.grad(loss)(params, x_all[indices], y_all[indices])
            t = t + 1
            m = jax.tree_util.tree_map(lambda m, g: 0.9 * m + 0.1 * g, m, grads)
            v = jax.tree_util.tree_map(lambda v, g: 0.999 * v + 0.001 * g * g, v, grads)
            scale = 1e-3 * jnp.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
            params = jax.tree_util.tree_map(lambda p, m, v: p - scale * m / (jnp.sqrt(v) + 1e-8), params, m, v)
            return (params, (m, v), t), None
        (params, moments, t), _ = jax.lax.scan(step, (params, moments, t), order.reshape(batches, batch))
        return params, moments, t

    run_epoch = jax.jit(epoch, donate_argnums=(0, 1))
    rng = np.random.default_rng(0)
    t = jnp.float32(0)
    seconds = []
    import time
    for index in range(epochs + 1):
        order = jnp.asarray(rng.permutation(images.shape[0])[: batches * batch].astype(np.int32))
        start = time.perf_counter()
        params, moments, t = run_epoch(params, moments, t, order)
        jax.block_until_ready(params)
        if index > 0:
            seconds.append(time.perf_counter() - start)
    h = x_all
    for w, b in params[:-1]:
        h = act(h @ w + b)
    predicted = np.asarray(jnp.argmax(h @ params[-1][0] + params[-1][1], axis=1))
    return {"epoch_seconds": seconds, "samples": batches * batch,
            "final_train_accuracy": float((predicted == labels).mean())}


if __name__ == "__main__":
    task = sys.argv[1]
    import jaxlib
    versions = {"jax": jax.__version__, "jaxlib": jaxlib.__version__}
    document = {"framework": "jax", "versions": versions, "threads": THREADS,
                "xla_flags": os.environ.get("XLA_FLAGS", "")}
    if task == "elementwise":
        document["rows"] = elementwise()
    elif task == "accuracy":
        document["accuracy"] = accuracy()
    elif task == "train":
        document["train"] = train(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 2)
        document["train"]["peak_rss_bytes"] = common.peak_rss_bytes()
    else:
        sys.exit(f"jax_peer.py: unknown task '{task}' (elementwise, accuracy, train ACTIVATION [EPOCHS])")
    common.emit(document)
