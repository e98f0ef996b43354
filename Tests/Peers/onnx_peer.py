"""The Python side of Rectifier's ONNX interop tests.

Run by Tests/InterchangeTests/ONNXPeerTests.swift with the peer venv's python (.build/venv,
made by `make peer-venv`). Exits non-zero with a message on the first failure.

  run BATCH (MODEL OUTPUT)+  checks each MODEL with onnx.checker (full check, strict shape
                             inference), runs it with onnxruntime on the batch in BATCH
                             (JSON: {"rows": R, "values": [R × features floats]}) and writes
                             every graph output to OUTPUT (JSON: {name: [floats]}), as float64
  check MODEL+               only the checker, for models the runtime has no kernels for
  write-fixtures DIR         models built with the onnx helper API, for import here:
                             DIR/NAME.onnx and DIR/NAME.json with the batch, the shape it is
                             fed in, and onnxruntime's outputs; DIR/unsupported-NAME.onnx with
                             DIR/unsupported-NAME.json naming the operator and node the
                             importer must refuse

Floats in JSON are repr() of the float64 value, so they round-trip exactly.
"""

import json
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, checker, helper, numpy_helper, shape_inference

OPSET = 13


def check(model_path):
    model = onnx.load(model_path)
    checker.check_model(model, full_check=True)
    shape_inference.infer_shapes(model, strict_mode=True)


def run(batch_path, model_path, output_path):
    check(model_path)
    with open(batch_path) as f:
        batch = json.load(f)
    session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    feed = session.get_inputs()[0]
    dtype = np.float64 if feed.type == "tensor(double)" else np.float32
    values = np.array(batch["values"], dtype=np.float64).astype(dtype)
    values = values.reshape([batch["rows"]] + list(feed.shape[1:]))
    outputs = session.run(None, {feed.name: values})
    result = {
        info.name: [float(v) for v in out.astype(np.float64).reshape(-1)]
        for info, out in zip(session.get_outputs(), outputs)
    }
    with open(output_path, "w") as f:
        json.dump(result, f)
    print("ok:", model_path, ", ".join(f"{k} {len(v)}" for k, v in result.items()))


def floats(generator, *shape, scale=0.5):
    return (generator.standard_normal(shape) * scale).astype(np.float32)


def save(directory, name, graph, batch_shape, generator, opset=OPSET, elem=np.float32):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="onnx-peer")
    model.ir_version = 8 if opset <= 18 else 9
    checker.check_model(model, full_check=True)
    path = os.path.join(directory, name + ".onnx")
    onnx.save(model, path)
    batch = generator.standard_normal(batch_shape).astype(elem)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    out = session.run(None, {session.get_inputs()[0].name: batch})[0]
    with open(os.path.join(directory, name + ".json"), "w") as f:
        json.dump({
            "rows": batch_shape[0],
            "input": [float(v) for v in batch.astype(np.float64).reshape(-1)],
            "output": [float(v) for v in out.astype(np.float64).reshape(-1)],
            "output_width": int(out.shape[1]),
        }, f)


def tensor_input(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def init(name, array):
    return numpy_helper.from_array(array, name)


def write_fixtures(directory):
    g = np.random.default_rng(7)
    rows = 5

    # Gemm with transB=0, alpha and beta, a [1, N] bias; LeakyRelu; Gemm transB=1; Softmax.
    graph = helper.make_graph(
        [
            helper.make_node("Gemm", ["x", "w0", "b0"], ["h0"], name="fc0", alpha=0.5, beta=2.0),
            helper.make_node("LeakyRelu", ["h0"], ["a0"], name="act0", alpha=0.2),
            helper.make_node("Gemm", ["a0", "w1", "b1"], ["h1"], name="fc1", transB=1),
            helper.make_node("Softmax", ["h1"], ["p"], name="probs", axis=-1),
        ],
        "gemm-leaky-softmax",
        [tensor_input("x", ["N", 6])],
        [tensor_input("p", ["N", 3])],
        [init("w0", floats(g, 6, 5)), init("b0", floats(g, 1, 5)), init("w1", floats(g, 3, 5)), init("b1", floats(g, 3))],
    )
    save(directory, "gemm-leaky-softmax", graph, (rows, 6), g)

    # Flatten from [N, 1, 2, 3], MatMul + Add, PRelu per unit, MatMul + Add (bias first), Tanh.
    graph = helper.make_graph(
        [
            helper.make_node("Flatten", ["image"], ["flat"], name="flatten"),
            helper.make_node("MatMul", ["flat", "w0"], ["m0"], name="matmul0"),
            helper.make_node("Add", ["m0", "b0"], ["h0"], name="add0"),
            helper.make_node("PRelu", ["h0", "slope"], ["a0"], name="prelu0"),
            helper.make_node("MatMul", ["a0", "w1"], ["m1"], name="matmul1"),
            helper.make_node("Add", ["b1", "m1"], ["h1"], name="add1"),
            helper.make_node("Tanh", ["h1"], ["y"], name="tanh"),
        ],
        "flatten-matmul-prelu",
        [tensor_input("image", ["N", 1, 2, 3])],
        [tensor_input("y", ["N", 2])],
        [
            init("w0", floats(g, 6, 4)), init("b0", floats(g, 4)), init("slope", np.abs(floats(g, 4))),
            init("w1", floats(g, 4, 2)), init("b1", floats(g, 1, 2)),
        ],
    )
    save(directory, "flatten-matmul-prelu", graph, (rows, 1, 2, 3), g)

    # Reshape to [-1, 6] with a Constant shape, Gemm without C, Sigmoid, Abs, Softplus,
    # Identity, Relu, shared PRelu slope, opset 17.
    shape = helper.make_node("Constant", [], ["shape"], name="shape", value=init("shape_value", np.array([-1, 6], dtype=np.int64)))
    graph = helper.make_graph(
        [
            shape,
            helper.make_node("Reshape", ["x", "shape"], ["flat"], name="reshape"),
            helper.make_node("Gemm", ["flat", "w0"], ["h0"], name="fc0"),
            helper.make_node("Sigmoid", ["h0"], ["a0"], name="sigmoid"),
            helper.make_node("Gemm", ["a0", "w1", "b1"], ["h1"], name="fc1", transB=1),
            helper.make_node("Abs", ["h1"], ["a1"], name="abs"),
            helper.make_node("Softplus", ["a1"], ["a2"], name="softplus"),
            helper.make_node("Identity", ["a2"], ["a3"], name="identity"),
            helper.make_node("Gemm", ["a3", "w2", "b2"], ["h2"], name="fc2", transB=1),
            helper.make_node("Relu", ["h2"], ["a4"], name="relu"),
            helper.make_node("PRelu", ["a4", "shared"], ["y"], name="prelu-shared"),
        ],
        "reshape-mixed",
        [tensor_input("x", ["N", 2, 3])],
        [tensor_input("y", ["N", 3])],
        [
            init("w0", floats(g, 6, 5)), init("w1", floats(g, 4, 5)), init("b1", floats(g, 4)),
            init("w2", floats(g, 3, 4)), init("b2", floats(g, 3)), init("shared", np.array([0.3], dtype=np.float32)),
        ],
    )
    save(directory, "reshape-mixed", graph, (rows, 2, 3), g, opset=17)

    # Double precision: Gemm and Relu in float64.
    graph = helper.make_graph(
        [
            helper.make_node("Gemm", ["x", "w0", "b0"], ["h0"], name="fc0", transB=1),
            helper.make_node("Relu", ["h0"], ["y"], name="relu"),
        ],
        "double",
        [tensor_input("x", ["N", 3], TensorProto.DOUBLE)],
        [tensor_input("y", ["N", 2], TensorProto.DOUBLE)],
        [init("w0", g.standard_normal((2, 3))), init("b0", g.standard_normal(2))],
    )
    save(directory, "double", graph, (rows, 3), g, elem=np.float64)

    # The formula members as other exporters write them, opset 13: GELU as PyTorch writes it
    # (Div by √2 inside Erf), SiLU with Mul's operands the other way round, Mish, ELU, SELU.
    root2 = np.array(np.sqrt(2), dtype=np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("Gemm", ["x", "w0", "b0"], ["h0"], name="fc0", transB=1),
            helper.make_node("Div", ["h0", "root2"], ["g0"], name="gelu.div"),
            helper.make_node("Erf", ["g0"], ["g1"], name="gelu.erf"),
            helper.make_node("Add", ["g1", "one"], ["g2"], name="gelu.add"),
            helper.make_node("Mul", ["h0", "g2"], ["g3"], name="gelu.mul"),
            helper.make_node("Mul", ["g3", "half"], ["a0"], name="gelu"),
            helper.make_node("Gemm", ["a0", "w1", "b1"], ["h1"], name="fc1", transB=1),
            helper.make_node("Sigmoid", ["h1"], ["s1"], name="silu.sigmoid"),
            helper.make_node("Mul", ["s1", "h1"], ["a1"], name="silu"),
            helper.make_node("Gemm", ["a1", "w2", "b2"], ["h2"], name="fc2", transB=1),
            helper.make_node("Softplus", ["h2"], ["m1"], name="mish.softplus"),
            helper.make_node("Tanh", ["m1"], ["m2"], name="mish.tanh"),
            helper.make_node("Mul", ["h2", "m2"], ["a2"], name="mish"),
            helper.make_node("Elu", ["a2"], ["a3"], name="elu", alpha=0.5),
            helper.make_node("Selu", ["a3"], ["y"], name="selu"),
        ],
        "formulas",
        [tensor_input("x", ["N", 4])],
        [tensor_input("y", ["N", 3])],
        [
            init("w0", floats(g, 5, 4, scale=1.5)), init("b0", floats(g, 5)), init("root2", root2),
            init("one", np.array(1, dtype=np.float32)), init("half", np.array(0.5, dtype=np.float32)),
            init("w1", floats(g, 4, 5, scale=1.5)), init("b1", floats(g, 4)),
            init("w2", floats(g, 3, 4, scale=1.5)), init("b2", floats(g, 3)),
        ],
    )
    save(directory, "formulas", graph, (rows, 4), g)

    # Opset 20's Gelu (both forms) and opset 18's Mish as single operators.
    graph = helper.make_graph(
        [
            helper.make_node("Gemm", ["x", "w0", "b0"], ["h0"], name="fc0", transB=1),
            helper.make_node("Gelu", ["h0"], ["a0"], name="gelu"),
            helper.make_node("Gemm", ["a0", "w1", "b1"], ["h1"], name="fc1", transB=1),
            helper.make_node("Mish", ["h1"], ["a1"], name="mish"),
            helper.make_node("Gemm", ["a1", "w2", "b2"], ["h2"], name="fc2", transB=1),
            helper.make_node("Gelu", ["h2"], ["y"], name="gelu-tanh", approximate="tanh"),
        ],
        "gelu-mish-ops",
        [tensor_input("x", ["N", 4])],
        [tensor_input("y", ["N", 3])],
        [
            init("w0", floats(g, 5, 4, scale=1.5)), init("b0", floats(g, 5)),
            init("w1", floats(g, 4, 5, scale=1.5)), init("b1", floats(g, 4)),
            init("w2", floats(g, 3, 4, scale=1.5)), init("b2", floats(g, 3)),
        ],
    )
    save(directory, "gelu-mish-ops", graph, (rows, 4), g, opset=20)

    # A [N, 1, 6, 6] image: Conv 3×3 padded 1 (kernel from the weight), BatchNormalization,
    # Relu, MaxPool 2, Dropout, Conv 2×2 stride 2 without bias, AveragePool, Flatten, Gemm.
    graph = helper.make_graph(
        [
            helper.make_node("Conv", ["image", "k0", "c0"], ["h0"], name="conv0", pads=[1, 1, 1, 1]),
            helper.make_node("BatchNormalization", ["h0", "gamma", "beta", "mean", "var"], ["n0"], name="bn0", epsilon=1e-5),
            helper.make_node("Relu", ["n0"], ["a0"], name="relu0"),
            helper.make_node("MaxPool", ["a0"], ["p0"], name="pool0", kernel_shape=[2, 2], strides=[2, 2]),
            helper.make_node("Dropout", ["p0", "ratio"], ["d0"], name="drop0"),
            helper.make_node("Conv", ["d0", "k1"], ["h1"], name="conv1", kernel_shape=[2, 2], strides=[1, 1]),
            helper.make_node("AveragePool", ["h1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[1, 1]),
            helper.make_node("Flatten", ["p1"], ["flat"], name="flatten"),
            helper.make_node("Gemm", ["flat", "w", "b"], ["y"], name="fc", transB=1),
        ],
        "conv-batchnorm-pool",
        [tensor_input("image", ["N", 1, 6, 6])],
        [tensor_input("y", ["N", 3])],
        [
            init("k0", floats(g, 2, 1, 3, 3)), init("c0", floats(g, 2)), init("gamma", floats(g, 2)),
            init("beta", floats(g, 2)), init("mean", floats(g, 2)), init("var", np.abs(floats(g, 2)) + 0.5),
            init("ratio", np.array(0.25, dtype=np.float32)), init("k1", floats(g, 3, 2, 2, 2)),
            init("w", floats(g, 3, 3)), init("b", floats(g, 3)),
        ],
    )
    save(directory, "conv-batchnorm-pool", graph, (rows, 1, 6, 6), g)

    # Unsupported: a dilated Conv, and a residual Add of two computed values.
    unsupported = {
        "conv": (
            helper.make_graph(
                [
                    helper.make_node("Conv", ["x", "k"], ["c"], name="conv1", dilations=[2, 2]),
                    helper.make_node("Flatten", ["c"], ["y"], name="flatten"),
                ],
                "conv",
                [tensor_input("x", ["N", 1, 4, 4])],
                [tensor_input("y", ["N", 4])],
                [init("k", floats(g, 1, 1, 2, 2))],
            ),
            {"attribute": "dilations", "node": "conv1"},
        ),
        "residual": (
            helper.make_graph(
                [
                    helper.make_node("Relu", ["x"], ["r"], name="relu"),
                    helper.make_node("Add", ["x", "r"], ["y"], name="skip"),
                ],
                "residual",
                [tensor_input("x", ["N", 4])],
                [tensor_input("y", ["N", 4])],
            ),
            {"chain": "skip"},
        ),
    }
    for name, (graph, expected) in unsupported.items():
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
        checker.check_model(model, full_check=True)
        onnx.save(model, os.path.join(directory, f"unsupported-{name}.onnx"))
        with open(os.path.join(directory, f"unsupported-{name}.json"), "w") as f:
            json.dump(expected, f)
    print("ok: fixtures written")


def main(arguments):
    if arguments[:1] == ["run"] and len(arguments) >= 4 and len(arguments) % 2 == 0:
        for model, output in zip(arguments[2::2], arguments[3::2]):
            run(arguments[1], model, output)
    elif arguments[:1] == ["check"] and len(arguments) >= 2:
        for model in arguments[1:]:
            check(model)
            print("ok:", model)
    elif arguments[:1] == ["write-fixtures"] and len(arguments) == 2:
        write_fixtures(arguments[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
