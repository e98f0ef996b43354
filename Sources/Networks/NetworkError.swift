/// Why a matrix, a model or its parameters could not be made, read or used.
///
/// Every message is one line that names the field at fault and what is allowed.
public enum NetworkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A shape does not fit: `what` names the value, `detail` says how.
    case shapeMismatch(what: String, detail: String)
    /// An architecture cannot be built: `field` names the part, `detail` what is allowed.
    case invalidArchitecture(field: String, detail: String)
    /// A hidden-activation spelling cannot be read.
    case invalidHiddenActivation(text: String, detail: String)
    /// No parameter has this name.
    case unknownParameter(String)
    /// Values contain NaN or ±∞ where finite numbers are required.
    case nonFiniteValue(what: String, index: Int)

    public var description: String {
        switch self {
        case let .shapeMismatch(what, detail):
            return "\(what): \(detail)"
        case let .invalidArchitecture(field, detail):
            return "architecture \(field): \(detail)"
        case let .invalidHiddenActivation(text, detail):
            return "hidden activation '\(text)': \(detail)"
        case let .unknownParameter(name):
            return "no parameter named '\(name)'"
        case let .nonFiniteValue(what, index):
            return "\(what): value at index \(index) is NaN or infinite"
        }
    }
}
