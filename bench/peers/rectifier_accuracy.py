"""Rectifier's own max ulp error on the same tables and by the same rule as the peers:
`rectifier eval FUNCTION --type float` (the vectorised Float kernels) at every table point,
given as hex floats; its CSV prints values that read back to the same bits."""

import sys

import numpy as np

import common


def evaluate(binary, function):
    import subprocess

    def run(x):
        texts = [float(v).hex() for v in x]
        output = subprocess.run([binary, "eval", function, "--type", "float", "--"] + texts,
                                capture_output=True, text=True, check=True).stdout
        values = [line.split(",")[1] for line in output.strip().splitlines()[1:]]
        return np.array([np.float32(v) for v in values], np.float32)
    return run


if __name__ == "__main__":
    binary = sys.argv[1]
    accuracy = {name: common.max_ulp(name, evaluate(binary, name)) for name in ("softplus", "sigmoid", "tanh")}
    spellings = {"gelu_tanh": "gelu:tanh"}
    accuracy.update({name: common.max_ulp(table, evaluate(binary, spellings.get(name, name)))
                     for name, table in common.MEMBERS.items()})
    common.emit({"framework": "rectifier", "versions": {}, "accuracy": accuracy})
