"""Loads a Rectifier model file into a PyTorch module, for
Tests/InterchangeTests/ConvolutionalModelFileTests.swift.

Usage: torch_model_peer.py MODEL.safetensors INPUT.json [train]
Builds `layers = nn.Sequential(...)` from the file's rectifier.architecture metadata (conv,
maxpool, avgpool, gap, flatten, dense, batchnorm, dropout, and the tanh/relu/softplus
activations), reads the file's tensors with `load_state_dict(strict=True)` (so names and
shapes must be PyTorch's), runs INPUT (a JSON list of rows of C·H·W values) in float32 on
one thread, in eval mode (or train mode: batch statistics, dropout), and prints the outputs
as one JSON list of rows.
"""
import json
import sys

import torch
from safetensors import safe_open
from safetensors.torch import load_file


def layer(description):
    kind = description["type"]
    if kind == "conv":
        channels, _, _ = description["input"]
        k, stride = description["kernel"], description["stride"]
        if description["padding"] == "same" and stride != 1:
            raise SystemExit("strided same padding has no nn.Conv2d spelling")
        return torch.nn.Conv2d(channels, description["filters"], k, stride=stride, padding=description["padding"])
    if kind == "maxpool":
        return torch.nn.MaxPool2d(description["kernel"], stride=description["stride"])
    if kind == "avgpool":
        return torch.nn.AvgPool2d(description["kernel"], stride=description["stride"])
    if kind == "gap":
        return torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten())
    if kind == "flatten":
        return torch.nn.Flatten()
    if kind == "batchnorm":
        if "input" in description:
            return torch.nn.BatchNorm2d(description["input"][0])
        return torch.nn.BatchNorm1d(description["width"])
    if kind == "dropout":
        return torch.nn.Dropout(description["p"])
    if kind == "dense":
        return torch.nn.Linear(description["inputs"], description["outputs"])
    if kind == "activation":
        return {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "softplus": torch.nn.Softplus}[description["activation"]]()
    raise SystemExit(f"no PyTorch layer for {kind!r}")


class Model(torch.nn.Module):
    def __init__(self, architecture):
        super().__init__()
        self.layers = torch.nn.Sequential(*[layer(d) for d in architecture["layers"]])
        self.shape = architecture["layers"][0].get("input")

    def forward(self, x):
        return self.layers(x.reshape(x.shape[0], *self.shape) if self.shape else x)


def main():
    torch.set_num_threads(1)
    with safe_open(sys.argv[1], framework="pt") as handle:
        architecture = json.loads(handle.metadata()["rectifier.architecture"])
    model = Model(architecture)
    model.load_state_dict(load_file(sys.argv[1]), strict=True)
    with open(sys.argv[2]) as handle:
        rows = torch.tensor(json.load(handle), dtype=torch.float32)
    model.train(len(sys.argv) > 3 and sys.argv[3] == "train")
    with torch.no_grad():
        print(json.dumps(model(rows).tolist()))


if __name__ == "__main__":
    main()
