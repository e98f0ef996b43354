/// Why something could not be quantised, calibrated or run in 8 bits.
public enum QuantizationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A value that must be finite (calibration data, a weight, a bias, an input) is NaN or ±∞.
    case nonFiniteValue(what: String, index: Int, value: Float)
    /// A calibration range, or an evaluation, was asked for with no samples.
    case noSamples(what: String)
    /// A parameter is outside the range it must lie in.
    case invalidParameter(name: String, value: Double, allowed: String)
    /// Two sizes that must agree do not.
    case shapeMismatch(what: String, expected: Int, actual: Int)
    /// A rescaling factor between two scales is too large to be a fixed-point multiplier.
    case multiplierOutOfRange(what: String, value: Double)
    /// A bias does not fit the int32 accumulator at its scale (input scale × weight scale).
    case biasOutOfRange(unit: Int, bias: Float, scale: Double)
    /// A network layer that integer-only inference cannot run.
    case unsupportedLayer(index: Int, description: String)

    public var description: String {
        switch self {
        case let .nonFiniteValue(what, index, value):
            return "\(what)[\(index)] = \(value): quantisation needs finite values"
        case let .noSamples(what):
            return "\(what): no samples; give at least one"
        case let .invalidParameter(name, value, allowed):
            return "\(name) = \(value) is not allowed (\(allowed))"
        case let .shapeMismatch(what, expected, actual):
            return "\(what): expected \(expected) values, got \(actual)"
        case let .multiplierOutOfRange(what, value):
            return "\(what): rescaling factor \(value) is not below 2^30; the scales are inconsistent"
        case let .biasOutOfRange(unit, bias, scale):
            return "bias of unit \(unit) = \(bias) is beyond ±2^30 steps of its scale \(scale);"
                + " calibrate the input range on representative data"
        case let .unsupportedLayer(index, description):
            return "layer \(index) (\(description)) cannot run in 8-bit integer inference"
        }
    }
}
