#!/usr/bin/env python3
"""PyTorch's values and derivatives of the smooth descendants, for TorchPeerTests.

    python torch_peer.py INPUTS OUTPUTS

INPUTS holds one number per line (shortest round-trip decimals). OUTPUTS gets, for each
member and for float32 and float64, one line per input: "name dtype value derivative", the
derivative from autograd (the gradient of the sum), numbers as repr of a Python float.
"""
import sys

import torch
import torch.nn.functional as F

MEMBERS = {
    "gelu": lambda x: F.gelu(x),
    "gelu:tanh": lambda x: F.gelu(x, approximate="tanh"),
    "silu": F.silu,
    "elu": F.elu,
    "elu:alpha=0.5": lambda x: F.elu(x, alpha=0.5),
    "selu": F.selu,
    "mish": F.mish,
}


def main(arguments):
    inputs_path, outputs_path = arguments
    with open(inputs_path) as f:
        values = [float(line) for line in f if line.strip()]
    torch.set_num_threads(1)
    lines = []
    for name, function in MEMBERS.items():
        for dtype, label in ((torch.float32, "float"), (torch.float64, "double")):
            x = torch.tensor(values, dtype=dtype, requires_grad=True)
            y = function(x)
            y.sum().backward()
            for value, derivative in zip(y.tolist(), x.grad.tolist()):
                lines.append("%s %s %r %r" % (name, label, value, derivative))
    with open(outputs_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
