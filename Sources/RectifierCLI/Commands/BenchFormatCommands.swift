import Activations
import ArgumentParser
import Runtime

/// `rectifier bench int8-gemm [--rows N] [--runs N] [--threads N,…]`.
struct BenchInt8GEMMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "int8-gemm",
        abstract: "Time the int8 GEMM and the int8 network against the Float GEMM.",
        discussion: """
            The int8 GEMM (±127 and 7-bit weights, every kernel path, and the fused layer with \
            bias and ReLU requantisation) against OpenBLAS sgemm as training calls it, on \
            rows×784×256 and rows×256×128, for each thread count: GOPS (a multiply and an add \
            count two) as the median (best) of --runs calls. Then the int8 784-256-128-10 ReLU \
            network (random weights) on 1 thread: samples/s at batch 1 (100 × --runs calls) and \
            at batch --rows.
            """)

    @Option(help: "Rows of the GEMM's left operand, the batch (1…16384).")
    var rows = 1024

    @Option(help: "Timed calls per measurement (1…100000).")
    var runs = 30

    @Option(help: ArgumentHelp(
        "Thread counts, comma-separated; 'all' is every core (\(Execution.processorCount)).", valueName: "counts"))
    var threads = "1,2"

    func validate() throws {
        try requireRange(rows, 1...16384, flag: "--rows")
        try requireRange(runs, 1...100_000, flag: "--runs")
        _ = try BenchActivationsCommand.threadCounts(threads)
    }

    func run() throws {
        let benchmark = IntegerGEMMBenchmark(rows: rows, runs: runs)
        try benchmark.gemm(threads: try BenchActivationsCommand.threadCounts(threads))
        try benchmark.network()
    }
}

/// `rectifier bench safetensors [--runs N]`.
struct BenchSafeTensorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "safetensors",
        abstract: "Time reading and writing a safetensors file of the 784-256-128-10 model.",
        discussion: """
            The model's parameters in F32 (235,146 values, 0.94 MB) in the temporary directory: \
            reading, parsing, conversion to and from F32, BF16 and F16, serialising, and the \
            atomic write with fsync (one call in 25); the minimum and median of each.
            """)

    @Option(help: "Timed calls per step (25…1000000).")
    var runs = 500

    func validate() throws { try requireRange(runs, 25...1_000_000, flag: "--runs") }

    func run() throws { try FileBenchmarks.safeTensors(runs: runs) }
}

/// `rectifier bench onnx [--runs N]`.
struct BenchONNXCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onnx",
        abstract: "Time ONNX export and import of the 784-256-128-10 ReLU model.",
        discussion: """
            The model in float32 (235,146 parameters) in the temporary directory: export to a \
            file (with the atomic write and fsync) and to bytes, import from a file and from \
            bytes; the minimum and median of each.
            """)

    @Option(help: "Timed calls per step (1…100000).")
    var runs = 50

    func validate() throws { try requireRange(runs, 1...100_000, flag: "--runs") }

    func run() throws { try FileBenchmarks.onnx(runs: runs) }
}
