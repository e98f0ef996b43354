import ArgumentParser
import Networks
import Runtime

/// `rectifier bench convolution [--batch N] [--filters N] [--kernel K] [--padding same|valid]
/// [--runs N] [--threads N,…]`.
struct BenchConvolutionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convolution",
        abstract: "Time one convolution layer's forward and backward passes (Float32).",
        discussion: """
            A convolution over a batch of 1×28×28 images (Fashion-MNIST's size), random \
            weights and inputs: forward (im2col + GEMM per image), backward with the input \
            gradient and without it (a first layer needs none); the median and best of --runs \
            calls in ms, and samples/s of forward + backward. Compare with PyTorch on the same \
            shapes: bench/convolution_torch.py.
            """)

    @Option(help: "Images per batch (1…4096).")
    var batch = 128
    @Option(help: "Output channels (1…1024).")
    var filters = 32
    @Option(help: "Kernel size (1…28).")
    var kernel = 5
    @Option(help: "Padding: same or valid.")
    var padding = "valid"
    @Option(help: "Timed calls per measurement (1…100000).")
    var runs = 50
    @Option(help: ArgumentHelp("Thread counts, comma-separated; 'all' is every core.", valueName: "counts"))
    var threads = "1"

    func validate() throws {
        try requireRange(batch, 1...4096, flag: "--batch")
        try requireRange(filters, 1...1024, flag: "--filters")
        try requireRange(kernel, 1...28, flag: "--kernel")
        guard ConvolutionPadding(rawValue: padding) != nil else {
            throw ValidationError("--padding must be same or valid, got '\(padding)'")
        }
        try requireRange(runs, 1...100_000, flag: "--runs")
        _ = try BenchActivationsCommand.threadCounts(threads)
    }

    func run() throws {
        let geometry = try Convolution2D(
            input: try ImageShape(channels: 1, height: 28, width: 28), outputChannels: filters,
            kernelSize: kernel, padding: ConvolutionPadding(rawValue: padding)!)
        print(BenchActivationsCommand.machine)
        print("conv \(geometry.input) → \(geometry.output), kernel \(kernel), batch \(batch), \(runs) runs")
        print("threads  forward ms (best)   backward ms (best)   backward no dx ms   samples/s fwd+bwd")
        for threads in try BenchActivationsCommand.threadCounts(threads) {
            try Execution(threads: threads).run { () throws(CommandFailure) in try measure(geometry, threads: threads) }
        }
    }

    private func measure(_ geometry: Convolution2D, threads: Int) throws(CommandFailure) {
        let counts = (
            input: batch * geometry.input.count, output: batch * geometry.output.count,
            scratch: geometry.scratchCount(threads: threads))
        do {
            try MemoryBudget.require(
                MemoryBudget.sum(
                    MemoryBudget.product(counts.input, 2, 4), MemoryBudget.product(counts.output, 2, 4),
                    counts.scratch.flatMap { MemoryBudget.product($0, 4) }),
                for: "--batch \(batch) --filters \(filters)")
        } catch {
            throw CommandFailure(error.description)
        }
        func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
            let memory = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
            memory.initialize(repeating: 0)
            return memory
        }
        let input = buffer(counts.input), inputGradient = buffer(counts.input)
        let output = buffer(counts.output), outputGradient = buffer(counts.output)
        let parameters = buffer(geometry.weightCount + filters), gradients = buffer(geometry.weightCount + filters)
        let work = buffer(counts.scratch!)
        defer { for memory in [input, inputGradient, output, outputGradient, parameters, gradients, work] { memory.deallocate() } }
        var generator = SeededGenerator(seed: 1)
        generator.fillUniform(input, lower: 0, upper: 1)
        generator.fillUniform(outputGradient, lower: -1, upper: 1)
        generator.fillUniform(parameters, lower: -0.2, upper: 0.2)
        let x = MatrixBuffer(input.baseAddress!, rows: batch, columns: geometry.input.count)
        let dx = MatrixBuffer(inputGradient.baseAddress!, rows: batch, columns: geometry.input.count)
        let y = MatrixBuffer(output.baseAddress!, rows: batch, columns: geometry.output.count)
        let dy = MatrixBuffer(outputGradient.baseAddress!, rows: batch, columns: geometry.output.count)
        let weight = parameters.baseAddress!, gradient = gradients.baseAddress!
        let forward = Timing.measure(warmUps: 3, calls: runs) {
            Convolution.forward(geometry, output: y, input: x, weight: weight, bias: weight + geometry.weightCount, scratch: work)
        }
        func backward(_ inputGradient: MatrixBuffer<Float>?) -> Timing.Summary {
            Timing.measure(warmUps: 3, calls: runs) {
                Convolution.backward(
                    geometry, inputGradient: inputGradient, weightGradient: gradient,
                    biasGradient: gradient + geometry.weightCount, outputGradient: dy, input: x, weight: weight,
                    scratch: work)
            }
        }
        let full = backward(dx), first = backward(nil)
        let ms = { (s: Timing.Summary) in "\(Self.format(s.median * 1e3)) (\(Self.format(s.minimum * 1e3)))" }
        let rate = Double(batch) / (forward.median + full.median)
        print("\(threads)        \(ms(forward))         \(ms(full))            \(ms(first))           \(Int(rate.rounded()))")
    }

    private static func format(_ value: Double) -> String {
        String(Double(Int((value * 100).rounded())) / 100)
    }
}
