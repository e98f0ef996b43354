import Activations
import Experiments
import ArgumentParser
import Foundation
import Interchange
import Runtime

/// `rectifier bench …`: the benchmarks, one subcommand each.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the library's speed.",
        subcommands: [
            BenchActivationsCommand.self,
            BenchTrainCommand.self,
            BenchInferenceCommand.self,
            BenchDataCommand.self,
            BenchAccuracyCommand.self,
            BenchInt8GEMMCommand.self,
            BenchSafeTensorsCommand.self,
            BenchONNXCommand.self,
            BenchConvolutionCommand.self,
        ])
}

/// `rectifier bench activations [--json FILE] [--runs N] [--elements N,…] [--threads N,…]`.
struct BenchActivationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activations",
        abstract: "Time the activation kernels (Float32) against a plain copy of the same size.",
        discussion: """
            For each of copy, relu, leaky_relu, abs, softplus, sigmoid, tanh and prelu (1024 \
            slopes, sizes that are multiples of 1024), forward and backward, into a caller-provided output: the median ns/element over the runs, GB/s \
            counting bytes read + written (8 per element forward, 12 backward), and the ratio \
            of that bandwidth to the fastest plain copy (memcpy or the copy loop) measured in \
            the same run. Backward reads what the layer keeps: the output for relu and leaky \
            ReLU, the input for the others.
            """)

    @Option(help: ArgumentHelp("Also write the results as a JSON array to this file.", valueName: "file"))
    var json: String?

    @Option(help: "Timed calls per measurement (at least 20; small sizes get more).")
    var runs = 25

    @Option(help: ArgumentHelp(
        "Buffer sizes in elements, comma-separated; 2^k is accepted.", valueName: "sizes"))
    var elements = "2^24,2^16"

    @Option(help: ArgumentHelp(
        "Thread counts, comma-separated; 'all' is every core (\(Execution.processorCount)).",
        valueName: "counts"))
    var threads = "1,all"

    @Option(help: ArgumentHelp(
        "The operations to time besides copy, comma-separated.", valueName: "ops"))
    var ops = ActivationBenchmark.operationNames.joined(separator: ",")

    /// The most timed calls `--runs` accepts.
    static let maximumRuns = 1_000_000

    func validate() throws {
        try requireRange(runs, 20...Self.maximumRuns, flag: "--runs")
        _ = try Self.sizes(elements)
        _ = try Self.threadCounts(threads)
        _ = try Self.operations(ops)
    }

    func run() throws {
        var files = CommandFiles()
        files.writes(json, flag: "--json")
        try files.check()
        let sizes = try Self.sizes(elements)
        let counts = try Self.threadCounts(threads)
        let selected = try Self.operations(ops)
        // Four Float buffers of the largest size: input, gradient, output, saved values.
        try asFailure {
            try MemoryBudget.require(
                MemoryBudget.product(sizes.max() ?? 0, 4, MemoryLayout<Float>.size), for: "--elements \(elements)")
        }
        print(Self.machine)
        print(Self.header)
        let benchmark = ActivationBenchmark(runs: runs)
        var rows: [ActivationBenchmark.Measurement] = []
        for size in sizes {
            for count in counts {
                for row in benchmark.measure(elements: size, threads: count, operations: selected) {
                    print(Self.line(row))
                    rows.append(row)
                }
            }
        }
        if let json { try writeJSON(rows, to: json) }
    }

    static let header = "op          direction  elements  threads  ns/element    GB/s  ×copy"

    static func line(_ row: ActivationBenchmark.Measurement) -> String {
        func pad(_ text: String, _ width: Int) -> String { text.padded(to: width) }
        func left(_ text: String, _ width: Int) -> String { text.padded(to: width, alignedRight: true) }
        return pad(row.op, 12) + pad(row.direction, 11) + left(String(row.elements), 8)
            + left(String(row.threads), 9) + left(String(format: "%.3f", row.nsPerElement), 12)
            + left(String(format: "%.1f", row.gbPerSecond), 8)
            + left(String(format: "%.2f", row.ratioToCopy), 7)
    }

    /// The CPU, from /proc/cpuinfo where there is one, and the instruction set the dispatched
    /// kernels chose on it.
    static var machine: String {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let lines = info.split(separator: "\n")
        let model = lines.first { $0.hasPrefix("model name") }?.split(separator: ":").last
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        let flags = lines.first { $0.hasPrefix("flags") }.map(String.init) ?? ""
        let vector = flags.contains(" avx512f") ? "AVX-512" : flags.contains(" avx2") ? "AVX2" : "SSE"
        return "\(model), \(Execution.processorCount) threads available, \(vector), dispatched kernels: \(InstructionSet.best)"
    }

    /// Reads "16777216,2^16".
    static func sizes(_ text: String) throws -> [Int] {
        try text.split(separator: ",").map { item in
            let parts = item.split(separator: "^")
            if parts.count == 2, parts[0] == "2", let k = Int(parts[1]), (0...30).contains(k) {
                return 1 << k
            }
            guard parts.count == 1, let n = Int(item), n > 0, n <= 1 << 30 else {
                throw ValidationError("--elements: '\(item)' is not a size from 1 to 2^30 (e.g. 65536 or 2^16)")
            }
            return n
        }
    }

    /// Reads "1,2,all".
    static func threadCounts(_ text: String) throws -> [Int] {
        try text.split(separator: ",").map { item in
            if item == "all" { return Execution.processorCount }
            guard let n = Int(item), (1...maximumThreads).contains(n) else {
                throw ValidationError("--threads: '\(item)' is not a thread count (1…\(maximumThreads) or 'all')")
            }
            return n
        }
    }

    /// Reads "relu,softplus" against the known names.
    static func operations(_ text: String) throws -> [String] {
        let known = ActivationBenchmark.operationNames
        return try text.split(separator: ",").map { item in
            guard known.contains(String(item)) else {
                throw ValidationError("--ops: unknown operation '\(item)'; expected some of \(known.joined(separator: ","))")
            }
            return String(item)
        }
    }
}

