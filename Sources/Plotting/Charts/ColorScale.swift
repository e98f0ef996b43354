import Foundation

/// How a ``HeatMap`` turns values into colours.
public enum ColorScale: Sendable, Hashable {
    /// Viridis, dark purple (low) to yellow (high): perceptually uniform, readable in grey
    /// and with colour-vision deficiencies.
    case sequential
    /// Viridis over log₁₀ of the values, for values spanning decades (gradient norms).
    /// Values ≤ 0 get the grey of missing data.
    case logarithmic
    /// Blue (below `center`) through white to red (above), symmetric around `center`
    /// (ColorBrewer RdBu, colour-blind safe): differences from a reference.
    case diverging(center: Double)

    /// Viridis at nine evenly spaced stops (matplotlib's table).
    private static let viridis: [Color] = [
        Color(hex: 0x440154), Color(hex: 0x472D7B), Color(hex: 0x3B528B), Color(hex: 0x2C728E),
        Color(hex: 0x21918C), Color(hex: 0x28AE80), Color(hex: 0x5EC962), Color(hex: 0xADDC30),
        Color(hex: 0xFDE725),
    ]
    /// ColorBrewer RdBu, reversed so that low is blue.
    private static let blueWhiteRed: [Color] = [
        Color(hex: 0x2166AC), Color(hex: 0x4393C3), Color(hex: 0x92C5DE), Color(hex: 0xD1E5F0),
        Color(hex: 0xF7F7F7), Color(hex: 0xFDDBC7), Color(hex: 0xF4A582), Color(hex: 0xD6604D),
        Color(hex: 0xB2182B),
    ]

    var axisScale: AxisScale { self == .logarithmic ? .logarithmic : .linear }

    /// The colour range for the given finite (and, for `.logarithmic`, positive) values.
    func domain(for values: [Double]) -> ClosedRange<Double> {
        guard var low = values.min(), var high = values.max() else {
            return self == .logarithmic ? 1...10 : 0...1
        }
        if case .diverging(let center) = self {
            let reach = max(Swift.abs(high - center), Swift.abs(low - center))
            let half = reach > 0 && reach.isFinite ? reach : 1
            return (center - half)...(center + half)
        }
        if low == high {
            if self == .logarithmic {
                low /= 2
                high *= 2
            } else {
                low -= 0.5
                high += 0.5
            }
        }
        return low...high
    }

    /// The colour of `value` on `domain`; nil when the value has no colour (NaN, ±∞, ≤ 0 on
    /// the logarithmic scale).
    func color(_ value: Double, domain: ClosedRange<Double>) -> Color? {
        guard value.isFinite, self != .logarithmic || value > 0 else { return nil }
        let position: Double
        switch self {
        case .logarithmic:
            position = log10(value / domain.lowerBound) / log10(domain.upperBound / domain.lowerBound)
        case .sequential, .diverging:
            position = (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
        }
        let stops = self == .sequential || self == .logarithmic ? Self.viridis : Self.blueWhiteRed
        let t = min(max(position.isNaN ? 0.5 : position, 0), 1) * Double(stops.count - 1)
        let index = min(Int(t), stops.count - 2)
        return stops[index].mixed(with: stops[index + 1], fraction: t - Double(index))
    }
}
