/// A chart axis: what it measures, in which unit, on which scale, over which range.
///
/// ```swift
/// Axis("training error", unit: "%", scale: .logarithmic)
/// Axis("time", unit: "s", range: 0...120)
/// ```
public struct Axis: Sendable, Hashable {
    /// What the axis measures, e.g. "training error".
    public var label: String
    /// The unit, shown in parentheses after the label ("time (s)"); nil for pure numbers.
    public var unit: String?
    /// Linear (the default) or logarithmic.
    public var scale: AxisScale
    /// A fixed range; nil takes the data's range widened to the nearest nice ticks.
    /// Must be finite with lower < upper, and lower > 0 on a logarithmic axis.
    public var range: ClosedRange<Double>?
    /// Widens a data-driven linear range to include 0 (bars, counts, rates).
    public var includesZero: Bool

    /// An axis titled "label (unit)"; the arguments are the properties of the same names.
    public init(
        _ label: String, unit: String? = nil, scale: AxisScale = .linear,
        range: ClosedRange<Double>? = nil, includesZero: Bool = false
    ) {
        self.label = label
        self.unit = unit
        self.scale = scale
        self.range = range
        self.includesZero = includesZero
    }

    /// The axis title as drawn: "label (unit)".
    public var title: String {
        guard let unit, !unit.isEmpty else { return label }
        return "\(label) (\(unit))"
    }

    /// True when `value` can be placed on this axis (finite, and > 0 on a log axis).
    func accepts(_ value: Double) -> Bool {
        value.isFinite && (scale == .linear || value > 0)
    }
}

/// How data values map to positions along an axis.
public enum AxisScale: Sendable, Hashable {
    /// Equal differences take equal space.
    case linear
    /// Equal ratios take equal space (base-10 ticks). Values ≤ 0 cannot be placed: they are
    /// left out of the drawing and counted in a footnote.
    case logarithmic
}

/// A horizontal or vertical line at a fixed data value, with a label: a target error, a
/// threshold, a kink.
public struct ReferenceLine: Sendable, Hashable {
    /// Which way the line runs.
    public enum Orientation: Sendable, Hashable {
        /// A line across the plot at y = value.
        case horizontal
        /// A line up the plot at x = value.
        case vertical
    }

    /// Horizontal (at a y value) or vertical (at an x value).
    public var orientation: Orientation
    /// Where the line is, in the axis' data units.
    public var value: Double
    /// Text written at the line's end; empty for none.
    public var label: String

    /// A line at `value` on the axis `orientation` implies, labelled `label`.
    public init(_ orientation: Orientation, at value: Double, label: String = "") {
        self.orientation = orientation
        self.value = value
        self.label = label
    }
}
