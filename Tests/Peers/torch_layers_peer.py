"""PyTorch's view of image layers, for Tests/NetworksTests/TorchLayerPeerTests.swift.

Usage: torch_layers_peer.py CASES.json
CASES is a JSON list; each case holds the layer ("kind" and its sizes), the dtype, the
parameters, the input and the gradient of the output, all flat in NCHW / OIHW order. Prints
one JSON list with one object per case: the output, the gradients of the input and of each
parameter, and for batch norm the running statistics after the step. One process for all
cases (importing torch takes seconds), one thread.
"""
import json
import sys

import torch
import torch.nn.functional as F


def main():
    with open(sys.argv[1]) as handle:
        cases = json.load(handle)
    torch.set_num_threads(1)
    print(json.dumps([run(case) for case in cases]))


def run(case):
    dtype = {"float32": torch.float32, "float64": torch.float64}[case["dtype"]]
    batch = case["batch"]
    channels, height, width = case["input_shape"]
    x = torch.tensor(case["input"], dtype=dtype).reshape(batch, channels, height, width).requires_grad_()
    kind = case["kind"]
    parameters = {}
    result = {}
    if kind == "conv":
        k, stride, filters = case["kernel"], case["stride"], case["filters"]
        weight = torch.tensor(case["weight"], dtype=dtype).reshape(filters, channels, k, k).requires_grad_()
        bias = torch.tensor(case["bias"], dtype=dtype).requires_grad_()
        parameters = {"weight": weight, "bias": bias}
        if case["padding"] == "valid":
            y = F.conv2d(x, weight, bias, stride=stride)
        elif stride == 1:
            y = F.conv2d(x, weight, bias, stride=1, padding="same")
        else:
            # TensorFlow's 'same' (PyTorch refuses padding='same' with a stride): ceil(size/stride)
            # positions, the odd zero after.
            pads = []
            for size in (width, height):
                positions = -(-size // stride)
                total = max((positions - 1) * stride + k - size, 0)
                pads += [total // 2, total - total // 2]
            y = F.conv2d(F.pad(x, pads), weight, bias, stride=stride)
    elif kind == "maxpool":
        y = F.max_pool2d(x, case["kernel"], stride=case["stride"])
    elif kind == "avgpool":
        y = F.avg_pool2d(x, case["kernel"], stride=case["stride"])
    elif kind == "gap":
        y = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
    elif kind == "batchnorm":
        layer = torch.nn.BatchNorm2d(channels, dtype=dtype)
        with torch.no_grad():
            layer.weight.copy_(torch.tensor(case["weight"], dtype=dtype))
            layer.bias.copy_(torch.tensor(case["bias"], dtype=dtype))
            layer.running_mean.copy_(torch.tensor(case["running_mean"], dtype=dtype))
            layer.running_var.copy_(torch.tensor(case["running_var"], dtype=dtype))
        layer.train(case["training"])
        parameters = {"weight": layer.weight, "bias": layer.bias}
        y = layer(x)
        result["running_mean"] = layer.running_mean.tolist()
        result["running_var"] = layer.running_var.tolist()
    else:
        raise SystemExit(f"unknown kind {kind!r}")
    gradient = torch.tensor(case["grad_output"], dtype=dtype).reshape(y.shape)
    y.backward(gradient)
    result["output"] = y.detach().reshape(-1).tolist()
    result["grad_input"] = x.grad.reshape(-1).tolist()
    for name, tensor in parameters.items():
        result["grad_" + name] = tensor.grad.reshape(-1).tolist()
    return result


if __name__ == "__main__":
    main()
