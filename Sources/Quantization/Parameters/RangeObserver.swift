/// How a calibration turns observed values into a range.
public enum CalibrationMethod: Hashable, Sendable, CustomStringConvertible {
    /// The smallest and largest value seen.
    case minMax
    /// The `p`-th and `(100 − p)`-th percentiles (nearest rank, rounded outwards), for p in
    /// (50, 100]: `percentile(99.99)` ignores the 0.01 % most extreme values on each side, so
    /// one outlier does not stretch the step for everyone else. `percentile(100)` is min/max.
    case percentile(Double)

    /// Checks the percentile.
    /// - Throws: ``QuantizationError/invalidParameter(name:value:allowed:)`` when p is not in
    ///   (50, 100].
    public func validated() throws(QuantizationError) -> CalibrationMethod {
        if case .percentile(let p) = self, !(p > 50 && p <= 100) {
            throw .invalidParameter(name: "percentile", value: p, allowed: "a number in (50, 100]")
        }
        return self
    }

    public var description: String {
        switch self {
        case .minMax: return "min/max"
        case .percentile(let p): return "percentile \(p)"
        }
    }
}

/// Collects the values a tensor takes on calibration data and turns them into
/// ``QuantizationParameters``.
///
/// Min/max keeps two numbers; a percentile keeps every value seen (4 bytes each: 2000 samples
/// of a 256-unit layer are 2 MB) and selects the order statistics when asked, in O(n log n).
public struct RangeObserver: Sendable {
    /// The method the range is computed with.
    public let method: CalibrationMethod
    /// What is observed, for error messages (e.g. "layer 2 output").
    public let name: String
    /// How many values have been observed.
    public private(set) var count = 0
    private var minimum = Float.infinity
    private var maximum = -Float.infinity
    private var values: [Float] = []

    /// - Throws: ``QuantizationError/invalidParameter(name:value:allowed:)`` for a percentile
    ///   outside (50, 100].
    public init(method: CalibrationMethod = .minMax, name: String = "tensor")
        throws(QuantizationError)
    {
        self.method = try method.validated()
        self.name = name
    }

    /// Records values; O(n).
    /// - Throws: ``QuantizationError/nonFiniteValue(what:index:value:)`` naming the first NaN
    ///   or infinite value (the observer is unchanged then).
    public mutating func observe(_ input: UnsafeBufferPointer<Float>) throws(QuantizationError) {
        var low = minimum, high = maximum
        for index in input.indices {
            let x = input[index]
            guard x.isFinite else { throw .nonFiniteValue(what: name, index: index, value: x) }
            low = Swift.min(low, x)
            high = Swift.max(high, x)
        }
        minimum = low
        maximum = high
        count += input.count
        if case .percentile = method { values.append(contentsOf: input) }
    }

    /// Records values; O(n).
    /// - Throws: as ``observe(_:)-(UnsafeBufferPointer<Float>)``.
    public mutating func observe(_ input: [Float]) throws(QuantizationError) {
        try input.withUnsafeBufferPointer { (buffer) throws(QuantizationError) in
            try observe(buffer)
        }
    }

    /// The calibrated range (not yet widened to contain 0).
    /// - Throws: ``QuantizationError/noSamples(what:)`` when nothing was observed.
    public func range() throws(QuantizationError) -> ClosedRange<Float> {
        guard count > 0 else { throw .noSamples(what: name) }
        switch method {
        case .minMax:
            return minimum...maximum
        case .percentile(let p):
            let sorted = values.sorted()
            let last = Double(sorted.count - 1)
            let upperRank = Swift.min(Int((p / 100 * last).rounded(.up)), sorted.count - 1)
            let lowerRank = Int(((100 - p) / 100 * last).rounded(.down))
            return sorted[lowerRank]...sorted[upperRank]
        }
    }

    /// Parameters covering the calibrated range and 0 (``QuantizationParameters/init(covering:)``).
    /// - Throws: ``QuantizationError/noSamples(what:)`` when nothing was observed.
    public func parameters() throws(QuantizationError) -> QuantizationParameters {
        try QuantizationParameters(covering: try range())
    }
}
