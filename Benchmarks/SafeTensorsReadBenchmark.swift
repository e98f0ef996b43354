// Timing of safetensors reading and writing for the 784-256-128-10 model's parameters in F32
// (235,146 values, 0.94 MB); not built by SwiftPM. Run from the repo root:
//
//   make bench-safetensors
//
// which compiles this file with the reader's sources, optimised for this CPU, and prints the
// minimum and median of repeated runs (the machine is shared, so the minimum is the figure).

#if canImport(Glibc)
    import Glibc
#endif

@main
struct SafeTensorsReadBenchmark {
    static func main() throws {
        let layers = [(784, 256), (256, 128), (128, 10)]
        var model = SafeTensors(metadata: ["architecture": "784-256-128-10"])
        for (index, (inputs, outputs)) in layers.enumerated() {
            let weights = (0..<(inputs * outputs)).map { Float($0 % 1000) * 1e-3 }
            model.tensors["layers.\(index).weight"] = try .init(weights, shape: [outputs, inputs])
            model.tensors["layers.\(index).bias"] = try .init([Float](repeating: 0.5, count: outputs))
        }
        let path = "/tmp/rectifier-bench-\(getpid()).safetensors"
        defer { unlink(path) }
        try model.write(to: path)
        let bytes = try model.serialized()
        print("file: \(bytes.count) bytes, \(model.tensors.count) tensors")
        var sink = 0
        try report("read file (open, read, validate)", repeats: 500) {
            sink &+= try SafeTensors(contentsOf: path).tensors.count
        }
        try report("parse bytes in memory (validate only)", repeats: 500) {
            sink &+= try SafeTensors(serialized: bytes).tensors.count
        }
        let read = try SafeTensors(contentsOf: path)
        try report("all tensors to [Float]", repeats: 500) {
            for tensor in read.tensors.values { sink &+= try tensor.floats().count }
        }
        let weights = try read.tensor(named: "layers.0.weight").floats()
        try report("[Float] to F32 tensor (784×256)", repeats: 500) {
            sink &+= try SafeTensors.Tensor(weights, shape: [256, 784]).byteCount
        }
        try report("[Float] to BF16 tensor (784×256)", repeats: 500) {
            sink &+= try SafeTensors.Tensor(weights, shape: [256, 784], as: .bfloat16).byteCount
        }
        try report("[Float] to F16 tensor (784×256)", repeats: 500) {
            sink &+= try SafeTensors.Tensor(weights, shape: [256, 784], as: .float16).byteCount
        }
        let halves = try SafeTensors.Tensor(weights, shape: [256, 784], as: .float16)
        let brains = try SafeTensors.Tensor(weights, shape: [256, 784], as: .bfloat16)
        try report("F16 tensor to [Float] (784×256)", repeats: 500) { sink &+= try halves.floats().count }
        try report("BF16 tensor to [Float] (784×256)", repeats: 500) { sink &+= try brains.floats().count }
        try report("serialize", repeats: 500) { sink &+= try model.serialized().count }
        try report("atomic write (with fsync)", repeats: 20) { try model.write(to: path) }
        if sink == 42 { print(sink) }
    }
}
