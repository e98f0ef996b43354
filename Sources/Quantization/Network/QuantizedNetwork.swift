import Runtime
import Synchronization

/// A feed-forward network in integers: the input quantised once to uint8 codes, every hidden
/// layer a ``QuantizedDense`` from codes to codes (GEMM, int32 bias, fixed-point
/// requantisation with the activation fused), and a last layer whose int32 accumulators are
/// dequantised to Float logits, the only floating point after the input:
///
/// ```
/// x (Float) → codes → [dense or convolution + activation → codes, pooling] … → dense → int32 → logits (Float)
/// ```
///
/// ``steps`` say how each layer takes its input (flat rows, or the im2col rows of a
/// convolution) and where the integer pooling runs (``QuantizedStep``).
///
/// Build one from a trained model with ``quantize(_:calibration:options:)`` or from its
/// integer parts (a checkpoint) with ``init(input:layers:steps:)``.
public struct QuantizedNetwork: Sendable {
    /// The parameters of the input codes.
    public let input: QuantizationParameters
    /// The layers, input to output; the last produces ``QuantizedOutput/logits``.
    public let layers: [QuantizedDense]
    /// How the layers run; one ``QuantizedStep/dense`` per layer for a perceptron.
    public let steps: [QuantizedStep]
    /// Codes per sample of the two buffers the steps alternate between, and of the im2col rows.
    private let widest: Int, patchWidth: Int

    /// Rows per chunk of calibration (``quantize(_:calibration:options:)``): bounds the
    /// intermediate activations.
    public static let chunkRows = 1024
    /// The scratch codes of one block, at most (fewer samples per block for wide images).
    static let scratchLimit = 32 << 20

    /// - Parameter steps: nil for a perceptron (every layer dense).
    /// - Throws: ``QuantizationError/invalidParameter(name:value:allowed:)`` when there are no
    ///   layers, a layer's input parameters are not the previous layer's output parameters
    ///   (or `input` for the first), a hidden layer produces logits or the last does not, the
    ///   last layer is not the last step and dense, or one sample's scratch codes do not fit
    ///   in memory; ``QuantizationError/shapeMismatch(what:expected:actual:)`` when sizes do
    ///   not chain or the steps do not use every layer once.
    public init(
        input: QuantizationParameters, layers: [QuantizedDense], steps: [QuantizedStep]? = nil
    ) throws(QuantizationError) {
        guard let last = layers.last else {
            throw .invalidParameter(name: "layers", value: 0, allowed: "at least one layer")
        }
        guard last.outputParameters == nil else {
            throw .invalidParameter(
                name: "layers.\(layers.count - 1) output", value: 0,
                allowed: "logits (the last layer is dequantised)")
        }
        let steps = steps ?? layers.map { _ in .dense }
        guard !steps.isEmpty else { throw .shapeMismatch(what: "steps", expected: layers.count, actual: 0) }
        var parameters = input, index = 0
        var width = steps[0].widths(layer: layers[0]).input
        var widest: Int? = steps[0].inputImage.map { $0.channels > 1 ? $0.count : 0 } ?? 0, patchWidth: Int? = 0
        for (position, step) in steps.enumerated() {
            var layer: QuantizedDense? = nil
            switch step {
            case .dense, .convolution:
                guard index < layers.count else {
                    throw .shapeMismatch(what: "layers used by the steps", expected: layers.count, actual: index + 1)
                }
                layer = layers[index]
            case .maxPooling, .averagePooling, .globalAveragePooling: break
            }
            let (inputs, outputs) = step.widths(layer: layer)
            guard inputs == width else {
                throw .shapeMismatch(
                    what: layer == nil ? "steps.\(position) inputs" : "layers.\(index) inputs", expected: width, actual: inputs)
            }
            if let layer {
                if case .convolution(let geometry) = step,
                    layer.inputs != geometry.patchCount || layer.units != geometry.output.channels {
                    throw .shapeMismatch(
                        what: "layers.\(index) weights (\(geometry.output.channels) × \(geometry.patchCount))",
                        expected: geometry.weightCount, actual: layer.units * layer.inputs)
                }
                guard layer.input == parameters else {
                    throw .invalidParameter(
                        name: "layers.\(index) input scale", value: Double(layer.input.scale),
                        allowed: "the previous layer's output parameters (\(parameters))")
                }
                if index < layers.count - 1 {
                    guard let next = layer.outputParameters else {
                        throw .invalidParameter(
                            name: "layers.\(index) output", value: 0,
                            allowed: "codes (only the last layer produces logits)")
                    }
                    parameters = next
                } else if position != steps.count - 1 || step != .dense {
                    throw .invalidParameter(
                        name: "steps", value: Double(steps.count),
                        allowed: "the last layer's dense step last (the logits are flat)")
                }
                index += 1
            }
            if position < steps.count - 1 { widest = widest.map { Swift.max($0, outputs) } }
            if let current = patchWidth, let bytes = step.patchBytes { patchWidth = Swift.max(current, bytes) } else { patchWidth = nil }
            width = outputs
        }
        guard index == layers.count else {
            throw .shapeMismatch(what: "layers used by the steps", expected: layers.count, actual: index)
        }
        let scratch = MemoryBudget.sum(MemoryBudget.product(widest ?? 0, 2), patchWidth)
        do {
            try MemoryBudget.require(scratch, for: "the integer network's codes of one sample")
        } catch {
            throw .invalidParameter(name: "scratch codes per sample", value: scratch.map(Double.init) ?? .infinity, allowed: "\(error)")
        }
        self.input = input
        self.layers = layers
        self.steps = steps
        self.widest = widest ?? 0
        self.patchWidth = patchWidth ?? 0
    }

    /// Inputs per sample.
    public var inputSize: Int { steps[0].widths(layer: layers[0]).input }
    /// Outputs (logits) per sample.
    public var outputSize: Int { layers[layers.count - 1].units }

    /// Bytes of the integer model: every layer's ``QuantizedDense/byteCount`` and the input
    /// parameters.
    public var byteCount: Int { layers.reduce(8) { $0 + $1.byteCount } }

    /// Integer-only inference from input codes: `logits` receives `rows × outputSize` Floats.
    /// O(rows · Σ inputs·units · positions). Each thread takes blocks of at most ``blockRows``
    /// rows through every step, so the intermediate codes stay in cache, and claims the next
    /// block when done: one hand-off per call rather than one per layer, and a thread that the
    /// system runs late costs at most the block it holds (every row's result is the same
    /// whichever thread computes it).
    /// - Precondition: `codes.count == rows · inputSize`, `logits.count == rows · outputSize`.
    public func logits(
        codes: UnsafeBufferPointer<UInt8>, rows: Int, into logits: UnsafeMutableBufferPointer<Float>,
        path: IntegerGEMM.Path = .automatic
    ) {
        run(codes: codes, rows: rows, into: logits, path: path, reference: false)
    }

    /// The scalar twin of ``logits(codes:rows:into:path:)``: every layer's reference forward
    /// pass and reference accumulators (the same im2col and pooling).
    public func referenceLogits(
        codes: UnsafeBufferPointer<UInt8>, rows: Int, into logits: UnsafeMutableBufferPointer<Float>
    ) {
        run(codes: codes, rows: rows, into: logits, path: .automatic, reference: true)
    }

    /// The most rows ``logits(codes:rows:into:path:)`` takes through the steps at once: a
    /// multiple of the 6-row tile, small enough that a block's codes at every layer stay in
    /// cache beside the weights (48 × 784 input codes are 37 KB).
    static let blockRows = 48

    private func run(
        codes: UnsafeBufferPointer<UInt8>, rows: Int, into logits: UnsafeMutableBufferPointer<Float>,
        path: IntegerGEMM.Path, reference: Bool
    ) {
        precondition(codes.count == rows * inputSize, "logits: input count is not rows × inputSize")
        precondition(logits.count == rows * outputSize, "logits: output count is not rows × outputSize")
        guard rows > 0 else { return }
        let convolutional = steps.contains { $0 != .dense }
        let macsPerRow = layers.reduce(0) { $0 + $1.inputs * $1.units }
        let threads = convolutional || rows.multipliedReportingOverflow(by: macsPerRow).overflow
            || rows * macsPerRow >= 1 << 21 ? Execution.current.threads : 1
        // Blocks of whole tiles, at least two per thread when the batch allows, within the
        // scratch limit.
        let tile = IntegerGEMM.tileRows
        let share = (rows + 2 * threads - 1) / (2 * threads)
        let perSample = Swift.max(2 * widest + patchWidth, 1)
        let block = Swift.max(1, Swift.min(Self.blockRows, (share + tile - 1) / tile * tile, Self.scratchLimit / perSample))
        let blocks = (rows + block - 1) / block
        guard threads > 1, blocks > 1 else {
            runBlocks(codes, rows: 0..<rows, block: block, into: logits, path: path, reference: reference)
            return
        }
        let next = Atomic<Int>(0)
        let buffers = UncheckedSendable((codes, logits))
        WorkerPool.shared.run(blocks: Swift.min(threads, blocks)) { _ in
            let (input, output) = buffers.value
            Execution.serial.run {
                while case let index = next.wrappingAdd(1, ordering: .relaxed).oldValue, index < blocks {
                    let range = index * block..<Swift.min(rows, (index + 1) * block)
                    runBlocks(input, rows: range, block: block, into: output, path: path, reference: reference)
                }
            }
        }
    }

    /// Rows `range` through every step on the calling thread, `block` rows at a time.
    private func runBlocks(
        _ codes: UnsafeBufferPointer<UInt8>, rows range: Range<Int>, block: Int,
        into logits: UnsafeMutableBufferPointer<Float>, path: IntegerGEMM.Path, reference: Bool
    ) {
        let chunk = Swift.min(range.count, block)
        let perSample = 2 * widest + patchWidth
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Swift.max(chunk * perSample, 1)) { scratch in
            let buffers = [scratch.baseAddress!, scratch.baseAddress! + chunk * widest]
            let patches = scratch.baseAddress! + 2 * chunk * widest
            for first in stride(from: range.lowerBound, to: range.upperBound, by: chunk) {
                let count = Swift.min(chunk, range.upperBound - first)
                var current = codes.baseAddress! + first * inputSize
                var flip = 0
                func next(_ width: Int) -> UnsafeMutableBufferPointer<UInt8> {
                    defer { flip ^= 1 }
                    return UnsafeMutableBufferPointer(start: buffers[flip], count: count * width)
                }
                if let image = steps[0].inputImage, image.channels > 1 {
                    let out = next(image.count)
                    image.toChannelsLast(current, images: count, into: out.baseAddress!)
                    current = UnsafePointer(out.baseAddress!)
                }
                var index = 0
                for step in steps {
                    let out: UnsafeMutableBufferPointer<UInt8>
                    switch step {
                    case .dense:
                        let layer = layers[index]
                        index += 1
                        let input = UnsafeBufferPointer(start: current, count: count * layer.inputs)
                        if index == layers.count {
                            let target = UnsafeMutableBufferPointer(
                                rebasing: logits[first * outputSize..<(first + count) * outputSize])
                            if reference {
                                withUnsafeTemporaryAllocation(of: Int32.self, capacity: target.count) { sums in
                                    layer.referenceAccumulators(input, rows: count, into: sums)
                                    layer.dequantizeAccumulators(UnsafeBufferPointer(sums), into: target)
                                }
                            } else {
                                layer.logits(input, rows: count, into: target, path: path)
                            }
                            continue
                        }
                        out = next(layer.units)
                        if reference {
                            layer.referenceForward(input, rows: count, into: out)
                        } else {
                            layer.forward(input, rows: count, into: out, path: path)
                        }
                    case .convolution(let geometry):
                        let layer = layers[index]
                        index += 1
                        out = next(geometry.output.count)
                        layer.convolve(
                            geometry, current, images: count, patches: patches, into: out, path: path, reference: reference)
                    case .maxPooling, .averagePooling, .globalAveragePooling:
                        out = next(step.widths(layer: nil).output)
                        step.pool(current, images: count, into: out.baseAddress!)
                    }
                    current = UnsafePointer(out.baseAddress!)
                }
            }
        }
    }

    /// Quantises Float inputs with ``input`` and runs ``logits(codes:rows:into:path:)``.
    /// - Throws: ``QuantizationError/nonFiniteValue(what:index:value:)`` for a NaN input
    ///   (±∞ saturate); ``QuantizationError/invalidParameter(name:value:allowed:)`` when the
    ///   count is not a multiple of ``inputSize``.
    /// - Returns: `rows × outputSize` logits, row-major.
    public func logits(_ features: [Float], path: IntegerGEMM.Path = .automatic) throws(QuantizationError)
        -> [Float]
    {
        guard features.count % inputSize == 0 else {
            throw .invalidParameter(
                name: "feature count", value: Double(features.count),
                allowed: "a multiple of the input size \(inputSize)")
        }
        let rows = features.count / inputSize
        var codes = [UInt8](repeating: 0, count: features.count)
        try features.withUnsafeBufferPointer { (source) throws(QuantizationError) in
            try codes.withUnsafeMutableBufferPointer { (target) throws(QuantizationError) in
                try input.quantize(source, into: target)
            }
        }
        guard rows > 0 else { return [] }  // never write into the shared empty storage
        return [Float](unsafeUninitializedCapacity: rows * outputSize) { output, initialized in
            codes.withUnsafeBufferPointer { logits(codes: $0, rows: rows, into: output, path: path) }
            initialized = rows * outputSize
        }
    }

    /// The predicted class of each row of logits: the index of the largest (the first on ties),
    /// or for a single output 1 when it is > 0 and 0 otherwise (as `Networks` predicts).
    public static func predictedClasses(logits: [Float], outputs: Int) -> [Int] {
        stride(from: 0, to: logits.count, by: outputs).map { start in
            if outputs == 1 { return logits[start] > 0 ? 1 : 0 }
            var best = 0
            for index in 1..<outputs where logits[start + index] > logits[start + best] { best = index }
            return best
        }
    }
}
