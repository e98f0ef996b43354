/// How one series looks: colour, and the cues that work without colour (dash pattern,
/// marker shape, fill pattern), so a chart reads the same printed in grey or seen with any
/// colour-vision deficiency.
public struct SeriesStyle: Sendable, Hashable {
    /// The stroke and fill colour.
    public var color: Color
    /// The stroke pattern of lines and histogram outlines.
    public var dash: DashPattern
    /// The marker on lines and in their legend entry.
    public var marker: MarkerShape
    /// The fill of bars and their legend swatch.
    public var fill: FillPattern

    /// A style; the arguments are the properties of the same names.
    public init(color: Color, dash: DashPattern = .solid, marker: MarkerShape = .circle,
                fill: FillPattern = .solid) {
        self.color = color
        self.dash = dash
        self.marker = marker
        self.fill = fill
    }

    /// The style of the `index`-th series (0-based): Okabe–Ito colour, with dash, marker
    /// and fill patterns that change together with it, so any two of the first 7 series
    /// differ in every cue. From the 9th series on, the patterns shift against the colours,
    /// so no two of the first 64 series look the same. Charts use this unless a series
    /// brings its own style.
    public static func automatic(_ index: Int) -> SeriesStyle {
        let i = max(0, index)
        let palette = Palette.okabeIto
        let shifted = i + i / palette.count
        return SeriesStyle(
            color: palette[i % palette.count],
            dash: DashPattern.sequence[shifted % DashPattern.sequence.count],
            marker: MarkerShape.allCases[shifted % MarkerShape.allCases.count],
            fill: FillPattern.allCases[shifted % FillPattern.allCases.count])
    }
}

/// A stroke's dash pattern: alternating dash and gap lengths in pixels (empty = solid).
public struct DashPattern: Sendable, Hashable {
    /// Dash, gap, dash, gap, … in pixels; empty for a solid line.
    public let lengths: [Double]

    /// A pattern of dash and gap lengths; negative or non-finite lengths give a solid line.
    public init(_ lengths: [Double]) {
        self.lengths = lengths.allSatisfy { $0.isFinite && $0 >= 0 } ? lengths : []
    }

    /// An unbroken line.
    public static let solid = DashPattern([])
    /// Medium dashes.
    public static let dashed = DashPattern([7, 3.5])
    /// Dots.
    public static let dotted = DashPattern([1.5, 3])
    /// Dash, dot.
    public static let dashDot = DashPattern([8, 3, 1.5, 3])
    /// Long dashes.
    public static let longDashed = DashPattern([14, 4])
    /// Dash, dot, dot.
    public static let dashDotDot = DashPattern([8, 3, 1.5, 3, 1.5, 3])
    /// Dots, widely spaced.
    public static let sparseDotted = DashPattern([1.5, 6])
    /// Long dash, short dash.
    public static let longShort = DashPattern([14, 3, 5, 3])

    /// The order ``SeriesStyle/automatic(_:)`` uses.
    static let sequence: [DashPattern] = [
        .solid, .dashed, .dotted, .dashDot, .longDashed, .dashDotDot, .sparseDotted, .longShort,
    ]

    var svgValue: String? {
        lengths.isEmpty ? nil : lengths.map(\.svg).joined(separator: " ")
    }
}

/// The shape drawn at data points and in legends.
public enum MarkerShape: Sendable, Hashable, CaseIterable {
    case circle, square, triangleUp, diamond, triangleDown, cross, plus
}

/// How bars and legend swatches are filled: solid colour, or a pale tint with hatching in
/// the full colour.
public enum FillPattern: Sendable, Hashable, CaseIterable {
    case solid, diagonal, horizontal, crossHatch, antiDiagonal, vertical, grid, denseDiagonal
}
