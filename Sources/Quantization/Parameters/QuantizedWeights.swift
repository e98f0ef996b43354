/// How many levels symmetric weight quantisation uses.
public enum WeightPrecision: String, Sendable, Hashable, CaseIterable, Codable {
    /// Codes −127…127: full int8. The GEMM multiplies them with `vpmaddwd`.
    case bits8
    /// Codes −63…63 (ONNX Runtime's `reduce_range`): one bit less, but the GEMM may use
    /// `vpmaddubsw`, which cannot saturate on them, about 1.25× faster on AVX2 without VNNI.
    case bits7

    /// The largest |code|, L.
    public var largestCode: Int { self == .bits8 ? 127 : 63 }
}

/// A weight matrix in int8, symmetric, with one scale per output unit (per row):
///
/// ```
/// W[j][k] ≈ scales[j] · values[j][k],   scales[j] = max_k |W[j][k]| / L   (L = 127 or 63)
/// values[j][k] = clamp(roundTiesToEven(W[j][k] / scales[j]), −L, L)
/// ```
///
/// `values` is row-major `[outputs × inputs]` (row j holds unit j's incoming weights, as a
/// Dense layer's `[out, in]` matrix). Symmetric quantisation has no weight zero point, so the
/// integer GEMM needs no correction term for the weights; −128 is never produced (the range is
/// symmetric), but every kernel accepts it.
public struct QuantizedWeights: Hashable, Sendable {
    /// Output units (rows).
    public let outputs: Int
    /// Inputs per unit (columns).
    public let inputs: Int
    /// `[outputs × inputs]`, row-major.
    public let values: [Int8]
    /// One positive scale per output unit.
    public let scales: [Float]

    /// The most inputs a layer may have: with 8-bit codes (≤ 255) and weights (|w| ≤ 128) and
    /// a bias within ±2^30, every exact accumulator then fits in int32.
    public static let maximumInputs = 32_768

    /// Quantises a row-major `[outputs × inputs]` Float matrix; O(outputs · inputs).
    ///
    /// A row of zeros gets scale 1 (all its values are 0).
    /// - Parameter precision: ±127 (default) or ±63 codes.
    /// - Throws: ``QuantizationError/shapeMismatch(what:expected:actual:)`` when the count is
    ///   not `outputs · inputs`, ``QuantizationError/invalidParameter(name:value:allowed:)``
    ///   for sizes outside 1...``maximumInputs`` (inputs) or < 1 (outputs),
    ///   ``QuantizationError/nonFiniteValue(what:index:value:)`` for a NaN or infinite weight.
    public init(
        quantizing weights: [Float], outputs: Int, inputs: Int, precision: WeightPrecision = .bits8
    ) throws(QuantizationError) {
        try Self.checkShape(count: weights.count, outputs: outputs, inputs: inputs)
        var values = [Int8](repeating: 0, count: weights.count)
        var scales = [Float](repeating: 1, count: outputs)
        for unit in 0..<outputs {
            let row = unit * inputs..<(unit + 1) * inputs
            var largest: Float = 0
            for index in row {
                let w = weights[index]
                guard w.isFinite else { throw .nonFiniteValue(what: "weights", index: index, value: w) }
                largest = Swift.max(largest, w.magnitude)
            }
            guard largest > 0 else { continue }
            // A row of subnormals could round its scale to 0; the smallest positive Float
            // keeps every value within half a step.
            let limit = Double(precision.largestCode)
            let scale = Swift.max(Float(Double(largest) / limit), .leastNonzeroMagnitude)
            scales[unit] = scale
            for index in row {
                let steps = (Double(weights[index]) / Double(scale)).rounded(.toNearestOrEven)
                values[index] = Int8(Swift.min(Swift.max(steps, -limit), limit))
            }
        }
        self.outputs = outputs
        self.inputs = inputs
        self.values = values
        self.scales = scales
    }

    /// Weights already in integer form (e.g. read from a checkpoint); any int8 value is allowed.
    /// - Throws: ``QuantizationError/shapeMismatch(what:expected:actual:)`` for wrong counts,
    ///   ``QuantizationError/invalidParameter(name:value:allowed:)`` for sizes out of range or a
    ///   scale that is not finite and positive.
    public init(values: [Int8], scales: [Float], outputs: Int, inputs: Int)
        throws(QuantizationError)
    {
        try Self.checkShape(count: values.count, outputs: outputs, inputs: inputs)
        guard scales.count == outputs else {
            throw .shapeMismatch(what: "weight scales", expected: outputs, actual: scales.count)
        }
        for scale in scales where !(scale.isFinite && scale > 0) {
            throw .invalidParameter(
                name: "weight scale", value: Double(scale), allowed: "a finite number > 0")
        }
        self.outputs = outputs
        self.inputs = inputs
        self.values = values
        self.scales = scales
    }

    /// `scales[j] · values[j][k]`, row-major `[outputs × inputs]`.
    public func dequantized() -> [Float] {
        (0..<values.count).map { index in
            Float(Double(scales[index / inputs]) * Double(values[index]))
        }
    }

    /// Bytes of the integer weights and their scales.
    public var byteCount: Int { values.count + scales.count * MemoryLayout<Float>.size }

    private static func checkShape(count: Int, outputs: Int, inputs: Int) throws(QuantizationError) {
        guard outputs >= 1 else {
            throw .invalidParameter(name: "outputs", value: Double(outputs), allowed: "at least 1")
        }
        guard (1...maximumInputs).contains(inputs) else {
            throw .invalidParameter(
                name: "inputs", value: Double(inputs), allowed: "1...\(maximumInputs)")
        }
        guard count == outputs * inputs else {
            throw .shapeMismatch(what: "weights", expected: outputs * inputs, actual: count)
        }
    }
}
