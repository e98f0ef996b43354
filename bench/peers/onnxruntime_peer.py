"""ONNX Runtime on the CPU execution provider. Each op is a one-node (or few-node) ONNX model
run through I/O binding onto OrtValues allocated once (input and output), so a timed run
allocates nothing. Threads: SessionOptions.intra_op_num_threads = BENCH_THREADS,
inter_op_num_threads = 1, sequential execution.

Elementwise: memcpy is an Identity node, PReLU the PRelu operator with slopes [1024]
broadcast over rows of 1024; ReLU backward is Where(Greater(y, 0), g, 0) and softplus
backward Mul(g, Sigmoid(x)) (the ORT CPU build has no fused gradient kernels outside its
training package).

Inference: the model file Rectifier wrote (Float32) and its dynamically quantised twin
(onnxruntime.quantization.quantize_dynamic, int8 weights, per-tensor, uint8 activations
quantised at run time), each at batch 1 and 1024 on the Fashion-MNIST test images; also the
top-1 agreement of the int8 model with the Float32 one and the operators of the int8 graph
(whether Conv became ConvInteger). ONNX Runtime's CPU provider has ConvInteger for uint8
weights only: when the int8-weight model is refused, the peer quantises with uint8 weights
(QUInt8) and says so (`int8_weight_type`)."""

import os
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

import common

THREADS = common.thread_count()


def session(model_bytes):
    options = ort.SessionOptions()
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])


def graph(nodes, inputs, initializers=(), opset=17):
    shape = ["n"]
    tensors = [helper.make_tensor_value_info(name, TensorProto.FLOAT, shape) for name in inputs]
    output = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    model = helper.make_model(
        helper.make_graph(nodes, "op", tensors, [output], initializer=list(initializers)),
        opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8 if opset <= 18 else 9
    return model.SerializeToString()


def elementwise_models(slopes):
    zero = helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0])
    shape = helper.make_tensor("rows", TensorProto.INT64, [2], [-1, common.PRELU_SLOPES])
    flat = helper.make_tensor("flat", TensorProto.INT64, [1], [-1])
    slope_tensor = helper.make_tensor("slopes", TensorProto.FLOAT, [common.PRELU_SLOPES], slopes.tolist())
    one = lambda op, **attributes: graph([helper.make_node(op, ["x"], ["y"], **attributes)], ["x"])
    return [
        ("copy", "forward", one("Identity"), "Identity"),
        ("relu", "forward", one("Relu"), "Relu"),
        ("leaky_relu", "forward", one("LeakyRelu", alpha=0.01), "LeakyRelu"),
        ("prelu", "forward", graph([
            helper.make_node("Reshape", ["x", "rows"], ["x2"]),
            helper.make_node("PRelu", ["x2", "slopes"], ["y2"]),
            helper.make_node("Reshape", ["y2", "flat"], ["y"])], ["x"], [shape, flat, slope_tensor]),
         "PRelu, slopes [1024] (Reshape views)"),
        ("abs", "forward", one("Abs"), "Abs"),
        ("softplus", "forward", one("Softplus"), "Softplus"),
        ("sigmoid", "forward", one("Sigmoid"), "Sigmoid"),
        ("tanh", "forward", one("Tanh"), "Tanh"),
    ] + [(name, "forward", model, method) for name, model, method in member_models()] + [
        ("relu", "backward", graph([
            helper.make_node("Greater", ["x", "zero"], ["mask"]),
            helper.make_node("Where", ["mask", "g", "zero"], ["y"])], ["x", "g"], [zero]),
         "Where(Greater(y, 0), g, 0)"),
        ("softplus", "backward", graph([
            helper.make_node("Sigmoid", ["x"], ["s"]),
            helper.make_node("Mul", ["g", "s"], ["y"])], ["x", "g"]),
         "Mul(g, Sigmoid(x))"),
    ]


def member_models():
    """The smooth descendants: opset 20's Gelu (both forms), opset 18's Mish, Elu, Selu, and
    SiLU as Mul(x, Sigmoid(x)) (no ONNX operator)."""
    single = lambda op, opset=17, **attributes: graph([helper.make_node(op, ["x"], ["y"], **attributes)], ["x"], opset=opset)
    return [
        ("gelu", single("Gelu", 20), "Gelu (opset 20)"),
        ("gelu_tanh", single("Gelu", 20, approximate="tanh"), "Gelu approximate=tanh (opset 20)"),
        ("silu", graph([helper.make_node("Sigmoid", ["x"], ["s"]), helper.make_node("Mul", ["x", "s"], ["y"])], ["x"]),
         "Mul(x, Sigmoid(x))"),
        ("elu", single("Elu"), "Elu"),
        ("selu", single("Selu"), "Selu"),
        ("mish", single("Mish", 18), "Mish (opset 18)"),
    ]


def bound_run(sess, feeds, output):
    """A closure running sess on preallocated OrtValues through I/O binding."""
    binding = sess.io_binding()
    for name, value in feeds.items():
        binding.bind_ortvalue_input(name, ort.OrtValue.ortvalue_from_numpy(value))
    out = ort.OrtValue.ortvalue_from_numpy(output)
    binding.bind_ortvalue_output(sess.get_outputs()[0].name, out)
    def run():
        sess.run_with_iobinding(binding)
    return run, out


def elementwise():
    rows = []
    slopes = common.prelu_slopes()
    for elements in common.SIZES:
        x, g = common.inputs(elements)
        relu_output = np.maximum(x, 0)
        y = np.zeros_like(x)
        for op, direction, model, method in elementwise_models(slopes):
            sess = session(model)
            names = [i.name for i in sess.get_inputs()]
            saved = relu_output if (op, direction) == ("relu", "backward") else x
            feeds = {"x": saved, "g": g} if "g" in names else {"x": saved}
            run, _ = bound_run(sess, feeds, y)
            seconds = common.median_seconds(run, common.calls_for(elements), warmup=3)
            rows.append(common.row("onnxruntime", op, direction, elements, THREADS, seconds, method + ", I/O binding"))
    return rows


def accuracy():
    def runner(model):
        sess = session(model)
        return lambda x: sess.run(None, {"x": x})[0]

    def run(op):
        sess = session(graph([helper.make_node(op, ["x"], ["y"])], ["x"]))
        return lambda x: sess.run(None, {"x": x})[0]
    return {
        "softplus": common.max_ulp("softplus", run("Softplus")),
        "sigmoid": common.max_ulp("sigmoid", run("Sigmoid")),
        "tanh": common.max_ulp("tanh", run("Tanh")),
        **{name: common.max_ulp(common.MEMBERS[name], runner(model)) for name, model, _ in member_models()},
    }


def inference(model_path):
    """samples/s at batch 1 and 1024 for the Float32 model and its dynamic int8 twin, and
    each one's test accuracy."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    images, labels = common.fashion_mnist("test")
    quantized = os.path.join(tempfile.mkdtemp(), "model-int8.onnx")
    quantize_dynamic(model_path, quantized, weight_type=QuantType.QInt8)
    weight_type = "QInt8"
    try:
        with open(quantized, "rb") as f:
            session(f.read())
    except Exception as error:  # ConvInteger has no int8-weight kernel on the CPU provider
        print(f"onnxruntime_peer.py: int8 weights refused ({str(error).splitlines()[0]}); using uint8 weights",
              file=sys.stderr)
        quantize_dynamic(model_path, quantized, weight_type=QuantType.QUInt8)
        weight_type = "QUInt8"
    rows, accuracies, predicted = [], {}, {}
    for precision, path in [("float32", model_path), ("int8", quantized)]:
        with open(path, "rb") as f:
            sess = session(f.read())
        input_name = sess.get_inputs()[0].name
        logits = sess.run(None, {input_name: images})[0]
        predicted[precision] = logits.argmax(axis=1)
        accuracies[precision] = float((predicted[precision] == labels).mean())
        for batch in (1, 1024):
            feeds = {input_name: np.ascontiguousarray(images[:batch])}
            run, _ = bound_run(sess, feeds, np.zeros((batch, logits.shape[1]), np.float32))
            seconds = common.median_seconds(run, 3000 if batch == 1 else 60, warmup=10)
            rows.append({"precision": precision, "batch": batch, "threads": THREADS,
                         "seconds_per_batch": seconds, "samples_per_second": batch / seconds})
    operators = sorted({node.op_type for node in onnx.load(quantized).graph.node})
    agreement = float((predicted["int8"] == predicted["float32"]).mean())
    return {"rows": rows, "accuracy": accuracies, "agreement_int8_float32": agreement, "int8_operators": operators,
            "int8_weight_type": weight_type}


if __name__ == "__main__":
    task = sys.argv[1]
    versions = {"onnxruntime": ort.__version__, "onnx": onnx.__version__}
    document = {"framework": "onnxruntime", "versions": versions, "threads": THREADS}
    if task == "elementwise":
        document["rows"] = elementwise()
    elif task == "accuracy":
        document["accuracy"] = accuracy()
    elif task == "inference":
        document["inference"] = inference(sys.argv[2])
    else:
        sys.exit(f"onnxruntime_peer.py: unknown task '{task}' (elementwise, accuracy, inference MODEL)")
    common.emit(document)
