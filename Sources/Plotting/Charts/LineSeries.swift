/// One line of a ``LineChart``: points (x[i], y[i]) joined in order.
///
/// NaN or ±∞ in either coordinate breaks the line there (a gap, not a crash); on a
/// logarithmic axis so do values ≤ 0. The chart's footnote counts the hidden points that
/// were not NaN.
///
/// Runs that diverged are named explicitly, by the x at which each happened
/// (``divergedAt``): the caller leaves their values out of `y` and the band, and the chart
/// draws each as an upward triangle at the top edge of the plot with a footnote, so one
/// exploded value never stretches the y axis.
public struct LineSeries: Sendable, Hashable, StyledSeries {
    /// A shaded band around the line, e.g. the min–max or ±1 standard deviation over seeds.
    public struct Band: Sendable, Hashable {
        /// The band's lower edge, one value per x.
        public let lower: [Double]
        /// The band's upper edge, one value per x.
        public let upper: [Double]

        /// A band between `lower` and `upper` (lengths are checked by ``LineSeries``).
        public init(lower: [Double], upper: [Double]) {
            self.lower = lower
            self.upper = upper
        }
    }

    /// The legend's name for the series.
    public let name: String
    /// The x coordinates, in order along the line.
    public let x: [Double]
    /// The y coordinates, one per x.
    public let y: [Double]
    /// A shaded band around the line; nil for none.
    public let band: Band?
    /// The look; nil takes ``SeriesStyle/automatic(_:)`` for the series' position.
    public var style: SeriesStyle?
    /// One x per run of this series that diverged (repeats count several runs). Each distinct
    /// x gets an upward triangle at the top edge of the plot, with "×n" beside it for n > 1;
    /// these take no part in the y axis's range. Non-finite x, or x the x axis cannot place,
    /// are counted in the footnote but not drawn.
    public var divergedAt: [Double]

    /// - Throws: ``PlotError/lengthMismatch(owner:field:expected:actual:)`` when `y` or the
    ///   band's arrays do not have one value per x.
    public init(
        name: String, x: [Double], y: [Double], band: Band? = nil, style: SeriesStyle? = nil,
        divergedAt: [Double] = []
    ) throws(PlotError) {
        guard y.count == x.count else {
            throw .lengthMismatch(owner: "series '\(name)'", field: "y", expected: x.count, actual: y.count)
        }
        if let band {
            guard band.lower.count == x.count else {
                throw .lengthMismatch(
                    owner: "series '\(name)'", field: "band.lower", expected: x.count,
                    actual: band.lower.count)
            }
            guard band.upper.count == x.count else {
                throw .lengthMismatch(
                    owner: "series '\(name)'", field: "band.upper", expected: x.count,
                    actual: band.upper.count)
            }
        }
        self.name = name
        self.x = x
        self.y = y
        self.band = band
        self.style = style
        self.divergedAt = divergedAt
    }

    /// A series over x = 1, 2, …, y.count (epochs, steps).
    public init(
        name: String, y: [Double], band: Band? = nil, style: SeriesStyle? = nil, divergedAt: [Double] = []
    ) throws(PlotError) {
        try self.init(
            name: name, x: y.indices.map { Double($0 + 1) }, y: y, band: band, style: style, divergedAt: divergedAt)
    }
}

/// Where a ``LineChart`` draws markers on its lines.
public enum MarkerPlacement: Sendable, Hashable {
    /// Lines only.
    case none
    /// A marker at every data point.
    case everyPoint
    /// About `count` markers per line, evenly spaced by index and staggered between series
    /// so markers of overlapping lines do not sit on each other.
    case spaced(count: Int)
    /// Every point for series of up to 30 points, else `.spaced(count: 8)`.
    case automatic
}
