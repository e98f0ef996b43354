/// Why a chart could not be drawn or saved.
///
/// Data that merely cannot be shown (NaN, ±∞, values ≤ 0 on a logarithmic axis) is not an
/// error: it leaves a gap and, when it hides real numbers, a footnote under the chart. These
/// errors are for input that has no sensible picture.
public enum PlotError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two arrays that must pair up element by element have different lengths.
    case lengthMismatch(owner: String, field: String, expected: Int, actual: Int)
    /// A fixed axis range is not finite, empty, or not positive on a logarithmic axis.
    case invalidAxisRange(axis: String, lower: Double, upper: Double, allowed: String)
    /// A setting is outside what the chart can draw (e.g. zero columns, a tiny size).
    case invalidParameter(name: String, value: String, allowed: String)
    /// The SVG file could not be written; nothing was left at the path.
    case cannotWrite(path: String, reason: String)

    /// One line naming the series, field, axis, setting or path, and what is allowed.
    public var description: String {
        switch self {
        case let .lengthMismatch(owner, field, expected, actual):
            return "\(owner): \(field) has \(actual) values, expected \(expected)"
        case let .invalidAxisRange(axis, lower, upper, allowed):
            return "axis '\(axis)': range \(lower)...\(upper) is not allowed (\(allowed))"
        case let .invalidParameter(name, value, allowed):
            return "\(name) = \(value) is not allowed (\(allowed))"
        case let .cannotWrite(path, reason):
            return "cannot write '\(path)': \(reason)"
        }
    }
}
