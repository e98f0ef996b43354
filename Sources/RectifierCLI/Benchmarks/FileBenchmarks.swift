import Foundation
import Interchange
import Networks
import Runtime

/// Reading and writing speed of the two file formats for the 784-256-128-10 model: each
/// step's minimum and median over repeated runs, printed as it is measured. The files go
/// to the temporary directory and are removed afterwards.
enum FileBenchmarks {
    /// A path in the temporary directory for this process.
    private static func temporaryPath(_ suffix: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("rectifier-bench-\(ProcessInfo.processInfo.processIdentifier).\(suffix)").path
    }

    /// safetensors: the model's parameters in F32 (235,146 values, 0.94 MB); `runs` timed
    /// calls per step, one in 25 of them for the atomic write (which syncs to the disk).
    static func safeTensors(runs: Int) throws {
        var model = SafeTensors(metadata: ["architecture": "784-256-128-10"])
        for (index, (inputs, outputs)) in [(784, 256), (256, 128), (128, 10)].enumerated() {
            let weights = (0..<(inputs * outputs)).map { Float($0 % 1000) * 1e-3 }
            model.tensors["layers.\(index).weight"] = try .init(weights, shape: [outputs, inputs])
            model.tensors["layers.\(index).bias"] = try .init([Float](repeating: 0.5, count: outputs))
        }
        let path = temporaryPath("safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.write(to: path)
        let bytes = try model.serialized()
        print("file: \(bytes.count) bytes, \(model.tensors.count) tensors")
        var sink = 0
        func report(_ name: String, runs: Int = runs, _ body: () throws -> Void) rethrows {
            print(try Timing.measure(warmUps: 0, calls: runs, body).line(name))
        }
        try report("read file (open, read, validate)") { sink &+= try SafeTensors(contentsOf: path).tensors.count }
        try report("parse bytes in memory (validate only)") { sink &+= try SafeTensors(serialized: bytes).tensors.count }
        let read = try SafeTensors(contentsOf: path)
        try report("all tensors to [Float]") {
            for tensor in read.tensors.values { sink &+= try tensor.floats().count }
        }
        let weights = try read.tensor(named: "layers.0.weight").floats()
        for dtype in [SafeTensors.DType.float32, .bfloat16, .float16] {
            try report("[Float] to \(dtype.rawValue) tensor (784×256)") {
                sink &+= try SafeTensors.Tensor(weights, shape: [256, 784], as: dtype).byteCount
            }
        }
        for dtype in [SafeTensors.DType.float16, .bfloat16] {
            let tensor = try SafeTensors.Tensor(weights, shape: [256, 784], as: dtype)
            try report("\(dtype.rawValue) tensor to [Float] (784×256)") { sink &+= try tensor.floats().count }
        }
        try report("serialize") { sink &+= try model.serialized().count }
        try report("atomic write (with fsync)", runs: max(1, runs / 25)) { try model.write(to: path) }
        if sink == 42 { print(sink) }
    }

    /// ONNX: export and import of the ReLU model in float32 (235,146 parameters), `runs`
    /// timed calls per step.
    static func onnx(runs: Int) throws {
        var generator = SeededGenerator(seed: 0)
        let model = Sequential<Float>(
            architecture: try .multilayerPerceptron(
                inputSize: 784, hiddenSizes: [256, 128], hiddenActivation: .fixed(.relu), outputSize: 10),
            initialization: try Initialization(), generator: &generator)
        let path = temporaryPath("onnx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let network = try ONNXModel(model)
        let bytes = network.onnxBytes()
        print("file: \(bytes.count) bytes")
        var sink = 0
        func report(_ name: String, _ body: () throws -> Void) rethrows {
            print(try Timing.measure(warmUps: 0, calls: runs, body).line(name))
        }
        try report("export: model → file (map, serialise, atomic write, fsync)") { try ONNXModel(model).writeONNX(to: path) }
        report("export: network → bytes") { sink &+= network.onnxBytes().count }
        try report("import: file → model (read, decode, validate, map)") {
            sink &+= Sequential<Float>(converting: try ONNXModel(contentsOfONNXFile: path).model).parameters.count
        }
        try report("import: bytes → network") { sink &+= try ONNXModel(onnx: bytes).model.parameters.count }
        if sink == 42 { print(sink) }
    }
}

extension Timing.Summary {
    /// `name: min X µs, median Y µs over N runs`, the line the file benchmarks print.
    func line(_ name: String) -> String {
        let format = { (value: Double) in String(Int((value * 1e6).rounded())) + " µs" }
        return "\(name): min \(format(minimum)), median \(format(median)) over \(calls) runs"
    }
}
