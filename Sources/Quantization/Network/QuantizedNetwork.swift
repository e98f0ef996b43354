import Runtime
import Synchronization

/// A feed-forward network in integers: the input quantised once to uint8 codes, every hidden
/// layer a ``QuantizedDense`` from codes to codes (GEMM, int32 bias, fixed-point
/// requantisation with the activation fused), and a last layer whose int32 accumulators are
/// dequantised to Float logits, the only floating point after the input:
///
/// ```
/// x (Float) → codes → [dense + activation → codes] × (L − 1) → dense → int32 → logits (Float)
/// ```
///
/// Build one from a trained model with ``quantize(_:calibration:options:)`` or from its
/// integer parts (a checkpoint) with ``init(input:layers:)``.
public struct QuantizedNetwork: Sendable {
    /// The parameters of the input codes.
    public let input: QuantizationParameters
    /// The layers, input to output; the last produces ``QuantizedOutput/logits``.
    public let layers: [QuantizedDense]

    /// Rows per chunk of calibration (``quantize(_:calibration:options:)``): bounds the
    /// intermediate activations.
    public static let chunkRows = 1024

    /// - Throws: ``QuantizationError/invalidParameter(name:value:allowed:)`` when there are no
    ///   layers, a layer's input parameters are not the previous layer's output parameters
    ///   (or `input` for the first), a hidden layer produces logits or the last does not;
    ///   ``QuantizationError/shapeMismatch(what:expected:actual:)`` when sizes do not chain.
    public init(input: QuantizationParameters, layers: [QuantizedDense]) throws(QuantizationError) {
        guard let last = layers.last else {
            throw .invalidParameter(name: "layers", value: 0, allowed: "at least one layer")
        }
        guard last.outputParameters == nil else {
            throw .invalidParameter(
                name: "layers.\(layers.count - 1) output", value: 0,
                allowed: "logits (the last layer is dequantised)")
        }
        var parameters = input, width = layers[0].inputs
        for (index, layer) in layers.enumerated() {
            guard layer.inputs == width else {
                throw .shapeMismatch(what: "layers.\(index) inputs", expected: width, actual: layer.inputs)
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
            }
            width = layer.units
        }
        self.input = input
        self.layers = layers
    }

    /// Inputs per sample.
    public var inputSize: Int { layers[0].inputs }
    /// Outputs (logits) per sample.
    public var outputSize: Int { layers[layers.count - 1].units }

    /// Bytes of the integer model: every layer's ``QuantizedDense/byteCount`` and the input
    /// parameters.
    public var byteCount: Int { layers.reduce(8) { $0 + $1.byteCount } }

    /// Integer-only inference from input codes: `logits` receives `rows × outputSize` Floats.
    /// O(rows · Σ inputs·units). Each thread takes blocks of at most ``blockRows`` rows
    /// through every layer, so the intermediate codes stay in cache, and claims the next block
    /// when done: one hand-off per call rather than one per layer, and a thread that the
    /// system runs late costs at most the block it holds (every row's result is the same
    /// whichever thread computes it).
    /// - Precondition: `codes.count == rows · inputSize`, `logits.count == rows · outputSize`.
    public func logits(
        codes: UnsafeBufferPointer<UInt8>, rows: Int, into logits: UnsafeMutableBufferPointer<Float>,
        path: IntegerGEMM.Path = .automatic
    ) {
        precondition(codes.count == rows * inputSize, "logits: input count is not rows × inputSize")
        precondition(logits.count == rows * outputSize, "logits: output count is not rows × outputSize")
        guard rows > 0 else { return }
        let macsPerRow = layers.reduce(0) { $0 + $1.inputs * $1.units }
        let threads = rows.multipliedReportingOverflow(by: macsPerRow).overflow || rows * macsPerRow >= 1 << 21
            ? Execution.current.threads : 1
        // Blocks of whole tiles, at least two per thread when the batch allows.
        let tile = IntegerGEMM.tileRows
        let share = (rows + 2 * threads - 1) / (2 * threads)
        let block = Swift.min(Self.blockRows, (share + tile - 1) / tile * tile)
        let blocks = (rows + block - 1) / block
        guard threads > 1, blocks > 1 else {
            runBlocks(codes, rows: 0..<rows, block: block, into: logits, path: path)
            return
        }
        let next = Atomic<Int>(0)
        let buffers = UncheckedSendable((codes, logits))
        WorkerPool.shared.run(blocks: Swift.min(threads, blocks)) { _ in
            let (input, output) = buffers.value
            Execution.serial.run {
                while case let index = next.wrappingAdd(1, ordering: .relaxed).oldValue, index < blocks {
                    let range = index * block..<Swift.min(rows, (index + 1) * block)
                    runBlocks(input, rows: range, block: block, into: output, path: path)
                }
            }
        }
    }

    /// The most rows ``logits(codes:rows:into:path:)`` takes through the layers at once: a
    /// multiple of the 6-row tile, small enough that a block's codes at every layer stay in
    /// cache beside the weights (48 × 784 input codes are 37 KB).
    static let blockRows = 48

    /// Rows `range` through every layer on the calling thread, `block` rows at a time.
    private func runBlocks(
        _ codes: UnsafeBufferPointer<UInt8>, rows range: Range<Int>, block: Int,
        into logits: UnsafeMutableBufferPointer<Float>, path: IntegerGEMM.Path
    ) {
        let widest = layers.map(\.units).max()!
        let block = Swift.min(range.count, block)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * block * widest) { scratch in
            let front = UnsafeMutableBufferPointer(rebasing: scratch[0..<block * widest])
            let back = UnsafeMutableBufferPointer(rebasing: scratch[block * widest..<2 * block * widest])
            for first in stride(from: range.lowerBound, to: range.upperBound, by: block) {
                let count = Swift.min(block, range.upperBound - first)
                var current = UnsafeBufferPointer(rebasing: codes[first * inputSize..<(first + count) * inputSize])
                for (index, layer) in layers.enumerated() {
                    if index == layers.count - 1 {
                        let out = UnsafeMutableBufferPointer(
                            rebasing: logits[first * outputSize..<(first + count) * outputSize])
                        layer.logits(current, rows: count, into: out, path: path)
                    } else {
                        let target = index % 2 == 0 ? front : back
                        let out = UnsafeMutableBufferPointer(rebasing: target[0..<count * layer.units])
                        layer.forward(current, rows: count, into: out, path: path)
                        current = UnsafeBufferPointer(out)
                    }
                }
            }
        }
    }

    /// The scalar twin of ``logits(codes:rows:into:path:)``: every layer's reference forward
    /// pass and reference accumulators.
    public func referenceLogits(
        codes: UnsafeBufferPointer<UInt8>, rows: Int, into logits: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(codes.count == rows * inputSize, "logits: input count is not rows × inputSize")
        precondition(logits.count == rows * outputSize, "logits: output count is not rows × outputSize")
        var current = Array(codes)
        for layer in layers.dropLast() {
            var next = [UInt8](repeating: 0, count: rows * layer.units)
            current.withUnsafeBufferPointer { input in
                next.withUnsafeMutableBufferPointer { layer.referenceForward(input, rows: rows, into: $0) }
            }
            current = next
        }
        var sums = [Int32](repeating: 0, count: rows * outputSize)
        current.withUnsafeBufferPointer { input in
            sums.withUnsafeMutableBufferPointer { layers.last!.referenceAccumulators(input, rows: rows, into: $0) }
        }
        sums.withUnsafeBufferPointer { layers.last!.dequantizeAccumulators($0, into: logits) }
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
