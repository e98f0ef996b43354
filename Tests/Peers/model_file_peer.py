"""Writes a Rectifier model file with the Python `safetensors` library (NumPy), for
Tests/InterchangeTests/ModelFilePeerTests.swift.

  write-model PATH ARCHITECTURE_JSON   one F32 tensor per parameter of a perceptron
                                       (layers.i.weight [out, in], layers.i.bias [out]),
                                       element k of each tensor = (k % 7 - 3) / 8, and the
                                       metadata rectifier.format = "model",
                                       rectifier.architecture = ARCHITECTURE_JSON
"""

import json
import sys

import numpy as np
from safetensors.numpy import save_file


def write_model(path, architecture_json):
    architecture = json.loads(architecture_json)
    tensors = {}
    for index, layer in enumerate(architecture["layers"]):
        if layer["type"] != "dense":
            continue
        inputs, outputs = layer["inputs"], layer["outputs"]
        for name, shape in ((f"layers.{index}.weight", (outputs, inputs)), (f"layers.{index}.bias", (outputs,))):
            count = int(np.prod(shape))
            tensors[name] = ((np.arange(count) % 7 - 3) / 8).astype(np.float32).reshape(shape)
    save_file(tensors, path, metadata={"rectifier.format": "model", "rectifier.architecture": architecture_json})
    print(path, sorted(tensors))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "write-model":
        write_model(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
