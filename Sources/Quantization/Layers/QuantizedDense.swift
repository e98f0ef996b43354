/// What a quantised dense layer produces.
public enum QuantizedOutput: Hashable, Sendable {
    /// 8-bit codes with these parameters, after the fused activation.
    case codes(QuantizationParameters, activation: QuantizedActivation)
    /// The int32 accumulators, dequantised only at the very end: `y_j = biasScale_j · acc_j`.
    case logits
}

/// A dense layer in integers: uint8 input codes, int8 weights (one scale per unit), an int32
/// bias, and a fixed-point requantisation with the activation fused in.
///
/// ```
/// acc_j  = bias_j + Σ_k (x_k − z_in) · w_jk          exact in int32
/// y_j    = s_in · s_j · acc_j                         (the real pre-activation)
/// code_j = requantised acc_j (``Requantizer``), or y_j itself for ``QuantizedOutput/logits``
/// ```
///
/// The input zero point is folded into the bias once (`bias_j − z_in · Σ_k w_jk`), so the
/// inner loop is the plain product ``IntegerGEMM`` computes. No floating point runs between
/// the input codes and the output codes.
public struct QuantizedDense: Sendable {
    /// The int8 weights, `[units × inputs]`.
    public let weights: QuantizedWeights
    /// The bias in accumulator units (scale ``biasScales``).
    public let bias: [Int32]
    /// The parameters of the input codes.
    public let input: QuantizationParameters
    /// Codes (with their activation) or logits.
    public let output: QuantizedOutput
    /// `s_in · s_j` per unit, the real value of one accumulator step.
    public let biasScales: [Double]

    let packed: PackedWeights
    let foldedBias: [Int32]
    let requantizer: Requantizer?

    /// The largest bias in accumulator steps: with ``QuantizedWeights/maximumInputs`` every
    /// accumulator then fits in int32.
    public static let biasLimit: Int64 = 1 << 30

    /// Quantises a Float bias at scale `s_in · s_j` (round to nearest, ties to even).
    /// - Throws: ``QuantizationError/nonFiniteValue(what:index:value:)`` for a NaN or infinite
    ///   bias; ``QuantizationError/biasOutOfRange(unit:bias:scale:)`` when a bias exceeds
    ///   ±2^30 steps; and every error of ``init(weights:quantizedBias:input:output:)``.
    public init(
        weights: QuantizedWeights, bias: [Float], input: QuantizationParameters,
        output: QuantizedOutput
    ) throws(QuantizationError) {
        guard bias.count == weights.outputs else {
            throw .shapeMismatch(what: "bias", expected: weights.outputs, actual: bias.count)
        }
        var quantized = [Int32](repeating: 0, count: bias.count)
        for unit in bias.indices {
            let value = bias[unit]
            guard value.isFinite else { throw .nonFiniteValue(what: "bias", index: unit, value: value) }
            let scale = Double(input.scale) * Double(weights.scales[unit])
            let steps = (Double(value) / scale).rounded(.toNearestOrEven)
            guard steps.magnitude <= Double(Self.biasLimit) else {
                throw .biasOutOfRange(unit: unit, bias: value, scale: scale)
            }
            quantized[unit] = Int32(steps)
        }
        try self.init(weights: weights, quantizedBias: quantized, input: input, output: output)
    }

    /// A layer from its integer form (e.g. read from a checkpoint).
    /// - Throws: ``QuantizationError/shapeMismatch(what:expected:actual:)`` when the bias or
    ///   PReLU slopes do not match the units; ``QuantizationError/invalidParameter(name:value:allowed:)``
    ///   for a bias beyond ±2^30, a non-finite slope, or a table whose output parameters are not
    ///   the layer's; ``QuantizationError/multiplierOutOfRange(what:value:)`` when
    ///   `s_in · s_j / s_out ≥ 2^30`.
    public init(
        weights: QuantizedWeights, quantizedBias: [Int32], input: QuantizationParameters,
        output: QuantizedOutput
    ) throws(QuantizationError) {
        let units = weights.outputs
        guard quantizedBias.count == units else {
            throw .shapeMismatch(what: "bias", expected: units, actual: quantizedBias.count)
        }
        for value in quantizedBias where Int64(value).magnitude > Self.biasLimit {
            throw .invalidParameter(name: "bias", value: Double(value), allowed: "within ±2^30")
        }
        self.weights = weights
        self.bias = quantizedBias
        self.input = input
        self.output = output
        biasScales = weights.scales.map { Double(input.scale) * Double($0) }
        packed = PackedWeights(weights)
        foldedBias = (0..<units).map { unit in
            let row = weights.values[unit * weights.inputs..<(unit + 1) * weights.inputs]
            let weightSum = row.reduce(Int64(0)) { $0 + Int64($1) }
            return Int32(Int64(quantizedBias[unit]) - Int64(input.zeroPoint) * weightSum)
        }
        if case .codes(let parameters, let activation) = output {
            requantizer = try Self.requantizer(
                biasScales: biasScales, output: parameters, activation: activation)
        } else {
            requantizer = nil
        }
    }

    /// Output units.
    public var units: Int { weights.outputs }
    /// Inputs per unit.
    public var inputs: Int { weights.inputs }

    /// The output parameters, or nil for a logits layer.
    public var outputParameters: QuantizationParameters? {
        if case .codes(let parameters, _) = output { return parameters }
        return nil
    }

    /// Bytes of the model's integer form: weights and scales, bias, input and output
    /// parameters, PReLU slopes (Float) and a table when there is one.
    public var byteCount: Int {
        var bytes = weights.byteCount + bias.count * 4 + 8
        if case .codes(_, let activation) = output {
            bytes += 8
            switch activation {
            case .prelu(let slopes): bytes += slopes.count * 4
            case .table: bytes += 256 + 8
            case .leakyReLU: bytes += 4
            case .identity, .relu: break
            }
        }
        return bytes
    }

    private static func requantizer(
        biasScales: [Double], output: QuantizationParameters, activation: QuantizedActivation
    ) throws(QuantizationError) -> Requantizer {
        var target = output
        var table: [UInt8]? = nil
        switch activation {
        case .table(let lookUp):
            guard lookUp.output == output else {
                throw .invalidParameter(
                    name: "table output scale", value: Double(lookUp.output.scale),
                    allowed: "the layer's output parameters (\(output))")
            }
            target = lookUp.input
            table = lookUp.entries
        case .prelu(let slopes):
            guard slopes.count == 1 || slopes.count == biasScales.count else {
                throw .shapeMismatch(what: "PReLU slopes", expected: biasScales.count, actual: slopes.count)
            }
        case .identity, .relu, .leakyReLU: break
        }
        var positive: [FixedPointMultiplier] = [], negative: [FixedPointMultiplier] = []
        for (unit, biasScale) in biasScales.enumerated() {
            let slope = activation.negativeSlope(unit: unit)
            guard slope.isFinite else {
                throw .invalidParameter(name: "negative slope", value: slope, allowed: "a finite number")
            }
            let real = biasScale / Double(target.scale)
            positive.append(try FixedPointMultiplier(real, what: "unit \(unit)"))
            negative.append(
                activation == .relu
                    ? positive[unit] : try FixedPointMultiplier(slope * real, what: "unit \(unit) slope"))
        }
        return try Requantizer(
            positive: positive, negative: negative, zeroPoint: target.zeroPoint,
            lowerClamp: activation == .relu ? target.zeroPoint : 0, table: table)
    }
}
