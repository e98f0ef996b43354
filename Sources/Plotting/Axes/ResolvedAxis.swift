import Foundation

/// An axis with its range and ticks decided: the data's extent widened to nice ticks, or the
/// fixed range with the ticks inside it.
struct ResolvedAxis {
    let scale: AxisScale
    let domain: ClosedRange<Double>
    let ticks: [Double]
    let labels: [String]

    /// - Parameters:
    ///   - extent: the range of the values to show (already filtered to those the axis
    ///     accepts), nil when there are none.
    ///   - maxTicks: the most ticks there is room for.
    /// - Throws: ``PlotError/invalidAxisRange(axis:lower:upper:allowed:)`` for a bad fixed range.
    static func resolve(_ axis: Axis, extent: ClosedRange<Double>?, maxTicks: Int)
        throws(PlotError) -> ResolvedAxis
    {
        let logarithmic = axis.scale == .logarithmic
        if let fixed = axis.range {
            let lower = fixed.lowerBound, upper = fixed.upperBound
            guard lower.isFinite, upper.isFinite, lower < upper, !logarithmic || lower > 0 else {
                throw .invalidAxisRange(
                    axis: axis.label, lower: lower, upper: upper,
                    allowed: logarithmic
                        ? "finite, 0 < lower < upper on a logarithmic axis"
                        : "finite, lower < upper")
            }
            let slack = logarithmic ? lower * 1e-9 : (upper - lower) * 1e-9
            let covering = decimals(logarithmic, fixed, maxTicks + 2)
            let inside = covering.filter {
                $0.value >= lower - slack && $0.value <= upper + slack
            }
            return ResolvedAxis(
                scale: axis.scale, domain: fixed, ticks: inside.map(\.value),
                labels: labels(logarithmic, inside))
        }
        var range = extent ?? (logarithmic ? 1...10 : 0...1)
        if axis.includesZero && !logarithmic {
            range = min(range.lowerBound, 0)...max(range.upperBound, 0)
        }
        // Data a hair beyond a nice tick (softplus(4) = 4.0002) should not cost a whole extra
        // step of empty space: the ticks need only cover the range less 1% at each end.
        let ticks = decimals(logarithmic, Self.widened(range, logarithmic, by: -0.01), maxTicks)
        let values = ticks.map(\.value)
        // The domain keeps 3% of room beyond the data, so no line runs along an axis, except
        // at 0 on an axis that includes zero (bars and counts start on the axis).
        let padded = Self.widened(range, logarithmic, by: 0.03)
        let lower = axis.includesZero && range.lowerBound == 0 ? 0 : padded.lowerBound
        let upper = axis.includesZero && range.upperBound == 0 ? 0 : padded.upperBound
        return ResolvedAxis(
            scale: axis.scale, domain: min(values.first!, lower)...max(values.last!, upper),
            ticks: values, labels: labels(logarithmic, ticks))
    }

    /// `range` widened at each end by `fraction` of its span (in decades on a log axis);
    /// a negative fraction narrows it.
    private static func widened(_ range: ClosedRange<Double>, _ logarithmic: Bool, by fraction: Double)
        -> ClosedRange<Double>
    {
        guard range.lowerBound < range.upperBound else { return range }
        if logarithmic {
            let ratio = pow(range.upperBound / range.lowerBound, fraction)
            guard ratio.isFinite, ratio > 0 else { return range }
            return (range.lowerBound / ratio)...(range.upperBound * ratio)
        }
        let pad = (range.upperBound / 2 - range.lowerBound / 2) * 2 * fraction
        let lower = range.lowerBound - pad, upper = range.upperBound + pad
        return lower.isFinite && upper.isFinite ? lower...upper : range
    }

    private static func decimals(_ logarithmic: Bool, _ range: ClosedRange<Double>, _ count: Int)
        -> [DecimalValue]
    {
        logarithmic
            ? Ticks.logarithmicDecimals(covering: range, maxCount: count)
            : Ticks.linearDecimals(covering: range, maxCount: count)
    }

    private static func labels(_ logarithmic: Bool, _ ticks: [DecimalValue]) -> [String] {
        logarithmic ? NumberText.logarithmicLabels(ticks) : NumberText.linearLabels(ticks)
    }

    /// Where `value` falls: 0 at the domain's lower end, 1 at its upper end (outside for
    /// values beyond the domain; NaN for values the axis cannot place).
    func fraction(_ value: Double) -> Double {
        switch scale {
        case .linear:
            return (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
        case .logarithmic:
            guard value > 0 else { return .nan }
            return log10(value / domain.lowerBound) / log10(domain.upperBound / domain.lowerBound)
        }
    }

    /// The range of the values in `values` that `axis` accepts, or nil.
    static func extent<S: Sequence<Double>>(of values: S, on axis: Axis) -> ClosedRange<Double>? {
        var low = Double.infinity, high = -Double.infinity
        for value in values where axis.accepts(value) {
            low = min(low, value)
            high = max(high, value)
        }
        return low <= high ? low...high : nil
    }
}

/// A resolved axis laid along a pixel interval: `start` is where the domain's lower end goes.
struct AxisMap {
    let axis: ResolvedAxis
    let start: Double
    let end: Double

    /// The pixel position of `value`; NaN when the axis cannot place it. Values so far
    /// outside the domain that the position overflows are held at ±10¹⁵ px, where clipping
    /// still gets the visible part's direction right.
    func pixel(_ value: Double) -> Double {
        let position = start + axis.fraction(value) * (end - start)
        return position.isInfinite ? (position < 0 ? -1e15 : 1e15) : position
    }
}
