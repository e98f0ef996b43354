import Runtime

/// How a network's weights are drawn. Biases start at zero and PReLU slopes at their
/// initial value; only Dense weights are random.
///
/// For a Dense layer with `fanIn` inputs and `fanOut` outputs, `s` = ``scale``:
///
/// ```
/// He (Kaiming), fan-in:  gain = √(2 / (1 + α²))
///   normal:   N(0, (s·gain/√fanIn)²)
///   uniform:  U(−b, b),  b = s·gain·√(3 / fanIn)
/// Glorot (Xavier):
///   normal:   N(0, (s·√(2 / (fanIn + fanOut)))²)
///   uniform:  U(−b, b),  b = s·√(6 / (fanIn + fanOut))
/// ```
///
/// α is the negative slope of the activation after the layer (0 for ReLU, α for leaky
/// ReLU, the initial slope for PReLU, −1 for abs, 1 for SELU (LeCun normal), 0 for the rest and for the output
/// layer) unless ``negativeSlope`` overrides it. The layers are drawn in order, each
/// weight row after row, from the one ``SeededGenerator`` of the run.
public struct Initialization: Hashable, Sendable, Codable {
    /// The family of distributions.
    public enum Scheme: String, Hashable, Sendable, Codable, CaseIterable {
        case heNormal = "he-normal"
        case heUniform = "he-uniform"
        case glorotNormal = "glorot-normal"
        case glorotUniform = "glorot-uniform"
    }

    /// The distribution family; He normal by default.
    public var scheme: Scheme
    /// Multiplies the standard deviation (or the bound), for sensitivity experiments
    /// (e.g. ×0.25 … ×4); 1 by default.
    public var scale: Double
    /// Overrides the negative slope α used in the He gain for every layer.
    public var negativeSlope: Double?

    /// - Throws: ``NetworkError/invalidArchitecture(field:detail:)`` naming
    ///   `initialization scale` unless it is finite and > 0, or `initialization negative
    ///   slope` when it is not finite.
    public init(scheme: Scheme = .heNormal, scale: Double = 1, negativeSlope: Double? = nil)
        throws(NetworkError)
    {
        guard scale > 0, scale.isFinite else {
            throw .invalidArchitecture(
                field: "initialization scale", detail: "\(scale) is not allowed (finite, > 0)")
        }
        if let negativeSlope, !negativeSlope.isFinite {
            throw .invalidArchitecture(
                field: "initialization negative slope", detail: "\(negativeSlope) is not allowed (finite)")
        }
        self.scheme = scheme
        self.scale = scale
        self.negativeSlope = negativeSlope
    }

    /// He's gain for a leaky slope α, `√(2 / (1 + α²))`: √2 for ReLU, ≈1.372 for α = 0.25.
    public static func heGain(negativeSlope: Double) -> Double {
        (2 / (1 + negativeSlope * negativeSlope)).squareRoot()
    }

    /// The standard deviation of the weights of a `fanIn → fanOut` layer followed by an
    /// activation of negative slope `slope` (uniform schemes: of the uniform distribution).
    public func standardDeviation(fanIn: Int, fanOut: Int, negativeSlope slope: Double) -> Double {
        switch scheme {
        case .heNormal, .heUniform:
            return scale * Self.heGain(negativeSlope: negativeSlope ?? slope) / Double(fanIn).squareRoot()
        case .glorotNormal, .glorotUniform:
            return scale * (2 / Double(fanIn + fanOut)).squareRoot()
        }
    }

    /// Fills `weights` for a `fanIn → fanOut` layer followed by an activation of negative
    /// slope `slope` (for layers outside ``Sequential``, e.g. a recurrent layer's W and U).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func fill<T: BinaryFloatingPoint>(
        _ weights: UnsafeMutableBufferPointer<T>, fanIn: Int, fanOut: Int, negativeSlope slope: Double,
        generator: inout SeededGenerator
    ) {
        let deviation = standardDeviation(fanIn: fanIn, fanOut: fanOut, negativeSlope: slope)
        switch scheme {
        case .heNormal, .glorotNormal:
            generator.fillNormal(weights, standardDeviation: deviation)
        case .heUniform, .glorotUniform:
            let bound = deviation * Double(3).squareRoot()
            generator.fillUniform(weights, lower: -bound, upper: bound)
        }
    }
}
