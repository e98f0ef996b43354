"""PyTorch, CPU build. Every op writes into a preallocated tensor through an out= overload:
torch.clamp_min, aten leaky_relu.out, torch.abs, aten softplus.out, torch.sigmoid,
torch.tanh; PReLU (no out= overload) is mul + maximum with out=, two passes, like NumPy's.
Backward uses the kernels autograd itself calls: aten threshold_backward (ReLU, from the
output) and softplus_backward (from the input), out= variants. Threads: torch.set_num_threads
(BENCH_THREADS), and OMP_NUM_THREADS set by bench/compare.

Training: the same 784-256-128-10 network, torch.optim.Adam(lr=1e-3), batch 128, shuffled
each epoch with the last partial batch kept (469 steps), cross-entropy loss."""

import sys
import time

import numpy as np
import torch

import common

THREADS = common.thread_count()
torch.set_num_threads(THREADS)
aten = torch.ops.aten


def operations(slopes):
    def prelu(x, y):
        x2, y2 = x.view(-1, common.PRELU_SLOPES), y.view(-1, common.PRELU_SLOPES)
        torch.mul(x2, slopes, out=y2); torch.maximum(x2, y2, out=y2)
    return [
        ("copy", "forward", lambda x, y: y.copy_(x), "Tensor.copy_"),
        ("relu", "forward", lambda x, y: torch.clamp_min(x, 0, out=y), "torch.clamp_min(out=)"),
        ("leaky_relu", "forward", lambda x, y: aten.leaky_relu.out(x, 0.01, out=y), "aten.leaky_relu.out"),
        ("prelu", "forward", prelu, "torch.mul + torch.maximum, out= (2 passes)"),
        ("abs", "forward", lambda x, y: torch.abs(x, out=y), "torch.abs(out=)"),
        ("softplus", "forward", lambda x, y: aten.softplus.out(x, 1, 20, out=y), "aten.softplus.out"),
        ("sigmoid", "forward", lambda x, y: torch.sigmoid(x, out=y), "torch.sigmoid(out=)"),
        ("tanh", "forward", lambda x, y: torch.tanh(x, out=y), "torch.tanh(out=)"),
    ] + [(name, "forward", function, method) for name, function, method in MEMBERS]


MEMBERS = [
    ("gelu", lambda x, y: aten.gelu.out(x, approximate="none", out=y), "aten.gelu.out"),
    ("gelu_tanh", lambda x, y: aten.gelu.out(x, approximate="tanh", out=y), "aten.gelu.out(approximate='tanh')"),
    ("silu", lambda x, y: aten.silu.out(x, out=y), "aten.silu.out"),
    ("elu", lambda x, y: aten.elu.out(x, 1.0, 1.0, 1.0, out=y), "aten.elu.out"),
    ("selu", lambda x, y: aten.elu.out(x, common.SELU_ALPHA, common.SELU_SCALE, 1.0, out=y), "aten.elu.out (SELU's constants, as torch.selu)"),
    ("mish", lambda x, y: aten.mish.out(x, out=y), "aten.mish.out"),
]


def elementwise():
    rows = []
    slopes = torch.from_numpy(common.prelu_slopes())
    for elements in common.SIZES:
        xh, gh = common.inputs(elements)
        x, g = torch.from_numpy(xh), torch.from_numpy(gh)
        relu_output = torch.clamp_min(x, 0)
        y = torch.zeros_like(x)
        for op, direction, function, method in operations(slopes):
            seconds = common.median_seconds(lambda: function(x, y), common.calls_for(elements))
            rows.append(common.row("torch", op, direction, elements, THREADS, seconds, method))
        backward = [
            ("relu", lambda: aten.threshold_backward.grad_input(g, relu_output, 0, grad_input=y),
             "aten.threshold_backward.grad_input (autograd's kernel)"),
            ("softplus", lambda: aten.softplus_backward.grad_input(g, x, 1, 20, grad_input=y),
             "aten.softplus_backward.grad_input (autograd's kernel)"),
        ]
        for op, body, method in backward:
            seconds = common.median_seconds(body, common.calls_for(elements))
            rows.append(common.row("torch", op, "backward", elements, THREADS, seconds, method))
    return rows


def accuracy():
    run = lambda f: (lambda x: f(torch.from_numpy(x)).numpy())
    return {
        "softplus": common.max_ulp("softplus", run(torch.nn.functional.softplus)),
        "sigmoid": common.max_ulp("sigmoid", run(torch.sigmoid)),
        "tanh": common.max_ulp("tanh", run(torch.tanh)),
        **{name: common.max_ulp(common.MEMBERS[name], run(lambda x, f=f: f(x, torch.empty_like(x))))
           for name, f, _ in MEMBERS},
    }


def train(activation, epochs):
    images, labels = common.fashion_mnist("train")
    x_all, y_all = torch.from_numpy(images), torch.from_numpy(labels.astype(np.int64))
    torch.manual_seed(0)
    if activation == "cnn":
        # bench/compare's CNN_LAYERS: conv:32x5,maxpool:2,conv:64x5,maxpool:2,dense:1024, ReLU, NCHW.
        x_all = x_all.reshape(-1, 1, 28, 28)
        model = torch.nn.Sequential(
            torch.nn.Conv2d(1, 32, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(32, 64, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
            torch.nn.Linear(1024, 1024), torch.nn.ReLU(), torch.nn.Linear(1024, 10))
    else:
        act = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh}[activation]
        model = torch.nn.Sequential(
            torch.nn.Linear(784, 256), act(), torch.nn.Linear(256, 128), act(), torch.nn.Linear(128, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_function = torch.nn.CrossEntropyLoss()
    seconds = []
    for _ in range(epochs):
        order = torch.randperm(x_all.shape[0])
        start = time.perf_counter()
        for first in range(0, x_all.shape[0], 128):
            indices = order[first:first + 128]
            optimizer.zero_grad(set_to_none=False)
            loss = loss_function(model(x_all[indices]), y_all[indices])
            loss.backward()
            optimizer.step()
        seconds.append(time.perf_counter() - start)
    with torch.no_grad():
        # In chunks: the CNN's activations for all 60 000 images at once would dominate the peak RSS.
        correct = sum((model(x_all[first:first + 1024]).argmax(dim=1) == y_all[first:first + 1024]).sum().item()
                      for first in range(0, x_all.shape[0], 1024))
        accuracy = correct / x_all.shape[0]
    return {"epoch_seconds": seconds, "samples": int(x_all.shape[0]), "final_train_accuracy": accuracy}


if __name__ == "__main__":
    task = sys.argv[1]
    document = {"framework": "torch", "versions": {"torch": torch.__version__}, "threads": torch.get_num_threads()}
    if task == "elementwise":
        document["rows"] = elementwise()
    elif task == "accuracy":
        document["accuracy"] = accuracy()
    elif task == "train":
        document["train"] = train(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 2)
        document["train"]["peak_rss_bytes"] = common.peak_rss_bytes()
    else:
        sys.exit(f"torch_peer.py: unknown task '{task}' (elementwise, accuracy, train relu|tanh|cnn [EPOCHS])")
    common.emit(document)
