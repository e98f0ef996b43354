// Timing of ONNX export and import for the 784-256-128-10 ReLU model in float32 (235,146
// parameters); not built by the package. Run from the repo root:
//
//   make bench-onnx
//
// which builds the Interchange module and its dependencies with the release flags, links
// this file against their objects, and prints the minimum and median of repeated runs (the
// machine is shared, so the minimum is the figure). The target is under 0.2 s each way.
import Interchange
import Networks

#if canImport(Glibc)
    import Glibc
#endif

@main
struct ONNXBenchmark {
    static func main() throws {
        var generator = SeededGenerator(seed: 0)
        let model = try Sequential<Float>(
            architecture: .multilayerPerceptron(inputSize: 784, hiddenSizes: [256, 128], hiddenActivation: .fixed(.relu), outputSize: 10),
            initialization: Initialization(), generator: &generator)
        let path = "/tmp/rectifier-bench-\(getpid()).onnx"
        defer { unlink(path) }
        let network = try PortableNetwork(model)
        print("file: \(network.onnxBytes().count) bytes")
        var sink = 0
        try report("export: model → file (map, serialise, atomic write, fsync)", repeats: 50) {
            try PortableNetwork(model).writeONNX(to: path)
        }
        report("export: network → bytes", repeats: 50) {
            sink &+= network.onnxBytes().count
        }
        try report("import: file → model (read, decode, validate, map)", repeats: 50) {
            sink &+= try Sequential<Float>(try PortableNetwork(contentsOfONNXFile: path)).parameters.count
        }
        let bytes = network.onnxBytes()
        try report("import: bytes → network", repeats: 50) {
            sink &+= try PortableNetwork(onnx: bytes).layers.count
        }
        print("(\(sink))")
    }
}
