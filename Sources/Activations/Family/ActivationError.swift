/// Why an activation could not be made or parsed.
public enum ActivationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A parameter is NaN, infinite or outside its allowed range.
    case invalidParameter(activation: String, parameter: String, value: Double, allowed: String)
    /// The name is not a member of the family.
    case unknownActivation(String)
    /// The text after the name could not be read as that activation's parameters.
    case malformedParameters(activation: String, text: String, expected: String)

    public var description: String {
        switch self {
        case let .invalidParameter(activation, parameter, value, allowed):
            return "\(activation): \(parameter) = \(value) is not allowed (\(allowed))"
        case let .unknownActivation(name):
            return "unknown activation '\(name)'; expected one of: \(Activation.spellings)"
        case let .malformedParameters(activation, text, expected):
            return "\(activation): cannot read parameters '\(text)'; expected \(expected)"
        }
    }
}
