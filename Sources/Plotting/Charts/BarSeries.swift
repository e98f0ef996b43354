/// One series of a ``BarChart``: a value per category, with optional error bars.
///
/// A NaN value draws no bar and prints "n/a" at the baseline (e.g. a run that never reached
/// its target); ±∞ and values ≤ 0 on a logarithmic axis draw no bar and are counted in a
/// footnote.
public struct BarSeries: Sendable, Hashable, StyledSeries {
    /// The legend's name for the series.
    public let name: String
    /// One value per category of the chart.
    public let values: [Double]
    /// Error bars drawn on the bars; nil for none.
    public let errors: ErrorBars?
    /// The look; nil takes ``SeriesStyle/automatic(_:)`` for the series' position.
    public var style: SeriesStyle?

    /// - Throws: ``PlotError/lengthMismatch(owner:field:expected:actual:)`` when the error
    ///   bars do not have one entry per value.
    public init(name: String, values: [Double], errors: ErrorBars? = nil, style: SeriesStyle? = nil)
        throws(PlotError)
    {
        switch errors {
        case .symmetric(let amounts)?:
            guard amounts.count == values.count else {
                throw .lengthMismatch(
                    owner: "bar series '\(name)'", field: "errors", expected: values.count,
                    actual: amounts.count)
            }
        case .interval(let lower, let upper)?:
            for (field, array) in [("errors.lower", lower), ("errors.upper", upper)]
            where array.count != values.count {
                throw .lengthMismatch(
                    owner: "bar series '\(name)'", field: field, expected: values.count,
                    actual: array.count)
            }
        case nil:
            break
        }
        self.name = name
        self.values = values
        self.errors = errors
        self.style = style
    }

    /// The error bar's ends for value `index`, or nil.
    func errorRange(_ index: Int) -> (low: Double, high: Double)? {
        switch errors {
        case .symmetric(let amounts)?:
            let amount = Swift.abs(amounts[index])
            return (values[index] - amount, values[index] + amount)
        case .interval(let lower, let upper)?:
            return (lower[index], upper[index])
        case nil:
            return nil
        }
    }
}

/// Error bars on a bar or point.
public enum ErrorBars: Sendable, Hashable {
    /// value ± amount, e.g. one standard deviation over seeds.
    case symmetric([Double])
    /// From lower[i] to upper[i] in data units, e.g. the min and max over seeds.
    case interval(lower: [Double], upper: [Double])
}
