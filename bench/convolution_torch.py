#!/usr/bin/env python3
"""PyTorch's side of `rectifier bench convolution`: the same convolution (1×28×28 images,
float32, NCHW), forward and backward with and without the input gradient, median and best
of --runs calls in ms, on --threads threads (torch.set_num_threads).

    .build/venv/bin/python bench/convolution_torch.py --batch 128 --filters 32 --kernel 5
"""
import argparse
import statistics
import time

import torch
import torch.nn.functional as F


def timed(function, runs):
    for _ in range(3):
        function()
    durations = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        function()
        durations.append((time.perf_counter_ns() - start) * 1e-9)
    return statistics.median(durations), min(durations)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--filters", type=int, default=32)
    parser.add_argument("--kernel", type=int, default=5)
    parser.add_argument("--padding", choices=["same", "valid"], default="valid")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    x = torch.rand(args.batch, 1, 28, 28)
    weight = (torch.rand(args.filters, 1, args.kernel, args.kernel) - 0.5) * 0.4
    bias = torch.zeros(args.filters)
    padding = "same" if args.padding == "same" else 0
    with torch.no_grad():
        forward = timed(lambda: F.conv2d(x, weight, bias, padding=padding), args.runs)
    y_shape = F.conv2d(x, weight, bias, padding=padding).shape
    gradient = torch.rand(y_shape) * 2 - 1

    def backward(with_input):
        xs = x.clone().requires_grad_(with_input)
        w = weight.clone().requires_grad_()
        b = bias.clone().requires_grad_()
        y = F.conv2d(xs, w, b, padding=padding)

        def step():
            torch.autograd.grad(y, [xs, w, b] if with_input else [w, b], gradient, retain_graph=True)

        return timed(step, args.runs)

    full, first = backward(True), backward(False)
    ms = lambda pair: f"{pair[0] * 1e3:.2f} ({pair[1] * 1e3:.2f})"
    print(f"torch {torch.__version__}, threads {args.threads}, batch {args.batch}, output {tuple(y_shape[1:])}")
    print(f"forward ms {ms(forward)}  backward ms {ms(full)}  backward no dx ms {ms(first)}  "
          f"samples/s fwd+bwd {args.batch / (forward[0] + full[0]):.0f}")


if __name__ == "__main__":
    main()
